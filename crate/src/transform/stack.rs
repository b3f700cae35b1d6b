//! The transform stack: call-tree edits pprof's filters cannot express (they
//! keep or drop frames, never merge them), after Firefox Profiler's
//! transforms. Applied in order after pprof's filters, before every report.
//!
//! Each step works on a stack's frames root first, one frame per line of a
//! location (inlined calls are frames of their own), matching functions by
//! their exact name. A location that loses some of its lines becomes a new
//! location holding the rest; a collapsed package becomes one new function.
//!
//! Serialised as `code:ARG` steps joined by `,` (`tx=mf:runtime.mallocgc,cp:net/http`);
//! a call path (`mcn`, `fs`) joins names root first with `;`. `%`, `,` and
//! `;` inside a name are written `%25`, `%2C`, `%3B` (generic instantiations
//! hold commas).

use super::{map_stacks, TransformError};
use crate::model::*;
use crate::util::hash::FxHashMap;

/// One step of the stack.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    /// `mf`: remove the function's frames; its own cost goes to its caller.
    MergeFunction(String),
    /// `mcn`: remove one node of the call tree (the last name of the path,
    /// root first); its own cost goes to its parent.
    MergeCallNode(Vec<String>),
    /// `ff`: keep only samples through the function, from its outermost frame
    /// down: every call path into it merged under one root.
    FocusFunction(String),
    /// `ffi`: focus on function, inverted: the samples through the function,
    /// each stack cut below its outermost frame of it and reversed, so the
    /// function is the root and its callers grow from it (the sandwich's top half).
    FocusFunctionInverted(String),
    /// `fs`: keep only the subtree of one call-tree node, which becomes the root.
    FocusSubtree(Vec<String>),
    /// `df`: drop every sample with a frame of the function.
    DropFunction(String),
    /// `rec`: collapse recursion, direct or not: frames between the outermost
    /// frame of the function and its innermost one go, with the inner frames.
    CollapseRecursion(String),
    /// `drec`: collapse direct recursion only (the function calling itself).
    CollapseDirectRecursion(String),
    /// `cp`: runs of frames of a package (or any name prefix) become one frame
    /// named by the prefix.
    CollapsePrefix(String),
}

/// The codes, in the order the usage lists them.
pub const CODES: &str =
    "mf (merge function), mcn (merge call node), ff (focus on function), ffi (focus on function, inverted), \
fs (focus on subtree), df (drop function), rec (collapse recursion), drec (collapse direct recursion), \
cp (collapse package or prefix)";

fn escape(s: &str) -> String {
    s.replace('%', "%25").replace(',', "%2C").replace(';', "%3B")
}

fn unescape(s: &str) -> String {
    s.replace("%2C", ",").replace("%2c", ",").replace("%3B", ";").replace("%3b", ";").replace("%25", "%")
}

impl Step {
    pub fn code(&self) -> &'static str {
        match self {
            Step::MergeFunction(_) => "mf",
            Step::MergeCallNode(_) => "mcn",
            Step::FocusFunction(_) => "ff",
            Step::FocusFunctionInverted(_) => "ffi",
            Step::FocusSubtree(_) => "fs",
            Step::DropFunction(_) => "df",
            Step::CollapseRecursion(_) => "rec",
            Step::CollapseDirectRecursion(_) => "drec",
            Step::CollapsePrefix(_) => "cp",
        }
    }

    /// The step as written in `tx` (`mf:NAME`).
    pub fn serialize(&self) -> String {
        let arg = match self {
            Step::MergeCallNode(path) | Step::FocusSubtree(path) => {
                path.iter().map(|n| escape(n)).collect::<Vec<_>>().join(";")
            }
            Step::MergeFunction(n)
            | Step::FocusFunction(n)
            | Step::FocusFunctionInverted(n)
            | Step::DropFunction(n)
            | Step::CollapseRecursion(n)
            | Step::CollapseDirectRecursion(n)
            | Step::CollapsePrefix(n) => escape(n),
        };
        format!("{}:{arg}", self.code())
    }

    fn parse(s: &str) -> Result<Step, TransformError> {
        let (code, arg) = s.split_once(':').ok_or_else(|| TransformError(format!("transform {s:?}: not CODE:ARG")))?;
        if arg.is_empty() {
            return Err(TransformError(format!("transform {s:?}: no function named")));
        }
        let path = || arg.split(';').map(unescape).collect::<Vec<_>>();
        let name = unescape(arg);
        Ok(match code {
            "mf" => Step::MergeFunction(name),
            "mcn" => Step::MergeCallNode(path()),
            "ff" => Step::FocusFunction(name),
            "ffi" => Step::FocusFunctionInverted(name),
            "fs" => Step::FocusSubtree(path()),
            "df" => Step::DropFunction(name),
            "rec" => Step::CollapseRecursion(name),
            "drec" => Step::CollapseDirectRecursion(name),
            "cp" => Step::CollapsePrefix(name),
            _ => return Err(TransformError(format!("transform {s:?}: unknown code {code:?}; one of {CODES}"))),
        })
    }
}

/// Parses a `tx` value (steps joined by `,`; "" is no step).
pub fn parse(s: &str) -> Result<Vec<Step>, TransformError> {
    s.split(',').filter(|p| !p.is_empty()).map(Step::parse).collect()
}

/// Writes steps as a `tx` value.
pub fn serialize(steps: &[Step]) -> String {
    steps.iter().map(Step::serialize).collect::<Vec<_>>().join(",")
}

/// One frame: line `line` of the `occ`-th location of the stack (leaf first),
/// or a frame made by the step (`occ == MADE`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Frame {
    occ: u32,
    loc: LocId,
    line: u32,
    func: Option<FuncId>,
}

const MADE: u32 = u32::MAX;

/// What applying a stack found, for the page and stderr.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Outcome {
    /// One sentence per step that matched nothing or dropped samples it had to.
    pub notes: Vec<String>,
}

/// Applies the steps in order.
pub fn apply(p: Profile, steps: &[Step]) -> (Profile, Outcome) {
    let mut out = Outcome::default();
    let mut p = p;
    for step in steps {
        let (q, matched, emptied) = apply_step(&p, step);
        p = q;
        if !matched {
            out.notes.push(format!("Transform {} matched no samples", step.serialize()));
        }
        if emptied > 0 {
            let s = if emptied == 1 { "" } else { "s" };
            out.notes.push(format!(
                "Transform {}: {emptied} sample{s} had no other frame and were dropped",
                step.serialize()
            ));
        }
    }
    (p, out)
}

/// Frames of a stack, root first.
fn expand(p: &Profile, stack: &[LocId], out: &mut Vec<Frame>) {
    out.clear();
    for (occ, &loc) in stack.iter().enumerate().rev() {
        let lines = &p.location(loc).lines;
        if lines.is_empty() {
            out.push(Frame { occ: occ as u32, loc, line: 0, func: None });
        }
        for (i, l) in lines.iter().enumerate().rev() {
            out.push(Frame { occ: occ as u32, loc, line: i as u32, func: Some(l.function) });
        }
    }
}

/// The locations made while re-encoding frames: a location with some of its
/// lines, by (location, kept lines).
struct Encoder {
    made: Vec<Location>,
    by_key: FxHashMap<(LocId, Vec<u32>), LocId>,
    first_new: usize,
    next_id: u64,
}

impl Encoder {
    fn new(p: &Profile) -> Encoder {
        Encoder {
            made: Vec::new(),
            by_key: FxHashMap::default(),
            first_new: p.locations.len(),
            next_id: p.locations.iter().map(|l| l.id).max().unwrap_or(0) + 1,
        }
    }

    /// Root-first frames to a leaf-first stack of locations.
    fn encode(&mut self, p: &Profile, frames: &[Frame], out: &mut Vec<LocId>) {
        out.clear();
        let mut i = 0;
        while i < frames.len() {
            let f = frames[i];
            let mut j = i + 1;
            while f.occ != MADE && j < frames.len() && frames[j].occ == f.occ {
                j += 1;
            }
            out.push(self.location(p, &frames[i..j]));
            i = j;
        }
        out.reverse();
    }

    fn location(&mut self, p: &Profile, group: &[Frame]) -> LocId {
        let loc = group[0].loc;
        let all = p.location(loc).lines.len().max(1);
        if group.len() == all || group[0].occ == MADE {
            return loc;
        }
        let kept: Vec<u32> = group.iter().rev().map(|f| f.line).collect();
        if let Some(&id) = self.by_key.get(&(loc, kept.clone())) {
            return id;
        }
        let mut l = p.location(loc).clone();
        l.lines = kept.iter().map(|&k| l.lines[k as usize]).collect();
        l.id = self.next_id;
        self.next_id += 1;
        let id = LocId((self.first_new + self.made.len()) as u32);
        self.made.push(l);
        self.by_key.insert((loc, kept), id);
        id
    }
}

/// Whether each function's name equals `name` (or, for a prefix, starts
/// with it at a name boundary: `net/http` takes `net/http.Get` and
/// `net/http/httputil.X`, not `net/httptest.X`).
fn matching(p: &Profile, name: &str, prefix: bool) -> Vec<bool> {
    let boundary = |rest: &str| {
        name.ends_with(|c: char| !c.is_alphanumeric() && c != '_')
            || rest.is_empty()
            || rest.starts_with(|c: char| !c.is_alphanumeric() && c != '_')
    };
    p.functions
        .iter()
        .map(|f| {
            let n = p.str(f.name);
            if prefix {
                n.strip_prefix(name).is_some_and(boundary)
            } else {
                n == name
            }
        })
        .collect()
}

/// The new function and location a collapsed package becomes.
fn made_frame(p: &mut Profile, name: &str) -> Frame {
    let fid = FuncId(p.functions.len() as u32);
    let name_id = p.strings.intern(name);
    let id = p.functions.iter().map(|f| f.id).max().unwrap_or(0) + 1;
    p.functions.push(Function { id, name: name_id, system_name: name_id, filename: StrId(0), start_line: 0 });
    let loc = LocId(p.locations.len() as u32);
    let id = p.locations.iter().map(|l| l.id).max().unwrap_or(0) + 1;
    p.locations.push(Location {
        id,
        mapping: None,
        address: 0,
        lines: vec![Line { function: fid, line: 0, column: 0 }],
        is_folded: false,
    });
    Frame { occ: MADE, loc, line: 0, func: Some(fid) }
}

/// One step: the new profile, whether it changed or dropped any stack, and
/// how many samples a merge left without frames (dropped, as pprof drops them).
fn apply_step(p: &Profile, step: &Step) -> (Profile, bool, usize) {
    let mut base = p.clone();
    let (hit, made) = match step {
        Step::CollapsePrefix(prefix) => {
            let hit = matching(p, prefix, true);
            let made = hit.iter().any(|&h| h).then(|| made_frame(&mut base, prefix));
            (hit, made)
        }
        Step::MergeFunction(n)
        | Step::FocusFunction(n)
        | Step::FocusFunctionInverted(n)
        | Step::DropFunction(n)
        | Step::CollapseRecursion(n)
        | Step::CollapseDirectRecursion(n) => (matching(p, n, false), None),
        Step::MergeCallNode(_) | Step::FocusSubtree(_) => (Vec::new(), None),
    };
    let names: Vec<&str> = p.functions.iter().map(|f| p.str(f.name)).collect();
    let is = |f: &Frame| f.func.is_some_and(|id| hit[id.idx()]);
    let on_path = |frames: &[Frame], path: &[String]| {
        frames.len() >= path.len()
            && frames.iter().zip(path).all(|(f, n)| f.func.is_some_and(|id| names[id.idx()] == n.as_str()))
    };
    let mut enc = Encoder::new(&base);
    let mut emptied_stacks = vec![false; p.stacks.len()];
    let (mut frames, mut kept) = (Vec::new(), Vec::new());
    let mut matched = false;
    let mut stack_no = 0;
    let mut q = map_stacks(&base, |stack, out| {
        let n = stack_no;
        stack_no += 1;
        expand(p, stack, &mut frames);
        kept.clear();
        let keep = edit(step, &frames, &mut kept, &is, &on_path, made);
        let changed = !keep || kept != frames;
        matched |= changed;
        if !changed {
            out.extend_from_slice(stack);
            return true;
        }
        if keep && kept.is_empty() {
            emptied_stacks[n] = true;
            return false;
        }
        enc.encode(&base, &kept, out);
        keep
    });
    q.locations.extend(enc.made);
    let emptied = p.samples.stacks.iter().filter(|s| emptied_stacks[s.idx()]).count();
    (q, matched, emptied)
}

/// The step on one stack's frames (root first): fills `out` and returns
/// whether the samples stay.
fn edit(
    step: &Step,
    frames: &[Frame],
    out: &mut Vec<Frame>,
    is: &impl Fn(&Frame) -> bool,
    on_path: &impl Fn(&[Frame], &[String]) -> bool,
    made: Option<Frame>,
) -> bool {
    match step {
        Step::MergeFunction(_) => out.extend(frames.iter().filter(|f| !is(f))),
        Step::DropFunction(_) => {
            if frames.iter().any(is) {
                return false;
            }
            out.extend_from_slice(frames);
        }
        Step::FocusFunction(_) => match frames.iter().position(is) {
            Some(i) => out.extend_from_slice(&frames[i..]),
            None => return false,
        },
        Step::FocusFunctionInverted(_) => match frames.iter().position(is) {
            // Each frame its own location (`occ` unique), so inlined lines
            // keep their order as they are reversed.
            Some(i) => out.extend(frames[..=i].iter().rev().enumerate().map(|(j, f)| Frame { occ: j as u32, ..*f })),
            None => return false,
        },
        Step::CollapseRecursion(_) => {
            out.extend_from_slice(frames);
            if let (Some(i), Some(k)) = (frames.iter().position(is), frames.iter().rposition(is)) {
                out.drain(i + 1..=k);
            }
        }
        Step::CollapseDirectRecursion(_) => {
            for (j, f) in frames.iter().enumerate() {
                if !(j > 0 && is(f) && is(&frames[j - 1])) {
                    out.push(*f);
                }
            }
        }
        Step::CollapsePrefix(_) => {
            for (j, f) in frames.iter().enumerate() {
                match (is(f), made) {
                    (true, Some(_)) if j > 0 && is(&frames[j - 1]) => {}
                    (true, Some(m)) => out.push(m),
                    _ => out.push(*f),
                }
            }
        }
        Step::MergeCallNode(path) => {
            out.extend_from_slice(frames);
            if on_path(frames, path) {
                out.remove(path.len() - 1);
            }
        }
        Step::FocusSubtree(path) => {
            if !on_path(frames, path) {
                return false;
            }
            out.extend_from_slice(&frames[path.len() - 1..]);
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serialisation_round_trips_with_escapes() {
        let steps = vec![
            Step::MergeFunction("runtime.mallocgc".into()),
            Step::MergeCallNode(vec!["main.main".into(), "p.F[go.shape.int,go.shape.string]".into()]),
            Step::CollapsePrefix("net/http".into()),
            Step::DropFunction("a;b%2C".into()),
        ];
        let s = serialize(&steps);
        assert_eq!(
            s,
            "mf:runtime.mallocgc,mcn:main.main;p.F[go.shape.int%2Cgo.shape.string],cp:net/http,df:a%3Bb%252C"
        );
        assert_eq!(parse(&s).unwrap(), steps);
        assert!(parse("zz:x").unwrap_err().0.contains("unknown code"));
        assert!(parse("mf").is_err() && parse("mf:").is_err());
        assert_eq!(parse("").unwrap(), vec![]);
    }

    #[test]
    fn prefix_matches_at_a_name_boundary() {
        let mut p = Profile::default();
        for n in ["net/http.Get", "net/httptest.X", "net/http/httputil.Y", "net/http"] {
            let name = p.strings.intern(n);
            p.functions.push(Function { name, ..Default::default() });
        }
        assert_eq!(matching(&p, "net/http", true), vec![true, false, true, true]);
        assert_eq!(matching(&p, "net/", true), vec![true, true, true, true]);
    }
}
