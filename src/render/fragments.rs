//! Markdown fragments: every piece of markdown in the project (lens descriptions, practice
//! guidance, page bodies) rendered once, which also yields the cross-links, anchors and headings
//! that later stages check and show. Rendering records the "cited by" backlinks in the graph.

use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use rayon::prelude::*;

use super::markdown::{self, Fragment, Origin, Rendered};
use crate::diag::{Diagnostic, Diagnostics};
use crate::graph::{Graph, NodeKind, Relation, Target};
use crate::project::Project;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    Description,
    Implementation,
    Plan,
    Body,
}

/// Rendered markdown per (node, field).
pub type Fragments = HashMap<(usize, Field), Arc<Rendered>>;

/// Ids the templates themselves put on pages (links to them are valid).
const TEMPLATE_ANCHORS: &[&str] = &[
    "main",
    "referenced-by",
    "best-practices",
    "checklist",
    "risk-rules",
    "contents",
];

/// What makes a fragment's HTML besides its link targets, as a 128-bit digest (two
/// independent SipHash values) of its text, heading shift, anchor prefix and source path: the
/// memo holds no copy of the project's markdown (on a large site that is as big as the
/// output), and two different inputs share a digest with odds of 2^-128.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
struct FragKey(u64, u64);

impl FragKey {
    /// `text` is the fragment's text as rendered (a page's body may have been released from
    /// the project and handed to its job).
    fn of(f: &Fragment, text: &str) -> FragKey {
        let part = |salt: u8| {
            let mut h = std::collections::hash_map::DefaultHasher::new();
            (salt, text, f.heading_shift, f.anchor_prefix, &f.source.path).hash(&mut h);
            h.finish()
        };
        FragKey(part(0), part(0xa5))
    }
}

/// Rendered fragments kept between builds (for `wa-docs serve`): a fragment is rendered again
/// only when its text changed or a page it links to changed its URL, anchor or title.
#[derive(Default)]
pub struct FragmentMemo {
    map: HashMap<FragKey, Arc<Rendered>>,
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
    struct Job<'a> {
        node: usize,
        field: Field,
        frag: Fragment<'a>,
    }
    // Taken before the jobs borrow the project; each goes to its page's job, which drops it.
    let mut released: Vec<Option<crate::source::SourceFile>> = match release {
        true => (project.pages.iter_mut())
            .map(|p| {
                let path = p.source.path.clone();
                let text = std::mem::take(&mut p.source.text);
                Some(crate::source::SourceFile { path, text })
            })
            .collect(),
        false => Vec::new(),
    };
    let g = &project.graph;
    let mut jobs: Vec<Job> = Vec::new();
    for i in 0..g.nodes.len() {
        for (field, frag) in node_fragments(project, i) {
            jobs.push(Job {
                node: i,
                field,
                frag,
            });
        }
    }
    let old = memo
        .as_deref_mut()
        .map(|m| std::mem::take(&mut m.map))
        .unwrap_or_default();
    let owned: Vec<Option<crate::source::SourceFile>> = jobs
        .iter()
        .map(|job| match (job.field, g.nodes[job.node].target) {
            (Field::Body, Target::Page(pi)) => released.get_mut(pi).and_then(Option::take),
            _ => None,
        })
        .collect();
    // The text each job renders: its page's released source when there is one.
    let text_of = |k: usize| -> &str {
        match (&owned[k], jobs[k].frag.origin) {
            (Some(src), markdown::Origin::Direct(offset)) => {
                src.text.get(offset..).unwrap_or_default()
            }
            _ => jobs[k].frag.text,
        }
    };
    let hashes: Vec<FragKey> = match memo {
        Some(_) => (0..jobs.len())
            .map(|k| FragKey::of(&jobs[k].frag, text_of(k)))
            .collect(),
        None => Vec::new(),
    };
    let cached: Vec<Option<Arc<Rendered>>> = jobs
        .iter()
        .enumerate()
        .map(|(k, job)| {
            let hit = old.get(hashes.get(k)?)?;
            let targets = hit.targets_in(g, &job.frag.source.path)?;
            let moved = hit
                .links
                .iter()
                .any(|l| l.dep.is_some_and(|d| l.target != targets[d]));
            if !moved {
                return Some(hit.clone());
            }
            // Same targets, but other nodes were added or removed before them.
            let mut r = Rendered::clone(hit);
            for link in &mut r.links {
                if let Some(d) = link.dep {
                    link.target = targets[d];
                }
            }
            Some(Arc::new(r))
        })
        .collect();
    let results: Vec<(Arc<Rendered>, Vec<Diagnostic>)> = jobs
        .par_iter()
        .zip(cached)
        .zip(owned)
        .map(|((job, hit), source)| match hit {
            Some(r) => (r, Vec::new()),
            None => {
                let mut d = Vec::new();
                let r = match (&source, job.frag.origin) {
                    (Some(src), markdown::Origin::Direct(offset)) => {
                        let text = src.text.get(offset..).unwrap_or_default();
                        let frag = Fragment {
                            text,
                            source: src,
                            ..job.frag
                        };
                        markdown::render(&frag, g, &mut d)
                    }
                    _ => markdown::render(&job.frag, g, &mut d),
                };
                (Arc::new(r), d)
            }
        })
        .collect();
    let mut out = Fragments::new();
    let mut kept = HashMap::new();
    let mut job_of = HashMap::new();
    for (k, (job, (rendered, d))) in jobs.iter().zip(results).enumerate() {
        // Fragments that raised problems are rendered again next time, so they are reported.
        if let Some(&key) = hashes.get(k)
            && d.is_empty()
        {
            kept.insert(key, rendered.clone());
        }
        diags.extend(d);
        out.insert((job.node, job.field), rendered);
        job_of.insert((job.node, job.field), k);
    }
    if let Some(m) = memo {
        m.map = kept;
    }
    // Anchors per output file, then every link's anchor is checked and cites become backlinks.
    let mut anchors: HashMap<&str, HashSet<String>> = HashMap::new();
    for (i, node) in g.nodes.iter().enumerate() {
        let set = anchors.entry(node.url.as_str()).or_default();
        if let Some(a) = &node.anchor {
            set.insert(a.clone());
        }
        for f in [
            Field::Description,
            Field::Implementation,
            Field::Plan,
            Field::Body,
        ] {
            if let Some(r) = out.get(&(i, f)) {
                set.extend(r.headings.iter().map(|h| h.id.clone()));
            }
        }
        set.extend(TEMPLATE_ANCHORS.iter().map(|s| s.to_string()));
    }
    let mut cites = Vec::new();
    for (key @ (owner, _), r) in &out {
        let frag = &jobs[job_of[key]].frag;
        for link in &r.links {
            let target_url = if link.target == usize::MAX {
                &g.nodes[*owner].url
            } else {
                &g.nodes[link.target].url
            };
            if let Some(a) = &link.anchor
                && !anchors
                    .get(target_url.as_str())
                    .is_some_and(|s| s.contains(a))
            {
                let d = match (release, frag.origin) {
                    // The text was released: read it again to show where the link is.
                    (true, markdown::Origin::Direct(_)) if frag.text.is_empty() => reloaded(
                        &project.root,
                        frag,
                        link.at.clone(),
                        &link.token,
                        &link.message,
                    ),
                    _ => frag.diag(link.at.clone(), &link.token, link.message.clone()),
                };
                diags.push(d.with_hint(anchor_hint(anchors.get(target_url.as_str()), a)));
            }
            if link.target != usize::MAX {
                cites.push((link.target, *owner));
            }
        }
    }
    cites.sort();
    // A best practice cited from its own question page is not a backlink worth listing.
    cites.retain(|&(to, from)| page_owner(g, to) != page_owner(g, from));
    drop(jobs);
    for (to, from) in cites {
        project.graph.add_backlink(to, from, Relation::Cites);
    }
    out
}

/// The diagnostic for a link in a page whose markdown a build released, from the file as it
/// is on disk now (where it was read from moments ago).
fn reloaded(
    root: &std::path::Path,
    frag: &Fragment,
    at: std::ops::Range<usize>,
    token: &str,
    message: &str,
) -> Diagnostic {
    let text = std::fs::read_to_string(root.join(&frag.source.path)).unwrap_or_default();
    let source = crate::source::SourceFile {
        path: frag.source.path.clone(),
        text,
    };
    Fragment {
        source: &source,
        ..*frag
    }
    .diag(at, token, message.to_string())
}

fn page_owner(g: &Graph, node: usize) -> usize {
    if g.nodes[node].kind == NodeKind::BestPractice {
        g.nodes[node].parent.unwrap_or(node)
    } else {
        node
    }
}

fn anchor_hint(known: Option<&HashSet<String>>, wanted: &str) -> String {
    let mut v: Vec<&String> = known
        .map(|s| {
            s.iter()
                .filter(|a| !TEMPLATE_ANCHORS.contains(&a.as_str()))
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    let close: Vec<&&String> = v
        .iter()
        .filter(|a| a.contains(wanted) || wanted.contains(a.as_str()))
        .collect();
    if let Some(c) = close.first() {
        format!("did you mean `#{c}`?")
    } else if v.is_empty() {
        "the target page has no headings".into()
    } else {
        format!(
            "anchors on that page: {}",
            v.iter()
                .take(12)
                .map(|s| format!("#{s}"))
                .collect::<Vec<_>>()
                .join(", ")
        )
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

/// What [`update_page_body`] did.
#[derive(Debug, PartialEq, Eq)]
pub enum BodyUpdate {
    /// The page's fragment, its backlinks and the pages it cites are up to date; the
    /// fragment's HTML grew by this many bytes (negative: shrank).
    Done(isize),
    /// The edit reaches beyond the page (its headings, hence anchors others may link to,
    /// changed; or it has problems to report in full): rebuild instead.
    NeedsRebuild,
}

/// Replaces page `pi`'s body with `page` (same front matter, only the body edited) and
/// re-renders just its fragment, as a fresh [`render_fragments`] would leave it: the same
/// HTML, and the same "cited by" backlinks on the nodes it links to. Work is proportional to
/// the page and the nodes its links touch, not to the site (`wa-docs serve` on large sites).
/// `nodes_at` lists the nodes written to each URL. The caller tells an unchanged text apart
/// (a build may have released the page's markdown).
pub fn update_page_body(
    project: &mut Project,
    fr: &mut Fragments,
    pi: usize,
    page: crate::content::Page,
    nodes_at: &HashMap<String, Vec<usize>>,
) -> BodyUpdate {
    let Some(node) = project.graph.by_source.get(&page.source.path).copied() else {
        return BodyUpdate::NeedsRebuild;
    };
    let g = &project.graph;
    let frag = Fragment::page_body(&page);
    let mut problems = Vec::new();
    let new = markdown::render(&frag, g, &mut problems);
    let old = fr.get(&(node, Field::Body)).cloned();
    let ids = |r: &Rendered| r.headings.iter().map(|h| h.id.clone()).collect::<Vec<_>>();
    if !problems.is_empty() || old.as_deref().map(ids) != Some(ids(&new)) {
        return BodyUpdate::NeedsRebuild;
    }
    // Every anchor must exist, as the full check requires.
    let anchors_at = |url: &str| -> HashSet<String> {
        let mut set: HashSet<String> = TEMPLATE_ANCHORS.iter().map(|s| s.to_string()).collect();
        for &n in nodes_at.get(url).into_iter().flatten() {
            set.extend(g.nodes[n].anchor.clone());
            for f in [
                Field::Description,
                Field::Implementation,
                Field::Plan,
                Field::Body,
            ] {
                let r = if (n, f) == (node, Field::Body) {
                    Some(&new)
                } else {
                    fr.get(&(n, f)).map(|r| &**r)
                };
                set.extend(
                    r.into_iter()
                        .flat_map(|r| r.headings.iter().map(|h| h.id.clone())),
                );
            }
        }
        set
    };
    for link in &new.links {
        let url = match link.target {
            usize::MAX => &g.nodes[node].url,
            t => &g.nodes[t].url,
        };
        if let Some(a) = &link.anchor
            && !anchors_at(url).contains(a)
        {
            return BodyUpdate::NeedsRebuild;
        }
    }
    let cited = |r: &Rendered| -> Vec<usize> {
        let mut v: Vec<usize> = r
            .links
            .iter()
            .map(|l| l.target)
            .filter(|&t| t != usize::MAX && page_owner(g, t) != page_owner(g, node))
            .collect();
        v.sort();
        v.dedup();
        v
    };
    let before = old.as_deref().map(cited).unwrap_or_default();
    let after = cited(&new);
    let delta = len_delta(old.as_deref(), &new);
    fr.insert((node, Field::Body), Arc::new(new));
    project.pages[pi] = page;
    // A full render adds "cites" after the structural backlinks, in order of the citing node.
    let graph = &mut project.graph;
    for &t in before.iter().chain(&after) {
        let list = &mut graph.backlinks[t];
        list.retain(|b| !(b.from == node && b.rel == Relation::Cites));
        if after.binary_search(&t).is_ok() && t != node {
            let at = list
                .iter()
                .position(|b| b.rel == Relation::Cites && b.from > node)
                .unwrap_or(list.len());
            list.insert(
                at,
                crate::graph::Backlink {
                    from: node,
                    rel: Relation::Cites,
                },
            );
        }
    }
    BodyUpdate::Done(delta)
}

/// How many bytes of HTML `new` has more than `old` (what `[wa] print = "auto"` measures).
fn len_delta(old: Option<&Rendered>, new: &Rendered) -> isize {
    let len = |n: usize| isize::try_from(n).unwrap_or(isize::MAX);
    len(new.html.len()) - old.map_or(0, |o| len(o.html.len()))
}

/// The markdown fragments of node `i`, by field.
fn node_fragments(project: &Project, i: usize) -> Vec<(Field, Fragment<'_>)> {
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

/// Gives page `pi` (node `node`) a new title in place: the graph's node, and every fragment
/// whose links may show it (a `[[id]]` link's text is the title): those of the nodes that
/// cite it. The page's own body is left to [`update_page_body`], which the caller runs next
/// (a title edit is an edit of the page's source). Pages among the citing nodes need their
/// markdown in `project` (a build may have released it). `None` when one of them now has a
/// problem: rebuild instead. Otherwise how many bytes the fragments' HTML grew by.
pub fn update_page_title(
    project: &mut Project,
    fr: &mut Fragments,
    pi: usize,
    node: usize,
    title: &str,
) -> Option<isize> {
    project.pages[pi].front.title = title.to_string();
    project.graph.nodes[node].title = title.to_string();
    let mut delta = 0;
    for n in citing_nodes(&project.graph, node) {
        for (field, frag) in node_fragments(project, n) {
            let mut problems = Vec::new();
            let r = markdown::render(&frag, &project.graph, &mut problems);
            if !problems.is_empty() {
                return None;
            }
            delta += len_delta(fr.get(&(n, field)).map(|r| &**r), &r);
            fr.insert((n, field), Arc::new(r));
        }
    }
    Some(delta)
}

/// The nodes whose markdown links to `node`, but `node` itself.
pub fn citing_nodes(g: &Graph, node: usize) -> Vec<usize> {
    let mut v: Vec<usize> = g.backlinks[node]
        .iter()
        .filter(|b| b.rel == Relation::Cites && b.from != node)
        .map(|b| b.from)
        .collect();
    v.dedup();
    v
}
