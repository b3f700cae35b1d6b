//! profdrop's own views and analyses, beyond pprof's reports (`crate::report`):
//! the page's pictures (flame graph, call tree), the details panel,
//! comparisons, goroutine grouping and diffs, leak findings and exports.

pub mod calltree;
pub mod compare;
pub mod details;
pub mod export;
pub mod findings;
pub mod flame;
pub mod goroutine_diff;
pub mod goroutines;
