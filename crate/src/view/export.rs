//! Tables and findings as files the user keeps: CSV (safe to open in a
//! spreadsheet) and Markdown (safe to paste into a ticket).

use crate::model::Profile;
use crate::report::top::Top;
use crate::report::{Options, Report, ReportKind};
use crate::transform::TransformError;
use crate::util::units::percentage;
use crate::view::findings::Finding;

/// A CSV cell, quoted when needed; text that a spreadsheet would run as a
/// formula (=, +, -, @, tab, CR first) is prefixed with a quote, except plain numbers.
pub fn csv_cell(s: &str) -> String {
    let plain_number = {
        let t = s.strip_suffix('%').unwrap_or(s);
        let t = t.strip_prefix('-').unwrap_or(t);
        !t.is_empty() && t.chars().all(|c| c.is_ascii_digit() || c == '.')
    };
    let risky = matches!(s.chars().next(), Some('=' | '+' | '-' | '@' | '\t' | '\r')) && !plain_number;
    let s = if risky { format!("'{s}") } else { s.to_string() };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

pub fn csv(headers: &[&str], rows: &[Vec<String>]) -> String {
    let mut out = headers.iter().map(|h| csv_cell(h)).collect::<Vec<_>>().join(",");
    out.push_str("\r\n");
    for r in rows {
        out.push_str(&r.iter().map(|c| csv_cell(c)).collect::<Vec<_>>().join(","));
        out.push_str("\r\n");
    }
    out
}

/// Text for a Markdown table cell: pipes and newlines escaped, and HTML
/// special characters as entities so names cannot become markup.
pub fn md_cell(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '|' => out.push_str("\\|"),
            '\n' | '\r' => out.push(' '),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '`' => out.push_str("\\`"),
            '*' | '_' | '[' | ']' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

pub fn markdown(headers: &[&str], rows: &[Vec<String>], right_aligned: &[bool]) -> String {
    let mut out = format!("| {} |\n", headers.iter().map(|h| md_cell(h)).collect::<Vec<_>>().join(" | "));
    out.push_str(&format!(
        "|{}|\n",
        right_aligned.iter().map(|&r| if r { "---:" } else { ":---" }).collect::<Vec<_>>().join("|")
    ));
    for r in rows {
        out.push_str(&format!("| {} |\n", r.iter().map(|c| md_cell(c)).collect::<Vec<_>>().join(" | ")));
    }
    out
}

pub const TOP_HEADERS: [&str; 6] = ["flat", "flat%", "sum%", "cum", "cum%", "name"];

/// The top table's cells as pprof prints them.
pub fn top_cells(rpt: &Report, top: &Top) -> Vec<Vec<String>> {
    let mut sum = 0i64;
    top.rows
        .iter()
        .map(|r| {
            sum = sum.wrapping_add(r.flat);
            let mut row = value_cells(rpt, r.flat, sum, r.cum);
            row.push(row_name(&r.name, r.inline_label));
            row
        })
        .collect()
}

/// flat, flat%, sum%, cum, cum% of one row, as pprof prints them (`sum`: the
/// running flat total down to this row).
pub fn value_cells(rpt: &Report, flat: i64, sum: i64, cum: i64) -> Vec<String> {
    vec![
        rpt.format_value(flat),
        percentage(flat, rpt.total).trim().to_string(),
        percentage(sum, rpt.total).trim().to_string(),
        rpt.format_value(cum),
        percentage(cum, rpt.total).trim().to_string(),
    ]
}

/// A row's name with its `(inline)` mark, as the top report prints it.
pub fn row_name(name: &str, inline_label: &str) -> String {
    if inline_label.is_empty() {
        name.to_string()
    } else {
        format!("{name} {inline_label}")
    }
}

/// The profile a report of `o` is computed from, as a file to keep: the
/// sample index resolved and the filters applied (`Report::unaggregated`),
/// before the granularity, so every location and line survives. Its default
/// sample type is the one the report shows, so `go tool pprof -top` of the
/// written file prints the report's flat and cum (its percentages refer to
/// the filtered total, since the file holds only what the filters kept).
pub fn filtered_profile(p: &Profile, o: &Options) -> Result<Profile, TransformError> {
    let rpt = Report::unaggregated(p, ReportKind::Top, o)?;
    let mut out = rpt.prof;
    let name = out.sample_type_name(rpt.sample_index).to_string();
    out.default_sample_type = out.strings.intern(&name);
    Ok(out)
}

/// Whether Go's PGO (cmd/compile, internal/pgo `FromPProf`) takes profile
/// `p` (file `name`): it weighs call edges by the first sample type that is
/// `samples/count` or `cpu/nanoseconds`; other profiles are refused with the
/// reason. Ok carries warnings: the compiler also rejects profiles whose
/// functions carry no start line (Go writes them since 1.20), and ignores
/// one without samples.
pub fn pgo_check(p: &Profile, name: &str) -> Result<Vec<String>, String> {
    let cpu = (0..p.num_types()).any(|i| {
        let (t, u) = (p.sample_type_name(i), p.sample_type_unit(i));
        (t == "samples" && u == "count") || (t == "cpu" && u == "nanoseconds")
    });
    if !cpu {
        let types: Vec<String> =
            (0..p.num_types()).map(|i| format!("{}/{}", p.sample_type_name(i), p.sample_type_unit(i))).collect();
        return Err(format!(
            "{name}: not a CPU profile (sample types {}); Go's PGO takes CPU profiles (samples/count or cpu/nanoseconds)",
            types.join(", ")
        ));
    }
    let mut warnings = Vec::new();
    if p.samples.is_empty() {
        warnings.push(format!("{name}: no samples; the compiler ignores an empty profile"));
    } else if p.functions.iter().all(|f| f.start_line == 0) {
        warnings.push(format!(
            "{name}: no function has a start line (Go writes them since 1.20); the Go compiler rejects such a profile for PGO"
        ));
    }
    Ok(warnings)
}

/// The top table as `csv` or `markdown` text, cells as pprof prints them.
pub fn top_table(rpt: &Report, top: &Top, format: &str) -> Result<String, TransformError> {
    let rows = top_cells(rpt, top);
    match format {
        "csv" => Ok(csv(&TOP_HEADERS, &rows)),
        "markdown" => Ok(markdown(&TOP_HEADERS, &rows, &[true, true, true, true, true, false])),
        f => Err(TransformError(format!("unknown export format {f:?} (csv or markdown)"))),
    }
}

/// Findings as Markdown for a ticket.
pub fn findings_markdown(findings: &[Finding]) -> String {
    if findings.is_empty() {
        return "No findings: no rule's thresholds were met.\n".into();
    }
    let mut out = String::new();
    for f in findings {
        out.push_str(&format!("### {} ({:?})\n\n", md_cell(f.title), f.severity));
        out.push_str(&format!("{}\n\n", md_cell(&f.summary)));
        let rows: Vec<Vec<String>> = f.evidence.iter().map(|e| vec![e.label.clone(), e.text.clone()]).collect();
        out.push_str(&markdown(&["evidence", "value"], &rows, &[false, true]));
        for s in &f.stacks {
            out.push_str(&format!(
                "\n<details><summary>{} ({})</summary>\n\n",
                md_cell(s.frames.last().map(String::as_str).unwrap_or("")),
                s.value
            ));
            for fr in &s.frames {
                out.push_str(&format!("    {}\n", fr.replace(['\n', '\r'], " ")));
            }
            out.push_str("\n</details>\n");
        }
        out.push_str(&format!("\n**Fix:** {}\n\n*Fires when:* {}\n\n", md_cell(f.fix), md_cell(f.thresholds)));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_neutralises_formulas_but_not_numbers() {
        assert_eq!(csv_cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_cell("+1"), "'+1");
        assert_eq!(csv_cell("-570.54kB"), "'-570.54kB");
        assert_eq!(csv_cell("-12.5"), "-12.5");
        assert_eq!(csv_cell("-3.2%"), "-3.2%");
        assert_eq!(csv_cell("a,b"), "\"a,b\"");
        assert_eq!(csv_cell("main.f"), "main.f");
    }

    #[test]
    fn markdown_cells_cannot_become_markup() {
        assert_eq!(md_cell("<img src=x onerror=alert(1)>"), "&lt;img src=x onerror=alert(1)&gt;");
        assert_eq!(md_cell("a|b\nc"), "a\\|b c");
    }
}
