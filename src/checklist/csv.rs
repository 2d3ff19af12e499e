//! CSV (RFC 4180): CRLF line ends, fields quoted when they hold a comma, quote or line break.
//! Text fields that a spreadsheet would take for a formula get a leading `'`.

use super::{Checklist, is_unsafe_char};

pub const HEADER: &str = "scenario,lens,pillar,question_id,question,item_id,item,risk,url,status";

pub fn field(s: &str) -> String {
    let s: String = s.chars().filter(|&c| !is_unsafe_char(c)).collect();
    if s.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

/// A text field: a leading `=`, `+`, `-`, `@`, tab or CR is neutralised with `'`.
pub fn text(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        field(&format!("'{s}"))
    } else {
        field(s)
    }
}

pub fn render(cl: &Checklist) -> String {
    let mut out = String::from(HEADER);
    out.push_str("\r\n");
    for (lens, pillar, q, i) in cl.items() {
        let row = [
            field(&cl.id),
            text(&lens.name),
            text(&pillar.name),
            field(&q.id),
            text(&q.title),
            field(&i.id),
            text(&i.title),
            field(i.risk.map(|r| r.as_str()).unwrap_or("")),
            field(&i.url),
            field(i.status.as_str()),
        ];
        out.push_str(&row.join(","));
        out.push_str("\r\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_when_needed() {
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(field("plain"), "plain");
        assert_eq!(text("=SUM(A1)"), "'=SUM(A1)");
    }
}
