//! The goroutine header parser: no panic on any line, and a header, whatever
//! follows `goroutine N [`, never loses its goroutine.
#![no_main]
use libfuzzer_sys::fuzz_target;
use profdrop::decode::{goroutine_header, traceback, Limits};

fuzz_target!(|data: &[u8]| {
    let _ = goroutine_header::parse(data);
    // The bytes as the rest of a header line (a line ends at a newline).
    let tail: Vec<u8> = data.iter().copied().filter(|&b| b != b'\n' && b != b'\r').collect();
    let mut dump = b"goroutine 42 [".to_vec();
    dump.extend_from_slice(&tail);
    dump.extend_from_slice(b"\nmain.f()\n\t/src/f.go:1 +0x1\n");
    let p = traceback::decode(&dump, &Limits::default()).expect("a header with one good frame decodes");
    let t = p.goroutines.as_ref().expect("a goroutine table");
    assert_eq!(t.goroutines.len(), 1);
    assert_eq!(t.goroutines[0].id, 42);
});
