//! The site `wa-docs serve` keeps in memory between edits. A full rebuild (at start, and
//! after any change beyond a page's body) renders everything, as a build does. An edit to
//! the body of existing pages is applied in place instead: only those pages' markdown is
//! rendered again, with their "cited by" backlinks on the pages they link to (and, for a
//! new title, the markdown of the pages that link to them), and every
//! output that could show the edit is dropped, to be rendered again when it is next asked
//! for: a page alone on request, the site-wide outputs (print view, search, indexes) all at
//! once. The work an edit costs before the browser is told to reload is then proportional
//! to the edit, not to the site.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::{BuildCache, RenderOptions, load_for_render, prepare, render_outputs};
use crate::content;
use crate::diag::Diagnostics;
use crate::graph::NodeKind;
use crate::project::{OutFile, Project};
use crate::render::fragments::{BodyUpdate, Fragments, update_page_body, update_page_title};
use crate::render::theme::Theme;
use crate::site;

/// One rendered state of the site, complete or filled in on request.
pub struct LiveSite {
    project: Project,
    fragments: Fragments,
    theme: Theme,
    tera: Arc<tera::Tera>,
    frame: site::Frame,
    /// Node pages by output path.
    node_at: HashMap<String, usize>,
    /// Every node written to an output path (a question page holds its practices).
    nodes_at: HashMap<String, Vec<usize>>,
    files: HashMap<String, bytes::Bytes>,
    /// Every path of the last complete site: a request for another one does not make the
    /// site complete (browsers ask for `favicon.ico` on every load).
    known: std::collections::HashSet<String>,
    /// Whether `files` holds the whole site, or only what was asked for since an edit.
    complete: bool,
    /// Memos for filling in the site-wide outputs again after an edit.
    cache: BuildCache,
}

impl LiveSite {
    /// Loads and renders the whole project. `cache` carries memos from the last build.
    pub fn build(
        root: &Path,
        cache: &mut BuildCache,
    ) -> Result<(LiveSite, Diagnostics), Diagnostics> {
        let (project, mut diags) = load_for_render(root, Some(&mut cache.sources));
        let Some(mut project) = project else {
            return Err(diags);
        };
        let prepared = match prepare(&mut project, cache, true, false) {
            Ok((p, warnings)) => {
                diags.extend(warnings.items);
                p
            }
            Err(d) => {
                diags.extend(d.items);
                return Err(diags);
            }
        };
        let frame = site::Frame::new(&project, site::resolve_print(&project, &prepared.fragments));
        let opts = RenderOptions {
            cache: Some(cache),
            ..Default::default()
        };
        let (files, warnings) = render_outputs(
            &project,
            &prepared.theme,
            &prepared.tera,
            &frame,
            prepared.fragments.clone(),
            true,
            opts,
        )
        .map_err(|d| {
            let mut all = diags.clone();
            all.extend(d.items);
            all
        })?;
        diags.extend(warnings.items);
        let mut node_at = HashMap::new();
        let mut nodes_at: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, n) in project.graph.nodes.iter().enumerate() {
            nodes_at.entry(n.url.clone()).or_default().push(i);
            if n.kind != NodeKind::BestPractice {
                node_at.insert(n.url.clone(), i);
            }
        }
        let site = LiveSite {
            project,
            fragments: prepared.fragments,
            theme: prepared.theme,
            tera: prepared.tera,
            frame,
            node_at,
            nodes_at,
            known: files.iter().map(|f| f.path.clone()).collect(),
            files: files.into_iter().map(|f| (f.path, f.bytes)).collect(),
            complete: true,
            cache: std::mem::take(cache),
        };
        Ok((site, diags))
    }

    pub fn project(&self) -> &Project {
        &self.project
    }

    /// The memos this site holds, for the next full rebuild.
    pub fn take_cache(&mut self) -> BuildCache {
        std::mem::take(&mut self.cache)
    }

    /// The files made so far, by path (the whole site after a full rebuild).
    pub fn files(&self) -> &HashMap<String, bytes::Bytes> {
        &self.files
    }

    /// Applies edits to the bodies and titles of existing pages in place. `None` when any of
    /// `paths` is something else (a new or deleted page, other front matter, a lens, the
    /// theme): those need a full rebuild.
    pub fn edit_bodies(&mut self, paths: &[PathBuf]) -> Option<bool> {
        let root = self.project.root.clone();
        let content_dir = self.project.config.wa.content_dir.clone();
        let mut edits = Vec::new();
        for path in paths {
            let rel = path.strip_prefix(&root).unwrap_or(path).to_path_buf();
            let &node = self.project.graph.by_source.get(&rel)?;
            let crate::graph::Target::Page(pi) = self.project.graph.nodes[node].target else {
                return None;
            };
            let src = crate::source::read_source(&root, &rel).ok()?;
            let page = content::parse_page(src, &content_dir).ok()?;
            let old = &self.project.pages[pi];
            // A new title is applied in place too; any other front matter rebuilds.
            let mut front = page.front.clone();
            front.title.clone_from(&old.front.title);
            if page.id != old.id || page.url != old.url || front != old.front {
                return None;
            }
            edits.push((pi, node, page));
        }
        let mut changed = false;
        for (pi, node, page) in edits {
            if page.front.title != self.project.pages[pi].front.title {
                if !update_page_title(
                    &mut self.project,
                    &mut self.fragments,
                    pi,
                    node,
                    &page.front.title,
                ) {
                    return None;
                }
                // The sidebar shows titles.
                self.frame = site::Frame::new(&self.project, self.frame.print);
                changed = true;
            }
            match update_page_body(
                &mut self.project,
                &mut self.fragments,
                pi,
                page,
                &self.nodes_at,
            ) {
                BodyUpdate::Done => changed = true,
                BodyUpdate::Same => {}
                // Pages updated before this one stay updated: the rebuild that follows
                // reads every source again.
                BodyUpdate::NeedsRebuild => return None,
            }
        }
        // An edit that moves the site across `auto`'s print limit changes every page's sidebar.
        if changed && site::resolve_print(&self.project, &self.fragments) != self.frame.print {
            return None;
        }
        if changed {
            // Any page may show an edited page (backlinks, descriptions); they are rendered
            // again on request, the site-wide outputs all together.
            self.files.retain(|path, _| keeps_after_edit(path));
            self.complete = false;
        }
        Some(changed)
    }

    /// A file of the site, rendering it first when an edit dropped it.
    pub fn file(&mut self, path: &str) -> Option<bytes::Bytes> {
        if let Some(b) = self.files.get(path) {
            return Some(b.clone());
        }
        if self.complete {
            return None;
        }
        if let Some(&i) = self.node_at.get(path) {
            let inputs = site::PageInputs {
                project: &self.project,
                fr: &self.fragments,
                tera: &self.tera,
                theme: &self.theme,
                frame: &self.frame,
            };
            if let Ok(f) = site::render_node_page(&inputs, i) {
                self.files.insert(f.path.clone(), f.bytes.clone());
                return Some(f.bytes);
            }
        }
        // Search shards and print parts are named by what they hold, which an edit changes.
        if self.known.contains(path) || path.starts_with("search/") || path.starts_with("print") {
            self.complete();
        }
        self.files.get(path).cloned()
    }

    /// Renders every file an edit dropped.
    pub fn complete(&mut self) {
        if self.complete {
            return;
        }
        let opts = RenderOptions {
            cache: Some(&mut self.cache),
            ..Default::default()
        };
        if let Ok((files, _)) = render_outputs(
            &self.project,
            &self.theme,
            &self.tera,
            &self.frame,
            self.fragments.clone(),
            true,
            opts,
        ) {
            self.known = files.iter().map(|f| f.path.clone()).collect();
            self.files = files.into_iter().map(|f| (f.path, f.bytes)).collect();
        }
        self.complete = true;
    }

    /// Every file of the site, as a build writes it.
    pub fn out_files(&mut self) -> Vec<OutFile> {
        self.complete();
        self.files
            .iter()
            .map(|(p, b)| OutFile {
                path: p.clone(),
                bytes: b.clone(),
                article: None,
            })
            .collect()
    }
}

/// Files no page body can change: the theme's assets, the lens schema and lens JSON, and
/// content files other than text (images); everything else is made again after an edit.
fn keeps_after_edit(path: &str) -> bool {
    const TEXT: &[&str] = &[
        ".html",
        ".js",
        ".json",
        ".xml",
        ".md",
        ".csv",
        ".txt",
        ".mediawiki",
    ];
    path.starts_with("assets/")
        || path.starts_with("schema/")
        || path.starts_with("lenses/") && path.ends_with("/lens.json")
        || !TEXT.iter().any(|t| path.ends_with(t))
}
