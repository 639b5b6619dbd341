// The coffee-shop ranker's page in headless Chromium (issue 20), at a phone's 360 px and a desktop's
// 1280 px: nothing overflows sideways and every button can be pressed; rating, uploading and
// errors are reported on the shop's own card; each photo links to its public S3 URL and says where
// it is stored; the score is explained. The ranker runs against a real localaws, seeded with the
// book's fixtures. Registered with CTest by app/CMakeLists.txt ("app-e2e: page"); it lives here for
// playwright-core and support.mjs.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { createInterface } from "node:readline";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { startLocalaws } from "./support.mjs";
import { browserSuite } from "./browser_support.mjs";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const FIXTURES = process.env.RANKER_FIXTURES || join(ROOT, "fixtures");
const BUCKET = "coffeeshopranker-page";
const ui = browserSuite("ranker-page");
let server, app, appUrl, env;
const work = mkdtempSync(join(tmpdir(), "ranker-page-"));

function rankerBin() {
  const b = process.env.RANKER_BIN || join(ROOT, "build/dev/app/ranker");
  if (!existsSync(b)) throw new Error("set RANKER_BIN to the ranker binary");
  return b;
}

function ranker(...args) {
  const p = spawnSync(rankerBin(), args, { env, encoding: "utf8", timeout: 120000 });
  assert.equal(p.status, 0, `ranker ${args.join(" ")}:\n${p.stdout}\n${p.stderr}`);
}

before(async () => {
  server = await startLocalaws();
  // Only the standard AWS settings point the app at localaws; nothing of the user's ~/.aws.
  env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("AWS_") && !k.startsWith("RANKER_")));
  Object.assign(env, {
    AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test", AWS_REGION: "us-east-1",
    AWS_ENDPOINT_URL: server.endpoint, AWS_CONFIG_FILE: join(work, "none"), AWS_SHARED_CREDENTIALS_FILE: join(work, "none"),
    RANKER_BUCKET: BUCKET, RANKER_MAX_PHOTO_BYTES: "200000",
  });
  ranker("init");
  ranker("seed", FIXTURES);
  app = spawn(rankerBin(), ["serve", "--port", "0"], { env, stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  app.stderr.on("data", (d) => { log = (log + d).slice(-8000); });
  const lines = createInterface({ input: app.stdout });
  appUrl = await new Promise((resolve, reject) => {
    lines.once("line", (l) => resolve(l.split("listening on ")[1]?.trim()));
    app.once("exit", (code) => reject(new Error(`ranker serve exited with ${code}:\n${log}`)));
  });
  assert.match(appUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
});

after(async () => {
  if (app && app.exitCode === null) {
    const exited = new Promise((r) => app.once("exit", r));
    app.kill("SIGTERM");
    await exited;
  }
  await server?.stop();
  rmSync(work, { recursive: true, force: true });
});

// The page at this width; requests to anywhere but the app and its S3 (the photos) are collected.
async function openPage(name, width, height, body) {
  const { context, page, outside, pageErrors: errors } = await ui.newPage(
    { viewport: { width, height }, origins: [appUrl, server.endpoint], schemes: [] });
  try {
    await page.goto(appUrl + "/");
    await page.locator("article.shop").first().waitFor();
    await body(page);
    assert.deepEqual(outside, [], "the page loads nothing from the network");
    assert.deepEqual(errors, []);
    await ui.shots.shot(page, name);
  } catch (e) {
    await ui.shots.failure(name, page);
    throw e;
  } finally {
    await context.close();
  }
}

const card = (page, name) => page.getByRole("article", { name: new RegExp(name) });

async function assertNoSidewaysScroll(page, width) {
  const { scroll, inner } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth, inner: window.innerWidth }));
  assert.equal(inner, width);
  assert.ok(scroll <= inner, `the page is ${scroll} px wide in a ${inner} px window`);
}

// Every button lies inside the window's width and would take a click there.
async function assertButtonsReachable(page, width) {
  const buttons = page.getByRole("button");
  const n = await buttons.count();
  assert.ok(n >= 9, `${n} buttons`);  // Add, then Rate and Upload photo on each of the 4 seeded shops
  for (let i = 0; i < n; i++) {
    const b = buttons.nth(i);
    await b.scrollIntoViewIfNeeded();
    const box = await b.boundingBox();
    const label = await b.innerText();
    assert.ok(box && box.x >= 0 && box.x + box.width <= width, `button "${label}" at ${JSON.stringify(box)}`);
    await b.click({ trial: true, timeout: 3000 });
  }
}

// A card's status line: inside the card, polite live region, showing `text`, inside the window.
async function assertCardSays(page, shop, text, { error = false } = {}) {
  const feedback = card(page, shop).getByRole("status");
  await feedback.filter({ hasText: text }).waitFor();
  assert.equal(await feedback.getAttribute("aria-live"), "polite");
  assert.equal(await feedback.evaluate((e) => e.classList.contains("error")), error);
  const where = await feedback.evaluate((e) => {
    const r = e.getBoundingClientRect();
    return { top: r.top, bottom: r.bottom, left: r.left, right: r.right, height: window.innerHeight, width: window.innerWidth };
  });
  assert.ok(where.top >= 0 && where.bottom <= where.height + 1 && where.left >= 0 && where.right <= where.width,
    `the message "${text}" for ${shop} is in view: ${JSON.stringify(where)}`);
}

async function assertPhotoLinks(page) {
  const figures = card(page, "Blue Door Espresso").locator("figure");
  await figures.nth(1).waitFor();
  for (const key of ["photos/seed-blue-door/seed-espresso.png", "photos/seed-blue-door/seed-beans.png"]) {
    const fig = figures.filter({ hasText: key });
    assert.equal((await fig.locator("figcaption").innerText()).trim(), `Stored in S3: bucket ${BUCKET}, key ${key}`);
    const href = await fig.getByRole("link", { name: "Photo of Blue Door Espresso" }).getAttribute("href");
    assert.equal(href, `${server.endpoint}/${BUCKET}/${key}`);  // path style on a custom endpoint
    assert.equal(await fig.locator("img").getAttribute("src"), href);
  }
}

test("at 360 px: no sideways scrolling, every button reachable, feedback on the card", () =>
  openPage("360", 360, 740, async (page) => {
    await assertNoSidewaysScroll(page, 360);
    await assertButtonsReachable(page, 360);

    // The score, explained with the formula the app uses (ranking.h: 5 votes of 3 stars as a prior).
    const help = await page.locator("#score-help").innerText();
    assert.match(help, /\(5 × 3 \+ the sum of all stars\) ÷ \(5 \+ the number of votes\)/);
    assert.match(help, /a single 5 ★ vote scores 3\.33 .* fifty votes averaging 4\.8 ★ \(4\.64\)/);
    const kiosk = card(page, "Single Origin Kiosk");
    assert.match(await kiosk.locator(".score").getAttribute("title"), /^score = \(5 × 3 \+ sum of stars\) ÷ \(5 \+ votes\)$/);

    // Rate the last shop: the thanks appear on its card, in view, not at the top of the page.
    await kiosk.getByLabel("Your name").fill("phone-user");
    await kiosk.getByLabel("Stars").selectOption("4");
    await kiosk.getByRole("button", { name: "Rate" }).click();
    await assertCardSays(page, "Single Origin Kiosk", "Rated 4 ★ by phone-user.");

    // Upload a photo: reported on the card, shown with its S3 link and location.
    const upload = card(page, "The Red Cup");
    await upload.locator("input[type=file]").setInputFiles(join(FIXTURES, "photos", "espresso.png"));
    await upload.getByRole("button", { name: "Upload photo" }).click();
    await assertCardSays(page, "The Red Cup", `Photo uploaded. Stored in S3: bucket ${BUCKET}, key photos/seed-red-cup/`);
    const newest = upload.locator("figure").last();
    const href = await newest.getByRole("link").getAttribute("href");
    assert.match(href, new RegExp(`^${server.endpoint}/${BUCKET}/photos/seed-red-cup/[0-9a-f]+\\.png$`));
    const r = await fetch(href);  // public: no credentials
    assert.equal(r.status, 200);
    assert.equal(r.headers.get("content-type"), "image/png");

    // An error is reported on the card it concerns too.
    const junk = join(work, "not-a-photo.png");
    writeFileSync(junk, "<html>not an image</html>");
    const roastery = card(page, "Old Roastery");
    await roastery.locator("input[type=file]").setInputFiles(junk);
    await roastery.getByRole("button", { name: "Upload photo" }).click();
    await assertCardSays(page, "Old Roastery", "Upload failed: the file is not a JPEG, PNG or WebP image", { error: true });

    await assertPhotoLinks(page);
    await assertNoSidewaysScroll(page, 360);  // long S3 keys in captions wrap
  }));

test("at 1280 px: the same page on a desktop, forms side by side", () =>
  openPage("1280", 1280, 900, async (page) => {
    await assertNoSidewaysScroll(page, 1280);
    await assertButtonsReachable(page, 1280);
    await assertPhotoLinks(page);
    const blue = card(page, "Blue Door Espresso");
    const rate = await blue.getByRole("button", { name: "Rate" }).boundingBox();
    const upload = await blue.getByRole("button", { name: "Upload photo" }).boundingBox();
    assert.ok(Math.abs(rate.y - upload.y) < 4, `Rate at ${rate.y}, Upload at ${upload.y}: one row`);
    // A vote moves nothing away from the card: its message stays with it.
    await blue.getByLabel("Your name").fill("desk-user");
    await blue.getByLabel("Stars").selectOption("1");
    await blue.getByRole("button", { name: "Rate" }).click();
    await assertCardSays(page, "Blue Door Espresso", "Rated 1 ★ by desk-user.");
    assert.match(await blue.locator(".meta").innerText(), /score \d\.\d\d/);
    // A new shop: the form says so, and so does the new card.
    await page.getByLabel("Shop name").fill("Corner Café");
    await page.getByLabel("Address").fill("1 Corner Street");
    await page.getByRole("button", { name: "Add", exact: true }).click();
    await page.locator("#add-feedback").filter({ hasText: "Added Corner Café to the ranking below." }).waitFor();
    await assertCardSays(page, "Corner Café", "New shop: be the first to rate it or upload a photo.");
    assert.match(await card(page, "Corner Café").locator(".meta").innerText(), /no votes yet · score 3\.00/);
  }));
