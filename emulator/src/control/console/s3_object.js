// An object's page: overview, open/download/preview through presigned URLs, a presigned URL to
// share, metadata, tags, ACL and versions, each shown and editable with the S3 call for it.
import { child, children, s3, s3Path, s3Presign } from "./aws.js";
import { choice, confirmDialog, errorBox, field, formatDate, formatSize, h, listTable, openDialog, pageHeader, showError } from "./dom.js";
import { bucketOwnership, cannedAclOf, copyText, crumbsFor, grantsOf, keyValueEditor, links, objectUrl, section, tagsFromXml, tagsToXml } from "./s3_common.js";
import { downloadPresigned, openPresigned, renderPreview } from "./s3_preview.js";
import { versionsSection } from "./s3_versions.js";

const SYSTEM_METADATA = ["Content-Type", "Cache-Control", "Content-Disposition", "Content-Encoding", "Content-Language", "Expires"];
export const CANNED_OBJECT_ACLS = [
  ["private", "Private: only the owner"],
  ["public-read", "Public read: everyone can read the object"],
  ["public-read-write", "Public read and write"],
  ["authenticated-read", "Authenticated read: any AWS account can read it"],
  ["aws-exec-read", "AWS exec read"],
  ["bucket-owner-read", "Bucket owner read"],
  ["bucket-owner-full-control", "Bucket owner full control"],
];

export async function renderObject(root, bucket, key, versionId, { refresh, go }) {
  const err = errorBox();
  const prefix = key.includes("/") ? key.slice(0, key.lastIndexOf("/") + 1) : "";
  const name = key.slice(prefix.length);
  const vq = versionId ? { versionId } : {};
  const url = objectUrl(bucket, key);
  const act = (fn) => async () => { showError(err, null); try { await fn(); } catch (e) { showError(err, e); } };
  const details = h("dl", { class: "props" });
  const sections = h("div", {});
  root.replaceChildren(
    ...pageHeader(name, crumbsFor(bucket, prefix, versionId ? `${name} (version)` : undefined), [
      h("button", { type: "button", onclick: act(() => openPresigned(bucket, key, versionId)) }, "Open"),
      h("button", { type: "button", onclick: act(() => downloadPresigned(bucket, key, versionId)) }, "Download"),
      h("button", { type: "button", onclick: act(async () => { await copyText(url); status.textContent = "Object URL copied."; }) }, "Copy object URL"),
      h("button", {
        type: "button", onclick: () => confirmDialog(versionId ? "Delete version" : "Delete object",
          versionId ? `Permanently delete version ${versionId} of "${key}"?` : `Delete "${key}"?`, "Delete",
          async () => { await s3("DeleteObject", { method: "DELETE", bucket, key, query: vq }); go(versionId ? links.object(bucket, key) : links.folder(bucket, prefix)); }),
      }, versionId ? "Delete this version" : "Delete"),
    ]),
    versionId ? h("p", { class: "note" }, `You are looking at version ${versionId}. `, h("a", { href: links.object(bucket, key) }, "Show the current version")) : "",
    err,
    h("section", { "aria-labelledby": "ov" }, h("h2", { id: "ov" }, "Object overview"), details),
    sections);
  const status = h("p", { class: "status", role: "status", "aria-live": "polite" });
  root.querySelector(".page-head").after(status);
  const row = (label, value) => details.append(h("dt", {}, label), h("dd", {}, value));

  const ownershipP = bucketOwnership(bucket);
  let head;
  try {
    head = await s3("HeadObject", { method: "HEAD", bucket, key, query: vq });
  } catch (e) {
    if (e.status !== 404 || versionId) return showError(err, e);
    // No current object: maybe the latest version is a delete marker; its versions can bring it back.
    details.replaceWith(h("p", { class: "note" }, "This key has no current version (deleted, or the latest version is a delete marker). Restore a version below."));
    root.querySelectorAll(".toolbar button").forEach((b, i) => { if (i < 3) b.disabled = true; });
    sections.append(await versionsSection(bucket, key, "", { refresh, go }));
    return;
  }
  const hdrs = head.headers();
  const ctx = { bucket, key, versionId, vq, head, hdrs, refresh, go, ownership: await ownershipP };
  const aclP = s3("GetObjectAcl", { bucket, key, query: { ...vq, acl: "" } }).then((r) => ({ doc: r.xml(), text: r.text }), (e) => ({ error: e }));
  const acl = await aclP;
  const owner = acl.doc ? children(acl.doc, "Owner")[0] : null;
  row("Owner", owner ? child(owner, "DisplayName") || child(owner, "ID") : "unknown");
  row("Bucket", bucket);
  row("Key", key);
  row("Size", `${formatSize(hdrs["content-length"])} (${hdrs["content-length"]} bytes)`);
  row("Type", hdrs["content-type"] || "");
  row("Last modified", formatDate(hdrs["last-modified"]));
  row("Entity tag (ETag)", (hdrs.etag || "").replace(/"/g, ""));
  if (hdrs["x-amz-version-id"]) row("Version ID", h("code", {}, hdrs["x-amz-version-id"]));
  row("Storage class", hdrs["x-amz-storage-class"] || "STANDARD");
  if (hdrs["x-amz-server-side-encryption"]) row("Server-side encryption", hdrs["x-amz-server-side-encryption"]);
  row("Object URL", h("span", {}, h("a", { href: url, target: "_blank", rel: "noopener", class: "object-url" }, url)));
  sections.append(
    shareSection(ctx),
    previewSection(ctx),
    metadataSection(ctx, acl),
    tagsSection(ctx),
    aclSection(ctx, acl),
    await versionsSection(bucket, key, versionId, { refresh, go }));
}

function shareSection({ bucket, key, versionId }) {
  const s = section("share", "Share with a presigned URL", "Anyone with the link can download the object, without credentials, until it expires (query-string SigV4, X-Amz-Expires).");
  const amount = h("input", { type: "number", min: 1, value: 60, required: true });
  const unit = h("select", {}, h("option", { value: "60" }, "minutes"), h("option", { value: "3600" }, "hours"), h("option", { value: "86400" }, "days"));
  const out = h("input", { type: "text", readonly: true, class: "url-out" });
  const until = h("p", { class: "hint" });
  const result = h("div", { hidden: true }, field("Presigned URL", out), until,
    h("button", { type: "button", onclick: async () => { await copyText(out.value); s.status.textContent = "Presigned URL copied."; } }, "Copy presigned URL"));
  s.body.append(h("div", { class: "inline-form" }, field("Expires after", amount), field("Unit", unit),
    h("button", {
      type: "button", onclick: async () => {
        showError(s.err, null);
        const seconds = Math.round(Number(amount.value) * Number(unit.value));
        if (!(seconds >= 1 && seconds <= 604800)) return showError(s.err, new Error("A presigned URL lasts from 1 second to 7 days (604800 seconds)."));
        out.value = await s3Presign({ bucket, key, query: versionId ? { versionId } : undefined, expires: seconds });
        until.textContent = `Valid until ${new Date(Date.now() + seconds * 1000).toLocaleString()} (${seconds} seconds).`;
        result.hidden = false;
        out.focus();
        out.select();
      },
    }, "Create presigned URL")), result);
  return s.el;
}

function previewSection(ctx) {
  const s = section("preview", "Preview");
  renderPreview(s.body, ctx).catch((e) => showError(s.err, e));
  return s.el;
}

function metadataSection(ctx, acl) {
  const s = section("metadata", "Metadata", "System-defined metadata and user-defined metadata (x-amz-meta-*), from HeadObject.");
  const tbody = h("tbody");
  const { hdrs } = ctx;
  const user = Object.entries(hdrs).filter(([k]) => k.startsWith("x-amz-meta-")).map(([k, v]) => [k.slice(11), v]);
  for (const m of SYSTEM_METADATA) if (hdrs[m.toLowerCase()]) tbody.append(h("tr", {}, h("td", {}, "System defined"), h("td", {}, m), h("td", {}, hdrs[m.toLowerCase()])));
  for (const [k, v] of user) tbody.append(h("tr", {}, h("td", {}, "User defined"), h("td", {}, `x-amz-meta-${k}`), h("td", {}, v)));
  s.body.append(listTable(`Metadata of ${ctx.key}`, ["Type", "Key", "Value"], tbody, "metadata"));
  if (ctx.versionId) s.body.append(h("p", { class: "hint" }, "The metadata of an older version cannot be changed: restore it first."));
  else s.body.append(h("button", { type: "button", onclick: () => editMetadataDialog(ctx, user, acl) }, "Edit metadata"));
  return s.el;
}

const ASCII = /^[\x20-\x7e]*$/;

// S3 metadata cannot change in place: as the AWS console, copy the object onto itself with
// x-amz-metadata-directive REPLACE, keeping its storage class, encryption and ACL.
function editMetadataDialog(ctx, user, acl) {
  const { bucket, key, hdrs } = ctx;
  const sys = Object.fromEntries(SYSTEM_METADATA.map((m) => [m, h("input", { type: "text", value: hdrs[m.toLowerCase()] || "", autocomplete: "off", spellcheck: "false" })]));
  const editor = keyValueEditor(user, { noun: "Metadata", keyLabel: "Key", valueLabel: "Value" });
  openDialog({
    title: "Edit metadata",
    wide: true,
    body: h("div", {},
      h("fieldset", {}, h("legend", {}, "System-defined metadata"), ...SYSTEM_METADATA.map((m) => field(m, sys[m]))),
      h("fieldset", {}, h("legend", {}, "User-defined metadata (x-amz-meta-)"), editor.el),
      h("p", { class: "hint" }, "Saving copies the object onto itself (CopyObject with x-amz-metadata-directive: REPLACE); in a versioned bucket that makes a new version.")),
    submitLabel: "Save metadata",
    onSubmit: async () => {
      const headers = { "x-amz-copy-source": s3Path(bucket, key), "x-amz-metadata-directive": "REPLACE" };
      for (const m of SYSTEM_METADATA) {
        const v = sys[m].value.trim();
        if (!ASCII.test(v)) throw new Error(`${m} must be US-ASCII text.`);
        if (v) headers[m.toLowerCase()] = v;
      }
      for (const [k, v] of editor.values()) {
        if (!/^[A-Za-z0-9!#$%&'*+\-.^_`|~]+$/.test(k)) throw new Error(`Metadata key "${k}": use letters, digits and - _ . only.`);
        if (!ASCII.test(v)) throw new Error(`Metadata "${k}": the value must be US-ASCII text.`);
        headers[`x-amz-meta-${k.toLowerCase()}`] = v;
      }
      for (const h2 of ["x-amz-storage-class", "x-amz-website-redirect-location"]) if (hdrs[h2]) headers[h2] = hdrs[h2];
      if ((hdrs["x-amz-server-side-encryption"] || "").startsWith("aws:kms")) {
        headers["x-amz-server-side-encryption"] = hdrs["x-amz-server-side-encryption"];
        if (hdrs["x-amz-server-side-encryption-aws-kms-key-id"]) headers["x-amz-server-side-encryption-aws-kms-key-id"] = hdrs["x-amz-server-side-encryption-aws-kms-key-id"];
      }
      await s3("CopyObject", { method: "PUT", bucket, key, headers });
      // A copy starts with a private ACL: put the grants back when the object had more.
      if (ctx.ownership !== "BucketOwnerEnforced" && acl.doc && grantsOf(acl.doc).length > 1) {
        await s3("PutObjectAcl", { method: "PUT", bucket, key, query: { acl: "" }, body: acl.text, checksum: true });
      }
      await ctx.refresh(); // redrawn before the dialog closes, so focus returns to the new button
    },
  });
}

function tagsSection(ctx) {
  const { bucket, key, vq } = ctx;
  const s = section("tags", "Tags", "Object tags (GetObjectTagging / PutObjectTagging): up to 10 key-value pairs.");
  const load = async () => {
    s.body.replaceChildren("Loading…");
    let pairs;
    try {
      pairs = tagsFromXml((await s3("GetObjectTagging", { bucket, key, query: { ...vq, tagging: "" } })).xml());
    } catch (e) {
      s.body.replaceChildren();
      return showError(s.err, e);
    }
    const tbody = h("tbody");
    if (pairs.length === 0) tbody.append(h("tr", {}, h("td", { colspan: 2, class: "empty" }, "No tags.")));
    for (const [k, v] of pairs) tbody.append(h("tr", {}, h("td", {}, k), h("td", {}, v)));
    s.body.replaceChildren(listTable(`Tags of ${key}`, ["Key", "Value"], tbody, "tags"),
      h("button", { type: "button", onclick: () => editTagsDialog(pairs) }, "Edit tags"));
  };
  const editTagsDialog = (pairs) => {
    const editor = keyValueEditor(pairs, { noun: "Tag" });
    openDialog({
      title: "Edit tags",
      body: editor.el,
      submitLabel: "Save tags",
      onSubmit: async () => {
        const values = editor.values();
        if (values.length === 0) await s3("DeleteObjectTagging", { method: "DELETE", bucket, key, query: { ...vq, tagging: "" } });
        else await s3("PutObjectTagging", { method: "PUT", bucket, key, query: { ...vq, tagging: "" }, body: tagsToXml(values), checksum: true });
        s.status.textContent = "Tags saved.";
        await load();
      },
    });
  };
  load();
  return s.el;
}

function aclSection(ctx, acl) {
  const { bucket, key, vq } = ctx;
  const s = section("permissions", "Permissions", "The object's access control list (GetObjectAcl).");
  const tbody = h("tbody");
  if (acl.doc) {
    for (const g of grantsOf(acl.doc)) tbody.append(h("tr", {}, h("td", {}, g.who), h("td", {}, g.permission)));
  } else {
    const note = acl.error.code === "NotImplemented" ? "unknown: this localaws does not answer GetObjectAcl (NotImplemented)" : acl.error.message;
    tbody.append(h("tr", {}, h("td", { colspan: 2 }, `GetObjectAcl: ${note}`)));
  }
  s.body.append(listTable(`Grants on ${key}`, ["Grantee", "Permission"], tbody));
  if (ctx.ownership === "BucketOwnerEnforced") {
    s.body.append(h("p", { class: "note" }, "ACLs are disabled for this bucket (Object Ownership: bucket owner enforced), so this object's ACL cannot be changed; access is managed with the bucket policy. ",
      h("a", { href: links.permissions(bucket, "ownership") }, "Change Object Ownership in the bucket's Permissions")));
    return s.el;
  }
  s.body.append(h("button", {
    type: "button", onclick: () => {
      const now = acl.doc ? cannedAclOf(acl.doc) || "private" : "private";
      const radios = CANNED_OBJECT_ACLS.map(([v, label]) => choice("radio", "canned", v, label, v === now));
      openDialog({
        title: "Edit ACL",
        body: h("fieldset", {}, h("legend", {}, "Canned ACL"), ...radios),
        submitLabel: "Save ACL",
        onSubmit: async ({ dialog }) => {
          const canned = dialog.querySelector("input[name=canned]:checked").value;
          await s3("PutObjectAcl", { method: "PUT", bucket, key, query: { ...vq, acl: "" }, headers: { "x-amz-acl": canned } });
          await ctx.refresh();
        },
      });
    },
  }, "Edit ACL"));
  return s.el;
}
