//! What the AFL++ binaries share: turning AFL's bytes into the text `targets::run` takes.

use std::borrow::Cow;

/// The largest input run: AFL++'s own limit (`MAX_FILE`, 1 MiB), so an input handed in some
/// other way (a saved crash on stdin, `cargo afl tmin`) is bounded the same. A run measures
/// parsing, not giant allocations.
pub const MAX_INPUT: usize = 1 << 20;

/// The input as text, or `None` when it is too large to run.
///
/// Invalid UTF-8 is converted lossily (to U+FFFD) rather than skipped: tests/fuzz_corpus.rs
/// replays saved crashes the same way, so every crash found here reproduces there byte for
/// byte; and AFL's bit flips make most mutants invalid UTF-8 at first, so skipping them would
/// throw away many of the executions that lead somewhere.
pub fn text(data: &[u8]) -> Option<Cow<'_, str>> {
    (data.len() <= MAX_INPUT).then(|| String::from_utf8_lossy(data))
}
