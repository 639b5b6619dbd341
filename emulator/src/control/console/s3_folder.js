// A bucket's folder view: ListObjectsV2 (or ListObjectVersions with "Show versions") with the
// delimiter '/', 1000 keys a page, folders first, a prefix search, selection, keyboard navigation,
// and the position (pages loaded, focused row, scroll) kept across Refresh, delete and upload.
import { AwsError, child, children, s3 } from "./aws.js";
import { confirmDialog, errorBox, field, formatDate, formatSize, h, listTable, openDialog, pageHeader, showError } from "./dom.js";
import { bucketTabs, crumbsFor, formatCount, links, statusLine, xmlEscape } from "./s3_common.js";
import { droppedFiles, uploadDialog } from "./s3_upload.js";

const PAGE = 1000;
// Per folder (bucket + prefix): the search, the versions toggle, and where the user was.
const views = new Map();

function viewOf(bucket, prefix) {
  const id = `${bucket}\n${prefix}`;
  if (!views.has(id)) views.set(id, { search: "", versions: false, pages: 1, focusKey: null, focusIndex: -1, scrollY: 0, restore: false });
  return views.get(id);
}

export async function renderFolder(root, bucket, prefix, refresh) {
  const view = viewOf(bucket, prefix);
  const restoring = view.restore;
  view.restore = false;
  if (!restoring) Object.assign(view, { pages: 1, focusKey: null, focusIndex: -1, scrollY: 0 });
  const err = errorBox();
  const tbody = h("tbody");
  const more = h("button", { type: "button", hidden: true }, "Load more");
  const count = h("p", { class: "count", role: "status", "aria-live": "polite" });
  const search = h("input", { type: "search", value: view.search, autocomplete: "off", spellcheck: "false", placeholder: "Prefix" });
  const versions = h("input", { type: "checkbox", id: "show-versions", checked: view.versions });
  const selectAll = h("input", { type: "checkbox", "aria-label": "Select all loaded rows" });
  const dropHint = h("div", { class: "drop-hint", hidden: true }, `Drop files and folders to upload them to ${bucket}/${prefix}`);
  const parts = prefix.split("/").filter(Boolean);
  let active = null; // the row that takes Tab (roving tabindex)
  let shown = 0;
  let truncated = false;
  let generation = 0;

  // Keeps the position and redraws: what Refresh, delete, upload and create folder do.
  // refocusRow: put focus back on the row (or the one now in its place) even if it was elsewhere,
  // as after deleting the focused row through a dialog.
  const remember = (refocusRow) => {
    const focusedRow = document.activeElement?.closest?.("tr[data-key]");
    const row = focusedRow && tbody.contains(focusedRow) ? focusedRow : active;
    view.focusKey = row ? row.dataset.key : null;
    view.focusIndex = row ? Array.prototype.indexOf.call(tbody.rows, row) : -1;
    view.refocus = !!focusedRow || refocusRow === true;
    view.focusName = (document.activeElement?.textContent || "").trim();
    view.scrollY = window.scrollY;
    view.restore = true;
  };
  const redraw = (refocusRow) => { remember(refocusRow === true); refresh(); };
  const redrawOnRow = () => redraw(true);
  const selected = () => Array.from(tbody.querySelectorAll("input[type=checkbox]:checked"), (c) => c.value);
  const deleteSelected = () => {
    const values = selected();
    if (values.length === 0) return showError(err, new Error("Select the objects or folders to delete first."));
    showError(err, null);
    if (view.versions) return deleteVersionsDialog(bucket, values.map((v) => JSON.parse(v)), redrawOnRow);
    deleteDialog(bucket, values, redrawOnRow);
  };

  root.replaceChildren(
    ...pageHeader(prefix ? parts[parts.length - 1] + "/" : bucket, crumbsFor(bucket, prefix), [
      h("button", { type: "button", onclick: () => createFolderDialog(bucket, prefix, redraw) }, "Create folder"),
      h("button", { type: "button", class: "primary", onclick: () => uploadDialog(bucket, prefix, redraw) }, "Upload"),
      h("button", { type: "button", onclick: deleteSelected }, "Delete selected"),
      h("button", { type: "button", onclick: () => redraw() }, "Refresh"),
    ]),
    bucketTabs(bucket, "Objects"),
    h("div", { class: "list-tools" },
      h("div", { class: "field inline" }, h("label", { for: (search.id = "find-prefix") }, "Find objects by prefix"), search),
      h("div", { class: "choice" }, versions, h("label", { for: "show-versions" }, "Show versions")),
      count),
    err,
    h("div", { class: "drop-area" },
      dropHint,
      listTable(`Objects in ${bucket}/${prefix}`, [{ hidden: "Select", class: "select" }, "Name", "Type",
        ...(view.versions ? ["Version ID"] : []), "Last modified", "Size"], tbody, "objects")),
    more);
  root.querySelector("th.select").replaceChildren(selectAll);
  // The title and its actions stay in view while the list scrolls (Refresh keeps the position).
  root.querySelector(".page-head").classList.add("sticky");
  const columns = view.versions ? 6 : 5;

  const setActive = (row) => {
    if (active === row) return;
    for (const el of active?.querySelectorAll("a, input") || []) el.tabIndex = -1;
    active = row;
    for (const el of row?.querySelectorAll("a, input") || []) el.tabIndex = 0;
  };
  const updateCount = () => {
    const n = selected().length;
    count.textContent = `Showing ${formatCount(shown)} of ${formatCount(shown)}${truncated ? "+" : ""}` +
      (truncated ? " (more to load)" : "") + (n ? `, ${formatCount(n)} selected` : "");
    const boxes = tbody.querySelectorAll("input[type=checkbox]");
    selectAll.checked = boxes.length > 0 && n === boxes.length;
    selectAll.indeterminate = n > 0 && n < boxes.length;
  };

  const row = (key, value, cells, label) => {
    const box = h("input", { type: "checkbox", value, tabindex: -1, "aria-label": `Select ${label}` });
    const tr = h("tr", { "data-key": key }, h("td", {}, box), ...cells);
    for (const a of tr.querySelectorAll("a")) a.tabIndex = -1;
    return tr;
  };
  const folderRow = (p) => {
    const label = p.slice(prefix.length);
    return row(p, view.versions ? JSON.stringify({ prefix: p }) : p, [
      h("td", {}, h("a", { href: links.folder(bucket, p), class: "folder" }, label)),
      h("td", {}, "Folder"), ...(view.versions ? [h("td", {})] : []), h("td", {}), h("td", {})], `folder ${label}`);
  };
  const objectRow = (c, kind) => {
    const key = child(c, "Key");
    const label = key.slice(prefix.length);
    const ext = label.includes(".") ? label.slice(label.lastIndexOf(".") + 1) : "";
    const versionId = child(c, "VersionId");
    const latest = child(c, "IsLatest") === "true";
    if (!view.versions) {
      return row(key, key, [h("td", {}, h("a", { href: links.object(bucket, key), class: "file" }, label)),
        h("td", {}, ext), h("td", {}, formatDate(child(c, "LastModified"))), h("td", {}, formatSize(child(c, "Size")))], label);
    }
    const marker = kind === "DeleteMarker";
    const vlabel = `${label} version ${versionId}`;
    return row(`${key}\n${versionId}`, JSON.stringify({ key, versionId }), [
      h("td", {}, h("a", { href: links.object(bucket, key, marker ? "" : versionId), class: "file" }, label),
        latest ? h("span", { class: "tag-latest" }, " (latest)") : null),
      h("td", {}, marker ? "Delete marker" : ext),
      h("td", {}, h("code", {}, versionId)),
      h("td", {}, formatDate(child(c, "LastModified"))), h("td", {}, marker ? "" : formatSize(child(c, "Size")))], vlabel);
  };

  // One page: folders go before the first object row, so folders stay first across pages.
  let token;
  let marker;
  const loadPage = async (gen) => {
    const folderPrefix = prefix + search.value;
    let doc;
    try {
      if (view.versions) {
        const query = { versions: "", delimiter: "/", prefix: folderPrefix, "max-keys": String(PAGE) };
        if (marker) Object.assign(query, { "key-marker": marker.key, "version-id-marker": marker.versionId });
        doc = (await s3("ListObjectVersions", { bucket, query })).xml();
      } else {
        const query = { "list-type": "2", delimiter: "/", prefix: folderPrefix, "max-keys": String(PAGE) };
        if (token) query["continuation-token"] = token;
        doc = (await s3("ListObjectsV2", { bucket, query })).xml();
      }
    } catch (e) {
      if (gen === generation) {
        showError(err, e);
        count.textContent = "";
      }
      return false;
    }
    if (gen !== generation) return false;
    const folders = document.createDocumentFragment();
    const objects = document.createDocumentFragment();
    for (const cp of children(doc, "CommonPrefixes")) {
      folders.append(folderRow(child(cp, "Prefix")));
      shown += 1;
    }
    for (const c of Array.from(doc.children).filter((e) => e.localName === "Contents" || e.localName === "Version" || e.localName === "DeleteMarker")) {
      if (child(c, "Key") === prefix) continue; // the folder's own marker object
      objects.append(objectRow(c, c.localName));
      shown += 1;
    }
    tbody.querySelector("td.empty")?.parentElement.remove();
    tbody.insertBefore(folders, tbody.querySelector("tr:not(:has(a.folder))"));
    tbody.append(objects);
    truncated = child(doc, "IsTruncated") === "true";
    token = truncated ? child(doc, "NextContinuationToken") : undefined;
    marker = truncated ? { key: child(doc, "NextKeyMarker"), versionId: child(doc, "NextVersionIdMarker") } : undefined;
    more.hidden = !truncated;
    if (shown === 0 && !truncated) {
      tbody.append(h("tr", {}, h("td", { colspan: columns, class: "empty" },
        search.value ? `No objects or folders start with "${search.value}" here.` : "No objects here yet.")));
    }
    if (!active && tbody.rows[0]?.dataset.key !== undefined) setActive(tbody.rows[0]);
    updateCount();
    return truncated;
  };
  const reload = async (pages = 1) => {
    generation += 1;
    const gen = generation;
    token = marker = undefined;
    shown = 0;
    active = null;
    truncated = false;
    tbody.replaceChildren();
    showError(err, null);
    count.textContent = "Loading…";
    view.pages = 1;
    let go = await loadPage(gen);
    while (go && view.pages < pages && gen === generation) {
      view.pages += 1;
      go = await loadPage(gen);
    }
    return gen === generation;
  };

  more.addEventListener("click", async () => {
    more.disabled = true;
    view.pages += 1;
    await loadPage(generation);
    more.disabled = false;
  });
  let timer;
  search.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(() => { view.search = search.value; reload(); }, 250);
  });
  search.addEventListener("keydown", (e) => {
    if (e.key === "Enter") { clearTimeout(timer); view.search = search.value; reload(); }
    if (e.key === "ArrowDown" && tbody.rows[0]?.dataset.key !== undefined) { e.preventDefault(); tbody.rows[0].querySelector("a")?.focus(); }
  });
  versions.addEventListener("change", () => {
    view.versions = versions.checked;
    view.restore = false;
    refresh();
  });
  selectAll.addEventListener("change", () => {
    for (const b of tbody.querySelectorAll("input[type=checkbox]")) b.checked = selectAll.checked;
    updateCount();
  });
  tbody.addEventListener("change", updateCount);
  tbody.addEventListener("focusin", (e) => { const tr = e.target.closest("tr[data-key]"); if (tr) setActive(tr); });
  // Arrow keys move between rows (keeping the column), Home/End go to the ends, Space on a name
  // selects the row, Enter opens it (a link).
  tbody.addEventListener("keydown", (e) => {
    const tr = e.target.closest("tr[data-key]");
    if (!tr) return;
    const rows = tbody.rows;
    const at = Array.prototype.indexOf.call(rows, tr);
    const target = { ArrowDown: at + 1, ArrowUp: at - 1, Home: 0, End: rows.length - 1, PageDown: at + 10, PageUp: at - 10 }[e.key];
    if (target !== undefined) {
      e.preventDefault();
      const next = rows[Math.max(0, Math.min(rows.length - 1, target))];
      if (e.key === "ArrowUp" && at === 0) return search.focus();
      (next.querySelector(e.target.matches("input") ? "input" : "a") || next.querySelector("a"))?.focus();
      if (e.key === "ArrowDown" && at === rows.length - 1 && !more.hidden) more.focus();
    } else if (e.key === " " && e.target.matches("a")) {
      e.preventDefault();
      const box = tr.querySelector("input[type=checkbox]");
      box.checked = !box.checked;
      updateCount();
    }
  });
  // Drag and drop files and folders onto the list to upload them here.
  const area = root.querySelector(".drop-area");
  area.addEventListener("dragover", (e) => {
    if (!e.dataTransfer?.types?.includes("Files")) return;
    e.preventDefault();
    dropHint.hidden = false;
  });
  area.addEventListener("dragleave", (e) => { if (!area.contains(e.relatedTarget)) dropHint.hidden = true; });
  area.addEventListener("drop", async (e) => {
    e.preventDefault();
    dropHint.hidden = true;
    try {
      const files = await droppedFiles(e.dataTransfer);
      if (files.length) uploadDialog(bucket, prefix, redraw, files);
    } catch (ex) {
      showError(err, new Error(`The dropped files could not be read: ${ex.message || ex}`));
    }
  });

  const wanted = restoring ? view.pages : 1;
  if (!(await reload(wanted)) || !restoring) return;
  // Back where the user was: the same row (or the one now in its place) and the same scroll.
  const rows = Array.from(tbody.rows).filter((r) => r.dataset.key !== undefined);
  const again = rows.find((r) => r.dataset.key === view.focusKey) || rows[Math.min(view.focusIndex, rows.length - 1)];
  if (again) setActive(again);
  const lost = !document.activeElement || document.activeElement === document.body;
  if (again && view.refocus) again.querySelector("a")?.focus({ preventScroll: true });
  // The button pressed (Refresh) was redrawn: focus its new self. Focus a dialog gave back stays.
  else if (lost) Array.from(root.querySelectorAll(".toolbar button")).find((b) => b.textContent === view.focusName)?.focus({ preventScroll: true });
  window.scrollTo(0, view.scrollY);
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

// Every key under a folder (deleting a folder deletes them all), a page of 1000 at a time.
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

// DeleteObjects, 1000 at a time; objects are { key, versionId? }.
export async function deleteObjects(bucket, objects) {
  for (let i = 0; i < objects.length; i += 1000) {
    const batch = objects.slice(i, i + 1000);
    const body = `<Delete xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Quiet>true</Quiet>${batch.map((o) =>
      `<Object><Key>${xmlEscape(o.key)}</Key>${o.versionId ? `<VersionId>${xmlEscape(o.versionId)}</VersionId>` : ""}</Object>`).join("")}</Delete>`;
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
      await deleteObjects(bucket, keys.map((key) => ({ key })));
      done();
    });
}

function deleteVersionsDialog(bucket, selection, done) {
  const folders = selection.filter((s) => s.prefix);
  const versions = selection.filter((s) => s.key);
  openDialog({
    title: "Permanently delete versions",
    body: h("div", {},
      h("p", {}, `Permanently delete ${versions.length} selected version(s)? A deleted version cannot be restored; deleting a delete marker brings back the version before it.`),
      folders.length ? h("p", { class: "hint" }, "Folders are skipped in the versions view: open a folder to delete its versions.") : null,
      statusLine()),
    submitLabel: "Delete versions",
    onSubmit: async () => {
      await deleteObjects(bucket, versions);
      done();
    },
  });
}
