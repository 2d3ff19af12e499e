#![allow(dead_code)]
//! Helpers shared by the integration tests: fixture copies and running the real binary.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// Copies a fixture project into a fresh temporary folder (tests edit their copy).
pub fn copy_fixture(name: &str) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("tempdir");
    copy_dir(&fixture(name), tmp.path());
    tmp
}

pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("walk fixture");
        let rel = entry.path().strip_prefix(from).expect("prefix");
        let dest = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).expect("mkdir");
        } else {
            std::fs::copy(entry.path(), &dest).expect("copy");
        }
    }
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

pub fn wa(args: &[&str], cwd: &Path) -> Run {
    let out: Output = Command::new(env!("CARGO_BIN_EXE_wa-docs"))
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("run wa-docs");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

pub fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

pub fn edit(path: &Path, from: &str, to: &str) {
    let text = read(path);
    assert!(
        text.contains(from),
        "{} does not contain {from:?}",
        path.display()
    );
    std::fs::write(path, text.replacen(from, to, 1)).expect("write");
}

/// All `href` values in a page.
pub fn hrefs(html: &str) -> Vec<String> {
    html.split("href=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .map(|s| s.replace("&amp;", "&"))
        .collect()
}

/// All `id` values in a page.
pub fn ids(html: &str) -> Vec<String> {
    html.split(" id=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .map(String::from)
        .collect()
}

/// Checks that every relative link in every page of `site` points at an existing file and,
/// when it has one, an existing anchor there. Returns the number of links checked.
pub fn check_links(site: &Path) -> usize {
    let mut checked = 0;
    let mut id_cache: std::collections::HashMap<PathBuf, std::collections::HashSet<String>> =
        std::collections::HashMap::new();
    for entry in walkdir::WalkDir::new(site) {
        let entry = entry.expect("walk");
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "html") {
            continue;
        }
        let html = read(path);
        for href in hrefs(&html) {
            if href.contains("://") || href.starts_with("mailto:") || href.is_empty() {
                continue;
            }
            let (file, anchor) = match href.split_once('#') {
                Some((f, a)) => (f.to_string(), Some(a.to_string())),
                None => (href.clone(), None),
            };
            let target = if file.is_empty() {
                path.to_path_buf()
            } else {
                path.parent().unwrap().join(&file)
            };
            assert!(
                target.exists(),
                "{}: link {href} points to a missing file",
                path.display()
            );
            if let Some(a) = anchor
                && target.extension().is_some_and(|e| e == "html")
                && !a.is_empty()
            {
                let known = id_cache
                    .entry(target.clone())
                    .or_insert_with(|| ids(&read(&target)).into_iter().collect());
                assert!(
                    known.contains(&a),
                    "{}: link {href}: no id `{a}` in {}",
                    path.display(),
                    target.display()
                );
            }
            checked += 1;
        }
    }
    checked
}
