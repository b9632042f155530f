// The reader's site in a real headless Chromium: every page type of the knowledge base
// (home, a page of each kind, a section, a term, the search page, graph, timeline, guide,
// 404), light and dark, 1280 and 390 px wide. Each is checked by axe-core (any serious or
// critical violation fails), its layout is checked where a reader once saw it go wrong,
// and a screenshot is saved for a person to look at.
// Usage: node reader.mjs <site URL ending in /> <screenshot folder>   (run by tests/browser.rs)
import { chromium } from "playwright-core";
import assert from "node:assert/strict";
import { readFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { launchOptions } from "./chromium.mjs";

const [site, shots] = process.argv.slice(2);
const TIMEOUT = 20000;
const axe = readFileSync(new URL("./node_modules/axe-core/axe.min.js", import.meta.url), "utf8");
mkdirSync(shots, { recursive: true });

// One page of each kind, found in the site's own data; then the pages every site has.
const data = await (await fetch(site + "api/pages.json")).json();
const pageTypes = [["home", ""]];
const kinds = new Set();
for (const p of data.pages) {
  if (p.kind && !p.section && p.lang === "en" && !kinds.has(p.kind)) {
    kinds.add(p.kind);
    pageTypes.push([`kind-${p.kind}`, p.url.replace(/^\//, "")]);
  }
}
assert.ok(kinds.size >= 5, `the knowledge base has pages of several kinds: ${[...kinds]}`);
pageTypes.push(
  ["section", "members/"],
  ["terms", "tags/"],
  ["term", "tags/csto/"],
  ["search", "search/?q=peacekeeping"],
  ["graph", "graph/"],
  ["timeline", "timeline/"],
  ["guide", "guide/"],
  ["404", "no-such-page/"],
  // The knowledge base in Russian: longer words in the header and the infobox.
  ["ru-home", "ru/"],
  ["ru-drill", "ru/drills/indestructible-brotherhood-2024/"],
  ["ru-graph", "ru/graph/"],
  ["ru-timeline", "ru/timeline/"],
);

const browser = await chromium.launch(launchOptions());
let checked = 0;
try {
  for (const scheme of ["light", "dark"]) {
    for (const width of [1280, 390]) {
      const context = await browser.newContext({
        viewport: { width, height: 900 },
        colorScheme: scheme,
      });
      const page = await context.newPage();
      const problems = [];
      page.on("pageerror", (e) => problems.push(e.message));
      for (const [name, path] of pageTypes) {
        const where = `${name} (${scheme}, ${width} px)`;
        const response = await page.goto(site + path, { waitUntil: "load" });
        assert.equal(response.status(), name === "404" ? 404 : 200, where);
        await page.locator("main h1").first().waitFor({ timeout: TIMEOUT });
        if (name === "search") {
          await page.locator("#search-results li").first().waitFor({ timeout: TIMEOUT });
        }
        await checkLayout(page, name, width, where);
        await page.addScriptTag({ content: axe });
        const results = await page.evaluate(async () =>
          // eslint-disable-next-line no-undef
          axe.run(document, { resultTypes: ["violations"] }),
        );
        const serious = results.violations.filter((v) =>
          ["serious", "critical"].includes(v.impact),
        );
        assert.deepEqual(
          serious.map((v) => `${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")}`),
          [],
          `axe finds serious problems on ${where}`,
        );
        await page.screenshot({ path: join(shots, `${name}-${scheme}-${width}.png`), fullPage: true });
        checked += 1;
      }
      assert.deepEqual(problems, [], `script errors (${scheme}, ${width} px)`);
      await context.close();
    }
  }
  // A kind's section is a table readers sort by any column, from the keyboard too.
  const page = await browser.newPage();
  await page.goto(site + "members/");
  const firstColumn = () => page.locator("table.section-table tbody th").allInnerTexts();
  const titles = await firstColumn();
  assert.ok(titles.length >= 5, `members listed: ${titles}`);
  const heading = page.locator("table.section-table thead th button").first();
  await heading.focus();
  await page.keyboard.press("Enter");
  await page.locator("table.section-table thead th[aria-sort=ascending]").waitFor({ timeout: TIMEOUT });
  await page.keyboard.press("Enter");
  await page.locator("table.section-table thead th[aria-sort=descending]").waitFor({ timeout: TIMEOUT });
  assert.deepEqual(await firstColumn(), [...titles].sort().reverse());
  await page.close();
  console.log("ok - a section's table sorts by a column heading, from the keyboard");
  console.log(`ok - ${checked} page views pass axe-core with no serious or critical violation; screenshots in ${shots}`);
} finally {
  await browser.close();
}

// What a reader once saw go wrong, checked where it shows.
async function checkLayout(page, name, width, where) {
  const header = await page.locator(".site-header").boundingBox();
  const menu = page.locator(".site-menu nav a").first();
  if (width < 600) {
    // Phones: the sections fold into a menu that opens on demand; the header stays short.
    assert.ok(header.height <= 140, `header is ${header.height} px tall on ${where}`);
    assert.equal(await menu.isVisible(), false, `menu folded on ${where}`);
    if (name === "home") {
      await page.locator(".site-menu > summary").click();
      await menu.waitFor({ state: "visible", timeout: TIMEOUT });
      await page.locator(".site-menu > summary").click();
      await menu.waitFor({ state: "hidden", timeout: TIMEOUT });
    }
  } else {
    assert.ok(header.height <= 110, `header is ${header.height} px tall on ${where}`);
    assert.equal(await menu.isVisible(), true, `sections shown on ${where}`);
  }
  const infobox = page.locator(".infobox");
  if (name.startsWith("kind-") && (await infobox.count()) > 0) {
    const box = await infobox.boundingBox();
    const text = await page.locator(".page .content").boundingBox();
    if (width >= 1200) {
      // Beside the text, not above it.
      assert.ok(box.x > text.x + text.width - 1, `infobox beside the text on ${where}`);
      assert.ok(box.y < text.y + 200, `infobox starts with the text on ${where}`);
    } else {
      assert.ok(box.width <= width, `infobox fits the screen on ${where}`);
    }
  }
  // Nothing is wider than the screen.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `page scrolls sideways by ${overflow} px on ${where}`);
}
