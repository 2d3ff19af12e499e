//! Where a search doc's body text is, read only when the doc is analysed. The text is the
//! rendered fragments' plain text: copied into every doc it would be a second, uncompressed
//! copy of the whole site's text wherever the fragments stay alive (`serve` keeps them), and
//! was most of `serve`'s memory beyond the build's.

use std::hash::{Hash, Hasher};
use std::ops::Range;
use std::sync::Arc;

use crate::render::markdown::Rendered;

#[derive(Clone, Default)]
pub enum Body {
    #[default]
    Empty,
    /// Text made for this doc alone.
    Owned(String),
    /// Whole fragments' plain text, each followed by a newline.
    Fragments(Vec<Arc<Rendered>>),
    /// Part of one fragment's plain text (a page's section), by byte range.
    Part(Arc<Rendered>, Range<usize>),
}

impl Body {
    /// Whether the text is the doc's own (else it points into fragments kept elsewhere).
    pub fn is_owned(&self) -> bool {
        matches!(self, Body::Empty | Body::Owned(_))
    }

    /// The text, unpacked.
    pub fn text(&self) -> String {
        match self {
            Body::Empty => String::new(),
            Body::Owned(s) => s.clone(),
            Body::Fragments(rs) => {
                let mut out = String::new();
                for r in rs {
                    out.push_str(&r.plain.get());
                    out.push('\n');
                }
                out
            }
            Body::Part(r, range) => r.plain.get().get(range.clone()).unwrap_or("").to_string(),
        }
    }
}

/// By what the text is made from, without unpacking it: a fragment's plain text is hashed in
/// its compressed form, which one text always compresses to.
impl Hash for Body {
    fn hash<H: Hasher>(&self, state: &mut H) {
        std::mem::discriminant(self).hash(state);
        match self {
            Body::Empty => {}
            Body::Owned(s) => s.hash(state),
            Body::Fragments(rs) => {
                for r in rs {
                    r.plain.hash(state);
                }
            }
            Body::Part(r, range) => {
                r.plain.hash(state);
                range.hash(state);
            }
        }
    }
}

impl std::fmt::Debug for Body {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&self.text(), f)
    }
}
