// S3 through the AWS SDK for JavaScript v3, with its defaults (CRC32 checksums in an
// aws-chunked trailer on uploads) and path-style addressing.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import {
  CreateBucketCommand, PutObjectCommand, GetObjectCommand, HeadObjectCommand,
  paginateListObjectsV2, DeleteObjectCommand, ListBucketsCommand,
} from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { Readable } from "node:stream";
import { s3Suite } from "./support.mjs";

let server;
let s3;
const Bucket = "js-sdk-bucket";

s3Suite([Bucket], (sv, client) => {
  server = sv;
  s3 = client;
});

test("ListBuckets shows the bucket", async () => {
  const out = await s3.send(new ListBucketsCommand({}));
  assert.ok(out.Buckets.some((b) => b.Name === Bucket));
});

test("PutObject with the default CRC32 checksum, then GetObject", async () => {
  const body = randomBytes(100_000);
  const put = await s3.send(new PutObjectCommand({ Bucket, Key: "js/one.bin", Body: body }));
  assert.equal(put.ETag, `"${createHash("md5").update(body).digest("hex")}"`);
  assert.ok(put.ChecksumCRC32, "the CRC32 the SDK sent is stored and returned");
  const got = await s3.send(new GetObjectCommand({ Bucket, Key: "js/one.bin", ChecksumMode: "ENABLED" }));
  const bytes = Buffer.from(await got.Body.transformToByteArray());
  assert.deepEqual(bytes, body);
  assert.equal(got.ChecksumCRC32, put.ChecksumCRC32);
  assert.equal(got.ContentEncoding, undefined, "aws-chunked is not stored as the object's encoding");
  const head = await s3.send(new HeadObjectCommand({ Bucket, Key: "js/one.bin" }));
  assert.equal(head.ContentLength, body.length);
});

test("PutObject of a stream: aws-chunked body with a trailing CRC32 (needs the SigV4 chunk decoder)", async () => {
  const body = randomBytes(200_000);
  const put = await s3.send(new PutObjectCommand({
    Bucket, Key: "js/stream.bin", Body: Readable.from([body.subarray(0, 70_000), body.subarray(70_000)]),
    ContentLength: body.length,
  }));
  const got = await s3.send(new GetObjectCommand({ Bucket, Key: "js/stream.bin", ChecksumMode: "ENABLED" }));
  const bytes = Buffer.from(await got.Body.transformToByteArray());
  assert.equal(bytes.length, body.length, "the chunk framing is not stored inside the object");
  assert.ok(bytes.equals(body));
  assert.equal(got.ChecksumCRC32, put.ChecksumCRC32);
  assert.equal(got.ContentEncoding, undefined);
});

test("ListObjectsV2 paginator walks every key in order", async () => {
  const keys = [];
  for (let i = 0; i < 25; i++) keys.push(`page/${String(i).padStart(3, "0")}`);
  for (const Key of keys) await s3.send(new PutObjectCommand({ Bucket, Key, Body: Key }));
  const seen = [];
  let pages = 0;
  for await (const page of paginateListObjectsV2({ client: s3, pageSize: 7 }, { Bucket, Prefix: "page/" })) {
    pages++;
    for (const o of page.Contents ?? []) seen.push(o.Key);
    assert.ok(pages < 100);
  }
  assert.deepEqual(seen, keys);
  assert.equal(pages, 4);
});

test("Upload from lib-storage goes multipart and reads back", async () => {
  const body = randomBytes(12 * 1024 * 1024 + 17);
  const upload = new Upload({ client: s3, params: { Bucket, Key: "js/big.bin", Body: body }, partSize: 5 * 1024 * 1024 });
  const out = await upload.done();
  assert.match(out.ETag, /-3"$/);
  const got = await s3.send(new GetObjectCommand({ Bucket, Key: "js/big.bin" }));
  const bytes = Buffer.from(await got.Body.transformToByteArray());
  assert.equal(bytes.length, body.length);
  assert.ok(bytes.equals(body));
  await s3.send(new DeleteObjectCommand({ Bucket, Key: "js/big.bin" }));
  await assert.rejects(s3.send(new HeadObjectCommand({ Bucket, Key: "js/big.bin" })), (e) => e.name === "NotFound");
});

test("errors come back with S3's codes", async () => {
  await assert.rejects(s3.send(new GetObjectCommand({ Bucket, Key: "missing" })), (e) => e.name === "NoSuchKey");
  await assert.rejects(s3.send(new CreateBucketCommand({ Bucket: "Bad_Name" })), (e) => e.name === "InvalidBucketName");
});
