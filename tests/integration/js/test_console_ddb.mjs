// The console's DynamoDB pages in headless Chromium (issue 20): the item editor's three views
// (form, plain JSON, DynamoDB JSON) keeping long numbers exact, values that never wrap, the item
// count and size, indexes (the book's top-shops GSI listed and queried, a GSI created and deleted),
// the query and filter builders with paging, and the stream (enable, read records, disable). Each
// step is the console's real signed call; the SDK checks what the server stored.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import {
  DynamoDBClient, CreateTableCommand, DeleteItemCommand, DescribeTableCommand, GetItemCommand, PutItemCommand, UpdateItemCommand,
} from "@aws-sdk/client-dynamodb";
import { startLocalaws } from "./support.mjs";
import { browserSuite } from "./browser_support.mjs";

const ui = browserSuite("localaws-console-ddb");
let server, dynamo;

before(async () => {
  server = await startLocalaws();
  dynamo = new DynamoDBClient({ endpoint: server.endpoint, region: server.region, credentials: server.credentials, maxAttempts: 1 });
});

after(async () => {
  dynamo?.destroy();
  await server?.stop();
});

const openConsole = (hash) => ui.openConsole(server.endpoint, hash, { viewport: { width: 1280, height: 900 } });
const withShots = ui.guard;

const send = (cmd) => dynamo.send(cmd);
const S = (s) => ({ S: s });
const N = (n) => ({ N: String(n) });

test("ddb_json.js: exact numbers, awkward names and types survive both conversions", () => withShots("json", async () => {
  const { page, problems } = await openConsole("#/dynamodb");
  const out = await page.evaluate(async () => {
    const j = await import("/_localaws/console/ddb_json.js");
    const item = j.parseItem('{"__proto__": {"N": "1e+125"}, "a\\"b": {"S": "x\\u00e9\\n"}, "bin": {"B": "AAEC"},' +
      ' "ns": {"NS": ["0.1", "-99999999999999999999999999999999999999"]}, "l": {"L": [{"NULL": true}, {"BOOL": false}, {"N": 7}]}}', [], {});
    const hints = {};
    const plainText = j.stringifyExact(j.itemToPlain(item, hints), 0);
    const back = j.plainToItem(j.parseExact(plainText), hints);
    const errors = [];
    for (const bad of ['{"a": {"S": "x"}, "a": {"S": "y"}}', '{"a": {"N": "1.2.3"}}', '{"a": {"SS": []}}', '{"a": 01}']) {
      try { j.parseItem(bad, [], {}); errors.push("accepted"); } catch (e) { errors.push(e.message); }
    }
    return { own: Object.prototype.hasOwnProperty.call(item, "__proto__"), item: JSON.stringify(item), plainText, back: JSON.stringify(back), errors };
  });
  assert.equal(out.own, true, '"__proto__" is an attribute like any other');
  assert.equal(out.back, out.item, "plain JSON and back gives the same item");
  assert.equal(out.plainText, '{"__proto__":1e+125,"a\\"b":"xé\\n","bin":"AAEC","ns":[0.1,-99999999999999999999999999999999999999],"l":[null,false,7]}');
  assert.match(JSON.parse(out.item).l.L[2].N, /^7$/, "a JSON number typed for N becomes its text");
  assert.match(out.errors[0], /Duplicate name "a"/);
  assert.match(out.errors[1], /"1\.2\.3" is not a number/);
  assert.match(out.errors[2], /SS takes a non-empty array/);
  assert.match(out.errors[3], /not valid JSON/);
  assert.deepEqual(problems, []);
}));

test("item editor: form, JSON and DynamoDB JSON keep long numbers and nested values exactly", () => withShots("editor", async () => {
  await send(new CreateTableCommand({ TableName: "Shops", BillingMode: "PAY_PER_REQUEST",
    AttributeDefinitions: [{ AttributeName: "id", AttributeType: "S" }], KeySchema: [{ AttributeName: "id", KeyType: "HASH" }] }));
  const longId = "9".repeat(20) + "-" + "1234567890".repeat(5);
  await send(new PutItemCommand({ TableName: "Shops", Item: { id: S(longId), Big: N("31415926535897932384626433832795028841") } }));
  const { page, problems } = await openConsole("#/dynamodb/t/Shops");
  await page.getByRole("heading", { name: "Shops" }).waitFor();

  await page.getByRole("button", { name: "Add item" }).click();
  const dialog = page.getByRole("dialog", { name: "Add item" });
  await dialog.getByLabel("Form", { exact: true }).check();
  await dialog.getByLabel("Value of id").fill("shop-1");
  const addAttr = async (name, type, value) => {
    await dialog.getByRole("button", { name: "Add attribute" }).click();
    const n = await dialog.locator("table.attr-rows tbody tr").count();
    await dialog.getByLabel(`Name of attribute ${n}`, { exact: true }).fill(name);
    await dialog.getByLabel(`Type of ${name}`).selectOption(type);
    await dialog.getByLabel(`Value of ${name}`).fill(value);
  };
  await addAttr("Big", "N", "12345678901234567890");
  await addAttr("Info", "M", '{"Rating": 4.50, "Tags": ["a", "b"], "Deep": {"Id": 98765432109876543210}}');
  await addAttr("Flags", "SS", '["x", "y"]');
  await addAttr("City", "S", "Seattle");

  // Plain JSON shows the numbers unquoted and exact; an edit there carries over.
  await dialog.getByLabel("JSON", { exact: true }).check();
  const plain = dialog.getByLabel("Item (JSON)");
  let text = await plain.inputValue();
  assert.match(text, /"Big": 12345678901234567890\b/);
  assert.match(text, /"Id": 98765432109876543210\b/);
  assert.match(text, /"Rating": 4\.50\b/);
  assert.match(text, /"City": "Seattle"/);
  await plain.fill(text.replace("12345678901234567890", "12345678901234567891"));

  // DynamoDB JSON: the same item, the set still a set (plain JSON showed it as an array).
  await dialog.getByLabel("DynamoDB JSON", { exact: true }).check();
  const typed = JSON.parse(await dialog.getByLabel("Item (DynamoDB JSON)").inputValue());
  assert.deepEqual(typed.Big, { N: "12345678901234567891" });
  assert.deepEqual(typed.Flags, { SS: ["x", "y"] });
  assert.deepEqual(typed.Info.M.Deep, { M: { Id: { N: "98765432109876543210" } } });
  assert.deepEqual(typed.Info.M.Rating, { N: "4.50" });
  assert.deepEqual(typed.Info.M.Tags, { L: [{ S: "a" }, { S: "b" }] });

  // A mistake keeps the user in the view where it is, and says what is wrong.
  await dialog.getByLabel("Item (DynamoDB JSON)").fill('{"id": {"S": "shop-1"}, "Big": {"N": "12x"}}');
  await dialog.getByLabel("Form", { exact: true }).click();
  await dialog.getByRole("alert").getByText('Big: "12x" is not a number').waitFor();
  assert.equal(await dialog.getByLabel("DynamoDB JSON", { exact: true }).isChecked(), true);
  await dialog.getByLabel("Item (DynamoDB JSON)").fill(JSON.stringify(typed));

  // Back to the form: each attribute a row again.
  await dialog.getByLabel("Form", { exact: true }).check();
  assert.equal(await dialog.getByLabel("Value of Big").inputValue(), "12345678901234567891");
  assert.equal(await dialog.getByLabel("Type of Flags").inputValue(), "SS");
  await ui.shots.shot(page, "ddb-form", { fullPage: false });
  await dialog.getByRole("button", { name: "Create item" }).click();
  await dialog.waitFor({ state: "detached" });

  const stored = (await send(new GetItemCommand({ TableName: "Shops", Key: { id: S("shop-1") } }))).Item;
  assert.deepEqual(stored.Big, { N: "12345678901234567891" });
  assert.deepEqual(stored.Info.M.Deep.M.Id, { N: "98765432109876543210" });
  assert.deepEqual([...stored.Flags.SS].sort(), ["x", "y"]);
  assert.deepEqual(stored.City, { S: "Seattle" });

  // The table: values on one line each, whole in the title; the nested map opens, indented.
  const row = page.getByRole("row", { name: /shop-1/ });
  await row.waitFor();
  const longCell = page.getByRole("row", { name: new RegExp(longId) }).locator("td.value").first();
  assert.equal(await longCell.getAttribute("title"), longId);
  const layout = await longCell.evaluate((td) => {
    const cs = getComputedStyle(td);
    return { ws: cs.whiteSpace, wb: cs.wordBreak, ow: cs.overflowWrap, height: td.querySelector(".v").getBoundingClientRect().height,
      line: parseFloat(cs.lineHeight) || parseFloat(cs.fontSize) * 1.45 };
  });
  assert.equal(layout.ws, "nowrap");
  assert.equal(layout.ow, "normal");
  assert.ok(layout.height < layout.line * 1.5, `the long id stays on one line (${layout.height}px for a ${layout.line}px line)`);
  const bigCell = page.getByRole("row", { name: new RegExp(longId) }).locator('td[title="31415926535897932384626433832795028841"]');
  await bigCell.waitFor();
  await row.getByText("{3 attributes}").click();
  const nested = await row.locator("pre.nested-value").innerText();
  assert.match(nested, /\n {2}"Deep": \{\n {4}"Id": 98765432109876543210\n/);

  // The page shows DescribeTable's ItemCount and TableSizeBytes.
  const d = (await send(new DescribeTableCommand({ TableName: "Shops" }))).Table;
  await page.getByText(/Items: 2\.$/).waitFor();
  assert.equal(await page.locator(".table-size").getAttribute("title"), `${d.TableSizeBytes} bytes (TableSizeBytes)`);
  assert.ok(d.TableSizeBytes > 0);

  // Edit: the editor opens in the last view used (the form); a 38-digit number survives.
  await page.getByRole("button", { name: "Edit item shop-1" }).click();
  const edit = page.getByRole("dialog", { name: "Edit item" });
  assert.equal(await edit.getByLabel("Value of Big").inputValue(), "12345678901234567891");
  await edit.getByLabel("Value of Big").fill("-1234567890123456789012345678901234567.8");
  await edit.getByRole("button", { name: "Save changes" }).click();
  await edit.waitFor({ state: "detached" });
  const after = (await send(new GetItemCommand({ TableName: "Shops", Key: { id: S("shop-1") } }))).Item;
  assert.deepEqual(after.Big, { N: "-1234567890123456789012345678901234567.8" });
  assert.deepEqual(after.Info, stored.Info, "the map was not touched by editing another attribute");
  assert.deepEqual(problems, []);
}));

test("indexes: the book's top-shops GSI listed and queried; a GSI created, queried and deleted", () => withShots("indexes", async () => {
  await send(new CreateTableCommand({
    TableName: "coffee-shops", BillingMode: "PAY_PER_REQUEST",
    AttributeDefinitions: [{ AttributeName: "id", AttributeType: "S" }, { AttributeName: "board", AttributeType: "S" },
      { AttributeName: "score", AttributeType: "N" }],
    KeySchema: [{ AttributeName: "id", KeyType: "HASH" }],
    GlobalSecondaryIndexes: [{ IndexName: "top-shops", Projection: { ProjectionType: "ALL" },
      KeySchema: [{ AttributeName: "board", KeyType: "HASH" }, { AttributeName: "score", KeyType: "RANGE" }] }],
  }));
  const shops = [["s1", 10, "Seattle"], ["s2", 30, "Portland"], ["s3", 20, "Seattle"], ["s4", 50, "Austin"], ["s5", 40, "Seattle"]];
  for (const [id, score, city] of shops) {
    await send(new PutItemCommand({ TableName: "coffee-shops", Item: { id: S(id), board: S("all"), score: N(score), city: S(city) } }));
  }
  await send(new PutItemCommand({ TableName: "coffee-shops", Item: { id: S("draft"), city: S("Seattle") } })); // in no index but by-city

  const { page, problems } = await openConsole("#/dynamodb/t/coffee-shops/indexes");
  const row = page.getByRole("row", { name: /top-shops/ });
  await row.waitFor();
  assert.deepEqual((await row.locator("th, td").allInnerTexts()).slice(0, 7),
    ["top-shops", "Global", "board (S)", "score (N)", "ALL", "ACTIVE", "5"]);

  // Query the index from its row: highest scores first, two a page.
  await row.getByRole("link", { name: "Query index top-shops" }).click();
  await page.getByLabel("Partition key: board (S)").fill("all");
  assert.equal(await page.getByLabel("Table or index").inputValue(), "top-shops");
  await page.getByLabel(/Descending order/).check();
  await page.getByLabel("Items per page (Limit)").fill("2");
  await page.getByRole("button", { name: "Run" }).click();
  await page.getByText("Page 1: 2 item(s), more after this page.").waitFor();
  const ids = () => page.locator("table.items tbody tr td:first-child").allInnerTexts();
  assert.deepEqual(await ids(), ["s4", "s5"]);
  await page.getByRole("button", { name: "Next page" }).click();
  await page.getByText(/^Page 2: 2 item/).waitFor();
  assert.deepEqual(await ids(), ["s2", "s3"]);
  await page.getByRole("button", { name: "Previous page" }).click();
  await page.getByText(/^Page 1: 2 item/).waitFor();
  assert.deepEqual(await ids(), ["s4", "s5"]);

  // Create a GSI on city, keys only.
  await page.getByRole("link", { name: "Indexes" }).click();
  await page.getByRole("button", { name: "Create index" }).click();
  const dialog = page.getByRole("dialog", { name: "Create index" });
  await dialog.getByLabel("Index name").fill("by-city");
  await dialog.getByRole("group", { name: "Index partition key" }).getByLabel("Name").fill("city");
  await dialog.getByLabel("Only keys").check();
  await dialog.getByRole("button", { name: "Create index" }).click();
  await dialog.waitFor({ state: "detached" });
  const gsi = (await send(new DescribeTableCommand({ TableName: "coffee-shops" }))).Table.GlobalSecondaryIndexes
    .find((i) => i.IndexName === "by-city");
  assert.deepEqual(gsi.KeySchema, [{ AttributeName: "city", KeyType: "HASH" }]);
  assert.equal(gsi.Projection.ProjectionType, "KEYS_ONLY");
  const cityRow = page.getByRole("row", { name: /by-city/ });
  await cityRow.getByText("KEYS_ONLY").waitFor();
  assert.equal((await cityRow.locator("td").nth(5).innerText()).trim(), "6");

  await cityRow.getByRole("link", { name: "Query index by-city" }).click();
  await page.getByLabel("Partition key: city (S)").fill("Seattle");
  await page.getByRole("button", { name: "Run" }).click();
  await page.getByText("Page 1: 4 item(s).").waitFor();
  assert.deepEqual((await ids()).sort(), ["draft", "s1", "s3", "s5"]);
  const headers = await page.locator("table.items thead th").allInnerTexts();
  assert.deepEqual(headers.slice(0, 2), ["id", "city"], "a keys-only index holds the keys alone");
  assert.equal(headers.length, 3);

  // Delete it.
  await page.getByRole("link", { name: "Indexes" }).click();
  await page.getByRole("button", { name: "Delete index by-city" }).click();
  const confirm = page.getByRole("dialog", { name: "Delete index" });
  await confirm.getByRole("button", { name: "Delete index" }).click();
  await confirm.waitFor({ state: "detached" });
  await page.getByRole("row", { name: /by-city/ }).waitFor({ state: "detached" });
  const left = (await send(new DescribeTableCommand({ TableName: "coffee-shops" }))).Table.GlobalSecondaryIndexes.map((i) => i.IndexName);
  assert.deepEqual(left, ["top-shops"]);
  assert.deepEqual(problems, []);
}));

test("query and scan builders: key conditions, filters, order, limit and paging", () => withShots("query", async () => {
  await send(new CreateTableCommand({
    TableName: "orders", BillingMode: "PAY_PER_REQUEST",
    AttributeDefinitions: [{ AttributeName: "customer", AttributeType: "S" }, { AttributeName: "n", AttributeType: "N" },
      { AttributeName: "total", AttributeType: "N" }],
    KeySchema: [{ AttributeName: "customer", KeyType: "HASH" }, { AttributeName: "n", KeyType: "RANGE" }],
    LocalSecondaryIndexes: [{ IndexName: "by-total", Projection: { ProjectionType: "ALL" },
      KeySchema: [{ AttributeName: "customer", KeyType: "HASH" }, { AttributeName: "total", KeyType: "RANGE" }] }],
  }));
  const orders = [];
  for (let n = 1; n <= 12; n += 1) {
    for (const customer of ["c1", "c2"]) {
      const o = { customer, n, status: n % 3 === 0 ? "closed" : "open", total: (n * 37) % 100 };
      if (n % 5 === 0) delete o.total;
      orders.push(o);
      const item = { customer: S(o.customer), n: N(n), status: S(o.status) };
      if (o.total !== undefined) item.total = N(o.total);
      await send(new PutItemCommand({ TableName: "orders", Item: item }));
    }
  }
  const { page, problems } = await openConsole("#/dynamodb/t/orders");
  await page.getByText(/Items: 24\.$/).waitFor();

  // c1, n between 2 and 11, status = open and total > 20, newest first, 3 read per page.
  await page.getByLabel("Query by key").check();
  await page.getByLabel("Partition key: customer (S)").fill("c1");
  await page.getByLabel("Sort key condition: n (N)").selectOption("between");
  await page.getByLabel("Sort key value").fill("2");
  await page.getByLabel("Second value (between)").fill("11");
  await page.getByRole("button", { name: "Add filter condition" }).click();
  await page.getByLabel("Filter 1 attribute").fill("status");
  await page.getByLabel("Filter 1 value", { exact: true }).fill("open");
  await page.getByRole("button", { name: "Add filter condition" }).click();
  await page.getByLabel("Filter 2 attribute").fill("total");
  await page.getByLabel("Filter 2 operator").selectOption(">");
  await page.getByLabel("Filter 2 value type").selectOption("N");
  await page.getByLabel("Filter 2 value", { exact: true }).fill("20");
  await page.getByLabel(/Descending order/).check();
  await page.getByLabel("Items per page (Limit)").fill("3");
  await page.getByRole("button", { name: "Run" }).click();
  const want = orders.filter((o) => o.customer === "c1" && o.n >= 2 && o.n <= 11 && o.status === "open" && o.total > 20)
    .map((o) => String(o.n)).reverse();
  assert.ok(want.length >= 3 && want.length < 10);
  const got = [];
  for (let p = 1; p <= 10; p += 1) {
    await page.getByText(new RegExp(`^Page ${p}: \\d+ item\\(s\\) \\(\\d+ read before the filter\\)`)).waitFor();
    got.push(...(await page.locator("table.items tbody tr:not(:has(td.empty)) td:nth-child(2)").allInnerTexts()));
    if (!(await page.getByRole("button", { name: "Next page" }).isVisible())) break;
    await page.getByRole("button", { name: "Next page" }).click();
  }
  assert.deepEqual(got, want);
  await ui.shots.shot(page, "ddb-query");

  // Scan with the same builder: the first filter changed to begins_with "clo", the second to
  // "total does not exist"; any of them (OR).
  await page.getByLabel("Scan the table").check();
  await page.getByLabel("Filter 1 operator").selectOption("begins_with");
  await page.getByLabel("Filter 1 value", { exact: true }).fill("clo");
  await page.getByLabel("Filter 2 operator").selectOption("attribute_not_exists");
  await page.getByLabel("Combine conditions").selectOption("OR");
  await page.getByLabel("Items per page (Limit)").fill("100");
  await page.getByRole("button", { name: "Run" }).click();
  const scanWant = orders.filter((o) => o.status.startsWith("clo") || o.total === undefined);
  await page.getByText(`Page 1: ${scanWant.length} item(s) (24 read before the filter).`).waitFor();
  const rows = await page.locator("table.items tbody tr").evaluateAll((trs) => trs.map((tr) => [...tr.cells].slice(0, 2).map((c) => c.innerText).join("/")));
  assert.deepEqual(rows.sort(), scanWant.map((o) => `${o.customer}/${o.n}`).sort());

  // The local index: c2's orders with total >= 50, highest total first, no filter.
  await page.getByLabel("Query by key").check();
  await page.getByLabel("Table or index").selectOption("by-total");
  await page.getByRole("button", { name: "Remove filter 2" }).click();
  await page.getByRole("button", { name: "Remove filter 1" }).click();
  await page.getByLabel("Partition key: customer (S)").fill("c2");
  await page.getByLabel("Sort key condition: total (N)").selectOption(">=");
  await page.getByLabel("Sort key value").fill("50");
  await page.getByRole("button", { name: "Run" }).click();
  const lsiWant = orders.filter((o) => o.customer === "c2" && o.total >= 50).sort((a, b) => b.total - a.total).map((o) => String(o.n));
  await page.getByText(`Page 1: ${lsiWant.length} item(s).`).waitFor();
  assert.deepEqual(await page.locator("table.items tbody tr td:nth-child(2)").allInnerTexts(), lsiWant);
  await page.getByRole("link", { name: "Indexes" }).click();
  const lsi = page.getByRole("row", { name: /by-total/ });
  await lsi.waitFor();
  assert.deepEqual((await lsi.locator("th, td").allInnerTexts()).slice(0, 6), ["by-total", "Local", "customer (S)", "total (N)", "ALL", "ACTIVE"]);
  assert.equal(await lsi.getByRole("button", { name: /Delete/ }).count(), 0, "a local index cannot be deleted");
  assert.deepEqual(problems, []);
}));

test("stream: enable, read records from TRIM_HORIZON and LATEST, disable", () => withShots("stream", async () => {
  await send(new CreateTableCommand({ TableName: "events", BillingMode: "PAY_PER_REQUEST",
    AttributeDefinitions: [{ AttributeName: "id", AttributeType: "S" }], KeySchema: [{ AttributeName: "id", KeyType: "HASH" }] }));
  const { page, problems } = await openConsole("#/dynamodb/t/events/stream");
  await page.getByText("Disabled", { exact: true }).waitFor();
  await page.getByRole("button", { name: "Enable stream" }).click();
  const dialog = page.getByRole("dialog", { name: "Enable stream" });
  await dialog.getByLabel("New and old images").check();
  await dialog.getByRole("button", { name: "Enable stream" }).click();
  await dialog.waitFor({ state: "detached" });
  let t = (await send(new DescribeTableCommand({ TableName: "events" }))).Table;
  assert.deepEqual(t.StreamSpecification, { StreamEnabled: true, StreamViewType: "NEW_AND_OLD_IMAGES" });
  await page.getByText(t.LatestStreamArn).waitFor();

  await send(new PutItemCommand({ TableName: "events", Item: { id: S("a"), v: N(1) } }));
  await send(new PutItemCommand({ TableName: "events", Item: { id: S("b"), v: N(2) } }));
  await send(new UpdateItemCommand({ TableName: "events", Key: { id: S("a") }, UpdateExpression: "SET v = :v",
    ExpressionAttributeValues: { ":v": N("12345678901234567890123") } }));
  await page.getByRole("button", { name: "Read records" }).click();
  await page.getByText("3 new record(s); showing the last 3.").waitFor();
  const cells = (col) => page.locator(`table.records tbody tr td:nth-child(${col})`).allInnerTexts();
  assert.deepEqual(await cells(2), ["INSERT", "INSERT", "MODIFY"]);
  assert.deepEqual(await cells(3), ['{"id":"a"}', '{"id":"b"}', '{"id":"a"}']);
  await page.locator("table.records tbody tr").nth(2).locator("td").nth(3).getByText("show").click();
  assert.match(await page.locator("table.records tbody tr").nth(2).locator("td").nth(3).innerText(), /"v": 12345678901234567890123/);

  // LATEST: nothing yet; a delete made afterwards shows on "Read newer records".
  await page.getByLabel("Start from").selectOption("LATEST");
  await page.getByRole("button", { name: "Read records" }).click();
  await page.getByText("0 new record(s); showing the last 0.").waitFor();
  await send(new DeleteItemCommand({ TableName: "events", Key: { id: S("b") } }));
  await page.getByRole("button", { name: "Read newer records" }).click();
  await page.getByText("1 new record(s); showing the last 1.").waitFor();
  assert.deepEqual(await cells(2), ["REMOVE"]);

  await page.getByRole("button", { name: "Disable stream" }).click();
  await page.getByRole("button", { name: "Enable stream" }).waitFor();
  t = (await send(new DescribeTableCommand({ TableName: "events" }))).Table;
  assert.notEqual(t.StreamSpecification?.StreamEnabled, true);
  assert.deepEqual(problems, []);
}));
