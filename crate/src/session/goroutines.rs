//! Goroutines and leak findings: the Goroutines view of a merge, the
//! goroutine diff of two dumps (by goroutine id for two debug=2 dumps), and
//! the findings over the loaded goroutine and heap profiles.

use super::reports::pct;
use super::{err, Result, Session};
use crate::model::kind::{classify, ProfileKind};
use crate::model::Profile;
use crate::util::units;
use crate::view::goroutines::{self, Similarity};
use crate::view::{compare, export, findings, goroutine_diff};

/// The Goroutines view (view/goroutines.rs) with the page's texts.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct GoroutinesView {
    #[serde(flatten)]
    pub view: goroutines::GoroutinesView,
    /// Each group's share, as pprof prints percentages.
    pub share_text: Vec<String>,
    pub creator_share_text: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub background_share_text: Option<String>,
    /// Groups before the `max_groups` cut.
    pub row_count: u32,
    /// Creation sites before the same cut.
    pub creator_count: u32,
    pub similarity_text: &'static str,
    /// The background fold's rules, as sentences.
    pub rules_text: Vec<String>,
}

/// The goroutine diff (view/goroutine_diff.rs) with where its interval came from.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct GoroutineDiffView {
    #[serde(flatten)]
    pub diff: goroutine_diff::GoroutineDiff,
    /// Rows before the `max_rows` cut.
    pub row_count: u32,
    /// "entered", "the profiles' times", "the files' dates", or "" (estimated from the waits).
    pub interval_from: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time_note: Option<String>,
}

/// Leak findings, and which loaded profile each stack is found in.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct FindingsView {
    pub findings: Vec<findings::Finding>,
    /// `stack_profiles[i][j]`: the loaded profile stack j of finding i is found in.
    pub stack_profiles: Vec<Vec<Option<u32>>>,
    /// The findings as Markdown for a ticket.
    pub markdown: String,
    pub goroutine_profiles: usize,
    pub heap_profiles: usize,
    /// Limits that are not numbers.
    pub errors: Vec<String>,
    pub rules: usize,
}

fn similarity(s: &str) -> Result<Similarity> {
    Similarity::parse(s).ok_or_else(|| err(format!("unknown similarity {s:?}")))
}

/// A limit the user typed ("" is none); a bad one is reported in `errors`.
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

impl Session {
    /// The Goroutines view of the merge of `ids`: groups (at most
    /// `max_groups`), the background fold with its rules, the roll-up by
    /// creation site.
    pub fn goroutines(
        &self,
        ids: &[u32],
        similarity_name: &str,
        fold_background: bool,
        max_groups: u32,
    ) -> Result<GoroutinesView> {
        let sim = similarity(similarity_name)?;
        let p = self.merged(ids, false)?;
        let mut v = goroutines::build(&p, &goroutines::Options { similarity: sim, fold_background }).map_err(err)?;
        let shown = v.groups.len();
        let creators = v.by_creator.len();
        v.groups.truncate(max_groups as usize);
        v.by_creator.truncate(max_groups as usize);
        Ok(GoroutinesView {
            share_text: v.groups.iter().map(|g| pct(g.count, v.total)).collect(),
            creator_share_text: v.by_creator.iter().map(|r| pct(r.count, v.total)).collect(),
            background_share_text: v.background.as_ref().map(|b| pct(b.count, v.total)),
            row_count: shown as u32,
            creator_count: creators as u32,
            similarity_text: sim.describe(),
            rules_text: v.background_rules.iter().map(goroutines::rule_text).collect(),
            view: v,
        })
    }

    /// The goroutine diff of two goroutine profiles: by goroutine id for two
    /// debug=2 dumps, by counts otherwise. `interval_minutes` not a positive
    /// number: the profiles' times (or the files' dates) when known, else
    /// estimated from the waits. At most `max_rows` rows.
    pub fn goroutine_compare(
        &self,
        base: u32,
        target: u32,
        similarity_name: &str,
        interval_minutes: f64,
        max_rows: u32,
    ) -> Result<GoroutineDiffView> {
        let sim = similarity(similarity_name)?;
        let t = self.timed(&[base, target])?;
        let (b, g) = (&*t.profiles[0], &*t.profiles[1]);
        let (mut interval, mut from) = (None, "");
        if interval_minutes.is_finite() && interval_minutes > 0.0 {
            (interval, from) = (Some(interval_minutes), "entered");
        } else if let Some(m) = compare::minutes_between(b, g).filter(|m| *m > 0.0) {
            let dates = t.from_file.iter().any(|&f| f);
            (interval, from) = (Some(m), if dates { "the files' dates" } else { "the profiles' times" });
        }
        let o = goroutine_diff::Options { similarity: sim, interval_minutes: interval };
        let mut d = goroutine_diff::diff(b, g, &o).map_err(err)?;
        let rows = d.rows.len();
        d.rows.truncate(max_rows as usize);
        Ok(GoroutineDiffView { diff: d, row_count: rows as u32, interval_from: from, time_note: t.note.clone() })
    }

    /// Leak findings over every loaded goroutine and heap profile (see
    /// view/findings.rs), with the limits the user entered.
    pub fn findings(&self, goroutine_limit: &str, heap_limit: &str) -> Result<FindingsView> {
        self.findings_of(&self.ids(), goroutine_limit, heap_limit)
    }

    /// The findings over the goroutine and heap profiles among `ids` only
    /// (an embedded view's own files, when several share one engine).
    pub fn findings_of(&self, ids: &[u32], goroutine_limit: &str, heap_limit: &str) -> Result<FindingsView> {
        let (mut gids, mut hids) = (Vec::new(), Vec::new());
        for &id in ids {
            match classify(self.profile(id)?) {
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
        inputs.goroutine_limit = limit(goroutine_limit, &mut errors, "goroutine limit");
        inputs.heap_limit = limit(heap_limit, &mut errors, "memory limit");
        let id_of =
            |p: Option<&&Profile>| p.and_then(|p| refs.iter().position(|q| std::ptr::eq(*q, *p)).map(|i| all[i]));
        let (last_g, last_h) = (id_of(inputs.goroutines.last()), id_of(inputs.heaps.last()));
        let list = findings::run(&inputs);
        Ok(FindingsView {
            stack_profiles: list
                .iter()
                .map(|f| f.stacks.iter().map(|s| if s.source == "heap" { last_h } else { last_g }).collect())
                .collect(),
            markdown: export::findings_markdown(&list),
            goroutine_profiles: inputs.goroutines.len(),
            heap_profiles: inputs.heaps.len(),
            errors,
            rules: findings::RULES.len(),
            findings: list,
        })
    }
}
