//! Goroutine diffs (view::goroutine_diff).
//!
//! - The t0/t1 debug=2 pair of tests/fixtures/go (90 s apart): the
//!   persistConn readLoop and writeLoop rows show survivors, new and gone
//!   counts equal to what this test computes from the dumps' own text
//!   (`goroutine N [` headers and function lines, without the decoder), and
//!   the survivors that kept waiting (same stack and state, printed wait grown
//!   by the interval's whole minutes) counted the same way; the estimated
//!   interval's range holds the true 1.5 minutes.
//! - Properties: a dump diffed with itself has only survivors; swapping base
//!   and target swaps new and gone and negates every delta; the id counts of
//!   every row add up (target = stayed + moved_in + new, base = stayed +
//!   moved_out + gone).
//! - Profiles without ids: the count-based diff of the binary pair gives the
//!   readLoop totals this test sums from the profiles' samples.

mod common;
use common::*;
use profdrop::decode::{decode, Limits};
use profdrop::model::Profile;
use profdrop::view::goroutine_diff::{diff, GoroutineDiff, Options};
use profdrop::view::goroutines::Similarity;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

fn load(path: &Path) -> Profile {
    decode(&read(path), &Limits::default()).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn pair() -> (Profile, Profile) {
    (load(&go_fixtures().join("goroutine_t0.debug2.txt")), load(&go_fixtures().join("goroutine_t1.debug2.txt")))
}

const READ_LOOP: &str = "net/http.(*persistConn).readLoop";
const WRITE_LOOP: &str = "net/http.(*persistConn).writeLoop";

/// One goroutine of a dump as this test reads it.
#[derive(Debug)]
struct G {
    state: String,
    wait: i64,
    /// Function and file:line lines, leaf first, arguments dropped.
    frames: Vec<String>,
}

/// `goroutine N [state, M minutes]:` headers, then `func(args)` / `\tfile:line +0x..` pairs.
fn read_dump(path: &Path) -> BTreeMap<u64, G> {
    let text = String::from_utf8(read(path)).unwrap();
    let mut out = BTreeMap::new();
    let mut cur: Option<(u64, G)> = None;
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("goroutine ") {
            if let Some((id, g)) = cur.take() {
                out.insert(id, g);
            }
            let (id, rest) = rest.split_once(" [").unwrap();
            let inner = rest.strip_suffix("]:").unwrap();
            let mut parts = inner.split(", ");
            let state = parts.next().unwrap().to_string();
            let wait = parts.find_map(|p| p.strip_suffix(" minutes")).map_or(0, |m| m.parse().unwrap());
            cur = Some((id.parse().unwrap(), G { state, wait, frames: Vec::new() }));
        } else if line.starts_with("created by ") {
            let g = &mut cur.as_mut().unwrap().1;
            g.frames.push(line.to_string());
        } else if let Some(file) = line.strip_prefix('\t') {
            let g = &mut cur.as_mut().unwrap().1;
            g.frames.push(file.split(" +0x").next().unwrap().to_string());
        } else if !line.trim().is_empty() {
            let g = &mut cur.as_mut().unwrap().1;
            g.frames.push(line[..line.rfind('(').unwrap()].to_string());
        }
    }
    if let Some((id, g)) = cur {
        out.insert(id, g);
    }
    out
}

fn in_loop(g: &G, f: &str) -> bool {
    g.frames.iter().any(|x| x == f)
}

/// Sums of the id counts over the rows whose group has `f` on its stack.
fn rows_with(d: &GoroutineDiff, f: &str) -> (i64, i64, i64, i64, i64, i64, Option<i64>) {
    let mut t = (0, 0, 0, 0, 0, 0, None);
    for r in d.rows.iter().filter(|r| r.group.frames.iter().any(|x| x.function == f)) {
        let c = r.ids.as_ref().unwrap();
        t.0 += r.base;
        t.1 += r.target;
        t.2 += c.survived;
        t.3 += c.new;
        t.4 += c.gone;
        t.5 += c.moved_out;
        if let Some(k) = c.kept_waiting {
            t.6 = Some(t.6.unwrap_or(0) + k);
        }
    }
    t
}

#[test]
fn read_and_write_loops_survivors_new_and_gone_by_id() {
    let dir = go_fixtures();
    let (d0, d1) = (read_dump(&dir.join("goroutine_t0.debug2.txt")), read_dump(&dir.join("goroutine_t1.debug2.txt")));
    assert_eq!((d0.len(), d1.len()), (890, 5089));
    let (p0, p1) = pair();
    // The fixture's README: t1 was taken 90 s after t0.
    let given = diff(&p0, &p1, &Options { similarity: Similarity::Pointers, interval_minutes: Some(1.5) }).unwrap();
    let estimated = diff(&p0, &p1, &Options::default()).unwrap();
    assert!(given.by_id && estimated.by_id);
    for f in [READ_LOOP, WRITE_LOOP] {
        let before: BTreeSet<u64> = d0.iter().filter(|(_, g)| in_loop(g, f)).map(|(id, _)| *id).collect();
        let after: BTreeSet<u64> = d1.iter().filter(|(_, g)| in_loop(g, f)).map(|(id, _)| *id).collect();
        let survived = after.iter().filter(|id| d0.contains_key(id)).count() as i64;
        let new = after.iter().filter(|id| !d0.contains_key(id)).count() as i64;
        let gone = before.iter().filter(|id| !d1.contains_key(id)).count() as i64;
        // Kept waiting: same frames and state in both, printed wait grown by floor(1.5) = 1 minute.
        let kept = after
            .iter()
            .filter(|id| match (d0.get(id), d1.get(id)) {
                (Some(a), Some(b)) => a.frames == b.frames && a.state == b.state && b.wait - a.wait >= 1,
                _ => false,
            })
            .count() as i64;
        assert!(
            survived > 100 && new > 1000 && kept > 100,
            "{f}: the fixture has survivors and new goroutines ({survived}, {new}, {kept})"
        );
        let (base, target, s, n, g, moved_out, k) = rows_with(&given, f);
        assert_eq!((base, target), (before.len() as i64, after.len() as i64), "{f}");
        assert_eq!((s, n, g), (survived, new, gone), "{f}: survived, new, gone");
        assert_eq!(moved_out, 0, "{f}");
        assert_eq!(k, Some(kept), "{f}: kept waiting");
        assert_eq!(rows_with(&estimated, f).6, Some(kept), "{f}: kept waiting at the estimated interval");
    }
    // The estimate: the largest wait growth, 1 minute; the true 1.5 lies in its range.
    let iv = estimated.interval.as_ref().unwrap();
    assert_eq!((iv.source, iv.minutes), ("estimated", Some(1.0)));
    let [lo, hi] = iv.range.unwrap();
    assert!(lo < 1.5 && 1.5 < hi);
    assert_eq!(given.interval.as_ref().unwrap().source, "given");
    assert!(given.warnings.is_empty(), "{:?}", given.warnings);
    // Strongest evidence first: rows sorted by survivors that kept waiting.
    let kept: Vec<i64> = given.rows.iter().map(|r| r.ids.as_ref().unwrap().kept_waiting.unwrap()).collect();
    assert!(kept.windows(2).all(|w| w[0] >= w[1]), "{kept:?}");
    assert!(given.rows[..2].iter().any(|r| r.group.frames.iter().any(|f| f.function == READ_LOOP)));
}

fn check_row_sums(d: &GoroutineDiff) {
    for r in &d.rows {
        assert_eq!(r.delta, r.target - r.base);
        if let Some(c) = &r.ids {
            assert_eq!(r.target, c.stayed + c.moved_in + c.new, "{:?}", r.group.frames.first());
            assert_eq!(r.base, c.stayed + c.moved_out + c.gone, "{:?}", r.group.frames.first());
            assert_eq!(c.survived, c.stayed + c.moved_in);
        }
    }
    assert_eq!(d.rows.iter().map(|r| r.target).sum::<i64>(), d.target_total);
    assert_eq!(d.rows.iter().map(|r| r.base).sum::<i64>(), d.base_total);
    if let Some(t) = &d.totals {
        assert_eq!(t.new + t.survived, d.target_total);
        assert_eq!(t.gone + t.stayed + t.moved_out, d.base_total);
    }
}

#[test]
fn a_dump_diffed_with_itself_has_only_survivors() {
    let (p0, p1) = pair();
    let panicparse =
        fixtures().join("external/maruel-panicparse/generated-go1.19.8-linux-amd64/goroutine_dedupe_pointers.txt");
    for p in [&p0, &p1, &load(&panicparse)] {
        for sim in [Similarity::Exact, Similarity::Pointers, Similarity::Args] {
            let d = diff(p, p, &Options { similarity: sim, interval_minutes: None }).unwrap();
            check_row_sums(&d);
            for r in &d.rows {
                let c = r.ids.as_ref().unwrap();
                assert_eq!((r.delta, c.new, c.gone, c.moved_in, c.moved_out), (0, 0, 0, 0, 0));
                assert_eq!(c.stayed, r.target);
                assert_eq!(r.status, "same");
                assert_eq!(c.wait_growth, Some([0, 0]));
            }
            // No wait grew: the interval is unknown and nothing is judged.
            assert_eq!(d.interval.as_ref().unwrap().source, "unknown");
            assert_eq!(d.totals.as_ref().unwrap().kept_waiting, None);
        }
    }
    // Count-based diffs of a profile with itself: all zeros.
    let b = load(&go_fixtures().join("goroutine_t1.pb.gz"));
    let d = diff(&b, &b, &Options::default()).unwrap();
    assert!(!d.by_id && d.interval.is_none() && d.totals.is_none());
    assert!(d.rows.iter().all(|r| r.delta == 0 && r.status == "same" && r.ids.is_none()));
}

#[test]
fn swapping_base_and_target() {
    let (p0, p1) = pair();
    let o = Options { similarity: Similarity::Pointers, interval_minutes: Some(1.5) };
    let (ab, ba) = (diff(&p0, &p1, &o).unwrap(), diff(&p1, &p0, &o).unwrap());
    check_row_sums(&ab);
    check_row_sums(&ba);
    let (t, u) = (ab.totals.as_ref().unwrap(), ba.totals.as_ref().unwrap());
    assert_eq!((t.new, t.gone, t.stayed, t.moved_in), (u.gone, u.new, u.stayed, u.moved_out));
    // Rows show one side's merged arguments: compare deltas per frames (without arguments) and creator.
    let deltas = |d: &GoroutineDiff, sign: i64| {
        let mut m: BTreeMap<String, i64> = BTreeMap::new();
        for r in &d.rows {
            let frames: Vec<(&str, &str, i64)> =
                r.group.frames.iter().map(|f| (f.function.as_str(), f.file.as_str(), f.line)).collect();
            *m.entry(format!("{frames:?}{:?}", r.group.created_by)).or_insert(0) += sign * r.delta;
        }
        m
    };
    assert_eq!(ab.rows.len(), ba.rows.len());
    assert_eq!(deltas(&ab, 1), deltas(&ba, -1));
    // Going back in time the waits shrink: no survivor kept waiting.
    assert_eq!(u.kept_waiting, Some(0));
}

#[test]
fn count_based_diff_of_binary_profiles() {
    let dir = go_fixtures();
    let (b0, b1) = (load(&dir.join("goroutine_t0.pb.gz")), load(&dir.join("goroutine_t1.pb.gz")));
    let d = diff(&b0, &b1, &Options::default()).unwrap();
    assert!(!d.by_id);
    check_row_sums(&d);
    // Goroutines whose stack holds readLoop, summed from the samples directly.
    let with = |p: &Profile, f: &str| -> i64 {
        (0..p.samples.len())
            .filter(|&i| {
                p.sample_stack(i)
                    .iter()
                    .any(|&l| p.location(l).lines.iter().any(|ln| p.str(p.function(ln.function).name) == f))
            })
            .map(|i| p.sample_values(i)[0])
            .sum()
    };
    for f in [READ_LOOP, WRITE_LOOP] {
        let (base, target): (i64, i64) = d
            .rows
            .iter()
            .filter(|r| r.group.frames.iter().any(|x| x.function == f))
            .fold((0, 0), |a, r| (a.0 + r.base, a.1 + r.target));
        assert_eq!((base, target), (with(&b0, f), with(&b1, f)), "{f}");
        assert!(target > base + 1000);
    }
    // The biggest growth comes first.
    assert!(d.rows.windows(2).all(|w| w[0].delta >= w[1].delta));
    assert!(d.rows.iter().any(|r| r.status == "new"));
}

#[test]
fn interval_checks() {
    let (p0, p1) = pair();
    // Under a minute: waits are printed in whole minutes, nothing can be judged.
    let d = diff(&p0, &p1, &Options { similarity: Similarity::Pointers, interval_minutes: Some(0.5) }).unwrap();
    assert!(d.rows.iter().all(|r| r.ids.as_ref().unwrap().kept_waiting.is_none()));
    assert!(d.warnings.iter().any(|w| w.contains("under a minute")), "{:?}", d.warnings);
    // An interval longer than any wait growth: nobody waited through it.
    let d = diff(&p0, &p1, &Options { similarity: Similarity::Pointers, interval_minutes: Some(5.0) }).unwrap();
    assert_eq!(d.totals.as_ref().unwrap().kept_waiting, Some(0));
}

#[test]
fn mixed_inputs() {
    let dir = go_fixtures();
    let heap = load(&dir.join("heap_t1.pb.gz"));
    let (p0, _) = pair();
    assert!(diff(&heap, &p0, &Options::default()).is_err());
    // A dump against a profile: counts only, with a warning.
    let b1 = load(&dir.join("goroutine_t1.pb.gz"));
    let d = diff(&p0, &b1, &Options::default()).unwrap();
    assert!(!d.by_id);
    assert!(d.warnings.len() >= 2, "{:?}", d.warnings);
}

#[test]
fn the_cli_prints_the_diff() {
    let dir = go_fixtures();
    let f = |n: &str| dir.join(n).to_string_lossy().into_owned();
    let args: Vec<String> = vec![
        "goroutines".into(),
        format!("--base={}", f("goroutine_t0.debug2.txt")),
        "--interval=1.5".into(),
        f("goroutine_t1.debug2.txt"),
    ];
    let o = profdrop::cli::run(&args);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let (p0, p1) = pair();
    let d = diff(&p0, &p1, &Options { similarity: Similarity::Pointers, interval_minutes: Some(1.5) }).unwrap();
    let t = d.totals.unwrap();
    assert!(
        o.stdout.contains(&format!(
            "Survived {} (stayed on their stack {}, moved {}), new {}, gone {}",
            t.survived, t.stayed, t.moved_in, t.new, t.gone
        )),
        "{}",
        o.stdout
    );
    assert!(o.stdout.contains("Interval: 1.5 minutes (given)"));
    assert_eq!(o.stdout.lines().filter(|l| l.contains(" #")).count(), d.rows.len());
}
