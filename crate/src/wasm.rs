//! The wasm boundary: the only file (with `wasm/to_js.rs`) that uses
//! wasm-bindgen. It converts and nothing else: JavaScript arguments in, a
//! call to the plain-Rust `session::Session` (which owns the profiles and
//! every rule), the result out through one serializer (`to_js`: objects for
//! summaries, typed arrays for the session's columns). JavaScript holds
//! numeric handles; errors become JS `Error`s whose message names the stage.
//!
//! The Worker (www/worker.js) calls these methods by name with the
//! arguments `www/engine.js` passes; names, argument orders and result
//! shapes are the page's API (engine.js documents the shapes).

mod to_js;

use crate::report::Options;
use crate::session;
use crate::transform::redact::RedactOptions;
use js_sys::{Array, Reflect, Uint8Array};
use serde::Serialize;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
pub struct Session {
    s: session::Session,
}

// A session::Error becomes a JsError with its message (wasm-bindgen's From for std errors).
type Js = Result<JsValue, JsError>;

/// A session result as a JavaScript value.
fn js<T: Serialize>(r: session::Result<T>) -> Js {
    to_js::to_js(&r?).map_err(|e| JsError::new(&e.to_string()))
}

fn bytes(r: session::Result<Vec<u8>>) -> Result<Uint8Array, JsError> {
    Ok(Uint8Array::from(&r?[..]))
}

fn flags(r: session::Result<session::U8s>) -> Result<Uint8Array, JsError> {
    Ok(Uint8Array::from(&r?.0[..]))
}

/// pprof's options by their pprof names (`{sample_index: "alloc_space", focus: "net/http"}`).
fn options(o: JsValue) -> Result<Options, JsError> {
    if o.is_undefined() || o.is_null() {
        return Ok(Options::default());
    }
    serde_wasm_bindgen::from_value(o).map_err(|e| JsError::new(&format!("options: {e}")))
}

/// `{file_paths, function_names, label_values, mappings}`, each true or absent
/// (read field by field: a serde deserializer here would cost the module more).
fn redact_options(o: JsValue) -> RedactOptions {
    let flag = |k: &str| Reflect::get(&o, &JsValue::from_str(k)).ok().is_some_and(|v| v.is_truthy());
    if !o.is_object() {
        return RedactOptions::default();
    }
    RedactOptions {
        file_paths: flag("file_paths"),
        function_names: flag("function_names"),
        label_values: flag("label_values"),
        mappings: flag("mappings"),
    }
}

impl Default for Session {
    fn default() -> Self {
        Self::new()
    }
}

/// Loading (session/loading.rs).
#[wasm_bindgen]
impl Session {
    #[wasm_bindgen(constructor)]
    pub fn new() -> Session {
        Session { s: session::Session::new() }
    }

    pub fn load(&mut self, name: &str, bytes: &[u8]) -> Js {
        js(self.s.load(name, bytes))
    }

    pub fn begin_load(&mut self, name: String, bytes: Vec<u8>) -> u32 {
        self.s.begin_load(&name, bytes)
    }

    pub fn begin_load_sized(&mut self, name: String, size: usize) -> Result<u32, JsError> {
        Ok(self.s.begin_load_sized(&name, size)?)
    }

    pub fn cancel_load(&mut self, pending: u32) {
        self.s.cancel_load(pending)
    }

    /// Where a pending load's bytes are in wasm memory (valid until the next call).
    pub fn input_ptr(&mut self, pending: u32) -> Result<*mut u8, JsError> {
        Ok(self.s.pending_bytes(pending)?.as_mut_ptr())
    }

    pub fn inflate(&mut self, pending: u32) -> Result<(), JsError> {
        Ok(self.s.inflate(pending)?)
    }

    pub fn finish_load(&mut self, pending: u32) -> Js {
        js(self.s.finish_load(pending))
    }

    pub fn remove(&mut self, id: u32) {
        self.s.remove(id)
    }

    pub fn details(&self, id: u32) -> Js {
        js(self.s.details(id))
    }

    pub fn set_file_time(&mut self, id: u32, millis: f64) -> Js {
        js(self.s.set_file_time(id, millis))
    }
}

/// The views of a query (session/reports.rs).
#[wasm_bindgen]
impl Session {
    pub fn top_text(&mut self, ids: &[u32], o: JsValue) -> Result<String, JsError> {
        Ok(self.s.top_text(ids, &options(o)?)?)
    }

    pub fn top(&mut self, ids: &[u32], o: JsValue) -> Js {
        js(self.s.top(ids, &options(o)?))
    }

    pub fn top_match(&mut self, ids: &[u32], o: JsValue, pattern: &str) -> Result<Uint8Array, JsError> {
        flags(self.s.top_match(ids, &options(o)?, pattern))
    }

    pub fn flame(&mut self, ids: &[u32], o: JsValue, zoom: u32, min_fraction: f64) -> Js {
        js(self.s.flame(ids, &options(o)?, zoom, min_fraction))
    }

    pub fn flame_search(&mut self, ids: &[u32], o: JsValue, pattern: &str) -> Js {
        js(self.s.flame_search(ids, &options(o)?, pattern))
    }

    pub fn tree_children(
        &mut self,
        ids: &[u32],
        o: JsValue,
        inverted: bool,
        node: u32,
        limit: u32,
        pattern: &str,
    ) -> Js {
        js(self.s.tree_children(ids, &options(o)?, inverted, node, limit, pattern))
    }

    pub fn peek(&mut self, ids: &[u32], o: JsValue, pattern: &str) -> Js {
        js(self.s.peek(ids, &options(o)?, pattern))
    }

    pub fn format(&mut self, ids: &[u32], o: JsValue, values: &[f64], of: &[f64]) -> Js {
        js(self.s.format(ids, &options(o)?, values, of))
    }

    pub fn dot(&mut self, ids: &[u32], o: JsValue) -> Js {
        js(self.s.dot(ids, &options(o)?))
    }

    pub fn tags(&mut self, ids: &[u32], o: JsValue, max_values: u32) -> Js {
        js(self.s.tags(ids, &options(o)?, max_values))
    }
}

/// Comparisons (session/comparisons.rs).
#[wasm_bindgen]
impl Session {
    pub fn compare_groups(&self, ids: &[u32]) -> Js {
        js(self.s.compare_groups(ids))
    }

    pub fn compare_default_mode(&self, target: u32, o: JsValue) -> Js {
        js(self.s.compare_default_mode(target, &options(o)?))
    }

    pub fn compare_top(&mut self, base: u32, target: u32, mode: &str, o: JsValue) -> Js {
        js(self.s.compare_top(base, target, mode, &options(o)?))
    }

    pub fn compare_top_match(
        &mut self,
        base: u32,
        target: u32,
        mode: &str,
        o: JsValue,
        pattern: &str,
    ) -> Result<Uint8Array, JsError> {
        flags(self.s.compare_top_match(base, target, mode, &options(o)?, pattern))
    }

    pub fn compare_flame(
        &mut self,
        base: u32,
        target: u32,
        mode: &str,
        o: JsValue,
        zoom: u32,
        min_fraction: f64,
    ) -> Js {
        js(self.s.compare_flame(base, target, mode, &options(o)?, zoom, min_fraction))
    }

    pub fn compare_flame_search(&mut self, pattern: &str) -> Result<Uint8Array, JsError> {
        flags(self.s.compare_flame_search(pattern))
    }

    pub fn compare_describe(&self, base: f64, target: f64) -> Js {
        js(self.s.compare_describe(base, target))
    }

    pub fn compare_stacks(&mut self, base: u32, target: u32, mode: &str, o: JsValue, limit: u32) -> Js {
        js(self.s.compare_stacks(base, target, mode, &options(o)?, limit))
    }

    pub fn growth(&self, ids: &[u32], o: JsValue, limit: &str, max_rows: u32) -> Js {
        js(self.s.growth(ids, &options(o)?, limit, max_rows))
    }
}

/// Goroutines and findings (session/goroutines.rs).
#[wasm_bindgen]
impl Session {
    pub fn goroutine_compare(
        &self,
        base: u32,
        target: u32,
        similarity: &str,
        interval_minutes: f64,
        max_rows: u32,
    ) -> Js {
        js(self.s.goroutine_compare(base, target, similarity, interval_minutes, max_rows))
    }

    pub fn goroutines(&self, ids: &[u32], similarity: &str, fold_background: bool, max_groups: u32) -> Js {
        js(self.s.goroutines(ids, similarity, fold_background, max_groups))
    }

    pub fn findings(&self, goroutine_limit: &str, heap_limit: &str) -> Js {
        js(self.s.findings(goroutine_limit, heap_limit))
    }

    pub fn findings_of(&self, ids: &[u32], goroutine_limit: &str, heap_limit: &str) -> Js {
        js(self.s.findings_of(ids, goroutine_limit, heap_limit))
    }
}

/// Sharing (session/sharing.rs).
#[wasm_bindgen]
impl Session {
    pub fn top_export(&mut self, ids: &[u32], o: JsValue, format: &str) -> Result<String, JsError> {
        Ok(self.s.top_export(ids, &options(o)?, format)?)
    }

    pub fn compare_export(
        &mut self,
        base: u32,
        target: u32,
        mode: &str,
        o: JsValue,
        format: &str,
    ) -> Result<String, JsError> {
        Ok(self.s.compare_export(base, target, mode, &options(o)?, format)?)
    }

    pub fn export_pprof(&mut self, ids: &[u32], o: JsValue) -> Result<Uint8Array, JsError> {
        bytes(self.s.export_pprof(ids, &options(o)?))
    }

    pub fn compare_export_pprof(
        &mut self,
        base: u32,
        target: u32,
        mode: &str,
        o: JsValue,
    ) -> Result<Uint8Array, JsError> {
        bytes(self.s.compare_export_pprof(base, target, mode, &options(o)?))
    }

    pub fn redacted(&self, id: u32, o: JsValue) -> Result<Uint8Array, JsError> {
        bytes(self.s.redacted(id, &redact_options(o)))
    }

    pub fn redaction_kept(&self, o: JsValue) -> Array {
        self.s.redaction_kept(&redact_options(o)).iter().map(|s| JsValue::from_str(s)).collect()
    }
}

/// Hands a panic's message to the Worker (as `self.profdropPanic(message)`)
/// before the module traps, so the page can say what stopped the engine.
#[wasm_bindgen(start)]
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let global = js_sys::global();
        if let Ok(f) = Reflect::get(&global, &JsValue::from_str("profdropPanic")) {
            if let Some(f) = f.dyn_ref::<js_sys::Function>() {
                let _ = f.call1(&global, &JsValue::from_str(&info.to_string()));
            }
        }
    }));
}
