//! Typed indices: a node's place in the graph and a page's in the project, so that one cannot
//! be passed where the other (or a count, or a sentinel) is meant.

use serde::Serialize;

use super::{Backlink, Node};
use crate::content::Page;

/// A node's place in [`Graph::nodes`]. Its own type, so that a page's place in
/// `Project::pages`, a count or a sentinel cannot be passed where a node is meant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct NodeIx(pub usize);

/// A page's place in `Project::pages` (and `content::load`'s list).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PageIx(pub usize);

impl std::ops::Index<NodeIx> for Vec<Node> {
    type Output = Node;
    fn index(&self, i: NodeIx) -> &Node {
        &self[i.0]
    }
}

impl std::ops::IndexMut<NodeIx> for Vec<Node> {
    fn index_mut(&mut self, i: NodeIx) -> &mut Node {
        &mut self[i.0]
    }
}

impl std::ops::Index<NodeIx> for Vec<Vec<Backlink>> {
    type Output = Vec<Backlink>;
    fn index(&self, i: NodeIx) -> &Vec<Backlink> {
        &self[i.0]
    }
}

impl std::ops::IndexMut<NodeIx> for Vec<Vec<Backlink>> {
    fn index_mut(&mut self, i: NodeIx) -> &mut Vec<Backlink> {
        &mut self[i.0]
    }
}

impl std::ops::Index<PageIx> for Vec<Page> {
    type Output = Page;
    fn index(&self, i: PageIx) -> &Page {
        &self[i.0]
    }
}

impl std::ops::IndexMut<PageIx> for Vec<Page> {
    fn index_mut(&mut self, i: PageIx) -> &mut Page {
        &mut self[i.0]
    }
}
