//! Goroutine headers of every Go version, read by one tolerant parser.
//!
//! The runtime prints a header in `runtime/traceback.go` (`goroutineheader`):
//!
//! ```text
//! goroutine 17 [chan receive, 12 minutes, locked to thread]:               Go <= 1.20
//! goroutine 1 gp=0xc000002380 m=0 mp=0x5a3f40 [running]:                   crashes, GOTRACEBACK>=system (1.23+)
//! goroutine 9 [select (scan)]:                                             the scan bit
//! goroutine 21 [chan receive (durable), synctest bubble 3]:                synctest (1.25+)
//! goroutine 30 [chan send (leaked), 3 minutes]:                            proven leaks (1.26+)
//! goroutine 8 [IO wait labels:{"route": "inventory"}]:                     GODEBUG=tracebacklabels=1 (1.26)
//! goroutine 8 [IO wait] {route: inventory, tenant: "acme corp"}:           labels by default (1.27)
//! ```
//!
//! Labels are printed as Go's `strconv.Quote` would when they need quoting
//! (spaces, quotes, non-printable or non-ASCII characters, an empty string),
//! bare otherwise; the 1.26 form quotes every key and value. Whatever part of
//! a header is not understood, the goroutine is kept with what was read and
//! [`Header::unrecognised`] is set, so the file's warnings can say so.

use super::legacy::go_unquote_prefix;
use super::lines;

/// One goroutine header, as far as it could be read.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Header<'a> {
    pub id: u64,
    /// The wait reason or status (`chan receive`, `running`, `chan send (durable)`),
    /// without the `(scan)` / `(leaked)` flags.
    pub state: &'a [u8],
    pub wait_minutes: Option<u32>,
    pub locked: bool,
    /// The GC was scanning the stack (`(scan)`).
    pub scan: bool,
    /// The runtime proved the goroutine can never run again (`(leaked)`).
    pub leaked: bool,
    /// `synctest bubble N`.
    pub bubble: Option<u64>,
    /// pprof labels printed in the header, in their order.
    pub labels: Vec<(String, String)>,
    /// Some part after the id was not understood.
    pub unrecognised: bool,
}

/// Reads a header line (leading whitespace already removed). `None` when the
/// line is not a goroutine header: it must be `goroutine ID` then, possibly
/// after `gp=… m=… mp=…` words, a `[`.
pub fn parse(t: &[u8]) -> Option<Header<'_>> {
    let rest = t.strip_prefix(b"goroutine ")?;
    let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
    if digits == 0 || digits > 19 {
        return None;
    }
    let id = parse_u64(&rest[..digits])?;
    let rest = &rest[digits..];
    if !rest.starts_with(b" ") {
        return None;
    }
    let open = lines::find_byte(b'[', rest)?;
    let mut h = Header { id, ..Default::default() };
    // `gp=0x… m=N mp=0x…` (or `m=nil`) between the id and the bracket.
    for word in rest[..open].split(|&b| b == b' ').filter(|w| !w.is_empty()) {
        if !(word.starts_with(b"gp=") || word.starts_with(b"m=") || word.starts_with(b"mp=")) {
            h.unrecognised = true;
        }
    }
    let inner = &rest[open + 1..];
    let Some(close) = find_outside_quotes(inner, b']') else {
        // Cut short: keep what the bracket holds so far.
        h.unrecognised = true;
        read_bracket(lines::trim(inner), &mut h);
        return Some(h);
    };
    read_bracket(&inner[..close], &mut h);
    read_after_bracket(&inner[close + 1..], &mut h);
    Some(h)
}

/// True if `t` starts like a goroutine header (what [`parse`] accepts).
pub fn is_header(t: &[u8]) -> bool {
    t.starts_with(b"goroutine ") && parse(t).is_some()
}

/// `status[ (scan)][ (leaked)][ labels:{…}], N minutes, locked to thread, synctest bubble K`.
fn read_bracket<'a>(b: &'a [u8], h: &mut Header<'a>) {
    let mut first = true;
    for part in split_top(b, b',') {
        let mut part = lines::trim(part);
        // Go 1.26: `labels:{…}` inside the bracket (after the status or as its own item).
        if let Some(at) = lines::find_sub(part, b"labels:{") {
            if at == 0 || part[at - 1] == b' ' {
                let map = &part[at + b"labels:".len()..];
                if !read_labels(map, h) {
                    h.unrecognised = true;
                }
                part = lines::trim(&part[..at]);
                if part.is_empty() && !first {
                    continue;
                }
            }
        }
        if first {
            first = false;
            h.state = strip_flags(part, h);
            if h.state.is_empty() {
                h.unrecognised = true;
            }
        } else if part == b"locked to thread" {
            h.locked = true;
        } else if let Some(n) = part.strip_suffix(b" minutes") {
            match parse_u64(n).and_then(|v| u32::try_from(v).ok()) {
                Some(m) => h.wait_minutes = Some(m),
                None => h.unrecognised = true,
            }
        } else if let Some(n) = part.strip_prefix(b"synctest bubble ") {
            match parse_u64(n) {
                Some(k) => h.bubble = Some(k),
                None => h.unrecognised = true,
            }
        } else {
            h.unrecognised = true;
        }
    }
}

/// Removes the ` (scan)` and ` (leaked)` flags the runtime appends to the
/// status; parentheses that belong to the wait reason (`(nil chan)`,
/// `(durable)`, `(idle)`) stay.
fn strip_flags<'a>(mut s: &'a [u8], h: &mut Header<'a>) -> &'a [u8] {
    loop {
        if let Some(r) = s.strip_suffix(b" (scan)") {
            h.scan = true;
            s = r;
        } else if let Some(r) = s.strip_suffix(b" (leaked)") {
            h.leaked = true;
            s = r;
        } else {
            return lines::trim(s);
        }
    }
}

/// After the `]`: `:`, or Go 1.27's ` {labels}:`.
fn read_after_bracket<'a>(rest: &'a [u8], h: &mut Header<'a>) {
    let rest = lines::trim(rest);
    if rest == b":" {
        return;
    }
    if rest.starts_with(b"{") {
        if let Some(end) = find_outside_quotes(rest, b'}') {
            let ok = read_labels(&rest[..=end], h);
            if ok && lines::trim(&rest[end + 1..]) == b":" {
                return;
            }
        }
    }
    h.unrecognised = true;
}

/// `{key: value, "k 2": "v\t2"}` into `h.labels`; false if it does not read whole.
fn read_labels(map: &[u8], h: &mut Header) -> bool {
    let Some(end) = find_outside_quotes(map, b'}') else { return false };
    let Some(body) = map[..end].strip_prefix(b"{") else { return false };
    let mut ok = true;
    for item in split_top(body, b',') {
        let item = lines::trim(item);
        if item.is_empty() {
            continue;
        }
        let Some(colon) = find_outside_quotes(item, b':') else {
            ok = false;
            continue;
        };
        match (unquote(lines::trim(&item[..colon])), unquote(lines::trim(&item[colon + 1..]))) {
            (Some(k), Some(v)) => h.labels.push((k, v)),
            _ => ok = false,
        }
    }
    ok
}

/// A label key or value: bare, or a Go double-quoted string (strconv.Quote's
/// escapes, read by the legacy formats' `go_unquote_prefix`), whole.
pub fn unquote(s: &[u8]) -> Option<String> {
    if !s.starts_with(b"\"") {
        if s.contains(&b'"') {
            return None;
        }
        return Some(String::from_utf8_lossy(s).into_owned());
    }
    let text = String::from_utf8_lossy(s);
    let (v, n) = go_unquote_prefix(&text)?;
    (n == text.len()).then_some(v)
}

fn find_outside_quotes(s: &[u8], needle: u8) -> Option<usize> {
    let (mut quoted, mut escaped, mut depth) = (false, false, 0u32);
    for (i, &b) in s.iter().enumerate() {
        if quoted {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => quoted = false,
                _ => {}
            }
            continue;
        }
        if b == needle && (depth == 0 || (needle == b'}' && depth == 1)) {
            return Some(i);
        }
        match b {
            b'"' => quoted = true,
            b'{' => depth += 1,
            b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

/// Splits on `sep` outside quotes and braces.
fn split_top(s: &[u8], sep: u8) -> Vec<&[u8]> {
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(i) = find_outside_quotes(rest, sep) {
        out.push(&rest[..i]);
        rest = &rest[i + 1..];
    }
    out.push(rest);
    out
}

pub(crate) fn parse_u64(s: &[u8]) -> Option<u64> {
    if s.is_empty() || s.len() > 20 {
        return None;
    }
    let mut v: u64 = 0;
    for &b in s {
        if !b.is_ascii_digit() {
            return None;
        }
        v = v.checked_mul(10)?.checked_add((b - b'0') as u64)?;
    }
    Some(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels<'a>(h: &'a Header) -> Vec<(&'a str, &'a str)> {
        h.labels.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
    }

    #[test]
    fn every_form() {
        let h = parse(b"goroutine 3 [chan send, 101 minutes, locked to thread]:").unwrap();
        assert_eq!(
            (h.id, h.state, h.wait_minutes, h.locked, h.unrecognised),
            (3, &b"chan send"[..], Some(101), true, false)
        );
        let h = parse(b"goroutine 1 gp=0xc000002380 m=0 mp=0x5a3f40 [running]:").unwrap();
        assert_eq!((h.id, h.state, h.unrecognised), (1, &b"running"[..], false));
        let h = parse(b"goroutine 7 gp=0xc000007180 m=nil [select (scan)]:").unwrap();
        assert_eq!((h.state, h.scan, h.unrecognised), (&b"select"[..], true, false));
        let h = parse(b"goroutine 30 [chan send (leaked), 3 minutes]:").unwrap();
        assert_eq!((h.state, h.leaked, h.wait_minutes), (&b"chan send"[..], true, Some(3)));
        let h = parse(b"goroutine 21 [chan receive (durable), synctest bubble 3]:").unwrap();
        assert_eq!((h.state, h.bubble, h.unrecognised), (&b"chan receive (durable)"[..], Some(3), false));
        let h = parse(b"goroutine 4 [chan receive (nil chan)]:").unwrap();
        assert_eq!((h.state, h.leaked), (&b"chan receive (nil chan)"[..], false));
        let h = parse(b"goroutine 8 [IO wait labels:{\"route\": \"inventory\", \"a b\": \"c]d\"}]:").unwrap();
        assert_eq!((h.state, h.unrecognised), (&b"IO wait"[..], false));
        assert_eq!(labels(&h), [("route", "inventory"), ("a b", "c]d")]);
        let h = parse(b"goroutine 8 [IO wait, 2 minutes, labels:{\"route\": \"x\"}]:").unwrap();
        assert_eq!((h.state, h.wait_minutes, h.unrecognised), (&b"IO wait"[..], Some(2), false));
        let h = parse(
            br#"goroutine 8 [IO wait, 5 minutes] {route: inventory, tenant: "acme corp", "odd key": "\u00e9\t,}"}:"#,
        )
        .unwrap();
        assert_eq!((h.state, h.wait_minutes, h.unrecognised), (&b"IO wait"[..], Some(5), false));
        assert_eq!(labels(&h), [("route", "inventory"), ("tenant", "acme corp"), ("odd key", "\u{e9}\t,}")]);
    }

    #[test]
    fn tolerant() {
        for line in [
            &b"goroutine 5 [running]"[..],
            b"goroutine 5 [running",
            b"goroutine 5 [running, what is this]:",
            b"goroutine 5 extra [running]:",
            b"goroutine 5 [running] {broken: \"x}:",
            b"goroutine 5 [running]: trailing",
        ] {
            let h = parse(line).unwrap_or_else(|| panic!("{}", String::from_utf8_lossy(line)));
            assert_eq!(
                (h.id, h.state, h.unrecognised),
                (5, &b"running"[..], true),
                "{}",
                String::from_utf8_lossy(line)
            );
        }
        assert!(parse(b"goroutine profile: total 5").is_none());
        assert!(parse(b"goroutine 5 running").is_none());
        assert!(parse(b"goroutine 99999999999999999999 [running]:").is_none());
    }

    #[test]
    fn go_escapes() {
        assert_eq!(unquote(br#""a\"b\\c\x41\101\U0001F600\n""#).as_deref(), Some("a\"b\\cAA\u{1F600}\n"));
        assert_eq!(unquote(b"bare").as_deref(), Some("bare"));
        assert_eq!(unquote(br#""\q""#), None);
        assert_eq!(unquote(br#""\x4""#), None);
    }
}
