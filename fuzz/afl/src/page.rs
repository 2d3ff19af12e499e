//! AFL++ target `page`: a content page: front matter, then its markdown rendered against the
//! graph. The work is fuzz/targets.rs's, shared with the stable fuzzer and tests/fuzz_corpus.rs.

mod harness;
// TARGETS (the stable fuzzer's list for "all") is unused here.
#[allow(dead_code)]
#[path = "../../targets.rs"]
mod targets;

/// Run once before the fork server starts, so every fuzzed process inherits the loaded syntax
/// set and the highlighting regexes of these languages: otherwise each process compiles them
/// on first use, and AFL sees those one-off paths as instability.
const WARM_UP: &str = "---\ntitle: W\n---\n# W [[x]]\n\n```yaml\na: [1, 'b'] # c\n```\n\n\
```json\n{\"a\": [1, \"b\", null]}\n```\n\n```rust\nfn f() -> u8 { 1 }\n```\n\n\
```python\ndef f(x): return x\n```\n\n```bash\necho \"$x\" | wc\n```\n";

fn main() {
    targets::run("page", WARM_UP);
    afl::fuzz!(|data: &[u8]| {
        if let Some(text) = harness::text(data) {
            targets::run("page", &text);
        }
    });
}
