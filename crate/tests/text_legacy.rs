//! pprof's legacy formats (gperftools binary CPU, heapz/growthz,
//! contentionz, threadz, Go legacy, Java legacy) through the CLI:
//! `profdrop top` and `profdrop raw` print byte for byte what `go tool pprof
//! -top` / `-raw` print for every file of tests/fixtures/pprof-legacy (made
//! by scripts/pprof_legacy_goldens.sh; the list comes from that folder).
//! `raw` goes through pprof's load (merge, the empty mapping of a profile
//! without mappings); `top` through drop_frames pruning and unit scaling.

mod common;
use common::*;

#[test]
fn legacy_formats_top_and_raw_match_go_tool_pprof() {
    utc();
    let dir = fixtures().join("pprof-legacy");
    let mut goldens: Vec<(String, String)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter_map(|n| {
            let (input, report) = n
                .strip_suffix(".top.txt")
                .map(|i| (i, "top"))
                .or_else(|| n.strip_suffix(".raw.txt").map(|i| (i, "raw")))?;
            Some((input.to_string(), report.to_string()))
        })
        .collect();
    goldens.sort();
    assert!(goldens.len() >= 36, "only {} goldens", goldens.len());
    let mut failures = Vec::new();
    for (input, report) in &goldens {
        let path = fixtures().join("external/google-pprof").join(input.replace("__", "/"));
        let want = String::from_utf8(read(dir.join(format!("{input}.{report}.txt")))).unwrap();
        let out = profdrop::cli::run(&[report.clone(), path.display().to_string()]);
        if out.code != 0 {
            failures.push(format!("{report} {input}: {}", out.stderr));
        } else if out.stdout != want {
            failures.push(format!("{report} {input}: {}", first_difference(&out.stdout, &want)));
        }
    }
    assert!(failures.is_empty(), "{} of {} differ:\n{}", failures.len(), goldens.len(), failures.join("\n"));
}
