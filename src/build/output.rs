//! Writing the output: into a temporary folder beside the destination, then swapped in, so a
//! failed build leaves the previous site untouched. A lock file keeps two builds apart.

use std::collections::HashSet;
use std::fs::{self, File};
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::Duration;

use rayon::prelude::*;

use crate::config::Config;
use crate::diag::Diagnostic;
use crate::project::{Emit, OutFile};

mod swap;

use swap::{exchange, swap_in};

/// Marks a folder as wa-docs output, so a build never replaces a folder it did not write.
pub const MARKER: &str = ".wa-docs-output";

#[derive(Debug, Clone, Default)]
pub struct BuildReport {
    pub dest: PathBuf,
    pub pages: usize,
    pub files: usize,
    pub bytes: u64,
    pub elapsed: Duration,
}

fn absolute(p: &Path) -> PathBuf {
    let p = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(p)
    };
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// Refuses destinations that would overwrite sources or the project itself.
pub fn check_destination(root: &Path, config: &Config, dest: &Path) -> Result<(), Diagnostic> {
    let root_abs = absolute(&fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf()));
    let dest_abs = absolute(dest);
    let dest_abs = match (dest_abs.parent(), dest_abs.file_name()) {
        (Some(parent), Some(name)) => fs::canonicalize(parent)
            .map(|p| p.join(name))
            .unwrap_or(dest_abs.clone()),
        _ => dest_abs.clone(),
    };
    let bad = |why: &str| {
        Diagnostic::error(format!(
            "refusing to write the site to {}: {why}",
            dest.display()
        ))
        .with_hint("choose an output folder of its own, e.g. `-d book`")
    };
    if dest_abs.parent().is_none() || root_abs.starts_with(&dest_abs) {
        return Err(bad("it holds the project"));
    }
    for (what, dir) in [
        ("the content folder", &config.wa.content_dir),
        ("the lens folder", &config.wa.lens_dir),
        ("the themes folder", &PathBuf::from("themes")),
    ] {
        if dest_abs.starts_with(root_abs.join(dir)) {
            return Err(bad(&format!("it is inside {what}")));
        }
    }
    if dest_abs.exists() {
        if !dest_abs.is_dir() {
            return Err(bad("it is a file"));
        }
        let empty = fs::read_dir(&dest_abs)
            .map(|mut d| d.next().is_none())
            .unwrap_or(false);
        if !empty && !dest_abs.join(MARKER).exists() {
            return Err(bad("it is not empty and was not written by wa-docs"));
        }
    }
    Ok(())
}

fn io(what: &str, path: &Path, e: std::io::Error) -> Diagnostic {
    Diagnostic::error(format!("cannot {what} {}: {e}", path.display()))
}

/// Output paths that would not survive a copy to another system: two that differ only in
/// case (one file on case-insensitive file systems and object stores), and names Windows
/// cannot create. `source_of` names the file an output comes from, where there is one.
pub fn unportable_outputs(
    files: &[OutFile],
    source_of: &dyn Fn(&str) -> Option<PathBuf>,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut seen: std::collections::HashMap<String, &str> = std::collections::HashMap::new();
    // Messages stay short (they must not wrap in a terminal); the files go in the hint.
    let from =
        |url: &str| source_of(url).map_or_else(|| format!("`{url}`"), |s| s.display().to_string());
    let at = |url: &str, d: Diagnostic| match source_of(url) {
        Some(src) => d.in_file(&src),
        None => d,
    };
    for f in files {
        if let Some(prev) = seen.insert(f.path.to_lowercase(), &f.path)
            && prev != f.path
        {
            out.push(at(
                &f.path,
                Diagnostic::error(format!("`{prev}` and `{}` differ only in case", f.path))
                    .with_hint(format!(
                        "from {} and {}; case-insensitive file systems and object stores \
                         keep one of them: rename one",
                        from(prev),
                        from(&f.path)
                    )),
            ));
        }
        for seg in f.path.split('/') {
            if let Some(why) = crate::slug::unportable(seg) {
                out.push(at(
                    &f.path,
                    Diagnostic::error(format!("`{seg}` in `{}`: {why}", f.path))
                        .with_hint("rename the file or folder"),
                ));
                break;
            }
        }
    }
    out
}

/// Every output path must stay inside the output folder.
fn safe_rel(path: &str) -> bool {
    !path.is_empty()
        && !path.starts_with('/')
        && !path.contains('\\')
        && Path::new(path)
            .components()
            .all(|c| matches!(c, Component::Normal(_)))
}

pub fn write_atomically(dest: &Path, files: Vec<OutFile>) -> Result<BuildReport, Diagnostic> {
    let staging = Staging::open(dest, false)?;
    files.par_iter().for_each(|f| staging.emit(f));
    staging.commit()
}

/// An output folder being written: files go into a temporary folder beside the destination
/// as they are made, and [`Staging::commit`] swaps it in whole. Dropped without a commit (a
/// failed build), the temporary folder is removed and the previous output stays as it was.
pub struct Staging {
    dest: PathBuf,
    tmp: PathBuf,
    /// Where the previous output is moved while the new one is swapped in.
    old: PathBuf,
    /// With recycling, the output before last, kept to be written over by the next build.
    prev: Option<PathBuf>,
    /// Whether `tmp` started as a recycled output: files this build did not write are then
    /// deleted before the swap.
    recycled: bool,
    written: Mutex<HashSet<PathBuf>>,
    lock_path: PathBuf,
    lock: Option<File>,
    /// Folders already created in `tmp`, so each is created once.
    dirs: Mutex<HashSet<PathBuf>>,
    /// The first write that failed; reported by `commit`.
    error: Mutex<Option<Diagnostic>>,
    pages: AtomicUsize,
    files: AtomicUsize,
    bytes: AtomicU64,
    committed: bool,
}

impl Staging {
    /// Takes the destination's lock and creates the temporary folder. With `recycle`, the
    /// output before last is kept beside the destination (`.NAME.wa-prev`) and becomes the
    /// next build's temporary folder: on ext4, creating 10,000 files right after deleting as
    /// many is five times slower than writing over existing ones (the allocator skips
    /// recently freed inodes), and deleting the old output took as long again.
    pub fn open(dest: &Path, recycle: bool) -> Result<Staging, Diagnostic> {
        let dest = absolute(dest);
        let parent = dest
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."));
        let name = dest
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "book".into());
        fs::create_dir_all(&parent).map_err(|e| io("create", &parent, e))?;
        let lock_path = parent.join(format!(".{name}.wa-lock"));
        let lock = File::create(&lock_path).map_err(|e| io("create", &lock_path, e))?;
        if lock.try_lock().is_err() {
            return Err(Diagnostic::error(format!(
                "another wa-docs build is writing to {}",
                dest.display()
            ))
            .with_hint("wait for it to finish; builds into one folder run one at a time"));
        }
        let tmp = parent.join(format!(".{name}.wa-tmp-{}", std::process::id()));
        if tmp.exists() {
            fs::remove_dir_all(&tmp).map_err(|e| io("clear", &tmp, e))?;
        }
        let prev = recycle.then(|| parent.join(format!(".{name}.wa-prev")));
        let old = parent.join(format!(".{name}.wa-old-{}", std::process::id()));
        // Folders an interrupted build left (none is in use while we hold the lock).
        let mut stale = leftovers(&parent, &name, &[&tmp, &old]);
        // Only a folder wa-docs wrote is recycled (the lock keeps other builds out of it); an
        // interrupted build took the output before last into its temporary folder, so that
        // folder stands in for it.
        let mut recycled = prev
            .as_ref()
            .is_some_and(|p| p.join(MARKER).is_file() && fs::rename(p, &tmp).is_ok());
        if recycle
            && !recycled
            && let Some(k) =
                (stale.iter()).position(|p| p.join(MARKER).is_file() && fs::rename(p, &tmp).is_ok())
        {
            stale.remove(k);
            recycled = true;
        }
        for p in stale {
            let _ = fs::remove_dir_all(p);
        }
        if !recycled {
            fs::create_dir_all(&tmp).map_err(|e| io("create", &tmp, e))?;
        }
        Ok(Staging {
            dest,
            tmp,
            old,
            prev,
            recycled,
            written: Mutex::default(),
            lock_path,
            lock: Some(lock),
            dirs: Mutex::default(),
            error: Mutex::default(),
            pages: AtomicUsize::new(0),
            files: AtomicUsize::new(0),
            bytes: AtomicU64::new(0),
            committed: false,
        })
    }

    fn fail(&self, d: Diagnostic) {
        if let Ok(mut e) = self.error.lock() {
            e.get_or_insert(d);
        }
    }

    fn write(&self, f: &OutFile) -> Result<(), Diagnostic> {
        if !safe_rel(&f.path) {
            return Err(Diagnostic::error(format!(
                "internal: output path `{}` leaves the output folder",
                f.path
            )));
        }
        let path = self.tmp.join(&f.path);
        let put = || -> Result<(), Diagnostic> {
            if let Some(dir) = path.parent() {
                // Created under the lock: another thread must not write into it before it
                // exists.
                let mut dirs = self
                    .dirs
                    .lock()
                    .map_err(|_| Diagnostic::error("internal: output folder list poisoned"))?;
                if !dirs.contains(dir) {
                    fs::create_dir_all(dir).map_err(|e| io("create", dir, e))?;
                    dirs.insert(dir.to_path_buf());
                }
            }
            // Written over the output before last: a file that already holds these bytes is
            // left alone. Reading it back costs far less than rewriting it (the kernel frees
            // and reallocates the blocks, and writes them back to disk later), most files of a
            // rebuild are unchanged, and tools that sync by modification time skip them.
            if self.recycled && same_file(&path, &f.bytes) {
                return Ok(());
            }
            fs::write(&path, &f.bytes).map_err(|e| io("write", &path, e))
        };
        if self.recycled
            && let Ok(mut w) = self.written.lock()
        {
            w.insert(path.clone());
        }
        put().or_else(|e| {
            if !self.recycled {
                return Err(e);
            }
            // The recycled output may hold a folder where this build writes a file, or a
            // file where it needs a folder: clear the way once and retry.
            if path.is_dir() {
                let _ = fs::remove_dir_all(&path);
            }
            for a in path
                .ancestors()
                .skip(1)
                .take_while(|a| a.starts_with(&self.tmp))
            {
                if a.is_file() {
                    let _ = fs::remove_file(a);
                }
            }
            put()
        })
    }

    /// Deletes what a recycled folder holds that this build did not write (or left as it was).
    fn remove_stale(&self) -> Result<(), Diagnostic> {
        let written = self
            .written
            .lock()
            .map_err(|_| Diagnostic::error("internal: written-file list poisoned"))?;
        let mut dirs = Vec::new();
        for entry in walkdir::WalkDir::new(&self.tmp).min_depth(1) {
            let entry = entry.map_err(|e| Diagnostic::error(format!("cannot list output: {e}")))?;
            let path = entry.path();
            if entry.file_type().is_dir() {
                dirs.push(path.to_path_buf());
            } else if !written.contains(path) {
                fs::remove_file(path).map_err(|e| io("remove", path, e))?;
            }
        }
        // Deepest first; a folder still holding files stays.
        for d in dirs.iter().rev() {
            let _ = fs::remove_dir(d);
        }
        Ok(())
    }

    /// Swaps the written folder in for the destination.
    pub fn commit(mut self) -> Result<BuildReport, Diagnostic> {
        if let Some(e) = self.error.lock().ok().and_then(|mut e| e.take()) {
            return Err(e);
        }
        if self.recycled {
            self.remove_stale()?;
        }
        let (tmp, dest) = (&self.tmp, &self.dest);
        fs::write(
            tmp.join(MARKER),
            b"This folder is written by wa-docs; a build replaces it whole.\n",
        )
        .map_err(|e| io("write", &tmp.join(MARKER), e))?;
        // The previous output is kept to be written over next time, or deleted.
        let aside = self.old.clone();
        let previous = swap_in(tmp, dest, &aside, exchange, &|a, b| fs::rename(a, b))?;
        self.committed = true;
        if let Some(previous) = previous {
            let kept = self.prev.as_ref().is_some_and(|prev| {
                if prev.exists() {
                    remove_tree(prev);
                }
                fs::rename(&previous, prev).is_ok()
            });
            if !kept {
                remove_tree(&previous);
            }
        }
        Ok(BuildReport {
            dest: dest.clone(),
            pages: self.pages.load(Ordering::Relaxed),
            files: self.files.load(Ordering::Relaxed),
            bytes: self.bytes.load(Ordering::Relaxed),
            elapsed: Duration::ZERO,
        })
    }
}

impl Emit for Staging {
    fn emit(&self, f: &OutFile) {
        if let Err(d) = self.write(f) {
            self.fail(d);
            return;
        }
        if f.path.ends_with(".html") {
            self.pages.fetch_add(1, Ordering::Relaxed);
        }
        self.files.fetch_add(1, Ordering::Relaxed);
        self.bytes
            .fetch_add(f.bytes.len() as u64, Ordering::Relaxed);
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            // A recycled folder goes back to be recycled; its contents do not matter.
            let kept = self.recycled
                && self
                    .prev
                    .as_ref()
                    .is_some_and(|p| fs::rename(&self.tmp, p).is_ok());
            if !kept {
                let _ = fs::remove_dir_all(&self.tmp);
            }
        }
        drop(self.lock.take());
        let _ = fs::remove_file(&self.lock_path);
    }
}

/// Deletes a folder of an earlier build, on all cores: on large sites deleting the previous
/// output takes as long as writing the new one. Symbolic links are removed, never followed.
fn remove_tree(dir: &Path) {
    let entries: Vec<(PathBuf, bool)> = match fs::read_dir(dir) {
        Ok(rd) => rd
            .flatten()
            .map(|e| (e.path(), e.file_type().is_ok_and(|t| t.is_dir())))
            .collect(),
        Err(_) => return,
    };
    entries.par_iter().for_each(|(p, is_dir)| {
        if *is_dir {
            remove_tree(p);
        } else {
            let _ = fs::remove_file(p);
        }
    });
    let _ = fs::remove_dir(dir);
}

/// The temporary and old folders (`.NAME.wa-tmp-PID`, `.NAME.wa-old-PID`) of builds into
/// `parent/name` that did not finish (killed mid-build), but for `ours`.
fn leftovers(parent: &Path, name: &str, ours: &[&Path]) -> Vec<PathBuf> {
    let prefixes = [format!(".{name}.wa-tmp-"), format!(".{name}.wa-old-")];
    let Ok(entries) = fs::read_dir(parent) else {
        return Vec::new();
    };
    let mut out: Vec<PathBuf> = entries
        .flatten()
        .filter(|e| {
            let file_name = e.file_name();
            let n = file_name.to_string_lossy();
            prefixes.iter().any(|p| {
                n.strip_prefix(p.as_str())
                    .is_some_and(|pid| !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit()))
            }) && e.file_type().is_ok_and(|t| t.is_dir())
        })
        .map(|e| e.path())
        .filter(|p| !ours.contains(&p.as_path()))
        .collect();
    out.sort();
    out
}

/// Whether `path` is a file holding exactly `bytes`.
fn same_file(path: &Path, bytes: &[u8]) -> bool {
    let same_len =
        fs::symlink_metadata(path).is_ok_and(|m| m.is_file() && m.len() == bytes.len() as u64);
    same_len && fs::read(path).is_ok_and(|old| old == bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_paths_cannot_escape() {
        assert!(safe_rel("a/b.html"));
        assert!(!safe_rel("../x"));
        assert!(!safe_rel("/etc/passwd"));
        assert!(!safe_rel("a\\..\\b"));
    }
}
