//! The JSON export and its JSON Schema (generated from the model, published in the site at
//! [`SCHEMA_PATH`]). `checklist.js` re-serialises the same object with the reader's statuses
//! (`JSON.stringify(data, null, 2)` writes the same bytes as `to_string_pretty`).

use super::Checklist;

pub const SCHEMA_PATH: &str = "schema/checklist.schema.json";

pub fn render(cl: &Checklist) -> String {
    let mut s = serde_json::to_string_pretty(cl).unwrap_or_default();
    s.push('\n');
    s
}

/// The JSON Schema of the JSON export.
pub fn json_schema() -> serde_json::Value {
    let mut schema = serde_json::to_value(schemars::schema_for!(Checklist)).unwrap_or_default();
    if let Some(obj) = schema.as_object_mut() {
        obj.insert(
            "description".into(),
            serde_json::Value::String(format!(
                "A wa-docs checklist (schema version {}): a scenario's or a lens's best practices grouped lens -> pillar -> question, with each question's parsed risk rules and each item's status (open, done, not_applicable). URLs are absolute when the site sets site-url, otherwise relative to the checklists/ folder.",
                super::SCHEMA_VERSION
            )),
        );
    }
    schema
}

/// The schema file's bytes.
pub fn schema_bytes() -> Vec<u8> {
    let mut v = serde_json::to_vec_pretty(&json_schema()).unwrap_or_default();
    v.push(b'\n');
    v
}
