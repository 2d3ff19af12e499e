//! Small lenses of our own: import, its limits and its diagnostics.

use super::*;

const BASE: &str = r#"{
  "schemaVersion": "2021-11-01",
  "name": "Test Lens",
  "description": "A lens for tests: <bucket> and [links] stay text.",
  "pillars": [
    {
      "id": "security",
      "name": "Security",
      "questions": [
        {
          "id": "sec01",
          "title": "How do you protect data?",
          "description": "Data protection.",
          "choices": [
            { "id": "sec01_a", "title": "Encrypt at rest", "improvementPlan": { "displayText": "Turn on encryption." } },
            { "id": "sec01_b", "title": "Encrypt in transit", "improvementPlan": { "displayText": "Use TLS.", "url": "https://example.com/tls" } },
            { "id": "sec01_no", "title": "None of these" }
          ],
          "riskRules": [
            { "condition": "sec01_a && sec01_b", "risk": "NO_RISK" },
            { "condition": "sec01_a || sec01_b", "risk": "MEDIUM_RISK" },
            { "condition": "default", "risk": "HIGH_RISK" }
          ]
        }
      ]
    }
  ]
}"#;

fn base() -> Value {
    serde_json::from_str(BASE).unwrap()
}

#[test]
fn base_lens_imports_cleanly_with_global_ids() {
    let (lens, warnings) = import(BASE);
    assert!(warnings.is_empty(), "{:#?}", messages(&warnings));
    assert_eq!(lens.id, "test-lens");
    assert_eq!(lens.pillars[0].id, "test-lens-security");
    let q = &lens.pillars[0].questions[0];
    assert_eq!(q.id, "test-lens-sec01");
    assert_eq!(q.best_practices[0].id, "test-lens-sec01-sec01_a");
    assert_eq!(q.best_practices[0].extra["wa-tool-id"], json!("sec01_a"));
    assert_eq!(q.best_practices[0].risk, None);
    assert_eq!(
        q.risk_rules[0].condition,
        "test-lens-sec01-sec01_a && test-lens-sec01-sec01_b"
    );
    // Text that would act as markup in the site is escaped, and restored on export.
    assert_eq!(
        lens.description,
        "A lens for tests: \\<bucket> and \\[links] stay text."
    );
    let lf = as_lens_file(&lens, "lenses/test-lens.yaml");
    let out: Value = serde_json::from_str(&export_json(&lf).unwrap()).unwrap();
    assert_eq!(out, base());
    assert!(lens_json_for_site(&lf).is_some());
}

#[test]
fn over_limit_counts_are_reported_with_their_paths() {
    let mut v = base();
    let pillar = v["pillars"][0].clone();
    let question = pillar["questions"][0].clone();
    let choice = question["choices"][0].clone();
    let mut q = question.clone();
    let choices = q["choices"].as_array_mut().unwrap();
    for i in 0..14 {
        let mut c = choice.clone();
        c["id"] = json!(format!("sec01_x{i}"));
        choices.push(c);
    }
    q["riskRules"]
        .as_array_mut()
        .unwrap()
        .insert(0, json!({ "condition": "sec01_x1", "risk": "NO_RISK" }));
    let mut p = pillar.clone();
    p["questions"] = json!(
        (0..21)
            .map(|i| {
                let mut q = if i == 0 { q.clone() } else { question.clone() };
                q["id"] = json!(format!("sec{i:02}"));
                q
            })
            .collect::<Vec<_>>()
    );
    v["pillars"] = json!(
        (0..11)
            .map(|i| {
                let mut p = if i == 0 { p.clone() } else { pillar.clone() };
                p["id"] = json!(format!("pillar{i}"));
                if i > 0 {
                    p["questions"][0]["id"] = json!(format!("other{i}"));
                }
                p
            })
            .collect::<Vec<_>>()
    );
    let text = pretty(&v);
    let (_, w) = import(&text);
    let d = find(&w, "pillars: 11 pillars, over the WA Tool limit of 10");
    assert_eq!(line(d), line_of(&text, "\"pillars\""));
    find(
        &w,
        "pillars[0].questions: 21 questions, over the WA Tool limit of 20",
    );
    find(
        &w,
        "pillars[0].questions[0].choices: 17 choices, over the WA Tool limit of 15",
    );
    find(
        &w,
        "pillars[0].questions[0].riskRules: 4 risk rules, over the WA Tool limit of 3",
    );
    assert_eq!(d.position(), format!("t.json:{}:14", line(d)));
}

#[test]
fn over_limit_lengths_are_reported_with_their_paths() {
    let mut v = base();
    v["name"] = json!("N".repeat(129));
    v["description"] = json!("d".repeat(2049));
    let q = &mut v["pillars"][0]["questions"][0];
    q["title"] = json!("T".repeat(129));
    q["description"] = json!("q".repeat(2049));
    q["choices"][1]["title"] = json!("C".repeat(129));
    q["choices"][1]["description"] = json!("c".repeat(1025));
    q["choices"][1]["improvementPlan"]["displayText"] = json!("i".repeat(2049));
    let text = pretty(&v);
    let (_, w) = import(&text);
    let d = find(&w, "name: 129 characters, over the WA Tool limit of 128");
    assert_eq!(line(d), line_of(&text, "\"name\": \"NNN"));
    find(
        &w,
        "description: 2049 characters, over the WA Tool limit of 2048",
    );
    find(
        &w,
        "pillars[0].questions[0].title: 129 characters, over the WA Tool limit of 128",
    );
    find(
        &w,
        "pillars[0].questions[0].description: 2049 characters, over the WA Tool limit of 2048",
    );
    let d = find(
        &w,
        "pillars[0].questions[0].choices[1].title: 129 characters, over the WA Tool limit of 128",
    );
    assert_eq!(line(d), line_of(&text, "CCCC"));
    find(
        &w,
        "pillars[0].questions[0].choices[1].description: 1025 characters, over the WA Tool limit of 1024",
    );
    find(
        &w,
        "pillars[0].questions[0].choices[1].improvementPlan.displayText: 2049 characters, over the WA Tool limit of 2048",
    );
    assert_eq!(w.len(), 7, "{:#?}", messages(&w));
}

#[test]
fn bad_and_duplicate_ids_are_reported_with_their_paths() {
    let text = BASE
        .replace("\"id\": \"security\"", "\"id\": \"ab\"")
        .replace("\"id\": \"sec01_b\"", "\"id\": \"sec01-b\"")
        .replace("\"id\": \"sec01_no\"", "\"id\": \"sec01_a\"")
        .replace("sec01_a || sec01_b", "sec01_a || sec01-b")
        .replace("sec01_a && sec01_b", "sec01_a && sec01-b");
    let (lens, w) = import(&text);
    let d = find(
        &w,
        "pillars[0].id: `ab` is not a WA Tool id: use 3 to 128 letters, digits or `_`",
    );
    assert_eq!(line(d), line_of(&text, "\"ab\""));
    find(
        &w,
        "pillars[0].questions[0].choices[1].id: `sec01-b` is not a WA Tool id: use 3 to 128 letters, digits or `_`",
    );
    let d = find(
        &w,
        "pillars[0].questions[0].choices[2].id: `sec01_a` is already the id at pillars[0].questions[0].choices[0].id; ids must be unique within a question",
    );
    assert_eq!(
        line(d),
        line_of(&text, "\"id\": \"sec01_a\", \"title\": \"None")
    );
    // The wa-docs ids are still unique, and the WA Tool ids come back as they were.
    let q = &lens.pillars[0].questions[0];
    assert_eq!(q.best_practices[2].id, "test-lens-sec01-sec01_a-2");
    let lf = as_lens_file(&lens, "lenses/t.yaml");
    let e = export_json(&lf).unwrap_err();
    assert!(
        e.iter()
            .any(|d| d.is_error() && d.message.contains("`ab` is not a WA Tool id"))
    );
}

#[test]
fn missing_default_rule_is_reported_and_the_rules_kept() {
    let text = BASE.replace(
        "{ \"condition\": \"default\", \"risk\": \"HIGH_RISK\" }",
        "{ \"condition\": \"!sec01_a\", \"risk\": \"HIGH_RISK\" }",
    );
    let (lens, w) = import(&text);
    let d = find(
        &w,
        "pillars[0].questions[0].riskRules: no `default` rule; the WA Tool needs one, as the last rule; kept as written under `extra`, so the site does not show these rules",
    );
    assert_eq!(line(d), line_of(&text, "\"riskRules\""));
    let q = &lens.pillars[0].questions[0];
    assert!(q.risk_rules.is_empty());
    assert_eq!(
        q.extra["riskRules"],
        base()["pillars"][0]["questions"][0]["riskRules"]
            .as_array()
            .map(|r| {
                let mut r = r.clone();
                r[2]["condition"] = json!("!sec01_a");
                Value::Array(r)
            })
            .unwrap()
    );
    // Kept as written, so the export gives it back and only warns.
    let lf = as_lens_file(&lens, "lenses/t.yaml");
    let (json, warnings) = export_json_with_warnings(&lf).unwrap();
    assert_eq!(
        serde_json::from_str::<Value>(&json).unwrap(),
        serde_json::from_str::<Value>(&text).unwrap()
    );
    assert!(warnings.iter().any(|w| w.message
        == "question test-lens-sec01, risk-rules: no `default` rule; the WA Tool needs one, as the last rule (kept as written in the imported file)"));
}

#[test]
fn unknown_choice_in_a_condition_is_reported_with_its_path() {
    let text = BASE.replace("sec01_a || sec01_b", "sec01_a || sec01_zz");
    let (lens, w) = import(&text);
    let d = find(
        &w,
        "pillars[0].questions[0].riskRules[1].condition: names `sec01_zz`, which is not a choice of this question",
    );
    assert_eq!(line(d), line_of(&text, "sec01_zz"));
    find(
        &w,
        "pillars[0].questions[0].riskRules: kept as written under `extra` (a condition names `sec01_zz`, which is not a choice of this question), so the site does not show these rules",
    );
    assert!(lens.pillars[0].questions[0].risk_rules.is_empty());
}

#[test]
fn none_of_these_conventions() {
    // Only the `_no` choice may leave out the improvement plan, and there is one at most.
    let text = BASE
        .replace(
            ", \"improvementPlan\": { \"displayText\": \"Turn on encryption.\" }",
            "",
        )
        .replace("\"id\": \"sec01_b\"", "\"id\": \"sec01_b_no\"")
        .replace("sec01_a || sec01_b", "sec01_a || sec01_b_no")
        .replace("sec01_a && sec01_b", "sec01_a && sec01_b_no");
    let (_, w) = import(&text);
    let d = find(
        &w,
        "pillars[0].questions[0].choices[0].improvementPlan: missing; every choice needs an improvement plan except the \"None of these\" choice (id ending in `_no`)",
    );
    assert_eq!(line(d), line_of(&text, "\"Encrypt at rest\""));
    find(
        &w,
        "pillars[0].questions[0].choices: 2 \"None of these\" choices (sec01_b_no, sec01_no); a question can have one",
    );
}

#[test]
fn unexpected_types_and_unknown_keys_are_kept_exactly() {
    let mut v = base();
    v["_version"] = json!(1.5);
    v["wa-tool-id"] = json!("a key that looks like wa-docs bookkeeping");
    let q = &mut v["pillars"][0]["questions"][0];
    q["title"] = json!(42);
    q["choices"][0]["helpfulResource"] = json!({ "displayText": "Docs", "Url": "https://x" });
    q["choices"][1]["description"] = json!("");
    let text = pretty(&v);
    let (lens, w) = import(&text);
    let d = find(
        &w,
        "pillars[0].questions[0].title: a number where the WA Tool expects a string; kept as it is",
    );
    assert_eq!(line(d), line_of(&text, "\"title\": 42"));
    let d = find(
        &w,
        "_version: not part of the WA Tool format; kept under `extra`",
    );
    assert_eq!(line(d), line_of(&text, "\"_version\""));
    find(
        &w,
        "pillars[0].questions[0].choices[0].helpfulResource.Url: not part of the WA Tool format; kept under `extra`",
    );
    assert_eq!(lens.pillars[0].questions[0].title, "42");
    let lf = as_lens_file(&lens, "lenses/t.yaml");
    let out: Value = serde_json::from_str(&export_json(&lf).unwrap()).unwrap();
    assert_eq!(out, v);
}

#[test]
fn unusable_files_fail_with_positions() {
    let e = import_json(
        "{\n  \"name\": \"x\",\n  \"pillars\": [\n}",
        Path::new("bad.json"),
    )
    .unwrap_err();
    assert_eq!(e.len(), 1);
    assert!(
        e[0].message.starts_with("not valid JSON: "),
        "{}",
        e[0].message
    );
    assert_eq!(e[0].position(), "bad.json:4:1");

    let text = BASE.replace("\"choices\": [", "\"choices\": [], \"x\": [");
    let e = import_json(&text, Path::new("t.json")).unwrap_err();
    let d = find(
        &e,
        "pillars[0].questions[0].choices: no choices; wa-docs needs at least one best practice per question",
    );
    assert!(d.is_error());
    assert_eq!(line(d), line_of(&text, "\"choices\""));

    let e = import_json("[1, 2]", Path::new("t.json")).unwrap_err();
    assert_eq!(
        e[0].message,
        "lens: the file holds a JSON array, not a custom-lens object"
    );
    // Hostile input never panics.
    for t in [
        "",
        "{}",
        "{\"pillars\": {}}",
        "{\"pillars\": [1]}",
        "[[[[[[[[[[]]]]]]]]]]",
    ] {
        let _ = import_json(t, Path::new("t.json"));
    }
}

#[test]
fn lens_id_option_prefixes_every_id() {
    let (lens, _) = import_json_with(
        BASE,
        Path::new("t.json"),
        &ImportOptions {
            lens_id: Some("team-x".into()),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(lens.id, "team-x");
    assert_eq!(
        lens.pillars[0].questions[0].best_practices[1].id,
        "team-x-sec01-sec01_b"
    );
    assert_eq!(aws::lens_slug("Amazon ECS Lens"), "amazon-ecs-lens");
}
