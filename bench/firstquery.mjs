// Measures what a browser downloads for a first single-word search, and how long the query
// takes, for wa-docs, mdBook and Pagefind sites served over HTTP on loopback.
// usage: node firstquery.mjs TOOL BASE_URL PAGE WORD   (TOOL: wa-docs | mdbook | pagefind)
// prints JSON: {requests: [paths], latency_ms, results}
import { chromium } from "playwright-core";

const [tool, base, pagePath, word] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
});
const page = await browser.newPage();
// Everything from page load on: search code may load with the page.
const requests = [];
page.on("request", (r) => requests.push(new URL(r.url()).pathname));
await page.goto(base + "/" + pagePath, { waitUntil: "load" });
await page.waitForTimeout(200);
let latency = 0, results = 0;
if (tool === "wa-docs") {
  const t0 = Date.now();
  await page.fill("#wa-q", word);
  await page.waitForSelector("#wa-results li[role=option]", { timeout: 20000 });
  latency = Date.now() - t0;
  results = await page.locator("#wa-results li[role=option]").count();
} else if (tool === "mdbook") {
  const t0 = Date.now();
  await page.keyboard.press("s");
  await page.fill("#mdbook-searchbar, #searchbar", word);
  await page.waitForSelector("#mdbook-searchresults li, #searchresults li", { timeout: 60000 });
  latency = Date.now() - t0;
  results = await page.locator("#mdbook-searchresults li, #searchresults li").count();
} else {
  const t0 = Date.now();
  results = await page.evaluate(async (w) => {
    const pf = await import("/pagefind/pagefind.js");
    await pf.init();
    const r = await pf.search(w);
    await Promise.all(r.results.slice(0, 10).map((x) => x.data()));
    return r.results.length;
  }, word);
  latency = Date.now() - t0;
}
await page.waitForTimeout(300);
console.log(JSON.stringify({ requests, latency_ms: latency, results }));
await browser.close();
