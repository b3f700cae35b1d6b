//! A transform chain over whatever decodes: sample index, focus/hide and tag
//! filters, then the top table, the text report and the flame layout, so
//! views are fuzzed too.
#![no_main]
use libfuzzer_sys::fuzz_target;
use profdrop::decode::{decode, Limits};
use profdrop::report::top;
use profdrop::report::{Options, Report, ReportKind};
use profdrop::view::calltree::build_call_tree;
use profdrop::view::flame;

fuzz_target!(|data: &[u8]| {
    let limits = Limits { max_inflated_bytes: 64 << 20, ..Limits::default() };
    let Ok(p) = decode(data, &limits) else { return };
    for o in [
        Options::default(),
        Options { sample_index: "0".into(), nodecount: Some(5), cum: true, ..Options::default() },
        Options {
            nodefraction: 0.0,
            mean: true,
            focus: "main|http".into(),
            hide: "runtime".into(),
            ..Options::default()
        },
        Options { ignore: "a".into(), show_from: "b".into(), tagfocus: "route=x".into(), ..Options::default() },
    ] {
        if let Ok(mut r) = Report::new(&p, ReportKind::Top, &o) {
            let _ = top::render_text(&mut r);
            for inverted in [false, true] {
                let t = build_call_tree(&r, inverted);
                let _ = flame::layout(&t, 0.0);
            }
        }
    }
});
