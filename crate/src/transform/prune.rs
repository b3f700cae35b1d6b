//! Dropping uninteresting frames, as pprof does (profile/prune.go): the
//! profile's own `drop_frames`/`keep_frames` on load, and `prune_from`.

use super::{map_stacks, TransformError};
use crate::model::*;
use regex::Regex;

/// pprof's simplifyFunc: the function name up to its first "(" that is not
/// part of "(anonymous namespace)" or "operator()", without a leading ".".
pub fn simplify_func(name: &str) -> &str {
    let name = name.strip_prefix('.').unwrap_or(name);
    let mut i = 0;
    while let Some(off) = name[i..].find(['(', 'o']) {
        let at = i + off;
        let rest = &name[at..];
        if rest.starts_with("(anonymous namespace)") {
            i = at + "(anonymous namespace)".len();
        } else if rest.starts_with("operator()") {
            i = at + "operator()".len();
        } else if rest.starts_with('(') {
            return &name[..at];
        } else {
            i = at + 1;
        }
    }
    name
}

fn anchored(re: &str) -> Result<Regex, TransformError> {
    super::go_regexp(&format!("^({re})$")).map_err(|e| TransformError(format!("failed to compile regexp {re}: {e}")))
}

/// pprof's RemoveUninteresting: applies the profile's drop_frames/keep_frames.
pub fn remove_uninteresting(p: &Profile) -> Result<Profile, TransformError> {
    let drop = p.str(p.drop_frames);
    if drop.is_empty() {
        return Ok(p.clone());
    }
    let drop = anchored(drop)?;
    let keep = match p.str(p.keep_frames) {
        "" => None,
        k => Some(anchored(k)?),
    };
    Ok(prune(p, &drop, keep.as_ref()))
}

/// pprof's Prune: removes frames matching `drop` (and not `keep`) and
/// everything below them, from the first user frame down.
pub fn prune(p: &Profile, drop: &Regex, keep: Option<&Regex>) -> Profile {
    let n = p.locations.len();
    let mut prune = vec![false; n];
    let mut beneath = vec![false; n];
    let mut new_lines: Vec<Option<Vec<Line>>> = vec![None; n];
    for (li, loc) in p.locations.iter().enumerate() {
        let mut hit = None;
        for (i, line) in loc.lines.iter().enumerate().rev() {
            let name = p.str(p.function(line.function).name);
            if name.is_empty() {
                continue;
            }
            let f = simplify_func(name);
            if drop.is_match(f) && !keep.is_some_and(|k| k.is_match(f)) {
                hit = Some(i);
                break;
            }
        }
        if let Some(i) = hit {
            beneath[li] = true;
            if i == loc.lines.len() - 1 {
                prune[li] = true;
            } else {
                new_lines[li] = Some(loc.lines[i + 1..].to_vec());
            }
        }
    }
    let mut out = map_stacks(p, |frames, buf| {
        let mut start = 0;
        let mut found_user = false;
        for i in (0..frames.len()).rev() {
            let id = frames[i].idx();
            if !prune[id] && !beneath[id] {
                found_user = true;
                continue;
            }
            if !found_user {
                continue;
            }
            start = if prune[id] { i + 1 } else { i };
            break;
        }
        buf.extend_from_slice(&frames[start..]);
        true
    });
    for (li, lines) in new_lines.into_iter().enumerate() {
        if let Some(lines) = lines {
            out.locations[li].lines = lines;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::simplify_func;

    #[test]
    fn simplify() {
        assert_eq!(simplify_func("foo(int)"), "foo");
        assert_eq!(simplify_func(".foo"), "foo");
        assert_eq!(simplify_func("(anonymous namespace)::f(int)"), "(anonymous namespace)::f");
        assert_eq!(simplify_func("A::operator()(int)"), "A::operator()");
        assert_eq!(simplify_func("net/http.(*Transport).dialConn"), "net/http.");
        assert_eq!(simplify_func("main.main"), "main.main");
    }
}
