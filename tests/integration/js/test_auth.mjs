// SigV4 through the AWS SDK for JavaScript v3: right keys pass, a wrong secret is refused.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { S3Client, ListBucketsCommand } from "@aws-sdk/client-s3";
import { DynamoDBClient, ListTablesCommand } from "@aws-sdk/client-dynamodb";
import { startLocalaws } from "./support.mjs";

let la;
before(async () => { la = await startLocalaws(); });
after(async () => { await la.stop(); });

const clients = (secretAccessKey) => {
  const cfg = {
    endpoint: la.endpoint, region: la.region, forcePathStyle: true, maxAttempts: 1,
    credentials: { accessKeyId: "test", secretAccessKey },
  };
  return { s3: new S3Client(cfg), ddb: new DynamoDBClient(cfg) };
};

test("right secret is accepted", async () => {
  const { s3, ddb } = clients("test");
  const buckets = await s3.send(new ListBucketsCommand({}));
  assert.ok(Array.isArray(buckets.Buckets ?? []));
  assert.ok(buckets.Owner?.ID);
  const tables = await ddb.send(new ListTablesCommand({}));
  assert.deepEqual(tables.TableNames, []);
});

test("wrong secret is refused with AWS's error codes", async () => {
  const { s3, ddb } = clients("wrong");
  await assert.rejects(s3.send(new ListBucketsCommand({})), (e) => {
    assert.equal(e.name, "SignatureDoesNotMatch");
    assert.equal(e.$metadata.httpStatusCode, 403);
    return true;
  });
  await assert.rejects(ddb.send(new ListTablesCommand({})), (e) => {
    assert.equal(e.name, "InvalidSignatureException");
    assert.equal(e.$metadata.httpStatusCode, 400);
    return true;
  });
});
