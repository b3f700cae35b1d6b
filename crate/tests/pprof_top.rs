//! `profdrop top` against `go tool pprof -top` on the Go fixtures: every line
//! of COMMANDS.tsv whose options are only the ones the engine's top view
//! covers is selected by rule, run with the same options, and compared byte
//! for byte.

mod common;
use common::*;

const TOP_OPTIONS: &[&str] = &["nodecount", "nodefraction", "sample_index", "cum", "diff_base", "base"];

#[test]
fn top_matches_go_tool_pprof_byte_for_byte() {
    utc();
    let dir = go_fixtures();
    let selected: Vec<PprofCommand> = pprof_commands()
        .into_iter()
        .filter(|c| c.report == "top" && c.options.iter().all(|(n, _)| TOP_OPTIONS.contains(&n.as_str())))
        .collect();
    assert!(selected.len() >= 60, "the selection rule picked only {} commands", selected.len());
    let mut failures = Vec::new();
    for c in &selected {
        if let Err(why) = run_against_reference(c, &dir) {
            failures.push(why);
        }
    }
    assert!(failures.is_empty(), "{} of {} differ:\n{}", failures.len(), selected.len(), failures.join("\n"));
    eprintln!("{} pprof -top outputs reproduced byte for byte", selected.len());
}
