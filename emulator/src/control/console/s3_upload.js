// Uploads: files and folders (chosen or dropped; keys keep their relative paths under the current
// prefix), a progress bar and a Cancel per file that aborts the transfer itself. Files above
// MULTIPART_THRESHOLD go as a multipart upload, aborted with AbortMultipartUpload on cancel or error.
import { AwsError, child, s3 } from "./aws.js";
import { choice, field, formatSize, h, openDialog } from "./dom.js";
import { NS, bucketOwnership, formatCount, links, xmlEscape } from "./s3_common.js";

export const MULTIPART_THRESHOLD = 16 * 1024 * 1024;
export const PART_SIZE = 8 * 1024 * 1024;
const PARALLEL_FILES = 3;

// The files of a drop, folders walked (webkitGetAsEntry): [{ file, path }], path relative to the
// drop. The entries must be taken while the drop event runs; reading them may happen later.
export function droppedFiles(dataTransfer) {
  const items = Array.from(dataTransfer?.items || []).filter((i) => i.kind === "file");
  const entries = items.map((i) => (i.webkitGetAsEntry ? i.webkitGetAsEntry() : null));
  if (entries.length === 0 || entries.some((e) => !e)) {
    return Promise.resolve(Array.from(dataTransfer?.files || [], (file) => ({ file, path: file.name })));
  }
  return (async () => {
    const out = [];
    for (const e of entries) await walkEntry(e, "", out);
    return out;
  })();
}

async function walkEntry(entry, base, out) {
  if (entry.isFile) {
    const file = await new Promise((resolve, reject) => entry.file(resolve, reject));
    out.push({ file, path: base + entry.name });
  } else if (entry.isDirectory) {
    const reader = entry.createReader();
    // readEntries answers in batches until an empty one.
    for (;;) {
      const batch = await new Promise((resolve, reject) => reader.readEntries(resolve, reject));
      if (batch.length === 0) break;
      for (const e of batch) await walkEntry(e, `${base}${entry.name}/`, out);
    }
  }
}

// Uploads one file to key; onProgress(bytesSent). Throws an AwsError (aborted: true on cancel).
async function uploadFile(bucket, key, file, acl, onProgress, signal) {
  const headers = { "content-type": file.type || "application/octet-stream" };
  if (acl) headers["x-amz-acl"] = acl;
  if (file.size <= MULTIPART_THRESHOLD) {
    await s3("PutObject", { method: "PUT", bucket, key, headers, body: file, unsignedPayload: true, onProgress, signal });
    return;
  }
  const created = (await s3("CreateMultipartUpload", { method: "POST", bucket, key, query: { uploads: "" }, headers, signal })).xml();
  const uploadId = child(created, "UploadId");
  try {
    const parts = [];
    for (let n = 1, at = 0; at < file.size; n += 1, at += PART_SIZE) {
      const res = await s3("UploadPart", {
        method: "PUT", bucket, key, query: { partNumber: String(n), uploadId }, body: file.slice(at, at + PART_SIZE),
        unsignedPayload: true, onProgress: (loaded) => onProgress(at + loaded), signal,
      });
      parts.push(`<Part><PartNumber>${n}</PartNumber><ETag>${xmlEscape(res.header("ETag") || "")}</ETag></Part>`);
    }
    const done = await s3("CompleteMultipartUpload", {
      method: "POST", bucket, key, query: { uploadId }, signal,
      body: `<CompleteMultipartUpload xmlns="${NS}">${parts.join("")}</CompleteMultipartUpload>`,
    });
    // S3 can answer 200 with an <Error> body when completing fails late.
    const root = done.xml();
    if (root?.localName === "Error") throw new AwsError("CompleteMultipartUpload", child(root, "Code"), child(root, "Message"), 200);
  } catch (e) {
    // Leave no parts behind, whatever stopped the upload.
    await s3("AbortMultipartUpload", { method: "DELETE", bucket, key, query: { uploadId } }).catch(() => {});
    throw e;
  }
}

// The upload dialog. initial: files already chosen (a drop on the folder view).
export function uploadDialog(bucket, prefix, done, initial = []) {
  const items = [];
  const files = h("input", { type: "file", name: "files", multiple: true });
  const folder = h("input", { type: "file", name: "folder", webkitdirectory: true, multiple: true });
  const rows = h("tbody");
  const table = h("table", { class: "list uploads", hidden: true },
    h("caption", { class: "sr-only" }, "Files to upload"),
    h("thead", {}, h("tr", {}, ["Key", "Size", "Progress", "Status"].map((c) => h("th", { scope: "col" }, c)),
      h("th", { scope: "col" }, h("span", { class: "sr-only" }, "Actions")))),
    rows);
  const total = h("progress", { max: 100, value: 0 });
  const status = h("p", { class: "status", role: "status", "aria-live": "polite" });
  const zone = h("div", { class: "drop-zone" }, "Drag files and folders here, or choose them below.");
  let running = false;

  const refreshTotal = () => {
    const size = items.reduce((n, it) => n + it.file.size, 0) || 1;
    const sent = items.reduce((n, it) => n + (it.state === "done" ? it.file.size : it.state === "uploading" ? it.sent : 0), 0);
    total.value = Math.round((sent * 100) / size);
  };
  const setState = (it, state, text) => {
    it.state = state;
    it.statusCell.replaceChildren(text);
    it.tr.className = `upload-${state}`;
    it.cancel.textContent = state === "uploading" ? "Cancel" : "Remove";
    it.cancel.setAttribute("aria-label", `${state === "uploading" ? "Cancel" : "Remove"} ${it.path}`);
    it.cancel.hidden = state === "done";
    refreshTotal();
  };
  const add = (list) => {
    for (const { file, path } of list) {
      if (items.some((it) => it.path === path && it.state !== "done")) continue;
      const bar = h("progress", { max: 100, value: 0, "aria-label": `Progress of ${path}` });
      const it = { file, path, state: "waiting", sent: 0, bar, statusCell: h("td", { class: "upload-status" }) };
      it.cancel = h("button", { type: "button" });
      it.cancel.addEventListener("click", () => {
        if (it.state === "uploading") return it.ctrl.abort();
        it.state = "removed";
        items.splice(items.indexOf(it), 1);
        it.tr.remove();
        table.hidden = items.length === 0;
        refreshTotal();
      });
      it.tr = h("tr", {}, h("td", {}, prefix + path), h("td", {}, formatSize(file.size)), h("td", {}, bar), it.statusCell, h("td", { class: "row-actions" }, it.cancel));
      items.push(it);
      rows.append(it.tr);
      setState(it, "waiting", "Waiting");
    }
    table.hidden = items.length === 0;
  };
  files.addEventListener("change", () => { add(Array.from(files.files, (file) => ({ file, path: file.name }))); files.value = ""; });
  folder.addEventListener("change", () => { add(Array.from(folder.files, (file) => ({ file, path: file.webkitRelativePath || file.name }))); folder.value = ""; });
  zone.addEventListener("dragover", (e) => { e.preventDefault(); zone.classList.add("over"); });
  zone.addEventListener("dragleave", () => zone.classList.remove("over"));
  zone.addEventListener("drop", async (e) => {
    e.preventDefault();
    e.stopPropagation();
    zone.classList.remove("over");
    try {
      add(await droppedFiles(e.dataTransfer));
    } catch (ex) {
      status.textContent = `The dropped files could not be read: ${ex.message || ex}`;
    }
  });
  add(initial);

  const body = h("div", {},
    zone,
    h("div", { class: "file-pickers" },
      field("Files", files, `Uploaded to ${bucket}/${prefix}`),
      field("Folder", folder, "Keys keep the folder's relative paths.")),
    h("fieldset", {}, h("legend", {}, "Permissions"),
      choice("radio", "acl", "", "Do not grant public access (private)", true),
      choice("radio", "acl", "public-read", "Grant public read access", false,
        "Anyone can open the object URL (x-amz-acl: public-read; the bucket must allow ACLs and public ACLs).")),
    table,
    field("Progress", total),
    status);

  const uploadOne = async (it, acl) => {
    it.ctrl = new AbortController();
    it.sent = 0;
    it.bar.value = 0;
    setState(it, "uploading", "Uploading…");
    try {
      await uploadFile(bucket, prefix + it.path, it.file, acl, (sent) => {
        it.sent = sent;
        it.bar.value = it.file.size ? Math.round((sent * 100) / it.file.size) : 0;
        refreshTotal();
      }, it.ctrl.signal);
      it.bar.value = 100;
      setState(it, "done", "Uploaded");
    } catch (e) {
      // All bytes may have been sent before S3 refused them: the bar must not say 100%.
      it.bar.value = 0;
      it.sent = 0;
      if (e.aborted) setState(it, "cancelled", "Cancelled");
      else setState(it, "failed", h("span", {}, "Failed: ", h("code", { class: "error-code" }, e.code || "Error"), e.awsMessage ? ` — ${e.awsMessage}` : e.code ? "" : ` ${e.message}`));
    }
  };

  const dlg = openDialog({
    title: "Upload",
    body,
    submitLabel: "Upload",
    wide: true,
    onSubmit: async ({ dialog }) => {
      const acl = dialog.querySelector("input[name=acl]:checked").value;
      const todo = items.filter((it) => it.state !== "done");
      if (items.length === 0) throw new Error("Choose files or a folder to upload first (or drop them here).");
      running = true;
      for (const it of todo) setState(it, "waiting", "Waiting");
      const queue = [...todo];
      const worker = async () => { for (let it = queue.shift(); it; it = queue.shift()) if (it.state === "waiting") await uploadOne(it, acl); };
      try {
        await Promise.all(Array.from({ length: Math.min(PARALLEL_FILES, queue.length) }, worker));
      } finally {
        running = false;
      }
      const count = (s) => items.filter((it) => it.state === s).length;
      if (count("done") > 0) done();
      if (count("done") < items.length) {
        const parts = [count("failed") && `${count("failed")} failed`, count("cancelled") && `${count("cancelled")} cancelled`].filter(Boolean);
        status.textContent = "";
        throw new Error(`Uploaded ${formatCount(count("done"))} of ${formatCount(items.length)} file(s); ${parts.join(", ")}. Press Upload to try the rest again.`);
      }
      status.textContent = `Uploaded ${formatCount(items.length)} file(s).`;
    },
  });
  // With ACLs disabled a public-read upload would fail (AccessControlListNotSupported): say so.
  bucketOwnership(bucket).then((o) => {
    if (o !== "BucketOwnerEnforced") return;
    const pub = dlg.querySelector("input[name=acl][value=public-read]");
    pub.disabled = true;
    pub.closest(".choice").after(h("p", { class: "hint" }, "ACLs are disabled for this bucket (Object Ownership: bucket owner enforced), so an upload cannot grant public read. ",
      h("a", { href: links.permissions(bucket, "ownership"), onclick: () => dlg.close() }, "Object Ownership")));
  });
  // Closing the dialog (Cancel, Escape) cancels what is still in flight.
  dlg.addEventListener("close", () => { for (const it of items) if (it.state === "uploading") it.ctrl.abort(); });
  return dlg;
}
