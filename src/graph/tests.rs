//! Unit tests of `graph` on a small lens and three pages built in memory.

use std::path::{Path, PathBuf};

use super::*;
use crate::content::parse_page;
use crate::diag::Diagnostics;
use crate::lens::parse_lens;
use crate::source::SourceFile;

const LENS: &str = "id: t
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
            general: true
          - id: P01-BP02
            title: B
            previous-ids: [OLD01-BP07]
          - id: P01-BP03
            title: C
      - id: P02
        title: R?
        best-practices:
          - id: P02-BP01
            title: D
";

fn src(path: &str, text: &str) -> SourceFile {
    SourceFile {
        path: PathBuf::from(path),
        text: text.to_string(),
    }
}

fn graph() -> (Graph, Diagnostics) {
    let mut diags = Diagnostics::default();
    let lens = parse_lens(src("lenses/t.yaml", LENS), &mut diags).expect("lens parses");
    let page = |path: &str, text: &str| parse_page(src(path, text), Path::new("content")).unwrap();
    let pages = vec![
        page("content/index.md", "---\ntitle: Home\n---\nHi.\n"),
        page(
            "content/scenarios/bot.md",
            "---\ntitle: Bot\nkind: scenario\nid: bot\nchecklist: [P01-BP02, P02]\n---\nText.\n",
        ),
        page("content/guide/a b.md", "---\ntitle: Guide\n---\nText.\n"),
    ];
    let g = Graph::build(&[lens], &pages, &mut diags);
    (g, diags)
}

#[test]
fn ids_resolve_now_and_from_earlier_versions() {
    let (g, diags) = graph();
    assert!(diags.items.is_empty(), "{:#?}", diags.items);
    assert_eq!(g.resolve_id("P01-BP02"), Some((g.by_id["P01-BP02"], false)));
    assert_eq!(
        g.resolve_id("OLD01-BP07"),
        Some((g.by_id["P01-BP02"], true))
    );
    assert_eq!(g.resolve_id("OLD01"), Some((g.by_id["P01"], true)));
    assert_eq!(g.resolve_id("NOPE"), None);
    assert_eq!(g.get("P01").map(|n| n.kind), Some(NodeKind::Question));
}

#[test]
fn a_checklist_expands_questions_and_adds_the_lens_general_practices() {
    let (g, _) = graph();
    let bot = g.by_id["bot"];
    let ids: Vec<&str> = g
        .checklist_items(bot)
        .into_iter()
        .map(|i| g.nodes[i].id.as_str())
        .collect();
    // Chosen practices first, in order (a whole question brings its practices), then the
    // general ones of the lenses they come from.
    assert_eq!(ids, ["P01-BP02", "P02-BP01", "P01-BP01"]);
    let children: Vec<&str> = g
        .children(g.by_id["P01"])
        .into_iter()
        .map(|i| g.nodes[i].id.as_str())
        .collect();
    assert_eq!(children, ["P01-BP01", "P01-BP02", "P01-BP03"]);
}

#[test]
fn duplicate_ids_are_reported_with_the_first_holder() {
    let mut diags = Diagnostics::default();
    let lens = parse_lens(src("lenses/t.yaml", LENS), &mut diags).unwrap();
    let clash = parse_page(
        src("content/p01.md", "---\ntitle: Clash\nid: P01\n---\n"),
        Path::new("content"),
    )
    .unwrap();
    Graph::build(&[lens], &[clash], &mut diags);
    let text = format!("{:?}", diags.items);
    assert!(text.contains("P01"), "{text}");
    assert!(text.contains("already the question"), "{text}");
}

#[test]
fn typos_get_a_suggestion_and_paths_resolve_like_links() {
    let (g, _) = graph();
    assert_eq!(g.suggest("P01-BP2"), "did you mean `P01-BP02`?");
    assert!(g.suggest("ZZZZZZZZZZZZ").starts_with("check the id"));
    let from = Path::new("content/scenarios/bot.md");
    assert_eq!(
        g.page_by_path(from, "../index.md").ok(),
        Some(g.by_id["home"])
    );
    let guide = g
        .page_by_path(from, "../guide/a%20b.md")
        .expect("percent-encoded name");
    assert_eq!(g.nodes[guide].title, "Guide");
    assert!(matches!(
        g.page_by_path(from, "../../../x.md"),
        Err(PathError::Escapes)
    ));
    assert!(matches!(
        g.page_by_path(from, "missing.md"),
        Err(PathError::Missing(_))
    ));
}
