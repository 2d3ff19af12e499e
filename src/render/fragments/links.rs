//! The check of every link's anchor, once all pages' anchors are known, and the "cited by"
//! backlinks the links make.

use std::collections::{HashMap, HashSet};

use super::{Fragments, Job, TEMPLATE_ANCHORS, add_anchors, page_owner};
use crate::diag::{Diagnostic, Diagnostics};
use crate::graph::{Graph, NodeIx};
use crate::project::Project;
use crate::render::markdown::{Fragment, Origin, OutLink};
use crate::source::SourceFile;

/// Reports each link in `out` (rendered from `jobs`) whose anchor is not on its target's page,
/// and returns the links worth a "cited by" backlink as (cited, citing) node pairs, sorted.
/// `release`: the build released the pages' markdown.
pub(super) fn check(
    project: &Project,
    jobs: &[Job],
    out: &Fragments,
    release: bool,
    diags: &mut Diagnostics,
) -> Vec<(NodeIx, NodeIx)> {
    let g = &project.graph;
    let anchors = anchors_by_url(g, out);
    let mut cites = Vec::new();
    for job in jobs {
        for link in &out[&(job.node, job.field)].links {
            let url = g.nodes[link.target.node(job.node)].url.as_str();
            if let Some(a) = &link.anchor
                && !anchors.get(url).is_some_and(|s| s.contains(a))
            {
                let d = missing_anchor(&project.root, &job.frag, link, release);
                diags.push(d.with_hint(anchor_hint(anchors.get(url), a)));
            }
            if let Some(t) = link.target.cited() {
                cites.push((t, job.node));
            }
        }
    }
    cites.sort();
    // A best practice cited from its own question page is not a backlink worth listing.
    cites.retain(|&(to, from)| page_owner(g, to) != page_owner(g, from));
    cites
}

/// The anchors on each output file.
fn anchors_by_url<'g>(g: &'g Graph, out: &Fragments) -> HashMap<&'g str, HashSet<String>> {
    let mut anchors: HashMap<&str, HashSet<String>> = HashMap::new();
    for (i, node) in g.indexed() {
        let set = anchors.entry(node.url.as_str()).or_default();
        add_anchors(set, g, i, |f| out.get(&(i, f)).map(|r| &**r));
        set.extend(TEMPLATE_ANCHORS.iter().map(|s| s.to_string()));
    }
    anchors
}

/// The diagnostic for `link`, in `frag`, whose anchor is missing.
fn missing_anchor(
    root: &std::path::Path,
    frag: &Fragment,
    link: &OutLink,
    release: bool,
) -> Diagnostic {
    let at = link.at.clone();
    match (release, frag.origin) {
        // The text was released: read it again to show where the link is.
        (true, Origin::Direct(_)) if frag.text.is_empty() => {
            reloaded(root, frag, at, &link.token, &link.message)
        }
        _ => frag.diag(at, &link.token, link.message.clone()),
    }
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
    let source = SourceFile {
        path: frag.source.path.clone(),
        text,
    };
    Fragment {
        source: &source,
        ..*frag
    }
    .diag(at, token, message.to_string())
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
