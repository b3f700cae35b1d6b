//! Flame graph layout: the top-down call tree as boxes. A box spans
//! `[x, x + width)` in value units (width = the node's weight, so the root
//! spans the whole profile) and sits one row below its parent; siblings are
//! placed left to right by name, as classic flame graphs do, so the same
//! profile always draws the same picture. The page only scales and draws.
//!
//! Boxes are listed row by row, left to right within a row: the renderer
//! binary-searches a row for the visible span, and a box's parent always
//! comes before it.

use super::calltree::{CallTree, NO_NODE};

#[derive(Clone, Debug, Default, PartialEq)]
pub struct FlameLayout {
    /// Per box: frame (index into the tree's frames), row, parent box
    /// (`NO_NODE` for the root), the call-tree node it draws.
    pub frame: Vec<u32>,
    pub depth: Vec<u32>,
    pub parent: Vec<u32>,
    pub node: Vec<u32>,
    /// Left edge and width in value units.
    pub x: Vec<f64>,
    pub width: Vec<f64>,
    /// The node's signed total and self values.
    pub total: Vec<f64>,
    pub self_value: Vec<f64>,
    /// Boxes of row `d` are `row_start[d]..row_start[d + 1]`.
    pub row_start: Vec<u32>,
}

impl FlameLayout {
    pub fn len(&self) -> usize {
        self.frame.len()
    }

    pub fn is_empty(&self) -> bool {
        self.frame.is_empty()
    }

    pub fn rows(&self) -> usize {
        self.row_start.len().saturating_sub(1)
    }
}

/// Lays out `tree` (which must be top-down) from its root. Boxes narrower
/// than `min_width` value units are left out with their subtrees (their
/// parent keeps the space); with 0 every node of non-zero weight is laid out.
pub fn layout(tree: &CallTree, min_width: f64) -> FlameLayout {
    layout_from(tree, 0, min_width)
}

/// The layout of a view zoomed into node `zoom`: its ancestors, one per row,
/// narrowed to its span (their `total` stays their own), then its subtree.
/// The geometric invariant holds for every box.
pub fn layout_from(tree: &CallTree, zoom: u32, min_width: f64) -> FlameLayout {
    let mut l = FlameLayout::default();
    l.row_start.push(0);
    if (zoom as usize) >= tree.len() || tree.weight[zoom as usize] == 0 {
        return l;
    }
    let push = |l: &mut FlameLayout, node: u32, parent: u32, x: f64, width: f64| {
        let i = node as usize;
        l.frame.push(tree.frame[i]);
        l.depth.push(tree.depth[i]);
        l.parent.push(parent);
        l.node.push(node);
        l.x.push(x);
        l.width.push(width);
        l.total.push(tree.total[i] as f64);
        l.self_value.push(tree.self_value[i] as f64);
    };
    // The zoomed node's x: its left siblings' widths, up to the root.
    let mut chain = vec![zoom];
    while let Some(&n) = chain.last() {
        match tree.parent[n as usize] {
            NO_NODE => break,
            p => chain.push(p),
        }
    }
    chain.reverse();
    let mut x = 0.0;
    for pair in chain.windows(2) {
        for &c in tree.children_of(pair[0]) {
            if c == pair[1] {
                break;
            }
            x += tree.weight[c as usize] as f64;
        }
    }
    let width = tree.weight[zoom as usize] as f64;
    for (d, &n) in chain.iter().enumerate() {
        let parent = if d == 0 { NO_NODE } else { (d - 1) as u32 };
        push(&mut l, n, parent, x, width);
        l.row_start.push(l.len() as u32);
    }
    // Children are in name order already: each row is left to right.
    let mut row = l.len() - 1..l.len();
    while !row.is_empty() {
        let next_start = l.len();
        for b in row.clone() {
            let mut x = l.x[b];
            for &c in tree.children_of(l.node[b]) {
                let w = tree.weight[c as usize] as f64;
                if w > 0.0 && w >= min_width {
                    push(&mut l, c, b as u32, x, w);
                }
                x += w;
            }
        }
        if l.len() > next_start {
            l.row_start.push(l.len() as u32);
        }
        row = next_start..l.len();
    }
    l
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decode::{decode, Limits};
    use crate::view::calltree::build_call_tree;
    use crate::view::report::{Options, Report, ReportKind};

    fn tree(fixture: &str, sample_index: &str) -> CallTree {
        let path = format!("{}/../tests/fixtures/go/{fixture}", env!("CARGO_MANIFEST_DIR"));
        let p = decode(&std::fs::read(path).unwrap(), &Limits::default()).unwrap();
        let o = Options { sample_index: sample_index.into(), ..Options::default() };
        build_call_tree(&Report::new(&p, ReportKind::Top, &o).unwrap(), false)
    }

    /// pprof's geometric invariant: every box lies inside its parent's span,
    /// one row below it; siblings do not overlap; widths add up.
    fn check(l: &FlameLayout, tree: &CallTree) {
        assert_eq!(l.x[0], 0.0);
        assert_eq!(l.width[0], tree.weight[0] as f64);
        let mut child_sum = vec![0.0f64; l.len()];
        for d in 0..l.rows() {
            let (s, e) = (l.row_start[d] as usize, l.row_start[d + 1] as usize);
            assert!(s < e, "row {d} is not empty");
            for i in s..e {
                assert_eq!(l.depth[i] as usize, d);
                if i > s {
                    assert!(l.x[i - 1] + l.width[i - 1] <= l.x[i], "row {d}: boxes left to right, no overlap");
                }
                if i == 0 {
                    continue;
                }
                let p = l.parent[i] as usize;
                assert!(p < i, "parents come first");
                assert_eq!(l.depth[p] + 1, l.depth[i], "one row below the parent");
                assert!(l.x[i] >= l.x[p] && l.x[i] + l.width[i] <= l.x[p] + l.width[p], "inside the parent's span");
                assert!(l.width[i] > 0.0);
                child_sum[p] += l.width[i];
                assert_eq!(tree.parent[l.node[i] as usize], l.node[p]);
            }
        }
        for i in 0..l.len() {
            // with min_width 0 and non-negative values, children and self fill the parent exactly
            assert_eq!(child_sum[i] + l.self_value[i], l.width[i], "box {i}: widths add up");
        }
    }

    #[test]
    fn layout_invariants_on_fixtures() {
        for (f, si) in [("heap_t1.pb.gz", ""), ("heap_t1.pb.gz", "alloc_objects"), ("goroutine_t1.pb.gz", ""), ("cpu_t1.pb.gz", "")] {
            let t = tree(f, si);
            let l = layout(&t, 0.0);
            assert_eq!(l.len(), (0..t.len()).filter(|&i| t.weight[i] > 0).count(), "{f}: every node laid out");
            check(&l, &t);
        }
    }

    #[test]
    fn min_width_drops_narrow_subtrees_only() {
        let t = tree("heap_t1.pb.gz", "");
        let full = layout(&t, 0.0);
        let min = t.weight[0] as f64 / 20.0;
        let l = layout(&t, min);
        assert!(l.len() < full.len());
        assert!(l.width.iter().all(|&w| w >= min));
        for i in 1..l.len() {
            let p = l.parent[i] as usize;
            assert!(l.x[i] >= l.x[p] && l.x[i] + l.width[i] <= l.x[p] + l.width[p]);
        }
    }

    #[test]
    fn zoomed_layout_keeps_the_invariant_and_the_subtree() {
        let t = tree("goroutine_t1.pb.gz", "");
        let full = layout(&t, 0.0);
        // a node a few rows down, with several children
        let b = (0..full.len()).find(|&i| full.depth[i] >= 2 && t.children_of(full.node[i]).len() > 1).unwrap();
        let d0 = full.depth[b] as usize;
        let z = layout_from(&t, full.node[b], 0.0);
        assert!(z.rows() <= full.rows());
        for d in 0..=d0 {
            let (s, e) = (z.row_start[d] as usize, z.row_start[d + 1] as usize);
            assert_eq!(e - s, 1, "one ancestor (or the zoomed box) per row above the subtree");
            assert_eq!((z.x[s], z.width[s]), (full.x[b], full.width[b]));
        }
        for i in 1..z.len() {
            let p = z.parent[i] as usize;
            assert_eq!(z.depth[p] + 1, z.depth[i]);
            assert!(z.x[i] >= z.x[p] && z.x[i] + z.width[i] <= z.x[p] + z.width[p]);
        }
        // below the zoomed box: exactly the boxes of its subtree in the full layout, same places
        let mut inside = vec![false; full.len()];
        inside[b] = true;
        let mut expect = Vec::new();
        for i in b + 1..full.len() {
            if inside[full.parent[i] as usize] {
                inside[i] = true;
                expect.push((full.node[i], full.x[i], full.width[i]));
            }
        }
        let got: Vec<(u32, f64, f64)> = (d0 + 1..z.len()).map(|i| (z.node[i], z.x[i], z.width[i])).collect();
        assert_eq!(got, expect);
    }

    #[test]
    fn siblings_are_ordered_by_name() {
        let t = tree("goroutine_t1.pb.gz", "");
        let l = layout(&t, 0.0);
        for i in 1..l.len() {
            if l.parent[i] == l.parent[i - 1] {
                let (a, b) = (&t.frames[l.frame[i - 1] as usize].name, &t.frames[l.frame[i] as usize].name);
                assert!(a <= b, "{a} before {b}");
            }
        }
    }
}
