//! From input files to the one profile a report is made of, as pprof's
//! fetchProfiles does it: decode each file, merge the sources (one source
//! too: pprof's merge keeps each distinct comment once and adds up samples
//! with the same stack and labels), subtract the base (`diff_base` / `base`,
//! optionally `normalize`d), demangle (`symbolize`), then apply the
//! profile's own drop_frames/keep_frames.

use crate::decode::{self, DecodeError, Limits};
use crate::model::Profile;
use crate::transform::demangle::{self, Symbolize};
use crate::transform::{self, prune, BaseMode, TransformError};
use std::fmt;

/// An error with the file it came from, when there is one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoadError {
    pub file: Option<String>,
    pub decode: Option<DecodeError>,
    pub message: String,
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.file {
            Some(file) => write!(f, "{file}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for LoadError {}

impl From<TransformError> for LoadError {
    fn from(e: TransformError) -> Self {
        LoadError { file: None, decode: None, message: e.0 }
    }
}

/// One input: a name for messages and its bytes.
pub struct Input<'a> {
    pub name: &'a str,
    pub data: &'a [u8],
}

pub fn decode_named(input: &Input, limits: &Limits) -> Result<Profile, LoadError> {
    decode::decode(input.data, limits).map_err(|e| LoadError {
        file: Some(input.name.to_string()),
        message: e.to_string(),
        decode: Some(e),
    })
}

/// A decoded file's warnings and repairs as the CLI prints them: warnings
/// of one kind (the same text once line numbers, counts and quoted text are
/// set aside) once, with their count and the first one; then each repair.
pub fn decoder_notes(warnings: &[String], repairs: &[String]) -> Vec<String> {
    let mut kinds: Vec<(String, usize, &str)> = Vec::new();
    for w in warnings {
        let key = warning_kind(w);
        match kinds.iter_mut().find(|k| k.0 == key) {
            Some(k) => k.1 += 1,
            None => kinds.push((key, 1, w)),
        }
    }
    let mut out: Vec<String> = kinds
        .into_iter()
        .map(|(_, n, first)| if n == 1 { format!("warning: {first}") } else { format!("{n} warnings like: {first}") })
        .collect();
    out.extend(repairs.iter().cloned());
    out
}

/// A warning without what varies between warnings of one kind.
fn warning_kind(w: &str) -> String {
    let mut out = String::with_capacity(w.len());
    let mut quoted = false;
    let mut prev_digit = false;
    for c in w.chars() {
        if c == '"' {
            quoted = !quoted;
            continue;
        }
        if quoted {
            continue;
        }
        let digit = c.is_ascii_digit();
        if !(digit && prev_digit) {
            out.push(if digit { '#' } else { c });
        }
        prev_digit = digit;
    }
    out
}

/// How the sources become one profile: the base (if any) and how it is
/// applied, and pprof's `symbolize` (demangling) step.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct BaseOptions {
    pub mode: Option<BaseMode>,
    pub normalize: bool,
    pub symbolize: Symbolize,
}

/// Merge already-decoded sources and subtract already-decoded bases.
pub fn combine_decoded(sources: Vec<Profile>, bases: Vec<Profile>, base: BaseOptions) -> Result<Profile, LoadError> {
    if sources.is_empty() {
        return Err(LoadError { file: None, decode: None, message: "failed to fetch any source profiles".into() });
    }
    // pprof merges one source too: the merge keeps each distinct comment
    // once, and totals count |value| per merged sample, so a +a and a -b
    // on one stack partly cancel before they are counted.
    let mut p = transform::combine(sources)?;
    if !bases.is_empty() {
        let pbase = transform::combine(bases)?;
        let mode = base.mode.unwrap_or(BaseMode::Base);
        p = transform::subtract_base(p, pbase, mode, base.normalize)?;
    }
    demangle::apply(&mut p, base.symbolize);
    Ok(prune::remove_uninteresting(&p)?)
}

/// [`combine_decoded`] of one source with no base, without copying it first.
pub fn combine_one(p: &Profile, symbolize: Symbolize) -> Result<Profile, LoadError> {
    let mut m = transform::merge(&[p])?;
    demangle::apply(&mut m, symbolize);
    Ok(prune::remove_uninteresting(&m)?)
}

/// [`combine_decoded`] with provenance: the sources merged with a `file`
/// label naming each (`--provenance` in the CLI, "label samples by file" in
/// the page), so tags and tag filters split the merge by source.
pub fn combine_with_provenance(
    sources: Vec<(String, Profile)>,
    bases: Vec<Profile>,
    base: BaseOptions,
) -> Result<Profile, LoadError> {
    if sources.len() < 2 {
        return combine_decoded(sources.into_iter().map(|(_, p)| p).collect(), bases, base);
    }
    let merged = transform::redact::merge_with_provenance(sources)?;
    combine_decoded(vec![merged], bases, base)
}

/// The `file` label of each input path: its base name, or the path as given
/// when two inputs share a base name.
pub fn provenance_names(paths: &[&str]) -> Vec<String> {
    let base = |p: &str| p.rsplit(['/', '\\']).next().unwrap_or(p).to_string();
    let bases: Vec<String> = paths.iter().map(|p| base(p)).collect();
    let unique = bases.iter().enumerate().all(|(i, b)| !bases[..i].contains(b));
    if unique {
        bases
    } else {
        paths.iter().map(|p| p.to_string()).collect()
    }
}

/// Decode, merge and subtract: the profile a report is made of.
pub fn load(sources: &[Input], bases: &[Input], base: BaseOptions, limits: &Limits) -> Result<Profile, LoadError> {
    let s = sources.iter().map(|i| decode_named(i, limits)).collect::<Result<Vec<_>, _>>()?;
    let b = bases.iter().map(|i| decode_named(i, limits)).collect::<Result<Vec<_>, _>>()?;
    combine_decoded(s, b, base)
}
