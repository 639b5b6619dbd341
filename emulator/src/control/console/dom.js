// Small DOM helpers. Text always goes in as text nodes (keys and items are arbitrary user data).

export function h(tag, attrs = {}, ...kids) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else if (k === "class") el.className = v;
    else if (v === true) el.setAttribute(k, "");
    else el.setAttribute(k, String(v));
  }
  for (const kid of kids.flat(Infinity)) {
    if (kid === undefined || kid === null || kid === false) continue;
    el.append(kid instanceof Node ? kid : document.createTextNode(String(kid)));
  }
  return el;
}

let uid = 0;
export function nextId(prefix) {
  uid += 1;
  return `${prefix}-${uid}`;
}

// A labelled form field: <label for> + control, so screen readers and clicks on the label work.
export function field(labelText, control, hint) {
  if (!control.id) control.id = nextId("f");
  const hintEl = hint ? h("p", { class: "hint", id: control.id + "-hint" }, hint) : null;
  if (hintEl) control.setAttribute("aria-describedby", hintEl.id);
  return h("div", { class: "field" }, h("label", { for: control.id }, labelText), control, hintEl);
}

export function choice(type, name, value, labelText, checked, hint) {
  const input = h("input", { type, name, value, id: nextId("c"), checked });
  return h("div", { class: "choice" }, input, h("label", { for: input.id }, labelText, hint ? h("span", { class: "hint" }, hint) : null));
}

// Shows an error (an AwsError or any Error) in an element with role=alert.
export function showError(box, err) {
  box.replaceChildren();
  if (!err) {
    box.hidden = true;
    return;
  }
  box.hidden = false;
  if (err.code) {
    box.append(
      h("strong", {}, `${err.operation} failed: `),
      h("code", { class: "error-code" }, err.code),
      err.awsMessage ? ` — ${err.awsMessage}` : "",
    );
  } else {
    box.append(String(err.message || err));
  }
}

export function errorBox() {
  return h("div", { class: "error", role: "alert", hidden: true });
}

function accessibleName(el) {
  return el.getAttribute("aria-label") || el.textContent.trim();
}

// A modal <dialog>: focus is trapped by the browser, Escape closes it, and focus returns to
// whatever opened it.
export function openDialog({ title, body, submitLabel, onSubmit, wide }) {
  const opener = document.activeElement;
  const err = errorBox();
  const submit = h("button", { type: "submit", class: "primary" }, submitLabel);
  const titleId = nextId("dlg");
  const form = h("form", { method: "dialog" },
    h("h2", { id: titleId }, title),
    body,
    err,
    h("div", { class: "actions" },
      h("button", { type: "button", onclick: () => dlg.close() }, "Cancel"),
      submit));
  const dlg = h("dialog", { "aria-labelledby": titleId, class: wide ? "wide" : "" }, form);
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    submit.disabled = true;
    try {
      showError(err, null);
      await onSubmit({ dialog: dlg, error: err });
      dlg.close();
    } catch (ex) {
      showError(err, ex);
    } finally {
      submit.disabled = false;
    }
  });
  const openerName = opener ? accessibleName(opener) : "";
  dlg.addEventListener("close", () => {
    dlg.remove();
    // The page behind may have been redrawn (a refresh after creating something): then focus its
    // control of the same name, or the page heading, rather than dropping focus to <body>.
    const target = opener && opener.isConnected ? opener
      : Array.from(document.querySelectorAll("main button, main a")).find((el) => accessibleName(el) === openerName)
        || document.querySelector("main h1");
    target?.focus();
  });
  document.body.append(dlg);
  dlg.showModal();
  return dlg;
}

export function confirmDialog(title, message, label, action) {
  return openDialog({ title, body: h("p", {}, message), submitLabel: label, onSubmit: action });
}

export function formatSize(n) {
  if (n === "" || n === undefined || n === null) return "";
  const v = Number(n);
  if (v < 1024) return `${v} B`;
  const units = ["KB", "MB", "GB", "TB"];
  let x = v / 1024;
  let i = 0;
  while (x >= 1024 && i < units.length - 1) {
    x /= 1024;
    i += 1;
  }
  return `${x.toFixed(1)} ${units[i]}`;
}

export function formatDate(s) {
  if (!s) return "";
  const d = new Date(s);
  return Number.isNaN(d.getTime()) ? s : d.toLocaleString();
}

// A page title with its breadcrumbs (the last crumb is the current page) and its action buttons.
export function pageHeader(title, crumbs, actions) {
  return [
    crumbs ? h("nav", { "aria-label": "Breadcrumb", class: "crumbs" }, h("ol", {}, crumbs.map((c, i) =>
      h("li", {}, i === crumbs.length - 1 ? h("span", { "aria-current": "page" }, c.label) : h("a", { href: c.href }, c.label))))) : null,
    h("div", { class: "page-head" }, h("h1", { tabindex: "-1" }, title), h("div", { class: "toolbar" }, actions)),
  ].filter(Boolean);
}

// A data table with a caption for screen readers. A column is a heading, or { hidden: name } for a
// column without a visible heading (row actions, selection) that screen readers still name.
export function listTable(caption, columns, tbody, extraClass = "") {
  const th = (c) => (typeof c === "string" ? h("th", { scope: "col" }, c)
    : h("th", { scope: "col", class: c.class }, h("span", { class: "sr-only" }, c.hidden)));
  return h("table", { class: `list ${extraClass}`.trim() },
    h("caption", { class: "sr-only" }, caption),
    h("thead", {}, h("tr", {}, columns.map(th))),
    tbody);
}

// A top-level list page (buckets, tables): title, a primary "create" button, Refresh, an error
// box and an empty table. Returns the error box and the tbody to fill.
export function listPage(root, { title, createLabel, onCreate, refresh, caption, columns }) {
  const err = errorBox();
  const tbody = h("tbody");
  root.replaceChildren(
    ...pageHeader(title, null, [
      h("button", { type: "button", class: "primary", onclick: onCreate }, createLabel),
      h("button", { type: "button", onclick: refresh }, "Refresh"),
    ]),
    err,
    listTable(caption, columns, tbody));
  return { err, tbody };
}
