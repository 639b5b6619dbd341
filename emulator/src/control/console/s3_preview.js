// Reading an object through presigned URLs (no credentials leave the console's signing code, and
// private objects show as they are): Open, Download, and the preview of images, PDF, text and JSON.
import { s3Presign } from "./aws.js";
import { formatSize, h } from "./dom.js";

// The attachment header a download asks S3 to send (an ASCII fallback plus RFC 5987 UTF-8 name).
function attachment(name) {
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, "_");
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

// The console's own reads ask S3 for Cache-Control: no-cache, so the browser never shows a copy
// from before an edit or a restore (two presigned URLs signed in the same second are the same URL).
function readQuery(versionId, extra = {}) {
  const q = { "response-cache-control": "no-cache", ...extra };
  if (versionId) q.versionId = versionId;
  return q;
}

export async function openPresigned(bucket, key, versionId) {
  const url = await s3Presign({ bucket, key, query: readQuery(versionId), expires: 900 });
  window.open(url, "_blank", "noopener");
}

export async function downloadPresigned(bucket, key, versionId) {
  const name = key.slice(key.lastIndexOf("/") + 1) || "download";
  const query = readQuery(versionId, { "response-content-disposition": attachment(name) });
  const a = h("a", { href: await s3Presign({ bucket, key, query, expires: 900 }), download: name, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
}

const TEXT_LIMIT = 256 * 1024;
const TEXT_TYPES = /^(text\/|application\/(json|xml|javascript|x-yaml|yaml|x-ndjson|csv|x-sh))|\+(json|xml)$/;
const TEXT_EXTENSIONS = ["txt", "json", "md", "csv", "tsv", "log", "xml", "yaml", "yml", "js", "mjs", "css", "html", "htm", "ini", "toml", "sh", "py"];

export function previewKind(contentType, key) {
  const type = (contentType || "").split(";")[0].trim().toLowerCase();
  const ext = key.includes(".") ? key.slice(key.lastIndexOf(".") + 1).toLowerCase() : "";
  if (type.startsWith("image/")) return "image";
  if (type === "application/pdf" || (ext === "pdf" && !type.startsWith("text/"))) return "pdf";
  if (type === "application/json" || type.endsWith("+json") || ext === "json") return "json";
  if (TEXT_TYPES.test(type) || TEXT_EXTENSIONS.includes(ext)) return "text";
  return "";
}

export async function renderPreview(box, { bucket, key, versionId, hdrs }) {
  const name = key.slice(key.lastIndexOf("/") + 1);
  const kind = previewKind(hdrs["content-type"], key);
  const size = Number(hdrs["content-length"] || 0);
  const url = () => s3Presign({ bucket, key, query: readQuery(versionId), expires: 900 });
  if (!kind) {
    box.replaceChildren(h("p", { class: "hint" }, `No preview for the type ${hdrs["content-type"] || "(none)"}: use Open or Download.`));
    return;
  }
  if (kind === "image") {
    box.replaceChildren(h("img", { class: "preview-image", src: await url(), alt: `Preview of ${name}` }));
    return;
  }
  if (kind === "pdf") {
    box.replaceChildren(h("iframe", { class: "preview-pdf", src: await url(), title: `Preview of ${name} (PDF)` }));
    return;
  }
  // Text and JSON: the first 256 KB, read with a Range request.
  const res = await fetch(await url(), { cache: "no-store", headers: size > TEXT_LIMIT ? { Range: `bytes=0-${TEXT_LIMIT - 1}` } : {} });
  if (!res.ok && res.status !== 206) throw new Error(`Preview: GetObject answered HTTP ${res.status}`);
  let text = await res.text();
  let note = size > TEXT_LIMIT ? `The first ${formatSize(TEXT_LIMIT)} of ${formatSize(size)}.` : "";
  if (kind === "json" && size <= TEXT_LIMIT) {
    try {
      text = JSON.stringify(JSON.parse(text), null, 2);
    } catch (e) {
      note = `Not valid JSON (${e.message}); shown as text.`;
    }
  }
  box.replaceChildren(
    h("pre", { class: `preview-text ${kind}`, tabindex: "0", "aria-label": `Preview of ${name}` }, text),
    note ? h("p", { class: "hint" }, note) : "");
}
