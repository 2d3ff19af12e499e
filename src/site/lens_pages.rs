//! Lens, pillar and question pages. Best practices are sections of their question's page.

use serde_json::{Value, json};

use super::frame::{backlinks, earlier_meanings, html_of, node_link, resource};
use crate::graph::{NodeIx, slug};
use crate::lens::BestPractice;
use crate::project::Project;
use crate::render::fragments::{Field, Fragments};

/// A lens page: its description, pillars and questions, phase matrix, preambles and WA Tool JSON.
/// Returns the template and the page's table of contents.
pub(super) fn lens(
    project: &Project,
    fr: &Fragments,
    i: NodeIx,
    l: usize,
    ctx: &mut tera::Context,
) -> (&'static str, Vec<Value>) {
    let g = &project.graph;
    let lens = &project.lenses[l].lens;
    ctx.insert("content", &html_of(fr, i, Field::Description));
    let pillars: Vec<Value> = g
        .children(i)
        .into_iter()
        .map(|p| {
            let qs: Vec<Value> = g
                .children(p)
                .into_iter()
                .map(|q| {
                    let mut v = node_link(g, q);
                    v["count"] = json!(g.children(q).len());
                    v
                })
                .collect();
            let mut v = node_link(g, p);
            v["questions"] = json!(qs);
            v
        })
        .collect();
    ctx.insert("pillars", &pillars);
    ctx.insert(
        "lens",
        &json!({
            "id": lens.id, "name": lens.name, "version": lens.version,
            "questions": lens.questions().count(), "practices": lens.best_practice_count(),
        }),
    );
    ctx.insert("matrix", &phase_matrix(project, l));
    let by_risk: Vec<(String, [usize; 3])> = lens
        .pillars
        .iter()
        .map(|p| {
            let mut n = [0; 3];
            for b in p.questions.iter().flat_map(|q| &q.best_practices) {
                match b.risk {
                    Some(crate::lens::RiskLevel::High) => n[0] += 1,
                    Some(crate::lens::RiskLevel::Medium) => n[1] += 1,
                    Some(crate::lens::RiskLevel::Low) => n[2] += 1,
                    None => {}
                }
            }
            (
                match p.questions.len() {
                    1 => format!("{} · 1 question", p.name),
                    n => format!("{} · {n} questions", p.name),
                },
                n,
            )
        })
        .collect();
    ctx.insert(
        "overview",
        &super::charts::risk_bars(
            &format!(
                "Best practices of the {} per pillar, by the risk of not establishing them",
                lens.name
            ),
            &by_risk,
        ),
    );
    let since: Vec<&str> = project
        .versions
        .iter()
        .filter(|v| v.lens.id == lens.id)
        .map(|v| v.label())
        .collect();
    if let Some(first) = since.first() {
        ctx.insert("changes", &json!({"url": "changes.html", "since": first}));
    }
    ctx.insert("preambles", &pages_linking_lens(project, &lens.id));
    ctx.insert(
        "wa_tool_json",
        &wa_tool_json(&project.lenses[l])
            .map(|(_, shortened)| json!({"url": "lens.json", "shortened": shortened})),
    );
    let toc: Vec<Value> = pillars
        .iter()
        .map(
            |p| json!({"level": 2, "id": slug(p["id"].as_str().unwrap_or("")), "text": p["title"]}),
        )
        .collect();
    ("lens.html", toc)
}

/// A pillar page: its description and questions with their practices.
pub(super) fn pillar(
    project: &Project,
    fr: &Fragments,
    i: NodeIx,
    ctx: &mut tera::Context,
) -> (&'static str, Vec<Value>) {
    let g = &project.graph;
    ctx.insert("content", &html_of(fr, i, Field::Description));
    let qs: Vec<Value> = g
        .children(i)
        .into_iter()
        .map(|q| {
            let mut v = node_link(g, q);
            v["practices"] = json!(
                g.children(q)
                    .into_iter()
                    .map(|b| node_link(g, b))
                    .collect::<Vec<_>>()
            );
            v
        })
        .collect();
    let toc: Vec<Value> = qs
        .iter()
        .map(
            |q| json!({"level": 2, "id": slug(q["id"].as_str().unwrap_or("")), "text": q["title"]}),
        )
        .collect();
    ctx.insert("questions", &qs);
    ("pillar.html", toc)
}

/// A question page: every best practice in full, and the risk rules.
pub(super) fn question(
    project: &Project,
    fr: &Fragments,
    i: NodeIx,
    (l, p, q): (usize, usize, usize),
    ctx: &mut tera::Context,
) -> (&'static str, Vec<Value>) {
    let g = &project.graph;
    let question = &project.lenses[l].lens.pillars[p].questions[q];
    ctx.insert("content", &html_of(fr, i, Field::Description));
    let kids = g.children(i);
    let practices: Vec<Value> = question
        .best_practices
        .iter()
        .zip(kids.iter())
        .map(|(bp, &n)| practice_value(project, fr, n, bp))
        .collect();
    let toc: Vec<Value> = practices.iter().map(|b| json!({"level": 2, "id": b["anchor"], "text": format!("{} {}", b["id"].as_str().unwrap_or(""), b["title"].as_str().unwrap_or(""))})).collect();
    ctx.insert("practices", &practices);
    ctx.insert("question", &json!({
        "id": question.id,
        "phase": question.phase.as_ref().and_then(|ph| project.lenses[l].lens.phases.iter().find(|x| &x.id == ph)).map(|x| x.name.clone()),
        "helpful_resource": resource(&question.helpful_resource),
        "risk_rules": question.risk_rules.iter().map(|r| json!({"condition": r.condition, "risk": r.risk.as_str()})).collect::<Vec<_>>(),
    }));
    ("question.html", toc)
}

fn practice_value(project: &Project, fr: &Fragments, node: NodeIx, bp: &BestPractice) -> Value {
    let g = &project.graph;
    let dims: Vec<Value> = bp
        .dimensions
        .iter()
        .filter_map(|d| g.by_id.get(d))
        .map(|&i| node_link(g, i))
        .collect();
    let related: Vec<Value> = bp
        .related
        .iter()
        .filter_map(|d| g.by_id.get(d))
        .map(|&i| node_link(g, i))
        .collect();
    let additional: Vec<Value> = bp
        .additional_resources
        .iter()
        .map(|a| json!({"kind": a.kind, "content": a.content.iter().map(|r| json!({"text": r.text, "url": r.url})).collect::<Vec<_>>()}))
        .collect();
    json!({
        "id": bp.id,
        "anchor": slug(&bp.id),
        "title": bp.title,
        "risk": bp.risk.map(|r| r.as_str()),
        "general": bp.general,
        "description": html_of(fr, node, Field::Description),
        "implementation": html_of(fr, node, Field::Implementation),
        "improvement_plan": html_of(fr, node, Field::Plan),
        "improvement_plan_url": bp.improvement_plan.as_ref().and_then(|p| p.url.clone()),
        "helpful_resource": resource(&bp.helpful_resource),
        "additional_resources": additional,
        "dimensions": dims,
        "related": related,
        "backlinks": backlinks(g, node),
        "earlier": earlier_meanings(project, node),
    })
}

fn phase_matrix(project: &Project, l: usize) -> Value {
    let lens = &project.lenses[l].lens;
    if lens.phases.is_empty() {
        return Value::Null;
    }
    let g = &project.graph;
    let rows: Vec<Value> = lens
        .phases
        .iter()
        .map(|ph| {
            let cells: Vec<Value> = lens
                .pillars
                .iter()
                .map(|p| {
                    let qs: Vec<Value> = p
                        .questions
                        .iter()
                        .filter(|q| q.phase.as_deref() == Some(ph.id.as_str()))
                        .filter_map(|q| g.by_id.get(&q.id))
                        .map(|&i| node_link(g, i))
                        .collect();
                    json!(qs)
                })
                .collect();
            json!({"name": ph.name, "description": ph.description, "cells": cells})
        })
        .collect();
    json!({"pillars": lens.pillars.iter().map(|p| p.name.clone()).collect::<Vec<_>>(), "rows": rows})
}

fn pages_linking_lens(project: &Project, lens: &str) -> Vec<Value> {
    let g = &project.graph;
    project
        .pages
        .iter()
        .filter(|p| p.front.lens.as_deref() == Some(lens))
        .filter_map(|p| g.by_source.get(&p.source.path))
        .map(|&i| node_link(g, i))
        .collect()
}

/// The lens as AWS Well-Architected Tool JSON, and whether texts over the tool's limits had
/// to be shortened; `None` when even a shortened file would be rejected.
pub(super) fn wa_tool_json(lf: &crate::lens::LensFile) -> Option<(String, bool)> {
    if let Some(json) = crate::aws::lens_json_for_site(lf) {
        return Some((json, false));
    }
    let opts = crate::aws::ExportOptions { truncate: true };
    crate::aws::export_json_with(lf, &opts)
        .ok()
        .map(|(json, _)| (json, true))
}
