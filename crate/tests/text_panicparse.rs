//! Goroutine dumps against maruel/panicparse's expectations
//! (tests/fixtures/external/maruel-panicparse): the 35 cases of its
//! TestScanSnapshotSynthetic (goroutine fields, prefix, suffix, errors), the
//! 4 inputs of its bucketing tests, and the real `panic` outputs of
//! `generated-go1.19.8-linux-amd64/` with their goroutine counts. Every case
//! comes from the fixture lists (index.json, SOURCES.md), none is picked here.
//!
//! How panicparse's model maps onto ours:
//! - `Func`/`Path`/`Line` of each call = the function name, file and line of
//!   the stack's locations; `Args` = the argument text of the frame, read
//!   back into panicparse's structure (`Name`/`IsPtr` are panicparse's own
//!   pointer analysis and are not compared; values beyond int64 appear
//!   clamped in its JSON and are clamped here too);
//! - `SleepMin`/`SleepMax` = the wait minutes, `Locked`, `Elided`, the first
//!   call of `CreatedBy`, `RaceAddr`/`RaceWrite`;
//! - the `<unavailable>` pseudo call = `stack_unavailable` with an empty stack;
//! - a scan error: panicparse stops at the offending line and returns it and
//!   the rest as the suffix; we keep reading and name that line in a warning
//!   (or in the error when nothing could be read), or, when the line comes
//!   after a complete goroutine, keep it as the dump's trailing text.

mod common;
use common::*;
use profdrop::decode::{decode, DecodeError, Limits, Position};
use profdrop::model::goroutine::Goroutine;
use profdrop::model::Profile;
use serde_json::{json, Map, Value};
use std::path::PathBuf;

fn panicparse() -> PathBuf {
    fixtures().join("external/maruel-panicparse")
}

fn load_json(path: PathBuf) -> Value {
    serde_json::from_slice(&read(path)).unwrap()
}

/// A goroutine of our table in panicparse's JSON shape (only the fields it has).
fn as_panicparse(p: &Profile, g: &Goroutine) -> Value {
    let t = p.goroutines.as_ref().unwrap();
    let mut sig = Map::new();
    sig.insert("State".into(), json!(p.str(g.state)));
    if let Some(w) = g.wait_minutes {
        sig.insert("SleepMin".into(), json!(w));
        sig.insert("SleepMax".into(), json!(w));
    }
    if g.locked_to_thread {
        sig.insert("Locked".into(), json!(true));
    }
    let mut calls = Vec::new();
    if g.stack_unavailable {
        calls.push(json!({"Args": {}, "Func": "", "Line": 0, "Path": "<unavailable>"}));
    }
    for (i, &l) in p.stacks.get(g.stack).iter().enumerate() {
        let loc = p.location(l);
        let line = loc.lines[0];
        let f = p.function(line.function);
        calls.push(json!({
            "Args": args_value(t.arg(g, i)),
            "Func": p.str(f.name),
            "Line": line.line,
            "Path": p.str(f.filename),
        }));
    }
    let mut stack = Map::new();
    stack.insert("Calls".into(), Value::Array(calls));
    if g.frames_elided {
        stack.insert("Elided".into(), json!(true));
    }
    sig.insert("Stack".into(), Value::Object(stack));
    if let Some(c) = &g.created_by {
        sig.insert(
            "CreatedBy".into(),
            json!({"Calls": [{"Args": {}, "Func": p.str(c.function), "Line": c.line, "Path": p.str(c.file)}]}),
        );
    }
    let mut out = Map::new();
    out.insert("ID".into(), json!(g.id));
    out.insert("Signature".into(), Value::Object(sig));
    if let Some(r) = g.race {
        out.insert("RaceAddr".into(), json!(r.addr));
        if r.write {
            out.insert("RaceWrite".into(), json!(true));
        }
    }
    Value::Object(out)
}

/// panicparse's expected goroutine, without what we do not model: `First`
/// (the index), `_helper`, pointer analysis, creation stacks past the creator.
fn normalize_want(want: &Value) -> Value {
    fn strip(v: &mut Value) {
        match v {
            Value::Object(m) => {
                m.remove("_helper");
                m.remove("First");
                m.remove("Name");
                m.remove("IsPtr");
                if let Some(Value::Number(n)) = m.get("Value") {
                    if n.as_u64() == Some(0) {
                        m.remove("Value");
                    }
                }
                for (_, x) in m.iter_mut() {
                    strip(x);
                }
            }
            Value::Array(a) => a.iter_mut().for_each(strip),
            _ => {}
        }
    }
    // Calls written as struct literals instead of newCall(...): same fields, other names.
    fn call_shape(c: &mut Value) {
        let Some(m) = c.as_object_mut() else { return };
        if let Some(Value::Object(f)) = m.get("Func").cloned() {
            m.insert("Func".into(), f.get("Complete").cloned().unwrap_or(json!("")));
        }
        if let Some(path) = m.remove("RemoteSrcPath") {
            m.insert("Path".into(), path);
        }
        for k in ["SrcName", "ImportPath", "LocalSrcPath", "DirName", "IsExported", "Location"] {
            m.remove(k);
        }
        m.entry("Args").or_insert(json!({}));
    }
    let mut v = want.clone();
    for ptr in ["/Signature/Stack/Calls", "/Signature/CreatedBy/Calls"] {
        if let Some(calls) = v.pointer_mut(ptr).and_then(Value::as_array_mut) {
            calls.iter_mut().for_each(call_shape);
        }
    }
    strip(&mut v);
    // Only the creating frame of a race report's creation stack.
    if let Some(calls) = v.pointer_mut("/Signature/CreatedBy/Calls").and_then(Value::as_array_mut) {
        calls.truncate(1);
    }
    for key in ["SleepMin", "SleepMax"] {
        if v.pointer(&format!("/Signature/{key}")) == Some(&json!(0)) {
            v["Signature"].as_object_mut().unwrap().remove(key);
        }
    }
    v
}

/// Our argument text in panicparse's `Args` shape.
fn args_value(text: &str) -> Value {
    let mut toks = tokenize(text).into_iter().peekable();

    args_level(&mut toks)
}

fn tokenize(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for c in s.chars() {
        match c {
            '{' | '}' | ',' => {
                if !cur.trim().is_empty() {
                    out.push(cur.trim().to_string());
                }
                cur.clear();
                out.push(c.to_string());
            }
            _ => cur.push(c),
        }
    }
    if !cur.trim().is_empty() {
        out.push(cur.trim().to_string());
    }
    out
}

fn args_level(toks: &mut std::iter::Peekable<std::vec::IntoIter<String>>) -> Value {
    let mut values = Vec::new();
    let mut elided = false;
    while let Some(t) = toks.next() {
        match t.as_str() {
            "}" => break,
            "," => {}
            "..." => elided = true,
            "{" => {
                let fields = args_level(toks);
                values.push(json!({"IsAggregate": true, "Fields": fields}));
            }
            v => {
                let (v, inaccurate) = match v.strip_suffix('?') {
                    Some(x) => (x, true),
                    None => (v, false),
                };
                let n = match v.strip_prefix("0x") {
                    Some(h) => u64::from_str_radix(h, 16).unwrap_or(u64::MAX),
                    None => v.parse::<u64>().unwrap_or(u64::MAX),
                };
                // panicparse's JSON holds values past int64 as int64's maximum.
                let n = n.min(i64::MAX as u64);
                let mut m = Map::new();
                if n != 0 {
                    m.insert("Value".into(), json!(n));
                }
                if inaccurate {
                    m.insert("IsInaccurate".into(), json!(true));
                }
                values.push(Value::Object(m));
            }
        }
    }
    let mut m = Map::new();
    if !values.is_empty() {
        m.insert("Values".into(), Value::Array(values));
    }
    if elided {
        m.insert("Elided".into(), json!(true));
    }
    Value::Object(m)
}

fn line_of_suffix(input: &[u8], suffix: &str) -> usize {
    assert!(input.ends_with(suffix.as_bytes()), "the input ends with the expected suffix");
    let head = &input[..input.len() - suffix.len()];
    head.iter().filter(|&&b| b == b'\n').count() + 1
}

fn names_line(e: &DecodeError, line: usize) -> bool {
    e.position == Some(Position::Line(line as u64)) || e.message.contains(&format!("line {line}:"))
}

fn goroutines(p: &Profile) -> &[Goroutine] {
    &p.goroutines.as_ref().expect("a goroutine table").goroutines
}

#[test]
fn synthetic_scanner_cases() {
    let dir = panicparse().join("extracted");
    let cases = load_json(dir.join("synthetic/index.json"));
    let cases = cases.as_array().unwrap();
    assert_eq!(cases.len(), 35);
    let mut failures = Vec::new();
    let (mut exact, mut errors, mut none) = (0, 0, 0);
    for c in cases {
        let name = c["name"].as_str().unwrap();
        let input = match c["input_file"].as_str() {
            Some(f) => read(dir.join(f)),
            None => Vec::new(),
        };
        let want_err = c["want_err"].as_str().unwrap();
        let want_suffix = c["want_suffix"].as_str().unwrap_or("");
        let want_prefix = match c["want_prefix_file"].as_str() {
            Some(f) => String::from_utf8(read(dir.join(f))).unwrap(),
            None => c["want_prefix"].as_str().unwrap_or("").to_string(),
        };
        let want_gs: Vec<Value> =
            c["want_goroutines"].as_array().map(|a| a.iter().map(normalize_want).collect()).unwrap_or_default();
        let got = decode(&input, &Limits::default());
        let mut fail = |msg: String| failures.push(format!("{name}: {msg}"));
        if want_gs.is_empty() {
            // panicparse finds no goroutine: neither do we, and we say so.
            none += 1;
            match &got {
                Err(_) => {}
                Ok(p) if p.goroutines.as_ref().is_none_or(|t| t.goroutines.is_empty()) => {}
                Ok(p) => fail(format!("expected no goroutine, got {}", goroutines(p).len())),
            }
            continue;
        }
        let is_error = want_err != "io.EOF" && want_err != "nil";
        if !is_error {
            exact += 1;
            let p = match &got {
                Ok(p) => p,
                Err(e) => {
                    fail(format!("decode failed: {e}"));
                    continue;
                }
            };
            let t = p.goroutines.as_ref().unwrap();
            let ours: Vec<Value> = t.goroutines.iter().map(|g| as_panicparse(p, g)).collect();
            if ours != want_gs {
                fail(format!("goroutines differ:\n  got:  {}\n  want: {}", json!(ours), json!(want_gs)));
            }
            if t.prefix != want_prefix {
                fail(format!("prefix {:?}, want {:?}", short(&t.prefix), short(&want_prefix)));
            }
            if t.suffix != want_suffix {
                fail(format!("suffix {:?}, want {:?}", t.suffix, want_suffix));
            }
            if !p.warnings.is_empty() {
                fail(format!("unexpected warnings {:?}", p.warnings));
            }
            continue;
        }
        // An error at the first line of panicparse's suffix.
        errors += 1;
        let line = line_of_suffix(&input, want_suffix);
        match &got {
            Err(e) => {
                if !names_line(e, line) {
                    fail(format!("error {e:?} does not name line {line} ({want_err})"));
                }
            }
            Ok(p) => {
                let t = p.goroutines.as_ref().unwrap();
                let warned = p.warnings.iter().any(|w| w.starts_with(&format!("line {line}:")));
                if !warned && t.suffix != want_suffix {
                    fail(format!("neither a warning for line {line} ({want_err}) nor the suffix: {:?}", p.warnings));
                }
                // The goroutines read before the interrupted one are exact.
                let before = &want_gs[..want_gs.len() - 1];
                let ours: Vec<Value> = t.goroutines.iter().map(|g| as_panicparse(p, g)).collect();
                if ours.len() < before.len() || ours[..before.len()] != *before {
                    fail(format!("goroutines before the error differ: {}", json!(ours)));
                }
                if t.prefix != want_prefix {
                    fail(format!("prefix {:?}, want {:?}", short(&t.prefix), short(&want_prefix)));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{} failing cases:\n{}", failures.len(), failures.join("\n\n"));
    assert_eq!((exact, errors, none), (16, 12, 7), "cases compared field by field / by error line / as empty");
    eprintln!("panicparse synthetic: {exact} dumps equal field by field, {errors} errors at the right line, {none} without goroutines");
}

fn short(s: &str) -> String {
    if s.len() > 120 {
        format!("{}... ({} bytes)", &s[..120], s.len())
    } else {
        s.to_string()
    }
}

#[test]
fn bucket_inputs() {
    let dir = panicparse().join("extracted");
    let cases = load_json(dir.join("bucket/index.json"));
    let cases = cases.as_array().unwrap();
    assert_eq!(cases.len(), 4);
    let mut failures = Vec::new();
    for c in cases {
        let name = c["test"].as_str().unwrap();
        let p = decode(&read(dir.join(c["input_file"].as_str().unwrap())), &Limits::default())
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let gs = goroutines(&p);
        let mut ids_in_buckets = 0;
        for b in c["want_buckets"].as_array().unwrap() {
            let sig = normalize_want(&json!({"Signature": b["Signature"]}))["Signature"].clone();
            let ids: Vec<u64> = b["IDs"].as_array().unwrap().iter().map(|v| v.as_u64().unwrap()).collect();
            ids_in_buckets += ids.len();
            let mut samples = Vec::new();
            for id in &ids {
                let Some(g) = gs.iter().find(|g| g.id == *id) else {
                    failures.push(format!("{name}: goroutine {id} missing"));
                    continue;
                };
                let ours = as_panicparse(&p, g);
                // The bucket's signature holds for each member: state, frames
                // (function, file, line), creator; its wait range holds the wait.
                let field = |v: &Value, k: &str| v.get(k).cloned().unwrap_or(Value::Null);
                let calls = |v: &Value| -> Vec<(Value, Value, Value)> {
                    v["Stack"]["Calls"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|c| (c["Func"].clone(), c["Path"].clone(), c["Line"].clone()))
                        .collect()
                };
                let o = &ours["Signature"];
                if field(o, "State") != field(&sig, "State") || calls(o) != calls(&sig) {
                    failures.push(format!("{name}: goroutine {id}: {o} does not fit bucket {sig}"));
                }
                let created = |v: &Value| v.pointer("/CreatedBy/Calls/0/Func").cloned();
                if created(o) != created(&sig) {
                    failures.push(format!("{name}: goroutine {id}: creator differs"));
                }
                if let (Some(lo), Some(hi)) = (sig["SleepMin"].as_u64(), sig["SleepMax"].as_u64()) {
                    let w = g.wait_minutes.unwrap_or(0) as u64;
                    if w < lo || w > hi {
                        failures.push(format!("{name}: goroutine {id}: wait {w} outside [{lo}, {hi}]"));
                    }
                }
                samples.push(sample_of(&p, g));
            }
            // One bucket is never split across our samples (ours group by stack
            // and state only, so they may join buckets that differ by arguments).
            samples.dedup();
            if samples.len() > 1 {
                failures.push(format!("{name}: bucket {ids:?} spread over samples {samples:?}"));
            }
        }
        if ids_in_buckets != gs.len() {
            failures.push(format!("{name}: {} goroutines, buckets hold {ids_in_buckets}", gs.len()));
        }
        let total: i64 = p.totals()[0];
        if total != gs.len() as i64 {
            failures.push(format!("{name}: profile counts {total}, table has {}", gs.len()));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Index of the profile sample that counts `g`.
fn sample_of(p: &Profile, g: &Goroutine) -> usize {
    let state = p.str(g.state);
    (0..p.samples.len())
        .find(|&i| {
            p.samples.stacks[i] == g.stack
                && p.sample_labels(i).strs.iter().any(|&(k, v)| p.str(k) == "state" && p.str(v) == state)
        })
        .expect("the goroutine is counted in a sample")
}

/// The table of SOURCES.md: `generated-.../FILE.txt` | bytes | goroutines.
fn generated_counts() -> Vec<(String, usize)> {
    let text = String::from_utf8(read(panicparse().join("SOURCES.md"))).unwrap();
    text.lines()
        .filter(|l| l.starts_with("| `generated-"))
        .map(|l| {
            let cells: Vec<&str> = l.split('|').map(str::trim).collect();
            (cells[1].trim_matches('`').to_string(), cells[3].parse().unwrap())
        })
        .collect()
}

#[test]
fn generated_panics_have_their_goroutine_counts() {
    let counts = generated_counts();
    let dir = panicparse();
    // Every file of the folder is in the table, and the other way round.
    let mut listed: Vec<String> = counts.iter().map(|(f, _)| f.clone()).collect();
    listed.sort();
    let gen_dir = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with("generated-"))
        .unwrap();
    let mut on_disk: Vec<String> = std::fs::read_dir(&gen_dir)
        .unwrap()
        .map(|e| {
            format!("{}/{}", gen_dir.file_name().unwrap().to_string_lossy(), e.unwrap().file_name().to_string_lossy())
        })
        .collect();
    on_disk.sort();
    assert_eq!(listed, on_disk);
    assert_eq!(counts.len(), 22);

    let mut failures = Vec::new();
    for (file, want) in &counts {
        let data = read(dir.join(file));
        let headers =
            String::from_utf8_lossy(&data).lines().filter(|l| l.starts_with("goroutine ") && l.ends_with("]:")).count();
        assert_eq!(headers, *want, "{file}: the table and the text agree");
        match decode(&data, &Limits::default()) {
            Ok(p) => {
                let gs = goroutines(&p);
                let from_headers = gs.iter().filter(|g| g.race.is_none()).count();
                let total = p.totals()[0];
                if from_headers != *want || total != gs.len() as i64 {
                    failures.push(format!("{file}: {from_headers} goroutines (profile total {total}), want {want}"));
                }
                if !p.warnings.is_empty() {
                    failures.push(format!("{file}: warnings {:?}", p.warnings));
                }
                if file.ends_with("race.txt") && gs.iter().filter(|g| g.race.is_some()).count() != 2 {
                    failures.push(format!("{file}: the race report has two accesses"));
                }
                let prefix = &p.goroutines.as_ref().unwrap().prefix;
                if !prefix.starts_with("GOTRACEBACK=all") {
                    failures.push(format!("{file}: prefix {prefix:?}"));
                }
            }
            Err(e) => failures.push(format!("{file}: {e}")),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn static_dumps_decode() {
    let dir = panicparse().join("extracted");
    for (file, want) in [("static_panicweb.debug2.txt", None::<usize>), ("static_panic_race.txt", None)] {
        let data = read(dir.join(file));
        let headers =
            String::from_utf8_lossy(&data).lines().filter(|l| l.starts_with("goroutine ") && l.ends_with("]:")).count();
        let p = decode(&data, &Limits::default()).unwrap_or_else(|e| panic!("{file}: {e}"));
        let gs = goroutines(&p);
        assert_eq!(gs.iter().filter(|g| g.race.is_none()).count(), want.unwrap_or(headers), "{file}");
        assert!(p.warnings.is_empty(), "{file}: {:?}", p.warnings);
    }
}
