//! `wa-docs checklist [--root DIR] --list` and
//! `wa-docs checklist [--root DIR] SCENARIO --format md|confluence|mediawiki|csv|json|html [-o FILE]
//! [--answers FILE.json]`.
//! Without `--answers` the output is byte for byte the file the build writes to `checklists/`;
//! with it, the statuses of a JSON export (from the checklist page or `-f json`) are filled in
//! and each question's risk is shown where the format has room for it.

use std::io::{IsTerminal, Write};
use std::path::Path;

use super::{Assets, Checklist, Format, Status};
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
    run_with_answers(root, list, scenario, format, out, None)
}

/// [`run`] with `--answers FILE`: warnings (answers for items the checklist does not have) go
/// to standard error and the export is still written.
pub fn run_with_answers(
    root: &Path,
    list: bool,
    scenario: Option<&str>,
    format: Option<&str>,
    out: Option<&Path>,
    answers: Option<&Path>,
) -> i32 {
    let color = std::io::stderr().is_terminal();
    let result = if list {
        if scenario.is_some() || format.is_some() || out.is_some() || answers.is_some() {
            Err(Failure::usage(
                Diagnostic::error("--list takes no scenario, --format, -o or --answers").with_hint(
                    "run `wa-docs checklist --list`, then `wa-docs checklist ID --format md`",
                ),
            ))
        } else {
            list_text(root).map(String::into_bytes)
        }
    } else {
        match scenario {
            Some(id) => match answers {
                None => export(root, id, format.unwrap_or("md")),
                Some(file) => export_with_answers(root, id, format.unwrap_or("md"), file).map(
                    |(bytes, warnings)| {
                        for w in &warnings {
                            eprintln!("{}", w.render(color));
                        }
                        bytes
                    },
                ),
            },
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
        Ok(b) => {
            if scenario.is_some()
                && let Ok(config) = crate::config::Config::load(root)
                && let Some(w) = super::relative_links_warning(&config)
            {
                eprintln!("{}", w.render(color));
            }
            b
        }
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
    export_checklist(root, id, format, None).map(|(bytes, _)| bytes)
}

/// One export with the answers of a JSON export filled in, and warnings about answers that name
/// items this checklist does not have.
pub fn export_with_answers(
    root: &Path,
    id: &str,
    format: &str,
    answers: &Path,
) -> Result<(Vec<u8>, Vec<Diagnostic>), Failure> {
    export_checklist(root, id, format, Some(answers))
}

/// The statuses in a checklist JSON export, in file order: (item id, status). Only the shape
/// the exports share is required: `lenses[].pillars[].questions[].items[]` with `id` and
/// `status`.
pub fn parse_answers(text: &str) -> Result<Vec<(String, Status)>, String> {
    let v: serde_json::Value = serde_json::from_str(text.trim_start_matches('\u{feff}'))
        .map_err(|e| format!("it is not JSON ({e})"))?;
    let arr =
        |v: &serde_json::Value, key: &str, at: &str| -> Result<Vec<serde_json::Value>, String> {
            v.get(key)
                .and_then(|x| x.as_array())
                .cloned()
                .ok_or_else(|| format!("{at} has no `{key}` list"))
        };
    if !v.is_object() {
        return Err("it is not a JSON object".into());
    }
    let mut out = Vec::new();
    for (li, l) in arr(&v, "lenses", "the file")?.iter().enumerate() {
        for (pi, p) in arr(l, "pillars", &format!("lenses[{li}]"))?
            .iter()
            .enumerate()
        {
            for (qi, q) in arr(p, "questions", &format!("lenses[{li}].pillars[{pi}]"))?
                .iter()
                .enumerate()
            {
                let at = format!("lenses[{li}].pillars[{pi}].questions[{qi}]");
                for (ii, item) in arr(q, "items", &at)?.iter().enumerate() {
                    let at = format!("{at}.items[{ii}]");
                    let id = item
                        .get("id")
                        .and_then(|x| x.as_str())
                        .ok_or_else(|| format!("{at} has no `id`"))?;
                    let status = item
                        .get("status")
                        .and_then(|x| x.as_str())
                        .ok_or_else(|| format!("{at} ({id}) has no `status`"))?;
                    let status = Status::parse(status).ok_or_else(|| {
                        format!(
                            "{at} ({id}) has status `{status}`; expected open, done or not_applicable"
                        )
                    })?;
                    out.push((id.to_string(), status));
                }
            }
        }
    }
    Ok(out)
}

/// Fills `answers` into `cl`: ids renamed through `previous-ids` go to their new item (an answer
/// under the new id wins). Returns the ids the checklist does not have, with their status.
pub fn apply_answers(cl: &mut Checklist, answers: &[(String, Status)]) -> Vec<(String, Status)> {
    let current: std::collections::HashSet<String> =
        cl.items().map(|(.., i)| i.id.clone()).collect();
    let mut unknown = Vec::new();
    let mut renamed = Vec::new();
    let mut direct = Vec::new();
    for (id, status) in answers {
        if current.contains(id) {
            direct.push((id.clone(), *status));
        } else if let Some(new) = cl.renamed.get(id).filter(|n| current.contains(*n)) {
            renamed.push((new.clone(), *status));
        } else {
            unknown.push((id.clone(), *status));
        }
    }
    for (id, status) in renamed.into_iter().chain(direct) {
        cl.set_status(&id, status);
    }
    unknown
}

fn export_checklist(
    root: &Path,
    id: &str,
    format: &str,
    answers: Option<&Path>,
) -> Result<(Vec<u8>, Vec<Diagnostic>), Failure> {
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
    let mut cl = cl.clone();
    let mut warnings = Vec::new();
    if let Some(file) = answers {
        let shown = file.display();
        let text = std::fs::read_to_string(file).map_err(|e| {
            Failure::usage(Diagnostic::error(format!(
                "cannot read the answers file {shown}: {e}"
            )))
        })?;
        let parsed = parse_answers(&text).map_err(|why| Failure {
            code: EXIT_CONTENT,
            diags: vec![
                Diagnostic::error(format!(
                    "{shown} is not a checklist JSON export: {why}"
                ))
                .with_hint(format!(
                    "pass a file from the checklist page's \"Download JSON\" or from `wa-docs checklist {id} -f json`"
                )),
            ],
        })?;
        let unknown = apply_answers(&mut cl, &parsed);
        if !unknown.is_empty() {
            warnings.push(
                Diagnostic::warning(format!(
                    "{shown}: {} answer{} for items checklist `{id}` does not have, left out: {}",
                    unknown.len(),
                    if unknown.len() == 1 { "" } else { "s" },
                    unknown
                        .iter()
                        .map(|(i, s)| format!("{i} ({})", s.as_str()))
                        .collect::<Vec<_>>()
                        .join(", ")
                ))
                .with_hint("the item was removed or renamed without `previous-ids` in the lens"),
            );
        }
    }
    let cl = &cl;
    let assets = if format == Format::Html {
        let theme = Theme::load(&project.root, &project.config.wa.theme).map_err(Failure::usage)?;
        Assets::from_theme(&theme)
    } else {
        Assets::default()
    };
    Ok((cl.export(format, &assets), warnings))
}
