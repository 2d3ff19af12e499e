// Runs queries through Pagefind's own search client (pagefind/pagefind.js of the indexed site,
// the code a browser runs) under Node, its fetches served from disk, and prints one JSON line
// per query as it is answered: [query, [[page URL, [the first 3 sub-result URLs, as Pagefind's
// UI shows them]], ...]]. bench/relevance.py restarts it past a query it does not answer.
// usage: node pagefind.mjs SITE_DIR < queries.json
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL, fileURLToPath } from "node:url";

const site = path.resolve(process.argv[2]);
const queries = JSON.parse(fs.readFileSync(0, "utf8"));
globalThis.fetch = async (u) => new Response(fs.readFileSync(fileURLToPath(new URL(u))));
const pf = await import(pathToFileURL(path.join(site, "pagefind/pagefind.js")).href);
await pf.options({ basePath: pathToFileURL(site + "/pagefind/").href });
await pf.init();
const prefix = pathToFileURL(site).href;
const rel = (u) => u.replace(/^\/?file:\/*/, "file:///").replace(prefix, "").replace(/^\//, "");
for (const q of queries) {
  const r = await pf.search(q);
  const top = await Promise.all(r.results.slice(0, 10).map((x) => x.data()));
  fs.writeSync(1, JSON.stringify([q, top.map((d) => [rel(d.url), (d.sub_results || []).slice(0, 3).map((s) => rel(s.url))])]) + "\n");
}
