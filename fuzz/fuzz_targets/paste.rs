//! The pasted-text reader (decode/paste.rs): no panic, and no goroutine
//! header disappears without being counted: every line of the input holding
//! a header is still one in the repaired text, or among the lines reported
//! as not placed.
#![no_main]
use libfuzzer_sys::fuzz_target;
use profdrop::decode::{decode_uncompressed, paste, Limits};

fuzz_target!(|data: &[u8]| {
    if let Some(r) = paste::repair(data) {
        let (before, after) = (paste::header_lines(data), paste::header_lines(&r.text));
        assert!(
            after + r.repairs.unplaced >= before,
            "{before} header lines, {after} after, {} not placed",
            r.repairs.unplaced
        );
        assert_eq!(r.repairs.unplaced > 0, r.repairs.first_unplaced.is_some());
    }
    let _ = decode_uncompressed(data, &Limits::default());
});
