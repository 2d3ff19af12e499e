//! Diagnostics: every problem found in user input is collected (not thrown), so one run
//! reports all of them, each with file, line, column, the offending source line and a hint.

use std::fmt;
use std::path::{Path, PathBuf};

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, SourceSpan};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Warning,
    Error,
}

/// A position in a source file; `offset` is a byte offset, `line`/`col` are 1-based.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub file: PathBuf,
    pub line: usize,
    pub col: usize,
    pub offset: usize,
    pub len: usize,
}

#[derive(Debug, Clone)]
pub struct Diagnostic {
    pub severity: Severity,
    pub message: String,
    pub location: Option<Box<Location>>,
    pub hint: Option<String>,
    /// The source line the location points into, captured when the diagnostic is made so
    /// reports can be printed without the file (and shown in `serve`'s overlay).
    pub source_line: Option<String>,
    source: Option<Box<(String, String)>>,
}

impl Diagnostic {
    pub fn error(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            message: message.into(),
            location: None,
            hint: None,
            source_line: None,
            source: None,
        }
    }

    pub fn warning(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(message)
        }
    }

    /// The same diagnostic as a warning: reported, but the build goes on.
    pub fn into_warning(mut self) -> Self {
        self.severity = Severity::Warning;
        self
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Points the diagnostic at `offset..offset+len` of `text`, the contents of `file`.
    pub fn at(mut self, file: &Path, text: &str, offset: usize, len: usize) -> Self {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let len = len.min(text.len() - offset);
        let (line, col) = line_col(text, offset);
        let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
        self.source_line = Some(
            text[line_start..line_end]
                .trim_end_matches('\r')
                .to_string(),
        );
        self.location = Some(Box::new(Location {
            file: file.to_path_buf(),
            line,
            col,
            offset,
            len,
        }));
        self.source = Some(Box::new((file.display().to_string(), text.to_string())));
        self
    }

    /// Points at a 1-based line and column, as reported by a parser.
    pub fn at_line_col(self, file: &Path, text: &str, line: usize, col: usize) -> Self {
        let offset = offset_of(text, line, col);
        let len = text[offset..]
            .find(['\n', '\r'])
            .unwrap_or(text.len() - offset)
            .clamp(1, 80);
        self.at(file, text, offset, len)
    }

    /// Names a file without a position (for I/O errors).
    pub fn in_file(mut self, file: &Path) -> Self {
        self.location = Some(Box::new(Location {
            file: file.to_path_buf(),
            line: 1,
            col: 1,
            offset: 0,
            len: 0,
        }));
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `file:line:col` or the empty string.
    pub fn position(&self) -> String {
        self.location
            .as_ref()
            .map(|l| format!("{}:{}:{}", l.file.display(), l.line, l.col))
            .unwrap_or_default()
    }

    /// A rustc-style report with the source snippet, rendered by miette. `color` selects
    /// ANSI styling for terminals; the plain form is used in logs and the browser overlay.
    pub fn render(&self, color: bool) -> String {
        let theme = if color {
            GraphicalTheme::unicode()
        } else {
            GraphicalTheme::unicode_nocolor()
        };
        let handler = GraphicalReportHandler::new_themed(theme)
            .with_context_lines(1)
            .with_width(140);
        let mut out = String::new();
        if handler.render_report(&mut out, &Report(self)).is_err() {
            out = self.to_string();
        }
        out
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        match &self.location {
            Some(_) => write!(f, "{kind}: {}: {}", self.position(), self.message)?,
            None => write!(f, "{kind}: {}", self.message)?,
        }
        if let Some(line) = &self.source_line {
            write!(f, "\n    | {line}")?;
        }
        if let Some(hint) = &self.hint {
            write!(f, "\n    = hint: {hint}")?;
        }
        Ok(())
    }
}

/// Adapter that lets miette draw our diagnostic with its snippet.
struct Report<'a>(&'a Diagnostic);

impl fmt::Debug for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0.location {
            Some(_) => write!(f, "{}: {}", self.0.position(), self.0.message),
            None => f.write_str(&self.0.message),
        }
    }
}

impl std::error::Error for Report<'_> {}

impl miette::Diagnostic for Report<'_> {
    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.0.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.0
            .hint
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.0
            .source
            .as_ref()
            .map(|s| &s.1 as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let loc = self.0.location.as_ref()?;
        self.0.source.as_ref()?;
        let span = SourceSpan::new(loc.offset.into(), loc.len);
        Some(Box::new(std::iter::once(LabeledSpan::new_with_span(
            Some("here".to_string()),
            span,
        ))))
    }
}

/// Collects diagnostics across a run.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    pub items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(other);
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    pub fn error_count(&self) -> usize {
        self.items.iter().filter(|d| d.is_error()).count()
    }

    /// Sorted by file and position so reports are stable across parallel runs.
    pub fn sorted(&self) -> Vec<&Diagnostic> {
        let mut v: Vec<&Diagnostic> = self.items.iter().collect();
        v.sort_by(|a, b| {
            let ka = a.location.as_ref().map(|l| (l.file.clone(), l.offset));
            let kb = b.location.as_ref().map(|l| (l.file.clone(), l.offset));
            ka.cmp(&kb).then_with(|| a.message.cmp(&b.message))
        });
        v
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

/// Byte offset of a 1-based line and column (column counted in characters).
pub fn offset_of(text: &str, line: usize, col: usize) -> usize {
    let mut start = 0;
    for _ in 1..line.max(1) {
        match text[start..].find('\n') {
            Some(i) => start += i + 1,
            None => return text.len(),
        }
    }
    let line_text = &text[start..];
    let line_end = line_text.find('\n').unwrap_or(line_text.len());
    line_text[..line_end]
        .char_indices()
        .nth(col.saturating_sub(1))
        .map_or(start + line_end, |(i, _)| start + i)
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_one_based_and_in_characters() {
        let text = "a: 1\nbé: x\n";
        let off = text.find('x').unwrap();
        assert_eq!(line_col(text, off), (2, 5));
        assert_eq!(offset_of(text, 2, 5), off);
        let d = Diagnostic::error("bad").at(Path::new("f.yaml"), text, off, 1);
        assert_eq!(d.position(), "f.yaml:2:5");
        assert_eq!(d.source_line.as_deref(), Some("bé: x"));
        assert!(d.render(false).contains("bé: x"));
    }
}
