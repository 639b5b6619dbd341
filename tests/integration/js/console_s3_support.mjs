// Shared by the test_console_s3*.mjs suites (it holds no tests itself): a localaws, an SDK client
// and headless Chromium per file, a fresh page per test, screenshots of every page when a test
// fails (kept in $LOCALAWS_SCREENSHOTS, or a temporary directory printed and kept on failure).
import { before, after } from "node:test";
import { existsSync, statfsSync } from "node:fs";
import { startLocalaws, s3ClientFor } from "./support.mjs";
import { browserSuite, journalOps } from "./browser_support.mjs";

// memoryData: keep the server's data directory on /dev/shm when there is one (every object is a
// blob file, and deleting 100,000 of them from a busy disk takes minutes).
export function consoleSuite(name, { args = [], memoryData = false } = {}) {
  const ui = browserSuite(`localaws-${name}`, { announce: true });
  const suite = { shots: ui.shots };
  before(async () => {
    const tmp = process.env.TMPDIR;
    if (memoryData && existsSync("/dev/shm")) {
      const fs = statfsSync("/dev/shm");
      if (fs.bavail * fs.bsize > 1024 ** 3) process.env.TMPDIR = "/dev/shm"; // room to spare only
    }
    try {
      suite.server = await startLocalaws({ args });
    } finally {
      if (tmp === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = tmp;
    }
    suite.s3 = s3ClientFor(suite.server, { maxAttempts: 1 });
  });
  after(async () => {
    suite.s3?.destroy();
    await suite.server?.stop();
  });

  // A fresh page at the hash; requests for anything but the emulator are recorded (none expected).
  // chrome:// and chrome-extension:// are the browser's own PDF viewer, not the network; blob:
  // URLs are the page's own.
  suite.open = (hash = "#/s3", { permissions = [] } = {}) => ui.openConsole(suite.server.endpoint, hash, {
    viewport: { width: 1280, height: 860 }, contextOptions: { acceptDownloads: true }, permissions,
    schemes: ["data", "blob", "chrome", "chrome-extension"] });

  // Runs a test body; on failure, a screenshot of every open page shows where it stopped.
  suite.run = (testName, body) => () => ui.guard(testName, body);

  suite.shot = (page, shotName) => ui.shots.shot(page, shotName);

  // The operations of the request journal, oldest first.
  suite.ops = () => journalOps(suite.server.endpoint);

  suite.fixtures = async (doc) => {
    const r = await fetch(`${suite.server.endpoint}/_localaws/fixtures`, { method: "POST", body: JSON.stringify(doc) });
    if (r.status !== 200) throw new Error(`fixtures: ${r.status} ${await r.text()}`);
    return r.json();
  };
  return suite;
}

export async function streamText(body) {
  return Buffer.from(await body.transformToByteArray()).toString("utf8");
}
