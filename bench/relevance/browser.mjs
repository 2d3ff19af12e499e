// Runs queries through the site's own search.js under Node (the code the browser runs, fed the
// built shards from disk) and prints per query the URLs of the top results, as the list shows
// them. usage: node browser.mjs SITE_DIR < queries.json > results.json
import fs from "node:fs";
import path from "node:path";
import vm from "node:vm";

const [site] = process.argv.slice(2);
const queries = JSON.parse(fs.readFileSync(0, "utf8"));
vm.runInThisContext(fs.readFileSync(path.join(site, "assets/search.js"), "utf8"));
const S = globalThis.WA_SEARCH;
S.fetch = (name) => {
  const file = path.join(site, "search", name + ".js");
  if (fs.existsSync(file)) vm.runInThisContext(fs.readFileSync(file, "utf8"));
  else S.load(name, null);
};
const out = {};
for (const q of queries) {
  const hits = await S.query(q);
  const rows = [];
  for (const h of hits.slice(0, 10)) rows.push((await S.meta(h.doc))[2]);
  out[q] = rows;
}
process.stdout.write(JSON.stringify(out));
