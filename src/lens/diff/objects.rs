//! A lens flattened into comparable objects. Every field of the lens model is placed here, as a
//! title, a markdown text, a risk, rules, dimensions or another field shown as text.

use serde::Serialize;

use super::change::Object;
use crate::lens::{BestPractice, Extra, Lens, Pillar, Question, Resource, RiskRule};

/// One lens object, flattened. Every field of the model lands in one of these (the model's
/// structs are destructured without `..`, so a new field does not compile until it is placed).
pub(super) struct Obj<'a> {
    pub(super) object: Object,
    pub(super) id: &'a str,
    pub(super) parent: &'a str,
    pub(super) title: &'a str,
    /// Markdown texts, compared word by word.
    pub(super) texts: Vec<(&'static str, &'a str)>,
    pub(super) risk: Option<String>,
    pub(super) rules: Vec<String>,
    pub(super) dimensions: Vec<&'a str>,
    pub(super) previous: &'a [String],
    /// Every other field, as text (see [`show`]).
    pub(super) fields: Vec<(&'static str, String)>,
}

/// A field's value as text: a string as it is, a list joined by `, `, nothing as `(none)`,
/// anything else as compact JSON.
fn show<T: Serialize>(v: &T) -> String {
    match serde_json::to_value(v).unwrap_or_default() {
        serde_json::Value::Null => "(none)".into(),
        serde_json::Value::String(s) if s.is_empty() => "(none)".into(),
        serde_json::Value::String(s) => s,
        serde_json::Value::Bool(b) => if b { "yes" } else { "no" }.into(),
        serde_json::Value::Array(a) if a.is_empty() => "(none)".into(),
        serde_json::Value::Array(a) if a.iter().all(|x| x.is_string()) => a
            .iter()
            .filter_map(|x| x.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        serde_json::Value::Object(o) if o.is_empty() => "(none)".into(),
        other => other.to_string(),
    }
}

/// `extra` without wa-docs bookkeeping (`wa-tool-*`, such as the file a lens was imported from).
fn shown_extra(extra: &Extra) -> String {
    let kept: Extra = extra
        .iter()
        .filter(|(k, _)| !k.starts_with("wa-tool-") || k.starts_with("wa-tool-key-"))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    show(&kept)
}

pub(super) fn objects(lens: &Lens) -> Vec<Obj<'_>> {
    let Lens {
        id,
        name,
        version: _, // in the diff's heading
        description,
        schema_version,
        phases,
        pillars,
        extra,
    } = lens;
    let mut out = vec![Obj {
        object: Object::Lens,
        id,
        parent: "",
        title: name,
        texts: vec![("description", description.as_str())],
        risk: None,
        rules: Vec::new(),
        dimensions: Vec::new(),
        previous: &[],
        fields: vec![
            ("schema version", show(schema_version)),
            ("phases", show(phases)),
            ("extra", shown_extra(extra)),
        ],
    }];
    for p in pillars {
        let Pillar {
            id: pid,
            name,
            previous_ids,
            description,
            questions,
            extra,
        } = p;
        out.push(Obj {
            object: Object::Pillar,
            id: pid,
            parent: id,
            title: name,
            texts: vec![("description", description.as_str())],
            risk: None,
            rules: Vec::new(),
            dimensions: Vec::new(),
            previous: previous_ids,
            fields: vec![("extra", shown_extra(extra))],
        });
        for q in questions {
            let Question {
                id: qid,
                title,
                description,
                phase,
                previous_ids,
                helpful_resource,
                best_practices,
                risk_rules,
                extra,
            } = q;
            out.push(Obj {
                object: Object::Question,
                id: qid,
                parent: pid,
                title,
                texts: vec![("description", description.as_str())],
                risk: None,
                rules: risk_rules
                    .iter()
                    .map(|r| {
                        let RiskRule {
                            condition,
                            risk,
                            extra,
                        } = r;
                        match shown_extra(extra).as_str() {
                            "(none)" => format!("{condition} -> {}", risk.as_str()),
                            e => format!("{condition} -> {} {e}", risk.as_str()),
                        }
                    })
                    .collect(),
                dimensions: Vec::new(),
                previous: previous_ids,
                fields: vec![
                    ("phase", show(phase)),
                    ("helpful resource", show(helpful_resource)),
                    ("extra", shown_extra(extra)),
                ],
            });
            for b in best_practices {
                let BestPractice {
                    id: bid,
                    title,
                    risk,
                    description,
                    implementation,
                    helpful_resource,
                    improvement_plan,
                    additional_resources,
                    dimensions,
                    related,
                    previous_ids,
                    general,
                    extra,
                } = b;
                let (plan_text, plan_link) = match improvement_plan {
                    Some(Resource { text, url, extra }) => {
                        (text.as_str(), show(&(url, shown_extra(extra))))
                    }
                    None => ("", show(&(None::<String>, "(none)"))),
                };
                out.push(Obj {
                    object: Object::BestPractice,
                    id: bid,
                    parent: qid,
                    title,
                    texts: vec![
                        ("description", description.as_str()),
                        ("implementation", implementation.as_str()),
                        ("improvement plan", plan_text),
                    ],
                    risk: risk.map(|r| r.as_str().to_string()),
                    rules: Vec::new(),
                    dimensions: dimensions.iter().map(String::as_str).collect(),
                    previous: previous_ids,
                    fields: vec![
                        ("improvement plan link", plan_link),
                        ("helpful resource", show(helpful_resource)),
                        ("additional resources", show(additional_resources)),
                        ("related", show(related)),
                        ("general", show(general)),
                        ("extra", shown_extra(extra)),
                    ],
                });
            }
        }
    }
    out
}
