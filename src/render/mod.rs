//! Rendering: markdown fragments, syntax highlighting, and the tera theme.

pub mod highlight;
pub mod markdown;
pub mod packed;
mod raw_html;
pub mod sanitize;
pub mod theme;

pub mod fragments;
pub mod redirect;

pub use crate::source::ROOT_MARK;

/// `../` repeated for the depth of `url` (e.g. `a/b/c.html` -> `../../`).
pub fn path_to_root(url: &str) -> String {
    "../".repeat(url.matches('/').count())
}

/// Replaces every root placeholder in `html` for a page at `url`. Runs over every byte of
/// every page: `str::replace` with a two-byte pattern took a fifth of the pages stage, while
/// memchr finds the placeholder's rare first byte with SIMD.
pub fn fix_root(html: &str, url: &str) -> String {
    let root = path_to_root(url);
    let mark = ROOT_MARK.as_bytes();
    let mut out = String::with_capacity(html.len());
    let mut last = 0;
    for at in memchr::memchr_iter(mark[0], html.as_bytes()) {
        if at >= last && html.as_bytes()[at..].starts_with(mark) {
            out.push_str(&html[last..at]);
            out.push_str(&root);
            last = at + mark.len();
        }
    }
    out.push_str(&html[last..]);
    out
}

pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn root_is_relative_to_depth() {
        assert_eq!(fix_root("\u{1a}/x.html", "index.html"), "x.html");
        assert_eq!(fix_root("\u{1a}/x.html", "lenses/a/b.html"), "../../x.html");
        // A lone placeholder byte is text, not a root; marks may be adjacent; text is kept.
        assert_eq!(
            fix_root("a\u{1a}b\u{1a}/\u{1a}/c é", "x/y.html"),
            "a\u{1a}b../../c é"
        );
    }
}
