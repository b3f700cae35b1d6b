//! `profdrop list --list=RE [--source_path=DIR] [--trim_path=P] FILE` prints
//! byte for byte what `go tool pprof -list=RE` prints for the same sources:
//! tests/fixtures/go-list (commands.tsv, outputs made by its make.sh, the
//! standard library sources the profiles name copied into its src/).

mod common;
use common::*;

#[test]
fn list_equals_go_tool_pprof_list() {
    utc();
    let here = fixtures().join("go-list");
    let src = here.join("src").display().to_string();
    let tsv = String::from_utf8(read(here.join("commands.tsv"))).unwrap();
    let mut failures = Vec::new();
    let mut n = 0;
    for line in tsv.lines().filter(|l| !l.is_empty() && !l.starts_with('#')) {
        let (name, command) = line.split_once('\t').unwrap();
        let c = parse_command(name, &command.replace("SRC", &src));
        let args = profdrop_args(&PprofCommand { report: "list".into(), ..c.clone() }, &go_fixtures());
        let want = String::from_utf8(read(here.join(format!("{name}.stdout")))).unwrap().replace("SRC", &src);
        let want_err = String::from_utf8(read(here.join(format!("{name}.stderr")))).unwrap();
        let out = profdrop::cli::run(&args);
        n += 1;
        if !want_err.is_empty() {
            if out.code == 0 || !out.stderr.contains(want_err.trim_end()) {
                failures.push(format!(
                    "{name}: pprof failed with {want_err:?}; profdrop: exit {} {:?}",
                    out.code, out.stderr
                ));
            }
        } else if out.code != 0 {
            failures.push(format!("{name}: exit {}: {}", out.code, out.stderr));
        } else if out.stdout != want {
            failures.push(format!("{name}\n{}", first_difference(&out.stdout, &want)));
        }
    }
    assert!(n >= 8, "only {n} commands");
    assert!(failures.is_empty(), "{} of {n} differ:\n{}", failures.len(), failures.join("\n\n"));
}
