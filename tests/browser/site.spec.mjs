// The bundled site in headless Chromium, opened from file:// and over HTTP (wa-docs serve):
// navigation, theme toggle, no horizontal scrolling at 375 px, and axe-core (WCAG 2.0, 2.1 and
// 2.2 A and AA) with zero violations on one page of every kind, in light and dark themes.
// Needs WA_SITE_DIR (the built bundled site); WA_SERVE_URL is optional (a running serve).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const AXE = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const site = process.env.WA_SITE_DIR;
const shots = process.env.WA_SCREENSHOT_DIR;
const url = (p) => pathToFileURL(path.join(site, p)).href;
// One page of every kind the site has.
const KINDS = {
  home: "index.html",
  lens: "lenses/generative-ai/index.html",
  pillar: "lenses/generative-ai/gensec.html",
  question: "lenses/generative-ai/gensec02.html",
  dimension: "dimensions/fairness.html",
  scenario: "scenarios/multi-tenant-platform.html",
  preamble: "preambles/agentic-ai.html",
  "best-practices": "best-practices.html",
  coverage: "coverage.html",
  search: "search.html",
  print: "print.html",
  "not-found": "404.html",
  checklist: "checklists/multi-tenant-platform.html",
  changes: "lenses/generative-ai/changes.html",
  // A question whose id named another topic in 2025.11: it carries a notice.
  "question-with-notice": "lenses/generative-ai/gensec03.html",
};
let browser;

before(async () => {
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--allow-file-access-from-files"],
  });
});
after(async () => browser && browser.close());

for (const scheme of ["light", "dark"]) {
  test(`axe: zero WCAG A/AA violations on every page kind at 1280 and 375 px (${scheme})`, async () => {
    const problems = [];
    let rules = 0;
    for (const width of [1280, 375]) {
      const ctx = await browser.newContext({ colorScheme: scheme, viewport: { width, height: 800 } });
      for (const [kind, p] of Object.entries(KINDS)) {
        // The print view (every page at once, for paper) is checked at desktop width only.
        if (width === 375 && kind === "print") continue;
        if (!fs.existsSync(path.join(site, p))) {
          problems.push(`${kind}: ${p} is missing`);
          continue;
        }
        const page = await ctx.newPage();
        await page.goto(url(p));
        await page.addScriptTag({ content: AXE });
        const r = await page.evaluate(() =>
          window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] } }),
        );
        rules = Math.max(rules, r.passes.length + r.violations.length + r.incomplete.length + r.inapplicable.length);
        for (const v of r.violations) problems.push(`${kind} (${p}) at ${width}: ${v.id} x${v.nodes.length}: ${v.nodes[0].target.join(" ")}`);
        await page.close();
      }
      await ctx.close();
    }
    console.log(`axe ${scheme}: ${Object.keys(KINDS).length} pages at 2 widths, ${rules} rules`);
    assert.deepEqual(problems, []);
  });
}

test("no page scrolls horizontally at 375 px", async () => {
  const ctx = await browser.newContext({ viewport: { width: 375, height: 800 } });
  const wide = [];
  for (const [kind, p] of Object.entries(KINDS)) {
    if (!fs.existsSync(path.join(site, p))) continue;
    const page = await ctx.newPage();
    await page.goto(url(p));
    const w = await page.evaluate(() => document.documentElement.scrollWidth);
    if (w > 375) wide.push(`${kind}: ${w}px`);
    if (shots && ["home", "scenario", "checklist"].includes(kind)) {
      fs.mkdirSync(shots, { recursive: true });
      await page.screenshot({ path: path.join(shots, `${kind}-375.png`) });
    }
    await page.close();
  }
  await ctx.close();
  assert.deepEqual(wide, []);
});

test("old URLs and anchors of an earlier lens version lead to where their topics went", async () => {
  const page = await browser.newPage();
  // A page that no longer exists: the redirect page follows the old anchor to its new home.
  await page.goto(url("lenses/machine-learning/mloe01.html") + "#mloe-02");
  await page.waitForURL(/mlcost02\.html#mlcost02-bp01$/);
  // A page that exists but lost an anchor: wa.js follows the anchor map.
  await page.goto(url("lenses/generative-ai/gensec02.html") + "#gensec02-bp03");
  await page.waitForURL(/gensec02\.html#gensec02-wd01$/);
  // A renamed scenario's checklist keeps the fragment of a share link.
  await page.goto(url("checklists/code-generation-assistant.html") + "#cl=zz.0");
  await page.waitForURL(/checklists\/code-transformation\.html/);
  await page.close();
});

test("at 375 px the header leads to the menu and to the page's contents, with and without JavaScript", async () => {
  for (const javaScriptEnabled of [true, false]) {
    const ctx = await browser.newContext({ viewport: { width: 375, height: 800 }, javaScriptEnabled });
    const page = await ctx.newPage();
    await page.goto(url(KINDS.question));
    const inView = async (locator, what) => {
      await locator.waitFor({ state: "visible" });
      const box = await locator.boundingBox();
      assert.ok(box && box.y >= 0 && box.y < 800, `${what} (JavaScript ${javaScriptEnabled ? "on" : "off"}) is not in view: ${JSON.stringify(box)}`);
    };
    await page.click('header nav.jump a[href="#sidebar"]');
    // With JavaScript the drawer shows the current page; without, it opens at its top.
    await inView(page.locator(javaScriptEnabled ? 'nav[aria-label="Site"] a[aria-current="page"]' : 'nav[aria-label="Site"] a').first(), "the menu");
    await page.click("#sidebar .drawer-close");
    await page.click('header nav.jump a[href="#contents"]');
    await inView(page.locator("nav.toc a").first(), "the page's contents");
    if (shots) await page.screenshot({ path: path.join(shots, `question-375-contents-${javaScriptEnabled ? "js" : "nojs"}.png`) });
    await ctx.close();
  }
});

test("pictures: the coverage heat map and the lens overview carry their numbers as text", async () => {
  for (const scheme of ["light", "dark"]) {
    const ctx = await browser.newContext({ colorScheme: scheme, viewport: { width: 1280, height: 900 } });
    const page = await ctx.newPage();
    await page.goto(url(KINDS.coverage));
    const heat = page.locator("svg.chart.heat-wide");
    assert.equal(await heat.getAttribute("role"), "group");
    assert.match(await heat.locator("title").textContent(), /dimension/);
    // Every cell's number equals the count in the table below it.
    const cells = await heat.locator("g[class^=heat-] text").allTextContents();
    assert.equal(cells.length, await page.locator("table.coverage tbody td").count());
    const table = await page.$$eval("table.coverage tbody td", (tds) => tds.map((td) => (td.querySelector("summary")?.textContent || td.textContent).replace(/\D+/g, "")));
    assert.deepEqual(cells, table);
    // Shades differ from the page background in both themes.
    const [bg, dark] = await page.evaluate(() => [getComputedStyle(document.body).backgroundColor,
      getComputedStyle(document.querySelector("svg.chart.heat-wide .heat-4 rect")).fill]);
    assert.notEqual(bg, dark, scheme);
    await page.goto(url(KINDS.lens));
    const bars = page.locator("svg.chart.bars");
    assert.equal(await bars.getAttribute("role"), "img");
    const totals = await bars.locator("text.axis").allTextContents();
    const practices = Number((await page.textContent(".lede")).match(/(\d+) best practices/)[1]);
    const sum = totals.filter((t) => /^\d+$/.test(t)).reduce((a, b) => a + Number(b), 0);
    assert.equal(sum, practices, `${scheme}: bar totals ${totals}`);
    if (shots) await page.screenshot({ path: path.join(shots, `lens-overview-${scheme}.png`) });
    await ctx.close();
  }
});

test("navigation: sidebar, breadcrumbs and next link lead where they say", async () => {
  const page = await browser.newPage();
  await page.goto(url("index.html"));
  await page.click('nav[aria-label="Site"] a:has-text("Fairness")');
  await page.waitForURL(/dimensions\/fairness\.html$/);
  assert.equal(await page.textContent("h1"), "Fairness");
  await page.click('nav.prevnext a[rel="next"]');
  await page.waitForURL(/dimensions\/explainability\.html$/);
  await page.click('nav[aria-label="Breadcrumb"] a >> nth=0');
  await page.waitForURL(/index\.html$/);
  // Keyboard: the skip link is the first stop and moves focus to the content.
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement.className), "skip");
  await page.close();
});

test("theme toggle switches and remembers the theme", async () => {
  const ctx = await browser.newContext({ colorScheme: "light" });
  const page = await ctx.newPage();
  await page.goto(url("index.html"));
  const bg = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const light = await bg();
  await page.click("#theme-toggle");
  assert.equal(await page.getAttribute("html", "data-theme"), "dark");
  assert.notEqual(await bg(), light);
  await page.reload();
  assert.equal(await page.getAttribute("html", "data-theme"), "dark");
  if (shots) await page.screenshot({ path: path.join(shots, "home-dark.png") });
  await ctx.close();
});

test("pages work without JavaScript", async () => {
  const ctx = await browser.newContext({ javaScriptEnabled: false });
  const page = await ctx.newPage();
  await page.goto(url("best-practices.html"));
  const all = await page.locator("table.bps tbody tr").count();
  await page.check("#risk-high");
  const high = await page.locator("table.bps tbody tr:visible").count();
  assert.ok(high > 0 && high < all, `${high} of ${all}`);
  await page.goto(url("coverage.html"));
  await page.click("table.coverage details summary >> nth=0");
  assert.ok(await page.locator("table.coverage details[open] a").count() > 0);
  await ctx.close();
});

test("served by wa-docs serve: pages, search and live-reload script", { skip: !process.env.WA_SERVE_URL }, async () => {
  const base = process.env.WA_SERVE_URL;
  const page = await browser.newPage();
  await page.goto(base);
  assert.match(await page.textContent("h1"), /.+/);
  await page.fill("#wa-q", "prompt injection");
  await page.waitForFunction(() => /injection/i.test(document.querySelector("#wa-results li[role=option]")?.textContent || ""));
  await page.keyboard.press("Enter");
  // Enter opens the first result: a lens page about prompt injection.
  await page.waitForURL(/\/lenses\/[a-z-]+\/[a-z0-9-]+\.html/);
  if (shots) await page.screenshot({ path: path.join(shots, "search-served.png") });
  assert.equal(await page.locator('script[src="/__wa/live.js"]').count(), 1);
  await page.close();
});
