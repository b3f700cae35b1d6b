//! Label ("tag") filters as pprof's driver compiles them (driver_focus.go):
//! `tagfocus` / `tagignore` values are either numeric ranges with units
//! (`4kb:`, `:1kb`, `1mb:2gb`, `32kb`, optionally `key=`-prefixed) or
//! comma-separated unanchored regexps (`route=^inventory$`, `key[12]`).

use super::TransformError;
use crate::model::{LabelSet, Profile, StrId};
use crate::util::units;
use regex::Regex;
use std::collections::BTreeMap;

/// Units of numeric labels by key (pprof's NumLabelUnits), and the keys that
/// carried more than one unit (with the units that were ignored).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NumLabelUnits {
    pub units: BTreeMap<String, String>,
    pub ignored: BTreeMap<String, Vec<String>>,
}

impl NumLabelUnits {
    /// The unit of numeric label `key` ("" when the key never occurs).
    pub fn unit(&self, key: &str) -> &str {
        self.units.get(key).map_or("", |s| s.as_str())
    }

    /// pprof's stderr lines for keys seen with several units.
    pub fn messages(&self) -> Vec<String> {
        self.ignored
            .iter()
            .map(|(k, us)| {
                format!("For tag {k} used unit {}, also encountered unit(s) {}", self.unit(k), us.join(", "))
            })
            .collect()
    }
}

/// pprof's Profile.NumLabelUnits: the first unit given to each numeric label
/// key (in sample order); keys without any unit are "bytes" for `alignment`
/// and `request`, else the key itself.
pub fn num_label_units(p: &Profile) -> NumLabelUnits {
    let mut units: BTreeMap<String, String> = BTreeMap::new();
    let mut ignored: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut keys: Vec<StrId> = Vec::new();
    let mut seen = vec![false; p.label_sets.len()];
    for &lid in &p.samples.labels {
        if std::mem::replace(&mut seen[lid.idx()], true) {
            continue;
        }
        for n in &p.label_sets.get(lid).nums {
            if !keys.contains(&n.key) {
                keys.push(n.key);
            }
            let unit = p.str(n.unit);
            if unit.is_empty() {
                continue;
            }
            let key = p.str(n.key);
            match units.get(key) {
                None => {
                    units.insert(key.to_string(), unit.to_string());
                }
                Some(want) if want != unit => {
                    let v = ignored.entry(key.to_string()).or_default();
                    if !v.iter().any(|u| u == unit) {
                        v.push(unit.to_string());
                    }
                }
                Some(_) => {}
            }
        }
    }
    for k in keys {
        let key = p.str(k);
        if units.get(key).is_none_or(|u| u.is_empty()) {
            let unit = match key {
                "alignment" | "request" => "bytes",
                other => other,
            };
            units.insert(key.to_string(), unit.to_string());
        }
    }
    for v in ignored.values_mut() {
        v.sort();
    }
    NumLabelUnits { units, ignored }
}

/// An inclusive numeric range in one unit (`lo == hi` for an exact value).
#[derive(Clone, Debug, PartialEq)]
pub struct TagRange {
    pub unit: String,
    pub lo: Option<f64>,
    pub hi: Option<f64>,
}

impl TagRange {
    /// Whether `value` (in `unit`) lies in the range; values of another
    /// unit family never do.
    pub fn contains(&self, value: i64, unit: &str) -> bool {
        let (v, u) = units::scale(value, unit, &self.unit);
        u == self.unit && self.lo.is_none_or(|lo| v >= lo) && self.hi.is_none_or(|hi| v <= hi)
    }
}

/// pprof's parseTagFilterRange: `32kb` (equal), `:64kb` (at most), `4mb:`
/// (at least), `12kb:64mb` (between); None when `filter` is not a range.
pub fn parse_tag_filter_range(filter: &str) -> Result<Option<TagRange>, TransformError> {
    use std::sync::OnceLock;
    static RX: OnceLock<Regex> = OnceLock::new();
    let rx = RX.get_or_init(|| Regex::new(r"([+-]?[[:digit:]]+)([[:alpha:]]+)?").unwrap());
    let ranges: Vec<(String, String, String)> = rx
        .captures_iter(filter)
        .take(2)
        .map(|c| {
            let all = c.get(0).map_or("", |m| m.as_str()).to_string();
            let num = c.get(1).map_or("", |m| m.as_str()).to_string();
            let unit = c.get(2).map_or("", |m| m.as_str()).to_string();
            (all, num, unit)
        })
        .collect();
    let Some(first) = ranges.first() else { return Ok(None) };
    let parse = |s: &str| -> Result<i64, TransformError> {
        s.parse::<i64>().map_err(|e| TransformError(format!("failed to parse int {s}: {e}")))
    };
    let v = parse(&first.1)?;
    let (scaled, unit) = units::scale(v, &first.2, &first.2);
    if ranges.len() == 1 {
        let m = &first.0;
        let r = |lo, hi| Ok(Some(TagRange { unit: unit.clone(), lo, hi }));
        if filter == m {
            return r(Some(scaled), Some(scaled));
        }
        if filter.strip_suffix(':') == Some(m.as_str()) {
            return r(Some(scaled), None);
        }
        if filter.strip_prefix(':') == Some(m.as_str()) {
            return r(None, Some(scaled));
        }
        return Ok(None);
    }
    let second = &ranges[1];
    if filter != format!("{}:{}", first.0, second.0) {
        return Ok(None);
    }
    let v2 = parse(&second.1)?;
    let (scaled2, unit2) = units::scale(v2, &second.2, &unit);
    if unit != unit2 {
        return Ok(None);
    }
    Ok(Some(TagRange { unit, lo: Some(scaled), hi: Some(scaled2) }))
}

/// A compiled `tagfocus` / `tagignore` expression.
#[derive(Clone, Debug)]
pub enum TagFilter {
    /// A numeric range over the values of `key` (any numeric label without a key).
    Range { key: Option<String>, range: TagRange },
    /// With a key: any regexp matches any value of that string label. Without:
    /// every regexp matches some `key:value` of the sample.
    Regexps { key: Option<String>, res: Vec<Regex> },
}

/// A compiled tag filter and, for ranges, pprof's stderr note
/// (`tagfocus:Interpreted '4kb:' as range, not regexp`).
pub fn compile_tag_filter(name: &str, value: &str) -> Result<(TagFilter, Option<String>), TransformError> {
    let (key, value) = match value.split_once('=') {
        Some((k, v)) => (Some(k.to_string()), v),
        None => (None, value),
    };
    if let Some(range) = parse_tag_filter_range(value)? {
        let note = format!("{name}:Interpreted '{value}' as range, not regexp");
        return Ok((TagFilter::Range { key, range }, Some(note)));
    }
    let mut res = Vec::new();
    for part in value.split(',') {
        res.push(super::go_regexp(part).map_err(|e| TransformError(format!("parsing {name} regexp: {e}")))?);
    }
    Ok((TagFilter::Regexps { key, res }, None))
}

impl TagFilter {
    /// Whether a sample with labels `set` matches.
    pub fn matches(&self, p: &Profile, set: &LabelSet, units: &NumLabelUnits) -> bool {
        match self {
            TagFilter::Range { key, range } => {
                let in_range = |k: StrId| {
                    set.nums.iter().filter(|n| n.key == k).any(|n| range.contains(n.value, units.unit(p.str(k))))
                };
                match key {
                    None => {
                        let mut keys: Vec<StrId> = set.nums.iter().map(|n| n.key).collect();
                        keys.dedup();
                        keys.into_iter().any(in_range)
                    }
                    Some(k) => set.nums.iter().find(|n| p.str(n.key) == k).is_some_and(|n| in_range(n.key)),
                }
            }
            TagFilter::Regexps { key: None, res } => {
                res.iter().all(|re| set.strs.iter().any(|&(k, v)| re.is_match(&format!("{}:{}", p.str(k), p.str(v)))))
            }
            TagFilter::Regexps { key: Some(k), res } => {
                let vals: Vec<&str> =
                    set.strs.iter().filter(|(kk, _)| p.str(*kk) == k).map(|(_, v)| p.str(*v)).collect();
                res.iter().any(|re| vals.iter().any(|v| re.is_match(v)))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn range(s: &str) -> Option<TagRange> {
        parse_tag_filter_range(s).unwrap()
    }

    #[test]
    fn ranges_as_pprof_reads_them() {
        let r = range("4kb:").unwrap();
        assert_eq!((r.unit.as_str(), r.lo, r.hi), ("kB", Some(4.0), None));
        assert!(r.contains(4096, "bytes"));
        assert!(!r.contains(4095, "bytes"));
        let r = range(":1kb").unwrap();
        assert!(r.contains(1024, "bytes") && r.contains(16, "bytes") && !r.contains(1025, "bytes"));
        let r = range("1mb:2gb").unwrap();
        assert_eq!((r.unit.as_str(), r.lo, r.hi), ("MB", Some(1.0), Some(2048.0)));
        let r = range("+400kb:").unwrap();
        assert!(r.contains(400 * 1024, "bytes"));
        let r = range("32").unwrap();
        assert_eq!(r.unit, "");
        // A unitless range only matches unitless values.
        assert!(!r.contains(32, "bytes"));
        assert!(r.contains(32, "count"));
        // Not ranges: regexps that happen to hold digits.
        assert!(range("key[12]").is_none());
        assert!(range("inventory").is_none());
        assert!(range("1kb:2ms").is_none(), "units of the two ends differ");
        // A unitless end takes the unit of the first (pprof scales it "to" kB).
        assert_eq!(range("1kb:2").unwrap().hi, Some(2.0));
        assert!(range("4kb::").is_none());
        assert!(parse_tag_filter_range("99999999999999999999kb").is_err());
        // Time units compare across families only within time.
        let r = range("10ms:").unwrap();
        assert!(r.contains(20_000_000, "nanoseconds") && !r.contains(20_000_000, "bytes"));
    }

    #[test]
    fn compile_notes_ranges_and_splits_regexps() {
        let (f, note) = compile_tag_filter("tagfocus", "bytes=4kb:").unwrap();
        assert_eq!(note.as_deref(), Some("tagfocus:Interpreted '4kb:' as range, not regexp"));
        assert!(matches!(f, TagFilter::Range { key: Some(ref k), .. } if k == "bytes"));
        let (f, note) = compile_tag_filter("tagignore", "route=a,b").unwrap();
        assert!(note.is_none());
        assert!(matches!(f, TagFilter::Regexps { key: Some(_), ref res } if res.len() == 2));
        assert!(compile_tag_filter("tagfocus", "x=(").is_err());
    }
}
