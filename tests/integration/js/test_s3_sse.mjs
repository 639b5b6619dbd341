// Server-side encryption through the AWS SDK for JavaScript v3 (its defaults: CRC32 checksums in
// an aws-chunked trailer): SSE-C put/get with SSECustomerKey (the SDK encodes the key and adds its
// MD5), a range, the errors for a missing and a wrong key, multipart with lib-storage, and the
// SSE-KMS / SSE-S3 headers parsed into the SDK's output fields.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import {
  PutObjectCommand, GetObjectCommand, HeadObjectCommand,
  PutBucketEncryptionCommand, GetBucketEncryptionCommand, CopyObjectCommand,
} from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { s3Suite } from "./support.mjs";

let server;
let s3;
const Bucket = "js-sse-bucket";
const keyA = randomBytes(32);
const keyB = randomBytes(32);
const md5 = (b) => createHash("md5").update(b).digest("base64");
const ssec = (key) => ({ SSECustomerAlgorithm: "AES256", SSECustomerKey: key });

s3Suite([Bucket], (sv, client) => {
  server = sv;
  s3 = client;
});

test("a new bucket reports SSE-S3 and blocks SSE-C; objects say AES256", async () => {
  const cfg = await s3.send(new GetBucketEncryptionCommand({ Bucket }));
  const rule = cfg.ServerSideEncryptionConfiguration.Rules[0];
  assert.equal(rule.ApplyServerSideEncryptionByDefault.SSEAlgorithm, "AES256");
  assert.deepEqual(rule.BlockedEncryptionTypes.EncryptionType, ["SSE-C"]);
  await assert.rejects(s3.send(new PutObjectCommand({ Bucket, Key: "c", Body: "x", ...ssec(keyA) })),
    (e) => e.name === "AccessDenied" && e.$metadata.httpStatusCode === 403);
  const put = await s3.send(new PutObjectCommand({ Bucket, Key: "plain", Body: "hello" }));
  assert.equal(put.ServerSideEncryption, "AES256");
  assert.equal(put.ETag, `"${createHash("md5").update("hello").digest("hex")}"`);
});

test("SSE-C put, get, range and errors", async () => {
  await s3.send(new PutBucketEncryptionCommand({ Bucket, ServerSideEncryptionConfiguration: { Rules: [{
    ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "AES256" },
    BlockedEncryptionTypes: { EncryptionType: ["NONE"] } }] } }));
  const body = randomBytes(70_000);
  const put = await s3.send(new PutObjectCommand({ Bucket, Key: "c", Body: body, ...ssec(keyA) }));
  assert.equal(put.SSECustomerAlgorithm, "AES256");
  assert.equal(put.SSECustomerKeyMD5, md5(keyA));
  assert.notEqual(put.ETag, `"${createHash("md5").update(body).digest("hex")}"`);
  const got = await s3.send(new GetObjectCommand({ Bucket, Key: "c", ...ssec(keyA) }));
  assert.deepEqual(Buffer.from(await got.Body.transformToByteArray()), body);
  assert.equal(got.SSECustomerKeyMD5, md5(keyA));
  const part = await s3.send(new GetObjectCommand({ Bucket, Key: "c", Range: "bytes=4093-40000", ...ssec(keyA) }));
  assert.deepEqual(Buffer.from(await part.Body.transformToByteArray()), body.subarray(4093, 40001));
  assert.equal(part.ContentRange, `bytes 4093-40000/${body.length}`);
  await assert.rejects(s3.send(new GetObjectCommand({ Bucket, Key: "c" })),
    (e) => e.name === "InvalidRequest" && e.$metadata.httpStatusCode === 400);
  await assert.rejects(s3.send(new GetObjectCommand({ Bucket, Key: "c", ...ssec(keyB) })),
    (e) => e.name === "AccessDenied" && e.$metadata.httpStatusCode === 403);
  const head = await s3.send(new HeadObjectCommand({ Bucket, Key: "c", ...ssec(keyA) }));
  assert.equal(head.ContentLength, body.length);
  // Copy to another key, then read it with that key.
  await s3.send(new CopyObjectCommand({ Bucket, Key: "c2", CopySource: `${Bucket}/c`, ...ssec(keyB),
    CopySourceSSECustomerAlgorithm: "AES256", CopySourceSSECustomerKey: keyA }));
  const copied = await s3.send(new GetObjectCommand({ Bucket, Key: "c2", ...ssec(keyB) }));
  assert.deepEqual(Buffer.from(await copied.Body.transformToByteArray()), body);
});

test("multipart upload with SSE-C through lib-storage", async () => {
  const body = randomBytes(11 * 1024 * 1024 + 5);
  await new Upload({ client: s3, params: { Bucket, Key: "mp", Body: body, ...ssec(keyA) },
    partSize: 5 * 1024 * 1024 }).done();
  const got = await s3.send(new GetObjectCommand({ Bucket, Key: "mp", ...ssec(keyA) }));
  assert.deepEqual(Buffer.from(await got.Body.transformToByteArray()), body);
  assert.match(got.ETag, /-3"$/);
  const at = 5 * 1024 * 1024;
  const r = await s3.send(new GetObjectCommand({ Bucket, Key: "mp", Range: `bytes=${at - 9}-${at + 9}`,
    ...ssec(keyA) }));
  assert.deepEqual(Buffer.from(await r.Body.transformToByteArray()), body.subarray(at - 9, at + 10));
});

test("SSE-KMS headers are parsed into the output", async () => {
  const put = await s3.send(new PutObjectCommand({ Bucket, Key: "kms", Body: "k", ServerSideEncryption: "aws:kms",
    SSEKMSKeyId: "alias/js", BucketKeyEnabled: true }));
  assert.equal(put.ServerSideEncryption, "aws:kms");
  assert.equal(put.SSEKMSKeyId, "arn:aws:kms:us-east-1:000000000000:alias/js");
  assert.equal(put.BucketKeyEnabled, true);
  const head = await s3.send(new HeadObjectCommand({ Bucket, Key: "kms" }));
  assert.equal(head.ServerSideEncryption, "aws:kms");
  assert.equal(head.SSEKMSKeyId, put.SSEKMSKeyId);
  assert.equal(head.BucketKeyEnabled, true);
  const dflt = await s3.send(new PutObjectCommand({ Bucket, Key: "kms2", Body: "k", ServerSideEncryption: "aws:kms" }));
  assert.match(dflt.SSEKMSKeyId, /^arn:aws:kms:us-east-1:000000000000:key\/[0-9a-f-]{36}$/);
  assert.equal(dflt.BucketKeyEnabled, undefined);
});
