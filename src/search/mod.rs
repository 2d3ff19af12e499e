//! Full-text search. The build indexes every page and section with tantivy for `wa-docs search`
//! and writes static shards for the browser whose scores use tantivy's own BM25 weights and
//! field norms (see [`scores`]), so the two rank alike.

mod body;
pub mod browser;
pub mod glossary;
pub mod index;
pub mod query;
pub mod scores;
mod varint;

use crate::graph::{NodeIx, NodeKind, Target};
use crate::project::Project;
use crate::render::fragments::{Field, Fragments};
use crate::render::markdown::Rendered;
use std::sync::Arc;

pub use body::Body;

/// One searchable unit: a page, a heading section of a page, or a lens object.
#[derive(Debug, Clone)]
pub struct SearchDoc {
    pub title: String,
    /// Lens-object id (e.g. `GENSEC01-BP01`) or page id; empty for sections.
    pub id: String,
    pub kind: &'static str,
    /// Where the doc sits, e.g. `Generative AI Lens › Security › GENSEC02`. Shared: a page's
    /// sections repeat it (600,000 docs at 100,000 pages).
    pub breadcrumb: Arc<str>,
    /// Root-relative URL with anchor.
    pub url: String,
    pub headings: String,
    /// Read from the fragments when the doc is analysed (see [`Body`]).
    pub body: Body,
    /// Synonyms of terms the doc uses, from the project's glossary ([`glossary`]).
    pub aliases: String,
    pub lens: String,
    pub pillar: String,
    pub risk: String,
    pub scenarios: Vec<String>,
    /// Whole pages and lens objects outrank sections that merely mention the words.
    pub boost: f32,
}

/// Field boosts: title and id above headings above body.
pub const BOOST_TITLE: f32 = 5.0;
pub const BOOST_ID: f32 = 3.0;
pub const BOOST_HEADINGS: f32 = 1.5;
pub const BOOST_BODY: f32 = 1.0;
/// Glossary synonyms count below the doc's own words.
pub const BOOST_ALIASES: f32 = 0.6;

const KIND_PAGE_BOOST: f32 = 1.3;

fn kind_name(k: NodeKind) -> &'static str {
    match k {
        NodeKind::Lens => "lens",
        NodeKind::Pillar => "pillar",
        NodeKind::Question => "question",
        NodeKind::BestPractice => "best-practice",
        NodeKind::Dimension => "dimension",
        NodeKind::Scenario => "scenario",
        NodeKind::Preamble => "preamble",
        NodeKind::Page => "page",
    }
}

/// A doc's body from whole fragments: their text when this is the only holder (a build, which
/// lets go of the fragments next), else a reference to them (`serve`, which keeps them).
fn text_of(fr: &Fragments, node: NodeIx, fields: &[Field]) -> Body {
    let rs: Vec<Arc<Rendered>> = fields
        .iter()
        .filter_map(|f| fr.get(&(node, *f)).cloned())
        .collect();
    let body = Body::Fragments(rs);
    match &body {
        Body::Fragments(rs) if rs.iter().all(|r| Arc::strong_count(r) == 2) => {
            Body::Owned(body.text())
        }
        _ => body,
    }
}

/// Builds the search documents of a rendered project, in a stable order. Takes the fragments
/// and lets go of each node's as soon as its docs are made: on a large site the docs' text and
/// the fragments' together would be the build's peak.
pub fn collect(
    project: &Project,
    fr: Fragments,
    diags: &mut crate::diag::Diagnostics,
) -> Vec<SearchDoc> {
    let glossary = match glossary::Glossary::load(&project.root, &project.config.wa.content_dir) {
        Ok(g) => g,
        Err(d) => {
            diags.push(d);
            glossary::Glossary::default()
        }
    };
    let mut docs = collect_docs(project, fr);
    if !glossary.is_empty() {
        use rayon::prelude::*;
        docs.par_iter_mut()
            .for_each_init(glossary::Stemmer::default, |st, d| {
                d.aliases = glossary.aliases(&[&d.title, &d.headings, &d.body.text()], st);
            });
    }
    docs
}

fn collect_docs(project: &Project, mut fr: Fragments) -> Vec<SearchDoc> {
    let fr = &mut fr;
    let g = &project.graph;
    let mut docs = Vec::new();
    // A practice belongs to every scenario whose checklist holds it, general practices included.
    let mut in_scenarios: std::collections::HashMap<NodeIx, Vec<String>> = Default::default();
    for (s, node) in g.indexed() {
        if node.kind == NodeKind::Scenario {
            for item in g.checklist_items(s) {
                in_scenarios
                    .entry(item)
                    .or_default()
                    .push(node.title.clone());
            }
        }
    }
    for (i, node) in g.indexed() {
        let mut trail = Vec::new();
        let mut cur = node.parent;
        while let Some(p) = cur {
            trail.push(g.nodes[p].title.clone());
            cur = g.nodes[p].parent;
        }
        trail.reverse();
        let (lens, pillar) = match node.target {
            Target::Lens(_) => (node.title.clone(), String::new()),
            Target::Pillar(..) => (
                trail.first().cloned().unwrap_or_default(),
                node.title.clone(),
            ),
            Target::Question(..) | Target::Practice(..) => (
                trail.first().cloned().unwrap_or_default(),
                trail.get(1).cloned().unwrap_or_default(),
            ),
            Target::Page(_) => (String::new(), String::new()),
        };
        let scenarios: Vec<String> = in_scenarios.get(&i).cloned().unwrap_or_default();
        let base = SearchDoc {
            title: node.title.clone(),
            id: node.id.clone(),
            kind: kind_name(node.kind),
            breadcrumb: trail.join(" › ").into(),
            url: node.href(),
            headings: String::new(),
            body: Body::Empty,
            aliases: String::new(),
            lens,
            pillar,
            risk: node
                .risk
                .map(|r| r.as_str().to_string())
                .unwrap_or_default(),
            scenarios,
            boost: KIND_PAGE_BOOST,
        };
        match node.target {
            Target::Practice(..) => {
                let r = [Field::Description, Field::Implementation, Field::Plan];
                let headings = r
                    .iter()
                    .filter_map(|f| fr.get(&(i, *f)))
                    .flat_map(|x| x.headings.iter().map(|h| h.text.clone()))
                    .collect::<Vec<_>>()
                    .join(" · ");
                docs.push(SearchDoc {
                    headings,
                    body: text_of(fr, i, &r),
                    ..base
                });
            }
            Target::Lens(_) | Target::Pillar(..) | Target::Question(..) => {
                docs.push(SearchDoc {
                    body: text_of(fr, i, &[Field::Description]),
                    ..base
                });
            }
            Target::Page(_) => {
                let Some(r) = fr.remove(&(i, Field::Body)) else {
                    continue;
                };
                page_docs(&r, base, &mut docs);
            }
        }
        for f in [Field::Description, Field::Implementation, Field::Plan] {
            fr.remove(&(i, f));
        }
    }
    // Each lens's "what changed" page: ids and titles that were added, moved or retitled.
    for (li, diffs) in crate::history::lens_steps(&project.lenses, &project.versions) {
        let lens = &project.lenses[li].lens;
        docs.push(SearchDoc {
            title: format!("What changed in the {}", lens.name),
            id: String::new(),
            kind: "page",
            breadcrumb: lens.name.as_str().into(),
            url: crate::history::changes_url(&lens.id),
            headings: diffs
                .iter()
                .map(|d| d.summary())
                .collect::<Vec<_>>()
                .join(" · "),
            body: Body::Owned(
                diffs
                    .iter()
                    .map(|d| d.to_text())
                    .collect::<Vec<_>>()
                    .join("\n"),
            ),
            aliases: String::new(),
            lens: lens.name.clone(),
            pillar: String::new(),
            risk: String::new(),
            scenarios: Vec::new(),
            boost: 1.0,
        });
    }
    docs
}

/// A page gives one doc for itself (its intro text) and one per `##`/`###` section.
fn page_docs(r: &Arc<Rendered>, base: SearchDoc, docs: &mut Vec<SearchDoc>) {
    let plain = r.plain.get();
    let sections = r.sections(&plain, 3);
    let page_title = base.title.clone();
    let crumb: Arc<str> = if base.breadcrumb.is_empty() {
        page_title.as_str().into()
    } else {
        format!("{} › {page_title}", base.breadcrumb).into()
    };
    // The breadcrumb of the `###` sections under the current `##`, made once per `##`.
    let mut under_h2: Arc<str> = crumb.clone();
    let all_headings: Vec<&str> = r.headings.iter().map(|h| h.text.as_str()).collect();
    let mut parent_h2 = String::new();
    // A section's text is a slice of `plain`: kept as text when the fragment is about to go
    // (a build holds the only reference), else as its place in the fragment.
    let owned = Arc::strong_count(r) == 1;
    let part = |text: &str| {
        if owned {
            return Body::Owned(text.to_string());
        }
        let start = text.as_ptr() as usize - plain.as_ptr() as usize;
        Body::Part(r.clone(), start..start + text.len())
    };
    for s in &sections {
        match s.heading {
            None => docs.push(SearchDoc {
                headings: all_headings.join(" · "),
                body: part(s.text),
                ..base.clone()
            }),
            Some(h) => {
                if h.level <= 2 {
                    parent_h2 = h.text.clone();
                    under_h2 = format!("{crumb} › {parent_h2}").into();
                }
                let path = if h.level > 2 && !parent_h2.is_empty() {
                    format!("{page_title} › {parent_h2}")
                } else {
                    page_title.clone()
                };
                docs.push(SearchDoc {
                    title: h.text.clone(),
                    id: String::new(),
                    kind: base.kind,
                    breadcrumb: if h.level > 2 {
                        under_h2.clone()
                    } else {
                        crumb.clone()
                    },
                    url: format!("{}#{}", base.url.split('#').next().unwrap_or(""), h.id),
                    headings: path,
                    body: part(s.text),
                    boost: 1.0,
                    ..base.clone()
                })
            }
        }
    }
}
