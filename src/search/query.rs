//! Querying the built index from the command line, with the same rules as the browser.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::browser::INDEX_DIR;
use super::index::{self, Hit};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DocMeta {
    pub title: String,
    pub id: String,
    pub kind: String,
    pub url: String,
    pub breadcrumb: String,
    pub excerpt: String,
    pub boost: f32,
}

#[derive(Debug, Deserialize)]
struct Meta {
    docs: Vec<DocMeta>,
    surfaces: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SearchResult {
    #[serde(flatten)]
    pub doc: DocMeta,
    pub score: u32,
    pub matched: u32,
}

/// Splits a query into the stems each word stands for; the last word also stands for every
/// indexed word it begins.
pub fn word_stems(query: &str, surfaces: &BTreeMap<String, String>) -> Vec<Vec<String>> {
    let mut analyzer = index::surface_analyzer();
    let words = index::tokens(&mut analyzer, query);
    let last = words.len().saturating_sub(1);
    words
        .iter()
        .enumerate()
        .map(|(i, w)| {
            let mut stems: Vec<String> = surfaces.get(w).cloned().into_iter().collect();
            if i == last && w.chars().count() >= 2 {
                for (s, stem) in surfaces
                    .range(w.clone()..)
                    .take_while(|(s, _)| s.starts_with(w.as_str()))
                {
                    let _ = s;
                    if !stems.contains(stem) {
                        stems.push(stem.clone());
                    }
                }
            }
            stems
        })
        .collect()
}

/// Runs a query against the index in `site_dir` (a build output).
pub fn search(site_dir: &Path, query: &str, limit: usize) -> Result<Vec<SearchResult>, String> {
    let dir = site_dir.join(INDEX_DIR);
    let meta: Meta = serde_json::from_slice(
        &std::fs::read(dir.join("wa-meta.json"))
            .map_err(|e| format!("cannot read the search index in {}: {e}", dir.display()))?,
    )
    .map_err(|e| format!("search index metadata is damaged: {e}"))?;
    let si = index::open(&dir, meta.docs.iter().map(|d| d.boost).collect())?;
    let searcher = si.reader.searcher();
    let ws = word_stems(query, &meta.surfaces);
    let mut scores: HashMap<String, BTreeMap<u32, u32>> = HashMap::new();
    for stems in &ws {
        for s in stems {
            if !scores.contains_key(s) {
                scores.insert(s.clone(), index::stem_scores(&si, &searcher, s)?);
            }
        }
    }
    let mut hits = index::rank(&ws, &scores);
    let exact = query.trim().to_lowercase();
    if let Some(n) = meta
        .docs
        .iter()
        .position(|d| !d.id.is_empty() && !d.id.contains('/') && d.id.to_lowercase() == exact)
    {
        hits.retain(|h| h.doc as usize != n);
        hits.insert(
            0,
            Hit {
                doc: n as u32,
                matched: u32::MAX,
                score: u32::MAX,
            },
        );
    }
    Ok(hits
        .into_iter()
        .take(limit)
        .filter_map(|h| {
            meta.docs.get(h.doc as usize).map(|d| SearchResult {
                doc: d.clone(),
                score: h.score,
                matched: h.matched,
            })
        })
        .collect())
}

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

/// `wa-docs search`: queries the built index, rebuilding the site first when sources are newer.
pub fn run_cli(root: &Path, limit: usize, as_json: bool, query: &str) -> i32 {
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
        if let Err(diags) = crate::site::build(root, &crate::site::BuildOptions::default()) {
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
