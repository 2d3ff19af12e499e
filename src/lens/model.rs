//! The lens model: lens -> pillars -> questions -> best practices (the WA Tool's "choices").
//! It holds everything the AWS custom-lens JSON format holds; keys a file carries that the
//! model does not name are kept in `extra` so nothing is lost on a round trip.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub type Extra = BTreeMap<String, serde_json::Value>;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Lens {
    /// Lens id: a lowercase slug, also the lens's URL segment.
    pub id: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// Markdown.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// The WA Tool's `schemaVersion`, kept for export.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schema_version: Option<String>,
    /// Lifecycle phases questions can be placed in (phases x pillars).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub phases: Vec<Phase>,
    pub pillars: Vec<Pillar>,
    /// Keys from an imported file that the model does not name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub extra: Extra,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Phase {
    pub id: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Pillar {
    pub id: String,
    pub name: String,
    /// Ids this pillar had in earlier lens versions.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub previous_ids: Vec<String>,
    /// Markdown.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    pub questions: Vec<Question>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub extra: Extra,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Question {
    /// For example `GENSEC01`.
    pub id: String,
    pub title: String,
    /// Markdown.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// One of the lens's phase ids.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phase: Option<String>,
    /// Ids this object had in earlier lens versions (its topic moved here); old links and saved
    /// checklist answers follow them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub previous_ids: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub helpful_resource: Option<Resource>,
    pub best_practices: Vec<BestPractice>,
    /// Tried in order, first match wins; the last should be `default`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub risk_rules: Vec<RiskRule>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub extra: Extra,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct BestPractice {
    /// For example `GENSEC01-BP01`.
    pub id: String,
    pub title: String,
    /// Risk exposed if this best practice is not established.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub risk: Option<RiskLevel>,
    /// Markdown: what good looks like.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Markdown: concrete steps.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub implementation: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub helpful_resource: Option<Resource>,
    /// `text` is markdown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub improvement_plan: Option<Resource>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub additional_resources: Vec<AdditionalResources>,
    /// Ids of the responsible-AI dimension pages this best practice serves.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dimensions: Vec<String>,
    /// Ids of related best practices, questions or pages.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<String>,
    /// Ids this object had in earlier lens versions (its topic moved here); old links and saved
    /// checklist answers follow them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub previous_ids: Vec<String>,
    /// Applies to every workload: every scenario checklist includes it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub general: bool,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub extra: Extra,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Resource {
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub extra: Extra,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct AdditionalResources {
    #[serde(rename = "type")]
    pub kind: ResourceKind,
    pub content: Vec<Resource>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub extra: Extra,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ResourceKind {
    Helpful,
    Improvement,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct RiskRule {
    /// `&&`, `||`, `!` and parentheses over this question's best-practice ids, or `default`.
    pub condition: String,
    pub risk: RuleRisk,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub extra: Extra,
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum RiskLevel {
    Low,
    Medium,
    High,
}

impl RiskLevel {
    pub fn as_str(self) -> &'static str {
        match self {
            RiskLevel::Low => "low",
            RiskLevel::Medium => "medium",
            RiskLevel::High => "high",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum RuleRisk {
    None,
    Medium,
    High,
}

impl RuleRisk {
    pub fn as_str(self) -> &'static str {
        match self {
            RuleRisk::None => "none",
            RuleRisk::Medium => "medium",
            RuleRisk::High => "high",
        }
    }
}

impl Lens {
    pub fn questions(&self) -> impl Iterator<Item = (&Pillar, &Question)> {
        self.pillars
            .iter()
            .flat_map(|p| p.questions.iter().map(move |q| (p, q)))
    }

    pub fn best_practice_count(&self) -> usize {
        self.questions().map(|(_, q)| q.best_practices.len()).sum()
    }
}

/// The JSON Schema for lens files, generated from these types.
pub fn json_schema() -> serde_json::Value {
    let schema = schemars::schema_for!(Lens);
    serde_json::to_value(schema).unwrap_or_default()
}
