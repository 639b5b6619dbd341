// A browser page's view of presigned URLs from the JS SDK v3 presigner (@aws-sdk/s3-request-presigner):
// the CORS preflight sent to the presigned URL itself (never authenticated), the PUT and GET with the
// bucket's CORS headers (Allow-Origin, Allow-Credentials, Expose-Headers, Vary), and the presigned URL
// checks S3 makes: expired (signingDate in the past) and not yet valid (in the future).
import { test } from "node:test";
import assert from "node:assert/strict";
import { PutBucketCorsCommand, GetObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { s3Suite } from "./support.mjs";

let s3;
const Bucket = "js-cors-presigned";
const Origin = "http://page.example";
const VARY = "Origin, Access-Control-Request-Headers, Access-Control-Request-Method";

s3Suite([Bucket], async (_server, client) => {
  s3 = client;
  await s3.send(new PutBucketCorsCommand({ Bucket, CORSConfiguration: { CORSRules: [
    { AllowedOrigins: [Origin], AllowedMethods: ["GET", "PUT"], AllowedHeaders: ["*"], ExposeHeaders: ["ETag"],
      MaxAgeSeconds: 120 },
  ] } }));
});

const element = (xml, name) => (xml.match(new RegExp(`<${name}>([^<]*)</${name}>`)) ?? [])[1];

test("preflight to a presigned PUT URL, then the PUT and GET, with CORS headers", async () => {
  const putUrl = await getSignedUrl(s3, new PutObjectCommand({ Bucket, Key: "page.txt" }), { expiresIn: 60 });
  assert.match(putUrl, /X-Amz-Signature=/);
  const pre = await fetch(putUrl, { method: "OPTIONS", headers: { Origin, "Access-Control-Request-Method": "PUT",
    "Access-Control-Request-Headers": "content-type" } });
  assert.equal(pre.status, 200);
  assert.equal(pre.headers.get("access-control-allow-origin"), Origin);
  assert.equal(pre.headers.get("access-control-allow-methods"), "GET, PUT");
  assert.equal(pre.headers.get("access-control-allow-headers"), "content-type");
  assert.equal(pre.headers.get("access-control-allow-credentials"), "true");
  assert.equal(pre.headers.get("access-control-max-age"), "120");
  assert.equal(pre.headers.get("vary"), VARY);

  const put = await fetch(putUrl, { method: "PUT", headers: { Origin }, body: "from the page" });
  assert.equal(put.status, 200, await put.text());
  assert.equal(put.headers.get("access-control-allow-origin"), Origin);
  assert.equal(put.headers.get("access-control-expose-headers"), "ETag");
  assert.ok(put.headers.get("etag"));

  const getUrl = await getSignedUrl(s3, new GetObjectCommand({ Bucket, Key: "page.txt" }), { expiresIn: 60 });
  const get = await fetch(getUrl, { headers: { Origin } });
  assert.equal(get.status, 200);
  assert.equal(await get.text(), "from the page");
  assert.equal(get.headers.get("access-control-allow-origin"), Origin);
  assert.equal(get.headers.get("vary"), VARY);

  // Another origin: the preflight is refused, as AWS words it.
  const other = await fetch(putUrl, { method: "OPTIONS", headers: { Origin: "http://evil.example",
    "Access-Control-Request-Method": "PUT" } });
  assert.equal(other.status, 403);
  const body = await other.text();
  assert.equal(element(body, "Code"), "AccessForbidden");
  assert.match(element(body, "Message"), /^CORSResponse: This CORS request is not allowed\./);
  assert.equal(other.headers.get("access-control-allow-origin"), null);
});

test("a missing key through a presigned GET is a 404 the page can read", async () => {
  const url = await getSignedUrl(s3, new GetObjectCommand({ Bucket, Key: "nothing-here" }), { expiresIn: 60 });
  const r = await fetch(url, { headers: { Origin } });
  assert.equal(r.status, 404);
  assert.equal(element(await r.text(), "Code"), "NoSuchKey");
  assert.equal(r.headers.get("access-control-allow-origin"), Origin);
});

test("expired and not-yet-valid presigned URLs", async () => {
  const cmd = () => new GetObjectCommand({ Bucket, Key: "page.txt" });
  const past = new Date(Date.now() - 2 * 3600 * 1000);
  const expired = await getSignedUrl(s3, cmd(), { expiresIn: 60, signingDate: past });
  let r = await fetch(expired);
  let body = await r.text();
  assert.equal(r.status, 403);
  assert.equal(element(body, "Code"), "AccessDenied");
  assert.equal(element(body, "Message"), "Request has expired");
  assert.equal(element(body, "X-Amz-Expires"), "60");
  const signedAt = Math.floor(past.getTime() / 1000);
  assert.equal(element(body, "Expires"), new Date((signedAt + 60) * 1000).toISOString().replace(".000Z", "Z"));

  const future = new Date(Date.now() + 2 * 3600 * 1000);
  const early = await getSignedUrl(s3, cmd(), { expiresIn: 300, signingDate: future });
  r = await fetch(early);
  body = await r.text();
  assert.equal(r.status, 403);
  assert.equal(element(body, "Message"), "Request is not yet valid");
  assert.equal(element(body, "X-Amz-Date"), String(Math.floor(future.getTime() / 1000) * 1000));

  // The longest lifetime the presigner allows (7 days) is accepted.
  const week = await getSignedUrl(s3, cmd(), { expiresIn: 604800 });
  r = await fetch(week);
  assert.equal(r.status, 200);
  assert.equal(await r.text(), "from the page");
});
