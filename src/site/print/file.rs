//! One print view file: the print template cut around its sections, so that rewritten articles
//! are spliced in (or, when the template will not cut, passed through it), and its size.

use tera::Tera;

use super::rewrite::{Rewritten, place, placed_len};
use crate::project::OutFile;
use crate::render::{escape_html, fix_root};
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
pub(super) struct Spliced {
    pub(super) head: String,
    a: String,
    b: String,
    c: String,
    pub(super) tail: String,
}

impl Spliced {
    pub(super) fn each_len(&self, key: &str) -> usize {
        self.a.len() + self.b.len() + self.c.len() + escape_html(key).len()
    }
}

pub(super) fn splice(
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
pub(super) fn render_file<'a>(
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

/// The size of the print view as one `print.html`, found without building it. A template that
/// cannot be spliced is measured by its articles alone.
pub(super) fn single_size(
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

pub(super) fn out_file(path: String, html: String) -> OutFile {
    OutFile {
        path,
        bytes: html.into_bytes().into(),
        article: None,
    }
}
