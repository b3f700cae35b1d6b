//! Building a [`Profile`] piece by piece, deduplicating functions, locations,
//! mappings, stacks and label sets with pprof's own keys (profile/merge.go), so
//! text decoders and merges agree on what "the same location" means.

use super::*;
use crate::util::hash::FxHashMap;
use std::sync::Arc;

#[derive(Clone, PartialEq, Eq, Hash)]
struct FunctionKey {
    start_line: i64,
    name: StrId,
    system_name: StrId,
    filename: StrId,
}

#[derive(Clone, PartialEq, Eq, Hash)]
struct LocationKey {
    /// Address relative to the mapping start (or absolute without a mapping).
    addr: u64,
    mapping: u32,
    lines: Vec<(u32, i64, i64)>,
    is_folded: bool,
}

#[derive(Clone, PartialEq, Eq, Hash)]
struct MappingKey {
    size: u64,
    offset: u64,
    build_id_or_file: StrId,
}

pub struct ProfileBuilder {
    pub p: Profile,
    functions: FxHashMap<FunctionKey, FuncId>,
    locations: FxHashMap<LocationKey, LocId>,
    mappings: FxHashMap<MappingKey, MapId>,
}

impl Default for ProfileBuilder {
    fn default() -> Self {
        Self::new()
    }
}

impl ProfileBuilder {
    pub fn new() -> Self {
        Self::from_header(Profile::default())
    }

    /// Continue from a profile whose samples/locations/functions/mappings are
    /// empty (e.g. [`Profile::clone_without_samples`] with cleared tables).
    pub fn from_header(p: Profile) -> Self {
        ProfileBuilder {
            p,
            functions: FxHashMap::default(),
            locations: FxHashMap::default(),
            mappings: FxHashMap::default(),
        }
    }

    #[inline]
    pub fn intern(&mut self, s: &str) -> StrId {
        self.p.strings.intern(s)
    }

    pub fn add_sample_type(&mut self, r#type: &str, unit: &str) {
        let vt = ValueType { r#type: self.intern(r#type), unit: self.intern(unit) };
        self.p.sample_types.push(vt);
    }

    pub fn set_period_type(&mut self, r#type: &str, unit: &str) {
        self.p.period_type = ValueType { r#type: self.intern(r#type), unit: self.intern(unit) };
    }

    /// A function with these fields, shared with any identical one.
    pub fn function(&mut self, name: StrId, system_name: StrId, filename: StrId, start_line: i64) -> FuncId {
        let key = FunctionKey { start_line, name, system_name, filename };
        if let Some(&id) = self.functions.get(&key) {
            return id;
        }
        let id = FuncId(self.p.functions.len() as u32);
        self.p.functions.push(Function { id: id.0 as u64 + 1, name, system_name, filename, start_line });
        self.functions.insert(key, id);
        id
    }

    /// Function by name only (Go text dumps: system name = name).
    pub fn function_named(&mut self, name: &str, filename: &str) -> FuncId {
        let n = self.intern(name);
        let f = self.intern(filename);
        self.function(n, n, f, 0)
    }

    /// A mapping, shared with an equal one by pprof's mapping key (size
    /// rounded to 4 KiB, file offset, build id or file name).
    pub fn mapping(&mut self, m: Mapping) -> MapId {
        let size = m.limit.wrapping_sub(m.start).wrapping_add(0xfff);
        let size = size - size % 0x1000;
        let build_id_or_file = if m.build_id != StrId(0) { m.build_id } else { m.file };
        let key = MappingKey { size, offset: m.offset, build_id_or_file };
        if let Some(&id) = self.mappings.get(&key) {
            return id;
        }
        let id = MapId(self.p.mappings.len() as u32);
        self.p.mappings.push(Mapping { id: id.0 as u64 + 1, ..m });
        self.mappings.insert(key, id);
        id
    }

    /// A location, shared with an equal one (same mapping-relative address,
    /// lines and folding).
    pub fn location(&mut self, mapping: Option<MapId>, address: u64, lines: &[Line], is_folded: bool) -> LocId {
        let (addr, mapping_key) = match mapping {
            Some(m) => (address.wrapping_sub(self.p.mappings[m.idx()].start), m.0 + 1),
            None => (address, 0),
        };
        let key = LocationKey {
            addr,
            mapping: mapping_key,
            lines: lines.iter().map(|l| (l.function.0, l.line, l.column)).collect(),
            is_folded,
        };
        if let Some(&id) = self.locations.get(&key) {
            return id;
        }
        let id = LocId(self.p.locations.len() as u32);
        self.p.locations.push(Location { id: id.0 as u64 + 1, mapping, address, lines: lines.to_vec(), is_folded });
        self.locations.insert(key, id);
        id
    }

    #[inline]
    pub fn stack(&mut self, frames: &[LocId]) -> StackId {
        Arc::make_mut(&mut self.p.stacks).intern(frames)
    }

    #[inline]
    pub fn labels(&mut self, set: LabelSet) -> LabelSetId {
        Arc::make_mut(&mut self.p.label_sets).intern(set)
    }

    #[inline]
    pub fn sample(&mut self, stack: StackId, labels: LabelSetId, values: &[i64]) {
        self.p.push_sample(stack, labels, values);
    }

    pub fn finish(self) -> Profile {
        self.p
    }
}
