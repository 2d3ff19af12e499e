//! Checklists: every export parsed by a real parser (CSV reader, XML parser, JSON checked
//! against the published schema, CommonMark task lists) and compared with the checklist's
//! items; `wa-docs checklist` output against the build's files; the risk-rule table through
//! the Rust evaluator and through checklist.js under Node.

mod common;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use common::*;
use serde_json::{Value, json};
use wa_docs::checklist::{
    self, Assets, Checklist, Cond, Format, Item, Kind, LensGroup, PillarGroup, QuestionGroup, Rule,
    Site, Status,
};
use wa_docs::cli::checklist as cli;
use wa_docs::lens::risk::{Condition, evaluate};
use wa_docs::lens::{RiskLevel, RuleRisk};

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn build(project: &Path) -> PathBuf {
    let run = wa(&["build", ".", "-q", "-d", "site"], project);
    assert_eq!(run.code, 0, "build failed: {}", run.stderr);
    project.join("site")
}

fn checklists(project: &Path) -> Vec<Checklist> {
    let (p, diags) = wa_docs::project::load_project(project);
    assert!(!diags.has_errors(), "{diags:?}");
    checklist::all(&p.expect("project"))
}

/// (item id, title, risk, url, question id, pillar name, lens name) in checklist order.
type Row = (String, String, String, String, String, String, String);

fn expected_rows(cl: &Checklist) -> Vec<Row> {
    cl.items()
        .map(|(l, p, q, i)| {
            (
                i.id.clone(),
                i.title.clone(),
                i.risk.map(|r| r.as_str().to_string()).unwrap_or_default(),
                i.url.clone(),
                q.id.clone(),
                p.name.clone(),
                l.name.clone(),
            )
        })
        .collect()
}

// --- CSV ------------------------------------------------------------------------------------

/// What a CSV text cell holds for `s`: without unsafe characters, and with a leading `'` when a
/// spreadsheet would read it as a formula.
fn guarded(s: &str) -> String {
    let clean: String = s
        .chars()
        .filter(|c| !c.is_control() || matches!(c, '\t' | '\n' | '\r'))
        .collect();
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{clean}")
    } else {
        clean
    }
}

fn check_csv(bytes: &[u8], cl: &Checklist) {
    let text = std::str::from_utf8(bytes).expect("utf-8");
    assert!(text.ends_with("\r\n"), "RFC 4180 lines end with CRLF");
    assert!(
        !text.replace("\r\n", "").contains('\n') || text.contains('"'),
        "bare LF outside quotes"
    );
    let mut reader = csv::ReaderBuilder::new().flexible(false).from_reader(bytes);
    let header: Vec<String> = reader
        .headers()
        .expect("header")
        .iter()
        .map(String::from)
        .collect();
    assert_eq!(
        header.join(","),
        "scenario,lens,pillar,question_id,question,item_id,item,risk,url,status"
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("record")).collect();
    let expected = expected_rows(cl);
    assert_eq!(rows.len(), expected.len(), "{}: row count", cl.id);
    let questions: HashMap<&str, &str> = cl
        .questions()
        .map(|q| (q.id.as_str(), q.title.as_str()))
        .collect();
    for (row, (id, title, risk, url, q, pillar, lens)) in rows.iter().zip(&expected) {
        assert_eq!(&row[0], cl.id);
        assert_eq!(&row[1], guarded(lens));
        assert_eq!(&row[2], guarded(pillar));
        assert_eq!(&row[3], q);
        assert_eq!(&row[4], guarded(questions[q.as_str()]));
        assert_eq!(&row[5], id);
        assert_eq!(&row[6], guarded(title));
        assert_eq!(&row[7], risk);
        assert_eq!(&row[8], url);
        assert_eq!(&row[9], "open");
    }
}

// --- JSON and its schema ------------------------------------------------------------------------

const SCHEMA_KEYWORDS: &[&str] = &[
    "$schema",
    "$defs",
    "$ref",
    "title",
    "description",
    "type",
    "properties",
    "required",
    "additionalProperties",
    "items",
    "enum",
    "const",
    "oneOf",
    "anyOf",
    "minimum",
    "format",
];

/// Every keyword the schema uses, so the validator below provably covers it.
fn keywords(schema: &Value, out: &mut std::collections::BTreeSet<String>) {
    match schema {
        Value::Object(map) => {
            for (k, v) in map {
                out.insert(k.clone());
                match k.as_str() {
                    "properties" | "$defs" => {
                        v.as_object()
                            .into_iter()
                            .flatten()
                            .for_each(|(_, s)| keywords(s, out));
                    }
                    "const" | "enum" | "required" | "description" | "title" => {}
                    _ => keywords(v, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|s| keywords(s, out)),
        _ => {}
    }
}

/// A JSON Schema validator for the keywords in [`SCHEMA_KEYWORDS`] (`format` is an annotation).
fn validate(schema: &Value, root: &Value, v: &Value, at: &str, errs: &mut Vec<String>) {
    if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        let name = r.strip_prefix("#/$defs/").expect("local $ref");
        validate(&root["$defs"][name], root, v, at, errs);
    }
    if let Some(t) = schema.get("type") {
        let types: Vec<&str> = match t {
            Value::String(s) => vec![s.as_str()],
            Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
            _ => vec![],
        };
        let ok = types.iter().any(|t| match *t {
            "object" => v.is_object(),
            "array" => v.is_array(),
            "string" => v.is_string(),
            "integer" => v.is_i64() || v.is_u64(),
            "number" => v.is_number(),
            "boolean" => v.is_boolean(),
            "null" => v.is_null(),
            _ => false,
        });
        if !ok {
            errs.push(format!("{at}: {v} is not of type {t}"));
        }
    }
    if let Some(c) = schema.get("const")
        && c != v
    {
        errs.push(format!("{at}: {v} is not {c}"));
    }
    if let Some(e) = schema.get("enum").and_then(Value::as_array)
        && !e.contains(v)
    {
        errs.push(format!("{at}: {v} is not one of {e:?}"));
    }
    if let (Some(min), Some(n)) = (schema.get("minimum").and_then(Value::as_f64), v.as_f64())
        && n < min
    {
        errs.push(format!("{at}: {n} < {min}"));
    }
    if let Some(obj) = v.as_object() {
        for r in schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let r = r.as_str().unwrap_or_default();
            if !obj.contains_key(r) {
                errs.push(format!("{at}: missing required `{r}`"));
            }
        }
        let props = schema.get("properties").and_then(Value::as_object);
        for (k, val) in obj {
            match props.and_then(|p| p.get(k)) {
                Some(s) => validate(s, root, val, &format!("{at}/{k}"), errs),
                None => match schema.get("additionalProperties") {
                    Some(Value::Bool(false)) => errs.push(format!("{at}: unexpected `{k}`")),
                    Some(s @ Value::Object(_)) => {
                        validate(s, root, val, &format!("{at}/{k}"), errs)
                    }
                    _ => {}
                },
            }
        }
    }
    if let (Some(items), Some(arr)) = (schema.get("items"), v.as_array()) {
        for (i, val) in arr.iter().enumerate() {
            validate(items, root, val, &format!("{at}/{i}"), errs);
        }
    }
    for (key, exactly_one) in [("anyOf", false), ("oneOf", true)] {
        if let Some(subs) = schema.get(key).and_then(Value::as_array) {
            let passing = subs
                .iter()
                .filter(|s| {
                    let mut e = Vec::new();
                    validate(s, root, v, at, &mut e);
                    e.is_empty()
                })
                .count();
            if passing == 0 || (exactly_one && passing != 1) {
                errs.push(format!("{at}: {passing} of the {key} schemas match {v}"));
            }
        }
    }
}

fn schema_errors(schema: &Value, doc: &Value) -> Vec<String> {
    let mut errs = Vec::new();
    validate(schema, schema, doc, "", &mut errs);
    errs
}

fn check_json(bytes: &[u8], schema: &Value, cl: &Checklist) {
    let doc: Value = serde_json::from_slice(bytes).expect("JSON parses");
    let errs = schema_errors(schema, &doc);
    assert!(errs.is_empty(), "{}: {errs:#?}", cl.id);
    assert_eq!(doc["schema_version"], 1);
    assert_eq!(doc["id"], cl.id);
    let mut rows = Vec::new();
    for l in doc["lenses"].as_array().unwrap() {
        for p in l["pillars"].as_array().unwrap() {
            for q in p["questions"].as_array().unwrap() {
                assert!(!q["rules"].as_array().unwrap().is_empty(), "{q}");
                for i in q["items"].as_array().unwrap() {
                    assert_eq!(i["status"], "open");
                    let s = |v: &Value| v.as_str().unwrap_or_default().to_string();
                    rows.push((
                        s(&i["id"]),
                        s(&i["title"]),
                        s(&i["risk"]),
                        s(&i["url"]),
                        s(&q["id"]),
                        s(&p["name"]),
                        s(&l["name"]),
                    ));
                }
            }
        }
    }
    assert_eq!(rows, expected_rows(cl));
}

// --- Confluence storage format ----------------------------------------------------------------------

/// Parses the fragment as XML (inside a root that declares Confluence's prefixes) and returns
/// each task's (status, body text).
fn confluence_tasks(bytes: &[u8]) -> Vec<(String, String)> {
    use quick_xml::events::Event;
    use quick_xml::name::ResolveResult;
    let fragment = std::str::from_utf8(bytes).expect("utf-8");
    let doc = format!(
        "<root xmlns:ac=\"http://atlassian.com/content\" xmlns:ri=\"http://atlassian.com/resource/identifier\">{fragment}</root>"
    );
    let mut reader = quick_xml::reader::NsReader::from_str(&doc);
    let mut stack: Vec<String> = Vec::new();
    let mut tasks = Vec::new();
    let mut status = String::new();
    let mut body = String::new();
    loop {
        let (ns, event) = reader.read_resolved_event().expect("well-formed XML");
        match event {
            Event::Start(e) => {
                let name = e.name().as_ref().to_string();
                if name.contains(':') {
                    assert!(
                        matches!(ns, ResolveResult::Bound(_)),
                        "unbound prefix in {name}"
                    );
                }
                stack.push(name);
            }
            Event::End(_) => {
                let name = stack.pop().expect("balanced");
                if name == "ac:task" {
                    tasks.push((std::mem::take(&mut status), std::mem::take(&mut body)));
                }
            }
            Event::Empty(_) => {}
            Event::Text(t) => {
                let text = t.to_string();
                match stack.last().map(String::as_str) {
                    Some("ac:task-status") => status.push_str(&text),
                    _ if stack.iter().any(|s| s == "ac:task-body") => body.push_str(&text),
                    _ => {}
                }
            }
            Event::GeneralRef(r) => {
                let c = match r.resolve_char_ref().expect("char ref") {
                    Some(c) => c.to_string(),
                    None => match &*r {
                        "amp" => "&".into(),
                        "lt" => "<".into(),
                        "gt" => ">".into(),
                        "quot" => "\"".into(),
                        "apos" => "'".into(),
                        other => panic!("undefined entity &{other}; is not well-formed XML"),
                    },
                };
                if stack.iter().any(|s| s == "ac:task-body") {
                    body.push_str(&c);
                }
            }
            Event::Eof => break,
            Event::CData(_)
            | Event::Comment(_)
            | Event::Decl(_)
            | Event::PI(_)
            | Event::DocType(_) => {
                panic!("unexpected markup in a storage-format fragment")
            }
        }
    }
    assert!(stack.is_empty(), "unclosed elements: {stack:?}");
    tasks
}

fn check_confluence(bytes: &[u8], cl: &Checklist) {
    let tasks = confluence_tasks(bytes);
    let expected = expected_rows(cl);
    assert_eq!(tasks.len(), expected.len());
    for ((status, body), (id, title, risk, ..)) in tasks.iter().zip(&expected) {
        assert_eq!(status, "incomplete");
        let mut want = format!("{id} {}", title.replace(['\n', '\r', '\t'], " "));
        if !risk.is_empty() {
            want.push_str(&format!(" · {risk} risk"));
        }
        let got: String = body.chars().filter(|c| !c.is_control()).collect();
        let want: String = want.chars().filter(|c| !c.is_control()).collect();
        assert_eq!(got, want);
    }
}

// --- Markdown ---------------------------------------------------------------------------------

/// Task items as CommonMark + GFM task lists parse them: (checked, text, link destination).
fn markdown_tasks(text: &str) -> (Vec<(bool, String, String)>, Vec<String>) {
    use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
    let mut tasks = Vec::new();
    let mut headings = Vec::new();
    let mut in_item = false;
    let mut in_heading = false;
    let mut cur = (false, String::new(), String::new());
    let mut heading = String::new();
    for ev in Parser::new_ext(text, Options::ENABLE_TASKLISTS) {
        match ev {
            Event::TaskListMarker(checked) => {
                in_item = true;
                cur = (checked, String::new(), String::new());
            }
            Event::Start(Tag::Link { dest_url, .. }) if in_item && cur.2.is_empty() => {
                cur.2 = dest_url.to_string();
            }
            Event::Start(Tag::Heading { .. }) => {
                in_heading = true;
                heading.clear();
            }
            Event::End(TagEnd::Heading(_)) => {
                in_heading = false;
                headings.push(heading.clone());
            }
            Event::Text(t) | Event::Code(t) => {
                if in_item {
                    cur.1.push_str(&t);
                }
                if in_heading {
                    heading.push_str(&t);
                }
            }
            Event::End(TagEnd::Item) if in_item => {
                in_item = false;
                tasks.push(std::mem::take(&mut cur));
            }
            _ => {}
        }
    }
    (tasks, headings)
}

fn check_markdown(bytes: &[u8], cl: &Checklist) {
    let text = std::str::from_utf8(bytes).expect("utf-8");
    let (tasks, headings) = markdown_tasks(text);
    let expected = expected_rows(cl);
    assert_eq!(tasks.len(), expected.len(), "{}", cl.id);
    for ((checked, body, dest), (id, title, risk, url, ..)) in tasks.iter().zip(&expected) {
        assert!(!checked);
        let mut want = format!("{id} {title}");
        if !risk.is_empty() {
            want.push_str(&format!(" · {risk} risk"));
        }
        assert_eq!(body, &want);
        assert_eq!(dest, url);
    }
    // A heading per pillar.
    for l in &cl.lenses {
        for p in &l.pillars {
            let h = cl.pillar_heading(l, p);
            assert!(headings.contains(&h), "no heading {h} in {headings:?}");
        }
    }
}

fn check_mediawiki(bytes: &[u8], cl: &Checklist) {
    let text = std::str::from_utf8(bytes).expect("utf-8");
    assert!(text.contains(
        "{| class=\"wikitable sortable\"\n! Id !! Best practice !! Pillar !! Risk !! Status\n"
    ));
    assert!(text.ends_with("|}\n"));
    let rows: Vec<&str> = text.lines().filter(|l| l.starts_with("| ")).collect();
    let expected = expected_rows(cl);
    assert_eq!(rows.len(), expected.len());
    for (row, (id, ..)) in rows.iter().zip(&expected) {
        assert!(
            row.starts_with(&format!("| <nowiki>{id}</nowiki> || ")),
            "{row}"
        );
        assert_eq!(row.matches(" || ").count(), 4, "{row}");
        assert!(row.ends_with("|| open"), "{row}");
    }
}

fn check_embed(bytes: &[u8], cl: &Checklist) {
    let html = std::str::from_utf8(bytes).expect("utf-8");
    // Self-contained: nothing is fetched.
    for bad in [
        "<script src",
        "<link rel=\"stylesheet\"",
        "@import",
        "<img",
        "<iframe",
    ] {
        assert!(!html.contains(bad), "{}: embed page has {bad}", cl.id);
    }
    assert!(
        !html.contains("<link"),
        "{}: embed page links a resource",
        cl.id
    );
    assert_eq!(html.matches("<script>").count(), 1);
    assert_eq!(html.matches("</script>").count(), 2, "data + script");
    assert!(html.contains("<style>") && html.contains(".cl-item"));
    for (_, _, _, i) in cl.items() {
        assert!(html.contains(&format!("data-cl-item=\"{}\"", i.id)));
    }
    // The embedded data is the JSON export.
    let data = html
        .split("<script type=\"application/json\" id=\"cl-data\">")
        .nth(1)
        .and_then(|s| s.split("</script>").next())
        .expect("data");
    let data: Value = serde_json::from_str(data).expect("data parses");
    assert_eq!(data, serde_json::to_value(cl).unwrap());
}

fn check_all_exports(site: &Path, project: &Path) -> usize {
    let schema: Value =
        serde_json::from_str(&read(&site.join("schema/checklist.schema.json"))).unwrap();
    let lists = checklists(project);
    for cl in &lists {
        let file = |f: Format| {
            let p = site.join(format!("checklists/{}{}", cl.id, f.suffix()));
            std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
        };
        check_csv(&file(Format::Csv), cl);
        check_json(&file(Format::Json), &schema, cl);
        check_confluence(&file(Format::Confluence), cl);
        check_markdown(&file(Format::Md), cl);
        check_mediawiki(&file(Format::Mediawiki), cl);
        check_embed(&file(Format::Html), cl);
        let page = read(&site.join(format!("checklists/{}.html", cl.id)));
        for f in Format::ALL {
            assert!(
                page.contains(&format!("href=\"{}{}\"", cl.id, f.suffix())),
                "{} does not link its {} export",
                cl.id,
                f.name()
            );
        }
        for (_, _, _, i) in cl.items() {
            assert!(page.contains(&format!("data-cl-item=\"{}\"", i.id)));
        }
    }
    lists.len()
}

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

// --- CLI ----------------------------------------------------------------------------------------

#[test]
fn cli_output_is_the_build_output_byte_for_byte() {
    let dir = copy_fixture("basic");
    let site = build(dir.path());
    for cl in checklists(dir.path()) {
        for f in Format::ALL {
            let built =
                std::fs::read(site.join(format!("checklists/{}{}", cl.id, f.suffix()))).unwrap();
            let out = cli::export(dir.path(), &cl.id, f.name()).expect("export");
            assert!(
                out == built,
                "{} {}: CLI differs from the build",
                cl.id,
                f.name()
            );
        }
    }
    // `run` with -o writes the same bytes.
    let file = dir.path().join("out.xml");
    let code = cli::run(
        dir.path(),
        false,
        Some("chatbot"),
        Some("confluence"),
        Some(&file),
    );
    assert_eq!(code, 0);
    assert_eq!(
        std::fs::read(&file).unwrap(),
        std::fs::read(site.join("checklists/chatbot.confluence.xml")).unwrap()
    );
    let list = cli::list_text(dir.path()).unwrap();
    assert!(
        list.contains("chatbot") && list.contains("lens-test-lens"),
        "{list}"
    );
    assert!(list.contains("3 items"), "{list}");
}

#[test]
fn cli_errors_list_the_valid_choices() {
    let dir = copy_fixture("basic");
    let e = cli::export(dir.path(), "chatbto", "md").unwrap_err();
    assert_eq!(e.code, 2);
    let text = e.text();
    assert!(text.contains("unknown checklist `chatbto`"), "{text}");
    assert!(
        text.contains("valid checklists: chatbot, lens-test-lens"),
        "{text}"
    );
    let e = cli::export(dir.path(), "chatbot", "docx").unwrap_err();
    assert_eq!(e.code, 2);
    let text = e.text();
    assert!(text.contains("unknown format `docx`"), "{text}");
    assert!(
        text.contains("valid formats: md, confluence, mediawiki, csv, json, html"),
        "{text}"
    );
    assert_eq!(
        cli::run(dir.path(), false, Some("nope"), Some("md"), None),
        2
    );
    assert_eq!(cli::run(dir.path(), false, None, None, None), 2);
    assert_eq!(cli::run(dir.path(), true, Some("chatbot"), None, None), 2);
    // A broken project is a content error, not a crash.
    edit(
        &dir.path().join("content/scenarios/chatbot.md"),
        "TREL01-BP01]",
        "TREL01-BP99]",
    );
    let e = cli::export(dir.path(), "chatbot", "md").unwrap_err();
    assert_eq!(e.code, 1, "{}", e.text());
    let missing = tempfile::tempdir().unwrap();
    assert_eq!(cli::export(missing.path(), "x", "md").unwrap_err().code, 2);
}

/// Once `wa-docs checklist` is wired into the command line, its stdout is the build's file.
#[test]
fn binary_subcommand_when_wired() {
    let dir = copy_fixture("basic");
    let help = wa(&["checklist", "--help"], dir.path());
    if help.code != 0 {
        eprintln!("notice: `wa-docs checklist` is not wired into the command line yet; skipping");
        return;
    }
    let site = build(dir.path());
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_wa-docs"))
        .args(["checklist", "chatbot", "--format", "csv"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        out.stdout,
        std::fs::read(site.join("checklists/chatbot.csv")).unwrap()
    );
    let bad = wa(&["checklist", "nope", "--format", "md"], dir.path());
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("valid checklists"), "{}", bad.stderr);
    let list = wa(&["checklist", "--list"], dir.path());
    assert_eq!(list.code, 0);
    assert!(list.stdout.contains("lens-test-lens"));
}

// --- Risk rules: one table, two evaluators ---------------------------------------------------------

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

/// Runs tests/js/harness.cjs under Node; `None` (with a notice) when node is missing.
fn node(request: &str) -> Option<Value> {
    let script = repo().join("themes/default/static/checklist.js");
    let child = Command::new("node")
        .arg(repo().join("tests/js/harness.cjs"))
        .arg(&script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(c) => c,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            eprintln!(
                "notice: `node` is not installed; skipping the checklist.js half of this test"
            );
            return None;
        }
        Err(e) => panic!("cannot run node: {e}"),
    };
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().unwrap();
        stdin.write_all(request.as_bytes()).unwrap();
    }
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "node failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(serde_json::from_slice(&out.stdout).expect("node answers JSON"))
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

// --- `wa-docs checklist --answers` ---------------------------------------------------------------

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
