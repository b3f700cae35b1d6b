//! pprof's `-peek=RE`: the callers and callees of every node whose name
//! matches RE, over the untrimmed graph (pprof turns trimming off for peek).
//! [`peek`] gives the data the page draws; [`render_text`] prints pprof's text.

use super::tree::{self, Tree};
use super::Report;
use crate::transform::TransformError;

/// The matched nodes with their callers and callees (the regexp is the
/// report's `peek` option). Errors as pprof does when nothing matches.
pub fn peek(rpt: &mut Report) -> Result<Tree, TransformError> {
    let src = rpt.options.peek.clone();
    let re =
        crate::transform::go_regexp(&src).map_err(|e| TransformError(format!("parsing argument regexp {src}: {e}")))?;
    let t = tree::build_tree(rpt, Some(&re));
    if t.entries.is_empty() {
        return Err(TransformError(format!("no matches found for regexp: {src}")));
    }
    Ok(t)
}

pub fn render_text(rpt: &mut Report) -> Result<String, TransformError> {
    let t = peek(rpt)?;
    Ok(tree::render(rpt, &t))
}
