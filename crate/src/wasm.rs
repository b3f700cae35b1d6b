//! The wasm boundary: the only file that uses wasm-bindgen. A `Session` owns
//! the decoded profiles inside wasm memory; JavaScript holds numeric handles.
//! Bytes come in as `Uint8Array`; small summaries go out through
//! serde-wasm-bindgen, large tables as typed-array columns. Errors become JS
//! `Error`s whose message names the stage ("parsing profile: ... (at byte N)").

use crate::decode::Limits;
use crate::load::{self, Input};
use crate::model::Profile;
use crate::view::report::{Options, Report, ReportKind};
use crate::view::top;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
pub struct Session {
    profiles: Vec<Option<Profile>>,
    limits: Limits,
}

/// What the page lists for a loaded file.
#[derive(serde::Serialize)]
pub struct Summary {
    pub id: u32,
    pub format: crate::model::SourceFormat,
    pub sample_types: Vec<(String, String)>,
    pub default_sample_index: usize,
    pub samples: usize,
    pub time_nanos: f64,
    pub duration_nanos: f64,
    pub warnings: Vec<String>,
}

fn js_err(msg: impl std::fmt::Display) -> JsError {
    JsError::new(&msg.to_string())
}

#[wasm_bindgen]
impl Session {
    #[wasm_bindgen(constructor)]
    pub fn new() -> Session {
        Session { profiles: Vec::new(), limits: Limits::default() }
    }

    /// Decodes one file; returns its summary (with the handle `id`).
    pub fn load(&mut self, name: &str, bytes: &[u8]) -> Result<JsValue, JsError> {
        let p = load::decode_named(&Input { name, data: bytes }, &self.limits).map_err(js_err)?;
        let id = self.profiles.len() as u32;
        let summary = Summary {
            id,
            format: p.source_format,
            sample_types: (0..p.num_types())
                .map(|i| (p.sample_type_name(i).to_string(), p.sample_type_unit(i).to_string()))
                .collect(),
            default_sample_index: crate::transform::sample_index(&p, "").unwrap_or(0),
            samples: p.samples.len(),
            time_nanos: p.time_nanos as f64,
            duration_nanos: p.duration_nanos as f64,
            warnings: p.warnings.clone(),
        };
        self.profiles.push(Some(p));
        serde_wasm_bindgen::to_value(&summary).map_err(js_err)
    }

    /// Forgets a loaded profile.
    pub fn remove(&mut self, id: u32) {
        if let Some(slot) = self.profiles.get_mut(id as usize) {
            *slot = None;
        }
    }

    /// pprof's `-top` text for the merge of `ids`, with pprof options given
    /// as an object of the same names (`{sample_index: "alloc_space", nodecount: 20}`).
    pub fn top_text(&self, ids: &[u32], options: JsValue) -> Result<String, JsError> {
        let p = self.merged(ids)?;
        let o: Options = if options.is_undefined() || options.is_null() {
            Options::default()
        } else {
            serde_wasm_bindgen::from_value(options).map_err(js_err)?
        };
        let mut r = Report::new(&p, ReportKind::Top, &o).map_err(js_err)?;
        r.utc = true;
        Ok(top::render_text(&mut r))
    }

    fn merged(&self, ids: &[u32]) -> Result<Profile, JsError> {
        let mut v = Vec::with_capacity(ids.len());
        for &id in ids {
            match self.profiles.get(id as usize).and_then(|p| p.as_ref()) {
                Some(p) => v.push(p.clone()),
                None => return Err(js_err(format!("no loaded profile with id {id}"))),
            }
        }
        load::combine_decoded(v, Vec::new(), Default::default()).map_err(js_err)
    }
}

impl Default for Session {
    fn default() -> Self {
        Self::new()
    }
}
