//! The WA Tool's documented rules for custom-lens JSON, checked on the JSON itself so import
//! (paths into the file read) and export (paths into the file written) share one checker.
//!
//! Sources: the "Lens format specification" page of the WA Tool user guide and the ImportLens
//! API reference. Where the two disagree the user guide wins (its display-text limit of 2048
//! characters is what real, accepted lenses use; the API's `ChoiceContent` says 1024).

use std::collections::{HashMap, HashSet};

use serde_json::{Map, Value};

use super::{JsonPath, type_name};
use crate::lens::risk::Condition;

/// `schemaVersion` set by the WA Tool's template.
pub const SCHEMA_VERSION: &str = "2021-11-01";
/// Lens and pillar names.
pub const MAX_NAME: usize = 128;
pub const MAX_LENS_DESCRIPTION: usize = 2048;
pub const MAX_PILLARS: usize = 10;
pub const MAX_QUESTIONS_PER_PILLAR: usize = 20;
/// Question and choice titles.
pub const MAX_TITLE: usize = 128;
pub const MAX_QUESTION_DESCRIPTION: usize = 2048;
pub const MAX_CHOICES: usize = 15;
pub const MAX_CHOICE_DESCRIPTION: usize = 1024;
/// `displayText` of helpful resources and improvement plans.
pub const MAX_DISPLAY_TEXT: usize = 2048;
/// Entries in one additional-resources group (one group per type).
pub const MAX_ADDITIONAL_PER_TYPE: usize = 5;
pub const MAX_RISK_RULES: usize = 3;
/// ImportLens: "A custom lens cannot exceed 500 KB in size" (CloudFormation: 500000).
pub const MAX_JSON_BYTES: usize = 500_000;
/// Lens versions given when publishing.
pub const MAX_VERSION: usize = 32;
pub const ID_MIN: usize = 3;
pub const ID_MAX: usize = 128;
pub const RISKS: [&str; 3] = ["HIGH_RISK", "MEDIUM_RISK", "NO_RISK"];
pub const RESOURCE_TYPES: [&str; 2] = ["HELPFUL_RESOURCE", "IMPROVEMENT_PLAN"];
/// Suffix of the "None of these" choice id.
pub const NONE_SUFFIX: &str = "_no";

pub const LENS_KEYS: &[&str] = &["schemaVersion", "name", "description", "pillars"];
pub const PILLAR_KEYS: &[&str] = &["id", "name", "questions"];
pub const QUESTION_KEYS: &[&str] = &[
    "id",
    "title",
    "description",
    "helpfulResource",
    "choices",
    "riskRules",
];
pub const CHOICE_KEYS: &[&str] = &[
    "id",
    "title",
    "description",
    "helpfulResource",
    "improvementPlan",
    "additionalResources",
];
pub const RESOURCE_KEYS: &[&str] = &["displayText", "url"];
pub const ADDITIONAL_KEYS: &[&str] = &["type", "content"];
pub const RULE_KEYS: &[&str] = &["condition", "risk"];

/// `[A-Za-z0-9_]{3,128}`.
pub fn is_wa_id(s: &str) -> bool {
    (ID_MIN..=ID_MAX).contains(&s.len())
        && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProblemKind {
    /// Breaks a documented rule or limit: the WA Tool would reject the file.
    Rule,
    /// A value of another type than the format names; wa-docs keeps it as it is.
    Type,
    /// A key the format does not name; wa-docs keeps it under `extra`.
    Unknown,
}

/// One problem, at a JSON path. `message` has no subject: callers prefix the path (import) or
/// the wa-docs object (export).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub path: JsonPath,
    pub message: String,
    pub kind: ProblemKind,
    /// A token inside the value the problem is about (a choice id in a condition), for locating.
    pub token: Option<String>,
}

impl Problem {
    fn rule(path: JsonPath, message: String) -> Self {
        Problem {
            path,
            message,
            kind: ProblemKind::Rule,
            token: None,
        }
    }

    fn with_token(mut self, t: &str) -> Self {
        self.token = Some(t.to_string());
        self
    }
}

/// Checks a custom-lens JSON document against the WA Tool's rules. Every problem is returned.
pub fn check_wa_json(doc: &Value) -> Vec<Problem> {
    let mut c = Checker { out: Vec::new() };
    c.lens(doc);
    c.out
}

/// The size rule, on the serialized text.
pub fn check_size(bytes: usize) -> Option<Problem> {
    (bytes > MAX_JSON_BYTES).then(|| {
        Problem::rule(
            JsonPath::root(),
            format!(
                "the lens JSON is {bytes} bytes, over the WA Tool limit of {MAX_JSON_BYTES} bytes (500 KB)"
            ),
        )
    })
}

fn chars(s: &str) -> usize {
    s.chars().count()
}

struct Checker {
    out: Vec<Problem>,
}

impl Checker {
    fn push(&mut self, p: Problem) {
        self.out.push(p);
    }

    fn object<'v>(&mut self, v: &'v Value, path: &JsonPath) -> Option<&'v Map<String, Value>> {
        match v {
            Value::Object(m) => Some(m),
            other => {
                self.wrong_type(path.clone(), other, "an object");
                None
            }
        }
    }

    fn unknown_keys(&mut self, obj: &Map<String, Value>, path: &JsonPath, known: &[&str]) {
        for k in obj.keys() {
            if !known.contains(&k.as_str()) {
                self.push(Problem {
                    path: path.key(k),
                    message: "not part of the WA Tool format; kept under `extra`".into(),
                    kind: ProblemKind::Unknown,
                    token: None,
                });
            }
        }
    }

    fn missing(&mut self, path: JsonPath) {
        self.push(Problem::rule(
            path,
            "missing; the WA Tool requires it".into(),
        ));
    }

    /// A value of another type than the format's; it is kept, and reported.
    fn wrong_type(&mut self, path: JsonPath, found: &Value, expected: &str) {
        self.push(Problem {
            path,
            message: format!(
                "a {} where the WA Tool expects {expected}; kept as it is",
                type_name(found)
            ),
            kind: ProblemKind::Type,
            token: None,
        });
    }

    /// A string member: type, presence, emptiness and length.
    fn text<'v>(
        &mut self,
        obj: &'v Map<String, Value>,
        path: &JsonPath,
        key: &str,
        required: bool,
        max: usize,
    ) -> Option<&'v str> {
        let p = path.key(key);
        match obj.get(key) {
            None => {
                if required {
                    self.missing(p);
                }
                None
            }
            Some(Value::String(s)) => {
                let n = chars(s);
                if required && s.trim().is_empty() {
                    self.push(Problem::rule(
                        p,
                        "empty; the WA Tool needs text here".into(),
                    ));
                } else if n > max {
                    self.push(Problem::rule(
                        p,
                        format!("{n} characters, over the WA Tool limit of {max}"),
                    ));
                }
                Some(s)
            }
            Some(other) => {
                self.wrong_type(p, other, "a string");
                None
            }
        }
    }

    fn id<'v>(&mut self, obj: &'v Map<String, Value>, path: &JsonPath) -> Option<&'v str> {
        let id = self.text(obj, path, "id", true, usize::MAX)?;
        if !is_wa_id(id) {
            self.push(
                Problem::rule(
                    path.key("id"),
                    format!(
                        "`{id}` is not a WA Tool id: use {ID_MIN} to {ID_MAX} letters, digits or `_`"
                    ),
                )
                .with_token(id),
            );
        }
        Some(id)
    }

    /// An array member with a count range; `what` names its items ("choices").
    #[allow(clippy::too_many_arguments)]
    fn array<'v>(
        &mut self,
        obj: &'v Map<String, Value>,
        path: &JsonPath,
        key: &str,
        required: bool,
        min: usize,
        max: usize,
        what: &str,
    ) -> Option<&'v Vec<Value>> {
        let p = path.key(key);
        match obj.get(key) {
            None => {
                if required {
                    self.missing(p);
                }
                None
            }
            Some(Value::Array(a)) => {
                if a.len() < min {
                    self.push(Problem::rule(
                        p,
                        format!("no {what}; the WA Tool needs at least {min}"),
                    ));
                } else if a.len() > max {
                    self.push(Problem::rule(
                        p,
                        format!("{} {what}, over the WA Tool limit of {max}", a.len()),
                    ));
                }
                Some(a)
            }
            Some(other) => {
                self.wrong_type(p, other, "an array");
                None
            }
        }
    }

    fn duplicate(
        &mut self,
        seen: &mut HashMap<String, JsonPath>,
        id: &str,
        path: JsonPath,
        scope: &str,
    ) {
        match seen.get(id) {
            Some(first) => {
                let msg =
                    format!("`{id}` is already the id at {first}; ids must be unique {scope}");
                self.push(Problem::rule(path, msg).with_token(id));
            }
            None => {
                seen.insert(id.to_string(), path);
            }
        }
    }

    fn lens(&mut self, doc: &Value) {
        let root = JsonPath::root();
        let Some(obj) = self.object(doc, &root) else {
            return;
        };
        self.unknown_keys(obj, &root, LENS_KEYS);
        if let Some(v) = self.text(obj, &root, "schemaVersion", true, usize::MAX)
            && v != SCHEMA_VERSION
        {
            self.push(Problem::rule(
                root.key("schemaVersion"),
                format!("`{v}` is not the WA Tool schema version {SCHEMA_VERSION}"),
            ));
        }
        self.text(obj, &root, "name", true, MAX_NAME);
        self.text(obj, &root, "description", false, MAX_LENS_DESCRIPTION);
        let Some(pillars) = self.array(obj, &root, "pillars", true, 1, MAX_PILLARS, "pillars")
        else {
            return;
        };
        let mut pillar_ids = HashMap::new();
        let mut question_ids = HashMap::new();
        for (i, p) in pillars.iter().enumerate() {
            let path = root.key("pillars").index(i);
            let Some(pobj) = self.object(p, &path) else {
                continue;
            };
            self.unknown_keys(pobj, &path, PILLAR_KEYS);
            if let Some(id) = self.id(pobj, &path) {
                self.duplicate(
                    &mut pillar_ids,
                    id,
                    path.key("id"),
                    "among the lens's pillars",
                );
            }
            self.text(pobj, &path, "name", true, MAX_NAME);
            let Some(questions) = self.array(
                pobj,
                &path,
                "questions",
                true,
                1,
                MAX_QUESTIONS_PER_PILLAR,
                "questions",
            ) else {
                continue;
            };
            for (j, q) in questions.iter().enumerate() {
                let qpath = path.key("questions").index(j);
                self.question(q, &qpath, &mut question_ids);
            }
        }
    }

    fn question(
        &mut self,
        q: &Value,
        path: &JsonPath,
        question_ids: &mut HashMap<String, JsonPath>,
    ) {
        let Some(obj) = self.object(q, path) else {
            return;
        };
        self.unknown_keys(obj, path, QUESTION_KEYS);
        if let Some(id) = self.id(obj, path) {
            self.duplicate(
                question_ids,
                id,
                path.key("id"),
                "among the lens's questions",
            );
        }
        self.text(obj, path, "title", true, MAX_TITLE);
        self.text(obj, path, "description", false, MAX_QUESTION_DESCRIPTION);
        if let Some(r) = obj.get("helpfulResource") {
            self.resource(r, &path.key("helpfulResource"));
        }
        let mut choice_ids: Vec<String> = Vec::new();
        if let Some(choices) = self.array(obj, path, "choices", true, 1, MAX_CHOICES, "choices") {
            let mut seen = HashMap::new();
            let mut nones = Vec::new();
            for (k, c) in choices.iter().enumerate() {
                let cpath = path.key("choices").index(k);
                if let Some(id) = self.choice(c, &cpath) {
                    if id.ends_with(NONE_SUFFIX) {
                        nones.push(id.to_string());
                    }
                    self.duplicate(&mut seen, id, cpath.key("id"), "within a question");
                    choice_ids.push(id.to_string());
                }
            }
            if nones.len() > 1 {
                self.push(Problem::rule(
                    path.key("choices"),
                    format!(
                        "{} \"None of these\" choices ({}); a question can have one",
                        nones.len(),
                        nones.join(", ")
                    ),
                ));
            }
        }
        if let Some(rules) = self.array(
            obj,
            path,
            "riskRules",
            true,
            1,
            MAX_RISK_RULES,
            "risk rules",
        ) {
            self.risk_rules(rules, &path.key("riskRules"), &choice_ids);
        }
    }

    /// Checks one choice; returns its id.
    fn choice<'v>(&mut self, c: &'v Value, path: &JsonPath) -> Option<&'v str> {
        let obj = self.object(c, path)?;
        self.unknown_keys(obj, path, CHOICE_KEYS);
        let id = self.id(obj, path);
        self.text(obj, path, "title", true, MAX_TITLE);
        self.text(obj, path, "description", false, MAX_CHOICE_DESCRIPTION);
        if let Some(r) = obj.get("helpfulResource") {
            self.resource(r, &path.key("helpfulResource"));
        }
        match obj.get("improvementPlan") {
            Some(r) => self.resource(r, &path.key("improvementPlan")),
            None if id.is_some_and(|i| i.ends_with(NONE_SUFFIX)) => {}
            None => self.push(Problem::rule(
                path.key("improvementPlan"),
                "missing; every choice needs an improvement plan except the \"None of these\" choice (id ending in `_no`)".into(),
            )),
        }
        if let Some(groups) = self.array(
            obj,
            path,
            "additionalResources",
            false,
            0,
            usize::MAX,
            "additional resources",
        ) {
            let mut types = HashSet::new();
            for (g, group) in groups.iter().enumerate() {
                let gpath = path.key("additionalResources").index(g);
                let Some(gobj) = self.object(group, &gpath) else {
                    continue;
                };
                self.unknown_keys(gobj, &gpath, ADDITIONAL_KEYS);
                if let Some(t) = self.text(gobj, &gpath, "type", true, usize::MAX) {
                    if !RESOURCE_TYPES.contains(&t) {
                        self.push(Problem::rule(
                            gpath.key("type"),
                            format!("`{t}` is not HELPFUL_RESOURCE or IMPROVEMENT_PLAN"),
                        ));
                    } else if !types.insert(t.to_string()) {
                        self.push(Problem::rule(
                            gpath.key("type"),
                            format!("a second {t} group; a choice can have one group of each type"),
                        ));
                    }
                }
                if let Some(content) = self.array(
                    gobj,
                    &gpath,
                    "content",
                    true,
                    1,
                    MAX_ADDITIONAL_PER_TYPE,
                    "resources",
                ) {
                    for (n, r) in content.iter().enumerate() {
                        self.resource(r, &gpath.key("content").index(n));
                    }
                }
            }
        }
        id
    }

    fn resource(&mut self, r: &Value, path: &JsonPath) {
        let Some(obj) = self.object(r, path) else {
            return;
        };
        self.unknown_keys(obj, path, RESOURCE_KEYS);
        self.text(obj, path, "displayText", true, MAX_DISPLAY_TEXT);
        self.text(obj, path, "url", false, usize::MAX);
    }

    fn risk_rules(&mut self, rules: &[Value], path: &JsonPath, choices: &[String]) {
        let mut default_at = None;
        for (r, rule) in rules.iter().enumerate() {
            let rpath = path.index(r);
            let Some(obj) = self.object(rule, &rpath) else {
                continue;
            };
            self.unknown_keys(obj, &rpath, RULE_KEYS);
            if let Some(risk) = self.text(obj, &rpath, "risk", true, usize::MAX)
                && !RISKS.contains(&risk)
            {
                self.push(Problem::rule(
                    rpath.key("risk"),
                    format!("`{risk}` is not HIGH_RISK, MEDIUM_RISK or NO_RISK"),
                ));
            }
            let Some(cond) = self.text(obj, &rpath, "condition", true, usize::MAX) else {
                continue;
            };
            let cpath = rpath.key("condition");
            match Condition::parse(cond) {
                Ok(Condition::Default) => {
                    if default_at.is_none() {
                        default_at = Some(r);
                    }
                    if r + 1 != rules.len() {
                        self.push(Problem::rule(
                            cpath,
                            "`default` is not the last rule, so the rules after it never apply"
                                .into(),
                        ));
                    }
                }
                Ok(c) => {
                    let mut named = HashSet::new();
                    for choice in c.choices() {
                        if !choices.iter().any(|x| x == choice) && named.insert(choice) {
                            self.push(
                                Problem::rule(
                                    cpath.clone(),
                                    format!(
                                        "names `{choice}`, which is not a choice of this question"
                                    ),
                                )
                                .with_token(choice),
                            );
                        }
                    }
                }
                Err(e) => self.push(Problem::rule(cpath, format!("does not parse: {e}"))),
            }
        }
        if default_at.is_none() && !rules.is_empty() {
            self.push(Problem::rule(
                path.clone(),
                "no `default` rule; the WA Tool needs one, as the last rule".into(),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn minimal() -> Value {
        json!({
            "schemaVersion": "2021-11-01", "name": "L", "description": "d",
            "pillars": [{ "id": "pil", "name": "P", "questions": [{
                "id": "q01", "title": "Q?", "description": "d",
                "choices": [
                    { "id": "q01_a", "title": "A", "improvementPlan": { "displayText": "do A" } },
                    { "id": "q01_no", "title": "None of these" }
                ],
                "riskRules": [
                    { "condition": "q01_a", "risk": "NO_RISK" },
                    { "condition": "default", "risk": "HIGH_RISK" }
                ]
            }]}]
        })
    }

    #[test]
    fn minimal_lens_is_clean() {
        assert_eq!(check_wa_json(&minimal()), vec![]);
    }

    #[test]
    fn ids_and_rules() {
        assert!(is_wa_id("abc_1"));
        assert!(!is_wa_id("ab"));
        assert!(!is_wa_id("a-b-c"));
        let mut v = minimal();
        v["pillars"][0]["questions"][0]["riskRules"][1]["condition"] = json!("q01_b");
        let p = check_wa_json(&v);
        let msgs: Vec<String> = p
            .iter()
            .map(|p| format!("{}: {}", p.path, p.message))
            .collect();
        assert!(msgs.contains(&"pillars[0].questions[0].riskRules[1].condition: names `q01_b`, which is not a choice of this question".to_string()), "{msgs:?}");
        assert!(msgs.contains(&"pillars[0].questions[0].riskRules: no `default` rule; the WA Tool needs one, as the last rule".to_string()), "{msgs:?}");
    }
}
