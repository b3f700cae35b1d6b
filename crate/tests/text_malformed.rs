//! Damaged text dumps: cut short, a bad number, an unknown header, 64 KiB
//! lines, garbage between goroutines. Each gives partial results with a
//! warning naming the line, or an error naming its stage — never a panic.
//! The cut and byte-flip sweeps run every text format of tests/fixtures/go.

mod common;
use common::*;
use profdrop::decode::{decode, DecodeError, Limits, Position, Stage};
use profdrop::model::{Profile, SourceFormat};

fn dec(text: &str) -> Result<Profile, DecodeError> {
    decode(text.as_bytes(), &Limits::default())
}

fn warned_at(p: &Profile, line: usize) -> bool {
    p.warnings.iter().any(|w| w.starts_with(&format!("line {line}:")))
}

fn goroutine_count(p: &Profile) -> usize {
    p.goroutines.as_ref().map_or(0, |t| t.goroutines.len())
}

/// The text formats of the Go fixtures (all but the binaries).
fn text_fixtures() -> Vec<(String, Vec<u8>)> {
    let mut v: Vec<(String, Vec<u8>)> = std::fs::read_dir(go_fixtures())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let n = p.file_name().unwrap().to_string_lossy();
            n.ends_with(".debug1.txt") || n.ends_with(".debug2.txt")
        })
        .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), read(&p)))
        .collect();
    v.sort();
    assert_eq!(v.len(), 14, "debug=1 of 6 profiles and debug=2 of goroutines, at t0 and t1");
    v
}

/// An error must name its stage; results must be consistent.
fn check_outcome(what: &str, r: &Result<Profile, DecodeError>) {
    match r {
        Ok(p) => {
            let n = p.num_types();
            assert_eq!(p.samples.values.len(), p.samples.len() * n, "{what}: value columns");
            for i in 0..p.samples.len() {
                for &l in p.sample_stack(i) {
                    assert!(l.idx() < p.locations.len(), "{what}: dangling location");
                }
            }
        }
        Err(e) => {
            let t = e.to_string();
            assert!(t.starts_with("parsing profile: ") || t.starts_with("malformed profile: "), "{what}: {t}");
        }
    }
}

#[test]
fn every_cut_of_every_text_format_is_handled() {
    for (name, data) in text_fixtures() {
        // The first 128 KiB hold every kind of record; cut them at 120 spread
        // bytes and at 120 line ends (every one for small files).
        let data = &data[..data.len().min(128 * 1024)];
        let step = (data.len() / 120).max(1);
        let mut cuts: Vec<usize> = (1..data.len()).step_by(step).collect();
        let ends: Vec<usize> = data.iter().enumerate().filter(|(_, &b)| b == b'\n').map(|(i, _)| i).collect();
        cuts.extend(ends.iter().step_by((ends.len() / 120).max(1)));
        for cut in cuts {
            let r = decode(&data[..cut], &Limits::default());
            check_outcome(&format!("{name} cut at {cut}"), &r);
        }
    }
}

#[test]
fn flipped_bytes_are_handled() {
    // A fixed pseudo-random sequence: reproducible, no dependency.
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for (name, data) in text_fixtures() {
        let data = &data[..data.len().min(256 * 1024)];
        for round in 0..60 {
            let mut d = data.to_vec();
            for _ in 0..1 + round % 8 {
                let i = (next() as usize) % d.len();
                d[i] = match next() % 6 {
                    0 => b'\n',
                    1 => b' ',
                    2 => b'#',
                    3 => b'@',
                    4 => b'(',
                    _ => (next() % 256) as u8,
                };
            }
            check_outcome(&format!("{name} round {round}"), &decode(&d, &Limits::default()));
        }
    }
}

#[test]
fn traceback_cut_in_a_frame_keeps_the_goroutines_before_and_warns() {
    let full = String::from_utf8(read(go_fixtures().join("goroutine_t0.debug2.txt"))).unwrap();
    let n_full = goroutine_count(&dec(&full).unwrap());
    // Cut right after the last function line that is not a goroutine's first
    // frame (its file line lost).
    let lines: Vec<&str> = full.lines().collect();
    let func_line = (1..lines.len())
        .rev()
        .find(|&i| lines[i].ends_with(')') && !lines[i].starts_with("created by") && lines[i - 1].starts_with('\t'))
        .unwrap()
        + 1;
    let cut = lines[..func_line].join("\n") + "\n";
    let p = dec(&cut).unwrap();
    assert_eq!(goroutine_count(&p), n_full, "the cut goroutine keeps its other frames");
    assert!(warned_at(&p, func_line), "warning for line {func_line}: {:?}", p.warnings);
    // Cut inside a header: the header is reported, the goroutines before kept.
    let at = full.rfind("\ngoroutine ").unwrap() + 14;
    let p = dec(&full[..at]).unwrap();
    assert_eq!(goroutine_count(&p), n_full - 1);
    let header_line = full[..at].lines().count();
    assert!(warned_at(&p, header_line), "{:?}", p.warnings);
}

#[test]
fn bad_numbers_name_their_line() {
    // debug=2: a line number that does not fit.
    let t = "goroutine 1 [running]:\nmain.main()\n\t/x.go:1 +0x1\n\ngoroutine 2 [running]:\nmain.f()\n\t/x.go:99999999999999999999 +0x1\n\ngoroutine 3 [running]:\nmain.g()\n\t/x.go:3\n";
    let p = dec(t).unwrap();
    assert_eq!(p.goroutines.as_ref().unwrap().goroutines.iter().map(|g| g.id).collect::<Vec<_>>(), [1, 3]);
    assert!(warned_at(&p, 7), "{:?}", p.warnings);
    // debug=1 goroutine: a count that is not a number.
    let t = "goroutine profile: total 3\n1 @ 0x1001\n#\t0x1000\tmain.a+0x1\t/a.go:1\n\n2x @ 0x2001\n#\t0x2000\tmain.b+0x1\t/b.go:2\n\n2 @ 0x3001\n#\t0x3000\tmain.c+0x1\t/c.go:3\n";
    let p = dec(t).unwrap();
    assert_eq!(p.totals(), [3]);
    assert!(warned_at(&p, 5), "{:?}", p.warnings);
    // heap debug=1: a size that is not a number.
    let t = "heap profile: 2: 64 [2: 64] @ heap/1048576\n1: 32 [1: 32] @ 0x1001\n#\t0x1000\tmain.a+0x1\t/a.go:1\n\n1: 3z [1: 32] @ 0x2001\n";
    let p = dec(t).unwrap();
    assert_eq!(p.samples.len(), 1);
    assert!(warned_at(&p, 5), "{:?}", p.warnings);
    // contention: a record that does not parse.
    let t = "--- mutex:\ncycles/second=1000000000\nsampling period=1\n100 1 @ 0x1001\n#\t0x1000\tmain.a+0x1\t/a.go:1\n\nabc def @ 0x2001\n";
    let p = dec(t).unwrap();
    assert_eq!(p.totals(), [1, 100]);
    assert!(warned_at(&p, 7), "{:?}", p.warnings);
    // Nothing readable: a clear error naming the line.
    let e = dec("goroutine 1 [running]:\nmain.main()\n\t/x.go:1x\n").unwrap_err();
    assert_eq!((e.stage, e.position), (Stage::Parsing, Some(Position::Line(3))), "{e}");
}

#[test]
fn unknown_headers_are_clear_errors() {
    for t in [
        "heap profile: 1: 2 [3: 4] @ heap_foo/99\n1: 2 [3: 4] @ 0x1\n",
        "--- contention:\nfrobs per second=12\n1 1 @ 0x1\n",
        "--- threadz x ---\n",
        "goroutine profile: total many\n",
        "PeriodType: cpu nanoseconds\nPeriod: 1\n",
    ] {
        let e = dec(t).unwrap_err();
        assert_eq!(e.stage, Stage::Parsing, "{t:?}: {e}");
        assert!(e.message.contains("not a profile"), "{t:?}: {e}");
    }
}

#[test]
fn lines_of_64_kib_and_more() {
    let long = "x".repeat(100 * 1024);
    // Before the dump (a log line), and as an argument list inside it.
    let t = format!(
        "{long}\npanic: boom\n\ngoroutine 1 [running]:\nmain.f({long})\n\t/x.go:1 +0x1\nmain.main()\n\t/x.go:2 +0x1\n"
    );
    let p = dec(&t).unwrap();
    let table = p.goroutines.as_ref().unwrap();
    assert_eq!(table.goroutines.len(), 1);
    assert_eq!(table.arg(&table.goroutines[0], 0).len(), long.len());
    assert!(table.prefix.starts_with(&long) && table.prefix.ends_with("panic: boom\n\n"));
    // The argument is not what the runtime prints: kept, with a warning for line 5.
    assert!(warned_at(&p, 5), "{:?}", p.warnings);
    // A 64 KiB+ label value in debug=1.
    let t = format!(
        "goroutine profile: total 1\n1 @ 0x1001\n# labels: {{\"k\":\"{long}\"}}\n#\t0x1000\tmain.a+0x1\t/a.go:1\n"
    );
    let p = dec(&t).unwrap();
    assert_eq!(p.str(p.sample_labels(0).strs[0].1).len(), long.len());
    // A 64 KiB+ function name in a heap record.
    let t = format!(
        "heap profile: 1: 32 [1: 32] @ heap/1048576\n1: 32 [1: 32] @ 0x1001\n#\t0x1000\tmain.{long}+0x1\t/a.go:1\n"
    );
    let p = dec(&t).unwrap();
    assert_eq!(p.str(p.functions[0].name).len(), long.len() + 5);
}

#[test]
fn garbage_between_goroutines_is_skipped_with_a_warning() {
    let t = "goroutine 1 [running]:\nmain.main()\n\t/x.go:1 +0x1\n\nrax    0x0\nrbx    0x1\n\ngoroutine 2 [select]:\nmain.f()\n\t/x.go:2 +0x1\n\nexit status 2\n";
    let p = dec(t).unwrap();
    let table = p.goroutines.as_ref().unwrap();
    assert_eq!(table.goroutines.len(), 2);
    assert!(warned_at(&p, 5), "{:?}", p.warnings);
    assert_eq!(p.warnings.len(), 1, "one warning for the two lines: {:?}", p.warnings);
    // Text after the last goroutine is kept as the dump's suffix, not a problem.
    assert_eq!(table.suffix, "exit status 2\n");
    assert_eq!(p.source_format, SourceFormat::GoroutineDebug2);
}

#[test]
fn byte_order_marks_and_utf16() {
    let dump = "goroutine 1 [running]:\nmain.main()\n\t/x.go:1 +0x1\n";
    let utf8_bom = [&b"\xef\xbb\xbf"[..], dump.as_bytes()].concat();
    let mut utf16le = vec![0xff, 0xfe];
    let mut utf16be = vec![0xfe, 0xff];
    for u in dump.replace('\n', "\r\n").encode_utf16() {
        utf16le.extend_from_slice(&u.to_le_bytes());
        utf16be.extend_from_slice(&u.to_be_bytes());
    }
    for (what, data) in [("utf-8 bom", utf8_bom), ("utf-16le", utf16le), ("utf-16be", utf16be)] {
        let p = decode(&data, &Limits::default()).unwrap_or_else(|e| panic!("{what}: {e}"));
        assert_eq!(goroutine_count(&p), 1, "{what}");
        assert_eq!(p.str(p.functions[0].name), "main.main", "{what}");
    }
    let p = decode(b"\xef\xbb\xbfgoroutine profile: total 1\n1 @ 0x1001\n", &Limits::default()).unwrap();
    assert_eq!(p.sample_type_name(0), "goroutine");
}
