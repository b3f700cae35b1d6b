//! Per-goroutine records of a Go traceback (debug=2, panic, SIGQUIT), kept
//! beside the profile: the profile counts goroutines per stack, this table
//! keeps what a count loses (ids, states, wait times, creators, arguments).

use super::{StackId, StrId};

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Goroutine {
    pub id: u64,
    /// `IO wait`, `select`, `chan receive`, `running`, ...
    pub state: StrId,
    /// `N minutes` from the header; None when the dump did not print it (< 1 minute).
    pub wait_minutes: Option<u32>,
    pub locked_to_thread: bool,
    /// The goroutine's stack in the profile's stack table (leaf first).
    pub stack: StackId,
    /// Argument text of each frame, leaf first, parallel to the stack.
    pub args: Vec<StrId>,
    /// `...additional frames elided...` (or `...N frames elided...`) was printed.
    pub frames_elided: bool,
    /// `goroutine running on other thread; stack unavailable`.
    pub stack_unavailable: bool,
    pub created_by: Option<CreatedBy>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CreatedBy {
    pub function: StrId,
    pub file: StrId,
    pub line: i64,
    /// `created by F in goroutine N` (Go >= 1.21).
    pub parent_id: Option<u64>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GoroutineTable {
    pub goroutines: Vec<Goroutine>,
}
