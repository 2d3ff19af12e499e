//! Unit tests of `render::fragments` on a small lens and a few pages built in memory: links as
//! a reader follows them, missing anchors as an author is told of them, "cited by" backlinks,
//! and what a memo renders again.

use std::path::{Path, PathBuf};

use super::*;
use crate::config::Config;
use crate::content::parse_page;
use crate::graph::{NodeIx, PageIx, Relation};
use crate::history::Redirects;
use crate::lens::parse_lens;
use crate::render::fix_root;

const LENS: &str = "id: t
name: T
pillars:
  - id: P
    name: P
    questions:
      - id: P01
        title: Q?
        description: |
          Start with [[P01-BP01]], then read [[guide]].
        best-practices:
          - id: P01-BP01
            title: A
            description: |
              ## Why

              See [[P02-BP01]] and [the next one](#p01-bp02).
          - id: P01-BP02
            title: B
            implementation: |
              Read [[guide#nowhere]].
      - id: P02
        title: R?
        best-practices:
          - id: P02-BP01
            title: D
";

const GUIDE: &str = "---\ntitle: Guide\nid: guide\n---\n## Set up\n\nText.\n";

const INTRO: &str = "---\ntitle: Intro\nid: intro\n---
See [[P02-BP01]], [the guide](../guide.md#set-up) and [below](#more).

## More

Text.
";

fn src(path: &str, text: &str) -> SourceFile {
    SourceFile {
        path: PathBuf::from(path),
        text: text.to_string(),
    }
}

/// A project of `lens` and `pages` (path, text), read from `root` (only a build that
/// releases the pages' markdown reads from there).
fn project_of(root: &Path, lens: &str, pages: &[(&str, &str)]) -> Project {
    let mut diags = Diagnostics::default();
    let lens = parse_lens(src("lenses/t.yaml", lens), &mut diags).expect("lens parses");
    let pages: Vec<_> = pages
        .iter()
        .map(|(p, t)| parse_page(src(p, t), Path::new("content")).expect("page parses"))
        .collect();
    let lenses = vec![lens];
    let graph = Graph::build(&lenses, &pages, &mut diags);
    assert!(diags.items.is_empty(), "{:#?}", diags.items);
    Project {
        root: root.to_path_buf(),
        config: Config::default(),
        lenses,
        pages,
        graph,
        versions: Vec::new(),
        redirects: Redirects::default(),
    }
}

fn project(pages: &[(&str, &str)]) -> Project {
    project_of(Path::new(""), LENS, pages)
}

fn site() -> Project {
    project(&[
        ("content/guide.md", GUIDE),
        ("content/docs/intro.md", INTRO),
    ])
}

/// Renders every fragment; the problems as reported, one line each (position and message),
/// then the hint.
fn render(p: &mut Project, memo: Option<&mut FragmentMemo>) -> (Fragments, Vec<String>) {
    let mut diags = Diagnostics::default();
    let fr = render_fragments(p, &mut diags, memo, false);
    (fr, reported(&diags))
}

fn reported(diags: &Diagnostics) -> Vec<String> {
    (diags.items.iter())
        .map(|d| {
            let hint = d.hint.as_deref().unwrap_or_default();
            format!("{}: {} ({hint})", d.position(), d.message)
        })
        .collect()
}

fn node(p: &Project, id: &str) -> NodeIx {
    p.graph.by_id[id]
}

/// The HTML of `id`'s `field` as its page shows it (links relative to that page).
fn html(p: &Project, fr: &Fragments, id: &str, field: Field) -> String {
    let n = node(p, id);
    fix_root(&fr[&(n, field)].html.get(), &p.graph.nodes[n].url)
}

/// The ids of the nodes listing `id` under "cited by", in order.
fn cited_by<'p>(p: &'p Project, id: &str) -> Vec<&'p str> {
    (p.graph.backlinks[node(p, id)].iter())
        .filter(|b| b.rel == Relation::Cites)
        .map(|b| p.graph.nodes[b.from].id.as_str())
        .collect()
}

#[test]
fn links_lead_to_their_targets_from_the_page_that_shows_them() {
    let mut p = site();
    let (fr, problems) = render(&mut p, None);
    assert_eq!(problems.len(), 1, "{problems:#?}"); // `[[guide#nowhere]]`, below
    let intro = html(&p, &fr, "intro", Field::Body);
    // An `[[id]]` without text shows its target's title; a practice is an anchor on its
    // question's page.
    assert!(
        intro.contains(r#"<a href="../lenses/t/p02.html#p02-bp01" title="D">D</a>"#),
        "{intro}"
    );
    // A relative `.md` link becomes the page's URL, its anchor kept.
    assert!(intro.contains(r#"href="../guide.html#set-up""#), "{intro}");
    assert!(intro.contains(r##"href="#more""##), "{intro}");
    // Lens markdown sits deeper in the site.
    let q = html(&p, &fr, "P01", Field::Description);
    assert!(q.contains(r#"href="../../guide.html""#), "{q}");
    assert!(
        q.contains(r#"href="../../lenses/t/p01.html#p01-bp01""#),
        "{q}"
    );
}

#[test]
fn a_missing_anchor_is_reported_where_the_link_is_written() {
    let text = "---\ntitle: Broken\nid: broken\n---\nIntro.\n\nSee [it](guide.md#setup) and [[guide#set]].\n";
    let mut p = project(&[("content/guide.md", GUIDE), ("content/broken.md", text)]);
    let (_, problems) = render(&mut p, None);
    assert_eq!(
        problems,
        [
            // In YAML: found by the token after the owning id.
            "lenses/t.yaml:21:22: `[[guide#nowhere]]` points to a missing anchor in guide.html \
             (anchors on that page: #set-up)",
            "content/broken.md:7:5: link `guide.md#setup` points to a missing anchor in \
             guide.html (anchors on that page: #set-up)",
            "content/broken.md:7:30: `[[guide#set]]` points to a missing anchor in guide.html \
             (did you mean `#set-up`?)",
        ]
    );
}

#[test]
fn a_released_page_is_read_again_to_locate_its_missing_anchor() {
    let dir = tempfile::tempdir().unwrap();
    let text = "---\ntitle: Broken\nid: broken\n---\n\n  [it](guide.md#setup)\n";
    std::fs::create_dir_all(dir.path().join("content")).unwrap();
    std::fs::write(dir.path().join("content/broken.md"), text).unwrap();
    let pages = [("content/guide.md", GUIDE), ("content/broken.md", text)];
    let mut p = project_of(dir.path(), LENS, &pages);
    let mut diags = Diagnostics::default();
    let fr = render_fragments(&mut p, &mut diags, None, true);
    let broken = &diags.items.iter().find(|d| d.message.contains("setup"));
    let broken = broken.expect("the missing anchor is reported");
    assert_eq!(broken.position(), "content/broken.md:6:3");
    assert_eq!(
        broken.source_line.as_deref(),
        Some("  [it](guide.md#setup)")
    );
    // The build let go of the markdown, and rendered it all the same.
    assert!(p.pages.iter().all(|pg| pg.source.text.is_empty()));
    assert!(html(&p, &fr, "broken", Field::Body).contains(r#"href="guide.html#setup""#));
}

#[test]
fn a_same_page_anchor_is_checked_against_that_page_only() {
    let text = "---\ntitle: Here\nid: here\n---\n## Set up\n\n[up](#set-up) [down](#set-down) [top](#main)\n";
    let mut p = project(&[("content/guide.md", GUIDE), ("content/here.md", text)]);
    let (fr, problems) = render(&mut p, None);
    // `#set-up` is a heading here, `#main` one the template puts on every page; a practice
    // links to its sibling on their question's page (`#p01-bp02`, in the lens) unreported.
    assert_eq!(
        problems,
        [
            "lenses/t.yaml:21:22: `[[guide#nowhere]]` points to a missing anchor in guide.html \
             (anchors on that page: #set-up)",
            "content/here.md:7:15: link `#set-down` points to a missing anchor on this page \
             (anchors on that page: #set-up)"
        ]
    );
    assert!(html(&p, &fr, "here", Field::Body).contains(r##"<a href="#set-up">up</a>"##));
    assert!(cited_by(&p, "here").is_empty());
}

#[test]
fn cited_by_lists_links_from_other_pages_only() {
    let mut p = site();
    render(&mut p, None);
    // P02-BP01 is cited by a practice on P01's page and by the intro. P01 linking to its own
    // practice, or a practice's `#anchor` link to its sibling, stays on one page: no backlink.
    assert_eq!(cited_by(&p, "P02-BP01"), ["P01-BP01", "intro"]);
    assert!(cited_by(&p, "P01-BP01").is_empty());
    assert!(cited_by(&p, "P01-BP02").is_empty());
    assert_eq!(cited_by(&p, "guide"), ["P01", "P01-BP02", "intro"]);
    assert_eq!(citing_nodes(&p.graph, node(&p, "guide")).len(), 3);
}

#[test]
fn a_memo_renders_again_what_shows_a_changed_target() {
    let mut memo = FragmentMemo::default();
    let mut p = site();
    let (first, _) = render(&mut p, Some(&mut memo));
    // Nothing changed: every fragment without a problem is reused as it was.
    let mut p = site();
    let (again, _) = render(&mut p, Some(&mut memo));
    let intro = (node(&p, "intro"), Field::Body);
    assert!(Arc::ptr_eq(&first[&intro], &again[&intro]));
    // P02-BP01's new title shows in every link to it without text.
    let renamed = LENS.replace("title: D", "title: Dee");
    let pages = [
        ("content/guide.md", GUIDE),
        ("content/docs/intro.md", INTRO),
    ];
    let mut p = project_of(Path::new(""), &renamed, &pages);
    let (fr, _) = render(&mut p, Some(&mut memo));
    assert!(html(&p, &fr, "intro", Field::Body).contains(">Dee</a>"));
    assert!(html(&p, &fr, "P01-BP01", Field::Description).contains(">Dee</a>"));
}

#[test]
fn a_memo_follows_its_targets_to_their_new_place_in_the_graph() {
    let mut memo = FragmentMemo::default();
    let mut p = site();
    render(&mut p, Some(&mut memo));
    // A page sorted before the guide moves the guide's node; the intro, unchanged, is reused
    // but cites the guide where it is now.
    let pages = [
        (
            "content/about.md",
            "---\ntitle: About\nid: about\n---\nHi.\n",
        ),
        ("content/guide.md", GUIDE),
        ("content/docs/intro.md", INTRO),
    ];
    let mut p = project(&pages);
    let (fr, _) = render(&mut p, Some(&mut memo));
    assert_eq!(cited_by(&p, "guide"), ["P01", "P01-BP02", "intro"]);
    assert!(cited_by(&p, "about").is_empty());
    assert!(html(&p, &fr, "intro", Field::Body).contains(r#"href="../guide.html#set-up""#));
    // A target that is gone is reported, not taken from the memo.
    let mut p = project(&[("content/docs/intro.md", INTRO)]);
    let (_, problems) = render(&mut p, Some(&mut memo));
    assert!(
        problems.iter().any(
            |d| d.starts_with("content/docs/intro.md:5:") && d.contains("`../guide.md#set-up`")
        ),
        "{problems:#?}"
    );
}

#[test]
fn a_body_edited_in_place_matches_a_fresh_render() {
    let mut p = site();
    let (mut fr, _) = render(&mut p, None);
    let edited = INTRO.replace("See [[P02-BP01]], ", "See [[P01-BP02]], ");
    let page = parse_page(src("content/docs/intro.md", &edited), Path::new("content")).unwrap();
    let nodes_at =
        p.graph
            .indexed()
            .fold(HashMap::<String, Vec<NodeIx>>::new(), |mut m, (i, n)| {
                m.entry(n.url.clone()).or_default().push(i);
                m
            });
    let pi = PageIx(p.pages.iter().position(|pg| pg.id == "intro").unwrap());
    let done = update_page_body(&mut p, &mut fr, pi, page, &nodes_at);
    assert!(matches!(done, BodyUpdate::Done(_)), "{done:?}");
    let mut fresh = project(&[
        ("content/guide.md", GUIDE),
        ("content/docs/intro.md", &edited),
    ]);
    let (want, _) = render(&mut fresh, None);
    assert_eq!(
        html(&p, &fr, "intro", Field::Body),
        html(&fresh, &want, "intro", Field::Body)
    );
    for id in ["P01-BP02", "P02-BP01", "guide"] {
        assert_eq!(cited_by(&p, id), cited_by(&fresh, id), "{id}");
    }
    assert_eq!(cited_by(&p, "P02-BP01"), ["P01-BP01"]);
}
