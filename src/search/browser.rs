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
use super::query::key_of;
use super::scores::{Scored, Scorer};
use crate::project::OutFile;

/// Group consecutive keys until a shard file holds about this many bytes.
pub const SHARD_TARGET_BYTES: usize = 12 * 1024;
/// Docs per metadata file (loaded only for results shown).
pub const META_CHUNK: usize = 16;

/// A file that hands `json` (JSON text) to the search script; scripts load from `file://` too.
fn script(name: &str, json: &str) -> Vec<u8> {
    format!("WA_SEARCH.load({},{json});\n", json!(name)).into_bytes()
}

/// Docs kept per word in the shard itself, best first; the rest (needed only to rank queries
/// of several words exactly) goes to a tail file loaded on demand. A single-word query's top
/// results are always in the head, since every tail doc scores lower.
pub const HEAD_POSTINGS: usize = 48;

/// The digits of the shards' number strings. None needs escaping in a JS string literal or in
/// JSON, so a list of numbers costs no commas, quotes or backslashes. A number is written most
/// significant digit first, five bits per character: digits 32 and up carry five bits and say
/// more follow, a digit below 32 carries the last five. `search.js` decodes the same alphabet.
pub const DIGITS: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Appends `n` to a number string (see [`DIGITS`]).
pub fn push_number(out: &mut String, n: u32) {
    let mut groups = [0u8; 7];
    let mut len = 0;
    let mut rest = n;
    loop {
        groups[len] = (rest & 31) as u8;
        len += 1;
        rest >>= 5;
        if rest == 0 {
            break;
        }
    }
    for (i, g) in groups[..len].iter().rev().enumerate() {
        let more = if i + 1 < len { 32 } else { 0 };
        out.push(char::from(DIGITS[usize::from(g + more)]));
    }
}

/// Encodes postings sorted best first (score descending, then doc ascending) as a number string.
/// Scores repeat a lot (field norms are coded in 256 steps and term counts are small), so docs
/// are grouped by score: per group the score (the first as is, then how far below the previous
/// group's, less one), the group's size less one, then its docs, each the gap from the
/// previous doc less one (the first as is). Small numbers take one character.
fn encode_postings(out: &mut String, p: &[(u32, u32)]) {
    let mut last_score: Option<u32> = None;
    for group in p.chunk_by(|a, b| a.1 == b.1) {
        let score = group[0].1;
        push_number(out, last_score.map_or(score, |l| l - score - 1));
        push_number(out, group.len() as u32 - 1);
        let mut last_doc: Option<u32> = None;
        for &(doc, _) in group {
            push_number(out, last_doc.map_or(doc, |l| doc - l - 1));
            last_doc = Some(doc);
        }
        last_score = Some(score);
    }
}

/// Splits a stem's postings into head (best scores) and tail, each as a JSON string of numbers
/// (see [`encode_postings`]); the head starts with how many postings there are in all.
fn split_postings(p: Option<&[(u32, u32)]>) -> (String, String) {
    let mut v: Vec<(u32, u32)> = p.map(<[_]>::to_vec).unwrap_or_default();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let (head, tail) = v.split_at(v.len().min(HEAD_POSTINGS));
    let mut h = String::from('"');
    push_number(&mut h, v.len() as u32);
    encode_postings(&mut h, head);
    h.push('"');
    let t = if tail.is_empty() {
        String::new()
    } else {
        let mut t = String::from('"');
        encode_postings(&mut t, tail);
        t.push('"');
        t
    };
    (h, t)
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

/// One stem's postings as JSON strings: the count and best docs, and the rest (empty when none).
struct StemJson {
    head: String,
    tail: String,
}

fn stem_json(postings: Option<&[(u32, u32)]>) -> StemJson {
    let (head, tail) = split_postings(postings);
    StemJson { head, tail }
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
    let has_tail = parts.iter().any(|p| !p.tail.is_empty());
    let join = |f: &dyn Fn(&StemJson) -> &str| {
        let v: Vec<&str> = parts
            .iter()
            .map(|p| match f(p) {
                "" => "\"\"",
                s => s,
            })
            .collect();
        format!("[{}]", v.join(","))
    };
    // {"t": word → stem number, "p": per stem its postings, "i": ids → doc, "x": 1 when a tail
    // file exists}, assembled from parts; "i" and "x" are left out when empty.
    let mut head = format!(
        "{{\"t\":{},\"p\":{}",
        serde_json::to_string(&terms).unwrap_or_default(),
        join(&|p| &p.head),
    );
    if !key_ids.is_empty() {
        head.push_str(",\"i\":");
        head.push_str(&serde_json::to_string(key_ids).unwrap_or_default());
    }
    if has_tail {
        head.push_str(",\"x\":1");
    }
    head.push('}');
    Entry {
        head,
        tail: has_tail.then(|| join(&|p| &p.tail)),
    }
}

/// The browser's search files under `search/`. The CLI's tantivy index is not part of the
/// site: `wa-docs search` builds it into a cache folder of the project (see [`super::query`]).
/// A one-off build (the cache keeps nothing) empties the docs' text once it is analysed.
pub fn site_files(docs: &mut [SearchDoc], cache: &mut SearchCache) -> Vec<OutFile> {
    let scored = match cache.shards.keep {
        true => cache.scorer.score(docs, true),
        false => cache.scorer.score_releasing(docs),
    };
    browser_files(&scored, docs, &mut cache.shards)
}

/// The anchor most headings get, in a form `search.js` repeats exactly: an ASCII title
/// lowercased, each run of other characters than letters and digits made one `-`, none at the
/// ends. `None` for other titles (the real anchor is then written out).
fn ascii_anchor(title: &str) -> Option<String> {
    if !title.is_ascii() {
        return None;
    }
    let mut out = String::with_capacity(title.len());
    for part in title
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|p| !p.is_empty())
    {
        if !out.is_empty() {
            out.push('-');
        }
        out.push_str(&part.to_ascii_lowercase());
    }
    (!out.is_empty()).then_some(out)
}

/// A chunk of result metadata as JSON: per doc `[title, breadcrumb, url, kind, excerpt]`, with
/// the kind as its number in the manifest's kind table and what repeats within a chunk left out.
/// A page's sections follow the page, so their breadcrumb is mostly the page's own trail and
/// title ("context") or a section's just before, and their URL the page's with another anchor:
///
/// - a breadcrumb that is a number `j > 0` is the context (breadcrumb › title) of the row `j`
///   rows back; `-j` is that row's breadcrumb;
/// - a URL starting with `#` is the anchor on the previous row's page; `#` alone stands for
///   the anchor [`ascii_anchor`] makes of the row's title, which it is for most headings.
fn meta_rows(
    chunk: &[SearchDoc],
    excerpts: &[Arc<str>],
    kinds: impl Iterator<Item = usize>,
) -> String {
    let context = |d: &SearchDoc| {
        if d.breadcrumb.is_empty() {
            d.title.clone()
        } else {
            format!("{} › {}", d.breadcrumb, d.title)
        }
    };
    let page = |url: &str| url.split('#').next().unwrap_or("").to_string();
    let mut rows = Vec::with_capacity(chunk.len());
    for (i, ((d, e), kind)) in chunk.iter().zip(excerpts).zip(kinds).enumerate() {
        let crumb = (1..=i)
            .find_map(|j| {
                let back = &chunk[i - j];
                if !d.breadcrumb.is_empty() && context(back) == d.breadcrumb {
                    Some(json!(j))
                } else if back.breadcrumb == d.breadcrumb && d.breadcrumb.len() > 2 {
                    Some(json!(-(j as i64)))
                } else {
                    None
                }
            })
            .unwrap_or_else(|| json!(d.breadcrumb));
        let url = match d.url.split_once('#') {
            Some((path, anchor))
                if i > 0 && !path.is_empty() && page(&chunk[i - 1].url) == path =>
            {
                if ascii_anchor(&d.title).as_deref() == Some(anchor) {
                    "#".to_string()
                } else {
                    format!("#{anchor}")
                }
            }
            _ => d.url.clone(),
        };
        rows.push(json!([d.title, crumb, url, kind, &**e]));
    }
    Value::Array(rows).to_string()
}

fn browser_files(scored: &Scored, docs: &[SearchDoc], memo: &mut ShardMemo) -> Vec<OutFile> {
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
    // Metadata for results, loaded per chunk.
    let mut chunks = HashMap::new();
    for (c, ((chunk, excerpts), kinds)) in docs
        .chunks(META_CHUNK)
        .zip(scored.excerpts.chunks(META_CHUNK))
        .zip(codes.chunks(META_CHUNK))
        .enumerate()
    {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        for ((d, e), k) in chunk.iter().zip(excerpts).zip(kinds) {
            (&d.title, &d.breadcrumb, &d.url, k.0[0], e).hash(&mut h);
        }
        let hash = h.finish();
        let file = match memo.chunks.remove(&c) {
            Some((old, f)) if old == hash => f,
            _ => {
                let rows = meta_rows(chunk, excerpts, kinds.iter().map(|k| k.0[0]));
                OutFile {
                    path: format!("search/m{c}.js"),
                    bytes: script(&format!("m{c}"), &rows).into(),
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
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads a number string back, as `search.js` does.
    fn numbers(s: &str) -> Vec<u32> {
        let mut out = Vec::new();
        let mut n = 0u32;
        for c in s.bytes() {
            let v = DIGITS.iter().position(|d| *d == c).unwrap() as u32;
            n = n * 32 + (v & 31);
            if v < 32 {
                out.push(n);
                n = 0;
            }
        }
        out
    }

    /// Postings from numbers, as `search.js` does.
    fn postings(a: &[u32]) -> Vec<(u32, u32)> {
        let (mut out, mut i, mut score) = (Vec::new(), 0, 0);
        while i < a.len() {
            score = if out.is_empty() {
                a[i]
            } else {
                score - a[i] - 1
            };
            let size = a[i + 1] + 1;
            i += 2;
            let mut doc = 0;
            for k in 0..size {
                doc = if k == 0 { a[i] } else { doc + a[i] + 1 };
                out.push((doc, score));
                i += 1;
            }
        }
        out
    }

    #[test]
    fn numbers_read_back_and_small_ones_take_one_character() {
        let values = [0, 1, 31, 32, 1023, 1024, 65_535, 1 << 20, u32::MAX];
        let mut s = String::new();
        for v in values {
            push_number(&mut s, v);
        }
        assert_eq!(numbers(&s), values);
        let mut one = String::new();
        push_number(&mut one, 31);
        assert_eq!(one, "f");
        // Nothing a JS string literal or JSON would have to escape.
        assert!(
            s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        );
    }

    #[test]
    fn postings_read_back_best_first_with_their_count() {
        let p: Vec<(u32, u32)> = (0..130u32).map(|d| (d * 7 % 131, 1 + d % 5)).collect();
        let (head, tail) = split_postings(Some(&p));
        let h = numbers(head.trim_matches('"'));
        assert_eq!(h[0], 130);
        let mut got = postings(&h[1..]);
        assert_eq!(got.len(), HEAD_POSTINGS);
        got.extend(postings(&numbers(tail.trim_matches('"'))));
        let mut want = p.clone();
        want.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        assert_eq!(got, want);
        // Few postings: no tail.
        let (head, tail) = split_postings(Some(&[(42, 7)]));
        assert_eq!(postings(&numbers(head.trim_matches('"'))[1..]), [(42, 7)]);
        assert!(tail.is_empty());
    }
}
