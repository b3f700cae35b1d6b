//! `heap profile:` text: Go's heap and allocs `?debug=1` (`@ heap/RATE`,
//! `#` symbol lines, a `# runtime.MemStats` block at the end) and
//! gperftools' heapz (`@ heapz_v2/RATE`, `heap_v2`, `heapprofile`), growthz
//! and fragmentationz, read as pprof's parseHeap reads them.
//!
//! Un-sampling is pprof's: a v2 record of count C and size S taken at average
//! rate R stands for C, S scaled by 1/(1-exp(-(S/C)/R)). Go writes
//! `heap/` followed by twice its MemProfileRate, so R is RATE/2, which makes
//! the totals equal the runtime's binary profile of the same GC cycle.
//!
//! Differences from pprof, on purpose: Go's `heap/` text always has the four
//! sample types alloc_objects, alloc_space, inuse_objects, inuse_space (pprof
//! drops the alloc pair when the header's two pairs happen to be equal), and
//! a record that does not parse is skipped with a warning instead of failing
//! the whole file.

use super::legacy::{self, LegacyProfile, Record};
use super::lines::{trim, Lines};
use super::{DecodeError, Limits, Stage};
use crate::model::{Profile, SourceFormat};
use regex::Regex;
use std::sync::OnceLock;

fn header_rx() -> &'static Regex {
    static RX: OnceLock<Regex> = OnceLock::new();
    RX.get_or_init(|| {
        Regex::new(r"heap profile: *([0-9]+): *([0-9]+) *\[ *([0-9]+): *([0-9]+) *\] *@ *(heap[_a-z0-9]*)/?([0-9]*)")
            .unwrap()
    })
}

fn growth_rx() -> &'static Regex {
    static RX: OnceLock<Regex> = OnceLock::new();
    RX.get_or_init(|| {
        Regex::new(r"heap profile: *([0-9]+): *([0-9]+) *\[ *([0-9]+): *([0-9]+) *\] @ growthz?").unwrap()
    })
}

fn fragmentation_rx() -> &'static Regex {
    static RX: OnceLock<Regex> = OnceLock::new();
    RX.get_or_init(|| {
        Regex::new(r"heap profile: *([0-9]+): *([0-9]+) *\[ *([0-9]+): *([0-9]+) *\] @ fragmentationz?").unwrap()
    })
}

fn sample_rx() -> &'static Regex {
    static RX: OnceLock<Regex> = OnceLock::new();
    RX.get_or_init(|| Regex::new(r"(-?[0-9]+): *(-?[0-9]+) *\[ *([0-9]+): *([0-9]+) *\] @([ x0-9a-f]*)").unwrap())
}

/// How a header says the records were sampled.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Sampling {
    /// Poisson sampling at an average rate: un-sample.
    V2,
    /// Every allocation recorded (or unknown): values as they are.
    None,
}

struct Header {
    sampling: Sampling,
    period: i64,
    has_alloc: bool,
    go_runtime: bool,
}

fn parse_header(first: &str) -> Option<Header> {
    if let Some(c) = header_rx().captures(first) {
        let g = |i: usize| c.get(i).map_or("", |m| m.as_str());
        let mut period = 0i64;
        if !g(6).is_empty() {
            period = g(6).parse().ok()?;
        }
        let has_alloc = (g(3) != g(1) && g(3) != "0") || (g(4) != g(2) && g(4) != "0");
        return match g(5) {
            "heapz_v2" | "heap_v2" => Some(Header { sampling: Sampling::V2, period, has_alloc, go_runtime: false }),
            "heapprofile" => Some(Header { sampling: Sampling::None, period: 1, has_alloc, go_runtime: false }),
            "heap" => Some(Header { sampling: Sampling::V2, period: period / 2, has_alloc: true, go_runtime: true }),
            // pprof: unrecognized, so other parsers get a chance.
            _ => None,
        };
    }
    if growth_rx().is_match(first) || fragmentation_rx().is_match(first) {
        return Some(Header { sampling: Sampling::None, period: 1, has_alloc: false, go_runtime: false });
    }
    None
}

/// pprof looks at the first line only.
fn first_line(data: &[u8]) -> String {
    let mut lines = Lines::new(data);
    lines.next().map(|(_, l)| String::from_utf8_lossy(l).into_owned()).unwrap_or_default()
}

pub fn sniff(data: &[u8]) -> bool {
    parse_header(&first_line(data)).is_some()
}

pub fn decode(data: &[u8], limits: &Limits) -> Result<Profile, DecodeError> {
    let h =
        parse_header(&first_line(data)).ok_or_else(|| DecodeError::new(Stage::Parsing, "no heap profile header"))?;
    let mut lines = Lines::new(data);
    lines.next();
    let mut p = LegacyProfile::new(if h.go_runtime { SourceFormat::HeapDebug1 } else { SourceFormat::LegacyHeap });
    p.period_type = ("space".into(), "bytes".into());
    p.period = h.period;
    if h.has_alloc {
        // alloc before inuse, so that the default (last) type is inuse_space.
        for (t, u) in
            [("alloc_objects", "count"), ("alloc_space", "bytes"), ("inuse_objects", "count"), ("inuse_space", "bytes")]
        {
            p.sample_type(t, u);
        }
    } else {
        p.sample_type("objects", "count");
        p.sample_type("space", "bytes");
    }

    let mut pending: Option<Record> = None;
    let mut in_memstats = false;
    let mut current: Option<&[u8]> = None;
    let mut bad = 0usize;
    for (n, raw) in lines.by_ref() {
        let line = trim(raw);
        if line.is_empty() {
            p.flush(&mut pending);
            continue;
        }
        if line[0] == b'#' {
            if line == b"# runtime.MemStats" {
                p.flush(&mut pending);
                in_memstats = true;
            } else if in_memstats {
                let kv = String::from_utf8_lossy(&line[1..]);
                if let Some((k, v)) = kv.split_once(" = ") {
                    p.memstats.push((k.trim().to_string(), v.trim().to_string()));
                }
            } else if let Some(r) = pending.as_mut() {
                if let Some(s) = legacy::parse_symbol_line(line) {
                    r.symbols.push(s);
                }
            }
            continue;
        }
        if legacy::is_memory_map_sentinel(line) {
            current = Some(raw);
            break;
        }
        p.flush(&mut pending);
        match parse_sample(&String::from_utf8_lossy(line), h.period, h.sampling, h.has_alloc) {
            Ok(r) => pending = Some(r),
            Err(why) => {
                bad += 1;
                p.warnings.push(legacy::warn_line(n, format!("{why}; record skipped")));
            }
        }
    }
    p.finish_records(&mut pending, bad, "heap", current, lines, limits)
}

/// pprof's parseHeapSample.
fn parse_sample(line: &str, rate: i64, sampling: Sampling, include_alloc: bool) -> Result<Record, String> {
    let c = sample_rx().captures(line).ok_or_else(|| {
        format!("not a heap record `N: BYTES [N: BYTES] @ ADDRESSES`: {}", super::lines::show(line.as_bytes()))
    })?;
    let g = |i: usize| c.get(i).map_or("", |m| m.as_str());
    let mut values = Vec::with_capacity(4);
    let mut blocksize = 0i64;
    let mut add = |count: &str, size: &str, label: &str| -> Result<(), String> {
        let mut count: i64 = count.parse().map_err(|e| format!("malformed sample: {line}: {e}"))?;
        let mut size: i64 = size.parse().map_err(|e| format!("malformed sample: {line}: {e}"))?;
        if count == 0 && size != 0 {
            return Err(format!("{label} count was 0 but {label} bytes was {size}"));
        }
        if count != 0 {
            blocksize = size / count;
            if sampling == Sampling::V2 {
                (count, size) = legacy::scale_heap_sample(count, size, rate);
            }
        }
        values.push(count);
        values.push(size);
        Ok(())
    };
    if include_alloc {
        add(g(3), g(4), "allocation")?;
    }
    add(g(1), g(2), "inuse")?;
    let addrs = legacy::parse_hex_addresses(g(5)).map_err(|e| format!("malformed sample: {line}: {e}"))?;
    Ok(Record {
        values,
        addrs: addrs.into_iter().map(|a| a.wrapping_sub(1)).collect(),
        num_labels: vec![("bytes".into(), blocksize)],
        ..Default::default()
    })
}
