//! The engine both front ends drive, natively: every public method of
//! `session::Session`, its results checked against pprof's outputs where
//! pprof has one, and its errors (a handle that names nothing, a removed
//! profile, a profile of the wrong kind) as errors, never panics.

mod common;

use profdrop::report::Options;
use profdrop::session::{Session, StrCol};
use profdrop::transform::redact::RedactOptions;

fn go(name: &str) -> Vec<u8> {
    common::read(common::go_fixtures().join(name))
}

fn reference(name: &str) -> String {
    String::from_utf8(go(name)).unwrap()
}

/// A session with `names` loaded, and their handles.
fn session(names: &[&str]) -> (Session, Vec<u32>) {
    let mut s = Session::new();
    let ids = names.iter().map(|n| s.load(n, &go(n)).unwrap().id).collect();
    (s, ids)
}

fn all(c: &StrCol) -> Vec<&str> {
    (0..c.len()).map(|i| c.get(i)).collect()
}

fn opts() -> Options {
    Options::default()
}

const BAD: u32 = 99;

#[test]
fn loads_in_one_call_or_in_steps_alike() {
    let bytes = go("heap_t1.pb.gz");
    let mut s = Session::new();
    let one = s.load("heap_t1.pb.gz", &bytes).unwrap();
    let h = s.begin_load("heap_t1.pb.gz", bytes.clone());
    s.inflate(h).unwrap();
    let steps = s.finish_load(h).unwrap();
    assert_eq!((one.id, steps.id), (0, 1));
    assert_eq!(one.kind, "heap");
    assert_eq!(one.format, "pprof protobuf");
    assert_eq!(one.size, bytes.len());
    assert_eq!(Session::summary(&s, 1).unwrap(), steps);
    assert_eq!(Summary { id: 0, ..steps }, one);
    // Sized: the caller fills the buffer.
    let h = s.begin_load_sized("heap_t1.pb.gz", bytes.len()).unwrap();
    s.pending_bytes(h).unwrap().copy_from_slice(&bytes);
    s.inflate(h).unwrap();
    assert_eq!(s.finish_load(h).unwrap().samples, one.samples);
    assert_eq!(s.ids(), vec![0, 1, 2]);
    assert_eq!(s.name(2).unwrap(), "heap_t1.pb.gz");
    assert_eq!(s.profile(2).unwrap().samples.len(), one.samples);
    // A pending handle is used once.
    assert_eq!(s.finish_load(h).unwrap_err().0, "no pending load");
    assert!(s.inflate(BAD).is_err());
    assert!(s.pending_bytes(BAD).is_err());
}

use profdrop::session::Summary;

#[test]
fn bad_input_and_caps_are_errors_that_name_the_stage() {
    let mut s = Session::with_limits(profdrop::decode::Limits { max_inflated_bytes: 1000, ..Default::default() });
    assert_eq!(s.limits().max_inflated_bytes, 1000);
    let e = s.begin_load_sized("big", 5000).unwrap_err();
    assert!(e.0.starts_with("reading: the file (") && e.0.contains("is larger than the"), "{e}");
    // A gzip bomb stops at the cap and forgets the pending load.
    let h = s.begin_load("heap", go("heap_t1.pb.gz"));
    assert!(s.inflate(h).unwrap_err().0.contains("decompressing"));
    assert!(s.finish_load(h).is_err());
    let mut s = Session::new();
    let e = s.load("broken.pb.gz", &go("heap_t1.pb.gz")[..100]).unwrap_err();
    assert!(e.0.contains("decompressing") || e.0.contains("parsing"), "{e}");
    // A cancelled load is gone; nothing was loaded.
    let h = s.begin_load_sized("x", 10).unwrap();
    s.cancel_load(h);
    s.cancel_load(BAD);
    assert!(s.pending_bytes(h).is_err());
    assert!(s.ids().is_empty());
}

#[test]
fn a_handle_that_names_nothing_is_an_error() {
    let (mut s, ids) = session(&["heap_t0.pb.gz", "heap_t1.pb.gz"]);
    s.remove(ids[0]);
    s.remove(BAD);
    assert_eq!(s.ids(), vec![ids[1]]);
    let o = opts();
    for id in [BAD, ids[0]] {
        let want = format!("no loaded profile with id {id}");
        assert_eq!(s.profile(id).unwrap_err().0, want);
        assert_eq!(s.name(id).unwrap_err().0, want);
        assert_eq!(s.summary(id).unwrap_err().0, want);
        assert_eq!(s.details(id).unwrap_err().0, want);
        assert_eq!(s.set_file_time(id, 1.0).unwrap_err().0, want);
        assert_eq!(s.merged(&[id], false).unwrap_err().0, want);
        // A merge with provenance reads the names first: an error too, not an index panic.
        assert_eq!(s.merged(&[ids[1], id], true).unwrap_err().0, want);
        assert_eq!(s.top_text(&[id], &o).unwrap_err().0, want);
        assert_eq!(s.top(&[id], &o).unwrap_err().0, want);
        assert_eq!(s.top_match(&[id], &o, "").unwrap_err().0, want);
        assert_eq!(s.flame(&[id], &o, 0, 0.0).unwrap_err().0, want);
        assert_eq!(s.flame_search(&[id], &o, "x").unwrap_err().0, want);
        assert_eq!(s.tree_children(&[id], &o, false, 0, 10, "").unwrap_err().0, want);
        assert_eq!(s.peek(&[id], &o, "main").unwrap_err().0, want);
        assert_eq!(s.sandwich(&[id], &o, "main", "").unwrap_err().0, want);
        assert_eq!(s.merge_export(&[id], false).unwrap_err().0, want);
        assert_eq!(s.format(&[id], &o, &[1.0], &[0.0]).unwrap_err().0, want);
        assert_eq!(s.dot(&[id], &o).unwrap_err().0, want);
        assert_eq!(s.tags(&[id], &o, 10).unwrap_err().0, want);
        assert_eq!(s.compare_groups(&[ids[1], id]).unwrap_err().0, want);
        assert_eq!(s.compare_default_mode(id, &o).unwrap_err().0, want);
        assert_eq!(s.compare_top(id, ids[1], "", &o).unwrap_err().0, want);
        assert_eq!(s.compare_top_match(ids[1], id, "", &o, "").unwrap_err().0, want);
        assert_eq!(s.compare_flame(id, ids[1], "", &o, 0, 0.0).unwrap_err().0, want);
        assert_eq!(s.compare_stacks(id, ids[1], "", &o, 10).unwrap_err().0, want);
        assert_eq!(s.growth(&[id, ids[1]], &o, "", 10).unwrap_err().0, want);
        assert_eq!(s.goroutines(&[id], "pointers", false, 10).unwrap_err().0, want);
        assert_eq!(s.goroutine_compare(id, ids[1], "pointers", f64::NAN, 10).unwrap_err().0, want);
        assert_eq!(s.findings_of(&[id], "", "").unwrap_err().0, want);
        assert_eq!(s.top_export(&[id], &o, "csv").unwrap_err().0, want);
        assert_eq!(s.compare_export(ids[1], id, "", &o, "csv").unwrap_err().0, want);
        assert_eq!(s.export_pprof(&[id], &o).unwrap_err().0, want);
        assert_eq!(s.compare_export_pprof(id, ids[1], "", &o).unwrap_err().0, want);
        assert_eq!(s.redacted(id, &RedactOptions::default()).unwrap_err().0, want);
    }
    // Nothing compared yet.
    assert_eq!(s.compare_describe(1.0, 2.0).unwrap_err().0, "no comparison");
    assert_eq!(s.compare_flame_search("x").unwrap_err().0, "no differential flame graph");
    // The findings over what is left still work.
    assert_eq!(s.findings("", "").unwrap().heap_profiles, 1);
}

#[test]
fn top_is_pprofs_table_as_columns() {
    let (mut s, ids) = session(&["heap_t1.pb.gz"]);
    let o = Options { nodecount: Some(1_000_000), ..opts() };
    let text = s.top_text(&ids, &o).unwrap();
    assert_eq!(text, reference("heap_t1.pb.gz.pprof_top_nodecount=1000000.txt"));
    let t = s.top(&ids, &o).unwrap();
    // Every row of pprof's text, in its order, with its numbers.
    let rows: Vec<&str> = text.lines().skip_while(|l| !l.trim_start().starts_with("flat")).skip(1).collect();
    assert_eq!(t.rows as usize, rows.len());
    assert_eq!(t.name.len(), rows.len());
    for (i, line) in rows.iter().enumerate() {
        let cells: Vec<&str> = line.split_whitespace().collect();
        assert_eq!(cells[0], t.flat_text.get(i), "row {i}");
        assert_eq!(cells[1], t.flat_pct.get(i), "row {i}");
        assert_eq!(cells[2], t.sum_pct.get(i), "row {i}");
        assert_eq!(cells[3], t.cum_text.get(i), "row {i}");
        assert_eq!(cells[4], t.cum_pct.get(i), "row {i}");
        let name = t.name.get(i);
        assert!(line.contains(name), "row {i}: {name}");
        assert_eq!(t.inline.0[i] == 1, line.ends_with(" (inline)"), "row {i}");
    }
    assert_eq!(t.header.sample_type, "inuse_space");
    assert!(t.labels.iter().any(|l| l.starts_with("Showing nodes")));
    // Sorted by cum, on request.
    let c = s.top(&ids, &Options { cum: true, ..o.clone() }).unwrap();
    assert!(c.cum.0.windows(2).all(|w| w[0].abs() >= w[1].abs()));
    // The search marks matching rows; "" matches all; a bad pattern is an error.
    let m = s.top_match(&ids, &o, "^runtime\\.").unwrap();
    assert_eq!(m.0.len(), rows.len());
    for (i, &x) in m.0.iter().enumerate() {
        assert_eq!(x == 1, t.name.get(i).starts_with("runtime."));
    }
    assert!(s.top_match(&ids, &o, "").unwrap().0.iter().all(|&x| x == 1));
    assert!(s.top_match(&ids, &o, "(").unwrap_err().0.starts_with("failed to compile regexp ("));
    // A filter that matched nothing is said.
    let none = s.top(&ids, &Options { focus: "no-such-function".into(), ..opts() }).unwrap();
    assert_eq!(none.header.unmatched.len(), 1);
    // Values formatted in the report's unit.
    let f = s.format(&ids, &o, &[t.flat.0[0], 0.0], &[0.0, 0.0]).unwrap();
    assert_eq!(f.values[0], t.flat_text.get(0));
    assert_eq!(f.percents[0], t.flat_pct.get(0));
    assert_eq!(f.percents[1], "0%");
}

#[test]
fn flame_tree_and_search_agree_with_the_top_table() {
    let (mut s, ids) = session(&["cpu_t1.pb.gz"]);
    let o = opts();
    let top = s.top(&ids, &Options { nodecount: Some(1_000_000), nodefraction: 0.0, ..opts() }).unwrap();
    let f = s.flame(&ids, &o, 0, 0.0).unwrap();
    // The root spans the total; every box lies inside its parent.
    assert_eq!(f.x.0[0], 0.0);
    assert_eq!(f.width.0[0], f.header.total);
    for b in 1..f.frame.0.len() {
        let p = f.parent.0[b] as usize;
        assert!(f.x.0[b] >= f.x.0[p] && f.x.0[b] + f.width.0[b] <= f.x.0[p] + f.width.0[p] + 1e-6);
        assert_eq!(f.depth.0[b], f.depth.0[p] + 1);
    }
    assert_eq!(f.name.len(), f.short.len());
    assert_eq!(f.package.0.len(), f.name.len());
    assert!(f.package.0.iter().all(|&p| (p as usize) < f.packages.len()));
    // Zoomed into a node: that node's box spans the view.
    let node = f.node.0[1];
    let z = s.flame(&ids, &o, node, 0.0).unwrap();
    assert_eq!(z.zoom, node);
    assert!(s.flame(&ids, &o, 1 << 30, 0.0).unwrap_err().0.starts_with("no call tree node"));
    // The search's value is what a focus on the pattern keeps: pprof's cum of the function.
    let fs = s.flame_search(&ids, &o, "^runtime\\.mallocgc$").unwrap();
    let i = all(&top.name).iter().position(|n| *n == "runtime.mallocgc").unwrap();
    assert_eq!(fs.value, top.cum.0[i]);
    assert_eq!(fs.value_text, top.cum_text.get(i));
    assert_eq!(fs.frames.0.iter().filter(|&&x| x == 1).count(), 1);
    // The call tree's root children add up to the root.
    let t = s.tree_children(&ids, &o, false, 0, 1000, "main").unwrap();
    assert_eq!(t.more, 0);
    assert_eq!(t.total.0.iter().sum::<f64>() + t.parent.self_value, t.parent.total);
    assert_eq!(t.parent.total, f.header.total);
    let t2 = s.tree_children(&ids, &o, false, 0, 1, "").unwrap();
    assert_eq!(t2.ids.0.len() + t2.more as usize, t.ids.0.len());
    for (i, &m) in t.matched.0.iter().enumerate() {
        assert_eq!(m == 1, t.name.get(i).contains("main"));
    }
    let inv = s.tree_children(&ids, &o, true, 0, 5, "").unwrap();
    assert_eq!(inv.parent.total, t.parent.total);
    assert!(s.tree_children(&ids, &o, false, 1 << 30, 5, "").is_err());
}

#[test]
fn peek_dot_and_tags_are_pprofs() {
    let (mut s, ids) = session(&["cpu_t1.pb.gz"]);
    let o = opts();
    let d = s.dot(&ids, &o).unwrap();
    assert_eq!(d.dot, reference("cpu_t1.pb.gz.pprof_dot.txt"));
    assert_eq!(d.ids.0, (1..=d.ids.0.len() as u32).collect::<Vec<_>>());
    assert_eq!(d.name.len(), d.ids.0.len());
    let t = s.tags(&ids, &o, 1000).unwrap();
    let want = reference("cpu_t1.pb.gz.pprof_tags.txt");
    assert!(!t.keys.is_empty());
    assert!(t.keys.iter().all(|k| k.more == 0));
    // a cap keeps the heaviest values and counts the rest
    let capped = s.tags(&ids, &o, 1).unwrap();
    for (k, c) in t.keys.iter().zip(&capped.keys) {
        assert_eq!(c.name.len(), k.name.len().min(1));
        assert_eq!(c.more as usize, k.name.len() - c.name.len());
        assert_eq!(c.total, k.total);
        if !c.name.is_empty() {
            assert_eq!(c.name.get(0), k.name.get(0));
        }
    }
    for k in &t.keys {
        assert!(want.contains(&format!(" {}:", k.key)), "{}", k.key);
        for i in 0..k.name.len() {
            assert!(want.contains(k.name.get(i)), "{}", k.name.get(i));
        }
    }
    let p = s.peek(&ids, &o, "runtime.mallocgc").unwrap();
    assert!(!p.entries.is_empty());
    assert!(p.entries.iter().all(|e| e.name.contains("runtime.mallocgc")));
    assert!(p.entries[0].callers.iter().all(|c| !c.pct.is_empty()));
    assert_eq!(p.more, 0);
    assert!(p.entries.iter().all(|e| e.more_callers == 0 && e.more_callees == 0));
    assert_eq!(s.peek(&ids, &o, " ").unwrap_err().0, "peek: give a function name or regular expression");
}

#[test]
fn sandwich_picks_by_cum_with_peeks_numbers_and_names_its_halves() {
    let (mut s, ids) = session(&["heap_t1.pb.gz"]);
    let o = opts();
    let w = s.sandwich(&ids, &o, r"net/http.\(\*Transport\).dialConn", "").unwrap();
    assert_eq!(w.matched, 2);
    assert_eq!(w.chosen, 0);
    assert_eq!(w.name.get(0), "net/http.(*Transport).dialConn");
    assert_eq!(w.name.get(1), "net/http.(*Transport).dialConnFor");
    // pprof -peek's line for the function: flat 1536.23kB 3.15%, cum 16438.41kB 33.70%.
    let line = reference("heap_t1.pb.gz.pprof_peek=net_http.____Transport__.dialConn.txt");
    assert!(
        line.contains(" 1536.23kB  3.15%  3.15% 16438.41kB 33.70%                | net/http.(*Transport).dialConn\n")
    );
    assert_eq!((w.flat_text.get(0), w.flat_pct.get(0)), ("1536.23kB", "3.15%"));
    assert_eq!((w.cum_text.get(0), w.cum_pct.get(0)), ("16438.41kB", "33.70%"));
    assert_eq!(w.callers_tx, "ffi:net/http.(*Transport).dialConn");
    assert_eq!(w.callees_tx, "ff:net/http.(*Transport).dialConn");
    // Both halves carry the function's cum at their root.
    for tx in [&w.callers_tx, &w.callees_tx] {
        let f = s.flame(&ids, &Options { tx: tx.clone(), ..o.clone() }, 0, 0.0).unwrap();
        assert_eq!(f.value.0[0], w.cum.0[0], "{tx}");
    }
    // Named exactly, the other match is chosen; nothing matching says so.
    let w = s.sandwich(&ids, &o, "dialConn", "net/http.(*Transport).dialConnFor").unwrap();
    assert_eq!(w.name.get(w.chosen as usize), "net/http.(*Transport).dialConnFor");
    assert_eq!(s.sandwich(&ids, &o, "^nothing$", "").unwrap().chosen, -1);
    assert!(s.sandwich(&ids, &o, "(", "").unwrap_err().0.starts_with("failed to compile regexp ("));
}

#[test]
fn merge_export_is_pprofs_merge_and_pgo_takes_only_cpu_profiles() {
    let (mut s, ids) = session(&["cpu_t0.pb.gz", "cpu_t1.pb.gz", "heap_t1.pb.gz"]);
    let m = s.merge_export(&ids[..2], true).unwrap();
    let back = profdrop::decode::decode(&m.bytes.0, &Default::default()).unwrap();
    let merged = s.merged(&ids[..2], false).unwrap();
    assert_eq!(back.totals(), merged.totals());
    assert_eq!(
        m.summary,
        format!(
            "2 profiles merged: {} samples; totals samples/count 109, cpu/nanoseconds 1090000000",
            back.samples.len()
        )
    );
    // Go 1.19 wrote no start lines: the compiler would reject the file, and we say so.
    assert_eq!(m.warnings.len(), 2);
    assert!(m.warnings[0].contains("cpu_t0.pb.gz: no function has a start line"));
    let e = s.merge_export(&ids, true).unwrap_err().0;
    assert!(e.starts_with("heap_t1.pb.gz: not a CPU profile (sample types alloc_objects/count"), "{e}");
    // Without --pgo, any profiles pprof can merge.
    assert!(s.merge_export(&ids[2..], false).unwrap().warnings.is_empty());
    assert!(s.merge_export(&[], false).is_err());
}

#[test]
fn details_and_file_times() {
    let (mut s, ids) = session(&["heap_t1.pb.gz", "goroutine_t0.debug2.txt"]);
    let d = s.details(ids[0]).unwrap();
    assert_eq!(d.kind, "heap");
    assert!(d.samples > 0);
    // A profile with its own time keeps it; a text dump takes its file's date.
    assert_eq!(s.set_file_time(ids[0], 1.8e12).unwrap(), None);
    assert_eq!(s.set_file_time(ids[1], f64::NAN).unwrap(), None);
    let t = s.set_file_time(ids[1], 1_800_000_000_000.0).unwrap().unwrap();
    assert_eq!(t.file_time_nanos, 1.8e18);
    assert!(t.file_time_text.contains("2027"), "{}", t.file_time_text);
}

#[test]
fn comparisons_are_pprofs_diff_with_both_sides() {
    let (mut s, ids) = session(&["allocs_t0.pb.gz", "allocs_t1.pb.gz", "cpu_t1.pb.gz", "heap_t1.pb.gz"]);
    let (b, t) = (ids[0], ids[1]);
    let o = Options { sample_index: "alloc_space".into(), ..opts() };
    // Allocations are counted since the start: the default mode is pprof's -base.
    let m = s.compare_default_mode(t, &o).unwrap();
    assert_eq!((m.mode, m.kind), ("base", "allocs"));
    let d = s.compare_top(b, t, "", &o).unwrap();
    assert_eq!(d.mode, "base");
    let want = reference("allocs_t1.pb.gz.pprof_top_base=allocs_t0.pb.gz_sample_index=alloc_space.txt");
    let first = want.lines().skip_while(|l| !l.trim_start().starts_with("flat")).nth(1).unwrap();
    assert!(first.starts_with(&format!("{:>10}", d.flat_text.get(0))), "{first}");
    assert!(first.ends_with(d.name.get(0)));
    for i in 0..d.rows as usize {
        assert_eq!(d.flat.0[i], d.target_flat.0[i] - d.base_flat.0[i], "row {i}");
    }
    assert_eq!(d.delta_total, d.target_total - d.base_total);
    // Both profiles carry their time: a rate per minute.
    assert!(d.minutes.unwrap() > 0.0);
    assert!(d.flat_rate_text.is_some() && d.total_rate_text.is_some());
    assert_eq!(d.time_text.len(), 2);
    // By cum, and the search.
    let c = s.compare_top(b, t, "", &Options { cum: true, ..o.clone() }).unwrap();
    assert_eq!(c.rows, c.name.len() as u32);
    let m = s.compare_top_match(b, t, "", &o, "json").unwrap();
    assert_eq!(m.0.iter().filter(|&&x| x == 1).count(), all(&d.name).iter().filter(|n| n.contains("json")).count());
    // The differential flame graph: per box both sides, value = target − base.
    let f = s.compare_flame(b, t, "", &o, 0, 0.0).unwrap();
    for i in 0..f.base.0.len() {
        assert_eq!(f.flame.value.0[i], f.target.0[i] - f.base.0[i]);
        assert!((-1.0..=1.0).contains(&f.change.0[i]));
    }
    let fs = s.compare_flame_search("encoding/json").unwrap();
    assert_eq!(fs.0.len(), f.flame.name.len());
    assert!(fs.0.contains(&1));
    let desc = s.compare_describe(100.0, 150.0).unwrap();
    assert_eq!(desc.change, "+50.0%");
    let st = s.compare_stacks(b, t, "", &o, 3).unwrap();
    assert!(st.new.len() <= 3 && st.gone.len() <= 3);
    assert!(st.new.iter().all(|r| !r.frames.is_empty() && !r.text.is_empty()));
    // Modes by name; a wrong one, and profiles of different kinds, are errors.
    assert_eq!(s.compare_top(b, t, "diff_base", &o).unwrap().mode, "diff_base");
    assert!(s.compare_top(b, t, "sideways", &o).unwrap_err().0.starts_with("unknown comparison mode"));
    assert!(s.compare_top(ids[2], t, "", &opts()).is_err());
    // Groups: heap and allocs together, oldest first; the CPU profile alone is no group.
    let g = s.compare_groups(&ids).unwrap();
    assert_eq!(g.len(), 1);
    assert_eq!(g[0].ids.0.len(), 3);
    assert_eq!(g[0].ordered_by, "time");
    let times: Vec<i64> = g[0].ids.0.iter().map(|&id| s.profile(id).unwrap().time_nanos).collect();
    assert!(times.windows(2).all(|w| w[0] <= w[1]));
    // Each member's main binary, so that the page never pairs two programs by default.
    assert_eq!(g[0].binaries.len(), 3);
    // (the three captures are of one program)
    assert!(!g[0].binaries[0].is_empty());
    assert!(g[0].binaries.windows(2).all(|w| w[0] == w[1]), "{:?}", g[0].binaries);
}

#[test]
fn growth_orders_by_time_and_projects_to_a_limit() {
    let (mut s, ids) = session(&["heap_t1.pb.gz", "heap_t0.pb.gz"]);
    let g = s.growth(&ids, &opts(), "100GB", 5).unwrap();
    assert_eq!(g.ids.0, vec![ids[1], ids[0]]);
    assert_eq!(g.snapshots, 2);
    assert!(g.rows <= 5 && g.row_count >= g.rows);
    assert_eq!(g.values.0.len(), g.rows as usize * 2);
    assert_eq!(g.value_text.len(), g.values.0.len());
    assert!(g.projection.is_some());
    assert_eq!(g.limit_text.as_deref(), Some("100GB"));
    let bad = s.growth(&ids, &opts(), "lots", 5).unwrap();
    assert_eq!(bad.limit_error.as_deref(), Some("\"lots\" is not a limit (e.g. 1GiB, 512MB, 30000)"));
    // Text dumps without file dates have no time: growth says which.
    let h = s.load("g0", &go("goroutine_t0.debug2.txt")).unwrap().id;
    let h2 = s.load("g1", &go("goroutine_t1.debug2.txt")).unwrap().id;
    let e = s.growth(&[h, h2], &opts(), "", 5).unwrap_err();
    assert!(e.0.starts_with(&format!("growth needs the time of every snapshot: profile {h} has none")), "{e}");
    // Files' dates less than a second apart are not used, and the note says why.
    s.set_file_time(h, 1_800_000_000_000.0).unwrap();
    s.set_file_time(h2, 1_800_000_000_500.0).unwrap();
    let e = s.growth(&[h, h2], &opts(), "", 5).unwrap_err();
    assert!(e.0.contains("less than a second apart"), "{e}");
    s.set_file_time(h2, 1_800_000_060_000.0).unwrap();
    let g = s.growth(&[h, h2], &opts(), "", 5).unwrap();
    assert_eq!(g.from_file.0, vec![1, 1]);
    assert_eq!(g.minutes_text, vec!["0 s", "1.0 min"]);
}

#[test]
fn goroutines_diffs_and_findings() {
    let (mut s, ids) = session(&["goroutine_t0.debug2.txt", "goroutine_t1.debug2.txt", "heap_t1.pb.gz"]);
    let v = s.goroutines(&ids[1..2], "pointers", true, 3).unwrap();
    assert!(v.view.groups.len() <= 3);
    assert!(v.row_count as usize >= v.view.groups.len());
    assert_eq!(v.share_text.len(), v.view.groups.len());
    assert_eq!(v.rules_text.len(), v.view.background_rules.len());
    assert!(s.goroutines(&ids[1..2], "fuzzy", false, 3).unwrap_err().0.contains("unknown similarity"));
    // A heap profile holds no goroutines.
    assert!(s.goroutines(&ids[2..], "pointers", false, 3).is_err());
    let d = s.goroutine_compare(ids[0], ids[1], "pointers", 5.0, 4).unwrap();
    assert!(d.diff.by_id);
    assert_eq!(d.interval_from, "entered");
    assert!(d.diff.rows.len() <= 4 && d.row_count as usize >= d.diff.rows.len());
    let d = s.goroutine_compare(ids[0], ids[1], "pointers", f64::NAN, 4).unwrap();
    assert_eq!(d.interval_from, "");
    s.set_file_time(ids[0], 1_800_000_000_000.0).unwrap();
    s.set_file_time(ids[1], 1_800_000_600_000.0).unwrap();
    let d = s.goroutine_compare(ids[0], ids[1], "pointers", f64::NAN, 4).unwrap();
    assert_eq!(d.interval_from, "the files' dates");
    let f = s.findings("10000", "1GiB").unwrap();
    assert_eq!((f.goroutine_profiles, f.heap_profiles), (2, 1));
    assert_eq!(f.stack_profiles.len(), f.findings.len());
    assert!(f.errors.is_empty());
    assert!(f.rules > 0);
    let f = s.findings_of(&ids[..1], "many", "").unwrap();
    assert_eq!((f.goroutine_profiles, f.heap_profiles), (1, 0));
    assert_eq!(f.errors, vec!["goroutine limit \"many\" is not a number (e.g. 1GiB, 512MB, 30000)"]);
}

#[test]
fn exports_and_redaction() {
    let (mut s, ids) = session(&["allocs_t0.pb.gz", "allocs_t1.pb.gz"]);
    let o = Options { sample_index: "alloc_space".into(), ..opts() };
    let top = s.top(&ids[1..], &o).unwrap();
    let csv = s.top_export(&ids[1..], &o, "csv").unwrap();
    assert_eq!(csv.lines().count(), top.rows as usize + 1);
    assert!(s.top_export(&ids[1..], &o, "xml").is_err());
    let d = s.compare_top(ids[0], ids[1], "", &o).unwrap();
    let csv = s.compare_export(ids[0], ids[1], "", &o, "csv").unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "flat,flat%,sum%,cum,cum%,base flat,target flat,flat change,base cum,target cum,cum change,presence,name"
    );
    assert_eq!(lines.len(), d.rows as usize + 1);
    assert!(lines[1].starts_with(&format!("{},{},", d.flat_text.get(0), d.flat_pct.get(0))));
    let md = s.compare_export(ids[0], ids[1], "", &o, "markdown").unwrap();
    assert!(md.lines().nth(1).unwrap().starts_with("|---:|"));
    assert!(s.compare_export(ids[0], ids[1], "", &o, "xml").unwrap_err().0.starts_with("unknown export format"));
    // Profiles out as pprof bytes that decode again.
    let limits = profdrop::decode::Limits::default();
    let p = profdrop::decode::decode(&s.export_pprof(&ids[1..], &o).unwrap(), &limits).unwrap();
    assert!((0..p.num_types()).any(|i| p.sample_type_name(i) == "alloc_space"));
    assert!(!p.samples.is_empty());
    // A -diff_base profile: the base's samples carry pprof's `pprof::base` label.
    let bytes = s.compare_export_pprof(ids[0], ids[1], "diff_base", &o).unwrap();
    let diff = profdrop::decode::decode(&bytes, &limits).unwrap();
    let based = (0..diff.samples.len())
        .filter(|&i| diff.sample_labels(i).strs.iter().any(|(k, _)| diff.str(*k) == "pprof::base"))
        .count();
    assert!(based > 0 && based < diff.samples.len(), "{based} of {}", diff.samples.len());
    let r = RedactOptions { function_names: true, ..Default::default() };
    let names = |p: &profdrop::model::Profile| -> Vec<String> {
        (0..p.functions.len()).map(|i| p.str(p.functions[i].name).to_string()).collect()
    };
    assert!(names(s.profile(ids[0]).unwrap()).iter().any(|n| n.starts_with("main.")));
    let red = profdrop::decode::decode(&s.redacted(ids[0], &r).unwrap(), &limits).unwrap();
    assert!(!names(&red).iter().any(|n| n.starts_with("main.")));
    assert!(!s.redaction_kept(&r).is_empty());
    assert_ne!(s.redaction_kept(&r), s.redaction_kept(&RedactOptions::default()));
}

#[test]
fn merges_with_provenance_label_each_file() {
    let (s, ids) = session(&["heap_t0.pb.gz", "heap_t1.pb.gz"]);
    let p = s.merged(&ids, true).unwrap();
    let files: std::collections::BTreeSet<String> = (0..p.samples.len())
        .flat_map(|i| {
            p.sample_labels(i)
                .strs
                .iter()
                .filter(|(k, _)| p.str(*k) == "file")
                .map(|(_, v)| p.str(*v).to_string())
                .collect::<Vec<_>>()
        })
        .collect();
    assert_eq!(files.into_iter().collect::<Vec<_>>(), vec!["heap_t0.pb.gz", "heap_t1.pb.gz"]);
}

#[test]
fn results_serialize_with_plain_arrays_natively() {
    let (mut s, ids) = session(&["heap_t1.pb.gz"]);
    let t = s.top(&ids, &opts()).unwrap();
    let v = serde_json::to_value(&t).unwrap();
    assert_eq!(v["rows"], t.rows);
    assert_eq!(v["flat"].as_array().unwrap().len(), t.rows as usize);
    assert_eq!(v["name"]["offsets"].as_array().unwrap().len(), t.rows as usize + 1);
    assert_eq!(v["sample_type"], "inuse_space");
}

/// The CLI's `--table`: the top table, or with one base the diff table, as
/// the page exports them; the diff table's pprof columns are pprof's `-base` rows.
#[test]
fn cli_exports_the_top_and_diff_tables() {
    let dir = common::go_fixtures();
    let f = |n: &str| dir.join(n).to_string_lossy().into_owned();
    let args = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let out = profdrop::cli::run(&args(&[
        "top",
        "--sample_index=alloc_space",
        &format!("--base={}", f("allocs_t0.pb.gz")),
        "--table=csv",
        &f("allocs_t1.pb.gz"),
    ]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let want = reference("allocs_t1.pb.gz.pprof_top_base=allocs_t0.pb.gz_sample_index=alloc_space.txt");
    let rows: Vec<&str> = want.lines().skip_while(|l| !l.trim_start().starts_with("flat")).skip(1).collect();
    let csv: Vec<&str> = out.stdout.lines().collect();
    assert!(csv[0].starts_with("flat,flat%,sum%,cum,cum%,base flat,"));
    assert_eq!(csv.len(), rows.len() + 1);
    for (line, row) in rows.iter().zip(&csv[1..]) {
        let want: Vec<&str> = line.split_whitespace().take(5).collect();
        let got: Vec<&str> = row.splitn(6, ',').take(5).collect();
        assert_eq!(got, want, "{row}");
    }
    // Markdown, and the plain top table of one file.
    let md = profdrop::cli::run(&args(&[
        "top",
        &format!("--diff_base={}", f("heap_t0.pb.gz")),
        "--table=markdown",
        &f("heap_t1.pb.gz"),
    ]));
    assert_eq!(md.code, 0, "{}", md.stderr);
    assert!(md.stdout.starts_with("| flat | flat% | sum% | cum | cum% | base flat |"));
    let top = profdrop::cli::run(&args(&["top", "--table=csv", &f("heap_t1.pb.gz")]));
    assert_eq!(top.stdout.lines().next(), Some("flat,flat%,sum%,cum,cum%,name"), "{}", top.stdout);
    // Only for top, one base with one file, and a known format.
    let bad = profdrop::cli::run(&args(&["tree", "--table=csv", &f("heap_t1.pb.gz")]));
    assert_eq!((bad.code, bad.stderr.lines().next()), (2, Some("profdrop: --table is for the top report")));
    let two = profdrop::cli::run(&args(&[
        "top",
        &format!("--base={}", f("allocs_t0.pb.gz")),
        "--table=csv",
        &f("allocs_t1.pb.gz"),
        &f("allocs_t1.pb.gz"),
    ]));
    assert_eq!(two.code, 2);
    let xml = profdrop::cli::run(&args(&["top", "--table=xml", &f("heap_t1.pb.gz")]));
    assert_eq!(xml.code, 1);
    assert!(xml.stderr.contains("csv or markdown"), "{}", xml.stderr);
}

#[test]
fn names_are_demangled_and_searches_match_the_system_names_too() {
    // A Go -race CPU profile: the race runtime's C++ names are mangled.
    let race = common::read(common::fixtures().join("parity/go119-race.cpu.pprof"));
    let mut s = Session::new();
    let id = s.load("race.cpu.pprof", &race).unwrap().id;
    let o = opts();
    let t = s.top(&[id], &o).unwrap();
    let names = all(&t.name);
    assert!(names.contains(&"__tsan::SlotLock"), "{names:?}");
    assert!(names.iter().all(|n| !n.starts_with("_Z")), "{names:?}");
    for pattern in ["^__tsan::SlotLock$", "^_ZN6__tsan8SlotLockEPNS_11ThreadStateE$"] {
        let m = s.top_match(&[id], &o, pattern).unwrap();
        let hits: Vec<&str> = names.iter().zip(&m.0).filter(|(_, &x)| x == 1).map(|(n, _)| *n).collect();
        assert_eq!(hits, ["__tsan::SlotLock"], "{pattern}");
    }
    // Only the mangled names hold `_ZN6__tsan`: it finds the __tsan:: functions, in the flame graph too.
    let m = s.top_match(&[id], &o, "^_ZN6__tsan").unwrap();
    let hits: Vec<&str> = names.iter().zip(&m.0).filter(|(_, &x)| x == 1).map(|(n, _)| *n).collect();
    assert!(hits.len() >= 3 && hits.iter().all(|n| n.starts_with("__tsan::")), "{hits:?}");
    let f = s.flame_search(&[id], &o, "^_ZN6__tsan8SlotLock").unwrap();
    let row = names.iter().position(|n| *n == "__tsan::SlotLock").unwrap();
    assert_eq!(f.pct, t.cum_pct.get(row));
    assert!(f.frames.0.contains(&1));
}
