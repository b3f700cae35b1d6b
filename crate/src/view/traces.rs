//! pprof's `-traces` (printTraces): every sample with its labels, its value
//! and its stack, leaf first, inlined frames marked. The report holds the
//! profile merged as pprof holds it after loading (`Report::new` does it),
//! so samples come in pprof's order.

use super::graph::{node_info, GraphOptions};
use super::report::Report;
use super::units;
use crate::model::*;

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

/// The traces of the report's samples (samples without frames are skipped).
pub fn build_traces(rpt: &Report) -> Vec<Trace> {
    let p = &rpt.prof;
    // Frame names per location, innermost line first.
    let names: Vec<Vec<String>> = p
        .locations
        .iter()
        .map(|loc| {
            if loc.lines.is_empty() {
                vec![node_name(p, loc, None)]
            } else {
                loc.lines.iter().map(|l| node_name(p, loc, Some(l))).collect()
            }
        })
        .collect();
    let mut out = Vec::new();
    for i in 0..p.samples.len() {
        let stack = p.sample_stack(i);
        let mut frames = Vec::new();
        for l in stack {
            let ns = &names[l.idx()];
            for (j, n) in ns.iter().enumerate() {
                frames.push(Frame { name: n.clone(), inline: j != ns.len() - 1 });
            }
        }
        if frames.is_empty() {
            continue;
        }
        let set = p.sample_labels(i);
        let mut strs: Vec<(String, String)> = Vec::new();
        for &(k, _) in &set.strs {
            let key = p.str(k).to_string();
            if strs.iter().any(|(x, _)| *x == key) {
                continue;
            }
            let vals: Vec<&str> = set.values(k).map(|v| p.str(v)).collect();
            strs.push((key, vals.join(" ")));
        }
        let mut nums: Vec<(String, String)> = Vec::new();
        for n in &set.nums {
            let key = p.str(n.key).to_string();
            if nums.iter().any(|(x, _)| *x == key) {
                continue;
            }
            let unit = rpt.num_label_units.unit(&key);
            let vals: Vec<String> =
                set.nums.iter().filter(|m| m.key == n.key).map(|m| units::label(m.value, unit)).collect();
            nums.push((key, vals.join(" ")));
        }
        // pprof sorts the printed lines, which sorts by the right-aligned key.
        let line = |(k, v): &(String, String)| format!("{k:>10}:  {v}\n");
        strs.sort_by_key(line);
        nums.sort_by_key(line);
        let row = p.sample_values(i);
        let mut value = row[rpt.sample_index];
        if let Some(d) = rpt.mean_divisor {
            if row[d] != 0 {
                value /= row[d];
            }
        }
        strs.extend(nums);
        out.push(Trace { labels: strs, value, frames });
    }
    out
}

const SEPARATOR: &str = "-----------+-------------------------------------------------------";

/// pprof's printTraces.
pub fn render_text(rpt: &Report) -> String {
    let mut out = rpt.profile_labels().join("\n");
    out.push('\n');
    for t in build_traces(rpt) {
        out.push_str(SEPARATOR);
        out.push('\n');
        for (k, v) in &t.labels {
            out.push_str(&format!("{k:>10}:  {v}\n"));
        }
        for (i, f) in t.frames.iter().enumerate() {
            let v = if i == 0 { rpt.format_value(t.value) } else { String::new() };
            let inline = if f.inline { " (inline)" } else { "" };
            out.push_str(&format!("{v:>10}   {}{inline}\n", f.name));
        }
    }
    out.push_str(SEPARATOR);
    out.push('\n');
    out
}
