//! `wa-docs checklist [--root DIR] --list` and
//! `wa-docs checklist [--root DIR] SCENARIO --format md|confluence|mediawiki|csv|json|html [-o FILE]`.
//! The output is byte for byte the file the build writes to `checklists/`.

use std::io::{IsTerminal, Write};
use std::path::Path;

use super::{Assets, Checklist, Format};
use crate::diag::Diagnostic;
use crate::project::{Project, load_project};
use crate::render::theme::Theme;

const EXIT_OK: i32 = 0;
const EXIT_CONTENT: i32 = 1;
const EXIT_USAGE: i32 = 2;

/// Why a checklist command failed: the problems to print and the exit code.
#[derive(Debug)]
pub struct Failure {
    pub code: i32,
    pub diags: Vec<Diagnostic>,
}

impl Failure {
    fn usage(d: Diagnostic) -> Failure {
        Failure {
            code: EXIT_USAGE,
            diags: vec![d],
        }
    }

    /// Every message and hint, one per line (for tests and logs).
    pub fn text(&self) -> String {
        self.diags
            .iter()
            .map(|d| d.render(false))
            .collect::<Vec<_>>()
            .join("\n")
    }
}

pub fn run(
    root: &Path,
    list: bool,
    scenario: Option<&str>,
    format: Option<&str>,
    out: Option<&Path>,
) -> i32 {
    let color = std::io::stderr().is_terminal();
    let result = if list {
        if scenario.is_some() || format.is_some() || out.is_some() {
            Err(Failure::usage(
                Diagnostic::error("--list takes no scenario, --format or -o").with_hint(
                    "run `wa-docs checklist --list`, then `wa-docs checklist ID --format md`",
                ),
            ))
        } else {
            list_text(root).map(String::into_bytes)
        }
    } else {
        match scenario {
            Some(id) => export(root, id, format.unwrap_or("md")),
            None => Err(match load(root) {
                Ok(p) => Failure::usage(
                    Diagnostic::error("name a checklist to export, or pass --list")
                        .with_hint(valid_ids(&super::all(&p))),
                ),
                Err(f) => f,
            }),
        }
    };
    let bytes = match result {
        Ok(b) => b,
        Err(f) => {
            for d in &f.diags {
                eprintln!("{}", d.render(color));
            }
            return f.code;
        }
    };
    let written = match out {
        Some(path) => std::fs::write(path, &bytes).map_err(|e| (path.display().to_string(), e)),
        None => {
            let mut stdout = std::io::stdout().lock();
            stdout
                .write_all(&bytes)
                .and_then(|_| stdout.flush())
                .map_err(|e| ("standard output".to_string(), e))
        }
    };
    match written {
        Ok(()) => EXIT_OK,
        Err((to, e)) => {
            eprintln!(
                "{}",
                Diagnostic::error(format!("cannot write {to}: {e}")).render(color)
            );
            EXIT_USAGE
        }
    }
}

fn load(root: &Path) -> Result<Project, Failure> {
    let (project, diags) = load_project(root);
    let errors: Vec<Diagnostic> = diags.items.into_iter().filter(|d| d.is_error()).collect();
    match project {
        Some(p) if errors.is_empty() => Ok(p),
        _ => {
            let content = errors.iter().any(|d| d.source_line.is_some());
            Err(Failure {
                code: if content { EXIT_CONTENT } else { EXIT_USAGE },
                diags: errors,
            })
        }
    }
}

fn valid_ids(lists: &[Checklist]) -> String {
    if lists.is_empty() {
        "this project has no scenarios or lenses, so no checklists".into()
    } else {
        format!(
            "valid checklists: {}",
            lists
                .iter()
                .map(|c| c.id.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )
    }
}

/// `--list`: one line per checklist: id, kind, item count, title.
pub fn list_text(root: &Path) -> Result<String, Failure> {
    let project = load(root)?;
    let lists = super::all(&project);
    let width = lists.iter().map(|c| c.id.len()).max().unwrap_or(0);
    let mut out = String::new();
    for c in &lists {
        out.push_str(&format!(
            "{:width$}  {:8}  {:>4} items  {}\n",
            c.id,
            c.kind_label().to_lowercase(),
            c.item_count(),
            super::one_line(&c.title),
        ));
    }
    Ok(out)
}

/// One export's bytes, exactly as the build writes them.
pub fn export(root: &Path, id: &str, format: &str) -> Result<Vec<u8>, Failure> {
    let Some(format) = Format::parse(format) else {
        return Err(Failure::usage(
            Diagnostic::error(format!("unknown format `{format}`"))
                .with_hint(format!("valid formats: {}", Format::names())),
        ));
    };
    let project = load(root)?;
    let lists = super::all(&project);
    let Some(cl) = lists.iter().find(|c| c.id == id) else {
        return Err(Failure::usage(
            Diagnostic::error(format!("unknown checklist `{id}`")).with_hint(valid_ids(&lists)),
        ));
    };
    let assets = if format == Format::Html {
        let theme = Theme::load(&project.root, &project.config.wa.theme).map_err(Failure::usage)?;
        Assets::from_theme(&theme)
    } else {
        Assets::default()
    };
    Ok(cl.export(format, &assets))
}
