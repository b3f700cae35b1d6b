//! The layering `lib.rs` describes, checked: a module of the crate imports
//! only modules listed before it, so `transform` never reaches into `report`
//! or `view`, and nothing below the front ends knows about them.

use std::path::Path;

/// Bottom to top. A module may use `crate::X` only for an X before it here.
const LAYERS: &[&str] =
    &["util", "model", "proto", "decode", "transform", "load", "report", "view", "session", "cli", "wasm"];

fn sources(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            sources(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

#[test]
fn every_module_imports_only_the_layers_below_it() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    let mut bad = Vec::new();
    let mut seen = 0;
    for f in &files {
        let rel = f.strip_prefix(&src).unwrap().to_string_lossy().replace('\\', "/");
        let top = rel.split('/').next().unwrap().trim_end_matches(".rs");
        let Some(level) = LAYERS.iter().position(|l| *l == top) else { continue };
        seen += 1;
        let text = std::fs::read_to_string(f).unwrap();
        for (n, line) in text.lines().enumerate() {
            for (i, _) in line.match_indices("crate::") {
                let name: String =
                    line[i + 7..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
                match LAYERS.iter().position(|l| *l == name) {
                    Some(l) if l > level => bad.push(format!("src/{rel}:{}: {top} uses crate::{name}", n + 1)),
                    _ => {}
                }
            }
        }
    }
    assert!(seen > 50, "the walk found the crate's sources ({seen} files)");
    assert!(bad.is_empty(), "imports against the layering:\n{}", bad.join("\n"));
}
