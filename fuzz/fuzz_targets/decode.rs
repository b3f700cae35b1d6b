//! The sniffing entry point: any bytes, any format, never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;
use profdrop::decode::{decode, Limits};

fuzz_target!(|data: &[u8]| {
    let limits = Limits { max_inflated_bytes: 64 << 20, ..Limits::default() };
    let _ = decode(data, &limits);
});
