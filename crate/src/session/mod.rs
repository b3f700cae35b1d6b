//! The engine behind both front ends: a `Session` owns the loaded profiles,
//! their names and file dates, the loads under way, the report of the last
//! query and the last comparison, and every rule of how the page's views are
//! computed from them. It is plain Rust: the CLI and the native tests call it
//! as the page does through `wasm.rs`, which only converts arguments and
//! results.
//!
//! - `loading`: loads in steps (`begin_load`, `inflate`, `finish_load`),
//!   summaries, details, removal, file dates.
//! - `reports`: the views of a query (`ids`, `Options`): top table, flame
//!   graph, call tree, peek, call graph, tags; the report of the last query
//!   is kept, so switching views or expanding tree nodes does not recompute it.
//! - `comparisons`: two profiles compared (diff top table, differential flame
//!   graph, new and gone stacks), growth over N snapshots, comparable groups.
//! - `goroutines`: the Goroutines view, the goroutine diff, leak findings.
//! - `sharing`: the tables as CSV or Markdown, profiles as pprof bytes,
//!   redacted copies.
//!
//! Results are serde-`Serialize` structs. Large ones are columns: [`F64s`],
//! [`U32s`], [`U8s`] (typed arrays on the page) and [`StrCol`] (one string and
//! UTF-16 offsets). Numbers are formatted here, with pprof's units. A handle
//! that names nothing is an [`Error`], never a panic.

mod columns;
mod comparisons;
mod goroutines;
mod loading;
mod reports;
mod sharing;
#[cfg(feature = "test-trap")]
mod testhooks;

pub use columns::{F64s, StrCol, U32s, U8s};
pub use comparisons::{
    CompareDescription, CompareGroup, DefaultMode, DiffFlameView, DiffTopView, GrowthView, StackChangeRow,
    StackChangesView,
};
pub use goroutines::{FindingsView, GoroutineDiffView, GoroutinesView};
pub use loading::{FileTime, Summary};
pub use reports::{
    DotView, FlameSearch, FlameView, Formatted, Header, PeekEdge, PeekEntry, PeekView, TagKeyView, TagsView, TopView,
    TreeChildren, TreeParent,
};

use crate::decode::Limits;
use crate::model::Profile;
use crate::util::hash::FxHashMap;

/// What went wrong, as one sentence naming the stage ("parsing profile: ... (at byte N)").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error(pub String);

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

pub type Result<T> = std::result::Result<T, Error>;

/// What the page says when the engine stops on a panic: a sentence, not
/// Rust's "panicked at /rustc/…/raw_vec/mod.rs" (`payload` is the panic's
/// own message, without its source location).
pub fn panic_sentence(payload: &str) -> String {
    let memory = ["capacity overflow", "memory allocation", "out of memory", "allocation failed"];
    if memory.iter().any(|m| payload.contains(m)) {
        "the engine ran out of memory (a file needs more than the page's engine can hold; the CLI has no such limit)"
            .to_string()
    } else {
        let short: String = payload.chars().take(200).collect();
        format!("an internal error in the engine: {short}")
    }
}

pub(crate) fn err(msg: impl std::fmt::Display) -> Error {
    Error(msg.to_string())
}

/// A loaded file: its name (the `file` label of a merge with provenance) and profile.
struct Loaded {
    name: String,
    /// The file's size in bytes, as read.
    size: usize,
    profile: Profile,
}

pub struct Session {
    /// By handle; `None` once removed (handles are never reused).
    loaded: Vec<Option<Loaded>>,
    pending: Vec<Option<loading::Pending>>,
    limits: Limits,
    /// Modification dates (ns since the epoch) of files whose profile has no time.
    file_times: FxHashMap<u32, i64>,
    /// The merged profile of the last `ids` asked for.
    source: Option<(Vec<u32>, Profile)>,
    /// The reports (and views computed from them) of the last few queries,
    /// most recent last: the sandwich view draws two queries side by side.
    prepared: Vec<reports::Prepared>,
    /// The last comparison and what was computed from it.
    comparison: Option<comparisons::Prepared>,
}

impl Default for Session {
    fn default() -> Self {
        Self::new()
    }
}

impl Session {
    pub fn new() -> Session {
        Session::with_limits(Limits::default())
    }

    /// A session whose decoders stop at `limits`.
    pub fn with_limits(limits: Limits) -> Session {
        Session {
            loaded: Vec::new(),
            pending: Vec::new(),
            limits,
            file_times: Default::default(),
            source: None,
            prepared: Vec::new(),
            comparison: None,
        }
    }

    /// The handles of the loaded profiles, in load order.
    pub fn ids(&self) -> Vec<u32> {
        (0..self.loaded.len() as u32).filter(|&i| self.loaded[i as usize].is_some()).collect()
    }

    fn entry(&self, id: u32) -> Result<&Loaded> {
        self.loaded
            .get(id as usize)
            .and_then(|p| p.as_ref())
            .ok_or_else(|| err(format!("no loaded profile with id {id}")))
    }

    /// The loaded profile `id`.
    pub fn profile(&self, id: u32) -> Result<&Profile> {
        self.entry(id).map(|l| &l.profile)
    }

    /// The file name profile `id` was loaded from.
    pub fn name(&self, id: u32) -> Result<&str> {
        self.entry(id).map(|l| l.name.as_str())
    }
}

/// The search box's pattern (pprof's regular expression syntax); "" is no search.
fn compile(pattern: &str) -> Result<Option<regex::Regex>> {
    if pattern.is_empty() {
        return Ok(None);
    }
    regex::Regex::new(pattern).map(Some).map_err(|e| err(format!("failed to compile regexp {pattern}: {e}")))
}

/// For each name, whether `re` matches it (no pattern: `empty`).
fn matches<'a>(re: &Option<regex::Regex>, names: impl Iterator<Item = &'a str>, empty: bool) -> U8s {
    matches_either(re, names, &SystemNames::default(), empty)
}

/// [`matches`], where a name also matches when one of the system names it
/// was demangled from does (`_ZN6__tsan8SlotLockE…` finds `__tsan::SlotLock`).
fn matches_either<'a>(
    re: &Option<regex::Regex>,
    names: impl Iterator<Item = &'a str>,
    sys: &SystemNames,
    empty: bool,
) -> U8s {
    let hit =
        |re: &regex::Regex, n: &str| re.is_match(n) || sys.0.get(n).is_some_and(|v| v.iter().any(|s| re.is_match(s)));
    U8s(names.map(|n| re.as_ref().map_or(empty, |re| hit(re, n)) as u8).collect())
}

/// The names functions are shown by, with the different system names they
/// were demangled (or simplified) from.
#[derive(Default)]
pub(crate) struct SystemNames(FxHashMap<String, Vec<String>>);

impl SystemNames {
    fn of(p: &Profile) -> SystemNames {
        let mut m: FxHashMap<String, Vec<String>> = FxHashMap::default();
        for f in &p.functions {
            let (name, sys) = (p.str(f.name), p.str(f.system_name));
            if !sys.is_empty() && name != sys {
                let v = m.entry(name.to_string()).or_default();
                if !v.iter().any(|s| s == sys) {
                    v.push(sys.to_string());
                }
            }
        }
        SystemNames(m)
    }
}
