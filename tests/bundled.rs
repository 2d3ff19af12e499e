//! Invariants of the bundled guidance, so a later edit cannot silently break them.

mod common;

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::OnceLock;

use wa_docs::content::PageKind;
use wa_docs::graph::{NodeIx, NodeKind, Relation};
use wa_docs::lens::Lens;
use wa_docs::project::{Project, load_project};

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The bundled project, loaded once for the tests that read it.
fn bundled() -> &'static Project {
    static PROJECT: OnceLock<Project> = OnceLock::new();
    PROJECT.get_or_init(|| {
        let (project, diags) = load_project(repo());
        let project = project.expect("project loads");
        assert!(
            diags.items.is_empty(),
            "bundled content has problems: {:#?}",
            diags.items
        );
        project
    })
}

fn count(project: &Project, kind: NodeKind) -> usize {
    project
        .graph
        .nodes
        .iter()
        .filter(|n| n.kind == kind)
        .count()
}

fn lens<'p>(project: &'p Project, id: &str) -> &'p Lens {
    &project
        .lenses
        .iter()
        .find(|l| l.lens.id == id)
        .unwrap()
        .lens
}

#[test]
fn bundled_guidance_loads_without_problems() {
    bundled();
}

#[test]
fn bundled_guidance_has_four_lenses_and_its_dimensions_scenarios_and_preambles() {
    let project = bundled();
    let g = &project.graph;
    let count = |k: NodeKind| count(project, k);
    let lens_ids: HashSet<&str> = project.lenses.iter().map(|l| l.lens.id.as_str()).collect();
    assert_eq!(
        lens_ids,
        HashSet::from([
            "responsible-ai",
            "machine-learning",
            "generative-ai",
            "agentic-ai"
        ])
    );
    assert_eq!(count(NodeKind::Dimension), 8);
    assert_eq!(count(NodeKind::Scenario), 11);
    assert!(count(NodeKind::Preamble) >= 3);
    for id in [
        "agentic-ai-preamble",
        "data-architecture",
        "responsible-ai-preamble",
    ] {
        assert_eq!(g.get(id).map(|n| n.kind), Some(NodeKind::Preamble), "{id}");
    }
    for id in [
        "autonomous-call-center",
        "knowledge-worker-copilot",
        "multi-tenant-platform",
    ] {
        assert_eq!(g.get(id).map(|n| n.kind), Some(NodeKind::Scenario), "{id}");
    }
    assert!(
        count(NodeKind::Question) >= 30,
        "questions: {}",
        count(NodeKind::Question)
    );
    assert!(
        count(NodeKind::BestPractice) >= 120,
        "best practices: {}",
        count(NodeKind::BestPractice)
    );
}

#[test]
fn question_and_best_practice_ids_follow_aws_numbering() {
    let project = bundled();
    // Generative AI questions use the GEN<PILLAR>NN scheme; every best practice's id starts with
    // its question's (AWS's `GENSEC02-BP01`, our `GENSEC02-WD01`).
    for (p, q) in lens(project, "generative-ai").questions() {
        assert!(
            q.id.starts_with(&p.id) && q.id.starts_with("GEN"),
            "{}",
            q.id
        );
        for b in &q.best_practices {
            assert!(b.id.starts_with(&format!("{}-", q.id)), "{}", b.id);
        }
    }
    for (p, q) in lens(project, "machine-learning").questions() {
        assert!(q.id.starts_with(&p.id), "{}", q.id);
        for b in &q.best_practices {
            assert!(b.id.starts_with(&format!("{}-", q.id)), "{}", b.id);
        }
    }
}

#[test]
fn every_generative_ai_question_reaches_a_scenario_checklist() {
    let project = bundled();
    let g = &project.graph;
    // Which best practices are in some scenario checklist.
    let in_scenario: HashSet<NodeIx> = g
        .checklists
        .keys()
        .flat_map(|&s| g.checklist_items(s))
        .collect();
    // The scenarios are generative AI architectures: every question of that lens reaches at least
    // one of them. (The other two lenses follow AWS's full structure, so some of their questions,
    // hyperparameter tuning say, concern none of these scenarios; their lens checklists hold them.)
    for (_, q) in lens(project, "generative-ai").questions() {
        assert!(
            q.best_practices
                .iter()
                .any(|b| in_scenario.contains(&g.by_id[&b.id])),
            "no scenario checklist holds a practice of {}",
            q.id
        );
    }
}

#[test]
fn every_question_has_a_description_a_default_rule_and_1_to_15_best_practices() {
    for lf in &bundled().lenses {
        for (_, q) in lf.lens.questions() {
            let n = q.best_practices.len();
            // AWS's questions hold 1 to 14; the WA Tool takes at most 15.
            assert!((1..=15).contains(&n), "{} has {n} best practices", q.id);
            assert!(
                !q.description.trim().is_empty(),
                "{} has no description",
                q.id
            );
            assert!(
                q.risk_rules
                    .last()
                    .is_some_and(|r| r.condition == "default"),
                "{} lacks a default rule",
                q.id
            );
        }
    }
}

#[test]
fn every_best_practice_has_a_risk_guidance_and_an_improvement_plan() {
    for lf in &bundled().lenses {
        for (_, q) in lf.lens.questions() {
            for b in &q.best_practices {
                // AWS states no risk for MLSEC04-BP03 (tests/aws_alignment.rs holds the rest).
                assert!(
                    b.risk.is_some() || b.id == "MLSEC04-BP03",
                    "{} has no risk level",
                    b.id
                );
                assert!(
                    !b.description.trim().is_empty(),
                    "{} has no description",
                    b.id
                );
                assert!(
                    b.implementation.trim().len() > 200,
                    "{} has thin implementation guidance",
                    b.id
                );
                assert!(
                    b.improvement_plan
                        .as_ref()
                        .is_some_and(|p| !p.text.trim().is_empty()),
                    "{} has no improvement plan",
                    b.id
                );
                // A dimension is tagged only where a practice materially serves it, so a cost
                // or performance practice may serve none; every responsible-AI practice serves one.
                assert!(
                    lf.lens.id != "responsible-ai" || !b.dimensions.is_empty(),
                    "{} serves no dimension",
                    b.id
                );
            }
        }
    }
}

#[test]
fn each_scenario_checklist_chooses_12_to_40_items_that_link_back_to_it() {
    let project = bundled();
    let g = &project.graph;
    let general: HashSet<String> = project
        .lenses
        .iter()
        .flat_map(|lf| lf.lens.questions())
        .flat_map(|(_, q)| &q.best_practices)
        .filter(|b| b.general)
        .map(|b| b.id.clone())
        .collect();
    // Every scenario checklist chooses 12-40 items of its own (the lenses' general practices
    // come on top), and its items link back to it.
    for page in project
        .pages
        .iter()
        .filter(|p| p.front.kind == PageKind::Scenario)
    {
        let node = g.by_id[&page.id];
        let items = &g.checklists[&node];
        let chosen = items
            .iter()
            .filter(|&&i| !general.contains(&g.nodes[i].id))
            .count();
        assert!(
            (12..=40).contains(&chosen),
            "{}: {chosen} items of its own",
            page.id
        );
        for &i in items {
            assert!(
                g.backlinks[i]
                    .iter()
                    .any(|b| b.from == node && b.rel == Relation::Checklist)
            );
        }
    }
}

#[test]
fn every_dimension_is_served_by_all_four_lenses() {
    let g = &bundled().graph;
    for (i, n) in g
        .nodes
        .iter()
        .enumerate()
        .filter(|(_, n)| n.kind == NodeKind::Dimension)
    {
        let mut lenses: HashMap<String, usize> = HashMap::new();
        for b in g.backlinks[i].iter().filter(|b| b.rel == Relation::Serves) {
            let mut cur = b.from;
            while let Some(p) = g.nodes[cur].parent {
                cur = p;
            }
            *lenses.entry(g.nodes[cur].id.clone()).or_default() += 1;
        }
        assert_eq!(lenses.len(), 4, "{} is served by {:?}", n.id, lenses);
    }
}

#[test]
fn bundled_site_builds_without_warnings_and_links_resolve() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let run = common::wa(&["build", ".", "-d", out.to_str().unwrap()], repo());
    assert_eq!(run.code, 0, "{}", run.stderr);
    // The one warning is the bundled book.toml's missing `site-url` (there is no published site
    // to name): it says so once, naming the setting.
    assert_eq!(run.stderr.matches('⚠').count(), 1, "{}", run.stderr);
    assert!(run.stderr.contains("set `site-url`"), "{}", run.stderr);
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
    let checked = common::check_links(&out);
    assert!(checked > 5000, "only {checked} links");
    // The dimension page lists its best practices from the graph, across lenses.
    let fairness = common::read(&out.join("dimensions/fairness.html"));
    assert!(fairness.contains("Best practices that serve this dimension"));
    for prefix in [
        "../lenses/responsible-ai/",
        "../lenses/machine-learning/",
        "../lenses/generative-ai/",
    ] {
        assert!(
            fairness.contains(prefix),
            "fairness page lacks links into {prefix}"
        );
    }
    // Code blocks in guidance are highlighted.
    let q = common::read(&out.join("lenses/generative-ai/gensec02.html"));
    assert!(q.contains("<pre class=\"hl\" tabindex=\"0\">"));
}

#[test]
fn no_placeholder_or_meta_text_in_guidance() {
    let mut texts = Vec::new();
    for dir in ["lenses", "content"] {
        for e in walkdir::WalkDir::new(repo().join(dir))
            .into_iter()
            .flatten()
        {
            if e.file_type().is_file() {
                texts.push((e.path().to_path_buf(), common::read(e.path())));
            }
        }
    }
    let bad = regex::Regex::new(
        r"(?i)\b(lorem ipsum|todo|tbd|placeholder text|content-facts|wa-docs' facts|the spec)\b",
    )
    .unwrap();
    for (path, text) in &texts {
        if let Some(m) = bad.find(text) {
            panic!("{} contains `{}`", path.display(), m.as_str());
        }
    }
}

fn gz(bytes: &[u8]) -> usize {
    use std::io::Write;
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    e.write_all(bytes).unwrap();
    e.finish().unwrap().len()
}

/// Page weight budget: a typical page stays under 14 kB of gzipped HTML, and all the site's
/// JavaScript together under 30 kB gzipped.
#[test]
fn page_weight_budget() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let run = common::wa(&["build", ".", "-q", "-d", out.to_str().unwrap()], repo());
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mut sizes = Vec::new();
    for e in walkdir::WalkDir::new(&out).into_iter().flatten() {
        let p = e.path();
        let rel = p.strip_prefix(&out).unwrap().to_string_lossy().into_owned();
        if rel.ends_with(".html") && rel != "print.html" && !rel.starts_with("checklists/") {
            sizes.push((gz(&std::fs::read(p).unwrap()), rel));
        }
    }
    // The two site-wide indexes (every best practice; dimensions x scenarios with the practices
    // behind each cell) grow with the guidance: each gets 100 bytes a practice.
    let (project, _) = load_project(repo());
    let practices: usize = project
        .unwrap()
        .lenses
        .iter()
        .map(|lf| lf.lens.best_practice_count())
        .sum();
    for page in ["best-practices.html", "coverage.html"] {
        let at = sizes.iter().position(|(_, rel)| rel == page);
        let (size, _) = sizes.remove(at.unwrap_or_else(|| panic!("no {page}")));
        assert!(
            size <= practices * 100,
            "{page} is {size} bytes gzipped for {practices} practices"
        );
    }
    // A question page shows all of its best practices, and AWS's questions hold up to 14: such a
    // page gets 4 kB plus 1,500 bytes a practice where that is more than the 14 kB of any other page.
    let project = load_project(repo()).0.unwrap();
    for (_, q) in project.lenses.iter().flat_map(|lf| lf.lens.questions()) {
        let page = format!("/{}.html", wa_docs::graph::slug(&q.id));
        let budget = (4096 + q.best_practices.len() * 1500).max(14 * 1024);
        if let Some(at) = sizes.iter().position(|(_, rel)| rel.ends_with(&page)) {
            let (size, rel) = sizes.remove(at);
            assert!(size <= budget, "{rel} is {size} bytes gzipped");
        }
    }
    // A lens's "what changed" page lists every change of every version step: 100 bytes each.
    sizes.retain(|(size, rel)| {
        if !rel.ends_with("/changes.html") {
            return true;
        }
        let items = common::read(&out.join(rel)).matches("<li>").count();
        assert!(
            *size <= items * 100,
            "{rel} is {size} bytes gzipped for {items} changes"
        );
        false
    });
    sizes.sort();
    let median = sizes[sizes.len() / 2].0;
    let largest = sizes.last().unwrap();
    assert!(median <= 14 * 1024, "median page is {median} bytes gzipped");
    assert!(
        largest.0 <= 14 * 1024,
        "{} is {} bytes gzipped",
        largest.1,
        largest.0
    );
    let js: Vec<u8> = walkdir::WalkDir::new(out.join("assets"))
        .into_iter()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "js"))
        .flat_map(|e| std::fs::read(e.path()).unwrap())
        .collect();
    assert!(
        gz(&js) <= 30 * 1024,
        "site JavaScript is {} bytes gzipped",
        gz(&js)
    );
    eprintln!(
        "page weight: median {median} B, largest {} {} B, JS {} B (gzipped)",
        largest.1,
        largest.0,
        gz(&js)
    );
}
