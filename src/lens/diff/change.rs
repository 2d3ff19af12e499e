//! The model of a lens diff: the objects that change, each kind of change, and the section of
//! the report it is listed under.

use serde::Serialize;

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

pub(super) fn section_rank(c: &Change) -> usize {
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
