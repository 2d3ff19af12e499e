//! Edits `wa-docs serve` applies in place: a page's new body or title re-renders only the
//! fragments it touches and patches the "cited by" backlinks they change.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use super::{Field, Fragments, TEMPLATE_ANCHORS, add_anchors, node_fragments, page_owner};
use crate::graph::{Backlink, Graph, NodeIx, PageIx, Relation};
use crate::project::Project;
use crate::render::markdown::{self, Fragment, Rendered};

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
/// re-renders just its fragment, as a fresh [`super::render_fragments`] would leave it: the
/// same HTML, and the same "cited by" backlinks on the nodes it links to. Work is proportional
/// to the page and the nodes its links touch, not to the site (`wa-docs serve` on large sites).
/// `nodes_at` lists the nodes written to each URL. The caller tells an unchanged text apart
/// (a build may have released the page's markdown).
pub fn update_page_body(
    project: &mut Project,
    fr: &mut Fragments,
    pi: PageIx,
    page: crate::content::Page,
    nodes_at: &HashMap<String, Vec<NodeIx>>,
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
    if !anchors_found(g, fr, (node, &new), nodes_at) {
        return BodyUpdate::NeedsRebuild;
    }
    let cited = |r: &Rendered| cited_pages(g, node, r);
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
                Backlink {
                    from: node,
                    rel: Relation::Cites,
                },
            );
        }
    }
    BodyUpdate::Done(delta)
}

/// Whether every link in `new`, node `node`'s body, has its anchor on its target's page
/// (`nodes_at` lists the nodes written to each URL), `new` standing for the body in `fr`.
fn anchors_found(
    g: &Graph,
    fr: &Fragments,
    (node, new): (NodeIx, &Rendered),
    nodes_at: &HashMap<String, Vec<NodeIx>>,
) -> bool {
    let anchors_at = |url: &str| -> HashSet<String> {
        let mut set: HashSet<String> = TEMPLATE_ANCHORS.iter().map(|s| s.to_string()).collect();
        for &n in nodes_at.get(url).into_iter().flatten() {
            add_anchors(&mut set, g, n, |f| match (n, f) == (node, Field::Body) {
                true => Some(new),
                false => fr.get(&(n, f)).map(|r| &**r),
            });
        }
        set
    };
    new.links.iter().all(|link| {
        let url = &g.nodes[link.target.node(node)].url;
        link.anchor
            .as_ref()
            .is_none_or(|a| anchors_at(url).contains(a))
    })
}

/// The nodes `r`, a fragment of node `node`, cites on other pages than its own: those it
/// gives a "cited by" backlink, sorted.
fn cited_pages(g: &Graph, node: NodeIx, r: &Rendered) -> Vec<NodeIx> {
    let mut v: Vec<NodeIx> = r
        .links
        .iter()
        .filter_map(|l| l.target.cited())
        .filter(|&t| page_owner(g, t) != page_owner(g, node))
        .collect();
    v.sort();
    v.dedup();
    v
}

/// How many bytes of HTML `new` has more than `old` (what `[wa] print = "auto"` measures).
fn len_delta(old: Option<&Rendered>, new: &Rendered) -> isize {
    let len = |n: usize| isize::try_from(n).unwrap_or(isize::MAX);
    len(new.html.len()) - old.map_or(0, |o| len(o.html.len()))
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
    pi: PageIx,
    node: NodeIx,
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
pub fn citing_nodes(g: &Graph, node: NodeIx) -> Vec<NodeIx> {
    let mut v: Vec<NodeIx> = g.backlinks[node]
        .iter()
        .filter(|b| b.rel == Relation::Cites && b.from != node)
        .map(|b| b.from)
        .collect();
    v.dedup();
    v
}
