//! Issue #29: what a user sees from the command line's conventions: the project folder, `-o`,
//! help texts, man pages, `init`'s `.gitignore` and the `site-url` warning.

mod common;

use common::{read, wa};

/// The project folder is DIR or `--root DIR` in `build`, `check`, `serve` and `init` (the other
/// commands take `--root`); `-o` for `--open` still opens, with a deprecation note.
#[test]
fn project_folder_is_positional_or_root_and_o_for_open_is_deprecated() {
    let tmp = tempfile::tempdir().unwrap();
    let run = wa(&["init", "--root", "proj"], tmp.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(tmp.path().join("proj/book.toml").exists());
    let run = wa(&["check", "--root", "proj"], tmp.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("No problems found"), "{}", run.stderr);
    let run = wa(&["build", "--root", "proj", "-q"], tmp.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(tmp.path().join("proj/book/index.html").exists());
    // `--output` names the output folder as it names the output file elsewhere.
    let run = wa(&["build", "proj", "-q", "--output", "out"], tmp.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(tmp.path().join("out/index.html").exists());
    let run = wa(&["build", "--help"], tmp.path());
    assert!(run.stdout.contains("--output"), "{}", run.stdout);
    let run = wa(&["build", "proj", "--root", "proj"], tmp.path());
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("cannot be used with"), "{}", run.stderr);
    for cmd in ["build", "check", "serve", "init"] {
        let run = wa(&[cmd, "--help"], tmp.path());
        assert!(run.stdout.contains("--root <DIR>"), "{cmd}: {}", run.stdout);
    }
    // `-o` no longer shows in help for build and serve, but still opens, with a note.
    for cmd in ["build", "serve"] {
        let run = wa(&[cmd, "--help"], tmp.path());
        assert!(run.stdout.contains("--open"), "{}", run.stdout);
        assert!(!run.stdout.contains("-o,"), "{cmd}: {}", run.stdout);
    }
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_wa-docs"))
        .args(["build", "proj", "-q", "-o"])
        .current_dir(tmp.path())
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .env("BROWSER", "true")
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("note: `-o` for --open is deprecated and will be removed: write --open"),
        "{err}"
    );
}

#[test]
fn search_help_says_the_index_is_rebuilt_not_the_site() {
    let tmp = tempfile::tempdir().unwrap();
    let run = wa(&["search", "--help"], tmp.path());
    assert_eq!(run.code, 0);
    let flat = run.stdout.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.contains("its search index (in .wa-cache/) is rebuilt first"),
        "{flat}"
    );
    assert!(!flat.contains("the site is rebuilt"), "{flat}");
}

/// `man wa-docs-lens-diff` shows `wa-docs lens diff` as its synopsis and the examples under
/// EXAMPLES.
#[test]
fn man_pages_show_the_command_as_typed_and_an_examples_section() {
    let tmp = tempfile::tempdir().unwrap();
    let run = wa(&["man", "--out-dir", "man1"], tmp.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    let diff = read(&tmp.path().join("man1/wa-docs-lens-diff.1"));
    let synopsis = diff.split(".SH SYNOPSIS\n").nth(1).unwrap();
    assert!(
        synopsis.starts_with("\\fBwa\\-docs lens diff\\fR"),
        "{synopsis}"
    );
    let examples = diff
        .split(".SH EXAMPLES\n")
        .nth(1)
        .expect("an EXAMPLES section");
    assert!(
        examples.contains("wa\\-docs lens diff versions/"),
        "{examples}"
    );
    let build = read(&tmp.path().join("man1/wa-docs-build.1"));
    assert!(build.contains("\\fBwa\\-docs build\\fR"), "{build}");
    let run = wa(&["man", "--out-dir", "man1"], tmp.path());
    assert_eq!(run.code, 0);
    for entry in std::fs::read_dir(tmp.path().join("man1")).unwrap() {
        let text = read(&entry.unwrap().path());
        assert!(!text.contains(".SH EXTRA"), "{text}");
    }
}

/// `init` writes a `.gitignore` for what wa-docs writes, and a book.toml comment saying how to
/// set `site-url`, so its first build has no warning; without the comment the warning comes
/// once, at `[output.html]`.
#[test]
fn init_writes_a_gitignore_and_its_build_has_no_site_url_warning() {
    let tmp = tempfile::tempdir().unwrap();
    let run = wa(&["init", "proj"], tmp.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("created proj/.gitignore"),
        "{}",
        run.stderr
    );
    let ignore = read(&tmp.path().join("proj/.gitignore"));
    for line in ["/book/", "/.wa-cache/", ".*.wa-prev"] {
        assert!(ignore.lines().any(|l| l == line), "{line}: {ignore}");
    }
    let toml = tmp.path().join("proj/book.toml");
    let text = read(&toml);
    assert!(text.contains("[output.html]\n# Set site-url"), "{text}");
    assert!(text.contains("# site-url = \"https://"), "{text}");
    let run = wa(&["build", "proj"], tmp.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stderr.contains("site-url"), "{}", run.stderr);
    assert!(!run.stderr.contains('⚠'), "{}", run.stderr);

    // The comment removed: one warning, at the [output.html] table.
    let edited: String = text
        .lines()
        .filter(|l| !l.starts_with("# site-url ="))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&toml, &edited).unwrap();
    let line = edited.lines().position(|l| l == "[output.html]").unwrap() + 1;
    let run = wa(&["build", "proj"], tmp.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stderr.matches('⚠').count(), 1, "{}", run.stderr);
    assert!(
        run.stderr.contains(&format!(
            "book.toml:{line}:1: [output.html] site-url is not set"
        )),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("book.toml:1:1"), "{}", run.stderr);
    // No [output.html] table at all: the warning names the file, not a made-up position.
    std::fs::write(&toml, edited.replace("[output.html]\n", "")).unwrap();
    let run = wa(&["build", "proj"], tmp.path());
    assert_eq!(run.stderr.matches('⚠').count(), 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("book.toml: [output.html] site-url is not set"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("book.toml:1:1"), "{}", run.stderr);
}
