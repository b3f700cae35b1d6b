//! Sharing without uploading: redaction leaves no original string in the
//! saved bytes and keeps the numbers; merging with provenance splits back
//! into the sources.

mod common;
use common::*;
use profdrop::decode::{decode, Limits};
use profdrop::model::Profile;
use profdrop::proto;
use profdrop::transform::redact::{merge_with_provenance, redact, RedactOptions};
use profdrop::view::report::{Options, Report, ReportKind};
use profdrop::view::top;

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
    let all = RedactOptions { file_paths: true, function_names: true, label_values: true, mappings: true };
    for name in ["goroutine_t1.pb.gz", "heap_t1.pb.gz", "cpu_t1.pb.gz"] {
        let p = load(name);
        let r = redact(&p, &all).unwrap();
        let bytes = proto::encode(&r);
        for secret in ["/srv/leakdemo", "/usr/lib/go-1.19", "leakdemo", "inventory", "main.fetchInventory", "main.newUpstreamClient"] {
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
    let only_labels = RedactOptions { label_values: true, ..Default::default() };
    let a = proto::encode(&redact(&p, &only_labels).unwrap());
    let b = proto::encode(&redact(&p, &only_labels).unwrap());
    assert_eq!(a, b, "same input, same hashes");
    let q = decode(&a, &Limits::default()).unwrap();
    assert!(!q.strings.iter().any(|s| s == "inventory" || s == "inventory-pooled"), "label values are hashed");
    assert!(contains(&a, "/usr/lib/go-1.19"), "paths are kept unless asked");
    assert!(contains(&a, "route"), "label keys are kept");
}

#[test]
fn merged_with_provenance_splits_back_by_file() {
    let (t0, t1) = (load("goroutine_t0.pb.gz"), load("goroutine_t1.pb.gz"));
    let m = merge_with_provenance(vec![("goroutine_t0.pb.gz".into(), t0.clone()), ("goroutine_t1.pb.gz".into(), t1.clone())]).unwrap();
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
