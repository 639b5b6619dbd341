// What the S3 pages share: their links, breadcrumbs, the bucket tabs, XML helpers and the calls
// whose "not configured" or NotImplemented answer is a normal outcome.
import { child, children, s3, s3Path } from "./aws.js";
import { h } from "./dom.js";

export const NS = "http://s3.amazonaws.com/doc/2006-03-01/";
export const ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers";
export const AUTH_USERS = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers";

const enc = encodeURIComponent;
export const links = {
  buckets: () => "#/s3",
  folder: (bucket, prefix = "") => `#/s3/b/${enc(bucket)}/${enc(prefix)}`,
  object: (bucket, key, versionId) => `#/s3/o/${enc(bucket)}/${enc(key)}${versionId ? "/" + enc(versionId) : ""}`,
  permissions: (bucket, section) => `#/s3/permissions/${enc(bucket)}${section ? "/" + enc(section) : ""}`,
  properties: (bucket, section) => `#/s3/properties/${enc(bucket)}${section ? "/" + enc(section) : ""}`,
};

// The object URL as the AWS console shows it: path style, the key's spaces as '+' (S3 reads '+' in
// a path as a space; a literal '+' in a key is sent as %2B).
export function objectUrl(bucket, key) {
  return `${location.protocol}//${location.host}${s3Path(bucket, key).replace(/%20/g, "+")}`;
}

// Runs an S3 call whose absence (NotImplemented) or "not configured" answer (one of missingCodes)
// is a normal outcome: { ok: xml root } | { missing } | { unknown } | { error }.
export async function optional(operation, opts, missingCodes) {
  try {
    return { ok: (await s3(operation, opts)).xml() };
  } catch (e) {
    if (e.code === "NotImplemented") return { unknown: true, error: e };
    if (missingCodes.includes(e.code)) return { missing: true };
    return { error: e };
  }
}

export function xmlEscape(s) {
  return String(s).replace(/[<>&'"]/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", "'": "&apos;", '"': "&quot;" })[c]);
}

// Breadcrumbs from the bucket list down to prefix (a folder, ending in '/'), then `last` if given.
export function crumbsFor(bucket, prefix, last) {
  const crumbs = [{ label: "Buckets", href: links.buckets() }, { label: bucket, href: links.folder(bucket) }];
  const parts = prefix.split("/").filter(Boolean);
  parts.forEach((p, i) => crumbs.push({ label: p, href: links.folder(bucket, parts.slice(0, i + 1).join("/") + "/") }));
  if (last !== undefined) crumbs.push({ label: last });
  return crumbs;
}

// The bucket's tabs (Objects, Properties, Permissions): links, the current one marked.
export function bucketTabs(bucket, current) {
  const tab = (name, href) => h("li", {}, h("a", { href, "aria-current": current === name ? "page" : undefined }, name));
  return h("nav", { class: "tabs", "aria-label": `Bucket ${bucket}` }, h("ul", {},
    tab("Objects", links.folder(bucket)), tab("Properties", links.properties(bucket)), tab("Permissions", links.permissions(bucket))));
}

// Who a grant is for, in words.
export function granteeName(grantee) {
  if (!grantee) return "";
  const uri = child(grantee, "URI");
  if (uri === ALL_USERS) return "Everyone (public access)";
  if (uri === AUTH_USERS) return "Authenticated users group";
  return uri || child(grantee, "DisplayName") || child(grantee, "ID") || child(grantee, "EmailAddress");
}

export function grantsOf(aclXml) {
  return Array.from(aclXml.getElementsByTagName("Grant"), (g) => ({ who: granteeName(children(g, "Grantee")[0]), grantee: children(g, "Grantee")[0], permission: child(g, "Permission") }));
}

export function grantsPublic(aclXml) {
  return grantsOf(aclXml).some((g) => g.grantee && [ALL_USERS, AUTH_USERS].includes(child(g.grantee, "URI")));
}

// The bucket's Object Ownership ("BucketOwnerEnforced" when it has no controls is not assumed: an
// absent configuration means ACLs are enabled, as on AWS). Answers "" when unknown.
export async function bucketOwnership(bucket) {
  const r = await optional("GetBucketOwnershipControls", { bucket, query: { ownershipControls: "" } }, ["OwnershipControlsNotFoundError"]);
  if (r.ok) return r.ok.getElementsByTagName("ObjectOwnership")[0]?.textContent || "";
  if (r.missing) return "ObjectWriter";
  return "";
}

export function formatCount(n) {
  return Number(n).toLocaleString("en-US");
}

// Copies text to the clipboard; falls back to a selected textarea and execCommand where the
// asynchronous clipboard is not allowed.
export async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
    return;
  } catch {
    const ta = h("textarea", { class: "sr-only", "aria-hidden": "true" });
    ta.value = text;
    document.body.append(ta);
    ta.select();
    const ok = document.execCommand("copy");
    ta.remove();
    if (!ok) throw new Error("The browser did not allow copying: select the text and copy it by hand.");
  }
}

// A small status line (role=status) that says what just happened.
export function statusLine() {
  return h("p", { class: "status", role: "status", "aria-live": "polite" });
}

// Rows of key and value inputs (tags, user metadata) with Add and Remove buttons.
// Returns { el, values() -> [[key, value]] (rows with an empty key are left out) }.
export function keyValueEditor(pairs, { noun, keyLabel = "Key", valueLabel = "Value" }) {
  const list = h("div", { class: "kv-rows" });
  let n = 0;
  const addRow = (k = "", v = "") => {
    n += 1;
    const key = h("input", { type: "text", value: k, autocomplete: "off", spellcheck: "false", "aria-label": `${noun} ${n} ${keyLabel.toLowerCase()}`, class: "kv-key" });
    const value = h("input", { type: "text", value: v, autocomplete: "off", spellcheck: "false", "aria-label": `${noun} ${n} ${valueLabel.toLowerCase()}`, class: "kv-value" });
    const row = h("div", { class: "kv-row" }, key, value,
      h("button", { type: "button", "aria-label": `Remove ${noun.toLowerCase()} ${n}`, onclick: () => { row.remove(); } }, "Remove"));
    list.append(row);
    return key;
  };
  for (const [k, v] of pairs) addRow(k, v);
  const el = h("div", { class: "kv" },
    h("div", { class: "kv-head", "aria-hidden": "true" }, h("span", {}, keyLabel), h("span", {}, valueLabel)),
    list,
    h("button", { type: "button", onclick: () => addRow().focus() }, `Add ${noun.toLowerCase()}`));
  const values = () => Array.from(list.querySelectorAll(".kv-row"), (r) => [r.querySelector(".kv-key").value.trim(), r.querySelector(".kv-value").value])
    .filter(([k]) => k !== "");
  return { el, values };
}

// <Tagging><TagSet><Tag>... as [[key, value]], and back.
export function tagsFromXml(doc) {
  return Array.from(doc.getElementsByTagName("Tag"), (t) => [child(t, "Key"), child(t, "Value")]);
}

export function tagsToXml(pairs) {
  return `<Tagging xmlns="${NS}"><TagSet>${pairs.map(([k, v]) => `<Tag><Key>${xmlEscape(k)}</Key><Value>${xmlEscape(v)}</Value></Tag>`).join("")}</TagSet></Tagging>`;
}

// A section of a detail page: heading (focusable, the target of #.../SECTION links), an error box,
// a status line and a body to fill.
export function section(id, title, intro) {
  const err = h("div", { class: "error", role: "alert", hidden: true });
  const status = statusLine();
  const body = h("div", { class: "section-body" });
  const el = h("section", { id: `sec-${id}`, "aria-labelledby": `h-${id}`, class: "panel" },
    h("h2", { id: `h-${id}`, tabindex: "-1" }, title),
    intro ? h("p", { class: "hint" }, intro) : null,
    err, body, status);
  return { el, body, err, status };
}

// The canned ACL an ACL's grants amount to (the owner's FULL_CONTROL plus the groups'), "" when
// none matches: the choice to preselect when editing.
export function cannedAclOf(aclXml) {
  const g = grantsOf(aclXml).map((x) => `${x.grantee ? child(x.grantee, "URI") : ""} ${x.permission}`);
  const has = (uri, perm) => g.includes(`${uri} ${perm}`);
  const groups = g.filter((x) => x.startsWith("http")).length;
  if (groups === 0) return g.length === 1 ? "private" : "";
  if (groups === 2 && has(ALL_USERS, "READ") && has(ALL_USERS, "WRITE")) return "public-read-write";
  if (groups === 1 && has(ALL_USERS, "READ")) return "public-read";
  if (groups === 1 && has(AUTH_USERS, "READ")) return "authenticated-read";
  return "";
}
