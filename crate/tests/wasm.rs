//! Runs in wasm (Node by default, Chromium with WASM_BINDGEN_USE_BROWSER=1):
//! the engine decodes and reports inside wasm exactly as natively.
#![cfg(target_arch = "wasm32")]

use profdrop::decode::{decode, Limits};
use profdrop::report::top;
use profdrop::report::{Options, Report, ReportKind};
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

const HEAP_T1_DOT: &str = include_str!("../../tests/fixtures/go/heap_t1.pb.gz.pprof_dot.txt");
const HEAP_T1_DOT_20: &str = include_str!("../../tests/fixtures/go/heap_t1.pb.gz.pprof_dot_nodecount=20.txt");
const CPU_T1: &[u8] = include_bytes!("../../tests/fixtures/go/cpu_t1.pb.gz");

fn field(o: &wasm_bindgen::JsValue, k: &str) -> wasm_bindgen::JsValue {
    js_sys::Reflect::get(o, &wasm_bindgen::JsValue::from_str(k)).unwrap()
}

#[wasm_bindgen_test]
fn session_dot_is_pprofs_and_lists_the_drawn_nodes() {
    let mut s = profdrop::wasm::Session::new();
    s.load("heap_t1.pb.gz", HEAP_T1).unwrap();
    let g = s.dot(&[0], wasm_bindgen::JsValue::UNDEFINED).unwrap();
    let dot = field(&g, "dot").as_string().unwrap();
    // Time: printed in UTC by the session, as in the reference.
    assert_eq!(dot, HEAP_T1_DOT);
    let ids = js_sys::Uint32Array::from(field(&g, "ids")).to_vec();
    let nodes =
        dot.lines().filter(|l| l.starts_with('N') && l.contains(" [label=\"") && l.contains("id=\"node")).count();
    assert_eq!(ids.len(), nodes);
    assert_eq!(ids, (1..=nodes as u32).collect::<Vec<_>>());
    let flat = js_sys::Float64Array::from(field(&g, "flat")).to_vec();
    let cum = js_sys::Float64Array::from(field(&g, "cum")).to_vec();
    assert!(flat.iter().zip(&cum).all(|(f, c)| f.abs() <= c.abs()));
    // nodecount reaches the engine by pprof's name
    let o = js_sys::Object::new();
    js_sys::Reflect::set(&o, &"nodecount".into(), &20.into()).unwrap();
    let g20 = s.dot(&[0], o.into()).unwrap();
    assert_eq!(field(&g20, "dot").as_string().unwrap(), HEAP_T1_DOT_20);
}

#[wasm_bindgen_test]
fn session_tags_are_pprofs() {
    let mut s = profdrop::wasm::Session::new();
    s.load("cpu_t1.pb.gz", CPU_T1).unwrap();
    let t = s.tags(&[0], wasm_bindgen::JsValue::UNDEFINED, 1000).unwrap();
    let keys = js_sys::Array::from(&field(&t, "keys"));
    assert_eq!(keys.length(), 1);
    let k = keys.get(0);
    assert_eq!(field(&k, "key").as_string().unwrap(), "route");
    assert_eq!(field(&k, "total_text").as_string().unwrap(), "280.0ms");
    let col = |name: &str| {
        let c = field(&k, name);
        let text = field(&c, "text").as_string().unwrap();
        let off = js_sys::Uint32Array::from(field(&c, "offsets")).to_vec();
        off.windows(2).map(|w| text[w[0] as usize..w[1] as usize].to_string()).collect::<Vec<_>>()
    };
    assert_eq!(col("name"), ["inventory-pooled", "inventory"]);
    assert_eq!(col("weight_text"), ["150.0ms", "130.0ms"]);
    assert_eq!(col("pct"), ["53.57%", "46.43%"]);
}

const GOROUTINE_T0: &[u8] = include_bytes!("../../tests/fixtures/go/goroutine_t0.pb.gz");

#[wasm_bindgen_test]
fn session_findings_of_counts_only_the_given_profiles() {
    let mut s = profdrop::wasm::Session::new();
    let id = |v: wasm_bindgen::JsValue| field(&v, "id").as_f64().unwrap() as u32;
    let g = id(s.load("goroutine_t0.pb.gz", GOROUTINE_T0).unwrap());
    let h = id(s.load("heap_t1.pb.gz", HEAP_T1).unwrap());
    let count = |v: &wasm_bindgen::JsValue, k: &str| field(v, k).as_f64().unwrap();
    let all = s.findings("", "").unwrap();
    assert_eq!((count(&all, "goroutine_profiles"), count(&all, "heap_profiles")), (1.0, 1.0));
    let only_g = s.findings_of(&[g], "", "").unwrap();
    assert_eq!((count(&only_g, "goroutine_profiles"), count(&only_g, "heap_profiles")), (1.0, 0.0));
    let only_h = s.findings_of(&[h], "", "").unwrap();
    assert_eq!((count(&only_h, "goroutine_profiles"), count(&only_h, "heap_profiles")), (0.0, 1.0));
    assert!(s.findings_of(&[99], "", "").is_err());
}
