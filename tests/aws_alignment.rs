//! The bundled lenses line up with AWS's lenses of the same names: every AWS question and
//! best-practice id exists, in AWS's order, under the same question, with AWS's risk level; our
//! own additions use ids that can never collide with AWS's; and scenario checklists keep the
//! practices that apply to every workload.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use wa_docs::graph::{NodeIx, NodeKind, Target};
use wa_docs::lens::{Lens, RiskLevel};
use wa_docs::project::load_project;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A best practice as the fixture lists it: its id and AWS's stated risk.
type AwsPractice = (String, Option<RiskLevel>);

/// One AWS lens as listed in the fixture: questions in order, each with its practices.
#[derive(Default)]
struct AwsLens {
    questions: Vec<(String, Vec<AwsPractice>)>,
}

fn aws_lenses() -> HashMap<String, AwsLens> {
    let text = std::fs::read_to_string(repo().join("tests/fixtures/aws-lens-ids.tsv")).unwrap();
    let mut out: HashMap<String, AwsLens> = HashMap::new();
    let mut current = String::new();
    for line in text.lines() {
        if let Some(name) = line.strip_prefix("## ") {
            current = name.trim().to_string();
            continue;
        }
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        let lens = out.entry(current.clone()).or_default();
        match cols[0] {
            "Q" => lens.questions.push((cols[1].to_string(), Vec::new())),
            "BP" => {
                let risk = match cols[2].to_lowercase().as_str() {
                    "high" => Some(RiskLevel::High),
                    "medium" => Some(RiskLevel::Medium),
                    "low" => Some(RiskLevel::Low),
                    _ => None,
                };
                let q = cols[1].split("-BP").next().unwrap();
                let entry = lens.questions.iter_mut().find(|(id, _)| id == q);
                let (_, bps) = entry.unwrap_or_else(|| panic!("{} before its question", cols[1]));
                bps.push((cols[1].to_string(), risk));
            }
            other => panic!("unknown row kind {other}"),
        }
    }
    out
}

/// AWS's id shapes: `GENSEC02` and `GENSEC02-BP01`.
fn looks_like_aws(id: &str) -> bool {
    let re = regex::Regex::new(r"^[A-Z]+[0-9]{2}(-BP[0-9]{2})?$").unwrap();
    re.is_match(id)
}

fn bundled() -> Vec<Lens> {
    let (project, diags) = load_project(repo());
    assert!(diags.items.is_empty(), "{:#?}", diags.items);
    project
        .unwrap()
        .lenses
        .into_iter()
        .map(|l| l.lens)
        .collect()
}

#[test]
fn every_aws_id_is_present_in_order_with_aws_risk() {
    let aws = aws_lenses();
    let lenses = bundled();
    let expected = [
        ("generative-ai", 29, 51),
        ("responsible-ai", 28, 98),
        ("machine-learning", 35, 105),
        ("agentic-ai", 41, 150),
    ];
    for (name, questions, practices) in expected {
        let a = &aws[name];
        assert_eq!(a.questions.len(), questions, "fixture questions of {name}");
        let n: usize = a.questions.iter().map(|(_, b)| b.len()).sum();
        assert_eq!(n, practices, "fixture practices of {name}");
        let lens = lenses
            .iter()
            .find(|l| l.id == name)
            .unwrap_or_else(|| panic!("no bundled lens {name}"));
        // The bundled lens's AWS questions, in its order, must be AWS's list in AWS's order.
        let ours: Vec<&str> = lens
            .questions()
            .map(|(_, q)| q.id.as_str())
            .filter(|id| looks_like_aws(id))
            .collect();
        let theirs: Vec<&str> = {
            // AWS lists pillars alphabetically; within a pillar, questions are numbered.
            let mut v: Vec<&str> = a.questions.iter().map(|(q, _)| q.as_str()).collect();
            let pillar_order: Vec<&str> = lens.pillars.iter().map(|p| p.id.as_str()).collect();
            v.sort_by_key(|q| {
                let prefix = q.trim_end_matches(|c: char| c.is_ascii_digit());
                let p = pillar_order.iter().position(|p| *p == prefix);
                (
                    p.unwrap_or_else(|| panic!("{name}: no pillar {prefix} for {q}")),
                    *q,
                )
            });
            v
        };
        assert_eq!(ours, theirs, "{name}: AWS questions or their order differ");
        for (qid, bps) in &a.questions {
            let (pillar, q) = lens
                .questions()
                .find(|(_, q)| &q.id == qid)
                .expect("checked above");
            assert!(
                qid.starts_with(&pillar.id),
                "{qid} sits in pillar {}",
                pillar.id
            );
            let ours: Vec<(&str, Option<RiskLevel>)> = q
                .best_practices
                .iter()
                .filter(|b| looks_like_aws(&b.id))
                .map(|b| (b.id.as_str(), b.risk))
                .collect();
            let theirs: Vec<(&str, Option<RiskLevel>)> =
                bps.iter().map(|(id, r)| (id.as_str(), *r)).collect();
            assert_eq!(
                ours, theirs,
                "{qid}: practices, order or risk levels differ"
            );
        }
    }
}

#[test]
fn our_additions_cannot_collide_with_aws_ids() {
    let aws = aws_lenses();
    let aws_ids: HashSet<&str> = aws
        .values()
        .flat_map(|l| {
            l.questions.iter().flat_map(|(q, bps)| {
                std::iter::once(q.as_str()).chain(bps.iter().map(|(b, _)| b.as_str()))
            })
        })
        .collect();
    let wd = regex::Regex::new(r"^[A-Z]+([0-9]{2})?-WD[0-9]{2}(-BP[0-9]{2})?$").unwrap();
    let mut additions = 0;
    for lens in bundled() {
        for (pillar, q) in lens.questions() {
            let ids = std::iter::once((&q.id, None))
                .chain(q.best_practices.iter().map(|b| (&b.id, Some(&q.id))));
            for (id, question) in ids {
                if aws_ids.contains(id.as_str()) {
                    continue;
                }
                additions += 1;
                assert!(
                    !looks_like_aws(id),
                    "{id} in {} has AWS's id shape but is not AWS's: AWS could use it later",
                    lens.id
                );
                assert!(
                    wd.is_match(id),
                    "{id}: our additions are <QUESTION>-WDnn, <PILLAR>-WDnn or <PILLAR>-WDnn-BPnn"
                );
                assert!(
                    id.starts_with(&pillar.id),
                    "{id} is outside its pillar's prefix"
                );
                if let Some(question) = question {
                    assert!(
                        id.starts_with(&format!("{question}-")),
                        "{id} does not name its question {question}"
                    );
                }
            }
        }
        // The convention is stated where readers of the lens see it.
        assert!(lens.description.contains("-WD"), "{} description", lens.id);
    }
    assert!(additions > 0);
    let home = std::fs::read_to_string(repo().join("content/index.md")).unwrap();
    assert!(
        home.contains("-WD"),
        "the home page states the id convention"
    );
}

#[test]
fn scenario_checklists_keep_the_basics_and_cover_the_risks_they_name() {
    let (project, _) = load_project(repo());
    let project = project.unwrap();
    let g = &project.graph;
    let lens_of = |n: NodeIx| match g.nodes[n].target {
        Target::Practice(l, ..) => Some(l),
        _ => None,
    };
    let question_of = |n: NodeIx| match g.nodes[n].kind {
        NodeKind::Question => Some(n),
        NodeKind::BestPractice => g.nodes[n].parent,
        _ => None,
    };
    let wikilink = regex::Regex::new(r"\[\[([A-Za-z0-9_.-]+)[^\]]*\]\]").unwrap();
    let mut scenarios = 0;
    for (i, node) in g.indexed() {
        if node.kind != NodeKind::Scenario {
            continue;
        }
        scenarios += 1;
        let items: HashSet<NodeIx> = g.checklist_items(i).into_iter().collect();
        let lenses: HashSet<usize> = items.iter().filter_map(|&n| lens_of(n)).collect();
        // Every practice that applies to every workload of a lens the scenario draws on.
        for (li, lf) in project.lenses.iter().enumerate() {
            if !lenses.contains(&li) {
                continue;
            }
            for (_, q) in lf.lens.questions() {
                for b in q.best_practices.iter().filter(|b| b.general) {
                    assert!(
                        items.contains(&g.by_id[&b.id]),
                        "{}: checklist lacks general practice {}",
                        node.id,
                        b.id
                    );
                }
            }
        }
        // Every question the page names (directly or through one of its practices) has at
        // least one practice in the checklist.
        let Target::Page(pi) = node.target else {
            panic!("scenario {} is not a page", node.id)
        };
        let covered: HashSet<NodeIx> = items.iter().filter_map(|&n| question_of(n)).collect();
        let mut named = 0;
        for m in wikilink.captures_iter(project.pages[pi].body()) {
            let Some(&target) = g.by_id.get(&m[1]) else {
                continue;
            };
            if let Some(q) = question_of(target) {
                named += 1;
                assert!(
                    covered.contains(&q),
                    "{} names {} but its checklist has none of {}'s practices",
                    node.id,
                    &m[1],
                    g.nodes[q].id
                );
            }
        }
        assert!(named > 0, "{} names no question among its risks", node.id);
    }
    assert_eq!(scenarios, 11, "AWS's eight scenarios and our three");
}

#[test]
fn aws_scenarios_are_all_present_and_ours_are_labelled() {
    let (project, _) = load_project(repo());
    let project = project.unwrap();
    for id in [
        "autonomous-call-center",
        "knowledge-worker-copilot",
        "multi-tenant-platform",
        "generative-bi",
        "incident-response",
        "code-transformation",
        "kanban-workflow",
        "code-review",
    ] {
        assert_eq!(
            project.graph.get(id).map(|n| n.kind),
            Some(NodeKind::Scenario),
            "{id}"
        );
    }
    for id in [
        "intelligent-document-processing",
        "rag-enterprise-search",
        "content-generation",
    ] {
        let page = project.pages.iter().find(|p| p.id == id).unwrap();
        let head: String = page.body().chars().take(600).collect();
        assert!(
            head.contains("wa-docs") && head.to_lowercase().contains("own"),
            "{id} does not say near its top that it is wa-docs' own scenario"
        );
    }
}
