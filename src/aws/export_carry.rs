//! The `_wa_docs` block an authored lens's export carries (what import needs to give the lens
//! back), and fitting the document into the WA Tool's 500 KB: compact, then the carried fields
//! compressed, then the carried texts by reference.

use serde_json::Value;

use super::carry::{CARRY_KEY, FORMAT, from_wa_id};
use super::export_doc::J;
use super::import::import_value;
use super::limits;
use super::wa_id_of;
use crate::lens::{Extra, Lens};

/// The document as JSON, as readable as fits the WA Tool's 500 KB: indented; else compact;
/// else (an authored lens) with the carried fields compressed; else with the carried texts by
/// reference ([`super::carry::reference`]), readable, then compressed. Each step is tried
/// indented, then compact.
pub(super) fn fitting(doc: &mut J, authored: bool) -> String {
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
pub(super) fn carry(lens: &Lens, doc: &mut J) {
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
    let objects = match import_value(&plain, &Default::default()) {
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
