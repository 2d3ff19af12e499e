//! Search synonyms, stated by the guidance in `glossary.yaml` under the content folder: each
//! entry lists words or phrases that mean the same thing. A doc that uses one of them gets the
//! others in its `aliases` field (weighted below its own words), so a reader who types any of
//! them finds it, in the browser and in `wa-docs search` alike. Nothing here is built in: a
//! project without the file searches its own words only.

use std::collections::HashMap;
use std::path::Path;

use rustc_hash::FxHashMap;
use tantivy::tokenizer::TextAnalyzer;

use super::index;
use crate::diag::Diagnostic;

/// The file's name, in the content folder.
pub const FILE: &str = "glossary.yaml";

/// Times one alias is repeated at most in a doc, however often its term occurs.
const MAX_REPEAT: usize = 3;

#[derive(Default)]
pub struct Glossary {
    /// Per group, its terms as written.
    groups: Vec<Vec<String>>,
    /// Per group and term, its stems.
    stems: Vec<Vec<Vec<String>>>,
    /// First stem -> (group, term) of the terms that start with it.
    by_first: HashMap<String, Vec<(usize, usize)>>,
}

impl Glossary {
    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }

    /// Reads `glossary.yaml` from the project's content folder; none is an empty glossary.
    pub fn load(root: &Path, content_dir: &Path) -> Result<Glossary, Diagnostic> {
        let rel = content_dir.join(FILE);
        if !root.join(&rel).is_file() {
            return Ok(Glossary::default());
        }
        let src = crate::source::read_source(root, &rel)?;
        let groups: Vec<Vec<String>> = serde_yaml::from_str(&src.text).map_err(|e| {
            let at = e.location().map_or(0, |l| l.index().min(src.text.len()));
            Diagnostic::error(format!("glossary: {e}"))
                .at(&rel, &src.text, at, 1)
                .with_hint("write a list of synonym lists, e.g. `- [PII, personal data]`")
        })?;
        Ok(Glossary::from_groups(groups))
    }

    pub fn from_groups(groups: Vec<Vec<String>>) -> Glossary {
        let mut an = index::stem_analyzer();
        let mut g = Glossary::default();
        for terms in groups {
            let stems: Vec<Vec<String>> = terms.iter().map(|t| index::tokens(&mut an, t)).collect();
            if stems.iter().filter(|s| !s.is_empty()).count() < 2 {
                continue;
            }
            let gi = g.groups.len();
            for (ti, s) in stems.iter().enumerate() {
                if let Some(first) = s.first() {
                    g.by_first.entry(first.clone()).or_default().push((gi, ti));
                }
            }
            g.groups.push(terms);
            g.stems.push(stems);
        }
        g
    }

    /// The aliases of a doc's text: for every term it holds, the other terms of its group, each
    /// repeated as often as the term occurs (at most [`MAX_REPEAT`] times). Linear in the text.
    pub fn aliases(&self, texts: &[&str], stemmer: &mut Stemmer) -> String {
        if self.is_empty() {
            return String::new();
        }
        // Occurrences per (group, term).
        let mut hits: FxHashMap<(usize, usize), usize> = FxHashMap::default();
        for text in texts {
            let stems = stemmer.stems(text);
            for (i, s) in stems.iter().enumerate() {
                let Some(cands) = self.by_first.get(s.as_str()) else {
                    continue;
                };
                for &(gi, ti) in cands {
                    let term = &self.stems[gi][ti];
                    if stems.len() - i >= term.len()
                        && term.iter().zip(&stems[i..]).all(|(a, b)| a == b)
                    {
                        *hits.entry((gi, ti)).or_default() += 1;
                    }
                }
            }
        }
        let mut per_group: FxHashMap<usize, (usize, Vec<usize>)> = FxHashMap::default();
        for (&(gi, ti), &n) in &hits {
            let e = per_group.entry(gi).or_default();
            e.0 += n;
            e.1.push(ti);
        }
        let mut groups: Vec<_> = per_group.into_iter().collect();
        groups.sort_unstable_by_key(|(g, _)| *g);
        let mut out = String::new();
        for (gi, (n, present)) in groups {
            for (ti, term) in self.groups[gi].iter().enumerate() {
                if present.contains(&ti) {
                    continue;
                }
                for _ in 0..n.min(MAX_REPEAT) {
                    if !out.is_empty() {
                        out.push(' ');
                    }
                    out.push_str(term);
                }
            }
        }
        out
    }
}

/// Stems text with the index's analyser, remembering each word's stem.
pub struct Stemmer {
    surface: TextAnalyzer,
    stem: TextAnalyzer,
    memo: FxHashMap<String, String>,
}

impl Default for Stemmer {
    fn default() -> Self {
        Stemmer {
            surface: index::surface_analyzer(),
            stem: index::stem_analyzer(),
            memo: FxHashMap::default(),
        }
    }
}

impl Stemmer {
    fn stems(&mut self, text: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut stream = self.surface.token_stream(text);
        while let Some(t) = stream.next() {
            let w = t.text.as_str();
            match self.memo.get(w) {
                Some(s) => out.push(s.clone()),
                None => {
                    let s = index::tokens(&mut self.stem, w)
                        .into_iter()
                        .next()
                        .unwrap_or_default();
                    self.memo.insert(w.to_string(), s.clone());
                    out.push(s);
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_term_brings_the_others_of_its_group() {
        let g = Glossary::from_groups(vec![
            vec!["PII".into(), "personal data".into()],
            vec!["hallucination".into(), "ungrounded answer".into()],
            vec!["lonely".into()],
        ]);
        let mut st = Stemmer::default();
        assert_eq!(
            g.aliases(&["Redact Personal Data from logs"], &mut st),
            "PII"
        );
        assert_eq!(
            g.aliases(&["ungrounded answers", "and PII"], &mut st),
            "personal data hallucination"
        );
        // A doc that already uses every term of a group gets none of it.
        assert_eq!(
            g.aliases(&["hallucinations: ungrounded answers"], &mut st),
            ""
        );
        assert_eq!(g.aliases(&["personal", "data"], &mut st), "");
        assert_eq!(g.groups.len(), 2);
    }
}
