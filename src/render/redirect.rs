//! Pages at old URLs that send the reader on: a meta refresh and a canonical link (no
//! JavaScript needed), a visible link, and `assets/redirect.js`, which first follows an old
//! `#anchor` that moved elsewhere and otherwise carries the fragment along (so a checklist share
//! link made on an older version still opens). Works from `file://`.

use super::{escape_html, path_to_root};

/// The HTML of a redirect page written at `url` (relative to the site root) that leads to
/// `target` (root-relative `url#anchor`), titled after it. `anchors` maps old anchors on this page
/// to their new root-relative targets.
pub fn page(
    url: &str,
    target: &str,
    title: &str,
    language: &str,
    anchors: &[(String, String)],
) -> String {
    let root = path_to_root(url);
    let to = format!("{root}{target}");
    let moved: serde_json::Map<String, serde_json::Value> = anchors
        .iter()
        .map(|(a, t)| (a.clone(), serde_json::Value::String(format!("{root}{t}"))))
        .collect();
    let moved = serde_json::Value::Object(moved).to_string();
    let to = escape_html(&to);
    let title = escape_html(title);
    format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>Moved: {title}</title>\n<meta name=\"robots\" content=\"noindex\">\n\
         <link rel=\"canonical\" href=\"{to}\">\n\
         <script src=\"{root}assets/redirect.js\" data-to=\"{to}\" data-moved=\"{moved}\"></script>\n\
         <meta http-equiv=\"refresh\" content=\"0; url={to}\">\n</head>\n<body>\n\
         <p>This page has moved to <a href=\"{to}\">{title}</a>.</p>\n</body>\n</html>\n",
        lang = escape_html(language),
        moved = escape_html(&moved),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_relative_and_escaped() {
        let html = page(
            "lenses/ml/mloe01.html",
            "lenses/ml/mlops01.html",
            "Ops <1>",
            "en",
            &[(
                "mloe-02".into(),
                "lenses/ml/mlcost02.html#mlcost02-bp01".into(),
            )],
        );
        assert!(html.contains("href=\"../../lenses/ml/mlops01.html\""));
        assert!(html.contains("url=../../lenses/ml/mlops01.html"));
        assert!(html.contains("Ops &lt;1&gt;"));
        assert!(html.contains(
            "data-moved=\"{&quot;mloe-02&quot;:&quot;../../lenses/ml/mlcost02.html#mlcost02-bp01&quot;}\""
        ));
    }
}
