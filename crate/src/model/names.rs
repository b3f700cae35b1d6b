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
}
