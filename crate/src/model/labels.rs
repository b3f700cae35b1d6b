use super::{LabelSetId, StrId};
use crate::util::hash::FxHashMap;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct NumLabel {
    pub key: StrId,
    pub value: i64,
    /// `StrId(0)` when the producer gave no unit.
    pub unit: StrId,
}

/// The labels of one sample. pprof treats labels as a map from key to a list
/// of values; here pairs are kept sorted by key id (stable, so the values of
/// one key keep their order), which makes equal maps equal sets.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Default)]
pub struct LabelSet {
    pub strs: Vec<(StrId, StrId)>,
    pub nums: Vec<NumLabel>,
}

impl LabelSet {
    pub fn is_empty(&self) -> bool {
        self.strs.is_empty() && self.nums.is_empty()
    }

    // Once per sample while decoding, on a handful of labels: the standard
    // sort, allocation-free, is worth its two instantiations.
    #[allow(clippy::disallowed_methods)]
    pub fn canonicalize(&mut self) {
        self.strs.sort_by_key(|p| p.0);
        self.nums.sort_by_key(|n| n.key);
    }

    /// Values of string label `key`, in order.
    pub fn values(&self, key: StrId) -> impl Iterator<Item = StrId> + '_ {
        self.strs.iter().filter(move |p| p.0 == key).map(|p| p.1)
    }
}

/// Deduplicated label sets; id 0 is the empty set.
#[derive(Clone, Debug)]
pub struct LabelTable {
    sets: Vec<LabelSet>,
    index: FxHashMap<LabelSet, LabelSetId>,
}

impl Default for LabelTable {
    fn default() -> Self {
        LabelTable { sets: vec![LabelSet::default()], index: FxHashMap::default() }
    }
}

impl PartialEq for LabelTable {
    fn eq(&self, other: &Self) -> bool {
        self.sets == other.sets
    }
}

impl LabelTable {
    #[inline]
    pub fn get(&self, id: LabelSetId) -> &LabelSet {
        &self.sets[id.idx()]
    }

    pub fn len(&self) -> usize {
        self.sets.len()
    }

    pub fn is_empty(&self) -> bool {
        self.sets.len() <= 1
    }

    pub fn iter(&self) -> impl Iterator<Item = (LabelSetId, &LabelSet)> {
        self.sets.iter().enumerate().map(|(i, s)| (LabelSetId(i as u32), s))
    }

    /// Id of `set` (canonicalized first), adding it if new.
    pub fn intern(&mut self, mut set: LabelSet) -> LabelSetId {
        set.canonicalize();
        self.intern_canonical(&set)
    }

    /// Id of an already canonical `set`; clones it only when it is new.
    pub fn intern_canonical(&mut self, set: &LabelSet) -> LabelSetId {
        if set.is_empty() {
            return LabelSetId(0);
        }
        if let Some(&id) = self.index.get(set) {
            return id;
        }
        let id = LabelSetId(self.sets.len() as u32);
        self.sets.push(set.clone());
        self.index.insert(set.clone(), id);
        id
    }
}
