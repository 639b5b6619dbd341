// A first run (issue 20): a browser opening the endpoint itself (http://127.0.0.1:PORT/) lands on
// the web console, while the JS SDK's ListBuckets on the same URL and an anonymous non-browser
// GET / are answered by S3 as before.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { CreateBucketCommand, ListBucketsCommand } from "@aws-sdk/client-s3";
import { startLocalaws, s3ClientFor } from "./support.mjs";
import { browserSuite } from "./browser_support.mjs";

const ui = browserSuite("localaws-first-run");
let server, s3;

before(async () => {
  server = await startLocalaws();
  s3 = s3ClientFor(server, { maxAttempts: 1 });
  await s3.send(new CreateBucketCommand({ Bucket: "first-run-js" }));
});

after(async () => {
  s3?.destroy();
  await server?.stop();
});

test("a browser opening the endpoint lands on the console", async () => {
  const { context, page } = await ui.newPage({ viewport: { width: 1280, height: 800 }, origins: [server.endpoint] });
  try {
    const response = await page.goto(`${server.endpoint}/`);
    assert.equal(new URL(page.url()).pathname, "/_localaws/console/");
    assert.equal(response.status(), 200);
    const redirect = response.request().redirectedFrom();
    assert.ok(redirect, "the page was reached by a redirect");
    assert.equal(new URL(redirect.url()).pathname, "/");
    assert.equal((await redirect.response()).status(), 302);
    // The console's own page (what it then shows is test_console.mjs's business).
    await page.waitForFunction(() => document.title.includes("localaws console"));
    const journal = await (await fetch(`${server.endpoint}/_localaws/requests?limit=1000`)).json();
    assert.ok(journal.requests.some((e) => e.operation === "ConsoleRedirect" && e.resource === "/" && e.status === 302),
      "the redirect is in the journal");
  } catch (e) {
    await ui.shots.failure("first-run", page);
    throw e;
  } finally {
    await context.close();
  }
});

test("the JS SDK's ListBuckets on GET / is untouched", async () => {
  const out = await s3.send(new ListBucketsCommand({}));
  assert.ok(out.Buckets.some((b) => b.Name === "first-run-js"));
});

test("an anonymous GET / without text/html still gets S3's AccessDenied", async () => {
  for (const headers of [{}, { Accept: "*/*" }, { Accept: "application/xml" }]) {
    const r = await fetch(`${server.endpoint}/`, { headers, redirect: "manual" });
    assert.equal(r.status, 403, JSON.stringify(headers));
    assert.match(await r.text(), /<Code>AccessDenied<\/Code>/);
  }
});
