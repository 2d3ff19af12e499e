//! Raw HTML as markdown hands it over (an HTML block a line at a time, inline tags one by one),
//! put back together and passed to the sanitizer; problems become located diagnostics.

use pulldown_cmark::CowStr;

use super::markdown::Fragment;
use super::sanitize;
use crate::diag::{Diagnostic, Overflow, Severity};

/// One HTML block (its lines) or one inline tag, with where each piece starts in the fragment.
#[derive(Default)]
pub(crate) struct RawHtml<'a> {
    pub(crate) pieces: Vec<(CowStr<'a>, usize)>,
}

impl<'a> RawHtml<'a> {
    pub(crate) fn push(&mut self, piece: &CowStr<'a>, at: usize) {
        self.pieces.push((piece.clone(), at));
    }

    /// Where the first piece starts, and its first tag, to report a problem of the fragment.
    pub(crate) fn first(&self) -> (std::ops::Range<usize>, String) {
        let (piece, at) = self
            .pieces
            .first()
            .map_or(("", 0), |(p, at)| (p.as_ref(), *at));
        let token: String = piece
            .trim_start()
            .chars()
            .take_while(|c| !c.is_whitespace() && *c != '>')
            .collect();
        let at = at + (piece.len() - piece.trim_start().len());
        (at..at + token.len().max(1), token)
    }

    /// Runs the sanitizer over the whole piece, read after `open` (raw HTML already accepted
    /// before it in the same block); reports what it would change. `true`: keep it.
    pub(crate) fn check(
        &self,
        open: &str,
        frag: &Fragment,
        overflow: &mut Overflow,
        diags: &mut Vec<Diagnostic>,
    ) -> bool {
        let text: String = std::iter::once(open)
            .chain(self.pieces.iter().map(|(p, _)| p.as_ref()))
            .collect();
        let Some(mut f) = sanitize::check(&text) else {
            return true;
        };
        // A problem only this piece reveals in what came before is reported on this piece.
        f.offset = f.offset.saturating_sub(open.len());
        // Back from an offset in the joined text to the fragment (lines of a block inside a
        // list or quote are not contiguous in the source).
        let mut start = 0;
        let mut at = self.pieces.first().map_or(0, |p| p.1);
        for (piece, piece_at) in &self.pieces {
            if f.offset < start + piece.len() {
                at = piece_at + (f.offset - start);
                break;
            }
            start += piece.len();
        }
        overflow.report(diags, Severity::Error, || {
            frag.diag(at..at + f.token.len().max(1), &f.token, f.message.clone())
                .with_hint("allowed HTML is listed in the README (\"Raw HTML\"); write the rest in markdown, or show it as code with backticks")
        });
        false
    }
}

pub(crate) fn scheme_refused(
    frag: &Fragment,
    range: std::ops::Range<usize>,
    dest: &str,
    what: &str,
) -> Diagnostic {
    let shown: String = dest.chars().take(40).collect();
    frag.diag(
        range,
        dest,
        format!(
            "{what} to `{}`: the URL's scheme is not allowed",
            shown.escape_debug()
        ),
    )
    .with_hint(format!(
        "use {} or a relative URL; pages never follow script or data URLs from their sources",
        sanitize::URL_SCHEMES.join(", ")
    ))
}
