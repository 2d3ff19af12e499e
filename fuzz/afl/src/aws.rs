//! AFL++ target `aws`: the WA Tool JSON importer (import, write YAML, load it back, export again).
//! The work is fuzz/targets.rs's, shared with the stable fuzzer and tests/fuzz_corpus.rs.

mod harness;
// TARGETS (the stable fuzzer's list for "all") is unused here.
#[allow(dead_code)]
#[path = "../../targets.rs"]
mod targets;

fn main() {
    afl::fuzz!(|data: &[u8]| {
        if let Some(text) = harness::text(data) {
            targets::run("aws", &text);
        }
    });
}
