//! What a wa-docs lens needs beyond the WA Tool's JSON, carried inside that JSON so that
//! `lens export` then `lens import` gives the lens back: its id and version, the wa-docs ids of
//! its objects, and every field the format has no place for or holds only approximately
//! (markdown shown as plain text, risk levels, dimensions, `previous-ids`, phases...).
//!
//! It travels in one top-level key, [`CARRY_KEY`] (`_wa_docs`), where published custom lenses
//! keep their own unknown keys (`_version`, `_release_note`...); the WA Tool ignores it.
//!
//! ```json
//! "_wa_docs": {
//!   "format": 1,
//!   "id": "generative-ai",
//!   "ids": { "GENOPS/GENOPS01/GENOPS01_BP01": "..." },
//!   "objects": {
//!     "GENSEC04-BP02": { "risk": "high", "description": "Markdown…", "#": { "description": "9f…" } }
//!   }
//! }
//! ```
//!
//! * **Ids.** A wa-docs id becomes a WA Tool id by one rule, [`to_wa_id`]: `-` and `.` become
//!   `_`. Import reverses it with [`from_wa_id`] (`_` becomes `-`). An id the rule cannot give
//!   back (one holding `_` or `.`) is listed under `ids`, keyed by its WA Tool path
//!   (`PILLAR/QUESTION/CHOICE`).
//! * **Fields.** `objects` holds, per wa-docs id (the lens's own id for the lens), each field
//!   whose value an import of the plain JSON would not give back, as the lens model writes it
//!   (kebab-case; `null`: the field is absent). The list is computed by importing the export
//!   and comparing, so a field added to the model is carried without code here.
//! * **Edits in the WA Tool win.** A carried field that the JSON also shows (a description, a
//!   choice's helpful resource) has under `#` a hash of the value the JSON gave on export; it
//!   is restored only while the JSON still gives that value. A field the JSON has no place for
//!   is restored while the JSON still has none. `implementation` is guarded by the
//!   `helpful-resource` it was exported as.
//! * **Texts by reference.** When even the compressed block would take the JSON past the WA
//!   Tool's 500 KB, [`reference`] moves each long carried text the JSON also shows (its plain
//!   text is there) out of the block, leaving under `@` a hash of its value, and the block says
//!   `"format": 2`. Import restores such a field from the project's own copy of the lens
//!   ([`ImportOptions::project`](super::ImportOptions): the lens of that id and its earlier
//!   versions), taking the value whose hash matches, while the JSON's text still hashes to what
//!   was exported; without a matching copy the field keeps the WA Tool's plain text, and
//!   [`Restored::missed`] counts it.

use serde_json::{Map, Value};

use crate::lens::{BestPractice, Lens, Pillar, Question};

/// The top-level key of the WA Tool JSON holding what wa-docs carries.
pub const CARRY_KEY: &str = "_wa_docs";
/// Version of the carried block's layout.
pub const FORMAT: u64 = 1;
/// The layout with texts by reference ([`reference`]).
pub const FORMAT_REFERENCED: u64 = 2;
/// Key of an object's entry holding the guard hashes.
const GUARDS: &str = "#";
/// Key of an object's entry holding, per field carried by reference, the hash of its value.
const REFS: &str = "@";
/// A carried value whose compact JSON is at most this long stays in the block even by reference.
const SHORT: usize = 48;
/// Fields never carried: ids are restored by the id rule, children by the JSON's structure.
const SKIP: &[&str] = &["id", "pillars", "questions", "best-practices"];

/// The WA Tool id of a wa-docs id: `-` and `.` become `_`.
pub fn to_wa_id(id: &str) -> String {
    id.replace(['-', '.'], "_")
}

/// The wa-docs id of a WA Tool id, the inverse of [`to_wa_id`] for ids without `_` or `.`:
/// `_` becomes `-`.
pub fn from_wa_id(wa: &str) -> String {
    wa.replace('_', "-")
}

/// The field whose JSON value decides whether a carried field still holds.
fn guard_of(field: &str) -> &str {
    match field {
        "implementation" => "helpful-resource",
        other => other,
    }
}

/// FNV-1a over the compact JSON of a value (absent: `null`), as 16 hex digits.
fn hash(v: Option<&Value>) -> String {
    let text = v.map_or_else(|| "null".to_string(), Value::to_string);
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")
}

/// An object's fields as the lens model writes them, without its id and children.
fn fields<T: serde::Serialize>(obj: &T) -> Map<String, Value> {
    match serde_json::to_value(obj) {
        Ok(Value::Object(mut m)) => {
            for k in SKIP {
                m.remove(*k);
            }
            m
        }
        _ => Map::new(),
    }
}

/// What `original` needs beyond `derived` (the same object imported from the plain JSON).
fn entry(original: &Map<String, Value>, derived: &Map<String, Value>) -> Option<Value> {
    let mut out = Map::new();
    let mut guards = Map::new();
    let keys: std::collections::BTreeSet<&String> = original.keys().chain(derived.keys()).collect();
    for k in keys {
        let (o, d) = (original.get(k), derived.get(k));
        if o == d {
            continue;
        }
        out.insert(k.clone(), o.cloned().unwrap_or(Value::Null));
        if let Some(g) = derived.get(guard_of(k)) {
            guards.insert(k.clone(), Value::String(hash(Some(g))));
        }
    }
    if out.is_empty() {
        return None;
    }
    if !guards.is_empty() {
        out.insert(GUARDS.into(), Value::Object(guards));
    }
    Some(Value::Object(out))
}

/// Every object of a lens with its id, in lens order, as (id, fields).
fn all_fields(lens: &Lens) -> Vec<(String, Map<String, Value>)> {
    let mut out = vec![(lens.id.clone(), fields(lens))];
    for p in &lens.pillars {
        out.push((p.id.clone(), fields(p)));
        for q in &p.questions {
            out.push((q.id.clone(), fields(q)));
            for b in &q.best_practices {
                out.push((b.id.clone(), fields(b)));
            }
        }
    }
    out
}

/// The `objects` map: per id, what `original` has that `derived` (the import of its plain
/// export) does not give back. Objects are matched by id.
pub fn objects(original: &Lens, derived: &Lens) -> Map<String, Value> {
    let derived: std::collections::HashMap<String, Map<String, Value>> =
        all_fields(derived).into_iter().collect();
    let empty = Map::new();
    let mut out = Map::new();
    for (id, o) in all_fields(original) {
        if let Some(e) = entry(&o, derived.get(&id).unwrap_or(&empty)) {
            out.insert(id, e);
        }
    }
    out
}

/// `objects` with texts by reference: each field guarded by the JSON's own text (so an import
/// without the project still has its plain text) whose value is longer than a short string is
/// replaced by the hash of its value under `@`.
pub fn reference(objects: &Map<String, Value>) -> Map<String, Value> {
    let mut out = Map::new();
    for (id, e) in objects {
        let Value::Object(e) = e else {
            out.insert(id.clone(), e.clone());
            continue;
        };
        let guarded = e.get(GUARDS).and_then(Value::as_object);
        let mut kept = Map::new();
        let mut refs = Map::new();
        for (k, v) in e {
            let by_ref = k != GUARDS
                && !v.is_null()
                && guarded.is_some_and(|g| g.contains_key(k))
                && v.to_string().len() > SHORT;
            if by_ref {
                refs.insert(k.clone(), Value::String(hash(Some(v))));
            } else {
                kept.insert(k.clone(), v.clone());
            }
        }
        if !refs.is_empty() {
            kept.insert(REFS.into(), Value::Object(refs));
        }
        out.insert(id.clone(), Value::Object(kept));
    }
    out
}

/// Key holding `objects` compressed, used when the readable form would take the lens past the
/// WA Tool's 500 KB: base64 (RFC 4648, with padding) of the raw DEFLATE of its compact JSON.
pub const OBJECTS_DEFLATE: &str = "objects-deflate";
/// The most a compressed `objects` may inflate to (a bigger one is refused, not read).
const MAX_INFLATED: u64 = 64 << 20;

/// `objects` -> the value of [`OBJECTS_DEFLATE`].
pub fn compress(objects: &Value) -> String {
    use std::io::Write;
    let mut z = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
    let _ = z.write_all(objects.to_string().as_bytes());
    base64(&z.finish().unwrap_or_default())
}

fn decompress(text: &str) -> Result<Value, String> {
    use std::io::Read;
    let bytes = unbase64(text).ok_or("its `objects-deflate` is not base64")?;
    let mut out = Vec::new();
    flate2::read::DeflateDecoder::new(&bytes[..])
        .take(MAX_INFLATED + 1)
        .read_to_end(&mut out)
        .map_err(|e| format!("its `objects-deflate` does not inflate: {e}"))?;
    if out.len() as u64 > MAX_INFLATED {
        return Err("its `objects-deflate` inflates past 64 MB".into());
    }
    serde_json::from_slice(&out).map_err(|e| format!("its `objects-deflate` is not JSON: {e}"))
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

fn base64(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(B64[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn unbase64(text: &str) -> Option<Vec<u8>> {
    let text = text.trim_end_matches('=');
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in text.bytes() {
        let v = B64.iter().position(|&b| b == c)? as u32;
        acc = acc << 6 | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

/// The carried block read back from an imported JSON document.
#[derive(Debug, Default)]
pub struct Carried {
    pub id: String,
    /// WA Tool path (`P`, `P/Q`, `P/Q/C`) -> wa-docs id, where the id rule does not apply.
    pub ids: Map<String, Value>,
    pub objects: Map<String, Value>,
}

impl Carried {
    /// The block, when `v` is one this version of wa-docs reads; else why not.
    pub fn read(v: &Value) -> Result<Carried, String> {
        let obj = v.as_object().ok_or("it is not an object")?;
        match obj.get("format").and_then(Value::as_u64) {
            Some(FORMAT | FORMAT_REFERENCED) => {}
            Some(n) => return Err(format!("its format {n} is not one this wa-docs reads")),
            None => return Err("it has no `format` number".into()),
        }
        let id = obj
            .get("id")
            .and_then(Value::as_str)
            .filter(|s| {
                !s.is_empty()
                    && s.chars()
                        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
            })
            .ok_or("it has no lens `id`")?
            .to_string();
        let map = |key: &str| match obj.get(key) {
            None => Ok(Map::new()),
            Some(Value::Object(m)) => Ok(m.clone()),
            Some(_) => Err(format!("its `{key}` is not an object")),
        };
        let objects = match obj.get(OBJECTS_DEFLATE) {
            Some(Value::String(z)) => match decompress(z)? {
                Value::Object(m) => m,
                _ => return Err("its `objects-deflate` is not an object".into()),
            },
            Some(_) => return Err("its `objects-deflate` is not a string".into()),
            None => map("objects")?,
        };
        Ok(Carried {
            id,
            ids: map("ids")?,
            objects,
        })
    }

    /// The wa-docs id of the object at WA Tool path `scope` whose WA Tool id is `wa`.
    pub fn id_for(&self, scope: &str, wa: &str) -> String {
        match self.ids.get(scope) {
            Some(Value::String(s)) => s.clone(),
            _ => from_wa_id(wa),
        }
    }

    /// The lens version the block carries (the lens entry's `version`).
    pub fn version(&self) -> Option<&str> {
        self.objects
            .get(&self.id)
            .and_then(|e| e.get("version"))
            .and_then(Value::as_str)
    }

    /// Restores the carried fields of every object of `lens`; fields carried by reference are
    /// taken from `sources` (the project's copies of the lens, any version) when one holds the
    /// value exported.
    pub fn apply(&self, lens: &mut Lens, sources: &[Lens]) -> Restored {
        let mut index: std::collections::HashMap<String, Vec<Map<String, Value>>> =
            Default::default();
        for s in sources.iter().filter(|s| s.id == self.id) {
            for (id, f) in all_fields(s) {
                index.entry(id).or_default().push(f);
            }
        }
        let mut r = Restored::default();
        let pillars = std::mem::take(&mut lens.pillars);
        self.restore(lens, &index, &mut r);
        lens.pillars = pillars;
        for p in &mut lens.pillars {
            let questions = std::mem::take(&mut p.questions);
            self.restore::<Pillar>(p, &index, &mut r);
            p.questions = questions;
            for q in &mut p.questions {
                let bps = std::mem::take(&mut q.best_practices);
                self.restore::<Question>(q, &index, &mut r);
                q.best_practices = bps;
                for b in &mut q.best_practices {
                    self.restore::<BestPractice>(b, &index, &mut r);
                }
            }
        }
        r
    }

    /// Applies one object's entry (children already taken out).
    fn restore<T>(
        &self,
        obj: &mut T,
        index: &std::collections::HashMap<String, Vec<Map<String, Value>>>,
        r: &mut Restored,
    ) where
        T: serde::Serialize + serde::de::DeserializeOwned + HasId,
    {
        let Some(Value::Object(e)) = self.objects.get(obj.id()) else {
            return;
        };
        let Ok(Value::Object(mut current)) = serde_json::to_value(&*obj) else {
            return;
        };
        let guards = e.get(GUARDS).and_then(Value::as_object);
        // Every guard is read from the object as the JSON gave it, before any field is restored.
        let holds = |k: &str| {
            let now = current.get(guard_of(k));
            match guards.and_then(|g| g.get(k)).and_then(Value::as_str) {
                Some(h) => now.is_some() && hash(now) == h,
                None => now.is_none(),
            }
        };
        let mut holding: Vec<(&String, &Value)> = e
            .iter()
            .filter(|(k, _)| !matches!(k.as_str(), GUARDS | REFS) && !SKIP.contains(&k.as_str()))
            .filter(|(k, _)| holds(k))
            .collect();
        if let Some(refs) = e.get(REFS).and_then(Value::as_object) {
            let copies = index.get(obj.id()).map_or(&[][..], Vec::as_slice);
            for (k, h) in refs {
                if SKIP.contains(&k.as_str()) || !holds(k) {
                    continue;
                }
                let found = copies
                    .iter()
                    .filter_map(|c| c.get(k))
                    .find(|v| Some(hash(Some(v)).as_str()) == h.as_str());
                match found {
                    Some(v) => holding.push((k, v)),
                    None => r.missed += 1,
                }
            }
        }
        let changed = !holding.is_empty();
        for (k, v) in holding {
            if v.is_null() {
                current.remove(k);
            } else {
                current.insert(k.clone(), v.clone());
            }
        }
        if !changed {
            return;
        }
        match serde_json::from_value::<T>(Value::Object(current)) {
            Ok(new) => *obj = new,
            Err(_) => r.failed.push(obj.id().to_string()),
        }
    }
}

/// What [`Carried::apply`] could not do.
#[derive(Debug, Default)]
pub struct Restored {
    /// Ids whose entry does not fit the lens model (the object keeps what the JSON gave).
    pub failed: Vec<String>,
    /// Fields carried by reference that no copy of the lens in the project holds as exported
    /// (they keep the WA Tool's plain text).
    pub missed: usize,
}

/// Objects restored by id.
pub trait HasId {
    fn id(&self) -> &str;
}

impl HasId for Lens {
    fn id(&self) -> &str {
        &self.id
    }
}
impl HasId for Pillar {
    fn id(&self) -> &str {
        &self.id
    }
}
impl HasId for Question {
    fn id(&self) -> &str {
        &self.id
    }
}
impl HasId for BestPractice {
    fn id(&self) -> &str {
        &self.id
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_id_rule_reverses_for_ids_without_underscores_or_dots() {
        for id in ["GENSEC04-BP02", "MLOPS01", "a-b-c"] {
            assert_eq!(from_wa_id(&to_wa_id(id)), id);
        }
        assert_eq!(to_wa_id("x.y_z"), "x_y_z");
        assert_ne!(from_wa_id(&to_wa_id("x_y")), "x_y");
    }

    #[test]
    fn compressed_objects_read_back() {
        for text in ["", "a", "ab", "abc", "abcd", "{\"x\":\"ünï\"}"] {
            assert_eq!(unbase64(&base64(text.as_bytes())).unwrap(), text.as_bytes());
        }
        assert_eq!(base64(b"foob"), "Zm9vYg==");
        let objects = serde_json::json!({ "A-B": { "risk": "high" } });
        let block =
            serde_json::json!({ "format": 1, "id": "l", OBJECTS_DEFLATE: compress(&objects) });
        assert_eq!(
            Value::Object(Carried::read(&block).unwrap().objects),
            objects
        );
    }

    #[test]
    fn texts_by_reference_come_back_from_a_copy_holding_them() {
        let long = "**A long markdown text** the JSON shows as plain text, long enough.";
        let e = serde_json::json!({
            "risk": "high",
            "description": long,
            "#": { "description": hash(Some(&Value::from("plain"))) }
        });
        let objects: Map<String, Value> = [("B".to_string(), e)].into_iter().collect();
        let r = reference(&objects);
        assert_eq!(r["B"]["risk"], "high");
        assert!(r["B"].get("description").is_none());
        assert_eq!(r["B"]["@"]["description"], hash(Some(&Value::from(long))));
        // Restored from a copy holding the value, not from one holding other text.
        let c = Carried {
            id: "l".into(),
            ids: Map::new(),
            objects: r,
        };
        let copy: Map<String, Value> =
            serde_json::from_value(serde_json::json!({ "description": long })).unwrap();
        let index = [("B".to_string(), vec![copy])].into_iter().collect();
        let mut bp: BestPractice = serde_json::from_value(
            serde_json::json!({ "id": "B", "title": "T", "description": "plain" }),
        )
        .unwrap();
        let mut done = Restored::default();
        c.restore(&mut bp, &index, &mut done);
        assert_eq!((bp.description.as_str(), done.missed), (long, 0));
        let mut other = bp.clone();
        other.description = "plain".into();
        c.restore(&mut other, &Default::default(), &mut done);
        assert_eq!((other.description.as_str(), done.missed), ("plain", 1));
    }

    #[test]
    fn a_field_the_json_shows_is_restored_only_while_unchanged() {
        let derived: Map<String, Value> =
            serde_json::from_str(r#"{"title":"T","description":"plain"}"#).unwrap();
        let original: Map<String, Value> =
            serde_json::from_str(r#"{"title":"T","description":"**plain**","risk":"high"}"#)
                .unwrap();
        let e = entry(&original, &derived).unwrap();
        assert_eq!(e["risk"], "high");
        assert_eq!(e["description"], "**plain**");
        assert_eq!(e["#"]["description"], hash(Some(&Value::from("plain"))));
        assert!(e["#"].get("risk").is_none());
    }
}
