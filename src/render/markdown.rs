//! Markdown to HTML: `[[id]]` links, relative `.md` links rewritten to output URLs, heading
//! anchors, callouts and syntax highlighting. Internal links are written root-relative behind
//! [`ROOT_MARK`] and fixed up per output page, so one rendering serves every page that shows it.

use std::borrow::Cow;

use pulldown_cmark::{CowStr, Event, Options, Tag, TagEnd};

mod walk;

use super::ROOT_MARK;
use super::packed::Packed;
use crate::diag::Diagnostic;
use crate::graph::{Graph, NodeIx};
use crate::source::SourceFile;
use walk::Walk;

/// Where a fragment's text sits in its source file, for diagnostics.
#[derive(Debug, Clone, Copy)]
pub enum Origin<'a> {
    /// The fragment is `source.text[offset..]` verbatim (a page body).
    Direct(usize),
    /// The fragment is a YAML block scalar inside the object with this id; positions are found
    /// by searching for the offending token after that id.
    InYaml(&'a str),
}

#[derive(Clone, Copy)]
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

/// Where a link leads: what its anchor is checked against, and whether it cites a node.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkTarget {
    /// `#anchor` alone: an anchor on the page that shows the fragment. Such a link cites
    /// nothing, and the fragment does not know its node (the caller does).
    ThisPage,
    /// The node with this index in the graph (`[[id]]` or a relative `.md` link).
    Node(NodeIx),
}

impl LinkTarget {
    /// The node whose page the link leads to, for a link in a fragment of node `owner`.
    pub fn node(self, owner: NodeIx) -> NodeIx {
        match self {
            LinkTarget::ThisPage => owner,
            LinkTarget::Node(t) => t,
        }
    }

    /// The node the link cites (it lists the linking node under "cited by").
    pub fn cited(self) -> Option<NodeIx> {
        match self {
            LinkTarget::ThisPage => None,
            LinkTarget::Node(t) => Some(t),
        }
    }
}

/// A link to another node, checked once every page's anchors are known.
#[derive(Debug, Clone)]
pub struct OutLink {
    pub target: LinkTarget,
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
    pub fn resolve(&self, graph: &Graph, source: &std::path::Path) -> Option<NodeIx> {
        match self {
            DepKey::Id(id) => graph.resolve_id(id).map(|(i, _)| i),
            DepKey::Path(p) => graph.page_by_path(source, p).ok(),
        }
    }
}

fn dep(graph: &Graph, key: DepKey, t: NodeIx) -> Dep {
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
        t: NodeIx,
        anchor: Option<&str>,
        (at, token): (std::ops::Range<usize>, &str),
        message: String,
    ) {
        self.links.push(OutLink {
            target: LinkTarget::Node(t),
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
    pub fn targets_in(&self, graph: &Graph, source: &std::path::Path) -> Option<Vec<NodeIx>> {
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

/// Renders one fragment: HTML, plain text for search, headings, and the links to check.
pub fn render(frag: &Fragment, graph: &Graph, diags: &mut Vec<Diagnostic>) -> Rendered {
    Walk::new(frag, graph, diags).run()
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
