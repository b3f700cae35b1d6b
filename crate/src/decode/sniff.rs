//! Telling formats apart from content alone, in pprof's order for its
//! legacy formats (parseLegacy: cpu, heap, count, thread, contention, java),
//! then Go tracebacks, which pprof does not read.

use super::{legacy_contention, legacy_count, legacy_cpu, legacy_heap, legacy_java, legacy_thread, traceback};
use super::{DecodeError, Limits};
use crate::model::Profile;

/// If `data` is one of the text formats (or gperftools' binary CPU profile),
/// decode it; `Ok(None)` means "none of these", and the caller tries the
/// protobuf decoder. A format that recognizes its header but finds the body
/// broken answers with an error naming the line.
pub fn decode_text(data: &[u8], limits: &Limits) -> Result<Option<Profile>, DecodeError> {
    // Binary, so before the text check. A protobuf cannot start with a zero
    // byte (field number 0 is invalid), which this header does.
    if legacy_cpu::sniff(data) {
        return legacy_cpu::decode(data, limits).map(Some);
    }
    // Text saved by Windows tools: UTF-16 (PowerShell's `>`), or UTF-8 with a BOM.
    if let Some(utf8) = utf16_to_utf8(data) {
        return decode_text(&utf8, limits);
    }
    let data = data.strip_prefix(b"\xef\xbb\xbf").unwrap_or(data);
    if !looks_like_text(data) {
        return Ok(None);
    }
    if legacy_heap::sniff(data) {
        return legacy_heap::decode(data, limits).map(Some);
    }
    if legacy_count::sniff(data) {
        return legacy_count::decode(data, limits).map(Some);
    }
    if legacy_thread::sniff(data) {
        if let Some(p) = legacy_thread::decode(data, limits)? {
            return Ok(Some(p));
        }
    }
    if legacy_contention::sniff(data) {
        if let Some(p) = legacy_contention::decode(data, limits)? {
            return Ok(Some(p));
        }
    }
    if legacy_java::sniff(data) {
        if let Some(p) = legacy_java::decode(data, limits)? {
            return Ok(Some(p));
        }
    }
    if traceback::sniff(data) {
        return traceback::decode(data, limits).map(Some);
    }
    Ok(None)
}

/// A Go execution trace (`/debug/pprof/trace`, `runtime/trace`) starts with
/// `go 1.NN trace` and a NUL padding to 16 bytes.
pub fn is_go_trace(data: &[u8]) -> bool {
    let Some(rest) = data.strip_prefix(b"go 1.") else { return false };
    let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
    digits > 0 && rest[digits..].starts_with(b" trace")
}

/// UTF-16 text (recognized by its byte order mark) as UTF-8.
fn utf16_to_utf8(data: &[u8]) -> Option<Vec<u8>> {
    let le = match data {
        [0xff, 0xfe, ..] => true,
        [0xfe, 0xff, ..] => false,
        _ => return None,
    };
    let units = data[2..].chunks_exact(2).map(|c| {
        if le {
            u16::from_le_bytes([c[0], c[1]])
        } else {
            u16::from_be_bytes([c[0], c[1]])
        }
    });
    let text: String = char::decode_utf16(units).map(|r| r.unwrap_or(char::REPLACEMENT_CHARACTER)).collect();
    Some(text.into_bytes())
}

/// True if the first KiB is UTF-8-ish text with no NULs or other control bytes
/// besides whitespace. A protobuf starts with a field key (0x08..0x7a) and
/// almost always contains control bytes early.
pub fn looks_like_text(data: &[u8]) -> bool {
    let head = &data[..data.len().min(1024)];
    let head = head.strip_prefix(b"\xef\xbb\xbf").unwrap_or(head);
    !head.is_empty() && head.iter().all(|&b| b >= 0x20 || b == b'\n' || b == b'\r' || b == b'\t')
}

/// Says what a non-profile input looks like, or None if it could be a
/// damaged protobuf (then the protobuf error, with its offset, is more useful).
pub fn describe_foreign(data: &[u8]) -> Option<String> {
    let magic: &[(&[u8], &str)] = &[
        (b"\x89PNG\r\n\x1a\n", "a PNG image"),
        (b"\xff\xd8\xff", "a JPEG image"),
        (b"GIF8", "a GIF image"),
        (b"%PDF", "a PDF document"),
        (b"PK\x03\x04", "a ZIP archive (unzip it and load the profile inside)"),
        (b"\x28\xb5\x2f\xfd", "zstd-compressed data (decompress it first)"),
        (b"BZh", "bzip2-compressed data (decompress it first)"),
        (b"\xfd7zXZ\x00", "xz-compressed data (decompress it first)"),
        (b"\x7fELF", "an ELF executable, not a profile"),
        (b"SQLite format 3\x00", "an SQLite database"),
    ];
    for (m, what) in magic {
        if data.starts_with(m) {
            return Some(format!("not a profile: this looks like {what}"));
        }
    }
    if !looks_like_text(data) {
        return None;
    }
    let text = String::from_utf8_lossy(&data[..data.len().min(4096)]);
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    let lower: String = trimmed.chars().take(64).collect::<String>().to_ascii_lowercase();
    let what = if lower.starts_with("<!doctype html") || lower.starts_with("<html") || lower.starts_with("<head") {
        "an HTML page (often a login or error page saved instead of the profile)".to_string()
    } else if lower.starts_with("<?xml") || lower.starts_with("<svg") {
        "an XML/SVG document".to_string()
    } else if trimmed.starts_with('{') || trimmed.starts_with('[') {
        "a JSON document".to_string()
    } else {
        let first = trimmed.lines().next().unwrap_or("");
        let first: String = first.chars().take(60).collect();
        format!("text of an unknown kind (first line: {first:?})")
    };
    Some(format!("not a profile: this looks like {what}"))
}
