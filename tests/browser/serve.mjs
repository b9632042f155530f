// Live preview in a real headless Chromium: an edit shows without a manual reload,
// a broken page shows the error overlay, fixing it clears the overlay, and a
// stylesheet change applies without reloading.
// Usage: node serve.mjs <server URL> <site root> <screenshot folder> <file the test
// editor writes what it opens to>   (run by tests/browser.rs)
import { chromium } from "playwright-core";
import { existsSync, mkdirSync, readFileSync, realpathSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import assert from "node:assert/strict";
import { launchOptions } from "./chromium.mjs";

const [url, root, shots, opened] = process.argv.slice(2);
mkdirSync(shots, { recursive: true });
const axe = readFileSync(new URL("./node_modules/axe-core/axe.min.js", import.meta.url), "utf8");
const page_file = join(root, "content/members/m1.md");
const original = readFileSync(page_file, "utf8");
const TIMEOUT = 20000;

const browser = await chromium.launch(launchOptions());
try {
  const page = await browser.newPage();
  await page.goto(url + "members/m1/");
  await page.getByText("Original words.").waitFor({ timeout: TIMEOUT });
  await page.waitForFunction(() => window.__muster && window.__muster.source.readyState === 1);
  // Marks this document: it survives a style swap, not a reload.
  await page.evaluate(() => { window.notReloaded = true; });

  // 1. Edit the Markdown: the new text appears by itself.
  writeFileSync(page_file, original.replace("Original words.", "Words typed in the editor."));
  await page.getByText("Words typed in the editor.").waitFor({ timeout: TIMEOUT });
  console.log("ok - an edit shows without a manual reload");

  // 2. Break the front matter: the overlay names the file, line and column.
  await page.waitForFunction(() => window.__muster && window.__muster.source.readyState === 1);
  writeFileSync(page_file, original.replace("tags: [t1]", "tags: [t1"));
  const overlay = page.locator("#muster-errors");
  await overlay.waitFor({ state: "visible", timeout: TIMEOUT });
  const text = await overlay.innerText();
  assert.match(text, /content\/members\/m1\.md:\d+:\d+/);
  assert.match(text, /error\[E0\d\d\]/);
  // The last good version of the page is still what is shown under it.
  assert.ok(await page.getByText("Words typed in the editor.").isVisible());
  console.log("ok - a broken page shows the overlay with file:line:column");

  // Readable whatever the page's own styles: axe finds no contrast problem in it, light
  // or dark; on a phone too. Closed by its button, and by Escape.
  await page.addScriptTag({ content: axe });
  for (const scheme of ["light", "dark"]) {
    for (const width of [1280, 390]) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.setViewportSize({ width, height: 800 });
      const found = await page.evaluate(() =>
        axe.run("#muster-errors", { runOnly: ["color-contrast", "button-name"] }).then((r) =>
          r.violations.map((v) => v.id + ": " + v.nodes.map((n) => n.target).join(" "))));
      assert.deepEqual(found, [], `overlay, ${scheme}, ${width} px`);
      await page.screenshot({ path: join(shots, `overlay-${scheme}-${width}.png`) });
    }
  }
  // The location opens the writer's editor at that line and column.
  const where = page.locator(".muster-error-open").first();
  const [, line, column] = (await where.innerText()).match(/m1\.md:(\d+):(\d+)$/);
  await where.click();
  await page.getByText("opened in your editor").waitFor({ timeout: TIMEOUT });
  const deadline = Date.now() + TIMEOUT;
  while (!existsSync(opened) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  assert.equal(readFileSync(opened, "utf8"), `${realpathSync(page_file)} ${line} ${column}\n`);
  console.log("ok - a location in the overlay opens the editor there");

  await page.getByRole("button", { name: /Close the error list/ }).click();
  await overlay.waitFor({ state: "hidden", timeout: TIMEOUT });
  writeFileSync(page_file, original.replace("tags: [t1]", "tags: [t1, [x"));
  await overlay.waitFor({ state: "visible", timeout: TIMEOUT });
  await page.keyboard.press("Escape");
  await overlay.waitFor({ state: "hidden", timeout: TIMEOUT });
  console.log("ok - the overlay is readable light and dark, wide and narrow, and closes by button and Escape");

  // 3. Fix it: the overlay goes away and the fixed text shows.
  writeFileSync(page_file, original.replace("Original words.", "Fixed again."));
  await overlay.waitFor({ state: "detached", timeout: TIMEOUT });
  await page.getByText("Fixed again.").waitFor({ timeout: TIMEOUT });
  console.log("ok - fixing the error clears the overlay");

  // 4. A stylesheet change applies without a reload.
  await page.waitForFunction(() => window.__muster && window.__muster.source.readyState === 1);
  await page.evaluate(() => { window.notReloaded = true; });
  writeFileSync(join(root, "static/extra.css"), ":root { --probe: changed; }\n");
  await page.waitForFunction(
    () => getComputedStyle(document.documentElement).getPropertyValue("--probe").trim() === "changed",
    null,
    { timeout: TIMEOUT },
  );
  assert.equal(await page.evaluate(() => window.notReloaded), true);
  console.log("ok - a stylesheet change applies without a reload");
} finally {
  writeFileSync(page_file, original);
  await browser.close();
}
