//! "What changed" pages, one per lens with earlier versions (`lenses/<id>/changes.html`): each
//! version step, with the diff of `lens::diff` in readable form.

use serde_json::{Value, json};
use tera::Tera;

use super::frame::{Frame, node_link, render_template};
use crate::diag::Diagnostics;
use crate::graph::{Graph, slug};
use crate::history;
use crate::lens::diff::{self, Change, Run};
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

fn runs_html(runs: &[Run]) -> String {
    let escaped: Vec<Run> = runs
        .iter()
        .map(|r| match r {
            Run::Same(s) => Run::Same(escape_html(s)),
            Run::Removed(s) => Run::Removed(escape_html(s)),
            Run::Added(s) => Run::Added(escape_html(s)),
        })
        .collect();
    diff::render_runs(&escaped, ("<del>", "</del>"), ("<ins>", "</ins>"))
}

fn item(g: &Graph, c: &Change) -> String {
    let e = |s: &str| escape_html(s);
    match c {
        Change::Added { object, id, title } => {
            format!("{} {} {}", object.label(), id_html(g, id), e(title))
        }
        Change::Removed { object, id, title } => format!(
            "{} <span class=\"id\">{}</span> {} (removed)",
            object.label(),
            e(id),
            e(title)
        ),
        Change::Moved {
            object,
            id,
            old_id,
            matched,
            title,
        } => format!(
            "{} <span class=\"id\">{}</span> is now {} {} <span class=\"muted\">({})</span>",
            object.label(),
            e(old_id),
            id_html(g, id),
            e(title),
            match matched {
                diff::Matched::PreviousIds => "listed in previous-ids",
                diff::Matched::Similarity => "matched by similar text",
            }
        ),
        Change::Regrouped {
            object,
            id,
            old_parent,
            old_parent_now,
            new_parent,
        } => format!(
            "{} {} now under {} (was under <span class=\"id\">{}</span>{})",
            object.label(),
            id_html(g, id),
            id_html(g, new_parent),
            e(old_parent),
            if old_parent == old_parent_now {
                String::new()
            } else {
                format!(", whose topic is now {}", id_html(g, old_parent_now))
            }
        ),
        Change::Retitled {
            object,
            id,
            old,
            new,
        } => format!(
            "{} {} retitled: {}",
            object.label(),
            id_html(g, id),
            runs_html(&diff::word_diff(old, new))
        ),
        Change::Reworded {
            object,
            id,
            field,
            diff,
        } => format!(
            "{} {} {}: {}",
            object.label(),
            id_html(g, id),
            e(field),
            runs_html(diff)
        ),
        Change::Risk { id, old, new } => format!(
            "{} risk: {} → {}",
            id_html(g, id),
            e(old.as_deref().unwrap_or("none stated")),
            e(new.as_deref().unwrap_or("none stated"))
        ),
        Change::RiskRules { id, old, new } => format!(
            "{} risk rules: <code>{}</code> → <code>{}</code>",
            id_html(g, id),
            e(&old.join("; ")),
            e(&new.join("; "))
        ),
        Change::Dimensions { id, added, removed } => {
            let mut parts = Vec::new();
            parts.extend(added.iter().map(|d| format!("+{}", id_html(g, d))));
            parts.extend(removed.iter().map(|d| format!("−{}", id_html(g, d))));
            format!("{} dimensions: {}", id_html(g, id), parts.join(", "))
        }
    }
}
