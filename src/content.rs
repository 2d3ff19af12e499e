//! Markdown pages under `content/`, each with YAML front matter between `---` lines.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::diag::{Diagnostic, Diagnostics};
use crate::slug;
use crate::source::{SourceFile, read_source};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PageKind {
    #[default]
    Page,
    Dimension,
    Scenario,
    Preamble,
}

impl PageKind {
    pub fn as_str(self) -> &'static str {
        match self {
            PageKind::Page => "page",
            PageKind::Dimension => "dimension",
            PageKind::Scenario => "scenario",
            PageKind::Preamble => "preamble",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct FrontMatter {
    pub title: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub weight: Option<i64>,
    #[serde(default)]
    pub kind: PageKind,
    #[serde(default)]
    pub id: Option<String>,
    /// Scenario pages: best-practice or question ids in the checklist.
    #[serde(default)]
    pub checklist: Vec<String>,
    /// Preamble pages: the lens the preamble introduces.
    #[serde(default)]
    pub lens: Option<String>,
    /// Earlier URLs of this page (`scenarios/old-name.html`): each gets a page that redirects here.
    #[serde(default)]
    pub aliases: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Page {
    pub id: String,
    pub front: FrontMatter,
    pub source: SourceFile,
    /// Byte offset of the body within `source.text`.
    pub body_offset: usize,
    /// Output path relative to the site root, e.g. `dimensions/fairness.html`.
    pub url: String,
}

impl Page {
    pub fn body(&self) -> &str {
        // Empty once a build has released the text (see `render_fragments`).
        self.source.text.get(self.body_offset..).unwrap_or_default()
    }
}

/// Lists `*.md` under `root/dir`, sorted, skipping hidden files and folders.
pub fn page_paths(root: &Path, dir: &Path) -> Result<Vec<PathBuf>, Diagnostic> {
    let full = root.join(dir);
    if !full.exists() {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    // Links are followed (a linked folder of shared pages is a common layout); walkdir
    // notices a link back to its own ancestor, which would otherwise be walked forever.
    let walker = walkdir::WalkDir::new(&full)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walker {
        let entry = entry.map_err(|e| walk_error(root, dir, &e))?;
        let rel = entry.path().strip_prefix(root).unwrap_or(entry.path());
        if entry.path_is_symlink() {
            let target = std::fs::canonicalize(entry.path()).ok();
            let inside = target
                .as_ref()
                .zip(std::fs::canonicalize(root).ok())
                .is_some_and(|(t, r)| t.starts_with(r));
            if !inside {
                return Err(
                    Diagnostic::error("symbolic link points outside the project")
                        .with_hint("copy the file into the project instead of linking to it")
                        .in_file(rel),
                );
            }
        }
        if entry.path().extension().is_some_and(|e| e == "md") && entry.path().is_file() {
            out.push(rel.to_path_buf());
        }
    }
    Ok(out)
}

/// A problem met while listing `content/`, named by the file it is about.
fn walk_error(root: &Path, dir: &Path, e: &walkdir::Error) -> Diagnostic {
    let rel = |p: &Path| p.strip_prefix(root).unwrap_or(p).to_path_buf();
    let file = e.path().map_or_else(|| dir.to_path_buf(), rel);
    if let Some(ancestor) = e.loop_ancestor() {
        return Diagnostic::error(format!(
            "symbolic link loop: {} leads back to {}, a folder that holds it",
            file.display(),
            rel(ancestor).display()
        ))
        .with_hint("remove the link, or point it at a folder outside its own tree")
        .in_file(&file);
    }
    let broken = e
        .io_error()
        .is_some_and(|io| io.kind() == std::io::ErrorKind::NotFound)
        && e.path().is_some_and(|p| p.is_symlink());
    if broken {
        return Diagnostic::error("symbolic link points to nothing")
            .with_hint("remove the link or create what it points to")
            .in_file(&file);
    }
    Diagnostic::error(format!("cannot list content folder: {e}")).in_file(&file)
}

/// Parsed pages kept between builds (for `wa-docs serve`), by path, with the file's stamp
/// when it was read.
#[derive(Default)]
pub struct PageCache {
    pages: HashMap<PathBuf, (Stamp, Page)>,
}

/// Size, modification time, status-change time and inode. The modification time alone is not
/// enough: `cp -p`, `rsync -t --inplace` and `touch -r` write new bytes of the same size into
/// the same inode and put an old modification time back. On Unix the status-change time
/// moves on every write and cannot be set back (elsewhere it stands in as the mtime).
type Stamp = (u64, SystemTime, SystemTime, u64);

/// A file's stamp, if it can be trusted to change with the file: files changed in the last
/// two seconds are always read again, in case the file system keeps coarse times.
fn stamp(path: &Path) -> Option<Stamp> {
    let m = std::fs::metadata(path).ok()?;
    let modified = m.modified().ok()?;
    #[cfg(unix)]
    let (changed, inode) = {
        use std::os::unix::fs::MetadataExt;
        let since_epoch = Duration::new(
            u64::try_from(m.ctime()).ok()?,
            u32::try_from(m.ctime_nsec()).ok()?,
        );
        (SystemTime::UNIX_EPOCH + since_epoch, m.ino())
    };
    #[cfg(not(unix))]
    let (changed, inode) = (modified, 0);
    let age = SystemTime::now()
        .duration_since(modified.max(changed))
        .ok()?;
    if age < Duration::from_secs(2) {
        return None;
    }
    Some((m.len(), modified, changed, inode))
}

/// Loads every page; problems go to `diags`.
pub fn load_pages(root: &Path, dir: &Path, diags: &mut Diagnostics) -> Vec<Page> {
    load_pages_cached(root, dir, diags, None)
}

/// Loads every page; with a cache, only files whose stamp changed are read and parsed.
pub fn load_pages_cached(
    root: &Path,
    dir: &Path,
    diags: &mut Diagnostics,
    cache: Option<&mut PageCache>,
) -> Vec<Page> {
    let paths = match page_paths(root, dir) {
        Ok(p) => p,
        Err(d) => {
            diags.push(d);
            return Vec::new();
        }
    };
    let old = cache.as_deref();
    let parsed: Vec<(Option<Stamp>, Result<Page, Diagnostic>)> = paths
        .par_iter()
        .map(|rel| {
            let st = old.and(stamp(&root.join(rel)));
            if let (Some(st), Some((was, page))) = (st, old.and_then(|c| c.pages.get(rel)))
                && st == *was
            {
                return (Some(st), Ok(page.clone()));
            }
            (
                st,
                read_source(root, rel).and_then(|src| parse_page(src, dir)),
            )
        })
        .collect();
    if let Some(c) = cache {
        c.pages = paths
            .iter()
            .zip(&parsed)
            .filter_map(|(rel, (st, p))| Some((rel.clone(), ((*st)?, p.as_ref().ok()?.clone()))))
            .collect();
    }
    let parsed = parsed.into_iter().map(|(_, p)| p);
    let mut pages = Vec::with_capacity(parsed.len());
    for p in parsed {
        match p {
            Ok(p) => pages.push(p),
            Err(d) => diags.push(d),
        }
    }
    pages
}

/// Splits front matter from the body and derives the page's id and URL.
pub fn parse_page(source: SourceFile, content_dir: &Path) -> Result<Page, Diagnostic> {
    let text = &source.text;
    let Some(rest) = text.strip_prefix("---\n") else {
        return Err(Diagnostic::error("page has no front matter")
            .with_hint("start the file with `---`, a `title: ...` line, and `---`")
            .at(&source.path, text, 0, 1));
    };
    let (yaml, body_offset) = match rest
        .find("\n---\n")
        .map(|i| (i, 5))
        .or_else(|| rest.strip_suffix("\n---").map(|r| (r.len(), 4)))
    {
        Some((end, sep)) => (&rest[..end], 4 + end + sep),
        None => {
            return Err(Diagnostic::error("front matter is not closed")
                .with_hint("end the front matter with a line holding only `---`")
                .at(&source.path, text, 0, 3));
        }
    };
    if let Some(at) = crate::yaml_depth::too_deep(yaml) {
        return Err(crate::lens::nesting_error(&source.path, text, 4 + at));
    }
    let front: FrontMatter = serde_yaml::from_str(yaml).map_err(|e| {
        let msg = e.to_string();
        let msg = msg.split(" at line ").next().unwrap_or(&msg).to_string();
        let hint = if msg.contains("unknown field") {
            "front matter accepts title, description, weight, kind, id, checklist and lens"
        } else if msg.contains("missing field `title`") {
            "every page needs `title:`"
        } else {
            "check the YAML between the `---` lines"
        };
        let d = Diagnostic::error(format!("front matter: {msg}")).with_hint(hint);
        match e.location() {
            // The YAML starts on line 2 of the file.
            Some(loc) => d.at_line_col(&source.path, text, loc.line() + 1, loc.column()),
            None => d.at(&source.path, text, 4, 1),
        }
    })?;
    let rel = source
        .path
        .strip_prefix(content_dir)
        .unwrap_or(&source.path)
        .to_path_buf();
    let url = page_url(&rel);
    let id = match &front.id {
        Some(id) => id.clone(),
        None => default_id(&rel, front.kind),
    };
    if front.id.is_none() && id.split('/').any(str::is_empty) {
        return Err(Diagnostic::error(format!(
            "file name `{}` has no letter or digit to make a URL from",
            source.path.display()
        ))
        .with_hint("rename the file or its folder; names may use any script")
        .in_file(&source.path));
    }
    if !crate::lens::is_valid_id(&id) && !id.contains('/') {
        let at = text.find("id:").unwrap_or(0);
        return Err(
            Diagnostic::error(format!("page id `{id}` has characters ids cannot have"))
                .with_hint("ids use letters, digits, `_`, `-` and `.`")
                .at(&source.path, text, at, 3),
        );
    }
    Ok(Page {
        id,
        front,
        source,
        body_offset,
        url,
    })
}

/// Whether a file stem names its folder's own page: `index`, or the peers' conventions
/// `_index` (Zola, Hugo) and `README` (mdBook, GitHub).
fn is_folder_page(stem: &str) -> bool {
    stem == "index" || stem == "_index" || stem.eq_ignore_ascii_case("readme")
}

/// `a/b.md` -> `a/b.html`; a folder's own page (`a/index.md`, `a/_index.md`, `a/README.md`)
/// becomes `a/index.html`, so the folder's URL serves it.
pub fn page_url(rel: &Path) -> String {
    let (dirs, stem) = url_parts(rel);
    let file = if is_folder_page(&stem) {
        "index".to_string()
    } else {
        slug::segment(&stem)
    };
    dirs.into_iter()
        .chain(std::iter::once(file + ".html"))
        .collect::<Vec<_>>()
        .join("/")
}

/// The folders of `rel` as URL segments, and its raw file stem.
fn url_parts(rel: &Path) -> (Vec<String>, String) {
    parts(rel, slug::segment)
}

/// The folders of `rel` through `seg`, and its raw file stem.
fn parts(rel: &Path, seg: fn(&str) -> String) -> (Vec<String>, String) {
    let stem = rel
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let dirs = rel
        .parent()
        .into_iter()
        .flat_map(|p| p.components())
        .map(|c| seg(&c.as_os_str().to_string_lossy()))
        .collect();
    (dirs, stem)
}

/// Typed pages are known by their file name; ordinary pages by their path, so two
/// `intro.md` files in different folders do not collide. Names go through the URL rule
/// ([`slug::id_segment`]), so ids and URLs agree but for names Windows reserves.
fn default_id(rel: &Path, kind: PageKind) -> String {
    let (mut dirs, stem) = parts(rel, slug::id_segment);
    if kind != PageKind::Page {
        return slug::id_segment(&stem);
    }
    if is_folder_page(&stem) {
        return dirs.pop().unwrap_or_else(|| "home".into());
    }
    dirs.push(slug::id_segment(&stem));
    dirs.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn src(path: &str, text: &str) -> SourceFile {
        SourceFile {
            path: PathBuf::from(path),
            text: text.to_string(),
        }
    }

    #[test]
    fn front_matter_and_ids() {
        let p = parse_page(
            src(
                "content/dimensions/fairness.md",
                "---\ntitle: Fairness\nkind: dimension\n---\nBody\n",
            ),
            Path::new("content"),
        )
        .unwrap();
        assert_eq!(p.id, "fairness");
        assert_eq!(p.url, "dimensions/fairness.html");
        assert_eq!(p.body(), "Body\n");
        let p = parse_page(
            src("content/guide/intro.md", "---\ntitle: I\n---\n"),
            Path::new("content"),
        )
        .unwrap();
        assert_eq!(p.id, "guide/intro");
        let p = parse_page(
            src("content/index.md", "---\ntitle: H\n---\n"),
            Path::new("content"),
        )
        .unwrap();
        assert_eq!(p.id, "home");
        assert_eq!(p.url, "index.html");
    }

    #[test]
    fn the_peers_folder_pages_become_the_folders_index() {
        for (file, id, url) in [
            ("content/guide/_index.md", "guide", "guide/index.html"),
            ("content/guide/README.md", "guide", "guide/index.html"),
            ("content/guide/readme.md", "guide", "guide/index.html"),
            ("content/_index.md", "home", "index.html"),
            (
                "content/guide/readme-first.md",
                "guide/readme-first",
                "guide/readme-first.html",
            ),
        ] {
            let p = parse_page(src(file, "---\ntitle: T\n---\n"), Path::new("content")).unwrap();
            assert_eq!((p.id.as_str(), p.url.as_str()), (id, url), "{file}");
        }
    }

    #[test]
    fn unknown_front_matter_key_has_file_line() {
        let e = parse_page(
            src("content/a.md", "---\ntitle: A\ntags: [x]\n---\n"),
            Path::new("content"),
        )
        .unwrap_err();
        assert!(e.message.contains("unknown field `tags`"), "{}", e.message);
        assert_eq!(e.location.unwrap().line, 3);
    }
}
