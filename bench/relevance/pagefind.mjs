// Runs queries through Pagefind's own search client (pagefind/pagefind.js of the indexed site,
// the code a browser runs) under Node, its fetches served from disk, and prints per query the
// top results: [page URL, [the first 3 sub-result URLs, as Pagefind's UI shows them]].
// A query Pagefind has not answered in 20 s counts as no results and is named on stderr (its
// search worker is replaced). usage: node pagefind.mjs SITE_DIR < queries.json > results.json
import fs from "node:fs";
import path from "node:path";
import { Worker, isMainThread, parentPort, workerData } from "node:worker_threads";
import { pathToFileURL, fileURLToPath } from "node:url";

const LIMIT_MS = 20000;

if (!isMainThread) {
  const site = workerData;
  globalThis.fetch = async (u) => new Response(fs.readFileSync(fileURLToPath(new URL(u))));
  const pf = await import(pathToFileURL(path.join(site, "pagefind/pagefind.js")).href);
  await pf.options({ basePath: pathToFileURL(site + "/pagefind/").href });
  await pf.init();
  const prefix = pathToFileURL(site).href;
  const rel = (u) => u.replace(/^\/?file:\/*/, "file:///").replace(prefix, "").replace(/^\//, "");
  parentPort.on("message", async (q) => {
    const r = await pf.search(q);
    const top = await Promise.all(r.results.slice(0, 10).map((x) => x.data()));
    parentPort.postMessage(top.map((d) => [rel(d.url), (d.sub_results || []).slice(0, 3).map((s) => rel(s.url))]));
  });
} else {
  const site = path.resolve(process.argv[2]);
  const queries = JSON.parse(fs.readFileSync(0, "utf8"));
  const out = {};
  let worker = null;
  const ask = (q) => new Promise((res) => {
    if (!worker) worker = new Worker(fileURLToPath(import.meta.url), { workerData: site });
    const w = worker;
    const timer = setTimeout(() => { w.removeAllListeners("message"); w.terminate(); worker = null; res(null); }, LIMIT_MS);
    w.once("message", (m) => { clearTimeout(timer); res(m); });
    w.postMessage(q);
  });
  for (const q of queries) {
    // Each query is sent once its worker is ready (the first message waits for init).
    const r = await ask(q);
    out[q] = r || [];
    if (!r) console.error("pagefind timed out:", q);
  }
  process.stdout.write(JSON.stringify(out));
  if (worker) await worker.terminate();
}
