//! profdrop: decode and aggregate pprof profiles and Go runtime dumps, and
//! render pprof-compatible reports. The layering reads one way, each module
//! importing only those before it in this list:
//!
//! - `util`: formatting of pprof's units and times, hashing, CRC-32, the sort;
//! - `model`: the one `Profile`;
//! - `proto`: profile.proto as prost messages (encoding, and a cross-check of the decoder);
//! - `decode`: bytes to `Profile`;
//! - `transform`: `Profile` to `Profile` (merge, diff, filters, granularity);
//! - `load`: files to the profile a report uses (pprof's fetchProfiles);
//! - `report`: pprof's reports (top, tree, peek, traces, tags, dot, raw, ...);
//! - `view`: profdrop's own views and analyses (flame graph, call tree,
//!   comparisons, goroutines, findings, exports);
//! - `session`: the engine both front ends drive: loaded profiles, the
//!   cached report of the last query, comparisons, and every rule of how the
//!   page's views are made from them, returning plain Rust results;
//! - `cli` and, behind the `wasm` feature, `wasm`: the two front ends.
//!
//! `tests/layers.rs` holds every module to this order.

// Functions stay short enough to read: split a long one into named steps
// (the threshold is in clippy.toml).
#![warn(clippy::too_many_lines)]

pub mod cli;
pub mod decode;
pub mod load;
pub mod model;
pub mod proto;
pub mod report;
pub mod session;
pub mod transform;
pub mod util;
pub mod view;

#[cfg(feature = "wasm")]
pub mod wasm;
