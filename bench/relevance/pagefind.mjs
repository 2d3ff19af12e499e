// Runs queries through Pagefind's own search client in headless Chromium, on a site served over
// HTTP on loopback, and prints per query the top results: [page URL, [the first 3 sub-result URLs,
// as Pagefind's UI shows them]].
// usage: node pagefind.mjs BASE_URL < queries.json > results.json
import fs from "node:fs";
import { chromium } from "playwright-core";

const [base] = process.argv.slice(2);
const queries = JSON.parse(fs.readFileSync(0, "utf8"));
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"],
});
const page = await browser.newPage();
await page.goto(base + "/index.html", { waitUntil: "load" });
await page.evaluate(async () => {
  window.pf = await import("/pagefind/pagefind.js");
  await window.pf.init();
});
const out = {};
for (const q of queries) {
  const t0 = Date.now();
  out[q] = await page.evaluate(async (q) => {
    const r = await window.pf.search(q);
    const top = await Promise.all(r.results.slice(0, 10).map((x) => x.data()));
    return top.map((d) => [d.url, (d.sub_results || []).slice(0, 3).map((s) => s.url)]);
  }, q);
  if (process.env.PF_DEBUG) console.error(q, Date.now() - t0);
}
process.stdout.write(JSON.stringify(out));
await browser.close();
