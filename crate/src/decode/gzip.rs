//! Bounded gzip inflate (RFC 1952), multi-member like Go's gzip.Reader, with
//! CRC-32 and size checks. Output never grows past the cap: a bomb stops there.

use super::{DecodeError, Stage};
use miniz_oxide::inflate::core::{decompress, inflate_flags, DecompressorOxide};
use miniz_oxide::inflate::TINFLStatus;

/// gzip is recognised by its magic bytes only, never by a file name.
pub fn is_gzip(data: &[u8]) -> bool {
    data.len() >= 2 && data[0] == 0x1f && data[1] == 0x8b
}

/// The longest output one deflate input byte can produce (a run of 258-byte
/// matches costs about 1 bit each), used to bound the size hint.
const MAX_DEFLATE_RATIO: u64 = 1032;

fn err(offset: usize, msg: impl Into<String>) -> DecodeError {
    DecodeError::at_byte(Stage::Decompressing, offset, msg)
}

/// Parses one member header starting at `pos`; returns the offset of the deflate data.
fn parse_header(data: &[u8], pos: usize) -> Result<usize, DecodeError> {
    const FHCRC: u8 = 2;
    const FEXTRA: u8 = 4;
    const FNAME: u8 = 8;
    const FCOMMENT: u8 = 16;
    let eof = || err(data.len(), "gzip: unexpected EOF in the header");
    if data.len() < pos + 10 {
        return Err(eof());
    }
    if data[pos] != 0x1f || data[pos + 1] != 0x8b {
        return Err(err(pos, "gzip: invalid header"));
    }
    if data[pos + 2] != 8 {
        return Err(err(pos + 2, format!("gzip: unsupported compression method {}", data[pos + 2])));
    }
    let flags = data[pos + 3];
    let mut p = pos + 10;
    if flags & FEXTRA != 0 {
        if data.len() < p + 2 {
            return Err(eof());
        }
        let xlen = u16::from_le_bytes([data[p], data[p + 1]]) as usize;
        p += 2 + xlen;
        if p > data.len() {
            return Err(eof());
        }
    }
    for flag in [FNAME, FCOMMENT] {
        if flags & flag != 0 {
            match data[p..].iter().position(|&b| b == 0) {
                Some(n) => p += n + 1,
                None => return Err(eof()),
            }
        }
    }
    if flags & FHCRC != 0 {
        p += 2;
        if p > data.len() {
            return Err(eof());
        }
    }
    Ok(p)
}

fn cap_error(cap: u64) -> DecodeError {
    DecodeError::new(
        Stage::Decompressing,
        format!(
            "the decompressed profile is larger than the {} cap on inflated size; \
             raise the limit (CLI: --max_inflated=BYTES) if the file is genuine",
            human_bytes(cap)
        ),
    )
}

pub fn human_bytes(n: u64) -> String {
    const UNITS: [(&str, u64); 4] = [("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10), ("bytes", 1)];
    for (name, size) in UNITS {
        if n >= size && n.is_multiple_of(size) {
            return format!("{} {}", n / size, name);
        }
    }
    format!("{n} bytes")
}

/// Grows the output to `want` bytes, or says memory ran out (in the page's
/// engine an allocation can fail well below the cap).
fn grow(out: &mut Vec<u8>, want: usize, in_pos: usize) -> Result<(), DecodeError> {
    if out.try_reserve_exact(want - out.len()).is_err() {
        return Err(err(
            in_pos,
            format!(
                "out of memory: could not hold {} of decompressed data; lower the cap (CLI: --max_inflated=BYTES) or load the file with the CLI",
                human_bytes(want as u64)
            ),
        ));
    }
    out.resize(want, 0);
    Ok(())
}

/// Inflates every gzip member of `data` into one buffer of at most `cap` bytes.
pub fn inflate(data: &[u8], cap: u64) -> Result<Vec<u8>, DecodeError> {
    inflate_checked(data, cap, &mut |_| Ok(()))
}

/// The first output is produced in a small window and shown to `check`
/// before more is inflated (and again at every growth), so a bomb whose
/// content is not a profile stops after a megabyte, not at the cap. The
/// buffer never grows past `cap`.
pub fn inflate_checked(
    data: &[u8],
    cap: u64,
    check: &mut dyn FnMut(&[u8]) -> Result<(), String>,
) -> Result<Vec<u8>, DecodeError> {
    // No buffer may exceed isize::MAX bytes (2 GiB on wasm32): a larger cap
    // would overflow the Vec's capacity instead of stopping at the cap.
    let cap_usize = usize::try_from(cap).unwrap_or(usize::MAX).min(isize::MAX as usize);
    // ISIZE of the last member is a hint for the total (mod 2^32); it may lie,
    // so it only sizes the second allocation, bounded by what deflate can expand to.
    let hint = if data.len() >= 18 { u32::from_le_bytes(data[data.len() - 4..].try_into().unwrap()) as u64 } else { 0 };
    let bound = (data.len() as u64).saturating_mul(MAX_DEFLATE_RATIO).saturating_add(1 << 16);
    let hint = hint.min(bound).min(cap) as usize;
    let mut out: Vec<u8> = vec![0; (1usize << 20).min(cap_usize)];
    let mut out_pos = 0usize;
    let mut pos = 0usize;
    let flags = inflate_flags::TINFL_FLAG_USING_NON_WRAPPING_OUTPUT_BUF;
    loop {
        let body = parse_header(data, pos)?;
        let member_start = out_pos;
        let mut in_pos = body;
        let mut d = Box::<DecompressorOxide>::default();
        loop {
            let (status, n_in, n_out) = decompress(&mut d, &data[in_pos..], &mut out, out_pos, flags);
            in_pos += n_in;
            out_pos += n_out;
            match status {
                TINFLStatus::Done => break,
                TINFLStatus::HasMoreOutput => {
                    check(&out[..out_pos]).map_err(|why| {
                        err(
                            in_pos,
                            format!(
                                "{why}; stopped after inflating {} of the {} cap on inflated size",
                                human_bytes(out_pos as u64),
                                human_bytes(cap)
                            ),
                        )
                    })?;
                    if out.len() >= cap_usize {
                        return Err(cap_error(cap_usize as u64));
                    }
                    let want = out.len().saturating_mul(2).max(if hint > out.len() { hint } else { 0 }).min(cap_usize);
                    grow(&mut out, want, in_pos)?;
                }
                TINFLStatus::NeedsMoreInput | TINFLStatus::FailedCannotMakeProgress => {
                    return Err(err(in_pos, "gzip: unexpected EOF: the file is truncated"));
                }
                other => {
                    return Err(err(in_pos, format!("gzip: invalid deflate data ({other:?})")));
                }
            }
        }
        // Trailer: CRC-32 and ISIZE of this member.
        if data.len() < in_pos + 8 {
            return Err(err(data.len(), "gzip: unexpected EOF: the file is truncated before its checksum"));
        }
        let crc = u32::from_le_bytes(data[in_pos..in_pos + 4].try_into().unwrap());
        let size = u32::from_le_bytes(data[in_pos + 4..in_pos + 8].try_into().unwrap());
        let member = &out[member_start..out_pos];
        if crate::util::crc32::hash(member) != crc || (member.len() as u32) != size {
            return Err(err(in_pos, "gzip: invalid checksum: the file is corrupted"));
        }
        pos = in_pos + 8;
        if pos >= data.len() || data[pos..].iter().all(|&b| b == 0) {
            break;
        }
    }
    out.truncate(out_pos);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gz(payload: &[u8]) -> Vec<u8> {
        let deflated = miniz_oxide::deflate::compress_to_vec(payload, 6);
        let mut v = vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255];
        v.extend_from_slice(&deflated);
        v.extend_from_slice(&crate::util::crc32::hash(payload).to_le_bytes());
        v.extend_from_slice(&(payload.len() as u32).to_le_bytes());
        v
    }

    #[test]
    fn round_trip_and_multi_member() {
        let a = gz(b"hello ");
        let b = gz(b"world");
        assert_eq!(inflate(&a, 1 << 20).unwrap(), b"hello ");
        let mut both = a.clone();
        both.extend_from_slice(&b);
        assert_eq!(inflate(&both, 1 << 20).unwrap(), b"hello world");
    }

    #[test]
    fn cap_is_enforced_and_named() {
        let big = vec![0u8; 1 << 20];
        let z = gz(&big);
        let e = inflate(&z, 1000).unwrap_err();
        assert_eq!(e.stage, Stage::Decompressing);
        assert!(e.message.contains("cap"), "{e}");
        assert!(inflate(&z, 1 << 20).is_ok());
        assert!(inflate(&z, (1 << 20) - 1).is_err());
        let e = inflate(&z, (1 << 20) - 1).unwrap_err();
        assert!(e.message.contains("cap"), "{e}");
    }

    #[test]
    fn truncated_and_corrupt() {
        assert!(inflate(&[0x1f, 0x8b], 100).unwrap_err().message.contains("EOF"));
        let z = gz(b"some payload here");
        assert!(inflate(&z[..z.len() - 6], 100).is_err());
        let mut bad = z.clone();
        let n = bad.len();
        bad[n - 6] ^= 0xff;
        assert!(inflate(&bad, 100).unwrap_err().message.contains("checksum"));
    }

    #[test]
    fn the_check_stops_inflating_early() {
        let big = vec![0u8; 8 << 20];
        let z = gz(&big);
        let mut seen = 0;
        let e = inflate_checked(&z, 1 << 30, &mut |out| {
            seen = out.len();
            Err("not a profile".into())
        })
        .unwrap_err();
        assert_eq!(seen, 1 << 20, "stopped at the first window");
        assert!(e.message.contains("not a profile; stopped after inflating 1 MiB of the 1 GiB cap"), "{e}");
    }

    #[test]
    fn lying_size_hint_is_harmless() {
        let mut z = gz(b"tiny");
        let n = z.len();
        z[n - 4..].copy_from_slice(&u32::MAX.to_le_bytes());
        // The hint is bounded by the compressed size, and the size check catches the lie.
        assert!(inflate(&z, 1 << 30).unwrap_err().message.contains("checksum"));
    }
}
