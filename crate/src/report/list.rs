//! pprof's `-list=RE`: the source of every function whose name matches RE,
//! each line with its flat and cum, from the lines-granularity graph
//! (pprof's printSource and getSourceFromFile). Source files are read
//! through a closure, so the engine stays free of I/O: the CLI reads the
//! disk as pprof does (`source_path` entries and their parents, paths cut by
//! `trim_path`).

use super::graph::Node;
use super::Report;
use crate::transform::TransformError;
use crate::util::units;

/// Lines shown before the first and after the last line with samples.
const MARGIN: i64 = 5;

/// A source file's lines (index 0 is line 1), or why it could not be read.
pub type Source = Result<Vec<String>, String>;

/// The report's text; `open(path)` gives the lines of a file named as in the profile.
pub fn render_text(rpt: &mut Report, open: &mut dyn FnMut(&str) -> Source) -> Result<String, TransformError> {
    let src = rpt.options.list.clone();
    let re =
        crate::transform::go_regexp(&src).map_err(|e| TransformError(format!("parsing argument regexp {src}: {e}")))?;
    let g = rpt.build_graph(None);
    // Functions by name (their nodes in graph order), names sorted.
    let mut functions: Vec<(&str, Vec<&Node>)> = Vec::new();
    for n in &g.nodes {
        if !re.is_match(&n.info.name) {
            continue;
        }
        match functions.iter_mut().find(|(name, _)| *name == n.info.name) {
            Some((_, v)) => v.push(n),
            None => functions.push((&n.info.name, vec![n])),
        }
    }
    if functions.is_empty() {
        return Err(TransformError(format!("no matches found for regexp: {src}")));
    }
    crate::util::sort::SortRows::sort_rows_by(&mut functions[..], |a, b| a.0.cmp(b.0));
    let mut out = format!("Total: {}\n", rpt.format_value(rpt.total));
    let mut cache: Vec<(String, Source)> = Vec::new();
    for (name, nodes) in &functions {
        let mut files: Vec<(&str, Vec<&Node>)> = Vec::new();
        for n in nodes.iter().filter(|n| !n.info.file.is_empty()) {
            match files.iter_mut().find(|(f, _)| *f == n.info.file) {
                Some((_, v)) => v.push(n),
                None => files.push((&n.info.file, vec![n])),
            }
        }
        if files.is_empty() {
            out += &format!("No source information for {name}\n");
            continue;
        }
        // pprof's FileOrder over each file's first node.
        crate::util::sort::SortRows::sort_rows_by(&mut files[..], |a, b| {
            let (x, y) = (&a.1[0].info, &b.1[0].info);
            x.file.cmp(&y.file).then(x.start_line.cmp(&y.start_line)).then(x.name.cmp(&y.name))
        });
        for (file, fns) in &files {
            let (flat, cum) = fns.iter().fold((0i64, 0i64), |(f, c), n| (f + n.flat, c + n.cum));
            out += &format!("ROUTINE ======================== {name} in {file}\n");
            out += &format!(
                "{:>10} {:>10} (flat, cum) {} of Total\n",
                rpt.format_value(flat),
                rpt.format_value(cum),
                units::percentage(cum, rpt.total)
            );
            let lines = match cache.iter().find(|(f, _)| f == file) {
                Some((_, s)) => s.clone(),
                None => {
                    let s = open(file);
                    cache.push((file.to_string(), s.clone()));
                    s
                }
            };
            match lines {
                Err(e) => out += &format!(" Error: {e}\n"),
                Ok(lines) => listing(rpt, fns, &lines, &mut out),
            }
        }
    }
    Ok(out)
}

/// pprof's getSourceFromFile: from the first node's function start (or its
/// line less the margin) to the last line with samples plus the margin.
fn listing(rpt: &Report, fns: &[&Node], lines: &[String], out: &mut String) {
    let first = &fns[0].info;
    let mut start = if first.start_line != 0 { first.start_line } else { first.lineno - MARGIN };
    let mut end = first.lineno + MARGIN;
    for n in fns {
        let node_start = if n.info.start_line != 0 { n.info.start_line } else { n.info.lineno - MARGIN };
        let node_end = n.info.lineno + MARGIN;
        // pprof's else-if: a node that widens the start does not also widen the end.
        if node_start < start {
            start = node_start;
        } else if node_end > end {
            end = node_end;
        }
    }
    let start = start.max(1);
    let dot = |v: i64| if v == 0 { ".".to_string() } else { rpt.format_value(v) };
    for lineno in start..=end {
        let Some(text) = lines.get((lineno - 1) as usize) else { break };
        let (flat, cum) =
            fns.iter().filter(|n| n.info.lineno == lineno).fold((0i64, 0i64), |(f, c), n| (f + n.flat, c + n.cum));
        out.push_str(&format!("{:>10} {:>10} {:>6}:{}\n", dot(flat), dot(cum), lineno, text));
    }
}
