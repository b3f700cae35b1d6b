//! Comparing snapshots, the way a leak hunt needs: pprof's `diff_base` /
//! `base` / `normalize` numbers, with both sides beside the delta, new and
//! gone functions and stacks, rates per minute, and growth over N snapshots.
//!
//! A diff is not a separate algorithm: the base is negated and merged with
//! the target (transform::subtract_base) and the usual report runs on the
//! signed result. Base and target columns come from the same report options
//! run on each side alone.

use crate::model::kind::{classify, ProfileKind};
use crate::model::Profile;
use crate::report::graph::{Graph, NodeInfo};
use crate::report::top::{top_of_graph, Top};
use crate::report::{Options, Report, ReportKind};
use crate::transform::{self, aggregate, BaseMode, Granularity, TransformError};
use crate::util::hash::FxHashMap;
use crate::util::sort::SortRows;

/// How the base is subtracted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CompareMode {
    /// pprof's `-diff_base`: percentages relative to the base total.
    DiffBase,
    /// pprof's `-base`: plain subtraction, for counters that only grow.
    Base,
    /// pprof's `-normalize -diff_base`: the target scaled to the base total first.
    Normalize,
}

impl CompareMode {
    pub fn as_str(self) -> &'static str {
        match self {
            CompareMode::DiffBase => "diff_base",
            CompareMode::Base => "base",
            CompareMode::Normalize => "normalize",
        }
    }

    /// Why this mode is the default for a kind, for the header.
    pub fn reason(self) -> &'static str {
        match self {
            CompareMode::DiffBase => "a snapshot: the difference between two instants (diff_base)",
            CompareMode::Base => "counted since the process started: the later profile minus the earlier (base)",
            CompareMode::Normalize => {
                "each profile covers its own window: the target scaled to the base total, then subtracted (normalize)"
            }
        }
    }
}

/// The default comparison for a kind and the chosen sample type: snapshots
/// (goroutines, heap in use) take the difference, cumulative counters
/// (allocations, block, mutex) subtract, CPU windows are normalized.
pub fn default_mode(kind: ProfileKind, sample_type: &str) -> CompareMode {
    match kind {
        ProfileKind::Cpu => CompareMode::Normalize,
        ProfileKind::Allocs | ProfileKind::Block | ProfileKind::Mutex => CompareMode::Base,
        ProfileKind::Heap if sample_type.starts_with("alloc_") => CompareMode::Base,
        _ => CompareMode::DiffBase,
    }
}

/// Problems that do not prevent a comparison but change its meaning.
pub fn mismatch_warnings(base: &Profile, target: &Profile) -> Vec<String> {
    let mut w = Vec::new();
    let types = |p: &Profile| {
        (0..p.num_types()).map(|i| format!("{}/{}", p.sample_type_name(i), p.sample_type_unit(i))).collect::<Vec<_>>()
    };
    let (bt, tt) = (types(base), types(target));
    if bt != tt {
        w.push(format!(
            "sample types differ: base has [{}], target has [{}]; only the common ones are compared",
            bt.join(" "),
            tt.join(" ")
        ));
    }
    if base.period != target.period || base.str(base.period_type.unit) != target.str(target.period_type.unit) {
        w.push(format!(
            "sampling periods differ: base {} {}, target {} {}",
            base.period,
            base.str(base.period_type.unit),
            target.period,
            target.str(target.period_type.unit)
        ));
    }
    if let (Some((bf, bb)), Some((tf, tb))) = (main_mapping(base), main_mapping(target)) {
        if (!bb.is_empty() && !tb.is_empty() && bb != tb) || (bf != tf) {
            w.push(format!("main binaries differ: base {bf} {bb}, target {tf} {tb}"));
        }
    }
    w
}

/// The main binary's file and build id (the first mapping), when the profile has mappings.
fn main_mapping(p: &Profile) -> Option<(String, String)> {
    p.mappings.first().map(|m| (p.str(m.file).to_string(), p.str(m.build_id).to_string()))
}

/// What names the main binary (its build id, else its file; "" when unknown),
/// so that profiles of different programs are never paired by default.
pub fn main_binary(p: &Profile) -> String {
    main_mapping(p).map(|(f, b)| if b.is_empty() { f } else { b }).unwrap_or_default()
}

/// Refuses comparisons of different quantities (a heap profile against a goroutine profile).
pub fn check_comparable(base: &Profile, target: &Profile) -> Result<(ProfileKind, ProfileKind), TransformError> {
    let (bk, tk) = (classify(base), classify(target));
    if !bk.comparable_with(tk) {
        return Err(TransformError(format!(
            "cannot compare a {} profile with a {} profile: they measure different things",
            bk.as_str(),
            tk.as_str()
        )));
    }
    Ok((bk, tk))
}

/// The diff profile pprof would report on.
pub fn diff_profile(base: &Profile, target: &Profile, mode: CompareMode) -> Result<Profile, TransformError> {
    let (bm, normalize) = match mode {
        CompareMode::DiffBase => (BaseMode::DiffBase, false),
        CompareMode::Base => (BaseMode::Base, false),
        CompareMode::Normalize => (BaseMode::DiffBase, true),
    };
    let p = transform::subtract_base(target.clone(), base.clone(), bm, normalize)?;
    transform::prune::remove_uninteresting(&p)
}

/// Whether a row exists on one side only.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Presence {
    Both,
    /// Absent from the base.
    New,
    /// Absent from the target.
    Gone,
}

#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct DiffRow {
    pub name: String,
    pub inline_label: &'static str,
    pub base_flat: i64,
    pub base_cum: i64,
    pub target_flat: i64,
    pub target_cum: i64,
    /// pprof's numbers for the diff (target − base).
    pub flat: i64,
    pub cum: i64,
    pub presence: Presence,
}

impl DiffRow {
    /// Change relative to the base (flat, or cum), in percent; None when the base is 0.
    pub fn delta_percent(&self, cum: bool) -> Option<f64> {
        let (base, delta) = if cum { (self.base_cum, self.cum) } else { (self.base_flat, self.flat) };
        if base == 0 {
            None
        } else {
            Some(delta as f64 * 100.0 / base as f64)
        }
    }
}

/// pprof's top table of the diff, each row with both sides.
#[derive(Clone, Debug, serde::Serialize)]
pub struct DiffTop {
    pub mode: CompareMode,
    /// pprof's header and summary lines for the diff.
    pub labels: Vec<String>,
    pub rows: Vec<DiffRow>,
    /// The total percentages refer to (pprof's rule for the mode).
    pub total: i64,
    pub base_total: i64,
    pub target_total: i64,
    /// Minutes between the two profiles' `time_nanos`, when both have one.
    pub minutes: Option<f64>,
    pub warnings: Vec<String>,
}

/// Flat and cum per node of one side.
type NodeWeights = FxHashMap<NodeInfo, (i64, i64)>;

/// Per-node flat and cum of one side, keyed like the diff report's nodes, and the side's total.
fn side_weights(p: &Profile, o: &Options) -> Result<(NodeWeights, i64), TransformError> {
    let r = Report::new(p, ReportKind::Top, o)?;
    let g = Graph::build_nodes(&r.prof, &r.graph_options(), None);
    let map = g.live_nodes().map(|n| (n.info.clone(), (n.flat_value(), n.cum_value()))).collect();
    let (total, _) = g.sum();
    Ok((map, total))
}

pub fn minutes_between(base: &Profile, target: &Profile) -> Option<f64> {
    if base.time_nanos == 0 || target.time_nanos == 0 {
        return None;
    }
    Some((target.time_nanos - base.time_nanos) as f64 / 60e9)
}

/// The diff top table: pprof's rows for the diff profile (same order, same
/// trimming), with the base and target values of each row.
pub fn diff_top(base: &Profile, target: &Profile, mode: CompareMode, o: &Options) -> Result<DiffTop, TransformError> {
    diff_top_report(base, target, mode, o).map(|(d, _)| d)
}

/// [`diff_top`] and the diff's report, whose output unit the table fixed
/// (what the page formats every number of the comparison with).
pub fn diff_top_report(
    base: &Profile,
    target: &Profile,
    mode: CompareMode,
    o: &Options,
) -> Result<(DiffTop, Report), TransformError> {
    check_comparable(base, target)?;
    let diff = diff_profile(base, target, mode)?;
    let mut r = Report::new(&diff, ReportKind::Top, o)?;
    let tg = r.trimmed_graph();
    let top: Top = top_of_graph(&mut r, &tg);
    // The rows' node identities, to find each side's weights.
    let infos: Vec<NodeInfo> = tg.graph.order.iter().map(|&i| tg.graph.nodes[i].info.clone()).collect();
    // Each side alone: the target normalized like the diff when asked.
    let target_side =
        if mode == CompareMode::Normalize { transform::merge::normalize(target, base)? } else { target.clone() };
    let side_opts = Options { sample_index: r.prof.sample_type_name(r.sample_index).to_string(), ..o.clone() };
    let (bw, base_total) = side_weights(base, &side_opts)?;
    let (tw, target_total) = side_weights(&target_side, &side_opts)?;
    let rows = top
        .rows
        .iter()
        .zip(&infos)
        .map(|(row, info)| {
            let (base_flat, base_cum) = bw.get(info).copied().unwrap_or((0, 0));
            let (target_flat, target_cum) = tw.get(info).copied().unwrap_or((0, 0));
            let presence = match (base_cum != 0 || base_flat != 0, target_cum != 0 || target_flat != 0) {
                (false, true) => Presence::New,
                (true, false) => Presence::Gone,
                _ => Presence::Both,
            };
            DiffRow {
                name: row.name.clone(),
                inline_label: row.inline_label,
                base_flat,
                base_cum,
                target_flat,
                target_cum,
                flat: row.flat,
                cum: row.cum,
                presence,
            }
        })
        .collect();
    let d = DiffTop {
        mode,
        labels: top.labels,
        rows,
        total: top.total,
        base_total,
        target_total,
        minutes: minutes_between(base, target),
        warnings: mismatch_warnings(base, target),
    };
    Ok((d, r))
}

/// The two sides of a comparison as reports with the same options: the
/// base, and the target (normalized to the base's totals when the mode
/// says so), on the sample type `sample_index` resolves to in the base.
pub fn side_reports(
    base: &Profile,
    target: &Profile,
    mode: CompareMode,
    o: &Options,
) -> Result<(Report, Report), TransformError> {
    check_comparable(base, target)?;
    let b = Report::new(base, ReportKind::Top, o)?;
    let side_opts = Options { sample_index: b.prof.sample_type_name(b.sample_index).to_string(), ..o.clone() };
    let target_side =
        if mode == CompareMode::Normalize { transform::merge::normalize(target, base)? } else { target.clone() };
    let t = Report::new(&target_side, ReportKind::Top, &side_opts)?;
    Ok((b, t))
}

/// A change relative to the base as shown beside a delta: `+12.5%`,
/// `-100%` (gone), `new` (nothing in the base), `` (no change from nothing).
pub fn change_text(base: i64, delta: i64) -> String {
    if base == 0 {
        return if delta == 0 { String::new() } else { "new".into() };
    }
    let pct = delta as f64 * 100.0 / base as f64;
    if pct == 0.0 {
        "0%".into()
    } else if pct.abs() >= 100.0 {
        format!("{pct:+.0}%")
    } else {
        format!("{pct:+.1}%")
    }
}

/// A rate as shown: `format` (the report's unit) for bytes, time and large
/// counts, one decimal for small counts; signed, `/min` appended.
pub fn rate_text(unit: &str, per_minute: f64, format: impl Fn(i64) -> String) -> String {
    let countlike = matches!(unit, "count" | "" | "samples");
    if countlike && per_minute.abs() < 100.0 {
        return format!("{per_minute:+.1}/min");
    }
    let sign = if per_minute > 0.0 { "+" } else { "" };
    format!("{sign}{}/min", format(per_minute.round() as i64))
}

/// A stack present on one side only, as function names root first.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct StackChange {
    pub frames: Vec<String>,
    pub value: i64,
}

#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct StackChanges {
    /// In the target, not in the base (heaviest first).
    pub new: Vec<StackChange>,
    /// In the base, not in the target (heaviest first).
    pub gone: Vec<StackChange>,
}

/// Stack values of one side at function granularity, keyed by frame names.
fn stack_values(p: &Profile, index: usize) -> FxHashMap<Vec<String>, i64> {
    let p = aggregate(p, Granularity::Functions, false);
    let mut by_stack: Vec<i64> = vec![0; p.stacks.len()];
    for i in 0..p.samples.len() {
        let s = p.samples.stacks[i].idx();
        by_stack[s] = by_stack[s].wrapping_add(p.sample_values(i)[index]);
    }
    let mut out: FxHashMap<Vec<String>, i64> = FxHashMap::default();
    for (sid, frames) in p.stacks.iter() {
        let v = by_stack[sid.idx()];
        if v == 0 {
            continue;
        }
        let mut names = Vec::with_capacity(frames.len());
        for &l in frames.iter().rev() {
            for line in p.location(l).lines.iter().rev() {
                names.push(p.str(p.function(line.function).name).to_string());
            }
        }
        *out.entry(names).or_insert(0) += v;
    }
    out.retain(|_, v| *v != 0);
    out
}

/// Stacks that appear or disappear between the two profiles, at most `limit` each.
pub fn stack_changes(
    base: &Profile,
    target: &Profile,
    sample_index: &str,
    limit: usize,
) -> Result<StackChanges, TransformError> {
    check_comparable(base, target)?;
    let bi = transform::sample_index(base, sample_index)?;
    let name = base.sample_type_name(bi).to_string();
    let ti = transform::sample_index(target, &name)?;
    let (b, t) = (stack_values(base, bi), stack_values(target, ti));
    let pick = |from: &FxHashMap<Vec<String>, i64>, other: &FxHashMap<Vec<String>, i64>| {
        let mut v: Vec<StackChange> = from
            .iter()
            .filter(|(k, _)| !other.contains_key(*k))
            .map(|(k, &v)| StackChange { frames: k.clone(), value: v })
            .collect();
        v.sort_rows_by(|a, b| b.value.abs().cmp(&a.value.abs()).then_with(|| a.frames.cmp(&b.frames)));
        v.truncate(limit);
        v
    };
    Ok(StackChanges { new: pick(&t, &b), gone: pick(&b, &t) })
}

/// One function over N snapshots.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct GrowthRow {
    pub name: String,
    /// Value at each snapshot (flat, or cum when the options sort by cum).
    pub values: Vec<i64>,
    /// Least-squares slope, in value units per minute.
    pub slope_per_minute: f64,
    /// Never decreased from one snapshot to the next, and grew overall.
    pub monotonic: bool,
}

#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Growth {
    /// Minutes of each snapshot after the first.
    pub minutes: Vec<f64>,
    /// Profile total at each snapshot.
    pub totals: Vec<i64>,
    pub total_slope_per_minute: f64,
    /// Rows sorted by slope, steepest growth first.
    pub rows: Vec<GrowthRow>,
    pub sample_type: String,
    pub unit: String,
}

/// Least-squares slope of `ys` over `xs`; 0 when the xs do not vary.
pub fn least_squares_slope(xs: &[f64], ys: &[f64]) -> f64 {
    let n = xs.len() as f64;
    if xs.len() < 2 {
        return 0.0;
    }
    let mx = xs.iter().sum::<f64>() / n;
    let my = ys.iter().sum::<f64>() / n;
    let sxx: f64 = xs.iter().map(|x| (x - mx) * (x - mx)).sum();
    let sxy: f64 = xs.iter().zip(ys).map(|(x, y)| (x - mx) * (y - my)).sum();
    if sxx == 0.0 {
        0.0
    } else {
        sxy / sxx
    }
}

/// Growth of every function over snapshots ordered by time (oldest first).
pub fn growth(snapshots: &[&Profile], o: &Options) -> Result<Growth, TransformError> {
    if snapshots.len() < 2 {
        return Err(TransformError("growth needs at least two snapshots".into()));
    }
    for s in &snapshots[1..] {
        check_comparable(snapshots[0], s)?;
    }
    let t0 = snapshots[0].time_nanos;
    let minutes: Vec<f64> = snapshots.iter().map(|p| (p.time_nanos - t0) as f64 / 60e9).collect();
    if snapshots.iter().any(|p| p.time_nanos == 0) {
        return Err(TransformError("every snapshot needs its time (time_nanos) to compute growth per minute".into()));
    }
    let first = Report::new(snapshots[0], ReportKind::Top, o)?;
    let side_opts = Options { sample_index: first.prof.sample_type_name(first.sample_index).to_string(), ..o.clone() };
    let mut per_node: FxHashMap<NodeInfo, (String, Vec<i64>)> = FxHashMap::default();
    let mut totals = Vec::with_capacity(snapshots.len());
    for (k, p) in snapshots.iter().enumerate() {
        let r = Report::new(p, ReportKind::Top, &side_opts)?;
        totals.push(r.total);
        let g = Graph::build_nodes(&r.prof, &r.graph_options(), None);
        for n in g.live_nodes() {
            let e = per_node
                .entry(n.info.clone())
                .or_insert_with(|| (n.printable_name().to_string(), vec![0; snapshots.len()]));
            e.1[k] = if o.cum { n.cum_value() } else { n.flat_value() };
        }
    }
    let mut rows: Vec<GrowthRow> = per_node
        .into_values()
        .map(|(name, values)| {
            let ys: Vec<f64> = values.iter().map(|&v| v as f64).collect();
            let slope = least_squares_slope(&minutes, &ys);
            let monotonic = values.windows(2).all(|w| w[1] >= w[0]) && values.last() > values.first();
            GrowthRow { name, values, slope_per_minute: slope, monotonic }
        })
        .collect();
    rows.sort_rows_by(|a, b| {
        b.slope_per_minute
            .partial_cmp(&a.slope_per_minute)
            .unwrap_or(std::cmp::Ordering::Equal)
            .then_with(|| a.name.cmp(&b.name))
    });
    let ys: Vec<f64> = totals.iter().map(|&v| v as f64).collect();
    Ok(Growth {
        total_slope_per_minute: least_squares_slope(&minutes, &ys),
        minutes,
        totals,
        rows,
        sample_type: first.sample_type.clone(),
        unit: first.sample_unit.clone(),
    })
}

/// When the fitted total reaches `limit`: minutes after the last snapshot,
/// None if it is not growing (or already past the limit: Some(0)).
pub fn minutes_to_limit(g: &Growth, limit: f64) -> Option<f64> {
    let last_total = *g.totals.last()? as f64;
    if last_total >= limit {
        return Some(0.0);
    }
    if g.total_slope_per_minute <= 0.0 {
        return None;
    }
    Some((limit - last_total) / g.total_slope_per_minute)
}
