// Runs checklist.js's evaluator and exporters for the Rust tests (tests/checklist/):
//   node tests/js/harness.cjs PATH/TO/checklist.js < request.json > answers.json
// request: {"risk": {"evaluate": [...], "questions": [...]}, "exports": [{"checklist", "statuses"}]}
"use strict";
const fs = require("fs");
const path = require("path");
const zlib = require("zlib");

const script = path.resolve(process.argv[2]);
const cl = require(script);
const req = JSON.parse(fs.readFileSync(0, "utf8"));

const statusOf = (map) => (id) => (Object.prototype.hasOwnProperty.call(map || {}, id) ? map[id] : "open");

const out = {
  gzip_bytes: zlib.gzipSync(fs.readFileSync(script), { level: 9 }).length,
  evaluate: (req.risk && req.risk.evaluate || []).map((c) => cl.evaluate(c.rules, new Set(c.selected))),
  questions: (req.risk && req.risk.questions || []).map((c) => cl.questionRisk(c.question, statusOf(c.status))),
  exports: (req.exports || []).map((e) => {
    const st = statusOf(e.statuses);
    // Each exporter gets its own copy: toJson writes the statuses into the data.
    const copy = () => JSON.parse(JSON.stringify(e.checklist));
    return { md: cl.toMarkdown(copy(), st), csv: cl.toCsv(copy(), st), json: cl.toJson(copy(), st) };
  }),
  share: (req.share || []).map((s) => {
    const packed = cl.pack(s.ids, statusOf(s.statuses));
    const back = cl.unpack(s.ids, packed);
    return { packed, back: back ? Object.fromEntries(back) : null };
  }),
};
process.stdout.write(JSON.stringify(out));
