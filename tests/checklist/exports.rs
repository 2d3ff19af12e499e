//! The built checklist pages and their exports, for the fixture and the bundled guidance.

use super::formats::{SCHEMA_KEYWORDS, check_all_exports, keywords, schema_errors};
use super::*;

#[test]
fn fixture_exports_parse_and_list_every_item() {
    let dir = copy_fixture("basic");
    let site = build(dir.path());
    assert_eq!(check_all_exports(&site, dir.path()), 2);
    // site-url is set: exports link absolutely, the page relatively.
    let md = read(&site.join("checklists/chatbot.md"));
    assert!(
        md.contains("(https://docs.example.com/guide/lenses/test-lens/tsec01.html#tsec01-bp01)")
    );
    let page = read(&site.join("checklists/chatbot.html"));
    assert!(page.contains("href=\"../lenses/test-lens/tsec01.html#tsec01-bp01\""));
    assert!(page.contains("assets/checklist.js"));
    // Lens checklists are reachable from the scenario's.
    assert!(page.contains("href=\"lens-test-lens.html\""));
    // The scenario page links its checklist page.
    let scenario = read(&site.join("scenarios/chatbot.html"));
    assert!(scenario.contains("href=\"../checklists/chatbot.html\""));
    check_links(&site);
}

#[test]
fn every_bundled_scenario_has_a_checklist_page_and_six_exports() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    let run = wa(&["build", ".", "-q", "-d", site.to_str().unwrap()], repo());
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lists = checklists(repo());
    let scenarios: Vec<&Checklist> = lists.iter().filter(|c| c.kind == Kind::Scenario).collect();
    let pages = std::fs::read_dir(repo().join("content/scenarios"))
        .unwrap()
        .count();
    assert_eq!(scenarios.len(), pages);
    for cl in &scenarios {
        assert!(cl.item_count() > 0, "{} has an empty checklist", cl.id);
    }
    assert_eq!(check_all_exports(&site, repo()), lists.len());
    // Links in the bundled site (no site-url) are relative and resolve, exports included.
    check_links(&site);
}

#[test]
fn schema_is_published_and_the_validator_covers_it() {
    let schema = checklist::json_schema();
    let mut used = std::collections::BTreeSet::new();
    keywords(&schema, &mut used);
    for k in &used {
        assert!(SCHEMA_KEYWORDS.contains(&k.as_str()), "schema uses `{k}`");
    }
    // The validator rejects what the schema forbids.
    let dir = copy_fixture("basic");
    let cl = checklists(dir.path()).remove(0);
    let mut doc = serde_json::to_value(&cl).unwrap();
    assert!(schema_errors(&schema, &doc).is_empty());
    doc["lenses"][0]["pillars"][0]["questions"][0]["items"][0]["status"] = json!("finished");
    doc["lenses"][0]["pillars"][0]["questions"][0]["rules"][0]["condition"] =
        json!({"op": "xor", "args": []});
    doc["schema_version"] = json!(2);
    doc.as_object_mut().unwrap().remove("id");
    let errs = schema_errors(&schema, &doc);
    assert!(errs.len() >= 4, "{errs:#?}");
}

#[test]
fn colliding_checklist_files_are_an_error() {
    let dir = copy_fixture("basic");
    std::fs::write(
        dir.path().join("content/scenarios/other.md"),
        "---\ntitle: Other\nkind: scenario\nid: lens-test-lens\nchecklist: [TSEC01]\n---\nBody.\n",
    )
    .unwrap();
    let run = wa(&["build", ".", "-q"], dir.path());
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("would both be written"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("other.md"), "{}", run.stderr);
}
