// S3 access control through the AWS SDK for JavaScript v3: presigned URLs from
// @aws-sdk/s3-request-presigner (GET, PUT, HEAD, DELETE, UploadPart) used with plain fetch, expiry,
// and the calls that make a bucket's objects public today (ownership controls, public access
// block, public-read ACL, bucket policy), checked with anonymous fetches.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  CreateBucketCommand, PutObjectCommand, GetObjectCommand, HeadObjectCommand, DeleteObjectCommand,
  CreateMultipartUploadCommand, UploadPartCommand, CompleteMultipartUploadCommand,
  PutBucketOwnershipControlsCommand, DeletePublicAccessBlockCommand, PutBucketPolicyCommand,
  GetBucketPolicyStatusCommand,
} from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { s3Suite } from "./support.mjs";

let server;
let s3;
const Bucket = "js-access-bucket";

s3Suite([Bucket], (sv, client) => {
  server = sv;
  s3 = client;
});

const presign = (command, expiresIn = 300) => getSignedUrl(s3, command, { expiresIn });

test("presigned PUT, GET, HEAD, DELETE with fetch and no credentials", async () => {
  const Key = "uploads/from js.txt";
  let res = await fetch(await presign(new PutObjectCommand({ Bucket, Key })), { method: "PUT", body: "js bytes" });
  assert.equal(res.status, 200, await res.text());
  res = await fetch(await presign(new GetObjectCommand({ Bucket, Key })));
  assert.equal(res.status, 200);
  assert.equal(await res.text(), "js bytes");
  res = await fetch(await presign(new HeadObjectCommand({ Bucket, Key })), { method: "HEAD" });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("content-length"), "8");
  // Not public: the same URL without its signature is refused.
  const bare = `${server.endpoint}/${Bucket}/uploads/from%20js.txt`;
  assert.equal((await fetch(bare)).status, 403);
  res = await fetch(await presign(new DeleteObjectCommand({ Bucket, Key })), { method: "DELETE" });
  assert.equal(res.status, 204);
  res = await fetch(await presign(new GetObjectCommand({ Bucket, Key })));
  assert.equal(res.status, 404);
});

test("presigned UploadPart", async () => {
  const Key = "multipart-js";
  const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key }));
  const url = await presign(new UploadPartCommand({ Bucket, Key, UploadId, PartNumber: 1 }));
  const res = await fetch(url, { method: "PUT", body: "only part" });
  assert.equal(res.status, 200, await res.text());
  const ETag = res.headers.get("etag");
  await s3.send(new CompleteMultipartUploadCommand({ Bucket, Key, UploadId,
                                                     MultipartUpload: { Parts: [{ PartNumber: 1, ETag }] } }));
  const got = await s3.send(new GetObjectCommand({ Bucket, Key }));
  assert.equal(await got.Body.transformToString(), "only part");
});

test("presigned URL expiry", async () => {
  await s3.send(new PutObjectCommand({ Bucket, Key: "short-lived", Body: "x" }));
  const url = await presign(new GetObjectCommand({ Bucket, Key: "short-lived" }), 1);
  await new Promise((r) => setTimeout(r, 2100));
  const res = await fetch(url);
  assert.equal(res.status, 403);
  const text = await res.text();
  assert.match(text, /<Code>AccessDenied<\/Code>/);
  assert.match(text, /Request has expired/);
});

test("public objects by ACL and by policy, as AWS requires today", async () => {
  const b = "js-public-bucket";
  await s3.send(new CreateBucketCommand({ Bucket: b }));
  await assert.rejects(
    s3.send(new PutObjectCommand({ Bucket: b, Key: "a.txt", Body: "a", ACL: "public-read" })),
    (e) => e.name === "AccessControlListNotSupported");
  await s3.send(new PutBucketOwnershipControlsCommand({ Bucket: b,
    OwnershipControls: { Rules: [{ ObjectOwnership: "BucketOwnerPreferred" }] } }));
  await s3.send(new DeletePublicAccessBlockCommand({ Bucket: b }));
  await s3.send(new PutObjectCommand({ Bucket: b, Key: "a.txt", Body: "a", ACL: "public-read" }));
  await s3.send(new PutObjectCommand({ Bucket: b, Key: "open/b.txt", Body: "b" }));
  assert.equal(await (await fetch(`${server.endpoint}/${b}/a.txt`)).text(), "a");
  assert.equal((await fetch(`${server.endpoint}/${b}/open/b.txt`)).status, 403);
  await s3.send(new PutBucketPolicyCommand({ Bucket: b, Policy: JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: `arn:aws:s3:::${b}/open/*` }],
  }) }));
  const status = await s3.send(new GetBucketPolicyStatusCommand({ Bucket: b }));
  assert.equal(status.PolicyStatus.IsPublic, true);
  assert.equal(await (await fetch(`${server.endpoint}/${b}/open/b.txt`)).text(), "b");
});
