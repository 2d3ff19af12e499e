//! The print view on a site too large for one page: `print.html` lists parts under `print/`,
//! each under the part limit, every page printed once in reading order, and links between
//! parts landing on an existing anchor. And `[wa] print`: what the view holds (`auto` every page
//! while it fits in one file, else the lens pages; `all`; `lenses`; `off`, no view at all).

mod common;

use std::collections::{HashMap, HashSet};
use std::path::Path;

use common::*;

/// The part limit the generated project sets (`[wa] print-part-kb`), in bytes.
const LIMIT: usize = 60_000;

/// The basic fixture plus 240 top-level pages and a 40-page folder, each page linking to a
/// section of a page far away (so, once split, in another part), and a content folder called
/// `print` whose page takes the name a part would have.
fn large_project(limit_kb: Option<usize>, print: Option<&str>) -> tempfile::TempDir {
    let dir = copy_fixture("basic");
    let root = dir.path();
    set_wa(root, limit_kb, print);
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

/// Writes a `[wa]` table with `print-part-kb` and `print` into the project's `book.toml`.
fn set_wa(root: &Path, limit_kb: Option<usize>, print: Option<&str>) {
    let mut toml = read(&root.join("book.toml"));
    toml.push_str("\n[wa]\n");
    if let Some(kb) = limit_kb {
        toml.push_str(&format!("print-part-kb = {kb}\n"));
    }
    if let Some(p) = print {
        toml.push_str(&format!("print = \"{p}\"\n"));
    }
    std::fs::write(root.join("book.toml"), toml).unwrap();
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
    let whole = large_project(None, None);
    let single = read(&build(whole.path()).join("print.html"));
    assert!(single.len() > 4 * LIMIT, "{}", single.len());
    let order = sections(&single);
    let position: HashMap<&str, usize> = order
        .iter()
        .enumerate()
        .map(|(i, k)| (k.as_str(), i))
        .collect();

    // `all`: every page, whatever the size.
    let dir = large_project(Some(LIMIT / 1000), Some("all"));
    let out = build(dir.path());
    let index = read(&out.join("print.html"));
    assert!(sections(&index).is_empty(), "the index prints no page");
    assert!(!index.contains("print-left-out"), "nothing is left out");
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
    let keys = sections(&print);
    assert!(keys.len() > 5);
    // `auto` on a site that fits in one file: every page, content pages too.
    for page in [
        "guide-intro",
        "guide-setup",
        "index",
        "lenses-test-lens-index",
    ] {
        assert!(keys.iter().any(|k| k == page), "{page} missing: {keys:?}");
    }
    assert!(!print.contains("print-left-out"), "nothing is left out");
    assert!(listed_parts(&print).is_empty());
    assert!(!out.join("print").exists());
    let page = read(&out.join("guide/intro.html"));
    assert!(page.contains(">Print all guidance</a>"));
}

/// Keys of the printed pages made from lens definitions in the basic fixture (lens, pillar,
/// question, dimension and scenario pages), as the print view names them.
fn is_lens_page(key: &str) -> bool {
    key.starts_with("lenses-") || key.starts_with("dimensions-") || key.starts_with("scenarios-")
}

/// The sentence `print.html` gives when pages are left out.
fn left_out(index: &str) -> &str {
    let (_, rest) = index
        .split_once("<p class=\"print-left-out\">")
        .expect("print.html says what is left out");
    rest.split("</p>").next().unwrap_or("")
}

#[test]
fn auto_past_the_part_limit_prints_the_lens_pages_and_says_what_is_left_out() {
    let whole = large_project(None, Some("all"));
    let all = sections(&read(&build(whole.path()).join("print.html")));
    let lens_pages: Vec<&String> = all.iter().filter(|k| is_lens_page(k)).collect();
    assert!(lens_pages.len() >= 5, "{lens_pages:?}");

    // Every page would need several parts of the limit; the lens pages fit in one file.
    let dir = large_project(Some(LIMIT / 1000), None);
    let out = build(dir.path());
    let index = read(&out.join("print.html"));
    let printed = sections(&index);
    let expected: Vec<String> = lens_pages.iter().map(|k| k.to_string()).collect();
    assert_eq!(printed, expected, "lens pages only, in reading order");
    assert!(listed_parts(&index).is_empty());
    assert!(index.len() <= LIMIT, "{}", index.len());
    // The only file under `print/` is the content page that lives there.
    let files: Vec<String> = std::fs::read_dir(out.join("print"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(files, ["pages-2.html"]);
    let sentence = left_out(&index);
    let missing = all.len() - expected.len();
    assert!(
        sentence.contains(&format!("{missing} other pages are not in it")),
        "{sentence}"
    );
    assert!(
        sentence.contains("<code>print = \"all\"</code>"),
        "{sentence}"
    );
    // Links from lens pages to pages left out go to those pages; every link lands.
    assert!(check_links(&out) > 1000);
}

#[test]
fn lenses_prints_the_lens_pages_whatever_the_size_in_parts_past_the_limit() {
    let dir = copy_fixture("basic");
    set_wa(dir.path(), None, Some("lenses"));
    let out = build(dir.path());
    let index = read(&out.join("print.html"));
    let printed = sections(&index);
    assert!(printed.len() >= 5, "{printed:?}");
    assert!(printed.iter().all(|k| is_lens_page(k)), "{printed:?}");
    assert!(left_out(&index).contains("other pages are not in it"));
    let page = read(&out.join("guide/intro.html"));
    assert!(page.contains(">Print the lens guidance</a>"));

    // Past a tiny limit, the lens pages are split into parts; still no content page.
    let dir = copy_fixture("basic");
    set_wa(dir.path(), Some(4), Some("lenses"));
    let out = build(dir.path());
    let index = read(&out.join("print.html"));
    let parts = listed_parts(&index);
    assert!(parts.len() >= 2, "{parts:?}");
    let keys: Vec<String> = parts
        .iter()
        .flat_map(|(href, _)| sections(&read(&out.join(href))))
        .collect();
    assert_eq!(keys, printed);
    assert!(left_out(&index).contains("other pages are not in it"));
    check_links(&out);
}

#[test]
fn off_writes_no_print_view_and_no_link_to_one() {
    let dir = copy_fixture("basic");
    set_wa(dir.path(), None, Some("off"));
    let out = build(dir.path());
    assert!(!out.join("print.html").exists());
    assert!(!out.join("print").exists());
    let mut pages = 0;
    for entry in walkdir::WalkDir::new(&out) {
        let entry = entry.unwrap();
        if entry.path().extension().is_some_and(|e| e == "html") {
            pages += 1;
            let html = read(entry.path());
            assert!(
                !html.contains("print.html"),
                "{} links the print view",
                entry.path().display()
            );
        }
    }
    assert!(pages > 10);
    check_links(&out);
}

#[test]
fn an_unknown_print_value_is_refused_where_it_is_written() {
    let dir = copy_fixture("basic");
    set_wa(dir.path(), Some(60), Some("everything"));
    let run = wa(&["build", ".", "-q"], dir.path());
    assert_ne!(run.code, 0);
    let toml = read(&dir.path().join("book.toml"));
    let line = toml.lines().position(|l| l.starts_with("print =")).unwrap() + 1;
    assert!(
        run.stderr.contains(&format!(
            "book.toml:{line}:9: print `everything` is not a print view setting"
        )),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("\"auto\", \"all\", \"lenses\" or \"off\""),
        "{}",
        run.stderr
    );
    assert!(!dir.path().join("book").exists(), "nothing is written");
}
