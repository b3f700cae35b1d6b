//! Sharing without uploading: redaction leaves no original string in the
//! saved bytes and keeps the numbers; merging with provenance splits back
//! into the sources.

mod common;
use common::*;
use profdrop::decode::{decode, Limits};
use profdrop::model::Profile;
use profdrop::proto;
use profdrop::report::top;
use profdrop::report::{Options, Report, ReportKind};
use profdrop::transform::redact::{merge_with_provenance, redact, RedactOptions};

fn load(name: &str) -> Profile {
    decode(&read(go_fixtures().join(name)), &Limits::default()).unwrap()
}

fn top_numbers(p: &Profile) -> Vec<(i64, i64)> {
    let mut r = Report::new(p, ReportKind::Top, &Options { nodefraction: 0.0, ..Options::default() }).unwrap();
    let mut v: Vec<(i64, i64)> = top::build_top(&mut r).rows.iter().map(|r| (r.flat, r.cum)).collect();
    v.sort();
    v
}

fn contains(hay: &[u8], needle: &str) -> bool {
    hay.windows(needle.len()).any(|w| w == needle.as_bytes())
}

#[test]
fn redacted_profiles_hold_no_original_path_label_or_user_name() {
    let all = RedactOptions {
        file_paths: true,
        function_names: true,
        label_values: true,
        mappings: true,
        comments: true,
        key: None,
    };
    for name in ["goroutine_t1.pb.gz", "heap_t1.pb.gz", "cpu_t1.pb.gz"] {
        let p = load(name);
        let r = redact(&p, &all).unwrap();
        let bytes = proto::encode(&r);
        for secret in [
            "/srv/leakdemo",
            "/usr/lib/go-1.19",
            "leakdemo",
            "inventory",
            "main.fetchInventory",
            "main.newUpstreamClient",
        ] {
            assert!(!contains(&bytes, secret), "{name}: {secret:?} survived redaction");
        }
        // Standard-library names stay readable; the numbers do not change.
        if name.starts_with("goroutine") {
            assert!(contains(&bytes, "net/http.(*persistConn).readLoop"));
        }
        assert_eq!(top_numbers(&r), top_numbers(&p), "{name}");
        // And the redacted bytes are a valid profile.
        assert!(decode(&bytes, &Limits::default()).is_ok());
    }
}

#[test]
fn redaction_hashes_are_stable_and_partial_options_keep_the_rest() {
    let p = load("goroutine_t1.pb.gz");
    let only_labels = RedactOptions { label_values: true, key: Some([7; 32]), ..Default::default() };
    let a = proto::encode(&redact(&p, &only_labels).unwrap());
    let b = proto::encode(&redact(&p, &only_labels).unwrap());
    assert_eq!(a, b, "same input and key, same hashes");
    let other = RedactOptions { key: Some([8; 32]), ..only_labels };
    assert_ne!(proto::encode(&redact(&p, &other).unwrap()), a, "another report's key, other hashes");
    let q = decode(&a, &Limits::default()).unwrap();
    assert!(!q.strings.iter().any(|s| s == "inventory" || s == "inventory-pooled"), "label values are hashed");
    assert!(contains(&a, "/usr/lib/go-1.19"), "paths are kept unless asked");
    assert!(!contains(&a, "route"), "label keys are hashed with the values");
    assert!(contains(&a, "runtime.gopark"), "names are kept unless asked");
}

#[test]
fn merged_with_provenance_splits_back_by_file() {
    let (t0, t1) = (load("goroutine_t0.pb.gz"), load("goroutine_t1.pb.gz"));
    let m = merge_with_provenance(vec![
        ("goroutine_t0.pb.gz".into(), t0.clone()),
        ("goroutine_t1.pb.gz".into(), t1.clone()),
    ])
    .unwrap();
    let total = |p: &Profile| (0..p.samples.len()).map(|i| p.sample_values(i)[0]).sum::<i64>();
    let by_file = |f: &str| {
        (0..m.samples.len())
            .filter(|&i| m.sample_labels(i).strs.iter().any(|&(k, v)| m.str(k) == "file" && m.str(v) == f))
            .map(|i| m.sample_values(i)[0])
            .sum::<i64>()
    };
    assert_eq!(by_file("goroutine_t0.pb.gz"), total(&t0));
    assert_eq!(by_file("goroutine_t1.pb.gz"), total(&t1));
    assert_eq!(total(&m), total(&t0) + total(&t1));
}

/// `profdrop ARGS` with files read from tests/fixtures/go, plus `extra` files by name.
fn cli(args: &[&str], extra: &[(&str, Vec<u8>)]) -> String {
    let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    let out = profdrop::cli::run_with(&args, |name| match extra.iter().find(|(n, _)| *n == name) {
        Some((_, b)) => Ok(b.clone()),
        None => std::fs::read(go_fixtures().join(name)),
    });
    assert_eq!(out.code, 0, "profdrop {}: {}", args.join(" "), out.stderr);
    out.stdout
}

/// The rows of a -top text: (flat, cum, name), percentages left out.
fn rows(text: &str) -> Vec<(String, String, String)> {
    let start = text.lines().position(|l| l.trim_start().starts_with("flat  flat%")).expect("a top table");
    text.lines()
        .skip(start + 1)
        .map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            (f[0].to_string(), f[3].to_string(), f[5..].join(" "))
        })
        .collect()
}

/// The weight of a file's samples as pprof's tags count them: samples with
/// a stack (goroutine_t1 holds one goroutine with an empty stack, which
/// top's total counts and -tags, like -raw, leaves out).
fn sample_sum(p: &Profile) -> i64 {
    (0..p.samples.len()).filter(|&i| !p.sample_stack(i).is_empty()).map(|i| p.sample_values(i)[0]).sum()
}

#[test]
fn cli_provenance_tags_show_each_files_total_and_tagfocus_gives_back_each_files_top() {
    let (a, b) = ("goroutine_t0.pb.gz", "goroutine_t1.pb.gz");
    let tags = cli(&["tags", "--provenance", a, b], &[]);
    // " file: Total N" then one line per file with the weight of its samples
    let file_at = tags.lines().position(|l| l.trim_start().starts_with("file: Total")).expect("a file label");
    let weight = |name: &str| -> i64 {
        let line = tags
            .lines()
            .skip(file_at + 1)
            .take(2)
            .find(|l| l.ends_with(&format!(": {name}")))
            .unwrap_or_else(|| panic!("{name} in\n{tags}"));
        line.split_whitespace().next().unwrap().parse::<f64>().unwrap() as i64
    };
    assert_eq!(weight(a), sample_sum(&load(a)));
    assert_eq!(weight(b), sample_sum(&load(b)));
    assert!(weight(a) > 0 && weight(b) > weight(a));
    // without the option there is no file label
    assert!(!cli(&["tags", a, b], &[]).contains("file: Total"));
    for name in [a, b] {
        let focus = format!("--tagfocus=file=^{}$", name.replace('.', "\\."));
        let split = cli(&["top", "--provenance", "--nodefraction=0", &focus, a, b], &[]);
        let alone = cli(&["top", "--nodefraction=0", name], &[]);
        assert!(rows(&alone).len() > 5);
        assert_eq!(rows(&split), rows(&alone), "{name}");
    }
}

#[test]
fn provenance_names_are_base_names_unless_two_files_share_one() {
    use profdrop::load::provenance_names;
    assert_eq!(provenance_names(&["a/x.pb.gz", "b/y.pb.gz"]), ["x.pb.gz", "y.pb.gz"]);
    assert_eq!(provenance_names(&["a/x.pb.gz", "b/x.pb.gz"]), ["a/x.pb.gz", "b/x.pb.gz"]);
}

#[test]
fn a_filtered_profile_written_as_pprof_prints_the_reports_numbers() {
    use profdrop::view::export::filtered_profile;
    let p = load("heap_t1.pb.gz");
    let o = Options {
        sample_index: "alloc_space".into(),
        focus: "net/http".into(),
        nodefraction: 0.0,
        ..Options::default()
    };
    let written = proto::encode_gzip(&filtered_profile(&p, &o).unwrap());
    let page =
        cli(&["top", "--sample_index=alloc_space", "--focus=net/http", "--nodefraction=0", "heap_t1.pb.gz"], &[]);
    let back = cli(&["top", "--nodefraction=0", "focused.pb.gz"], &[("focused.pb.gz", written.clone())]);
    assert!(back.contains("Type: alloc_space"), "the shown sample type is the default:\n{back}");
    assert!(rows(&page).len() > 5);
    assert_eq!(rows(&back), rows(&page));
    // before the granularity: lines survive, so --lines reads the same as the original's
    let lines = cli(&["top", "--lines", "--nodefraction=0", "focused.pb.gz"], &[("focused.pb.gz", written)]);
    let orig = cli(
        &["top", "--lines", "--sample_index=alloc_space", "--focus=net/http", "--nodefraction=0", "heap_t1.pb.gz"],
        &[],
    );
    assert_eq!(rows(&lines), rows(&orig));
}

#[test]
fn a_diff_profile_written_as_pprof_prints_the_diffs_numbers() {
    use profdrop::view::compare::{diff_profile, CompareMode};
    use profdrop::view::export::filtered_profile;
    let (b, t) = (load("heap_t0.pb.gz"), load("heap_t1.pb.gz"));
    let d = diff_profile(&b, &t, CompareMode::DiffBase).unwrap();
    let written = proto::encode_gzip(&filtered_profile(&d, &Options::default()).unwrap());
    let back = cli(&["top", "diff.pb.gz"], &[("diff.pb.gz", written)]);
    let want = cli(&["top", "--diff_base=heap_t0.pb.gz", "heap_t1.pb.gz"], &[]);
    // the same rows and percentages: the base's samples keep their pprof::base label
    let table =
        |s: &str| s.lines().skip_while(|l| !l.trim_start().starts_with("flat  flat%")).collect::<Vec<_>>().join("\n");
    assert!(rows(&want).len() > 3);
    assert_eq!(table(&back), table(&want));
}

#[test]
fn the_top_table_exports_as_csv_and_markdown() {
    use profdrop::view::export::top_table;
    let p = load("heap_t1.pb.gz");
    let mut r = Report::new(&p, ReportKind::Top, &Options::default()).unwrap();
    let t = top::build_top(&mut r);
    let csv = top_table(&r, &t, "csv").unwrap();
    let md = top_table(&r, &t, "markdown").unwrap();
    assert_eq!(csv.lines().next(), Some("flat,flat%,sum%,cum,cum%,name"));
    assert_eq!(csv.lines().count(), t.rows.len() + 1);
    assert_eq!(md.lines().count(), t.rows.len() + 2);
    assert!(csv.lines().nth(1).unwrap().contains(&t.rows[0].name));
    assert!(md.lines().nth(2).unwrap().starts_with("| "));
    assert!(top_table(&r, &t, "xml").is_err());
}

/// A profile holding a secret in every string field profile.proto has:
/// names that look like the standard library by their shape, C/C++/Rust
/// symbols, a standard name hiding a user's system name, file names, the doc
/// URL, mappings, label keys, values and units, comments (a panic's text),
/// and sample and period types of the user's own.
fn hostile_profile() -> (Vec<u8>, Vec<&'static str>) {
    use proto::*;
    let strings: Vec<&'static str> = vec![
        "",
        "acmecorp/payments/fraud.(*Scorer).Score",
        "payments.ChargeCard",
        "SecretProjectFalcon_encrypt",
        "_ZN8acmecorp6Scorer5scoreEv",
        "acmecorp::Scorer::score(int)",
        "runtime.mallocgc",
        "github.com/acmecorp/hidden.RealName",
        "/home/alice/acmecorp/fraud/scorer.go",
        "https://wiki.acmecorp.internal/profiles",
        "/opt/acmecorp/bin/payments-server",
        "b1d5ecre7b1d",
        "tenant_secret_key",
        "tenant-acme-gold",
        "user_ids",
        "furlongs_acme",
        "panic: token=sk_live_51HxSecret",
        "acme_widgets_processed",
        "acme_widgets",
        "net/http.(*conn).serve",
        "bytes",
        "count",
    ];
    let s = |x: &str| strings.iter().position(|y| *y == x).unwrap() as i64;
    let func = |id: u64, name: &str, sys: &str| PbFunction {
        id,
        name: s(name),
        system_name: s(sys),
        filename: s("/home/alice/acmecorp/fraud/scorer.go"),
        start_line: 1,
    };
    let functions = vec![
        func(1, "acmecorp/payments/fraud.(*Scorer).Score", "acmecorp/payments/fraud.(*Scorer).Score"),
        func(2, "payments.ChargeCard", "payments.ChargeCard"),
        func(3, "SecretProjectFalcon_encrypt", "_ZN8acmecorp6Scorer5scoreEv"),
        func(4, "acmecorp::Scorer::score(int)", ""),
        func(5, "runtime.mallocgc", "github.com/acmecorp/hidden.RealName"),
        func(6, "net/http.(*conn).serve", "net/http.(*conn).serve"),
    ];
    let location = (1..=6u64)
        .map(|i| PbLocation {
            id: i,
            mapping_id: 1,
            address: 0x1000 * i,
            line: vec![PbLine { function_id: i, line: 10, column: 0 }],
            is_folded: false,
        })
        .collect();
    let label = vec![
        PbLabel { key: s("tenant_secret_key"), str: s("tenant-acme-gold"), num: 0, num_unit: 0 },
        PbLabel { key: s("user_ids"), str: 0, num: 42, num_unit: s("furlongs_acme") },
        PbLabel { key: s("bytes"), str: 0, num: 64, num_unit: s("bytes") },
    ];
    let pb = PbProfile {
        sample_type: vec![PbValueType { r#type: s("acme_widgets_processed"), unit: s("acme_widgets") }],
        sample: vec![PbSample { location_id: vec![5, 1, 2, 3, 4, 6], value: vec![7], label }],
        mapping: vec![PbMapping {
            id: 1,
            memory_start: 0x1000,
            memory_limit: 0x100000,
            filename: s("/opt/acmecorp/bin/payments-server"),
            build_id: s("b1d5ecre7b1d"),
            has_functions: true,
            ..Default::default()
        }],
        location,
        function: functions,
        string_table: strings.iter().map(|x| x.to_string()).collect(),
        drop_frames: s("payments.ChargeCard"),
        period_type: Some(PbValueType { r#type: s("acme_widgets_processed"), unit: s("count") }),
        period: 1,
        comment: vec![s("panic: token=sk_live_51HxSecret")],
        default_sample_type: s("acme_widgets_processed"),
        doc_url: s("https://wiki.acmecorp.internal/profiles"),
        ..Default::default()
    };
    let standard = ["", "runtime.mallocgc", "net/http.(*conn).serve", "bytes", "count"];
    let secrets = strings.iter().copied().filter(|x| !standard.contains(x)).collect();
    (prost::Message::encode_to_vec(&pb), secrets)
}

#[test]
fn fully_redacted_hostile_profile_keeps_no_original_non_standard_string() {
    let (bytes, secrets) = hostile_profile();
    let p = decode(&bytes, &Limits::default()).unwrap();
    let all = RedactOptions {
        file_paths: true,
        function_names: true,
        label_values: true,
        mappings: true,
        comments: true,
        key: None,
    };
    let out = proto::encode(&redact(&p, &all).unwrap());
    // Decoded again, no string of the saved profile is an original secret or
    // contains one, and the raw bytes hold none either.
    let q = decode(&out, &Limits::default()).unwrap();
    for secret in &secrets {
        assert!(!contains(&out, secret), "{secret:?} survived redaction");
        assert!(!q.strings.iter().any(|x| x.contains(secret)), "{secret:?} survived redaction");
    }
    // Standard names, units and the numbers stay.
    for kept in ["runtime.mallocgc", "net/http.(*conn).serve", "bytes"] {
        assert!(q.strings.iter().any(|x| x == kept), "{kept} kept");
    }
    assert_eq!(q.sample_values(0), &[7]);
    // Replacements are keyed 64-bit hashes, not a bare hash of the name.
    let fnv_like = q.strings.iter().filter(|x| x.starts_with("fn_")).all(|x| x.len() == 3 + 16);
    assert!(fnv_like && q.strings.iter().any(|x| x.starts_with("fn_")));
}

#[test]
fn each_option_alone_leaves_what_kept_lists() {
    let (bytes, _) = hostile_profile();
    let p = decode(&bytes, &Limits::default()).unwrap();
    let key = Some([1; 32]);
    let cases: [(RedactOptions, &[&str], &[&str]); 5] = [
        (
            RedactOptions { function_names: true, key, ..Default::default() },
            &["payments.ChargeCard", "SecretProjectFalcon_encrypt", "github.com/acmecorp/hidden.RealName"],
            &["/home/alice/acmecorp/fraud/scorer.go", "tenant-acme-gold"],
        ),
        (
            RedactOptions { file_paths: true, key, ..Default::default() },
            &["/home/alice/acmecorp/fraud/scorer.go"],
            &["payments.ChargeCard"],
        ),
        (
            RedactOptions { label_values: true, key, ..Default::default() },
            &["tenant_secret_key", "tenant-acme-gold", "furlongs_acme"],
            &["panic: token=sk_live_51HxSecret"],
        ),
        (
            RedactOptions { mappings: true, key, ..Default::default() },
            &["/opt/acmecorp/bin/payments-server", "b1d5ecre7b1d"],
            &["acme_widgets_processed"],
        ),
        (
            RedactOptions { comments: true, key, ..Default::default() },
            &["panic: token=sk_live_51HxSecret", "https://wiki.acmecorp.internal/profiles", "acme_widgets_processed"],
            &["b1d5ecre7b1d"],
        ),
    ];
    for (o, gone, kept) in cases {
        let out = proto::encode(&redact(&p, &o).unwrap());
        for g in gone {
            assert!(!contains(&out, g), "{o:?}: {g:?} survived");
        }
        for k in kept {
            assert!(contains(&out, k), "{o:?}: {k:?} should be kept");
        }
        assert!(o.kept().len() >= 4);
    }
}
