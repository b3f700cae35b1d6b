//! The `raw` report (pprof's Profile.String). Legacy formats against pprof's
//! own goldens: every
//! `google-pprof/profile/testdata/*.string` is `Profile.String()` of the
//! sibling file right after parsing (pprof's TestParse). The file list is
//! read from the directory, not written here. As in pprof's test, each
//! profile must also survive being written as profile.proto and read back.

mod common;
use common::*;
use profdrop::decode::{decode, Limits};
use profdrop::report::raw::{render, Zone};

#[test]
fn legacy_formats_match_pprof_string_goldens() {
    let dir = fixtures().join("external/google-pprof/profile/testdata");
    let mut goldens: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "string"))
        .collect();
    goldens.sort();
    assert_eq!(goldens.len(), 14, "pprof's TestParse has 14 goldens");
    let mut failures = Vec::new();
    for golden in &goldens {
        let input = golden.with_extension("");
        let want = without_columns(&String::from_utf8(read(golden)).unwrap());
        match decode(&read(&input), &Limits::default()) {
            Ok(p) => {
                let got = render(&p, Zone::Utc);
                if got != want {
                    failures.push(format!("{}: {}", input.display(), first_difference(&got, &want)));
                }
                // pprof's second check: written as profile.proto and read back, the same text.
                let again = decode(&profdrop::proto::encode_gzip(&p), &Limits::default()).unwrap();
                let got = render(&again, Zone::Utc);
                if got != want {
                    failures.push(format!("{} (round trip): {}", input.display(), first_difference(&got, &want)));
                }
            }
            Err(e) => failures.push(format!("{}: {e}", input.display())),
        }
    }
    assert!(failures.is_empty(), "{} of {} differ:\n{}", failures.len(), goldens.len(), failures.join("\n"));
}

/// The goldens come from a newer pprof that prints `file:line:column`; Go
/// 1.19's pprof (whose layout `-raw` follows here) prints `file:line`.
fn without_columns(golden: &str) -> String {
    let mut out = String::new();
    let mut in_locations = false;
    for line in golden.lines() {
        if line == "Locations" {
            in_locations = true;
        } else if line == "Mappings" {
            in_locations = false;
        }
        let mut l = line.to_string();
        if in_locations {
            if let Some(s) = l.rfind(" s=") {
                let head = &l[..s];
                // head ends with "file:line:column": drop ":column".
                if let Some(c) = head.rfind(':') {
                    let col = &head[c + 1..];
                    if !col.is_empty() && col.trim_start_matches('-').bytes().all(|b| b.is_ascii_digit()) {
                        let line_part = &head[..c];
                        if line_part.rfind(':').is_some() {
                            l = format!("{}{}", line_part, &l[s..]);
                        }
                    }
                }
            }
        }
        out.push_str(&l);
        out.push('\n');
    }
    out
}

/// `profdrop raw` against the `go tool pprof -raw` outputs of COMMANDS.tsv
/// (every `-raw` line, selected by rule), byte for byte, `Time:` in UTC.
#[test]
fn raw_matches_go_tool_pprof() {
    utc();
    let dir = go_fixtures();
    let selected: Vec<PprofCommand> = pprof_commands().into_iter().filter(|c| c.report == "raw").collect();
    assert!(selected.len() >= 4, "the selection rule picked only {} commands", selected.len());
    let mut failures = Vec::new();
    for c in &selected {
        if let Err(why) = run_against_reference(c, &dir) {
            failures.push(why);
        }
    }
    assert!(failures.is_empty(), "{} of {} differ:\n{}", failures.len(), selected.len(), failures.join("\n"));
}

/// pprof's `-raw` keeps only samples with a location (its sample filter
/// drops the others): threadcreate's 10 threads with no stack are counted
/// by `top`, not listed by `raw`.
#[test]
fn raw_drops_samples_without_locations_like_pprof() {
    utc();
    let dir = go_fixtures();
    let file = dir.join("threadcreate_t0.pb.gz").display().to_string();
    let out = profdrop::cli::run(&["raw".to_string(), file.clone()]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let samples: Vec<&str> = out
        .stdout
        .lines()
        .skip_while(|l| *l != "threadcreate/count")
        .skip(1)
        .take_while(|l| *l != "Locations")
        .collect();
    assert_eq!(samples, ["          1: 1 2 3 4 "]);
    let top = profdrop::cli::run(&["top".to_string(), file]);
    assert!(top.stdout.contains("of 11 total"), "{}", top.stdout);
}
