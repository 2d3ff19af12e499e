//! WA Tool custom-lens JSON -> the lens model.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use serde_json::{Map, Value};

use super::carry::{CARRY_KEY, Carried};
use super::import_fields::{
    additional, finish_extra, keep_unknown, opt_text, req_string, resource, rules, sanitize,
};
use super::jsonpos::Positions;
use super::limits::{self, CHOICE_KEYS, LENS_KEYS, PILLAR_KEYS, ProblemKind, QUESTION_KEYS};
use super::{JsonPath, WA_ID, WA_SOURCE, type_name};
use crate::diag::Diagnostic;
use crate::lens::{BestPractice, Extra, Lens, Pillar, Question, Resource};

/// Options for [`import_json_with`].
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// The wa-docs lens id (a lowercase slug); by default derived from the lens name. Every
    /// pillar, question and best-practice id is prefixed with it.
    pub lens_id: Option<String>,
    /// Import `NaN` and `Infinity` (not JSON, but written by spreadsheet exports for empty
    /// cells) as empty text, with a warning each, instead of refusing the file.
    pub lenient: bool,
    /// The project's copies of its lenses (current and earlier versions): a wa-docs export too
    /// big to carry its texts whole carries them by hash, and import restores each from the
    /// copy of the lens that holds it (see [`super::carry`]).
    pub project: std::sync::Arc<Vec<Lens>>,
}

/// Tokens some JSON writers emit that JSON has no place for, with what they usually mean.
const NOT_JSON: &[(&str, &str)] = &[
    ("-Infinity", "a spreadsheet formula's overflow"),
    ("Infinity", "a spreadsheet formula's overflow"),
    (
        "NaN",
        "what spreadsheet and pandas exports write for an empty cell",
    ),
];

/// Finds `NaN`/`Infinity` values outside strings and returns them with a copy of `text` in
/// which each is replaced by `""` padded to the same length, so offsets stay those of `text`.
fn patch_not_json(text: &str) -> (Vec<(usize, &'static str)>, Option<String>) {
    let b = text.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'"' => {
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
            }
            b'N' | b'I' | b'-' => {
                let boundary = |j: usize| b.get(j).is_none_or(|c| !c.is_ascii_alphanumeric());
                match NOT_JSON
                    .iter()
                    .find(|(t, _)| b[i..].starts_with(t.as_bytes()) && boundary(i + t.len()))
                {
                    Some((t, _)) if i == 0 || boundary(i - 1) => {
                        found.push((i, *t));
                        i += t.len();
                    }
                    _ => i += 1,
                }
            }
            _ => i += 1,
        }
    }
    if found.is_empty() {
        return (found, None);
    }
    let mut patched = String::with_capacity(text.len());
    let mut last = 0;
    for &(at, t) in &found {
        patched.push_str(&text[last..at]);
        patched.push_str("\"\"");
        patched.push_str(&" ".repeat(t.len() - 2));
        last = at + t.len();
    }
    patched.push_str(&text[last..]);
    (found, Some(patched))
}

/// Imports a custom-lens JSON document. `file` names it in diagnostics. Returns the lens and
/// warnings (each message starts with the JSON path), or every problem when the JSON cannot be
/// read or has no structure wa-docs can show (no pillars, a question without choices...).
pub fn import_json(text: &str, file: &Path) -> Result<(Lens, Vec<Diagnostic>), Vec<Diagnostic>> {
    import_json_with(text, file, &ImportOptions::default())
}

/// [`import_json`] with options.
pub fn import_json_with(
    text: &str,
    file: &Path,
    opts: &ImportOptions,
) -> Result<(Lens, Vec<Diagnostic>), Vec<Diagnostic>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let (not_json, patched) = patch_not_json(text);
    let doc: Value = match serde_json::from_str(patched.as_deref().unwrap_or(text)) {
        Ok(v) => v,
        Err(e) => {
            let msg = e.to_string();
            let msg = match msg.find(" at line ") {
                Some(i) => msg[..i].to_string(),
                None => msg,
            };
            let d = Diagnostic::error(format!("not valid JSON: {msg}"))
                .with_hint("a custom lens is one JSON object; check the syntax at this position");
            let d = if e.line() > 0 {
                d.at_line_col(file, text, e.line(), e.column())
            } else {
                d.in_file(file)
            };
            return Err(vec![d]);
        }
    };
    let pos = Positions::scan(patched.as_deref().unwrap_or(text));
    if !not_json.is_empty() {
        let paths = pos.paths_by_offset();
        let mut errors = Vec::new();
        let mut early = Vec::new();
        let listed = crate::diag::MAX_PER_FILE;
        for &(offset, token) in not_json.iter().take(listed) {
            let meaning = NOT_JSON
                .iter()
                .find(|(t, _)| *t == token)
                .map_or("", |m| m.1);
            let path = paths
                .get(&offset)
                .map_or("(a value)".to_string(), |p| p.to_string());
            let d = if opts.lenient {
                Diagnostic::warning(format!("{path}: `{token}` is not JSON; imported as empty"))
                    .with_hint("fill it in before `wa-docs lens export`, which refuses empty text")
            } else {
                Diagnostic::error(format!("{path}: `{token}` is not JSON")).with_hint(format!(
                    "it is {meaning}; write the value, or import with --lenient to take each \
                     such value as empty text"
                ))
            };
            let d = d.at(file, text, offset, token.len());
            if opts.lenient {
                early.push(d);
            } else {
                errors.push(d);
            }
        }
        let more = not_json.len().saturating_sub(listed);
        let more = match opts.lenient {
            true => crate::diag::Overflow {
                errors: 0,
                warnings: more,
            },
            false => crate::diag::Overflow {
                errors: more,
                warnings: 0,
            },
        };
        if !errors.is_empty() {
            errors.extend(more.summary(file));
            return Err(errors);
        }
        early.extend(more.summary(file));
        return import_parsed(text, file, opts, &doc, &pos, early);
    }
    import_parsed(text, file, opts, &doc, &pos, Vec::new())
}

/// The import proper, once the text is parsed; `early` holds warnings found on the way.
fn import_parsed(
    text: &str,
    file: &Path,
    opts: &ImportOptions,
    doc: &Value,
    pos: &Positions,
    early: Vec<Diagnostic>,
) -> Result<(Lens, Vec<Diagnostic>), Vec<Diagnostic>> {
    let at = |d: Diagnostic, path: &JsonPath, key: bool| {
        let span = if key {
            pos.locate_key(path)
        } else {
            pos.locate(path)
        };
        d.at(file, text, span.offset, span.len)
    };
    let problems = limits::check_wa_json(doc);
    let mut early = early;
    if let Some(p) = limits::check_size(text.len()) {
        early.push(Diagnostic::warning(p.message).in_file(file));
    }
    for (path, span) in &pos.duplicates {
        early.push(
            Diagnostic::warning(format!(
                "{path}: the key appears more than once in its object; only the last value is kept"
            ))
            .with_hint(
                "JSON readers, the WA Tool's included, keep one value per key: remove the others",
            )
            .at(file, text, span.offset, span.len),
        );
    }
    let stem = file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut imp = Importer::new(stem);
    let lens = imp.lens(doc, opts, file);
    // What the importer did about a problem is added to the problem's own warning.
    let carry_path = JsonPath::root().key(CARRY_KEY);
    let mut items: Vec<(JsonPath, String, bool)> = problems
        .iter()
        .filter(|p| !(imp.carried.is_some() && p.path == carry_path))
        .map(|p| {
            let key = p.kind == ProblemKind::Unknown;
            (p.path.clone(), p.message.clone(), key)
        })
        .collect();
    for (path, short, alone) in &imp.notes {
        match items.iter_mut().find(|(p, _, key)| p == path && !key) {
            Some((_, msg, _)) => {
                msg.push_str("; ");
                msg.push_str(short);
            }
            None => items.push((path.clone(), alone.clone(), false)),
        }
    }
    // Locating a problem costs time in the file's size: past the per-file limit, count them.
    let listed = crate::diag::MAX_PER_FILE;
    let mut warnings: Vec<Diagnostic> = items
        .iter()
        .take(listed)
        .map(|(path, msg, key)| at(Diagnostic::warning(format!("{path}: {msg}")), path, *key))
        .collect();
    let more = crate::diag::Overflow {
        errors: 0,
        warnings: items.len().saturating_sub(listed),
    };
    warnings.extend(more.summary(file));
    warnings.extend(early);
    let sort = |v: &mut Vec<Diagnostic>| {
        v.sort_by_key(|d| d.location.as_ref().map_or(0, |l| l.offset));
    };
    sort(&mut warnings);
    match lens {
        Some(lens) if imp.errors.is_empty() => Ok((lens, warnings)),
        _ => {
            let mut errors: Vec<Diagnostic> = imp
                .errors
                .iter()
                .take(listed)
                .map(|(path, msg)| at(Diagnostic::error(format!("{path}: {msg}")), path, false))
                .collect();
            let more = crate::diag::Overflow {
                errors: imp.errors.len().saturating_sub(listed),
                warnings: 0,
            };
            errors.extend(more.summary(file));
            sort(&mut errors);
            errors.extend(warnings);
            Err(errors)
        }
    }
}

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

/// Imports a parsed document without diagnostics (export checks what its JSON gives back).
pub(super) fn import_value(doc: &Value, opts: &ImportOptions) -> Option<Lens> {
    let mut imp = Importer::new("lens".into());
    imp.lens(doc, opts, Path::new("lens.json"))
        .filter(|_| imp.errors.is_empty())
}

struct Importer {
    lens_id: String,
    /// What a wa-docs export carried (`_wa_docs`): ids come from it, fields are restored.
    carried: Option<Carried>,
    /// Lowercased ids already given out (URLs are derived from lowercased ids).
    used: HashSet<String>,
    /// (path, note added to a problem at the same path, note on its own).
    notes: Vec<(JsonPath, String, String)>,
    errors: Vec<(JsonPath, String)>,
    stem: String,
}

impl Importer {
    fn new(stem: String) -> Importer {
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

    fn lens(&mut self, doc: &Value, opts: &ImportOptions, file: &Path) -> Option<Lens> {
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
        if let Some(raw) = obj.get(CARRY_KEY) {
            match Carried::read(raw) {
                Ok(c) => {
                    extra.remove(CARRY_KEY);
                    self.carried = Some(c);
                }
                Err(why) => self.note(
                    root.key(CARRY_KEY),
                    format!(
                        "what a wa-docs export carries, but not readable ({why}); kept as written \
                         under `extra`, and ids and fields it would restore are derived as for \
                         any WA Tool file"
                    ),
                ),
            }
        }
        let stem = self.stem.clone();
        let name = req_string(obj, "name", &mut extra, &mut absent, || stem.clone());
        let description = opt_text(obj, "description", &mut extra, true);
        let schema_version = match obj.get("schemaVersion") {
            Some(Value::String(s)) => Some(s.clone()),
            Some(v) => {
                extra.insert("schemaVersion".into(), v.clone());
                None
            }
            None => {
                absent.push("schemaVersion");
                None
            }
        };
        let carried_id = self.carried.as_ref().map(|c| c.id.clone());
        self.lens_id = opts
            .lens_id
            .clone()
            .filter(|s| !s.is_empty())
            .or(carried_id)
            .unwrap_or_else(|| {
                [lens_slug(&name), lens_slug(&self.stem)]
                    .into_iter()
                    .find(|s| !s.is_empty())
                    .unwrap_or_else(|| "imported-lens".into())
            });
        self.used.insert(self.lens_id.to_ascii_lowercase());
        let ppath = root.key("pillars");
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
        let pillars: Vec<Pillar> = pillars
            .iter()
            .enumerate()
            .filter_map(|(i, p)| self.pillar(&ppath.index(i), i, p))
            .collect();
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
            let restored = c.apply(&mut lens, &opts.project);
            let failed = restored.failed;
            if restored.missed > 0 {
                let n = restored.missed;
                let version = c
                    .version()
                    .map_or(String::new(), |v| format!(" version {v}"));
                let mut copies: Vec<&str> = opts
                    .project
                    .iter()
                    .filter(|l| l.id == c.id)
                    .map(|l| l.version.as_deref().unwrap_or("(no version)"))
                    .collect();
                copies.dedup();
                let why = if copies.is_empty() {
                    format!(
                        "the project has no lens `{}` (import with --root naming the project \
                         it was exported from)",
                        c.id
                    )
                } else {
                    format!(
                        "the project's lens `{}` (version {}) and its lens history hold other text \
                         for them",
                        c.id,
                        copies.join(", ")
                    )
                };
                self.note(
                    root.key(CARRY_KEY),
                    format!(
                        "lens {}{version}: {n} text field{} carried by reference could not be \
                         restored from the project's copy: {why}; {} the WA Tool's plain text",
                        c.id,
                        if n == 1 { "" } else { "s" },
                        if n == 1 { "it keeps" } else { "they keep" },
                    ),
                );
            }
            if !failed.is_empty() {
                self.note(
                    root.key(CARRY_KEY),
                    format!(
                        "the fields carried for {} do not fit the lens model; those objects \
                         keep what the WA Tool JSON gives",
                        failed.join(", ")
                    ),
                );
            }
        }
        Some(lens)
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
