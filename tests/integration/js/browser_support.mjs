// Shared by the browser tests (it holds no tests itself; tests/CMakeLists.txt runs only
// integration/js/test_*.mjs): headless Debian Chromium, a fresh page that records requests leaving
// the servers under test and the page's errors, the web console opened at a hash, screenshots
// (in $LOCALAWS_SCREENSHOTS, or in a temporary directory kept only when a test failed), the hooks
// that tie these to a test file (browserSuite) and the console's dialog and journal helpers.
import { before, after } from "node:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

export const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync"];

// Debian's chromium ($CHROMIUM for another). launch() gives the browser a fresh temporary profile
// (user-data dir) of its own and removes it.
export function launchChromium() {
  return chromium.launch({ executablePath: process.env.CHROMIUM || "/usr/bin/chromium", args: CHROMIUM_ARGS });
}

// A fresh context (`viewport`, `contextOptions`, a 10 s default timeout, `permissions` granted to
// the first of `origins`) and a page in it. Requests for anything but `origins` (URLs; their
// scheme, host and port count) are recorded in `outside`, except URLs of the `schemes` that never
// leave the browser (data: unless told otherwise); the page's errors in `pageErrors`; both in
// `problems` too, in the order they came (an outside request as "outside: <url>").
export async function newPage(browser, { viewport, origins, schemes = ["data"], permissions = [], contextOptions = {} }) {
  const allowed = origins.map((o) => new URL(o).origin);
  const context = await browser.newContext({ viewport, ...contextOptions });
  if (permissions.length) await context.grantPermissions(permissions, { origin: allowed[0] });
  context.setDefaultTimeout(10000);
  const page = await context.newPage();
  const outside = [];
  const pageErrors = [];
  const problems = [];
  const local = (url) => schemes.some((s) => url.startsWith(`${s}:`)) || allowed.some((o) => url.startsWith(`${o}/`));
  context.on("request", (r) => {
    if (local(r.url())) return;
    outside.push(r.url());
    problems.push(`outside: ${r.url()}`);
  });
  page.on("pageerror", (e) => {
    pageErrors.push(String(e));
    problems.push(String(e));
  });
  return { context, page, outside, pageErrors, problems };
}

// The web console of the server at `endpoint` at `hash` on a new page (newPage's `options`; the
// endpoint is the one origin allowed), once its first heading shows.
export async function openConsole(browser, endpoint, hash, options) {
  const opened = await newPage(browser, { ...options, origins: [endpoint] });
  await opened.page.goto(`${endpoint}/_localaws/console${hash}`);
  await opened.page.locator("h1").first().waitFor();
  return opened;
}

// A test file's screenshots: in $LOCALAWS_SCREENSHOTS (kept), or in a temporary directory named
// after `prefix` that finish() removes unless a test failed.
export class Screenshots {
  constructor(prefix) {
    this.dir = process.env.LOCALAWS_SCREENSHOTS || mkdtempSync(join(tmpdir(), `${prefix}-shots-`));
    this.failed = false;
    this.announced = false;
  }

  // Prints where they go (finish() does it, if still needed, when they are kept).
  announce() {
    console.log(`screenshots: ${this.dir}`);
    this.announced = true;
  }

  path(name) {
    return join(this.dir, `${name}.png`);
  }

  shot(page, name, { fullPage = true } = {}) {
    return page.screenshot({ path: this.path(name), fullPage });
  }

  // Marks the file failed and shows where it stopped: FAILED-<name>.png of one page, or
  // FAILED-<name>-<i>.png of each of an array of pages.
  async failure(name, pages) {
    this.failed = true;
    const named = Array.isArray(pages) ? pages.map((p, i) => [p, `FAILED-${name}-${i}`]) : [[pages, `FAILED-${name}`]];
    for (const [p, shotName] of named) await this.shot(p, shotName).catch(() => {});
  }

  // Runs a test body; on failure, a screenshot of every page open in `browser` shows where it
  // stopped. Every context is closed after it either way.
  async guard(browser, name, body) {
    try {
      await body();
    } catch (e) {
      await this.failure(name, browser.contexts().flatMap((c) => c.pages()));
      throw e;
    } finally {
      for (const c of browser.contexts()) await c.close();
    }
  }

  // For the after() hook: removes the temporary directory unless a test failed; else says where it is.
  finish() {
    if (!process.env.LOCALAWS_SCREENSHOTS && !this.failed) rmSync(this.dir, { recursive: true, force: true });
    else if (!this.announced) this.announce();
  }
}

// Registers a browser test file's hooks, as support.mjs's s3Suite does for a server: before all,
// Chromium is launched (and, with `announce`, where the screenshots go is printed); after all, it
// is closed and the screenshots finished (their temporary directory removed unless a test failed).
// Called before the file registers its own hooks, the browser starts before its servers and closes
// first. The suite's browser is there once the before hook ran; the methods use it.
export function browserSuite(prefix, { announce = false } = {}) {
  const suite = { shots: new Screenshots(prefix), browser: undefined };
  before(async () => {
    suite.browser = await launchChromium();
    if (announce) suite.shots.announce();
  });
  after(async () => {
    await suite.browser?.close();
    suite.shots.finish();
  });
  suite.newPage = (options) => newPage(suite.browser, options);
  suite.openConsole = (endpoint, hash, options) => openConsole(suite.browser, endpoint, hash, options);
  // Runs a test body with screenshots on failure (Screenshots.guard).
  suite.guard = (name, body) => suite.shots.guard(suite.browser, name, body);
  return suite;
}

// Presses the page's button `open`, lets `fill` work in the dialog named `title`, submits it with
// its button `submit` (default: the same label) and waits until it closes.
export async function dialogStep(page, open, title, fill, submit = open) {
  await page.getByRole("button", { name: open, exact: true }).click();
  const dialog = page.getByRole("dialog", { name: title });
  await fill(dialog);
  await dialog.getByRole("button", { name: submit, exact: true }).click();
  await dialog.waitFor({ state: "detached" });
}

// The operations of the server's request journal, oldest first.
export async function journalOps(endpoint) {
  const r = await fetch(`${endpoint}/_localaws/requests?limit=1000`);
  return (await r.json()).requests.map((e) => e.operation);
}
