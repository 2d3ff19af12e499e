//! Rendering: markdown fragments, syntax highlighting, and the tera theme.

pub mod highlight;
pub mod markdown;
pub mod theme;

pub mod fragments;
pub mod redirect;

pub use crate::source::ROOT_MARK;

/// `../` repeated for the depth of `url` (e.g. `a/b/c.html` -> `../../`).
pub fn path_to_root(url: &str) -> String {
    "../".repeat(url.matches('/').count())
}

/// Replaces every root placeholder in `html` for a page at `url`.
pub fn fix_root(html: &str, url: &str) -> String {
    html.replace(ROOT_MARK, &path_to_root(url))
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
    }
}
