//! Checklists: every export parsed by a real parser (CSV reader, XML parser, JSON checked
//! against the published schema, CommonMark task lists) and compared with the checklist's
//! items; `wa-docs checklist` output against the build's files; the risk-rule table through
//! the Rust evaluator and through checklist.js under Node.

#[path = "../common/mod.rs"]
mod common;

mod answers;
mod exports;
mod formats;
mod hostile;
mod risk_rules;
mod subcommand;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use common::*;
use serde_json::{Value, json};
use wa_docs::checklist::{
    self, Assets, Checklist, Cond, Format, Item, Kind, LensGroup, PillarGroup, QuestionGroup, Rule,
    Site, Status,
};
use wa_docs::cli::checklist as cli;
use wa_docs::lens::risk::{Condition, evaluate};
use wa_docs::lens::{RiskLevel, RuleRisk};

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn build(project: &Path) -> PathBuf {
    let run = wa(&["build", ".", "-q", "-d", "site"], project);
    assert_eq!(run.code, 0, "build failed: {}", run.stderr);
    project.join("site")
}

fn checklists(project: &Path) -> Vec<Checklist> {
    let (p, diags) = wa_docs::project::load_project(project);
    assert!(!diags.has_errors(), "{diags:?}");
    checklist::all(&p.expect("project"))
}

/// (item id, title, risk, url, question id, pillar name, lens name) in checklist order.
type Row = (String, String, String, String, String, String, String);

fn expected_rows(cl: &Checklist) -> Vec<Row> {
    cl.items()
        .map(|(l, p, q, i)| {
            (
                i.id.clone(),
                i.title.clone(),
                i.risk.map(|r| r.as_str().to_string()).unwrap_or_default(),
                i.url.clone(),
                q.id.clone(),
                p.name.clone(),
                l.name.clone(),
            )
        })
        .collect()
}

/// Runs tests/js/harness.cjs under Node; `None` (with a notice) when node is missing.
fn node(request: &str) -> Option<Value> {
    let script = repo().join("themes/default/static/checklist.js");
    let child = Command::new("node")
        .arg(repo().join("tests/js/harness.cjs"))
        .arg(&script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(c) => c,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            eprintln!(
                "notice: `node` is not installed; skipping the checklist.js half of this test"
            );
            return None;
        }
        Err(e) => panic!("cannot run node: {e}"),
    };
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().unwrap();
        stdin.write_all(request.as_bytes()).unwrap();
    }
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "node failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(serde_json::from_slice(&out.stdout).expect("node answers JSON"))
}
