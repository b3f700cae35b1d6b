//! The transform stack (transform::stack) against `go tool pprof` where pprof
//! can say the same thing (drop function = `-ignore=^F$`, merge function =
//! `-hide=^F$`, focus on function = `-focus=^F$ -show_from=^F$`): the CLI with
//! `--transform` prints what pprof printed, less its `Active filters:` lines
//! (tests/fixtures/go-transforms/pprof.tsv, made by make.sh). Transforms pprof
//! cannot express have goldens of their own (own.tsv, `UPDATE_GOLDEN=1`
//! rewrites). Properties over every binary Go fixture and many of its
//! functions: merges conserve every sample type's total (less the samples
//! that had no other frame), drop removes exactly the samples through the
//! function, recursion collapses are idempotent and leave no recursion,
//! focus keeps exactly the samples through the function, rooted at it.

mod common;
use common::*;
use profdrop::model::{Line, LocId, Location, Profile, ProfileBuilder};
use profdrop::transform::stack::{self, Step};

fn dir() -> std::path::PathBuf {
    fixtures().join("go-transforms")
}

fn rows(file: &str) -> Vec<Vec<String>> {
    let text = String::from_utf8(read(dir().join(file))).unwrap();
    text.lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| l.split('\t').map(str::to_string).collect())
        .collect()
}

/// pprof's stdout without its `Active filters:` block.
fn without_active_filters(s: &str) -> String {
    let mut out = String::new();
    let mut in_block = false;
    for line in s.split_inclusive('\n') {
        if line == "Active filters:\n" {
            in_block = true;
            continue;
        }
        if in_block && line.starts_with("   ") {
            continue;
        }
        in_block = false;
        out.push_str(line);
    }
    out
}

fn run_with_transform(command: &str, tx: &str) -> profdrop::cli::Outcome {
    let c = parse_command("-", command);
    let mut args = profdrop_args(&c, &go_fixtures());
    args.insert(1, format!("--transform={tx}"));
    profdrop::cli::run(&args)
}

#[test]
fn transforms_equal_pprof_filters_where_pprof_has_them() {
    utc();
    let mut failures = Vec::new();
    let all = rows("pprof.tsv");
    assert!(all.len() >= 9);
    for r in &all {
        let (name, tx, command) = (&r[0], &r[1], &r[3]);
        let want = without_active_filters(&String::from_utf8(read(dir().join(format!("{name}.stdout")))).unwrap());
        let out = run_with_transform(command, tx);
        if out.code != 0 || !out.stderr.is_empty() {
            failures.push(format!("{name}: exit {} {}", out.code, out.stderr));
        } else if out.stdout != want {
            failures.push(format!("{name}\n{}", first_difference(&out.stdout, &want)));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn transforms_pprof_cannot_express_match_their_goldens() {
    utc();
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    let mut failures = Vec::new();
    for r in rows("own.tsv") {
        let (name, tx, command) = (&r[0], &r[1], &r[2]);
        let out = run_with_transform(command, tx);
        assert_eq!(out.code, 0, "{name}: {}", out.stderr);
        assert_eq!(out.stderr, "", "{name}: every transform matches");
        let path = dir().join(format!("{name}.txt"));
        if update || !path.exists() {
            std::fs::write(&path, &out.stdout).unwrap();
            if !update {
                failures.push(format!("{name}: golden written, check it"));
            }
            continue;
        }
        let want = String::from_utf8(read(&path)).unwrap();
        if out.stdout != want {
            failures.push(format!("{name}\n{}", first_difference(&out.stdout, &want)));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

fn profiles() -> Vec<(String, Profile)> {
    let mut names: Vec<String> = std::fs::read_dir(go_fixtures())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".pb.gz"))
        .collect();
    names.sort();
    names
        .into_iter()
        .map(|n| {
            let data = read(go_fixtures().join(&n));
            let input = profdrop::load::Input { name: &n, data: &data };
            (n.clone(), profdrop::load::load(&[input], &[], Default::default(), &Default::default()).unwrap())
        })
        .collect()
}

/// Function names of each sample's frames, root first (inlined frames included).
fn names(p: &Profile, i: usize) -> Vec<String> {
    let mut out = Vec::new();
    for &loc in p.sample_stack(i).iter().rev() {
        for l in p.location(loc).lines.iter().rev() {
            out.push(p.str(p.function(l.function).name).to_string());
        }
    }
    out
}

fn total_where(p: &Profile, keep: impl Fn(&[String]) -> bool) -> Vec<i64> {
    let mut t = vec![0i64; p.num_types()];
    for i in 0..p.samples.len() {
        if keep(&names(p, i)) {
            for (a, v) in t.iter_mut().zip(p.sample_values(i)) {
                *a += v;
            }
        }
    }
    t
}

fn apply(p: &Profile, step: Step) -> Profile {
    stack::apply(p.clone(), &[step]).0
}

/// Every stack of a profile as names, with its values, sorted: what a view can see.
fn picture(p: &Profile) -> Vec<(Vec<String>, Vec<i64>)> {
    let mut v: Vec<_> = (0..p.samples.len()).map(|i| (names(p, i), p.sample_values(i).to_vec())).collect();
    v.sort();
    v
}

/// A sample of the profile's function names (every 4th, at most 20).
fn some_functions(p: &Profile) -> Vec<String> {
    let mut v: Vec<String> = p.functions.iter().step_by(4).map(|f| p.str(f.name).to_string()).collect();
    v.retain(|n| !n.is_empty());
    v.truncate(20);
    v
}

#[test]
fn merges_conserve_totals_and_drop_removes_exactly_the_samples_through_the_function() {
    let mut checked = 0;
    for (file, p) in profiles() {
        for f in some_functions(&p) {
            let only_f = |n: &[String]| !n.is_empty() && n.iter().all(|x| *x == f);
            let through = |n: &[String]| n.contains(&f);
            let all = total_where(&p, |_| true);
            let merged = apply(&p, Step::MergeFunction(f.clone()));
            assert_eq!(merged.totals(), total_where(&p, |n| !only_f(n)), "{file} mf:{f}");
            assert!((0..merged.samples.len()).all(|i| !names(&merged, i).contains(&f)), "{file} mf:{f} left a frame");
            let dropped = apply(&p, Step::DropFunction(f.clone()));
            assert_eq!(dropped.totals(), total_where(&p, |n| !through(n)), "{file} df:{f}");
            let kept: Vec<_> = picture(&p).into_iter().filter(|(n, _)| !through(n)).collect();
            assert_eq!(picture(&dropped), kept, "{file} df:{f}: the other samples stay as they were");
            let focused = apply(&p, Step::FocusFunction(f.clone()));
            assert_eq!(focused.totals(), total_where(&p, through), "{file} ff:{f}");
            assert!((0..focused.samples.len()).all(|i| names(&focused, i)[0] == f), "{file} ff:{f} root");
            let pkg = f.split('.').next().unwrap().to_string();
            let collapsed = apply(&p, Step::CollapsePrefix(pkg.clone()));
            assert_eq!(collapsed.totals(), all, "{file} cp:{pkg}");
            checked += 1;
        }
    }
    assert!(checked >= 100, "only {checked} functions");
}

#[test]
fn recursion_collapses_are_idempotent_and_leave_no_recursion() {
    let mut recursive = 0;
    for (file, p) in profiles() {
        for f in some_functions(&p) {
            for step in [Step::CollapseRecursion(f.clone()), Step::CollapseDirectRecursion(f.clone())] {
                let once = apply(&p, step.clone());
                let twice = apply(&once, step.clone());
                assert_eq!(picture(&once), picture(&twice), "{file} {step:?}");
                assert_eq!(once.totals(), p.totals(), "{file} {step:?}");
                for i in 0..once.samples.len() {
                    let n = names(&once, i);
                    let direct = n.windows(2).any(|w| w[0] == f && w[1] == f);
                    let any = n.iter().filter(|x| **x == f).count() > 1;
                    assert!(!direct && (!any || matches!(step, Step::CollapseDirectRecursion(_))), "{file} {step:?}");
                }
            }
            recursive += (0..p.samples.len()).any(|i| names(&p, i).iter().filter(|x| **x == f).count() > 1) as usize;
        }
    }
    assert!(recursive >= 1, "no recursive function among those checked");
}

#[test]
fn call_node_steps_follow_a_real_path() {
    for (file, p) in profiles() {
        let Some(i) = (0..p.samples.len()).max_by_key(|&i| names(&p, i).len()) else { continue };
        let path: Vec<String> = names(&p, i).into_iter().take(3).collect();
        if path.len() < 3 {
            continue;
        }
        let under = |n: &[String]| n.len() >= path.len() && n[..path.len()] == path[..];
        let merged = apply(&p, Step::MergeCallNode(path.clone()));
        assert_eq!(merged.totals(), p.totals(), "{file} mcn");
        let focused = apply(&p, Step::FocusSubtree(path.clone()));
        assert_eq!(focused.totals(), total_where(&p, under), "{file} fs");
        let root = path.last().unwrap();
        assert!((0..focused.samples.len()).all(|j| names(&focused, j)[0] == *root), "{file} fs root");
    }
}

/// A small profile: stacks of names root first, a location per name except
/// `g+f` (g inlined into f at one address).
fn tiny(stacks: &[&[&str]]) -> Profile {
    let mut b = ProfileBuilder::new();
    b.add_sample_type("samples", "count");
    let loc = |b: &mut ProfileBuilder, name: &str| -> LocId {
        let lines: Vec<Line> =
            name.split('+').map(|n| Line { function: b.function_named(n, "x.go"), line: 1, column: 0 }).collect();
        b.location(None, 0x1000 + name.len() as u64, &lines, false)
    };
    for (k, s) in stacks.iter().enumerate() {
        let frames: Vec<LocId> = s.iter().rev().map(|n| loc(&mut b, n)).collect();
        let id = b.stack(&frames);
        let no = b.labels(Default::default());
        b.sample(id, no, &[k as i64 + 1]);
    }
    b.finish()
}

#[test]
fn steps_on_a_small_profile() {
    let p = tiny(&[&["a", "f", "b", "f", "c"], &["a", "f", "f", "b"], &["a", "g+f", "h"]]);
    let show =
        |q: &Profile| picture(q).into_iter().map(|(n, v)| format!("{} {}", n.join(">"), v[0])).collect::<Vec<_>>();
    let run = |tx: &str| show(&stack::apply(p.clone(), &stack::parse(tx).unwrap()).0);
    assert_eq!(run("rec:f"), ["a>f>b 2", "a>f>c 1", "a>f>g>h 3"]);
    assert_eq!(run("drec:f"), ["a>f>b 2", "a>f>b>f>c 1", "a>f>g>h 3"]);
    assert_eq!(run("mf:g"), ["a>f>b>f>c 1", "a>f>f>b 2", "a>f>h 3"]);
    assert_eq!(run("ff:b"), ["b 2", "b>f>c 1"]);
    assert_eq!(run("fs:a;f;f"), ["f>b 2"]);
    assert_eq!(run("mcn:a;f;f"), ["a>f>b 2", "a>f>b>f>c 1", "a>f>g>h 3"]);
    assert_eq!(run("cp:f,mf:h"), ["a>f>b 2", "a>f>b>f>c 1", "a>f>g 3"]);
    assert_eq!(run("df:h,df:c"), ["a>f>f>b 2"]);
    // Merging g out of the inlined location keeps f's line at the same address.
    let q = stack::apply(p.clone(), &stack::parse("mf:g").unwrap()).0;
    let last = q.sample_stack(2);
    let split: &Location = q.location(last[1]);
    assert_eq!(split.lines.len(), 1);
    assert_eq!(q.str(q.function(split.lines[0].function).name), "f");
    assert_eq!(split.address, p.location(p.sample_stack(2)[1]).address);
    let (_, outcome) = stack::apply(p.clone(), &stack::parse("mf:nothere,mf:a,mf:f").unwrap());
    assert_eq!(outcome.notes, ["Transform mf:nothere matched no samples"]);
}
