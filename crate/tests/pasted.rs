//! Dumps as people paste them. Each repair of the pasted-text reader
//! (decode/paste.rs) damages a clean fixture dump the way logs, chat and
//! Markdown do and checks the repaired read equals the clean one (goroutine
//! count, ids, stacks, states, wait minutes; for debug=1 the records), and
//! that the repair is reported. The corpus of real pasted dumps in
//! `tests/fixtures/pasted/` (MANIFEST.tsv) parses with the right counts.

mod common;

use profdrop::decode::{decode, paste, Limits};
use profdrop::model::Profile;

fn dec(data: &[u8]) -> Profile {
    decode(data, &Limits::default()).unwrap_or_else(|e| panic!("{e}"))
}

type Frame = (String, String, i64);

/// What a debug=2 read is judged on: per goroutine (id, state, wait, frames), by id.
fn goroutines(p: &Profile) -> Vec<(u64, String, Option<u32>, Vec<Frame>)> {
    let t = p.goroutines.as_ref().expect("a traceback");
    let mut v: Vec<_> = t
        .goroutines
        .iter()
        .map(|g| {
            let frames = p
                .stacks
                .get(g.stack)
                .iter()
                .flat_map(|&l| p.location(l).lines.iter())
                .map(|ln| {
                    let f = p.function(ln.function);
                    (p.str(f.name).to_string(), p.str(f.filename).to_string(), ln.line)
                })
                .collect();
            (g.id, p.str(g.state).to_string(), g.wait_minutes, frames)
        })
        .collect();
    profdrop::util::sort::SortRows::sort_rows_by_key(&mut v[..], |g| g.0);
    v
}

/// What a debug=1 read is judged on: (count, function names leaf first) per sample, sorted.
fn records(p: &Profile) -> Vec<(i64, Vec<String>)> {
    let mut v: Vec<_> = (0..p.samples.len())
        .map(|i| {
            let names = p
                .sample_stack(i)
                .iter()
                .flat_map(|&l| p.location(l).lines.iter())
                .map(|ln| p.str(p.function(ln.function).name).to_string())
                .collect();
            (p.sample_values(i)[0], names)
        })
        .collect();
    v.sort();
    v
}

fn debug2() -> String {
    String::from_utf8(common::read(common::go_fixtures().join("goroutine_t0.debug2.txt"))).unwrap()
}

fn debug1() -> String {
    String::from_utf8(common::read(common::go_fixtures().join("goroutine_t0.debug1.txt"))).unwrap()
}

/// Every line through `f` (line index, line).
fn per_line(s: &str, f: impl Fn(usize, &str) -> String) -> String {
    s.lines().enumerate().map(|(i, l)| f(i, l) + "\n").collect()
}

/// `fold -w N`: lines cut every N bytes.
fn fold(s: &str, n: usize) -> String {
    per_line(s, |_, l| {
        let b = l.as_bytes();
        b.chunks(n).map(|c| std::str::from_utf8(c).unwrap()).collect::<Vec<_>>().join("\n")
    })
}

fn json_escape(l: &str) -> String {
    l.replace('\\', "\\\\").replace('"', "\\\"").replace('\t', "\\t")
}

/// Damages the clean dump with `damage`, reads it, and checks the read
/// equals the clean read and the report names `said`.
fn check_debug2(name: &str, damage: impl Fn(&str) -> String, said: &str) {
    let clean = debug2();
    let want = goroutines(&dec(clean.as_bytes()));
    let damaged = damage(&clean);
    assert_ne!(damaged, clean, "{name}: the damage changed nothing");
    let p = dec(damaged.as_bytes());
    let got = goroutines(&p);
    assert_eq!(got.len(), want.len(), "{name}: goroutine count");
    for (g, w) in got.iter().zip(&want) {
        assert_eq!(g, w, "{name}: goroutine {}", w.0);
    }
    let report = p.repairs.join("\n");
    assert!(report.contains(said), "{name}: the report {report:?} does not say {said:?}");
}

fn check_debug1(name: &str, damage: impl Fn(&str) -> String, said: &str) {
    let clean = debug1();
    let want = records(&dec(clean.as_bytes()));
    let damaged = damage(&clean);
    assert_ne!(damaged, clean, "{name}: the damage changed nothing");
    let p = dec(damaged.as_bytes());
    assert_eq!(records(&p), want, "{name}");
    let report = p.repairs.join("\n");
    assert!(report.contains(said), "{name}: the report {report:?} does not say {said:?}");
}

#[test]
fn clean_dumps_pass_unchanged() {
    for name in ["goroutine_t0.debug2.txt", "goroutine_t1.debug2.txt", "goroutine_t0.debug1.txt"] {
        let data = common::read(common::go_fixtures().join(name));
        assert!(paste::repair(&data).is_none(), "{name} was changed");
        assert!(dec(&data).repairs.is_empty());
    }
}

#[test]
fn journald_prefix() {
    let jd = |s: &str| per_line(s, |i, l| format!("Jul 06 09:{:02}:{:02} host app[18510]: {l}", i / 60 % 60, i % 60));
    check_debug2("journald", jd, "removed a log prefix from");
    check_debug1("journald debug=1", jd, "removed a log prefix from");
}

#[test]
fn kubectl_timestamps_and_pod_prefix() {
    let k =
        |s: &str| per_line(s, |i, l| format!("2026-07-06T09:50:{:02}.{:09}Z {l}", i % 60, i * 7919 % 1_000_000_000));
    check_debug2("kubectl --timestamps", k, "removed a log prefix from");
    let pod = |s: &str| per_line(s, |_, l| format!("[pod/api-7d9f8c-x2b4z/api] {l}"));
    check_debug2("kubectl --prefix", pod, "removed a log prefix from");
}

#[test]
fn container_json_and_logfmt() {
    let json = |s: &str| {
        per_line(s, |i, l| {
            format!(
                "{{\"log\":\"{}\\n\",\"stream\":\"stderr\",\"time\":\"2026-07-06T09:50:{:02}Z\"}}",
                json_escape(l),
                i % 60
            )
        })
    };
    check_debug2("container JSON", json, "took");
    let logfmt =
        |s: &str| per_line(s, |_, l| format!("time=\"2026-07-06T09:50:29Z\" level=info msg=\"{}\"", json_escape(l)));
    check_debug2("logfmt", logfmt, "removed a log prefix from");
}

#[test]
fn syslog_escapes() {
    let octal = |s: &str| per_line(s, |_, l| format!("Jul  6 09:50:29 host app[1]: {}", l.replace('\t', "#011")));
    check_debug2("#011", octal, "restored tabs");
    let one_line = |s: &str| s.replace('\t', "#011").replace('\n', "#012") + "\n";
    check_debug2("#012", one_line, "split");
    let literal = |s: &str| s.replace('\t', "\\t");
    check_debug2("literal \\t", literal, "restored tabs");
}

#[test]
fn wrapped_lines() {
    for width in [60, 80] {
        check_debug2(&format!("fold -w {width}"), |s| fold(s, width), "re-joined");
        check_debug1(&format!("fold -w {width} debug=1"), |s| fold(s, width), "re-joined");
    }
}

#[test]
fn indentation() {
    let headers = |s: &str| per_line(s, |_, l| if l.starts_with("goroutine ") { format!("\t{l}") } else { l.into() });
    check_debug2("indented headers", headers, "un-indented");
    let lost = |s: &str| per_line(s, |_, l| l.trim_start_matches('\t').to_string());
    check_debug2("file lines without indentation", lost, "indented");
    let dump = |s: &str| {
        per_line(s, |_, l| if l.starts_with("goroutine ") { format!("Goroutine Dump: {l}") } else { l.into() })
    };
    check_debug2("Goroutine Dump: before headers", dump, "cut the text before");
}

#[test]
fn debug1_damage() {
    let no_total = |s: &str| s.lines().skip(1).map(|l| format!("{l}\n")).collect::<String>();
    check_debug1("no total line", no_total, "added the missing `goroutine profile: total");
    let spaces = |s: &str| per_line(s, |_, l| if l.starts_with('#') { l.replace('\t', "    ") } else { l.into() });
    check_debug1("spaces for tabs", spaces, "turned spaces back into tabs");
    let markdown = |s: &str| {
        per_line(s, |_, l| match l.strip_prefix("#\t0x") {
            Some(rest) => format!("0x{}", rest.replace('\t', " ")),
            None => l.into(),
        })
    };
    check_debug1("Markdown ate the #", markdown, "restored the # of");
}

#[test]
fn markdown_emphasis() {
    let underscores = |s: &str| s.replace(".(*", ".(_");
    check_debug2("Markdown (*T) -> (_T)", underscores, "restored the * of");
}

#[test]
fn lines_without_the_prefix_are_counted_and_shown() {
    let clean = debug2();
    let want = goroutines(&dec(clean.as_bytes()));
    let mut damaged = String::new();
    for (i, l) in clean.lines().enumerate() {
        damaged += &format!("Jul 06 09:50:29 host app[18510]: {l}\n");
        if i % 500 == 7 {
            damaged += "Jul 06 09:50:29 host sshd[77]: Accepted publickey for root\n";
        }
    }
    let p = dec(damaged.as_bytes());
    assert_eq!(goroutines(&p), want);
    let foreign = clean.lines().count().div_ceil(500);
    let report = p.repairs.join("\n");
    assert!(
        report.contains(&format!("{foreign} lines between goroutines without the log prefix could not be placed"))
            && report.contains("sshd[77]: Accepted publickey"),
        "{report}"
    );
}

#[test]
fn every_header_is_kept_or_counted() {
    // A header inside a foreign log line is not silently lost: it is taken
    // out with the line and counted.
    let mut text = String::new();
    for id in 1..=4 {
        text += &format!(
            "a app[1]: goroutine {id} [select]:\na app[1]: main.f()\na app[1]: \t/m.go:{id} +0x1\na app[1]: \n"
        );
        if id == 2 {
            text += "b other[2]: goroutine 9 [running]:\n";
        }
    }
    let r = paste::repair(text.as_bytes()).unwrap();
    let out = String::from_utf8(r.text).unwrap();
    assert_eq!(out.matches("goroutine ").count() + r.repairs.unplaced, 5, "{out}");
    assert_eq!(r.repairs.first_unplaced.unwrap().1, "b other[2]: goroutine 9 [running]:");
}

/// One row of tests/fixtures/pasted/MANIFEST.tsv.
pub struct Case {
    pub file: String,
    pub kind: String,
    pub goroutines: i64,
    pub key_frame: String,
}

pub fn corpus() -> Vec<Case> {
    let dir = common::fixtures().join("pasted");
    let manifest = String::from_utf8(common::read(dir.join("MANIFEST.tsv"))).unwrap();
    manifest
        .lines()
        .skip(1)
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            assert_eq!(f.len(), 8, "MANIFEST.tsv row {l:?}");
            Case { file: f[0].into(), kind: f[2].into(), goroutines: f[3].parse().unwrap(), key_frame: f[4].into() }
        })
        .collect()
}

#[test]
fn corpus_parses_with_the_right_counts() {
    let cases = corpus();
    assert!(cases.len() >= 20, "{} cases", cases.len());
    for c in &cases {
        let data = common::read(common::fixtures().join("pasted").join(&c.file));
        let p = dec(&data);
        let n = match &p.goroutines {
            Some(t) => t.goroutines.len() as i64,
            None => p.samples.values.iter().sum(),
        };
        assert_eq!(n, c.goroutines, "{}: goroutines (warnings {:?}, repairs {:?})", c.file, p.warnings, p.repairs);
        if !c.key_frame.is_empty() {
            let names: Vec<&str> = p.functions.iter().map(|f| p.str(f.name)).collect();
            assert!(names.contains(&c.key_frame.as_str()), "{}: no frame {} in {names:?}", c.file, c.key_frame);
        }
    }
}

/// The pre-pass's cost on clean input, next to the decode it follows:
/// clean text is read as it is, then its profile is looked at for damage.
/// A figure, not a verdict: run with
/// `cargo test --release --test pasted -- --ignored --nocapture prepass_cost`.
#[test]
#[ignore]
fn prepass_cost() {
    let data = common::read(common::go_fixtures().join("goroutine_t1.debug2.txt"));
    let runs = 20;
    let t = std::time::Instant::now();
    let mut p = None;
    for _ in 0..runs {
        p = Some(dec(std::hint::black_box(&data)));
    }
    let whole = t.elapsed() / runs;
    let p = p.unwrap();
    let t = std::time::Instant::now();
    for _ in 0..runs {
        assert!(!paste::suspicious(std::hint::black_box(&p)));
    }
    let look = t.elapsed() / runs;
    let t = std::time::Instant::now();
    for _ in 0..runs {
        std::hint::black_box(paste::repair(&data));
    }
    let full = t.elapsed() / runs;
    println!(
        "goroutine_t1.debug2.txt ({} bytes): decode {:?}; the look for damage {:?} ({:.2}% of it); \
         the full repair pass, run only on damaged input, {:?}",
        data.len(),
        whole,
        look,
        100.0 * look.as_secs_f64() / whole.as_secs_f64(),
        full
    );
}

/// The first finding names the stated cause's key frame for at least 80% of
/// the leak and deadlock cases; the not-a-leak cases have no finding.
#[test]
fn corpus_findings() {
    use profdrop::view::findings;
    let (mut named, mut leaks, mut quiet, mut fine) = (0, 0, 0, 0);
    let mut report = String::new();
    for c in corpus() {
        let p = dec(&common::read(common::fixtures().join("pasted").join(&c.file)));
        let inputs = findings::Inputs::from_profiles(&[&p]);
        let found = findings::run(&inputs);
        let first = found.first();
        let names_key = first.is_some_and(|f| {
            f.stacks.first().is_some_and(|s| s.function == c.key_frame) || f.summary.contains(&c.key_frame)
        });
        if c.kind == "not-a-leak" {
            fine += 1;
            quiet += found.is_empty() as usize;
        } else {
            leaks += 1;
            named += names_key as usize;
        }
        report += &format!(
            "{}: {} -> {:?}\n",
            c.file,
            c.kind,
            first.map(|f| (f.rule, f.stacks.first().map(|s| s.function.clone())))
        );
    }
    println!("{report}key frame named first: {named} of {leaks}; no finding: {quiet} of {fine} not-a-leak cases");
    assert!(named * 10 >= leaks * 8, "{report}named {named} of {leaks}");
    assert_eq!(quiet, fine, "{report}");
}

/// The CLI prints each file's warnings (once per kind, with the count and the
/// first) and repairs on stderr; `--strict` makes them errors; an overflowing
/// debug=1 count is an error, as in pprof.
#[test]
fn cli_warnings_and_strict() {
    use profdrop::cli::run_with;
    let files = |name: &str| -> std::io::Result<Vec<u8>> {
        Ok(match name {
            "cut.txt" => b"goroutine 1 [running]:\nmain.main()\n\t/m.go:1 +0x1\n\ngoroutine 2 [running]:\nmain.f(\n\ngoroutine 3 [running]:\nmain.g(\n\ngoroutine 4 [running]:\nmain.h()\n\t/m.go:4 +0x1\n".to_vec(),
            "pasted.txt" => b"host app[1]: goroutine 1 [running]:\nhost app[1]: main.main()\nhost app[1]: \t/m.go:1 +0x1\n".to_vec(),
            "overflow.txt" => b"goroutine profile: total 5\n99999999999999999999 @ 0x1\n#\t0x1\tmain.f+0x1\t/m.go:1\n\n".to_vec(),
            _ => return Err(std::io::Error::other("no such file")),
        })
    };
    let args = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let out = run_with(&args(&["top", "cut.txt"]), files);
    assert_eq!(out.code, 0);
    assert!(out.stderr.contains("profdrop: cut.txt: 2 warnings like: line"), "{}", out.stderr);
    assert!(out.stderr.contains("profdrop: cut.txt: warning: 2 malformed goroutines skipped"), "{}", out.stderr);
    let out = run_with(&args(&["top", "pasted.txt"]), files);
    assert!(
        out.stderr.contains("profdrop: pasted.txt: repaired the pasted text: removed a log prefix from 3 lines"),
        "{}",
        out.stderr
    );
    for a in [
        &["top", "--strict", "cut.txt"][..],
        &["top", "--strict", "pasted.txt"],
        &["findings", "--strict", "cut.txt"],
        &["goroutines", "--strict", "pasted.txt"],
    ] {
        let out = run_with(&args(a), files);
        assert_eq!(out.code, 1, "{a:?}: {}", out.stderr);
        assert!(
            out.stdout.is_empty() && out.stderr.contains("--strict: the decoder warnings and repairs above are errors"),
            "{a:?}"
        );
    }
    let out = run_with(&args(&["top", "overflow.txt"]), files);
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("count 99999999999999999999 of a record is out of range"), "{}", out.stderr);
    assert_eq!(
        run_with(&args(&["top", "--strict", "goroutine_clean.txt"]), |_| Ok(
            b"goroutine 1 [running]:\nmain.main()\n\t/m.go:1 +0x1\n".to_vec()
        ))
        .code,
        0
    );
}
