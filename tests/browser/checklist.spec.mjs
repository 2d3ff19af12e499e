// Checklist pages in headless Chromium (Debian's `chromium`), opened from file:// in a built
// site. Run through tests/browser/run.sh, which builds the site and sets WA_SITE_DIR.
//   WA_SITE_DIR=/path/to/site node --test tests/browser/checklist.spec.mjs
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";

const SITE = process.env.WA_SITE_DIR;
const SHOTS = process.env.WA_SCREENSHOT_DIR;
if (!SITE || !fs.existsSync(path.join(SITE, "checklists"))) {
  throw new Error("set WA_SITE_DIR to a site built by wa-docs (tests/browser/run.sh does)");
}
const SCENARIO = fs.existsSync(path.join(SITE, "checklists/knowledge-worker-copilot.html"))
  ? "knowledge-worker-copilot"
  : fs.readdirSync(path.join(SITE, "checklists")).find((f) => /^(?!lens-)[^.]+\.html$/.test(f)).replace(".html", "");
const PAGE = pathToFileURL(path.join(SITE, "checklists", SCENARIO + ".html")).href;
const DATA = JSON.parse(fs.readFileSync(path.join(SITE, "checklists", SCENARIO + ".json"), "utf8"));
const ITEMS = DATA.lenses.flatMap((l) => l.pillars.flatMap((p) => p.questions.flatMap((q) => q.items)));
const QUESTIONS = DATA.lenses.flatMap((l) => l.pillars.flatMap((p) => p.questions));

let browser;
before(async () => {
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  });
});
after(async () => {
  if (browser) await browser.close();
});

async function open(context, url = PAGE) {
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
  await page.goto(url);
  await page.locator("#cl-bar").waitFor({ state: "visible" });
  page.errors = errors;
  return page;
}

const group = (page, id) => page.locator(`[data-cl-item="${id}"] fieldset`);
const radio = (page, id, name) => group(page, id).getByRole("radio", { name, exact: true });

async function statuses(page) {
  return page.evaluate(() => {
    const out = {};
    document.querySelectorAll("[data-cl-item]").forEach((li) => {
      const checked = li.querySelector("input:checked");
      out[li.getAttribute("data-cl-item")] = checked ? checked.value : null;
    });
    return out;
  });
}

test("items can be ticked, survive a reload, and update progress and risk", async () => {
  const context = await browser.newContext();
  const page = await open(context);
  const [a, b] = ITEMS;
  assert.equal(await radio(page, a.id, "Open").isChecked(), true);
  await radio(page, a.id, "Done").check();
  await radio(page, b.id, "Not applicable").check();
  await assert.doesNotReject(page.getByText(`2 of ${ITEMS.length} handled: 1 done, 1 not applicable`).waitFor());
  assert.equal(await page.locator("#cl-progress").evaluate((p) => p.value), 2);
  // The first question is answered now, so its risk is no longer "Unanswered".
  const q = QUESTIONS[0];
  const risk = await page.locator(`[data-cl-question="${q.id}"]`).textContent();
  assert.match(risk, /^(High risk|Medium risk|No risk|Not applicable)$/);
  const answered = QUESTIONS.filter((x) => x.items.some((i) => i.id === a.id || i.id === b.id)).length;
  assert.match(await page.locator("#cl-risk").textContent(),
    new RegExp(`unanswered: ${QUESTIONS.length - answered} \\(of ${QUESTIONS.length}\\)`));
  // Keyboard: arrow keys move through a radio group.
  const c = ITEMS[2];
  await radio(page, c.id, "Open").focus();
  await page.keyboard.press("ArrowRight");
  assert.equal(await radio(page, c.id, "Done").isChecked(), true);
  // Screen-reader labels: each group is named after its item.
  assert.equal(await page.getByRole("group", { name: `Status of ${a.id} ${a.title}` }).count(), 1);
  await page.reload();
  await page.locator("#cl-bar").waitFor({ state: "visible" });
  const s = await statuses(page);
  assert.equal(s[a.id], "done");
  assert.equal(s[b.id], "not_applicable");
  assert.equal(s[c.id], "done");
  assert.equal(Object.values(s).filter((v) => v === "open").length, ITEMS.length - 3);
  assert.deepEqual(page.errors, []);
  if (SHOTS) {
    fs.mkdirSync(SHOTS, { recursive: true });
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.setViewportSize({ width: 1280, height: 1600 });
    await page.screenshot({ path: path.join(SHOTS, `checklist-${SCENARIO}.png`) });
    await page.setViewportSize({ width: 375, height: 1400 });
    await page.emulateMedia({ colorScheme: "dark" });
    await page.screenshot({ path: path.join(SHOTS, `checklist-${SCENARIO}-375-dark.png`) });
    await page.emulateMedia({ media: "print", colorScheme: "light" });
    await page.setViewportSize({ width: 794, height: 1123 });
    await page.screenshot({ path: path.join(SHOTS, `checklist-${SCENARIO}-print.png`) });
  }
  await context.close();
});

test("the share link restores the answers in a fresh profile", async () => {
  const first = await browser.newContext();
  const page = await open(first);
  const [a, , c] = ITEMS;
  const last = ITEMS[ITEMS.length - 1];
  await radio(page, a.id, "Done").check();
  await radio(page, c.id, "Not applicable").check();
  await radio(page, last.id, "Done").check();
  await page.getByRole("button", { name: "Copy share link" }).click();
  const url = await page.locator("#cl-share-url").inputValue();
  assert.match(url, /#cl=[0-9a-z]+\.[0-9a-q]+$/);
  await first.close();

  const fresh = await browser.newContext();
  const other = await open(fresh, url);
  const s = await statuses(other);
  assert.equal(s[a.id], "done");
  assert.equal(s[c.id], "not_applicable");
  assert.equal(s[last.id], "done");
  assert.equal(Object.values(s).filter((v) => v !== "open").length, 3);
  await other.getByText("Showing the answers from a shared link").waitFor();
  assert.equal(new URL(other.url()).hash, "", "the fragment is cleared once applied");
  // They are saved in the new profile too.
  await other.reload();
  await other.locator("#cl-bar").waitFor({ state: "visible" });
  assert.equal((await statuses(other))[last.id], "done");
  // A link for another shape of checklist is refused, not misapplied.
  const stale = await open(fresh, PAGE + "#cl=zzzz.1");
  await stale.getByText("made for another version of this checklist").waitFor();
  assert.deepEqual(other.errors, []);
  await fresh.close();
});

async function download(page, action) {
  const [file] = await Promise.all([
    page.waitForEvent("download"),
    page.locator(`[data-cl-action="${action}"]`).click(),
  ]);
  return { name: file.suggestedFilename(), text: fs.readFileSync(await file.path(), "utf8") };
}

test("export buttons download Markdown, CSV and JSON of the current state", async () => {
  const context = await browser.newContext({ acceptDownloads: true });
  const page = await open(context);
  // With nothing ticked, the downloads are the build's own files byte for byte.
  for (const [action, ext] of [["md", ".md"], ["csv", ".csv"], ["json", ".json"]]) {
    const got = await download(page, action);
    assert.equal(got.name, SCENARIO + ext);
    assert.equal(got.text, fs.readFileSync(path.join(SITE, "checklists", SCENARIO + ext), "utf8"), `${ext} differs from the build`);
  }
  const [a, b] = ITEMS;
  await radio(page, a.id, "Done").check();
  await radio(page, b.id, "Not applicable").check();
  const md = await download(page, "md");
  assert.match(md.text, new RegExp(`^- \\[x\\] \\*\\*${a.id.replace(/[-.]/g, "\\$&")}\\*\\* `, "m"));
  assert.match(md.text, /· not applicable$/m);
  assert.equal((md.text.match(/^- \[ \] /gm) || []).length, ITEMS.length - 2);
  const csv = await download(page, "csv");
  const rows = csv.text.trimEnd().split("\r\n");
  assert.equal(rows[0], "scenario,lens,pillar,question_id,question,item_id,item,risk,url,status");
  assert.equal(rows.length, ITEMS.length + 1);
  assert.ok(rows.some((r) => r.includes(`,${a.id},`) && r.endsWith(",done")));
  assert.ok(rows.some((r) => r.includes(`,${b.id},`) && r.endsWith(",not_applicable")));
  const json = JSON.parse((await download(page, "json")).text);
  const items = json.lenses.flatMap((l) => l.pillars.flatMap((p) => p.questions.flatMap((q) => q.items)));
  assert.equal(items.find((i) => i.id === a.id).status, "done");
  assert.equal(items.find((i) => i.id === b.id).status, "not_applicable");
  assert.equal(items.filter((i) => i.status === "open").length, ITEMS.length - 2);
  // Reset, then undo.
  await page.getByRole("button", { name: "Reset answers" }).click();
  assert.equal(Object.values(await statuses(page)).filter((v) => v !== "open").length, 0);
  await page.getByRole("button", { name: "Undo reset" }).click();
  assert.equal((await statuses(page))[a.id], "done");
  assert.deepEqual(page.errors, []);
  await context.close();
});

test("answers saved for another lens version are not reused silently", async () => {
  const context = await browser.newContext();
  const page = await open(context);
  const [a] = ITEMS;
  await radio(page, a.id, "Done").check();
  // Move the saved answers under a key for an older lens version.
  await page.evaluate(() => {
    const key = Object.keys(localStorage).find((k) => k.startsWith("wa-docs:checklist:"));
    const old = JSON.parse(localStorage.getItem(key));
    old.ver = "old@0.9";
    localStorage.setItem(key.slice(0, key.lastIndexOf(":") + 1) + "old@0.9", JSON.stringify(old));
    localStorage.removeItem(key);
  });
  await page.reload();
  await page.locator("#cl-bar").waitFor({ state: "visible" });
  await page.getByText("You have answers saved for another lens version (old@0.9)").waitFor();
  assert.equal((await statuses(page))[a.id], "open");
  await page.getByRole("button", { name: "Keep my answers for unchanged items" }).click();
  assert.equal((await statuses(page))[a.id], "done");
  await page.reload();
  await page.locator("#cl-bar").waitFor({ state: "visible" });
  assert.equal((await statuses(page))[a.id], "done");
  assert.equal(await page.getByText("another lens version").count(), 0);
  await context.close();
});

test("answers follow items renamed through previous-ids; removed items are named", async () => {
  const current = new Set(ITEMS.map((i) => i.id));
  const pair = Object.entries(DATA.renamed || {}).find(([o, n]) => current.has(n) && !current.has(o));
  assert.ok(pair, "the checklist has an item renamed since an earlier lens version");
  const [oldId, newId] = pair;
  const keep = ITEMS.find((i) => i.id !== newId && !Object.hasOwn(DATA.renamed, i.id));
  const context = await browser.newContext();
  const page = await open(context);
  await radio(page, keep.id, "Done").check();
  // Saved answers from an earlier lens version: the renamed item under its old id, and an item
  // that no longer exists.
  await page.evaluate(([oldId, newId]) => {
    const key = Object.keys(localStorage).find((k) => k.startsWith("wa-docs:checklist:"));
    const old = JSON.parse(localStorage.getItem(key));
    old.ver = "older@2025.11";
    old.s[oldId] = "d";
    old.f[oldId] = "x";
    delete old.f[newId];
    old.s["GONE-BP01"] = "n";
    old.f["GONE-BP01"] = "y";
    localStorage.setItem(key.slice(0, key.lastIndexOf(":") + 1) + "older@2025.11", JSON.stringify(old));
    localStorage.removeItem(key);
  }, [oldId, newId]);
  await page.reload();
  await page.locator("#cl-bar").waitFor({ state: "visible" });
  await page.getByText(`${oldId} → ${newId}`).waitFor();
  await page.getByText(/Removed in version .*GONE-BP01 \(you had marked it not applicable\)/).waitFor();
  assert.equal((await statuses(page))[newId], "open");
  await page.getByRole("button", { name: "Keep my answers for unchanged and renamed items" }).click();
  const after = await statuses(page);
  assert.equal(after[newId], "done");
  assert.equal(after[keep.id], "done");
  assert.deepEqual(page.errors, []);
  await context.close();
});

test("without JavaScript the page still lists every item", async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(PAGE);
  assert.equal(await page.locator("[data-cl-item]").count(), ITEMS.length);
  for (const i of ITEMS) {
    const text = await page.locator(`[data-cl-item="${i.id}"]`).innerText();
    assert.ok(text.includes(i.id) && text.includes(i.title), text);
  }
  assert.equal(await page.locator("#cl-bar").isVisible(), false);
  assert.equal(await page.locator("#cl-nojs").isVisible(), true);
  assert.equal(await page.locator("[data-cl-item] input").count(), 0);
  assert.equal(await page.locator(".cl-exports a[download]").count(), 6);
  await context.close();
});

test("the embeddable page works on its own", async () => {
  const context = await browser.newContext();
  const requests = [];
  context.on("request", (r) => requests.push(r.url()));
  const page = await open(context, pathToFileURL(path.join(SITE, "checklists", SCENARIO + ".embed.html")).href);
  await radio(page, ITEMS[0].id, "Done").check();
  await page.reload();
  await page.locator("#cl-bar").waitFor({ state: "visible" });
  assert.equal((await statuses(page))[ITEMS[0].id], "done");
  assert.deepEqual(requests.filter((u) => !u.endsWith(".embed.html")), [], "the embed page fetched something");
  assert.deepEqual(page.errors, []);
  await context.close();
});

test("answers exported as JSON or CSV import back; unknown and renamed ids are handled", async () => {
  const context = await browser.newContext({ acceptDownloads: true });
  const page = await open(context);
  const [a, b, c] = ITEMS;
  const last = ITEMS[ITEMS.length - 1];
  await radio(page, a.id, "Done").check();
  await radio(page, b.id, "Not applicable").check();
  await radio(page, last.id, "Done").check();
  const before = await statuses(page);
  const json = await download(page, "json");
  const csv = await download(page, "csv");
  const input = page.getByLabel("Import answers");
  assert.equal(await input.getAttribute("type"), "file");
  for (const [file, mimeType] of [[json, "application/json"], [csv, "text/csv"]]) {
    await page.getByRole("button", { name: "Reset answers" }).click();
    assert.equal(Object.values(await statuses(page)).filter((v) => v !== "open").length, 0);
    await input.setInputFiles({ name: file.name, mimeType, buffer: Buffer.from(file.text) });
    await page.locator("#cl-notice").getByText(`Imported ${file.name}: 2 done, 1 not applicable`).waitFor();
    assert.deepEqual(await statuses(page), before, file.name);
  }
  // They are saved like answers ticked by hand.
  await page.reload();
  await page.locator("#cl-bar").waitFor({ state: "visible" });
  assert.deepEqual(await statuses(page), before);
  // A CSV with quoted fields (commas, quotes, line breaks), an id this checklist no longer has,
  // and an id renamed since (its answer follows it).
  const current = new Set(ITEMS.map((i) => i.id));
  const pair = Object.entries(DATA.renamed || {}).find(([o, n]) => current.has(n) && !current.has(o));
  const rows = [
    "scenario,lens,pillar,question_id,question,item_id,item,risk,url,status",
    `${SCENARIO},"Lens, with comma","Pillar ""quoted""",Q,"two\r\nlines",${c.id},"x, ""y""",high,u,not_applicable`,
    `${SCENARIO},L,P,Q,q,GONE-BP07,"gone",,u,done`,
  ];
  if (pair) rows.push(`${SCENARIO},L,P,Q,q,${pair[0]},renamed,,u,done`);
  await input.setInputFiles({ name: "old.csv", mimeType: "text/csv", buffer: Buffer.from(rows.join("\r\n") + "\r\n") });
  const notice = page.locator("#cl-notice");
  await notice.getByText("Not in this checklist, not imported: GONE-BP07 (done)").waitFor();
  const s = await statuses(page);
  assert.equal(s[c.id], "not_applicable");
  assert.equal(s[a.id], "open", "an import replaces the answers");
  if (pair) {
    await notice.getByText(`${pair[0]} → ${pair[1]}`).waitFor();
    assert.equal(s[pair[1]], "done");
  }
  await page.getByRole("button", { name: "Undo import" }).click();
  assert.deepEqual(await statuses(page), before);
  // A file that is not an export changes nothing.
  await input.setInputFiles({ name: "notes.txt", mimeType: "text/plain", buffer: Buffer.from("hello\nworld\n") });
  await notice.getByText("notes.txt is not a checklist export").waitFor();
  assert.deepEqual(await statuses(page), before);
  // Keyboard: the file input is reachable with Tab.
  await page.getByRole("button", { name: "Reset answers" }).focus();
  let reached = false;
  for (let i = 0; i < 4 && !reached; i++) {
    await page.keyboard.press("Tab");
    reached = await page.evaluate(() => document.activeElement && document.activeElement.id === "cl-import-file");
  }
  assert.ok(reached, "Tab reaches the import control");
  assert.deepEqual(page.errors, []);
  await context.close();
});

test("each pillar's risk roll-up bar follows the answers", async () => {
  const context = await browser.newContext();
  const page = await open(context);
  const pillar = DATA.lenses[0].pillars[0];
  const q = pillar.questions[0];
  const n = pillar.questions.length;
  const text = page.locator(`[data-cl-rollup="${pillar.name}"]`).first();
  assert.equal(await page.locator(".cl-rollup").count(), DATA.lenses.flatMap((l) => l.pillars).length);
  assert.equal(await text.textContent(),
    `Questions in ${pillar.name}: 0 high, 0 medium, 0 no risk, ${n} unanswered (of ${n})`);
  const bar = text.locator("xpath=preceding-sibling::*[local-name()='svg']");
  assert.equal(await bar.getAttribute("aria-hidden"), "true");
  assert.equal(Number(await bar.locator(".cl-seg-unanswered").getAttribute("width")), 100);
  // Mark every item of the first question done: it is no longer unanswered.
  for (const i of q.items) await radio(page, i.id, "Done").check();
  const risk = await page.locator(`[data-cl-question="${q.id}"]`).textContent();
  const key = { "High risk": "high", "Medium risk": "medium", "No risk": "none" }[risk];
  assert.ok(key, risk);
  const want = { high: 0, medium: 0, none: 0 };
  want[key] = 1;
  assert.equal(await text.textContent(),
    `Questions in ${pillar.name}: ${want.high} high, ${want.medium} medium, ${want.none} no risk, ${n - 1} unanswered (of ${n})`);
  const width = Number(await bar.locator(`.cl-seg-${key}`).getAttribute("width"));
  assert.ok(Math.abs(width - 100 / n) < 0.01, String(width));
  // Colours come from the theme's variables, in light and dark.
  const fill = () => bar.locator(`.cl-seg-${key}`).evaluate((r) => getComputedStyle(r).fill);
  const light = await fill();
  await page.emulateMedia({ colorScheme: "dark" });
  const dark = await fill();
  assert.notEqual(light, dark);
  // It fits at 375 px.
  await page.setViewportSize({ width: 375, height: 800 });
  const box = await bar.boundingBox();
  assert.ok(box && box.x >= 0 && box.x + box.width <= 375, JSON.stringify(box));
  assert.equal(await page.evaluate(() => document.documentElement.scrollWidth <= 375), true);
  assert.deepEqual(page.errors, []);
  await context.close();
});
