//! Site-wide pages: every best practice (filterable by risk), the dimensions x scenarios coverage
//! matrix, 404, the search page, and `sitemap.xml`.

use std::collections::HashSet;

use serde_json::{Value, json};
use tera::Tera;

use super::frame::{Frame, node_link, render_template, with_context};
use crate::diag::Diagnostics;
use crate::graph::{NodeIx, NodeKind, Relation, Target};
use crate::project::{OutFile, Project};
use crate::render::theme::Theme;

/// Renders the site-wide pages.
pub(super) fn render(
    project: &Project,
    frame: &Frame,
    tera: &Tera,
    theme: &Theme,
    diags: &mut Diagnostics,
) -> Vec<OutFile> {
    let mut files = Vec::new();
    for (name, url, title) in [
        (
            "best-practices.html",
            "best-practices.html",
            "All best practices",
        ),
        (
            "coverage.html",
            "coverage.html",
            "Coverage: dimensions × scenarios",
        ),
        ("404.html", "404.html", "Page not found"),
        ("search.html", "search.html", "Search"),
    ] {
        let mut ctx = frame.context(project, url, title);
        match name {
            "best-practices.html" => ctx.insert("practices", &all_practices(project)),
            "coverage.html" => ctx.insert("coverage", &coverage(project)),
            "search.html" => ctx.insert("body_class", "search-page"),
            _ => {}
        }
        match render_template(tera, theme, name, &ctx, url) {
            Ok(f) => files.push(f),
            Err(d) => diags.push(d),
        }
    }
    files
}

fn all_practices(project: &Project) -> Vec<Value> {
    let g = &project.graph;
    g.indexed()
        .filter(|(_, n)| n.kind == NodeKind::BestPractice)
        .map(|(i, _)| {
            let mut v = with_context(g, i);
            let Target::Practice(l, p, q, b) = g.nodes[i].target else {
                return v;
            };
            let bp = &project.lenses[l].lens.pillars[p].questions[q].best_practices[b];
            v["lens"] = json!(project.lenses[l].lens.name);
            v["dimensions"] = json!(
                bp.dimensions
                    .iter()
                    .filter_map(|d| g.by_id.get(d))
                    .map(|&d| node_link(g, d))
                    .collect::<Vec<_>>()
            );
            v
        })
        .collect()
}

fn coverage(project: &Project) -> Value {
    let g = &project.graph;
    let dims: Vec<NodeIx> = g
        .indexed()
        .map(|(i, _)| i)
        .filter(|&i| g.nodes[i].kind == NodeKind::Dimension)
        .collect();
    let scenarios: Vec<NodeIx> = g
        .indexed()
        .map(|(i, _)| i)
        .filter(|&i| g.nodes[i].kind == NodeKind::Scenario)
        .collect();
    let rows: Vec<Value> = dims
        .iter()
        .map(|&d| {
            let serving: HashSet<NodeIx> = g.backlinks[d]
                .iter()
                .filter(|b| b.rel == Relation::Serves)
                .map(|b| b.from)
                .collect();
            let cells: Vec<Value> = scenarios
                .iter()
                .map(|s| {
                    let items: Vec<Value> = g
                        .checklists
                        .get(s)
                        .map(|c| {
                            c.iter()
                                .filter(|b| serving.contains(b))
                                .map(|&b| node_link(g, b))
                                .collect()
                        })
                        .unwrap_or_default();
                    json!(items)
                })
                .collect();
            json!({"dimension": node_link(g, d), "cells": cells})
        })
        .collect();
    let heat: Vec<(String, Vec<usize>)> = rows
        .iter()
        .map(|r| {
            (
                r["dimension"]["title"].as_str().unwrap_or("").to_string(),
                r["cells"]
                    .as_array()
                    .map(|c| c.iter().map(|x| x.as_array().map_or(0, Vec::len)).collect())
                    .unwrap_or_default(),
            )
        })
        .collect();
    let names: Vec<String> = scenarios
        .iter()
        .map(|&s| g.nodes[s].title.clone())
        .collect();
    let picture = super::charts::heat_map(
        "Best practices per responsible-AI dimension (rows) in each scenario's checklist (numbered columns)",
        &heat,
        &names,
    );
    json!({"scenarios": scenarios.iter().map(|&s| node_link(g, s)).collect::<Vec<_>>(), "rows": rows, "heat_map": picture})
}

pub(super) fn sitemap(base: &str, files: &[OutFile]) -> String {
    let mut urls: Vec<&str> = files
        .iter()
        .map(|f| f.path.as_str())
        .filter(|p| p.ends_with(".html") && *p != "404.html")
        .collect();
    urls.sort();
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for u in urls {
        out.push_str(&format!(
            "  <url><loc>{}</loc></url>\n",
            crate::render::escape_html(&format!("{base}{u}"))
        ));
    }
    out.push_str("</urlset>\n");
    out
}
