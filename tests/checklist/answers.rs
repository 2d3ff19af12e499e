//! `wa-docs checklist --answers`: a JSON export with statuses filled in, applied to every format.

use super::formats::{confluence_tasks, markdown_tasks};
use super::*;

/// The fixture's `chatbot` JSON export with some statuses set (id -> status), written to a file.
fn answers_file(dir: &Path, statuses: &[(&str, &str)], extra: &[(&str, &str)]) -> PathBuf {
    let text = String::from_utf8(cli::export(dir, "chatbot", "json").unwrap()).unwrap();
    let mut v: Value = serde_json::from_str(&text).unwrap();
    for l in v["lenses"].as_array_mut().unwrap() {
        for p in l["pillars"].as_array_mut().unwrap() {
            for q in p["questions"].as_array_mut().unwrap() {
                let items = q["items"].as_array_mut().unwrap();
                for i in items.iter_mut() {
                    if let Some((_, s)) = statuses.iter().find(|(id, _)| i["id"] == *id) {
                        i["status"] = json!(s);
                    }
                }
                for (id, s) in extra {
                    items.push(json!({"id": id, "title": "Gone", "url": "x", "status": s}));
                }
            }
        }
    }
    let path = dir.join("answers.json");
    std::fs::write(&path, serde_json::to_string_pretty(&v).unwrap()).unwrap();
    path
}

#[test]
fn answers_fill_in_every_export() {
    let dir = copy_fixture("basic");
    let file = answers_file(
        dir.path(),
        &[("TSEC01-BP01", "done"), ("TSEC01-BP02", "not_applicable")],
        &[],
    );
    let (md, warnings) = cli::export_with_answers(dir.path(), "chatbot", "md", &file).unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    let md = String::from_utf8(md).unwrap();
    let (tasks, _) = markdown_tasks(&md);
    let checked: Vec<bool> = tasks.iter().map(|t| t.0).collect();
    assert_eq!(checked, vec![true, true, false], "{md}");
    assert!(
        md.contains("- [x] **TSEC01-BP02** [Log every call]") && md.contains("· not applicable\n"),
        "{md}"
    );
    // TSEC01: BP01 done and BP02 not applicable -> `TSEC01-BP01 && TSEC01-BP02` holds: no risk.
    // TREL01 has no answer yet.
    assert!(
        md.contains("tsec01.html)\n\nQuestion risk: **No risk**\n\n- [x] **TSEC01-BP01**"),
        "{md}"
    );
    assert!(md.contains("Question risk: **Unanswered**"), "{md}");
    // The same risks through the model's own evaluator.
    let mut cl = checklists(dir.path())
        .into_iter()
        .find(|c| c.id == "chatbot")
        .unwrap();
    cl.set_status("TSEC01-BP01", Status::Done);
    cl.set_status("TSEC01-BP02", Status::NotApplicable);
    let risks: Vec<&str> = cl.questions().map(|q| cl.risk_of(q).label()).collect();
    assert_eq!(risks, vec!["No risk", "Unanswered"]);
    assert_eq!(md.into_bytes(), cl.export(Format::Md, &Assets::default()));

    let get = |f: &str| {
        String::from_utf8(
            cli::export_with_answers(dir.path(), "chatbot", f, &file)
                .unwrap()
                .0,
        )
        .unwrap()
    };
    let conf = get("confluence");
    let tasks = confluence_tasks(conf.as_bytes());
    let states: Vec<&str> = tasks.iter().map(|t| t.0.as_str()).collect();
    assert_eq!(states, vec!["complete", "complete", "incomplete"], "{conf}");
    assert!(
        conf.contains("<p>Question risk: <strong>No risk</strong></p>"),
        "{conf}"
    );
    let wiki = get("mediawiki");
    assert!(wiki.contains("|| not applicable\n"), "{wiki}");
    assert!(
        wiki.contains("! Question !! Pillar !! Question risk\n"),
        "{wiki}"
    );
    assert!(wiki.contains("data-sort-value=\"2\" | No risk\n"), "{wiki}");
    let csv = get("csv");
    let mut reader = csv::ReaderBuilder::new().from_reader(csv.as_bytes());
    let statuses: Vec<String> = reader
        .records()
        .map(|r| r.unwrap()[9].to_string())
        .collect();
    assert_eq!(statuses, vec!["done", "not_applicable", "open"]);
    let json: Value = serde_json::from_str(&get("json")).unwrap();
    assert_eq!(
        json["lenses"][0]["pillars"][0]["questions"][0]["items"][1]["status"],
        "not_applicable"
    );
    let embed = get("html");
    assert!(
        embed.contains("class=\"cl-item is-done\" id=\"cl-i-tsec01-bp01\""),
        "embed"
    );
    assert!(embed.contains("<span class=\"cl-answer\">not applicable</span>"));
    assert!(
        embed.contains("class=\"cl-qstatus cl-r-none\" data-cl-question=\"TSEC01\">No risk</p>")
    );

    // A file with every item open gives exactly the build's files.
    let open = answers_file(dir.path(), &[], &[]);
    for f in Format::ALL {
        let (with, _) = cli::export_with_answers(dir.path(), "chatbot", f.name(), &open).unwrap();
        assert!(
            with == cli::export(dir.path(), "chatbot", f.name()).unwrap(),
            "{}",
            f.name()
        );
    }
}

#[test]
fn answers_for_unknown_items_are_warned_and_renamed_items_follow() {
    let dir = copy_fixture("basic");
    // TSEC01-BP02 was called TSEC01-BP09 in an earlier lens version.
    edit(
        &dir.path().join("lenses/test.yaml"),
        "          - id: TSEC01-BP02\n",
        "          - id: TSEC01-BP02\n            previous-ids: [TSEC01-BP09]\n",
    );
    // An export made before the rename: TSEC01-BP09 done, plus an item the lens no longer has.
    let file = answers_file(
        dir.path(),
        &[("TREL01-BP01", "done"), ("TSEC01-BP02", "done")],
        &[("GONE-BP01", "not_applicable")],
    );
    let old = read(&file).replace("\"TSEC01-BP02\"", "\"TSEC01-BP09\"");
    std::fs::write(&file, old).unwrap();
    let file = file.to_str().unwrap();
    let run = wa(&["checklist", "chatbot", "--answers", file], dir.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("GONE-BP01 (not_applicable)"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("TSEC01-BP09"), "{}", run.stderr);
    assert!(
        run.stdout.contains("- [x] **TSEC01-BP02**"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("- [x] **TREL01-BP01**"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("- [ ] **TSEC01-BP01**"),
        "{}",
        run.stdout
    );
    // --list takes no answers.
    let run = wa(&["checklist", "--list", "--answers", file], dir.path());
    assert_eq!(run.code, 2, "{}", run.stderr);
}

#[test]
fn an_answers_file_that_is_not_an_export_is_exit_1() {
    let dir = copy_fixture("basic");
    let cases = [
        ("not json", "not JSON"),
        ("{\"id\": \"chatbot\"}", "no `lenses` list"),
        ("[1, 2]", "not a JSON object"),
        (
            "{\"lenses\": [{\"pillars\": [{\"questions\": [{\"items\": [{\"id\": \"A\", \"status\": \"maybe\"}]}]}]}]}",
            "status `maybe`",
        ),
        (
            "{\"lenses\": [{\"pillars\": [{\"questions\": [{\"items\": [{\"status\": \"done\"}]}]}]}]}",
            "has no `id`",
        ),
    ];
    let path = dir.path().join("bad.json");
    for (text, why) in cases {
        std::fs::write(&path, text).unwrap();
        let run = wa(
            &["checklist", "chatbot", "--answers", "bad.json"],
            dir.path(),
        );
        assert_eq!(run.code, 1, "{text}: {}", run.stderr);
        assert!(
            run.stderr
                .contains("bad.json is not a checklist JSON export"),
            "{}",
            run.stderr
        );
        assert!(run.stderr.contains(why), "{why}: {}", run.stderr);
        assert!(run.stdout.is_empty());
    }
    let run = wa(
        &["checklist", "chatbot", "--answers", "missing.json"],
        dir.path(),
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("cannot read the answers file"));
}

/// `--answers` with another checklist's export is refused, naming both checklists.
#[test]
fn answers_of_another_checklist_are_refused() {
    let dir = copy_fixture("basic");
    let file = answers_file(dir.path(), &[("TSEC01-BP01", "done")], &[]);
    let run = wa(
        &[
            "checklist",
            "lens-test-lens",
            "--answers",
            file.to_str().unwrap(),
        ],
        dir.path(),
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("holds the answers of checklist `chatbot`, not of `lens-test-lens`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("wa-docs checklist chatbot --answers"),
        "{}",
        run.stderr
    );
    assert!(run.stdout.is_empty(), "{}", run.stdout);
}
