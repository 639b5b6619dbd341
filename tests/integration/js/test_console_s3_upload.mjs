// Console uploads in headless Chromium: files and folders dropped or chosen (keys keep their
// relative paths under the current prefix), an error shown on the file it concerns with its bar
// back at 0, and Cancel aborting a single PUT and a multipart upload (AbortMultipartUpload).
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CreateBucketCommand, GetObjectCommand, HeadObjectCommand, ListMultipartUploadsCommand, ListObjectsV2Command,
  PutBucketPolicyCommand, PutObjectCommand,
} from "@aws-sdk/client-s3";
import { rejectsWith } from "./support.mjs";
import { consoleSuite, streamText } from "./console_s3_support.mjs";

const suite = consoleSuite("console-s3-upload");
const keys = async (Bucket) => ((await suite.s3.send(new ListObjectsV2Command({ Bucket }))).Contents || []).map((c) => c.Key).sort();

test("drop files and folders on the folder view; choose a folder: keys keep relative paths", suite.run("drop", async () => {
  const B = "drop-zone";
  await suite.s3.send(new CreateBucketCommand({ Bucket: B }));
  await suite.s3.send(new PutObjectCommand({ Bucket: B, Key: "photos/", Body: "" }));
  const { page, pageErrors } = await suite.open(`#/s3/b/${B}/${encodeURIComponent("photos/")}`);
  await page.getByRole("heading", { name: "photos/" }).waitFor();
  // A drop of a file and a folder tree, as the browser hands it over (DataTransferItem entries).
  await page.evaluate(() => {
    const file = (name, text) => new File([text], name, { type: "text/plain" });
    const fileEntry = (f) => ({ isFile: true, isDirectory: false, name: f.name, file: (ok) => ok(f) });
    // readEntries answers in batches until an empty one: two batches here.
    const dirEntry = (name, kids) => ({
      isFile: false, isDirectory: true, name,
      createReader: () => { let call = 0; return { readEntries: (ok) => { call += 1; ok(call === 1 ? kids.slice(0, 1) : call === 2 ? kids.slice(1) : []); } }; },
    });
    const entries = [fileEntry(file("top.txt", "top")),
      dirEntry("album", [fileEntry(file("a.txt", "a")), dirEntry("sub", [fileEntry(file("b.txt", "b"))]), fileEntry(file("c.txt", "c"))])];
    const dt = { types: ["Files"], items: entries.map((e) => ({ kind: "file", webkitGetAsEntry: () => e })), files: [] };
    const area = document.querySelector(".drop-area");
    for (const type of ["dragover", "drop"]) {
      const ev = new Event(type, { bubbles: true, cancelable: true });
      Object.defineProperty(ev, "dataTransfer", { value: dt });
      area.dispatchEvent(ev);
    }
  });
  const dialog = page.getByRole("dialog", { name: "Upload" });
  await dialog.getByRole("cell", { name: "photos/album/sub/b.txt" }).waitFor();
  assert.deepEqual(await dialog.locator("table.uploads tbody td:first-child").allInnerTexts(),
    ["photos/top.txt", "photos/album/a.txt", "photos/album/sub/b.txt", "photos/album/c.txt"]);
  // Plain files dropped on the dialog's own drop zone (no entries: DataTransfer.files).
  await dialog.locator(".drop-zone").evaluate((zone) => {
    const dt = new DataTransfer();
    dt.items.add(new File(["d"], "d.txt", { type: "text/plain" }));
    zone.dispatchEvent(new DragEvent("drop", { bubbles: true, cancelable: true, dataTransfer: dt }));
  });
  await dialog.getByRole("cell", { name: "photos/d.txt" }).waitFor();
  await suite.shot(page, "upload-dropped");
  await dialog.getByRole("button", { name: "Upload", exact: true }).click();
  await dialog.waitFor({ state: "detached" });
  assert.deepEqual(await keys(B), ["photos/", "photos/album/a.txt", "photos/album/c.txt", "photos/album/sub/b.txt", "photos/d.txt", "photos/top.txt"]);
  assert.equal(await streamText((await suite.s3.send(new GetObjectCommand({ Bucket: B, Key: "photos/album/sub/b.txt" }))).Body), "b");
  await page.getByRole("link", { name: "album/" }).waitFor();

  // A folder chosen with the folder picker (webkitdirectory).
  const dir = mkdtempSync(join(tmpdir(), "console-folder-"));
  mkdirSync(join(dir, "menus", "winter"), { recursive: true });
  writeFileSync(join(dir, "menus", "index.txt"), "index");
  writeFileSync(join(dir, "menus", "winter", "hot.txt"), "cocoa");
  try {
    await page.getByRole("button", { name: "Upload", exact: true }).click();
    const d2 = page.getByRole("dialog", { name: "Upload" });
    // The bucket has ACLs disabled: public read is not offered.
    await d2.getByText("ACLs are disabled for this bucket", { exact: false }).waitFor();
    assert.ok(await d2.getByLabel(/Grant public read access/).isDisabled());
    await d2.getByLabel("Folder", { exact: true }).setInputFiles(join(dir, "menus"));
    await d2.getByRole("cell", { name: "photos/menus/winter/hot.txt" }).waitFor();
    await d2.getByRole("button", { name: "Upload", exact: true }).click();
    await d2.waitFor({ state: "detached" });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  // The list behind is redrawn in place, and focus is back on Upload.
  await page.getByRole("link", { name: "menus/" }).waitFor();
  await page.waitForFunction(() => document.activeElement?.textContent === "Upload");
  const all = await keys(B);
  assert.ok(all.includes("photos/menus/index.txt") && all.includes("photos/menus/winter/hot.txt"), all.join(", "));
  assert.deepEqual(pageErrors, []);
}));

test("a refused upload shows S3's error on its file, its bar back at 0; the others succeed", suite.run("refused", async () => {
  const B = "half-refused";
  await suite.s3.send(new CreateBucketCommand({ Bucket: B }));
  await suite.s3.send(new PutBucketPolicyCommand({
    Bucket: B,
    Policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Deny", Principal: "*", Action: "s3:PutObject", Resource: `arn:aws:s3:::${B}/secret.bin` }] }),
  }));
  const { page } = await suite.open(`#/s3/b/${B}/`);
  await page.getByRole("button", { name: "Upload", exact: true }).click();
  const dialog = page.getByRole("dialog", { name: "Upload" });
  await dialog.getByLabel("Files").setInputFiles([
    { name: "ok.txt", mimeType: "text/plain", buffer: Buffer.from("fine") },
    { name: "secret.bin", mimeType: "application/octet-stream", buffer: Buffer.alloc(2 * 1024 * 1024, 7) }]);
  await dialog.getByRole("button", { name: "Upload", exact: true }).click();
  const failed = dialog.getByRole("row", { name: /secret\.bin/ });
  await failed.getByText("AccessDenied").waitFor();
  await dialog.getByRole("alert").getByText("Uploaded 1 of 2 file(s); 1 failed", { exact: false }).waitFor();
  assert.equal(await failed.getByRole("progressbar").evaluate((p) => p.value), 0, "a failed upload's bar is not left at 100%");
  assert.equal(await dialog.getByRole("row", { name: /ok\.txt/ }).getByRole("progressbar").evaluate((p) => p.value), 100);
  await dialog.getByRole("row", { name: /ok\.txt/ }).getByText("Uploaded").waitFor();
  assert.ok((await dialog.getByLabel("Progress", { exact: true }).evaluate((p) => p.value)) < 100, "the total is not 100% either");
  await suite.shot(page, "upload-refused");
  await suite.s3.send(new HeadObjectCommand({ Bucket: B, Key: "ok.txt" }));
  await rejectsWith(suite.s3.send(new HeadObjectCommand({ Bucket: B, Key: "secret.bin" })), "NotFound");
  // The list behind the dialog already shows what did arrive.
  await page.getByRole("link", { name: "ok.txt" }).waitFor();
}));

test("Cancel aborts the transfer: a PUT and a multipart upload (AbortMultipartUpload)", suite.run("cancel", async () => {
  const B = "cancel-me";
  await suite.s3.send(new CreateBucketCommand({ Bucket: B }));
  const dir = mkdtempSync(join(tmpdir(), "console-big-"));
  writeFileSync(join(dir, "big.bin"), Buffer.alloc(40 * 1024 * 1024, 1)); // 5 parts of 8 MiB
  writeFileSync(join(dir, "mid.bin"), Buffer.alloc(12 * 1024 * 1024, 2)); // one PUT
  try {
    const { context, page } = await suite.open(`#/s3/b/${B}/`);
    // A slow uplink, so the transfers are still running when Cancel is pressed.
    const cdp = await context.newCDPSession(page);
    await cdp.send("Network.enable");
    await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: 6 * 1024 * 1024 });
    await page.getByRole("button", { name: "Upload", exact: true }).click();
    const dialog = page.getByRole("dialog", { name: "Upload" });
    await dialog.getByLabel("Files").setInputFiles([join(dir, "big.bin"), join(dir, "mid.bin")]);
    await dialog.getByRole("button", { name: "Upload", exact: true }).click();
    const big = dialog.getByRole("row", { name: /big\.bin/ });
    const mid = dialog.getByRole("row", { name: /mid\.bin/ });
    // mid.bin started; big.bin past its first part (so parts exist on the server).
    await mid.getByRole("progressbar").evaluate((p) => new Promise((ok) => { const t = setInterval(() => { if (p.value > 0) { clearInterval(t); ok(); } }, 20); }));
    await mid.getByRole("button", { name: "Cancel mid.bin" }).click();
    await mid.getByText("Cancelled").waitFor();
    await big.getByRole("progressbar").evaluate((p) => new Promise((ok) => { const t = setInterval(() => { if (p.value > 25) { clearInterval(t); ok(); } }, 20); }), null, { timeout: 20000 });
    const during = await suite.s3.send(new ListMultipartUploadsCommand({ Bucket: B }));
    assert.equal(during.Uploads?.length, 1, "a multipart upload is in progress");
    await big.getByRole("button", { name: "Cancel big.bin" }).click();
    await big.getByText("Cancelled").waitFor();
    assert.equal(await big.getByRole("progressbar").evaluate((p) => p.value), 0);
    await dialog.getByRole("alert").getByText("2 cancelled", { exact: false }).waitFor();
    await suite.shot(page, "upload-cancelled");
    // AbortMultipartUpload ran; nothing was stored; no part keeps going after Cancel.
    for (let i = 0; i < 50 && ((await suite.s3.send(new ListMultipartUploadsCommand({ Bucket: B }))).Uploads || []).length; i += 1) {
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.deepEqual((await suite.s3.send(new ListMultipartUploadsCommand({ Bucket: B }))).Uploads || [], []);
    assert.deepEqual(await keys(B), []);
    const ops = await suite.ops();
    assert.ok(ops.includes("CreateMultipartUpload") && ops.includes("AbortMultipartUpload"), ops.slice(-10).join(", "));
    assert.ok(!ops.includes("CompleteMultipartUpload"));
    const parts = ops.filter((o) => o === "UploadPart").length;
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal((await suite.ops()).filter((o) => o === "UploadPart").length, parts, "no part is sent after Cancel");
    await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
    // Upload again: the cancelled files go this time (big.bin as a multipart upload).
    await dialog.getByRole("button", { name: "Upload", exact: true }).click();
    await dialog.waitFor({ state: "detached", timeout: 30000 });
    const head = await suite.s3.send(new HeadObjectCommand({ Bucket: B, Key: "big.bin" }));
    assert.equal(head.ContentLength, 40 * 1024 * 1024);
    assert.match(head.ETag, /-5"$/, "big.bin went in 5 parts");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}));
