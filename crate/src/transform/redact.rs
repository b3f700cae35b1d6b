//! Redaction before sharing a report file: what the user asks to hide is
//! removed or replaced by a keyed hash (HMAC-SHA-256 with a random key per
//! report, never stored), and the string table is rebuilt so no original
//! string survives anywhere in the saved bytes.

use super::TransformError;
use crate::model::names::is_stdlib;
use crate::model::*;
use crate::util::sha256::hmac_sha256;
use std::sync::Arc;

/// What to hide. Every string of a profile is either replaced or dropped by
/// one of these, or named by `kept` (the save dialog shows that list).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct RedactOptions {
    /// Drop every source file name.
    pub file_paths: bool,
    /// Replace the names and system names of functions outside Go's standard
    /// library by keyed hashes; drop the drop_frames/keep_frames patterns.
    pub function_names: bool,
    /// Replace label keys and values, and num-label units pprof does not define.
    pub label_values: bool,
    /// Drop the mappings (binary paths and build ids).
    pub mappings: bool,
    /// Drop the comments (a panic's text among them) and the doc URL;
    /// replace sample types and units pprof does not define.
    pub comments: bool,
    /// The HMAC key of the replacements: one random key per saved report (so
    /// a name hashes alike in all its files), never stored. `None`: a fresh
    /// random key (natively; the page always passes one).
    #[serde(skip)]
    pub key: Option<[u8; 32]>,
}

/// Sample types, units and num-label keys of pprof and Go's runtime: not secrets.
const STANDARD: &[&str] = &[
    "",
    "samples",
    "cpu",
    "wall",
    "alloc_objects",
    "alloc_space",
    "inuse_objects",
    "inuse_space",
    "contentions",
    "delay",
    "goroutine",
    "threadcreate",
    "thread",
    "objects",
    "space",
    "count",
    "bytes",
    "object count",
    "nanoseconds",
    "microseconds",
    "milliseconds",
    "seconds",
];

impl RedactOptions {
    pub fn any(&self) -> bool {
        self.file_paths || self.function_names || self.label_values || self.mappings || self.comments
    }

    /// What a redacted file still holds, for the save dialog: every string
    /// of the profile not replaced or dropped is named here.
    pub fn kept(&self) -> Vec<&'static str> {
        let mut v = vec![
            "sample values, numeric label values, addresses, line numbers, times, period",
            "pprof's standard sample types and units (cpu, alloc_space, bytes, …)",
        ];
        v.push(if self.function_names {
            "names of Go standard-library functions (by Go's package list; others become keyed hashes)"
        } else {
            "all function names and system names, and the drop/keep frame patterns"
        });
        if !self.file_paths {
            v.push("source file paths");
        }
        v.push(if self.label_values {
            "label keys and values as keyed hashes (numeric label values and standard units kept)"
        } else {
            "label keys, label values and numeric label units"
        });
        if !self.mappings {
            v.push("mappings (binary paths, build ids)");
        }
        if !self.comments {
            v.push("comments (a panic's message among them), the doc URL, sample types and units as written");
        }
        v
    }
}

/// Keyed replacements: HMAC-SHA-256 under the report's key, 64 bits shown.
/// The same string always becomes the same hash within one report; without
/// the key nothing can be tried against it.
struct Hasher([u8; 32]);

impl Hasher {
    fn new(o: &RedactOptions) -> Result<Self, TransformError> {
        match o.key {
            Some(k) => Ok(Hasher(k)),
            None => random_key().map(Hasher),
        }
    }

    fn hash(&self, prefix: &str, s: &str) -> String {
        let mac = hmac_sha256(&self.0, s.as_bytes());
        let hex: String = mac[..8].iter().map(|b| format!("{b:02x}")).collect();
        format!("{prefix}{hex}")
    }

    /// `s` hashed unless it is one of pprof's standard words.
    fn unless_standard(&self, prefix: &str, s: &str) -> String {
        if STANDARD.contains(&s) {
            s.to_string()
        } else {
            self.hash(prefix, s)
        }
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn random_key() -> Result<[u8; 32], TransformError> {
    use std::io::Read;
    let mut k = [0u8; 32];
    std::fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut k))
        .map_err(|e| TransformError(format!("redaction: no random key ({e})")))?;
    Ok(k)
}

#[cfg(target_arch = "wasm32")]
fn random_key() -> Result<[u8; 32], TransformError> {
    Err(TransformError("redaction: no key given (the page passes crypto.getRandomValues' bytes)".into()))
}

pub fn redact(p: &Profile, o: &RedactOptions) -> Result<Profile, TransformError> {
    if !o.any() {
        return Ok(p.clone());
    }
    let h = Hasher::new(o)?;
    let mut out = p.clone();
    if o.function_names {
        redact_functions(&mut out, &h);
    }
    if o.file_paths {
        for f in &mut out.functions {
            f.filename = StrId(0);
        }
    }
    if o.label_values {
        redact_labels(p, &mut out, &h);
    }
    if o.mappings {
        for l in &mut out.locations {
            l.mapping = None;
        }
        out.mappings.clear();
    }
    if o.comments {
        redact_texts(&mut out, &h);
    }
    // Per-goroutine records carry argument text and creators: not kept.
    out.goroutines = None;
    out.warnings.clear();
    out.repairs.clear();
    // A merge rebuilds the string table from what is still referenced.
    super::merge(&[&out])
}

/// Names outside the standard library, and system names checked on their
/// own (a standard name can hide a user's system name).
fn redact_functions(out: &mut Profile, h: &Hasher) {
    for i in 0..out.functions.len() {
        let f = out.functions[i].clone();
        for (id, field) in [(f.name, 0), (f.system_name, 1)] {
            let s = out.str(id);
            if s.is_empty() || is_stdlib(s) {
                continue;
            }
            let hashed = h.hash("fn_", s);
            let new = out.strings.intern(&hashed);
            if field == 0 {
                out.functions[i].name = new;
            } else {
                out.functions[i].system_name = new;
            }
        }
    }
    out.drop_frames = StrId(0);
    out.keep_frames = StrId(0);
}

fn redact_labels(p: &Profile, out: &mut Profile, h: &Hasher) {
    let mut table = LabelTable::default();
    let mut map = vec![None; p.label_sets.len()];
    let mut labels = p.samples.labels.clone();
    for l in labels.iter_mut() {
        let id = match map[l.idx()] {
            Some(id) => id,
            None => {
                let mut set = p.label_sets.get(*l).clone();
                for pair in &mut set.strs {
                    pair.0 = out.strings.intern(&h.unless_standard("k_", p.str(pair.0)));
                    pair.1 = out.strings.intern(&h.hash("v_", p.str(pair.1)));
                }
                for n in &mut set.nums {
                    n.key = out.strings.intern(&h.unless_standard("k_", p.str(n.key)));
                    n.unit = out.strings.intern(&h.unless_standard("u_", p.str(n.unit)));
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

/// Comments, the doc URL, and sample types / units pprof does not define.
fn redact_texts(out: &mut Profile, h: &Hasher) {
    out.comments.clear();
    out.doc_url = StrId(0);
    let rename = |out: &mut Profile, id: StrId, prefix: &str| {
        let s = h.unless_standard(prefix, out.str(id));
        out.strings.intern(&s)
    };
    for i in 0..out.sample_types.len() {
        let vt = out.sample_types[i];
        out.sample_types[i] = ValueType { r#type: rename(out, vt.r#type, "t_"), unit: rename(out, vt.unit, "u_") };
    }
    let pt = out.period_type;
    out.period_type = ValueType { r#type: rename(out, pt.r#type, "t_"), unit: rename(out, pt.unit, "u_") };
    out.default_sample_type = rename(out, out.default_sample_type, "t_");
}

/// Merges profiles of one kind keeping where each sample came from: a `file`
/// label, so the tags view and tag filters split the merge by source.
pub fn merge_with_provenance(profiles: Vec<(String, Profile)>) -> Result<Profile, TransformError> {
    let labeled: Vec<Profile> =
        profiles.into_iter().map(|(name, p)| super::merge::set_label(&p, "file", &name)).collect();
    super::combine(labeled)
}
