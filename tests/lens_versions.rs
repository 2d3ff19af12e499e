//! Lens versions: every page URL and best-practice anchor of the 2025.11 site (saved before the
//! ids were realigned, `tests/fixtures/site-2025.11-urls.tsv`) still lands on the right place in
//! the new build: the page itself, a redirect to where its topic went, an anchor map entry, or a
//! notice on an id that now names another topic.

mod common;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use wa_docs::project::load_project;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// `base` is a page URL relative to the site root; `href` relative to that page.
fn resolve(base: &str, href: &str) -> String {
    let mut parts: Vec<&str> = base.split('/').collect();
    parts.pop();
    let (path, anchor) = match href.split_once('#') {
        Some((p, a)) => (p, Some(a)),
        None => (href, None),
    };
    for seg in path.split('/') {
        match seg {
            ".." => {
                parts.pop();
            }
            "." | "" => {}
            s => parts.push(s),
        }
    }
    let mut out = parts.join("/");
    if let Some(a) = anchor {
        out.push('#');
        out.push_str(a);
    }
    out
}

fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&#x2F;", "/")
        .replace("&#x27;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

fn attr<'a>(html: &'a str, name: &str) -> Option<&'a str> {
    let start = html.find(&format!(" {name}=\""))? + name.len() + 3;
    let end = html[start..].find('"')? + start;
    Some(&html[start..end])
}

/// Where each old link now leads, as the built site says: (root-relative target, how).
fn lands_on(site: &Path, url: &str, anchor: Option<&str>) -> Vec<(String, &'static str)> {
    let path = site.join(url);
    let html = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{url}: {e}"));
    let mut out = Vec::new();
    if html.contains("http-equiv=\"refresh\"") {
        let to = attr(&html, "data-to").expect("redirect target");
        let moved: HashMap<String, String> =
            serde_json::from_str(&unescape(attr(&html, "data-moved").unwrap_or("{}"))).unwrap();
        match anchor.and_then(|a| moved.get(a)) {
            Some(t) => out.push((resolve(url, t), "anchor map of a redirect page")),
            None => out.push((resolve(url, &unescape(to)), "redirect page")),
        }
        return out;
    }
    match anchor {
        None => out.push((url.to_string(), "same page")),
        Some(a) => {
            if html.contains(&format!("id=\"{a}\"")) {
                out.push((format!("{url}#{a}"), "same anchor"));
            }
            if let Some(m) = attr(&html, "data-moved") {
                let moved: HashMap<String, String> = serde_json::from_str(&unescape(m)).unwrap();
                if let Some(t) = moved.get(a) {
                    out.push((resolve(url, t), "anchor map"));
                }
            }
        }
    }
    // Notices on ids that now name another topic point to where the old topic went.
    let section = match anchor {
        Some(a) => html
            .find(&format!("id=\"{a}\""))
            .map(|i| &html[i..html[i..].find("</section>").map_or(html.len(), |e| i + e)]),
        None => html.find("<h1>").map(|i| &html[i..]),
    };
    if let Some(section) = section {
        let notice = regex::Regex::new(r#"<p class="notice">[^<]*<a href="([^"]+)""#).unwrap();
        if let Some(c) = notice.captures(section) {
            out.push((resolve(url, &unescape(&c[1])), "notice"));
        }
    }
    out
}

#[test]
fn every_2025_11_url_and_anchor_lands_on_the_right_place() {
    let tmp = tempfile::tempdir().unwrap();
    let site: PathBuf = tmp.path().join("site");
    let run = common::wa(&["build", ".", "-q", "-d", site.to_str().unwrap()], repo());
    assert_eq!(run.code, 0, "{}", run.stderr);
    let project = load_project(repo()).0.unwrap();
    let g = &project.graph;
    // Where each old id's topic lives now: the object listing it in `previous-ids`, else the
    // object that still has the id.
    let home = |id: &str| -> String {
        let (node, _) = g
            .previous
            .get(id)
            .map(|&n| (n, true))
            .or_else(|| g.by_id.get(id).map(|&n| (n, false)))
            .unwrap_or_else(|| panic!("2025.11 id {id} has no home in the new lenses"));
        g.nodes[node].href()
    };
    let fixture =
        std::fs::read_to_string(repo().join("tests/fixtures/site-2025.11-urls.tsv")).unwrap();
    let mut checked = HashMap::<&str, usize>::new();
    for line in fixture.lines().filter(|l| !l.starts_with('#')) {
        let cols: Vec<&str> = line.split('\t').collect();
        let (url, kind, id) = (cols[0], cols[1], cols[2]);
        let (page, anchor) = match url.split_once('#') {
            Some((p, a)) => (p, Some(a)),
            None => (url, None),
        };
        let mut found = lands_on(&site, page, anchor);
        match kind {
            "page" => {
                found.retain(|(_, how)| *how == "same page" || *how == "redirect page");
                // Every page URL still answers, and a redirect leads to a page that exists.
                for (target, how) in &found {
                    let file = target.split('#').next().unwrap();
                    assert!(
                        site.join(file).is_file(),
                        "{url} -> {target} ({how}): no such page"
                    );
                }
            }
            _ => {
                let want = home(id);
                assert!(
                    found.iter().any(|(t, _)| *t == want),
                    "{url} ({kind} {id}, \"{}\") should lead to {want}; the site leads to {found:?}",
                    cols[3]
                );
                let file = want.split('#').next().unwrap();
                let html = common::read(&site.join(file));
                if let Some((_, a)) = want.split_once('#') {
                    assert!(
                        html.contains(&format!("id=\"{a}\"")),
                        "{want}: no such anchor"
                    );
                }
            }
        }
        for (_, how) in &found {
            *checked.entry(how).or_default() += 1;
        }
    }
    eprintln!("2025.11 URLs: {checked:?}");
    // All kinds of landing occur in the bundled guidance, so each path above is exercised.
    for how in [
        "redirect page",
        "anchor map of a redirect page",
        "anchor map",
        "notice",
    ] {
        assert!(
            checked.contains_key(how),
            "no old URL landed by {how}: {checked:?}"
        );
    }
}

#[test]
fn renamed_scenario_checklists_keep_their_share_links() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    let run = common::wa(&["build", ".", "-q", "-d", site.to_str().unwrap()], repo());
    assert_eq!(run.code, 0, "{}", run.stderr);
    for (old, new) in [
        (
            "scenarios/code-generation-assistant.html",
            "scenarios/code-transformation.html",
        ),
        (
            "checklists/code-generation-assistant.html",
            "checklists/code-transformation.html",
        ),
        (
            "checklists/code-generation-assistant.embed.html",
            "checklists/code-transformation.embed.html",
        ),
    ] {
        let found = lands_on(&site, old, None);
        assert_eq!(found, vec![(new.to_string(), "redirect page")], "{old}");
    }
    // The redirect script carries a share link's fragment to the new page.
    let js = common::read(&site.join("assets/redirect.js"));
    assert!(js.contains("location.hash"));
}

#[test]
fn old_ids_in_cross_links_resolve_with_a_warning() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("p");
    common::copy_dir(&repo().join("content"), &root.join("content"));
    common::copy_dir(&repo().join("lenses"), &root.join("lenses"));
    std::fs::write(root.join("book.toml"), "[book]\ntitle = \"T\"\n").unwrap();
    std::fs::write(
        root.join("content/note.md"),
        "---\ntitle: Note\n---\n\nSee [[MLOE-02]] before you start.\n",
    )
    .unwrap();
    let run = common::wa(&["build", ".", "-d", "out"], &root);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("content/note.md:5:5") && run.stderr.contains("MLCOST02-BP01"),
        "{}",
        run.stderr
    );
    let html = common::read(&root.join("out/note.html"));
    assert!(html.contains("lenses/machine-learning/mlcost02.html#mlcost02-bp01"));
}
