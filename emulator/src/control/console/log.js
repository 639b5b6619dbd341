// The request log: a live view of the request journal (GET /_localaws/requests). Service and
// status filters, and an operation, bucket or table named exactly, go to the server; typed
// fragments filter what came back. Auto-refresh asks only for entries newer than the last seen
// (after=SEQ). Each call expands to what was sent and is copyable as an aws CLI command.
import { loadSettings } from "./aws.js";
import { confirmDialog, errorBox, field, h, pageHeader, showError } from "./dom.js";
import { parseExact, stringifyExact } from "./ddb_json.js";
import { cliCommand } from "./log_cli.js";

const TOKEN_KEY = "localaws.controlToken";
const POLL_MS = 2000;

class TokenNeeded extends Error {}

// One page of the journal: { requests, latestSeq, more }.
async function fetchJournal(params) {
  const token = localStorage.getItem(TOKEN_KEY);
  const r = await fetch(`/_localaws/requests?${new URLSearchParams(params)}`, { headers: token ? { "X-Localaws-Token": token } : {}, cache: "no-store" });
  if (r.status === 401) throw new TokenNeeded(token ? "The saved control token was refused." : "");
  const body = await r.json().catch(() => ({}));
  if (!r.ok) throw Object.assign(new Error(body.message || `HTTP ${r.status}`), { code: body.error || `HTTP ${r.status}`, operation: "GET /_localaws/requests", awsMessage: body.message });
  return { requests: body.requests || [], latestSeq: body.latestSeq || 0, more: !!body.more };
}

// The bucket (S3) or table(s) (DynamoDB) an entry names, as the journal says.
function resourceName(e) {
  if (e.service === "s3") return e.bucket || "";
  return (e.tables || (e.table ? [e.table] : [])).join(", ");
}

function tokenForm(root, message, done) {
  const input = h("input", { type: "password", autocomplete: "off", required: true });
  const form = h("form", { class: "token-form", "aria-label": "Control token needed" },
    h("p", { role: "alert" }, message || "This localaws runs with --control-token: the request journal needs that token."),
    field("Control token", input, "Kept in this browser's localStorage and sent as X-Localaws-Token."),
    h("button", { type: "submit", class: "primary" }, "Use token"));
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    localStorage.setItem(TOKEN_KEY, input.value);
    done();
  });
  root.replaceChildren(...pageHeader("Requests", null, []), form);
  input.focus();
}

function detailsOf(e) {
  const target = e.resource + (e.query ? `?${e.query}` : "");
  const rows = [
    ["Time", e.time], ["Request id", e.requestId], ["Service", e.service], ["Operation", e.operation],
    ["Method and path", `${e.method} ${target}`], ["Host", e.host || "—"], ["Status", String(e.status)],
    e.errorCode ? ["Error code", e.errorCode] : null,
    ["Duration", `${Number(e.latencyMs).toFixed(2)} ms`], ["Principal", e.principal], ["Access key", e.accessKeyId || "—"],
  ].filter(Boolean);
  const dl = h("dl", { class: "props" }, rows.map(([k, v]) => [h("dt", {}, k), h("dd", {}, v)]));
  const parts = [dl];
  if (e.fault) {
    parts.push(h("h3", {}, "Fault injected"), h("dl", { class: "props" }, Object.entries(e.fault).map(([k, v]) => [h("dt", {}, k), h("dd", {}, String(v))])));
  }
  if (e.authFailure) {
    const a = e.authFailure;
    parts.push(h("h3", {}, `Authentication failed: ${a.error}`),
      a.hints?.length ? h("ul", {}, a.hints.map((x) => h("li", {}, x))) : null,
      a.canonicalRequest ? [h("p", {}, "Canonical request localaws computed:"), h("pre", {}, a.canonicalRequest)] : null,
      a.stringToSign ? [h("p", {}, "String to sign localaws computed:"), h("pre", {}, a.stringToSign)] : null);
  }
  parts.push(h("h3", {}, "Request headers (as sent; signatures and tokens redacted)"),
    h("pre", { class: "headers" }, (e.headers || []).map(([k, v]) => `${k}: ${v}`).join("\n") || "(none)"));
  if (e.body) {
    parts.push(h("h3", {}, e.bodyTruncated ? "Request body (its first 64 KiB)" : "Request body"), h("pre", { class: "body" }, prettyBody(e.body)));
  } else if (e.bodyDropped) {
    parts.push(h("p", { class: "hint" }, "The journal let this body go to stay within its memory bound (older entries lose theirs first)."));
  }
  const { command, notes } = cliCommand(e, { region: loadSettings().region });
  const status = h("span", { class: "status", role: "status", "aria-live": "polite" });
  const pre = h("pre", { class: "cli", "aria-label": "aws CLI command" }, command);
  const copy = h("button", { type: "button", onclick: async () => {
    try {
      await navigator.clipboard.writeText(command);
      status.textContent = "Copied.";
    } catch {
      const range = document.createRange();
      range.selectNodeContents(pre);
      getSelection().removeAllRanges();
      getSelection().addRange(range);
      status.textContent = "Selected: press Ctrl+C to copy.";
    }
  } }, "Copy as aws CLI");
  parts.push(h("h3", {}, "As an aws CLI command"), pre, notes.length ? h("ul", { class: "hint" }, notes.map((n) => h("li", {}, n))) : null,
    h("div", { class: "toolbar" }, copy, status));
  return h("div", { class: "entry-details" }, parts);
}

// Indented JSON, numbers exactly as sent; anything else as it is.
function prettyBody(text) {
  try {
    return stringifyExact(parseExact(text));
  } catch {
    return text;
  }
}

// The journal's query parameters for the filters as set: the exact ones go to the server.
function serverFilters({ service, status, operation, resource, limit }, known) {
  const q = { limit };
  if (service) q.service = service;
  if (status) q.status = status;
  const op = operation.trim().toLowerCase();
  const exactOp = [...known.ops].find((o) => o.toLowerCase() === op);
  if (exactOp) q.operation = exactOp;
  const name = resource.trim();
  const kind = known.names.get(name);
  if (kind === "s3" && service !== "dynamodb") q.bucket = name;
  if (kind === "dynamodb" && service !== "s3") q.table = name;
  return q;
}

export async function renderRequests(root) {
  const err = errorBox();
  const service = h("select", {}, h("option", { value: "" }, "All"), h("option", { value: "s3" }, "S3"), h("option", { value: "dynamodb" }, "DynamoDB"));
  const operation = h("input", { type: "search", autocomplete: "off", spellcheck: "false", list: "log-ops" });
  const opsList = h("datalist", { id: "log-ops" });
  const status = h("select", {},
    h("option", { value: "" }, "All"), h("option", { value: "ok" }, "Successes (2xx, 3xx)"),
    h("option", { value: "error" }, "Errors (4xx, 5xx)"), h("option", { value: "fault" }, "Injected faults"),
    h("option", { value: "auth" }, "Authentication failures"));
  const resource = h("input", { type: "search", autocomplete: "off", spellcheck: "false" });
  const limit = h("select", {}, [100, 250, 1000].map((n) => h("option", { value: n, selected: n === 250 }, String(n))));
  const auto = h("input", { type: "checkbox", id: "log-auto", checked: true });
  const filters = h("form", { class: "search log-filters", "aria-label": "Filter requests" },
    field("Service", service), field("Operation", operation), opsList, field("Status", status), field("Bucket or table", resource),
    field("Last", limit), h("div", { class: "choice" }, auto, h("label", { for: "log-auto" }, "Auto-refresh (every 2 s)")));
  filters.addEventListener("submit", (e) => e.preventDefault());
  const info = h("p", { class: "status", role: "status", "aria-live": "polite" });
  const tbody = h("tbody");
  const table = h("table", { class: "list requests", "aria-busy": "true" }, h("caption", { class: "sr-only" }, "Recent requests, newest first"),
    h("thead", {}, h("tr", {}, ["Time", "Service", "Operation", "Bucket or table", "Status", "Duration"].map((c) => h("th", { scope: "col" }, c)),
      h("th", { scope: "col" }, h("span", { class: "sr-only" }, "Details")))),
    tbody);
  const page = h("div", { class: "log-page" }, filters, err, info, h("div", { class: "scroll" }, table));
  const refreshBtn = h("button", { type: "button", onclick: () => reload() }, "Refresh");
  const clearBtn = h("button", { type: "button", onclick: () => confirmDialog("Clear journal",
    "Forget every request the journal holds (DELETE /_localaws/requests)?", "Clear journal", async () => {
      const token = localStorage.getItem(TOKEN_KEY);
      const r = await fetch("/_localaws/requests", { method: "DELETE", headers: token ? { "X-Localaws-Token": token } : {} });
      if (!r.ok) throw new Error(`DELETE /_localaws/requests answered HTTP ${r.status}`);
      await reload();
    }) }, "Clear journal");
  root.replaceChildren(...pageHeader("Requests", null, [refreshBtn, clearBtn]), page);

  let entries = []; // oldest first, as the server filtered them
  let cursor = 0; // the seq after which the next refresh asks
  let generation = 0; // bumped when the server filters change: older answers are dropped
  let busy = null; // the fetch in flight
  const known = { ops: new Set(), names: new Map() }; // operation names and bucket/table -> service seen
  const open = new Set(); // request ids whose details are shown
  const rows = new Map(); // request id -> { tr, detail }
  const current = () => ({ service: service.value, status: status.value, operation: operation.value, resource: resource.value, limit: limit.value });
  let asked = serverFilters(current(), known);
  // What the server did not filter: fragments of an operation or resource name.
  const matches = (e) => {
    const op = operation.value.trim().toLowerCase();
    if (op && !e.operation.toLowerCase().includes(op)) return false;
    const want = resource.value.trim().toLowerCase();
    if (want && !resourceName(e).toLowerCase().includes(want) && !(e.resource || "").toLowerCase().includes(want)) return false;
    return true;
  };
  const rowFor = (e) => {
    if (rows.has(e.requestId)) return rows.get(e.requestId);
    const detailCell = h("td", { colspan: 7 });
    const detail = h("tr", { class: "detail", hidden: true, id: `req-${e.requestId}` }, detailCell);
    const toggle = h("button", { type: "button", "aria-expanded": "false", "aria-controls": detail.id,
      "aria-label": `Details of ${e.operation} ${e.requestId}` }, "Details");
    toggle.addEventListener("click", () => {
      const show = detail.hidden;
      detail.hidden = !show;
      toggle.setAttribute("aria-expanded", String(show));
      if (show) {
        open.add(e.requestId);
        detailCell.replaceChildren(detailsOf(e));
      } else open.delete(e.requestId);
    });
    const failed = e.status >= 400;
    const tr = h("tr", { class: failed ? "failed" : "" },
      h("td", { class: "nowrap" }, new Date(e.time).toLocaleTimeString(undefined, { hour12: false }) + "." + String(new Date(e.time).getMilliseconds()).padStart(3, "0")),
      h("td", {}, e.service),
      h("td", {}, e.operation, e.fault ? h("span", { class: "badge maybe" }, "fault") : null, e.authFailure ? h("span", { class: "badge public" }, "auth") : null),
      h("td", { class: "nowrap", title: `${e.method} ${e.resource}${e.query ? "?" + e.query : ""}` }, resourceName(e) || "—"),
      h("td", { title: e.errorCode || "" }, h("span", { class: failed ? "badge public" : "badge private" }, String(e.status))),
      h("td", { class: "num" }, `${Number(e.latencyMs).toFixed(1)} ms`),
      h("td", { class: "row-actions" }, toggle));
    const r = { tr, detail };
    rows.set(e.requestId, r);
    return r;
  };
  // Rows are reused by request id, and only added or removed, so an open entry and the focus stay.
  const render = () => {
    const shown = entries.filter(matches).reverse();
    const want = new Set(shown.map((e) => e.requestId));
    const kept = new Set(entries.map((e) => e.requestId));
    for (const [id, r] of rows) {
      if (!want.has(id)) {
        r.tr.remove();
        r.detail.remove();
      }
      if (!kept.has(id)) rows.delete(id);
    }
    let before = tbody.firstChild;
    for (const e of shown) {
      const r = rowFor(e);
      if (r.tr !== before) tbody.insertBefore(r.tr, before);
      if (r.detail !== r.tr.nextSibling) tbody.insertBefore(r.detail, r.tr.nextSibling);
      before = r.detail.nextSibling;
    }
    tbody.querySelector("tr.none")?.remove();
    if (shown.length === 0) tbody.append(h("tr", { class: "none" }, h("td", { colspan: 7, class: "empty" }, "No requests match.")));
    info.textContent = `${shown.length} of ${entries.length} request(s) shown, newest first.`;
    opsList.replaceChildren(...[...known.ops].sort().map((o) => h("option", { value: o })));
  };
  const learn = (list) => {
    for (const e of list) {
      known.ops.add(e.operation);
      if (e.bucket) known.names.set(e.bucket, known.names.has(e.bucket) && known.names.get(e.bucket) !== "s3" ? "both" : "s3");
      for (const t of e.tables || (e.table ? [e.table] : [])) known.names.set(t, known.names.has(t) && known.names.get(t) !== "dynamodb" ? "both" : "dynamodb");
    }
  };
  // fresh: the whole window again (filters changed); otherwise only what is newer than the cursor.
  const load = async (fresh) => {
    const gen = generation;
    const q = asked; // the window and its refreshes use the filters it was asked with
    const max = Number(limit.value);
    try {
      let list = fresh ? [] : entries;
      let next = fresh ? 0 : cursor;
      for (let round = 0; round < 10; round += 1) {
        const p = await fetchJournal(next ? { ...q, after: next } : q);
        if (gen !== generation) return; // the filters changed meanwhile: that load wins
        learn(p.requests);
        list = list.concat(p.requests);
        next = p.more && p.requests.length ? p.requests[p.requests.length - 1].seq : p.latestSeq;
        if (!p.more) break;
      }
      entries = list.slice(Math.max(0, list.length - max));
      cursor = next;
      showError(err, null);
    } catch (e) {
      if (gen !== generation) return;
      if (e instanceof TokenNeeded) {
        stop();
        return tokenForm(root, e.message, () => renderRequests(root));
      }
      return showError(err, e);
    }
    render();
  };
  // Loads run one after another; the table is aria-busy while any is queued or running.
  let pending = 0;
  const run = (fresh) => {
    pending += 1;
    table.setAttribute("aria-busy", "true");
    const go = () => load(fresh).finally(() => {
      pending -= 1;
      if (pending === 0) table.setAttribute("aria-busy", "false");
    });
    busy = (busy || Promise.resolve()).then(go, go);
    return busy;
  };
  const reload = () => {
    generation += 1;
    asked = serverFilters(current(), known);
    return run(true);
  };
  // A filter change: the server's part again when it changed, else only the fragments here.
  const changed = () => {
    if (JSON.stringify(serverFilters(current(), known)) !== JSON.stringify(asked)) reload();
    else render();
  };
  for (const el of [service, status, limit]) el.addEventListener("change", changed);
  for (const el of [operation, resource]) el.addEventListener("input", changed);
  let timer = null;
  const stop = () => { clearInterval(timer); timer = null; };
  const start = () => {
    stop();
    timer = setInterval(() => {
      if (!page.isConnected) return stop(); // the user went to another page
      if (!document.hidden) run(false);
    }, POLL_MS);
  };
  auto.addEventListener("change", () => (auto.checked ? start() : stop()));
  await reload();
  if (page.isConnected && auto.checked) start();
}
