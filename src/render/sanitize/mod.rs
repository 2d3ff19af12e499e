//! Raw HTML in markdown is checked by a real sanitizer, never by string matching.
//!
//! [ammonia] (on html5ever, the parser browsers' behaviour is specified against) cleans the HTML
//! with an allow-list of elements, attributes and URL schemes. Nothing it would change is ever
//! dropped silently: the author's HTML and the sanitizer's output are parsed into trees the same
//! way and compared node by node; the first difference is the problem reported, with the element
//! or attribute it concerns and where it stands in the source. HTML that passes is kept byte for
//! byte, since cleaning it would give the same tree.
//!
//! The allow-list (also in the README, "Raw HTML"): text-level and block elements, tables,
//! `details`/`summary`, `figure`, images (http, https or relative sources), and the SVG elements
//! and presentation attributes diagrams are drawn with. Refused: scripts and event handlers,
//! frames, `object`/`embed`, forms and inputs other than read-only checkboxes, `meta`, `base`,
//! `link`, `style` elements and attributes (but for `text-align`, which markdown tables emit),
//! `data-*` attributes (the theme's scripts read some), MathML, SVG animation and `use`, and
//! every URL scheme but http, https and mailto. `data:` URLs are refused too, images included:
//! an image file in the project is cached, checked and deduplicated like any other asset, and an
//! SVG `data:` image opened on its own runs script.

use std::borrow::Cow;
use std::collections::HashSet;
use std::sync::LazyLock;

use html5ever::tendril::TendrilSink;
use html5ever::{QualName, local_name, ns, parse_fragment};
use markup5ever_rcdom::{Handle, NodeData, RcDom};

pub use crate::safe_url::{URL_SCHEMES, url_allowed};

#[rustfmt::skip]
const HTML_TAGS: &[&str] = &[
    "a", "abbr", "article", "aside", "b", "bdi", "bdo", "blockquote", "br", "caption", "cite",
    "code", "col", "colgroup", "data", "dd", "del", "details", "dfn", "div", "dl", "dt", "em",
    "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr",
    "i", "img", "input", "ins", "kbd", "li", "mark", "ol", "p", "picture", "pre", "q", "rp", "rt",
    "ruby", "s", "samp", "section", "small", "source", "span", "strong", "sub", "summary", "sup",
    "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u", "ul", "var", "wbr",
];

/// Static SVG only: shapes, text and markers. No `use`, `image`, `foreignObject` or animation.
#[rustfmt::skip]
const SVG_TAGS: &[&str] = &[
    "svg", "g", "defs", "marker", "title", "desc", "rect", "circle", "ellipse", "line", "polyline",
    "polygon", "path", "text", "tspan", "linearGradient", "radialGradient", "stop", "clipPath",
];

#[rustfmt::skip]
const GENERIC_ATTRIBUTES: &[&str] = &[
    "class", "id", "title", "lang", "dir", "role", "hidden", "tabindex", "translate",
];

/// Per element (for SVG, on every SVG element: the parser has put them in the SVG namespace).
const TAG_ATTRIBUTES: &[(&str, &[&str])] = &[
    (
        "a",
        &["href", "hreflang", "rel", "target", "download", "type"],
    ),
    (
        "img",
        &[
            "src", "srcset", "sizes", "alt", "width", "height", "loading", "decoding",
        ],
    ),
    (
        "source",
        &["srcset", "sizes", "media", "type", "width", "height"],
    ),
    ("input", &["type", "checked", "disabled"]),
    ("ol", &["start", "reversed", "type"]),
    ("li", &["value"]),
    ("details", &["open", "name"]),
    ("td", &["colspan", "rowspan", "headers", "style"]),
    (
        "th",
        &["colspan", "rowspan", "headers", "scope", "abbr", "style"],
    ),
    ("col", &["span"]),
    ("colgroup", &["span"]),
    ("time", &["datetime"]),
    ("data", &["value"]),
    ("del", &["cite", "datetime"]),
    ("ins", &["cite", "datetime"]),
    ("blockquote", &["cite"]),
    ("q", &["cite"]),
    ("table", &["summary"]),
];

#[rustfmt::skip]
const SVG_ATTRIBUTES: &[&str] = &[
    "viewBox", "width", "height", "x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "rx", "ry",
    "d", "points", "dx", "dy", "fill", "fill-opacity", "fill-rule", "stroke", "stroke-width",
    "stroke-dasharray", "stroke-linecap", "stroke-linejoin", "stroke-opacity", "opacity",
    "font-family", "font-size", "font-weight", "font-style", "text-anchor", "dominant-baseline",
    "transform", "marker-start", "marker-mid", "marker-end", "markerWidth", "markerHeight",
    "markerUnits", "refX", "refY", "orient", "preserveAspectRatio", "xmlns", "focusable", "offset",
    "stop-color", "stop-opacity", "gradientUnits", "clip-path", "letter-spacing",
];

#[rustfmt::skip]
const ARIA_ATTRIBUTES: &[&str] = &[
    "aria-label", "aria-labelledby", "aria-describedby", "aria-hidden", "aria-level",
];

/// The one sanitizer of the build.
static SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut b = ammonia::Builder::empty();
    let mut tags: HashSet<&str> = HTML_TAGS.iter().copied().collect();
    tags.extend(SVG_TAGS);
    b.tags(tags)
        .clean_content_tags(["script", "style"].into_iter().collect())
        .generic_attributes(
            GENERIC_ATTRIBUTES
                .iter()
                .chain(ARIA_ATTRIBUTES)
                .copied()
                .collect(),
        )
        .tag_attributes(
            TAG_ATTRIBUTES
                .iter()
                .map(|(t, a)| (*t, a.iter().copied().collect()))
                .chain(
                    SVG_TAGS
                        .iter()
                        .map(|t| (*t, SVG_ATTRIBUTES.iter().copied().collect())),
                )
                .collect(),
        )
        .url_schemes(URL_SCHEMES.into_iter().collect())
        .url_relative(ammonia::UrlRelative::PassThrough)
        .link_rel(None)
        .strip_comments(false)
        .filter_style_properties(["text-align"].into_iter().collect())
        .attribute_filter(attribute_value);
    b
});

/// Values the allow-list admits by name but not by content.
fn attribute_value<'v>(element: &str, attribute: &str, value: &'v str) -> Option<Cow<'v, str>> {
    let keep = match attribute {
        // SVG paint and markers may point into the same picture (`url(#arrow)`), nowhere else.
        _ if value.contains("url(") || value.contains("URL(") => {
            let v = value.trim();
            v.strip_prefix("url(#")
                .and_then(|rest| rest.strip_suffix(')'))
                .is_some_and(|id| {
                    !id.is_empty()
                        && id
                            .bytes()
                            .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_')
                })
        }
        // Read-only task-list boxes, as markdown makes them; no text fields or buttons.
        "type" if element == "input" => value.eq_ignore_ascii_case("checkbox"),
        "target" => matches!(value, "_blank" | "_self"),
        // A relative `srcset` candidate is a URL ammonia does not look into.
        "srcset" => value
            .split(',')
            .all(|c| url_allowed(c.split_whitespace().next().unwrap_or(""))),
        _ => true,
    };
    keep.then_some(Cow::Borrowed(value))
}

/// Something the sanitizer would change, and where in the checked text it starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Byte offset into the checked HTML (best effort: the tag or attribute name).
    pub offset: usize,
    /// The offending token as the author wrote it, e.g. `<iframe` or `onerror`.
    pub token: String,
    pub message: String,
}

/// How deep raw HTML may nest. The HTML parser checks each tag against the elements open around
/// it, so time grows with tags times depth: 200,000 nested `div`s would take minutes. Real
/// pages nest a few dozen deep.
pub const MAX_DEPTH: usize = 256;

/// Where a quick scan of the tags finds `html` nested deeper than [`MAX_DEPTH`], if it does. An
/// estimate that errs high (implicitly closed elements count as open), never low.
fn too_deep(html: &str) -> Option<usize> {
    const VOID: &[&str] = &[
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr", "param",
    ];
    let bytes = html.as_bytes();
    let mut depth = 0usize;
    for at in memchr::memchr_iter(b'<', bytes) {
        let rest = &bytes[at + 1..];
        let closing = rest.first() == Some(&b'/');
        let name_start = usize::from(closing);
        let name_len = rest[name_start..]
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric() || **c == b'-')
            .count();
        if name_len == 0 || !rest[name_start].is_ascii_alphabetic() {
            continue;
        }
        let name = std::str::from_utf8(&rest[name_start..name_start + name_len])
            .unwrap_or("")
            .to_ascii_lowercase();
        if closing {
            depth = depth.saturating_sub(1);
        } else if !VOID.contains(&name.as_str()) {
            depth += 1;
            if depth > MAX_DEPTH {
                return Some(at);
            }
        }
    }
    None
}

/// `None` when the sanitizer keeps `html` exactly; otherwise the first thing it would change.
pub fn check(html: &str) -> Option<Finding> {
    if let Some(offset) = too_deep(html) {
        return Some(Finding {
            offset,
            token: html[offset..]
                .chars()
                .take_while(|c| !c.is_whitespace() && *c != '>')
                .collect(),
            message: format!("raw HTML: elements nest more than {MAX_DEPTH} deep here"),
        });
    }
    let cleaned = SANITIZER.clean(html).to_string();
    let (before, after) = (parse(html), parse(&cleaned));
    let diff = first_difference(&before.document, &after.document)?;
    Some(locate(html, diff))
}

/// The tree of a fragment as ammonia parses it (in a `div`). The tree lives as long as the
/// `RcDom`: dropping it empties every node's children.
fn parse(html: &str) -> RcDom {
    parse_fragment(
        RcDom::default(),
        Default::default(),
        QualName::new(None, ns!(html), local_name!("div")),
        vec![],
        false,
    )
    .one(html)
}

/// What differs between the author's tree and the cleaned one.
#[derive(Debug)]
enum Difference {
    Element {
        name: String,
    },
    Attribute {
        element: String,
        name: String,
        value: String,
    },
    Other {
        what: String,
    },
}

/// The first difference in document order. Iterative: a fragment may nest tags thousands deep,
/// and a recursive walk would overflow the stack on it.
fn first_difference(a: &Handle, b: &Handle) -> Option<Difference> {
    enum Task {
        Compare(Handle, Handle),
        /// The author's node the cleaned tree has nothing for.
        Missing(Handle),
        /// The cleaned tree has nodes after the author's last one.
        Extra,
    }
    let mut stack = vec![Task::Compare(a.clone(), b.clone())];
    while let Some(task) = stack.pop() {
        let (a, b) = match task {
            Task::Compare(a, b) => (a, b),
            Task::Missing(child) => {
                return Some(match &child.data {
                    NodeData::Element { name, .. } => Difference::Element {
                        name: name.local.to_string(),
                    },
                    _ => Difference::Other {
                        what: "content".into(),
                    },
                });
            }
            Task::Extra => {
                return Some(Difference::Other {
                    what: "content".into(),
                });
            }
        };
        if let Some(d) = node_difference(&a, &b) {
            return Some(d);
        }
        let (ca, cb) = (a.children.borrow(), b.children.borrow());
        // Pushed in reverse, so children are compared first to last, then the lengths.
        match ca.len().cmp(&cb.len()) {
            std::cmp::Ordering::Greater => stack.push(Task::Missing(ca[cb.len()].clone())),
            std::cmp::Ordering::Less => stack.push(Task::Extra),
            std::cmp::Ordering::Equal => {}
        }
        for (x, y) in ca.iter().zip(cb.iter()).rev() {
            stack.push(Task::Compare(x.clone(), y.clone()));
        }
    }
    None
}

/// How two nodes differ in themselves (name, attributes, text), children aside.
fn node_difference(a: &Handle, b: &Handle) -> Option<Difference> {
    match (&a.data, &b.data) {
        (
            NodeData::Element {
                name: na,
                attrs: aa,
                ..
            },
            NodeData::Element {
                name: nb,
                attrs: ab,
                ..
            },
        ) => {
            if na != nb {
                return Some(Difference::Element {
                    name: na.local.to_string(),
                });
            }
            let (aa, ab) = (aa.borrow(), ab.borrow());
            for attr in aa.iter() {
                let kept = ab.iter().find(|x| x.name == attr.name);
                if kept.is_none_or(|k| !same_value(&attr.name.local, &k.value, &attr.value)) {
                    return Some(Difference::Attribute {
                        element: na.local.to_string(),
                        name: attr_name(&attr.name),
                        value: attr.value.to_string(),
                    });
                }
            }
            None
        }
        (NodeData::Element { name, .. }, _) => Some(Difference::Element {
            name: name.local.to_string(),
        }),
        (NodeData::Text { contents: ta }, NodeData::Text { contents: tb }) => {
            (*ta.borrow() != *tb.borrow()).then(|| Difference::Other {
                what: "text".into(),
            })
        }
        (NodeData::Comment { contents: ca }, NodeData::Comment { contents: cb }) if ca == cb => {
            None
        }
        (NodeData::Comment { .. }, _) => Some(Difference::Other {
            what: "a comment".into(),
        }),
        (NodeData::Document, NodeData::Document) => None,
        _ => Some(Difference::Other {
            what: "markup".into(),
        }),
    }
}

/// ammonia rewrites a kept `style` without spaces (`text-align:right`): the same declarations.
fn same_value(name: &str, kept: &str, written: &str) -> bool {
    if name != "style" {
        return kept == written;
    }
    let squeeze = |s: &str| -> String {
        s.chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .trim_end_matches(';')
            .to_string()
    };
    squeeze(kept) == squeeze(written)
}

fn attr_name(name: &QualName) -> String {
    match &name.prefix {
        Some(p) => format!("{p}:{}", name.local),
        None => name.local.to_string(),
    }
}

fn is_url_attribute(name: &str) -> bool {
    matches!(
        name,
        "href"
            | "src"
            | "xlink:href"
            | "action"
            | "formaction"
            | "data"
            | "poster"
            | "ping"
            | "srcset"
    )
}

fn locate(html: &str, diff: Difference) -> Finding {
    let lower = html.to_ascii_lowercase();
    match diff {
        Difference::Element { name } => {
            let needle = format!("<{}", name.to_ascii_lowercase());
            let offset = find_tag(&lower, &needle).unwrap_or(0);
            let token = html[offset..]
                .chars()
                .take(needle.chars().count())
                .collect();
            let why = element_reason(&name);
            Finding {
                offset,
                token,
                message: format!("raw HTML: `<{name}>` is not allowed{why}"),
            }
        }
        Difference::Attribute {
            element,
            name,
            value,
        } => {
            let offset = find_attribute(&lower, &element, &name.to_ascii_lowercase()).unwrap_or(0);
            let token = html[offset..].chars().take(name.chars().count()).collect();
            let message = if is_url_attribute(&name) && !url_allowed(&value) {
                let shown: String = value.chars().take(40).collect();
                format!(
                    "raw HTML: `{name}` on `<{element}>` holds the URL `{}`, whose scheme is not allowed (allowed: {}, or a relative URL)",
                    shown.escape_debug(),
                    URL_SCHEMES.join(", ")
                )
            } else if name.starts_with("on") {
                format!("raw HTML: the event handler `{name}` on `<{element}>` would run script")
            } else if GENERIC_ATTRIBUTES.contains(&name.as_str())
                || TAG_ATTRIBUTES
                    .iter()
                    .any(|(t, a)| *t == element && a.contains(&name.as_str()))
                || SVG_ATTRIBUTES.contains(&name.as_str())
            {
                let shown: String = value.chars().take(40).collect();
                format!(
                    "raw HTML: the value `{}` of `{name}` on `<{element}>` is not allowed",
                    shown.escape_debug()
                )
            } else {
                format!("raw HTML: the attribute `{name}` on `<{element}>` is not allowed")
            };
            Finding {
                offset,
                token,
                message,
            }
        }
        Difference::Other { what } => Finding {
            offset: 0,
            token: html.chars().take(20).collect(),
            message: format!("raw HTML: the sanitizer would change {what} here"),
        },
    }
}

fn element_reason(name: &str) -> &'static str {
    match name {
        "script" | "noscript" => " (pages never run script from their sources)",
        "iframe" | "frame" | "frameset" | "object" | "embed" | "portal" => {
            " (no embedded frames or plugins)"
        }
        "form" | "button" | "select" | "textarea" | "input" => " (no forms or form fields)",
        "meta" | "base" | "link" | "style" => {
            " (pages may not change the document's head, base URL or styles)"
        }
        "math" => " (MathML is not on the allow-list)",
        "use" | "image" | "foreignObject" | "animate" | "set" | "animateTransform"
        | "animateMotion" => " (SVG that loads, embeds or animates content is not allowed)",
        _ => "",
    }
}

/// The first `<name` that is followed by the end of the tag name.
fn find_tag(lower: &str, needle: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = lower[from..].find(needle) {
        let at = from + i;
        let next = lower.as_bytes().get(at + needle.len());
        if next.is_none_or(|c| c.is_ascii_whitespace() || matches!(c, b'/' | b'>')) {
            return Some(at);
        }
        from = at + needle.len();
    }
    None
}

/// The attribute's name inside a tag of `element` (or anywhere, if that fails).
fn find_attribute(lower: &str, element: &str, name: &str) -> Option<usize> {
    let start = find_tag(lower, &format!("<{}", element.to_ascii_lowercase())).unwrap_or(0);
    find_attribute_from(lower, start, name).or_else(|| find_attribute_from(lower, 0, name))
}

/// The first `name` at or after `from` that stands where an attribute name can.
fn find_attribute_from(lower: &str, mut from: usize, name: &str) -> Option<usize> {
    let bytes = lower.as_bytes();
    while let Some(i) = lower[from..].find(name) {
        let at = from + i;
        let before = at.checked_sub(1).map(|j| bytes[j]);
        let after = bytes.get(at + name.len());
        if before.is_some_and(|c| c.is_ascii_whitespace() || matches!(c, b'/' | b'"' | b'\''))
            && after.is_none_or(|c| c.is_ascii_whitespace() || matches!(c, b'=' | b'/' | b'>'))
        {
            return Some(at);
        }
        from = at + name.len();
    }
    None
}

#[cfg(test)]
mod tests;
