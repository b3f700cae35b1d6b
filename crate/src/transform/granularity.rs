//! Granularity (pprof's `Aggregate`): what makes two frames "the same node".

use crate::model::*;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Granularity {
    #[default]
    Functions,
    Filefunctions,
    Files,
    Lines,
    Addresses,
}

impl Granularity {
    pub fn parse(s: &str) -> Option<Granularity> {
        Some(match s {
            "functions" => Granularity::Functions,
            "filefunctions" => Granularity::Filefunctions,
            "files" => Granularity::Files,
            "lines" => Granularity::Lines,
            "addresses" => Granularity::Addresses,
            _ => return None,
        })
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Granularity::Functions => "functions",
            Granularity::Filefunctions => "filefunctions",
            Granularity::Files => "files",
            Granularity::Lines => "lines",
            Granularity::Addresses => "addresses",
        }
    }
}

/// Clears what the granularity ignores: function names, file names, line
/// numbers, addresses, and (with `noinlines`) inlined frames. Locations are
/// not merged; views key nodes by what remains, as pprof does.
pub fn aggregate(p: &Profile, g: Granularity, noinlines: bool) -> Profile {
    let inline = !noinlines;
    let (function, filename, linenumber, address) = match g {
        Granularity::Addresses if inline => return p.clone(),
        Granularity::Addresses => (true, true, true, true),
        Granularity::Lines => (true, true, true, false),
        Granularity::Files => (false, true, false, false),
        Granularity::Functions => (true, false, false, false),
        Granularity::Filefunctions => (true, true, false, false),
    };
    let mut out = p.clone();
    for m in &mut out.mappings {
        m.has_inline_frames &= inline;
        m.has_functions &= function;
        m.has_filenames &= filename;
        m.has_line_numbers &= linenumber;
    }
    if !function || !filename {
        for f in &mut out.functions {
            if !function {
                f.name = StrId(0);
                f.system_name = StrId(0);
            }
            if !filename {
                f.filename = StrId(0);
            }
        }
    }
    if !inline || !address || !linenumber {
        for l in &mut out.locations {
            if !inline && l.lines.len() > 1 {
                let last = *l.lines.last().unwrap();
                l.lines = vec![last];
            }
            if !linenumber {
                for line in &mut l.lines {
                    line.line = 0;
                }
            }
            if !address {
                l.address = 0;
            }
        }
    }
    out
}
