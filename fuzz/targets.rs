// Fuzz targets shared by the stable fuzzer (examples/fuzz.rs) and the corpus regression test
// (tests/fuzz_corpus.rs). Each takes arbitrary text and must never panic.

use std::path::{Path, PathBuf};

use wa_docs::diag::Diagnostics;
use wa_docs::graph::Graph;
use wa_docs::lens::risk::Condition;
use wa_docs::render::markdown::{self, Fragment};
use wa_docs::source::SourceFile;

pub const TARGETS: &[&str] = &["lens", "page", "aws", "risk"];

/// Runs one input through a target.
pub fn run(target: &str, text: &str) {
    match target {
        "lens" => lens(text),
        "page" => page(text),
        "aws" => aws(text),
        "risk" => risk(text),
        _ => unreachable!("unknown target {target}"),
    }
}

fn lens(text: &str) {
    let mut d = Diagnostics::default();
    let src = SourceFile {
        path: PathBuf::from("lenses/fuzz.yaml"),
        text: text.to_string(),
    };
    if let Some(lf) = wa_docs::lens::parse_lens(src, &mut d) {
        let _ = Graph::build(std::slice::from_ref(&lf), &[], &mut d);
        let _ = wa_docs::aws::export_json(&lf);
    }
    for diag in &d.items {
        let _ = diag.render(false);
    }
}

fn page(text: &str) {
    let src = SourceFile {
        path: PathBuf::from("content/fuzz.md"),
        text: text.to_string(),
    };
    let page = match wa_docs::content::parse_page(src, Path::new("content")) {
        Ok(p) => p,
        Err(d) => {
            let _ = d.render(false);
            return;
        }
    };
    let mut d = Diagnostics::default();
    let graph = Graph::build(&[], std::slice::from_ref(&page), &mut d);
    let frag = Fragment::page_body(&page);
    let mut diags = Vec::new();
    let r = markdown::render(&frag, &graph, &mut diags);
    let plain = r.plain.get();
    let _ = r.sections(&plain, 3);
    for diag in &diags {
        let _ = diag.render(false);
    }
}

fn aws(text: &str) {
    if let Ok((lens, _)) = wa_docs::aws::import_json(text, Path::new("fuzz.json")) {
        let yaml = wa_docs::aws::lens_to_yaml(&lens, "");
        let mut d = Diagnostics::default();
        let src = SourceFile {
            path: PathBuf::from("lenses/fuzz.yaml"),
            text: yaml,
        };
        if let Some(lf) = wa_docs::lens::parse_lens(src, &mut d) {
            let _ = wa_docs::aws::export_json(&lf);
        }
    }
}

fn risk(text: &str) {
    if let Ok(c) = Condition::parse(text) {
        let ids = c.choices();
        let selected: std::collections::HashSet<&str> = ids.iter().step_by(2).copied().collect();
        let _ = c.eval(&selected);
        let _ = serde_json::to_string(&c);
    }
}
