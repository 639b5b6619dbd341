// Minimal S3 (REST/XML) and DynamoDB (JSON 1.0) clients for the console, talking to the APIs of
// this same origin. Every call is a real, signed AWS request, so it shows in the request journal.
import { base64, canonicalQuery, presignPath, sha256, sha256Hex, signRequest, uriEncode } from "./sigv4.js";

const SETTINGS_KEY = "localaws.console.settings";
const DEFAULTS = { accessKeyId: "test", secretAccessKey: "test", region: "us-east-1" };

export function loadSettings() {
  try {
    return { ...DEFAULTS, ...JSON.parse(localStorage.getItem(SETTINGS_KEY) || "{}") };
  } catch {
    return { ...DEFAULTS };
  }
}

export function saveSettings(s) {
  localStorage.setItem(SETTINGS_KEY, JSON.stringify(s));
}

// An error answered by the API: AWS's code and message, the HTTP status and which operation failed.
export class AwsError extends Error {
  constructor(operation, code, message, status) {
    super(`${code}: ${message}`);
    this.operation = operation;
    this.code = code;
    this.awsMessage = message;
    this.status = status;
  }
}

// The error of a request cancelled through its AbortSignal (code "RequestAborted", aborted true).
function abortedError(operation) {
  const e = new AwsError(operation, "RequestAborted", "cancelled before it completed", 0);
  e.aborted = true;
  return e;
}

// One XMLHttpRequest (rather than fetch) so uploads can report progress. An AbortSignal (signal)
// aborts the transfer itself (xhr.abort()), not just the wait for it.
function send({ operation, method, url, headers, body, onProgress, signal }) {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortedError(operation));
    const xhr = new XMLHttpRequest();
    xhr.open(method, url);
    for (const [k, v] of Object.entries(headers)) xhr.setRequestHeader(k, v);
    xhr.responseType = "text";
    if (onProgress) xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded, e.total);
    const onAbort = () => xhr.abort();
    signal?.addEventListener("abort", onAbort, { once: true });
    const done = () => signal?.removeEventListener("abort", onAbort);
    xhr.onload = () => { done(); resolve(xhr); };
    xhr.onabort = () => { done(); reject(abortedError(operation)); };
    xhr.onerror = () => { done(); reject(new AwsError(operation, "NetworkError", `the request to ${url} did not complete`, 0)); };
    xhr.send(body ?? null);
  });
}

export function parseXml(text) {
  return new DOMParser().parseFromString(text, "application/xml");
}

// The text of the first direct child of el named tag, or "" (S3 XML has no prefixes, so local names match).
export function child(el, tag) {
  for (const c of el.children) if (c.localName === tag) return c.textContent;
  return "";
}

export function children(el, tag) {
  return Array.from(el.children).filter((c) => c.localName === tag);
}

export function s3Path(bucket, key) {
  if (!bucket) return "/";
  return "/" + uriEncode(bucket) + (key === undefined ? "" : "/" + uriEncode(key, true));
}

// S3 call. opts: bucket, key, query (object), headers, body (string/Blob/File), unsignedPayload,
// checksum (adds x-amz-checksum-sha256, which S3 takes in place of Content-MD5), onProgress,
// signal (an AbortSignal that aborts the transfer).
export async function s3(operation, opts = {}) {
  const settings = loadSettings();
  const { bucket, key, query, body, onProgress, signal } = opts;
  const method = opts.method || "GET";
  const headers = { ...(opts.headers || {}) };
  let payloadHash = "UNSIGNED-PAYLOAD";
  if (!opts.unsignedPayload) {
    if (body !== undefined && typeof body !== "string") throw new Error("only text bodies are signed; use unsignedPayload");
    const bytes = body ?? "";
    payloadHash = await sha256Hex(bytes);
    if (opts.checksum) {
      headers["x-amz-checksum-sha256"] = base64(await sha256(bytes));
      headers["x-amz-sdk-checksum-algorithm"] = "SHA256";
    }
  }
  const path = s3Path(bucket, key);
  const qs = canonicalQuery(query);
  const signed = await signRequest({
    method, path, query: qs, headers, payloadHash, service: "s3", region: settings.region,
    credentials: settings, host: location.host,
  });
  const xhr = await send({ operation, method, url: path + (qs ? "?" + qs : ""), headers: signed, body, onProgress, signal });
  if (xhr.status >= 300) {
    let code = `HTTP ${xhr.status}`;
    let message = xhr.statusText || "";
    const text = xhr.responseText || "";
    if (text.trim().startsWith("<")) {
      const err = parseXml(text).documentElement;
      if (err && err.localName === "Error") {
        code = child(err, "Code") || code;
        message = child(err, "Message") || message;
      }
    } else if (xhr.status === 404) {
      code = "NotFound"; // HEAD answers carry no body, as on AWS
    }
    throw new AwsError(operation, code, message, xhr.status);
  }
  return {
    status: xhr.status,
    header: (name) => xhr.getResponseHeader(name),
    // Every response header, names in lower case (same origin: the browser exposes them all).
    headers: () => Object.fromEntries(xhr.getAllResponseHeaders().trim().split(/\r?\n/).filter(Boolean)
      .map((l) => [l.slice(0, l.indexOf(":")).trim().toLowerCase(), l.slice(l.indexOf(":") + 1).trim()])),
    text: xhr.responseText,
    xml: () => parseXml(xhr.responseText).documentElement,
  };
}

// A presigned URL of this origin for an S3 request (GET by default) that any browser tab or tool
// can use without credentials until it expires. opts: bucket, key, query (versionId,
// response-content-disposition, ...), expires (seconds, 1..604800), method.
export async function s3Presign({ bucket, key, query, expires = 900, method = "GET" }) {
  const settings = loadSettings();
  const path = await presignPath({
    method, path: s3Path(bucket, key), params: query, service: "s3", region: settings.region,
    credentials: settings, host: location.host, expires,
  });
  return `${location.protocol}//${location.host}${path}`;
}

// DynamoDB call: operation name and its JSON request; returns the parsed JSON answer.
export async function ddb(operation, payload) {
  const settings = loadSettings();
  const body = JSON.stringify(payload);
  const headers = {
    "content-type": "application/x-amz-json-1.0",
    "x-amz-target": "DynamoDB_20120810." + operation,
  };
  const signed = await signRequest({
    method: "POST", path: "/", query: "", headers, payloadHash: await sha256Hex(body),
    service: "dynamodb", region: settings.region, credentials: settings, host: location.host,
  });
  const xhr = await send({ operation, method: "POST", url: "/", headers: signed, body });
  let json = {};
  try {
    json = xhr.responseText ? JSON.parse(xhr.responseText) : {};
  } catch {
    json = {};
  }
  if (xhr.status !== 200) {
    const type = String(json.__type || `HTTP ${xhr.status}`);
    throw new AwsError(operation, type.slice(type.lastIndexOf("#") + 1), json.message || json.Message || "", xhr.status);
  }
  return json;
}
