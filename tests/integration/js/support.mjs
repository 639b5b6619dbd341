// Starts a real localaws binary on a free port for node:test suites.
import { spawn } from "node:child_process";
import { mkdtempSync, existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import assert from "node:assert/strict";
import { before, after } from "node:test";
import { S3Client, CreateBucketCommand } from "@aws-sdk/client-s3";
import { DynamoDBClient, CreateTableCommand } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");

const SANITIZER_MARKERS = ["ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:",
  "SUMMARY: UndefinedBehaviorSanitizer"];

export function localawsBin() {
  if (process.env.LOCALAWS_BIN) return process.env.LOCALAWS_BIN;
  for (const c of ["build/dev/emulator/localaws", "build/release/emulator/localaws"]) {
    if (existsSync(join(ROOT, c))) return join(ROOT, c);
  }
  throw new Error("set LOCALAWS_BIN to the localaws binary");
}

// A sanitized binary must run with the sanitizer environment tests/CMakeLists.txt sets
// (LOCALAWS_SANITIZED=1, ASAN_OPTIONS) and a plain one without; asked once per process.
let sanitizerChecked = false;
async function checkSanitizerEnvironment(endpoint, proc) {
  if (sanitizerChecked) return;
  const { sanitized } = await (await fetch(endpoint + "/_localaws/health")).json();
  const envSays = (process.env.LOCALAWS_SANITIZED ?? "0") !== "0";
  if (sanitized !== envSays || (sanitized && !(process.env.ASAN_OPTIONS ?? "").includes("halt_on_error=1"))) {
    proc.kill("SIGKILL");
    throw new Error(`localaws is ${sanitized ? "" : "not "}sanitized, but LOCALAWS_SANITIZED=${process.env.LOCALAWS_SANITIZED} ` +
      `ASAN_OPTIONS=${process.env.ASAN_OPTIONS}`);
  }
  sanitizerChecked = true;
}

export async function startLocalaws({ args = [], accounts } = {}) {
  const dir = mkdtempSync(join(tmpdir(), "localaws-js-"));
  const ready = join(dir, "ready");
  const cmd = ["--port", "0", "--ready-file", ready, "--data-dir", join(dir, "data"), ...args];
  if (accounts) {
    writeFileSync(join(dir, "accounts.json"), JSON.stringify(accounts));
    cmd.push("--accounts", join(dir, "accounts.json"));
  }
  const proc = spawn(localawsBin(), cmd, { stdio: ["ignore", "ignore", "pipe"] });
  let log = "";
  proc.stderr.on("data", (d) => { log = (log + d).slice(-20000); });
  const deadline = Date.now() + 20000;
  while (Date.now() < deadline) {
    if (existsSync(ready)) {
      // One endpoint a line: with --tls-port, HTTP first and HTTPS second.
      const endpoints = readFileSync(ready, "utf8").split(/\s+/).filter(Boolean);
      const endpoint = endpoints[0];
      if (endpoint) {
        await checkSanitizerEnvironment(endpoint, proc);
        return {
          endpoint,
          endpoints,
          httpsEndpoint: endpoints.find((e) => e.startsWith("https://")),
          // With TLS: the CA of the "TLS CA: <path> (AWS_CA_BUNDLE=...)" start-up line.
          caBundle: () => log.match(/ TLS CA: (\S+) \(AWS_CA_BUNDLE=/)?.[1],
          credentials: { accessKeyId: "test", secretAccessKey: "test" },
          region: "us-east-1",
          log: () => log,
          async stop() {
            if (proc.exitCode === null && proc.signalCode === null) {
              const exited = new Promise((r) => proc.once("exit", r));
              proc.kill("SIGTERM");
              await exited;
            }
            rmSync(dir, { recursive: true, force: true });
            // The asan build aborts on the first report; a test must not pass over one.
            const m = SANITIZER_MARKERS.find((s) => log.includes(s));
            if (m) throw new Error("sanitizer report in the localaws log:\n" + log.slice(log.indexOf(m) - 200));
          },
        };
      }
    }
    if (proc.exitCode !== null) throw new Error("localaws exited: " + log);
    await new Promise((r) => setTimeout(r, 10));
  }
  proc.kill("SIGKILL");
  throw new Error("localaws did not become ready: " + log);
}

// An S3 client for a started server: path-style addressing, the server's test credentials.
export function s3ClientFor(server, options = {}) {
  return new S3Client({ endpoint: server.endpoint, region: server.region, credentials: server.credentials,
    forcePathStyle: true, ...options });
}

// Fails unless the SDK call rejects with the error name (S3's code) and, when given, the HTTP status.
export async function rejectsWith(promise, name, status) {
  await assert.rejects(promise, (e) => {
    assert.equal(e.name, name, `error name (got ${e.name}: ${e.message})`);
    if (status !== undefined) assert.equal(e.$metadata?.httpStatusCode, status, `HTTP status of ${name}`);
    return true;
  });
}

// Registers a test file's hooks: before all, a server, an S3 client and the buckets created, then
// ready(server, s3) (the file keeps its own references); after all, both closed.
export function s3Suite(buckets, ready) {
  let server;
  let s3;
  before(async () => {
    server = await startLocalaws();
    s3 = s3ClientFor(server);
    for (const Bucket of buckets) await s3.send(new CreateBucketCommand({ Bucket }));
    await ready(server, s3);
  });
  after(async () => {
    s3?.destroy();
    await server?.stop();
  });
}

// CreateTable input of an on-demand table keyed pk (S) and sk (N).
export function pkSkTable(TableName) {
  return {
    TableName,
    AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }, { AttributeName: "sk", AttributeType: "N" }],
    KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }, { AttributeName: "sk", KeyType: "RANGE" }],
    BillingMode: "PAY_PER_REQUEST",
  };
}

// The DynamoDB counterpart: before all, a server, a low-level client (no retries), a DocumentClient
// (`translateConfig` passed to DynamoDBDocumentClient.from) and the tables created (CreateTable
// inputs), then ready(server, client, doc); after all, both closed.
export function ddbSuite(tables, ready, { translateConfig, args } = {}) {
  let server;
  let client;
  before(async () => {
    server = await startLocalaws({ args });
    client = new DynamoDBClient({ endpoint: server.endpoint, region: server.region, credentials: server.credentials,
      maxAttempts: 1 });
    const doc = DynamoDBDocumentClient.from(client, translateConfig);
    for (const t of tables) await client.send(new CreateTableCommand(t));
    await ready(server, client, doc);
  });
  after(async () => {
    client?.destroy();
    await server?.stop();
  });
}
