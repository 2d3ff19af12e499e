//! The one rule for URLs that come from sources (markdown links and images, raw HTML, lens
//! resource links, imported WA Tool JSON): relative, or http, https or mailto. Everything else,
//! `javascript:`, `vbscript:` and `data:` above all, is refused where it is written.

/// URL schemes a link or image may use; anything without a scheme is relative and allowed.
pub const URL_SCHEMES: [&str; 3] = ["http", "https", "mailto"];

/// Whether a URL may appear in a link or image: no scheme (relative), or an allowed one. The
/// scheme is read the way a browser's URL parser reads it: C0 controls and spaces around the
/// URL and tabs and newlines inside it do not count, and case does not matter.
pub fn url_allowed(url: &str) -> bool {
    let cleaned: String = url
        .trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    match scheme_of(&cleaned) {
        None => true,
        Some(s) => URL_SCHEMES.iter().any(|a| a.eq_ignore_ascii_case(s)),
    }
}

fn scheme_of(url: &str) -> Option<&str> {
    let colon = url.find(':')?;
    let s = &url[..colon];
    let mut chars = s.chars();
    let first = chars.next()?;
    (first.is_ascii_alphabetic()
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')))
    .then_some(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_rule_reads_schemes_like_a_browser() {
        assert!(url_allowed("https://a/"));
        assert!(url_allowed("../a.html#b"));
        assert!(!url_allowed("a:b/c"));
        assert!(!url_allowed(" \u{1}JaVa\tScRiPt:x"));
        assert!(!url_allowed("vbscript:x"));
        assert!(!url_allowed("data:image/png;base64,AAAA"));
        assert!(url_allowed("/x?y=a:b"));
    }
}
