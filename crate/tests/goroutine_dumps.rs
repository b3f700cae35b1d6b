//! Goroutine dumps of every Go version (1.19 to 1.27 forms): no goroutine is
//! ever lost, header labels are labels, findings match wait classes, and the
//! runtime's proven leaks come first. Fixtures: tests/fixtures/godumps (real
//! Go 1.19 captures and their rewrites by rewrite.py, see its README) and
//! every dump under tests/fixtures.

mod common;
use common::*;
use profdrop::cli;
use profdrop::decode::{decode, Limits};
use profdrop::model::waitreason::{classify, WaitClass};
use profdrop::model::Profile;
use profdrop::view::findings::{self, Finding, Inputs};
use std::path::{Path, PathBuf};

fn dumps() -> PathBuf {
    fixtures().join("godumps")
}

fn path(name: &str) -> String {
    dumps().join(name).to_string_lossy().into_owned()
}

fn load(p: impl AsRef<Path>) -> Profile {
    decode(&read(p), &Limits::default()).unwrap()
}

fn run(args: &[&str]) -> cli::Outcome {
    cli::run(&args.iter().map(|s| s.to_string()).collect::<Vec<_>>())
}

/// `goroutine N [` headers (with the crash form's `gp=… m=… mp=…` words),
/// counted here with a plain line match, independently of the decoder.
fn count_headers(text: &str) -> usize {
    text.lines().filter(|l| is_header_line(l.trim_start())).count()
}

fn is_header_line(l: &str) -> bool {
    let Some(rest) = l.strip_prefix("goroutine ") else { return false };
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || !rest[digits..].starts_with(' ') {
        return false;
    }
    let mut words = rest[digits + 1..].split(' ');
    loop {
        match words.next() {
            Some(w) if w.starts_with('[') => return true,
            Some(w) if w.starts_with("gp=") || w.starts_with("m=") || w.starts_with("mp=") => continue,
            _ => return false,
        }
    }
}

/// `profdrop top -nodefraction=0 EXTRA FILE`'s header line: (what the
/// shown nodes account for, i.e. what the filters kept; the total).
fn top_numbers(file: &str, extra: &[&str]) -> (i64, i64) {
    let mut args = vec!["top", "-nodefraction=0"];
    args.extend_from_slice(extra);
    args.push(file);
    let out = run(&args);
    assert_eq!(out.code, 0, "{file}: {}", out.stderr);
    let line = out.stdout.lines().find(|l| l.starts_with("Showing nodes")).unwrap_or_else(|| panic!("{}", out.stdout));
    let kept = line.trim_start_matches("Showing nodes accounting for ").split(',').next().unwrap();
    let total = line.rsplit(" of ").next().unwrap().trim_end_matches(" total");
    (kept.parse().unwrap_or_else(|_| panic!("{line}")), total.parse().unwrap_or_else(|_| panic!("{line}")))
}

fn top_total(file: &str) -> i64 {
    top_numbers(file, &[]).1
}

/// The goroutines a filter such as `--tagfocus=route=inventory` keeps.
fn top_kept(file: &str, filter: &str) -> i64 {
    top_numbers(file, &[filter]).0
}

/// The total of `profdrop goroutines` (`N goroutines in M groups`).
fn goroutines_total(file: &str) -> i64 {
    let out = run(&["goroutines", file]);
    assert_eq!(out.code, 0, "{file}: {}", out.stderr);
    out.stdout.split(' ').next().unwrap().parse().unwrap_or_else(|_| panic!("{}", out.stdout))
}

/// Goroutines the decoder reported it skipped (a body it could not read), from
/// its warning "N malformed goroutine(s) skipped".
fn skipped(p: &Profile) -> usize {
    p.warnings
        .iter()
        .find_map(|w| {
            w.strip_suffix(" malformed goroutines skipped").or_else(|| w.strip_suffix(" malformed goroutine skipped"))
        })
        .map_or(0, |n| n.parse().unwrap())
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            walk(&p, out);
        } else {
            out.push(p);
        }
    }
}

/// Every file with a goroutine header: total goroutines of `top` and
/// `goroutines` = its headers, less the goroutines the decoder said it
/// skipped (bodies it could not read), which the healthy dumps have none of.
fn check_totals(dir: &Path) -> usize {
    let mut files = Vec::new();
    walk(dir, &mut files);
    let mut checked = 0;
    for f in files {
        let Ok(text) = std::fs::read_to_string(&f) else { continue };
        let headers = count_headers(&text);
        // Race reports add accesses without headers; they have their own tests.
        if headers == 0 || text.contains("WARNING: DATA RACE") {
            continue;
        }
        let name = f.to_string_lossy().into_owned();
        let p = match decode(text.as_bytes(), &Limits::default()) {
            Ok(p) => p,
            Err(e) => {
                // Nothing readable: the error says so, naming the skipped goroutine.
                let e = e.to_string();
                assert!(e.contains("no goroutine could be read") && e.contains("skipped"), "{name}: {e}");
                continue;
            }
        };
        let want = (headers - skipped(&p)) as i64;
        assert_eq!(top_total(&name), want, "{name}: top total vs {headers} headers");
        assert_eq!(goroutines_total(&name), want, "{name}: goroutines total vs {headers} headers");
        if name.contains("fixtures/go/") || name.contains("fixtures/godumps/") {
            assert_eq!(skipped(&p), 0, "{name}: {:?}", p.warnings);
        }
        checked += 1;
    }
    checked
}

#[test]
fn every_dump_fixture_keeps_every_goroutine() {
    let n = check_totals(&fixtures());
    eprintln!("{n} dumps checked");
    assert!(n >= 60, "only {n} dumps found");
}

#[test]
#[ignore = "reads the CC-BY-SA dumps of ../shared in place (run by the extra suite: --ignored shared_)"]
fn shared_dumps_keep_every_goroutine() {
    // ../shared beside the repository (main's checkout, or a worktree one level deeper).
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = ["../../shared/fixtures", "../../../shared/fixtures"].iter().map(|d| here.join(d)).find(|d| d.exists());
    let dir = dir.expect("../shared/fixtures");
    let n = check_totals(&dir);
    eprintln!("{n} dumps under {} checked", dir.display());
    assert!(n >= 60, "only {n} dumps found");
}

#[test]
fn every_header_variant_is_read_and_odd_ones_are_counted() {
    let p = load(dumps().join("header-variants.txt"));
    let t = p.goroutines.as_ref().unwrap();
    assert_eq!(t.goroutines.len(), 8);
    let by_id = |id: u64| t.goroutines.iter().find(|g| g.id == id).unwrap();
    let labels = |id: u64| -> Vec<(String, String)> {
        p.label_sets
            .get(by_id(id).labels)
            .strs
            .iter()
            .map(|&(k, v)| (p.str(k).to_string(), p.str(v).to_string()))
            .filter(|(k, _)| k != "state")
            .collect()
    };
    assert_eq!(p.str(by_id(1).state), "running");
    assert_eq!(p.str(by_id(7).state), "select");
    assert_eq!((p.str(by_id(21).state), by_id(21).bubble), ("chan receive (durable)", Some(3)));
    assert_eq!((p.str(by_id(30).state), by_id(30).leaked, by_id(30).wait_minutes), ("chan send", true, Some(3)));
    assert_eq!(p.str(by_id(8).state), "IO wait");
    let kv = |k: &str, v: &str| (k.to_string(), v.to_string());
    assert_eq!(labels(8), [kv("route", "inventory"), kv("tenant", "acme corp")]);
    assert_eq!((p.str(by_id(9).state), by_id(9).wait_minutes, by_id(9).locked_to_thread), ("IO wait", Some(5), true));
    let mut l9 = labels(9);
    l9.sort();
    assert_eq!(l9, [kv("odd key", "\u{e9}\t,}"), kv("route", "inventory"), kv("tenant", "acme corp")]);
    // Not understood, still counted; the warning names how many and the first.
    assert_eq!((p.str(by_id(10).state), by_id(10).wait_minutes), ("sleep", Some(12)));
    assert_eq!(p.str(by_id(11).state), "sleep");
    let w = p.warnings.iter().find(|w| w.contains("did not recognise")).expect("a warning");
    assert!(w.starts_with("2 goroutine headers had parts profdrop did not recognise"), "{w}");
    assert!(w.contains("goroutine 10 [sleep, 12 minutes, a part no Go prints]:"), "{w}");
}

#[test]
fn header_labels_are_the_binary_profiles_labels() {
    // The capture's debug=2 dump rewritten into Go 1.26's and 1.27's forms
    // against its own binary profile (same moment, same goroutines): tags and
    // tagfocus agree; the dump adds its `state` key.
    let pb = run(&["tags", &path("waits.pb.gz")]).stdout;
    for form in ["waits.go126.debug2.txt", "waits.go127.debug2.txt"] {
        let out = run(&["tags", &path(form)]);
        assert_eq!(out.code, 0, "{}", out.stderr);
        let without_state: Vec<&str> =
            out.stdout.split("\n\n").filter(|b| !b.trim_start().starts_with("state:")).collect();
        assert_eq!(without_state.join("\n\n"), pb, "{form}");
        for tag in ["route=inventory", "route=checkout", "tenant=acme corp", "job=flush"] {
            let focus = format!("--tagfocus={tag}");
            assert_eq!(top_kept(&path(form), &focus), top_kept(&path("waits.pb.gz"), &focus), "{form} {tag}");
        }
    }
    assert_eq!(top_kept(&path("waits.go127.debug2.txt"), "--tagfocus=route=inventory"), 148);
}

/// Goroutines whose Go 1.27 header carries a `route` label with a value that
/// `pred` accepts, counted from the text.
fn headers_with_route(text: &str, pred: impl Fn(&str) -> bool) -> i64 {
    let route = |l: &str| -> Option<String> {
        let labels = &l[l.find("] {")? + 3..l.rfind("}:")?];
        labels.split(", ").find_map(|kv| kv.strip_prefix("route: ").map(str::to_string))
    };
    text.lines().filter(|l| is_header_line(l)).filter(|l| route(l).is_some_and(|v| pred(&v))).count() as i64
}

#[test]
fn tagfocus_keeps_exactly_the_labelled_goroutines_of_a_real_dump() {
    let name = path("leakdemo_t0.go127.debug2.txt");
    let text = String::from_utf8(read(&name)).unwrap();
    // pprof's tagfocus value is a regular expression: `inventory` also
    // matches `inventory-pooled`; `^inventory$` only the one value.
    let exact = headers_with_route(&text, |v| v == "inventory");
    let matching = headers_with_route(&text, |v| v.contains("inventory"));
    assert!(exact > 500 && matching > exact, "{exact} {matching}");
    assert_eq!(top_kept(&name, "--tagfocus=route=^inventory$"), exact);
    assert_eq!(top_kept(&name, "--tagfocus=route=inventory"), matching);
    let all = count_headers(&text) as i64;
    assert_eq!(top_kept(&name, "--tagignore=route=inventory"), all - matching);
    let tags = run(&["tags", &name]).stdout;
    assert!(tags.contains(&format!("{exact}.0 (")) && tags.contains("): inventory\n"), "{tags}");
    // The 1.26 form reads the same.
    assert_eq!(top_kept(&path("leakdemo_t0.go126.debug2.txt"), "--tagfocus=route=^inventory$"), exact);
}

/// The verdict of a run: each rule that fired, with its evidence (but the
/// label a goroutine carries, which only dumps with labels can show).
fn rules(f: &[Finding]) -> Vec<(&'static str, Vec<(&'static str, i64)>)> {
    f.iter()
        .map(|x| {
            let ev = x.evidence.iter().filter(|e| e.key != "dominant_label_share").map(|e| (e.key, e.value as i64));
            (x.rule, ev.collect())
        })
        .collect()
}

#[test]
fn proven_leaks_come_first_in_every_form() {
    let dump = String::from_utf8(read(dumps().join("waits.go127-leaked.debug2.txt"))).unwrap();
    let leaked = dump.lines().filter(|l| is_header_line(l) && l.contains(" (leaked)")).count() as f64;
    assert_eq!(leaked, 40.0);
    for name in
        ["waits.go127-leaked.debug2.txt", "goroutineleak.debug2.txt", "goroutineleak.debug1.txt", "goroutineleak.pb.gz"]
    {
        let out = run(&["findings", &path(name)]);
        assert_eq!(out.code, 0);
        assert!(
            out.stdout.starts_with("1. [high] Goroutine leaks proven by the Go runtime"),
            "{name}:\n{}",
            out.stdout
        );
        let p = load(dumps().join(name));
        let f = findings::run(&Inputs::from_profiles(&[&p]));
        assert_eq!(f[0].rule, findings::PROVEN_LEAK.id, "{name}");
        assert_eq!(f[0].value("leaked_goroutines"), Some(leaked), "{name}");
        assert_eq!(f[0].value("leak_sites"), Some(1.0), "{name}");
        assert!(f[0].summary.contains("40 at main.leakyFetch.func1"), "{name}: {}", f[0].summary);
        assert!(f[0].summary.contains("route=report"), "{name}: {}", f[0].summary);
    }
    // The kind the file list shows.
    let mut s = profdrop::session::Session::new();
    for name in ["goroutineleak.debug2.txt", "goroutineleak.debug1.txt", "goroutineleak.pb.gz"] {
        let sum = s.load(name, &read(dumps().join(name))).unwrap();
        assert_eq!((sum.kind, sum.kind_text), ("goroutine", "goroutine leaks (proven by the runtime)"), "{name}");
    }
    let sum = s.load("waits.pb.gz", &read(dumps().join("waits.pb.gz"))).unwrap();
    assert_eq!(sum.kind_text, "goroutine");
}

#[test]
fn healthy_fixtures_get_no_new_finding() {
    for name in [
        "goroutine_t0.debug2.txt",
        "goroutine_t1.debug2.txt",
        "goroutine_t0.pb.gz",
        "goroutine_t1.pb.gz",
        "goroutine_t1.debug1.txt",
    ] {
        let p = load(go_fixtures().join(name));
        for f in findings::run(&Inputs::from_profiles(&[&p])) {
            assert!(f.rule != findings::PROVEN_LEAK.id && f.rule != findings::NEVER_WAKES.id, "{name}: {}", f.summary);
        }
    }
}

#[test]
fn never_wakes_fires_whatever_the_count() {
    let p = load(dumps().join("class-every-wait.txt"));
    let f = findings::run(&Inputs::from_profiles(&[&p]));
    let nw = f.iter().find(|x| x.rule == findings::NEVER_WAKES.id).expect("never-wakes");
    assert_eq!(nw.value("never_wakes_goroutines"), Some(2.0));
    assert!(nw.summary.contains("main.nilChannel") && nw.summary.contains("main.emptySelect"), "{}", nw.summary);
}

#[test]
fn each_wait_class_has_a_goroutine_in_the_class_fixture() {
    let p = load(dumps().join("class-every-wait.txt"));
    let t = p.goroutines.as_ref().unwrap();
    let classes: Vec<WaitClass> = t.goroutines.iter().map(|g| classify(p.str(g.state))).collect();
    for c in [
        WaitClass::Channel,
        WaitClass::NeverWakes,
        WaitClass::Sync,
        WaitClass::NetworkIo,
        WaitClass::Sleep,
        WaitClass::SynctestDurable,
        WaitClass::RuntimeInternal,
        WaitClass::Other,
    ] {
        assert!(classes.contains(&c), "{c:?}");
    }
    // semacquire (Go <= 1.19) and sync.WaitGroup.Wait (1.20+) are one class.
    assert_eq!(classes[3], classes[4]);
}

/// Rewrites a debug=2 dump of ../go into the Go 1.27 form with rewrite.py (into target/).
fn rewritten_127(name: &str) -> PathBuf {
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("{name}.go127.txt"));
    let stem = name.trim_end_matches(".debug2.txt");
    let status = std::process::Command::new("python3")
        .arg(dumps().join("rewrite.py"))
        .args(["dump", "--form", "1.27", "--labels"])
        .arg(go_fixtures().join(format!("{stem}.debug1.txt")))
        .arg(go_fixtures().join(name))
        .arg(&out)
        .status()
        .expect("python3");
    assert!(status.success());
    out
}

#[test]
fn every_rule_gives_the_same_verdict_on_go_1_19_and_go_1_27_dumps() {
    // The capture of godumps: channel, never-wakes and lock rules.
    let old = load(dumps().join("waits.debug2.txt"));
    let new = load(dumps().join("waits.go127.debug2.txt"));
    let (a, b) = (findings::run(&Inputs::from_profiles(&[&old])), findings::run(&Inputs::from_profiles(&[&new])));
    let fired: Vec<&str> = a.iter().map(|f| f.rule).collect();
    assert_eq!(fired, [findings::BLOCKED_ON_CHANNEL.id, findings::NEVER_WAKES.id, findings::LOCK_PILEUP.id]);
    assert_eq!(rules(&a), rules(&b));
    assert!(a[2].summary.contains("(semacquire)") && b[2].summary.contains("(sync.Mutex.Lock)"));
    // The HTTP leak capture, two snapshots with their heaps: the transport and
    // heap rules, growth included.
    let t0 = load(go_fixtures().join("goroutine_t0.debug2.txt"));
    let t1 = load(go_fixtures().join("goroutine_t1.debug2.txt"));
    let n0 = load(rewritten_127("goroutine_t0.debug2.txt"));
    let n1 = load(rewritten_127("goroutine_t1.debug2.txt"));
    let h0 = load(go_fixtures().join("heap_t0.pb.gz"));
    let h1 = load(go_fixtures().join("heap_t1.pb.gz"));
    let a = findings::run(&Inputs::from_profiles(&[&t0, &t1, &h0, &h1]));
    let b = findings::run(&Inputs::from_profiles(&[&n0, &n1, &h0, &h1]));
    assert!(!a.is_empty());
    assert_eq!(rules(&a), rules(&b));
    for single in [(&t1, &n1), (&t0, &n0)] {
        let a = findings::run(&Inputs::from_profiles(&[single.0]));
        let b = findings::run(&Inputs::from_profiles(&[single.1]));
        assert_eq!(rules(&a), rules(&b));
    }
    // The 1.27 dump carries the route label: the transport finding says so.
    let f = &b[0];
    assert_eq!(f.rule, findings::NEW_TRANSPORT_PER_REQUEST.id);
    assert!(f.evidence.iter().any(|e| e.key == "dominant_label_share" && e.label.contains("route=inventory")), "{f:?}");
}

#[test]
fn crash_texts_of_recent_go() {
    let p = load(dumps().join("crash-repanicked.txt"));
    let t = p.goroutines.as_ref().unwrap();
    assert!(t.prefix.starts_with("panic: first failure [recovered, repanicked]"), "{}", t.prefix);
    assert_eq!((t.goroutines.len(), t.goroutines[0].id), (1, 1));
    assert_eq!(p.str(t.goroutines[0].state), "running");

    let p = load(dumps().join("crash-deadlock.txt"));
    let f = findings::run(&Inputs::from_profiles(&[&p]));
    assert_eq!(f[0].rule, findings::BLOCKED_ON_CHANNEL.id);
    assert!(f[0].summary.contains("deadlock"), "{}", f[0].summary);
    assert_eq!(f[0].value("blocked_goroutines"), Some(2.0));

    let p = load(dumps().join("crash-created-in-goroutine.txt"));
    let t = p.goroutines.as_ref().unwrap();
    let parents: Vec<Option<u64>> =
        t.goroutines.iter().map(|g| g.created_by.as_ref().and_then(|c| c.parent_id)).collect();
    assert_eq!(parents, [None, Some(1), Some(18)]);
}

#[test]
fn an_execution_trace_is_named() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"));
    let file = dir.join("trace.out");
    let mut bytes = b"go 1.22 trace\x00\x00\x00".to_vec();
    bytes.extend_from_slice(&[0x01, 0x02, 0xff, 0x00, 0x10]);
    std::fs::write(&file, &bytes).unwrap();
    let name = file.to_string_lossy().into_owned();
    for cmd in ["top", "findings", "goroutines"] {
        let out = run(&[cmd, &name]);
        assert_eq!(out.code, 1, "{cmd}");
        assert!(
            out.stderr.contains(&format!(
                "{name}: this is a Go execution trace (go tool trace), not a profile; profdrop does not read traces yet"
            )),
            "{cmd}: {}",
            out.stderr
        );
    }
}

/// What the fuzz target `goroutine_header` checks, on a fixed set of header
/// tails (pieces of real headers, joined at random by a fixed-seed generator).
#[test]
fn no_header_tail_loses_its_goroutine() {
    let pieces: &[&str] = &[
        "chan send",
        "]",
        ":",
        " (leaked)",
        " (scan)",
        ", 3 minutes",
        ", locked to thread",
        ", synctest bubble 2",
        " labels:{",
        "\"route\": \"x\"",
        "}",
        " {",
        "route: inventory",
        "\"a\\\"b\"",
        "\\u00e9",
        "\\x",
        "\"",
        ",",
        "[",
        "é",
        "\t",
        " ",
        "{",
        "}:",
        "]:",
        "gp=0x1 ",
        "99999999999999999999 minutes",
    ];
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = || {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (seed >> 33) as usize
    };
    for _ in 0..3000 {
        let n = next() % 8;
        let tail: String = (0..n).map(|_| pieces[next() % pieces.len()]).collect();
        let dump = format!("goroutine 42 [{tail}\nmain.f()\n\t/src/f.go:1 +0x1\n");
        let p = decode(dump.as_bytes(), &Limits::default()).unwrap_or_else(|e| panic!("{dump:?}: {e}"));
        let t = p.goroutines.as_ref().unwrap();
        assert_eq!((t.goroutines.len(), t.goroutines[0].id), (1, 42), "{dump:?}");
    }
}

#[test]
fn header_labels_reach_the_goroutines_view_and_the_goroutine_diff() {
    use profdrop::view::{goroutine_diff, goroutines};
    let p = load(dumps().join("waits.go127.debug2.txt"));
    let v = goroutines::build(&p, &goroutines::Options::default()).unwrap();
    let send = v.groups.iter().find(|g| g.count == 120).unwrap();
    let l: Vec<(&str, &str, i64)> = send.labels.iter().map(|l| (l.key.as_str(), l.value.as_str(), l.count)).collect();
    assert_eq!(l, [("route", "inventory", 120)]);
    // A diff by goroutine id between the 1.19 dump and its 1.27 form: the same
    // goroutines, nothing new or gone, and the target side's labels.
    let old = load(dumps().join("waits.debug2.txt"));
    let d = goroutine_diff::diff(&old, &p, &goroutine_diff::Options::default()).unwrap();
    assert!(d.by_id);
    let t = d.totals.as_ref().unwrap();
    assert_eq!((t.new, t.gone, t.survived), (0, 0, 265));
    let row = d.rows.iter().find(|r| r.target == 120).unwrap();
    assert!(row.group.labels.iter().any(|l| l.key == "route" && l.value == "inventory"));
}
