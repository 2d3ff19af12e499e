//! The command line: `wa-docs lens import` and `wa-docs lens export`.

use super::*;

#[test]
fn cli_import_export_and_site() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let fx = own_fixture_dir();
    let first = fx.join("ml-platform-review.json");
    let first = first.to_str().unwrap();
    let second = fx.join("batch-inference.json");
    let second = second.to_str().unwrap();
    std::fs::write(dir.join("book.toml"), "[book]\ntitle = \"T\"\n").unwrap();
    std::fs::write(dir.join("bad.json"), "{ \"name\": ").unwrap();

    let (code, _, err) = wa_docs(&["lens", "import", first, second], dir);
    assert_eq!(code, 0, "{err}");
    assert!(dir.join("lenses/ml-platform-review-lens.yaml").exists());
    // Refuses to overwrite without --force.
    let (code, _, _) = wa_docs(&["lens", "import", first], dir);
    assert_eq!(code, 2);
    let (code, _, _) = wa_docs(&["lens", "import", "--force", "-q", first], dir);
    assert_eq!(code, 0);

    let (code, json, err) = wa_docs(&["lens", "export", "ml-platform-review-lens"], dir);
    assert_eq!(code, 0, "{err}");
    let a: Value = serde_json::from_str(&json).unwrap();
    let b = json_value(&read(Path::new(first)));
    assert_eq!(a, b);
    let (code, _, err) = wa_docs(&["lens", "export", "no-such-lens"], dir);
    assert_eq!(code, 2);
    assert!(
        err.contains("known lenses: batch-inference-lens, ml-platform-review-lens"),
        "{err}"
    );

    let (code, yaml, _) = wa_docs(&["lens", "import", first, "-o", "-"], dir);
    assert_eq!(code, 0);
    assert!(yaml.starts_with("# Imported from ml-platform-review.json"));
    let (code, _, err) = wa_docs(&["lens", "import", "bad.json"], dir);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("bad.json:1:10"), "{err}");
    let (code, _, _) = wa_docs(&["lens", "import", "missing.json"], dir);
    assert_eq!(code, 2);
    let (code, _, _) = wa_docs(&["lens", "import", first, second, "-o", "x.yaml"], dir);
    assert_eq!(code, 2);

    let (code, _, err) = wa_docs(&["lens", "import", "--site", "site", first, second], dir);
    assert_eq!(code, 0, "{err}");
    let index = std::fs::read_to_string(dir.join("site/index.html")).unwrap();
    assert!(index.contains("ML Platform Review Lens"));
    assert!(
        dir.join("site/lenses/batch-inference-lens/index.html")
            .exists()
    );

    let (code, out, _) = wa_docs(&["lens", "import", "--help"], dir);
    assert_eq!(code, 0);
    for flag in ["--root", "--output", "--site", "--force", "--quiet"] {
        assert!(out.contains(flag), "{flag} missing from --help");
    }
}

/// Spreadsheet exports write `NaN` for empty cells. Strict import names each field's JSON path
/// and line; `--lenient` takes them as empty, the site builds, and export refuses the empty
/// required title at its YAML line until it is filled in.
#[test]
fn nan_cells_are_named_by_path_and_lenient_import_leaves_export_to_refuse_them() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/wa-tool-lenses-unusual/nan-cells.json");
    std::fs::copy(fixture, dir.join("nan-cells.json")).unwrap();
    let nan = "nan-cells.json";
    std::fs::write(dir.join("book.toml"), "[book]\ntitle = \"T\"\n").unwrap();

    let (code, _, err) = wa_docs(&["lens", "import", nan], dir);
    assert_eq!(code, 1, "{err}");
    for (path, line_col) in [
        ("pillars[0].questions[0].choices[1].description", "26:30"),
        ("pillars[2].questions[4].title", "270:20"),
        ("pillars[2].questions[4].description", "271:26"),
    ] {
        assert!(
            err.contains(&format!(
                "nan-cells.json:{line_col}: {path}: `NaN` is not JSON"
            )),
            "{path} at {line_col}:\n{err}"
        );
    }
    assert!(
        err.contains("--lenient") && err.contains("empty cell"),
        "{err}"
    );
    assert!(!dir.join("lenses").exists());

    let (code, _, err) = wa_docs(&["lens", "import", "--lenient", nan], dir);
    assert_eq!(code, 0, "{err}");
    assert_eq!(err.matches("imported as empty").count(), 3, "{err}");
    let yaml = read(&dir.join("lenses/spreadsheet-export.yaml"));
    assert!(yaml.contains("title: ''"), "{yaml}");

    let (code, _, err) = wa_docs(&["build", ".", "-q"], dir);
    assert_eq!(code, 0, "{err}");

    let (code, _, err) = wa_docs(
        &["lens", "export", "spreadsheet-export", "-o", "out.json"],
        dir,
    );
    assert_eq!(code, 1, "{err}");
    let title_line = line_of(&yaml, "title: ''");
    assert!(
        err.contains(&format!("lenses/spreadsheet-export.yaml:{title_line}:"))
            && err.contains("title: empty"),
        "{err}"
    );
    assert!(!dir.join("out.json").exists());
}
