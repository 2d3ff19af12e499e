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
    load_project_cached(root, None)
}

fn load_project_cached(
    root: &Path,
    pages_cache: Option<&mut content::PageCache>,
) -> (Option<Project>, Diagnostics) {
    let mut clock = StageClock::new();
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
            let pages =
                content::load_pages_cached(root, &config.wa.content_dir, &mut d, pages_cache);
            (pages, d)
        },
    );
    let (lenses, d1) = lenses;
    let (pages, d2) = pages;
    diags.extend(d1.items);
    diags.extend(d2.items);
    clock.lap("load");
    let graph = Graph::build(&lenses, &pages, &mut diags);
    clock.lap("graph");
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
fn load_for_render(
    root: &Path,
    pages_cache: Option<&mut content::PageCache>,
) -> (Option<Project>, Diagnostics) {
    let (project, mut diags) = load_project_cached(root, pages_cache);
    match project {
        Some(mut p) if diags.has_errors() => {
            let mut more = Diagnostics::default();
            let _ = pages::render_fragments(&mut p, &mut more, None);
            diags.extend(more.items);
            (None, diags)
        }
        other => (other, diags),
    }
}

/// An output file, relative to the output folder.
#[derive(Clone)]
pub struct OutFile {
    pub path: String,
    /// Shared, so a build can reuse an earlier build's file and the server can send it without
    /// copying.
    pub bytes: bytes::Bytes,
    /// The page's article before links were made relative, for `print.html`.
    pub article: Option<std::sync::Arc<str>>,
}

/// What one build keeps for the next, so that `wa-docs serve` redoes only what an edit
/// touched: each stage's results keyed by exactly the inputs they were made from.
#[derive(Default)]
pub struct BuildCache {
    theme: Option<(Theme, std::sync::Arc<tera::Tera>)>,
    sources: content::PageCache,
    fragments: pages::FragmentMemo,
    pages: pages::PageMemo,
    print: print::PrintMemo,
    search: crate::search::browser::SearchCache,
}

/// How a build runs.
pub struct RenderOptions<'a> {
    pub progress: &'a (dyn Fn(usize, usize) + Sync),
    /// Reuse (and refill) results of an earlier build.
    pub cache: Option<&'a mut BuildCache>,
    /// Write the tantivy index `wa-docs search` reads (not needed while serving).
    pub cli_index: bool,
}

impl Default for RenderOptions<'_> {
    fn default() -> Self {
        RenderOptions {
            progress: &|_, _| {},
            cache: None,
            cli_index: true,
        }
    }
}

/// Renders the whole site in memory. Returns the files, or every problem found.
pub fn render_site(
    project: &mut Project,
    opts: RenderOptions,
) -> Result<Vec<OutFile>, Diagnostics> {
    let mut clock = StageClock::new();
    let mut own = BuildCache::default();
    let (cache, memoise) = match opts.cache {
        Some(c) => (c, true),
        None => (&mut own, false),
    };
    if memoise && !cache.search.keeps() {
        cache.search = crate::search::browser::SearchCache::kept();
    }
    let theme = Theme::load(&project.root, &project.config.wa.theme).map_err(one)?;
    // Compiling the templates is the slow part of loading a theme; skip it when unchanged.
    let tera = match &cache.theme {
        Some((t, tera)) if *t == theme => tera.clone(),
        _ => {
            let tera = std::sync::Arc::new(theme.tera().map_err(one)?);
            cache.theme = Some((theme.clone(), tera.clone()));
            tera
        }
    };
    clock.lap("theme");
    let mut diags = Diagnostics::default();
    let fragments =
        pages::render_fragments(project, &mut diags, memoise.then_some(&mut cache.fragments));
    clock.lap("markdown");
    if diags.has_errors() {
        return Err(diags);
    }
    let mut files = pages::render_pages(
        project,
        &fragments,
        &tera,
        &theme,
        opts.progress,
        &mut diags,
        memoise.then_some(&mut cache.pages),
    );
    clock.lap("pages");
    if diags.has_errors() {
        return Err(diags);
    }
    files.extend(print::print_page(
        project,
        &files,
        &tera,
        &theme,
        &mut diags,
        memoise.then_some(&mut cache.print),
    ));
    clock.lap("print");
    let docs = crate::search::collect(project, &fragments);
    // Large sites: what search does not need is released before it runs.
    drop(fragments);
    for f in &mut files {
        f.article = None;
    }
    clock.lap("collect");
    match crate::search::browser::site_files(&docs, &mut cache.search, opts.cli_index) {
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
            // Resident and peak memory after the stage (Linux only), for memory profiling.
            let mem = std::fs::read_to_string("/proc/self/status")
                .ok()
                .map(|s| {
                    s.lines()
                        .filter(|l| l.starts_with("VmRSS") || l.starts_with("VmHWM"))
                        .map(|l| l.split_whitespace().skip(1).collect::<Vec<_>>().join(" "))
                        .collect::<Vec<_>>()
                        .join(" / peak ")
                })
                .unwrap_or_default();
            eprintln!(
                "timing: {stage:<9} {:>7.1} ms  {mem}",
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
/// every problem found. `cache` carries results from one call to the next.
pub fn render_project(
    root: &Path,
    cache: &mut BuildCache,
    cli_index: bool,
) -> Result<(Project, Vec<OutFile>, Diagnostics), Diagnostics> {
    let (project, mut diags) = load_for_render(root, Some(&mut cache.sources));
    let Some(mut project) = project else {
        return Err(diags);
    };
    let opts = RenderOptions {
        cache: Some(cache),
        cli_index,
        ..Default::default()
    };
    match render_site(&mut project, opts) {
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
    let (project, mut diags) = load_for_render(root, None);
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
    let files = render_site(
        &mut project,
        RenderOptions {
            progress: &progress,
            ..Default::default()
        },
    );
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
    let mut clock = StageClock::new();
    let written = write_atomically(&dest, files);
    clock.lap("write");
    let mut report = written.map_err(|d| {
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
    let (project, mut diags) = load_for_render(root, None);
    let Some(mut project) = project else {
        return diags;
    };
    let opts = RenderOptions {
        cli_index: false,
        ..Default::default()
    };
    if let Err(d) = render_site(&mut project, opts) {
        diags.extend(d.items);
    }
    diags
}
