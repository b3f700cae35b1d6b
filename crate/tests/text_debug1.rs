//! Go's `?debug=1` texts, the details the fixtures of one Go version do not
//! show: `#` lines sharing one address (newer runtimes print every inlined
//! frame of a PC with that PC) become one location with several lines,
//! innermost first; `# labels:` become string labels; records without
//! addresses are empty stacks; heap records are un-sampled with RATE/2;
//! contention delays come from cycles/second and the sampling period.

use profdrop::decode::{decode, Limits};
use profdrop::model::{Profile, SourceFormat};

fn dec(text: &str) -> Profile {
    decode(text.as_bytes(), &Limits::default()).unwrap_or_else(|e| panic!("{e}"))
}

fn frames(p: &Profile, sample: usize) -> Vec<Vec<String>> {
    p.sample_stack(sample)
        .iter()
        .map(|&l| p.location(l).lines.iter().map(|ln| p.str(p.function(ln.function).name).to_string()).collect())
        .collect()
}

#[test]
fn inlined_frames_at_one_address_are_one_location() {
    let p = dec("goroutine profile: total 3\n\
        3 @ 0x1001 0x2001 0x3001\n\
        # labels: {\"route\":\"a b\", \"tenant\":\"x\\\"y\"}\n\
        #\t0x1000\tmain.leafInlined+0x10\t/src/a.go:10\n\
        #\t0x1000\tmain.middleInlined+0x10\t/src/a.go:20\n\
        #\t0x1000\tmain.caller+0x10\t/src/a.go:30\n\
        #\t0x2000\tmain.main+0x20\t/src/main.go:5\n\n");
    assert_eq!(p.source_format, SourceFormat::GoroutineDebug1);
    assert_eq!(p.totals(), [3]);
    assert_eq!(
        frames(&p, 0),
        [vec!["main.leafInlined", "main.middleInlined", "main.caller"], vec!["main.main"]],
        "runtime.goexit (0x3001) has no # line: hidden, as the text hides it"
    );
    let loc = p.location(p.sample_stack(0)[0]);
    assert_eq!((loc.address, loc.lines.iter().map(|l| l.line).collect::<Vec<_>>()), (0x1000, vec![10, 20, 30]));
    let labels: Vec<(String, String)> =
        p.sample_labels(0).strs.iter().map(|&(k, v)| (p.str(k).to_string(), p.str(v).to_string())).collect();
    assert_eq!(labels, [("route".to_string(), "a b".to_string()), ("tenant".to_string(), "x\"y".to_string())]);
    // pprof's units and mapping: the fake mapping holds every location, named.
    assert_eq!(p.mappings.len(), 1);
    assert!(p.mappings[0].has_functions);
    assert_eq!(p.period, 1);
}

#[test]
fn threadcreate_records_without_a_stack() {
    let p = dec("threadcreate profile: total 11\n10 @\n#\t0x0\n\n1 @ 0x43e455 0x46be81\n#\t0x43e454\truntime.allocm+0xd4\t/go/src/runtime/proc.go:1761\n\n");
    assert_eq!(p.source_format, SourceFormat::ThreadcreateDebug1);
    assert_eq!(p.totals(), [11]);
    assert!(p.sample_stack(0).is_empty());
    assert_eq!(frames(&p, 1), [vec!["runtime.allocm"]]);
    assert!(p.warnings.is_empty());
}

#[test]
fn heap_records_are_unsampled_at_half_the_header_rate() {
    // One record of 2 objects, 1024 bytes each, sampled at MemProfileRate 524288.
    let p = dec("heap profile: 2: 2048 [4: 4096] @ heap/1048576\n\
        2: 2048 [4: 4096] @ 0x1001\n#\t0x1000\tmain.alloc+0x1\t/a.go:1\n\n\
        # runtime.MemStats\n# Alloc = 2048\n# PauseNs = [1 2 0]\n# NumGC = 2\n");
    let types: Vec<&str> = (0..p.num_types()).map(|i| p.sample_type_name(i)).collect();
    assert_eq!(types, ["alloc_objects", "alloc_space", "inuse_objects", "inuse_space"]);
    assert_eq!(p.period, 524288);
    let scale = 1.0 / (1.0 - (-1024f64 / 524288.0).exp());
    let v = p.sample_values(0);
    assert_eq!(v, [(4.0 * scale) as i64, (4096.0 * scale) as i64, (2.0 * scale) as i64, (2048.0 * scale) as i64]);
    assert_eq!(p.sample_labels(0).nums[0].value, 1024, "bytes label: the block size");
    assert_eq!(
        p.memstats,
        [
            ("Alloc".to_string(), "2048".to_string()),
            ("PauseNs".to_string(), "[1 2 0]".to_string()),
            ("NumGC".to_string(), "2".to_string())
        ]
    );
}

#[test]
fn contention_delays_in_nanoseconds_scaled_by_the_period() {
    let p = dec("--- mutex:\ncycles/second=2000000000\nsampling period=5\n4000 2 @ 0x1001\n#\t0x1000\tsync.(*Mutex).Unlock+0x1\t/m.go:1\n\n");
    assert_eq!(p.source_format, SourceFormat::ContentionDebug1);
    // 4000 cycles at 2 GHz = 2000 ns, times the period 5; 2 contentions times 5.
    assert_eq!(p.sample_values(0), [10, 10000]);
    let p = dec("--- contention:\ncycles/second=2000000000\n4000 2 @ 0x1001\n");
    assert_eq!(p.sample_values(0), [2, 2000], "block: no sampling period line, period 1");
}
