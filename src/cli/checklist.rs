//! `wa-docs checklist [--root DIR] --list` and
//! `wa-docs checklist [--root DIR] SCENARIO --format md|confluence|mediawiki|csv|json|html [-o FILE]
//! [--answers FILE.json]`.
//! Without `--answers` the output is byte for byte the file the build writes to `checklists/`;
//! with it, the statuses of a JSON export (from the checklist page or `-f json`) are filled in
//! and each question's risk is shown where the format has room for it.

use std::io::{IsTerminal, Write};
use std::path::Path;

use super::error::{EXIT_OK, Failure, Outcome};
use crate::checklist::{self as checklists, Assets, Checklist, Format, Status};
use crate::diag::Diagnostic;
use crate::project::{Project, load_project};
use crate::render::theme::Theme;

/// [`run_with_answers`] without answers, reported: the exit code.
pub fn run(
    root: &Path,
    list: bool,
    scenario: Option<&str>,
    format: Option<&str>,
    out: Option<&Path>,
) -> i32 {
    match run_with_answers(root, list, scenario, format, out, None) {
        Ok(()) => EXIT_OK,
        Err(f) => f.report(std::io::stderr().is_terminal()),
    }
}

/// `wa-docs checklist`: the list, or one export (with `--answers FILE`, filled in). Warnings
/// (answers for items the checklist does not have, relative links) go to standard error and
/// the export is still written.
pub fn run_with_answers(
    root: &Path,
    list: bool,
    scenario: Option<&str>,
    format: Option<&str>,
    out: Option<&Path>,
    answers: Option<&Path>,
) -> Outcome {
    let color = std::io::stderr().is_terminal();
    let bytes = if list {
        if scenario.is_some() || format.is_some() || out.is_some() || answers.is_some() {
            return Err(Failure::usage(
                Diagnostic::error("--list takes no scenario, --format, -o or --answers").with_hint(
                    "run `wa-docs checklist --list`, then `wa-docs checklist ID --format md`",
                ),
            ));
        }
        list_text(root)?.into_bytes()
    } else {
        let Some(id) = scenario else {
            let p = load(root)?;
            return Err(Failure::usage(
                Diagnostic::error("name a checklist to export, or pass --list")
                    .with_hint(valid_ids(&checklists::all(&p))),
            ));
        };
        let (bytes, warnings) = export_checklist(root, id, format.unwrap_or("md"), answers)?;
        for w in &warnings {
            eprintln!("{}", w.render(color));
        }
        bytes
    };
    match out {
        Some(path) => std::fs::write(path, &bytes).map_err(|e| (path.display().to_string(), e)),
        None => {
            let mut stdout = std::io::stdout().lock();
            stdout
                .write_all(&bytes)
                .and_then(|_| stdout.flush())
                .map_err(|e| ("standard output".to_string(), e))
        }
    }
    .map_err(|(to, e)| Failure::usage(Diagnostic::error(format!("cannot write {to}: {e}"))))
}

fn load(root: &Path) -> Result<Project, Failure> {
    let (project, diags) = load_project(root);
    let errors: Vec<Diagnostic> = diags.items.into_iter().filter(|d| d.is_error()).collect();
    match project {
        Some(p) if errors.is_empty() => Ok(p),
        _ => Err(Failure::listed(errors)),
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
    let lists = checklists::all(&project);
    let width = lists.iter().map(|c| c.id.len()).max().unwrap_or(0);
    let mut out = String::new();
    for c in &lists {
        out.push_str(&format!(
            "{:width$}  {:8}  {:>4} items  {}\n",
            c.id,
            c.kind_label().to_lowercase(),
            c.item_count(),
            checklists::one_line(&c.title),
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
    parse_answers_of(text).map(|(_, a)| a)
}

/// Answers read from an export: the id of the checklist it is of (its top-level `id`), and
/// (item id, status) in file order.
pub type Answers = (Option<String>, Vec<(String, Status)>);

/// [`parse_answers`], with the id of the checklist the export is of.
pub fn parse_answers_of(text: &str) -> Result<Answers, String> {
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
    let of = v.get("id").and_then(|x| x.as_str()).map(String::from);
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
    Ok((of, out))
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
    let lists = checklists::all(&project);
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
        let not_export = |why: String| {
            Failure::listed(vec![
                Diagnostic::error(format!("{shown} is not a checklist JSON export: {why}"))
                    .with_hint(format!(
                        "pass a file from the checklist page's \"Download JSON\" or from `wa-docs checklist {id} -f json`"
                    ))
                    .in_file(file),
            ])
        };
        let (of, parsed) = parse_answers_of(&text).map_err(not_export)?;
        if let Some(other) = of.filter(|o| o != id) {
            return Err(Failure::listed(vec![
                Diagnostic::error(format!(
                    "{shown} holds the answers of checklist `{other}`, not of `{id}`"
                ))
                .with_hint(format!(
                    "run `wa-docs checklist {other} --answers {shown}`, or pass an export of `{id}`"
                ))
                .in_file(file),
            ]));
        }
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
    warnings.extend(checklists::relative_links_warning(&project.config));
    let cl = &cl;
    let assets = if format == Format::Html {
        let theme = Theme::load(&project.root, &project.config.wa.theme).map_err(Failure::usage)?;
        Assets::from_theme(&theme)
    } else {
        Assets::default()
    };
    Ok((cl.export(format, &assets), warnings))
}
