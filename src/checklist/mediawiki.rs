//! MediaWiki markup: one sortable `wikitable` with id, best practice, pillar, risk and status.
//! Every piece of text is entity-escaped and wrapped in `<nowiki>`, so no title can open a
//! link, a template or a table cell. Once any item is answered, a second table gives each
//! question's risk.

use super::{Checklist, QuestionRisk, Status, one_line};

/// Text that wikitext cannot interpret.
pub fn text(s: &str) -> String {
    let s = one_line(s)
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    if s.is_empty() {
        s
    } else {
        format!("<nowiki>{s}</nowiki>")
    }
}

/// An external link for absolute URLs; relative URLs cannot be links in a wiki, so only the
/// title is kept.
fn link(title: &str, url: &str) -> String {
    if url.starts_with("https://") || url.starts_with("http://") {
        let mut u = String::new();
        for c in one_line(url).chars() {
            match c {
                ' ' => u.push_str("%20"),
                '[' => u.push_str("%5B"),
                ']' => u.push_str("%5D"),
                '<' => u.push_str("%3C"),
                '>' => u.push_str("%3E"),
                '"' => u.push_str("%22"),
                '\'' => u.push_str("%27"),
                '|' => u.push_str("%7C"),
                '{' => u.push_str("%7B"),
                '}' => u.push_str("%7D"),
                c => u.push(c),
            }
        }
        format!("[{u} {}]", text(title))
    } else {
        text(title)
    }
}

pub fn render(cl: &Checklist) -> String {
    let mut out = format!("== {} ==\n", text(&cl.heading()));
    if let Some(d) = &cl.description {
        out.push_str(&format!("{}\n\n", text(d)));
    }
    let meta = cl.meta_line(&text, &link);
    out.push_str(&format!("{}\n\n", meta));
    out.push_str(
        "{| class=\"wikitable sortable\"\n! Id !! Best practice !! Pillar !! Risk !! Status\n",
    );
    for (lens, pillar, _, i) in cl.items() {
        let (sort, risk) = match i.risk {
            Some(r) => (
                match r {
                    crate::lens::RiskLevel::High => 3,
                    crate::lens::RiskLevel::Medium => 2,
                    crate::lens::RiskLevel::Low => 1,
                },
                r.as_str(),
            ),
            None => (0, ""),
        };
        let status = match i.status {
            Status::Open => "open",
            Status::Done => "done",
            Status::NotApplicable => "not applicable",
        };
        out.push_str(&format!(
            "|-\n| {} || {} || {} || data-sort-value=\"{sort}\" | {risk} || {status}\n",
            text(&i.id),
            link(&i.title, &i.url),
            text(&cl.pillar_heading(lens, pillar)),
        ));
    }
    out.push_str("|}\n");
    if cl.is_answered() {
        out.push_str("\n{| class=\"wikitable sortable\"\n! Question !! Pillar !! Question risk\n");
        for lens in &cl.lenses {
            for pillar in &lens.pillars {
                for q in &pillar.questions {
                    let risk = cl.risk_of(q);
                    let sort = match risk {
                        QuestionRisk::High => 4,
                        QuestionRisk::Medium => 3,
                        QuestionRisk::None => 2,
                        QuestionRisk::NotApplicable => 1,
                        QuestionRisk::Unanswered => 0,
                    };
                    out.push_str(&format!(
                        "|-\n| {} {} || {} || data-sort-value=\"{sort}\" | {}\n",
                        text(&q.id),
                        link(&q.title, &q.url),
                        text(&cl.pillar_heading(lens, pillar)),
                        risk.label(),
                    ));
                }
            }
        }
        out.push_str("|}\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_escapes_nowiki() {
        assert_eq!(
            text("a</nowiki>[[b]]|{{c}}"),
            "<nowiki>a&lt;/nowiki&gt;[[b]]|{{c}}</nowiki>"
        );
        assert_eq!(link("t", "../x.html"), "<nowiki>t</nowiki>");
        assert_eq!(
            link("t", "https://x/a b|c"),
            "[https://x/a%20b%7Cc <nowiki>t</nowiki>]"
        );
    }
}
