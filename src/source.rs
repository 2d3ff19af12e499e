//! Source files as read from the project, and locating values in them. serde_yaml gives
//! positions only for syntax errors, so semantic errors (a dangling id, a bad condition) are
//! located by finding the offending value in the text, starting from its owning object's id.

use std::path::{Path, PathBuf};

use crate::diag::Diagnostic;

#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Relative to the project root, as shown in diagnostics.
    pub path: PathBuf,
    pub text: String,
}

/// Largest source file accepted; bigger files are almost certainly not guidance.
pub const MAX_SOURCE_BYTES: u64 = 16 * 1024 * 1024;

/// Placeholder for "the site root, relative to the page being written". Internal links are
/// rendered once as `ROOT_MARK + url` and made relative when each page is written, so the site
/// works from any sub-path and from `file://`. It lives here, the lowest layer that needs it,
/// because [`normalise`] strips it from every source: a control character cannot come from
/// authors.
pub const ROOT_MARK: &str = "\u{1a}/";

/// Reads `root/rel` as UTF-8, dropping a byte-order mark and normalising CRLF line endings.
pub fn read_source(root: &Path, rel: &Path) -> Result<SourceFile, Diagnostic> {
    let full = root.join(rel);
    let meta = std::fs::metadata(&full)
        .map_err(|e| Diagnostic::error(format!("cannot read file: {e}")).in_file(rel))?;
    if meta.len() > MAX_SOURCE_BYTES {
        return Err(Diagnostic::error(format!(
            "file is {} MiB, over the {} MiB limit for a source file",
            meta.len() / (1024 * 1024),
            MAX_SOURCE_BYTES / (1024 * 1024)
        ))
        .with_hint("split it into several files")
        .in_file(rel));
    }
    let bytes = std::fs::read(&full)
        .map_err(|e| Diagnostic::error(format!("cannot read file: {e}")).in_file(rel))?;
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let lossy = String::from_utf8_lossy(e.as_bytes()).into_owned();
            let prefix = String::from_utf8_lossy(&e.as_bytes()[..valid]).into_owned();
            return Err(Diagnostic::error("file is not valid UTF-8")
                .with_hint("save the file as UTF-8")
                .at(rel, &lossy, prefix.len(), 1));
        }
    };
    Ok(SourceFile {
        path: rel.to_path_buf(),
        text: normalise(text),
    })
}

/// Drops a BOM, turns CRLF into LF, and removes the control character used internally as the
/// root-link placeholder so source text can never forge one.
pub fn normalise(mut text: String) -> String {
    if text.starts_with('\u{feff}') {
        text.drain(..3);
    }
    if text.contains('\r') {
        text = text.replace("\r\n", "\n");
    }
    if text.contains(ROOT_MARK) {
        text = text.replace(ROOT_MARK, "");
    }
    text
}

fn is_id_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.'
}

impl SourceFile {
    /// Offset of `needle` as a whole token at or after `from`.
    pub fn find_after(&self, from: usize, needle: &str) -> Option<usize> {
        if needle.is_empty() {
            return None;
        }
        let mut start = from.min(self.text.len());
        while let Some(i) = self.text[start..].find(needle) {
            let at = start + i;
            let before = self.text[..at].chars().next_back();
            let after = self.text[at + needle.len()..].chars().next();
            if !before.is_some_and(is_id_char) && !after.is_some_and(is_id_char) {
                return Some(at);
            }
            start = at + needle.len();
        }
        None
    }

    /// Offset of `value` on a line that also holds `key:`, searching from `from`.
    fn key_value_from(&self, from: usize, key: &str, value: &str) -> Option<usize> {
        let pattern = format!("{key}:");
        let mut start = from.min(self.text.len());
        loop {
            let at = if value.is_empty() {
                self.text[start..].find(&pattern).map(|i| start + i)?
            } else {
                self.find_after(start, value)?
            };
            let line_start = self.text[..at].rfind('\n').map_or(0, |i| i + 1);
            let line_end = self.text[at..]
                .find('\n')
                .map_or(self.text.len(), |i| at + i);
            if self.text[line_start..line_end].contains(&pattern) {
                return Some(at);
            }
            start = at + value.len().max(1);
        }
    }

    /// Offset of the definition `key: value` (for ids, the object that owns them).
    pub fn offset_of_value(&self, key: &str, value: &str) -> usize {
        self.key_value_from(0, key, value)
            .or_else(|| self.find_after(0, value))
            .unwrap_or(0)
    }

    /// Offset of `key: value` after the definition of the object with id `owner`.
    pub fn value_offset_after(&self, owner: &str, key: &str, value: &str) -> usize {
        let from = self.offset_of_value("id", owner);
        self.key_value_from(from, key, value)
            .or_else(|| self.text[from..].find(value).map(|i| from + i))
            .unwrap_or(from)
    }

    /// Offset of the value of the `n`-th `key:` after the object with id `owner` (rules in a
    /// list share their text, so the index tells them apart); falls back to searching `value`.
    pub fn nth_key_after(&self, owner: &str, key: &str, n: usize, value: &str) -> usize {
        let from = self.offset_of_value("id", owner);
        let pattern = format!("{key}:");
        let mut at = from;
        for _ in 0..=n {
            match self.text[at..].find(&pattern) {
                Some(i) => at += i + pattern.len(),
                None => return self.value_offset_after(owner, key, value),
            }
        }
        let rest = &self.text[at..];
        at + (rest.len() - rest.trim_start_matches([' ', '"', '\'']).len())
    }

    pub fn error_at_value(&self, key: &str, value: &str, msg: impl Into<String>) -> Diagnostic {
        let at = self.offset_of_value(key, value);
        Diagnostic::error(msg).at(&self.path, &self.text, at, value.len().max(1))
    }

    /// A diagnostic at a token inside the object with id `owner` (e.g. a dimension id in a
    /// best practice's `dimensions:` list).
    pub fn error_in(&self, owner: &str, token: &str, msg: impl Into<String>) -> Diagnostic {
        let from = self.offset_of_value("id", owner);
        let at = self.find_after(from, token).unwrap_or(from);
        Diagnostic::error(msg).at(&self.path, &self.text, at, token.len().max(1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_match_whole_ids_only() {
        let s = SourceFile {
            path: "x".into(),
            text: "id: A-BP010\nid: A-BP01\n".into(),
        };
        assert_eq!(s.find_after(0, "A-BP01"), Some(16));
        assert_eq!(s.offset_of_value("id", "A-BP01"), 16);
    }

    #[test]
    fn bom_and_crlf_are_normalised() {
        assert_eq!(normalise("\u{feff}a: 1\r\nb: 2\r\n".into()), "a: 1\nb: 2\n");
    }
}
