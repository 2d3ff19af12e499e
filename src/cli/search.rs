//! `wa-docs search`: query the built index, rebuilding first when sources are newer.

use std::path::Path;

use crate::search::browser::INDEX_DIR;
use crate::search::query::search;

/// Newest modification time among the project's sources.
fn newest_source(root: &Path, config: &crate::config::Config) -> Option<std::time::SystemTime> {
    let mut newest = std::fs::metadata(root.join(crate::config::CONFIG_FILE))
        .and_then(|m| m.modified())
        .ok();
    for dir in [
        config.wa.lens_dir.clone(),
        config.wa.content_dir.clone(),
        Path::new("themes").to_path_buf(),
    ] {
        for e in walkdir::WalkDir::new(root.join(dir)).into_iter().flatten() {
            if let Some(t) = e.metadata().ok().and_then(|m| m.modified().ok()) {
                newest = Some(newest.map_or(t, |n| n.max(t)));
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
    let dest = root.join(&config.build.build_dir);
    let meta = dest.join(INDEX_DIR).join("wa-meta.json");
    let built = std::fs::metadata(&meta).and_then(|m| m.modified()).ok();
    let stale = match (built, newest_source(root, &config)) {
        (Some(b), Some(src)) => src > b,
        (None, _) => true,
        _ => false,
    };
    if stale {
        eprintln!("Building the site to refresh the search index…");
        if let Err(diags) = crate::build::build(root, &crate::build::BuildOptions::default()) {
            for d in diags.sorted() {
                eprintln!("{}", d.render(false));
            }
            return 1;
        }
    }
    match search(&dest, query, limit) {
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
