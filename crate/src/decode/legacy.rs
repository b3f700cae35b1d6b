//! What pprof's legacy formats share (profile/legacy_profile.go): a profile
//! built by address, the `/proc/self/maps`-style memory map that follows the
//! samples, the mapping heuristics (massageMappings, remapMappingIDs with its
//! fake mapping), the id renumbering by first use, and the drop_frames /
//! keep_frames pprof attaches to each kind. The order of these steps is
//! pprof's, because it decides the ids `-raw` prints.
//!
//! Go's own debug=1 texts are the same formats plus `#` symbol lines that
//! pprof skips as comments; here they give the locations their names.

use super::lines::{self, Lines};
use super::{DecodeError, Limits, Stage};
use crate::model::*;
use crate::util::hash::FxHashMap;
use regex::Regex;
use std::sync::{Arc, OnceLock};

#[derive(Clone, Debug, Default)]
pub struct LSample {
    pub values: Vec<i64>,
    /// Indices into [`LegacyProfile::locations`], leaf first.
    pub locs: Vec<u32>,
    pub labels: Vec<(String, String)>,
    pub num_labels: Vec<(String, i64)>,
}

#[derive(Clone, Debug, Default)]
pub struct LLocation {
    pub address: u64,
    /// A [`LMapping::key`].
    pub mapping: Option<u32>,
    /// (index into functions, line), innermost first.
    pub lines: Vec<(u32, i64)>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LFunction {
    pub name: String,
    pub system_name: String,
    pub filename: String,
}

#[derive(Clone, Debug, Default)]
pub struct LMapping {
    /// Stable identity while mappings are merged and reordered.
    pub key: u32,
    pub start: u64,
    pub limit: u64,
    pub offset: u64,
    pub file: String,
    pub build_id: String,
    pub has_functions: bool,
    pub has_filenames: bool,
    pub has_line_numbers: bool,
}

/// A legacy profile under construction, in pprof's terms.
#[derive(Default)]
pub struct LegacyProfile {
    pub sample_types: Vec<(String, String)>,
    pub period_type: (String, String),
    pub period: i64,
    pub duration_nanos: i64,
    pub samples: Vec<LSample>,
    pub locations: Vec<LLocation>,
    pub functions: Vec<LFunction>,
    pub mappings: Vec<LMapping>,
    pub drop_frames: String,
    pub keep_frames: String,
    pub comments: Vec<String>,
    pub warnings: Vec<String>,
    pub memstats: Vec<(String, String)>,
    pub format: SourceFormat,
    /// location by address (pprof's `locs` map of each parser).
    by_addr: FxHashMap<u64, u32>,
    funcs_by_key: FxHashMap<(String, String), u32>,
    next_mapping_key: u32,
    /// Some location got its name from a `#` symbol line.
    pub symbolized: bool,
}

impl LegacyProfile {
    pub fn new(format: SourceFormat) -> Self {
        LegacyProfile { format, ..Default::default() }
    }

    pub fn sample_type(&mut self, t: &str, u: &str) {
        self.sample_types.push((t.to_string(), u.to_string()));
    }

    /// The location at `addr`, created (address only) on first use.
    pub fn location_at(&mut self, addr: u64) -> u32 {
        if let Some(&i) = self.by_addr.get(&addr) {
            return i;
        }
        let i = self.locations.len() as u32;
        self.locations.push(LLocation { address: addr, ..Default::default() });
        self.by_addr.insert(addr, i);
        i
    }

    pub fn function(&mut self, name: &str, filename: &str) -> u32 {
        let key = (name.to_string(), filename.to_string());
        if let Some(&i) = self.funcs_by_key.get(&key) {
            return i;
        }
        let i = self.functions.len() as u32;
        self.functions.push(LFunction { name: key.0.clone(), system_name: key.0.clone(), filename: key.1.clone() });
        self.funcs_by_key.insert(key, i);
        i
    }

    /// Locations for the frames of one record given by `#` symbol lines
    /// (consecutive lines at one address are one location, innermost first).
    pub fn symbolized_stack(&mut self, frames: &[SymbolLine]) -> Vec<u32> {
        let mut out: Vec<u32> = Vec::with_capacity(frames.len());
        let mut i = 0;
        while i < frames.len() {
            let addr = frames[i].address;
            let mut j = i;
            while j < frames.len() && frames[j].address == addr {
                j += 1;
            }
            let loc = self.location_at(addr);
            if self.locations[loc as usize].lines.is_empty() {
                let mut lines = Vec::new();
                for f in &frames[i..j] {
                    if let Some(name) = &f.function {
                        let fid = self.function(name, &f.file);
                        lines.push((fid, f.line));
                    }
                }
                if !lines.is_empty() {
                    self.symbolized = true;
                }
                self.locations[loc as usize].lines = lines;
            }
            out.push(loc);
            i = j;
        }
        out
    }

    fn new_mapping(&mut self, m: LMapping) -> LMapping {
        let key = self.next_mapping_key;
        self.next_mapping_key += 1;
        LMapping { key, ..m }
    }

    /// pprof's ParseMemoryMapFromScanner: the mappings in `rest`, then
    /// massageMappings and the three id remappings.
    pub fn parse_memory_map(&mut self, rest: Lines) {
        let mut attrs: Vec<(String, String)> = Vec::new();
        for (_, raw) in rest {
            let raw = String::from_utf8_lossy(raw);
            let line = replace_attrs(remove_logging_info(&raw), &attrs);
            match parse_mapping_entry(&line) {
                Entry::Mapping(m) => {
                    let m = self.new_mapping(m);
                    self.mappings.push(m);
                }
                Entry::Skip => {}
                Entry::Unrecognized => {
                    if let Some((k, v)) = line.split_once('=') {
                        attrs.push((format!("${}", k.trim()), v.trim().to_string()));
                    }
                }
            }
        }
        self.massage_mappings();
        self.remap_location_ids();
        self.remap_function_ids();
        self.remap_mapping_ids();
    }

    /// pprof's parseAdditionalSections: skip to the memory map sentinel
    /// (from the current line on), then parse what follows it.
    pub fn parse_additional_sections(&mut self, current: Option<&[u8]>, mut rest: Lines) {
        if !current.is_some_and(is_memory_map_sentinel) {
            for (_, l) in rest.by_ref() {
                if is_memory_map_sentinel(l) {
                    break;
                }
            }
        }
        self.parse_memory_map(rest);
    }

    fn massage_mappings(&mut self) {
        if self.mappings.len() > 1 {
            let mut out: Vec<LMapping> = vec![self.mappings[0].clone()];
            let mut moved: Vec<(u32, u32)> = Vec::new();
            for m in self.mappings[1..].iter() {
                let lm = out.last_mut().unwrap();
                if adjacent(lm, m) {
                    lm.limit = m.limit;
                    if !m.file.is_empty() {
                        lm.file = m.file.clone();
                    }
                    if !m.build_id.is_empty() {
                        lm.build_id = m.build_id.clone();
                    }
                    moved.push((m.key, lm.key));
                    continue;
                }
                out.push(m.clone());
            }
            for (from, to) in moved {
                for l in &mut self.locations {
                    if l.mapping == Some(from) {
                        l.mapping = Some(to);
                    }
                }
            }
            self.mappings = out;
        }
        // The main binary first: the first mapping that is not a library or [special].
        for i in 0..self.mappings.len() {
            let file = self.mappings[i].file.replace("(deleted)", "");
            let file = file.trim_matches(|c: char| c.is_whitespace());
            if file.is_empty() || lib_rx().is_match(file) || file.starts_with('[') {
                continue;
            }
            self.mappings.swap(0, i);
            break;
        }
    }

    /// Locations in order of first use by a sample; unused ones go.
    pub fn remap_location_ids(&mut self) {
        let mut new_index = vec![u32::MAX; self.locations.len()];
        let mut order: Vec<u32> = Vec::new();
        for s in &mut self.samples {
            for l in &mut s.locs {
                let old = *l as usize;
                if new_index[old] == u32::MAX {
                    new_index[old] = order.len() as u32;
                    order.push(*l);
                }
                *l = new_index[old];
            }
        }
        let mut old: Vec<Option<LLocation>> = std::mem::take(&mut self.locations).into_iter().map(Some).collect();
        self.locations = order.iter().map(|&i| old[i as usize].take().unwrap()).collect();
        self.by_addr.clear();
        for (i, l) in self.locations.iter().enumerate() {
            self.by_addr.entry(l.address).or_insert(i as u32);
        }
    }

    /// Functions in order of first use by a location; unused ones go.
    pub fn remap_function_ids(&mut self) {
        let mut new_index = vec![u32::MAX; self.functions.len()];
        let mut order: Vec<u32> = Vec::new();
        for l in &mut self.locations {
            for (f, _) in &mut l.lines {
                let old = *f as usize;
                if new_index[old] == u32::MAX {
                    new_index[old] = order.len() as u32;
                    order.push(*f);
                }
                *f = new_index[old];
            }
        }
        let old = std::mem::take(&mut self.functions);
        self.functions = order.iter().map(|&i| old[i as usize].clone()).collect();
        self.funcs_by_key.clear();
        for (i, f) in self.functions.iter().enumerate() {
            self.funcs_by_key.insert((f.name.clone(), f.filename.clone()), i as u32);
        }
    }

    /// pprof's remapMappingIDs: main-binary fixes, then each location with an
    /// address gets the mapping that holds it, or a fake one covering everything.
    pub fn remap_mapping_ids(&mut self) {
        if self.mappings.len() > 1
            && self.mappings[0].file.starts_with("/anon_hugepage")
            && self.mappings[0].limit == self.mappings[1].start
        {
            self.mappings.remove(0);
        }
        if let Some(m) = self.mappings.first_mut() {
            const EXPECTED_START: u64 = 0x400000;
            if m.start.wrapping_sub(m.offset) == EXPECTED_START {
                m.start = EXPECTED_START;
                m.offset = 0;
            }
        }
        let mut fake: Option<u32> = None;
        for li in 0..self.locations.len() {
            let a = self.locations[li].address;
            if self.locations[li].mapping.is_some() || a == 0 {
                continue;
            }
            if let Some(m) = self.mappings.iter().find(|m| m.start <= a && a < m.limit) {
                self.locations[li].mapping = Some(m.key);
                continue;
            }
            if let Some(m) =
                self.mappings.iter_mut().find(|m| m.offset != 0 && m.start.wrapping_sub(m.offset) <= a && a < m.start)
            {
                m.start = m.start.wrapping_sub(m.offset);
                m.offset = 0;
                self.locations[li].mapping = Some(m.key);
                continue;
            }
            let key = match fake {
                Some(k) => k,
                None => {
                    let m = self.new_mapping(LMapping { limit: u64::MAX, ..Default::default() });
                    let k = m.key;
                    self.mappings.push(m);
                    fake = Some(k);
                    k
                }
            };
            self.locations[li].mapping = Some(key);
        }
    }

    /// pprof's cleanupDuplicateLocations: a leaf recorded twice (from the
    /// signal context and from unwinding, the second adjusted by -1) counts once.
    pub fn cleanup_duplicate_locations(&mut self) {
        for s in &mut self.samples {
            if s.locs.len() > 1 {
                let a0 = self.locations[s.locs[0] as usize].address;
                let a1 = self.locations[s.locs[1] as usize].address;
                if a0 == a1.wrapping_add(1) {
                    s.locs.remove(1);
                }
            }
        }
    }

    /// pprof's addLegacyFrameInfo: the allocator / profiler / lock frames that
    /// pprof drops from each kind of legacy profile. Go's debug=1 texts whose
    /// frames are named by `#` lines keep theirs: pprof never sees those names
    /// (it reads only the addresses), and the runtime's own binary profiles
    /// of the same data set no drop_frames.
    pub fn add_legacy_frame_info(&mut self) {
        if self.symbolized {
            return;
        }
        let types: Vec<&str> = self.sample_types.iter().map(|t| t.0.as_str()).collect();
        let is = |set: &[&[&str]]| set.contains(&types.as_slice());
        const HEAPZ: &[&[&str]] = &[
            &["allocations", "size"],
            &["objects", "space"],
            &["inuse_objects", "inuse_space"],
            &["alloc_objects", "alloc_space"],
            &["alloc_objects", "alloc_space", "inuse_objects", "inuse_space"],
        ];
        const CONTENTIONZ: &[&[&str]] = &[&["contentions", "delay"]];
        if is(HEAPZ) {
            self.drop_frames = ALLOC_RX.join("|");
            self.keep_frames = ALLOC_SKIP_RX.join("|");
        } else if is(CONTENTIONZ) {
            self.drop_frames = LOCK_RX.join("|");
            self.keep_frames.clear();
        } else {
            self.drop_frames = CPU_PROFILER_RX.join("|");
            self.keep_frames.clear();
        }
    }

    /// The finished profile, ids in the current order (1-based).
    pub fn into_profile(self, limits: &Limits) -> Result<Profile, DecodeError> {
        if self.samples.len() as u64 > limits.max_samples {
            return Err(DecodeError::new(
                Stage::Parsing,
                format!(
                    "the profile has more than {} samples, the limit on samples per profile; raise it (CLI: --max_samples=N) if the file is genuine",
                    limits.max_samples
                ),
            ));
        }
        let mut p = Profile::default();
        let mut st = StringTable::default();
        for (t, u) in &self.sample_types {
            p.sample_types.push(ValueType { r#type: st.intern(t), unit: st.intern(u) });
        }
        p.period_type = ValueType { r#type: st.intern(&self.period_type.0), unit: st.intern(&self.period_type.1) };
        p.period = self.period;
        p.duration_nanos = self.duration_nanos;
        p.drop_frames = st.intern(&self.drop_frames);
        p.keep_frames = st.intern(&self.keep_frames);
        p.comments = self.comments.iter().map(|c| st.intern(c)).collect();
        let mut map_index: FxHashMap<u32, MapId> = FxHashMap::default();
        for (i, m) in self.mappings.iter().enumerate() {
            map_index.insert(m.key, MapId(i as u32));
            p.mappings.push(Mapping {
                id: i as u64 + 1,
                start: m.start,
                limit: m.limit,
                offset: m.offset,
                file: st.intern(&m.file),
                build_id: st.intern(&m.build_id),
                has_functions: m.has_functions,
                has_filenames: m.has_filenames,
                has_line_numbers: m.has_line_numbers,
                has_inline_frames: false,
            });
        }
        for (i, f) in self.functions.iter().enumerate() {
            p.functions.push(Function {
                id: i as u64 + 1,
                name: st.intern(&f.name),
                system_name: st.intern(&f.system_name),
                filename: st.intern(&f.filename),
                start_line: 0,
            });
        }
        for (i, l) in self.locations.iter().enumerate() {
            p.locations.push(Location {
                id: i as u64 + 1,
                mapping: l.mapping.and_then(|k| map_index.get(&k).copied()),
                address: l.address,
                lines: l.lines.iter().map(|&(f, line)| Line { function: FuncId(f), line, column: 0 }).collect(),
                is_folded: false,
            });
        }
        let mut stacks = StackTable::default();
        let mut labels = LabelTable::default();
        let mut samples = Samples::default();
        let mut frames: Vec<LocId> = Vec::new();
        for s in &self.samples {
            if s.locs.len() as u64 > limits.max_stack_depth {
                return Err(DecodeError::new(
                    Stage::Parsing,
                    format!("a stack has {} frames, more than the limit of {}", s.locs.len(), limits.max_stack_depth),
                ));
            }
            frames.clear();
            frames.extend(s.locs.iter().map(|&l| LocId(l)));
            samples.stacks.push(stacks.intern(&frames));
            let mut set = LabelSet::default();
            for (k, v) in &s.labels {
                set.strs.push((st.intern(k), st.intern(v)));
            }
            for (k, v) in &s.num_labels {
                set.nums.push(NumLabel { key: st.intern(k), value: *v, unit: StrId(0) });
            }
            samples.labels.push(labels.intern(set));
            samples.values.extend_from_slice(&s.values);
        }
        p.strings = st;
        p.stacks = Arc::new(stacks);
        p.label_sets = Arc::new(labels);
        p.samples = Arc::new(samples);
        p.source_format = self.format;
        p.warnings = self.warnings;
        p.memstats = self.memstats;
        Ok(p)
    }

    /// Sets the symbol flags of every mapping when the `#` lines named all
    /// locations (as the Go runtime does in the binary form of the same profile).
    pub fn mark_symbolized_mappings(&mut self) {
        if !self.symbolized {
            return;
        }
        for m in &mut self.mappings {
            let key = m.key;
            let all = self.locations.iter().filter(|l| l.mapping == Some(key)).all(|l| !l.lines.is_empty());
            if all {
                m.has_functions = true;
                m.has_filenames = true;
                m.has_line_numbers = true;
            }
        }
    }
}

/// One `#\t0xADDR\tFUNC+0xOFF\tFILE:LINE` line of Go's debug=1 texts.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SymbolLine {
    pub address: u64,
    /// None for `#\t0xADDR` (a frame the runtime could not name).
    pub function: Option<String>,
    pub file: String,
    pub line: i64,
}

/// Parses a symbol line (`line` starts with `#`), or None if it is another comment.
pub fn parse_symbol_line(line: &[u8]) -> Option<SymbolLine> {
    let rest = line.strip_prefix(b"#")?;
    let mut fields = rest.split(|&b| b == b'\t').filter(|f| !f.is_empty());
    let addr = fields.next()?;
    let address = parse_hex(addr)?;
    let Some(func) = fields.next() else {
        return Some(SymbolLine { address, ..Default::default() });
    };
    let func = String::from_utf8_lossy(func);
    // FUNC+0xOFF: the offset is the last "+0x".
    let name = match func.rfind("+0x") {
        Some(i) => &func[..i],
        None => &func[..],
    };
    let (file, line_no) = match fields.next() {
        Some(fl) => {
            let fl = String::from_utf8_lossy(fl);
            match fl.rfind(':') {
                Some(i) => match fl[i + 1..].trim().parse::<i64>() {
                    Ok(n) => (fl[..i].to_string(), n),
                    Err(_) => (fl.to_string(), 0),
                },
                None => (fl.to_string(), 0),
            }
        }
        None => (String::new(), 0),
    };
    Some(SymbolLine { address, function: Some(name.trim().to_string()), file, line: line_no })
}

/// `0x1a2b` (lower or upper case) to a number.
pub fn parse_hex(s: &[u8]) -> Option<u64> {
    let s = s.strip_prefix(b"0x").or_else(|| s.strip_prefix(b"0X"))?;
    if s.is_empty() || s.len() > 16 {
        return None;
    }
    let mut v = 0u64;
    for &b in s {
        let d = (b as char).to_digit(16)?;
        v = (v << 4) | d as u64;
    }
    Some(v)
}

/// pprof's parseHexAddresses: every `0x[0-9a-f]+` in `s`; one that does not
/// fit 64 bits is an error.
pub fn parse_hex_addresses(s: &str) -> Result<Vec<u64>, String> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if i + 1 < b.len() && b[i] == b'0' && b[i + 1] == b'x' {
            let start = i + 2;
            let mut j = start;
            while j < b.len() && matches!(b[j], b'0'..=b'9' | b'a'..=b'f') {
                j += 1;
            }
            if j > start {
                let digits = &s[start..j];
                match u64::from_str_radix(digits, 16) {
                    Ok(v) => out.push(v),
                    Err(_) => return Err(format!("failed to parse as hex 64-bit number: 0x{digits}")),
                }
                i = j;
                continue;
            }
        }
        i += 1;
    }
    Ok(out)
}

/// Go's strconv.ParseInt(s, 0, 64): decimal, 0x hex, 0o / leading-0 octal, 0b binary, optional sign.
pub fn parse_int_base0(s: &str) -> Option<i64> {
    let (neg, body) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let body = body.replace('_', "");
    let (radix, digits) = if let Some(d) = body.strip_prefix("0x").or_else(|| body.strip_prefix("0X")) {
        (16, d.to_string())
    } else if let Some(d) = body.strip_prefix("0b").or_else(|| body.strip_prefix("0B")) {
        (2, d.to_string())
    } else if let Some(d) = body.strip_prefix("0o").or_else(|| body.strip_prefix("0O")) {
        (8, d.to_string())
    } else if body.len() > 1 && body.starts_with('0') {
        (8, body[1..].to_string())
    } else {
        (10, body.clone())
    };
    if digits.is_empty() || digits.starts_with(['+', '-']) {
        return None;
    }
    let v = i128::from_str_radix(&digits, radix).ok()?;
    let v = if neg { -v } else { v };
    i64::try_from(v).ok()
}

pub fn is_memory_map_sentinel(line: &[u8]) -> bool {
    contains(line, b"--- Memory map: ---") || contains(line, b"MAPPED_LIBRARIES:")
}

pub fn contains(hay: &[u8], needle: &[u8]) -> bool {
    super::lines::find_sub(hay, needle).is_some()
}

fn adjacent(m1: &LMapping, m2: &LMapping) -> bool {
    if !m1.file.is_empty() && !m2.file.is_empty() && m1.file != m2.file {
        return false;
    }
    if !m1.build_id.is_empty() && !m2.build_id.is_empty() && m1.build_id != m2.build_id {
        return false;
    }
    if m1.limit != m2.start {
        return false;
    }
    if m1.offset != 0 && m2.offset != 0 {
        let offset = m1.offset.wrapping_add(m1.limit.wrapping_sub(m1.start));
        if offset != m2.offset {
            return false;
        }
    }
    true
}

enum Entry {
    Mapping(LMapping),
    /// A non-executable mapping.
    Skip,
    Unrecognized,
}

// Go's \s is ASCII [\t\n\f\r ]; the regex crate's would be Unicode.
const SP: &str = r"[\t\n\f\r ]";
const NSP: &str = r"[^\t\n\f\r ]";

fn proc_maps_rx() -> &'static Regex {
    static RX: OnceLock<Regex> = OnceLock::new();
    RX.get_or_init(|| {
        Regex::new(&format!(
            "^{}{}{}{}{}{}",
            hex_range(),
            perm(),
            space_hex(),
            hex_pair(),
            space_digits(),
            space_string()
        ))
        .unwrap()
    })
}

fn brief_maps_rx() -> &'static Regex {
    static RX: OnceLock<Regex> = OnceLock::new();
    RX.get_or_init(|| {
        Regex::new(&format!("^{}{}{}{}{}", hex_range(), perm(), space_string(), space_at_offset(), space_hex()))
            .unwrap()
    })
}

fn hex_range() -> String {
    let c_hex = "(?:0x)?([[:xdigit:]]+)";
    format!("{SP}*{c_hex}(?:{SP}|-)?{SP}*{c_hex}:?")
}
fn perm() -> String {
    format!("(?:{SP}+([-rwxp]+))?")
}
fn space_hex() -> String {
    format!("(?:{SP}+([[:xdigit:]]+))?")
}
fn hex_pair() -> String {
    format!("{SP}+[[:xdigit:]]+:[[:xdigit:]]+")
}
fn space_digits() -> String {
    format!("{SP}+[0-9]+")
}
fn space_string() -> String {
    format!("(?:{SP}+({NSP}+))?")
}
fn space_at_offset() -> String {
    format!(r"(?:{SP}+\(@([[:xdigit:]]+)\))?")
}

fn lib_rx() -> &'static Regex {
    static RX: OnceLock<Regex> = OnceLock::new();
    RX.get_or_init(|| Regex::new(r"([.]so$|[.]so[._][0-9]+)").unwrap())
}

/// pprof's removeLoggingInfo: drops a glog prefix (`... file:line] `).
fn remove_logging_info(line: &str) -> &str {
    static RX: OnceLock<Regex> = OnceLock::new();
    let rx = RX.get_or_init(|| Regex::new(&format!(r"^[^\[\]]+:[0-9]+\]{SP}")).unwrap());
    match rx.find(line) {
        Some(m) => &line[m.end()..],
        None => line,
    }
}

/// strings.NewReplacer(attrs...).Replace: at each position the first
/// matching `$attr` (in definition order) is replaced.
fn replace_attrs(line: &str, attrs: &[(String, String)]) -> String {
    if attrs.is_empty() || !line.contains('$') {
        return line.to_string();
    }
    let mut out = String::with_capacity(line.len());
    let mut i = 0;
    'outer: while i < line.len() {
        for (k, v) in attrs {
            if line[i..].starts_with(k.as_str()) {
                out.push_str(v);
                i += k.len();
                continue 'outer;
            }
        }
        let c = line[i..].chars().next().unwrap();
        out.push(c);
        i += c.len_utf8();
    }
    out
}

fn parse_mapping_entry(l: &str) -> Entry {
    let g = |c: &regex::Captures, i: usize| c.get(i).map_or("", |m| m.as_str()).to_string();
    let (start, end, perm, file, offset, build_id);
    if let Some(c) = proc_maps_rx().captures(l) {
        start = g(&c, 1);
        end = g(&c, 2);
        perm = g(&c, 3);
        offset = g(&c, 4);
        file = g(&c, 5);
        build_id = String::new();
    } else if let Some(c) = brief_maps_rx().captures(l) {
        start = g(&c, 1);
        end = g(&c, 2);
        perm = g(&c, 3);
        file = g(&c, 4);
        offset = g(&c, 5);
        build_id = g(&c, 6);
    } else {
        return Entry::Unrecognized;
    }
    if !perm.is_empty() && !perm.contains('x') {
        return Entry::Skip;
    }
    let (Ok(start), Ok(limit)) = (u64::from_str_radix(&start, 16), u64::from_str_radix(&end, 16)) else {
        return Entry::Unrecognized;
    };
    let offset = if offset.is_empty() {
        0
    } else {
        match u64::from_str_radix(&offset, 16) {
            Ok(o) => o,
            Err(_) => return Entry::Unrecognized,
        }
    };
    Entry::Mapping(LMapping { start, limit, offset, file, build_id, ..Default::default() })
}

/// pprof's scaleHeapSample: un-samples a heap record taken with average
/// sampling rate `rate` (probability of a record of size S: 1 - exp(-S/rate)).
pub fn scale_heap_sample(count: i64, size: i64, rate: i64) -> (i64, i64) {
    if count == 0 || size == 0 {
        return (0, 0);
    }
    if rate <= 1 {
        return (count, size);
    }
    let avg = size as f64 / count as f64;
    let scale = 1.0 / (1.0 - (-avg / rate as f64).exp());
    ((count as f64 * scale) as i64, (size as f64 * scale) as i64)
}

/// A line-numbered parsing error.
pub fn err_at(line: usize, msg: impl Into<String>) -> DecodeError {
    DecodeError::at_line(Stage::Parsing, line, msg)
}

/// `line N: text` for warnings.
pub fn warn_line(line: usize, msg: impl std::fmt::Display) -> String {
    format!("line {line}: {msg}")
}

pub use lines::is_space_or_comment;

const CPU_PROFILER_RX: &[&str] = &[
    "ProfileData::Add",
    "ProfileData::prof_handler",
    "CpuProfiler::prof_handler",
    "__pthread_sighandler",
    "__restore",
];

const LOCK_RX: &[&str] = &[
    "RecordLockProfileData",
    "(base::)?RecordLockProfileData.*",
    "(base::)?SubmitMutexProfileData.*",
    "(base::)?SubmitSpinLockProfileData.*",
    "(base::Mutex::)?AwaitCommon.*",
    "(base::Mutex::)?Unlock.*",
    "(base::Mutex::)?UnlockSlow.*",
    "(base::Mutex::)?ReaderUnlock.*",
    "(base::MutexLock::)?~MutexLock.*",
    "(Mutex::)?AwaitCommon.*",
    "(Mutex::)?Unlock.*",
    "(Mutex::)?UnlockSlow.*",
    "(Mutex::)?ReaderUnlock.*",
    "(MutexLock::)?~MutexLock.*",
    "(SpinLock::)?Unlock.*",
    "(SpinLock::)?SlowUnlock.*",
    "(SpinLockHolder::)?~SpinLockHolder.*",
];

const ALLOC_RX: &[&str] = &[
    "calloc",
    "cfree",
    "malloc",
    "free",
    "memalign",
    "do_memalign",
    "(__)?posix_memalign",
    "pvalloc",
    "valloc",
    "realloc",
    "tcmalloc::.*",
    "tc_calloc",
    "tc_cfree",
    "tc_malloc",
    "tc_free",
    "tc_memalign",
    "tc_posix_memalign",
    "tc_pvalloc",
    "tc_valloc",
    "tc_realloc",
    "tc_new",
    "tc_delete",
    "tc_newarray",
    "tc_deletearray",
    "tc_new_nothrow",
    "tc_newarray_nothrow",
    "malloc_zone_malloc",
    "malloc_zone_calloc",
    "malloc_zone_valloc",
    "malloc_zone_realloc",
    "malloc_zone_memalign",
    "malloc_zone_free",
    r"runtime\..*",
    "BaseArena::.*",
    "(::)?do_malloc_no_errno",
    "(::)?do_malloc_pages",
    "(::)?do_malloc",
    "DoSampledAllocation",
    "MallocedMemBlock::MallocedMemBlock",
    "_M_allocate",
    "__builtin_(vec_)?delete",
    "__builtin_(vec_)?new",
    "__gnu_cxx::new_allocator::allocate",
    "__libc_malloc",
    "__malloc_alloc_template::allocate",
    "allocate",
    "cpp_alloc",
    r"operator new(\[\])?",
    "simple_alloc::allocate",
];

const ALLOC_SKIP_RX: &[&str] = &[r"runtime\.panic", r"runtime\.reflectcall", r"runtime\.call[0-9]*"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mapping_entries_like_pprof() {
        match parse_mapping_entry("00400000-00fcb000: cppbench_server_main") {
            Entry::Mapping(m) => {
                assert_eq!((m.start, m.limit, m.file.as_str()), (0x400000, 0xfcb000, "cppbench_server_main"));
            }
            _ => panic!("brief map line not recognized"),
        }
        match parse_mapping_entry("7f5e541b7000-7f5e54375000 r-xp 00000000 fc:01 1180226 /lib/libc-2.15.so") {
            Entry::Mapping(m) => {
                assert_eq!((m.start, m.file.as_str(), m.offset), (0x7f5e541b7000, "/lib/libc-2.15.so", 0))
            }
            _ => panic!("proc maps line not recognized"),
        }
        assert!(matches!(
            parse_mapping_entry("7f5e541b7000-7f5e54375000 r--p 00000000 fc:01 1180226 /lib/x.so"),
            Entry::Skip
        ));
        assert!(matches!(parse_mapping_entry("build=abc"), Entry::Unrecognized));
    }

    #[test]
    fn go_parse_int_base0() {
        assert_eq!(parse_int_base0("3201000000"), Some(3201000000));
        assert_eq!(parse_int_base0("0x10"), Some(16));
        assert_eq!(parse_int_base0("010"), Some(8));
        assert_eq!(parse_int_base0("-5"), Some(-5));
        assert_eq!(parse_int_base0("99999999999999999999"), None);
        assert_eq!(parse_int_base0("x"), None);
    }

    #[test]
    fn symbol_lines() {
        let s = parse_symbol_line(b"#\t0x4b4479\tinternal/poll.(*pollDesc).waitRead+0x259\t/usr/lib/go/src/internal/poll/fd_poll_runtime.go:89").unwrap();
        assert_eq!(s.address, 0x4b4479);
        assert_eq!(s.function.as_deref(), Some("internal/poll.(*pollDesc).waitRead"));
        assert_eq!((s.file.as_str(), s.line), ("/usr/lib/go/src/internal/poll/fd_poll_runtime.go", 89));
        let s = parse_symbol_line(b"#\t0x0").unwrap();
        assert_eq!((s.address, s.function), (0, None));
        assert!(parse_symbol_line(b"# labels: {}").is_none());
        assert!(parse_symbol_line(b"# Alloc = 1").is_none());
    }
}

/// One record of a text profile being read: its values, its (already
/// adjusted) addresses and the `#` lines that followed it.
#[derive(Clone, Debug, Default)]
pub struct Record {
    pub values: Vec<i64>,
    pub addrs: Vec<u64>,
    pub labels: Vec<(String, String)>,
    pub num_labels: Vec<(String, i64)>,
    pub symbols: Vec<SymbolLine>,
}

impl LegacyProfile {
    /// Adds a record as a sample: its stack comes from the `#` symbol lines
    /// when there are any (they hide the runtime frames the text hides),
    /// otherwise from its addresses.
    pub fn add_record(&mut self, r: Record) {
        let locs = if !r.symbols.is_empty() && !r.addrs.is_empty() {
            self.symbolized_stack(&r.symbols)
        } else {
            r.addrs.iter().map(|&a| self.location_at(a)).collect()
        };
        self.samples.push(LSample { values: r.values, locs, labels: r.labels, num_labels: r.num_labels });
    }

    /// Adds the record being read, if any: a record's `#` symbol lines end
    /// only where the next record (or the input) starts.
    pub fn flush(&mut self, pending: &mut Option<Record>) {
        if let Some(r) = pending.take() {
            self.add_record(r);
        }
    }

    /// The end the record-based texts share (goroutine/threadcreate counts,
    /// heap, contention): the last record, an error when records were there
    /// but none could be read, then the trailing sections, pprof's frame info
    /// and the symbolized mappings.
    pub fn finish_records(
        mut self,
        pending: &mut Option<Record>,
        bad: usize,
        what: &str,
        current: Option<&[u8]>,
        rest: Lines,
        limits: &Limits,
    ) -> Result<Profile, DecodeError> {
        self.flush(pending);
        if self.samples.is_empty() && bad > 0 {
            return Err(DecodeError::new(
                Stage::Parsing,
                format!("{what} profile: no record could be read ({})", self.warnings[0]),
            ));
        }
        self.parse_additional_sections(current, rest);
        self.add_legacy_frame_info();
        self.mark_symbolized_mappings();
        self.into_profile(limits)
    }
}

/// Parses the `{"k":"v", "k2":"v2"}` of a `# labels:` line (Go-quoted strings).
pub fn parse_go_labels(s: &str) -> Option<Vec<(String, String)>> {
    let s = s.trim();
    let inner = s.strip_prefix('{')?.strip_suffix('}')?;
    let mut out = Vec::new();
    let b = inner.as_bytes();
    let mut i = 0;
    let skip_ws = |i: &mut usize| {
        while *i < b.len() && (b[*i] == b' ' || b[*i] == b',') {
            *i += 1;
        }
    };
    loop {
        skip_ws(&mut i);
        if i >= b.len() {
            break;
        }
        let (k, n) = go_unquote_prefix(&inner[i..])?;
        i += n;
        if b.get(i) != Some(&b':') {
            return None;
        }
        i += 1;
        let (v, n) = go_unquote_prefix(&inner[i..])?;
        i += n;
        out.push((k, v));
    }
    Some(out)
}

/// Reads one Go double-quoted string literal at the start of `s`; returns it
/// unquoted and the bytes consumed.
pub fn go_unquote_prefix(s: &str) -> Option<(String, usize)> {
    let b = s.as_bytes();
    if b.first() != Some(&b'"') {
        return None;
    }
    let mut bytes: Vec<u8> = Vec::new();
    let mut i = 1;
    while i < b.len() {
        match b[i] {
            b'"' => return Some((String::from_utf8_lossy(&bytes).into_owned(), i + 1)),
            b'\\' => {
                let c = *b.get(i + 1)?;
                i += 2;
                let simple = match c {
                    b'a' => Some(7u8),
                    b'b' => Some(8),
                    b'f' => Some(12),
                    b'n' => Some(b'\n'),
                    b'r' => Some(b'\r'),
                    b't' => Some(b'\t'),
                    b'v' => Some(11),
                    b'\\' => Some(b'\\'),
                    b'"' => Some(b'"'),
                    b'\'' => Some(b'\''),
                    _ => None,
                };
                if let Some(v) = simple {
                    bytes.push(v);
                    continue;
                }
                let hex = |n: usize, i: usize| -> Option<u32> {
                    let h = s.get(i..i + n)?;
                    u32::from_str_radix(h, 16).ok()
                };
                match c {
                    b'x' => {
                        bytes.push(hex(2, i)? as u8);
                        i += 2;
                    }
                    b'u' | b'U' => {
                        let n = if c == b'u' { 4 } else { 8 };
                        let ch = char::from_u32(hex(n, i)?)?;
                        let mut buf = [0u8; 4];
                        bytes.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
                        i += n;
                    }
                    b'0'..=b'7' => {
                        let o = s.get(i - 1..i + 2)?;
                        bytes.push(u8::from_str_radix(o, 8).ok()?);
                        i += 2;
                    }
                    _ => return None,
                }
            }
            c => {
                bytes.push(c);
                i += 1;
            }
        }
    }
    None
}

#[cfg(test)]
mod label_tests {
    use super::*;

    #[test]
    fn go_labels() {
        assert_eq!(
            parse_go_labels(r#"{"route":"inventory", "x":"a\"b\\c\u00e9"}"#).unwrap(),
            vec![("route".into(), "inventory".into()), ("x".into(), "a\"b\\c\u{e9}".into())]
        );
        assert_eq!(parse_go_labels("{}").unwrap(), vec![]);
        assert!(parse_go_labels(r#"{"a":"b"#).is_none());
    }
}
