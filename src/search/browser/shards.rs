//! The word shards: per key (the first characters of a word) the words with their stem
//! numbers, each stem's postings and the ids under that key, grouped into files of about
//! [`SHARD_TARGET_BYTES`]. Between builds `serve` keeps only a digest and a length per key and
//! each shard's files compressed: an edit encodes again the shards holding a word whose
//! postings changed, and reuses the others as they are.

use std::collections::{BTreeMap, HashMap};
use std::hash::{Hash, Hasher};

use serde_json::{Value, json};

use super::numbers::split_postings;
use super::{Out, SHARD_TARGET_BYTES, ShardMemo, script};
use crate::project::OutFile;
use crate::search::query::key_of;
use crate::search::scores::Scored;

/// One key's shard entry (and tail), as JSON text.
struct Entry {
    head: String,
    tail: Option<String>,
}

/// A key of the shard being collected: its words (surface, stem), its ids, and its entry when
/// it had to be made afresh.
struct Key<'a> {
    key: &'a str,
    words: &'a [(&'a str, &'a str)],
    ids: serde_json::Map<String, Value>,
    entry: Option<Entry>,
}

/// Consecutive keys collected into one shard file (and its tail file).
#[derive(Default)]
struct ShardGroup<'a> {
    keys: Vec<Key<'a>>,
    size: usize,
    /// Whether any key's entry was made afresh in this build.
    dirty: bool,
}

fn push_member(obj: &mut String, key: &str, value: &str) {
    obj.push(if obj.is_empty() { '{' } else { ',' });
    obj.push_str(&Value::String(key.to_string()).to_string());
    obj.push(':');
    obj.push_str(value);
}

/// What a key's entry is made from, as a digest: its words with their stems, and its ids.
fn key_digest(words: &[(&str, &str)], ids: &serde_json::Map<String, Value>) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    words.hash(&mut h);
    for (id, n) in ids {
        (id, n.as_u64()).hash(&mut h);
    }
    h.finish()
}

impl ShardGroup<'_> {
    /// Writes the shard (reusing last build's files when no key changed) and starts the next.
    fn flush(
        &mut self,
        scored: &Scored,
        files: &mut Out,
        first_keys: &mut Vec<Value>,
        memo: &mut ShardMemo,
    ) {
        let Some(first) = self.keys.first().map(|k| k.key.to_string()) else {
            return;
        };
        let n = first_keys.len();
        first_keys.push(json!(first));
        let keys = std::mem::take(&mut self.keys);
        let dirty = std::mem::take(&mut self.dirty);
        self.size = 0;
        let names: Vec<String> = keys.iter().map(|k| k.key.to_string()).collect();
        // Unchanged: the emitter keeps last build's files. What it cannot keep is made again.
        let mut kept = Vec::new();
        if !dirty
            && let Some((was, paths)) = memo.groups.get(n)
            && *was == names
        {
            kept = paths.iter().filter(|p| files.keep(p)).cloned().collect();
            if kept.len() == paths.len() {
                return;
            }
        }
        // Keys unchanged since the last build, in a shard that changed, are encoded again
        // here: the work stays within this one shard.
        let (mut heads, mut tails) = (String::new(), String::new());
        for k in keys {
            let e = k.entry.unwrap_or_else(|| entry_of(k.words, scored, &k.ids));
            push_member(&mut heads, k.key, &e.head);
            if let Some(t) = &e.tail {
                push_member(&mut tails, k.key, t);
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
        if memo.keep {
            if memo.groups.len() <= n {
                memo.groups.resize_with(n + 1, Default::default);
            }
            memo.groups[n] = (names, made.iter().map(|f| f.path.clone()).collect());
        }
        for f in made.into_iter().filter(|f| !kept.contains(&f.path)) {
            files.push(f);
        }
    }
}

fn entry_of(
    words: &[(&str, &str)],
    scored: &Scored,
    key_ids: &serde_json::Map<String, Value>,
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
    let parts: Vec<(String, String)> = local
        .iter()
        .map(|s| split_postings(scored.postings.get(*s).map(|p| p.to_vec()).as_deref()))
        .collect();
    let has_tail = parts.iter().any(|p| !p.1.is_empty());
    let join = |tail: bool| {
        let v: Vec<&str> = parts
            .iter()
            .map(|p| match if tail { &p.1 } else { &p.0 }.as_str() {
                "" => "\"\"",
                s => s,
            })
            .collect();
        format!("[{}]", v.join(","))
    };
    // {"t": word → stem number, "p": per stem its postings, "i": ids → doc, "x": 1 when a tail
    // file exists}; "i" and "x" are left out when empty.
    let mut head = format!(
        "{{\"t\":{},\"p\":{}",
        serde_json::to_string(&terms).unwrap_or_default(),
        join(false),
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
        tail: has_tail.then(|| join(true)),
    }
}

/// The shard files, in key order; returns each shard's first key (the manifest's list).
pub(super) fn shard_files(
    scored: &Scored,
    by_key: &BTreeMap<String, Vec<(&str, &str)>>,
    ids: &BTreeMap<String, u32>,
    memo: &mut ShardMemo,
    files: &mut Out,
) -> Vec<Value> {
    let mut first_keys: Vec<Value> = Vec::new();
    let mut group = ShardGroup::default();
    let mut kept = HashMap::with_capacity(if memo.keep { by_key.len() } else { 0 });
    for (key, words) in by_key {
        let key_ids: serde_json::Map<String, Value> = ids
            .range(key.clone()..)
            .take_while(|(id, _)| key_of(id) == *key)
            .map(|(id, n)| (id.clone(), json!(n)))
            .collect();
        let digest = key_digest(words, &key_ids);
        let same = memo
            .keys
            .get(key)
            .filter(|(d, _)| *d == digest)
            .map(|&(_, len)| len);
        let (len, entry) = match same {
            Some(len) if !words.iter().any(|(_, s)| scored.changed.contains(*s)) => (len, None),
            _ => {
                let e = entry_of(words, scored, &key_ids);
                group.dirty = true;
                (e.head.len(), Some(e))
            }
        };
        if memo.keep {
            kept.insert(key.clone(), (digest, len));
        }
        group.size += len + key.len() + 4;
        group.keys.push(Key {
            key,
            words,
            ids: key_ids,
            entry,
        });
        if group.size >= SHARD_TARGET_BYTES {
            group.flush(scored, files, &mut first_keys, memo);
        }
    }
    group.flush(scored, files, &mut first_keys, memo);
    memo.groups.truncate(first_keys.len());
    memo.keys = kept;
    first_keys
}
