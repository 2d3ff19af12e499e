//! What the print view holds: `[wa] print` settled for a build, which pages `lenses` prints, and
//! the largest file a view may have before it is split into parts.

use crate::config::PrintPolicy;
use crate::graph::NodeKind;
use crate::project::Project;
use crate::render::fragments::Fragments;
/// The largest print view file, in bytes, unless `book.toml` says otherwise: a few megabytes
/// of HTML still opens, searches and prints comfortably in a browser.
pub const PART_LIMIT: usize = 5_000_000;

/// The print view's largest file, from `book.toml` or [`PART_LIMIT`].
pub(super) fn part_limit(project: &Project) -> usize {
    match project.config.wa.print_part_kb {
        Some(kb) => usize::try_from(kb.max(1))
            .unwrap_or(usize::MAX)
            .saturating_mul(1000),
        None => PART_LIMIT,
    }
}

/// Settles `[wa] print` for a build before any page is made, so that the sidebar's print link,
/// and which articles the pages stage keeps for the print view, agree with what is printed.
/// `auto` prints every page while the site's rendered markdown fits in one print file
/// (`print-part-kb`); past that the pages made from lens definitions, or nothing when the site
/// has none. Measured on the markdown, not the finished view, because a large site's articles
/// are never all held at once.
pub fn resolve(project: &Project, fragments: &Fragments) -> PrintPolicy {
    match project.config.wa.print() {
        PrintPolicy::Auto => {
            let text: usize = fragments.values().map(|r| r.html.len()).sum();
            if text <= part_limit(project) {
                PrintPolicy::All
            } else if project.graph.nodes.iter().any(is_from_lenses) {
                PrintPolicy::Lenses
            } else {
                PrintPolicy::Off
            }
        }
        other => other,
    }
}

/// Whether a node's page is made from a lens definition (what `lenses` prints).
pub fn is_from_lenses(node: &crate::graph::Node) -> bool {
    node.kind != NodeKind::Page
}
