//! profile.proto decoder, hand-written over the raw buffer.
//!
//! Why not prost here: samples are decoded straight into the model's columns
//! (no per-sample Vec allocations), stacks are deduplicated on the fly, every
//! error carries the byte offset, and memory is bounded by the input. This is
//! most of the time budget for a 100 MB profile. The prost messages in
//! `crate::proto` mirror the same schema and are used to encode exports and,
//! in tests, as an independent decoder to check this one against.
//!
//! Validation follows pprof (profile/encode.go postDecode, profile.go
//! CheckValid): string indices in range ("parsing"), reserved id 0, duplicate
//! ids, dangling location/function ids, and a value count that differs from
//! the sample types ("malformed"); a second non-zero `time_nanos` means two
//! profiles were concatenated.

use super::{DecodeError, Limits, Stage};
use crate::model::*;
use crate::util::hash::FxHashMap;

type Result<T> = std::result::Result<T, DecodeError>;

fn perr(pos: usize, msg: impl Into<String>) -> DecodeError {
    DecodeError::at_byte(Stage::Parsing, pos, msg)
}
fn merr(pos: usize, msg: impl Into<String>) -> DecodeError {
    DecodeError::at_byte(Stage::Malformed, pos, msg)
}

const WT_VARINT: u8 = 0;
const WT_I64: u8 = 1;
const WT_LEN: u8 = 2;
const WT_I32: u8 = 5;

/// A cursor over `data[pos..end]`; positions are absolute offsets into the input.
struct Wire<'a> {
    data: &'a [u8],
    pos: usize,
    end: usize,
}

impl<'a> Wire<'a> {
    fn new(data: &'a [u8], pos: usize, end: usize) -> Self {
        Wire { data, pos, end }
    }

    #[inline]
    fn done(&self) -> bool {
        self.pos >= self.end
    }

    #[inline]
    fn varint(&mut self) -> Result<u64> {
        if let Some(&b) = self.data[..self.end].get(self.pos) {
            if b < 0x80 {
                self.pos += 1;
                return Ok(b as u64);
            }
        }
        self.varint_slow()
    }

    #[inline(never)]
    fn varint_slow(&mut self) -> Result<u64> {
        let start = self.pos;
        let mut result = 0u64;
        let mut shift = 0u32;
        loop {
            if self.pos >= self.end {
                return Err(perr(start, "truncated varint"));
            }
            let b = self.data[self.pos];
            self.pos += 1;
            if shift == 63 && b > 1 {
                return Err(perr(start, "varint overflows 64 bits"));
            }
            result |= ((b & 0x7f) as u64) << shift;
            if b < 0x80 {
                return Ok(result);
            }
            shift += 7;
            if shift > 63 {
                return Err(perr(start, "varint overflows 64 bits"));
            }
        }
    }

    /// Reads a field key; returns (field number, wire type, offset of the key).
    #[inline]
    fn key(&mut self) -> Result<(u64, u8, usize)> {
        let at = self.pos;
        let k = self.varint()?;
        Ok((k >> 3, (k & 7) as u8, at))
    }

    /// Reads a length prefix and returns the sub-range it covers.
    #[inline]
    fn len_delimited(&mut self) -> Result<(usize, usize)> {
        let at = self.pos;
        let n = self.varint()?;
        let remaining = (self.end - self.pos) as u64;
        if n > remaining {
            return Err(perr(at, format!("length {n} runs past the end of its message ({remaining} bytes left)")));
        }
        let start = self.pos;
        self.pos += n as usize;
        Ok((start, self.pos))
    }

    fn skip(&mut self, wt: u8, at: usize) -> Result<()> {
        match wt {
            WT_VARINT => {
                self.varint()?;
            }
            WT_I64 | WT_I32 => {
                let n = if wt == WT_I64 { 8 } else { 4 };
                if self.end - self.pos < n {
                    return Err(perr(at, "not enough data for a fixed-size field"));
                }
                self.pos += n;
            }
            WT_LEN => {
                self.len_delimited()?;
            }
            _ => return Err(perr(at, format!("unknown wire type {wt}"))),
        }
        Ok(())
    }
}

fn want(wt: u8, expected: u8, at: usize, what: &str) -> Result<()> {
    if wt != expected {
        let name = |w: u8| match w {
            WT_VARINT => "varint",
            WT_I64 => "fixed64",
            WT_LEN => "length-delimited",
            WT_I32 => "fixed32",
            _ => "invalid",
        };
        return Err(perr(at, format!("{what} has wire type {} ({}), expected {}", wt, name(wt), name(expected))));
    }
    Ok(())
}

/// Calls `f` for each integer of a repeated scalar field, packed or not.
#[inline]
fn for_each_int(
    w: &mut Wire,
    wt: u8,
    at: usize,
    what: &str,
    mut f: impl FnMut(u64, usize) -> Result<()>,
) -> Result<()> {
    match wt {
        WT_LEN => {
            let (s, e) = w.len_delimited()?;
            let mut inner = Wire::new(w.data, s, e);
            while !inner.done() {
                let p = inner.pos;
                let v = inner.varint()?;
                f(v, p)?;
            }
            Ok(())
        }
        WT_VARINT => {
            let v = w.varint()?;
            f(v, at)
        }
        _ => want(wt, WT_VARINT, at, what),
    }
}

#[derive(Default)]
struct RawValueType {
    r#type: i64,
    unit: i64,
    pos: usize,
}

struct RawMapping {
    m: Mapping,
    file: i64,
    build_id: i64,
    pos: usize,
}

struct RawLocation {
    id: u64,
    mapping_id: u64,
    address: u64,
    /// (function id, line, column)
    lines: Vec<(u64, i64, i64)>,
    is_folded: bool,
    pos: usize,
}

struct RawFunction {
    id: u64,
    name: i64,
    system_name: i64,
    filename: i64,
    start_line: i64,
    pos: usize,
}

/// Maps producer ids to table indices: a vector when ids are dense (the usual
/// 1..N), a hash map otherwise.
enum IdMap {
    Dense(Vec<u32>),
    Sparse(FxHashMap<u64, u32>),
}

const ABSENT: u32 = u32::MAX;

impl IdMap {
    fn new(ids: impl Iterator<Item = u64> + Clone, n: usize) -> Self {
        let max = ids.clone().max().unwrap_or(0);
        if max <= (n as u64) * 2 + 64 {
            IdMap::Dense(vec![ABSENT; max as usize + 1])
        } else {
            IdMap::Sparse(FxHashMap::default())
        }
    }
    /// Inserts; returns false if the id was already present.
    fn insert(&mut self, id: u64, idx: u32) -> bool {
        match self {
            IdMap::Dense(v) => {
                let slot = &mut v[id as usize];
                if *slot != ABSENT {
                    return false;
                }
                *slot = idx;
                true
            }
            IdMap::Sparse(m) => m.insert(id, idx).is_none(),
        }
    }
    #[inline]
    fn get(&self, id: u64) -> Option<u32> {
        match self {
            IdMap::Dense(v) => v.get(id as usize).copied().filter(|&x| x != ABSENT),
            IdMap::Sparse(m) => m.get(&id).copied(),
        }
    }
}

struct Strings<'a> {
    raw: Vec<(usize, usize)>,
    data: &'a [u8],
}

impl Strings<'_> {
    /// Resolves a string index as pprof's getString does (out of range is a parse error).
    fn id(&self, x: i64, pos: usize, what: &str) -> Result<StrId> {
        if x < 0 || x as usize >= self.raw.len() {
            return Err(perr(
                pos,
                format!(
                    "malformed profile format: {what} refers to string {x}, but the string table has {} entries",
                    self.raw.len()
                ),
            ));
        }
        Ok(StrId(x as u32))
    }
}

/// Checks the top-level fields of a protobuf that is still being inflated:
/// walks complete fields from `*pos`, refusing what cannot be a profile
/// (field number 0, group or unknown wire types, a field longer than the
/// cap, more samples than the limit). Returns at the first incomplete field.
pub fn check_prefix(
    data: &[u8],
    pos: &mut usize,
    samples: &mut u64,
    limits: &Limits,
) -> std::result::Result<(), String> {
    let mut w = Wire::new(data, *pos, data.len());
    while !w.done() {
        let start = w.pos;
        let Ok((field, wt, _)) = w.key() else { return Ok(()) };
        if field == 0 || !matches!(wt, WT_VARINT | WT_I64 | WT_LEN | WT_I32) {
            return Err(format!(
                "the decompressed data is not a profile (byte {start} holds field {field} with wire type {wt})"
            ));
        }
        match wt {
            WT_VARINT => {
                if w.varint().is_err() {
                    return Ok(());
                }
            }
            WT_LEN => {
                let Ok(n) = w.varint() else { return Ok(()) };
                if n > limits.max_inflated_bytes {
                    return Err(format!(
                        "the decompressed data is not a profile (byte {start} starts a field of {n} bytes, beyond the cap)"
                    ));
                }
                if field == 2 {
                    *samples += 1;
                    if *samples > limits.max_samples {
                        return Err(format!(
                            "the profile has more than {} samples, the limit on samples per profile",
                            limits.max_samples
                        ));
                    }
                }
                if (w.end - w.pos) < n as usize {
                    *pos = start;
                    return Ok(());
                }
                w.pos += n as usize;
            }
            _ => {
                let n = if wt == WT_I64 { 8 } else { 4 };
                if w.end - w.pos < n {
                    *pos = start;
                    return Ok(());
                }
                w.pos += n;
            }
        }
        *pos = w.pos;
    }
    Ok(())
}

/// Refuses one more entry in a table that holds `entries` already.
fn table_limit(entries: usize, what: &str, at: usize, limits: &Limits) -> Result<()> {
    if entries as u64 >= limits.max_table_entries {
        return Err(perr(
            at,
            format!(
                "the profile has more than {} {what}, the limit on table entries; raise it (CLI: --max_table_entries=N) if the file is genuine",
                limits.max_table_entries
            ),
        ));
    }
    Ok(())
}

/// What pass 1 gathers: the tables as read (string indexes unresolved), the
/// header's string indexes, and how many samples there are and where the first is.
struct Tables<'a> {
    strings: Strings<'a>,
    string_bytes: u64,
    sample_types: Vec<RawValueType>,
    period_type: Option<RawValueType>,
    mappings: Vec<RawMapping>,
    locations: Vec<RawLocation>,
    functions: Vec<RawFunction>,
    comments: Vec<(i64, usize)>,
    /// Lines of all locations so far (the limit on lines).
    lines: u64,
    drop_frames: i64,
    keep_frames: i64,
    default_sample_type: i64,
    doc_url: i64,
    time_seen: bool,
    n_samples: u64,
    first_sample_pos: Option<usize>,
}

pub fn decode(data: &[u8], limits: &Limits) -> Result<Profile> {
    if data.is_empty() {
        return Err(DecodeError::new(Stage::Parsing, "empty input file"));
    }
    let mut p = Profile::default();
    // Pass 1: everything except samples (they may come before the locations they use).
    let mut t = read_tables(data, limits, &mut p)?;
    if t.strings.raw.is_empty() {
        // pprof: a profile without a string table fails every string lookup.
        return Err(perr(0, "malformed profile format: the profile has no string table"));
    }
    let table = string_texts(&t.strings);
    resolve_header(&mut p, &t)?;
    let mapping_ids = resolve_mappings(&mut p, &t)?;
    let function_ids = resolve_functions(&mut p, &t)?;
    let location_ids = resolve_locations(&mut p, std::mem::take(&mut t.locations), &mapping_ids, &function_ids)?;
    if p.sample_types.is_empty() && t.n_samples > 0 {
        return Err(merr(t.first_sample_pos.unwrap_or(0), "missing sample type information"));
    }
    values_fit(data.len(), p.sample_types.len(), t.n_samples, t.first_sample_pos)?;
    // Pass 2: samples, straight into the columns.
    let mut r = SampleReader::new(data, limits, &t.strings, &location_ids, p.sample_types.len(), t.n_samples);
    let mut w = Wire::new(data, 0, data.len());
    while !w.done() {
        let (field, wt, at) = w.key()?;
        if field != 2 {
            w.skip(wt, at)?;
            continue;
        }
        let (s, e) = w.len_delimited()?;
        r.sample(s, e)?;
    }
    p.samples = r.samples.into();
    p.stacks = r.stacks.into();
    p.label_sets = r.label_sets.into();
    p.strings = StringTable::from_vec(table);
    p.source_format = SourceFormat::Pprof;
    Ok(p)
}

/// Every sample holds one value per sample type, each at least a byte of
/// the input: checked before the value column is reserved, so a small file
/// declaring millions of sample types is refused instead of reserving
/// samples × types.
fn values_fit(input: usize, n_types: usize, n_samples: u64, first_sample: Option<usize>) -> Result<()> {
    let values = n_samples.saturating_mul(n_types as u64);
    if values > input as u64 {
        return Err(merr(
            first_sample.unwrap_or(0),
            format!(
                "mismatch: {n_samples} samples of {n_types} sample types need {values} values, more than the {input} bytes of the profile can hold"
            ),
        ));
    }
    Ok(())
}

/// Pass 1: the top-level fields except the samples (only counted), with the
/// limits on table entries, samples and string bytes; scalar header fields
/// go straight into `p`.
fn read_tables<'a>(data: &'a [u8], limits: &Limits, p: &mut Profile) -> Result<Tables<'a>> {
    let mut t = Tables {
        strings: Strings { raw: Vec::new(), data },
        string_bytes: 0,
        sample_types: Vec::new(),
        period_type: None,
        mappings: Vec::new(),
        locations: Vec::new(),
        functions: Vec::new(),
        comments: Vec::new(),
        lines: 0,
        drop_frames: 0,
        keep_frames: 0,
        default_sample_type: 0,
        doc_url: 0,
        time_seen: false,
        n_samples: 0,
        first_sample_pos: None,
    };
    let mut w = Wire::new(data, 0, data.len());
    while !w.done() {
        let (field, wt, at) = w.key()?;
        t.check_entries(field, at, limits)?;
        match field {
            1 | 11 => {
                want(wt, WT_LEN, at, if field == 1 { "sample_type" } else { "period_type" })?;
                let vt = decode_value_type(&mut w, at)?;
                if field == 1 {
                    t.sample_types.push(vt);
                } else {
                    t.period_type = Some(vt);
                }
            }
            2 => {
                want(wt, WT_LEN, at, "sample")?;
                w.len_delimited()?;
                t.count_sample(at, limits)?;
            }
            3 => {
                want(wt, WT_LEN, at, "mapping")?;
                t.mappings.push(decode_mapping(&mut w, at)?);
            }
            4 => {
                want(wt, WT_LEN, at, "location")?;
                let l = decode_location(&mut w, at, t.lines, limits.max_lines)?;
                t.lines += l.lines.len() as u64;
                t.locations.push(l);
            }
            5 => {
                want(wt, WT_LEN, at, "function")?;
                t.functions.push(decode_function(&mut w, at)?);
            }
            6 => {
                want(wt, WT_LEN, at, "string_table entry")?;
                let (s, e) = w.len_delimited()?;
                t.push_string(s, e, at, limits)?;
            }
            7 | 8 | 9 | 10 | 12 | 14 | 15 => {
                want(wt, WT_VARINT, at, "a scalar header field")?;
                let v = w.varint()? as i64;
                t.scalar(field, v, at, p)?;
            }
            13 => {
                let comments = &mut t.comments;
                for_each_int(&mut w, wt, at, "comment", |v, pos| {
                    table_limit(comments.len(), "comments", pos, limits)?;
                    comments.push((v as i64, pos));
                    Ok(())
                })?
            }
            _ => w.skip(wt, at)?,
        }
    }
    Ok(t)
}

impl Tables<'_> {
    /// The limit on entries of the table `field` adds to.
    fn check_entries(&self, field: u64, at: usize, limits: &Limits) -> Result<()> {
        let (entries, what) = match field {
            1 => (self.sample_types.len(), "sample types"),
            3 => (self.mappings.len(), "mappings"),
            4 => (self.locations.len(), "locations"),
            5 => (self.functions.len(), "functions"),
            6 => (self.strings.raw.len(), "strings"),
            13 => (self.comments.len(), "comments"),
            _ => return Ok(()),
        };
        table_limit(entries, what, at, limits)
    }

    fn count_sample(&mut self, at: usize, limits: &Limits) -> Result<()> {
        self.n_samples += 1;
        if self.n_samples > limits.max_samples {
            return Err(DecodeError::at_byte(
                Stage::Parsing,
                at,
                format!(
                    "the profile has more than {} samples, the limit on samples per profile; raise it (CLI: --max_samples=N) if the file is genuine",
                    limits.max_samples
                ),
            ));
        }
        self.first_sample_pos.get_or_insert(at);
        Ok(())
    }

    fn push_string(&mut self, s: usize, e: usize, at: usize, limits: &Limits) -> Result<()> {
        if self.strings.raw.is_empty() && e != s {
            return Err(perr(at, "string_table[0] must be ''"));
        }
        self.string_bytes += (e - s) as u64;
        if self.string_bytes > limits.max_string_bytes {
            return Err(perr(
                at,
                format!(
                    "the string table holds more than {} bytes, the limit on string table size; raise it (CLI: --max_string_bytes=N) if the file is genuine",
                    limits.max_string_bytes
                ),
            ));
        }
        self.strings.raw.push((s, e));
        Ok(())
    }

    /// A scalar header field (a second time_nanos means concatenated profiles).
    fn scalar(&mut self, field: u64, v: i64, at: usize, p: &mut Profile) -> Result<()> {
        match field {
            7 => self.drop_frames = v,
            8 => self.keep_frames = v,
            9 => {
                if self.time_seen && p.time_nanos != 0 {
                    return Err(perr(at, "concatenated profiles detected"));
                }
                self.time_seen = true;
                p.time_nanos = v;
            }
            10 => p.duration_nanos = v,
            12 => p.period = v,
            14 => self.default_sample_type = v,
            _ => self.doc_url = v,
        }
        Ok(())
    }
}

/// The string table as text; invalid UTF-8 becomes U+FFFD (strings are only displayed).
fn string_texts(strings: &Strings) -> Vec<Box<str>> {
    strings
        .raw
        .iter()
        .map(|&(s, e)| match std::str::from_utf8(&strings.data[s..e]) {
            Ok(t) => t.into(),
            Err(_) => String::from_utf8_lossy(&strings.data[s..e]).into_owned().into_boxed_str(),
        })
        .collect()
}

/// Sample types, period type, drop/keep frames, default sample type, doc url, comments.
fn resolve_header(p: &mut Profile, t: &Tables) -> Result<()> {
    let strings = &t.strings;
    for vt in &t.sample_types {
        p.sample_types.push(ValueType {
            r#type: strings.id(vt.r#type, vt.pos, "a sample type")?,
            unit: strings.id(vt.unit, vt.pos, "a sample type unit")?,
        });
    }
    if let Some(vt) = &t.period_type {
        p.period_type = ValueType {
            r#type: strings.id(vt.r#type, vt.pos, "the period type")?,
            unit: strings.id(vt.unit, vt.pos, "the period unit")?,
        };
    }
    p.drop_frames = strings.id(t.drop_frames, 0, "drop_frames")?;
    p.keep_frames = strings.id(t.keep_frames, 0, "keep_frames")?;
    p.default_sample_type = strings.id(t.default_sample_type, 0, "default_sample_type")?;
    p.doc_url = strings.id(t.doc_url, 0, "doc_url")?;
    for &(c, pos) in &t.comments {
        p.comments.push(strings.id(c, pos, "a comment")?);
    }
    Ok(())
}

/// The mappings, with pprof's checks (no id 0, no duplicate ids); their ids to indexes.
fn resolve_mappings(p: &mut Profile, t: &Tables) -> Result<IdMap> {
    let mut ids = IdMap::new(t.mappings.iter().map(|m| m.m.id), t.mappings.len());
    for (i, raw) in t.mappings.iter().enumerate() {
        let mut m = raw.m.clone();
        m.file = t.strings.id(raw.file, raw.pos, "a mapping's file name")?;
        m.build_id = t.strings.id(raw.build_id, raw.pos, "a mapping's build id")?;
        if m.id == 0 {
            return Err(merr(raw.pos, "found mapping with reserved ID=0"));
        }
        if !ids.insert(m.id, i as u32) {
            return Err(merr(raw.pos, format!("multiple mappings with same id: {}", m.id)));
        }
        p.mappings.push(m);
    }
    Ok(ids)
}

/// The functions, with pprof's checks; their ids to indexes.
fn resolve_functions(p: &mut Profile, t: &Tables) -> Result<IdMap> {
    let mut ids = IdMap::new(t.functions.iter().map(|f| f.id), t.functions.len());
    for (i, raw) in t.functions.iter().enumerate() {
        let f = Function {
            id: raw.id,
            name: t.strings.id(raw.name, raw.pos, "a function name")?,
            system_name: t.strings.id(raw.system_name, raw.pos, "a function's system name")?,
            filename: t.strings.id(raw.filename, raw.pos, "a function's file name")?,
            start_line: raw.start_line,
        };
        if f.id == 0 {
            return Err(merr(raw.pos, "found function with reserved ID=0"));
        }
        if !ids.insert(f.id, i as u32) {
            return Err(merr(raw.pos, format!("multiple functions with same id: {}", f.id)));
        }
        p.functions.push(f);
    }
    Ok(ids)
}

/// The locations, with pprof's checks (a line's function must exist; a
/// mapping that does not is dropped, with a warning); their ids to indexes.
fn resolve_locations(
    p: &mut Profile,
    locations: Vec<RawLocation>,
    mapping_ids: &IdMap,
    function_ids: &IdMap,
) -> Result<IdMap> {
    let mut ids = IdMap::new(locations.iter().map(|l| l.id), locations.len());
    let mut dangling_mappings = 0usize;
    for (i, raw) in locations.into_iter().enumerate() {
        if raw.id == 0 {
            return Err(merr(raw.pos, "found location with reserved id=0"));
        }
        if !ids.insert(raw.id, i as u32) {
            return Err(merr(raw.pos, format!("multiple locations with same id: {}", raw.id)));
        }
        // pprof leaves a location whose mapping id resolves to nothing unmapped.
        let mapping = if raw.mapping_id == 0 {
            None
        } else {
            let m = mapping_ids.get(raw.mapping_id).map(MapId);
            if m.is_none() {
                dangling_mappings += 1;
            }
            m
        };
        let mut lines = Vec::with_capacity(raw.lines.len());
        for &(fid, line, column) in &raw.lines {
            let Some(f) = function_ids.get(fid) else {
                return Err(merr(
                    raw.pos,
                    format!("location id: {} has a line with nil function (function id {fid} is not defined)", raw.id),
                ));
            };
            lines.push(Line { function: FuncId(f), line, column });
        }
        p.locations.push(Location { id: raw.id, mapping, address: raw.address, lines, is_folded: raw.is_folded });
    }
    if dangling_mappings > 0 {
        p.warnings.push(format!(
            "{dangling_mappings} locations refer to a mapping id that is not defined; shown without a mapping"
        ));
    }
    Ok(ids)
}

/// Where a sample's location ids (one packed field) and labels (a contiguous
/// run of label fields) are, when the sample is encoded that way.
#[derive(Default)]
struct SampleShape {
    loc_bytes: Option<(usize, usize)>,
    loc_fields: u32,
    label_bytes: Option<(usize, usize)>,
    label_runs: u32,
}

/// Pass 2: samples into the columns. Most samples repeat a stack and a label
/// set seen before: the encoded bytes of their location ids and labels are
/// looked up first, and only new encodings are decoded and interned by
/// content (so differently encoded equal stacks still share an id).
struct SampleReader<'a> {
    data: &'a [u8],
    limits: &'a Limits,
    strings: &'a Strings<'a>,
    location_ids: &'a IdMap,
    n_types: usize,
    samples: Samples,
    stacks: StackTable,
    label_sets: LabelTable,
    stack_by_bytes: crate::model::bytes_interner::BytesInterner,
    labels_by_bytes: crate::model::bytes_interner::BytesInterner,
    frames: Vec<LocId>,
    values: Vec<i64>,
    /// Values of the current sample beyond the sample types (an error).
    extra_values: u64,
    labels: LabelSet,
    index: usize,
}

impl<'a> SampleReader<'a> {
    fn new(
        data: &'a [u8],
        limits: &'a Limits,
        strings: &'a Strings<'a>,
        location_ids: &'a IdMap,
        n_types: usize,
        n_samples: u64,
    ) -> Self {
        let mut samples = Samples::default();
        samples.stacks.reserve(n_samples as usize);
        samples.labels.reserve(n_samples as usize);
        samples.values.reserve(n_samples as usize * n_types);
        SampleReader {
            data,
            limits,
            strings,
            location_ids,
            n_types,
            samples,
            stacks: StackTable::default(),
            label_sets: LabelTable::default(),
            stack_by_bytes: Default::default(),
            labels_by_bytes: Default::default(),
            frames: Vec::with_capacity(64),
            values: Vec::with_capacity(n_types),
            extra_values: 0,
            labels: LabelSet::default(),
            index: 0,
        }
    }

    /// The sample message at `data[s..e]`.
    fn sample(&mut self, s: usize, e: usize) -> Result<()> {
        let shape = self.scan(s, e)?;
        if self.values.len() != self.n_types || self.extra_values > 0 {
            let n = self.values.len() as u64 + self.extra_values;
            return Err(merr(s, format!("mismatch: sample #{} has {n} values vs. {} types", self.index, self.n_types)));
        }
        let stack = self.stack(&shape, s, e)?;
        let label_set = self.label_set(&shape, s, e)?;
        self.samples.stacks.push(stack);
        self.samples.labels.push(label_set);
        self.samples.values.extend_from_slice(&self.values);
        self.index += 1;
        Ok(())
    }

    /// Reads the values and finds where the location ids and labels are.
    fn scan(&mut self, s: usize, e: usize) -> Result<SampleShape> {
        let mut shape = SampleShape::default();
        let mut last_was_label = false;
        let mut sw = Wire::new(self.data, s, e);
        self.values.clear();
        self.extra_values = 0;
        while !sw.done() {
            let (f, wt, at) = sw.key()?;
            match f {
                1 => {
                    shape.loc_fields += 1;
                    if wt == WT_LEN {
                        shape.loc_bytes = Some(sw.len_delimited()?);
                    } else {
                        want(wt, WT_VARINT, at, "sample.location_id")?;
                        sw.varint()?;
                        shape.loc_fields += 1; // unpacked: take the slow path
                    }
                }
                2 => {
                    let (values, n_types, extra) = (&mut self.values, self.n_types, &mut self.extra_values);
                    for_each_int(&mut sw, wt, at, "sample.value", |v, _| {
                        // Values beyond the types make an error: counted, not held.
                        if values.len() < n_types {
                            values.push(v as i64);
                        } else {
                            *extra += 1;
                        }
                        Ok(())
                    })?;
                }
                3 => {
                    want(wt, WT_LEN, at, "sample.label")?;
                    sw.len_delimited()?;
                    if !last_was_label {
                        shape.label_runs += 1;
                        shape.label_bytes = Some((at, sw.pos));
                    } else if let Some(r) = &mut shape.label_bytes {
                        r.1 = sw.pos;
                    }
                }
                _ => sw.skip(wt, at)?,
            }
            last_was_label = f == 3;
        }
        Ok(shape)
    }

    fn stack(&mut self, shape: &SampleShape, s: usize, e: usize) -> Result<StackId> {
        let data = self.data;
        let fast_key = match shape.loc_fields {
            0 => Some(&data[0..0]),
            1 => shape.loc_bytes.map(|(a, b)| &data[a..b]),
            _ => None,
        };
        if let Some(id) = fast_key.and_then(|k| self.stack_by_bytes.get(k)) {
            return Ok(StackId(id));
        }
        self.frames.clear();
        let (index, limits, location_ids, frames) = (self.index, self.limits, self.location_ids, &mut self.frames);
        let mut sw = Wire::new(data, s, e);
        while !sw.done() {
            let (f, wt, at) = sw.key()?;
            if f != 1 {
                sw.skip(wt, at)?;
                continue;
            }
            for_each_int(&mut sw, wt, at, "sample.location_id", |id, pos| {
                match location_ids.get(id) {
                    Some(l) => frames.push(LocId(l)),
                    None => {
                        return Err(merr(
                            pos,
                            format!("sample #{index} refers to location id {id}, which is not defined"),
                        ))
                    }
                }
                if frames.len() as u64 > limits.max_stack_depth {
                    return Err(perr(
                        pos,
                        format!(
                            "sample #{index} has a stack deeper than {} frames, the limit on stack depth; raise it (CLI: --max_stack_depth=N) if the file is genuine",
                            limits.max_stack_depth
                        ),
                    ));
                }
                Ok(())
            })?;
        }
        let id = self.stacks.intern(&self.frames);
        if let Some(k) = fast_key {
            self.stack_by_bytes.insert(k, id.0);
        }
        Ok(id)
    }

    fn label_set(&mut self, shape: &SampleShape, s: usize, e: usize) -> Result<LabelSetId> {
        if shape.label_runs == 0 {
            return Ok(LabelSetId(0));
        }
        let data = self.data;
        let key = match (shape.label_runs, shape.label_bytes) {
            (1, Some((a, b))) => Some(&data[a..b]),
            _ => None,
        };
        if let Some(id) = key.and_then(|k| self.labels_by_bytes.get(k)) {
            return Ok(LabelSetId(id));
        }
        self.labels.strs.clear();
        self.labels.nums.clear();
        let mut sw = Wire::new(data, s, e);
        while !sw.done() {
            let (f, wt, at) = sw.key()?;
            if f != 3 {
                sw.skip(wt, at)?;
                continue;
            }
            let (ls, le) = sw.len_delimited()?;
            decode_label(data, ls, le, at, self.strings, &mut self.labels)?;
            if (self.labels.strs.len() + self.labels.nums.len()) as u64 > self.limits.max_labels {
                return Err(perr(
                    at,
                    format!(
                        "sample #{} has more than {} labels, the limit on labels per sample; raise it (CLI: --max_labels=N) if the file is genuine",
                        self.index, self.limits.max_labels
                    ),
                ));
            }
        }
        self.labels.canonicalize();
        let id = self.label_sets.intern_canonical(&self.labels);
        if let Some(k) = key {
            self.labels_by_bytes.insert(k, id.0);
        }
        Ok(id)
    }
}

/// One `Label` message into `out`, with pprof's rule: a string label if it has
/// a string, a numeric one if it has a number or a unit, otherwise dropped.
fn decode_label(data: &[u8], s: usize, e: usize, at: usize, strings: &Strings, out: &mut LabelSet) -> Result<()> {
    let mut lw = Wire::new(data, s, e);
    let (mut key, mut str, mut num, mut unit) = (0i64, 0i64, 0i64, 0i64);
    while !lw.done() {
        let (lf, lwt, lat) = lw.key()?;
        match lf {
            1..=4 => {
                want(lwt, WT_VARINT, lat, "a label field")?;
                let v = lw.varint()? as i64;
                match lf {
                    1 => key = v,
                    2 => str = v,
                    3 => num = v,
                    _ => unit = v,
                }
            }
            _ => lw.skip(lwt, lat)?,
        }
    }
    let key = strings.id(key, at, "a label key")?;
    if str != 0 {
        out.strs.push((key, strings.id(str, at, "a label value")?));
    } else if num != 0 || unit != 0 {
        let unit = strings.id(unit, at, "a label unit")?;
        out.nums.push(NumLabel { key, value: num, unit });
    }
    Ok(())
}

fn decode_value_type(w: &mut Wire, at: usize) -> Result<RawValueType> {
    let (s, e) = w.len_delimited()?;
    let mut m = Wire::new(w.data, s, e);
    let mut vt = RawValueType { pos: at, ..Default::default() };
    while !m.done() {
        let (f, wt, fat) = m.key()?;
        match f {
            1 | 2 => {
                want(wt, WT_VARINT, fat, "a value type field")?;
                let v = m.varint()? as i64;
                if f == 1 {
                    vt.r#type = v
                } else {
                    vt.unit = v
                }
            }
            _ => m.skip(wt, fat)?,
        }
    }
    Ok(vt)
}

fn decode_mapping(w: &mut Wire, at: usize) -> Result<RawMapping> {
    let (s, e) = w.len_delimited()?;
    let mut m = Wire::new(w.data, s, e);
    let mut r = RawMapping { m: Mapping::default(), file: 0, build_id: 0, pos: at };
    while !m.done() {
        let (f, wt, fat) = m.key()?;
        match f {
            1..=10 => {
                want(wt, WT_VARINT, fat, "a mapping field")?;
                let v = m.varint()?;
                match f {
                    1 => r.m.id = v,
                    2 => r.m.start = v,
                    3 => r.m.limit = v,
                    4 => r.m.offset = v,
                    5 => r.file = v as i64,
                    6 => r.build_id = v as i64,
                    7 => r.m.has_functions = v != 0,
                    8 => r.m.has_filenames = v != 0,
                    9 => r.m.has_line_numbers = v != 0,
                    _ => r.m.has_inline_frames = v != 0,
                }
            }
            _ => m.skip(wt, fat)?,
        }
    }
    Ok(r)
}

/// A location; the lines of all locations (`lines_before` of the ones read
/// already) stay within `max_lines`.
fn decode_location(w: &mut Wire, at: usize, lines_before: u64, max_lines: u64) -> Result<RawLocation> {
    let (s, e) = w.len_delimited()?;
    let mut m = Wire::new(w.data, s, e);
    let mut r = RawLocation { id: 0, mapping_id: 0, address: 0, lines: Vec::new(), is_folded: false, pos: at };
    while !m.done() {
        let (f, wt, fat) = m.key()?;
        match f {
            1 | 2 | 3 | 5 => {
                want(wt, WT_VARINT, fat, "a location field")?;
                let v = m.varint()?;
                match f {
                    1 => r.id = v,
                    2 => r.mapping_id = v,
                    3 => r.address = v,
                    _ => r.is_folded = v != 0,
                }
            }
            4 => {
                want(wt, WT_LEN, fat, "location.line")?;
                if lines_before + r.lines.len() as u64 >= max_lines {
                    return Err(perr(
                        fat,
                        format!(
                            "the profile's locations hold more than {max_lines} lines, the limit on lines; raise it (CLI: --max_lines=N) if the file is genuine"
                        ),
                    ));
                }
                let (ls, le) = m.len_delimited()?;
                let mut l = Wire::new(w.data, ls, le);
                let (mut fid, mut line, mut col) = (0u64, 0i64, 0i64);
                while !l.done() {
                    let (lf, lwt, lat) = l.key()?;
                    match lf {
                        1..=3 => {
                            want(lwt, WT_VARINT, lat, "a line field")?;
                            let v = l.varint()?;
                            match lf {
                                1 => fid = v,
                                2 => line = v as i64,
                                _ => col = v as i64,
                            }
                        }
                        _ => l.skip(lwt, lat)?,
                    }
                }
                r.lines.push((fid, line, col));
            }
            _ => m.skip(wt, fat)?,
        }
    }
    Ok(r)
}

fn decode_function(w: &mut Wire, at: usize) -> Result<RawFunction> {
    let (s, e) = w.len_delimited()?;
    let mut m = Wire::new(w.data, s, e);
    let mut r = RawFunction { id: 0, name: 0, system_name: 0, filename: 0, start_line: 0, pos: at };
    while !m.done() {
        let (f, wt, fat) = m.key()?;
        match f {
            1..=5 => {
                want(wt, WT_VARINT, fat, "a function field")?;
                let v = m.varint()?;
                match f {
                    1 => r.id = v,
                    2 => r.name = v as i64,
                    3 => r.system_name = v as i64,
                    4 => r.filename = v as i64,
                    _ => r.start_line = v as i64,
                }
            }
            _ => m.skip(wt, fat)?,
        }
    }
    Ok(r)
}
