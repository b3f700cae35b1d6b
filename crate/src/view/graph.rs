//! The call graph pprof builds for every report (internal/graph): one node
//! per distinct frame (as the granularity left it), flat and cum weights,
//! edges marked residual (frames dropped between) and inline.
//!
//! Work is done once per distinct stack, not per sample: node and edge
//! weights are linear in the sample values, so summing values per stack
//! first gives the same graph at a fraction of the cost.

use crate::hash::FxHashMap;
use crate::model::*;

/// What identifies a node (pprof's NodeInfo).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct NodeInfo {
    pub name: String,
    pub orig_name: String,
    pub address: u64,
    pub file: String,
    pub start_line: i64,
    pub lineno: i64,
    pub objfile: String,
}

impl NodeInfo {
    /// pprof's NameComponents: address, name, file:line (or a fallback).
    pub fn name_components(&self) -> Vec<String> {
        let mut v = Vec::new();
        if self.address != 0 {
            v.push(format!("{:016x}", self.address));
        }
        if !self.name.is_empty() {
            v.push(self.name.clone());
        }
        if self.lineno != 0 {
            v.push(format!("{}:{}", self.file, self.lineno));
        } else if !self.file.is_empty() {
            v.push(self.file.clone());
        } else if !self.name.is_empty() {
        } else if !self.objfile.is_empty() {
            v.push(format!("[{}]", go_base(&self.objfile)));
        } else {
            v.push("<unknown>".into());
        }
        v
    }

    pub fn printable_name(&self) -> String {
        self.name_components().join(" ")
    }

    /// Go's fmt.Sprint of the struct: pprof's last-resort sort key.
    fn go_sprint(&self) -> String {
        format!(
            "{{{} {} {} {} {} {} {}}}",
            self.name, self.orig_name, self.address, self.file, self.start_line, self.lineno, self.objfile
        )
    }
}

/// Go's filepath.Base.
pub fn go_base(path: &str) -> &str {
    if path.is_empty() {
        return ".";
    }
    let trimmed = path.trim_end_matches('/');
    if trimmed.is_empty() {
        return "/";
    }
    match trimmed.rfind('/') {
        Some(i) => &trimmed[i + 1..],
        None => trimmed,
    }
}

/// Go's path.Clean (filepath.Clean on Unix).
pub fn go_clean(path: &str) -> String {
    if path.is_empty() {
        return ".".into();
    }
    let rooted = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|p| *p != "..") {
                    parts.pop();
                } else if !rooted {
                    parts.push("..");
                }
            }
            p => parts.push(p),
        }
    }
    let joined = parts.join("/");
    match (rooted, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".into(),
        (false, false) => joined,
    }
}

#[derive(Clone, Debug, Default)]
pub struct Node {
    pub info: NodeInfo,
    pub flat: i64,
    pub flat_div: i64,
    pub cum: i64,
    pub cum_div: i64,
    /// Edges into this node, by source node.
    pub r#in: FxHashMap<usize, usize>,
    /// Edges out of this node, by destination node.
    pub out: FxHashMap<usize, usize>,
    printable: String,
    sprint: String,
}

impl Node {
    /// Flat value, divided for `mean` reports.
    pub fn flat_value(&self) -> i64 {
        if self.flat_div == 0 {
            self.flat
        } else {
            self.flat / self.flat_div
        }
    }
    pub fn cum_value(&self) -> i64 {
        if self.cum_div == 0 {
            self.cum
        } else {
            self.cum / self.cum_div
        }
    }
    pub fn printable_name(&self) -> &str {
        &self.printable
    }
}

#[derive(Clone, Debug, Default)]
pub struct Edge {
    pub src: usize,
    pub dest: usize,
    pub weight: i64,
    pub weight_div: i64,
    pub residual: bool,
    pub inline: bool,
    /// False once trimmed away.
    pub alive: bool,
}

impl Edge {
    pub fn weight_value(&self) -> i64 {
        if self.weight_div == 0 {
            self.weight
        } else {
            self.weight / self.weight_div
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NodeOrder {
    FlatName,
    FlatCumName,
    CumName,
    Name,
    File,
    Address,
    Entropy,
}

/// Options of graph construction (pprof's graph.Options).
#[derive(Clone, Debug)]
pub struct GraphOptions {
    /// Index of the sample value that weighs the graph.
    pub sample_index: usize,
    /// For `mean` reports: index of the value that divides (the count).
    pub mean_divisor: Option<usize>,
    /// Keep the mapping file name on named frames (raw/list/callgrind reports).
    pub obj_names: bool,
    /// Keep system (e.g. mangled) names beside the display name.
    pub orig_fn_names: bool,
    pub drop_negative: bool,
}

/// A graph: `nodes` is an arena, `order` lists the live nodes in report order.
#[derive(Clone, Debug, Default)]
pub struct Graph {
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
    pub order: Vec<usize>,
}

/// Node identity of a location line (pprof's nodeInfo); `line` None for a
/// location without lines.
pub fn node_info(p: &Profile, loc: &Location, line: Option<&Line>, o: &GraphOptions) -> NodeInfo {
    let objfile = match loc.mapping {
        Some(m) => p.str(p.mappings[m.idx()].file).to_string(),
        None => String::new(),
    };
    let Some(line) = line else {
        return NodeInfo { address: loc.address, objfile, ..Default::default() };
    };
    let f = p.function(line.function);
    let mut ni = NodeInfo {
        address: loc.address,
        lineno: line.line,
        name: p.str(f.name).to_string(),
        ..Default::default()
    };
    let fname = p.str(f.filename);
    if !fname.is_empty() {
        ni.file = go_clean(fname);
    }
    if o.orig_fn_names {
        ni.orig_name = p.str(f.system_name).to_string();
    }
    if o.obj_names || (ni.name.is_empty() && ni.orig_name.is_empty()) {
        ni.objfile = objfile;
        ni.start_line = f.start_line;
    }
    ni
}

/// The per-stack weights a graph is built from.
struct StackWeights {
    w: Vec<i64>,
    dw: Vec<i64>,
    /// Some sample on this stack had a non-zero value or divisor.
    used: Vec<bool>,
}

fn stack_weights(p: &Profile, o: &GraphOptions) -> StackWeights {
    let n = p.stacks.len();
    let mut sw = StackWeights { w: vec![0; n], dw: vec![0; n], used: vec![false; n] };
    let k = p.num_types();
    for (i, &sid) in p.samples.stacks.iter().enumerate() {
        let row = &p.samples.values[i * k..(i + 1) * k];
        let w = row[o.sample_index];
        let dw = o.mean_divisor.map_or(0, |d| row[d]);
        if w == 0 && dw == 0 {
            continue;
        }
        let s = sid.idx();
        sw.w[s] = sw.w[s].wrapping_add(w);
        sw.dw[s] = sw.dw[s].wrapping_add(dw);
        sw.used[s] = true;
    }
    sw
}

impl Graph {
    /// pprof's newGraph. `kept`, when given, limits nodes to those infos;
    /// frames of other nodes are skipped and mark the next edge residual.
    pub fn build(p: &Profile, o: &GraphOptions, kept: Option<&std::collections::HashSet<NodeInfo>>) -> Graph {
        Self::build_with(p, o, kept, &stack_weights(p, o), true)
    }

    /// Nodes and their weights only, no edges: enough to decide which nodes a
    /// trimmed report keeps (a kept node's flat and cum do not depend on which
    /// other nodes are kept), at a fraction of the cost.
    pub fn build_nodes(p: &Profile, o: &GraphOptions, kept: Option<&std::collections::HashSet<NodeInfo>>) -> Graph {
        Self::build_with(p, o, kept, &stack_weights(p, o), false)
    }

    fn build_with(
        p: &Profile,
        o: &GraphOptions,
        kept: Option<&std::collections::HashSet<NodeInfo>>,
        sw: &StackWeights,
        with_edges: bool,
    ) -> Graph {
        const NOT_KEPT: u32 = u32::MAX;
        let mut g = Graph::default();
        let mut index: FxHashMap<NodeInfo, u32> = FxHashMap::default();
        // Node infos depend only on (mapping, address, function, line): many
        // locations share them once the granularity cleared addresses/lines.
        let mut by_frame: FxHashMap<(u32, u64, u32, i64), u32> = FxHashMap::default();
        // Location -> its nodes, innermost line first, flattened.
        let mut loc_start: Vec<u32> = Vec::with_capacity(p.locations.len() + 1);
        let mut loc_nodes: Vec<u32> = Vec::with_capacity(p.locations.len() * 2);
        for loc in &p.locations {
            loc_start.push(loc_nodes.len() as u32);
            let mapping = loc.mapping.map_or(u32::MAX, |m| m.0);
            let lines: Vec<Option<&Line>> =
                if loc.lines.is_empty() { vec![None] } else { loc.lines.iter().map(Some).collect() };
            for line in lines {
                let key = (mapping, loc.address, line.map_or(u32::MAX, |l| l.function.0), line.map_or(0, |l| l.line));
                let id = *by_frame.entry(key).or_insert_with(|| {
                    let info = node_info(p, loc, line, o);
                    if kept.is_some_and(|k| !k.contains(&info)) {
                        return NOT_KEPT;
                    }
                    *index.entry(info.clone()).or_insert_with(|| {
                        g.nodes.push(Node { info, ..Default::default() });
                        (g.nodes.len() - 1) as u32
                    })
                });
                loc_nodes.push(id);
            }
        }
        loc_start.push(loc_nodes.len() as u32);
        // Per-stack walk, root to leaf, with "seen" stamps instead of sets.
        let mut node_seen = vec![u32::MAX; g.nodes.len()];
        let mut edge_index: FxHashMap<u64, u32> = FxHashMap::default();
        let mut edge_seen: Vec<u32> = Vec::new();
        for (sid, frames) in p.stacks.iter() {
            let s = sid.idx();
            if !sw.used[s] {
                continue;
            }
            let (w, dw) = (sw.w[s], sw.dw[s]);
            let stamp = s as u32;
            let mut parent = NOT_KEPT;
            let mut residual = false;
            for &l in frames.iter().rev() {
                let nodes = &loc_nodes[loc_start[l.idx()] as usize..loc_start[l.idx() + 1] as usize];
                let outermost = nodes.len() - 1;
                for ni in (0..nodes.len()).rev() {
                    let n = nodes[ni];
                    if n == NOT_KEPT {
                        residual = true;
                        continue;
                    }
                    let nu = n as usize;
                    if node_seen[nu] != stamp {
                        node_seen[nu] = stamp;
                        let node = &mut g.nodes[nu];
                        node.cum_div = node.cum_div.wrapping_add(dw);
                        node.cum = node.cum.wrapping_add(w);
                    }
                    if with_edges && parent != NOT_KEPT && parent != n {
                        let inline = ni != outermost;
                        let key = ((parent as u64) << 32) | n as u64;
                        let e = match edge_index.get(&key) {
                            Some(&e) => e as usize,
                            None => {
                                let e = g.edges.len();
                                g.edges.push(Edge { src: parent as usize, dest: nu, inline, alive: true, ..Default::default() });
                                edge_seen.push(u32::MAX);
                                g.nodes[parent as usize].out.insert(nu, e);
                                g.nodes[nu].r#in.insert(parent as usize, e);
                                edge_index.insert(key, e as u32);
                                e
                            }
                        };
                        if edge_seen[e] != stamp {
                            edge_seen[e] = stamp;
                            let edge = &mut g.edges[e];
                            edge.weight_div = edge.weight_div.wrapping_add(dw);
                            edge.weight = edge.weight.wrapping_add(w);
                            edge.residual |= residual;
                            edge.inline &= inline;
                        }
                    }
                    parent = n;
                    residual = false;
                }
            }
            if parent != NOT_KEPT && !residual {
                let node = &mut g.nodes[parent as usize];
                node.flat_div = node.flat_div.wrapping_add(dw);
                node.flat = node.flat.wrapping_add(w);
            }
        }
        // selectNodesForGraph: drop empty (and, if asked, negative) nodes.
        for (i, n) in g.nodes.iter_mut().enumerate() {
            if n.cum == 0 && n.flat == 0 {
                continue;
            }
            if o.drop_negative && (n.flat < 0 || (n.flat == 0 && n.cum < 0)) {
                continue;
            }
            n.printable = n.info.printable_name();
            n.sprint = n.info.go_sprint();
            g.order.push(i);
        }
        // Edges from dropped nodes stay in the maps, as in pprof: they still
        // decide whether a live node is reached inline.
        g
    }

    pub fn remove_edge(&mut self, e: usize) {
        let (s, d) = (self.edges[e].src, self.edges[e].dest);
        if self.nodes[s].out.get(&d) == Some(&e) {
            self.nodes[s].out.remove(&d);
        }
        if self.nodes[d].r#in.get(&s) == Some(&e) {
            self.nodes[d].r#in.remove(&s);
        }
        self.edges[e].alive = false;
    }

    pub fn live_nodes(&self) -> impl Iterator<Item = &Node> {
        self.order.iter().map(move |&i| &self.nodes[i])
    }

    /// Sum of flat and cum over the live nodes.
    pub fn sum(&self) -> (i64, i64) {
        self.live_nodes().fold((0, 0), |(f, c), n| (f.wrapping_add(n.flat), c.wrapping_add(n.cum)))
    }

    /// Infos of live nodes whose |cum| reaches `cutoff`.
    pub fn nodes_above_cutoff(&self, cutoff: i64) -> std::collections::HashSet<NodeInfo> {
        self.live_nodes().filter(|n| n.cum.wrapping_abs() >= cutoff).map(|n| n.info.clone()).collect()
    }

    /// Removes edges lighter than `cutoff`; returns how many.
    pub fn trim_low_frequency_edges(&mut self, cutoff: i64) -> usize {
        let mut dropped = 0;
        for i in self.order.clone() {
            let ins: Vec<usize> = self.nodes[i].r#in.values().copied().collect();
            for e in ins {
                if self.edges[e].weight.wrapping_abs() < cutoff {
                    self.remove_edge(e);
                    dropped += 1;
                }
            }
        }
        dropped
    }

    pub fn sort(&mut self, order: NodeOrder) {
        let nodes = &self.nodes;
        let by_name_then = |l: &Node, r: &Node| l.sprint.cmp(&r.sprint);
        match order {
            NodeOrder::FlatName => self.order.sort_by(|&a, &b| {
                let (l, r) = (&nodes[a], &nodes[b]);
                r.flat
                    .wrapping_abs()
                    .cmp(&l.flat.wrapping_abs())
                    .then_with(|| l.printable.cmp(&r.printable))
                    .then_with(|| r.cum.wrapping_abs().cmp(&l.cum.wrapping_abs()))
                    .then_with(|| by_name_then(l, r))
            }),
            NodeOrder::FlatCumName => self.order.sort_by(|&a, &b| {
                let (l, r) = (&nodes[a], &nodes[b]);
                r.flat
                    .wrapping_abs()
                    .cmp(&l.flat.wrapping_abs())
                    .then_with(|| r.cum.wrapping_abs().cmp(&l.cum.wrapping_abs()))
                    .then_with(|| l.printable.cmp(&r.printable))
                    .then_with(|| by_name_then(l, r))
            }),
            NodeOrder::Name => self.order.sort_by(|&a, &b| {
                let (l, r) = (&nodes[a], &nodes[b]);
                l.info.name.cmp(&r.info.name).then_with(|| by_name_then(l, r))
            }),
            NodeOrder::File => self.order.sort_by(|&a, &b| {
                let (l, r) = (&nodes[a], &nodes[b]);
                l.info
                    .file
                    .cmp(&r.info.file)
                    .then_with(|| l.info.start_line.cmp(&r.info.start_line))
                    .then_with(|| by_name_then(l, r))
            }),
            NodeOrder::Address => self.order.sort_by(|&a, &b| {
                let (l, r) = (&nodes[a], &nodes[b]);
                l.info.address.cmp(&r.info.address).then_with(|| by_name_then(l, r))
            }),
            NodeOrder::CumName | NodeOrder::Entropy => {
                let score: Vec<i64> = if order == NodeOrder::CumName {
                    nodes.iter().map(|n| n.cum).collect()
                } else {
                    (0..nodes.len()).map(|i| self.entropy_score(i)).collect()
                };
                self.order.sort_by(|&a, &b| {
                    let (l, r) = (&nodes[a], &nodes[b]);
                    score[b]
                        .wrapping_abs()
                        .cmp(&score[a].wrapping_abs())
                        .then_with(|| l.printable.cmp(&r.printable))
                        .then_with(|| r.flat.wrapping_abs().cmp(&l.flat.wrapping_abs()))
                        .then_with(|| by_name_then(l, r))
                })
            }
        }
    }

    /// pprof's entropyScore: favours nodes that split or join flows.
    fn entropy_score(&self, i: usize) -> i64 {
        let n = &self.nodes[i];
        let mut score = 0.0f64;
        if n.r#in.is_empty() {
            score += 1.0;
        } else {
            score += self.edge_entropy(n.r#in.values(), 0);
        }
        if n.out.is_empty() {
            score += 1.0;
        } else {
            score += self.edge_entropy(n.out.values(), n.flat);
        }
        ((score * n.cum as f64) as i64).wrapping_add(n.flat)
    }

    fn edge_entropy<'a>(&self, edges: impl Iterator<Item = &'a usize> + Clone, self_w: i64) -> f64 {
        let mut score = 0.0;
        let mut total = self_w;
        for &e in edges.clone() {
            if self.edges[e].weight > 0 {
                total += self.edges[e].weight.abs();
            }
        }
        if total != 0 {
            for &e in edges {
                let frac = self.edges[e].weight.abs() as f64 / total as f64;
                score += -frac * frac.log2();
            }
            if self_w > 0 {
                let frac = self_w.abs() as f64 / total as f64;
                score += -frac * frac.log2();
            }
        }
        score
    }

    /// In-edges of node `i`, sorted as pprof's EdgeMap.Sort (heaviest first, then by names).
    pub fn sorted_in_edges(&self, i: usize) -> Vec<usize> {
        let mut v: Vec<usize> = self.nodes[i].r#in.values().copied().collect();
        self.sort_edges(&mut v);
        v
    }

    pub fn sorted_out_edges(&self, i: usize) -> Vec<usize> {
        let mut v: Vec<usize> = self.nodes[i].out.values().copied().collect();
        self.sort_edges(&mut v);
        v
    }

    pub fn sort_edges(&self, v: &mut [usize]) {
        v.sort_by(|&a, &b| {
            let (x, y) = (&self.edges[a], &self.edges[b]);
            if x.weight != y.weight {
                return y.weight.wrapping_abs().cmp(&x.weight.wrapping_abs());
            }
            self.nodes[x.src]
                .printable
                .cmp(&self.nodes[y.src].printable)
                .then_with(|| self.nodes[x.dest].printable.cmp(&self.nodes[y.dest].printable))
        });
    }
}

/// pprof's ShortenFunctionName: drops package paths and C++/Java qualifiers
/// for compact labels (flame graph, DOT).
pub fn shorten_function_name(f: &str) -> String {
    use std::sync::OnceLock;
    static RES: OnceLock<[regex::Regex; 5]> = OnceLock::new();
    let [anon, gover, go, java, cpp] = RES.get_or_init(|| {
        [
            regex::Regex::new(r"^\(anonymous namespace\)::").unwrap(),
            regex::Regex::new(r"^(.*?)/v(?:[2-9]|[1-9][0-9]+)([./].*)$").unwrap(),
            regex::Regex::new(r"^(?:[\w\-\.]+/)+(.+)").unwrap(),
            regex::Regex::new(r"^(?:[a-z]\w*\.)*([A-Z][\w\$]*\.(?:<init>|[a-z][\w\$]*(?:\$\d+)?))(?:(?:\()|$)").unwrap(),
            regex::Regex::new(r"^(?:[_a-zA-Z]\w*::)+(_*[A-Z]\w*::~?[_a-zA-Z]\w*(?:<.*>)?)").unwrap(),
        ]
    });
    let f = anon.replace_all(f, "");
    let f = gover.replace_all(&f, "${1}${2}").into_owned();
    for re in [go, java, cpp] {
        if let Some(c) = re.captures(&f) {
            return c.iter().skip(1).flatten().map(|m| m.as_str()).collect();
        }
    }
    f
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_and_base() {
        assert_eq!(go_clean("/a/b/../c/./d.go"), "/a/c/d.go");
        assert_eq!(go_clean("a//b/"), "a/b");
        assert_eq!(go_clean("../x"), "../x");
        assert_eq!(go_clean("/../x"), "/x");
        assert_eq!(go_base("/srv/leakdemo/leakdemo"), "leakdemo");
        assert_eq!(go_base(""), ".");
    }
}
