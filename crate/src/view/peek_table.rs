//! Peek as data (pprof's `-peek`): for each function whose name matches, its
//! callers and callees with the weights of the edges between them, read off
//! the report's untrimmed call graph (view/graph.rs). The page draws this;
//! the text report prints the same entries.

use super::graph::NodeOrder;
use super::report::Report;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PeekEdge {
    pub name: String,
    pub weight: i64,
    pub inline: bool,
    /// Frames were dropped between the two functions (by hide, for example).
    pub residual: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PeekEntry {
    pub name: String,
    pub flat: i64,
    pub cum: i64,
    /// Heaviest first, as pprof sorts edges.
    pub callers: Vec<PeekEdge>,
    pub callees: Vec<PeekEdge>,
}

/// Entries for the graph's nodes whose printable name satisfies `matches`,
/// in pprof's order (flat, then name); at most `limit` of them.
pub fn build_peek(rpt: &Report, matches: impl Fn(&str) -> bool, limit: usize) -> Vec<PeekEntry> {
    let mut g = rpt.build_graph(None);
    g.sort(NodeOrder::FlatName);
    let edge = |e: usize, from_src: bool| {
        let x = &g.edges[e];
        let n = if from_src { x.src } else { x.dest };
        PeekEdge {
            name: g.nodes[n].printable_name().to_string(),
            weight: x.weight_value(),
            inline: x.inline,
            residual: x.residual,
        }
    };
    g.order
        .iter()
        .filter(|&&i| matches(g.nodes[i].printable_name()))
        .take(limit)
        .map(|&i| {
            let n = &g.nodes[i];
            PeekEntry {
                name: n.printable_name().to_string(),
                flat: n.flat_value(),
                cum: n.cum_value(),
                callers: g.sorted_in_edges(i).into_iter().map(|e| edge(e, true)).collect(),
                callees: g.sorted_out_edges(i).into_iter().map(|e| edge(e, false)).collect(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decode::{decode, Limits};
    use crate::view::report::{Options, ReportKind};

    /// The numbers of pprof's `-peek='net/http.\(\*Transport\).dialConn'` on heap_t1.
    #[test]
    fn matches_pprof_peek_reference() {
        let path = format!("{}/../tests/fixtures/go/heap_t1.pb.gz", env!("CARGO_MANIFEST_DIR"));
        let p = decode(&std::fs::read(path).unwrap(), &Limits::default()).unwrap();
        let rpt = Report::new(&p, ReportKind::Peek, &Options::default()).unwrap();
        let re = regex::Regex::new(r"net/http.\(\*Transport\).dialConn").unwrap();
        let v = build_peek(&rpt, |n| re.is_match(n), 10);
        let reference = std::fs::read_to_string(format!(
            "{}/../tests/fixtures/go/heap_t1.pb.gz.pprof_peek=net_http.____Transport__.dialConn.txt",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap();
        // The reference's node lines: "| name" after the numbers; edge lines: "|   name".
        let names: Vec<&str> = reference
            .lines()
            .filter_map(|l| l.split_once("                | ").map(|(_, n)| n))
            .collect();
        assert_eq!(v.iter().map(|e| e.name.as_str()).collect::<Vec<_>>(), names);
        let kb = |v: i64| format!("{:.2}kB", v as f64 / 1024.0);
        let d = &v[0];
        assert_eq!(kb(d.cum), "16438.41kB");
        assert_eq!(kb(d.flat), "1536.23kB");
        assert_eq!(d.callers.len(), 1);
        assert_eq!(d.callers[0].name, "net/http.(*Transport).dialConnFor");
        let callees: Vec<(String, String, bool)> = d.callees.iter().map(|e| (e.name.clone(), kb(e.weight), e.inline)).collect();
        assert_eq!(
            callees,
            [
                ("bufio.NewReaderSize".to_string(), "8222.08kB".to_string(), true),
                ("bufio.NewWriterSize".to_string(), "6168.03kB".to_string(), true),
                ("net/http.(*Transport).dial".to_string(), "512.06kB".to_string(), false),
            ]
        );
    }
}
