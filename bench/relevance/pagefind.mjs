// Runs queries through Pagefind's own search client (pagefind/pagefind.js of the indexed site,
// the code a browser runs) under Node, its fetches served from disk, and prints one JSON line
// per query as it is answered: [query, [[page URL, [sub-result URLs as Pagefind's UI shows
// them]], ...]]. bench/relevance.py restarts it past a query it does not answer in time.
// usage: node pagefind.mjs SITE_DIR < queries.json
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL, fileURLToPath } from "node:url";

const site = path.resolve(process.argv[2]);
const queries = JSON.parse(fs.readFileSync(0, "utf8"));
globalThis.fetch = async (u) => new Response(fs.readFileSync(fileURLToPath(new URL(u))));
const pf = await import(pathToFileURL(path.join(site, "pagefind/pagefind.js")).href);
const prefix = pathToFileURL(site).href;
const rel = (u) => u.replace(/^\/?file:\/*/, "file:///").replace(prefix, "").replace(/^\//, "");
// Pagefind UI's choice (pagefind-ui.js, show_sub_results): without a first sub-result that is
// the page itself, the 3 with the most matched words, in page order.
function shown(d) {
  let subs = d.sub_results || [];
  if (subs[0]?.url === (d.meta?.url || d.url)) subs = subs.slice(1);
  if (subs.length > 3) {
    const best = [...subs].sort((a, b) => b.locations.length - a.locations.length).slice(0, 3);
    subs = subs.filter((s) => best.includes(s));
  }
  return subs.map((s) => rel(s.url));
}
for (const q of queries) {
  // A fresh instance per query, as a reader's page load has: in one instance a query's ranking
  // depends on the queries before it ("roll back a bad prompt version in one step" swaps its
  // second and third pages after the 66 queries sorted before it).
  await pf.destroy();
  await pf.options({ basePath: pathToFileURL(site + "/pagefind/").href });
  await pf.init();
  const r = await pf.search(q);
  const top = await Promise.all(r.results.slice(0, 10).map((x) => x.data()));
  fs.writeSync(1, JSON.stringify([q, top.map((d) => [rel(d.url), shown(d)])]) + "\n");
}
