// Multi-attribute GSI keys through the AWS SDK for JavaScript v3 (DocumentClient): CreateTable with
// two partition and two sort attributes, Query with equality on a sort prefix and a range on the
// next attribute, paginated with paginateQuery, checked against a sort done here; the errors.
import { test } from "node:test";
import assert from "node:assert/strict";
import { DescribeTableCommand } from "@aws-sdk/client-dynamodb";
import { PutCommand, QueryCommand, paginateQuery } from "@aws-sdk/lib-dynamodb";
import { ddbSuite } from "./support.mjs";

let client, doc;
const schema = [
  { AttributeName: "tenant", KeyType: "HASH" }, { AttributeName: "region", KeyType: "HASH" },
  { AttributeName: "status", KeyType: "RANGE" }, { AttributeName: "score", KeyType: "RANGE" },
];
const items = [];

ddbSuite([{
  TableName: "orders",
  AttributeDefinitions: [
    { AttributeName: "id", AttributeType: "S" }, { AttributeName: "tenant", AttributeType: "S" },
    { AttributeName: "region", AttributeType: "S" }, { AttributeName: "status", AttributeType: "S" },
    { AttributeName: "score", AttributeType: "N" },
  ],
  KeySchema: [{ AttributeName: "id", KeyType: "HASH" }],
  GlobalSecondaryIndexes: [{ IndexName: "byTenantRegion", KeySchema: schema, Projection: { ProjectionType: "ALL" } }],
  BillingMode: "PAY_PER_REQUEST",
}], async (_server, c, d) => {
  client = c;
  doc = d;
  let seed = 16;
  const rand = (n) => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
  for (let i = 0; i < 80; i++) {
    const item = { id: `o${String(i).padStart(3, "0")}`, tenant: ["acme", "zeta"][rand(2)], region: ["eu", "us"][rand(2)],
      status: ["open", "closed", "on-hold"][rand(3)], score: rand(50) - 25 };
    if (i % 9 === 0) delete item.region;  // not in the index
    items.push(item);
    await doc.send(new PutCommand({ TableName: "orders", Item: item }));
  }
});

test("DescribeTable shows the multi-attribute key schema as sent", async () => {
  const d = await client.send(new DescribeTableCommand({ TableName: "orders" }));
  assert.deepEqual(d.Table.GlobalSecondaryIndexes[0].KeySchema, schema);
});

test("Query: equality on a sort prefix, range on the next, paginated", async () => {
  const want = items
    .filter((i) => i.tenant === "acme" && i.region === "eu" && i.status === "open" && i.score >= -10)
    .sort((a, b) => a.score - b.score || (a.id < b.id ? -1 : 1))
    .map((i) => i.id);
  assert.ok(want.length > 3);
  const got = [];
  let pages = 0;
  for await (const page of paginateQuery({ client: doc, pageSize: 2 }, {
    TableName: "orders", IndexName: "byTenantRegion",
    KeyConditionExpression: "tenant = :t AND #r = :r AND #s = :s AND score >= :min",
    ExpressionAttributeNames: { "#r": "region", "#s": "status" },
    ExpressionAttributeValues: { ":t": "acme", ":r": "eu", ":s": "open", ":min": -10 },
  })) {
    pages++;
    got.push(...page.Items.map((i) => i.id));
    if (page.LastEvaluatedKey) assert.deepEqual(Object.keys(page.LastEvaluatedKey).sort(), ["id", "region", "score", "status", "tenant"]);
  }
  assert.deepEqual(got, want);
  assert.ok(pages >= Math.ceil(want.length / 2));
});

test("Query: descending over the whole partition", async () => {
  const key = (i) => [i.status, i.score, i.id];
  const cmp = (a, b) => {
    const x = key(a), y = key(b);
    for (let k = 0; k < 3; k++) if (x[k] !== y[k]) return x[k] < y[k] ? -1 : 1;
    return 0;
  };
  const want = items.filter((i) => i.tenant === "zeta" && i.region === "us").sort(cmp).reverse().map((i) => i.id);
  const r = await doc.send(new QueryCommand({
    TableName: "orders", IndexName: "byTenantRegion", ScanIndexForward: false,
    KeyConditionExpression: "tenant = :t AND #r = :r", ExpressionAttributeNames: { "#r": "region" },
    ExpressionAttributeValues: { ":t": "zeta", ":r": "us" },
  }));
  assert.deepEqual(r.Items.map((i) => i.id), want);
});

test("Query: errors for a missing partition attribute and a skipped sort attribute", async () => {
  await assert.rejects(doc.send(new QueryCommand({
    TableName: "orders", IndexName: "byTenantRegion", KeyConditionExpression: "tenant = :t",
    ExpressionAttributeValues: { ":t": "acme" },
  })), { name: "ValidationException", message: "Query condition missed key schema element: region" });
  await assert.rejects(doc.send(new QueryCommand({
    TableName: "orders", IndexName: "byTenantRegion", KeyConditionExpression: "tenant = :t AND #r = :r AND score = :v",
    ExpressionAttributeNames: { "#r": "region" }, ExpressionAttributeValues: { ":t": "acme", ":r": "eu", ":v": 1 },
  })), { name: "ValidationException", message: "Query condition missed key schema element: status" });
});
