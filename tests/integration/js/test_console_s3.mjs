// The console's object page in headless Chromium: preview, open and download of a private object
// through presigned URLs, a presigned URL to share, metadata, tags, ACL and versions. Each step is
// checked against what the server stored (JS SDK) or what the user sees.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  CreateBucketCommand, DeleteObjectCommand, DeletePublicAccessBlockCommand, GetObjectAclCommand, GetObjectCommand,
  GetObjectTaggingCommand, HeadObjectCommand, ListObjectVersionsCommand, PutBucketVersioningCommand, PutObjectCommand,
} from "@aws-sdk/client-s3";
import { dialogStep } from "./browser_support.mjs";
import { consoleSuite, streamText } from "./console_s3_support.mjs";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const GRAPH = readFileSync(join(ROOT, "fixtures", "graph.jpg"));
const suite = consoleSuite("console-s3");
const put = (Bucket, Key, Body, extra = {}) => suite.s3.send(new PutObjectCommand({ Bucket, Key, Body, ...extra }));

// A one-page PDF, small and valid enough for a viewer.
function tinyPdf() {
  const objs = ["<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 100] >>"];
  let out = "%PDF-1.4\n";
  const offsets = objs.map((o, i) => { const at = out.length; out += `${i + 1} 0 obj\n${o}\nendobj\n`; return at; });
  const xref = out.length;
  out += `xref\n0 ${objs.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, "0")} 00000 n \n`).join("")}`;
  out += `trailer\n<< /Size ${objs.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out);
}

test("a private object: preview, Open and Download go through presigned URLs", suite.run("presigned", async () => {
  const B = "private-previews";
  await suite.s3.send(new CreateBucketCommand({ Bucket: B }));
  await put(B, "docs/notes.txt", "hello from a private object", { ContentType: "text/plain" });
  await put(B, "docs/data.json", '{"shop":"Blue Bottle","rating":4.5}', { ContentType: "application/json" });
  await put(B, "docs/graph.jpg", GRAPH, { ContentType: "image/jpeg" });
  await put(B, "docs/menu.pdf", tinyPdf(), { ContentType: "application/pdf" });
  // Anonymous: AccessDenied, which is what the old "Open" showed.
  assert.equal((await fetch(`${suite.server.endpoint}/${B}/docs/notes.txt`)).status, 403);

  const { context, page, outside, pageErrors } = await suite.open(`#/s3/o/${B}/${encodeURIComponent("docs/notes.txt")}`);
  await page.getByRole("heading", { name: "notes.txt" }).waitFor();
  const pre = page.getByLabel("Preview of notes.txt");
  await pre.waitFor();
  assert.equal(await pre.innerText(), "hello from a private object");

  // Open: a new tab with the object, not S3's AccessDenied XML.
  const [tab, response] = await Promise.all([
    context.waitForEvent("page"),
    context.waitForEvent("response", (r) => r.url().includes("/docs/notes.txt?")),
    page.getByRole("button", { name: "Open", exact: true }).click(),
  ]);
  assert.equal(response.status(), 200);
  assert.match(response.url(), /X-Amz-Signature=[0-9a-f]{64}/);
  assert.match(response.url(), /X-Amz-Expires=900/);
  assert.equal(response.headers()["cache-control"], "no-cache", "never a stale copy after an edit or a restore");
  await tab.waitForLoadState("load");
  assert.equal((await tab.locator("body").innerText()).trim(), "hello from a private object");
  await tab.close();

  // Download: Content-Disposition attachment asked for in the presigned URL.
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download", exact: true }).click()]);
  assert.equal(download.suggestedFilename(), "notes.txt");
  assert.match(download.url(), /response-content-disposition=attachment/);
  assert.equal(readFileSync(await download.path(), "utf8"), "hello from a private object");

  // JSON is pretty-printed; an image and a PDF load through presigned URLs.
  await page.goto(`${suite.server.endpoint}/_localaws/console#/s3/o/${B}/${encodeURIComponent("docs/data.json")}`);
  const json = page.getByLabel("Preview of data.json");
  await json.waitFor();
  assert.equal(await json.innerText(), JSON.stringify({ shop: "Blue Bottle", rating: 4.5 }, null, 2));
  await page.goto(`${suite.server.endpoint}/_localaws/console#/s3/o/${B}/${encodeURIComponent("docs/graph.jpg")}`);
  const img = page.getByRole("img", { name: "Preview of graph.jpg" });
  await img.waitFor();
  await page.waitForFunction(() => document.querySelector("img.preview-image")?.complete);
  assert.ok(await img.evaluate((el) => el.naturalWidth) > 0, "the image shows");
  assert.match(await img.getAttribute("src"), /X-Amz-Signature=/);
  await page.goto(`${suite.server.endpoint}/_localaws/console#/s3/o/${B}/${encodeURIComponent("docs/menu.pdf")}`);
  const frame = page.locator("iframe.preview-pdf");
  await frame.waitFor();
  assert.equal(await frame.getAttribute("title"), "Preview of menu.pdf (PDF)");
  const pdf = await fetch(await frame.getAttribute("src"));
  assert.equal(pdf.status, 200);
  assert.equal(pdf.headers.get("content-type"), "application/pdf");
  await suite.shot(page, "s3-preview-pdf");
  assert.deepEqual(outside, []);
  assert.deepEqual(pageErrors, []);
}));

test("a presigned URL with the expiry the user picks, and copying the URLs", suite.run("share", async () => {
  const B = "share-me";
  await suite.s3.send(new CreateBucketCommand({ Bucket: B }));
  await put(B, "report 1.txt", "quarterly", { ContentType: "text/plain" });
  const { page } = await suite.open(`#/s3/o/${B}/${encodeURIComponent("report 1.txt")}`, { permissions: ["clipboard-read", "clipboard-write"] });
  const share = page.getByRole("region", { name: "Share with a presigned URL" });
  await share.getByLabel("Expires after").fill("8");
  await share.getByLabel("Unit").selectOption("days");
  await share.getByRole("button", { name: "Create presigned URL" }).click();
  await share.getByRole("alert").getByText("at most", { exact: false }).or(share.getByRole("alert").getByText("7 days", { exact: false })).waitFor();
  await share.getByLabel("Expires after").fill("2");
  await share.getByLabel("Unit").selectOption("hours");
  await share.getByRole("button", { name: "Create presigned URL" }).click();
  const out = share.getByLabel("Presigned URL");
  await out.waitFor();
  const url = await out.inputValue();
  assert.match(url, /X-Amz-Expires=7200&/);
  assert.match(url, /X-Amz-Credential=test%2F\d{8}%2Fus-east-1%2Fs3%2Faws4_request/);
  // Anyone can use it: a plain fetch without credentials.
  const r = await fetch(url);
  assert.equal(r.status, 200);
  assert.equal(await r.text(), "quarterly");
  // Tampering with the expiry breaks the signature.
  assert.equal((await fetch(url.replace("X-Amz-Expires=7200", "X-Amz-Expires=7201"))).status, 403);
  await share.getByRole("button", { name: "Copy presigned URL" }).click();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), url);
  await page.getByRole("button", { name: "Copy object URL" }).click();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), `${suite.server.endpoint}/${B}/report+1.txt`);
  await suite.shot(page, "s3-share");
}));

test("metadata, tags and ACL are shown and edited; ACLs disabled says so", suite.run("meta-tags-acl", async () => {
  const B = "meta-acl";
  await suite.s3.send(new CreateBucketCommand({ Bucket: B, ObjectOwnership: "BucketOwnerPreferred" }));
  await suite.s3.send(new DeletePublicAccessBlockCommand({ Bucket: B }));
  await put(B, "menu.txt", "espresso", { ContentType: "text/plain", Metadata: { roaster: "kevin" } });
  const { page, pageErrors } = await suite.open(`#/s3/o/${B}/menu.txt`);
  const meta = page.getByRole("region", { name: "Metadata" });
  await meta.getByRole("row", { name: /User defined\s+x-amz-meta-roaster\s+kevin/ }).waitFor();
  await meta.getByRole("row", { name: /System defined\s+Content-Type\s+text\/plain/ }).waitFor();

  // The ACL first: public-read, which the metadata edit below must keep.
  await dialogStep(page, "Edit ACL", "Edit ACL", (d) => d.getByLabel(/^Public read:/).check(), "Save ACL");
  await page.getByRole("region", { name: "Permissions" }).getByRole("row", { name: /Everyone \(public access\)\s+READ/ }).waitFor();
  await page.waitForFunction(() => document.activeElement?.textContent === "Edit ACL"); // focus back on the (redrawn) button
  const publicRead = (acl) => acl.Grants.some((g) => g.Grantee.URI?.endsWith("/AllUsers") && g.Permission === "READ");
  assert.ok(publicRead(await suite.s3.send(new GetObjectAclCommand({ Bucket: B, Key: "menu.txt" }))));

  // Metadata: a new key, a changed content type (CopyObject REPLACE onto itself).
  await dialogStep(page, "Edit metadata", "Edit metadata", async (d) => {
    await d.getByLabel("Content-Type").fill("text/markdown");
    await d.getByLabel("Cache-Control").fill("max-age=60");
    await d.getByRole("button", { name: "Add metadata" }).click();
    await d.getByLabel("Metadata 2 key").fill("origin");
    await d.getByLabel("Metadata 2 value").fill("seattle");
  }, "Save metadata");
  await page.getByRole("region", { name: "Metadata" }).getByRole("row", { name: /x-amz-meta-origin\s+seattle/ }).waitFor();
  const head = await suite.s3.send(new HeadObjectCommand({ Bucket: B, Key: "menu.txt" }));
  assert.equal(head.ContentType, "text/markdown");
  assert.equal(head.CacheControl, "max-age=60");
  assert.deepEqual(head.Metadata, { roaster: "kevin", origin: "seattle" });
  assert.ok(publicRead(await suite.s3.send(new GetObjectAclCommand({ Bucket: B, Key: "menu.txt" }))), "the copy kept the public-read grant");

  // Tags.
  await page.getByRole("region", { name: "Tags" }).getByText("No tags.").waitFor();
  await dialogStep(page, "Edit tags", "Edit tags", async (d) => {
    await d.getByRole("button", { name: "Add tag" }).click();
    await d.getByLabel("Tag 1 key").fill("team");
    await d.getByLabel("Tag 1 value").fill("coffee");
  }, "Save tags");
  await page.getByRole("region", { name: "Tags" }).getByRole("row", { name: /team\s+coffee/ }).waitFor();
  assert.deepEqual((await suite.s3.send(new GetObjectTaggingCommand({ Bucket: B, Key: "menu.txt" }))).TagSet, [{ Key: "team", Value: "coffee" }]);
  // S3's own validation error shows in the dialog (a tag key has at most 128 characters).
  await page.getByRole("button", { name: "Edit tags" }).click();
  const d = page.getByRole("dialog", { name: "Edit tags" });
  await d.getByLabel("Tag 1 key").fill("k".repeat(129));
  await d.getByRole("button", { name: "Save tags" }).click();
  await d.getByRole("alert").getByText("InvalidTag").waitFor();
  await d.getByRole("button", { name: "Cancel" }).click();
  await suite.shot(page, "s3-object-meta");
  assert.doesNotMatch(await page.locator("main").innerText(), /^null$/m, "no stray null on the page");

  // A bucket with ACLs disabled: no ACL editor, a link to Object Ownership instead.
  await suite.s3.send(new CreateBucketCommand({ Bucket: "acls-off" }));
  await put("acls-off", "x.txt", "x");
  await page.goto(`${suite.server.endpoint}/_localaws/console#/s3/o/acls-off/x.txt`);
  const off = page.getByRole("region", { name: "Permissions" });
  await off.getByText("ACLs are disabled for this bucket", { exact: false }).waitFor();
  assert.equal(await page.getByRole("button", { name: "Edit ACL" }).count(), 0);
  await off.getByRole("link", { name: /Change Object Ownership/ }).click();
  await page.getByRole("heading", { name: "Object Ownership" }).waitFor();
  await page.waitForFunction(() => document.activeElement?.id === "h-ownership");
  assert.deepEqual(pageErrors, []);
  const ops = await suite.ops();
  assert.ok(!ops.some((o, i) => o === "PutObjectAcl" && i > ops.lastIndexOf("CreateBucket")), "no ACL call on the ACL-less bucket");
}));

test("versions: the folder toggle, an object's versions, restore and delete one version", suite.run("versions", async () => {
  const B = "versioned-shop";
  await suite.s3.send(new CreateBucketCommand({ Bucket: B }));
  await suite.s3.send(new PutBucketVersioningCommand({ Bucket: B, VersioningConfiguration: { Status: "Enabled" } }));
  const v1 = (await put(B, "menu.txt", "version one", { ContentType: "text/plain" })).VersionId;
  const v2 = (await put(B, "menu.txt", "version two", { ContentType: "text/plain" })).VersionId;
  await put(B, "gone.txt", "soon deleted");
  await suite.s3.send(new DeleteObjectCommand({ Bucket: B, Key: "gone.txt" }));

  const { page, pageErrors } = await suite.open(`#/s3/b/${B}/`);
  await page.getByRole("link", { name: "menu.txt" }).waitFor();
  assert.equal(await page.getByRole("link", { name: "gone.txt" }).count(), 0, "a deleted key is hidden without versions");
  await page.getByLabel("Show versions").check();
  await page.getByRole("columnheader", { name: "Version ID" }).waitFor();
  await page.getByRole("row", { name: new RegExp(`gone\\.txt.*Delete marker`) }).waitFor();
  assert.equal(await page.getByRole("row", { name: /menu\.txt/ }).count(), 2);
  await page.getByRole("row", { name: new RegExp(v1) }).waitFor();

  // The object page lists both; restore v1 (a copy onto the key), then delete v2 for good.
  await page.goto(`${suite.server.endpoint}/_localaws/console#/s3/o/${B}/menu.txt`);
  const versions = page.getByRole("region", { name: "Versions" });
  await versions.getByRole("row", { name: new RegExp(`${v2}.*\\(latest\\)`) }).waitFor();
  await dialogStep(page, `Restore version ${v1}`, "Restore version", async () => {}, "Restore");
  await page.getByLabel("Preview of menu.txt").getByText("version one").waitFor();
  assert.equal(await streamText((await suite.s3.send(new GetObjectCommand({ Bucket: B, Key: "menu.txt" }))).Body), "version one");
  await dialogStep(page, `Delete version ${v2}`, "Delete version", async () => {}, "Delete");
  await page.getByRole("region", { name: "Versions" }).getByRole("row").nth(3).waitFor({ state: "detached" }).catch(() => {});
  const listed = (await suite.s3.send(new ListObjectVersionsCommand({ Bucket: B, Prefix: "menu.txt" }))).Versions.map((v) => v.VersionId);
  assert.equal(listed.length, 2);
  assert.ok(!listed.includes(v2) && listed.includes(v1));
  await page.getByRole("region", { name: "Versions" }).getByRole("row", { name: new RegExp(v1) }).waitFor();
  assert.equal(await page.getByRole("region", { name: "Versions" }).getByRole("row", { name: new RegExp(v2) }).count(), 0);

  // A key whose latest version is a delete marker: its page offers the versions to restore.
  await page.goto(`${suite.server.endpoint}/_localaws/console#/s3/o/${B}/gone.txt`);
  await page.getByText("This key has no current version", { exact: false }).waitFor();
  const old = (await suite.s3.send(new ListObjectVersionsCommand({ Bucket: B, Prefix: "gone.txt" }))).Versions[0].VersionId;
  await dialogStep(page, `Restore version ${old}`, "Restore version", async () => {}, "Restore");
  await page.getByRole("region", { name: "Versions" }).getByRole("row", { name: /\(latest\)/ }).waitFor();
  assert.equal(await streamText((await suite.s3.send(new GetObjectCommand({ Bucket: B, Key: "gone.txt" }))).Body), "soon deleted");
  await suite.shot(page, "s3-versions");
  assert.deepEqual(pageErrors, []);
}));
