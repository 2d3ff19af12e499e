//! "What changed" pages, one per lens with earlier versions (`lenses/<id>/changes.html`): each
//! version step, with the diff of `lens::diff` in readable form.

use std::collections::HashMap;

use serde_json::{Value, json};
use tera::Tera;

use super::frame::{Frame, node_link, render_template};
use crate::diag::Diagnostics;
use crate::graph::{Graph, slug};
use crate::history;
use crate::lens::Lens;
use crate::lens::diff::{self, Change, Piece, Run};
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
        // The versions each step compares, in the order `lens_steps` compares them, so that a
        // reworded text is shown as rendered text rather than markdown source.
        let mut chain: Vec<&Lens> = project
            .versions
            .iter()
            .filter(|v| v.lens.id == lens.id)
            .map(|v| &v.lens)
            .collect();
        chain.push(lens);
        let url = history::changes_url(&lens.id);
        let title = format!("What changed in the {}", lens.name);
        let mut ctx = frame.context(project, &url, &title);
        let steps: Vec<Value> = diffs
            .iter()
            .enumerate()
            .rev()
            .map(|(i, d)| {
                let pair = chain.get(i).zip(chain.get(i + 1)).map(|(a, b)| (*a, *b));
                step(g, d, pair)
            })
            .collect();
        let mut toc: Vec<Value> = Vec::new();
        for s in &steps {
            toc.push(json!({"level": 2, "id": s["anchor"], "text": s["title"]}));
            for sec in s["sections"].as_array().into_iter().flatten() {
                toc.push(json!({
                    "level": 3,
                    "id": format!("{}-{}", s["anchor"].as_str().unwrap_or(""), sec["anchor"].as_str().unwrap_or("")),
                    "text": format!("{} ({})", sec["title"].as_str().unwrap_or(""), sec["items"].as_array().map_or(0, Vec::len)),
                }));
            }
        }
        ctx.insert("toc", &toc);
        ctx.insert("steps", &steps);
        ctx.insert("open_up_to", &OPEN_UP_TO);
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

/// Sections with at most this many changes start open; longer ones start folded, so the page
/// opens on its contents rather than on hundreds of word diffs.
const OPEN_UP_TO: usize = 12;

/// One section per kind of change, in this order.
const KINDS: [(&str, &str); 10] = [
    ("added", "Added"),
    ("removed", "Removed"),
    ("moved", "Moved to a new id"),
    ("regrouped", "Moved to another question or pillar"),
    ("retitled", "Retitled"),
    ("reworded", "Reworded"),
    ("risk", "Risk level"),
    ("risk-rules", "Risk rules"),
    ("dimensions", "Dimensions"),
    ("fields", "Other fields"),
];

fn kind_of(c: &Change) -> usize {
    match c {
        Change::Added { .. } => 0,
        Change::Removed { .. } => 1,
        Change::Moved { .. } => 2,
        Change::Regrouped { .. } => 3,
        Change::Retitled { .. } => 4,
        Change::Reworded { .. } => 5,
        Change::Risk { .. } => 6,
        Change::RiskRules { .. } => 7,
        Change::Dimensions { .. } => 8,
        Change::Field { .. } => 9,
    }
}

fn step(g: &Graph, d: &diff::LensDiff, pair: Option<(&Lens, &Lens)>) -> Value {
    let from = d.old_version.clone().unwrap_or_else(|| "earlier".into());
    let to = d.new_version.clone().unwrap_or_else(|| "current".into());
    // New id -> old id, for objects whose id changed in this step.
    let old_ids: HashMap<&str, &str> = d
        .changes
        .iter()
        .filter_map(|c| match c {
            Change::Moved { id, old_id, .. } => Some((id.as_str(), old_id.as_str())),
            _ => None,
        })
        .collect();
    let mut sections: Vec<Vec<String>> = vec![Vec::new(); KINDS.len()];
    for c in &d.changes {
        sections[kind_of(c)].push(item(g, c, pair, &old_ids));
    }
    json!({
        "title": format!("{from} → {to}"),
        "anchor": format!("v{}", slug(&format!("{from}-{to}"))),
        "summary": d.summary(),
        "sections": KINDS
            .iter()
            .zip(sections)
            .filter(|(_, items)| !items.is_empty())
            .map(|((anchor, title), items)| json!({"title": title, "anchor": anchor, "items": items}))
            .collect::<Vec<_>>(),
    })
}

/// The markdown text `field` of the object `id` in `lens` (the fields `lens::diff` compares).
fn text_of<'a>(lens: &'a Lens, id: &str, field: &str) -> Option<&'a str> {
    for p in &lens.pillars {
        if p.id == id {
            return (field == "description").then_some(p.description.as_str());
        }
        for q in &p.questions {
            if q.id == id {
                return (field == "description").then_some(q.description.as_str());
            }
            for b in &q.best_practices {
                if b.id == id {
                    return match field {
                        "description" => Some(b.description.as_str()),
                        "implementation" => Some(b.implementation.as_str()),
                        "improvement plan" => {
                            Some(b.improvement_plan.as_ref().map_or("", |p| p.text.as_str()))
                        }
                        _ => None,
                    };
                }
            }
        }
    }
    None
}

/// Markdown as the reader sees it, on one line: `[[id]]` as the target's title, link text
/// without its URL, code without backticks, table cells and list items separated by ` · `,
/// raw HTML left out.
pub(crate) fn plain_text(g: &Graph, markdown: &str) -> String {
    use pulldown_cmark::{Event, Options, Parser, TagEnd};
    // Cross-links first: `[[id]]`, `[[id#anchor]]`, `[[id|text]]`.
    let mut src = String::with_capacity(markdown.len());
    let mut rest = markdown;
    while let Some(at) = rest.find("[[") {
        src.push_str(&rest[..at]);
        let after = &rest[at + 2..];
        match after.find("]]") {
            Some(end) if !after[..end].contains('\n') => {
                let inner = &after[..end];
                let shown = match inner.split_once('|') {
                    Some((_, text)) => text.to_string(),
                    None => {
                        let id = inner.split('#').next().unwrap_or(inner);
                        g.by_id
                            .get(id)
                            .map_or_else(|| inner.to_string(), |&n| g.nodes[n].title.clone())
                    }
                };
                // Escaped: the title is text, not markdown syntax.
                for ch in shown.chars() {
                    if ch.is_ascii_punctuation() {
                        src.push('\\');
                    }
                    src.push(ch);
                }
                rest = &after[end + 2..];
            }
            _ => {
                src.push_str("[[");
                rest = after;
            }
        }
    }
    src.push_str(rest);
    let mut out = String::with_capacity(src.len());
    // Cells and list items end with ` · ` (once, however deep the nesting).
    let sep = |out: &mut String| {
        let t = out.trim_end().len();
        out.truncate(t);
        if !out.is_empty() && !out.ends_with('·') {
            out.push_str(" · ");
        } else {
            out.push(' ');
        }
    };
    for ev in Parser::new_ext(&src, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH) {
        match ev {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            Event::End(TagEnd::TableCell | TagEnd::Item) => sep(&mut out),
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::CodeBlock
                | TagEnd::TableRow
                | TagEnd::TableHead
                | TagEnd::BlockQuote(_),
            ) => out.push(' '),
            _ => {}
        }
    }
    let text = out.split_whitespace().collect::<Vec<_>>().join(" ");
    text.trim_end_matches(" ·").to_string()
}

/// A reworded text as a word diff of what the reader sees (rendered text, not markdown).
fn reworded(
    g: &Graph,
    id: &str,
    field: &str,
    runs: &[Run],
    pair: Option<(&Lens, &Lens)>,
    old_ids: &HashMap<&str, &str>,
) -> String {
    let texts = pair.and_then(|(old, new)| {
        let old_id = old_ids.get(id).copied().unwrap_or(id);
        Some((text_of(old, old_id, field)?, text_of(new, id, field)?))
    });
    let (old, new) = match texts {
        Some((a, b)) => (a.to_string(), b.to_string()),
        // Not found (should not happen): the texts are rebuilt from the diff's words.
        None => {
            let side = |keep: fn(&Run) -> Option<&String>| {
                runs.iter()
                    .filter_map(keep)
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(" ")
            };
            (
                side(|r| match r {
                    Run::Same(s) | Run::Removed(s) => Some(s),
                    Run::Added(_) => None,
                }),
                side(|r| match r {
                    Run::Same(s) | Run::Added(s) => Some(s),
                    Run::Removed(_) => None,
                }),
            )
        }
    };
    let (old, new) = (plain_text(g, &old), plain_text(g, &new));
    if old == new {
        return "only its markup changed".into();
    }
    runs_html(&diff::word_diff(&old, &new))
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

/// One change as HTML. Titles and texts are compared as they read on the page (frame's word
/// diff of rendered text); everything else is worded once, by `lens::diff`.
fn item(
    g: &Graph,
    c: &Change,
    pair: Option<(&Lens, &Lens)>,
    old_ids: &HashMap<&str, &str>,
) -> String {
    match c {
        Change::Retitled {
            object,
            id,
            old,
            new,
        } => format!(
            "{} {} retitled: {}",
            object.label(),
            id_html(g, id),
            runs_html(&diff::word_diff(&plain_text(g, old), &plain_text(g, new)))
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
            escape_html(field),
            reworded(g, id, field, diff, pair, old_ids)
        ),
        other => diff::render(other, &HtmlMarkup { g }),
    }
}

#[cfg(test)]
mod tests {
    use super::plain_text;
    use crate::graph::Graph;

    #[test]
    fn plain_text_reads_as_the_page_does() {
        let g = Graph::default();
        assert_eq!(
            plain_text(
                &g,
                "Use `max_tokens` and [[GENSEC01-BP01|the gate]]; see [docs](https://x.y/)."
            ),
            "Use max_tokens and the gate; see docs."
        );
        assert_eq!(
            plain_text(&g, "| a | b |\n|---|---|\n| 1 | 2 |\n"),
            "a · b · 1 · 2"
        );
        assert_eq!(plain_text(&g, "- one\n- two\n\nAfter"), "one · two · After");
        // An unknown id shows as written.
        assert_eq!(plain_text(&g, "See [[NOPE]]."), "See NOPE.");
        assert_eq!(
            plain_text(&g, "Raw <b>html</b> & [[ unclosed"),
            "Raw html & [[ unclosed"
        );
    }
}
