// Fault injection through the AWS SDK for JavaScript v3: with its default retry strategy
// (standard, 3 attempts) the SDK recovers from injected SlowDown and ThrottlingException errors
// and from a cut connection; the journal shows the failed attempts; with one attempt the injected
// error reaches the caller as the SDK's typed exception.
import { test, before, after, beforeEach } from "node:test";
import assert from "node:assert/strict";
import { CreateBucketCommand, PutObjectCommand, GetObjectCommand, ListObjectsV2Command } from "@aws-sdk/client-s3";
import { DynamoDBClient, CreateTableCommand, PutItemCommand, GetItemCommand } from "@aws-sdk/client-dynamodb";
import { startLocalaws, s3ClientFor, rejectsWith } from "./support.mjs";

let la, s3, ddb;
before(async () => {
  la = await startLocalaws();
  s3 = s3ClientFor(la);  // default retries
  ddb = new DynamoDBClient({ endpoint: la.endpoint, region: la.region, credentials: la.credentials });
  await s3.send(new CreateBucketCommand({ Bucket: "js-faults" }));
  await ddb.send(new CreateTableCommand({ TableName: "js-faults", BillingMode: "PAY_PER_REQUEST",
    AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }],
    KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }] }));
});
after(async () => {
  s3?.destroy();
  ddb?.destroy();
  await la.stop();
});
beforeEach(async () => {
  await fetch(la.endpoint + "/_localaws/faults", { method: "DELETE" });
  await fetch(la.endpoint + "/_localaws/requests", { method: "DELETE" });
});

async function addFault(rule) {
  const r = await fetch(la.endpoint + "/_localaws/faults", { method: "POST", body: JSON.stringify(rule) });
  assert.equal(r.status, 201);
  return r.json();
}

async function journal(operation) {
  const { requests } = await (await fetch(la.endpoint + "/_localaws/requests")).json();
  return requests.filter((e) => e.operation === operation).map((e) => [e.status, e.fault?.error ?? null]);
}

test("the SDK's retries recover from SlowDown on PutObject", async () => {
  await addFault({ service: "s3", operation: "PutObject", bucket: "js-faults", error: "SlowDown", count: 2 });
  const out = await s3.send(new PutObjectCommand({ Bucket: "js-faults", Key: "k", Body: "hello" }));
  assert.equal(out.$metadata.attempts, 3);
  const got = await s3.send(new GetObjectCommand({ Bucket: "js-faults", Key: "k" }));
  assert.equal(await got.Body.transformToString(), "hello");
  assert.deepEqual(await journal("PutObject"), [[503, "SlowDown"], [503, "SlowDown"], [200, null]]);
});

test("the SDK's retries recover from ThrottlingException on PutItem", async () => {
  await addFault({ service: "dynamodb", operation: "PutItem", table: "js-faults", error: "ThrottlingException",
    count: 2 });
  const out = await ddb.send(new PutItemCommand({ TableName: "js-faults", Item: { pk: { S: "a" } } }));
  assert.equal(out.$metadata.attempts, 3);
  const got = await ddb.send(new GetItemCommand({ TableName: "js-faults", Key: { pk: { S: "a" } } }));
  assert.deepEqual(got.Item, { pk: { S: "a" } });
  assert.deepEqual(await journal("PutItem"),
    [[400, "ThrottlingException"], [400, "ThrottlingException"], [200, null]]);
});

test("the SDK's retries recover from a cut connection", async () => {
  await addFault({ service: "s3", operation: "ListObjectsV2", cut_connection: true, count: 1 });
  const out = await s3.send(new ListObjectsV2Command({ Bucket: "js-faults" }));
  assert.equal(out.$metadata.attempts, 2);
});

test("with one attempt the injected error is the SDK's exception, and nothing is stored", async () => {
  const once = new DynamoDBClient({ endpoint: la.endpoint, region: la.region, credentials: la.credentials,
    maxAttempts: 1 });
  await addFault({ service: "dynamodb", operation: "PutItem", error: "ProvisionedThroughputExceededException" });
  await rejectsWith(once.send(new PutItemCommand({ TableName: "js-faults", Item: { pk: { S: "never" } } })),
    "ProvisionedThroughputExceededException", 400);
  const got = await once.send(new GetItemCommand({ TableName: "js-faults", Key: { pk: { S: "never" } } }));
  assert.equal(got.Item, undefined);
  once.destroy();
});
