//! Text dumps hold memory in proportion to their size: any input the text
//! decoders accept (goroutine, heap, contention, threadcreate, tracebacks,
//! UTF-16 or not) is decoded under a counting allocator, and the peak of
//! what decoding holds must stay within 64 bytes per input byte plus 16 MiB
//! (the CLI's promise is 10 times the larger of the input and 64 MB).
#![no_main]
use libfuzzer_sys::fuzz_target;
use profdrop::decode::{decode_uncompressed, Limits};
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

struct Counting;
static NOW: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        let p = System.alloc(l);
        if !p.is_null() {
            PEAK.fetch_max(NOW.fetch_add(l.size(), Relaxed) + l.size(), Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        System.dealloc(p, l);
        NOW.fetch_sub(l.size(), Relaxed);
    }
    unsafe fn realloc(&self, p: *mut u8, l: Layout, new: usize) -> *mut u8 {
        let q = System.realloc(p, l, new);
        if !q.is_null() {
            if new > l.size() {
                PEAK.fetch_max(NOW.fetch_add(new - l.size(), Relaxed) + new - l.size(), Relaxed);
            } else {
                NOW.fetch_sub(l.size() - new, Relaxed);
            }
        }
        q
    }
}

#[global_allocator]
static A: Counting = Counting;

fuzz_target!(|data: &[u8]| {
    let limits = Limits { max_inflated_bytes: 64 << 20, ..Limits::default() };
    let before = NOW.load(Relaxed);
    PEAK.store(before, Relaxed);
    let p = decode_uncompressed(data, &limits);
    let held = PEAK.load(Relaxed) - before;
    drop(p);
    let bound = 64 * data.len() + (16 << 20);
    assert!(held <= bound, "decoding {} bytes held {held} bytes (bound {bound})", data.len());
});
