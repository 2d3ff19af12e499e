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
    snippet: Option<Box<Snippet>>,
}

/// What a report shows of the file: the located line and one line either side, each cut to a
/// window around the column. Keeping only this (not the file) bounds the cost of a diagnostic
/// whatever the file: a copy of a 16 MiB file per diagnostic made a page with 50,000 broken
/// links take minutes, and a one-line file printed megabytes of report.
#[derive(Debug, Clone)]
struct Snippet {
    text: String,
    /// 0-based line number of the snippet's first line in the file.
    first_line: usize,
    /// Byte offset in the file of the snippet's start: labels are file offsets.
    base: usize,
    /// 0-based column of the location in the file (the window may hide the line's start).
    col: usize,
    /// The snippet's line (0-based) that holds the location.
    label_line: usize,
}

/// Characters of a long line kept before and after the located column.
const WINDOW_BEFORE: usize = 60;
const WINDOW_AFTER: usize = 100;

/// The part of `line` (the whole source line) that a report shows around character column
/// `col`, with `…` where it was cut; returns the text and the byte index in it of `col`.
fn window(line: &str, col: usize) -> (String, usize) {
    // A cut is marked with `…` (3 bytes) only where it drops more bytes than that, so the
    // shown text is never longer than the text it stands for: file offsets map onto it.
    let from = col.saturating_sub(WINDOW_BEFORE);
    let mut start = line.char_indices().nth(from).map_or(line.len(), |(i, _)| i);
    if start <= 3 {
        start = 0;
    }
    let skip = line[..start].chars().count();
    let mut end = line[start..]
        .char_indices()
        .nth(col - skip + WINDOW_AFTER)
        .map_or(line.len(), |(i, _)| start + i);
    if line.len() - end <= 3 {
        end = line.len();
    }
    let lead = if start > 0 { "…" } else { "" };
    let tail = if end < line.len() { "…" } else { "" };
    let at = line[start..end]
        .char_indices()
        .nth(col - skip)
        .map_or(end - start, |(i, _)| i);
    (
        format!("{lead}{}{tail}", &line[start..end]),
        lead.len() + at,
    )
}

/// A context line: cut to the same columns as the located line, or shown from its start
/// when it ends before them.
fn context(line: &str, col: usize) -> String {
    let short = line
        .chars()
        .nth(col.saturating_sub(WINDOW_BEFORE))
        .is_none();
    window(line, if short { 0 } else { col }).0
}

impl Diagnostic {
    pub fn error(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            message: message.into(),
            location: None,
            hint: None,
            source_line: None,
            snippet: None,
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
        let (line, col) = line_col(text, offset);
        let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
        let col0 = col - 1;
        let (shown, at) = window(text[line_start..line_end].trim_end_matches('\r'), col0);
        let len = len.min(text.len() - offset).min(shown.len() - at);
        // One line of context either side, cut to the same columns.
        let prev = (line_start > 0).then(|| {
            let s = text[..line_start - 1].rfind('\n').map_or(0, |i| i + 1);
            context(text[s..line_start - 1].trim_end_matches('\r'), col0)
        });
        let next = (line_end < text.len()).then(|| {
            let e = text[line_end + 1..]
                .find('\n')
                .map_or(text.len(), |i| line_end + 1 + i);
            context(text[line_end + 1..e].trim_end_matches('\r'), col0)
        });
        let mut snippet = String::new();
        let mut first_line = line - 1;
        if let Some(p) = &prev {
            snippet.push_str(p);
            snippet.push('\n');
            first_line -= 1;
        }
        let label = snippet.len() + at;
        snippet.push_str(&shown);
        if let Some(n) = &next {
            snippet.push('\n');
            snippet.push_str(n);
        }
        self.source_line = Some(shown);
        self.location = Some(Box::new(Location {
            file: file.to_path_buf(),
            line,
            col,
            offset,
            len,
        }));
        self.snippet = Some(Box::new(Snippet {
            text: snippet,
            first_line,
            base: offset - label,
            col: col0,
            label_line: usize::from(prev.is_some()),
        }));
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
            .snippet
            .as_deref()
            .map(|s| s as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let loc = self.0.location.as_ref()?;
        self.0.snippet.as_ref()?;
        let span = SourceSpan::new(loc.offset.into(), loc.len);
        Some(Box::new(std::iter::once(LabeledSpan::new_with_span(
            Some("here".to_string()),
            span,
        ))))
    }
}

/// Labels carry file offsets; the snippet answers for them with its own text, and with the
/// file's line and column numbers.
impl miette::SourceCode for Snippet {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'a> + 'a>, miette::MietteError> {
        let offset = span.offset().saturating_sub(self.base).min(self.text.len());
        let len = span.len().min(self.text.len() - offset);
        let local = SourceSpan::new(offset.into(), len);
        let inner = self.text.read_span(&local, before, after)?;
        let column = if inner.line() == self.label_line && before == 0 {
            self.col
        } else {
            inner.column()
        };
        let start = inner.span().offset() + self.base;
        Ok(Box::new(miette::MietteSpanContents::new(
            inner.data(),
            SourceSpan::new(start.into(), inner.span().len()),
            inner.line() + self.first_line,
            column,
            inner.line_count(),
        )))
    }
}

/// Problems listed per file and kind of check; past it they are counted, not listed.
/// Locating a problem costs time in the file's size, so listing every one in a big broken file
/// is quadratic (a page with 50,000 broken links took minutes), and nobody reads the 51st
/// report about one file before fixing the first.
pub const MAX_PER_FILE: usize = 50;

/// Problems past [`MAX_PER_FILE`], counted without being built.
#[derive(Debug, Default, Clone, Copy)]
pub struct Overflow {
    pub errors: usize,
    pub warnings: usize,
}

impl Overflow {
    /// Lists a problem while fewer than [`MAX_PER_FILE`] are listed in `list`; counts it
    /// otherwise. `make` runs only for listed problems.
    pub fn report(
        &mut self,
        list: &mut Vec<Diagnostic>,
        severity: Severity,
        make: impl FnOnce() -> Diagnostic,
    ) {
        if list.len() < MAX_PER_FILE {
            list.push(make());
        } else if severity == Severity::Error {
            self.errors += 1;
        } else {
            self.warnings += 1;
        }
    }

    /// The line that stands for the problems not listed (an error if any of them is).
    pub fn summary(&self, file: &Path) -> Option<Diagnostic> {
        let n = self.errors + self.warnings;
        if n == 0 {
            return None;
        }
        let d = Diagnostic::error(format!(
            "{n} more problem{} in this file not listed ({} errors, {} warnings)",
            if n == 1 { "" } else { "s" },
            self.errors,
            self.warnings
        ))
        .with_hint(format!(
            "only the first {MAX_PER_FILE} are listed; fix those and build again"
        ))
        .in_file(file);
        // Sorted after the problems it stands for, which are listed by offset in the file.
        let mut d = d;
        if let Some(l) = d.location.as_mut() {
            l.offset = usize::MAX;
        }
        Some(if self.errors > 0 { d } else { d.into_warning() })
    }
}

/// Collects diagnostics across a run.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    pub items: Vec<Diagnostic>,
    /// Per file: problems listed through [`Diagnostics::push_capped`], those counted past the
    /// limit, and the index in `items` of the line that stands for them.
    capped: std::collections::HashMap<PathBuf, (usize, Overflow, Option<usize>)>,
}

impl From<Vec<Diagnostic>> for Diagnostics {
    fn from(items: Vec<Diagnostic>) -> Self {
        Diagnostics {
            items,
            ..Default::default()
        }
    }
}

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    /// Lists a problem in `file` while fewer than [`MAX_PER_FILE`] are listed for it, and
    /// counts it otherwise; `make`, which locates the problem, runs only when it is listed.
    pub fn push_capped(
        &mut self,
        file: &Path,
        severity: Severity,
        make: impl FnOnce() -> Diagnostic,
    ) {
        let entry = self.capped.entry(file.to_path_buf()).or_default();
        if entry.0 < MAX_PER_FILE {
            entry.0 += 1;
            self.items.push(make());
            return;
        }
        match severity {
            Severity::Error => entry.1.errors += 1,
            Severity::Warning => entry.1.warnings += 1,
        }
        let Some(summary) = entry.1.summary(file) else {
            return;
        };
        match entry.2 {
            Some(i) => self.items[i] = summary,
            None => {
                entry.2 = Some(self.items.len());
                self.items.push(summary);
            }
        }
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

    #[test]
    fn a_long_line_is_cut_around_the_column_and_numbers_stay_the_file_s() {
        let long = format!("{}X{}", "a".repeat(5000), "b".repeat(5000));
        let text = format!("first: 1\n{long}\nlast: 2\n");
        let off = text.find('X').unwrap();
        let d = Diagnostic::error("bad").at(Path::new("f.yaml"), &text, off, 1);
        assert_eq!(d.position(), "f.yaml:2:5001");
        let shown = d.source_line.clone().unwrap();
        assert!(shown.starts_with('…') && shown.ends_with('…'), "{shown}");
        assert!(shown.contains("aX b".replace(' ', "").as_str()));
        assert!(shown.chars().count() < 200);
        let report = d.render(false);
        assert!(report.len() < 2000, "{report}");
        assert!(report.contains("[2:5001]"), "{report}");
        assert!(
            report.contains("1 │ first: 1") && report.contains("3 │ last: 2"),
            "{report}"
        );
        assert!(report.contains("here"), "{report}");
    }

    #[test]
    fn short_cuts_are_not_marked_so_offsets_still_map() {
        // A location near the start of a long line, and one just past the window.
        for col in [1, 61, 62, 63, 64, 300] {
            let text = format!("x\n{}", "é".repeat(400));
            let off = 2 + text[2..].char_indices().nth(col).unwrap().0;
            let d = Diagnostic::error("bad").at(Path::new("f"), &text, off, 2);
            let report = d.render(false);
            assert!(
                report.contains(&format!("[2:{}]", col + 1)),
                "{col}: {report}"
            );
        }
    }
}
