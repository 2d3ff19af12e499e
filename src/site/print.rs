//! `print.html`: every page's article in reading order on one page, with links between them
//! turned into in-page links and every id made unique by prefixing its page's key.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use rayon::prelude::*;
use std::sync::OnceLock;

use regex::Regex;
use tera::Tera;

use crate::diag::Diagnostics;
use crate::project::{OutFile, Project};
use crate::render::theme::{Theme, template_error};
use crate::render::{ROOT_MARK, fix_root};

pub const ARTICLE_START: &str = "<!--wa:article-->";
pub const ARTICLE_END: &str = "<!--/wa:article-->";

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

fn rewrite(article: &str, url: &str, printed: &HashSet<&str>) -> String {
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
    let s = link.replace_all(&s, |c: &regex::Captures| {
        let target = &c[1];
        if !printed.contains(target) {
            return c[0].to_string();
        }
        match c.get(2) {
            Some(a) => format!("href=\"#{}--{}\"", key(target), a.as_str()),
            None => format!("href=\"#{}\"", key(target)),
        }
    });
    s.into_owned()
}

/// Rewritten articles kept between builds (for `wa-docs serve`), valid while the set of
/// printed pages stays the same.
#[derive(Default)]
pub struct PrintMemo {
    printed: Vec<String>,
    sections: HashMap<String, (Arc<str>, Arc<str>)>,
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

pub fn print_page(
    project: &Project,
    files: &[OutFile],
    tera: &Tera,
    theme: &Theme,
    diags: &mut Diagnostics,
    memo: Option<&mut PrintMemo>,
) -> Option<OutFile> {
    let articles: Vec<(&str, &Arc<str>)> = files
        .iter()
        .filter_map(|f| f.article.as_ref().map(|a| (f.path.as_str(), a)))
        .collect();
    let printed: HashSet<&str> = articles.iter().map(|(u, _)| *u).collect();
    let mut fresh = PrintMemo {
        printed: articles.iter().map(|(u, _)| u.to_string()).collect(),
        sections: HashMap::new(),
    };
    let old = memo
        .as_deref()
        .filter(|m| m.printed == fresh.printed)
        .map(|m| &m.sections);
    let sections: Vec<(String, Arc<str>)> = articles
        .par_iter()
        .map(|(url, a)| {
            let html = match old.and_then(|m| m.get(*url)) {
                Some((was, html)) if was == *a => html.clone(),
                _ => fix_root(&rewrite(a, url, &printed), "print.html").into(),
            };
            (key(url), html)
        })
        .collect();
    let mut ctx = tera::Context::new();
    ctx.insert("site", &serde_json::json!({"title": project.config.book.title, "language": project.config.book.language}));
    ctx.insert("root", ROOT_MARK);
    ctx.insert("title", "All guidance");
    // With no sections the template may render differently (`{% if sections %}`): no splicing.
    let parts = if sections.is_empty() {
        Ok(None)
    } else {
        template_parts(tera, &mut ctx)
    };
    let html = match parts {
        // Sections are spliced in rather than passed through the template: on a large site the
        // page is tens of megabytes, and a template context would copy it several times.
        Ok(Some((head, each, tail))) => {
            let size = sections
                .iter()
                .map(|(_, h)| h.len() + each.len())
                .sum::<usize>();
            let mut out = String::with_capacity(head.len() + size + tail.len());
            out.push_str(&fix_root(&head, "print.html"));
            let each = fix_root(&each, "print.html");
            let (a, b) = each.split_once(KEY_MARK).unwrap_or((&each, ""));
            let (b, c) = b.split_once(HTML_MARK).unwrap_or((b, ""));
            for (k, h) in &sections {
                out.push_str(a);
                out.push_str(&crate::render::escape_html(k));
                out.push_str(b);
                out.push_str(h);
                out.push_str(c);
            }
            out.push_str(&fix_root(&tail, "print.html"));
            Ok(out)
        }
        Ok(None) => {
            let values: Vec<serde_json::Value> = sections
                .iter()
                .map(|(k, h)| serde_json::json!({"key": k, "html": &**h}))
                .collect();
            ctx.insert("sections", &values);
            tera.render("print.html", &ctx)
                .map(|h| fix_root(&h, "print.html"))
        }
        Err(e) => Err(e),
    };
    if let Some(m) = memo {
        for ((url, a), (_, h)) in articles.iter().zip(&sections) {
            fresh
                .sections
                .insert(url.to_string(), (Arc::clone(a), h.clone()));
        }
        *m = fresh;
    }
    match html {
        Ok(html) => Some(OutFile {
            path: "print.html".into(),
            bytes: html.into_bytes().into(),
            article: None,
        }),
        Err(e) => {
            diags.push(template_error(&e, &theme.origin("print.html"), None));
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_between_printed_pages_become_in_page() {
        let printed: HashSet<&str> = ["a/b.html", "c.html"].into_iter().collect();
        let html = "<h2 id=\"x\">X</h2><a href=\"\u{1a}/c.html#y\">c</a><a href=\"#x\">self</a><a href=\"\u{1a}/assets/z.css\">z</a>";
        let out = rewrite(html, "a/b.html", &printed);
        assert!(out.contains("id=\"a-b--x\""));
        assert!(out.contains("href=\"#c--y\""));
        assert!(out.contains("href=\"#a-b--x\""));
        assert!(out.contains("\u{1a}/assets/z.css"));
    }
}
