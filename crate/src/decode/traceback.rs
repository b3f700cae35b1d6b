//! Go tracebacks: `goroutine?debug=2`, panics, `GOTRACEBACK=all` crashes,
//! SIGQUIT dumps and race-detector reports. Each goroutine
//!
//! ```text
//! goroutine 17 [chan receive, 12 minutes, locked to thread]:
//! main.worker(0xc000012345, {0x1, 0x2}, ...)
//!     /src/main.go:42 +0x1d
//! ...additional frames elided...
//! created by main.start in goroutine 1
//!     /src/main.go:30 +0x85
//! ```
//!
//! (the runtime starts file lines with a tab) becomes one record of the goroutine table (id, state, wait, locked,
//! argument text per frame, elided, creator and parent, ancestors) and counts
//! one in the profile (`goroutine/count`, one sample per distinct stack and
//! state; the state is a `state` label). Text before the first goroutine (the
//! panic message) is kept as the table's prefix and as a comment; text after
//! the last one as its suffix.
//!
//! A goroutine with a line that does not fit is dropped whole, with a warning
//! naming the line, and reading goes on at the next goroutine header (as
//! DataDog's gostackparse does). Lines between goroutines that belong to none
//! give one warning.
//!
//! Speed matters (dumps of 50 MB are common): lines are split a word at a time,
//! frames are keyed by the input's own bytes, no regex, no per-frame allocation.

use super::goroutine_header::{self, parse_u64, Header};
use super::lines::{self, Lines};
use super::{DecodeError, Limits, Stage};
use crate::model::goroutine::{Ancestor, CreatedBy, Goroutine, GoroutineTable, RaceAccess, TextFrame, TextSpan};
use crate::model::*;
use crate::util::hash::FxHashMap;
use std::sync::Arc;

/// True if `data` holds a goroutine header or a race report anywhere.
pub fn sniff(data: &[u8]) -> bool {
    for (_, line) in Lines::new(data) {
        let t = trim_start(line);
        if goroutine_header::is_header(t) {
            return true;
        }
        if lines::trim(t) == b"WARNING: DATA RACE" {
            return true;
        }
    }
    false
}

#[inline]
fn trim_start(s: &[u8]) -> &[u8] {
    let n = s.iter().take_while(|&&b| b == b' ' || b == b'\t').count();
    &s[n..]
}

/// Frame function line: `name(args)` -> (name, args).
#[inline]
fn split_call(l: &[u8]) -> Option<(&[u8], &[u8])> {
    let body = l.strip_suffix(b")")?;
    let open = super::lines::rfind_byte(b'(', body)?;
    if open == 0 {
        return None;
    }
    Some((&l[..open], &body[open + 1..]))
}

/// Frame file line (leading whitespace removed): `path:line[ +0xoff][ fp=.. sp=.. pc=..]`.
#[inline]
fn split_file_line(l: &[u8]) -> Result<(&[u8], i64), &'static str> {
    let colon = super::lines::rfind_byte(b':', l).ok_or("no file:line")?;
    let digits = l[colon + 1..].iter().take_while(|b| b.is_ascii_digit()).count();
    if colon == 0 || digits == 0 {
        return Err("no file:line");
    }
    let after = colon + 1 + digits;
    if after < l.len() && l[after] != b' ' {
        return Err("no file:line");
    }
    let n = parse_u64(&l[colon + 1..after]).filter(|&v| v <= i64::MAX as u64).ok_or("line number out of range")?;
    Ok((&l[..colon], n as i64))
}

/// Checks an argument list against what the runtime prints: hex words
/// (`0x1f`, `0x1f?` when inaccurate), `...`, `_`, and `{...}` aggregates
/// nested at most 5 deep (older dumps also show decimals).
#[inline]
fn check_args(args: &[u8]) -> Result<(), &'static str> {
    let mut depth = 0u32;
    let mut token_start = 0;
    for (i, &b) in args.iter().enumerate() {
        match b {
            b'{' | b'}' | b',' | b' ' => {
                check_arg_token(&args[token_start..i])?;
                token_start = i + 1;
                if b == b'{' {
                    depth += 1;
                    if depth > 5 {
                        return Err("nested aggregate-typed arguments exceeded depth limit");
                    }
                } else if b == b'}' {
                    if depth == 0 {
                        return Err("unmatched closing curly bracket");
                    }
                    depth -= 1;
                }
            }
            _ => {}
        }
    }
    check_arg_token(&args[token_start..])?;
    if depth != 0 {
        return Err("unmatched opening curly bracket");
    }
    Ok(())
}

#[inline]
fn check_arg_token(t: &[u8]) -> Result<(), &'static str> {
    if t.is_empty() || t == b"..." || t == b"_" {
        return Ok(());
    }
    let t = t.strip_suffix(b"?").unwrap_or(t);
    if let Some(hex) = t.strip_prefix(b"0x") {
        if !hex.is_empty() && hex.len() <= 16 && hex.iter().all(|b| b.is_ascii_hexdigit()) {
            return Ok(());
        }
        return Err("argument value out of range");
    }
    if t.iter().all(|b| b.is_ascii_digit()) {
        return parse_u64(t).map(|_| ()).ok_or("argument value out of range");
    }
    Err("unexpected argument value")
}

fn is_elided(t: &[u8]) -> bool {
    t.starts_with(b"...") && (t.ends_with(b"frames elided...") || t.ends_with(b"frame elided..."))
}

const UNAVAILABLE: &[u8] = b"goroutine running on other thread; stack unavailable";

/// Why a goroutine was dropped: the line and what was wrong with it.
struct Bad {
    line: usize,
    why: String,
}

fn bad(line: usize, why: impl Into<String>) -> Bad {
    Bad { line, why: why.into() }
}

struct Decoder<'a> {
    data: &'a [u8],
    limits: &'a Limits,
    strings: StringTable,
    functions: Vec<Function>,
    locations: Vec<Location>,
    stacks: StackTable,
    label_sets: LabelTable,
    samples: Samples,
    table: GoroutineTable,
    warnings: Vec<String>,
    loc_index: FxHashMap<(&'a [u8], &'a [u8], i64), LocId>,
    func_index: FxHashMap<(&'a [u8], &'a [u8]), FuncId>,
    str_cache: FxHashMap<&'a [u8], StrId>,
    sample_index: FxHashMap<(StackId, LabelSetId), u32>,
    /// Headers with parts not understood: how many, and the first (line, text).
    odd_headers: usize,
    first_odd_header: Option<(usize, String)>,
    state_labels: FxHashMap<StrId, LabelSetId>,
    state_key: StrId,
    frames: Vec<LocId>,
    args: Vec<TextSpan>,
}

/// One goroutine being read.
#[derive(Default)]
struct Body {
    frames_elided: bool,
    unavailable: bool,
    created_by: Option<CreatedBy>,
    ancestors: Vec<Ancestor>,
}

impl<'a> Decoder<'a> {
    fn new(data: &'a [u8], limits: &'a Limits) -> Self {
        let mut strings = StringTable::default();
        let state_key = strings.intern("state");
        Decoder {
            data,
            limits,
            strings,
            functions: Vec::new(),
            locations: Vec::new(),
            stacks: StackTable::default(),
            label_sets: LabelTable::default(),
            samples: Samples::default(),
            table: GoroutineTable::default(),
            warnings: Vec::new(),
            loc_index: FxHashMap::default(),
            func_index: FxHashMap::default(),
            str_cache: FxHashMap::default(),
            sample_index: FxHashMap::default(),
            odd_headers: 0,
            first_odd_header: None,
            state_labels: FxHashMap::default(),
            state_key,
            frames: Vec::new(),
            args: Vec::new(),
        }
    }

    fn intern(&mut self, s: &'a [u8]) -> StrId {
        if let Some(&id) = self.str_cache.get(s) {
            return id;
        }
        let id = self.strings.intern(&String::from_utf8_lossy(s));
        self.str_cache.insert(s, id);
        id
    }

    #[inline]
    fn location(&mut self, func: &'a [u8], file: &'a [u8], line: i64) -> LocId {
        if let Some(&id) = self.loc_index.get(&(func, file, line)) {
            return id;
        }
        self.new_location(func, file, line)
    }

    #[inline(never)]
    fn new_location(&mut self, func: &'a [u8], file: &'a [u8], line: i64) -> LocId {
        let f = match self.func_index.get(&(func, file)) {
            Some(&f) => f,
            None => {
                let name = self.intern(func);
                let filename = self.intern(file);
                let f = FuncId(self.functions.len() as u32);
                self.functions.push(Function { id: f.0 as u64 + 1, name, system_name: name, filename, start_line: 0 });
                self.func_index.insert((func, file), f);
                f
            }
        };
        let id = LocId(self.locations.len() as u32);
        self.locations.push(Location {
            id: id.0 as u64 + 1,
            mapping: None,
            address: 0,
            lines: vec![Line { function: f, line, column: 0 }],
            is_folded: false,
        });
        self.loc_index.insert((func, file, line), id);
        id
    }

    /// The label set `{state}`, made once per state.
    fn state_label(&mut self, state: StrId) -> LabelSetId {
        if let Some(&l) = self.state_labels.get(&state) {
            return l;
        }
        let set = LabelSet { strs: vec![(self.state_key, state)], nums: Vec::new() };
        let l = self.label_sets.intern(set);
        self.state_labels.insert(state, l);
        l
    }

    /// The state and the header's pprof labels, as the sample's label set.
    fn header_labels(&mut self, state: StrId, h: &Header) -> LabelSetId {
        if h.labels.is_empty() {
            return self.state_label(state);
        }
        let mut strs = vec![(self.state_key, state)];
        for (k, v) in &h.labels {
            strs.push((self.strings.intern(k), self.strings.intern(v)));
        }
        self.label_sets.intern(LabelSet { strs, nums: Vec::new() })
    }

    fn count(&mut self, stack: StackId, labels: LabelSetId) {
        match self.sample_index.get(&(stack, labels)) {
            Some(&i) => self.samples.values[i as usize] += 1,
            None => {
                self.sample_index.insert((stack, labels), self.samples.stacks.len() as u32);
                self.samples.stacks.push(stack);
                self.samples.labels.push(labels);
                self.samples.values.push(1);
            }
        }
    }

    fn run(mut self) -> Result<Profile, DecodeError> {
        let data = self.data;
        let mut lines = Lines::new(data);
        let mut dump_start: Option<usize> = None;
        // Non-blank lines seen since the last goroutine: (first line, its offset, count).
        let mut junk: Option<(usize, usize, usize)> = None;
        let mut dropped = 0usize;
        let mut first_problem: Option<(usize, String)> = None;
        loop {
            let offset = lines.offset();
            let Some((n, line)) = lines.next() else { break };
            let t = trim_start(line);
            let indent = &line[..line.len() - t.len()];
            let header = if t.starts_with(b"goroutine ") { goroutine_header::parse(t) } else { None };
            let race = header.is_none() && is_race_start(t, &lines);
            if header.is_none() && !race {
                if dump_start.is_some() && !lines::trim(t).is_empty() {
                    match &mut junk {
                        Some(j) => j.2 += 1,
                        None => junk = Some((n, offset, 1)),
                    }
                }
                continue;
            }
            if dump_start.is_none() {
                dump_start = Some(offset);
            }
            if let Some((first, _, count)) = junk.take() {
                self.warnings.push(format!(
                    "line {first}: {count} line{} between goroutines that belong to none ignored",
                    if count == 1 { "" } else { "s" }
                ));
            }
            if race {
                self.race_block(&mut lines, t == b"WARNING: DATA RACE");
                continue;
            }
            let h = header.unwrap();
            if h.unrecognised {
                self.odd_headers += 1;
                if self.first_odd_header.is_none() {
                    self.first_odd_header = Some((n, lines::show(lines::trim(line))));
                }
            }
            let text_mark = self.table.text.len();
            match self.goroutine(&mut lines, indent) {
                Ok(body) => self.finish_goroutine(n, h, body)?,
                Err(b) => {
                    self.table.text.truncate(text_mark);
                    let msg = format!("line {}: {}; goroutine {} skipped", b.line, b.why, h.id);
                    first_problem.get_or_insert_with(|| (b.line, msg.clone()));
                    self.warnings.push(msg);
                    dropped += 1;
                    skip_to_next_header(&mut lines);
                }
            }
        }
        if let Some((first, offset, _)) = junk {
            self.table.suffix = String::from_utf8_lossy(&data[offset..]).into_owned();
            if trim_start(&data[offset..]).starts_with(b"goroutine ") {
                self.warnings.push(format!(
                    "line {first}: an incomplete goroutine header at the end (the dump may be cut short)"
                ));
            }
        }
        let Some(start) = dump_start else {
            return Err(DecodeError::new(Stage::Parsing, "no goroutine header found"));
        };
        if self.table.goroutines.is_empty() {
            return Err(match first_problem {
                Some((line, why)) => DecodeError::at_line(
                    Stage::Parsing,
                    line,
                    format!("goroutine dump: no goroutine could be read ({why})"),
                ),
                None => DecodeError::new(Stage::Parsing, "goroutine dump: the dump holds no goroutine"),
            });
        }
        if let Some((line, text)) = self.first_odd_header.take() {
            let n = self.odd_headers;
            self.warnings.push(format!(
                "{n} goroutine header{} had parts profdrop did not recognise (the goroutine{} kept); first, line {line}: {text}",
                if n == 1 { "" } else { "s" },
                if n == 1 { " is" } else { "s are" }
            ));
        }
        if dropped > 0 {
            self.warnings.push(format!("{dropped} malformed goroutine{} skipped", if dropped == 1 { "" } else { "s" }));
        }
        self.table.prefix = String::from_utf8_lossy(&data[..start]).into_owned();
        Ok(self.into_profile())
    }

    fn into_profile(mut self) -> Profile {
        let mut p = Profile::default();
        let gc = self.strings.intern("goroutine");
        let count = self.strings.intern("count");
        p.sample_types = vec![ValueType { r#type: gc, unit: count }];
        p.period_type = ValueType { r#type: gc, unit: count };
        p.period = 1;
        let prefix = self.table.prefix.trim();
        if !prefix.is_empty() {
            // The whole prefix stays in the table; a comment is for headers, keep it short.
            const MAX: usize = 4096;
            let c = if prefix.len() > MAX {
                let mut end = MAX;
                while !prefix.is_char_boundary(end) {
                    end -= 1;
                }
                format!("{}...", &prefix[..end])
            } else {
                prefix.to_string()
            };
            p.comments.push(self.strings.intern(&c));
        }
        p.strings = self.strings;
        p.functions = self.functions;
        p.locations = self.locations;
        p.stacks = Arc::new(self.stacks);
        p.label_sets = Arc::new(self.label_sets);
        p.samples = Arc::new(self.samples);
        p.source_format = SourceFormat::GoroutineDebug2;
        p.warnings = self.warnings;
        p.goroutines = Some(self.table);
        p
    }

    fn finish_goroutine(&mut self, line: usize, h: Header<'a>, body: Body) -> Result<(), DecodeError> {
        if self.frames.len() as u64 > self.limits.max_stack_depth {
            return Err(DecodeError::at_line(
                Stage::Parsing,
                line,
                format!(
                    "goroutine {} has {} frames, more than the limit of {}",
                    h.id,
                    self.frames.len(),
                    self.limits.max_stack_depth
                ),
            ));
        }
        let stack = self.stacks.intern(&self.frames);
        let state = self.intern(h.state);
        let labels = self.header_labels(state, &h);
        self.count(stack, labels);
        if self.samples.len() as u64 > self.limits.max_samples {
            return Err(DecodeError::at_line(
                Stage::Parsing,
                line,
                format!("more than {} distinct stacks, the limit on samples per profile", self.limits.max_samples),
            ));
        }
        self.table.goroutines.push(Goroutine {
            id: h.id,
            state,
            wait_minutes: h.wait_minutes,
            locked_to_thread: h.locked,
            stack,
            args: self.args.clone(),
            frames_elided: body.frames_elided,
            stack_unavailable: body.unavailable,
            created_by: body.created_by,
            ancestors: body.ancestors,
            race: None,
            line: line as u32,
            labels,
            leaked: h.leaked,
            bubble: h.bubble,
        });
        Ok(())
    }

    /// Reads the lines of one goroutine after its header, into `self.frames`
    /// and `self.args`. Stops before the first line that is not its own.
    fn goroutine(&mut self, lines: &mut Lines<'a>, indent: &'a [u8]) -> Result<Body, Bad> {
        self.frames.clear();
        self.args.clear();
        let mut body = Body::default();
        let mut expect_frame = true;
        loop {
            let save = lines.clone();
            let Some((n, raw)) = lines.next() else { break };
            let Some(l) = raw.strip_prefix(indent) else {
                if lines::trim(raw).is_empty() {
                    break;
                }
                if expect_frame {
                    return Err(bad(n, format!("inconsistent indentation: {:?}", lines::show(raw))));
                }
                *lines = save;
                break;
            };
            if l.is_empty() || lines::trim(l).is_empty() {
                if expect_frame {
                    return Err(bad(n, "invalid function call: \"\" (a goroutine needs at least one frame)"));
                }
                break;
            }
            let first = l[0];
            if first == b'\t' || first == b' ' {
                let t = lines::trim(l);
                if t == UNAVAILABLE && self.frames.is_empty() && !body.unavailable {
                    body.unavailable = true;
                    expect_frame = false;
                    continue;
                }
                if is_elided(t) && !self.frames.is_empty() {
                    body.frames_elided = true;
                    continue;
                }
                if expect_frame {
                    return Err(bad(n, format!("expected a function call, got {:?}", lines::show(raw))));
                }
                *lines = save;
                break;
            }
            if is_elided(l) && !self.frames.is_empty() {
                body.frames_elided = true;
                continue;
            }
            if let Some(cb) = l.strip_prefix(b"created by ") {
                if self.frames.is_empty() && !body.unavailable {
                    return Err(bad(n, format!("expected a function call, got {:?}", lines::show(raw))));
                }
                body.created_by = Some(self.created_by(cb, lines, indent)?);
                // Only ancestors may follow.
                self.ancestors(lines, indent, &mut body)?;
                break;
            }
            if l.starts_with(b"[originating from goroutine ") {
                if expect_frame {
                    return Err(bad(n, format!("expected a function call, got {:?}", lines::show(raw))));
                }
                *lines = save;
                self.ancestors(lines, indent, &mut body)?;
                break;
            }
            if body.unavailable {
                *lines = save;
                break;
            }
            // A frame: function line, then its file line.
            let Some((func, args)) = split_call(l) else {
                if expect_frame {
                    return Err(bad(n, format!("invalid function call: {:?}", lines::show(l))));
                }
                *lines = save;
                break;
            };
            if let Err(why) = check_args(args) {
                self.warnings.push(format!("line {n}: {why} in {:?}; the arguments are kept as text", lines::show(l)));
            }
            let (func_file, line_no) = match self.file_line(lines, indent) {
                Ok(x) => x,
                Err(b) if expect_frame => return Err(b),
                // A call-like line after complete frames, without its file
                // line: not part of this goroutine (trailing text, or a dump
                // cut short); the goroutine ends before it.
                Err(b) => {
                    self.warnings.push(format!(
                        "line {n}: a call without its file line (the dump may be cut short); goroutine ends before it ({})",
                        b.why
                    ));
                    *lines = save;
                    break;
                }
            };
            let loc = self.location(func, func_file, line_no);
            self.frames.push(loc);
            let span = self.table.push_text(&String::from_utf8_lossy(args));
            self.args.push(span);
            expect_frame = false;
        }
        if expect_frame {
            return Err(bad(lines.line_no(), "goroutine header with no frame"));
        }
        Ok(body)
    }

    /// The `\tFILE:LINE +0xOFF` line that must follow a function line.
    #[inline]
    fn file_line(&mut self, lines: &mut Lines<'a>, indent: &[u8]) -> Result<(&'a [u8], i64), Bad> {
        let n = lines.line_no() + 1;
        let Some((_, raw)) = lines.next() else {
            return Err(bad(n, "invalid file:line ref: \"\" (the input ends after a function line)"));
        };
        let l = match raw.strip_prefix(indent) {
            Some(l) if l.first().is_some_and(|&b| b == b'\t' || b == b' ') => l,
            _ => return Err(bad(n, format!("invalid file:line ref: {:?}", lines::show(raw)))),
        };
        let t = trim_start(l);
        split_file_line(t).map_err(|why| bad(n, format!("invalid file:line ref ({why}): {:?}", lines::show(raw))))
    }

    /// `created by F[ in goroutine N]` (already split off) and its file line.
    fn created_by(&mut self, cb: &'a [u8], lines: &mut Lines<'a>, indent: &[u8]) -> Result<CreatedBy, Bad> {
        let cb = lines::trim(cb);
        let (func, parent) = match super::lines::rfind_sub(cb, b" in goroutine ") {
            Some(i) => match parse_u64(&cb[i + b" in goroutine ".len()..]) {
                Some(id) => (&cb[..i], Some(id)),
                None => (cb, None),
            },
            None => (cb, None),
        };
        let (file, line) = self.file_line(lines, indent)?;
        Ok(CreatedBy { function: self.intern(func), file: self.intern(file), line, parent_id: parent })
    }

    /// `[originating from goroutine N]:` sections (GODEBUG=tracebackancestors).
    fn ancestors(&mut self, lines: &mut Lines<'a>, indent: &[u8], body: &mut Body) -> Result<(), Bad> {
        loop {
            let save = lines.clone();
            let Some((n, raw)) = lines.next() else { return Ok(()) };
            let l = raw.strip_prefix(indent).unwrap_or(raw);
            let Some(rest) = l.strip_prefix(b"[originating from goroutine ") else {
                if !lines::trim(raw).is_empty() {
                    *lines = save;
                }
                return Ok(());
            };
            let id = rest.strip_suffix(b"]:").and_then(parse_u64).ok_or_else(|| bad(n, "invalid ancestor header"))?;
            let mut a = Ancestor { id, ..Default::default() };
            loop {
                let save = lines.clone();
                let Some((m, raw)) = lines.next() else { break };
                let Some(l) = raw.strip_prefix(indent) else {
                    *lines = save;
                    break;
                };
                if lines::trim(l).is_empty() {
                    break;
                }
                if is_elided(lines::trim(l)) {
                    a.frames_elided = true;
                    continue;
                }
                if let Some(cb) = l.strip_prefix(b"created by ") {
                    let (file, line) = self.file_line(lines, indent)?;
                    let func = lines::trim(cb);
                    let func = match super::lines::rfind_sub(func, b" in goroutine ") {
                        Some(i) => &func[..i],
                        None => func,
                    };
                    a.created_by = Some(text_frame(func, file, line));
                    break;
                }
                if l.starts_with(b"[originating from goroutine ") || l[0] == b'\t' || l[0] == b' ' {
                    *lines = save;
                    break;
                }
                let (func, _) =
                    split_call(l).ok_or_else(|| bad(m, format!("invalid function call: {:?}", lines::show(l))))?;
                let (file, line) = self.file_line(lines, indent)?;
                a.frames.push(text_frame(func, file, line));
            }
            body.ancestors.push(a);
        }
    }

    /// A `WARNING: DATA RACE` report up to its closing `==================`:
    /// each access becomes a goroutine record with `race` set.
    fn race_block(&mut self, lines: &mut Lines<'a>, started_at_warning: bool) {
        struct Access {
            id: u64,
            line: usize,
            race: RaceAccess,
            frames: Vec<LocId>,
            args: Vec<TextSpan>,
        }
        let mut accesses: Vec<Access> = Vec::new();
        // goroutine id -> (state, creator)
        let mut creators: FxHashMap<u64, (&'a [u8], Option<CreatedBy>)> = FxHashMap::default();
        let mut seen_warning = started_at_warning;
        loop {
            let save = lines.clone();
            let Some((n, raw)) = lines.next() else { break };
            let t = lines::trim(raw);
            if t.is_empty() {
                continue;
            }
            if t == b"WARNING: DATA RACE" {
                seen_warning = true;
                continue;
            }
            if t.starts_with(b"==================") {
                if seen_warning {
                    break;
                }
                continue;
            }
            if let Some((id, race)) = parse_race_access(t) {
                let text_mark = self.table.text.len();
                match self.race_frames(lines) {
                    Ok(()) => accesses.push(Access {
                        id,
                        line: n,
                        race,
                        frames: self.frames.clone(),
                        args: self.args.clone(),
                    }),
                    Err(b) => {
                        self.table.text.truncate(text_mark);
                        self.warnings.push(format!("line {}: {}; race access skipped", b.line, b.why));
                    }
                }
                continue;
            }
            if let Some((id, state)) = parse_race_creator(t) {
                let created = match self.race_frames(lines) {
                    Ok(()) => self.frames.first().map(|&l| {
                        let loc = &self.locations[l.idx()];
                        let f = &self.functions[loc.lines[0].function.idx()];
                        CreatedBy { function: f.name, file: f.filename, line: loc.lines[0].line, parent_id: None }
                    }),
                    Err(b) => {
                        self.warnings.push(format!("line {}: {}; creation stack skipped", b.line, b.why));
                        None
                    }
                };
                creators.insert(id, (state, created));
                continue;
            }
            if goroutine_header::is_header(t) {
                // A traceback right after an unterminated report.
                *lines = save;
                break;
            }
            // Other report lines ("[failed to restore the stack]", ...) carry no frames.
        }
        for a in accesses {
            let (state, created_by) = match creators.get(&a.id) {
                Some((s, c)) => (*s, c.clone()),
                None => (&b"running"[..], None),
            };
            let state = self.intern(state);
            let labels = self.state_label(state);
            let stack = self.stacks.intern(&a.frames);
            self.count(stack, labels);
            self.table.goroutines.push(Goroutine {
                id: a.id,
                state,
                stack,
                args: a.args,
                created_by,
                race: Some(a.race),
                line: a.line as u32,
                labels,
                ..Default::default()
            });
        }
    }

    /// The indented `func()` / `file:line +0x..` pairs of a race report section.
    fn race_frames(&mut self, lines: &mut Lines<'a>) -> Result<(), Bad> {
        self.frames.clear();
        self.args.clear();
        loop {
            let save = lines.clone();
            let Some((n, raw)) = lines.next() else { return Ok(()) };
            let t = lines::trim(raw);
            if t.is_empty() {
                return Ok(());
            }
            let Some((func, args)) = split_call(t) else {
                *lines = save;
                return Ok(());
            };
            if raw.first().is_none_or(|&b| b != b' ' && b != b'\t') {
                // Report headers are not indented, frames are.
                *lines = save;
                return Ok(());
            }
            let Some((_, fraw)) = lines.next() else {
                return Err(bad(n + 1, "invalid file:line ref: \"\" (the input ends after a function line)"));
            };
            let (file, line) = split_file_line(lines::trim(fraw))
                .map_err(|why| bad(n + 1, format!("invalid file:line ref ({why}): {:?}", lines::show(fraw))))?;
            let loc = self.location(func, file, line);
            self.frames.push(loc);
            let span = self.table.push_text(&String::from_utf8_lossy(args));
            self.args.push(span);
        }
    }
}

fn text_frame(func: &[u8], file: &[u8], line: i64) -> TextFrame {
    TextFrame {
        function: String::from_utf8_lossy(func).into_owned(),
        file: String::from_utf8_lossy(file).into_owned(),
        line,
    }
}

/// `==================` followed by `WARNING: DATA RACE`, or the warning alone.
fn is_race_start(t: &[u8], lines: &Lines) -> bool {
    let t = lines::trim(t);
    if t == b"WARNING: DATA RACE" {
        return true;
    }
    if t != b"==================" {
        return false;
    }
    let mut peek = lines.clone();
    matches!(peek.next(), Some((_, next)) if lines::trim(next) == b"WARNING: DATA RACE")
}

/// `Read at 0x00c000014100 by goroutine 8:` / `Previous write at ... by main goroutine:`.
fn parse_race_access(t: &[u8]) -> Option<(u64, RaceAccess)> {
    let body = t.strip_suffix(b":")?;
    let at = super::lines::find_sub(body, b" at 0x")?;
    let kind = &body[..at];
    let rest = &body[at + b" at ".len()..];
    let by = super::lines::find_sub(rest, b" by ")?;
    let addr = super::legacy::parse_hex(&rest[..by])?;
    let who = &rest[by + b" by ".len()..];
    let id = if who == b"main goroutine" { 1 } else { parse_u64(who.strip_prefix(b"goroutine ")?)? };
    let lower = String::from_utf8_lossy(kind).to_ascii_lowercase();
    Some((id, RaceAccess { addr, write: lower.contains("write"), previous: lower.starts_with("previous") }))
}

/// `Goroutine 8 (running) created at:` -> (8, "running").
fn parse_race_creator(t: &[u8]) -> Option<(u64, &[u8])> {
    let rest = t.strip_prefix(b"Goroutine ")?.strip_suffix(b" created at:")?;
    let sp = super::lines::find_byte(b' ', rest)?;
    let id = parse_u64(&rest[..sp])?;
    let state = rest[sp + 1..].strip_prefix(b"(")?.strip_suffix(b")")?;
    Some((id, state))
}

/// After a malformed goroutine: skip its remaining lines, up to the next header.
fn skip_to_next_header(lines: &mut Lines) {
    loop {
        let save = lines.clone();
        let Some((_, raw)) = lines.next() else { return };
        let t = trim_start(raw);
        if goroutine_header::is_header(t) {
            *lines = save;
            return;
        }
    }
}

pub fn decode(data: &[u8], limits: &Limits) -> Result<Profile, DecodeError> {
    Decoder::new(data, limits).run()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames() {
        assert_eq!(split_call(b"main.(*T).f(0x1, {0x2, 0x3})"), Some((&b"main.(*T).f"[..], &b"0x1, {0x2, 0x3}"[..])));
        assert_eq!(split_call(b"main.main)("), None);
        assert_eq!(split_file_line(b"C:/Users/x/pprof.go:693 +0x9f"), Ok((&b"C:/Users/x/pprof.go"[..], 693)));
        assert_eq!(split_file_line(b"??:0 +0x6d"), Ok((&b"??"[..], 0)));
        assert!(split_file_line(b"/x.go:12345678901234567890").is_err());
        assert!(split_file_line(b"").is_err());
    }

    #[test]
    fn race_lines() {
        assert_eq!(
            parse_race_access(b"Previous write at 0x00c000014100 by goroutine 7:"),
            Some((7, RaceAccess { addr: 0xc000014100, write: true, previous: true }))
        );
        assert_eq!(parse_race_creator(b"Goroutine 8 (running) created at:"), Some((8, &b"running"[..])));
    }
}
