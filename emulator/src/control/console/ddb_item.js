// The item editor: one item seen as a form (a row per attribute), as plain JSON or as DynamoDB
// JSON. The item itself (DynamoDB JSON, numbers as strings) is what switching views passes along,
// so nothing is lost between them.
import { ddb } from "./aws.js";
import { choice, field, h, nextId, openDialog, showError } from "./dom.js";
import {
  NUMBER_RE, TYPES, checkItem, checkValue, fromPlain, itemToPlain, keyOf, parseExact, parseItem, plainToItem, put,
  stringifyExact, toPlain,
} from "./ddb_json.js";

const VIEW_KEY = "localaws.ddb.itemView";
const VIEWS = [["form", "Form"], ["json", "JSON"], ["ddb", "DynamoDB JSON"]];
const TYPE_NAMES = {
  S: "String", N: "Number", B: "Binary", BOOL: "Boolean", NULL: "Null", L: "List", M: "Map",
  SS: "String set", NS: "Number set", BS: "Binary set",
};

// The text a form row's value box holds for a value of type t.
function rowText(av, name, hints) {
  const [t, x] = Object.entries(av)[0];
  if (t === "S" || t === "N" || t === "B") return x;
  if (t === "BOOL") return String(x);
  if (t === "NULL") return "";
  return stringifyExact(toPlain(av, name, hints));
}

// A form row's value box back to an AttributeValue (throws with the attribute's name).
function rowValue(name, t, text, hints) {
  if (t === "S") return { S: text };
  if (t === "N") {
    if (!NUMBER_RE.test(text.trim())) throw new Error(`${name}: "${text}" is not a number.`);
    return { N: text.trim() };
  }
  if (t === "B") return checkValue(name, { B: text.replace(/\s+/g, "") });
  if (t === "BOOL") return { BOOL: text === "true" };
  if (t === "NULL") return { NULL: true };
  let v;
  try {
    v = parseExact(text.trim() || (t === "M" ? "{}" : "[]"));
  } catch (e) {
    throw new Error(`${name}: the value is not valid JSON: ${e.message}`);
  }
  if (t === "M") {
    if (v === null || typeof v !== "object" || Array.isArray(v)) throw new Error(`${name}: a map is a JSON object, e.g. {"a": 1}.`);
    return fromPlain(v, name, hints);
  }
  if (!Array.isArray(v)) throw new Error(`${name}: ${TYPE_NAMES[t]} takes a JSON array, e.g. ${t === "NS" ? "[1, 2]" : '["a", "b"]'}.`);
  if (t === "L") return { L: v.map((e, i) => fromPlain(e, `${name}[${i}]`, hints)) };
  // Sets: strings, or for NS numbers written either way.
  return checkValue(name, { [t]: v });
}

function valueControl(t, text, label) {
  if (t === "BOOL") {
    return h("select", { "aria-label": label, class: "value" },
      h("option", { value: "true", selected: text !== "false" }, "true"), h("option", { value: "false", selected: text === "false" }, "false"));
  }
  if (t === "NULL") return h("input", { type: "text", "aria-label": label, value: "null", disabled: true, class: "value" });
  if (t === "N" || t === "B") {
    return h("input", { type: "text", "aria-label": label, value: text, spellcheck: "false", autocomplete: "off", class: "value", inputmode: t === "N" ? "decimal" : undefined });
  }
  const multi = !(t === "S") || text.includes("\n") || text.length > 60;
  const ta = h("textarea", { "aria-label": label, rows: multi ? Math.min(8, Math.max(2, text.split("\n").length)) : 1, spellcheck: "false", class: t === "S" ? "value" : "value json" });
  ta.value = text;
  return ta;
}

// The form view: returns { el, read() } where read() gives the item or throws.
function formView(item, keyNames, hints) {
  const tbody = h("tbody");
  const rows = [];
  const addRow = (name, av) => {
    const [t] = Object.keys(av);
    const isKey = keyNames.includes(name);
    const label = () => (nameIn.value ? `Value of ${nameIn.value}` : `Value of attribute ${rows.indexOf(row) + 1}`);
    const nameIn = h("input", { type: "text", value: name, spellcheck: "false", autocomplete: "off", readonly: isKey || undefined });
    const typeSel = h("select", {}, TYPES.map((x) => h("option", { value: x, selected: x === t }, `${x} (${TYPE_NAMES[x]})`)));
    const cell = h("td", { class: "value-cell" });
    const row = { nameIn, typeSel, get value() { return cell.firstChild; } };
    const setLabels = () => {
      const n = nameIn.value || `attribute ${rows.indexOf(row) + 1}`;
      nameIn.setAttribute("aria-label", `Name of ${isKey ? "key attribute" : "attribute"} ${rows.indexOf(row) + 1}`);
      typeSel.setAttribute("aria-label", `Type of ${n}`);
      cell.firstChild?.setAttribute("aria-label", label());
      remove.setAttribute("aria-label", `Remove ${n}`);
    };
    const remove = h("button", { type: "button", disabled: isKey || undefined, onclick: () => {
      rows.splice(rows.indexOf(row), 1);
      tr.remove();
      rows.forEach((r) => r.setLabels());
    } }, "Remove");
    row.setLabels = setLabels;
    cell.append(valueControl(t, rowText(av, name, hints), ""));
    // A new type keeps the text when it still fits (S <-> N <-> B), otherwise starts empty.
    typeSel.addEventListener("change", () => {
      const old = cell.firstChild;
      const text = old.value ?? "";
      const nt = typeSel.value;
      const keep = ["S", "N", "B"].includes(nt) && old.tagName !== "SELECT" && !old.disabled;
      const fresh = { L: "[]", M: "{}", SS: '[""]', NS: "[0]", BS: '[""]', BOOL: "true" }[nt] ?? "";
      cell.replaceChildren(valueControl(nt, keep ? text : fresh, ""));
      setLabels();
    });
    nameIn.addEventListener("input", setLabels);
    const tr = h("tr", {}, h("td", {}, nameIn, isKey ? h("span", { class: "hint" }, "key") : null), h("td", {}, typeSel), cell,
      h("td", { class: "row-actions" }, remove));
    rows.push(row);
    tbody.append(tr);
    setLabels();
    return row;
  };
  for (const [name, av] of Object.entries(item)) addRow(name, av);
  for (const k of keyNames) if (!(k in item)) addRow(k, { S: "" });
  const add = h("button", { type: "button", onclick: () => addRow("", { S: "" }).nameIn.focus() }, "Add attribute");
  const el = h("div", { class: "item-form" },
    h("table", { class: "list attr-rows" }, h("caption", { class: "sr-only" }, "Attributes"),
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Attribute"), h("th", { scope: "col" }, "Type"), h("th", { scope: "col" }, "Value"),
        h("th", { scope: "col" }, h("span", { class: "sr-only" }, "Actions")))),
      tbody),
    add,
    h("p", { class: "hint" }, "Lists and maps are edited as JSON (numbers kept exactly); sets as a JSON array, e.g. [\"a\", \"b\"]."));
  const read = () => {
    const out = {};
    for (const r of rows) {
      const name = r.nameIn.value;
      if (!name) throw new Error("Every attribute needs a name.");
      if (Object.prototype.hasOwnProperty.call(out, name)) throw new Error(`The attribute "${name}" appears twice.`);
      put(out, name, rowValue(name, r.typeSel.value, r.value.value ?? "", hints));
    }
    return out;
  };
  return { el, read };
}

function textView(labelText, hint, text) {
  const ta = h("textarea", { rows: 16, cols: 60, spellcheck: "false", class: "json" });
  ta.value = text;
  return { el: field(labelText, ta, hint), ta };
}

// The editor inside a dialog body. Returns { el, read() } giving the checked item.
export function itemEditor(initial, keySchema, attrTypes) {
  const keyNames = keySchema.map((k) => k.AttributeName);
  let item = initial;
  let hints = {};
  let current = null;
  const holder = h("div", { class: "item-view" });
  const err = h("div", { class: "error", role: "alert", hidden: true });
  const name = nextId("view");
  const saved = localStorage.getItem(VIEW_KEY);
  let view = VIEWS.some(([v]) => v === saved) ? saved : "ddb";
  const switcher = h("fieldset", { class: "view-switch" }, h("legend", {}, "Edit as"),
    VIEWS.map(([v, label]) => choice("radio", name, v, label, v === view)));

  const render = () => {
    if (view === "form") {
      hints = {};
      const f = formView(item, keyNames, hints);
      current = { read: f.read };
      holder.replaceChildren(f.el);
    } else if (view === "json") {
      hints = {};
      const t = textView("Item (JSON)", "Plain JSON. Numbers stay exactly as written; sets and binary values show as arrays and strings and keep their type.",
        stringifyExact(itemToPlain(item, hints)));
      const own = hints;
      current = { read: () => {
        let v;
        try { v = parseExact(t.ta.value); } catch (e) { throw new Error(`The item is not valid JSON: ${e.message}`); }
        return plainToItem(v, own);
      } };
      holder.replaceChildren(t.el);
    } else {
      const t = textView("Item (DynamoDB JSON)", 'Each attribute is {"TYPE": value}, e.g. {"name": {"S": "Blue Bottle"}, "rating": {"N": "4.5"}}.',
        stringifyExact(item));
      current = { read: () => parseItem(t.ta.value, [], {}) };
      holder.replaceChildren(t.el);
    }
  };
  switcher.addEventListener("change", (e) => {
    const next = e.target.value;
    try {
      item = current.read();
      showError(err, null);
    } catch (ex) {
      // Stay where the text is wrong, so nothing typed is lost.
      showError(err, ex);
      switcher.querySelector(`input[value="${view}"]`).checked = true;
      return;
    }
    view = next;
    localStorage.setItem(VIEW_KEY, view);
    render();
  });
  render();
  return {
    el: h("div", {}, switcher, err, holder),
    read: () => checkItem(current.read(), keySchema, attrTypes),
  };
}

// Add (item null) or edit an item; a changed key writes the new item and deletes the old one.
export function itemDialog(table, types, item, done) {
  const keySchema = table.KeySchema;
  const skeleton = item || Object.fromEntries(keySchema.map((k) => [k.AttributeName, { [types[k.AttributeName]]: "" }]));
  const editor = itemEditor(skeleton, keySchema, types);
  openDialog({
    title: item ? "Edit item" : "Add item",
    wide: true,
    body: editor.el,
    submitLabel: item ? "Save changes" : "Create item",
    onSubmit: async () => {
      const parsed = editor.read();
      await ddb("PutItem", { TableName: table.TableName, Item: parsed });
      if (item && JSON.stringify(keyOf(item, keySchema)) !== JSON.stringify(keyOf(parsed, keySchema))) {
        await ddb("DeleteItem", { TableName: table.TableName, Key: keyOf(item, keySchema) });
      }
      done();
    },
  });
}
