//! The source tree is the dependency graph (CONTRIBUTING.md, "Code map"): the crate's top-level
//! modules are layers, each importing only from the layers before it, and inside every folder
//! the sibling modules import each other without cycles.
//!
//! The test reads `src/` as text: every `crate::a::b` path and every `super::x` path outside a
//! comment is an edge from the file's module to the longest module that path names. An edge
//! between a module and one of its ancestors (a child using its parent's items, a parent
//! declaring its children) is not a layering edge and is skipped; every other edge is lifted to
//! the two sibling folders or files under the modules' lowest common ancestor.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// The layers, in dependency order: a layer may import from those before it only.
const LAYERS: [&str; 9] = [
    "base", "scenario", "model", "kernel", "backend", "mc", "output", "tools", "cli",
];

type ModPath = Vec<String>;

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// `src/kernel/physics/glide.rs` -> [kernel, physics, glide]; `mod.rs` and `lib.rs` name their
/// folder.
fn module_of(src: &Path, file: &Path) -> ModPath {
    let rel = file.strip_prefix(src).unwrap();
    let mut parts: ModPath = rel
        .iter()
        .map(|p| p.to_string_lossy().trim_end_matches(".rs").to_string())
        .collect();
    if matches!(parts.last().map(String::as_str), Some("mod") | Some("lib")) {
        parts.pop();
    }
    parts
}

fn idents(s: &str) -> Vec<String> {
    // "a::b::{c, d}" -> [a, b] (braces handled by the caller).
    let mut out = Vec::new();
    for seg in s.split("::") {
        let id: String = seg
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        if id.is_empty() || id.len() != seg.len() && !seg.starts_with(&id) {
            break;
        }
        out.push(id.clone());
        if id.len() != seg.len() {
            break;
        }
    }
    out
}

/// The longest prefix of `path` that is a module of the crate.
fn resolve(modules: &BTreeSet<ModPath>, path: &[String]) -> ModPath {
    (0..=path.len())
        .rev()
        .map(|n| path[..n].to_vec())
        .find(|p| modules.contains(p))
        .unwrap_or_default()
}

/// Module-to-module edges of one file's text.
fn edges_of(text: &str, me: &ModPath, modules: &BTreeSet<ModPath>) -> BTreeSet<ModPath> {
    let mut out = BTreeSet::new();
    for line in text.lines() {
        let code = line.split("//").next().unwrap();
        for (anchor, base) in [
            ("crate::", Vec::new()),
            ("super::", me[..me.len().saturating_sub(1)].to_vec()),
        ] {
            let mut rest = code;
            while let Some(i) = rest.find(anchor) {
                let preceded = rest[..i].chars().last();
                let after = &rest[i + anchor.len()..];
                rest = after;
                if preceded.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
                    continue; // super::super, a::crate:: ...
                }
                let mut path = base.clone();
                path.extend(idents(after));
                // One level of braces: crate::kernel::{physics, rng}.
                let head_len: usize = idents(after).iter().map(|s| s.len() + 2).sum();
                if after.get(head_len..).is_some_and(|r| r.starts_with('{')) {
                    let inner = &after[head_len + 1..];
                    let inner = &inner[..inner.find('}').unwrap_or(inner.len())];
                    for item in inner.split(',') {
                        let mut p = path.clone();
                        p.extend(idents(item.trim()));
                        out.insert(resolve(modules, &p));
                    }
                } else {
                    out.insert(resolve(modules, &path));
                }
            }
        }
    }
    out
}

fn graph() -> BTreeMap<ModPath, BTreeSet<ModPath>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.retain(|f| f.file_name().unwrap() != "main.rs");
    let modules: BTreeSet<ModPath> = files.iter().map(|f| module_of(&src, f)).collect();
    files
        .iter()
        .map(|f| {
            let me = module_of(&src, f);
            let text = fs::read_to_string(f).unwrap();
            let edges = edges_of(&text, &me, &modules);
            (me, edges)
        })
        .collect()
}

/// The edge lifted to (lowest common ancestor, from-child, to-child), or None when one module
/// is an ancestor of the other.
fn lift(a: &ModPath, b: &ModPath) -> Option<(ModPath, String, String)> {
    let common = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    if common == a.len() || common == b.len() {
        return None;
    }
    Some((a[..common].to_vec(), a[common].clone(), b[common].clone()))
}

#[test]
fn layers_import_only_earlier_layers() {
    let mut bad = Vec::new();
    let mut seen = BTreeSet::new();
    for (from, tos) in graph() {
        for to in tos {
            if let Some((lca, a, b)) = lift(&from, &to) {
                if !lca.is_empty() {
                    continue;
                }
                let rank = |m: &str| {
                    LAYERS
                        .iter()
                        .position(|l| *l == m)
                        .unwrap_or_else(|| panic!("top-level module {m} is not a listed layer"))
                };
                seen.insert(a.clone());
                if rank(&a) < rank(&b) {
                    bad.push(format!("{} imports {}", from.join("::"), to.join("::")));
                }
            }
        }
    }
    assert!(
        bad.is_empty(),
        "imports from a later layer:\n{}",
        bad.join("\n")
    );
    // The test looks at something: the kernel imports the model, the CLI every layer.
    assert!(seen.contains("kernel") && seen.contains("cli"));
}

#[test]
fn no_import_cycles_inside_any_folder() {
    let mut sibling: BTreeMap<ModPath, BTreeMap<String, BTreeSet<String>>> = BTreeMap::new();
    for (from, tos) in graph() {
        for to in tos {
            if let Some((lca, a, b)) = lift(&from, &to) {
                sibling
                    .entry(lca)
                    .or_default()
                    .entry(a)
                    .or_default()
                    .insert(b);
            }
        }
    }
    let mut cycles = Vec::new();
    for (folder, g) in &sibling {
        // Depth-first search with colours; report the first back edge's cycle.
        fn visit(
            n: &str,
            g: &BTreeMap<String, BTreeSet<String>>,
            state: &mut BTreeMap<String, u8>,
            stack: &mut Vec<String>,
        ) -> Option<Vec<String>> {
            state.insert(n.to_string(), 1);
            stack.push(n.to_string());
            for m in g.get(n).into_iter().flatten() {
                match state.get(m.as_str()).copied().unwrap_or(0) {
                    1 => {
                        let i = stack.iter().position(|s| s == m).unwrap();
                        let mut c = stack[i..].to_vec();
                        c.push(m.clone());
                        return Some(c);
                    }
                    0 => {
                        if let Some(c) = visit(m, g, state, stack) {
                            return Some(c);
                        }
                    }
                    _ => {}
                }
            }
            stack.pop();
            state.insert(n.to_string(), 2);
            None
        }
        let mut state = BTreeMap::new();
        for n in g.keys() {
            if state.get(n.as_str()).copied().unwrap_or(0) == 0 {
                if let Some(c) = visit(n, g, &mut state, &mut Vec::new()) {
                    cycles.push(format!("in {}/: {}", folder.join("/"), c.join(" -> ")));
                    break; // one cycle per folder is enough to report
                }
            }
        }
    }
    assert!(cycles.is_empty(), "import cycles:\n{}", cycles.join("\n"));
}

/// The parser itself, on a hand-made file: a sibling cycle and a layering edge are found.
#[test]
fn the_scanner_finds_edges() {
    let modules: BTreeSet<ModPath> = [
        vec![],
        vec!["kernel".to_string()],
        vec!["kernel".into(), "physics".into()],
        vec!["kernel".into(), "physics".into(), "glide".into()],
        vec!["kernel".into(), "physics".into(), "dynamics".into()],
        vec!["model".into()],
        vec!["model".into(), "types".into()],
    ]
    .into_iter()
    .collect();
    let me: ModPath = vec!["kernel".into(), "physics".into(), "glide".into()];
    let text = "use super::dynamics::{Aero, State};\nuse crate::model::{types, batch};\n// use crate::cli;\nfn f() { crate::kernel::physics::x(); }";
    let e = edges_of(text, &me, &modules);
    assert!(e.contains(&vec!["kernel".into(), "physics".into(), "dynamics".into()]));
    assert!(e.contains(&vec!["model".into(), "types".into()]));
    assert!(
        e.contains(&vec!["model".into()]),
        "batch is not a module here: model itself"
    );
    assert!(e.contains(&vec!["kernel".into(), "physics".into()]));
    assert!(
        !e.iter().any(|m| m.first().is_some_and(|s| s == "cli")),
        "comments are skipped"
    );
    assert_eq!(
        lift(
            &me,
            &vec!["kernel".into(), "physics".into(), "dynamics".into()]
        ),
        Some((
            vec!["kernel".into(), "physics".into()],
            "glide".into(),
            "dynamics".into()
        ))
    );
    assert_eq!(lift(&me, &vec!["kernel".into()]), None);
}
