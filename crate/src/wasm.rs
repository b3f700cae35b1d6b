//! The wasm boundary: the only file that uses wasm-bindgen. A `Session` owns
//! the decoded profiles inside wasm memory; JavaScript holds numeric handles.
//!
//! - Bytes come in as `Uint8Array`. Loading is split in steps (`begin_load`,
//!   `inflate`, `finish_load`) so the Worker can report each stage.
//! - Views take `(ids, options)`: the loaded profiles to merge and pprof's
//!   options by their pprof names (`{sample_index: "alloc_space", focus:
//!   "net/http"}`). The filtered, aggregated report for the last query is
//!   kept, so switching views or expanding tree nodes does not recompute it.
//! - Large results are typed-array columns (`Uint32Array` ids, `Float64Array`
//!   values); strings travel as one string plus UTF-16 offsets (a "string
//!   column": entry `i` is `text.slice(offsets[i], offsets[i + 1])`). Numbers
//!   are formatted here, with pprof's units, never in JavaScript.
//! - Small summaries go through serde-wasm-bindgen. Errors become JS `Error`s
//!   whose message names the stage ("parsing profile: ... (at byte N)").

use crate::decode::{self, Limits};
use crate::load::{self, Input};
use crate::model::Profile;
use crate::report::peek;
use crate::report::top::{self, Top};
use crate::report::{Options, Report, ReportKind};
use crate::util::sort::SortRows;
use crate::util::units;
use crate::view::calltree::{build_call_tree, CallTree};
use crate::view::details::{self, profile_kind};
use crate::view::flame::{self, FlameLayout};
use js_sys::{Array, Float64Array, Object, Reflect, Uint32Array, Uint8Array};
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
pub struct Session {
    profiles: Vec<Option<Profile>>,
    pending: Vec<Option<Pending>>,
    limits: Limits,
    /// The merged profile of the last `ids` asked for.
    source: Option<(Vec<u32>, Profile)>,
    /// The report (and views computed from it) of the last query.
    prepared: Option<Prepared>,
    /// Comparisons, goroutines and findings (see the end of this file).
    compare: CompareState,
    /// The file name of each loaded profile (the `file` label of a merge with provenance).
    names: Vec<String>,
}

/// A file between `begin_load` and `finish_load`.
struct Pending {
    name: String,
    size: usize,
    bytes: Vec<u8>,
}

struct Prepared {
    key: String,
    rpt: Report,
    /// `build_top` results by `cum` (false: sorted by flat).
    top: [Option<Top>; 2],
    tree: [Option<CallTree>; 2],
    /// The last layout, by (zoom node, min fraction bits).
    flame: Option<((u32, u64), FlameLayout)>,
}

/// What the page lists for a loaded file.
pub struct Summary {
    pub id: u32,
    pub name: String,
    pub kind: &'static str,
    pub format: &'static str,
    pub sample_types: Vec<(String, String)>,
    pub default_sample_index: usize,
    pub samples: usize,
    pub time_nanos: f64,
    pub time_text: String,
    pub duration_nanos: f64,
    pub duration_text: String,
    pub size: usize,
    pub size_text: String,
    pub warnings: Vec<String>,
}

impl Summary {
    fn to_js(&self) -> JsValue {
        let o = Object::new();
        set(&o, "id", self.id);
        set(&o, "name", JsValue::from_str(&self.name));
        set(&o, "kind", JsValue::from_str(self.kind));
        set(&o, "format", JsValue::from_str(self.format));
        set(&o, "sample_types", pairs(&self.sample_types));
        set(&o, "default_sample_index", self.default_sample_index as u32);
        set(&o, "samples", self.samples as f64);
        set(&o, "time_nanos", self.time_nanos);
        set(&o, "time_text", JsValue::from_str(&self.time_text));
        set(&o, "duration_nanos", self.duration_nanos);
        set(&o, "duration_text", JsValue::from_str(&self.duration_text));
        set(&o, "size", self.size as f64);
        set(&o, "size_text", JsValue::from_str(&self.size_text));
        set(&o, "warnings", strings(&self.warnings));
        o.into()
    }
}

/// `[[a, b], ...]`
fn pairs(v: &[(String, String)]) -> Array {
    v.iter().map(|(a, b)| -> JsValue { Array::of2(&JsValue::from_str(a), &JsValue::from_str(b)).into() }).collect()
}

/// The details panel's data as a plain object (field names as in `Details`).
fn details_to_js(d: &details::Details) -> JsValue {
    let o = Object::new();
    let st = |k: &str, v: &str| set(&o, k, JsValue::from_str(v));
    st("kind", d.kind);
    st("format", d.format);
    st("default_sample_type", &d.default_sample_type);
    st("period_text", &d.period_text);
    st("time", &d.time);
    st("duration", &d.duration);
    st("drop_frames", &d.drop_frames);
    st("keep_frames", &d.keep_frames);
    st("doc_url", &d.doc_url);
    set(&o, "sample_types", pairs(&d.sample_types));
    set(&o, "period_type", pairs(std::slice::from_ref(&d.period_type)).get(0));
    set(&o, "period", d.period as f64);
    set(&o, "comments", strings(&d.comments));
    for (k, n) in [("samples", d.samples), ("stacks", d.stacks), ("locations", d.locations), ("functions", d.functions)]
    {
        set(&o, k, n as f64);
    }
    let mappings: Array = d
        .mappings
        .iter()
        .map(|m| -> JsValue {
            let r = Object::new();
            set(&r, "id", m.id as f64);
            for (k, v) in [
                ("start", &m.start),
                ("limit", &m.limit),
                ("offset", &m.offset),
                ("file", &m.file),
                ("build_id", &m.build_id),
                ("has", &m.has),
            ] {
                set(&r, k, JsValue::from_str(v));
            }
            r.into()
        })
        .collect();
    set(&o, "mappings", mappings);
    let keys: Array = d
        .label_keys
        .iter()
        .map(|k| -> JsValue {
            let r = Object::new();
            set(&r, "key", JsValue::from_str(&k.key));
            set(&r, "kind", JsValue::from_str(k.kind));
            set(&r, "values", k.values as f64);
            set(&r, "units", strings(&k.units));
            set(&r, "samples", k.samples as f64);
            r.into()
        })
        .collect();
    set(&o, "label_keys", keys);
    set(&o, "memstats", pairs(&d.memstats));
    set(&o, "warnings", strings(&d.warnings));
    o.into()
}

fn js_err(msg: impl std::fmt::Display) -> JsError {
    JsError::new(&msg.to_string())
}

/// A row's inline mark as a column code: 0 none, 1 `(inline)`, 2 another label.
fn inline_code(label: &str) -> u8 {
    if label.is_empty() {
        0
    } else if label == "(inline)" {
        1
    } else {
        2
    }
}

fn set(o: &Object, k: &str, v: impl Into<JsValue>) {
    // Setting a property on a fresh plain object cannot fail.
    let _ = Reflect::set(o, &JsValue::from_str(k), &v.into());
}

/// A string column: one string and the UTF-16 offset where each entry starts.
struct StrCol {
    text: String,
    offsets: Vec<u32>,
    at: u32,
}

impl StrCol {
    fn with_capacity(n: usize) -> Self {
        let mut offsets = Vec::with_capacity(n + 1);
        offsets.push(0);
        StrCol { text: String::new(), offsets, at: 0 }
    }
    fn push(&mut self, s: &str) {
        self.text.push_str(s);
        self.at += if s.is_ascii() { s.len() as u32 } else { s.encode_utf16().count() as u32 };
        self.offsets.push(self.at);
    }
    fn from_iter<'a>(n: usize, it: impl Iterator<Item = &'a str>) -> Self {
        let mut c = StrCol::with_capacity(n);
        for s in it {
            c.push(s);
        }
        c
    }
    fn to_js(&self) -> JsValue {
        let o = Object::new();
        set(&o, "text", JsValue::from_str(&self.text));
        set(&o, "offsets", Uint32Array::from(&self.offsets[..]));
        o.into()
    }
}

fn f64s(v: impl Iterator<Item = i64>) -> Float64Array {
    let v: Vec<f64> = v.map(|x| x as f64).collect();
    Float64Array::from(&v[..])
}

fn strings(v: &[String]) -> Array {
    v.iter().map(|s| JsValue::from_str(s)).collect()
}

/// The search box's pattern (pprof's regular expression syntax); "" is no search.
fn compile(pattern: &str) -> Result<Option<regex::Regex>, JsError> {
    if pattern.is_empty() {
        return Ok(None);
    }
    regex::Regex::new(pattern).map(Some).map_err(|e| js_err(format!("failed to compile regexp {pattern}: {e}")))
}

fn parse_options(options: JsValue) -> Result<Options, JsError> {
    if options.is_undefined() || options.is_null() {
        return Ok(Options::default());
    }
    serde_wasm_bindgen::from_value(options).map_err(|e| js_err(format!("options: {e}")))
}

impl Session {
    fn loaded(&self, id: u32) -> Result<&Profile, JsError> {
        self.profiles
            .get(id as usize)
            .and_then(|p| p.as_ref())
            .ok_or_else(|| js_err(format!("no loaded profile with id {id}")))
    }

    fn merged(&self, ids: &[u32], provenance: bool) -> Result<Profile, JsError> {
        if provenance && ids.len() > 1 {
            let v = ids
                .iter()
                .map(|&id| Ok((self.names[id as usize].clone(), self.loaded(id)?.clone())))
                .collect::<Result<Vec<_>, JsError>>()?;
            return load::combine_with_provenance(v, Vec::new(), Default::default()).map_err(js_err);
        }
        // One source: what load::combine_decoded does for it, without first copying the profile.
        if let [id] = ids {
            return crate::transform::prune::remove_uninteresting(self.loaded(*id)?).map_err(js_err);
        }
        let v = ids.iter().map(|&id| self.loaded(id).cloned()).collect::<Result<Vec<_>, _>>()?;
        load::combine_decoded(v, Vec::new(), Default::default()).map_err(js_err)
    }

    /// The report for `ids` and `options`, made once per distinct query.
    fn prepare(&mut self, ids: &[u32], options: JsValue) -> Result<&mut Prepared, JsError> {
        let mut o = parse_options(options)?;
        o.cum = false;
        let key = format!("{ids:?} {o:?}");
        if self.prepared.as_ref().is_some_and(|p| p.key == key) {
            return Ok(self.prepared.as_mut().unwrap());
        }
        self.prepared = None;
        // The source's key: the ids, and u32::MAX after them for a merge with provenance.
        let skey: Vec<u32> = ids.iter().copied().chain((o.provenance && ids.len() > 1).then_some(u32::MAX)).collect();
        if self.source.as_ref().is_none_or(|(s, _)| *s != skey) {
            self.source = None;
            self.source = Some((skey, self.merged(ids, o.provenance)?));
        }
        let p = &self.source.as_ref().unwrap().1;
        let mut rpt = Report::new(p, ReportKind::Top, &o).map_err(js_err)?;
        rpt.utc = true;
        self.prepared = Some(Prepared { key, rpt, top: [None, None], tree: [None, None], flame: None });
        Ok(self.prepared.as_mut().unwrap())
    }
}

impl Prepared {
    fn top(&mut self, cum: bool) -> &Top {
        let i = cum as usize;
        if self.top[i].is_none() {
            self.rpt.options.cum = cum;
            self.top[i] = Some(top::build_top(&mut self.rpt));
        }
        self.top[i].as_ref().unwrap()
    }

    /// Fixes the report's output unit (pprof picks it from the top table's nodes).
    fn unit(&mut self) {
        if self.top[0].is_none() && self.top[1].is_none() {
            self.top(false);
        }
    }

    fn tree(&mut self, inverted: bool) -> &CallTree {
        let i = inverted as usize;
        if self.tree[i].is_none() {
            self.tree[i] = Some(build_call_tree(&self.rpt, inverted));
        }
        self.tree[i].as_ref().unwrap()
    }

    fn header(&self, o: &Object) {
        set(o, "total", self.rpt.total as f64);
        set(o, "sample_type", JsValue::from_str(&self.rpt.sample_type));
        set(o, "unmatched", strings(&self.rpt.unmatched));
    }
}

#[wasm_bindgen]
impl Session {
    #[wasm_bindgen(constructor)]
    pub fn new() -> Session {
        Session {
            profiles: Vec::new(),
            pending: Vec::new(),
            limits: Limits::default(),
            source: None,
            prepared: None,
            compare: Default::default(),
            names: Vec::new(),
        }
    }

    /// Decodes one file in one call; returns its summary (with the handle `id`).
    pub fn load(&mut self, name: &str, bytes: &[u8]) -> Result<JsValue, JsError> {
        let p = load::decode_named(&Input { name, data: bytes }, &self.limits).map_err(js_err)?;
        self.add(name, bytes.len(), p)
    }

    /// Step 1 of a load: takes the file's bytes; returns a pending handle.
    pub fn begin_load(&mut self, name: String, bytes: Vec<u8>) -> u32 {
        self.pending.push(Some(Pending { name, size: bytes.len(), bytes }));
        (self.pending.len() - 1) as u32
    }

    /// Step 1 of a load, without a copy: room for a file of `size` bytes,
    /// which JavaScript reads straight into wasm memory at `input_ptr`.
    pub fn begin_load_sized(&mut self, name: String, size: usize) -> Result<u32, JsError> {
        if size as u64 > self.limits.max_inflated_bytes {
            return Err(js_err(format!(
                "reading: the file ({}) is larger than the {} cap on profile size",
                units::label(size as i64, "bytes"),
                decode::gzip::human_bytes(self.limits.max_inflated_bytes)
            )));
        }
        self.pending.push(Some(Pending { name, size, bytes: vec![0; size] }));
        Ok((self.pending.len() - 1) as u32)
    }

    /// Forgets a pending load (reading the file failed).
    pub fn cancel_load(&mut self, pending: u32) {
        if let Some(slot) = self.pending.get_mut(pending as usize) {
            *slot = None;
        }
    }

    /// Where a pending load's bytes are in wasm memory (valid until the next call).
    pub fn input_ptr(&mut self, pending: u32) -> Result<*mut u8, JsError> {
        match self.pending.get_mut(pending as usize) {
            Some(Some(p)) => Ok(p.bytes.as_mut_ptr()),
            _ => Err(js_err("no pending load")),
        }
    }

    /// Step 2: inflates gzip input (detected by its magic bytes), bounded by the cap.
    pub fn inflate(&mut self, pending: u32) -> Result<(), JsError> {
        let cap = self.limits.max_inflated_bytes;
        let slot = self.pending.get_mut(pending as usize).ok_or_else(|| js_err("no pending load"))?;
        let Some(p) = slot.as_mut() else { return Err(js_err("no pending load")) };
        if decode::gzip::is_gzip(&p.bytes) {
            match decode::gzip::inflate(&p.bytes, cap) {
                Ok(raw) => p.bytes = raw,
                Err(e) => {
                    *slot = None;
                    return Err(js_err(e));
                }
            }
        }
        Ok(())
    }

    /// Step 3: decodes the (inflated) bytes; returns the summary.
    pub fn finish_load(&mut self, pending: u32) -> Result<JsValue, JsError> {
        let p =
            self.pending.get_mut(pending as usize).and_then(|s| s.take()).ok_or_else(|| js_err("no pending load"))?;
        #[cfg(feature = "test-trap")]
        trap_if_asked(&p.name);
        let prof = decode::decode_uncompressed(&p.bytes, &self.limits).map_err(js_err)?;
        drop(p.bytes);
        self.add(&p.name, p.size, prof)
    }

    fn add(&mut self, name: &str, size: usize, p: Profile) -> Result<JsValue, JsError> {
        let id = self.profiles.len() as u32;
        let summary = Summary {
            id,
            name: name.to_string(),
            kind: profile_kind(&p),
            format: details::format_label(p.source_format),
            sample_types: (0..p.num_types())
                .map(|i| (p.sample_type_name(i).to_string(), p.sample_type_unit(i).to_string()))
                .collect(),
            default_sample_index: crate::transform::sample_index(&p, "").unwrap_or(0),
            samples: p.samples.len(),
            time_nanos: p.time_nanos as f64,
            time_text: details::time_text(&p),
            duration_nanos: p.duration_nanos as f64,
            duration_text: details::duration_text(&p),
            size,
            size_text: units::label(size as i64, "bytes"),
            warnings: p.warnings.clone(),
        };
        self.profiles.push(Some(p));
        self.names.push(name.to_string());
        Ok(summary.to_js())
    }

    /// Forgets a loaded profile (and anything computed from it).
    pub fn remove(&mut self, id: u32) {
        if let Some(slot) = self.profiles.get_mut(id as usize) {
            *slot = None;
        }
        if self.source.as_ref().is_some_and(|(ids, _)| ids.contains(&id)) {
            self.source = None;
            self.prepared = None;
        }
        self.compare.forget(id);
    }

    /// The details panel: metadata, mappings, label keys, MemStats.
    pub fn details(&self, id: u32) -> Result<JsValue, JsError> {
        Ok(details_to_js(&details::details(self.loaded(id)?)))
    }

    /// pprof's `-top` text for the merge of `ids`.
    pub fn top_text(&mut self, ids: &[u32], options: JsValue) -> Result<String, JsError> {
        let o = parse_options(options)?;
        let p = self.merged(ids, o.provenance)?;
        let mut r = Report::new(&p, ReportKind::Top, &o).map_err(js_err)?;
        r.utc = true;
        Ok(top::render_text(&mut r))
    }

    /// The top table as columns, sorted by flat (or by cum when `options.cum`).
    pub fn top(&mut self, ids: &[u32], options: JsValue) -> Result<JsValue, JsError> {
        let cum = parse_options(options.clone())?.cum;
        let prep = self.prepare(ids, options)?;
        let t = prep.top(cum).clone();
        let rpt = &prep.rpt;
        let n = t.rows.len();
        let o = Object::new();
        prep.header(&o);
        set(&o, "labels", strings(&t.labels));
        set(&o, "rows", n as u32);
        set(&o, "name", StrCol::from_iter(n, t.rows.iter().map(|r| r.name.as_str())).to_js());
        let inline: Vec<u8> = t.rows.iter().map(|r| inline_code(r.inline_label)).collect();
        set(&o, "inline", Uint8Array::from(&inline[..]));
        set(&o, "flat", f64s(t.rows.iter().map(|r| r.flat)));
        set(&o, "cum", f64s(t.rows.iter().map(|r| r.cum)));
        let (mut ft, mut fp, mut sp, mut ct, mut cp) = (
            StrCol::with_capacity(n),
            StrCol::with_capacity(n),
            StrCol::with_capacity(n),
            StrCol::with_capacity(n),
            StrCol::with_capacity(n),
        );
        let mut sum = 0i64;
        for r in &t.rows {
            sum = sum.wrapping_add(r.flat);
            ft.push(&rpt.format_value(r.flat));
            fp.push(units::percentage(r.flat, rpt.total).trim());
            sp.push(units::percentage(sum, rpt.total).trim());
            ct.push(&rpt.format_value(r.cum));
            cp.push(units::percentage(r.cum, rpt.total).trim());
        }
        set(&o, "flat_text", ft.to_js());
        set(&o, "flat_pct", fp.to_js());
        set(&o, "sum_pct", sp.to_js());
        set(&o, "cum_text", ct.to_js());
        set(&o, "cum_pct", cp.to_js());
        Ok(o.into())
    }

    /// The flame graph layout as columns (see view/flame.rs), zoomed into
    /// call-tree node `zoom` (0: the root), without boxes narrower than
    /// `min_fraction` of the zoomed box; with the frames' names, short
    /// names, inline marks and packages.
    pub fn flame(&mut self, ids: &[u32], options: JsValue, zoom: u32, min_fraction: f64) -> Result<JsValue, JsError> {
        let prep = self.prepare(ids, options)?;
        prep.unit();
        prep.tree(false);
        let t = prep.tree[0].as_ref().unwrap();
        if zoom as usize >= t.len() {
            return Err(js_err(format!("no call tree node {zoom}")));
        }
        let key = (zoom, min_fraction.to_bits());
        if prep.flame.as_ref().is_none_or(|(k, _)| *k != key) {
            let l = flame::layout_from(t, zoom, t.weight[zoom as usize] as f64 * min_fraction);
            prep.flame = Some((key, l));
        }
        let t = prep.tree[0].as_ref().unwrap();
        let l = &prep.flame.as_ref().unwrap().1;
        let o = Object::new();
        prep.header(&o);
        flame_columns(&o, t, l, zoom);
        Ok(o.into())
    }

    /// Which rows of the top table (sorted as `options.cum` says) have a
    /// name matching `pattern`.
    pub fn top_match(&mut self, ids: &[u32], options: JsValue, pattern: &str) -> Result<Uint8Array, JsError> {
        let re = compile(pattern)?;
        let cum = parse_options(options.clone())?.cum;
        let t = self.prepare(ids, options)?.top(cum);
        let m: Vec<u8> = t.rows.iter().map(|r| re.as_ref().is_none_or(|re| re.is_match(&r.name)) as u8).collect();
        Ok(Uint8Array::from(&m[..]))
    }

    /// The flame graph's search: which frames match `pattern`, and the share
    /// of the total the samples through any of them make (each sample
    /// counted once, as a focus on the pattern would keep).
    pub fn flame_search(&mut self, ids: &[u32], options: JsValue, pattern: &str) -> Result<JsValue, JsError> {
        let re = compile(pattern)?;
        let prep = self.prepare(ids, options)?;
        prep.unit();
        prep.tree(false);
        let t = prep.tree[0].as_ref().unwrap();
        let rpt = &prep.rpt;
        let frames: Vec<u8> =
            t.frames.iter().map(|f| re.as_ref().is_some_and(|re| re.is_match(&f.name)) as u8).collect();
        // Parents come before children in node order.
        let mut covered = vec![false; t.len()];
        let mut value = 0i64;
        for i in 1..t.len() {
            let p = t.parent[i] as usize;
            let here = frames[t.frame[i] as usize] != 0;
            if here && !covered[p] {
                value = value.wrapping_add(t.total[i]);
            }
            covered[i] = covered[p] || here;
        }
        let o = Object::new();
        set(&o, "frames", Uint8Array::from(&frames[..]));
        set(&o, "value", value as f64);
        set(&o, "value_text", JsValue::from_str(&rpt.format_value(value)));
        set(&o, "pct", JsValue::from_str(units::percentage(value, rpt.total).trim()));
        Ok(o.into())
    }

    /// Children of call-tree node `node` (0 is the root), heaviest first, at
    /// most `limit` of them (`more` says how many were left out).
    pub fn tree_children(
        &mut self,
        ids: &[u32],
        options: JsValue,
        inverted: bool,
        node: u32,
        limit: u32,
        pattern: &str,
    ) -> Result<JsValue, JsError> {
        let re = compile(pattern)?;
        let prep = self.prepare(ids, options)?;
        prep.unit();
        prep.tree(inverted);
        let t = prep.tree[inverted as usize].as_ref().unwrap();
        if node as usize >= t.len() {
            return Err(js_err(format!("no call tree node {node}")));
        }
        let rpt = &prep.rpt;
        let all = t.children_by_weight(node);
        let kids = &all[..all.len().min(limit as usize)];
        let n = kids.len();
        let o = Object::new();
        prep.header(&o);
        set(&o, "node", node);
        set(&o, "more", (all.len() - n) as u32);
        set(&o, "ids", Uint32Array::from(kids));
        set(&o, "name", StrCol::from_iter(n, kids.iter().map(|&c| t.frame_of(c).name.as_str())).to_js());
        let inline: Vec<u8> = kids.iter().map(|&c| t.frame_of(c).inline as u8).collect();
        set(&o, "inline", Uint8Array::from(&inline[..]));
        let has: Vec<u8> = kids.iter().map(|&c| !t.children_of(c).is_empty() as u8).collect();
        let matched: Vec<u8> =
            kids.iter().map(|&c| re.as_ref().is_some_and(|re| re.is_match(&t.frame_of(c).name)) as u8).collect();
        set(&o, "matched", Uint8Array::from(&matched[..]));
        set(&o, "has_children", Uint8Array::from(&has[..]));
        set(&o, "total", f64s(kids.iter().map(|&c| t.total[c as usize])));
        set(&o, "self", f64s(kids.iter().map(|&c| t.self_value[c as usize])));
        let col = |f: &dyn Fn(u32) -> String| {
            let mut c = StrCol::with_capacity(n);
            for &k in kids {
                c.push(&f(k));
            }
            c.to_js()
        };
        set(&o, "total_text", col(&|c| rpt.format_value(t.total[c as usize])));
        set(&o, "total_pct", col(&|c| units::percentage(t.total[c as usize], rpt.total).trim().to_string()));
        set(&o, "self_text", col(&|c| rpt.format_value(t.self_value[c as usize])));
        let root = Object::new();
        set(&root, "total", t.total[node as usize] as f64);
        set(&root, "self", t.self_value[node as usize] as f64);
        set(&root, "total_text", JsValue::from_str(&rpt.format_value(t.total[node as usize])));
        set(&o, "parent", root);
        Ok(o.into())
    }

    /// Callers and callees of the functions whose name matches `pattern`
    /// (a regular expression, as pprof's `-peek` takes): pprof's peek report,
    /// untrimmed, in its own unit.
    pub fn peek(&mut self, ids: &[u32], options: JsValue, pattern: &str) -> Result<JsValue, JsError> {
        if pattern.trim().is_empty() {
            return Err(js_err("peek: give a function name or regular expression"));
        }
        let mut o = parse_options(options.clone())?;
        self.prepare(ids, options)?;
        o.peek = pattern.to_string();
        let p = &self.source.as_ref().unwrap().1;
        let mut rpt = Report::new(p, ReportKind::Peek, &o).map_err(js_err)?;
        rpt.utc = true;
        let tree = peek::peek(&mut rpt).map_err(js_err)?;
        let pct = |v: i64, of: i64| JsValue::from_str(units::percentage(v, of).trim());
        let edges = |v: &[crate::report::tree::TreeEdge], cum: i64| -> Array {
            v.iter()
                .map(|e| -> JsValue {
                    let r = Object::new();
                    set(&r, "name", JsValue::from_str(&e.name));
                    set(&r, "weight", e.weight as f64);
                    set(&r, "weight_text", JsValue::from_str(&rpt.format_value(e.weight)));
                    set(&r, "pct", pct(e.weight, cum));
                    set(&r, "inline", e.inline);
                    r.into()
                })
                .collect()
        };
        let out: Array = tree
            .entries
            .iter()
            .take(50)
            .map(|e| -> JsValue {
                let r = Object::new();
                set(&r, "name", JsValue::from_str(&e.name));
                set(&r, "flat", e.flat as f64);
                set(&r, "cum", e.cum as f64);
                set(&r, "flat_text", JsValue::from_str(&rpt.format_value(e.flat)));
                set(&r, "flat_pct", pct(e.flat, rpt.total));
                set(&r, "cum_text", JsValue::from_str(&rpt.format_value(e.cum)));
                set(&r, "cum_pct", pct(e.cum, rpt.total));
                set(&r, "callers", edges(&e.callers, e.cum));
                set(&r, "callees", edges(&e.callees, e.cum));
                r.into()
            })
            .collect();
        let o = Object::new();
        self.prepared.as_ref().unwrap().header(&o);
        set(&o, "entries", out);
        Ok(o.into())
    }

    /// Formats values in the report's unit, and each as a percentage of
    /// `of[i]` (of the report total where `of[i]` is 0).
    pub fn format(&mut self, ids: &[u32], options: JsValue, values: &[f64], of: &[f64]) -> Result<JsValue, JsError> {
        let prep = self.prepare(ids, options)?;
        prep.unit();
        let rpt = &prep.rpt;
        let v: Array = values.iter().map(|&v| JsValue::from_str(&rpt.format_value(v as i64))).collect();
        let p: Array = values
            .iter()
            .enumerate()
            .map(|(i, &v)| {
                let d = of.get(i).copied().unwrap_or(0.0) as i64;
                let d = if d == 0 { rpt.total } else { d };
                JsValue::from_str(units::percentage(v as i64, d).trim())
            })
            .collect();
        let o = Object::new();
        set(&o, "values", v);
        set(&o, "percents", p);
        Ok(o.into())
    }
}

/// A flame layout's frames (name, short name, inline mark, package) and
/// boxes as columns (see `FlameView` in www/engine.js).
fn flame_columns(o: &Object, t: &CallTree, l: &FlameLayout, zoom: u32) {
    let nf = t.frames.len();
    set(o, "name", StrCol::from_iter(nf, t.frames.iter().map(|f| f.name.as_str())).to_js());
    set(o, "short", StrCol::from_iter(nf, t.frames.iter().map(|f| f.short.as_str())).to_js());
    let inline: Vec<u8> = t.frames.iter().map(|f| f.inline as u8).collect();
    set(o, "inline", Uint8Array::from(&inline[..]));
    let mut packages: Vec<&str> = Vec::new();
    let mut index: crate::util::hash::FxHashMap<&str, u32> = Default::default();
    let package: Vec<u32> = t
        .frames
        .iter()
        .map(|f| {
            *index.entry(f.package.as_str()).or_insert_with(|| {
                packages.push(f.package.as_str());
                (packages.len() - 1) as u32
            })
        })
        .collect();
    set(o, "package", Uint32Array::from(&package[..]));
    set(o, "packages", StrCol::from_iter(packages.len(), packages.iter().copied()).to_js());
    set(o, "zoom", zoom);
    set(o, "frame", Uint32Array::from(&l.frame[..]));
    set(o, "node", Uint32Array::from(&l.node[..]));
    set(o, "depth", Uint32Array::from(&l.depth[..]));
    set(o, "parent", Uint32Array::from(&l.parent[..]));
    set(o, "x", Float64Array::from(&l.x[..]));
    set(o, "width", Float64Array::from(&l.width[..]));
    set(o, "value", Float64Array::from(&l.total[..]));
    set(o, "self", Float64Array::from(&l.self_value[..]));
    set(o, "row_start", Uint32Array::from(&l.row_start[..]));
}

impl Default for Session {
    fn default() -> Self {
        Self::new()
    }
}

// ---------------------------------------------------------------------------
// Call graph and tags (the Graph and Tags views), and the panic message.
// ---------------------------------------------------------------------------

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

/// Test builds only (`--features test-trap`): a file of this name makes the
/// load panic, so the browser tests can watch the page handle a real trap.
#[cfg(feature = "test-trap")]
fn trap_if_asked(name: &str) {
    if name == "profdrop-test-trap.txt" {
        panic!("deliberate panic for tests: {name}");
    }
}

#[wasm_bindgen]
impl Session {
    /// pprof's `-dot` for the query (nodecount 80, nodefraction 0.005,
    /// edgefraction 0.001 unless `options` says otherwise): the DOT text the
    /// CLI prints, and the drawn nodes as columns — `ids` (DOT node `N{id}`),
    /// `name`, signed `flat`/`cum`, and their texts in the report's unit.
    pub fn dot(&mut self, ids: &[u32], options: JsValue) -> Result<JsValue, JsError> {
        let o = parse_options(options.clone())?;
        self.prepare(ids, options)?;
        let p = &self.source.as_ref().unwrap().1;
        let mut rpt = Report::new(p, ReportKind::Dot, &o).map_err(js_err)?;
        rpt.utc = true;
        let g = crate::report::dot::build_dot(&mut rpt);
        let n = g.nodes.len();
        let out = Object::new();
        set(&out, "total", rpt.total as f64);
        set(&out, "sample_type", JsValue::from_str(&rpt.sample_type));
        set(&out, "unmatched", strings(&rpt.unmatched));
        set(&out, "dot", JsValue::from_str(&g.dot));
        let idv: Vec<u32> = g.nodes.iter().map(|d| d.id as u32).collect();
        set(&out, "ids", Uint32Array::from(&idv[..]));
        set(&out, "name", StrCol::from_iter(n, g.nodes.iter().map(|d| d.name.as_str())).to_js());
        set(&out, "flat", f64s(g.nodes.iter().map(|d| d.flat)));
        set(&out, "cum", f64s(g.nodes.iter().map(|d| d.cum)));
        let col = |f: &dyn Fn(&crate::report::dot::DotNode) -> String| {
            let mut c = StrCol::with_capacity(n);
            for d in &g.nodes {
                c.push(&f(d));
            }
            c.to_js()
        };
        set(&out, "flat_text", col(&|d| rpt.format_value(d.flat)));
        set(&out, "flat_pct", col(&|d| units::percentage(d.flat, rpt.total).trim().to_string()));
        set(&out, "cum_text", col(&|d| rpt.format_value(d.cum)));
        set(&out, "cum_pct", col(&|d| units::percentage(d.cum, rpt.total).trim().to_string()));
        Ok(out.into())
    }

    /// pprof's `-tags` for the query: every label key with its total and its
    /// values, heaviest first; weights as the CLI prints them (`%.1f` in the
    /// output unit) and each value's share of its key's total.
    pub fn tags(&mut self, ids: &[u32], options: JsValue) -> Result<JsValue, JsError> {
        let o = parse_options(options.clone())?;
        self.prepare(ids, options)?;
        let p = &self.source.as_ref().unwrap().1;
        let mut rpt = Report::new(p, ReportKind::Tags, &o).map_err(js_err)?;
        rpt.utc = true;
        let keys: Array = crate::report::tags::build_tags(&rpt)
            .iter()
            .map(|k| -> JsValue {
                let r = Object::new();
                set(&r, "key", JsValue::from_str(&k.key));
                set(&r, "numeric", k.numeric);
                set(&r, "total", k.total as f64);
                set(&r, "total_text", JsValue::from_str(&crate::report::tags::scaled(&rpt, k.total)));
                let n = k.values.len();
                set(&r, "name", StrCol::from_iter(n, k.values.iter().map(|v| v.name.as_str())).to_js());
                set(&r, "weight", f64s(k.values.iter().map(|v| v.weight)));
                let mut wt = StrCol::with_capacity(n);
                let mut pc = StrCol::with_capacity(n);
                for v in &k.values {
                    wt.push(&crate::report::tags::scaled(&rpt, v.weight));
                    pc.push(if k.total > 0 { units::percentage(v.weight, k.total) } else { String::new() }.trim());
                }
                set(&r, "weight_text", wt.to_js());
                set(&r, "pct", pc.to_js());
                r.into()
            })
            .collect();
        let out = Object::new();
        set(&out, "total", rpt.total as f64);
        set(&out, "sample_type", JsValue::from_str(&rpt.sample_type));
        set(&out, "unmatched", strings(&rpt.unmatched));
        set(&out, "keys", keys);
        Ok(out.into())
    }
}

// ---------------------------------------------------------------------------
// Comparing snapshots, goroutines and leak findings (issues 5 and 6): the
// diff top table, the differential flame graph, new and gone stacks, the
// goroutine diff, growth over N snapshots, the Goroutines view, findings.
//
// Text dumps carry no time: the page passes each file's modification date
// (`set_file_time`), used as the profile's time by comparisons only, and
// only when the dates of the files compared are at least a second apart
// (files copied together share a date, which says nothing about when they
// were captured).

use crate::model::kind::{classify, ProfileKind};
use crate::view::compare::{self, CompareMode, DiffTop, Presence};
use crate::view::flame::DiffTree;
use std::borrow::Cow;
use {
    crate::util::timefmt, crate::view::export, crate::view::findings, crate::view::goroutine_diff,
    crate::view::goroutines,
};

#[derive(Default)]
struct CompareState {
    /// Modification dates (ns since the epoch) of files whose profile has no time.
    file_times: crate::util::hash::FxHashMap<u32, i64>,
    last: Option<ComparePrepared>,
}

impl CompareState {
    fn forget(&mut self, id: u32) {
        self.file_times.remove(&id);
        if self.last.as_ref().is_some_and(|c| c.base == id || c.target == id) {
            self.last = None;
        }
    }
}

/// The last comparison: its diff report (unit fixed) and what was computed from it.
struct ComparePrepared {
    key: String,
    base: u32,
    target: u32,
    mode: CompareMode,
    options: Options,
    rpt: Report,
    /// diff_top by `cum` (false: pprof's flat order).
    top: [Option<DiffTop>; 2],
    tree: Option<DiffTree>,
    flame: Option<((u32, u64), FlameLayout)>,
}

/// File dates closer than this say nothing about when profiles were captured.
const FILE_TIME_MIN_GAP_NANOS: i64 = 1_000_000_000;

/// Profiles with their times: their own, or their files' dates.
struct Timed<'a> {
    profiles: Vec<Cow<'a, Profile>>,
    from_file: Vec<bool>,
    /// Why the files' dates were not used, if they were not.
    note: Option<String>,
}

fn parse_mode(mode: &str) -> Result<Option<CompareMode>, JsError> {
    Ok(match mode {
        "" => None,
        "diff_base" => Some(CompareMode::DiffBase),
        "base" => Some(CompareMode::Base),
        "normalize" => Some(CompareMode::Normalize),
        m => return Err(js_err(format!("unknown comparison mode {m:?} (diff_base, base or normalize)"))),
    })
}

fn u8s(v: impl Iterator<Item = u8>) -> Uint8Array {
    let v: Vec<u8> = v.collect();
    Uint8Array::from(&v[..])
}

fn to_js<T: serde::Serialize>(v: &T) -> Result<JsValue, JsError> {
    v.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).map_err(|e| js_err(format!("result: {e}")))
}

fn minutes_text(m: f64) -> String {
    if m.abs() < 1.0 {
        format!("{:.0} s", m * 60.0)
    } else if m.abs() < 120.0 {
        format!("{:.1} min", m)
    } else {
        format!("{:.1} h", m / 60.0)
    }
}

impl Session {
    /// `ids` with their times; files' dates stand in for missing times when
    /// every two of them are at least a second apart.
    fn timed(&self, ids: &[u32]) -> Result<Timed<'_>, JsError> {
        let ps: Vec<&Profile> = ids.iter().map(|&id| self.loaded(id)).collect::<Result<_, _>>()?;
        let mut dates: Vec<i64> = ids
            .iter()
            .zip(&ps)
            .filter(|(_, p)| p.time_nanos == 0)
            .filter_map(|(id, _)| self.compare.file_times.get(id).copied())
            .collect();
        dates.sort_unstable();
        let close = dates.windows(2).any(|w| w[1] - w[0] < FILE_TIME_MIN_GAP_NANOS);
        let mut out = Timed { profiles: Vec::new(), from_file: Vec::new(), note: None };
        if close {
            out.note = Some("the files' dates are less than a second apart (copied together?): they do not tell when the profiles were captured".into());
        }
        for (id, p) in ids.iter().zip(ps) {
            match self.compare.file_times.get(id) {
                Some(&t) if p.time_nanos == 0 && !close => {
                    let mut q = p.clone();
                    q.time_nanos = t;
                    out.profiles.push(Cow::Owned(q));
                    out.from_file.push(true);
                }
                _ => {
                    out.profiles.push(Cow::Borrowed(p));
                    out.from_file.push(false);
                }
            }
        }
        Ok(out)
    }

    /// The comparison of `base` and `target` for `options` (its top table
    /// sorted by flat made), computed once per distinct query.
    fn compare_prepare(
        &mut self,
        base: u32,
        target: u32,
        mode: &str,
        options: JsValue,
    ) -> Result<&mut ComparePrepared, JsError> {
        let mut o = parse_options(options)?;
        o.cum = false;
        let key = format!("{base} {target} {mode} {o:?}");
        if self.compare.last.as_ref().is_some_and(|c| c.key == key) {
            return Ok(self.compare.last.as_mut().unwrap());
        }
        self.compare.last = None;
        let chosen = parse_mode(mode)?;
        let prepared = {
            let t = self.timed(&[base, target])?;
            let (b, g) = (&*t.profiles[0], &*t.profiles[1]);
            compare::check_comparable(b, g).map_err(js_err)?;
            let mode = match chosen {
                Some(m) => m,
                None => {
                    let i = crate::transform::sample_index(g, &o.sample_index).map_err(js_err)?;
                    compare::default_mode(classify(g), g.sample_type_name(i))
                }
            };
            let (d, mut rpt) = compare::diff_top_report(b, g, mode, &o).map_err(js_err)?;
            rpt.utc = true;
            ComparePrepared { key, base, target, mode, options: o, rpt, top: [Some(d), None], tree: None, flame: None }
        };
        self.compare.last = Some(prepared);
        Ok(self.compare.last.as_mut().unwrap())
    }

    /// The differential call tree of the prepared comparison, made once.
    fn compare_tree(&mut self) -> Result<(), JsError> {
        let c = self.compare.last.as_ref().ok_or_else(|| js_err("no comparison"))?;
        if c.tree.is_some() {
            return Ok(());
        }
        let tree = {
            let t = self.timed(&[c.base, c.target])?;
            let (rb, rt) = compare::side_reports(&t.profiles[0], &t.profiles[1], c.mode, &c.options).map_err(js_err)?;
            crate::view::flame::diff_tree(&build_call_tree(&rb, false), &build_call_tree(&rt, false))
        };
        self.compare.last.as_mut().unwrap().tree = Some(tree);
        Ok(())
    }

    fn limit(text: &str, errors: &mut Vec<String>, what: &str) -> Option<f64> {
        if text.trim().is_empty() {
            return None;
        }
        let l = units::parse_limit(text);
        if l.is_none() {
            errors.push(format!("{what} {text:?} is not a number (e.g. 1GiB, 512MB, 30000)"));
        }
        l
    }
}

/// The diff top table as columns: pprof's (flat, flat%, sum%, cum, cum%,
/// name, all of the diff) and each side's flat and cum, the change relative
/// to the base, and rates per minute when the two times are known.
fn diff_top_to_js(c: &ComparePrepared, d: &DiffTop, kind: ProfileKind, time: &Timed) -> Object {
    let rpt = &c.rpt;
    let n = d.rows.len();
    let o = Object::new();
    set(&o, "total", rpt.total as f64);
    set(&o, "sample_type", JsValue::from_str(&rpt.sample_type));
    set(&o, "unmatched", strings(&rpt.unmatched));
    set(&o, "labels", strings(&d.labels));
    set(&o, "kind", JsValue::from_str(kind.as_str()));
    set(&o, "mode", JsValue::from_str(c.mode.as_str()));
    let default = compare::default_mode(kind, &rpt.sample_type);
    set(&o, "default_mode", JsValue::from_str(default.as_str()));
    set(&o, "default_reason", JsValue::from_str(default.reason()));
    set(&o, "mode_reason", JsValue::from_str(c.mode.reason()));
    set(&o, "warnings", strings(&d.warnings));
    for (k, v) in
        [("base_total", d.base_total), ("target_total", d.target_total), ("delta_total", d.target_total - d.base_total)]
    {
        set(&o, k, v as f64);
        set(&o, &format!("{k}_text"), JsValue::from_str(&rpt.format_value(v)));
    }
    set(&o, "total_change", JsValue::from_str(&compare::change_text(d.base_total, d.target_total - d.base_total)));
    set(&o, "from_file", u8s(time.from_file.iter().map(|&b| b as u8)));
    set(&o, "time_text", strings(&time.profiles.iter().map(|p| details::time_text(p)).collect::<Vec<_>>()));
    if let Some(note) = &time.note {
        set(&o, "time_note", JsValue::from_str(note));
    }
    // Rates: per minute between the two times, for modes that subtract like for like.
    let minutes = d.minutes.filter(|m| *m > 0.0);
    if let Some(m) = d.minutes {
        set(&o, "minutes", m);
        set(&o, "minutes_text", JsValue::from_str(&minutes_text(m)));
    }
    let rates = minutes.filter(|_| c.mode != CompareMode::Normalize);
    set(&o, "rows", n as u32);
    set(&o, "name", StrCol::from_iter(n, d.rows.iter().map(|r| r.name.as_str())).to_js());
    set(&o, "inline", u8s(d.rows.iter().map(|r| inline_code(r.inline_label))));
    set(
        &o,
        "presence",
        u8s(d.rows.iter().map(|r| match r.presence {
            Presence::Both => 0,
            Presence::New => 1,
            Presence::Gone => 2,
        })),
    );
    set(&o, "flat", f64s(d.rows.iter().map(|r| r.flat)));
    set(&o, "cum", f64s(d.rows.iter().map(|r| r.cum)));
    set(&o, "base_flat", f64s(d.rows.iter().map(|r| r.base_flat)));
    set(&o, "base_cum", f64s(d.rows.iter().map(|r| r.base_cum)));
    set(&o, "target_flat", f64s(d.rows.iter().map(|r| r.target_flat)));
    set(&o, "target_cum", f64s(d.rows.iter().map(|r| r.target_cum)));
    let ratio = |base: i64, delta: i64| {
        if base == 0 {
            if delta == 0 {
                0.0
            } else {
                f64::INFINITY * delta.signum() as f64
            }
        } else {
            delta as f64 / base.abs() as f64
        }
    };
    set(
        &o,
        "flat_change",
        Float64Array::from(&d.rows.iter().map(|r| ratio(r.base_flat, r.flat)).collect::<Vec<_>>()[..]),
    );
    set(&o, "cum_change", Float64Array::from(&d.rows.iter().map(|r| ratio(r.base_cum, r.cum)).collect::<Vec<_>>()[..]));
    let col = |f: &dyn Fn(&compare::DiffRow) -> String| {
        let mut c = StrCol::with_capacity(n);
        for r in &d.rows {
            c.push(&f(r));
        }
        c.to_js()
    };
    set(&o, "flat_text", col(&|r| rpt.format_value(r.flat)));
    set(&o, "flat_pct", col(&|r| units::percentage(r.flat, rpt.total).trim().to_string()));
    let mut sum = 0i64;
    let mut sp = StrCol::with_capacity(n);
    for r in &d.rows {
        sum = sum.wrapping_add(r.flat);
        sp.push(units::percentage(sum, rpt.total).trim());
    }
    set(&o, "sum_pct", sp.to_js());
    set(&o, "cum_text", col(&|r| rpt.format_value(r.cum)));
    set(&o, "cum_pct", col(&|r| units::percentage(r.cum, rpt.total).trim().to_string()));
    set(&o, "base_flat_text", col(&|r| rpt.format_value(r.base_flat)));
    set(&o, "base_cum_text", col(&|r| rpt.format_value(r.base_cum)));
    set(&o, "target_flat_text", col(&|r| rpt.format_value(r.target_flat)));
    set(&o, "target_cum_text", col(&|r| rpt.format_value(r.target_cum)));
    set(&o, "flat_change_text", col(&|r| compare::change_text(r.base_flat, r.flat)));
    set(&o, "cum_change_text", col(&|r| compare::change_text(r.base_cum, r.cum)));
    if let Some(m) = rates {
        let unit = rpt.sample_unit.as_str();
        let fmt = |v: i64| rpt.format_value(v);
        set(&o, "flat_rate_text", col(&|r| compare::rate_text(unit, r.flat as f64 / m, fmt)));
        set(&o, "cum_rate_text", col(&|r| compare::rate_text(unit, r.cum as f64 / m, fmt)));
        set(
            &o,
            "total_rate_text",
            JsValue::from_str(&compare::rate_text(unit, (d.target_total - d.base_total) as f64 / m, fmt)),
        );
    }
    o
}

#[wasm_bindgen]
impl Session {
    /// Records the date of the file profile `id` came from (milliseconds
    /// since the epoch, as `File.lastModified`), used as its time when it has
    /// none of its own. Returns `{file_time_nanos, file_time_text}`, or null
    /// when the profile has its own time.
    pub fn set_file_time(&mut self, id: u32, millis: f64) -> Result<JsValue, JsError> {
        let p = self.loaded(id)?;
        if p.time_nanos != 0 || millis.is_nan() || millis <= 0.0 {
            return Ok(JsValue::NULL);
        }
        let nanos = (millis * 1e6) as i64;
        self.compare.file_times.insert(id, nanos);
        let o = Object::new();
        set(&o, "file_time_nanos", nanos as f64);
        set(&o, "file_time_text", JsValue::from_str(&timefmt::format_profile_time_utc(nanos)));
        Ok(o.into())
    }

    /// The loaded profiles that can be compared, by kind (heap and allocs
    /// together): `[{kind, ids, time_text, from_file, ordered_by, note}]`,
    /// each list oldest first (in load order when a time is missing), for
    /// kinds with two or more profiles.
    pub fn compare_groups(&self, ids: &[u32]) -> Result<JsValue, JsError> {
        let mut groups: Vec<(ProfileKind, Vec<u32>)> = Vec::new();
        for &id in ids {
            let k = classify(self.loaded(id)?);
            match groups.iter_mut().find(|(g, _)| g.comparable_with(k)) {
                Some((_, v)) => v.push(id),
                None => groups.push((k, vec![id])),
            }
        }
        let out = Array::new();
        for (kind, mut members) in groups.into_iter().filter(|(_, v)| v.len() >= 2) {
            members.sort_unstable();
            let t = self.timed(&members)?;
            let all_timed = t.profiles.iter().all(|p| p.time_nanos != 0);
            let mut order: Vec<usize> = (0..members.len()).collect();
            if all_timed {
                order.sort_rows_by_key(|&i| (t.profiles[i].time_nanos, members[i]));
            }
            let o = Object::new();
            set(&o, "kind", JsValue::from_str(kind.as_str()));
            set(&o, "ids", Uint32Array::from(&order.iter().map(|&i| members[i]).collect::<Vec<_>>()[..]));
            set(
                &o,
                "time_text",
                strings(&order.iter().map(|&i| details::time_text(&t.profiles[i])).collect::<Vec<_>>()),
            );
            set(&o, "from_file", u8s(order.iter().map(|&i| t.from_file[i] as u8)));
            set(
                &o,
                "ordered_by",
                JsValue::from_str(if !all_timed {
                    "load order"
                } else if t.from_file.iter().any(|&f| f) {
                    "the files' dates"
                } else {
                    "time"
                }),
            );
            if let Some(n) = &t.note {
                set(&o, "note", JsValue::from_str(n));
            }
            out.push(&o);
        }
        Ok(out.into())
    }

    /// The comparison mode a kind defaults to for the sample type `options`
    /// pick in `target`: `{mode, reason, kind}`.
    pub fn compare_default_mode(&self, target: u32, options: JsValue) -> Result<JsValue, JsError> {
        let o = parse_options(options)?;
        let p = self.loaded(target)?;
        let i = crate::transform::sample_index(p, &o.sample_index).map_err(js_err)?;
        let kind = classify(p);
        let m = compare::default_mode(kind, p.sample_type_name(i));
        let out = Object::new();
        set(&out, "mode", JsValue::from_str(m.as_str()));
        set(&out, "reason", JsValue::from_str(m.reason()));
        set(&out, "kind", JsValue::from_str(kind.as_str()));
        Ok(out.into())
    }

    /// The diff top table as `csv` or `markdown` (view/export.rs), cells as the page shows them.
    pub fn compare_export(
        &mut self,
        base: u32,
        target: u32,
        mode: &str,
        options: JsValue,
        format: &str,
    ) -> Result<String, JsError> {
        let cum = parse_options(options.clone())?.cum;
        self.compare_top(base, target, mode, options)?;
        let c = self.compare.last.as_ref().unwrap();
        let d = c.top[cum as usize].as_ref().unwrap();
        let rpt = &c.rpt;
        let headers = [
            "flat",
            "flat%",
            "sum%",
            "cum",
            "cum%",
            "base flat",
            "target flat",
            "flat change",
            "base cum",
            "target cum",
            "cum change",
            "presence",
            "name",
        ];
        let mut sum = 0i64;
        let rows: Vec<Vec<String>> = d
            .rows
            .iter()
            .map(|r| {
                sum = sum.wrapping_add(r.flat);
                let mut row = export::value_cells(rpt, r.flat, sum, r.cum);
                row.extend([
                    rpt.format_value(r.base_flat),
                    rpt.format_value(r.target_flat),
                    compare::change_text(r.base_flat, r.flat),
                    rpt.format_value(r.base_cum),
                    rpt.format_value(r.target_cum),
                    compare::change_text(r.base_cum, r.cum),
                    match r.presence {
                        Presence::Both => "",
                        Presence::New => "new",
                        Presence::Gone => "gone",
                    }
                    .to_string(),
                    export::row_name(&r.name, r.inline_label),
                ]);
                row
            })
            .collect();
        match format {
            "csv" => Ok(export::csv(&headers, &rows)),
            "markdown" => Ok(export::markdown(
                &headers,
                &rows,
                &[true, true, true, true, true, true, true, true, true, true, true, false, false],
            )),
            f => Err(js_err(format!("unknown export format {f:?} (csv or markdown)"))),
        }
    }

    /// The diff top table of `target` against `base` (see `diff_top_to_js`),
    /// sorted by flat, or by cum when `options.cum`. `mode` is `diff_base`,
    /// `base`, `normalize`, or "" for the kind's default.
    pub fn compare_top(&mut self, base: u32, target: u32, mode: &str, options: JsValue) -> Result<JsValue, JsError> {
        let cum = parse_options(options.clone())?.cum;
        let c = self.compare_prepare(base, target, mode, options)?;
        let i = cum as usize;
        if c.top[i].is_none() {
            let o = Options { cum, ..c.options.clone() };
            // A new report for the other order; the unit stays the first one's (same nodes).
            let t = self.timed(&[base, target])?;
            let (d, _) =
                compare::diff_top_report(&t.profiles[0], &t.profiles[1], self.compare.last.as_ref().unwrap().mode, &o)
                    .map_err(js_err)?;
            drop(t);
            self.compare.last.as_mut().unwrap().top[i] = Some(d);
        }
        let t = self.timed(&[base, target])?;
        let c = self.compare.last.as_ref().unwrap();
        let kind = classify(&t.profiles[1]);
        Ok(diff_top_to_js(c, c.top[i].as_ref().unwrap(), kind, &t).into())
    }

    /// The differential flame graph: the layout of the merged call trees
    /// (see view/flame.rs `diff_tree`) as in `flame`, plus per box `base`,
    /// `target` and `change` (relative, −1 to +1); `value`/`self` are target − base.
    pub fn compare_flame(
        &mut self,
        base: u32,
        target: u32,
        mode: &str,
        options: JsValue,
        zoom: u32,
        min_fraction: f64,
    ) -> Result<JsValue, JsError> {
        self.compare_prepare(base, target, mode, options)?;
        self.compare_tree()?;
        let c = self.compare.last.as_mut().unwrap();
        let d = c.tree.as_ref().unwrap();
        let t = &d.tree;
        if zoom as usize >= t.len() {
            return Err(js_err(format!("no call tree node {zoom}")));
        }
        let key = (zoom, min_fraction.to_bits());
        if c.flame.as_ref().is_none_or(|(k, _)| *k != key) {
            c.flame = Some((key, flame::layout_from(t, zoom, t.weight[zoom as usize] as f64 * min_fraction)));
        }
        let l = &c.flame.as_ref().unwrap().1;
        let o = Object::new();
        set(&o, "total", c.rpt.total as f64);
        set(&o, "sample_type", JsValue::from_str(&c.rpt.sample_type));
        set(&o, "unmatched", strings(&c.rpt.unmatched));
        flame_columns(&o, t, l, zoom);
        let b = flame::diff_boxes(d, l);
        set(&o, "base", Float64Array::from(&b.base[..]));
        set(&o, "target", Float64Array::from(&b.target[..]));
        set(&o, "change", Float64Array::from(&b.change[..]));
        Ok(o.into())
    }

    /// Which rows of the diff top table (sorted as `options.cum` says) have a
    /// name matching `pattern` (pprof's regular expression syntax).
    pub fn compare_top_match(
        &mut self,
        base: u32,
        target: u32,
        mode: &str,
        options: JsValue,
        pattern: &str,
    ) -> Result<Uint8Array, JsError> {
        let re = compile(pattern)?;
        let cum = parse_options(options.clone())?.cum;
        self.compare_top(base, target, mode, options)?;
        let d = self.compare.last.as_ref().unwrap().top[cum as usize].as_ref().unwrap();
        Ok(u8s(d.rows.iter().map(|r| re.as_ref().is_none_or(|re| re.is_match(&r.name)) as u8)))
    }

    /// The differential flame graph's search: which frames match `pattern`.
    pub fn compare_flame_search(&mut self, pattern: &str) -> Result<Uint8Array, JsError> {
        let re = compile(pattern)?;
        let d = self
            .compare
            .last
            .as_ref()
            .and_then(|c| c.tree.as_ref())
            .ok_or_else(|| js_err("no differential flame graph"))?;
        Ok(u8s(d.tree.frames.iter().map(|f| re.as_ref().is_some_and(|re| re.is_match(&f.name)) as u8)))
    }

    /// A box's numbers as the hover shows them, in the comparison's unit:
    /// `{base, target, delta, change}`.
    pub fn compare_describe(&self, base: f64, target: f64) -> Result<JsValue, JsError> {
        let c = self.compare.last.as_ref().ok_or_else(|| js_err("no comparison"))?;
        let (b, t) = (base as i64, target as i64);
        let o = Object::new();
        set(&o, "base", JsValue::from_str(&c.rpt.format_value(b)));
        set(&o, "target", JsValue::from_str(&c.rpt.format_value(t)));
        set(&o, "delta", JsValue::from_str(&c.rpt.format_value(t - b)));
        set(&o, "change", JsValue::from_str(&compare::change_text(b, t - b)));
        Ok(o.into())
    }

    /// Stacks present on one side only (function names, root first), at
    /// most `limit` each: `{new: [{frames, value, text}], gone: [...]}`.
    pub fn compare_stacks(
        &mut self,
        base: u32,
        target: u32,
        mode: &str,
        options: JsValue,
        limit: u32,
    ) -> Result<JsValue, JsError> {
        let si = parse_options(options.clone())?.sample_index;
        self.compare_prepare(base, target, mode, options)?;
        let t = self.timed(&[base, target])?;
        let s = compare::stack_changes(&t.profiles[0], &t.profiles[1], &si, limit as usize).map_err(js_err)?;
        let rpt = &self.compare.last.as_ref().unwrap().rpt;
        let list = |v: &[compare::StackChange]| -> Array {
            v.iter()
                .map(|c| -> JsValue {
                    let r = Object::new();
                    set(&r, "frames", strings(&c.frames));
                    set(&r, "value", c.value as f64);
                    set(&r, "text", JsValue::from_str(&rpt.format_value(c.value)));
                    r.into()
                })
                .collect()
        };
        let o = Object::new();
        set(&o, "new", list(&s.new));
        set(&o, "gone", list(&s.gone));
        Ok(o.into())
    }

    /// The goroutine diff (view/goroutine_diff.rs) of two goroutine
    /// profiles: by goroutine id for two debug=2 dumps, by counts otherwise.
    /// `interval_minutes` NaN: the profiles' times (or the files' dates)
    /// when known, else estimated from the waits. At most `max_rows` rows.
    pub fn goroutine_compare(
        &self,
        base: u32,
        target: u32,
        similarity: &str,
        interval_minutes: f64,
        max_rows: u32,
    ) -> Result<JsValue, JsError> {
        let sim = goroutines::Similarity::parse(similarity)
            .ok_or_else(|| js_err(format!("unknown similarity {similarity:?}")))?;
        let t = self.timed(&[base, target])?;
        let (b, g) = (&*t.profiles[0], &*t.profiles[1]);
        let (mut interval, mut from) = (None, "");
        if interval_minutes.is_finite() && interval_minutes > 0.0 {
            (interval, from) = (Some(interval_minutes), "entered");
        } else if let Some(m) = compare::minutes_between(b, g).filter(|m| *m > 0.0) {
            (interval, from) =
                (Some(m), if t.from_file.iter().any(|&f| f) { "the files' dates" } else { "the profiles' times" });
        }
        let mut d =
            goroutine_diff::diff(b, g, &goroutine_diff::Options { similarity: sim, interval_minutes: interval })
                .map_err(js_err)?;
        let rows = d.rows.len();
        d.rows.truncate(max_rows as usize);
        let v = to_js(&d)?;
        let o: Object = v.into();
        set(&o, "row_count", rows as u32);
        set(&o, "interval_from", JsValue::from_str(from));
        if let Some(n) = &t.note {
            set(&o, "time_note", JsValue::from_str(n));
        }
        Ok(o.into())
    }

    /// Growth of every function over the snapshots `ids` (ordered here by
    /// time, oldest first): values per snapshot, least-squares slope per
    /// minute, monotonic; at most `max_rows` rows, steepest growth first;
    /// with `limit` (e.g. `1GiB`, `30000`) the projected time the total reaches it.
    pub fn growth(&self, ids: &[u32], options: JsValue, limit: &str, max_rows: u32) -> Result<JsValue, JsError> {
        let o = parse_options(options)?;
        let t = self.timed(ids)?;
        let mut order: Vec<usize> = (0..ids.len()).collect();
        if let Some(i) = t.profiles.iter().position(|p| p.time_nanos == 0) {
            let why = t.note.clone().unwrap_or_else(|| "it has no time and its file's date is unknown".into());
            return Err(js_err(format!(
                "growth needs the time of every snapshot: profile {} has none ({why})",
                ids[i]
            )));
        }
        order.sort_rows_by_key(|&i| (t.profiles[i].time_nanos, ids[i]));
        let refs: Vec<&Profile> = order.iter().map(|&i| &*t.profiles[i]).collect();
        for w in refs.windows(2) {
            if w[0].time_nanos == w[1].time_nanos {
                return Err(js_err("growth needs snapshots taken at different times: two have the same time"));
            }
        }
        let g = compare::growth(&refs, &o).map_err(js_err)?;
        let k = refs.len();
        let rows = &g.rows[..g.rows.len().min(max_rows as usize)];
        let n = rows.len();
        let fmt = |v: i64| units::label(v, &g.unit);
        let out = Object::new();
        set(&out, "sample_type", JsValue::from_str(&g.sample_type));
        set(&out, "unit", JsValue::from_str(&g.unit));
        set(&out, "ids", Uint32Array::from(&order.iter().map(|&i| ids[i]).collect::<Vec<_>>()[..]));
        set(&out, "time_text", strings(&refs.iter().map(|p| details::time_text(p)).collect::<Vec<_>>()));
        set(&out, "from_file", u8s(order.iter().map(|&i| t.from_file[i] as u8)));
        set(&out, "minutes", Float64Array::from(&g.minutes[..]));
        set(&out, "minutes_text", strings(&g.minutes.iter().map(|&m| minutes_text(m)).collect::<Vec<_>>()));
        set(&out, "totals", f64s(g.totals.iter().copied()));
        set(&out, "totals_text", strings(&g.totals.iter().map(|&v| fmt(v)).collect::<Vec<_>>()));
        set(&out, "total_slope", g.total_slope_per_minute);
        set(&out, "total_slope_text", JsValue::from_str(&compare::rate_text(&g.unit, g.total_slope_per_minute, fmt)));
        set(&out, "row_count", g.rows.len() as u32);
        set(&out, "rows", n as u32);
        set(&out, "snapshots", k as u32);
        set(&out, "name", StrCol::from_iter(n, rows.iter().map(|r| r.name.as_str())).to_js());
        set(&out, "values", f64s(rows.iter().flat_map(|r| r.values.iter().copied())));
        let mut vt = StrCol::with_capacity(n * k);
        for r in rows {
            for &v in &r.values {
                vt.push(&fmt(v));
            }
        }
        set(&out, "value_text", vt.to_js());
        set(&out, "slope", Float64Array::from(&rows.iter().map(|r| r.slope_per_minute).collect::<Vec<_>>()[..]));
        set(
            &out,
            "slope_text",
            StrCol::from_iter(
                n,
                rows.iter()
                    .map(|r| compare::rate_text(&g.unit, r.slope_per_minute, fmt))
                    .collect::<Vec<_>>()
                    .iter()
                    .map(String::as_str),
            )
            .to_js(),
        );
        set(&out, "monotonic", u8s(rows.iter().map(|r| r.monotonic as u8)));
        if !limit.trim().is_empty() {
            match units::parse_limit(limit) {
                None => set(
                    &out,
                    "limit_error",
                    JsValue::from_str(&format!("{limit:?} is not a limit (e.g. 1GiB, 512MB, 30000)")),
                ),
                Some(l) => {
                    set(&out, "limit", l);
                    set(&out, "limit_text", JsValue::from_str(&fmt(l as i64)));
                    match compare::minutes_to_limit(&g, l) {
                        Some(0.0) => set(
                            &out,
                            "projection",
                            JsValue::from_str("the last snapshot is already at or above the limit"),
                        ),
                        Some(m) => {
                            let at = refs[k - 1].time_nanos + (m * 60e9) as i64;
                            set(&out, "minutes_to_limit", m);
                            set(
                                &out,
                                "projection",
                                JsValue::from_str(&format!(
                                    "at {} the total reaches {} in about {} after the last snapshot (around {})",
                                    compare::rate_text(&g.unit, g.total_slope_per_minute, fmt),
                                    fmt(l as i64),
                                    minutes_text(m),
                                    timefmt::format_profile_time_utc(at)
                                )),
                            )
                        }
                        None => set(&out, "projection", JsValue::from_str("the total is not growing: no projection")),
                    }
                }
            }
        }
        Ok(out.into())
    }

    /// The Goroutines view (view/goroutines.rs) of the merge of `ids`:
    /// groups (at most `max_groups`), the background fold with its rules
    /// (`rules_text`), the roll-up by creation site.
    pub fn goroutines(
        &self,
        ids: &[u32],
        similarity: &str,
        fold_background: bool,
        max_groups: u32,
    ) -> Result<JsValue, JsError> {
        let sim = goroutines::Similarity::parse(similarity)
            .ok_or_else(|| js_err(format!("unknown similarity {similarity:?}")))?;
        let p = self.merged(ids, false)?;
        let mut v = goroutines::build(&p, &goroutines::Options { similarity: sim, fold_background }).map_err(js_err)?;
        let shown = v.groups.len();
        v.groups.truncate(max_groups as usize);
        let o: Object = to_js(&v)?.into();
        // Shares as pprof prints percentages.
        let pct = |c: i64| JsValue::from_str(units::percentage(c, v.total).trim());
        set(&o, "share_text", v.groups.iter().map(|g| pct(g.count)).collect::<Array>());
        set(&o, "creator_share_text", v.by_creator.iter().map(|r| pct(r.count)).collect::<Array>());
        if let Some(b) = &v.background {
            set(&o, "background_share_text", pct(b.count));
        }
        set(&o, "row_count", shown as u32);
        set(&o, "similarity_text", JsValue::from_str(sim.describe()));
        set(&o, "rules_text", strings(&v.background_rules.iter().map(goroutines::rule_text).collect::<Vec<_>>()));
        Ok(o.into())
    }

    /// Leak findings over every loaded goroutine and heap profile (see
    /// view/findings.rs), with the limits the user entered; each stack names
    /// the loaded profile it is found in (`stack_profiles[i][j]`), and
    /// `markdown` is the findings as Markdown for a ticket.
    pub fn findings(&self, goroutine_limit: &str, heap_limit: &str) -> Result<JsValue, JsError> {
        let ids: Vec<u32> = (0..self.profiles.len() as u32).filter(|&i| self.profiles[i as usize].is_some()).collect();
        self.findings_of(&ids, goroutine_limit, heap_limit)
    }

    /// The findings over the goroutine and heap profiles among `ids` only
    /// (an embedded view's own files, when several share one engine).
    pub fn findings_of(&self, ids: &[u32], goroutine_limit: &str, heap_limit: &str) -> Result<JsValue, JsError> {
        let (mut gids, mut hids) = (Vec::new(), Vec::new());
        for &id in ids {
            match classify(self.loaded(id)?) {
                ProfileKind::Goroutine => gids.push(id),
                ProfileKind::Heap | ProfileKind::Allocs => hids.push(id),
                _ => {}
            }
        }
        let (tg, th) = (self.timed(&gids)?, self.timed(&hids)?);
        let refs: Vec<&Profile> = tg.profiles.iter().chain(&th.profiles).map(|p| &**p).collect();
        let all: Vec<u32> = gids.iter().chain(&hids).copied().collect();
        let mut errors = Vec::new();
        let mut inputs = findings::Inputs::from_profiles(&refs);
        inputs.goroutine_limit = Session::limit(goroutine_limit, &mut errors, "goroutine limit");
        inputs.heap_limit = Session::limit(heap_limit, &mut errors, "memory limit");
        let id_of =
            |p: Option<&&Profile>| p.and_then(|p| refs.iter().position(|q| std::ptr::eq(*q, *p)).map(|i| all[i]));
        let (last_g, last_h) = (id_of(inputs.goroutines.last()), id_of(inputs.heaps.last()));
        let list = findings::run(&inputs);
        #[derive(serde::Serialize)]
        struct Out<'a> {
            findings: &'a [findings::Finding],
            stack_profiles: Vec<Vec<Option<u32>>>,
            markdown: String,
            goroutine_profiles: usize,
            heap_profiles: usize,
            errors: Vec<String>,
            rules: usize,
        }
        let out = Out {
            stack_profiles: list
                .iter()
                .map(|f| f.stacks.iter().map(|s| if s.source == "heap" { last_h } else { last_g }).collect())
                .collect(),
            markdown: export::findings_markdown(&list),
            findings: &list,
            goroutine_profiles: inputs.goroutines.len(),
            heap_profiles: inputs.heaps.len(),
            errors,
            rules: findings::RULES.len(),
        };
        to_js(&out)
    }
}

// ---------------------------------------------------------------------------
// Sharing without uploading (issue 9): the shown top table as CSV or
// Markdown, the shown (filtered, or diff) profile as a gzipped pprof file,
// and redacted copies of loaded profiles for a saved report. The merge with
// provenance is `Options::provenance` (see `merged`). Profiles leave as raw
// protobuf bytes: the page gzips them with the browser's CompressionStream,
// so the wasm links no deflater (proto::encode_gzip is the CLI's and tests').
// ---------------------------------------------------------------------------

use crate::transform::redact::{redact, RedactOptions};

/// A profile as profile.proto bytes (one copy of the encoder for every caller).
#[inline(never)]
fn pprof_bytes(p: &Profile) -> Uint8Array {
    Uint8Array::from(&crate::proto::encode(p)[..])
}

/// `{file_paths, function_names, label_values, mappings}`, each true or absent
/// (read field by field: a serde deserializer here would cost the module more).
fn parse_redact(options: JsValue) -> Result<RedactOptions, JsError> {
    let flag = |k: &str| Reflect::get(&options, &JsValue::from_str(k)).ok().is_some_and(|v| v.is_truthy());
    if !options.is_object() {
        return Ok(RedactOptions::default());
    }
    Ok(RedactOptions {
        file_paths: flag("file_paths"),
        function_names: flag("function_names"),
        label_values: flag("label_values"),
        mappings: flag("mappings"),
    })
}

#[wasm_bindgen]
impl Session {
    /// The top table of `ids` and `options` (sorted as `options.cum` says)
    /// as `csv` or `markdown` (view/export.rs), cells as pprof prints them.
    pub fn top_export(&mut self, ids: &[u32], options: JsValue, format: &str) -> Result<String, JsError> {
        let cum = parse_options(options.clone())?.cum;
        let p = self.prepare(ids, options)?;
        p.top(cum);
        let t = p.top[cum as usize].as_ref().unwrap();
        export::top_table(&p.rpt, t, format).map_err(js_err)
    }

    /// The profile the views of `ids` and `options` are computed from (after
    /// the sample index and the filters, before the granularity) as pprof
    /// protobuf bytes (view/export.rs `filtered_profile`).
    pub fn export_pprof(&mut self, ids: &[u32], options: JsValue) -> Result<Uint8Array, JsError> {
        let o = parse_options(options.clone())?;
        self.prepare(ids, options)?;
        let src = &self.source.as_ref().unwrap().1;
        let p = export::filtered_profile(src, &o).map_err(js_err)?;
        Ok(pprof_bytes(&p))
    }

    /// The diff profile of a comparison (as `compare_top` makes it: target
    /// minus base in the comparison's mode), filtered as `options` says, as
    /// pprof protobuf bytes; `go tool pprof` reads the base's samples by
    /// their `pprof::base` label, as for its own -diff_base.
    pub fn compare_export_pprof(
        &mut self,
        base: u32,
        target: u32,
        mode: &str,
        options: JsValue,
    ) -> Result<Uint8Array, JsError> {
        let c = self.compare_prepare(base, target, mode, options)?;
        let (m, o) = (c.mode, c.options.clone());
        let t = self.timed(&[base, target])?;
        let diff = compare::diff_profile(&t.profiles[0], &t.profiles[1], m).map_err(js_err)?;
        let p = export::filtered_profile(&diff, &o).map_err(js_err)?;
        Ok(pprof_bytes(&p))
    }

    /// Loaded profile `id` redacted as `options` says ({file_paths,
    /// function_names, label_values, mappings}; transform/redact.rs), as
    /// pprof protobuf bytes: what a saved report holds instead of the file.
    pub fn redacted(&self, id: u32, options: JsValue) -> Result<Uint8Array, JsError> {
        let o = parse_redact(options)?;
        let p = redact(self.loaded(id)?, &o).map_err(js_err)?;
        Ok(pprof_bytes(&p))
    }

    /// What a profile redacted with `options` still holds, for the save dialog.
    pub fn redaction_kept(&self, options: JsValue) -> Result<Array, JsError> {
        Ok(parse_redact(options)?.kept().iter().map(|s| JsValue::from_str(s)).collect())
    }
}
