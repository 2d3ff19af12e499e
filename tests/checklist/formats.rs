//! Parsers and checkers for each export format: CSV, JSON against the published schema,
//! Confluence storage format, CommonMark task lists, MediaWiki and the embeddable HTML.

use super::*;

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

pub(super) fn check_csv(bytes: &[u8], cl: &Checklist) {
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

pub(super) const SCHEMA_KEYWORDS: &[&str] = &[
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
pub(super) fn keywords(schema: &Value, out: &mut std::collections::BTreeSet<String>) {
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

pub(super) fn schema_errors(schema: &Value, doc: &Value) -> Vec<String> {
    let mut errs = Vec::new();
    validate(schema, schema, doc, "", &mut errs);
    errs
}

pub(super) fn check_json(bytes: &[u8], schema: &Value, cl: &Checklist) {
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
pub(super) fn confluence_tasks(bytes: &[u8]) -> Vec<(String, String)> {
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

pub(super) fn check_confluence(bytes: &[u8], cl: &Checklist) {
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
pub(super) fn markdown_tasks(text: &str) -> (Vec<(bool, String, String)>, Vec<String>) {
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

pub(super) fn check_mediawiki(bytes: &[u8], cl: &Checklist) {
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

pub(super) fn check_embed(bytes: &[u8], cl: &Checklist) {
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

pub(super) fn check_all_exports(site: &Path, project: &Path) -> usize {
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
