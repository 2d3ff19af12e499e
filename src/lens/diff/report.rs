//! A whole diff as a report: its heading, a one-line summary, and the text, markdown and JSON
//! forms printed by `wa-docs lens diff`.

use super::change::{Change, LensDiff, section_of};
use super::wording::{MarkdownMarkup, TextMarkup, render};

impl LensDiff {
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    fn heading(&self) -> String {
        format!(
            "{}: {} -> {}",
            self.lens,
            self.old_version.as_deref().unwrap_or("(no version)"),
            self.new_version.as_deref().unwrap_or("(no version)")
        )
    }

    /// Counts per change kind, for a one-line summary.
    pub fn summary(&self) -> String {
        let mut counts: Vec<(&str, usize)> = Vec::new();
        for c in &self.changes {
            let k = match c {
                Change::Added { .. } => "added",
                Change::Removed { .. } => "removed",
                Change::Moved { .. } => "moved",
                Change::Regrouped { .. } => "regrouped",
                Change::Retitled { .. } => "retitled",
                Change::Reworded { .. } => "reworded",
                Change::Risk { .. } => "risk changed",
                Change::RiskRules { .. } => "risk rules changed",
                Change::Dimensions { .. } => "dimensions changed",
                Change::Field { .. } => "other fields changed",
            };
            match counts.iter_mut().find(|(x, _)| *x == k) {
                Some((_, n)) => *n += 1,
                None => counts.push((k, 1)),
            }
        }
        if counts.is_empty() {
            return "no changes".into();
        }
        counts
            .iter()
            .map(|(k, n)| format!("{n} {k}"))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Plain text, like `git diff --word-diff=plain`: `[-removed-]{+added+}`, one section per
    /// kind of change.
    pub fn to_text(&self) -> String {
        self.to_text_colored(false)
    }

    /// [`Self::to_text`]; with `color`, ANSI colours instead of the brackets (for a terminal).
    pub fn to_text_colored(&self, color: bool) -> String {
        let m = TextMarkup { color };
        let bold = |s: &str| {
            if color {
                format!("\x1b[1m{s}\x1b[0m")
            } else {
                s.to_string()
            }
        };
        let mut out = format!("{}\n{}\n", bold(&self.heading()), self.summary());
        let mut section = "";
        for c in &self.changes {
            let s = section_of(c);
            if s != section {
                out.push_str(&format!("\n{}\n", bold(&format!("{s}:"))));
                section = s;
            }
            let marker = match c {
                Change::Added { .. } if color => "\x1b[32m+\x1b[0m ",
                Change::Removed { .. } if color => "\x1b[31m-\x1b[0m ",
                Change::Added { .. } => "+ ",
                Change::Removed { .. } => "- ",
                _ => "",
            };
            out.push_str(&format!("{marker}{}\n", render(c, &m)));
        }
        out
    }

    /// Markdown: a heading and one list item per change, word diffs as ~~removed~~ **added**.
    pub fn to_markdown(&self) -> String {
        let mut out = format!("# {}\n\n{}\n\n", self.heading(), self.summary());
        let mut section = "";
        for c in &self.changes {
            let s = section_of(c);
            if s != section {
                out.push_str(&format!("\n## {s}\n\n"));
                section = s;
            }
            out.push_str(&format!("- {}\n", render(c, &MarkdownMarkup)));
        }
        out
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default() + "\n"
    }
}
