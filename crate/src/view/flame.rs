//! Flame graph layout: the top-down call tree as boxes. A box spans
//! `[x, x + width)` in value units (width = the node's weight, so the root
//! spans the whole profile) and sits one row below its parent; siblings are
//! placed left to right by name, as classic flame graphs do, so the same
//! profile always draws the same picture. The page only scales and draws.
//!
//! Boxes are listed row by row, left to right within a row: the renderer
//! binary-searches a row for the visible span, and a box's parent always
//! comes before it.

use crate::util::sort::SortRows;
use crate::view::calltree::{CallTree, NO_NODE};

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

// ---------------------------------------------------------------------------
// Differential flame graphs.

/// Two call trees (the base's and the target's, made with the same report
/// options) merged by call path: one node per path present on either side.
///
/// In `tree`, `total` and `self_value` are the change (target − base) and
/// `weight` — the box width — holds both sides: the larger of the two self
/// values plus the children's widths. A leaf is as wide as its larger side;
/// an inner box is at least as wide as either side (children that grew and
/// children that shrank both keep their room), so boxes always nest.
#[derive(Clone, Debug, Default)]
pub struct DiffTree {
    pub tree: CallTree,
    /// Per node: the base's and the target's total through the path.
    pub base: Vec<i64>,
    pub target: Vec<i64>,
}

/// Merges `base` and `target` (both top-down) into a [`DiffTree`]. Frames are
/// matched by printed name and inline mark; children stay in name order.
pub fn diff_tree(base: &CallTree, target: &CallTree) -> DiffTree {
    use crate::util::hash::FxHashMap;
    let mut t = CallTree { inverted: false, ..Default::default() };
    let mut frame_ids: FxHashMap<(String, bool), u32> = FxHashMap::default();
    let root = base.frames.first().or(target.frames.first()).cloned().unwrap_or(crate::view::calltree::Frame {
        name: "root".into(),
        short: "root".into(),
        package: String::new(),
        inline: false,
    });
    t.frames.push(root);
    t.frame.push(0);
    t.parent.push(NO_NODE);
    t.depth.push(0);
    let mut index: FxHashMap<(u32, u32), u32> = FxHashMap::default();
    // totals and self values per side
    let mut tot = [vec![0i64], vec![0i64]];
    let mut slf = [vec![0i64], vec![0i64]];
    for (side, src) in [base, target].into_iter().enumerate() {
        let mut map = vec![0u32; src.len()];
        for i in 1..src.len() {
            // Nodes come after their parents (build_call_tree makes them depth-first).
            let parent = map[src.parent[i] as usize];
            let f = &src.frames[src.frame[i] as usize];
            let next = t.frames.len() as u32;
            let fid = *frame_ids.entry((f.name.clone(), f.inline)).or_insert_with(|| {
                t.frames.push(f.clone());
                next
            });
            let n = t.frame.len() as u32;
            let m = *index.entry((parent, fid)).or_insert_with(|| {
                t.frame.push(fid);
                t.parent.push(parent);
                t.depth.push(t.depth[parent as usize] + 1);
                for v in tot.iter_mut().chain(slf.iter_mut()) {
                    v.push(0);
                }
                n
            });
            map[i] = m;
            tot[side][m as usize] = tot[side][m as usize].wrapping_add(src.total[i]);
            slf[side][m as usize] = slf[side][m as usize].wrapping_add(src.self_value[i]);
        }
        if !src.is_empty() {
            tot[side][0] = tot[side][0].wrapping_add(src.total[0]);
            slf[side][0] = slf[side][0].wrapping_add(src.self_value[0]);
        }
    }
    let len = t.frame.len();
    // Children in name order (then not inlined before inlined).
    let mut kids: Vec<Vec<u32>> = vec![Vec::new(); len];
    for c in 1..len {
        kids[t.parent[c] as usize].push(c as u32);
    }
    t.child_start = Vec::with_capacity(len + 1);
    t.child_start.push(0);
    for k in kids.iter_mut() {
        k.sort_rows_by(|&a, &b| {
            let (fa, fb) = (&t.frames[t.frame[a as usize] as usize], &t.frames[t.frame[b as usize] as usize]);
            fa.name.cmp(&fb.name).then(fa.inline.cmp(&fb.inline))
        });
        t.children.extend_from_slice(k);
        t.child_start.push(t.children.len() as u32);
    }
    // Widths bottom-up: children are made after their parents.
    t.weight = vec![0; len];
    for i in (0..len).rev() {
        let own = slf[0][i].wrapping_abs().max(slf[1][i].wrapping_abs());
        let below: i64 = kids[i].iter().map(|&c| t.weight[c as usize]).sum();
        t.weight[i] = own + below;
    }
    t.total = (0..len).map(|i| tot[1][i].wrapping_sub(tot[0][i])).collect();
    t.self_value = (0..len).map(|i| slf[1][i].wrapping_sub(slf[0][i])).collect();
    let [b, g] = tot;
    DiffTree { tree: t, base: b, target: g }
}

/// Per box of a layout of a [`DiffTree`]: both sides and the relative change
/// `(target − base) / max(|base|, |target|)`, from −1 (gone) to +1 (new), 0
/// when both are 0: what the box's colour and its intensity show.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DiffBoxes {
    pub base: Vec<f64>,
    pub target: Vec<f64>,
    pub change: Vec<f64>,
}

pub fn diff_boxes(d: &DiffTree, l: &FlameLayout) -> DiffBoxes {
    let mut out = DiffBoxes::default();
    for &n in &l.node {
        let (b, t) = (d.base[n as usize], d.target[n as usize]);
        let m = b.wrapping_abs().max(t.wrapping_abs());
        out.base.push(b as f64);
        out.target.push(t as f64);
        out.change.push(if m == 0 { 0.0 } else { (t - b) as f64 / m as f64 });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decode::{decode, Limits};
    use crate::report::{Options, Report, ReportKind};
    use crate::view::calltree::build_call_tree;

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
        for (i, sum) in child_sum.iter().enumerate() {
            // with min_width 0 and non-negative values, children and self fill the parent exactly
            assert_eq!(sum + l.self_value[i], l.width[i], "box {i}: widths add up");
        }
    }

    #[test]
    fn layout_invariants_on_fixtures() {
        for (f, si) in [
            ("heap_t1.pb.gz", ""),
            ("heap_t1.pb.gz", "alloc_objects"),
            ("goroutine_t1.pb.gz", ""),
            ("cpu_t1.pb.gz", ""),
        ] {
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

    /// Boxes nest and never overlap (the check above without the exact sums).
    fn check_nesting(l: &FlameLayout) {
        for d in 0..l.rows() {
            let (s, e) = (l.row_start[d] as usize, l.row_start[d + 1] as usize);
            for i in s..e {
                if i > s {
                    assert!(l.x[i - 1] + l.width[i - 1] <= l.x[i]);
                }
                if i > 0 {
                    let p = l.parent[i] as usize;
                    assert!(
                        l.x[i] >= l.x[p] && l.x[i] + l.width[i] <= l.x[p] + l.width[p],
                        "box {i} inside its parent"
                    );
                }
            }
        }
    }

    #[test]
    fn a_tree_diffed_with_itself_changes_nothing_and_keeps_its_widths() {
        let t = tree("heap_t1.pb.gz", "");
        let d = diff_tree(&t, &t);
        assert_eq!(d.tree.len(), t.len());
        assert!(d.tree.total.iter().chain(&d.tree.self_value).all(|&v| v == 0));
        assert_eq!(d.base, d.target);
        let (a, b) = (layout(&t, 0.0), layout(&d.tree, 0.0));
        assert_eq!(a.width, b.width, "same widths as the profile's own flame graph");
        assert!(diff_boxes(&d, &b).change.iter().all(|&c| c == 0.0));
    }

    #[test]
    fn goroutine_diff_tree_holds_both_sides() {
        let (t0, t1) = (tree("goroutine_t0.pb.gz", ""), tree("goroutine_t1.pb.gz", ""));
        let d = diff_tree(&t0, &t1);
        assert_eq!(d.base[0], t0.total[0]);
        assert_eq!(d.target[0], t1.total[0]);
        for i in 0..d.tree.len() {
            assert_eq!(d.tree.total[i], d.target[i] - d.base[i]);
            assert!(d.tree.weight[i] >= d.base[i].abs().max(d.target[i].abs()), "node {i}: wide enough for both sides");
        }
        let l = layout(&d.tree, 0.0);
        check_nesting(&l);
        let boxes = diff_boxes(&d, &l);
        // readLoop grew: its box is red (positive change) and holds each side's total through it.
        let sum = |t: &CallTree, name: &str| -> i64 {
            (0..t.len()).filter(|&i| t.frame_of(i as u32).name == name).map(|i| t.total[i]).sum()
        };
        let rl = "net/http.(*persistConn).readLoop";
        let i = (0..l.len()).find(|&i| d.tree.frames[l.frame[i] as usize].name == rl).unwrap();
        assert_eq!(boxes.base[i] as i64, sum(&t0, rl));
        assert_eq!(boxes.target[i] as i64, sum(&t1, rl));
        assert!(boxes.change[i] > 0.5);
        // Swapping the sides negates every change and keeps every width.
        let s = diff_tree(&t1, &t0);
        let ls = layout(&s.tree, 0.0);
        assert_eq!(ls.width, l.width);
        let bs = diff_boxes(&s, &ls);
        for k in 0..l.len() {
            assert_eq!(bs.change[k], -boxes.change[k]);
        }
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
