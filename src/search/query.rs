//! The command line's search: its tantivy index (with the metadata results show) and queries
//! over it, with the same rules as the browser.
//!
//! The index is not part of the site, which holds only what a browser fetches: it lives in a
//! cache folder of the project, [`INDEX_DIR`], written whole or not at all, and is rebuilt when
//! missing, stale or written by another version of wa-docs.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use serde::{Deserialize, Serialize};
use serde_json::json;

use super::SearchDoc;
use super::index::{self, Hit};
use super::scores::Scorer;
use crate::project::OutFile;

/// Where `wa-docs search` keeps its index, under the project root (safe to delete: like
/// `target/`, it is regenerated on demand).
pub const INDEX_DIR: &str = ".wa-cache/search-index";
/// The metadata file inside the index folder; its modification time is when the index was built.
const META_FILE: &str = "wa-meta.json";
/// Names the wa-docs that wrote an index, so another version (whose tantivy schema, analysers
/// or metadata may differ) rebuilds it instead of misreading it.
const STAMP_FILE: &str = "wa-version";
const STAMP: &str = concat!("wa-docs ", env!("CARGO_PKG_VERSION"), " index 3\n");

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

/// Splits a query into the stems each word stands for, with their weights: its own stem; for
/// the last word also every indexed word it begins; for a word of 5 letters or more that no doc
/// holds, the indexed words within edit distance 1 (2 from 8 letters) among those filed under
/// its first two letters, or its first and third (which catches a swap or an extra letter in
/// second place). The browser does the same from the shards of those keys.
pub fn word_stems(query: &str, surfaces: &BTreeMap<String, String>) -> Vec<Vec<(String, f64)>> {
    let mut analyzer = index::surface_analyzer();
    let words = index::tokens(&mut analyzer, query);
    let last = words.len().saturating_sub(1);
    words
        .iter()
        .enumerate()
        .map(|(i, w)| {
            let mut stems: Vec<(String, f64)> = Vec::new();
            let mut add = |stem: &String, weight: f64| match stems.iter_mut().find(|s| &s.0 == stem)
            {
                Some(s) => s.1 = s.1.max(weight),
                None => stems.push((stem.clone(), weight)),
            };
            let exact = surfaces.get(w);
            if let Some(s) = exact {
                add(s, 1.0);
            }
            if i == last && w.chars().count() >= 2 {
                for (_, stem) in surfaces
                    .range(w.clone()..)
                    .take_while(|(s, _)| s.starts_with(w.as_str()))
                {
                    add(stem, 1.0);
                }
            }
            if exact.is_none() {
                for (stem, d) in near_words(w, surfaces) {
                    add(stem, index::FUZZY_WEIGHT[d]);
                }
            }
            stems
        })
        .collect()
}

/// Indexed words near `w` (see [`word_stems`]): (stem, distance).
fn near_words<'a>(w: &str, surfaces: &'a BTreeMap<String, String>) -> Vec<(&'a String, usize)> {
    let cs: Vec<char> = w.chars().collect();
    if cs.len() < FUZZY_MIN_CHARS {
        return Vec::new();
    }
    let max = if cs.len() >= 8 { 2 } else { 1 };
    let mut out = Vec::new();
    for key in fuzzy_keys(&cs) {
        for (s, stem) in surfaces
            .range(key.clone()..)
            .take_while(|(s, _)| key_of(s) == key)
        {
            let sc: Vec<char> = s.chars().collect();
            if let Some(d) = index::edit_distance(&cs, &sc, max).filter(|&d| d > 0) {
                out.push((stem, d));
            }
        }
    }
    out
}

/// Words shorter than this are never corrected.
pub const FUZZY_MIN_CHARS: usize = 5;

/// The shard keys searched for words near a word (see [`word_stems`]).
pub fn fuzzy_keys(cs: &[char]) -> Vec<String> {
    let mut keys = vec![cs.iter().take(2).collect::<String>()];
    if cs.len() > 2 {
        let k: String = [cs[0], cs[2]].iter().collect();
        if k != keys[0] {
            keys.push(k);
        }
    }
    keys
}

/// An id as looked up: lowercase letters and digits only, so `GENSEC01 BP01`, `gensec01-bp01`
/// and `gensec01bp01` name the same practice.
pub fn id_key(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The files of the index for `docs`: tantivy's, and the metadata results show. Scoring (for
/// excerpts and the words a query's last word may begin) runs beside tantivy's indexing.
pub fn index_files(docs: &[SearchDoc]) -> Result<Vec<OutFile>, String> {
    let (files, scored) = rayon::join(
        || tantivy_files(docs),
        || Scorer::default().score(docs, false),
    );
    let mut files = files?;
    let meta = json!({
        "docs": docs.iter().zip(&scored.excerpts).map(|(d, e)| json!({
            "title": d.title, "id": d.id, "kind": d.kind, "url": d.url,
            "breadcrumb": &*d.breadcrumb, "boost": d.boost,
            "excerpt": e.as_deref().map_or_else(|| super::scores::excerpt(&d.body.text()), str::to_string),
        })).collect::<Vec<_>>(),
        "surfaces": &*scored.surfaces,
    });
    files.push(OutFile {
        path: META_FILE.into(),
        bytes: meta.to_string().into_bytes().into(),
        article: None,
    });
    files.push(OutFile {
        path: STAMP_FILE.into(),
        bytes: STAMP.as_bytes().to_vec().into(),
        article: None,
    });
    Ok(files)
}

/// tantivy's files, made in a temporary folder and read back so that they are written with
/// the rest, atomically.
fn tantivy_files(docs: &[SearchDoc]) -> Result<Vec<OutFile>, String> {
    let tmp = tempfile::tempdir().map_err(|e| format!("search index: {e}"))?;
    index::build(docs, tmp.path())?;
    let mut files = Vec::new();
    for entry in std::fs::read_dir(tmp.path()).map_err(|e| e.to_string())? {
        let entry = entry.map_err(|e| e.to_string())?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') && name.ends_with(".lock") || !entry.path().is_file() {
            continue;
        }
        let bytes = std::fs::read(entry.path()).map_err(|e| e.to_string())?;
        files.push(OutFile {
            path: name,
            bytes: bytes.into(),
            article: None,
        });
    }
    Ok(files)
}

/// When the index in `dir` was built, if there is a complete one written by this version.
pub fn built_at(dir: &Path) -> Option<std::time::SystemTime> {
    let stamp = std::fs::read(dir.join(STAMP_FILE)).ok()?;
    if stamp != STAMP.as_bytes() {
        return None;
    }
    std::fs::metadata(dir.join(META_FILE))
        .and_then(|m| m.modified())
        .ok()
}

/// Runs a query against the index in `dir` (see [`INDEX_DIR`]).
pub fn search(dir: &Path, query: &str, limit: usize) -> Result<Vec<SearchResult>, String> {
    let meta: Meta = serde_json::from_slice(
        &std::fs::read(dir.join(META_FILE))
            .map_err(|e| format!("cannot read the search index in {}: {e}", dir.display()))?,
    )
    .map_err(|e| format!("search index metadata is damaged: {e}"))?;
    let si = index::open(dir, meta.docs.iter().map(|d| d.boost).collect())?;
    let searcher = si.reader.searcher();
    let ws = word_stems(query, &meta.surfaces);
    let mut scores: HashMap<String, BTreeMap<u32, u32>> = HashMap::new();
    for stems in &ws {
        for (s, _) in stems {
            if !scores.contains_key(s) {
                scores.insert(s.clone(), index::stem_scores(&si, &searcher, s)?);
            }
        }
    }
    let page = index::pages(meta.docs.iter().map(|d| d.url.as_str()));
    let mut hits = index::rank(&ws, &scores, &page);
    let exact = id_key(query);
    if let Some(n) = meta
        .docs
        .iter()
        .position(|d| !d.id.is_empty() && !d.id.contains('/') && id_key(&d.id) == exact)
    {
        // The id's own doc first, in place of its page's best.
        hits.retain(|h| page[h.doc as usize] != page[n]);
        hits.insert(
            0,
            Hit {
                doc: n as u32,
                matched: u32::MAX,
                score: f64::INFINITY,
            },
        );
    }
    let skip = usize::from(hits.first().is_some_and(|h| h.score.is_infinite()));
    let mut analyzer = index::surface_analyzer();
    let words = index::tokens(&mut analyzer, query);
    index::rerank_phrases(&mut hits, skip, &words, |d| {
        meta.docs
            .get(d as usize)
            .map(|m| index::tokens(&mut index::surface_analyzer(), &m.title))
            .unwrap_or_default()
    });
    Ok(hits
        .into_iter()
        .take(limit)
        .filter_map(|h| {
            meta.docs.get(h.doc as usize).map(|d| SearchResult {
                doc: d.clone(),
                score: if h.score.is_finite() {
                    h.score.round() as u32
                } else {
                    u32::MAX
                },
                matched: h.matched,
            })
        })
        .collect())
}

/// The shard a word's postings live in: its first two characters.
pub fn key_of(surface: &str) -> String {
    surface.chars().take(2).collect()
}
