//! Export of lenses written in wa-docs, and the round trip back through import.

use super::*;

const AUTHORED: &str = "id: demo
name: Demo Lens
description: |
  A **markdown** lens. See [[P01-BP01]] and [the docs](https://example.com/docs).
pillars:
  - id: PIL
    name: Pillar
    description: Pillar text the WA Tool has no place for.
    questions:
      - id: P01
        title: How do you do it?
        description: |
          Why it matters:

          - one
          - two
        best-practices:
          - id: P01-BP01
            title: Do the first thing
            risk: high
            description: What good looks like.
            implementation: |
              1. Step one.
              2. Step two with `code`.
            improvement-plan:
              text: Start with *one*.
              url: https://example.com/plan
          - id: P01-no
            title: None of these
        risk-rules:
          - condition: P01-BP01
            risk: none
          - condition: default
            risk: high
";

#[test]
fn authored_lens_exports_with_ids_mapped_and_markdown_as_plain_text() {
    let lf = yaml_lens(AUTHORED);
    let (json, warnings) = export_json_with_warnings(&lf).unwrap();
    let v: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["schemaVersion"], "2021-11-01");
    assert_eq!(
        v["description"],
        "A markdown lens. See Do the first thing and the docs (https://example.com/docs)."
    );
    let q = &v["pillars"][0]["questions"][0];
    assert_eq!(q["id"], "P01");
    assert_eq!(q["description"], "Why it matters:\n\n- one\n- two");
    assert_eq!(q["choices"][0]["id"], "P01_BP01");
    assert_eq!(
        q["choices"][0]["helpfulResource"]["displayText"],
        "1. Step one.\n2. Step two with code."
    );
    assert_eq!(
        q["choices"][0]["improvementPlan"],
        json!({ "displayText": "Start with one.", "url": "https://example.com/plan" })
    );
    assert_eq!(q["choices"][1]["id"], "P01_no");
    assert!(q["choices"][1].get("improvementPlan").is_none());
    assert_eq!(
        q["riskRules"],
        json!([
            { "condition": "P01_BP01", "risk": "NO_RISK" },
            { "condition": "default", "risk": "HIGH_RISK" }
        ])
    );
    // What the WA Tool has no place for travels in `_wa_docs`, so nothing is reported lost.
    assert!(warnings.is_empty(), "{:#?}", messages(&warnings));
    assert_eq!(v["_wa_docs"]["id"], "demo");
    assert_eq!(v["_wa_docs"]["objects"]["P01-BP01"]["risk"], "high");
    assert_eq!(
        v["_wa_docs"]["objects"]["PIL"]["description"],
        "Pillar text the WA Tool has no place for."
    );
    // And the JSON imports again as the same lens.
    let (again, warnings) = import(&json);
    assert!(warnings.is_empty(), "{:#?}", messages(&warnings));
    assert_eq!(again, lf.lens);
}

/// Issue #30: `lens export` then `lens import` gives the lens back (ids, version, markdown,
/// risk levels, dimensions, previous ids...), for every lens the project bundles (a lens added
/// to `lenses/` is covered without a change here), within the WA Tool's 500 KB.
#[test]
fn every_bundled_lens_round_trips_through_wa_tool_json() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tmp = tempfile::tempdir().unwrap();
    let mut diags = Diagnostics::default();
    let lenses = wa_docs::lens::load_lenses(root, Path::new("lenses"), &mut diags);
    assert!(lenses.len() >= 3, "{:#?}", diags.items);
    for lf in &lenses {
        let id = &lf.lens.id;
        let out = tmp.path().join(format!("{id}.json"));
        let out = out.to_str().unwrap();
        let root_arg = root.to_str().unwrap();
        let (code, _, err) = wa_docs(&["lens", "export", id, "--root", root_arg, "-o", out], root);
        assert_eq!(code, 0, "{id}: {err}");
        let json = read(Path::new(out));
        assert!(json.len() <= 500_000, "{id}: {} bytes", json.len());
        let v = json_value(&json);
        assert_eq!(v["_wa_docs"]["id"], id.as_str());
        // Ids follow the one rule: `-` becomes `_`.
        assert_eq!(
            v["pillars"][0]["questions"][0]["id"],
            lf.lens.pillars[0].questions[0].id.replace('-', "_")
        );
        let yaml = lf.source.path.to_str().unwrap();
        let (code, diff, err) = wa_docs(&["lens", "diff", yaml, out, "--exit-code"], root);
        assert_eq!(code, 0, "{id}: {diff}{err}");
        assert!(diff.contains("no changes"), "{id}: {diff}");
        // A lens too big to carry its texts whole carries them by hash, restored from the
        // project's own copy.
        let project = ImportOptions {
            project: std::sync::Arc::new(lenses.iter().map(|l| l.lens.clone()).collect()),
            ..Default::default()
        };
        let (back, warnings) = import_json_with(&json, Path::new(out), &project).unwrap();
        assert!(warnings.is_empty(), "{id}: {:#?}", messages(&warnings));
        assert_eq!(back, lf.lens, "{id}: the round trip changed the lens");
        let (code, _, err) = wa_docs(
            &["lens", "import", out, "-o", "-", "--root", root_arg],
            tmp.path(),
        );
        assert_eq!(code, 0, "{id}: {err}");
        assert!(!err.contains("could not be restored"), "{id}: {err}");
        // And imported as a project file it exports to the same JSON again.
        let again = export_json(&as_lens_file(&back, &format!("lenses/{id}.yaml"))).unwrap();
        assert_eq!(json_value(&again), v, "{id}");
    }
}

/// A lens too big for its texts to travel whole (agentic-ai) carries them by hash. Imported
/// where the project's copy is missing, the lens still comes in, with the WA Tool's plain text,
/// and a warning names the lens, its version and how many fields fell back; a copy whose text
/// changed since the export restores every field but the changed ones.
#[test]
fn texts_carried_by_reference_fall_back_to_plain_text_without_the_project_copy() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let root_arg = root.to_str().unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let (code, _, err) = wa_docs(
        &[
            "lens",
            "export",
            "agentic-ai",
            "--root",
            root_arg,
            "-o",
            "a.json",
        ],
        dir,
    );
    assert_eq!(code, 0, "{err}");
    let json = read(&dir.join("a.json"));
    assert!(json.len() <= 500_000, "{} bytes", json.len());
    let v = json_value(&json);
    assert_eq!(
        v["_wa_docs"]["format"], 2,
        "agentic-ai carries its texts by reference"
    );
    let version = v["_wa_docs"]["objects"]["agentic-ai"]["version"]
        .as_str()
        .unwrap()
        .to_string();

    // No project here: the lens imports with the WA Tool's plain text, and says what it lost.
    let (code, yaml, err) = wa_docs(&["lens", "import", "a.json", "-o", "-"], dir);
    assert_eq!(code, 0, "{err}");
    let (back, warnings) = import_json(&json, Path::new("a.json")).unwrap();
    assert_eq!(warnings.len(), 1, "{:#?}", messages(&warnings));
    let msg = &warnings[0].message;
    assert!(
        msg.starts_with(&format!("_wa_docs: lens agentic-ai version {version}: ")),
        "{msg}"
    );
    let n: usize = msg
        .split(": ")
        .nth(2)
        .and_then(|t| t.split(' ').next())
        .and_then(|t| t.parse().ok())
        .unwrap_or_else(|| panic!("no count in {msg}"));
    assert!(n > 100, "{msg}");
    assert!(
        msg.contains(&format!(
            "{n} text fields carried by reference could not be restored"
        )) && msg.contains("the project has no lens `agentic-ai`")
            && msg.contains("the WA Tool's plain text"),
        "{msg}"
    );
    let flat = err.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.contains(&format!(
            "lens agentic-ai version {version}: {n} text fields"
        )),
        "{err}"
    );
    assert!(yaml.contains("id: agentic-ai"), "{yaml}");
    // Ids, version and the fields the WA Tool never shows are still restored.
    let mut diags = Diagnostics::default();
    let lenses = wa_docs::lens::load_lenses(root, Path::new("lenses"), &mut diags);
    let original = &lenses
        .iter()
        .find(|l| l.lens.id == "agentic-ai")
        .unwrap()
        .lens;
    assert_eq!(back.version, original.version);
    let ob = &original.pillars[0].questions[0].best_practices[0];
    let bb = &back.pillars[0].questions[0].best_practices[0];
    assert_eq!((bb.id.as_str(), bb.risk), (ob.id.as_str(), ob.risk));
    assert_eq!(bb.dimensions, ob.dimensions);
    // A text field comes in as the plain text the JSON shows.
    let q0 = &v["pillars"][0]["questions"][0];
    assert_eq!(
        back.pillars[0].questions[0].description,
        aws::plain_to_markdown(q0["description"].as_str().unwrap())
    );
    assert_ne!(back, *original);

    // A project copy edited since the export: only the edited field falls back.
    let mut edited = original.clone();
    edited.pillars[0].questions[0]
        .description
        .push_str("\n\nEdited since the export.");
    let opts = ImportOptions {
        project: std::sync::Arc::new(vec![edited]),
        ..Default::default()
    };
    let (back, warnings) = import_json_with(&json, Path::new("a.json"), &opts).unwrap();
    assert_eq!(warnings.len(), 1, "{:#?}", messages(&warnings));
    assert!(
        warnings[0]
            .message
            .contains(": 1 text field carried by reference could not be restored")
            && warnings[0].message.contains("hold other text for them"),
        "{}",
        warnings[0].message
    );
    assert_eq!(back.pillars[1..], original.pillars[1..]);
}

/// What a team changes in the WA Tool comes back; what the WA Tool never showed is restored.
#[test]
fn edits_made_in_the_wa_tool_win_over_what_was_carried() {
    let lf = yaml_lens(AUTHORED);
    let mut v: Value = serde_json::from_str(&export_json(&lf).unwrap()).unwrap();
    let q = &mut v["pillars"][0]["questions"][0];
    q["choices"][0]["title"] = json!("Do the first thing well");
    q["description"] = json!("Edited in the WA Tool <b>.");
    let mut added = q["choices"][0].clone();
    added["id"] = json!("P01_BP03");
    added["title"] = json!("A practice added in the WA Tool");
    q["choices"].as_array_mut().unwrap().push(added);
    let (lens, warnings) = import(&pretty(&v));
    assert!(warnings.is_empty(), "{:#?}", messages(&warnings));
    let q = &lens.pillars[0].questions[0];
    assert_eq!(lens.id, "demo");
    assert_eq!(q.description, "Edited in the WA Tool \\<b>.");
    let bp = &q.best_practices[0];
    assert_eq!(bp.title, "Do the first thing well");
    assert_eq!(bp.risk, Some(wa_docs::lens::RiskLevel::High));
    assert_eq!(
        bp.implementation,
        "1. Step one.\n2. Step two with `code`.\n"
    );
    assert_eq!(bp.description, "What good looks like.");
    // A new choice's id follows the rule back (`_` becomes `-`).
    assert_eq!(q.best_practices[2].id, "P01-BP03");
    assert_eq!(lens.pillars[0].description, lf.lens.pillars[0].description);
}

/// An id the rule cannot give back (it holds `_` or `.`) is listed under `_wa_docs.ids`.
#[test]
fn ids_outside_the_rule_are_carried_and_restored() {
    let yaml = AUTHORED
        .replace("P01-BP01", "P01_BP.1")
        .replace("version: ", "");
    let lf = yaml_lens(&yaml.replace("name: Demo Lens", "name: Demo Lens\nversion: \"2.0\""));
    let json = export_json(&lf).unwrap();
    let v = json_value(&json);
    assert_eq!(v["_wa_docs"]["ids"]["PIL/P01/P01_BP_1"], "P01_BP.1");
    let (back, _) = import(&json);
    assert_eq!(back, lf.lens);
    assert_eq!(back.version.as_deref(), Some("2.0"));
    assert_eq!(
        back.pillars[0].questions[0].risk_rules[0].condition,
        "P01_BP.1"
    );
}

/// Each real-world lens, taken over as a wa-docs lens (its WA Tool source mark removed), exports
/// with what import needs and comes back unchanged.
#[test]
fn corpus_lenses_taken_over_in_wa_docs_round_trip() {
    let (mut checked, mut refused) = (0, Vec::new());
    for path in fixtures() {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let (mut lens, _) = import_json(&read(&path), &path).unwrap();
        lens.extra.remove("wa-tool-source");
        lens.version = Some("1.0".into());
        let lf = as_lens_file(&lens, &format!("lenses/{}.yaml", lens.id));
        let Ok((json, _)) = export_json_with_warnings(&lf) else {
            // Texts the WA Tool accepted as written can break its limits as markdown.
            refused.push(name);
            continue;
        };
        let (back, _) = import_json(&json, &path).unwrap();
        assert_eq!(back, lf.lens, "{name}");
        checked += 1;
    }
    println!("{checked} round trips; refused by export: {refused:?}");
    assert!(checked >= 3);
}

#[test]
fn export_refuses_violations_each_at_its_yaml_line() {
    let long_title = "T".repeat(129);
    let mut many = String::new();
    for i in 3..=16 {
        many.push_str(&format!(
            "          - id: P01-BP{i:02}\n            title: Extra {i}\n            improvement-plan: {{ text: Fix it }}\n"
        ));
    }
    let text = AUTHORED
        .replace("  - id: PIL\n", "  - id: PI\n")
        .replace("title: Do the first thing", &format!("title: {long_title}"))
        .replace(
            "          - id: P01-no\n            title: None of these\n",
            &format!("          - id: P01-BP02\n            title: No plan here\n{many}"),
        )
        .replace("condition: P01-BP01\n", "condition: P01-BP01 || P01-BP99\n")
        .replace("condition: default\n", "condition: P01-BP02\n");
    let lf = yaml_lens(&text);
    let e = export_json(&lf).unwrap_err();
    let errors: Vec<&Diagnostic> = e.iter().filter(|d| d.is_error()).collect();
    let at = |msg: &str| {
        let d = find(&e, msg);
        assert!(d.is_error(), "{msg}");
        d.position()
    };
    assert_eq!(
        at("pillar PI, id: `PI` is not a WA Tool id: use 3 to 128 letters, digits or `_`"),
        format!("lenses/t.yaml:{}:9", line_of(&text, "- id: PI\n"))
    );
    assert_eq!(
        at("best practice P01-BP01, title: 129 characters, over the WA Tool limit of 128"),
        format!("lenses/t.yaml:{}:20", line_of(&text, &long_title))
    );
    assert_eq!(
        at("question P01, best-practices: 16 choices, over the WA Tool limit of 15"),
        format!("lenses/t.yaml:{}:9", line_of(&text, "best-practices:"))
    );
    assert_eq!(
        at(
            "best practice P01-BP02, improvement-plan: missing; every choice needs an improvement plan except the \"None of these\" choice (id ending in `_no`)"
        ),
        format!("lenses/t.yaml:{}:17", line_of(&text, "- id: P01-BP02"))
    );
    assert_eq!(
        at(
            "question P01, risk-rules[0].condition: names `P01-BP99`, which is not a choice of this question"
        ),
        format!("lenses/t.yaml:{}:36", line_of(&text, "P01-BP99"))
    );
    assert_eq!(
        at("question P01, risk-rules: no `default` rule; the WA Tool needs one, as the last rule"),
        format!("lenses/t.yaml:{}:9", line_of(&text, "risk-rules:"))
    );
    assert_eq!(errors.len(), 6, "{:#?}", messages(&e));
    assert!(lens_json_for_site(&lf).is_none());
}

#[test]
fn truncate_shortens_over_long_texts_at_a_word_and_reports_each_cut() {
    let long_title = format!("{} end", "word ".repeat(30));
    let text = AUTHORED.replace("title: Do the first thing", &format!("title: {long_title}"));
    let lf = yaml_lens(&text);
    assert!(export_json(&lf).is_err());
    let (json, warnings) = export_json_with(&lf, &ExportOptions { truncate: true }).unwrap();
    let v: Value = serde_json::from_str(&json).unwrap();
    let title = v["pillars"][0]["questions"][0]["choices"][0]["title"]
        .as_str()
        .unwrap();
    assert!(title.chars().count() <= 128);
    assert!(title.ends_with("word…"), "{title}");
    let d = find(
        &warnings,
        &format!(
            "best practice P01-BP01, title: cut from {} to {} characters to fit the WA Tool limit of 128 (--truncate)",
            long_title.len(),
            title.chars().count()
        ),
    );
    assert_eq!(line(d), line_of(&text, "title: word"));
}

#[test]
fn export_refuses_lenses_over_500_kb() {
    let text = "x".repeat(2000);
    let mut yaml =
        String::from("id: big\nname: Big\npillars:\n  - id: PIL\n    name: P\n    questions:\n");
    for q in 0..20 {
        yaml.push_str(&format!(
            "      - id: Q{q:02}\n        title: Q{q}\n        best-practices:\n"
        ));
        for c in 0..15 {
            yaml.push_str(&format!(
                "          - id: Q{q:02}-C{c:02}\n            title: C\n            helpful-resource: {{ text: {text} }}\n            improvement-plan: {{ text: {text} }}\n"
            ));
        }
        yaml.push_str("        risk-rules:\n          - { condition: default, risk: high }\n");
    }
    let lf = yaml_lens(&yaml);
    let e = export_json(&lf).unwrap_err();
    assert_eq!(e.len(), 1, "{:#?}", messages(&e));
    assert!(
        e[0].message.starts_with("lens big: the lens JSON is ")
            && e[0]
                .message
                .ends_with(" bytes, over the WA Tool limit of 500000 bytes (500 KB)"),
        "{}",
        e[0].message
    );
    assert_eq!(e[0].position(), "lenses/t.yaml:1:5");
}
