//! AWS Well-Architected Tool custom-lens JSON: import, export, limits, and sites built from
//! imported lenses. Our own lens files (`tests/fixtures/wa-tool-lenses`) always run; the real-world
//! corpus runs too when `WA_DOCS_LENS_CORPUS` names its folder.

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

// ---- The real lenses -------------------------------------------------------------------------

#[test]
fn every_fixture_imports_and_round_trips_exactly() {
    let mut table = String::from(
        "| file | lens id | pillars | questions | choices | risk rules | warnings | round trip |\n",
    );
    for path in fixtures() {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let text = read(&path);
        let (lens, warnings) = import_json(&text, &path)
            .unwrap_or_else(|e| panic!("{name} does not import: {:#?}", messages(&e)));
        assert!(warnings.iter().all(|w| !w.is_error()));
        // Every warning names its JSON path and points into the file.
        for w in &warnings {
            let loc = w.location.as_ref().expect("warnings are located");
            assert_eq!(loc.file, path);
        }
        let lf = as_lens_file(&lens, &format!("lenses/{}.yaml", lens.id));
        assert_eq!(
            lf.lens, lens,
            "{name}: the YAML round trip changed the lens"
        );
        // The readable writer (block scalars) was used, not serde_yaml's fallback.
        assert_ne!(
            lens_to_yaml(&lens, ""),
            serde_yaml::to_string(&lens).unwrap(),
            "{name}"
        );
        let (json, _) = export_json_with_warnings(&lf)
            .unwrap_or_else(|e| panic!("{name} does not export: {:#?}", messages(&e)));
        let original = json_value(&text);
        let exported: Value = serde_json::from_str(&json).unwrap();
        if let Some(d) = first_difference(&original, &exported, "") {
            panic!("{name}: export differs from the original at {d}");
        }
        assert_eq!(original, exported);
        let rules: usize = original["pillars"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|p| p["questions"].as_array().unwrap())
            .map(|q| q["riskRules"].as_array().map_or(0, Vec::len))
            .sum();
        table.push_str(&format!(
            "| {name} | {} | {} | {} | {} | {rules} | {} | exact |\n",
            lens.id,
            lens.pillars.len(),
            lens.questions().count(),
            lens.best_practice_count(),
            warnings.len()
        ));
    }
    println!("{table}");
}

#[test]
fn imported_lenses_build_into_one_site_showing_every_question_and_choice() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("project");
    std::fs::create_dir_all(root.join("lenses")).unwrap();
    std::fs::write(root.join("book.toml"), "[book]\ntitle = \"Imported\"\n").unwrap();
    let mut lenses = Vec::new();
    for path in fixtures() {
        let (lens, _) = import_json(&read(&path), &path).unwrap();
        std::fs::write(
            root.join(format!("lenses/{}.yaml", lens.id)),
            lens_to_yaml(&lens, ""),
        )
        .unwrap();
        lenses.push(lens);
    }
    let dest = tmp.path().join("site");
    let opts = BuildOptions {
        dest: Some(dest.clone()),
        progress: false,
    };
    if let Err(d) = build(&root, &opts) {
        panic!("imported lenses do not build: {:#?}", messages(&d.items));
    }
    for lens in &lenses {
        for (_, q) in lens.questions() {
            let page = dest.join(format!(
                "lenses/{}/{}.html",
                lens.id,
                wa_docs::graph::slug(&q.id)
            ));
            let html = std::fs::read_to_string(&page)
                .unwrap_or_else(|e| panic!("{}: {e}", page.display()));
            assert!(
                shows(&html, &q.title),
                "{}: question title `{}` missing",
                page.display(),
                q.title
            );
            for b in &q.best_practices {
                assert!(
                    shows(&html, &b.title),
                    "{}: choice title `{}` missing",
                    page.display(),
                    b.title
                );
            }
        }
    }
}

/// Every condition keeps its text through import and export, and selects the same risk for
/// every combination of choices (all of them up to 10 choices, a fixed sample above).
#[test]
fn risk_conditions_round_trip_unchanged_and_evaluate_the_same() {
    let mut compared = 0;
    for path in fixtures() {
        let text = read(&path);
        let original = json_value(&text);
        let (lens, _) = import_json(&text, &path).unwrap();
        let lf = as_lens_file(&lens, "lenses/x.yaml");
        let exported: Value = serde_json::from_str(&export_json(&lf).unwrap()).unwrap();
        for (p, pillar) in lens.pillars.iter().enumerate() {
            for (qi, q) in pillar.questions.iter().enumerate() {
                let oq = &original["pillars"][p]["questions"][qi];
                let eq = &exported["pillars"][p]["questions"][qi];
                assert_eq!(oq["riskRules"], eq["riskRules"]);
                if q.risk_rules.is_empty() {
                    continue; // kept as written under `extra`
                }
                let wa_ids: Vec<&str> = oq["choices"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|c| c["id"].as_str().unwrap())
                    .collect();
                let to_docs: HashMap<&str, &str> = wa_ids
                    .iter()
                    .copied()
                    .zip(q.best_practices.iter().map(|b| b.id.as_str()))
                    .collect();
                let orig_rules: Vec<(Condition, &str)> = oq["riskRules"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|r| {
                        (
                            Condition::parse(r["condition"].as_str().unwrap()).unwrap(),
                            r["risk"].as_str().unwrap(),
                        )
                    })
                    .collect();
                let new_rules: Vec<(Condition, &str)> = q
                    .risk_rules
                    .iter()
                    .map(|r| {
                        let risk = match r.risk.as_str() {
                            "none" => "NO_RISK",
                            "medium" => "MEDIUM_RISK",
                            _ => "HIGH_RISK",
                        };
                        (Condition::parse(&r.condition).unwrap(), risk)
                    })
                    .collect();
                // What the site evaluates: the conditions wa-docs parsed when loading the YAML.
                let loaded: Vec<&Condition> = lf.conditions[&q.id].iter().collect();
                assert_eq!(loaded, new_rules.iter().map(|(c, _)| c).collect::<Vec<_>>());
                let n = wa_ids.len();
                let masks: Vec<u64> = if n <= 10 {
                    (0..1u64 << n).collect()
                } else {
                    (0..1024u64)
                        .map(|i| i.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - n))
                        .collect()
                };
                for mask in masks {
                    let chosen: Vec<&str> = (0..n)
                        .filter(|i| mask >> i & 1 == 1)
                        .map(|i| wa_ids[i])
                        .collect();
                    let wa_sel: HashSet<&str> = chosen.iter().copied().collect();
                    let docs_sel: HashSet<&str> = chosen.iter().map(|c| to_docs[c]).collect();
                    let a = evaluate(orig_rules.iter().map(|(c, r)| (c, *r)), &wa_sel);
                    let b = evaluate(new_rules.iter().map(|(c, r)| (c, *r)), &docs_sel);
                    assert_eq!(a, b, "{} {}: {chosen:?}", path.display(), q.id);
                    compared += 1;
                }
            }
        }
    }
    // Our fixtures alone give a little over 2,000 selections; the corpus adds tens of thousands.
    let least = if std::env::var_os("WA_DOCS_LENS_CORPUS").is_some() {
        10_000
    } else {
        2_000
    };
    assert!(compared > least, "only {compared} selections compared");
}

// ---- Small lenses of our own: import ---------------------------------------------------------

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

fn import(text: &str) -> (Lens, Vec<Diagnostic>) {
    import_json(text, Path::new("t.json"))
        .unwrap_or_else(|e| panic!("does not import: {:#?}", messages(&e)))
}

fn base() -> Value {
    serde_json::from_str(BASE).unwrap()
}

fn pretty(v: &Value) -> String {
    serde_json::to_string_pretty(v).unwrap()
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

// ---- Export of lenses written in wa-docs -----------------------------------------------------

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

// ---- The command line ------------------------------------------------------------------------

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
