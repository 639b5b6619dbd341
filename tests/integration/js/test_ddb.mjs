// DynamoDB through the AWS SDK for JavaScript v3: the low-level client and the DocumentClient.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  DescribeTableCommand, ListTablesCommand, PutItemCommand, GetItemCommand, UpdateItemCommand,
  DeleteTableCommand, ConditionalCheckFailedException,
} from "@aws-sdk/client-dynamodb";
import { PutCommand, GetCommand, UpdateCommand, DeleteCommand } from "@aws-sdk/lib-dynamodb";
import { ddbSuite, pkSkTable } from "./support.mjs";

let client, doc;

ddbSuite([pkSkTable("js-table")], async (_server, c, d) => {
  client = c;
  doc = d;
}, { translateConfig: { marshallOptions: { removeUndefinedValues: true } } });

test("tables: list and describe", async () => {
  const list = await client.send(new ListTablesCommand({}));
  assert.deepEqual(list.TableNames, ["js-table"]);
  const d = await client.send(new DescribeTableCommand({ TableName: "js-table" }));
  assert.equal(d.Table.TableStatus, "ACTIVE");
  assert.ok(d.Table.CreationDateTime instanceof Date);
  assert.equal(d.Table.TableArn, "arn:aws:dynamodb:us-east-1:000000000000:table/js-table");
  await assert.rejects(client.send(new DescribeTableCommand({ TableName: "missing" })), { name: "ResourceNotFoundException" });
});

test("low-level client: put, get, conditional failure with the old item", async () => {
  const key = { pk: { S: "low" }, sk: { N: "1" } };
  await client.send(new PutItemCommand({ TableName: "js-table", Item: { ...key, n: { N: "010.50" }, b: { B: new Uint8Array([1, 2]) } } }));
  const got = await client.send(new GetItemCommand({ TableName: "js-table", Key: key, ConsistentRead: true }));
  assert.deepEqual(got.Item.n, { N: "10.5" });
  assert.deepEqual([...got.Item.b.B], [1, 2]);
  const err = await client.send(new PutItemCommand({
    TableName: "js-table", Item: key, ConditionExpression: "attribute_not_exists(pk)",
    ReturnValuesOnConditionCheckFailure: "ALL_OLD",
  })).catch((e) => e);
  assert.ok(err instanceof ConditionalCheckFailedException);
  assert.equal(err.message, "The conditional request failed");
  assert.deepEqual(err.Item.n, { N: "10.5" });
  const bad = await client.send(new UpdateItemCommand({
    TableName: "js-table", Key: key, UpdateExpression: "SET #s = :v", ExpressionAttributeNames: { "#s": "status" },
    ExpressionAttributeValues: { ":v": { S: "x" }, ":unused": { S: "y" } },
  })).catch((e) => e);
  assert.equal(bad.name, "ValidationException");
  assert.equal(bad.message, "Value provided in ExpressionAttributeValues unused in expressions: keys: {:unused}");
});

test("DocumentClient: native values, updates, conditions", async () => {
  const Key = { pk: "doc", sk: 2 };
  await doc.send(new PutCommand({ TableName: "js-table", Item: { ...Key, name: "Bean There", tags: new Set(["wifi"]), visits: 0, nested: { list: [1, "two"] } } }));
  const up = await doc.send(new UpdateCommand({
    TableName: "js-table", Key,
    UpdateExpression: "SET #n = :n, nested.#l[2] = :three ADD visits :one, tags :t REMOVE nested.#l[0]",
    ConditionExpression: "begins_with(#n, :prefix) AND size(tags) = :size",
    ExpressionAttributeNames: { "#n": "name", "#l": "list" },
    ExpressionAttributeValues: { ":n": "Bean Here", ":three": 3, ":one": 1, ":t": new Set(["quiet"]), ":prefix": "Bean", ":size": 1 },
    ReturnValues: "ALL_NEW",
  }));
  assert.equal(up.Attributes.name, "Bean Here");
  assert.equal(up.Attributes.visits, 1);
  assert.deepEqual(up.Attributes.nested.list, ["two", 3]);
  assert.deepEqual([...up.Attributes.tags].sort(), ["quiet", "wifi"]);
  const got = await doc.send(new GetCommand({ TableName: "js-table", Key, ProjectionExpression: "visits, nested.#l[1]", ExpressionAttributeNames: { "#l": "list" } }));
  assert.deepEqual(got.Item, { visits: 1, nested: { list: [3] } });
  await assert.rejects(doc.send(new DeleteCommand({ TableName: "js-table", Key, ConditionExpression: "visits > :v", ExpressionAttributeValues: { ":v": 5 } })),
    { name: "ConditionalCheckFailedException" });
  const del = await doc.send(new DeleteCommand({ TableName: "js-table", Key, ReturnValues: "ALL_OLD" }));
  assert.equal(del.Attributes.visits, 1);
  assert.equal((await doc.send(new GetCommand({ TableName: "js-table", Key }))).Item, undefined);
});

test("syntax errors come back as AWS words them", async () => {
  const err = await doc.send(new UpdateCommand({ TableName: "js-table", Key: { pk: "x", sk: 1 }, UpdateExpression: "SET a = :a,", ExpressionAttributeValues: { ":a": 1 } })).catch((e) => e);
  assert.equal(err.name, "ValidationException");
  assert.match(err.message, /^Invalid UpdateExpression: Syntax error; token: "<EOF>", near: /);
});

test("delete table (runs last)", async () => {
  const d = await client.send(new DeleteTableCommand({ TableName: "js-table" }));
  assert.equal(d.TableDescription.TableStatus, "DELETING");
  assert.deepEqual((await client.send(new ListTablesCommand({}))).TableNames, []);
});
