//! goroutine and threadcreate debug=1 text (`goroutine profile: total N`).
#![no_main]
use libfuzzer_sys::fuzz_target;
use profdrop::decode::{legacy_count, Limits};

fuzz_target!(|data: &[u8]| {
    let limits = Limits::default();
    let _ = legacy_count::decode(data, &limits);
});
