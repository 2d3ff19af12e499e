//! Page rendering: markdown fragments first (which also yields cross-links and anchors), then
//! backlinks, then one tera render per output page.

use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use rayon::prelude::*;
use serde_json::{Value, json};
use tera::Tera;

use super::nav::Nav;
use super::print::{ARTICLE_END, ARTICLE_START};
use super::{OutFile, Project};
use crate::content::PageKind;
use crate::diag::{Diagnostic, Diagnostics};
use crate::graph::{Graph, NodeKind, Relation, Target, slug};
use crate::lens::{BestPractice, Resource};
use crate::render::markdown::{self, Fragment, Origin, Rendered};
use crate::render::theme::{Theme, template_error};
use crate::render::{ROOT_MARK, fix_root};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    Description,
    Implementation,
    Plan,
    Body,
}

/// Rendered markdown per (node, field).
pub type Fragments = HashMap<(usize, Field), Arc<Rendered>>;

/// Ids the templates themselves put on pages (links to them are valid).
const TEMPLATE_ANCHORS: &[&str] = &[
    "main",
    "referenced-by",
    "best-practices",
    "checklist",
    "risk-rules",
    "contents",
];

/// What makes a fragment's HTML besides its link targets.
struct FragKey {
    text: String,
    heading_shift: u8,
    anchor_prefix: Option<String>,
    source: std::path::PathBuf,
}

impl FragKey {
    fn of(f: &Fragment) -> FragKey {
        FragKey {
            text: f.text.to_string(),
            heading_shift: f.heading_shift,
            anchor_prefix: f.anchor_prefix.map(String::from),
            source: f.source.path.clone(),
        }
    }

    fn hash_of(f: &Fragment) -> u64 {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        (f.text, f.heading_shift, f.anchor_prefix, &f.source.path).hash(&mut h);
        h.finish()
    }

    fn matches(&self, f: &Fragment) -> bool {
        self.text == f.text
            && self.heading_shift == f.heading_shift
            && self.anchor_prefix.as_deref() == f.anchor_prefix
            && self.source == f.source.path
    }
}

/// Rendered fragments kept between builds (for `wa-docs serve`): a fragment is rendered again
/// only when its text changed or a page it links to changed its URL, anchor or title.
#[derive(Default)]
pub struct FragmentMemo {
    map: HashMap<u64, (FragKey, Arc<Rendered>)>,
}

/// Renders every markdown fragment of the project, reusing what `memo` holds.
pub fn render_fragments(
    project: &mut Project,
    diags: &mut Diagnostics,
    mut memo: Option<&mut FragmentMemo>,
) -> Fragments {
    struct Job<'a> {
        node: usize,
        field: Field,
        frag: Fragment<'a>,
    }
    let g = &project.graph;
    let mut jobs: Vec<Job> = Vec::new();
    for (i, node) in g.nodes.iter().enumerate() {
        match node.target {
            Target::Lens(l) => {
                let lf = &project.lenses[l];
                jobs.push(Job {
                    node: i,
                    field: Field::Description,
                    frag: yaml_frag(&lf.lens.description, lf, &lf.lens.id, 1, None),
                });
            }
            Target::Pillar(l, p) => {
                let lf = &project.lenses[l];
                let pillar = &lf.lens.pillars[p];
                jobs.push(Job {
                    node: i,
                    field: Field::Description,
                    frag: yaml_frag(&pillar.description, lf, &pillar.id, 1, None),
                });
            }
            Target::Question(l, p, q) => {
                let lf = &project.lenses[l];
                let question = &lf.lens.pillars[p].questions[q];
                jobs.push(Job {
                    node: i,
                    field: Field::Description,
                    frag: yaml_frag(&question.description, lf, &question.id, 1, None),
                });
            }
            Target::Practice(l, p, q, b) => {
                let lf = &project.lenses[l];
                let bp = &lf.lens.pillars[p].questions[q].best_practices[b];
                let prefix = node.anchor.as_deref();
                jobs.push(Job {
                    node: i,
                    field: Field::Description,
                    frag: yaml_frag(&bp.description, lf, &bp.id, 2, prefix),
                });
                jobs.push(Job {
                    node: i,
                    field: Field::Implementation,
                    frag: yaml_frag(&bp.implementation, lf, &bp.id, 2, prefix),
                });
                if let Some(plan) = &bp.improvement_plan {
                    jobs.push(Job {
                        node: i,
                        field: Field::Plan,
                        frag: yaml_frag(&plan.text, lf, &bp.id, 2, prefix),
                    });
                }
            }
            Target::Page(pi) => {
                let page = &project.pages[pi];
                jobs.push(Job {
                    node: i,
                    field: Field::Body,
                    frag: Fragment {
                        text: page.body(),
                        source: &page.source,
                        origin: Origin::Direct(page.body_offset),
                        heading_shift: 0,
                        anchor_prefix: None,
                    },
                });
            }
        }
    }
    let mut old = memo
        .as_deref_mut()
        .map(|m| std::mem::take(&mut m.map))
        .unwrap_or_default();
    let hashes: Vec<u64> = match memo {
        Some(_) => jobs.iter().map(|j| FragKey::hash_of(&j.frag)).collect(),
        None => Vec::new(),
    };
    let cached: Vec<Option<Arc<Rendered>>> = jobs
        .iter()
        .enumerate()
        .map(|(k, job)| {
            let (key, hit) = old.get(hashes.get(k)?)?;
            if !key.matches(&job.frag) {
                return None;
            }
            let targets = hit.targets_in(g, &job.frag.source.path)?;
            let moved = hit
                .links
                .iter()
                .any(|l| l.dep.is_some_and(|d| l.target != targets[d]));
            if !moved {
                return Some(hit.clone());
            }
            // Same targets, but other nodes were added or removed before them.
            let mut r = Rendered::clone(hit);
            for link in &mut r.links {
                if let Some(d) = link.dep {
                    link.target = targets[d];
                }
            }
            Some(Arc::new(r))
        })
        .collect();
    let results: Vec<(Arc<Rendered>, Vec<Diagnostic>)> = jobs
        .par_iter()
        .zip(cached)
        .map(|(job, hit)| match hit {
            Some(r) => (r, Vec::new()),
            None => {
                let mut d = Vec::new();
                let r = markdown::render(&job.frag, g, &mut d);
                (Arc::new(r), d)
            }
        })
        .collect();
    let mut out = Fragments::new();
    let mut kept = HashMap::new();
    let mut job_of = HashMap::new();
    for (k, (job, (rendered, d))) in jobs.iter().zip(results).enumerate() {
        // Fragments that raised problems are rendered again next time, so they are reported.
        if let Some(&hash) = hashes.get(k)
            && d.is_empty()
        {
            let key = match old.remove(&hash) {
                Some((key, _)) if key.matches(&job.frag) => key,
                _ => FragKey::of(&job.frag),
            };
            kept.insert(hash, (key, rendered.clone()));
        }
        diags.extend(d);
        out.insert((job.node, job.field), rendered);
        job_of.insert((job.node, job.field), k);
    }
    if let Some(m) = memo {
        m.map = kept;
    }
    // Anchors per output file, then every link's anchor is checked and cites become backlinks.
    let mut anchors: HashMap<&str, HashSet<String>> = HashMap::new();
    for (i, node) in g.nodes.iter().enumerate() {
        let set = anchors.entry(node.url.as_str()).or_default();
        if let Some(a) = &node.anchor {
            set.insert(a.clone());
        }
        for f in [
            Field::Description,
            Field::Implementation,
            Field::Plan,
            Field::Body,
        ] {
            if let Some(r) = out.get(&(i, f)) {
                set.extend(r.headings.iter().map(|h| h.id.clone()));
            }
        }
        set.extend(TEMPLATE_ANCHORS.iter().map(|s| s.to_string()));
    }
    let mut cites = Vec::new();
    for (key @ (owner, _), r) in &out {
        let frag = &jobs[job_of[key]].frag;
        for link in &r.links {
            let target_url = if link.target == usize::MAX {
                &g.nodes[*owner].url
            } else {
                &g.nodes[link.target].url
            };
            if let Some(a) = &link.anchor
                && !anchors
                    .get(target_url.as_str())
                    .is_some_and(|s| s.contains(a))
            {
                diags.push(
                    frag.diag(link.at.clone(), &link.token, link.message.clone())
                        .with_hint(anchor_hint(anchors.get(target_url.as_str()), a)),
                );
            }
            if link.target != usize::MAX {
                cites.push((link.target, *owner));
            }
        }
    }
    cites.sort();
    // A best practice cited from its own question page is not a backlink worth listing.
    cites.retain(|&(to, from)| page_owner(g, to) != page_owner(g, from));
    drop(jobs);
    for (to, from) in cites {
        project.graph.add_backlink(to, from, Relation::Cites);
    }
    out
}

fn page_owner(g: &Graph, node: usize) -> usize {
    if g.nodes[node].kind == NodeKind::BestPractice {
        g.nodes[node].parent.unwrap_or(node)
    } else {
        node
    }
}

fn anchor_hint(known: Option<&HashSet<String>>, wanted: &str) -> String {
    let mut v: Vec<&String> = known
        .map(|s| {
            s.iter()
                .filter(|a| !TEMPLATE_ANCHORS.contains(&a.as_str()))
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    let close: Vec<&&String> = v
        .iter()
        .filter(|a| a.contains(wanted) || wanted.contains(a.as_str()))
        .collect();
    if let Some(c) = close.first() {
        format!("did you mean `#{c}`?")
    } else if v.is_empty() {
        "the target page has no headings".into()
    } else {
        format!(
            "anchors on that page: {}",
            v.iter()
                .take(12)
                .map(|s| format!("#{s}"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    }
}

fn yaml_frag<'a>(
    text: &'a str,
    lf: &'a crate::lens::LensFile,
    owner: &'a str,
    shift: u8,
    prefix: Option<&'a str>,
) -> Fragment<'a> {
    Fragment {
        text,
        source: &lf.source,
        origin: Origin::InYaml(owner),
        heading_shift: shift,
        anchor_prefix: prefix,
    }
}

/// Link data for a node, root-relative behind the root placeholder.
pub fn node_link(g: &Graph, i: usize) -> Value {
    let n = &g.nodes[i];
    json!({
        "id": n.id,
        "title": n.title,
        "kind": n.kind,
        "kind_label": n.kind.label(),
        "url": format!("{ROOT_MARK}{}", n.href()),
        "risk": n.risk.map(|r| r.as_str()),
    })
}

fn html_of(f: &Fragments, node: usize, field: Field) -> String {
    f.get(&(node, field))
        .map(|r| r.html.clone())
        .unwrap_or_default()
}

fn resource(r: &Option<Resource>) -> Value {
    match r {
        Some(r) => json!({"text": r.text, "url": r.url}),
        None => Value::Null,
    }
}

/// Backlinks grouped by relation, labelled for the reader.
fn backlinks(g: &Graph, node: usize) -> Vec<Value> {
    let mut groups: Vec<(Relation, Vec<usize>)> = Vec::new();
    let mut links = g.backlinks[node].clone();
    links.sort();
    for b in links {
        match groups.last_mut() {
            Some((rel, items)) if *rel == b.rel => items.push(b.from),
            _ => groups.push((b.rel, vec![b.from])),
        }
    }
    groups
        .into_iter()
        .map(|(rel, items)| {
            let label = match (rel, g.nodes[node].kind) {
                (Relation::Serves, _) => "Best practices that serve this dimension",
                (Relation::Checklist, _) => "Scenarios whose checklist includes this",
                (Relation::Related, _) => "Listed as related by",
                (Relation::Cites, _) => "Cited by",
            };
            let items: Vec<Value> = items.iter().map(|&i| with_context(g, i)).collect();
            json!({"relation": rel, "label": label, "items": items})
        })
        .collect()
}

/// A link plus where the node sits (lens / pillar), for lists that mix lenses.
fn with_context(g: &Graph, i: usize) -> Value {
    let mut v = node_link(g, i);
    let mut trail = Vec::new();
    let mut cur = g.nodes[i].parent;
    while let Some(p) = cur {
        trail.push(g.nodes[p].title.clone());
        cur = g.nodes[p].parent;
    }
    trail.reverse();
    v["context"] = json!(trail.join(" › "));
    v
}

fn practice_value(project: &Project, fr: &Fragments, node: usize, bp: &BestPractice) -> Value {
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
    })
}

pub fn render_pages(
    project: &Project,
    fr: &Fragments,
    tera: &Tera,
    theme: &Theme,
    progress: &(dyn Fn(usize, usize) + Sync),
    diags: &mut Diagnostics,
    memo: Option<&mut PageMemo>,
) -> Vec<OutFile> {
    let g = &project.graph;
    let nav = Nav::build(project);
    let cfg = &project.config;
    let site = json!({
        "title": cfg.book.title,
        "description": cfg.book.description,
        "language": cfg.book.language,
        "authors": cfg.book.authors,
        "site_url": cfg.site_url(),
        "repository": cfg.output.html.git_repository_url,
    });
    // Output pages: every node except best practices (they live on their question's page).
    let mut jobs: Vec<usize> = (0..g.nodes.len())
        .filter(|&i| g.nodes[i].kind != NodeKind::BestPractice)
        .collect();
    jobs.sort_by_key(|&i| nav.order_of(&g.nodes[i].url));
    let total = jobs.len() + 3;
    let done = std::sync::atomic::AtomicUsize::new(0);
    let shared = memo.as_deref();
    let inputs = PageInputs {
        project,
        fr,
        tera,
        theme,
        nav: &nav,
        site: &site,
    };
    let results: Vec<Result<(u64, OutFile), Diagnostic>> = jobs
        .par_iter()
        .map(|&i| {
            let r = render_node(&inputs, i, shared);
            let n = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
            if n.is_multiple_of(64) {
                progress(n, total);
            }
            r
        })
        .collect();
    let mut files = Vec::with_capacity(results.len() + 16);
    let mut kept = HashMap::new();
    for r in results {
        match r {
            Ok((hash, f)) => {
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
        let mut ctx = base_context(project, &nav, &site, url, title);
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
    progress(total, total);
    for lf in &project.lenses {
        if let Some((json, _)) = wa_tool_json(lf) {
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
            bytes: sitemap(&base, &files).into_bytes().into(),
            article: None,
        });
    }
    files.extend(copy_content_assets(project, diags));
    files.extend(crate::checklist::site_files(
        project,
        tera,
        theme,
        &|url: &str, title: &str| base_context(project, &nav, &site, url, title),
        diags,
    ));
    files
}

fn render_template(
    tera: &Tera,
    theme: &Theme,
    name: &str,
    ctx: &tera::Context,
    url: &str,
) -> Result<OutFile, Diagnostic> {
    let html = tera
        .render(name, ctx)
        .map_err(|e| template_error(&e, &theme.origin(name), None))?;
    let article = html
        .split_once(ARTICLE_START)
        .and_then(|(_, rest)| rest.split_once(ARTICLE_END))
        .map(|(a, _)| a.into());
    Ok(OutFile {
        path: url.to_string(),
        bytes: fix_root(&html, url).into_bytes().into(),
        article,
    })
}

fn base_context(
    project: &Project,
    nav: &Nav,
    site: &Value,
    url: &str,
    title: &str,
) -> tera::Context {
    let mut ctx = context_without_nav(project, nav, site, url, title);
    ctx.insert("nav", &nav.html(url));
    ctx
}

/// The context every page has, except the sidebar (which is a function of the URL and the
/// [`Nav`], so a page memo can stand it in by [`Nav::signature`]).
fn context_without_nav(
    project: &Project,
    nav: &Nav,
    site: &Value,
    url: &str,
    title: &str,
) -> tera::Context {
    let mut ctx = tera::Context::new();
    ctx.insert("site", site);
    ctx.insert("root", ROOT_MARK);
    ctx.insert("title", title);
    ctx.insert("url", url);
    let (prev, next) = nav.neighbours(url);
    ctx.insert("prev", &prev);
    ctx.insert("next", &next);
    ctx.insert("breadcrumbs", &Vec::<Value>::new());
    ctx.insert("toc", &Vec::<Value>::new());
    ctx.insert("backlinks", &Vec::<Value>::new());
    ctx.insert("description", &project.config.book.description);
    ctx.insert("edit_url", &Value::Null);
    ctx
}

fn breadcrumbs(project: &Project, nav: &Nav, i: usize) -> Vec<Value> {
    let g = &project.graph;
    let mut trail = Vec::new();
    let mut cur = g.nodes[i].parent;
    while let Some(p) = cur {
        trail.push(node_link(g, p));
        cur = g.nodes[p].parent;
    }
    if g.nodes[i].parent.is_none() && matches!(g.nodes[i].target, Target::Page(_)) {
        trail.extend(nav.folder_crumbs(&g.nodes[i].url));
    }
    if let Some(&home) = g.by_id.get("home")
        && home != i
        && g.nodes[home].url == "index.html"
    {
        trail.push(node_link(g, home));
    }
    trail.reverse();
    trail
}

/// The template and context of a node's page.
fn node_context(
    project: &Project,
    fr: &Fragments,
    nav: &Nav,
    site: &Value,
    i: usize,
) -> (&'static str, tera::Context) {
    let g = &project.graph;
    let node = &g.nodes[i];
    let mut ctx = context_without_nav(project, nav, site, &node.url, &node.title);
    ctx.insert("node", &node_link(g, i));
    ctx.insert("breadcrumbs", &breadcrumbs(project, nav, i));
    ctx.insert("backlinks", &backlinks(g, i));
    let toc: Vec<Value>;
    let template = match node.target {
        Target::Lens(l) => {
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
            ctx.insert("preambles", &pages_linking_lens(project, &lens.id));
            ctx.insert(
                "wa_tool_json",
                &wa_tool_json(&project.lenses[l])
                    .map(|(_, shortened)| json!({"url": "lens.json", "shortened": shortened})),
            );
            toc = pillars.iter().map(|p| json!({"level": 2, "id": slug(p["id"].as_str().unwrap_or("")), "text": p["title"]})).collect();
            "lens.html"
        }
        Target::Pillar(..) => {
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
            toc = qs.iter().map(|q| json!({"level": 2, "id": slug(q["id"].as_str().unwrap_or("")), "text": q["title"]})).collect();
            ctx.insert("questions", &qs);
            "pillar.html"
        }
        Target::Question(l, p, q) => {
            let question = &project.lenses[l].lens.pillars[p].questions[q];
            ctx.insert("content", &html_of(fr, i, Field::Description));
            let kids = g.children(i);
            let practices: Vec<Value> = question
                .best_practices
                .iter()
                .zip(kids.iter())
                .map(|(bp, &n)| practice_value(project, fr, n, bp))
                .collect();
            toc = practices.iter().map(|b| json!({"level": 2, "id": b["anchor"], "text": format!("{} {}", b["id"].as_str().unwrap_or(""), b["title"].as_str().unwrap_or(""))})).collect();
            ctx.insert("practices", &practices);
            ctx.insert("question", &json!({
                "id": question.id,
                "phase": question.phase.as_ref().and_then(|ph| project.lenses[l].lens.phases.iter().find(|x| &x.id == ph)).map(|x| x.name.clone()),
                "helpful_resource": resource(&question.helpful_resource),
                "risk_rules": question.risk_rules.iter().map(|r| json!({"condition": r.condition, "risk": r.risk.as_str()})).collect::<Vec<_>>(),
            }));
            "question.html"
        }
        Target::Page(pi) => {
            let page = &project.pages[pi];
            let body = fr.get(&(i, Field::Body));
            ctx.insert("content", &body.map(|r| r.html.clone()).unwrap_or_default());
            toc = body
                .map(|r| {
                    r.headings
                        .iter()
                        .filter(|h| h.level == 2 || h.level == 3)
                        .map(|h| json!({"level": h.level, "id": h.id, "text": h.text}))
                        .collect()
                })
                .unwrap_or_default();
            ctx.insert("kind", page.front.kind.as_str());
            if let Some(d) = &page.front.description {
                ctx.insert("description", d);
            }
            if let Some(tpl) = &project.config.output.html.edit_url_template {
                ctx.insert(
                    "edit_url",
                    &tpl.replace("{path}", &page.source.path.to_string_lossy()),
                );
            }
            if page.front.kind == PageKind::Scenario {
                let chosen = g.checklists.get(&i).map(Vec::as_slice).unwrap_or(&[]);
                ctx.insert("checklist", &checklist_groups(g, chosen));
                ctx.insert(
                    "checklist_general",
                    &(g.checklist_items(i).len() - chosen.len()),
                );
            }
            if page.url == "index.html" {
                ctx.insert(
                    "lenses",
                    &g.nodes
                        .iter()
                        .enumerate()
                        .filter(|(_, n)| n.kind == NodeKind::Lens)
                        .map(|(j, _)| node_link(g, j))
                        .collect::<Vec<_>>(),
                );
            }
            "page.html"
        }
        Target::Practice(..) => unreachable!("best practices are rendered on their question page"),
    };
    ctx.insert("toc", &toc);
    (template, ctx)
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
struct PageInputs<'a> {
    project: &'a Project,
    fr: &'a Fragments,
    tera: &'a Tera,
    theme: &'a Theme,
    nav: &'a Nav,
    site: &'a Value,
}

/// Renders a node's page, or takes it from `memo` when its inputs are unchanged.
fn render_node(
    inputs: &PageInputs,
    i: usize,
    memo: Option<&PageMemo>,
) -> Result<(u64, OutFile), Diagnostic> {
    let PageInputs {
        project,
        fr,
        tera,
        theme,
        nav,
        site,
    } = *inputs;
    let (template, mut ctx) = node_context(project, fr, nav, site, i);
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

/// The lens as AWS Well-Architected Tool JSON, and whether texts over the tool's limits had
/// to be shortened; `None` when even a shortened file would be rejected.
fn wa_tool_json(lf: &crate::lens::LensFile) -> Option<(String, bool)> {
    if let Some(json) = crate::aws::lens_json_for_site(lf) {
        return Some((json, false));
    }
    let opts = crate::aws::ExportOptions { truncate: true };
    crate::aws::export_json_with(lf, &opts)
        .ok()
        .map(|(json, _)| (json, true))
}

/// Checklist items grouped lens -> pillar -> question.
pub fn checklist_groups(g: &Graph, items: &[usize]) -> Vec<Value> {
    /// (pillar, [(question, [best practice])]).
    type Group = (usize, Vec<(usize, Vec<usize>)>);
    let mut groups: Vec<Group> = Vec::new();
    let mut sorted = items.to_vec();
    sorted.sort();
    for bp in sorted {
        let Some(q) = g.nodes[bp].parent else {
            continue;
        };
        let Some(pillar) = g.nodes[q].parent else {
            continue;
        };
        match groups.iter_mut().find(|(p, _)| *p == pillar) {
            Some((_, qs)) => match qs.iter_mut().find(|(qq, _)| *qq == q) {
                Some((_, bps)) => bps.push(bp),
                None => qs.push((q, vec![bp])),
            },
            None => groups.push((pillar, vec![(q, vec![bp])])),
        }
    }
    groups
        .into_iter()
        .map(|(p, qs)| {
            let mut v = with_context(g, p);
            v["questions"] = json!(
                qs.into_iter()
                    .map(|(q, bps)| {
                        let mut qv = node_link(g, q);
                        qv["practices"] =
                            json!(bps.into_iter().map(|b| node_link(g, b)).collect::<Vec<_>>());
                        qv
                    })
                    .collect::<Vec<_>>()
            );
            v
        })
        .collect()
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

fn all_practices(project: &Project) -> Vec<Value> {
    let g = &project.graph;
    g.nodes
        .iter()
        .enumerate()
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
    let dims: Vec<usize> = (0..g.nodes.len())
        .filter(|&i| g.nodes[i].kind == NodeKind::Dimension)
        .collect();
    let scenarios: Vec<usize> = (0..g.nodes.len())
        .filter(|&i| g.nodes[i].kind == NodeKind::Scenario)
        .collect();
    let rows: Vec<Value> = dims
        .iter()
        .map(|&d| {
            let serving: HashSet<usize> = g.backlinks[d]
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
    json!({"scenarios": scenarios.iter().map(|&s| node_link(g, s)).collect::<Vec<_>>(), "rows": rows})
}

fn sitemap(base: &str, files: &[OutFile]) -> String {
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

/// Non-markdown files under content/ (images, downloads) are copied as they are.
fn copy_content_assets(project: &Project, diags: &mut Diagnostics) -> Vec<OutFile> {
    let dir = project.root.join(&project.config.wa.content_dir);
    let mut out = Vec::new();
    if !dir.is_dir() {
        return out;
    }
    for entry in walkdir::WalkDir::new(&dir)
        .follow_links(false)
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
