// The console's folder view with many objects, in headless Chromium: pages of 1000 with "Load
// more" and a "1,000 of 1,000+" count, folders first across pages, prefix search, select all,
// keyboard navigation, the position kept after Refresh and delete, and a 100,000-object bucket
// (time to first row and to a search result printed, not asserted).
import { test } from "node:test";
import assert from "node:assert/strict";
import { HeadObjectCommand, ListObjectsV2Command } from "@aws-sdk/client-s3";
import { rejectsWith } from "./support.mjs";
import { dialogStep } from "./browser_support.mjs";
import { consoleSuite } from "./console_s3_support.mjs";

const suite = consoleSuite("console-s3-folder", { memoryData: true });
const pad = (i, n = 4) => String(i).padStart(n, "0");
const rowNames = (page) => page.locator("table.objects tbody tr td:nth-child(2)").allInnerTexts();

test("1,502 objects: pages, folders first, search, select all, keyboard, position after Refresh and delete", suite.run("many", async () => {
  const B = "many-objects";
  // obj-0000..obj-1499 at the top; folders that sort before (aa/) and after (zz/) them.
  const objects = Array.from({ length: 1500 }, (_, i) => ({ key: `obj-${pad(i)}`, content: "" }));
  objects.push({ key: "aa/inside.txt", content: "a" }, { key: "zz/inside.txt", content: "z" });
  await suite.fixtures({ buckets: [{ name: B, objects }] });
  const { page, pageErrors } = await suite.open(`#/s3/b/${B}/`);
  const count = page.locator("p.count");
  // A page is 1000 keys, folders (CommonPrefixes) included.
  await count.getByText("Showing 1,000 of 1,000+", { exact: false }).waitFor();
  let names = await rowNames(page);
  assert.equal(names.length, 1000);
  assert.equal(names[0], "aa/");
  assert.equal(names[999], "obj-0998");
  // Page 2 brings zz/, which goes up with the folders.
  await page.getByRole("button", { name: "Load more" }).click();
  await count.getByText("Showing 1,502 of 1,502", { exact: false }).waitFor();
  assert.equal(await page.getByRole("button", { name: "Load more" }).isVisible(), false);
  names = await rowNames(page);
  assert.deepEqual(names.slice(0, 3), ["aa/", "zz/", "obj-0000"]);
  assert.equal(names.at(-1), "obj-1499");

  // Keyboard: one Tab stop in the list; arrows move, Space selects, Enter opens.
  const first = page.getByRole("link", { name: "aa/" });
  await first.focus();
  for (let i = 0; i < 3; i += 1) await page.keyboard.press("ArrowDown");
  assert.equal(await page.evaluate(() => document.activeElement.textContent), "obj-0001");
  assert.equal(await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle), "solid", "the focus is visible");
  assert.equal(await page.locator("table.objects tbody [tabindex='0']").count(), 2, "only the active row's checkbox and link take Tab");
  await page.keyboard.press("Space");
  assert.ok(await page.getByLabel("Select obj-0001").isChecked());
  await count.getByText("1 selected", { exact: false }).waitFor();
  await page.keyboard.press("Enter");
  await page.getByRole("heading", { name: "obj-0001" }).waitFor();
  await page.goBack();
  await page.getByRole("link", { name: "obj-0998" }).waitFor();

  // The position after Refresh: both pages, the focused row, the scroll.
  await page.getByRole("button", { name: "Load more" }).click();
  await count.getByText("Showing 1,502 of 1,502", { exact: false }).waitFor();
  await page.getByRole("link", { name: "obj-1200" }).focus();
  // Where the page was when Refresh was pressed (the sticky toolbar keeps it in reach).
  await page.evaluate(() => document.addEventListener("click", () => { window.scrolledAtClick = window.scrollY; }, { capture: true, once: true }));
  await page.getByRole("button", { name: "Refresh" }).click();
  const y = await page.evaluate(() => window.scrolledAtClick);
  assert.ok(y > 1000, `scrolled down (${y})`);
  await count.getByText("Showing 1,502 of 1,502", { exact: false }).waitFor();
  const after = await page.evaluate(() => window.scrollY);
  assert.ok(Math.abs(after - y) < 40, `the scroll is kept (${y} before, ${after} after)`);
  assert.equal(await page.evaluate(() => document.activeElement.textContent), "Refresh");
  assert.equal(await page.getByRole("link", { name: "obj-1200" }).getAttribute("tabindex"), "0", "obj-1200 is still the list's active row");

  // Delete obj-1200 from the keyboard: the next row takes its place, focused.
  await page.getByRole("link", { name: "obj-1200" }).focus();
  await page.keyboard.press("Space");
  await dialogStep(page, "Delete selected", "Delete objects", async () => {}, "Delete");
  await count.getByText("Showing 1,501 of 1,501", { exact: false }).waitFor();
  await page.waitForFunction(() => document.activeElement?.textContent === "obj-1201");
  await rejectsWith(suite.s3.send(new HeadObjectCommand({ Bucket: B, Key: "obj-1200" })), "NotFound");

  // Prefix search (ListObjectsV2 Prefix), then select all of the result.
  await page.getByLabel("Find objects by prefix").fill("obj-14");
  await count.getByText("Showing 100 of 100", { exact: false }).waitFor();
  names = await rowNames(page);
  assert.equal(names[0], "obj-1400");
  assert.equal(names.length, 100);
  await page.getByLabel("Select all loaded rows").check();
  await count.getByText("100 selected", { exact: false }).waitFor();
  await page.getByLabel("Select obj-1450").uncheck();
  assert.equal(await page.getByLabel("Select all loaded rows").evaluate((b) => b.indeterminate), true);
  await page.getByLabel("Find objects by prefix").fill("nothing-");
  await page.getByText('No objects or folders start with "nothing-" here.').waitFor();
  await suite.shot(page, "folder-search");
  assert.deepEqual(pageErrors, []);
}));

test("the folder icon is drawn, not an emoji", suite.run("icon", async () => {
  await suite.fixtures({ buckets: [{ name: "icons", objects: [{ key: "dir/x.txt", content: "x" }] }] });
  const { page } = await suite.open("#/s3/b/icons/");
  const link = page.getByRole("link", { name: "dir/" });
  await link.waitFor();
  const style = await link.evaluate((a) => { const s = getComputedStyle(a, "::before"); return { content: s.content, image: s.backgroundImage, width: s.width }; });
  assert.equal(style.content, '""');
  assert.match(style.image, /^url\("data:image\/svg\+xml/);
  assert.notEqual(style.width, "0px");
}));

const SANITIZED = (process.env.LOCALAWS_SANITIZED ?? "0") !== "0";
test("100,000 objects: the first page and a prefix search stay quick", {
  skip: SANITIZED ? "skipped under LOCALAWS_SANITIZED=1: seeding 100,000 objects takes minutes in the sanitized build" : false,
}, suite.run("100k", async () => {
  const B = "hundred-thousand";
  // 90,000 objects at the top, ten folders of 1,000.
  const objects = Array.from({ length: 90000 }, (_, i) => ({ key: `item-${pad(i, 6)}.csv`, content: "" }));
  for (let f = 0; f < 10; f += 1) for (let i = 0; i < 1000; i += 1) objects.push({ key: `dir-${f}/part-${pad(i)}`, content: "" });
  const seeded = Date.now();
  const { loaded } = await suite.fixtures({ buckets: [{ name: B, objects }] });
  assert.equal(loaded.objects, 100000);
  console.log(`seeded 100,000 objects in ${Date.now() - seeded} ms`);
  assert.equal((await suite.s3.send(new ListObjectsV2Command({ Bucket: B, Prefix: "item-08999" }))).KeyCount, 10);

  const { page, pageErrors } = await suite.open("#/s3");
  const t0 = Date.now();
  await page.goto(`${suite.server.endpoint}/_localaws/console#/s3/b/${B}/`);
  await page.getByRole("link", { name: "dir-0/" }).waitFor();
  const firstRow = Date.now() - t0;
  const count = page.locator("p.count");
  await count.getByText("Showing 1,000 of 1,000+", { exact: false }).waitFor();
  const names = await rowNames(page);
  assert.deepEqual(names.slice(0, 11), [...Array.from({ length: 10 }, (_, f) => `dir-${f}/`), "item-000000.csv"]);
  assert.equal(await page.locator("table.objects tbody tr").count(), 1000, "one page of 1000 rendered, not the bucket");

  const t1 = Date.now();
  await page.getByLabel("Find objects by prefix").fill("item-0899");
  await count.getByText("Showing 100 of 100", { exact: false }).waitFor();
  const searched = Date.now() - t1;
  assert.equal((await rowNames(page))[0], "item-089900.csv");
  // Load more on the full listing still pages through (page 2 starts where page 1 ended).
  await page.getByLabel("Find objects by prefix").fill("");
  await count.getByText("Showing 1,000 of 1,000+", { exact: false }).waitFor();
  await page.getByRole("button", { name: "Load more" }).click();
  await count.getByText("Showing 2,000 of 2,000+", { exact: false }).waitFor();
  assert.equal((await rowNames(page)).at(-1), "item-001989.csv");
  console.log(`100,000 objects: first row after ${firstRow} ms, prefix search result after ${searched} ms (including the 250 ms typing pause)`);
  const ops = await suite.ops();
  assert.ok(!ops.includes("ListObjects"), "never the v1 listing");
  assert.deepEqual(pageErrors, []);
}));
