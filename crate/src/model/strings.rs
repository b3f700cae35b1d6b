use super::StrId;
use crate::util::hash::FxHashMap;

/// Interned strings. Index 0 is always "". Strings from the input that are not
/// valid UTF-8 are kept with U+FFFD replacements: they are only ever displayed
/// and compared, never written back byte for byte.
#[derive(Clone, Debug)]
pub struct StringTable {
    strings: Vec<Box<str>>,
    /// Built on first `intern`; decoders that copy a string table as-is never pay for it.
    index: Option<FxHashMap<Box<str>, StrId>>,
}

impl Default for StringTable {
    fn default() -> Self {
        StringTable { strings: vec!["".into()], index: None }
    }
}

impl PartialEq for StringTable {
    fn eq(&self, other: &Self) -> bool {
        self.strings == other.strings
    }
}

impl StringTable {
    /// A table holding exactly `strings` in order (a pprof string table).
    /// The caller guarantees `strings[0] == ""`.
    pub fn from_vec(strings: Vec<Box<str>>) -> Self {
        debug_assert!(strings.first().is_some_and(|s| s.is_empty()));
        StringTable { strings, index: None }
    }

    #[inline]
    pub fn get(&self, id: StrId) -> &str {
        self.strings.get(id.idx()).map_or("", |s| s)
    }

    pub fn len(&self) -> usize {
        self.strings.len()
    }

    pub fn is_empty(&self) -> bool {
        self.strings.len() <= 1
    }

    /// Bytes held by the strings (for the string-table size limit).
    pub fn byte_size(&self) -> usize {
        self.strings.iter().map(|s| s.len()).sum()
    }

    pub fn iter(&self) -> impl Iterator<Item = &str> {
        self.strings.iter().map(|s| &**s)
    }

    pub fn intern(&mut self, s: &str) -> StrId {
        if s.is_empty() {
            return StrId(0);
        }
        if self.index.is_none() {
            let mut map = FxHashMap::default();
            map.reserve(self.strings.len());
            // First occurrence wins, so ids already handed out stay stable.
            for (i, s) in self.strings.iter().enumerate().rev() {
                map.insert(s.clone(), StrId(i as u32));
            }
            self.index = Some(map);
        }
        let index = self.index.as_mut().unwrap();
        if let Some(&id) = index.get(s) {
            return id;
        }
        let id = StrId(self.strings.len() as u32);
        self.strings.push(s.into());
        index.insert(s.into(), id);
        id
    }

    /// Id of `s` if it is already in the table.
    pub fn find(&self, s: &str) -> Option<StrId> {
        if s.is_empty() {
            return Some(StrId(0));
        }
        match &self.index {
            Some(index) => index.get(s).copied(),
            None => self.strings.iter().position(|x| &**x == s).map(|i| StrId(i as u32)),
        }
    }
}
