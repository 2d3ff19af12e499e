//! The tantivy index and the one scoring routine both the CLI and the browser shards use:
//! per (stem, doc), the sum over fields of tantivy's BM25 weight times the field boost, times the
//! doc's boost, rounded to integer units so both sides add up identical numbers.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use tantivy::postings::Postings;
use tantivy::query::Bm25Weight;
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::tokenizer::{
    Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer, StopWordFilter, TextAnalyzer,
};
use tantivy::{DocSet, Index, IndexReader, Searcher, TERMINATED, TantivyDocument, Term};

use super::{BOOST_ALIASES, BOOST_BODY, BOOST_HEADINGS, BOOST_ID, BOOST_TITLE, SearchDoc};

/// Lucene's English stop words (tantivy's list); shipped to the browser too.
pub const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into", "is", "it",
    "no", "not", "of", "on", "or", "such", "that", "the", "their", "then", "there", "these",
    "they", "this", "to", "was", "will", "with",
];

/// Tokens longer than this (in bytes) are dropped, as tantivy's RemoveLongFilter does.
pub const MAX_TOKEN_BYTES: usize = 40;

pub const TOKENIZER: &str = "wa_en";

/// Scores are stored as integers in these units.
pub const SCORE_SCALE: f32 = 10.0;

/// Splitting, lowercasing and stop words, without stemming: the words a reader types.
pub fn surface_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .filter(StopWordFilter::remove(
            STOP_WORDS.iter().map(|s| s.to_string()),
        ))
        .build()
}

/// The index's analyzer: the surface analyzer plus English stemming.
pub fn stem_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
        .filter(LowerCaser)
        .filter(StopWordFilter::remove(
            STOP_WORDS.iter().map(|s| s.to_string()),
        ))
        .filter(Stemmer::new(Language::English))
        .build()
}

pub fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut stream = analyzer.token_stream(text);
    while let Some(t) = stream.next() {
        out.push(t.text.clone());
    }
    out
}

pub struct Fields {
    pub title: Field,
    pub id: Field,
    pub headings: Field,
    pub body: Field,
    pub aliases: Field,
    pub n: Field,
    pub kind: Field,
    pub lens: Field,
    pub pillar: Field,
    pub risk: Field,
    pub scenario: Field,
}

impl Fields {
    pub fn weighted(&self) -> [(Field, f32); 5] {
        [
            (self.title, BOOST_TITLE),
            (self.id, BOOST_ID),
            (self.headings, BOOST_HEADINGS),
            (self.body, BOOST_BODY),
            (self.aliases, BOOST_ALIASES),
        ]
    }
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(TOKENIZER)
            .set_index_option(IndexRecordOption::WithFreqs),
    );
    let fields = Fields {
        title: b.add_text_field("title", text.clone()),
        id: b.add_text_field("id", text.clone()),
        headings: b.add_text_field("headings", text.clone()),
        body: b.add_text_field("body", text.clone()),
        aliases: b.add_text_field("aliases", text),
        n: b.add_u64_field("n", INDEXED | FAST | STORED),
        kind: b.add_text_field("kind", STRING),
        lens: b.add_text_field("lens", STRING),
        pillar: b.add_text_field("pillar", STRING),
        risk: b.add_text_field("risk", STRING),
        scenario: b.add_text_field("scenario", STRING),
    };
    (b.build(), fields)
}

fn register(index: &Index) {
    index.tokenizers().register(TOKENIZER, stem_analyzer());
}

pub struct SearchIndex {
    pub index: Index,
    pub reader: IndexReader,
    pub fields: Fields,
    /// Per-doc boost, by doc number.
    pub boosts: Vec<f32>,
}

fn terr(e: impl std::fmt::Display) -> String {
    format!("search index: {e}")
}

/// Writes the index for `docs` into `dir` (which must exist and be empty).
pub fn build(docs: &[SearchDoc], dir: &Path) -> Result<SearchIndex, String> {
    let (schema, f) = schema();
    let index = Index::create_in_dir(dir, schema).map_err(terr)?;
    register(&index);
    let mut writer = index.writer_with_num_threads(1, 50_000_000).map_err(terr)?;
    for (n, d) in docs.iter().enumerate() {
        let mut doc = TantivyDocument::default();
        doc.add_text(f.title, &d.title);
        doc.add_text(f.id, &d.id);
        doc.add_text(f.headings, &d.headings);
        doc.add_text(f.body, d.body.text());
        doc.add_text(f.aliases, &d.aliases);
        doc.add_u64(f.n, n as u64);
        doc.add_text(f.kind, d.kind);
        doc.add_text(f.lens, &d.lens);
        doc.add_text(f.pillar, &d.pillar);
        doc.add_text(f.risk, &d.risk);
        for s in &d.scenarios {
            doc.add_text(f.scenario, s);
        }
        writer.add_document(doc).map_err(terr)?;
    }
    writer.commit().map_err(terr)?;
    writer.wait_merging_threads().map_err(terr)?;
    let reader = index.reader().map_err(terr)?;
    reader.reload().map_err(terr)?;
    Ok(SearchIndex {
        index,
        reader,
        fields: f,
        boosts: docs.iter().map(|d| d.boost).collect(),
    })
}

/// Opens an index written by [`build`]; boosts come from the stored metadata.
pub fn open(dir: &Path, boosts: Vec<f32>) -> Result<SearchIndex, String> {
    let index = Index::open_in_dir(dir).map_err(terr)?;
    register(&index);
    let s = index.schema();
    let get = |name: &str| s.get_field(name).map_err(terr);
    let fields = Fields {
        title: get("title")?,
        id: get("id")?,
        headings: get("headings")?,
        body: get("body")?,
        aliases: get("aliases")?,
        n: get("n")?,
        kind: get("kind")?,
        lens: get("lens")?,
        pillar: get("pillar")?,
        risk: get("risk")?,
        scenario: get("scenario")?,
    };
    let reader = index.reader().map_err(terr)?;
    Ok(SearchIndex {
        index,
        reader,
        fields,
        boosts,
    })
}

/// Scores of one term in one field, added into `acc` (doc number -> unscaled score).
fn add_term_scores(
    si: &SearchIndex,
    searcher: &Searcher,
    field: Field,
    boost: f32,
    term: &Term,
    acc: &mut HashMap<u32, f32>,
) -> Result<(), String> {
    if searcher.doc_freq(term).map_err(terr)? == 0 {
        return Ok(());
    }
    let weight = Bm25Weight::for_terms(searcher, std::slice::from_ref(term)).map_err(terr)?;
    for seg in searcher.segment_readers() {
        let inverted = seg.inverted_index(field).map_err(terr)?;
        let Some(mut postings) = inverted
            .read_postings(term, IndexRecordOption::WithFreqs)
            .map_err(terr)?
        else {
            continue;
        };
        let norms = seg.get_fieldnorms_reader(field).map_err(terr)?;
        let ns = seg.fast_fields().u64("n").map_err(terr)?;
        let mut doc = postings.doc();
        while doc != TERMINATED {
            if let Some(n) = ns.first(doc) {
                let n = n as u32;
                let s = weight.score(norms.fieldnorm_id(doc), postings.term_freq())
                    * boost
                    * si.boosts.get(n as usize).copied().unwrap_or(1.0);
                *acc.entry(n).or_default() += s;
            }
            doc = postings.advance();
        }
    }
    Ok(())
}

/// Integer score units per doc for one stem, summed over the weighted fields.
pub fn stem_scores(
    si: &SearchIndex,
    searcher: &Searcher,
    stem: &str,
) -> Result<BTreeMap<u32, u32>, String> {
    let mut acc = HashMap::new();
    for (field, boost) in si.fields.weighted() {
        add_term_scores(
            si,
            searcher,
            field,
            boost,
            &Term::from_field_text(field, stem),
            &mut acc,
        )?;
    }
    Ok(acc
        .into_iter()
        .map(|(d, s)| (d, (s * SCORE_SCALE).round().max(1.0) as u32))
        .collect())
}

/// Every stem in the index's weighted fields.
pub fn all_stems(si: &SearchIndex, searcher: &Searcher) -> Result<Vec<String>, String> {
    let mut stems = std::collections::BTreeSet::new();
    for (field, _) in si.fields.weighted() {
        for seg in searcher.segment_readers() {
            let inverted = seg.inverted_index(field).map_err(terr)?;
            let mut stream = inverted.terms().stream().map_err(terr)?;
            while stream.advance() {
                if let Ok(s) = std::str::from_utf8(stream.key()) {
                    stems.insert(s.to_string());
                }
            }
        }
    }
    Ok(stems.into_iter().collect())
}

/// A ranked hit: the best doc of a page (its anchor is the one shown), how many query words
/// that doc matched, and its score.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hit {
    pub doc: u32,
    pub matched: u32,
    pub score: f64,
}

/// How much a doc matching only some of the query's words keeps of its score: the share of
/// words matched, to this power. BM25 adds the words' weights (a rare word counts more than
/// several common ones); this keeps docs with every word ahead of near-misses.
pub const COORD_POWER: i32 = 1;

/// Weight of a stem a query word stands for by edit distance (index: the distance), against 1
/// for the word itself.
pub const FUZZY_WEIGHT: [f64; 3] = [1.0, 0.6, 0.4];

/// Ranks docs for a query. Each query word stands for some stems with weights (its own stem,
/// for the last word also the words it begins, for a word no doc holds the words within edit
/// distance 1 or 2); per doc it counts once, with its best weighted stem score. A doc's score is
/// the sum over words times the coordination factor ([`COORD_POWER`]). Results are grouped by
/// page (`page[doc]`, docs of one page are consecutive): each page shows its best doc, pages by
/// best score, then earlier docs. The browser's `search.js` does the same arithmetic.
pub fn rank(
    word_stems: &[Vec<(String, f64)>],
    scores: &HashMap<String, BTreeMap<u32, u32>>,
    page: &[u32],
) -> Vec<Hit> {
    let n = word_stems.len();
    let mut per_doc: HashMap<u32, (u32, f64)> = HashMap::new();
    for stems in word_stems {
        let mut best: HashMap<u32, f64> = HashMap::new();
        for (s, w) in stems {
            if let Some(post) = scores.get(s) {
                for (&d, &v) in post {
                    let x = f64::from(v) * w;
                    let e = best.entry(d).or_default();
                    if x > *e {
                        *e = x;
                    }
                }
            }
        }
        // Words are added in query order so that both sides sum identically.
        let mut best: Vec<(u32, f64)> = best.into_iter().collect();
        best.sort_unstable_by_key(|b| b.0);
        for (d, v) in best {
            let e = per_doc.entry(d).or_default();
            e.0 += 1;
            e.1 += v;
        }
    }
    let mut pages: HashMap<u32, Hit> = HashMap::new();
    for (doc, (matched, sum)) in per_doc {
        let score = sum * coord(matched as usize, n);
        let hit = Hit {
            doc,
            matched,
            score,
        };
        let p = page.get(doc as usize).copied().unwrap_or(doc);
        match pages.get_mut(&p) {
            Some(h) if better(h, &hit) => {}
            Some(h) => *h = hit,
            None => {
                pages.insert(p, hit);
            }
        }
    }
    let mut hits: Vec<Hit> = pages.into_values().collect();
    hits.sort_by(|a, b| {
        if better(a, b) {
            std::cmp::Ordering::Less
        } else {
            std::cmp::Ordering::Greater
        }
    });
    hits
}

/// Phrases: among the first [`PHRASE_TOP`] hits, a doc whose title holds two neighbouring query
/// words side by side gains [`PHRASE_BONUS`] of its score, shared out over the query's pairs of
/// words; those hits are then ordered again. Titles are what the browser has loaded for the
/// results it shows, so proximity costs it no download.
pub const PHRASE_TOP: usize = 10;
pub const PHRASE_BONUS: f64 = 1.0;

/// Reorders the first [`PHRASE_TOP`] hits (after `skip` fixed ones) by title phrases; `words`
/// are the query's words, `title_words` a doc's title's (both as [`surface_analyzer`] makes them).
pub fn rerank_phrases(
    hits: &mut [Hit],
    skip: usize,
    words: &[String],
    title_words: impl Fn(u32) -> Vec<String>,
) {
    let k = PHRASE_TOP.min(hits.len());
    if words.len() < 2 || k <= skip {
        return;
    }
    let top = &mut hits[skip..k];
    for h in top.iter_mut() {
        let p = pairs(words, &title_words(h.doc));
        if p > 0 {
            h.score = h.score + h.score * PHRASE_BONUS * p as f64 / (words.len() - 1) as f64;
        }
    }
    top.sort_by(|a, b| {
        if better(a, b) {
            std::cmp::Ordering::Less
        } else {
            std::cmp::Ordering::Greater
        }
    });
}

/// How many neighbouring pairs of `words` stand side by side in `title` (each pair counted once).
pub fn pairs(words: &[String], title: &[String]) -> usize {
    words
        .windows(2)
        .filter(|w| {
            title
                .windows(2)
                .any(|t| same_word(&w[0], &t[0]) && same_word(&w[1], &t[1]))
        })
        .count()
}

/// Two forms of a word: equal, or sharing all but the last two letters of the shorter, at
/// least four ("injection" and "injected", "prompts" and "prompt").
fn same_word(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let k = a.len().min(b.len()).saturating_sub(2);
    k >= 4 && a[..k] == b[..k]
}

/// Whether `a` ranks before `b`: higher score, then the earlier doc.
fn better(a: &Hit, b: &Hit) -> bool {
    a.score > b.score || (a.score == b.score && a.doc < b.doc)
}

/// The coordination factor for `matched` of `n` words.
pub fn coord(matched: usize, n: usize) -> f64 {
    if n == 0 {
        return 0.0;
    }
    // Multiplied out, as search.js does, so both sides get the same bits.
    let r = matched as f64 / n as f64;
    let mut c = 1.0;
    for _ in 0..COORD_POWER {
        c *= r;
    }
    c
}

/// The page number of each doc: docs of one page (one URL before `#`) are consecutive, and the
/// page is numbered by its first doc.
pub fn pages<'a>(urls: impl Iterator<Item = &'a str>) -> Vec<u32> {
    let mut out: Vec<u32> = Vec::new();
    let mut last = "";
    for (i, u) in urls.enumerate() {
        let path = u.split('#').next().unwrap_or("");
        if i > 0 && path == last {
            let p = out[i - 1];
            out.push(p);
        } else {
            out.push(i as u32);
        }
        last = path;
    }
    out
}

/// Optimal-string-alignment distance (a swap of two neighbours counts one), or `None` when it
/// is above `max`.
pub fn edit_distance(a: &[char], b: &[char], max: usize) -> Option<usize> {
    if a.len().abs_diff(b.len()) > max {
        return None;
    }
    let w = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * w];
    for i in 0..=a.len() {
        d[i * w] = i;
    }
    for (j, x) in d.iter_mut().enumerate().take(w) {
        *x = j;
    }
    for i in 1..=a.len() {
        let mut row_min = usize::MAX;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[(i - 1) * w + j] + 1)
                .min(d[i * w + j - 1] + 1)
                .min(d[(i - 1) * w + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[(i - 2) * w + j - 2] + 1);
            }
            d[i * w + j] = v;
            row_min = row_min.min(v);
        }
        if row_min > max {
            return None;
        }
    }
    let v = d[a.len() * w + b.len()];
    (v <= max).then_some(v)
}
