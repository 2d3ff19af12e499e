//! Putting the staged folder in place of the destination: exchanged in one step where the OS
//! can, else two renames with the previous output put back if the second fails.

use std::path::{Path, PathBuf};

use super::io;
use crate::diag::Diagnostic;

/// Swaps the folder `tmp` in for `dest` and returns where the previous output now is (`None`
/// when there was none). Where the OS can, the two are exchanged in one step (Linux
/// `renameat2(RENAME_EXCHANGE)`), so `dest` never goes missing: the previous output ends up at
/// `tmp`. Elsewhere, or when the file system refuses, it takes two renames through `aside`;
/// if the second fails, the previous output is put back, and a failure to do that is reported
/// with where it is.
pub(super) fn swap_in(
    tmp: &Path,
    dest: &Path,
    aside: &Path,
    exchange: fn(&Path, &Path) -> std::io::Result<bool>,
    rename: &dyn Fn(&Path, &Path) -> std::io::Result<()>,
) -> Result<Option<PathBuf>, Diagnostic> {
    if !dest.exists() {
        rename(tmp, dest).map_err(|e| io("move into place", dest, e))?;
        return Ok(None);
    }
    match exchange(tmp, dest) {
        Ok(true) => return Ok(Some(tmp.to_path_buf())),
        Ok(false) => {}
        Err(e) => return Err(io("swap in", dest, e)),
    }
    rename(dest, aside).map_err(|e| io("move aside", dest, e))?;
    if let Err(e) = rename(tmp, dest) {
        let first = io("move into place", dest, e);
        return Err(match rename(aside, dest) {
            Ok(()) => first.with_hint("the previous output is in place, unchanged"),
            Err(back) => Diagnostic::error(format!(
                "{}; putting the previous output back failed too ({back}): it is in {}",
                first.message,
                aside.display()
            ))
            .with_hint(format!(
                "move {} back to {} by hand, or build again",
                aside.display(),
                dest.display()
            )),
        });
    }
    Ok(Some(aside.to_path_buf()))
}

/// Exchanges two paths in one step: `Ok(true)` done, `Ok(false)` not supported here (another
/// OS, an old kernel, a file system without it), `Err` a real failure.
#[cfg(all(target_os = "linux", any(target_env = "gnu", target_env = "musl")))]
pub(super) fn exchange(a: &Path, b: &Path) -> std::io::Result<bool> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let c = |p: &Path| CString::new(p.as_os_str().as_bytes()).map_err(std::io::Error::other);
    let (a, b) = (c(a)?, c(b)?);
    // SAFETY: both are NUL-terminated paths that outlive the call; AT_FDCWD resolves them
    // like rename(2) does.
    let r = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if r == 0 {
        return Ok(true);
    }
    let e = std::io::Error::last_os_error();
    match e.raw_os_error() {
        Some(libc::ENOSYS | libc::EINVAL | libc::ENOTSUP | libc::EXDEV) => Ok(false),
        _ => Err(e),
    }
}

#[cfg(not(all(target_os = "linux", any(target_env = "gnu", target_env = "musl"))))]
pub(super) fn exchange(_: &Path, _: &Path) -> std::io::Result<bool> {
    Ok(false)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn site(dir: &Path, text: &str) {
        fs::create_dir_all(dir).unwrap();
        fs::write(dir.join("index.html"), text).unwrap();
    }

    fn index(dir: &Path) -> String {
        fs::read_to_string(dir.join("index.html")).unwrap()
    }

    /// A staged new site, an old output beside it, and where the old one may be put aside.
    fn new_and_old_sites() -> (tempfile::TempDir, PathBuf, PathBuf, PathBuf) {
        let t = tempfile::tempdir().unwrap();
        let (tmp, dest, aside) = (
            t.path().join("tmp"),
            t.path().join("book"),
            t.path().join("old"),
        );
        site(&tmp, "new");
        site(&dest, "old");
        (t, tmp, dest, aside)
    }

    #[test]
    fn swap_exchanges_in_one_step_where_the_os_can() {
        let (_t, tmp, dest, aside) = new_and_old_sites();
        let previous = swap_in(&tmp, &dest, &aside, exchange, &|a, b| fs::rename(a, b)).unwrap();
        assert_eq!(index(&dest), "new");
        let previous = previous.unwrap();
        assert_eq!(index(&previous), "old");
        if cfg!(target_os = "linux") && previous == tmp {
            // Exchanged: nothing went through `aside`, so `dest` was never missing.
            assert!(!aside.exists());
        }
    }

    #[test]
    fn swap_falls_back_to_two_renames() {
        let (_t, tmp, dest, aside) = new_and_old_sites();
        let no_exchange: fn(&Path, &Path) -> std::io::Result<bool> = |_, _| Ok(false);
        let previous = swap_in(&tmp, &dest, &aside, no_exchange, &|a, b| fs::rename(a, b));
        assert_eq!(previous.unwrap().as_deref(), Some(aside.as_path()));
        assert_eq!(index(&dest), "new");
        assert_eq!(index(&aside), "old");
    }

    #[test]
    fn a_failed_swap_puts_the_old_output_back_or_says_where_it_is() {
        let (_t, tmp, dest, aside) = new_and_old_sites();
        let no_exchange: fn(&Path, &Path) -> std::io::Result<bool> = |_, _| Ok(false);
        // Moving the new output in fails; the old one goes back.
        let calls = std::cell::Cell::new(0);
        let flaky = |a: &Path, b: &Path| {
            calls.set(calls.get() + 1);
            if calls.get() == 2 {
                return Err(std::io::Error::other("disk on fire"));
            }
            fs::rename(a, b)
        };
        let e = swap_in(&tmp, &dest, &aside, no_exchange, &flaky).unwrap_err();
        assert!(e.message.contains("disk on fire"), "{}", e.message);
        assert_eq!(index(&dest), "old");
        // And when putting it back fails too, the error says where the old output is.
        calls.set(0);
        let broken = |a: &Path, b: &Path| {
            calls.set(calls.get() + 1);
            if calls.get() >= 2 {
                return Err(std::io::Error::other("disk on fire"));
            }
            fs::rename(a, b)
        };
        let e = swap_in(&tmp, &dest, &aside, no_exchange, &broken).unwrap_err();
        assert!(
            e.message.contains(&format!(
                "putting the previous output back failed too (disk on fire): it is in {}",
                aside.display()
            )),
            "{}",
            e.message
        );
        assert_eq!(index(&aside), "old");
        assert!(!dest.exists());
    }
}
