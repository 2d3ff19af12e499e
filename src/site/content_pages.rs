//! Content pages (home, dimensions, scenarios, preambles, plain pages) from `content/`.

use serde_json::{Value, json};

use super::frame::{node_link, with_context};
use crate::content::PageKind;
use crate::graph::{Graph, NodeIx, NodeKind, PageIx};
use crate::project::Project;
use crate::render::fragments::{Field, Fragments};

/// A content page; a scenario page also shows the checklist it chooses.
pub(super) fn page(
    project: &Project,
    fr: &Fragments,
    i: NodeIx,
    pi: PageIx,
    ctx: &mut tera::Context,
) -> (&'static str, Vec<Value>) {
    let g = &project.graph;
    let page = &project.pages[pi];
    let body = fr.get(&(i, Field::Body));
    let html = body.map(|r| r.html.get()).unwrap_or_default();
    let html = html.as_str();
    // A body opening with its own `# Title` would give the page a second h1 under the header's:
    // the body's heading (its id, which links may name, and its markup) takes the header's place.
    let (heading, rest) = leading_h1(html).unwrap_or(("", html));
    if !heading.is_empty() {
        ctx.insert("heading", heading);
    }
    ctx.insert("content", rest);
    let toc: Vec<Value> = body
        .map(|r| {
            r.headings
                .iter()
                .filter(|h| h.level == 2 || h.level == 3)
                .take(crate::render::markdown::MAX_SECTIONS)
                .map(|h| json!({"level": h.level, "id": h.id, "text": h.text}))
                .collect()
        })
        .unwrap_or_default();
    ctx.insert("kind", page.front.kind.as_str());
    if let Some(d) = &page.front.description {
        ctx.insert("description", d);
    }
    if let Some(tpl) = &project.config.output.html.edit_url_template {
        ctx.insert(
            "edit_url",
            &tpl.replace("{path}", &page.source.path.to_string_lossy()),
        );
    }
    if page.front.kind == PageKind::Scenario {
        let chosen = g.checklists.get(&i).map(Vec::as_slice).unwrap_or(&[]);
        // The page names the pillars its checklist draws on and links to the checklist page,
        // which lists the items (a scenario's checklist runs to a hundred of them).
        ctx.insert("checklist", &checklist_groups(g, chosen));
        ctx.insert("checklist_count", &chosen.len());
        ctx.insert(
            "checklist_general",
            &(g.checklist_items(i).len() - chosen.len()),
        );
    }
    if page.url == "index.html" {
        ctx.insert(
            "lenses",
            &g.indexed()
                .filter(|(_, n)| n.kind == NodeKind::Lens)
                .map(|(j, _)| node_link(g, j))
                .collect::<Vec<_>>(),
        );
    }
    ("page.html", toc)
}

/// Splits a body whose first block is an h1 into that heading's element and the rest.
fn leading_h1(html: &str) -> Option<(&str, &str)> {
    let start = html.len() - html.trim_start().len();
    let open = html[start..].strip_prefix("<h1")?;
    if !open.starts_with(['>', ' ']) {
        return None;
    }
    let end = html[start..].find("</h1>")? + start + "</h1>".len();
    Some((&html[start..end], &html[end..]))
}

/// Checklist items grouped lens -> pillar -> question.
pub fn checklist_groups(g: &Graph, items: &[NodeIx]) -> Vec<Value> {
    /// (pillar, [(question, [best practice])]).
    type Group = (NodeIx, Vec<(NodeIx, Vec<NodeIx>)>);
    let mut groups: Vec<Group> = Vec::new();
    let mut sorted = items.to_vec();
    sorted.sort();
    for bp in sorted {
        let Some(q) = g.nodes[bp].parent else {
            continue;
        };
        let Some(pillar) = g.nodes[q].parent else {
            continue;
        };
        match groups.iter_mut().find(|(p, _)| *p == pillar) {
            Some((_, qs)) => match qs.iter_mut().find(|(qq, _)| *qq == q) {
                Some((_, bps)) => bps.push(bp),
                None => qs.push((q, vec![bp])),
            },
            None => groups.push((pillar, vec![(q, vec![bp])])),
        }
    }
    groups
        .into_iter()
        .map(|(p, qs)| {
            let mut v = with_context(g, p);
            v["count"] = json!(qs.iter().map(|(_, bps)| bps.len()).sum::<usize>());
            v["questions"] = json!(
                qs.into_iter()
                    .map(|(q, bps)| {
                        let mut qv = node_link(g, q);
                        qv["practices"] =
                            json!(bps.into_iter().map(|b| node_link(g, b)).collect::<Vec<_>>());
                        qv
                    })
                    .collect::<Vec<_>>()
            );
            v
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::leading_h1;

    #[test]
    fn only_a_leading_h1_is_taken() {
        assert_eq!(
            leading_h1("\n<h1 id=\"t\">T <em>x</em></h1>\n<p>b</p>"),
            Some(("<h1 id=\"t\">T <em>x</em></h1>", "\n<p>b</p>"))
        );
        assert_eq!(leading_h1("<p>a</p><h1 id=\"t\">T</h1>"), None);
        assert_eq!(leading_h1("<h2 id=\"t\">T</h2>"), None);
        assert_eq!(leading_h1("<h1x>T</h1>"), None);
        assert_eq!(leading_h1("<h1>unclosed"), None);
        assert_eq!(leading_h1(""), None);
    }
}
