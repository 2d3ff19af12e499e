//! Unit tests of `history`: where an earlier version's ids and URLs go, and page aliases.

use std::path::{Path, PathBuf};

use super::*;
use crate::content::parse_page;
use crate::lens::parse_lens;

const NOW: &str = "id: t
name: T
pillars:
  - id: P
    name: P
    questions:
      - id: P01
        title: Q?
        previous-ids: [OLD01]
        best-practices:
          - id: P01-BP01
            title: A
          - id: P01-BP02
            title: B
            previous-ids: [OLD01-BP07]
";

const BEFORE: &str = "id: t
name: T
version: '1.0'
pillars:
  - id: P
    name: P
    questions:
      - id: OLD01
        title: Old?
        best-practices:
          - id: OLD01-BP07
            title: Old B
      - id: OLD02
        title: Gone?
        best-practices:
          - id: OLD02-BP01
            title: Gone
      - id: P01
        title: Q?
        best-practices:
          - id: P01-BP09
            title: Dropped anchor
";

fn src(path: &str, text: &str) -> SourceFile {
    SourceFile {
        path: PathBuf::from(path),
        text: text.to_string(),
    }
}

fn setup(pages_src: &[(&str, &str)]) -> (Graph, Vec<Page>, Diagnostics) {
    let mut diags = Diagnostics::default();
    let lens = parse_lens(src("lenses/t.yaml", NOW), &mut diags).unwrap();
    let pages: Vec<Page> = pages_src
        .iter()
        .map(|(p, t)| parse_page(src(p, t), Path::new("content")).unwrap())
        .collect();
    let g = Graph::build(&[lens], &pages, &mut diags);
    (g, pages, diags)
}

fn version() -> LensVersion {
    LensVersion {
        lens: serde_yaml::from_str(BEFORE).unwrap(),
        source: "versions/1.0/t.yaml".into(),
    }
}

#[test]
fn moved_ids_redirect_and_lost_anchors_map_to_their_new_home() {
    let (g, pages, mut diags) = setup(&[]);
    let r = Redirects::compute(&g, &[version()], &pages, &mut diags);
    assert!(diags.items.is_empty(), "{:#?}", diags.items);
    // OLD01's page no longer exists: it redirects to P01, its practice's anchor to P01-BP02.
    let old = &r.pages[&format!("lenses/t/{}.html", slug("OLD01"))];
    assert_eq!(g.nodes[old.to].id, "P01");
    assert_eq!(g.nodes[old.anchors["old01-bp07"]].id, "P01-BP02");
    assert_eq!(old.reason, "moved in the version after 1.0");
    // P01's page still exists, but lost the anchor of a practice that is gone: it maps to the lens.
    let lost = &r.anchors[&g.get("P01").unwrap().url];
    assert_eq!(g.nodes[lost["p01-bp09"]].id, "t");
    // Ids with no new home are listed, by version and lens.
    assert!(
        r.removed
            .contains(&("1.0".into(), "t".into(), "OLD02-BP01".into()))
    );
}

#[test]
fn aliases_redirect_and_bad_ones_are_located() {
    let page = "---\ntitle: Bot\naliases: [scenarios/old-bot.html]\n---\nText.\n";
    let (g, pages, mut diags) = setup(&[("content/bot.md", page)]);
    let r = Redirects::compute(&g, &[], &pages, &mut diags);
    assert!(diags.items.is_empty(), "{:#?}", diags.items);
    let redirect = &r.pages["scenarios/old-bot.html"];
    assert_eq!(g.nodes[redirect.to].title, "Bot");
    assert_eq!(redirect.reason, "renamed");

    let bad = "---\ntitle: Bad\naliases: [/abs.html, index.html, ../up.html]\n---\n";
    let (g, pages, mut diags) = setup(&[
        ("content/bad.md", bad),
        ("content/index.md", "---\ntitle: H\n---\n"),
    ]);
    let r = Redirects::compute(&g, &[], &pages, &mut diags);
    assert!(r.pages.is_empty());
    let text = format!("{:?}", diags.items);
    assert_eq!(diags.items.len(), 3, "{text}");
    assert!(
        text.contains("alias `/abs.html` is not a relative `.html` path"),
        "{text}"
    );
    assert!(
        text.contains("alias `index.html` is a URL the site already writes"),
        "{text}"
    );
}
