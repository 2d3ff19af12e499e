//! Shell completions and man pages, generated from the command-line definition itself.

mod common;

use std::path::Path;

#[test]
fn completions_for_every_shell_name_the_commands() {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let run = common::wa(&["completions", shell], here);
        assert_eq!(run.code, 0, "{shell}: {}", run.stderr);
        for word in ["build", "serve", "checklist", "import", "diff", "dest-dir"] {
            assert!(
                run.stdout.contains(word),
                "{shell} completion lacks `{word}`"
            );
        }
    }
    let bad = common::wa(&["completions", "tcsh"], here);
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("bash"), "{}", bad.stderr);
}

#[test]
fn man_page_to_stdout_and_one_page_per_command() {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    let run = common::wa(&["man"], here);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains(".TH wa-docs 1"), "{}", run.stdout);
    assert!(
        run.stdout.contains("completions"),
        "the page lists the commands"
    );
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("man1");
    let run = common::wa(&["man", "--out-dir", dir.to_str().unwrap()], here);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for page in [
        "wa-docs.1",
        "wa-docs-build.1",
        "wa-docs-lens-diff.1",
        "wa-docs-lens.1",
    ] {
        let text = common::read(&dir.join(page));
        assert!(text.contains(".TH "), "{page}");
    }
    let diff = common::read(&dir.join("wa-docs-lens-diff.1"));
    assert!(diff.contains("exit\\-code"), "{diff}");
}
