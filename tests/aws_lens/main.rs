//! AWS Well-Architected Tool custom-lens JSON: import, export, limits, and sites built from
//! imported lenses. Our own lens files (`tests/fixtures/wa-tool-lenses`) always run; the real-world
//! corpus runs too when `WA_DOCS_LENS_CORPUS` names its folder.

mod command_line;
mod exporting;
mod importing;
mod real_lenses;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Value, json};
use wa_docs::aws::{
    self, ExportOptions, ImportOptions, export_json, export_json_with, export_json_with_warnings,
    import_json, import_json_with, lens_json_for_site, lens_to_yaml,
};
use wa_docs::build::{BuildOptions, build};
use wa_docs::diag::{Diagnostic, Diagnostics};
use wa_docs::lens::risk::{Condition, evaluate};
use wa_docs::lens::{Lens, LensFile, parse_lens};
use wa_docs::source::SourceFile;

/// Our own WA Tool lens files: always present, so a fresh clone tests every feature of the format.
fn own_fixture_dir() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/wa-tool-lenses"
    ))
}

fn json_files(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    v.sort();
    v
}

/// The real-world corpus of published custom lenses, an extra input: the folder named by
/// `WA_DOCS_LENS_CORPUS` (CI points it at `../shared/fixtures/aws-custom-lenses`). Unset, the
/// tests say so once and run on our own fixtures; set to a missing folder, they fail.
fn corpus() -> Vec<PathBuf> {
    match std::env::var_os("WA_DOCS_LENS_CORPUS") {
        None => {
            eprintln!(
                "note: WA_DOCS_LENS_CORPUS is not set: skipping the real-world lens corpus \
                 (our own fixtures in tests/fixtures/wa-tool-lenses still run)"
            );
            Vec::new()
        }
        Some(dir) => {
            let dir = PathBuf::from(dir);
            assert!(
                dir.is_dir(),
                "WA_DOCS_LENS_CORPUS names {}, which is not a folder",
                dir.display()
            );
            let v = json_files(&dir);
            assert!(!v.is_empty(), "no .json lens files in {}", dir.display());
            v
        }
    }
}

/// Our fixtures, then the corpus when it is configured.
fn fixtures() -> Vec<PathBuf> {
    let mut v = json_files(&own_fixture_dir());
    assert_eq!(v.len(), 3, "expected our 3 fixture lenses");
    v.extend(corpus());
    v
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap()
}

/// A fixture's JSON value; a leading byte-order mark (which the WA Tool and wa-docs accept) is not
/// part of it.
fn json_value(text: &str) -> Value {
    serde_json::from_str(text.trim_start_matches('\u{feff}')).unwrap()
}

/// Writes the lens as YAML and loads it back the way a project build does.
fn as_lens_file(lens: &Lens, rel: &str) -> LensFile {
    let src = SourceFile {
        path: PathBuf::from(rel),
        text: lens_to_yaml(lens, "# test\n"),
    };
    let mut d = Diagnostics::default();
    let lf = parse_lens(src, &mut d).expect("imported YAML parses");
    assert!(!d.has_errors(), "{rel}: {:#?}", d.items);
    lf
}

/// Loads hand-written YAML, keeping the lens even when wa-docs itself reports problems.
fn yaml_lens(text: &str) -> LensFile {
    let src = SourceFile {
        path: PathBuf::from("lenses/t.yaml"),
        text: text.to_string(),
    };
    parse_lens(src, &mut Diagnostics::default()).expect("test YAML parses")
}

/// The first place two JSON values differ, for a readable failure.
fn first_difference(a: &Value, b: &Value, path: &str) -> Option<String> {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for k in x.keys().chain(y.keys()) {
                match (x.get(k), y.get(k)) {
                    (Some(u), Some(v)) => {
                        if let Some(d) = first_difference(u, v, &format!("{path}.{k}")) {
                            return Some(d);
                        }
                    }
                    (u, v) => return Some(format!("{path}.{k}: {u:?} vs {v:?}")),
                }
            }
            None
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => x
            .iter()
            .zip(y)
            .enumerate()
            .find_map(|(i, (u, v))| first_difference(u, v, &format!("{path}[{i}]"))),
        _ if a == b => None,
        _ => Some(format!("{path}: {a} vs {b}")),
    }
}

fn messages(d: &[Diagnostic]) -> Vec<String> {
    d.iter().map(|d| d.message.clone()).collect()
}

/// 1-based line of the first occurrence of `needle`.
fn line_of(text: &str, needle: &str) -> usize {
    let at = text
        .find(needle)
        .unwrap_or_else(|| panic!("`{needle}` not in text"));
    text[..at].matches('\n').count() + 1
}

/// The diagnostic with exactly this message (its position is checked by the caller).
fn find<'a>(d: &'a [Diagnostic], message: &str) -> &'a Diagnostic {
    d.iter()
        .find(|d| d.message == message)
        .unwrap_or_else(|| panic!("no diagnostic `{message}` in {:#?}", messages(d)))
}

fn line(d: &Diagnostic) -> usize {
    d.location.as_ref().expect("located").line
}

/// The ways a template may HTML-escape text: tera's (`'` and `/` too), the common `&#39;` form,
/// and the minimal one (`&`, `<`, `>`, `"` only).
fn html_escapes(s: &str) -> Vec<String> {
    let esc = |apos: &str, slash: &str, quot: &str| {
        let mut o = String::new();
        for c in s.chars() {
            match c {
                '&' => o.push_str("&amp;"),
                '<' => o.push_str("&lt;"),
                '>' => o.push_str("&gt;"),
                '"' => o.push_str(quot),
                '\'' => o.push_str(apos),
                '/' => o.push_str(slash),
                c => o.push(c),
            }
        }
        o
    };
    vec![
        esc("&#x27;", "&#x2F;", "&quot;"),
        esc("&#39;", "/", "&quot;"),
        esc("&#x27;", "/", "&quot;"),
        esc("'", "/", "&quot;"),
        esc("'", "/", "&#34;"),
    ]
}

fn shows(html: &str, text: &str) -> bool {
    html_escapes(text).iter().any(|e| html.contains(e.as_str()))
}

fn import(text: &str) -> (Lens, Vec<Diagnostic>) {
    import_json(text, Path::new("t.json"))
        .unwrap_or_else(|e| panic!("does not import: {:#?}", messages(&e)))
}

fn pretty(v: &Value) -> String {
    serde_json::to_string_pretty(v).unwrap()
}

fn wa_docs(args: &[&str], dir: &Path) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_wa-docs"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}
