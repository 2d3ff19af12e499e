//! Checklists: one per scenario (its `checklist:` front matter) and one per lens (every best
//! practice), grouped lens -> pillar -> question. The model here feeds an interactive page
//! (`checklists/<id>.html`, scripted by `checklist.js`) and six exports written beside it:
//! Markdown task list, Confluence storage format, MediaWiki table, CSV, JSON (schema in
//! `schema/checklist.schema.json`) and a self-contained embeddable page. `wa-docs checklist`
//! prints the same bytes.
//!
//! Risk semantics (shared with `checklist.js`, which evaluates the condition trees emitted here):
//! a question is *unanswered* while every one of its items is open, *not applicable* when every
//! item is marked not applicable; otherwise its risk rules are tried in order and the first
//! whose condition holds gives the risk (`default` last). In a condition, an item counts as
//! established when it is done or not applicable, and so does every best practice of the
//! question that the checklist leaves out (the scenario author judged it out of scope). A
//! question without risk rules gets rules derived from its best practices' risk levels.

mod confluence;
mod csv;
mod embed;
mod html;
mod json;
mod md;
mod mediawiki;
mod model;
mod page;

use std::collections::HashSet;

use crate::graph::{NodeIx, NodeKind, Target};
use crate::lens::risk::{self, Condition};
use crate::lens::{Question, RiskLevel, RuleRisk};
use crate::project::Project;

pub use json::{SCHEMA_PATH, json_schema};
pub use model::*;
pub use page::site_files;

pub use embed::Assets;

/// How exported URLs are written.
#[derive(Debug, Clone)]
struct Base(Option<String>);

impl Base {
    fn of(project: &Project) -> Base {
        Base(project.config.site_url())
    }

    /// `href` is root-relative; exports live one folder down, in `checklists/`.
    fn url(&self, href: &str) -> String {
        match &self.0 {
            Some(site) => format!("{site}{href}"),
            None => format!("../{href}"),
        }
    }
}

/// An exported URL as a link from a page in `checklists/`: relative even when the exports are
/// absolute, so the site keeps working from any folder and from `file://`.
pub fn local_url(cl: &Checklist, url: &str) -> String {
    match &cl.site.url {
        Some(site) => match url.strip_prefix(site.as_str()) {
            Some(rest) => format!("../{rest}"),
            None => url.to_string(),
        },
        None => url.to_string(),
    }
}

/// The file key of a checklist: the scenario id with anything a file name should not hold
/// replaced by `-`.
pub fn file_key(id: &str) -> String {
    id.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.' {
                c
            } else {
                '-'
            }
        })
        .collect()
}

/// Every checklist of the project: scenarios first (in page order), then one per lens.
pub fn all(project: &Project) -> Vec<Checklist> {
    let g = &project.graph;
    let mut out = Vec::new();
    for (i, node) in g.indexed() {
        if node.kind != NodeKind::Scenario {
            continue;
        }
        let Target::Page(pi) = node.target else {
            continue;
        };
        let items = g.checklist_items(i);
        let description = project.pages[pi].front.description.clone();
        out.push(build(
            project,
            Kind::Scenario,
            &file_key(&node.id),
            &node.title,
            description,
            &node.href(),
            &items,
        ));
    }
    for node in &g.nodes {
        let Target::Lens(lens) = node.target else {
            continue;
        };
        let items: Vec<NodeIx> = g
            .indexed()
            .map(|(i, _)| i)
            .filter(|&b| matches!(g.nodes[b].target, Target::Practice(l, ..) if l == lens))
            .collect();
        out.push(build(
            project,
            Kind::Lens,
            &format!("lens-{}", file_key(&node.id)),
            &node.title,
            Some(format!("Every best practice of the {}.", node.title)),
            &node.href(),
            &items,
        ));
    }
    out
}

/// Without `site-url`, exports link relative to the site (`../scenarios/….html`): fine beside the
/// site, broken once pasted into a wiki. Said once by a build or `wa-docs checklist`.
pub fn relative_links_warning(config: &crate::config::Config) -> Option<crate::diag::Diagnostic> {
    config.site_url_warning.clone()
}

/// Finds one checklist by its id (`chatbot`, `lens-generative-ai`).
pub fn find(project: &Project, id: &str) -> Option<Checklist> {
    all(project).into_iter().find(|c| c.id == id)
}

fn build(
    project: &Project,
    kind: Kind,
    id: &str,
    title: &str,
    description: Option<String>,
    source_href: &str,
    items: &[NodeIx],
) -> Checklist {
    let g = &project.graph;
    let base = Base::of(project);
    // Best-practice nodes sorted by their place in the lens: (lens, pillar, question, bp).
    let mut places: Vec<(usize, usize, usize, usize, NodeIx)> = items
        .iter()
        .filter_map(|&n| match g.nodes.get(n.0).map(|x| x.target) {
            Some(Target::Practice(l, p, q, b)) => Some((l, p, q, b, n)),
            _ => None,
        })
        .collect();
    places.sort();
    places.dedup();
    let mut lenses: Vec<LensGroup> = Vec::new();
    let mut renamed = std::collections::BTreeMap::new();
    for (l, p, q, b, n) in places {
        let Some(lf) = project.lenses.get(l) else {
            continue;
        };
        let lens = &lf.lens;
        let (Some(pillar), Some(question)) = (
            lens.pillars.get(p),
            lens.pillars.get(p).and_then(|x| x.questions.get(q)),
        ) else {
            continue;
        };
        let Some(bp) = question.best_practices.get(b) else {
            continue;
        };
        if lenses.last().is_none_or(|x| x.id != lens.id) {
            let href = g.get(&lens.id).map(|n| n.href()).unwrap_or_default();
            lenses.push(LensGroup {
                id: lens.id.clone(),
                name: lens.name.clone(),
                version: lens.version.clone(),
                url: base.url(&href),
                pillars: Vec::new(),
            });
        }
        let Some(lg) = lenses.last_mut() else {
            continue;
        };
        if lg.pillars.last().is_none_or(|x| x.id != pillar.id) {
            let href = g.get(&pillar.id).map(|n| n.href()).unwrap_or_default();
            lg.pillars.push(PillarGroup {
                id: pillar.id.clone(),
                name: pillar.name.clone(),
                url: base.url(&href),
                questions: Vec::new(),
            });
        }
        let Some(pg) = lg.pillars.last_mut() else {
            continue;
        };
        if pg.questions.last().is_none_or(|x| x.id != question.id) {
            let href = g.get(&question.id).map(|n| n.href()).unwrap_or_default();
            let parsed = lf.conditions.get(&question.id);
            let (rules, derived) = rules_of(question, parsed.map(Vec::as_slice).unwrap_or(&[]));
            pg.questions.push(QuestionGroup {
                id: question.id.clone(),
                title: question.title.clone(),
                url: base.url(&href),
                choices: question
                    .best_practices
                    .iter()
                    .map(|b| b.id.clone())
                    .collect(),
                rules,
                rules_derived: derived,
                items: Vec::new(),
            });
        }
        let Some(qg) = pg.questions.last_mut() else {
            continue;
        };
        for old in &bp.previous_ids {
            renamed.insert(old.clone(), bp.id.clone());
        }
        qg.items.push(Item {
            id: bp.id.clone(),
            title: bp.title.clone(),
            risk: bp.risk,
            general: bp.general && kind == Kind::Scenario,
            url: base.url(&g.nodes[n].href()),
            status: Status::Open,
        });
    }
    let cfg = &project.config;
    Checklist {
        schema: base.url(SCHEMA_PATH),
        schema_version: SCHEMA_VERSION,
        kind,
        id: id.to_string(),
        title: title.to_string(),
        description: description.filter(|d| !d.trim().is_empty()),
        site: Site {
            title: cfg.book.title.clone(),
            language: cfg.book.language.clone(),
            url: cfg.site_url(),
        },
        page_url: base.url(&format!("{DIR}/{id}.html")),
        source_url: base.url(source_href),
        lenses,
        renamed,
    }
}

/// The question's parsed risk rules, or rules derived from its best practices' risk levels.
fn rules_of(question: &Question, parsed: &[Condition]) -> (Vec<Rule>, bool) {
    if !question.risk_rules.is_empty() {
        let rules = question
            .risk_rules
            .iter()
            .zip(parsed)
            .map(|(r, c)| Rule {
                condition: Cond(c.clone()),
                risk: r.risk,
            })
            .collect();
        return (rules, false);
    }
    let ids = |level: RiskLevel| -> Vec<String> {
        question
            .best_practices
            .iter()
            .filter(|b| b.risk == Some(level))
            .map(|b| b.id.clone())
            .collect()
    };
    let high = ids(RiskLevel::High);
    let medium = ids(RiskLevel::Medium);
    let all_of = |ids: &[String]| -> Cond {
        match ids {
            [one] => Cond(Condition::Choice(one.clone())),
            _ => Cond(Condition::And(
                ids.iter().map(|i| Condition::Choice(i.clone())).collect(),
            )),
        }
    };
    let mut rules = Vec::new();
    let both: Vec<String> = high.iter().chain(&medium).cloned().collect();
    if !both.is_empty() {
        rules.push(Rule {
            condition: all_of(&both),
            risk: RuleRisk::None,
        });
    }
    if !high.is_empty() && !medium.is_empty() {
        rules.push(Rule {
            condition: all_of(&high),
            risk: RuleRisk::Medium,
        });
    }
    rules.push(Rule {
        condition: Cond(Condition::Default),
        risk: if !high.is_empty() {
            RuleRisk::High
        } else if !medium.is_empty() {
            RuleRisk::Medium
        } else {
            RuleRisk::None
        },
    });
    (rules, true)
}

/// The question's risk given each item's status (see the module comment for the semantics;
/// `checklist.js` implements the same and the tests hold them to the same table).
pub fn question_risk(q: &QuestionGroup, status: &dyn Fn(&str) -> Status) -> QuestionRisk {
    let mut answered = 0;
    let mut not_applicable = 0;
    let in_scope: HashSet<&str> = q.items.iter().map(|i| i.id.as_str()).collect();
    let mut selected: HashSet<&str> = q
        .choices
        .iter()
        .map(String::as_str)
        .filter(|c| !in_scope.contains(c))
        .collect();
    for item in &q.items {
        match status(&item.id) {
            Status::Open => {}
            s => {
                answered += 1;
                selected.insert(&item.id);
                if s == Status::NotApplicable {
                    not_applicable += 1;
                }
            }
        }
    }
    if answered == 0 {
        return QuestionRisk::Unanswered;
    }
    if not_applicable == q.items.len() {
        return QuestionRisk::NotApplicable;
    }
    match risk::evaluate(q.rules.iter().map(|r| (&r.condition.0, r.risk)), &selected) {
        Some(RuleRisk::High) => QuestionRisk::High,
        Some(RuleRisk::Medium) => QuestionRisk::Medium,
        Some(RuleRisk::None) | None => QuestionRisk::None,
    }
}

/// Characters a text field must not carry into XML, CSV or wikitext: control characters other
/// than tab, newline and carriage return, and the non-characters U+FFFE / U+FFFF.
pub(crate) fn is_unsafe_char(c: char) -> bool {
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r')) || c == '\u{FFFE}' || c == '\u{FFFF}'
}

/// One line of text: tabs and line breaks become spaces, unsafe characters go.
pub(crate) fn one_line(s: &str) -> String {
    s.chars()
        .filter(|&c| !is_unsafe_char(c))
        .map(|c| {
            if matches!(c, '\t' | '\n' | '\r') {
                ' '
            } else {
                c
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(rules: &[(&str, RuleRisk)], choices: &[&str], items: &[&str]) -> QuestionGroup {
        QuestionGroup {
            id: "Q".into(),
            title: "Q?".into(),
            url: String::new(),
            choices: choices.iter().map(|s| s.to_string()).collect(),
            rules: rules
                .iter()
                .map(|(c, r)| Rule {
                    condition: Cond(Condition::parse(c).unwrap()),
                    risk: *r,
                })
                .collect(),
            rules_derived: false,
            items: items
                .iter()
                .map(|i| Item {
                    id: i.to_string(),
                    title: i.to_string(),
                    risk: None,
                    general: false,
                    url: String::new(),
                    status: Status::Open,
                })
                .collect(),
        }
    }

    #[test]
    fn out_of_scope_choices_count_as_established() {
        let q = q(
            &[
                ("a && b && c", RuleRisk::None),
                ("a", RuleRisk::Medium),
                ("default", RuleRisk::High),
            ],
            &["a", "b", "c"],
            &["b", "c"],
        );
        let risk = |done: &[&str]| {
            let done: Vec<String> = done.iter().map(|s| s.to_string()).collect();
            question_risk(&q, &|id| {
                if done.iter().any(|d| d == id) {
                    Status::Done
                } else {
                    Status::Open
                }
            })
        };
        assert_eq!(risk(&[]), QuestionRisk::Unanswered);
        assert_eq!(risk(&["b"]), QuestionRisk::Medium);
        assert_eq!(risk(&["b", "c"]), QuestionRisk::None);
    }

    #[test]
    fn derived_rules_follow_risk_levels() {
        let mut question: Question = serde_yaml::from_str(
            "id: Q\ntitle: Q?\nbest-practices:\n  - {id: a, title: A, risk: high}\n  - {id: b, title: B, risk: medium}\n  - {id: c, title: C, risk: low}\n",
        )
        .unwrap();
        let (rules, derived) = rules_of(&question, &[]);
        assert!(derived);
        let risks: Vec<RuleRisk> = rules.iter().map(|r| r.risk).collect();
        assert_eq!(
            risks,
            vec![RuleRisk::None, RuleRisk::Medium, RuleRisk::High]
        );
        question.best_practices.truncate(0);
        let (rules, _) = rules_of(&question, &[]);
        assert_eq!(rules.len(), 1);
        assert_eq!(rules[0].condition.0, Condition::Default);
    }

    #[test]
    fn file_keys_are_safe() {
        assert_eq!(file_key("chat bot/x"), "chat-bot-x");
        assert_eq!(file_key("GEN-1.x_y"), "GEN-1.x_y");
    }
}
