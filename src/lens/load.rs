//! Reading `lenses/*.yaml` and checking each lens on its own (ids, phases, risk rules).
//! Checks that need other lenses or pages (dimension ids, related ids) live in `graph`.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use super::model::{Lens, Resource};
use super::risk::Condition;
use crate::diag::{Diagnostic, Diagnostics, Severity};
use crate::source::{SourceFile, read_source};

/// A parsed lens and the text it came from (for locating later diagnostics).
#[derive(Debug, Clone)]
pub struct LensFile {
    pub lens: Lens,
    pub source: SourceFile,
    /// Parsed risk-rule conditions, per question id, in rule order.
    pub conditions: HashMap<String, Vec<Condition>>,
}

/// Lists `*.yaml` / `*.yml` in `dir` (not recursive; hidden files skipped), sorted by name.
pub fn lens_paths(root: &Path, dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let full = root.join(dir);
    if !full.exists() {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    for entry in std::fs::read_dir(&full)? {
        let entry = entry?;
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with('.') || !entry.file_type()?.is_file() {
            continue;
        }
        if name.ends_with(".yaml") || name.ends_with(".yml") {
            out.push(dir.join(&*name));
        }
    }
    out.sort();
    Ok(out)
}

/// Loads every lens file under `root/dir`; problems go to `diags`.
pub fn load_lenses(root: &Path, dir: &Path, diags: &mut Diagnostics) -> Vec<LensFile> {
    let paths = match lens_paths(root, dir) {
        Ok(p) => p,
        Err(e) => {
            diags.push(Diagnostic::error(format!("cannot list lens folder: {e}")).in_file(dir));
            return Vec::new();
        }
    };
    let mut out = Vec::new();
    for rel in paths {
        match read_source(root, &rel) {
            Ok(source) => {
                if let Some(lf) = parse_lens(source, diags) {
                    out.push(lf);
                }
            }
            Err(d) => diags.push(d),
        }
    }
    out
}

/// Parses and checks one lens file.
pub fn parse_lens(source: SourceFile, diags: &mut Diagnostics) -> Option<LensFile> {
    if let Some(at) = crate::yaml_depth::too_deep(&source.text) {
        diags.push(nesting_error(&source.path, &source.text, at));
        return None;
    }
    let lens: Lens = match serde_yaml::from_str(&source.text) {
        Ok(l) => l,
        Err(e) => {
            let msg = e.to_string();
            let (msg, hint) = yaml_hint(&msg);
            let d = Diagnostic::error(msg).with_hint(hint);
            diags.push(match e.location() {
                Some(loc) => d.at_line_col(&source.path, &source.text, loc.line(), loc.column()),
                None => d.in_file(&source.path),
            });
            return None;
        }
    };
    let mut lf = LensFile {
        lens,
        source,
        conditions: HashMap::new(),
    };
    check_lens(&mut lf, diags);
    Some(lf)
}

/// The error for YAML whose `[`/`{` nesting passes [`crate::yaml_depth::MAX_FLOW_DEPTH`].
pub fn nesting_error(path: &Path, text: &str, at: usize) -> Diagnostic {
    Diagnostic::error(format!(
        "YAML nests `[` or `{{` more than {} levels deep",
        crate::yaml_depth::MAX_FLOW_DEPTH
    ))
    .with_hint("a lens or front matter needs a few levels; look for unclosed brackets")
    .at(path, text, at, 1)
}

fn yaml_hint(msg: &str) -> (String, &'static str) {
    // serde_yaml appends " at line L column C"; the location is shown separately.
    let msg = match msg.find(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg.to_string(),
    };
    let hint = if msg.contains("unknown field") {
        "remove the key or fix its spelling; the lens JSON Schema (lens.schema.json) lists every key"
    } else if msg.contains("missing field") {
        "add the required key to this object"
    } else if msg.contains("unknown variant") {
        "use one of the listed values"
    } else if msg.contains("invalid type") {
        "the value has the wrong type for this key"
    } else if msg.contains("recursion limit") || msg.contains("repetition limit") {
        "the file nests or repeats aliases too deeply to be a lens definition"
    } else {
        "check the YAML syntax (indentation, quotes, `key: value`) at this position"
    };
    (msg, hint)
}

fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

/// Characters allowed in ids: letters, digits, `_`, `-`, `.`.
pub fn is_valid_id(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 128
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.')
}

/// Questions and best practices a lens may have. Each is a page, and a lens is reviewed by
/// people: AWS's lenses have under 70 questions and the WA Tool takes at most 200. The limits
/// keep a runaway file (a generated lens of a million lines) from turning into a million pages.
pub const MAX_QUESTIONS: usize = 2_000;
pub const MAX_PRACTICES: usize = 20_000;

fn check_lens(lf: &mut LensFile, diags: &mut Diagnostics) {
    let src = &lf.source;
    let lens = &lf.lens;
    if !is_slug(&lens.id) {
        diags.push_capped(&src.path, Severity::Error, || {
            src.error_at_value(
                "id",
                &lens.id,
                format!("lens id `{}` is not a lowercase slug", lens.id),
            )
            .with_hint(
                "use lowercase letters, digits and `-`, e.g. `generative-ai`; it becomes the URL",
            )
        });
    }
    let questions = lens.questions().count();
    let practices = lens.best_practice_count();
    if questions > MAX_QUESTIONS || practices > MAX_PRACTICES {
        diags.push(
            src.error_at_value(
                "id",
                &lens.id,
                format!(
                    "lens {} has {questions} questions and {practices} best practices; a lens may have at most {MAX_QUESTIONS} and {MAX_PRACTICES}",
                    lens.id
                ),
            )
            .with_hint("each becomes a page; split the lens into several lenses (the WA Tool takes 200 questions a lens)"),
        );
        return;
    }
    if lens.pillars.is_empty() {
        diags.push_capped(&src.path, Severity::Error, || {
            src.error_at_value("pillars", "", "lens has no pillars")
                .with_hint("add at least one pillar with questions")
        });
    }
    let phases: HashSet<&str> = lens.phases.iter().map(|p| p.id.as_str()).collect();
    let mut seen: HashSet<&str> = HashSet::new();
    let check_id = |id: &str, key: &str, diags: &mut Diagnostics| {
        if !is_valid_id(id) {
            diags.push_capped(&src.path, Severity::Error, || {
                src.error_at_value(key, id, format!("id `{id}` has characters ids cannot have"))
                    .with_hint("ids use letters, digits, `_`, `-` and `.` (at most 128)")
            });
        }
    };
    for p in &lens.pillars {
        check_id(&p.id, "id", diags);
        if !seen.insert(&p.id) {
            diags.push_capped(&src.path, Severity::Error, || {
                src.error_at_value("id", &p.id, format!("duplicate pillar id `{}`", p.id))
            });
        }
        for q in &p.questions {
            check_id(&q.id, "id", diags);
            if let Some(phase) = &q.phase
                && !phases.contains(phase.as_str())
            {
                let known: Vec<&str> = lens.phases.iter().map(|p| p.id.as_str()).collect();
                diags.push_capped(&src.path, Severity::Error, || {
                    src.error_at_value(
                        "phase",
                        phase,
                        format!("question {} names unknown phase `{phase}`", q.id),
                    )
                    .with_hint(if known.is_empty() {
                        "declare `phases:` on the lens first".to_string()
                    } else {
                        format!("known phases: {}", known.join(", "))
                    })
                });
            }
            if q.best_practices.is_empty() {
                diags.push_capped(&src.path, Severity::Error, || {
                    src.error_at_value(
                        "id",
                        &q.id,
                        format!("question {} has no best practices", q.id),
                    )
                    .with_hint("add `best-practices:` with at least one entry")
                });
            }
            let bp_ids: HashSet<&str> = q.best_practices.iter().map(|b| b.id.as_str()).collect();
            check_resource_urls(src, &q.id, q.helpful_resource.iter(), diags);
            for b in &q.best_practices {
                check_id(&b.id, "id", diags);
                let resources = b
                    .helpful_resource
                    .iter()
                    .chain(&b.improvement_plan)
                    .chain(b.additional_resources.iter().flat_map(|r| &r.content));
                check_resource_urls(src, &b.id, resources, diags);
            }
            let mut conds = Vec::new();
            for (i, rule) in q.risk_rules.iter().enumerate() {
                // Locating a rule searches the file, so it is done only for a rule with a
                // problem: done for every rule, a lens of 70,000 questions took minutes.
                let offset = || src.nth_key_after(&q.id, "condition", i, &rule.condition);
                match Condition::parse(&rule.condition) {
                    Ok(c) => {
                        for choice in c.choices() {
                            if !bp_ids.contains(choice) {
                                diags.push_capped(&src.path, Severity::Error, || {
                                    let offset = offset();
                                    let at = src.find_after(offset, choice).unwrap_or(offset);
                                    Diagnostic::error(format!(
                                        "risk rule of {} names `{choice}`, which is not one of its best practices",
                                        q.id
                                    ))
                                    .with_hint(format!(
                                        "conditions may name only this question's best practices: {}",
                                        sorted_join(&bp_ids)
                                    ))
                                    .at(&src.path, &src.text, at, choice.len())
                                });
                            }
                        }
                        let is_default = c == Condition::Default;
                        let last = i + 1 == q.risk_rules.len();
                        if is_default && !last {
                            diags.push_capped(&src.path, Severity::Error, ||
                                Diagnostic::error(format!(
                                    "`default` risk rule of {} is not the last rule",
                                    q.id
                                ))
                                .with_hint("rules are tried in order, so rules after `default` never apply")
                                .at(&src.path, &src.text, offset(), rule.condition.len()));
                        }
                        if last && !is_default {
                            diags.push_capped(&src.path, Severity::Error, ||
                                Diagnostic::error(format!("risk rules of {} have no `default` rule", q.id))
                                    .with_hint("end the list with `- condition: default` and the risk when nothing else matches")
                                    .at(&src.path, &src.text, offset(), rule.condition.len()));
                        }
                        conds.push(c);
                    }
                    Err(e) => diags.push_capped(&src.path, Severity::Error, ||
                        Diagnostic::error(format!("risk rule of {} does not parse: {}", q.id, e.message))
                            .with_hint("conditions use best-practice ids with `&&`, `||`, `!` and parentheses, or `default`")
                            .at(&src.path, &src.text, offset() + e.offset, 1)),
                }
            }
            lf.conditions.insert(q.id.clone(), conds);
        }
    }
}

/// Resource links become `href`s on the question page: the same URL rule as markdown links
/// (an imported WA Tool lens is somebody else's JSON).
fn check_resource_urls<'r>(
    src: &SourceFile,
    owner: &str,
    resources: impl Iterator<Item = &'r Resource>,
    diags: &mut Diagnostics,
) {
    for url in resources.filter_map(|r| r.url.as_deref()) {
        if !crate::safe_url::url_allowed(url) {
            diags.push_capped(&src.path, Severity::Error, || {
                let shown: String = url.chars().take(40).collect();
                src.error_in(
                    owner,
                    url,
                    format!(
                        "resource link of {owner} to `{}`: the URL's scheme is not allowed",
                        shown.escape_debug()
                    ),
                )
                .with_hint(format!(
                    "use {} or a relative URL; pages never follow script or data URLs from their sources",
                    crate::safe_url::URL_SCHEMES.join(", ")
                ))
            });
        }
    }
}

fn sorted_join(ids: &HashSet<&str>) -> String {
    let mut v: Vec<&str> = ids.iter().copied().collect();
    v.sort();
    v.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> (Option<LensFile>, Diagnostics) {
        let mut d = Diagnostics::default();
        let src = SourceFile {
            path: PathBuf::from("lenses/t.yaml"),
            text: text.to_string(),
        };
        (parse_lens(src, &mut d), d)
    }

    const GOOD: &str = "id: t\nname: T\npillars:\n  - id: P\n    name: P\n    questions:\n      - id: P01\n        title: Q?\n        best-practices:\n          - id: P01-BP01\n            title: A\n          - id: P01-BP02\n            title: B\n        risk-rules:\n          - condition: P01-BP01 && P01-BP02\n            risk: none\n          - condition: default\n            risk: high\n";

    #[test]
    fn good_lens_parses_with_conditions() {
        let (lf, d) = parse(GOOD);
        assert!(!d.has_errors(), "{:?}", d);
        let lf = lf.unwrap();
        assert_eq!(lf.conditions["P01"].len(), 2);
    }

    #[test]
    fn unknown_key_reports_line() {
        let text = GOOD.replace(
            "            title: B\n",
            "            title: B\n            colour: red\n",
        );
        let (_, d) = parse(&text);
        let e = &d.items[0];
        assert!(
            e.message.contains("unknown field `colour`"),
            "{}",
            e.message
        );
        assert_eq!(e.location.as_ref().unwrap().line, 14);
    }

    #[test]
    fn unknown_choice_in_condition_is_located() {
        let text = GOOD.replace("P01-BP01 && P01-BP02", "P01-BP01 && P01-BP09");
        let (_, d) = parse(&text);
        let e = d
            .items
            .iter()
            .find(|e| e.message.contains("P01-BP09"))
            .unwrap();
        assert_eq!(e.location.as_ref().unwrap().line, 15);
        assert_eq!(e.location.as_ref().unwrap().col, 36);
    }

    #[test]
    fn missing_default_is_an_error() {
        let text = GOOD.replace("condition: default", "condition: P01-BP01");
        let (_, d) = parse(&text);
        assert!(d.items.iter().any(|e| e.message.contains("no `default`")));
    }
}
