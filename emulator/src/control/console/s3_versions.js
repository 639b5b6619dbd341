// An object's versions (ListObjectVersions): download one, restore one (CopyObject from its
// versionId onto the key) or delete one for good (DeleteObject with versionId).
import { child, s3, s3Path } from "./aws.js";
import { confirmDialog, formatDate, formatSize, h, listTable, showError } from "./dom.js";
import { links, section } from "./s3_common.js";
import { downloadPresigned } from "./s3_preview.js";

// The key's versions (ListObjectVersions from the key, stopping at the first other key).
async function listVersions(bucket, key) {
  const out = [];
  let marker;
  for (let page = 0; page < 100; page += 1) {
    const query = { versions: "", prefix: key, "max-keys": "1000" };
    if (marker) Object.assign(query, { "key-marker": marker.key, "version-id-marker": marker.versionId });
    const doc = (await s3("ListObjectVersions", { bucket, query })).xml();
    let other = false;
    for (const v of Array.from(doc.children).filter((e) => e.localName === "Version" || e.localName === "DeleteMarker")) {
      if (child(v, "Key") !== key) { other = true; break; }
      out.push({ marker: v.localName === "DeleteMarker", versionId: child(v, "VersionId"), latest: child(v, "IsLatest") === "true",
        modified: child(v, "LastModified"), size: child(v, "Size"), etag: child(v, "ETag").replace(/"/g, "") });
    }
    if (other || child(doc, "IsTruncated") !== "true") break;
    marker = { key: child(doc, "NextKeyMarker"), versionId: child(doc, "NextVersionIdMarker") };
  }
  return out;
}

export async function versionsSection(bucket, key, current, { refresh, go }) {
  const s = section("versions", "Versions", "Every version of this key (ListObjectVersions). Restoring copies a version onto the key (CopyObject with its versionId), which makes it the current version.");
  let list;
  let status = "";
  try {
    [list, status] = await Promise.all([listVersions(bucket, key),
      s3("GetBucketVersioning", { bucket, query: { versioning: "" } }).then((r) => child(r.xml(), "Status"), () => "")]);
  } catch (e) {
    showError(s.err, e);
    return s.el;
  }
  if (!status) s.body.append(h("p", { class: "hint" }, "Versioning has never been enabled on this bucket, so the object has a single version (null). ",
    h("a", { href: links.properties(bucket, "versioning") }, "Bucket versioning")));
  const tbody = h("tbody");
  for (const v of list) {
    const label = v.versionId;
    const actions = [];
    if (!v.marker) {
      actions.push(h("button", { type: "button", "aria-label": `Download version ${label}`, onclick: () => downloadPresigned(bucket, key, v.versionId).catch((e) => showError(s.err, e)) }, "Download"));
      if (!v.latest) {
        actions.push(h("button", {
          type: "button", "aria-label": `Restore version ${label}`,
          onclick: () => confirmDialog("Restore version", `Copy version ${label} onto "${key}" as its new current version?`, "Restore", async () => {
            const source = `${s3Path(bucket, key)}?versionId=${encodeURIComponent(v.versionId)}`;
            await s3("CopyObject", { method: "PUT", bucket, key, headers: { "x-amz-copy-source": source } });
            if (current) go(links.object(bucket, key)); else await refresh();
          }),
        }, "Restore"));
      }
    }
    actions.push(h("button", {
      type: "button", "aria-label": `Delete version ${label}`,
      onclick: () => confirmDialog("Delete version", `Permanently delete ${v.marker ? "the delete marker" : "version"} ${label} of "${key}"?`, "Delete", async () => {
        await s3("DeleteObject", { method: "DELETE", bucket, key, query: { versionId: v.versionId } });
        if (current === v.versionId) go(links.object(bucket, key)); else await refresh();
      }),
    }, "Delete"));
    tbody.append(h("tr", { class: current === v.versionId ? "current" : "" },
      h("td", {}, v.marker ? h("code", {}, label) : h("a", { href: links.object(bucket, key, v.versionId) }, h("code", {}, label)),
        v.latest ? h("span", { class: "tag-latest" }, " (latest)") : null),
      h("td", {}, v.marker ? "Delete marker" : "Version"),
      h("td", {}, formatDate(v.modified)), h("td", {}, v.marker ? "" : formatSize(v.size)),
      h("td", { class: "row-actions" }, actions)));
  }
  if (list.length === 0) tbody.append(h("tr", {}, h("td", { colspan: 5, class: "empty" }, "No versions.")));
  s.body.append(listTable(`Versions of ${key}`, ["Version ID", "Type", "Last modified", "Size", { hidden: "Actions" }], tbody, "versions"));
  return s.el;
}
