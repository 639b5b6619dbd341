// The console's request log (#/requests, issue 20) in headless Chromium: calls appear live (the
// console's own, the JS SDK's, boto3's), server-side filters, an entry's details (status,
// duration, headers and body as sent, injected fault), and "Copy as aws CLI" built from the
// journal alone: the copied commands, run with the real aws CLI, redo the calls (a PutItem writes
// the item again, exactly; S3 CreateBucket, PutObject, PutObjectTagging, PutBucketVersioning
// too), whoever made them. With --control-token the page asks for the token.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { CreateTableCommand, DeleteItemCommand, DeleteTableCommand, DescribeTableCommand, DynamoDBClient, GetItemCommand } from "@aws-sdk/client-dynamodb";
import { DeleteBucketCommand, DeleteObjectCommand, DeleteObjectTaggingCommand, GetBucketOwnershipControlsCommand, GetBucketVersioningCommand,
  GetObjectTaggingCommand, GetPublicAccessBlockCommand, HeadObjectCommand, PutBucketVersioningCommand, S3Client } from "@aws-sdk/client-s3";
import { startLocalaws } from "./support.mjs";
import { browserSuite } from "./browser_support.mjs";

const run = promisify(execFile);
const ui = browserSuite("localaws-console-log");
let server, dynamo, s3;

before(async () => {
  server = await startLocalaws();
  const opts = { endpoint: server.endpoint, region: server.region, credentials: server.credentials, maxAttempts: 1 };
  dynamo = new DynamoDBClient(opts);
  s3 = new S3Client({ ...opts, forcePathStyle: true });
});

after(async () => {
  dynamo?.destroy();
  s3?.destroy();
  await server?.stop();
});

// Nothing but `endpoint` may be fetched (not even data: URLs); the page may use the clipboard.
const openConsole = (endpoint, hash) => ui.openConsole(endpoint, hash,
  { viewport: { width: 1280, height: 900 }, permissions: ["clipboard-read", "clipboard-write"], schemes: [] });
const withShots = ui.guard;

// Runs a copied command line in sh with the test credentials (the command carries none).
async function shell(command) {
  const env = { ...process.env, AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test", AWS_DEFAULT_REGION: "us-east-1",
    AWS_CONFIG_FILE: "/dev/null", AWS_SHARED_CREDENTIALS_FILE: "/dev/null", AWS_PAGER: "" };
  const { stdout } = await run("sh", ["-c", command], { env, timeout: 30000 });
  return stdout;
}

// Waits until the log has loaded what its filters ask for (the table is aria-busy meanwhile).
async function settled(page) {
  await page.locator('table.requests[aria-busy="false"]').waitFor();
}

// Runs a Python snippet with boto3 clients `s3` and `ddb` for this server: a call no browser made.
async function boto3(code) {
  const prelude = `import boto3\nkw = dict(endpoint_url=${JSON.stringify(server.endpoint)}, region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test")\ns3 = boto3.client("s3", **kw)\nddb = boto3.client("dynamodb", **kw)\n`;
  await run("python3", ["-c", prelude + code], { timeout: 30000 });
}

// Opens the entry of the newest request of `operation` shown and returns its copied CLI command.
async function copyCommand(page, operation) {
  await page.getByLabel("Operation").fill(operation);
  await settled(page);
  const row = page.locator("table.requests tbody tr:not(.detail)").filter({ has: page.getByRole("cell", { name: operation, exact: true }) }).first();
  await row.getByRole("button", { name: /^Details of / }).click();
  const detail = page.locator("table.requests tr.detail:not([hidden])").first();
  await detail.getByRole("button", { name: "Copy as aws CLI" }).click();
  await detail.getByText("Copied.").waitFor();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  assert.equal(copied, await detail.getByLabel("aws CLI command").innerText());
  await row.getByRole("button", { name: /^Details of / }).click(); // close it again
  return copied;
}

test("request log: live entries, filters, details and copy as aws CLI that really redoes the calls", () => withShots("log", async () => {
  await dynamo.send(new CreateTableCommand({ TableName: "cli-shops", BillingMode: "PAY_PER_REQUEST",
    AttributeDefinitions: [{ AttributeName: "id", AttributeType: "S" }], KeySchema: [{ AttributeName: "id", KeyType: "HASH" }] }));
  const { page, problems } = await openConsole(server.endpoint, "#/dynamodb/t/cli-shops");
  await page.getByText("No items.").waitFor();

  // An item through the console's editor: a 20-digit number, a nested map, a quote in a string.
  const item = { id: { S: "joe's" }, Big: { N: "12345678901234567890" }, Info: { M: { City: { S: "Seattle" }, Rating: { N: "4.5" } } } };
  await page.getByRole("button", { name: "Add item" }).click();
  const dialog = page.getByRole("dialog", { name: "Add item" });
  await dialog.getByLabel("Item (DynamoDB JSON)").fill(JSON.stringify(item));
  await dialog.getByRole("button", { name: "Create item" }).click();
  await dialog.waitFor({ state: "detached" });
  // S3 calls the console's own client makes (the S3 pages use the same aws.js).
  await page.evaluate(async () => {
    const { s3 } = await import("/_localaws/console/aws.js");
    await s3("CreateBucket", { method: "PUT", bucket: "cli-bucket", headers: { "x-amz-object-ownership": "BucketOwnerPreferred" } });
    await s3("PutObject", { method: "PUT", bucket: "cli-bucket", key: "Test Folder/", body: "" });
    const off = ["BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets"].map((n) => `<${n}>false</${n}>`).join("");
    await s3("PutPublicAccessBlock", { method: "PUT", bucket: "cli-bucket", query: { publicAccessBlock: "" }, checksum: true,
      body: `<PublicAccessBlockConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${off}</PublicAccessBlockConfiguration>` });
  });

  await page.getByRole("link", { name: "Requests" }).click();
  await page.getByRole("heading", { name: "Requests" }).waitFor();
  const opCells = () => page.locator("table.requests tbody tr:not(.detail):not(.none) td:nth-child(3)").allInnerTexts();
  await page.getByRole("cell", { name: "PutItem", exact: true }).waitFor();
  const ops = await opCells();
  for (const op of ["CreateTable", "DescribeTable", "Scan", "PutItem", "CreateBucket", "PutObject"]) assert.ok(ops.includes(op), `${op} in ${ops}`);
  assert.equal(ops[0], "PutPublicAccessBlock", "newest first");

  // Live: a call made now shows up without pressing Refresh; a refused one is an error.
  await assert.rejects(dynamo.send(new DescribeTableCommand({ TableName: "no-such-table" })));
  await page.getByRole("cell", { name: "DescribeTable", exact: true }).first().waitFor();
  await page.getByLabel("Status").selectOption("error");
  await settled(page);
  await page.locator("table.requests tbody tr.failed").getByRole("cell", { name: "DescribeTable", exact: true }).waitFor();
  assert.deepEqual(await opCells(), ["DescribeTable"]);
  await page.getByLabel("Status").selectOption("");
  await settled(page);

  // Filters: service, operation, bucket or table (a name seen goes to the server exactly).
  await page.getByLabel("Service", { exact: true }).selectOption("s3");
  await settled(page);
  assert.deepEqual(await opCells(), ["PutPublicAccessBlock", "PutObject", "CreateBucket"]);
  await page.getByLabel("Service", { exact: true }).selectOption("dynamodb");
  await page.getByLabel("Bucket or table").fill("cli-shops");
  await settled(page);
  const tableOps = await opCells();
  assert.ok(tableOps.includes("PutItem") && !tableOps.includes("CreateBucket"));
  await page.getByLabel("Bucket or table").fill("");
  await page.getByLabel("Service", { exact: true }).selectOption("");
  await settled(page);

  // An entry's details: status, duration, the headers and body as sent.
  await page.getByLabel("Operation").fill("PutItem");
  await settled(page);
  assert.deepEqual(await opCells(), ["PutItem"]);
  const toggle = page.getByRole("button", { name: /^Details of PutItem / });
  await toggle.click();
  assert.equal(await toggle.getAttribute("aria-expanded"), "true");
  const detail = page.locator("table.requests tr.detail:not([hidden])");
  await detail.locator('dt:text-is("Status") + dd').getByText("200").waitFor();
  assert.match(await detail.locator('dt:text-is("Duration") + dd').innerText(), /^\d+\.\d\d ms$/);
  assert.match(await detail.innerText(), /x-amz-target: DynamoDB_20120810\.PutItem/);
  assert.match(await detail.innerText(), /authorization: AWS4-HMAC-SHA256 Credential=test\/\d{8}\/us-east-1\/dynamodb\/aws4_request, SignedHeaders=[a-z0-9;-]+, Signature=REDACTED/);
  assert.match(await detail.locator("pre.body").innerText(), /"N": "12345678901234567890"/);
  await ui.shots.shot(page, "log-details");
  await toggle.click();

  // Copy the PutItem as a CLI command, delete the item, run the command: the item is back, exactly.
  const putItem = await copyCommand(page, "PutItem");
  assert.match(putItem, /^aws dynamodb put-item --table-name cli-shops --item '.*' --endpoint-url http:\/\/127\.0\.0\.1:\d+ --region us-east-1$/);
  await dynamo.send(new DeleteItemCommand({ TableName: "cli-shops", Key: { id: { S: "joe's" } } }));
  await shell(putItem);
  const back = (await dynamo.send(new GetItemCommand({ TableName: "cli-shops", Key: { id: { S: "joe's" } } }))).Item;
  assert.deepEqual(back, item);

  // A paged Scan goes whole (its Limit is a parameter the CLI hides), and reads what the console read.
  const scan = await copyCommand(page, "Scan");
  assert.match(scan, /--cli-input-json .* --no-paginate/);
  const scanned = JSON.parse(await shell(scan + " --output json"));
  assert.equal(scanned.Count, 1);
  assert.deepEqual(scanned.Items[0].Big, item.Big);

  // S3: the bucket with its object ownership, then the folder object.
  const createBucket = await copyCommand(page, "CreateBucket");
  assert.match(createBucket, /^aws s3api create-bucket --bucket cli-bucket --object-ownership BucketOwnerPreferred --endpoint-url /);
  const putObject = await copyCommand(page, "PutObject");
  // The browser sent the empty body as text/plain;charset=UTF-8: the command says so too.
  assert.match(putObject, /^aws s3api put-object --bucket cli-bucket --key 'Test Folder\/' --content-type 'text\/plain;charset=UTF-8' --endpoint-url /);
  const pab = await copyCommand(page, "PutPublicAccessBlock");
  assert.match(pab, /^aws s3api put-public-access-block --bucket cli-bucket --public-access-block-configuration BlockPublicAcls=false,IgnorePublicAcls=false,BlockPublicPolicy=false,RestrictPublicBuckets=false --endpoint-url /);
  await s3.send(new DeleteObjectCommand({ Bucket: "cli-bucket", Key: "Test Folder/" }));
  await s3.send(new DeleteBucketCommand({ Bucket: "cli-bucket" }));
  await shell(createBucket);
  await shell(putObject);
  await shell(pab);
  const block = (await s3.send(new GetPublicAccessBlockCommand({ Bucket: "cli-bucket" }))).PublicAccessBlockConfiguration;
  assert.deepEqual(block, { BlockPublicAcls: false, IgnorePublicAcls: false, BlockPublicPolicy: false, RestrictPublicBuckets: false });
  const oc = await s3.send(new GetBucketOwnershipControlsCommand({ Bucket: "cli-bucket" }));
  assert.equal(oc.OwnershipControls.Rules[0].ObjectOwnership, "BucketOwnerPreferred");
  assert.equal((await s3.send(new HeadObjectCommand({ Bucket: "cli-bucket", Key: "Test Folder/" }))).ContentLength, 0);

  // A call this tab did not send (the JS SDK's CreateTable): the journal has all it needs.
  const createTable = await copyCommand(page, "CreateTable");
  assert.match(createTable, /^aws dynamodb create-table --table-name cli-shops --attribute-definitions '\[.*\]' --key-schema '\[.*\]' --billing-mode PAY_PER_REQUEST --endpoint-url /);
  await dynamo.send(new DeleteTableCommand({ TableName: "cli-shops" }));
  await shell(createTable);
  const described = (await dynamo.send(new DescribeTableCommand({ TableName: "cli-shops" }))).Table;
  assert.deepEqual(described.KeySchema, [{ AttributeName: "id", KeyType: "HASH" }]);
  assert.equal(described.BillingModeSummary.BillingMode, "PAY_PER_REQUEST");
  assert.deepEqual(problems, []);
}));

test("request log: boto3's calls, copied as aws CLI commands, redo what boto3 did", () => withShots("boto3", async () => {
  await boto3(`
ddb.create_table(TableName="sdk-shops", BillingMode="PAY_PER_REQUEST",
    AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}], KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}])
ddb.put_item(TableName="sdk-shops", Item={"id": {"S": "it's"}, "Big": {"N": "98765432109876543210.5"}, "Tags": {"SS": ["a", "b"]}})
s3.create_bucket(Bucket="sdk-bucket")
s3.put_object(Bucket="sdk-bucket", Key="docs/read me.txt", Body=b"hello", ContentType="text/plain", Metadata={"colour": "blue"})
s3.put_object_tagging(Bucket="sdk-bucket", Key="docs/read me.txt", Tagging={"TagSet": [{"Key": "team", "Value": "coffee"}, {"Key": "tier", "Value": "gold"}]})
s3.put_bucket_versioning(Bucket="sdk-bucket", VersioningConfiguration={"Status": "Enabled"})
`);
  const { page, problems } = await openConsole(server.endpoint, "#/requests");
  await page.getByRole("cell", { name: "PutBucketVersioning", exact: true }).waitFor();

  // The PutItem: its details are boto3's request, the command rewrites the item exactly.
  const putItem = await copyCommand(page, "PutItem");
  assert.match(putItem, /^aws dynamodb put-item --table-name sdk-shops --item '.*98765432109876543210\.5.*' --endpoint-url http:\/\/127\.0\.0\.1:\d+ --region us-east-1$/);
  await page.getByRole("button", { name: /^Details of PutItem / }).first().click();
  assert.match(await page.locator("table.requests tr.detail:not([hidden])").innerText(), /user-agent: Boto3\//);
  await page.getByRole("button", { name: /^Details of PutItem / }).first().click();
  await dynamo.send(new DeleteItemCommand({ TableName: "sdk-shops", Key: { id: { S: "it's" } } }));
  await shell(putItem);
  const back = (await dynamo.send(new GetItemCommand({ TableName: "sdk-shops", Key: { id: { S: "it's" } } }))).Item;
  assert.deepEqual(back, { id: { S: "it's" }, Big: { N: "98765432109876543210.5" }, Tags: { SS: ["a", "b"] } });

  // The object tagging: from the journal's query, key and XML body.
  const tagging = await copyCommand(page, "PutObjectTagging");
  assert.match(tagging, /^aws s3api put-object-tagging --bucket sdk-bucket --key 'docs\/read me\.txt' --tagging '\{"TagSet":\[\{"Key":"team","Value":"coffee"\},\{"Key":"tier","Value":"gold"\}\]\}' --endpoint-url /);
  await s3.send(new DeleteObjectTaggingCommand({ Bucket: "sdk-bucket", Key: "docs/read me.txt" }));
  await shell(tagging);
  const tags = (await s3.send(new GetObjectTaggingCommand({ Bucket: "sdk-bucket", Key: "docs/read me.txt" }))).TagSet;
  assert.deepEqual(tags, [{ Key: "team", Value: "coffee" }, { Key: "tier", Value: "gold" }]);

  // Versioning: suspended meanwhile, enabled again by the copied command.
  const versioning = await copyCommand(page, "PutBucketVersioning");
  assert.match(versioning, /^aws s3api put-bucket-versioning --bucket sdk-bucket --versioning-configuration Status=Enabled --endpoint-url /);
  await s3.send(new PutBucketVersioningCommand({ Bucket: "sdk-bucket", VersioningConfiguration: { Status: "Suspended" } }));
  await shell(versioning);
  assert.equal((await s3.send(new GetBucketVersioningCommand({ Bucket: "sdk-bucket" }))).Status, "Enabled");

  // The PutObject: its headers become flags; the bytes are not journaled, so --body names a file.
  const putObject = await copyCommand(page, "PutObject");
  assert.match(putObject, /^aws s3api put-object --bucket sdk-bucket --key 'docs\/read me\.txt' --content-type text\/plain --metadata '\{"colour":"blue"\}' --body 'read me\.txt' --endpoint-url /);
  await page.getByRole("button", { name: /^Details of PutObject / }).first().click();
  await page.getByText(/--body names a local file of 5 bytes/).waitFor();

  // The server filters: errors only, a table named exactly, a service.
  await page.getByLabel("Operation").fill("");
  await page.getByLabel("Bucket or table").fill("sdk-shops");
  await settled(page);
  const ops = await page.locator("table.requests tbody tr:not(.detail):not(.none) td:nth-child(3)").allInnerTexts();
  assert.ok(ops.includes("CreateTable") && ops.includes("PutItem") && !ops.includes("CreateBucket"), String(ops));
  assert.deepEqual(problems, []);
}));

test("request log: an injected fault is shown and filtered", () => withShots("fault", async () => {
  await fetch(`${server.endpoint}/_localaws/faults`, { method: "POST",
    body: JSON.stringify({ service: "dynamodb", operation: "GetItem", error: "ThrottlingException", count: 1 }) });
  await assert.rejects(dynamo.send(new GetItemCommand({ TableName: "cli-shops", Key: { id: { S: "x" } } })), { name: "ThrottlingException" });
  await fetch(`${server.endpoint}/_localaws/faults`, { method: "DELETE" });
  const { page, problems } = await openConsole(server.endpoint, "#/requests");
  await page.getByLabel("Status").selectOption("fault");
  await settled(page);
  await page.getByRole("cell", { name: /^GetItem/ }).waitFor();
  assert.equal(await page.locator("table.requests tbody tr:not(.detail):not(.none)").count(), 1);
  await page.getByRole("button", { name: /^Details of GetItem / }).click();
  const detail = page.locator("table.requests tr.detail:not([hidden])");
  await detail.getByRole("heading", { name: "Fault injected" }).waitFor();
  await detail.locator('dt:text-is("error") + dd').getByText("ThrottlingException").waitFor();
  await detail.locator('dt:text-is("Status") + dd').getByText("400").waitFor();
  assert.deepEqual(problems, []);
}));

test("request log: with --control-token the page asks for the token and sends it", () => withShots("token", async () => {
  const guarded = await startLocalaws({ args: ["--control-token", "s3cret-token"] });
  try {
    const { page, problems } = await openConsole(guarded.endpoint, "#/requests");
    const form = page.getByRole("form", { name: "Control token needed" });
    await form.getByText(/runs with --control-token/).waitFor();
    await form.getByLabel("Control token", { exact: true }).fill("wrong");
    await form.getByRole("button", { name: "Use token" }).click();
    await page.getByText("The saved control token was refused.").waitFor();
    await page.getByLabel("Control token", { exact: true }).fill("s3cret-token");
    await page.getByRole("button", { name: "Use token" }).click();
    await page.getByText(/request\(s\) shown, newest first/).waitFor();
    assert.equal(await page.evaluate(() => localStorage.getItem("localaws.controlToken")), "s3cret-token");
    // The console's own DynamoDB calls show up here.
    await page.getByRole("link", { name: "DynamoDB" }).click();
    await page.getByRole("heading", { name: "Tables" }).waitFor();
    await page.getByRole("link", { name: "Requests" }).click();
    await page.getByRole("cell", { name: "ListTables", exact: true }).waitFor();
    assert.deepEqual(problems, []);
  } finally {
    await guarded.stop();
  }
}));
