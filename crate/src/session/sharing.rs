//! Sharing without uploading: the shown tables as CSV or Markdown, the shown
//! (filtered, or diff) profile as pprof bytes, and redacted copies of loaded
//! profiles for a saved report. Profiles leave as raw profile.proto bytes:
//! the page gzips them with the browser's CompressionStream, so the wasm
//! links no deflater (`proto::encode_gzip` is the CLI's and tests').

use super::{err, Result, Session};
use crate::report::Options;
use crate::transform::redact::{redact, RedactOptions};
use crate::view::compare::{self, Presence};
use crate::view::export;

/// The diff table's columns, as the page's Compare table shows them.
const DIFF_HEADERS: [&str; 13] = [
    "flat",
    "flat%",
    "sum%",
    "cum",
    "cum%",
    "base flat",
    "target flat",
    "flat change",
    "base cum",
    "target cum",
    "cum change",
    "presence",
    "name",
];

/// Numbers right-aligned in Markdown; presence and name left.
const DIFF_RIGHT_ALIGNED: [bool; 13] = [true, true, true, true, true, true, true, true, true, true, true, false, false];

/// Several loaded profiles merged into one file (`merge_export`): its raw
/// profile.proto bytes, and what the page and the CLI should say about it.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct MergeExport {
    pub bytes: super::U8s,
    pub warnings: Vec<String>,
    pub summary: String,
}

impl Session {
    /// The profiles `ids` merged as pprof merges them (`go tool pprof -proto
    /// a b > merged.pb.gz`), as raw profile.proto bytes. With `pgo`, each
    /// must be a CPU profile Go's PGO takes (view/export.rs `pgo_check`):
    /// a `default.pgo`.
    pub fn merge_export(&mut self, ids: &[u32], pgo: bool) -> Result<MergeExport> {
        if ids.is_empty() {
            return Err(err("merge: no profile given"));
        }
        let mut warnings = Vec::new();
        if pgo {
            for &id in ids {
                warnings.extend(export::pgo_check(self.profile(id)?, self.name(id)?).map_err(err)?);
            }
        }
        let p = self.merged(ids, false)?;
        let totals: Vec<String> = p
            .totals()
            .iter()
            .enumerate()
            .map(|(i, t)| format!("{}/{} {t}", p.sample_type_name(i), p.sample_type_unit(i)))
            .collect();
        let summary =
            format!("{} profiles merged: {} samples; totals {}", ids.len(), p.samples.len(), totals.join(", "));
        Ok(MergeExport { bytes: super::U8s(crate::proto::encode(&p)), warnings, summary })
    }

    /// The top table of `ids` and `o` (sorted as `o.cum` says) as `csv` or
    /// `markdown` (view/export.rs), cells as pprof prints them.
    pub fn top_export(&mut self, ids: &[u32], o: &Options, format: &str) -> Result<String> {
        let p = self.prepare(ids, o)?;
        p.top(o.cum);
        let t = p.top[o.cum as usize].as_ref().unwrap();
        export::top_table(&p.rpt, t, format).map_err(err)
    }

    /// The diff top table of a comparison as `csv` or `markdown`, cells as the page shows them.
    pub fn compare_export(&mut self, base: u32, target: u32, mode: &str, o: &Options, format: &str) -> Result<String> {
        let (c, _) = self.compare_sorted(base, target, mode, o)?;
        let (d, rpt) = (c.top[o.cum as usize].as_ref().unwrap(), &c.rpt);
        let mut sum = 0i64;
        let rows: Vec<Vec<String>> = d
            .rows
            .iter()
            .map(|r| {
                sum = sum.wrapping_add(r.flat);
                let mut row = export::value_cells(rpt, r.flat, sum, r.cum);
                row.extend([
                    rpt.format_value(r.base_flat),
                    rpt.format_value(r.target_flat),
                    compare::change_text(r.base_flat, r.flat),
                    rpt.format_value(r.base_cum),
                    rpt.format_value(r.target_cum),
                    compare::change_text(r.base_cum, r.cum),
                    match r.presence {
                        Presence::Both => "",
                        Presence::New => "new",
                        Presence::Gone => "gone",
                    }
                    .to_string(),
                    export::row_name(&r.name, r.inline_label),
                ]);
                row
            })
            .collect();
        match format {
            "csv" => Ok(export::csv(&DIFF_HEADERS, &rows)),
            "markdown" => Ok(export::markdown(&DIFF_HEADERS, &rows, &DIFF_RIGHT_ALIGNED)),
            f => Err(err(format!("unknown export format {f:?} (csv or markdown)"))),
        }
    }

    /// The profile the views of `ids` and `o` are computed from (after the
    /// sample index and the filters, before the granularity) as pprof
    /// protobuf bytes (view/export.rs `filtered_profile`).
    pub fn export_pprof(&mut self, ids: &[u32], o: &Options) -> Result<Vec<u8>> {
        self.prepare(ids, o)?;
        let src = &self.source.as_ref().unwrap().1;
        let p = export::filtered_profile(src, o).map_err(err)?;
        Ok(crate::proto::encode(&p))
    }

    /// The diff profile of a comparison (as `compare_top` makes it: target
    /// minus base in the comparison's mode), filtered as `o` says, as pprof
    /// protobuf bytes; `go tool pprof` reads the base's samples by their
    /// `pprof::base` label, as for its own -diff_base.
    pub fn compare_export_pprof(&mut self, base: u32, target: u32, mode: &str, o: &Options) -> Result<Vec<u8>> {
        let c = self.compare_prepare(base, target, mode, o)?;
        let (m, o) = (c.mode, c.options.clone());
        let t = self.timed(&[base, target])?;
        let diff = compare::diff_profile(&t.profiles[0], &t.profiles[1], m).map_err(err)?;
        let p = export::filtered_profile(&diff, &o).map_err(err)?;
        Ok(crate::proto::encode(&p))
    }

    /// Loaded profile `id` redacted as `o` says (transform/redact.rs), as
    /// pprof protobuf bytes: what a saved report holds instead of the file.
    pub fn redacted(&self, id: u32, o: &RedactOptions) -> Result<Vec<u8>> {
        let p = redact(self.profile(id)?, o).map_err(err)?;
        Ok(crate::proto::encode(&p))
    }

    /// What a profile redacted with `o` still holds, for the save dialog.
    pub fn redaction_kept(&self, o: &RedactOptions) -> Vec<&'static str> {
        o.kept()
    }
}
