//! The print view: every page's article in reading order, with links between them turned into
//! in-page links and every id made unique by prefixing its page's key.
//!
//! A small site gets one `print.html`. Past [`PART_LIMIT`](policy::PART_LIMIT) (or `[wa] print-part-kb`) one page
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

mod file;
mod parts;
mod policy;
mod rewrite;

use std::collections::HashSet;
use std::sync::Arc;

use tera::Tera;

use crate::config::PrintPolicy;
use crate::diag::Diagnostics;
use crate::project::{OutFile, Project};
use crate::render::ROOT_MARK;
use crate::render::theme::{Theme, template_error};
use file::{out_file, render_file, single_size};
use parts::split;
use policy::part_limit;
pub use policy::{is_from_lenses, resolve};
pub use rewrite::PrintMemo;
use rewrite::{Rewritten, key, rewrite_all};

pub const ARTICLE_START: &str = "<!--wa:article-->";
pub const ARTICLE_END: &str = "<!--/wa:article-->";

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
