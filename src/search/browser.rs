//! The static browser index, derived from the tantivy index. Shards are keyed by the first two
//! characters of the words a reader types, so a query downloads only the shards of its words;
//! small shards are grouped so the file count stays bounded. Every file is a script that hands
//! its data to `WA_SEARCH.load`, so it loads from `file://` as well as over HTTP.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde_json::{Value, json};

use super::SearchDoc;
use super::index::{self, SearchIndex};
use crate::site::OutFile;

/// Group consecutive keys until a shard file holds about this many bytes.
pub const SHARD_TARGET_BYTES: usize = 12 * 1024;
/// Docs per metadata file (loaded only for results shown).
pub const META_CHUNK: usize = 16;
/// Characters of body text kept per doc for result excerpts.
pub const EXCERPT_CHARS: usize = 220;
/// Where the tantivy index and the CLI's metadata live inside the output.
pub const INDEX_DIR: &str = ".wa-index";

pub fn key_of(surface: &str) -> String {
    surface.chars().take(2).collect()
}

fn script(name: &str, data: &Value) -> Vec<u8> {
    format!("WA_SEARCH.load({},{});\n", json!(name), data).into_bytes()
}

pub fn excerpt(body: &str) -> String {
    let mut out = String::new();
    for w in body.split_whitespace() {
        if out.chars().count() + w.chars().count() > EXCERPT_CHARS {
            out.push('…');
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

/// Every word (surface form) in the docs' searchable fields, with its stem.
pub fn surfaces(docs: &[SearchDoc]) -> BTreeMap<String, String> {
    let mut surf = index::surface_analyzer();
    let mut words = BTreeSet::new();
    for d in docs {
        for text in [&d.title, &d.id, &d.headings, &d.body] {
            words.extend(index::tokens(&mut surf, text));
        }
    }
    let mut stem = index::stem_analyzer();
    words
        .into_iter()
        .filter_map(|w| {
            index::tokens(&mut stem, &w)
                .into_iter()
                .next()
                .map(|s| (w, s))
        })
        .collect()
}

/// Docs kept per word in the shard itself, best first; the rest (needed only to rank queries
/// of several words exactly) goes to a tail file loaded on demand. A single-word query's top
/// results are always in the head, since every tail doc scores lower.
pub const HEAD_POSTINGS: usize = 48;

/// Splits a stem's postings into head (best scores) and tail, as flat `[doc, score, ...]`.
fn split_postings(p: Option<&BTreeMap<u32, u32>>) -> (Vec<u32>, Vec<u32>, usize) {
    let mut v: Vec<(u32, u32)> = p
        .map(|p| p.iter().map(|(d, s)| (*d, *s)).collect())
        .unwrap_or_default();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let n = v.len();
    let tail = v.split_off(n.min(HEAD_POSTINGS));
    let flat = |x: Vec<(u32, u32)>| x.into_iter().flat_map(|(d, s)| [d, s]).collect();
    (flat(v), flat(tail), n)
}

/// Consecutive keys collected into one shard file (and its tail file).
#[derive(Default)]
struct ShardGroup {
    first: Option<String>,
    heads: serde_json::Map<String, Value>,
    tails: serde_json::Map<String, Value>,
    size: usize,
}

impl ShardGroup {
    fn flush(&mut self, files: &mut Vec<OutFile>, first_keys: &mut Vec<Value>) {
        let Some(first) = self.first.take() else {
            return;
        };
        let n = first_keys.len();
        let heads = Value::Object(std::mem::take(&mut self.heads));
        files.push(OutFile {
            path: format!("search/s{n}.js"),
            bytes: script(&format!("s{n}"), &heads),
            article: None,
        });
        if !self.tails.is_empty() {
            let tails = Value::Object(std::mem::take(&mut self.tails));
            files.push(OutFile {
                path: format!("search/s{n}x.js"),
                bytes: script(&format!("s{n}x"), &tails),
                article: None,
            });
        }
        first_keys.push(json!(first));
        self.size = 0;
    }
}

/// Everything the search needs in the output: browser files under `search/` and the CLI's
/// index under [`INDEX_DIR`].
pub fn site_files(docs: &[SearchDoc]) -> Result<Vec<OutFile>, String> {
    let tmp = tempfile::tempdir().map_err(|e| format!("search index: {e}"))?;
    let si = index::build(docs, tmp.path())?;
    let surf = surfaces(docs);
    let mut files = browser_files(&si, docs, &surf)?;
    for entry in std::fs::read_dir(tmp.path()).map_err(|e| e.to_string())? {
        let entry = entry.map_err(|e| e.to_string())?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') && name.ends_with(".lock") || !entry.path().is_file() {
            continue;
        }
        let bytes = std::fs::read(entry.path()).map_err(|e| e.to_string())?;
        files.push(OutFile {
            path: format!("{INDEX_DIR}/{name}"),
            bytes,
            article: None,
        });
    }
    let meta = json!({
        "docs": docs.iter().map(|d| json!({
            "title": d.title, "id": d.id, "kind": d.kind, "url": d.url,
            "breadcrumb": d.breadcrumb, "excerpt": excerpt(&d.body), "boost": d.boost,
        })).collect::<Vec<_>>(),
        "surfaces": surf,
    });
    files.push(OutFile {
        path: format!("{INDEX_DIR}/wa-meta.json"),
        bytes: meta.to_string().into_bytes(),
        article: None,
    });
    Ok(files)
}

pub fn browser_files(
    si: &SearchIndex,
    docs: &[SearchDoc],
    surf: &BTreeMap<String, String>,
) -> Result<Vec<OutFile>, String> {
    let searcher = si.reader.searcher();
    let stems: BTreeSet<&String> = surf.values().collect();
    let mut postings: HashMap<&str, BTreeMap<u32, u32>> = HashMap::new();
    for s in stems {
        postings.insert(s.as_str(), index::stem_scores(si, &searcher, s)?);
    }
    // Exact ids jump straight to their target.
    let mut ids: BTreeMap<String, u32> = BTreeMap::new();
    for (n, d) in docs.iter().enumerate() {
        if !d.id.is_empty() && !d.id.contains('/') {
            ids.entry(d.id.to_lowercase()).or_insert(n as u32);
        }
    }
    // Shards by key.
    let mut by_key: BTreeMap<String, Vec<(&str, &str)>> = BTreeMap::new();
    for (w, s) in surf {
        by_key.entry(key_of(w)).or_default().push((w, s));
    }
    for id in ids.keys() {
        by_key.entry(key_of(id)).or_default();
    }
    let mut files = Vec::new();
    let mut first_keys: Vec<Value> = Vec::new();
    let mut group = ShardGroup::default();
    for (key, words) in &by_key {
        let mut local: Vec<&str> = Vec::new();
        let mut terms = serde_json::Map::new();
        for (w, s) in words {
            let i = match local.iter().position(|x| x == s) {
                Some(i) => i,
                None => {
                    local.push(s);
                    local.len() - 1
                }
            };
            terms.insert((*w).to_string(), json!(i));
        }
        let mut heads: Vec<Vec<u32>> = Vec::new();
        let mut tails: Vec<Vec<u32>> = Vec::new();
        let mut counts: Vec<usize> = Vec::new();
        for s in &local {
            let (head, tail, n) = split_postings(postings.get(s));
            heads.push(head);
            tails.push(tail);
            counts.push(n);
        }
        let key_ids: serde_json::Map<String, Value> = ids
            .iter()
            .filter(|(id, _)| key_of(id) == *key)
            .map(|(id, n)| (id.clone(), json!(n)))
            .collect();
        let has_tail = tails.iter().any(|t| !t.is_empty());
        let entry =
            json!({"t": terms, "p": heads, "n": counts, "i": key_ids, "x": u8::from(has_tail)});
        if group.first.is_none() {
            group.first = Some(key.clone());
        }
        group.size += entry.to_string().len();
        group.heads.insert(key.clone(), entry);
        if has_tail {
            group.tails.insert(key.clone(), json!(tails));
        }
        if group.size >= SHARD_TARGET_BYTES {
            group.flush(&mut files, &mut first_keys);
        }
    }
    group.flush(&mut files, &mut first_keys);
    // Metadata for results, loaded per chunk.
    for (c, chunk) in docs.chunks(META_CHUNK).enumerate() {
        let rows: Vec<Value> = chunk
            .iter()
            .map(|d| json!([d.title, d.breadcrumb, d.url, d.kind, excerpt(&d.body)]))
            .collect();
        files.push(OutFile {
            path: format!("search/m{c}.js"),
            bytes: script(&format!("m{c}"), &json!(rows)),
            article: None,
        });
    }
    // Facets, loaded when a reader narrows results.
    let mut tables: [Vec<String>; 4] = Default::default();
    let codes: Vec<Value> = docs
        .iter()
        .map(|d| {
            let vals = [
                d.kind.to_string(),
                d.lens.clone(),
                d.pillar.clone(),
                d.risk.clone(),
            ];
            let v: Vec<usize> = vals
                .iter()
                .zip(tables.iter_mut())
                .map(|(v, t)| match t.iter().position(|x| x == v) {
                    Some(i) => i,
                    None => {
                        t.push(v.clone());
                        t.len() - 1
                    }
                })
                .collect();
            json!(v)
        })
        .collect();
    files.push(OutFile {
        path: "search/facets.js".into(),
        bytes: script("facets", &json!({"docs": codes})),
        article: None,
    });
    let manifest = json!({
        "v": 1,
        "stop": index::STOP_WORDS,
        "maxBytes": index::MAX_TOKEN_BYTES,
        "shards": first_keys,
        "docs": docs.len(),
        "chunk": META_CHUNK,
        "facets": tables,
    });
    files.push(OutFile {
        path: "search/manifest.js".into(),
        bytes: script("manifest", &manifest),
        article: None,
    });
    Ok(files)
}
