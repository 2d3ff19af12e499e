//! "What changed" pages, one per lens with earlier versions (`lenses/<id>/changes.html`): each
//! version step, with the diff of `lens::diff` in readable form.

use serde_json::{Value, json};
use tera::Tera;

use super::frame::{Frame, node_link, render_template};
use crate::diag::Diagnostics;
use crate::graph::{Graph, slug};
use crate::history;
use crate::lens::diff::{self, Change, Piece};
use crate::project::{OutFile, Project};
use crate::render::theme::Theme;
use crate::render::{ROOT_MARK, escape_html};

pub(super) fn render(
    project: &Project,
    frame: &Frame,
    tera: &Tera,
    theme: &Theme,
    diags: &mut Diagnostics,
) -> Vec<OutFile> {
    let g = &project.graph;
    let mut files = Vec::new();
    for (li, diffs) in history::lens_steps(&project.lenses, &project.versions) {
        let lens = &project.lenses[li].lens;
        let url = history::changes_url(&lens.id);
        let title = format!("What changed in the {}", lens.name);
        let mut ctx = frame.context(project, &url, &title);
        let steps: Vec<Value> = diffs.iter().rev().map(|d| step(g, d)).collect();
        let toc: Vec<Value> = steps
            .iter()
            .map(|s| json!({"level": 2, "id": s["anchor"], "text": s["title"]}))
            .collect();
        ctx.insert("toc", &toc);
        ctx.insert("steps", &steps);
        if let Some(&n) = g.by_id.get(&lens.id) {
            ctx.insert("lens", &node_link(g, n));
        }
        match render_template(tera, theme, "changes.html", &ctx, &url) {
            Ok(f) => files.push(f),
            Err(d) => diags.push(d),
        }
    }
    files
}

fn step(g: &Graph, d: &diff::LensDiff) -> Value {
    let from = d.old_version.clone().unwrap_or_else(|| "earlier".into());
    let to = d.new_version.clone().unwrap_or_else(|| "current".into());
    let mut sections: Vec<(&str, Vec<String>)> = Vec::new();
    for c in &d.changes {
        let s = diff::section_of(c);
        if sections.last().is_none_or(|(t, _)| *t != s) {
            sections.push((s, Vec::new()));
        }
        if let Some((_, items)) = sections.last_mut() {
            items.push(item(g, c));
        }
    }
    json!({
        "title": format!("{from} → {to}"),
        "anchor": format!("v{}", slug(&format!("{from}-{to}"))),
        "summary": d.summary(),
        "sections": sections.into_iter().map(|(t, items)| json!({"title": t, "anchor": slug(t), "items": items})).collect::<Vec<_>>(),
    })
}

/// An id, linked to its page when it exists now.
fn id_html(g: &Graph, id: &str) -> String {
    let shown = format!("<span class=\"id\">{}</span>", escape_html(id));
    match g.by_id.get(id) {
        Some(&n) => format!(
            "<a href=\"{ROOT_MARK}{}\">{shown}</a>",
            escape_html(&g.nodes[n].href())
        ),
        None => shown,
    }
}

/// HTML: ids linked to their pages where they exist now, word diffs as `<del>`/`<ins>`.
struct HtmlMarkup<'g> {
    g: &'g Graph,
}

impl diff::Markup for HtmlMarkup<'_> {
    fn piece(&self, p: &Piece) -> String {
        let e = |s: &str| escape_html(s);
        match p {
            Piece::Text(s) | Piece::Same(s) => e(s),
            Piece::Id(id) => id_html(self.g, id),
            Piece::OldId(id) => format!("<span class=\"id\">{}</span>", e(id)),
            Piece::Quote(s) => e(s),
            Piece::Code(s) => format!("<code>{}</code>", e(s)),
            Piece::Arrow => "→".into(),
            Piece::Removed(s) => format!("<del>{}</del>", e(s)),
            Piece::Added(s) => format!("<ins>{}</ins>", e(s)),
            Piece::Note(s) => format!("<span class=\"muted\">({})</span>", e(s)),
        }
    }
}

fn item(g: &Graph, c: &Change) -> String {
    diff::render(c, &HtmlMarkup { g })
}
