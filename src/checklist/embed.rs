//! The embeddable page: one self-contained HTML file (inline CSS, script and data; no request
//! to anything) for an `<iframe>` or a wiki's HTML macro. Links are absolute when the site has
//! `site-url`. The script keeps the page's own saved state, like the site's checklist page.

use super::{Checklist, html};
use crate::render::escape_html as esc;
use crate::render::theme::Theme;

/// The theme's stylesheets and checklist script, inlined into every embeddable page.
#[derive(Debug, Clone, Default)]
pub struct Assets {
    pub css: String,
    pub js: String,
}

impl Assets {
    pub fn from_theme(theme: &Theme) -> Assets {
        let file = |k: &str| {
            theme
                .files
                .get(k)
                .map(|f| String::from_utf8_lossy(&f.bytes).into_owned())
                .unwrap_or_default()
        };
        Assets {
            css: format!(
                "{}\n{}",
                file("static/wa.css"),
                file("static/checklist.css")
            ),
            js: file("static/checklist.js"),
        }
    }
}

/// Text that cannot close the element it is inlined into (`</style`, `</script`, `<!--`).
fn inline(text: &str, element: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let lower = text.to_ascii_lowercase();
    let close = format!("</{element}");
    let mut i = 0;
    while let Some(at) = lower[i..].find(&close) {
        out.push_str(&text[i..i + at]);
        out.push_str("<\\/");
        i += at + 2;
    }
    out.push_str(&text[i..]);
    out.replace("<!--", "<\\!--")
}

pub fn render(cl: &Checklist, assets: &Assets) -> String {
    let mut meta = vec![
        format!(
            "{}: <a href=\"{}\">{}</a>",
            cl.kind_label(),
            esc(&cl.source_url),
            esc(&cl.title)
        ),
        esc(&cl.lens_summary()),
        esc(&cl.count_label()),
    ];
    meta.retain(|m| !m.is_empty());
    let description = cl
        .description
        .as_ref()
        .map(|d| format!("<p class=\"lede\">{}</p>\n", esc(d)))
        .unwrap_or_default();
    format!(
        r#"<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>{title} · {site}</title>
<style>
{css}
</style>
</head>
<body class="cl-embed">
<main id="main">
<header class="page-head">
<p class="kind">Checklist · {site}</p>
<h1>{title}</h1>
{description}<p class="cl-meta">{meta}</p>
</header>
{toolbar}{list}{data}</main>
<script>
{js}
</script>
</body>
</html>
"#,
        lang = esc(&cl.site.language),
        title = esc(&cl.title),
        site = esc(&cl.site.title),
        css = inline(&assets.css, "style"),
        meta = meta.join(" · "),
        toolbar = html::toolbar(cl),
        list = html::list(cl, &|u| u.to_string()),
        data = html::data(cl),
        js = inline(&assets.js, "script"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inlined_text_cannot_close_its_element() {
        assert_eq!(inline("a</SCRIPT>b", "script"), "a<\\/SCRIPT>b");
        assert_eq!(inline("x<!--y", "style"), "x<\\!--y");
    }
}
