//! Bad input: each case breaks a copy of the fixture after a good build, and asserts a non-zero
//! exit, a message naming file:line, and that the previous output is untouched.

mod common;

use std::path::Path;

use common::*;

struct Case {
    name: &'static str,
    file: &'static str,
    from: &'static str,
    to: &'static str,
    /// Expected in stderr: the position and a fragment of the message.
    position: &'static str,
    message: &'static str,
}

const CASES: &[Case] = &[
    Case {
        name: "malformed yaml",
        file: "lenses/test.yaml",
        from: "name: Test Lens",
        to: "name: [Test Lens",
        position: "lenses/test.yaml:",
        message: "",
    },
    Case {
        name: "unknown lens key",
        file: "lenses/test.yaml",
        from: "            risk: high\n",
        to: "            risk: high\n            severity: 3\n",
        position: "lenses/test.yaml:23:",
        message: "unknown field `severity`",
    },
    Case {
        name: "unknown front matter key",
        file: "content/guide/setup.md",
        from: "weight: 2",
        to: "weight: 2\ntags: [a]",
        position: "content/guide/setup.md:4:1",
        message: "unknown field `tags`",
    },
    Case {
        name: "duplicate id",
        file: "lenses/test.yaml",
        from: "          - id: TSEC01-BP02",
        to: "          - id: TSEC01-BP01",
        position: "lenses/test.yaml:",
        message: "duplicate id `TSEC01-BP01`",
    },
    Case {
        name: "dangling [[id]]",
        file: "content/guide/intro.md",
        from: "[[TSEC01-BP01|the first best practice]]",
        to: "[[TSEC01-BP09|the first best practice]]",
        position: "content/guide/intro.md:8:",
        message: "`[[TSEC01-BP09]]` links to an id that does not exist",
    },
    Case {
        name: "broken relative link",
        file: "content/guide/setup.md",
        from: "(intro.md#second-section)",
        to: "(intro-old.md#second-section)",
        position: "content/guide/setup.md:7:",
        message: "link `intro-old.md#second-section` is broken",
    },
    Case {
        name: "missing anchor",
        file: "content/guide/setup.md",
        from: "intro.md#second-section",
        to: "intro.md#third-section",
        position: "content/guide/setup.md:7:",
        message: "link `intro.md#third-section` points to a missing anchor in guide/intro.html",
    },
    Case {
        name: "unknown dimension",
        file: "lenses/test.yaml",
        from: "dimensions: [dim-safety]",
        to: "dimensions: [dim-safty]",
        position: "lenses/test.yaml:23:",
        message: "dimension `dim-safty` of TSEC01-BP01 does not exist",
    },
    Case {
        name: "unknown choice in risk rule",
        file: "lenses/test.yaml",
        from: "condition: TSEC01-BP01 && TSEC01-BP02",
        to: "condition: TSEC01-BP01 && TSEC01-BP07",
        position: "lenses/test.yaml:",
        message: "names `TSEC01-BP07`, which is not one of its best practices",
    },
    Case {
        name: "unknown book.toml key",
        file: "book.toml",
        from: "language = \"en\"",
        to: "language = \"en\"\nlanguag = \"fr\"",
        position: "book.toml:4:",
        message: "unknown field `languag`",
    },
    Case {
        name: "script link",
        file: "content/guide/setup.md",
        from: "[home](../index.md)",
        to: "[home](javascript:alert(1))",
        position: "content/guide/setup.md:7:",
        message: "the URL's scheme is not allowed",
    },
    Case {
        name: "raw script html",
        file: "content/guide/setup.md",
        from: "## Install\n",
        to: "## Install\n\n<img src=x onerror=alert(1)>\n",
        position: "content/guide/setup.md:7:12",
        message: "the event handler `onerror` on `<img>` would run script",
    },
    Case {
        name: "checklist names a missing id",
        file: "content/scenarios/chatbot.md",
        from: "checklist: [TSEC01, TREL01-BP01]",
        to: "checklist: [TSEC01, TREL01-BP02]",
        position: "content/scenarios/chatbot.md:6:",
        message: "checklist item `TREL01-BP02` does not exist",
    },
];

fn assert_fails_cleanly(dir: &Path, position: &str, message: &str, name: &str) {
    let before = read(&dir.join("book/index.html"));
    let run = wa(&["build", "."], dir);
    assert_eq!(run.code, 1, "{name}: exit code; stderr:\n{}", run.stderr);
    assert!(
        run.stderr.contains(position),
        "{name}: no `{position}` in:\n{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(message),
        "{name}: no `{message}` in:\n{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("help:"),
        "{name}: no hint in:\n{}",
        run.stderr
    );
    assert!(!run.stderr.contains("panicked"), "{name}: panic");
    assert_eq!(
        read(&dir.join("book/index.html")),
        before,
        "{name}: previous output changed"
    );
    // `check` agrees with `build`.
    let run = wa(&["check", "."], dir);
    assert_eq!(run.code, 1, "{name}: check exit code");
}

#[test]
fn each_bad_input_fails_with_location_and_keeps_previous_output() {
    for case in CASES {
        let dir = copy_fixture("basic");
        let run = wa(&["build", ".", "-q"], dir.path());
        assert_eq!(run.code, 0, "{}", run.stderr);
        edit(&dir.path().join(case.file), case.from, case.to);
        assert_fails_cleanly(dir.path(), case.position, case.message, case.name);
    }
}

#[test]
fn all_problems_are_reported_in_one_run() {
    let dir = copy_fixture("basic");
    edit(
        &dir.path().join("content/guide/intro.md"),
        "[[TSEC01-BP01|",
        "[[NOPE-1|",
    );
    edit(
        &dir.path().join("content/guide/setup.md"),
        "intro.md#second-section",
        "intro.md#nowhere",
    );
    edit(
        &dir.path().join("lenses/test.yaml"),
        "dimensions: [dim-fair]",
        "dimensions: [dim-unfair]",
    );
    let run = wa(&["build", "."], dir.path());
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("content/guide/intro.md:8:"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("content/guide/setup.md:7:"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("dim-unfair"), "{}", run.stderr);
    assert!(run.stderr.contains("3 problems found"), "{}", run.stderr);
}

#[test]
fn template_error_names_the_template_file_and_line() {
    let dir = copy_fixture("basic");
    assert_eq!(wa(&["build", ".", "-q"], dir.path()).code, 0);
    let tpl = dir.path().join("themes/default/templates");
    std::fs::create_dir_all(&tpl).unwrap();
    std::fs::write(tpl.join("404.html"), "{% extends \"base.html\" %}\n{% block article %}\n<h1>{{ title </h1>\n{% endblock article %}\n").unwrap();
    let before = read(&dir.path().join("book/index.html"));
    let run = wa(&["build", "."], dir.path());
    assert_ne!(run.code, 0);
    assert!(
        run.stderr.contains("themes/default/templates/404.html:3:"),
        "{}",
        run.stderr
    );
    assert_eq!(read(&dir.path().join("book/index.html")), before);
}

#[test]
fn bom_crlf_and_invalid_utf8() {
    let dir = copy_fixture("basic");
    // A BOM and CRLF line endings are accepted.
    let p = dir.path().join("content/guide/setup.md");
    let text = read(&p).replace('\n', "\r\n");
    std::fs::write(&p, format!("\u{feff}{text}")).unwrap();
    let run = wa(&["build", ".", "-q"], dir.path());
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(read(&dir.path().join("book/guide/setup.html")).contains("<h1>Setup</h1>"));
    // Invalid UTF-8 is an error naming the file and line.
    std::fs::write(&p, b"---\ntitle: X\n---\nok\n\xff\xfe bad\n").unwrap();
    let run = wa(&["build", "."], dir.path());
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("content/guide/setup.md:5:1"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("not valid UTF-8"));
}

#[test]
fn yaml_alias_bomb_is_refused_quickly() {
    let dir = copy_fixture("basic");
    let mut bomb = String::from("a: &a [\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\"]\n");
    for (i, prev) in ["b", "c", "d", "e", "f", "g", "h", "i"]
        .iter()
        .zip(["a", "b", "c", "d", "e", "f", "g", "h"])
    {
        bomb.push_str(&format!(
            "{i}: &{i} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"
        ));
    }
    std::fs::write(dir.path().join("lenses/bomb.yaml"), bomb).unwrap();
    let run = wa(&["build", "."], dir.path());
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("lenses/bomb.yaml"), "{}", run.stderr);
}
