//! Renders the site's pages: one tera render per graph node (in parallel, memoised for
//! `wa-docs serve`), the site-wide pages, and the files beside them (lens JSON, theme assets,
//! schema, sitemap, content assets). Each page kind's context lives in its own module.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};

use rayon::prelude::*;
use serde_json::Value;
use tera::Tera;

use super::frame::{Frame, backlinks, breadcrumbs, earlier_meanings, node_link, render_template};
use super::{changes_pages, content_pages, index_pages, lens_pages};
use crate::config::PrintPolicy;
use crate::diag::{Diagnostic, Diagnostics};
use crate::graph::{NodeIx, NodeKind, Target};
use crate::project::{Emit, OutFile, Project};
use crate::render::fragments::Fragments;
use crate::render::theme::{Theme, template_error};
use crate::render::{path_to_root, redirect};

/// Renders every page of the site and the files beside them.
pub fn render_pages(
    inputs: &PageInputs,
    progress: &(dyn Fn(usize, usize) + Sync),
    diags: &mut Diagnostics,
    memo: Option<&mut PageMemo>,
    emit: Option<&dyn Emit>,
) -> Vec<OutFile> {
    let &PageInputs {
        project,
        tera,
        theme,
        frame,
        ..
    } = inputs;
    let g = &project.graph;
    let nav = &frame.nav;
    let cfg = &project.config;
    // Output pages: every node except best practices (they live on their question's page).
    let mut jobs: Vec<NodeIx> = g
        .indexed()
        .map(|(i, _)| i)
        .filter(|&i| g.nodes[i].kind != NodeKind::BestPractice)
        .collect();
    jobs.sort_by_key(|&i| nav.order_of(&g.nodes[i].url));
    let total = jobs.len() + 3;
    let done = std::sync::atomic::AtomicUsize::new(0);
    let shared = memo.as_deref();
    let results: Vec<Result<(u64, OutFile), Diagnostic>> = jobs
        .par_iter()
        .map(|&i| {
            let mut r = render_node(inputs, i, shared);
            // Written as soon as it is made; what the later stages read stays, and the article
            // only if the print view will show it.
            if let (Some(out), Ok((_, f))) = (emit, &mut r) {
                out.emit(f);
                *f = f.stub();
                let printed = match frame.print {
                    PrintPolicy::All | PrintPolicy::Auto => true,
                    PrintPolicy::Lenses => super::print::is_from_lenses(&g.nodes[i]),
                    PrintPolicy::Off => false,
                };
                if !printed {
                    f.article = None;
                }
            }
            let n = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
            if n.is_multiple_of(64) {
                progress(n, total);
            }
            r
        })
        .collect();
    let mut files = Vec::with_capacity(results.len() + 16);
    let mut streamed = 0;
    let mut kept = HashMap::new();
    for r in results {
        match r {
            Ok((hash, f)) => {
                streamed += usize::from(emit.is_some());
                if memo.is_some() {
                    kept.insert(f.path.clone(), (hash, f.clone()));
                }
                files.push(f)
            }
            Err(d) => diags.push(d),
        }
    }
    if let Some(m) = memo {
        m.map = kept;
    }
    files.extend(index_pages::render(project, frame, tera, theme, diags));
    files.extend(redirect_pages(project));
    files.extend(changes_pages::render(project, frame, tera, theme, diags));
    progress(total, total);
    for lf in &project.lenses {
        if let Some((json, _)) = lens_pages::wa_tool_json(lf) {
            files.push(OutFile {
                path: format!("lenses/{}/lens.json", lf.lens.id),
                bytes: json.into_bytes().into(),
                article: None,
            });
        }
    }
    for (path, file) in theme.assets() {
        files.push(OutFile {
            path: format!("assets/{path}"),
            bytes: file.bytes.clone().into(),
            article: None,
        });
    }
    let schema = serde_json::to_vec_pretty(&crate::lens::json_schema()).unwrap_or_default();
    files.push(OutFile {
        path: "schema/lens.schema.json".into(),
        bytes: schema.into(),
        article: None,
    });
    if let Some(base) = cfg.site_url() {
        files.push(OutFile {
            path: "sitemap.xml".into(),
            bytes: index_pages::sitemap(&base, &files).into_bytes().into(),
            article: None,
        });
    }
    files.extend(copy_content_assets(project, diags));
    // Node pages went out as they were rendered; the rest go now.
    if let Some(out) = emit {
        for f in &mut files[streamed..] {
            out.emit(f);
            *f = f.stub();
        }
    }
    files
}

/// The template and context of a node's page.
fn node_context(
    project: &Project,
    fr: &Fragments,
    frame: &Frame,
    i: NodeIx,
) -> (&'static str, tera::Context) {
    let g = &project.graph;
    let node = &g.nodes[i];
    let mut ctx = frame.context_without_nav(project, &node.url, &node.title);
    ctx.insert("node", &node_link(g, i));
    ctx.insert("breadcrumbs", &breadcrumbs(project, &frame.nav, i));
    ctx.insert("backlinks", &backlinks(g, i));
    ctx.insert("earlier", &earlier_meanings(project, i));
    let (template, toc) = match node.target {
        Target::Lens(l) => lens_pages::lens(project, fr, i, l, &mut ctx),
        Target::Pillar(..) => lens_pages::pillar(project, fr, i, &mut ctx),
        Target::Question(l, p, q) => lens_pages::question(project, fr, i, (l, p, q), &mut ctx),
        Target::Page(pi) => content_pages::page(project, fr, i, pi, &mut ctx),
        Target::Practice(..) => unreachable!("best practices are rendered on their question page"),
    };
    ctx.insert("toc", &toc);
    // Old anchors of this page that moved elsewhere (followed by `wa.js`).
    if let Some(moved) = project.redirects.anchors.get(&node.url) {
        let root = path_to_root(&node.url);
        let map: serde_json::Map<String, Value> = moved
            .iter()
            .map(|(a, &to)| {
                (
                    a.clone(),
                    Value::String(format!("{root}{}", g.nodes[to].href())),
                )
            })
            .collect();
        ctx.insert("moved", &Value::Object(map).to_string());
    }
    (template, ctx)
}

/// Pages at the old URLs of earlier lens versions and page aliases.
fn redirect_pages(project: &Project) -> Vec<OutFile> {
    let g = &project.graph;
    project
        .redirects
        .pages
        .values()
        .map(|r| {
            let anchors: Vec<(String, String)> = r
                .anchors
                .iter()
                .map(|(a, &to)| (a.clone(), g.nodes[to].href()))
                .collect();
            let to = &g.nodes[r.to];
            let html = redirect::page(
                &r.url,
                &to.href(),
                &to.title,
                &project.config.book.language,
                &anchors,
            );
            OutFile {
                path: r.url.clone(),
                bytes: html.into_bytes().into(),
                article: None,
            }
        })
        .collect()
}

/// Pages kept between builds (for `wa-docs serve`), with a hash of the template and context
/// they were rendered from: a page is rendered again only when that changes.
#[derive(Default)]
pub struct PageMemo {
    map: HashMap<String, (u64, OutFile)>,
}

fn hash_value(v: &Value, h: &mut impl Hasher) {
    match v {
        Value::Null => 0u8.hash(h),
        Value::Bool(b) => (1u8, b).hash(h),
        Value::Number(n) => (2u8, n.to_string()).hash(h),
        Value::String(s) => (3u8, s).hash(h),
        Value::Array(a) => {
            (4u8, a.len()).hash(h);
            a.iter().for_each(|x| hash_value(x, h));
        }
        Value::Object(o) => {
            (5u8, o.len()).hash(h);
            for (k, x) in o {
                k.hash(h);
                hash_value(x, h);
            }
        }
    }
}

/// What every page render reads.
pub struct PageInputs<'a> {
    pub project: &'a Project,
    pub fr: &'a Fragments,
    pub tera: &'a Tera,
    pub theme: &'a Theme,
    pub frame: &'a Frame,
}

/// Renders one node's page (`wa-docs serve` renders pages on request after an edit).
pub fn render_node_page(inputs: &PageInputs, i: NodeIx) -> Result<OutFile, Diagnostic> {
    render_node(inputs, i, None).map(|(_, f)| f)
}

/// Renders a node's page, or takes it from `memo` when its inputs are unchanged.
fn render_node(
    inputs: &PageInputs,
    i: NodeIx,
    memo: Option<&PageMemo>,
) -> Result<(u64, OutFile), Diagnostic> {
    let PageInputs {
        project,
        fr,
        tera,
        theme,
        frame,
    } = *inputs;
    let nav = &frame.nav;
    let (template, mut ctx) = node_context(project, fr, frame, i);
    let url = &project.graph.nodes[i].url;
    let Some(memo) = memo else {
        ctx.insert("nav", &nav.html(url));
        return render_template(tera, theme, template, &ctx, url).map(|f| (0, f));
    };
    let json = ctx.into_json();
    let mut h = std::collections::hash_map::DefaultHasher::new();
    (template, nav.signature()).hash(&mut h);
    hash_value(&json, &mut h);
    let hash = h.finish();
    if let Some((old, f)) = memo.map.get(url)
        && *old == hash
    {
        return Ok((hash, f.clone()));
    }
    let mut ctx = tera::Context::from_value(json)
        .map_err(|e| template_error(&e, &theme.origin(template), None))?;
    ctx.insert("nav", &nav.html(url));
    render_template(tera, theme, template, &ctx, url).map(|f| (hash, f))
}

/// Non-markdown files under content/ (images, downloads) are copied as they are.
fn copy_content_assets(project: &Project, diags: &mut Diagnostics) -> Vec<OutFile> {
    let dir = project.root.join(&project.config.wa.content_dir);
    let mut out = Vec::new();
    if !dir.is_dir() {
        return out;
    }
    // Links are followed as when pages are listed, which has already refused loops.
    for entry in walkdir::WalkDir::new(&dir)
        .follow_links(true)
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'))
        .flatten()
    {
        if !entry.file_type().is_file() || entry.path().extension().is_some_and(|e| e == "md") {
            continue;
        }
        let rel = entry.path().strip_prefix(&dir).unwrap_or(entry.path());
        let url = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        match std::fs::read(entry.path()) {
            Ok(bytes) => out.push(OutFile {
                path: url,
                bytes: bytes.into(),
                article: None,
            }),
            Err(e) => diags
                .push(Diagnostic::error(format!("cannot read file: {e}")).in_file(entry.path())),
        }
    }
    out
}
