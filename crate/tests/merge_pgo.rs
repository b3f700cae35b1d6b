//! `profdrop merge --output=FILE [--pgo] FILE...`: the file read back by
//! profdrop and by `go tool pprof` (when `go` is on the PATH; the test says
//! when it is not) gives the same top as pprof's own merge of the inputs,
//! and as `go tool pprof -proto a b > merged`; --pgo refuses a heap profile
//! with the reason and warns that Go 1.19 profiles lack start lines.

mod common;
use common::*;
use std::process::Command;

fn fixture(name: &str) -> String {
    go_fixtures().join(name).display().to_string()
}

fn tmp(name: &str) -> String {
    let dir = std::env::temp_dir().join(format!("profdrop-merge-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name).display().to_string()
}

fn cli(args: &[&str]) -> profdrop::cli::Outcome {
    profdrop::cli::run(&args.iter().map(|s| s.to_string()).collect::<Vec<_>>())
}

fn go_pprof(args: &[&str]) -> Option<String> {
    let out = Command::new("go").args(["tool", "pprof"]).args(args).env("TZ", "UTC").output().ok()?;
    assert!(out.status.success(), "go tool pprof {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    Some(String::from_utf8(out.stdout).unwrap())
}

#[test]
fn a_pgo_merge_reads_back_as_pprofs_merge() {
    utc();
    let out = tmp("default.pgo");
    let (a, b) = (fixture("cpu_t0.pb.gz"), fixture("cpu_t1.pb.gz"));
    let r = cli(&["merge", "--pgo", &format!("--output={out}"), &a, &b]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.starts_with("2 profiles merged: "), "{}", r.stdout);
    assert!(r.stderr.contains("cpu_t0.pb.gz: no function has a start line"), "{}", r.stderr);
    let bytes = std::fs::read(&out).unwrap();
    assert_eq!(&bytes[..2], &[0x1f, 0x8b], "gzipped, as pprof writes -proto");
    // profdrop's top of the file = profdrop's top of the two inputs merged.
    let top = |files: &[&str]| {
        let mut args = vec!["top", "--nodefraction=0"];
        args.extend_from_slice(files);
        let r = cli(&args);
        assert_eq!(r.code, 0, "{}", r.stderr);
        r.stdout
    };
    let merged_top = top(&[&a, &b]);
    assert!(merged_top.contains("Total samples = 1.09s"), "{merged_top}");
    assert_eq!(top(&[&out]), merged_top);
    let Some(go_top) = go_pprof(&["-top", "-nodefraction=0", &out]) else {
        eprintln!("go is not on the PATH: the go tool pprof half of this test did not run");
        return;
    };
    assert_eq!(go_top, merged_top, "go tool pprof -top of the merged file");
    assert_eq!(go_pprof(&["-top", "-nodefraction=0", &a, &b]).unwrap(), merged_top, "go tool pprof of both inputs");
    // pprof's own -proto merge reads back the same.
    let theirs = tmp("theirs.pb.gz");
    let proto = Command::new("go").args(["tool", "pprof", "-proto", &a, &b]).output().unwrap();
    std::fs::write(&theirs, proto.stdout).unwrap();
    assert_eq!(top(&[&theirs]), merged_top);
}

#[test]
fn pgo_refuses_what_is_not_a_cpu_profile_and_merge_takes_any_one_kind() {
    let out = tmp("refused.pgo");
    let r = cli(&["merge", "--pgo", "--output", &out, &fixture("cpu_t0.pb.gz"), &fixture("heap_t1.pb.gz")]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("heap_t1.pb.gz: not a CPU profile (sample types alloc_objects/count, alloc_space/bytes"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("Go's PGO takes CPU profiles (samples/count or cpu/nanoseconds)"), "{}", r.stderr);
    assert!(!std::path::Path::new(&out).exists());
    let heaps = tmp("heaps.pb.gz");
    let r = cli(&["merge", "--output", &heaps, &fixture("heap_t0.pb.gz"), &fixture("heap_t1.pb.gz")]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let read_back = cli(&["top", "--sample_index=alloc_space", &heaps]).stdout;
    let both = cli(&["top", "--sample_index=alloc_space", &fixture("heap_t0.pb.gz"), &fixture("heap_t1.pb.gz")]).stdout;
    assert_eq!(read_back, both);
    let r = cli(&["merge", &fixture("heap_t0.pb.gz")]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("merge needs --output=FILE"));
}
