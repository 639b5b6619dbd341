// Bucket subresources through the AWS SDK for JavaScript v3: PutBucketTagging (the SDK sends its
// default checksum, which the operation requires) round trip and its errors, and every read of an
// unconfigured bucket that infrastructure tools make parses into the SDK's shapes as AWS's does.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  PutBucketTaggingCommand, GetBucketTaggingCommand, DeleteBucketTaggingCommand,
  GetBucketLoggingCommand, GetBucketNotificationConfigurationCommand, GetBucketRequestPaymentCommand,
  GetBucketAccelerateConfigurationCommand, GetBucketReplicationCommand, ListBucketAnalyticsConfigurationsCommand,
  ListBucketInventoryConfigurationsCommand, ListBucketMetricsConfigurationsCommand,
  ListBucketIntelligentTieringConfigurationsCommand, GetBucketMetricsConfigurationCommand,
  PutBucketMetricsConfigurationCommand,
} from "@aws-sdk/client-s3";
import { rejectsWith, s3Suite } from "./support.mjs";

let server;
let s3;
const Bucket = "js-bucket-config";

s3Suite([Bucket], (sv, client) => {
  server = sv;
  s3 = client;
});

test("bucket tagging round trip", async () => {
  await rejectsWith(s3.send(new GetBucketTaggingCommand({ Bucket })), "NoSuchTagSet", 404);
  const TagSet = [{ Key: "team", Value: "data" }, { Key: "cost-center", Value: "" }];
  await s3.send(new PutBucketTaggingCommand({ Bucket, Tagging: { TagSet } }));
  assert.deepEqual((await s3.send(new GetBucketTaggingCommand({ Bucket }))).TagSet, TagSet);
  const del = await s3.send(new DeleteBucketTaggingCommand({ Bucket }));
  assert.equal(del.$metadata.httpStatusCode, 204);
  await rejectsWith(s3.send(new GetBucketTaggingCommand({ Bucket })), "NoSuchTagSet", 404);
});

test("bucket tagging errors", async () => {
  const many = Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: "v" }));
  await rejectsWith(s3.send(new PutBucketTaggingCommand({ Bucket, Tagging: { TagSet: many } })), "BadRequest", 400);
  const reserved = [{ Key: "aws:x", Value: "1" }];
  await rejectsWith(s3.send(new PutBucketTaggingCommand({ Bucket, Tagging: { TagSet: reserved } })), "InvalidTag", 400);
  await rejectsWith(s3.send(new PutBucketTaggingCommand({ Bucket, Tagging: { TagSet: [
    { Key: "a", Value: "1" }, { Key: "a", Value: "2" }] } })), "InvalidTag", 400);
  await rejectsWith(s3.send(new GetBucketTaggingCommand({ Bucket })), "NoSuchTagSet", 404);
});

test("unconfigured reads parse as AWS's", async () => {
  const logging = await s3.send(new GetBucketLoggingCommand({ Bucket }));
  assert.equal(logging.$metadata.httpStatusCode, 200);
  assert.equal(logging.LoggingEnabled, undefined);
  const notif = await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket }));
  assert.equal(notif.$metadata.httpStatusCode, 200);
  assert.equal(notif.QueueConfigurations, undefined);
  assert.equal(notif.TopicConfigurations, undefined);
  assert.equal(notif.LambdaFunctionConfigurations, undefined);
  assert.equal((await s3.send(new GetBucketRequestPaymentCommand({ Bucket }))).Payer, "BucketOwner");
  const accel = await s3.send(new GetBucketAccelerateConfigurationCommand({ Bucket }));
  assert.equal(accel.$metadata.httpStatusCode, 200);
  assert.equal(accel.Status, undefined);
  await rejectsWith(s3.send(new GetBucketReplicationCommand({ Bucket })), "ReplicationConfigurationNotFoundError", 404);
  for (const [Cmd, list] of [[ListBucketAnalyticsConfigurationsCommand, "AnalyticsConfigurationList"],
    [ListBucketInventoryConfigurationsCommand, "InventoryConfigurationList"],
    [ListBucketMetricsConfigurationsCommand, "MetricsConfigurationList"],
    [ListBucketIntelligentTieringConfigurationsCommand, "IntelligentTieringConfigurationList"]]) {
    const out = await s3.send(new Cmd({ Bucket }));
    assert.equal(out.IsTruncated, false, Cmd.name);
    assert.equal(out[list], undefined, Cmd.name);
  }
  await rejectsWith(s3.send(new GetBucketMetricsConfigurationCommand({ Bucket, Id: "none" })),
    "NoSuchConfiguration", 404);
});

test("a metrics configuration round trip", async () => {
  const MetricsConfiguration = { Id: "docs", Filter: { Prefix: "docs/" } };
  await s3.send(new PutBucketMetricsConfigurationCommand({ Bucket, Id: "docs", MetricsConfiguration }));
  const got = await s3.send(new GetBucketMetricsConfigurationCommand({ Bucket, Id: "docs" }));
  assert.deepEqual(got.MetricsConfiguration, MetricsConfiguration);
  const list = await s3.send(new ListBucketMetricsConfigurationsCommand({ Bucket }));
  assert.deepEqual(list.MetricsConfigurationList, [MetricsConfiguration]);
});
