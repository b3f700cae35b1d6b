//! A forgiving reader for goroutine dumps as people paste them, run before
//! the format parsers: out of `kubectl logs`, journald and syslog, CI logs,
//! chat, tickets and GitHub issues. It learns a constant per-line log prefix
//! from the goroutine headers and strips it (timestamps, hosts, `app[pid]:`,
//! `level=… msg="…"`, container-log JSON `{"log":"…"}`, kubectl prefixes,
//! `Goroutine Dump: `), restores `#011`, `#012` and `\t` escapes, turns the
//! spaces of debug=1 `#` lines back into tabs, restores the `#` Markdown
//! ate, un-indents headers, re-joins hard-wrapped lines and adds the
//! `goroutine profile: total N` line a debug=1 paste lost.
//!
//! Every repair is counted and reported in one line; a line that still has
//! no place in the dump (between its goroutines, without the learned prefix)
//! is taken out, counted, and the first one shown — a goroutine header is
//! never removed without being counted.
//!
//! Clean input costs nothing but a look at its decoded profile: the text is
//! read as it is first, and only a read that fails or shows damage
//! ([`suspicious`]) is repaired and read again.

use super::lines::{self, Lines};
use crate::model::{Profile, SourceFormat};

/// What the pre-pass did to one input.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Repairs {
    /// Lines taken out of a `{"log":"…"}` JSON record or a quoted `msg="…"`.
    pub unquoted: usize,
    /// Blank lines taken out of a double-spaced paste (a blank after every line).
    pub undoubled: usize,
    /// Lines split at `#012` (syslog's escape for a newline).
    pub split_012: usize,
    /// Lines a constant log prefix was removed from.
    pub prefix: usize,
    /// Goroutine headers with other text before them, cut off.
    pub cut_before_header: usize,
    /// Lines whose `#011` or literal `\t` became tabs again.
    pub tabs_restored: usize,
    /// debug=1 `#` lines whose spaces became tabs again.
    pub spaces_to_tabs: usize,
    /// debug=1 frame lines that had lost their `#` (Markdown).
    pub hashes_restored: usize,
    /// Function lines whose `(*T)` receivers Markdown had turned into `(_T)`.
    pub stars_restored: usize,
    /// Indented goroutine headers (or profile headers) moved to the line start.
    pub unindented: usize,
    /// Pieces of hard-wrapped lines joined back to their line.
    pub joined: usize,
    /// File lines that had lost their indentation, indented again.
    pub reindented: usize,
    /// The sum written into a `goroutine profile: total N` line that was missing.
    pub total_added: Option<i64>,
    /// Lines that could not be placed and were taken out.
    pub unplaced: usize,
    /// The first of them: (1-based line of the input, its text).
    pub first_unplaced: Option<(usize, String)>,
}

impl Repairs {
    fn is_empty(&self) -> bool {
        *self == Repairs::default()
    }

    /// The repairs in one line ("removed a log prefix from 4,120 lines; re-joined 312 wrapped lines").
    pub fn summary(&self) -> Option<String> {
        let mut parts = Vec::new();
        let mut say = |n: usize, what: &str| {
            if n > 0 {
                parts.push(what.replace("{n}", &thousands(n)).replace("{s}", if n == 1 { "" } else { "s" }));
            }
        };
        say(self.unquoted, "took {n} line{s} out of quoted log records");
        say(self.split_012, "split {n} line{s} at #012");
        say(self.undoubled, "took out {n} blank line{s} of a double-spaced paste");
        say(self.prefix, "removed a log prefix from {n} line{s}");
        say(self.cut_before_header, "cut the text before {n} goroutine header{s}");
        say(self.tabs_restored, "restored tabs (#011 or \\t) in {n} line{s}");
        say(self.spaces_to_tabs, "turned spaces back into tabs in {n} debug=1 frame line{s}");
        say(self.hashes_restored, "restored the # of {n} debug=1 frame line{s} (lost to Markdown)");
        say(self.stars_restored, "restored the * of `(*T)` receivers in {n} line{s} (lost to Markdown)");
        say(self.unindented, "un-indented {n} header{s}");
        say(self.joined, "re-joined {n} wrapped line{s}");
        say(self.reindented, "indented {n} file line{s} that had lost their indentation");
        if let Some(t) = self.total_added {
            parts.push(format!("added the missing `goroutine profile: total {t}` line (the sum of the records)"));
        }
        if parts.is_empty() {
            return None;
        }
        let mut s = parts.join("; ");
        s.insert_str(0, "repaired the pasted text: ");
        Some(s)
    }

    /// The lines that could not be placed, with the first one.
    pub fn unplaced_text(&self) -> Option<String> {
        let (line, text) = self.first_unplaced.as_ref()?;
        Some(format!(
            "{} line{} between goroutines without the log prefix could not be placed and were left out; the first, line {line}: {}",
            thousands(self.unplaced),
            if self.unplaced == 1 { "" } else { "s" },
            lines::show(text.as_bytes())
        ))
    }

    /// Everything the user is told, one line each.
    pub fn report(&self) -> Vec<String> {
        self.summary().into_iter().chain(self.unplaced_text()).collect()
    }
}

/// `4120` -> `4,120`.
pub fn thousands(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The repaired text and what was done, or None when the input needs nothing.
pub struct Repaired {
    pub text: Vec<u8>,
    pub repairs: Repairs,
}

/// Repairs a pasted goroutine dump; None for text that reads as it is.
pub fn repair(data: &[u8]) -> Option<Repaired> {
    let mut ls: Vec<Ln> = Lines::new(data).map(|(no, l)| Ln { no, text: l.to_vec() }).collect();
    let mut r = Repairs::default();
    split_012(&mut ls, &mut r);
    strip_prefix(&mut ls, &mut r);
    undouble(&mut ls, &mut r);
    restore_tabs(&mut ls, &mut r);
    unindent_headers(&mut ls, &mut r);
    debug1_lines(&mut ls, &mut r);
    restore_stars(&mut ls, &mut r);
    join_wrapped(&mut ls, &mut r);
    add_total(&mut ls, &mut r);
    if r.is_empty() {
        return None;
    }
    let mut text = Vec::with_capacity(data.len());
    for l in &ls {
        text.extend_from_slice(&l.text);
        text.push(b'\n');
    }
    Some(Repaired { text, repairs: r })
}

/// One line of the text being repaired, with its line number in the input.
struct Ln {
    no: usize,
    text: Vec<u8>,
}

// ---------------------------------------------------------------------------
// When to repair: the plain read comes first, and only a read that shows
// damage (or no read at all) is repaired, so clean input costs a look at the
// decoded profile, not a pass over its text.

/// True if a plain read of a goroutine dump shows signs of pasting damage:
/// warnings, debug=1 frames without names, Markdown's `(_T)`, a goroutine
/// with no frame, a header left in the text before the dump.
pub fn suspicious(p: &Profile) -> bool {
    if !p.warnings.is_empty() {
        return true;
    }
    if p.source_format == SourceFormat::GoroutineDebug1 && p.locations.iter().any(|l| l.lines.is_empty()) {
        return true;
    }
    if p.functions.iter().any(|f| has_underscore_receiver(p.str(f.name).as_bytes())) {
        return true;
    }
    match &p.goroutines {
        Some(t) => {
            t.goroutines.iter().any(|g| g.race.is_none() && !g.stack_unavailable && p.stacks.get(g.stack).is_empty())
                || t.prefix.lines().any(|l| header_at(l.as_bytes()).is_some())
        }
        None => false,
    }
}

/// `.(_T)`: a receiver whose `*` Markdown turned into `_`.
#[inline]
fn has_underscore_receiver(l: &[u8]) -> bool {
    let mut from = 0;
    while let Some(i) = lines::find_byte(b'(', &l[from..]) {
        let at = from + i;
        if l.get(at + 1) == Some(&b'_') && at > 0 && l[at - 1] == b'.' {
            return true;
        }
        from = at + 1;
    }
    false
}

/// `name(args)`: no blank before the parenthesis, ends with `)`.
#[inline]
fn is_call(l: &[u8]) -> bool {
    if !l.ends_with(b")") {
        return false;
    }
    match lines::find_byte(b'(', l) {
        Some(open) => !l[..open].iter().any(|&b| b == b' ' || b == b'\t') && open > 0 || l.starts_with(b"(*"),
        None => false,
    }
}

/// A file line ends with `:LINE`, `:LINE +0xOFF` or `:LINE +0xOFF fp=… sp=… pc=…`.
/// Read from the end: the fast check runs it on every file line.
fn has_line_number(l: &[u8]) -> bool {
    let trailing_hex = |t: &[u8]| t.iter().rev().take_while(|b| b.is_ascii_hexdigit()).count();
    let mut core = lines::trim(l);
    // `fp=0x… sp=0x… pc=0x…` (crash dumps): rare, so a plain search.
    if core[..core.len() - trailing_hex(core)].ends_with(b"=0x") {
        match lines::find_sub(core, b" fp=") {
            Some(i) => core = &core[..i],
            None => return false,
        }
    }
    let hex = trailing_hex(core);
    if hex > 0 && core[..core.len() - hex].ends_with(b" +0x") {
        core = &core[..core.len() - hex - 4];
    }
    let digits = core.iter().rev().take_while(|b| b.is_ascii_digit()).count();
    digits > 0 && core.len() > digits + 1 && core[core.len() - digits - 1] == b':'
}

fn is_file_line(l: &[u8]) -> bool {
    matches!(l.first(), Some(b'\t' | b' ')) && has_line_number(l)
}

// ---------------------------------------------------------------------------
// Anchors: where a goroutine header or a debug=1 record starts in a line.

/// Lines of `text` holding a goroutine header: what the pre-pass may not
/// lose without counting it (the fuzz target checks it).
pub fn header_lines(text: &[u8]) -> usize {
    Lines::new(text).filter(|(_, l)| header_at(l).is_some()).count()
}

/// Offset of a goroutine header (`goroutine N [`…`]:`, `goroutine N gp=…`, or
/// `goroutine profile: total N`) in `l`, at the start or after a non-word byte.
fn header_at(l: &[u8]) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = lines::find_sub(&l[from..], b"goroutine ") {
        let at = from + i;
        let word_before = at > 0 && (l[at - 1].is_ascii_alphanumeric() || l[at - 1] == b'_');
        if !word_before && is_header_text(&l[at..]) {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

fn is_header_text(t: &[u8]) -> bool {
    let Some(rest) = t.strip_prefix(b"goroutine ") else { return false };
    if rest.starts_with(b"profile: total ") {
        return true;
    }
    let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
    if digits == 0 || rest.get(digits) != Some(&b' ') {
        return false;
    }
    let rest = &rest[digits + 1..];
    rest.starts_with(b"[") || rest.starts_with(b"gp=")
}

/// A complete header line: `goroutine N [...]:` or the profile's total line.
fn is_complete_header(t: &[u8]) -> bool {
    is_header_text(t) && (t.ends_with(b"]:") || t.starts_with(b"goroutine profile: total "))
}

/// `COUNT @ 0x…` (a debug=1 record), at the start of `t`.
fn is_record(t: &[u8]) -> bool {
    let digits = t.iter().take_while(|b| b.is_ascii_digit()).count();
    digits > 0
        && t[digits..].starts_with(b" @")
        && t[digits + 2..].iter().all(|&b| b == b' ' || b.is_ascii_hexdigit() || b == b'x')
}

/// Offset of a debug=1 record in `l` (after a prefix).
fn record_at(l: &[u8]) -> Option<usize> {
    let at = lines::find_sub(l, b" @ 0x").or_else(|| lines::find_sub(l, b" @").filter(|&i| i + 2 == l.len()))?;
    let start = l[..at].iter().rposition(|b| !b.is_ascii_digit()).map_or(0, |i| i + 1);
    (start < at && is_record(&l[start..])).then_some(start)
}

fn anchor_at(l: &[u8]) -> Option<usize> {
    header_at(l).or_else(|| record_at(l))
}

// ---------------------------------------------------------------------------
// #012: syslog's escape for a newline puts a whole dump on one line.

fn split_012(ls: &mut Vec<Ln>, r: &mut Repairs) {
    if !ls.iter().any(|l| lines::find_sub(&l.text, b"#012").is_some()) {
        return;
    }
    let mut out = Vec::with_capacity(ls.len());
    for l in ls.drain(..) {
        if lines::find_sub(&l.text, b"#012").is_none() {
            out.push(l);
            continue;
        }
        r.split_012 += 1;
        let mut rest = &l.text[..];
        while let Some(i) = lines::find_sub(rest, b"#012") {
            out.push(Ln { no: l.no, text: rest[..i].to_vec() });
            rest = &rest[i + 4..];
        }
        out.push(Ln { no: l.no, text: rest.to_vec() });
    }
    *ls = out;
}

// ---------------------------------------------------------------------------
// The log prefix, learned from the anchors as a pattern of tokens.

#[derive(Clone, Debug, PartialEq, Eq)]
enum Tok {
    Digits,
    /// A run of letters: `Some` when every sample had this one.
    Word(Option<Vec<u8>>),
    /// A run of blanks; the last token must match exactly `n` of them.
    Blank(usize),
    Byte(u8),
}

/// The kind of each token, for grouping samples.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Kind {
    Digits,
    Word,
    Blank,
    Byte(u8),
}

fn tokenize(p: &[u8]) -> Vec<(Kind, &[u8])> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < p.len() {
        let b = p[i];
        let run = |pred: fn(u8) -> bool| p[i..].iter().take_while(|&&c| pred(c)).count();
        let (k, n) = if b.is_ascii_digit() {
            (Kind::Digits, run(|c| c.is_ascii_digit()))
        } else if b.is_ascii_alphabetic() {
            (Kind::Word, run(|c| c.is_ascii_alphabetic()))
        } else if b == b' ' {
            (Kind::Blank, run(|c| c == b' '))
        } else {
            (Kind::Byte(b), 1)
        };
        out.push((k, &p[i..i + n]));
        i += n;
    }
    out
}

struct Template {
    toks: Vec<Tok>,
    /// The prefix ends inside a quoted string (`msg="`, `{"log":"`): the
    /// content ends at the next unescaped quote and is unescaped.
    quoted: bool,
}

impl Template {
    /// Length of the prefix at the start of `l`, if it is there.
    fn matches(&self, l: &[u8]) -> Option<usize> {
        let mut i = 0;
        let last = self.toks.len().saturating_sub(1);
        for (k, t) in self.toks.iter().enumerate() {
            match t {
                Tok::Digits => {
                    let n = l[i..].iter().take_while(|b| b.is_ascii_digit()).count();
                    if n == 0 {
                        return None;
                    }
                    i += n;
                }
                Tok::Word(w) => {
                    let n = l[i..].iter().take_while(|b| b.is_ascii_alphabetic()).count();
                    if n == 0 || w.as_ref().is_some_and(|w| w[..] != l[i..i + n]) {
                        return None;
                    }
                    i += n;
                }
                Tok::Blank(want) => {
                    let n = l[i..].iter().take_while(|&&b| b == b' ').count();
                    if k == last {
                        // A blank line of the log loses its trailing blank.
                        if i + n == l.len() {
                            return Some(l.len());
                        }
                        if n < *want {
                            return None;
                        }
                        i += want;
                    } else {
                        if n == 0 {
                            return None;
                        }
                        i += n;
                    }
                }
                Tok::Byte(b) => {
                    if l.get(i) != Some(b) {
                        return None;
                    }
                    i += 1;
                }
            }
        }
        Some(i)
    }
}

/// Prefixes of one shape: their token kinds, and each one's token texts.
type Samples<'a> = (Vec<Kind>, Vec<Vec<&'a [u8]>>);

/// Learns the prefix the anchors share (most of them, by token kinds).
fn learn(prefixes: &[&[u8]]) -> Option<Template> {
    let mut groups: Vec<Samples> = Vec::new();
    for p in prefixes {
        let toks = tokenize(p);
        let kinds: Vec<Kind> = toks.iter().map(|t| t.0.clone()).collect();
        let texts: Vec<&[u8]> = toks.iter().map(|t| t.1).collect();
        match groups.iter_mut().find(|g| g.0 == kinds) {
            Some(g) => g.1.push(texts),
            None => groups.push((kinds, vec![texts])),
        }
    }
    let (kinds, samples) = groups.into_iter().max_by_key(|g| g.1.len())?;
    if samples.len() * 2 < prefixes.len() {
        return None;
    }
    let toks: Vec<Tok> = kinds
        .iter()
        .enumerate()
        .map(|(i, k)| match k {
            Kind::Digits => Tok::Digits,
            Kind::Word => {
                // A word most samples share is the program's (`app[pid]`); one that varies is a level or a day.
                let most = samples
                    .iter()
                    .map(|s| s[i])
                    .max_by_key(|w| samples.iter().filter(|s| s[i] == *w).count())
                    .unwrap_or_default();
                let share = samples.iter().filter(|s| s[i] == most).count();
                Tok::Word((share * 4 >= samples.len() * 3).then(|| most.to_vec()))
            }
            Kind::Blank => Tok::Blank(samples.iter().map(|s| s[i].len()).min().unwrap_or(1)),
            Kind::Byte(b) => Tok::Byte(*b),
        })
        .collect();
    let quoted = matches!(toks.last(), Some(Tok::Byte(b'"')));
    Some(Template { toks, quoted })
}

/// The content of a quoted log value: up to the next unescaped `"`, with
/// JSON/Go escapes undone and a trailing newline dropped.
fn unquote(s: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        match s[i] {
            b'"' => break,
            b'\\' if i + 1 < s.len() => {
                let e = s[i + 1];
                i += 2;
                match e {
                    b't' => out.push(b'\t'),
                    b'n' => out.push(b'\n'),
                    b'r' => {}
                    b'u' if i + 4 <= s.len() => {
                        let code = std::str::from_utf8(&s[i..i + 4]).ok().and_then(|h| u32::from_str_radix(h, 16).ok());
                        match code.and_then(char::from_u32) {
                            Some(c) => {
                                let mut buf = [0; 4];
                                out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                                i += 4;
                            }
                            None => out.extend_from_slice(b"\\u"),
                        }
                    }
                    other => out.push(other),
                }
                continue;
            }
            b => out.push(b),
        }
        i += 1;
    }
    while out.last() == Some(&b'\n') {
        out.pop();
    }
    out
}

fn strip_prefix(ls: &mut Vec<Ln>, r: &mut Repairs) {
    let anchors: Vec<(usize, usize)> =
        ls.iter().enumerate().filter_map(|(i, l)| anchor_at(&l.text).map(|a| (i, a))).collect();
    let (Some(&(first, _)), Some(&(last_anchor, _))) = (anchors.first(), anchors.last()) else { return };
    let prefixed: Vec<&[u8]> =
        anchors.iter().map(|&(i, a)| &ls[i].text[..a]).filter(|p| p.iter().any(|&b| b != b' ' && b != b'\t')).collect();
    if prefixed.len() * 2 >= anchors.len() && !prefixed.is_empty() {
        if let Some(t) = learn(&prefixed) {
            // The last goroutine's frames follow its header: the dump ends with the last prefixed line.
            let last = (last_anchor..ls.len()).rev().find(|&i| t.matches(&ls[i].text).is_some()).unwrap_or(last_anchor);
            apply_template(ls, &t, first, last, r);
        }
    }
    cut_before_headers(ls, r);
}

/// Strips the learned prefix where it is found. Lines between the first and
/// last anchor without it are not the dump's (another process's log lines)
/// and are taken out, counted; lines before and after stay as they are.
fn apply_template(ls: &mut Vec<Ln>, t: &Template, first: usize, last: usize, r: &mut Repairs) {
    let region = &ls[first..=last];
    let nonblank = region.iter().filter(|l| !lines::trim(&l.text).is_empty()).count();
    let hits = region.iter().filter(|l| t.matches(&l.text).is_some()).count();
    // A prefix only the headers carry (`Goroutine Dump: ` before each) is cut per header.
    if hits * 2 < nonblank {
        return;
    }
    let mut out = Vec::with_capacity(ls.len());
    for (i, mut l) in ls.drain(..).enumerate() {
        match t.matches(&l.text) {
            Some(n) => {
                let rest = &l.text[n..];
                let text = if t.quoted { unquote(rest) } else { rest.to_vec() };
                // The prefix never takes a header with it.
                if header_at(&l.text).is_some() && header_at(&text).is_none() {
                    out.push(l);
                    continue;
                }
                r.unquoted += t.quoted as usize;
                r.prefix += 1;
                l.text = text;
                out.push(l);
            }
            None if i > first && i <= last && !lines::trim(&l.text).is_empty() => {
                r.unplaced += 1;
                if r.first_unplaced.is_none() {
                    r.first_unplaced = Some((l.no, String::from_utf8_lossy(&l.text).into_owned()));
                }
            }
            None => out.push(l),
        }
    }
    *ls = out;
}

/// A header with other text before it (`Goroutine Dump: goroutine 1 [running]:`)
/// starts where the header does.
fn cut_before_headers(ls: &mut [Ln], r: &mut Repairs) {
    for l in ls.iter_mut() {
        let Some(at) = header_at(&l.text) else { continue };
        if at == 0 || l.text[..at].iter().all(|&b| b == b' ' || b == b'\t') {
            continue;
        }
        // A header inside a quoted value ends at its quote.
        let mut t = l.text[at..].to_vec();
        if !is_complete_header(&t) {
            if let Some(end) = lines::find_sub(&t, b"]:") {
                t.truncate(end + 2);
            }
        }
        l.text = t;
        r.cut_before_header += 1;
    }
}

/// A paste with a blank line after every line (a terminal or a log viewer
/// that double-spaces) splits every goroutine after its header: one blank
/// after each line is taken out, so the original blank lines stay.
fn undouble(ls: &mut Vec<Ln>, r: &mut Repairs) {
    let blank = |l: &Ln| lines::trim(&l.text).is_empty();
    let content = ls.iter().filter(|l| !blank(l)).count();
    let followed = ls.windows(2).filter(|w| !blank(&w[0]) && blank(&w[1])).count();
    if content < 4 || followed * 10 < content * 9 {
        return;
    }
    let mut out = Vec::with_capacity(content + (ls.len() - content) / 2);
    let mut prev_content = false;
    for l in ls.drain(..) {
        if blank(&l) && prev_content {
            r.undoubled += 1;
            prev_content = false;
            continue;
        }
        prev_content = !blank(&l);
        out.push(l);
    }
    *ls = out;
}

// ---------------------------------------------------------------------------
// Tabs: `#011` (syslog), a literal `\t` (a quoted log), spaces in `#` lines.

fn restore_tabs(ls: &mut [Ln], r: &mut Repairs) {
    let literal = ls.iter().any(|l| l.text.starts_with(b"\\t") || l.text.starts_with(b"#\\t"));
    for l in ls.iter_mut() {
        let has_011 = lines::find_sub(&l.text, b"#011").is_some();
        let has_lit = literal && lines::find_sub(&l.text, b"\\t").is_some();
        if !has_011 && !has_lit {
            continue;
        }
        let mut t = l.text.clone();
        if has_011 {
            t = replace(&t, b"#011", b"\t");
        }
        if has_lit {
            t = replace(&t, b"\\t", b"\t");
        }
        l.text = t;
        r.tabs_restored += 1;
    }
}

fn replace(s: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = lines::find_sub(rest, from) {
        out.extend_from_slice(&rest[..i]);
        out.extend_from_slice(to);
        rest = &rest[i + from.len()..];
    }
    out.extend_from_slice(rest);
    out
}

/// A header indented when its frames are not (a list item, a quote) swallows
/// its goroutine: the parser wants frames indented like the header.
fn unindent_headers(ls: &mut [Ln], r: &mut Repairs) {
    for i in 0..ls.len() {
        let t = &ls[i].text;
        let indent = t.iter().take_while(|&&b| b == b' ' || b == b'\t').count();
        if indent == 0 || !is_header_text(&t[indent..]) {
            continue;
        }
        let total_line = t[indent..].starts_with(b"goroutine profile: total ");
        let next_same = ls[i + 1..]
            .iter()
            .find(|l| !lines::trim(&l.text).is_empty())
            .is_some_and(|l| l.text.starts_with(&t[..indent]));
        if total_line || !next_same {
            ls[i].text.drain(..indent);
            r.unindented += 1;
        }
    }
}

// ---------------------------------------------------------------------------
// debug=1: spaces for tabs in `#` lines, `#` lost to Markdown.

fn debug1_lines(ls: &mut [Ln], r: &mut Repairs) {
    let debug1 = ls.iter().any(|l| is_record(&l.text));
    for l in ls.iter_mut().filter(|l| header_at(&l.text).is_none()) {
        let t = lines::trim(&l.text);
        if let Some(rest) = t.strip_prefix(b"#") {
            let body = lines::trim(rest);
            if body.starts_with(b"0x") && (rest.first() != Some(&b'\t') || rest.contains(&b' ')) {
                if let Some(fixed) = symbol_line(body) {
                    if fixed != l.text {
                        l.text = fixed;
                        r.spaces_to_tabs += 1;
                    }
                }
            } else if rest.first() == Some(&b'\t') && l.text.first() != Some(&b'#') {
                l.text = t.to_vec();
            }
            continue;
        }
        if debug1 && t.starts_with(b"0x") {
            let fields = t.split(|&b| b == b' ' || b == b'\t').filter(|f| !f.is_empty()).count();
            let all_hex = t.split(|&b| b == b' ' || b == b'\t').filter(|f| !f.is_empty()).all(|f| f.starts_with(b"0x"));
            if fields >= 3 && !all_hex && full_symbol_line(t) {
                if let Some(fixed) = symbol_line(t) {
                    l.text = fixed;
                    r.hashes_restored += 1;
                }
            }
        }
    }
}

/// `0xADDR FUNC+0xOFF FILE:LINE`, whole (not a piece of a wrapped line).
fn full_symbol_line(t: &[u8]) -> bool {
    let fields: Vec<&[u8]> = t.split(|&b| b == b' ' || b == b'\t').filter(|f| !f.is_empty()).collect();
    fields.len() >= 3 && lines::find_sub(fields[1], b"+0x").is_some() && has_line_number(fields[fields.len() - 1])
}

/// `0xADDR FUNC+0xOFF FILE:LINE` with any blanks -> `#\t0xADDR\tFUNC+0xOFF\tFILE:LINE`.
/// The file may hold blanks (`C:/Program Files/...`); the function may not.
fn symbol_line(body: &[u8]) -> Option<Vec<u8>> {
    let is_blank = |b: &u8| *b == b' ' || *b == b'\t';
    let a_end = body.iter().position(is_blank).unwrap_or(body.len());
    let addr = &body[..a_end];
    if addr.len() < 3 || !addr[2..].iter().all(u8::is_ascii_hexdigit) {
        return None;
    }
    let rest = &body[a_end..];
    let rest = &rest[rest.iter().take_while(|b| is_blank(b)).count()..];
    let f_end = rest.iter().position(is_blank).unwrap_or(rest.len());
    let func = &rest[..f_end];
    let file = lines::trim(&rest[f_end..]);
    let mut out = b"#\t".to_vec();
    out.extend_from_slice(addr);
    if !func.is_empty() {
        out.push(b'\t');
        out.extend_from_slice(func);
    }
    if !file.is_empty() {
        out.push(b'\t');
        out.extend_from_slice(file);
    }
    Some(out)
}

/// Markdown emphasis turns `.(*T).M(` into `.(_T).M(`: no Go name starts a
/// receiver with `(_` followed by `)`, so it is put back.
fn restore_stars(ls: &mut [Ln], r: &mut Repairs) {
    for l in ls.iter_mut() {
        let t = &l.text;
        if matches!(t.first(), None | Some(b' ' | b'\t' | b'#')) || lines::find_sub(t, b".(_").is_none() {
            continue;
        }
        let mut out = Vec::with_capacity(t.len());
        let mut i = 0;
        let mut changed = false;
        while i < t.len() {
            if t[i..].starts_with(b".(_") {
                let name = t[i + 3..].iter().take_while(|b| b.is_ascii_alphanumeric() || **b == b'_').count();
                if name > 0 && t.get(i + 3 + name) == Some(&b')') {
                    out.extend_from_slice(b".(*");
                    i += 3;
                    changed = true;
                    continue;
                }
            }
            out.push(t[i]);
            i += 1;
        }
        if changed {
            l.text = out;
            r.stars_restored += 1;
        }
    }
}

// ---------------------------------------------------------------------------
// Hard-wrapped lines: a piece is joined back when the line before it is
// incomplete for its place in the dump.

/// What the line after this one must be.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Want {
    /// Anything (outside a goroutine, or after a complete frame).
    Any,
    /// The file line of a function or `created by` line.
    File,
}

fn join_wrapped(ls: &mut Vec<Ln>, r: &mut Repairs) {
    let mut out: Vec<Ln> = Vec::with_capacity(ls.len());
    let mut want = Want::Any;
    let mut it = std::mem::take(ls).into_iter().peekable();
    while let Some(mut l) = it.next() {
        let t = &l.text;
        if lines::trim(t).is_empty() {
            want = Want::Any;
            out.push(l);
            continue;
        }
        let mut indented = matches!(t[0], b' ' | b'\t');
        // A file line pasted without its indentation (`/src/main.go:42 +0x1d` at the margin).
        if want == Want::File && !indented && is_path_line(t) {
            l.text.insert(0, b'\t');
            r.reindented += 1;
            indented = true;
        }
        if want == Want::File && indented {
            join_file_line(&mut l, &mut it, r);
            want = Want::Any;
            out.push(l);
            continue;
        }
        if l.text.starts_with(b"#\t0x") {
            // A debug=1 frame line: pieces up to the next `#` line, record or blank.
            while it.peek().is_some_and(|n| {
                let t = &n.text;
                !lines::trim(t).is_empty() && !t.starts_with(b"#") && !is_record(t) && header_at(t).is_none()
            }) {
                join_next(&mut l, &mut it, r);
            }
            out.push(l);
            continue;
        }
        if indented || l.text[0] == b'#' {
            out.push(l);
            continue;
        }
        if l.text.starts_with(b"goroutine ") && is_header_text(&l.text) {
            while !is_complete_header(&l.text) && can_continue(it.peek()) && l.text.len() < 1024 {
                // `[select, 21` + `minutes]:`: wrapping at a blank dropped it.
                let digit_end = l.text.last().is_some_and(u8::is_ascii_digit);
                if digit_end && it.peek().is_some_and(|n| n.text.first().is_some_and(u8::is_ascii_alphabetic)) {
                    l.text.push(b' ');
                }
                join_next(&mut l, &mut it, r);
            }
            want = Want::Any;
            out.push(l);
            continue;
        }
        if is_record(&l.text) {
            while let Some(n) = it.peek() {
                let nt = &n.text;
                let continues = !lines::trim(nt).is_empty()
                    && nt[0] != b'#'
                    && !is_record(nt)
                    && nt.iter().all(|&b| b == b' ' || b == b'x' || b.is_ascii_hexdigit());
                if !continues {
                    break;
                }
                let space = nt.starts_with(b"0x") && !l.text.ends_with(b" ");
                let n = it.next().unwrap();
                if space {
                    l.text.push(b' ');
                }
                l.text.extend_from_slice(&n.text);
                r.joined += 1;
            }
            out.push(l);
            continue;
        }
        // A function or `created by` line: pieces until its file line follows.
        let frameish = l.text.starts_with(b"created by ") || looks_like_function(&l.text);
        if frameish {
            let mut pieces = 0;
            let done = |l: &Ln, n: Option<&Ln>| {
                next_is_file(n) && (l.text.starts_with(b"created by ") || complete_call(&l.text))
            };
            while !done(&l, it.peek()) && can_continue(it.peek()) && pieces < 8 {
                join_next(&mut l, &mut it, r);
                pieces += 1;
            }
            if next_is_file(it.peek()) {
                want = Want::File;
            }
        }
        out.push(l);
    }
    *ls = out;
}

/// A file line: pieces until it has its line number, then one that completes its suffix.
fn join_file_line(l: &mut Ln, it: &mut std::iter::Peekable<std::vec::IntoIter<Ln>>, r: &mut Repairs) {
    // A file line: pieces until it has its line number, then one that completes its suffix.
    while !is_file_line(&l.text) && can_continue(it.peek()) && join_next(l, it, r) {}
    while let Some(n) = it.peek() {
        let nt = lines::trim(&n.text);
        let suffix = nt.starts_with(b"+0x") || nt.starts_with(b"fp=");
        let digits = !matches!(n.text.first(), Some(b' ' | b'\t'))
            && n.text.iter().take_while(|b| b.is_ascii_digit()).count() > 0;
        let piece = suffix || (digits && !is_record(&n.text) && !is_call(&n.text));
        if !piece || header_at(&n.text).is_some() {
            break;
        }
        let mut joined = l.text.clone();
        if suffix && !joined.ends_with(b" ") && !n.text.starts_with(b" ") {
            joined.push(b' ');
        }
        joined.extend_from_slice(&n.text);
        if !has_line_number(&joined) {
            break;
        }
        l.text = joined;
        it.next();
        r.joined += 1;
    }
}

/// The start of a function line: a Go identifier or `(*T)`, no blank before `(`.
fn looks_like_function(t: &[u8]) -> bool {
    let first = t[0];
    if !(first.is_ascii_alphabetic() || first == b'_' || first == b'(') {
        return false;
    }
    let head = match lines::find_byte(b'(', t) {
        Some(0) => return t.starts_with(b"(*"),
        Some(i) => &t[..i],
        None => t,
    };
    !head.iter().any(|&b| b == b' ' || b == b'\t') && (head.contains(&b'.') || head.contains(&b'/'))
}

/// The next line is (the start of) a file line: indented, and a path or with a line number.
fn next_is_file(n: Option<&Ln>) -> bool {
    n.is_some_and(|n| {
        let t = lines::trim(&n.text);
        let indented = matches!(n.text.first(), Some(b' ' | b'\t'));
        let path_start = matches!(t.first(), Some(b'/' | b'?' | b'<' | b'.' | b'_')) || t.get(1) == Some(&b':');
        (indented && (path_start || has_line_number(t))) || is_path_line(&n.text)
    })
}

/// `name(args)` with its parentheses balanced: nothing of it is on the next line.
fn complete_call(t: &[u8]) -> bool {
    let open = t.iter().filter(|&&b| b == b'(').count();
    let close = t.iter().filter(|&&b| b == b')').count();
    t.ends_with(b")") && open == close
}

/// A file line at the margin: a path (`/x`, `C:/x`, `??`, `<autogenerated>`) with its line number, not a call.
fn is_path_line(t: &[u8]) -> bool {
    let pathish = t.starts_with(b"/")
        || t.starts_with(b"??")
        || t.starts_with(b"<autogenerated>")
        || (t.len() > 2 && t[0].is_ascii_alphabetic() && t[1] == b':' && (t[2] == b'/' || t[2] == b'\\'));
    pathish && has_line_number(t) && !t.ends_with(b")")
}

/// A next line that can be a piece of this one: not blank, not a header,
/// not indented (a wrapped piece starts at the margin).
fn can_continue(n: Option<&Ln>) -> bool {
    n.is_some_and(|n| {
        let t = &n.text;
        !lines::trim(t).is_empty() && header_at(t).is_none()
    })
}

fn join_next(l: &mut Ln, it: &mut std::iter::Peekable<std::vec::IntoIter<Ln>>, r: &mut Repairs) -> bool {
    let Some(n) = it.next() else { return false };
    // Wrapping at a blank drops it: put one back after a comma.
    if l.text.ends_with(b",") && !n.text.starts_with(b" ") {
        l.text.push(b' ');
    }
    l.text.extend_from_slice(&n.text);
    r.joined += 1;
    true
}

// ---------------------------------------------------------------------------
// debug=1 without its `goroutine profile: total N` line.

fn add_total(ls: &mut Vec<Ln>, r: &mut Repairs) {
    let has_header = ls.iter().any(|l| lines::trim(&l.text).starts_with(b"goroutine profile: total "));
    let has_traceback = ls.iter().any(|l| l.text.starts_with(b"goroutine ") && is_complete_header(&l.text));
    if has_header || has_traceback {
        return;
    }
    let Some(first) = ls.iter().position(|l| is_record(&l.text)) else { return };
    // Only records with their `#` frame lines: anything else is not a goroutine profile.
    if !ls.iter().any(|l| l.text.starts_with(b"#\t0x")) {
        return;
    }
    let mut sum: i64 = 0;
    for l in ls.iter().filter(|l| is_record(&l.text)) {
        let digits = l.text.iter().take_while(|b| b.is_ascii_digit()).count();
        let n = std::str::from_utf8(&l.text[..digits]).ok().and_then(|s| s.parse::<i64>().ok());
        match n.and_then(|n| sum.checked_add(n)) {
            Some(s) => sum = s,
            // An overflowing count is the decoder's error to report.
            None => return,
        }
    }
    let no = ls[first].no;
    ls.insert(first, Ln { no, text: format!("goroutine profile: total {sum}").into_bytes() });
    r.total_added = Some(sum);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fix(s: &str) -> (String, Repairs) {
        match repair(s.as_bytes()) {
            Some(r) => (String::from_utf8(r.text).unwrap(), r.repairs),
            None => (s.to_string(), Repairs::default()),
        }
    }

    const CLEAN: &str = "goroutine 1 [select, 21 minutes]:\nmain.worker(0xc000012345, 0x1)\n\t/src/main.go:42 +0x1d\ncreated by main.start in goroutine 1\n\t/src/main.go:30 +0x85\n\ngoroutine 2 [running]:\nmain.main()\n\t/src/main.go:10 +0x1\n";

    #[test]
    fn clean_is_untouched() {
        assert!(repair(CLEAN.as_bytes()).is_none());
        let d1 = "goroutine profile: total 3\n3 @ 0x1 0x2\n#\t0x1\tmain.f+0x1\t/a.go:1\n\n";
        assert!(repair(d1.as_bytes()).is_none());
    }

    #[test]
    fn journald_prefix() {
        let damaged: String = CLEAN
            .lines()
            .enumerate()
            .map(|(i, l)| format!("Jul 06 09:50:{:02} host app[18510]: {l}\n", i % 60))
            .collect();
        let (t, r) = fix(&damaged);
        assert_eq!(t, CLEAN);
        assert_eq!(r.prefix, CLEAN.lines().count());
        assert!(r.summary().unwrap().contains("removed a log prefix from 9 lines"), "{:?}", r.summary());
    }

    #[test]
    fn foreign_lines_are_counted() {
        let mut damaged: String = CLEAN.lines().map(|l| format!("host app[1]: {l}\n")).collect();
        damaged = damaged.replacen("host app[1]: main.main()", "host other[2]: unrelated\nhost app[1]: main.main()", 1);
        let (t, r) = fix(&damaged);
        assert_eq!(t, CLEAN);
        assert_eq!(r.unplaced, 1);
        assert_eq!(r.first_unplaced.as_ref().unwrap().1, "host other[2]: unrelated");
    }

    #[test]
    fn quoted_records() {
        let json: String = CLEAN
            .lines()
            .map(|l| format!("{{\"log\":\"{}\\n\",\"stream\":\"stderr\"}}\n", l.replace('\t', "\\t")))
            .collect();
        assert_eq!(fix(&json).0, CLEAN);
        let logfmt: String =
            CLEAN.lines().map(|l| format!("time=\"x\" level=info msg=\"{}\"\n", l.replace('\t', "\\t"))).collect();
        assert_eq!(fix(&logfmt).0, CLEAN);
    }

    #[test]
    fn syslog_escapes() {
        let one = CLEAN.replace('\t', "#011").replace('\n', "#012");
        let (t, r) = fix(&one);
        assert_eq!(t.trim_end(), CLEAN.trim_end());
        assert!(r.tabs_restored > 0 && r.split_012 == 1);
    }

    #[test]
    fn wrapped() {
        let (t, r) = fix(&CLEAN
            .replace("main.go:42 +0x1d", "main.go:4\n2 +0x1d")
            .replace("(0xc000012345, 0x1)", "(0xc000012345,\n0x1)"));
        assert_eq!(t, CLEAN);
        assert_eq!(r.joined, 2);
        let (t, _) = fix(&CLEAN
            .replace("[select, 21 minutes]", "[select, 21\nminutes]")
            .replace("/src/main.go:30", "/src/\nmain.go:30"));
        assert_eq!(t, CLEAN);
    }

    #[test]
    fn debug1() {
        let d1 = "goroutine profile: total 3\n3 @ 0x1 0x2\n#\t0x1\tmain.f+0x1\t/a.go:1\n\n";
        let (t, r) = fix("3 @ 0x1\n0x2\n#   0x1   main.f+0x1   /a.go:1\n\n");
        assert_eq!(t, d1);
        assert_eq!((r.joined, r.spaces_to_tabs, r.total_added), (1, 1, Some(3)));
        let (t, r) = fix("goroutine profile: total 3\n3 @ 0x1 0x2\n0x1 main.f+0x1 /a.go:1\n\n");
        assert_eq!(t, d1);
        assert_eq!(r.hashes_restored, 1);
    }

    #[test]
    fn indented_header() {
        let (t, r) = fix(&CLEAN.replace("goroutine 2 [", "\tgoroutine 2 ["));
        assert_eq!(t, CLEAN);
        assert_eq!(r.unindented, 1);
        let (t, r) = fix(&CLEAN.replace("goroutine 2 [", "Goroutine Dump: goroutine 2 ["));
        assert_eq!(t, CLEAN);
        assert_eq!(r.cut_before_header, 1);
    }

    #[test]
    fn numbers() {
        assert_eq!(thousands(4120), "4,120");
        assert_eq!(thousands(312), "312");
        assert_eq!(thousands(1_000_000), "1,000,000");
    }
}
