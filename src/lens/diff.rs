//! What changed between two versions of a lens: pillars, questions and best practices added,
//! removed, moved to a new id (through `previous-ids:` or, failing that, similar text), retitled,
//! reworded (with a word diff), and changes of risk level, risk rules and dimensions. Used by
//! `wa-docs lens diff` and the site's "what changed" pages.

use std::collections::{BTreeSet, HashMap, HashSet};

use serde::Serialize;

use super::model::{BestPractice, Extra, Lens, Pillar, Question, Resource, RiskRule};

/// Which kind of lens object changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Object {
    Lens,
    Pillar,
    Question,
    BestPractice,
}

impl Object {
    pub fn label(self) -> &'static str {
        match self {
            Object::Lens => "lens",
            Object::Pillar => "pillar",
            Object::Question => "question",
            Object::BestPractice => "best practice",
        }
    }
}

/// How a moved object was matched to its new id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Matched {
    /// The new object lists the old id under `previous-ids:`.
    PreviousIds,
    /// No `previous-ids:` names it; its title and text are most like the new object's.
    Similarity,
}

/// One change. `id` is the object's id in the new version (the old one for removals).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "change", rename_all = "kebab-case")]
pub enum Change {
    Added {
        object: Object,
        id: String,
        title: String,
    },
    Removed {
        object: Object,
        id: String,
        title: String,
    },
    Moved {
        object: Object,
        id: String,
        old_id: String,
        matched: Matched,
        title: String,
    },
    /// A best practice now sits under another question (same id or not).
    Regrouped {
        object: Object,
        id: String,
        old_parent: String,
        /// Where the old parent's topic went (its id in the new version).
        old_parent_now: String,
        new_parent: String,
    },
    Retitled {
        object: Object,
        id: String,
        old: String,
        new: String,
    },
    Reworded {
        object: Object,
        id: String,
        field: String,
        /// The word diff: runs of kept, removed and added words.
        diff: Vec<Run>,
    },
    Risk {
        id: String,
        old: Option<String>,
        new: Option<String>,
    },
    RiskRules {
        id: String,
        old: Vec<String>,
        new: Vec<String>,
    },
    Dimensions {
        id: String,
        added: Vec<String>,
        removed: Vec<String>,
    },
    /// Any other field of the lens model (`related`, `general`, `phase`, resources, `extra`...),
    /// shown as text.
    Field {
        object: Object,
        id: String,
        field: String,
        old: String,
        new: String,
    },
}

impl Change {
    /// The id the change is about (the new one where there is one).
    pub fn id(&self) -> &str {
        match self {
            Change::Added { id, .. }
            | Change::Removed { id, .. }
            | Change::Moved { id, .. }
            | Change::Regrouped { id, .. }
            | Change::Retitled { id, .. }
            | Change::Reworded { id, .. }
            | Change::Risk { id, .. }
            | Change::RiskRules { id, .. }
            | Change::Dimensions { id, .. }
            | Change::Field { id, .. } => id,
        }
    }
}

/// A run of words in a word diff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "op", content = "text", rename_all = "kebab-case")]
pub enum Run {
    Same(String),
    Removed(String),
    Added(String),
}

/// Every change from `old` to `new`, grouped in a fixed order (additions, removals, moves,
/// then edits in lens order).
#[derive(Debug, Clone, Serialize)]
pub struct LensDiff {
    pub lens: String,
    pub old_version: Option<String>,
    pub new_version: Option<String>,
    pub changes: Vec<Change>,
}

/// One lens object, flattened. Every field of the model lands in one of these (the model's
/// structs are destructured without `..`, so a new field does not compile until it is placed).
struct Obj<'a> {
    object: Object,
    id: &'a str,
    parent: &'a str,
    title: &'a str,
    /// Markdown texts, compared word by word.
    texts: Vec<(&'static str, &'a str)>,
    risk: Option<String>,
    rules: Vec<String>,
    dimensions: Vec<&'a str>,
    previous: &'a [String],
    /// Every other field, as text (see [`show`]).
    fields: Vec<(&'static str, String)>,
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

fn objects(lens: &Lens) -> Vec<Obj<'_>> {
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

fn words(s: &str) -> Vec<&str> {
    s.split_whitespace().collect()
}

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

/// A word diff (longest common subsequence over words). Texts longer than a few thousand words
/// are compared as one removed and one added run, to keep the cost bounded.
pub fn word_diff(a: &str, b: &str) -> Vec<Run> {
    let (x, y) = (words(a), words(b));
    let mut runs: Vec<Run> = Vec::new();
    let mut push = |run: Run| match (runs.last_mut(), run) {
        (Some(Run::Same(s)), Run::Same(t))
        | (Some(Run::Removed(s)), Run::Removed(t))
        | (Some(Run::Added(s)), Run::Added(t)) => {
            s.push(' ');
            s.push_str(&t);
        }
        (_, run) => runs.push(run),
    };
    if x.len() * y.len() > 4_000_000 {
        push(Run::Removed(x.join(" ")));
        push(Run::Added(y.join(" ")));
        return runs;
    }
    // lcs[i][j]: length of the LCS of x[i..] and y[j..].
    let mut lcs = vec![vec![0u32; y.len() + 1]; x.len() + 1];
    for i in (0..x.len()).rev() {
        for j in (0..y.len()).rev() {
            lcs[i][j] = if x[i] == y[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    while i < x.len() || j < y.len() {
        if i < x.len() && j < y.len() && x[i] == y[j] {
            push(Run::Same(x[i].to_string()));
            i += 1;
            j += 1;
        } else if i < x.len() && (j == y.len() || lcs[i + 1][j] >= lcs[i][j + 1]) {
            push(Run::Removed(x[i].to_string()));
            i += 1;
        } else {
            push(Run::Added(y[j].to_string()));
            j += 1;
        }
    }
    runs
}

/// Long unchanged runs are cut to a few words of context on each side.
fn context(s: &str, first: bool, last: bool) -> String {
    const KEEP: usize = 6;
    let w = words(s);
    if w.len() <= 2 * KEEP + 1 {
        return s.to_string();
    }
    let head = if first {
        Vec::new()
    } else {
        w[..KEEP].to_vec()
    };
    let tail = if last {
        Vec::new()
    } else {
        w[w.len() - KEEP..].to_vec()
    };
    match (head.is_empty(), tail.is_empty()) {
        (true, true) => "…".into(),
        (true, false) => format!("… {}", tail.join(" ")),
        (false, true) => format!("{} …", head.join(" ")),
        (false, false) => format!("{} … {}", head.join(" "), tail.join(" ")),
    }
}

/// True when less than half of the old and new words are kept: a word diff would be noise.
pub fn is_rewrite(runs: &[Run]) -> bool {
    let count = |f: fn(&Run) -> Option<&String>| -> usize {
        runs.iter().filter_map(f).map(|s| words(s).len()).sum()
    };
    let same = count(|r| if let Run::Same(s) = r { Some(s) } else { None });
    let removed = count(|r| {
        if let Run::Removed(s) = r {
            Some(s)
        } else {
            None
        }
    });
    let added = count(|r| if let Run::Added(s) = r { Some(s) } else { None });
    2 * same < (same + removed).max(same + added)
}

/// A short note for a rewritten text: how many words it had and has.
pub fn rewrite_note(runs: &[Run]) -> String {
    let (mut old, mut new) = (0, 0);
    for r in runs {
        match r {
            Run::Same(s) => {
                old += words(s).len();
                new += words(s).len();
            }
            Run::Removed(s) => old += words(s).len(),
            Run::Added(s) => new += words(s).len(),
        }
    }
    format!("rewritten ({old} words, now {new})")
}

/// A word diff as one line, with the given markers for removed and added runs; a rewrite is
/// summarised instead.
pub fn render_runs(runs: &[Run], removed: (&str, &str), added: (&str, &str)) -> String {
    if is_rewrite(runs) && runs.len() > 2 {
        return rewrite_note(runs);
    }
    let n = runs.len();
    runs.iter()
        .enumerate()
        .map(|(i, r)| match r {
            Run::Same(s) => context(s, i == 0, i + 1 == n),
            Run::Removed(s) => format!("{}{s}{}", removed.0, removed.1),
            Run::Added(s) => format!("{}{s}{}", added.0, added.1),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

impl LensDiff {
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    fn heading(&self) -> String {
        format!(
            "{}: {} -> {}",
            self.lens,
            self.old_version.as_deref().unwrap_or("(no version)"),
            self.new_version.as_deref().unwrap_or("(no version)")
        )
    }

    /// Counts per change kind, for a one-line summary.
    pub fn summary(&self) -> String {
        let mut counts: Vec<(&str, usize)> = Vec::new();
        for c in &self.changes {
            let k = match c {
                Change::Added { .. } => "added",
                Change::Removed { .. } => "removed",
                Change::Moved { .. } => "moved",
                Change::Regrouped { .. } => "regrouped",
                Change::Retitled { .. } => "retitled",
                Change::Reworded { .. } => "reworded",
                Change::Risk { .. } => "risk changed",
                Change::RiskRules { .. } => "risk rules changed",
                Change::Dimensions { .. } => "dimensions changed",
                Change::Field { .. } => "other fields changed",
            };
            match counts.iter_mut().find(|(x, _)| *x == k) {
                Some((_, n)) => *n += 1,
                None => counts.push((k, 1)),
            }
        }
        if counts.is_empty() {
            return "no changes".into();
        }
        counts
            .iter()
            .map(|(k, n)| format!("{n} {k}"))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Plain text, like `git diff --word-diff=plain`: `[-removed-]{+added+}`, one section per
    /// kind of change.
    pub fn to_text(&self) -> String {
        self.to_text_colored(false)
    }

    /// [`Self::to_text`]; with `color`, ANSI colours instead of the brackets (for a terminal).
    pub fn to_text_colored(&self, color: bool) -> String {
        let m = TextMarkup { color };
        let bold = |s: &str| {
            if color {
                format!("\x1b[1m{s}\x1b[0m")
            } else {
                s.to_string()
            }
        };
        let mut out = format!("{}\n{}\n", bold(&self.heading()), self.summary());
        let mut section = "";
        for c in &self.changes {
            let s = section_of(c);
            if s != section {
                out.push_str(&format!("\n{}\n", bold(&format!("{s}:"))));
                section = s;
            }
            let marker = match c {
                Change::Added { .. } if color => "\x1b[32m+\x1b[0m ",
                Change::Removed { .. } if color => "\x1b[31m-\x1b[0m ",
                Change::Added { .. } => "+ ",
                Change::Removed { .. } => "- ",
                _ => "",
            };
            out.push_str(&format!("{marker}{}\n", render(c, &m)));
        }
        out
    }

    /// Markdown: a heading and one list item per change, word diffs as ~~removed~~ **added**.
    pub fn to_markdown(&self) -> String {
        let mut out = format!("# {}\n\n{}\n\n", self.heading(), self.summary());
        let mut section = "";
        for c in &self.changes {
            let s = section_of(c);
            if s != section {
                out.push_str(&format!("\n## {s}\n\n"));
                section = s;
            }
            out.push_str(&format!("- {}\n", render(c, &MarkdownMarkup)));
        }
        out
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default() + "\n"
    }
}

const SECTIONS: [&str; 8] = [
    "Added",
    "Removed",
    "Moved",
    "Retitled",
    "Reworded",
    "Risk",
    "Dimensions",
    "Other fields",
];

fn section_rank(c: &Change) -> usize {
    SECTIONS
        .iter()
        .position(|s| *s == section_of(c))
        .unwrap_or(0)
}

/// The section a change is listed under.
pub fn section_of(c: &Change) -> &'static str {
    match c {
        Change::Added { .. } => "Added",
        Change::Removed { .. } => "Removed",
        Change::Moved { .. } | Change::Regrouped { .. } => "Moved",
        Change::Retitled { .. } => "Retitled",
        Change::Reworded { .. } => "Reworded",
        Change::Risk { .. } | Change::RiskRules { .. } => "Risk",
        Change::Dimensions { .. } => "Dimensions",
        Change::Field { .. } => "Other fields",
    }
}

/// One piece of a change's wording. [`wording`] says each change once; a [`Markup`] renders
/// the pieces as text, markdown or HTML.
#[derive(Debug, Clone, PartialEq)]
pub enum Piece<'a> {
    /// Words.
    Text(String),
    /// An id of the new version (HTML links it to its page).
    Id(&'a str),
    /// An id of the old version only.
    OldId(&'a str),
    /// A title, quoted.
    Quote(&'a str),
    /// A rule or a field's value, as code.
    Code(String),
    /// `->` between an old and a new value.
    Arrow,
    /// A word-diff run: unchanged, removed, added.
    Same(String),
    Removed(String),
    Added(String),
    /// An aside, such as how a move was found.
    Note(&'static str),
}

/// How one output format shows each [`Piece`].
pub trait Markup {
    fn piece(&self, p: &Piece) -> String;
}

/// A change as one line in `m`'s format.
pub fn render(c: &Change, m: &dyn Markup) -> String {
    wording(c).iter().map(|p| m.piece(p)).collect()
}

fn text(s: &str) -> Piece<'static> {
    Piece::Text(s.to_string())
}

/// A word diff as pieces: long unchanged runs cut to context, a rewrite summarised.
fn runs_pieces(runs: &[Run]) -> Vec<Piece<'static>> {
    if is_rewrite(runs) && runs.len() > 2 {
        return vec![Piece::Text(rewrite_note(runs))];
    }
    let n = runs.len();
    let mut out = Vec::new();
    for (i, r) in runs.iter().enumerate() {
        if i > 0 {
            out.push(text(" "));
        }
        out.push(match r {
            Run::Same(s) => Piece::Same(context(s, i == 0, i + 1 == n).replace('\n', " ")),
            Run::Removed(s) => Piece::Removed(s.replace('\n', " ")),
            Run::Added(s) => Piece::Added(s.replace('\n', " ")),
        });
    }
    out
}

/// What a change says, once for every output format.
pub fn wording(c: &Change) -> Vec<Piece<'_>> {
    let label = |o: &Object| text(&format!("{} ", o.label()));
    match c {
        Change::Added { object, id, title } => {
            vec![label(object), Piece::Id(id), text(": "), text(title)]
        }
        Change::Removed { object, id, title } => {
            vec![label(object), Piece::OldId(id), text(": "), text(title)]
        }
        Change::Moved {
            object,
            id,
            old_id,
            matched,
            title,
        } => vec![
            label(object),
            Piece::OldId(old_id),
            text(" "),
            Piece::Arrow,
            text(" "),
            Piece::Id(id),
            text(" "),
            Piece::Note(match matched {
                Matched::PreviousIds => "listed in previous-ids",
                Matched::Similarity => "matched by similar text",
            }),
            text(": "),
            text(title),
        ],
        Change::Regrouped {
            object,
            id,
            old_parent,
            old_parent_now,
            new_parent,
        } => {
            let mut v = vec![
                label(object),
                Piece::Id(id),
                text(" now under "),
                Piece::Id(new_parent),
                text(" (was under "),
                Piece::OldId(old_parent),
            ];
            if old_parent != old_parent_now {
                v.extend([text(", whose topic is now "), Piece::Id(old_parent_now)]);
            }
            v.push(text(")"));
            v
        }
        Change::Retitled {
            object,
            id,
            old,
            new,
        } => vec![
            label(object),
            Piece::Id(id),
            text(" retitled: "),
            Piece::Quote(old),
            text(" "),
            Piece::Arrow,
            text(" "),
            Piece::Quote(new),
        ],
        Change::Reworded {
            object,
            id,
            field,
            diff,
        } => {
            let mut v = vec![label(object), Piece::Id(id), text(&format!(" {field}: "))];
            v.extend(runs_pieces(diff));
            v
        }
        Change::Risk { id, old, new } => vec![
            Piece::Id(id),
            text(" risk: "),
            text(old.as_deref().unwrap_or("none stated")),
            text(" "),
            Piece::Arrow,
            text(" "),
            text(new.as_deref().unwrap_or("none stated")),
        ],
        Change::RiskRules { id, old, new } => vec![
            Piece::Id(id),
            text(" risk rules: "),
            Piece::Code(old.join("; ")),
            text(" "),
            Piece::Arrow,
            text(" "),
            Piece::Code(new.join("; ")),
        ],
        Change::Dimensions { id, added, removed } => {
            let mut v = vec![Piece::Id(id), text(" dimensions:")];
            for d in added {
                v.extend([text(" +"), Piece::Id(d)]);
            }
            for d in removed {
                v.extend([text(" -"), Piece::OldId(d)]);
            }
            v
        }
        Change::Field {
            object,
            id,
            field,
            old,
            new,
        } => vec![
            label(object),
            Piece::Id(id),
            text(&format!(" {field}: ")),
            Piece::Code(old.clone()),
            text(" "),
            Piece::Arrow,
            text(" "),
            Piece::Code(new.clone()),
        ],
    }
}

/// Plain text: `[-removed-]{+added+}`, or colours on a terminal.
pub struct TextMarkup {
    pub color: bool,
}

impl Markup for TextMarkup {
    fn piece(&self, p: &Piece) -> String {
        let paint = |code: &str, s: &str| {
            if self.color {
                format!("\x1b[{code}m{s}\x1b[0m")
            } else {
                s.to_string()
            }
        };
        match p {
            Piece::Text(s) | Piece::Same(s) | Piece::Code(s) => s.clone(),
            Piece::Id(s) | Piece::OldId(s) => paint("1", s),
            Piece::Quote(s) => format!("\"{s}\""),
            Piece::Arrow => "->".into(),
            Piece::Removed(s) if self.color => paint("31", s),
            Piece::Added(s) if self.color => paint("32", s),
            Piece::Removed(s) => format!("[-{s}-]"),
            Piece::Added(s) => format!("{{+{s}+}}"),
            Piece::Note(s) => paint("2", &format!("({s})")),
        }
    }
}

/// Markdown: ids and values as code, word diffs as ~~removed~~ **added**.
pub struct MarkdownMarkup;

impl Markup for MarkdownMarkup {
    fn piece(&self, p: &Piece) -> String {
        match p {
            Piece::Text(s) | Piece::Same(s) => s.clone(),
            Piece::Id(s) | Piece::OldId(s) => format!("`{s}`"),
            Piece::Code(s) => format!("`{}`", s.replace('`', "'")),
            Piece::Quote(s) => format!("“{s}”"),
            Piece::Arrow => "→".into(),
            Piece::Removed(s) => format!("~~{s}~~"),
            Piece::Added(s) => format!("**{s}**"),
            Piece::Note(s) => format!("({s})"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_diff_keeps_order_and_marks_changes() {
        let runs = word_diff("a b c d", "a x c d e");
        assert_eq!(
            runs,
            vec![
                Run::Same("a".into()),
                Run::Removed("b".into()),
                Run::Added("x".into()),
                Run::Same("c d".into()),
                Run::Added("e".into()),
            ]
        );
        assert_eq!(
            render_runs(&runs, ("[-", "-]"), ("{+", "+}")),
            "a [-b-] {+x+} c d {+e+}"
        );
    }

    #[test]
    fn long_unchanged_runs_keep_context_only() {
        let a = (0..40)
            .map(|i| format!("w{i}"))
            .collect::<Vec<_>>()
            .join(" ");
        let b = a.replace("w20", "changed");
        let s = render_runs(&word_diff(&a, &b), ("[-", "-]"), ("{+", "+}"));
        assert!(s.starts_with("… w14"), "{s}");
        assert!(s.contains("[-w20-] {+changed+}"), "{s}");
        assert!(s.ends_with("w26 …"), "{s}");
    }
}
