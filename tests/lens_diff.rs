//! `wa-docs lens diff`: one crafted pair of lens versions holding every kind of change, read as
//! YAML, as WA Tool JSON and from git, in each output format.

mod common;

use std::path::Path;

const OLD: &str = r#"id: demo
name: Demo Lens
version: "1.0"
pillars:
  - id: SEC
    name: Security
    questions:
      - id: SEC01
        title: How do you control access?
        best-practices:
          - id: SEC01-BP01
            title: Use short-lived credentials
            risk: high
            dimensions: [privacy-security]
            description: Callers sign every request with credentials that expire within an hour.
            improvement-plan: { text: Replace static keys. }
          - id: SEC01-BP02
            title: Rotate the signing keys of every service every ninety days
            risk: medium
            description: Rotation is automated, audited and tested in a staging account first.
            improvement-plan: { text: Automate rotation. }
          - id: SEC01-BP03
            title: Review access quarterly
            risk: low
            improvement-plan: { text: Schedule the review. }
        risk-rules:
          - { condition: SEC01-BP01 && SEC01-BP02, risk: none }
          - { condition: default, risk: high }
      - id: SEC02
        title: How do you protect data?
        best-practices:
          - id: SEC02-BP01
            title: Encrypt data at rest with customer-managed keys in every store
            risk: high
            description: Every bucket, volume and database snapshot is encrypted with keys the team controls and can revoke.
            improvement-plan: { text: Turn on encryption. }
          - id: SEC02-BP02
            title: Keep an inventory of data stores
            risk: medium
            improvement-plan: { text: Start the inventory. }
        risk-rules:
          - { condition: default, risk: high }
"#;

const NEW: &str = r#"id: demo
name: Demo Lens
version: "2.0"
pillars:
  - id: SEC
    name: Security
    questions:
      - id: SEC01
        title: How do you control who can call what?
        best-practices:
          - id: SEC01-BP01
            title: Use short-lived credentials
            risk: high
            dimensions: [privacy-security, governance]
            description: Callers sign every request with credentials that expire within fifteen minutes.
            improvement-plan: { text: Replace static keys. }
          - id: SEC01-BP04
            title: Rotate the signing keys of every service every ninety days
            risk: high
            description: Rotation is automated, audited and tested in a staging account first.
            improvement-plan: { text: Automate rotation. }
          - id: SEC01-BP05
            title: Review access every quarter
            previous-ids: [SEC01-BP03]
            risk: low
            improvement-plan: { text: Schedule the review. }
        risk-rules:
          - { condition: SEC01-BP01 && SEC01-BP04, risk: none }
          - { condition: SEC01-BP01, risk: medium }
          - { condition: default, risk: high }
      - id: SEC03
        title: How do you protect data?
        previous-ids: [SEC02]
        best-practices:
          - id: SEC02-BP01
            title: Encrypt data at rest with customer-managed keys in every store
            risk: high
            description: Every bucket, volume and database snapshot is encrypted with keys the team controls and can revoke.
            improvement-plan: { text: Turn on encryption. }
          - id: SEC03-BP02
            title: Classify data by sensitivity
            risk: medium
            improvement-plan: { text: Start classifying. }
        risk-rules:
          - { condition: default, risk: high }
"#;

fn project() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("old.yaml"), OLD).unwrap();
    std::fs::write(tmp.path().join("new.yaml"), NEW).unwrap();
    tmp
}

fn diff(dir: &Path, args: &[&str]) -> common::Run {
    let mut all = vec!["lens", "diff"];
    all.extend_from_slice(args);
    common::wa(&all, dir)
}

#[test]
fn text_output_names_every_kind_of_change() {
    let tmp = project();
    let run = diff(tmp.path(), &["old.yaml", "new.yaml"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let out = run.stdout;
    assert!(out.starts_with("demo: 1.0 -> 2.0\n"), "{out}");
    for expected in [
        // Added, removed.
        "+ best practice SEC03-BP02: Classify data by sensitivity",
        "- best practice SEC02-BP02: Keep an inventory of data stores",
        // Moved through previous-ids, and by similar text (SEC01-BP02 -> SEC01-BP04).
        "question SEC02 -> SEC03 (listed in previous-ids): How do you protect data?",
        "best practice SEC01-BP03 -> SEC01-BP05 (listed in previous-ids)",
        "best practice SEC01-BP02 -> SEC01-BP04 (matched by similar text)",
        // SEC02-BP01 kept its id but its question moved to a new id; that is not a regroup.
        // Section headings.
        "\nAdded:\n+ best practice",
        "\nRetitled:\n",
        // Retitled, old and new title.
        "question SEC01 retitled: \"How do you control access?\" -> \"How do you control who can call what?\"",
        "best practice SEC01-BP05 retitled: \"Review access quarterly\" -> \"Review access every quarter\"",
        // Reworded.
        "best practice SEC01-BP01 description: Callers sign every request with credentials that expire within [-an hour.-] {+fifteen minutes.+}",
        // Risk, risk rules, dimensions.
        "SEC01-BP04 risk: medium -> high",
        "SEC01 risk rules: SEC01-BP01 && SEC01-BP02 -> none; default -> high -> SEC01-BP01 && SEC01-BP04 -> none; SEC01-BP01 -> medium; default -> high",
        "SEC01-BP01 dimensions: +governance",
    ] {
        assert!(out.contains(expected), "missing `{expected}` in:\n{out}");
    }
    assert!(!out.contains("SEC02-BP01 now under"), "{out}");
}

#[test]
fn markdown_and_json_formats_and_exit_code() {
    let tmp = project();
    let md = diff(tmp.path(), &["old.yaml", "new.yaml", "--format", "md"]).stdout;
    assert!(md.starts_with("# demo: 1.0 -> 2.0\n"), "{md}");
    assert!(md.contains("\n## Moved\n"), "{md}");
    assert!(
        md.contains("within ~~an hour.~~ **fifteen minutes.**"),
        "{md}"
    );

    let run = diff(
        tmp.path(),
        &["old.yaml", "new.yaml", "-f", "json", "-o", "d.json"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(tmp.path().join("d.json")).unwrap()).unwrap();
    let changes = v["changes"].as_array().unwrap();
    let ids: Vec<&str> = changes.iter().map(|c| c["id"].as_str().unwrap()).collect();
    for id in [
        "SEC03-BP02",
        "SEC02-BP02",
        "SEC03",
        "SEC01-BP05",
        "SEC01-BP04",
        "SEC01",
        "SEC01-BP01",
    ] {
        assert!(ids.contains(&id), "{id} not named in {ids:?}");
    }
    let moved = changes
        .iter()
        .find(|c| c["change"] == "moved" && c["old_id"] == "SEC01-BP02")
        .unwrap();
    assert_eq!(moved["matched"], "similarity");

    assert_eq!(
        diff(tmp.path(), &["old.yaml", "new.yaml", "--exit-code"]).code,
        1
    );
    let same = diff(tmp.path(), &["new.yaml", "new.yaml", "--exit-code"]);
    assert_eq!(same.code, 0);
    assert!(same.stdout.contains("no changes"), "{}", same.stdout);
}

#[test]
fn reads_wa_tool_json_and_git_revisions() {
    let tmp = project();
    let dir = tmp.path();
    // WA Tool JSON on one side: export the old version, then diff it against itself as YAML.
    std::fs::write(dir.join("book.toml"), "[book]\ntitle = \"T\"\n").unwrap();
    std::fs::create_dir(dir.join("lenses")).unwrap();
    std::fs::write(dir.join("lenses/demo.yaml"), OLD).unwrap();
    let run = common::wa(&["lens", "export", "demo", "-o", "old.json"], dir);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let run = diff(dir, &["old.json", "new.yaml"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("SEC03-BP02"), "{}", run.stdout);

    // REV:PATH from git.
    let git = |args: &[&str]| {
        let ok = std::process::Command::new("git")
            .args(args)
            .current_dir(dir)
            .env("GIT_AUTHOR_NAME", "t")
            .env("GIT_AUTHOR_EMAIL", "t@example.com")
            .env("GIT_COMMITTER_NAME", "t")
            .env("GIT_COMMITTER_EMAIL", "t@example.com")
            .output()
            .unwrap();
        assert!(
            ok.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&ok.stderr)
        );
    };
    git(&["init", "-q"]);
    git(&["add", "lenses/demo.yaml"]);
    git(&["commit", "-q", "-m", "v1"]);
    std::fs::write(dir.join("lenses/demo.yaml"), NEW).unwrap();
    let run = diff(dir, &["HEAD:lenses/demo.yaml", "lenses/demo.yaml"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.starts_with("demo: 1.0 -> 2.0"), "{}", run.stdout);

    // Errors: a missing file is a usage error; an unreadable revision too.
    assert_eq!(diff(dir, &["nope.yaml", "new.yaml"]).code, 2);
    assert_eq!(
        diff(dir, &["no-such-rev:lenses/demo.yaml", "new.yaml"]).code,
        2
    );
    std::fs::write(dir.join("bad.yaml"), "id: [").unwrap();
    let bad = diff(dir, &["bad.yaml", "new.yaml"]);
    assert_eq!(bad.code, 1, "{}", bad.stderr);
    assert!(bad.stderr.contains("bad.yaml:1:"), "{}", bad.stderr);
}

#[test]
fn bundled_lenses_diff_from_2025_11() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    for lens in ["generative-ai", "responsible-ai", "machine-learning"] {
        let old = format!("versions/2025.11/{lens}.yaml");
        let new = format!("lenses/{lens}.yaml");
        let run = common::wa(&["lens", "diff", &old, &new, "--format", "md"], repo);
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert!(
            run.stdout.starts_with(&format!("# {lens}: 2025.11 -> ")),
            "{}",
            run.stdout
        );
        // Every 2025.11 topic has a home: nothing is listed as removed.
        assert!(
            !run.stdout.contains("\n## Removed\n"),
            "{lens}:\n{}",
            run.stdout
        );
    }
}

/// A lens compared with itself has no changes, even where `previous-ids` name ids the lens also
/// uses for another topic (the move predates both sides).
#[test]
fn a_lens_diffed_with_itself_has_no_changes() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    for entry in std::fs::read_dir(repo.join("lenses")).unwrap() {
        let path = entry.unwrap().path();
        let file = path.to_str().unwrap();
        let run = common::wa(&["lens", "diff", file, file, "--exit-code"], repo);
        assert_eq!(run.code, 0, "{file}: {}{}", run.stdout, run.stderr);
        assert!(run.stdout.contains("no changes"), "{}", run.stdout);
    }
}

/// Fields without a change kind of their own (`general`, `related`, `phase`, resources,
/// `extra`...) are listed too: the compared fields come from the lens model itself.
#[test]
fn every_model_field_shows_in_the_diff() {
    let tmp = project();
    let new = tmp.path().join("new.yaml");
    common::edit(
        &new,
        "title: Review access every quarter\n",
        "title: Review access every quarter\n            general: true\n            related: [SEC01-BP01]\n",
    );
    let run = diff(tmp.path(), &["old.yaml", "new.yaml"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for expected in [
        "\nOther fields:\n",
        "best practice SEC01-BP05 general: no -> yes",
        "best practice SEC01-BP05 related: (none) -> SEC01-BP01",
    ] {
        assert!(
            run.stdout.contains(expected),
            "missing `{expected}` in:\n{}",
            run.stdout
        );
    }
    // Colours only on a terminal (tests pipe the output) and never under NO_COLOR.
    assert!(!run.stdout.contains('\x1b'), "{}", run.stdout);
    let parse = |name: &str| {
        let src = wa_docs::source::SourceFile {
            path: tmp.path().join(name),
            text: common::read(&tmp.path().join(name)),
        };
        wa_docs::lens::parse_lens(src, &mut Default::default())
            .unwrap()
            .lens
    };
    let colored =
        wa_docs::lens::diff::diff(&parse("old.yaml"), &parse("new.yaml")).to_text_colored(true);
    assert!(colored.contains("\x1b[31m"), "{colored}");
    assert!(
        colored.contains("\x1b[32m+\x1b[0m best practice"),
        "{colored}"
    );
}
