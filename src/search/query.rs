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
                for (_, stem) in surfaces
                    .range(w.clone()..)
                    .take_while(|(s, _)| s.starts_with(w.as_str()))
                {
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
