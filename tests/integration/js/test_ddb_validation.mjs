// DynamoDB validation errors as the AWS SDK for JavaScript v3 surfaces them (issue 17): tags, time
// to live, Select and expression errors arrive as typed exceptions with DynamoDB's messages.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  TagResourceCommand, UpdateTimeToLiveCommand, QueryCommand, PutItemCommand, TransactWriteItemsCommand,
} from "@aws-sdk/client-dynamodb";
import { ddbSuite, pkSkTable } from "./support.mjs";

let client;
const arn = "arn:aws:dynamodb:us-east-1:000000000000:table/js-valid";

ddbSuite([pkSkTable("js-valid")], async (_server, c) => {
  client = c;
});

async function fails(command, name, message) {
  const err = await client.send(command).catch((e) => e);
  assert.equal(err.name, name, `${err.name}: ${err.message}`);
  assert.equal(err.$metadata?.httpStatusCode, 400);
  if (message instanceof RegExp) assert.match(err.message, message);
  else assert.equal(err.message, message);
  return err;
}

test("tags: key and value limits", async () => {
  await fails(new TagResourceCommand({ ResourceArn: arn, Tags: [{ Key: "k".repeat(129), Value: "v" }] }),
    "ValidationException", /at 'tags.1.member.key' failed to satisfy constraint: Member must have length between 1 and 128$/);
  await fails(new TagResourceCommand({ ResourceArn: arn, Tags: [{ Key: "k", Value: "v".repeat(257) }] }),
    "ValidationException", /Member must have length less than or equal to 256$/);
  await fails(new TagResourceCommand({ ResourceArn: arn, Tags: [{ Key: "aws:x", Value: "v" }] }), "ValidationException", /aws:/);
  // An empty value is allowed, as on DynamoDB.
  await client.send(new TagResourceCommand({ ResourceArn: arn, Tags: [{ Key: "empty", Value: "" }] }));
});

test("time to live: already enabled", async () => {
  const spec = { TableName: "js-valid", TimeToLiveSpecification: { Enabled: true, AttributeName: "exp" } };
  await client.send(new UpdateTimeToLiveCommand(spec));
  await fails(new UpdateTimeToLiveCommand(spec), "ValidationException", "TimeToLive is already enabled");
});

test("Select, parentheses and transaction tokens", async () => {
  const base = { TableName: "js-valid", KeyConditionExpression: "pk = :p", ExpressionAttributeValues: { ":p": { S: "a" } } };
  await fails(new QueryCommand({ ...base, Select: "COUNT", ProjectionExpression: "sk" }), "ValidationException",
    "Cannot specify the ProjectionExpression when choosing to get only the Count");
  await fails(new PutItemCommand({ TableName: "js-valid", Item: { pk: { S: "a" }, sk: { N: "1" } },
    ConditionExpression: "((attribute_not_exists(pk)))" }), "ValidationException",
    "Invalid ConditionExpression: The expression has redundant parentheses;");
  const put = (v) => new TransactWriteItemsCommand({ ClientRequestToken: "js-token",
    TransactItems: [{ Put: { TableName: "js-valid", Item: { pk: { S: "t" }, sk: { N: "1" }, v: { S: v } } } }] });
  await client.send(put("1"));
  await client.send(put("1"));  // replay
  await fails(put("2"), "IdempotentParameterMismatchException",
    "The request uses the same client token as a previous, but non-identical request.");
});
