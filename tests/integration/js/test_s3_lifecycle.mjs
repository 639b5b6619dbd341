// S3 lifecycle through the AWS SDK for JavaScript v3: the configuration round trip, an expiration
// after the emulator clock moves (not before), and x-amz-expiration parsed by the SDK.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import {
  CreateBucketCommand, PutBucketLifecycleConfigurationCommand, GetBucketLifecycleConfigurationCommand,
  DeleteBucketLifecycleCommand, PutObjectCommand, HeadObjectCommand, ListObjectsV2Command,
} from "@aws-sdk/client-s3";
import { startLocalaws, s3ClientFor } from "./support.mjs";

let la, s3;
before(async () => {
  la = await startLocalaws();
  s3 = s3ClientFor(la, { maxAttempts: 1 });
});
after(async () => { await la.stop(); });

async function control(path, body) {
  const r = await fetch(la.endpoint + path, { method: "POST", body: body ? JSON.stringify(body) : undefined });
  assert.equal(r.status, 200);
  return r.json();
}

const rules = [
  { ID: "logs", Status: "Enabled", Filter: { Prefix: "logs/" }, Expiration: { Days: 1 },
    AbortIncompleteMultipartUpload: { DaysAfterInitiation: 2 } },
  { ID: "cold", Status: "Enabled", Filter: { And: { Prefix: "data/", Tags: [{ Key: "tier", Value: "cold" }],
    ObjectSizeGreaterThan: 1 } }, Transitions: [{ Days: 30, StorageClass: "GLACIER" }],
    NoncurrentVersionExpiration: { NoncurrentDays: 10, NewerNoncurrentVersions: 2 } },
];

test("configuration round trip", async () => {
  await s3.send(new CreateBucketCommand({ Bucket: "js-lc-config" }));
  await s3.send(new PutBucketLifecycleConfigurationCommand({ Bucket: "js-lc-config",
    LifecycleConfiguration: { Rules: rules } }));
  const got = await s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: "js-lc-config" }));
  assert.deepEqual(got.Rules, rules);
  assert.equal(got.TransitionDefaultMinimumObjectSize, "all_storage_classes_128K");
  await s3.send(new DeleteBucketLifecycleCommand({ Bucket: "js-lc-config" }));
  await assert.rejects(s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: "js-lc-config" })),
    (e) => e.name === "NoSuchLifecycleConfiguration" && e.$metadata.httpStatusCode === 404);
});

test("an expiration after advancing the clock, with x-amz-expiration parsed as Expiration", async () => {
  const Bucket = "js-lc-expire";
  await s3.send(new CreateBucketCommand({ Bucket }));
  await control("/_localaws/clock", { set: "2030-05-05T18:00:00Z", freeze: true });
  await s3.send(new PutBucketLifecycleConfigurationCommand({ Bucket, LifecycleConfiguration: { Rules: rules } }));
  const put = await s3.send(new PutObjectCommand({ Bucket, Key: "logs/a.txt", Body: "hello" }));
  assert.equal(put.Expiration, 'expiry-date="Tue, 07 May 2030 00:00:00 GMT", rule-id="logs"');
  const head = await s3.send(new HeadObjectCommand({ Bucket, Key: "logs/a.txt" }));
  assert.equal(head.Expiration, put.Expiration);
  await s3.send(new PutObjectCommand({ Bucket, Key: "other.txt", Body: "stays" }));

  await control("/_localaws/clock", { set: "2030-05-06T23:59:59Z" });
  let run = await control("/_localaws/lifecycle/run");
  assert.equal(run.actions.filter((a) => a.bucket === Bucket).length, 0);
  let list = await s3.send(new ListObjectsV2Command({ Bucket }));
  assert.deepEqual(list.Contents.map((o) => o.Key).sort(), ["logs/a.txt", "other.txt"]);

  await control("/_localaws/clock", { set: "2030-05-07T00:00:00Z" });
  run = await control("/_localaws/lifecycle/run");
  assert.deepEqual(run.actions.filter((a) => a.bucket === Bucket),
    [{ bucket: Bucket, key: "logs/a.txt", versionId: "null", action: "Expired" }]);
  list = await s3.send(new ListObjectsV2Command({ Bucket }));
  assert.deepEqual(list.Contents.map((o) => o.Key), ["other.txt"]);
});
