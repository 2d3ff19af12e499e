//! The comparison: old objects matched to new ones (by id, `previous-ids:`, then similar text),
//! and the changes between each matched pair.

use std::collections::{BTreeSet, HashMap, HashSet};

use super::change::{Change, LensDiff, Matched, Object, section_rank};
use super::objects::{Obj, objects};
use super::words::{word_diff, words};
use crate::lens::Lens;

/// Word-set similarity of two objects' titles and texts, 0 to 1.
fn similarity(a: &Obj, b: &Obj) -> f64 {
    let bag = |o: &Obj| -> HashSet<String> {
        std::iter::once(o.title)
            .chain(o.texts.iter().map(|(_, t)| *t))
            .flat_map(words)
            .map(|w| w.to_lowercase())
            .filter(|w| w.len() > 3)
            .collect()
    };
    let (x, y) = (bag(a), bag(b));
    if x.is_empty() || y.is_empty() {
        return 0.0;
    }
    x.intersection(&y).count() as f64 / x.union(&y).count() as f64
}

/// Below this, two texts are not the same topic.
const SIMILAR: f64 = 0.5;

/// Compares two versions of a lens.
pub fn diff(old: &Lens, new: &Lens) -> LensDiff {
    let olds = objects(old);
    let news = objects(new);
    let old_by_id: HashMap<&str, &Obj> = olds.iter().map(|o| (o.id, o)).collect();
    let new_by_id: HashMap<&str, &Obj> = news.iter().map(|o| (o.id, o)).collect();
    // Old id -> (new id, how). previous-ids first; then an unclaimed old id kept in the new
    // version is the same object; then text similarity among what is left, kind by kind.
    let mut map: HashMap<&str, (&str, Option<Matched>)> = HashMap::new();
    // The lens itself is the same object whatever its id.
    map.insert(olds[0].id, (news[0].id, None));
    for n in news.iter().skip(1) {
        // A move the old version already lists happened before it: its `p` is another topic.
        let before = old_by_id.get(n.id).map_or(&[][..], |o| o.previous);
        for p in n.previous {
            if old_by_id.contains_key(p.as_str()) && p != n.id && !before.contains(p) {
                map.entry(p.as_str())
                    .or_insert((n.id, Some(Matched::PreviousIds)));
            }
        }
    }
    for o in olds.iter().skip(1) {
        if !map.contains_key(o.id) && new_by_id.contains_key(o.id) {
            map.insert(o.id, (o.id, None));
        }
    }
    let taken: HashSet<&str> = map.values().map(|(n, _)| *n).collect();
    let mut free: Vec<&Obj> = news.iter().filter(|n| !taken.contains(n.id)).collect();
    for o in &olds {
        if map.contains_key(o.id) {
            continue;
        }
        let best = free
            .iter()
            .enumerate()
            .filter(|(_, n)| n.object == o.object)
            .map(|(i, n)| (i, similarity(o, n)))
            .filter(|(_, s)| *s >= SIMILAR)
            .max_by(|a, b| a.1.total_cmp(&b.1));
        if let Some((i, _)) = best {
            let n = free.remove(i);
            map.insert(o.id, (n.id, Some(Matched::Similarity)));
        }
    }
    let reached: HashSet<&str> = map.values().map(|(n, _)| *n).collect();
    let mut added = Vec::new();
    let mut removed = Vec::new();
    let mut moved = Vec::new();
    let mut edits = Vec::new();
    for n in &news {
        if !reached.contains(n.id) {
            added.push(Change::Added {
                object: n.object,
                id: n.id.to_string(),
                title: n.title.to_string(),
            });
        }
    }
    for o in &olds {
        let Some(&(nid, how)) = map.get(o.id) else {
            removed.push(Change::Removed {
                object: o.object,
                id: o.id.to_string(),
                title: o.title.to_string(),
            });
            continue;
        };
        let n = new_by_id[nid];
        if let Some(matched) = how {
            moved.push(Change::Moved {
                object: n.object,
                id: nid.to_string(),
                old_id: o.id.to_string(),
                matched,
                title: n.title.to_string(),
            });
        }
        edits.extend(compare(o, n, &map));
    }
    let mut changes = added;
    changes.extend(removed);
    changes.extend(moved);
    changes.extend(edits);
    // One section per kind, in a fixed order; lens order within each.
    changes.sort_by_key(section_rank);
    LensDiff {
        lens: new.id.clone(),
        old_version: old.version.clone(),
        new_version: new.version.clone(),
        changes,
    }
}

/// The edits between an old object and its new counterpart.
fn compare(o: &Obj, n: &Obj, map: &HashMap<&str, (&str, Option<Matched>)>) -> Vec<Change> {
    let mut out = Vec::new();
    let id = n.id.to_string();
    let parent_now = map.get(o.parent).map_or(o.parent, |(p, _)| p);
    if n.object == Object::BestPractice && parent_now != n.parent {
        out.push(Change::Regrouped {
            object: n.object,
            id: id.clone(),
            old_parent: o.parent.to_string(),
            old_parent_now: parent_now.to_string(),
            new_parent: n.parent.to_string(),
        });
    }
    if o.title != n.title {
        out.push(Change::Retitled {
            object: n.object,
            id: id.clone(),
            old: o.title.to_string(),
            new: n.title.to_string(),
        });
    }
    for ((field, a), (_, b)) in o.texts.iter().zip(&n.texts) {
        if words(a) != words(b) {
            out.push(Change::Reworded {
                object: n.object,
                id: id.clone(),
                field: field.to_string(),
                diff: word_diff(a, b),
            });
        }
    }
    if o.risk != n.risk {
        out.push(Change::Risk {
            id: id.clone(),
            old: o.risk.clone(),
            new: n.risk.clone(),
        });
    }
    // Rules name practice ids: compare them with old ids mapped to new ones.
    let old_rules: Vec<String> = o.rules.iter().map(|r| rename_ids(r, map)).collect();
    if old_rules != n.rules {
        out.push(Change::RiskRules {
            id: id.clone(),
            old: o.rules.clone(),
            new: n.rules.clone(),
        });
    }
    let (a, b): (BTreeSet<&str>, BTreeSet<&str>) = (
        o.dimensions.iter().copied().collect(),
        n.dimensions.iter().copied().collect(),
    );
    if a != b {
        out.push(Change::Dimensions {
            id: id.clone(),
            added: b.difference(&a).map(|s| s.to_string()).collect(),
            removed: a.difference(&b).map(|s| s.to_string()).collect(),
        });
    }
    for ((field, a), (_, b)) in o.fields.iter().zip(&n.fields) {
        if a != b {
            out.push(Change::Field {
                object: n.object,
                id: id.clone(),
                field: field.to_string(),
                old: a.clone(),
                new: b.clone(),
            });
        }
    }
    out
}

fn rename_ids(rule: &str, map: &HashMap<&str, (&str, Option<Matched>)>) -> String {
    let mut out = String::new();
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        if !word.is_empty() {
            out.push_str(map.get(word.as_str()).map_or(word.as_str(), |(n, _)| n));
            word.clear();
        }
    };
    for c in rule.chars() {
        if c.is_alphanumeric() || c == '-' || c == '_' || c == '.' {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}
