//! Loading files: in one call (`load`) or in steps the page reports
//! (`begin_load` or `begin_load_sized`, `inflate`, `finish_load`); what the
//! page lists for a file (`Summary`), its details, removal, and the file
//! dates that stand in for a text dump's missing time in comparisons.

use super::{err, Loaded, Result, Session};
use crate::decode::{self, Limits};
use crate::load::{self, Input};
use crate::model::Profile;
use crate::util::{timefmt, units};
use crate::view::details::{self, kind_text, profile_kind, Details};

/// A file between `begin_load` and `finish_load`.
pub(super) struct Pending {
    name: String,
    size: usize,
    bytes: Vec<u8>,
}

/// What the page lists for a loaded file.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Summary {
    /// The handle every other call names the profile by.
    pub id: u32,
    pub name: String,
    pub kind: &'static str,
    /// The kind as shown ("goroutine leaks (proven by the runtime)" for a goroutineleak profile).
    pub kind_text: &'static str,
    pub format: &'static str,
    /// (name, unit) of each sample type.
    pub sample_types: Vec<(String, String)>,
    pub default_sample_index: usize,
    pub samples: usize,
    pub time_nanos: f64,
    pub time_text: String,
    pub duration_nanos: f64,
    pub duration_text: String,
    pub size: usize,
    pub size_text: String,
    pub warnings: Vec<String>,
    /// What the pasted-text reader repaired, and the lines it could not place.
    pub repairs: Vec<String>,
}

/// A file's date, recorded as the time of a profile that has none.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct FileTime {
    pub file_time_nanos: f64,
    pub file_time_text: String,
}

impl Session {
    /// Decodes one file in one call; returns its summary (with the handle `id`).
    pub fn load(&mut self, name: &str, bytes: &[u8]) -> Result<Summary> {
        let p = load::decode_named(&Input { name, data: bytes }, &self.limits).map_err(err)?;
        Ok(self.add(name, bytes.len(), p))
    }

    /// Step 1 of a load: takes the file's bytes; returns a pending handle.
    pub fn begin_load(&mut self, name: &str, bytes: Vec<u8>) -> u32 {
        self.pending.push(Some(Pending { name: name.to_string(), size: bytes.len(), bytes }));
        (self.pending.len() - 1) as u32
    }

    /// Step 1 of a load, without a copy: room for a file of `size` bytes,
    /// which the caller fills through `pending_bytes`.
    pub fn begin_load_sized(&mut self, name: &str, size: usize) -> Result<u32> {
        let cap = self.limits.max_inflated_bytes;
        if size as u64 > cap {
            return Err(err(format!(
                "reading: the file ({}) is larger than the {} cap on profile size",
                units::label(size as i64, "bytes"),
                decode::gzip::human_bytes(cap)
            )));
        }
        Ok(self.begin_load(name, vec![0; size]))
    }

    /// The buffer of a pending load, to read the file into.
    pub fn pending_bytes(&mut self, pending: u32) -> Result<&mut [u8]> {
        match self.pending.get_mut(pending as usize) {
            Some(Some(p)) => Ok(&mut p.bytes),
            _ => Err(err("no pending load")),
        }
    }

    /// Forgets a pending load (reading the file failed).
    pub fn cancel_load(&mut self, pending: u32) {
        if let Some(slot) = self.pending.get_mut(pending as usize) {
            *slot = None;
        }
    }

    /// Step 2: inflates gzip input (detected by its magic bytes), bounded by
    /// the cap and with the CLI's early check that the output can be a profile
    /// (a bomb stops after its first megabyte). A failed inflate forgets the
    /// pending load.
    pub fn inflate(&mut self, pending: u32) -> Result<()> {
        let slot = self.pending.get_mut(pending as usize).ok_or_else(|| err("no pending load"))?;
        let Some(p) = slot.as_mut() else { return Err(err("no pending load")) };
        if decode::gzip::is_gzip(&p.bytes) {
            match decode::inflate_profile(&p.bytes, &self.limits) {
                Ok(raw) => p.bytes = raw,
                Err(e) => {
                    *slot = None;
                    return Err(err(e));
                }
            }
        }
        Ok(())
    }

    /// Step 3: decodes the (inflated) bytes; returns the summary.
    pub fn finish_load(&mut self, pending: u32) -> Result<Summary> {
        let p = self.pending.get_mut(pending as usize).and_then(|s| s.take()).ok_or_else(|| err("no pending load"))?;
        #[cfg(feature = "test-trap")]
        super::testhooks::on_load(&p.name)?;
        let prof = decode::decode_uncompressed(&p.bytes, &self.limits).map_err(err)?;
        drop(p.bytes);
        Ok(self.add(&p.name, p.size, prof))
    }

    /// Adds a decoded profile (what a load ends with; also for profiles made natively).
    pub fn add(&mut self, name: &str, size: usize, mut p: Profile) -> Summary {
        // Names as pprof shows them (demangled, simplified) from the start,
        // so every view agrees: comparisons, goroutines and findings too.
        crate::transform::demangle::apply(&mut p, Default::default());
        let id = self.loaded.len() as u32;
        let summary = summary(id, name, size, &p);
        self.loaded.push(Some(Loaded { name: name.to_string(), size, profile: p }));
        summary
    }

    /// The summary of loaded profile `id` (as its load returned it).
    pub fn summary(&self, id: u32) -> Result<Summary> {
        let l = self.entry(id)?;
        Ok(summary(id, &l.name, l.size, &l.profile))
    }

    /// Forgets a loaded profile (and anything computed from it). Unknown ids are ignored.
    pub fn remove(&mut self, id: u32) {
        if let Some(slot) = self.loaded.get_mut(id as usize) {
            *slot = None;
        }
        if self.source.as_ref().is_some_and(|(ids, _)| ids.contains(&id)) {
            self.source = None;
            self.prepared.clear();
        }
        self.file_times.remove(&id);
        if self.comparison.as_ref().is_some_and(|c| c.base == id || c.target == id) {
            self.comparison = None;
        }
    }

    /// The details panel: metadata, mappings, label keys, MemStats.
    pub fn details(&self, id: u32) -> Result<Details> {
        Ok(details::details(self.profile(id)?))
    }

    /// Records the date of the file profile `id` came from (milliseconds
    /// since the epoch, as `File.lastModified`), used as its time by
    /// comparisons when it has none of its own. `None` when the profile has
    /// its own time (or the date is not a date).
    pub fn set_file_time(&mut self, id: u32, millis: f64) -> Result<Option<FileTime>> {
        let p = self.profile(id)?;
        if p.time_nanos != 0 || millis.is_nan() || millis <= 0.0 {
            return Ok(None);
        }
        let nanos = (millis * 1e6) as i64;
        self.file_times.insert(id, nanos);
        Ok(Some(FileTime { file_time_nanos: nanos as f64, file_time_text: timefmt::format_profile_time_utc(nanos) }))
    }

    pub fn limits(&self) -> &Limits {
        &self.limits
    }
}

fn summary(id: u32, name: &str, size: usize, p: &Profile) -> Summary {
    Summary {
        id,
        name: name.to_string(),
        kind: profile_kind(p),
        kind_text: kind_text(p),
        format: details::format_label(p.source_format),
        sample_types: (0..p.num_types())
            .map(|i| (p.sample_type_name(i).to_string(), p.sample_type_unit(i).to_string()))
            .collect(),
        default_sample_index: crate::transform::sample_index(p, "").unwrap_or(0),
        samples: p.samples.len(),
        time_nanos: p.time_nanos as f64,
        time_text: details::time_text(p),
        duration_nanos: p.duration_nanos as f64,
        duration_text: details::duration_text(p),
        size,
        size_text: units::label(size as i64, "bytes"),
        warnings: p.warnings.clone(),
        repairs: p.repairs.clone(),
    }
}
