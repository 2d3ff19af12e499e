//! WA Tool custom-lens JSON -> the lens model: reading the text (with `NaN` and `Infinity`
//! refused or, with `--lenient`, taken as empty) and turning every problem into a located
//! diagnostic. The model itself is built by [`super::import_model`].

use std::path::Path;

use serde_json::Value;

use super::JsonPath;
use super::carry::CARRY_KEY;
use super::import_model::Importer;
use super::jsonpos::Positions;
use super::limits::{self, ProblemKind};
use crate::diag::Diagnostic;
use crate::lens::Lens;

/// Options for [`import_json_with`].
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// The wa-docs lens id (a lowercase slug); by default derived from the lens name. Every
    /// pillar, question and best-practice id is prefixed with it.
    pub lens_id: Option<String>,
    /// Import `NaN` and `Infinity` (not JSON, but written by spreadsheet exports for empty
    /// cells) as empty text, with a warning each, instead of refusing the file.
    pub lenient: bool,
    /// The project's copies of its lenses (current and earlier versions): a wa-docs export too
    /// big to carry its texts whole carries them by hash, and import restores each from the
    /// copy of the lens that holds it (see [`super::carry`]).
    pub project: std::sync::Arc<Vec<Lens>>,
}

/// Tokens some JSON writers emit that JSON has no place for, with what they usually mean.
const NOT_JSON: &[(&str, &str)] = &[
    ("-Infinity", "a spreadsheet formula's overflow"),
    ("Infinity", "a spreadsheet formula's overflow"),
    (
        "NaN",
        "what spreadsheet and pandas exports write for an empty cell",
    ),
];

/// Finds `NaN`/`Infinity` values outside strings and returns them with a copy of `text` in
/// which each is replaced by `""` padded to the same length, so offsets stay those of `text`.
fn patch_not_json(text: &str) -> (Vec<(usize, &'static str)>, Option<String>) {
    let b = text.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'"' => {
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
            }
            b'N' | b'I' | b'-' => {
                let boundary = |j: usize| b.get(j).is_none_or(|c| !c.is_ascii_alphanumeric());
                match NOT_JSON
                    .iter()
                    .find(|(t, _)| b[i..].starts_with(t.as_bytes()) && boundary(i + t.len()))
                {
                    Some((t, _)) if i == 0 || boundary(i - 1) => {
                        found.push((i, *t));
                        i += t.len();
                    }
                    _ => i += 1,
                }
            }
            _ => i += 1,
        }
    }
    if found.is_empty() {
        return (found, None);
    }
    let mut patched = String::with_capacity(text.len());
    let mut last = 0;
    for &(at, t) in &found {
        patched.push_str(&text[last..at]);
        patched.push_str("\"\"");
        patched.push_str(&" ".repeat(t.len() - 2));
        last = at + t.len();
    }
    patched.push_str(&text[last..]);
    (found, Some(patched))
}

/// Imports a custom-lens JSON document. `file` names it in diagnostics. Returns the lens and
/// warnings (each message starts with the JSON path), or every problem when the JSON cannot be
/// read or has no structure wa-docs can show (no pillars, a question without choices...).
pub fn import_json(text: &str, file: &Path) -> Result<(Lens, Vec<Diagnostic>), Vec<Diagnostic>> {
    import_json_with(text, file, &ImportOptions::default())
}

/// [`import_json`] with options.
pub fn import_json_with(
    text: &str,
    file: &Path,
    opts: &ImportOptions,
) -> Result<(Lens, Vec<Diagnostic>), Vec<Diagnostic>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let (not_json, patched) = patch_not_json(text);
    let doc: Value = match serde_json::from_str(patched.as_deref().unwrap_or(text)) {
        Ok(v) => v,
        Err(e) => {
            let msg = e.to_string();
            let msg = match msg.find(" at line ") {
                Some(i) => msg[..i].to_string(),
                None => msg,
            };
            let d = Diagnostic::error(format!("not valid JSON: {msg}"))
                .with_hint("a custom lens is one JSON object; check the syntax at this position");
            let d = if e.line() > 0 {
                d.at_line_col(file, text, e.line(), e.column())
            } else {
                d.in_file(file)
            };
            return Err(vec![d]);
        }
    };
    let pos = Positions::scan(patched.as_deref().unwrap_or(text));
    if !not_json.is_empty() {
        let paths = pos.paths_by_offset();
        let mut errors = Vec::new();
        let mut early = Vec::new();
        let listed = crate::diag::MAX_PER_FILE;
        for &(offset, token) in not_json.iter().take(listed) {
            let meaning = NOT_JSON
                .iter()
                .find(|(t, _)| *t == token)
                .map_or("", |m| m.1);
            let path = paths
                .get(&offset)
                .map_or("(a value)".to_string(), |p| p.to_string());
            let d = if opts.lenient {
                Diagnostic::warning(format!("{path}: `{token}` is not JSON; imported as empty"))
                    .with_hint("fill it in before `wa-docs lens export`, which refuses empty text")
            } else {
                Diagnostic::error(format!("{path}: `{token}` is not JSON")).with_hint(format!(
                    "it is {meaning}; write the value, or import with --lenient to take each \
                     such value as empty text"
                ))
            };
            let d = d.at(file, text, offset, token.len());
            if opts.lenient {
                early.push(d);
            } else {
                errors.push(d);
            }
        }
        let more = not_json.len().saturating_sub(listed);
        let more = match opts.lenient {
            true => crate::diag::Overflow {
                errors: 0,
                warnings: more,
            },
            false => crate::diag::Overflow {
                errors: more,
                warnings: 0,
            },
        };
        if !errors.is_empty() {
            errors.extend(more.summary(file));
            return Err(errors);
        }
        early.extend(more.summary(file));
        return import_parsed(text, file, opts, &doc, &pos, early);
    }
    import_parsed(text, file, opts, &doc, &pos, Vec::new())
}

/// The import proper, once the text is parsed; `early` holds warnings found on the way.
fn import_parsed(
    text: &str,
    file: &Path,
    opts: &ImportOptions,
    doc: &Value,
    pos: &Positions,
    early: Vec<Diagnostic>,
) -> Result<(Lens, Vec<Diagnostic>), Vec<Diagnostic>> {
    let at = |d: Diagnostic, path: &JsonPath, key: bool| {
        let span = if key {
            pos.locate_key(path)
        } else {
            pos.locate(path)
        };
        d.at(file, text, span.offset, span.len)
    };
    let problems = limits::check_wa_json(doc);
    let mut early = early;
    if let Some(p) = limits::check_size(text.len()) {
        early.push(Diagnostic::warning(p.message).in_file(file));
    }
    for (path, span) in &pos.duplicates {
        early.push(
            Diagnostic::warning(format!(
                "{path}: the key appears more than once in its object; only the last value is kept"
            ))
            .with_hint(
                "JSON readers, the WA Tool's included, keep one value per key: remove the others",
            )
            .at(file, text, span.offset, span.len),
        );
    }
    let stem = file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut imp = Importer::new(stem);
    let lens = imp.lens(doc, opts.lens_id.as_deref(), &opts.project, file);
    // What the importer did about a problem is added to the problem's own warning.
    let carry_path = JsonPath::root().key(CARRY_KEY);
    let mut items: Vec<(JsonPath, String, bool)> = problems
        .iter()
        .filter(|p| !(imp.carried.is_some() && p.path == carry_path))
        .map(|p| {
            let key = p.kind == ProblemKind::Unknown;
            (p.path.clone(), p.message.clone(), key)
        })
        .collect();
    for (path, short, alone) in &imp.notes {
        match items.iter_mut().find(|(p, _, key)| p == path && !key) {
            Some((_, msg, _)) => {
                msg.push_str("; ");
                msg.push_str(short);
            }
            None => items.push((path.clone(), alone.clone(), false)),
        }
    }
    // Locating a problem costs time in the file's size: past the per-file limit, count them.
    let listed = crate::diag::MAX_PER_FILE;
    let mut warnings: Vec<Diagnostic> = items
        .iter()
        .take(listed)
        .map(|(path, msg, key)| at(Diagnostic::warning(format!("{path}: {msg}")), path, *key))
        .collect();
    let more = crate::diag::Overflow {
        errors: 0,
        warnings: items.len().saturating_sub(listed),
    };
    warnings.extend(more.summary(file));
    warnings.extend(early);
    let sort = |v: &mut Vec<Diagnostic>| {
        v.sort_by_key(|d| d.location.as_ref().map_or(0, |l| l.offset));
    };
    sort(&mut warnings);
    match lens {
        Some(lens) if imp.errors.is_empty() => Ok((lens, warnings)),
        _ => {
            let mut errors: Vec<Diagnostic> = imp
                .errors
                .iter()
                .take(listed)
                .map(|(path, msg)| at(Diagnostic::error(format!("{path}: {msg}")), path, false))
                .collect();
            let more = crate::diag::Overflow {
                errors: imp.errors.len().saturating_sub(listed),
                warnings: 0,
            };
            errors.extend(more.summary(file));
            sort(&mut errors);
            errors.extend(warnings);
            Err(errors)
        }
    }
}

/// Imports a parsed document without diagnostics (export checks what its JSON gives back).
pub(super) fn import_value(doc: &Value, opts: &ImportOptions) -> Option<Lens> {
    let mut imp = Importer::new("lens".into());
    imp.lens(
        doc,
        opts.lens_id.as_deref(),
        &opts.project,
        Path::new("lens.json"),
    )
    .filter(|_| imp.errors.is_empty())
}
