// Bucket-policy conditions through the AWS SDK for JavaScript v3, a few cases as data: deny unless
// aws:SecureTransport, deny PutObject without SSE, an aws:SourceIp allow list with 127.0.0.1,
// s3:prefix-limited listing and a tag condition for a second account; MalformedPolicy for an
// unknown condition key; ExpectedBucketOwner.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import {
  CreateBucketCommand, PutObjectCommand, GetObjectCommand, ListObjectsV2Command, PutBucketPolicyCommand,
  DeleteBucketPolicyCommand, DeletePublicAccessBlockCommand,
} from "@aws-sdk/client-s3";
import { startLocalaws, s3ClientFor, rejectsWith } from "./support.mjs";

const SECOND = { accessKeyId: "AKIAJSSECONDACCOUNT", secretAccessKey: "js-second-secret", accountId: "111122223333" };
let server;
let s3;
let s3b;
let n = 0;

before(async () => {
  server = await startLocalaws({ accounts: [SECOND] });
  s3 = s3ClientFor(server);
  s3b = s3ClientFor(server, { credentials: { accessKeyId: SECOND.accessKeyId, secretAccessKey: SECOND.secretAccessKey } });
});

after(async () => {
  s3?.destroy();
  s3b?.destroy();
  await server?.stop();
});

const policy = (...Statement) => JSON.stringify({ Version: "2012-10-17", Statement });
const objects = (b) => `arn:aws:s3:::${b}/*`;
const second = { AWS: SECOND.accountId };

async function newBucket() {
  const Bucket = `js-cond-${process.pid}-${++n}`;
  await s3.send(new CreateBucketCommand({ Bucket }));
  await s3.send(new DeletePublicAccessBlockCommand({ Bucket }));
  await s3.send(new PutObjectCommand({ Bucket, Key: "public/a.txt", Body: "a" }));
  await s3.send(new PutObjectCommand({ Bucket, Key: "private/b.txt", Body: "b" }));
  await s3.send(new PutObjectCommand({ Bucket, Key: "tagged", Body: "t", Tagging: "Classification=public" }));
  return Bucket;
}

const CASES = [
  {
    name: "deny unless aws:SecureTransport: plain HTTP is denied",
    statements: (b) => [{ Effect: "Deny", Principal: "*", Action: "s3:*", Resource: [`arn:aws:s3:::${b}`, objects(b)],
      Condition: { Bool: { "aws:SecureTransport": "false" } } }],
    run: (b) => s3.send(new GetObjectCommand({ Bucket: b, Key: "public/a.txt" })),
    allowed: false,
  },
  {
    name: "deny PutObject without SSE: without the header",
    statements: (b) => [{ Effect: "Deny", Principal: "*", Action: "s3:PutObject", Resource: objects(b),
      Condition: { StringNotEquals: { "s3:x-amz-server-side-encryption": "AES256" } } }],
    run: (b) => s3.send(new PutObjectCommand({ Bucket: b, Key: "n", Body: "x" })),
    allowed: false,
  },
  {
    name: "deny PutObject without SSE: with AES256",
    statements: (b) => [{ Effect: "Deny", Principal: "*", Action: "s3:PutObject", Resource: objects(b),
      Condition: { StringNotEquals: { "s3:x-amz-server-side-encryption": "AES256" } } }],
    run: (b) => s3.send(new PutObjectCommand({ Bucket: b, Key: "n", Body: "x", ServerSideEncryption: "AES256" })),
    allowed: true,
  },
  {
    name: "aws:SourceIp allow list with 127.0.0.1",
    statements: (b) => [{ Effect: "Allow", Principal: second, Action: "s3:GetObject", Resource: objects(b),
      Condition: { IpAddress: { "aws:SourceIp": ["127.0.0.1/32"] } } }],
    run: (b) => s3b.send(new GetObjectCommand({ Bucket: b, Key: "public/a.txt" })),
    allowed: true,
  },
  {
    name: "aws:SourceIp allow list without it",
    statements: (b) => [{ Effect: "Allow", Principal: second, Action: "s3:GetObject", Resource: objects(b),
      Condition: { IpAddress: { "aws:SourceIp": ["203.0.113.0/24"] } } }],
    run: (b) => s3b.send(new GetObjectCommand({ Bucket: b, Key: "public/a.txt" })),
    allowed: false,
  },
  {
    name: "s3:prefix-limited listing inside the prefix",
    statements: (b) => [{ Effect: "Allow", Principal: second, Action: "s3:ListBucket", Resource: `arn:aws:s3:::${b}`,
      Condition: { StringLike: { "s3:prefix": "public/*" } } }],
    run: (b) => s3b.send(new ListObjectsV2Command({ Bucket: b, Prefix: "public/" })),
    allowed: true,
  },
  {
    name: "s3:prefix-limited listing outside it",
    statements: (b) => [{ Effect: "Allow", Principal: second, Action: "s3:ListBucket", Resource: `arn:aws:s3:::${b}`,
      Condition: { StringLike: { "s3:prefix": "public/*" } } }],
    run: (b) => s3b.send(new ListObjectsV2Command({ Bucket: b, Prefix: "private/" })),
    allowed: false,
  },
  {
    name: "s3:ExistingObjectTag",
    statements: (b) => [{ Effect: "Allow", Principal: second, Action: "s3:GetObject", Resource: objects(b),
      Condition: { StringEquals: { "s3:ExistingObjectTag/Classification": "public" } } }],
    run: (b) => s3b.send(new GetObjectCommand({ Bucket: b, Key: "tagged" })),
    allowed: true,
  },
  {
    name: "s3:ExistingObjectTag on an untagged object",
    statements: (b) => [{ Effect: "Allow", Principal: second, Action: "s3:GetObject", Resource: objects(b),
      Condition: { StringEquals: { "s3:ExistingObjectTag/Classification": "public" } } }],
    run: (b) => s3b.send(new GetObjectCommand({ Bucket: b, Key: "public/a.txt" })),
    allowed: false,
  },
];

for (const c of CASES) {
  test(`policy case: ${c.name}`, async () => {
    const Bucket = await newBucket();
    await s3.send(new PutBucketPolicyCommand({ Bucket, Policy: policy(...c.statements(Bucket)) }));
    if (c.allowed) await c.run(Bucket);
    else await rejectsWith(c.run(Bucket), "AccessDenied", 403);
    // The owner may always remove the policy, even one that denies it everything.
    await s3.send(new DeleteBucketPolicyCommand({ Bucket }));
  });
}

test("an unknown condition key is MalformedPolicy", async () => {
  const Bucket = await newBucket();
  await rejectsWith(s3.send(new PutBucketPolicyCommand({ Bucket, Policy: policy({ Effect: "Allow", Principal: second,
    Action: "s3:GetObject", Resource: objects(Bucket), Condition: { StringEquals: { "s3:no-such-key": "x" } } }) })),
  "MalformedPolicy", 400);
});

test("ExpectedBucketOwner", async () => {
  const Bucket = await newBucket();
  const out = await s3.send(new GetObjectCommand({ Bucket, Key: "public/a.txt", ExpectedBucketOwner: "000000000000" }));
  assert.equal(await out.Body.transformToString(), "a");
  await rejectsWith(s3.send(new GetObjectCommand({ Bucket, Key: "public/a.txt", ExpectedBucketOwner: SECOND.accountId })),
    "AccessDenied", 403);
  await rejectsWith(s3.send(new PutObjectCommand({ Bucket, Key: "x", Body: "x", ExpectedBucketOwner: SECOND.accountId })),
    "AccessDenied", 403);
});
