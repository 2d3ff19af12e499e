//! The walk over pulldown-cmark's events that `markdown::render` runs: one method per kind of
//! event (headings, links, code, raw HTML, images, text), each rewriting the event and recording
//! what the build needs (headings, links to check, plain text for search, diagnostics).

use std::collections::HashMap;
use std::ops::Range;

use pulldown_cmark::{CowStr, Event, HeadingLevel, LinkType, Parser, Tag, TagEnd};

use super::{
    DepKey, Fragment, Heading, LinkTarget, OutLink, Rendered, anchor_slug, escapes, href,
    is_external, mark_callouts, options, split_anchor,
};
use crate::diag::{Diagnostic, Overflow, Severity};
use crate::graph::{Graph, PathError};
use crate::render::ROOT_MARK;
use crate::render::highlight;
use crate::render::packed::Packed;
use crate::render::raw_html::{RawHtml, scheme_refused};
use crate::render::sanitize;

/// The state of one fragment's walk.
pub(super) struct Walk<'f, 'g, 'd> {
    frag: &'f Fragment<'f>,
    graph: &'g Graph,
    diags: &'d mut Vec<Diagnostic>,
    overflow: Overflow,
    events: Vec<Event<'f>>,
    out: Rendered,
    plain: String,
    ids: HashMap<String, usize>,
    /// The open heading: its index in `events`, an explicit `{#id}`, and its text so far.
    heading: Option<(usize, Option<String>, String)>,
    /// The open code block: its language and text so far.
    code: Option<(String, String)>,
    /// Wikilinks without display text: their text events are replaced by the target's title,
    /// which waits here until the link's start event is out.
    skip_link_text: bool,
    pending_title: Option<String>,
    highlight_budget: usize,
    /// The open HTML block, which arrives a line at a time.
    html_block: Option<RawHtml<'f>>,
    /// The first raw HTML of the fragment (where a whole-fragment problem is reported).
    raw_html: Option<(Range<usize>, String)>,
    /// Whether any raw HTML piece was refused already.
    raw_refused: bool,
    /// The inline raw HTML so far in the current block (paragraph, heading, cell...).
    inline_open: String,
}

/// What a link's destination turned into.
type LinkParts<'f> = (LinkType, CowStr<'f>, CowStr<'f>, CowStr<'f>);

impl<'f, 'g, 'd> Walk<'f, 'g, 'd> {
    pub(super) fn new(
        frag: &'f Fragment<'f>,
        graph: &'g Graph,
        diags: &'d mut Vec<Diagnostic>,
    ) -> Self {
        Walk {
            frag,
            graph,
            diags,
            overflow: Overflow::default(),
            events: Vec::new(),
            out: Rendered::default(),
            plain: String::new(),
            ids: HashMap::new(),
            heading: None,
            code: None,
            skip_link_text: false,
            pending_title: None,
            highlight_budget: highlight::PAGE_BUDGET,
            html_block: None,
            raw_html: None,
            raw_refused: false,
            inline_open: String::new(),
        }
    }

    pub(super) fn run(mut self) -> Rendered {
        let frag = self.frag;
        for (event, range) in Parser::new_ext(frag.text, options()).into_offset_iter() {
            if self.html_block.is_some() {
                self.in_html_block(event, range);
            } else if self.code.is_some() {
                self.in_code_block(event);
            } else {
                self.event(event, range);
            }
        }
        self.finish()
    }

    fn event(&mut self, event: Event<'f>, range: Range<usize>) {
        match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    pulldown_cmark::CodeBlockKind::Fenced(info) => {
                        info.split([' ', ',', '{']).next().unwrap_or("").to_string()
                    }
                    pulldown_cmark::CodeBlockKind::Indented => String::new(),
                };
                self.code = Some((lang, String::new()));
            }
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => {
                let shifted = (level as usize + self.frag.heading_shift as usize).min(6);
                let level = HeadingLevel::try_from(shifted).unwrap_or(HeadingLevel::H6);
                let explicit = id.as_deref().map(String::from);
                self.heading = Some((self.events.len(), explicit, String::new()));
                self.events.push(Event::Start(Tag::Heading {
                    level,
                    id: None,
                    classes,
                    attrs,
                }));
            }
            Event::End(TagEnd::Heading(_)) => {
                self.inline_open.clear();
                self.heading_end();
                self.events.push(event);
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let (link_type, dest_url, title, id) =
                    self.link((link_type, dest_url, title, id), range);
                self.events.push(Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                }));
                if let Some(t) = self.pending_title.take() {
                    self.plain.push_str(&t);
                    self.events.push(Event::Text(t.into()));
                    self.skip_link_text = true;
                }
            }
            Event::End(TagEnd::Link) => {
                self.skip_link_text = false;
                self.events.push(event);
            }
            Event::Text(_) | Event::Code(_) if self.skip_link_text => {}
            Event::Text(t) => {
                self.text(&t);
                self.events.push(Event::Text(t));
            }
            Event::Code(t) => {
                self.text(&t);
                self.events.push(Event::Code(t));
            }
            Event::Start(Tag::HtmlBlock) => self.html_block = Some(RawHtml::default()),
            Event::InlineHtml(h) => self.inline_html(h, range),
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url = if sanitize::url_allowed(&dest_url) {
                    dest_url
                } else {
                    let frag = self.frag;
                    self.overflow.report(self.diags, Severity::Error, || {
                        scheme_refused(frag, range.clone(), &dest_url, "image")
                    });
                    "#".into()
                };
                self.events.push(Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                }));
            }
            Event::SoftBreak | Event::HardBreak => {
                self.plain.push(' ');
                self.events.push(event);
            }
            Event::End(TagEnd::Paragraph)
            | Event::End(TagEnd::Item)
            | Event::End(TagEnd::TableCell) => {
                self.inline_open.clear();
                self.plain.push('\n');
                self.events.push(event);
            }
            other => self.events.push(other),
        }
    }

    /// Text goes to the open heading's title, or to the plain text for search.
    fn text(&mut self, t: &str) {
        match &mut self.heading {
            Some((_, _, h)) => h.push_str(t),
            None => self.plain.push_str(t),
        }
    }

    fn in_code_block(&mut self, event: Event<'f>) {
        let Some((lang, buf)) = &mut self.code else {
            return;
        };
        match event {
            Event::Text(t) => buf.push_str(&t),
            Event::End(TagEnd::CodeBlock) => {
                self.plain.push_str(buf);
                self.plain.push('\n');
                let html = highlight::code_block(lang, buf, &mut self.highlight_budget);
                self.events.push(Event::Html(html.into()));
                self.code = None;
            }
            _ => {}
        }
    }

    /// An HTML block is checked whole, since a tag may span lines (an event handler on the
    /// second line of a tag is still on that tag).
    fn in_html_block(&mut self, event: Event<'f>, range: Range<usize>) {
        match event {
            Event::Html(h) => {
                if let Some(block) = &mut self.html_block {
                    block.push(&h, range.start);
                }
            }
            Event::End(TagEnd::HtmlBlock) => {
                let block = self.html_block.take().unwrap_or_default();
                self.raw_html.get_or_insert_with(|| block.first());
                let keep = block.check("", self.frag, &mut self.overflow, self.diags);
                self.raw_refused |= !keep;
                self.events.push(Event::Start(Tag::HtmlBlock));
                for (piece, _) in block.pieces {
                    self.events.push(match keep {
                        true => Event::Html(piece),
                        false => Event::Text(piece),
                    });
                }
                self.events.push(Event::End(TagEnd::HtmlBlock));
            }
            _ => {}
        }
    }

    /// A tag is read inside the inline tags still open before it in the same block, so
    /// `<text>` after an inline `<svg>` is SVG text, not an unknown HTML element.
    fn inline_html(&mut self, h: CowStr<'f>, range: Range<usize>) {
        let mut raw = RawHtml::default();
        raw.push(&h, range.start);
        self.raw_html.get_or_insert_with(|| raw.first());
        let keep = raw.check(&self.inline_open, self.frag, &mut self.overflow, self.diags);
        self.raw_refused |= !keep;
        if keep {
            self.inline_open.push_str(&h);
            self.events.push(Event::InlineHtml(h));
        } else {
            self.events.push(Event::Text(h));
        }
    }

    /// Gives the closed heading its anchor (explicit, or from its text, unique on the page).
    fn heading_end(&mut self) {
        let Some((start, explicit, text)) = self.heading.take() else {
            return;
        };
        let base = explicit.unwrap_or_else(|| anchor_slug(&text));
        let base = match self.frag.anchor_prefix {
            Some(p) => format!("{p}-{base}"),
            None => base,
        };
        let n = self.ids.entry(base.clone()).or_insert(0);
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
        }) = self.events[start].clone()
        {
            self.events[start] = Event::Start(Tag::Heading {
                level,
                id: Some(id.clone().into()),
                classes,
                attrs,
            });
            let start = self.plain.len();
            self.plain.push_str(text.trim());
            self.out.headings.push(Heading {
                level: level as u8,
                id,
                text: text.trim().to_string(),
                plain: (start, self.plain.len()),
            });
            self.plain.push('\n');
        }
    }

    fn error(&mut self, range: &Range<usize>, token: &str, msg: String, hint: &str) {
        let frag = self.frag;
        self.overflow.report(self.diags, Severity::Error, || {
            frag.diag(range.clone(), token, msg).with_hint(hint)
        });
    }

    /// A link's destination as the page will have it: wikilinks and `.md` paths resolved to
    /// output URLs (and recorded for the anchor check), refused ones pointed at `#`.
    fn link(
        &mut self,
        (link_type, dest_url, title, id): LinkParts<'f>,
        range: Range<usize>,
    ) -> LinkParts<'f> {
        let dest = dest_url.to_string();
        let frag = self.frag;
        if !sanitize::url_allowed(&dest) {
            self.overflow.report(self.diags, Severity::Error, || {
                scheme_refused(frag, range.clone(), &dest, "link")
            });
            return (link_type, "#".into(), title, id);
        }
        if let LinkType::WikiLink { has_pothole } = link_type {
            return self.wikilink(&dest, has_pothole, (title, id), range);
        }
        if is_external(&dest) || dest.is_empty() {
            return (link_type, dest_url, title, id);
        }
        let (path, anchor) = split_anchor(&dest);
        if path.is_empty() {
            // In-page anchor: checked against this page's headings by the caller.
            if let Some(a) = anchor {
                self.out.links.push(OutLink {
                    target: LinkTarget::ThisPage,
                    anchor: Some(a.to_string()),
                    dep: None,
                    at: range.clone(),
                    token: dest.clone(),
                    message: format!("link `#{a}` points to a missing anchor on this page"),
                });
            }
            return (link_type, dest_url, title, id);
        }
        if path.ends_with(".md") {
            return match self.graph.page_by_path(&frag.source.path, path) {
                Ok(t) => {
                    let node = &self.graph.nodes[t];
                    let href = href(&node.url, anchor);
                    let message =
                        format!("link `{dest}` points to a missing anchor in {}", node.url);
                    let key = DepKey::Path(path.to_string());
                    self.out
                        .link(self.graph, key, t, anchor, (range, &dest), message);
                    (link_type, href.into(), title, id)
                }
                Err(PathError::Escapes) => {
                    let msg = format!("link `{dest}` points outside the project");
                    self.error(&range, &dest, msg, "link to pages inside content/ only");
                    (link_type, "#".into(), title, id)
                }
                Err(PathError::Missing(p)) => {
                    let msg = format!("link `{dest}` is broken: no page at {}", p.display());
                    let hint =
                        "relative links are resolved from the folder of the file that holds them";
                    self.error(&range, &dest, msg, hint);
                    (link_type, "#".into(), title, id)
                }
            };
        }
        if dest.starts_with('/')
            || dest.split('/').any(|s| s == "..") && escapes(&frag.source.path, path)
        {
            let msg = format!("link `{dest}` points outside the site");
            self.error(
                &range,
                &dest,
                msg,
                "use a path relative to this file, inside the project",
            );
            return (link_type, "#".into(), title, id);
        }
        (link_type, dest_url, title, id)
    }

    /// `[[id]]`, `[[id#anchor]]` and `[[id|text]]`: the target's URL, and its title as the
    /// text when the link has none.
    fn wikilink(
        &mut self,
        dest: &str,
        has_text: bool,
        (title, id): (CowStr<'f>, CowStr<'f>),
        range: Range<usize>,
    ) -> LinkParts<'f> {
        let (target_id, anchor) = split_anchor(dest);
        let frag = self.frag;
        let Some((t, earlier)) = self.graph.resolve_id(target_id) else {
            let graph = self.graph;
            self.overflow.report(self.diags, Severity::Error, || {
                frag.diag(
                    range.clone(),
                    target_id,
                    format!("`[[{dest}]]` links to an id that does not exist"),
                )
                .with_hint(graph.suggest(target_id))
            });
            return (LinkType::Inline, "#".into(), title, id);
        };
        let node = &self.graph.nodes[t];
        if earlier {
            self.overflow.report(self.diags, Severity::Warning, || {
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
        let message = format!("`[[{dest}]]` points to a missing anchor in {}", node.url);
        let key = DepKey::Id(target_id.to_string());
        self.out
            .link(self.graph, key, t, anchor, (range, dest), message);
        if !has_text {
            self.pending_title = Some(node.title.clone());
        }
        (LinkType::Inline, href.into(), node.title.clone().into(), id)
    }

    fn finish(mut self) -> Rendered {
        let mut events = std::mem::take(&mut self.events);
        mark_callouts(&mut events);
        let mut html = String::new();
        pulldown_cmark::html::push_html(&mut html, events.into_iter());
        // Raw HTML that passes piece by piece can still combine with the markup around it (an
        // attribute left open in one block and closed in another): the fragment as a browser
        // will see it must pass too. Only fragments with raw HTML pay for this second parse.
        if let Some((first, token)) = self.raw_html.take().filter(|_| !self.raw_refused)
            && let Some(f) = sanitize::check(&html)
        {
            let frag = self.frag;
            self.overflow.report(self.diags, Severity::Error, || {
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
        self.diags
            .extend(self.overflow.summary(&self.frag.source.path));
        let mut out = self.out;
        out.html = Packed::new(&html);
        out.plain = Packed::new(&self.plain);
        // Kept for the whole build, one per page: growth slack would be a third of the memory.
        out.headings.shrink_to_fit();
        out.links.shrink_to_fit();
        out.deps.shrink_to_fit();
        out
    }
}
