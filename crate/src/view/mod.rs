//! Views: pure functions from a profile (and options) to what is shown.
//! Each has a text renderer used by the CLI and by golden tests.

pub mod compare;
pub mod export;
pub mod findings;
pub mod goroutine_diff;
pub mod goroutines;
pub mod graph;
pub mod raw;
pub mod report;
pub mod timefmt;
pub mod top;
pub mod units;
