//! Interning of short byte strings into dense ids, with the bytes copied into
//! one compact arena: comparing against an arena that fits in cache is much
//! cheaper than against the (large) input they came from.

pub struct BytesInterner {
    arena: Vec<u8>,
    /// (arena offset, length, id) per stored key.
    entries: Vec<(u32, u32, u32)>,
    /// Open addressing: `(hash tag << 32) | (entry index + 1)`, 0 = empty.
    /// Eight bytes a slot keeps the table in cache; the arena is touched
    /// only when the tag matches.
    slots: Vec<u64>,
}

#[inline]
fn hash_bytes(b: &[u8]) -> u64 {
    use std::hash::Hasher;
    let mut h = crate::util::hash::FxHasher::default();
    h.write(b);
    h.write_usize(b.len());
    // Fx's low bits are weak; mix before using them as a slot index.
    let x = h.finish();
    (x ^ (x >> 29)).wrapping_mul(0xbf58_476d_1ce4_e5b9) ^ (x >> 32)
}

impl Default for BytesInterner {
    fn default() -> Self {
        BytesInterner { arena: Vec::new(), entries: Vec::new(), slots: vec![0; 1024] }
    }
}

impl BytesInterner {
    /// The id stored for `key`, if any.
    #[inline]
    pub fn get(&self, key: &[u8]) -> Option<u32> {
        let h = hash_bytes(key);
        let tag = h >> 32;
        let mask = self.slots.len() - 1;
        let mut i = h as usize & mask;
        loop {
            let slot = self.slots[i];
            if slot == 0 {
                return None;
            }
            if slot >> 32 == tag {
                let (off, len, id) = self.entries[(slot as u32 - 1) as usize];
                if len as usize == key.len() && &self.arena[off as usize..off as usize + key.len()] == key {
                    return Some(id);
                }
            }
            i = (i + 1) & mask;
        }
    }

    /// Stores `id` for `key` (which must not be present yet).
    pub fn insert(&mut self, key: &[u8], id: u32) {
        if (self.entries.len() + 1) * 4 > self.slots.len() * 3 {
            self.grow();
        }
        let off = self.arena.len() as u32;
        self.arena.extend_from_slice(key);
        self.entries.push((off, key.len() as u32, id));
        let e = self.entries.len() as u64;
        self.place(hash_bytes(key), e);
    }

    fn place(&mut self, h: u64, entry_plus_one: u64) {
        let mask = self.slots.len() - 1;
        let mut i = h as usize & mask;
        while self.slots[i] != 0 {
            i = (i + 1) & mask;
        }
        self.slots[i] = ((h >> 32) << 32) | entry_plus_one;
    }

    fn grow(&mut self) {
        self.slots = vec![0; self.slots.len() * 2];
        for e in 0..self.entries.len() {
            let (off, len, _) = self.entries[e];
            let h = hash_bytes(&self.arena[off as usize..(off + len) as usize]);
            self.place(h, e as u64 + 1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interns() {
        let mut b = BytesInterner::default();
        for i in 0..5000u32 {
            let k = i.to_le_bytes();
            assert_eq!(b.get(&k), None);
            b.insert(&k, i);
        }
        for i in 0..5000u32 {
            assert_eq!(b.get(&i.to_le_bytes()), Some(i));
        }
        assert_eq!(b.get(b""), None);
        b.insert(b"", 7);
        assert_eq!(b.get(b""), Some(7));
    }
}
