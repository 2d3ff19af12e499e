//! GitHub/GitLab-flavoured Markdown: a task list per question under a heading per pillar.
//! `checklist.js` writes the same format for the reader's current state. Once any item is
//! answered (done or not applicable), each question also gets a "Question risk:" line.

use super::{Checklist, Status, one_line};

/// Backslash-escapes the characters that could start markup inline (CommonMark allows a
/// backslash before any ASCII punctuation); line breaks become spaces.
pub fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in one_line(s).chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '~' | '&' | '$' | '!'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A link destination that cannot end early: spaces, parentheses and angle brackets encoded.
pub fn url(u: &str) -> String {
    one_line(u)
        .replace(' ', "%20")
        .replace('(', "%28")
        .replace(')', "%29")
        .replace('<', "%3C")
        .replace('>', "%3E")
}

fn link(title: &str, u: &str) -> String {
    format!("[{}]({})", text(title), url(u))
}

pub fn render(cl: &Checklist) -> String {
    let mut blocks: Vec<String> = vec![format!("# {}", text(&cl.heading()))];
    if let Some(d) = &cl.description {
        blocks.push(text(d));
    }
    let meta = cl.meta_line(&text, &link);
    blocks.push(meta);
    let answered = cl.is_answered();
    for lens in &cl.lenses {
        for pillar in &lens.pillars {
            blocks.push(format!("## {}", text(&cl.pillar_heading(lens, pillar))));
            for q in &pillar.questions {
                blocks.push(format!("### {} {}", text(&q.id), link(&q.title, &q.url)));
                if answered {
                    blocks.push(format!("Question risk: **{}**", cl.risk_of(q).label()));
                }
                let lines: Vec<String> = q
                    .items
                    .iter()
                    .map(|i| {
                        let mut line = format!(
                            "- [{}] **{}** {}",
                            if i.status == Status::Open { ' ' } else { 'x' },
                            text(&i.id),
                            link(&i.title, &i.url)
                        );
                        if let Some(r) = i.risk {
                            line.push_str(&format!(" · {} risk", r.as_str()));
                        }
                        if i.status == Status::NotApplicable {
                            line.push_str(" · not applicable");
                        }
                        line
                    })
                    .collect();
                blocks.push(lines.join("\n"));
            }
        }
    }
    let mut out = blocks.join("\n\n");
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_link_ends() {
        assert_eq!(
            text("a *b* [c](d) <x>\nnext"),
            "a \\*b\\* \\[c\\](d) \\<x\\> next"
        );
        assert_eq!(url("https://x/a b(c)"), "https://x/a%20b%28c%29");
    }
}
