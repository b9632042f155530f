// Callouts fold and formulas are drawn, in a real headless Chromium, on the built site
// served as static files. Saves screenshots (light and dark) to the folder given.
// Usage: node rich.mjs <page URL> <screenshot folder>   (run by tests/browser.rs)
import { chromium } from "playwright-core";
import assert from "node:assert/strict";
import { launchOptions } from "./chromium.mjs";

const [url, shots] = process.argv.slice(2);
const TIMEOUT = 20000;
const browser = await chromium.launch(launchOptions());
try {
  for (const colorScheme of ["light", "dark"]) {
    const page = await browser.newPage({ colorScheme, viewport: { width: 900, height: 900 } });
    const problems = [];
    page.on("pageerror", (e) => problems.push(e.message));
    await page.goto(url);

    // A folded callout shows its title only; clicking the title opens it.
    const folded = page.locator("details.callout[data-callout='faq']");
    await folded.waitFor({ timeout: TIMEOUT });
    assert.equal(await folded.getAttribute("open"), null);
    assert.equal(await folded.locator("p").isVisible(), false);
    await folded.locator("summary").click();
    await folded.locator("p").waitFor({ state: "visible", timeout: TIMEOUT });
    console.log(`ok - ${colorScheme}: a folded callout opens from its title`);

    // The note's title is coloured apart from the text.
    const title = page.locator(".callout[data-callout='warning'] .callout-title");
    const colours = await title.evaluate((t) => [getComputedStyle(t).color, getComputedStyle(t.parentElement).color]);
    assert.notEqual(colours[0], colours[1]);
    console.log(`ok - ${colorScheme}: a callout's title has its type's colour`);

    // Formulas are MathML the browser draws: a display formula has height, a fraction two rows.
    const block = page.locator("math[display='block']");
    const box = await block.boundingBox();
    assert.ok(box && box.height > 20 && box.width > 20, JSON.stringify(box));
    const frac = page.locator("math mfrac").first();
    const [num, den] = await frac.evaluate((f) => [...f.children].map((c) => c.getBoundingClientRect().top));
    assert.ok(den > num, `numerator at ${num}, denominator at ${den}`);
    console.log(`ok - ${colorScheme}: formulas are drawn as MathML, fractions stacked`);

    await page.screenshot({ path: `${shots}/rich-markdown-${colorScheme}.png`, fullPage: true });
    assert.deepEqual(problems, []);
    await page.close();
  }
} finally {
  await browser.close();
}
