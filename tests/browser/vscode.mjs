// VS Code (code-server, VS Code in the browser) with editors/vscode installed, used as a
// writer would: open a page whose `commander:` names no page, see the error squiggled, hover
// it, then retype the value with completion and see the error go. Screenshots are saved.
// Usage: node vscode.mjs <code-server URL ending in /> <site folder> <screenshot folder>
// (editors/vscode/try.sh starts code-server and runs it; not part of `cargo test`).
import { chromium } from "playwright-core";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { launchOptions } from "./chromium.mjs";

const [server, site, shots] = process.argv.slice(2);
const PAGE = "indestructible-brotherhood-2024.md";
// code-server starts its extension host and muster loads the site: generous.
const TIMEOUT = 90000;
mkdirSync(shots, { recursive: true });

const browser = await chromium.launch(launchOptions());
const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
const shot = (name) => page.screenshot({ path: join(shots, `${name}.png`) });
try {
  await page.goto(`${server}?folder=${encodeURIComponent(site)}`);
  await page.waitForSelector(".monaco-workbench", { timeout: TIMEOUT });
  // Quick Open, then the page by its file name (its Russian translation matches too).
  await page.locator(".monaco-workbench").click({ position: { x: 700, y: 450 } });
  await page.keyboard.press("Control+P");
  await page.waitForSelector(".quick-input-widget input", { timeout: TIMEOUT });
  await page.keyboard.type(PAGE);
  const item = page.locator(".quick-input-list .monaco-list-row", { hasText: PAGE }).first();
  await item.waitFor({ timeout: TIMEOUT });
  await page.keyboard.press("Enter");
  await page.waitForSelector(`.tab.active[aria-label^="${PAGE}"]`, { timeout: TIMEOUT });

  // muster's diagnostic, drawn under the value.
  const squiggle = page.locator(".monaco-editor .squiggly-error").first();
  await squiggle.waitFor({ timeout: TIMEOUT });
  await shot("vscode-error");
  // The squiggle lies under the text: point at its place.
  const box = await squiggle.boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  const hover = page.locator(".monaco-hover:visible", { hasText: "almaz-dzhumakeev" }).first();
  await hover.waitFor({ timeout: TIMEOUT });
  const hoverText = await hover.innerText();
  assert.match(hoverText, /no page `almaz-dzhumakeev`/, hoverText);
  assert.match(hoverText, /E005/, hoverText);
  await shot("vscode-hover");

  // The Problems panel lists it with its place.
  await page.keyboard.press("Escape");
  await page.keyboard.press("Control+Shift+M");
  const problem = page.locator(".markers-panel .monaco-list-row", { hasText: "almaz-dzhumakeev" });
  await problem.first().waitFor({ timeout: TIMEOUT });
  const problemText = await problem.first().innerText();
  assert.match(problemText, /\[Ln 11, Col 12\]/, problemText);
  await shot("vscode-problems");

  // Retype the value: completion offers the pages of the field's kind, by title.
  await page.locator(".monaco-editor .view-lines").first().click();
  await page.keyboard.press("Control+G");
  await page.keyboard.type("11:12");
  await page.keyboard.press("Enter");
  await page.keyboard.press("Shift+End");
  await page.keyboard.type("alm");
  await page.keyboard.press("Control+Space");
  const suggestion = page.locator(".suggest-widget .monaco-list-row", { hasText: "Almaz" }).first();
  await suggestion.waitFor({ timeout: TIMEOUT });
  await shot("vscode-completion");
  await page.keyboard.press("Enter");
  // The error goes as soon as the value names the page, without saving.
  await squiggle.waitFor({ state: "detached", timeout: TIMEOUT });
  const line = await page.locator(".view-line", { hasText: "commander:" }).first().innerText();
  assert.match(line, /commander:\s+almaz-dzhumakeyev/, line);
  // The translation's warning goes too: the original's text is again what it was made from.
  await page
    .locator(".markers-panel", { hasText: "No problems have been detected" })
    .waitFor({ timeout: TIMEOUT });
  await shot("vscode-fixed");
  console.log("vscode: error, hover, problem, completion and fix seen");
} catch (e) {
  await shot("vscode-failure");
  throw e;
} finally {
  await browser.close();
}
