//! End-to-end builds of fixture projects, asserting on the HTML a reader gets.

mod common;

use common::*;

fn build_basic() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = copy_fixture("basic");
    let run = wa(&["build", ".", "-q"], dir.path());
    assert_eq!(run.code, 0, "build failed: {}", run.stderr);
    let out = dir.path().join("book");
    (dir, out)
}

#[test]
fn cross_links_resolve_in_both_directions() {
    let (_dir, out) = build_basic();
    // A best practice serves a dimension: the dimension page lists it...
    let dim = read(&out.join("dimensions/safety.html"));
    assert!(dim.contains("Best practices that serve this dimension"));
    assert!(
        dim.contains("href=\"../lenses/test-lens/tsec01.html#tsec01-bp01\""),
        "{dim}"
    );
    // ...and the best practice links to the dimension.
    let q = read(&out.join("lenses/test-lens/tsec01.html"));
    assert!(q.contains("href=\"../../dimensions/safety.html\">Safety</a>"));
    // Scenario checklist includes the whole question TSEC01 and one best practice of TREL01;
    // the scenario page links to it rather than repeating it.
    let sc = read(&out.join("scenarios/chatbot.html"));
    assert!(sc.contains("href=\"../checklists/chatbot.html\""), "{sc}");
    let sc = read(&out.join("checklists/chatbot.html"));
    for id in ["TSEC01-BP01", "TSEC01-BP02", "TREL01-BP01"] {
        assert!(
            sc.contains(&format!("<span class=\"id\">{id}</span>")),
            "checklist lacks {id}"
        );
    }
    // The best practice shows which scenarios include it, and which pages cite it.
    assert!(q.contains("Scenarios whose checklist includes this: <a href=\"../../scenarios/chatbot.html\">Support chatbot</a>"));
    assert!(q.contains("<a href=\"../../guide/intro.html\">Introduction</a>"));
    // `[[id]]` renders the target's title; `[[id|text]]` keeps the text.
    let home = read(&out.join("index.html"));
    assert!(home.contains(">Test Lens</a>"));
    let intro = read(&out.join("guide/intro.html"));
    assert!(intro.contains("href=\"../lenses/test-lens/tsec01.html#tsec01-bp01\" title=\"Restrict invocation to named roles\">the first best practice</a>"));
    // Relative .md links are rewritten to the output pages, anchors kept.
    assert!(home.contains("href=\"guide/intro.html#getting-started\""));
    let setup = read(&out.join("guide/setup.html"));
    assert!(setup.contains("href=\"../guide/intro.html#second-section\""));
    assert!(setup.contains("href=\"../index.html\">home</a>"));
}

#[test]
fn every_internal_link_and_anchor_exists() {
    let (_dir, out) = build_basic();
    let checked = check_links(&out);
    assert!(checked > 100, "only {checked} links checked");
}

#[test]
fn navigation_breadcrumbs_and_toc() {
    let (_dir, out) = build_basic();
    let q = read(&out.join("lenses/test-lens/tsec01.html"));
    // Sidebar marks the current page and opens its branch.
    assert!(q.contains("aria-current=\"page\">TSEC01 How do you protect the model endpoint?</a>"));
    // Breadcrumbs: home > lens > pillar > question.
    let crumbs = q
        .split("aria-label=\"Breadcrumb\"")
        .nth(1)
        .unwrap()
        .split("</nav>")
        .next()
        .unwrap();
    let order: Vec<usize> = [
        "Fixture Home",
        "Test Lens",
        "Security",
        "How do you protect",
    ]
    .iter()
    .map(|t| crumbs.find(t).expect(t))
    .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{crumbs}");
    // On-page contents lists the best practices by anchor.
    assert!(
        q.contains("<a href=\"#tsec01-bp01\">TSEC01-BP01 Restrict invocation to named roles</a>")
    );
    // Previous / next in reading order.
    let setup = read(&out.join("guide/setup.html"));
    assert!(setup.contains("rel=\"prev\" href=\"../guide/intro.html\""));
    // Heading anchors exist; code is highlighted with one short class per token kind.
    assert!(q.contains("id=\"tsec01-bp01-steps\""));
    assert!(q.contains("<pre class=\"hl\" tabindex=\"0\">"));
    assert!(q.contains("<span class=\""));
    assert!(!q.contains("class=\"hl-"), "scope-stack classes are back");
}

/// The sidebar's rows, each from its `<li` to the next one.
fn sidebar_rows(html: &str) -> Vec<String> {
    let nav = html
        .split("<nav aria-label=\"Site\">")
        .nth(1)
        .unwrap()
        .split("</nav>")
        .next()
        .unwrap();
    nav.split("<li")
        .skip(1)
        .map(|r| format!("<li{r}"))
        .collect()
}

#[test]
fn long_folders_show_a_window_of_neighbours_whose_ends_link_onwards() {
    let dir = copy_fixture("basic");
    let many = dir.path().join("content/many");
    std::fs::create_dir_all(&many).unwrap();
    for n in 0..60 {
        std::fs::write(
            many.join(format!("p{n:02}.md")),
            format!("---\ntitle: Entry {n:02}\nweight: {n}\n---\nText {n}.\n"),
        )
        .unwrap();
    }
    std::fs::write(
        many.join("index.md"),
        "---\ntitle: Many pages\n---\nAll of them.\n",
    )
    .unwrap();
    let run = wa(&["build", ".", "-q"], dir.path());
    assert_eq!(run.code, 0, "build failed: {}", run.stderr);
    let page = read(&dir.path().join("book/many/p30.html"));
    let rows = sidebar_rows(&page);
    // Ten entries each side of the current page, which is marked; the folder stays open.
    let entries: Vec<&String> = rows.iter().filter(|r| r.contains(">Entry ")).collect();
    assert_eq!(entries.len(), 21, "{rows:#?}");
    assert!(entries[0].contains(">Entry 20<"), "{rows:#?}");
    assert!(entries[10].contains("aria-current=\"page\">Entry 30<"));
    assert!(entries[20].contains(">Entry 40<"), "{rows:#?}");
    assert!(
        rows.iter()
            .any(|r| r.contains("href=\"../many/index.html\">Many pages</a>"))
    );
    // The rows for the rest count them and link to the folder's index page.
    let more: Vec<&String> = rows
        .iter()
        .filter(|r| r.contains("class=\"more\""))
        .collect();
    assert_eq!(more.len(), 2, "{rows:#?}");
    assert!(
        more[0].contains("<a href=\"../many/index.html\">… 20 more above</a>"),
        "{}",
        more[0]
    );
    assert!(
        more[1].contains("<a href=\"../many/index.html\">… 19 more below</a>"),
        "{}",
        more[1]
    );

    // Without a folder index the rows link to the site's index page.
    std::fs::remove_file(many.join("index.md")).unwrap();
    let run = wa(&["build", ".", "-q"], dir.path());
    assert_eq!(run.code, 0, "build failed: {}", run.stderr);
    let page = read(&dir.path().join("book/many/p30.html"));
    let rows = sidebar_rows(&page);
    assert!(
        rows.iter()
            .any(|r| r.contains("<a href=\"../index.html\">… 20 more above</a>")),
        "{rows:#?}"
    );
}

#[test]
fn print_sitemap_404_schema_and_indexes() {
    let (_dir, out) = build_basic();
    let print = read(&out.join("print.html"));
    for id in ["TSEC01-BP01", "TSEC01-BP02", "TREL01-BP01"] {
        assert!(print.contains(id), "print lacks {id}");
    }
    // Links between printed pages are in-page.
    assert!(print.contains("href=\"#lenses-test-lens-tsec01--tsec01-bp01\""));
    assert!(ids(&print).contains(&"lenses-test-lens-tsec01--tsec01-bp01".to_string()));
    let sitemap = read(&out.join("sitemap.xml"));
    assert!(
        sitemap.contains("<loc>https://docs.example.com/guide/lenses/test-lens/tsec01.html</loc>")
    );
    assert!(!sitemap.contains("404.html"));
    assert!(out.join("404.html").exists());
    let schema: serde_json::Value =
        serde_json::from_str(&read(&out.join("schema/lens.schema.json"))).unwrap();
    assert!(schema["properties"]["pillars"].is_object());
    let all = read(&out.join("best-practices.html"));
    assert!(all.contains("class=\"r-high\"") && all.contains("class=\"r-medium\""));
    let cov = read(&out.join("coverage.html"));
    assert!(cov.contains("Support chatbot") && cov.contains("tsec01-bp01"));
    let lens = read(&out.join("lenses/test-lens/index.html"));
    assert!(lens.contains("Lifecycle phases × pillars"));
}

#[test]
fn theme_files_can_be_overridden_one_by_one() {
    let dir = copy_fixture("basic");
    let tpl = dir.path().join("themes/default/templates");
    std::fs::create_dir_all(&tpl).unwrap();
    std::fs::write(tpl.join("404.html"), "{% extends \"base.html\" %}{% block article %}<h1>Lost in the fixture</h1>{% endblock article %}").unwrap();
    let run = wa(&["build", ".", "-q"], dir.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(read(&dir.path().join("book/404.html")).contains("Lost in the fixture"));
    // Other templates still come from the built-in theme.
    assert!(read(&dir.path().join("book/index.html")).contains("aria-label=\"Site\""));
}

/// `print.html` is spliced from one render of its template; an override whose section markup
/// is custom, or depends on the loop, must come out as tera would render it.
#[test]
fn print_template_overrides_are_honoured() {
    let dir = copy_fixture("basic");
    let tpl = dir.path().join("themes/default/templates");
    std::fs::create_dir_all(&tpl).unwrap();
    let print = |body: &str| {
        std::fs::write(
            tpl.join("print.html"),
            format!("<!DOCTYPE html><html lang=\"en\"><head><title>p</title></head><body><main>{body}</main></body></html>"),
        )
        .unwrap();
        let run = wa(&["build", ".", "-q"], dir.path());
        assert_eq!(run.code, 0, "{}", run.stderr);
        read(&dir.path().join("book/print.html"))
    };
    let custom = print(
        "{% for s in sections %}<article data-k=\"{{ s.key }}\">{{ s.html | safe }}</article>{% endfor %}",
    );
    let n = custom.matches("<article data-k=").count();
    assert!(n > 5, "{n}");
    assert!(custom.contains("<article data-k=\"lenses-test-lens-tsec01\">"));
    assert!(custom.ends_with("</article></main></body></html>"));
    // Each page's article follows its own wrapper.
    let at = custom
        .find("<article data-k=\"lenses-test-lens-tsec01\">")
        .unwrap();
    let next = custom[at + 1..]
        .find("<article data-k=")
        .map_or(custom.len(), |i| at + 1 + i);
    assert!(custom[at..next].contains("id=\"lenses-test-lens-tsec01--tsec01-bp01\""));
    let numbered = print(
        "{% for s in sections %}<h2>Part {{ loop.index }}</h2>{{ s.html | safe }}{% endfor %}",
    );
    assert!(
        numbered.contains("<h2>Part 1</h2>") && numbered.contains(&format!("<h2>Part {n}</h2>"))
    );
}

#[test]
fn init_creates_a_project_that_builds() {
    let tmp = tempfile::tempdir().unwrap();
    let run = wa(&["init", "proj"], tmp.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    let run = wa(&["build", "proj", "-q"], tmp.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    let sc = read(
        &tmp.path()
            .join("proj/book/checklists/internal-chatbot.html"),
    );
    assert!(sc.contains("EXSEC01-BP01") && sc.contains("EXSEC01-BP02"));
    // init refuses to overwrite a non-empty folder.
    let run = wa(&["init", "proj"], tmp.path());
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("is not empty"));
}

#[test]
fn check_writes_nothing() {
    let dir = copy_fixture("basic");
    let run = wa(&["check", "."], dir.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("No problems found"));
    assert!(!dir.path().join("book").exists());
}

#[test]
fn refuses_to_replace_a_folder_it_did_not_write() {
    let dir = copy_fixture("basic");
    let other = dir.path().join("precious");
    std::fs::create_dir_all(&other).unwrap();
    std::fs::write(other.join("keep.txt"), "mine").unwrap();
    let run = wa(&["build", ".", "-d", "precious"], dir.path());
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("was not written by wa-docs"));
    assert_eq!(read(&other.join("keep.txt")), "mine");
    let run = wa(&["build", ".", "-d", "content/out"], dir.path());
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("inside the content folder"));
    let run = wa(&["build", ".", "-d", "."], dir.path());
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("holds the project"));
}

#[test]
fn help_for_every_command() {
    let tmp = tempfile::tempdir().unwrap();
    for cmd in ["build", "check", "init", "schema"] {
        let run = wa(&[cmd, "--help"], tmp.path());
        assert_eq!(run.code, 0);
        assert!(
            run.stdout.contains("Usage: wa-docs"),
            "{cmd}: {}",
            run.stdout
        );
    }
    let run = wa(&["frobnicate"], tmp.path());
    assert_eq!(run.code, 2);
}

/// `--open` on a machine without a desktop says so in one line instead of the opener's errors.
#[cfg(target_os = "linux")]
#[test]
fn open_without_a_desktop_says_so_in_one_line() {
    let dir = common::copy_fixture("basic");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_wa-docs"))
        .args(["build", ".", "-q", "--open", "-d", "out"])
        .current_dir(dir.path())
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .env_remove("BROWSER")
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with("no browser found") && err.contains("out/index.html in a browser"),
        "{err}"
    );
}

/// Checklist exports made without `site-url` carry relative links that break in a wiki: the
/// build says so once, naming the setting; with `site-url` it says nothing.
#[test]
fn exports_without_site_url_warn_once() {
    let dir = common::copy_fixture("basic");
    let run = common::wa(&["build", ".", "-d", "out"], dir.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stderr.contains("site-url"), "{}", run.stderr);
    let toml = dir.path().join("book.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(
        &toml,
        text.replace("site-url = \"https://docs.example.com/guide/\"", ""),
    )
    .unwrap();
    let run = common::wa(&["build", ".", "-d", "out"], dir.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stderr.matches("set `site-url`").count(),
        1,
        "{}",
        run.stderr
    );
    let md = common::read(&dir.path().join("out/checklists/chatbot.md"));
    assert!(
        md.contains("](../"),
        "relative links, as the warning says: {md}"
    );
    // `wa-docs checklist` says the same when it writes an export.
    let run = common::wa(&["checklist", "chatbot", "-f", "md"], dir.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stderr.matches("set `site-url`").count(),
        1,
        "{}",
        run.stderr
    );
}

/// Every file under `dir`, by path relative to it.
fn tree(dir: &std::path::Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap();
            (
                rel.to_string_lossy().replace('\\', "/"),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

/// What sits beside the project's `book/` output that the build keeps there (`.book*`), sorted.
fn beside_book(root: &std::path::Path) -> Vec<String> {
    let mut beside: Vec<String> = std::fs::read_dir(root)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".book"))
        .collect();
    beside.sort();
    beside
}

#[test]
fn rebuilds_write_over_the_output_before_last_and_leave_nothing_stale() {
    let dir = copy_fixture("basic");
    let root = dir.path();
    let data = root.join("content/files/data");
    std::fs::create_dir_all(data.parent().unwrap()).unwrap();
    // A file that later becomes a folder and then a file again, and a page that goes away:
    // the recycled output holds the wrong kind of entry, or files no longer made.
    let steps: [(&str, bool); 5] = [
        ("file", false),
        ("file", false),
        ("folder", true),
        ("folder", true),
        ("file", true),
    ];
    for (n, (kind, setup_gone)) in steps.into_iter().enumerate() {
        let _ = std::fs::remove_dir_all(&data);
        let _ = std::fs::remove_file(&data);
        if kind == "file" {
            std::fs::write(&data, format!("step {n}")).unwrap();
        } else {
            std::fs::create_dir_all(&data).unwrap();
            std::fs::write(data.join("a.txt"), format!("step {n}")).unwrap();
        }
        if setup_gone && root.join("content/guide/setup.md").exists() {
            std::fs::remove_file(root.join("content/guide/setup.md")).unwrap();
            common::edit(
                &root.join("content/guide/intro.md"),
                "Read the [setup page](setup.md) and then ",
                "Then read ",
            );
        }
        let run = wa(&["build", ".", "-q"], root);
        assert_eq!(run.code, 0, "step {n}: {}", run.stderr);
        let fresh = tempfile::tempdir().unwrap();
        let dest = fresh.path().join("site");
        let run = wa(&["build", ".", "-q", "-d", dest.to_str().unwrap()], root);
        assert_eq!(run.code, 0, "step {n}: {}", run.stderr);
        let (got, want) = (tree(&root.join("book")), tree(&dest));
        let differ: Vec<&String> = got
            .keys()
            .chain(want.keys())
            .filter(|k| got.get(*k) != want.get(*k))
            .collect();
        assert!(
            differ.is_empty(),
            "step {n}: output differs from a fresh build: {differ:?}"
        );
        assert_eq!(
            got.contains_key("guide/setup.html"),
            !setup_gone,
            "step {n}"
        );
    }
    // The output before last is kept beside the site to be written over, nothing else.
    assert_eq!(beside_book(root), [".book.wa-prev"]);
}

/// A page whose markdown opens with `# Title` has one h1: its own heading, with the anchor id
/// links name, in the page header (not the header's title and then the body's heading again).
#[test]
fn a_page_opening_with_its_title_has_one_h1() {
    let dir = copy_fixture("basic");
    let guide = dir.path().join("content/guide");
    std::fs::write(
        guide.join("titled.md"),
        "---\ntitle: Titled page\nkind: dimension\ndescription: What it is about.\n---\n\n\
         # Titled *page*\n\nOpening.\n\n## First part\n\nText.\n\n## Second part\n\nMore.\n",
    )
    .unwrap();
    std::fs::write(
        guide.join("linker.md"),
        "---\ntitle: Linker\n---\n\nSee [the titled page](titled.md#titled-page).\n",
    )
    .unwrap();
    let run = wa(&["build", ".", "-q"], dir.path());
    assert_eq!(run.code, 0, "build failed: {}", run.stderr);
    let out = dir.path().join("book");
    let page = read(&out.join("guide/titled.html"));
    assert_eq!(page.matches("<h1").count(), 1, "{page}");
    let head = page
        .split_once("<header class=\"page-head\">")
        .and_then(|(_, h)| h.split_once("</header>"))
        .map(|(h, _)| h)
        .expect("page header");
    // The author's heading, markup and id kept, between the kind and the lede.
    assert!(
        head.contains("<h1 id=\"titled-page\">Titled <em>page</em></h1>"),
        "{head}"
    );
    assert!(head.find("class=\"kind\"") < head.find("<h1"));
    assert!(head.find("<h1") < head.find("class=\"lede\""));
    // The table of contents still lists the sections.
    assert!(page.contains("<a href=\"#first-part\">First part</a>"));
    assert!(page.contains("<a href=\"#second-part\">Second part</a>"));
    let linker = read(&out.join("guide/linker.html"));
    assert!(
        linker.contains("href=\"../guide/titled.html#titled-page\""),
        "{linker}"
    );
    // A page without its own h1 keeps the header's.
    let intro = read(&out.join("guide/intro.html"));
    assert_eq!(intro.matches("<h1").count(), 1);
    assert!(intro.contains("<h1>Introduction</h1>"));
    // The print view has the page once, with one h1 and its anchor.
    let print = read(&out.join("print.html"));
    let section = print
        .split_once("<section id=\"guide-titled\"")
        .and_then(|(_, s)| s.split_once("</section>"))
        .map(|(s, _)| s)
        .expect("printed page");
    assert_eq!(section.matches("<h1").count(), 1, "{section}");
    assert!(print.contains("href=\"#guide-titled--titled-page\""));
    assert!(check_links(&out) > 100);
}

#[test]
fn unchanged_files_are_not_rewritten_and_an_interrupted_build_leaves_nothing_behind() {
    let dir = copy_fixture("basic");
    let root = dir.path();
    let build = || {
        let run = wa(&["build", ".", "-q"], root);
        assert_eq!(run.code, 0, "{}", run.stderr);
    };
    let mtime = |rel: &str| {
        std::fs::metadata(root.join("book").join(rel))
            .unwrap()
            .modified()
            .unwrap()
    };
    build();
    let first = mtime("lenses/test-lens/trel01.html");
    build();
    // The third build writes over the first one's output: an unchanged file is left as it
    // was (same modification time), an edited page is written.
    common::edit(
        &root.join("content/guide/intro.md"),
        "Read the [setup page]",
        "First, read the [setup page]",
    );
    build();
    assert_eq!(mtime("lenses/test-lens/trel01.html"), first);
    let intro = std::fs::read_to_string(root.join("book/guide/intro.html")).unwrap();
    assert!(intro.contains("First, read the"));

    // A build killed mid-way leaves its temporary folder (holding the output before last) and
    // perhaps an old one; the next build recycles or deletes them, and nothing else.
    std::fs::rename(
        root.join(".book.wa-prev"),
        root.join(".book.wa-tmp-4000000"),
    )
    .unwrap();
    std::fs::write(root.join(".book.wa-tmp-4000000/stray.html"), "half-written").unwrap();
    std::fs::create_dir_all(root.join(".book.wa-old-4000001/x")).unwrap();
    std::fs::create_dir_all(root.join(".book.wa-tmp-notes")).unwrap();
    common::edit(
        &root.join("content/guide/intro.md"),
        "First, read the",
        "Start by reading the",
    );
    build();
    let fresh = tempfile::tempdir().unwrap();
    let dest = fresh.path().join("site");
    let run = wa(&["build", ".", "-q", "-d", dest.to_str().unwrap()], root);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        tree(&root.join("book")) == tree(&dest),
        "output differs from a fresh build"
    );
    assert_eq!(beside_book(root), [".book.wa-prev", ".book.wa-tmp-notes"]);
}
