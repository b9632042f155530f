// Search and link previews in a real headless Chromium, against the built site
// served as plain static files under a sub-path (no muster server).
// Usage: node search.mjs <site URL ending in /kb/>   (run by tests/browser.rs)
import { chromium } from "playwright-core";
import assert from "node:assert/strict";
import { launchOptions } from "./chromium.mjs";

const [site] = process.argv.slice(2);
const TIMEOUT = 20000;
const browser = await chromium.launch(launchOptions());
try {
  const page = await browser.newPage();
  const problems = [];
  page.on("pageerror", (e) => problems.push(e.message));

  // 1. The box on every page: "/" focuses it; a Cyrillic query finds the Latin-named drill page.
  await page.goto(site);
  // Before anything is typed the suggestions list takes no room (the header's flex rule once
  // showed it as an empty box), and it has a name.
  const suggestions = page.locator("#search-suggestions");
  await suggestions.waitFor({ state: "attached", timeout: TIMEOUT });
  assert.equal(await suggestions.isVisible(), false, "an empty suggestions list is hidden");
  assert.equal(await suggestions.getAttribute("aria-label"), "Search suggestions");
  await page.keyboard.press("/");
  assert.equal(await page.evaluate(() => document.activeElement.id), "search-q");
  await page.keyboard.type("братство");
  const suggestion = page.locator("#search-suggestions a", { hasText: "Indestructible" });
  await suggestion.waitFor({ timeout: TIMEOUT });
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("Enter");
  await page.waitForURL(site + "drills/brotherhood/", { timeout: TIMEOUT });
  console.log("ok - the header box finds a page by a Cyrillic word and opens it from the keyboard");

  // 2. The search page: the transliterated query lists it; following the result opens it.
  await page.goto(site + "search/?q=bratstvo");
  const result = page.locator("#search-results a", { hasText: "Indestructible" });
  await result.waitFor({ timeout: TIMEOUT });
  assert.match(await page.locator("#search-status").innerText(), /1 page matches/);
  await result.click();
  await page.waitForURL(site + "drills/brotherhood/", { timeout: TIMEOUT });
  console.log("ok - the search page lists the match for a transliterated query and follows it");

  // 3. Prefix search across words; no match says so.
  await page.goto(site + "search/?q=kaz%20hos");
  await page.locator("#search-results a", { hasText: "Kazakhstan" }).waitFor({ timeout: TIMEOUT });
  await page.fill("#search-page-q", "zzzz");
  await page.locator("#search-status", { hasText: "0 pages match “zzzz”" }).waitFor({ timeout: TIMEOUT });
  console.log("ok - prefixes of several words match, and an empty result is announced");

  // 3b. Word forms: a plural finds the singular's page, a Russian case the nominative's;
  // the passage that matched is shown with the words marked, cut at whole words.
  await page.goto(site + "search/?q=peacekeepers");
  const passage = page.locator("#search-results li", { hasText: "Indestructible" }).locator("p");
  await passage.waitFor({ timeout: TIMEOUT });
  assert.equal(await passage.locator("mark").first().innerText(), "peacekeeping");
  assert.match(await passage.innerText(), /^… The drill trains units for peacekeeping\. It lasts/);
  await page.goto(site + "search/?q=" + encodeURIComponent("братства"));
  await page.locator("#search-results a", { hasText: "Indestructible" }).waitFor({ timeout: TIMEOUT });
  // A field's value is searched: the objective is written nowhere else.
  await page.goto(site + "search/?q=evacuation");
  await page.locator("#search-results a", { hasText: "Indestructible" }).waitFor({ timeout: TIMEOUT });
  // "UN" is a whole word on one page and the start of "units" on another: the word first.
  await page.goto(site + "search/?q=UN");
  await page.locator("#search-results a").nth(1).waitFor({ timeout: TIMEOUT });
  assert.equal(await page.locator("#search-results a").first().innerText(), "Mandates");
  // The browser strips endings as the generator's own tests expect (stem.rs).
  const stems = await page.evaluate(async (root) => Promise.all(
    ["peacekeepers", "братства", "units", "area"].map((w) => window.musterStem(root, w)),
  ), site + "search/");
  assert.deepEqual(stems, ["peacekeep", "bratstv", "unit", "area"]);
  console.log("ok - word forms, Russian cases and field values are found; passages are marked; whole words rank first");

  // 4. Hovering an internal link previews its target's title and summary.
  await page.goto(site + "drills/brotherhood/");
  await page.locator("main a", { hasText: "Kazakhstan" }).first().hover();
  const tip = page.locator(".link-preview");
  await tip.waitFor({ timeout: TIMEOUT });
  assert.match(await tip.innerText(), /Kazakhstan/);
  assert.match(await tip.innerText(), /hosts the drill/);
  console.log("ok - hovering a link previews its page");

  // 5. The graph's nodes are links to their pages.
  await page.goto(site + "graph/");
  await page.locator("svg.graph a.node[href$='members/kz/']").click();
  await page.waitForURL(site + "members/kz/", { timeout: TIMEOUT });
  console.log("ok - a graph node opens its page");

  // 6. Printed, a page keeps its text and drops the navigation, search and footer.
  await page.goto(site + "drills/brotherhood/");
  await page.emulateMedia({ media: "print" });
  for (const hidden of [".site-header nav", ".search-box", ".site-footer"]) {
    assert.equal(await page.locator(hidden).isVisible(), false, `${hidden} is printed`);
  }
  assert.equal(await page.locator("main h1").isVisible(), true);
  await page.emulateMedia({ media: "screen" });
  assert.equal(await page.locator(".site-header nav").isVisible(), true);
  console.log("ok - the print stylesheet keeps the text and drops navigation, search and footer");

  assert.deepEqual(problems, []);
} finally {
  await browser.close();
}
