// The knowledge graph of a dense site in a real headless Chromium: without JavaScript
// the labels shown never overlap; with it the graph zooms (buttons, keys, Ctrl + wheel),
// pans by dragging without opening a page, shows more labels as it zooms in (still none
// overlapping) and highlights a page's neighbours. Screenshots are saved.
// Usage: node graph.mjs <site URL ending in /> <screenshot folder>   (run by tests/browser.rs)
import { chromium } from "playwright-core";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { launchOptions } from "./chromium.mjs";

const [site, shots] = process.argv.slice(2);
const TIMEOUT = 20000;
mkdirSync(shots, { recursive: true });

// The boxes of the labels shown, as the browser drew them, and the pairs that overlap.
async function labels(page) {
  return page.evaluate(() => {
    const shown = [...document.querySelectorAll("svg.graph .label")]
      .filter((t) => getComputedStyle(t).display !== "none")
      .map((t) => ({ text: t.textContent, box: t.getBoundingClientRect() }));
    const overlapping = [];
    shown.forEach((a, i) =>
      shown.slice(i + 1).forEach((b) => {
        const x = Math.min(a.box.right, b.box.right) - Math.max(a.box.left, b.box.left);
        const y = Math.min(a.box.bottom, b.box.bottom) - Math.max(a.box.top, b.box.top);
        // Glyph boxes include the line's leading: a pixel or two is not an overlap.
        if (x > 1 && y > 2) overlapping.push(`${a.text} / ${b.text}`);
      }),
    );
    return { count: shown.length, overlapping };
  });
}

const browser = await chromium.launch(launchOptions());
try {
  // 1. Without JavaScript: the most connected pages' labels, none overlapping.
  const plain = await browser.newContext({ viewport: { width: 1280, height: 1000 }, javaScriptEnabled: false });
  let page = await plain.newPage();
  await page.goto(site + "graph/");
  const nodes = await page.locator("svg.graph a.node").count();
  const still = await labels(page);
  assert.ok(nodes >= 100, `a dense graph: ${nodes} nodes`);
  assert.ok(still.count >= 10 && still.count < nodes, `${still.count} of ${nodes} labels shown at first`);
  assert.deepEqual(still.overlapping, [], "no two labels shown overlap");
  assert.equal(await page.locator(".graph-tools").count(), 0, "no zoom buttons without the script");
  await page.locator("figure.graph-figure").screenshot({ path: join(shots, "graph-without-script.png") });
  await plain.close();
  console.log(`ok - without JavaScript ${still.count} of ${nodes} labels, none overlapping`);

  // 2. With it: zoom in twice by the buttons; more labels, still none overlapping.
  const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
  page = await context.newPage();
  const problems = [];
  page.on("pageerror", (e) => problems.push(e.message));
  await page.goto(site + "graph/");
  const svg = page.locator("svg.graph");
  await page.locator(".graph-tools").waitFor({ timeout: TIMEOUT });
  const viewBox = async () => (await svg.getAttribute("viewBox")).split(" ").map(Number);
  assert.deepEqual(await viewBox(), [0, 0, 1000, 700]);
  await page.getByRole("button", { name: "Zoom in" }).click();
  await page.getByRole("button", { name: "Zoom in" }).click();
  assert.deepEqual((await viewBox()).slice(2), [250, 175], "zoomed in four times");
  assert.match(await svg.getAttribute("class"), /\bz4\b/);
  const zoomed = await labels(page);
  assert.ok(zoomed.count > still.count, `more labels zoomed in: ${zoomed.count} > ${still.count}`);
  assert.deepEqual(zoomed.overlapping, [], "no two labels shown overlap when zoomed in");
  console.log(`ok - zoomed in, ${zoomed.count} labels shown, none overlapping`);

  // 3. Dragging moves the view and opens no page.
  const box = await svg.boundingBox();
  const [x0] = await viewBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 + 150, box.y + box.height / 2 + 40, { steps: 6 });
  await page.mouse.up();
  assert.ok((await viewBox())[0] < x0, "dragging right shows what lies left");
  assert.equal(page.url(), site + "graph/", "a drag opens no page");
  console.log("ok - dragging pans without opening a page");

  // 4. Pointing at a page highlights it, its lines and its neighbours, with their labels.
  const inside = await page.evaluate(() => {
    const s = document.querySelector("svg.graph").getBoundingClientRect();
    return [...document.querySelectorAll("svg.graph a.node")].findIndex((n) => {
      const r = n.getBoundingClientRect();
      const [x, y] = [(r.left + r.right) / 2, (r.top + r.bottom) / 2];
      return x > s.left + 20 && x < s.right - 20 && y > s.top + 20 && y < Math.min(s.bottom, innerHeight) - 20;
    });
  });
  assert.ok(inside >= 0, "a node lies in view");
  await svg.locator("a.node").nth(inside).hover();
  assert.match(await svg.getAttribute("class"), /\bfocusing\b/);
  assert.ok((await svg.locator("line.near").count()) >= 1, "its lines are highlighted");
  assert.ok((await svg.locator(".label.near").count()) >= 2, "its neighbours' labels are shown");
  await page.screenshot({ path: join(shots, "graph-zoomed-highlighted.png") });
  console.log("ok - pointing at a page highlights its neighbours");

  // 5. Reset, the keyboard and Ctrl + wheel.
  await page.getByRole("button", { name: "Reset zoom" }).click();
  assert.deepEqual(await viewBox(), [0, 0, 1000, 700]);
  await svg.locator("a.node").first().focus();
  await page.keyboard.press("+");
  assert.equal(await svg.getAttribute("data-zoom"), "2", "+ zooms in");
  await page.keyboard.press("0");
  assert.equal(await svg.getAttribute("data-zoom"), "1", "0 shows the whole graph");
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.wheel(0, 300);
  assert.equal(await svg.getAttribute("data-zoom"), "1", "a plain wheel scrolls the page");
  await page.keyboard.down("Control");
  await page.mouse.wheel(0, -300);
  await page.keyboard.up("Control");
  assert.ok(Number(await svg.getAttribute("data-zoom")) > 1, "Ctrl + wheel zooms");
  console.log("ok - reset, keys and Ctrl + wheel zoom");

  assert.deepEqual(problems, []);
  await context.close();
} finally {
  await browser.close();
}
