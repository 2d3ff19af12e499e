//! Building the WA Tool JSON document from the lens model, keys in the format's order: values
//! kept from an imported file as they were, wa-docs markdown as plain text, and a note of what
//! the format has no place for.

use std::collections::{BTreeSet, HashMap};

use serde::Serialize;
use serde_json::Value;

use super::limits::{self, SCHEMA_VERSION};
use super::text::{markdown_to_plain, unescape_plain};
use super::{
    JsonPath, WA_ABSENT, WA_CONDITION, WA_ID, WA_KEY_PREFIX, WA_PREFIX, WA_SOURCE, rewrite_ids,
    wa_id_of,
};
use crate::lens::{
    AdditionalResources, BestPractice, Extra, Lens, Pillar, Question, Resource, ResourceKind,
    RiskRule, RuleRisk,
};

pub(super) fn is_imported(extra: &Extra) -> bool {
    extra.contains_key(WA_ID) || extra.contains_key(WA_SOURCE)
}

/// JSON with keys in the order given (serde_json's own maps sort them).
pub(super) enum J {
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

/// Writes one lens, noting on the way what the caller reports.
pub(super) struct Exporter<'a> {
    lens: &'a Lens,
    /// Paths written as they were imported (kept under `extra`, or left out as they were).
    pub(super) verbatim: Vec<JsonPath>,
    /// wa-docs content the WA Tool format cannot hold.
    pub(super) dropped: BTreeSet<&'static str>,
    truncate: bool,
    /// Texts shortened: path, characters before and after, limit.
    pub(super) cuts: Vec<(JsonPath, usize, usize, usize)>,
}

impl<'a> Exporter<'a> {
    /// `truncate`: shorten texts over the WA Tool's limits instead of leaving them to refuse.
    pub(super) fn new(lens: &'a Lens, truncate: bool) -> Self {
        Exporter {
            lens,
            verbatim: Vec::new(),
            dropped: BTreeSet::new(),
            truncate,
            cuts: Vec::new(),
        }
    }

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

    /// The lens's document.
    pub(super) fn lens(&mut self) -> J {
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
