//! What kind of profile this is (heap, goroutine, CPU, ...), from its sample
//! types, period type and default sample type — never from a file name.

use super::{Profile, SourceFormat};

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ProfileKind {
    Heap,
    Allocs,
    Goroutine,
    Cpu,
    Block,
    Mutex,
    Threadcreate,
    Other,
}

impl ProfileKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ProfileKind::Heap => "heap",
            ProfileKind::Allocs => "allocs",
            ProfileKind::Goroutine => "goroutine",
            ProfileKind::Cpu => "cpu",
            ProfileKind::Block => "block",
            ProfileKind::Mutex => "mutex",
            ProfileKind::Threadcreate => "threadcreate",
            ProfileKind::Other => "other",
        }
    }

    /// Whether two kinds hold the same quantity and can be compared. Heap and
    /// allocs are the same Go profile viewed with another default.
    pub fn comparable_with(self, other: ProfileKind) -> bool {
        let norm = |k| if k == ProfileKind::Allocs { ProfileKind::Heap } else { k };
        norm(self) == norm(other)
    }
}

fn has_type(p: &Profile, name: &str) -> bool {
    (0..p.num_types()).any(|i| p.sample_type_name(i) == name)
}

/// Classifies a profile by what it measures.
pub fn classify(p: &Profile) -> ProfileKind {
    if matches!(p.source_format, SourceFormat::GoroutineDebug1 | SourceFormat::GoroutineDebug2)
        || has_type(p, "goroutine")
        || has_type(p, "goroutineleak")
    {
        return ProfileKind::Goroutine;
    }
    if has_type(p, "threadcreate") {
        return ProfileKind::Threadcreate;
    }
    if has_type(p, "inuse_space") || has_type(p, "alloc_space") {
        let dflt = p.str(p.default_sample_type);
        return if dflt.starts_with("alloc_") || !has_type(p, "inuse_space") {
            ProfileKind::Allocs
        } else {
            ProfileKind::Heap
        };
    }
    if has_type(p, "cpu") || p.str(p.period_type.r#type) == "cpu" {
        return ProfileKind::Cpu;
    }
    if has_type(p, "contentions") && has_type(p, "delay") {
        return if is_mutex_like(p) { ProfileKind::Mutex } else { ProfileKind::Block };
    }
    ProfileKind::Other
}

/// A `goroutineleak` profile (Go 1.26+: `/debug/pprof/goroutineleak`): only
/// the goroutines the runtime proved leaked. Binary and debug=1 forms name
/// their sample type `goroutineleak`; the debug=2 form is a traceback whose
/// every goroutine is `(leaked)`.
pub fn is_goroutine_leak(p: &Profile) -> bool {
    if has_type(p, "goroutineleak") {
        return true;
    }
    match &p.goroutines {
        Some(t) if p.source_format == SourceFormat::GoroutineDebug2 => {
            !t.goroutines.is_empty() && t.goroutines.iter().all(|g| g.leaked)
        }
        _ => false,
    }
}

/// Go's block and mutex profiles share their sample types. The mutex profile
/// records contention where the lock is released, so its leaf frames are
/// Unlock calls; the block profile's leaves are where goroutines waited.
fn is_mutex_like(p: &Profile) -> bool {
    let (mut unlock, mut total) = (0usize, 0usize);
    for (_, frames) in p.stacks.iter() {
        let Some(&leaf) = frames.first() else { continue };
        let Some(line) = p.location(leaf).lines.first() else { continue };
        total += 1;
        let name = p.str(p.function(line.function).name);
        if name.ends_with("Unlock") || name.ends_with(".unlock") || name == "runtime.unlock" {
            unlock += 1;
        }
    }
    total > 0 && unlock * 2 >= total
}
