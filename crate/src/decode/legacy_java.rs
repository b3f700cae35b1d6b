//! Google's legacy Java profiles (pprof's legacy_java_profile.go): heapz and
//! contentionz text (`--- heapz 1 ---` / `--- contentionz 1 ---`, `name =
//! value` attributes, `VALUE COUNT @ ADDRS` records, then `0xADDR function
//! (File.java:LINE)` symbols), and the symbol table of the binary Java CPU
//! profile. Addresses only join records to symbols; pprof then clears them.

use super::legacy::{self, LSample, LegacyProfile};
use super::{DecodeError, Limits, Stage};
use crate::model::{Profile, SourceFormat};
use crate::util::hash::FxHashMap;
use regex::Regex;
use std::sync::OnceLock;

const SP: &str = r"[\t\n\f\r ]";

fn attribute_rx() -> &'static Regex {
    static RX: OnceLock<Regex> = OnceLock::new();
    RX.get_or_init(|| Regex::new(r"([0-9A-Za-z_ ]+)=([0-9A-Za-z_ ]+)").unwrap())
}
fn sample_rx() -> &'static Regex {
    static RX: OnceLock<Regex> = OnceLock::new();
    RX.get_or_init(|| Regex::new(r" *([0-9]+) +([0-9]+) +@ +([ x0-9a-f]*)").unwrap())
}
fn location_rx() -> &'static Regex {
    static RX: OnceLock<Regex> = OnceLock::new();
    RX.get_or_init(|| Regex::new(&format!(r"^{SP}*0x([[:xdigit:]]+){SP}+(.*){SP}*$")).unwrap())
}
fn location_file_line_rx() -> &'static Regex {
    static RX: OnceLock<Regex> = OnceLock::new();
    RX.get_or_init(|| Regex::new(&format!(r"^(.*){SP}+\((.+):(-?[0-9]+)\)$")).unwrap())
}
fn location_path_rx() -> &'static Regex {
    static RX: OnceLock<Regex> = OnceLock::new();
    RX.get_or_init(|| Regex::new(&format!(r"^(.*){SP}+\((.*)\)$")).unwrap())
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Heap,
    Contention,
}

fn kind(data: &[u8]) -> Option<(Kind, usize)> {
    let nl = super::lines::find_byte(b'\n', data)?;
    match super::lines::trim(&data[..nl]) {
        b"--- heapz 1 ---" => Some((Kind::Heap, nl + 1)),
        b"--- contentionz 1 ---" => Some((Kind::Contention, nl + 1)),
        _ => None,
    }
}

pub fn sniff(data: &[u8]) -> bool {
    kind(data).is_some()
}

/// Lines of `b` that end with a newline (pprof's loops stop at the last one),
/// each with the offset of the next line.
fn complete_lines(b: &[u8]) -> impl Iterator<Item = (usize, &[u8], usize)> {
    let mut pos = 0;
    std::iter::from_fn(move || {
        let nl = super::lines::find_byte(b'\n', &b[pos..])?;
        let start = pos;
        pos += nl + 1;
        Some((start, &b[start..start + nl], pos))
    })
}

/// `Ok(None)`: not this format.
pub fn decode(data: &[u8], limits: &Limits) -> Result<Option<Profile>, DecodeError> {
    let Some((kind, body)) = kind(data) else { return Ok(None) };
    let line_of = |offset: usize| data[..offset].iter().filter(|&&b| b == b'\n').count() + 1;
    let mut p = LegacyProfile::new(SourceFormat::LegacyJava);

    // Attributes.
    let Some(end_of_header) = read_attributes(data, body, kind, &mut p)? else { return Ok(None) };

    // Samples.
    let mut locs: FxHashMap<u64, u32> = FxHashMap::default();
    let mut rest = &data[data.len()..];
    let mut found_end = false;
    for (start, raw, _) in complete_lines(&data[end_of_header..]) {
        let start = end_of_header + start;
        let line = String::from_utf8_lossy(super::lines::trim(raw)).into_owned();
        if line.is_empty() {
            continue;
        }
        let Some(c) = sample_rx().captures(&line) else {
            rest = &data[start..];
            found_end = true;
            break;
        };
        let at = line_of(start);
        let addrs = legacy::parse_hex_addresses(&c[3])
            .map_err(|e| legacy::err_at(at, format!("malformed sample: {line}: {e}")))?;
        let sloc: Vec<u32> = addrs
            .iter()
            .map(|&a| {
                let id = p.location_at(a);
                locs.insert(a, id);
                id
            })
            .collect();
        // The columns are swapped compared with other formats.
        let parse = |s: &str| {
            legacy::parse_int_base0(s)
                .ok_or_else(|| legacy::err_at(at, format!("parsing sample {line}: invalid number {s:?}")))
        };
        let (values, num_labels) = scale_sample(kind, p.period, parse(&c[2])?, parse(&c[1])?)
            .map_err(|e| legacy::err_at(at, format!("parsing sample {line}: {e}")))?;
        p.samples.push(LSample { values, locs: sloc, num_labels, ..Default::default() });
    }
    if !found_end {
        // Everything parsed as samples up to the last newline; what follows it is the rest.
        let last_nl =
            data[end_of_header..].iter().rposition(|&b| b == b'\n').map_or(end_of_header, |i| end_of_header + i + 1);
        rest = &data[last_nl..];
    }
    if p.sample_types.is_empty() && !p.samples.is_empty() {
        return Err(DecodeError::new(Stage::Malformed, "missing sample type information"));
    }
    parse_locations(rest, &locs, &mut p);
    aggregate_addresses(&mut p);
    p.add_legacy_frame_info();
    p.into_profile(limits).map(Some)
}

/// The attribute lines after the header (`format = java`, resolution,
/// sampling period, ms since reset): where the samples start, or `None`
/// when an attribute says this is not the format.
fn read_attributes(data: &[u8], body: usize, kind: Kind, p: &mut LegacyProfile) -> Result<Option<usize>, DecodeError> {
    let line_of = |offset: usize| data[..offset].iter().filter(|&&b| b == b'\n').count() + 1;
    let mut pos = body;
    let mut end_of_header = data.len();
    for (start, raw, next) in complete_lines(&data[body..]) {
        let (start, next) = (body + start, body + next);
        let line = String::from_utf8_lossy(super::lines::trim(raw)).into_owned();
        pos = next;
        if line.is_empty() {
            continue;
        }
        let Some(c) = attribute_rx().captures(&line) else {
            end_of_header = start;
            break;
        };
        let (attr, value) = (c[1].trim().to_string(), c[2].trim().to_string());
        let at = line_of(start);
        match (kind, attr.as_str()) {
            (_, "format") => {
                if value != "java" {
                    return Ok(None);
                }
            }
            (Kind::Heap, "resolution") => {
                p.sample_types = vec![("inuse_objects".into(), "count".into()), ("inuse_space".into(), value)];
            }
            (Kind::Contention, "resolution") => {
                p.sample_types = vec![("contentions".into(), "count".into()), ("delay".into(), value)];
            }
            (Kind::Contention, "sampling period") => {
                p.period_type = ("contentions".into(), "count".into());
                p.period = legacy::parse_int_base0(&value)
                    .ok_or_else(|| legacy::err_at(at, format!("failed to parse attribute {line}")))?;
            }
            (Kind::Contention, "ms since reset") => {
                let ms = legacy::parse_int_base0(&value)
                    .ok_or_else(|| legacy::err_at(at, format!("failed to parse attribute {line}")))?;
                p.duration_nanos = ms.wrapping_mul(1000 * 1000);
            }
            _ => return Ok(None),
        }
    }
    if end_of_header == data.len() {
        end_of_header = pos;
    }
    Ok(Some(end_of_header))
}

/// Numeric labels (key, value) of a sample.
type NumLabels = Vec<(String, i64)>;

/// A sample's values in profile order (the file swaps the columns), heap
/// samples unsampled with their size as a `bytes` label, contention scaled by the period.
fn scale_sample(kind: Kind, period: i64, v0: i64, v1: i64) -> Result<(Vec<i64>, NumLabels), String> {
    let (mut v0, mut v1) = (v0, v1);
    let mut num_labels = Vec::new();
    match kind {
        Kind::Heap => {
            const JAVA_HEAPZ_SAMPLING_RATE: i64 = 524288;
            if v0 == 0 {
                return Err("second value must be non-zero".into());
            }
            num_labels.push(("bytes".to_string(), v1 / v0));
            (v0, v1) = legacy::scale_heap_sample(v0, v1, JAVA_HEAPZ_SAMPLING_RATE);
        }
        Kind::Contention => {
            if period != 0 {
                v0 = v0.wrapping_mul(period);
                v1 = v1.wrapping_mul(period);
            }
        }
    }
    Ok((vec![v0, v1], num_labels))
}

/// pprof's parseJavaLocations: `0xADDR function (File.java:LINE)` lines name
/// the locations of `locs`; then pprof's id remapping (without mapping heuristics).
pub fn parse_locations(b: &[u8], locs: &FxHashMap<u64, u32>, p: &mut LegacyProfile) {
    let mut fns: FxHashMap<String, u32> = FxHashMap::default();
    for raw in b.split(|&c| c == b'\n') {
        let line = String::from_utf8_lossy(super::lines::trim(raw)).into_owned();
        if line.is_empty() {
            continue;
        }
        let Some(c) = location_rx().captures(&line) else { continue };
        let Ok(addr) = u64::from_str_radix(&c[1], 16) else { continue };
        let Some(&loc) = locs.get(&addr) else { continue };
        let rest = &c[2];
        let (func, file, line_no) = if let Some(fl) = location_file_line_rx().captures(rest) {
            let n = fl[3].parse::<i64>().ok().filter(|&n| n > 0).unwrap_or(0);
            (fl[1].to_string(), fl[2].to_string(), n)
        } else if let Some(fp) = location_path_rx().captures(rest) {
            (fp[1].to_string(), go_base(&fp[2]), 0)
        } else if rest.contains("generated stub/JIT") {
            ("STUB".to_string(), String::new(), 0)
        } else {
            (rest.to_string(), String::new(), 0)
        };
        let fid = match fns.get(&func) {
            Some(&f) => f,
            None => {
                let f = p.functions.len() as u32;
                p.functions.push(legacy::LFunction { name: func.clone(), system_name: func.clone(), filename: file });
                fns.insert(func, f);
                f
            }
        };
        let l = &mut p.locations[loc as usize];
        l.lines = vec![(fid, line_no)];
        l.address = 0;
    }
    p.remap_location_ids();
    p.remap_function_ids();
    p.remap_mapping_ids();
}

/// pprof's Aggregate(address=false): locations keep their lines, not their addresses.
pub fn aggregate_addresses(p: &mut LegacyProfile) {
    for l in &mut p.locations {
        l.address = 0;
    }
}

/// Go's filepath.Base.
fn go_base(path: &str) -> String {
    if path.is_empty() {
        return ".".into();
    }
    let trimmed = path.trim_end_matches('/');
    if trimmed.is_empty() {
        return "/".into();
    }
    trimmed.rsplit('/').next().unwrap_or(trimmed).to_string()
}
