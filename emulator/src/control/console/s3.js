// The S3 pages: buckets, a folder view, an object overview. Each action is the S3 call the AWS
// console makes for it.
import { AwsError, child, children, loadSettings, s3, s3Path } from "./aws.js";
import { choice, confirmDialog, errorBox, field, formatDate, formatSize, h, listPage, listTable, openDialog, pageHeader, showError } from "./dom.js";

const ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers";
const AUTH_USERS = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers";

export const links = {
  buckets: () => "#/s3",
  folder: (bucket, prefix = "") => `#/s3/b/${encodeURIComponent(bucket)}/${encodeURIComponent(prefix)}`,
  object: (bucket, key) => `#/s3/o/${encodeURIComponent(bucket)}/${encodeURIComponent(key)}`,
};

// The object URL as the AWS console shows it: path style, the key's spaces as '+' (S3 reads '+' in
// a path as a space; a literal '+' in a key is sent as %2B).
export function objectUrl(bucket, key) {
  return `${location.protocol}//${location.host}${s3Path(bucket, key).replace(/%20/g, "+")}`;
}

// Runs an S3 call whose absence (NotImplemented) or "not configured" answer is a normal outcome.
async function optional(operation, opts, missingCodes) {
  try {
    return { ok: (await s3(operation, opts)).xml() };
  } catch (e) {
    if (e.code === "NotImplemented") return { unknown: true };
    if (missingCodes.includes(e.code)) return { missing: true };
    return { error: e };
  }
}

function grantsPublic(aclXml) {
  for (const g of aclXml.getElementsByTagName("Grant")) {
    const grantee = children(g, "Grantee")[0];
    const uri = grantee ? child(grantee, "URI") : "";
    if (uri === ALL_USERS || uri === AUTH_USERS) return true;
  }
  return false;
}

// The Access column, worked out as the AWS console does from the public access block, the policy
// status and the bucket ACL.
export async function bucketAccess(bucket) {
  const [pab, status, acl] = await Promise.all([
    optional("GetPublicAccessBlock", { bucket, query: { publicAccessBlock: "" } }, ["NoSuchPublicAccessBlockConfiguration"]),
    optional("GetBucketPolicyStatus", { bucket, query: { policyStatus: "" } }, ["NoSuchBucketPolicy"]),
    optional("GetBucketAcl", { bucket, query: { acl: "" } }, []),
  ]);
  const failed = [pab, status, acl].find((r) => r.error);
  if (failed) return { label: "Unknown", detail: failed.error.message, cls: "unknown" };
  if (pab.unknown || status.unknown || acl.unknown) {
    return { label: "Unknown", detail: "this localaws does not answer every access call (NotImplemented)", cls: "unknown" };
  }
  const flag = (name) => !!pab.ok && child(pab.ok, name) === "true";
  const policyPublic = !!status.ok && child(status.ok, "IsPublic") === "true";
  if ((policyPublic && !flag("RestrictPublicBuckets")) || (grantsPublic(acl.ok) && !flag("IgnorePublicAcls"))) {
    return { label: "Public", cls: "public" };
  }
  const blocksAll = flag("BlockPublicAcls") && flag("IgnorePublicAcls") && flag("BlockPublicPolicy") && flag("RestrictPublicBuckets");
  if (!blocksAll) return { label: "Objects can be public", cls: "maybe" };
  return { label: "Bucket and objects not public", cls: "private" };
}

export async function renderBuckets(root, refresh) {
  const { err, tbody } = listPage(root, {
    title: "Buckets", createLabel: "Create bucket", onCreate: () => createBucketDialog(refresh), refresh,
    caption: "S3 buckets", columns: ["Name", "Access", "Creation date", { hidden: "Actions" }],
  });
  let doc;
  try {
    doc = (await s3("ListBuckets")).xml();
  } catch (e) {
    return showError(err, e);
  }
  const buckets = Array.from(doc.getElementsByTagName("Bucket"));
  if (buckets.length === 0) tbody.append(h("tr", {}, h("td", { colspan: 4, class: "empty" }, "No buckets yet.")));
  for (const b of buckets) {
    const name = child(b, "Name");
    const access = h("td", { class: "access" }, "…");
    tbody.append(h("tr", {},
      h("td", {}, h("a", { href: links.folder(name) }, name)),
      access,
      h("td", {}, formatDate(child(b, "CreationDate"))),
      h("td", { class: "row-actions" }, h("button", {
        type: "button", "aria-label": `Delete bucket ${name}`,
        onclick: () => confirmDialog("Delete bucket", `Delete the bucket "${name}"? It must be empty.`, "Delete bucket",
          async () => { await s3("DeleteBucket", { method: "DELETE", bucket: name }); refresh(); }),
      }, "Delete"))));
    bucketAccess(name).then((a) => {
      access.replaceChildren(h("span", { class: `badge ${a.cls}` }, a.label));
      if (a.detail) access.append(h("span", { class: "hint" }, a.detail));
    });
  }
}

export function createBucketDialog(done) {
  const name = h("input", { type: "text", name: "bucket", required: true, minlength: 3, maxlength: 63, autocomplete: "off", spellcheck: "false" });
  const block = h("input", { type: "checkbox", name: "block", checked: true, id: "block-all" });
  const ack = h("input", { type: "checkbox", name: "ack", id: "ack-public" });
  const ackBox = h("div", { class: "choice warn", hidden: true }, ack,
    h("label", { for: "ack-public" }, "I acknowledge that the current settings might result in this bucket and the objects within becoming public."));
  block.addEventListener("change", () => {
    ackBox.hidden = block.checked;
    ack.required = !block.checked;
  });
  const body = h("div", {},
    field("Bucket name", name, "3-63 characters: lower-case letters, digits, dots and hyphens."),
    h("fieldset", {}, h("legend", {}, "Object Ownership"),
      choice("radio", "ownership", "BucketOwnerEnforced", "ACLs disabled (recommended)", true,
        "Bucket owner enforced: the bucket owns every object; access is managed with policies."),
      choice("radio", "ownership", "BucketOwnerPreferred", "ACLs enabled: bucket owner preferred", false,
        "Objects can carry ACLs; the bucket owner owns objects written with bucket-owner-full-control."),
      choice("radio", "ownership", "ObjectWriter", "ACLs enabled: object writer", false,
        "Objects can carry ACLs; the account that uploads an object owns it.")),
    h("fieldset", {}, h("legend", {}, "Block Public Access settings for this bucket"),
      h("div", { class: "choice" }, block, h("label", { for: "block-all" }, "Block all public access")),
      ackBox));
  openDialog({
    title: "Create bucket",
    body,
    submitLabel: "Create bucket",
    onSubmit: async ({ dialog }) => {
      const bucket = name.value.trim();
      const ownership = dialog.querySelector("input[name=ownership]:checked").value;
      const region = loadSettings().region;
      const createBody = region === "us-east-1" ? undefined :
        `<CreateBucketConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><LocationConstraint>${region}</LocationConstraint></CreateBucketConfiguration>`;
      await s3("CreateBucket", { method: "PUT", bucket, headers: { "x-amz-object-ownership": ownership }, body: createBody });
      // As the AWS console: the bucket is created with public access blocked, then the four
      // settings are turned off.
      if (!block.checked) {
        // The bucket exists now whatever happens next: show it in the list behind the dialog.
        done();
        const flags = ["BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets"]
          .map((f) => `<${f}>false</${f}>`).join("");
        await s3("PutPublicAccessBlock", {
          method: "PUT", bucket, query: { publicAccessBlock: "" }, checksum: true,
          body: `<PublicAccessBlockConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${flags}</PublicAccessBlockConfiguration>`,
        });
      }
      done();
    },
  });
}

function folderName(prefix, full) {
  return full.slice(prefix.length);
}

export async function renderFolder(root, bucket, prefix, refresh) {
  const err = errorBox();
  const tbody = h("tbody");
  const more = h("button", { type: "button", hidden: true }, "Load more");
  const crumbs = [{ label: "Buckets", href: links.buckets() }, { label: bucket, href: links.folder(bucket) }];
  const parts = prefix.split("/").filter((p, i, a) => i < a.length - 1);
  parts.forEach((p, i) => crumbs.push({ label: p, href: links.folder(bucket, parts.slice(0, i + 1).join("/") + "/") }));
  const selected = () => Array.from(tbody.querySelectorAll("input[type=checkbox]:checked"), (c) => c.value);
  root.replaceChildren(
    ...pageHeader(prefix ? parts[parts.length - 1] + "/" : bucket, crumbs, [
      h("button", { type: "button", onclick: () => createFolderDialog(bucket, prefix, refresh) }, "Create folder"),
      h("button", { type: "button", class: "primary", onclick: () => uploadDialog(bucket, prefix, refresh) }, "Upload"),
      h("button", {
        type: "button", onclick: () => {
          const keys = selected();
          if (keys.length === 0) return showError(err, new Error("Select the objects or folders to delete first."));
          deleteDialog(bucket, keys, refresh);
        },
      }, "Delete selected"),
      h("button", { type: "button", onclick: refresh }, "Refresh"),
    ]),
    err,
    listTable(`Objects in ${bucket}/${prefix}`, [{ hidden: "Select", class: "select" }, "Name", "Type", "Last modified", "Size"], tbody),
    more);
  let token;
  let shown = 0;
  const load = async () => {
    const query = { "list-type": "2", delimiter: "/", prefix, "max-keys": "200" };
    if (token) query["continuation-token"] = token;
    let doc;
    try {
      doc = (await s3("ListObjectsV2", { bucket, query })).xml();
    } catch (e) {
      return showError(err, e);
    }
    for (const cp of children(doc, "CommonPrefixes")) {
      const p = child(cp, "Prefix");
      const label = folderName(prefix, p);
      tbody.append(h("tr", {},
        h("td", {}, h("input", { type: "checkbox", value: p, "aria-label": `Select folder ${label}` })),
        h("td", {}, h("a", { href: links.folder(bucket, p), class: "folder" }, label)),
        h("td", {}, "Folder"), h("td", {}), h("td", {})));
      shown += 1;
    }
    for (const c of children(doc, "Contents")) {
      const key = child(c, "Key");
      if (key === prefix) continue; // the folder's own marker object
      const label = folderName(prefix, key);
      const ext = label.includes(".") ? label.slice(label.lastIndexOf(".") + 1) : "";
      tbody.append(h("tr", {},
        h("td", {}, h("input", { type: "checkbox", value: key, "aria-label": `Select ${label}` })),
        h("td", {}, h("a", { href: links.object(bucket, key) }, label)),
        h("td", {}, ext), h("td", {}, formatDate(child(c, "LastModified"))), h("td", {}, formatSize(child(c, "Size")))));
      shown += 1;
    }
    token = child(doc, "IsTruncated") === "true" ? child(doc, "NextContinuationToken") : undefined;
    more.hidden = !token;
    if (shown === 0 && !token) tbody.append(h("tr", {}, h("td", { colspan: 5, class: "empty" }, "No objects here yet.")));
  };
  more.addEventListener("click", load);
  await load();
}

function createFolderDialog(bucket, prefix, done) {
  const name = h("input", { type: "text", name: "folder", required: true, autocomplete: "off" });
  openDialog({
    title: "Create folder",
    body: field("Folder name", name, "A folder is an empty object whose key ends with '/'."),
    submitLabel: "Create folder",
    onSubmit: async () => {
      const n = name.value.replace(/\/+$/, "");
      if (!n) throw new Error("Give the folder a name.");
      if (n.includes("/")) throw new Error("A folder name cannot contain '/'.");
      await s3("PutObject", { method: "PUT", bucket, key: `${prefix}${n}/`, body: "" });
      done();
    },
  });
}

function uploadDialog(bucket, prefix, done) {
  const files = h("input", { type: "file", name: "files", multiple: true, required: true });
  const progress = h("progress", { max: 100, value: 0 });
  const status = h("p", { class: "status", role: "status", "aria-live": "polite" });
  const body = h("div", {},
    field("Files", files, `Uploaded to ${bucket}/${prefix}`),
    h("fieldset", {}, h("legend", {}, "Permissions"),
      choice("radio", "acl", "", "Do not grant public access (private)", true),
      choice("radio", "acl", "public-read", "Grant public read access", false,
        "Anyone can open the object URL (x-amz-acl: public-read; the bucket must allow ACLs and public ACLs).")),
    field("Progress", progress),
    status);
  openDialog({
    title: "Upload",
    body,
    submitLabel: "Upload",
    onSubmit: async ({ dialog }) => {
      const acl = dialog.querySelector("input[name=acl]:checked").value;
      const list = Array.from(files.files);
      const total = list.reduce((n, f) => n + f.size, 0) || 1;
      let before = 0;
      for (const f of list) {
        status.textContent = `Uploading ${f.name}…`;
        const headers = { "content-type": f.type || "application/octet-stream" };
        if (acl) headers["x-amz-acl"] = acl;
        await s3("PutObject", {
          method: "PUT", bucket, key: prefix + f.name, headers, body: f, unsignedPayload: true,
          onProgress: (loaded) => { progress.value = Math.round(((before + loaded) * 100) / total); },
        });
        before += f.size;
        progress.value = Math.round((before * 100) / total);
      }
      status.textContent = `Uploaded ${list.length} file(s).`;
      done();
    },
  });
}

async function keysUnder(bucket, prefix) {
  const keys = [];
  let token;
  for (let page = 0; page < 1000; page += 1) {
    const query = { "list-type": "2", prefix };
    if (token) query["continuation-token"] = token;
    const doc = (await s3("ListObjectsV2", { bucket, query })).xml();
    for (const c of children(doc, "Contents")) keys.push(child(c, "Key"));
    if (child(doc, "IsTruncated") !== "true") return keys;
    token = child(doc, "NextContinuationToken");
  }
  throw new Error("too many objects to delete from the console");
}

function xmlEscape(s) {
  return s.replace(/[<>&'"]/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", "'": "&apos;", '"': "&quot;" })[c]);
}

async function deleteKeys(bucket, keys) {
  for (let i = 0; i < keys.length; i += 1000) {
    const batch = keys.slice(i, i + 1000);
    const body = `<Delete xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Quiet>true</Quiet>${batch
      .map((k) => `<Object><Key>${xmlEscape(k)}</Key></Object>`).join("")}</Delete>`;
    const doc = (await s3("DeleteObjects", { method: "POST", bucket, query: { delete: "" }, body, checksum: true })).xml();
    const failed = children(doc, "Error")[0];
    if (failed) throw new AwsError("DeleteObjects", child(failed, "Code"), `${child(failed, "Key")}: ${child(failed, "Message")}`, 200);
  }
}

function deleteDialog(bucket, selection, done) {
  confirmDialog("Delete objects", `Delete ${selection.length} selected item(s)? Folders are deleted with everything in them.`,
    "Delete", async () => {
      const keys = [];
      for (const k of selection) keys.push(...(k.endsWith("/") ? await keysUnder(bucket, k) : [k]));
      await deleteKeys(bucket, keys);
      done();
    });
}

export async function renderObject(root, bucket, key, afterDelete) {
  const err = errorBox();
  const prefix = key.includes("/") ? key.slice(0, key.lastIndexOf("/") + 1) : "";
  const crumbs = [{ label: "Buckets", href: links.buckets() }, { label: bucket, href: links.folder(bucket) }];
  const parts = prefix.split("/").filter(Boolean);
  parts.forEach((p, i) => crumbs.push({ label: p, href: links.folder(bucket, parts.slice(0, i + 1).join("/") + "/") }));
  const name = key.slice(prefix.length);
  crumbs.push({ label: name });
  const details = h("dl", { class: "props" });
  const perms = h("tbody");
  const url = objectUrl(bucket, key);
  root.replaceChildren(
    ...pageHeader(name, crumbs, [
      h("a", { class: "button", href: url, target: "_blank", rel: "noopener" }, "Open"),
      h("button", {
        type: "button", onclick: () => confirmDialog("Delete object", `Delete "${key}"?`, "Delete",
          async () => { await s3("DeleteObject", { method: "DELETE", bucket, key }); afterDelete(links.folder(bucket, prefix)); }),
      }, "Delete"),
    ]),
    err,
    h("section", { "aria-labelledby": "ov" }, h("h2", { id: "ov" }, "Object overview"), details),
    h("section", { "aria-labelledby": "pm" }, h("h2", { id: "pm" }, "Permissions"),
      listTable(`Grants on ${key}`, ["Grantee", "Permission"], perms)));
  const row = (label, value) => details.append(h("dt", {}, label), h("dd", {}, value));
  let head;
  try {
    head = await s3("HeadObject", { method: "HEAD", bucket, key });
  } catch (e) {
    return showError(err, e);
  }
  let owner = "unknown";
  try {
    const acl = (await s3("GetObjectAcl", { bucket, key, query: { acl: "" } })).xml();
    const o = children(acl, "Owner")[0];
    if (o) owner = child(o, "DisplayName") || child(o, "ID");
    for (const g of acl.getElementsByTagName("Grant")) {
      const grantee = children(g, "Grantee")[0];
      const uri = grantee ? child(grantee, "URI") : "";
      const who = uri === ALL_USERS ? "Everyone (public access)" : uri === AUTH_USERS ? "Authenticated users group"
        : uri || child(grantee, "DisplayName") || child(grantee, "ID") || child(grantee, "EmailAddress");
      perms.append(h("tr", {}, h("td", {}, who), h("td", {}, child(g, "Permission"))));
    }
  } catch (e) {
    const note = e.code === "NotImplemented" ? "unknown: this localaws does not answer GetObjectAcl (NotImplemented)" : e.message;
    perms.append(h("tr", {}, h("td", { colspan: 2 }, `GetObjectAcl: ${note}`)));
  }
  row("Owner", owner);
  row("Bucket", bucket);
  row("Key", key);
  row("Size", `${formatSize(head.header("Content-Length"))} (${head.header("Content-Length")} bytes)`);
  row("Type", head.header("Content-Type") || "");
  row("Last modified", formatDate(head.header("Last-Modified")));
  row("Entity tag (ETag)", (head.header("ETag") || "").replace(/"/g, ""));
  row("Object URL", h("a", { href: url, target: "_blank", rel: "noopener", class: "object-url" }, url));
}
