//! The lens model -> WA Tool custom-lens JSON, refusing what the WA Tool would reject: every
//! problem located at its YAML file:line:col. The document is built by [`super::export_doc`]
//! and fitted into the WA Tool's size limit by [`super::export_carry`].

use serde_json::Value;

use super::export_carry::{carry, fitting};
use super::export_doc::{Exporter, is_imported};
use super::limits::{self, Problem, ProblemKind};
use super::locate::locate;
use crate::diag::Diagnostic;
use crate::lens::LensFile;

/// The WA Tool JSON for a lens, or every problem (errors, and the warnings found with them),
/// each at the YAML file:line:col of the value concerned.
pub fn export_json(lf: &LensFile) -> Result<String, Vec<Diagnostic>> {
    export_json_with_warnings(lf).map(|(json, _)| json)
}

/// [`export_json`], also returning warnings: values kept as written from an imported file that
/// break a WA Tool rule (the WA Tool had accepted them), and wa-docs content the format has no
/// place for.
pub fn export_json_with_warnings(
    lf: &LensFile,
) -> Result<(String, Vec<Diagnostic>), Vec<Diagnostic>> {
    export_json_with(lf, &ExportOptions::default())
}

/// Options for [`export_json_with`].
#[derive(Debug, Clone, Default)]
pub struct ExportOptions {
    /// Shorten texts over the WA Tool's length limits (at a word, ending in `…`) instead of
    /// refusing the lens; every cut is reported as a warning. Values kept as written from an
    /// imported file are never changed.
    pub truncate: bool,
}

/// [`export_json_with_warnings`] with options.
pub fn export_json_with(
    lf: &LensFile,
    opts: &ExportOptions,
) -> Result<(String, Vec<Diagnostic>), Vec<Diagnostic>> {
    let mut ex = Exporter::new(&lf.lens, opts.truncate);
    let mut doc = ex.lens();
    let authored = !is_imported(&lf.lens.extra);
    if authored {
        carry(&lf.lens, &mut doc);
    }
    let value = serde_json::to_value(&doc).unwrap_or(Value::Null);
    let mut problems = limits::check_wa_json(&value);
    let mut json = fitting(&mut doc, authored);
    problems.extend(limits::check_size(json.len()));
    json.push('\n');
    let src = &lf.source;
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    // Locating a problem searches the YAML, so past the per-file limit they are only counted.
    let mut overflow = crate::diag::Overflow::default();
    for p in &problems {
        if p.kind == ProblemKind::Unknown {
            continue;
        }
        let kept = ex.verbatim.iter().any(|v| p.path.starts_with(v));
        if errors.len() + warnings.len() >= crate::diag::MAX_PER_FILE {
            if kept {
                overflow.warnings += 1;
            } else {
                overflow.errors += 1;
            }
            continue;
        }
        let (offset, len, label) = locate(lf, p);
        let mut hint = format!("in the WA Tool JSON: {}", p.path);
        if p.message.contains(" characters, over ") {
            hint.push_str("; lengths count the plain text the WA Tool shows (markdown removed)");
        }
        if kept {
            let d = Diagnostic::warning(format!(
                "{label}: {} (kept as written in the imported file)",
                p.message
            ))
            .with_hint(hint);
            warnings.push(d.at(&src.path, &src.text, offset, len));
        } else {
            let d = Diagnostic::error(format!("{label}: {}", p.message)).with_hint(hint);
            errors.push(d.at(&src.path, &src.text, offset, len));
        }
    }
    match overflow.summary(&src.path) {
        Some(d) if d.is_error() => errors.push(d),
        Some(d) => warnings.push(d),
        None => {}
    }
    warnings.extend(notices(lf, &ex, authored));
    if errors.is_empty() {
        Ok((json, warnings))
    } else {
        errors.extend(warnings);
        Err(errors)
    }
}

/// Warnings about the export as a whole: texts `--truncate` cut, wa-docs content an imported
/// lens has no place for, and a version too long to publish.
fn notices(lf: &LensFile, ex: &Exporter, authored: bool) -> Vec<Diagnostic> {
    let src = &lf.source;
    let mut warnings = Vec::new();
    for (path, from, to, max) in &ex.cuts {
        let p = Problem {
            path: path.clone(),
            message: String::new(),
            kind: ProblemKind::Rule,
            token: None,
        };
        let (offset, len, label) = locate(lf, &p);
        warnings.push(
            Diagnostic::warning(format!(
                "{label}: cut from {from} to {to} characters to fit the WA Tool limit of {max} (--truncate)"
            ))
            .with_hint(format!("in the WA Tool JSON: {path}"))
            .at(&src.path, &src.text, offset, len),
        );
    }
    let id_at = src.offset_of_value("id", &lf.lens.id);
    // An authored lens carries them (`_wa_docs`); an imported one has nowhere to put them.
    if !authored && !ex.dropped.is_empty() {
        let list: Vec<&str> = ex.dropped.iter().copied().collect();
        warnings.push(
            Diagnostic::warning(format!(
                "lens {}: not in the WA Tool JSON, which has no place for them: {}",
                lf.lens.id,
                list.join(", ")
            ))
            .with_hint("they stay in the wa-docs site")
            .at(&src.path, &src.text, id_at, lf.lens.id.len()),
        );
    }
    if let Some(v) = &lf.lens.version
        && v.chars().count() > limits::MAX_VERSION
    {
        let at = src.offset_of_value("version", v);
        warnings.push(
            Diagnostic::warning(format!(
                "lens {}: version `{v}` is longer than the {} characters the WA Tool allows when publishing a lens version",
                lf.lens.id,
                limits::MAX_VERSION
            ))
            .at(&src.path, &src.text, at, v.len()),
        );
    }
    warnings
}

/// The lens's WA Tool JSON when it is exportable, for the site to publish as `lens.json` beside
/// the lens page; `None` when the WA Tool would reject it.
pub fn lens_json_for_site(lf: &LensFile) -> Option<String> {
    export_json(lf).ok()
}
