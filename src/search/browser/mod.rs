//! The static browser index, derived from the tantivy index. Shards are keyed by the first two
//! characters of the words a reader types, so a query downloads only the shards of its words;
//! small shards are grouped so the file count stays bounded. Every file is a script that hands
//! its data to `WA_SEARCH.load`, so it loads from `file://` as well as over HTTP.

mod meta;
mod numbers;
mod shards;

use std::collections::{BTreeMap, HashMap};

use serde_json::json;

pub use numbers::push_number;

use super::SearchDoc;
use super::index;
use super::query::key_of;
use super::scores::Scorer;
use crate::project::{Emit, OutFile};

/// Group consecutive keys until a shard file holds about this many bytes.
pub const SHARD_TARGET_BYTES: usize = 12 * 1024;
/// Docs per metadata file (loaded only for results shown).
pub const META_CHUNK: usize = 16;

/// A file that hands `json` (JSON text) to the search script; scripts load from `file://` too.
fn script(name: &str, json: &str) -> Vec<u8> {
    format!("WA_SEARCH.load({},{json});\n", json!(name)).into_bytes()
}

/// What a build keeps of the search files for the next one (for `serve`): enough to tell which
/// files an edit changed. The files themselves stay with the emitter, which keeps those that
/// did not change ([`Emit::keep`]); one that cannot is given the file made again.
#[derive(Default)]
pub struct ShardMemo {
    /// Off for one-off builds: nothing is kept, which matters for memory on large sites.
    keep: bool,
    /// By key: a digest of the words (with stems) and ids it held, and its entry's length
    /// (which shard boundaries depend on).
    keys: HashMap<String, (u64, usize)>,
    /// By shard number: its keys and the paths of its files.
    groups: Vec<(Vec<String>, Vec<String>)>,
    /// By chunk number, a digest of what its result metadata file was made from.
    chunks: HashMap<usize, u64>,
}

/// Keeps what a build can reuse in the next one (for `wa-docs serve`); a full build starts
/// from an empty one.
#[derive(Default)]
pub struct SearchCache {
    scorer: Scorer,
    shards: ShardMemo,
}

impl SearchCache {
    pub fn keeps(&self) -> bool {
        self.shards.keep
    }

    /// A cache that keeps what one build made for the next (for `wa-docs serve`).
    pub fn kept() -> SearchCache {
        SearchCache {
            shards: ShardMemo {
                keep: true,
                ..Default::default()
            },
            ..Default::default()
        }
    }
}

/// The browser's search files under `search/`. The CLI's tantivy index is not part of the
/// site: `wa-docs search` builds it into a cache folder of the project (see [`super::query`]).
/// A one-off build (the cache keeps nothing) empties the docs' text once it is analysed.
/// With `emit`, each file goes there as soon as it is made and only its stub is returned.
pub fn site_files(
    docs: &mut [SearchDoc],
    cache: &mut SearchCache,
    emit: Option<&dyn Emit>,
) -> Vec<OutFile> {
    let scored = cache.scorer.score_releasing(docs, cache.shards.keep);
    let mut out = Out {
        emit,
        files: Vec::new(),
    };
    browser_files(&scored, docs, &mut cache.shards, &mut out);
    out.files
}

/// Where the search files go as they are made: handed on at once when the build streams its
/// output (so the search files are never all held together), kept otherwise.
struct Out<'a> {
    emit: Option<&'a dyn Emit>,
    files: Vec<OutFile>,
}

impl Out<'_> {
    /// Whether the emitter kept its copy of `path` from the previous build (a stub is listed).
    fn keep(&mut self, path: &str) -> bool {
        let kept = self.emit.is_some_and(|e| e.keep(path));
        if kept {
            self.files.push(OutFile {
                path: path.to_string(),
                bytes: bytes::Bytes::new(),
                article: None,
            });
        }
        kept
    }

    fn push(&mut self, f: OutFile) {
        match self.emit {
            Some(e) => {
                e.emit(&f);
                self.files.push(f.stub());
            }
            None => self.files.push(f),
        }
    }
}

fn browser_files(
    scored: &super::scores::Scored,
    docs: &[SearchDoc],
    memo: &mut ShardMemo,
    files: &mut Out,
) {
    let surf = &*scored.surfaces;
    // Exact ids jump straight to their target, however they are spaced or dashed.
    let mut ids: BTreeMap<String, u32> = BTreeMap::new();
    for (n, d) in docs.iter().enumerate() {
        if !d.id.is_empty() && !d.id.contains('/') {
            ids.entry(super::query::id_key(&d.id)).or_insert(n as u32);
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
    let first_keys = shards::shard_files(scored, &by_key, &ids, memo, files);
    let (codes, tables) = meta::facet_codes(docs);
    meta::chunk_files(docs, &scored.excerpts, &codes, memo, files);
    // Per doc, as one number string: its four codes, how many scenarios, and their codes.
    let mut rows = String::with_capacity(codes.len() * 6);
    for (v, sc) in &codes {
        for n in v.iter().chain([&sc.len()]).chain(sc) {
            push_number(&mut rows, *n as u32);
        }
    }
    let body = format!("{{\"docs\":\"{rows}\"}}");
    files.push(OutFile {
        path: "search/facets.js".into(),
        bytes: script("facets", &body).into(),
        article: None,
    });
    // Pages, for grouping results: how many consecutive docs each page has, as a number string.
    let page = index::pages(docs.iter().map(|d| d.url.as_str()));
    let mut groups = String::new();
    for run in page.chunk_by(|a, b| a == b) {
        push_number(&mut groups, run.len() as u32);
    }
    let manifest = json!({
        "v": 2,
        "stop": index::STOP_WORDS,
        "maxBytes": index::MAX_TOKEN_BYTES,
        "shards": first_keys,
        "docs": docs.len(),
        "chunk": META_CHUNK,
        "pages": groups,
        "fuzzy": [super::query::FUZZY_MIN_CHARS, index::FUZZY_WEIGHT],
        "coord": index::COORD_POWER,
        "phrase": [index::PHRASE_TOP, index::PHRASE_BONUS],
        "facets": tables,
    });
    files.push(OutFile {
        path: "search/manifest.js".into(),
        bytes: script("manifest", &manifest.to_string()).into(),
        article: None,
    });
}
