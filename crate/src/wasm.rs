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
use crate::view::calltree::{build_call_tree, CallTree};
use crate::view::details::{self, profile_kind};
use crate::view::flame::{self, FlameLayout};
use crate::view::report::{Options, Report, ReportKind};
use crate::view::peek;
use crate::view::top::{self, Top};
use crate::view::units;
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
    for (k, n) in [("samples", d.samples), ("stacks", d.stacks), ("locations", d.locations), ("functions", d.functions)] {
        set(&o, k, n as f64);
    }
    let mappings: Array = d
        .mappings
        .iter()
        .map(|m| -> JsValue {
            let r = Object::new();
            set(&r, "id", m.id as f64);
            for (k, v) in [("start", &m.start), ("limit", &m.limit), ("offset", &m.offset), ("file", &m.file), ("build_id", &m.build_id), ("has", &m.has)] {
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

    fn merged(&self, ids: &[u32]) -> Result<Profile, JsError> {
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
        if self.source.as_ref().is_none_or(|(s, _)| s != ids) {
            self.source = None;
            self.source = Some((ids.to_vec(), self.merged(ids)?));
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
        Session { profiles: Vec::new(), pending: Vec::new(), limits: Limits::default(), source: None, prepared: None }
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
        let p = self
            .pending
            .get_mut(pending as usize)
            .and_then(|s| s.take())
            .ok_or_else(|| js_err("no pending load"))?;
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
    }

    /// The details panel: metadata, mappings, label keys, MemStats.
    pub fn details(&self, id: u32) -> Result<JsValue, JsError> {
        Ok(details_to_js(&details::details(self.loaded(id)?)))
    }

    /// pprof's `-top` text for the merge of `ids`.
    pub fn top_text(&mut self, ids: &[u32], options: JsValue) -> Result<String, JsError> {
        let p = self.merged(ids)?;
        let o = parse_options(options)?;
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
        let inline: Vec<u8> =
            t.rows.iter().map(|r| if r.inline_label.is_empty() { 0 } else if r.inline_label == "(inline)" { 1 } else { 2 }).collect();
        set(&o, "inline", Uint8Array::from(&inline[..]));
        set(&o, "flat", f64s(t.rows.iter().map(|r| r.flat)));
        set(&o, "cum", f64s(t.rows.iter().map(|r| r.cum)));
        let (mut ft, mut fp, mut sp, mut ct, mut cp) =
            (StrCol::with_capacity(n), StrCol::with_capacity(n), StrCol::with_capacity(n), StrCol::with_capacity(n), StrCol::with_capacity(n));
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
        let nf = t.frames.len();
        set(&o, "name", StrCol::from_iter(nf, t.frames.iter().map(|f| f.name.as_str())).to_js());
        set(&o, "short", StrCol::from_iter(nf, t.frames.iter().map(|f| f.short.as_str())).to_js());
        let inline: Vec<u8> = t.frames.iter().map(|f| f.inline as u8).collect();
        set(&o, "inline", Uint8Array::from(&inline[..]));
        let mut packages: Vec<&str> = Vec::new();
        let mut index: crate::hash::FxHashMap<&str, u32> = Default::default();
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
        set(&o, "package", Uint32Array::from(&package[..]));
        set(&o, "packages", StrCol::from_iter(packages.len(), packages.iter().copied()).to_js());
        set(&o, "zoom", zoom);
        set(&o, "frame", Uint32Array::from(&l.frame[..]));
        set(&o, "node", Uint32Array::from(&l.node[..]));
        set(&o, "depth", Uint32Array::from(&l.depth[..]));
        set(&o, "parent", Uint32Array::from(&l.parent[..]));
        set(&o, "x", Float64Array::from(&l.x[..]));
        set(&o, "width", Float64Array::from(&l.width[..]));
        set(&o, "value", Float64Array::from(&l.total[..]));
        set(&o, "self", Float64Array::from(&l.self_value[..]));
        set(&o, "row_start", Uint32Array::from(&l.row_start[..]));
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
        let frames: Vec<u8> = t.frames.iter().map(|f| re.as_ref().is_some_and(|re| re.is_match(&f.name)) as u8).collect();
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
        let matched: Vec<u8> = kids.iter().map(|&c| re.as_ref().is_some_and(|re| re.is_match(&t.frame_of(c).name)) as u8).collect();
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
        let edges = |v: &[crate::view::tree::TreeEdge], cum: i64| -> Array {
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
        let g = crate::view::dot::build_dot(&mut rpt);
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
        let col = |f: &dyn Fn(&crate::view::dot::DotNode) -> String| {
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
        let keys: Array = crate::view::tags::build_tags(&rpt)
            .iter()
            .map(|k| -> JsValue {
                let r = Object::new();
                set(&r, "key", JsValue::from_str(&k.key));
                set(&r, "numeric", k.numeric);
                set(&r, "total", k.total as f64);
                set(&r, "total_text", JsValue::from_str(&crate::view::tags::scaled(&rpt, k.total)));
                let n = k.values.len();
                set(&r, "name", StrCol::from_iter(n, k.values.iter().map(|v| v.name.as_str())).to_js());
                set(&r, "weight", f64s(k.values.iter().map(|v| v.weight)));
                let mut wt = StrCol::with_capacity(n);
                let mut pc = StrCol::with_capacity(n);
                for v in &k.values {
                    wt.push(&crate::view::tags::scaled(&rpt, v.weight));
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
