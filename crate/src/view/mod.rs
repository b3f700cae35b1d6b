//! profdrop's own views and analyses, beyond pprof's reports (`crate::report`):
//! the page's pictures (flame graph, call tree), the details panel,
//! comparisons, goroutine grouping and diffs, leak findings and exports.

pub mod calltree;
pub mod compare;
pub mod details;
pub mod export;
// Still to be split into named steps: `findings::transport_per_request` and
// `goroutine_diff::diff` run past the length limit (clippy.toml).
#[allow(clippy::too_many_lines)]
pub mod findings;
pub mod flame;
#[allow(clippy::too_many_lines)]
pub mod goroutine_diff;
pub mod goroutines;
pub mod sandwich;
pub mod single_dump;
