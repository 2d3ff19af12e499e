// Search in headless Chromium, from file://: typing, keyboard, exact ids, highlighting,
// shard loading, and that hostile page text is only ever shown as text.
// Needs WA_SITE_DIR (the bundled site) and WA_HOSTILE_DIR (tests/fixtures/hostile built).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";

const site = process.env.WA_SITE_DIR;
const hostile = process.env.WA_HOSTILE_DIR;
const url = (dir, p) => pathToFileURL(path.join(dir, p)).href;
let browser;

before(async () => {
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--allow-file-access-from-files"],
  });
});
after(async () => browser && browser.close());

async function open(dir, p, query = "") {
  const page = await browser.newPage();
  const requests = [];
  page.on("request", (r) => requests.push(r.url()));
  await page.goto(url(dir, p) + query);
  return { page, requests };
}

test("typing shows results; Enter on an exact id lands on the best practice", async () => {
  const { page } = await open(site, "index.html");
  await page.keyboard.press("/");
  assert.equal(await page.evaluate(() => document.activeElement.id), "wa-q");
  await page.keyboard.type("GENSEC01-BP01");
  await page.waitForFunction(() => /Restrict model invocation/.test(document.querySelector("#wa-results li[role=option]")?.textContent || ""));
  assert.equal(await page.getAttribute("#wa-q", "aria-expanded"), "true");
  const first = await page.textContent("#wa-results li[role=option]");
  assert.match(first, /Restrict model invocation/);
  await page.keyboard.press("Enter");
  await page.waitForURL(/gensec01\.html\?highlight=.*#gensec01-bp01$/);
  await page.close();
});

test("arrow keys move through results and Escape closes them", async () => {
  const { page } = await open(site, "index.html");
  await page.click("#wa-q");
  await page.fill("#wa-q", "fairness");
  await page.waitForFunction(() => /Fairness/.test(document.querySelector("#wa-results li[role=option]")?.textContent || ""));
  const second = await page.locator("#wa-results li[role=option] a").nth(1).getAttribute("href");
  await page.keyboard.press("ArrowDown");
  assert.equal(await page.getAttribute("#wa-q", "aria-activedescendant"), "wa-r1");
  assert.match(await page.textContent("#wa-status"), /\d+ results?/);
  await page.keyboard.press("Escape");
  assert.equal(await page.isHidden("#wa-panel"), true);
  await page.click("#wa-q");
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("Enter");
  await page.waitForURL((u) => u.href.endsWith(second.replace(/^.*?(dimensions|lenses|preambles|scenarios)/, "$1")) || u.href.includes(second.split("?")[0].replace(/^(\.\.\/)+/, "")));
  await page.close();
});

test("a single-word query loads one shard", async () => {
  const { page, requests } = await open(site, "index.html");
  await page.click("#wa-q");
  await page.keyboard.type("controllability");
  await page.waitForSelector("#wa-results li[role=option]");
  const shards = requests.filter((r) => /\/search\/s\d+\.js$/.test(r));
  assert.equal(shards.length, 1, shards.join("\n"));
  await page.close();
});

test("facets narrow results to one lens", async () => {
  const { page } = await open(site, "index.html");
  await page.click("#wa-q");
  await page.keyboard.type("drift");
  await page.waitForSelector("#wa-results li[role=option]");
  await page.selectOption("select[data-facet=lens]", "Machine Learning Lens");
  await page.waitForFunction(() => [...document.querySelectorAll("#wa-results .wa-crumb")].every((c) => c.textContent.startsWith("Machine Learning Lens")));
  await page.close();
});

test("the scenario facet keeps only practices in that scenario's checklist", async () => {
  const data = JSON.parse(fs.readFileSync(path.join(site, "checklists/code-review.json"), "utf8"));
  const items = new Set(data.lenses.flatMap((l) => l.pillars.flatMap((p) => p.questions.flatMap((q) => q.items.map((i) => i.id.toLowerCase())))));
  const { page } = await open(site, "index.html");
  await page.click("#wa-q");
  await page.keyboard.type("review");
  await page.waitForSelector("#wa-results li[role=option]");
  // Wait for the list to change once the facet is chosen, so a slow machine cannot check the
  // list from before it.
  const before = await page.$eval("#wa-results", (el) => el.innerHTML);
  await page.selectOption("select[data-facet=scenario]", data.title);
  await page.waitForFunction((b) => {
    const list = document.querySelector("#wa-results");
    return list.innerHTML !== b && list.querySelectorAll("li[role=option]").length > 0;
  }, before);
  const anchors = await page.$$eval("#wa-results li[role=option] a", (as) => as.map((a) => a.getAttribute("href").split("#")[1] || ""));
  assert.ok(anchors.length > 0);
  for (const a of anchors) assert.ok(items.has(a.split("?")[0]), `${a} is not in the code review checklist`);
  await page.close();
});

test("matched words are highlighted on the target page and Escape clears them", async () => {
  const { page } = await open(site, "lenses/generative-ai/gensec02.html", "?highlight=guardrail");
  assert.ok((await page.locator("article mark").count()) > 3);
  await page.keyboard.press("Escape");
  assert.equal(await page.locator("article mark").count(), 0);
  await page.close();
});

test("hostile page text is shown as text, never run", async () => {
  const { page } = await open(hostile, "index.html");
  await page.click("#wa-q");
  await page.fill("#wa-q", "zapzap");
  await page.waitForFunction(() => /zapzap/.test(document.querySelector("#wa-results li[role=option]")?.textContent || ""));
  await page.waitForTimeout(300);
  const text = await page.textContent("#wa-results");
  assert.match(text, /<script>window\.__pwned=1<\/script>/);
  // One result per page: the hostile heading is the best section for words of its own.
  await page.fill("#wa-q", "zapzap onerror");
  await page.waitForFunction(() => /onerror/.test(document.querySelector("#wa-results li[role=option] .wa-title")?.textContent || ""));
  assert.match(await page.textContent("#wa-results"), /"><img src=x onerror="window\.__pwned=3">/);
  assert.equal(await page.locator("#wa-results img, #wa-results script").count(), 0);
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  // Following the result highlights on the target page, still as text.
  await page.keyboard.press("Enter");
  await page.waitForURL(/hostile\.html\?highlight=/);
  await page.waitForTimeout(300);
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  assert.equal(await page.locator("article img").count(), 0);
  assert.ok((await page.locator("article mark").count()) > 0);
  await page.close();
});

test("the search page lists results on the page, misspelt words included", async () => {
  const { page } = await open(site, "search.html", "?q=promt%20injecton");
  await page.waitForSelector("#wa-page-results li a");
  // The prompt-injection question first, one result per page, the pop-up left closed.
  assert.match(await page.getAttribute("#wa-page-results li a", "href"), /lenses\/generative-ai\/gensec04\.html/);
  const hrefs = await page.$$eval("#wa-page-results li a", (as) => as.map((a) => a.getAttribute("href").split(/[?#]/)[0]));
  assert.equal(new Set(hrefs).size, hrefs.length, hrefs.join("\n"));
  assert.match(await page.textContent("#wa-page-status"), /\d+ results?/);
  assert.equal(await page.isHidden("#wa-panel"), true);
  // Filters are open on a wide screen and narrow the list.
  assert.equal(await page.$eval("#wa-filters", (d) => d.open), true);
  const before = await page.$eval("#wa-page-results", (el) => el.innerHTML);
  await page.selectOption("#wa-filters select[data-facet=lens]", "Responsible AI Lens");
  await page.waitForFunction((b) => {
    const items = [...document.querySelectorAll("#wa-page-results .wa-crumb")];
    return document.querySelector("#wa-page-results").innerHTML !== b && items.length > 0 && items.every((c) => c.textContent.startsWith("Responsible AI Lens"));
  }, before);
  // Typing an id (spaced as people type it) puts its practice first and updates the address.
  await page.selectOption("#wa-filters select[data-facet=lens]", "");
  await page.fill("#wa-page-q", "gensec04 bp02");
  await page.waitForFunction(() => /gensec04\.html.*#gensec04-bp02$/.test(document.querySelector("#wa-page-results li a")?.getAttribute("href") || ""));
  assert.match(page.url(), /[?&]q=gensec04(\+|%20)bp02/);
  await page.close();
});

test("on a phone the search page's filters start folded and open on tap", async () => {
  const page = await browser.newPage({ viewport: { width: 375, height: 740 } });
  await page.goto(url(site, "search.html") + "?q=drift");
  await page.waitForSelector("#wa-page-results li a");
  assert.equal(await page.$eval("#wa-filters", (d) => d.open), false);
  assert.equal(await page.isVisible("#wa-filters select[data-facet=kind]"), false);
  await page.click("#wa-filters > summary");
  assert.equal(await page.isVisible("#wa-filters select[data-facet=kind]"), true);
  await page.close();
});
