// AWS Signature Version 4 for the browser, on WebCrypto (crypto.subtle exists in secure contexts,
// which include http://localhost and http://127.0.0.1).
// Reference: https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html

const encoder = new TextEncoder();

function toBytes(data) {
  if (typeof data === "string") return encoder.encode(data);
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return data;
}

export function hex(buffer) {
  return Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, "0")).join("");
}

export async function sha256(data) {
  return crypto.subtle.digest("SHA-256", toBytes(data));
}

export async function sha256Hex(data) {
  return hex(await sha256(data));
}

export function base64(buffer) {
  let s = "";
  for (const b of new Uint8Array(buffer)) s += String.fromCharCode(b);
  return btoa(s);
}

async function hmac(key, message) {
  const k = await crypto.subtle.importKey("raw", toBytes(key), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return crypto.subtle.sign("HMAC", k, toBytes(message));
}

// RFC 3986 encoding as SigV4 wants it: unreserved characters stay, every other UTF-8 byte is %XX
// (upper case); '/' stays when keepSlash (S3 object keys in paths).
export function uriEncode(text, keepSlash = false) {
  let out = "";
  for (const b of encoder.encode(text)) {
    const c = String.fromCharCode(b);
    if (/[A-Za-z0-9\-._~]/.test(c) || (keepSlash && c === "/")) out += c;
    else out += "%" + b.toString(16).toUpperCase().padStart(2, "0");
  }
  return out;
}

// The query string, encoded and sorted the way the canonical request needs it; the request is
// sent with exactly this string so the server sees what was signed.
export function canonicalQuery(params) {
  return Object.entries(params || {})
    .map(([k, v]) => [uriEncode(k), uriEncode(String(v))])
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join("&");
}

export function amzDate(now = new Date()) {
  return now.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
}

// The signature of a canonical request: the string to sign, HMAC'd with the key derived from the
// secret, the day, the region and the service.
async function signatureFor(credentials, date, region, service, canonical) {
  const day = date.slice(0, 8);
  const scope = `${day}/${region}/${service}/aws4_request`;
  const toSign = ["AWS4-HMAC-SHA256", date, scope, await sha256Hex(canonical)].join("\n");
  let key = await hmac("AWS4" + credentials.secretAccessKey, day);
  key = await hmac(key, region);
  key = await hmac(key, service);
  key = await hmac(key, "aws4_request");
  return hex(await hmac(key, toSign));
}

// Signs a request and returns the headers to send (everything but Host, which the browser sets to
// location.host, the value signed here).
//   path: the encoded path as sent; query: the canonicalQuery() string; headers: lower-case names;
//   payloadHash: hex SHA-256 of the body or "UNSIGNED-PAYLOAD".
export async function signRequest({ method, path, query, headers, payloadHash, service, region, credentials, host }) {
  const date = amzDate();
  const day = date.slice(0, 8);
  const all = { ...headers, host, "x-amz-date": date };
  if (service === "s3") all["x-amz-content-sha256"] = payloadHash;
  if (credentials.sessionToken) all["x-amz-security-token"] = credentials.sessionToken;
  const names = Object.keys(all).map((n) => n.toLowerCase()).sort();
  const lower = Object.fromEntries(Object.entries(all).map(([k, v]) => [k.toLowerCase(), v]));
  const canonicalHeaders = names.map((n) => `${n}:${String(lower[n]).trim().replace(/\s+/g, " ")}\n`).join("");
  const signedHeaders = names.join(";");
  const canonical = [method, path, query, canonicalHeaders, signedHeaders, payloadHash].join("\n");
  const scope = `${day}/${region}/${service}/aws4_request`;
  const signature = await signatureFor(credentials, date, region, service, canonical);
  delete lower.host;
  lower.authorization =
    `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/${scope}, ` +
    `SignedHeaders=${signedHeaders}, Signature=${signature}`;
  return lower;
}

// A presigned URL (query-string authentication): the credential, date, expiry and signed headers
// travel in the query, only Host is signed, and the payload is UNSIGNED-PAYLOAD, as S3 expects.
// Returns the path and query to append to the origin; params are extra query parameters
// (versionId, response-content-disposition, ...), signed with the rest.
// Reference: https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html
export async function presignPath({ method = "GET", path, params, service = "s3", region, credentials, host, expires, now }) {
  const date = amzDate(now);
  const scope = `${date.slice(0, 8)}/${region}/${service}/aws4_request`;
  const q = {
    ...(params || {}),
    "X-Amz-Algorithm": "AWS4-HMAC-SHA256",
    "X-Amz-Credential": `${credentials.accessKeyId}/${scope}`,
    "X-Amz-Date": date,
    "X-Amz-Expires": String(expires),
    "X-Amz-SignedHeaders": "host",
  };
  if (credentials.sessionToken) q["X-Amz-Security-Token"] = credentials.sessionToken;
  const query = canonicalQuery(q);
  const canonical = [method, path, query, `host:${host}\n`, "host", "UNSIGNED-PAYLOAD"].join("\n");
  const signature = await signatureFor(credentials, date, region, service, canonical);
  return `${path}?${query}&X-Amz-Signature=${signature}`;
}
