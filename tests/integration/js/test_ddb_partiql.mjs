// PartiQL through the AWS SDK for JavaScript v3: ExecuteStatement with the low-level client and
// the DocumentClient (native values as parameters), BatchExecuteStatement and ExecuteTransaction.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  ExecuteStatementCommand, BatchExecuteStatementCommand, ExecuteTransactionCommand, QueryCommand,
  DuplicateItemException, TransactionCanceledException,
} from "@aws-sdk/client-dynamodb";
import { ExecuteStatementCommand as DocExecuteStatement } from "@aws-sdk/lib-dynamodb";
import { ddbSuite, pkSkTable } from "./support.mjs";

let client, doc;

ddbSuite([pkSkTable("js-pq")], async (_server, c, d) => {
  client = c;
  doc = d;
});

test("DocumentClient: insert with parameters, select equals Query", async () => {
  for (let i = 0; i < 3; i++) {
    await doc.send(new DocExecuteStatement({
      Statement: `INSERT INTO "js-pq" VALUE {'pk': ?, 'sk': ?, 'info': ?}`,
      Parameters: ["a", i, { n: i, tags: ["x", "y"] }],
    }));
  }
  const got = await doc.send(new DocExecuteStatement({ Statement: `SELECT * FROM "js-pq" WHERE pk = ? ORDER BY sk DESC`, Parameters: ["a"] }));
  assert.deepEqual(got.Items.map((i) => i.sk), [2, 1, 0]);
  assert.deepEqual(got.Items[0].info, { n: 2, tags: ["x", "y"] });
  const q = await client.send(new QueryCommand({
    TableName: "js-pq", KeyConditionExpression: "pk = :p", ScanIndexForward: false, ExpressionAttributeValues: { ":p": { S: "a" } },
  }));
  const low = await client.send(new ExecuteStatementCommand({ Statement: `SELECT * FROM "js-pq" WHERE pk = 'a' ORDER BY sk DESC` }));
  assert.deepEqual(low.Items, q.Items);
});

test("duplicate insert is DuplicateItemException", async () => {
  await assert.rejects(
    client.send(new ExecuteStatementCommand({ Statement: `INSERT INTO "js-pq" VALUE {'pk': 'a', 'sk': 0}` })),
    (e) => e instanceof DuplicateItemException && e.message === "Duplicate primary key exists in table");
});

test("batch and transaction", async () => {
  const batch = await client.send(new BatchExecuteStatementCommand({
    Statements: [
      { Statement: `UPDATE "js-pq" SET n = 5 WHERE pk = 'a' AND sk = 1` },
      { Statement: `INSERT INTO "js-pq" VALUE {'pk': 'a', 'sk': 1}` },
    ],
  }));
  assert.equal(batch.Responses[0].Error, undefined);
  assert.equal(batch.Responses[1].Error.Code, "DuplicateItem");
  const read = await client.send(new ExecuteTransactionCommand({
    TransactStatements: [{ Statement: `SELECT n FROM "js-pq" WHERE pk = 'a' AND sk = 1` }],
  }));
  assert.deepEqual(read.Responses, [{ Item: { n: { N: "5" } } }]);
  await assert.rejects(client.send(new ExecuteTransactionCommand({
    TransactStatements: [
      { Statement: `DELETE FROM "js-pq" WHERE pk = 'a' AND sk = 2` },
      { Statement: `UPDATE "js-pq" SET n = 6 WHERE pk = 'a' AND sk = 1 AND n = 4` },
    ],
  })), (e) => e instanceof TransactionCanceledException &&
    JSON.stringify(e.CancellationReasons.map((r) => r.Code)) === '["None","ConditionalCheckFailed"]');
});
