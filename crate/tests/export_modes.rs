//! The exported diff profile of each comparison mode, read back: `profdrop
//! top` on the exported file prints what `go tool pprof -top` prints for the
//! same comparison made from the two files (references made with Go 1.19's
//! pprof: tests/fixtures/go/COMMANDS.tsv and go-extra/COMMANDS.tsv). When
//! `go` is installed, `go tool pprof -top` reads the exported file too.

mod common;
use common::*;
use profdrop::report::Options;
use profdrop::session::Session;
use std::path::PathBuf;

/// (mode, reference file, the pprof command that made it)
const MODES: [(&str, &str, &str); 3] = [
    (
        "diff_base",
        "go/cpu_t1.pb.gz.pprof_top_diff_base=cpu_t0.pb.gz.txt",
        "go tool pprof -top -diff_base=cpu_t0.pb.gz cpu_t1.pb.gz",
    ),
    ("base", "go/cpu_t1.pb.gz.pprof_top_base=cpu_t0.pb.gz.txt", "go tool pprof -top -base=cpu_t0.pb.gz cpu_t1.pb.gz"),
    ("normalize", "go-extra/058.stdout", "go tool pprof -top -normalize -diff_base=cpu_t0.pb.gz cpu_t1.pb.gz"),
];

fn exported(mode: &str) -> PathBuf {
    let mut s = Session::new();
    let base = s.load("cpu_t0.pb.gz", &read(go_fixtures().join("cpu_t0.pb.gz"))).unwrap().id;
    let target = s.load("cpu_t1.pb.gz", &read(go_fixtures().join("cpu_t1.pb.gz"))).unwrap().id;
    let raw = s.compare_export_pprof(base, target, mode, &Options::default()).unwrap();
    let path = std::env::temp_dir().join(format!("profdrop-export-{mode}-{}.pb.gz", std::process::id()));
    std::fs::write(&path, profdrop::proto::gzip(&raw)).unwrap();
    path
}

/// The lines that carry numbers: the total, the "Showing" line, the rows.
fn numbers(top: &str) -> Vec<&str> {
    top.lines().filter(|l| !l.starts_with("File:") && !l.starts_with("Time:") && !l.starts_with("Type:")).collect()
}

#[test]
fn each_mode_s_exported_profile_reads_as_pprof_s_comparison() {
    for (mode, reference, command) in MODES {
        let want = String::from_utf8(read(fixtures().join(reference))).unwrap();
        let path = exported(mode);
        let out = profdrop::cli::run(&["top".to_string(), path.display().to_string()]);
        assert_eq!(out.code, 0, "{mode}: {}", out.stderr);
        assert_eq!(numbers(&out.stdout), numbers(&want), "{mode}: profdrop top of the export vs `{command}`");
        if which_go() {
            let go = std::process::Command::new("go")
                .args(["tool", "pprof", "-top"])
                .arg(&path)
                .env("TZ", "UTC")
                .output()
                .unwrap();
            let got = String::from_utf8_lossy(&go.stdout);
            assert_eq!(numbers(&got), numbers(&want), "{mode}: go tool pprof -top of the export vs `{command}`");
        } else {
            eprintln!("go is not installed: the export was not read with go tool pprof");
        }
        std::fs::remove_file(path).ok();
    }
}

fn which_go() -> bool {
    std::process::Command::new("go").arg("version").output().is_ok_and(|o| o.status.success())
}
