//! A transform chain over whatever decodes: sample index, focus/hide, then
//! the top table and the text report, so views are fuzzed too.
#![no_main]
use libfuzzer_sys::fuzz_target;
use profdrop::decode::{decode, Limits};
use profdrop::view::report::{Options, Report, ReportKind};
use profdrop::view::top;

fuzz_target!(|data: &[u8]| {
    let limits = Limits { max_inflated_bytes: 64 << 20, ..Limits::default() };
    let Ok(p) = decode(data, &limits) else { return };
    for o in [
        Options::default(),
        Options { sample_index: "0".into(), nodecount: Some(5), cum: true, ..Options::default() },
        Options { nodefraction: 0.0, mean: true, ..Options::default() },
    ] {
        if let Ok(mut r) = Report::new(&p, ReportKind::Top, &o) {
            let _ = top::render_text(&mut r);
        }
    }
});
