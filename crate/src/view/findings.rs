//! Leak findings: a small library of documented rules that name a known
//! cause and show the evidence, so the user can check it. Each rule is a
//! plain value (id, title, what it matches, its thresholds, the fix); the
//! engine runs them over the goroutine and heap profiles the user loaded,
//! using growth between snapshots when there are several. No finding is
//! better than a wrong one: every rule states its thresholds and fires only
//! above them.

use crate::model::goroutine::Goroutine;
use crate::model::kind::{classify, is_goroutine_leak, ProfileKind};
use crate::model::names::{derived_state, first_user_frame, is_runtime};
use crate::model::waitreason::{self, WaitClass};
use crate::model::{Profile, StackId};
use crate::transform;
use crate::util::hash::FxHashMap;
use crate::util::sort::SortRows;
use crate::util::units;

/// A documented rule.
#[derive(Clone, Copy, Debug, serde::Serialize)]
pub struct Rule {
    pub id: &'static str,
    pub title: &'static str,
    /// What the rule looks for.
    pub matches: &'static str,
    /// When it fires.
    pub thresholds: &'static str,
    pub fix: &'static str,
}

pub const PROVEN_LEAK: Rule = Rule {
    id: "runtime-proven-leak",
    title: "Goroutine leaks proven by the Go runtime",
    matches: "goroutines a debug=2 dump marks (leaked) (Go 1.26+), and every goroutine of a goroutineleak profile \
              (binary, debug=1 or debug=2): the garbage collector found that nothing still running can ever \
              unblock them",
    thresholds: "none: one proven leak is enough; ranked above every heuristic finding",
    fix: "Each site below waits on a channel, lock or WaitGroup that no running goroutine can reach any more: the \
          other side returned without sending, receiving, closing or unlocking. Give the goroutine a way out \
          (close the channel when the producer is done, a buffered channel for a result nobody may read, a context \
          in the select), or make sure the other side always runs.",
};

pub const NEVER_WAKES: Rule = Rule {
    id: "never-wakes",
    title: "Goroutines that can never wake: a nil channel or an empty select",
    matches: "goroutines in chan send (nil chan), chan receive (nil chan) or select (no cases), whatever the Go \
              version calls them",
    thresholds: "none: one is enough, since nothing can ever wake such a goroutine",
    fix: "A send or receive on a nil channel blocks forever: make sure the channel is made (make(chan T)) before \
          the goroutine uses it, and that no code path sets it to nil while goroutines wait on it. An empty \
          `select {}` also blocks forever: fine to park main in a server, a leak anywhere else.",
};

pub const NEW_TRANSPORT_PER_REQUEST: Rule = Rule {
    id: "http-transport-per-request",
    title: "A new HTTP transport per request: idle keep-alive connections pile up",
    matches: "goroutines in net/http.(*persistConn).readLoop and writeLoop (two per client connection), \
              readLoop waiting for the next response on an idle connection (bufio Peek), created by \
              (*Transport).dialConn; heap held by bufio.NewReaderSize/NewWriterSize under dialConn",
    thresholds: "at least 50 readLoop and 50 writeLoop goroutines, the two counts within 20% of each other, \
                 readLoop goroutines mostly idle (in Peek); with two or more snapshots, the count must grow",
    fix: "Create one http.Client (or http.Transport) and share it between requests instead of building one per \
          request; if a per-request client is unavoidable, call Transport.CloseIdleConnections when done or set \
          IdleConnTimeout. Connections of a shared transport are reused, so their goroutines and buffers stay bounded.",
};

pub const BODY_NOT_CLOSED: Rule = Rule {
    id: "http-response-body-not-closed",
    title: "HTTP response bodies are not closed",
    matches: "net/http.(*persistConn).readLoop goroutines blocked in select waiting for the response body to be \
              read or closed, rather than idle in bufio Peek",
    thresholds: "at least 50 readLoop goroutines waiting on the body, and more waiting on a body than idle",
    fix: "Close every response body (`defer resp.Body.Close()`) and read it to the end when the connection should \
          be reused (`io.Copy(io.Discard, resp.Body)`).",
};

pub const BLOCKED_ON_CHANNEL: Rule = Rule {
    id: "blocked-on-channel",
    title: "Goroutines blocked on a channel",
    matches: "goroutines waiting on a channel (chan send, chan receive, select: the wait reasons of the channel \
              class) whose first frame outside the runtime is in your code, not the standard library",
    thresholds: "the runtime reported a deadlock; or the dump is a crash and such goroutines exist; or at least 10 \
                 goroutines on one stack that grew between snapshots or waited the whole interval between them; \
                 or at least 100 on one stack in a single snapshot",
    fix: "Make sure every send has a receiver and every receive a sender or a close: give the goroutine a way out \
          (a context or done channel in the select), buffer the channel, or close it when the producer is done.",
};

pub const LOCK_PILEUP: Rule = Rule {
    id: "lock-pileup",
    title: "Goroutines piled up on a lock or WaitGroup",
    matches: "goroutines of the sync class: sync.Mutex.Lock, sync.RWMutex.Lock/RLock, sync.WaitGroup.Wait, \
              sync.Cond.Wait, and semacquire, which Go before 1.20 printed for the first four",
    thresholds: "the runtime reported a deadlock; or the dump is a crash and such goroutines exist; or at least 10 \
                 goroutines on one stack (grown between snapshots, or waiting the whole interval, when there are several)",
    fix: "Find the holder: a goroutine that never unlocks (a missing Unlock on an error path, a lock held across \
          blocking I/O) or a WaitGroup whose Done is never called. Keep critical sections short; use defer Unlock.",
};

pub const TIMERS_NOT_STOPPED: Rule = Rule {
    id: "timers-not-stopped",
    title: "Timers or tickers that are never stopped",
    matches: "heap in use under time.NewTimer, time.NewTicker, time.After or time.AfterFunc",
    thresholds: "at least 5% of the heap in use and 1 MiB, growing between snapshots when there are several",
    fix: "Stop tickers and timers when done (`defer t.Stop()`); in loops, reuse one timer with Reset instead of \
          time.After, which allocates a timer each iteration.",
};

pub const ALLOCATION_SITE_DOMINATES: Rule = Rule {
    id: "allocation-site-dominates-growth",
    title: "One allocation site dominates heap growth",
    matches: "the function that allocated the largest share of the growth of the heap in use between the first \
              and last heap snapshot",
    thresholds: "two or more heap snapshots, the heap grew by at least 1 MiB, and one site holds at least 30% of \
                 the growth",
    fix: "Look at who keeps these objects reachable: follow the stacks into your code and check caches, maps and \
          slices that only grow, and goroutines that hold references.",
};

pub const GOROUTINE_STACKS: Rule = Rule {
    id: "goroutine-stack-memory",
    title: "Goroutine stacks hold memory the heap profile does not show",
    matches: "the number of goroutines times the minimum stack size (8 KiB on 64-bit Go), next to the heap in use",
    thresholds: "a goroutine and a heap profile loaded, at least 1000 goroutines, and the estimate at least 10% \
                 of the heap in use",
    fix: "Each goroutine costs at least 8 KiB of stack outside the heap profile. Fix the goroutine growth (see the \
          other findings); the process's RSS will drop by about this estimate.",
};

/// Every rule, in the order findings of equal severity are listed.
pub const RULES: &[Rule] = &[
    PROVEN_LEAK,
    NEW_TRANSPORT_PER_REQUEST,
    BODY_NOT_CLOSED,
    BLOCKED_ON_CHANNEL,
    NEVER_WAKES,
    LOCK_PILEUP,
    TIMERS_NOT_STOPPED,
    ALLOCATION_SITE_DOMINATES,
    GOROUTINE_STACKS,
];

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    High,
    Medium,
    Low,
}

/// One number of a finding's evidence, with a stable key for tests and links.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Evidence {
    pub key: &'static str,
    pub label: String,
    pub value: f64,
    /// The value as shown (units applied).
    pub text: String,
}

/// A stack a finding refers to; `focus` is a regex the views can focus on.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct StackRef {
    /// Function names, root first.
    pub frames: Vec<String>,
    pub value: i64,
    pub focus: String,
    /// The function `focus` matches.
    pub function: String,
    /// The profile it is found in: the last `goroutine` or `heap` snapshot.
    pub source: &'static str,
}

#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Finding {
    pub rule: &'static str,
    pub title: &'static str,
    pub severity: Severity,
    pub summary: String,
    pub evidence: Vec<Evidence>,
    pub stacks: Vec<StackRef>,
    pub fix: &'static str,
    pub thresholds: &'static str,
}

impl Finding {
    pub fn value(&self, key: &str) -> Option<f64> {
        self.evidence.iter().find(|e| e.key == key).map(|e| e.value)
    }
}

/// What the rules run on: goroutine and heap snapshots ordered by time.
#[derive(Default)]
pub struct Inputs<'a> {
    pub goroutines: Vec<&'a Profile>,
    /// goroutineleak profiles: what the runtime proved leaked, not a snapshot of every goroutine.
    pub leaks: Vec<&'a Profile>,
    pub heaps: Vec<&'a Profile>,
    /// A limit the user entered (bytes for heap, a count for goroutines), for projections.
    pub limit: Option<f64>,
    /// Limits for one kind only (they take precedence over `limit`): a
    /// goroutine count, and bytes of heap.
    pub goroutine_limit: Option<f64>,
    pub heap_limit: Option<f64>,
}

impl<'a> Inputs<'a> {
    /// Sorts profiles into goroutine and heap snapshots (others are ignored),
    /// each ordered by time when every one has a time (text dumps have none:
    /// then the given order stands).
    pub fn from_profiles(profiles: &[&'a Profile]) -> Inputs<'a> {
        let mut i = Inputs::default();
        for p in profiles {
            match classify(p) {
                ProfileKind::Goroutine if is_goroutine_leak(p) => i.leaks.push(p),
                ProfileKind::Goroutine => i.goroutines.push(p),
                ProfileKind::Heap | ProfileKind::Allocs => i.heaps.push(p),
                _ => {}
            }
        }
        for list in [&mut i.goroutines, &mut i.leaks, &mut i.heaps] {
            if list.iter().all(|p| p.time_nanos != 0) {
                list.sort_rows_by_key(|p| p.time_nanos);
            }
        }
        i
    }
}

/// Runs every rule; findings sorted by severity, then by rule order.
pub fn run(inputs: &Inputs) -> Vec<Finding> {
    let mut out = Vec::new();
    let gs: Vec<GoroutineSnapshot> = inputs.goroutines.iter().map(|p| GoroutineSnapshot::new(p)).collect();
    let hs: Vec<HeapSnapshot> = inputs.heaps.iter().filter_map(|p| HeapSnapshot::new(p)).collect();
    let leaks: Vec<GoroutineSnapshot> = inputs.leaks.iter().map(|p| GoroutineSnapshot::new(p)).collect();
    out.extend(proven_leaks(&gs, &leaks));
    out.extend(transport_per_request(&gs, &hs, inputs.goroutine_limit.or(inputs.limit)));
    out.extend(body_not_closed(&gs));
    out.extend(blocked(&gs, BLOCKED_ON_CHANNEL, WaitClass::Channel, 100));
    out.extend(never_wakes(&gs));
    out.extend(blocked(&gs, LOCK_PILEUP, WaitClass::Sync, 10));
    out.extend(timers(&hs));
    out.extend(allocation_site(&hs, inputs.heap_limit.or(inputs.limit)));
    out.extend(goroutine_stacks(&gs, &hs));
    let order = |f: &Finding| RULES.iter().position(|r| r.id == f.rule).unwrap_or(usize::MAX);
    out.sort_rows_by(|a, b| a.severity.cmp(&b.severity).then_with(|| order(a).cmp(&order(b))));
    out
}

// ---------------------------------------------------------------------------
// Reading goroutine profiles (binary, debug=1 text, debug=2 dumps alike).

/// One group of goroutines: a distinct stack (and label set) of a goroutine profile.
struct Group {
    count: i64,
    /// Function names, leaf first, inlined frames expanded.
    frames: Vec<String>,
    labels: Vec<(String, String)>,
    /// State as the dump printed it, or derived from the runtime frames.
    states: Vec<(String, i64)>,
    /// Goroutine ids (debug=2 dumps only).
    ids: Vec<u64>,
    /// Minimum wait in minutes over the group (debug=2 only; None if not printed).
    min_wait: Option<u32>,
    /// Longest wait in minutes (debug=2 only).
    max_wait: Option<u32>,
    /// Goroutines the runtime proved leaked: `(leaked)` records, or all of a goroutineleak profile.
    leaked: i64,
    created_by: Option<String>,
}

struct GoroutineSnapshot<'a> {
    p: &'a Profile,
    groups: Vec<Group>,
    total: i64,
    /// A crash dump (panic, fatal error) rather than a profile of a live process.
    crash: bool,
    deadlock: bool,
}

fn stack_names(p: &Profile, s: StackId) -> Vec<String> {
    let mut v = Vec::new();
    for &l in p.stacks.get(s) {
        for line in &p.location(l).lines {
            v.push(p.str(p.function(line.function).name).to_string());
        }
    }
    v
}

impl<'a> GoroutineSnapshot<'a> {
    fn new(p: &'a Profile) -> Self {
        let index = transform::sample_index(p, "").unwrap_or(0);
        let mut by_key: FxHashMap<(StackId, u32), usize> = FxHashMap::default();
        let mut groups: Vec<Group> = Vec::new();
        for i in 0..p.samples.len() {
            let v = p.sample_values(i).get(index).copied().unwrap_or(0);
            if v == 0 {
                continue;
            }
            let key = (p.samples.stacks[i], p.samples.labels[i].0);
            let g = *by_key.entry(key).or_insert_with(|| {
                let frames = stack_names(p, key.0);
                let labels = p
                    .sample_labels(i)
                    .strs
                    .iter()
                    .map(|&(k, v)| (p.str(k).to_string(), p.str(v).to_string()))
                    .collect();
                groups.push(Group {
                    count: 0,
                    frames,
                    labels,
                    states: Vec::new(),
                    ids: Vec::new(),
                    min_wait: None,
                    max_wait: None,
                    leaked: 0,
                    created_by: None,
                });
                groups.len() - 1
            });
            groups[g].count += v;
        }
        // Per-goroutine records of a debug=2 dump: states, ids, waits, creators.
        if let Some(t) = &p.goroutines {
            let mut states: Vec<FxHashMap<String, i64>> = vec![FxHashMap::default(); groups.len()];
            for gr in &t.goroutines {
                let Some(&gi) = by_key.get(&(gr.stack, gr.labels.0)) else { continue };
                record(&mut groups[gi], &mut states[gi], p, gr);
            }
            for (g, s) in groups.iter_mut().zip(states) {
                let mut v: Vec<(String, i64)> = s.into_iter().collect();
                v.sort_rows_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
                g.states = v;
            }
        }
        let leak_profile = is_goroutine_leak(p);
        for g in &mut groups {
            if g.states.is_empty() {
                g.states = vec![(derived_state(&g.frames).to_string(), g.count)];
            }
            if leak_profile {
                g.leaked = g.count;
            }
        }
        let total = groups.iter().map(|g| g.count).sum();
        let text: String = p.comments.iter().map(|&c| p.str(c)).collect::<Vec<_>>().join("\n");
        let deadlock = text.contains("all goroutines are asleep - deadlock!");
        let crash = deadlock || text.contains("panic:") || text.contains("fatal error:") || text.contains("SIGQUIT");
        GoroutineSnapshot { p, groups, total, crash, deadlock }
    }

    fn count_where(&self, pred: impl Fn(&Group) -> bool) -> i64 {
        self.groups.iter().filter(|g| pred(g)).map(|g| g.count).sum()
    }
}

fn record(g: &mut Group, states: &mut FxHashMap<String, i64>, p: &Profile, gr: &Goroutine) {
    *states.entry(p.str(gr.state).to_string()).or_insert(0) += 1;
    g.ids.push(gr.id);
    let w = gr.wait_minutes.unwrap_or(0);
    g.min_wait = Some(g.min_wait.map_or(w, |m| m.min(w)));
    g.max_wait = Some(g.max_wait.map_or(w, |m| m.max(w)));
    g.leaked += gr.leaked as i64;
    if g.created_by.is_none() {
        g.created_by = gr.created_by.as_ref().map(|c| p.str(c.function).to_string());
    }
}

fn is_traceback(p: &Profile) -> bool {
    p.source_format == crate::model::SourceFormat::GoroutineDebug2
}

fn plural(n: i64, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

fn has_frame(g: &Group, name: &str) -> bool {
    g.frames.iter().any(|f| f == name)
}

fn regex_quote(s: &str) -> String {
    regex::escape(s)
}

fn stack_ref(g: &Group, focus_on: &str) -> StackRef {
    StackRef {
        frames: g.frames.iter().rev().cloned().collect(),
        value: g.count,
        focus: format!("^{}$", regex_quote(focus_on)),
        function: focus_on.to_string(),
        source: "goroutine",
    }
}

fn count_text(n: f64) -> String {
    format!("{}", n as i64)
}

fn per_minute_text(v: f64, unit: &str) -> String {
    if unit == "bytes" {
        format!("{}/min", units::scaled_label(v as i64, "bytes", "auto"))
    } else {
        format!("{:.1}/min", v)
    }
}

// ---------------------------------------------------------------------------
// Heap profiles.

struct HeapSnapshot<'a> {
    p: &'a Profile,
    /// Index of inuse_space.
    index: usize,
    total: i64,
}

impl<'a> HeapSnapshot<'a> {
    fn new(p: &'a Profile) -> Option<Self> {
        let index = (0..p.num_types()).find(|&i| p.sample_type_name(i) == "inuse_space")?;
        let total = p.samples.values.chunks_exact(p.num_types()).map(|r| r[index]).sum();
        Some(HeapSnapshot { p, index, total })
    }

    /// Bytes in use in samples whose stack satisfies `pred` (names leaf first).
    fn bytes_where(&self, pred: impl Fn(&[String]) -> bool) -> i64 {
        let mut cache: FxHashMap<StackId, bool> = FxHashMap::default();
        let mut sum = 0;
        for i in 0..self.p.samples.len() {
            let s = self.p.samples.stacks[i];
            let hit = *cache.entry(s).or_insert_with(|| pred(&stack_names(self.p, s)));
            if hit {
                sum += self.p.sample_values(i)[self.index];
            }
        }
        sum
    }
}

fn minutes(a: &Profile, b: &Profile) -> Option<f64> {
    if a.time_nanos == 0 || b.time_nanos == 0 || b.time_nanos <= a.time_nanos {
        return None;
    }
    Some((b.time_nanos - a.time_nanos) as f64 / 60e9)
}

// ---------------------------------------------------------------------------
// The rules.

const READ_LOOP: &str = "net/http.(*persistConn).readLoop";
const WRITE_LOOP: &str = "net/http.(*persistConn).writeLoop";
const DIAL_CONN: &str = "net/http.(*Transport).dialConn";

/// readLoop goroutines idle on a keep-alive connection wait in bufio Peek for the next response.
fn read_loop_idle(g: &Group) -> bool {
    has_frame(g, READ_LOOP) && has_frame(g, "bufio.(*Reader).Peek")
}

/// readLoop goroutines waiting for the caller to consume or close the body
/// block in a select inside readLoop itself (tracebacks hide the runtime
/// frames, so there readLoop is the leaf and the state says "select").
fn read_loop_waiting_on_body(g: &Group) -> bool {
    let Some(pos) = g.frames.iter().position(|f| f == READ_LOOP) else { return false };
    let below = &g.frames[..pos];
    if below.iter().any(|f| f == "bufio.(*Reader).Peek") {
        return false;
    }
    below.iter().any(|f| f == "runtime.selectgo")
        || (pos == 0 && g.states.iter().any(|(s, _)| waitreason::classify(s) == WaitClass::Channel))
}

fn transport_per_request(gs: &[GoroutineSnapshot], hs: &[HeapSnapshot], limit: Option<f64>) -> Option<Finding> {
    let last = gs.last()?;
    let read = last.count_where(|g| has_frame(g, READ_LOOP));
    let write = last.count_where(|g| has_frame(g, WRITE_LOOP));
    let idle = last.count_where(read_loop_idle);
    if read < 50 || write < 50 {
        return None;
    }
    let (lo, hi) = (read.min(write) as f64, read.max(write) as f64);
    if lo < 0.8 * hi || (idle as f64) < 0.5 * read as f64 {
        return None;
    }
    let mut ev = vec![
        Evidence {
            key: "readloop_goroutines",
            label: "readLoop goroutines".into(),
            value: read as f64,
            text: count_text(read as f64),
        },
        Evidence {
            key: "writeloop_goroutines",
            label: "writeLoop goroutines".into(),
            value: write as f64,
            text: count_text(write as f64),
        },
        Evidence {
            key: "idle_readloop_goroutines",
            label: "readLoop goroutines idle on a keep-alive connection".into(),
            value: idle as f64,
            text: count_text(idle as f64),
        },
        Evidence {
            key: "share_of_goroutines",
            label: "share of all goroutines".into(),
            value: (read + write) as f64 / last.total as f64,
            text: format!("{:.1}%", 100.0 * (read + write) as f64 / last.total as f64),
        },
    ];
    let mut severity = Severity::Medium;
    if gs.len() >= 2 {
        let first = &gs[0];
        let read0 = first.count_where(|g| has_frame(g, READ_LOOP));
        if read <= read0 {
            return None; // Not growing: a busy service with many connections, not a leak.
        }
        severity = Severity::High;
        ev.push(Evidence {
            key: "readloop_growth",
            label: "readLoop goroutines added".into(),
            value: (read - read0) as f64,
            text: format!("+{}", read - read0),
        });
        if let Some(m) = minutes(first.p, last.p) {
            let rate = (read - read0) as f64 / m;
            ev.push(Evidence {
                key: "readloop_growth_per_minute",
                label: "readLoop goroutines added per minute".into(),
                value: rate,
                text: per_minute_text(rate, "count"),
            });
            if let Some(limit) = limit {
                let goroutine_rate = (last.total - first.total) as f64 / m;
                if goroutine_rate > 0.0 && (last.total as f64) < limit {
                    let mins = (limit - last.total as f64) / goroutine_rate;
                    ev.push(Evidence {
                        key: "minutes_to_limit",
                        label: format!("minutes until {} goroutines", limit as i64),
                        value: mins,
                        text: format!("{mins:.0} min"),
                    });
                }
            }
        }
    } else if idle >= 100 {
        severity = Severity::High;
    }
    let created = last.count_where(|g| {
        g.created_by.as_deref() == Some(DIAL_CONN) && (has_frame(g, READ_LOOP) || has_frame(g, WRITE_LOOP))
    });
    if last.p.goroutines.is_some() {
        ev.push(Evidence {
            key: "created_by_dialconn",
            label: "of them created by (*Transport).dialConn".into(),
            value: created as f64,
            text: count_text(created as f64),
        });
    }
    // Which label values carry these goroutines (pprof.Do labels are inherited).
    let mut by_label: FxHashMap<(String, String), i64> = FxHashMap::default();
    for g in last.groups.iter().filter(|g| has_frame(g, READ_LOOP) || has_frame(g, WRITE_LOOP)) {
        // Tracebacks carry the goroutine state as a label; it says nothing about the caller.
        for (k, v) in g.labels.iter().filter(|(k, _)| !(is_traceback(last.p) && k == "state")) {
            *by_label.entry((k.clone(), v.clone())).or_insert(0) += g.count;
        }
    }
    if let Some(((k, v), n)) = by_label.into_iter().max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(&a.0))) {
        let share = n as f64 / (read + write) as f64;
        ev.push(Evidence {
            key: "dominant_label_share",
            label: format!("carry the label {k}={v}"),
            value: share,
            text: format!("{:.1}%", share * 100.0),
        });
    }
    // The code that makes the requests: first user frames of goroutines in the HTTP client.
    let mut callers: FxHashMap<String, i64> = FxHashMap::default();
    for g in &last.groups {
        if g.frames
            .iter()
            .any(|f| f.starts_with("net/http.(*Client).") || f.starts_with("net/http.(*Transport).roundTrip"))
        {
            if let Some(u) = first_user_frame(&g.frames) {
                *callers.entry(u.clone()).or_insert(0) += g.count;
            }
        }
    }
    // Heap held by the connections' bufio buffers.
    if let Some(h) = hs.last() {
        let bytes = h.bytes_where(|names| {
            names.iter().any(|f| f == DIAL_CONN)
                && names.iter().any(|f| f == "bufio.NewReaderSize" || f == "bufio.NewWriterSize")
        });
        if h.total > 0 && bytes > 0 {
            let share = bytes as f64 / h.total as f64;
            ev.push(Evidence {
                key: "dialconn_bufio_heap_share",
                label: format!(
                    "of the heap in use: bufio buffers under dialConn ({})",
                    units::scaled_label(bytes, "bytes", "auto")
                ),
                value: share,
                text: format!("{:.1}%", share * 100.0),
            });
        }
    }
    let mut stacks: Vec<StackRef> = last
        .groups
        .iter()
        .filter(|g| has_frame(g, READ_LOOP) || has_frame(g, WRITE_LOOP))
        .map(|g| stack_ref(g, if has_frame(g, READ_LOOP) { READ_LOOP } else { WRITE_LOOP }))
        .collect();
    stacks.sort_rows_by(|a, b| b.value.cmp(&a.value));
    stacks.truncate(4);
    let mut caller_list: Vec<(String, i64)> = callers.into_iter().collect();
    caller_list.sort_rows_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let callers_text = if caller_list.is_empty() {
        String::new()
    } else {
        format!(
            " Requests are made from {}.",
            caller_list
                .iter()
                .take(3)
                .map(|(f, n)| format!("{f} ({n} goroutine{})", if *n == 1 { "" } else { "s" }))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    Some(Finding {
        rule: NEW_TRANSPORT_PER_REQUEST.id,
        title: NEW_TRANSPORT_PER_REQUEST.title,
        severity,
        summary: format!(
            "{read} readLoop and {write} writeLoop goroutines ({} of {} goroutines): each is one idle client connection kept alive by a transport that is never reused.{callers_text}",
            format_args!("{:.0}%", 100.0 * (read + write) as f64 / last.total as f64),
            last.total
        ),
        evidence: ev,
        stacks,
        fix: NEW_TRANSPORT_PER_REQUEST.fix,
        thresholds: NEW_TRANSPORT_PER_REQUEST.thresholds,
    })
}

fn body_not_closed(gs: &[GoroutineSnapshot]) -> Option<Finding> {
    let last = gs.last()?;
    let waiting = last.count_where(read_loop_waiting_on_body);
    let idle = last.count_where(read_loop_idle);
    if waiting < 50 || waiting <= idle {
        return None;
    }
    let stacks =
        last.groups.iter().filter(|g| read_loop_waiting_on_body(g)).map(|g| stack_ref(g, READ_LOOP)).take(3).collect();
    Some(Finding {
        rule: BODY_NOT_CLOSED.id,
        title: BODY_NOT_CLOSED.title,
        severity: if gs.len() >= 2 { Severity::High } else { Severity::Medium },
        summary: format!("{waiting} readLoop goroutines wait for a response body to be read or closed ({idle} are idle connections)."),
        evidence: vec![
            Evidence { key: "readloop_waiting_on_body", label: "readLoop goroutines waiting on a body".into(), value: waiting as f64, text: count_text(waiting as f64) },
            Evidence { key: "idle_readloop_goroutines", label: "idle readLoop goroutines".into(), value: idle as f64, text: count_text(idle as f64) },
        ],
        stacks,
        fix: BODY_NOT_CLOSED.fix,
        thresholds: BODY_NOT_CLOSED.thresholds,
    })
}

/// Goroutines blocked on a wait of `class`, in user code. With a single
/// snapshot of a live process, `single_min` goroutines on one stack are needed.
fn blocked(gs: &[GoroutineSnapshot], rule: Rule, class: WaitClass, single_min: i64) -> Option<Finding> {
    let last = gs.last()?;
    let in_state = |g: &Group| g.states.iter().any(|(s, _)| waitreason::classify(s) == class);
    let candidate = |g: &Group| in_state(g) && first_user_frame(&g.frames).is_some();
    let first = if gs.len() >= 2 { Some(&gs[0]) } else { None };
    let interval = first.and_then(|f| minutes(f.p, last.p));
    let mut hits: Vec<(&Group, String)> = Vec::new();
    for g in last.groups.iter().filter(|g| candidate(g)) {
        let why = if last.deadlock {
            Some("the runtime reported that all goroutines are asleep (deadlock)".to_string())
        } else if last.crash {
            Some("blocked when the program crashed".to_string())
        } else if let Some(f) = first {
            let before: i64 = f.groups.iter().filter(|h| h.frames == g.frames).map(|h| h.count).sum();
            let waited_all = match (interval, g.min_wait) {
                (Some(m), Some(w)) => w as f64 >= m.floor() && m >= 1.0,
                _ => false,
            };
            if g.count >= 10 && g.count > before {
                Some(format!("grew from {before} to {} between snapshots", g.count))
            } else if g.count >= 10 && waited_all {
                Some(format!(
                    "every one has waited at least {} minutes, the whole interval between the dumps",
                    g.min_wait.unwrap_or(0)
                ))
            } else {
                None
            }
        } else if g.count >= single_min {
            Some(format!("{} goroutines on one stack", g.count))
        } else {
            None
        };
        if let Some(w) = why {
            hits.push((g, w));
        }
    }
    if hits.is_empty() {
        return None;
    }
    hits.sort_rows_by(|a, b| b.0.count.cmp(&a.0.count));
    let n: i64 = hits.iter().map(|h| h.0.count).sum();
    let (top, why) = &hits[0];
    let user = first_user_frame(&top.frames).cloned().unwrap_or_default();
    let state = top.states.first().map(|s| s.0.clone()).unwrap_or_default();
    let severity = if last.deadlock || (first.is_some() && n >= 10) { Severity::High } else { Severity::Medium };
    Some(Finding {
        rule: rule.id,
        title: rule.title,
        severity,
        summary: format!("{} blocked ({state}) in {user}: {why}.", plural(n, "goroutine")),
        evidence: vec![
            Evidence {
                key: "blocked_goroutines",
                label: "blocked goroutines".into(),
                value: n as f64,
                text: count_text(n as f64),
            },
            Evidence {
                key: "groups",
                label: "distinct stacks".into(),
                value: hits.len() as f64,
                text: hits.len().to_string(),
            },
        ],
        stacks: hits.iter().take(4).map(|(g, _)| stack_ref(g, first_user_frame(&g.frames).unwrap())).collect(),
        fix: rule.fix,
        thresholds: rule.thresholds,
    })
}

/// Where a group waits: its first frame in user code, else its first frame
/// outside the runtime, else its leaf.
fn blocking_site(g: &Group) -> String {
    first_user_frame(&g.frames)
        .or_else(|| g.frames.iter().find(|f| !is_runtime(f)))
        .or_else(|| g.frames.first())
        .cloned()
        .unwrap_or_default()
}

/// The labels of a group as `k=v` pairs (without the traceback's `state`).
fn labels_text(g: &Group) -> String {
    let l: Vec<String> = g.labels.iter().filter(|(k, _)| k != "state").map(|(k, v)| format!("{k}={v}")).collect();
    l.join(" ")
}

/// One blocking site of proven leaks: the groups there, their count, wait reason, labels, waits.
struct LeakSite<'g> {
    site: String,
    reason: String,
    count: i64,
    groups: Vec<&'g Group>,
    labels: Vec<String>,
    max_wait: Option<u32>,
}

fn leak_sites<'g>(snap: &'g GoroutineSnapshot) -> Vec<LeakSite<'g>> {
    let mut sites: Vec<LeakSite> = Vec::new();
    for g in snap.groups.iter().filter(|g| g.leaked > 0) {
        let site = blocking_site(g);
        let reason = match g.states.first().map(|s| s.0.as_str()) {
            // debug=1 text hides the runtime frames that tell the wait.
            Some("unknown") | None => "wait reason not in this form".to_string(),
            Some(s) => s.to_string(),
        };
        let at = match sites.iter().position(|s| s.site == site && s.reason == reason) {
            Some(i) => i,
            None => {
                let s = LeakSite { site, reason, count: 0, groups: Vec::new(), labels: Vec::new(), max_wait: None };
                sites.push(s);
                sites.len() - 1
            }
        };
        let s = &mut sites[at];
        s.count += g.leaked;
        s.groups.push(g);
        let l = labels_text(g);
        if !l.is_empty() && !s.labels.contains(&l) {
            s.labels.push(l);
        }
        s.max_wait = s.max_wait.max(g.max_wait.filter(|&w| w > 0));
    }
    sites.sort_rows_by(|a, b| b.count.cmp(&a.count).then_with(|| a.site.cmp(&b.site)));
    sites
}

fn leak_site_text(s: &LeakSite) -> String {
    format!("{} at {} ({}){}", s.count, s.site, s.reason, leak_site_detail(s))
}

/// What a site's goroutines carry: labels, and how long they have waited.
fn leak_site_detail(s: &LeakSite) -> String {
    let mut t = String::new();
    if !s.labels.is_empty() {
        t.push_str(&format!(", labels {}", s.labels.join("; ")));
    }
    if let Some(w) = s.max_wait {
        t.push_str(&format!(", blocked for up to {w} minutes"));
    }
    t
}

/// Goroutines the runtime proved leaked: the newest goroutineleak profile,
/// else the newest dump with `(leaked)` goroutines. No threshold.
fn proven_leaks(gs: &[GoroutineSnapshot], leaks: &[GoroutineSnapshot]) -> Option<Finding> {
    let snap = leaks
        .iter()
        .rev()
        .find(|s| s.groups.iter().any(|g| g.leaked > 0))
        .or_else(|| gs.iter().rev().find(|s| s.groups.iter().any(|g| g.leaked > 0)))?;
    let sites = leak_sites(snap);
    let n: i64 = sites.iter().map(|s| s.count).sum();
    let listed: Vec<String> = sites.iter().take(3).map(leak_site_text).collect();
    let more = if sites.len() > 3 { format!("; and {} more sites", sites.len() - 3) } else { String::new() };
    let mut evidence = vec![
        Evidence {
            key: "leaked_goroutines",
            label: "goroutines proven leaked".into(),
            value: n as f64,
            text: count_text(n as f64),
        },
        Evidence {
            key: "leak_sites",
            label: "blocking sites".into(),
            value: sites.len() as f64,
            text: sites.len().to_string(),
        },
    ];
    for s in sites.iter().take(8) {
        evidence.push(Evidence {
            key: "leaked_at_site",
            label: format!("leaked at {} ({})", s.site, s.reason),
            value: s.count as f64,
            text: format!("{}{}", s.count, leak_site_detail(s)),
        });
    }
    Some(Finding {
        rule: PROVEN_LEAK.id,
        title: PROVEN_LEAK.title,
        severity: Severity::High,
        summary: format!(
            "The Go runtime proved these {} can never run again: {}{more}.",
            plural(n, "goroutine"),
            listed.join("; ")
        ),
        evidence,
        stacks: sites.iter().take(4).map(|s| stack_ref(s.groups[0], &s.site)).collect(),
        fix: PROVEN_LEAK.fix,
        thresholds: PROVEN_LEAK.thresholds,
    })
}

/// Goroutines on a nil channel or an empty select: nothing can wake them.
fn never_wakes(gs: &[GoroutineSnapshot]) -> Option<Finding> {
    let last = gs.last()?;
    let never = |g: &&Group| g.states.iter().any(|(s, _)| waitreason::classify(s) == WaitClass::NeverWakes);
    let mut hits: Vec<&Group> = last.groups.iter().filter(never).collect();
    if hits.is_empty() {
        return None;
    }
    hits.sort_rows_by(|a, b| b.count.cmp(&a.count));
    let n: i64 = hits.iter().map(|g| g.count).sum();
    let parts: Vec<String> = hits
        .iter()
        .take(3)
        .map(|g| format!("{} in {} ({})", g.count, blocking_site(g), g.states.first().map_or("", |s| s.0.as_str())))
        .collect();
    Some(Finding {
        rule: NEVER_WAKES.id,
        title: NEVER_WAKES.title,
        severity: Severity::Medium,
        summary: format!("{} can never wake: {}.", plural(n, "goroutine"), parts.join("; ")),
        evidence: vec![
            Evidence {
                key: "never_wakes_goroutines",
                label: "goroutines that can never wake".into(),
                value: n as f64,
                text: count_text(n as f64),
            },
            Evidence {
                key: "groups",
                label: "distinct stacks".into(),
                value: hits.len() as f64,
                text: hits.len().to_string(),
            },
        ],
        stacks: hits.iter().take(4).map(|g| stack_ref(g, &blocking_site(g))).collect(),
        fix: NEVER_WAKES.fix,
        thresholds: NEVER_WAKES.thresholds,
    })
}

const TIMER_FUNCS: &[&str] = &["time.NewTimer", "time.NewTicker", "time.After", "time.AfterFunc", "time.Tick"];

fn timers(hs: &[HeapSnapshot]) -> Option<Finding> {
    let last = hs.last()?;
    let under = |names: &[String]| names.iter().any(|f| TIMER_FUNCS.contains(&f.as_str()));
    let bytes = last.bytes_where(under);
    if bytes < (1 << 20) || (bytes as f64) < 0.05 * last.total as f64 {
        return None;
    }
    if hs.len() >= 2 && hs[0].bytes_where(under) >= bytes {
        return None;
    }
    Some(Finding {
        rule: TIMERS_NOT_STOPPED.id,
        title: TIMERS_NOT_STOPPED.title,
        severity: Severity::Medium,
        summary: format!(
            "{} of the heap in use is held under timer constructors.",
            units::scaled_label(bytes, "bytes", "auto")
        ),
        evidence: vec![Evidence {
            key: "timer_heap_share",
            label: "share of the heap in use".into(),
            value: bytes as f64 / last.total as f64,
            text: format!("{:.1}%", 100.0 * bytes as f64 / last.total as f64),
        }],
        stacks: Vec::new(),
        fix: TIMERS_NOT_STOPPED.fix,
        thresholds: TIMERS_NOT_STOPPED.thresholds,
    })
}

/// Heap in use per allocating function (the leaf frame), at function granularity.
fn by_site(h: &HeapSnapshot) -> FxHashMap<String, i64> {
    let mut m: FxHashMap<String, i64> = FxHashMap::default();
    for i in 0..h.p.samples.len() {
        let v = h.p.sample_values(i)[h.index];
        if v == 0 {
            continue;
        }
        let stack = h.p.sample_stack(i);
        let Some(&leaf) = stack.first() else { continue };
        let Some(line) = h.p.location(leaf).lines.first() else { continue };
        *m.entry(h.p.str(h.p.function(line.function).name).to_string()).or_insert(0) += v;
    }
    m
}

fn allocation_site(hs: &[HeapSnapshot], limit: Option<f64>) -> Option<Finding> {
    if hs.len() < 2 {
        return None;
    }
    let (first, last) = (&hs[0], &hs[hs.len() - 1]);
    let growth = last.total - first.total;
    if growth < (1 << 20) {
        return None;
    }
    let (a, b) = (by_site(first), by_site(last));
    let (site, delta) = b
        .iter()
        .map(|(k, &v)| (k.clone(), v - a.get(k).copied().unwrap_or(0)))
        .max_by(|x, y| x.1.cmp(&y.1).then_with(|| y.0.cmp(&x.0)))?;
    let share = delta as f64 / growth as f64;
    if share < 0.3 {
        return None;
    }
    let mut ev = vec![
        Evidence {
            key: "site_growth_share",
            label: "share of the heap growth".into(),
            value: share,
            text: format!("{:.1}%", share * 100.0),
        },
        Evidence {
            key: "site_growth_bytes",
            label: "growth at this site".into(),
            value: delta as f64,
            text: units::scaled_label(delta, "bytes", "auto"),
        },
    ];
    if let Some(m) = minutes(first.p, last.p) {
        let rate = delta as f64 / m;
        ev.push(Evidence {
            key: "site_bytes_per_minute",
            label: "growth per minute".into(),
            value: rate,
            text: per_minute_text(rate, "bytes"),
        });
        if let Some(limit) = limit {
            let total_rate = growth as f64 / m;
            if total_rate > 0.0 && (last.total as f64) < limit {
                let mins = (limit - last.total as f64) / total_rate;
                ev.push(Evidence {
                    key: "minutes_to_limit",
                    label: format!(
                        "minutes until the heap reaches {}",
                        units::scaled_label(limit as i64, "bytes", "auto")
                    ),
                    value: mins,
                    text: format!("{mins:.0} min"),
                });
            }
        }
    }
    Some(Finding {
        rule: ALLOCATION_SITE_DOMINATES.id,
        title: ALLOCATION_SITE_DOMINATES.title,
        severity: Severity::Medium,
        summary: format!(
            "{site} holds {:.0}% of the heap growth ({}).",
            share * 100.0,
            units::scaled_label(delta, "bytes", "auto")
        ),
        evidence: ev,
        stacks: vec![StackRef {
            frames: vec![site.clone()],
            value: delta,
            focus: format!("^{}$", regex_quote(&site)),
            function: site.clone(),
            source: "heap",
        }],
        fix: ALLOCATION_SITE_DOMINATES.fix,
        thresholds: ALLOCATION_SITE_DOMINATES.thresholds,
    })
}

/// The smallest goroutine stack on 64-bit Go.
pub const MIN_STACK_BYTES: i64 = 8 << 10;

fn goroutine_stacks(gs: &[GoroutineSnapshot], hs: &[HeapSnapshot]) -> Option<Finding> {
    let (g, h) = (gs.last()?, hs.last()?);
    if g.total < 1000 || h.total <= 0 {
        return None;
    }
    let est = g.total * MIN_STACK_BYTES;
    let ratio = est as f64 / h.total as f64;
    if ratio < 0.1 {
        return None;
    }
    Some(Finding {
        rule: GOROUTINE_STACKS.id,
        title: GOROUTINE_STACKS.title,
        severity: Severity::Low,
        summary: format!(
            "{} goroutines hold at least {} of stacks, {:.0}% of the {} heap in use shown by the heap profile.",
            g.total,
            units::scaled_label(est, "bytes", "auto"),
            ratio * 100.0,
            units::scaled_label(h.total, "bytes", "auto")
        ),
        evidence: vec![
            Evidence {
                key: "goroutines",
                label: "goroutines".into(),
                value: g.total as f64,
                text: count_text(g.total as f64),
            },
            Evidence {
                key: "stack_bytes_estimate",
                label: "stack memory, at least".into(),
                value: est as f64,
                text: units::scaled_label(est, "bytes", "auto"),
            },
            Evidence {
                key: "stack_to_heap_ratio",
                label: "compared with the heap in use".into(),
                value: ratio,
                text: format!("{:.0}%", ratio * 100.0),
            },
        ],
        stacks: Vec::new(),
        fix: GOROUTINE_STACKS.fix,
        thresholds: GOROUTINE_STACKS.thresholds,
    })
}

/// The findings as text (the CLI's `findings` report and the Markdown export share it).
pub fn render_text(findings: &[Finding]) -> String {
    if findings.is_empty() {
        return "No findings: no rule's thresholds were met (see `profdrop findings --rules`).\n".into();
    }
    let mut out = String::new();
    for (i, f) in findings.iter().enumerate() {
        out.push_str(&format!(
            "{}. [{}] {} ({})\n",
            i + 1,
            format!("{:?}", f.severity).to_lowercase(),
            f.title,
            f.rule
        ));
        out.push_str(&format!("   {}\n", f.summary));
        for e in &f.evidence {
            out.push_str(&format!("   - {}: {}\n", e.label, e.text));
        }
        for s in &f.stacks {
            out.push_str(&format!("   stack ({}): {}\n", s.value, s.frames.join(" > ")));
        }
        out.push_str(&format!("   fix: {}\n", f.fix));
        out.push_str(&format!("   fires when: {}\n\n", f.thresholds));
    }
    out
}

/// The rule library as text (`profdrop findings --rules`).
pub fn render_rules() -> String {
    let mut out = String::new();
    for r in RULES {
        out.push_str(&format!(
            "{} — {}\n  matches: {}\n  fires when: {}\n  fix: {}\n\n",
            r.id, r.title, r.matches, r.thresholds, r.fix
        ));
    }
    out
}
