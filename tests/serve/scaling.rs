//! Work per edit does not grow with the size of the site.

use super::*;

/// A project of `n` plain pages, each linking to the next by id.
fn pages_project(dir: &Path, n: usize) {
    std::fs::write(dir.join("book.toml"), "[book]\ntitle = \"Work\"\n").unwrap();
    let content = dir.join("content");
    std::fs::create_dir_all(&content).unwrap();
    for i in 0..n {
        std::fs::write(
            content.join(format!("page-{i:05}.md")),
            format!(
                "---\ntitle: Page {i}\n---\n\nSome text about page {i}. Next: [[page-{:05}]].\n",
                (i + 1) % n
            ),
        )
        .unwrap();
    }
}

/// Work per edit is proportional to the edit (ARCHITECTURE.md): the same paragraph and title
/// edits visit the same items before the reload on a site ten times larger. Counted, not
/// timed (bench/results.md has the times at 10,000 and 100,000 pages).
#[test]
fn an_edit_costs_the_same_work_on_a_site_ten_times_larger() {
    let work = |n: usize| -> (usize, usize) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        pages_project(root, n);
        let (mut site, _) =
            wa_docs::build::LiveSite::build(root, &mut wa_docs::build::BuildCache::default())
                .unwrap_or_else(|d| panic!("build failed: {:?}", d.items));
        let page = root.join("content/page-00001.md");
        common::edit(&page, "Some text", "Edited text");
        assert_eq!(site.edit_bodies(std::slice::from_ref(&page)), Some(true));
        let paragraph = site.edit_work();
        assert!(
            String::from_utf8_lossy(&site.file("page-00001.html").unwrap()).contains("Edited text")
        );
        common::edit(&page, "title: Page 1", "title: Renamed page");
        assert_eq!(site.edit_bodies(std::slice::from_ref(&page)), Some(true));
        let title = site.edit_work();
        // The page linking to it shows the new title, in its text and in every sidebar.
        let citing = String::from_utf8_lossy(&site.file("page-00000.html").unwrap()).into_owned();
        assert!(citing.contains("Renamed page</a>"), "{citing}");
        // Saving the same text again is no edit.
        assert_eq!(site.edit_bodies(std::slice::from_ref(&page)), Some(false));
        (paragraph, title)
    };
    let small = work(100);
    assert_eq!(
        small,
        (1, 2),
        "paragraph: the page; title: the page and the one citing it"
    );
    assert_eq!(work(1000), small);
}
