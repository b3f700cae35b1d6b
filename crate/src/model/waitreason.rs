//! Wait reasons by class. A goroutine header names why the goroutine waits
//! with one of the runtime's `waitReasonStrings` (`runtime/runtime2.go`), and
//! the names change between Go versions (`semacquire` became
//! `sync.Mutex.Lock`, `sync.WaitGroup.Wait`, … in Go 1.20; synctest added
//! `(durable)` waits in 1.25). Rules match classes, so one rule reads dumps
//! of every version alike.

/// What kind of thing a goroutine waits on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum WaitClass {
    /// `chan send`, `chan receive`, `select`.
    Channel,
    /// `chan send (nil chan)`, `chan receive (nil chan)`, `select (no cases)`:
    /// nothing can ever wake these goroutines.
    NeverWakes,
    /// sync.Mutex, RWMutex, WaitGroup, Cond, and the older `semacquire`.
    Sync,
    /// `IO wait`, and goroutines in a system call.
    NetworkIo,
    /// `sleep`, timers.
    Sleep,
    /// synctest bubbles' durable waits (`chan receive (durable)`, `synctest.Wait`, …).
    SynctestDurable,
    /// The runtime's own goroutines and waits (GC workers, finalizers, …).
    RuntimeInternal,
    /// Running, runnable, or a reason not in the list.
    Other,
}

impl WaitClass {
    pub fn as_str(self) -> &'static str {
        match self {
            WaitClass::Channel => "channel",
            WaitClass::NeverWakes => "never-wakes",
            WaitClass::Sync => "sync",
            WaitClass::NetworkIo => "network/IO",
            WaitClass::Sleep => "sleep/timers",
            WaitClass::SynctestDurable => "synctest-durable",
            WaitClass::RuntimeInternal => "runtime-internal",
            WaitClass::Other => "other",
        }
    }
}

/// Every wait reason of the newest `waitReasonStrings` (Go 1.25, with
/// `GOMAXPROCS updater (idle)` and `cleanup wait`), plus the older names
/// still found in dumps, with its class.
pub const WAIT_REASONS: &[(&str, WaitClass)] = &[
    ("GC assist marking", WaitClass::RuntimeInternal),
    ("IO wait", WaitClass::NetworkIo),
    ("chan receive (nil chan)", WaitClass::NeverWakes),
    ("chan send (nil chan)", WaitClass::NeverWakes),
    ("dumping heap", WaitClass::RuntimeInternal),
    ("garbage collection", WaitClass::RuntimeInternal),
    ("garbage collection scan", WaitClass::RuntimeInternal),
    ("panicwait", WaitClass::RuntimeInternal),
    ("select", WaitClass::Channel),
    ("select (no cases)", WaitClass::NeverWakes),
    ("GC assist wait", WaitClass::RuntimeInternal),
    ("GC sweep wait", WaitClass::RuntimeInternal),
    ("GC scavenge wait", WaitClass::RuntimeInternal),
    ("chan receive", WaitClass::Channel),
    ("chan send", WaitClass::Channel),
    ("finalizer wait", WaitClass::RuntimeInternal),
    ("force gc (idle)", WaitClass::RuntimeInternal),
    ("GOMAXPROCS updater (idle)", WaitClass::RuntimeInternal),
    ("semacquire", WaitClass::Sync),
    ("sleep", WaitClass::Sleep),
    ("sync.Cond.Wait", WaitClass::Sync),
    ("sync.Mutex.Lock", WaitClass::Sync),
    ("sync.RWMutex.RLock", WaitClass::Sync),
    ("sync.RWMutex.Lock", WaitClass::Sync),
    ("sync.WaitGroup.Wait", WaitClass::Sync),
    ("trace reader (blocked)", WaitClass::RuntimeInternal),
    ("wait for GC cycle", WaitClass::RuntimeInternal),
    ("GC worker (idle)", WaitClass::RuntimeInternal),
    ("GC worker (active)", WaitClass::RuntimeInternal),
    ("preempted", WaitClass::RuntimeInternal),
    ("debug call", WaitClass::RuntimeInternal),
    ("GC mark termination", WaitClass::RuntimeInternal),
    ("stopping the world", WaitClass::RuntimeInternal),
    ("flushing proc caches", WaitClass::RuntimeInternal),
    ("trace goroutine status", WaitClass::RuntimeInternal),
    ("trace proc status", WaitClass::RuntimeInternal),
    ("page trace flush", WaitClass::RuntimeInternal),
    ("coroutine", WaitClass::Other),
    ("GC weak to strong wait", WaitClass::RuntimeInternal),
    ("synctest.Run", WaitClass::SynctestDurable),
    ("synctest.Wait", WaitClass::SynctestDurable),
    ("chan receive (durable)", WaitClass::SynctestDurable),
    ("chan send (durable)", WaitClass::SynctestDurable),
    ("select (durable)", WaitClass::SynctestDurable),
    ("sync.WaitGroup.Wait (durable)", WaitClass::SynctestDurable),
    ("cleanup wait", WaitClass::RuntimeInternal),
    // Older names (Go <= 1.19 and before).
    ("timer goroutine (idle)", WaitClass::RuntimeInternal),
    ("sleep (timer)", WaitClass::Sleep),
    ("GC background sweeper wait", WaitClass::RuntimeInternal),
    // Statuses printed when there is no wait reason.
    ("syscall", WaitClass::NetworkIo),
];

/// The class of a state as a header prints it (flags such as `(scan)` and
/// `(leaked)` already removed by the parser; removed here too if present).
pub fn classify(state: &str) -> WaitClass {
    let mut s = state.trim();
    for flag in [" (leaked)", " (scan)"] {
        if let Some(r) = s.strip_suffix(flag) {
            s = r;
        }
    }
    if let Some(&(_, c)) = WAIT_REASONS.iter().find(|(name, _)| *name == s) {
        return c;
    }
    // Unknown reasons of a future Go: a durable wait is synctest's.
    if s.ends_with(" (durable)") {
        return WaitClass::SynctestDurable;
    }
    WaitClass::Other
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn old_and_new_names_share_a_class() {
        assert_eq!(classify("semacquire"), classify("sync.WaitGroup.Wait"));
        assert_eq!(classify("sync.Mutex.Lock"), WaitClass::Sync);
        assert_eq!(classify("chan send (leaked)"), WaitClass::Channel);
        assert_eq!(classify("select (no cases)"), WaitClass::NeverWakes);
        assert_eq!(classify("chan receive (nil chan)"), WaitClass::NeverWakes);
        assert_eq!(classify("chan receive (durable)"), WaitClass::SynctestDurable);
        assert_eq!(classify("GOMAXPROCS updater (idle)"), WaitClass::RuntimeInternal);
        assert_eq!(classify("IO wait"), WaitClass::NetworkIo);
        assert_eq!(classify("sleep"), WaitClass::Sleep);
        assert_eq!(classify("running"), WaitClass::Other);
        assert_eq!(classify("something new (durable)"), WaitClass::SynctestDurable);
    }

    #[test]
    fn names_are_listed_once() {
        for (i, (a, _)) in WAIT_REASONS.iter().enumerate() {
            assert!(!WAIT_REASONS[i + 1..].iter().any(|(b, _)| a == b), "{a} listed twice");
        }
    }
}
