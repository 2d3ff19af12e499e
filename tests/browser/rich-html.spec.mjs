// Allowed raw HTML (tests/fixtures/rich-html) renders in Chromium as written: the table with its
// caption and aligned cells, details that open, kbd, an image that loads, an inline SVG diagram
// with its text, links. The spec builds the fixture itself with the release binary run.sh built.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { pathToFileURL, fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const wa = path.join(root, "target/release/wa-docs");
const out = fs.mkdtempSync(path.join(os.tmpdir(), "wa-rich-"));
let browser;

before(async () => {
  execFileSync(wa, ["build", path.join(root, "tests/fixtures/rich-html"), "-q", "-d", path.join(out, "site")]);
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--allow-file-access-from-files"],
  });
});
after(async () => {
  if (browser) await browser.close();
  fs.rmSync(out, { recursive: true, force: true });
});

test("allowed rich HTML renders as written", async () => {
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(pathToFileURL(path.join(out, "site/index.html")).href);
  const r = await page.evaluate(async () => {
    const q = (s) => document.querySelector(s);
    const img = q("#s-figure img");
    if (!img.complete) await new Promise((ok) => img.addEventListener("load", ok, { once: true }));
    const details = q("#s-details");
    const closedHeight = details.getBoundingClientRect().height;
    details.querySelector("summary").click();
    return {
      caption: q("#s-table caption").textContent,
      cells: [...document.querySelectorAll("#s-table td")].map((td) => td.textContent),
      align: getComputedStyle(document.querySelectorAll("#s-table td")[1]).textAlign,
      colspan: q("#s-table td[colspan]").colSpan,
      opened: details.open,
      grew: details.getBoundingClientRect().height > closedHeight,
      kbd: [...document.querySelectorAll("#s-kbd kbd")].map((k) => k.textContent),
      imgWidth: img.naturalWidth,
      figcaption: q("#s-figure figcaption").textContent,
      svgTexts: [...document.querySelectorAll("#s-svg svg text")].map((t) => t.textContent),
      svgNs: q("#s-svg svg").namespaceURI,
      svgLabel: q("#s-svg svg").getAttribute("aria-label"),
      marker: q("#s-svg line").getAttribute("marker-end"),
      links: [...document.querySelectorAll("#s-links a")].map((a) => a.getAttribute("href")),
      target: q("#s-links a").target,
      dt: q("#s-dl dt").textContent,
    };
  });
  assert.deepEqual(errors, []);
  assert.equal(r.caption, "Quotas per tier");
  assert.deepEqual(r.cells, ["Free", "100", "Paid: no limit"]);
  assert.equal(r.align, "right");
  assert.equal(r.colspan, 2);
  assert.ok(r.opened && r.grew, "details opens");
  assert.deepEqual(r.kbd, ["Ctrl", "K"]);
  assert.equal(r.imgWidth, 24, "the image loads");
  assert.equal(r.figcaption, "A picture with a caption.");
  assert.deepEqual(r.svgTexts, ["Agent", "Tool"]);
  assert.equal(r.svgNs, "http://www.w3.org/2000/svg");
  assert.equal(r.svgLabel, "Two boxes joined by an arrow");
  assert.equal(r.marker, "url(#arrow)");
  assert.deepEqual(r.links, ["https://example.com/guide", "mailto:team@example.com", "img/swatch.png", "#s-table"]);
  assert.equal(r.target, "_blank");
  assert.equal(r.dt, "Lens");
  await page.close();
});
