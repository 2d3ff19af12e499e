//! The site `wa-docs serve` keeps in memory between edits. A full rebuild (at start, and
//! after any change beyond a page's body or title) renders everything, as a build does, and
//! keeps each file LZ4-compressed; the pages' markdown is released once rendered, as a build
//! releases it, and only a digest of each page's source is kept. An edit to the body or title
//! of existing pages is applied in place instead: only those pages' markdown is rendered again,
//! with their "cited by" backlinks on the pages they link to (and, for a new title, the
//! markdown of the pages that link to them, read back from disk), and the site moves on one
//! generation: every output that could show the edit is then out of date, to be rendered again
//! when it is next asked for: a page alone on request, the site-wide outputs (print view,
//! search, indexes) all at once. Nothing is walked site-wide before the browser is told to
//! reload (no list of files, pages or fragments): the work an edit costs until then is
//! proportional to the edit, not to the site, and [`LiveSite::edit_work`] counts it.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::store::{Codec, Packer, Stored};
use super::{BuildCache, RenderOptions, load_for_render, prepare, render_outputs};
use crate::config::PrintPolicy;
use crate::content;
use crate::diag::Diagnostics;
use crate::graph::{NodeIx, NodeKind, Target};
use crate::project::{OutFile, Project};
use crate::render::fragments::{
    BodyUpdate, Fragments, citing_nodes, update_page_body, update_page_title,
};
use crate::render::theme::Theme;
use crate::site;

/// One rendered state of the site, complete or filled in on request.
pub struct LiveSite {
    project: Project,
    fragments: Fragments,
    theme: Theme,
    tera: Arc<tera::Tera>,
    frame: site::Frame,
    /// A title edit changed the sidebar: `frame` is made again before the next page is.
    frame_stale: bool,
    /// Node pages by output path.
    node_at: HashMap<String, NodeIx>,
    /// Every node written to an output path (a question page holds its practices).
    nodes_at: HashMap<String, Vec<NodeIx>>,
    /// Every file of the last complete site, and pages rendered since, compressed, each with
    /// the generation it was made in.
    files: HashMap<String, Stored>,
    /// What `files` are compressed with (trained on the first files of the last full build).
    codec: Arc<Codec>,
    /// Moves on with every edit applied in place: files of an earlier generation are out of
    /// date, but those no edit can change ([`keeps_after_edit`]).
    generation: u64,
    /// Whether every file is of the current generation.
    complete: bool,
    /// A digest of each page's source, by page index: the markdown itself is released.
    digests: Vec<u64>,
    /// Bytes of rendered markdown HTML in the site, which `[wa] print = "auto"` is settled by.
    html_total: isize,
    /// Whether any page is made from a lens (`auto`'s choice past the limit).
    lens_pages: bool,
    /// Items the last edit visited: fragments rendered, pages read back.
    work: usize,
    /// Memos for filling in the site-wide outputs again after an edit.
    cache: BuildCache,
}

/// A page source's digest, to tell an unchanged save from an edit.
fn digest(text: &str) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    text.hash(&mut h);
    h.finish()
}

/// `site::print`'s part limit when `[wa] print-part-kb` is not set (checked against
/// `site::resolve_print` whenever a site is built in a debug build).
const PRINT_PART_LIMIT: usize = 5_000_000;

impl LiveSite {
    /// Loads and renders the whole project. `cache` carries memos from the last build.
    pub fn build(
        root: &Path,
        cache: &mut BuildCache,
    ) -> Result<(LiveSite, Diagnostics), Diagnostics> {
        // No page cache: it would hold every page's markdown a second time.
        let (project, mut diags) = load_for_render(root, None);
        let Some(mut project) = project else {
            return Err(diags);
        };
        let digests = project
            .pages
            .iter()
            .map(|p| digest(&p.source.text))
            .collect();
        // The markdown is released as it is rendered, as a build does.
        let prepared = match prepare(&mut project, cache, true, true) {
            Ok((p, warnings)) => {
                diags.extend(warnings.items);
                p
            }
            Err(d) => {
                diags.extend(d.items);
                return Err(diags);
            }
        };
        let print = site::resolve_print(&project, &prepared.fragments);
        let frame = site::Frame::new(&project, print);
        let packer = Packer::new(0);
        let opts = RenderOptions {
            cache: Some(cache),
            emit: Some(&packer),
            ..Default::default()
        };
        let (_, warnings) = render_outputs(
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
        let mut nodes_at: HashMap<String, Vec<NodeIx>> = HashMap::new();
        for (i, n) in project.graph.indexed() {
            nodes_at.entry(n.url.clone()).or_default().push(i);
            if n.kind != NodeKind::BestPractice {
                node_at.insert(n.url.clone(), i);
            }
        }
        let html_total = (prepared.fragments.values())
            .map(|r| isize::try_from(r.html.len()).unwrap_or(isize::MAX))
            .sum();
        let lens_pages = project.graph.nodes.iter().any(site::is_from_lenses);
        let (files, codec) = packer.into_files();
        let site = LiveSite {
            project,
            fragments: prepared.fragments,
            theme: prepared.theme,
            tera: prepared.tera,
            frame,
            frame_stale: false,
            node_at,
            nodes_at,
            files,
            codec,
            generation: 0,
            complete: true,
            digests,
            html_total,
            lens_pages,
            work: 0,
            cache: std::mem::take(cache),
        };
        debug_assert_eq!(
            site.print_policy(),
            print,
            "PRINT_PART_LIMIT is out of date"
        );
        Ok((site, diags))
    }

    pub fn project(&self) -> &Project {
        &self.project
    }

    /// The memos this site holds, for the next full rebuild.
    pub fn take_cache(&mut self) -> BuildCache {
        std::mem::take(&mut self.cache)
    }

    /// How many items (fragments rendered, pages read back from disk) the last call to
    /// [`LiveSite::edit_bodies`] visited: it depends on the edit, never on the site's size.
    pub fn edit_work(&self) -> usize {
        self.work
    }

    /// `[wa] print` as `site::resolve_print` settles it, from the kept HTML total.
    fn print_policy(&self) -> PrintPolicy {
        let wa = &self.project.config.wa;
        match wa.print() {
            PrintPolicy::Auto => {
                let limit = match wa.print_part_kb {
                    Some(kb) => usize::try_from(kb.max(1))
                        .unwrap_or(usize::MAX)
                        .saturating_mul(1000),
                    None => PRINT_PART_LIMIT,
                };
                if usize::try_from(self.html_total).unwrap_or(0) <= limit {
                    PrintPolicy::All
                } else if self.lens_pages {
                    PrintPolicy::Lenses
                } else {
                    PrintPolicy::Off
                }
            }
            other => other,
        }
    }

    /// Whether a kept file is of the current site.
    fn current(&self, path: &str, f: &Stored) -> bool {
        f.generation == self.generation || keeps_after_edit(path)
    }

    /// Paths that differ between this site and `old` (files an edit left out of date in `old`
    /// count as changed).
    pub fn changed_since(&self, old: &LiveSite) -> Vec<String> {
        let in_old = |path: &str| old.files.get(path).filter(|f| old.current(path, f));
        (self.files.iter())
            .filter(|(p, f)| !in_old(p).is_some_and(|o| o.same(f)))
            .map(|(p, _)| p.clone())
            .chain(
                (old.files.keys())
                    .filter(|p| !self.files.contains_key(*p))
                    .cloned(),
            )
            .collect()
    }

    /// Every path of this site (what is new when there was no site before).
    pub fn changed_since_nothing(&self) -> Vec<String> {
        self.files.keys().cloned().collect()
    }

    /// Applies edits to the bodies and titles of existing pages in place. `None` when any of
    /// `paths` is something else (a new or deleted page, other front matter, a lens, the
    /// theme): those need a full rebuild.
    pub fn edit_bodies(&mut self, paths: &[PathBuf]) -> Option<bool> {
        self.work = 0;
        let root = self.project.root.clone();
        let content_dir = self.project.config.wa.content_dir.clone();
        let mut edits = Vec::new();
        for path in paths {
            let rel = path.strip_prefix(&root).unwrap_or(path).to_path_buf();
            let &node = self.project.graph.by_source.get(&rel)?;
            let Target::Page(pi) = self.project.graph.nodes[node].target else {
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
            let new_digest = digest(&page.source.text);
            if new_digest == self.digests[pi.0] {
                continue;
            }
            if page.front.title != self.project.pages[pi].front.title {
                // The pages that link to this one show its title: their markdown is rendered
                // again, from their files as they were last read.
                let mut loaded = Vec::new();
                for n in citing_nodes(&self.project.graph, node) {
                    if let Target::Page(pj) = self.project.graph.nodes[n].target {
                        let path = &self.project.pages[pj].source.path;
                        let src = crate::source::read_source(&root, path).ok()?;
                        // Changed since: the rebuild that follows reads it.
                        if digest(&src.text) != self.digests[pj.0] {
                            return None;
                        }
                        self.project.pages[pj].source.text = src.text;
                        loaded.push(pj);
                    }
                    self.work += 1;
                }
                let grew = update_page_title(
                    &mut self.project,
                    &mut self.fragments,
                    pi,
                    node,
                    &page.front.title,
                );
                for pj in loaded {
                    self.project.pages[pj].source.text = String::new();
                }
                self.html_total += grew?;
                // The sidebar shows titles; it is made again when a page is next asked for.
                // (The body update below counts as the change.)
                self.frame_stale = true;
            }
            self.work += 1;
            match update_page_body(
                &mut self.project,
                &mut self.fragments,
                pi,
                page,
                &self.nodes_at,
            ) {
                BodyUpdate::Done(grew) => {
                    self.html_total += grew;
                    changed = true;
                }
                // Pages updated before this one stay updated: the rebuild that follows
                // reads every source again.
                BodyUpdate::NeedsRebuild => return None,
            }
            // Released, as after a build.
            self.project.pages[pi].source.text = String::new();
            self.digests[pi.0] = new_digest;
        }
        // An edit that moves the site across `auto`'s print limit changes every page's sidebar.
        if changed && self.print_policy() != self.frame.print {
            return None;
        }
        if changed {
            // Any page may show an edited page (backlinks, descriptions): every file but those
            // no edit changes is out of date, rendered again on request, the site-wide
            // outputs all together.
            self.generation += 1;
            self.complete = false;
        }
        Some(changed)
    }

    /// Makes the sidebar again after a title edit.
    fn refresh_frame(&mut self) {
        if self.frame_stale {
            self.frame = site::Frame::new(&self.project, self.frame.print);
            self.frame_stale = false;
        }
    }

    /// A file of the site, rendering it first when an edit left it out of date.
    pub fn file(&mut self, path: &str) -> Option<bytes::Bytes> {
        if let Some(f) = self.files.get(path)
            && self.current(path, f)
        {
            return Some(f.bytes(&self.codec));
        }
        if self.complete {
            return None;
        }
        if let Some(&i) = self.node_at.get(path) {
            self.refresh_frame();
            let inputs = site::PageInputs {
                project: &self.project,
                fr: &self.fragments,
                tera: &self.tera,
                theme: &self.theme,
                frame: &self.frame,
            };
            if let Ok(f) = site::render_node_page(&inputs, i) {
                let stored = Stored::new(&f.bytes, self.generation, &self.codec);
                self.files.insert(f.path, stored);
                return Some(f.bytes);
            }
        }
        // Search shards and print parts are named by what they hold, which an edit changes.
        // A path no site had does not make the site complete (browsers ask for `favicon.ico`
        // on every load).
        if self.files.contains_key(path) || path.starts_with("search/") || path.starts_with("print")
        {
            self.complete();
        }
        let f = self.files.get(path)?;
        self.current(path, f).then(|| f.bytes(&self.codec))
    }

    /// Renders every file an edit left out of date.
    pub fn complete(&mut self) {
        if self.complete {
            return;
        }
        self.refresh_frame();
        let packer = Packer::with_codec(self.generation, self.codec.clone(), &self.files);
        let opts = RenderOptions {
            cache: Some(&mut self.cache),
            emit: Some(&packer),
            ..Default::default()
        };
        if render_outputs(
            &self.project,
            &self.theme,
            &self.tera,
            &self.frame,
            self.fragments.clone(),
            true,
            opts,
        )
        .is_ok()
        {
            self.files = packer.into_files().0;
        }
        self.complete = true;
    }

    /// Every file of the site, as a build writes it.
    pub fn out_files(&mut self) -> Vec<OutFile> {
        self.complete();
        self.files
            .iter()
            .map(|(p, f)| OutFile {
                path: p.clone(),
                bytes: f.bytes(&self.codec),
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
