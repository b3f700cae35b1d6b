//! pprof's demangling step (internal/symbolizer `Demangle`), which `go tool
//! pprof` runs on every merged profile: C++ (Itanium `_Z…`) and Rust (legacy
//! and v0) symbols get readable names, simplified by default (no parameters,
//! no template arguments), and names that already look demangled are
//! simplified the same way. The demangling itself is done by `cpp_demangle`
//! and `rustc-demangle`, shaped into the text pprof's demangler prints.

use crate::model::Profile;

/// How mangled names are shown: pprof's `-symbolize=demangle=...` modes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Demangler {
    /// pprof's default: no parameters, no template arguments.
    #[default]
    Simplified,
    /// `demangle=templates`: no parameters.
    Templates,
    /// `demangle=full`: everything but clone suffixes.
    Full,
    /// `demangle=none`: Go 1.19's pprof passes its demangler no option for
    /// it, so names come out whole (parameters, clone suffixes) and names
    /// that look demangled are left alone.
    NoOptions,
}

impl Demangler {
    fn no_params(self) -> bool {
        matches!(self, Demangler::Simplified | Demangler::Templates)
    }
    fn no_templates(self) -> bool {
        self == Demangler::Simplified
    }
}

/// pprof's `-symbolize` option as it bears on names (there is no binary to
/// symbolize against, so `local`, `remote` and `fastlocal` change nothing).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Symbolize {
    /// `none`: names stay exactly as the profile has them.
    pub off: bool,
    /// `force` (or any `demangle=`): names are made again from system names.
    pub force: bool,
    pub mode: Demangler,
}

impl Symbolize {
    /// Parses `-symbolize=MODE` as pprof does; the second value holds the
    /// lines pprof prints on stderr for an option it does not know.
    pub fn parse(mode: &str) -> (Symbolize, Vec<String>) {
        let mut s = Symbolize::default();
        let mut warnings = Vec::new();
        for o in mode.to_lowercase().split(':') {
            match o {
                "" | "local" | "fastlocal" | "remote" => {}
                "none" | "no" => return (Symbolize { off: true, ..Symbolize::default() }, Vec::new()),
                "force" => s.force = true,
                _ => match o.strip_prefix("demangle=").unwrap_or(o) {
                    "full" => (s.mode, s.force) = (Demangler::Full, true),
                    "templates" => (s.mode, s.force) = (Demangler::Templates, true),
                    "none" => (s.mode, s.force) = (Demangler::NoOptions, true),
                    "default" => {}
                    _ => {
                        warnings.push(format!("ignoring unrecognized symbolization option: {mode}"));
                        warnings.push(
                            "expecting -symbolize=[local|fastlocal|remote|none][:force][:demangle=[none|full|templates|default]"
                                .into(),
                        );
                    }
                },
            }
        }
        (s, warnings)
    }
}

/// pprof's `Demangle` over every function of `p`.
pub fn apply(p: &mut Profile, s: Symbolize) {
    if s.off {
        return;
    }
    for i in 0..p.functions.len() {
        let f = &p.functions[i];
        let (name, sys) = (p.str(f.name), p.str(f.system_name));
        // A name that differs from its system name was demangled already,
        // unless forced: then names are made again from system names.
        let remade = s.force && !sys.is_empty();
        if !name.is_empty() && name != sys && !remade {
            continue;
        }
        let new = function_name(sys, s.mode);
        if new != name {
            p.functions[i].name = p.strings.intern(&new);
        }
    }
}

/// pprof's demangleSingleFunction for a function whose name is its system
/// name (or empty): the demangled symbol, or the name simplified when it
/// looks like demangled C++ already.
pub fn function_name(sys: &str, mode: Demangler) -> String {
    if let Some(d) = demangle(sys, mode) {
        if d != sys {
            return d;
        }
    }
    if !looks_like_demangled_cpp(sys) {
        return sys.to_string();
    }
    let mut name = sys.to_string();
    if mode.no_params() {
        name = remove_matching(&name, b'(', b')');
    }
    if mode.no_templates() {
        name = remove_matching(&name, b'<', b'>');
    }
    name
}

/// pprof's heuristic: Java's `class.<init>` and Go's `pkg.(*T[...]).M` are not C++.
fn looks_like_demangled_cpp(s: &str) -> bool {
    !s.contains(".<") && !s.contains("]).") && (s.contains(['<', '>', '[', ']']) || s.contains("::"))
}

/// pprof's demangle.Filter: the demangled form of a C++ or Rust symbol, or
/// None when `sys` is not one (or does not parse).
pub fn demangle(sys: &str, mode: Demangler) -> Option<String> {
    if sys.starts_with("_R") {
        // v0 Rust: pprof's demangler ignores the options and any `.suffix`.
        let base = sys.split('.').next().unwrap_or(sys);
        return rustc_demangle::try_demangle(base).ok().map(|d| format!("{d:#}"));
    }
    if let Some(rname) = legacy_rust(sys) {
        if let Ok(d) = rustc_demangle::try_demangle(rname) {
            return Some(format!("{d:#}"));
        }
    }
    if sys.starts_with("_Z") {
        return cpp(sys, mode);
    }
    None
}

/// A legacy Rust symbol (`_ZN` … `17h` + 16 hex digits, at least 5
/// distinct, `E`, then an optional `.suffix`), without its suffix. Other
/// `_ZN` names are C++.
fn legacy_rust(sys: &str) -> Option<&str> {
    if !sys.starts_with("_ZN") {
        return None;
    }
    let rname = match sys.rfind("E.") {
        Some(pos) if pos > 0 => &sys[..pos + 1],
        _ => sys,
    };
    let b = rname.as_bytes();
    let n = b.len();
    if !rname.ends_with('E') || n <= 23 || &b[n - 20..n - 17] != b"17h" {
        return None;
    }
    let mut seen = 0u16;
    for &c in &b[n - 17..n - 1] {
        let d = match c {
            b'0'..=b'9' => c - b'0',
            b'a'..=b'f' => c - b'a' + 10,
            _ => return None,
        };
        seen |= 1 << d;
    }
    (seen.count_ones() >= 5).then_some(rname)
}

/// An Itanium C++ symbol as pprof's demangler prints it in `mode`.
fn cpp(sys: &str, mode: Demangler) -> Option<String> {
    // Clone suffixes (`.isra.0`, `.cold`) are shown only without options.
    let name = if mode == Demangler::NoOptions { sys } else { sys.split('.').next().unwrap_or(sys) };
    let sym = cpp_demangle::Symbol::new(name.as_bytes()).ok()?;
    let mut o = cpp_demangle::DemangleOptions::new();
    // Special names (thunks, vtables, typeinfo, guard variables, transaction
    // clones) keep their parameters in pprof's demangler.
    let special = name.starts_with("_ZT") || name.starts_with("_ZG");
    if mode.no_params() && !special {
        o = o.no_params().no_return_type();
    }
    let mut s = sym.demangle_with_options(&o).ok()?;
    if mode.no_templates() {
        s = without_template_args(&s);
    }
    if mode.no_params() && !special {
        // Without parameters pprof prints no ref-qualifier either, nor the
        // space that separated a template operator from its arguments.
        let t = s.trim_end_matches(' ');
        let t = t.strip_suffix(" &&").or_else(|| t.strip_suffix(" &")).unwrap_or(t);
        s.truncate(t.len());
    }
    Some(s)
}

/// Operators whose names hold `<` or `>`, longest first.
const ANGLE_OPERATORS: [&str; 11] = [
    "operator<<=",
    "operator>>=",
    "operator<=>",
    "operator->*",
    "operator<<",
    "operator>>",
    "operator<=",
    "operator>=",
    "operator->",
    "operator<",
    "operator>",
];

/// Template arguments `<...>` removed, operator names kept.
fn without_template_args(s: &str) -> String {
    let mask = |i: usize| format!("operator\u{1}{i}\u{1}");
    let mut masked = s.to_string();
    for (i, op) in ANGLE_OPERATORS.iter().enumerate() {
        if masked.contains(op) {
            masked = masked.replace(op, &mask(i));
        }
    }
    let mut out = remove_matching(&masked, b'<', b'>');
    for (i, op) in ANGLE_OPERATORS.iter().enumerate() {
        if out.contains('\u{1}') {
            out = out.replace(&mask(i), op);
        }
    }
    out
}

/// pprof's removeMatching: every outermost `start`…`end` span removed; at a
/// stray `end` it stops, keeping what it removed so far.
pub fn remove_matching(name: &str, start: u8, end: u8) -> String {
    let b = name.as_bytes();
    let mut out: Vec<u8> = Vec::with_capacity(b.len());
    let (mut nesting, mut first) = (0usize, 0usize);
    for (i, &c) in b.iter().enumerate() {
        if c == start {
            nesting += 1;
            if nesting == 1 {
                first = out.len();
            }
        } else if c == end {
            if nesting == 0 {
                out.extend_from_slice(&b[i..]);
                break;
            }
            nesting -= 1;
            if nesting == 0 {
                out.truncate(first);
                continue;
            }
        }
        out.push(c);
    }
    // Only ASCII bytes were removed, so the rest is still UTF-8.
    String::from_utf8(out).unwrap_or_else(|_| name.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cpp_and_rust_symbols() {
        let d = |s: &str, m| function_name(s, m);
        use Demangler::*;
        assert_eq!(d("_ZN6__tsan15TraceSwitchPartEPNS_11ThreadStateE", Simplified), "__tsan::TraceSwitchPart");
        assert_eq!(
            d("_ZN6__tsan15TraceSwitchPartEPNS_11ThreadStateE", Full),
            "__tsan::TraceSwitchPart(__tsan::ThreadState*)"
        );
        assert_eq!(d("_ZNSt6vectorIiSaIiEE9push_backERKi", Simplified), "std::vector::push_back");
        assert_eq!(
            d("_ZNSt6vectorIiSaIiEE9push_backERKi", Templates),
            "std::vector<int, std::allocator<int> >::push_back"
        );
        assert_eq!(d("_ZN3foo3barEv.isra.0", Full), "foo::bar()");
        assert_eq!(d("_ZN3foo3barEv.isra.0", NoOptions), "foo::bar() [clone .isra.0]");
        assert_eq!(d("_ZN3std2rt10lang_start17h0123456789abcdefE", Simplified), "std::rt::lang_start");
        assert_eq!(d("_RNvCs1234_7mycrate3foo", Simplified), "mycrate::foo");
        assert_eq!(d("_ZlsRSoRKSs", Simplified), "operator<<");
        assert_eq!(d("not_mangled", Simplified), "not_mangled");
    }

    #[test]
    fn names_that_look_demangled() {
        use Demangler::*;
        let go = "crypto/internal/fips140/hmac.New[go.shape.interface { BlockSize() int; Reset(); Size() int; Sum([]uint8) []uint8; Write([]uint8) (int, error) }]";
        assert_eq!(
            function_name(go, Simplified),
            "crypto/internal/fips140/hmac.New[go.shape.interface { BlockSize int; Reset; Size int; Sum []uint8; Write  }]"
        );
        assert_eq!(function_name(go, NoOptions), go);
        assert_eq!(function_name("std::map<int, int>::find(int const&)", Simplified), "std::map::find");
        assert_eq!(function_name("java.lang.Object.<init>", Simplified), "java.lang.Object.<init>");
        assert_eq!(function_name("p.(*T[...]).M(x)", Simplified), "p.(*T[...]).M(x)");
        assert_eq!(remove_matching("a(b)c)d(e)", b'(', b')'), "ac)d(e)");
        assert_eq!(remove_matching("a(b(c)", b'(', b')'), "a(b(c)");
    }

    #[test]
    fn symbolize_option() {
        let (s, w) = Symbolize::parse("demangle=full");
        assert_eq!((s.mode, s.force, s.off, w.len()), (Demangler::Full, true, false, 0));
        assert!(Symbolize::parse("none").0.off);
        assert_eq!(Symbolize::parse("local:demangle=templates").0.mode, Demangler::Templates);
        assert_eq!(Symbolize::parse("demangle=none").0.mode, Demangler::NoOptions);
        assert_eq!(Symbolize::parse("bogus").1.len(), 2);
    }
}
