//! The bad-input corpus: every folder under tests/bad-inputs/ is a tiny project with an
//! `expect.txt` (exit code, and the file:line and message the report must contain). Each is
//! built over a good previous output, which must survive any failure untouched. Lines:
//!   exit: N               expected exit code
//!   position: TEXT        must appear in stderr (file:line[:col])
//!   message: TEXT         must appear in stderr
//!   error: POS MESSAGE     one diagnostic: `POS: MESSAGE` must appear in stderr (repeatable)
//!   fixture: NAME          start from a copy of tests/fixtures/NAME (the case's files laid over it)
//!   edit: FILE FROM -> TO  replace FROM by TO in FILE (`\n` is a newline); such a case must also
//!                          print a hint, and `check` must exit as `build` does
//!   dest: PATH            build into PATH inside the project instead (no previous output)
//!   generate: huge FILE   write a 17 MiB page at FILE first
//!   generate: sparse FILE MIB               a file of MIB mebibytes of holes (cheap on disk)
//!   generate: symlink FILE TARGET
//!   generate: repeat FILE COUNT PIECE      append PIECE (rest of the line; `\n` is a newline,
//!                                          `{n}` the repetition's number) COUNT times to FILE
//!   generate: append FILE TEXT             append TEXT (`\n` is a newline) to FILE
//!   command: ARGS          run `wa-docs ARGS` in the case folder instead of building it
//!   exists: PATH           after a successful build, the output holds PATH
//!   absent: PATH           after a successful build, the output does not hold PATH

mod common;

use std::path::Path;

use common::*;

#[derive(Default, Debug)]
struct Expect {
    exit: i32,
    position: Option<String>,
    message: Option<String>,
    errors: Vec<String>,
    fixture: Option<String>,
    edits: Vec<String>,
    dest: Option<String>,
    generate: Vec<String>,
    command: Option<String>,
    exists: Vec<String>,
    absent: Vec<String>,
}

fn parse(text: &str) -> Expect {
    let mut e = Expect::default();
    for line in text.lines() {
        let Some((k, v)) = line.split_once(": ").or_else(|| line.split_once(':')) else {
            continue;
        };
        let v = v.trim().to_string();
        match k {
            "exit" => e.exit = v.parse().expect("exit code"),
            "position" => e.position = Some(v),
            "message" => e.message = Some(v),
            "fixture" => e.fixture = Some(v),
            "edit" => e.edits.push(v),
            "error" => {
                let (pos, msg) = v.split_once(' ').expect("error: POS MESSAGE");
                e.errors.push(format!("{pos}: {msg}"));
            }
            "dest" => e.dest = Some(v),
            "generate" => e.generate.push(v),
            "command" => e.command = Some(v),
            "exists" => e.exists.push(v),
            "absent" => e.absent.push(v),
            _ => panic!("unknown expect key {k}"),
        }
    }
    e
}

fn generate(proj: &Path, spec: &str) {
    if let Some(rest) = spec.strip_prefix("append ") {
        let (file, piece) = rest.split_once(' ').unwrap();
        let path = proj.join(file);
        let mut text = std::fs::read_to_string(&path).unwrap_or_default();
        text.push_str(&piece.replace("\\n", "\n"));
        std::fs::write(path, text).unwrap();
        return;
    }
    if let Some(rest) = spec.strip_prefix("repeat ") {
        let mut it = rest.splitn(3, ' ');
        let (file, count, piece) = (it.next().unwrap(), it.next().unwrap(), it.next().unwrap());
        let piece = piece.replace("\\n", "\n");
        let path = proj.join(file);
        let mut text = std::fs::read_to_string(&path).unwrap_or_default();
        for n in 0..count.parse::<usize>().expect("repeat count") {
            text.push_str(&piece.replace("{n}", &n.to_string()));
        }
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
        return;
    }
    let parts: Vec<&str> = spec.split_whitespace().collect();
    match parts.as_slice() {
        ["sparse", file, mib] => {
            let f = std::fs::File::create(proj.join(file)).unwrap();
            f.set_len(mib.parse::<u64>().unwrap() * 1024 * 1024)
                .unwrap();
        }
        ["huge", file] => {
            let mut text = String::from("---\ntitle: Huge\n---\n");
            let line = "lorem ".repeat(20) + "\n";
            while text.len() < 17 * 1024 * 1024 {
                text.push_str(&line);
            }
            std::fs::write(proj.join(file), text).unwrap();
        }
        ["symlink", file, target] => {
            std::os::unix::fs::symlink(target, proj.join(file)).unwrap();
        }
        _ => panic!("unknown generate {spec}"),
    }
}

/// What a run got wrong against its case's exit code, position and message.
fn run_problems(run: &Run, expect: &Expect) -> Vec<String> {
    let mut problems = Vec::new();
    if run.code != expect.exit {
        problems.push(format!("exit {} (expected {})", run.code, expect.exit));
    }
    if run.stderr.contains("panicked") {
        problems.push("panicked".into());
    }
    let singles = [&expect.position, &expect.message].into_iter().flatten();
    for want in singles.chain(&expect.errors) {
        if !run.stderr.contains(want.as_str()) {
            problems.push(format!("stderr lacks `{want}`"));
        }
    }
    problems
}

#[test]
fn every_bad_input_case_behaves_as_expected() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bad-inputs");
    let mut cases: Vec<_> = std::fs::read_dir(&corpus)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    cases.sort();
    assert!(cases.len() >= 30, "only {} cases", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        let expect = parse(&read(&case.join("expect.txt")));
        let tmp = tempfile::tempdir().unwrap();
        let proj = tmp.path().join("proj");
        if let Some(f) = &expect.fixture {
            copy_dir(&fixture(f), &proj);
        }
        copy_dir(case, &proj);
        std::fs::remove_file(proj.join("expect.txt")).unwrap();
        for e in &expect.edits {
            let (file, change) = e.split_once(' ').expect("edit: FILE FROM -> TO");
            let (from, to) = change.split_once(" -> ").expect("edit: FILE FROM -> TO");
            edit(
                &proj.join(file),
                &from.replace("\\n", "\n"),
                &to.replace("\\n", "\n"),
            );
        }
        for g in &expect.generate {
            generate(&proj, g);
        }
        let out = tmp.path().join("out");
        if let Some(cmd) = &expect.command {
            let args: Vec<&str> = cmd.split_whitespace().collect();
            let run = wa(&args, &proj);
            let problems = run_problems(&run, &expect);
            if !problems.is_empty() {
                failures.push(format!("{name}: {}\n{}", problems.join("; "), run.stderr));
            }
            continue;
        }
        let (dest, before) = match &expect.dest {
            Some(d) => (d.clone(), None),
            None => {
                let base = wa(
                    &[
                        "build",
                        fixture("basic").to_str().unwrap(),
                        "-q",
                        "-d",
                        out.to_str().unwrap(),
                    ],
                    tmp.path(),
                );
                assert_eq!(base.code, 0, "{}", base.stderr);
                (
                    out.to_str().unwrap().to_string(),
                    Some(read(&out.join("index.html"))),
                )
            }
        };
        let run = wa(&["build", ".", "-d", &dest], &proj);
        let mut problems = run_problems(&run, &expect);
        if !expect.edits.is_empty() {
            if !run.stderr.contains("help:") {
                problems.push("no hint".into());
            }
            let check = wa(&["check", "."], &proj);
            if check.code != run.code {
                problems.push(format!("check exits {}, build {}", check.code, run.code));
            }
        }
        if let Some(before) = before {
            let now = std::fs::read_to_string(out.join("index.html")).unwrap_or_default();
            if expect.exit != 0 && now != before {
                problems.push("previous output changed".into());
            }
            if expect.exit == 0 && now == before {
                problems.push("output was not replaced".into());
            }
        }
        let built = Path::new(&dest);
        let built = if built.is_absolute() {
            built.to_path_buf()
        } else {
            proj.join(built)
        };
        for p in &expect.exists {
            if !built.join(p).exists() {
                problems.push(format!("output lacks {p}"));
            }
        }
        for p in &expect.absent {
            if built.join(p).exists() {
                problems.push(format!("output holds {p}"));
            }
        }
        if !problems.is_empty() {
            failures.push(format!("{name}: {}\n{}", problems.join("; "), run.stderr));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

#[test]
fn two_builds_at_once_into_one_folder_leave_a_whole_site() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let basic = fixture("basic");
    let spawn = || {
        std::process::Command::new(env!("CARGO_BIN_EXE_wa-docs"))
            .args([
                "build",
                basic.to_str().unwrap(),
                "-q",
                "-d",
                out.to_str().unwrap(),
            ])
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };
    let (a, b) = (spawn(), spawn());
    let (a, b) = (a.wait_with_output().unwrap(), b.wait_with_output().unwrap());
    for o in [&a, &b] {
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(
            o.status.success() || err.contains("another wa-docs build is writing"),
            "{err}"
        );
        assert!(!err.contains("panicked"));
    }
    assert!(a.status.success() || b.status.success());
    // Whatever the interleaving, the folder holds one complete site and no leftovers: only the
    // lock and, when one build ran after the other, the output before last (kept by design to
    // be written over).
    assert!(check_links(&out) > 50);
    let leftovers: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .filter(|n| n.to_string_lossy().contains(".wa-"))
        .collect();
    assert!(
        leftovers.iter().all(|n| [".wa-lock", ".wa-prev"]
            .iter()
            .any(|k| n.to_string_lossy().ends_with(k))),
        "{leftovers:?}"
    );
}

// Problems a corpus folder cannot express: several at once, a broken theme template, byte-level
// encodings, and a YAML alias bomb.

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
