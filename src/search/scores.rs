//! Per-stem scores for the browser shards, computed from each doc's own term counts with
//! tantivy's BM25 weight and field-norm coding, so they equal what [`super::index::stem_scores`]
//! reads back from a tantivy index (a test holds the two to the same numbers).
//!
//! Why not read them from tantivy: a doc's term counts do not change when another doc does, so
//! they can be kept between builds. `wa-docs serve` re-analyses only the docs an edit touched
//! and redoes just the cheap global part (doc frequencies and field averages), and a full build
//! analyses docs in parallel while tantivy writes the CLI's index beside it.

use std::collections::{BTreeMap, HashMap};

use rustc_hash::FxHashMap;
use std::sync::Arc;

use rayon::prelude::*;
use tantivy::fieldnorm::FieldNormReader;
use tantivy::query::Bm25Weight;

#[cfg(test)]
use super::Body;
use super::index::{self, SCORE_SCALE};
use super::varint;
use super::{BOOST_ALIASES, BOOST_BODY, BOOST_HEADINGS, BOOST_ID, BOOST_TITLE, SearchDoc};

/// How many weighted fields a doc has.
const NF: usize = 5;

/// The weighted fields, in the order tantivy's scores are summed.
const FIELD_BOOSTS: [f32; NF] = [
    BOOST_TITLE,
    BOOST_ID,
    BOOST_HEADINGS,
    BOOST_BODY,
    BOOST_ALIASES,
];

/// A doc's weighted fields, its body unpacked by the caller.
fn fields<'a>(d: &'a SearchDoc, body: &'a str) -> [&'a str; NF] {
    [&d.title, &d.id, &d.headings, body, &d.aliases]
}

/// A digest of the fields a doc's analysis is made from, to tell an unchanged doc in the next
/// build. 64 bits: a collision between two versions of one doc is out of reach.
fn digest(d: &SearchDoc) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    (&d.title, &d.id, &d.headings, &d.body, &d.aliases).hash(&mut h);
    h.finish()
}

/// A digest of one stem's postings, to tell the stems an edit changed.
fn list_digest(list: &varint::PostingList) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    list.hash(&mut h);
    h.finish()
}

/// What one doc contributes, independent of every other doc.
#[derive(Debug)]
struct Analysis {
    /// Tokens per field (tantivy's field norm before coding).
    lens: [u32; NF],
    /// (stem, field, term frequency), sorted by stem then field.
    terms: varint::Terms,
    /// Surface words (ids), each once.
    words: varint::Ids,
    /// The start of the body, shown under a result; `None` when the doc's body points into
    /// fragments that stay alive (`serve`), which give it again when a result row is made:
    /// kept for every doc it would be 150 MiB at 100,000 pages.
    excerpt: Option<Arc<str>>,
}

/// A doc's analysis before its words have ids: runs on any thread.
struct RawAnalysis {
    lens: [u32; NF],
    excerpt: Option<String>,
    /// (surface word, field, count).
    words: Vec<(String, u8, u32)>,
}

fn analyse(d: &SearchDoc) -> RawAnalysis {
    let mut surf = index::surface_analyzer();
    let mut lens = [0u32; NF];
    // Counts per word and field, keyed by the word alone so that a word seen before (most
    // tokens) is counted without allocating.
    let mut counts: FxHashMap<String, [u32; NF]> = FxHashMap::default();
    let body = d.body.text();
    for (f, text) in fields(d, &body).into_iter().enumerate() {
        let mut stream = surf.token_stream(text);
        while let Some(t) = stream.next() {
            lens[f] += 1;
            match counts.get_mut(t.text.as_str()) {
                Some(c) => c[f] += 1,
                None => {
                    let mut c = [0; NF];
                    c[f] = 1;
                    counts.insert(t.text.clone(), c);
                }
            }
        }
    }
    let mut words: Vec<(String, u8, u32)> = counts
        .into_iter()
        .flat_map(|(w, c)| {
            (0..NF as u8)
                .filter(|&f| c[usize::from(f)] > 0)
                .map(|f| (w.clone(), f, c[usize::from(f)]))
                .collect::<Vec<_>>()
        })
        .collect();
    words.sort_unstable();
    RawAnalysis {
        lens,
        words,
        excerpt: d.body.is_owned().then(|| excerpt(&body)),
    }
}

/// The docs a scorer reads, and whether it may empty their text once analysed.
enum Docs<'a> {
    Shared(&'a [SearchDoc]),
    Released(&'a mut [SearchDoc]),
}

impl Docs<'_> {
    fn all(&self) -> &[SearchDoc] {
        match self {
            Docs::Shared(d) => d,
            Docs::Released(d) => d,
        }
    }

    /// A body pointing into fragments costs nothing to keep, and gives the excerpt again later.
    fn release(&mut self, i: usize) {
        if let Docs::Released(d) = self {
            if d[i].body.is_owned() {
                d[i].body = Default::default();
            }
            d[i].headings = String::new();
            d[i].aliases = String::new();
        }
    }
}

/// Per-stem postings: doc number and score units, in doc order.
pub type Postings = HashMap<String, Arc<varint::PostingList>>;

/// The scorer's output for one set of docs.
pub struct Scored {
    pub postings: Postings,
    /// Every surface word with its stem.
    pub surfaces: Arc<BTreeMap<String, String>>,
    /// Per doc, the start of its body.
    pub excerpts: Vec<Option<Arc<str>>>,
    /// Stems whose postings differ from the previous build's (all of them on a first build).
    pub changed: std::collections::HashSet<String>,
}

/// Keeps word ids, stems and each doc's analysis between builds.
#[derive(Default)]
pub struct Scorer {
    // Fx hashing: these maps take one lookup per word of every doc, and SipHash's resistance
    // to crafted keys buys nothing in a one-user build.
    word_ids: FxHashMap<String, u32>,
    /// Per word id: the word and its stem id (`None` when stemming leaves nothing).
    words: Vec<(String, Option<u32>)>,
    stem_ids: FxHashMap<String, u32>,
    stems: Vec<String>,
    /// Analyses by doc URL, with a digest of the text they were made from (the text itself
    /// would be a second copy of the whole site's); entries unused by a build are dropped
    /// after it.
    cache: HashMap<String, (u64, Arc<Analysis>)>,
    stemmer: Option<tantivy::tokenizer::TextAnalyzer>,
    /// Words seen by a one-off build (which keeps no per-doc word lists), by word id.
    one_off_words: Vec<bool>,
    /// A digest of the previous build's postings, by stem id: enough to tell which changed,
    /// without holding a second copy of every list.
    last: Vec<u64>,
    /// The previous build's surface words (by word id) and their map.
    last_words: (Vec<bool>, Arc<BTreeMap<String, String>>),
}

impl Scorer {
    fn word_id(&mut self, w: &str) -> u32 {
        if let Some(&id) = self.word_ids.get(w) {
            return id;
        }
        let stem = index::tokens(self.stemmer.get_or_insert_with(index::stem_analyzer), w)
            .into_iter()
            .next();
        let stem_id = stem.map(|s| match self.stem_ids.get(&s) {
            Some(&id) => id,
            None => {
                let id = self.stems.len() as u32;
                self.stem_ids.insert(s.clone(), id);
                self.stems.push(s);
                id
            }
        });
        let id = self.words.len() as u32;
        self.word_ids.insert(w.to_string(), id);
        self.words.push((w.to_string(), stem_id));
        id
    }

    /// Interns analysed docs into `analyses`; returns their numbers.
    fn intern_all(
        &mut self,
        fresh: Vec<(usize, RawAnalysis)>,
        docs: &[SearchDoc],
        analyses: &mut [Option<Arc<Analysis>>],
        keep: bool,
    ) -> Vec<usize> {
        let mut done = Vec::with_capacity(fresh.len());
        for (i, raw) in fresh {
            let mut a = self.intern(raw);
            if !keep {
                // A one-off build needs only the union of words, not each doc's list.
                self.one_off_words.resize(self.words.len(), false);
                for w in a.words.iter() {
                    self.one_off_words[w as usize] = true;
                }
                a.words = varint::Ids::default();
            }
            let a = Arc::new(a);
            if keep {
                let d = &docs[i];
                self.cache.insert(d.url.clone(), (digest(d), a.clone()));
            }
            analyses[i] = Some(a);
            done.push(i);
        }
        done
    }

    fn intern(&mut self, raw: RawAnalysis) -> Analysis {
        let mut terms: Vec<(u32, u8, u32)> = Vec::with_capacity(raw.words.len());
        let mut words = Vec::with_capacity(raw.words.len());
        for (w, f, n) in &raw.words {
            let id = self.word_id(w);
            if words.last() != Some(&id) {
                words.push(id);
            }
            if let Some(s) = self.words[id as usize].1 {
                terms.push((s, *f, *n));
            }
        }
        words.sort_unstable();
        words.dedup();
        // Several words can share a stem: sum their counts per (stem, field).
        terms.sort_unstable_by_key(|&(s, f, _)| (s, f));
        terms.dedup_by(|next, kept| {
            let same = (next.0, next.1) == (kept.0, kept.1);
            if same {
                kept.2 += next.2;
            }
            same
        });
        Analysis {
            lens: raw.lens,
            terms: varint::Terms::new(&terms),
            words: varint::Ids::new(&words),
            excerpt: raw.excerpt.map(Into::into),
        }
    }

    /// Scores every stem of `docs`, analysing only docs not seen in the previous build. With
    /// `keep` unset (a one-off build) nothing is kept for a next build.
    pub fn score(&mut self, docs: &[SearchDoc], keep: bool) -> Scored {
        self.score_docs(Docs::Shared(docs), keep)
    }

    /// Scores as [`Scorer::score`] does, emptying each doc's headings and body once it is
    /// analysed: they are most of a large site's text, and nothing after the scorer reads them.
    pub fn score_releasing(&mut self, docs: &mut [SearchDoc], keep: bool) -> Scored {
        self.score_docs(Docs::Released(docs), keep)
    }

    fn score_docs(&mut self, mut docs: Docs, keep: bool) -> Scored {
        let mut clock = crate::timing::StageClock::new();
        let mut old = std::mem::take(&mut self.cache);
        let mut analyses: Vec<Option<Arc<Analysis>>> = Vec::with_capacity(docs.all().len());
        let mut missing = Vec::new();
        for (i, d) in docs.all().iter().enumerate() {
            match old.remove(&d.url) {
                Some((text, a)) if text == digest(d) => {
                    analyses.push(Some(a.clone()));
                    self.cache.insert(d.url.clone(), (text, a));
                }
                _ => {
                    analyses.push(None);
                    missing.push(i);
                }
            }
        }
        drop(old);
        // In chunks, so the raw per-doc word lists of a large site are never all held at once.
        // Interning (one thread: it numbers words) overlaps analysing the next chunk.
        let mut pending: Vec<(usize, RawAnalysis)> = Vec::new();
        let mut chunks = missing.chunks(512);
        loop {
            let next = chunks.next();
            if next.is_none() && pending.is_empty() {
                break;
            }
            let all = docs.all();
            let (fresh, done) = rayon::join(
                || {
                    next.map(|c| c.par_iter().map(|&i| (i, analyse(&all[i]))).collect())
                        .unwrap_or_default()
                },
                || self.intern_all(std::mem::take(&mut pending), all, &mut analyses, keep),
            );
            for i in done {
                docs.release(i);
            }
            pending = fresh;
        }
        let analyses: Vec<Arc<Analysis>> = analyses.into_iter().flatten().collect();
        clock.lap("(analyse)");
        let boosts: Vec<f32> = docs.all().iter().map(|d| d.boost).collect();
        let scored = self.postings(analyses, &boosts);
        clock.lap("(postings)");
        if !keep {
            *self = Scorer::default();
        }
        scored
    }

    /// Takes the analyses so that each is let go of once its postings are made (a one-off build
    /// holds the only reference; `serve`'s cache keeps its own).
    fn postings(&mut self, analyses: Vec<Arc<Analysis>>, boosts: &[f32]) -> Scored {
        let n_docs = analyses.len() as u64;
        let mut totals = [0u64; NF];
        let mut df: Vec<[u64; NF]> = vec![[0; NF]; self.stems.len()];
        let mut used_words = std::mem::take(&mut self.one_off_words);
        used_words.resize(self.words.len(), false);
        for a in &analyses {
            for (t, l) in totals.iter_mut().zip(a.lens) {
                *t += u64::from(l);
            }
            for (s, f, _) in a.terms.iter() {
                df[s as usize][f as usize] += 1;
            }
            for w in a.words.iter() {
                used_words[w as usize] = true;
            }
        }
        // tantivy's average field norm: total tokens over total docs, as f32.
        let avg: [f32; NF] = totals.map(|t| t as f32 / n_docs.max(1) as f32);
        // A weight depends on the field and the stem's doc frequency only, and most stems share
        // a handful of frequencies.
        let mut by_df: [HashMap<u64, Bm25Weight>; NF] = Default::default();
        let weights: Vec<[Option<Bm25Weight>; NF]> = df
            .iter()
            .map(|d| {
                std::array::from_fn(|f| {
                    (d[f] > 0).then(|| {
                        by_df[f]
                            .entry(d[f])
                            .or_insert_with(|| {
                                Bm25Weight::for_one_term_without_explain(d[f], n_docs, avg[f])
                            })
                            .clone()
                    })
                })
            })
            .collect();
        let mut lists = vec![varint::PostingList::default(); self.stems.len()];
        let mut excerpts = Vec::with_capacity(analyses.len());
        for (n, a) in analyses.into_iter().enumerate() {
            excerpts.push(a.excerpt.clone());
            let norm_ids = a.lens.map(FieldNormReader::fieldnorm_to_id);
            let mut terms = a.terms.iter().peekable();
            while let Some(&(stem, _, _)) = terms.peek() {
                let mut acc = 0.0f32;
                while let Some((_, f, tf)) = terms.next_if(|t| t.0 == stem) {
                    if let Some(w) = &weights[stem as usize][f as usize] {
                        acc += w.score(norm_ids[f as usize], tf)
                            * FIELD_BOOSTS[f as usize]
                            * boosts[n];
                    }
                }
                lists[stem as usize].push(n as u32, (acc * SCORE_SCALE).round().max(1.0) as u32);
            }
        }
        self.last
            .resize(lists.len(), list_digest(&varint::PostingList::default()));
        let mut changed = std::collections::HashSet::new();
        let mut postings = HashMap::with_capacity(lists.len());
        for (s, mut list) in lists.into_iter().enumerate() {
            let d = list_digest(&list);
            if self.last[s] != d {
                self.last[s] = d;
                changed.insert(self.stems[s].clone());
            }
            if !list.is_empty() {
                list.shrink_to_fit();
                postings.insert(self.stems[s].clone(), Arc::new(list));
            }
        }
        if used_words != self.last_words.0 {
            let surfaces = used_words
                .iter()
                .enumerate()
                .filter(|(_, used)| **used)
                .filter_map(|(w, _)| {
                    let (word, stem) = &self.words[w];
                    stem.map(|s| (word.clone(), self.stems[s as usize].clone()))
                })
                .collect();
            self.last_words = (used_words, Arc::new(surfaces));
        }
        let surfaces = self.last_words.1.clone();
        Scored {
            postings,
            changed,
            surfaces,
            excerpts,
        }
    }
}

/// Characters of body text kept per doc for result excerpts.
pub const EXCERPT_CHARS: usize = 220;

/// The start of a doc's body shown under its result, cut at a word.
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::index;

    fn bundled_docs() -> Vec<SearchDoc> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let (project, diags) = crate::project::load_project(root);
        let mut project = project.expect("bundled project loads");
        assert!(!diags.has_errors());
        let mut d = crate::diag::Diagnostics::default();
        let fr = crate::render::fragments::render_fragments(&mut project, &mut d, None, false);
        crate::search::collect(&project, fr, &mut d)
    }

    fn as_map(p: &[(u32, u32)]) -> BTreeMap<u32, u32> {
        p.iter().copied().collect()
    }

    #[test]
    fn scores_equal_those_read_from_the_tantivy_index() {
        let docs = bundled_docs();
        let tmp = tempfile::tempdir().unwrap();
        let si = index::build(&docs, tmp.path()).unwrap();
        let searcher = si.reader.searcher();
        let scored = Scorer::default().score(&docs, true);
        let stems = index::all_stems(&si, &searcher).unwrap();
        assert!(stems.len() > 1000, "{}", stems.len());
        assert_eq!(stems.len(), scored.postings.len());
        for s in &stems {
            let want = index::stem_scores(&si, &searcher, s).unwrap();
            assert_eq!(as_map(&scored.postings[s].to_vec()), want, "stem {s}");
        }
        // A one-off build (which keeps nothing) scores the same.
        let once = Scorer::default().score(&docs, false);
        assert_eq!(once.surfaces, scored.surfaces);
        assert_eq!(once.postings, scored.postings);
        // Every surface word maps to a stem the index holds.
        assert!(
            scored
                .surfaces
                .values()
                .all(|s| scored.postings.contains_key(s))
        );
        assert_eq!(
            scored.surfaces.get("governance").map(String::as_str),
            Some("govern")
        );
    }

    #[test]
    fn rescoring_after_an_edit_equals_scoring_from_scratch() {
        let mut docs = bundled_docs();
        let mut scorer = Scorer::default();
        scorer.score(&docs, true);
        docs[3].body = Body::Owned(docs[3].body.text() + " quokka governance governance");
        docs.remove(10);
        let again = scorer.score(&docs, true);
        let fresh = Scorer::default().score(&docs, true);
        assert_eq!(again.surfaces, fresh.surfaces);
        assert!(again.surfaces.contains_key("quokka"));
        assert_eq!(again.postings.len(), fresh.postings.len());
        for (s, p) in &fresh.postings {
            assert_eq!(&again.postings[s], p, "stem {s}");
        }
        // A word that no doc holds any more leaves the surfaces.
        docs[3].body = Body::Owned(docs[3].body.text().replace("quokka", ""));
        assert!(!scorer.score(&docs, true).surfaces.contains_key("quokka"));
    }
}
