//! The protobuf decoder: checked against prost's decoding of the same bytes,
//! round-tripped through the encoder, and fed pprof's own error cases.

mod common;
use common::*;
use profdrop::decode::{self, gzip, Limits, Position, Stage};
use profdrop::model::Profile;
use profdrop::proto::{self, PbFunction, PbLabel, PbLine, PbLocation, PbProfile, PbSample, PbValueType};
use prost::Message;

fn go_pb_files() -> Vec<std::path::PathBuf> {
    let mut v: Vec<_> = std::fs::read_dir(go_fixtures())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(".pb.gz"))
        .collect();
    v.sort();
    assert!(v.len() >= 14);
    v
}

/// Compares the decoded model with prost's view of the same message.
fn assert_same_as_prost(p: &Profile, m: &PbProfile) {
    let st = |i: i64| m.string_table[i as usize].as_str();
    assert_eq!(p.num_types(), m.sample_type.len());
    for (i, vt) in m.sample_type.iter().enumerate() {
        assert_eq!(p.sample_type_name(i), st(vt.r#type));
        assert_eq!(p.sample_type_unit(i), st(vt.unit));
    }
    assert_eq!(p.samples.len(), m.sample.len());
    for (i, s) in m.sample.iter().enumerate() {
        assert_eq!(p.sample_values(i), &s.value[..], "sample {i}");
        let ids: Vec<u64> = p.sample_stack(i).iter().map(|&l| p.location(l).id).collect();
        assert_eq!(ids, s.location_id, "sample {i}");
        let labels = p.sample_labels(i);
        let want_str: Vec<(&str, &str)> =
            s.label.iter().filter(|l| l.str != 0).map(|l| (st(l.key), st(l.str))).collect();
        let mut got_str: Vec<(&str, &str)> = labels.strs.iter().map(|&(k, v)| (p.str(k), p.str(v))).collect();
        let mut want_sorted = want_str.clone();
        want_sorted.sort();
        got_str.sort();
        assert_eq!(got_str, want_sorted, "labels of sample {i}");
        let want_num: Vec<(&str, i64)> = s
            .label
            .iter()
            .filter(|l| l.str == 0 && (l.num != 0 || l.num_unit != 0))
            .map(|l| (st(l.key), l.num))
            .collect();
        let got_num: Vec<(&str, i64)> = labels.nums.iter().map(|n| (p.str(n.key), n.value)).collect();
        assert_eq!(got_num.len(), want_num.len());
    }
    assert_eq!(p.locations.len(), m.location.len());
    for (l, pl) in p.locations.iter().zip(&m.location) {
        assert_eq!(l.id, pl.id);
        assert_eq!(l.address, pl.address);
        assert_eq!(l.lines.len(), pl.line.len());
        for (a, b) in l.lines.iter().zip(&pl.line) {
            assert_eq!(p.function(a.function).id, b.function_id);
            assert_eq!(a.line, b.line);
        }
    }
    assert_eq!(p.functions.len(), m.function.len());
    for (f, pf) in p.functions.iter().zip(&m.function) {
        assert_eq!(
            (f.id, p.str(f.name), p.str(f.filename), f.start_line),
            (pf.id, st(pf.name), st(pf.filename), pf.start_line)
        );
    }
    assert_eq!(p.mappings.len(), m.mapping.len());
    assert_eq!(p.time_nanos, m.time_nanos);
    assert_eq!(p.duration_nanos, m.duration_nanos);
    assert_eq!(p.period, m.period);
    assert_eq!(p.str(p.default_sample_type), st(m.default_sample_type));
    assert_eq!(p.comments.len(), m.comment.len());
}

#[test]
fn decoder_agrees_with_prost_on_every_go_profile() {
    for path in go_pb_files() {
        let data = read(&path);
        assert!(gzip::is_gzip(&data));
        let raw = gzip::inflate(&data, 1 << 30).unwrap();
        let m = PbProfile::decode(&raw[..]).unwrap();
        let p = decode::decode(&data, &Limits::default()).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert_same_as_prost(&p, &m);
        // Raw protobuf (not gzipped) decodes the same.
        let q = decode::decode(&raw, &Limits::default()).unwrap();
        assert_eq!(q.samples, p.samples);
    }
}

#[test]
fn encode_then_decode_is_the_same_profile() {
    for path in go_pb_files() {
        let p = decode::decode(&read(&path), &Limits::default()).unwrap();
        for bytes in [proto::encode(&p), proto::encode_gzip(&p)] {
            let q = decode::decode(&bytes, &Limits::default()).unwrap();
            assert_eq!(q.samples, p.samples, "{}", path.display());
            assert_eq!(q.stacks, p.stacks);
            assert_eq!(q.num_types(), p.num_types());
            for i in 0..p.locations.len() {
                assert_eq!(q.locations[i].lines.len(), p.locations[i].lines.len());
                assert_eq!(q.locations[i].address, p.locations[i].address);
            }
            for (a, b) in p.functions.iter().zip(&q.functions) {
                assert_eq!(p.str(a.name), q.str(b.name));
            }
        }
    }
}

#[test]
fn go_heap_profile_has_inlined_frames_and_numeric_labels() {
    let p = decode::decode(&read(go_fixtures().join("heap_t1.pb.gz")), &Limits::default()).unwrap();
    let names: Vec<&str> = (0..p.num_types()).map(|i| p.sample_type_name(i)).collect();
    assert_eq!(names, ["alloc_objects", "alloc_space", "inuse_objects", "inuse_space"]);
    assert!(p.locations.iter().any(|l| l.lines.len() > 1), "inlined frames are kept");
    let bytes = p.strings.find("bytes").unwrap();
    // Go writes all-zero records too (pprof drops them when it merges); the others carry `bytes`.
    let nonzero: Vec<usize> = (0..p.samples.len()).filter(|&i| p.sample_values(i).iter().any(|&v| v != 0)).collect();
    assert!(nonzero.len() > 100);
    assert!(nonzero.iter().all(|&i| p.sample_labels(i).nums.iter().any(|n| n.key == bytes)));
    assert_eq!(p.str(p.mappings[0].file), "/srv/leakdemo/leakdemo");
}

fn minimal() -> PbProfile {
    PbProfile {
        string_table: vec!["".into(), "samples".into(), "count".into(), "main".into()],
        sample_type: vec![PbValueType { r#type: 1, unit: 2 }],
        function: vec![PbFunction { id: 1, name: 3, system_name: 3, ..Default::default() }],
        location: vec![PbLocation {
            id: 1,
            line: vec![PbLine { function_id: 1, line: 7, column: 0 }],
            ..Default::default()
        }],
        sample: vec![PbSample { location_id: vec![1], value: vec![5], label: vec![] }],
        time_nanos: 1,
        ..Default::default()
    }
}

fn decode_msg(m: &PbProfile) -> Result<Profile, decode::DecodeError> {
    decode::decode(&m.encode_to_vec(), &Limits::default())
}

#[test]
fn pprof_parse_error_cases_fail_clearly() {
    let l = Limits::default();
    let e = decode::decode(b"", &l).unwrap_err();
    assert_eq!((e.stage, e.message.as_str()), (Stage::Parsing, "empty input file"));
    let e = decode::decode(b"garbage text", &l).unwrap_err();
    assert_eq!(e.stage, Stage::Parsing);
    assert!(e.to_string().contains("not a profile"), "{e}");
    let e = decode::decode(b"\x1f\x8b", &l).unwrap_err();
    assert_eq!(e.stage, Stage::Decompressing);
    assert!(e.to_string().contains("EOF"), "{e}");
    // A valid gzip stream holding nothing.
    let empty = proto::encode_gzip(&Profile::default());
    let raw_empty = gzip::inflate(&empty, 100).unwrap();
    let mut gz_nothing = empty[..10].to_vec();
    gz_nothing.extend_from_slice(&miniz_oxide::deflate::compress_to_vec(b"", 6));
    gz_nothing.extend_from_slice(&0u32.to_le_bytes());
    gz_nothing.extend_from_slice(&0u32.to_le_bytes());
    let e = decode::decode(&gz_nothing, &l).unwrap_err();
    assert_eq!((e.stage, e.message.as_str()), (Stage::Parsing, "empty input file"));
    assert!(!raw_empty.is_empty());
}

#[test]
fn concatenated_profiles_are_detected() {
    let bytes = read(go_fixtures().join("heap_t0.pb.gz"));
    let raw = gzip::inflate(&bytes, 1 << 30).unwrap();
    let mut twice = raw.clone();
    twice.extend_from_slice(&raw);
    let e = decode::decode(&twice, &Limits::default()).unwrap_err();
    assert_eq!(e.to_string().split(" (at").next().unwrap(), "parsing profile: concatenated profiles detected");
    assert!(matches!(e.position, Some(Position::Byte(n)) if n as usize >= raw.len()));
    // The same two profiles as two gzip members (Go's reader is multi-stream).
    let mut gz_twice = bytes.clone();
    gz_twice.extend_from_slice(&bytes);
    assert!(decode::decode(&gz_twice, &Limits::default()).unwrap_err().message.contains("concatenated"));
}

/// A change that breaks a valid profile.
type Breakage = Box<dyn Fn(&mut PbProfile)>;

#[test]
fn validation_as_pprof_does_it() {
    assert!(decode_msg(&minimal()).is_ok());
    let cases: Vec<(Breakage, Stage, &str)> = vec![
        (Box::new(|m| m.function[0].id = 0), Stage::Malformed, "found function with reserved ID=0"),
        (Box::new(|m| m.location[0].id = 0), Stage::Malformed, "found location with reserved id=0"),
        (
            Box::new(|m| m.mapping.push(proto::PbMapping { id: 0, ..Default::default() })),
            Stage::Malformed,
            "found mapping with reserved ID=0",
        ),
        (Box::new(|m| m.function.push(m.function[0].clone())), Stage::Malformed, "multiple functions with same id: 1"),
        (Box::new(|m| m.location.push(m.location[0].clone())), Stage::Malformed, "multiple locations with same id: 1"),
        (Box::new(|m| m.sample[0].value.push(1)), Stage::Malformed, "mismatch: sample #0 has 2 values vs. 1 types"),
        (Box::new(|m| m.sample[0].location_id = vec![9]), Stage::Malformed, "refers to location id 9"),
        (Box::new(|m| m.location[0].line[0].function_id = 4), Stage::Malformed, "has a line with nil function"),
        (Box::new(|m| m.location[0].line[0].function_id = 0), Stage::Malformed, "has a line with nil function"),
        (Box::new(|m| m.sample_type.clear()), Stage::Malformed, "missing sample type information"),
        (Box::new(|m| m.function[0].name = 99), Stage::Parsing, "refers to string 99"),
        (Box::new(|m| m.string_table[0] = "x".into()), Stage::Parsing, "string_table[0] must be ''"),
        (
            Box::new(|m| m.sample[0].label.push(PbLabel { key: 3, str: 42, ..Default::default() })),
            Stage::Parsing,
            "refers to string 42",
        ),
    ];
    for (mutate, stage, msg) in cases {
        let mut m = minimal();
        mutate(&mut m);
        let e = decode_msg(&m).expect_err(msg);
        assert_eq!(e.stage, stage, "{e}");
        assert!(e.message.contains(msg), "{e} should contain {msg}");
        assert!(matches!(e.position, Some(Position::Byte(_))), "{e} names a byte offset");
    }
}

#[test]
fn labels_follow_pprofs_rules() {
    let mut m = minimal();
    m.string_table.extend(["route".into(), "inventory".into(), "bytes".into()]);
    m.sample[0].label = vec![
        PbLabel { key: 4, str: 5, ..Default::default() },
        PbLabel { key: 6, num: 4096, num_unit: 6, ..Default::default() },
        // Neither a string nor a number: pprof drops it.
        PbLabel { key: 6, ..Default::default() },
    ];
    let p = decode_msg(&m).unwrap();
    let l = p.sample_labels(0);
    assert_eq!(l.strs.len(), 1);
    assert_eq!((p.str(l.strs[0].0), p.str(l.strs[0].1)), ("route", "inventory"));
    assert_eq!(l.nums.len(), 1);
    assert_eq!((p.str(l.nums[0].key), l.nums[0].value, p.str(l.nums[0].unit)), ("bytes", 4096, "bytes"));
}

#[test]
fn empty_stacks_and_address_only_locations_are_valid() {
    let mut m = minimal();
    m.sample.push(PbSample { location_id: vec![], value: vec![3], label: vec![] });
    m.location.push(PbLocation { id: 2, address: 0x1234, ..Default::default() });
    m.sample.push(PbSample { location_id: vec![2, 1], value: vec![1], label: vec![] });
    let p = decode_msg(&m).unwrap();
    assert_eq!(p.samples.len(), 3);
    assert!(p.sample_stack(1).is_empty());
    assert!(p.locations[1].lines.is_empty());
}

#[test]
fn invalid_utf8_strings_do_not_break_decoding() {
    let mut m = minimal();
    let bytes = m.encode_to_vec();
    // Replace "main" in the encoded string table with bytes that are not UTF-8.
    let pos = bytes.windows(4).position(|w| w == b"main").unwrap();
    let mut bad = bytes.clone();
    bad[pos..pos + 4].copy_from_slice(&[0xff, 0x00, 0xc3, 0x28]);
    let p = decode::decode(&bad, &Limits::default()).unwrap();
    assert!(p.str(p.functions[0].name).contains('\u{fffd}'));
    m.string_table[3] = "ok".into();
    assert!(decode_msg(&m).is_ok());
}

#[test]
fn foreign_inputs_say_what_they_look_like() {
    let l = Limits::default();
    let cases: &[(&[u8], &str)] = &[
        (b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", "PNG image"),
        (b"<!DOCTYPE html><html><body>Sign in</body></html>", "HTML page"),
        (b"  {\"traceEvents\": []}", "JSON document"),
        (b"hello, this is a note\nsecond line\n", "text of an unknown kind"),
    ];
    for (data, what) in cases {
        let e = decode::decode(data, &l).unwrap_err();
        assert!(e.to_string().contains(what), "{e} should mention {what}");
    }
}

#[test]
fn limits_name_themselves() {
    let m = minimal();
    let bytes = m.encode_to_vec();
    let l = Limits { max_samples: 0, ..Limits::default() };
    assert!(decode::decode(&bytes, &l).unwrap_err().message.contains("limit on samples"));
    let l = Limits { max_stack_depth: 0, ..Limits::default() };
    assert!(decode::decode(&bytes, &l).unwrap_err().message.contains("limit on stack depth"));
    let l = Limits { max_table_entries: 2, ..Limits::default() };
    assert!(decode::decode(&bytes, &l).unwrap_err().message.contains("limit on table entries"));
    let l = Limits { max_string_bytes: 3, ..Limits::default() };
    assert!(decode::decode(&bytes, &l).unwrap_err().message.contains("limit on string table size"));
    let gz = proto::encode_gzip(&decode_msg(&m).unwrap());
    let l = Limits { max_inflated_bytes: 10, ..Limits::default() };
    let e = decode::decode(&gz, &l).unwrap_err();
    assert_eq!(e.stage, Stage::Decompressing);
    assert!(e.message.contains("10 bytes cap"), "{e}");
}
