//! One id space over lenses, pillars, questions, best practices and pages; URLs derived from
//! ids; structural links (dimensions, related, checklists) and the backlinks they imply.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::content::{Page, PageKind};
use crate::diag::{Diagnostic, Diagnostics, Severity};
use crate::lens::{LensFile, RiskLevel};

mod ix;
pub use ix::{NodeIx, PageIx};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum NodeKind {
    Lens,
    Pillar,
    Question,
    BestPractice,
    Dimension,
    Scenario,
    Preamble,
    Page,
}

impl NodeKind {
    pub fn label(self) -> &'static str {
        match self {
            NodeKind::Lens => "Lens",
            NodeKind::Pillar => "Pillar",
            NodeKind::Question => "Question",
            NodeKind::BestPractice => "Best practice",
            NodeKind::Dimension => "Dimension",
            NodeKind::Scenario => "Scenario",
            NodeKind::Preamble => "Preamble",
            NodeKind::Page => "Page",
        }
    }
}

/// Where a node's data lives: indices into the lens and page lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Lens(usize),
    Pillar(usize, usize),
    Question(usize, usize, usize),
    Practice(usize, usize, usize, usize),
    Page(PageIx),
}

#[derive(Debug, Clone, Serialize)]
pub struct Node {
    pub id: String,
    pub kind: NodeKind,
    pub title: String,
    /// Output file relative to the site root.
    pub url: String,
    pub anchor: Option<String>,
    pub parent: Option<NodeIx>,
    pub risk: Option<RiskLevel>,
    #[serde(skip)]
    pub target: Target,
}

impl Node {
    /// `url#anchor`, relative to the site root.
    pub fn href(&self) -> String {
        match &self.anchor {
            Some(a) => format!("{}#{a}", self.url),
            None => self.url.clone(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Relation {
    /// A best practice serves a dimension.
    Serves,
    /// A scenario's checklist includes a best practice.
    Checklist,
    /// Listed under `related:`.
    Related,
    /// Linked from markdown.
    Cites,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Backlink {
    pub from: NodeIx,
    pub rel: Relation,
}

#[derive(Debug, Default)]
pub struct Graph {
    pub nodes: Vec<Node>,
    pub by_id: HashMap<String, NodeIx>,
    /// Content pages by source path (relative to the project root), for `.md` links.
    pub by_source: HashMap<PathBuf, NodeIx>,
    pub backlinks: Vec<Vec<Backlink>>,
    /// Scenario node -> the best-practice nodes its page chooses, in order, without repeats.
    pub checklists: HashMap<NodeIx, Vec<NodeIx>>,
    /// Best practices marked `general`: they apply to every workload of their lens.
    pub general: Vec<NodeIx>,
    /// An id from an earlier lens version (`previous-ids:`) -> the node that now holds its topic.
    pub previous: HashMap<String, NodeIx>,
}

/// Output files the site itself writes; pages cannot take these URLs.
pub const RESERVED_URLS: &[&str] = &[
    "404.html",
    "search.html",
    "print.html",
    "best-practices.html",
    "coverage.html",
    "sitemap.xml",
];

pub fn lens_url(lens: &str) -> String {
    format!("lenses/{lens}/index.html")
}

pub fn slug(id: &str) -> String {
    id.to_ascii_lowercase()
}

impl Graph {
    pub fn get(&self, id: &str) -> Option<&Node> {
        self.by_id.get(id).map(|&i| &self.nodes[i])
    }

    fn add(
        &mut self,
        node: Node,
        diags: &mut Diagnostics,
        dup: impl FnOnce(&str) -> Diagnostic,
    ) -> NodeIx {
        let idx = NodeIx(self.nodes.len());
        if let Some(&prev) = self.by_id.get(&node.id) {
            let first = &self.nodes[prev];
            diags.push(dup(&node.id).with_hint(format!(
                "ids are global across lenses and pages; `{}` is already the {} at {}",
                node.id,
                first.kind.label().to_lowercase(),
                first.url
            )));
        } else {
            self.by_id.insert(node.id.clone(), idx);
        }
        self.nodes.push(node);
        self.backlinks.push(Vec::new());
        idx
    }

    pub fn add_backlink(&mut self, to: NodeIx, from: NodeIx, rel: Relation) {
        let link = Backlink { from, rel };
        if to != from && !self.backlinks[to].contains(&link) {
            self.backlinks[to].push(link);
        }
    }

    /// Builds the graph and checks every structural reference.
    pub fn build(lenses: &[LensFile], pages: &[Page], diags: &mut Diagnostics) -> Graph {
        let mut g = Graph::default();
        for (li, lf) in lenses.iter().enumerate() {
            let src = &lf.source;
            let lens = &lf.lens;
            let lens_node = g.add(
                Node {
                    id: lens.id.clone(),
                    kind: NodeKind::Lens,
                    title: lens.name.clone(),
                    url: lens_url(&lens.id),
                    anchor: None,
                    parent: None,
                    risk: None,
                    target: Target::Lens(li),
                },
                diags,
                |id| src.error_at_value("id", id, format!("duplicate id `{id}`")),
            );
            for (pi, p) in lens.pillars.iter().enumerate() {
                let pillar_node = g.add(
                    Node {
                        id: p.id.clone(),
                        kind: NodeKind::Pillar,
                        title: p.name.clone(),
                        url: format!("lenses/{}/{}.html", lens.id, slug(&p.id)),
                        anchor: None,
                        parent: Some(lens_node),
                        risk: None,
                        target: Target::Pillar(li, pi),
                    },
                    diags,
                    |id| src.error_at_value("id", id, format!("duplicate id `{id}`")),
                );
                for (qi, q) in p.questions.iter().enumerate() {
                    let q_url = format!("lenses/{}/{}.html", lens.id, slug(&q.id));
                    let q_node = g.add(
                        Node {
                            id: q.id.clone(),
                            kind: NodeKind::Question,
                            title: q.title.clone(),
                            url: q_url.clone(),
                            anchor: None,
                            parent: Some(pillar_node),
                            risk: None,
                            target: Target::Question(li, pi, qi),
                        },
                        diags,
                        |id| src.error_at_value("id", id, format!("duplicate id `{id}`")),
                    );
                    for (bi, b) in q.best_practices.iter().enumerate() {
                        g.add(
                            Node {
                                id: b.id.clone(),
                                kind: NodeKind::BestPractice,
                                title: b.title.clone(),
                                url: q_url.clone(),
                                anchor: Some(slug(&b.id)),
                                parent: Some(q_node),
                                risk: b.risk,
                                target: Target::Practice(li, pi, qi, bi),
                            },
                            diags,
                            |id| src.error_at_value("id", id, format!("duplicate id `{id}`")),
                        );
                    }
                }
            }
        }
        // Keyed case-insensitively: a site must deploy the same to case-insensitive file
        // systems (macOS, Windows) and object stores, where `Notes.html` and `notes.html`
        // are one file.
        let mut urls: HashMap<String, (String, PathBuf)> = HashMap::new();
        for (i, page) in pages.iter().enumerate() {
            let kind = match page.front.kind {
                PageKind::Page => NodeKind::Page,
                PageKind::Dimension => NodeKind::Dimension,
                PageKind::Scenario => NodeKind::Scenario,
                PageKind::Preamble => NodeKind::Preamble,
            };
            let folded = page.url.to_lowercase();
            if RESERVED_URLS.contains(&folded.as_str())
                || folded.starts_with("lenses/")
                || folded.starts_with("assets/")
            {
                diags.push(
                    Diagnostic::error(format!(
                        "page would be written to `{}`, which wa-docs writes itself",
                        page.url
                    ))
                    .with_hint("rename the file or move it to another folder")
                    .in_file(&page.source.path),
                );
            }
            let here = (page.url.clone(), page.source.path.clone());
            if let Some((prev_url, prev)) = urls.insert(folded, here) {
                let msg = if prev_url == page.url {
                    format!("two pages would be written to `{}`", page.url)
                } else {
                    format!(
                        "pages would be written to `{prev_url}` and `{}`, which differ only in case",
                        page.url
                    )
                };
                diags.push(
                    Diagnostic::error(msg)
                        .with_hint(format!(
                            "{} has the same output path; on case-insensitive file systems and \
                             object stores one would overwrite the other: rename one",
                            prev.display()
                        ))
                        .in_file(&page.source.path),
                );
            }
            let text = &page.source.text;
            let path = &page.source.path;
            let node = g.add(
                Node {
                    id: page.id.clone(),
                    kind,
                    title: page.front.title.clone(),
                    url: page.url.clone(),
                    anchor: None,
                    parent: None,
                    risk: None,
                    target: Target::Page(PageIx(i)),
                },
                diags,
                |id| {
                    let at = text.find("id:").unwrap_or(0);
                    Diagnostic::error(format!("duplicate id `{id}`")).at(path, text, at, 3)
                },
            );
            g.by_source.insert(page.source.path.clone(), node);
        }
        g.link_structure(lenses, pages, diags);
        g
    }

    /// Indexes `previous-ids`: each earlier id has exactly one new home.
    fn link_previous(&mut self, lenses: &[LensFile], diags: &mut Diagnostics) {
        for lf in lenses {
            let src = &lf.source;
            let mut objects: Vec<(&str, &[String])> = Vec::new();
            for p in &lf.lens.pillars {
                objects.push((&p.id, &p.previous_ids));
                for q in &p.questions {
                    objects.push((&q.id, &q.previous_ids));
                    for b in &q.best_practices {
                        objects.push((&b.id, &b.previous_ids));
                    }
                }
            }
            for (id, previous) in objects {
                let Some(&home) = self.by_id.get(id) else {
                    continue;
                };
                for old in previous.iter().filter(|old| *old != id) {
                    if let Some(&other) = self.previous.get(old) {
                        diags.push_capped(&src.path, Severity::Error, || {
                            src.error_in(
                                id,
                                old,
                                format!(
                                    "previous id `{old}` is claimed by both {} and {id}",
                                    self.nodes[other].id
                                ),
                            )
                            .with_hint("an earlier id has one new home: keep it on one of them")
                        });
                        continue;
                    }
                    self.previous.insert(old.clone(), home);
                }
            }
        }
    }

    /// The node an id names: a current id, else an id from an earlier lens version (`true`).
    pub fn resolve_id(&self, id: &str) -> Option<(NodeIx, bool)> {
        match self.by_id.get(id) {
            Some(&i) => Some((i, false)),
            None => self.previous.get(id).map(|&i| (i, true)),
        }
    }

    fn link_structure(&mut self, lenses: &[LensFile], pages: &[Page], diags: &mut Diagnostics) {
        self.general.clear();
        self.link_previous(lenses, diags);
        for lf in lenses {
            let src = &lf.source;
            for (_, q) in lf.lens.questions() {
                for b in &q.best_practices {
                    let Some(&from) = self.by_id.get(&b.id) else {
                        continue;
                    };
                    if b.general {
                        self.general.push(from);
                    }
                    for dim in &b.dimensions {
                        match self.by_id.get(dim).map(|&i| (i, self.nodes[i].kind)) {
                            Some((to, NodeKind::Dimension)) => {
                                self.add_backlink(to, from, Relation::Serves)
                            }
                            Some((_, kind)) => {
                                diags.push_capped(&src.path, Severity::Error, || {
                                    src.error_in(
                                        &b.id,
                                        dim,
                                        format!(
                                            "`{dim}` in dimensions of {} is a {}, not a dimension",
                                            b.id,
                                            kind.label().to_lowercase()
                                        ),
                                    )
                                    .with_hint(self.known(NodeKind::Dimension))
                                })
                            }
                            None => diags.push_capped(&src.path, Severity::Error, || {
                                src.error_in(
                                    &b.id,
                                    dim,
                                    format!("dimension `{dim}` of {} does not exist", b.id),
                                )
                                .with_hint(self.known(NodeKind::Dimension))
                            }),
                        }
                    }
                    for rel in &b.related {
                        match self.by_id.get(rel) {
                            Some(&to) => {
                                self.add_backlink(to, from, Relation::Related);
                            }
                            None => diags.push_capped(&src.path, Severity::Error, || {
                                src.error_in(
                                    &b.id,
                                    rel,
                                    format!("related id `{rel}` of {} does not exist", b.id),
                                )
                                .with_hint(self.suggest(rel))
                            }),
                        }
                    }
                }
            }
        }
        for page in pages {
            let Some(&from) = self.by_source.get(&page.source.path) else {
                continue;
            };
            let src = &page.source;
            if let Some(lens) = &page.front.lens
                && self.get(lens).map(|n| n.kind) != Some(NodeKind::Lens)
            {
                {
                    let at = src.offset_of_value("lens", lens);
                    diags.push_capped(&src.path, Severity::Error, || {
                        Diagnostic::error(format!("`lens: {lens}` does not name a lens"))
                            .with_hint(self.known(NodeKind::Lens))
                            .at(&src.path, &src.text, at, lens.len())
                    });
                }
            }
            if !page.front.checklist.is_empty() && page.front.kind != PageKind::Scenario {
                let at = src.text.find("checklist:").unwrap_or(0);
                diags.push_capped(&src.path, Severity::Error, || {
                    Diagnostic::error("only scenario pages have a checklist")
                        .with_hint("add `kind: scenario` or remove `checklist:`")
                        .at(&src.path, &src.text, at, 9)
                });
            }
            let mut items = Vec::new();
            for id in &page.front.checklist {
                let at = src.find_after(0, id).unwrap_or(0);
                let found = self.resolve_id(id);
                if let Some((i, true)) = found {
                    diags.push_capped(&src.path, Severity::Warning, ||
                        Diagnostic::warning(format!(
                            "checklist item `{id}` is an id from an earlier lens version; it now means {}",
                            self.nodes[i].id
                        ))
                        .with_hint(format!("write `{}`", self.nodes[i].id))
                        .at(&src.path, &src.text, at, id.len()));
                }
                match found.map(|(i, _)| (i, self.nodes[i].kind)) {
                    Some((i, NodeKind::BestPractice)) => items.push(i),
                    Some((i, NodeKind::Question)) => {
                        items.extend(self.children(i));
                    }
                    Some((_, kind)) => diags.push_capped(&src.path, Severity::Error, || {
                        Diagnostic::error(format!(
                            "checklist item `{id}` is a {}, not a best practice or question",
                            kind.label().to_lowercase()
                        ))
                        .at(&src.path, &src.text, at, id.len())
                    }),
                    None => diags.push_capped(&src.path, Severity::Error, || {
                        Diagnostic::error(format!("checklist item `{id}` does not exist"))
                            .with_hint(self.suggest(id))
                            .at(&src.path, &src.text, at, id.len())
                    }),
                }
            }
            let mut seen = std::collections::HashSet::new();
            items.retain(|i| seen.insert(*i));
            for &i in &items {
                self.add_backlink(i, from, Relation::Checklist);
            }
            if page.front.kind == PageKind::Scenario {
                self.checklists.insert(from, items);
            }
        }
    }

    /// A scenario's whole checklist: the practices its page chooses, then the general practices
    /// of every lens those come from (a team working from the checklist must not skip the basics).
    pub fn checklist_items(&self, scenario: NodeIx) -> Vec<NodeIx> {
        let mut items = self.checklists.get(&scenario).cloned().unwrap_or_default();
        let lens_of = |i: NodeIx| match self.nodes[i].target {
            Target::Practice(lens, ..) => Some(lens),
            _ => None,
        };
        let lenses: std::collections::HashSet<usize> =
            items.iter().filter_map(|&i| lens_of(i)).collect();
        for &g in &self.general {
            if lens_of(g).is_some_and(|l| lenses.contains(&l)) && !items.contains(&g) {
                items.push(g);
            }
        }
        items
    }

    pub fn children(&self, parent: NodeIx) -> Vec<NodeIx> {
        // Nodes are registered parent-first, so children follow their parent.
        (parent.0 + 1..self.nodes.len())
            .map(NodeIx)
            .take_while(|&i| self.nodes[i].parent.is_some())
            .filter(|&i| self.nodes[i].parent == Some(parent))
            .collect()
    }

    /// Every node with its place, in registration order (parents before children).
    pub fn indexed(&self) -> impl Iterator<Item = (NodeIx, &Node)> {
        self.nodes.iter().enumerate().map(|(i, n)| (NodeIx(i), n))
    }

    /// "known dimensions: a, b, c".
    pub fn known(&self, kind: NodeKind) -> String {
        let mut ids: Vec<&str> = self
            .nodes
            .iter()
            .filter(|n| n.kind == kind)
            .map(|n| n.id.as_str())
            .collect();
        ids.sort();
        if ids.is_empty() {
            format!("the project has no {} yet", kind.label().to_lowercase())
        } else {
            format!("known {}s: {}", kind.label().to_lowercase(), ids.join(", "))
        }
    }

    /// A hint naming the closest existing id.
    pub fn suggest(&self, id: &str) -> String {
        let lower = id.to_ascii_lowercase();
        let best = self
            .by_id
            .keys()
            .map(|k| (edit_distance(&lower, &k.to_ascii_lowercase()), k))
            .min_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(b.1)));
        match best {
            Some((d, k)) if d <= 3.max(id.len() / 3) => format!("did you mean `{k}`?"),
            _ => {
                "check the id: it must be the id of a lens, pillar, question, best practice or page"
                    .into()
            }
        }
    }

    /// Resolves a markdown link destination relative to `from_file` to a content page.
    pub fn page_by_path(&self, from_file: &Path, dest: &str) -> Result<NodeIx, PathError> {
        let base = from_file.parent().unwrap_or(Path::new(""));
        let mut parts: Vec<String> = base
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        for seg in dest.split('/') {
            match seg {
                "" | "." => {}
                ".." => {
                    if parts.pop().is_none() {
                        return Err(PathError::Escapes);
                    }
                }
                // Links to files with spaces or other scripts in their names are often
                // written percent-encoded (`my%20notes.md`), as editors and GitHub write them.
                s => parts.push(
                    percent_encoding::percent_decode_str(s)
                        .decode_utf8_lossy()
                        .into_owned(),
                ),
            }
        }
        let path: PathBuf = parts.iter().collect();
        self.by_source
            .get(&path)
            .copied()
            .ok_or(PathError::Missing(path))
    }
}

#[derive(Debug)]
pub enum PathError {
    Escapes,
    Missing(PathBuf),
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur.push((prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests;
