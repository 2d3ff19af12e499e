//! Earlier versions of the lenses (`[wa] lens-history` in book.toml) and what they mean for the
//! site: where each earlier id went (through `previous-ids:`), pages at old URLs that redirect,
//! per-page maps for old anchors, and notices on ids that now name another topic. Page aliases
//! (`aliases:` in front matter) redirect the same way.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::content::Page;
use crate::diag::{Diagnostic, Diagnostics};
use crate::graph::{Graph, NodeIx, NodeKind, lens_url, slug};
use crate::lens::diff::{self, LensDiff};
use crate::lens::{self, Lens, LensFile};
use crate::source::{SourceFile, normalise};

/// One earlier version of one lens.
pub struct LensVersion {
    pub lens: Lens,
    /// `versions/2025.11/generative-ai.yaml` or `git:REV:lenses/generative-ai.yaml`.
    pub source: String,
}

impl LensVersion {
    /// The version's label: the lens's `version:`, else where it came from.
    pub fn label(&self) -> &str {
        self.lens.version.as_deref().unwrap_or(&self.source)
    }
}

/// Reads every earlier version named in `[wa] lens-history`, oldest first.
pub fn load(root: &Path, config: &Config, diags: &mut Diagnostics) -> Vec<LensVersion> {
    let mut out = Vec::new();
    for entry in &config.wa.lens_history {
        let files = match entry.strip_prefix("git:") {
            Some(rev) => git_files(root, rev, &config.wa.lens_dir),
            None => dir_files(root, Path::new(entry)),
        };
        match files {
            Ok(files) => {
                for src in files {
                    let label = src.path.display().to_string();
                    if let Some(lf) = lens::parse_lens(src, diags) {
                        out.push(LensVersion {
                            lens: lf.lens,
                            source: label,
                        });
                    }
                }
            }
            Err(e) => diags.push(
                Diagnostic::error(format!("lens-history entry `{entry}`: {e}"))
                    .with_hint("name a folder of lens files, or `git:REV` for the lens folder at a git revision")
                    .in_file(Path::new(crate::config::CONFIG_FILE)),
            ),
        }
    }
    out
}

fn dir_files(root: &Path, dir: &Path) -> Result<Vec<SourceFile>, String> {
    if dir.is_absolute()
        || dir
            .components()
            .any(|c| c == std::path::Component::ParentDir)
    {
        return Err("the folder must be inside the project".into());
    }
    let paths = lens::lens_paths(root, dir).map_err(|e| e.to_string())?;
    if paths.is_empty() {
        return Err(format!("no lens files in {}", dir.display()));
    }
    paths
        .iter()
        .map(|p| crate::source::read_source(root, p).map_err(|d| d.message))
        .collect()
}

/// The lens files under `lens_dir` at git revision `rev`.
fn git_files(root: &Path, rev: &str, lens_dir: &Path) -> Result<Vec<SourceFile>, String> {
    if rev.starts_with('-') || rev.is_empty() {
        return Err("not a git revision".into());
    }
    let git = |args: &[&str]| -> Result<String, String> {
        let out = std::process::Command::new("git")
            .arg("-C")
            .arg(root)
            .args(args)
            .output()
            .map_err(|e| format!("cannot run git: {e}"))?;
        if !out.status.success() {
            return Err(String::from_utf8_lossy(&out.stderr).trim().to_string());
        }
        String::from_utf8(out.stdout).map_err(|_| "git printed invalid UTF-8".to_string())
    };
    let dir = lens_dir.to_string_lossy().replace('\\', "/");
    let listing = git(&["ls-tree", "--name-only", &format!("{rev}:{dir}")])?;
    let mut files = Vec::new();
    for name in listing
        .lines()
        .filter(|n| n.ends_with(".yaml") || n.ends_with(".yml"))
    {
        let text = git(&["show", &format!("{rev}:{dir}/{name}")])?;
        files.push(SourceFile {
            path: PathBuf::from(format!("git:{rev}:{dir}/{name}")),
            text: normalise(text),
        });
    }
    if files.is_empty() {
        return Err(format!("no lens files in {dir} at {rev}"));
    }
    Ok(files)
}

/// A page at an old URL that sends readers on.
#[derive(Debug, Clone, PartialEq)]
pub struct RedirectPage {
    /// The old URL, relative to the site root.
    pub url: String,
    /// Where the page itself went.
    pub to: NodeIx,
    /// Old anchors on that page and where each went.
    pub anchors: BTreeMap<String, NodeIx>,
    /// Why: "moved in version 2026.11" or "renamed".
    pub reason: String,
}

/// What the site does about earlier versions and aliases.
#[derive(Debug, Default, Clone)]
pub struct Redirects {
    /// Pages at old URLs, by URL.
    pub pages: BTreeMap<String, RedirectPage>,
    /// Existing pages whose old anchors moved elsewhere: page URL -> (anchor -> node).
    pub anchors: BTreeMap<String, BTreeMap<String, NodeIx>>,
    /// Nodes whose id named another topic in an earlier version: node -> (version, new home).
    pub notices: HashMap<NodeIx, Vec<(String, NodeIx)>>,
    /// Earlier ids that no longer exist and have no new home: (version, lens id, id).
    pub removed: Vec<(String, String, String)>,
}

impl Redirects {
    /// Works out the redirects for `versions` and the pages' aliases. Problems (an alias that
    /// is not a relative `.html` path, or that takes a URL the site uses) go to `diags`.
    pub fn compute(
        graph: &Graph,
        versions: &[LensVersion],
        pages: &[Page],
        diags: &mut Diagnostics,
    ) -> Redirects {
        let mut r = Redirects::default();
        // Every URL the site writes a page to (best practices live on their question's page).
        let live: HashSet<&str> = graph
            .nodes
            .iter()
            .filter(|n| n.kind != NodeKind::BestPractice)
            .map(|n| n.url.as_str())
            .collect();
        // Anchors each live page has: its best practices.
        let mut anchors_on: HashMap<&str, HashSet<&str>> = HashMap::new();
        for n in &graph.nodes {
            if let Some(a) = &n.anchor {
                anchors_on
                    .entry(n.url.as_str())
                    .or_default()
                    .insert(a.as_str());
            }
        }
        for v in versions {
            let label = v.label().to_string();
            let Some(&lens_node) = graph.by_id.get(&v.lens.id) else {
                continue;
            };
            for old in objects_of(&v.lens) {
                let home = match graph.previous.get(&old.id) {
                    Some(&h) => h,
                    None => match graph.by_id.get(&old.id) {
                        Some(&h) => h,
                        None => {
                            r.removed
                                .push((label.clone(), v.lens.id.clone(), old.id.clone()));
                            lens_node
                        }
                    },
                };
                // The id still names a node, but its topic went elsewhere: say so there.
                if let Some(&same) = graph.by_id.get(&old.id)
                    && same != home
                {
                    let list = r.notices.entry(same).or_default();
                    if !list.iter().any(|(l, h)| *l == label && *h == home) {
                        list.push((label.clone(), home));
                    }
                }
                let node = &graph.nodes[home];
                let same_place =
                    node.url == old.url && node.anchor.as_deref() == old.anchor.as_deref();
                if same_place {
                    continue;
                }
                if live.contains(old.url.as_str()) {
                    // The page exists; an old anchor it lost is mapped to its new home.
                    if let Some(a) = &old.anchor
                        && !anchors_on
                            .get(old.url.as_str())
                            .is_some_and(|s| s.contains(a.as_str()))
                    {
                        r.anchors
                            .entry(old.url.clone())
                            .or_default()
                            .insert(a.clone(), home);
                    }
                    continue;
                }
                let page = r
                    .pages
                    .entry(old.url.clone())
                    .or_insert_with(|| RedirectPage {
                        url: old.url.clone(),
                        to: home,
                        anchors: BTreeMap::new(),
                        reason: format!("moved in the version after {label}"),
                    });
                match &old.anchor {
                    Some(a) => {
                        page.anchors.insert(a.clone(), home);
                    }
                    // The page-level object decides where the page itself goes.
                    None => page.to = home,
                }
            }
        }
        for page in pages {
            let Some(&node) = graph.by_source.get(&page.source.path) else {
                continue;
            };
            let mut urls: Vec<(String, NodeIx)> = Vec::new();
            for alias in &page.front.aliases {
                let src = &page.source;
                let at = src.text.find(alias.as_str()).unwrap_or(0);
                let bad = |msg: String| {
                    Diagnostic::error(msg)
                        .with_hint("write the old URL relative to the site root, e.g. `scenarios/old-name.html`")
                        .at(&src.path, &src.text, at, alias.len())
                };
                if !is_site_path(alias) {
                    diags.push(bad(format!(
                        "alias `{alias}` is not a relative `.html` path in the site"
                    )));
                    continue;
                }
                if live.contains(alias.as_str())
                    || crate::graph::RESERVED_URLS.contains(&alias.as_str())
                {
                    diags.push(bad(format!(
                        "alias `{alias}` is a URL the site already writes a page to"
                    )));
                    continue;
                }
                urls.push((alias.clone(), node));
            }
            for (url, to) in urls {
                if let Some(prev) = r.pages.get(&url)
                    && prev.to != to
                {
                    diags.push(
                        Diagnostic::error(format!("alias `{url}` is claimed twice"))
                            .in_file(&page.source.path),
                    );
                    continue;
                }
                r.pages.insert(
                    url.clone(),
                    RedirectPage {
                        url,
                        to,
                        anchors: BTreeMap::new(),
                        reason: "renamed".into(),
                    },
                );
            }
        }
        r
    }
}

fn is_site_path(p: &str) -> bool {
    p.ends_with(".html")
        && !p.starts_with('/')
        && !p.contains('\\')
        && !p.contains("://")
        && p.split('/').all(|s| !s.is_empty() && s != "." && s != "..")
}

/// An object of an earlier lens version and where it was.
struct OldObject {
    id: String,
    url: String,
    anchor: Option<String>,
}

/// Every pillar, question and best practice of a lens, at the URLs that version had.
fn objects_of(lens: &Lens) -> Vec<OldObject> {
    let mut out = vec![OldObject {
        id: lens.id.clone(),
        url: lens_url(&lens.id),
        anchor: None,
    }];
    for p in &lens.pillars {
        out.push(OldObject {
            id: p.id.clone(),
            url: format!("lenses/{}/{}.html", lens.id, slug(&p.id)),
            anchor: None,
        });
        for q in &p.questions {
            let url = format!("lenses/{}/{}.html", lens.id, slug(&q.id));
            out.push(OldObject {
                id: q.id.clone(),
                url: url.clone(),
                anchor: None,
            });
            for b in &q.best_practices {
                out.push(OldObject {
                    id: b.id.clone(),
                    url: url.clone(),
                    anchor: Some(slug(&b.id)),
                });
            }
        }
    }
    out
}

/// The URL of a lens's "what changed" page.
pub fn changes_url(lens: &str) -> String {
    format!("lenses/{lens}/changes.html")
}

/// Each lens's version steps, oldest first, for lenses with earlier versions:
/// (index into `lenses`, the diff of each step up to the current version).
pub fn lens_steps(lenses: &[LensFile], versions: &[LensVersion]) -> Vec<(usize, Vec<LensDiff>)> {
    let mut out = Vec::new();
    for (li, lf) in lenses.iter().enumerate() {
        let mut chain: Vec<&Lens> = versions
            .iter()
            .filter(|v| v.lens.id == lf.lens.id)
            .map(|v| &v.lens)
            .collect();
        if chain.is_empty() {
            continue;
        }
        chain.push(&lf.lens);
        out.push((
            li,
            chain.windows(2).map(|w| diff::diff(w[0], w[1])).collect(),
        ));
    }
    out
}

#[cfg(test)]
mod tests;
