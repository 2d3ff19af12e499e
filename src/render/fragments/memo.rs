//! Rendered fragments kept between builds (`wa-docs serve`): the key a fragment is found by, and
//! how a kept fragment is reused when the nodes it links to moved in the graph.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::path::Path;
use std::sync::Arc;

use super::Job;
use crate::graph::Graph;
use crate::render::markdown::{Fragment, LinkTarget, Rendered};
use crate::source::SourceFile;

/// What makes a fragment's HTML besides its link targets, as a 128-bit digest (two
/// independent SipHash values) of its text, heading shift, anchor prefix and source path: the
/// memo holds no copy of the project's markdown (on a large site that is as big as the
/// output), and two different inputs share a digest with odds of 2^-128.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub(super) struct FragKey(u64, u64);

impl FragKey {
    /// `f` is the fragment as rendered (a page's body may have been released from the project
    /// and handed to its job).
    fn of(f: &Fragment) -> FragKey {
        let part = |salt: u8| {
            let mut h = std::collections::hash_map::DefaultHasher::new();
            (
                salt,
                f.text,
                f.heading_shift,
                f.anchor_prefix,
                &f.source.path,
            )
                .hash(&mut h);
            h.finish()
        };
        FragKey(part(0), part(0xa5))
    }
}

/// The fragments a render leaves for the next one.
pub(super) type Kept = HashMap<FragKey, Arc<Rendered>>;

/// Rendered fragments kept between builds (for `wa-docs serve`): a fragment is rendered again
/// only when its text changed or a page it links to changed its URL, anchor or title.
#[derive(Default)]
pub struct FragmentMemo {
    map: Kept,
}

/// Each job's key; `sources` are the jobs' released page sources.
pub(super) fn keys(jobs: &[Job], sources: &[Option<SourceFile>]) -> Vec<FragKey> {
    jobs.iter()
        .zip(sources)
        .map(|(job, source)| FragKey::of(&job.fragment(source.as_ref())))
        .collect()
}

impl FragmentMemo {
    /// For each job (whose key is in `keys`), the kept fragment that renders the same in `g`
    /// now, if any. Empties the memo: [`FragmentMemo::keep`] fills it after the render.
    pub(super) fn reuse(
        &mut self,
        jobs: &[Job],
        keys: &[FragKey],
        g: &Graph,
    ) -> Vec<Option<Arc<Rendered>>> {
        let old = std::mem::take(&mut self.map);
        jobs.iter()
            .zip(keys)
            .map(|(job, key)| retarget(old.get(key)?, g, &job.frag.source.path))
            .collect()
    }

    pub(super) fn keep(&mut self, kept: Kept) {
        self.map = kept;
    }
}

/// `hit` as a render in `g` would make it now: `None` when a node it links to is gone or
/// changed what the HTML shows of it (URL, anchor, title); otherwise `hit`, its links pointed
/// at their nodes' indices in `g` (nodes added or removed before a target move it).
fn retarget(hit: &Arc<Rendered>, g: &Graph, source: &Path) -> Option<Arc<Rendered>> {
    let targets = hit.targets_in(g, source)?;
    let now = |d: usize| LinkTarget::Node(targets[d]);
    let moved = hit
        .links
        .iter()
        .any(|l| l.dep.is_some_and(|d| l.target != now(d)));
    if !moved {
        return Some(hit.clone());
    }
    let mut r = Rendered::clone(hit);
    for link in &mut r.links {
        if let Some(d) = link.dep {
            link.target = now(d);
        }
    }
    Some(Arc::new(r))
}
