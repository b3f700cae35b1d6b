//! The call tree text (pprof's `-tree`, printTree): each node of the trimmed
//! graph with its callers above and callees below, weighted, as a share of
//! the node's cum. `peek` prints the same for the nodes matching a regexp.

use super::Report;
use crate::util::units::percentage;
use regex::Regex;

/// A caller or callee of a node.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct TreeEdge {
    pub name: String,
    /// The edge weight (not divided for `mean` reports, as pprof prints it).
    pub weight: i64,
    /// The call was inlined.
    pub inline: bool,
}

/// One node with its callers and callees, heaviest first.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct TreeEntry {
    pub name: String,
    pub flat: i64,
    pub cum: i64,
    pub callers: Vec<TreeEdge>,
    pub callees: Vec<TreeEdge>,
}

/// The header lines and the entries, in report order.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Tree {
    pub labels: Vec<String>,
    pub entries: Vec<TreeEntry>,
    pub total: i64,
    /// The graph had nodes (pprof closes the table with a separator then).
    pub nonempty: bool,
}

/// The tree of the trimmed graph; with `only`, just the nodes whose name matches.
pub fn build_tree(rpt: &mut Report, only: Option<&Regex>) -> Tree {
    let tg = rpt.trimmed_graph();
    rpt.select_output_unit(&tg.graph);
    let labels = rpt.report_labels(&tg, 0, false);
    let g = &tg.graph;
    let edge = |e: usize, other: usize| TreeEdge {
        name: g.nodes[other].printable_name().to_string(),
        weight: g.edges[e].weight,
        inline: g.edges[e].inline,
    };
    let mut entries = Vec::new();
    for &i in &g.order {
        let n = &g.nodes[i];
        if only.is_some_and(|re| !re.is_match(n.printable_name())) {
            continue;
        }
        entries.push(TreeEntry {
            name: n.printable_name().to_string(),
            flat: n.flat_value(),
            cum: n.cum_value(),
            callers: g.sorted_in_edges(i).into_iter().map(|e| edge(e, g.edges[e].src)).collect(),
            callees: g.sorted_out_edges(i).into_iter().map(|e| edge(e, g.edges[e].dest)).collect(),
        });
    }
    Tree { labels, entries, total: rpt.total, nonempty: !g.order.is_empty() }
}

const SEPARATOR: &str = "----------------------------------------------------------+-------------";
const LEGEND: &str = "      flat  flat%   sum%        cum   cum%   calls calls% + context \t \t ";

/// pprof's printTree over built entries.
pub fn render(rpt: &Report, t: &Tree) -> String {
    let mut out = String::new();
    out.push_str(&t.labels.join("\n"));
    out.push('\n');
    out.push_str(SEPARATOR);
    out.push('\n');
    out.push_str(LEGEND);
    out.push('\n');
    let edge_line = |out: &mut String, e: &TreeEdge, cum: i64| {
        let inline = if e.inline { " (inline)" } else { "" };
        out.push_str(&format!(
            "{:>50} {} |   {}{}\n",
            rpt.format_value(e.weight),
            percentage(e.weight, cum),
            e.name,
            inline
        ));
    };
    let mut flat_sum = 0i64;
    for n in &t.entries {
        out.push_str(SEPARATOR);
        out.push('\n');
        for e in &n.callers {
            edge_line(&mut out, e, n.cum);
        }
        flat_sum = flat_sum.wrapping_add(n.flat);
        out.push_str(&format!(
            "{:>10} {} {} {:>10} {}                | {}\n",
            rpt.format_value(n.flat),
            percentage(n.flat, rpt.total),
            percentage(flat_sum, rpt.total),
            rpt.format_value(n.cum),
            percentage(n.cum, rpt.total),
            n.name
        ));
        for e in &n.callees {
            edge_line(&mut out, e, n.cum);
        }
    }
    if t.nonempty {
        out.push_str(SEPARATOR);
        out.push('\n');
    }
    out
}

/// `-tree`.
pub fn render_text(rpt: &mut Report) -> String {
    let t = build_tree(rpt, None);
    render(rpt, &t)
}
