//! The sidebar: one tree for the whole site, built once; each page gets the branches on its
//! path opened (so pages stay small on large sites) plus previous/next in reading order.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write;
use std::hash::{Hash, Hasher};

use serde_json::{Value, json};

use crate::config::PrintPolicy;
use crate::graph::{NodeIx, NodeKind};
use crate::project::Project;
use crate::render::{ROOT_MARK, escape_html};

#[derive(Hash)]
struct Item {
    title: String,
    url: Option<String>,
    children: Vec<Item>,
    /// Range of this subtree in reading order, for "is the current page below me".
    start: usize,
    end: usize,
}

pub struct Nav {
    items: Vec<Item>,
    /// A hash of everything the sidebar shows, for memoised pages.
    signature: u64,
    order: Vec<(String, String)>,
    index: HashMap<String, usize>,
    /// Folder path -> (title, url of its index page).
    folders: HashMap<String, (String, Option<String>)>,
    /// The site's index page, if the content has one.
    home: Option<String>,
}

/// Lists longer than this show a window around the current page: about ten entries each
/// side. Every page carries its sidebar, so on a 10,000-page flat folder each entry here
/// costs ~0.7 MB of output.
const WINDOW: usize = 21;

pub(super) fn pretty(name: &str) -> String {
    let s = name.replace(['-', '_'], " ");
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => s,
    }
}

/// Content pages as a folder tree keyed by URL path segments.
#[derive(Default)]
struct Folder {
    index: Option<usize>,
    pages: Vec<usize>,
    sub: BTreeMap<String, Folder>,
}

/// An item with its sort key (weight, title).
type Keyed = ((i64, String), Item);

impl Nav {
    /// `print` is the print view's resolved policy (see `print::resolve`): what the sidebar's
    /// print link says, or whether there is one.
    pub fn build(project: &Project, print: PrintPolicy) -> Nav {
        let root = content_tree(project);
        let mut folders = HashMap::new();
        let top = folder_items(&root, "", project, &mut folders);
        let mut items: Vec<Item> = Vec::new();
        let home = root.index.map(|h| project.pages[h].url.clone());
        if let Some(h) = root.index {
            items.push(leaf(&project.pages[h].front.title, &project.pages[h].url));
        }
        items.extend(top.into_iter().map(|(_, i)| i));
        let lenses = lens_items(project);
        if !lenses.is_empty() {
            items.push(section("Lenses", lenses));
        }
        items.push(reference(print));
        let mut order = Vec::new();
        number(&mut items, &mut order);
        let index = order
            .iter()
            .enumerate()
            .map(|(i, (u, _))| (u.clone(), i))
            .collect();
        let mut h = std::collections::hash_map::DefaultHasher::new();
        (&items, &order).hash(&mut h);
        Nav {
            signature: h.finish(),
            items,
            order,
            index,
            folders,
            home,
        }
    }

    pub fn order_of(&self, url: &str) -> usize {
        self.index.get(url).copied().unwrap_or(usize::MAX)
    }

    /// Reading order neighbours (the print page is not part of it).
    pub fn neighbours(&self, url: &str) -> (Value, Value) {
        let Some(&i) = self.index.get(url) else {
            return (Value::Null, Value::Null);
        };
        let link = |j: usize| {
            let (u, t) = &self.order[j];
            if u == "print.html" {
                Value::Null
            } else {
                json!({"url": format!("{ROOT_MARK}{u}"), "title": t})
            }
        };
        let prev = if i > 0 { link(i - 1) } else { Value::Null };
        let next = if i + 1 < self.order.len() {
            link(i + 1)
        } else {
            Value::Null
        };
        (prev, next)
    }

    /// Breadcrumb entries for the folders above a content page, nearest first.
    pub fn folder_crumbs(&self, url: &str) -> Vec<Value> {
        let segs: Vec<&str> = url.split('/').collect();
        let mut out = Vec::new();
        for n in (1..segs.len()).rev() {
            let path = segs[..n].join("/");
            if let Some((title, u)) = self.folders.get(&path) {
                if u.as_deref() == Some(url) {
                    continue;
                }
                out.push(
                    json!({"title": title, "url": u.as_ref().map(|u| format!("{ROOT_MARK}{u}"))}),
                );
            }
        }
        out
    }

    /// Equal for two builds whose sidebars are equal on every page.
    pub fn signature(&self) -> u64 {
        self.signature
    }

    pub fn html(&self, url: &str) -> String {
        let cur = self.order_of(url);
        let mut out = String::with_capacity(4096);
        render(&self.items, cur, url, 0, self.home.as_deref(), &mut out);
        out
    }
}

fn leaf(title: &str, url: &str) -> Item {
    Item {
        title: title.to_string(),
        url: Some(url.to_string()),
        children: Vec::new(),
        start: 0,
        end: 0,
    }
}

/// A heading without a page of its own.
fn section(title: &str, children: Vec<Item>) -> Item {
    Item {
        title: title.into(),
        url: None,
        children,
        start: 0,
        end: 0,
    }
}

/// An entry with a page and entries below it.
fn branch(title: &str, url: &str, children: Vec<Item>) -> Item {
    Item {
        children,
        ..leaf(title, url)
    }
}

fn content_tree(project: &Project) -> Folder {
    let mut root = Folder::default();
    for (pi, page) in project.pages.iter().enumerate() {
        let segs: Vec<&str> = page.url.split('/').collect();
        let mut f = &mut root;
        for s in &segs[..segs.len() - 1] {
            f = f.sub.entry((*s).to_string()).or_default();
        }
        if segs.last() == Some(&"index.html") {
            f.index = Some(pi);
        } else {
            f.pages.push(pi);
        }
    }
    root
}

/// The entries of folder `f` (at `path`), sorted by weight then title; records each subfolder's
/// title and index page in `folders`, for breadcrumbs.
fn folder_items(
    f: &Folder,
    path: &str,
    project: &Project,
    folders: &mut HashMap<String, (String, Option<String>)>,
) -> Vec<Keyed> {
    let page = |pi: usize| &project.pages[pi];
    let mut entries: Vec<Keyed> = f
        .pages
        .iter()
        .map(|&pi| {
            (
                (
                    page(pi).front.weight.unwrap_or(0),
                    page(pi).front.title.clone(),
                ),
                leaf(&page(pi).front.title, &page(pi).url),
            )
        })
        .collect();
    for (sub_name, sub) in &f.sub {
        let sub_path = if path.is_empty() {
            sub_name.clone()
        } else {
            format!("{path}/{sub_name}")
        };
        let children = folder_items(sub, &sub_path, project, folders);
        let title = sub
            .index
            .map(|i| page(i).front.title.clone())
            .unwrap_or_else(|| pretty(sub_name));
        let url = sub.index.map(|i| page(i).url.clone());
        folders.insert(sub_path, (title.clone(), url.clone()));
        // A folder without an index page sorts with its lightest page.
        let weight = sub
            .index
            .and_then(|i| page(i).front.weight)
            .or_else(|| children.iter().map(|(k, _)| k.0).min())
            .unwrap_or(0);
        entries.push((
            (weight, title.clone()),
            Item {
                title,
                url,
                children: children.into_iter().map(|(_, i)| i).collect(),
                start: 0,
                end: 0,
            },
        ));
    }
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    entries
}

/// Each lens, its pillars and their questions.
fn lens_items(project: &Project) -> Vec<Item> {
    let g = &project.graph;
    let node = |i: NodeIx| &g.nodes[i];
    let question = |q: NodeIx| leaf(&format!("{} {}", node(q).id, node(q).title), &node(q).url);
    let pillar = |p: NodeIx| {
        let qs = g.children(p).into_iter().map(question).collect();
        branch(&node(p).title, &node(p).url, qs)
    };
    g.indexed()
        .map(|(i, _)| i)
        .filter(|&i| node(i).kind == NodeKind::Lens)
        .map(|l| {
            let pillars = g.children(l).into_iter().map(pillar).collect();
            branch(&node(l).title, &node(l).url, pillars)
        })
        .collect()
}

/// The site-wide pages, and the print view when there is one.
fn reference(print: PrintPolicy) -> Item {
    let print = match print {
        PrintPolicy::Off => None,
        PrintPolicy::Lenses => Some(leaf("Print the lens guidance", "print.html")),
        PrintPolicy::All | PrintPolicy::Auto => Some(leaf("Print all guidance", "print.html")),
    };
    let children = [
        Some(leaf("All best practices", "best-practices.html")),
        Some(leaf("Coverage matrix", "coverage.html")),
        print,
    ];
    section("Reference", children.into_iter().flatten().collect())
}

/// Numbers `items` in reading order (depth first), appending each page to `order`.
fn number(items: &mut [Item], order: &mut Vec<(String, String)>) {
    for it in items {
        it.start = order.len();
        if let Some(u) = &it.url {
            order.push((u.clone(), it.title.clone()));
        }
        number(&mut it.children, order);
        it.end = order.len();
    }
}

/// Writes `items` as a list, opening the branches on the current page's path. Long lists
/// show a window around that path; the rows standing for the rest link to `overview` (the
/// list's own index page, else the site's), or to the nearest hidden entry if neither exists.
fn render(
    items: &[Item],
    cur: usize,
    url: &str,
    depth: usize,
    overview: Option<&str>,
    out: &mut String,
) {
    // Siblings hold consecutive ranges of the reading order: a binary search, not a scan
    // (a scan made a flat folder of 100,000 pages quadratic).
    let at = items.partition_point(|it| it.end <= cur);
    let at = if items.get(at).is_some_and(|it| it.start <= cur) {
        at
    } else {
        0
    };
    let (lo, hi) = if items.len() > WINDOW {
        let lo = at.saturating_sub(WINDOW / 2).min(items.len() - WINDOW);
        (lo, lo + WINDOW)
    } else {
        (0, items.len())
    };
    out.push_str("<ul>");
    if lo > 0 {
        more(out, lo, "above", overview.or(items[lo - 1].url.as_deref()));
    }
    for it in &items[lo..hi] {
        let inside = (it.start..it.end).contains(&cur);
        let open = !it.children.is_empty() && (inside || (depth == 0 && it.children.len() <= 12));
        out.push_str(if open { "<li class=\"open\">" } else { "<li>" });
        let title = escape_html(&it.title);
        match &it.url {
            Some(u) if u == url => {
                let _ = write!(
                    out,
                    "<a href=\"{ROOT_MARK}{}\" aria-current=\"page\">{title}</a>",
                    escape_html(u)
                );
            }
            Some(u) => {
                let _ = write!(out, "<a href=\"{ROOT_MARK}{}\">{title}</a>", escape_html(u));
            }
            None => {
                let _ = write!(out, "<span class=\"section\">{title}</span>");
            }
        }
        if open {
            render(
                &it.children,
                cur,
                url,
                depth + 1,
                it.url.as_deref().or(overview),
                out,
            );
        }
        out.push_str("</li>");
    }
    if hi < items.len() {
        more(
            out,
            items.len() - hi,
            "below",
            overview.or(items[hi].url.as_deref()),
        );
    }
    out.push_str("</ul>");
}

/// The row standing for `n` entries outside the window, a link when there is somewhere to go.
fn more(out: &mut String, n: usize, side: &str, to: Option<&str>) {
    match to {
        Some(u) => {
            let _ = write!(
                out,
                "<li class=\"more\"><a href=\"{ROOT_MARK}{}\">… {n} more {side}</a></li>",
                escape_html(u)
            );
        }
        None => {
            let _ = write!(out, "<li class=\"more\">… {n} more {side}</li>");
        }
    }
}
