//! The top table (pprof's `-top` / `-text`): one row per node with flat,
//! flat%, sum%, cum, cum%, sorted by flat (or cum), trimmed as pprof trims.

use super::{Report, TrimmedGraph};
use crate::util::units::percentage;

/// One row of the top table.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct TopRow {
    pub name: String,
    /// "", "(inline)" or "(partial-inline)".
    pub inline_label: &'static str,
    pub flat: i64,
    pub cum: i64,
}

/// The table and the header lines pprof prints above it.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Top {
    pub labels: Vec<String>,
    pub rows: Vec<TopRow>,
    pub total: i64,
}

/// pprof's TextItems.
pub fn build_top(rpt: &mut Report) -> Top {
    let tg = rpt.trimmed_graph();
    top_of_graph(rpt, &tg)
}

/// The top table of an already trimmed graph (its rows follow `tg.graph.order`).
pub fn top_of_graph(rpt: &mut Report, tg: &TrimmedGraph) -> Top {
    rpt.select_output_unit(&tg.graph);
    let labels = rpt.report_labels(tg, 0, false);
    let g = &tg.graph;
    let rows = g
        .order
        .iter()
        .map(|&i| {
            let n = &g.nodes[i];
            let (mut inline, mut noinline) = (false, false);
            for &e in n.r#in.values() {
                if g.edges[e].inline {
                    inline = true;
                } else {
                    noinline = true;
                }
            }
            let inline_label = match (inline, noinline) {
                (true, true) => "(partial-inline)",
                (true, false) => "(inline)",
                _ => "",
            };
            TopRow { name: n.printable_name().to_string(), inline_label, flat: n.flat_value(), cum: n.cum_value() }
        })
        .collect();
    Top { labels, rows, total: rpt.total }
}

/// pprof's printText.
pub fn render_text(rpt: &mut Report) -> String {
    let top = build_top(rpt);
    let mut out = String::new();
    out.push_str(&top.labels.join("\n"));
    out.push('\n');
    out.push_str(&format!("{:>10} {:>5}% {:>5}% {:>10} {:>5}%\n", "flat", "flat", "sum", "cum", "cum"));
    let mut flat_sum = 0i64;
    for r in &top.rows {
        flat_sum = flat_sum.wrapping_add(r.flat);
        let inl = if r.inline_label.is_empty() { String::new() } else { format!(" {}", r.inline_label) };
        out.push_str(&format!(
            "{:>10} {} {} {:>10} {}  {}{}\n",
            rpt.format_value(r.flat),
            percentage(r.flat, rpt.total),
            percentage(flat_sum, rpt.total),
            rpt.format_value(r.cum),
            percentage(r.cum, rpt.total),
            r.name,
            inl
        ));
    }
    out
}
