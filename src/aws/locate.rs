//! Locating a problem the WA Tool would reject (found on the exported JSON, by JSON path) in the
//! lens YAML it came from, so `lens export` can point at file:line:column.

use super::limits::Problem;
use super::{Seg, WA_ID, wa_id_of};
use crate::lens::{BestPractice, LensFile, Pillar, Question};
use crate::source::SourceFile;

enum Owner<'l> {
    Lens,
    Pillar(&'l Pillar),
    Question(&'l Question),
    Choice(&'l BestPractice),
}

/// YAML key for a JSON key.
fn yaml_key(k: &str) -> &str {
    match k {
        "schemaVersion" => "schema-version",
        "choices" => "best-practices",
        "riskRules" => "risk-rules",
        "helpfulResource" => "helpful-resource",
        "improvementPlan" => "improvement-plan",
        "additionalResources" => "additional-resources",
        "displayText" => "text",
        other => other,
    }
}

/// Where a problem sits in the YAML: byte offset, length, and a label naming the wa-docs object
/// and field (`best practice GENSEC01-BP01, description`).
pub(super) fn locate(lf: &LensFile, p: &Problem) -> (usize, usize, String) {
    let lens = &lf.lens;
    let src = &lf.source;
    let segs = &p.path.0;
    let mut owner = Owner::Lens;
    let mut question: Option<&Question> = None;
    let mut i = 0;
    loop {
        let next = match (&owner, segs.get(i), segs.get(i + 1)) {
            (Owner::Lens, Some(Seg::Key(k)), Some(Seg::Index(n))) if k == "pillars" => {
                lens.pillars.get(*n).map(Owner::Pillar)
            }
            (Owner::Pillar(pl), Some(Seg::Key(k)), Some(Seg::Index(n))) if k == "questions" => {
                pl.questions.get(*n).map(Owner::Question)
            }
            (Owner::Question(q), Some(Seg::Key(k)), Some(Seg::Index(n))) if k == "choices" => {
                question = Some(*q);
                q.best_practices.get(*n).map(Owner::Choice)
            }
            _ => None,
        };
        match next {
            Some(o) => {
                if let Owner::Question(q) = o {
                    question = Some(q);
                }
                owner = o;
                i += 2;
            }
            None => break,
        }
    }
    let (kind, id, extra) = match &owner {
        Owner::Lens => ("lens", lens.id.as_str(), &lens.extra),
        Owner::Pillar(x) => ("pillar", x.id.as_str(), &x.extra),
        Owner::Question(x) => ("question", x.id.as_str(), &x.extra),
        Owner::Choice(x) => ("best practice", x.id.as_str(), &x.extra),
    };
    let rest: Vec<&str> = segs[i..]
        .iter()
        .map_while(|s| match s {
            Seg::Key(k) => Some(k.as_str()),
            Seg::Index(_) => None,
        })
        .collect();
    let id_at = src.offset_of_value("id", id);
    let anchor = Anchor::of(
        src,
        if matches!(owner, Owner::Lens) {
            None
        } else {
            Some(id_at)
        },
    );
    let field: Vec<&str> = rest.iter().map(|k| yaml_key(k)).collect();
    let label = if field.is_empty() {
        format!("{kind} {id}")
    } else {
        format!("{kind} {id}, {}", field.join("."))
    };
    let first = rest.first().copied();
    // A risk rule's condition: the text itself, and the token the problem is about.
    if first == Some("riskRules")
        && let (Some(Seg::Index(r)), Some(Seg::Key(k))) = (segs.get(i + 1), segs.get(i + 2))
        && k == "condition"
        && let Some(q) = question.filter(|_| matches!(owner, Owner::Question(_)))
        && let Some(rule) = q.risk_rules.get(*r)
        && !extra.contains_key("riskRules")
    {
        let at = src.value_offset_after(&q.id, "condition", &rule.condition);
        let label = format!("question {}, risk-rules[{r}].condition", q.id);
        return match &p.token {
            Some(t) => {
                let yaml_token = q
                    .best_practices
                    .iter()
                    .find(|b| wa_id_of(&b.id, &b.extra) == *t)
                    .map_or(t.as_str(), |b| b.id.as_str());
                let t_at = src.find_after(at, yaml_token).unwrap_or(at);
                (t_at, yaml_token.len(), label)
            }
            None => (at, rule.condition.len().max(1), label),
        };
    }
    let chain: Vec<&str> = match first {
        None => Vec::new(),
        Some("id") if extra.contains_key(WA_ID) => vec!["extra", WA_ID],
        Some(k) if extra.contains_key(k) => vec!["extra", k],
        Some(_) => field.clone(),
    };
    if chain.is_empty() || chain == ["id"] {
        return (id_at, id.len().max(1), label);
    }
    if let Some((at, len)) = anchor.find(src, &chain) {
        return (at, len, label);
    }
    // A helpful resource written from `implementation:`.
    if chain.first() == Some(&"helpful-resource")
        && let Some((at, len)) = anchor.find(src, &["implementation"])
    {
        let label = format!("{kind} {id}, implementation (the WA Tool's helpful-resource text)");
        return (at, len, label);
    }
    (id_at, id.len().max(1), label)
}

/// An object in the YAML: the line its keys start on and their column.
struct Anchor {
    line_start: usize,
    col: usize,
}

impl Anchor {
    /// The object whose `id:` value is at `id_at`, or the top-level mapping.
    fn of(src: &SourceFile, id_at: Option<usize>) -> Anchor {
        let text = &src.text;
        match id_at {
            None => Anchor {
                line_start: 0,
                col: 0,
            },
            Some(at) => {
                let at = at.min(text.len());
                let line_start = text[..at].rfind('\n').map_or(0, |n| n + 1);
                let col = text[line_start..at].rfind("id:").unwrap_or(0);
                Anchor { line_start, col }
            }
        }
    }

    /// Finds nested keys (`improvement-plan`, `text`); returns the value's offset and length.
    fn find(&self, src: &SourceFile, chain: &[&str]) -> Option<(usize, usize)> {
        let text = &src.text;
        let (first, rest) = chain.split_first()?;
        let key_at = find_in_block(text, self.line_start, self.col, first)?;
        if rest.is_empty() {
            return Some(value_span(text, key_at, first));
        }
        let line_end = text[key_at..].find('\n').map_or(text.len(), |n| key_at + n);
        let after = &text[key_at + first.len() + 1..line_end];
        if after.trim_start().starts_with('{') {
            // Flow mapping on one line: `{ text: ..., url: ... }`.
            let pat = format!("{}:", rest[0]);
            let rel = after.find(&pat)?;
            let at = key_at + first.len() + 1 + rel;
            return Some(value_span(text, at, rest[0]));
        }
        // Block mapping: the child keys sit on the following, more indented lines.
        let mut pos = line_end + 1;
        while pos < text.len() {
            let end = text[pos..].find('\n').map_or(text.len(), |n| pos + n);
            let line = &text[pos..end];
            if !line.trim().is_empty() && !line.trim_start().starts_with('#') {
                let indent = line.len() - line.trim_start_matches(' ').len();
                let indent = if line.trim_start().starts_with("- ") {
                    indent + 2
                } else {
                    indent
                };
                if indent <= self.col {
                    return None;
                }
                let child = Anchor {
                    line_start: pos,
                    col: indent,
                };
                return child.find(src, rest);
            }
            pos = end + 1;
        }
        None
    }
}

/// The offset of `key:` among the keys at column `col` of the object starting on the line at
/// `line_start` (the object ends at the first line indented less than `col`).
fn find_in_block(text: &str, line_start: usize, col: usize, key: &str) -> Option<usize> {
    let pat = format!("{key}:");
    let mut pos = line_start;
    let mut first = true;
    while pos <= text.len() {
        let end = text[pos..].find('\n').map_or(text.len(), |n| pos + n);
        let line = &text[pos..end];
        let blank = line.trim().is_empty() || line.trim_start().starts_with('#');
        if !blank {
            let indent = line.len() - line.trim_start_matches(' ').len();
            if !first && indent < col {
                return None;
            }
            if (indent == col || first) && line.get(col..).is_some_and(|l| l.starts_with(&pat)) {
                return Some(pos + col);
            }
        }
        first = false;
        if end >= text.len() {
            break;
        }
        pos = end + 1;
    }
    None
}

/// The value after `key:` at `key_at`: on the same line, the first line of a block scalar, or
/// the key itself when a list or mapping follows.
fn value_span(text: &str, key_at: usize, key: &str) -> (usize, usize) {
    let start = (key_at + key.len() + 1).min(text.len());
    let line_end = text[start..].find('\n').map_or(text.len(), |n| start + n);
    let v = &text[start..line_end];
    let trimmed = v.trim();
    if trimmed.is_empty() {
        return (key_at, key.len());
    }
    if trimmed.starts_with('|') || trimmed.starts_with('>') {
        let mut pos = line_end + 1;
        while pos < text.len() {
            let end = text[pos..].find('\n').map_or(text.len(), |n| pos + n);
            let line = &text[pos..end];
            if !line.trim().is_empty() {
                let lead = line.len() - line.trim_start().len();
                return (pos + lead, line.trim().len().max(1));
            }
            pos = end + 1;
        }
        return (key_at, key.len());
    }
    let lead = v.len() - v.trim_start().len();
    (start + lead, trimmed.len().max(1))
}
