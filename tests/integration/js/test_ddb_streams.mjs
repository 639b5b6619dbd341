// DynamoDB Streams through the AWS SDK for JavaScript v3 (@aws-sdk/client-dynamodb-streams):
// a consumer following shards from TRIM_HORIZON sees every change once, in order per key.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import {
  DynamoDBClient, CreateTableCommand, PutItemCommand, UpdateItemCommand, DeleteItemCommand, UpdateTableCommand,
} from "@aws-sdk/client-dynamodb";
import {
  DynamoDBStreamsClient, ListStreamsCommand, DescribeStreamCommand, GetShardIteratorCommand, GetRecordsCommand,
  ExpiredIteratorException, ResourceNotFoundException,
} from "@aws-sdk/client-dynamodb-streams";
import { startLocalaws } from "./support.mjs";

let server, ddb, streams, arn;

before(async () => {
  server = await startLocalaws({ args: ["--stream-shard-records", "4"] });
  const cfg = { endpoint: server.endpoint, region: server.region, credentials: server.credentials, maxAttempts: 1 };
  ddb = new DynamoDBClient(cfg);
  streams = new DynamoDBStreamsClient(cfg);
  const out = await ddb.send(new CreateTableCommand({
    TableName: "js-streams",
    AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }],
    KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }],
    BillingMode: "PAY_PER_REQUEST",
    StreamSpecification: { StreamEnabled: true, StreamViewType: "NEW_AND_OLD_IMAGES" },
  }));
  arn = out.TableDescription.LatestStreamArn;
});

after(async () => {
  ddb?.destroy();
  streams?.destroy();
  await server?.stop();
});

async function readAll() {
  const d = (await streams.send(new DescribeStreamCommand({ StreamArn: arn }))).StreamDescription;
  const records = [];
  const done = new Set();
  while (done.size < d.Shards.length) {
    for (const s of d.Shards) {
      if (done.has(s.ShardId) || (s.ParentShardId && !done.has(s.ParentShardId))) continue;
      let it = (await streams.send(new GetShardIteratorCommand({
        StreamArn: arn, ShardId: s.ShardId, ShardIteratorType: "TRIM_HORIZON",
      }))).ShardIterator;
      while (it) {
        const r = await streams.send(new GetRecordsCommand({ ShardIterator: it }));
        records.push(...r.Records);
        if (r.Records.length === 0) break;
        it = r.NextShardIterator;
      }
      done.add(s.ShardId);
    }
  }
  return { shards: d.Shards, records };
}

test("records of a mixed workload across shards, once and in order per key", async () => {
  const expected = {};
  const present = new Set();
  for (let i = 0; i < 30; i++) {
    const pk = "k" + (i % 4);
    const Key = { pk: { S: pk } };
    if (i % 7 === 6) {
      await ddb.send(new DeleteItemCommand({ TableName: "js-streams", Key }));
      if (present.has(pk)) (expected[pk] ??= []).push(["REMOVE", undefined]);
      present.delete(pk);
    } else if (i % 2) {
      await ddb.send(new PutItemCommand({ TableName: "js-streams", Item: { ...Key, v: { N: String(i) } } }));
      (expected[pk] ??= []).push([present.has(pk) ? "MODIFY" : "INSERT", String(i)]);
      present.add(pk);
    } else {
      await ddb.send(new UpdateItemCommand({
        TableName: "js-streams", Key, UpdateExpression: "SET v = :v", ExpressionAttributeValues: { ":v": { N: String(i) } },
      }));
      (expected[pk] ??= []).push([present.has(pk) ? "MODIFY" : "INSERT", String(i)]);
      present.add(pk);
    }
  }
  const { shards, records } = await readAll();
  assert.ok(shards.length >= 7, "rolled over every 4 records");
  assert.equal(shards[1].ParentShardId, shards[0].ShardId);
  const got = {};
  for (const r of records) {
    assert.equal(r.eventSource, "aws:dynamodb");
    assert.ok(r.dynamodb.ApproximateCreationDateTime instanceof Date);
    assert.match(r.dynamodb.SequenceNumber, /^[0-9]{21,40}$/);
    (got[r.dynamodb.Keys.pk.S] ??= []).push([r.eventName, r.dynamodb.NewImage?.v?.N]);
  }
  assert.deepEqual(got, expected);
  const seqs = records.map((r) => BigInt(r.dynamodb.SequenceNumber));
  assert.deepEqual(seqs, [...seqs].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
});

test("ListStreams, errors", async () => {
  const l = await streams.send(new ListStreamsCommand({ TableName: "js-streams" }));
  assert.deepEqual(l.Streams.map((s) => s.StreamArn), [arn]);
  await assert.rejects(streams.send(new DescribeStreamCommand({ StreamArn: arn + "x" })), ResourceNotFoundException);
  await assert.rejects(ddb.send(new UpdateTableCommand({
    TableName: "js-streams", StreamSpecification: { StreamEnabled: true, StreamViewType: "KEYS_ONLY" },
  })), { name: "ValidationException" });
  const d = (await streams.send(new DescribeStreamCommand({ StreamArn: arn }))).StreamDescription;
  const it = (await streams.send(new GetShardIteratorCommand({
    StreamArn: arn, ShardId: d.Shards[0].ShardId, ShardIteratorType: "LATEST",
  }))).ShardIterator;
  const res = await fetch(server.endpoint + "/_localaws/clock", { method: "POST", body: JSON.stringify({ advance: "16m" }) });
  assert.equal(res.status, 200);
  await assert.rejects(streams.send(new GetRecordsCommand({ ShardIterator: it })), ExpiredIteratorException);
});
