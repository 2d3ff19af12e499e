// Runs the site's search.js under Node against a built site's shards and prints, per query,
// the URLs of the top results. Used by tests/search.rs to compare with `wa-docs search`.
// usage: node search_node.mjs SITE_DIR LIMIT QUERY...
import fs from "node:fs";
import path from "node:path";
import vm from "node:vm";

const [site, limitArg, ...queries] = process.argv.slice(2);
const limit = Number(limitArg);
const requested = [];
vm.runInThisContext(fs.readFileSync(path.join(site, "assets/search.js"), "utf8"));
const S = globalThis.WA_SEARCH;
S.fetch = (name) => {
  requested.push(name);
  const file = path.join(site, "search", name + ".js");
  if (fs.existsSync(file)) vm.runInThisContext(fs.readFileSync(file, "utf8"));
  else S.load(name, null);
};
const out = {};
for (const q of queries) {
  const hits = await S.query(q);
  const rows = [];
  for (const h of hits.slice(0, limit)) {
    const m = await S.meta(h.doc);
    rows.push(m[2]);
  }
  out[q] = rows;
}
out["__requested"] = requested;
// With WA_ALL_META set: every doc's result row as the result list shows it.
if (process.env.WA_ALL_META) {
  const m = await S.get("manifest");
  const all = [];
  for (let d = 0; d < m.docs; d++) all.push(await S.meta(d));
  out["__meta"] = all;
}
process.stdout.write(JSON.stringify(out));
