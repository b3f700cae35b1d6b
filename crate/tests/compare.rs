//! Comparing snapshots: pprof's numbers for every mode, both sides beside the
//! delta, and the properties a diff must have.

mod common;
use common::*;
use profdrop::decode::{decode, Limits};
use profdrop::model::kind::{classify, ProfileKind};
use profdrop::model::Profile;
use profdrop::report::Options;
use profdrop::transform;
use profdrop::view::compare::*;
use std::collections::HashMap;

fn load(name: &str) -> Profile {
    decode(&read(go_fixtures().join(name)), &Limits::default()).unwrap()
}

const KINDS: &[(&str, ProfileKind)] = &[
    ("heap", ProfileKind::Heap),
    ("allocs", ProfileKind::Allocs),
    ("goroutine", ProfileKind::Goroutine),
    ("cpu", ProfileKind::Cpu),
    ("block", ProfileKind::Block),
    ("mutex", ProfileKind::Mutex),
    ("threadcreate", ProfileKind::Threadcreate),
];

#[test]
fn every_go_fixture_is_classified_by_content() {
    for (prefix, kind) in KINDS {
        for t in ["t0", "t1"] {
            let p = load(&format!("{prefix}_{t}.pb.gz"));
            assert_eq!(classify(&p), *kind, "{prefix}_{t}");
        }
    }
}

/// Rows (name, flat text, cum text) of a pprof -top reference.
fn reference_rows(file: &str) -> Vec<(String, String, String)> {
    let text = String::from_utf8(read(go_fixtures().join(file))).unwrap();
    let mut rows = Vec::new();
    let mut in_table = false;
    for line in text.lines() {
        if line.trim_start().starts_with("flat  flat%") {
            in_table = true;
            continue;
        }
        if in_table {
            let cols: Vec<&str> = line.split_whitespace().collect();
            let name = cols[5..].join(" ");
            let name = name.trim_end_matches(" (inline)").trim_end_matches(" (partial-inline)").to_string();
            rows.push((name, cols[0].to_string(), cols[3].to_string()));
        }
    }
    rows
}

#[test]
fn diff_rows_are_pprofs_rows_with_both_sides() {
    utc();
    for (prefix, _) in KINDS.iter().filter(|(p, _)| *p != "threadcreate") {
        let (b, t) = (load(&format!("{prefix}_t0.pb.gz")), load(&format!("{prefix}_t1.pb.gz")));
        for (mode, flag) in [(CompareMode::DiffBase, "diff_base"), (CompareMode::Base, "base")] {
            let d = diff_top(&b, &t, mode, &Options::default()).unwrap();
            let want = reference_rows(&format!("{prefix}_t1.pb.gz.pprof_top_{flag}={prefix}_t0.pb.gz.txt"));
            let got: Vec<&str> = d.rows.iter().map(|r| r.name.as_str()).collect();
            let want_names: Vec<&str> = want.iter().map(|r| r.0.as_str()).collect();
            assert_eq!(got, want_names, "{prefix} {flag}");
            for r in &d.rows {
                assert_eq!(r.flat, r.target_flat - r.base_flat, "{prefix} {flag} {}", r.name);
                assert_eq!(r.cum, r.target_cum - r.base_cum, "{prefix} {flag} {}", r.name);
                match r.presence {
                    Presence::New => assert_eq!((r.base_flat, r.base_cum), (0, 0)),
                    Presence::Gone => assert_eq!((r.target_flat, r.target_cum), (0, 0)),
                    Presence::Both => {}
                }
            }
            assert!(d.minutes.unwrap() > 1.0 && d.minutes.unwrap() < 2.0, "t1 is 90 s after t0");
        }
    }
}

#[test]
fn normalized_diff_matches_pprof_rows() {
    let (b, t) = (load("heap_t0.pb.gz"), load("heap_t1.pb.gz"));
    let d = diff_top(&b, &t, CompareMode::Normalize, &Options::default()).unwrap();
    let want = reference_rows("heap_t1.pb.gz.pprof_top_normalize_diff_base=heap_t0.pb.gz.txt");
    let got: Vec<&str> = d.rows.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(got, want.iter().map(|r| r.0.as_str()).collect::<Vec<_>>());
    for r in &d.rows {
        assert_eq!(r.flat, r.target_flat - r.base_flat);
    }
}

#[test]
fn a_profile_compared_with_itself_shows_nothing() {
    for (prefix, _) in KINDS {
        let p = load(&format!("{prefix}_t1.pb.gz"));
        for mode in [CompareMode::DiffBase, CompareMode::Base, CompareMode::Normalize] {
            let d = diff_top(&p, &p, mode, &Options::default()).unwrap();
            assert!(d.rows.iter().all(|r| r.flat == 0 && r.cum == 0), "{prefix} {mode:?}");
        }
        let s = stack_changes(&p, &p, "", 100).unwrap();
        assert!(s.new.is_empty() && s.gone.is_empty(), "{prefix}");
    }
}

#[test]
fn swapping_base_and_target_negates_every_delta() {
    for (prefix, _) in KINDS {
        let (b, t) = (load(&format!("{prefix}_t0.pb.gz")), load(&format!("{prefix}_t1.pb.gz")));
        let o = Options { nodefraction: 0.0, ..Options::default() };
        let fwd = diff_top(&b, &t, CompareMode::Base, &o).unwrap();
        let back = diff_top(&t, &b, CompareMode::Base, &o).unwrap();
        let m: HashMap<&str, (i64, i64)> = back.rows.iter().map(|r| (r.name.as_str(), (r.flat, r.cum))).collect();
        assert_eq!(fwd.rows.len(), back.rows.len(), "{prefix}");
        for r in &fwd.rows {
            assert_eq!(m[r.name.as_str()], (-r.flat, -r.cum), "{prefix} {}", r.name);
        }
        let (s1, s2) = (stack_changes(&b, &t, "", 1000).unwrap(), stack_changes(&t, &b, "", 1000).unwrap());
        assert_eq!(s1.new, s2.gone);
        assert_eq!(s1.gone, s2.new);
    }
}

#[test]
fn new_stacks_of_the_goroutine_leak_hold_the_readloop() {
    let (b, t) = (load("goroutine_t0.pb.gz"), load("goroutine_t1.pb.gz"));
    let d = diff_top(&b, &t, CompareMode::DiffBase, &Options::default()).unwrap();
    let rl = d.rows.iter().find(|r| r.name == "net/http.(*persistConn).readLoop").unwrap();
    assert!(rl.cum > 1000 && rl.base_cum > 0 && rl.target_cum == rl.base_cum + rl.cum);
    // Every stack that appears or vanishes is really absent from the other side.
    let s = stack_changes(&b, &t, "", 50).unwrap();
    for c in &s.new {
        assert!(c.value > 0);
    }
}

#[test]
fn mismatched_kinds_are_refused_clearly() {
    let e = diff_top(&load("heap_t0.pb.gz"), &load("goroutine_t1.pb.gz"), CompareMode::DiffBase, &Options::default())
        .unwrap_err();
    assert!(e.0.contains("cannot compare a heap profile with a goroutine profile"), "{e}");
    // Heap and allocs are the same Go profile: allowed, with no warning about types.
    assert!(diff_top(&load("heap_t0.pb.gz"), &load("allocs_t1.pb.gz"), CompareMode::Base, &Options::default()).is_ok());
}

#[test]
fn default_modes_follow_the_kind() {
    assert_eq!(default_mode(ProfileKind::Goroutine, "goroutine"), CompareMode::DiffBase);
    assert_eq!(default_mode(ProfileKind::Heap, "inuse_space"), CompareMode::DiffBase);
    assert_eq!(default_mode(ProfileKind::Heap, "alloc_space"), CompareMode::Base);
    assert_eq!(default_mode(ProfileKind::Allocs, "alloc_space"), CompareMode::Base);
    assert_eq!(default_mode(ProfileKind::Block, "delay"), CompareMode::Base);
    assert_eq!(default_mode(ProfileKind::Cpu, "cpu"), CompareMode::Normalize);
}

/// t2 = 1.5 × t1, 90 s after t1: a third snapshot made from the fixtures.
fn third_snapshot(t1: &Profile) -> Profile {
    let half = transform::merge::scale(t1, 0.5);
    let mut t2 = transform::merge(&[t1, &half]).unwrap();
    t2.time_nanos = t1.time_nanos + 90_000_000_000;
    t2
}

#[test]
fn growth_slopes_over_three_snapshots() {
    let (t0, t1) = (load("heap_t0.pb.gz"), load("heap_t1.pb.gz"));
    let t2 = third_snapshot(&t1);
    let o = Options { nodefraction: 0.0, ..Options::default() };
    let g = growth(&[&t0, &t1, &t2], &o).unwrap();
    assert_eq!(g.sample_type, "inuse_space");
    // Recompute independently from each snapshot's own top table.
    let tops: Vec<HashMap<String, i64>> = [&t0, &t1, &t2]
        .iter()
        .map(|p| {
            let mut r = profdrop::report::Report::new(p, profdrop::report::ReportKind::Top, &o).unwrap();
            profdrop::report::top::build_top(&mut r).rows.into_iter().map(|r| (r.name, r.flat)).collect()
        })
        .collect();
    let xs = [0.0, (t1.time_nanos - t0.time_nanos) as f64 / 60e9, (t2.time_nanos - t0.time_nanos) as f64 / 60e9];
    for name in ["bufio.NewReaderSize", "bufio.NewWriterSize", "runtime.malg"] {
        let ys: Vec<f64> = tops.iter().map(|t| *t.get(name).unwrap_or(&0) as f64).collect();
        let (mx, my) = (xs.iter().sum::<f64>() / 3.0, ys.iter().sum::<f64>() / 3.0);
        let slope = xs.iter().zip(&ys).map(|(x, y)| (x - mx) * (y - my)).sum::<f64>()
            / xs.iter().map(|x| (x - mx) * (x - mx)).sum::<f64>();
        let row = g.rows.iter().find(|r| r.name == name).unwrap();
        assert!(
            (row.slope_per_minute - slope).abs() <= 1e-6 * slope.abs().max(1.0),
            "{name}: {} vs {slope}",
            row.slope_per_minute
        );
        assert!(row.monotonic, "{name} grows at every snapshot");
    }
    // The steepest rows come first.
    assert!(g.rows.windows(2).all(|w| w[0].slope_per_minute >= w[1].slope_per_minute));
    assert_eq!(g.rows[0].name, "bufio.NewReaderSize");
    // A limit above the last total is reached after a positive number of minutes.
    let last = *g.totals.last().unwrap() as f64;
    let m = minutes_to_limit(&g, last * 2.0).unwrap();
    assert!((m - last / g.total_slope_per_minute).abs() < 1e-6);
    assert_eq!(minutes_to_limit(&g, last / 2.0), Some(0.0));
}
