//! Merging profiles, pprof's way (profile/merge.go, internal/driver/fetch.go,
//! internal/measurement ScaleProfiles): sample types reduced to the common
//! ones, units unified, locations/functions/mappings deduplicated by content,
//! samples with equal stacks and labels summed, all-zero samples dropped.
//! Merging one profile is pprof's `Compact`.

use super::TransformError;
use crate::model::*;
use crate::util::units;
use std::sync::Arc;

/// Header of a merge: pprof's combineHeaders.
fn combine_headers(srcs: &[&Profile], b: &mut ProfileBuilder) -> Result<(), TransformError> {
    let first = srcs[0];
    for s in &srcs[1..] {
        compatible(first, s)?;
    }
    let (mut time_nanos, mut duration_nanos, mut period) = (0i64, 0i64, 0i64);
    let mut comments: Vec<String> = Vec::new();
    let mut default_sample_type = String::new();
    for s in srcs {
        if time_nanos == 0 || s.time_nanos < time_nanos {
            time_nanos = s.time_nanos;
        }
        duration_nanos = duration_nanos.wrapping_add(s.duration_nanos);
        if period == 0 || period < s.period {
            period = s.period;
        }
        for &c in &s.comments {
            let c = s.str(c);
            if !comments.iter().any(|x| x == c) {
                comments.push(c.to_string());
            }
        }
        if default_sample_type.is_empty() {
            default_sample_type = s.str(s.default_sample_type).to_string();
        }
    }
    for i in 0..first.num_types() {
        b.add_sample_type(first.sample_type_name(i), first.sample_type_unit(i));
    }
    b.p.drop_frames = b.intern(first.str(first.drop_frames));
    b.p.keep_frames = b.intern(first.str(first.keep_frames));
    b.p.time_nanos = time_nanos;
    b.p.duration_nanos = duration_nanos;
    b.set_period_type(first.str(first.period_type.r#type), first.str(first.period_type.unit));
    b.p.period = period;
    b.p.comments = comments.iter().map(|c| b.p.strings.intern(c)).collect();
    b.p.default_sample_type = b.intern(&default_sample_type);
    b.p.doc_url = b.intern(first.str(first.doc_url));
    b.p.source_format = if srcs.len() == 1 { first.source_format } else { SourceFormat::Derived };
    if srcs.len() == 1 {
        b.p.memstats = first.memstats.clone();
        b.p.warnings = first.warnings.clone();
    }
    Ok(())
}

fn vt_eq(a: &Profile, av: ValueType, b: &Profile, bv: ValueType) -> bool {
    a.str(av.r#type) == b.str(bv.r#type) && a.str(av.unit) == b.str(bv.unit)
}

fn vt_string(p: &Profile, v: ValueType) -> String {
    format!("{}/{}", p.str(v.r#type), p.str(v.unit))
}

/// pprof's `Profile.compatible`: same period type, same sample types.
pub fn compatible(a: &Profile, b: &Profile) -> Result<(), TransformError> {
    if !vt_eq(a, a.period_type, b, b.period_type) {
        return Err(TransformError(format!(
            "incompatible period types {} and {}",
            vt_string(a, a.period_type),
            vt_string(b, b.period_type)
        )));
    }
    let types = |p: &Profile| p.sample_types.iter().map(|&v| vt_string(p, v)).collect::<Vec<_>>().join(" ");
    if a.num_types() != b.num_types() || (0..a.num_types()).any(|i| !vt_eq(a, a.sample_types[i], b, b.sample_types[i]))
    {
        return Err(TransformError(format!("incompatible sample types [{}] and [{}]", types(a), types(b))));
    }
    Ok(())
}

/// pprof's Merge of already-compatible profiles.
pub fn merge(srcs: &[&Profile]) -> Result<Profile, TransformError> {
    if srcs.is_empty() {
        return Err(TransformError("no profiles to merge".into()));
    }
    let mut b = ProfileBuilder::new();
    combine_headers(srcs, &mut b)?;
    let n = b.p.num_types();
    let mut sample_index: crate::util::hash::FxHashMap<(StackId, LabelSetId), usize> = Default::default();
    let mut values: Vec<i64> = Vec::new();
    let mut stacks: Vec<StackId> = Vec::new();
    let mut labels: Vec<LabelSetId> = Vec::new();
    let mut frames: Vec<LocId> = Vec::new();
    let mut goroutines: Option<goroutine::GoroutineTable> = None;

    for src in srcs {
        let mut m = Mapper::new(src);
        if b.p.mappings.is_empty() {
            if let Some(first) = src.mappings.first() {
                m.map_mapping(&mut b, MapId(0), first);
            }
        }
        let mut stack_map: Vec<Option<StackId>> = vec![None; src.stacks.len()];
        let mut label_map: Vec<Option<LabelSetId>> = vec![None; src.label_sets.len()];
        for i in 0..src.samples.len() {
            let vals = src.sample_values(i);
            if vals.iter().all(|&v| v == 0) {
                continue;
            }
            let sid = src.samples.stacks[i];
            let stack = match stack_map[sid.idx()] {
                Some(s) => s,
                None => {
                    frames.clear();
                    for &l in src.stacks.get(sid) {
                        frames.push(m.map_location(&mut b, l));
                    }
                    let s = b.stack(&frames);
                    stack_map[sid.idx()] = Some(s);
                    s
                }
            };
            let lid = src.samples.labels[i];
            let label = match label_map[lid.idx()] {
                Some(l) => l,
                None => {
                    let l = map_labels(src, src.label_sets.get(lid), &mut b);
                    label_map[lid.idx()] = Some(l);
                    l
                }
            };
            match sample_index.get(&(stack, label)) {
                Some(&j) => {
                    for (a, v) in values[j * n..(j + 1) * n].iter_mut().zip(vals) {
                        *a = a.wrapping_add(*v);
                    }
                }
                None => {
                    sample_index.insert((stack, label), stacks.len());
                    stacks.push(stack);
                    labels.push(label);
                    values.extend_from_slice(vals);
                }
            }
        }
        // One source keeps its per-goroutine table (renumbered to the new stacks).
        if srcs.len() == 1 {
            if let Some(t) = &src.goroutines {
                let mut t = t.clone();
                for g in &mut t.goroutines {
                    g.stack = match stack_map[g.stack.idx()] {
                        Some(s) => s,
                        None => {
                            frames.clear();
                            for &l in src.stacks.get(g.stack) {
                                frames.push(m.map_location(&mut b, l));
                            }
                            b.stack(&frames)
                        }
                    };
                    g.state = b.intern(src.str(g.state));
                    g.labels = match label_map.get(g.labels.idx()) {
                        Some(Some(l)) => *l,
                        _ => map_labels(src, src.label_sets.get(g.labels), &mut b),
                    };
                    // Argument text lives in the table itself (spans), nothing to remap.
                    if let Some(c) = &mut g.created_by {
                        c.function = b.p.strings.intern(src.str(c.function));
                        c.file = b.p.strings.intern(src.str(c.file));
                    }
                }
                goroutines = Some(t);
            }
        }
    }
    let has_zero = (0..stacks.len()).any(|j| values[j * n..(j + 1) * n].iter().all(|&v| v == 0));
    b.p.samples = Arc::new(Samples { stacks, labels, values });
    b.p.goroutines = goroutines;
    let p = b.finish();
    if has_zero {
        // As pprof: merge again, which drops the samples that cancelled out
        // and renumbers what remains.
        return merge(&[&p]);
    }
    Ok(p)
}

fn map_labels(src: &Profile, set: &LabelSet, b: &mut ProfileBuilder) -> LabelSetId {
    if set.is_empty() {
        return LabelSetId(0);
    }
    let mut out = LabelSet::default();
    for &(k, v) in &set.strs {
        out.strs.push((b.intern(src.str(k)), b.intern(src.str(v))));
    }
    for n in &set.nums {
        out.nums.push(NumLabel { key: b.intern(src.str(n.key)), value: n.value, unit: b.intern(src.str(n.unit)) });
    }
    b.labels(out)
}

/// Maps one source's tables into the builder, memoizing by source id.
struct Mapper<'a> {
    src: &'a Profile,
    locations: Vec<Option<LocId>>,
    functions: Vec<Option<FuncId>>,
    mappings: Vec<Option<(MapId, i64)>>,
}

impl<'a> Mapper<'a> {
    fn new(src: &'a Profile) -> Self {
        Mapper {
            src,
            locations: vec![None; src.locations.len()],
            functions: vec![None; src.functions.len()],
            mappings: vec![None; src.mappings.len()],
        }
    }

    fn map_mapping(&mut self, b: &mut ProfileBuilder, id: MapId, m: &Mapping) -> (MapId, i64) {
        if let Some(x) = self.mappings[id.idx()] {
            return x;
        }
        let src = self.src;
        let new = Mapping { file: b.intern(src.str(m.file)), build_id: b.intern(src.str(m.build_id)), ..m.clone() };
        let before = b.p.mappings.len();
        let mid = b.mapping(new);
        // An existing equal mapping may sit at another address: shift addresses.
        let offset = if mid.idx() < before { b.p.mappings[mid.idx()].start.wrapping_sub(m.start) as i64 } else { 0 };
        self.mappings[id.idx()] = Some((mid, offset));
        (mid, offset)
    }

    fn map_function(&mut self, b: &mut ProfileBuilder, id: FuncId) -> FuncId {
        if let Some(f) = self.functions[id.idx()] {
            return f;
        }
        let src = self.src;
        let f = src.function(id);
        let name = b.intern(src.str(f.name));
        let sys = b.intern(src.str(f.system_name));
        let file = b.intern(src.str(f.filename));
        let nf = b.function(name, sys, file, f.start_line);
        self.functions[id.idx()] = Some(nf);
        nf
    }

    fn map_location(&mut self, b: &mut ProfileBuilder, id: LocId) -> LocId {
        if let Some(l) = self.locations[id.idx()] {
            return l;
        }
        let src = self.src;
        let loc = src.location(id);
        let (mapping, offset) = match loc.mapping {
            Some(m) => {
                let (mid, off) = self.map_mapping(b, m, &src.mappings[m.idx()]);
                (Some(mid), off)
            }
            None => (None, 0),
        };
        let lines: Vec<Line> = loc
            .lines
            .iter()
            .map(|l| Line { function: self.map_function(b, l.function), line: l.line, column: l.column })
            .collect();
        let address = (loc.address as i64).wrapping_add(offset) as u64;
        let nl = b.location(mapping, address, &lines, loc.is_folded);
        self.locations[id.idx()] = Some(nl);
        nl
    }
}

/// pprof's `ScaleN`: multiplies each value by its ratio (rounded), keeping
/// only samples with a non-zero value among the scaled ones.
pub fn scale_n(p: &Profile, ratios: &[f64]) -> Profile {
    if ratios.iter().all(|&r| r == 1.0) {
        return p.clone();
    }
    let n = p.num_types();
    let mut out = p.clone_without_sample_rows();
    let mut s = Samples::default();
    let mut row = vec![0i64; n];
    for i in 0..p.samples.len() {
        let mut keep = false;
        for (k, (&v, &r)) in p.sample_values(i).iter().zip(ratios).enumerate() {
            row[k] = v;
            if r != 1.0 {
                let x = (v as f64 * r).round() as i64;
                row[k] = x;
                keep |= x != 0;
            }
        }
        if keep {
            s.stacks.push(p.samples.stacks[i]);
            s.labels.push(p.samples.labels[i]);
            s.values.extend_from_slice(&row);
        }
    }
    out.samples = Arc::new(s);
    out
}

pub fn scale(p: &Profile, ratio: f64) -> Profile {
    scale_n(p, &vec![ratio; p.num_types()])
}

/// pprof's `Normalize`: scales `p` so that each of its totals equals `base`'s.
pub fn normalize(p: &Profile, base: &Profile) -> Result<Profile, TransformError> {
    compatible(p, base)?;
    let bt = base.totals();
    let st = p.totals();
    let ratios: Vec<f64> = bt.iter().zip(&st).map(|(&b, &s)| if s == 0 { 0.0 } else { b as f64 / s as f64 }).collect();
    Ok(scale_n(p, &ratios))
}

/// Keeps only the sample types whose names are common to all profiles (in
/// the first profile's order); pprof errors when none remain.
pub fn compatibilize_sample_types(srcs: &[Profile]) -> Result<Vec<Profile>, TransformError> {
    let first = &srcs[0];
    let common: Vec<String> = (0..first.num_types())
        .map(|i| first.sample_type_name(i).to_string())
        .filter(|t| srcs[1..].iter().all(|p| (0..p.num_types()).any(|j| p.sample_type_name(j) == t)))
        .collect();
    if common.is_empty() {
        return Err(TransformError("profiles have empty common sample type list".into()));
    }
    Ok(srcs.iter().map(|p| keep_sample_types(p, &common)).collect())
}

/// A copy of `p` with only the named sample types, in the given order.
pub fn keep_sample_types(p: &Profile, names: &[String]) -> Profile {
    let idx: Vec<usize> =
        names.iter().filter_map(|t| (0..p.num_types()).find(|&j| p.sample_type_name(j) == t)).collect();
    if idx.len() == p.num_types() && idx.iter().enumerate().all(|(a, &b)| a == b) {
        return p.clone();
    }
    let n = p.num_types();
    let mut out = p.clone_without_sample_rows();
    out.sample_types = idx.iter().map(|&j| p.sample_types[j]).collect();
    let mut s = Samples { stacks: p.samples.stacks.clone(), labels: p.samples.labels.clone(), values: Vec::new() };
    s.values.reserve(p.samples.len() * idx.len());
    for row in p.samples.values.chunks_exact(n.max(1)) {
        for &j in &idx {
            s.values.push(row[j]);
        }
    }
    if n == 0 {
        s.values.clear();
    }
    out.samples = Arc::new(s);
    out
}

/// pprof's `measurement.ScaleProfiles`: unify period and sample units (to the
/// finest unit in use) so the profiles can be merged.
pub fn scale_profiles(srcs: &mut [Profile]) -> Result<(), TransformError> {
    if srcs.len() <= 1 {
        return Ok(());
    }
    let common = |vts: Vec<(String, String)>| -> Result<(String, String), TransformError> {
        let mut min = vts[0].clone();
        for t in &vts[1..] {
            if !compatible_value_types(&min, t) {
                return Err(TransformError(format!("incompatible types: {{{} {}}} {{{} {}}}", min.0, min.1, t.0, t.1)));
            }
            if units::scale(1, &t.1, &min.1).0 < 1.0 {
                min = t.clone();
            }
        }
        Ok(min)
    };
    let periods: Vec<(String, String)> =
        srcs.iter().map(|p| (p.str(p.period_type.r#type).to_string(), p.str(p.period_type.unit).to_string())).collect();
    let period = common(periods).map_err(|e| TransformError(format!("period type: {}", e.0)))?;
    let n = srcs[0].num_types();
    for p in &srcs[1..] {
        if p.num_types() != n {
            return Err(TransformError(format!("inconsistent samples type count: {} != {}", n, p.num_types())));
        }
    }
    let mut types = Vec::with_capacity(n);
    for i in 0..n {
        let ts = srcs.iter().map(|p| (p.sample_type_name(i).to_string(), p.sample_type_unit(i).to_string())).collect();
        types.push(common(ts).map_err(|e| TransformError(format!("sample types: {}", e.0)))?);
    }
    for p in srcs.iter_mut() {
        let (period_value, _) = units::scale(p.period, p.str(p.period_type.unit), &period.1);
        p.period = period_value as i64;
        p.period_type.unit = p.strings.intern(&period.1);
        let mut ratios = vec![1.0; n];
        for (i, t) in types.iter().enumerate() {
            ratios[i] = units::scale(1, p.sample_type_unit(i), &t.1).0;
            p.sample_types[i].unit = p.strings.intern(&t.1);
        }
        *p = scale_n(p, &ratios);
    }
    Ok(())
}

fn compatible_value_types(a: &(String, String), b: &(String, String)) -> bool {
    if a.0.strip_suffix('s').unwrap_or(&a.0) != b.0.strip_suffix('s').unwrap_or(&b.0) {
        return false;
    }
    a.1 == b.1 || (units::unit_family(&a.1).is_some() && units::unit_family(&a.1) == units::unit_family(&b.1))
}

/// pprof's combineProfiles: common sample types, unified units, one merge.
pub fn combine(profiles: Vec<Profile>) -> Result<Profile, TransformError> {
    if profiles.is_empty() {
        return Err(TransformError("no profiles to merge".into()));
    }
    let mut ps = if profiles.len() > 1 { compatibilize_sample_types(&profiles)? } else { profiles };
    scale_profiles(&mut ps)?;
    let refs: Vec<&Profile> = ps.iter().collect();
    merge(&refs)
}

/// How a base profile is subtracted (pprof's `-diff_base` / `-base`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BaseMode {
    /// `-diff_base`: base samples are kept apart (label `pprof::base`) and
    /// percentages are relative to the base total.
    DiffBase,
    /// `-base`: plain subtraction (for cumulative profiles).
    Base,
}

/// pprof's fetchProfiles with a base: optionally normalize the source to the
/// base's totals, negate the base, merge both.
pub fn subtract_base(
    p: Profile,
    base: Profile,
    mode: BaseMode,
    normalize_first: bool,
) -> Result<Profile, TransformError> {
    let mut base = base;
    if mode == BaseMode::DiffBase {
        base = set_label(&base, "pprof::base", "true");
    }
    let p = if normalize_first { normalize(&p, &base)? } else { p };
    let negated = scale(&base, -1.0);
    combine(vec![p, negated])
}

/// Sets string label `key` to exactly `value` on every sample (pprof's SetLabel).
pub fn set_label(p: &Profile, key: &str, value: &str) -> Profile {
    let mut out = p.clone();
    let k = out.strings.intern(key);
    let v = out.strings.intern(value);
    let mut table = LabelTable::default();
    let mut map = vec![None; p.label_sets.len()];
    let samples = Arc::make_mut(&mut out.samples);
    for l in samples.labels.iter_mut() {
        let id = *map[l.idx()].get_or_insert_with(|| {
            let mut set = p.label_sets.get(*l).clone();
            set.strs.retain(|x| x.0 != k);
            set.strs.push((k, v));
            table.intern(set)
        });
        *l = id;
    }
    out.label_sets = Arc::new(table);
    super::remap_goroutine_labels(&mut out, &map);
    out
}

/// Drops string labels with `key` (pprof's RemoveLabel).
pub fn remove_label(p: &Profile, key: &str) -> Profile {
    let Some(k) = p.strings.find(key) else { return p.clone() };
    let mut out = p.clone();
    let mut table = LabelTable::default();
    let mut map = vec![None; p.label_sets.len()];
    let samples = Arc::make_mut(&mut out.samples);
    for l in samples.labels.iter_mut() {
        let id = *map[l.idx()].get_or_insert_with(|| {
            let mut set = p.label_sets.get(*l).clone();
            set.strs.retain(|x| x.0 != k);
            table.intern(set)
        });
        *l = id;
    }
    out.label_sets = Arc::new(table);
    super::remap_goroutine_labels(&mut out, &map);
    out
}
