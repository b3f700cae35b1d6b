//! Runs in wasm (Node by default, Chromium with WASM_BINDGEN_USE_BROWSER=1):
//! the engine decodes and reports inside wasm exactly as natively.
#![cfg(target_arch = "wasm32")]

use profdrop::decode::{decode, Limits};
use profdrop::view::report::{Options, Report, ReportKind};
use profdrop::view::top;
use wasm_bindgen_test::*;

const HEAP_T1: &[u8] = include_bytes!("../../tests/fixtures/go/heap_t1.pb.gz");
const HEAP_T1_TOP: &str = include_str!("../../tests/fixtures/go/heap_t1.pb.gz.pprof_top_nodecount=1000000.txt");

#[wasm_bindgen_test]
fn decode_and_top_match_pprof_in_wasm() {
    let p = decode(HEAP_T1, &Limits::default()).unwrap();
    let p = profdrop::load::combine_decoded(vec![p], vec![], Default::default()).unwrap();
    let o = Options { nodecount: Some(1_000_000), ..Options::default() };
    let mut r = Report::new(&p, ReportKind::Top, &o).unwrap();
    r.utc = true;
    assert_eq!(top::render_text(&mut r), HEAP_T1_TOP);
}

#[wasm_bindgen_test]
fn session_reports_errors_with_their_stage() {
    let mut s = profdrop::wasm::Session::new();
    assert!(s.load("heap_t1.pb.gz", HEAP_T1).is_ok());
    assert!(s.load("broken.pb.gz", &HEAP_T1[..100]).is_err());
    let text = s.top_text(&[0], wasm_bindgen::JsValue::UNDEFINED).unwrap();
    assert!(text.contains("bufio.NewReaderSize (inline)"));
}

const GOROUTINE_T0_DEBUG2: &[u8] = include_bytes!("../../tests/fixtures/go/goroutine_t0.debug2.txt");
const HEAP_T0_DEBUG1: &[u8] = include_bytes!("../../tests/fixtures/go/heap_t0.debug1.txt");
const ALLOCS_T0: &[u8] = include_bytes!("../../tests/fixtures/go/allocs_t0.pb.gz");

#[wasm_bindgen_test]
fn text_dumps_decode_in_wasm_as_natively() {
    // debug=2: one goroutine per header.
    let p = decode(GOROUTINE_T0_DEBUG2, &Limits::default()).unwrap();
    let headers = String::from_utf8_lossy(GOROUTINE_T0_DEBUG2).lines().filter(|l| l.starts_with("goroutine ")).count();
    assert_eq!(p.goroutines.as_ref().unwrap().goroutines.len(), headers);
    assert_eq!(p.totals(), [headers as i64]);
    // heap debug=1 un-sampled in wasm (its own exp()) equals the binary of the same GC cycle.
    let text = decode(HEAP_T0_DEBUG1, &Limits::default()).unwrap();
    let binary = decode(ALLOCS_T0, &Limits::default()).unwrap();
    let printed = |p: &profdrop::model::Profile, i: &str| {
        let o = Options { sample_index: i.into(), nodecount: Some(1), ..Options::default() };
        let mut r = Report::new(p, ReportKind::Top, &o).unwrap();
        r.utc = true;
        let t = top::render_text(&mut r);
        t.lines().find(|l| l.starts_with("Showing nodes")).unwrap().rsplit(" of ").next().unwrap().to_string()
    };
    for i in ["inuse_space", "alloc_space"] {
        assert_eq!(printed(&text, i), printed(&binary, i), "{i}");
    }
}
