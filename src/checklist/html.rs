//! The checklist's HTML, shared by the site page and the embeddable page: a plain list that
//! reads and prints well without JavaScript, a hidden toolbar `checklist.js` turns on, and the
//! checklist's JSON for the script (never evaluated: `JSON.parse` only).

use std::fmt::Write;

use super::{Checklist, Status};
use crate::graph::slug;
use crate::render::escape_html as esc;

/// The toolbar, hidden until the script runs.
pub fn toolbar(cl: &Checklist) -> String {
    let n = cl.item_count();
    format!(
        r#"<div class="cl-bar" id="cl-bar" hidden>
<div class="cl-overall"><label for="cl-progress">Overall progress</label> <progress id="cl-progress" max="{n}" value="0"></progress> <span class="cl-count" id="cl-progress-text"></span></div>
<p class="cl-risk" id="cl-risk" aria-live="polite"></p>
<div class="cl-actions" role="group" aria-label="Checklist actions">
<button type="button" data-cl-action="share">Copy share link</button>
<button type="button" data-cl-action="md">Download Markdown</button>
<button type="button" data-cl-action="csv">Download CSV</button>
<button type="button" data-cl-action="json">Download JSON</button>
<button type="button" data-cl-action="reset">Reset answers</button>
</div>
<p class="cl-import"><label for="cl-import-file">Import answers</label> <input id="cl-import-file" type="file" accept=".json,.csv,application/json,text/csv" aria-describedby="cl-import-hint"> <span class="cl-count" id="cl-import-hint">a JSON or CSV file downloaded from this checklist</span></p>
<p class="cl-share" id="cl-share" hidden><label for="cl-share-url">Share link</label> <input id="cl-share-url" type="url" readonly></p>
<div class="cl-notice" id="cl-notice" role="status" aria-live="polite"></div>
</div>
<p class="cl-nojs muted" id="cl-nojs">Turn on JavaScript to mark items done or not applicable, save your progress in this browser and see the risk of each question.</p>
"#
    )
}

/// The grouped list. `link` turns an exported URL into the `href` to write.
pub fn list(cl: &Checklist, link: &dyn Fn(&str) -> String) -> String {
    let mut o = String::with_capacity(4096);
    let _ = write!(
        o,
        "<div class=\"cl\" id=\"cl\" data-cl=\"{}\">",
        esc(&cl.id)
    );
    let answered = cl.is_answered();
    if cl.item_count() == 0 {
        o.push_str("<p>This checklist has no items yet.</p>");
    }
    for lens in &cl.lenses {
        let lid = format!("cl-lens-{}", slug(&lens.id));
        let _ = write!(
            o,
            "\n<section class=\"cl-lens\" aria-labelledby=\"{lid}\">\n<h2 id=\"{lid}\"><a href=\"{}\">{}</a>",
            esc(&link(&lens.url)),
            esc(&lens.name)
        );
        if let Some(v) = &lens.version {
            let _ = write!(o, " <span class=\"cl-version\">version {}</span>", esc(v));
        }
        o.push_str("</h2>");
        for pillar in &lens.pillars {
            let pid = format!("cl-p-{}", slug(&pillar.id));
            let _ = write!(
                o,
                "\n<section class=\"cl-pillar\" aria-labelledby=\"{pid}\">\n<h3 id=\"{pid}\"><a href=\"{}\">{}</a></h3>\n<div class=\"cl-pstatus\" data-cl-pillar=\"{}\"></div>",
                esc(&link(&pillar.url)),
                esc(&pillar.name),
                esc(&pillar.id)
            );
            for q in &pillar.questions {
                let qid = format!("cl-q-{}", slug(&q.id));
                // With answers (`wa-docs checklist --answers`), the page shows them without
                // the script too; with every item open it is the build's page.
                let (qclass, qrisk) = if answered {
                    let r = cl.risk_of(q);
                    (format!(" cl-r-{}", r.as_str()), r.label())
                } else {
                    (String::new(), "")
                };
                let _ = write!(
                    o,
                    "\n<section class=\"cl-q\" aria-labelledby=\"{qid}\">\n<h4 id=\"{qid}\"><a href=\"{}\"><span class=\"id\">{}</span> {}</a></h4>\n<p class=\"cl-qstatus{qclass}\" data-cl-question=\"{}\">{qrisk}</p>\n<ul class=\"cl-items\">",
                    esc(&link(&q.url)),
                    esc(&q.id),
                    esc(&q.title),
                    esc(&q.id)
                );
                for i in &q.items {
                    let state = match i.status {
                        Status::Open => "",
                        Status::Done => " is-done",
                        Status::NotApplicable => " is-na",
                    };
                    let _ = write!(
                        o,
                        "\n<li class=\"cl-item{state}\" id=\"cl-i-{}\" data-cl-item=\"{}\"><span class=\"cl-box\" aria-hidden=\"true\"></span><span class=\"cl-text\"><a href=\"{}\"><span class=\"id\">{}</span> {}</a>",
                        slug(&i.id),
                        esc(&i.id),
                        esc(&link(&i.url)),
                        esc(&i.id),
                        esc(&i.title)
                    );
                    if let Some(r) = i.risk {
                        let r = r.as_str();
                        let _ = write!(
                            o,
                            " <span class=\"risk risk-{r}\" title=\"Risk if not established\">{r} risk</span>"
                        );
                    }
                    if i.general {
                        o.push_str(
                            " <span class=\"cl-general\" title=\"Applies to every workload, whatever the scenario\">every workload</span>",
                        );
                    }
                    match i.status {
                        Status::Open => {}
                        Status::Done => o.push_str(" <span class=\"cl-answer\">done</span>"),
                        Status::NotApplicable => {
                            o.push_str(" <span class=\"cl-answer\">not applicable</span>")
                        }
                    }
                    o.push_str("</span></li>");
                }
                o.push_str("\n</ul>\n</section>");
            }
            o.push_str("\n</section>");
        }
        o.push_str("\n</section>");
    }
    o.push_str("\n</div>\n");
    o
}

/// The checklist's JSON inside `<script type="application/json">`: `<`, `>` and `&` are
/// written as `\u003c`… so no title can close the element.
pub fn data(cl: &Checklist) -> String {
    let json = serde_json::to_string(cl)
        .unwrap_or_default()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026");
    format!("<script type=\"application/json\" id=\"cl-data\">{json}</script>\n")
}
