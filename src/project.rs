//! The loaded, checked project: configuration, lenses, pages and the id graph built from them,
//! plus the output-file type every output stage (site, search, checklists) produces. Everything
//! above this layer reads a [`Project`]; nothing here knows how it is rendered.

use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::content::{self, Page};
use crate::diag::Diagnostics;
use crate::graph::Graph;
use crate::history::{self, LensVersion, Redirects};
use crate::lens::{self, LensFile};
use crate::timing::StageClock;

/// Everything read from a project, resolved and checked.
pub struct Project {
    pub root: PathBuf,
    pub config: Config,
    pub lenses: Vec<LensFile>,
    pub pages: Vec<Page>,
    pub graph: Graph,
    /// Earlier lens versions (`[wa] lens-history`), oldest first.
    pub versions: Vec<LensVersion>,
    /// Old URLs and ids, and where they went.
    pub redirects: Redirects,
}

/// Reads and checks a project. Errors and warnings are both returned; the project is `None`
/// when the configuration itself cannot be read.
pub fn load_project(root: &Path) -> (Option<Project>, Diagnostics) {
    load_project_cached(root, None)
}

/// [`load_project`], reusing pages parsed by an earlier call when their files are unchanged
/// (`wa-docs serve`).
pub fn load_project_cached(
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
    let versions = history::load(root, &config, &mut diags);
    let redirects = Redirects::compute(&graph, &versions, &pages, &mut diags);
    clock.lap("graph");
    let project = Project {
        root: root.to_path_buf(),
        config,
        lenses,
        pages,
        graph,
        versions,
        redirects,
    };
    (Some(project), diags)
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

impl OutFile {
    /// The file's path and article without its bytes: what later stages (print view, sitemap,
    /// output checks) still read once the file itself has been handed to an [`Emit`].
    pub fn stub(&self) -> OutFile {
        OutFile {
            path: self.path.clone(),
            bytes: bytes::Bytes::new(),
            article: self.article.clone(),
        }
    }
}

/// Where output files go as soon as a stage makes them. A build writes each one to disk at
/// once (`build::Staging`), so a large site is never held in memory whole; `serve` and `check`
/// keep the files instead. Called from many threads.
pub trait Emit: Sync {
    fn emit(&self, file: &OutFile);

    /// The file at `path` is as the previous build made it: keep that one, if this emitter
    /// still has it (`serve` does, between builds of one site). `false` asks for the file.
    fn keep(&self, _path: &str) -> bool {
        false
    }
}
