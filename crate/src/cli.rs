//! The native CLI: `profdrop REPORT [--option[=value] ...] FILE...`, printing
//! what `go tool pprof -REPORT` prints with the same options. Every pprof
//! option keeps its name, with two dashes (one is accepted too).

use crate::decode::Limits;
use crate::load::{self, BaseOptions, Input};
use crate::report::{Options, Report, ReportKind};
use crate::session::Session;
use crate::transform::demangle::Symbolize;
use crate::transform::{BaseMode, Granularity};
use crate::util::escape;
use {
    crate::report::callgrind, crate::report::comments, crate::report::dot, crate::report::list, crate::report::peek,
    crate::report::raw, crate::report::tags, crate::report::top, crate::report::traces, crate::report::tree,
};

pub const USAGE: &str = "usage: profdrop REPORT [--option[=value] ...] FILE...

REPORT: top | text | tree | peek | traces | tags | dot | raw | comments | callgrind | list
        (peek and list take their regexp as --peek=RE, --list=RE; list reads the
        sources under --source_path, names cut by --trim_path, as pprof -list;
        also findings, goroutines and merge, see below)
Options (pprof's names):
  --sample_index=NAME|N   --mean            --unit=UNIT       --divide_by=F
  --nodecount=N           --nodefraction=F  --edgefraction=F  --cum | --flat
  --functions | --filefunctions | --files | --lines | --addresses   --noinlines
  --focus=RE --ignore=RE --hide=RE --show=RE --show_from=RE --prune_from=RE
  --tagfocus=EXPR --tagignore=EXPR --tagshow=RE --taghide=RE
  --tagroot=KEYS --tagleaf=KEYS   --call_tree   --add_comment=TEXT
  --trim_path=PATHS  --source_path=PATHS
  --diff_base=FILE | --base=FILE   --normalize   --relative_percentages
  --table=csv|markdown  (top only: the table as the page exports it; with one
                         --diff_base or --base, the diff table with both sides)
  --drop_negative  --compact_labels  --trim=false
  --symbolize=demangle=full|templates|none | --symbolize=none  (names: pprof's
                         demangling; the default is its simplified form)
  --tags_of_total (tags as pprof since 2023 prints them: percentages of the total)
  --raw_names (names as the profile holds them; by default control, bidi and
               zero-width characters show as \\x1b, \\u202e and terminal
               escape sequences are taken out)
  --transform=CODE:FUNC[,...] (repeatable; applied in order after the filters):
      mf merge function, mcn merge call node (PATH = names root first, joined by ;),
      ff focus on function, fs focus on subtree (PATH), df drop function,
      rec collapse recursion, drec collapse direct recursion,
      cp collapse a package or name prefix into one frame; in names write
      % , ; as %25 %2C %3B
Limits:
  --max_inflated=BYTES (default 2 GiB)   --max_samples=N   --max_stack_depth=N
  --max_string_bytes=BYTES   --max_table_entries=N   --max_lines=N   --max_labels=N
Decoder warnings (records skipped, lines not placed, values clamped) and the
repairs made to pasted text are printed on stderr, once per file with their
count and the first example; --strict makes them errors (exit status 1).
profdrop findings [--limit=N] [--rules] [--strict] FILE...
profdrop merge --output=FILE [--pgo] FILE...
        the profiles merged into one gzipped pprof file, as `go tool pprof
        -proto FILE... > OUT` writes it; --pgo refuses any that is not a CPU
        profile (Go's PGO wants default.pgo merged from CPU profiles)
profdrop goroutines [--similarity=exact|pointers|args] [--fold_background] [--strict] FILE
profdrop goroutines --base=FILE [--interval=MINUTES] [--similarity=...] FILE
Several FILEs are merged as pprof merges them; --provenance labels each
sample with its file (label `file`, the file's base name) so that tags and
--tagfocus=file=NAME split the merge by source. Files may be gzipped or not,
pprof protobuf or Go text dumps; the name does not matter.
";

/// What a CLI run produced.
pub struct Outcome {
    pub stdout: String,
    pub stderr: String,
    pub code: i32,
}

fn fail(code: i32, msg: impl Into<String>) -> Outcome {
    Outcome { stdout: String::new(), stderr: format!("profdrop: {}\n", msg.into()), code }
}

/// Parsed command line.
pub struct Command {
    pub kind: ReportKind,
    pub options: Options,
    pub files: Vec<String>,
    pub bases: Vec<String>,
    pub base: BaseOptions,
    pub limits: Limits,
    /// `add_comment`: a comment added to the profile after loading.
    pub add_comment: String,
    /// `table`: "" (pprof's text), or `csv` / `markdown` for the top table.
    pub table: String,
    /// `strict`: decoder warnings and repairs are errors.
    pub strict: bool,
    /// Lines pprof prints on stderr about the command line itself.
    pub warnings: Vec<String>,
}

fn parse_bool(name: &str, v: Option<&str>) -> Result<bool, String> {
    match v {
        None | Some("true") | Some("1") => Ok(true),
        Some("false") | Some("0") => Ok(false),
        Some(x) => Err(format!("--{name}: {x:?} is not true or false")),
    }
}

fn parse_num<T: std::str::FromStr>(name: &str, v: Option<&str>) -> Result<T, String> {
    let v = v.ok_or_else(|| format!("--{name} needs a value"))?;
    v.parse().map_err(|_| format!("--{name}: {v:?} is not a valid number"))
}

/// Which of `--diff_base` and `--base` a command line gave.
#[derive(Default)]
struct BaseFlags {
    diff_base: bool,
    base: bool,
}

/// Flags that take no value (a value may still follow `=`); the others
/// accept theirs as the next argument too.
fn is_switch(name: &str) -> bool {
    matches!(
        name,
        "cum"
            | "flat"
            | "mean"
            | "noinlines"
            | "inuse_space"
            | "inuse_objects"
            | "alloc_space"
            | "alloc_objects"
            | "contentions"
            | "total_delay"
            | "mean_delay"
            | "normalize"
            | "relative_percentages"
            | "drop_negative"
            | "compact_labels"
            | "trim"
            | "functions"
            | "filefunctions"
            | "files"
            | "lines"
            | "addresses"
            | "call_tree"
            | "tags_of_total"
            | "provenance"
            | "raw_names"
            | "strict"
    )
}

pub fn parse(args: &[String]) -> Result<Command, String> {
    let mut it = args.iter();
    let report = it.next().ok_or("missing REPORT")?;
    let kind = ReportKind::parse(report.trim_start_matches('-')).ok_or_else(|| format!("unknown report {report:?}"))?;
    let mut c = Command {
        kind,
        options: Options::default(),
        files: Vec::new(),
        bases: Vec::new(),
        base: BaseOptions::default(),
        limits: Limits::default(),
        add_comment: String::new(),
        table: String::new(),
        strict: false,
        warnings: Vec::new(),
    };
    let mut flags = BaseFlags::default();
    let mut only_files = false;
    while let Some(a) = it.next() {
        if only_files || !a.starts_with('-') || a == "-" {
            c.files.push(a.clone());
            continue;
        }
        if a == "--" {
            only_files = true;
            continue;
        }
        let flag = a.trim_start_matches('-');
        let (name, value) = match flag.split_once('=') {
            Some((n, v)) => (n, Some(v.to_string())),
            None if is_switch(flag) => (flag, None),
            None => (flag, Some(it.next().ok_or_else(|| format!("--{flag} needs a value"))?.clone())),
        };
        if !c.set_report_option(name, value.as_deref())? {
            c.set_option(name, value.as_deref(), &mut flags)?;
        }
    }
    c.finish(flags)
}

impl Command {
    /// One of pprof's report options (into `self.options`); false for a name that is not one.
    fn set_report_option(&mut self, name: &str, v: Option<&str>) -> Result<bool, String> {
        let o = &mut self.options;
        let text = || v.unwrap_or("").to_string();
        match name {
            "sample_index" => o.sample_index = text(),
            // pprof's legacy shortcuts for sample_index.
            "inuse_space" | "inuse_objects" | "alloc_space" | "alloc_objects" | "contentions" => {
                if parse_bool(name, v)? {
                    o.sample_index = name.to_string();
                }
            }
            "total_delay" | "mean_delay" => {
                if parse_bool(name, v)? {
                    o.sample_index = "delay".into();
                    o.mean |= name == "mean_delay";
                }
            }
            "mean" => o.mean = parse_bool(name, v)?,
            "nodecount" => o.nodecount = Some(parse_num(name, v)?),
            "nodefraction" => o.nodefraction = parse_num(name, v)?,
            "edgefraction" => o.edgefraction = parse_num(name, v)?,
            "cum" => o.cum = parse_bool(name, v)?,
            "flat" => o.cum = !parse_bool(name, v)?,
            "functions" | "filefunctions" | "files" | "lines" | "addresses" => {
                if parse_bool(name, v)? {
                    o.granularity = Granularity::parse(name).unwrap();
                }
            }
            "noinlines" => o.noinlines = parse_bool(name, v)?,
            "unit" => o.unit = text(),
            "divide_by" => o.divide_by = parse_num(name, v)?,
            "relative_percentages" => o.relative_percentages = parse_bool(name, v)?,
            "drop_negative" => o.drop_negative = parse_bool(name, v)?,
            "raw_names" => o.raw_names = parse_bool(name, v)?,
            "compact_labels" => o.compact_labels = parse_bool(name, v)?,
            "trim" => o.trim = parse_bool(name, v)?,
            "focus" => o.focus = text(),
            "ignore" => o.ignore = text(),
            "hide" => o.hide = text(),
            "show" => o.show = text(),
            "show_from" => o.show_from = text(),
            "prune_from" => o.prune_from = text(),
            "tagfocus" => o.tagfocus = text(),
            "tagignore" => o.tagignore = text(),
            "tagshow" => o.tagshow = text(),
            "taghide" => o.taghide = text(),
            "tagroot" => o.tagroot = text(),
            "tagleaf" => o.tagleaf = text(),
            "call_tree" => o.call_tree = parse_bool(name, v)?,
            "peek" => o.peek = text(),
            "list" => o.list = text(),
            "tags_of_total" => o.tags_of_total = parse_bool(name, v)?,
            "provenance" => o.provenance = parse_bool(name, v)?,
            "trim_path" => o.trim_path = text(),
            "source_path" => o.source_path = text(),
            // Repeatable: each adds steps to the stack, in order.
            "transform" | "tx" => {
                if !o.tx.is_empty() && !text().is_empty() {
                    o.tx.push(',');
                }
                o.tx += &text();
            }
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// The options that are not the report's: bases, limits, comments, the table format.
    fn set_option(&mut self, name: &str, v: Option<&str>, flags: &mut BaseFlags) -> Result<(), String> {
        let text = || v.unwrap_or("").to_string();
        match name {
            "add_comment" => self.add_comment = text(),
            "table" => self.table = text(),
            "strict" => self.strict = parse_bool(name, v)?,
            "diff_base" => {
                flags.diff_base = true;
                self.bases.push(text());
            }
            "base" => {
                flags.base = true;
                self.bases.push(text());
            }
            "normalize" => self.base.normalize = parse_bool(name, v)?,
            // There is no binary to symbolize against: what remains is demangling.
            "symbolize" => {
                let (s, warnings) = Symbolize::parse(&text());
                self.base.symbolize = s;
                self.warnings.extend(warnings);
            }
            "max_inflated" => self.limits.max_inflated_bytes = parse_num(name, v)?,
            "max_samples" => self.limits.max_samples = parse_num(name, v)?,
            "max_stack_depth" => self.limits.max_stack_depth = parse_num(name, v)?,
            "max_string_bytes" => self.limits.max_string_bytes = parse_num(name, v)?,
            "max_table_entries" => self.limits.max_table_entries = parse_num(name, v)?,
            "max_lines" => self.limits.max_lines = parse_num(name, v)?,
            "max_labels" => self.limits.max_labels = parse_num(name, v)?,

            _ => return Err(format!("unknown option --{name}")),
        }
        Ok(())
    }

    /// The checks that need the whole command line.
    fn finish(mut self, flags: BaseFlags) -> Result<Command, String> {
        if flags.diff_base && flags.base {
            return Err("-base and -diff_base flags cannot both be specified".into());
        }
        if flags.diff_base {
            self.base.mode = Some(BaseMode::DiffBase);
        } else if flags.base {
            self.base.mode = Some(BaseMode::Base);
        }
        if self.files.is_empty() {
            return Err("no profile FILE given".into());
        }
        if !self.table.is_empty() && !matches!(self.kind, ReportKind::Top | ReportKind::Text) {
            return Err("--table is for the top report".into());
        }
        if self.kind == ReportKind::Peek && self.options.peek.is_empty() {
            return Err("peek needs its regexp: --peek=RE".into());
        }
        if self.kind == ReportKind::List && self.options.list.is_empty() {
            return Err("list needs its regexp: --list=RE".into());
        }
        Ok(self)
    }
}

/// Runs one command with files read by `read` (the real CLI reads the disk).
pub fn run_with(args: &[String], read: impl Fn(&str) -> std::io::Result<Vec<u8>>) -> Outcome {
    if args.first().map(String::as_str) == Some("findings") {
        return findings_command(&args[1..], &read);
    }
    if args.first().map(String::as_str) == Some("goroutines") {
        return goroutines_command(&args[1..], &read);
    }
    if args.first().map(String::as_str) == Some("merge") {
        return merge_command(&args[1..], &read, &|path, data| std::fs::write(path, data));
    }
    let c = match parse(args) {
        Ok(c) => c,
        Err(e) => return fail(2, format!("{e}\n\n{USAGE}")),
    };
    let read_all = |names: &[String]| -> Result<Vec<(String, Vec<u8>)>, String> {
        names.iter().map(|n| read(n).map(|d| (n.clone(), d)).map_err(|e| format!("{n}: {e}"))).collect()
    };
    let (files, bases) = match (read_all(&c.files), read_all(&c.bases)) {
        (Ok(f), Ok(b)) => (f, b),
        (Err(e), _) | (_, Err(e)) => return fail(1, e),
    };
    if !c.table.is_empty() {
        return table_export(&c, &files, &bases);
    }
    let inputs: Vec<Input> = files.iter().map(|(n, d)| Input { name: n, data: d }).collect();
    let base_inputs: Vec<Input> = bases.iter().map(|(n, d)| Input { name: n, data: d }).collect();
    let mut notes = String::new();
    let loaded = decode_all(&inputs, &c.limits, &mut notes).and_then(|sources| {
        let b = decode_all(&base_inputs, &c.limits, &mut notes)?;
        if c.options.provenance {
            let names = load::provenance_names(&inputs.iter().map(|i| i.name).collect::<Vec<_>>());
            load::combine_with_provenance(names.into_iter().zip(sources).collect(), b, c.base)
        } else {
            load::combine_decoded(sources, b, c.base)
        }
    });
    let mut profile = match loaded {
        Ok(p) => p,
        Err(e) => return Outcome { stdout: String::new(), stderr: format!("{notes}profdrop: {e}\n"), code: 1 },
    };
    if c.strict && !notes.is_empty() {
        return strict_failure(notes);
    }
    if !c.add_comment.is_empty() {
        let id = profile.strings.intern(&c.add_comment);
        profile.comments.push(id);
    }
    let mut rpt = match Report::new(&profile, c.kind, &c.options) {
        Ok(r) => r,
        Err(e) => return fail(1, e.0),
    };
    let stdout = match c.kind {
        ReportKind::Top | ReportKind::Text => top::render_text(&mut rpt),
        ReportKind::Tree => tree::render_text(&mut rpt),
        ReportKind::Peek => match peek::render_text(&mut rpt) {
            Ok(s) => s,
            Err(e) => return Outcome { stdout: String::new(), stderr: stderr(&c, &rpt, Some(&e.0)), code: 1 },
        },
        ReportKind::Traces => traces::render_text(&rpt),
        ReportKind::Tags => tags::render_text(&rpt),
        ReportKind::Dot => dot::render_text(&mut rpt),
        ReportKind::Comments => comments::render_text(&rpt),
        ReportKind::Callgrind => callgrind::render_text(&mut rpt),
        ReportKind::List => {
            let (search, trim) = (c.options.source_path.clone(), c.options.trim_path.clone());
            match list::render_text(&mut rpt, &mut |path| open_source(path, &search, &trim)) {
                Ok(s) => s,
                Err(e) => return Outcome { stdout: String::new(), stderr: stderr(&c, &rpt, Some(&e.0)), code: 1 },
            }
        }
        // Filters apply to raw too; the report's profile is already merged as pprof does.
        ReportKind::Raw => match raw::report(&rpt.prof, raw::Zone::Local) {
            Ok(s) => s,
            Err(e) => return fail(1, e.0),
        },
    };
    Outcome { stdout, stderr: notes + &stderr(&c, &rpt, None), code: 0 }
}

/// Decodes each input, adding its warnings and repairs to `notes`.
fn decode_all(
    inputs: &[Input],
    limits: &Limits,
    notes: &mut String,
) -> Result<Vec<crate::model::Profile>, load::LoadError> {
    let mut out = Vec::with_capacity(inputs.len());
    for i in inputs {
        let p = load::decode_named(i, limits)?;
        notes.push_str(&file_notes(i.name, &p.warnings, &p.repairs));
        out.push(p);
    }
    Ok(out)
}

/// `profdrop: FILE: NOTE` lines for stderr.
fn file_notes(name: &str, warnings: &[String], repairs: &[String]) -> String {
    load::decoder_notes(warnings, repairs).iter().map(|n| format!("profdrop: {name}: {n}\n")).collect()
}

/// `--strict` with warnings or repairs: they are errors, and no report is printed.
fn strict_failure(notes: String) -> Outcome {
    Outcome {
        stdout: String::new(),
        stderr: notes + "profdrop: --strict: the decoder warnings and repairs above are errors\n",
        code: 1,
    }
}

/// `top --table=csv|markdown`: the top table as the page exports it (the
/// files merged), or with one `--diff_base` / `--base` and one file the
/// diff table with both sides (the page's Compare table).
fn table_export(c: &Command, files: &[(String, Vec<u8>)], bases: &[(String, Vec<u8>)]) -> Outcome {
    let mut s = Session::with_limits(c.limits.clone());
    let mut notes = String::new();
    let mut load = |v: &[(String, Vec<u8>)]| -> Result<Vec<u32>, String> {
        v.iter()
            .map(|(n, d)| {
                let r = s.load(n, d).map_err(|e| e.0)?;
                notes.push_str(&file_notes(n, &r.warnings, &r.repairs));
                Ok(r.id)
            })
            .collect()
    };
    let (ids, base_ids) = match (load(files), load(bases)) {
        (Ok(f), Ok(b)) => (f, b),
        (Err(e), _) | (_, Err(e)) => return fail(1, e),
    };
    if c.strict && !notes.is_empty() {
        return strict_failure(notes);
    }
    let out = match (&base_ids[..], &ids[..]) {
        ([], _) => s.top_export(&ids, &c.options, &c.table),
        ([base], [target]) => {
            let mode = match c.base.mode {
                Some(BaseMode::Base) => "base",
                _ if c.base.normalize => "normalize",
                _ => "diff_base",
            };
            s.compare_export(*base, *target, mode, &c.options, &c.table)
        }
        _ => return fail(2, "--table with a base compares one FILE with one --diff_base or --base"),
    };
    match out {
        Ok(stdout) => Outcome { stdout, stderr: notes, code: 0 },
        Err(e) => fail(1, e.0),
    }
}

/// pprof's openSourceFile: the file name trimmed as the report trims it; an
/// absolute one must exist, a relative one is looked for under each
/// `source_path` entry (default: the working directory) and their parents.
fn open_source(path: &str, search: &str, trim: &str) -> crate::report::list::Source {
    let search = if search.is_empty() {
        std::env::current_dir().map(|d| d.display().to_string()).unwrap_or_default()
    } else {
        search.to_string()
    };
    let path = crate::report::trim_path(path, trim, &search);
    let lines = |text: Vec<u8>| String::from_utf8_lossy(&text).lines().map(str::to_string).collect();
    if path.starts_with('/') {
        return std::fs::read(path).map(lines).map_err(|_| format!("open {path}: no such file or directory"));
    }
    for dir in search.split(':') {
        let mut dir = std::path::PathBuf::from(dir);
        loop {
            if let Ok(text) = std::fs::read(dir.join(path)) {
                return Ok(lines(text));
            }
            if !dir.pop() {
                break;
            }
        }
    }
    Err(format!("could not find file {path} on path {search}"))
}

/// What pprof writes to stderr: its notes while preparing the report, then an error.
fn stderr(c: &Command, rpt: &Report, error: Option<&str>) -> String {
    let mut s: String = c.warnings.iter().chain(&rpt.notes).map(|n| format!("{n}\n")).collect();
    if let Some(e) = error {
        s += &format!("profdrop: {e}\n");
    }
    s
}

/// `profdrop merge --output=FILE [--pgo] FILE...`: the files merged
/// (session `merge_export`) and written gzipped; the summary on stdout,
/// warnings on stderr.
fn merge_command(
    args: &[String],
    read: &impl Fn(&str) -> std::io::Result<Vec<u8>>,
    write: &dyn Fn(&str, &[u8]) -> std::io::Result<()>,
) -> Outcome {
    let (mut output, mut pgo, mut files) = (String::new(), false, Vec::new());
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let flag = a.trim_start_matches('-');
        if let Some(v) = flag.strip_prefix("output=") {
            output = v.to_string();
        } else if flag == "output" && a.starts_with('-') {
            output = it.next().cloned().unwrap_or_default();
        } else if flag == "pgo" && a.starts_with('-') {
            pgo = true;
        } else if a.starts_with('-') && a != "-" {
            return fail(2, format!("merge: unknown option {a}\n\n{USAGE}"));
        } else {
            files.push(a.clone());
        }
    }
    if output.is_empty() || files.is_empty() {
        return fail(2, format!("merge needs --output=FILE and at least one FILE\n\n{USAGE}"));
    }
    let mut s = Session::new();
    let mut ids = Vec::new();
    for f in &files {
        let data = match read(f) {
            Ok(d) => d,
            Err(e) => return fail(1, format!("{f}: {e}")),
        };
        match s.load(f, &data) {
            Ok(r) => ids.push(r.id),
            Err(e) => return fail(1, e.0),
        }
    }
    let m = match s.merge_export(&ids, pgo) {
        Ok(m) => m,
        Err(e) => return fail(1, e.0),
    };
    if let Err(e) = write(&output, &crate::proto::gzip(&m.bytes.0)) {
        return fail(1, format!("{output}: {e}"));
    }
    let stderr: String = m.warnings.iter().map(|w| format!("warning: {w}\n")).collect();
    Outcome { stdout: format!("{}; written to {output}\n", m.summary), stderr, code: 0 }
}

/// Runs one command on files from the disk. What it prints cannot drive the
/// terminal: escape sequences in names (and any other text from a profile)
/// are taken out, other control characters shown as `\x07`, unless
/// `--raw_names` asks for names as the profile holds them.
pub fn run(args: &[String]) -> Outcome {
    let raw = args.iter().any(|a| {
        let f = a.trim_start_matches('-');
        f == "raw_names" || f == "raw_names=true" || f == "raw_names=1"
    });
    let mut out = run_with(args, |p| std::fs::read(p));
    if !raw {
        out.stdout = escape::strip_terminal(&out.stdout).into_owned();
        out.stderr = escape::strip_terminal(&out.stderr).into_owned();
    }
    out
}

/// `profdrop findings [--limit=N] [--rules] FILE...`: the leak findings of the
/// given profiles (each file on its own; goroutine and heap snapshots are
/// ordered by their time). Exit 0 whether or not anything is found.
fn findings_command(args: &[String], read: &impl Fn(&str) -> std::io::Result<Vec<u8>>) -> Outcome {
    use crate::view::findings;
    let mut files = Vec::new();
    let mut limit = None;
    let mut limits = Limits::default();
    let mut strict = false;
    for a in args {
        if let Some(v) = a.strip_prefix("--limit=").or_else(|| a.strip_prefix("-limit=")) {
            match crate::util::units::parse_limit(v) {
                Some(l) => limit = Some(l),
                None => return fail(2, format!("--limit: {v:?} is not a number (e.g. 1gb, 30000)")),
            }
        } else if a == "--strict" || a == "-strict" {
            strict = true;
        } else if a == "--rules" || a == "-rules" {
            return Outcome { stdout: findings::render_rules(), stderr: String::new(), code: 0 };
        } else if let Some(v) = a.strip_prefix("--max_inflated=") {
            match v.parse() {
                Ok(n) => limits.max_inflated_bytes = n,
                Err(_) => return fail(2, format!("--max_inflated: {v:?} is not a number")),
            }
        } else if a.starts_with('-') && a != "-" {
            return fail(2, format!("unknown option {a} for findings (use --limit=N, --rules, --strict)"));
        } else {
            files.push(a.clone());
        }
    }
    if files.is_empty() {
        return fail(2, "findings: no profile FILE given");
    }
    let mut profiles = Vec::new();
    let mut notes = String::new();
    for f in &files {
        let data = match read(f) {
            Ok(d) => d,
            Err(e) => return fail(1, format!("{f}: {e}")),
        };
        match decode_all(&[Input { name: f, data: &data }], &limits, &mut notes) {
            Ok(p) => profiles.extend(p),
            Err(e) => return Outcome { stdout: String::new(), stderr: format!("{notes}profdrop: {e}\n"), code: 1 },
        }
    }
    if strict && !notes.is_empty() {
        return strict_failure(notes);
    }
    let refs: Vec<&crate::model::Profile> = profiles.iter().collect();
    let mut inputs = findings::Inputs::from_profiles(&refs);
    inputs.limit = limit;
    Outcome { stdout: findings::render_text(&findings::run(&inputs)), stderr: notes, code: 0 }
}

/// `profdrop goroutines [--similarity=exact|pointers|args] [--fold_background] FILE`:
/// the Goroutines view as text; with `--base=FILE`, the goroutine diff of
/// the two (by goroutine id when both are debug=2 dumps, by counts otherwise).
fn goroutines_command(args: &[String], read: &impl Fn(&str) -> std::io::Result<Vec<u8>>) -> Outcome {
    use {crate::view::goroutine_diff, crate::view::goroutines};
    let mut opts = goroutines::Options::default();
    let mut base = None;
    let mut interval = None;
    let mut strict = false;
    let mut files = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let flag = a.trim_start_matches('-');
        let (name, value) = match flag.split_once('=') {
            Some((n, v)) => (n, Some(v.to_string())),
            None => (flag, None),
        };
        if !a.starts_with('-') || a == "-" {
            files.push(a.clone());
            continue;
        }
        let mut value =
            || value.clone().or_else(|| it.next().cloned()).ok_or_else(|| format!("--{name} needs a value"));
        match name {
            "similarity" => match value().map(|v| goroutines::Similarity::parse(&v).ok_or(v)) {
                Ok(Ok(s)) => opts.similarity = s,
                Ok(Err(v)) => return fail(2, format!("--similarity: {v:?} is not exact, pointers or args")),
                Err(e) => return fail(2, e),
            },
            "fold_background" => opts.fold_background = true,
            "strict" => strict = true,
            "base" => match value() {
                Ok(v) => base = Some(v),
                Err(e) => return fail(2, e),
            },
            "interval" => match value().map(|v| v.parse::<f64>().map_err(|_| v)) {
                Ok(Ok(m)) if m > 0.0 => interval = Some(m),
                Ok(Ok(_)) | Ok(Err(_)) => return fail(2, "--interval: minutes between the dumps, a positive number"),
                Err(e) => return fail(2, e),
            },
            _ => {
                return fail(
                    2,
                    format!(
                        "unknown option {a} for goroutines (use --similarity, --fold_background, --base, --interval, --strict)"
                    ),
                )
            }
        }
    }
    if files.len() != 1 {
        return fail(2, "goroutines: give one profile FILE (and --base=FILE to compare)");
    }
    let limits = Limits::default();
    let mut notes = String::new();
    let mut load = |f: &str| -> Result<crate::model::Profile, Outcome> {
        let data = read(f).map_err(|e| fail(1, format!("{f}: {e}")))?;
        let p = load::decode_named(&Input { name: f, data: &data }, &limits).map_err(|e| fail(1, e.to_string()))?;
        notes.push_str(&file_notes(f, &p.warnings, &p.repairs));
        Ok(p)
    };
    let target = match load(&files[0]) {
        Ok(p) => p,
        Err(o) => return o,
    };
    let base = match base.map(|b| load(&b)).transpose() {
        Ok(b) => b,
        Err(o) => return o,
    };
    if strict && !notes.is_empty() {
        return strict_failure(notes);
    }
    let stdout = match base {
        None => goroutines::build(&target, &opts).map(|v| goroutines::render_text(&v)),
        Some(base) => {
            let o = goroutine_diff::Options { similarity: opts.similarity, interval_minutes: interval };
            goroutine_diff::diff(&base, &target, &o).map(|d| goroutine_diff::render_text(&d))
        }
    };
    match stdout {
        Ok(stdout) => Outcome { stdout, stderr: notes, code: 0 },
        Err(e) => fail(1, e.0),
    }
}
