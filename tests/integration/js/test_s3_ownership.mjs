// Object ownership and access control through the AWS SDK for JavaScript v3, as data tables: who
// owns an object a second account writes under each ObjectOwnership (GetObjectAcl, ListObjectsV2
// with FetchOwner, ListObjectVersions); the grants of canned ACLs; GetBucketPolicyStatus with
// conditions; a missing key is 404 only with s3:ListBucket (403 otherwise), a missing bucket
// NoSuchBucket to anyone; DeleteObjects checked per key; s3:RequestObjectTag from a
// PutObjectTagging body; InvalidTag naming the tag.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import {
  CreateBucketCommand, PutObjectCommand, GetObjectCommand, HeadObjectCommand, ListObjectsV2Command,
  ListObjectVersionsCommand, GetObjectAclCommand, PutBucketPolicyCommand, DeletePublicAccessBlockCommand,
  PutBucketOwnershipControlsCommand, GetBucketPolicyStatusCommand, DeleteObjectsCommand, PutObjectTaggingCommand,
  GetObjectTaggingCommand, ListBucketsCommand,
} from "@aws-sdk/client-s3";
import { startLocalaws, s3ClientFor, rejectsWith } from "./support.mjs";

const SECOND = { accessKeyId: "AKIAJSOWNERSHIP0002", secretAccessKey: "js-own-secret", accountId: "111122223333",
  displayName: "second" };
const ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers";
const AUTH_USERS = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers";
let server;
let s3;
let s3b;
let ownerId;
let secondId;
let n = 0;

before(async () => {
  server = await startLocalaws({ accounts: [SECOND] });
  s3 = s3ClientFor(server);
  s3b = s3ClientFor(server, { credentials: { accessKeyId: SECOND.accessKeyId, secretAccessKey: SECOND.secretAccessKey } });
  ownerId = (await s3.send(new ListBucketsCommand({}))).Owner.ID;
  secondId = (await s3b.send(new ListBucketsCommand({}))).Owner.ID;
});

after(async () => {
  s3?.destroy();
  s3b?.destroy();
  await server?.stop();
});

const policy = (...Statement) => JSON.stringify({ Version: "2012-10-17", Statement });
const stmt = (Principal, Action, Resource, Condition, Effect = "Allow") =>
  ({ Effect, Principal, Action, Resource, ...(Condition ? { Condition } : {}) });
const second = { AWS: SECOND.accountId };

async function newBucket(ownership) {
  const Bucket = `js-own-${process.pid}-${++n}`;
  await s3.send(new CreateBucketCommand({ Bucket }));
  await s3.send(new DeletePublicAccessBlockCommand({ Bucket }));
  if (ownership) {
    await s3.send(new PutBucketOwnershipControlsCommand({ Bucket,
      OwnershipControls: { Rules: [{ ObjectOwnership: ownership }] } }));
  }
  return Bucket;
}

async function sharedBucket(ownership) {
  const Bucket = await newBucket(ownership);
  await s3.send(new PutBucketPolicyCommand({ Bucket, Policy: policy(stmt(second, "s3:*",
    [`arn:aws:s3:::${Bucket}`, `arn:aws:s3:::${Bucket}/*`])) }));
  return Bucket;
}

const OWNERSHIP = [
  { ownership: "BucketOwnerEnforced", acl: undefined, owner: "bucket" },
  { ownership: "BucketOwnerPreferred", acl: undefined, owner: "writer" },
  { ownership: "BucketOwnerPreferred", acl: "bucket-owner-full-control", owner: "bucket" },
  { ownership: "ObjectWriter", acl: "bucket-owner-full-control", owner: "writer" },
];

test("the owner of objects another account writes, under each ObjectOwnership", async () => {
  for (const c of OWNERSHIP) {
    const Bucket = await sharedBucket(c.ownership);
    await s3b.send(new PutObjectCommand({ Bucket, Key: "k", Body: "x", ACL: c.acl }));
    const want = c.owner === "bucket" ? ownerId : secondId;
    const reader = c.owner === "bucket" ? s3 : s3b;
    const acl = await reader.send(new GetObjectAclCommand({ Bucket, Key: "k" }));
    assert.equal(acl.Owner.ID, want, JSON.stringify(c));
    const v2 = await s3.send(new ListObjectsV2Command({ Bucket, FetchOwner: true }));
    assert.deepEqual(v2.Contents.map((o) => o.Owner.ID), [want], JSON.stringify(c));
    const versions = await s3.send(new ListObjectVersionsCommand({ Bucket }));
    assert.deepEqual(versions.Versions.map((o) => o.Owner.ID), [want], JSON.stringify(c));
  }
  const enforced = await sharedBucket("BucketOwnerEnforced");
  await rejectsWith(s3b.send(new PutObjectCommand({ Bucket: enforced, Key: "p", Body: "x", ACL: "public-read" })),
    "AccessControlListNotSupported", 400);
});

const CANNED = [
  { acl: "private", grants: [["CanonicalUser", "writer", "FULL_CONTROL"]] },
  { acl: "public-read", grants: [["CanonicalUser", "writer", "FULL_CONTROL"], ["Group", ALL_USERS, "READ"]] },
  { acl: "authenticated-read", grants: [["CanonicalUser", "writer", "FULL_CONTROL"], ["Group", AUTH_USERS, "READ"]] },
  { acl: "bucket-owner-read", grants: [["CanonicalUser", "writer", "FULL_CONTROL"], ["CanonicalUser", "bucket", "READ"]] },
  { acl: "bucket-owner-full-control",
    grants: [["CanonicalUser", "writer", "FULL_CONTROL"], ["CanonicalUser", "bucket", "FULL_CONTROL"]] },
];

test("canned ACLs list the grants AWS lists", async () => {
  const Bucket = await sharedBucket("ObjectWriter");
  const who = { [secondId]: "writer", [ownerId]: "bucket" };
  for (const c of CANNED) {
    await s3b.send(new PutObjectCommand({ Bucket, Key: c.acl, Body: "x", ACL: c.acl }));
    const acl = await s3b.send(new GetObjectAclCommand({ Bucket, Key: c.acl }));
    const got = acl.Grants.map((g) => [g.Grantee.Type, g.Grantee.URI ?? who[g.Grantee.ID], g.Permission]);
    assert.deepEqual(got, c.grants, c.acl);
  }
});

const PUBLIC = [
  { condition: undefined, isPublic: true },
  { condition: { IpAddress: { "aws:SourceIp": "192.0.2.0/24" } }, isPublic: false },
  { condition: { IpAddress: { "aws:SourceIp": "0.0.0.0/0" } }, isPublic: true },
  { condition: { StringEquals: { "aws:SourceVpc": "vpc-1a2b3c4d" } }, isPublic: false },
  { condition: { StringLike: { "aws:SourceVpc": "vpc-*" } }, isPublic: true },
  { condition: { Bool: { "aws:SecureTransport": "true" } }, isPublic: true },
];

test("GetBucketPolicyStatus: which conditions make a policy non-public", async () => {
  const Bucket = await newBucket();
  for (const c of PUBLIC) {
    await s3.send(new PutBucketPolicyCommand({ Bucket,
      Policy: policy(stmt("*", "s3:GetObject", `arn:aws:s3:::${Bucket}/*`, c.condition)) }));
    const st = await s3.send(new GetBucketPolicyStatusCommand({ Bucket }));
    assert.equal(st.PolicyStatus.IsPublic, c.isPublic, JSON.stringify(c.condition));
  }
});

const MISSING = [
  { actions: ["s3:GetObject"], status: 403 },
  { actions: ["s3:GetObject", "s3:ListBucket"], status: 404 },
];

test("a missing key is 404 only to callers allowed s3:ListBucket", async () => {
  const Bucket = await newBucket();
  const base = `${server.endpoint}/${Bucket}/no-such-key`;
  for (const c of MISSING) {
    const list = c.actions.includes("s3:ListBucket");
    for (const principal of [second, "*"]) {
      const statements = [stmt(principal, "s3:GetObject", `arn:aws:s3:::${Bucket}/*`)];
      if (list) statements.push(stmt(principal, "s3:ListBucket", `arn:aws:s3:::${Bucket}`));
      await s3.send(new PutBucketPolicyCommand({ Bucket, Policy: policy(...statements) }));
      if (principal === second) {
        await rejectsWith(s3b.send(new GetObjectCommand({ Bucket, Key: "no-such-key" })),
          list ? "NoSuchKey" : "AccessDenied", c.status);
        await assert.rejects(s3b.send(new HeadObjectCommand({ Bucket, Key: "no-such-key" })),
          (e) => e.$metadata.httpStatusCode === c.status);
      } else {
        const r = await fetch(base);
        assert.equal(r.status, c.status);
        assert.match(await r.text(), list ? /<Code>NoSuchKey<\/Code>/ : /<Code>AccessDenied<\/Code>/);
      }
    }
  }
  await rejectsWith(s3.send(new GetObjectCommand({ Bucket, Key: "no-such-key" })), "NoSuchKey", 404);
  const r = await fetch(`${server.endpoint}/js-own-missing-${process.pid}/k`);
  assert.equal(r.status, 404);
  assert.match(await r.text(), /<Code>NoSuchBucket<\/Code>/);
  await rejectsWith(s3b.send(new ListObjectsV2Command({ Bucket: `js-own-missing-${process.pid}` })), "NoSuchBucket", 404);
});

test("DeleteObjects checks s3:DeleteObject per key", async () => {
  const Bucket = await newBucket();
  for (const Key of ["ok/a", "ok/b", "no/a"]) await s3.send(new PutObjectCommand({ Bucket, Key, Body: "x" }));
  await s3.send(new PutBucketPolicyCommand({ Bucket,
    Policy: policy(stmt(second, "s3:DeleteObject", `arn:aws:s3:::${Bucket}/ok/*`)) }));
  const r = await s3b.send(new DeleteObjectsCommand({ Bucket,
    Delete: { Objects: [{ Key: "ok/a" }, { Key: "no/a" }, { Key: "ok/b" }] } }));
  assert.deepEqual(r.Deleted.map((d) => d.Key).sort(), ["ok/a", "ok/b"]);
  assert.deepEqual(r.Errors.map((e) => [e.Key, e.Code]), [["no/a", "AccessDenied"]]);
  const left = await s3.send(new ListObjectsV2Command({ Bucket }));
  assert.deepEqual(left.Contents.map((o) => o.Key), ["no/a"]);
});

test("PutObjectTagging: the body's tags are condition keys; InvalidTag names the tag", async () => {
  const Bucket = await newBucket();
  await s3.send(new PutObjectCommand({ Bucket, Key: "k", Body: "x" }));
  await s3.send(new PutBucketPolicyCommand({ Bucket, Policy: policy(stmt(second, "s3:PutObjectTagging",
    `arn:aws:s3:::${Bucket}/*`, { StringEquals: { "s3:RequestObjectTag/env": "dev" } })) }));
  await s3b.send(new PutObjectTaggingCommand({ Bucket, Key: "k", Tagging: { TagSet: [{ Key: "env", Value: "dev" }] } }));
  await rejectsWith(s3b.send(new PutObjectTaggingCommand({ Bucket, Key: "k",
    Tagging: { TagSet: [{ Key: "env", Value: "prod" }] } })), "AccessDenied", 403);
  const tags = await s3.send(new GetObjectTaggingCommand({ Bucket, Key: "k" }));
  assert.deepEqual(tags.TagSet, [{ Key: "env", Value: "dev" }]);
  await assert.rejects(s3.send(new PutObjectTaggingCommand({ Bucket, Key: "k",
    Tagging: { TagSet: [{ Key: "k", Value: "in&valid" }] } })), (e) => {
    assert.equal(e.name, "InvalidTag");
    assert.equal(e.message, "The TagValue you have provided is invalid");
    assert.equal(e.TagKey, "k");
    assert.equal(e.TagValue, "in&valid");
    return true;
  });
});
