// S3 versioning and object lock through the AWS SDK for JavaScript v3 (its defaults: CRC32 checksums on
// uploads, which Object Lock requires): versioning on, versions of one key, ListObjectVersions paging with
// KeyMarker / VersionIdMarker, a delete marker, GetObject by VersionId, the NoSuchVersion error, and a
// retention + legal hold round trip with its enforcement.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  CreateBucketCommand, PutBucketVersioningCommand, GetBucketVersioningCommand, PutObjectCommand,
  GetObjectCommand, HeadObjectCommand, DeleteObjectCommand, ListObjectVersionsCommand, ListObjectsV2Command,
  GetObjectLockConfigurationCommand, PutObjectLockConfigurationCommand, PutObjectRetentionCommand,
  GetObjectRetentionCommand, PutObjectLegalHoldCommand, GetObjectLegalHoldCommand,
} from "@aws-sdk/client-s3";
import { rejectsWith, s3Suite } from "./support.mjs";

let server;
let s3;
const Bucket = "js-versioned";
const LockBucket = "js-object-lock";

s3Suite([Bucket], async (sv, client) => {
  server = sv;
  s3 = client;
  await s3.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: "Enabled" } }));
});

// Asserts that the call fails with this error name (and HTTP status), showing what came back otherwise.

const text = async (out) => Buffer.from(await out.Body.transformToByteArray()).toString();

async function listAll(params, pageSize) {
  const versions = [];
  const markers = [];
  let KeyMarker;
  let VersionIdMarker;
  for (let pages = 1; pages < 1000; pages++) {
    const page = await s3.send(new ListObjectVersionsCommand({
      ...params, MaxKeys: pageSize, KeyMarker, VersionIdMarker,
    }));
    const n = (page.Versions ?? []).length + (page.DeleteMarkers ?? []).length;
    assert.ok(n <= pageSize);
    versions.push(...(page.Versions ?? []));
    markers.push(...(page.DeleteMarkers ?? []));
    if (!page.IsTruncated) return { versions, markers, pages };
    assert.equal(n, pageSize, "a truncated page is full");
    KeyMarker = page.NextKeyMarker;
    VersionIdMarker = page.NextVersionIdMarker;
    assert.ok(KeyMarker, "a truncated page names where to resume");
  }
  throw new Error("ListObjectVersions did not finish");
}

test("GetBucketVersioning reports Enabled", async () => {
  const out = await s3.send(new GetBucketVersioningCommand({ Bucket }));
  assert.equal(out.Status, "Enabled");
  assert.equal(out.MFADelete, undefined);
});

test("each PutObject makes a version; GetObject by VersionId reads each one", async () => {
  const ids = [];
  for (let i = 0; i < 6; i++) {
    const put = await s3.send(new PutObjectCommand({ Bucket, Key: "js/doc.txt", Body: `version ${i}` }));
    assert.ok(put.VersionId && put.VersionId !== "null");
    ids.push(put.VersionId);
  }
  assert.equal(new Set(ids).size, 6);
  for (let i = 0; i < 6; i++) {
    const got = await s3.send(new GetObjectCommand({ Bucket, Key: "js/doc.txt", VersionId: ids[i] }));
    assert.equal(got.VersionId, ids[i]);
    assert.equal(await text(got), `version ${i}`);
  }
  const latest = await s3.send(new GetObjectCommand({ Bucket, Key: "js/doc.txt" }));
  assert.equal(latest.VersionId, ids[5]);
  assert.equal(await text(latest), "version 5");
  const { versions } = await listAll({ Bucket, Prefix: "js/doc.txt" }, 1000);
  assert.deepEqual(versions.map((v) => v.VersionId), [...ids].reverse(), "newest first");
  assert.deepEqual(versions.map((v) => v.IsLatest), [true, false, false, false, false, false]);
});

test("ListObjectVersions pages with KeyMarker / VersionIdMarker cover every version once, in order", async () => {
  const written = new Map();
  for (let k = 0; k < 7; k++) {
    const Key = `paged/${k}`;
    const ids = [];
    for (let v = 0; v < 3; v++) {
      ids.push((await s3.send(new PutObjectCommand({ Bucket, Key, Body: `${k}.${v}` }))).VersionId);
    }
    written.set(Key, ids.reverse());
  }
  const expected = [...written.entries()].flatMap(([Key, ids]) => ids.map((VersionId) => `${Key} ${VersionId}`));
  for (const pageSize of [1, 2, 5, 21, 1000]) {
    const { versions, pages } = await listAll({ Bucket, Prefix: "paged/" }, pageSize);
    assert.deepEqual(versions.map((v) => `${v.Key} ${v.VersionId}`), expected, `page size ${pageSize}`);
    assert.ok(pages >= Math.ceil(21 / pageSize) && pages <= Math.ceil(21 / pageSize) + 1, `pages ${pages}`);
  }
});

test("a delete marker hides the key; its version id answers 405; deleting it restores the object", async () => {
  const put = await s3.send(new PutObjectCommand({ Bucket, Key: "js/gone.txt", Body: "still here" }));
  const del = await s3.send(new DeleteObjectCommand({ Bucket, Key: "js/gone.txt" }));
  assert.equal(del.DeleteMarker, true);
  assert.ok(del.VersionId && del.VersionId !== put.VersionId);
  await rejectsWith(s3.send(new GetObjectCommand({ Bucket, Key: "js/gone.txt" })), "NoSuchKey", 404);
  await rejectsWith(s3.send(new HeadObjectCommand({ Bucket, Key: "js/gone.txt" })), "NotFound", 404);
  // GET of a delete marker by its version id: 405 MethodNotAllowed (API_GetObject).
  await rejectsWith(s3.send(new GetObjectCommand({ Bucket, Key: "js/gone.txt", VersionId: del.VersionId })),
    "MethodNotAllowed", 405);
  const old = await s3.send(new GetObjectCommand({ Bucket, Key: "js/gone.txt", VersionId: put.VersionId }));
  assert.equal(await text(old), "still here");
  const listed = await s3.send(new ListObjectsV2Command({ Bucket, Prefix: "js/gone" }));
  assert.equal(listed.KeyCount, 0);
  const { versions, markers } = await listAll({ Bucket, Prefix: "js/gone" }, 1000);
  assert.deepEqual(markers.map((m) => [m.VersionId, m.IsLatest]), [[del.VersionId, true]]);
  assert.deepEqual(versions.map((v) => [v.VersionId, v.IsLatest]), [[put.VersionId, false]]);
  const undo = await s3.send(new DeleteObjectCommand({ Bucket, Key: "js/gone.txt", VersionId: del.VersionId }));
  assert.equal(undo.DeleteMarker, true);
  assert.equal(undo.VersionId, del.VersionId);
  const back = await s3.send(new GetObjectCommand({ Bucket, Key: "js/gone.txt" }));
  assert.equal(back.VersionId, put.VersionId);
});

test("NoSuchVersion for a version the key does not have", async () => {
  const a = await s3.send(new PutObjectCommand({ Bucket, Key: "js/a", Body: "a" }));
  await s3.send(new PutObjectCommand({ Bucket, Key: "js/b", Body: "b" }));
  await rejectsWith(s3.send(new GetObjectCommand({ Bucket, Key: "js/b", VersionId: a.VersionId })),
    "NoSuchVersion", 404);
  // An id S3 could not have issued: 400 InvalidArgument "Invalid version id specified".
  await rejectsWith(s3.send(new GetObjectCommand({ Bucket, Key: "js/b", VersionId: "abc" })), "InvalidArgument", 400);
});

test("object lock: retention and legal hold round trip, and what they block", async () => {
  await s3.send(new CreateBucketCommand({ Bucket: LockBucket, ObjectLockEnabledForBucket: true }));
  const conf = await s3.send(new GetObjectLockConfigurationCommand({ Bucket: LockBucket }));
  assert.equal(conf.ObjectLockConfiguration.ObjectLockEnabled, "Enabled");
  assert.equal((await s3.send(new GetBucketVersioningCommand({ Bucket: LockBucket }))).Status, "Enabled");
  await rejectsWith(s3.send(new GetObjectLockConfigurationCommand({ Bucket })),
    "ObjectLockConfigurationNotFoundError", 404);

  const put = await s3.send(new PutObjectCommand({ Bucket: LockBucket, Key: "locked", Body: "keep me" }));
  const VersionId = put.VersionId;
  await rejectsWith(s3.send(new GetObjectRetentionCommand({ Bucket: LockBucket, Key: "locked", VersionId })),
    "NoSuchObjectLockConfiguration", 404);
  const until = new Date(Math.floor(Date.now() / 1000) * 1000 + 86400_000);
  await s3.send(new PutObjectRetentionCommand({
    Bucket: LockBucket, Key: "locked", VersionId, Retention: { Mode: "GOVERNANCE", RetainUntilDate: until },
  }));
  const ret = await s3.send(new GetObjectRetentionCommand({ Bucket: LockBucket, Key: "locked", VersionId }));
  assert.equal(ret.Retention.Mode, "GOVERNANCE");
  assert.equal(ret.Retention.RetainUntilDate.getTime(), until.getTime());
  await s3.send(new PutObjectLegalHoldCommand({
    Bucket: LockBucket, Key: "locked", VersionId, LegalHold: { Status: "ON" },
  }));
  const hold = await s3.send(new GetObjectLegalHoldCommand({ Bucket: LockBucket, Key: "locked", VersionId }));
  assert.equal(hold.LegalHold.Status, "ON");
  const head = await s3.send(new HeadObjectCommand({ Bucket: LockBucket, Key: "locked", VersionId }));
  assert.equal(head.ObjectLockMode, "GOVERNANCE");
  assert.equal(head.ObjectLockRetainUntilDate.getTime(), until.getTime());
  assert.equal(head.ObjectLockLegalHoldStatus, "ON");

  const denied = (promise) => rejectsWith(promise, "AccessDenied", 403);
  await denied(s3.send(new DeleteObjectCommand({ Bucket: LockBucket, Key: "locked", VersionId })));
  // Shortening governance retention needs the bypass header.
  const sooner = new Date(until.getTime() - 3600_000);
  await denied(s3.send(new PutObjectRetentionCommand({
    Bucket: LockBucket, Key: "locked", VersionId, Retention: { Mode: "GOVERNANCE", RetainUntilDate: sooner },
  })));
  // A new version and a delete marker are still allowed.
  const newer = await s3.send(new PutObjectCommand({ Bucket: LockBucket, Key: "locked", Body: "newer" }));
  assert.notEqual(newer.VersionId, VersionId);
  assert.equal((await s3.send(new DeleteObjectCommand({ Bucket: LockBucket, Key: "locked" }))).DeleteMarker, true);

  // The legal hold survives the governance bypass; lifting both frees the version.
  await denied(s3.send(new DeleteObjectCommand({
    Bucket: LockBucket, Key: "locked", VersionId, BypassGovernanceRetention: true,
  })));
  await s3.send(new PutObjectLegalHoldCommand({
    Bucket: LockBucket, Key: "locked", VersionId, LegalHold: { Status: "OFF" },
  }));
  await s3.send(new DeleteObjectCommand({
    Bucket: LockBucket, Key: "locked", VersionId, BypassGovernanceRetention: true,
  }));
  await rejectsWith(s3.send(new GetObjectCommand({ Bucket: LockBucket, Key: "locked", VersionId })),
    "NoSuchVersion", 404);

  // Default retention in days.
  await s3.send(new PutObjectLockConfigurationCommand({
    Bucket: LockBucket,
    ObjectLockConfiguration: {
      ObjectLockEnabled: "Enabled", Rule: { DefaultRetention: { Mode: "COMPLIANCE", Days: 1 } },
    },
  }));
  const got = await s3.send(new GetObjectLockConfigurationCommand({ Bucket: LockBucket }));
  assert.deepEqual(got.ObjectLockConfiguration.Rule.DefaultRetention, { Mode: "COMPLIANCE", Days: 1 });
  const before = Date.now();
  const def = await s3.send(new PutObjectCommand({ Bucket: LockBucket, Key: "defaulted", Body: "d" }));
  const dret = await s3.send(new GetObjectRetentionCommand({
    Bucket: LockBucket, Key: "defaulted", VersionId: def.VersionId,
  }));
  assert.equal(dret.Retention.Mode, "COMPLIANCE");
  const ms = dret.Retention.RetainUntilDate.getTime() - before;
  assert.ok(ms > 23 * 3600_000 && ms < 49 * 3600_000, `default retention ends ${ms} ms from now`);
});
