//! Facts about Go function names used by several views.

/// The package path of a Go function name: what precedes the first dot after
/// the last slash ("net/http" of "net/http.(*Client).Do"), type arguments
/// aside. `None` when the name has no such dot (C, C++, Rust symbols).
pub fn go_package(f: &str) -> Option<&str> {
    let head = &f[..f.find('[').unwrap_or(f.len())];
    let from = head.rfind('/').map_or(0, |i| i + 1);
    head[from..].find('.').map(|d| &f[..from + d])
}

/// Go's standard library: the function's package is in the table generated
/// from Go's own package list (model/go_stdlib.rs), never judged by the shape
/// of its path (`payments.Charge` or a cgo symbol is user code), and what
/// follows the package is an identifier path with no type arguments other
/// than Go's elided `[...]` (arguments can name the user's types).
pub fn is_stdlib(f: &str) -> bool {
    let Some(pkg) = go_package(f) else { return false };
    if super::go_stdlib::PACKAGES.binary_search(&pkg).is_err() {
        return false;
    }
    let rest = f[pkg.len() + 1..].replace("[...]", "");
    !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_alphanumeric() || b"_.()*-".contains(&b))
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
        // The table decides, not the shape of the path.
        assert!(is_stdlib("iter.Pull[...].func1"));
        assert!(is_stdlib("vendor/golang.org/x/net/http2/hpack.(*Decoder).Write"));
        assert!(is_stdlib("internal/runtime/maps.(*Map).getWithKeySmall"));
        for user in [
            "payments.ChargeCard",
            "acmecorp/payments/fraud.(*Scorer).Score",
            "SecretProjectFalcon_encrypt",
            "_ZN7acmecorp6Scorer5scoreEv",
            "acmecorp::Scorer::score(int)",
            "golang.org/x/net/http2.(*serverConn).serve",
            "slices.SortFunc[go.shape.struct { github.com/acme/secret.T int }]",
            "runtime.mallocgc secret",
            "runtime",
            "main.main",
        ] {
            assert!(!is_stdlib(user), "{user}");
        }
    }

    #[test]
    fn states_and_user_frames() {
        assert_eq!(derived_state(&["runtime.gopark", "runtime.selectgo", "main.f"]), "select");
        assert_eq!(derived_state(&["main.f"]), "unknown");
        assert_eq!(first_user_frame(&["runtime.gopark", "net/http.x", "main.f", "main.main"]), Some(&"main.f"));
        assert_eq!(first_user_frame(&["runtime.gopark", "net/http.x"]), None);
    }
}
