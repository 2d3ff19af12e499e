//! Orchestrates a build: load the project, render markdown, then let each output stage (site
//! pages, checklists, search) turn it into files, and write them atomically. `serve` and the
//! command line call this module; the stages below it never call each other.

mod live;
mod output;
mod store;

pub use live::LiveSite;

use std::path::{Path, PathBuf};

use crate::checklist;
use crate::content;
use crate::diag::{Diagnostic, Diagnostics};
use crate::project::{Emit, OutFile, Project, load_project_cached};
use crate::render::fragments::{FragmentMemo, Fragments, render_fragments};
use crate::render::theme::Theme;
use crate::search::{self, browser::SearchCache};
use crate::site;
use crate::timing::StageClock;
use rayon::prelude::*;

pub use output::{BuildReport, Staging, check_destination, write_atomically};

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
            let _ = render_fragments(&mut p, &mut more, None, false);
            diags.extend(more.items);
            (None, diags)
        }
        other => (other, diags),
    }
}

/// What one build keeps for the next, so that `wa-docs serve` redoes only what an edit
/// touched: each stage's results keyed by exactly the inputs they were made from.
#[derive(Default)]
pub struct BuildCache {
    theme: Option<(Theme, std::sync::Arc<tera::Tera>)>,
    sources: content::PageCache,
    fragments: FragmentMemo,
    pages: site::PageMemo,
    print: site::PrintMemo,
    search: SearchCache,
}

/// How a build runs.
pub struct RenderOptions<'a> {
    pub progress: &'a (dyn Fn(usize, usize) + Sync),
    /// Reuse (and refill) results of an earlier build.
    pub cache: Option<&'a mut BuildCache>,
    /// Drop the pages' markdown once it is rendered (a build: nothing later reads it; on
    /// large sites it is as big as the output).
    pub release_sources: bool,
    /// Hand each file here as soon as it is made, and return only stubs (path and article):
    /// a build streams the site to disk instead of holding it.
    pub emit: Option<&'a dyn Emit>,
}

impl Default for RenderOptions<'_> {
    fn default() -> Self {
        RenderOptions {
            progress: &|_, _| {},
            cache: None,
            emit: None,
            release_sources: false,
        }
    }
}

/// The theme and the project's rendered markdown: what every output stage reads.
pub struct Prepared {
    pub theme: Theme,
    pub tera: std::sync::Arc<tera::Tera>,
    pub fragments: Fragments,
}

/// Loads the theme and renders every markdown fragment (which checks every link), reusing
/// `cache` when `memoise` is set; `release` drops each page's markdown once rendered. Fails
/// with every problem found.
pub fn prepare(
    project: &mut Project,
    cache: &mut BuildCache,
    memoise: bool,
    release: bool,
) -> Result<(Prepared, Diagnostics), Diagnostics> {
    let mut clock = StageClock::new();
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
    let memo = memoise.then_some(&mut cache.fragments);
    let fragments = render_fragments(project, &mut diags, memo, release);
    clock.lap("markdown");
    if diags.has_errors() {
        return Err(diags);
    }
    Ok((
        Prepared {
            theme,
            tera,
            fragments,
        },
        diags,
    ))
}

/// Renders the whole site in memory. Returns the files and any warnings, or every problem found.
pub fn render_site(
    project: &mut Project,
    opts: RenderOptions,
) -> Result<(Vec<OutFile>, Diagnostics), Diagnostics> {
    let mut own = BuildCache::default();
    let (cache, memoise) = match opts.cache {
        Some(c) => (c, true),
        None => (&mut own, false),
    };
    // With `release_sources`, rendering already dropped each page's markdown.
    let (prepared, mut diags) = prepare(project, cache, memoise, opts.release_sources)?;
    let Prepared {
        theme,
        tera,
        fragments,
    } = prepared;
    let frame = site::Frame::new(project, site::resolve_print(project, &fragments));
    let opts = RenderOptions {
        cache: Some(cache),
        ..opts
    };
    let (files, more) = render_outputs(project, &theme, &tera, &frame, fragments, memoise, opts)?;
    diags.extend(more.items);
    Ok((files, diags))
}

/// The output stages: pages, checklists, print view and search, from prepared markdown.
/// `fragments` is taken so that it can be released before search runs.
pub fn render_outputs(
    project: &Project,
    theme: &Theme,
    tera: &tera::Tera,
    frame: &site::Frame,
    fragments: Fragments,
    memoise: bool,
    opts: RenderOptions,
) -> Result<(Vec<OutFile>, Diagnostics), Diagnostics> {
    let mut clock = StageClock::new();
    let mut own = BuildCache::default();
    let cache = opts.cache.unwrap_or(&mut own);
    if memoise && !cache.search.keeps() {
        cache.search = SearchCache::kept();
    }
    let mut diags = Diagnostics::default();
    let inputs = site::PageInputs {
        project,
        fr: &fragments,
        tera,
        theme,
        frame,
    };
    // The page memo keeps pages as they were rendered; emitted pages leave only stubs behind
    // (`serve` keeps its pages compressed and renders them on request instead).
    let mut files = site::render_pages(
        &inputs,
        opts.progress,
        &mut diags,
        (memoise && opts.emit.is_none()).then_some(&mut cache.pages),
        opts.emit,
    );
    let checklists = files.len();
    // Checklist pages share the site's frame (metadata, navigation) but not its code.
    files.extend(checklist::site_files(
        project,
        tera,
        theme,
        &|url: &str, title: &str| frame.context(project, url, title),
        &mut diags,
    ));
    let flush = |files: &mut Vec<OutFile>, from: usize| {
        if let Some(out) = opts.emit {
            files[from..].par_iter_mut().for_each(|f| {
                out.emit(f);
                *f = f.stub();
            });
        }
    };
    flush(&mut files, checklists);
    // Pages are made: their markdown's HTML is not read again (the print view reads the pages'
    // articles, search the plain text). A build owns the only reference and frees it here;
    // `serve` shares them and keeps them.
    let mut fragments = fragments;
    for r in fragments.values_mut() {
        if let Some(r) = std::sync::Arc::get_mut(r) {
            r.html = Default::default();
        }
    }
    clock.lap("pages");
    if diags.has_errors() {
        return Err(diags);
    }
    let printed = files.len();
    files.extend(site::print_page(
        project,
        &files,
        frame.print,
        tera,
        theme,
        &mut diags,
        memoise.then_some(&mut cache.print),
    ));
    flush(&mut files, printed);
    clock.lap("print");
    // Large sites: what search does not need is released before it runs (`collect` lets go of
    // the fragments as it goes).
    let mut docs = search::collect(project, fragments, &mut diags);
    for f in &mut files {
        f.article = None;
    }
    clock.lap("collect");
    files.extend(search::browser::site_files(
        &mut docs,
        &mut cache.search,
        opts.emit,
    ));
    clock.lap("search");
    let content = project.root.join(&project.config.wa.content_dir);
    let pages: std::collections::HashMap<&str, &std::path::Path> = project
        .pages
        .iter()
        .map(|p| (p.url.as_str(), p.source.path.as_path()))
        .collect();
    let source_of = |url: &str| {
        let asset = content.join(url);
        pages.get(url).map(|p| p.to_path_buf()).or_else(|| {
            asset
                .is_file()
                .then(|| project.config.wa.content_dir.join(url))
        })
    };
    diags.extend(output::unportable_outputs(&files, &source_of));
    if diags.has_errors() {
        return Err(diags);
    }
    Ok((files, diags))
}

fn one(d: Diagnostic) -> Diagnostics {
    Diagnostics::from(vec![d])
}

/// Loads and renders a project in memory, as `serve` needs: the files and any warnings, or
/// every problem found. `cache` carries results from one call to the next.
pub fn render_project(
    root: &Path,
    cache: &mut BuildCache,
) -> Result<(Project, Vec<OutFile>, Diagnostics), Diagnostics> {
    let (project, mut diags) = load_for_render(root, Some(&mut cache.sources));
    let Some(mut project) = project else {
        return Err(diags);
    };
    let opts = RenderOptions {
        cache: Some(cache),
        ..Default::default()
    };
    match render_site(&mut project, opts) {
        Ok((files, warnings)) => {
            diags.extend(warnings.items);
            Ok((project, files, diags))
        }
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
    // Files go to disk as they are made; dropped without a commit, the staging folder goes.
    let staging = Staging::open(&dest, true).map_err(one)?;
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
            release_sources: true,
            progress: &progress,
            emit: Some(&staging),
            ..Default::default()
        },
    );
    if let Some(pb) = &bar {
        pb.finish_and_clear();
    }
    let files = match files {
        Ok((f, warnings)) => {
            diags.extend(warnings.items);
            f
        }
        Err(d) => {
            diags.extend(d.items);
            return Err(diags);
        }
    };
    if let Some(w) = relative_export_links(&project) {
        diags.push(w);
    }
    drop(files);
    let mut clock = StageClock::new();
    let written = staging.commit();
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

/// Builds the index `wa-docs search` reads into `dir`, a cache folder outside the site, replacing
/// it atomically. Search needs only the project's text: markdown is rendered in memory, pages
/// are neither rendered nor written. Returns the warnings, or every problem found.
pub fn search_index(root: &Path, dir: &Path) -> Result<Diagnostics, Diagnostics> {
    let (project, mut diags) = load_for_render(root, None);
    let Some(mut project) = project else {
        return Err(diags);
    };
    let fragments = render_fragments(&mut project, &mut diags, None, true);
    if diags.has_errors() {
        return Err(diags);
    }
    let docs = search::collect(&project, fragments, &mut diags);
    let written = search::query::index_files(&docs)
        .map_err(Diagnostic::error)
        .and_then(|files| write_atomically(dir, files));
    match written {
        Ok(_) => Ok(diags),
        Err(d) => {
            diags.push(d);
            Err(diags)
        }
    }
}

/// The warning for checklist exports written without `site-url`, once per build that writes them.
fn relative_export_links(project: &Project) -> Option<Diagnostic> {
    let has_scenarios = project
        .graph
        .nodes
        .iter()
        .any(|n| n.kind == crate::graph::NodeKind::Scenario);
    has_scenarios
        .then(|| checklist::relative_links_warning(&project.config))
        .flatten()
}

/// Runs every check a build runs, and writes nothing.
pub fn check(root: &Path) -> Diagnostics {
    let (project, mut diags) = load_for_render(root, None);
    let Some(mut project) = project else {
        return diags;
    };
    match render_site(&mut project, RenderOptions::default()) {
        Ok((_, warnings)) => diags.extend(warnings.items),
        Err(d) => diags.extend(d.items),
    }
    diags
}
