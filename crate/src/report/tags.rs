//! pprof's `-tags` (printTags): for every label key, the weight of each of
//! its values, heaviest first; `tagshow` / `taghide` / `tagfocus` /
//! `tagignore` apply as filters. Numeric values are formatted in their unit.

use super::Report;
use crate::util::escape::visible;
use crate::util::sort::SortRows;
use crate::util::units;
use std::collections::BTreeMap;

/// One value of a label key with its weight.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct TagValue {
    /// The value (numeric ones formatted, e.g. "4kB").
    pub name: String,
    pub weight: i64,
}

/// A label key: its total weight and its values, heaviest first.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct TagKey {
    pub key: String,
    pub total: i64,
    pub values: Vec<TagValue>,
    /// Numeric label (the page filters these by range, not regexp).
    pub numeric: bool,
}

/// The keys of the report's samples, by name. A sample weighs its value of
/// the report's sample type (never divided for `mean`).
pub fn build_tags(rpt: &Report) -> Vec<TagKey> {
    let p = &rpt.prof;
    let mut map: BTreeMap<String, (bool, BTreeMap<String, i64>)> = BTreeMap::new();
    let raw = rpt.options.raw_names;
    let shown = |s: &str| if raw { s.to_string() } else { visible(s).into_owned() };
    let mut add = |key: &str, numeric: bool, val: String, w: i64| {
        let e = map.entry(shown(key)).or_insert_with(|| (numeric, BTreeMap::new()));
        let v = e.1.entry(shown(&val)).or_insert(0);
        *v = v.wrapping_add(w);
    };
    for i in 0..p.samples.len() {
        let w = p.sample_values(i)[rpt.sample_index];
        let set = p.sample_labels(i);
        for &(k, v) in &set.strs {
            add(p.str(k), false, p.str(v).to_string(), w);
        }
        for n in &set.nums {
            let key = p.str(n.key);
            let name = units::scaled_label(n.value, rpt.num_label_units.unit(key), &rpt.options.unit);
            add(key, true, name, w);
        }
    }
    map.into_iter()
        .map(|(key, (numeric, vals))| {
            let total = vals.values().fold(0i64, |a, &w| a.wrapping_add(w));
            let mut values: Vec<TagValue> = vals.into_iter().map(|(name, weight)| TagValue { name, weight }).collect();
            // pprof's SortTags by flat: heaviest |weight| first, then name.
            values.sort_rows_by(|a, b| {
                b.weight.wrapping_abs().cmp(&a.weight.wrapping_abs()).then_with(|| a.name.cmp(&b.name))
            });
            TagKey { key, total, values, numeric }
        })
        .collect()
}

/// `%.1f` of a value scaled to the output unit, with its unit.
pub fn scaled(rpt: &Report, v: i64) -> String {
    let (f, u) = units::scale(v, &rpt.sample_unit, &rpt.options.unit);
    format!("{}{u}", units::go_fmt_f(f, 1))
}

/// pprof's printTags: Go 1.19's layout by default (percentages of each key's
/// total), the newer one (of the profile total) with `tags_of_total`.
pub fn render_text(rpt: &Report) -> String {
    let mut tw = String::new();
    let of_total = rpt.options.tags_of_total;
    for k in build_tags(rpt) {
        if of_total {
            // pprof counts a key's total per value, as printed.
            let total = rpt.total;
            let head = format!("{}:\t Total {} of {}", k.key, rpt.format_value(k.total), rpt.format_value(total));
            if total > 0 {
                tw.push_str(&format!("{head} ({})\n", units::percentage(k.total, total)));
            } else {
                tw.push_str(&format!("{head}\n"));
            }
            for v in &k.values {
                if total > 0 {
                    let pct = units::percentage(v.weight, total);
                    tw.push_str(&format!(" \t{} ({pct}):\t {}\n", rpt.format_value(v.weight), v.name));
                } else {
                    tw.push_str(&format!(" \t{}:\t {}\n", rpt.format_value(v.weight), v.name));
                }
            }
        } else {
            tw.push_str(&format!("{}:\t Total {}\n", k.key, scaled(rpt, k.total)));
            for v in &k.values {
                if k.total > 0 {
                    let pct = units::percentage(v.weight, k.total);
                    tw.push_str(&format!(" \t{} ({pct}):\t {}\n", scaled(rpt, v.weight), v.name));
                } else {
                    tw.push_str(&format!(" \t{}:\t {}\n", scaled(rpt, v.weight), v.name));
                }
            }
        }
        tw.push('\n');
    }
    align_right(&tw)
}

/// Go's text/tabwriter with AlignRight, padding 1 and spaces: tab-terminated
/// cells are right-aligned in columns spanning consecutive lines that have
/// them; a line without tabs ends the block.
fn align_right(text: &str) -> String {
    let mut out = String::new();
    let mut block: Vec<Vec<&str>> = Vec::new();
    let lines: Vec<&str> = text.split('\n').collect();
    let last = lines.len() - 1;
    for (i, line) in lines.into_iter().enumerate() {
        let cells: Vec<&str> = line.split('\t').collect();
        let single = cells.len() == 1;
        block.push(cells);
        if single || i == last {
            let newline_after_last = i != last;
            out.push_str(&format_block(&block, newline_after_last));
            block.clear();
        }
    }
    out
}

fn format_block(lines: &[Vec<&str>], final_newline: bool) -> String {
    let mut widths: Vec<usize> = Vec::new();
    let mut out = String::new();
    format_cols(lines, 0, lines.len(), &mut widths, &mut out);
    if !final_newline {
        out.pop();
    }
    out
}

/// Go's tabwriter.format: the column of `widths.len()` in lines `l0..l1`.
fn format_cols(lines: &[Vec<&str>], mut l0: usize, l1: usize, widths: &mut Vec<usize>, out: &mut String) {
    let column = widths.len();
    let mut this = l0;
    while this < l1 {
        if column + 1 >= lines[this].len() {
            this += 1;
            continue;
        }
        write_lines(lines, l0, this, widths, out);
        l0 = this;
        let mut width = 0;
        while this < l1 && column + 1 < lines[this].len() {
            width = width.max(lines[this][column].chars().count() + 1);
            this += 1;
        }
        widths.push(width);
        format_cols(lines, l0, this, widths, out);
        widths.pop();
        l0 = this;
    }
    write_lines(lines, l0, l1, widths, out);
}

fn write_lines(lines: &[Vec<&str>], l0: usize, l1: usize, widths: &[usize], out: &mut String) {
    for line in &lines[l0..l1] {
        for (j, c) in line.iter().enumerate() {
            if j < widths.len() {
                let w = c.chars().count();
                out.extend(std::iter::repeat_n(' ', widths[j].saturating_sub(w)));
            }
            out.push_str(c);
        }
        out.push('\n');
    }
}

#[cfg(test)]
mod tests {
    use super::align_right;

    #[test]
    fn tabwriter_aligns_blocks_right() {
        let text = "route:\t Total 3384.0\n \t3367.0 (99.50%):\t inventory\n \t17.0 (  0.5%):\t inventory-pooled\n\n";
        let want =
            " route: Total 3384.0\n        3367.0 (99.50%): inventory\n          17.0 (  0.5%): inventory-pooled\n\n";
        assert_eq!(align_right(text), want);
        // A line without tabs ends a block: widths start over after it.
        assert_eq!(align_right("a:\tx\n\nlonger:\ty\n"), " a:x\n\n longer:y\n");
    }
}
