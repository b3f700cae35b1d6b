//! One process state, several formats: the text dumps must tell the same
//! story as the binary profiles fetched seconds apart from the same program.
//!
//! - tests/fixtures/go (Go 1.19.8, t0 and t1): the goroutine debug=1 text
//!   totals its header; every non-runtime function with a cum of at least 1%
//!   has a cum within 3% of the binary goroutine profile's; the debug=2 dump
//!   has one goroutine per `goroutine N [` header and per-function counts
//!   within 3% of debug=1; heap debug=1, un-sampled, has the inuse_space and
//!   alloc_space totals of the binary *allocs* profile to pprof's printed
//!   precision (see `heap_text_matches_the_binary_of_its_gc_cycle` for why
//!   allocs and not heap); block, mutex and threadcreate debug=1 have the
//!   binary profiles' totals.
//! - DataDog/go-profiler-notes `examples/goroutine` (the same snapshot via
//!   net/http/pprof, pprof.Lookup and runtime.Stack; CC-BY-SA, so read from
//!   ../shared only, in the `shared_` suite).

mod common;
use common::*;
use profdrop::decode::{decode, Limits};
use profdrop::model::Profile;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

fn load(path: &Path) -> Profile {
    decode(&read(path), &Limits::default()).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// pprof's cum per function: each sample counts once for every function on its stack.
fn function_cums(p: &Profile, index: usize) -> BTreeMap<String, i64> {
    let mut cum = BTreeMap::new();
    for i in 0..p.samples.len() {
        let v = p.sample_values(i)[index];
        let mut seen = BTreeSet::new();
        for &l in p.sample_stack(i) {
            for line in &p.location(l).lines {
                seen.insert(p.str(p.function(line.function).name).to_string());
            }
        }
        for f in seen {
            *cum.entry(f).or_insert(0) += v;
        }
    }
    cum
}

fn total(p: &Profile, index: usize) -> i64 {
    p.totals()[index]
}

/// Every non-runtime function at >= 1% of either total must agree within
/// 3% (and, for the tiny dumps of go-profiler-notes, within one goroutine:
/// each format is written by a different request, whose own goroutine runs
/// different code).
fn compare_cums(what: &str, got: &Profile, want: &Profile, failures: &mut Vec<String>) -> usize {
    let (g, w) = (function_cums(got, 0), function_cums(want, 0));
    let (gt, wt) = (total(got, 0), total(want, 0));
    let names: BTreeSet<&String> = g
        .iter()
        .filter(|(_, &v)| v * 100 >= gt)
        .chain(w.iter().filter(|(_, &v)| v * 100 >= wt))
        .map(|(k, _)| k)
        .filter(|k| !k.starts_with("runtime."))
        .collect();
    for name in &names {
        let (a, b) = (*g.get(*name).unwrap_or(&0), *w.get(*name).unwrap_or(&0));
        let tolerance = ((b as f64) * 0.03).max(1.0);
        if ((a - b).abs() as f64) > tolerance {
            failures.push(format!("{what}: {name}: cum {a}, reference {b}"));
        }
    }
    names.len()
}

fn header_total(path: &Path) -> i64 {
    let text = String::from_utf8_lossy(&read(path)).into_owned();
    let first = text.lines().next().unwrap();
    first.rsplit(' ').next().unwrap().parse().unwrap()
}

fn header_count(path: &Path) -> usize {
    String::from_utf8_lossy(&read(path)).lines().filter(|l| l.starts_with("goroutine ") && l.contains(" [")).count()
}

/// The goroutine checks for one snapshot: debug=1 vs binary, debug=2 vs debug=1.
fn goroutine_formats(name: &str, binary: &Path, debug1: &Path, debug2: &Path, failures: &mut Vec<String>) -> usize {
    let (b, d1, d2) = (load(binary), load(debug1), load(debug2));
    if total(&d1, 0) != header_total(debug1) {
        failures.push(format!("{name}: debug=1 total {} but its header says {}", total(&d1, 0), header_total(debug1)));
    }
    let n2 = d2.goroutines.as_ref().unwrap().goroutines.len();
    if n2 != header_count(debug2) || total(&d2, 0) != n2 as i64 {
        failures.push(format!(
            "{name}: debug=2 has {n2} goroutines (total {}), {} headers",
            total(&d2, 0),
            header_count(debug2)
        ));
    }
    for (what, p) in [("debug=1", &d1), ("debug=2", &d2)] {
        if !p.warnings.is_empty() {
            failures.push(format!("{name} {what}: warnings {:?}", p.warnings));
        }
    }
    compare_cums(&format!("{name} debug=1 vs binary"), &d1, &b, failures)
        + compare_cums(&format!("{name} debug=2 vs debug=1"), &d2, &d1, failures)
}

#[test]
fn goroutine_text_agrees_with_the_binary_profile() {
    let dir = go_fixtures();
    let mut failures = Vec::new();
    let mut checked = 0;
    for s in ["t0", "t1"] {
        checked += goroutine_formats(
            s,
            &dir.join(format!("goroutine_{s}.pb.gz")),
            &dir.join(format!("goroutine_{s}.debug1.txt")),
            &dir.join(format!("goroutine_{s}.debug2.txt")),
            &mut failures,
        );
    }
    assert!(checked >= 40, "only {checked} functions were above the 1% floor");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Header labels of `profdrop top`: what pprof prints as "of X total".
fn printed_total(p: &Profile, index: &str) -> String {
    let o = profdrop::report::Options { sample_index: index.to_string(), nodecount: Some(1), ..Default::default() };
    let mut r = profdrop::report::Report::new(p, profdrop::report::ReportKind::Top, &o).unwrap();
    r.utc = true;
    let text = profdrop::report::top::render_text(&mut r);
    let line = text.lines().find(|l| l.starts_with("Showing nodes accounting for")).unwrap();
    line[line.rfind(" of ").unwrap() + 4..].to_string()
}

/// The heap endpoints all report the heap as of the last completed GC. Each
/// snapshot fetched heap.pb.gz, then heap?debug=1, then allocs.pb.gz: here a
/// GC completed between the first two and none between the last two, so the
/// text matches the allocs binary exactly and the heap binary only roughly
/// (by several percent). The allocs binary holds the same four sample types.
#[test]
fn heap_text_matches_the_binary_of_its_gc_cycle() {
    let dir = go_fixtures();
    for s in ["t0", "t1"] {
        let text = load(&dir.join(format!("heap_{s}.debug1.txt")));
        let allocs = load(&dir.join(format!("allocs_{s}.pb.gz")));
        assert_eq!(text.source_format, profdrop::model::SourceFormat::HeapDebug1);
        assert!(text.warnings.is_empty(), "{:?}", text.warnings);
        for index in ["inuse_space", "alloc_space", "inuse_objects", "alloc_objects"] {
            assert_eq!(printed_total(&text, index), printed_total(&allocs, index), "{s} {index}");
        }
        // The other binary differs: the comparison above is not vacuous.
        let heap = load(&dir.join(format!("heap_{s}.pb.gz")));
        assert_ne!(printed_total(&text, "inuse_space"), printed_total(&heap, "inuse_space"), "{s}");
        // The MemStats block, PauseNs array included.
        let ms: BTreeMap<&str, &str> = text.memstats.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        assert!(ms.contains_key("HeapAlloc") && ms.contains_key("NumGC"), "{s}: {:?}", ms.keys());
        let pause = ms["PauseNs"];
        assert!(pause.starts_with('[') && pause.ends_with(']') && pause.split(' ').count() == 256, "{s}: PauseNs");
        // Names come from the `#` lines: no address-only location is left.
        assert!(text.locations.iter().all(|l| !l.lines.is_empty()), "{s}: unnamed locations");
    }
}

#[test]
fn contention_and_threadcreate_text_have_the_binary_totals() {
    let dir = go_fixtures();
    for kind in ["block", "mutex", "threadcreate"] {
        for s in ["t0", "t1"] {
            let text = load(&dir.join(format!("{kind}_{s}.debug1.txt")));
            let binary = load(&dir.join(format!("{kind}_{s}.pb.gz")));
            assert!(text.warnings.is_empty(), "{kind} {s}: {:?}", text.warnings);
            let types = |p: &Profile| {
                (0..p.num_types())
                    .map(|i| format!("{}/{}", p.sample_type_name(i), p.sample_type_unit(i)))
                    .collect::<Vec<_>>()
            };
            assert_eq!(types(&text), types(&binary), "{kind} {s}");
            for i in 0..binary.num_types() {
                let name = binary.sample_type_name(i).to_string();
                assert_eq!(printed_total(&text, &name), printed_total(&binary, &name), "{kind} {s} {name}");
            }
            // The same stacks, named (cum of the first sample type).
            let mut f = Vec::new();
            compare_cums(&format!("{kind} {s}"), &text, &binary, &mut f);
            assert!(f.is_empty(), "{}", f.join("\n"));
        }
    }
}

/// go-profiler-notes' goroutine example: snapshots 1 and 2, each fetched
/// through net/http/pprof (debug=0/1/2) and pprof.Lookup (debug=0/1/2) plus
/// runtime.Stack.
#[test]
#[ignore = "reads CC-BY-SA fixtures from ../shared (run by the extra suite: --ignored shared_)"]
fn shared_go_profiler_notes_goroutine_formats() {
    let dir = shared_external().join("DataDog-go-profiler-notes/examples/goroutine");
    assert!(dir.exists(), "{} is missing", dir.display());
    let mut failures = Vec::new();
    for snap in ["1", "2"] {
        for via in ["net.http.pprof", "pprof.lookup"] {
            let f = |d: &str| dir.join(format!("{snap}.{via}.goroutine.{d}"));
            let name = format!("{snap}.{via}");
            goroutine_formats(&name, &f("debug0.pb.gz"), &f("debug1.txt"), &f("debug2.txt"), &mut failures);
            // The labels of debug=0 are the `# labels:` of debug=1.
            let (b, d1) = (load(&f("debug0.pb.gz")), load(&f("debug1.txt")));
            if label_counts(&b) != label_counts(&d1) {
                failures.push(format!("{name}: labels {:?} vs {:?}", label_counts(&b), label_counts(&d1)));
            }
            if label_counts(&d1).is_empty() {
                failures.push(format!("{name}: no labels read"));
            }
        }
        // runtime.Stack(all) is the same text as pprof.Lookup's debug=2.
        let stack = load(&dir.join(format!("{snap}.runtime.stack.txt")));
        let lookup = load(&dir.join(format!("{snap}.pprof.lookup.goroutine.debug2.txt")));
        compare_cums(&format!("{snap} runtime.Stack vs pprof.Lookup debug=2"), &stack, &lookup, &mut failures);
        assert_eq!(total(&stack, 0), total(&lookup, 0));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// (key, value) -> goroutines carrying it.
fn label_counts(p: &Profile) -> BTreeMap<(String, String), i64> {
    let mut m = BTreeMap::new();
    for i in 0..p.samples.len() {
        for &(k, v) in &p.sample_labels(i).strs {
            *m.entry((p.str(k).to_string(), p.str(v).to_string())).or_insert(0) += p.sample_values(i)[0];
        }
    }
    m
}

fn shared_external() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/fixtures/external")
}
