//! The lens model -> WA Tool custom-lens JSON, refusing what the WA Tool would reject.

use std::collections::{BTreeSet, HashMap};

use serde::Serialize;
use serde_json::Value;

use super::carry::{CARRY_KEY, FORMAT, from_wa_id};
use super::limits::{self, Problem, ProblemKind, SCHEMA_VERSION};
use super::locate::locate;
use super::text::{markdown_to_plain, unescape_plain};
use super::{
    JsonPath, WA_ABSENT, WA_CONDITION, WA_ID, WA_KEY_PREFIX, WA_PREFIX, WA_SOURCE, rewrite_ids,
    wa_id_of,
};
use crate::diag::Diagnostic;
use crate::lens::{
    AdditionalResources, BestPractice, Extra, Lens, LensFile, Pillar, Question, Resource,
    ResourceKind, RiskRule, RuleRisk,
};

/// The WA Tool JSON for a lens, or every problem (errors, and the warnings found with them),
/// each at the YAML file:line:col of the value concerned.
pub fn export_json(lf: &LensFile) -> Result<String, Vec<Diagnostic>> {
    export_json_with_warnings(lf).map(|(json, _)| json)
}

/// [`export_json`], also returning warnings: values kept as written from an imported file that
/// break a WA Tool rule (the WA Tool had accepted them), and wa-docs content the format has no
/// place for.
pub fn export_json_with_warnings(
    lf: &LensFile,
) -> Result<(String, Vec<Diagnostic>), Vec<Diagnostic>> {
    export_json_with(lf, &ExportOptions::default())
}

/// Options for [`export_json_with`].
#[derive(Debug, Clone, Default)]
pub struct ExportOptions {
    /// Shorten texts over the WA Tool's length limits (at a word, ending in `…`) instead of
    /// refusing the lens; every cut is reported as a warning. Values kept as written from an
    /// imported file are never changed.
    pub truncate: bool,
}

/// [`export_json_with_warnings`] with options.
pub fn export_json_with(
    lf: &LensFile,
    opts: &ExportOptions,
) -> Result<(String, Vec<Diagnostic>), Vec<Diagnostic>> {
    let mut ex = Exporter {
        lens: &lf.lens,
        verbatim: Vec::new(),
        dropped: BTreeSet::new(),
        truncate: opts.truncate,
        cuts: Vec::new(),
    };
    let mut doc = ex.lens();
    let authored = !is_imported(&lf.lens.extra);
    if authored {
        carry(&lf.lens, &mut doc);
    }
    let value = serde_json::to_value(&doc).unwrap_or(Value::Null);
    let mut problems = limits::check_wa_json(&value);
    let mut json = fitting(&mut doc, authored);
    problems.extend(limits::check_size(json.len()));
    json.push('\n');
    let src = &lf.source;
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    // Locating a problem searches the YAML, so past the per-file limit they are only counted.
    let mut overflow = crate::diag::Overflow::default();
    for p in &problems {
        if p.kind == ProblemKind::Unknown {
            continue;
        }
        let kept = ex.verbatim.iter().any(|v| p.path.starts_with(v));
        if errors.len() + warnings.len() >= crate::diag::MAX_PER_FILE {
            if kept {
                overflow.warnings += 1;
            } else {
                overflow.errors += 1;
            }
            continue;
        }
        let (offset, len, label) = locate(lf, p);
        let mut hint = format!("in the WA Tool JSON: {}", p.path);
        if p.message.contains(" characters, over ") {
            hint.push_str("; lengths count the plain text the WA Tool shows (markdown removed)");
        }
        if kept {
            let d = Diagnostic::warning(format!(
                "{label}: {} (kept as written in the imported file)",
                p.message
            ))
            .with_hint(hint);
            warnings.push(d.at(&src.path, &src.text, offset, len));
        } else {
            let d = Diagnostic::error(format!("{label}: {}", p.message)).with_hint(hint);
            errors.push(d.at(&src.path, &src.text, offset, len));
        }
    }
    match overflow.summary(&src.path) {
        Some(d) if d.is_error() => errors.push(d),
        Some(d) => warnings.push(d),
        None => {}
    }
    for (path, from, to, max) in &ex.cuts {
        let p = Problem {
            path: path.clone(),
            message: String::new(),
            kind: ProblemKind::Rule,
            token: None,
        };
        let (offset, len, label) = locate(lf, &p);
        warnings.push(
            Diagnostic::warning(format!(
                "{label}: cut from {from} to {to} characters to fit the WA Tool limit of {max} (--truncate)"
            ))
            .with_hint(format!("in the WA Tool JSON: {path}"))
            .at(&src.path, &src.text, offset, len),
        );
    }
    let id_at = src.offset_of_value("id", &lf.lens.id);
    // An authored lens carries them (`_wa_docs`); an imported one has nowhere to put them.
    if !authored && !ex.dropped.is_empty() {
        let list: Vec<&str> = ex.dropped.iter().copied().collect();
        warnings.push(
            Diagnostic::warning(format!(
                "lens {}: not in the WA Tool JSON, which has no place for them: {}",
                lf.lens.id,
                list.join(", ")
            ))
            .with_hint("they stay in the wa-docs site")
            .at(&src.path, &src.text, id_at, lf.lens.id.len()),
        );
    }
    if let Some(v) = &lf.lens.version
        && v.chars().count() > limits::MAX_VERSION
    {
        let at = src.offset_of_value("version", v);
        warnings.push(
            Diagnostic::warning(format!(
                "lens {}: version `{v}` is longer than the {} characters the WA Tool allows when publishing a lens version",
                lf.lens.id,
                limits::MAX_VERSION
            ))
            .at(&src.path, &src.text, at, v.len()),
        );
    }
    if errors.is_empty() {
        Ok((json, warnings))
    } else {
        errors.extend(warnings);
        Err(errors)
    }
}

/// The document as JSON, as readable as fits the WA Tool's 500 KB: indented; else compact;
/// else (an authored lens) with the carried fields compressed; else with the carried texts by
/// reference ([`super::carry::reference`]), readable, then compressed. Each step is tried
/// indented, then compact.
fn fitting(doc: &mut J, authored: bool) -> String {
    use super::carry::{FORMAT_REFERENCED, OBJECTS_DEFLATE, compress, reference};
    let fits = |s: &String| s.len() <= limits::MAX_JSON_BYTES;
    let pretty = |d: &J| serde_json::to_string_pretty(d).unwrap_or_default();
    let compact = |d: &J| serde_json::to_string(d).unwrap_or_default();
    let best = |d: &J| {
        let json = pretty(d);
        if fits(&json) {
            Ok(json)
        } else {
            Err(compact(d))
        }
    };
    let json = match best(doc) {
        Ok(json) => return json,
        Err(json) if fits(&json) || !authored => return json,
        Err(json) => json,
    };
    let Some(Value::Object(objects)) = carry_block(doc).and_then(|b| b.remove("objects")) else {
        return json;
    };
    let steps: [(bool, bool); 3] = [(false, true), (true, false), (true, true)];
    let mut last = json;
    for (by_ref, compressed) in steps {
        let objects = if by_ref {
            reference(&objects)
        } else {
            objects.clone()
        };
        let Some(block) = carry_block(doc) else {
            return last;
        };
        block.remove("objects");
        block.remove(OBJECTS_DEFLATE);
        if by_ref {
            block.insert("format".into(), Value::from(FORMAT_REFERENCED));
        }
        if compressed {
            block.insert(
                OBJECTS_DEFLATE.into(),
                Value::String(compress(&Value::Object(objects))),
            );
        } else {
            block.insert("objects".into(), Value::Object(objects));
        }
        match best(doc) {
            Ok(json) => return json,
            Err(json) if fits(&json) => return json,
            Err(json) => last = json,
        }
    }
    last
}

/// The carried block of a document, its last key.
fn carry_block(doc: &mut J) -> Option<&mut serde_json::Map<String, Value>> {
    match doc {
        J::O(fields) => match fields.last_mut() {
            Some((k, J::V(Value::Object(block)))) if k == CARRY_KEY => Some(block),
            _ => None,
        },
        _ => None,
    }
}

/// Adds what import needs to give the lens back (see [`super::carry`]) as the document's last
/// key: the lens id, ids the id rule cannot give back, and every field an import of the plain
/// JSON would not restore, found by importing it.
fn carry(lens: &Lens, doc: &mut J) {
    let J::O(fields) = doc else {
        return;
    };
    let mut ids = serde_json::Map::new();
    let mut note = |scope: String, id: &str| {
        if from_wa_id(scope.rsplit('/').next().unwrap_or_default()) != id {
            ids.insert(scope, Value::String(id.to_string()));
        }
    };
    for p in &lens.pillars {
        let pw = wa_id_of(&p.id, &p.extra);
        note(pw.clone(), &p.id);
        for q in &p.questions {
            let qs = format!("{pw}/{}", wa_id_of(&q.id, &q.extra));
            note(qs.clone(), &q.id);
            for b in &q.best_practices {
                note(format!("{qs}/{}", wa_id_of(&b.id, &b.extra)), &b.id);
            }
        }
    }
    let mut block = serde_json::Map::new();
    block.insert("format".into(), Value::from(FORMAT));
    block.insert("id".into(), Value::String(lens.id.clone()));
    if !ids.is_empty() {
        block.insert("ids".into(), Value::Object(ids));
    }
    fields.retain(|(k, _)| k != CARRY_KEY);
    fields.push((CARRY_KEY.into(), J::V(Value::Object(block.clone()))));
    let plain = serde_json::to_value(&*doc).unwrap_or(Value::Null);
    let objects = match super::import::import_value(&plain, &Default::default()) {
        Some(derived) => super::carry::objects(lens, &derived),
        // The JSON does not import (the export will say why): carry every field.
        None => super::carry::objects(
            lens,
            &Lens {
                id: lens.id.clone(),
                name: String::new(),
                version: None,
                description: String::new(),
                schema_version: None,
                phases: Vec::new(),
                pillars: Vec::new(),
                extra: Extra::new(),
            },
        ),
    };
    if !objects.is_empty() {
        block.insert("objects".into(), Value::Object(objects));
    }
    if let J::O(fields) = doc
        && let Some(last) = fields.last_mut()
    {
        last.1 = J::V(Value::Object(block));
    }
}

/// The lens's WA Tool JSON when it is exportable, for the site to publish as `lens.json` beside
/// the lens page; `None` when the WA Tool would reject it.
pub fn lens_json_for_site(lf: &LensFile) -> Option<String> {
    export_json(lf).ok()
}

fn is_imported(extra: &Extra) -> bool {
    extra.contains_key(WA_ID) || extra.contains_key(WA_SOURCE)
}

/// JSON with keys in the order given (serde_json's own maps sort them).
enum J {
    V(Value),
    O(Vec<(String, J)>),
    A(Vec<J>),
}

impl Serialize for J {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{SerializeMap, SerializeSeq};
        match self {
            J::V(v) => v.serialize(s),
            J::O(fields) => {
                let mut m = s.serialize_map(Some(fields.len()))?;
                for (k, v) in fields {
                    m.serialize_entry(k, v)?;
                }
                m.end()
            }
            J::A(items) => {
                let mut q = s.serialize_seq(Some(items.len()))?;
                for i in items {
                    q.serialize_element(i)?;
                }
                q.end()
            }
        }
    }
}

fn s(text: &str) -> J {
    J::V(Value::String(text.to_string()))
}

/// One object being written: modelled keys first, in the format's order, then `extra`.
struct Obj<'e> {
    path: JsonPath,
    extra: &'e Extra,
    absent: Vec<String>,
    fields: Vec<(String, J)>,
}

impl<'e> Obj<'e> {
    fn new(path: JsonPath, extra: &'e Extra) -> Self {
        let absent = match extra.get(WA_ABSENT) {
            Some(Value::Array(a)) => a
                .iter()
                .filter_map(|v| v.as_str().map(String::from))
                .collect(),
            _ => Vec::new(),
        };
        Obj {
            path,
            extra,
            absent,
            fields: Vec::new(),
        }
    }
}

struct Exporter<'a> {
    lens: &'a Lens,
    /// Paths written as they were imported (kept under `extra`, or left out as they were).
    verbatim: Vec<JsonPath>,
    /// wa-docs content the WA Tool format cannot hold.
    dropped: BTreeSet<&'static str>,
    truncate: bool,
    /// Texts shortened: path, characters before and after, limit.
    cuts: Vec<(JsonPath, usize, usize, usize)>,
}

impl<'a> Exporter<'a> {
    /// Writes `key`: a value kept under `extra` wins, a key absent on import stays absent,
    /// else `make` gives the value (or `None` to leave the key out).
    fn field(&mut self, o: &mut Obj, key: &str, make: impl FnOnce(&mut Self) -> Option<J>) {
        if let Some(raw) = o.extra.get(key) {
            o.fields.push((key.to_string(), J::V(raw.clone())));
            self.verbatim.push(o.path.key(key));
        } else if o.absent.iter().any(|a| a == key) {
            self.verbatim.push(o.path.key(key));
        } else if let Some(v) = make(self) {
            o.fields.push((key.to_string(), v));
        }
    }

    fn finish(&mut self, mut o: Obj) -> J {
        for (k, v) in o.extra {
            let key = if let Some(orig) = k.strip_prefix(WA_KEY_PREFIX) {
                orig.to_string()
            } else if k.starts_with(WA_PREFIX) {
                continue;
            } else {
                k.clone()
            };
            if o.fields.iter().any(|(f, _)| *f == key) {
                continue;
            }
            self.verbatim.push(o.path.key(&key));
            o.fields.push((key, J::V(v.clone())));
        }
        J::O(o.fields)
    }

    /// With `--truncate`, `text` shortened to `max` characters (at a word, ending in `…`).
    fn fit(&mut self, path: JsonPath, text: String, max: usize) -> J {
        let n = text.chars().count();
        if !self.truncate || n <= max {
            return s(&text);
        }
        let keep: String = text.chars().take(max.saturating_sub(1)).collect();
        let cut = match keep.rfind(char::is_whitespace) {
            Some(at) if at > keep.len() * 4 / 5 => &keep[..at],
            _ => &keep,
        };
        let out = format!("{}…", cut.trim_end());
        self.cuts.push((path, n, out.chars().count(), max));
        s(&out)
    }

    /// Markdown field -> WA Tool text.
    fn text(&self, md: &str, imported: bool) -> String {
        if imported {
            unescape_plain(md)
        } else {
            let lens = self.lens;
            markdown_to_plain(md, &|id| title_in(lens, id))
        }
    }

    fn lens(&mut self) -> J {
        let lens = self.lens;
        let imported = is_imported(&lens.extra);
        let root = JsonPath::root();
        let mut o = Obj::new(root.clone(), &lens.extra);
        self.field(&mut o, "schemaVersion", |_| {
            Some(s(lens.schema_version.as_deref().unwrap_or(SCHEMA_VERSION)))
        });
        self.field(&mut o, "name", |ex| {
            Some(ex.fit(root.key("name"), lens.name.clone(), limits::MAX_NAME))
        });
        self.field(&mut o, "description", |ex| {
            let t = ex.text(&lens.description, imported);
            (!t.is_empty())
                .then(|| ex.fit(root.key("description"), t, limits::MAX_LENS_DESCRIPTION))
        });
        if !lens.phases.is_empty() {
            self.dropped.insert("phases");
        }
        self.field(&mut o, "pillars", |ex| {
            Some(J::A(
                lens.pillars
                    .iter()
                    .enumerate()
                    .map(|(i, p)| ex.pillar(&root.key("pillars").index(i), p))
                    .collect(),
            ))
        });
        self.finish(o)
    }

    fn pillar(&mut self, path: &JsonPath, p: &Pillar) -> J {
        let mut o = Obj::new(path.clone(), &p.extra);
        self.field(&mut o, "id", |_| Some(s(&wa_id_of(&p.id, &p.extra))));
        self.field(&mut o, "name", |ex| {
            Some(ex.fit(path.key("name"), p.name.clone(), limits::MAX_NAME))
        });
        if !p.description.is_empty() {
            self.dropped.insert("pillar descriptions");
        }
        if !p.previous_ids.is_empty() {
            self.dropped.insert("previous ids");
        }
        self.field(&mut o, "questions", |ex| {
            Some(J::A(
                p.questions
                    .iter()
                    .enumerate()
                    .map(|(j, q)| ex.question(&path.key("questions").index(j), q))
                    .collect(),
            ))
        });
        self.finish(o)
    }

    fn question(&mut self, path: &JsonPath, q: &Question) -> J {
        let imported = is_imported(&q.extra);
        let mut o = Obj::new(path.clone(), &q.extra);
        self.field(&mut o, "id", |_| Some(s(&wa_id_of(&q.id, &q.extra))));
        self.field(&mut o, "title", |ex| {
            Some(ex.fit(path.key("title"), q.title.clone(), limits::MAX_TITLE))
        });
        self.field(&mut o, "description", |ex| {
            let t = ex.text(&q.description, imported);
            (!t.is_empty())
                .then(|| ex.fit(path.key("description"), t, limits::MAX_QUESTION_DESCRIPTION))
        });
        if q.phase.is_some() {
            self.dropped.insert("phases");
        }
        if !q.previous_ids.is_empty() {
            self.dropped.insert("previous ids");
        }
        self.field(&mut o, "helpfulResource", |ex| {
            q.helpful_resource
                .as_ref()
                .map(|r| ex.resource(&path.key("helpfulResource"), r, None))
        });
        self.field(&mut o, "choices", |ex| {
            Some(J::A(
                q.best_practices
                    .iter()
                    .enumerate()
                    .map(|(k, b)| ex.choice(&path.key("choices").index(k), b))
                    .collect(),
            ))
        });
        self.field(&mut o, "riskRules", |ex| {
            if q.risk_rules.is_empty() {
                return None;
            }
            let to_wa: HashMap<&str, String> = q
                .best_practices
                .iter()
                .map(|b| (b.id.as_str(), wa_id_of(&b.id, &b.extra)))
                .collect();
            Some(J::A(
                q.risk_rules
                    .iter()
                    .enumerate()
                    .map(|(r, rule)| ex.rule(&path.key("riskRules").index(r), rule, &to_wa))
                    .collect(),
            ))
        });
        self.finish(o)
    }

    fn choice(&mut self, path: &JsonPath, b: &BestPractice) -> J {
        let imported = is_imported(&b.extra);
        let mut o = Obj::new(path.clone(), &b.extra);
        self.field(&mut o, "id", |_| Some(s(&wa_id_of(&b.id, &b.extra))));
        self.field(&mut o, "title", |ex| {
            Some(ex.fit(path.key("title"), b.title.clone(), limits::MAX_TITLE))
        });
        self.field(&mut o, "description", |ex| {
            let t = ex.text(&b.description, imported);
            (!t.is_empty())
                .then(|| ex.fit(path.key("description"), t, limits::MAX_CHOICE_DESCRIPTION))
        });
        let hpath = path.key("helpfulResource");
        self.field(&mut o, "helpfulResource", |ex| match &b.helpful_resource {
            Some(r) => {
                if !b.implementation.is_empty() {
                    ex.dropped.insert(
                        "implementation guidance of best practices that have a helpful resource",
                    );
                }
                Some(ex.resource(&hpath, r, None))
            }
            // The WA Tool shows a choice's helpful resource as its guidance: the closest field.
            None if !b.implementation.is_empty() => {
                let t = ex.text(&b.implementation, imported);
                let t = ex.fit(hpath.key("displayText"), t, limits::MAX_DISPLAY_TEXT);
                Some(J::O(vec![("displayText".into(), t)]))
            }
            None => None,
        });
        self.field(&mut o, "improvementPlan", |ex| {
            b.improvement_plan
                .as_ref()
                .map(|r| ex.resource(&path.key("improvementPlan"), r, Some(imported)))
        });
        self.field(&mut o, "additionalResources", |ex| {
            (!b.additional_resources.is_empty()).then(|| {
                J::A(
                    b.additional_resources
                        .iter()
                        .enumerate()
                        .map(|(g, a)| ex.additional(&path.key("additionalResources").index(g), a))
                        .collect(),
                )
            })
        });
        if b.risk.is_some() {
            self.dropped.insert("best-practice risk levels");
        }
        if !b.dimensions.is_empty() {
            self.dropped.insert("dimensions");
        }
        if !b.related.is_empty() {
            self.dropped.insert("related ids");
        }
        if !b.previous_ids.is_empty() {
            self.dropped.insert("previous ids");
        }
        if b.general {
            self.dropped.insert("`general` flags");
        }
        self.finish(o)
    }

    /// `md`: `Some(imported)` when the text is markdown in wa-docs.
    fn resource(&mut self, path: &JsonPath, r: &Resource, md: Option<bool>) -> J {
        let mut o = Obj::new(path.clone(), &r.extra);
        self.field(&mut o, "displayText", |ex| {
            let t = match md {
                Some(imported) => ex.text(&r.text, imported),
                None => r.text.clone(),
            };
            Some(ex.fit(path.key("displayText"), t, limits::MAX_DISPLAY_TEXT))
        });
        self.field(&mut o, "url", |_| r.url.as_deref().map(s));
        self.finish(o)
    }

    fn additional(&mut self, path: &JsonPath, a: &AdditionalResources) -> J {
        let mut o = Obj::new(path.clone(), &a.extra);
        self.field(&mut o, "type", |_| {
            Some(s(match a.kind {
                ResourceKind::Helpful => "HELPFUL_RESOURCE",
                ResourceKind::Improvement => "IMPROVEMENT_PLAN",
            }))
        });
        self.field(&mut o, "content", |ex| {
            Some(J::A(
                a.content
                    .iter()
                    .enumerate()
                    .map(|(n, r)| ex.resource(&path.key("content").index(n), r, None))
                    .collect(),
            ))
        });
        self.finish(o)
    }

    fn rule(&mut self, path: &JsonPath, rule: &RiskRule, to_wa: &HashMap<&str, String>) -> J {
        let mut o = Obj::new(path.clone(), &rule.extra);
        let (mapped, _) = rewrite_ids(&rule.condition, |t| to_wa.get(t).cloned());
        // The original text, when the rule is unchanged since import and rewriting would differ.
        let kept = match rule.extra.get(WA_CONDITION) {
            Some(Value::String(orig)) => {
                let from_wa: HashMap<&str, &str> =
                    to_wa.iter().map(|(k, v)| (v.as_str(), *k)).collect();
                let (forward, _) = rewrite_ids(orig, |t| from_wa.get(t).map(|x| x.to_string()));
                (forward == rule.condition).then(|| orig.clone())
            }
            _ => None,
        };
        let condition = kept.unwrap_or(mapped);
        self.field(&mut o, "condition", |_| Some(s(&condition)));
        self.field(&mut o, "risk", |_| {
            Some(s(match rule.risk {
                RuleRisk::None => "NO_RISK",
                RuleRisk::Medium => "MEDIUM_RISK",
                RuleRisk::High => "HIGH_RISK",
            }))
        });
        self.finish(o)
    }
}

/// Title of a pillar, question or best practice of this lens (for `[[id]]` links).
fn title_in(lens: &Lens, id: &str) -> Option<String> {
    if lens.id == id {
        return Some(lens.name.clone());
    }
    for p in &lens.pillars {
        if p.id == id {
            return Some(p.name.clone());
        }
        for q in &p.questions {
            if q.id == id {
                return Some(q.title.clone());
            }
            if let Some(b) = q.best_practices.iter().find(|b| b.id == id) {
                return Some(b.title.clone());
            }
        }
    }
    None
}
