//! pprof's `-raw` report: `Profile.String()` of Go 1.19's pprof (no
//! `:column` after line numbers). Comments, period, time and duration, the
//! samples with their location ids and labels, the locations with every
//! inlined line, the mappings.

use crate::model::*;
use crate::util::timefmt;
use std::fmt::Write;

/// How `Time:` is rendered.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Zone {
    /// The local time zone, as pprof does (native builds honour `TZ`).
    #[default]
    Local,
    Utc,
}

/// The text of `p` exactly as pprof's `Profile.String()` writes it.
pub fn render(p: &Profile, zone: Zone) -> String {
    let mut out = String::new();
    for &c in &p.comments {
        let _ = writeln!(out, "Comment: {}", p.str(c));
    }
    let _ = writeln!(out, "PeriodType: {} {}", p.str(p.period_type.r#type), p.str(p.period_type.unit));
    let _ = writeln!(out, "Period: {}", p.period);
    if p.time_nanos != 0 {
        let t = match zone {
            Zone::Local => timefmt::format_go_time(p.time_nanos),
            Zone::Utc => timefmt::format_go_time_utc(p.time_nanos),
        };
        let _ = writeln!(out, "Time: {t}");
    }
    if p.duration_nanos != 0 {
        // pprof prints it with %.4v: the duration's text cut to 4 characters.
        let d: String = timefmt::format_go_duration(p.duration_nanos).chars().take(4).collect();
        let _ = writeln!(out, "Duration: {d}");
    }
    out.push_str("Samples:\n");
    let default_type = p.str(p.default_sample_type);
    let mut header = String::new();
    for vt in &p.sample_types {
        let t = p.str(vt.r#type);
        let dflt = if t == default_type { "[dflt]" } else { "" };
        let _ = write!(header, "{}/{}{} ", t, p.str(vt.unit), dflt);
    }
    out.push_str(header.trim_matches(go_space));
    out.push('\n');
    for i in 0..p.samples.len() {
        for v in p.sample_values(i) {
            let _ = write!(out, " {v:>10}");
        }
        out.push_str(": ");
        for &l in p.sample_stack(i) {
            let _ = write!(out, "{} ", p.location(l).id);
        }
        out.push('\n');
        let labels = p.sample_labels(i);
        const LABEL_HEADER: &str = "                ";
        if !labels.strs.is_empty() {
            let _ = writeln!(out, "{LABEL_HEADER}{}", string_labels(p, labels));
        }
        if !labels.nums.is_empty() {
            let _ = writeln!(out, "{LABEL_HEADER}{}", num_labels(p, labels));
        }
    }
    out.push_str("Locations\n");
    for loc in &p.locations {
        let mut head = format!("{:6}: {:#x} ", loc.id, loc.address);
        if let Some(m) = loc.mapping {
            let _ = write!(head, "M={} ", p.mappings[m.idx()].id);
        }
        if loc.is_folded {
            head.push_str("[F] ");
        }
        if loc.lines.is_empty() {
            out.push_str(&head);
            out.push('\n');
        }
        for (i, line) in loc.lines.iter().enumerate() {
            let f = p.function(line.function);
            let (name, sys) = (p.str(f.name), p.str(f.system_name));
            let prefix = if i == 0 { head.as_str() } else { "             " };
            let _ = write!(out, "{prefix}{} {}:{} s={}", name, p.str(f.filename), line.line, f.start_line);
            if name != sys {
                let _ = write!(out, "({sys})");
            }
            out.push('\n');
        }
    }
    out.push_str("Mappings\n");
    for m in &p.mappings {
        let mut bits = String::new();
        for (on, b) in [
            (m.has_functions, "[FN]"),
            (m.has_filenames, "[FL]"),
            (m.has_line_numbers, "[LN]"),
            (m.has_inline_frames, "[IN]"),
        ] {
            if on {
                bits.push_str(b);
            }
        }
        let _ = writeln!(
            out,
            "{}: {:#x}/{:#x}/{:#x} {} {} {}",
            m.id,
            m.start,
            m.limit,
            m.offset,
            p.str(m.file),
            p.str(m.build_id),
            bits
        );
    }
    out
}

fn go_space(c: char) -> bool {
    c.is_whitespace()
}

/// `key:[v1 v2]` per key, the pieces sorted as strings (Go's labelsToString).
fn string_labels(p: &Profile, set: &LabelSet) -> String {
    let mut keys: Vec<StrId> = set.strs.iter().map(|&(k, _)| k).collect();
    keys.dedup();
    let mut parts: Vec<String> = keys
        .iter()
        .map(|&k| {
            let vals: Vec<&str> = set.values(k).map(|v| p.str(v)).collect();
            format!("{}:[{}]", p.str(k), vals.join(" "))
        })
        .collect();
    parts.sort();
    parts.join(" ")
}

/// `key:[1 2]`, or `key:[1 unit 2 unit]` when the key has units (Go's numLabelsToString).
fn num_labels(p: &Profile, set: &LabelSet) -> String {
    let mut keys: Vec<StrId> = set.nums.iter().map(|n| n.key).collect();
    keys.dedup();
    let mut parts: Vec<String> = keys
        .iter()
        .map(|&k| {
            let vals: Vec<&NumLabel> = set.nums.iter().filter(|n| n.key == k).collect();
            let with_units = vals.iter().any(|n| n.unit != StrId(0));
            let items: Vec<String> = vals
                .iter()
                .map(|n| if with_units { format!("{} {}", n.value, p.str(n.unit)) } else { n.value.to_string() })
                .collect();
            format!("{}:[{}]", p.str(k), items.join(" "))
        })
        .collect();
    parts.sort();
    parts.join(" ")
}

/// What `pprof -raw` prints for a loaded profile. pprof's loading gives a
/// profile without mappings one empty mapping that holds every location
/// (locateBinaries, so that a binary could symbolize it) and merges
/// (compacts) the source; its sample filter, run with no regexps, keeps only
/// samples that have a location.
pub fn report(p: &Profile, zone: Zone) -> Result<String, crate::transform::TransformError> {
    let merged = if p.mappings.is_empty() && !p.locations.is_empty() {
        let mut q = p.clone();
        q.mappings.push(Mapping { id: 1, ..Default::default() });
        for l in &mut q.locations {
            l.mapping = Some(MapId(0));
        }
        crate::transform::merge(&[&q])?
    } else {
        crate::transform::merge(&[p])?
    };
    let kept = crate::transform::map_stacks(&merged, |frames, out| {
        out.extend_from_slice(frames);
        !frames.is_empty()
    });
    Ok(render(&kept, zone))
}
