//! Names holding control, bidi or zero-width characters are shown with Go's
//! escapes (`\x1b`, `\u202e`, `\u200b`) in the page's views and the CLI's
//! reports, never break the call graph's DOT, and never reach the terminal
//! as escape sequences unless `--raw_names` asks for them.

use profdrop::proto::*;
use profdrop::report::Options;
use profdrop::session::Session;

const NAMES: [&str; 4] =
    ["main.\u{1b}[31mred\u{1b}[0m", "main.evil\u{202e}gnp", "main.zero\u{200b}width", "main.line\nbreak\"q"];

/// One sample per name, a `tenant` label holding a bidi override.
fn profile() -> Vec<u8> {
    let mut strings: Vec<String> =
        ["", "samples", "count", "tenant", "acme\u{202e}evil", "/src/x.go"].map(String::from).to_vec();
    strings.extend(NAMES.map(String::from));
    let function = (0..NAMES.len() as u64)
        .map(|i| PbFunction { id: i + 1, name: 6 + i as i64, system_name: 6 + i as i64, filename: 5, start_line: 1 })
        .collect();
    let location = (0..NAMES.len() as u64)
        .map(|i| PbLocation {
            id: i + 1,
            line: vec![PbLine { function_id: i + 1, line: 3, column: 0 }],
            ..Default::default()
        })
        .collect();
    let sample = (0..NAMES.len() as u64)
        .map(|i| PbSample {
            location_id: vec![i + 1],
            value: vec![10 + i as i64],
            label: vec![PbLabel { key: 3, str: 4, num: 0, num_unit: 0 }],
        })
        .collect();
    let pb = PbProfile {
        sample_type: vec![PbValueType { r#type: 1, unit: 2 }],
        sample,
        location,
        function,
        string_table: strings,
        ..Default::default()
    };
    prost::Message::encode_to_vec(&pb)
}

const HIDDEN: [char; 5] = ['\u{1b}', '\u{202e}', '\u{200b}', '\u{7}', '\r'];

#[test]
fn the_page_s_views_show_escapes() {
    let mut s = Session::new();
    let id = s.load("names.pb", &profile()).unwrap().id;
    let top = s.top(&[id], &Options::default()).unwrap();
    for want in ["main.\\x1b[31mred\\x1b[0m", "main.evil\\u202egnp", "main.zero\\u200bwidth", "main.line\\nbreak\"q"] {
        assert!(top.name.text.contains(want), "{want} in {:?}", top.name.text);
    }
    assert!(!top.name.text.contains(HIDDEN), "{:?}", top.name.text);
    let tags = s.tags(&[id], &Options::default(), 100).unwrap();
    let json = serde_json::to_string(&tags).unwrap();
    assert!(json.contains("acme\\\\u202eevil") && !json.contains('\u{202e}'), "{json}");
}

#[test]
fn the_call_graph_survives_every_name() {
    let mut s = Session::new();
    let id = s.load("names.pb", &profile()).unwrap().id;
    let dot = s.dot(&[id], &Options { nodefraction: 0.0, ..Options::default() }).unwrap().dot;
    assert!(!dot.contains(HIDDEN), "{dot:?}");
    // Every node is one line, quotes balanced: the name with a quote and a
    // newline stays inside its label.
    for line in dot.lines().filter(|l| l.starts_with("N")) {
        let unescaped_quotes = line.replace("\\\\", "").replace("\\\"", "").matches('"').count();
        assert_eq!(unescaped_quotes % 2, 0, "{line}");
    }
    assert!(dot.contains("main.evil\\\\u202egnp"), "{dot}");
    assert_eq!(dot.matches("tooltip=\"main.").count(), NAMES.len(), "{dot}");
}

#[test]
fn the_cli_prints_no_escape_sequence_unless_asked() {
    let path = std::env::temp_dir().join(format!("profdrop-names-{}.pb", std::process::id()));
    std::fs::write(&path, profile()).unwrap();
    let run = |extra: &[&str]| {
        let mut args: Vec<String> = vec!["top".into()];
        args.extend(extra.iter().map(|s| s.to_string()));
        args.push(path.display().to_string());
        profdrop::cli::run(&args)
    };
    let out = run(&[]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(!out.stdout.contains(HIDDEN), "{:?}", out.stdout);
    assert!(out.stdout.contains("main.\\x1b[31mred\\x1b[0m"), "{}", out.stdout);
    let tags = profdrop::cli::run(&["tags".to_string(), path.display().to_string()]);
    assert!(tags.stdout.contains("acme\\u202eevil") && !tags.stdout.contains(HIDDEN), "{:?}", tags.stdout);
    // --raw_names: as the profile holds them (what go tool pprof prints).
    let raw = run(&["--raw_names"]);
    assert!(raw.stdout.contains("main.\u{1b}[31mred\u{1b}[0m"), "{:?}", raw.stdout);
    std::fs::remove_file(path).ok();
}
