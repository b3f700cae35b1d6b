//! Every report, with a spread of options, over every fixture file that
//! decodes (Go runtime dumps, peers' profiles, fuzz seeds, legacy formats):
//! no panic, and a failure is an exit status 1 with a message. The outputs
//! themselves are checked against pprof elsewhere.

mod common;
use common::*;

fn files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            files(&p, out);
        } else if std::fs::metadata(&p).unwrap().len() < 8 << 20 {
            out.push(p);
        }
    }
}

#[test]
fn every_report_runs_on_every_decodable_fixture() {
    let mut all = Vec::new();
    files(&fixtures(), &mut all);
    all.sort();
    let runs: &[&[&str]] = &[
        &["top", "--focus=a", "--hide=b", "--cum"],
        &["tree", "--lines"],
        &["peek", "--peek=."],
        &["traces", "--mean", "--addresses"],
        &["tags", "--tagshow=.", "--unit=kb"],
        &["tags", "--tags_of_total"],
        &["dot"],
        &["dot", "--call_tree", "--nodecount=10"],
        &["dot", "--show_from=.", "--prune_from=main", "--files", "--relative_percentages"],
        &["dot", "--drop_negative", "--noinlines", "--tagfocus=1:", "--tagignore=x=y"],
        &["callgrind", "--call_tree"],
        &["comments", "--add_comment=x"],
        &["top", "--tagroot=a,b", "--tagleaf=c", "--show=.", "--ignore=zzz", "--trim_path=/x"],
    ];
    let (mut decoded, mut ran) = (0, 0);
    for f in &all {
        let path = f.display().to_string();
        if profdrop::cli::run(&["top".into(), path.clone()]).code != 0 {
            continue;
        }
        decoded += 1;
        for r in runs {
            let mut args: Vec<String> = r.iter().map(|s| s.to_string()).collect();
            args.push(path.clone());
            let out = profdrop::cli::run(&args);
            ran += 1;
            assert!(
                out.code == 0 || (out.code == 1 && !out.stderr.is_empty()),
                "{args:?}: exit {} {}",
                out.code,
                out.stderr
            );
        }
    }
    eprintln!("{ran} report runs over {decoded} decodable fixtures of {}", all.len());
    assert!(decoded >= 30, "only {decoded} fixtures decoded");
}
