//! The theme: tera templates and static assets. The default theme is embedded in the binary so
//! `wa-docs` works from any folder; a project's `themes/NAME/` overrides files one by one.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rust_embed::RustEmbed;
use tera::Tera;

use crate::diag::Diagnostic;

#[derive(RustEmbed)]
#[folder = "themes/default/"]
struct DefaultTheme;

/// A theme file and where it came from (for diagnostics).
#[derive(Debug, Clone, PartialEq)]
pub struct ThemeFile {
    pub origin: PathBuf,
    pub bytes: Vec<u8>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Theme {
    /// Keyed by path inside the theme, e.g. `templates/page.html`, `static/wa.css`.
    pub files: BTreeMap<String, ThemeFile>,
}

impl Theme {
    pub fn load(root: &Path, name: &str) -> Result<Theme, Diagnostic> {
        let mut files = BTreeMap::new();
        for path in DefaultTheme::iter() {
            if let Some(f) = DefaultTheme::get(&path) {
                files.insert(
                    path.to_string(),
                    ThemeFile {
                        origin: PathBuf::from("<built-in theme>").join(path.as_ref()),
                        bytes: f.data.into_owned(),
                    },
                );
            }
        }
        let dir = Path::new("themes").join(name);
        let full = root.join(&dir);
        if full.is_dir() {
            for entry in walkdir::WalkDir::new(&full)
                .follow_links(false)
                .sort_by_file_name()
            {
                let entry = entry.map_err(|e| {
                    Diagnostic::error(format!("cannot read theme: {e}")).in_file(&dir)
                })?;
                if !entry.file_type().is_file() {
                    continue;
                }
                let rel = entry.path().strip_prefix(&full).unwrap_or(entry.path());
                let key = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy())
                    .collect::<Vec<_>>()
                    .join("/");
                let bytes = std::fs::read(entry.path()).map_err(|e| {
                    Diagnostic::error(format!("cannot read theme file: {e}"))
                        .in_file(&dir.join(rel))
                })?;
                files.insert(
                    key,
                    ThemeFile {
                        origin: dir.join(rel),
                        bytes,
                    },
                );
            }
        } else if name != "default" {
            return Err(Diagnostic::error(format!(
                "theme `{name}` not found: no folder {}",
                dir.display()
            ))
            .with_hint(
                "create themes/NAME/ with the templates to override, or remove `theme` from [wa]",
            )
            .in_file(Path::new(crate::config::CONFIG_FILE)));
        }
        Ok(Theme { files })
    }

    /// Static assets (`static/...`), keyed by their path under `static/`.
    pub fn assets(&self) -> impl Iterator<Item = (&str, &ThemeFile)> {
        self.files
            .iter()
            .filter_map(|(k, f)| k.strip_prefix("static/").map(|k| (k, f)))
    }

    /// Compiles every template; a syntax error names the template file, line and column.
    pub fn tera(&self) -> Result<Tera, Diagnostic> {
        let mut tera = Tera::default();
        tera.autoescape_on(vec![".html", ".xml"]);
        // Tera's default also escapes `/`, which mangles every URL; HTML needs only these five.
        tera.set_escape_fn(crate::render::escape_html);
        let mut templates = Vec::new();
        for (key, file) in &self.files {
            if let Some(name) = key.strip_prefix("templates/") {
                let text = String::from_utf8(file.bytes.clone()).map_err(|_| {
                    Diagnostic::error("template is not UTF-8").in_file(&file.origin)
                })?;
                templates.push((name.to_string(), text, file.origin.clone()));
            }
        }
        if let Err(e) =
            tera.add_raw_templates(templates.iter().map(|(n, t, _)| (n.clone(), t.clone())))
        {
            // Tera names the failing template in quotes; attribute the error to its file.
            let msg = chain(&e);
            let culprit = templates
                .iter()
                .find(|(n, _, _)| msg.contains(&format!("'{n}'")));
            return Err(match culprit {
                Some((_, text, origin)) => template_error(&e, origin, Some(text)),
                None => Diagnostic::error(format!("templates: {msg}"))
                    .with_hint("check block, extends and include names across templates"),
            });
        }
        Ok(tera)
    }

    pub fn origin(&self, template: &str) -> PathBuf {
        self.files
            .get(&format!("templates/{template}"))
            .map(|f| f.origin.clone())
            .unwrap_or_else(|| PathBuf::from(template))
    }
}

/// The whole error chain in one line (tera nests the useful part).
pub fn chain(e: &dyn std::error::Error) -> String {
    let mut parts = vec![e.to_string()];
    let mut cur = e.source();
    while let Some(s) = cur {
        parts.push(s.to_string());
        cur = s.source();
    }
    parts.join(": ")
}

/// Turns a tera error into a diagnostic at the template position tera reports (`--> L:C`).
pub fn template_error(e: &tera::Error, origin: &Path, text: Option<&str>) -> Diagnostic {
    let msg = chain(e);
    let pos = msg.find("--> ").and_then(|i| {
        let rest = &msg[i + 4..];
        let end = rest
            .find(|c: char| !(c.is_ascii_digit() || c == ':'))
            .unwrap_or(rest.len());
        let (l, c) = rest[..end].split_once(':')?;
        Some((l.parse::<usize>().ok()?, c.parse::<usize>().ok()?))
    });
    let first = msg.lines().next().unwrap_or("template error").to_string();
    let detail: String = msg
        .lines()
        .filter(|l| l.trim_start().starts_with('='))
        .map(|l| l.trim().trim_start_matches("= ").to_string())
        .collect::<Vec<_>>()
        .join("; ");
    let message = if detail.is_empty() {
        format!("template error: {first}")
    } else {
        format!("template error: {first}: {detail}")
    };
    let d = Diagnostic::error(message)
        .with_hint("fix the template; tera syntax: https://keats.github.io/tera/docs/");
    match (pos, text) {
        (Some((l, c)), Some(t)) => d.at_line_col(origin, t, l, c),
        _ => d.in_file(origin),
    }
}
