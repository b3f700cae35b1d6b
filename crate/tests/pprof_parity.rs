//! pprof parity on profiles written by other producers: every report kind
//! (top, cum, lines, traces, tags, raw, dot, tree, callgrind, peek,
//! comments, every sample index, the demangler's modes) of every profile in
//! tests/fixtures/parity/PROFILES, compared byte for byte with what `go tool
//! pprof` (Go 1.19.8) printed. tests/fixtures/parity/make.sh made the
//! references: COMMANDS.tsv holds NAME<TAB>EXIT<TAB>COMMAND, NAME.stdout.gz
//! the gzipped stdout (stderr is kept beside it but not compared: pprof
//! writes there about the binaries it could not open).

mod common;
use common::*;

/// The references whose differences are understood, with their cause;
/// every other report must be identical.
const KNOWN: &[(&str, &str)] = &[(
    "717",
    "callgrind, alloc_space_delta: two edges of one node with opposite weights (+524292, -524292) and the same \
     names tie in pprof's edge sort, and their order comes from Go's map iteration: pprof itself prints \
     either order from run to run",
)];

#[test]
fn reports_match_pprof_on_other_producers_profiles() {
    utc();
    let dir = fixtures().join("parity");
    let tsv = String::from_utf8(read(dir.join("COMMANDS.tsv"))).unwrap();
    let (mut n, mut identical) = (0, 0);
    let mut profiles = std::collections::BTreeSet::new();
    let mut failures = Vec::new();
    for line in tsv.lines().filter(|l| !l.is_empty()) {
        let cols: Vec<&str> = line.splitn(3, '\t').collect();
        let (name, code, command) = (cols[0], cols[1], cols[2]);
        let c = parse_command(name, command);
        profiles.extend(c.files.iter().cloned());
        let gz = read(dir.join(format!("{name}.stdout.gz")));
        let want = String::from_utf8(profdrop::decode::gzip::inflate(&gz, 1 << 30).unwrap()).unwrap();
        let out = profdrop::cli::run(&profdrop_args(&c, &dir));
        n += 1;
        let verdict = if code != "0" {
            (out.code != 0)
                .then_some(())
                .ok_or_else(|| format!("pprof failed, profdrop printed {} bytes", out.stdout.len()))
        } else if out.code != 0 {
            Err(format!("exit {}: {}", out.code, out.stderr))
        } else if out.stdout != want {
            Err(first_difference(&out.stdout, &want))
        } else {
            Ok(())
        };
        match (verdict, KNOWN.iter().find(|k| k.0 == name)) {
            (Ok(()), None) => identical += 1,
            (Ok(()), Some(_)) => failures.push(format!("{name} {command}: identical now, drop it from KNOWN")),
            (Err(_), Some(_)) => {}
            (Err(e), None) => failures.push(format!("{name} {command}\n{e}")),
        }
    }
    println!("{} profiles, {n} reports compared, {identical} identical", profiles.len());
    assert!(n >= 800, "only {n} commands");
    assert!(failures.is_empty(), "{} of {n} differ:\n{}", failures.len(), failures.join("\n\n"));
}
