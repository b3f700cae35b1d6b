//! What every pprof report shares (internal/report, internal/driver): the
//! options with pprof's names and defaults, the report total, focus and
//! granularity applied in pprof's order, the trimmed graph, the output unit
//! and the header lines.
//!
//! The reports themselves, one file each, print what `go tool pprof -REPORT`
//! prints: `top` (and `-text`), `tree`, `peek`, `traces`, `tags`, `dot`,
//! `raw`, `comments`, `callgrind`; `graph` is pprof's internal/graph.

pub mod callgrind;
pub mod comments;
pub mod dot;
pub mod graph;
pub mod list;
pub mod peek;
pub mod raw;
pub mod tags;
pub mod top;
pub mod traces;
pub mod tree;

use crate::model::Profile;
use crate::transform::filter::{self, Filters};
use crate::transform::tagfilter::{num_label_units, NumLabelUnits};
use crate::transform::{self, aggregate, Granularity, TransformError};
use crate::util::timefmt;
use crate::util::units;
use graph::{go_base, Graph, GraphOptions, GraphTags, NodeInfo, NodeOrder};
use std::collections::HashSet;
use std::sync::Arc;

/// The report kinds of pprof's CLI that profdrop prints.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReportKind {
    Top,
    Text,
    Tree,
    Peek,
    Traces,
    Tags,
    Raw,
    Dot,
    Comments,
    Callgrind,
    List,
}

impl ReportKind {
    pub fn parse(s: &str) -> Option<ReportKind> {
        Some(match s {
            "top" => ReportKind::Top,
            "text" => ReportKind::Text,
            "tree" => ReportKind::Tree,
            "peek" => ReportKind::Peek,
            "traces" => ReportKind::Traces,
            "tags" => ReportKind::Tags,
            "raw" => ReportKind::Raw,
            "dot" => ReportKind::Dot,
            "comments" => ReportKind::Comments,
            "callgrind" => ReportKind::Callgrind,
            "list" => ReportKind::List,
            _ => return None,
        })
    }
    pub fn as_str(self) -> &'static str {
        match self {
            ReportKind::Top => "top",
            ReportKind::Text => "text",
            ReportKind::Tree => "tree",
            ReportKind::Peek => "peek",
            ReportKind::Traces => "traces",
            ReportKind::Tags => "tags",
            ReportKind::Raw => "raw",
            ReportKind::Dot => "dot",
            ReportKind::Comments => "comments",
            ReportKind::Callgrind => "callgrind",
            ReportKind::List => "list",
        }
    }
}

/// pprof's configuration, with its option names and defaults.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct Options {
    /// `sample_index`: a type name or position; "" picks pprof's default.
    pub sample_index: String,
    /// `mean`: divide each value by the first sample value (the count).
    pub mean: bool,
    /// `nodecount`: max nodes shown; None means pprof's default for the report
    /// (all for top/text, 80 for graphs and trees).
    pub nodecount: Option<usize>,
    /// `nodefraction`: drop nodes whose |cum| is below this share of the total.
    pub nodefraction: f64,
    /// `edgefraction`: drop edges below this share of the total.
    pub edgefraction: f64,
    /// `cum`: sort by cumulative instead of flat weight.
    pub cum: bool,
    pub granularity: Granularity,
    /// `noinlines`: attribute inlined frames to the function they were inlined into.
    pub noinlines: bool,
    /// `unit`: output unit ("minimum" picks one for the whole report).
    pub unit: String,
    /// `divide_by`: scale every value by 1/divide_by.
    pub divide_by: f64,
    /// `relative_percentages`: percentages of the focused subgraph.
    pub relative_percentages: bool,
    /// `drop_negative`: hide nodes with negative weight.
    pub drop_negative: bool,
    /// `compact_labels`: omit the profile header lines.
    pub compact_labels: bool,
    /// `trim`: apply nodecount/nodefraction/edgefraction at all.
    pub trim: bool,
    pub focus: String,
    pub ignore: String,
    pub hide: String,
    pub show: String,
    pub show_from: String,
    pub prune_from: String,
    pub tagfocus: String,
    pub tagignore: String,
    pub tagshow: String,
    pub taghide: String,
    /// `call_tree`: graph reports draw one node per call path, not per function.
    pub call_tree: bool,
    /// `tagroot` / `tagleaf`: comma-separated label keys whose values become
    /// pseudo frames at the root / leaf of every stack.
    pub tagroot: String,
    pub tagleaf: String,
    /// The regexp of the `peek` report: the nodes whose callers and callees it shows.
    pub peek: String,
    /// The regexp of the `list` report: the functions whose source it prints.
    pub list: String,
    /// `trim_path`: prefixes (`:`-separated) cut from source file names.
    pub trim_path: String,
    /// `source_path`: where sources live (`:`-separated); without
    /// `trim_path`, file names are cut up to the base name of an entry.
    pub source_path: String,
    /// `tags` as pprof since 2023 prints it (each key's total and every
    /// percentage relative to the profile total); Go 1.19's pprof, the
    /// default, prints them relative to the key's own total.
    pub tags_of_total: bool,
    /// profdrop's own, not pprof's: several sources are merged with a `file`
    /// label naming each (transform::redact::merge_with_provenance), so the
    /// tags view and tag filters split the merge by source.
    pub provenance: bool,
    /// profdrop's own: the transform stack (`transform::stack`, serialised as
    /// in the page's address, `mf:F,cp:net/http`), applied in order after the filters.
    pub tx: String,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            sample_index: String::new(),
            mean: false,
            nodecount: None,
            nodefraction: 0.005,
            edgefraction: 0.001,
            cum: false,
            granularity: Granularity::Functions,
            noinlines: false,
            unit: "minimum".into(),
            divide_by: 1.0,
            relative_percentages: false,
            drop_negative: false,
            compact_labels: false,
            trim: true,
            focus: String::new(),
            ignore: String::new(),
            hide: String::new(),
            show: String::new(),
            show_from: String::new(),
            prune_from: String::new(),
            tagfocus: String::new(),
            tagignore: String::new(),
            tagshow: String::new(),
            taghide: String::new(),
            call_tree: false,
            tagroot: String::new(),
            tagleaf: String::new(),
            peek: String::new(),
            list: String::new(),
            trim_path: String::new(),
            source_path: String::new(),
            tags_of_total: false,
            provenance: false,
            tx: String::new(),
        }
    }
}

impl Options {
    /// The `Active filters:` lines pprof prints, in its order.
    pub fn active_filters(&self) -> Vec<String> {
        [
            ("focus", &self.focus),
            ("ignore", &self.ignore),
            ("hide", &self.hide),
            ("show", &self.show),
            ("show_from", &self.show_from),
            ("tagfocus", &self.tagfocus),
            ("tagignore", &self.tagignore),
            ("tagshow", &self.tagshow),
            ("taghide", &self.taghide),
        ]
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={v}"))
        .collect()
    }

    /// The filter expressions, for `transform::filter::apply`.
    pub fn filters(&self) -> Filters {
        Filters {
            focus: self.focus.clone(),
            ignore: self.ignore.clone(),
            hide: self.hide.clone(),
            show: self.show.clone(),
            show_from: self.show_from.clone(),
            prune_from: self.prune_from.clone(),
            tagfocus: self.tagfocus.clone(),
            tagignore: self.tagignore.clone(),
            tagshow: self.tagshow.clone(),
            taghide: self.taghide.clone(),
        }
    }
}

/// Options after pprof's per-command overrides (applyCommandOverrides).
fn command_overrides(kind: ReportKind, o: &Options) -> Options {
    let mut o = o.clone();
    let mut trim = o.trim;
    match kind {
        ReportKind::Peek => trim = false,
        // pprof keeps `noinlines` as given, so `-list F -noinlines` works.
        ReportKind::List => {
            trim = false;
            o.granularity = Granularity::Lines;
        }
        ReportKind::Top | ReportKind::Text => {
            o.nodecount.get_or_insert(0);
        }
        _ => {
            o.nodecount.get_or_insert(80);
        }
    }
    if matches!(kind, ReportKind::Raw | ReportKind::Callgrind) {
        trim = false;
        o.granularity = Granularity::Addresses;
        o.noinlines = false;
    }
    if !trim {
        o.nodecount = Some(0);
        o.nodefraction = 0.0;
        o.edgefraction = 0.0;
    }
    o
}

/// A report ready to print: the profile as filtered and aggregated, the total
/// the percentages refer to, and the resolved options.
pub struct Report {
    pub kind: ReportKind,
    pub prof: Profile,
    pub total: i64,
    pub options: Options,
    pub sample_index: usize,
    pub mean_divisor: Option<usize>,
    /// The `Type:` line: the sample type, `mean_` prefixed for mean reports.
    pub sample_type: String,
    /// The sample unit, lower-cased as pprof does.
    pub sample_unit: String,
    /// The unit values are printed in (resolved from "minimum" by `select_output_unit`).
    pub output_unit: String,
    pub ratio: f64,
    /// Which filters matched nothing, by option name ("focus", "tagignore"...),
    /// for the page to say so; `filter::unmatched_message` words them as pprof.
    pub unmatched: Vec<String>,
    /// What pprof writes to stderr while preparing the report: notes on tag
    /// filters read as ranges, numeric labels with several units, and the
    /// filters that matched nothing, in pprof's order.
    pub notes: Vec<String>,
    /// Units of the numeric labels (pprof's NumLabelUnits), before filtering.
    pub num_label_units: NumLabelUnits,
    /// Render `Time:` in UTC rather than the local zone.
    pub utc: bool,
}

/// The graph a text or graph report draws, with what trimming removed.
pub struct TrimmedGraph {
    pub graph: Graph,
    pub orig_count: usize,
    pub dropped_nodes: usize,
    pub dropped_edges: usize,
}

/// pprof's computeTotal: sum of |value| (of the base samples for -diff_base),
/// divided by the summed divisor for mean reports.
pub fn compute_total(p: &Profile, index: usize, mean_divisor: Option<usize>) -> i64 {
    let base_key = p.strings.find("pprof::base");
    let base_true = p.strings.find("true");
    let (mut div, mut total, mut diff_div, mut diff_total) = (0i64, 0i64, 0i64, 0i64);
    for i in 0..p.samples.len() {
        let row = p.sample_values(i);
        let mut v = row[index];
        let d = mean_divisor.map_or(0, |k| row[k]);
        if v < 0 {
            v = v.wrapping_neg();
        }
        total = total.wrapping_add(v);
        div = div.wrapping_add(d);
        if let (Some(k), Some(t)) = (base_key, base_true) {
            if p.sample_labels(i).strs.iter().any(|&(kk, vv)| kk == k && vv == t) {
                diff_total = diff_total.wrapping_add(v);
                diff_div = diff_div.wrapping_add(d);
            }
        }
    }
    if diff_total > 0 {
        total = diff_total;
        div = diff_div;
    }
    if div != 0 {
        total / div
    } else {
        total
    }
}

/// pprof's trimPath: with no `trim_path`, the first `source_path` entry
/// whose base name appears as a directory in `path` cuts everything up to
/// it; then the `trim_path` prefixes and `/proc/self/cwd/` are removed.
pub fn trim_path<'a>(path: &'a str, trim: &str, search: &str) -> &'a str {
    let list = |s: &str| -> Vec<String> {
        if s.is_empty() {
            Vec::new()
        } else {
            s.split(':').map(str::to_string).collect()
        }
    };
    if trim.is_empty() {
        for dir in list(search) {
            let want = format!("/{}/", go_base(&dir));
            if let Some(found) = path.find(&want) {
                return &path[found + want.len()..];
            }
        }
    }
    let mut prefixes = list(trim);
    prefixes.push("/proc/self/cwd/./".into());
    prefixes.push("/proc/self/cwd/".into());
    for mut prefix in prefixes {
        if !prefix.ends_with('/') {
            prefix.push('/');
        }
        if let Some(rest) = path.strip_prefix(prefix.as_str()) {
            return rest;
        }
    }
    path
}

impl Report {
    /// pprof's generateRawReport: resolve the sample index and total, then
    /// apply the filters and the granularity (percentages keep referring to
    /// the unfiltered total unless `relative_percentages`).
    pub fn new(p: &Profile, kind: ReportKind, options: &Options) -> Result<Report, TransformError> {
        Ok(Report::unaggregated(p, kind, options)?.aggregate())
    }

    /// [`Report::new`] up to the granularity: the sample index and total
    /// resolved and the filters applied, the profile (`prof`) still holding
    /// every location and line. What an export writes as a pprof file.
    pub fn unaggregated(p: &Profile, kind: ReportKind, options: &Options) -> Result<Report, TransformError> {
        let o = command_overrides(kind, options);
        let mut unmatched = Vec::new();
        let mut notes = Vec::new();
        // Reports that list samples show them as pprof holds them after
        // loading: merged by stack and labels, in first-seen order.
        let mut prof =
            if matches!(kind, ReportKind::Traces | ReportKind::Raw) { transform::merge(&[p])? } else { p.clone() };
        let units = num_label_units(&prof);
        notes.extend(units.messages());
        if !o.tagroot.is_empty() || !o.tagleaf.is_empty() {
            let split = |s: &str| s.split(',').filter(|k| !k.is_empty()).map(str::to_string).collect::<Vec<_>>();
            let (q, rootm, leafm) =
                transform::labelnodes::add_label_nodes(&prof, &split(&o.tagroot), &split(&o.tagleaf), &o.unit);
            prof = q;
            for (set, matched, name) in [(&o.tagroot, rootm, "TagRoot"), (&o.tagleaf, leafm, "TagLeaf")] {
                if !set.is_empty() && !matched {
                    notes.push(format!("{name} expression matched no samples"));
                }
            }
        }
        if o.relative_percentages {
            prof = apply_filters(prof, &o, &units, &mut unmatched, &mut notes)?;
        }
        let index = transform::sample_index(&prof, &o.sample_index)?;
        let mean_divisor = if o.mean { Some(0) } else { None };
        let mut sample_type = prof.sample_type_name(index).to_string();
        if o.mean {
            sample_type = format!("mean_{sample_type}");
        }
        if o.divide_by == 0.0 {
            return Err(TransformError("zero divisor specified".into()));
        }
        let sample_unit = prof.sample_type_unit(index).to_lowercase();
        let total = compute_total(&prof, index, mean_divisor);
        if !o.relative_percentages {
            prof = apply_filters(prof, &o, &units, &mut unmatched, &mut notes)?;
        }
        Ok(Report {
            kind,
            prof,
            total,
            output_unit: o.unit.clone(),
            ratio: 1.0 / o.divide_by,
            options: o,
            sample_index: index,
            mean_divisor,
            sample_type,
            sample_unit,
            unmatched,
            notes,
            num_label_units: units,
            utc: false,
        })
    }

    /// The granularity applied and file names trimmed: the rest of [`Report::new`].
    fn aggregate(mut self) -> Report {
        let o = &self.options;
        let mut prof = aggregate(&self.prof, o.granularity, o.noinlines);
        let trim = |f: &str| trim_path(f, &o.trim_path, &o.source_path).len() != f.len();
        if prof.functions.iter().any(|f| trim(prof.str(f.filename))) {
            for i in 0..prof.functions.len() {
                let name = prof.str(prof.functions[i].filename).to_string();
                let trimmed = trim_path(&name, &o.trim_path, &o.source_path).to_string();
                prof.functions[i].filename = prof.strings.intern(&trimmed);
            }
        }
        self.prof = prof;
        self
    }

    /// Whether graph nodes are per call path (`call_tree`, honoured by graph
    /// reports only, as in pprof).
    pub fn call_tree(&self) -> bool {
        self.options.call_tree && matches!(self.kind, ReportKind::Dot | ReportKind::Callgrind)
    }

    pub fn graph_options(&self) -> GraphOptions {
        GraphOptions {
            sample_index: self.sample_index,
            mean_divisor: self.mean_divisor,
            obj_names: matches!(self.kind, ReportKind::Raw | ReportKind::Callgrind | ReportKind::List),
            orig_fn_names: false,
            drop_negative: self.options.drop_negative,
            call_tree: self.call_tree(),
            tags: None,
        }
    }

    /// The node tags of a graph report, as pprof's report.newGraph makes
    /// them: string labels except `pprof::base`, and the numeric `bytes`
    /// label only, formatted in the configured output unit.
    pub fn graph_tags(&self) -> GraphTags {
        let bytes_unit = self.num_label_units.unit("bytes").to_string();
        let unit = self.options.unit.clone();
        GraphTags::build(
            &self.prof,
            |k| k != "pprof::base",
            |k| (k == "bytes").then(|| bytes_unit.clone()),
            |v, u| units::scaled_label(v, u, &unit),
        )
    }

    /// pprof's formatValue: ratio applied, scaled to the output unit.
    pub fn format_value(&self, v: i64) -> String {
        let v = if self.ratio > 0.0 && self.ratio != 1.0 { (v as f64 * self.ratio) as i64 } else { v };
        units::scaled_label(v, &self.sample_unit, &self.output_unit)
    }

    pub fn build_graph(&self, kept: Option<&HashSet<NodeInfo>>) -> Graph {
        Graph::build(&self.prof, &self.graph_options(), kept)
    }

    /// pprof's newTrimmedGraph. pprof rebuilds the graph after each trimming
    /// step; since a kept node's weights do not depend on which other nodes
    /// are kept, the kept set is decided on a nodes-only graph where the
    /// order allows it, and the graph with edges is built once, for it.
    pub fn trimmed_graph(&self) -> TrimmedGraph {
        let o = &self.options;
        let visual = self.kind == ReportKind::Dot;
        let mut go = self.graph_options();
        if visual {
            go.tags = Some(Arc::new(self.graph_tags()));
        }
        let order = if visual {
            NodeOrder::Entropy
        } else if o.cum {
            NodeOrder::CumName
        } else {
            NodeOrder::FlatName
        };
        if go.call_tree {
            return self.trimmed_tree(&go, order);
        }
        let nodes_only = GraphOptions { tags: None, ..go.clone() };
        let mut g = Graph::build_nodes(&self.prof, &nodes_only, None);
        let (total_value, _) = g.sum();
        let node_cutoff = ((total_value as f64 * o.nodefraction) as i64).wrapping_abs();
        let edge_cutoff = ((total_value as f64 * o.edgefraction) as i64).wrapping_abs();
        let mut dropped_nodes = 0;
        let mut kept: Option<HashSet<NodeInfo>> = None;
        if node_cutoff > 0 {
            let above = g.nodes_above_cutoff(node_cutoff);
            if above.len() != g.order.len() {
                dropped_nodes = g.order.len() - above.len();
                g.order.retain(|&i| above.contains(&g.nodes[i].info));
                kept = Some(above);
            }
        }
        let orig_count = g.order.len();
        let nodecount = o.nodecount.unwrap_or(0);
        // The graph of the kept nodes once trimmed edges and tags ran over it.
        let mut pretrimmed: Option<Graph> = None;
        if nodecount > 0 {
            // The entropy order needs edges; the others only weights and names.
            if visual {
                g = Graph::build(&self.prof, &go, kept.as_ref());
            }
            g.sort(order);
            g.trim_low_frequency_tags(node_cutoff);
            if visual {
                g.trim_low_frequency_edges(edge_cutoff);
            }
            let top = self.select_top_nodes(&g, nodecount, visual);
            if top.len() != g.order.len() {
                kept = Some(top.iter().map(|&n| g.nodes[n].info.clone()).collect());
            } else {
                pretrimmed = Some(g);
            }
        }
        let (mut g, dropped_edges) = match pretrimmed {
            // pprof trims edges before selecting the top nodes and again
            // after; only the second trim is reported, and it finds nothing
            // unless the graph was rebuilt in between.
            Some(mut g) if visual => {
                g.trim_low_frequency_edges(edge_cutoff);
                (g, 0)
            }
            Some(_) => {
                let mut g = Graph::build(&self.prof, &go, kept.as_ref());
                g.sort(order);
                g.trim_low_frequency_edges(edge_cutoff);
                (g, 0)
            }
            None => {
                let mut g = Graph::build(&self.prof, &go, kept.as_ref());
                g.sort(order);
                let dropped = g.trim_low_frequency_edges(edge_cutoff);
                (g, dropped)
            }
        };
        g.trim_low_frequency_tags(node_cutoff);
        if visual {
            g.remove_redundant_edges();
        }
        TrimmedGraph { graph: g, orig_count, dropped_nodes, dropped_edges }
    }

    /// newTrimmedGraph for `call_tree`: trimming cuts the tree itself.
    fn trimmed_tree(&self, go: &GraphOptions, order: NodeOrder) -> TrimmedGraph {
        let o = &self.options;
        let visual = order == NodeOrder::Entropy;
        let mut g = Graph::build(&self.prof, go, None);
        let (total_value, _) = g.sum();
        let node_cutoff = ((total_value as f64 * o.nodefraction) as i64).wrapping_abs();
        let edge_cutoff = ((total_value as f64 * o.edgefraction) as i64).wrapping_abs();
        let mut dropped_nodes = 0;
        let mask = |g: &Graph, keep: &[usize]| {
            let mut m = vec![false; g.nodes.len()];
            for &i in keep {
                m[i] = true;
            }
            m
        };
        if node_cutoff > 0 {
            let above: Vec<usize> =
                g.order.iter().copied().filter(|&i| g.nodes[i].cum.wrapping_abs() >= node_cutoff).collect();
            if above.len() != g.order.len() {
                dropped_nodes = g.order.len() - above.len();
                let m = mask(&g, &above);
                g.trim_tree(&m);
            }
        }
        let orig_count = g.order.len();
        g.sort(order);
        let nodecount = o.nodecount.unwrap_or(0);
        if nodecount > 0 {
            g.trim_low_frequency_tags(node_cutoff);
            g.trim_low_frequency_edges(edge_cutoff);
            let top = self.select_top_nodes(&g, nodecount, visual);
            if top.len() != g.order.len() {
                let m = mask(&g, &top);
                g.trim_tree(&m);
                g.sort(order);
            }
        }
        g.trim_low_frequency_tags(node_cutoff);
        let dropped_edges = g.trim_low_frequency_edges(edge_cutoff);
        if visual {
            g.remove_redundant_edges();
        }
        TrimmedGraph { graph: g, orig_count, dropped_nodes, dropped_edges }
    }

    /// pprof's selectTopNodes: the first `max` nodes in order. In visual mode
    /// each node also counts the tag boxes drawn beside it.
    fn select_top_nodes(&self, g: &Graph, max: usize, visual: bool) -> Vec<usize> {
        let mut max = max;
        if visual {
            let mut count = 0;
            for (i, &n) in g.order.iter().enumerate() {
                let tags = self.tag_count(n, g).min(MAX_NODELETS);
                count += tags + 1;
                if count >= max {
                    max = i + 1;
                    break;
                }
            }
        }
        g.order.iter().take(max).copied().collect()
    }

    /// Tag boxes of node `n` in a graph report (label and numeric tags with flat weight).
    pub fn tag_count(&self, n: usize, g: &Graph) -> usize {
        g.nodes[n].count_tags()
    }

    /// pprof's selectOutputUnit for `unit=minimum`.
    pub fn select_output_unit(&mut self, g: &Graph) {
        if self.output_unit != "minimum" || g.order.is_empty() {
            return;
        }
        let mut min_value = 0i64;
        for n in g.live_nodes() {
            let mut node_min = n.flat_value().wrapping_abs();
            if node_min == 0 {
                node_min = n.cum_value().wrapping_abs();
            }
            if node_min > 0 && (min_value == 0 || node_min < min_value) {
                min_value = node_min;
            }
        }
        let mut max_value = self.total;
        if min_value == 0 {
            min_value = max_value;
        }
        let r = self.ratio;
        if r > 0.0 && r != 1.0 {
            min_value = (min_value as f64 * r) as i64;
            max_value = (max_value as f64 * r) as i64;
        }
        let (_, min_unit) = units::scale(min_value, &self.sample_unit, "minimum");
        let (_, max_unit) = units::scale(max_value, &self.sample_unit, "minimum");
        let mut unit = min_unit.clone();
        if min_unit != max_unit && min_value.wrapping_mul(100) < max_value && self.kind != ReportKind::Callgrind {
            unit = units::scale(min_value.wrapping_mul(100), &self.sample_unit, "minimum").1;
        }
        self.output_unit = if unit.is_empty() { self.sample_unit.clone() } else { unit };
    }

    fn format_time(&self, nanos: i64) -> String {
        if self.utc {
            timefmt::format_profile_time_utc(nanos)
        } else {
            timefmt::format_profile_time(nanos)
        }
    }

    /// pprof's ProfileLabels: File, Build ID, comments, Type, Time, Duration.
    pub fn profile_labels(&self) -> Vec<String> {
        let p = &self.prof;
        let mut label = Vec::new();
        if let Some(m) = p.mappings.first() {
            let file = p.str(m.file);
            if !file.is_empty() {
                label.push(format!("File: {}", go_base(file)));
            }
            let build_id = p.str(m.build_id);
            if !build_id.is_empty() {
                label.push(format!("Build ID: {build_id}"));
            }
        }
        for &c in &p.comments {
            let c = p.str(c);
            if !c.starts_with('#') {
                label.push(c.to_string());
            }
        }
        if !self.sample_type.is_empty() {
            label.push(format!("Type: {}", self.sample_type));
        }
        if p.time_nanos != 0 {
            label.push(format!("Time: {}", self.format_time(p.time_nanos)));
        }
        if p.duration_nanos != 0 {
            let duration = units::label(p.duration_nanos, "nanoseconds");
            let (total_nanos, total_unit) = units::scale(self.total, &self.sample_unit, "nanoseconds");
            let ratio = if total_unit == "ns" && total_nanos != 0.0 {
                format!("({})", units::percentage(total_nanos as i64, p.duration_nanos))
            } else {
                String::new()
            };
            label.push(format!("Duration: {duration}, Total samples = {} {ratio}", self.format_value(self.total)));
        }
        label
    }

    /// pprof's reportLabels: header, active filters, what is shown and dropped.
    pub fn report_labels(&self, g: &TrimmedGraph, dropped_edges: usize, full_headers: bool) -> Vec<String> {
        let o = &self.options;
        let mut label = Vec::new();
        if full_headers || !o.compact_labels {
            label = self.profile_labels();
        }
        let flat_sum = g.graph.live_nodes().fold(0i64, |a, n| a.wrapping_add(n.flat_value()));
        let filters = o.active_filters();
        if !filters.is_empty() {
            label.push("Active filters:".into());
            for f in filters {
                let f =
                    if f.chars().count() > 80 { format!("{}…", f.chars().take(80).collect::<String>()) } else { f };
                label.push(format!("   {f}"));
            }
        }
        label.push(format!(
            "Showing nodes accounting for {}, {} of {} total",
            self.format_value(flat_sum),
            units::percentage(flat_sum, self.total).trim(),
            self.format_value(self.total)
        ));
        if self.total != 0 {
            if g.dropped_nodes > 0 {
                label.push(dropped_label(
                    g.dropped_nodes,
                    "node",
                    "cum",
                    &self.format_value(((self.total as f64 * o.nodefraction) as i64).wrapping_abs()),
                ));
            }
            if dropped_edges > 0 {
                label.push(dropped_label(
                    dropped_edges,
                    "edge",
                    "freq",
                    &self.format_value(((self.total as f64 * o.edgefraction) as i64).wrapping_abs()),
                ));
            }
            let node_count = g.graph.order.len();
            if node_count > 0 && node_count < g.orig_count {
                label.push(format!("Showing top {} nodes out of {}", node_count, g.orig_count));
            }
        }
        if full_headers {
            label.push("\nSee https://git.io/JfYMW for how to read the graph".into());
        }
        label
    }
}

const MAX_NODELETS: usize = 4;

fn dropped_label(d: usize, what: &str, by: &str, value: &str) -> String {
    let s = if d > 1 { "s" } else { "" };
    format!("Dropped {d} {what}{s} ({by} <= {value})")
}

/// Applies focus/ignore/hide/show/show_from/prune_from and the tag filters
/// in pprof's order, recording the filters that matched nothing.
pub fn apply_filters(
    p: Profile,
    o: &Options,
    units: &NumLabelUnits,
    unmatched: &mut Vec<String>,
    notes: &mut Vec<String>,
) -> Result<Profile, TransformError> {
    let (q, outcome) = filter::apply(p, &o.filters(), units)?;
    notes.extend(outcome.notes);
    for name in outcome.unmatched {
        notes.push(filter::unmatched_message(name));
        unmatched.push(name.to_string());
    }
    if o.tx.is_empty() {
        return Ok(q);
    }
    let (q, outcome) = transform::stack::apply(q, &transform::stack::parse(&o.tx)?);
    notes.extend(outcome.notes);
    Ok(q)
}
