// A table's items: Scan or Query (on the table or one of its indexes) with a key condition, a
// filter, the order, a page size and paging; each item can be edited or deleted.
import { ddb } from "./aws.js";
import { choice, confirmDialog, field, h, listTable, nextId, showError } from "./dom.js";
import { displayText, keyOf } from "./ddb_json.js";
import { filterBuilder, typedValue } from "./ddb_filter.js";
import { itemDialog } from "./ddb_item.js";
import { valueCell } from "./ddb_view.js";

const SK_OPS = ["=", "<", "<=", ">", ">=", "begins_with", "between"];

// The indexes a table can be read through: the table itself ("") and its GSIs and LSIs.
export function readTargets(table) {
  return [
    { name: "", label: `Table: ${table.TableName}`, keySchema: table.KeySchema },
    ...(table.GlobalSecondaryIndexes || []).map((i) => ({ name: i.IndexName, label: `Global index: ${i.IndexName}`, keySchema: i.KeySchema })),
    ...(table.LocalSecondaryIndexes || []).map((i) => ({ name: i.IndexName, label: `Local index: ${i.IndexName}`, keySchema: i.KeySchema })),
  ];
}

// The key condition fields of one key schema; build() fills names/values and returns the expression.
function keyFields(keySchema, types) {
  const hashes = keySchema.filter((k) => k.KeyType === "HASH").map((k) => k.AttributeName);
  const ranges = keySchema.filter((k) => k.KeyType === "RANGE").map((k) => k.AttributeName);
  const one = ranges.length === 1;
  const pk = hashes.map((n) => ({ n, input: h("input", { type: "text", autocomplete: "off", spellcheck: "false" }) }));
  const sk = ranges.map((n) => ({
    n,
    op: h("select", {}, SK_OPS.map((o) => h("option", { value: o }, o))),
    value: h("input", { type: "text", autocomplete: "off", spellcheck: "false" }),
    value2: h("input", { type: "text", autocomplete: "off", spellcheck: "false" }),
  }));
  const el = h("div", { class: "query-fields" },
    pk.map((p) => field(`Partition key: ${p.n} (${types[p.n]})`, p.input)),
    sk.map((s) => [
      field(`Sort key condition: ${s.n} (${types[s.n]})`, s.op),
      field(one ? "Sort key value" : `Sort key value: ${s.n}`, s.value),
      field(one ? "Second value (between)" : `Second value (between): ${s.n}`, s.value2),
    ]));
  const build = (names, values) => {
    const parts = [];
    pk.forEach((p, i) => {
      names[`#k${i}`] = p.n;
      values[`:k${i}`] = typedValue(types[p.n], p.input.value, `Partition key ${p.n}`);
      parts.push(`#k${i} = :k${i}`);
    });
    sk.forEach((s, i) => {
      if (s.value.value === "") return;
      const n = `#s${i}`;
      const v = `:s${i}`;
      names[n] = s.n;
      values[v] = typedValue(types[s.n], s.value.value, `Sort key ${s.n}`);
      if (s.op.value === "begins_with") parts.push(`begins_with(${n}, ${v})`);
      else if (s.op.value === "between") {
        values[`${v}b`] = typedValue(types[s.n], s.value2.value, `Sort key ${s.n}`);
        parts.push(`${n} BETWEEN ${v} AND ${v}b`);
      } else parts.push(`${n} ${s.op.value} ${v}`);
    });
    return parts.join(" AND ");
  };
  return { el, build };
}

// Renders the read panel into `host`; onChange() runs after an item was written or deleted.
export function itemsPanel(host, table, { index = "", err, onChange }) {
  const tableName = table.TableName;
  const types = Object.fromEntries(table.AttributeDefinitions.map((a) => [a.AttributeName, a.AttributeType]));
  const targets = readTargets(table);
  const target = h("select", {}, targets.map((t) => h("option", { value: t.name, selected: t.name === index }, t.label)));
  const keyHost = h("div", { class: "key-host" });
  let keys;
  const setKeys = () => {
    keys = keyFields(targets.find((t) => t.name === target.value).keySchema, types);
    keyHost.replaceChildren(keys.el);
  };
  setKeys();
  const filter = filterBuilder();
  const limit = h("input", { type: "number", min: 1, max: 1000, value: 25 });
  const desc = h("input", { type: "checkbox", id: nextId("desc") });
  const descField = h("div", { class: "choice" }, desc, h("label", { for: desc.id }, "Descending order (newest / highest sort key first)"));
  const queryOnly = h("div", { class: "query-only", hidden: !index }, keyHost, descField);
  const form = h("form", { class: "search", "aria-label": "Scan or query items" },
    h("fieldset", {}, h("legend", {}, "Read items"),
      choice("radio", "mode", "scan", "Scan the table", !index),
      choice("radio", "mode", "query", "Query by key", !!index)),
    field("Table or index", target),
    queryOnly,
    filter.el,
    field("Items per page (Limit)", limit),
    h("button", { type: "submit", class: "primary" }, "Run"));
  const mode = () => form.querySelector("input[name=mode]:checked").value;
  form.addEventListener("change", (e) => {
    if (e.target === target) setKeys();
    queryOnly.hidden = mode() !== "query";
  });

  const results = h("div", { class: "results ddb-results" });
  const pageInfo = h("p", { class: "status", role: "status", "aria-live": "polite" });
  const first = h("button", { type: "button", hidden: true }, "First page");
  const prev = h("button", { type: "button", hidden: true }, "Previous page");
  const next = h("button", { type: "button", hidden: true }, "Next page");

  // startKeys[i] is the ExclusiveStartKey of page i + 1 (undefined for the first).
  let startKeys = [undefined];
  let request = null; // the last request built from the form, reused when paging
  const build = () => {
    const req = { TableName: tableName, Limit: Number(limit.value) || 25 };
    if (target.value) req.IndexName = target.value;
    const names = {};
    const values = {};
    if (mode() === "query") {
      req.KeyConditionExpression = keys.build(names, values);
      if (desc.checked) req.ScanIndexForward = false;
    }
    const fe = filter.build(names, values);
    if (fe) req.FilterExpression = fe;
    if (Object.keys(names).length) req.ExpressionAttributeNames = names;
    if (Object.keys(values).length) req.ExpressionAttributeValues = values;
    return { op: mode() === "query" ? "Query" : "Scan", req };
  };
  const run = async (page) => {
    showError(err, null);
    const { op, req } = request;
    const r = { ...req };
    if (startKeys[page]) r.ExclusiveStartKey = startKeys[page];
    let out;
    try {
      out = await ddb(op, r);
    } catch (e) {
      return showError(err, e);
    }
    startKeys = startKeys.slice(0, page + 1);
    if (out.LastEvaluatedKey) startKeys.push(out.LastEvaluatedKey);
    showItems(out.Items || [], req.IndexName);
    const scanned = req.FilterExpression ? ` (${out.ScannedCount} read before the filter)` : "";
    pageInfo.textContent = `Page ${page + 1}: ${out.Count} item(s)${scanned}${out.LastEvaluatedKey ? ", more after this page" : ""}.`;
    next.hidden = !out.LastEvaluatedKey;
    prev.hidden = page === 0;
    first.hidden = page < 2;
    next.onclick = () => run(page + 1);
    prev.onclick = () => run(page - 1);
    first.onclick = () => run(0);
    current = page;
  };
  let current = 0;
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    try {
      request = build();
    } catch (ex) {
      return showError(err, ex);
    }
    startKeys = [undefined];
    run(0);
  });

  const changed = async () => {
    await run(current);
    onChange?.();
  };
  // An index may hold only some attributes: edit the table's own copy of the item.
  const edit = async (it) => {
    try {
      const got = await ddb("GetItem", { TableName: tableName, Key: keyOf(it, table.KeySchema), ConsistentRead: true });
      if (!got.Item) throw new Error("The item is gone (deleted since the page was read).");
      itemDialog(table, types, got.Item, changed);
    } catch (e) {
      showError(err, e);
    }
  };
  const showItems = (items, indexName) => {
    const cols = table.KeySchema.map((k) => k.AttributeName);
    const idx = targets.find((t) => t.name === (indexName || ""));
    for (const k of idx.keySchema) if (!cols.includes(k.AttributeName)) cols.push(k.AttributeName);
    for (const it of items) for (const k of Object.keys(it)) if (!cols.includes(k)) cols.push(k);
    const tbody = h("tbody");
    if (items.length === 0) tbody.append(h("tr", {}, h("td", { colspan: cols.length + 1, class: "empty" }, "No items.")));
    for (const it of items) {
      const label = table.KeySchema.map((k) => displayText(it[k.AttributeName])).join(" / ");
      tbody.append(h("tr", {},
        cols.map((c) => valueCell(it[c])),
        h("td", { class: "row-actions" },
          h("button", { type: "button", "aria-label": `Edit item ${label}`, onclick: () => edit(it) }, "Edit"),
          h("button", {
            type: "button", "aria-label": `Delete item ${label}`,
            onclick: () => confirmDialog("Delete item", `Delete the item ${label}?`, "Delete item",
              async () => { await ddb("DeleteItem", { TableName: tableName, Key: keyOf(it, table.KeySchema) }); await changed(); }),
          }, "Delete"))));
    }
    results.replaceChildren(h("div", { class: "scroll", tabindex: "0", role: "region", "aria-label": `Items of ${tableName}` },
      listTable(`Items of ${tableName}${indexName ? ` (index ${indexName})` : ""}`, [...cols, { hidden: "Actions" }], tbody, "items")));
  };

  host.replaceChildren(form, pageInfo, results, h("div", { class: "toolbar" }, first, prev, next));
  request = build();
  return { run: () => run(0), refresh: () => run(current), addItem: () => itemDialog(table, types, null, changed) };
}
