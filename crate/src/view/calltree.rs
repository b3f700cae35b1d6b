//! Call trees: a report's stacks as a prefix tree of frames, one node per
//! distinct call path, top-down (callers first) or inverted (leaf first).
//! Inlined functions are frames of their own, marked `inline`, as in pprof's
//! flame graph. The flame graph (flame.rs) lays out the top-down tree; the
//! page's call-tree view reads children of one node at a time.
//!
//! Frames are named as the top table names its rows (pprof's NodeInfo
//! printable name at the report's granularity), so a name picked in one view
//! finds the same function in the others.

use crate::model::*;
use crate::report::graph::{node_info, shorten_function_name, GraphOptions, NodeInfo};
use crate::report::Report;
use crate::util::hash::FxHashMap;
use crate::util::sort::SortRows;

/// One distinct frame: the same function reached inline and not inline are two frames.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Frame {
    /// As the top table prints it.
    pub name: String,
    /// pprof's ShortenFunctionName, for narrow boxes.
    pub short: String,
    /// The package (or directory) that picks the frame's colour.
    pub package: String,
    /// Inlined into its caller (not the outermost function at its address).
    pub inline: bool,
}

pub const NO_NODE: u32 = u32::MAX;

/// Nodes are indexed by `u32`; node 0 is the synthetic root (frame 0, "root").
#[derive(Clone, Debug, Default)]
pub struct CallTree {
    pub inverted: bool,
    pub frames: Vec<Frame>,
    /// Per node: its frame, its parent (`NO_NODE` for the root), its depth.
    pub frame: Vec<u32>,
    pub parent: Vec<u32>,
    pub depth: Vec<u32>,
    /// Sum of the values of the samples whose path goes through the node.
    pub total: Vec<i64>,
    /// Sum of the values of the samples whose path ends at the node.
    pub self_value: Vec<i64>,
    /// Sum of |value| through the node: what a box's width shows, so that
    /// children never outgrow their parent even when values have both signs.
    pub weight: Vec<i64>,
    /// Children of node `i` are `children[child_start[i]..child_start[i + 1]]`,
    /// in name order.
    pub child_start: Vec<u32>,
    pub children: Vec<u32>,
}

impl CallTree {
    pub fn len(&self) -> usize {
        self.frame.len()
    }

    pub fn is_empty(&self) -> bool {
        self.frame.len() <= 1
    }

    pub fn children_of(&self, node: u32) -> &[u32] {
        let i = node as usize;
        &self.children[self.child_start[i] as usize..self.child_start[i + 1] as usize]
    }

    /// Children of `node`, heaviest (by |total|) first, then by name.
    pub fn children_by_weight(&self, node: u32) -> Vec<u32> {
        let mut v = self.children_of(node).to_vec();
        // Stable: equal weights keep name order.
        v.sort_rows_by(|&a, &b| self.total[b as usize].wrapping_abs().cmp(&self.total[a as usize].wrapping_abs()));
        v
    }

    pub fn frame_of(&self, node: u32) -> &Frame {
        &self.frames[self.frame[node as usize] as usize]
    }
}

/// pprof's packageName (internal/report/package.go): the name up to the first
/// "." or "::" after the last "/", if what precedes it is a word.
pub fn package_name(name: &str) -> &str {
    let start = name.rfind('/').map_or(0, |i| i + 1);
    let rest = &name[start..];
    let Some(end) = rest.find(['.', ':']) else { return "" };
    if rest.as_bytes()[end] == b':' && !rest[end..].starts_with("::") {
        return "";
    }
    let word = &rest[..end];
    if word.is_empty() || !word.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'_') {
        return "";
    }
    &name[..start + end]
}

fn make_frame(info: &NodeInfo, inline: bool) -> Frame {
    let name = info.printable_name();
    let (short, package) = if !info.name.is_empty() {
        (shorten_function_name(&name), package_name(&info.name).to_string())
    } else if !info.file.is_empty() {
        let dir = info.file.rfind('/').map_or("", |i| &info.file[..i]);
        (name.clone(), dir.to_string())
    } else {
        (name.clone(), info.objfile.clone())
    };
    Frame { name, short, package, inline }
}

/// Builds the call tree of a report's profile for its sample index.
pub fn build_call_tree(rpt: &Report, inverted: bool) -> CallTree {
    let p = &rpt.prof;
    let mut t = CallTree { inverted, ..Default::default() };
    t.frames.push(Frame { name: "root".into(), short: "root".into(), package: String::new(), inline: false });
    let (loc_start, loc_frames) = location_frames(&mut t, p, &rpt.graph_options());
    let (w, m) = stack_values(rpt);

    // Each stack as a path of frame ranks (frames sorted by name), sorted:
    // paths that share a prefix become neighbours, so the tree is built in
    // one pass with no lookups, and children come out in name order.
    let mut by_name: Vec<u32> = (0..t.frames.len() as u32).collect();
    by_name.sort_rows_by(|&a, &b| t.frames[a as usize].name.cmp(&t.frames[b as usize].name).then(a.cmp(&b)));
    let mut rank = vec![0u32; by_name.len()];
    for (r, &f) in by_name.iter().enumerate() {
        rank[f as usize] = r as u32;
    }
    let mut ranks: Vec<u32> = Vec::new();
    let mut paths: Vec<(u32, u32, StackId)> = Vec::new();
    for (sid, locs) in p.stacks.iter() {
        if m[sid.idx()] == 0 {
            continue;
        }
        let start = ranks.len();
        for l in locs.iter().rev() {
            let frames = &loc_frames[loc_start[l.idx()] as usize..loc_start[l.idx() + 1] as usize];
            ranks.extend(frames.iter().map(|&f| rank[f as usize]));
        }
        if inverted {
            ranks[start..].reverse();
        }
        paths.push((start as u32, ranks.len() as u32, sid));
    }
    let path_of = |e: &(u32, u32, StackId)| &ranks[e.0 as usize..e.1 as usize];
    // One entry per distinct stack (up to millions): the unstable sort in
    // place, without the row sort's index vectors.
    #[allow(clippy::disallowed_methods)]
    paths.sort_unstable_by(|a, b| path_of(a).cmp(path_of(b)));

    t.add_node(0, NO_NODE, 0);
    let mut stack: Vec<u32> = vec![0];
    let mut prev: &[u32] = &[];
    for e in &paths {
        let path = path_of(e);
        let lcp = path.iter().zip(prev).take_while(|(a, b)| a == b).count();
        stack.truncate(lcp + 1);
        for &r in &path[lcp..] {
            let parent = *stack.last().unwrap();
            let id = t.add_node(by_name[r as usize], parent, stack.len() as u32);
            stack.push(id);
        }
        let (v, mag) = (w[e.2.idx()], m[e.2.idx()]);
        for &i in &stack {
            let i = i as usize;
            t.total[i] = t.total[i].wrapping_add(v);
            t.weight[i] = t.weight[i].wrapping_add(mag);
        }
        let leaf = *stack.last().unwrap() as usize;
        t.self_value[leaf] = t.self_value[leaf].wrapping_add(v);
        prev = path;
    }
    t.link_children();
    t
}

/// The frames of each location, outermost (caller) first, added to `t.frames`
/// once each: `frames[start[l]..start[l + 1]]` are location l's.
fn location_frames(t: &mut CallTree, p: &Profile, go: &GraphOptions) -> (Vec<u32>, Vec<u32>) {
    let mut frame_index: FxHashMap<(NodeInfo, bool), u32> = FxHashMap::default();
    let mut start: Vec<u32> = Vec::with_capacity(p.locations.len() + 1);
    let mut frames: Vec<u32> = Vec::with_capacity(p.locations.len() * 2);
    for loc in &p.locations {
        start.push(frames.len() as u32);
        let lines: Vec<Option<&Line>> =
            if loc.lines.is_empty() { vec![None] } else { loc.lines.iter().rev().map(Some).collect() };
        for (i, line) in lines.into_iter().enumerate() {
            let inline = i != 0;
            let info = node_info(p, loc, line, go);
            let next = t.frames.len() as u32;
            let id = *frame_index.entry((info, inline)).or_insert_with_key(|(info, inline)| {
                t.frames.push(make_frame(info, *inline));
                next
            });
            frames.push(id);
        }
    }
    start.push(frames.len() as u32);
    (start, frames)
}

/// The value and the magnitude (sum of |values|) of each distinct stack:
/// the tree is walked once per stack, not per sample.
fn stack_values(rpt: &Report) -> (Vec<i64>, Vec<i64>) {
    let p = &rpt.prof;
    let n = p.num_types();
    let mut w = vec![0i64; p.stacks.len()];
    let mut m = vec![0i64; p.stacks.len()];
    for (i, &sid) in p.samples.stacks.iter().enumerate() {
        let v = p.samples.values[i * n + rpt.sample_index];
        w[sid.idx()] = w[sid.idx()].wrapping_add(v);
        m[sid.idx()] = m[sid.idx()].wrapping_add(v.wrapping_abs());
    }
    (w, m)
}

impl CallTree {
    fn add_node(&mut self, frame: u32, parent: u32, depth: u32) -> u32 {
        self.frame.push(frame);
        self.parent.push(parent);
        self.depth.push(depth);
        self.total.push(0);
        self.self_value.push(0);
        self.weight.push(0);
        (self.frame.len() - 1) as u32
    }

    /// Children lists (CSR). Nodes were made depth-first with siblings in
    /// name order, so filling by node id keeps that order.
    fn link_children(&mut self) {
        let len = self.frame.len();
        let mut start = vec![0u32; len + 1];
        for &par in &self.parent[1..] {
            start[par as usize + 1] += 1;
        }
        for i in 0..len {
            start[i + 1] += start[i];
        }
        let mut fill = start.clone();
        let mut children = vec![0u32; len.saturating_sub(1)];
        for c in 1..len {
            let par = self.parent[c] as usize;
            children[fill[par] as usize] = c as u32;
            fill[par] += 1;
        }
        self.child_start = start;
        self.children = children;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decode::{decode, Limits};
    use crate::report::top::build_top;
    use crate::report::{Options, ReportKind};

    fn report(fixture: &str, sample_index: &str) -> Report {
        let path = format!("{}/../tests/fixtures/go/{fixture}", env!("CARGO_MANIFEST_DIR"));
        let p = decode(&std::fs::read(path).unwrap(), &Limits::default()).unwrap();
        let o = Options { sample_index: sample_index.into(), ..Options::default() };
        Report::new(&p, ReportKind::Top, &o).unwrap()
    }

    fn check_sums(t: &CallTree) {
        for i in 0..t.len() as u32 {
            let kids = t.children_of(i);
            let sum: i64 = kids.iter().map(|&c| t.total[c as usize]).sum();
            assert_eq!(t.total[i as usize], t.self_value[i as usize] + sum, "node {i}: total = self + children");
            let wsum: i64 = kids.iter().map(|&c| t.weight[c as usize]).sum();
            assert!(wsum <= t.weight[i as usize]);
            for &c in kids {
                assert_eq!(t.parent[c as usize], i);
                assert_eq!(t.depth[c as usize], t.depth[i as usize] + 1);
            }
            for w in kids.windows(2) {
                assert!(t.frame_of(w[0]).name <= t.frame_of(w[1]).name, "children in name order");
                assert_ne!(t.frame[w[0] as usize], t.frame[w[1] as usize], "one child per frame");
            }
            let heavy = t.children_by_weight(i);
            for w in heavy.windows(2) {
                assert!(t.total[w[0] as usize].abs() >= t.total[w[1] as usize].abs(), "heaviest first");
            }
        }
        let self_sum: i64 = t.self_value.iter().sum();
        assert_eq!(t.total[0], self_sum, "root total = sum of all self values");
    }

    #[test]
    fn sums_hold_for_every_fixture_and_direction() {
        for (f, si) in [
            ("heap_t1.pb.gz", ""),
            ("heap_t1.pb.gz", "alloc_space"),
            ("goroutine_t1.pb.gz", ""),
            ("cpu_t1.pb.gz", ""),
            ("block_t1.pb.gz", ""),
        ] {
            let rpt = report(f, si);
            let total: i64 = (0..rpt.prof.samples.len()).map(|i| rpt.prof.sample_values(i)[rpt.sample_index]).sum();
            for inverted in [false, true] {
                let t = build_call_tree(&rpt, inverted);
                assert!(t.len() > 10, "{f}: a real tree");
                assert_eq!(t.total[0], total, "{f}: root total = sum of sample values");
                check_sums(&t);
            }
        }
    }

    /// The inverted tree's first level holds each leaf function once, with
    /// its flat value; the top-down tree's first-level frames are the roots.
    #[test]
    fn inverted_first_level_equals_flat() {
        let mut rpt = report("heap_t1.pb.gz", "");
        let inv = build_call_tree(&rpt, true);
        let top = build_top(&mut rpt);
        let mut flat: FxHashMap<String, i64> = FxHashMap::default();
        for &c in inv.children_of(0) {
            *flat.entry(inv.frame_of(c).name.clone()).or_default() += inv.total[c as usize];
        }
        let mut checked = 0;
        for r in top.rows.iter().filter(|r| r.flat != 0) {
            assert_eq!(flat.get(&r.name).copied(), Some(r.flat), "{}", r.name);
            checked += 1;
        }
        assert!(checked > 5);
        // bufio.NewReaderSize is inlined into its caller: marked so.
        assert!(inv
            .children_of(0)
            .iter()
            .any(|&c| inv.frame_of(c).name == "bufio.NewReaderSize" && inv.frame_of(c).inline));
    }

    /// A node's total equals the function's cum when the function occurs on
    /// one path only, and never exceeds it.
    #[test]
    fn totals_agree_with_cum() {
        let mut rpt = report("goroutine_t1.pb.gz", "");
        let t = build_call_tree(&rpt, false);
        let top = build_top(&mut rpt);
        let mut sum: FxHashMap<&str, i64> = FxHashMap::default();
        for i in 1..t.len() {
            // count a function once per path: only where no ancestor has the same name
            let name = &t.frame_of(i as u32).name;
            let mut a = t.parent[i];
            let mut dup = false;
            while a != NO_NODE && a != 0 {
                dup |= &t.frame_of(a).name == name;
                a = t.parent[a as usize];
            }
            if !dup {
                *sum.entry(name.as_str()).or_default() += t.total[i];
            }
        }
        for r in &top.rows {
            assert_eq!(sum.get(r.name.as_str()).copied(), Some(r.cum), "{}", r.name);
        }
    }

    #[test]
    fn package_names() {
        assert_eq!(package_name("net/http.(*persistConn).readLoop"), "net/http");
        assert_eq!(package_name("runtime.gopark"), "runtime");
        assert_eq!(package_name("github.com/a/b.c/d.F"), "github.com/a/b.c/d");
        assert_eq!(package_name("std::vector<int>::push_back"), "std");
        assert_eq!(package_name("main"), "");
        assert_eq!(package_name("<img src=x onerror=alert(1)>"), "");
    }
}
