// Conditional writes and ListBuckets paging through the AWS SDK for JavaScript v3 (its defaults,
// CRC32 checksums on uploads): IfNoneMatch "*" twice (412), IfMatch on PutObject, DeleteObject and in
// DeleteObjects entries, a repeated CompleteMultipartUpload, and ListBuckets with MaxBuckets,
// ContinuationToken, Prefix and BucketRegion.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  CreateBucketCommand, PutObjectCommand, GetObjectCommand, DeleteObjectCommand, DeleteObjectsCommand,
  ListObjectsV2Command, ListBucketsCommand, CreateMultipartUploadCommand, UploadPartCommand,
  CompleteMultipartUploadCommand,
} from "@aws-sdk/client-s3";
import { rejectsWith, s3Suite } from "./support.mjs";

let server;
let s3;
const Bucket = "js-conditional";

s3Suite([Bucket], (sv, client) => {
  server = sv;
  s3 = client;
});

const text = async (out) => Buffer.from(await out.Body.transformToByteArray()).toString();
const keys = async (Prefix) =>
  ((await s3.send(new ListObjectsV2Command({ Bucket, Prefix }))).Contents ?? []).map((o) => o.Key);

test("IfNoneMatch '*' writes once; the second put is 412 and changes nothing", async () => {
  await s3.send(new PutObjectCommand({ Bucket, Key: "once", Body: "first", IfNoneMatch: "*" }));
  await rejectsWith(s3.send(new PutObjectCommand({ Bucket, Key: "once", Body: "second", IfNoneMatch: "*" })),
    "PreconditionFailed", 412);
  assert.equal(await text(await s3.send(new GetObjectCommand({ Bucket, Key: "once" }))), "first");
});

test("IfMatch on PutObject compares the current ETag", async () => {
  const { ETag } = await s3.send(new PutObjectCommand({ Bucket, Key: "cas", Body: "v1" }));
  await s3.send(new PutObjectCommand({ Bucket, Key: "cas", Body: "v2", IfMatch: ETag }));
  await rejectsWith(s3.send(new PutObjectCommand({ Bucket, Key: "cas", Body: "v3", IfMatch: ETag })),
    "PreconditionFailed", 412);
  await rejectsWith(s3.send(new PutObjectCommand({ Bucket, Key: "cas-none", Body: "x", IfMatch: ETag })),
    "NoSuchKey", 404);
  assert.equal(await text(await s3.send(new GetObjectCommand({ Bucket, Key: "cas" }))), "v2");
});

test("IfMatch on DeleteObject and ETag in DeleteObjects entries", async () => {
  const { ETag } = await s3.send(new PutObjectCommand({ Bucket, Key: "del", Body: "d" }));
  await rejectsWith(s3.send(new DeleteObjectCommand({ Bucket, Key: "del", IfMatch: '"00000000"' })),
    "PreconditionFailed", 412);
  assert.deepEqual(await keys("del"), ["del"]);
  await s3.send(new DeleteObjectCommand({ Bucket, Key: "del", IfMatch: ETag }));
  assert.deepEqual(await keys("del"), []);
  await rejectsWith(s3.send(new DeleteObjectCommand({ Bucket, Key: "del", IfMatch: "*" })), "NoSuchKey", 404);

  const a = await s3.send(new PutObjectCommand({ Bucket, Key: "multi-a", Body: "a" }));
  await s3.send(new PutObjectCommand({ Bucket, Key: "multi-b", Body: "b" }));
  const out = await s3.send(new DeleteObjectsCommand({ Bucket, Delete: { Objects: [
    { Key: "multi-a", ETag: a.ETag }, { Key: "multi-b", ETag: a.ETag }] } }));
  assert.deepEqual(out.Deleted.map((d) => d.Key), ["multi-a"]);
  assert.deepEqual(out.Errors.map((e) => [e.Key, e.Code]), [["multi-b", "PreconditionFailed"]]);
  assert.deepEqual(await keys("multi-"), ["multi-b"]);
});

test("completing an upload again answers the same ETag", async () => {
  const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key: "mpu" }));
  const part = await s3.send(new UploadPartCommand({ Bucket, Key: "mpu", UploadId, PartNumber: 1, Body: "one" }));
  const MultipartUpload = { Parts: [{ PartNumber: 1, ETag: part.ETag }] };
  const first = await s3.send(new CompleteMultipartUploadCommand({ Bucket, Key: "mpu", UploadId, MultipartUpload,
    IfNoneMatch: "*" }));
  const again = await s3.send(new CompleteMultipartUploadCommand({ Bucket, Key: "mpu", UploadId, MultipartUpload }));
  assert.equal(again.ETag, first.ETag);
  assert.match(first.ETag, /-1"$/);
  const other = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key: "mpu" }));
  const p2 = await s3.send(new UploadPartCommand({ Bucket, Key: "mpu", UploadId: other.UploadId, PartNumber: 1,
    Body: "two" }));
  await rejectsWith(s3.send(new CompleteMultipartUploadCommand({ Bucket, Key: "mpu", UploadId: other.UploadId,
    MultipartUpload: { Parts: [{ PartNumber: 1, ETag: p2.ETag }] }, IfNoneMatch: "*" })), "PreconditionFailed", 412);
});

test("ListBuckets pages with MaxBuckets, ContinuationToken, Prefix and BucketRegion", async () => {
  const names = ["jslb-a", "jslb-b", "jslb-c", "jslb-d", "jslb-e"];
  for (const [i, name] of names.entries()) {
    const conf = i % 2 ? { CreateBucketConfiguration: { LocationConstraint: "eu-west-1" } } : {};
    await s3.send(new CreateBucketCommand({ Bucket: name, ...conf }));
  }
  const walk = async (params) => {
    const seen = [];
    let ContinuationToken;
    let pages = 0;
    do {
      const page = await s3.send(new ListBucketsCommand({ ...params, ContinuationToken }));
      pages += 1;
      assert.ok(page.Buckets.length <= params.MaxBuckets);
      assert.equal(page.Prefix, "jslb-");
      seen.push(...page.Buckets);
      ContinuationToken = page.ContinuationToken;
    } while (ContinuationToken && pages < 10);
    return { seen, pages };
  };
  const all = await walk({ MaxBuckets: 2, Prefix: "jslb-" });
  assert.deepEqual(all.seen.map((b) => b.Name), names);
  assert.equal(all.pages, 3);
  assert.deepEqual(all.seen.map((b) => b.BucketRegion),
    ["us-east-1", "eu-west-1", "us-east-1", "eu-west-1", "us-east-1"]);
  const eu = await walk({ MaxBuckets: 1, Prefix: "jslb-", BucketRegion: "eu-west-1" });
  assert.deepEqual(eu.seen.map((b) => b.Name), ["jslb-b", "jslb-d"]);
  assert.equal(eu.pages, 2);
});
