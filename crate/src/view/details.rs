//! What a profile says about itself: its kind (heap, goroutine, CPU, ...),
//! the format it came from, and the metadata the page's details panel lists
//! (period, times, comments, mappings, label keys, drop_frames, MemStats).

use crate::model::*;
use crate::util::timefmt;
use crate::util::units;

/// The kind of profile as the page names it (model::kind decides).
pub fn profile_kind(p: &Profile) -> &'static str {
    match kind::classify(p) {
        kind::ProfileKind::Cpu => "CPU",
        kind::ProfileKind::Other => "profile",
        k => k.as_str(),
    }
}

/// The kind as the file list shows it: a goroutineleak profile is a goroutine
/// profile to every view, but says what it proves.
pub fn kind_text(p: &Profile) -> &'static str {
    if kind::is_goroutine_leak(p) {
        return "goroutine leaks (proven by the runtime)";
    }
    profile_kind(p)
}

/// How the page names the format a profile was decoded from.
pub fn format_label(f: SourceFormat) -> &'static str {
    match f {
        SourceFormat::Pprof => "pprof protobuf",
        SourceFormat::GoroutineDebug1 => "goroutine debug=1 text",
        SourceFormat::GoroutineDebug2 => "goroutine debug=2 traceback",
        SourceFormat::HeapDebug1 => "heap debug=1 text",
        SourceFormat::ContentionDebug1 => "contention debug=1 text",
        SourceFormat::ThreadcreateDebug1 => "threadcreate debug=1 text",
        SourceFormat::LegacyCpu => "legacy CPU profile",
        SourceFormat::LegacyHeap => "legacy heap profile",
        SourceFormat::LegacyContention => "legacy contention profile",
        SourceFormat::LegacyThread => "legacy thread profile",
        SourceFormat::LegacyJava => "legacy Java profile",
        SourceFormat::Derived => "derived",
    }
}

#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct MappingRow {
    pub id: u64,
    pub start: String,
    pub limit: String,
    pub offset: String,
    pub file: String,
    pub build_id: String,
    /// Which of functions/filenames/line_numbers/inline_frames are resolved.
    pub has: String,
}

#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct LabelKey {
    pub key: String,
    /// "string" or "numeric".
    pub kind: &'static str,
    /// Distinct values (string labels) or units (numeric labels).
    pub values: usize,
    pub units: Vec<String>,
    /// Samples that carry the key.
    pub samples: usize,
}

#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Details {
    pub kind: &'static str,
    pub format: &'static str,
    pub sample_types: Vec<(String, String)>,
    pub default_sample_type: String,
    pub period_type: (String, String),
    pub period: i64,
    pub period_text: String,
    pub time: String,
    pub duration: String,
    pub comments: Vec<String>,
    pub drop_frames: String,
    pub keep_frames: String,
    pub doc_url: String,
    pub samples: usize,
    pub stacks: usize,
    pub locations: usize,
    pub functions: usize,
    pub mappings: Vec<MappingRow>,
    pub label_keys: Vec<LabelKey>,
    pub memstats: Vec<(String, String)>,
    pub warnings: Vec<String>,
}

/// Profile time as pprof prints it (in UTC: the engine does not know the zone).
pub fn time_text(p: &Profile) -> String {
    if p.time_nanos == 0 {
        String::new()
    } else {
        timefmt::format_profile_time_utc(p.time_nanos)
    }
}

pub fn duration_text(p: &Profile) -> String {
    if p.duration_nanos == 0 {
        String::new()
    } else {
        units::label(p.duration_nanos, "nanoseconds")
    }
}

pub fn details(p: &Profile) -> Details {
    let s = |id: StrId| p.str(id).to_string();
    // Label keys: (key, numeric) -> distinct values (units), samples carrying it.
    let mut per_set: Vec<usize> = vec![0; p.label_sets.len()];
    for &l in &p.samples.labels {
        per_set[l.idx()] += 1;
    }
    // (key, numeric, value or unit) packed in a u64, so sorting them costs no new code.
    let pack = |k: StrId, numeric: bool, v: StrId| ((k.0 as u64) << 33) | ((numeric as u64) << 32) | v.0 as u64;
    let mut values: Vec<u64> = Vec::new();
    let mut counts: Vec<(u64, usize)> = Vec::new();
    let mut keys_here: Vec<u64> = Vec::new();
    for (id, set) in p.label_sets.iter() {
        let n = per_set[id.idx()];
        if n == 0 {
            continue;
        }
        values.extend(set.strs.iter().map(|&(k, v)| pack(k, false, v)));
        values.extend(set.nums.iter().map(|l| pack(l.key, true, l.unit)));
        keys_here.clear();
        keys_here.extend(set.strs.iter().map(|&(k, _)| pack(k, false, StrId(0))));
        keys_here.extend(set.nums.iter().map(|l| pack(l.key, true, StrId(0))));
        keys_here.sort_unstable();
        keys_here.dedup();
        counts.extend(keys_here.iter().map(|&k| (k, n)));
    }
    values.sort_unstable();
    values.dedup();
    let mut label_keys: Vec<LabelKey> = Vec::new();
    let mut last = None;
    for &x in &values {
        let (k, numeric, v) = (StrId((x >> 33) as u32), x & (1 << 32) != 0, StrId(x as u32));
        let key = x & !0xffff_ffff;
        if last != Some(key) {
            last = Some(key);
            let samples = counts.iter().filter(|c| c.0 == key).map(|c| c.1).sum();
            label_keys.push(LabelKey {
                key: s(k),
                kind: if numeric { "numeric" } else { "string" },
                values: 0,
                units: Vec::new(),
                samples,
            });
        }
        let e = label_keys.last_mut().unwrap();
        if numeric {
            e.units.push(s(v));
        } else {
            e.values += 1;
        }
    }
    let period_unit = p.str(p.period_type.unit);
    Details {
        kind: kind_text(p),
        format: format_label(p.source_format),
        sample_types: (0..p.num_types())
            .map(|i| (p.sample_type_name(i).into(), p.sample_type_unit(i).into()))
            .collect(),
        default_sample_type: s(p.default_sample_type),
        period_type: (s(p.period_type.r#type), period_unit.into()),
        period: p.period,
        period_text: if p.period == 0 { String::new() } else { units::label(p.period, period_unit) },
        time: time_text(p),
        duration: duration_text(p),
        comments: p.comments.iter().map(|&c| s(c)).collect(),
        drop_frames: s(p.drop_frames),
        keep_frames: s(p.keep_frames),
        doc_url: s(p.doc_url),
        samples: p.samples.len(),
        stacks: p.stacks.len(),
        locations: p.locations.len(),
        functions: p.functions.len(),
        mappings: p
            .mappings
            .iter()
            .map(|m| {
                let flags = [
                    (m.has_functions, "functions"),
                    (m.has_filenames, "filenames"),
                    (m.has_line_numbers, "line_numbers"),
                    (m.has_inline_frames, "inline_frames"),
                ];
                MappingRow {
                    id: m.id,
                    start: format!("{:#x}", m.start),
                    limit: format!("{:#x}", m.limit),
                    offset: format!("{:#x}", m.offset),
                    file: s(m.file),
                    build_id: s(m.build_id),
                    has: flags.iter().filter(|f| f.0).map(|f| f.1).collect::<Vec<_>>().join(" "),
                }
            })
            .collect(),
        label_keys,
        memstats: p.memstats.clone(),
        warnings: p.warnings.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decode::{decode, Limits};

    fn load(f: &str) -> Profile {
        let path = format!("{}/../tests/fixtures/go/{f}", env!("CARGO_MANIFEST_DIR"));
        decode(&std::fs::read(path).unwrap(), &Limits::default()).unwrap()
    }

    #[test]
    fn kinds_of_the_go_fixtures() {
        for (f, kind) in [
            ("heap_t1.pb.gz", "heap"),
            ("allocs_t1.pb.gz", "allocs"),
            ("goroutine_t1.pb.gz", "goroutine"),
            ("cpu_t1.pb.gz", "CPU"),
            ("block_t1.pb.gz", "block"),
            ("mutex_t1.pb.gz", "mutex"),
            ("threadcreate_t1.pb.gz", "threadcreate"),
        ] {
            assert_eq!(profile_kind(&load(f)), kind, "{f}");
        }
    }

    #[test]
    fn details_of_goroutine_and_cpu() {
        let d = details(&load("goroutine_t1.pb.gz"));
        assert_eq!(d.time, "Nov 26, 2026 at 5:14am (UTC)");
        assert_eq!(d.mappings[0].file, "/srv/leakdemo/leakdemo");
        let route = d.label_keys.iter().find(|k| k.key == "route").expect("route label");
        assert_eq!((route.kind, route.values), ("string", 2));
        let d = details(&load("cpu_t1.pb.gz"));
        assert_eq!(d.duration, "5.07s");
        assert_eq!(d.period_text, "10ms");
        let d = details(&load("heap_t1.pb.gz"));
        let bytes = d.label_keys.iter().find(|k| k.key == "bytes").expect("bytes label");
        assert_eq!(bytes.kind, "numeric");
    }
}
