//! Go tracebacks: debug=2 dumps, panics, GOTRACEBACK=all, SIGQUIT, race reports.
#![no_main]
use libfuzzer_sys::fuzz_target;
use profdrop::decode::{traceback, Limits};

fuzz_target!(|data: &[u8]| {
    let limits = Limits::default();
    let _ = traceback::decode(data, &limits);
});
