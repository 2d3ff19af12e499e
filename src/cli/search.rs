//! `wa-docs search`: query the project's search index, building it first when it is missing or
//! older than the sources. The index lives in a cache folder of the project
//! ([`INDEX_DIR`]), not in the site: a build writes only what a browser fetches.

use std::path::Path;

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

pub fn run(root: &Path, limit: usize, as_json: bool, query: &str) -> i32 {
    let config = match crate::config::Config::load(root) {
        Ok(c) => c,
        Err(d) => {
            eprintln!("{}", d.render(false));
            return 2;
        }
    };
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
                    eprintln!("{}", d.render(false));
                }
            }
            Err(diags) => {
                for d in diags.sorted() {
                    eprintln!("{}", d.render(false));
                }
                return 1;
            }
        }
    }
    match search(&index, query, limit) {
        Ok(results) if as_json => {
            println!(
                "{}",
                serde_json::to_string_pretty(&results).unwrap_or_default()
            );
            0
        }
        Ok(results) => {
            if results.is_empty() {
                println!("No results for “{query}”.");
            }
            for (i, r) in results.iter().enumerate() {
                let id = if r.doc.id.is_empty() || r.doc.id.contains('/') {
                    String::new()
                } else {
                    format!(" [{}]", r.doc.id)
                };
                println!(
                    "{}. {}{} ({})",
                    i + 1,
                    r.doc.title,
                    id,
                    r.doc.kind.replace('-', " ")
                );
                if !r.doc.breadcrumb.is_empty() {
                    println!("   {}", r.doc.breadcrumb);
                }
                println!("   {}", dest.join(&r.doc.url).display());
                if !r.doc.excerpt.is_empty() {
                    println!("   {}", r.doc.excerpt);
                }
            }
            0
        }
        Err(e) => {
            eprintln!("error: {e}");
            2
        }
    }
}
