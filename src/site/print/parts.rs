//! A print view too large for one file, in parts: its pages grouped by lens and content folder,
//! groups cut to the size limit, each part written, and `print.html` listing them.

use std::collections::{HashMap, HashSet};

use rayon::prelude::*;
use tera::Tera;

use super::file::{out_file, render_file, splice};
use super::rewrite::{Rewritten, placed_len};
use crate::project::{OutFile, Project};
use crate::render::escape_html;
use crate::site::nav::pretty;
/// The folder holding the parts of a split print view.
const PARTS_DIR: &str = "print";

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
pub(super) fn split(
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
