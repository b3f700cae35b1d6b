//! Views: pure functions from a profile (and options) to what is shown.
//! Each has a text renderer used by the CLI and by golden tests, or (for the
//! page's pictures: flame graph, call tree) columns the page draws.

pub mod calltree;
pub mod details;
pub mod flame;
pub mod graph;
pub mod peek_table;
pub mod report;
pub mod timefmt;
pub mod top;
pub mod units;
