// "Copy as aws CLI": a journal entry as an `aws s3api ...` / `aws dynamodb ...` command line for
// the same endpoint. The journal holds what any client really sent (query, headers, DynamoDB's
// JSON body, S3's configuration XML bodies), so this works for SDK and CLI calls alike.
import { Num, parseExact, stringifyExact } from "./ddb_json.js";

// The CLI's name of an operation, as botocore derives it: ListObjectsV2 -> list-objects-v2.
export function cliName(op) {
  return op.replace(/(.)([A-Z][a-z]+)/g, "$1-$2").replace(/([a-z0-9])([A-Z])/g, "$1-$2").toLowerCase();
}

// One shell word (POSIX sh): bare when safe, otherwise single-quoted.
export function shellQuote(s) {
  const t = String(s);
  if (/^[A-Za-z0-9_\-.,/:=@%+]+$/.test(t)) return t;
  return "'" + t.replace(/'/g, "'\\''") + "'";
}

const camelToKebab = (s) => cliName(s.charAt(0).toUpperCase() + s.slice(1));

// The value of a header (lower-case name) in a journal entry, or undefined.
export function header(entry, name) {
  return (entry.headers || []).find(([k]) => k === name)?.[1];
}

// The region the call was signed for (the credential scope), or undefined.
export function signedRegion(entry) {
  const scope = header(entry, "authorization")?.match(/Credential=[^/]*\/\d{8}\/([^/]+)\//)?.[1];
  if (scope) return scope;
  const cred = new URLSearchParams(entry.query || "").get("X-Amz-Credential");
  return cred?.split("/")[2] || undefined;
}

// Query parameters the CLI fills in itself (paging, signing) or that only name the operation.
const S3_QUERY_SKIP = new Set(["list-type", "max-keys", "continuation-token", "marker", "max-uploads", "key-marker",
  "upload-id-marker", "version-id-marker", "max-parts", "part-number-marker", "x-id", "versions", "uploads",
  "AWSAccessKeyId", "Signature", "Expires"]);
const S3_BOOL_QUERY = new Set(["fetch-owner"]);
const S3_HEADERS = {
  "cache-control": "--cache-control", "content-disposition": "--content-disposition", "content-encoding": "--content-encoding",
  "content-language": "--content-language", expires: "--expires", "x-amz-acl": "--acl", "x-amz-grant-read": "--grant-read",
  "x-amz-grant-write": "--grant-write", "x-amz-grant-read-acp": "--grant-read-acp", "x-amz-grant-write-acp": "--grant-write-acp",
  "x-amz-grant-full-control": "--grant-full-control", "x-amz-storage-class": "--storage-class",
  "x-amz-server-side-encryption": "--server-side-encryption", "x-amz-tagging": "--tagging",
  "x-amz-object-ownership": "--object-ownership", "x-amz-copy-source": "--copy-source",
  "x-amz-website-redirect-location": "--website-redirect-location", "x-amz-expected-bucket-owner": "--expected-bucket-owner",
  "if-match": "--if-match", "if-none-match": "--if-none-match", range: "--range",
  "x-amz-metadata-directive": "--metadata-directive", "x-amz-tagging-directive": "--tagging-directive",
};
// Header flags the CLI takes without a value.
const S3_BOOL_HEADERS = { "x-amz-bucket-object-lock-enabled": "--object-lock-enabled-for-bucket" };
const WITH_CONTENT_TYPE = new Set(["PutObject", "CopyObject", "CreateMultipartUpload"]);

function xmlFields(el) {
  return Array.from(el.children).map((c) => [c.localName, c.textContent]);
}

// The XML body of an S3 call as CLI arguments, or null when this op's body is not converted.
function s3BodyArgs(op, text) {
  const doc = new DOMParser().parseFromString(text, "application/xml");
  const root = doc.documentElement;
  if (!root || root.localName === "parsererror" || doc.querySelector("parsererror")) return null;
  const children = Array.from(root.children);
  if (op === "DeleteObjects") {
    const objects = children.filter((c) => c.localName === "Object").map((o) => Object.fromEntries(xmlFields(o)));
    const d = { Objects: objects };
    const quiet = children.find((c) => c.localName === "Quiet");
    if (quiet) d.Quiet = quiet.textContent.trim() === "true";
    return ["--delete", JSON.stringify(d)];
  }
  if (op === "PutBucketTagging" || op === "PutObjectTagging") {
    const tags = Array.from(root.getElementsByTagNameNS("*", "Tag")).map((t) => Object.fromEntries(xmlFields(t)));
    return ["--tagging", JSON.stringify({ TagSet: tags })];
  }
  if (op === "PutBucketOwnershipControls") {
    const rules = Array.from(root.getElementsByTagNameNS("*", "Rule")).map((r) => Object.fromEntries(xmlFields(r)));
    return ["--ownership-controls", JSON.stringify({ Rules: rules })];
  }
  // Flat configurations (CreateBucketConfiguration, PublicAccessBlockConfiguration,
  // VersioningConfiguration, ...): the CLI's shorthand Name=value,Name=value.
  if (children.length && children.every((c) => c.children.length === 0)) {
    return ["--" + cliName(root.localName), xmlFields(root).map(([k, v]) => `${k}=${v}`).join(",")];
  }
  return null;
}

function decoded(s) {
  try { return decodeURIComponent(s); } catch { return s; }
}

function s3Args(entry, notes) {
  const args = [];
  const op = entry.operation;
  // The service says what the request named (path or virtual-hosted style alike).
  let bucket = entry.bucket, key = entry.key;
  if (bucket === undefined) {
    const segs = (entry.resource || "/").split("/").slice(1);
    bucket = segs[0] ? decoded(segs[0]) : "";
    key = segs.length > 1 ? decoded(segs.slice(1).join("/")) : "";
  }
  if (bucket) args.push("--bucket", bucket);
  if (key) args.push("--key", key);
  // x-www-form-urlencoded would turn '+' into a space: S3 queries encode spaces as %20.
  for (const part of (entry.query || "").split("&")) {
    if (!part) continue;
    const eq = part.indexOf("=");
    const k = decoded(eq < 0 ? part : part.slice(0, eq));
    const v = eq < 0 ? "" : decoded(part.slice(eq + 1));
    if (S3_QUERY_SKIP.has(k) || /^x-amz-/i.test(k) || v === "") continue;
    if (S3_BOOL_QUERY.has(k)) args.push(v === "true" ? "--" + k : "--no-" + k);
    else args.push("--" + camelToKebab(k), v);
  }
  const meta = {};
  for (const [name, value] of entry.headers || []) {
    if (name.startsWith("x-amz-meta-")) meta[name.slice(11)] = value;
    else if (name === "content-type" && WITH_CONTENT_TYPE.has(op)) args.push("--content-type", value);
    else if (name === "x-amz-copy-source") args.push("--copy-source", decoded(value)); // the CLI encodes it again
    else if (S3_HEADERS[name]) args.push(S3_HEADERS[name], value);
    else if (S3_BOOL_HEADERS[name] && value === "true") args.push(S3_BOOL_HEADERS[name]);
  }
  if (Object.keys(meta).length) args.push("--metadata", JSON.stringify(meta));
  const file = (key || "").split("/").pop() || "object";
  if (op === "PutObject" || op === "UploadPart") {
    const length = Number(header(entry, "x-amz-decoded-content-length") ?? header(entry, "content-length") ?? 0);
    if (length > 0) {
      args.push("--body", file);
      notes.push(`The object's bytes are not journaled: --body names a local file of ${length} bytes to upload.`);
    }
  } else if (op === "PutBucketPolicy" && entry.body) {
    args.push("--policy", entry.body);
  } else if (entry.body) {
    const more = entry.bodyTruncated ? null : s3BodyArgs(op, entry.body);
    if (more) args.push(...more);
    else notes.push("The request's XML body is not turned into arguments for this operation: see the body above.");
  } else if (entry.bodyDropped) {
    notes.push("The journal let this request's body go (older entries lose theirs first): add its parameters.");
  }
  if (op === "GetObject") args.push(file);
  return args;
}

// Paginated DynamoDB operations: the CLI hides their page parameters, so a request that set them
// goes in whole as --cli-input-json with --no-paginate.
const DDB_PAGED = {
  Scan: ["Limit", "ExclusiveStartKey"], Query: ["Limit", "ExclusiveStartKey"], ListTables: ["Limit", "ExclusiveStartTableName"],
  ListBackups: ["Limit", "ExclusiveStartBackupArn"], ListTagsOfResource: ["NextToken"],
};

function ddbArgs(entry, notes) {
  if (entry.body === undefined || entry.bodyDropped || entry.bodyTruncated) {
    notes.push(entry.bodyTruncated ? "The journal keeps the first 64 KiB of a body: this one was longer, so its parameters are missing."
      : "The journal no longer holds this request's body, so the parameters are missing: add them (for example --table-name).");
    return entry.table ? ["--table-name", entry.table] : [];
  }
  let body;
  try {
    body = parseExact(entry.body || "{}"); // numbers stay as sent
  } catch {
    notes.push("The request body is not JSON.");
    return [];
  }
  const paged = DDB_PAGED[entry.operation] || [];
  if (paged.some((p) => p in body)) return ["--cli-input-json", stringifyExact(body, 0), "--no-paginate"];
  const args = [];
  for (const [k, v] of Object.entries(body)) {
    const flag = "--" + cliName(k);
    if (typeof v === "boolean") args.push(v ? flag : "--no-" + cliName(k));
    else if (typeof v === "string" || v instanceof Num) args.push(flag, String(v));
    else args.push(flag, stringifyExact(v, 0));
  }
  return args;
}

// { command, notes }: the command line and what the reader must know or fill in. The region is
// the one the call was signed for, else `region`.
export function cliCommand(entry, { endpoint = location.origin, region } = {}) {
  const notes = [];
  let service = entry.service === "s3" ? "s3api" : "dynamodb";
  if ((header(entry, "x-amz-target") || "").startsWith("DynamoDBStreams_")) service = "dynamodbstreams";
  const args = entry.service === "s3" ? s3Args(entry, notes) : ddbArgs(entry, notes);
  const words = ["aws", service, cliName(entry.operation), ...args, "--endpoint-url", endpoint];
  const r = signedRegion(entry) || region;
  if (r) words.push("--region", r);
  if (entry.operation === "Auth") notes.push("Authentication refused this call before its operation was known.");
  return { command: words.map(shellQuote).join(" "), notes };
}
