//! Hostile and damaged inputs: gzip bombs are refused early with the cap
//! named and memory bounded (counted by this binary's allocator), mutated
//! copies of every Go fixture give a result or a clear error, never a panic
//! or a hang, and small files that declare huge tables (made here) are
//! refused by the bounds checked before allocation, each naming its limit
//! and the CLI flag that raises it. The figures of the full-size attacks
//! (peak memory of the CLI, scripts/hostile_inputs.py) are in DEVELOPERS.md.

mod common;
use common::*;
use profdrop::decode::{decode, gzip, DecodeError, Limits, Stage};
use profdrop::session::Session;
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Counts live and peak heap bytes of this test binary.
struct Counting;
static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        let p = System.alloc(l);
        if !p.is_null() {
            let now = LIVE.fetch_add(l.size(), Ordering::Relaxed) + l.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        System.dealloc(p, l);
        LIVE.fetch_sub(l.size(), Ordering::Relaxed);
    }
    unsafe fn realloc(&self, p: *mut u8, l: Layout, new: usize) -> *mut u8 {
        let q = System.realloc(p, l, new);
        if !q.is_null() {
            if new > l.size() {
                let now = LIVE.fetch_add(new - l.size(), Ordering::Relaxed) + new - l.size();
                PEAK.fetch_max(now, Ordering::Relaxed);
            } else {
                LIVE.fetch_sub(l.size() - new, Ordering::Relaxed);
            }
        }
        q
    }
}

#[global_allocator]
static A: Counting = Counting;

/// Allocation measurements must not overlap: tests in this file run one at a time.
static SERIAL: Mutex<()> = Mutex::new(());

/// Peak bytes allocated while `f` runs, above what was live before.
fn peak_during<T>(f: impl FnOnce() -> T) -> (T, usize) {
    let base = LIVE.load(Ordering::Relaxed);
    PEAK.store(base, Ordering::Relaxed);
    let r = f();
    (r, PEAK.load(Ordering::Relaxed) - base)
}

fn gzip_member(payload: &[u8]) -> Vec<u8> {
    let mut v = vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255];
    v.extend_from_slice(&miniz_oxide::deflate::compress_to_vec(payload, 9));
    v.extend_from_slice(&crc32fast::hash(payload).to_le_bytes());
    v.extend_from_slice(&(payload.len() as u32).to_le_bytes());
    v
}

/// `members` gzip members each inflating to `payload`: a small file, a huge output.
fn bomb(payload: &[u8], members: usize) -> Vec<u8> {
    let m = gzip_member(payload);
    let mut v = Vec::with_capacity(m.len() * members);
    for _ in 0..members {
        v.extend_from_slice(&m);
    }
    v
}

#[test]
fn a_ten_gigabyte_bomb_of_zeros_is_refused_at_once() {
    let _s = SERIAL.lock().unwrap();
    let file = bomb(&vec![0u8; 100 << 20], 103); // 10.8 GB inflated
    assert!(file.len() < 12 << 20, "a small file: {} bytes", file.len());
    let t = Instant::now();
    let (r, peak) = peak_during(|| decode(&file, &Limits::default()));
    let e = r.unwrap_err();
    eprintln!("refused in {:?}, peak allocation {} KiB: {e}", t.elapsed(), peak >> 10);
    assert_eq!(e.stage, Stage::Decompressing);
    assert!(e.message.contains("of the 2 GiB cap on inflated size"), "{e}");
    assert!(peak < 16 << 20, "allocated {peak} bytes");
}

#[test]
fn a_bomb_that_looks_like_a_profile_stops_at_the_cap() {
    let _s = SERIAL.lock().unwrap();
    // Empty string-table entries (field 6, length 0): valid protobuf, endlessly.
    let payload: Vec<u8> = [0x32u8, 0x00].repeat(8 << 20);
    let file = bomb(&payload, 200); // 3.2 GB inflated
    let cap = 64u64 << 20;
    let limits = Limits { max_inflated_bytes: cap, ..Limits::default() };
    let (r, peak) = peak_during(|| decode(&file, &limits));
    let e = r.unwrap_err();
    eprintln!("peak allocation {} MiB: {e}", peak >> 20);
    assert_eq!(e.stage, Stage::Decompressing);
    assert!(e.message.contains("64 MiB cap on inflated size"), "{e}");
    assert!((peak as u64) <= cap + (4 << 20), "allocated {peak} bytes for a {cap}-byte cap");
}

fn go_files() -> Vec<std::path::PathBuf> {
    let mut v: Vec<_> = std::fs::read_dir(go_fixtures())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let n = p.file_name().unwrap().to_string_lossy().to_string();
            n.ends_with(".pb.gz") || (n.ends_with(".txt") && !n.contains(".pprof_") && n != "README.md")
        })
        .collect();
    v.sort();
    v
}

/// A hang detector, not a speed test: decoding a few hundred KB takes milliseconds.
const HANG: Duration = Duration::from_secs(10);

fn check_outcome(name: &str, data: &[u8]) {
    let t = Instant::now();
    match decode(data, &Limits::default()) {
        Ok(_) => {}
        Err(e) => assert!(!e.message.is_empty(), "{name}: an error must say why"),
    }
    assert!(t.elapsed() < HANG, "{name}: took {:?}", t.elapsed());
}

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

#[test]
fn mutated_go_fixtures_give_a_result_or_a_clear_error() {
    let _s = SERIAL.lock().unwrap();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut cases = 0;
    for path in go_files() {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let data = read(&path);
        // Truncated at ten points.
        for k in 1..=10 {
            let cut = data.len() * k / 11;
            check_outcome(&format!("{name} cut at {cut}"), &data[..cut]);
            cases += 1;
        }
        // A hundred single-bit flips, each on a fresh copy, in the compressed
        // bytes and (for gzip) in the inflated bytes too.
        let raw = if gzip::is_gzip(&data) { Some(gzip::inflate(&data, 1 << 30).unwrap()) } else { None };
        for _ in 0..100 {
            let mut m = data.clone();
            let bit = (rng.next() % (m.len() as u64 * 8)) as usize;
            m[bit / 8] ^= 1 << (bit % 8);
            check_outcome(&format!("{name} bit {bit}"), &m);
            if let Some(raw) = &raw {
                let mut r = raw.clone();
                let bit = (rng.next() % (r.len() as u64 * 8)) as usize;
                r[bit / 8] ^= 1 << (bit % 8);
                check_outcome(&format!("{name} inflated bit {bit}"), &r);
                cases += 1;
            }
            cases += 1;
        }
        // The gzip trailer lying about the decompressed size.
        if data.len() > 8 && gzip::is_gzip(&data) {
            for lie in [0u32, 1, u32::MAX, 0x7fff_ffff] {
                let mut m = data.clone();
                let n = m.len();
                m[n - 4..].copy_from_slice(&lie.to_le_bytes());
                let e = decode(&m, &Limits::default()).unwrap_err();
                assert!(e.message.contains("checksum"), "{name}: {e}");
                cases += 1;
            }
        }
    }
    eprintln!("{cases} mutated inputs decoded or refused cleanly");
    assert!(cases > 3000);
}

/// A protobuf writer: just what these inputs need.
#[derive(Default)]
struct Pb(Vec<u8>);

impl Pb {
    fn varint(&mut self, mut v: u64) -> &mut Self {
        while v >= 0x80 {
            self.0.push((v as u8) | 0x80);
            v >>= 7;
        }
        self.0.push(v as u8);
        self
    }
    fn int(&mut self, field: u64, v: u64) -> &mut Self {
        self.varint(field << 3).varint(v)
    }
    fn bytes(&mut self, field: u64, b: &[u8]) -> &mut Self {
        self.varint(field << 3 | 2).varint(b.len() as u64);
        self.0.extend_from_slice(b);
        self
    }
    fn msg(&mut self, field: u64, f: impl FnOnce(&mut Pb)) -> &mut Self {
        let mut m = Pb::default();
        f(&mut m);
        self.bytes(field, &m.0)
    }
}

/// A valid profile's head: the string table ("", "samples", "count",
/// "main.f") and one sample type.
fn head() -> Pb {
    let mut p = Pb::default();
    for s in ["", "samples", "count", "main.f"] {
        p.bytes(6, s.as_bytes());
    }
    p.msg(1, |m| {
        m.int(1, 1).int(2, 2);
    });
    p
}

/// A function 1 and location 1 (one line), and one sample of value 7 on it.
fn small_valid() -> Vec<u8> {
    let mut p = head();
    p.msg(5, |f| {
        f.int(1, 1).int(2, 3);
    });
    p.msg(4, |l| {
        l.int(1, 1).msg(4, |line| {
            line.int(1, 1).int(2, 10);
        });
    });
    p.msg(2, |s| {
        s.int(1, 1).int(2, 7);
    });
    p.0
}

fn refused(data: &[u8], limits: &Limits) -> DecodeError {
    match decode(data, limits) {
        Ok(_) => panic!("decoded a hostile input"),
        Err(e) => e,
    }
}

#[test]
fn millions_of_sample_types_on_few_bytes_are_refused_before_reserving_samples_times_types() {
    let _s = SERIAL.lock().unwrap();
    // 200,000 sample types and 100,000 empty samples: 2e10 values (160 GB)
    // claimed by 1.4 MB (a few KB gzipped). The old decoder reserved them all.
    let mut p = head();
    for _ in 0..200_000 {
        p.msg(1, |m| {
            m.int(1, 1).int(2, 2);
        });
    }
    for _ in 0..100_000 {
        p.bytes(2, &[]);
    }
    let gz = gzip_member(&p.0);
    assert!(gz.len() < 64 << 10, "a small file: {} bytes", gz.len());
    let (r, peak) = peak_during(|| decode(&gz, &Limits::default()));
    let e = r.expect_err("refused");
    assert!(peak < 32 << 20, "allocated {peak} bytes");
    assert_eq!(e.stage, Stage::Malformed);
    assert!(e.message.contains("100000 samples of 200001 sample types need 20000100000 values, more than the"), "{e}");
}

#[test]
fn table_limits_cover_sample_types_and_comments() {
    let _s = SERIAL.lock().unwrap();
    let limits = Limits { max_table_entries: 1000, ..Limits::default() };
    let mut p = head();
    for _ in 0..1000 {
        p.msg(1, |m| {
            m.int(1, 1).int(2, 2);
        });
    }
    let e = refused(&p.0, &limits);
    assert!(
        e.message
            .contains("more than 1000 sample types, the limit on table entries; raise it (CLI: --max_table_entries=N)"),
        "{e}"
    );

    // Comments, packed: one byte each (2e8 of them fit in 204 KB gzipped).
    let mut p = head();
    p.bytes(13, &[0u8; 1001]);
    let e = refused(&p.0, &limits);
    assert!(e.message.contains("more than 1000 comments, the limit on table entries"), "{e}");
    // Unpacked too.
    let mut p = head();
    for _ in 0..1001 {
        p.int(13, 0);
    }
    assert!(refused(&p.0, &limits).message.contains("1000 comments"));
}

#[test]
fn lines_of_all_locations_are_bounded() {
    let _s = SERIAL.lock().unwrap();
    let limits = Limits { max_lines: 1000, ..Limits::default() };
    let location = |lines: usize| {
        let mut pb = Pb(small_valid());
        pb.msg(4, |l| {
            l.int(1, 2);
            for _ in 0..lines {
                l.msg(4, |line| {
                    line.int(1, 1);
                });
            }
        });
        pb.0
    };
    // 999 more lines on top of the valid location's one: at the limit, decoded.
    assert!(decode(&location(998), &limits).is_ok());
    let e = refused(&location(1000), &limits);
    assert_eq!(e.stage, Stage::Parsing);
    assert!(
        e.message.contains(
            "hold more than 1000 lines, the limit on lines; raise it (CLI: --max_lines=N) if the file is genuine"
        ),
        "{e}"
    );
    // Spread over many locations, the same limit holds.
    let mut pb = Pb(small_valid());
    for id in 2..=1001 {
        pb.msg(4, |l| {
            l.int(1, id).msg(4, |line| {
                line.int(1, 1);
            });
        });
    }
    assert!(refused(&pb.0, &limits).message.contains("--max_lines=N"));
}

#[test]
fn labels_per_sample_are_bounded() {
    let _s = SERIAL.lock().unwrap();
    let limits = Limits { max_labels: 100, ..Limits::default() };
    let sample = |labels: usize| {
        let mut pb = Pb(small_valid());
        pb.msg(2, |s| {
            s.int(1, 1).int(2, 1);
            for i in 0..labels {
                s.msg(3, |l| {
                    l.int(1, 1).int(3, i as u64 + 1);
                });
            }
        });
        pb.0
    };
    assert!(decode(&sample(100), &limits).is_ok());
    let e = refused(&sample(101), &limits);
    assert!(
        e.message.contains("has more than 100 labels, the limit on labels per sample; raise it (CLI: --max_labels=N)"),
        "{e}"
    );
}

#[test]
fn extra_values_are_counted_not_held() {
    let _s = SERIAL.lock().unwrap();
    // One sample type, one sample with a million values (packed, a byte each).
    let mut pb = Pb(small_valid());
    pb.msg(2, |s| {
        s.int(1, 1).bytes(2, &vec![1u8; 1_000_000]);
    });
    let e = refused(&pb.0, &Limits::default());
    assert_eq!(e.stage, Stage::Malformed);
    assert!(e.message.contains("mismatch: sample #1 has 1000000 values vs. 1 types"), "{e}");
}

#[test]
fn the_page_load_path_stops_a_gzip_bomb_early_as_the_cli_does() {
    let _s = SERIAL.lock().unwrap();
    // 64 MB of zeros (64 KB gzipped): not a profile; refused after the first MiB.
    let bomb = gzip_member(&vec![0u8; 64 << 20]);
    let mut s = Session::new();
    let pending = s.begin_load("zeros.pb.gz", bomb.clone());
    let (r, peak) = peak_during(|| s.inflate(pending));
    let e = r.unwrap_err();
    assert!(peak < 8 << 20, "allocated {peak} bytes");
    assert!(e.0.contains("not a profile") && e.0.contains("stopped after inflating 1 MiB"), "{}", e.0);
    // The one-call load and the CLI say the same.
    assert!(s.load("zeros.pb.gz", &bomb).unwrap_err().0.contains("stopped after inflating 1 MiB"));
}

#[test]
fn nested_gzip_zlib_and_nul_bytes_get_sentences() {
    let _s = SERIAL.lock().unwrap();
    let gz_in_gz = gzip_member(&gzip_member(&small_valid()));
    let e = refused(&gz_in_gz, &Limits::default());
    assert!(e.message.contains("gzip-compressed again (gzip inside gzip)"), "{e}");
    // Large enough to be seen while inflating, through the page's steps too.
    let big: Vec<u8> = (0..3_000_000u32).flat_map(|i| i.to_le_bytes()).collect();
    let mut s = Session::new();
    let pending = s.begin_load("twice.gz", gzip_member(&gzip_member(&big)));
    assert!(s.inflate(pending).unwrap_err().0.contains("gzip inside gzip"));

    let zlib = miniz_oxide::deflate::compress_to_vec_zlib(&small_valid(), 6);
    let e = refused(&zlib, &Limits::default());
    assert!(e.message.contains("a zlib stream"), "{e}");

    // A dump padded with NULs (as a log rotated in place leaves it).
    let mut text = b"goroutine 1 [running]:\nmain.main()\n\t/app/main.go:5 +0x1d\n".to_vec();
    let at = text.len();
    text.extend_from_slice(&[0; 4096]);
    let e = refused(&text, &Limits::default());
    assert!(e.message.contains(&format!("text with NUL bytes (the first at byte {at})")), "{e}");
}

#[test]
fn utf16_text_dumps_decode_with_or_without_a_byte_order_mark() {
    let _s = SERIAL.lock().unwrap();
    let utf8 = read(go_fixtures().join("goroutine_t0.debug2.txt"));
    let want = decode(&utf8, &Limits::default()).unwrap();
    let text = String::from_utf8(utf8).unwrap();
    let units: Vec<u16> = text.encode_utf16().collect();
    let le: Vec<u8> = units.iter().flat_map(|u| u.to_le_bytes()).collect();
    let be: Vec<u8> = units.iter().flat_map(|u| u.to_be_bytes()).collect();
    for (name, bytes) in [
        ("UTF-16LE", le.clone()),
        ("UTF-16BE", be.clone()),
        ("UTF-16LE with BOM", [&[0xff, 0xfe][..], &le].concat()),
        ("UTF-16BE with BOM", [&[0xfe, 0xff][..], &be].concat()),
    ] {
        let p = decode(&bytes, &Limits::default()).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(p.samples.values, want.samples.values, "{name}");
        assert_eq!(
            p.goroutines.as_ref().map(|g| g.goroutines.len()),
            want.goroutines.as_ref().map(|g| g.goroutines.len())
        );
    }
}

#[test]
fn engine_panics_become_sentences() {
    let _s = SERIAL.lock().unwrap();
    use profdrop::session::panic_sentence;
    assert!(panic_sentence("capacity overflow").starts_with("the engine ran out of memory"));
    assert!(panic_sentence("memory allocation of 79000000000 bytes failed").starts_with("the engine ran out of memory"));
    let s = panic_sentence("index out of bounds: the len is 3 but the index is 5");
    assert_eq!(s, "an internal error in the engine: index out of bounds: the len is 3 but the index is 5");
    assert!(!panic_sentence(&"x".repeat(10_000)).contains(&"x".repeat(201)));
}
