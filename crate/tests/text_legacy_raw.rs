//! pprof's legacy formats against pprof's own goldens: every
//! `google-pprof/profile/testdata/*.string` is `Profile.String()` of the
//! sibling file right after parsing (pprof's TestParse). The file list is
//! read from the directory, not written here. As in pprof's test, each
//! profile must also survive being written as profile.proto and read back.

mod common;
use common::*;
use profdrop::decode::{decode, Limits};
use profdrop::view::raw::{render, Zone};

#[test]
fn legacy_formats_match_pprof_string_goldens() {
    let dir = fixtures().join("external/google-pprof/profile/testdata");
    let mut goldens: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().map_or(false, |e| e == "string"))
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
