//! Readable YAML for a lens: fields in model order, multi-line text as literal block scalars
//! (`|`), long single-line text folded at spaces (`>-`). The result is checked by parsing it back;
//! if it would not give the same lens, serde_yaml's own output is used instead.

use serde_yaml::{Mapping, Value};

use crate::lens::Lens;

/// Longest line the writer aims for when folding long text.
const WIDTH: usize = 96;
/// Single-line strings longer than this are folded.
const FOLD_OVER: usize = 120;

/// The lens as YAML, preceded by `header` (comment lines, each starting with `#`).
pub fn lens_to_yaml(lens: &Lens, header: &str) -> String {
    let body = match serde_yaml::to_value(lens) {
        Ok(Value::Mapping(m)) => {
            let mut out = String::new();
            mapping(&mut out, &m, 0);
            out
        }
        _ => String::new(),
    };
    let same = serde_yaml::from_str::<Lens>(&body)
        .map(|l| &l == lens)
        .unwrap_or(false);
    let body = if same {
        body
    } else {
        serde_yaml::to_string(lens).unwrap_or_default()
    };
    format!("{header}{body}")
}

fn pad(out: &mut String, n: usize) {
    out.extend(std::iter::repeat_n(' ', n));
}

fn mapping(out: &mut String, m: &Mapping, indent: usize) {
    for (k, v) in m {
        pad(out, indent);
        out.push_str(&scalar(k));
        out.push(':');
        after_key(out, v, indent);
    }
}

/// Writes what follows `key:` (a value on the same line or a nested block).
fn after_key(out: &mut String, v: &Value, indent: usize) {
    match v {
        Value::Mapping(m) if m.is_empty() => out.push_str(" {}\n"),
        Value::Mapping(m) => {
            out.push('\n');
            mapping(out, m, indent + 2);
        }
        Value::Sequence(s) if s.is_empty() => out.push_str(" []\n"),
        Value::Sequence(s) => {
            out.push('\n');
            sequence(out, s, indent + 2);
        }
        Value::String(s) => {
            out.push(' ');
            string(out, s, indent + 2);
        }
        other => {
            out.push(' ');
            out.push_str(&scalar(other));
            out.push('\n');
        }
    }
}

fn sequence(out: &mut String, s: &[Value], indent: usize) {
    for item in s {
        match item {
            Value::Mapping(m) if !m.is_empty() => {
                let mut buf = String::new();
                mapping(&mut buf, m, indent + 2);
                pad(out, indent);
                out.push_str("- ");
                out.push_str(buf.get(indent + 2..).unwrap_or(""));
            }
            Value::Sequence(inner) if !inner.is_empty() => {
                pad(out, indent);
                out.push_str("-\n");
                sequence(out, inner, indent + 2);
            }
            Value::String(text) => {
                pad(out, indent);
                out.push_str("- ");
                string(out, text, indent + 2);
            }
            other => {
                pad(out, indent);
                out.push_str("- ");
                match other {
                    Value::Mapping(_) => out.push_str("{}"),
                    Value::Sequence(_) => out.push_str("[]"),
                    _ => out.push_str(&scalar(other)),
                }
                out.push('\n');
            }
        }
    }
}

/// A one-line scalar as serde_yaml would write it (quoted when needed).
fn scalar(v: &Value) -> String {
    let s = serde_yaml::to_string(v).unwrap_or_default();
    let s = s.strip_suffix('\n').unwrap_or(&s);
    if s.contains('\n') {
        // Only strings can come out on several lines; JSON's escapes are valid YAML.
        match v {
            Value::String(t) => serde_json::to_string(t).unwrap_or_default(),
            _ => s.to_string(),
        }
    } else {
        s.to_string()
    }
}

/// Characters that may appear in a block scalar as they are.
fn block_safe(s: &str) -> bool {
    s.chars().all(|c| {
        c == '\n'
            || c == '\t'
            || !(c.is_control() || matches!(c, '\u{feff}' | '\u{2028}' | '\u{2029}' | '\u{85}'))
    })
}

/// Writes a string value; `ci` is the indentation of block content lines.
fn string(out: &mut String, s: &str, ci: usize) {
    let first_line = s.lines().find(|l| !l.is_empty()).unwrap_or("");
    if s.contains('\n') && block_safe(s) && !first_line.starts_with(' ') && !s.trim().is_empty() {
        let content = s.trim_end_matches('\n');
        let trailing = s.len() - content.len();
        out.push_str(match trailing {
            0 => "|-\n",
            1 => "|\n",
            _ => "|+\n",
        });
        for line in content.split('\n') {
            if !line.is_empty() {
                pad(out, ci);
                out.push_str(line);
            }
            out.push('\n');
        }
        for _ in 1..trailing {
            out.push('\n');
        }
        return;
    }
    if s.chars().count() > FOLD_OVER
        && !s.contains('\n')
        && block_safe(s)
        && !s.starts_with(char::is_whitespace)
        && !s.ends_with(char::is_whitespace)
    {
        let lines = fold(s, WIDTH.saturating_sub(ci).max(40));
        if lines.len() > 1 {
            out.push_str(">-\n");
            for line in lines {
                pad(out, ci);
                out.push_str(line);
                out.push('\n');
            }
            return;
        }
    }
    if s.chars().count() > FOLD_OVER
        && let Some(lines) = quoted_lines(s, WIDTH.saturating_sub(ci).max(40))
    {
        // A double-quoted scalar over several lines: each line but the last ends in `\`,
        // which joins it to the next without a space.
        let last = lines.len() - 1;
        for (i, line) in lines.iter().enumerate() {
            if i > 0 {
                pad(out, ci);
            }
            out.push_str(line);
            out.push_str(if i < last { "\\\n" } else { "\n" });
        }
        return;
    }
    out.push_str(&scalar(&Value::String(s.to_string())));
    out.push('\n');
}

/// `s` as a JSON string (valid YAML double-quoted) cut after spaces that are followed by a
/// non-blank character, so dropping each continuation line's indentation loses nothing.
fn quoted_lines(s: &str, width: usize) -> Option<Vec<String>> {
    let q = serde_json::to_string(s).ok()?;
    let b = q.as_bytes();
    let mut lines = Vec::new();
    let mut start = 0;
    let mut last_break = None;
    let mut count = 0;
    for (i, c) in q.char_indices() {
        count += 1;
        if c == ' ' && !matches!(b.get(i + 1), Some(b' ' | b'\t') | None) {
            last_break = Some(i + 1);
        }
        if count > width
            && let Some(at) = last_break.filter(|&at| at > start && at <= i + 1)
        {
            lines.push(q[start..at].to_string());
            start = at;
            last_break = None;
            count = q
                .get(start..i + c.len_utf8())
                .map_or(0, |t| t.chars().count());
        }
    }
    lines.push(q[start..].to_string());
    (lines.len() > 1).then_some(lines)
}

/// Splits at single spaces between non-blank characters, so folding the lines back with one
/// space each gives `s` exactly.
fn fold(s: &str, width: usize) -> Vec<&str> {
    let b = s.as_bytes();
    let mut lines = Vec::new();
    let mut start = 0;
    let mut last_break = None;
    let mut count = 0;
    for (i, c) in s.char_indices() {
        count += 1;
        if c == ' '
            && i > start
            && !matches!(b.get(i - 1), Some(b' ' | b'\t'))
            && !matches!(b.get(i + 1), Some(b' ' | b'\t') | None)
        {
            last_break = Some(i);
        }
        if count > width
            && let Some(at) = last_break
        {
            lines.push(&s[start..at]);
            start = at + 1;
            last_break = None;
            // Characters of the new line so far, up to and including `c`.
            count = if start > i {
                0
            } else {
                s[start..i].chars().count() + 1
            };
        }
    }
    lines.push(&s[start..]);
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_round_trips() {
        let s = "word ".repeat(60) + "end";
        let lines = fold(&s, 40);
        assert!(lines.len() > 3);
        assert_eq!(lines.join(" "), s);
        let tricky = format!(
            "{}  double  spaces\tand tab {}",
            "x ".repeat(50),
            "y ".repeat(30).trim()
        );
        assert_eq!(fold(&tricky, 30).join(" "), tricky);
        let wide = "é ".repeat(80) + "ü";
        assert_eq!(fold(&wide, 20).join(" "), wide);
    }

    #[test]
    fn quoted_lines_join_back() {
        let s = format!(" lead {}  double \"q\" é\\ trail ", "word ".repeat(40));
        let lines = quoted_lines(&s, 30).unwrap();
        assert!(lines.len() > 3);
        let joined: String = lines.concat();
        assert_eq!(serde_json::from_str::<String>(&joined).unwrap(), s);
        // And YAML reads the written form back exactly.
        let mut out = String::from("k: ");
        string(&mut out, &s, 2);
        let v: std::collections::BTreeMap<String, String> = serde_yaml::from_str(&out).unwrap();
        assert_eq!(v["k"], s, "{out}");
    }
}
