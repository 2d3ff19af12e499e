//! `wa-docs lens import`, `wa-docs lens export` and `wa-docs lens diff`.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use super::{Failure, Outcome, print_bytes, print_diags};
use crate::aws::{self, ImportOptions};
use crate::build::{self, BuildOptions};
use crate::config::{CONFIG_FILE, Config};
use crate::diag::{Diagnostic, Diagnostics};
use crate::lens::{self, Lens};

/// An imported lens: the file it came from, the lens, and how many warnings it had.
type Imported = (PathBuf, Lens, usize);

pub struct ImportArgs {
    pub inputs: Vec<PathBuf>,
    pub root: PathBuf,
    pub output: Option<PathBuf>,
    pub site: Option<PathBuf>,
    pub force: bool,
    pub lenient: bool,
    pub quiet: bool,
}

/// The JSON files named: files as given, folders as their `*.json` files (sorted).
fn json_files(inputs: &[PathBuf]) -> Result<Vec<PathBuf>, Diagnostic> {
    let mut out = Vec::new();
    for input in inputs {
        if input.is_dir() {
            let entries = std::fs::read_dir(input).map_err(|e| {
                Diagnostic::error(format!("cannot list folder: {e}")).in_file(input)
            })?;
            let mut found: Vec<PathBuf> = entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| {
                    p.is_file()
                        && p.extension()
                            .is_some_and(|x| x.eq_ignore_ascii_case("json"))
                        && !p
                            .file_name()
                            .is_some_and(|n| n.to_string_lossy().starts_with('.'))
                })
                .collect();
            if found.is_empty() {
                return Err(
                    Diagnostic::error(format!("{} holds no .json files", input.display()))
                        .with_hint("name custom-lens JSON files, or a folder that holds them"),
                );
            }
            found.sort();
            out.extend(found);
        } else if input.is_file() {
            out.push(input.clone());
        } else {
            return Err(
                Diagnostic::error(format!("{} does not exist", input.display()))
                    .with_hint("name custom-lens JSON files or folders of them"),
            );
        }
    }
    Ok(out)
}

fn header(file: &Path, lens: &Lens) -> String {
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    if !lens.extra.contains_key(aws::WA_SOURCE) {
        return format!(
            "# Imported from {name} (written by `wa-docs lens export`) by `wa-docs lens import`:\n\
             # ids, version and the fields the WA Tool does not show are as they were exported.\n"
        );
    }
    format!(
        "# Imported from {name} (AWS Well-Architected Tool custom-lens JSON) by `wa-docs lens import`.\n\
         # Ids carry the lens id as prefix so they are unique in the project; `extra` keeps the WA\n\
         # Tool's own ids (`wa-tool-id`) and everything else the lens model does not hold, so\n\
         # `wa-docs lens export` writes the original JSON back. Text is the WA Tool's plain text\n\
         # (`<`, `[` and `\\` are escaped for markdown).\n"
    )
}

/// The lenses of the project at `root` and their earlier versions (`[wa] lens-history`): what
/// import restores texts carried by reference from. No project there: none. Problems in them
/// are not this command's to report.
fn project_lenses(root: &Path) -> std::sync::Arc<Vec<Lens>> {
    let Ok(config) = Config::load(root) else {
        return Default::default();
    };
    let mut quiet = Diagnostics::default();
    let mut out: Vec<Lens> = lens::load_lenses(root, &config.wa.lens_dir, &mut quiet)
        .into_iter()
        .map(|lf| lf.lens)
        .collect();
    out.extend(
        crate::history::load(root, &config, &mut quiet)
            .into_iter()
            .map(|v| v.lens),
    );
    std::sync::Arc::new(out)
}

/// Imports every file; lens ids are made unique across the run. Returns the lenses and
/// whether any file failed.
fn import_all(
    files: &[PathBuf],
    root: &Path,
    lenient: bool,
    diags: &mut Diagnostics,
) -> Result<(Vec<Imported>, bool), Diagnostic> {
    let project = project_lenses(root);
    let mut ids = HashSet::new();
    let mut out = Vec::new();
    let mut failed = false;
    for file in files {
        let text = std::fs::read_to_string(file)
            .map_err(|e| Diagnostic::error(format!("cannot read file: {e}")).in_file(file))?;
        let mut opts = ImportOptions {
            lens_id: None,
            lenient,
            project: project.clone(),
        };
        let mut result = aws::import_json_with(&text, file, &opts);
        if let Ok((lens, _)) = &result
            && ids.contains(&lens.id)
        {
            let base = lens.id.clone();
            let id = (2..)
                .map(|n| format!("{base}-{n}"))
                .find(|c| !ids.contains(c))
                .unwrap_or(base);
            opts.lens_id = Some(id);
            result = aws::import_json_with(&text, file, &opts);
        }
        match result {
            Ok((lens, warnings)) => {
                ids.insert(lens.id.clone());
                let n = warnings.len();
                diags.extend(warnings);
                out.push((file.clone(), lens, n));
            }
            Err(problems) => {
                failed = true;
                diags.extend(problems);
            }
        }
    }
    Ok((out, failed))
}

fn summary(lens: &Lens, warnings: usize) -> String {
    format!(
        "{} pillars, {} questions, {} best practices, {warnings} warning{}",
        lens.pillars.len(),
        lens.questions().count(),
        lens.best_practice_count(),
        if warnings == 1 { "" } else { "s" }
    )
}

pub fn import(args: &ImportArgs, color: bool) -> Outcome {
    let files = json_files(&args.inputs)?;
    if args.output.is_some() && files.len() != 1 {
        return Err(Diagnostic::error(format!(
            "-o names one output file, but {} JSON files were given",
            files.len()
        ))
        .with_hint("leave out -o to write each lens into the project's lens folder")
        .into());
    }
    let mut diags = Diagnostics::default();
    let (lenses, failed) = match import_all(&files, &args.root, args.lenient, &mut diags) {
        Ok(r) => r,
        Err(d) => {
            print_diags(&diags, color);
            return Err(d.into());
        }
    };
    if failed {
        return Err(Failure::problems(&diags));
    }
    print_diags(&diags, color);
    if let Some(dest) = &args.site {
        return build_site(&lenses, dest, args.quiet, color);
    }
    if let Some(out) = &args.output {
        let (file, lens, warnings) = &lenses[0];
        let yaml = aws::lens_to_yaml(lens, &header(file, lens));
        if out.as_os_str() == "-" {
            return print_bytes(yaml.as_bytes());
        }
        write(out, &yaml)?;
        if !args.quiet {
            eprintln!(
                "Imported {} -> {} ({})",
                file.display(),
                out.display(),
                summary(lens, *warnings)
            );
        }
        return Ok(());
    }
    let lens_dir = if args.root.join(CONFIG_FILE).exists() {
        Config::load(&args.root)?.wa.lens_dir
    } else {
        PathBuf::from("lenses")
    };
    let dir = args.root.join(lens_dir);
    let targets: Vec<PathBuf> = lenses
        .iter()
        .map(|(_, l, _)| dir.join(format!("{}.yaml", l.id)))
        .collect();
    if !args.force
        && let Some(t) = targets.iter().find(|t| t.exists())
    {
        return Err(Diagnostic::error(format!("{} already exists", t.display()))
            .with_hint("pass --force to replace it, or -o to write elsewhere")
            .into());
    }
    for ((file, lens, warnings), target) in lenses.iter().zip(&targets) {
        write(target, &aws::lens_to_yaml(lens, &header(file, lens)))?;
        if !args.quiet {
            eprintln!(
                "Imported {} -> {} ({})",
                file.display(),
                target.display(),
                summary(lens, *warnings)
            );
        }
    }
    Ok(())
}

fn write(path: &Path, text: &str) -> Result<(), Diagnostic> {
    if let Some(parent) = path.parent()
        && !parent.as_os_str().is_empty()
    {
        std::fs::create_dir_all(parent)
            .map_err(|e| Diagnostic::error(format!("cannot create {}: {e}", parent.display())))?;
    }
    std::fs::write(path, text)
        .map_err(|e| Diagnostic::error(format!("cannot write {}: {e}", path.display())))
}

/// A temporary project holding the imported lenses, built into `dest`.
fn build_site(lenses: &[Imported], dest: &Path, quiet: bool, color: bool) -> Outcome {
    let tmp = tempfile::Builder::new()
        .prefix("wa-docs-import-")
        .tempdir()
        .map_err(|e| Diagnostic::error(format!("cannot create a temporary folder: {e}")))?;
    let title = match lenses {
        [(_, l, _)] => l.name.clone(),
        _ => "AWS Well-Architected custom lenses".to_string(),
    };
    let book = format!(
        "[book]\ntitle = {}\n\n[wa]\nlens-dir = \"lenses\"\ncontent-dir = \"content\"\n",
        toml::Value::String(title.clone())
    );
    let mut index = format!(
        "---\ntitle: {}\n---\nLenses imported from AWS Well-Architected Tool custom-lens JSON:\n\n",
        serde_json::to_string(&title).unwrap_or_default()
    );
    for (file, lens, _) in lenses {
        let name = file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        index.push_str(&format!(
            "- [[{}]] (from `{}`)\n",
            lens.id,
            name.replace('`', "'")
        ));
    }
    let mut files = vec![
        (PathBuf::from(CONFIG_FILE), book),
        (PathBuf::from("content/index.md"), index),
    ];
    for (file, lens, _) in lenses {
        files.push((
            PathBuf::from(format!("lenses/{}.yaml", lens.id)),
            aws::lens_to_yaml(lens, &header(file, lens)),
        ));
    }
    for (rel, text) in &files {
        write(&tmp.path().join(rel), text)?;
    }
    let opts = BuildOptions {
        dest: Some(dest.to_path_buf()),
        progress: !quiet && color,
    };
    match build::build(tmp.path(), &opts) {
        Ok((report, warnings)) => {
            print_diags(&warnings, color);
            if !quiet {
                eprintln!(
                    "Built {} pages from {} lens{} into {}",
                    report.pages,
                    lenses.len(),
                    if lenses.len() == 1 { "" } else { "es" },
                    dest.display()
                );
            }
            Ok(())
        }
        Err(d) => Err(Failure::problems(&d)),
    }
}

pub fn export(
    lens_id: &str,
    root: &Path,
    output: Option<&Path>,
    truncate: bool,
    color: bool,
) -> Outcome {
    let config = Config::load(root)?;
    let mut diags = Diagnostics::default();
    let lenses = lens::load_lenses(root, &config.wa.lens_dir, &mut diags);
    let Some(lf) = lenses.iter().find(|l| l.lens.id == lens_id) else {
        let mut known: Vec<&str> = lenses.iter().map(|l| l.lens.id.as_str()).collect();
        known.sort();
        let d = Diagnostic::error(format!(
            "no lens with id `{lens_id}` in {}",
            root.join(&config.wa.lens_dir).display()
        ))
        .with_hint(if known.is_empty() {
            "the project has no lenses that load".to_string()
        } else {
            format!("known lenses: {}", known.join(", "))
        });
        if diags.has_errors() {
            diags.push(d);
            return Err(Failure::problems(&diags));
        }
        return Err(d.into());
    };
    // Problems the lens file already has as wa-docs YAML, then the WA Tool's rules.
    let mut all = Diagnostics::default();
    all.extend(diags.items.into_iter().filter(|d| {
        d.location
            .as_ref()
            .is_some_and(|l| l.file == lf.source.path)
    }));
    match aws::export_json_with(lf, &aws::ExportOptions { truncate }) {
        Ok((json, warnings)) => {
            all.extend(warnings);
            if all.has_errors() {
                return Err(Failure::problems(&all));
            }
            print_diags(&all, color);
            match output {
                None => print_bytes(json.as_bytes())?,
                Some(path) => {
                    write(path, &json)?;
                    eprintln!(
                        "Exported lens {lens_id} to {} ({} KB)",
                        path.display(),
                        json.len().div_ceil(1000)
                    );
                }
            }
            Ok(())
        }
        Err(problems) => {
            all.extend(problems);
            Err(Failure::problems(&all))
        }
    }
}

/// Reads one side of a diff: a YAML or WA Tool JSON file, or `REV:PATH` from git.
fn read_version(
    spec: &str,
    project: &std::sync::Arc<Vec<Lens>>,
) -> Result<Lens, Result<Diagnostics, Diagnostic>> {
    let path = Path::new(spec);
    let (label, text) = if path.is_file() {
        let text = std::fs::read_to_string(path)
            .map_err(|e| Err(Diagnostic::error(format!("cannot read file: {e}")).in_file(path)))?;
        (PathBuf::from(spec), text)
    } else if let Some((rev, file)) = spec.split_once(':')
        && !rev.is_empty()
        && !rev.starts_with('-')
    {
        let out = std::process::Command::new("git")
            .args(["show", &format!("{rev}:{file}")])
            .output()
            .map_err(|e| Err(Diagnostic::error(format!("cannot run git: {e}"))))?;
        if !out.status.success() {
            return Err(Err(Diagnostic::error(format!(
                "git cannot show {spec}: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            ))
            .with_hint("name a file, or REV:PATH inside a git repository")));
        }
        let text = String::from_utf8(out.stdout)
            .map_err(|_| Err(Diagnostic::error(format!("{spec} is not UTF-8"))))?;
        (PathBuf::from(spec), text)
    } else {
        return Err(Err(Diagnostic::error(format!("{spec} does not exist"))
            .with_hint(
                "name a lens YAML or WA Tool JSON file, or REV:PATH from git",
            )));
    };
    let text = crate::source::normalise(text);
    let is_json = label
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"))
        || text.trim_start().starts_with('{');
    if is_json {
        let opts = ImportOptions {
            project: project.clone(),
            ..Default::default()
        };
        return aws::import_json_with(&text, &label, &opts)
            .map(|(lens, _)| lens)
            .map_err(|d| Ok(Diagnostics::from(d)));
    }
    let mut diags = Diagnostics::default();
    let src = crate::source::SourceFile { path: label, text };
    match lens::parse_lens(src, &mut diags) {
        Some(lf) if !diags.has_errors() => Ok(lf.lens),
        _ => Err(Ok(diags)),
    }
}

pub fn diff(
    old: &str,
    new: &str,
    root: &Path,
    format: &str,
    output: Option<&Path>,
    exit_code: bool,
) -> Outcome {
    let is_json = |s: &str| s.to_ascii_lowercase().ends_with(".json");
    let project = if is_json(old) || is_json(new) {
        project_lenses(root)
    } else {
        Default::default()
    };
    let mut lenses = Vec::new();
    for spec in [old, new] {
        match read_version(spec, &project) {
            Ok(l) => lenses.push(l),
            Err(Ok(diags)) => return Err(Failure::problems(&diags)),
            Err(Err(d)) => return Err(d.into()),
        }
    }
    let d = lens::diff::diff(&lenses[0], &lenses[1]);
    let stdout_color = output.is_none() && super::stdout_color();
    let text = match format {
        "md" => d.to_markdown(),
        "json" => d.to_json(),
        _ => d.to_text_colored(stdout_color),
    };
    match output {
        None => print_bytes(text.as_bytes())?,
        Some(path) => write(path, &text)?,
    }
    if exit_code && !d.is_empty() {
        return Err(Failure::exit(super::EXIT_CONTENT));
    }
    Ok(())
}
