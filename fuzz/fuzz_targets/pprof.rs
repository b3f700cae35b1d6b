//! The protobuf decoder on raw (uncompressed) bytes.
#![no_main]
use libfuzzer_sys::fuzz_target;
use profdrop::decode::{pprof, Limits};

fuzz_target!(|data: &[u8]| {
    let _ = pprof::decode(data, &Limits::default());
});
