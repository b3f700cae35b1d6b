//! block/mutex debug=1 text (`--- contention:` / `--- mutex:`).
#![no_main]
use libfuzzer_sys::fuzz_target;
use profdrop::decode::{legacy_contention, Limits};

fuzz_target!(|data: &[u8]| {
    let limits = Limits::default();
    let _ = legacy_contention::decode(data, &limits);
});
