//! Orchestrates a build: load sources, build the graph, render markdown and pages in parallel,
//! then write the output atomically.

mod nav;
mod output;
pub(crate) mod pages;
mod print;

use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::content::{self, Page};
use crate::diag::{Diagnostic, Diagnostics};
use crate::graph::Graph;
use crate::lens::{self, LensFile};
use crate::render::theme::Theme;

pub use output::{BuildReport, check_destination, write_atomically};

/// Everything read from a project, resolved and checked.
pub struct Project {
    pub root: PathBuf,
    pub config: Config,
    pub lenses: Vec<LensFile>,
    pub pages: Vec<Page>,
    pub graph: Graph,
}

/// Reads and checks a project. Errors and warnings are both returned; the project is `None`
/// when the configuration itself cannot be read.
pub fn load_project(root: &Path) -> (Option<Project>, Diagnostics) {
    let mut diags = Diagnostics::default();
    let config = match Config::load(root) {
        Ok(c) => c,
        Err(d) => {
            diags.push(d);
            return (None, diags);
        }
    };
    let (lenses, pages) = rayon::join(
        || {
            let mut d = Diagnostics::default();
            (lens::load_lenses(root, &config.wa.lens_dir, &mut d), d)
        },
        || {
            let mut d = Diagnostics::default();
            (content::load_pages(root, &config.wa.content_dir, &mut d), d)
        },
    );
    let (lenses, d1) = lenses;
    let (pages, d2) = pages;
    diags.extend(d1.items);
    diags.extend(d2.items);
    let graph = Graph::build(&lenses, &pages, &mut diags);
    let project = Project {
        root: root.to_path_buf(),
        config,
        lenses,
        pages,
        graph,
    };
    (Some(project), diags)
}

/// Loads a project for rendering: `None` when it has errors. Even then the markdown is
/// rendered (and thrown away) so that one run reports link problems too.
fn load_for_render(root: &Path) -> (Option<Project>, Diagnostics) {
    let (project, mut diags) = load_project(root);
    match project {
        Some(mut p) if diags.has_errors() => {
            let mut more = Diagnostics::default();
            let _ = pages::render_fragments(&mut p, &mut more);
            diags.extend(more.items);
            (None, diags)
        }
        other => (other, diags),
    }
}

/// An output file, relative to the output folder.
pub struct OutFile {
    pub path: String,
    pub bytes: Vec<u8>,
    /// The page's article before links were made relative, for `print.html`.
    pub article: Option<String>,
}

/// Renders the whole site in memory. Returns the files, or every problem found.
pub fn render_site(
    project: &mut Project,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<Vec<OutFile>, Diagnostics> {
    let mut clock = StageClock::new();
    let theme = Theme::load(&project.root, &project.config.wa.theme).map_err(one)?;
    let tera = theme.tera().map_err(one)?;
    clock.lap("theme");
    let mut diags = Diagnostics::default();
    let fragments = pages::render_fragments(project, &mut diags);
    clock.lap("markdown");
    if diags.has_errors() {
        return Err(diags);
    }
    let mut files = pages::render_pages(project, &fragments, &tera, &theme, progress, &mut diags);
    clock.lap("pages");
    if diags.has_errors() {
        return Err(diags);
    }
    files.extend(print::print_page(
        project, &files, &tera, &theme, &mut diags,
    ));
    clock.lap("print");
    let docs = crate::search::collect(project, &fragments);
    match crate::search::browser::site_files(&docs) {
        Ok(f) => files.extend(f),
        Err(e) => diags.push(Diagnostic::error(e)),
    }
    clock.lap("search");
    if diags.has_errors() {
        return Err(diags);
    }
    Ok(files)
}

/// Prints how long each build stage took when `WA_DOCS_TIMINGS` is set (for profiling).
struct StageClock {
    on: bool,
    at: std::time::Instant,
}

impl StageClock {
    fn new() -> Self {
        StageClock {
            on: std::env::var_os("WA_DOCS_TIMINGS").is_some(),
            at: std::time::Instant::now(),
        }
    }

    fn lap(&mut self, stage: &str) {
        if self.on {
            eprintln!(
                "timing: {stage:<9} {:>7.1} ms",
                self.at.elapsed().as_secs_f64() * 1000.0
            );
            self.at = std::time::Instant::now();
        }
    }
}

fn one(d: Diagnostic) -> Diagnostics {
    Diagnostics { items: vec![d] }
}

/// Loads and renders a project in memory, as `serve` needs: the files and any warnings, or
/// every problem found.
pub fn render_project(root: &Path) -> Result<(Project, Vec<OutFile>, Diagnostics), Diagnostics> {
    let (project, mut diags) = load_for_render(root);
    let Some(mut project) = project else {
        return Err(diags);
    };
    match render_site(&mut project, &|_, _| {}) {
        Ok(files) => Ok((project, files, diags)),
        Err(d) => {
            diags.extend(d.items);
            Err(diags)
        }
    }
}

/// Options for [`build`].
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// Output folder; defaults to `[build] build-dir` under the project.
    pub dest: Option<PathBuf>,
    pub progress: bool,
}

/// Loads, renders and writes the site. On any error the previous output is left untouched.
pub fn build(root: &Path, opts: &BuildOptions) -> Result<(BuildReport, Diagnostics), Diagnostics> {
    let started = std::time::Instant::now();
    let (project, mut diags) = load_for_render(root);
    let Some(mut project) = project else {
        return Err(diags);
    };
    let dest = match &opts.dest {
        Some(d) => d.clone(),
        None => root.join(&project.config.build.build_dir),
    };
    output::check_destination(root, &project.config, &dest).map_err(one)?;
    let bar = opts.progress.then(|| {
        let pb = indicatif::ProgressBar::new(0);
        pb.set_style(
            indicatif::ProgressStyle::with_template(
                "{spinner} rendering {pos}/{len} pages {wide_bar}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        pb
    });
    let progress = |done: usize, total: usize| {
        if let Some(pb) = &bar {
            pb.set_length(total as u64);
            pb.set_position(done as u64);
        }
    };
    let files = render_site(&mut project, &progress);
    if let Some(pb) = &bar {
        pb.finish_and_clear();
    }
    let files = match files {
        Ok(f) => f,
        Err(d) => {
            diags.extend(d.items);
            return Err(diags);
        }
    };
    let mut report = write_atomically(&dest, files).map_err(|d| {
        let mut all = diags.clone();
        all.push(d);
        all
    })?;
    report.elapsed = started.elapsed();
    diags.items.retain(|d| !d.is_error());
    Ok((report, diags))
}

/// Runs every check a build runs, and writes nothing.
pub fn check(root: &Path) -> Diagnostics {
    let (project, mut diags) = load_for_render(root);
    let Some(mut project) = project else {
        return diags;
    };
    if let Err(d) = render_site(&mut project, &|_, _| {}) {
        diags.extend(d.items);
    }
    diags
}
