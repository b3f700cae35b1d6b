//! Transforms: pure functions from a profile to a new profile. The base is
//! never changed, so the page can undo any step by recomputing from it.

pub mod demangle;
pub mod filter;
pub mod granularity;
pub mod labelnodes;
pub mod merge;
pub mod prune;
pub mod redact;
pub mod stack;
pub mod tagfilter;

use crate::model::*;
use std::fmt;
use std::sync::Arc;

pub use granularity::{aggregate, Granularity};
pub use merge::{combine, merge, subtract_base, BaseMode};

#[cfg(test)]
mod tests {
    #[test]
    fn go_regexp_classes_are_ascii() {
        let w = super::go_regexp(r"^\w+$").unwrap();
        assert!(w.is_match("net_http2") && !w.is_match("café"));
        assert!(!super::go_regexp(r"\d").unwrap().is_match("٣"));
        assert!(super::go_regexp(r"[^\d]").unwrap().is_match("x"));
        assert!(super::go_regexp(r"a\\d").unwrap().is_match(r"a\d"), "an escaped backslash stays one");
        assert!(super::go_regexp(r"\bhttp\b").unwrap().is_match("net/http.Get"));
        assert!(super::go_regexp(r"\(\*T\)\.").unwrap().is_match("p.(*T).m"));
        assert!(!super::go_regexp(r"^\s$").unwrap().is_match("\u{b}"), "Go's \\s has no vertical tab");
        assert!(super::go_regexp(r"^[\s\w]+$").unwrap().is_match("a b_1"));
        assert!(super::go_regexp(r"^[]a]+$").unwrap().is_match("]a"));
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TransformError(pub String);

impl fmt::Display for TransformError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for TransformError {}

/// A regexp with Go's (RE2's) meaning, as pprof compiles its options. The
/// engine (regex-lite, chosen for the wasm size) already gives `\d`, `\w` and
/// `\b` Go's ASCII meaning; only `\s` differs (it also matches \v), so it is
/// spelled out, inside or outside a bracketed class.
pub fn go_regexp(pattern: &str) -> Result<regex::Regex, regex::Error> {
    let mut out = String::with_capacity(pattern.len() + 8);
    let mut chars = pattern.chars().peekable();
    let mut in_class = false;
    // Position inside a class: `]` right after `[` or `[^` is a literal.
    let mut class_start = false;
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('s') if in_class => out.push_str("\\t\\n\\f\\r "),
                Some('s') => out.push_str("[\\t\\n\\f\\r ]"),
                Some('S') if !in_class => out.push_str("[^\\t\\n\\f\\r ]"),
                Some(other) => {
                    out.push('\\');
                    out.push(other);
                }
                None => out.push('\\'),
            },
            '[' if !in_class => {
                in_class = true;
                class_start = true;
                out.push(c);
                if chars.peek() == Some(&'^') {
                    out.push(chars.next().unwrap());
                }
                continue;
            }
            ']' if in_class && !class_start => {
                in_class = false;
                out.push(c);
            }
            _ => out.push(c),
        }
        class_start = false;
    }
    regex::Regex::new(&out)
}

/// pprof's `SampleIndexByName`: "" picks default_sample_type or the last
/// type; a number picks by position; a name matches a type, also without an
/// `inuse_` prefix.
pub fn sample_index(p: &Profile, name: &str) -> Result<usize, TransformError> {
    if p.num_types() == 0 {
        return Err(TransformError("profile has no samples".into()));
    }
    if name.is_empty() {
        let dst = p.str(p.default_sample_type);
        if !dst.is_empty() {
            if let Some(i) = (0..p.num_types()).find(|&i| p.sample_type_name(i) == dst) {
                return Ok(i);
            }
        }
        return Ok(p.num_types() - 1);
    }
    if let Ok(i) = name.parse::<i64>() {
        if i < 0 || i as usize >= p.num_types() {
            return Err(TransformError(format!("sample_index {name} is outside the range [0..{}]", p.num_types() - 1)));
        }
        return Ok(i as usize);
    }
    let no_inuse = name.strip_prefix("inuse_").unwrap_or(name);
    if let Some(i) = (0..p.num_types()).find(|&i| {
        let t = p.sample_type_name(i);
        t == name || t == no_inuse
    }) {
        return Ok(i);
    }
    let types: Vec<&str> = (0..p.num_types()).map(|i| p.sample_type_name(i)).collect();
    Err(TransformError(format!("sample_index {name:?} must be one of: [{}]", types.join(" "))))
}

/// Rewrites every distinct stack once with `f` (which fills `out` and returns
/// false to drop the samples on that stack) and remaps the samples.
pub fn map_stacks(p: &Profile, mut f: impl FnMut(&[LocId], &mut Vec<LocId>) -> bool) -> Profile {
    let mut table = StackTable::default();
    let mut map: Vec<Option<StackId>> = Vec::with_capacity(p.stacks.len());
    let mut buf = Vec::new();
    for (_, frames) in p.stacks.iter() {
        buf.clear();
        map.push(if f(frames, &mut buf) { Some(table.intern(&buf)) } else { None });
    }
    let n = p.num_types();
    let mut s = Samples::default();
    let all_kept = map.iter().all(|m| m.is_some());
    if all_kept {
        s.stacks = p.samples.stacks.iter().map(|id| map[id.idx()].unwrap()).collect();
        s.labels = p.samples.labels.clone();
        s.values = p.samples.values.clone();
    } else {
        for i in 0..p.samples.len() {
            if let Some(id) = map[p.samples.stacks[i].idx()] {
                s.stacks.push(id);
                s.labels.push(p.samples.labels[i]);
                s.values.extend_from_slice(&p.samples.values[i * n..(i + 1) * n]);
            }
        }
    }
    let mut out = p.clone();
    // Goroutine records keep pointing at their (rewritten) stacks.
    if let Some(t) = &mut out.goroutines {
        for g in &mut t.goroutines {
            if let Some(Some(id)) = map.get(g.stack.idx()) {
                g.stack = *id;
            } else {
                g.stack = table.intern(&[]);
            }
        }
    }
    out.stacks = Arc::new(table);
    out.samples = Arc::new(s);
    out
}

/// After a rewrite of the label table (`map`: old id -> new id), points the
/// per-goroutine records at their new label sets.
pub(crate) fn remap_goroutine_labels(out: &mut crate::model::Profile, map: &[Option<crate::model::LabelSetId>]) {
    if let Some(t) = &mut out.goroutines {
        for g in &mut t.goroutines {
            g.labels = map.get(g.labels.idx()).copied().flatten().unwrap_or_default();
        }
    }
}
