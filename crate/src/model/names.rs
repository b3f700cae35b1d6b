//! Facts about Go function names used by several views.

/// Standard library (or runtime): the package path has no dot before its
/// first slash ("net/http", "sync", "runtime"), unlike module paths
/// ("github.com/x/y", "example.com/z"); `main` is the user's program.
pub fn is_stdlib(f: &str) -> bool {
    if f.starts_with("main.") {
        return false;
    }
    let first = f.split('/').next().unwrap_or(f);
    let pkg_head = if f.contains('/') { first } else { f.split('.').next().unwrap_or(f) };
    !pkg_head.contains('.') && !pkg_head.is_empty()
}

/// The runtime and internal packages (frames a user rarely wants to read first).
pub fn is_runtime(f: &str) -> bool {
    f.starts_with("runtime.") || f.starts_with("runtime/internal") || f.starts_with("internal/")
}

/// What a goroutine waits on, named as Go's scheduler names it in a
/// traceback header, derived from the leaf frames of a profile's stack
/// (binary and debug=1 profiles carry no state). "unknown" when the frames
/// that tell are missing (debug=1 text hides the runtime's).
pub fn derived_state<S: AsRef<str>>(leaf_first: &[S]) -> &'static str {
    for f in leaf_first.iter().take(6) {
        let s = match f.as_ref() {
            "runtime.selectgo" => "select",
            "runtime.block" => "select (no cases)",
            "runtime.chanrecv" | "runtime.chanrecv1" | "runtime.chanrecv2" => "chan receive",
            "runtime.chansend" | "runtime.chansend1" => "chan send",
            "runtime.netpollblock" | "internal/poll.runtime_pollWait" => "IO wait",
            "sync.runtime_SemacquireMutex" | "sync.runtime_Semacquire" | "runtime.semacquire1" => "semacquire",
            "sync.runtime_notifyListWait" => "sync.Cond.Wait",
            "sync.(*Mutex).Lock" | "sync.(*Mutex).lockSlow" => "sync.Mutex.Lock",
            "sync.(*RWMutex).Lock" => "sync.RWMutex.Lock",
            "sync.(*RWMutex).RLock" => "sync.RWMutex.RLock",
            "sync.(*WaitGroup).Wait" => "sync.WaitGroup.Wait",
            "time.Sleep" => "sleep",
            // Waits for signals in a blocking system call.
            "os/signal.signal_recv" => "syscall",
            _ => continue,
        };
        return s;
    }
    "unknown"
}

/// The first frame (from the leaf) outside the runtime and the standard library.
pub fn first_user_frame<S: AsRef<str>>(leaf_first: &[S]) -> Option<&S> {
    leaf_first.iter().find(|f| !is_runtime(f.as_ref()) && !is_stdlib(f.as_ref()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stdlib_or_not() {
        assert!(is_stdlib("net/http.(*persistConn).readLoop"));
        assert!(is_stdlib("runtime.gopark"));
        assert!(is_stdlib("bufio.NewReaderSize"));
        assert!(!is_stdlib("main.fetchInventory"));
        assert!(!is_stdlib("github.com/x/y.(*T).M"));
        assert!(!is_stdlib("example.com/app.main"));
        assert!(is_runtime("internal/poll.runtime_pollWait"));
    }

    #[test]
    fn states_and_user_frames() {
        assert_eq!(derived_state(&["runtime.gopark", "runtime.selectgo", "main.f"]), "select");
        assert_eq!(derived_state(&["main.f"]), "unknown");
        assert_eq!(first_user_frame(&["runtime.gopark", "net/http.x", "main.f", "main.main"]), Some(&"main.f"));
        assert_eq!(first_user_frame(&["runtime.gopark", "net/http.x"]), None);
    }
}
