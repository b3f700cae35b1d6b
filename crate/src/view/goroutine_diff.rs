//! Goroutine-aware diffs of two goroutine snapshots.
//!
//! Groups are made as in the Goroutines view (same frames, creator and
//! arguments at the chosen similarity) and matched between the two dumps by
//! that signature. When both are tracebacks (debug=2 dumps carry goroutine
//! ids, and Go never reuses an id within a process), each row also says how
//! many goroutines survived (same id in both), how many are new and how many
//! are gone, and whether the survivors kept waiting through the interval:
//!
//! - `stayed`: survivors that are in this group in both dumps; `moved_in`:
//!   survivors that were in another group of the base; so
//!   `target = stayed + moved_in + new` and `base = stayed + moved_out + gone`.
//! - Waits are printed in whole minutes (and not at all under one minute,
//!   read here as 0), so a goroutine that waited through an interval of `I`
//!   minutes shows a wait that grew by at least `floor(I)` (Go's wait clock
//!   can start late, at the first GC after the goroutine parked, which only
//!   makes the growth smaller). A stayed survivor in the same state whose
//!   wait grew by at least `floor(I)`, with `I >= 1`, *kept waiting*: the
//!   strongest leak evidence, sorted first.
//! - The dumps carry no timestamps: the interval is a parameter. When it is
//!   not given it is estimated as the largest wait growth `G` among stayed
//!   survivors in the same state: no goroutine's wait can grow by more than
//!   `I + 1` printed minutes, and one that waited throughout grows by at
//!   least `floor(I)`, so when at least one survivor waited throughout,
//!   `G - 1 < I < G + 1`. With `G = 0` the interval is unknown (probably
//!   under a minute) and nothing is judged.
//!
//! For other goroutine profiles (binary, debug=1, or one traceback against a
//! profile) the diff compares counts per group: base, target, delta, new and gone.

use crate::model::{Profile, SourceFormat};
use crate::transform::TransformError;
use crate::util::hash::FxHashMap;
use crate::util::sort::SortRows;
use crate::view::goroutines::{self, public_group, GoroutineGroup, Grouping, Signature, Similarity};

/// Options of the diff. Defaults: pointer-like values ignored, interval estimated.
#[derive(Clone, Copy, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct Options {
    pub similarity: Similarity,
    /// Minutes between the two dumps, if known.
    pub interval_minutes: Option<f64>,
}

#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Interval {
    pub minutes: Option<f64>,
    /// `given`, `estimated` or `unknown`.
    pub source: &'static str,
    /// For an estimate, the open range the true interval lies in.
    pub range: Option<[f64; 2]>,
    pub text: String,
}

/// Goroutine ids of a row (or of the whole diff) in both dumps.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
pub struct IdCounts {
    /// Target goroutines whose id is in the base: `stayed + moved_in`.
    pub survived: i64,
    /// Survivors in this group in both dumps.
    pub stayed: i64,
    /// Survivors that were in another group of the base.
    pub moved_in: i64,
    pub new: i64,
    /// Base goroutines whose id is not in the target.
    pub gone: i64,
    /// Base goroutines of this group found in another group of the target.
    pub moved_out: i64,
    /// Stayed survivors in the same state whose wait grew by the interval's
    /// whole minutes; None when the interval is unknown or under a minute.
    pub kept_waiting: Option<i64>,
    /// Smallest and largest wait growth in minutes among stayed survivors.
    pub wait_growth: Option<[i64; 2]>,
}

#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct DiffRow {
    /// The group as the target shows it (as the base shows it when gone).
    pub group: GoroutineGroup,
    pub base: i64,
    pub target: i64,
    pub delta: i64,
    /// `new`, `gone`, `grew`, `shrank` or `same`.
    pub status: &'static str,
    pub ids: Option<IdCounts>,
}

#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct GoroutineDiff {
    /// Goroutines matched by id (both tracebacks) rather than counted.
    pub by_id: bool,
    pub similarity: Similarity,
    pub base_total: i64,
    pub target_total: i64,
    pub interval: Option<Interval>,
    pub totals: Option<IdCounts>,
    /// Kept-waiting survivors first, then by delta.
    pub rows: Vec<DiffRow>,
    pub warnings: Vec<String>,
}

fn status(base: i64, target: i64) -> &'static str {
    match (base, target) {
        (0, _) => "new",
        (_, 0) => "gone",
        (b, t) if t > b => "grew",
        (b, t) if t < b => "shrank",
        _ => "same",
    }
}

/// Where each goroutine id is: (group, record index).
fn id_index(p: &Profile, g: &Grouping) -> FxHashMap<u64, (usize, u32)> {
    let t = p.goroutines.as_ref().expect("tracebacks have a table");
    let mut m = FxHashMap::default();
    for (gi, rg) in g.groups.iter().enumerate() {
        for &r in &rg.members {
            // A race report can list one goroutine twice: the first record counts.
            m.entry(t.goroutines[r as usize].id).or_insert((gi, r));
        }
    }
    m
}

/// Diffs two goroutine snapshots; `base` is the earlier one.
pub fn diff(base: &Profile, target: &Profile, opts: &Options) -> Result<GoroutineDiff, TransformError> {
    let mut gb = goroutines::group(base, opts.similarity)?;
    let mut gt = goroutines::group(target, opts.similarity)?;
    gb.sort();
    gt.sort();
    let mut warnings = Vec::new();
    if base.source_format != target.source_format {
        warnings.push(format!(
            "base and target are in different formats ({:?}, {:?}): binary profiles keep runtime frames and text dumps hide them, so their stacks rarely match",
            base.source_format, target.source_format
        ));
    }
    // Pairs of (base group, target group) with the same signature.
    let by_sig: FxHashMap<&Signature, usize> = gb.groups.iter().enumerate().map(|(i, g)| (&g.sig, i)).collect();
    let mut pairs: Vec<(Option<usize>, Option<usize>)> = Vec::new();
    let mut matched = vec![false; gb.groups.len()];
    for (ti, g) in gt.groups.iter().enumerate() {
        let bi = by_sig.get(&g.sig).copied();
        if let Some(b) = bi {
            matched[b] = true;
        }
        pairs.push((bi, Some(ti)));
    }
    pairs.extend(matched.iter().enumerate().filter(|(_, &m)| !m).map(|(b, _)| (Some(b), None)));

    let by_id = gb.tracebacks && gt.tracebacks;
    let mut id_counts: Vec<Option<IdCounts>> = vec![None; pairs.len()];
    let mut growths: Vec<Vec<(i64, bool)>> = vec![Vec::new(); pairs.len()];
    let mut interval = None;
    if by_id {
        let (tb, tt) = (base.goroutines.as_ref().unwrap(), target.goroutines.as_ref().unwrap());
        let (ib, it) = (id_index(base, &gb), id_index(target, &gt));
        for (row, &(bi, ti)) in pairs.iter().enumerate() {
            let mut c = IdCounts::default();
            if let Some(ti) = ti {
                for &r in &gt.groups[ti].members {
                    let g1 = &tt.goroutines[r as usize];
                    match ib.get(&g1.id) {
                        None => c.new += 1,
                        Some(&(b, r0)) if Some(b) == bi => {
                            c.stayed += 1;
                            let g0 = &tb.goroutines[r0 as usize];
                            let growth = g1.wait_minutes.unwrap_or(0) as i64 - g0.wait_minutes.unwrap_or(0) as i64;
                            let same_state = base.str(g0.state) == target.str(g1.state);
                            growths[row].push((growth, same_state));
                        }
                        Some(_) => c.moved_in += 1,
                    }
                }
            }
            if let Some(bi) = bi {
                for &r in &gb.groups[bi].members {
                    match it.get(&tb.goroutines[r as usize].id) {
                        None => c.gone += 1,
                        Some(&(t, _)) if Some(t) == ti => {}
                        Some(_) => c.moved_out += 1,
                    }
                }
            }
            c.survived = c.stayed + c.moved_in;
            if let (Some(lo), Some(hi)) =
                (growths[row].iter().map(|g| g.0).min(), growths[row].iter().map(|g| g.0).max())
            {
                c.wait_growth = Some([lo, hi]);
            }
            id_counts[row] = Some(c);
        }
        let max_growth = growths.iter().flatten().filter(|g| g.1).map(|g| g.0).max().unwrap_or(0);
        let iv = match opts.interval_minutes {
            Some(m) => {
                if (max_growth as f64) >= m + 1.0 {
                    warnings.push(format!(
                        "a survivor's wait grew by {max_growth} minutes, more than the given interval of {} minutes allows: check the interval",
                        fmt_minutes(m)
                    ));
                }
                Interval { minutes: Some(m), source: "given", range: None, text: format!("{} minutes (given)", fmt_minutes(m)) }
            }
            None if max_growth >= 1 => {
                let g = max_growth as f64;
                Interval {
                    minutes: Some(g),
                    source: "estimated",
                    range: Some([g - 1.0, g + 1.0]),
                    text: format!(
                        "about {max_growth} minute{}, estimated from the survivors' wait growth (between {} and {} minutes if one survivor waited throughout)",
                        if max_growth == 1 { "" } else { "s" },
                        max_growth - 1,
                        max_growth + 1
                    ),
                }
            }
            None => Interval {
                minutes: None,
                source: "unknown",
                range: None,
                text: "unknown: no survivor's printed wait grew (the dumps are probably less than a minute apart); give the interval to judge waits".into(),
            },
        };
        let whole = iv.minutes.map(|m| m.floor() as i64).filter(|&w| w >= 1);
        if iv.source == "given" && whole.is_none() {
            warnings.push("the interval is under a minute: waits are printed in whole minutes, so whether survivors kept waiting cannot be told".into());
        }
        for (c, g) in id_counts.iter_mut().zip(&growths) {
            if let Some(c) = c {
                c.kept_waiting = whole.map(|w| g.iter().filter(|(growth, same)| *same && *growth >= w).count() as i64);
            }
        }
        interval = Some(iv);
    }

    let mut rows: Vec<DiffRow> = pairs
        .iter()
        .zip(id_counts)
        .map(|(&(bi, ti), ids)| {
            let b = bi.map_or(0, |i| gb.groups[i].count);
            let t = ti.map_or(0, |i| gt.groups[i].count);
            let group = match ti {
                Some(i) => public_group(&gt.groups[i], 0, gt.total, target),
                None => public_group(&gb.groups[bi.unwrap()], 0, gb.total, base),
            };
            DiffRow { group, base: b, target: t, delta: t - b, status: status(b, t), ids }
        })
        .collect();
    let kept = |r: &DiffRow| r.ids.as_ref().and_then(|c| c.kept_waiting).unwrap_or(0);
    rows.sort_rows_by(|a, b| {
        kept(b)
            .cmp(&kept(a))
            .then_with(|| b.delta.cmp(&a.delta))
            .then_with(|| b.target.cmp(&a.target))
            .then_with(|| b.base.cmp(&a.base))
    });
    for (i, r) in rows.iter_mut().enumerate() {
        r.group.id = i;
    }
    let totals = by_id.then(|| {
        let mut t = IdCounts::default();
        let mut any_kept = false;
        for c in rows.iter().filter_map(|r| r.ids.as_ref()) {
            t.survived += c.survived;
            t.stayed += c.stayed;
            t.moved_in += c.moved_in;
            t.new += c.new;
            t.gone += c.gone;
            t.moved_out += c.moved_out;
            if let Some(k) = c.kept_waiting {
                any_kept = true;
                *t.kept_waiting.get_or_insert(0) += k;
            }
            if let Some([lo, hi]) = c.wait_growth {
                t.wait_growth = Some(match t.wait_growth {
                    Some([a, b]) => [a.min(lo), b.max(hi)],
                    None => [lo, hi],
                });
            }
        }
        if !any_kept {
            t.kept_waiting = None;
        }
        t
    });
    if !by_id
        && (base.source_format == SourceFormat::GoroutineDebug2)
            != (target.source_format == SourceFormat::GoroutineDebug2)
    {
        warnings.push("only one side is a debug=2 dump: goroutines are compared by counts, not ids".into());
    }
    Ok(GoroutineDiff {
        by_id,
        similarity: opts.similarity,
        base_total: gb.total,
        target_total: gt.total,
        interval,
        totals,
        rows,
        warnings,
    })
}

fn fmt_minutes(m: f64) -> String {
    if m.fract() == 0.0 {
        format!("{m:.0}")
    } else {
        format!("{m:.2}").trim_end_matches('0').to_string()
    }
}

fn signed(n: i64) -> String {
    if n > 0 {
        format!("+{n}")
    } else {
        n.to_string()
    }
}

/// The diff as text (the CLI's `goroutines --base`).
pub fn render_text(d: &GoroutineDiff) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Goroutine diff ({}): base {} goroutines, target {} ({}); similarity {}: {}",
        if d.by_id { "by goroutine id" } else { "by counts" },
        d.base_total,
        d.target_total,
        signed(d.target_total - d.base_total),
        d.similarity.as_str(),
        d.similarity.describe()
    );
    if let Some(iv) = &d.interval {
        let _ = writeln!(out, "Interval: {}", iv.text);
    }
    if let Some(t) = &d.totals {
        let _ = writeln!(
            out,
            "Survived {} (stayed on their stack {}, moved {}), new {}, gone {}{}",
            t.survived,
            t.stayed,
            t.moved_in,
            t.new,
            t.gone,
            t.kept_waiting.map_or(String::new(), |k| format!("; {k} kept waiting through the interval"))
        );
    }
    for w in &d.warnings {
        let _ = writeln!(out, "warning: {w}");
    }
    out.push('\n');
    if d.by_id {
        let _ = writeln!(
            out,
            "{:>7} {:>7} {:>7} {:>7} {:>6} {:>6} {:>6} {:>6}  group",
            "base", "target", "delta", "stayed", "moved", "new", "gone", "kept"
        );
    } else {
        let _ = writeln!(out, "{:>7} {:>7} {:>7}  group", "base", "target", "delta");
    }
    for r in &d.rows {
        let g = &r.group;
        let name = g
            .first_user_frame
            .clone()
            .or_else(|| g.entry.clone())
            .or_else(|| g.frames.first().map(|f| f.function.clone()))
            .unwrap_or_else(|| "(no frames)".into());
        match &r.ids {
            Some(c) => {
                let kept = c.kept_waiting.map_or("-".to_string(), |k| k.to_string());
                let _ = write!(
                    out,
                    "{:>7} {:>7} {:>7} {:>7} {:>6} {:>6} {:>6} {:>6}  ",
                    r.base,
                    r.target,
                    signed(r.delta),
                    c.stayed,
                    c.moved_in,
                    c.new,
                    c.gone,
                    kept
                );
            }
            None => {
                let _ = write!(out, "{:>7} {:>7} {:>7}  ", r.base, r.target, signed(r.delta));
            }
        }
        let leaf = g.frames.first().map(|f| f.function.as_str()).unwrap_or("");
        let _ = write!(out, "#{} {name}", g.id + 1);
        if !leaf.is_empty() && leaf != name {
            let _ = write!(out, " in {leaf}");
        }
        let _ = write!(out, " [{}]", goroutines::states_text(&g.states));
        if let Some(c) = &g.created_by {
            let _ = write!(out, " created by {} {}:{}", c.function, c.file, c.line);
        }
        if r.status == "new" || r.status == "gone" {
            let _ = write!(out, " ({})", r.status);
        }
        out.push('\n');
    }
    out
}
