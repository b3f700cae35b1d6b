//! More `go tool pprof` outputs, made for the options COMMANDS.tsv of the
//! Go fixtures leaves out (relative_percentages, drop_negative, filters that
//! match nothing, comma and key-less tag filters, tagroot/tagleaf, call
//! trees, graphs at every granularity, callgrind, traces and peek with
//! filters, errors). tests/fixtures/go-extra/make.sh made them with Go
//! 1.19.8's pprof from the Go fixtures; COMMANDS.tsv holds
//! NAME<TAB>EXIT<TAB>COMMAND, NAME.stdout and NAME.stderr what it printed.
//! stdout and stderr must match byte for byte; for commands pprof rejects,
//! profdrop must fail too with the same message (Go's regexp parser words
//! its own errors, so only the part before them is compared).

mod common;
use common::*;

#[test]
fn extra_reference_outputs_match() {
    utc();
    let extra = fixtures().join("go-extra");
    let tsv = String::from_utf8(read(extra.join("COMMANDS.tsv"))).unwrap();
    let mut failures = Vec::new();
    let mut n = 0;
    for line in tsv.lines().filter(|l| !l.is_empty()) {
        let cols: Vec<&str> = line.splitn(3, '\t').collect();
        let (name, code, command) = (cols[0], cols[1], cols[2]);
        let c = parse_command(name, command);
        let want = String::from_utf8(read(extra.join(format!("{name}.stdout")))).unwrap();
        let want_err = String::from_utf8(read(extra.join(format!("{name}.stderr")))).unwrap();
        let out = profdrop::cli::run(&profdrop_args(&c, &go_fixtures()));
        n += 1;
        if code != "0" {
            let key = want_err.trim_end().split(": error parsing regexp").next().unwrap();
            if out.code == 0 || !out.stdout.is_empty() || !out.stderr.contains(key) {
                failures.push(format!(
                    "{command}: pprof failed with {want_err:?}; profdrop: exit {} {:?}",
                    out.code, out.stderr
                ));
            }
            continue;
        }
        if out.code != 0 {
            failures.push(format!("{command}: exit {}: {}", out.code, out.stderr));
        } else if out.stdout != want {
            failures.push(format!("{command}\n{}", first_difference(&out.stdout, &want)));
        } else if out.stderr != want_err {
            failures.push(format!("{command}: stderr {:?}, pprof wrote {want_err:?}", out.stderr));
        }
    }
    assert!(n >= 50, "only {n} commands");
    assert!(failures.is_empty(), "{} of {n} differ:\n{}", failures.len(), failures.join("\n\n"));
}
