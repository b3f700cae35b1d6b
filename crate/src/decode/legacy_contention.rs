//! Contention text: Go's block and mutex `?debug=1` (`--- contention:` /
//! `--- mutex:`, `cycles/second=`, optional `sampling period=`, records
//! `CYCLES COUNT @ ADDRS` each followed by `#` symbol lines) and gperftools'
//! contentionz (`--- contentionz `), read as pprof's parseContention reads them:
//! sample types contentions/count and delay/nanoseconds, delays converted from
//! cycles with cycles/second, both values multiplied by the sampling period.
//!
//! Leniency beyond pprof: a record that does not parse is skipped with a
//! warning (pprof then calls the whole file unrecognized).

use super::legacy::{self, LegacyProfile, Record};
use super::lines::{trim, Lines};
use super::{DecodeError, Limits};
use crate::model::{Profile, SourceFormat};
use regex::Regex;
use std::sync::OnceLock;

fn kind(first: &[u8]) -> Option<SourceFormat> {
    if first.starts_with(b"--- contentionz ") {
        Some(SourceFormat::LegacyContention)
    } else if first.starts_with(b"--- mutex:") || first.starts_with(b"--- contention:") {
        Some(SourceFormat::ContentionDebug1)
    } else {
        None
    }
}

pub fn sniff(data: &[u8]) -> bool {
    Lines::new(data).next().and_then(|(_, l)| kind(l)).is_some()
}

/// `Ok(None)`: not this format (pprof's errUnrecognized, e.g. a Java contentionz).
pub fn decode(data: &[u8], limits: &Limits) -> Result<Option<Profile>, DecodeError> {
    let mut lines = Lines::new(data);
    let Some(format) = lines.next().and_then(|(_, l)| kind(l)) else {
        return Ok(None);
    };
    let mut p = LegacyProfile::new(format);
    p.period_type = ("contentions".into(), "count".into());
    p.period = 1;
    p.sample_type("contentions", "count");
    p.sample_type("delay", "nanoseconds");

    // "attribute = value" lines before the samples.
    let mut cpu_hz = 0i64;
    let mut first_sample: Option<(usize, &[u8])> = None;
    for (n, raw) in lines.by_ref() {
        let line = trim(raw);
        if legacy::is_space_or_comment(line) {
            continue;
        }
        if line.starts_with(b"---") {
            first_sample = Some((n, raw));
            break;
        }
        let text = String::from_utf8_lossy(line);
        let Some((key, val)) = text.split_once('=') else {
            first_sample = Some((n, raw));
            break;
        };
        let (key, val) = (key.trim(), val.trim());
        match key {
            "cycles/second" => match legacy::parse_int_base0(val) {
                Some(v) => cpu_hz = v,
                None => return Ok(None),
            },
            "sampling period" => match legacy::parse_int_base0(val) {
                Some(v) => p.period = v,
                None => return Ok(None),
            },
            "ms since reset" => match legacy::parse_int_base0(val) {
                Some(ms) => p.duration_nanos = ms.wrapping_mul(1000 * 1000),
                None => return Ok(None),
            },
            "discarded samples" => {}
            // "format" and "resolution" are Java's; anything else is not ours either.
            _ => return Ok(None),
        }
    }

    let mut pending: Option<Record> = None;
    let mut current: Option<&[u8]> = None;
    let mut bad = 0usize;
    let mut handle = |n: usize, raw: &'_ [u8], p: &mut LegacyProfile, pending: &mut Option<Record>| -> bool {
        let line = trim(raw);
        if line.starts_with(b"---") {
            return false;
        }
        if line.is_empty() {
            p.flush(pending);
        } else if line[0] == b'#' {
            if let Some(r) = pending.as_mut() {
                if let Some(s) = legacy::parse_symbol_line(line) {
                    r.symbols.push(s);
                }
            }
        } else {
            p.flush(pending);
            match parse_sample(&String::from_utf8_lossy(line), p.period, cpu_hz) {
                Ok(r) => *pending = Some(r),
                Err(why) => {
                    bad += 1;
                    p.warnings.push(legacy::warn_line(n, format!("{why}; record skipped")));
                }
            }
        }
        true
    };
    let mut stopped = false;
    if let Some((n, raw)) = first_sample {
        if !handle(n, raw, &mut p, &mut pending) {
            current = Some(raw);
            stopped = true;
        }
    }
    if !stopped {
        for (n, raw) in lines.by_ref() {
            if !handle(n, raw, &mut p, &mut pending) {
                current = Some(raw);
                break;
            }
        }
    }
    p.finish_records(&mut pending, bad, "contention", current, lines, limits).map(Some)
}

fn sample_rx() -> &'static Regex {
    static RX: OnceLock<Regex> = OnceLock::new();
    RX.get_or_init(|| Regex::new(r"([0-9]+) *([0-9]+) @([ x0-9a-f]*)").unwrap())
}

/// pprof's parseContentionSample: `CYCLES COUNT @ ADDRS`.
fn parse_sample(line: &str, period: i64, cpu_hz: i64) -> Result<Record, String> {
    let c = sample_rx().captures(line).ok_or_else(|| {
        format!("not a contention record `CYCLES COUNT @ ADDRESSES`: {}", super::lines::show(line.as_bytes()))
    })?;
    let g = |i: usize| c.get(i).map_or("", |m| m.as_str());
    let mut v1: i64 = g(1).parse().map_err(|e| format!("malformed sample: {line}: {e}"))?;
    let mut v2: i64 = g(2).parse().map_err(|e| format!("malformed sample: {line}: {e}"))?;
    // Un-sample: delays from cycles to nanoseconds, both scaled by the period.
    if period > 0 {
        if cpu_hz > 0 {
            let cpu_ghz = cpu_hz as f64 / 1e9;
            v1 = (v1 as f64 * period as f64 / cpu_ghz) as i64;
        }
        v2 = v2.wrapping_mul(period);
    }
    let addrs = legacy::parse_hex_addresses(g(3)).map_err(|e| format!("malformed sample: {line}: {e}"))?;
    Ok(Record {
        values: vec![v2, v1],
        addrs: addrs.into_iter().map(|a| a.wrapping_sub(1)).collect(),
        ..Default::default()
    })
}
