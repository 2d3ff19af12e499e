//! The real lenses: our own WA Tool fixtures and, when configured, the real-world corpus.

use super::*;

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
