//! gperftools' threadz text (`--- threadz N ---`, then `--- Thread ID (name:
//! NAME/TID) stack: ---` sections of addresses, `[same as previous thread]`),
//! read as pprof's parseThread reads it: one thread/count sample per stack,
//! every address after the first adjusted by -1.
//!
//! Leniency beyond pprof: a file that ends inside a thread (no memory map
//! after it) keeps that thread instead of being unrecognized.

use super::legacy::{self, LSample, LegacyProfile};
use super::lines::{trim, Lines};
use super::{DecodeError, Limits};
use crate::model::{Profile, SourceFormat};
use regex::Regex;
use std::sync::OnceLock;

fn threadz_start_rx() -> &'static Regex {
    static RX: OnceLock<Regex> = OnceLock::new();
    RX.get_or_init(|| Regex::new(r"--- threadz [0-9]+ ---").unwrap())
}

fn thread_start_rx() -> &'static Regex {
    static RX: OnceLock<Regex> = OnceLock::new();
    RX.get_or_init(|| Regex::new(r"--- Thread ([[:xdigit:]]+) \(name: (.*)/([0-9]+)\) stack: ---").unwrap())
}

/// The first line that is not blank or a comment, and the lines after it.
fn header(data: &[u8]) -> Option<(String, Lines<'_>)> {
    let mut lines = Lines::new(data);
    for (_, l) in lines.by_ref() {
        if !legacy::is_space_or_comment(l) {
            return Some((String::from_utf8_lossy(l).into_owned(), lines));
        }
    }
    None
}

pub fn sniff(data: &[u8]) -> bool {
    header(data).is_some_and(|(h, _)| threadz_start_rx().is_match(&h) || thread_start_rx().is_match(&h))
}

/// `Ok(None)`: not this format.
pub fn decode(data: &[u8], limits: &Limits) -> Result<Option<Profile>, DecodeError> {
    let Some((first, mut lines)) = header(data) else { return Ok(None) };
    let mut line: Option<String> = Some(first.clone());
    if threadz_start_rx().is_match(&first) {
        // Skip the comments up to the first stack.
        line = None;
        for (_, l) in lines.by_ref() {
            if legacy::is_memory_map_sentinel(l) || l.starts_with(b"-") {
                line = Some(String::from_utf8_lossy(l).into_owned());
                break;
            }
        }
    } else if !thread_start_rx().is_match(&first) {
        return Ok(None);
    }

    let mut p = LegacyProfile::new(SourceFormat::LegacyThread);
    p.sample_type("thread", "count");
    p.period_type = ("thread".into(), "count".into());
    p.period = 1;

    // `line` is the line after the previous stack (None at the end of the input).
    while let Some(l) = line.clone() {
        if legacy::is_memory_map_sentinel(l.as_bytes()) {
            break;
        }
        if l.starts_with("---- no stack trace for") {
            line = Some(String::new());
            break;
        }
        if !thread_start_rx().is_match(&l) {
            return Ok(None);
        }
        let (next, addrs, same_as_previous) = thread_sample(&mut lines)?;
        line = next;
        if same_as_previous || addrs.is_empty() {
            // `[same as previous thread]`: one more of the last stack.
            if let Some(s) = p.samples.last_mut() {
                s.values[0] += 1;
            }
            continue;
        }
        let locs =
            addrs.iter().enumerate().map(|(i, &a)| p.location_at(if i > 0 { a.wrapping_sub(1) } else { a })).collect();
        p.samples.push(LSample { values: vec![1], locs, ..Default::default() });
    }
    let current = line.as_deref().map(str::as_bytes);
    p.parse_additional_sections(current, lines);
    p.cleanup_duplicate_locations();
    p.add_legacy_frame_info();
    p.into_profile(limits).map(Some)
}

/// pprof's parseThreadSample: the addresses of one thread's stack, and the
/// line that ended it (None at the end of the input).
fn thread_sample(lines: &mut Lines) -> Result<(Option<String>, Vec<u64>, bool), DecodeError> {
    let mut addrs = Vec::new();
    let mut same = false;
    for (n, raw) in lines.by_ref() {
        let l = trim(raw);
        if l.is_empty() {
            continue;
        }
        let text = String::from_utf8_lossy(l);
        if l.starts_with(b"---") {
            return Ok((Some(text.into_owned()), addrs, same));
        }
        if text.contains("same as previous thread") {
            same = true;
            continue;
        }
        match legacy::parse_hex_addresses(&text) {
            Ok(a) => addrs.extend(a),
            Err(e) => return Err(legacy::err_at(n, format!("malformed sample: {text}: {e}"))),
        }
    }
    Ok((None, addrs, same))
}
