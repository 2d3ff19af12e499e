//! Restoring what a wa-docs export carried (`_wa_docs`) onto the imported lens, and saying
//! what could not be restored.

use super::carry::Carried;
use crate::lens::Lens;

/// Applies `c` to `lens`, texts carried by reference taken from `project`'s copies of the lens.
/// Returns a note for each kind of field that could not be restored.
pub(super) fn restore(c: &Carried, lens: &mut Lens, project: &[Lens]) -> Vec<String> {
    let restored = c.apply(lens, project);
    let mut notes = Vec::new();
    if restored.missed > 0 {
        notes.push(missed(c, restored.missed, project));
    }
    if !restored.failed.is_empty() {
        notes.push(format!(
            "the fields carried for {} do not fit the lens model; those objects \
             keep what the WA Tool JSON gives",
            restored.failed.join(", ")
        ));
    }
    notes
}

/// Why `n` texts carried by reference kept the WA Tool's plain text: the project has no copy
/// of the lens, or its copies hold other text.
fn missed(c: &Carried, n: usize, project: &[Lens]) -> String {
    let version = c
        .version()
        .map_or(String::new(), |v| format!(" version {v}"));
    let mut copies: Vec<&str> = project
        .iter()
        .filter(|l| l.id == c.id)
        .map(|l| l.version.as_deref().unwrap_or("(no version)"))
        .collect();
    copies.dedup();
    let why = if copies.is_empty() {
        format!(
            "the project has no lens `{}` (import with --root naming the project \
             it was exported from)",
            c.id
        )
    } else {
        format!(
            "the project's lens `{}` (version {}) and its lens history hold other text \
             for them",
            c.id,
            copies.join(", ")
        )
    };
    format!(
        "lens {}{version}: {n} text field{} carried by reference could not be \
         restored from the project's copy: {why}; {} the WA Tool's plain text",
        c.id,
        if n == 1 { "" } else { "s" },
        if n == 1 { "it keeps" } else { "they keep" },
    )
}
