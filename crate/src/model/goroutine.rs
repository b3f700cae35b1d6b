//! Per-goroutine records of a Go traceback (debug=2, panic, SIGQUIT, race
//! report), kept beside the profile: the profile counts goroutines per stack,
//! this table keeps what a count loses (ids, states, wait times, creators,
//! arguments, the text around the dump).

use super::{LabelSetId, StackId, StrId};

/// A byte range of [`GoroutineTable::text`]. Argument lists are mostly unique
/// pointer values: interning them as strings would cost more than the dump.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TextSpan {
    pub start: u32,
    pub len: u32,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Goroutine {
    /// The goroutine id (`goroutine 17 [...]`; 1 for a race report's "main goroutine").
    pub id: u64,
    /// `IO wait`, `select`, `chan receive`, `running`, ...
    pub state: StrId,
    /// `N minutes` from the header; None when the dump did not print it (< 1 minute).
    pub wait_minutes: Option<u32>,
    pub locked_to_thread: bool,
    /// The goroutine's stack in the profile's stack table (leaf first).
    pub stack: StackId,
    /// Argument text of each frame (what is between the parentheses), leaf
    /// first, parallel to the stack; see [`GoroutineTable::arg`].
    pub args: Vec<TextSpan>,
    /// `...additional frames elided...` (or `...N frames elided...`) was printed.
    pub frames_elided: bool,
    /// `goroutine running on other thread; stack unavailable`.
    pub stack_unavailable: bool,
    pub created_by: Option<CreatedBy>,
    /// `[originating from goroutine N]:` sections (GODEBUG=tracebackancestors), nearest first.
    pub ancestors: Vec<Ancestor>,
    /// Set when this record is one access of a race-detector report.
    pub race: Option<RaceAccess>,
    /// 1-based line of the goroutine's header in the input.
    pub line: u32,
    /// The label set of its sample in the profile: `state` and the pprof
    /// labels the header printed (Go 1.26 `labels:{…}`, Go 1.27 `{…}`).
    pub labels: LabelSetId,
    /// `(leaked)`: the runtime proved it can never run again (Go 1.26+).
    pub leaked: bool,
    /// `synctest bubble N` (Go 1.25+).
    pub bubble: Option<u64>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CreatedBy {
    pub function: StrId,
    pub file: StrId,
    pub line: i64,
    /// `created by F in goroutine N` (Go >= 1.21).
    pub parent_id: Option<u64>,
}

/// One frame of an ancestor's stack. Ancestors are rare (a GODEBUG setting),
/// so their frames are plain text rather than profile locations.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TextFrame {
    pub function: String,
    pub file: String,
    pub line: i64,
}

/// The creation stack of an earlier goroutine in the chain that started this one.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Ancestor {
    pub id: u64,
    pub frames: Vec<TextFrame>,
    pub frames_elided: bool,
    pub created_by: Option<TextFrame>,
}

/// One access of a `WARNING: DATA RACE` report.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RaceAccess {
    pub addr: u64,
    pub write: bool,
    /// The `Previous read/write` access (the other side of the race).
    pub previous: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GoroutineTable {
    pub goroutines: Vec<Goroutine>,
    /// Storage of every [`TextSpan`].
    pub text: String,
    /// Everything before the first goroutine (the panic message, log lines), verbatim.
    pub prefix: String,
    /// Text after the last goroutine that is not part of the dump (`exit status 2`), verbatim.
    pub suffix: String,
}

impl GoroutineTable {
    /// The argument text of frame `frame` (leaf = 0) of `g`, without parentheses.
    pub fn arg(&self, g: &Goroutine, frame: usize) -> &str {
        match g.args.get(frame) {
            Some(s) => self.span(*s),
            None => "",
        }
    }

    pub fn span(&self, s: TextSpan) -> &str {
        let start = s.start as usize;
        self.text.get(start..start + s.len as usize).unwrap_or("")
    }

    /// Appends `s` to the text storage.
    pub fn push_text(&mut self, s: &str) -> TextSpan {
        let start = self.text.len() as u32;
        self.text.push_str(s);
        TextSpan { start, len: s.len() as u32 }
    }
}
