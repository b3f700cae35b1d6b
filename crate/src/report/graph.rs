//! The call graph pprof builds for every report (internal/graph): one node
//! per distinct frame (as the granularity left it), flat and cum weights,
//! edges marked residual (frames dropped between) and inline.
//!
//! Work is done once per distinct stack, not per sample: node and edge
//! weights are linear in the sample values, so summing values per stack
//! first gives the same graph at a fraction of the cost.

use crate::model::*;
use crate::util::escape::visible;
use crate::util::hash::FxHashMap;
use crate::util::sort::SortRows;
use std::borrow::Cow;
use std::sync::Arc;

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
    /// pprof's LabelTags: weight per joined string labels (an index into
    /// [`GraphTags::labels`]); only built when the options ask for tags.
    pub label_tags: FxHashMap<u32, TagWeights>,
    /// pprof's NumericTags: weight per (joined labels, numeric tag name), both
    /// indexes into [`GraphTags`].
    pub numeric_tags: FxHashMap<(u32, u32), NumericTag>,
    /// In a call tree, the node this one was made under (pprof keeps one
    /// node map per parent); None in a graph.
    pub context: Option<usize>,
    printable: String,
    sprint: String,
}

impl Node {
    /// Flat value, divided for `mean` reports.
    pub fn flat_value(&self) -> i64 {
        mean_value(self.flat, self.flat_div)
    }
    pub fn cum_value(&self) -> i64 {
        mean_value(self.cum, self.cum_div)
    }
    pub fn printable_name(&self) -> &str {
        &self.printable
    }

    /// pprof's addSample: weights, and the tags of the sample's labels.
    fn add_sample(&mut self, dw: i64, w: i64, tags: Option<&SetTags>, flat: bool) {
        if flat {
            self.flat_div = self.flat_div.wrapping_add(dw);
            self.flat = self.flat.wrapping_add(w);
        } else {
            self.cum_div = self.cum_div.wrapping_add(dw);
            self.cum = self.cum.wrapping_add(w);
        }
        let Some(t) = tags else { return };
        if t.label != 0 {
            self.label_tags.entry(t.label).or_default().add(dw, w, flat);
        }
        for &(name, value) in &t.numeric {
            self.numeric_tags
                .entry((t.label, name))
                .or_insert(NumericTag { value, w: TagWeights::default() })
                .w
                .add(dw, w, flat);
        }
    }

    /// pprof's countTags: tags with a flat weight (label and numeric).
    pub fn count_tags(&self) -> usize {
        self.label_tags.values().filter(|t| t.flat != 0).count()
            + self.numeric_tags.values().filter(|t| t.w.flat != 0).count()
    }
}

/// Flat and cum weights of one tag of a node.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TagWeights {
    pub flat: i64,
    pub flat_div: i64,
    pub cum: i64,
    pub cum_div: i64,
}

impl TagWeights {
    fn add(&mut self, dw: i64, w: i64, flat: bool) {
        if flat {
            self.flat_div = self.flat_div.wrapping_add(dw);
            self.flat = self.flat.wrapping_add(w);
        } else {
            self.cum_div = self.cum_div.wrapping_add(dw);
            self.cum = self.cum.wrapping_add(w);
        }
    }
    pub fn flat_value(&self) -> i64 {
        mean_value(self.flat, self.flat_div)
    }
    pub fn cum_value(&self) -> i64 {
        mean_value(self.cum, self.cum_div)
    }
}

/// A value as `mean` reports print it: divided by its sample count (pprof
/// keeps the value itself when no divisor was counted).
fn mean_value(v: i64, div: i64) -> i64 {
    if div == 0 {
        v
    } else {
        v / div
    }
}

/// A numeric tag of a node: the value of the first sample that gave it its
/// name (as pprof keeps it), and its weights.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct NumericTag {
    pub value: i64,
    pub w: TagWeights,
}

/// The tags of one label set, as graph nodes collect them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SetTags {
    /// Index into [`GraphTags::labels`] of the joined string labels (0: none).
    pub label: u32,
    /// (index into [`GraphTags::numeric`], value) per numeric label value.
    pub numeric: Vec<(u32, i64)>,
}

/// Backslashes and quotes escaped, so that a string from a profile stays
/// inside its quoted DOT label (pprof writes tag names raw, which lets a
/// label value end the string and add Graphviz attributes).
pub fn dot_quoted(s: &str) -> String {
    let s = visible(s);
    if !s.contains(['\\', '"']) {
        return s.into_owned();
    }
    s.replace('\\', "\\\\").replace('"', "\\\"")
}

/// What each label set contributes to node tags (pprof's joinLabels and the
/// formatted numeric tags), interned so nodes hold small keys.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GraphTags {
    /// Joined `key:value` strings (sorted, separated by a literal `\n`, keys
    /// and values quoted with [`dot_quoted`]); 0 is "".
    pub labels: Vec<String>,
    /// Numeric tag names (formatted values) and their unit.
    pub numeric: Vec<(String, String)>,
    /// Per label set id.
    pub sets: Vec<SetTags>,
}

impl GraphTags {
    /// `keep_label` selects the string label keys that become tags;
    /// `numeric_unit` gives the unit of a numeric label key that becomes a
    /// tag (None drops the key); `format` names a numeric value.
    pub fn build(
        p: &Profile,
        keep_label: impl Fn(&str) -> bool,
        numeric_unit: impl Fn(&str) -> Option<String>,
        format: impl Fn(i64, &str) -> String,
    ) -> GraphTags {
        let mut t = GraphTags { labels: vec![String::new()], ..Default::default() };
        let mut label_index: FxHashMap<String, u32> = FxHashMap::default();
        let mut numeric_index: FxHashMap<(String, String), u32> = FxHashMap::default();
        for (_, set) in p.label_sets.iter() {
            let mut strs: Vec<String> = set
                .strs
                .iter()
                .filter(|(k, _)| keep_label(p.str(*k)))
                .map(|&(k, v)| format!("{}:{}", dot_quoted(p.str(k)), dot_quoted(p.str(v))))
                .collect();
            strs.sort();
            let joined = strs.join("\\n");
            let label = if joined.is_empty() {
                0
            } else {
                *label_index.entry(joined.clone()).or_insert_with(|| {
                    t.labels.push(joined);
                    (t.labels.len() - 1) as u32
                })
            };
            let mut numeric = Vec::new();
            for n in &set.nums {
                let Some(unit) = numeric_unit(p.str(n.key)) else { continue };
                let name = format(n.value, &unit);
                let id = *numeric_index.entry((name.clone(), unit.clone())).or_insert_with(|| {
                    t.numeric.push((name, unit));
                    (t.numeric.len() - 1) as u32
                });
                numeric.push((id, n.value));
            }
            t.sets.push(SetTags { label, numeric });
        }
        t
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
    /// An edge is residual if any path made it so, inline only if every path did.
    fn add(&mut self, dw: i64, w: i64, residual: bool, inline: bool) {
        self.weight_div = self.weight_div.wrapping_add(dw);
        self.weight = self.weight.wrapping_add(w);
        self.residual |= residual;
        self.inline &= inline;
    }

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
#[derive(Clone, Debug, Default)]
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
    /// `call_tree`: one node per call path (pprof's newTree) instead of per frame.
    pub call_tree: bool,
    /// Collect label and numeric tags on nodes (graph reports draw them).
    pub tags: Option<Arc<GraphTags>>,
    /// Names, system names and file names as the profile holds them; by
    /// default hidden characters are shown escaped (util/escape.rs).
    pub raw_names: bool,
}

/// A graph: `nodes` is an arena, `order` lists the live nodes in report order.
#[derive(Clone, Debug, Default)]
pub struct Graph {
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
    pub order: Vec<usize>,
    /// The names behind the node tag keys, when tags were collected.
    pub tags: Option<Arc<GraphTags>>,
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
    let shown = |id| if o.raw_names { Cow::Borrowed(p.str(id)) } else { visible(p.str(id)) };
    let mut ni =
        NodeInfo { address: loc.address, lineno: line.line, name: shown(f.name).into_owned(), ..Default::default() };
    let fname = shown(f.filename);
    if !fname.is_empty() {
        ni.file = go_clean(&fname);
    }
    if o.orig_fn_names {
        ni.orig_name = shown(f.system_name).into_owned();
    }
    if o.obj_names || (ni.name.is_empty() && ni.orig_name.is_empty()) {
        ni.objfile = objfile;
        ni.start_line = f.start_line;
    }
    ni
}

/// A frame whose node the trimmed report does not keep.
const NOT_KEPT: u32 = u32::MAX;

/// Each location's frames as node infos, innermost first, flattened: the
/// infos of location `l` are `of(l)` (`NOT_KEPT` for a node not kept).
struct LocationFrames {
    start: Vec<u32>,
    infos: Vec<u32>,
}

impl LocationFrames {
    /// The distinct node infos and every location's frames as indexes into them.
    fn new(
        p: &Profile,
        o: &GraphOptions,
        kept: Option<&std::collections::HashSet<NodeInfo>>,
    ) -> (Vec<NodeInfo>, LocationFrames) {
        let mut infos: Vec<NodeInfo> = Vec::new();
        let mut index: FxHashMap<NodeInfo, u32> = FxHashMap::default();
        // Node infos depend only on (mapping, address, function, line): many
        // locations share them once the granularity cleared addresses/lines.
        let mut by_frame: FxHashMap<(u32, u64, u32, i64), u32> = FxHashMap::default();
        let mut f = LocationFrames {
            start: Vec::with_capacity(p.locations.len() + 1),
            infos: Vec::with_capacity(p.locations.len() * 2),
        };
        for loc in &p.locations {
            f.start.push(f.infos.len() as u32);
            let mapping = loc.mapping.map_or(u32::MAX, |m| m.0);
            let lines: Vec<Option<&Line>> =
                if loc.lines.is_empty() { vec![None] } else { loc.lines.iter().map(Some).collect() };
            for line in lines {
                let key = (mapping, loc.address, line.map_or(u32::MAX, |l| l.function.0), line.map_or(0, |l| l.line));
                let id = *by_frame.entry(key).or_insert_with(|| {
                    let info = node_info(p, loc, line, o);
                    if !o.call_tree && kept.is_some_and(|k| !k.contains(&info)) {
                        return NOT_KEPT;
                    }
                    *index.entry(info.clone()).or_insert_with(|| {
                        infos.push(info);
                        (infos.len() - 1) as u32
                    })
                });
                f.infos.push(id);
            }
        }
        f.start.push(f.infos.len() as u32);
        (infos, f)
    }

    fn of(&self, l: LocId) -> &[u32] {
        &self.infos[self.start[l.idx()] as usize..self.start[l.idx() + 1] as usize]
    }
}

/// What a graph is built from: samples grouped by stack (and, when tags are
/// collected, by label set), in the order of their first sample. Node and
/// edge weights are linear in the values, so a group weighs what its samples do.
struct Units {
    stacks: Vec<StackId>,
    labels: Vec<LabelSetId>,
    w: Vec<i64>,
    dw: Vec<i64>,
}

fn units(p: &Profile, o: &GraphOptions) -> Units {
    let k = p.num_types();
    let by_label = o.tags.is_some();
    let mut u = Units { stacks: Vec::new(), labels: Vec::new(), w: Vec::new(), dw: Vec::new() };
    // Stack -> its group (without tags); (stack, labels) -> group (with).
    let mut by_stack: Vec<u32> = vec![u32::MAX; if by_label { 0 } else { p.stacks.len() }];
    let mut by_pair: FxHashMap<(StackId, LabelSetId), u32> = FxHashMap::default();
    for (i, &sid) in p.samples.stacks.iter().enumerate() {
        let row = &p.samples.values[i * k..(i + 1) * k];
        let w = row[o.sample_index];
        let dw = o.mean_divisor.map_or(0, |d| row[d]);
        if w == 0 && dw == 0 {
            continue;
        }
        let lid = p.samples.labels[i];
        let slot = if by_label { by_pair.entry((sid, lid)).or_insert(u32::MAX) } else { &mut by_stack[sid.idx()] };
        if *slot == u32::MAX {
            *slot = u.stacks.len() as u32;
            u.stacks.push(sid);
            u.labels.push(lid);
            u.w.push(0);
            u.dw.push(0);
        }
        let g = *slot as usize;
        u.w[g] = u.w[g].wrapping_add(w);
        u.dw[g] = u.dw[g].wrapping_add(dw);
    }
    u
}

impl Graph {
    /// pprof's graph.New. `kept`, when given, limits nodes to those infos;
    /// frames of other nodes are skipped and mark the next edge residual.
    pub fn build(p: &Profile, o: &GraphOptions, kept: Option<&std::collections::HashSet<NodeInfo>>) -> Graph {
        Self::build_with(p, o, kept, true)
    }

    /// Nodes and their weights only, no edges: enough to decide which nodes a
    /// trimmed report keeps (a kept node's flat and cum do not depend on which
    /// other nodes are kept), at a fraction of the cost.
    pub fn build_nodes(p: &Profile, o: &GraphOptions, kept: Option<&std::collections::HashSet<NodeInfo>>) -> Graph {
        Self::build_with(p, o, kept, false)
    }

    fn build_with(
        p: &Profile,
        o: &GraphOptions,
        kept: Option<&std::collections::HashSet<NodeInfo>>,
        with_edges: bool,
    ) -> Graph {
        let (infos, frames) = LocationFrames::new(p, o, kept);
        let u = units(p, o);
        let mut g = Graph { tags: o.tags.clone(), ..Default::default() };
        if o.call_tree {
            g.add_call_tree(p, o, &u, &frames, &infos);
        } else {
            g.nodes = infos.into_iter().map(|info| Node { info, ..Default::default() }).collect();
            g.add_stacks(p, o, &u, &frames, with_edges);
        }
        g.select_nodes(o);
        g.name_nodes();
        g
    }

    /// The tags of unit `gi`'s label set, when the graph has tags.
    fn set_tags<'a>(o: &'a GraphOptions, u: &Units, gi: usize) -> Option<&'a SetTags> {
        o.tags.as_deref().map(|t| &t.sets[u.labels[gi].idx()])
    }

    /// pprof's newTree: a node per (parent node, frame), each sample walked root to leaf.
    fn add_call_tree(&mut self, p: &Profile, o: &GraphOptions, u: &Units, f: &LocationFrames, infos: &[NodeInfo]) {
        let mut edge_index: FxHashMap<u64, u32> = FxHashMap::default();
        let mut children: FxHashMap<(u32, u32), u32> = FxHashMap::default();
        for gi in 0..u.stacks.len() {
            let (w, dw, st) = (u.w[gi], u.dw[gi], Self::set_tags(o, u, gi));
            let mut parent = NOT_KEPT;
            for &l in p.stacks.get(u.stacks[gi]).iter().rev() {
                let ids = f.of(l);
                for li in (0..ids.len()).rev() {
                    let n = *children.entry((parent, ids[li])).or_insert_with(|| {
                        let context = (parent != NOT_KEPT).then_some(parent as usize);
                        self.nodes.push(Node { info: infos[ids[li] as usize].clone(), context, ..Default::default() });
                        (self.nodes.len() - 1) as u32
                    });
                    self.nodes[n as usize].add_sample(dw, w, st, false);
                    if parent != NOT_KEPT {
                        self.add_to_edge(&mut edge_index, parent, n, dw, w, false, li != ids.len() - 1);
                    }
                    parent = n;
                }
            }
            if parent != NOT_KEPT {
                self.nodes[parent as usize].add_sample(dw, w, st, true);
            }
        }
    }

    /// Adds each unit's weight to the nodes (and, `with_edges`, the edges) of
    /// its stack, root to leaf, each once per stack ("seen" stamps instead of
    /// sets); frames of nodes not kept make the next edge residual.
    fn add_stacks(&mut self, p: &Profile, o: &GraphOptions, u: &Units, f: &LocationFrames, with_edges: bool) {
        let mut edge_index: FxHashMap<u64, u32> = FxHashMap::default();
        let mut node_seen = vec![u32::MAX; self.nodes.len()];
        let mut edge_seen: Vec<u32> = Vec::new();
        for gi in 0..u.stacks.len() {
            let (w, dw, st) = (u.w[gi], u.dw[gi], Self::set_tags(o, u, gi));
            let stamp = gi as u32;
            let mut parent = NOT_KEPT;
            let mut residual = false;
            for &l in p.stacks.get(u.stacks[gi]).iter().rev() {
                let ids = f.of(l);
                let outermost = ids.len() - 1;
                for li in (0..ids.len()).rev() {
                    let n = ids[li];
                    if n == NOT_KEPT {
                        residual = true;
                        continue;
                    }
                    let nu = n as usize;
                    if node_seen[nu] != stamp {
                        node_seen[nu] = stamp;
                        self.nodes[nu].add_sample(dw, w, st, false);
                    }
                    if with_edges && parent != NOT_KEPT && parent != n {
                        let inline = li != outermost;
                        let e = self.edge_between(&mut edge_index, parent, n, inline);
                        if e >= edge_seen.len() {
                            edge_seen.resize(e + 1, u32::MAX);
                        }
                        if edge_seen[e] != stamp {
                            edge_seen[e] = stamp;
                            self.edges[e].add(dw, w, residual, inline);
                        }
                    }
                    parent = n;
                    residual = false;
                }
            }
            if parent != NOT_KEPT && !residual {
                self.nodes[parent as usize].add_sample(dw, w, st, true);
            }
        }
    }

    /// selectNodesForGraph: drop empty (and, if asked, negative) nodes.
    fn select_nodes(&mut self, o: &GraphOptions) {
        for (i, n) in self.nodes.iter_mut().enumerate() {
            if n.cum == 0 && n.flat == 0 {
                continue;
            }
            if o.drop_negative && (n.flat < 0 || (n.flat == 0 && n.cum < 0)) {
                continue;
            }
            self.order.push(i);
        }
    }

    /// Names of live nodes and of the nodes their edges reach (edges from
    /// dropped nodes stay in the maps, as in pprof: they still decide
    /// whether a live node is reached inline).
    fn name_nodes(&mut self) {
        let mut named = vec![false; self.nodes.len()];
        for &i in &self.order {
            named[i] = true;
            for &a in self.nodes[i].r#in.keys().chain(self.nodes[i].out.keys()) {
                named[a] = true;
            }
        }
        for (i, n) in self.nodes.iter_mut().enumerate() {
            if named[i] {
                n.printable = n.info.printable_name();
                n.sprint = n.info.go_sprint();
            }
        }
    }

    /// pprof's AddToEdgeDiv: creates the edge or adds to it.
    #[allow(clippy::too_many_arguments)]
    fn add_to_edge(
        &mut self,
        index: &mut FxHashMap<u64, u32>,
        src: u32,
        dest: u32,
        dw: i64,
        w: i64,
        residual: bool,
        inline: bool,
    ) {
        let e = self.edge_between(index, src, dest, inline);
        self.edges[e].add(dw, w, residual, inline);
    }

    /// The edge from `src` to `dest`, created weightless if new (inline
    /// until a non-inline path reaches it).
    fn edge_between(&mut self, index: &mut FxHashMap<u64, u32>, src: u32, dest: u32, inline: bool) -> usize {
        let key = ((src as u64) << 32) | dest as u64;
        if let Some(&e) = index.get(&key) {
            return e as usize;
        }
        let e = self.edges.len();
        let (s, d) = (src as usize, dest as usize);
        self.edges.push(Edge { src: s, dest: d, inline, alive: true, ..Default::default() });
        self.nodes[s].out.insert(d, e);
        self.nodes[d].r#in.insert(s, e);
        index.insert(key, e as u32);
        e
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

    /// pprof's TrimLowFrequencyTags: keeps the tags whose |flat| or |cum|
    /// reaches `cutoff`.
    pub fn trim_low_frequency_tags(&mut self, cutoff: i64) {
        for &i in &self.order {
            let n = &mut self.nodes[i];
            let keep = |t: &TagWeights| t.flat.wrapping_abs() >= cutoff || t.cum.wrapping_abs() >= cutoff;
            n.label_tags.retain(|_, t| keep(t));
            n.numeric_tags.retain(|_, t| keep(&t.w));
        }
    }

    /// pprof's TrimTree: keeps the nodes of a call tree listed in `kept`
    /// (by arena index); the children of a removed node hang from its parent
    /// through residual edges (inline only if both edges were).
    pub fn trim_tree(&mut self, kept: &[bool]) {
        let old = std::mem::take(&mut self.order);
        for cur in old {
            if kept[cur] {
                self.order.push(cur);
                continue;
            }
            let outs: Vec<(usize, usize)> = self.nodes[cur].out.iter().map(|(&d, &e)| (d, e)).collect();
            let parent = match self.nodes[cur].r#in.len() {
                0 => {
                    // A removed root: its children become roots.
                    for (child, _) in outs {
                        self.nodes[child].r#in.remove(&cur);
                    }
                    continue;
                }
                1 => *self.nodes[cur].r#in.keys().next().unwrap(),
                // A tree node has one parent; anything else is left alone.
                _ => continue,
            };
            let parent_edge_inline = self.nodes[parent].out.get(&cur).is_some_and(|&e| self.edges[e].inline);
            self.nodes[parent].out.remove(&cur);
            for (child, e) in outs {
                self.nodes[child].r#in.remove(&cur);
                self.nodes[child].r#in.insert(parent, e);
                self.nodes[parent].out.insert(child, e);
                let edge = &mut self.edges[e];
                edge.src = parent;
                edge.residual = true;
                edge.inline = parent_edge_inline && edge.inline;
            }
        }
        self.remove_redundant_edges();
    }

    /// pprof's RemoveRedundantEdges: drops residual edges whose destination
    /// is reachable from their source another way, lightest first.
    pub fn remove_redundant_edges(&mut self) {
        for k in (0..self.order.len()).rev() {
            let n = self.order[k];
            let ins = self.sorted_in_edges(n);
            for &e in ins.iter().rev() {
                if !self.edges[e].residual {
                    break;
                }
                if self.is_redundant_edge(e) {
                    let (s, d) = (self.edges[e].src, self.edges[e].dest);
                    self.nodes[s].out.remove(&d);
                    self.nodes[d].r#in.remove(&s);
                    self.edges[e].alive = false;
                }
            }
        }
    }

    /// Whether `e.src` reaches `e.dest` without `e` (a walk up the in-edges).
    fn is_redundant_edge(&self, e: usize) -> bool {
        let (src, dest) = (self.edges[e].src, self.edges[e].dest);
        let mut seen = crate::util::hash::FxHashSet::default();
        seen.insert(dest);
        let mut queue = std::collections::VecDeque::from([dest]);
        while let Some(n) = queue.pop_front() {
            for (&s, &ie) in &self.nodes[n].r#in {
                if ie == e || seen.contains(&s) {
                    continue;
                }
                if s == src {
                    return true;
                }
                seen.insert(s);
                queue.push_back(s);
            }
        }
        false
    }

    pub fn sort(&mut self, order: NodeOrder) {
        let nodes = &self.nodes;
        let by_name_then = |l: &Node, r: &Node| l.sprint.cmp(&r.sprint);
        match order {
            NodeOrder::FlatName => self.order.sort_rows_by(|&a, &b| {
                let (l, r) = (&nodes[a], &nodes[b]);
                r.flat
                    .wrapping_abs()
                    .cmp(&l.flat.wrapping_abs())
                    .then_with(|| l.printable.cmp(&r.printable))
                    .then_with(|| r.cum.wrapping_abs().cmp(&l.cum.wrapping_abs()))
                    .then_with(|| by_name_then(l, r))
            }),
            NodeOrder::FlatCumName => self.order.sort_rows_by(|&a, &b| {
                let (l, r) = (&nodes[a], &nodes[b]);
                r.flat
                    .wrapping_abs()
                    .cmp(&l.flat.wrapping_abs())
                    .then_with(|| r.cum.wrapping_abs().cmp(&l.cum.wrapping_abs()))
                    .then_with(|| l.printable.cmp(&r.printable))
                    .then_with(|| by_name_then(l, r))
            }),
            NodeOrder::Name => self.order.sort_rows_by(|&a, &b| {
                let (l, r) = (&nodes[a], &nodes[b]);
                l.info.name.cmp(&r.info.name).then_with(|| by_name_then(l, r))
            }),
            NodeOrder::File => self.order.sort_rows_by(|&a, &b| {
                let (l, r) = (&nodes[a], &nodes[b]);
                l.info
                    .file
                    .cmp(&r.info.file)
                    .then_with(|| l.info.start_line.cmp(&r.info.start_line))
                    .then_with(|| by_name_then(l, r))
            }),
            NodeOrder::Address => self.order.sort_rows_by(|&a, &b| {
                let (l, r) = (&nodes[a], &nodes[b]);
                l.info.address.cmp(&r.info.address).then_with(|| by_name_then(l, r))
            }),
            NodeOrder::CumName | NodeOrder::Entropy => {
                let score: Vec<i64> = if order == NodeOrder::CumName {
                    nodes.iter().map(|n| n.cum).collect()
                } else {
                    (0..nodes.len()).map(|i| self.entropy_score(i)).collect()
                };
                self.order.sort_rows_by(|&a, &b| {
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
        go_int64(score * n.cum as f64).wrapping_add(n.flat)
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
        v.sort_rows_by(|&a, &b| {
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

/// Go's int64(f) on amd64: NaN and out-of-range values become the minimum
/// int64 (Rust's `as` saturates instead). An entropy score is NaN when a
/// node's negative flat weight cancels its out-edges in a diff.
pub fn go_int64(f: f64) -> i64 {
    if !(-9.223_372_036_854_776e18..9.223_372_036_854_776e18).contains(&f) {
        i64::MIN
    } else {
        f as i64
    }
}

/// pprof's ShortenFunctionName: drops package paths and C++/Java qualifiers
/// for compact labels (flame graph, DOT).
pub fn shorten_function_name(f: &str) -> String {
    use std::sync::OnceLock;
    static RES: OnceLock<[regex::Regex; 5]> = OnceLock::new();
    let [anon, gover, go, java, cpp] = RES.get_or_init(|| {
        [
            crate::transform::go_regexp(r"^\(anonymous namespace\)::").unwrap(),
            crate::transform::go_regexp(r"^(.*?)/v(?:[2-9]|[1-9][0-9]+)([./].*)$").unwrap(),
            crate::transform::go_regexp(r"^(?:[\w\-\.]+/)+(.+)").unwrap(),
            crate::transform::go_regexp(
                r"^(?:[a-z]\w*\.)*([A-Z][\w\$]*\.(?:<init>|[a-z][\w\$]*(?:\$\d+)?))(?:(?:\()|$)",
            )
            .unwrap(),
            crate::transform::go_regexp(r"^(?:[_a-zA-Z]\w*::)+(_*[A-Z]\w*::~?[_a-zA-Z]\w*(?:<.*>)?)").unwrap(),
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
