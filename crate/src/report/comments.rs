//! pprof's `-comments`: the profile's free-form comments, one per line.

use super::Report;

pub fn comments(rpt: &Report) -> Vec<String> {
    rpt.prof.comments.iter().map(|&c| rpt.prof.str(c).to_string()).collect()
}

pub fn render_text(rpt: &Report) -> String {
    comments(rpt).into_iter().map(|c| c + "\n").collect()
}
