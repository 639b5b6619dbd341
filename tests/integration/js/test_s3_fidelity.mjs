// S3 fidelity details of issue 15 through the AWS SDK for JavaScript v3: CreateBucket
// LocationConstraint rules and GetBucketLocation, non-ASCII user metadata (returned as an RFC 2047
// word), encoding-type=url on the listings, the extra elements of S3's errors, the checksum of one
// part (?partNumber) and CopyObject's checksum algorithm and conditions.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import {
  CreateBucketCommand, GetBucketLocationCommand, HeadBucketCommand, PutObjectCommand, HeadObjectCommand,
  GetObjectCommand, ListObjectsCommand, ListObjectsV2Command, ListObjectVersionsCommand,
  CreateMultipartUploadCommand, ListMultipartUploadsCommand, UploadPartCommand, CompleteMultipartUploadCommand,
  CopyObjectCommand,
} from "@aws-sdk/client-s3";
import { rejectsWith, s3Suite } from "./support.mjs";

let s3;
const Bucket = "js-fidelity";
const MB = 1024 * 1024;

s3Suite([Bucket], (_sv, client) => {
  s3 = client;
});

// CRC32 (IEEE) as S3 sends it: base64 of the big-endian value.
function crc32(buf) {
  let c = ~0;
  for (const b of buf) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  const out = Buffer.alloc(4);
  out.writeUInt32BE((~c) >>> 0);
  return out.toString("base64");
}

const rejection = async (promise) => {
  try {
    await promise;
  } catch (e) {
    return e;
  }
  assert.fail("the call succeeded");
};

test("LocationConstraint EU is eu-west-1 and GetBucketLocation keeps EU; us-east-1 has none", async () => {
  await s3.send(new CreateBucketCommand({ Bucket: "js-fid-eu", CreateBucketConfiguration: { LocationConstraint: "EU" } }));
  assert.equal((await s3.send(new GetBucketLocationCommand({ Bucket: "js-fid-eu" }))).LocationConstraint, "EU");
  const head = await s3.send(new HeadBucketCommand({ Bucket: "js-fid-eu" }));
  assert.equal(head.BucketRegion, "eu-west-1");
  await rejectsWith(s3.send(new CreateBucketCommand({ Bucket: "js-fid-eu",
    CreateBucketConfiguration: { LocationConstraint: "EU" } })), "BucketAlreadyOwnedByYou", 409);
  assert.equal((await s3.send(new GetBucketLocationCommand({ Bucket }))).LocationConstraint, undefined);
});

test("unknown regions and an explicit us-east-1 are InvalidLocationConstraint", async () => {
  for (const LocationConstraint of ["mars-north-1", "us-east-1"]) {
    const e = await rejection(s3.send(new CreateBucketCommand({ Bucket: "js-fid-bad",
      CreateBucketConfiguration: { LocationConstraint } })));
    assert.equal(e.name, "InvalidLocationConstraint");
    assert.equal(e.LocationConstraint, LocationConstraint);
  }
});

test("non-ASCII metadata comes back as one RFC 2047 word; what Node cannot send fails in the client", async () => {
  // Node sends "ü" as the ISO-8859-1 byte 0xFC; S3 stores UTF-8 and returns an encoded word.
  await s3.send(new PutObjectCommand({ Bucket, Key: "meta", Body: "x", Metadata: { City: "Zürich", Plain: "abc" } }));
  const head = await s3.send(new HeadObjectCommand({ Bucket, Key: "meta" }));
  const word = "=?UTF-8?B?" + Buffer.from("Zürich", "utf8").toString("base64") + "?=";
  assert.deepEqual(head.Metadata, { city: word, plain: "abc" });
  // A value sent already encoded is decoded before storing: the same answer.
  await s3.send(new PutObjectCommand({ Bucket, Key: "meta-word", Body: "x", Metadata: { city: word } }));
  assert.equal((await s3.send(new HeadObjectCommand({ Bucket, Key: "meta-word" }))).Metadata.city, word);
  await assert.rejects(s3.send(new PutObjectCommand({ Bucket, Key: "meta-kanji", Body: "x", Metadata: { c: "東京" } })),
    /Invalid character in header content/);
});

test("encoding-type=url encodes keys, prefixes and markers of every listing", async () => {
  const keys = ["a b/c+d%e", "ü/x"];
  for (const Key of keys) await s3.send(new PutObjectCommand({ Bucket, Key, Body: "x" }));
  const v2 = await s3.send(new ListObjectsV2Command({ Bucket, EncodingType: "url", Prefix: "a b/", StartAfter: "a b" }));
  assert.deepEqual([v2.EncodingType, v2.Prefix, v2.StartAfter, v2.Contents.map((o) => o.Key)],
    ["url", "a%20b/", "a%20b", ["a%20b/c%2Bd%25e"]]);
  const v1 = await s3.send(new ListObjectsCommand({ Bucket, EncodingType: "url", Delimiter: "/", Marker: "a b" }));
  assert.equal(v1.Marker, "a%20b");
  assert.deepEqual(v1.CommonPrefixes.map((p) => p.Prefix), ["a%20b/", "%C3%BC/"]);
  const versions = await s3.send(new ListObjectVersionsCommand({ Bucket, EncodingType: "url", Prefix: "ü" }));
  assert.deepEqual([versions.Prefix, versions.Versions.map((v) => v.Key)], ["%C3%BC", ["%C3%BC/x"]]);
  await s3.send(new CreateMultipartUploadCommand({ Bucket, Key: "up load+1" }));
  const ups = await s3.send(new ListMultipartUploadsCommand({ Bucket, EncodingType: "url", Prefix: "up " }));
  assert.deepEqual([ups.EncodingType, ups.Prefix, ups.Uploads.map((u) => u.Key), ups.NextKeyMarker],
    ["url", "up%20", ["up%20load%2B1"], "up%20load%2B1"]);
  // Without it the keys are as stored.
  const plain = await s3.send(new ListMultipartUploadsCommand({ Bucket, Prefix: "up " }));
  assert.deepEqual([plain.EncodingType, plain.Uploads.map((u) => u.Key)], [undefined, ["up load+1"]]);
  const e = await rejection(s3.send(new ListObjectsV2Command({ Bucket, EncodingType: "base64" })));
  assert.deepEqual([e.name, e.ArgumentName, e.ArgumentValue], ["InvalidArgument", "encoding-type", "base64"]);
});

test("errors carry S3's extra elements", async () => {
  await s3.send(new PutObjectCommand({ Bucket, Key: "five", Body: "hello" }));
  let e = await rejection(s3.send(new GetObjectCommand({ Bucket, Key: "five", Range: "bytes=10-20" })));
  assert.deepEqual([e.name, e.$metadata.httpStatusCode, e.RangeRequested, e.ActualObjectSize],
    ["InvalidRange", 416, "bytes=10-20", "5"]);
  e = await rejection(s3.send(new GetObjectCommand({ Bucket, Key: "five", PartNumber: 3 })));
  assert.deepEqual([e.name, e.$metadata.httpStatusCode, e.PartNumberRequested, e.ActualPartCount],
    ["InvalidPartNumber", 416, "3", "1"]);
  e = await rejection(s3.send(new ListObjectsV2Command({ Bucket, ContinuationToken: "%%" })));
  assert.deepEqual([e.name, e.ArgumentName, e.ArgumentValue], ["InvalidArgument", "continuation-token", "%%"]);
  const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key: "small" }));
  const parts = [];
  for (const PartNumber of [1, 2]) {
    const { ETag } = await s3.send(new UploadPartCommand({ Bucket, Key: "small", UploadId, PartNumber, Body: "tiny" }));
    parts.push({ PartNumber, ETag });
  }
  e = await rejection(s3.send(new CompleteMultipartUploadCommand({ Bucket, Key: "small", UploadId,
    MultipartUpload: { Parts: parts } })));
  assert.deepEqual([e.name, e.ProposedSize, e.MinSizeAllowed, e.PartNumber, e.ETag],
    ["EntityTooSmall", "4", String(5 * MB), "1", parts[0].ETag]);
  e = await rejection(s3.send(new CompleteMultipartUploadCommand({ Bucket, Key: "small", UploadId,
    MultipartUpload: { Parts: [{ PartNumber: 7, ETag: parts[0].ETag }] } })));
  assert.deepEqual([e.name, e.UploadId, e.PartNumber], ["InvalidPart", UploadId, "7"]);
  e = await rejection(s3.send(new UploadPartCommand({ Bucket, Key: "small", UploadId: "nope", PartNumber: 1, Body: "x" })));
  assert.deepEqual([e.name, e.$metadata.httpStatusCode, e.UploadId], ["NoSuchUpload", 404, "nope"]);
});

test("HeadObject and GetObject with PartNumber return that part's checksum", async () => {
  const data = [Buffer.alloc(5 * MB, "a"), Buffer.from("last part")];
  const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key: "parts",
    ChecksumAlgorithm: "CRC32", ChecksumType: "COMPOSITE" }));
  const Parts = [];
  for (const [i, Body] of data.entries()) {
    const r = await s3.send(new UploadPartCommand({ Bucket, Key: "parts", UploadId, PartNumber: i + 1, Body,
      ChecksumCRC32: crc32(Body) }));
    Parts.push({ PartNumber: i + 1, ETag: r.ETag, ChecksumCRC32: crc32(Body) });
  }
  await s3.send(new CompleteMultipartUploadCommand({ Bucket, Key: "parts", UploadId, MultipartUpload: { Parts } }));
  for (const [i, Body] of data.entries()) {
    const head = await s3.send(new HeadObjectCommand({ Bucket, Key: "parts", PartNumber: i + 1, ChecksumMode: "ENABLED" }));
    assert.deepEqual([head.ChecksumCRC32, head.ChecksumType, head.PartsCount, head.ContentLength],
      [crc32(Body), "COMPOSITE", 2, Body.length]);
  }
  const got = await s3.send(new GetObjectCommand({ Bucket, Key: "parts", PartNumber: 2, ChecksumMode: "ENABLED" }));
  assert.equal(got.ChecksumCRC32, crc32(data[1]));
  assert.equal(Buffer.from(await got.Body.transformToByteArray()).toString(), "last part");
});

test("CopyObject keeps the source's algorithm, takes another when asked, and honours IfNoneMatch / IfMatch", async () => {
  await s3.send(new PutObjectCommand({ Bucket, Key: "sha", Body: "hi", ChecksumAlgorithm: "SHA256" }));
  const kept = await s3.send(new CopyObjectCommand({ Bucket, Key: "sha-copy", CopySource: `${Bucket}/sha` }));
  assert.equal(kept.CopyObjectResult.ChecksumSHA256, createHash("sha256").update("hi").digest("base64"));
  const other = await s3.send(new CopyObjectCommand({ Bucket, Key: "crc-copy", CopySource: `${Bucket}/sha`,
    ChecksumAlgorithm: "CRC32" }));
  assert.deepEqual([other.CopyObjectResult.ChecksumCRC32, other.CopyObjectResult.ChecksumType],
    [crc32(Buffer.from("hi")), "FULL_OBJECT"]);
  await s3.send(new CopyObjectCommand({ Bucket, Key: "cond", CopySource: `${Bucket}/sha`, IfNoneMatch: "*" }));
  await rejectsWith(s3.send(new CopyObjectCommand({ Bucket, Key: "cond", CopySource: `${Bucket}/sha`, IfNoneMatch: "*" })),
    "PreconditionFailed", 412);
  const { ETag } = await s3.send(new HeadObjectCommand({ Bucket, Key: "cond" }));
  await s3.send(new CopyObjectCommand({ Bucket, Key: "cond", CopySource: `${Bucket}/sha`, IfMatch: ETag,
    MetadataDirective: "REPLACE", Metadata: { v: "2" } }));
  await rejectsWith(s3.send(new CopyObjectCommand({ Bucket, Key: "cond", CopySource: `${Bucket}/sha`,
    IfMatch: '"0123456789abcdef0123456789abcdef"' })), "PreconditionFailed", 412);
});
