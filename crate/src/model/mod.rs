//! The one in-memory profile, shaped like profile.proto.
//!
//! Every decoder (pprof protobuf, Go text dumps) produces a [`Profile`]; every
//! transform takes one and returns a new one; every view reads one. Tables are
//! plain vectors indexed by newtype ids, strings are interned once, stacks are
//! deduplicated in a [`StackTable`], and samples are stored as columns.

use std::sync::Arc;

pub mod builder;
pub mod bytes_interner;
pub mod goroutine;
pub mod kind;
mod labels;
pub mod names;
mod stacks;
mod strings;
pub mod waitreason;

pub use builder::ProfileBuilder;
pub use labels::{LabelSet, LabelTable, NumLabel};
pub use stacks::StackTable;
pub use strings::StringTable;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
        #[repr(transparent)]
        pub struct $name(pub u32);
        impl $name {
            #[inline]
            pub fn idx(self) -> usize {
                self.0 as usize
            }
        }
    };
}

id_type!(
    /// Index into [`StringTable`]; `StrId(0)` is always the empty string.
    StrId
);
id_type!(
    /// Index into [`Profile::functions`].
    FuncId
);
id_type!(
    /// Index into [`Profile::locations`].
    LocId
);
id_type!(
    /// Index into [`Profile::mappings`].
    MapId
);
id_type!(
    /// Index into [`StackTable`].
    StackId
);
id_type!(
    /// Index into [`LabelTable`]; `LabelSetId(0)` is the empty label set.
    LabelSetId
);

/// `ValueType` of profile.proto: what a sample value counts, in which unit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct ValueType {
    pub r#type: StrId,
    pub unit: StrId,
}

#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Mapping {
    /// The id the producer gave it (unique, non-zero).
    pub id: u64,
    pub start: u64,
    pub limit: u64,
    pub offset: u64,
    pub file: StrId,
    pub build_id: StrId,
    pub has_functions: bool,
    pub has_filenames: bool,
    pub has_line_numbers: bool,
    pub has_inline_frames: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Line {
    pub function: FuncId,
    pub line: i64,
    pub column: i64,
}

/// A program counter with every function that is active there: `lines[0]` is
/// the innermost (inlined) frame, the last line is the caller it was inlined into.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Location {
    pub id: u64,
    pub mapping: Option<MapId>,
    pub address: u64,
    pub lines: Vec<Line>,
    pub is_folded: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Function {
    pub id: u64,
    pub name: StrId,
    pub system_name: StrId,
    pub filename: StrId,
    pub start_line: i64,
}

/// Samples as columns: sample `i` has stack `stacks[i]`, labels `labels[i]` and
/// values `values[i * n .. (i + 1) * n]` where `n` is the number of sample types.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Samples {
    pub stacks: Vec<StackId>,
    pub labels: Vec<LabelSetId>,
    pub values: Vec<i64>,
}

impl Samples {
    pub fn len(&self) -> usize {
        self.stacks.len()
    }
    pub fn is_empty(&self) -> bool {
        self.stacks.is_empty()
    }
}

/// The format a profile was decoded from: the page shows it, and views that
/// only make sense for some inputs (goroutine tables, MemStats) look at it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceFormat {
    #[default]
    Pprof,
    GoroutineDebug1,
    GoroutineDebug2,
    HeapDebug1,
    ContentionDebug1,
    ThreadcreateDebug1,
    LegacyCpu,
    LegacyHeap,
    LegacyContention,
    LegacyThread,
    LegacyJava,
    /// Made by a transform (merge, diff) rather than decoded.
    Derived,
}

#[derive(Clone, Debug, Default)]
pub struct Profile {
    pub strings: StringTable,
    pub sample_types: Vec<ValueType>,
    /// Shared between a profile and the transforms of it that keep its samples
    /// (granularity, hide...); `Arc::make_mut` copies on the first write.
    pub samples: Arc<Samples>,
    pub stacks: Arc<StackTable>,
    pub label_sets: Arc<LabelTable>,
    pub mappings: Vec<Mapping>,
    pub locations: Vec<Location>,
    pub functions: Vec<Function>,
    pub drop_frames: StrId,
    pub keep_frames: StrId,
    pub time_nanos: i64,
    pub duration_nanos: i64,
    pub period_type: ValueType,
    pub period: i64,
    pub comments: Vec<StrId>,
    pub default_sample_type: StrId,
    pub doc_url: StrId,
    /// What the input was; not part of profile.proto.
    pub source_format: SourceFormat,
    /// Per-goroutine records of a debug=2 / traceback dump (not in profile.proto).
    pub goroutines: Option<goroutine::GoroutineTable>,
    /// The `# runtime.MemStats` block of heap/allocs debug=1 text, in file order.
    pub memstats: Vec<(String, String)>,
    /// Problems a lenient decoder skipped over ("line 12: bad count"), for the page to show.
    pub warnings: Vec<String>,
}

impl Profile {
    #[inline]
    pub fn str(&self, id: StrId) -> &str {
        self.strings.get(id)
    }

    pub fn num_types(&self) -> usize {
        self.sample_types.len()
    }

    /// The values of sample `i`.
    #[inline]
    pub fn sample_values(&self, i: usize) -> &[i64] {
        let n = self.sample_types.len();
        &self.samples.values[i * n..(i + 1) * n]
    }

    /// The locations of sample `i`, leaf first.
    #[inline]
    pub fn sample_stack(&self, i: usize) -> &[LocId] {
        self.stacks.get(self.samples.stacks[i])
    }

    pub fn location(&self, id: LocId) -> &Location {
        &self.locations[id.idx()]
    }

    pub fn function(&self, id: FuncId) -> &Function {
        &self.functions[id.idx()]
    }

    pub fn sample_type_name(&self, i: usize) -> &str {
        self.str(self.sample_types[i].r#type)
    }

    pub fn sample_type_unit(&self, i: usize) -> &str {
        self.str(self.sample_types[i].unit)
    }

    /// The main binary's mapping file, as pprof shows it in `File:`.
    pub fn main_mapping(&self) -> Option<&Mapping> {
        self.mappings.first()
    }

    /// Appends one sample. `values.len()` must equal the number of sample types.
    pub fn push_sample(&mut self, stack: StackId, labels: LabelSetId, values: &[i64]) {
        debug_assert_eq!(values.len(), self.sample_types.len());
        let s = Arc::make_mut(&mut self.samples);
        s.stacks.push(stack);
        s.labels.push(labels);
        s.values.extend_from_slice(values);
    }

    /// The labels of sample `i`.
    pub fn sample_labels(&self, i: usize) -> &LabelSet {
        self.label_sets.get(self.samples.labels[i])
    }

    /// A copy of the header (everything except samples), sharing no ids with
    /// the samples so a transform can refill them.
    pub fn clone_without_samples(&self) -> Profile {
        Profile {
            strings: self.strings.clone(),
            sample_types: self.sample_types.clone(),
            samples: Arc::default(),
            stacks: Arc::default(),
            label_sets: Arc::default(),
            mappings: self.mappings.clone(),
            locations: self.locations.clone(),
            functions: self.functions.clone(),
            drop_frames: self.drop_frames,
            keep_frames: self.keep_frames,
            time_nanos: self.time_nanos,
            duration_nanos: self.duration_nanos,
            period_type: self.period_type,
            period: self.period,
            comments: self.comments.clone(),
            default_sample_type: self.default_sample_type,
            doc_url: self.doc_url,
            source_format: self.source_format,
            goroutines: None,
            memstats: self.memstats.clone(),
            warnings: self.warnings.clone(),
        }
    }

    /// A copy with the same stacks, label sets and goroutines, only the sample
    /// rows left empty: for transforms that rewrite values, not stacks.
    pub fn clone_without_sample_rows(&self) -> Profile {
        Profile {
            stacks: self.stacks.clone(),
            label_sets: self.label_sets.clone(),
            goroutines: self.goroutines.clone(),
            ..self.clone_without_samples()
        }
    }

    /// Sum of each sample type over all samples (wrapping, as Go's int64 does).
    pub fn totals(&self) -> Vec<i64> {
        let n = self.num_types();
        let mut t = vec![0i64; n];
        if n == 0 {
            return t;
        }
        for row in self.samples.values.chunks_exact(n) {
            for (a, v) in t.iter_mut().zip(row) {
                *a = a.wrapping_add(*v);
            }
        }
        t
    }
}
