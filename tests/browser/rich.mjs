// Callouts fold, formulas are drawn, code is highlighted and copied, diagrams drawn, in a real headless Chromium, on the built site
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
    const context = await browser.newContext({ colorScheme, viewport: { width: 900, height: 900 } });
    await context.grantPermissions(["clipboard-read", "clipboard-write"]);
    const page = await context.newPage();
    const problems = [];
    page.on("pageerror", (e) => problems.push(e.message));
    // Nothing goes to YouTube until the reader asks; the network is closed here anyway.
    const youtube = [];
    await page.route(/youtube/, (route) => {
      youtube.push(route.request().url());
      route.abort();
    });
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

    // Code is coloured by the generated stylesheet: a keyword apart from plain text, the
    // marked line apart from the others, numbers beside the lines but not in the copy.
    const code = page.locator("pre.code[data-lang='rust']");
    await code.waitFor({ timeout: TIMEOUT });
    const [keyword, plain] = await code.evaluate((pre) => {
      const span = [...pre.querySelectorAll("span[class*='l-']")].find((s) => s.textContent === "fn");
      return [getComputedStyle(span).color, getComputedStyle(pre).color];
    });
    assert.notEqual(keyword, plain);
    const [marked, unmarked] = await code.evaluate((pre) =>
      [pre.querySelector(".line.hl"), pre.querySelector(".line:not(.hl)")].map((l) => getComputedStyle(l).backgroundColor));
    assert.notEqual(marked, unmarked);
    const number = await code.evaluate((pre) => getComputedStyle(pre.querySelector(".line"), "::before").content);
    assert.equal(number, "counter(line)");
    const background = await code.evaluate((pre) => getComputedStyle(pre).backgroundColor);
    const [r, g, b] = background.match(/\d+/g).map(Number);
    const light = (r + g + b) / 3 > 128;
    assert.equal(light, colorScheme === "light", `code background ${background} in ${colorScheme}`);
    assert.equal(await page.locator("figcaption.code-title").textContent(), "src/main.rs");
    console.log(`ok - ${colorScheme}: code is highlighted by class, its marked line and numbers shown`);

    // The copy button copies the code alone, without line numbers.
    await page.locator("button.copy-code").first().click();
    await page.locator("button.copy-code", { hasText: "Copied" }).first().waitFor({ timeout: TIMEOUT });
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    assert.ok(copied.startsWith("/// Greets.\nfn main() {"), JSON.stringify(copied));
    console.log(`ok - ${colorScheme}: the copy button copies the code`);

    // The diagram is drawn by the site's own mermaid script.
    await page.locator("pre.mermaid svg").waitFor({ timeout: TIMEOUT });
    assert.ok((await page.locator("pre.mermaid svg").textContent()).includes("Review"));
    console.log(`ok - ${colorScheme}: the mermaid diagram is drawn`);

    // The embedded part and the footnote's way back.
    assert.ok((await page.locator(".embed").textContent()).includes("The embedded part."));
    await page.locator(".footnote-backref").click();
    const back = await page.evaluate(() => location.hash);
    assert.equal(back, "#fnref-m");
    console.log(`ok - ${colorScheme}: embeds are shown, footnotes link back`);

    // Shortcodes: the note, the card and the query's table are there without scripts;
    // the video loads nothing from YouTube until clicked, then plays in place.
    assert.ok((await page.locator(".callout[data-callout='tip']").textContent()).includes("A note with a Quoted link."));
    assert.equal(await page.locator("a.ref-card").getAttribute("href"), new URL("../quoted/", url).pathname);
    assert.deepEqual(await page.locator("table.query tbody th").allTextContents(), ["Belarus", "Kazakhstan"]);
    await page.screenshot({ path: `${shots}/rich-markdown-${colorScheme}.png`, fullPage: true });
    await page.waitForLoadState("networkidle");
    assert.deepEqual(youtube, []);
    assert.equal(await page.locator(".video-embed iframe").count(), 0);
    await page.locator("a.video-embed-start").click();
    const frame = page.locator(".video-embed iframe");
    await frame.waitFor({ state: "attached", timeout: TIMEOUT });
    const src = await frame.getAttribute("src");
    assert.ok(src.startsWith("https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1"), src);
    assert.equal(await frame.getAttribute("title"), "A talk on drills");
    console.log(`ok - ${colorScheme}: shortcodes and a query render; the video loads only once clicked`);

    assert.deepEqual(problems, []);
    await context.close();
  }
} finally {
  await browser.close();
}
