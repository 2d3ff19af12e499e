//! Search relevance on the bundled guidance, and agreement between the CLI and the browser
//! script (run under Node against the built shards).

mod common;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use wa_docs::search::query::search;

fn site() -> &'static Path {
    static SITE: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    let (_, p) = SITE.get_or_init(|| {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("site");
        let run = common::wa(
            &["build", ".", "-q", "-d", out.to_str().unwrap()],
            Path::new(env!("CARGO_MANIFEST_DIR")),
        );
        assert_eq!(run.code, 0, "{}", run.stderr);
        (tmp, out)
    });
    p
}

fn urls(q: &str, n: usize) -> Vec<String> {
    search(site(), q, n)
        .unwrap()
        .into_iter()
        .map(|r| r.doc.url)
        .collect()
}

#[test]
fn each_dimension_name_finds_its_page_first() {
    for (name, page) in [
        ("Fairness", "dimensions/fairness.html"),
        ("Explainability", "dimensions/explainability.html"),
        ("Privacy and security", "dimensions/privacy-security.html"),
        ("Safety", "dimensions/safety.html"),
        ("Controllability", "dimensions/controllability.html"),
        (
            "Veracity and robustness",
            "dimensions/veracity-robustness.html",
        ),
        ("Governance", "dimensions/governance.html"),
        ("Transparency", "dimensions/transparency.html"),
    ] {
        assert_eq!(urls(name, 1), vec![page.to_string()], "query {name}");
    }
}

#[test]
fn exact_ids_come_first_in_any_case() {
    assert_eq!(
        urls("GENSEC01-BP01", 1),
        vec!["lenses/generative-ai/gensec01.html#gensec01-bp01"]
    );
    assert_eq!(
        urls("gensec01-bp01", 1),
        vec!["lenses/generative-ai/gensec01.html#gensec01-bp01"]
    );
    assert_eq!(
        urls("gensec01", 1),
        vec!["lenses/generative-ai/gensec01.html"]
    );
    assert_eq!(
        urls("MLSEC04-WD01", 1),
        vec!["lenses/machine-learning/mlsec04.html#mlsec04-wd01"]
    );
}

#[test]
fn stemming_matches_both_forms() {
    let one = search(site(), "guardrail", 10).unwrap();
    let many = search(site(), "guardrails", 10).unwrap();
    assert_eq!(
        one.iter().map(|r| &r.doc.url).collect::<Vec<_>>(),
        many.iter().map(|r| &r.doc.url).collect::<Vec<_>>()
    );
    let titles: Vec<String> = one.iter().map(|r| r.doc.title.to_lowercase()).collect();
    assert!(
        titles.iter().any(|t| t.contains("guardrails")),
        "{titles:?}"
    );
}

#[test]
fn title_matches_outrank_body_matches() {
    for q in [
        "prompt injection",
        "tenant isolation",
        "human oversight",
        "red team",
    ] {
        let r = search(site(), q, 1).unwrap();
        let title = r[0].doc.title.to_lowercase();
        let first_word = q.split(' ').next().unwrap();
        assert!(
            title.contains(first_word),
            "{q}: top result `{title}` lacks `{first_word}` in its title"
        );
    }
}

#[test]
fn last_word_matches_as_a_prefix() {
    assert_eq!(urls("guardr", 5), urls("guardrail", 5));
}

#[test]
fn browser_script_and_cli_agree() {
    if std::process::Command::new("node")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!("node is not installed: skipping the browser agreement test");
        return;
    }
    let queries = [
        "fairness",
        "prompt injection",
        "PII in training data",
        "guardr",
        "GENSEC01-BP01",
        "tenant isolation",
        "vector store permissions",
        "drift",
        "cost per token",
        "human in the loop",
        "model card",
        "zzzznotaword",
    ];
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/js/search_node.mjs");
    let mut args = vec![
        script.to_str().unwrap().to_string(),
        site().to_str().unwrap().to_string(),
        "5".into(),
    ];
    args.extend(queries.iter().map(|s| s.to_string()));
    let out = std::process::Command::new("node")
        .args(&args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let browser: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    for q in queries {
        let b: Vec<String> = browser[q]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_string())
            .collect();
        assert_eq!(b, urls(q, 5), "query `{q}`");
    }
}

#[test]
fn a_single_word_query_loads_one_shard() {
    if std::process::Command::new("node")
        .arg("--version")
        .output()
        .is_err()
    {
        return;
    }
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/js/search_node.mjs");
    let out = std::process::Command::new("node")
        .args([
            script.to_str().unwrap(),
            site().to_str().unwrap(),
            "5",
            "controllability",
        ])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let req: Vec<&str> = v["__requested"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap())
        .collect();
    let shards = req.iter().filter(|n| n.starts_with('s')).count();
    assert_eq!(shards, 1, "{req:?}");
    assert!(
        req.iter()
            .filter(|n| n.starts_with('m') && **n != "manifest")
            .count()
            <= 5,
        "{req:?}"
    );
    let total = std::fs::read_dir(site().join("search")).unwrap().count();
    assert!(
        req.len() < total / 3,
        "loaded {} of {total} files",
        req.len()
    );
}

#[test]
fn cli_prints_ranked_results() {
    let run = common::wa(
        &["search", "--limit", "3", "--json", "prompt", "injection"],
        Path::new(env!("CARGO_MANIFEST_DIR")),
    );
    if run.stderr.contains("unrecognized subcommand") {
        panic!("search subcommand missing: {}", run.stderr);
    }
    assert_eq!(run.code, 0, "{}", run.stderr);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 3);
    assert!(v[0]["title"].as_str().unwrap().contains("prompt injection"));
    // The question on prompt security is among the first three.
    assert!(
        v.as_array()
            .unwrap()
            .iter()
            .any(|r| r["url"] == "lenses/generative-ai/gensec04.html"),
        "{v:#}"
    );
}
