//! `wa-docs search`: query the project's search index, building it first when it is missing or
//! older than the sources. The index lives in a cache folder of the project
//! ([`INDEX_DIR`]), not in the site: a build writes only what a browser fetches.

use std::fmt::Write as _;
use std::path::Path;

use super::{Failure, Outcome, print_bytes};
use crate::diag::Diagnostic;
use crate::search::query::{INDEX_DIR, built_at, search};

/// Newest modification time among the project's sources.
fn newest_source(root: &Path, config: &crate::config::Config) -> Option<std::time::SystemTime> {
    let mut newest = None;
    for path in config.source_paths() {
        for e in walkdir::WalkDir::new(root.join(path)).into_iter().flatten() {
            if let Some(t) = e.metadata().ok().and_then(|m| m.modified().ok()) {
                newest = Some(newest.map_or(t, |n: std::time::SystemTime| n.max(t)));
            }
        }
    }
    newest
}

pub fn run(root: &Path, limit: usize, as_json: bool, query: &str, color: bool) -> Outcome {
    let config = crate::config::Config::load(root)?;
    // Results name the pages where `wa-docs build` puts them.
    let dest = root.join(&config.build.build_dir);
    let index = root.join(INDEX_DIR);
    let stale = match (built_at(&index), newest_source(root, &config)) {
        (Some(b), Some(src)) => src > b,
        (None, _) => true,
        _ => false,
    };
    if stale {
        eprintln!("Indexing the project for search (kept in {INDEX_DIR})…");
        match crate::build::search_index(root, &index) {
            Ok(warnings) => {
                for d in warnings.sorted() {
                    eprintln!("{}", d.render(color));
                }
            }
            Err(diags) => return Err(Failure::problems(&diags)),
        }
    }
    let results = search(&index, query, limit).map_err(|e| Diagnostic::error(e.to_string()))?;
    if as_json {
        let mut out = serde_json::to_string_pretty(&results).unwrap_or_default();
        out.push('\n');
        return print_bytes(out.as_bytes());
    }
    let mut out = String::new();
    if results.is_empty() {
        let _ = writeln!(out, "No results for “{query}”.");
    }
    for (i, r) in results.iter().enumerate() {
        let id = if r.doc.id.is_empty() || r.doc.id.contains('/') {
            String::new()
        } else {
            format!(" [{}]", r.doc.id)
        };
        let kind = r.doc.kind.replace('-', " ");
        let _ = writeln!(out, "{}. {}{id} ({kind})", i + 1, r.doc.title);
        if !r.doc.breadcrumb.is_empty() {
            let _ = writeln!(out, "   {}", r.doc.breadcrumb);
        }
        let _ = writeln!(out, "   {}", dest.join(&r.doc.url).display());
        if !r.doc.excerpt.is_empty() {
            let _ = writeln!(out, "   {}", r.doc.excerpt);
        }
    }
    print_bytes(out.as_bytes())
}
