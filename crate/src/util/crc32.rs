//! CRC-32 (IEEE, as gzip's trailer uses it).
//!
//! Natively crc32fast (SIMD). In wasm that crate falls back to slice-by-16
//! over 16 KB of constant tables, which are incompressible and were 4% of the
//! gzipped module; here the same checksum is computed slice-by-8 from tables
//! built once at run time (8 KB of heap, no bytes in the module).

use std::sync::OnceLock;

/// The CRC-32 of `data`.
pub fn hash(data: &[u8]) -> u32 {
    #[cfg(not(target_arch = "wasm32"))]
    {
        crc32fast::hash(data)
    }
    #[cfg(target_arch = "wasm32")]
    {
        slice_by_8(data)
    }
}

fn tables() -> &'static [[u32; 256]; 8] {
    static T: OnceLock<Box<[[u32; 256]; 8]>> = OnceLock::new();
    T.get_or_init(|| {
        let mut t = Box::new([[0u32; 256]; 8]);
        for i in 0..256u32 {
            let mut c = i;
            for _ in 0..8 {
                c = if c & 1 != 0 { 0xEDB8_8320 ^ (c >> 1) } else { c >> 1 };
            }
            t[0][i as usize] = c;
        }
        for i in 0..256 {
            for k in 1..8 {
                let prev = t[k - 1][i];
                t[k][i] = (prev >> 8) ^ t[0][(prev & 0xff) as usize];
            }
        }
        t
    })
}

/// Slice-by-8: eight table lookups per eight bytes.
pub fn slice_by_8(data: &[u8]) -> u32 {
    let t = tables();
    let mut crc = !0u32;
    let mut chunks = data.chunks_exact(8);
    for c in &mut chunks {
        let lo = crc ^ u32::from_le_bytes([c[0], c[1], c[2], c[3]]);
        crc = t[7][(lo & 0xff) as usize]
            ^ t[6][((lo >> 8) & 0xff) as usize]
            ^ t[5][((lo >> 16) & 0xff) as usize]
            ^ t[4][(lo >> 24) as usize]
            ^ t[3][c[4] as usize]
            ^ t[2][c[5] as usize]
            ^ t[1][c[6] as usize]
            ^ t[0][c[7] as usize];
    }
    for &b in chunks.remainder() {
        crc = (crc >> 8) ^ t[0][((crc ^ b as u32) & 0xff) as usize];
    }
    !crc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equals_crc32fast_at_every_length_and_alignment() {
        // The standard check value of CRC-32/ISO-HDLC.
        assert_eq!(slice_by_8(b"123456789"), 0xCBF4_3926);
        let data: Vec<u8> = (0..4096u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
        for start in 0..9 {
            for len in (0..200).chain([1000, 4000]) {
                let s = &data[start..(start + len).min(data.len())];
                assert_eq!(slice_by_8(s), crc32fast::hash(s), "start {start} len {len}");
            }
        }
        assert_eq!(hash(&data), crc32fast::hash(&data));
    }
}
