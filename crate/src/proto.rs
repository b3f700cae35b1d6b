//! proto/profile.proto as prost messages, derived by hand (no build script,
//! no protoc: the schema is small and stable, and a hand mirror keeps builds
//! fast). Used to write profiles (exports) and, in tests, as an independent
//! decoder to check `decode::pprof` against.

use crate::model::*;

#[derive(Clone, PartialEq, prost::Message)]
pub struct PbProfile {
    #[prost(message, repeated, tag = "1")]
    pub sample_type: Vec<PbValueType>,
    #[prost(message, repeated, tag = "2")]
    pub sample: Vec<PbSample>,
    #[prost(message, repeated, tag = "3")]
    pub mapping: Vec<PbMapping>,
    #[prost(message, repeated, tag = "4")]
    pub location: Vec<PbLocation>,
    #[prost(message, repeated, tag = "5")]
    pub function: Vec<PbFunction>,
    #[prost(string, repeated, tag = "6")]
    pub string_table: Vec<String>,
    #[prost(int64, tag = "7")]
    pub drop_frames: i64,
    #[prost(int64, tag = "8")]
    pub keep_frames: i64,
    #[prost(int64, tag = "9")]
    pub time_nanos: i64,
    #[prost(int64, tag = "10")]
    pub duration_nanos: i64,
    #[prost(message, optional, tag = "11")]
    pub period_type: Option<PbValueType>,
    #[prost(int64, tag = "12")]
    pub period: i64,
    #[prost(int64, repeated, tag = "13")]
    pub comment: Vec<i64>,
    #[prost(int64, tag = "14")]
    pub default_sample_type: i64,
    #[prost(int64, tag = "15")]
    pub doc_url: i64,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct PbValueType {
    #[prost(int64, tag = "1")]
    pub r#type: i64,
    #[prost(int64, tag = "2")]
    pub unit: i64,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct PbSample {
    #[prost(uint64, repeated, tag = "1")]
    pub location_id: Vec<u64>,
    #[prost(int64, repeated, tag = "2")]
    pub value: Vec<i64>,
    #[prost(message, repeated, tag = "3")]
    pub label: Vec<PbLabel>,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct PbLabel {
    #[prost(int64, tag = "1")]
    pub key: i64,
    #[prost(int64, tag = "2")]
    pub str: i64,
    #[prost(int64, tag = "3")]
    pub num: i64,
    #[prost(int64, tag = "4")]
    pub num_unit: i64,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct PbMapping {
    #[prost(uint64, tag = "1")]
    pub id: u64,
    #[prost(uint64, tag = "2")]
    pub memory_start: u64,
    #[prost(uint64, tag = "3")]
    pub memory_limit: u64,
    #[prost(uint64, tag = "4")]
    pub file_offset: u64,
    #[prost(int64, tag = "5")]
    pub filename: i64,
    #[prost(int64, tag = "6")]
    pub build_id: i64,
    #[prost(bool, tag = "7")]
    pub has_functions: bool,
    #[prost(bool, tag = "8")]
    pub has_filenames: bool,
    #[prost(bool, tag = "9")]
    pub has_line_numbers: bool,
    #[prost(bool, tag = "10")]
    pub has_inline_frames: bool,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct PbLocation {
    #[prost(uint64, tag = "1")]
    pub id: u64,
    #[prost(uint64, tag = "2")]
    pub mapping_id: u64,
    #[prost(uint64, tag = "3")]
    pub address: u64,
    #[prost(message, repeated, tag = "4")]
    pub line: Vec<PbLine>,
    #[prost(bool, tag = "5")]
    pub is_folded: bool,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct PbLine {
    #[prost(uint64, tag = "1")]
    pub function_id: u64,
    #[prost(int64, tag = "2")]
    pub line: i64,
    #[prost(int64, tag = "3")]
    pub column: i64,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct PbFunction {
    #[prost(uint64, tag = "1")]
    pub id: u64,
    #[prost(int64, tag = "2")]
    pub name: i64,
    #[prost(int64, tag = "3")]
    pub system_name: i64,
    #[prost(int64, tag = "4")]
    pub filename: i64,
    #[prost(int64, tag = "5")]
    pub start_line: i64,
}

/// The profile as a protobuf message. Ids are renumbered 1..N (table order),
/// so any valid model encodes to a valid profile.proto.
pub fn to_message(p: &Profile) -> PbProfile {
    let s = |id: StrId| id.0 as i64;
    let mut m = PbProfile {
        string_table: p.strings.iter().map(str::to_string).collect(),
        sample_type: p.sample_types.iter().map(|v| PbValueType { r#type: s(v.r#type), unit: s(v.unit) }).collect(),
        drop_frames: s(p.drop_frames),
        keep_frames: s(p.keep_frames),
        time_nanos: p.time_nanos,
        duration_nanos: p.duration_nanos,
        period_type: Some(PbValueType { r#type: s(p.period_type.r#type), unit: s(p.period_type.unit) }),
        period: p.period,
        comment: p.comments.iter().map(|&c| s(c)).collect(),
        default_sample_type: s(p.default_sample_type),
        doc_url: s(p.doc_url),
        ..Default::default()
    };
    m.mapping = p
        .mappings
        .iter()
        .enumerate()
        .map(|(i, x)| PbMapping {
            id: i as u64 + 1,
            memory_start: x.start,
            memory_limit: x.limit,
            file_offset: x.offset,
            filename: s(x.file),
            build_id: s(x.build_id),
            has_functions: x.has_functions,
            has_filenames: x.has_filenames,
            has_line_numbers: x.has_line_numbers,
            has_inline_frames: x.has_inline_frames,
        })
        .collect();
    m.function = p
        .functions
        .iter()
        .enumerate()
        .map(|(i, f)| PbFunction {
            id: i as u64 + 1,
            name: s(f.name),
            system_name: s(f.system_name),
            filename: s(f.filename),
            start_line: f.start_line,
        })
        .collect();
    m.location = p
        .locations
        .iter()
        .enumerate()
        .map(|(i, l)| PbLocation {
            id: i as u64 + 1,
            mapping_id: l.mapping.map_or(0, |m| m.0 as u64 + 1),
            address: l.address,
            line: l
                .lines
                .iter()
                .map(|ln| PbLine { function_id: ln.function.0 as u64 + 1, line: ln.line, column: ln.column })
                .collect(),
            is_folded: l.is_folded,
        })
        .collect();
    m.sample = (0..p.samples.len())
        .map(|i| {
            let labels = p.sample_labels(i);
            let mut label: Vec<PbLabel> =
                labels.strs.iter().map(|&(k, v)| PbLabel { key: s(k), str: s(v), ..Default::default() }).collect();
            label.extend(labels.nums.iter().map(|n| PbLabel {
                key: s(n.key),
                num: n.value,
                num_unit: s(n.unit),
                ..Default::default()
            }));
            PbSample {
                location_id: p.sample_stack(i).iter().map(|l| l.0 as u64 + 1).collect(),
                value: p.sample_values(i).to_vec(),
                label,
            }
        })
        .collect();
    m
}

/// Encodes as raw (uncompressed) profile.proto bytes.
pub fn encode(p: &Profile) -> Vec<u8> {
    use prost::Message;
    to_message(p).encode_to_vec()
}

/// Encodes gzipped, the form `go tool pprof` and `curl .../debug/pprof/heap` use.
pub fn encode_gzip(p: &Profile) -> Vec<u8> {
    gzip(&encode(p))
}

/// Raw profile.proto bytes gzipped.
pub fn gzip(raw: &[u8]) -> Vec<u8> {
    let deflated = miniz_oxide::deflate::compress_to_vec(raw, 6);
    let mut out = Vec::with_capacity(deflated.len() + 18);
    out.extend_from_slice(&[0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255]);
    out.extend_from_slice(&deflated);
    out.extend_from_slice(&crate::util::crc32::hash(raw).to_le_bytes());
    out.extend_from_slice(&(raw.len() as u32).to_le_bytes());
    out
}
