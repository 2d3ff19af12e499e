//! The print view on a site too large for one page: `print.html` lists parts under `print/`,
//! each under the part limit, every page printed once in reading order, and links between
//! parts landing on an existing anchor.

mod common;

use std::collections::{HashMap, HashSet};
use std::path::Path;

use common::*;

/// The part limit the generated project sets (`[wa] print-part-kb`), in bytes.
const LIMIT: usize = 60_000;

/// The basic fixture plus 240 top-level pages and a 40-page folder, each page linking to a
/// section of a page far away (so, once split, in another part), and a content folder called
/// `print` whose page takes the name a part would have.
fn large_project(limit_kb: Option<usize>) -> tempfile::TempDir {
    let dir = copy_fixture("basic");
    let root = dir.path();
    if let Some(kb) = limit_kb {
        let toml = read(&root.join("book.toml"));
        std::fs::write(
            root.join("book.toml"),
            format!("{toml}\n[wa]\nprint-part-kb = {kb}\n"),
        )
        .unwrap();
    }
    let text =
        "Operators review the runbook before each change and record what they saw. ".repeat(8);
    let content = root.join("content");
    for i in 0..240 {
        let far = (i + 120) % 240;
        let next = (i + 1) % 240;
        std::fs::write(
            content.join(format!("note-{i:03}.md")),
            format!(
                "---\ntitle: Note {i}\nweight: {}\n---\n\n## Overview {i}\n\n{text}\n\n\
                 See [note {far}](note-{far:03}.md#details-{far}), [note {next}](note-{next:03}.md#overview-{next}) \
                 and [the book](book/chapter-{:02}.md).\n\n\
                 ## Details {i}\n\n{text}\n\n{text}\n",
                i + 10,
                i % 40
            ),
        )
        .unwrap();
    }
    let book = content.join("book");
    std::fs::create_dir_all(&book).unwrap();
    std::fs::write(
        book.join("index.md"),
        "---\ntitle: The Operations Book\n---\n\nChapters follow.\n",
    )
    .unwrap();
    for i in 0..40 {
        std::fs::write(
            book.join(format!("chapter-{i:02}.md")),
            format!(
                "---\ntitle: Chapter {i}\nweight: {i}\n---\n\n## Part {i}\n\n{text}\n\n{text}\n\n\
                 Back to [note {i}](../note-{i:03}.md).\n"
            ),
        )
        .unwrap();
    }
    let print = content.join("print");
    std::fs::create_dir_all(&print).unwrap();
    std::fs::write(
        print.join("pages-2.md"),
        "---\ntitle: Printing tips\n---\n\nUse A4.\n",
    )
    .unwrap();
    dir
}

fn build(dir: &Path) -> std::path::PathBuf {
    let run = wa(&["build", ".", "-q"], dir);
    assert_eq!(run.code, 0, "build failed: {}", run.stderr);
    dir.join("book")
}

/// The keys of the printed pages in a print view file, in order.
fn sections(html: &str) -> Vec<String> {
    html.split("<section id=\"")
        .skip(1)
        .filter(|s| s.contains("class=\"print-section\""))
        .filter_map(|s| s.split('"').next())
        .map(String::from)
        .collect()
}

/// The parts `print.html` lists: (link, title).
fn listed_parts(index: &str) -> Vec<(String, String)> {
    let Some((_, table)) = index.split_once("<table class=\"print-parts\">") else {
        return Vec::new();
    };
    let table = table.split("</table>").next().unwrap_or("");
    table
        .split("<td><a href=\"")
        .skip(1)
        .filter_map(|s| {
            let (href, rest) = s.split_once("\">")?;
            let (title, _) = rest.split_once("</a>")?;
            Some((href.to_string(), title.to_string()))
        })
        .collect()
}

#[test]
fn a_large_print_view_is_split_into_parts_listed_by_print_html() {
    let whole = large_project(None);
    let single = read(&build(whole.path()).join("print.html"));
    assert!(single.len() > 4 * LIMIT, "{}", single.len());
    let order = sections(&single);
    let position: HashMap<&str, usize> = order
        .iter()
        .enumerate()
        .map(|(i, k)| (k.as_str(), i))
        .collect();

    let dir = large_project(Some(LIMIT / 1000));
    let out = build(dir.path());
    let index = read(&out.join("print.html"));
    assert!(sections(&index).is_empty(), "the index prints no page");
    let parts = listed_parts(&index);
    assert!(parts.len() >= 5, "{parts:?}");
    let titles: Vec<&str> = parts.iter().map(|(_, t)| t.as_str()).collect();
    // Top-level pages, cut by size, named by the range of pages they hold; a folder by its
    // index page's title; the lens by its name.
    assert!(titles[0].starts_with("Pages 1–"), "{titles:?}");
    assert!(titles.iter().any(|t| t.starts_with("The Operations Book")));
    assert!(titles.contains(&"Test Lens"), "{titles:?}");
    assert!(titles.contains(&"Reference"), "{titles:?}");

    let mut seen: Vec<String> = Vec::new();
    let mut part_of: HashMap<String, String> = HashMap::new();
    for (href, title) in &parts {
        let file = href.strip_prefix("print/").expect("parts live in print/");
        let html = read(&out.join(href));
        assert!(html.len() <= LIMIT, "{href} is {} bytes", html.len());
        assert!(
            html.contains(&format!("<strong>{title}</strong>")),
            "{href}"
        );
        let keys = sections(&html);
        assert!(!keys.is_empty(), "{href} is empty");
        // In reading order within the part.
        let at: Vec<usize> = keys.iter().map(|k| position[k.as_str()]).collect();
        assert!(at.windows(2).all(|w| w[0] < w[1]), "{href}: {keys:?}");
        for k in keys {
            part_of.insert(k.clone(), file.to_string());
            seen.push(k);
        }
    }
    // Every page exactly once.
    let unique: HashSet<&String> = seen.iter().collect();
    assert_eq!(unique.len(), seen.len(), "a page is printed twice");
    let mut all = order.clone();
    all.sort();
    seen.sort();
    assert_eq!(seen, all);
    // The top-level pages, across their parts, keep their reading order.
    let notes: Vec<&String> = parts
        .iter()
        .flat_map(|(href, _)| sections(&read(&out.join(href))))
        .filter(|k| k.starts_with("note-"))
        .map(|k| order.iter().find(|o| **o == k).unwrap())
        .collect();
    let in_order: Vec<&String> = order.iter().filter(|k| k.starts_with("note-")).collect();
    assert_eq!(notes, in_order);

    // A link to a page in another part goes to that part's anchor; one in the same part stays
    // in-page. `check_links` then proves every anchor exists.
    let first = &parts[0].0;
    let html = read(&out.join(first));
    assert_eq!(part_of["note-000"], first.trim_start_matches("print/"));
    let far = &part_of["note-120"];
    assert_ne!(far, &part_of["note-000"]);
    assert!(
        html.contains(&format!("href=\"{far}#note-120--details-120\"")),
        "{first} does not link note 120 in {far}"
    );
    assert_eq!(part_of["note-001"], part_of["note-000"]);
    assert!(html.contains("href=\"#note-001--overview-1\""));
    assert!(html.contains("href=\"../assets/wa.css\""));
    assert!(check_links(&out) > 1000);
    // The content page `print/pages-2.html` keeps its name; the part that would have taken
    // it is named apart.
    assert!(read(&out.join("print/pages-2.html")).contains("Use A4."));
    assert!(!parts.iter().any(|(h, _)| h == "print/pages-2.html"));
}

#[test]
fn a_small_site_keeps_one_print_html() {
    let dir = copy_fixture("basic");
    let out = build(dir.path());
    let print = read(&out.join("print.html"));
    assert!(sections(&print).len() > 5);
    assert!(listed_parts(&print).is_empty());
    assert!(!out.join("print").exists());
}
