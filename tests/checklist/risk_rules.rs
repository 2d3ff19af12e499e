//! Risk rules: one table, two evaluators (the Rust one and checklist.js under Node).

use super::*;

/// (name, rules, selected ids, expected risk).
type EvalCase = (String, Vec<Rule>, Vec<String>, Option<String>);
/// (name, question, statuses, expected question risk).
type QuestionCase = (String, QuestionGroup, HashMap<String, String>, String);

struct Cases {
    evaluate: Vec<EvalCase>,
    questions: Vec<QuestionCase>,
}

fn rules(v: &Value) -> Vec<Rule> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let cond = r[0].as_str().unwrap();
            Rule {
                condition: Cond(Condition::parse(cond).unwrap_or_else(|e| panic!("{cond}: {e}"))),
                risk: serde_json::from_value(r[1].clone()).unwrap(),
            }
        })
        .collect()
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_string())
        .collect()
}

fn cases() -> Cases {
    let table: Value =
        serde_json::from_str(&read(&repo().join("tests/js/risk_cases.json"))).unwrap();
    let evaluate = table["evaluate"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["name"].as_str().unwrap().to_string(),
                rules(&c["rules"]),
                strings(&c["selected"]),
                c["expected"].as_str().map(String::from),
            )
        })
        .collect();
    let questions = table["questions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let q = QuestionGroup {
                id: "Q".into(),
                title: "Q?".into(),
                url: String::new(),
                choices: strings(&c["choices"]),
                rules: rules(&c["rules"]),
                rules_derived: false,
                items: strings(&c["items"])
                    .into_iter()
                    .map(|id| Item {
                        title: id.clone(),
                        id,
                        risk: None,
                        general: false,
                        url: String::new(),
                        status: Status::Open,
                    })
                    .collect(),
            };
            let status = c["status"]
                .as_object()
                .unwrap()
                .iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_string()))
                .collect();
            (
                c["name"].as_str().unwrap().to_string(),
                q,
                status,
                c["expected"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    Cases {
        evaluate,
        questions,
    }
}

fn rust_evaluate(rules: &[Rule], selected: &[String]) -> Option<String> {
    let sel = selected.iter().map(String::as_str).collect();
    evaluate(rules.iter().map(|r| (&r.condition.0, r.risk)), &sel).map(|r| r.as_str().into())
}

fn rust_question(q: &QuestionGroup, status: &HashMap<String, String>) -> String {
    checklist::question_risk(q, &|id| match status.get(id).map(String::as_str) {
        Some("done") => Status::Done,
        Some("not_applicable") => Status::NotApplicable,
        _ => Status::Open,
    })
    .as_str()
    .to_string()
}

#[test]
fn risk_table_in_rust() {
    let c = cases();
    assert!(c.evaluate.len() >= 15 && c.questions.len() >= 10);
    for (name, rules, selected, expected) in &c.evaluate {
        assert_eq!(&rust_evaluate(rules, selected), expected, "{name}");
    }
    for (name, q, status, expected) in &c.questions {
        assert_eq!(&rust_question(q, status), expected, "{name}");
    }
}

#[test]
fn risk_table_in_checklist_js_gives_the_same_answers() {
    let c = cases();
    let request = json!({
        "risk": {
            "evaluate": c.evaluate.iter().map(|(_, rules, selected, _)| json!({"rules": rules, "selected": selected})).collect::<Vec<_>>(),
            "questions": c.questions.iter().map(|(_, q, status, _)| json!({"question": q, "status": status})).collect::<Vec<_>>(),
        }
    });
    let Some(answers) = node(&request.to_string()) else {
        return;
    };
    for (i, (name, rules, selected, _)) in c.evaluate.iter().enumerate() {
        let js = answers["evaluate"][i].as_str().map(String::from);
        assert_eq!(js, rust_evaluate(rules, selected), "evaluate: {name}");
    }
    for (i, (name, q, status, _)) in c.questions.iter().enumerate() {
        assert_eq!(
            answers["questions"][i].as_str().unwrap(),
            rust_question(q, status),
            "question: {name}"
        );
    }
    let gz = answers["gzip_bytes"].as_u64().unwrap();
    // Raised from 8 KiB when the page learnt to import answers and draw risk roll-up bars.
    assert!(gz < 10 * 1024, "checklist.js is {gz} bytes gzipped");
}
