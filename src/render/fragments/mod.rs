//! Markdown fragments: every piece of markdown in the project (lens descriptions, practice
//! guidance, page bodies) rendered once, which also yields the cross-links, anchors and headings
//! that later stages check and show. Rendering records the "cited by" backlinks in the graph.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use rayon::prelude::*;

use super::markdown::{self, Fragment, Origin, Rendered};
use crate::diag::{Diagnostic, Diagnostics};
use crate::graph::{Graph, NodeIx, NodeKind, Relation, Target};
use crate::project::Project;
use crate::source::SourceFile;

mod links;
mod memo;
#[cfg(test)]
mod tests;
mod update;

pub use memo::FragmentMemo;
pub use update::{BodyUpdate, citing_nodes, update_page_body, update_page_title};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    Description,
    Implementation,
    Plan,
    Body,
}

/// Every field, in the order a node's page shows them.
const FIELDS: [Field; 4] = [
    Field::Description,
    Field::Implementation,
    Field::Plan,
    Field::Body,
];

/// Rendered markdown per (node, field).
pub type Fragments = HashMap<(NodeIx, Field), Arc<Rendered>>;

/// Ids the templates themselves put on pages (links to them are valid).
const TEMPLATE_ANCHORS: &[&str] = &[
    "main",
    "referenced-by",
    "best-practices",
    "checklist",
    "risk-rules",
    "contents",
];

/// One fragment to render: node `node`'s markdown for `field`.
struct Job<'a> {
    node: NodeIx,
    field: Field,
    frag: Fragment<'a>,
}

impl<'a> Job<'a> {
    /// The fragment as it renders: read from `released`, its page's source, when a build took
    /// that out of the project (the project's copy is then empty).
    fn fragment<'s>(&'s self, released: Option<&'s SourceFile>) -> Fragment<'s> {
        match (released, self.frag.origin) {
            (Some(src), Origin::Direct(offset)) => Fragment {
                text: src.text.get(offset..).unwrap_or_default(),
                source: src,
                ..self.frag
            },
            _ => self.frag,
        }
    }
}

/// Renders every markdown fragment of the project, reusing what `memo` holds. With `release`
/// (a build), each page's markdown is dropped as soon as it is rendered: on a large site the
/// sources are as big as everything rendered from them, and nothing later reads them.
pub fn render_fragments(
    project: &mut Project,
    diags: &mut Diagnostics,
    mut memo: Option<&mut FragmentMemo>,
    release: bool,
) -> Fragments {
    // Taken before the jobs borrow the project; each goes to its page's job, which drops it.
    let mut released = match release {
        true => release_page_sources(project),
        false => Vec::new(),
    };
    let jobs = jobs_of(project);
    let g = &project.graph;
    let sources = sources_by_job(&jobs, g, &mut released);
    let (keys, cached) = match memo.as_deref_mut() {
        Some(m) => {
            let keys = memo::keys(&jobs, &sources);
            let cached = m.reuse(&jobs, &keys, g);
            (keys, cached)
        }
        None => (Vec::new(), vec![None; jobs.len()]),
    };
    let results = render_all(&jobs, cached, sources, g);
    let (out, kept) = gather(&jobs, results, &keys, diags);
    if let Some(m) = memo {
        m.keep(kept);
    }
    let cites = links::check(project, &jobs, &out, release, diags);
    drop(jobs);
    for (to, from) in cites {
        project.graph.add_backlink(to, from, Relation::Cites);
    }
    out
}

/// Takes every page's source out of the project, by page index.
fn release_page_sources(project: &mut Project) -> Vec<Option<SourceFile>> {
    (project.pages.iter_mut())
        .map(|p| {
            let path = p.source.path.clone();
            let text = std::mem::take(&mut p.source.text);
            Some(SourceFile { path, text })
        })
        .collect()
}

/// Every fragment of the project, node by node.
fn jobs_of(project: &Project) -> Vec<Job<'_>> {
    let mut jobs = Vec::new();
    for (node, _) in project.graph.indexed() {
        for (field, frag) in node_fragments(project, node) {
            jobs.push(Job { node, field, frag });
        }
    }
    jobs
}

/// Hands each page's released source (`released`, by page) to the job rendering its body.
fn sources_by_job(
    jobs: &[Job],
    g: &Graph,
    released: &mut [Option<SourceFile>],
) -> Vec<Option<SourceFile>> {
    jobs.iter()
        .map(|job| match (job.field, g.nodes[job.node].target) {
            (Field::Body, Target::Page(pi)) => released.get_mut(pi.0).and_then(Option::take),
            _ => None,
        })
        .collect()
}

/// Renders, in parallel, each job that `cached` has no fragment for; each released source
/// is dropped once its job is done.
fn render_all(
    jobs: &[Job],
    cached: Vec<Option<Arc<Rendered>>>,
    sources: Vec<Option<SourceFile>>,
    g: &Graph,
) -> Vec<(Arc<Rendered>, Vec<Diagnostic>)> {
    jobs.par_iter()
        .zip(cached)
        .zip(sources)
        .map(|((job, hit), source)| match hit {
            Some(r) => (r, Vec::new()),
            None => {
                let mut d = Vec::new();
                let r = markdown::render(&job.fragment(source.as_ref()), g, &mut d);
                (Arc::new(r), d)
            }
        })
        .collect()
}

/// Files each job's result under its (node, field) and reports its problems. Also returns what
/// the memo keeps, by `keys` (empty without a memo).
fn gather(
    jobs: &[Job],
    results: Vec<(Arc<Rendered>, Vec<Diagnostic>)>,
    keys: &[memo::FragKey],
    diags: &mut Diagnostics,
) -> (Fragments, memo::Kept) {
    let mut out = Fragments::new();
    let mut kept = memo::Kept::new();
    for (k, (job, (rendered, d))) in jobs.iter().zip(results).enumerate() {
        // Fragments that raised problems are rendered again next time, so they are reported.
        if let Some(&key) = keys.get(k)
            && d.is_empty()
        {
            kept.insert(key, rendered.clone());
        }
        diags.extend(d);
        out.insert((job.node, job.field), rendered);
    }
    (out, kept)
}

/// Adds what node `n` puts on its page to the anchors there: its own anchor and the headings
/// of its fragments (`fragment` finds them by field).
fn add_anchors<'r>(
    set: &mut HashSet<String>,
    g: &Graph,
    n: NodeIx,
    fragment: impl Fn(Field) -> Option<&'r Rendered>,
) {
    set.extend(g.nodes[n].anchor.clone());
    for f in FIELDS {
        if let Some(r) = fragment(f) {
            set.extend(r.headings.iter().map(|h| h.id.clone()));
        }
    }
}

/// The node whose page shows `node`: a best practice is shown on its question's page.
fn page_owner(g: &Graph, node: NodeIx) -> NodeIx {
    if g.nodes[node].kind == NodeKind::BestPractice {
        g.nodes[node].parent.unwrap_or(node)
    } else {
        node
    }
}

fn yaml_frag<'a>(
    text: &'a str,
    lf: &'a crate::lens::LensFile,
    owner: &'a str,
    shift: u8,
    prefix: Option<&'a str>,
) -> Fragment<'a> {
    Fragment {
        text,
        source: &lf.source,
        origin: Origin::InYaml(owner),
        heading_shift: shift,
        anchor_prefix: prefix,
    }
}

/// The markdown fragments of node `i`, by field.
fn node_fragments(project: &Project, i: NodeIx) -> Vec<(Field, Fragment<'_>)> {
    let node = &project.graph.nodes[i];
    let mut out = Vec::new();
    match node.target {
        Target::Lens(l) => {
            let lf = &project.lenses[l];
            out.push((
                Field::Description,
                yaml_frag(&lf.lens.description, lf, &lf.lens.id, 1, None),
            ));
        }
        Target::Pillar(l, p) => {
            let lf = &project.lenses[l];
            let pillar = &lf.lens.pillars[p];
            out.push((
                Field::Description,
                yaml_frag(&pillar.description, lf, &pillar.id, 1, None),
            ));
        }
        Target::Question(l, p, q) => {
            let lf = &project.lenses[l];
            let question = &lf.lens.pillars[p].questions[q];
            out.push((
                Field::Description,
                yaml_frag(&question.description, lf, &question.id, 1, None),
            ));
        }
        Target::Practice(l, p, q, b) => {
            let lf = &project.lenses[l];
            let bp = &lf.lens.pillars[p].questions[q].best_practices[b];
            let prefix = node.anchor.as_deref();
            out.push((
                Field::Description,
                yaml_frag(&bp.description, lf, &bp.id, 2, prefix),
            ));
            out.push((
                Field::Implementation,
                yaml_frag(&bp.implementation, lf, &bp.id, 2, prefix),
            ));
            if let Some(plan) = &bp.improvement_plan {
                out.push((Field::Plan, yaml_frag(&plan.text, lf, &bp.id, 2, prefix)));
            }
        }
        Target::Page(pi) => {
            let page = &project.pages[pi];
            out.push((Field::Body, Fragment::page_body(page)));
        }
    }
    out
}
