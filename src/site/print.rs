//! The print view: every page's article in reading order, with links between them turned into
//! in-page links and every id made unique by prefixing its page's key.
//!
//! A small site gets one `print.html`. Past [`PART_LIMIT`] (or `[wa] print-part-kb`) one page
//! would be unusable in a browser (89 MB at 10,000 pages), so the view is split into parts under
//! `print/`: one per lens, per top-level content folder, for the top-level pages and for the
//! site-wide pages, and a group larger than the limit is cut into consecutive parts at page
//! boundaries. `print.html` then lists the parts. A link to a page in another part points at
//! that part's anchor.
//!
//! `[wa] print` chooses what is printed. Under `auto` (the default) a site whose rendered markdown
//! fits in one file prints every page; past that, printing every page again would double what a
//! large site deploys, so the view keeps the pages made from lens definitions (split as above if
//! they need it; no view when there are none) and `print.html` says how many pages are left out
//! and how to include them. `all` prints every page whatever the size, `lenses` only the lens
//! pages, `off` nothing. [`resolve`] settles `auto` before the pages are made.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use rayon::prelude::*;
use std::sync::OnceLock;

use regex::Regex;
use tera::Tera;

use super::nav::pretty;
use crate::config::PrintPolicy;
use crate::diag::Diagnostics;
use crate::graph::NodeKind;
use crate::project::{OutFile, Project};
use crate::render::fragments::Fragments;
use crate::render::theme::{Theme, template_error};
use crate::render::{ROOT_MARK, escape_html, fix_root};

pub const ARTICLE_START: &str = "<!--wa:article-->";
pub const ARTICLE_END: &str = "<!--/wa:article-->";

/// The largest print view file, in bytes, unless `book.toml` says otherwise: a few megabytes
/// of HTML still opens, searches and prints comfortably in a browser.
pub const PART_LIMIT: usize = 5_000_000;

/// The folder holding the parts of a split print view.
const PARTS_DIR: &str = "print";

/// `lenses/a/b.html` -> `lenses-a-b`.
fn key(url: &str) -> String {
    url.trim_end_matches(".html").replace(['/', '.'], "-")
}

fn regexes() -> &'static (Regex, Regex, Regex) {
    static R: OnceLock<(Regex, Regex, Regex)> = OnceLock::new();
    R.get_or_init(|| {
        (
            Regex::new("href=\"\u{1a}/([^\"#]*)(?:#([^\"]*))?\"").expect("static regex"),
            // Attributes holding ids (or lists of ids) of elements on the same page.
            Regex::new(" (id|for|aria-labelledby|aria-describedby|aria-controls)=\"([^\"]*)\"")
                .expect("static regex"),
            Regex::new("href=\"#([^\"]*)\"").expect("static regex"),
        )
    })
}

/// A link to another printed page: the byte offset just inside its `href="`, where the target's
/// part file goes when that page is printed in another part, and the target's section.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Link {
    at: usize,
    target: usize,
}

/// A page's article rewritten for the print view, before it is placed in a part: links to
/// printed pages are in-page (`#key--anchor`) and remembered, so that placing it only inserts
/// a file name where the target lands in another part; the root placeholder is still in, as
/// the depth of the file it goes to is not known yet. Independent of how the view is split,
/// so the memo holds it across builds whatever the split.
#[derive(Clone)]
struct Rewritten {
    html: Arc<str>,
    links: Arc<[Link]>,
    /// Root placeholders in `html`.
    roots: usize,
}

fn rewrite(article: &str, url: &str, printed: &HashMap<&str, usize>) -> Rewritten {
    let (link, id, local) = regexes();
    let own = key(url);
    let s = id.replace_all(article, |c: &regex::Captures| {
        let ids: Vec<String> = c[2]
            .split_whitespace()
            .map(|i| format!("{own}--{i}"))
            .collect();
        format!(" {}=\"{}\"", &c[1], ids.join(" "))
    });
    let s = local.replace_all(&s, |c: &regex::Captures| {
        format!("href=\"#{own}--{}\"", &c[1])
    });
    let mut html = String::with_capacity(s.len() + 64);
    let mut links = Vec::new();
    let mut last = 0;
    for c in link.captures_iter(&s) {
        let Some(whole) = c.get(0) else { continue };
        html.push_str(&s[last..whole.start()]);
        last = whole.end();
        let target = &c[1];
        let Some(&t) = printed.get(target) else {
            html.push_str(whole.as_str());
            continue;
        };
        html.push_str("href=\"");
        links.push(Link {
            at: html.len(),
            target: t,
        });
        html.push('#');
        html.push_str(&key(target));
        if let Some(a) = c.get(2) {
            html.push_str("--");
            html.push_str(a.as_str());
        }
        html.push('"');
    }
    html.push_str(&s[last..]);
    Rewritten {
        roots: html.matches(ROOT_MARK).count(),
        html: html.into(),
        links: links.into(),
    }
}

/// Appends `s` with each root placeholder replaced by `root` (as [`fix_root`] does).
fn push_rooted(out: &mut String, s: &str, root: &str) {
    let mut rest = s;
    while let Some(i) = rest.find(ROOT_MARK) {
        out.push_str(&rest[..i]);
        out.push_str(root);
        rest = &rest[i + ROOT_MARK.len()..];
    }
    out.push_str(rest);
}

/// Appends a rewritten article placed in a file whose root is `root`; `file_of` names the
/// part file of a link's target when it is printed in another part.
fn place<'a>(
    out: &mut String,
    r: &Rewritten,
    root: &str,
    file_of: &dyn Fn(usize) -> Option<&'a str>,
) {
    let mut last = 0;
    for l in r.links.iter() {
        push_rooted(out, &r.html[last..l.at], root);
        if let Some(f) = file_of(l.target) {
            out.push_str(f);
        }
        last = l.at;
    }
    push_rooted(out, &r.html[last..], root);
}

/// The length [`place`] gives, when the part files of targets elsewhere are `file_of`.
fn placed_len<'a>(r: &Rewritten, root: &str, file_of: &dyn Fn(usize) -> Option<&'a str>) -> usize {
    let links: usize = r
        .links
        .iter()
        .filter_map(|l| file_of(l.target).map(str::len))
        .sum();
    r.html.len() - r.roots * ROOT_MARK.len() + r.roots * root.len() + links
}

/// Rewritten articles kept between builds (for `wa-docs serve`), valid while the list of
/// printed pages stays the same (a link's target is a position in that list).
#[derive(Default)]
pub struct PrintMemo {
    printed: Vec<String>,
    sections: HashMap<String, (Arc<str>, Rewritten)>,
}

/// Rewrites `articles` for a print view that holds exactly them, reusing the sections of
/// `old` (the previous build's memo) and recording this build's in `fresh`.
fn rewrite_all(
    articles: &[(&str, &Arc<str>)],
    old: Option<&PrintMemo>,
    fresh: Option<&mut PrintMemo>,
) -> Vec<Rewritten> {
    let printed: HashMap<&str, usize> = articles
        .iter()
        .enumerate()
        .map(|(i, (u, _))| (*u, i))
        .collect();
    let list: Vec<String> = articles.iter().map(|(u, _)| u.to_string()).collect();
    let old = old.filter(|m| m.printed == list).map(|m| &m.sections);
    let rewritten: Vec<Rewritten> = articles
        .par_iter()
        .map(|(url, a)| match old.and_then(|m| m.get(*url)) {
            Some((was, r)) if was == *a => r.clone(),
            _ => rewrite(a, url, &printed),
        })
        .collect();
    if let Some(m) = fresh {
        let sections = articles
            .iter()
            .zip(&rewritten)
            .map(|((url, a), r)| (url.to_string(), (Arc::clone(a), r.clone())))
            .collect();
        *m = PrintMemo {
            printed: list,
            sections,
        };
    }
    rewritten
}

/// Markers standing in for a section's key and HTML when the template is rendered once.
const KEY_MARK: &str = "\u{1a}wa-key\u{1a}";
const HTML_MARK: &str = "\u{1a}wa-html\u{1a}";

/// The print template split around its per-section markup: `head`, then `each` once per
/// section (with the markers replaced), then `tail`. Found by rendering it with zero, one and
/// two marker sections; `None` when the output for a section depends on more than the
/// section's key and HTML (e.g. `loop.index`), and the caller renders it the usual way.
fn template_parts(
    tera: &Tera,
    ctx: &mut tera::Context,
) -> Result<Option<(String, String, String)>, tera::Error> {
    let marker = serde_json::json!({"key": KEY_MARK, "html": HTML_MARK});
    let mut render = |n: usize| {
        ctx.insert("sections", &vec![marker.clone(); n]);
        tera.render("print.html", ctx)
    };
    let (zero, one, two) = (render(0)?, render(1)?, render(2)?);
    let Some(len) = one.len().checked_sub(zero.len()) else {
        return Ok(None);
    };
    // Where the section sits: after the longest prefix the empty render shares. Any rotation of
    // the section that the checks below accept splices just as well.
    let lcp = zero
        .bytes()
        .zip(one.bytes())
        .take_while(|(a, b)| a == b)
        .count();
    let start = (0..=lcp.min(zero.len()))
        .rev()
        .find(|&i| zero.is_char_boundary(i) && one.is_char_boundary(i + len));
    let Some(start) = start else {
        return Ok(None);
    };
    let (head, tail) = zero.split_at(start);
    let each = &one[start..start + len];
    let in_order = each.matches(KEY_MARK).count() == 1
        && each.matches(HTML_MARK).count() == 1
        && each.find(KEY_MARK) < each.find(HTML_MARK);
    if !in_order
        || one != format!("{head}{each}{tail}")
        || two != format!("{head}{each}{each}{tail}")
    {
        return Ok(None);
    }
    Ok(Some((head.to_string(), each.to_string(), tail.to_string())))
}

/// A print view file's template cut around its sections (see [`template_parts`]), with the
/// root placeholder made relative to the file: `head`, then `a` key `b` article `c` per
/// section, then `tail`.
struct Spliced {
    head: String,
    a: String,
    b: String,
    c: String,
    tail: String,
}

impl Spliced {
    fn each_len(&self, key: &str) -> usize {
        self.a.len() + self.b.len() + self.c.len() + escape_html(key).len()
    }
}

fn splice(
    tera: &Tera,
    ctx: &mut tera::Context,
    path: &str,
) -> Result<Option<Spliced>, tera::Error> {
    let Some((head, each, tail)) = template_parts(tera, ctx)? else {
        return Ok(None);
    };
    let each = fix_root(&each, path);
    let (a, b) = each.split_once(KEY_MARK).unwrap_or((&each, ""));
    let (b, c) = b.split_once(HTML_MARK).unwrap_or((b, ""));
    Ok(Some(Spliced {
        head: fix_root(&head, path),
        a: a.to_string(),
        b: b.to_string(),
        c: c.to_string(),
        tail: fix_root(&tail, path),
    }))
}

/// Renders one print view file at `path` around `sections` (each a key and a rewritten
/// article). Sections are spliced in rather than passed through the template when it allows:
/// a template context would copy the articles several times.
fn render_file<'a>(
    tera: &Tera,
    ctx: &mut tera::Context,
    path: &str,
    sections: &[(&str, &Rewritten)],
    file_of: &dyn Fn(usize) -> Option<&'a str>,
) -> Result<String, tera::Error> {
    let root = crate::render::path_to_root(path);
    // With no sections the template may render differently (`{% if sections %}`): no splicing.
    let spliced = if sections.is_empty() {
        None
    } else {
        splice(tera, ctx, path)?
    };
    match spliced {
        Some(sp) => {
            // Sized exactly, so the file is one allocation of its own size.
            let size = sp.head.len()
                + sp.tail.len()
                + sections
                    .iter()
                    .map(|(k, r)| sp.each_len(k) + placed_len(r, &root, file_of))
                    .sum::<usize>();
            let mut out = String::with_capacity(size);
            out.push_str(&sp.head);
            for (k, r) in sections {
                out.push_str(&sp.a);
                out.push_str(&escape_html(k));
                out.push_str(&sp.b);
                place(&mut out, r, &root, file_of);
                out.push_str(&sp.c);
            }
            out.push_str(&sp.tail);
            Ok(out)
        }
        None => {
            let values: Vec<serde_json::Value> = sections
                .iter()
                .map(|(k, r)| {
                    let mut html = String::with_capacity(r.html.len());
                    place(&mut html, r, &root, file_of);
                    serde_json::json!({"key": k, "html": html})
                })
                .collect();
            ctx.insert("sections", &values);
            tera.render("print.html", ctx).map(|h| fix_root(&h, path))
        }
    }
}

/// Pages printed together: a lens, a top-level content folder, the top-level content pages,
/// or the site-wide pages (all best practices, coverage...).
struct Group {
    /// File stem of its part (`-N` is appended when it is cut).
    name: String,
    title: String,
    /// The top-level pages, whose cut parts are called "Pages N–M".
    top: bool,
    /// Sections, in reading order.
    members: Vec<usize>,
}

/// Sections grouped by lens and top-level content folder, groups in order of their first
/// page, so that each group's pages stay in reading order.
fn groups(project: &Project, urls: &[&str]) -> Vec<Group> {
    let pages: HashMap<&str, &str> = project
        .pages
        .iter()
        .map(|p| (p.url.as_str(), p.front.title.as_str()))
        .collect();
    let mut out: Vec<Group> = Vec::new();
    let mut at: HashMap<String, usize> = HashMap::new();
    for (i, url) in urls.iter().enumerate() {
        let lens = url
            .strip_prefix("lenses/")
            .and_then(|r| r.split_once('/'))
            .map(|(l, _)| l);
        // Names are prefixed by kind so that a folder and a lens of one name stay apart.
        let (name, title, top) = if pages.contains_key(url) {
            match url.split_once('/') {
                Some((folder, _)) => {
                    let index = format!("{folder}/index.html");
                    let title = pages
                        .get(index.as_str())
                        .map_or_else(|| pretty(folder), |t| t.to_string());
                    (format!("folder-{folder}"), title, false)
                }
                None => ("pages".to_string(), "Pages".to_string(), true),
            }
        } else if let Some(lens) = lens {
            let title = project
                .lenses
                .iter()
                .find(|lf| lf.lens.id == lens)
                .map_or_else(|| pretty(lens), |lf| lf.lens.name.clone());
            (format!("lens-{lens}"), title, false)
        } else {
            ("reference".to_string(), "Reference".to_string(), false)
        };
        let g = *at.entry(name.clone()).or_insert_with(|| {
            out.push(Group {
                name,
                title,
                top,
                members: Vec::new(),
            });
            out.len() - 1
        });
        out[g].members.push(i);
    }
    out
}

/// One file of a split print view.
#[derive(Debug)]
struct Part {
    /// File stem under `print/`.
    name: String,
    title: String,
    members: Vec<usize>,
    /// For a group cut into several parts, the positions (from 1) of its first and last page
    /// in the group.
    range: Option<(usize, usize)>,
}

/// Cuts each group into consecutive parts whose sections' sizes add up to at most `budget`,
/// at page boundaries (a page larger than the budget gets a part of its own), and names them
/// uniquely, ignoring case, among the paths in `taken`.
fn cut(
    groups: Vec<Group>,
    size: &dyn Fn(usize) -> usize,
    budget: usize,
    taken: &mut HashSet<String>,
) -> Vec<Part> {
    let mut parts = Vec::new();
    for g in groups {
        let mut chunks: Vec<Vec<usize>> = vec![Vec::new()];
        let mut sum = 0;
        for m in g.members {
            let s = size(m);
            if let Some(last) = chunks.last_mut()
                && !last.is_empty()
                && sum + s > budget
            {
                chunks.push(Vec::new());
                sum = 0;
            }
            sum += s;
            if let Some(last) = chunks.last_mut() {
                last.push(m);
            }
        }
        let whole = chunks.len() == 1;
        let mut first = 1;
        for (n, members) in chunks.into_iter().enumerate() {
            let last = first + members.len() - 1;
            let (name, title, range) = if whole {
                (g.name.clone(), g.title.clone(), None)
            } else if g.top {
                let title = format!("Pages {first}–{last}");
                (format!("{}-{}", g.name, n + 1), title, Some((first, last)))
            } else {
                let title = format!("{}: pages {first}–{last}", g.title);
                (format!("{}-{}", g.name, n + 1), title, Some((first, last)))
            };
            first = last + 1;
            parts.push(Part {
                name: unique(name, taken),
                title,
                members,
                range,
            });
        }
    }
    parts
}

/// `name`, or `name_2`, `name_3`… when another output file already has that path ignoring
/// case (a cut `folder-a-2` and a folder called `a-2`, or a content folder called `print`).
fn unique(name: String, taken: &mut HashSet<String>) -> String {
    let path = |n: &str| format!("{PARTS_DIR}/{n}.html").to_lowercase();
    let mut candidate = name.clone();
    let mut k = 1;
    while taken.contains(&path(&candidate)) {
        k += 1;
        candidate = format!("{name}_{k}");
    }
    taken.insert(path(&candidate));
    candidate
}

/// A size for people: `812 KB`, `4.9 MB` (decimal units, as the limit is given).
fn human(bytes: usize) -> String {
    if bytes < 1_000_000 {
        format!("{} KB", bytes.div_ceil(1000))
    } else {
        format!("{:.1} MB", bytes as f64 / 1e6)
    }
}

/// The print view's largest file, from `book.toml` or [`PART_LIMIT`].
fn part_limit(project: &Project) -> usize {
    match project.config.wa.print_part_kb {
        Some(kb) => usize::try_from(kb.max(1))
            .unwrap_or(usize::MAX)
            .saturating_mul(1000),
        None => PART_LIMIT,
    }
}

/// Settles `[wa] print` for a build before any page is made, so that the sidebar's print link,
/// and which articles the pages stage keeps for the print view, agree with what is printed.
/// `auto` prints every page while the site's rendered markdown fits in one print file
/// (`print-part-kb`); past that the pages made from lens definitions, or nothing when the site
/// has none. Measured on the markdown, not the finished view, because a large site's articles
/// are never all held at once.
pub fn resolve(project: &Project, fragments: &Fragments) -> PrintPolicy {
    match project.config.wa.print() {
        PrintPolicy::Auto => {
            let text: usize = fragments.values().map(|r| r.html.len()).sum();
            if text <= part_limit(project) {
                PrintPolicy::All
            } else if project.graph.nodes.iter().any(is_from_lenses) {
                PrintPolicy::Lenses
            } else {
                PrintPolicy::Off
            }
        }
        other => other,
    }
}

/// Whether a node's page is made from a lens definition (what `lenses` prints).
pub fn is_from_lenses(node: &crate::graph::Node) -> bool {
    node.kind != NodeKind::Page
}

/// The print view for `policy` (as [`resolve`]d): `print.html`, and the parts under `print/`
/// when it is split; nothing when the policy is `off`.
pub fn print_page(
    project: &Project,
    files: &[OutFile],
    policy: PrintPolicy,
    tera: &Tera,
    theme: &Theme,
    diags: &mut Diagnostics,
    mut memo: Option<&mut PrintMemo>,
) -> Vec<OutFile> {
    if policy == PrintPolicy::Off {
        if let Some(m) = memo {
            *m = PrintMemo::default();
        }
        return Vec::new();
    }
    let all: Vec<(&str, &Arc<str>)> = files
        .iter()
        .filter_map(|f| f.article.as_ref().map(|a| (f.path.as_str(), a)))
        .collect();
    // Pages made from lens definitions: every graph node's page but plain content pages.
    let from_lenses: HashSet<&str> = project
        .graph
        .nodes
        .iter()
        .filter(|n| is_from_lenses(n))
        .map(|n| n.url.as_str())
        .collect();
    let lens_pages = || -> Vec<(&str, &Arc<str>)> {
        all.iter()
            .filter(|(u, _)| from_lenses.contains(u))
            .copied()
            .collect()
    };
    let old = memo.as_deref_mut().map(std::mem::take);
    let mut fresh = memo.is_some().then(PrintMemo::default);
    let mut ctx = tera::Context::new();
    ctx.insert("site", &serde_json::json!({"title": project.config.book.title, "language": project.config.book.language}));
    ctx.insert("root", ROOT_MARK);
    let limit = part_limit(project);
    let origin = theme.origin("print.html");
    let fail = |diags: &mut Diagnostics, e: &tera::Error| {
        diags.push(template_error(e, &origin, None));
        Vec::new()
    };
    // What is printed, rewritten, and its size as one file.
    let mut measured = |lenses: bool, ctx: &mut tera::Context| -> Result<_, tera::Error> {
        let articles = if lenses { lens_pages() } else { all.clone() };
        let rewritten = rewrite_all(&articles, old.as_ref(), fresh.as_mut());
        let urls: Vec<&str> = articles.iter().map(|(u, _)| *u).collect();
        let keys: Vec<String> = urls.iter().map(|u| key(u)).collect();
        let size = single_size(tera, ctx, &keys, &rewritten)?;
        Ok((urls, keys, rewritten, size))
    };
    let chosen = match policy {
        PrintPolicy::Lenses => {
            ctx.insert("title", "Lens guidance");
            ctx.insert("lens_pages", &lens_pages().len());
            // Left out: the markdown pages (a build kept no article for them) and the site-wide
            // pages (best practices, coverage...), which are not graph nodes.
            let nodes: HashSet<&str> = (project.graph.nodes.iter())
                .map(|n| n.url.as_str())
                .collect();
            let left_out = (project.graph.nodes.iter())
                .filter(|n| !is_from_lenses(n))
                .count()
                + all.iter().filter(|(u, _)| !nodes.contains(u)).count();
            ctx.insert("left_out", &left_out);
            measured(true, &mut ctx)
        }
        _ => {
            ctx.insert("title", "All guidance");
            measured(false, &mut ctx)
        }
    };
    if let (Some(m), Some(f)) = (memo, fresh) {
        *m = f;
    }
    let (urls, keys, rewritten, size) = match chosen {
        Ok(c) => c,
        Err(e) => return fail(diags, &e),
    };
    if size <= limit {
        let sections: Vec<(&str, &Rewritten)> =
            keys.iter().map(String::as_str).zip(&rewritten).collect();
        return match render_file(tera, &mut ctx, "print.html", &sections, &|_| None) {
            Ok(html) => vec![out_file("print.html".into(), html)],
            Err(e) => fail(diags, &e),
        };
    }
    match split(project, files, tera, ctx, &urls, &keys, rewritten, limit) {
        Ok(out) => out,
        Err(e) => fail(diags, &e),
    }
}

fn out_file(path: String, html: String) -> OutFile {
    OutFile {
        path,
        bytes: html.into_bytes().into(),
        article: None,
    }
}

/// The size of the print view as one `print.html`, found without building it. A template that
/// cannot be spliced is measured by its articles alone.
fn single_size(
    tera: &Tera,
    ctx: &mut tera::Context,
    keys: &[String],
    sections: &[Rewritten],
) -> Result<usize, tera::Error> {
    let articles = sections
        .iter()
        .map(|r| placed_len(r, "", &|_| None))
        .sum::<usize>();
    if sections.is_empty() {
        return Ok(0);
    }
    Ok(match splice(tera, ctx, "print.html")? {
        Some(sp) => {
            sp.head.len()
                + sp.tail.len()
                + articles
                + keys.iter().map(|k| sp.each_len(k)).sum::<usize>()
        }
        None => articles,
    })
}

/// The template context of part `n` of `parts`.
fn part_context(base: &tera::Context, parts: &[Part], n: usize) -> tera::Context {
    let link = |p: Option<&Part>| {
        p.map(|p| serde_json::json!({"url": format!("{}.html", p.name), "title": p.title}))
    };
    let p = &parts[n];
    let mut ctx = base.clone();
    ctx.insert("title", &format!("Print view: {}", p.title));
    ctx.insert(
        "part",
        &serde_json::json!({
            "number": n + 1,
            "count": parts.len(),
            "title": p.title,
            "pages": p.members.len(),
            "prev": link(n.checked_sub(1).and_then(|i| parts.get(i))),
            "next": link(parts.get(n + 1)),
        }),
    );
    ctx
}

/// The print view in parts under `print/`, and `print.html` listing them.
#[allow(clippy::too_many_arguments)]
fn split(
    project: &Project,
    files: &[OutFile],
    tera: &Tera,
    base: tera::Context,
    urls: &[&str],
    keys: &[String],
    rewritten: Vec<Rewritten>,
    limit: usize,
) -> Result<Vec<OutFile>, tera::Error> {
    let groups = groups(project, urls);
    let n = urls.len();
    // Sizes are bounded before parts have names: a link to another part gains at most the
    // longest name, plus `-N` for a cut group, `_N` if it had to be made unique, and `.html`.
    let name_bound =
        groups.iter().map(|g| g.name.len()).max().unwrap_or(0) + 2 * (n.to_string().len() + 1) + 5;
    // The part's own markup (title, links to its neighbours) is bounded by rendering it for a
    // made-up part with the longest title there can be.
    let longest = groups
        .iter()
        .map(|g| g.title.as_str())
        .max_by_key(|t| escape_html(t).len())
        .unwrap_or("");
    let sample_title = format!("{longest}: pages {n}–{n}");
    let sample = |name: &str| Part {
        name: name.to_string(),
        title: sample_title.clone(),
        members: vec![0; n],
        range: None,
    };
    let wide = "w".repeat(name_bound);
    let samples = [sample(&wide), sample(&wide), sample(&wide)];
    let mut ctx = part_context(&base, &samples, 1);
    let sample_path = format!("{PARTS_DIR}/{wide}");
    let (chrome, each) = match splice(tera, &mut ctx, &sample_path)? {
        Some(sp) => (sp.head.len() + sp.tail.len(), Some(sp)),
        None => {
            ctx.insert("sections", &Vec::<serde_json::Value>::new());
            (tera.render("print.html", &ctx)?.len(), None)
        }
    };
    let size = |i: usize| {
        let r = &rewritten[i];
        let wrapper = each.as_ref().map_or(0, |sp| sp.each_len(&keys[i]));
        wrapper + placed_len(r, "../", &|_| None) + r.links.len() * name_bound
    };
    let mut taken: HashSet<String> = files.iter().map(|f| f.path.to_lowercase()).collect();
    let parts = cut(groups, &size, limit.saturating_sub(chrome), &mut taken);
    let mut part_of = vec![0; n];
    for (p, part) in parts.iter().enumerate() {
        for &m in &part.members {
            part_of[m] = p;
        }
    }
    let names: Vec<String> = parts.iter().map(|p| format!("{}.html", p.name)).collect();
    // Each part takes its articles, and drops them once written, so that the print view is
    // never held twice over.
    let mut slots: Vec<Option<Rewritten>> = rewritten.into_iter().map(Some).collect();
    let jobs: Vec<(usize, Vec<(usize, Rewritten)>)> = parts
        .iter()
        .enumerate()
        .map(|(p, part)| {
            let own = part
                .members
                .iter()
                .filter_map(|&m| slots[m].take().map(|r| (m, r)))
                .collect();
            (p, own)
        })
        .collect();
    let built: Vec<(usize, String)> = jobs
        .into_par_iter()
        .map(|(p, own)| {
            let file_of = |t: usize| (part_of[t] != p).then(|| names[part_of[t]].as_str());
            let sections: Vec<(&str, &Rewritten)> =
                own.iter().map(|(m, r)| (keys[*m].as_str(), r)).collect();
            let mut ctx = part_context(&base, &parts, p);
            let path = format!("{PARTS_DIR}/{}", names[p]);
            render_file(tera, &mut ctx, &path, &sections, &file_of).map(|html| (p, html))
        })
        .collect::<Result<_, _>>()?;
    let titles: HashMap<&str, &str> = project
        .graph
        .nodes
        .iter()
        .map(|node| (node.url.as_str(), node.title.as_str()))
        .collect();
    let listed: Vec<serde_json::Value> = parts
        .iter()
        .zip(&built)
        .map(|(part, (_, html))| {
            // A cut part says where it starts and ends, so a page can be found by its title.
            let span = part.range.and_then(|_| {
                let first = titles.get(urls[*part.members.first()?])?;
                let last = titles.get(urls[*part.members.last()?])?;
                Some(format!("“{first}” to “{last}”"))
            });
            serde_json::json!({
                "url": format!("{PARTS_DIR}/{}.html", part.name),
                "title": part.title,
                "pages": part.members.len(),
                "size": human(html.len()),
                "span": span,
            })
        })
        .collect();
    let mut ctx = base;
    ctx.insert("parts", &listed);
    ctx.insert("part_limit", &human(limit));
    ctx.insert(
        "total_size",
        &human(built.iter().map(|(_, h)| h.len()).sum()),
    );
    ctx.insert("total_pages", &n);
    let index = render_file(tera, &mut ctx, "print.html", &[], &|_| None)?;
    let mut out = vec![out_file("print.html".into(), index)];
    out.extend(
        built
            .into_iter()
            .map(|(p, html)| out_file(format!("{PARTS_DIR}/{}", names[p]), html)),
    );
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn placed<'a>(r: &Rewritten, root: &str, file_of: &dyn Fn(usize) -> Option<&'a str>) -> String {
        let mut out = String::new();
        place(&mut out, r, root, file_of);
        assert_eq!(out.len(), placed_len(r, root, file_of));
        out
    }

    #[test]
    fn links_between_printed_pages_become_in_page() {
        let printed: HashMap<&str, usize> = [("a/b.html", 0), ("c.html", 1)].into_iter().collect();
        let html = "<h2 id=\"x\">X</h2><a href=\"\u{1a}/c.html#y\">c</a><a href=\"#x\">self</a><a href=\"\u{1a}/assets/z.css\">z</a>";
        let r = rewrite(html, "a/b.html", &printed);
        let out = placed(&r, "", &|_| None);
        assert!(out.contains("id=\"a-b--x\""));
        assert!(out.contains("href=\"#c--y\""));
        assert!(out.contains("href=\"#a-b--x\""));
        assert!(out.contains("href=\"assets/z.css\""));
        // In a part, a page printed elsewhere is reached through its part's file.
        let out = placed(&r, "../", &|t| (t == 1).then_some("pages-2.html"));
        assert!(out.contains("href=\"pages-2.html#c--y\""), "{out}");
        assert!(out.contains("href=\"#a-b--x\""));
        assert!(out.contains("href=\"../assets/z.css\""));
    }

    #[test]
    fn groups_are_cut_at_page_boundaries_under_the_budget() {
        let group = |name: &str, top, members: Vec<usize>| Group {
            name: name.into(),
            title: name.to_uppercase(),
            top,
            members,
        };
        let sizes = [40, 40, 40, 100, 10, 10, 30];
        let mut taken: HashSet<String> = ["print/folder-a-2.html".to_string()].into();
        let parts = cut(
            vec![
                group("pages", true, vec![0, 1, 2, 3]),
                group("folder-a", false, vec![4, 5, 6]),
            ],
            &|i| sizes[i],
            50,
            &mut taken,
        );
        let summary: Vec<(&str, &str, &[usize])> = parts
            .iter()
            .map(|p| (p.name.as_str(), p.title.as_str(), p.members.as_slice()))
            .collect();
        assert_eq!(
            summary,
            [
                ("pages-1", "Pages 1–1", &[0][..]),
                ("pages-2", "Pages 2–2", &[1][..]),
                ("pages-3", "Pages 3–3", &[2][..]),
                // Larger than the budget on its own: alone, never split.
                ("pages-4", "Pages 4–4", &[3][..]),
                ("folder-a", "FOLDER-A", &[4, 5, 6][..]),
            ]
        );
        let parts = cut(
            vec![group("folder-a", false, vec![0, 4, 5, 6])],
            &|i| sizes[i],
            50,
            &mut taken,
        );
        let names: Vec<(&str, &str)> = parts
            .iter()
            .map(|p| (p.name.as_str(), p.title.as_str()))
            .collect();
        // `folder-a-2` was taken (ignoring case) by another output file.
        assert_eq!(
            names,
            [
                ("folder-a-1", "FOLDER-A: pages 1–2"),
                ("folder-a-2_2", "FOLDER-A: pages 3–4")
            ]
        );
    }

    #[test]
    fn sizes_read_well() {
        assert_eq!(human(812_400), "813 KB");
        assert_eq!(human(4_870_000), "4.9 MB");
    }
}
