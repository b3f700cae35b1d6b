//! Diagnosis from one goroutine dump, without a second snapshot: long waits
//! at a user frame (grouped by site and by the object waited on), a lock
//! re-taken by the goroutine that holds it, a cycle of lock holders
//! (deadlock in a running process), `persistConn.readLoop` parked (bodies not
//! drained or closed), and in a debug=1 paste many goroutines on one frame
//! although the state is hidden. Each finding says what confirms it and what
//! to capture next.

use super::findings::{Evidence, Finding, Rule, Severity, StackRef};
use crate::model::{Profile, SourceFormat};
use crate::util::hash::FxHashMap;
use crate::util::sort::SortRows;

pub const LOCK_RETAKEN: Rule = Rule {
    id: "lock-retaken",
    title: "A goroutine re-takes a lock it already holds",
    matches: "a goroutine waiting in sync.(*Mutex).Lock / (*RWMutex).Lock / RLock whose lock address, or the \
              receiver of the method that locks, appears again further up the same stack",
    thresholds: "one such goroutine (a Go mutex is not re-entrant: it waits forever)",
    fix: "Do not call a method that locks from code that already holds the lock: split it into a locked public \
          method and an unlocked internal one, or release the lock before the call.",
};

pub const LOCK_CYCLE: Rule = Rule {
    id: "lock-cycle",
    title: "Two goroutines each hold the lock the other waits for (deadlock)",
    matches: "goroutine A waits on a lock of an object that goroutine B has in its stack above its own wait, \
              and B waits on a lock of an object A has",
    thresholds: "one such pair",
    fix: "Take the locks in one global order everywhere, or never hold one lock while taking another.",
};

pub const READLOOP_PARKED: Rule = Rule {
    id: "http-readloop-parked",
    title: "HTTP client connections parked in readLoop",
    matches: "net/http.(*persistConn).readLoop goroutines in select with no network read below them (a response \
              body that is neither read to the end nor closed), or idle in bufio Peek for 30 minutes or more",
    thresholds: "one readLoop in select that has waited a minute or more, or 10 in select; idle ones after 30 \
                 minutes; in a debug=1 paste, 100 readLoop goroutines on one stack",
    fix: "Close every response body (`defer resp.Body.Close()`) and read it to the end (`io.Copy(io.Discard, \
          resp.Body)`); share one http.Client instead of one per request, or set IdleConnTimeout.",
};

pub const LONG_WAIT: Rule = Rule {
    id: "long-wait",
    title: "Goroutines blocked for a long time at one place in your code",
    matches: "goroutines blocked (channel, select, lock, WaitGroup, Cond, or a network write) whose first frame \
              outside the standard library is yours, grouped by that frame and by the object waited on (the \
              lock, WaitGroup or channel address in the frame's arguments); the main goroutine and signal \
              handlers are left out, they wait by design",
    thresholds: "a wait of 30 minutes or more; or, when none waited that long, the longest wait on a lock or \
                 WaitGroup in the dump (a lock held for minutes is not normal)",
    fix: "Find who should release what they wait on: the sender or closer of the channel, the holder of the lock \
          (a missing Unlock on an error path, a lock held across blocking I/O), the Done of the WaitGroup.",
};

pub const DEBUG1_PILEUP: Rule = Rule {
    id: "debug1-pileup",
    title: "Many goroutines on one stack (state unknown in debug=1)",
    matches: "a debug=1 goroutine profile (which hides the runtime frames that tell the state) with many \
              goroutines on one stack",
    thresholds: "at least 100 goroutines on one stack",
    fix: "Capture `/debug/pprof/goroutine?debug=2` to see their state and how long they have waited, and a second \
          dump five minutes later to see whether they grow.",
};

/// The single-dump rules, in the order their findings are listed.
pub const RULES: &[Rule] = &[LOCK_RETAKEN, LOCK_CYCLE, READLOOP_PARKED, LONG_WAIT, DEBUG1_PILEUP];

/// What a goroutine waits on, from its state. One function so the runtime's
/// wait-reason classes can replace it in one place.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Wait {
    Channel,
    Lock,
    Io,
    Other,
}

pub fn classify(state: &str) -> Wait {
    let s = state.split(',').next().unwrap_or("").trim();
    match s {
        "chan send"
        | "chan receive"
        | "select"
        | "select (no cases)"
        | "chan send (nil chan)"
        | "chan receive (nil chan)" => Wait::Channel,
        "semacquire"
        | "sync.Mutex.Lock"
        | "sync.RWMutex.Lock"
        | "sync.RWMutex.RLock"
        | "sync.WaitGroup.Wait"
        | "sync.Cond.Wait" => Wait::Lock,
        "IO wait" => Wait::Io,
        _ => Wait::Other,
    }
}

/// Go's standard library by its top-level package (a path without a dot is
/// not enough: `oh-my-posh/platform` and `worker` are user packages).
fn is_std(f: &str) -> bool {
    const STD: &[&str] = &[
        "archive",
        "bufio",
        "bytes",
        "cmp",
        "compress",
        "container",
        "context",
        "crypto",
        "database",
        "debug",
        "embed",
        "encoding",
        "errors",
        "expvar",
        "flag",
        "fmt",
        "go",
        "hash",
        "html",
        "image",
        "index",
        "internal",
        "io",
        "iter",
        "log",
        "maps",
        "math",
        "mime",
        "net",
        "os",
        "path",
        "plugin",
        "reflect",
        "regexp",
        "runtime",
        "slices",
        "sort",
        "strconv",
        "strings",
        "sync",
        "syscall",
        "testing",
        "text",
        "time",
        "unicode",
        "unique",
        "unsafe",
        "weak",
        "vendor",
    ];
    let head = f.split('/').next().unwrap_or(f);
    let head = if f.contains('/') { head } else { head.split('.').next().unwrap_or(head) };
    STD.contains(&head)
}

fn is_sync(f: &str) -> bool {
    f.starts_with("sync.") || f.starts_with("runtime.") || f.starts_with("internal/")
}

const LOCK_FRAMES: &[&str] = &[
    "sync.(*Mutex).Lock",
    "sync.(*Mutex).lockSlow",
    "sync.(*RWMutex).Lock",
    "sync.(*RWMutex).RLock",
    "sync.(*WaitGroup).Wait",
];

/// One goroutine of a debug=2 dump, as the rules read it.
struct G {
    id: u64,
    state: String,
    wait: Option<u32>,
    /// Function names, leaf first.
    frames: Vec<String>,
    /// Argument text per frame, leaf first.
    args: Vec<String>,
}

impl G {
    /// Index of the first user frame.
    fn user(&self) -> Option<usize> {
        self.frames.iter().position(|f| !is_std(f))
    }

    /// (index of the lock frame, its address) for a goroutine waiting on a lock.
    fn lock(&self) -> Option<(usize, Option<u64>)> {
        let i = self.frames.iter().rposition(|f| LOCK_FRAMES.contains(&f.as_str()))?;
        Some((i, first_word(&self.args[i])))
    }

    /// The direct caller of the lock frame: the first frame after it outside sync and the runtime.
    fn locker(&self) -> Option<usize> {
        let (i, _) = self.lock()?;
        (i + 1..self.frames.len()).find(|&j| !is_sync(&self.frames[j]))
    }

    fn main_or_signal(&self) -> bool {
        self.frames.iter().any(|f| {
            let l = f.to_ascii_lowercase();
            f == "main.main" || l.contains("signal") || l.contains("sigint") || l.contains("sigterm")
        })
    }
}

/// The first argument word if it is an exact pointer (`0xc000123`, not `0x1?` nor `...`).
fn first_word(args: &str) -> Option<u64> {
    let w = args.split([',', ' ', '{', '}']).find(|w| !w.is_empty())?;
    let hex = w.strip_prefix("0x")?;
    let v = u64::from_str_radix(hex, 16).ok()?;
    (v >= 0x1000).then_some(v)
}

fn words(args: &str) -> impl Iterator<Item = u64> + '_ {
    args.split([',', ' ', '{', '}'])
        .filter_map(|w| w.strip_prefix("0x"))
        .filter_map(|h| u64::from_str_radix(h, 16).ok())
        .filter(|&v| v >= 0x1000)
}

/// `pkg.(*T).M` -> `pkg.(*T)`: the receiver type of a method.
fn receiver_type(f: &str) -> Option<&str> {
    let i = f.rfind(").")?;
    f[..i + 1].contains(".(").then(|| &f[..i + 1])
}

fn goroutines(p: &Profile) -> Vec<G> {
    let Some(t) = &p.goroutines else { return Vec::new() };
    t.goroutines
        .iter()
        .filter(|g| g.race.is_none())
        .map(|g| {
            let stack = p.stacks.get(g.stack);
            let mut frames = Vec::new();
            let mut args = Vec::new();
            for (k, &l) in stack.iter().enumerate() {
                for line in &p.location(l).lines {
                    frames.push(p.str(p.function(line.function).name).to_string());
                    args.push(t.arg(g, k).to_string());
                }
            }
            G { id: g.id, state: p.str(g.state).to_string(), wait: g.wait_minutes, frames, args }
        })
        .collect()
}

fn stack_ref(frames: &[String], count: i64, focus_on: &str) -> StackRef {
    StackRef {
        frames: frames.iter().rev().cloned().collect(),
        value: count,
        focus: format!("^{}$", regex::escape(focus_on)),
        function: focus_on.to_string(),
        source: "goroutine",
    }
}

fn evidence(key: &'static str, label: &str, v: f64) -> Evidence {
    Evidence { key, label: label.to_string(), value: v, text: format!("{}", v as i64) }
}

fn finding(rule: Rule, severity: Severity, summary: String, evidence: Vec<Evidence>, stacks: Vec<StackRef>) -> Finding {
    Finding {
        rule: rule.id,
        title: rule.title,
        severity,
        summary,
        evidence,
        stacks,
        fix: rule.fix,
        thresholds: rule.thresholds,
    }
}

/// The single-dump findings of one goroutine profile.
pub fn run(p: &Profile) -> Vec<Finding> {
    if p.source_format == SourceFormat::GoroutineDebug1 {
        return debug1(p);
    }
    let gs = goroutines(p);
    let mut out = Vec::new();
    out.extend(retaken(&gs));
    out.extend(cycle(&gs));
    out.extend(readloop(&gs));
    out.extend(long_wait(&gs));
    out
}

fn retaken(gs: &[G]) -> Option<Finding> {
    for g in gs.iter().filter(|g| classify(&g.state) == Wait::Lock) {
        let (Some((_, lock)), Some(c)) = (g.lock(), g.locker()) else { continue };
        let recv = first_word(&g.args[c]);
        let rtype = receiver_type(&g.frames[c]);
        let holder = (c + 1..g.frames.len()).find(|&j| {
            lock.is_some_and(|l| words(&g.args[j]).any(|w| w == l))
                || (recv.is_some()
                    && first_word(&g.args[j]) == recv
                    && rtype.is_some()
                    && receiver_type(&g.frames[j]) == rtype)
        });
        let Some(j) = holder else { continue };
        let (locker, outer) = (&g.frames[c], &g.frames[j]);
        let summary = format!(
            "goroutine {} waits for a lock in {locker}, called (through the same object, {}) from {outer} further up \
             its own stack, which holds it: a Go mutex is not re-entrant, so it waits forever. Confirms it: the \
             same address in both frames' arguments, and {outer} locking before it calls down. Capture next: a \
             second dump five minutes later (the goroutine still there, its wait longer).",
            g.id,
            match lock {
                Some(l) => format!("lock 0x{l:x}"),
                None => format!("receiver 0x{:x}", recv.unwrap_or(0)),
            }
        );
        return Some(finding(
            LOCK_RETAKEN,
            Severity::High,
            summary,
            vec![evidence("goroutine", "goroutine id", g.id as f64)],
            vec![stack_ref(&g.frames, 1, locker)],
        ));
    }
    None
}

fn cycle(gs: &[G]) -> Option<Finding> {
    // (goroutine, the object whose lock it waits on, the objects in its stack above the wait)
    let waiters: Vec<(&G, u64, Vec<u64>)> = gs
        .iter()
        .filter(|g| classify(&g.state) == Wait::Lock)
        .filter_map(|g| {
            let c = g.locker()?;
            let obj = first_word(&g.args[c]).or(g.lock()?.1)?;
            let held = g.args[c + 1..].iter().flat_map(|a| words(a)).filter(|&w| w != obj).collect();
            Some((g, obj, held))
        })
        .collect();
    for (i, (a, a_obj, a_held)) in waiters.iter().enumerate() {
        for (b, b_obj, b_held) in &waiters[i + 1..] {
            if a_obj != b_obj && b_held.contains(a_obj) && a_held.contains(b_obj) {
                let (fa, fb) = (&a.frames[a.locker()?], &b.frames[b.locker()?]);
                let summary = format!(
                    "goroutine {} waits in {fa} for the lock of 0x{a_obj:x}, which goroutine {} has in its stack; \
                     goroutine {} waits in {fb} for the lock of 0x{b_obj:x}, which goroutine {} has: neither can go \
                     on (a deadlock the runtime does not report while other goroutines run). Confirms it: both \
                     addresses in the other stack above its wait. Capture next: a second dump five minutes later \
                     (both still waiting).",
                    a.id, b.id, b.id, a.id
                );
                return Some(finding(
                    LOCK_CYCLE,
                    Severity::High,
                    summary,
                    vec![evidence("goroutines", "goroutines in the cycle", 2.0)],
                    vec![stack_ref(&a.frames, 1, fa), stack_ref(&b.frames, 1, fb)],
                ));
            }
        }
    }
    None
}

const READ_LOOP: &str = "(*persistConn).readLoop";

fn readloop(gs: &[G]) -> Option<Finding> {
    let is_loop = |g: &G| g.frames.iter().position(|f| f.ends_with(READ_LOOP));
    let mut parked = Vec::new();
    let mut idle = Vec::new();
    for g in gs {
        let Some(pos) = is_loop(g) else { continue };
        let peek = g.frames[..pos].iter().any(|f| f == "bufio.(*Reader).Peek");
        if !peek && classify(&g.state) == Wait::Channel {
            parked.push(g);
        } else if peek && g.wait.unwrap_or(0) >= 30 {
            idle.push(g);
        }
    }
    let longest = |v: &[&G]| v.iter().filter_map(|g| g.wait).max().unwrap_or(0);
    let (set, summary) = if !parked.is_empty() && (parked.len() >= 10 || longest(&parked) >= 1) {
        (parked, "parked in select with no network read below them: each waits for its response body to be read to the end or closed")
    } else if !idle.is_empty() {
        (idle, "idle on keep-alive connections for 30 minutes or more: connections nobody reuses or closes (a client or transport per request)")
    } else {
        return None;
    };
    let g = set[0];
    let f = g.frames.iter().find(|f| f.ends_with(READ_LOOP)).unwrap().clone();
    let summary = format!(
        "{} readLoop goroutine{} {summary} (longest wait {} minutes). Confirms it: their count grows with the requests \
         made. Capture next: a second dump five minutes later, and the heap profile (bufio buffers under dialConn).",
        set.len(),
        if set.len() == 1 { "" } else { "s" },
        longest(&set)
    );
    Some(finding(
        READLOOP_PARKED,
        Severity::High,
        summary,
        vec![evidence("readloop_goroutines", "readLoop goroutines", set.len() as f64)],
        vec![stack_ref(&g.frames, set.len() as i64, &f)],
    ))
}

/// Goroutines by (site, object waited on).
type Sites<'a> = Vec<((String, Option<u64>), Vec<&'a G>)>;

fn long_wait(gs: &[G]) -> Option<Finding> {
    let blocked = |g: &G| match classify(&g.state) {
        Wait::Channel | Wait::Lock => true,
        // A network write that does not return; reads wait for peers by design.
        Wait::Io => g.frames.iter().any(|f| f.ends_with(".Write") || f.ends_with("waitWrite")),
        Wait::Other => false,
    };
    let cands: Vec<&G> = gs.iter().filter(|g| blocked(g) && g.user().is_some() && !g.main_or_signal()).collect();
    let long: Vec<&G> = cands.iter().copied().filter(|g| g.wait.unwrap_or(0) >= 30).collect();
    let (hits, why) = if !long.is_empty() {
        (long, "30 minutes or more")
    } else {
        let locks: Vec<&G> =
            cands.iter().copied().filter(|g| classify(&g.state) == Wait::Lock && g.wait.unwrap_or(0) >= 1).collect();
        let max = locks.iter().filter_map(|g| g.wait).max().unwrap_or(0);
        (locks.into_iter().filter(|g| g.wait == Some(max)).collect(), "the longest wait on a lock in this dump")
    };
    if hits.is_empty() {
        return None;
    }
    // Group by site (first user frame) and by the object waited on.
    let mut groups: FxHashMap<(String, Option<u64>), Vec<&G>> = FxHashMap::default();
    for g in &hits {
        let site = g.frames[g.user().unwrap()].clone();
        let obj = g.lock().and_then(|(_, a)| a);
        groups.entry((site, obj)).or_default().push(g);
    }
    let mut groups: Sites = groups.into_iter().collect();
    let key = |v: &Vec<&G>| {
        (std::cmp::Reverse(v.iter().filter_map(|g| g.wait).max().unwrap_or(0)), std::cmp::Reverse(v.len()))
    };
    groups.sort_rows_by(|a, b| key(&a.1).cmp(&key(&b.1)).then_with(|| a.0.cmp(&b.0)));
    let ((site, obj), top) = &groups[0];
    let g = top[0];
    let max = top.iter().filter_map(|g| g.wait).max().unwrap_or(0);
    let on = match obj {
        Some(a) => format!(" on the same object 0x{a:x}"),
        None => String::new(),
    };
    let summary = format!(
        "{} goroutine{} blocked ({}) in {site}{on} for up to {max} minutes ({why}){}. Confirms it: the wait keeps \
         growing and nothing in the dump is about to release it. Capture next: a second dump five minutes later \
         (the same ids, waits 5 minutes longer), and `?debug=2` if this is not one already.",
        top.len(),
        if top.len() == 1 { "" } else { "s" },
        g.state.split(',').next().unwrap_or(""),
        if groups.len() > 1 { format!("; {} more site(s) wait as long", groups.len() - 1) } else { String::new() }
    );
    let stacks = groups.iter().take(4).map(|((s, _), v)| stack_ref(&v[0].frames, v.len() as i64, s)).collect();
    Some(finding(
        LONG_WAIT,
        Severity::High,
        summary,
        vec![
            evidence("blocked_goroutines", "blocked goroutines", hits.len() as f64),
            evidence("max_wait_minutes", "longest wait (minutes)", max as f64),
        ],
        stacks,
    ))
}

/// debug=1: records by stack; the runtime frames (and so the state) are hidden.
fn debug1(p: &Profile) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut rows: Vec<(i64, Vec<String>)> = (0..p.samples.len())
        .map(|i| {
            let names: Vec<String> = p
                .sample_stack(i)
                .iter()
                .flat_map(|&l| p.location(l).lines.iter())
                .map(|ln| p.str(p.function(ln.function).name).to_string())
                .collect();
            (p.sample_values(i).first().copied().unwrap_or(0), names)
        })
        .filter(|r| r.0 >= 100 && !r.1.is_empty())
        .collect();
    rows.sort_rows_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    if let Some((n, frames)) = rows.iter().find(|r| r.1[0].ends_with(READ_LOOP)) {
        let summary = format!(
            "{n} goroutines have readLoop as their leaf frame in this debug=1 profile: the state is unknown in \
             debug=1, but a readLoop with no network read below it waits in its select for the response body to \
             be read or closed. Confirms it: `?debug=2` showing them in select for minutes. Capture next: \
             `/debug/pprof/goroutine?debug=2`, and a second dump five minutes later."
        );
        out.push(finding(
            READLOOP_PARKED,
            Severity::High,
            summary,
            vec![evidence("readloop_goroutines", "readLoop goroutines", *n as f64)],
            vec![stack_ref(frames, *n, &frames[0])],
        ));
    }
    for (n, frames) in rows.iter().filter(|r| !r.1[0].ends_with(READ_LOOP)).take(1) {
        let site = frames.iter().find(|f| !is_std(f)).unwrap_or(&frames[0]).clone();
        let summary = format!(
            "{n} goroutines on one stack at {site}; the state is unknown in debug=1 (it hides the runtime frames \
             that tell it). Confirms it: the same stack growing in a second dump. Capture next: \
             `/debug/pprof/goroutine?debug=2` (states and wait minutes) and a second dump five minutes later."
        );
        out.push(finding(
            DEBUG1_PILEUP,
            Severity::Medium,
            summary,
            vec![evidence("goroutines", "goroutines on the stack", *n as f64)],
            vec![stack_ref(frames, *n, &site)],
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decode::{decode, Limits};

    fn first(text: &str) -> Option<Finding> {
        run(&decode(text.as_bytes(), &Limits::default()).unwrap()).into_iter().next()
    }

    #[test]
    fn lock_cycle() {
        let text = "goroutine 7 [sync.Mutex.Lock, 12 minutes]:\nsync.(*Mutex).Lock(0xc000010008)\n\t/go/src/sync/mutex.go:81 +0x1\n\
            app.(*B).Get(0xc000010000)\n\t/a/b.go:10 +0x1\napp.(*A).Put(0xc000020000, 0x1)\n\t/a/a.go:20 +0x1\n\n\
            goroutine 8 [sync.Mutex.Lock, 12 minutes]:\nsync.(*Mutex).Lock(0xc000020008)\n\t/go/src/sync/mutex.go:81 +0x1\n\
            app.(*A).Get(0xc000020000)\n\t/a/a.go:30 +0x1\napp.(*B).Put(0xc000010000, 0x1)\n\t/a/b.go:40 +0x1\n";
        let f = first(text).unwrap();
        assert_eq!(f.rule, LOCK_CYCLE.id, "{f:?}");
        assert_eq!(f.stacks.len(), 2);
    }

    #[test]
    fn retaken_and_long_waits() {
        let text = "goroutine 3 [sync.Mutex.Lock, 40 minutes]:\nsync.(*Mutex).Lock(0xc000010000)\n\t/go/src/sync/mutex.go:81 +0x1\n\
            app.(*S).Pwd(0xc000010000)\n\t/a/s.go:10 +0x1\napp.(*S).Cache(0xc000010000)\n\t/a/s.go:20 +0x1\n";
        assert_eq!(first(text).unwrap().rule, LOCK_RETAKEN.id);
        let text = "goroutine 3 [chan receive, 4937 minutes]:\napp.worker(0xc000010000)\n\t/a/w.go:10 +0x1\n\n\
            goroutine 4 [chan receive, 3 minutes]:\napp.other()\n\t/a/w.go:20 +0x1\n";
        let f = first(text).unwrap();
        assert_eq!((f.rule, f.stacks[0].function.as_str()), (LONG_WAIT.id, "app.worker"));
        assert!(first("goroutine 4 [chan receive, 3 minutes]:\napp.other()\n\t/a/w.go:20 +0x1\n").is_none());
    }

    #[test]
    fn states() {
        assert_eq!(classify("semacquire, 5 minutes"), Wait::Lock);
        assert_eq!(classify("select"), Wait::Channel);
        assert_eq!(classify("running"), Wait::Other);
        assert!(is_std("net/http.(*persistConn).readLoop") && !is_std("oh-my-posh/platform.(*Shell).Pwd"));
    }
}
