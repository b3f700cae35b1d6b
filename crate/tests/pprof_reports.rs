//! Every `go tool pprof` output of tests/fixtures/go/COMMANDS.tsv, reproduced
//! byte for byte by the CLI: each line's flags are mapped mechanically to
//! `profdrop REPORT --flag=value ... FILE...` (`-peek=RE` becomes
//! `peek --peek=RE`). stdout must equal the reference file; stderr must equal
//! what pprof wrote, which the fixtures' README records: nothing, except the
//! note on the two numeric tag filters.
//!
//! The references were made without the program binary, so pprof could not
//! symbolize or read mappings from it: addresses, function names and files
//! come from the profiles alone, exactly as profdrop reads them. Nothing in
//! these outputs is derived from a binary, so no line is excepted for that.

mod common;
use common::*;

/// Lines left to another report's tests, by report name, with the reason (none).
const NOT_HERE: &[(&str, &str)] = &[];

/// stderr of the references that was not empty (tests/fixtures/go/README.md).
const STDERR: &[(&str, &str)] = &[
    (
        "heap_t1.pb.gz.pprof_top_nodefraction=0_tagfocus=bytes=4kb_.txt",
        "tagfocus:Interpreted '4kb:' as range, not regexp\n",
    ),
    (
        "heap_t1.pb.gz.pprof_top_nodefraction=0_tagfocus=bytes=_1kb.txt",
        "tagfocus:Interpreted ':1kb' as range, not regexp\n",
    ),
];

#[test]
fn every_reference_output_matches_byte_for_byte() {
    utc();
    let dir = go_fixtures();
    let all = pprof_commands();
    assert_eq!(all.len(), 134, "COMMANDS.tsv changed");
    let mut failures = Vec::new();
    let mut checked = 0;
    let mut skipped: Vec<String> = Vec::new();
    for c in &all {
        if let Some((_, why)) = NOT_HERE.iter().find(|(r, _)| *r == c.report) {
            skipped.push(format!("{} ({why})", c.command));
            continue;
        }
        checked += 1;
        let want_err = STDERR.iter().find(|(o, _)| *o == c.output).map_or("", |(_, e)| e);
        match run_against_reference(c, &dir) {
            Err(why) => failures.push(why),
            Ok(out) if out.stderr != want_err => {
                failures.push(format!("{}: stderr {:?}, pprof wrote {want_err:?}", c.command, out.stderr))
            }
            Ok(_) => {}
        }
    }
    eprintln!("{checked} of {} COMMANDS.tsv lines checked; not here:", all.len());
    for s in &skipped {
        eprintln!("  {s}");
    }
    assert!(failures.is_empty(), "{} of {checked} differ:\n{}", failures.len(), failures.join("\n"));
    let reports: std::collections::BTreeSet<&str> = all.iter().map(|c| c.report.as_str()).collect();
    assert!(reports.len() >= 9, "expected every report kind among the commands: {reports:?}");
}

/// The node list `dot::build_dot` gives the page names the DOT's nodes, in
/// id order, with the weights their tooltips show.
#[test]
fn dot_nodes_describe_the_dot_text() {
    utc();
    let data = read(go_fixtures().join("heap_t1.pb.gz"));
    let p = profdrop::load::load(
        &[profdrop::load::Input { name: "heap_t1.pb.gz", data: &data }],
        &[],
        Default::default(),
        &Default::default(),
    )
    .unwrap();
    let o = profdrop::report::Options { nodecount: Some(20), ..Default::default() };
    let mut r = profdrop::report::Report::new(&p, profdrop::report::ReportKind::Dot, &o).unwrap();
    let g = profdrop::report::dot::build_dot(&mut r);
    let node_lines: Vec<&str> =
        g.dot.lines().filter(|l| l.starts_with('N') && !l.contains(" -> ") && l.contains(" [label=\"")).collect();
    assert_eq!(node_lines.len(), g.nodes.len());
    assert!(g.nodes.len() >= 10);
    for (line, n) in node_lines.iter().zip(&g.nodes) {
        assert!(line.starts_with(&format!("N{} [", n.id)), "{line}");
        let tooltip = format!("tooltip=\"{} ({})\"", n.name, r.format_value(n.cum));
        assert!(line.contains(&tooltip), "{line} lacks {tooltip}");
    }
}
