//! Every file of the peers' fixture set, decoded. What `go tool pprof`
//! (Go 1.19.8) does with each is recorded in
//! tests/fixtures/external/PPROF-ACCEPTS.tsv (made by
//! scripts/pprof_accepts.sh); the walk asserts that every file is listed and:
//! - a file pprof accepts decodes, and `profdrop top` prints a report of it;
//! - a file pprof rejects fails with an error that names its stage, and
//!   when pprof gave a specific reason (not just "unrecognized profile
//!   format"), ours says the same; the one exception is a Go traceback
//!   (debug=2, panic, race report), which pprof cannot read and we can.
//!
//! It prints what each file gave. The AGPL / CC-BY-SA folders that stay in
//! ../shared are walked by the `shared_` variant.

mod common;
use common::*;
use profdrop::decode::{decode, Limits};
use profdrop::model::SourceFormat;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

struct Verdict {
    accepted: bool,
    error: String,
}

fn verdicts() -> BTreeMap<String, Verdict> {
    let tsv = String::from_utf8(read(fixtures().join("external/PPROF-ACCEPTS.tsv"))).unwrap();
    tsv.lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(|l| {
            let mut f = l.split('\t');
            let path = f.next().unwrap().to_string();
            let accepted = f.next().unwrap() == "accepted";
            let error = f.next().unwrap_or("").to_string();
            (path, Verdict { accepted, error })
        })
        .collect()
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            walk(&p, out);
        } else {
            out.push(p);
        }
    }
}

/// Decodes every file under `root/sub` (or `root` itself) against the verdicts;
/// returns (files, decoded) and the failures.
fn check_tree(root: &Path, sub: Option<&str>, verdicts: &BTreeMap<String, Verdict>) -> (usize, usize, Vec<String>) {
    let mut files = Vec::new();
    walk(&sub.map_or(root.to_path_buf(), |s| root.join(s)), &mut files);
    files.sort();
    let mut failures = Vec::new();
    let mut decoded = 0;
    for path in &files {
        let rel = path.strip_prefix(root).unwrap().to_string_lossy().replace('\\', "/");
        let Some(v) = verdicts.get(&rel) else {
            failures.push(format!("{rel}: not in PPROF-ACCEPTS.tsv (run scripts/pprof_accepts.sh)"));
            continue;
        };
        let data = read(path);
        let got = std::panic::catch_unwind(|| decode(&data, &Limits::default()));
        let got = match got {
            Ok(g) => g,
            Err(_) => {
                failures.push(format!("{rel}: the decoder panicked"));
                continue;
            }
        };
        match &got {
            Ok(p) => {
                decoded += 1;
                let goroutines = p.goroutines.as_ref().map_or(0, |t| t.goroutines.len());
                eprintln!(
                    "{rel}: {:?}, {} samples, {} sample types{}{}",
                    p.source_format,
                    p.samples.len(),
                    p.num_types(),
                    if goroutines > 0 { format!(", {goroutines} goroutines") } else { String::new() },
                    if p.warnings.is_empty() { String::new() } else { format!(", {} warnings", p.warnings.len()) },
                );
                let traceback = p.source_format == SourceFormat::GoroutineDebug2 && goroutines > 0;
                if !v.accepted && !traceback {
                    failures
                        .push(format!("{rel}: pprof rejects it ({}), we decoded it as {:?}", v.error, p.source_format));
                }
                // `profdrop top` prints a report of every file it decodes.
                let out =
                    profdrop::cli::run(&["top".to_string(), "--nodecount=5".to_string(), path.display().to_string()]);
                if out.code != 0 || !out.stdout.contains(" total") {
                    failures.push(format!("{rel}: profdrop top failed: {}", out.stderr));
                }
            }
            Err(e) => {
                eprintln!("{rel}: error: {e}");
                if v.accepted {
                    failures.push(format!("{rel}: pprof accepts it, we fail: {e}"));
                }
                let text = e.to_string();
                let staged = ["parsing profile: ", "malformed profile: ", "decompressing profile: "]
                    .iter()
                    .any(|s| text.starts_with(s));
                if !staged {
                    failures.push(format!("{rel}: the error names no stage: {text}"));
                }
                // pprof's own reason, when it had a specific one.
                let reason = v.error.split_once(": ").map_or("", |(_, r)| r);
                let generic = reason.is_empty()
                    || v.error.contains("unrecognized profile format")
                    || v.error.contains("bufio.Scanner: token too long");
                if !generic && !text.contains(reason) {
                    failures.push(format!("{rel}: pprof says {:?}, we say {text:?}", v.error));
                }
            }
        }
    }
    (files.len(), decoded, failures)
}

#[test]
fn every_external_fixture_decodes_as_pprof_allows() {
    let verdicts = verdicts();
    let root = fixtures().join("external");
    let (files, decoded, failures) = check_tree(&root, None, &verdicts);
    eprintln!("{files} files, {decoded} decoded");
    assert!(files >= 250, "only {files} files found");
    // Every listed file of this tree exists.
    for rel in
        verdicts.keys().filter(|k| !k.starts_with("grafana-pyroscope/") && !k.starts_with("DataDog-go-profiler-notes/"))
    {
        assert!(root.join(rel).exists(), "{rel} is listed but missing");
    }
    assert!(failures.is_empty(), "{} problems:\n{}", failures.len(), failures.join("\n"));
}

#[test]
#[ignore = "reads AGPL / CC-BY-SA fixtures from ../shared (run by the extra suite: --ignored shared_)"]
fn shared_external_fixtures_decode_as_pprof_allows() {
    let verdicts = verdicts();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/fixtures/external");
    assert!(root.exists(), "{} is missing", root.display());
    let mut all = Vec::new();
    let mut total = 0;
    for sub in ["grafana-pyroscope", "DataDog-go-profiler-notes"] {
        let (files, decoded, failures) = check_tree(&root, Some(sub), &verdicts);
        eprintln!("{sub}: {files} files, {decoded} decoded");
        total += files;
        all.extend(failures);
        let listed = verdicts.keys().filter(|k| k.starts_with(&format!("{sub}/"))).count();
        assert_eq!(listed, files, "{sub}: PPROF-ACCEPTS.tsv lists {listed} files, the folder has {files}");
    }
    assert!(total >= 60, "only {total} files found");
    assert!(all.is_empty(), "{} problems:\n{}", all.len(), all.join("\n"));
}
