//! Goroutine dumps against DataDog/gostackparse's 13 golden files
//! (tests/fixtures/external/DataDog-gostackparse/test-fixtures/*.golden.json,
//! every one found in the folder): goroutine ids, states, waits, locked,
//! frames, elided, creator, ancestors, and the errors with their line
//! numbers. gostackparse drops a goroutine with a malformed line and reports
//! the line; so do we (a warning naming the line, or, when no goroutine is
//! left, an error naming the first one).

mod common;
use common::*;
use profdrop::decode::{decode, Limits, Position};
use profdrop::model::goroutine::{Ancestor, Goroutine, TextFrame};
use profdrop::model::Profile;
use serde_json::{json, Value};

fn frame(func: &str, file: &str, line: i64) -> Value {
    json!({"Func": func, "File": file, "Line": line})
}

fn text_frame(f: &TextFrame) -> Value {
    frame(&f.function, &f.file, f.line)
}

/// An ancestor chain in gostackparse's nested shape.
fn ancestors(chain: &[Ancestor]) -> Option<Value> {
    let (a, rest) = chain.split_first()?;
    let mut v = json!({
        "ID": a.id,
        "State": "",
        "Wait": 0,
        "LockedToThread": false,
        "Stack": a.frames.iter().map(text_frame).collect::<Vec<_>>(),
        "FramesElided": a.frames_elided,
        "CreatedBy": a.created_by.as_ref().map(text_frame),
    });
    if let Some(next) = ancestors(rest) {
        v["Ancestor"] = next;
    }
    Some(v)
}

fn as_gostackparse(p: &Profile, g: &Goroutine) -> Value {
    let stack: Vec<Value> = p
        .stacks
        .get(g.stack)
        .iter()
        .map(|&l| {
            let line = p.location(l).lines[0];
            let f = p.function(line.function);
            frame(p.str(f.name), p.str(f.filename), line.line)
        })
        .collect();
    let mut v = json!({
        "ID": g.id,
        "State": p.str(g.state),
        "Wait": g.wait_minutes.unwrap_or(0) as u64 * 60_000_000_000,
        "LockedToThread": g.locked_to_thread,
        "Stack": stack,
        "FramesElided": g.frames_elided,
        "CreatedBy": g.created_by.as_ref().map(|c| frame(p.str(c.function), p.str(c.file), c.line)),
    });
    if let Some(a) = ancestors(&g.ancestors) {
        v["Ancestor"] = a;
    }
    v
}

/// "invalid function call on line 6: ..." -> 6.
fn error_line(e: &str) -> usize {
    let rest = &e[e.find(" on line ").expect("gostackparse names the line") + 9..];
    rest[..rest.find(':').unwrap()].parse().unwrap()
}

#[test]
fn gostackparse_goldens() {
    let dir = fixtures().join("external/DataDog-gostackparse/test-fixtures");
    let mut goldens: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(".golden.json"))
        .collect();
    goldens.sort();
    assert_eq!(goldens.len(), 13);
    let mut failures = Vec::new();
    for golden in &goldens {
        let name = golden.file_name().unwrap().to_string_lossy().replace(".golden.json", "");
        let input = read(dir.join(format!("{name}.txt")));
        let want: Value = serde_json::from_slice(&read(golden)).unwrap();
        let want_gs = want["Goroutines"].as_array().cloned().unwrap_or_default();
        let want_errs: Vec<usize> = want["Errors"]
            .as_array()
            .map(|a| a.iter().map(|e| error_line(e.as_str().unwrap())).collect())
            .unwrap_or_default();
        match decode(&input, &Limits::default()) {
            Ok(p) => {
                let t = p.goroutines.as_ref().expect("a goroutine table");
                let ours: Vec<Value> = t.goroutines.iter().map(|g| as_gostackparse(&p, g)).collect();
                if ours != want_gs {
                    failures.push(format!(
                        "{name}: goroutines differ:\n  got:  {}\n  want: {}",
                        json!(ours),
                        json!(want_gs)
                    ));
                }
                let warned: Vec<usize> = p
                    .warnings
                    .iter()
                    .filter(|w| w.contains("skipped"))
                    .filter_map(|w| w.strip_prefix("line ")?.split(':').next()?.parse().ok())
                    .collect();
                if warned != want_errs {
                    failures
                        .push(format!("{name}: warnings at lines {warned:?}, want {want_errs:?} ({:?})", p.warnings));
                }
            }
            Err(e) => {
                // Nothing readable: gostackparse returns no goroutine, and
                // we name the first bad line (or say the input is empty).
                if !want_gs.is_empty() {
                    failures.push(format!("{name}: {e}"));
                }
                let ok = match want_errs.first() {
                    Some(&l) => e.position == Some(Position::Line(l as u64)),
                    None => input.is_empty(),
                };
                if !ok {
                    failures.push(format!("{name}: error {e} does not name line {:?}", want_errs.first()));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
