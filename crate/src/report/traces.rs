//! pprof's `-traces` (printTraces): every sample with its labels, its value
//! and its stack, leaf first, inlined frames marked. The report holds the
//! profile merged as pprof holds it after loading (`Report::new` does it),
//! so samples come in pprof's order.

use super::graph::{node_info, GraphOptions};
use super::Report;
use crate::model::*;
use crate::util::sort::SortRows;
use crate::util::units;

/// One frame of a trace.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Frame {
    pub name: String,
    pub inline: bool,
}

/// One sample.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Trace {
    /// `key:  values` lines, string labels first, each group sorted.
    pub labels: Vec<(String, String)>,
    /// The sample value (divided by the count for `mean` reports).
    pub value: i64,
    pub frames: Vec<Frame>,
}

fn node_name(p: &Profile, loc: &Location, line: Option<&Line>) -> String {
    node_info(p, loc, line, &GraphOptions::default()).printable_name()
}

/// Frame names per location, innermost line first, flattened: location
/// `l`'s are `names[start[l]..start[l + 1]]`.
struct FrameNames {
    names: Vec<String>,
    start: Vec<usize>,
}

fn frame_names(p: &Profile) -> FrameNames {
    let mut names: Vec<String> = Vec::new();
    let mut start: Vec<usize> = Vec::with_capacity(p.locations.len() + 1);
    for loc in &p.locations {
        start.push(names.len());
        if loc.lines.is_empty() {
            names.push(node_name(p, loc, None));
        } else {
            names.extend(loc.lines.iter().map(|l| node_name(p, loc, Some(l))));
        }
    }
    start.push(names.len());
    FrameNames { names, start }
}

/// Calls `f` with each sample's labels, value and frames (indexes into the
/// frame names, with the inline flag), skipping samples without frames.
fn each_trace(rpt: &Report, fnames: &FrameNames, mut f: impl FnMut(&[(String, String)], i64, &[(usize, bool)])) {
    let p = &rpt.prof;
    let mut frames: Vec<(usize, bool)> = Vec::new();
    let mut labels: Vec<(String, String)> = Vec::new();
    for i in 0..p.samples.len() {
        frames.clear();
        for l in p.sample_stack(i) {
            let (a, b) = (fnames.start[l.idx()], fnames.start[l.idx() + 1]);
            frames.extend((a..b).map(|j| (j, j != b - 1)));
        }
        if frames.is_empty() {
            continue;
        }
        labels.clear();
        let set = p.sample_labels(i);
        let mut nums: Vec<(String, String)> = Vec::new();
        for &(k, _) in &set.strs {
            let key = p.str(k).to_string();
            if !labels.iter().any(|(x, _)| *x == key) {
                let vals: Vec<&str> = set.values(k).map(|v| p.str(v)).collect();
                labels.push((key, vals.join(" ")));
            }
        }
        for n in &set.nums {
            let key = p.str(n.key).to_string();
            if !nums.iter().any(|(x, _)| *x == key) {
                let unit = rpt.num_label_units.unit(&key);
                let vals: Vec<String> =
                    set.nums.iter().filter(|m| m.key == n.key).map(|m| units::label(m.value, unit)).collect();
                nums.push((key, vals.join(" ")));
            }
        }
        // pprof sorts the printed lines, which sorts by the right-aligned key.
        let line = |(k, v): &(String, String)| format!("{k:>10}:  {v}\n");
        labels.sort_rows_by_key(line);
        nums.sort_rows_by_key(line);
        labels.extend(nums);
        let row = p.sample_values(i);
        let mut value = row[rpt.sample_index];
        if let Some(d) = rpt.mean_divisor {
            if row[d] != 0 {
                value /= row[d];
            }
        }
        f(&labels, value, &frames);
    }
}

/// The traces of the report's samples (samples without frames are skipped).
pub fn build_traces(rpt: &Report) -> Vec<Trace> {
    let fnames = frame_names(&rpt.prof);
    let mut out = Vec::new();
    each_trace(rpt, &fnames, |labels, value, frames| {
        let frames = frames.iter().map(|&(n, inline)| Frame { name: fnames.names[n].clone(), inline }).collect();
        out.push(Trace { labels: labels.to_vec(), value, frames });
    });
    out
}

const SEPARATOR: &str = "-----------+-------------------------------------------------------";

/// pprof's printTraces.
pub fn render_text(rpt: &Report) -> String {
    let fnames = frame_names(&rpt.prof);
    let mut out = rpt.profile_labels().join("\n");
    out.push('\n');
    each_trace(rpt, &fnames, |labels, value, frames| {
        out.push_str(SEPARATOR);
        out.push('\n');
        for (k, v) in labels {
            out.push_str(&format!("{k:>10}:  {v}\n"));
        }
        for (i, &(n, inline)) in frames.iter().enumerate() {
            if i == 0 {
                out.push_str(&format!("{:>10}", rpt.format_value(value)));
            } else {
                out.push_str("          ");
            }
            out.push_str("   ");
            out.push_str(&fnames.names[n]);
            if inline {
                out.push_str(" (inline)");
            }
            out.push('\n');
        }
    });
    out.push_str(SEPARATOR);
    out.push('\n');
    out
}
