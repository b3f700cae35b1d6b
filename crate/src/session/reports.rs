//! The views of one query — the loaded profiles `ids`, merged, and pprof's
//! `Options` — computed from one report that is kept until the next query:
//! the top table, the flame graph, the call tree, peek, the call graph (DOT)
//! and tags, and values formatted in the report's unit.

use super::{compile, err, matches_either, F64s, Result, Session, StrCol, SystemNames, U32s, U8s};
use crate::load;
use crate::model::Profile;
use crate::report::top::{self, Top};
use crate::report::{peek, Options, Report, ReportKind};
use crate::util::units;
use crate::view::calltree::{build_call_tree, CallTree};
use crate::view::flame::{self, FlameLayout};
use crate::view::sandwich;

/// How many queries' reports are kept (the sandwich's two sides and the
/// view's own query, so hovering one side does not recompute the other).
const KEPT_REPORTS: usize = 3;

/// The report of a query and the views computed from it.
pub(super) struct Prepared {
    key: String,
    pub(super) rpt: Report,
    /// `build_top` results by `cum` (false: sorted by flat).
    pub(super) top: [Option<Top>; 2],
    tree: [Option<CallTree>; 2],
    /// The last layout, by (zoom node, min fraction bits).
    flame: Option<((u32, u64), FlameLayout)>,
    /// What searches match besides the names shown.
    sys: SystemNames,
}

impl Prepared {
    pub(super) fn top(&mut self, cum: bool) -> &Top {
        let i = cum as usize;
        if self.top[i].is_none() {
            self.rpt.options.cum = cum;
            self.top[i] = Some(top::build_top(&mut self.rpt));
        }
        self.top[i].as_ref().unwrap()
    }

    /// Fixes the report's output unit (pprof picks it from the top table's nodes).
    fn unit(&mut self) {
        if self.top[0].is_none() && self.top[1].is_none() {
            self.top(false);
        }
    }

    /// The call tree (the unit fixed first).
    fn tree(&mut self, inverted: bool) -> &CallTree {
        self.unit();
        let i = inverted as usize;
        if self.tree[i].is_none() {
            self.tree[i] = Some(build_call_tree(&self.rpt, inverted));
        }
        self.tree[i].as_ref().unwrap()
    }

    fn header(&self) -> Header {
        Header::of(&self.rpt)
    }
}

/// What every view result carries: the report total (sum of |values|), its
/// sample type, and the filters that matched nothing.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Header {
    pub total: f64,
    pub sample_type: String,
    pub unmatched: Vec<String>,
}

impl Header {
    pub(super) fn of(rpt: &Report) -> Header {
        Header { total: rpt.total as f64, sample_type: rpt.sample_type.clone(), unmatched: rpt.unmatched.clone() }
    }
}

/// pprof's top table as columns; `inline` is 0, 1 "(inline)" or 2 another label.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct TopView {
    #[serde(flatten)]
    pub header: Header,
    pub labels: Vec<String>,
    pub rows: u32,
    pub name: StrCol,
    pub inline: U8s,
    pub flat: F64s,
    pub cum: F64s,
    pub flat_text: StrCol,
    pub flat_pct: StrCol,
    pub sum_pct: StrCol,
    pub cum_text: StrCol,
    pub cum_pct: StrCol,
}

/// The sandwich view's picker (view/sandwich.rs): the functions matching
/// its regexp, heaviest cum first, with their flat and cum; `chosen` the
/// shown one (-1: none matched); `callers_tx` and `callees_tx` the steps
/// that, added to the query's `tx`, make the two flame graphs.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct SandwichView {
    #[serde(flatten)]
    pub header: Header,
    pub matched: u32,
    pub chosen: i32,
    pub name: StrCol,
    pub flat: F64s,
    pub cum: F64s,
    pub flat_text: StrCol,
    pub flat_pct: StrCol,
    pub cum_text: StrCol,
    pub cum_pct: StrCol,
    pub callers_tx: String,
    pub callees_tx: String,
}

/// A flame graph layout (view/flame.rs): per frame `name`, `short`, `inline`,
/// `package` (index into `packages`); per box `frame`, `node` (call-tree
/// node), `depth`, `parent` (box index, `NO_NODE` for the root), `x`/`width`
/// in value units, `value`/`self` (signed); boxes of row d are
/// `row_start[d]..row_start[d + 1]`, left to right.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct FlameView {
    #[serde(flatten)]
    pub header: Header,
    pub name: StrCol,
    pub short: StrCol,
    pub inline: U8s,
    pub package: U32s,
    pub packages: StrCol,
    pub zoom: u32,
    pub frame: U32s,
    pub node: U32s,
    pub depth: U32s,
    pub parent: U32s,
    pub x: F64s,
    pub width: F64s,
    pub value: F64s,
    #[serde(rename = "self")]
    pub self_value: F64s,
    pub row_start: U32s,
}

/// The flame graph's search: matching frames, and the share of the samples through any of them.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct FlameSearch {
    pub frames: U8s,
    pub value: f64,
    pub value_text: String,
    pub pct: String,
}

/// A call-tree node's numbers, above its children.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct TreeParent {
    pub total: f64,
    #[serde(rename = "self")]
    pub self_value: f64,
    pub total_text: String,
}

/// Children of a call-tree node, heaviest first, as columns (with the
/// header's sample type and unmatched filters; `total` is the children's).
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct TreeChildren {
    pub sample_type: String,
    pub unmatched: Vec<String>,
    pub node: u32,
    /// Children left out by the limit.
    pub more: u32,
    pub ids: U32s,
    pub name: StrCol,
    pub inline: U8s,
    pub matched: U8s,
    pub has_children: U8s,
    pub total: F64s,
    #[serde(rename = "self")]
    pub self_value: F64s,
    pub total_text: StrCol,
    pub total_pct: StrCol,
    pub self_text: StrCol,
    pub parent: TreeParent,
}

#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct PeekEdge {
    pub name: String,
    pub weight: f64,
    pub weight_text: String,
    pub pct: String,
    pub inline: bool,
}

#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct PeekEntry {
    pub name: String,
    pub flat: f64,
    pub cum: f64,
    pub flat_text: String,
    pub flat_pct: String,
    pub cum_text: String,
    pub cum_pct: String,
    /// The heaviest `PEEK_EDGES` callers and callees; `more_*` count the rest.
    pub callers: Vec<PeekEdge>,
    pub callees: Vec<PeekEdge>,
    pub more_callers: u32,
    pub more_callees: u32,
}

#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct PeekView {
    #[serde(flatten)]
    pub header: Header,
    /// The first `PEEK_ENTRIES` matching functions; `more` counts the rest.
    pub entries: Vec<PeekEntry>,
    pub more: u32,
}

/// Functions a peek lists, and callers or callees per function: a name
/// called from 1e5 places must not freeze the page.
pub const PEEK_ENTRIES: usize = 50;
pub const PEEK_EDGES: usize = 100;

/// Values in the report's unit and as percentages.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Formatted {
    pub values: Vec<String>,
    pub percents: Vec<String>,
}

/// pprof's -dot and the drawn nodes: `ids[i]` is the DOT node `N{ids[i]}`.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct DotView {
    #[serde(flatten)]
    pub header: Header,
    pub dot: String,
    pub ids: U32s,
    pub name: StrCol,
    pub flat: F64s,
    pub cum: F64s,
    pub flat_text: StrCol,
    pub flat_pct: StrCol,
    pub cum_text: StrCol,
    pub cum_pct: StrCol,
}

/// One label key of pprof's -tags: its values heaviest first.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct TagKeyView {
    pub key: String,
    pub numeric: bool,
    pub total: f64,
    pub total_text: String,
    /// Values left out by `max_values` (the lightest).
    pub more: u32,
    pub name: StrCol,
    pub weight: F64s,
    pub weight_text: StrCol,
    pub pct: StrCol,
}

#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct TagsView {
    #[serde(flatten)]
    pub header: Header,
    pub keys: Vec<TagKeyView>,
}

/// A row's inline mark as a column code: 0 none, 1 `(inline)`, 2 another label.
pub(super) fn inline_code(label: &str) -> u8 {
    match label {
        "" => 0,
        "(inline)" => 1,
        _ => 2,
    }
}

/// `units::percentage` without its padding.
pub(super) fn pct(v: i64, of: i64) -> String {
    units::percentage(v, of).trim().to_string()
}

impl Session {
    /// The merge of `ids` as pprof merges files (with a `file` label per
    /// sample when `provenance` and there are several).
    pub fn merged(&self, ids: &[u32], provenance: bool) -> Result<Profile> {
        if provenance && ids.len() > 1 {
            let v = ids
                .iter()
                .map(|&id| Ok((self.name(id)?.to_string(), self.profile(id)?.clone())))
                .collect::<Result<Vec<_>>>()?;
            return load::combine_with_provenance(v, Vec::new(), Default::default()).map_err(err);
        }
        if let [id] = ids {
            return load::combine_one(self.profile(*id)?, Default::default()).map_err(err);
        }
        let v = ids.iter().map(|&id| self.profile(id).cloned()).collect::<Result<Vec<_>>>()?;
        load::combine_decoded(v, Vec::new(), Default::default()).map_err(err)
    }

    /// The report for `ids` and `o`, made once per distinct query.
    pub(super) fn prepare(&mut self, ids: &[u32], o: &Options) -> Result<&mut Prepared> {
        #[cfg(feature = "test-trap")]
        super::testhooks::on_query(o);
        let o = Options { cum: false, ..o.clone() };
        let key = format!("{ids:?} {o:?}");
        if let Some(i) = self.prepared.iter().position(|p| p.key == key) {
            let p = self.prepared.remove(i);
            self.prepared.push(p);
            return Ok(self.prepared.last_mut().unwrap());
        }
        if self.prepared.len() >= KEPT_REPORTS {
            self.prepared.remove(0);
        }
        // The source's key: the ids, and u32::MAX after them for a merge with provenance.
        let skey: Vec<u32> = ids.iter().copied().chain((o.provenance && ids.len() > 1).then_some(u32::MAX)).collect();
        if self.source.as_ref().is_none_or(|(s, _)| *s != skey) {
            self.source = None;
            self.prepared.clear();
            self.source = Some((skey, self.merged(ids, o.provenance)?));
        }
        let rpt = self.report_of_source(ReportKind::Top, &o)?;
        let sys = SystemNames::of(&self.source.as_ref().unwrap().1);
        self.prepared.push(Prepared { key, rpt, top: [None, None], tree: [None, None], flame: None, sys });
        Ok(self.prepared.last_mut().unwrap())
    }

    /// A report of `kind` over the last query's merged profile (times in UTC).
    fn report_of_source(&self, kind: ReportKind, o: &Options) -> Result<Report> {
        let p = &self.source.as_ref().ok_or_else(|| err("no query"))?.1;
        let mut rpt = Report::new(p, kind, o).map_err(err)?;
        rpt.utc = true;
        Ok(rpt)
    }

    /// pprof's `-top` text for the merge of `ids` (what the CLI prints).
    pub fn top_text(&mut self, ids: &[u32], o: &Options) -> Result<String> {
        let p = self.merged(ids, o.provenance)?;
        let mut r = Report::new(&p, ReportKind::Top, o).map_err(err)?;
        r.utc = true;
        Ok(top::render_text(&mut r))
    }

    /// The top table as columns, sorted by flat (or by cum when `o.cum`).
    pub fn top(&mut self, ids: &[u32], o: &Options) -> Result<TopView> {
        let prep = self.prepare(ids, o)?;
        prep.top(o.cum);
        let t = prep.top[o.cum as usize].as_ref().unwrap();
        let rpt = &prep.rpt;
        let n = t.rows.len();
        let (mut ft, mut fp, mut sp, mut ct, mut cp) = (
            StrCol::with_capacity(n),
            StrCol::with_capacity(n),
            StrCol::with_capacity(n),
            StrCol::with_capacity(n),
            StrCol::with_capacity(n),
        );
        let mut sum = 0i64;
        for r in &t.rows {
            sum = sum.wrapping_add(r.flat);
            ft.push(&rpt.format_value(r.flat));
            fp.push(&pct(r.flat, rpt.total));
            sp.push(&pct(sum, rpt.total));
            ct.push(&rpt.format_value(r.cum));
            cp.push(&pct(r.cum, rpt.total));
        }
        Ok(TopView {
            header: prep.header(),
            labels: t.labels.clone(),
            rows: n as u32,
            name: StrCol::of(n, t.rows.iter().map(|r| r.name.as_str())),
            inline: U8s(t.rows.iter().map(|r| inline_code(r.inline_label)).collect()),
            flat: F64s::of_i64(t.rows.iter().map(|r| r.flat)),
            cum: F64s::of_i64(t.rows.iter().map(|r| r.cum)),
            flat_text: ft,
            flat_pct: fp,
            sum_pct: sp,
            cum_text: ct,
            cum_pct: cp,
        })
    }

    /// Which rows of the top table (sorted as `o.cum` says) have a name matching `pattern`.
    pub fn top_match(&mut self, ids: &[u32], o: &Options, pattern: &str) -> Result<U8s> {
        let re = compile(pattern)?;
        let prep = self.prepare(ids, o)?;
        prep.top(o.cum);
        let t = prep.top[o.cum as usize].as_ref().unwrap();
        Ok(matches_either(&re, t.rows.iter().map(|r| r.name.as_str()), &prep.sys, true))
    }

    /// The flame graph layout (view/flame.rs), zoomed into call-tree node
    /// `zoom` (0: the root), without boxes narrower than `min_fraction` of
    /// the zoomed box; with the frames' names, short names, inline marks and packages.
    pub fn flame(&mut self, ids: &[u32], o: &Options, zoom: u32, min_fraction: f64) -> Result<FlameView> {
        let prep = self.prepare(ids, o)?;
        prep.tree(false);
        let t = prep.tree[0].as_ref().unwrap();
        if zoom as usize >= t.len() {
            return Err(err(format!("no call tree node {zoom}")));
        }
        let key = (zoom, min_fraction.to_bits());
        if prep.flame.as_ref().is_none_or(|(k, _)| *k != key) {
            let l = flame::layout_from(t, zoom, t.weight[zoom as usize] as f64 * min_fraction);
            prep.flame = Some((key, l));
        }
        let (t, l) = (prep.tree[0].as_ref().unwrap(), &prep.flame.as_ref().unwrap().1);
        Ok(flame_view(prep.header(), t, l, zoom))
    }

    /// The flame graph's search: which frames match `pattern`, and the share
    /// of the total the samples through any of them make (each sample
    /// counted once, as a focus on the pattern would keep).
    pub fn flame_search(&mut self, ids: &[u32], o: &Options, pattern: &str) -> Result<FlameSearch> {
        let re = compile(pattern)?;
        let prep = self.prepare(ids, o)?;
        prep.tree(false);
        let (t, rpt) = (prep.tree[0].as_ref().unwrap(), &prep.rpt);
        let frames = matches_either(&re, t.frames.iter().map(|f| f.name.as_str()), &prep.sys, false);
        let value = covered_value(t, &frames.0);
        Ok(FlameSearch { value: value as f64, value_text: rpt.format_value(value), pct: pct(value, rpt.total), frames })
    }

    /// Children of call-tree node `node` (0 is the root), heaviest first, at
    /// most `limit` of them (`more` says how many were left out); `matched`
    /// marks those whose name matches `pattern`.
    pub fn tree_children(
        &mut self,
        ids: &[u32],
        o: &Options,
        inverted: bool,
        node: u32,
        limit: u32,
        pattern: &str,
    ) -> Result<TreeChildren> {
        let re = compile(pattern)?;
        let prep = self.prepare(ids, o)?;
        let t = prep.tree(inverted);
        if node as usize >= t.len() {
            return Err(err(format!("no call tree node {node}")));
        }
        let (t, rpt) = (prep.tree[inverted as usize].as_ref().unwrap(), &prep.rpt);
        let all = t.children_by_weight(node);
        let kids = &all[..all.len().min(limit as usize)];
        let n = kids.len();
        let total = |c: &u32| t.total[*c as usize];
        let own = |c: &u32| t.self_value[*c as usize];
        Ok(TreeChildren {
            sample_type: rpt.sample_type.clone(),
            unmatched: rpt.unmatched.clone(),
            node,
            more: (all.len() - n) as u32,
            ids: U32s(kids.to_vec()),
            name: StrCol::of(n, kids.iter().map(|&c| t.frame_of(c).name.as_str())),
            inline: U8s(kids.iter().map(|&c| t.frame_of(c).inline as u8).collect()),
            matched: matches_either(&re, kids.iter().map(|&c| t.frame_of(c).name.as_str()), &prep.sys, false),
            has_children: U8s(kids.iter().map(|&c| !t.children_of(c).is_empty() as u8).collect()),
            total: F64s::of_i64(kids.iter().map(total)),
            self_value: F64s::of_i64(kids.iter().map(own)),
            total_text: StrCol::map(kids, |c| rpt.format_value(total(c))),
            total_pct: StrCol::map(kids, |c| pct(total(c), rpt.total)),
            self_text: StrCol::map(kids, |c| rpt.format_value(own(c))),
            parent: TreeParent {
                total: total(&node) as f64,
                self_value: own(&node) as f64,
                total_text: rpt.format_value(total(&node)),
            },
        })
    }

    /// Callers and callees of the functions whose name matches `pattern`
    /// (a regular expression, as pprof's `-peek` takes): pprof's peek report,
    /// untrimmed, in its own unit; at most 50 entries.
    pub fn peek(&mut self, ids: &[u32], o: &Options, pattern: &str) -> Result<PeekView> {
        if pattern.trim().is_empty() {
            return Err(err("peek: give a function name or regular expression"));
        }
        let header = self.prepare(ids, o)?.header();
        let mut rpt = self.report_of_source(ReportKind::Peek, &Options { peek: pattern.to_string(), ..o.clone() })?;
        let tree = peek::peek(&mut rpt).map_err(err)?;
        let edges = |v: &[crate::report::tree::TreeEdge], cum: i64| -> Vec<PeekEdge> {
            v.iter()
                .take(PEEK_EDGES)
                .map(|e| PeekEdge {
                    name: e.name.clone(),
                    weight: e.weight as f64,
                    weight_text: rpt.format_value(e.weight),
                    pct: pct(e.weight, cum),
                    inline: e.inline,
                })
                .collect()
        };
        let entries = tree
            .entries
            .iter()
            .take(PEEK_ENTRIES)
            .map(|e| PeekEntry {
                name: e.name.clone(),
                flat: e.flat as f64,
                cum: e.cum as f64,
                flat_text: rpt.format_value(e.flat),
                flat_pct: pct(e.flat, rpt.total),
                cum_text: rpt.format_value(e.cum),
                cum_pct: pct(e.cum, rpt.total),
                callers: edges(&e.callers, e.cum),
                callees: edges(&e.callees, e.cum),
                more_callers: e.callers.len().saturating_sub(PEEK_EDGES) as u32,
                more_callees: e.callees.len().saturating_sub(PEEK_EDGES) as u32,
            })
            .collect();
        let more = tree.entries.len().saturating_sub(PEEK_ENTRIES) as u32;
        Ok(PeekView { header, entries, more })
    }

    /// The sandwich view's picker: the functions whose name matches
    /// `pattern` (by cum, at most 50; `exact` chosen when among them), at
    /// function granularity whatever the query's, since the halves' steps
    /// name functions.
    pub fn sandwich(&mut self, ids: &[u32], o: &Options, pattern: &str, exact: &str) -> Result<SandwichView> {
        if pattern.trim().is_empty() {
            return Err(err("sandwich: give a function name or regular expression"));
        }
        let re = crate::transform::go_regexp(pattern)
            .map_err(|e| err(format!("failed to compile regexp {pattern}: {e}")))?;
        let o = Options { granularity: crate::transform::Granularity::Functions, cum: true, ..o.clone() };
        let prep = self.prepare(ids, &o)?;
        let s = sandwich::pick(prep.top(true), &re, exact, 50);
        let rpt = &prep.rpt;
        let c = &s.candidates;
        let (callers_tx, callees_tx) = s.chosen.map(|i| sandwich::halves(&c[i].name)).unwrap_or_default();
        Ok(SandwichView {
            header: prep.header(),
            matched: s.matched as u32,
            chosen: s.chosen.map_or(-1, |i| i as i32),
            name: StrCol::of(c.len(), c.iter().map(|x| x.name.as_str())),
            flat: F64s::of_i64(c.iter().map(|x| x.flat)),
            cum: F64s::of_i64(c.iter().map(|x| x.cum)),
            flat_text: StrCol::map(c, |x| rpt.format_value(x.flat)),
            flat_pct: StrCol::map(c, |x| pct(x.flat, rpt.total)),
            cum_text: StrCol::map(c, |x| rpt.format_value(x.cum)),
            cum_pct: StrCol::map(c, |x| pct(x.cum, rpt.total)),
            callers_tx,
            callees_tx,
        })
    }

    /// Formats values in the report's unit, and each as a percentage of
    /// `of[i]` (of the report total where `of[i]` is 0 or missing).
    pub fn format(&mut self, ids: &[u32], o: &Options, values: &[f64], of: &[f64]) -> Result<Formatted> {
        let prep = self.prepare(ids, o)?;
        prep.unit();
        let rpt = &prep.rpt;
        let percents = values
            .iter()
            .enumerate()
            .map(|(i, &v)| {
                let d = of.get(i).copied().unwrap_or(0.0) as i64;
                pct(v as i64, if d == 0 { rpt.total } else { d })
            })
            .collect();
        Ok(Formatted { values: values.iter().map(|&v| rpt.format_value(v as i64)).collect(), percents })
    }

    /// pprof's `-dot` for the query (nodecount 80, nodefraction 0.005,
    /// edgefraction 0.001 unless `o` says otherwise): the DOT text the CLI
    /// prints, and the drawn nodes as columns.
    pub fn dot(&mut self, ids: &[u32], o: &Options) -> Result<DotView> {
        self.prepare(ids, o)?;
        let mut rpt = self.report_of_source(ReportKind::Dot, o)?;
        let g = crate::report::dot::build_dot(&mut rpt);
        let n = g.nodes.len();
        Ok(DotView {
            header: Header::of(&rpt),
            ids: U32s(g.nodes.iter().map(|d| d.id as u32).collect()),
            name: StrCol::of(n, g.nodes.iter().map(|d| d.name.as_str())),
            flat: F64s::of_i64(g.nodes.iter().map(|d| d.flat)),
            cum: F64s::of_i64(g.nodes.iter().map(|d| d.cum)),
            flat_text: StrCol::map(&g.nodes, |d| rpt.format_value(d.flat)),
            flat_pct: StrCol::map(&g.nodes, |d| pct(d.flat, rpt.total)),
            cum_text: StrCol::map(&g.nodes, |d| rpt.format_value(d.cum)),
            cum_pct: StrCol::map(&g.nodes, |d| pct(d.cum, rpt.total)),
            dot: g.dot,
        })
    }

    /// pprof's `-tags` for the query: every label key with its total and its
    /// values, heaviest first; weights as the CLI prints them (`%.1f` in the
    /// output unit) and each value's share of its key's total. At most
    /// `max_values` values per key (a label can have a value per request:
    /// drawing 1e5 rows froze the page); `more` counts the rest.
    pub fn tags(&mut self, ids: &[u32], o: &Options, max_values: u32) -> Result<TagsView> {
        use crate::report::tags::{build_tags, scaled};
        self.prepare(ids, o)?;
        let rpt = self.report_of_source(ReportKind::Tags, o)?;
        let keys = build_tags(&rpt)
            .iter()
            .map(|k| {
                let shown = &k.values[..k.values.len().min(max_values as usize)];
                TagKeyView {
                    key: k.key.clone(),
                    numeric: k.numeric,
                    total: k.total as f64,
                    total_text: scaled(&rpt, k.total),
                    more: (k.values.len() - shown.len()) as u32,
                    name: StrCol::of(shown.len(), shown.iter().map(|v| v.name.as_str())),
                    weight: F64s::of_i64(shown.iter().map(|v| v.weight)),
                    weight_text: StrCol::map(shown, |v| scaled(&rpt, v.weight)),
                    pct: StrCol::map(shown, |v| if k.total > 0 { pct(v.weight, k.total) } else { String::new() }),
                }
            })
            .collect();
        Ok(TagsView { header: Header::of(&rpt), keys })
    }
}

/// The value of the samples through any matching frame, each counted once
/// (a node counts unless an ancestor already did; parents precede children).
fn covered_value(t: &CallTree, frames: &[u8]) -> i64 {
    let mut covered = vec![false; t.len()];
    let mut value = 0i64;
    for i in 1..t.len() {
        let p = t.parent[i] as usize;
        let here = frames[t.frame[i] as usize] != 0;
        if here && !covered[p] {
            value = value.wrapping_add(t.total[i]);
        }
        covered[i] = covered[p] || here;
    }
    value
}

/// A flame layout's frames (name, short name, inline mark, package) and boxes as columns.
pub(super) fn flame_view(header: Header, t: &CallTree, l: &FlameLayout, zoom: u32) -> FlameView {
    let nf = t.frames.len();
    let mut packages: Vec<&str> = Vec::new();
    let mut index: crate::util::hash::FxHashMap<&str, u32> = Default::default();
    let package = t
        .frames
        .iter()
        .map(|f| {
            *index.entry(f.package.as_str()).or_insert_with(|| {
                packages.push(f.package.as_str());
                (packages.len() - 1) as u32
            })
        })
        .collect();
    FlameView {
        header,
        name: StrCol::of(nf, t.frames.iter().map(|f| f.name.as_str())),
        short: StrCol::of(nf, t.frames.iter().map(|f| f.short.as_str())),
        inline: U8s(t.frames.iter().map(|f| f.inline as u8).collect()),
        package: U32s(package),
        packages: StrCol::of(packages.len(), packages.iter().copied()),
        zoom,
        frame: U32s(l.frame.clone()),
        node: U32s(l.node.clone()),
        depth: U32s(l.depth.clone()),
        parent: U32s(l.parent.clone()),
        x: F64s(l.x.clone()),
        width: F64s(l.width.clone()),
        value: F64s(l.total.clone()),
        self_value: F64s(l.self_value.clone()),
        row_start: U32s(l.row_start.clone()),
    }
}
