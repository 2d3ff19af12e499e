//! What every page shares: the page frame (site metadata and the navigation sidebar), the
//! template call, and the link values templates show for graph nodes.

use serde_json::{Value, json};
use tera::Tera;

use super::nav::Nav;
use super::print::{ARTICLE_END, ARTICLE_START};
use crate::diag::Diagnostic;
use crate::graph::{Graph, NodeIx, Relation, Target};
use crate::lens::Resource;
use crate::project::{OutFile, Project};
use crate::render::fragments::{Field, Fragments};
use crate::render::theme::{Theme, template_error};
use crate::render::{ROOT_MARK, fix_root};

/// The frame around every page: site metadata and the navigation, built once per build and
/// shared by the site's pages and the checklist pages.
pub struct Frame {
    pub(crate) nav: Nav,
    site: Value,
    /// The print view's policy for this build: never `Auto`.
    pub print: crate::config::PrintPolicy,
}

impl Frame {
    /// `print` is the print view's policy as resolved for this build (`print::resolve`).
    pub fn new(project: &Project, print: crate::config::PrintPolicy) -> Frame {
        let cfg = &project.config;
        let site = json!({
            "title": cfg.book.title,
            "description": cfg.book.description,
            "language": cfg.book.language,
            "authors": cfg.book.authors,
            "site_url": cfg.site_url(),
            "repository": cfg.output.html.git_repository_url,
            // Whether there is a print view to link to (`[wa] print = "off"`: none).
            "print": print != crate::config::PrintPolicy::Off,
        });
        Frame {
            nav: Nav::build(project, print),
            site,
            print,
        }
    }

    /// The context every page starts from, sidebar included.
    pub fn context(&self, project: &Project, url: &str, title: &str) -> tera::Context {
        let mut ctx = self.context_without_nav(project, url, title);
        ctx.insert("nav", &self.nav.html(url));
        ctx
    }

    /// The context every page has, except the sidebar (which is a function of the URL and the
    /// [`Nav`], so a page memo can stand it in by [`Nav::signature`]).
    pub(crate) fn context_without_nav(
        &self,
        project: &Project,
        url: &str,
        title: &str,
    ) -> tera::Context {
        let nav = &self.nav;
        let mut ctx = tera::Context::new();
        ctx.insert("site", &self.site);
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
}

pub(crate) fn render_template(
    tera: &Tera,
    theme: &Theme,
    name: &str,
    ctx: &tera::Context,
    url: &str,
) -> Result<OutFile, Diagnostic> {
    let html = tera
        .render(name, ctx)
        .map_err(|e| template_error(&e, &theme.origin(name), None))?;
    // memmem: the markers are searched for in every page, and std's search was a tenth of
    // the pages stage.
    let article = memchr::memmem::find(html.as_bytes(), ARTICLE_START.as_bytes())
        .map(|at| &html[at + ARTICLE_START.len()..])
        .and_then(|rest| {
            memchr::memmem::find(rest.as_bytes(), ARTICLE_END.as_bytes()).map(|end| &rest[..end])
        })
        .map(Into::into);
    Ok(OutFile {
        path: url.to_string(),
        bytes: fix_root(&html, url).into_bytes().into(),
        article,
    })
}

/// Link data for a node, root-relative behind the root placeholder.
pub fn node_link(g: &Graph, i: NodeIx) -> Value {
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

pub(crate) fn html_of(f: &Fragments, node: NodeIx, field: Field) -> String {
    f.get(&(node, field))
        .map(|r| r.html.get())
        .unwrap_or_default()
}

pub(crate) fn resource(r: &Option<Resource>) -> Value {
    match r {
        Some(r) => json!({"text": r.text, "url": r.url}),
        None => Value::Null,
    }
}

/// Backlinks grouped by relation, labelled for the reader.
pub(crate) fn backlinks(g: &Graph, node: NodeIx) -> Vec<Value> {
    let mut groups: Vec<(Relation, Vec<NodeIx>)> = Vec::new();
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
pub(crate) fn with_context(g: &Graph, i: NodeIx) -> Value {
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

pub(crate) fn breadcrumbs(project: &Project, nav: &Nav, i: NodeIx) -> Vec<Value> {
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

/// Where the topics went that this node's id named in earlier lens versions:
/// `[{version, link}]`, empty when the id kept its meaning.
pub(crate) fn earlier_meanings(project: &Project, node: NodeIx) -> Vec<Value> {
    let g = &project.graph;
    project
        .redirects
        .notices
        .get(&node)
        .map(|list| {
            list.iter()
                .map(|(version, to)| json!({"version": version, "link": node_link(g, *to)}))
                .collect()
        })
        .unwrap_or_default()
}
