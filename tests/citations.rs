//! The repository is self-contained: every Markdown document that a tracked file names
//! (`docs/model.md`, `results/validation.md`, ...) exists in the repository, and nothing points
//! outside it (`../`). Names are resolved from the repository root or the citing file's folder.

use std::fs;
use std::path::{Path, PathBuf};

fn files(dir: &Path, root: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let rel = path
            .strip_prefix(root)
            .unwrap()
            .to_string_lossy()
            .to_string();
        let skip = ["target", ".git", "results/runs", "vendor"];
        if skip.iter().any(|s| rel == *s) {
            continue;
        }
        if path.is_dir() {
            files(&path, root, out);
        } else {
            out.push(path);
        }
    }
}

/// Tokens like `docs/model.md` or `validation.md` in a text.
fn cited_docs(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let bytes: Vec<char> = text.chars().collect();
    let is_path = |c: char| c.is_ascii_alphanumeric() || "_./-".contains(c);
    let mut i = 0;
    while i < bytes.len() {
        if is_path(bytes[i]) {
            let start = i;
            while i < bytes.len() && is_path(bytes[i]) {
                i += 1;
            }
            let tok: String = bytes[start..i].iter().collect();
            let tok = tok.trim_end_matches('.');
            if tok.ends_with(".md") && tok.len() > 3 {
                out.push(tok.to_string());
            }
        } else {
            i += 1;
        }
    }
    out
}

#[test]
fn every_cited_document_is_in_the_repository() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut all = Vec::new();
    files(root, root, &mut all);
    let mut missing = Vec::new();
    let mut cited = 0;
    for f in &all {
        let Ok(text) = fs::read_to_string(f) else {
            continue; // binary
        };
        for doc in cited_docs(&text) {
            cited += 1;
            let here = f.parent().unwrap().join(&doc);
            let found = root.join(&doc).is_file()
                || here.is_file()
                || (!doc.contains('/') && all.iter().any(|p| p.ends_with(&doc)));
            if doc.starts_with("../") || !found {
                missing.push(format!(
                    "{}: {doc}",
                    f.strip_prefix(root).unwrap().display()
                ));
            }
        }
    }
    assert!(cited > 50, "the scan found the citations ({cited})");
    assert!(
        missing.is_empty(),
        "cited but not in the repository:\n{}",
        missing.join("\n")
    );
}

#[test]
fn the_scanner_sees_citations() {
    assert_eq!(
        cited_docs(&format!(
            "see docs/model.md section 2, ({}.md) and x.rs.",
            "NOTES"
        )),
        vec!["docs/model.md".to_string(), format!("{}.md", "NOTES")]
    );
}
