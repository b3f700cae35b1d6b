//! A stable sort for report rows that compiles once.
//!
//! `slice::sort_by` is instantiated anew for every comparison closure, about
//! 8 KB of wasm each; with a few dozen report orders that was a quarter of
//! the module. Rows (nodes, groups, findings: thousands, not samples) are
//! sorted here instead: one merge sort over indices through a `dyn`
//! comparison, then the rows are moved into place. Same order as
//! `sort_by` (stable), so pprof's tie-breaking is kept.

use std::cmp::Ordering;

pub trait SortRows<T> {
    /// Stable sort by a comparison, like `sort_by`.
    fn sort_rows_by(&mut self, cmp: impl FnMut(&T, &T) -> Ordering);
    /// Stable sort by a key, like `sort_by_key`.
    fn sort_rows_by_key<K: Ord>(&mut self, mut key: impl FnMut(&T) -> K) {
        self.sort_rows_by(|a, b| key(a).cmp(&key(b)))
    }
}

impl<T> SortRows<T> for [T] {
    fn sort_rows_by(&mut self, mut cmp: impl FnMut(&T, &T) -> Ordering) {
        if self.len() < 2 {
            return;
        }
        let order = {
            let rows: &[T] = self;
            stable_order(rows.len(), &mut |a, b| cmp(&rows[a as usize], &rows[b as usize]))
        };
        permute(self, &order);
    }
}

/// The stable sorted order of `n` items compared by index: a bottom-up merge
/// sort (insertion-sorted runs of 16 first). Not generic: compiled once.
fn stable_order(n: usize, cmp: &mut dyn FnMut(u32, u32) -> Ordering) -> Vec<u32> {
    const RUN: usize = 16;
    let mut a: Vec<u32> = (0..n as u32).collect();
    for start in (0..n).step_by(RUN) {
        let end = (start + RUN).min(n);
        for i in start + 1..end {
            let mut j = i;
            while j > start && cmp(a[j - 1], a[j]) == Ordering::Greater {
                a.swap(j - 1, j);
                j -= 1;
            }
        }
    }
    let mut b = vec![0u32; n];
    let mut width = RUN;
    while width < n {
        for lo in (0..n).step_by(2 * width) {
            let mid = (lo + width).min(n);
            let hi = (lo + 2 * width).min(n);
            let (mut i, mut j) = (lo, mid);
            for slot in &mut b[lo..hi] {
                // Take from the right run only when strictly smaller: stable.
                if j < hi && (i >= mid || cmp(a[j], a[i]) == Ordering::Less) {
                    *slot = a[j];
                    j += 1;
                } else {
                    *slot = a[i];
                    i += 1;
                }
            }
        }
        std::mem::swap(&mut a, &mut b);
        width *= 2;
    }
    a
}

/// Moves `v[order[k]]` to position `k`, following each cycle with swaps.
fn permute<T>(v: &mut [T], order: &[u32]) {
    let mut done = vec![false; v.len()];
    for i in 0..v.len() {
        if done[i] {
            continue;
        }
        let mut j = i;
        loop {
            done[j] = true;
            let next = order[j] as usize;
            if next == i {
                break;
            }
            v.swap(j, next);
            j = next;
        }
    }
}

#[cfg(test)]
#[allow(clippy::disallowed_methods)] // the standard sort is the reference here
mod tests {
    use super::*;

    /// A small deterministic generator (no dependency needed).
    fn xorshift(seed: &mut u64) -> u64 {
        *seed ^= *seed << 13;
        *seed ^= *seed >> 7;
        *seed ^= *seed << 17;
        *seed
    }

    #[test]
    fn same_order_as_the_standard_stable_sort_ties_included() {
        let mut seed = 0x9e3779b97f4a7c15u64;
        for n in [0usize, 1, 2, 3, 15, 16, 17, 31, 32, 33, 100, 1000, 4097] {
            for modulus in [1u64, 3, 50, 1 << 40] {
                // (key, original position): equal keys must keep their order.
                let v: Vec<(u64, usize)> = (0..n).map(|i| (xorshift(&mut seed) % modulus, i)).collect();
                let mut want = v.clone();
                want.sort_by_key(|a| a.0);
                let mut got = v.clone();
                got.sort_rows_by(|a, b| a.0.cmp(&b.0));
                assert_eq!(got, want, "n={n} modulus={modulus}");
                let mut got = v.clone();
                got.sort_rows_by_key(|x| std::cmp::Reverse(x.0));
                let mut want = v;
                want.sort_by_key(|x| std::cmp::Reverse(x.0));
                assert_eq!(got, want, "n={n} modulus={modulus} by key");
            }
        }
    }

    #[test]
    fn moves_owned_rows_without_cloning() {
        let mut v: Vec<String> = ["d", "b", "a", "c", "b"].iter().map(|s| s.to_string()).collect();
        v.sort_rows_by(|a, b| a.cmp(b));
        assert_eq!(v, ["a", "b", "b", "c", "d"]);
    }
}
