//! What changed between two versions of a lens: pillars, questions and best practices added,
//! removed, moved to a new id (through `previous-ids:` or, failing that, similar text), retitled,
//! reworded (with a word diff), and changes of risk level, risk rules and dimensions. Used by
//! `wa-docs lens diff` and the site's "what changed" pages.

mod change;
mod compare;
mod objects;
mod report;
mod wording;
mod words;

pub use change::{Change, LensDiff, Matched, Object, Run, section_of};
pub use compare::diff;
pub use wording::{MarkdownMarkup, Markup, Piece, TextMarkup, render, wording};
pub use words::{is_rewrite, render_runs, rewrite_note, word_diff};

#[cfg(test)]
mod tests;
