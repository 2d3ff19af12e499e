// Screenshots of the frame for docs/screenshots/: home, question, scenario, checklist, coverage
// and what-changed pages at 375 and 1280 px, light and dark, one window high each (a long page
// is shown scrolled to a telling place), plus the narrow-screen menu drawer.
//   node tests/browser/screenshots.mjs SITE_DIR [OUT_DIR]   (OUT_DIR defaults to docs/screenshots)
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { chromium } from "playwright-core";

const here = path.dirname(fileURLToPath(import.meta.url));
const site = process.argv[2];
const out = process.argv[3] || path.join(here, "../../docs/screenshots");
if (!site) {
  console.error("usage: node tests/browser/screenshots.mjs SITE_DIR [OUT_DIR]");
  process.exit(2);
}
// [name, page, element to scroll to (or none)]
const PAGES = [
  ["home", "index.html", null],
  ["question", "lenses/generative-ai/gensec02.html", "#gensec02-wd01"],
  ["scenario", "scenarios/multi-tenant-platform.html", "article figure"],
  ["checklist", "checklists/multi-tenant-platform.html", null],
  ["coverage", "coverage.html", null],
  ["changes", "lenses/generative-ai/changes.html", null],
];
fs.mkdirSync(out, { recursive: true });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--force-color-profile=srgb"],
});
for (const scheme of ["light", "dark"]) {
  for (const width of [375, 1280]) {
    const ctx = await browser.newContext({ viewport: { width, height: width === 375 ? 760 : 800 }, colorScheme: scheme });
    const page = await ctx.newPage();
    for (const [name, p, at] of PAGES) {
      await page.goto(pathToFileURL(path.join(site, p)).href);
      if (at) await page.evaluate((s) => { const e = document.querySelector(s); if (e) window.scrollTo(0, e.getBoundingClientRect().top + window.scrollY - 100); }, at);
      await page.waitForTimeout(150);
      await page.screenshot({ path: path.join(out, `${name}-${width}-${scheme}.png`) });
    }
    if (width === 375) {
      await page.goto(pathToFileURL(path.join(site, "lenses/generative-ai/gensec02.html")).href);
      await page.click("header .jump-menu");
      await page.waitForTimeout(150);
      await page.screenshot({ path: path.join(out, `menu-drawer-375-${scheme}.png`) });
    }
    await ctx.close();
  }
}
await browser.close();
console.log(`screenshots in ${out}`);
