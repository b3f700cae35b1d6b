//! Leak findings: rule 1 on the leak fixtures with evidence recomputed here
//! independently, silence on profiles without the pattern, and a positive and
//! a negative case for every rule.

mod common;
use common::*;
use profdrop::decode::{decode, Limits};
use profdrop::model::*;
use profdrop::view::findings::{self, Finding, Inputs};

fn load(name: &str) -> Profile {
    decode(&read(go_fixtures().join(name)), &Limits::default()).unwrap()
}

fn run(ps: &[&Profile]) -> Vec<Finding> {
    findings::run(&Inputs::from_profiles(ps))
}

/// Sum of sample `index` over samples with a frame named `name` (computed
/// here without the findings code).
fn value_with_frame(p: &Profile, index: usize, pred: impl Fn(&[&str]) -> bool) -> i64 {
    let mut sum = 0;
    for i in 0..p.samples.len() {
        let names: Vec<&str> = p
            .sample_stack(i)
            .iter()
            .flat_map(|&l| p.location(l).lines.iter().map(|ln| p.str(p.function(ln.function).name)))
            .collect();
        if pred(&names) {
            sum += p.sample_values(i)[index];
        }
    }
    sum
}

const RL: &str = "net/http.(*persistConn).readLoop";
const WL: &str = "net/http.(*persistConn).writeLoop";

#[test]
fn rule_one_comes_first_on_the_leak_fixtures_with_exact_evidence() {
    let g0 = load("goroutine_t0.pb.gz");
    let g1 = load("goroutine_t1.pb.gz");
    let h0 = load("heap_t0.pb.gz");
    let h1 = load("heap_t1.pb.gz");
    let combos: Vec<Vec<&Profile>> =
        vec![vec![&g0], vec![&g1], vec![&g0, &g1], vec![&g1, &h1], vec![&g0, &g1, &h0, &h1], vec![&h1, &g1, &g0, &h0]];
    for combo in combos {
        let f = run(&combo);
        assert!(!f.is_empty());
        let r1 = &f[0];
        assert_eq!(r1.rule, findings::NEW_TRANSPORT_PER_REQUEST.id, "{}", findings::render_text(&f));
        // The latest goroutine snapshot holds the counts.
        let gs: Vec<&&Profile> = combo.iter().filter(|p| p.sample_type_name(0) == "goroutine").collect();
        let last = gs.iter().max_by_key(|p| p.time_nanos).unwrap();
        let read = value_with_frame(last, 0, |n| n.contains(&RL));
        let write = value_with_frame(last, 0, |n| n.contains(&WL));
        assert_eq!(r1.value("readloop_goroutines"), Some(read as f64));
        assert_eq!(r1.value("writeloop_goroutines"), Some(write as f64));
        if gs.len() == 2 {
            let first = gs.iter().min_by_key(|p| p.time_nanos).unwrap();
            let read0 = value_with_frame(first, 0, |n| n.contains(&RL));
            let minutes = (last.time_nanos - first.time_nanos) as f64 / 60e9;
            assert_eq!(r1.value("readloop_growth"), Some((read - read0) as f64));
            let rate = r1.value("readloop_growth_per_minute").unwrap();
            assert!((rate - (read - read0) as f64 / minutes).abs() < 1e-9);
        }
        // The label that carries the connections.
        let inv = {
            let mut n = 0;
            for i in 0..last.samples.len() {
                let l = last.sample_labels(i);
                let names: Vec<&str> = last
                    .sample_stack(i)
                    .iter()
                    .flat_map(|&loc| {
                        last.location(loc).lines.iter().map(|ln| last.str(last.function(ln.function).name))
                    })
                    .collect();
                if (names.contains(&RL) || names.contains(&WL))
                    && l.strs.iter().any(|&(k, v)| last.str(k) == "route" && last.str(v) == "inventory")
                {
                    n += last.sample_values(i)[0];
                }
            }
            n
        };
        let share = r1.value("dominant_label_share").unwrap();
        assert!((share - inv as f64 / (read + write) as f64).abs() < 1e-12);
        // Heap share of bufio buffers under dialConn.
        if let Some(h) = combo.iter().filter(|p| p.sample_type_name(0) != "goroutine").max_by_key(|p| p.time_nanos) {
            let idx = (0..h.num_types()).find(|&i| h.sample_type_name(i) == "inuse_space").unwrap();
            let bufio = value_with_frame(h, idx, |n| {
                n.contains(&"net/http.(*Transport).dialConn")
                    && (n.contains(&"bufio.NewReaderSize") || n.contains(&"bufio.NewWriterSize"))
            });
            let total: i64 = (0..h.samples.len()).map(|i| h.sample_values(i)[idx]).sum();
            let got = r1.value("dialconn_bufio_heap_share").unwrap();
            assert!((got - bufio as f64 / total as f64).abs() < 1e-12);
        }
    }
}

#[test]
fn the_cli_prints_the_same_findings() {
    let dir = go_fixtures();
    let args: Vec<String> = ["findings", "goroutine_t0.pb.gz", "goroutine_t1.pb.gz", "heap_t1.pb.gz"]
        .iter()
        .map(|a| if a.ends_with(".gz") { dir.join(a).display().to_string() } else { a.to_string() })
        .collect();
    let out = profdrop::cli::run(&args);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let g0 = load("goroutine_t0.pb.gz");
    let g1 = load("goroutine_t1.pb.gz");
    let h1 = load("heap_t1.pb.gz");
    assert_eq!(out.stdout, findings::render_text(&run(&[&g0, &g1, &h1])));
    assert!(out.stdout.starts_with("1. [high] A new HTTP transport per request"));
    // Nothing found is still success.
    let out = profdrop::cli::run(&["findings".into(), dir.join("cpu_t1.pb.gz").display().to_string()]);
    assert_eq!(out.code, 0);
    assert!(out.stdout.starts_with("No findings"));
}

// ---- small profiles built here, one stack per group ----

/// A goroutine profile: (count, frames leaf first).
fn goroutines(groups: &[(i64, &[&str])], time_s: i64) -> Profile {
    let mut b = ProfileBuilder::new();
    b.add_sample_type("goroutine", "count");
    b.set_period_type("goroutine", "count");
    b.p.period = 1;
    b.p.time_nanos = time_s * 1_000_000_000;
    for (n, frames) in groups {
        let locs: Vec<LocId> = frames
            .iter()
            .enumerate()
            .map(|(i, f)| {
                let func = b.function_named(f, "x.go");
                b.location(None, 0x1000 + i as u64, &[Line { function: func, line: 1, column: 0 }], false)
            })
            .collect();
        let s = b.stack(&locs);
        b.sample(s, LabelSetId(0), &[*n]);
    }
    b.finish()
}

fn heap(groups: &[(i64, &[&str])], time_s: i64) -> Profile {
    let mut b = ProfileBuilder::new();
    for t in ["alloc_objects", "alloc_space", "inuse_objects", "inuse_space"] {
        b.add_sample_type(t, if t.ends_with("space") { "bytes" } else { "count" });
    }
    b.set_period_type("space", "bytes");
    b.p.time_nanos = time_s * 1_000_000_000;
    for (bytes, frames) in groups {
        let locs: Vec<LocId> = frames
            .iter()
            .map(|f| {
                let func = b.function_named(f, "x.go");
                b.location(None, 0, &[Line { function: func, line: 1, column: 0 }], false)
            })
            .collect();
        let s = b.stack(&locs);
        b.sample(s, LabelSetId(0), &[1, *bytes, 1, *bytes]);
    }
    b.finish()
}

fn fired(f: &[Finding], rule: &str) -> bool {
    f.iter().any(|x| x.rule == rule)
}

const CHAN: &[&str] = &[
    "runtime.gopark",
    "runtime.chansend",
    "runtime.chansend1",
    "example.com/app.(*Pool).produce",
    "example.com/app.main",
];
const CHAN_STD: &[&str] = &["runtime.gopark", "runtime.chanrecv", "runtime.chanrecv1", "os/signal.loop"];
const LOCK: &[&str] =
    &["runtime.gopark", "sync.runtime_SemacquireMutex", "sync.(*Mutex).lockSlow", "sync.(*Mutex).Lock", "main.handler"];
const BODY: &[&str] = &["runtime.gopark", "runtime.selectgo", RL];
const IDLE: &[&str] = &["runtime.gopark", "runtime.netpollblock", "bufio.(*Reader).Peek", RL];

#[test]
fn rule_body_not_closed() {
    let yes = goroutines(&[(80, BODY), (80, &["runtime.gopark", "runtime.selectgo", WL])], 0);
    assert!(fired(&run(&[&yes]), findings::BODY_NOT_CLOSED.id));
    assert!(
        !fired(&run(&[&yes]), findings::NEW_TRANSPORT_PER_REQUEST.id),
        "busy-body readLoops are not idle connections"
    );
    let idle = goroutines(&[(80, IDLE), (80, &["runtime.gopark", "runtime.selectgo", WL])], 0);
    assert!(!fired(&run(&[&idle]), findings::BODY_NOT_CLOSED.id));
    assert!(fired(&run(&[&idle]), findings::NEW_TRANSPORT_PER_REQUEST.id));
}

#[test]
fn rule_transport_needs_growth_when_there_are_two_snapshots() {
    let a = goroutines(&[(80, IDLE), (80, &["runtime.gopark", "runtime.selectgo", WL])], 0);
    let b = goroutines(&[(80, IDLE), (80, &["runtime.gopark", "runtime.selectgo", WL])], 60);
    assert!(!fired(&run(&[&a, &b]), findings::NEW_TRANSPORT_PER_REQUEST.id), "a stable pool is not a leak");
    let few = goroutines(&[(10, IDLE), (10, &["runtime.gopark", "runtime.selectgo", WL])], 0);
    assert!(!fired(&run(&[&few]), findings::NEW_TRANSPORT_PER_REQUEST.id));
}

#[test]
fn rule_blocked_on_channel() {
    let t0 = goroutines(&[(20, CHAN), (1, CHAN_STD)], 0);
    let t1 = goroutines(&[(60, CHAN), (1, CHAN_STD)], 120);
    let f = run(&[&t0, &t1]);
    assert!(fired(&f, findings::BLOCKED_ON_CHANNEL.id), "{}", findings::render_text(&f));
    let x = f.iter().find(|x| x.rule == findings::BLOCKED_ON_CHANNEL.id).unwrap();
    assert_eq!(x.value("blocked_goroutines"), Some(60.0));
    assert_eq!(x.stacks[0].focus, "^example\\.com/app\\.\\(\\*Pool\\)\\.produce$");
    // Not growing, not many: silent. Standard-library waiters are never blamed.
    let same = goroutines(&[(60, CHAN), (1, CHAN_STD)], 240);
    assert!(!fired(&run(&[&t1, &same]), findings::BLOCKED_ON_CHANNEL.id));
    let std_only = goroutines(&[(500, CHAN_STD)], 0);
    assert!(!fired(&run(&[&std_only]), findings::BLOCKED_ON_CHANNEL.id));
}

#[test]
fn rule_lock_pileup() {
    let p = goroutines(&[(15, LOCK)], 0);
    let f = run(&[&p]);
    assert!(fired(&f, findings::LOCK_PILEUP.id), "{}", findings::render_text(&f));
    let few = goroutines(&[(3, LOCK)], 0);
    assert!(!fired(&run(&[&few]), findings::LOCK_PILEUP.id));
}

#[test]
fn rule_timers() {
    let p = heap(&[(4 << 20, &["runtime.malg", "time.NewTicker", "main.poll"]), (20 << 20, &["main.cache"])], 0);
    assert!(fired(&run(&[&p]), findings::TIMERS_NOT_STOPPED.id));
    let small = heap(&[(100 << 10, &["time.NewTicker", "main.poll"]), (20 << 20, &["main.cache"])], 0);
    assert!(!fired(&run(&[&small]), findings::TIMERS_NOT_STOPPED.id));
}

#[test]
fn rule_allocation_site_on_the_heap_fixtures() {
    let (h0, h1) = (load("heap_t0.pb.gz"), load("heap_t1.pb.gz"));
    let f = run(&[&h0, &h1]);
    let x = f.iter().find(|x| x.rule == findings::ALLOCATION_SITE_DOMINATES.id).expect("fires on t0 -> t1");
    assert_eq!(x.stacks[0].frames, ["bufio.NewWriterSize"]);
    assert!(!fired(&run(&[&h1]), findings::ALLOCATION_SITE_DOMINATES.id), "one snapshot has no growth");
    assert!(!fired(&run(&[&h1, &h1]), findings::ALLOCATION_SITE_DOMINATES.id));
}

#[test]
fn rule_goroutine_stacks() {
    let (g1, h1, g0) = (load("goroutine_t1.pb.gz"), load("heap_t1.pb.gz"), load("goroutine_t0.pb.gz"));
    let f = run(&[&g1, &h1]);
    let x = f.iter().find(|x| x.rule == findings::GOROUTINE_STACKS.id).unwrap();
    let n = value_with_frame(&g1, 0, |_| true);
    assert_eq!(x.value("stack_bytes_estimate"), Some((n * 8192) as f64));
    assert!(!fired(&run(&[&g0, &h1]), findings::GOROUTINE_STACKS.id), "890 goroutines are under the threshold");
    assert!(!fired(&run(&[&g1]), findings::GOROUTINE_STACKS.id), "needs a heap profile");
}

/// Every decodable profile among the peer fixtures, alone: rule 1 never fires.
#[test]
fn rule_one_stays_silent_on_the_peer_fixtures() {
    let mut checked = 0;
    let mut fired_any = Vec::new();
    for path in walk(&fixtures().join("external")) {
        let Ok(p) = decode(&read(&path), &Limits::default()) else { continue };
        let f = run(&[&p]);
        checked += 1;
        if !f.is_empty() {
            fired_any.push(format!("{}: {}", path.display(), f.iter().map(|x| x.rule).collect::<Vec<_>>().join(", ")));
        }
        assert!(!fired(&f, findings::NEW_TRANSPORT_PER_REQUEST.id), "{}", path.display());
    }
    eprintln!("{checked} peer profiles checked; findings that fired:\n{}", fired_any.join("\n"));
    assert!(checked > 20);
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// The text forms too: any combination holding a goroutine profile puts rule 1
/// first, with the readLoop count of the latest goroutine snapshot.
#[test]
fn rule_one_comes_first_on_text_forms() {
    let names = [
        vec!["goroutine_t1.debug2.txt"],
        vec!["goroutine_t1.debug1.txt"],
        vec!["goroutine_t0.debug2.txt", "goroutine_t1.debug2.txt"],
        vec!["goroutine_t0.debug1.txt", "goroutine_t1.debug1.txt", "heap_t1.debug1.txt"],
        vec!["goroutine_t1.debug2.txt", "heap_t0.debug1.txt", "heap_t1.pb.gz"],
        vec!["goroutine_t0.pb.gz", "goroutine_t1.debug1.txt", "heap_t1.debug1.txt"],
    ];
    for combo in names {
        let ps: Vec<Profile> = combo.iter().map(|n| load(n)).collect();
        let refs: Vec<&Profile> = ps.iter().collect();
        let f = run(&refs);
        assert_eq!(f[0].rule, findings::NEW_TRANSPORT_PER_REQUEST.id, "{combo:?}\n{}", findings::render_text(&f));
        // Text dumps have no time: then the latest goroutine snapshot is the last one given.
        let gs: Vec<&Profile> =
            ps.iter().zip(&combo).filter(|(_, n)| n.starts_with("goroutine")).map(|(p, _)| p).collect();
        let last = if gs.iter().all(|p| p.time_nanos != 0) {
            *gs.iter().max_by_key(|p| p.time_nanos).unwrap()
        } else {
            *gs.last().unwrap()
        };
        let read = value_with_frame(last, 0, |n| n.contains(&RL));
        assert_eq!(f[0].value("readloop_goroutines"), Some(read as f64), "{combo:?}");
        assert!(!fired(&f, findings::BLOCKED_ON_CHANNEL.id) && !fired(&f, findings::LOCK_PILEUP.id), "{combo:?}");
        if combo.iter().any(|n| n.ends_with("debug2.txt"))
            && combo.iter().filter(|n| n.starts_with("goroutine")).count() == 1
        {
            // debug=2 knows the creator of every goroutine.
            assert_eq!(
                f[0].value("created_by_dialconn"),
                Some((read + value_with_frame(last, 0, |n| n.contains(&WL))) as f64)
            );
        }
    }
}

fn panicparse(name: &str) -> Profile {
    let path = fixtures().join("external/maruel-panicparse/generated-go1.19.8-linux-amd64").join(name);
    decode(&read(path), &Limits::default()).unwrap()
}

#[test]
fn rules_three_and_four_fire_on_panicparse_dumps() {
    for (dump, rule) in [
        ("chan_send.txt", findings::BLOCKED_ON_CHANNEL.id),
        ("chan_receive.txt", findings::BLOCKED_ON_CHANNEL.id),
        ("asleep.txt", findings::LOCK_PILEUP.id),
    ] {
        let p = panicparse(dump);
        let f = run(&[&p]);
        assert!(fired(&f, rule), "{dump}: {}", findings::render_text(&f));
    }
    // A dump with no blocked user goroutine fires neither.
    let p = panicparse("simple.txt");
    let f = run(&[&p]);
    assert!(
        !fired(&f, findings::BLOCKED_ON_CHANNEL.id) && !fired(&f, findings::LOCK_PILEUP.id),
        "{}",
        findings::render_text(&f)
    );
}
