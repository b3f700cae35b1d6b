//! Views: pure functions from a profile (and options) to what is shown.
//! Each has a text renderer used by the CLI and by golden tests, or (for the
//! page's pictures: flame graph, call tree) columns the page draws.

pub mod callgrind;
pub mod calltree;
pub mod comments;
pub mod compare;
pub mod details;
pub mod dot;
pub mod export;
pub mod findings;
pub mod flame;
pub mod goroutine_diff;
pub mod goroutines;
pub mod graph;
pub mod peek;
pub mod raw;
pub mod report;
pub mod tags;
pub mod timefmt;
pub mod top;
pub mod traces;
pub mod tree;
pub mod units;
