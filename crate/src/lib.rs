//! profdrop: decode and aggregate pprof profiles and Go runtime dumps, and
//! render pprof-compatible reports. The layering is one-directional:
//! `decode` -> `model::Profile` -> `transform` -> `view`; `wasm` (behind the
//! `wasm` feature) is the only boundary to JavaScript.

pub mod cli;
pub mod crc32;
pub mod decode;
pub mod hash;
pub mod load;
pub mod model;
pub mod proto;
pub mod sort;
pub mod transform;
pub mod view;

#[cfg(feature = "wasm")]
pub mod wasm;
