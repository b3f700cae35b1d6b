//! bytes -> [`Profile`]. Format is sniffed from content, never from a file
//! name: gzip by its magic bytes, then the pprof protobuf or one of the text
//! formats. Each decoder answers "not my format" or "my format, broken at
//! byte/line N because ...".

pub mod goroutine_header;
pub mod gzip;
pub mod legacy;
pub mod legacy_contention;
pub mod legacy_count;
pub mod legacy_cpu;
pub mod legacy_heap;
pub mod legacy_java;
pub mod legacy_thread;
pub mod lines;
pub mod pprof;
pub mod sniff;
pub mod traceback;

use crate::model::Profile;
use std::fmt;

/// Where decoding failed, in pprof's words.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    Decompressing,
    Parsing,
    Malformed,
    /// Recognised as something other than a profile (a Go execution trace):
    /// the message says what it is, with no stage prefix.
    NotAProfile,
}

impl Stage {
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Decompressing => "decompressing",
            Stage::Parsing => "parsing",
            Stage::Malformed => "malformed",
            Stage::NotAProfile => "not a profile",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Position {
    /// Byte offset into the (decompressed) input.
    Byte(u64),
    /// 1-based line number of a text input.
    Line(u64),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecodeError {
    pub stage: Stage,
    pub position: Option<Position>,
    pub message: String,
}

impl DecodeError {
    pub fn new(stage: Stage, message: impl Into<String>) -> Self {
        DecodeError { stage, position: None, message: message.into() }
    }
    pub fn at_byte(stage: Stage, offset: usize, message: impl Into<String>) -> Self {
        DecodeError { stage, position: Some(Position::Byte(offset as u64)), message: message.into() }
    }
    pub fn at_line(stage: Stage, line: usize, message: impl Into<String>) -> Self {
        DecodeError { stage, position: Some(Position::Line(line as u64)), message: message.into() }
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // "parsing profile: <why> (at byte 123)" — pprof's stage prefix, then where.
        let stage = match self.stage {
            Stage::NotAProfile => return f.write_str(&self.message),
            Stage::Malformed => "malformed profile",
            Stage::Decompressing => "decompressing profile",
            Stage::Parsing => "parsing profile",
        };
        write!(f, "{stage}: {}", self.message)?;
        match self.position {
            Some(Position::Byte(b)) => write!(f, " (at byte {b})"),
            Some(Position::Line(l)) => write!(f, " (at line {l})"),
            None => Ok(()),
        }
    }
}

impl std::error::Error for DecodeError {}

/// Resource limits for one decode. Every limit names itself in its error so
/// the user knows what to raise.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Largest decompressed size accepted (the gzip-bomb cap).
    pub max_inflated_bytes: u64,
    /// Most samples one profile may hold.
    pub max_samples: u64,
    /// Deepest stack accepted, in locations.
    pub max_stack_depth: u64,
    /// Most bytes the string table may hold.
    pub max_string_bytes: u64,
    /// Most entries any one table (strings, functions, locations, mappings) may hold.
    pub max_table_entries: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_inflated_bytes: 2 << 30,
            max_samples: 20_000_000,
            max_stack_depth: 1 << 20,
            max_string_bytes: 1 << 30,
            max_table_entries: 8_000_000,
        }
    }
}

/// Decode one input of any supported kind.
pub fn decode(data: &[u8], limits: &Limits) -> Result<Profile, DecodeError> {
    let inflated;
    let data = if gzip::is_gzip(data) {
        inflated = inflate_profile(data, limits)?;
        &inflated[..]
    } else {
        data
    };
    decode_uncompressed(data, limits)
}

/// Inflates a gzipped input, checking as it goes that the output can be a
/// profile: a protobuf whose top-level fields are sound, or text. A gzip bomb
/// of zeros is refused after its first megabyte instead of at the cap.
pub fn inflate_profile(data: &[u8], limits: &Limits) -> Result<Vec<u8>, DecodeError> {
    let mut text: Option<bool> = None;
    let (mut pos, mut samples) = (0usize, 0u64);
    gzip::inflate_checked(data, limits.max_inflated_bytes, &mut |out| {
        let is_text = *text.get_or_insert_with(|| sniff::looks_like_text(out));
        if is_text {
            return Ok(());
        }
        pprof::check_prefix(out, &mut pos, &mut samples, limits)
    })
}

/// Decode input that is already decompressed.
pub fn decode_uncompressed(data: &[u8], limits: &Limits) -> Result<Profile, DecodeError> {
    if data.is_empty() {
        return Err(DecodeError::new(Stage::Parsing, "empty input file"));
    }
    if sniff::is_go_trace(data) {
        return Err(DecodeError::new(
            Stage::NotAProfile,
            "this is a Go execution trace (go tool trace), not a profile; profdrop does not read traces yet",
        ));
    }
    if let Some(p) = sniff::decode_text(data, limits)? {
        return Ok(p);
    }
    match pprof::decode(data, limits) {
        Ok(p) => Ok(p),
        Err(e) => {
            // A protobuf decode of something that is clearly not a protobuf
            // gives a useless wire-level message: say what the input looks like.
            if e.stage == Stage::Parsing {
                if let Some(what) = sniff::describe_foreign(data) {
                    return Err(DecodeError::new(Stage::Parsing, what));
                }
            }
            Err(e)
        }
    }
}
