//! Hostile and damaged inputs: gzip bombs are refused early with the cap
//! named and memory bounded (counted by this binary's allocator), and mutated
//! copies of every Go fixture give a result or a clear error, never a panic
//! or a hang.

mod common;
use common::*;
use profdrop::decode::{decode, gzip, Limits, Stage};
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
