//! The AWS Well-Architected Tool's custom-lens JSON format: import into the lens model, export
//! from it, and the WA Tool's documented limits.
//!
//! * [`import_json`] reads a custom-lens JSON file into a [`Lens`](crate::lens::Lens). WA Tool
//!   ids are unique only within their scope (a choice id within its question), while wa-docs ids
//!   are global, so the importer derives global ids (`<lens>-<question>-<choice>`) and records the
//!   WA Tool's own id under `extra: { wa-tool-id: ... }`. Risk-rule conditions are rewritten to
//!   the new ids. Anything the model cannot hold exactly (keys it does not name, values of an
//!   unexpected type, risk rules wa-docs cannot evaluate) is kept under `extra` with its JSON key
//!   and written back as it was. Problems are warnings carrying the JSON path.
//! * [`export_json`] writes the WA Tool JSON for a lens loaded from YAML and refuses, listing
//!   every problem at its YAML file:line:col, anything the WA Tool would reject. A lens written
//!   in wa-docs carries what the format cannot hold in the `_wa_docs` key ([`carry`]), and
//!   import of such a file gives the lens back (ids by [`carry::to_wa_id`]'s rule reversed).
//! * [`lens_to_yaml`] writes a lens as readable YAML (long text as block scalars).
//!
//! Text: the WA Tool shows plain text, wa-docs renders markdown. Imported text is stored with the
//! few characters that would act as markup (`<`, `[`, `\`) escaped, and export of imported objects
//! removes exactly those escapes; text authored in wa-docs is converted from markdown to plain
//! text on export.

pub mod carry;
mod export;
mod export_carry;
mod export_doc;
mod import;
mod import_fields;
mod import_model;
mod import_restore;
mod jsonpos;
pub mod limits;
mod locate;
mod text;
mod yaml;

use std::fmt;

pub use export::{
    ExportOptions, export_json, export_json_with, export_json_with_warnings, lens_json_for_site,
};
pub use import::{ImportOptions, import_json, import_json_with};
pub use import_model::lens_slug;
pub use limits::{Problem, ProblemKind, check_wa_json};
pub use text::{markdown_to_plain, plain_to_markdown, unescape_plain};
pub use yaml::lens_to_yaml;

/// `extra` key holding the WA Tool's id of an imported pillar, question or choice.
pub const WA_ID: &str = "wa-tool-id";

/// The WA Tool id of a pillar, question or best practice: the one recorded on import, else the
/// wa-docs id with `-` and `.` mapped to `_`.
pub fn wa_id_of(id: &str, extra: &crate::lens::Extra) -> String {
    match extra.get(WA_ID) {
        Some(serde_json::Value::String(s)) => s.clone(),
        _ => carry::to_wa_id(id),
    }
}

/// `extra` key listing required JSON keys the imported object did not have (so export omits them).
pub const WA_ABSENT: &str = "wa-tool-absent";
/// `extra` key on an imported lens naming the file it came from; it also marks the lens's text
/// as WA Tool plain text.
pub const WA_SOURCE: &str = "wa-tool-source";
/// `extra` key on a risk rule holding the original condition when rewriting ids would change it.
pub const WA_CONDITION: &str = "wa-tool-condition";
/// Prefix of `extra` keys wa-docs uses for its own bookkeeping; never written to the JSON.
pub const WA_PREFIX: &str = "wa-tool-";
/// An original JSON key that itself starts with `wa-tool-` is stored with this prefix.
pub const WA_KEY_PREFIX: &str = "wa-tool-key-";

/// One step of a JSON path.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Seg {
    Key(String),
    Index(usize),
}

/// A path into a JSON document, shown as `pillars[2].questions[0].choices[3].title`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct JsonPath(pub Vec<Seg>);

impl JsonPath {
    pub fn root() -> Self {
        JsonPath(Vec::new())
    }

    pub fn key(&self, k: &str) -> Self {
        let mut v = self.0.clone();
        v.push(Seg::Key(k.to_string()));
        JsonPath(v)
    }

    pub fn index(&self, i: usize) -> Self {
        let mut v = self.0.clone();
        v.push(Seg::Index(i));
        JsonPath(v)
    }

    pub fn starts_with(&self, prefix: &JsonPath) -> bool {
        self.0.starts_with(&prefix.0)
    }

    pub fn parent(&self) -> Option<JsonPath> {
        if self.0.is_empty() {
            None
        } else {
            Some(JsonPath(self.0[..self.0.len() - 1].to_vec()))
        }
    }
}

fn is_plain_key(k: &str) -> bool {
    !k.is_empty()
        && k.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$' || c == '-')
}

impl fmt::Display for JsonPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            return f.write_str("lens");
        }
        for (i, seg) in self.0.iter().enumerate() {
            match seg {
                Seg::Key(k) if is_plain_key(k) => {
                    if i > 0 {
                        f.write_str(".")?;
                    }
                    f.write_str(k)?;
                }
                Seg::Key(k) => write!(
                    f,
                    "[{}]",
                    serde_json::to_string(k).unwrap_or_else(|_| k.clone())
                )?,
                Seg::Index(n) => write!(f, "[{n}]")?,
            }
        }
        Ok(())
    }
}

/// Replaces every id token of a risk-rule condition (runs of letters, digits, `_`, `-` and `.`,
/// as `lens::risk` reads them) that `map` knows; `default` stays. Everything between tokens is
/// kept as it is, so rewriting there and back gives the original text. Also returns the tokens
/// `map` did not know, in order.
pub(crate) fn rewrite_ids(
    cond: &str,
    map: impl Fn(&str) -> Option<String>,
) -> (String, Vec<String>) {
    let is_id = |c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.');
    let mut out = String::with_capacity(cond.len() + 16);
    let mut unknown = Vec::new();
    let mut rest = cond;
    while let Some(start) = rest.find(is_id) {
        out.push_str(&rest[..start]);
        let tail = &rest[start..];
        let end = tail.find(|c: char| !is_id(c)).unwrap_or(tail.len());
        let token = &tail[..end];
        match map(token) {
            _ if token == "default" => out.push_str(token),
            Some(new) => out.push_str(&new),
            None => {
                unknown.push(token.to_string());
                out.push_str(token);
            }
        }
        rest = &tail[end..];
    }
    out.push_str(rest);
    (out, unknown)
}

/// The JSON type name of a value, for messages.
pub fn type_name(v: &serde_json::Value) -> &'static str {
    match v {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "boolean",
        serde_json::Value::Number(_) => "number",
        serde_json::Value::String(_) => "string",
        serde_json::Value::Array(_) => "array",
        serde_json::Value::Object(_) => "object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_display_like_the_issue() {
        let p = JsonPath::root()
            .key("pillars")
            .index(2)
            .key("questions")
            .index(0)
            .key("choices")
            .index(3)
            .key("title");
        assert_eq!(p.to_string(), "pillars[2].questions[0].choices[3].title");
        assert_eq!(JsonPath::root().key("a b").to_string(), "[\"a b\"]");
        assert_eq!(JsonPath::root().to_string(), "lens");
    }

    #[test]
    fn condition_rewriting_keeps_everything_between_ids() {
        let map = |t: &str| (t.starts_with('c')).then(|| format!("L-Q-{t}"));
        let (out, unknown) = rewrite_ids(" !c1&&(c2 ||  x9) ", map);
        assert_eq!(out, " !L-Q-c1&&(L-Q-c2 ||  x9) ");
        assert_eq!(unknown, vec!["x9"]);
        let (d, _) = rewrite_ids("default", map);
        assert_eq!(d, "default");
    }
}
