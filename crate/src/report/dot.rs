//! pprof's `-dot` (report.printDOT, graph/dotgraph.go): the trimmed call
//! graph in Graphviz's language, node for node and attribute for attribute
//! as pprof writes it: legend, nodes sized by flat weight and colored by cum,
//! label and numeric tag boxes ("nodelets"), residual edges dotted, inlined
//! calls marked. The page lays this text out with a Graphviz build.
//!
//! One deliberate difference: strings from the profile that pprof writes
//! into quoted DOT strings unescaped (tag values, file and binary names in
//! node labels, the title) are escaped here when they hold `\` or `"`, so
//! a profile cannot end a string early and add Graphviz attributes (a
//! `URL`, say) to the drawing. Other strings print exactly as in pprof.

use super::graph::{dot_quoted, shorten_function_name, Graph, NodeInfo, TagWeights};
use super::Report;
use crate::util::escape;
use crate::util::sort::SortRows;
use crate::util::units;

/// Number of nodelets for labels (both numeric and non).
const MAX_NODELETS: usize = 4;

/// pprof's escapeForDot: backslashes and quotes escaped, newlines made
/// left-justified line breaks.
/// Other control, bidi and zero-width characters are shown as Go escapes
/// (util/escape.rs) first: Graphviz refuses some of them, and one such name
/// must not break the whole graph.
pub fn escape_for_dot(s: &str) -> String {
    let shown: String = if s.chars().any(|c| c != '\n' && escape::is_hidden(c)) {
        s.split('\n').map(|part| escape::visible(part).into_owned()).collect::<Vec<_>>().join("\n")
    } else {
        s.to_string()
    };
    shown.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\l")
}

/// pprof's dotColor: `score` in [-1, 1] from green through grey to red;
/// light for backgrounds.
pub fn dot_color(score: f64, background: bool) -> String {
    const SHIFT: f64 = 0.7;
    let (mut saturation, value) = if background { (0.1, 0.93) } else { (1.0, 0.7) };
    // Go's math.Max/Min keep a NaN.
    let mut score = if score.is_nan() { score } else { score.clamp(-1.0, 1.0) };
    if score.abs() < 0.2 {
        saturation *= score.abs() / 0.2;
    }
    if score > 0.0 {
        score = score.powf(1.0 - SHIFT);
    }
    if score < 0.0 {
        score = -(-score).powf(1.0 - SHIFT);
    }
    let (r, g);
    if score < 0.0 {
        g = value;
        r = value * (1.0 + saturation * score);
    } else {
        r = value;
        g = value * (1.0 - saturation * score);
    }
    let b = value * (1.0 - saturation);
    format!("#{:02x}{:02x}{:02x}", (r * 255.0) as u8, (g * 255.0) as u8, (b * 255.0) as u8)
}

/// pprof's multilinePrintableName: the short function name split at `.`
/// and `::`, the file's base name, each on its own line.
fn multiline_name(info: &NodeInfo) -> String {
    let mut i = info.clone();
    let name = escape_for_dot(&shorten_function_name(&i.name));
    i.name = name.replace("::", "\\n").replace("[...]", "[…]").replace('.', "\\n");
    if !i.file.is_empty() {
        i.file = super::graph::go_base(&i.file).to_string();
    }
    // pprof leaves file names raw here; quoted so they cannot end the label.
    i.file = dot_quoted(&i.file);
    i.objfile = dot_quoted(&i.objfile);
    i.name_components().join("\\n") + "\\n"
}

/// A tag box as pprof's dot builder handles it.
#[derive(Clone, Debug)]
struct DotTag {
    /// The string labels a tag goes with (an index into GraphTags::labels).
    label: u32,
    name: String,
    unit: String,
    value: i64,
    w: TagWeights,
}

/// pprof's SortTags: by |cum| (unless `flat`), then |flat|, then name.
fn sort_tags(ts: &mut [DotTag], flat: bool) {
    ts.sort_rows_by(|a, b| {
        let by_cum = if flat { std::cmp::Ordering::Equal } else { b.w.cum.wrapping_abs().cmp(&a.w.cum.wrapping_abs()) };
        by_cum.then_with(|| b.w.flat.wrapping_abs().cmp(&a.w.flat.wrapping_abs())).then_with(|| a.name.cmp(&b.name))
    });
}

fn tag_distance(t: &DotTag, u: &DotTag) -> f64 {
    let (v, _) = units::scale(u.value, &u.unit, &t.unit);
    (v - t.value as f64).abs()
}

/// pprof's tagGroupLabel: a group of numeric tags as "min..max".
fn tag_group(g: &[DotTag]) -> DotTag {
    if g.len() == 1 {
        let t = &g[0];
        let w = TagWeights { flat: t.w.flat_value(), cum: t.w.cum_value(), ..Default::default() };
        return DotTag { label: t.label, name: units::label(t.value, &t.unit), unit: String::new(), value: 0, w };
    }
    let (mut min, mut max) = (&g[0], &g[0]);
    let (mut f, mut df, mut c, mut dc) = (min.w.flat, min.w.flat_div, min.w.cum, min.w.cum_div);
    for t in &g[1..] {
        if (units::scale(t.value, &t.unit, &min.unit).0 as i64) < min.value {
            min = t;
        }
        if (units::scale(t.value, &t.unit, &max.unit).0 as i64) > max.value {
            max = t;
        }
        f = f.wrapping_add(t.w.flat);
        df = df.wrapping_add(t.w.flat_div);
        c = c.wrapping_add(t.w.cum);
        dc = dc.wrapping_add(t.w.cum_div);
    }
    if df != 0 {
        f /= df;
    }
    if dc != 0 {
        c /= dc;
    }
    let name = format!("{}..{}", units::label(min.value, &min.unit), units::label(max.value, &max.unit));
    DotTag {
        label: g[0].label,
        name,
        unit: String::new(),
        value: 0,
        w: TagWeights { flat: f, cum: c, ..Default::default() },
    }
}

/// pprof's collapsedTags: at most `count` tags, the rest grouped with the
/// nearest of the first ones.
fn collapsed_tags(mut ts: Vec<DotTag>, count: usize, flat: bool) -> Vec<DotTag> {
    sort_tags(&mut ts, flat);
    if ts.len() <= count {
        return ts;
    }
    let mut groups: Vec<Vec<DotTag>> = ts[..count].iter().map(|t| vec![t.clone()]).collect();
    for t in &ts[count..] {
        let (mut g, mut d) = (0, tag_distance(t, &groups[0][0]));
        for (i, grp) in groups.iter().enumerate().skip(1) {
            let nd = tag_distance(t, &grp[0]);
            if nd < d {
                g = i;
                d = nd;
            }
        }
        groups[g].push(t.clone());
    }
    let mut out: Vec<DotTag> = groups.iter().map(|g| tag_group(g)).collect();
    sort_tags(&mut out, flat);
    out
}

struct Builder<'a> {
    rpt: &'a Report,
    g: &'a Graph,
    out: String,
}

impl Builder<'_> {
    fn value(&self, v: i64) -> String {
        self.rpt.format_value(v)
    }

    fn pct(&self, v: i64) -> String {
        units::percentage(v, self.rpt.total).trim().to_string()
    }

    fn node(&mut self, n: usize, id: usize, max_flat: f64) {
        let node = &self.g.nodes[n];
        let (flat, cum) = (node.flat_value(), node.cum_value());
        let mut label = multiline_name(&node.info);
        let flat_value = self.value(flat);
        if flat != 0 {
            label += &format!("{flat_value} ({})", self.pct(flat));
        } else {
            label += "0";
        }
        let mut cum_value = flat_value;
        if cum != flat {
            label += if flat != 0 { "\\n" } else { " " };
            cum_value = self.value(cum);
            label += &format!("of {cum_value} ({})", self.pct(cum));
        }
        // Font sizes from 8 to 24, growing with the root of the flat share.
        let mut font_size = 8;
        let af = flat.wrapping_abs() as f64;
        if max_flat != 0.0 && flat != 0 && af <= max_flat {
            font_size += (16.0 * (af / max_flat).sqrt()).ceil() as i64;
        }
        let share = cum as f64 / self.rpt.total.wrapping_abs() as f64;
        self.out.push_str(&format!(
            "N{id} [label=\"{label}\" id=\"node{id}\" fontsize={font_size} shape=box tooltip=\"{} ({cum_value})\" color=\"{}\" fillcolor=\"{}\"]\n",
            escape_for_dot(node.printable_name()),
            dot_color(share, false),
            dot_color(share, true),
        ));
    }

    /// The tag boxes of node `n`; returns whether it drew any.
    fn nodelets(&mut self, n: usize, id: usize) -> bool {
        let node = &self.g.nodes[n];
        let Some(tags) = self.g.tags.as_deref() else { return false };
        let mut ts: Vec<DotTag> = node
            .label_tags
            .iter()
            .map(|(&l, w)| DotTag {
                label: l,
                name: tags.labels[l as usize].clone(),
                unit: String::new(),
                value: 0,
                w: *w,
            })
            .collect();
        // Numeric tags by the labels they came with.
        let numeric: Vec<DotTag> = node
            .numeric_tags
            .iter()
            .map(|(&(label, t), nt)| {
                let (name, unit) = &tags.numeric[t as usize];
                DotTag { label, name: name.clone(), unit: unit.clone(), value: nt.value, w: nt.w }
            })
            .collect();
        let numeric_of = |label: u32| -> Vec<DotTag> { numeric.iter().filter(|t| t.label == label).cloned().collect() };
        // Leaves show cum tags (weight of trimmed children included),
        // inner nodes flat ones.
        let flat_tags = !node.out.is_empty();
        sort_tags(&mut ts, flat_tags);
        ts.truncate(MAX_NODELETS);
        let mut s = String::new();
        for (i, t) in ts.iter().enumerate() {
            let w = if flat_tags { t.w.flat_value() } else { t.w.cum_value() };
            if w == 0 {
                continue;
            }
            let weight = self.value(w);
            s += &format!(
                "N{id}_{i} [label = \"{}\" id=\"N{id}_{i}\" fontsize=8 shape=box3d tooltip=\"{weight}\"]\n",
                t.name
            );
            s += &format!(
                "N{id} -> N{id}_{i} [label=\" {weight}\" weight=100 tooltip=\"{weight}\" labeltooltip=\"{weight}\"]\n"
            );
            let nts = numeric_of(t.label);
            if !nts.is_empty() {
                s += &self.numeric_nodelets(nts, flat_tags, &format!("N{id}_{i}"));
            }
        }
        let nts = numeric_of(0);
        if !nts.is_empty() {
            s += &self.numeric_nodelets(nts, flat_tags, &format!("N{id}"));
        }
        self.out.push_str(&s);
        !s.is_empty()
    }

    fn numeric_nodelets(&self, nts: Vec<DotTag>, flat_tags: bool, source: &str) -> String {
        let mut s = String::new();
        for (j, t) in collapsed_tags(nts, MAX_NODELETS, flat_tags).iter().enumerate() {
            let (mut w, mut attr) = (t.w.cum_value(), " style=\"dotted\"");
            if flat_tags || t.w.flat_value() == t.w.cum_value() {
                w = t.w.flat_value();
                attr = "";
            }
            if w != 0 {
                let weight = self.value(w);
                s += &format!(
                    "N{source}_{j} [label = \"{}\" id=\"N{source}_{j}\" fontsize=8 shape=box3d tooltip=\"{weight}\"]\n",
                    t.name
                );
                s += &format!(
                    "{source} -> N{source}_{j} [label=\" {weight}\" weight=100 tooltip=\"{weight}\" labeltooltip=\"{weight}\"{attr}]\n"
                );
            }
        }
        s
    }

    fn edge(&mut self, e: usize, from: usize, to: usize, has_nodelets: bool) {
        let edge = &self.g.edges[e];
        let total = self.rpt.total;
        let wv = edge.weight_value();
        let inline = if edge.inline { "\\n (inline)" } else { "" };
        let w = self.value(wv);
        let mut attr = format!("label=\" {w}{inline}\"");
        if total != 0 {
            // An edge can outweigh the total in a diff.
            let weight = 1 + wv.wrapping_mul(100).wrapping_div(total).wrapping_abs().min(100);
            if weight > 1 {
                attr += &format!(" weight={weight}");
            }
            let width = 1 + wv.wrapping_mul(5).wrapping_div(total).wrapping_abs().min(5);
            if width > 1 {
                attr += &format!(" penwidth={width}");
            }
            attr += &format!(" color=\"{}\"", dot_color(wv as f64 / total.wrapping_abs() as f64, false));
        }
        let arrow = if edge.residual { "..." } else { "->" };
        let tooltip = format!(
            "\"{} {arrow} {} ({w})\"",
            escape_for_dot(self.g.nodes[edge.src].printable_name()),
            escape_for_dot(self.g.nodes[edge.dest].printable_name())
        );
        attr += &format!(" tooltip={tooltip} labeltooltip={tooltip}");
        if edge.residual {
            attr += " style=\"dotted\"";
        }
        if has_nodelets {
            attr += " minlen=2";
        }
        self.out.push_str(&format!("N{from} -> N{to} [{attr}]\n"));
    }
}

/// The graph's title: the main binary's base name (pprof's Title).
fn title(rpt: &Report) -> String {
    rpt.prof
        .mappings
        .first()
        .map(|m| rpt.prof.str(m.file))
        .filter(|f| !f.is_empty())
        .map(|f| super::graph::go_base(f).to_string())
        .unwrap_or_default()
}

/// A node of the drawn graph: its DOT id (`N{id}`, element id `node{id}`
/// in Graphviz's SVG), full name and weights, for the page's hover and
/// click-to-focus.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct DotNode {
    pub id: usize,
    pub name: String,
    pub flat: i64,
    pub cum: i64,
}

/// The DOT text and its nodes in id order.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct DotGraph {
    pub dot: String,
    pub nodes: Vec<DotNode>,
}

/// pprof's GetDOT + ComposeDot.
pub fn build_dot(rpt: &mut Report) -> DotGraph {
    let tg = rpt.trimmed_graph();
    rpt.select_output_unit(&tg.graph);
    let labels = rpt.report_labels(&tg, tg.dropped_edges, true);
    let g = &tg.graph;
    let nodes = g
        .order
        .iter()
        .enumerate()
        .map(|(k, &n)| DotNode {
            id: k + 1,
            name: g.nodes[n].printable_name().to_string(),
            flat: g.nodes[n].flat_value(),
            cum: g.nodes[n].cum_value(),
        })
        .collect();
    DotGraph { dot: compose(rpt, g, &labels), nodes }
}

/// `-dot`.
pub fn render_text(rpt: &mut Report) -> String {
    build_dot(rpt).dot
}

/// pprof's ComposeDot over an already trimmed graph.
pub fn compose(rpt: &Report, g: &Graph, labels: &[String]) -> String {
    // The binary's name, quoted (pprof writes it raw).
    let title = dot_quoted(&title(rpt));
    let mut b = Builder { rpt, g, out: String::new() };
    let name = if title.is_empty() { "unnamed" } else { &title };
    b.out.push_str(&format!("digraph \"{name}\" {{\n"));
    b.out.push_str("node [style=filled fillcolor=\"#f8f8f8\"]\n");
    if let Some(first) = labels.first() {
        let all: Vec<String> = labels.iter().map(|l| escape_for_dot(l)).collect();
        b.out.push_str(&format!(
            "subgraph cluster_L {{ \"{}\" [shape=box fontsize=16 label=\"{}\\l\"",
            escape_for_dot(first),
            all.join("\\l")
        ));
        if !title.is_empty() {
            b.out.push_str(&format!(" tooltip=\"{title}\""));
        }
        b.out.push_str("] }\n");
    }
    if !g.order.is_empty() {
        let mut ids = vec![0usize; g.nodes.len()];
        let mut max_flat = g.nodes[g.order[0]].flat_value().wrapping_abs() as f64;
        for (k, &n) in g.order.iter().enumerate() {
            ids[n] = k + 1;
            max_flat = max_flat.max(g.nodes[n].flat_value().wrapping_abs() as f64);
        }
        let mut has_nodelets = vec![false; g.nodes.len()];
        let mut edges = Vec::new();
        for &n in &g.order {
            b.node(n, ids[n], max_flat);
            has_nodelets[n] = b.nodelets(n, ids[n]);
            edges.extend(g.nodes[n].out.values().copied());
        }
        g.sort_edges(&mut edges);
        for e in edges {
            let (s, d) = (g.edges[e].src, g.edges[e].dest);
            b.edge(e, ids[s], ids[d], has_nodelets[s]);
        }
    }
    b.out.push_str("}\n");
    b.out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes() {
        assert_eq!(escape_for_dot("a\"b\\c\nd"), "a\\\"b\\\\c\\ld");
    }

    #[test]
    fn colors_run_from_green_through_grey_to_red() {
        assert_eq!(dot_color(0.0, false), "#b2b2b2");
        assert_eq!(dot_color(1.0, false), "#b20000");
        assert_eq!(dot_color(-1.0, false), "#00b200");
        assert_eq!(dot_color(1.0, true), "#edd5d5");
    }
}

#[cfg(test)]
mod injection {
    use crate::model::{LabelSet, ProfileBuilder};
    use crate::report::{Options, Report, ReportKind};

    #[test]
    fn profile_strings_cannot_leave_their_dot_string() {
        let mut b = ProfileBuilder::new();
        b.add_sample_type("samples", "count");
        let evil = "x\" URL=\"javascript:alert(1)";
        let (name, file) = (b.intern("main.f"), b.intern("/src/a\"b.go"));
        let f = b.function(name, name, file, 0);
        let l = b.location(None, 0, &[crate::model::Line { function: f, line: 3, column: 0 }], false);
        let s = b.stack(&[l]);
        let (k, v) = (b.intern("route"), b.intern(evil));
        let labels = b.labels(LabelSet { strs: vec![(k, v)], nums: vec![] });
        b.sample(s, labels, &[5]);
        let p = b.finish();
        let o = Options { granularity: crate::transform::Granularity::Lines, ..Default::default() };
        let mut rpt = Report::new(&p, ReportKind::Dot, &o).unwrap();
        let dot = super::render_text(&mut rpt);
        assert!(dot.contains("route:x\\\" URL=\\\"javascript:alert(1)"), "{dot}");
        assert!(!dot.contains(" URL=\"javascript"), "{dot}");
        assert!(dot.contains("a\\\"b.go:3"), "{dot}");
    }
}
