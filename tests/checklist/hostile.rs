//! Hostile text through every exporter, Rust's and checklist.js's, and checklist.js building
//! its page without HTML injection.

use super::formats::{
    check_confluence, check_csv, check_embed, check_json, check_mediawiki, markdown_tasks,
};
use super::*;

/// A checklist whose text tries every escape: markup, quotes, commas, line breaks, formulas.
fn hostile() -> Checklist {
    let item = |id: &str, title: &str, risk: Option<RiskLevel>| Item {
        id: id.into(),
        title: title.into(),
        risk,
        general: false,
        url: format!("https://x.example/a b/(q).html#{}", id.to_lowercase()),
        status: Status::Open,
    };
    Checklist {
        schema: "https://x.example/schema/checklist.schema.json".into(),
        schema_version: 1,
        kind: Kind::Scenario,
        id: "hostile".into(),
        title: "Tom & Jerry's <script>alert(1)</script> \"chat\"".into(),
        description: Some("Line one\nline *two* | [x](y) `z` $m$ #h ~s~ !i".into()),
        site: Site {
            title: "Site".into(),
            language: "en".into(),
            url: Some("https://x.example/".into()),
        },
        page_url: "https://x.example/checklists/hostile.html".into(),
        source_url: "https://x.example/scenarios/hostile.html".into(),
        lenses: vec![
            LensGroup {
                id: "a".into(),
                name: "Lens, A".into(),
                version: Some("1\"0".into()),
                url: "https://x.example/lenses/a/index.html".into(),
                pillars: vec![PillarGroup {
                    id: "P".into(),
                    name: "=Pillar+".into(),
                    url: "https://x.example/p.html".into(),
                    questions: vec![QuestionGroup {
                        id: "Q_1".into(),
                        title: "How, \"exactly\"?\r\nReally".into(),
                        url: "https://x.example/q.html".into(),
                        choices: vec!["A-1".into(), "A-2".into(), "A-3".into()],
                        rules: vec![
                            Rule {
                                condition: Cond(Condition::parse("A-1 && !A-2").unwrap()),
                                risk: RuleRisk::None,
                            },
                            Rule {
                                condition: Cond(Condition::Default),
                                risk: RuleRisk::High,
                            },
                        ],
                        rules_derived: false,
                        items: vec![
                            item(
                                "A-1",
                                "-1 @cmd <b>bold</b> ]]> &amp; '' {{t}} </nowiki>",
                                Some(RiskLevel::High),
                            ),
                            item("A-2", "Tab\there, ünïcödé ✓, \u{7f}del", None),
                            item("A-3", "plain", Some(RiskLevel::Low)),
                        ],
                    }],
                }],
            },
            LensGroup {
                id: "b".into(),
                name: "Lens B".into(),
                version: None,
                url: "https://x.example/lenses/b/index.html".into(),
                pillars: vec![PillarGroup {
                    id: "PB".into(),
                    name: "B pillar".into(),
                    url: "https://x.example/pb.html".into(),
                    questions: vec![QuestionGroup {
                        id: "QB".into(),
                        title: "Q?".into(),
                        url: "https://x.example/qb.html".into(),
                        choices: vec!["B-1".into()],
                        rules: vec![Rule {
                            condition: Cond(Condition::Default),
                            risk: RuleRisk::Medium,
                        }],
                        rules_derived: true,
                        items: vec![item("B-1", "Only", Some(RiskLevel::Medium))],
                    }],
                }],
            },
        ],
        renamed: Default::default(),
    }
}

#[test]
fn hostile_text_stays_text_in_every_format() {
    let cl = hostile();
    let theme = wa_docs::render::theme::Theme::load(repo(), "default").unwrap();
    let assets = Assets::from_theme(&theme);
    check_csv(&cl.export(Format::Csv, &assets), &cl);
    check_confluence(&cl.export(Format::Confluence, &assets), &cl);
    check_mediawiki(&cl.export(Format::Mediawiki, &assets), &cl);
    let schema = checklist::json_schema();
    check_json(&cl.export(Format::Json, &assets), &schema, &cl);
    check_embed(&cl.export(Format::Html, &assets), &cl);
    let md = String::from_utf8(cl.export(Format::Md, &assets)).unwrap();
    let (tasks, _) = markdown_tasks(&md);
    assert_eq!(tasks.len(), 4);
    assert_eq!(tasks[0].2, "https://x.example/a%20b/%28q%29.html#a-1");
    assert!(
        tasks[0]
            .1
            .contains("-1 @cmd <b>bold</b> ]]> &amp; '' {{t}} </nowiki>"),
        "{}",
        tasks[0].1
    );
    let html = String::from_utf8(cl.export(Format::Html, &assets)).unwrap();
    assert!(!html.contains("<script>alert"));
    assert!(!html.contains("<b>bold"));
}

#[test]
fn checklist_js_exports_match_the_build_formats() {
    let dir = copy_fixture("basic");
    let mut lists = checklists(dir.path());
    lists.push(hostile());
    let statuses = json!({"TSEC01-BP01": "done", "TREL01-BP01": "not_applicable", "A-1": "done", "A-3": "not_applicable"});
    // The checklists go in as the build serialises them (field order matters to JSON output).
    let exports: Vec<String> = lists
        .iter()
        .flat_map(|cl| {
            let data = serde_json::to_string(cl).unwrap();
            [
                format!("{{\"checklist\": {data}, \"statuses\": {{}}}}"),
                format!("{{\"checklist\": {data}, \"statuses\": {statuses}}}"),
            ]
        })
        .collect();
    let share = json!([
        {"ids": ["a", "b", "c", "d", "e"], "statuses": {"b": "done", "e": "not_applicable"}},
        {"ids": ["a", "b"], "statuses": {}},
    ]);
    let request = format!(
        "{{\"exports\": [{}], \"share\": {share}}}",
        exports.join(",")
    );
    let Some(answers) = node(&request) else {
        return;
    };
    let assets = Assets::default();
    let mut n = 0;
    for cl in &lists {
        for with_status in [false, true] {
            let mut cl = cl.clone();
            if with_status {
                for (id, s) in statuses.as_object().unwrap() {
                    let s = if s == "done" {
                        Status::Done
                    } else {
                        Status::NotApplicable
                    };
                    cl.set_status(id, s);
                }
            }
            let js = &answers["exports"][n];
            n += 1;
            for (key, f) in [
                ("md", Format::Md),
                ("csv", Format::Csv),
                ("json", Format::Json),
            ] {
                let rust = String::from_utf8(cl.export(f, &assets)).unwrap();
                assert_eq!(
                    js[key].as_str().unwrap(),
                    rust,
                    "{} {key} (statuses: {with_status})",
                    cl.id
                );
            }
        }
    }
    // Share links round-trip.
    assert_eq!(
        answers["share"][0]["back"],
        json!({"b": "done", "e": "not_applicable"})
    );
    assert_eq!(answers["share"][1]["packed"], "");
}

#[test]
fn checklist_js_builds_the_page_without_html_injection() {
    let js = read(&repo().join("themes/default/static/checklist.js"));
    for bad in [
        "innerHTML",
        "outerHTML",
        "insertAdjacentHTML",
        "eval(",
        "new Function",
        "document.write",
    ] {
        assert!(!js.contains(bad), "checklist.js uses {bad}");
    }
}
