// The web console in headless Chromium: the book's S3 steps, deleting objects and buckets, a wrong
// secret key, a DynamoDB item's life, and the create-bucket dialog by keyboard alone. Every step goes through the console's real, signed S3 and
// DynamoDB calls; the SDK then checks what the server actually stored.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { DynamoDBClient, GetItemCommand } from "@aws-sdk/client-dynamodb";
import {
  S3Client, CreateBucketCommand, DeletePublicAccessBlockCommand, GetBucketOwnershipControlsCommand, GetPublicAccessBlockCommand,
  HeadBucketCommand, HeadObjectCommand, PutBucketPolicyCommand,
} from "@aws-sdk/client-s3";
import { startLocalaws } from "./support.mjs";
import { browserSuite, dialogStep, journalOps } from "./browser_support.mjs";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
const GRAPH = join(ROOT, "fixtures", "graph.jpg");
const BUCKET = "kevintruvu.coffeeshopranker";

// Chromium for the file; screenshots go to LOCALAWS_SCREENSHOTS (kept), or to a temp dir that is
// kept only when a test failed (its path is printed).
const ui = browserSuite("localaws-console", { announce: true });

let server, s3, dynamo;

before(async () => {
  server = await startLocalaws();
  const clientOpts = { endpoint: server.endpoint, region: server.region, credentials: server.credentials, maxAttempts: 1 };
  s3 = new S3Client({ ...clientOpts, forcePathStyle: true });
  dynamo = new DynamoDBClient(clientOpts);
});

after(async () => {
  s3?.destroy();
  dynamo?.destroy();
  await server?.stop();
});

// A fresh page; requests leaving for anywhere but the emulator fail the test (no CDN, no fonts).
const openConsole = (hash = "#/s3") => ui.openConsole(server.endpoint, hash, { viewport: { width: 1280, height: 860 } });

// Runs a test body; on failure, a screenshot of every open page shows where it stopped.
const withShots = ui.guard;

const createFolder = (page, name) => dialogStep(page, "Create folder", "Create folder",
  (d) => d.getByLabel("Folder name").fill(name));

const shot = (page, name) => ui.shots.shot(page, name);

test("the book's steps: bucket with ACLs and public access, Test Folder, public graph.jpg, its object URL", () => withShots("book", async () => {
  const { context, page, outside, pageErrors } = await openConsole("#/s3");
  await page.getByRole("heading", { name: "Buckets" }).waitFor();

  // Create the bucket with ACLs enabled and Block Public Access off.
  await dialogStep(page, "Create bucket", "Create bucket", async (dialog) => {
    await dialog.getByLabel("Bucket name").fill(BUCKET);
    await dialog.getByLabel("ACLs enabled: bucket owner preferred").check();
    await dialog.getByLabel("Block all public access").uncheck();
    await dialog.getByLabel(/I acknowledge/).check();
    await shot(page, "01-create-bucket");
  });
  const row = page.getByRole("row", { name: new RegExp(BUCKET.replace(/\./g, "\\.")) });
  await row.getByRole("link", { name: BUCKET }).waitFor();
  await s3.send(new HeadBucketCommand({ Bucket: BUCKET }));
  await row.getByText("Objects can be public").waitFor();
  assert.equal((await row.locator("td.access").innerText()).trim(), "Objects can be public");
  // The badge leads to the Permissions tab's Block Public Access section.
  assert.match(await row.getByRole("link", { name: "Objects can be public" }).getAttribute("href"), /#\/s3\/permissions\/kevintruvu\.coffeeshopranker\/public-access$/);
  await shot(page, "02-buckets");

  // Create "Test Folder".
  await row.getByRole("link", { name: BUCKET }).click();
  await page.getByRole("heading", { name: BUCKET }).waitFor();
  await createFolder(page, "Test Folder");
  await page.getByRole("link", { name: "Test Folder/" }).click();
  await page.getByRole("heading", { name: "Test Folder/" }).waitFor();
  const crumbs = page.getByRole("navigation", { name: "Breadcrumb" });
  assert.deepEqual(await crumbs.getByRole("listitem").allInnerTexts(), ["Buckets", BUCKET, "Test Folder"]);

  // Upload graph.jpg with public read.
  await dialogStep(page, "Upload", "Upload", async (dialog) => {
    await dialog.getByLabel("Files").setInputFiles(GRAPH);
    await dialog.getByLabel(/Grant public read access/).check();
    await shot(page, "03-upload");
  });
  await shot(page, "04-folder");

  // The object overview.
  await page.getByRole("link", { name: "graph.jpg" }).click();
  await page.getByRole("heading", { name: "graph.jpg" }).waitFor();
  const bytes = readFileSync(GRAPH);
  const props = page.locator("dl.props");
  await props.getByText("Entity tag (ETag)").waitFor();
  const value = async (label) => (await props.locator(`dt:text-is("${label}") + dd`).innerText()).trim();
  assert.equal(await value("Entity tag (ETag)"), createHash("md5").update(bytes).digest("hex"));
  assert.match(await value("Size"), new RegExp(`\\(${statSync(GRAPH).size} bytes\\)`));
  assert.equal(await value("Type"), "image/jpeg");
  assert.equal(await value("Key"), "Test Folder/graph.jpg");
  assert.notEqual(await value("Last modified"), "");
  const url = `${server.endpoint}/${BUCKET}/Test+Folder/graph.jpg`;
  assert.equal(await value("Object URL"), url);
  await page.getByRole("img", { name: "Preview of graph.jpg" }).waitFor();
  await shot(page, "05-object-overview");
  // Permissions come from GetObjectAcl: the owner and everyone's READ (issue 4).
  assert.notEqual(await value("Owner"), "unknown", "GetObjectAcl must name the owner");
  await page.getByRole("row", { name: /Everyone \(public access\)\s+READ/ }).waitFor();

  // Follow the object URL into a new tab: a plain browser GET, no credentials. The image must load.
  const [tab, response] = await Promise.all([
    context.waitForEvent("page"),
    context.waitForEvent("response", (r) => r.url() === url),
    props.getByRole("link", { name: url }).click(),
  ]);
  await tab.waitForLoadState("load");
  assert.equal(response.status(), 200, `anonymous GET of the object URL answered ${response.status()}`);
  assert.equal(response.request().headers().authorization, undefined);
  assert.equal(response.headers()["content-type"], "image/jpeg");
  const width = await tab.evaluate(() => document.images[0]?.naturalWidth ?? 0);
  assert.ok(width > 0, "the image shows in the browser");
  await shot(tab, "06-object-url");

  assert.deepEqual(outside, [], "the console fetched nothing from the network");
  assert.deepEqual(pageErrors, []);
  const ops = await journalOps(server.endpoint);
  for (const op of ["CreateBucket", "PutPublicAccessBlock", "PutObject", "ListObjectsV2", "HeadObject", "GetObjectAcl", "GetObject"]) {
    assert.ok(ops.includes(op), `the journal shows ${op}`);
  }
}));

test("S3: delete objects, folders and buckets; errors show S3's code", () => withShots("s3-delete", async () => {
  const { page, pageErrors } = await openConsole("#/s3");
  await dialogStep(page, "Create bucket", "Create bucket", (d) => d.getByLabel("Bucket name").fill("delete-me"));
  await page.getByRole("link", { name: "delete-me", exact: true }).click();
  await page.getByRole("heading", { name: "delete-me" }).waitFor();
  await createFolder(page, "photos");
  await dialogStep(page, "Upload", "Upload", (d) => d.getByLabel("Files").setInputFiles([
    { name: "graph.jpg", mimeType: "image/jpeg", buffer: readFileSync(GRAPH) },
    { name: "notes.txt", mimeType: "text/plain", buffer: Buffer.from("hello") }]));
  await page.getByRole("link", { name: "notes.txt" }).waitFor();

  // A key with a space, a '+' and a non-ASCII letter: signed as sent, stored as typed, and its
  // object URL written as the AWS console writes it.
  await dialogStep(page, "Upload", "Upload", (d) => d.getByLabel("Files").setInputFiles(
    [{ name: "café menu+1.txt", mimeType: "text/plain", buffer: Buffer.from("menu") }]));
  await page.getByRole("link", { name: "café menu+1.txt" }).click();
  await page.locator("dl.props").getByText("Object URL").waitFor();
  assert.equal(await page.locator('dl.props dt:text-is("Object URL") + dd').innerText(),
    `${server.endpoint}/delete-me/caf%C3%A9+menu%2B1.txt`);
  await s3.send(new HeadObjectCommand({ Bucket: "delete-me", Key: "café menu+1.txt" }));

  // A bucket with objects cannot go: S3's BucketNotEmpty is shown.
  await page.getByRole("link", { name: "Buckets" }).click();
  await page.getByRole("button", { name: "Delete bucket delete-me" }).click();
  const confirm = page.getByRole("dialog", { name: "Delete bucket" });
  await confirm.getByRole("button", { name: "Delete bucket" }).click();
  await confirm.getByRole("alert").getByText("BucketNotEmpty").waitFor();
  await shot(page, "07-bucket-not-empty");
  await confirm.getByRole("button", { name: "Cancel" }).click();

  // Select the folder and the three files, delete them (DeleteObjects), then the bucket.
  await page.getByRole("link", { name: "delete-me", exact: true }).click();
  await page.getByLabel("Select folder photos/").check();
  await page.getByLabel("Select graph.jpg").check();
  await page.getByLabel("Select notes.txt").check();
  await page.getByLabel("Select café menu+1.txt").check();
  await dialogStep(page, "Delete selected", "Delete objects", async () => {}, "Delete");
  await page.getByText("No objects here yet.").waitFor();
  await page.getByRole("link", { name: "Buckets" }).click();
  await dialogStep(page, "Delete bucket delete-me", "Delete bucket", async () => {}, "Delete bucket");
  await assert.rejects(s3.send(new HeadBucketCommand({ Bucket: "delete-me" })), { name: "NotFound" });
  assert.deepEqual(pageErrors, []);
  const ops = await journalOps(server.endpoint);
  assert.ok(ops.includes("DeleteObjects") && ops.includes("DeleteBucket"));
}));

test("S3 access column: public by policy, objects can be public, not public", () => withShots("access", async () => {
  await s3.send(new CreateBucketCommand({ Bucket: "access-private" }));
  await s3.send(new CreateBucketCommand({ Bucket: "access-open", ObjectOwnership: "BucketOwnerPreferred" }));
  await s3.send(new DeletePublicAccessBlockCommand({ Bucket: "access-open" }));
  await s3.send(new CreateBucketCommand({ Bucket: "access-public" }));
  await s3.send(new DeletePublicAccessBlockCommand({ Bucket: "access-public" }));
  await s3.send(new PutBucketPolicyCommand({
    Bucket: "access-public",
    Policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:::access-public/*" }] }),
  }));
  const { page } = await openConsole("#/s3");
  const access = (bucket) => page.getByRole("row", { name: new RegExp(`^${bucket} `) }).locator("td.access .badge");
  await access("access-private").getByText("Bucket and objects not public").waitFor();
  await access("access-open").getByText("Objects can be public").waitFor();
  await access("access-public").getByText("Public", { exact: true }).waitFor();
  await shot(page, "09-access-column");
}));

test("settings: a wrong secret key gets S3's SignatureDoesNotMatch (the console really signs)", () => withShots("settings", async () => {
  const { page } = await openConsole("#/s3");
  await page.getByRole("heading", { name: "Buckets" }).waitFor();
  await dialogStep(page, "Settings", "Settings", (d) => d.getByLabel("Secret access key").fill("not-the-secret"), "Save");
  await page.getByRole("alert").getByText("SignatureDoesNotMatch").waitFor();
  await shot(page, "08-wrong-secret");
  await dialogStep(page, "Settings", "Settings", (d) => d.getByLabel("Secret access key").fill("test"), "Save");
  // The list fills (with buckets or "No buckets yet.") only once ListBuckets succeeds.
  await page.locator("table.list tbody tr").first().waitFor();
  assert.equal(await page.getByRole("alert").isVisible(), false);
}));

test("DynamoDB: create a table, add, edit, query and delete an item", () => withShots("dynamodb", async () => {
  const { page, outside, pageErrors } = await openConsole("#/dynamodb");
  await page.getByRole("heading", { name: "Tables" }).waitFor();

  await dialogStep(page, "Create table", "Create table", async (dialog) => {
    await dialog.getByLabel("Table name").fill("CoffeeShops");
    await dialog.getByRole("group", { name: "Partition key" }).getByLabel("Name").fill("City");
    await dialog.getByRole("group", { name: "Sort key (optional)" }).getByLabel("Name").fill("Shop");
  });
  const row = page.getByRole("row", { name: /CoffeeShops/ });
  await row.getByText("City (S)").waitFor();
  await row.getByText("Shop (S)").waitFor();
  await row.getByText("On-demand").waitFor();

  // Creating it again shows DynamoDB's error code and message in the dialog.
  await page.getByRole("button", { name: "Create table" }).click();
  let dialog = page.getByRole("dialog", { name: "Create table" });
  await dialog.getByLabel("Table name").fill("CoffeeShops");
  await dialog.getByRole("group", { name: "Partition key" }).getByLabel("Name").fill("City");
  await dialog.getByRole("button", { name: "Create table" }).click();
  await dialog.getByRole("alert").getByText("ResourceInUseException").waitFor();
  await shot(page, "10-ddb-error");
  await dialog.getByRole("button", { name: "Cancel" }).click();

  await row.getByRole("link", { name: "CoffeeShops" }).click();
  await page.getByRole("heading", { name: "CoffeeShops" }).waitFor();
  await page.getByText("No items.").waitFor();

  // Add an item; a malformed one is refused before any call.
  await page.getByRole("button", { name: "Add item" }).click();
  dialog = page.getByRole("dialog", { name: "Add item" });
  const text = dialog.getByLabel("Item (DynamoDB JSON)");
  await text.fill('{"City": {"S": "Seattle"}, "Shop": {"S": "Blue Bottle"}, "Rating": {"X": "4"}}');
  await dialog.getByRole("button", { name: "Create item" }).click();
  await dialog.getByRole("alert").getByText('Rating: unknown type "X"', { exact: false }).waitFor();
  await text.fill('{"City": {"S": "Seattle"}, "Shop": {"S": "Blue Bottle"}, "Rating": {"N": "4"}}');
  await dialog.getByRole("button", { name: "Create item" }).click();
  await dialog.waitFor({ state: "detached" });
  const key = { City: { S: "Seattle" }, Shop: { S: "Blue Bottle" } };
  assert.deepEqual((await dynamo.send(new GetItemCommand({ TableName: "CoffeeShops", Key: key }))).Item.Rating, { N: "4" });

  // Edit it.
  await dialogStep(page, "Edit item Seattle / Blue Bottle", "Edit item", async (d) => {
    const edited = JSON.parse(await d.getByLabel("Item (DynamoDB JSON)").inputValue());
    assert.deepEqual(edited, { ...key, Rating: { N: "4" } });
    edited.Rating = { N: "4.5" };
    edited.Tags = { SS: ["espresso", "pour-over"] };
    await d.getByLabel("Item (DynamoDB JSON)").fill(JSON.stringify(edited, null, 2));
    await shot(page, "11-ddb-edit");
  }, "Save changes");
  const stored = (await dynamo.send(new GetItemCommand({ TableName: "CoffeeShops", Key: key }))).Item;
  assert.deepEqual(stored.Rating, { N: "4.5" });
  assert.deepEqual(stored.Tags.SS.sort(), ["espresso", "pour-over"]);

  // A second item, then a query by partition key and sort key prefix finds only the first.
  await dialogStep(page, "Add item", "Add item",
    (d) => d.getByLabel("Item (DynamoDB JSON)").fill('{"City": {"S": "Seattle"}, "Shop": {"S": "Victrola"}}'), "Create item");
  await page.getByLabel("Query by key").check();
  await page.getByLabel("Partition key: City (S)").fill("Seattle");
  await page.getByLabel("Sort key condition: Shop (S)").selectOption("begins_with");
  await page.getByLabel("Sort key value").fill("Blue");
  await page.getByRole("button", { name: "Run" }).click();
  await page.getByText("Page 1: 1 item(s).").waitFor();
  const cells = page.locator("table.items tbody tr").first().locator("td");
  assert.deepEqual((await cells.allInnerTexts()).slice(0, 3), ["Seattle", "Blue Bottle", "4.5"]);
  assert.equal(await page.getByRole("button", { name: "Next page" }).isVisible(), false);
  await shot(page, "12-ddb-query");

  // Scan page by page (Limit 1): two pages.
  await page.getByLabel("Scan the table").check();
  await page.getByLabel("Items per page (Limit)").fill("1");
  await page.getByRole("button", { name: "Run" }).click();
  await page.getByText("Page 1: 1 item(s), more after this page.").waitFor();
  await page.getByRole("button", { name: "Next page" }).click();
  await page.getByText(/^Page 2: /).waitFor();

  // Delete the first item.
  await page.getByLabel("Items per page (Limit)").fill("25");
  await page.getByRole("button", { name: "Run" }).click();
  await page.getByText("Page 1: 2 item(s).").waitFor();
  await dialogStep(page, "Delete item Seattle / Blue Bottle", "Delete item", async () => {}, "Delete item");
  await page.getByText("Page 1: 1 item(s).").waitFor();
  assert.equal((await dynamo.send(new GetItemCommand({ TableName: "CoffeeShops", Key: key }))).Item, undefined);
  await page.getByText(/Items: 1\.$/).waitFor();

  assert.deepEqual(outside, []);
  assert.deepEqual(pageErrors, []);
  const ops = await journalOps(server.endpoint);
  for (const op of ["CreateTable", "PutItem", "Query", "Scan", "DeleteItem"]) assert.ok(ops.includes(op), `the journal shows ${op}`);
}));

test("keyboard only: the create-bucket dialog", () => withShots("keyboard", async () => {
  const { page } = await openConsole("#/s3");
  await page.getByRole("heading", { name: "Buckets" }).waitFor();
  const focused = () => page.evaluate(() => {
    const el = document.activeElement;
    return `${el.tagName.toLowerCase()}:${el.getAttribute("aria-label") || el.textContent.trim() || el.id}`;
  });
  // Tab from the top of the page to the button (bounded: it is the fifth stop).
  let reached = false;
  for (let i = 0; i < 15 && !reached; i += 1) {
    await page.keyboard.press("Tab");
    reached = (await focused()) === "button:Create bucket";
  }
  assert.ok(reached, "Tab reaches Create bucket");
  await page.keyboard.press("Enter");
  const dialog = page.getByRole("dialog", { name: "Create bucket" });
  await dialog.waitFor();
  assert.equal(await page.evaluate(() => document.activeElement.name), "bucket", "focus starts in the name field");
  await page.keyboard.type("keyboard-bucket");
  await page.keyboard.press("Tab"); // the ownership radio group
  await page.keyboard.press("ArrowDown"); // ACLs enabled: bucket owner preferred
  await page.keyboard.press("ArrowDown"); // ACLs enabled: object writer
  assert.equal(await page.evaluate(() => document.activeElement.value), "ObjectWriter");
  await page.keyboard.press("Tab"); // Block all public access
  await page.keyboard.press("Space");
  await page.keyboard.press("Tab"); // the acknowledgement appears after unchecking
  await page.keyboard.press("Space");
  assert.equal(await page.evaluate(() => document.activeElement.id), "ack-public");
  // The focus ring is visible on what has focus.
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  assert.equal(outline, "solid");
  await shot(page, "20-keyboard-dialog");
  await page.keyboard.press("Tab"); // Cancel
  await page.keyboard.press("Tab"); // Create bucket
  assert.equal(await focused(), "button:Create bucket");
  await page.keyboard.press("Enter");
  await dialog.waitFor({ state: "detached" });
  assert.equal(await focused(), "button:Create bucket", "focus returns to the button that opened the dialog");
  await page.getByRole("link", { name: "keyboard-bucket" }).waitFor();
  await s3.send(new HeadBucketCommand({ Bucket: "keyboard-bucket" }));
  // What the dialog chose reached the server (ownership controls and public access block: issue 4).
  const oc = await s3.send(new GetBucketOwnershipControlsCommand({ Bucket: "keyboard-bucket" }));
  assert.equal(oc.OwnershipControls.Rules[0].ObjectOwnership, "ObjectWriter");
  const pab = await s3.send(new GetPublicAccessBlockCommand({ Bucket: "keyboard-bucket" }));
  assert.deepEqual(pab.PublicAccessBlockConfiguration,
    { BlockPublicAcls: false, IgnorePublicAcls: false, BlockPublicPolicy: false, RestrictPublicBuckets: false });

  // Escape closes a dialog without creating anything.
  await page.keyboard.press("Enter");
  await dialog.waitFor();
  await page.keyboard.press("Escape");
  await dialog.waitFor({ state: "detached" });
}));
