//! Building the lens model from a parsed WA Tool document: global ids from the WA Tool's
//! scoped ones (or from what a wa-docs export carried), and each object's fields.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use serde_json::{Map, Value};

use super::carry::{CARRY_KEY, Carried};
use super::import_fields::{
    additional, finish_extra, keep_unknown, opt_text, req_string, resource, rules, sanitize,
};
use super::import_restore::restore;
use super::limits::{CHOICE_KEYS, LENS_KEYS, PILLAR_KEYS, QUESTION_KEYS};
use super::{JsonPath, WA_ID, WA_SOURCE, type_name};
use crate::lens::{BestPractice, Extra, Lens, Pillar, Question, Resource};

/// A lowercase slug of whole words, at most 40 characters (`Amazon ECS Lens` ->
/// `amazon-ecs-lens`). It prefixes every id of the lens, so it is kept short.
pub fn lens_slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_matches('-');
    if out.len() <= 40 {
        return out.to_string();
    }
    match out[..41].rfind('-') {
        Some(cut) if cut > 0 => out[..cut].to_string(),
        _ => out[..40].to_string(),
    }
}

/// Reads one document into the lens model, collecting what it kept aside and what it could not
/// read (the caller turns both into located diagnostics).
pub(super) struct Importer {
    lens_id: String,
    /// What a wa-docs export carried (`_wa_docs`): ids come from it, fields are restored.
    pub(super) carried: Option<Carried>,
    /// Lowercased ids already given out (URLs are derived from lowercased ids).
    used: HashSet<String>,
    /// (path, note added to a problem at the same path, note on its own).
    pub(super) notes: Vec<(JsonPath, String, String)>,
    pub(super) errors: Vec<(JsonPath, String)>,
    stem: String,
}

impl Importer {
    pub(super) fn new(stem: String) -> Importer {
        Importer {
            lens_id: String::new(),
            carried: None,
            used: HashSet::new(),
            notes: Vec::new(),
            errors: Vec::new(),
            stem,
        }
    }

    /// The id of an object at WA Tool path `scope` (`P`, `P/Q`, `P/Q/C`) with WA Tool id `wa`:
    /// from what a wa-docs export carried, else global (`<lens>-<parts...>`).
    fn object_id(&mut self, scope: &str, wa: &str, parts: &[&str]) -> String {
        if let Some(c) = &self.carried {
            let id = c.id_for(scope, wa);
            if !id.is_empty() && self.used.insert(id.to_ascii_lowercase()) {
                return id;
            }
        }
        self.global_id(parts)
    }

    fn fatal(&mut self, path: JsonPath, msg: impl Into<String>) {
        self.errors.push((path, msg.into()));
    }

    fn note(&mut self, path: JsonPath, msg: impl Into<String>) {
        let msg = msg.into();
        self.notes.push((path, msg.clone(), msg));
    }

    /// A global id `<lens>-<parts...>`, unique (case-insensitively) and at most 128 characters.
    fn global_id(&mut self, parts: &[&str]) -> String {
        let mut base = self.lens_id.clone();
        for p in parts {
            base.push('-');
            base.push_str(&sanitize(p));
        }
        if base.len() > 120 {
            base.truncate(120);
        }
        let mut id = base.clone();
        let mut n = 2;
        while !self.used.insert(id.to_ascii_lowercase()) {
            id = format!("{base}-{n}");
            n += 1;
        }
        id
    }

    /// The WA Tool id of an object; records it (and any oddity) in `extra`.
    fn wa_id(
        &mut self,
        obj: &Map<String, Value>,
        extra: &mut Extra,
        absent: &mut Vec<&'static str>,
        fallback: String,
    ) -> String {
        let present = obj.contains_key("id");
        let id = req_string(obj, "id", extra, absent, || fallback);
        if present && self.carried.is_none() {
            extra.insert(WA_ID.into(), Value::String(id.clone()));
        }
        id
    }

    /// The lens of `doc`; `lens_id` is the one asked for, `project` the copies of the lens that
    /// texts carried by reference are restored from. `None` when it has no structure to show.
    pub(super) fn lens(
        &mut self,
        doc: &Value,
        lens_id: Option<&str>,
        project: &[Lens],
        file: &Path,
    ) -> Option<Lens> {
        let root = JsonPath::root();
        let Some(obj) = doc.as_object() else {
            self.fatal(
                root,
                format!(
                    "the file holds a JSON {}, not a custom-lens object",
                    type_name(doc)
                ),
            );
            return None;
        };
        let mut extra = Extra::new();
        let mut absent = Vec::new();
        keep_unknown(obj, LENS_KEYS, &mut extra);
        self.read_carried(obj, &mut extra);
        let stem = self.stem.clone();
        let name = req_string(obj, "name", &mut extra, &mut absent, || stem.clone());
        let description = opt_text(obj, "description", &mut extra, true);
        let schema_version = schema_version(obj, &mut extra, &mut absent);
        self.choose_lens_id(lens_id, &name);
        let pillars = self.pillars(obj)?;
        if self.carried.is_none() {
            let source = file
                .file_name()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            extra.insert(WA_SOURCE.into(), Value::String(source));
        }
        finish_extra(&mut extra, absent);
        let mut lens = Lens {
            id: self.lens_id.clone(),
            name,
            version: None,
            description,
            schema_version,
            phases: Vec::new(),
            pillars,
            extra,
        };
        if let Some(c) = &self.carried {
            for msg in restore(c, &mut lens, project) {
                self.note(root.key(CARRY_KEY), msg);
            }
        }
        Some(lens)
    }

    /// Takes what a wa-docs export carried, when this wa-docs reads it; else keeps it as written.
    fn read_carried(&mut self, obj: &Map<String, Value>, extra: &mut Extra) {
        let Some(raw) = obj.get(CARRY_KEY) else {
            return;
        };
        match Carried::read(raw) {
            Ok(c) => {
                extra.remove(CARRY_KEY);
                self.carried = Some(c);
            }
            Err(why) => self.note(
                JsonPath::root().key(CARRY_KEY),
                format!(
                    "what a wa-docs export carries, but not readable ({why}); kept as written \
                     under `extra`, and ids and fields it would restore are derived as for \
                     any WA Tool file"
                ),
            ),
        }
    }

    /// The lens id: the one asked for, else the carried one, else a slug of the name or file.
    fn choose_lens_id(&mut self, asked: Option<&str>, name: &str) {
        let carried_id = self.carried.as_ref().map(|c| c.id.clone());
        self.lens_id = asked
            .filter(|s| !s.is_empty())
            .map(String::from)
            .or(carried_id)
            .unwrap_or_else(|| {
                [lens_slug(name), lens_slug(&self.stem)]
                    .into_iter()
                    .find(|s| !s.is_empty())
                    .unwrap_or_else(|| "imported-lens".into())
            });
        self.used.insert(self.lens_id.to_ascii_lowercase());
    }

    /// The lens's pillars; `None` (with an error) when there are none to show.
    fn pillars(&mut self, obj: &Map<String, Value>) -> Option<Vec<Pillar>> {
        let ppath = JsonPath::root().key("pillars");
        let pillars = match obj.get("pillars") {
            Some(Value::Array(a)) if !a.is_empty() => a,
            Some(Value::Array(_)) => {
                self.fatal(
                    ppath,
                    "no pillars; wa-docs needs at least one to show the lens",
                );
                return None;
            }
            Some(v) => {
                self.fatal(
                    ppath,
                    format!("a {}, not an array of pillars", type_name(v)),
                );
                return None;
            }
            None => {
                self.fatal(ppath, "missing; a lens needs pillars");
                return None;
            }
        };
        Some(
            pillars
                .iter()
                .enumerate()
                .filter_map(|(i, p)| self.pillar(&ppath.index(i), i, p))
                .collect(),
        )
    }

    fn pillar(&mut self, path: &JsonPath, i: usize, v: &Value) -> Option<Pillar> {
        let Some(obj) = v.as_object() else {
            self.fatal(
                path.clone(),
                format!("a {}, not a pillar object", type_name(v)),
            );
            return None;
        };
        let mut extra = Extra::new();
        let mut absent = Vec::new();
        keep_unknown(obj, PILLAR_KEYS, &mut extra);
        let wa = self.wa_id(obj, &mut extra, &mut absent, format!("pillar{}", i + 1));
        let id = self.object_id(&wa, &wa, &[&wa]);
        let name = req_string(obj, "name", &mut extra, &mut absent, || wa.clone());
        let qpath = path.key("questions");
        let questions = match obj.get("questions") {
            Some(Value::Array(a)) => a
                .iter()
                .enumerate()
                .filter_map(|(j, q)| self.question(&qpath.index(j), j, &wa, q))
                .collect(),
            Some(other) => {
                extra.insert("questions".into(), other.clone());
                self.note(
                    qpath,
                    "kept as written under `extra`; the site shows no questions for this pillar",
                );
                Vec::new()
            }
            None => {
                absent.push("questions");
                Vec::new()
            }
        };
        finish_extra(&mut extra, absent);
        Some(Pillar {
            id,
            name,
            previous_ids: Vec::new(),
            description: String::new(),
            questions,
            extra,
        })
    }

    fn question(
        &mut self,
        path: &JsonPath,
        j: usize,
        pillar_wa: &str,
        v: &Value,
    ) -> Option<Question> {
        let Some(obj) = v.as_object() else {
            self.fatal(
                path.clone(),
                format!("a {}, not a question object", type_name(v)),
            );
            return None;
        };
        let mut extra = Extra::new();
        let mut absent = Vec::new();
        keep_unknown(obj, QUESTION_KEYS, &mut extra);
        let wa = self.wa_id(obj, &mut extra, &mut absent, format!("question{}", j + 1));
        let scope = format!("{pillar_wa}/{wa}");
        let id = self.object_id(&scope, &wa, &[&wa]);
        let title = req_string(obj, "title", &mut extra, &mut absent, || wa.clone());
        let description = opt_text(obj, "description", &mut extra, true);
        let helpful_resource = self.opt_resource(obj, "helpfulResource", &mut extra, false);
        let cpath = path.key("choices");
        let choices = match obj.get("choices") {
            Some(Value::Array(a)) if !a.is_empty() => a,
            Some(Value::Array(_)) => {
                self.fatal(
                    cpath,
                    "no choices; wa-docs needs at least one best practice per question",
                );
                return None;
            }
            Some(v) => {
                self.fatal(
                    cpath,
                    format!("a {}, not an array of choices", type_name(v)),
                );
                return None;
            }
            None => {
                self.fatal(
                    cpath,
                    "missing; wa-docs needs at least one best practice per question",
                );
                return None;
            }
        };
        let mut best_practices = Vec::new();
        let mut by_wa: HashMap<String, String> = HashMap::new();
        for (k, c) in choices.iter().enumerate() {
            if let Some((cwa, bp)) = self.choice(&cpath.index(k), k, &scope, &wa, c) {
                by_wa.entry(cwa).or_insert_with(|| bp.id.clone());
                best_practices.push(bp);
            }
        }
        let rpath = path.key("riskRules");
        let risk_rules = match obj.get("riskRules") {
            None => {
                absent.push("riskRules");
                Vec::new()
            }
            Some(raw) => match rules(raw, &by_wa) {
                Ok(r) => r,
                Err(why) => {
                    extra.insert("riskRules".into(), raw.clone());
                    self.notes.push((
                        rpath,
                        "kept as written under `extra`, so the site does not show these rules"
                            .into(),
                        format!(
                            "kept as written under `extra` ({why}), so the site does not show these rules"
                        ),
                    ));
                    Vec::new()
                }
            },
        };
        finish_extra(&mut extra, absent);
        Some(Question {
            id,
            title,
            description,
            phase: None,
            previous_ids: Vec::new(),
            helpful_resource,
            best_practices,
            risk_rules,
            extra,
        })
    }

    fn choice(
        &mut self,
        path: &JsonPath,
        k: usize,
        question_scope: &str,
        question_wa: &str,
        v: &Value,
    ) -> Option<(String, BestPractice)> {
        let Some(obj) = v.as_object() else {
            self.fatal(
                path.clone(),
                format!("a {}, not a choice object", type_name(v)),
            );
            return None;
        };
        let mut extra = Extra::new();
        let mut absent = Vec::new();
        keep_unknown(obj, CHOICE_KEYS, &mut extra);
        let wa = self.wa_id(obj, &mut extra, &mut absent, format!("choice{}", k + 1));
        let scope = format!("{question_scope}/{wa}");
        let id = self.object_id(&scope, &wa, &[question_wa, &wa]);
        let title = req_string(obj, "title", &mut extra, &mut absent, || wa.clone());
        let description = opt_text(obj, "description", &mut extra, true);
        let helpful_resource = self.opt_resource(obj, "helpfulResource", &mut extra, false);
        let improvement_plan = self.opt_resource(obj, "improvementPlan", &mut extra, true);
        let additional_resources = match obj.get("additionalResources") {
            None => Vec::new(),
            Some(raw) => match additional(raw) {
                Some(a) => a,
                None => {
                    extra.insert("additionalResources".into(), raw.clone());
                    self.note(
                        path.key("additionalResources"),
                        "kept as written under `extra`; the site does not show these resources",
                    );
                    Vec::new()
                }
            },
        };
        finish_extra(&mut extra, absent);
        Some((
            wa,
            BestPractice {
                id,
                title,
                risk: None,
                description,
                implementation: String::new(),
                helpful_resource,
                improvement_plan,
                additional_resources,
                dimensions: Vec::new(),
                related: Vec::new(),
                previous_ids: Vec::new(),
                general: false,
                extra,
            },
        ))
    }

    fn opt_resource(
        &mut self,
        obj: &Map<String, Value>,
        key: &str,
        extra: &mut Extra,
        md: bool,
    ) -> Option<Resource> {
        match obj.get(key)? {
            Value::Object(r) => Some(resource(r, md)),
            other => {
                extra.insert(key.into(), other.clone());
                None
            }
        }
    }
}

/// `schemaVersion` when it is a string; another value is kept as written under `extra`.
fn schema_version(
    obj: &Map<String, Value>,
    extra: &mut Extra,
    absent: &mut Vec<&'static str>,
) -> Option<String> {
    match obj.get("schemaVersion") {
        Some(Value::String(s)) => Some(s.clone()),
        Some(v) => {
            extra.insert("schemaVersion".into(), v.clone());
            None
        }
        None => {
            absent.push("schemaVersion");
            None
        }
    }
}
