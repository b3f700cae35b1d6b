use super::{LocId, StackId};
use crate::util::hash::{hash_u32s, FxHashMap};

/// Deduplicated stacks of locations, leaf first (profile.proto's order).
/// Stored as one flat frame array plus offsets, so a million samples that
/// share ten thousand stacks cost ten thousand stacks.
#[derive(Clone, Debug)]
pub struct StackTable {
    frames: Vec<LocId>,
    /// `offsets[i]..offsets[i + 1]` are the frames of stack `i`.
    offsets: Vec<u32>,
    /// hash of frames -> first stack with that hash; collisions chain through `next`.
    by_hash: FxHashMap<u64, StackId>,
    next: Vec<u32>,
}

const NONE: u32 = u32::MAX;

impl Default for StackTable {
    fn default() -> Self {
        StackTable { frames: Vec::new(), offsets: vec![0], by_hash: FxHashMap::default(), next: Vec::new() }
    }
}

impl PartialEq for StackTable {
    fn eq(&self, other: &Self) -> bool {
        self.frames == other.frames && self.offsets == other.offsets
    }
}
impl Eq for StackTable {}

fn as_u32s(frames: &[LocId]) -> &[u32] {
    // SAFETY: LocId is a #[repr(transparent)]-equivalent newtype over u32 (a
    // single-field tuple struct); the cast only reinterprets the slice.
    unsafe { std::slice::from_raw_parts(frames.as_ptr() as *const u32, frames.len()) }
}

impl StackTable {
    pub fn len(&self) -> usize {
        self.offsets.len() - 1
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Total number of frames over all distinct stacks.
    pub fn frame_count(&self) -> usize {
        self.frames.len()
    }

    #[inline]
    pub fn get(&self, id: StackId) -> &[LocId] {
        let i = id.idx();
        &self.frames[self.offsets[i] as usize..self.offsets[i + 1] as usize]
    }

    pub fn iter(&self) -> impl Iterator<Item = (StackId, &[LocId])> {
        (0..self.len()).map(move |i| (StackId(i as u32), self.get(StackId(i as u32))))
    }

    /// The id of `frames`, adding it if new.
    pub fn intern(&mut self, frames: &[LocId]) -> StackId {
        let h = hash_u32s(as_u32s(frames));
        match self.by_hash.get(&h) {
            Some(&first) => {
                let mut cur = first.0;
                while cur != NONE {
                    if self.get(StackId(cur)) == frames {
                        return StackId(cur);
                    }
                    cur = self.next[cur as usize];
                }
                let id = self.push(frames);
                // Chain the new stack behind the head.
                let head = first.0 as usize;
                self.next[id.idx()] = self.next[head];
                self.next[head] = id.0;
                id
            }
            None => {
                let id = self.push(frames);
                self.by_hash.insert(h, id);
                id
            }
        }
    }

    fn push(&mut self, frames: &[LocId]) -> StackId {
        let id = StackId(self.len() as u32);
        self.frames.extend_from_slice(frames);
        self.offsets.push(self.frames.len() as u32);
        self.next.push(NONE);
        id
    }

    pub fn reserve(&mut self, stacks: usize, frames: usize) {
        self.offsets.reserve(stacks);
        self.next.reserve(stacks);
        self.frames.reserve(frames);
        self.by_hash.reserve(stacks);
    }
}
