//! Small pieces every layer uses: pprof's number and time formatting, the
//! string hash, CRC-32 and the one stable sort. Nothing here imports another
//! module of the crate.

pub mod crc32;
pub mod escape;
pub mod hash;
pub mod sha256;
pub mod sort;
pub mod timefmt;
pub mod units;
