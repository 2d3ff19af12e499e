//! Confluence storage format: headings per pillar and question, an `<ac:task-list>` of
//! `<ac:task>`s per question. The output is a well-formed XML fragment (the `ac:` prefix is
//! declared by Confluence) that pastes into a page through the source editor. Once any item is
//! answered, each question also gets a "Question risk:" paragraph.

use super::{Checklist, Status, is_unsafe_char, one_line};

/// Escapes text and attribute values (on one line); drops characters XML 1.0 does not allow.
pub fn xml(s: &str) -> String {
    let allowed: String = one_line(s)
        .chars()
        .filter(|c| !is_unsafe_char(*c))
        .collect();
    crate::render::escape_html(&allowed)
}

fn link(title: &str, url: &str) -> String {
    format!("<a href=\"{}\">{}</a>", xml(url), xml(title))
}

pub fn render(cl: &Checklist) -> String {
    let mut out = String::new();
    out.push_str(&format!("<h1>{}</h1>\n", xml(&cl.heading())));
    if let Some(d) = &cl.description {
        out.push_str(&format!("<p>{}</p>\n", xml(d)));
    }
    let meta = cl.meta_line(&xml, &link);
    out.push_str(&format!("<p>{}</p>\n", meta));
    let mut task = 0;
    let answered = cl.is_answered();
    for lens in &cl.lenses {
        for pillar in &lens.pillars {
            out.push_str(&format!(
                "<h2>{}</h2>\n",
                xml(&cl.pillar_heading(lens, pillar))
            ));
            for q in &pillar.questions {
                out.push_str(&format!(
                    "<h3>{} {}</h3>\n",
                    xml(&q.id),
                    link(&q.title, &q.url)
                ));
                if answered {
                    out.push_str(&format!(
                        "<p>Question risk: <strong>{}</strong></p>\n",
                        cl.risk_of(q).label()
                    ));
                }
                out.push_str("<ac:task-list>\n");
                for i in &q.items {
                    task += 1;
                    let status = if i.status == Status::Open {
                        "incomplete"
                    } else {
                        "complete"
                    };
                    let mut body =
                        format!("<strong>{}</strong> {}", xml(&i.id), link(&i.title, &i.url));
                    if let Some(r) = i.risk {
                        body.push_str(&format!(" · {} risk", r.as_str()));
                    }
                    if i.status == Status::NotApplicable {
                        body.push_str(" · not applicable");
                    }
                    out.push_str(&format!(
                        "<ac:task>\n<ac:task-id>{task}</ac:task-id>\n<ac:task-status>{status}</ac:task-status>\n<ac:task-body>{body}</ac:task-body>\n</ac:task>\n"
                    ));
                }
                out.push_str("</ac:task-list>\n");
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_everything() {
        assert_eq!(xml("a<b>&\"c'\u{1}"), "a&lt;b&gt;&amp;&quot;c&#39;");
    }
}
