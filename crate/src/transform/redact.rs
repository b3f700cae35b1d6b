//! Redaction before sharing a report file: what the user asks to hide is
//! removed or replaced by a stable hash, and the string table is rebuilt so
//! no original string survives anywhere in the saved bytes.

use super::TransformError;
use crate::model::names::is_stdlib;
use crate::model::*;
use std::sync::Arc;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct RedactOptions {
    /// Drop every file name (source paths) and the comments.
    pub file_paths: bool,
    /// Replace function names outside the standard library with stable hashes.
    pub function_names: bool,
    /// Replace string label values with stable hashes.
    pub label_values: bool,
    /// Drop the mappings (binary paths and build ids).
    pub mappings: bool,
}

impl RedactOptions {
    pub fn any(&self) -> bool {
        self.file_paths || self.function_names || self.label_values || self.mappings
    }

    /// What a redacted file still holds, for the save dialog.
    pub fn kept(&self) -> Vec<&'static str> {
        let mut v = vec!["sample values, sample types, times", "numeric labels (e.g. allocation sizes)", "label keys"];
        v.push(if self.function_names {
            "standard-library function names (others become hashes)"
        } else {
            "all function names"
        });
        if !self.file_paths {
            v.push("source file paths and line numbers");
        } else {
            v.push("line numbers (not file paths)");
        }
        if !self.label_values {
            v.push("label values");
        }
        if !self.mappings {
            v.push("mappings (binary paths, build ids)");
        }
        v
    }
}

/// A short stable stand-in for `s` (FNV-1a, 32 bits shown): the same name
/// always becomes the same hash, so the shape of the profile survives.
pub fn stable_hash(prefix: &str, s: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{prefix}{:08x}", (h ^ (h >> 32)) as u32)
}

pub fn redact(p: &Profile, o: &RedactOptions) -> Result<Profile, TransformError> {
    if !o.any() {
        return Ok(p.clone());
    }
    let mut out = p.clone();
    if o.function_names {
        for i in 0..out.functions.len() {
            let f = out.functions[i].clone();
            let name = out.str(f.name).to_string();
            if !is_stdlib(&name) {
                let h = stable_hash("fn_", &name);
                let id = out.strings.intern(&h);
                out.functions[i].name = id;
                out.functions[i].system_name = id;
            }
        }
        out.drop_frames = StrId(0);
        out.keep_frames = StrId(0);
    }
    if o.file_paths {
        for f in &mut out.functions {
            f.filename = StrId(0);
        }
        out.comments.clear();
    }
    if o.label_values {
        let mut table = LabelTable::default();
        let mut map = vec![None; p.label_sets.len()];
        let mut labels = p.samples.labels.clone();
        for l in labels.iter_mut() {
            let id = match map[l.idx()] {
                Some(id) => id,
                None => {
                    let mut set = p.label_sets.get(*l).clone();
                    for pair in &mut set.strs {
                        let h = stable_hash("v_", p.str(pair.1));
                        pair.1 = out.strings.intern(&h);
                    }
                    let id = table.intern(set);
                    map[l.idx()] = Some(id);
                    id
                }
            };
            *l = id;
        }
        Arc::make_mut(&mut out.samples).labels = labels;
        out.label_sets = Arc::new(table);
    }
    if o.mappings {
        for l in &mut out.locations {
            l.mapping = None;
        }
        out.mappings.clear();
    }
    // Per-goroutine records carry argument text and creators: not kept.
    out.goroutines = None;
    out.warnings.clear();
    out.repairs.clear();
    // A merge rebuilds the string table from what is still referenced.
    super::merge(&[&out])
}

/// Merges profiles of one kind keeping where each sample came from: a `file`
/// label, so the tags view and tag filters split the merge by source.
pub fn merge_with_provenance(profiles: Vec<(String, Profile)>) -> Result<Profile, TransformError> {
    let labeled: Vec<Profile> =
        profiles.into_iter().map(|(name, p)| super::merge::set_label(&p, "file", &name)).collect();
    super::combine(labeled)
}
