//! pprof's `-callgrind` (printCallgrind): the untrimmed graph in the format
//! KCachegrind reads, names and files compressed to `(N)` after first use,
//! addresses relative to the previous entry where that is shorter.

use super::graph::{Graph, NodeInfo};
use super::Report;
use crate::util::hash::FxHashMap as HashMap;
use crate::util::units;

/// pprof's getDisambiguatedNames: nodes of different functions with the same
/// file and name (call-tree contexts, other binaries) get " [i/n]".
fn disambiguated_names(g: &Graph) -> HashMap<usize, String> {
    // The whole-function identity of a node: its info without address and
    // line, and in a call tree the parent it was made under.
    type Function = (Option<usize>, NodeInfo);
    let function = |n: usize| -> Function {
        let node = &g.nodes[n];
        (node.context, NodeInfo { address: 0, lineno: 0, ..node.info.clone() })
    };
    // Per (file, name): the functions in first-seen order, numbered.
    let mut index: HashMap<(&str, &str), HashMap<Function, usize>> = HashMap::default();
    let mut number: Vec<usize> = vec![0; g.nodes.len()];
    for &n in &g.order {
        let info = &g.nodes[n].info;
        let fs = index.entry((info.file.as_str(), info.name.as_str())).or_default();
        let next = fs.len();
        number[n] = *fs.entry(function(n)).or_insert(next);
    }
    let mut names = HashMap::default();
    for &n in &g.order {
        let info = &g.nodes[n].info;
        let count = index[&(info.file.as_str(), info.name.as_str())].len();
        let mut name = info.name.clone();
        if count > 1 {
            name += &format!(" [{}/{}]", number[n] + 1, count);
        }
        names.insert(n, name);
    }
    names
}

/// pprof's callgrindName: "(N) name" the first time, "(N)" after.
fn compressed(names: &mut HashMap<String, usize>, name: &str) -> String {
    if name.is_empty() {
        return String::new();
    }
    if let Some(id) = names.get(name) {
        return format!("({id})");
    }
    let id = names.len() + 1;
    names.insert(name.to_string(), id);
    format!("({id}) {name}")
}

/// pprof's callgrindAddress.
fn address(prev: Option<&NodeInfo>, cur: u64) -> String {
    let abs = format!("{cur:#x}");
    let Some(prev) = prev else { return abs };
    if prev.address == cur {
        return "*".into();
    }
    let relative = format!("{:+}", cur.wrapping_sub(prev.address) as i64);
    if relative.len() < abs.len() {
        relative
    } else {
        abs
    }
}

pub fn render_text(rpt: &mut Report) -> String {
    rpt.options.nodefraction = 0.0;
    rpt.options.edgefraction = 0.0;
    rpt.options.nodecount = Some(0);
    let tg = rpt.trimmed_graph();
    rpt.select_output_unit(&tg.graph);
    let g = &tg.graph;
    let node_names = disambiguated_names(g);
    let scaled = |v: i64| units::scale(v, &rpt.sample_unit, &rpt.output_unit).0 as i64;
    let mut out = String::from("positions: instr line\n");
    out += &format!("events: {}({})\n", rpt.sample_type, rpt.output_unit);
    let (mut objfiles, mut files, mut names) = (HashMap::default(), HashMap::default(), HashMap::default());
    let mut prev: Option<&NodeInfo> = None;
    for &n in &g.order {
        let info = &g.nodes[n].info;
        if prev.is_none_or(|p| p.objfile != info.objfile || p.file != info.file || p.name != info.name) {
            out += "\n";
            out += &format!("ob={}\n", compressed(&mut objfiles, &info.objfile));
            out += &format!("fl={}\n", compressed(&mut files, &info.file));
            out += &format!("fn={}\n", compressed(&mut names, &info.name));
        }
        out += &format!("{} {} {}\n", address(prev, info.address), info.lineno, scaled(g.nodes[n].flat_value()));
        for e in g.sorted_out_edges(n) {
            let callee = g.edges[e].dest;
            let ci = &g.nodes[callee].info;
            out += &format!("cfl={}\n", compressed(&mut files, &ci.file));
            let cname = node_names.get(&callee).cloned().unwrap_or_default();
            out += &format!("cfn={}\n", compressed(&mut names, &cname));
            // pprof writes the callee's address relative to the previous node's.
            out += &format!("calls=0 {} {}\n", address(prev, ci.address), ci.lineno);
            out += &format!("* * {}\n", scaled(g.edges[e].weight));
        }
        prev = Some(info);
    }
    out
}
