// A site in English and Russian in a real headless Chromium: the language switcher leads
// from a page to its translation, and the Russian page's search box searches the Russian
// index, by Cyrillic and by Latin letters. Screenshots are saved.
// Usage: node languages.mjs <site URL ending in /> <screenshot folder>   (run by tests/browser.rs)
import { chromium } from "playwright-core";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { launchOptions } from "./chromium.mjs";

const [site, shots] = process.argv.slice(2);
const TIMEOUT = 20000;
mkdirSync(shots, { recursive: true });
const browser = await chromium.launch(launchOptions());
try {
  const page = await browser.newPage({ viewport: { width: 1100, height: 800 } });
  const problems = [];
  page.on("pageerror", (e) => problems.push(e.message));

  // 1. The switcher on the English page leads to the same page in Russian.
  await page.goto(site + "drills/brotherhood/");
  assert.equal(await page.evaluate(() => document.documentElement.lang), "en");
  await page.locator(".language-switcher a", { hasText: "Русский" }).click();
  await page.waitForURL(site + "ru/drills/brotherhood/", { timeout: TIMEOUT });
  assert.equal(await page.evaluate(() => document.documentElement.lang), "ru");
  assert.equal(await page.locator("h1").innerText(), "Нерушимое братство");
  await page.screenshot({ path: join(shots, "russian-page.png"), fullPage: true });
  console.log("ok - the language switcher leads to the page's translation");

  // 2. Its search box suggests Russian pages only, from the Russian index.
  await page.keyboard.press("/");
  await page.keyboard.type("братство");
  const suggestion = page.locator("#search-suggestions a", { hasText: "Нерушимое братство" });
  await suggestion.waitFor({ timeout: TIMEOUT });
  const titles = await page.locator("#search-suggestions a").allInnerTexts();
  assert.ok(!titles.some((t) => t.includes("Unbreakable")), `English pages suggested: ${titles}`);
  await page.screenshot({ path: join(shots, "russian-suggestions.png") });
  console.log("ok - the Russian page's search box finds the Russian page by a Russian word");

  // 3. The Russian search page: a Latin spelling finds it, counted in Russian.
  await page.keyboard.press("Enter");
  await page.waitForURL(/\/ru\/search\/\?q=/, { timeout: TIMEOUT });
  await page.goto(site + "ru/search/?q=bratstvo");
  await page.locator("#search-results a", { hasText: "Нерушимое братство" }).waitFor({ timeout: TIMEOUT });
  await page.locator("#search-status", { hasText: "Найдена 1 страница" }).waitFor({ timeout: TIMEOUT });
  await page.fill("#search-page-q", "zzzz");
  await page.locator("#search-status", { hasText: "Найдено 0 страниц по запросу «zzzz»" }).waitFor({ timeout: TIMEOUT });
  await page.screenshot({ path: join(shots, "russian-search.png") });
  console.log("ok - the Russian search page finds a transliterated word and counts in Russian");

  // 4. And back: the switcher on the Russian page leads to the English one.
  await page.goto(site + "ru/drills/brotherhood/");
  await page.locator(".language-switcher a", { hasText: "English" }).click();
  await page.waitForURL(site + "drills/brotherhood/", { timeout: TIMEOUT });
  console.log("ok - and back to English");

  assert.deepEqual(problems, [], "no script errors");
} finally {
  await browser.close();
}
