//! `print.html`: every page's article in reading order on one page, with links between them
//! turned into in-page links and every id made unique by prefixing its page's key.

use std::collections::HashSet;
use std::sync::OnceLock;

use regex::Regex;
use tera::Tera;

use super::{OutFile, Project};
use crate::diag::Diagnostics;
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

pub fn print_page(
    project: &Project,
    files: &[OutFile],
    tera: &Tera,
    theme: &Theme,
    diags: &mut Diagnostics,
) -> Option<OutFile> {
    let articles: Vec<(&str, &str)> = files
        .iter()
        .filter_map(|f| f.article.as_deref().map(|a| (f.path.as_str(), a)))
        .collect();
    let printed: HashSet<&str> = articles.iter().map(|(u, _)| *u).collect();
    let sections: Vec<serde_json::Value> = articles
        .iter()
        .map(|(url, a)| serde_json::json!({"key": key(url), "html": rewrite(a, url, &printed)}))
        .collect();
    let mut ctx = tera::Context::new();
    ctx.insert("site", &serde_json::json!({"title": project.config.book.title, "language": project.config.book.language}));
    ctx.insert("root", ROOT_MARK);
    ctx.insert("title", "All guidance");
    ctx.insert("sections", &sections);
    match tera.render("print.html", &ctx) {
        Ok(html) => Some(OutFile {
            path: "print.html".into(),
            bytes: fix_root(&html, "print.html").into_bytes(),
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
