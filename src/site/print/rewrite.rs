//! A printed page's article rewritten for the print view: its ids prefixed with the page's key,
//! links between printed pages made in-page, and the memo that keeps the rewrites across builds.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use rayon::prelude::*;
use regex::Regex;

use crate::render::ROOT_MARK;
/// `lenses/a/b.html` -> `lenses-a-b`.
pub(super) fn key(url: &str) -> String {
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
pub(super) struct Link {
    at: usize,
    target: usize,
}

/// A page's article rewritten for the print view, before it is placed in a part: links to
/// printed pages are in-page (`#key--anchor`) and remembered, so that placing it only inserts
/// a file name where the target lands in another part; the root placeholder is still in, as
/// the depth of the file it goes to is not known yet. Independent of how the view is split,
/// so the memo holds it across builds whatever the split.
#[derive(Clone)]
pub(super) struct Rewritten {
    pub(super) html: Arc<str>,
    pub(super) links: Arc<[Link]>,
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
pub(super) fn place<'a>(
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
pub(super) fn placed_len<'a>(
    r: &Rewritten,
    root: &str,
    file_of: &dyn Fn(usize) -> Option<&'a str>,
) -> usize {
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
pub(super) fn rewrite_all(
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
}
