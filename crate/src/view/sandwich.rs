//! The sandwich view (speedscope, Pyroscope, Parca): one function with its
//! callers above it, inverted, and its callees below it, both as flame
//! graphs, and its own flat and cum. The two halves are flame graphs of the
//! report with one more step on the transform stack: `ffi:F` (the callers,
//! F the root) and `ff:F` (the callees, every path into F merged), so every
//! view's machinery (zoom, search, diffs) serves them unchanged.
//!
//! The picker takes a regular expression; the functions it matches are
//! listed by cum (pprof's top table at function granularity), the heaviest
//! shown unless one is named exactly.

use crate::report::top::Top;
use crate::transform::stack::Step;
use crate::util::sort::SortRows;
use regex::Regex;

/// A function the picker offers, with its numbers (top table values).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Candidate {
    pub name: String,
    pub flat: i64,
    pub cum: i64,
}

/// What the picker found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sandwich {
    /// The matching functions, heaviest cum first (at most `limit`).
    pub candidates: Vec<Candidate>,
    /// How many matched in all.
    pub matched: usize,
    /// The shown function (index into `candidates`), if any matched.
    pub chosen: Option<usize>,
}

/// The functions of `top` whose name matches `re`, by cum (then flat, then
/// name, for a stable order); the one whose name equals `exact` is chosen,
/// else the first.
pub fn pick(top: &Top, re: &Regex, exact: &str, limit: usize) -> Sandwich {
    let mut found: Vec<Candidate> = top
        .rows
        .iter()
        .filter(|r| re.is_match(&r.name))
        .map(|r| Candidate { name: r.name.clone(), flat: r.flat, cum: r.cum })
        .collect();
    found.sort_rows_by(|a, b| {
        b.cum.abs().cmp(&a.cum.abs()).then(b.flat.abs().cmp(&a.flat.abs())).then(a.name.cmp(&b.name))
    });
    let matched = found.len();
    let exact_at = found.iter().position(|c| c.name == exact);
    if let Some(i) = exact_at.filter(|&i| i >= limit) {
        found.swap(limit - 1, i);
    }
    found.truncate(limit);
    let chosen = found.iter().position(|c| c.name == exact).or(if found.is_empty() { None } else { Some(0) });
    Sandwich { candidates: found, matched, chosen }
}

/// The transform steps that make the two halves, serialised: (callers, callees).
pub fn halves(function: &str) -> (String, String) {
    (
        Step::FocusFunctionInverted(function.to_string()).serialize(),
        Step::FocusFunction(function.to_string()).serialize(),
    )
}
