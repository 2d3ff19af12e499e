//! The checklist pages in the site (`checklists/<id>.html`, template `checklist.html`), the
//! exports beside them, and the JSON Schema of the JSON export.

use std::collections::{HashMap, HashSet};

use rayon::prelude::*;
use serde_json::{Value, json};
use tera::Tera;

use super::{
    Assets, Checklist, DIR, Format, SCHEMA_PATH, file_key, html, json as json_export, local_url,
};
use crate::content::PageKind;
use crate::diag::{Diagnostic, Diagnostics};
use crate::graph::slug;
use crate::project::{OutFile, Project};
use crate::render::fix_root;
use crate::render::theme::{Theme, template_error};

/// Every checklist page, its exports and the schema. `context(url, title)` gives the base
/// template context every site page gets (navigation, site data).
pub fn site_files(
    project: &Project,
    tera: &Tera,
    theme: &Theme,
    context: &(dyn Fn(&str, &str) -> tera::Context + Sync),
    diags: &mut Diagnostics,
) -> Vec<OutFile> {
    let lists = super::all(project);
    if !check_paths(project, &lists, diags) {
        return Vec::new();
    }
    let assets = Assets::from_theme(theme);
    let results: Vec<Result<Vec<OutFile>, Diagnostic>> = lists
        .par_iter()
        .map(|cl| {
            let mut out: Vec<OutFile> = Format::ALL
                .iter()
                .map(|&f| OutFile {
                    path: format!("{DIR}/{}{}", cl.id, f.suffix()),
                    bytes: cl.export(f, &assets).into(),
                    article: None,
                })
                .collect();
            out.push(page(project, tera, theme, context, cl)?);
            Ok(out)
        })
        .collect();
    let mut files = Vec::new();
    for r in results {
        match r {
            Ok(f) => files.extend(f),
            Err(d) => diags.push(d),
        }
    }
    files.push(OutFile {
        path: SCHEMA_PATH.into(),
        bytes: json_export::schema_bytes().into(),
        article: None,
    });
    files.extend(renamed_checklists(project));
    files
}

/// A renamed scenario (`aliases: [scenarios/old.html]`) takes its checklist's old URLs along:
/// `checklists/old.html` and `checklists/old.embed.html` redirect to the new ones, keeping the
/// fragment, so saved share links still open.
fn renamed_checklists(project: &Project) -> Vec<OutFile> {
    let g = &project.graph;
    let mut out = Vec::new();
    for page in project
        .pages
        .iter()
        .filter(|p| p.front.kind == PageKind::Scenario)
    {
        let Some(&node) = g.by_source.get(&page.source.path) else {
            continue;
        };
        let new = file_key(&g.nodes[node].id);
        for alias in &page.front.aliases {
            let Some(old) = alias
                .strip_prefix("scenarios/")
                .and_then(|a| a.strip_suffix(".html"))
                .map(file_key)
            else {
                continue;
            };
            if old == new {
                continue;
            }
            for suffix in [".html", ".embed.html"] {
                let url = format!("{DIR}/{old}{suffix}");
                let html = crate::render::redirect::page(
                    &url,
                    &format!("{DIR}/{new}{suffix}"),
                    &format!("Checklist: {}", g.nodes[node].title),
                    &project.config.book.language,
                    &[],
                );
                out.push(OutFile {
                    path: url,
                    bytes: html.into_bytes().into(),
                    article: None,
                });
            }
        }
    }
    out
}

/// Two checklists, or a checklist and a content page, must not write the same file.
fn check_paths(project: &Project, lists: &[Checklist], diags: &mut Diagnostics) -> bool {
    let pages: HashSet<&str> = project.pages.iter().map(|p| p.url.as_str()).collect();
    // Point at the scenario page whose id gives the clashing name, when there is one.
    let locate = |id: &str, d: Diagnostic| -> Diagnostic {
        let page = project.pages.iter().find(|p| {
            p.front.kind == crate::content::PageKind::Scenario && super::file_key(&p.id) == id
        });
        match page {
            Some(p) => {
                let src = &p.source;
                let at = src.text.find("id:").unwrap_or(0);
                d.at(&src.path, &src.text, at, 3)
            }
            None => d,
        }
    };
    let mut seen: HashMap<String, &str> = HashMap::new();
    let mut ok = true;
    for cl in lists {
        let paths = std::iter::once(format!("{DIR}/{}.html", cl.id)).chain(
            Format::ALL
                .iter()
                .map(|f| format!("{DIR}/{}{}", cl.id, f.suffix())),
        );
        for path in paths {
            if let Some(prev) = seen.insert(path.clone(), &cl.id) {
                ok = false;
                diags.push(locate(
                    &cl.id,
                    Diagnostic::error(format!(
                        "the checklists `{prev}` and `{}` would both be written to `{path}`",
                        cl.id
                    ))
                    .with_hint(
                        "give the scenario another id: lens checklists are `lens-<lens id>`",
                    ),
                ));
            }
            if pages.contains(path.as_str()) {
                ok = false;
                diags.push(
                    Diagnostic::error(format!(
                        "a page would be written to `{path}`, where the checklist `{}` goes",
                        cl.id
                    ))
                    .with_hint("move the page out of the `checklists` folder"),
                );
            }
        }
    }
    ok
}

fn page(
    project: &Project,
    tera: &Tera,
    theme: &Theme,
    context: &(dyn Fn(&str, &str) -> tera::Context + Sync),
    cl: &Checklist,
) -> Result<OutFile, Diagnostic> {
    let url = format!("{DIR}/{}.html", cl.id);
    let title = cl.heading();
    let mut ctx = context(&url, &title);
    let local = |u: &str| local_url(cl, u);
    let mut crumbs: Vec<Value> = Vec::new();
    if let Some(home) = project.graph.get("home")
        && home.url == "index.html"
    {
        crumbs.push(json!({"title": home.title, "url": "../index.html"}));
    }
    crumbs.push(json!({"title": cl.title, "url": local(&cl.source_url)}));
    ctx.insert("breadcrumbs", &crumbs);
    if let Some(d) = &cl.description {
        ctx.insert("description", d);
    }
    let toc: Vec<Value> = cl
        .lenses
        .iter()
        .flat_map(|l| {
            l.pillars.iter().map(move |p| {
                json!({"level": 2, "id": format!("cl-p-{}", slug(&p.id)), "text": cl.pillar_heading(l, p)})
            })
        })
        .collect();
    ctx.insert("toc", &toc);
    ctx.insert(
        "checklist",
        &json!({
            "id": cl.id,
            "kind": cl.kind,
            "kind_label": cl.kind_label(),
            "title": cl.title,
            "description": cl.description,
            "source_url": local(&cl.source_url),
            "lenses": cl.lens_summary(),
            "count": cl.count_label(),
            "questions": cl.questions().count(),
        }),
    );
    let exports: Vec<Value> = Format::ALL
        .iter()
        .map(|f| json!({"format": f.name(), "label": f.label(), "url": format!("{}{}", cl.id, f.suffix())}))
        .collect();
    ctx.insert("exports", &exports);
    // Whole-lens checklists: the lenses this checklist draws on, or the other lenses.
    let lens_checklists: Vec<Value> = project
        .lenses
        .iter()
        .map(|lf| &lf.lens)
        .filter(|l| format!("lens-{}", super::file_key(&l.id)) != cl.id)
        .filter(|l| cl.kind == super::Kind::Lens || cl.lenses.iter().any(|g| g.id == l.id))
        .map(|l| json!({"title": l.name, "url": format!("lens-{}.html", super::file_key(&l.id))}))
        .collect();
    ctx.insert("lens_checklists", &lens_checklists);
    ctx.insert("toolbar", &html::toolbar(cl));
    ctx.insert("list", &html::list(cl, &local));
    ctx.insert("data", &html::data(cl));
    let html = tera
        .render("checklist.html", &ctx)
        .map_err(|e| template_error(&e, &theme.origin("checklist.html"), None))?;
    Ok(OutFile {
        bytes: fix_root(&html, &url).into_bytes().into(),
        path: url,
        article: None,
    })
}
