//! pprof's sample and frame filters (driver_focus.go, profile/filter.go,
//! profile/prune.go): `focus`, `ignore`, `hide`, `show`, `show_from`,
//! `prune_from`, and the label filters `tagfocus`, `tagignore`, `tagshow`,
//! `taghide`. Regexps are unanchored and match a frame's function name, its
//! file name, or its mapping's file. Each step reports whether its expression
//! matched anything, so the page can say "focus matched nothing".

use super::tagfilter::{compile_tag_filter, NumLabelUnits, TagFilter};
use super::{map_stacks, prune::simplify_func, TransformError};
use crate::model::*;
use regex::Regex;
use std::sync::Arc;

/// The filter expressions of a report, with pprof's option names ("" = unset).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filters {
    pub focus: String,
    pub ignore: String,
    pub hide: String,
    pub show: String,
    pub show_from: String,
    pub prune_from: String,
    pub tagfocus: String,
    pub tagignore: String,
    pub tagshow: String,
    pub taghide: String,
}

/// What applying the filters found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FilterOutcome {
    /// Option names of the set filters that matched nothing, in pprof's order.
    pub unmatched: Vec<&'static str>,
    /// pprof's stderr notes (a tag filter read as a numeric range).
    pub notes: Vec<String>,
}

/// pprof's message for a filter that matched nothing.
pub fn unmatched_message(option: &str) -> String {
    let name = match option {
        "focus" => "Focus",
        "ignore" => "Ignore",
        "hide" => "Hide",
        "show" => "Show",
        "show_from" => "ShowFrom",
        "tagfocus" => "TagFocus",
        "tagignore" => "TagIgnore",
        "tagshow" => "TagShow",
        "taghide" => "TagHide",
        other => other,
    };
    format!("{name} expression matched no samples")
}

fn compile(name: &str, value: &str) -> Result<Option<Regex>, TransformError> {
    if value.is_empty() {
        return Ok(None);
    }
    super::go_regexp(value).map(Some).map_err(|e| TransformError(format!("parsing {name} regexp: {e}")))
}

/// pprof's applyFocus: every filter in its order. Samples without frames
/// never survive it (pprof drops them even when no filter is set), though
/// they count in a total computed before.
pub fn apply(p: Profile, f: &Filters, units: &NumLabelUnits) -> Result<(Profile, FilterOutcome), TransformError> {
    let mut out = FilterOutcome::default();
    let focus = compile("focus", &f.focus)?;
    let ignore = compile("ignore", &f.ignore)?;
    let hide = compile("hide", &f.hide)?;
    let show = compile("show", &f.show)?;
    let show_from_re = compile("show_from", &f.show_from)?;
    let mut tag = |name: &str, value: &str| -> Result<Option<TagFilter>, TransformError> {
        if value.is_empty() {
            return Ok(None);
        }
        let (t, note) = compile_tag_filter(name, value)?;
        out.notes.extend(note);
        Ok(Some(t))
    };
    let tagfocus = tag("tagfocus", &f.tagfocus)?;
    let tagignore = tag("tagignore", &f.tagignore)?;
    let prune_from_re = compile("prune_from", &f.prune_from)?;

    let (mut p, m) = if focus.is_none() && ignore.is_none() && hide.is_none() && show.is_none() {
        // Nothing to match: only the samples without frames go (no copy if none).
        let empty = p.stacks.iter().any(|(_, f)| f.is_empty());
        (if empty { filter_samples_by_name(&p, None, None, None, None).0 } else { p }, NameMatches::default())
    } else {
        filter_samples_by_name(&p, focus.as_ref(), ignore.as_ref(), hide.as_ref(), show.as_ref())
    };
    let mut unmatched = |set: bool, matched: bool, name: &'static str| {
        if set && !matched {
            out.unmatched.push(name);
        }
    };
    unmatched(focus.is_some(), m.focus, "focus");
    unmatched(ignore.is_some(), m.ignore, "ignore");
    unmatched(hide.is_some(), m.hide, "hide");
    unmatched(show.is_some(), m.show, "show");
    if let Some(re) = &show_from_re {
        let (q, matched) = show_from(&p, re);
        p = q;
        unmatched(true, matched, "show_from");
    }
    if tagfocus.is_some() || tagignore.is_some() {
        let (q, fm, im) = filter_samples_by_tag(&p, tagfocus.as_ref(), tagignore.as_ref(), units);
        p = q;
        unmatched(tagfocus.is_some(), fm, "tagfocus");
        unmatched(tagignore.is_some(), im, "tagignore");
    }
    let tagshow = compile("tagshow", &f.tagshow)?;
    let taghide = compile("taghide", &f.taghide)?;
    if tagshow.is_some() || taghide.is_some() {
        let (q, sm, hm) = filter_tags_by_name(&p, tagshow.as_ref(), taghide.as_ref());
        p = q;
        unmatched(tagshow.is_some(), sm, "tagshow");
        unmatched(taghide.is_some(), hm, "taghide");
    }
    if let Some(re) = &prune_from_re {
        p = prune_from(&p, re);
    }
    Ok((p, out))
}

/// A regexp evaluated once per function (name or file name) and per mapping file.
struct Matcher {
    funcs: Vec<bool>,
    maps: Vec<bool>,
}

impl Matcher {
    fn new(p: &Profile, re: &Regex) -> Matcher {
        Matcher {
            funcs: p.functions.iter().map(|f| re.is_match(p.str(f.name)) || re.is_match(p.str(f.filename))).collect(),
            maps: p.mappings.iter().map(|m| re.is_match(p.str(m.file))).collect(),
        }
    }
    fn line(&self, l: &Line) -> bool {
        self.funcs[l.function.idx()]
    }
    fn mapping(&self, loc: &Location) -> bool {
        loc.mapping.is_some_and(|m| self.maps[m.idx()])
    }
    /// pprof's Location.matchesName.
    fn location(&self, loc: &Location) -> bool {
        loc.lines.iter().any(|l| self.line(l)) || self.mapping(loc)
    }
}

/// Which of focus / ignore / hide / show matched some location.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct NameMatches {
    pub focus: bool,
    pub ignore: bool,
    pub hide: bool,
    pub show: bool,
}

/// pprof's FilterSamplesByName: keeps samples with a frame matching `focus`
/// and none matching `ignore`; removes the frames (inlined lines) matching
/// `hide`, and those not matching `show`, dropping samples left without frames.
pub fn filter_samples_by_name(
    p: &Profile,
    focus: Option<&Regex>,
    ignore: Option<&Regex>,
    hide: Option<&Regex>,
    show: Option<&Regex>,
) -> (Profile, NameMatches) {
    let mut m = NameMatches::default();
    if focus.is_none() && ignore.is_none() && hide.is_none() && show.is_none() {
        // Nothing to match: only the samples without frames go.
        if !p.stacks.iter().any(|(_, f)| f.is_empty()) {
            return (p.clone(), m);
        }
        return (
            map_stacks(p, |frames, buf| {
                buf.extend_from_slice(frames);
                !frames.is_empty()
            }),
            m,
        );
    }
    let [mf, mi, mh, ms] = [focus, ignore, hide, show].map(|r| r.map(|r| Matcher::new(p, r)));
    let n = p.locations.len();
    // None: neither focused nor ignored; Some(true): focused; Some(false): ignored.
    let mut focus_or_ignore: Vec<Option<bool>> = vec![None; n];
    let mut hidden = vec![false; n];
    let mut any_hidden = false;
    let mut locations = p.locations.clone();
    for (li, loc) in locations.iter_mut().enumerate() {
        if mi.as_ref().is_some_and(|x| x.location(loc)) {
            m.ignore = true;
            focus_or_ignore[li] = Some(false);
        } else if mf.as_ref().is_none_or(|x| x.location(loc)) {
            m.focus = true;
            focus_or_ignore[li] = Some(true);
        }
        if let Some(x) = &mh {
            if x.location(loc) {
                m.hide = true;
                if x.mapping(loc) {
                    loc.lines.clear();
                } else {
                    loc.lines.retain(|l| !x.line(l));
                }
                if loc.lines.is_empty() {
                    hidden[li] = true;
                    any_hidden = true;
                }
            }
        }
        if let Some(x) = &ms {
            if !x.mapping(loc) {
                loc.lines.retain(|l| x.line(l));
            }
            if loc.lines.is_empty() {
                hidden[li] = true;
                any_hidden = true;
            } else {
                m.show = true;
            }
        }
    }
    let mut q = map_stacks(p, |frames, buf| {
        let mut focused = false;
        for l in frames {
            match focus_or_ignore[l.idx()] {
                Some(false) => return false,
                Some(true) => focused = true,
                None => {}
            }
        }
        if !focused {
            return false;
        }
        if any_hidden {
            buf.extend(frames.iter().filter(|l| !hidden[l.idx()]));
            return !buf.is_empty();
        }
        buf.extend_from_slice(frames);
        true
    });
    q.locations = locations;
    (q, m)
}

/// pprof's ShowFrom: cuts every stack above (rootward of) its rootmost frame
/// matching `re` (within a location, inlined lines above the match go too)
/// and drops samples without a match. Returns whether any location matched.
pub fn show_from(p: &Profile, re: &Regex) -> (Profile, bool) {
    let x = Matcher::new(p, re);
    let mut matched = false;
    let mut keep = vec![false; p.locations.len()];
    let mut locations = p.locations.clone();
    for (li, loc) in locations.iter_mut().enumerate() {
        if x.mapping(loc) {
            keep[li] = true;
        } else if let Some(i) = loc.lines.iter().rposition(|l| x.line(l)) {
            loc.lines.truncate(i + 1);
            keep[li] = true;
        }
        matched |= keep[li];
    }
    let mut q = map_stacks(p, |frames, buf| match frames.iter().rposition(|l| keep[l.idx()]) {
        Some(i) => {
            buf.extend_from_slice(&frames[..=i]);
            true
        }
        None => false,
    });
    q.locations = locations;
    (q, matched)
}

/// Keeps the samples whose label set passes `keep` (decided once per set).
fn retain_by_labels(p: &Profile, mut keep: impl FnMut(&LabelSet) -> bool) -> Profile {
    let mut decided: Vec<Option<bool>> = vec![None; p.label_sets.len()];
    let n = p.num_types();
    let mut s = Samples::default();
    for i in 0..p.samples.len() {
        let lid = p.samples.labels[i];
        let k = *decided[lid.idx()].get_or_insert_with(|| keep(p.label_sets.get(lid)));
        if k {
            s.stacks.push(p.samples.stacks[i]);
            s.labels.push(lid);
            s.values.extend_from_slice(&p.samples.values[i * n..(i + 1) * n]);
        }
    }
    let mut out = p.clone();
    out.samples = Arc::new(s);
    out
}

/// pprof's FilterSamplesByTag: keeps samples matching `focus` (if set) and
/// not `ignore`. Returns whether each matched some sample.
pub fn filter_samples_by_tag(
    p: &Profile,
    focus: Option<&TagFilter>,
    ignore: Option<&TagFilter>,
    units: &NumLabelUnits,
) -> (Profile, bool, bool) {
    let (mut fm, mut im) = (false, false);
    let out = retain_by_labels(p, |set| {
        let focused = focus.is_none_or(|f| f.matches(p, set, units));
        let ignored = ignore.is_some_and(|f| f.matches(p, set, units));
        fm |= focused;
        im |= ignored;
        focused && !ignored
    });
    (out, fm, im)
}

/// pprof's FilterTagsByName: removes label keys (string and numeric) that do
/// not match `show` or do match `hide`. Returns whether each matched a key.
pub fn filter_tags_by_name(p: &Profile, show: Option<&Regex>, hide: Option<&Regex>) -> (Profile, bool, bool) {
    let (mut sm, mut hm) = (false, false);
    let mut key_removed: Vec<Option<bool>> = vec![None; p.strings.len()];
    let mut remove = |k: StrId| -> bool {
        *key_removed[k.idx()].get_or_insert_with(|| {
            let name = p.str(k);
            let matched_show = show.is_none_or(|r| r.is_match(name));
            let matched_hide = hide.is_some_and(|r| r.is_match(name));
            sm |= matched_show;
            hm |= matched_hide;
            !matched_show || matched_hide
        })
    };
    let mut table = LabelTable::default();
    let mut map: Vec<Option<LabelSetId>> = vec![None; p.label_sets.len()];
    let mut out = p.clone();
    let samples = Arc::make_mut(&mut out.samples);
    for l in samples.labels.iter_mut() {
        let id = match map[l.idx()] {
            Some(id) => id,
            None => {
                let mut set = p.label_sets.get(*l).clone();
                set.strs.retain(|&(k, _)| !remove(k));
                set.nums.retain(|n| !remove(n.key));
                let id = table.intern_canonical(&set);
                map[l.idx()] = Some(id);
                id
            }
        };
        *l = id;
    }
    out.label_sets = Arc::new(table);
    super::remap_goroutine_labels(&mut out, &map);
    (out, sm, hm)
}

/// pprof's PruneFrom: in each stack, drops the frames below (leafward of)
/// the leafmost frame whose simplified function name matches `re`; within
/// that location, the inlined lines below the match go too.
pub fn prune_from(p: &Profile, re: &Regex) -> Profile {
    let funcs: Vec<bool> = p
        .functions
        .iter()
        .map(|f| {
            let name = p.str(f.name);
            !name.is_empty() && re.is_match(simplify_func(name))
        })
        .collect();
    let mut beneath = vec![false; p.locations.len()];
    let mut locations = p.locations.clone();
    for (li, loc) in locations.iter_mut().enumerate() {
        if let Some(i) = loc.lines.iter().position(|l| funcs[l.function.idx()]) {
            beneath[li] = true;
            loc.lines.drain(..i);
        }
    }
    let mut q = map_stacks(p, |frames, buf| {
        let start = frames.iter().position(|l| beneath[l.idx()]).unwrap_or(0);
        buf.extend_from_slice(&frames[start..]);
        true
    });
    q.locations = locations;
    q
}
