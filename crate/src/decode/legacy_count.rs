//! Count profiles in text: Go's goroutine and threadcreate `?debug=1`
//! (`goroutine profile: total N`, records `COUNT @ ADDRS`, an optional
//! `# labels: {...}` line, then `#\tADDR\tFUNC+OFF\tFILE:LINE` lines).
//! pprof reads these as parseGoCount (addresses only); the `#` lines name the
//! frames here, and the labels become string labels.
//!
//! Leniency beyond pprof: a record with no address (`10 @`, threads created
//! before profiling started) is an empty stack, as in the binary profile; a
//! record line that does not parse is skipped with a warning naming it.

use super::legacy::{self, LegacyProfile, Record};
use super::lines::{trim, Lines};
use super::{DecodeError, Limits, Stage};
use crate::model::{Profile, SourceFormat};

/// `X profile: total N` -> X.
pub fn header(line: &[u8]) -> Option<&str> {
    let line = std::str::from_utf8(line).ok()?;
    let (kind, total) = line.split_once(" profile: total ")?;
    if kind.is_empty() || kind.bytes().any(|b| b.is_ascii_whitespace()) {
        return None;
    }
    if total.is_empty() || !total.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(kind)
}

/// The first line that is not blank or a comment (pprof skips those).
fn first_content_line(data: &[u8]) -> Option<(usize, &[u8], Lines<'_>)> {
    let mut lines = Lines::new(data);
    while let Some((n, l)) = lines.next() {
        if !legacy::is_space_or_comment(l) {
            return Some((n, l, lines));
        }
    }
    None
}

pub fn sniff(data: &[u8]) -> bool {
    first_content_line(data).is_some_and(|(_, l, _)| header(l).is_some())
}

pub fn decode(data: &[u8], limits: &Limits) -> Result<Profile, DecodeError> {
    let (_, head, mut lines) = first_content_line(data).ok_or_else(|| DecodeError::new(Stage::Parsing, "no header"))?;
    let kind = header(head).ok_or_else(|| DecodeError::new(Stage::Parsing, "no count profile header"))?.to_string();
    let format = if kind == "threadcreate" { SourceFormat::ThreadcreateDebug1 } else { SourceFormat::GoroutineDebug1 };
    let mut p = LegacyProfile::new(format);
    p.period_type = (kind.clone(), "count".into());
    p.period = 1;
    p.sample_type(&kind, "count");

    let mut pending: Option<Record> = None;
    let mut skipping = false;
    let mut current: Option<&[u8]> = None;
    let mut bad = 0usize;
    for (n, raw) in lines.by_ref() {
        let line = trim(raw);
        if line.is_empty() {
            p.flush(&mut pending);
            skipping = false;
            continue;
        }
        if line[0] == b'#' {
            if let Some(r) = pending.as_mut() {
                if let Some(l) = line.strip_prefix(b"# labels:") {
                    match legacy::parse_go_labels(&String::from_utf8_lossy(l)) {
                        Some(ls) => r.labels = ls,
                        None => p.warnings.push(legacy::warn_line(n, "labels that do not parse were ignored")),
                    }
                } else if let Some(s) = legacy::parse_symbol_line(line) {
                    r.symbols.push(s);
                }
            }
            continue;
        }
        if line.starts_with(b"---") {
            current = Some(raw);
            break;
        }
        p.flush(&mut pending);
        check_count(line, n)?;
        match parse_record(line) {
            Some((count, addrs)) => {
                pending = Some(Record { values: vec![count], addrs, ..Default::default() });
                skipping = false;
            }
            None => {
                bad += 1;
                if !skipping {
                    p.warnings.push(legacy::warn_line(
                        n,
                        format!("not a `COUNT @ ADDRESSES` record, skipped: {}", super::lines::show(line)),
                    ));
                }
                skipping = true;
            }
        }
    }
    p.finish_records(&mut pending, bad, &kind, current, lines, limits)
}

/// A record whose count does not fit in 64 bits is an error, as in pprof
/// (its ParseInt fails and the whole profile is refused): skipping it would
/// silently drop the goroutines it counts.
fn check_count(line: &[u8], n: usize) -> Result<(), DecodeError> {
    let digits = line.iter().take_while(|b| b.is_ascii_digit()).count();
    if digits == 0 || !line[digits..].starts_with(b" @") {
        return Ok(());
    }
    let count = std::str::from_utf8(&line[..digits]).unwrap_or("");
    match legacy::parse_int_base0(count) {
        Some(_) => Ok(()),
        None => Err(DecodeError::at_line(
            Stage::Parsing,
            n,
            format!("count {count} of a record is out of range (more than a 64-bit integer holds)"),
        )),
    }
}

/// `COUNT @ 0xADDR 0xADDR...` (pprof's countRE, plus the empty `COUNT @`);
/// addresses come back adjusted by -1 onto the call instruction, as pprof does.
fn parse_record(line: &[u8]) -> Option<(i64, Vec<u64>)> {
    let s = std::str::from_utf8(line).ok()?;
    let (count, rest) = s.split_once(" @")?;
    if count.is_empty() || !count.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let count = legacy::parse_int_base0(count)?;
    let mut addrs = Vec::new();
    for a in rest.split(' ') {
        if a.is_empty() {
            continue;
        }
        if !a.starts_with("0x") || a.len() == 2 || !a[2..].bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
            return None;
        }
        addrs.push(u64::from_str_radix(&a[2..], 16).ok()?.wrapping_sub(1));
    }
    Some((count, addrs))
}
