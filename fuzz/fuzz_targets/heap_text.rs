//! heap/allocs debug=1 text and gperftools heapz (`heap profile: ...`).
#![no_main]
use libfuzzer_sys::fuzz_target;
use profdrop::decode::{legacy_heap, Limits};

fuzz_target!(|data: &[u8]| {
    let limits = Limits::default();
    let _ = legacy_heap::decode(data, &limits);
});
