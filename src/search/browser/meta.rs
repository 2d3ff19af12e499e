//! What a result shows once found: per-doc metadata in chunks of [`META_CHUNK`] docs (title,
//! breadcrumb, URL, kind, excerpt, with what repeats within a chunk left out), and the facet
//! codes the filters read.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use serde_json::{Value, json};

use super::{META_CHUNK, Out, ShardMemo, script};
use crate::project::OutFile;
use crate::search::SearchDoc;
use crate::search::scores::excerpt;

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
                if !d.breadcrumb.is_empty() && *context(back) == *d.breadcrumb {
                    Some(json!(j))
                } else if back.breadcrumb == d.breadcrumb && d.breadcrumb.len() > 2 {
                    Some(json!(-(j as i64)))
                } else {
                    None
                }
            })
            .unwrap_or_else(|| json!(&*d.breadcrumb));
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

/// Facet codes: per doc one code per single-valued facet (kind, lens, pillar, risk) and the
/// list of its scenario codes (a practice sits in many checklists); and the five tables the
/// codes index.
#[allow(clippy::type_complexity)]
pub(super) fn facet_codes(docs: &[SearchDoc]) -> (Vec<([usize; 4], Vec<usize>)>, [Vec<String>; 5]) {
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
    let codes = docs
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
    (codes, tables)
}

/// The metadata files, one per chunk of docs; a chunk whose rows are as in the previous build
/// is not made again.
pub(super) fn chunk_files(
    docs: &[SearchDoc],
    excerpts: &[Option<Arc<str>>],
    codes: &[([usize; 4], Vec<usize>)],
    memo: &mut ShardMemo,
    files: &mut Out,
) {
    let mut chunks = HashMap::new();
    for (c, ((chunk, excerpts), kinds)) in docs
        .chunks(META_CHUNK)
        .zip(excerpts.chunks(META_CHUNK))
        .zip(codes.chunks(META_CHUNK))
        .enumerate()
    {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        for ((d, e), k) in chunk.iter().zip(excerpts).zip(kinds) {
            (&d.title, &d.breadcrumb, &d.url, k.0[0]).hash(&mut h);
            // A doc without its excerpt (`serve`) stands for it with what it is made from.
            match e {
                Some(e) => e.hash(&mut h),
                None => d.body.hash(&mut h),
            }
        }
        let hash = h.finish();
        if memo.keep {
            chunks.insert(c, hash);
        }
        let path = format!("search/m{c}.js");
        if memo.chunks.get(&c) == Some(&hash) && files.keep(&path) {
            continue;
        }
        let file = {
            {
                let excerpts: Vec<Arc<str>> = (chunk.iter().zip(excerpts))
                    .map(|(d, e)| e.clone().unwrap_or_else(|| excerpt(&d.body.text()).into()))
                    .collect();
                let rows = meta_rows(chunk, &excerpts, kinds.iter().map(|k| k.0[0]));
                OutFile {
                    path,
                    bytes: script(&format!("m{c}"), &rows).into(),
                    article: None,
                }
            }
        };
        files.push(file);
    }
    memo.chunks = chunks;
}
