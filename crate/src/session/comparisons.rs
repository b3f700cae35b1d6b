//! Two profiles compared — the diff top table, the differential flame graph,
//! new and gone stacks — growth over N snapshots, and which loaded profiles
//! can be compared at all.
//!
//! Text dumps carry no time: the page records each file's modification date
//! (`set_file_time`), used as the profile's time by comparisons only, and
//! only when the dates of the files compared are at least a second apart
//! (files copied together share a date, which says nothing about when they
//! were captured).

use super::reports::{flame_view, inline_code, pct, FlameView, Header};
use super::{compile, err, matches, F64s, Result, Session, StrCol, U32s, U8s};
use crate::model::kind::{classify, ProfileKind};
use crate::model::Profile;
use crate::report::{Options, Report};
use crate::util::sort::SortRows;
use crate::util::{timefmt, units};
use crate::view::calltree::build_call_tree;
use crate::view::compare::{self, CompareMode, DiffTop, Presence};
use crate::view::details;
use crate::view::flame::{self, DiffTree, FlameLayout};
use std::borrow::Cow;

/// The last comparison: its diff report (unit fixed) and what was computed from it.
pub(super) struct Prepared {
    key: String,
    pub(super) base: u32,
    pub(super) target: u32,
    pub(super) mode: CompareMode,
    pub(super) options: Options,
    pub(super) rpt: Report,
    /// diff_top by `cum` (false: pprof's flat order).
    pub(super) top: [Option<DiffTop>; 2],
    tree: Option<DiffTree>,
    flame: Option<((u32, u64), FlameLayout)>,
}

/// File dates closer than this say nothing about when profiles were captured.
const FILE_TIME_MIN_GAP_NANOS: i64 = 1_000_000_000;

/// Profiles with their times: their own, or their files' dates.
pub(super) struct Timed<'a> {
    pub(super) profiles: Vec<Cow<'a, Profile>>,
    pub(super) from_file: Vec<bool>,
    /// Why the files' dates were not used, if they were not.
    pub(super) note: Option<String>,
}

impl Timed<'_> {
    fn any_from_file(&self) -> bool {
        self.from_file.iter().any(|&f| f)
    }
}

/// The diff top table as columns: pprof's (flat, flat%, sum%, cum, cum%,
/// name, all of the diff) and each side's flat and cum, the change relative
/// to the base (delta / |base|, ±infinity when new), and rates per minute
/// when the two times are known.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct DiffTopView {
    #[serde(flatten)]
    pub header: Header,
    pub labels: Vec<String>,
    pub kind: &'static str,
    pub mode: &'static str,
    pub default_mode: &'static str,
    pub default_reason: &'static str,
    pub mode_reason: &'static str,
    pub warnings: Vec<String>,
    pub base_total: f64,
    pub base_total_text: String,
    pub target_total: f64,
    pub target_total_text: String,
    pub delta_total: f64,
    pub delta_total_text: String,
    pub total_change: String,
    /// Per side: its time is its file's date.
    pub from_file: U8s,
    pub time_text: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time_note: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub minutes: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub minutes_text: Option<String>,
    pub rows: u32,
    pub name: StrCol,
    pub inline: U8s,
    /// 0 both sides, 1 new, 2 gone.
    pub presence: U8s,
    pub flat: F64s,
    pub cum: F64s,
    pub base_flat: F64s,
    pub base_cum: F64s,
    pub target_flat: F64s,
    pub target_cum: F64s,
    pub flat_change: F64s,
    pub cum_change: F64s,
    pub flat_text: StrCol,
    pub flat_pct: StrCol,
    pub sum_pct: StrCol,
    pub cum_text: StrCol,
    pub cum_pct: StrCol,
    pub base_flat_text: StrCol,
    pub base_cum_text: StrCol,
    pub target_flat_text: StrCol,
    pub target_cum_text: StrCol,
    pub flat_change_text: StrCol,
    pub cum_change_text: StrCol,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub flat_rate_text: Option<StrCol>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cum_rate_text: Option<StrCol>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total_rate_text: Option<String>,
}

/// The differential flame graph: a flame layout plus per box `base`,
/// `target` and `change` (relative, −1 to +1); `value`/`self` are target − base.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct DiffFlameView {
    #[serde(flatten)]
    pub flame: FlameView,
    pub base: F64s,
    pub target: F64s,
    pub change: F64s,
}

/// Loaded profiles of one kind that can be compared, oldest first.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct CompareGroup {
    pub kind: &'static str,
    pub ids: U32s,
    pub time_text: Vec<String>,
    pub from_file: U8s,
    /// "time", "the files' dates" or "load order".
    pub ordered_by: &'static str,
    /// Each member's main binary (build id, else file; "" when unknown): the
    /// page pairs by default only profiles of one binary.
    pub binaries: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// The mode a comparison defaults to, and why.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct DefaultMode {
    pub mode: &'static str,
    pub reason: &'static str,
    pub kind: &'static str,
}

/// A box's numbers as the hover shows them, in the comparison's unit.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct CompareDescription {
    pub base: String,
    pub target: String,
    pub delta: String,
    pub change: String,
}

/// A stack on one side only: function names root first.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct StackChangeRow {
    pub frames: Vec<String>,
    pub value: f64,
    pub text: String,
}

#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct StackChangesView {
    pub new: Vec<StackChangeRow>,
    pub gone: Vec<StackChangeRow>,
}

/// Growth of every function over snapshots ordered by time; `values` and
/// `value_text` hold `snapshots` entries per row.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct GrowthView {
    pub sample_type: String,
    pub unit: String,
    pub ids: U32s,
    pub time_text: Vec<String>,
    pub from_file: U8s,
    pub minutes: F64s,
    pub minutes_text: Vec<String>,
    pub totals: F64s,
    pub totals_text: Vec<String>,
    pub total_slope: f64,
    pub total_slope_text: String,
    /// Rows before the `max_rows` cut.
    pub row_count: u32,
    pub rows: u32,
    pub snapshots: u32,
    pub name: StrCol,
    pub values: F64s,
    pub value_text: StrCol,
    pub slope: F64s,
    pub slope_text: StrCol,
    pub monotonic: U8s,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit_error: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit_text: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub minutes_to_limit: Option<f64>,
    /// When the total reaches the limit, as a sentence.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub projection: Option<String>,
}

/// `diff_base`, `base`, `normalize`, or "" for the kind's default.
pub(super) fn parse_mode(mode: &str) -> Result<Option<CompareMode>> {
    Ok(match mode {
        "" => None,
        "diff_base" => Some(CompareMode::DiffBase),
        "base" => Some(CompareMode::Base),
        "normalize" => Some(CompareMode::Normalize),
        m => return Err(err(format!("unknown comparison mode {m:?} (diff_base, base or normalize)"))),
    })
}

/// A span of minutes as the page shows it (seconds, minutes or hours).
pub fn minutes_text(m: f64) -> String {
    if m.abs() < 1.0 {
        format!("{:.0} s", m * 60.0)
    } else if m.abs() < 120.0 {
        format!("{:.1} min", m)
    } else {
        format!("{:.1} h", m / 60.0)
    }
}

/// delta / |base|; ±infinity for something from nothing, 0 for nothing.
fn ratio(base: i64, delta: i64) -> f64 {
    if base == 0 {
        if delta == 0 {
            0.0
        } else {
            f64::INFINITY * delta.signum() as f64
        }
    } else {
        delta as f64 / base.abs() as f64
    }
}

fn presence_code(p: Presence) -> u8 {
    match p {
        Presence::Both => 0,
        Presence::New => 1,
        Presence::Gone => 2,
    }
}

impl Session {
    /// `ids` with their times; files' dates stand in for missing times when
    /// every two of them are at least a second apart.
    pub(super) fn timed(&self, ids: &[u32]) -> Result<Timed<'_>> {
        let ps: Vec<&Profile> = ids.iter().map(|&id| self.profile(id)).collect::<Result<_>>()?;
        let mut dates: Vec<i64> = ids
            .iter()
            .zip(&ps)
            .filter(|(_, p)| p.time_nanos == 0)
            .filter_map(|(id, _)| self.file_times.get(id).copied())
            .collect();
        dates.sort_unstable();
        let close = dates.windows(2).any(|w| w[1] - w[0] < FILE_TIME_MIN_GAP_NANOS);
        let mut out = Timed { profiles: Vec::new(), from_file: Vec::new(), note: None };
        if close {
            out.note = Some("the files' dates are less than a second apart (copied together?): they do not tell when the profiles were captured".into());
        }
        for (id, p) in ids.iter().zip(ps) {
            match self.file_times.get(id) {
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

    /// The comparison of `base` and `target` for `o` (its top table sorted
    /// by flat made), computed once per distinct query.
    pub(super) fn compare_prepare(&mut self, base: u32, target: u32, mode: &str, o: &Options) -> Result<&mut Prepared> {
        let o = Options { cum: false, ..o.clone() };
        let key = format!("{base} {target} {mode} {o:?}");
        if self.comparison.as_ref().is_some_and(|c| c.key == key) {
            return Ok(self.comparison.as_mut().unwrap());
        }
        self.comparison = None;
        let chosen = parse_mode(mode)?;
        let prepared = {
            let t = self.timed(&[base, target])?;
            let (b, g) = (&*t.profiles[0], &*t.profiles[1]);
            compare::check_comparable(b, g).map_err(err)?;
            let mode = match chosen {
                Some(m) => m,
                None => {
                    let i = crate::transform::sample_index(g, &o.sample_index).map_err(err)?;
                    compare::default_mode(classify(g), g.sample_type_name(i))
                }
            };
            let (d, mut rpt) = compare::diff_top_report(b, g, mode, &o).map_err(err)?;
            rpt.utc = true;
            Prepared { key, base, target, mode, options: o, rpt, top: [Some(d), None], tree: None, flame: None }
        };
        Ok(self.comparison.insert(prepared))
    }

    /// The prepared comparison with its diff top table sorted as `cum` says.
    pub(super) fn compare_sorted(
        &mut self,
        base: u32,
        target: u32,
        mode: &str,
        o: &Options,
    ) -> Result<(&Prepared, Timed<'_>)> {
        let i = o.cum as usize;
        let c = self.compare_prepare(base, target, mode, o)?;
        if c.top[i].is_none() {
            let (m, o) = (c.mode, Options { cum: o.cum, ..c.options.clone() });
            // A new report for the other order; the unit stays the first one's (same nodes).
            let t = self.timed(&[base, target])?;
            let (d, _) = compare::diff_top_report(&t.profiles[0], &t.profiles[1], m, &o).map_err(err)?;
            drop(t);
            self.comparison.as_mut().unwrap().top[i] = Some(d);
        }
        Ok((self.comparison.as_ref().unwrap(), self.timed(&[base, target])?))
    }

    /// The differential call tree of the prepared comparison, made once.
    fn compare_tree(&mut self) -> Result<&mut Prepared> {
        let c = self.comparison.as_ref().ok_or_else(|| err("no comparison"))?;
        if c.tree.is_none() {
            let t = self.timed(&[c.base, c.target])?;
            let (rb, rt) = compare::side_reports(&t.profiles[0], &t.profiles[1], c.mode, &c.options).map_err(err)?;
            let tree = flame::diff_tree(&build_call_tree(&rb, false), &build_call_tree(&rt, false));
            drop(t);
            self.comparison.as_mut().unwrap().tree = Some(tree);
        }
        Ok(self.comparison.as_mut().unwrap())
    }

    /// The loaded profiles among `ids` that can be compared, by kind (heap
    /// and allocs together), each list oldest first (in load order when a
    /// time is missing), for kinds with two or more profiles.
    pub fn compare_groups(&self, ids: &[u32]) -> Result<Vec<CompareGroup>> {
        let mut groups: Vec<(ProfileKind, Vec<u32>)> = Vec::new();
        for &id in ids {
            let k = classify(self.profile(id)?);
            match groups.iter_mut().find(|(g, _)| g.comparable_with(k)) {
                Some((_, v)) => v.push(id),
                None => groups.push((k, vec![id])),
            }
        }
        let mut out = Vec::new();
        for (kind, mut members) in groups.into_iter().filter(|(_, v)| v.len() >= 2) {
            members.sort_unstable();
            let t = self.timed(&members)?;
            let all_timed = t.profiles.iter().all(|p| p.time_nanos != 0);
            let mut order: Vec<usize> = (0..members.len()).collect();
            if all_timed {
                order.sort_rows_by_key(|&i| (t.profiles[i].time_nanos, members[i]));
            }
            out.push(CompareGroup {
                kind: kind.as_str(),
                ids: U32s(order.iter().map(|&i| members[i]).collect()),
                time_text: order.iter().map(|&i| details::time_text(&t.profiles[i])).collect(),
                from_file: U8s(order.iter().map(|&i| t.from_file[i] as u8).collect()),
                binaries: order.iter().map(|&i| compare::main_binary(&t.profiles[i])).collect(),
                ordered_by: match (all_timed, t.any_from_file()) {
                    (false, _) => "load order",
                    (true, true) => "the files' dates",
                    (true, false) => "time",
                },
                note: t.note.clone(),
            });
        }
        Ok(out)
    }

    /// The comparison mode a kind defaults to for the sample type `o` picks in `target`.
    pub fn compare_default_mode(&self, target: u32, o: &Options) -> Result<DefaultMode> {
        let p = self.profile(target)?;
        let i = crate::transform::sample_index(p, &o.sample_index).map_err(err)?;
        let kind = classify(p);
        let m = compare::default_mode(kind, p.sample_type_name(i));
        Ok(DefaultMode { mode: m.as_str(), reason: m.reason(), kind: kind.as_str() })
    }

    /// The diff top table of `target` against `base`, sorted by flat, or by
    /// cum when `o.cum`. `mode` is `diff_base`, `base`, `normalize`, or ""
    /// for the kind's default.
    pub fn compare_top(&mut self, base: u32, target: u32, mode: &str, o: &Options) -> Result<DiffTopView> {
        let (c, t) = self.compare_sorted(base, target, mode, o)?;
        let d = c.top[o.cum as usize].as_ref().unwrap();
        Ok(diff_top_view(c, d, classify(&t.profiles[1]), &t))
    }

    /// Which rows of the diff top table (sorted as `o.cum` says) have a name
    /// matching `pattern` (pprof's regular expression syntax).
    pub fn compare_top_match(&mut self, base: u32, target: u32, mode: &str, o: &Options, pattern: &str) -> Result<U8s> {
        let re = compile(pattern)?;
        let (c, _) = self.compare_sorted(base, target, mode, o)?;
        let d = c.top[o.cum as usize].as_ref().unwrap();
        Ok(matches(&re, d.rows.iter().map(|r| r.name.as_str()), true))
    }

    /// The differential flame graph: the layout of the merged call trees
    /// (view/flame.rs `diff_tree`) as in `flame`, with both sides per box.
    pub fn compare_flame(
        &mut self,
        base: u32,
        target: u32,
        mode: &str,
        o: &Options,
        zoom: u32,
        min_fraction: f64,
    ) -> Result<DiffFlameView> {
        self.compare_prepare(base, target, mode, o)?;
        let c = self.compare_tree()?;
        let d = c.tree.as_ref().unwrap();
        let t = &d.tree;
        if zoom as usize >= t.len() {
            return Err(err(format!("no call tree node {zoom}")));
        }
        let key = (zoom, min_fraction.to_bits());
        if c.flame.as_ref().is_none_or(|(k, _)| *k != key) {
            c.flame = Some((key, flame::layout_from(t, zoom, t.weight[zoom as usize] as f64 * min_fraction)));
        }
        let l = &c.flame.as_ref().unwrap().1;
        let b = flame::diff_boxes(d, l);
        Ok(DiffFlameView {
            flame: flame_view(Header::of(&c.rpt), t, l, zoom),
            base: F64s(b.base),
            target: F64s(b.target),
            change: F64s(b.change),
        })
    }

    /// The differential flame graph's search: which frames of the last one match `pattern`.
    pub fn compare_flame_search(&self, pattern: &str) -> Result<U8s> {
        let re = compile(pattern)?;
        let d =
            self.comparison.as_ref().and_then(|c| c.tree.as_ref()).ok_or_else(|| err("no differential flame graph"))?;
        Ok(matches(&re, d.tree.frames.iter().map(|f| f.name.as_str()), false))
    }

    /// A box's numbers as the hover shows them, in the last comparison's unit.
    pub fn compare_describe(&self, base: f64, target: f64) -> Result<CompareDescription> {
        let c = self.comparison.as_ref().ok_or_else(|| err("no comparison"))?;
        let (b, t) = (base as i64, target as i64);
        Ok(CompareDescription {
            base: c.rpt.format_value(b),
            target: c.rpt.format_value(t),
            delta: c.rpt.format_value(t - b),
            change: compare::change_text(b, t - b),
        })
    }

    /// Stacks present on one side only (function names, root first), at
    /// most `limit` each.
    pub fn compare_stacks(
        &mut self,
        base: u32,
        target: u32,
        mode: &str,
        o: &Options,
        limit: u32,
    ) -> Result<StackChangesView> {
        self.compare_prepare(base, target, mode, o)?;
        let t = self.timed(&[base, target])?;
        let s = compare::stack_changes(&t.profiles[0], &t.profiles[1], &o.sample_index, limit as usize).map_err(err)?;
        let rpt = &self.comparison.as_ref().unwrap().rpt;
        let rows = |v: &[compare::StackChange]| -> Vec<StackChangeRow> {
            v.iter()
                .map(|c| StackChangeRow {
                    frames: c.frames.clone(),
                    value: c.value as f64,
                    text: rpt.format_value(c.value),
                })
                .collect()
        };
        Ok(StackChangesView { new: rows(&s.new), gone: rows(&s.gone) })
    }

    /// Growth of every function over the snapshots `ids` (ordered here by
    /// time, oldest first): values per snapshot, least-squares slope per
    /// minute, monotonic; at most `max_rows` rows, steepest growth first;
    /// with `limit` (e.g. `1GiB`, `30000`) the projected time the total reaches it.
    pub fn growth(&self, ids: &[u32], o: &Options, limit: &str, max_rows: u32) -> Result<GrowthView> {
        let t = self.timed(ids)?;
        if let Some(i) = t.profiles.iter().position(|p| p.time_nanos == 0) {
            let why = t.note.clone().unwrap_or_else(|| "it has no time and its file's date is unknown".into());
            return Err(err(format!("growth needs the time of every snapshot: profile {} has none ({why})", ids[i])));
        }
        let mut order: Vec<usize> = (0..ids.len()).collect();
        order.sort_rows_by_key(|&i| (t.profiles[i].time_nanos, ids[i]));
        let refs: Vec<&Profile> = order.iter().map(|&i| &*t.profiles[i]).collect();
        if refs.windows(2).any(|w| w[0].time_nanos == w[1].time_nanos) {
            return Err(err("growth needs snapshots taken at different times: two have the same time"));
        }
        let g = compare::growth(&refs, o).map_err(err)?;
        let mut v = growth_view(&g, max_rows as usize, refs.len());
        v.ids = U32s(order.iter().map(|&i| ids[i]).collect());
        v.time_text = refs.iter().map(|p| details::time_text(p)).collect();
        v.from_file = U8s(order.iter().map(|&i| t.from_file[i] as u8).collect());
        if !limit.trim().is_empty() {
            project(&mut v, &g, limit, refs[refs.len() - 1].time_nanos);
        }
        Ok(v)
    }
}

/// The diff top table's columns (see `DiffTopView`).
fn diff_top_view(c: &Prepared, d: &DiffTop, kind: ProfileKind, time: &Timed) -> DiffTopView {
    let rpt = &c.rpt;
    let rows = &d.rows;
    let n = rows.len();
    let default = compare::default_mode(kind, &rpt.sample_type);
    let fmt = |v: i64| rpt.format_value(v);
    let mut sum = 0i64;
    let sum_pct = StrCol::map(rows, |r| {
        sum = sum.wrapping_add(r.flat);
        pct(sum, rpt.total)
    });
    // Rates: per minute between the two times, for modes that subtract like for like.
    let rates = d.minutes.filter(|m| *m > 0.0 && c.mode != CompareMode::Normalize);
    let unit = rpt.sample_unit.as_str();
    let rate_col = |f: fn(&compare::DiffRow) -> i64| {
        rates.map(|m| StrCol::map(rows, |r| compare::rate_text(unit, f(r) as f64 / m, fmt)))
    };
    let delta = d.target_total - d.base_total;
    DiffTopView {
        header: Header::of(rpt),
        labels: d.labels.clone(),
        kind: kind.as_str(),
        mode: c.mode.as_str(),
        default_mode: default.as_str(),
        default_reason: default.reason(),
        mode_reason: c.mode.reason(),
        warnings: d.warnings.clone(),
        base_total: d.base_total as f64,
        base_total_text: fmt(d.base_total),
        target_total: d.target_total as f64,
        target_total_text: fmt(d.target_total),
        delta_total: delta as f64,
        delta_total_text: fmt(delta),
        total_change: compare::change_text(d.base_total, delta),
        from_file: U8s(time.from_file.iter().map(|&b| b as u8).collect()),
        time_text: time.profiles.iter().map(|p| details::time_text(p)).collect(),
        time_note: time.note.clone(),
        minutes: d.minutes,
        minutes_text: d.minutes.map(minutes_text),
        rows: n as u32,
        name: StrCol::of(n, rows.iter().map(|r| r.name.as_str())),
        inline: U8s(rows.iter().map(|r| inline_code(r.inline_label)).collect()),
        presence: U8s(rows.iter().map(|r| presence_code(r.presence)).collect()),
        flat: F64s::of_i64(rows.iter().map(|r| r.flat)),
        cum: F64s::of_i64(rows.iter().map(|r| r.cum)),
        base_flat: F64s::of_i64(rows.iter().map(|r| r.base_flat)),
        base_cum: F64s::of_i64(rows.iter().map(|r| r.base_cum)),
        target_flat: F64s::of_i64(rows.iter().map(|r| r.target_flat)),
        target_cum: F64s::of_i64(rows.iter().map(|r| r.target_cum)),
        flat_change: F64s(rows.iter().map(|r| ratio(r.base_flat, r.flat)).collect()),
        cum_change: F64s(rows.iter().map(|r| ratio(r.base_cum, r.cum)).collect()),
        flat_text: StrCol::map(rows, |r| fmt(r.flat)),
        flat_pct: StrCol::map(rows, |r| pct(r.flat, rpt.total)),
        sum_pct,
        cum_text: StrCol::map(rows, |r| fmt(r.cum)),
        cum_pct: StrCol::map(rows, |r| pct(r.cum, rpt.total)),
        base_flat_text: StrCol::map(rows, |r| fmt(r.base_flat)),
        base_cum_text: StrCol::map(rows, |r| fmt(r.base_cum)),
        target_flat_text: StrCol::map(rows, |r| fmt(r.target_flat)),
        target_cum_text: StrCol::map(rows, |r| fmt(r.target_cum)),
        flat_change_text: StrCol::map(rows, |r| compare::change_text(r.base_flat, r.flat)),
        cum_change_text: StrCol::map(rows, |r| compare::change_text(r.base_cum, r.cum)),
        flat_rate_text: rate_col(|r| r.flat),
        cum_rate_text: rate_col(|r| r.cum),
        total_rate_text: rates.map(|m| compare::rate_text(unit, delta as f64 / m, fmt)),
    }
}

/// Growth's columns, at most `max_rows` rows of `k` snapshots (the ids,
/// times and file flags are the caller's).
fn growth_view(g: &compare::Growth, max_rows: usize, k: usize) -> GrowthView {
    let rows = &g.rows[..g.rows.len().min(max_rows)];
    let n = rows.len();
    let fmt = |v: i64| units::label(v, &g.unit);
    let mut value_text = StrCol::with_capacity(n * k);
    for v in rows.iter().flat_map(|r| &r.values) {
        value_text.push(&fmt(*v));
    }
    GrowthView {
        sample_type: g.sample_type.clone(),
        unit: g.unit.clone(),
        ids: U32s::default(),
        time_text: Vec::new(),
        from_file: U8s::default(),
        minutes: F64s(g.minutes.clone()),
        minutes_text: g.minutes.iter().map(|&m| minutes_text(m)).collect(),
        totals: F64s::of_i64(g.totals.iter().copied()),
        totals_text: g.totals.iter().map(|&v| fmt(v)).collect(),
        total_slope: g.total_slope_per_minute,
        total_slope_text: compare::rate_text(&g.unit, g.total_slope_per_minute, fmt),
        row_count: g.rows.len() as u32,
        rows: n as u32,
        snapshots: k as u32,
        name: StrCol::of(n, rows.iter().map(|r| r.name.as_str())),
        values: F64s::of_i64(rows.iter().flat_map(|r| r.values.iter().copied())),
        value_text,
        slope: F64s(rows.iter().map(|r| r.slope_per_minute).collect()),
        slope_text: StrCol::map(rows, |r| compare::rate_text(&g.unit, r.slope_per_minute, fmt)),
        monotonic: U8s(rows.iter().map(|r| r.monotonic as u8).collect()),
        limit_error: None,
        limit: None,
        limit_text: None,
        minutes_to_limit: None,
        projection: None,
    }
}

/// When the total reaches `limit` at its growth rate, as a sentence after
/// the last snapshot (taken at `last_nanos`).
fn project(v: &mut GrowthView, g: &compare::Growth, limit: &str, last_nanos: i64) {
    let Some(l) = units::parse_limit(limit) else {
        v.limit_error = Some(format!("{limit:?} is not a limit (e.g. 1GiB, 512MB, 30000)"));
        return;
    };
    let fmt = |v: i64| units::label(v, &g.unit);
    v.limit = Some(l);
    v.limit_text = Some(fmt(l as i64));
    v.projection = Some(match compare::minutes_to_limit(g, l) {
        Some(0.0) => "the last snapshot is already at or above the limit".to_string(),
        Some(m) => {
            v.minutes_to_limit = Some(m);
            format!(
                "at {} the total reaches {} in about {} after the last snapshot (around {})",
                compare::rate_text(&g.unit, g.total_slope_per_minute, fmt),
                fmt(l as i64),
                minutes_text(m),
                timefmt::format_profile_time_utc(last_nanos + (m * 60e9) as i64)
            )
        }
        None => "the total is not growing: no projection".to_string(),
    });
}
