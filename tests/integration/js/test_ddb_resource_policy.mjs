// DynamoDB resource-based policies through the AWS SDK for JavaScript v3 with two accounts:
// Put/Get/DeleteResourcePolicy and their modelled errors, another account's GetItem and
// DocumentClient writes by table ARN denied then allowed, and an explicit Deny for the owner.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import {
  DynamoDBClient, CreateTableCommand, PutResourcePolicyCommand, GetResourcePolicyCommand,
  DeleteResourcePolicyCommand, GetItemCommand, PolicyNotFoundException,
} from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, PutCommand, GetCommand } from "@aws-sdk/lib-dynamodb";
import { pkSkTable, rejectsWith, startLocalaws } from "./support.mjs";

const OTHER = { accessKeyId: "js-other", secretAccessKey: "js-other-secret", accountId: "111111111111" };
const ARN = "arn:aws:dynamodb:us-east-1:000000000000:table/js-rp";

let server;
let owner;
let other;

before(async () => {
  server = await startLocalaws({ accounts: [OTHER] });
  const client = (credentials) => new DynamoDBClient({ endpoint: server.endpoint, region: server.region, credentials,
    maxAttempts: 1 });
  owner = client(server.credentials);
  other = client({ accessKeyId: OTHER.accessKeyId, secretAccessKey: OTHER.secretAccessKey });
  await owner.send(new CreateTableCommand(pkSkTable("js-rp")));
});

after(async () => {
  owner?.destroy();
  other?.destroy();
  await server?.stop();
});

const policy = (...Statement) => JSON.stringify({ Version: "2012-10-17", Statement });

test("put, get and delete with revision ids", async () => {
  await assert.rejects(owner.send(new GetResourcePolicyCommand({ ResourceArn: ARN })), (e) => {
    assert.ok(e instanceof PolicyNotFoundException);
    assert.equal(e.message, `Resource-based policy not found for the provided ResourceArn: ${ARN}`);
    return true;
  });
  const p = policy({ Effect: "Allow", Principal: { AWS: OTHER.accountId }, Action: ["dynamodb:GetItem"], Resource: ARN });
  const { RevisionId } = await owner.send(new PutResourcePolicyCommand({ ResourceArn: ARN, Policy: p }));
  assert.match(RevisionId, /^\d{13}$/);
  const got = await owner.send(new GetResourcePolicyCommand({ ResourceArn: ARN }));
  assert.equal(got.RevisionId, RevisionId);
  assert.equal(JSON.parse(got.Policy).Statement[0].Principal.AWS, `arn:aws:iam::${OTHER.accountId}:root`);
  await rejectsWith(owner.send(new PutResourcePolicyCommand({ ResourceArn: ARN, Policy: p, ExpectedRevisionId: "1" })),
    "PolicyNotFoundException", 400);
  await rejectsWith(owner.send(new PutResourcePolicyCommand({ ResourceArn: ARN, Policy: "{}" })), "ValidationException", 400);
  const del = await owner.send(new DeleteResourcePolicyCommand({ ResourceArn: ARN, ExpectedRevisionId: RevisionId }));
  assert.equal(del.RevisionId, RevisionId);
  await rejectsWith(owner.send(new GetResourcePolicyCommand({ ResourceArn: ARN })), "PolicyNotFoundException", 400);
});

test("another account by table ARN: denied, then allowed by the policy", async () => {
  const doc = DynamoDBDocumentClient.from(other);
  await owner.send(new DeleteResourcePolicyCommand({ ResourceArn: ARN }));
  await assert.rejects(other.send(new GetItemCommand({ TableName: ARN, Key: { pk: { S: "a" }, sk: { N: "1" } } })), (e) => {
    assert.equal(e.name, "AccessDeniedException");
    assert.match(e.message, /is not authorized to perform: dynamodb:GetItem on resource: .*because no resource-based policy allows/);
    return true;
  });
  await rejectsWith(doc.send(new PutCommand({ TableName: ARN, Item: { pk: "a", sk: 1 } })), "AccessDeniedException", 400);
  await owner.send(new PutResourcePolicyCommand({ ResourceArn: ARN, Policy: policy({
    Effect: "Allow", Principal: "*", Action: ["dynamodb:GetItem", "dynamodb:PutItem"], Resource: ARN,
    Condition: { StringEquals: { "aws:PrincipalAccount": OTHER.accountId } },
  }) }));
  await doc.send(new PutCommand({ TableName: ARN, Item: { pk: "a", sk: 1, v: "from other" } }));
  assert.equal((await doc.send(new GetCommand({ TableName: ARN, Key: { pk: "a", sk: 1 } }))).Item.v, "from other");
  const mine = DynamoDBDocumentClient.from(owner);
  assert.equal((await mine.send(new GetCommand({ TableName: "js-rp", Key: { pk: "a", sk: 1 } }))).Item.v, "from other");
});

test("an explicit Deny refuses the owner", async () => {
  await owner.send(new PutResourcePolicyCommand({ ResourceArn: ARN, Policy: policy({
    Effect: "Deny", Principal: { AWS: "arn:aws:iam::000000000000:root" }, Action: "dynamodb:GetItem", Resource: ARN,
  }) }));
  await assert.rejects(owner.send(new GetItemCommand({ TableName: "js-rp", Key: { pk: { S: "a" }, sk: { N: "1" } } })), (e) => {
    assert.equal(e.name, "AccessDeniedException");
    assert.match(e.message, /with an explicit deny in a resource-based policy$/);
    return true;
  });
  await owner.send(new DeleteResourcePolicyCommand({ ResourceArn: ARN }));
  await owner.send(new GetItemCommand({ TableName: ARN, Key: { pk: { S: "a" }, sk: { N: "1" } } }));
});
