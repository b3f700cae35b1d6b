//! gperftools' binary CPU profile (pprof's parseCPU): a header of five words
//! `0, 3, 0|1, period (µs), 0` in 32- or 64-bit, little- or big-endian words,
//! then records `count, depth, pc...` up to the `0, 1, 0` trailer, then the
//! text memory map. Header word 3 is 0 for C++ and 1 for Java (whose symbol
//! table follows the records, see `legacy_java`).

use super::legacy::{LSample, LegacyProfile};
use super::lines::Lines;
use super::{legacy_java, DecodeError, Limits, Stage};
use crate::model::{Profile, SourceFormat};
use crate::util::hash::FxHashMap;

#[derive(Clone, Copy)]
enum Word {
    L32,
    B32,
    L64,
    B64,
}

impl Word {
    fn size(self) -> usize {
        match self {
            Word::L32 | Word::B32 => 4,
            Word::L64 | Word::B64 => 8,
        }
    }

    /// The word at the start of `b`, or None when `b` is too short.
    fn get(self, b: &[u8]) -> Option<u64> {
        let n = self.size();
        let w = b.get(..n)?;
        Some(match self {
            Word::L32 => u32::from_le_bytes(w.try_into().unwrap()) as u64,
            Word::B32 => u32::from_be_bytes(w.try_into().unwrap()) as u64,
            Word::L64 => u64::from_le_bytes(w.try_into().unwrap()),
            Word::B64 => u64::from_be_bytes(w.try_into().unwrap()),
        })
    }
}

/// (word format, java, period in µs) when `data` starts with a CPU profile header.
fn header(data: &[u8]) -> Option<(Word, bool, u64)> {
    for w in [Word::L32, Word::B32, Word::L64, Word::B64] {
        let n = w.size();
        let words: Option<Vec<u64>> = (0..5).map(|i| w.get(data.get(i * n..)?)).collect();
        let Some(h) = words else { continue };
        if h[0] == 0 && h[1] == 3 && h[3] > 0 && h[4] == 0 && (h[2] == 0 || h[2] == 1) {
            return Some((w, h[2] == 1, h[3]));
        }
    }
    None
}

pub fn sniff(data: &[u8]) -> bool {
    header(data).is_some()
}

pub fn decode(data: &[u8], limits: &Limits) -> Result<Profile, DecodeError> {
    let (word, java, period_us) =
        header(data).ok_or_else(|| DecodeError::new(Stage::Parsing, "no CPU profile header"))?;
    let mut p = LegacyProfile::new(if java { SourceFormat::LegacyJava } else { SourceFormat::LegacyCpu });
    p.period = (period_us as i64).wrapping_mul(1000);
    p.period_type = ("cpu".into(), "nanoseconds".into());
    p.sample_type("samples", "count");
    p.sample_type("cpu", "nanoseconds");
    let body_start = 5 * word.size();
    let (rest, locs) = parse_samples(data, body_start, word, !java, &mut p)?;
    if java {
        legacy_java::parse_locations(rest, &locs, &mut p);
        legacy_java::aggregate_addresses(&mut p);
    } else {
        strip_signal_frames(&mut p);
        p.parse_memory_map(Lines::new(rest));
        p.cleanup_duplicate_locations();
    }
    p.add_legacy_frame_info();
    p.into_profile(limits)
}

/// pprof's parseCPUSamples: records up to the trailer; returns the bytes
/// after it and the location of each address. With `adjust`, every address
/// but the leaf is moved back by one onto its call instruction.
fn parse_samples<'a>(
    data: &'a [u8],
    mut pos: usize,
    word: Word,
    adjust: bool,
    p: &mut LegacyProfile,
) -> Result<(&'a [u8], FxHashMap<u64, u32>), DecodeError> {
    let n = word.size();
    let mut locs: FxHashMap<u64, u32> = FxHashMap::default();
    let bad = |pos: usize, why: &str| DecodeError::at_byte(Stage::Parsing, pos, format!("legacy CPU profile: {why}"));
    while pos < data.len() {
        let at = pos;
        let (Some(count), Some(depth)) = (word.get(&data[pos..]), data.get(pos + n..).and_then(|b| word.get(b))) else {
            return Err(bad(at, "truncated record"));
        };
        pos += 2 * n;
        let left = data.len() - pos;
        if depth > (left / 4) as u64 {
            return Err(bad(at, &format!("record of {depth} addresses, longer than the rest of the file")));
        }
        let depth = depth as usize;
        let mut addrs = Vec::with_capacity(depth);
        for _ in 0..depth {
            let a = word.get(&data[pos..]).ok_or_else(|| bad(at, "truncated record"))?;
            addrs.push(a);
            pos += n;
        }
        if count == 0 && depth == 1 && addrs[0] == 0 {
            // The trailer.
            return Ok((&data[pos..], locs));
        }
        let mut sloc = Vec::with_capacity(depth);
        for (i, mut a) in addrs.into_iter().enumerate() {
            if adjust && i > 0 {
                a = a.wrapping_sub(1);
            }
            let id = p.location_at(a);
            locs.insert(a, id);
            sloc.push(id);
        }
        let count = count as i64;
        p.samples.push(LSample { values: vec![count, count.wrapping_mul(p.period)], locs: sloc, ..Default::default() });
    }
    Ok((&data[data.len()..], locs))
}

/// When almost every sample has the same second frame, it is the signal
/// handler's frame, not the program's: remove it (up to twice), as pprof does.
fn strip_signal_frames(p: &mut LegacyProfile) {
    let margin = p.samples.len() / 32;
    for _ in 0..2 {
        let mut counts: FxHashMap<u64, usize> = FxHashMap::default();
        for s in &p.samples {
            if s.locs.len() > 1 {
                *counts.entry(p.locations[s.locs[1] as usize].address).or_default() += 1;
            }
        }
        // At most one address can reach this count.
        let Some((&addr, _)) = counts.iter().find(|(_, &c)| c >= p.samples.len() - margin) else {
            continue;
        };
        let locations = &p.locations;
        for s in &mut p.samples {
            if s.locs.len() > 1 && locations[s.locs[1] as usize].address == addr {
                s.locs.remove(1);
            }
        }
    }
}
