//! The pipeline's layers, written once: a top-level module may import only modules of the
//! layers above its own. Siblings in one layer (`site`, `search`, `checklist`: each turns a
//! project into output files) never import each other. ARCHITECTURE.md shows this list.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

const LAYERS: &[&[&str]] = &[
    &["diag", "timing", "desktop"],
    &["source", "slug", "safe_url", "yaml_depth"],
    &["config"],
    &["lens"],
    &["content"],
    &["graph"],
    &["history"],
    &["project"],
    &["render"],
    &["aws"],
    &["site", "search", "checklist"],
    &["build"],
    &["init", "serve"],
    &["cli"],
];

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|l| l.contains(&module))
}

/// Source text without comments, so docs may mention any module.
fn code_of(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    text.lines()
        .map(|l| match l.find("//") {
            Some(i) => &l[..i],
            None => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The crate's modules each top-level module names: `crate::x` paths and `crate::{x, y}` groups.
fn imports(code: &str) -> BTreeSet<String> {
    let path = regex::Regex::new(r"crate::([a-z_][a-z0-9_]*)").unwrap();
    let group = regex::Regex::new(r"crate::\{([^}]*)\}").unwrap();
    let mut out: BTreeSet<String> = path.captures_iter(code).map(|c| c[1].to_string()).collect();
    for g in group.captures_iter(code) {
        for part in g[1].split(',') {
            let name = part.trim().split("::").next().unwrap_or("").trim();
            if !name.is_empty() {
                out.insert(name.to_string());
            }
        }
    }
    out
}

/// Top-level module -> the crate modules its files import.
fn module_graph() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for entry in walkdir::WalkDir::new(&src).into_iter().flatten() {
        let p = entry.path();
        if p.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let rel = p.strip_prefix(&src).unwrap();
        let top = rel
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy();
        let module = top.trim_end_matches(".rs").to_string();
        if module == "lib" || module == "main" {
            continue;
        }
        let mut names = imports(&code_of(p));
        names.remove(&module);
        graph.entry(module).or_default().extend(names);
    }
    graph
}

#[test]
fn every_module_has_a_layer_and_imports_only_layers_above_it() {
    let graph = module_graph();
    assert!(graph.len() >= 15, "found only {:?}", graph.keys());
    let mut problems = Vec::new();
    for (module, deps) in &graph {
        let Some(mine) = layer_of(module) else {
            problems.push(format!("`{module}` has no layer: add it to LAYERS"));
            continue;
        };
        for dep in deps {
            match layer_of(dep) {
                None => problems.push(format!(
                    "`{module}` imports `crate::{dep}`, which has no layer"
                )),
                Some(theirs) if theirs == mine => problems.push(format!(
                    "`{module}` imports its sibling `{dep}`: move what they share down a layer"
                )),
                Some(theirs) if theirs > mine => problems.push(format!(
                    "`{module}` imports `{dep}`, which sits above it: move the shared part down"
                )),
                _ => {}
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn modules_form_no_cycle() {
    let graph = module_graph();
    let mut done = BTreeSet::new();
    for m in graph.keys() {
        if let Some(cycle) = find_cycle(m, &graph, &mut Vec::new(), &mut done) {
            panic!(
                "modules import each other in a cycle: {}",
                cycle.join(" -> ")
            );
        }
    }
}

#[test]
fn the_checker_sees_both_import_forms() {
    let found = imports("use crate::{diag::Diagnostic, graph};\nlet x = crate::site::build();");
    let want: BTreeSet<String> = ["diag", "graph", "site"].map(String::from).into();
    assert_eq!(found, want);
}

/// Inside a module folder, the files (not `mod.rs`) and the sibling files each one names
/// (`super::x`, `crate::<module>::x`), so two files never lean on each other.
fn file_graph() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let sibling =
        regex::Regex::new(r"(?:super|crate::[a-z_][a-z0-9_]*)::([a-z_][a-z0-9_]*)").unwrap();
    let group = regex::Regex::new(r"super::\{([^}]*)\}").unwrap();
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for entry in walkdir::WalkDir::new(&src).into_iter().flatten() {
        let p = entry.path();
        let Some(dir) = p.parent().filter(|d| *d != src) else {
            continue;
        };
        if p.extension().is_none_or(|e| e != "rs") || p.file_name().is_some_and(|n| n == "mod.rs") {
            continue;
        }
        let files: BTreeSet<String> = std::fs::read_dir(dir)
            .unwrap()
            .flatten()
            .filter_map(|e| {
                let n = e.file_name().to_string_lossy().into_owned();
                n.strip_suffix(".rs")
                    .filter(|s| *s != "mod")
                    .map(String::from)
            })
            .collect();
        let me = p.file_stem().unwrap().to_string_lossy().into_owned();
        let module = dir
            .strip_prefix(&src)
            .unwrap()
            .to_string_lossy()
            .replace('/', "::");
        let code = code_of(p);
        let mut names: BTreeSet<String> = sibling
            .captures_iter(&code)
            .map(|c| c[1].to_string())
            .collect();
        for g in group.captures_iter(&code) {
            names.extend(
                g[1].split(',')
                    .map(|s| s.trim().split("::").next().unwrap_or("").to_string()),
            );
        }
        let deps = names
            .into_iter()
            .filter(|n| *n != me && files.contains(n))
            .map(|n| format!("{module}::{n}"))
            .collect::<BTreeSet<_>>();
        graph
            .entry(format!("{module}::{me}"))
            .or_default()
            .extend(deps);
    }
    graph
}

#[test]
fn files_inside_a_module_form_no_cycle() {
    let graph = file_graph();
    assert!(graph.len() > 40, "found only {} files", graph.len());
    let mut done = BTreeSet::new();
    for f in graph.keys() {
        if let Some(cycle) = find_cycle(f, &graph, &mut Vec::new(), &mut done) {
            panic!(
                "files that import each other in a circle (move what they share into one of them, or a third file): {}",
                cycle.join(" -> ")
            );
        }
    }
}

/// Depth-first search; a node met again while still on the stack closes a cycle.
fn find_cycle(
    m: &str,
    graph: &BTreeMap<String, BTreeSet<String>>,
    stack: &mut Vec<String>,
    done: &mut BTreeSet<String>,
) -> Option<Vec<String>> {
    if let Some(i) = stack.iter().position(|s| s == m) {
        let mut cycle = stack[i..].to_vec();
        cycle.push(m.to_string());
        return Some(cycle);
    }
    if done.contains(m) {
        return None;
    }
    stack.push(m.to_string());
    for dep in graph.get(m).into_iter().flatten() {
        if let Some(c) = find_cycle(dep, graph, stack, done) {
            return Some(c);
        }
    }
    stack.pop();
    done.insert(m.to_string());
    None
}
