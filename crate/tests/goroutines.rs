//! The Goroutines view (view::goroutines).
//!
//! - tests/fixtures/go t1 (Go 1.19.8): groups of the debug=2 dump, summed by
//!   function-name stack (leaf first, `runtime.*` frames left out because
//!   debug=1 hides them), equal the debug=1 counts of the same snapshot
//!   within 3% for every stack holding at least 1% of the goroutines; the
//!   debug=1 counts are read by this test from the text itself, not by the
//!   decoder. The binary profile agrees the same way, and its states derived
//!   from runtime frames equal the states the dump printed.
//! - panicparse's bucketing cases (extracted/bucket/index.json): at the
//!   matching similarity (ExactLines = exact, AnyPointer = pointers, AnyValue
//!   = args) the groups hold exactly the expected goroutine ids, first bucket
//!   first, with the expected state, wait range, creator, frames and merged
//!   arguments (`*` where values differ); plus panicparse's generated
//!   100-goroutine dumps.
//! - The expected-background fold hides the accept loops and keeps every
//!   readLoop/writeLoop goroutine visible; every "not merged" reason names a
//!   difference that is really there; the creator roll-up adds up.

mod common;
use common::*;
use profdrop::decode::{decode, Limits};
use profdrop::model::Profile;
use profdrop::view::goroutines::{self, GoroutineGroup, GoroutinesView, Options, Similarity};
use std::collections::BTreeMap;
use std::path::Path;

fn load(path: &Path) -> Profile {
    decode(&read(path), &Limits::default()).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn view(p: &Profile, similarity: Similarity) -> GoroutinesView {
    goroutines::build(p, &Options { similarity, fold_background: false }).unwrap()
}

/// Function names of a group, leaf first, without `runtime.` frames.
fn key_of(g: &GoroutineGroup) -> Vec<String> {
    g.frames.iter().map(|f| f.function.clone()).filter(|f| !f.starts_with("runtime.")).collect()
}

fn by_key(v: &GoroutinesView) -> BTreeMap<Vec<String>, i64> {
    let mut m = BTreeMap::new();
    for g in &v.groups {
        *m.entry(key_of(g)).or_insert(0) += g.count;
    }
    m
}

/// debug=1 text read directly: `N @ addrs` then `#\t0xADDR\tfunc+0xOFF\tfile:line`
/// lines; records with the same function names (labels differ) are summed.
fn debug1_counts(path: &Path) -> (i64, BTreeMap<Vec<String>, i64>) {
    let text = String::from_utf8(read(path)).unwrap();
    let mut total = 0;
    let mut m = BTreeMap::new();
    let mut cur: Option<(i64, Vec<String>)> = None;
    for line in text.lines().chain(std::iter::once("")) {
        if let Some(rest) = line.strip_prefix("goroutine profile: total ") {
            total = rest.trim().parse().unwrap();
        } else if let Some((n, _)) = line.split_once(" @ ") {
            cur = Some((n.parse().unwrap(), Vec::new()));
        } else if let Some(rest) = line.strip_prefix("#\t") {
            let func = rest.split('\t').nth(1).unwrap();
            let name = func.rsplit_once("+0x").map_or(func, |(n, _)| n);
            if !name.starts_with("runtime.") {
                cur.as_mut().unwrap().1.push(name.to_string());
            }
        } else if line.trim().is_empty() {
            if let Some((n, k)) = cur.take() {
                *m.entry(k).or_insert(0) += n;
            }
        }
    }
    (total, m)
}

/// Every stack holding >= 1% of either side agrees within 3%; returns how many were compared.
fn agree_within_3_percent(what: &str, got: &BTreeMap<Vec<String>, i64>, want: &BTreeMap<Vec<String>, i64>) -> usize {
    let (gt, wt): (i64, i64) = (got.values().sum(), want.values().sum());
    let mut compared = 0;
    let mut bad = Vec::new();
    for k in got.keys().chain(want.keys()) {
        let (a, b) = (got.get(k).copied().unwrap_or(0), want.get(k).copied().unwrap_or(0));
        if a * 100 < gt && b * 100 < wt {
            continue;
        }
        compared += 1;
        if ((a - b).abs() as f64) > 0.03 * a.max(b) as f64 {
            bad.push(format!("{} vs {} for {:?}", a, b, k.first()));
        }
    }
    assert!(bad.is_empty(), "{what}: {bad:#?}");
    compared
}

#[test]
fn debug2_groups_equal_debug1_counts_within_3_percent() {
    let dir = go_fixtures();
    let (total1, want) = debug1_counts(&dir.join("goroutine_t1.debug1.txt"));
    assert_eq!(total1, 5087);
    assert_eq!(want.values().sum::<i64>(), total1, "the test's own debug=1 reading adds up to its header");
    let dump = load(&dir.join("goroutine_t1.debug2.txt"));
    for sim in [Similarity::Args, Similarity::Pointers] {
        let v = view(&dump, sim);
        assert_eq!(v.total, 5089);
        assert!(v.tracebacks);
        let n = agree_within_3_percent(&format!("debug=2 at {sim:?}"), &by_key(&v), &want);
        // idle server connections, readLoop, writeLoop
        assert!(n >= 3, "only {n} stacks compared");
    }
    // The same view on the debug=1 text itself gives exactly its counts.
    let v1 = view(&load(&dir.join("goroutine_t1.debug1.txt")), Similarity::Pointers);
    assert!(!v1.tracebacks);
    assert_eq!(by_key(&v1), want);
    // And the binary profile of the same snapshot, runtime frames left out.
    let vb = view(&load(&dir.join("goroutine_t1.pb.gz")), Similarity::Pointers);
    assert!(agree_within_3_percent("binary", &by_key(&vb), &want) >= 3);
}

#[test]
fn states_derived_from_runtime_frames_match_the_dump() {
    let dir = go_fixtures();
    let dump = view(&load(&dir.join("goroutine_t1.debug2.txt")), Similarity::Args);
    let bin = view(&load(&dir.join("goroutine_t1.pb.gz")), Similarity::Args);
    let printed: BTreeMap<Vec<String>, String> =
        dump.groups.iter().map(|g| (key_of(g), g.states[0].state.clone())).collect();
    let mut compared = 0;
    for g in bin.groups.iter().filter(|g| g.share >= 0.01) {
        assert_eq!(g.states.len(), 1, "one derived state per stack");
        assert_eq!(Some(&g.states[0].state), printed.get(&key_of(g)), "{:?}", key_of(g).first());
        compared += 1;
    }
    assert_eq!(compared, 3);
}

#[test]
fn merged_dumps_keep_their_states() {
    // Two dumps merged lose their per-goroutine table; the state label still gives the states.
    let (a, b) =
        (load(&go_fixtures().join("goroutine_t0.debug2.txt")), load(&go_fixtures().join("goroutine_t1.debug2.txt")));
    let m = profdrop::transform::merge::merge(&[&a, &b]).unwrap();
    assert!(m.goroutines.is_none());
    let v = view(&m, Similarity::Pointers);
    assert!(!v.tracebacks);
    assert_eq!(v.total, 890 + 5089);
    assert!(v.groups.iter().all(|g| g.labels.is_empty() && g.states.iter().all(|s| s.state != "unknown")));
    let write = v.groups.iter().find(|g| has_frame(g, WRITE_LOOP)).unwrap();
    assert_eq!(write.states[0].state, "select");
}

#[test]
fn labels_of_binary_profiles_are_listed_with_counts() {
    let v = view(&load(&go_fixtures().join("goroutine_t1.pb.gz")), Similarity::Pointers);
    let read = v
        .groups
        .iter()
        .find(|g| g.frames.iter().any(|f| f.function == "net/http.(*persistConn).readLoop") && g.count > 100)
        .unwrap();
    let labels: Vec<(String, String, i64)> =
        read.labels.iter().map(|l| (l.key.clone(), l.value.clone(), l.count)).collect();
    assert_eq!(
        labels,
        vec![("route".into(), "inventory".into(), 1682), ("route".into(), "inventory-pooled".into(), 8)]
    );
    assert_eq!(read.states[0].state, "IO wait");
    assert_eq!(read.first_user_frame, None);
    assert_eq!(read.entry.as_deref(), Some("net/http.(*persistConn).readLoop"));
}

// ---------------------------------------------------------------------------
// panicparse's bucketing.

fn panicparse_dir() -> std::path::PathBuf {
    fixtures().join("external/maruel-panicparse")
}

fn json_func(call: &serde_json::Value) -> String {
    match &call["Func"] {
        serde_json::Value::String(s) => s.clone(),
        f => f["Complete"].as_str().unwrap().to_string(),
    }
}

/// An argument list as panicparse prints a merged signature: `*` for
/// differing values, numbers as printed (0-9 in decimal, else hex); names
/// like `#1` only label repeated pointers, the dump shows their value.
fn json_args(args: &serde_json::Value) -> String {
    let Some(values) = args["Values"].as_array() else { return String::new() };
    let mut parts: Vec<String> = values
        .iter()
        .map(|a| {
            if a["IsAggregate"].as_bool() == Some(true) {
                format!("{{{}}}", json_args(&a["Fields"]))
            } else if a["Name"].as_str() == Some("*") {
                "*".into()
            } else {
                let v = a["Value"].as_u64().unwrap_or(0);
                if v < 10 {
                    v.to_string()
                } else {
                    format!("{v:#x}")
                }
            }
        })
        .collect();
    if args["Elided"].as_bool() == Some(true) {
        parts.push("...".into());
    }
    parts.join(", ")
}

/// Our argument text (as the dump printed it) in panicparse's notation:
/// numbers below 10 in decimal, others in hex, without `?`.
fn panicparse_notation(args: &str) -> String {
    let mut out = String::new();
    let mut word = String::new();
    let flush = |w: &mut String, out: &mut String| {
        let t = w.trim_end_matches('?');
        let v = t.strip_prefix("0x").map(|h| u64::from_str_radix(h, 16).ok()).unwrap_or_else(|| t.parse().ok());
        match v {
            Some(v) if v < 10 => out.push_str(&v.to_string()),
            Some(v) => out.push_str(&format!("{v:#x}")),
            None => out.push_str(w),
        }
        w.clear();
    };
    for c in args.chars() {
        if matches!(c, '{' | '}' | ',' | ' ') {
            flush(&mut word, &mut out);
            out.push(c);
        } else {
            word.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}

#[test]
fn panicparse_buckets_at_the_matching_similarity() {
    let dir = panicparse_dir().join("extracted");
    let index: serde_json::Value = serde_json::from_slice(&read(dir.join("bucket/index.json"))).unwrap();
    let cases = index.as_array().unwrap();
    assert_eq!(cases.len(), 4);
    for case in cases {
        let name = case["test"].as_str().unwrap();
        let sim = match case["similarity"].as_str().unwrap() {
            "ExactLines" => Similarity::Exact,
            "AnyPointer" => Similarity::Pointers,
            "AnyValue" => Similarity::Args,
            s => panic!("{name}: no matching similarity for {s}"),
        };
        let v = view(&load(&dir.join(case["input_file"].as_str().unwrap())), sim);
        let want = case["want_buckets"].as_array().unwrap();
        let want_ids: Vec<Vec<u64>> =
            want.iter().map(|b| b["IDs"].as_array().unwrap().iter().map(|i| i.as_u64().unwrap()).collect()).collect();
        let mut got_ids: Vec<Vec<u64>> = v.groups.iter().map(|g| g.ids.clone()).collect();
        let mut sorted_want = want_ids.clone();
        got_ids.sort();
        sorted_want.sort();
        assert_eq!(got_ids, sorted_want, "{name}: groups");
        // panicparse lists the bucket of the first (panicking) goroutine first.
        assert_eq!(v.groups[0].ids, want_ids[0], "{name}: first bucket");
        for (b, ids) in want.iter().zip(&want_ids) {
            let g = v.groups.iter().find(|g| &g.ids == ids).unwrap();
            let sig = &b["Signature"];
            assert_eq!(g.first, b["First"].as_bool() == Some(true), "{name} {ids:?}: first");
            assert_eq!(g.states.len(), 1);
            assert_eq!(g.states[0].state, sig["State"].as_str().unwrap(), "{name} {ids:?}: state");
            let wait = [sig["SleepMin"].as_u64().unwrap_or(0) as u32, sig["SleepMax"].as_u64().unwrap_or(0) as u32];
            assert_eq!(g.wait_minutes, Some(wait), "{name} {ids:?}: wait range");
            match sig["CreatedBy"]["Calls"].as_array() {
                Some(calls) => {
                    let c = g.created_by.as_ref().unwrap();
                    assert_eq!(c.function, json_func(&calls[0]), "{name} {ids:?}: creator");
                    assert_eq!(c.line, calls[0]["Line"].as_i64().unwrap());
                }
                None => assert!(g.created_by.is_none(), "{name} {ids:?}: no creator"),
            }
            // Leaf first, as the dump prints them.
            let calls = sig["Stack"]["Calls"].as_array().unwrap();
            assert_eq!(g.frames.len(), calls.len(), "{name} {ids:?}: depth");
            for (f, c) in g.frames.iter().zip(calls) {
                assert_eq!(f.function, json_func(c));
                assert_eq!(f.line, c["Line"].as_i64().unwrap());
                assert_eq!(
                    panicparse_notation(f.args.as_deref().unwrap()),
                    json_args(&c["Args"]),
                    "{name} {ids:?}: arguments of {}",
                    f.function
                );
            }
        }
    }
}

#[test]
fn panicparse_generated_dumps_of_100_goroutines() {
    let dir = panicparse_dir().join("generated-go1.19.8-linux-amd64");
    let counts = |file: &str, sim| {
        let v = view(&load(&dir.join(file)), sim);
        v.groups.iter().map(|g| g.count).collect::<Vec<_>>()
    };
    // Identical sleepers: one group at every level; the panicking goroutine first.
    for sim in [Similarity::Exact, Similarity::Pointers, Similarity::Args] {
        assert_eq!(counts("goroutine_100.txt", sim), vec![1, 100], "{sim:?}");
    }
    // 100 goroutines that differ only in a pointer argument.
    assert_eq!(counts("goroutine_dedupe_pointers.txt", Similarity::Exact).len(), 101);
    assert_eq!(counts("goroutine_dedupe_pointers.txt", Similarity::Pointers), vec![1, 100]);
    assert_eq!(counts("goroutine_dedupe_pointers.txt", Similarity::Args), vec![1, 100]);
    let v = view(&load(&dir.join("goroutine_dedupe_pointers.txt")), Similarity::Pointers);
    assert_eq!(v.groups[1].frames[1].args.as_deref(), Some("*"));
    assert!(v.groups[0].first);
}

// ---------------------------------------------------------------------------
// Background, neighbours, roll-up.

fn has_frame(g: &GoroutineGroup, f: &str) -> bool {
    g.frames.iter().any(|x| x.function == f)
}

const READ_LOOP: &str = "net/http.(*persistConn).readLoop";
const WRITE_LOOP: &str = "net/http.(*persistConn).writeLoop";

#[test]
fn background_fold_hides_the_accept_loop_and_none_of_the_leak() {
    for file in ["goroutine_t1.debug2.txt", "goroutine_t1.pb.gz", "goroutine_t1.debug1.txt", "goroutine_t0.debug2.txt"]
    {
        let p = load(&go_fixtures().join(file));
        let open = goroutines::build(&p, &Options::default()).unwrap();
        let folded = goroutines::build(&p, &Options { fold_background: true, ..Options::default() }).unwrap();
        let bg = folded.background.as_ref().unwrap_or_else(|| panic!("{file}: nothing folded"));
        let accept =
            |g: &GoroutineGroup| has_frame(g, "net/http.(*Server).Serve") && has_frame(g, "internal/poll.(*FD).Accept");
        // Both servers' accept loops are folded, none is left visible.
        assert_eq!(bg.groups.iter().filter(|g| accept(g)).map(|g| g.count).sum::<i64>(), 2, "{file}");
        assert!(!folded.groups.iter().any(accept), "{file}");
        assert_eq!(bg.by_rule.iter().find(|r| r.state == "http-accept-loop").map(|r| r.count), Some(2), "{file}");
        // Nothing the leak is made of is folded: every readLoop/writeLoop goroutine stays visible.
        for f in [READ_LOOP, WRITE_LOOP] {
            let count = |gs: &[GoroutineGroup]| gs.iter().filter(|g| has_frame(g, f)).map(|g| g.count).sum::<i64>();
            assert!(count(&open.groups) > 100, "{file}");
            assert_eq!(count(&folded.groups), count(&open.groups), "{file}: {f}");
            assert_eq!(count(&bg.groups), 0, "{file}: {f}");
        }
        // Folding moves groups, it loses none.
        assert_eq!(folded.groups.iter().map(|g| g.count).sum::<i64>() + bg.count, open.total, "{file}");
        assert_eq!(folded.groups.len() + bg.groups.len(), open.groups.len(), "{file}");
        assert!(folded.groups.iter().all(|g| g.background.is_none()));
        assert_eq!(bg.by_rule.iter().map(|r| r.count).sum::<i64>(), bg.count);
    }
}

#[test]
fn background_rules_leave_user_code_alone() {
    // A finalizer goroutine running user code, and a signal loop: only the latter is background.
    let text = "goroutine 5 [chan receive]:\nmain.(*T).finalize(0x1)\n\t/app/t.go:10 +0x1\nruntime.runfinq()\n\t/go/src/runtime/mfinal.go:1 +0x1\n\n\
                goroutine 6 [syscall]:\nos/signal.signal_recv()\n\t/go/src/runtime/sigqueue.go:152 +0x1\nos/signal.loop()\n\t/go/src/os/signal/signal_unix.go:23 +0x1\n";
    let p = decode(text.as_bytes(), &Limits::default()).unwrap();
    let v = goroutines::build(&p, &Options { fold_background: true, ..Options::default() }).unwrap();
    assert_eq!(v.groups.len(), 1);
    assert_eq!(v.groups[0].first_user_frame.as_deref(), Some("main.(*T).finalize"));
    assert_eq!(v.background.as_ref().unwrap().by_rule[0].state, "signal-loop");
}

/// Every reason given names a difference that is there.
fn check_not_merged(v: &GoroutinesView) -> usize {
    let mut n = 0;
    for g in &v.groups {
        let Some(nm) = &g.not_merged else { continue };
        n += 1;
        assert_ne!(nm.neighbour, g.id);
        let o = v.groups.iter().find(|x| x.id == nm.neighbour).expect("the neighbour is a group");
        assert_ne!(nm.this, nm.other, "{}", nm.text);
        match nm.field {
            "function" => assert_eq!(g.frames[nm.frame.unwrap()].function, nm.this),
            "line" => {
                let f = &g.frames[nm.frame.unwrap()];
                assert_eq!(format!("{}:{}", f.file, f.line), nm.this);
            }
            "args" => assert_eq!(g.frames[nm.frame.unwrap()].args.as_deref(), Some(nm.this.as_str())),
            "depth" => assert_eq!(
                (g.frames.len().to_string(), o.frames.len().to_string()),
                (nm.this.clone(), nm.other.clone())
            ),
            "created_by" => assert_ne!(g.created_by, o.created_by),
            "frames_elided" => assert_ne!(g.frames_elided, o.frames_elided),
            "stack_unavailable" => assert_ne!(g.stack_unavailable, o.stack_unavailable),
            f => panic!("unknown field {f}"),
        }
    }
    n
}

#[test]
fn groups_say_why_they_did_not_merge() {
    let bucket = panicparse_dir().join("extracted/bucket");
    // Same frames, different pointers: at `exact` the arguments are the reason.
    let v = view(&load(&bucket.join("TestAggregateNotAggressive.txt")), Similarity::Exact);
    assert_eq!(v.groups.len(), 2);
    let nm = v.groups[0].not_merged.as_ref().unwrap();
    assert_eq!(
        (nm.field, nm.frame, nm.this.as_str(), nm.other.as_str()),
        ("args", Some(0), "{0x11000000, 2}, 3", "{0x21000000, 2}, 3")
    );
    assert_eq!(check_not_merged(&v), 2);
    // 11 and 55 differ in a small value; 52 lacks a frame and has another creator.
    let v = view(&load(&bucket.join("TestAggregateDeadlockPanic.txt")), Similarity::Pointers);
    let of = |id: u64| v.groups.iter().find(|g| g.ids == [id]).unwrap().not_merged.clone().unwrap();
    assert_eq!(
        (of(11).field, of(11).frame, of(11).this.as_str(), of(11).other.as_str()),
        ("args", Some(1), "0x3", "0x1")
    );
    assert_eq!(of(52).field, "depth");
    assert_eq!(check_not_merged(&v), 3);
    // Real dumps and profiles: every reason holds; most groups have one.
    for (file, sim) in [
        ("goroutine_t1.debug2.txt", Similarity::Exact),
        ("goroutine_t1.debug2.txt", Similarity::Pointers),
        ("goroutine_t1.pb.gz", Similarity::Pointers),
    ] {
        let v = view(&load(&go_fixtures().join(file)), sim);
        let n = check_not_merged(&v);
        assert!(n * 2 >= v.groups.len(), "{file} {sim:?}: {n} of {}", v.groups.len());
    }
}

#[test]
fn similarity_levels_nest() {
    // Looser levels only merge: fewer groups, same total, and each exact group inside one looser group.
    let p = load(&go_fixtures().join("goroutine_t1.debug2.txt"));
    let (e, ptr, a) = (view(&p, Similarity::Exact), view(&p, Similarity::Pointers), view(&p, Similarity::Args));
    assert!(
        e.groups.len() > ptr.groups.len() && ptr.groups.len() >= a.groups.len(),
        "{} {} {}",
        e.groups.len(),
        ptr.groups.len(),
        a.groups.len()
    );
    for (fine, coarse) in [(&e, &ptr), (&ptr, &a)] {
        assert_eq!(fine.total, coarse.total);
        for g in &fine.groups {
            assert!(coarse.groups.iter().any(|c| g.ids.iter().all(|id| c.ids.binary_search(id).is_ok())));
        }
    }
    assert_eq!(e.groups.iter().map(|g| g.ids.len() as i64).sum::<i64>(), e.total);
}

#[test]
fn creation_site_roll_up() {
    let v = view(&load(&go_fixtures().join("goroutine_t1.debug2.txt")), Similarity::Pointers);
    assert_eq!(v.by_creator.iter().map(|r| r.count).sum::<i64>(), v.total);
    let dial: Vec<_> = v.by_creator.iter().filter(|r| r.function == "net/http.(*Transport).dialConn").collect();
    assert_eq!(dial.len(), 2, "readLoop and writeLoop are started on two lines");
    let reads: i64 = v.groups.iter().filter(|g| has_frame(g, READ_LOOP)).map(|g| g.count).sum();
    assert_eq!(dial.iter().find(|r| r.line == 1751).unwrap().count, reads);
    assert!(v.by_creator.iter().any(|r| r.basis == "entry" && r.function == "main.main"));
    // Profiles have no creators: rows are the functions goroutines started in.
    let b = view(&load(&go_fixtures().join("goroutine_t1.pb.gz")), Similarity::Pointers);
    assert!(b.by_creator.iter().all(|r| r.basis == "entry"));
    assert_eq!(b.by_creator.iter().map(|r| r.count).sum::<i64>(), b.total);
}

#[test]
fn only_goroutine_profiles() {
    let e = goroutines::build(&load(&go_fixtures().join("heap_t1.pb.gz")), &Options::default()).unwrap_err();
    assert!(e.0.contains("goroutine profile"), "{e}");
}

#[test]
fn the_cli_prints_the_view() {
    let dir = go_fixtures();
    let f = dir.join("goroutine_t1.debug2.txt").to_string_lossy().into_owned();
    let run = |args: &[&str]| profdrop::cli::run(&args.iter().map(|s| s.to_string()).collect::<Vec<_>>());
    let o = run(&["goroutines", "--similarity=exact", &f]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let v = view(&load(&dir.join("goroutine_t1.debug2.txt")), Similarity::Exact);
    assert!(
        o.stdout.starts_with(&format!("5089 goroutines in {} groups (similarity exact", v.group_count)),
        "{}",
        &o.stdout[..200]
    );
    let o = run(&["goroutines", "--fold_background", &f]);
    assert!(o.stdout.contains("Expected background: "), "{}", o.stdout);
    assert!(o.stdout.contains("rule http-accept-loop"));
    let o = run(&["goroutines", "--similarity=loose", &f]);
    assert_eq!(o.code, 2);
}
