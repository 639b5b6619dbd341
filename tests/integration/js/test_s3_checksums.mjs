// S3 checksums through the AWS SDK for JavaScript v3, its own checksum implementations
// (@aws-sdk/checksums: Crc32, Crc32c, Crc64Nvme) as the oracle: the SDK's default CRC32 on PutObject
// and the response validation it does on GetObject, the CRC64NVME S3 adds to an object sent without
// a checksum, a multipart upload with ChecksumAlgorithm CRC64NVME (FULL_OBJECT, combined from the
// parts) and a composite CRC32 one with its -N value, and GetObjectAttributes ObjectParts.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import {
  CreateBucketCommand, PutObjectCommand, GetObjectCommand, HeadObjectCommand, CreateMultipartUploadCommand,
  UploadPartCommand, CompleteMultipartUploadCommand, ListPartsCommand, GetObjectAttributesCommand,
} from "@aws-sdk/client-s3";
import { Crc32, Crc32c, Crc64Nvme } from "@aws-sdk/checksums/crc";
import { startLocalaws, s3ClientFor, rejectsWith } from "./support.mjs";

let server;
let s3;          // the SDK's defaults: CRC32 on every upload, response checksums validated
let s3Required;  // checksums only when an operation requires them
const Bucket = "js-checksums";
const MIB = 1024 * 1024;

async function sum(Impl, ...chunks) {
  const h = new Impl();
  for (const c of chunks) h.update(c);
  return Buffer.from(await h.digest()).toString("base64");
}

before(async () => {
  server = await startLocalaws();
  s3 = s3ClientFor(server);
  s3Required = s3ClientFor(server, { requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED" });
  await s3.send(new CreateBucketCommand({ Bucket }));
});

after(async () => {
  s3?.destroy();
  s3Required?.destroy();
  await server?.stop();
});

test("the SDK's default CRC32 on PutObject is stored and returned", async () => {
  const Body = Buffer.from("default checksum of the JS SDK");
  const put = await s3.send(new PutObjectCommand({ Bucket, Key: "default", Body }));
  assert.equal(put.ChecksumCRC32, await sum(Crc32, Body));
  assert.equal(put.ChecksumType, "FULL_OBJECT");
  const got = await s3.send(new GetObjectCommand({ Bucket, Key: "default", ChecksumMode: "ENABLED" }));
  assert.equal(got.ChecksumCRC32, await sum(Crc32, Body));
  assert.equal(Buffer.from(await got.Body.transformToByteArray()).toString(), Body.toString());
  // A wrong claimed value: BadDigest.
  await rejectsWith(s3Required.send(new PutObjectCommand({ Bucket, Key: "bad", Body,
    ChecksumCRC32C: await sum(Crc32c, Buffer.from("other")) })), "BadDigest", 400);
});

test("an object sent without a checksum gets S3's CRC64NVME", async () => {
  const Body = Buffer.from("no checksum from the client");
  const put = await s3Required.send(new PutObjectCommand({ Bucket, Key: "plain", Body }));
  const want = await sum(Crc64Nvme, Body);
  assert.equal(put.ChecksumCRC64NVME, want);
  const head = await s3Required.send(new HeadObjectCommand({ Bucket, Key: "plain", ChecksumMode: "ENABLED" }));
  assert.equal(head.ChecksumCRC64NVME, want);
  assert.equal(head.ChecksumType, "FULL_OBJECT");
  const attrs = await s3Required.send(new GetObjectAttributesCommand({ Bucket, Key: "plain",
    ObjectAttributes: ["Checksum"] }));
  assert.deepEqual(attrs.Checksum, { ChecksumCRC64NVME: want, ChecksumType: "FULL_OBJECT" });
});

async function upload(Key, ChecksumAlgorithm, bodies, extra = {}) {
  const { UploadId, ChecksumType } = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key,
    ChecksumAlgorithm, ...extra }));
  const Parts = [];
  for (let i = 0; i < bodies.length; i++) {
    // The SDK computes the part checksum of the upload's algorithm itself.
    const r = await s3.send(new UploadPartCommand({ Bucket, Key, UploadId, PartNumber: i + 1, Body: bodies[i],
      ChecksumAlgorithm }));
    const name = `Checksum${ChecksumAlgorithm}`;
    Parts.push({ PartNumber: i + 1, ETag: r.ETag, [name]: r[name] });
  }
  return { UploadId, ChecksumType, Parts };
}

test("multipart with ChecksumAlgorithm CRC64NVME: FULL_OBJECT from the parts' CRCs", async () => {
  const bodies = [Buffer.alloc(5 * MIB, 0x61), Buffer.from("tail of the object")];
  const Key = "mp-crc64";
  const { UploadId, ChecksumType, Parts } = await upload(Key, "CRC64NVME", bodies);
  assert.equal(ChecksumType, "FULL_OBJECT");
  assert.equal(Parts[0].ChecksumCRC64NVME, await sum(Crc64Nvme, bodies[0]));
  const listed = await s3.send(new ListPartsCommand({ Bucket, Key, UploadId }));
  assert.equal(listed.ChecksumType, "FULL_OBJECT");
  assert.equal(listed.Parts[1].ChecksumCRC64NVME, await sum(Crc64Nvme, bodies[1]));
  const done = await s3.send(new CompleteMultipartUploadCommand({ Bucket, Key, UploadId,
    MultipartUpload: { Parts } }));
  const want = await sum(Crc64Nvme, ...bodies);
  assert.equal(done.ChecksumCRC64NVME, want);
  assert.equal(done.ChecksumType, "FULL_OBJECT");
  // GetObject validates the whole-object CRC64NVME the SDK is given.
  const got = await s3.send(new GetObjectCommand({ Bucket, Key, ChecksumMode: "ENABLED" }));
  assert.equal(got.ChecksumCRC64NVME, want);
  assert.equal((await got.Body.transformToByteArray()).length, 5 * MIB + bodies[1].length);
  const attrs = await s3.send(new GetObjectAttributesCommand({ Bucket, Key, ObjectAttributes: ["ObjectParts"] }));
  assert.equal(attrs.ObjectParts.TotalPartsCount, 2);
  assert.equal(attrs.ObjectParts.Parts, undefined);  // parts are listed for COMPOSITE checksums only
});

test("composite CRC32 multipart: -N value, GetObjectAttributes parts in pages", async () => {
  const bodies = [Buffer.alloc(5 * MIB, 0x62), Buffer.alloc(5 * MIB, 0x63), Buffer.from("last")];
  const Key = "mp-crc32";
  const { UploadId, ChecksumType, Parts } = await upload(Key, "CRC32", bodies);
  assert.equal(ChecksumType, "COMPOSITE");
  // A wrong part checksum at Complete: InvalidPart.
  const bad = Parts.map((p, i) => (i === 2 ? { ...p, ChecksumCRC32: Parts[0].ChecksumCRC32 } : p));
  await rejectsWith(s3.send(new CompleteMultipartUploadCommand({ Bucket, Key, UploadId,
    MultipartUpload: { Parts: bad } })), "InvalidPart", 400);
  const done = await s3.send(new CompleteMultipartUploadCommand({ Bucket, Key, UploadId,
    MultipartUpload: { Parts } }));
  const raw = Buffer.concat(Parts.map((p) => Buffer.from(p.ChecksumCRC32, "base64")));
  const composite = (await sum(Crc32, raw)) + "-3";
  assert.equal(done.ChecksumCRC32, composite);
  assert.equal(done.ChecksumType, "COMPOSITE");
  const head = await s3.send(new HeadObjectCommand({ Bucket, Key, ChecksumMode: "ENABLED" }));
  assert.equal(head.ChecksumCRC32, composite);
  assert.equal(head.ChecksumType, "COMPOSITE");
  const seen = [];
  let PartNumberMarker;
  for (let page = 0; page < 4; page++) {
    const a = (await s3.send(new GetObjectAttributesCommand({ Bucket, Key, ObjectAttributes: ["ObjectParts",
      "Checksum"], MaxParts: 2, PartNumberMarker }))).ObjectParts;
    assert.equal(a.TotalPartsCount, 3);
    for (const p of a.Parts ?? []) seen.push([p.PartNumber, p.Size, p.ChecksumCRC32]);
    if (!a.IsTruncated) break;
    PartNumberMarker = a.NextPartNumberMarker;
  }
  const expected = [];
  for (let i = 0; i < bodies.length; i++) expected.push([i + 1, bodies[i].length, await sum(Crc32, bodies[i])]);
  assert.deepEqual(seen, expected);
});
