//! The checklist model: what a checklist holds (lens -> pillar -> question -> item, with risk
//! rules and statuses) and the export formats. `super` builds it from a project.

use schemars::JsonSchema;
use serde::Serialize;

use super::{confluence, csv, embed, json, md, mediawiki};
use crate::lens::risk::Condition;
use crate::lens::{RiskLevel, RuleRisk};

/// Version of the JSON export's schema; bumped on any incompatible change.
pub const SCHEMA_VERSION: u32 = 1;
/// Folder of the checklist pages and exports in the site.
pub const DIR: &str = "checklists";

/// An export format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Md,
    Confluence,
    Mediawiki,
    Csv,
    Json,
    Html,
}

impl Format {
    pub const ALL: [Format; 6] = [
        Format::Md,
        Format::Confluence,
        Format::Mediawiki,
        Format::Csv,
        Format::Json,
        Format::Html,
    ];

    /// The name `--format` takes.
    pub fn name(self) -> &'static str {
        match self {
            Format::Md => "md",
            Format::Confluence => "confluence",
            Format::Mediawiki => "mediawiki",
            Format::Csv => "csv",
            Format::Json => "json",
            Format::Html => "html",
        }
    }

    /// File name suffix of the build-time export (`<id><suffix>`).
    pub fn suffix(self) -> &'static str {
        match self {
            Format::Md => ".md",
            Format::Confluence => ".confluence.xml",
            Format::Mediawiki => ".mediawiki",
            Format::Csv => ".csv",
            Format::Json => ".json",
            Format::Html => ".embed.html",
        }
    }

    /// What the page's download list calls it.
    pub fn label(self) -> &'static str {
        match self {
            Format::Md => "Markdown task list (GitHub, GitLab)",
            Format::Confluence => "Confluence storage format",
            Format::Mediawiki => "MediaWiki table",
            Format::Csv => "CSV (spreadsheets)",
            Format::Json => "JSON (tools and scripts)",
            Format::Html => "Embeddable page (iframe, wiki HTML macro)",
        }
    }

    pub fn parse(name: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.name() == name)
    }

    pub fn names() -> String {
        Format::ALL.map(Format::name).join(", ")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A scenario's checklist.
    Scenario,
    /// Every best practice of one lens.
    Lens,
}

/// An item's state. Build-time exports are all `open`; the page's exports carry the reader's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Open,
    Done,
    NotApplicable,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Open => "open",
            Status::Done => "done",
            Status::NotApplicable => "not_applicable",
        }
    }

    /// The status an export writes as `name` (`open`, `done`, `not_applicable`).
    pub fn parse(name: &str) -> Option<Status> {
        [Status::Open, Status::Done, Status::NotApplicable]
            .into_iter()
            .find(|s| s.as_str() == name)
    }
}

/// A question's risk as the Well-Architected Tool reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum QuestionRisk {
    Unanswered,
    NotApplicable,
    None,
    Medium,
    High,
}

impl QuestionRisk {
    pub fn as_str(self) -> &'static str {
        match self {
            QuestionRisk::Unanswered => "unanswered",
            QuestionRisk::NotApplicable => "not_applicable",
            QuestionRisk::None => "none",
            QuestionRisk::Medium => "medium",
            QuestionRisk::High => "high",
        }
    }

    /// How the page and the exports show it ("High risk", "Unanswered").
    pub fn label(self) -> &'static str {
        match self {
            QuestionRisk::Unanswered => "Unanswered",
            QuestionRisk::NotApplicable => "Not applicable",
            QuestionRisk::None => "No risk",
            QuestionRisk::Medium => "Medium risk",
            QuestionRisk::High => "High risk",
        }
    }
}

/// A checklist (JSON export schema version [`SCHEMA_VERSION`]). URLs are absolute when the
/// site has `site-url`; otherwise relative to the `checklists/` folder the exports live in.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[schemars(title = "wa-docs checklist")]
pub struct Checklist {
    /// URL of this schema.
    #[serde(rename = "$schema")]
    pub schema: String,
    /// Always 1 for this schema; incompatible changes get a new number.
    #[schemars(extend("const" = 1))]
    pub schema_version: u32,
    pub kind: Kind,
    /// The scenario's id, or `lens-<lens id>`; also the export file name.
    pub id: String,
    /// The scenario's or lens's title.
    pub title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub site: Site,
    /// The interactive checklist page.
    pub page_url: String,
    /// The scenario page or lens page the checklist comes from.
    pub source_url: String,
    pub lenses: Vec<LensGroup>,
    /// Ids items had in earlier lens versions -> their ids now (from `previous-ids:`), so saved
    /// answers follow renamed items.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub renamed: std::collections::BTreeMap<String, String>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Site {
    pub title: String,
    /// `language` from book.toml.
    pub language: String,
    /// `site-url` from book.toml, if set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct LensGroup {
    pub id: String,
    pub name: String,
    /// Saved progress is keyed by it: a new version does not reuse stale answers silently.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    pub url: String,
    pub pillars: Vec<PillarGroup>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct PillarGroup {
    pub id: String,
    pub name: String,
    pub url: String,
    pub questions: Vec<QuestionGroup>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct QuestionGroup {
    pub id: String,
    pub title: String,
    pub url: String,
    /// Every best-practice id of the question (conditions may name any of them).
    pub choices: Vec<String>,
    /// Tried in order; the first whose condition holds gives the question's risk.
    pub rules: Vec<Rule>,
    /// True when the lens gives no risk rules and these were derived from the best practices'
    /// risk levels (all high and medium established: none; all high: medium; else the highest).
    pub rules_derived: bool,
    pub items: Vec<Item>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Rule {
    pub condition: Cond,
    pub risk: RuleRisk,
}

/// A parsed risk-rule condition (see [`Condition`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(transparent)]
pub struct Cond(pub Condition);

impl JsonSchema for Cond {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Condition".into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let me = generator.subschema_for::<Cond>();
        schemars::json_schema!({
            "description": "A risk-rule condition parsed at build time: `default` always holds; `choice` holds when that best practice is established; `not`, `and`, `or` combine.",
            "oneOf": [
                {"type": "object", "properties": {"op": {"const": "default"}}, "required": ["op"], "additionalProperties": false},
                {"type": "object", "properties": {"op": {"const": "choice"}, "args": {"type": "string"}}, "required": ["op", "args"], "additionalProperties": false},
                {"type": "object", "properties": {"op": {"const": "not"}, "args": me}, "required": ["op", "args"], "additionalProperties": false},
                {"type": "object", "properties": {"op": {"enum": ["and", "or"]}, "args": {"type": "array", "items": me}}, "required": ["op", "args"], "additionalProperties": false}
            ]
        })
    }
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Item {
    /// Best-practice id.
    pub id: String,
    pub title: String,
    /// Risk if the best practice is not established.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub risk: Option<RiskLevel>,
    /// Applies to every workload (the lens marks it `general`), not chosen for this scenario.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub general: bool,
    pub url: String,
    pub status: Status,
}

impl Checklist {
    /// Every item with its lens, pillar and question, in order.
    pub fn items(&self) -> impl Iterator<Item = (&LensGroup, &PillarGroup, &QuestionGroup, &Item)> {
        self.lenses.iter().flat_map(|l| {
            l.pillars.iter().flat_map(move |p| {
                p.questions
                    .iter()
                    .flat_map(move |q| q.items.iter().map(move |i| (l, p, q, i)))
            })
        })
    }

    pub fn item_count(&self) -> usize {
        self.items().count()
    }

    pub fn questions(&self) -> impl Iterator<Item = &QuestionGroup> {
        self.lenses
            .iter()
            .flat_map(|l| l.pillars.iter().flat_map(|p| p.questions.iter()))
    }

    /// Sets item statuses (unknown ids are ignored).
    pub fn set_status(&mut self, id: &str, status: Status) {
        for l in &mut self.lenses {
            for p in &mut l.pillars {
                for q in &mut p.questions {
                    for i in &mut q.items {
                        if i.id == id {
                            i.status = status;
                        }
                    }
                }
            }
        }
    }

    /// Whether any item is done or not applicable: then the exports show each question's risk
    /// (a checklist with every item open writes exactly the build's files).
    pub fn is_answered(&self) -> bool {
        self.items().any(|(.., i)| i.status != Status::Open)
    }

    /// A question's risk from its items' statuses ([`super::question_risk`]).
    pub fn risk_of(&self, q: &QuestionGroup) -> QuestionRisk {
        super::question_risk(q, &|id| {
            q.items
                .iter()
                .find(|i| i.id == id)
                .map_or(Status::Open, |i| i.status)
        })
    }

    /// "Scenario" or "Lens".
    pub fn kind_label(&self) -> &'static str {
        match self.kind {
            Kind::Scenario => "Scenario",
            Kind::Lens => "Lens",
        }
    }

    /// "Test Lens (version 1.0), Other Lens"; for a lens's own checklist just "version 1.0".
    pub fn lens_summary(&self) -> String {
        if self.kind == Kind::Lens {
            return self
                .lenses
                .iter()
                .filter_map(|l| l.version.as_ref())
                .map(|v| format!("version {v}"))
                .collect::<Vec<_>>()
                .join(", ");
        }
        self.lenses
            .iter()
            .map(|l| match &l.version {
                Some(v) => format!("{} (version {v})", l.name),
                None => l.name.clone(),
            })
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// A pillar's heading: its name, plus the lens when the checklist spans several.
    pub fn pillar_heading(&self, lens: &LensGroup, pillar: &PillarGroup) -> String {
        if self.lenses.len() > 1 {
            format!("{} ({})", pillar.name, lens.name)
        } else {
            pillar.name.clone()
        }
    }

    /// "3 best practices" / "1 best practice".
    pub fn count_label(&self) -> String {
        let n = self.item_count();
        format!("{n} best practice{}", if n == 1 { "" } else { "s" })
    }

    pub fn heading(&self) -> String {
        format!("Checklist: {}", self.title)
    }

    /// Renders one export.
    pub fn export(&self, format: Format, assets: &embed::Assets) -> Vec<u8> {
        match format {
            Format::Md => md::render(self).into_bytes(),
            Format::Confluence => confluence::render(self).into_bytes(),
            Format::Mediawiki => mediawiki::render(self).into_bytes(),
            Format::Csv => csv::render(self).into_bytes(),
            Format::Json => json::render(self).into_bytes(),
            Format::Html => embed::render(self, assets).into_bytes(),
        }
    }
}

/// The line under a checklist's title (what it is for, lenses, size, interactive page), with
/// each export's own escaping and link syntax.
impl Checklist {
    pub fn meta_line(
        &self,
        text: &dyn Fn(&str) -> String,
        link: &dyn Fn(&str, &str) -> String,
    ) -> String {
        let mut meta = vec![
            format!(
                "{}: {}",
                self.kind_label(),
                link(&self.title, &self.source_url)
            ),
            text(&self.lens_summary()),
            text(&self.count_label()),
            link("interactive checklist", &self.page_url),
        ];
        meta.retain(|m| !m.is_empty());
        meta.join(" · ")
    }
}
