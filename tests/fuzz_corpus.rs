//! Every fuzz seed and every saved crash reproducer runs through its target without panicking.

#[path = "../fuzz/targets.rs"]
mod targets;

use std::path::Path;

#[test]
fn fuzz_corpus_and_crash_reproducers_do_not_panic() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut ran = 0;
    for target in targets::TARGETS {
        let mut files: Vec<_> = std::fs::read_dir(root.join("corpus").join(target))
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .collect();
        if let Ok(rd) = std::fs::read_dir(root.join("crashes")) {
            files.extend(rd.flatten().map(|e| e.path()).filter(|p| {
                p.file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with(&format!("{target}-")))
            }));
        }
        files.sort();
        for f in files {
            let text = String::from_utf8_lossy(&std::fs::read(&f).unwrap()).into_owned();
            targets::run(target, &text);
            ran += 1;
        }
    }
    assert!(ran >= 10, "only {ran} inputs");
}
