//! Text between the WA Tool (plain text) and wa-docs (markdown).
//!
//! Imported plain text goes into markdown fields with the few characters escaped that would
//! otherwise act as markup the build checks or hides: `<` (raw HTML, autolinks), `[` (links,
//! `[[id]]` cross-links, footnotes) and `\` where it would escape the next character. Everything
//! else is left as written, so the YAML stays readable. [`unescape_plain`] is the exact inverse.
//! Text authored in wa-docs is markdown and becomes plain text with [`markdown_to_plain`].

use std::borrow::Cow;

use pulldown_cmark::{Event, LinkType, Parser, Tag, TagEnd};

fn needs_backslash_escape(next: Option<char>) -> bool {
    match next {
        None => true,
        Some(c) => c.is_ascii_punctuation() || c == '\n' || c == '\r',
    }
}

/// WA Tool plain text -> markdown that renders as the same text. Exactly undone by
/// [`unescape_plain`].
pub fn plain_to_markdown(text: &str) -> Cow<'_, str> {
    if !text.contains(['<', '[', '\\']) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '<' | '[' => {
                out.push('\\');
                out.push(c);
            }
            '\\' if needs_backslash_escape(chars.peek().copied()) => out.push_str("\\\\"),
            _ => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Removes the escapes [`plain_to_markdown`] adds: a backslash before ASCII punctuation.
pub fn unescape_plain(md: &str) -> String {
    let mut out = String::with_capacity(md.len());
    let mut chars = md.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\'
            && let Some(&n) = chars.peek()
            && n.is_ascii_punctuation()
        {
            out.push(n);
            chars.next();
            continue;
        }
        out.push(c);
    }
    out
}

/// Markdown -> the plain text the WA Tool shows: markup removed, paragraphs separated by a
/// blank line, list items as `- ` lines, external links as `text (url)`, `[[id]]` links as the
/// title `title_of` gives (else the id).
pub fn markdown_to_plain(md: &str, title_of: &dyn Fn(&str) -> Option<String>) -> String {
    let parser = Parser::new_ext(md, crate::render::markdown::options());
    let mut out = String::new();
    // Per open list: the next item number (None for bullets).
    let mut lists: Vec<Option<u64>> = Vec::new();
    let mut link: Option<(String, bool, usize)> = None;
    let mut in_code_block = false;
    let mut cell = 0usize;
    for event in parser {
        match event {
            Event::Start(Tag::List(start)) => {
                if !out.is_empty() && !out.ends_with('\n') {
                    out.push('\n');
                }
                lists.push(start);
            }
            Event::End(TagEnd::List(_)) => {
                lists.pop();
                if lists.is_empty() {
                    out.push('\n');
                }
            }
            Event::Start(Tag::Item) => {
                if !out.is_empty() && !out.ends_with('\n') {
                    out.push('\n');
                }
                let depth = lists.len().saturating_sub(1);
                out.push_str(&"  ".repeat(depth));
                match lists.last_mut() {
                    Some(Some(n)) => {
                        out.push_str(&format!("{n}. "));
                        *n += 1;
                    }
                    _ => out.push_str("- "),
                }
            }
            Event::End(TagEnd::Item) if !out.ends_with('\n') => out.push('\n'),
            Event::End(TagEnd::Paragraph) => {
                if lists.is_empty() {
                    out.push_str("\n\n");
                } else {
                    out.push('\n');
                }
            }
            Event::End(TagEnd::Heading(_)) | Event::End(TagEnd::BlockQuote(_)) => {
                out.push_str("\n\n")
            }
            Event::Start(Tag::CodeBlock(_)) => {
                in_code_block = true;
            }
            Event::End(TagEnd::CodeBlock) => {
                in_code_block = false;
                out.push('\n');
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                ..
            }) => {
                let wiki = matches!(link_type, LinkType::WikiLink { .. });
                link = Some((dest_url.to_string(), wiki, out.len()));
            }
            Event::End(TagEnd::Link) => {
                if let Some((dest, wiki, start)) = link.take() {
                    let shown = out[start..].to_string();
                    if wiki {
                        // `[[id]]` shows the id as its text; use the target's title instead.
                        let id = dest.split('#').next().unwrap_or("").trim();
                        if shown.trim() == dest.trim()
                            && let Some(t) = title_of(id)
                        {
                            out.truncate(start);
                            out.push_str(&t);
                        }
                    } else if dest.contains("://") && shown.trim() != dest.trim() {
                        out.push_str(&format!(" ({dest})"));
                    }
                }
            }
            Event::Start(Tag::Image { .. }) | Event::End(TagEnd::Image) => {}
            Event::Start(Tag::TableRow) | Event::Start(Tag::TableHead) => cell = 0,
            Event::End(TagEnd::TableRow) | Event::End(TagEnd::TableHead) => out.push('\n'),
            Event::End(TagEnd::Table) => out.push('\n'),
            Event::Start(Tag::TableCell) => {
                if cell > 0 {
                    out.push_str(" | ");
                }
                cell += 1;
            }
            Event::Text(t) => out.push_str(&t),
            Event::Code(t) => out.push_str(&t),
            Event::SoftBreak => out.push(if in_code_block { '\n' } else { ' ' }),
            Event::HardBreak => out.push('\n'),
            Event::Rule => out.push_str("\n\n"),
            Event::TaskListMarker(done) => out.push_str(if done { "[x] " } else { "[ ] " }),
            Event::FootnoteReference(r) => out.push_str(&format!("[{r}]")),
            Event::InlineMath(t) | Event::DisplayMath(t) => out.push_str(&t),
            _ => {}
        }
    }
    tidy(&out)
}

/// Trims line ends and the whole text, and keeps at most one blank line in a row.
fn tidy(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut blank = 0;
    for line in s.trim().lines() {
        let line = line.trim_end();
        if line.is_empty() {
            blank += 1;
            if blank > 1 {
                continue;
            }
        } else {
            blank = 0;
        }
        out.push_str(line);
        out.push('\n');
    }
    out.trim_end().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_is_exactly_undone() {
        for s in [
            "plain",
            "a <b> [c] \\d \\< \\[ \\\\ end\\",
            "C:\\path\\file and \\* star",
            "[[x]] <script>alert(1)</script>",
            "line\\\nnext",
            "",
        ] {
            let md = plain_to_markdown(s);
            assert_eq!(unescape_plain(&md), s, "{md}");
        }
        assert!(matches!(plain_to_markdown("no markup"), Cow::Borrowed(_)));
    }

    #[test]
    fn escaped_text_renders_as_the_same_text() {
        let s = "Use <bucket> and [[id]] or \\*x";
        let md = plain_to_markdown(s);
        assert_eq!(markdown_to_plain(&md, &|_| None), s);
    }

    #[test]
    fn markdown_becomes_plain_text() {
        let md = "Keep **prompts** in `git`.\nSee [docs](https://x.example/a) and [[A-1]].\n\n- one\n- two\n\n1. first\n2. second\n";
        let plain = markdown_to_plain(md, &|id| (id == "A-1").then(|| "Title A".to_string()));
        assert_eq!(
            plain,
            "Keep prompts in git. See docs (https://x.example/a) and Title A.\n\n- one\n- two\n\n1. first\n2. second"
        );
    }
}
