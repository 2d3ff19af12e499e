//! Raw HTML goes through the sanitizer (`render::sanitize`): allowed rich HTML reaches the page
//! exactly as written, and HTML from somebody else's WA Tool JSON is shown as text. The refused
//! vectors, one corpus case per class, are in `tests/bad-inputs/xss-*` (`tests/bad_inputs.rs`).

mod common;

use common::*;

/// The raw HTML blocks of the fixture page: paragraphs that start with `<`.
fn samples(markdown: &str) -> Vec<String> {
    let body = markdown.splitn(3, "---\n").nth(2).unwrap();
    body.split("\n\n")
        .map(str::trim)
        .filter(|b| b.starts_with('<'))
        .map(String::from)
        .collect()
}

#[test]
fn allowed_rich_html_reaches_the_page_byte_for_byte() {
    let proj = fixture("rich-html");
    let out = tempfile::tempdir().unwrap();
    let dest = out.path().join("site");
    let run = wa(&["build", ".", "-q", "-d", dest.to_str().unwrap()], &proj);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let page = read(&dest.join("index.html"));
    let samples = samples(&read(&proj.join("content/index.md")));
    assert!(samples.len() >= 8, "{} samples", samples.len());
    for s in &samples {
        assert!(
            page.contains(s.as_str()),
            "changed or missing on the page:\n{s}"
        );
    }
    assert!(
        dest.join("img/swatch.png").is_file(),
        "the sample image is copied"
    );
}

#[test]
fn html_in_an_imported_wa_tool_lens_is_shown_as_text() {
    let dir = tempfile::tempdir().unwrap();
    let json = fixture("hostile-wa-tool-lens.json");
    let site = dir.path().join("site");
    let run = wa(
        &[
            "lens",
            "import",
            json.to_str().unwrap(),
            "--site",
            site.to_str().unwrap(),
        ],
        dir.path(),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let page = read(&site.join("lenses/shared-lens/shared-lens-ops_q1.html"));
    // WA Tool descriptions are plain text: their markup is escaped, never parsed.
    assert!(page.contains("&lt;img src=x"), "{page}");
    assert!(page.contains("&lt;a href="), "{page}");
    for live in ["<img src=x", "<a href=\"&#106;", "<a href=\"javascript"] {
        assert!(!page.contains(live), "{live} reached the page");
    }
}

#[test]
fn script_urls_in_imported_resource_links_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("lens.json");
    let text = read(&fixture("hostile-wa-tool-lens.json")).replace(
        "\"displayText\": \"Build a pipeline.\"",
        "\"displayText\": \"Build a pipeline.\", \"url\": \"JaVa\\tScript:alert(3)\"",
    );
    std::fs::write(&json, text).unwrap();
    let site = dir.path().join("site");
    let run = wa(
        &[
            "lens",
            "import",
            "lens.json",
            "--site",
            site.to_str().unwrap(),
        ],
        dir.path(),
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("resource link of shared-lens-ops_q1-ops_q1_c1"),
        "{}",
        run.stderr
    );
    // (miette wraps long messages, so the rest of the sentence may sit on the next line.)
    assert!(
        run.stderr.contains("JaVa\\tScript:alert(3)"),
        "{}",
        run.stderr
    );
    assert!(!site.exists(), "nothing was written");
}
