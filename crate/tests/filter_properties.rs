//! Properties of pprof's filters over every binary profile of the Go
//! fixtures, with regexps taken from each profile's own function names:
//! `focus=.*` changes nothing; `focus=R` and `ignore=R` split the samples
//! (every sample type's total) in two; `hide=R` keeps every sample that has
//! a frame left, with its value, and no frame matching R; `tagfocus=T` and
//! `tagignore=T` split the samples too; a filter that matches nothing says so.

mod common;
use common::*;
use profdrop::model::Profile;
use profdrop::report::{Options, Report, ReportKind};
use profdrop::transform::filter::{self, Filters};
use profdrop::transform::tagfilter::{num_label_units, NumLabelUnits};
use regex::Regex;

fn profiles() -> Vec<(String, Profile)> {
    let mut out = Vec::new();
    let mut names: Vec<String> = std::fs::read_dir(go_fixtures())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".pb.gz"))
        .collect();
    names.sort();
    for n in names {
        let data = read(go_fixtures().join(&n));
        let p = profdrop::load::load(
            &[profdrop::load::Input { name: &n, data: &data }],
            &[],
            Default::default(),
            &Default::default(),
        )
        .unwrap();
        out.push((n, p));
    }
    assert!(out.len() >= 12, "expected the 12 binary fixtures");
    out
}

fn apply(p: &Profile, f: Filters, units: &NumLabelUnits) -> Profile {
    filter::apply(p.clone(), &f, units).unwrap().0
}

/// Regexps for a profile: package paths and whole names of its functions.
fn regexps(p: &Profile) -> Vec<String> {
    let mut v: Vec<String> = Vec::new();
    for (i, f) in p.functions.iter().enumerate() {
        let name = p.str(f.name);
        if name.is_empty() || i % 3 != 0 {
            continue;
        }
        let pkg = name.split('.').next().unwrap().to_string();
        for r in [regex::escape(&pkg), format!("^{}$", regex::escape(name))] {
            if !v.contains(&r) {
                v.push(r);
            }
        }
    }
    v.truncate(24);
    v
}

/// Every sample's stack and values, as comparable data.
fn samples(p: &Profile) -> Vec<(Vec<Vec<String>>, Vec<i64>)> {
    (0..p.samples.len())
        .map(|i| {
            let frames = p
                .sample_stack(i)
                .iter()
                .map(|&l| {
                    p.location(l).lines.iter().map(|ln| p.str(p.function(ln.function).name).to_string()).collect()
                })
                .collect();
            (frames, p.sample_values(i).to_vec())
        })
        .collect()
}

#[test]
fn focus_everything_changes_nothing() {
    for (name, p) in profiles() {
        let units = num_label_units(&p);
        let none = apply(&p, Filters::default(), &units);
        let all = apply(&p, Filters { focus: ".*".into(), ..Default::default() }, &units);
        assert_eq!(samples(&all), samples(&none), "{name}");
        assert_eq!(all.totals(), none.totals(), "{name}");
        // And the reports agree but for the line naming the filter.
        for kind in [ReportKind::Top, ReportKind::Dot] {
            let text = |o: &Options| {
                let mut r = Report::new(&p, kind, o).unwrap();
                r.utc = true;
                match kind {
                    ReportKind::Top => profdrop::report::top::render_text(&mut r),
                    _ => profdrop::report::dot::render_text(&mut r),
                }
            };
            let plain = text(&Options::default());
            let focused = text(&Options { focus: ".*".into(), ..Default::default() });
            let without =
                focused.replace("Active filters:\n   focus=.*\n", "").replace("Active filters:\\l   focus=.*\\l", "");
            assert_ne!(focused, plain, "{name} {kind:?}: the filter is named");
            assert_eq!(without, plain, "{name} {kind:?}");
        }
    }
}

#[test]
fn focus_and_ignore_partition_the_total() {
    let mut checked = 0;
    for (name, p) in profiles() {
        let units = num_label_units(&p);
        let none = apply(&p, Filters::default(), &units).totals();
        for r in regexps(&p) {
            let f = apply(&p, Filters { focus: r.clone(), ..Default::default() }, &units);
            let i = apply(&p, Filters { ignore: r.clone(), ..Default::default() }, &units);
            let sum: Vec<i64> = f.totals().iter().zip(i.totals()).map(|(a, b)| a + b).collect();
            assert_eq!(sum, none, "{name}: focus={r} + ignore={r}");
            assert_eq!(f.samples.len() + i.samples.len(), apply(&p, Filters::default(), &units).samples.len());
            checked += 1;
        }
    }
    assert!(checked > 100, "only {checked} regexps");
}

#[test]
fn hide_keeps_every_sample_with_a_frame_left() {
    let mut checked = 0;
    let mut unchanged_totals = 0;
    for (name, p) in profiles() {
        let units = num_label_units(&p);
        let none = apply(&p, Filters::default(), &units);
        for r in regexps(&p) {
            let re = Regex::new(&r).unwrap();
            let hidden = apply(&p, Filters { hide: r.clone(), ..Default::default() }, &units);
            // What should go: samples whose every line matches (by function or file name).
            let mut gone = vec![0i64; p.num_types()];
            for i in 0..none.samples.len() {
                let all_match = none.sample_stack(i).iter().all(|&l| {
                    none.location(l).lines.iter().all(|ln| {
                        let f = none.function(ln.function);
                        re.is_match(none.str(f.name)) || re.is_match(none.str(f.filename))
                    })
                });
                if all_match {
                    for (g, v) in gone.iter_mut().zip(none.sample_values(i)) {
                        *g += v;
                    }
                }
            }
            let want: Vec<i64> = none.totals().iter().zip(&gone).map(|(t, g)| t - g).collect();
            assert_eq!(hidden.totals(), want, "{name}: hide={r}");
            if gone.iter().all(|&g| g == 0) {
                assert_eq!(hidden.totals(), none.totals());
                unchanged_totals += 1;
            }
            for (frames, _) in samples(&hidden) {
                assert!(!frames.is_empty(), "{name}: hide={r} left an empty stack");
                for lines in frames {
                    for f in lines {
                        assert!(!re.is_match(&f), "{name}: hide={r} left {f}");
                    }
                }
            }
            checked += 1;
        }
    }
    assert!(checked > 100 && unchanged_totals > 50, "{checked} regexps, {unchanged_totals} with the total kept");
}

#[test]
fn tagfocus_and_tagignore_partition_the_total() {
    let cases = [
        ("goroutine_t1.pb.gz", "route=inventory"),
        ("goroutine_t1.pb.gz", "route=^inventory$"),
        ("cpu_t1.pb.gz", "route=pooled"),
        ("cpu_t1.pb.gz", "inventory-pooled"),
        ("heap_t1.pb.gz", "bytes=4kb:"),
        ("heap_t1.pb.gz", "bytes=:1kb"),
        ("heap_t1.pb.gz", "1kb:4kb"),
        // A range needs a unit to compare with `bytes` values: "288" alone never matches.
        ("heap_t1.pb.gz", "bytes=288b"),
    ];
    let all = profiles();
    for (file, t) in cases {
        let p = &all.iter().find(|(n, _)| n == file).unwrap().1;
        let units = num_label_units(p);
        let none = apply(p, Filters::default(), &units).totals();
        let f = apply(p, Filters { tagfocus: t.into(), ..Default::default() }, &units).totals();
        let i = apply(p, Filters { tagignore: t.into(), ..Default::default() }, &units).totals();
        assert!(f.iter().any(|&v| v != 0) && i.iter().any(|&v| v != 0), "{file} {t} splits nothing");
        let sum: Vec<i64> = f.iter().zip(&i).map(|(a, b)| a + b).collect();
        assert_eq!(sum, none, "{file}: tagfocus={t} + tagignore={t}");
    }
}

#[test]
fn filters_that_match_nothing_are_reported() {
    let all = profiles();
    let p = &all.iter().find(|(n, _)| n == "goroutine_t1.pb.gz").unwrap().1;
    let o = Options {
        focus: "net/http".into(),
        ignore: "no-such-function".into(),
        tagfocus: "route=nothing-like-this".into(),
        tagshow: "route".into(),
        ..Default::default()
    };
    let r = Report::new(p, ReportKind::Top, &o).unwrap();
    // tagshow runs after tagfocus kept no sample, so no key is left for it.
    assert_eq!(r.unmatched, ["ignore", "tagfocus", "tagshow"]);
    assert_eq!(
        r.notes,
        [
            "Ignore expression matched no samples",
            "TagFocus expression matched no samples",
            "TagShow expression matched no samples"
        ]
    );
    assert_eq!(r.prof.samples.len(), 0, "a tagfocus matching nothing keeps nothing");
    let bad = Options { focus: "(".into(), ..Default::default() };
    let e = Report::new(p, ReportKind::Top, &bad).err().expect("a bad regexp is an error");
    assert!(e.0.starts_with("parsing focus regexp:"), "{}", e.0);
}
