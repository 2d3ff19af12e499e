//! `wa-docs serve` rebuilds through a cache that reuses parsed pages, rendered markdown, pages,
//! print sections and search shards. Whatever an author edits, the cached build must produce
//! exactly the files a fresh build produces.

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, SystemTime};

use wa_docs::build::{BuildCache, render_project};

fn files(root: &Path, cache: &mut BuildCache) -> BTreeMap<String, Vec<u8>> {
    let (_, files, _) = match render_project(root, cache) {
        Ok(r) => r,
        Err(d) => panic!("build failed: {:?}", d.items),
    };
    files
        .into_iter()
        .map(|f| (f.path, f.bytes.to_vec()))
        .collect()
}

/// Marks every file as long unchanged, so the cache trusts file stamps (recent files are
/// always read again).
fn age(dir: &Path) {
    let old = SystemTime::now() - Duration::from_secs(3600);
    for e in walkdir::WalkDir::new(dir) {
        let e = e.unwrap();
        if e.file_type().is_file() {
            let f = std::fs::File::options().write(true).open(e.path()).unwrap();
            f.set_modified(old).unwrap();
        }
    }
    // The stamp also holds the status-change time, which setting the modification time moved
    // to now and which nothing can set back: only waiting ages it.
    std::thread::sleep(Duration::from_millis(2100));
}

fn assert_same(root: &Path, cache: &mut BuildCache, step: &str) -> BTreeMap<String, Vec<u8>> {
    let cached = files(root, cache);
    let fresh = files(root, &mut BuildCache::default());
    let paths = |m: &BTreeMap<String, Vec<u8>>| m.keys().cloned().collect::<Vec<_>>();
    assert_eq!(paths(&cached), paths(&fresh), "{step}: file lists differ");
    for (path, bytes) in &fresh {
        assert!(
            cached[path] == *bytes,
            "{step}: {path} differs from a fresh build"
        );
    }
    cached
}

fn page(files: &BTreeMap<String, Vec<u8>>, path: &str) -> String {
    String::from_utf8(files[path].clone()).unwrap()
}

#[test]
fn cached_rebuilds_equal_fresh_builds_after_every_kind_of_edit() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    std::fs::copy(repo.join("book.toml"), root.join("book.toml")).unwrap();
    common::copy_dir(&repo.join("content"), &root.join("content"));
    common::copy_dir(&repo.join("lenses"), &root.join("lenses"));
    common::copy_dir(&repo.join("versions"), &root.join("versions"));
    age(root);
    let mut cache = BuildCache::default();
    let first = files(root, &mut cache);
    assert!(first.len() > 200);

    // A sentence in a scenario page.
    common::edit(
        &root.join("content/scenarios/autonomous-call-center.md"),
        "hands everything else to a person",
        "hands everything else to a named person",
    );
    let after = assert_same(root, &mut cache, "scenario edit");
    assert!(page(&after, "scenarios/autonomous-call-center.html").contains("a named person"));

    // A best practice's title: its question page, the scenario's checklist, the dimension
    // pages it serves and the search shards all show it.
    common::edit(
        &root.join("lenses/generative-ai.yaml"),
        "title: Collect user feedback in the product and route flagged outputs to human review",
        "title: Collect in-product feedback and send flagged outputs to reviewers",
    );
    let after = assert_same(root, &mut cache, "lens title edit");
    let retitled = "Collect in-product feedback and send flagged outputs to reviewers";
    // (The scenario page links to its checklist, which lists the items.)
    assert!(page(&after, "checklists/autonomous-call-center.html").contains(retitled));
    assert!(
        after
            .iter()
            .any(|(p, b)| p.starts_with("dimensions/")
                && String::from_utf8_lossy(b).contains(retitled)),
        "a dimension page lists the retitled practice"
    );

    // A new page citing a best practice, then a heading others may link to, then removal.
    std::fs::write(
        root.join("content/new-note.md"),
        "---\ntitle: A new note\n---\n\nSee [[GENOPS01-BP02]] for feedback.\n\n## Quokka section\n\nText.\n",
    )
    .unwrap();
    let after = assert_same(root, &mut cache, "page added");
    assert!(after.contains_key("new-note.html"));
    common::edit(
        &root.join("content/dimensions/controllability.md"),
        "## Levels of autonomy",
        "## Levels of agent autonomy",
    );
    assert_same(root, &mut cache, "heading renamed");
    std::fs::remove_file(root.join("content/new-note.md")).unwrap();
    let after = assert_same(root, &mut cache, "page removed");
    assert!(!after.contains_key("new-note.html"));

    // A small part limit splits the print view: its parts, and the links between them, are
    // placed from the same memoised sections and must follow edits too.
    common::edit(
        &root.join("book.toml"),
        "[wa]\n",
        "[wa]\nprint-part-kb = 400\n",
    );
    let after = assert_same(root, &mut cache, "print view split");
    assert!(after.keys().filter(|p| p.starts_with("print/")).count() > 5);
    common::edit(
        &root.join("content/scenarios/autonomous-call-center.md"),
        "a named person",
        "a named human",
    );
    let after = assert_same(root, &mut cache, "edit in a split print view");
    assert!(
        after.iter().any(|(p, b)| p.starts_with("print/")
            && String::from_utf8_lossy(b).contains("a named human"))
    );
}
