//! Bounded inflate: malformed streams, lying sizes, bombs under a small cap.
#![no_main]
use libfuzzer_sys::fuzz_target;
use profdrop::decode::gzip;

fuzz_target!(|data: &[u8]| {
    if let Ok(out) = gzip::inflate(data, 16 << 20) {
        assert!(out.len() <= 16 << 20);
    }
});
