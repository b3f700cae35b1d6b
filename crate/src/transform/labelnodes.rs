//! `tagroot` / `tagleaf` (pprof's driver/tagroot.go): label values become
//! pseudo frames, so a graph or flame graph splits by label. A frame's
//! function is the sample's values of the key (numeric ones formatted,
//! comma-joined) and its file is the key.

use crate::model::*;
use crate::util::hash::FxHashMap;
use crate::util::units;
use std::sync::Arc;

/// The values of label `key` on a sample, numeric ones formatted in `unit`.
fn label_values(p: &Profile, set: &LabelSet, key: StrId, unit: &str) -> Vec<String> {
    let mut values: Vec<String> = set.values(key).map(|v| p.str(v).to_string()).collect();
    let nums: Vec<&NumLabel> = set.nums.iter().filter(|n| n.key == key).collect();
    // pprof formats in the output unit only when the key carries units.
    let has_units = nums.iter().any(|n| n.unit != StrId(0));
    for n in nums {
        values.push(if has_units {
            units::scaled_label(n.value, p.str(n.unit), unit)
        } else {
            units::scaled_label(n.value, "", "")
        });
    }
    values
}

/// Adds the pseudo frames: the first of `root_keys` becomes the new root,
/// the last of `leaf_keys` the new leaf. Every sample gets one frame per key
/// (an empty name when it lacks the label). Returns whether some sample had
/// a value for a root key, and for a leaf key.
pub fn add_label_nodes(p: &Profile, root_keys: &[String], leaf_keys: &[String], unit: &str) -> (Profile, bool, bool) {
    let mut out = p.clone();
    let (mut rootm, mut leafm) = (false, false);
    let mut next_func = p.functions.iter().map(|f| f.id).max().unwrap_or(0).wrapping_add(1);
    let mut next_loc = p.locations.iter().map(|l| l.id).max().unwrap_or(0).wrapping_add(1);
    let mut locs: FxHashMap<(String, String), LocId> = FxHashMap::default();
    let mut intern_loc = |out: &mut Profile, name: String, file: &str| -> LocId {
        if let Some(&l) = locs.get(&(name.clone(), file.to_string())) {
            return l;
        }
        let f = FuncId(out.functions.len() as u32);
        let (n, fl) = (out.strings.intern(&name), out.strings.intern(file));
        out.functions.push(Function { id: next_func, name: n, system_name: StrId(0), filename: fl, start_line: 0 });
        next_func = next_func.wrapping_add(1);
        let l = LocId(out.locations.len() as u32);
        out.locations.push(Location {
            id: next_loc,
            lines: vec![Line { function: f, line: 0, column: 0 }],
            ..Default::default()
        });
        next_loc = next_loc.wrapping_add(1);
        locs.insert((name, file.to_string()), l);
        l
    };
    // Frames per label set, leaf side and root side (outermost last).
    let mut per_set: Vec<Option<(Vec<LocId>, Vec<LocId>)>> = vec![None; p.label_sets.len()];
    let mut table = StackTable::default();
    let mut memo: FxHashMap<(StackId, LabelSetId), StackId> = FxHashMap::default();
    let mut s = Samples { labels: p.samples.labels.clone(), values: p.samples.values.clone(), ..Default::default() };
    let mut frames = Vec::new();
    for i in 0..p.samples.len() {
        let (sid, lid) = (p.samples.stacks[i], p.samples.labels[i]);
        if per_set[lid.idx()].is_none() {
            let set = p.label_sets.get(lid);
            let mut make = |keys: &[String], matched: &mut bool| -> Vec<LocId> {
                keys.iter()
                    .rev()
                    .map(|k| {
                        let key = p.strings.find(k).unwrap_or(StrId(u32::MAX));
                        let values = if key.0 == u32::MAX { Vec::new() } else { label_values(p, set, key, unit) };
                        *matched |= !values.is_empty();
                        intern_loc(&mut out, values.join(","), k)
                    })
                    .collect()
            };
            let leaves = make(leaf_keys, &mut leafm);
            let roots = make(root_keys, &mut rootm);
            per_set[lid.idx()] = Some((leaves, roots));
        }
        let new = *memo.entry((sid, lid)).or_insert_with(|| {
            let (leaves, roots) = per_set[lid.idx()].as_ref().unwrap();
            frames.clear();
            frames.extend_from_slice(leaves);
            frames.extend_from_slice(p.stacks.get(sid));
            frames.extend_from_slice(roots);
            table.intern(&frames)
        });
        s.stacks.push(new);
    }
    out.stacks = Arc::new(table);
    out.samples = Arc::new(s);
    out.goroutines = None;
    (out, rootm, leafm)
}
