//! Reading the fields of a WA Tool JSON object into the lens model: required and optional
//! texts, resources, additional resources and risk rules, and the keys wa-docs does not model
//! (kept under `extra`, so nothing is lost on a round trip).

use std::collections::HashMap;

use serde_json::{Map, Value, json};

use super::limits::{ADDITIONAL_KEYS, RESOURCE_KEYS, RULE_KEYS};
use super::text::plain_to_markdown;
use super::{WA_ABSENT, WA_CONDITION, WA_KEY_PREFIX, WA_PREFIX, rewrite_ids, type_name};
use crate::lens::risk::Condition;
use crate::lens::{AdditionalResources, Extra, Resource, ResourceKind, RiskRule, RuleRisk};

/// Characters wa-docs ids can hold; others become `_`.
pub(super) fn sanitize(part: &str) -> String {
    let s: String = part
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect();
    if s.is_empty() { "x".into() } else { s }
}

/// How a non-string value is shown where the model needs text.
pub(super) fn display(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// JSON keys starting with `wa-tool-` would look like wa-docs bookkeeping; they are stored
/// with a prefix that export removes.
pub(super) fn extra_key(k: &str) -> String {
    if k.starts_with(WA_PREFIX) {
        format!("{WA_KEY_PREFIX}{k}")
    } else {
        k.to_string()
    }
}

pub(super) fn keep_unknown(obj: &Map<String, Value>, known: &[&str], extra: &mut Extra) {
    for (k, v) in obj {
        if !known.contains(&k.as_str()) {
            extra.insert(extra_key(k), v.clone());
        }
    }
}

pub(super) fn finish_extra(extra: &mut Extra, absent: Vec<&str>) {
    if !absent.is_empty() {
        extra.insert(WA_ABSENT.into(), json!(absent));
    }
}

/// A required string: non-strings are kept under `extra` (and shown as text), a missing key is
/// recorded so export leaves it out again.
pub(super) fn req_string(
    obj: &Map<String, Value>,
    key: &'static str,
    extra: &mut Extra,
    absent: &mut Vec<&'static str>,
    fallback: impl FnOnce() -> String,
) -> String {
    match obj.get(key) {
        Some(Value::String(s)) => s.clone(),
        Some(v) => {
            extra.insert(key.into(), v.clone());
            display(v)
        }
        None => {
            absent.push(key);
            fallback()
        }
    }
}

/// An optional text the model holds as a string that is left out when empty (descriptions).
/// `md`: the field is markdown in wa-docs, so markup characters are escaped.
pub(super) fn opt_text(obj: &Map<String, Value>, key: &str, extra: &mut Extra, md: bool) -> String {
    let conv = |s: &str| {
        if md {
            plain_to_markdown(s).into_owned()
        } else {
            s.to_string()
        }
    };
    match obj.get(key) {
        None => String::new(),
        Some(Value::String(s)) if s.is_empty() => {
            extra.insert(key.into(), Value::String(String::new()));
            String::new()
        }
        Some(Value::String(s)) => conv(s),
        Some(v) => {
            extra.insert(key.into(), v.clone());
            conv(&display(v))
        }
    }
}

/// A `{displayText, url}` object. `md`: the text is markdown in wa-docs.
pub(super) fn resource(obj: &Map<String, Value>, md: bool) -> Resource {
    let mut extra = Extra::new();
    let mut absent = Vec::new();
    keep_unknown(obj, RESOURCE_KEYS, &mut extra);
    let text = req_string(obj, "displayText", &mut extra, &mut absent, String::new);
    let text = if md {
        plain_to_markdown(&text).into_owned()
    } else {
        text
    };
    let url = match obj.get("url") {
        Some(Value::String(s)) => Some(s.clone()),
        Some(v) => {
            extra.insert("url".into(), v.clone());
            None
        }
        None => None,
    };
    finish_extra(&mut extra, absent);
    Resource { text, url, extra }
}

/// Additional-resource groups, or `None` when they do not fit the model exactly.
pub(super) fn additional(raw: &Value) -> Option<Vec<AdditionalResources>> {
    let groups = raw.as_array()?;
    if groups.is_empty() {
        return None;
    }
    let mut out = Vec::new();
    for g in groups {
        let obj = g.as_object()?;
        let kind = match obj.get("type")?.as_str()? {
            "HELPFUL_RESOURCE" => ResourceKind::Helpful,
            "IMPROVEMENT_PLAN" => ResourceKind::Improvement,
            _ => return None,
        };
        let mut content = Vec::new();
        for r in obj.get("content")?.as_array()? {
            content.push(resource(r.as_object()?, false));
        }
        let mut extra = Extra::new();
        keep_unknown(obj, ADDITIONAL_KEYS, &mut extra);
        out.push(AdditionalResources {
            kind,
            content,
            extra,
        });
    }
    Some(out)
}

/// Risk rules with conditions rewritten to wa-docs ids, or why they cannot be modelled (then
/// they are kept as written).
pub(super) fn rules(raw: &Value, by_wa: &HashMap<String, String>) -> Result<Vec<RiskRule>, String> {
    let items = raw
        .as_array()
        .ok_or_else(|| format!("a {}, not an array of rules", type_name(raw)))?;
    if items.is_empty() {
        return Err("there are no rules".into());
    }
    let mut out = Vec::new();
    for (r, item) in items.iter().enumerate() {
        let obj = item
            .as_object()
            .ok_or_else(|| format!("rule {r} is a {}, not an object", type_name(item)))?;
        let original = obj
            .get("condition")
            .and_then(Value::as_str)
            .ok_or_else(|| format!("rule {r} has no condition text"))?;
        let risk = match obj.get("risk").and_then(Value::as_str) {
            Some("HIGH_RISK") => RuleRisk::High,
            Some("MEDIUM_RISK") => RuleRisk::Medium,
            Some("NO_RISK") => RuleRisk::None,
            _ => return Err(format!("rule {r} has no WA Tool risk value")),
        };
        let (condition, unknown) = rewrite_ids(original, |t| by_wa.get(t).cloned());
        if let Some(t) = unknown.first() {
            return Err(format!(
                "a condition names `{t}`, which is not a choice of this question"
            ));
        }
        let parsed =
            Condition::parse(&condition).map_err(|e| format!("a condition does not parse: {e}"))?;
        let last = r + 1 == items.len();
        match (parsed == Condition::Default, last) {
            (true, false) => return Err("`default` is not the last rule".into()),
            (false, true) => return Err("there is no `default` rule".into()),
            _ => {}
        }
        let mut extra = Extra::new();
        keep_unknown(obj, RULE_KEYS, &mut extra);
        let back: HashMap<&str, &str> = by_wa
            .iter()
            .map(|(k, v)| (v.as_str(), k.as_str()))
            .collect();
        let (again, _) = rewrite_ids(&condition, |t| back.get(t).map(|s| s.to_string()));
        if again != original {
            extra.insert(WA_CONDITION.into(), Value::String(original.to_string()));
        }
        out.push(RiskRule {
            condition,
            risk,
            extra,
        });
    }
    Ok(out)
}
