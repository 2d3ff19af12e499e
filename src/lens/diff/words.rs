//! Word diffs of markdown texts: the runs of kept, removed and added words, and how a run is cut
//! to context or summarised as a rewrite.

use super::change::Run;

pub(super) fn words(s: &str) -> Vec<&str> {
    s.split_whitespace().collect()
}

/// A word diff (longest common subsequence over words). Texts longer than a few thousand words
/// are compared as one removed and one added run, to keep the cost bounded.
pub fn word_diff(a: &str, b: &str) -> Vec<Run> {
    let (x, y) = (words(a), words(b));
    let mut runs: Vec<Run> = Vec::new();
    let mut push = |run: Run| match (runs.last_mut(), run) {
        (Some(Run::Same(s)), Run::Same(t))
        | (Some(Run::Removed(s)), Run::Removed(t))
        | (Some(Run::Added(s)), Run::Added(t)) => {
            s.push(' ');
            s.push_str(&t);
        }
        (_, run) => runs.push(run),
    };
    if x.len() * y.len() > 4_000_000 {
        push(Run::Removed(x.join(" ")));
        push(Run::Added(y.join(" ")));
        return runs;
    }
    // lcs[i][j]: length of the LCS of x[i..] and y[j..].
    let mut lcs = vec![vec![0u32; y.len() + 1]; x.len() + 1];
    for i in (0..x.len()).rev() {
        for j in (0..y.len()).rev() {
            lcs[i][j] = if x[i] == y[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    while i < x.len() || j < y.len() {
        if i < x.len() && j < y.len() && x[i] == y[j] {
            push(Run::Same(x[i].to_string()));
            i += 1;
            j += 1;
        } else if i < x.len() && (j == y.len() || lcs[i + 1][j] >= lcs[i][j + 1]) {
            push(Run::Removed(x[i].to_string()));
            i += 1;
        } else {
            push(Run::Added(y[j].to_string()));
            j += 1;
        }
    }
    runs
}

/// Long unchanged runs are cut to a few words of context on each side.
pub(super) fn context(s: &str, first: bool, last: bool) -> String {
    const KEEP: usize = 6;
    let w = words(s);
    if w.len() <= 2 * KEEP + 1 {
        return s.to_string();
    }
    let head = if first {
        Vec::new()
    } else {
        w[..KEEP].to_vec()
    };
    let tail = if last {
        Vec::new()
    } else {
        w[w.len() - KEEP..].to_vec()
    };
    match (head.is_empty(), tail.is_empty()) {
        (true, true) => "…".into(),
        (true, false) => format!("… {}", tail.join(" ")),
        (false, true) => format!("{} …", head.join(" ")),
        (false, false) => format!("{} … {}", head.join(" "), tail.join(" ")),
    }
}

/// True when less than half of the old and new words are kept: a word diff would be noise.
pub fn is_rewrite(runs: &[Run]) -> bool {
    let count = |f: fn(&Run) -> Option<&String>| -> usize {
        runs.iter().filter_map(f).map(|s| words(s).len()).sum()
    };
    let same = count(|r| if let Run::Same(s) = r { Some(s) } else { None });
    let removed = count(|r| {
        if let Run::Removed(s) = r {
            Some(s)
        } else {
            None
        }
    });
    let added = count(|r| if let Run::Added(s) = r { Some(s) } else { None });
    2 * same < (same + removed).max(same + added)
}

/// A short note for a rewritten text: how many words it had and has.
pub fn rewrite_note(runs: &[Run]) -> String {
    let (mut old, mut new) = (0, 0);
    for r in runs {
        match r {
            Run::Same(s) => {
                old += words(s).len();
                new += words(s).len();
            }
            Run::Removed(s) => old += words(s).len(),
            Run::Added(s) => new += words(s).len(),
        }
    }
    format!("rewritten ({old} words, now {new})")
}

/// A word diff as one line, with the given markers for removed and added runs; a rewrite is
/// summarised instead.
pub fn render_runs(runs: &[Run], removed: (&str, &str), added: (&str, &str)) -> String {
    if is_rewrite(runs) && runs.len() > 2 {
        return rewrite_note(runs);
    }
    let n = runs.len();
    runs.iter()
        .enumerate()
        .map(|(i, r)| match r {
            Run::Same(s) => context(s, i == 0, i + 1 == n),
            Run::Removed(s) => format!("{}{s}{}", removed.0, removed.1),
            Run::Added(s) => format!("{}{s}{}", added.0, added.1),
        })
        .collect::<Vec<_>>()
        .join(" ")
}
