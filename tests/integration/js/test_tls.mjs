// HTTPS through the AWS SDK for JavaScript v3 the way docs/harness.md ("HTTPS") says: a child
// `node` configured only by its environment (NODE_EXTRA_CA_CERTS naming localaws' CA,
// AWS_ENDPOINT_URL its https:// endpoint, credentials and region) running the S3Client snippet
// (ListBuckets), a PutObject/GetObject round trip and DynamoDB CreateTable/PutItem/GetItem; the
// same child without NODE_EXTRA_CA_CERTS refused by certificate verification; and a streamed
// PutObject with ChecksumAlgorithm CRC32, which the SDK sends aws-chunked with a trailing checksum,
// stored intact and its CRC32 given back by HeadObject (ChecksumMode ENABLED).
// The server listens on HTTP (control endpoints, this process's checks) and HTTPS (--tls-port 0).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { GetObjectCommand, HeadObjectCommand } from "@aws-sdk/client-s3";
import { Crc32 } from "@aws-sdk/checksums/crc";
import { startLocalaws, s3ClientFor } from "./support.mjs";

const HERE = dirname(fileURLToPath(import.meta.url));

// The child program: one ES module read from --eval with HERE as its working directory, so its
// imports resolve in this folder's node_modules. MODE "snippet" runs the documented calls, MODE
// "checksum" the streamed upload. It prints one JSON line: what it saw, or the error.
const CHILD = `
import { createReadStream } from "node:fs";
import { S3Client, ListBucketsCommand, CreateBucketCommand, PutObjectCommand, GetObjectCommand,
  HeadObjectCommand } from "@aws-sdk/client-s3";
import { DynamoDBClient, CreateTableCommand, PutItemCommand, GetItemCommand } from "@aws-sdk/client-dynamodb";

const s3 = new S3Client({ forcePathStyle: true });  // endpoint and credentials from the environment
const out = {};
try {
  if (process.env.MODE === "snippet") {
    await s3.send(new CreateBucketCommand({ Bucket: "js-tls" }));
    out.buckets = (await s3.send(new ListBucketsCommand({}))).Buckets.map((b) => b.Name);
    await s3.send(new PutObjectCommand({ Bucket: "js-tls", Key: "hello.txt", Body: "hello over https" }));
    out.body = await (await s3.send(new GetObjectCommand({ Bucket: "js-tls", Key: "hello.txt" }))).Body.transformToString();
    const ddb = new DynamoDBClient({});
    await ddb.send(new CreateTableCommand({ TableName: "js-tls", BillingMode: "PAY_PER_REQUEST",
      AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }],
      KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }] }));
    await ddb.send(new PutItemCommand({ TableName: "js-tls", Item: { pk: { S: "a" }, v: { N: "42" } } }));
    out.item = (await ddb.send(new GetItemCommand({ TableName: "js-tls", Key: { pk: { S: "a" } },
      ConsistentRead: true }))).Item;
  } else {
    // The headers the SDK finally sent (after its checksum and signing steps).
    s3.middlewareStack.add((next) => async (args) => {
      if (args.request.method === "PUT") out.sent = { ...args.request.headers };
      return next(args);
    }, { step: "finalizeRequest", priority: "low", name: "recordSentHeaders" });
    await s3.send(new CreateBucketCommand({ Bucket: "js-tls-sums" }));
    await s3.send(new PutObjectCommand({ Bucket: "js-tls-sums", Key: "big.bin", ChecksumAlgorithm: "CRC32",
      Body: createReadStream(process.env.UPLOAD) }));
    const head = await s3.send(new HeadObjectCommand({ Bucket: "js-tls-sums", Key: "big.bin", ChecksumMode: "ENABLED" }));
    out.checksumCRC32 = head.ChecksumCRC32;
    out.contentLength = head.ContentLength;
  }
} catch (e) {
  out.error = { name: e.name, code: e.code ?? e.cause?.code, message: String(e.message) };
}
console.log(JSON.stringify(out));
`;

let la, tmp;
before(async () => {
  la = await startLocalaws({ args: ["--tls-port", "0"] });
  tmp = mkdtempSync(join(tmpdir(), "localaws-js-tls-"));
});
after(async () => {
  await la?.stop();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

// Runs the child with only the documented environment (plus `extra`); resolves to its JSON line.
function child(mode, { withCa = true, extra = {} } = {}) {
  const env = { PATH: process.env.PATH, HOME: tmp, MODE: mode, AWS_ENDPOINT_URL: la.httpsEndpoint,
    AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test", AWS_REGION: "us-east-1",
    AWS_CONFIG_FILE: join(tmp, "none"), AWS_SHARED_CREDENTIALS_FILE: join(tmp, "none"), ...extra };
  if (withCa) env.NODE_EXTRA_CA_CERTS = la.caBundle();
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ["--input-type=module", "--eval", CHILD], { cwd: HERE, env, timeout: 120000 },
      (err, stdout, stderr) => {
        if (err) return reject(new Error(`child exited: ${err.message}\n${stderr}`));
        try {
          resolve(JSON.parse(stdout.trim().split("\n").pop()));
        } catch {
          reject(new Error(`child printed no JSON: ${stdout}\n${stderr}`));
        }
      });
  });
}

test("the server has an HTTPS endpoint and announces its CA", () => {
  assert.match(la.httpsEndpoint ?? "", /^https:\/\/127\.0\.0\.1:\d+$/);
  assert.match(la.caBundle() ?? "", /\/tls\/ca\.pem$/);
});

test("with NODE_EXTRA_CA_CERTS the documented S3Client and a DynamoDBClient work over HTTPS", async () => {
  const out = await child("snippet");
  assert.equal(out.error, undefined, JSON.stringify(out.error));
  assert.ok(out.buckets.includes("js-tls"), JSON.stringify(out.buckets));
  assert.equal(out.body, "hello over https");
  assert.deepEqual(out.item, { pk: { S: "a" }, v: { N: "42" } });
});

test("without NODE_EXTRA_CA_CERTS the child fails certificate verification", async () => {
  const out = await child("snippet", { withCa: false });
  assert.ok(out.error, "the child succeeded without the CA: " + JSON.stringify(out));
  // localaws' CA is not in Node's store: whichever way the chain is presented, it does not verify.
  assert.ok(["SELF_SIGNED_CERT_IN_CHAIN", "UNABLE_TO_VERIFY_LEAF_SIGNATURE", "UNABLE_TO_GET_ISSUER_CERT_LOCALLY"]
    .includes(out.error.code), JSON.stringify(out.error));
  assert.equal(out.buckets, undefined);
});

test("a streamed PutObject with CRC32 goes aws-chunked with a trailer over HTTPS and round-trips", async () => {
  const data = randomBytes(3 * 1024 * 1024 + 17);
  const upload = join(tmp, "big.bin");
  writeFileSync(upload, data);
  const crc = new Crc32();
  crc.update(data);
  const expected = Buffer.from(await crc.digest()).toString("base64");

  const out = await child("checksum", { extra: { UPLOAD: upload } });
  assert.equal(out.error, undefined, JSON.stringify(out.error));
  // What the SDK put on the wire: an aws-chunked body whose CRC32 comes in the trailer.
  assert.match(out.sent["content-encoding"] ?? "", /aws-chunked/, JSON.stringify(out.sent));
  assert.equal(out.sent["x-amz-trailer"], "x-amz-checksum-crc32");
  assert.equal(out.sent["x-amz-decoded-content-length"], String(data.length));
  assert.equal(out.sent["x-amz-checksum-crc32"], undefined);
  assert.equal(out.checksumCRC32, expected);
  assert.equal(out.contentLength, data.length);

  // The stored object, read back over plain HTTP by this process.
  const s3 = s3ClientFor(la);
  const got = await s3.send(new GetObjectCommand({ Bucket: "js-tls-sums", Key: "big.bin" }));
  assert.ok(Buffer.from(await got.Body.transformToByteArray()).equals(data), "stored bytes differ");
  const head = await s3.send(new HeadObjectCommand({ Bucket: "js-tls-sums", Key: "big.bin", ChecksumMode: "ENABLED" }));
  assert.equal(head.ChecksumCRC32, expected);
  s3.destroy();
});
