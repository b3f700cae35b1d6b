//! Shared helpers of the integration tests: fixture paths, pprof command
//! lines from COMMANDS.tsv, golden files.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// `tests/fixtures` of the repository.
pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures")
}

pub fn go_fixtures() -> PathBuf {
    fixtures().join("go")
}

pub fn read(path: impl AsRef<Path>) -> Vec<u8> {
    let p = path.as_ref();
    std::fs::read(p).unwrap_or_else(|e| panic!("reading {}: {e}", p.display()))
}

/// The tests compare `Time:` lines rendered in UTC, as the references were made.
pub fn utc() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| std::env::set_var("TZ", "UTC"));
}

/// Splits a POSIX shell command line of the kind COMMANDS.tsv holds
/// (words, single-quoted parts, no other quoting).
pub fn shell_words(s: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut quoted = false;
    for c in s.chars() {
        match c {
            '\'' => {
                quoted = !quoted;
                in_word = true;
            }
            ' ' | '\t' if !quoted => {
                if in_word {
                    words.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            _ => {
                cur.push(c);
                in_word = true;
            }
        }
    }
    if in_word {
        words.push(cur);
    }
    words
}

/// One line of COMMANDS.tsv: output file, the report flag, the options
/// (name, value), the input files.
#[derive(Debug, Clone)]
pub struct PprofCommand {
    pub output: String,
    pub command: String,
    pub report: String,
    pub options: Vec<(String, Option<String>)>,
    pub files: Vec<String>,
}

pub fn pprof_commands() -> Vec<PprofCommand> {
    let tsv = String::from_utf8(read(go_fixtures().join("COMMANDS.tsv"))).unwrap();
    let mut out = Vec::new();
    for line in tsv.lines().filter(|l| !l.trim().is_empty()) {
        let (output, command) = line.split_once('\t').expect("OUTPUT<TAB>COMMAND");
        out.push(parse_command(output, command));
    }
    out
}

/// One `go tool pprof` command line, split into report, options and files.
pub fn parse_command(output: &str, command: &str) -> PprofCommand {
    let words = shell_words(command);
    assert_eq!(&words[..3], ["go", "tool", "pprof"], "{command}");
    let mut report = String::new();
    let mut options = Vec::new();
    let mut files = Vec::new();
    for w in &words[3..] {
        if let Some(flag) = w.strip_prefix('-') {
            let (name, value) = match flag.split_once('=') {
                Some((n, v)) => (n.to_string(), Some(v.to_string())),
                None => (flag.to_string(), None),
            };
            if report.is_empty() && value.is_none() && is_report(&name) {
                report = name;
            } else if report.is_empty() && name == "peek" {
                // pprof's `-peek=RE` is the report `peek` with its regexp as `--peek=RE`.
                report = name.clone();
                options.push((name, value));
            } else {
                options.push((name, value));
            }
        } else {
            files.push(w.clone());
        }
    }
    PprofCommand { output: output.to_string(), command: command.to_string(), report, options, files }
}

pub fn is_report(name: &str) -> bool {
    matches!(name, "top" | "text" | "tree" | "peek" | "traces" | "tags" | "raw" | "dot" | "comments" | "callgrind")
}

/// The profdrop CLI arguments for a pprof command (flags mapped mechanically).
pub fn profdrop_args(c: &PprofCommand, dir: &Path) -> Vec<String> {
    let mut args = vec![c.report.clone()];
    for (n, v) in &c.options {
        let is_file = matches!(n.as_str(), "diff_base" | "base");
        args.push(match v {
            Some(v) if is_file => format!("--{n}={}", dir.join(v).display()),
            Some(v) => format!("--{n}={v}"),
            None => format!("--{n}"),
        });
    }
    for f in &c.files {
        args.push(dir.join(f).display().to_string());
    }
    args
}

/// Runs the CLI as `c` ran `go tool pprof` and compares its stdout with the
/// reference output: Err(why) when it fails or differs, else its outcome (for
/// callers that check more, such as stderr).
#[allow(dead_code)]
pub fn run_against_reference(c: &PprofCommand, dir: &Path) -> Result<profdrop::cli::Outcome, String> {
    let want = String::from_utf8(read(dir.join(&c.output))).unwrap();
    let out = profdrop::cli::run(&profdrop_args(c, dir));
    if out.code != 0 {
        Err(format!("{}: exit {}: {}", c.command, out.code, out.stderr))
    } else if out.stdout != want {
        Err(format!("{}\n{}", c.command, first_difference(&out.stdout, &want)))
    } else {
        Ok(out)
    }
}

/// Line-by-line diff summary for failure messages.
pub fn first_difference(got: &str, want: &str) -> String {
    for (i, (g, w)) in got.lines().zip(want.lines()).enumerate() {
        if g != w {
            return format!("line {}:\n  got:  {g:?}\n  want: {w:?}", i + 1);
        }
    }
    format!("line counts differ: got {} lines, want {}", got.lines().count(), want.lines().count())
}
