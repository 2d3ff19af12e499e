//! Markdown to HTML: `[[id]]` links, relative `.md` links rewritten to output URLs, heading
//! anchors, callouts and syntax highlighting. Internal links are written root-relative behind
//! [`ROOT_MARK`] and fixed up per output page, so one rendering serves every page that shows it.

use std::borrow::Cow;
use std::collections::HashMap;

use pulldown_cmark::{CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd};

use super::ROOT_MARK;
use super::highlight;
use super::packed::Packed;
use super::raw_html::{RawHtml, scheme_refused};
use super::sanitize;
use crate::diag::{Diagnostic, Overflow, Severity};
use crate::graph::{Graph, PathError};
use crate::source::SourceFile;

/// Where a fragment's text sits in its source file, for diagnostics.
#[derive(Debug, Clone, Copy)]
pub enum Origin<'a> {
    /// The fragment is `source.text[offset..]` verbatim (a page body).
    Direct(usize),
    /// The fragment is a YAML block scalar inside the object with this id; positions are found
    /// by searching for the offending token after that id.
    InYaml(&'a str),
}

pub struct Fragment<'a> {
    pub text: &'a str,
    pub source: &'a SourceFile,
    pub origin: Origin<'a>,
    /// Added to every heading level (lens fragments sit under h2/h3 on their page).
    pub heading_shift: u8,
    /// Prefixed to heading ids so several fragments can share a page.
    pub anchor_prefix: Option<&'a str>,
}

impl<'a> Fragment<'a> {
    /// A content page's body, as written.
    pub fn page_body(page: &'a crate::content::Page) -> Fragment<'a> {
        Fragment {
            text: page.body(),
            source: &page.source,
            origin: Origin::Direct(page.body_offset),
            heading_shift: 0,
            anchor_prefix: None,
        }
    }
}

/// Sections a fragment is split into for search, and entries in a page's contents list.
/// Each section is a search record, so without a limit a page of 200,000 one-line headings
/// wrote 12,000 index files; real pages have tens.
pub const MAX_SECTIONS: usize = 200;

#[derive(Debug, Clone, serde::Serialize)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub text: String,
    /// Where the heading's text sits in `Rendered::plain`, for splitting it into sections.
    #[serde(skip)]
    pub plain: (usize, usize),
}

/// A heading-delimited part of a fragment's text, for search.
#[derive(Debug, Clone)]
pub struct Section<'a> {
    pub heading: Option<&'a Heading>,
    pub text: &'a str,
}

/// A link to another node, checked once every page's anchors are known.
#[derive(Debug, Clone)]
pub struct OutLink {
    /// Node index, or `usize::MAX` for an anchor on the fragment's own page.
    pub target: usize,
    pub anchor: Option<String>,
    /// Which of [`Rendered::deps`] the target came from.
    pub dep: Option<usize>,
    /// Where the link sits in the fragment, and what to say if its anchor is missing; the
    /// diagnostic is built only then, against the fragment's current source.
    pub at: std::ops::Range<usize>,
    pub token: String,
    pub message: String,
}

/// How a link named its target.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum DepKey {
    /// `[[ID]]`
    Id(String),
    /// A relative `.md` path, resolved from the fragment's source file.
    Path(String),
}

/// A target the HTML was made from: what of it ended up in the HTML, so a cached fragment can
/// be reused exactly when every target still looks the same.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dep {
    pub key: DepKey,
    pub url: String,
    pub anchor: Option<String>,
    pub title: String,
}

impl DepKey {
    pub fn resolve(&self, graph: &Graph, source: &std::path::Path) -> Option<usize> {
        match self {
            DepKey::Id(id) => graph.resolve_id(id).map(|(i, _)| i),
            DepKey::Path(p) => graph.page_by_path(source, p).ok(),
        }
    }
}

fn dep(graph: &Graph, key: DepKey, t: usize) -> Dep {
    let n = &graph.nodes[t];
    Dep {
        key,
        url: n.url.clone(),
        anchor: n.anchor.clone(),
        title: n.title.clone(),
    }
}

#[derive(Debug, Default, Clone)]
pub struct Rendered {
    /// The HTML, compressed: it waits from the markdown stage until its page is written.
    pub html: Packed,
    pub headings: Vec<Heading>,
    pub links: Vec<OutLink>,
    /// Text without markup, for search and descriptions (compressed like `html`).
    pub plain: Packed,
    pub deps: Vec<Dep>,
}

fn href(url: &str, anchor: Option<&str>) -> String {
    match anchor {
        Some(a) => format!("{ROOT_MARK}{url}#{a}"),
        None => format!("{ROOT_MARK}{url}"),
    }
}

impl Rendered {
    /// Records a link to node `t` (named by `key`), for the anchor check and for reuse.
    fn link(
        &mut self,
        graph: &Graph,
        key: DepKey,
        t: usize,
        anchor: Option<&str>,
        (at, token): (std::ops::Range<usize>, &str),
        message: String,
    ) {
        self.links.push(OutLink {
            target: t,
            anchor: anchor.map(String::from),
            dep: Some(self.deps.len()),
            at,
            token: token.to_string(),
            message,
        });
        self.deps.push(dep(graph, key, t));
    }

    /// The targets of `deps` in `graph`, if every one still resolves to a node that looks as it
    /// did when this fragment was rendered.
    pub fn targets_in(&self, graph: &Graph, source: &std::path::Path) -> Option<Vec<usize>> {
        self.deps
            .iter()
            .map(|d| {
                let t = d.key.resolve(graph, source)?;
                (dep(graph, d.key.clone(), t) == *d).then_some(t)
            })
            .collect()
    }

    /// Splits the text at headings of level `max_level` or above (after shifting): the text
    /// before the first such heading, then one section per heading, at most [`MAX_SECTIONS`]
    /// of them (the last holds the rest of the text).
    /// `plain` is this fragment's [`Rendered::plain`], unpacked.
    pub fn sections<'a>(&'a self, plain: &'a str, max_level: u8) -> Vec<Section<'a>> {
        let cuts: Vec<&Heading> = self
            .headings
            .iter()
            .filter(|h| h.level <= max_level)
            .take(MAX_SECTIONS)
            .collect();
        let mut out = Vec::with_capacity(cuts.len() + 1);
        let first_end = cuts.first().map_or(plain.len(), |h| h.plain.0);
        out.push(Section {
            heading: None,
            text: plain[..first_end].trim(),
        });
        for (i, h) in cuts.iter().enumerate() {
            let end = cuts.get(i + 1).map_or(plain.len(), |n| n.plain.0);
            out.push(Section {
                heading: Some(h),
                text: plain[h.plain.1..end].trim(),
            });
        }
        out
    }
}

pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_WIKILINKS
        | Options::ENABLE_GFM
}

/// Makes an anchor from heading text: lowercase alphanumerics, other runs become `-`.
pub fn anchor_slug(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut dash = false;
    for c in text.chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
            dash = false;
        } else if !dash && !out.is_empty() {
            out.push('-');
            dash = true;
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    if out.is_empty() {
        "section".into()
    } else {
        out
    }
}

fn is_external(dest: &str) -> bool {
    dest.contains("://")
        || dest.starts_with("mailto:")
        || dest.starts_with("tel:")
        || dest.starts_with("//")
}

impl Fragment<'_> {
    pub(crate) fn diag(
        &self,
        range: std::ops::Range<usize>,
        token: &str,
        msg: String,
    ) -> Diagnostic {
        let src = self.source;
        match self.origin {
            Origin::Direct(base) => Diagnostic::error(msg).at(
                &src.path,
                &src.text,
                base + range.start,
                range.len().max(1),
            ),
            Origin::InYaml(owner) => src.error_in(owner, token, msg),
        }
    }
}

pub fn render(frag: &Fragment, graph: &Graph, diags: &mut Vec<Diagnostic>) -> Rendered {
    let parser = Parser::new_ext(frag.text, options()).into_offset_iter();
    let mut events: Vec<Event> = Vec::new();
    let mut out = Rendered::default();
    let (mut html, mut plain) = (String::new(), String::new());
    let mut ids: HashMap<String, usize> = HashMap::new();
    // The open heading: its index in `events`, an explicit `{#id}`, and its text so far.
    let mut heading: Option<(usize, Option<String>, String)> = None;
    let mut code: Option<(String, String)> = None;
    // Wikilinks without display text: their text events are replaced by the target's title.
    let mut skip_link_text = false;
    let mut overflow = Overflow::default();
    let mut highlight_budget = highlight::PAGE_BUDGET;
    let mut html_block: Option<RawHtml> = None;
    // The first raw HTML of the fragment (where a whole-fragment problem is reported) and
    // whether any piece was refused already.
    let mut raw_html: Option<(std::ops::Range<usize>, String)> = None;
    let mut raw_refused = false;
    // The inline raw HTML so far in the current block (paragraph, heading, cell...).
    let mut inline_open = String::new();

    for (event, range) in parser {
        // An HTML block arrives a line at a time: it is checked whole, since a tag may span
        // lines (an event handler on the second line of a tag is still on that tag).
        if let Some(block) = &mut html_block {
            match event {
                Event::Html(h) => block.push(&h, range.start),
                Event::End(TagEnd::HtmlBlock) => {
                    let block = html_block.take().unwrap_or_default();
                    raw_html.get_or_insert_with(|| block.first());
                    let keep = block.check("", frag, &mut overflow, diags);
                    raw_refused |= !keep;
                    events.push(Event::Start(Tag::HtmlBlock));
                    for (piece, _) in block.pieces {
                        events.push(match keep {
                            true => Event::Html(piece),
                            false => Event::Text(piece),
                        });
                    }
                    events.push(Event::End(TagEnd::HtmlBlock));
                }
                _ => {}
            }
            continue;
        }
        if let Some((lang, buf)) = &mut code {
            match event {
                Event::Text(t) => buf.push_str(&t),
                Event::End(TagEnd::CodeBlock) => {
                    plain.push_str(buf);
                    plain.push('\n');
                    events.push(Event::Html(
                        highlight::code_block(lang, buf, &mut highlight_budget).into(),
                    ));
                    code = None;
                }
                _ => {}
            }
            continue;
        }
        match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    pulldown_cmark::CodeBlockKind::Fenced(info) => {
                        info.split([' ', ',', '{']).next().unwrap_or("").to_string()
                    }
                    pulldown_cmark::CodeBlockKind::Indented => String::new(),
                };
                code = Some((lang, String::new()));
            }
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => {
                let shifted = (level as usize + frag.heading_shift as usize).min(6);
                let level = HeadingLevel::try_from(shifted).unwrap_or(HeadingLevel::H6);
                heading = Some((events.len(), id.as_deref().map(String::from), String::new()));
                events.push(Event::Start(Tag::Heading {
                    level,
                    id: None,
                    classes,
                    attrs,
                }));
            }
            Event::End(TagEnd::Heading(_)) => {
                inline_open.clear();
                if let Some((start, explicit, text)) = heading.take() {
                    let base = explicit.unwrap_or_else(|| anchor_slug(&text));
                    let base = match frag.anchor_prefix {
                        Some(p) => format!("{p}-{base}"),
                        None => base,
                    };
                    let n = ids.entry(base.clone()).or_insert(0);
                    let id = if *n == 0 {
                        base.clone()
                    } else {
                        format!("{base}-{n}")
                    };
                    *n += 1;
                    if let Event::Start(Tag::Heading {
                        level,
                        classes,
                        attrs,
                        ..
                    }) = events[start].clone()
                    {
                        events[start] = Event::Start(Tag::Heading {
                            level,
                            id: Some(id.clone().into()),
                            classes,
                            attrs,
                        });
                        let start = plain.len();
                        plain.push_str(text.trim());
                        out.headings.push(Heading {
                            level: level as u8,
                            id,
                            text: text.trim().to_string(),
                            plain: (start, plain.len()),
                        });
                        plain.push('\n');
                    }
                }
                events.push(event);
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest = dest_url.to_string();
                if !sanitize::url_allowed(&dest) {
                    overflow.report(diags, Severity::Error, || {
                        scheme_refused(frag, range.clone(), &dest, "link")
                    });
                    events.push(Event::Start(Tag::Link {
                        link_type,
                        dest_url: "#".into(),
                        title,
                        id,
                    }));
                    continue;
                }
                if matches!(link_type, LinkType::WikiLink { .. }) {
                    let has_text = matches!(link_type, LinkType::WikiLink { has_pothole: true });
                    let (target_id, anchor) = split_anchor(&dest);
                    match graph.resolve_id(target_id) {
                        Some((t, earlier)) => {
                            let node = &graph.nodes[t];
                            if earlier {
                                overflow.report(diags, Severity::Warning, || {
                                    frag.diag(
                                        range.clone(),
                                        target_id,
                                        format!(
                                            "`[[{dest}]]` names an id from an earlier lens version; it now resolves to {}",
                                            node.id
                                        ),
                                    )
                                    .with_hint(format!("write `[[{}]]`", node.id))
                                    .into_warning()
                                });
                            }
                            let href = href(&node.url, anchor.or(node.anchor.as_deref()));
                            let message =
                                format!("`[[{dest}]]` points to a missing anchor in {}", node.url);
                            let key = DepKey::Id(target_id.to_string());
                            out.link(graph, key, t, anchor, (range.clone(), &dest), message);
                            events.push(Event::Start(Tag::Link {
                                link_type: LinkType::Inline,
                                dest_url: href.into(),
                                title: node.title.clone().into(),
                                id,
                            }));
                            if !has_text {
                                events.push(Event::Text(node.title.clone().into()));
                                plain.push_str(&node.title);
                                skip_link_text = true;
                            }
                        }
                        None => {
                            overflow.report(diags, Severity::Error, || {
                                frag.diag(
                                    range.clone(),
                                    target_id,
                                    format!("`[[{dest}]]` links to an id that does not exist"),
                                )
                                .with_hint(graph.suggest(target_id))
                            });
                            events.push(Event::Start(Tag::Link {
                                link_type: LinkType::Inline,
                                dest_url: "#".into(),
                                title,
                                id,
                            }));
                        }
                    }
                    continue;
                }
                if is_external(&dest) || dest.is_empty() {
                    events.push(Event::Start(Tag::Link {
                        link_type,
                        dest_url,
                        title,
                        id,
                    }));
                    continue;
                }
                let (path, anchor) = split_anchor(&dest);
                if path.is_empty() {
                    // In-page anchor: checked against this page's headings by the caller.
                    if let Some(a) = anchor {
                        out.links.push(OutLink {
                            target: usize::MAX,
                            anchor: Some(a.to_string()),
                            dep: None,
                            at: range.clone(),
                            token: dest.clone(),
                            message: format!("link `#{a}` points to a missing anchor on this page"),
                        });
                    }
                    events.push(Event::Start(Tag::Link {
                        link_type,
                        dest_url,
                        title,
                        id,
                    }));
                    continue;
                }
                if path.ends_with(".md") {
                    match graph.page_by_path(&frag.source.path, path) {
                        Ok(t) => {
                            let node = &graph.nodes[t];
                            let href = href(&node.url, anchor);
                            let message =
                                format!("link `{dest}` points to a missing anchor in {}", node.url);
                            let key = DepKey::Path(path.to_string());
                            out.link(graph, key, t, anchor, (range.clone(), &dest), message);
                            events.push(Event::Start(Tag::Link {
                                link_type,
                                dest_url: href.into(),
                                title,
                                id,
                            }));
                        }
                        Err(PathError::Escapes) => {
                            overflow.report(diags, Severity::Error, || {
                                frag.diag(
                                    range.clone(),
                                    &dest,
                                    format!("link `{dest}` points outside the project"),
                                )
                                .with_hint("link to pages inside content/ only")
                            });
                            events.push(Event::Start(Tag::Link {
                                link_type,
                                dest_url: "#".into(),
                                title,
                                id,
                            }));
                        }
                        Err(PathError::Missing(p)) => {
                            overflow.report(diags, Severity::Error, || {
                                frag.diag(range.clone(), &dest, format!("link `{dest}` is broken: no page at {}", p.display()))
                                    .with_hint("relative links are resolved from the folder of the file that holds them")
                            });
                            events.push(Event::Start(Tag::Link {
                                link_type,
                                dest_url: "#".into(),
                                title,
                                id,
                            }));
                        }
                    }
                    continue;
                }
                if dest.starts_with('/')
                    || dest.split('/').any(|s| s == "..") && escapes(&frag.source.path, path)
                {
                    overflow.report(diags, Severity::Error, || {
                        frag.diag(
                            range.clone(),
                            &dest,
                            format!("link `{dest}` points outside the site"),
                        )
                        .with_hint("use a path relative to this file, inside the project")
                    });
                    events.push(Event::Start(Tag::Link {
                        link_type,
                        dest_url: "#".into(),
                        title,
                        id,
                    }));
                    continue;
                }
                events.push(Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                }));
            }
            Event::End(TagEnd::Link) => {
                skip_link_text = false;
                events.push(event);
            }
            Event::Text(ref t) | Event::Code(ref t) if skip_link_text => {
                let _ = t;
            }
            Event::Text(t) => {
                match &mut heading {
                    Some((_, _, h)) => h.push_str(&t),
                    None => plain.push_str(&t),
                }
                events.push(Event::Text(t));
            }
            Event::Code(t) => {
                match &mut heading {
                    Some((_, _, h)) => h.push_str(&t),
                    None => plain.push_str(&t),
                }
                events.push(Event::Code(t));
            }
            Event::Start(Tag::HtmlBlock) => html_block = Some(RawHtml::default()),
            Event::InlineHtml(h) => {
                let mut raw = RawHtml::default();
                raw.push(&h, range.start);
                raw_html.get_or_insert_with(|| raw.first());
                // A tag is read inside the inline tags still open before it in the same block,
                // so `<text>` after an inline `<svg>` is SVG text, not an unknown HTML element.
                let keep = raw.check(&inline_open, frag, &mut overflow, diags);
                raw_refused |= !keep;
                if keep {
                    inline_open.push_str(&h);
                    events.push(Event::InlineHtml(h));
                } else {
                    events.push(Event::Text(h));
                }
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url = if sanitize::url_allowed(&dest_url) {
                    dest_url
                } else {
                    overflow.report(diags, Severity::Error, || {
                        scheme_refused(frag, range.clone(), &dest_url, "image")
                    });
                    "#".into()
                };
                events.push(Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                }));
            }
            Event::SoftBreak | Event::HardBreak => {
                plain.push(' ');
                events.push(event);
            }
            Event::End(TagEnd::Paragraph)
            | Event::End(TagEnd::Item)
            | Event::End(TagEnd::TableCell) => {
                inline_open.clear();
                plain.push('\n');
                events.push(event);
            }
            other => events.push(other),
        }
    }
    mark_callouts(&mut events);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    // Raw HTML that passes piece by piece can still combine with the markup around it (an
    // attribute left open in one block and closed in another): the fragment as a browser will
    // see it must pass too. Only fragments with raw HTML pay for this second parse.
    if let Some((first, token)) = raw_html.filter(|_| !raw_refused)
        && let Some(f) = sanitize::check(&html)
    {
        overflow.report(diags, Severity::Error, || {
            frag.diag(first, &token, format!("{}, once this fragment's raw HTML is put together with the markup around it", f.message))
                .with_hint("open and close each tag, attribute and comment inside one HTML block or inline tag")
        });
        html = html
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;");
    }
    // The HTML writer percent-encodes the root mark inside hrefs; turn it back.
    if html.contains("\"%1A/") {
        html = html.replace("\"%1A/", &format!("\"{ROOT_MARK}"));
    }
    diags.extend(overflow.summary(&frag.source.path));
    out.html = Packed::new(&html);
    out.plain = Packed::new(&plain);
    // Kept for the whole build, one per page: growth slack would be a third of the memory.
    out.headings.shrink_to_fit();
    out.links.shrink_to_fit();
    out.deps.shrink_to_fit();
    out
}

fn escapes(from: &std::path::Path, rel: &str) -> bool {
    let mut depth = from.parent().map_or(0, |p| p.components().count()) as i64;
    for seg in rel.split('/') {
        match seg {
            ".." => depth -= 1,
            "" | "." => {}
            _ => depth += 1,
        }
        if depth < 0 {
            return true;
        }
    }
    false
}

fn split_anchor(dest: &str) -> (&str, Option<&str>) {
    match dest.split_once('#') {
        Some((p, a)) => (p.trim(), Some(a.trim())),
        None => (dest.trim(), None),
    }
}

/// `> **Note:** ...` and GFM `> [!NOTE]` become `<blockquote class="callout note">`.
fn mark_callouts(events: &mut [Event]) {
    for i in 0..events.len() {
        let kind: Option<Cow<'static, str>> = match &events[i] {
            Event::Start(Tag::BlockQuote(Some(k))) => Some(format!("{k:?}").to_lowercase().into()),
            Event::Start(Tag::BlockQuote(None)) => {
                match (events.get(i + 1), events.get(i + 2), events.get(i + 3)) {
                    (
                        Some(Event::Start(Tag::Paragraph)),
                        Some(Event::Start(Tag::Strong)),
                        Some(Event::Text(t)),
                    ) => {
                        let word = t.trim_end_matches(':').to_ascii_lowercase();
                        ["note", "tip", "warning", "important", "caution"]
                            .contains(&word.as_str())
                            .then_some(Cow::Owned(word))
                    }
                    _ => None,
                }
            }
            _ => None,
        };
        if let Some(kind) = kind {
            events[i] = Event::Html(CowStr::from(format!(
                "<blockquote class=\"callout {kind}\">\n"
            )));
            // Find the matching end and close with a plain tag.
            let mut depth = 0;
            for e in events.iter_mut().skip(i + 1) {
                match e {
                    Event::Start(Tag::BlockQuote(_)) => depth += 1,
                    Event::End(TagEnd::BlockQuote(_)) if depth == 0 => {
                        *e = Event::Html("</blockquote>\n".into());
                        break;
                    }
                    Event::End(TagEnd::BlockQuote(_)) => depth -= 1,
                    _ => {}
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert_eq!(
            anchor_slug("Vector stores & hybrid retrieval"),
            "vector-stores-hybrid-retrieval"
        );
        assert_eq!(anchor_slug("  "), "section");
    }
}
