//! What each change says, worded once as pieces, and how text and markdown show the pieces (the
//! site's HTML markup is in `site::changes_pages`).

use super::change::{Change, Matched, Object, Run};
use super::words::{context, is_rewrite, rewrite_note};

/// One piece of a change's wording. [`wording`] says each change once; a [`Markup`] renders
/// the pieces as text, markdown or HTML.
#[derive(Debug, Clone, PartialEq)]
pub enum Piece<'a> {
    /// Words.
    Text(String),
    /// An id of the new version (HTML links it to its page).
    Id(&'a str),
    /// An id of the old version only.
    OldId(&'a str),
    /// A title, quoted.
    Quote(&'a str),
    /// A rule or a field's value, as code.
    Code(String),
    /// `->` between an old and a new value.
    Arrow,
    /// A word-diff run: unchanged, removed, added.
    Same(String),
    Removed(String),
    Added(String),
    /// An aside, such as how a move was found.
    Note(&'static str),
}

/// How one output format shows each [`Piece`].
pub trait Markup {
    fn piece(&self, p: &Piece) -> String;
}

/// A change as one line in `m`'s format.
pub fn render(c: &Change, m: &dyn Markup) -> String {
    wording(c).iter().map(|p| m.piece(p)).collect()
}

fn text(s: &str) -> Piece<'static> {
    Piece::Text(s.to_string())
}

/// A word diff as pieces: long unchanged runs cut to context, a rewrite summarised.
fn runs_pieces(runs: &[Run]) -> Vec<Piece<'static>> {
    if is_rewrite(runs) && runs.len() > 2 {
        return vec![Piece::Text(rewrite_note(runs))];
    }
    let n = runs.len();
    let mut out = Vec::new();
    for (i, r) in runs.iter().enumerate() {
        if i > 0 {
            out.push(text(" "));
        }
        out.push(match r {
            Run::Same(s) => Piece::Same(context(s, i == 0, i + 1 == n).replace('\n', " ")),
            Run::Removed(s) => Piece::Removed(s.replace('\n', " ")),
            Run::Added(s) => Piece::Added(s.replace('\n', " ")),
        });
    }
    out
}

/// What a change says, once for every output format.
pub fn wording(c: &Change) -> Vec<Piece<'_>> {
    let label = |o: &Object| text(&format!("{} ", o.label()));
    match c {
        Change::Added { object, id, title } => {
            vec![label(object), Piece::Id(id), text(": "), text(title)]
        }
        Change::Removed { object, id, title } => {
            vec![label(object), Piece::OldId(id), text(": "), text(title)]
        }
        Change::Moved {
            object,
            id,
            old_id,
            matched,
            title,
        } => vec![
            label(object),
            Piece::OldId(old_id),
            text(" "),
            Piece::Arrow,
            text(" "),
            Piece::Id(id),
            text(" "),
            Piece::Note(match matched {
                Matched::PreviousIds => "listed in previous-ids",
                Matched::Similarity => "matched by similar text",
            }),
            text(": "),
            text(title),
        ],
        Change::Regrouped {
            object,
            id,
            old_parent,
            old_parent_now,
            new_parent,
        } => {
            let mut v = vec![
                label(object),
                Piece::Id(id),
                text(" now under "),
                Piece::Id(new_parent),
                text(" (was under "),
                Piece::OldId(old_parent),
            ];
            if old_parent != old_parent_now {
                v.extend([text(", whose topic is now "), Piece::Id(old_parent_now)]);
            }
            v.push(text(")"));
            v
        }
        Change::Retitled {
            object,
            id,
            old,
            new,
        } => vec![
            label(object),
            Piece::Id(id),
            text(" retitled: "),
            Piece::Quote(old),
            text(" "),
            Piece::Arrow,
            text(" "),
            Piece::Quote(new),
        ],
        Change::Reworded {
            object,
            id,
            field,
            diff,
        } => {
            let mut v = vec![label(object), Piece::Id(id), text(&format!(" {field}: "))];
            v.extend(runs_pieces(diff));
            v
        }
        Change::Risk { id, old, new } => vec![
            Piece::Id(id),
            text(" risk: "),
            text(old.as_deref().unwrap_or("none stated")),
            text(" "),
            Piece::Arrow,
            text(" "),
            text(new.as_deref().unwrap_or("none stated")),
        ],
        Change::RiskRules { id, old, new } => vec![
            Piece::Id(id),
            text(" risk rules: "),
            Piece::Code(old.join("; ")),
            text(" "),
            Piece::Arrow,
            text(" "),
            Piece::Code(new.join("; ")),
        ],
        Change::Dimensions { id, added, removed } => {
            let mut v = vec![Piece::Id(id), text(" dimensions:")];
            for d in added {
                v.extend([text(" +"), Piece::Id(d)]);
            }
            for d in removed {
                v.extend([text(" -"), Piece::OldId(d)]);
            }
            v
        }
        Change::Field {
            object,
            id,
            field,
            old,
            new,
        } => vec![
            label(object),
            Piece::Id(id),
            text(&format!(" {field}: ")),
            Piece::Code(old.clone()),
            text(" "),
            Piece::Arrow,
            text(" "),
            Piece::Code(new.clone()),
        ],
    }
}

/// Plain text: `[-removed-]{+added+}`, or colours on a terminal.
pub struct TextMarkup {
    pub color: bool,
}

impl Markup for TextMarkup {
    fn piece(&self, p: &Piece) -> String {
        let paint = |code: &str, s: &str| {
            if self.color {
                format!("\x1b[{code}m{s}\x1b[0m")
            } else {
                s.to_string()
            }
        };
        match p {
            Piece::Text(s) | Piece::Same(s) | Piece::Code(s) => s.clone(),
            Piece::Id(s) | Piece::OldId(s) => paint("1", s),
            Piece::Quote(s) => format!("\"{s}\""),
            Piece::Arrow => "->".into(),
            Piece::Removed(s) if self.color => paint("31", s),
            Piece::Added(s) if self.color => paint("32", s),
            Piece::Removed(s) => format!("[-{s}-]"),
            Piece::Added(s) => format!("{{+{s}+}}"),
            Piece::Note(s) => paint("2", &format!("({s})")),
        }
    }
}

/// Markdown: ids and values as code, word diffs as ~~removed~~ **added**.
pub struct MarkdownMarkup;

impl Markup for MarkdownMarkup {
    fn piece(&self, p: &Piece) -> String {
        match p {
            Piece::Text(s) | Piece::Same(s) => s.clone(),
            Piece::Id(s) | Piece::OldId(s) => format!("`{s}`"),
            Piece::Code(s) => format!("`{}`", s.replace('`', "'")),
            Piece::Quote(s) => format!("“{s}”"),
            Piece::Arrow => "→".into(),
            Piece::Removed(s) => format!("~~{s}~~"),
            Piece::Added(s) => format!("**{s}**"),
            Piece::Note(s) => format!("({s})"),
        }
    }
}
