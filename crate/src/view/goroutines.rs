//! The Goroutines view: one row per group of goroutines with the same stack,
//! for goroutine profiles in any format (binary, debug=1 text, debug=2 and
//! crash tracebacks).
//!
//! - Tracebacks carry one record per goroutine (id, state, wait, arguments,
//!   creator): goroutines group as panicparse buckets them — the same frames
//!   (function, file, line), the same creator, the same elided/unavailable
//!   flags, and arguments that are equal at the chosen [`Similarity`]. Unlike
//!   panicparse, the state does not split a group: a row lists its states
//!   with counts (goroutines on one stack that just woke up stay with the
//!   ones still waiting).
//! - Profiles carry counts per stack and labels: goroutines group by their
//!   frames (function, file, line, inlined frames expanded); states are
//!   derived from the runtime frames ([`derived_state`]), labels are listed
//!   with counts.
//!
//! Each group can say why it did not merge with its nearest neighbour: the
//! group sharing the most frames with it from the root (creator first) or
//! from the leaf; the first frame or field where the two differ, walking from
//! that end, is the reason.
//!
//! Known healthy background goroutines can be folded into one row by the
//! documented [`BACKGROUND_RULES`].

use crate::model::kind::{classify, ProfileKind};
use crate::model::names::{derived_state, first_user_frame, is_stdlib};
use crate::model::{Profile, SourceFormat, StackId, StrId};
use crate::transform::{self, TransformError};
use crate::util::hash::FxHashMap;
use crate::util::sort::SortRows;
use std::cmp::Ordering;

/// How alike goroutines' arguments must be to share a group (tracebacks
/// only: profiles carry no arguments). panicparse's levels, by name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Similarity {
    /// Every argument value equal (panicparse's `ExactLines`).
    Exact,
    /// Values that look like pointers may differ, other values must be equal
    /// (panicparse's `AnyPointer`, its default). A value is pointer-like when
    /// it is above [`POINTER_FLOOR`] and below 2^63 - 1. Unlike panicparse,
    /// values the runtime marks as possibly inaccurate (`0x1?`, Go >= 1.18:
    /// read from registers after the call) may differ too: they are noise.
    #[default]
    Pointers,
    /// Any value may differ; only the shape of the argument lists counts:
    /// the number of arguments, aggregates `{...}` and elided `...`
    /// (panicparse's `AnyValue`).
    Args,
}

/// panicparse's pointer floor: values above 512 KiB are taken for pointers.
pub const POINTER_FLOOR: u64 = 512 * 1024;

impl Similarity {
    pub fn parse(s: &str) -> Option<Similarity> {
        match s {
            "exact" => Some(Similarity::Exact),
            "pointers" => Some(Similarity::Pointers),
            "args" => Some(Similarity::Args),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Similarity::Exact => "exact",
            Similarity::Pointers => "pointers",
            Similarity::Args => "args",
        }
    }

    pub fn describe(self) -> &'static str {
        match self {
            Similarity::Exact => "argument values must be equal",
            Similarity::Pointers => "pointer-like (above 512 KiB) and inaccurate (`?`) argument values may differ",
            Similarity::Args => "argument values may differ",
        }
    }
}

/// Options of the view. Defaults: pointer-like values ignored (panicparse's
/// default), background not folded (idle server connections can be part of a
/// leak on the serving side: folding hides them, so the user asks for it).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct Options {
    pub similarity: Similarity,
    pub fold_background: bool,
}

// ---------------------------------------------------------------------------
// Output.

#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
pub struct Site {
    pub function: String,
    pub file: String,
    pub line: i64,
}

/// One frame of a group's stack, leaf first.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Frame {
    pub function: String,
    pub file: String,
    pub line: i64,
    /// The argument list as printed (tracebacks), with `*` where the group's
    /// goroutines differ.
    pub args: Option<String>,
}

#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct StateCount {
    pub state: String,
    pub count: i64,
}

#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct LabelCount {
    pub key: String,
    pub value: String,
    pub count: i64,
}

/// Why a group did not merge with its nearest group.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct NotMerged {
    /// The `id` of the nearest group.
    pub neighbour: usize,
    /// `created_by`, `function`, `line`, `args`, `depth`, `frames_elided` or `stack_unavailable`.
    pub field: &'static str,
    /// Index (leaf = 0) in this group's frames of the first differing frame.
    pub frame: Option<usize>,
    pub this: String,
    pub other: String,
    pub text: String,
}

#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct GoroutineGroup {
    /// Position in the unfolded order (stable under folding; `NotMerged::neighbour` refers to it).
    pub id: usize,
    pub count: i64,
    /// Of all goroutines in the profile.
    pub share: f64,
    /// Most frequent first.
    pub states: Vec<StateCount>,
    /// Shortest and longest wait in minutes (tracebacks; under a minute counts as 0).
    pub wait_minutes: Option<[u32; 2]>,
    pub locked_to_thread: i64,
    pub created_by: Option<Site>,
    /// The first frame from the leaf outside the standard library and runtime.
    pub first_user_frame: Option<String>,
    /// The function the goroutine started in (outermost frame, `runtime.goexit` skipped).
    pub entry: Option<String>,
    pub labels: Vec<LabelCount>,
    pub frames: Vec<Frame>,
    pub frames_elided: bool,
    pub stack_unavailable: bool,
    /// Goroutine ids, ascending (tracebacks).
    pub ids: Vec<u64>,
    /// Holds the dump's first goroutine (in a crash, the one that panicked).
    pub first: bool,
    /// The background rule it matches, folded or not.
    pub background: Option<&'static str>,
    pub not_merged: Option<NotMerged>,
}

/// A rule that recognises a known healthy background goroutine. A group
/// matches when every stated condition holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct BackgroundRule {
    pub id: &'static str,
    pub title: &'static str,
    /// The outermost function (`runtime.goexit` skipped) is one of these; empty: any.
    pub entry: &'static [&'static str],
    /// Every one of these functions is on the stack.
    pub all_of: &'static [&'static str],
    /// At least one of these is on the stack; empty: no condition.
    pub any_of: &'static [&'static str],
    /// Every frame is in the standard library or runtime (no user code runs there).
    pub stdlib_only: bool,
    pub why: &'static str,
}

pub const BACKGROUND_RULES: &[BackgroundRule] = &[
    BackgroundRule {
        id: "http-accept-loop",
        title: "HTTP server accept loop",
        entry: &[],
        all_of: &["net/http.(*Server).Serve"],
        any_of: &["internal/poll.(*FD).Accept", "net.(*TCPListener).Accept", "net.(*UnixListener).Accept"],
        stdlib_only: false,
        why: "one per listening http.Server, waiting for the next connection",
    },
    BackgroundRule {
        id: "http-idle-server-connection",
        title: "HTTP server connection waiting for a request",
        entry: &["net/http.(*conn).serve"],
        all_of: &["net/http.(*conn).readRequest"],
        any_of: &[],
        stdlib_only: true,
        why: "one per open client connection, reading the next request (keep-alive); many of them mean many \
              clients keep connections open — the leak may be on the clients' side",
    },
    BackgroundRule {
        id: "signal-loop",
        title: "os/signal delivery loop",
        entry: &["os/signal.loop"],
        all_of: &[],
        any_of: &[],
        stdlib_only: true,
        why: "started once by signal.Notify",
    },
    BackgroundRule {
        id: "runtime-worker",
        title: "Runtime worker",
        entry: &[
            "runtime.ensureSigM",
            "runtime.forcegchelper",
            "runtime.bgsweep",
            "runtime.bgscavenge",
            "runtime.runfinq",
            "runtime.gcBgMarkWorker",
            "runtime.timerproc",
        ],
        all_of: &[],
        any_of: &[],
        stdlib_only: true,
        why: "started by the runtime (signal masks, GC, finalizers); a finalizer running user code does not match",
    },
    BackgroundRule {
        id: "profiling",
        title: "The profiler itself",
        entry: &[],
        all_of: &[],
        any_of: &[
            "runtime/pprof.writeGoroutineStacks",
            "runtime/pprof.writeRuntimeProfile",
            "runtime/pprof.profileWriter",
        ],
        stdlib_only: false,
        why: "the request that wrote this dump, or a CPU profile being recorded",
    },
];

#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct BackgroundRow {
    pub count: i64,
    pub share: f64,
    /// Goroutines per rule, in rule order (rules that matched nothing left out).
    pub by_rule: Vec<StateCount>,
    /// The folded groups, for expanding the row.
    pub groups: Vec<GoroutineGroup>,
}

/// One row of the roll-up by creation site.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct CreatorRow {
    /// `created_by` (the `go` statement's site, tracebacks) or `entry` (the
    /// function the goroutines started in: profiles, and goroutines without a creator).
    pub basis: &'static str,
    pub function: String,
    /// Empty for `entry` rows.
    pub file: String,
    pub line: i64,
    pub count: i64,
    pub share: f64,
    pub groups: usize,
    pub states: Vec<StateCount>,
}

#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct GoroutinesView {
    pub source_format: SourceFormat,
    /// Per-goroutine records were available (ids, arguments, waits, creators).
    pub tracebacks: bool,
    pub similarity: Similarity,
    pub total: i64,
    /// Groups before folding.
    pub group_count: usize,
    /// Count first; in a crash, the group of the goroutine that panicked first.
    pub groups: Vec<GoroutineGroup>,
    /// Present when folding was asked for and something matched.
    pub background: Option<BackgroundRow>,
    pub background_rules: &'static [BackgroundRule],
    pub by_creator: Vec<CreatorRow>,
    pub notes: Vec<String>,
}

// ---------------------------------------------------------------------------
// Arguments: what the runtime prints between a frame's parentheses.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tok<'a> {
    Open,
    Close,
    /// `...`: the list was cut.
    Elided,
    /// `_`: the argument's frame offset was too large to print.
    Offset,
    /// A number (hex or decimal) and its text (with a trailing `?` when inaccurate).
    Value(u64, &'a str),
    /// A number marked `?`: possibly inaccurate.
    Inaccurate(u64, &'a str),
    /// Anything else (not printed by the runtime), compared as text.
    Text(&'a str),
}

fn tokenize<'a>(args: &'a str, out: &mut Vec<Tok<'a>>) {
    out.clear();
    let b = args.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'{' => {
                out.push(Tok::Open);
                i += 1;
            }
            b'}' => {
                out.push(Tok::Close);
                i += 1;
            }
            b',' | b' ' | b'\t' => i += 1,
            _ => {
                let start = i;
                while i < b.len() && !matches!(b[i], b'{' | b'}' | b',' | b' ' | b'\t') {
                    i += 1;
                }
                let w = &args[start..i];
                out.push(match w {
                    "..." => Tok::Elided,
                    "_" => Tok::Offset,
                    _ => match parse_value(w) {
                        Some(v) if w.ends_with('?') => Tok::Inaccurate(v, w),
                        Some(v) => Tok::Value(v, w),
                        None => Tok::Text(w),
                    },
                });
            }
        }
    }
}

fn parse_value(w: &str) -> Option<u64> {
    let w = w.strip_suffix('?').unwrap_or(w);
    match w.strip_prefix("0x").or_else(|| w.strip_prefix("0X")) {
        Some(h) => u64::from_str_radix(h, 16).ok(),
        None if !w.is_empty() && w.bytes().all(|c| c.is_ascii_digit()) => w.parse().ok(),
        None => None,
    }
}

fn is_pointer(v: u64) -> bool {
    v > POINTER_FLOOR && v < (i64::MAX as u64)
}

/// Appends the canonical form of one frame's arguments at `sim`: equal bytes
/// for argument lists that panicparse's `similar` takes for alike.
fn encode_args(toks: &[Tok], sim: Similarity, out: &mut Vec<u8>) {
    for t in toks {
        match (*t, sim) {
            (Tok::Open, _) => out.push(1),
            (Tok::Close, _) => out.push(2),
            (Tok::Elided, _) => out.push(3),
            (_, Similarity::Args) => out.push(9),
            (Tok::Offset, _) => out.push(4),
            (Tok::Value(v, _), Similarity::Pointers) if is_pointer(v) => out.push(6),
            (Tok::Inaccurate(..), Similarity::Pointers) => out.push(6),
            (Tok::Value(v, _) | Tok::Inaccurate(v, _), _) => {
                out.push(5);
                out.extend_from_slice(&v.to_le_bytes());
            }
            (Tok::Text(s), _) => {
                out.push(7);
                out.extend_from_slice(&(s.len() as u32).to_le_bytes());
                out.extend_from_slice(s.as_bytes());
            }
        }
    }
    out.push(0);
}

/// An argument as shown for a group: the first goroutine's, `*` once another differs.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Shown {
    Open,
    Close,
    Word(String, Option<u64>),
    Star,
}

fn same_word(text: &str, v: Option<u64>, t: &Tok) -> bool {
    match (v, t) {
        (Some(v), Tok::Value(w, _) | Tok::Inaccurate(w, _)) => v == *w,
        (None, Tok::Text(w)) => text == *w,
        (None, Tok::Offset) => text == "_",
        (None, Tok::Elided) => text == "...",
        _ => false,
    }
}

fn shown(toks: &[Tok]) -> Vec<Shown> {
    toks.iter()
        .map(|t| match *t {
            Tok::Open => Shown::Open,
            Tok::Close => Shown::Close,
            Tok::Elided => Shown::Word("...".into(), None),
            Tok::Offset => Shown::Word("_".into(), None),
            Tok::Value(v, s) | Tok::Inaccurate(v, s) => Shown::Word(s.to_string(), Some(v)),
            Tok::Text(s) => Shown::Word(s.to_string(), None),
        })
        .collect()
}

/// panicparse's merge: arguments that differ become `*`.
fn merge_shown(into: &mut [Shown], toks: &[Tok]) {
    for (s, t) in into.iter_mut().zip(toks) {
        let differs = match s {
            Shown::Word(text, v) => !same_word(text, *v, t),
            _ => false,
        };
        if differs {
            *s = Shown::Star;
        }
    }
}

fn render_args(items: &[Shown]) -> String {
    let mut out = String::new();
    let mut need_sep = false;
    for it in items {
        match it {
            Shown::Close => {
                out.push('}');
                need_sep = true;
                continue;
            }
            _ if need_sep => out.push_str(", "),
            _ => {}
        }
        match it {
            Shown::Open => {
                out.push('{');
                need_sep = false;
            }
            Shown::Word(s, _) => {
                out.push_str(s);
                need_sep = true;
            }
            Shown::Star => {
                out.push('*');
                need_sep = true;
            }
            Shown::Close => unreachable!(),
        }
    }
    out
}

// ---------------------------------------------------------------------------
// Grouping, shared with the goroutine diff.

/// One frame of a group's identity: where it is and its arguments' canonical form.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) struct SigFrame {
    pub function: String,
    pub file: String,
    pub line: i64,
    pub args: Vec<u8>,
}

/// What makes goroutines one group, independent of the dump it came from
/// (so groups of two dumps can be matched).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) struct Signature {
    pub created_by: Option<Site>,
    /// Leaf first.
    pub frames: Vec<SigFrame>,
    pub frames_elided: bool,
    pub stack_unavailable: bool,
}

impl Signature {
    fn same_creator(&self, o: &Signature) -> bool {
        self.created_by.is_some() && self.created_by == o.created_by
    }

    /// Root-first order: creator, then the outermost frame inwards.
    fn root_cmp(&self, o: &Signature) -> Ordering {
        self.created_by
            .cmp(&o.created_by)
            .then_with(|| cmp_frames(self.frames.iter().rev(), o.frames.iter().rev()))
            .then_with(|| self.flags().cmp(&o.flags()))
    }

    /// Leaf-first order: the innermost frame outwards, then the creator.
    fn leaf_cmp(&self, o: &Signature) -> Ordering {
        cmp_frames(self.frames.iter(), o.frames.iter())
            .then_with(|| self.created_by.cmp(&o.created_by))
            .then_with(|| self.flags().cmp(&o.flags()))
    }

    fn flags(&self) -> (bool, bool) {
        (self.frames_elided, self.stack_unavailable)
    }

    /// Likeness from the root: two points per shared frame (and for a shared
    /// creator), one more when the next frames are in the same function;
    /// 0 when the creators differ.
    fn common_root(&self, o: &Signature) -> usize {
        if self.created_by != o.created_by {
            return 0;
        }
        2 * self.same_creator(o) as usize + shared(self.frames.iter().rev(), o.frames.iter().rev())
    }

    /// Likeness from the leaf, scored as [`Signature::common_root`].
    fn common_leaf(&self, o: &Signature) -> usize {
        shared(self.frames.iter(), o.frames.iter())
    }
}

fn shared<'a>(mut a: impl Iterator<Item = &'a SigFrame>, mut b: impl Iterator<Item = &'a SigFrame>) -> usize {
    let mut score = 0;
    while let (Some(x), Some(y)) = (a.next(), b.next()) {
        if x != y {
            return score + (x.function == y.function) as usize;
        }
        score += 2;
    }
    score
}

fn cmp_frames<'a>(a: impl Iterator<Item = &'a SigFrame>, b: impl Iterator<Item = &'a SigFrame>) -> Ordering {
    let key = |f: &'a SigFrame| (&f.function, &f.file, f.line, &f.args);
    a.map(key).cmp(b.map(key))
}

/// A group as computed, before it is shown.
pub(crate) struct RawGroup {
    pub sig: Signature,
    /// Argument lists as shown, per frame (tracebacks).
    shown: Vec<Vec<Shown>>,
    pub count: i64,
    pub states: FxHashMap<String, i64>,
    pub labels: FxHashMap<(String, String), i64>,
    /// Indices into the goroutine table (tracebacks), in dump order.
    pub members: Vec<u32>,
    pub wait: Option<(u32, u32)>,
    pub locked: i64,
    /// First goroutine (dump order) or first sample of the group.
    pub first_index: usize,
}

impl RawGroup {
    fn new(sig: Signature, first_index: usize) -> Self {
        RawGroup {
            sig,
            shown: Vec::new(),
            count: 0,
            states: FxHashMap::default(),
            labels: FxHashMap::default(),
            members: Vec::new(),
            wait: None,
            locked: 0,
            first_index,
        }
    }

    pub fn names(&self) -> Vec<&str> {
        self.sig.frames.iter().map(|f| f.function.as_str()).collect()
    }

    fn args_text(&self, frame: usize) -> Option<String> {
        self.shown.get(frame).map(|s| render_args(s))
    }
}

pub(crate) struct Grouping {
    pub groups: Vec<RawGroup>,
    pub total: i64,
    pub tracebacks: bool,
    /// A crash dump: the first goroutine is the one that failed.
    pub crash: bool,
}

fn site(p: &Profile, function: StrId, file: StrId, line: i64) -> Site {
    Site { function: p.str(function).to_string(), file: p.str(file).to_string(), line }
}

/// The frames of a stack, leaf first, inlined frames expanded.
fn sig_frames(p: &Profile, stack: StackId) -> Vec<SigFrame> {
    let mut v = Vec::new();
    for &l in p.stacks.get(stack) {
        for line in &p.location(l).lines {
            let f = p.function(line.function);
            v.push(SigFrame {
                function: p.str(f.name).to_string(),
                file: p.str(f.filename).to_string(),
                line: line.line,
                args: Vec::new(),
            });
        }
    }
    v
}

pub(crate) fn is_goroutine_profile(p: &Profile) -> Result<(), TransformError> {
    if classify(p) != ProfileKind::Goroutine {
        return Err(TransformError(format!(
            "the goroutines view needs a goroutine profile; this is a {} profile",
            classify(p).as_str()
        )));
    }
    Ok(())
}

/// Groups the goroutines of `p` (see the module comment for the rules).
pub(crate) fn group(p: &Profile, similarity: Similarity) -> Result<Grouping, TransformError> {
    is_goroutine_profile(p)?;
    match &p.goroutines {
        Some(t) if !t.goroutines.is_empty() => Ok(group_tracebacks(p, t, similarity)),
        _ => group_samples(p),
    }
}

fn group_tracebacks(p: &Profile, t: &crate::model::goroutine::GoroutineTable, sim: Similarity) -> Grouping {
    type Key = (StackId, Option<(StrId, StrId, i64)>, u8, Vec<u8>);
    let mut index: FxHashMap<Key, usize> = FxHashMap::default();
    let mut groups: Vec<RawGroup> = Vec::new();
    let mut toks: Vec<Tok> = Vec::new();
    let mut frame_toks: Vec<Vec<Tok>> = Vec::new();
    let mut buf: Vec<u8> = Vec::new();
    // End of each frame's canonical bytes in `buf`.
    let mut bounds: Vec<usize> = Vec::new();
    for (gi, g) in t.goroutines.iter().enumerate() {
        let depth = p.stacks.get(g.stack).len();
        buf.clear();
        bounds.clear();
        if frame_toks.len() < depth {
            frame_toks.resize_with(depth, Vec::new);
        }
        for (f, ft) in frame_toks.iter_mut().enumerate().take(depth) {
            tokenize(t.arg(g, f), &mut toks);
            encode_args(&toks, sim, &mut buf);
            bounds.push(buf.len());
            ft.clear();
            ft.extend_from_slice(&toks);
        }
        let created = g.created_by.as_ref().map(|c| (c.function, c.file, c.line));
        let flags = (g.frames_elided as u8) | ((g.stack_unavailable as u8) << 1);
        let key: Key = (g.stack, created, flags, std::mem::take(&mut buf));
        let at = match index.get(&key) {
            Some(&i) => {
                buf = key.3;
                for (s, ft) in groups[i].shown.iter_mut().zip(&frame_toks) {
                    merge_shown(s, ft);
                }
                i
            }
            None => {
                let mut frames = sig_frames(p, g.stack);
                let mut start = 0;
                for (f, &end) in frames.iter_mut().zip(&bounds) {
                    f.args = key.3[start..end].to_vec();
                    start = end;
                }
                let sig = Signature {
                    created_by: g.created_by.as_ref().map(|c| site(p, c.function, c.file, c.line)),
                    frames,
                    frames_elided: g.frames_elided,
                    stack_unavailable: g.stack_unavailable,
                };
                let mut rg = RawGroup::new(sig, gi);
                rg.shown = frame_toks.iter().take(depth).map(|ft| shown(ft)).collect();
                groups.push(rg);
                index.insert(key, groups.len() - 1);
                groups.len() - 1
            }
        };
        let rg = &mut groups[at];
        rg.count += 1;
        rg.members.push(gi as u32);
        *rg.states.entry(p.str(g.state).to_string()).or_insert(0) += 1;
        let w = g.wait_minutes.unwrap_or(0);
        rg.wait = Some(match rg.wait {
            Some((lo, hi)) => (lo.min(w), hi.max(w)),
            None => (w, w),
        });
        rg.locked += g.locked_to_thread as i64;
        // The header's pprof labels (Go 1.26+); `state` is shown as the state.
        for &(k, v) in &p.label_sets.get(g.labels).strs {
            let key = p.str(k);
            if key != "state" {
                *rg.labels.entry((key.to_string(), p.str(v).to_string())).or_insert(0) += 1;
            }
        }
    }
    let total = groups.iter().map(|g| g.count).sum();
    let prefix = &t.prefix;
    let crash = prefix.contains("panic: ") || prefix.contains("fatal error: ") || prefix.contains("SIGQUIT");
    Grouping { groups, total, tracebacks: true, crash }
}

fn group_samples(p: &Profile) -> Result<Grouping, TransformError> {
    let index = transform::sample_index(p, "")?;
    let mut by_stack: FxHashMap<StackId, usize> = FxHashMap::default();
    let mut by_sig: FxHashMap<Signature, usize> = FxHashMap::default();
    let mut groups: Vec<RawGroup> = Vec::new();
    // Tracebacks without their table (several dumps merged) keep the state as
    // a label; their locations have no addresses, unlike any profile's.
    let state_label = p.source_format == SourceFormat::GoroutineDebug2
        || (p.source_format == SourceFormat::Derived
            && p.locations.iter().all(|l| l.address == 0 && l.mapping.is_none()));
    for i in 0..p.samples.len() {
        let v = p.sample_values(i)[index];
        if v == 0 {
            continue;
        }
        if v < 0 {
            return Err(TransformError(
                "the goroutines view needs counts, not a difference of profiles (compare goroutine profiles with the goroutine diff)".into(),
            ));
        }
        let stack = p.samples.stacks[i];
        let at = match by_stack.get(&stack) {
            Some(&g) => g,
            None => {
                let sig = Signature {
                    created_by: None,
                    frames: sig_frames(p, stack),
                    frames_elided: false,
                    stack_unavailable: false,
                };
                let g = match by_sig.get(&sig) {
                    Some(&g) => g,
                    None => {
                        groups.push(RawGroup::new(sig.clone(), i));
                        by_sig.insert(sig, groups.len() - 1);
                        groups.len() - 1
                    }
                };
                by_stack.insert(stack, g);
                g
            }
        };
        let labels = p.sample_labels(i);
        let mut state = None;
        let rg = &mut groups[at];
        rg.count += v;
        for &(k, val) in &labels.strs {
            if state_label && p.str(k) == "state" {
                state = Some(p.str(val).to_string());
                continue;
            }
            *rg.labels.entry((p.str(k).to_string(), p.str(val).to_string())).or_insert(0) += v;
        }
        for n in &labels.nums {
            let unit = p.str(n.unit);
            let text = if unit.is_empty() { n.value.to_string() } else { format!("{} {unit}", n.value) };
            *rg.labels.entry((p.str(n.key).to_string(), text)).or_insert(0) += v;
        }
        let state = state.unwrap_or_else(|| derived_state(&rg.names()).to_string());
        *rg.states.entry(state).or_insert(0) += v;
    }
    let total = groups.iter().map(|g| g.count).sum();
    Ok(Grouping { groups, total, tracebacks: false, crash: false })
}

impl Grouping {
    /// Count first, then dump order; in a crash the failing goroutine's group leads.
    pub fn sort(&mut self) {
        let crash = self.crash && self.tracebacks;
        self.groups.sort_rows_by(|a, b| {
            let fa = crash && a.first_index == 0;
            let fb = crash && b.first_index == 0;
            fb.cmp(&fa).then_with(|| b.count.cmp(&a.count)).then_with(|| a.first_index.cmp(&b.first_index))
        });
    }
}

// ---------------------------------------------------------------------------
// The view.

fn sorted_counts(m: &FxHashMap<String, i64>) -> Vec<StateCount> {
    let mut v: Vec<StateCount> = m.iter().map(|(s, &c)| StateCount { state: s.clone(), count: c }).collect();
    v.sort_rows_by(|a, b| b.count.cmp(&a.count).then_with(|| a.state.cmp(&b.state)));
    v
}

/// The outermost function, `runtime.goexit` skipped; None for an elided or empty stack.
fn entry_of(g: &RawGroup) -> Option<String> {
    if g.sig.frames_elided {
        return None;
    }
    g.sig.frames.iter().rev().map(|f| &f.function).find(|f| f.as_str() != "runtime.goexit").cloned()
}

pub(crate) fn background_rule(g: &RawGroup) -> Option<&'static BackgroundRule> {
    let names = g.names();
    if names.is_empty() {
        return None;
    }
    let entry = entry_of(g);
    BACKGROUND_RULES.iter().find(|r| {
        (r.entry.is_empty() || entry.as_deref().is_some_and(|e| r.entry.contains(&e)))
            && r.all_of.iter().all(|f| names.contains(f))
            && (r.any_of.is_empty() || r.any_of.iter().any(|f| names.contains(f)))
            && (!r.stdlib_only || names.iter().all(|f| is_stdlib(f)))
    })
}

/// A group as shown.
pub(crate) fn public_group(g: &RawGroup, id: usize, total: i64, p: &Profile) -> GoroutineGroup {
    let names = g.names();
    let mut labels: Vec<LabelCount> =
        g.labels.iter().map(|((k, v), &c)| LabelCount { key: k.clone(), value: v.clone(), count: c }).collect();
    labels.sort_rows_by(|a, b| b.count.cmp(&a.count).then_with(|| (&a.key, &a.value).cmp(&(&b.key, &b.value))));
    let mut ids: Vec<u64> = match &p.goroutines {
        Some(t) => g.members.iter().map(|&m| t.goroutines[m as usize].id).collect(),
        None => Vec::new(),
    };
    ids.sort_unstable();
    GoroutineGroup {
        id,
        count: g.count,
        share: if total > 0 { g.count as f64 / total as f64 } else { 0.0 },
        states: sorted_counts(&g.states),
        wait_minutes: g.wait.map(|(a, b)| [a, b]),
        locked_to_thread: g.locked,
        created_by: g.sig.created_by.clone(),
        first_user_frame: first_user_frame(&names).map(|s| s.to_string()),
        entry: entry_of(g),
        labels,
        frames: g
            .sig
            .frames
            .iter()
            .enumerate()
            .map(|(i, f)| Frame {
                function: f.function.clone(),
                file: f.file.clone(),
                line: f.line,
                args: g.args_text(i),
            })
            .collect(),
        frames_elided: g.sig.frames_elided,
        stack_unavailable: g.sig.stack_unavailable,
        ids,
        first: g.members.first() == Some(&0),
        background: background_rule(g).map(|r| r.id),
        not_merged: None,
    }
}

fn site_text(s: &Site) -> String {
    format!("{} {}:{}", s.function, s.file, s.line)
}

/// The first difference between `a` and its nearest group `b`, walking
/// from the root (creator first) or from the leaf.
fn not_merged(a: &RawGroup, b: &RawGroup, b_id: usize, from_root: bool) -> Option<NotMerged> {
    let nm = |field, frame, this: String, other: String, text: String| NotMerged {
        neighbour: b_id,
        field,
        frame,
        this,
        other,
        text,
    };
    let creator = || {
        let show = |s: &Option<Site>| s.as_ref().map_or("(no creator)".to_string(), site_text);
        let (x, y) = (show(&a.sig.created_by), show(&b.sig.created_by));
        nm("created_by", None, x.clone(), y.clone(), format!("created by {x}, not {y}"))
    };
    if from_root && a.sig.created_by != b.sig.created_by {
        return Some(creator());
    }
    let (la, lb) = (a.sig.frames.len(), b.sig.frames.len());
    for k in 0..la.min(lb) {
        let (i, j) = if from_root { (la - 1 - k, lb - 1 - k) } else { (k, k) };
        let (fa, fb) = (&a.sig.frames[i], &b.sig.frames[j]);
        if fa.function != fb.function {
            let text = format!("frame {i} from the leaf is {}, not {}", fa.function, fb.function);
            return Some(nm("function", Some(i), fa.function.clone(), fb.function.clone(), text));
        }
        if fa.file != fb.file || fa.line != fb.line {
            let (x, y) = (format!("{}:{}", fa.file, fa.line), format!("{}:{}", fb.file, fb.line));
            return Some(nm("line", Some(i), x.clone(), y.clone(), format!("{} at {x}, not {y}", fa.function)));
        }
        if fa.args != fb.args {
            let x = a.args_text(i).unwrap_or_default();
            let y = b.args_text(j).unwrap_or_default();
            let text = format!("arguments of {} differ: ({x}) here, ({y}) there", fa.function);
            return Some(nm("args", Some(i), x, y, text));
        }
    }
    if la != lb {
        let toward = if from_root { "toward the leaf" } else { "toward the root" };
        let text = if la > lb {
            // The first of this group's extra frames.
            let extra = if from_root { &a.sig.frames[la - lb - 1] } else { &a.sig.frames[lb] };
            format!("{} more frame{} {toward} ({})", la - lb, if la - lb == 1 { "" } else { "s" }, extra.function)
        } else {
            format!("{} fewer frame{} {toward}", lb - la, if lb - la == 1 { "" } else { "s" })
        };
        return Some(nm("depth", None, la.to_string(), lb.to_string(), text));
    }
    if a.sig.created_by != b.sig.created_by {
        return Some(creator());
    }
    if a.sig.frames_elided != b.sig.frames_elided {
        let t = |e| if e { "frames elided" } else { "complete" }.to_string();
        return Some(nm(
            "frames_elided",
            None,
            t(a.sig.frames_elided),
            t(b.sig.frames_elided),
            "one stack has frames elided".into(),
        ));
    }
    if a.sig.stack_unavailable != b.sig.stack_unavailable {
        let t = |e| if e { "unavailable" } else { "available" }.to_string();
        return Some(nm(
            "stack_unavailable",
            None,
            t(a.sig.stack_unavailable),
            t(b.sig.stack_unavailable),
            "one stack is unavailable".into(),
        ));
    }
    None
}

/// For each group (in `groups` order), its nearest group and whether they
/// share their root (else their leaf): the neighbour, in root-first or
/// leaf-first order, that shares the most frames with it (a shared creator
/// counts as one). Adjacent entries of a sorted list share the longest
/// prefixes, so two sorts find it. None when it shares nothing, not even a
/// function at either end.
fn nearest(groups: &[RawGroup]) -> Vec<Option<(usize, bool)>> {
    let mut best: Vec<(usize, Option<(usize, bool)>)> = vec![(0, None); groups.len()];
    for from_root in [true, false] {
        let mut order: Vec<usize> = (0..groups.len()).collect();
        if from_root {
            order.sort_rows_by(|&a, &b| groups[a].sig.root_cmp(&groups[b].sig));
        } else {
            order.sort_rows_by(|&a, &b| groups[a].sig.leaf_cmp(&groups[b].sig));
        }
        for (pos, &g) in order.iter().enumerate() {
            let candidates = [pos.checked_sub(1).map(|q| order[q]), order.get(pos + 1).copied()];
            for o in candidates.into_iter().flatten() {
                let (s, t) = (&groups[g].sig, &groups[o].sig);
                let score = if from_root { s.common_root(t) } else { s.common_leaf(t) };
                if score > best[g].0 {
                    best[g] = (score, Some((o, from_root)));
                }
            }
        }
    }
    best.into_iter().map(|b| b.1).collect()
}

/// Builds the Goroutines view of a goroutine profile.
pub fn build(p: &Profile, opts: &Options) -> Result<GoroutinesView, TransformError> {
    let mut grouping = group(p, opts.similarity)?;
    grouping.sort();
    let total = grouping.total;
    let near = nearest(&grouping.groups);
    let mut all: Vec<GoroutineGroup> = Vec::with_capacity(grouping.groups.len());
    for (i, g) in grouping.groups.iter().enumerate() {
        let mut pg = public_group(g, i, total, p);
        pg.not_merged = near[i].and_then(|(j, from_root)| not_merged(g, &grouping.groups[j], j, from_root));
        all.push(pg);
    }
    let by_creator = roll_up(&grouping, total);
    let group_count = all.len();
    let mut notes = Vec::new();
    if !grouping.tracebacks {
        notes.push(format!(
            "{} carries no per-goroutine records: groups are distinct stacks, states are derived from runtime frames{}",
            match p.source_format {
                SourceFormat::GoroutineDebug1 => "debug=1 text",
                SourceFormat::Pprof => "a binary profile",
                _ => "this profile",
            },
            if p.source_format == SourceFormat::GoroutineDebug1 {
                " (debug=1 hides them: many states are unknown)"
            } else {
                ""
            }
        ));
    }
    let mut background = None;
    let mut groups = all;
    if opts.fold_background {
        let (folded, kept): (Vec<GoroutineGroup>, Vec<GoroutineGroup>) =
            groups.into_iter().partition(|g| g.background.is_some());
        groups = kept;
        if !folded.is_empty() {
            let count: i64 = folded.iter().map(|g| g.count).sum();
            let by_rule = BACKGROUND_RULES
                .iter()
                .map(|r| StateCount {
                    state: r.id.to_string(),
                    count: folded.iter().filter(|g| g.background == Some(r.id)).map(|g| g.count).sum(),
                })
                .filter(|c| c.count > 0)
                .collect();
            background = Some(BackgroundRow {
                count,
                share: if total > 0 { count as f64 / total as f64 } else { 0.0 },
                by_rule,
                groups: folded,
            });
        }
    }
    Ok(GoroutinesView {
        source_format: p.source_format,
        tracebacks: grouping.tracebacks,
        similarity: opts.similarity,
        total,
        group_count,
        groups,
        background,
        background_rules: BACKGROUND_RULES,
        by_creator,
        notes,
    })
}

fn roll_up(g: &Grouping, total: i64) -> Vec<CreatorRow> {
    let mut rows: Vec<CreatorRow> = Vec::new();
    let mut index: FxHashMap<(&'static str, String, String, i64), usize> = FxHashMap::default();
    let mut states: Vec<FxHashMap<String, i64>> = Vec::new();
    for rg in &g.groups {
        let key = match &rg.sig.created_by {
            Some(s) => ("created_by", s.function.clone(), s.file.clone(), s.line),
            None => ("entry", entry_of(rg).unwrap_or_else(|| "(unknown)".into()), String::new(), 0),
        };
        let i = *index.entry(key.clone()).or_insert_with(|| {
            rows.push(CreatorRow {
                basis: key.0,
                function: key.1,
                file: key.2,
                line: key.3,
                count: 0,
                share: 0.0,
                groups: 0,
                states: Vec::new(),
            });
            states.push(FxHashMap::default());
            rows.len() - 1
        });
        rows[i].count += rg.count;
        rows[i].groups += 1;
        for (s, c) in &rg.states {
            *states[i].entry(s.clone()).or_insert(0) += c;
        }
    }
    for (r, s) in rows.iter_mut().zip(&states) {
        r.share = if total > 0 { r.count as f64 / total as f64 } else { 0.0 };
        r.states = sorted_counts(s);
    }
    rows.sort_rows_by(|a, b| b.count.cmp(&a.count).then_with(|| a.function.cmp(&b.function)));
    rows
}

// ---------------------------------------------------------------------------
// Text.

pub(crate) fn states_text(s: &[StateCount]) -> String {
    s.iter().map(|c| format!("{} {}", c.state, c.count)).collect::<Vec<_>>().join(", ")
}

pub(crate) fn render_group(out: &mut String, g: &GoroutineGroup, stacks: bool) {
    use std::fmt::Write;
    let _ = write!(
        out,
        "#{} {} goroutine{} ({:.2}%)  [{}]",
        g.id + 1,
        g.count,
        if g.count == 1 { "" } else { "s" },
        g.share * 100.0,
        states_text(&g.states)
    );
    if let Some([lo, hi]) = g.wait_minutes {
        if hi > 0 {
            let _ = if lo == hi { write!(out, "  {lo} min") } else { write!(out, "  {lo}-{hi} min") };
        }
    }
    if g.locked_to_thread > 0 {
        let _ = write!(out, "  locked to thread {}", g.locked_to_thread);
    }
    if let Some(b) = g.background {
        let _ = write!(out, "  (background: {b})");
    }
    out.push('\n');
    if let Some(u) = &g.first_user_frame {
        let _ = writeln!(out, "    first user frame: {u}");
    }
    if !g.labels.is_empty() {
        let l: Vec<String> = g.labels.iter().map(|l| format!("{}={} {}", l.key, l.value, l.count)).collect();
        let _ = writeln!(out, "    labels: {}", l.join(", "));
    }
    if stacks {
        if g.stack_unavailable {
            out.push_str("    goroutine running on other thread; stack unavailable\n");
        }
        for f in &g.frames {
            match &f.args {
                Some(a) => {
                    let _ = writeln!(out, "    {}({a})", f.function);
                }
                None => {
                    let _ = writeln!(out, "    {}", f.function);
                }
            }
            let _ = writeln!(out, "        {}:{}", f.file, f.line);
        }
        if g.frames_elided {
            out.push_str("    ...additional frames elided...\n");
        }
        if let Some(c) = &g.created_by {
            let _ = writeln!(out, "    created by {}\n        {}:{}", c.function, c.file, c.line);
        }
    } else if let Some(c) = &g.created_by {
        let _ = writeln!(out, "    created by {}", site_text(c));
    }
    if let Some(n) = &g.not_merged {
        let _ = writeln!(out, "    not merged with #{}: {}", n.neighbour + 1, n.text);
    }
}

/// The view as text (the CLI's `goroutines` report).
pub fn render_text(v: &GoroutinesView) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} goroutines in {} groups ({}{})",
        v.total,
        v.group_count,
        if v.tracebacks {
            format!("similarity {}: {}", v.similarity.as_str(), v.similarity.describe())
        } else {
            "grouped by stack".into()
        },
        if v.background.is_some() { "; expected background folded" } else { "" }
    );
    for n in &v.notes {
        let _ = writeln!(out, "note: {n}");
    }
    out.push('\n');
    for g in &v.groups {
        render_group(&mut out, g, true);
        out.push('\n');
    }
    if let Some(b) = &v.background {
        let by: Vec<String> = b.by_rule.iter().map(|c| format!("{} {}", c.state, c.count)).collect();
        let _ = writeln!(
            out,
            "Expected background: {} goroutines ({:.2}%) in {} groups: {}",
            b.count,
            b.share * 100.0,
            b.groups.len(),
            by.join(", ")
        );
        for r in v.background_rules {
            let _ = writeln!(out, "  rule {}: {} — {}", r.id, r.title, rule_text(r));
        }
        out.push('\n');
    }
    out.push_str("By creation site:\n");
    for r in &v.by_creator {
        let place = if r.basis == "created_by" {
            format!("created by {} {}:{}", r.function, r.file, r.line)
        } else {
            format!("started in {}", r.function)
        };
        let _ = writeln!(
            out,
            "{:>8} {:>6.2}%  {} ({} group{})  [{}]",
            r.count,
            r.share * 100.0,
            place,
            r.groups,
            if r.groups == 1 { "" } else { "s" },
            states_text(&r.states)
        );
    }
    out
}

/// A rule's conditions in words.
pub fn rule_text(r: &BackgroundRule) -> String {
    let mut parts = Vec::new();
    if !r.entry.is_empty() {
        parts.push(format!("started in {}", r.entry.join(" or ")));
    }
    if !r.all_of.is_empty() {
        parts.push(format!("with {} on the stack", r.all_of.join(" and ")));
    }
    if !r.any_of.is_empty() {
        parts.push(format!("with one of {} on the stack", r.any_of.join(", ")));
    }
    if r.stdlib_only {
        parts.push("no frame outside the standard library".into());
    }
    format!("{}; {}", parts.join(", "), r.why)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canon(s: &str, sim: Similarity) -> Vec<u8> {
        let mut t = Vec::new();
        tokenize(s, &mut t);
        let mut out = Vec::new();
        encode_args(&t, sim, &mut out);
        out
    }

    #[test]
    fn argument_similarity() {
        // Pointers differ: alike only when pointers may differ.
        assert_ne!(canon("0xc000012345, 0x1", Similarity::Exact), canon("0xc000099999, 0x1", Similarity::Exact));
        assert_eq!(canon("0xc000012345, 0x1", Similarity::Pointers), canon("0xc000099999, 0x1", Similarity::Pointers));
        // Small values differ: alike only when any value may differ.
        assert_ne!(canon("0x1", Similarity::Pointers), canon("0x2", Similarity::Pointers));
        assert_eq!(canon("0x1", Similarity::Args), canon("0x2", Similarity::Args));
        // The floor itself is not a pointer; a pointer and a small value never match at `pointers`.
        assert_ne!(canon("0x80000", Similarity::Pointers), canon("0x80001", Similarity::Pointers));
        assert_ne!(canon("0x80001", Similarity::Pointers), canon("0x1", Similarity::Pointers));
        // Inaccurate marks do not count at `exact`; inaccurate values may differ at `pointers`.
        assert_eq!(canon("0x1?", Similarity::Exact), canon("0x1", Similarity::Exact));
        assert_ne!(canon("0x1?", Similarity::Exact), canon("0x2?", Similarity::Exact));
        assert_eq!(canon("0x1?", Similarity::Pointers), canon("0x2?", Similarity::Pointers));
        assert_ne!(canon("0x1?", Similarity::Pointers), canon("0x1", Similarity::Pointers));
        // Shapes always count.
        assert_ne!(canon("{0x1, 0x2}", Similarity::Args), canon("0x1, 0x2", Similarity::Args));
        assert_ne!(canon("0x1, ...", Similarity::Args), canon("0x1", Similarity::Args));
        assert_ne!(canon("_", Similarity::Pointers), canon("0x1", Similarity::Pointers));
        assert_eq!(canon("_", Similarity::Args), canon("0x1", Similarity::Args));
    }

    #[test]
    fn merged_arguments_show_stars() {
        let (mut a, mut b) = (Vec::new(), Vec::new());
        tokenize("{0x11000000, 2}, 3, ...", &mut a);
        tokenize("{0x21000000, 2}, 3, ...", &mut b);
        let mut s = shown(&a);
        assert_eq!(render_args(&s), "{0x11000000, 2}, 3, ...");
        merge_shown(&mut s, &b);
        assert_eq!(render_args(&s), "{*, 2}, 3, ...");
        assert_eq!(render_args(&[]), "");
    }
}
