//! The static browser index, derived from the tantivy index. Shards are keyed by the first two
//! characters of the words a reader types, so a query downloads only the shards of its words;
//! small shards are grouped so the file count stays bounded. Every file is a script that hands
//! its data to `WA_SEARCH.load`, so it loads from `file://` as well as over HTTP.

use std::collections::{BTreeMap, HashMap};
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use serde_json::{Value, json};

use super::SearchDoc;
use super::index;
use super::scores::{Scored, Scorer};
use crate::project::OutFile;

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

/// A file that hands `json` (JSON text) to the search script; scripts load from `file://` too.
fn script(name: &str, json: &str) -> Vec<u8> {
    format!("WA_SEARCH.load({},{json});\n", json!(name)).into_bytes()
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

/// Docs kept per word in the shard itself, best first; the rest (needed only to rank queries
/// of several words exactly) goes to a tail file loaded on demand. A single-word query's top
/// results are always in the head, since every tail doc scores lower.
pub const HEAD_POSTINGS: usize = 48;

/// Splits a stem's postings into head (best scores) and tail, as flat `[doc, score, ...]`.
fn split_postings(p: Option<&[(u32, u32)]>) -> (Vec<u32>, Vec<u32>, usize) {
    let mut v: Vec<(u32, u32)> = p.map(<[_]>::to_vec).unwrap_or_default();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let n = v.len();
    let tail = v.split_off(n.min(HEAD_POSTINGS));
    let flat = |x: Vec<(u32, u32)>| x.into_iter().flat_map(|(d, s)| [d, s]).collect();
    (flat(v), flat(tail), n)
}

/// Consecutive keys collected into one shard file (and its tail file).
#[derive(Default)]
struct ShardGroup {
    keys: Vec<String>,
    entries: Vec<Arc<Entry>>,
    size: usize,
    /// Whether any entry was made afresh in this build.
    dirty: bool,
}

fn push_member(obj: &mut String, key: &str, value: &str) {
    obj.push(if obj.is_empty() { '{' } else { ',' });
    obj.push_str(&Value::String(key.to_string()).to_string());
    obj.push(':');
    obj.push_str(value);
}

impl ShardGroup {
    fn flush(
        &mut self,
        files: &mut Vec<OutFile>,
        first_keys: &mut Vec<Value>,
        memo: &mut ShardMemo,
    ) {
        let Some(first) = self.keys.first().cloned() else {
            return;
        };
        let n = first_keys.len();
        first_keys.push(json!(first));
        let entries = std::mem::take(&mut self.entries);
        let keys = std::mem::take(&mut self.keys);
        let dirty = std::mem::take(&mut self.dirty);
        self.size = 0;
        if !dirty
            && let Some((was, made)) = memo.groups.get(n)
            && *was == keys
        {
            files.extend(made.iter().cloned());
            return;
        }
        let (mut heads, mut tails) = (String::new(), String::new());
        for (k, e) in keys.iter().zip(&entries) {
            push_member(&mut heads, k, &e.head);
            if let Some(t) = &e.tail {
                push_member(&mut tails, k, t);
            }
        }
        heads.push('}');
        let mut made = vec![OutFile {
            path: format!("search/s{n}.js"),
            bytes: script(&format!("s{n}"), &heads).into(),
            article: None,
        }];
        if !tails.is_empty() {
            tails.push('}');
            made.push(OutFile {
                path: format!("search/s{n}x.js"),
                bytes: script(&format!("s{n}x"), &tails).into(),
                article: None,
            });
        }
        files.extend(made.iter().cloned());
        if memo.keep {
            if memo.groups.len() <= n {
                memo.groups.resize_with(n + 1, Default::default);
            }
            memo.groups[n] = (keys, made);
        }
    }
}

/// One key's shard entry (and tail), as JSON text.
struct Entry {
    head: String,
    tail: Option<String>,
}

/// Shard entries kept between builds, by key, with the words and ids they were made from; an
/// edit re-encodes only the keys whose words, ids or postings changed.
#[derive(Default)]
pub struct ShardMemo {
    /// Off for one-off builds: nothing is kept, which matters for memory on large sites.
    keep: bool,
    /// By key: the words (with stems) and ids it held, and its entry.
    #[allow(clippy::type_complexity)]
    entries: HashMap<
        String,
        (
            (Vec<(String, String)>, serde_json::Map<String, Value>),
            Arc<Entry>,
        ),
    >,
    /// Per stem, its postings as JSON.
    stems: HashMap<String, Arc<StemJson>>,
    /// By shard number: its keys and files.
    groups: Vec<(Vec<String>, Vec<OutFile>)>,
    /// Result metadata files by chunk number.
    chunks: HashMap<usize, (u64, OutFile)>,
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

/// One stem's postings as JSON: best docs, the rest, and how many there are.
struct StemJson {
    head: String,
    tail: String,
    count: usize,
}

fn stem_json(postings: Option<&[(u32, u32)]>) -> StemJson {
    let (head, tail, count) = split_postings(postings);
    StemJson {
        head: serde_json::to_string(&head).unwrap_or_default(),
        tail: serde_json::to_string(&tail).unwrap_or_default(),
        count,
    }
}

fn entry_of(
    words: &[(&str, &str)],
    scored: &Scored,
    key_ids: &serde_json::Map<String, Value>,
    mut stems: Option<&mut HashMap<String, Arc<StemJson>>>,
) -> Entry {
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
    // A key's entry is rebuilt when any of its stems changed; the others are reused as JSON.
    let parts: Vec<Arc<StemJson>> = local
        .iter()
        .map(|s| match stems.as_ref().and_then(|m| m.get(*s)) {
            Some(j) if !scored.changed.contains(*s) => j.clone(),
            _ => {
                let j = Arc::new(stem_json(scored.postings.get(*s).map(|p| p.as_slice())));
                if let Some(stems) = stems.as_mut() {
                    stems.insert(s.to_string(), j.clone());
                }
                j
            }
        })
        .collect();
    let has_tail = parts.iter().any(|p| p.tail != "[]");
    let join = |f: &dyn Fn(&StemJson) -> &str| {
        let v: Vec<&str> = parts.iter().map(|p| f(p)).collect();
        format!("[{}]", v.join(","))
    };
    let counts: Vec<usize> = parts.iter().map(|p| p.count).collect();
    // The same bytes `serde_json` writes for {"i","n","p","t","x"}, assembled from parts.
    let head = format!(
        "{{\"i\":{},\"n\":{},\"p\":{},\"t\":{},\"x\":{}}}",
        serde_json::to_string(key_ids).unwrap_or_default(),
        serde_json::to_string(&counts).unwrap_or_default(),
        join(&|p| &p.head),
        serde_json::to_string(&terms).unwrap_or_default(),
        u8::from(has_tail)
    );
    Entry {
        head,
        tail: has_tail.then(|| join(&|p| &p.tail)),
    }
}

/// Everything the search needs in the output: browser files under `search/` and, when
/// `cli_index` is set, the CLI's tantivy index under [`INDEX_DIR`] (written on another thread
/// while the shards are built).
pub fn site_files(
    docs: &[SearchDoc],
    cache: &mut SearchCache,
    cli_index: bool,
) -> Result<Vec<OutFile>, String> {
    let (cli, browser) = rayon::join(
        || cli_index.then(|| cli_files(docs)).transpose(),
        || {
            let scored = cache.scorer.score(docs, cache.shards.keep);
            let files = browser_files(&scored, docs, &mut cache.shards);
            (files, scored)
        },
    );
    let (mut files, scored) = browser;
    if let Some(mut cli) = cli? {
        let meta = json!({
            "docs": docs.iter().zip(&scored.excerpts).map(|(d, excerpt)| json!({
                "title": d.title, "id": d.id, "kind": d.kind, "url": d.url,
                "breadcrumb": d.breadcrumb, "excerpt": &**excerpt, "boost": d.boost,
            })).collect::<Vec<_>>(),
            "surfaces": &*scored.surfaces,
        });
        cli.push(OutFile {
            path: format!("{INDEX_DIR}/wa-meta.json"),
            bytes: meta.to_string().into_bytes().into(),
            article: None,
        });
        files.extend(cli);
    }
    Ok(files)
}

/// The tantivy index files, for `wa-docs search`.
fn cli_files(docs: &[SearchDoc]) -> Result<Vec<OutFile>, String> {
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
            path: format!("{INDEX_DIR}/{name}"),
            bytes: bytes.into(),
            article: None,
        });
    }
    Ok(files)
}

fn browser_files(scored: &Scored, docs: &[SearchDoc], memo: &mut ShardMemo) -> Vec<OutFile> {
    let surf = &*scored.surfaces;
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
    let mut kept = HashMap::with_capacity(by_key.len());
    for (key, words) in &by_key {
        let key_ids: serde_json::Map<String, Value> = ids
            .range(key.clone()..)
            .take_while(|(id, _)| key_of(id) == *key)
            .map(|(id, n)| (id.clone(), json!(n)))
            .collect();
        let entry = match memo.entries.remove(key) {
            Some(((was_words, was_ids), e))
                if was_ids == key_ids
                    && was_words.len() == words.len()
                    && was_words
                        .iter()
                        .zip(words)
                        .all(|(a, b)| a.0 == b.0 && a.1 == b.1)
                    && !words.iter().any(|(_, s)| scored.changed.contains(*s)) =>
            {
                kept.insert(key.clone(), ((was_words, was_ids), e.clone()));
                e
            }
            _ => {
                let stems = memo.keep.then_some(&mut memo.stems);
                let e = Arc::new(entry_of(words, scored, &key_ids, stems));
                let was_words = words
                    .iter()
                    .map(|(w, s)| (w.to_string(), s.to_string()))
                    .collect();
                if memo.keep {
                    kept.insert(key.clone(), ((was_words, key_ids), e.clone()));
                }
                group.dirty = true;
                e
            }
        };
        group.size += entry.head.len() + key.len() + 4;
        group.keys.push(key.clone());
        group.entries.push(entry);
        if group.size >= SHARD_TARGET_BYTES {
            group.flush(&mut files, &mut first_keys, memo);
        }
    }
    group.flush(&mut files, &mut first_keys, memo);
    memo.groups.truncate(first_keys.len());
    memo.stems.retain(|s, _| scored.postings.contains_key(s));
    memo.entries = kept;
    // Metadata for results, loaded per chunk.
    let mut chunks = HashMap::new();
    for (c, (chunk, excerpts)) in docs
        .chunks(META_CHUNK)
        .zip(scored.excerpts.chunks(META_CHUNK))
        .enumerate()
    {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        for (d, e) in chunk.iter().zip(excerpts) {
            (&d.title, &d.breadcrumb, &d.url, d.kind, e).hash(&mut h);
        }
        let hash = h.finish();
        let file = match memo.chunks.remove(&c) {
            Some((old, f)) if old == hash => f,
            _ => {
                let rows: Vec<Value> = chunk
                    .iter()
                    .zip(excerpts)
                    .map(|(d, e)| json!([d.title, d.breadcrumb, d.url, d.kind, &**e]))
                    .collect();
                OutFile {
                    path: format!("search/m{c}.js"),
                    bytes: script(&format!("m{c}"), &json!(rows).to_string()).into(),
                    article: None,
                }
            }
        };
        if memo.keep {
            chunks.insert(c, (hash, file.clone()));
        }
        files.push(file);
    }
    memo.chunks = chunks;
    // Facets, loaded when a reader narrows results: one code per single-valued facet (kind,
    // lens, pillar, risk), then the list of scenario codes (a practice sits in many checklists).
    let mut tables: [Vec<String>; 5] = Default::default();
    fn code(table: &mut Vec<String>, val: &str) -> usize {
        match table.iter().position(|x| x == val) {
            Some(i) => i,
            None => {
                table.push(val.to_string());
                table.len() - 1
            }
        }
    }
    let codes: Vec<([usize; 4], Vec<usize>)> = docs
        .iter()
        .map(|d| {
            let vals = [d.kind, &d.lens, &d.pillar, &d.risk];
            let mut v = [0; 4];
            for ((val, t), out) in vals.iter().zip(tables.iter_mut()).zip(v.iter_mut()) {
                *out = code(t, val);
            }
            let scenarios = d
                .scenarios
                .iter()
                .map(|s| code(&mut tables[4], s))
                .collect();
            (v, scenarios)
        })
        .collect();
    // Serialised directly: a `Value` per doc costs more than the rest of the file.
    let mut rows = String::with_capacity(codes.len() * 16);
    for (n, (v, sc)) in codes.iter().enumerate() {
        if n > 0 {
            rows.push(',');
        }
        let list: Vec<String> = sc.iter().map(usize::to_string).collect();
        rows.push_str(&format!(
            "[{},{},{},{},[{}]]",
            v[0],
            v[1],
            v[2],
            v[3],
            list.join(",")
        ));
    }
    let body = format!("{{\"docs\":[{rows}]}}");
    files.push(OutFile {
        path: "search/facets.js".into(),
        bytes: script("facets", &body).into(),
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
        bytes: script("manifest", &manifest.to_string()).into(),
        article: None,
    });
    files
}
