//! `wa-docs init`: a small project that builds, showing every kind of source, with a
//! `.gitignore` for what wa-docs writes.

use std::path::{Path, PathBuf};

use crate::diag::Diagnostic;

const FILES: &[(&str, &str)] = &[
    (
        "book.toml",
        r#"[book]
title = "My AI guidance"
authors = []
language = "en"

[build]
build-dir = "book"

[output.html]
# Set site-url to the address the site is published at: checklist exports (Markdown, Confluence,
# MediaWiki, CSV, JSON) then link there, instead of with relative URLs that break once pasted
# into a wiki. Remove the `#` and write your address:
# site-url = "https://guidance.example.com/"

[wa]
lens-dir = "lenses"
content-dir = "content"
"#,
    ),
    (
        ".gitignore",
        r#"# What wa-docs writes: the site (build-dir in book.toml), its caches, and the previous
# output and temporary folders it keeps beside the site while swapping a new build in.
/book/
/.wa-cache/
.*.wa-prev
.*.wa-lock
.*.wa-tmp-*
.*.wa-old-*
"#,
    ),
    (
        "lenses/example.yaml",
        r#"# A lens: pillars -> questions -> best practices. The JSON Schema is published in the built
# site at schema/lens.schema.json (or print it with `wa-docs schema`).
id: example
name: Example Lens
version: "0.1"
description: |
  A starting point. Replace it with your organisation's guidance.
pillars:
  - id: EXSEC
    name: Security
    description: How the workload protects its models and data.
    questions:
      - id: EXSEC01
        title: How do you control who can invoke the model?
        description: |
          Model endpoints are an attack surface: treat them like any production API.
        best-practices:
          - id: EXSEC01-BP01
            title: Grant invocation rights per application role
            risk: high
            dimensions: [privacy-security]
            description: Each caller has only the model permissions it needs.
            implementation: |
              1. List every application that calls the model.
              2. Give each its own role that allows invoking only the models it uses.
            improvement-plan:
              text: Start by removing wildcard permissions on model invocation.
          - id: EXSEC01-BP02
            title: Log every invocation with the caller's identity
            risk: medium
            dimensions: [privacy-security]
            description: Every request can be traced to a caller.
            implementation: |
              Send invocation logs to a store only the security team can change.
            improvement-plan:
              text: Turn on invocation logging for production endpoints first.
        risk-rules:
          - condition: EXSEC01-BP01 && EXSEC01-BP02
            risk: none
          - condition: EXSEC01-BP01
            risk: medium
          - condition: default
            risk: high
"#,
    ),
    (
        "content/index.md",
        r#"---
title: Welcome
---
This site is built by wa-docs from `lenses/` and `content/`.

Start with the [[example]] lens, the [[privacy-security]] dimension, or the
[[internal-chatbot]] scenario checklist.
"#,
    ),
    (
        "content/dimensions/privacy-security.md",
        r#"---
title: Privacy and security
kind: dimension
description: Data and models are obtained, used and protected appropriately.
---
## What it means

Protect the data a model sees and the model itself. The best practices that serve this
dimension are listed below automatically.
"#,
    ),
    (
        "content/scenarios/internal-chatbot.md",
        r#"---
title: Internal chatbot
kind: scenario
description: A chat assistant for employees over internal documents.
checklist: [EXSEC01]
---
## The problem

Employees want answers from internal documents without searching several systems.
"#,
    ),
];

/// Writes the starter project; refuses to overwrite any existing file.
pub fn init(dir: &Path, force: bool) -> Result<Vec<PathBuf>, Diagnostic> {
    if dir.exists() && !force {
        let non_empty = std::fs::read_dir(dir)
            .map(|mut d| d.next().is_some())
            .unwrap_or(false);
        if non_empty {
            return Err(Diagnostic::error(format!("{} is not empty", dir.display()))
                .with_hint("choose a new folder, or pass --force to add the starter files beside what is there"));
        }
    }
    let mut written = Vec::new();
    for (rel, text) in FILES {
        let path = dir.join(rel);
        if path.exists() {
            continue;
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| {
                Diagnostic::error(format!("cannot create {}: {e}", parent.display()))
            })?;
        }
        std::fs::write(&path, text)
            .map_err(|e| Diagnostic::error(format!("cannot write {}: {e}", path.display())))?;
        written.push(path);
    }
    Ok(written)
}
