// The DynamoDB pages: tables, a table's items (Scan pages or a Query), an item editor that takes
// DynamoDB JSON.
import { ddb } from "./aws.js";
import { choice, confirmDialog, errorBox, field, h, listPage, listTable, openDialog, pageHeader, showError } from "./dom.js";

export const links = {
  tables: () => "#/dynamodb",
  table: (name) => `#/dynamodb/t/${encodeURIComponent(name)}`,
};

const TYPES = ["S", "N", "B", "BOOL", "NULL", "M", "L", "SS", "NS", "BS"];

// Checks that text is one item in DynamoDB JSON ({"attr": {"S": "..."}, ...}) holding the key
// attributes with their declared types; returns the item or throws an Error saying what is wrong.
export function parseItem(text, keySchema, attrTypes) {
  let item;
  try {
    item = JSON.parse(text);
  } catch (e) {
    throw new Error(`The item is not valid JSON: ${e.message}`);
  }
  if (!item || typeof item !== "object" || Array.isArray(item)) throw new Error("The item must be a JSON object of attributes.");
  const checkValue = (path, v) => {
    if (!v || typeof v !== "object" || Array.isArray(v) || Object.keys(v).length !== 1) {
      throw new Error(`${path}: a value must be an object with exactly one type, e.g. {"S": "text"}.`);
    }
    const [t, x] = Object.entries(v)[0];
    if (!TYPES.includes(t)) throw new Error(`${path}: unknown type "${t}" (one of ${TYPES.join(", ")}).`);
    if ((t === "S" || t === "N" || t === "B") && typeof x !== "string") throw new Error(`${path}: ${t} takes a string.`);
    if (t === "N" && !/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(x.trim())) throw new Error(`${path}: "${x}" is not a number.`);
    if (t === "BOOL" && typeof x !== "boolean") throw new Error(`${path}: BOOL takes true or false.`);
    if (t === "NULL" && x !== true) throw new Error(`${path}: NULL takes true.`);
    if (["SS", "NS", "BS"].includes(t) && (!Array.isArray(x) || x.length === 0 || x.some((e) => typeof e !== "string"))) {
      throw new Error(`${path}: ${t} takes a non-empty array of strings.`);
    }
    if (t === "L") {
      if (!Array.isArray(x)) throw new Error(`${path}: L takes an array of values.`);
      x.forEach((e, i) => checkValue(`${path}[${i}]`, e));
    }
    if (t === "M") {
      if (!x || typeof x !== "object" || Array.isArray(x)) throw new Error(`${path}: M takes an object of attributes.`);
      for (const [k, e] of Object.entries(x)) checkValue(`${path}.${k}`, e);
    }
  };
  for (const [k, v] of Object.entries(item)) checkValue(k, v);
  for (const ks of keySchema) {
    const v = item[ks.AttributeName];
    const want = attrTypes[ks.AttributeName];
    if (!v) throw new Error(`The item needs its key attribute "${ks.AttributeName}".`);
    if (want && !(want in v)) throw new Error(`The key attribute "${ks.AttributeName}" must have type ${want}.`);
  }
  return item;
}

function keyOf(item, keySchema) {
  return Object.fromEntries(keySchema.map((k) => [k.AttributeName, item[k.AttributeName]]));
}

function display(v) {
  const [t, x] = Object.entries(v)[0];
  if (t === "S" || t === "N") return x;
  if (t === "BOOL") return String(x);
  if (t === "NULL") return "null";
  return JSON.stringify(v);
}

async function listTableNames() {
  const names = [];
  let start;
  for (let page = 0; page < 100; page += 1) {
    const r = await ddb("ListTables", start ? { ExclusiveStartTableName: start } : {});
    names.push(...r.TableNames);
    if (!r.LastEvaluatedTableName) break;
    start = r.LastEvaluatedTableName;
  }
  return names;
}

export async function renderTables(root, refresh) {
  const { err, tbody } = listPage(root, {
    title: "Tables", createLabel: "Create table", onCreate: () => createTableDialog(refresh), refresh,
    caption: "DynamoDB tables",
    columns: ["Name", "Status", "Partition key", "Sort key", "Billing mode", "Items", { hidden: "Actions" }],
  });
  let names;
  try {
    names = await listTableNames();
  } catch (e) {
    return showError(err, e);
  }
  if (names.length === 0) tbody.append(h("tr", {}, h("td", { colspan: 7, class: "empty" }, "No tables yet.")));
  for (const name of names) {
    const cells = [h("td", {}), h("td", {}), h("td", {}), h("td", {}), h("td", { class: "num" })];
    tbody.append(h("tr", {}, h("td", {}, h("a", { href: links.table(name) }, name)), cells,
      h("td", { class: "row-actions" }, h("button", {
        type: "button", "aria-label": `Delete table ${name}`,
        onclick: () => confirmDialog("Delete table", `Delete the table "${name}" and all its items?`, "Delete table",
          async () => { await ddb("DeleteTable", { TableName: name }); refresh(); }),
      }, "Delete"))));
    ddb("DescribeTable", { TableName: name }).then(({ Table: t }) => {
      const types = Object.fromEntries(t.AttributeDefinitions.map((a) => [a.AttributeName, a.AttributeType]));
      const key = (kind) => t.KeySchema.filter((k) => k.KeyType === kind).map((k) => `${k.AttributeName} (${types[k.AttributeName]})`).join("");
      cells[0].append(t.TableStatus);
      cells[1].append(key("HASH"));
      cells[2].append(key("RANGE") || "—");
      cells[3].append(t.BillingModeSummary?.BillingMode === "PAY_PER_REQUEST" ? "On-demand" : "Provisioned");
      cells[4].append(String(t.ItemCount ?? ""));
    }, (e) => cells[0].append(e.message));
  }
}

function typeSelect() {
  return h("select", {}, h("option", { value: "S" }, "String"), h("option", { value: "N" }, "Number"), h("option", { value: "B" }, "Binary"));
}

function createTableDialog(done) {
  const name = h("input", { type: "text", required: true, minlength: 3, maxlength: 255, pattern: "[A-Za-z0-9_.\\-]+", autocomplete: "off" });
  const pk = h("input", { type: "text", required: true, autocomplete: "off" });
  const pkType = typeSelect();
  const sk = h("input", { type: "text", autocomplete: "off" });
  const skType = typeSelect();
  const body = h("div", {},
    field("Table name", name, "3-255 characters: letters, digits, '_', '-' and '.'."),
    h("fieldset", {}, h("legend", {}, "Partition key"), field("Name", pk), field("Type", pkType)),
    h("fieldset", {}, h("legend", {}, "Sort key (optional)"), field("Name", sk), field("Type", skType)),
    h("fieldset", {}, h("legend", {}, "Capacity"),
      choice("radio", "billing", "PAY_PER_REQUEST", "On-demand", true),
      choice("radio", "billing", "PROVISIONED", "Provisioned (5 read and 5 write capacity units)", false)));
  openDialog({
    title: "Create table",
    body,
    submitLabel: "Create table",
    onSubmit: async ({ dialog }) => {
      const billing = dialog.querySelector("input[name=billing]:checked").value;
      const req = {
        TableName: name.value.trim(),
        AttributeDefinitions: [{ AttributeName: pk.value.trim(), AttributeType: pkType.value }],
        KeySchema: [{ AttributeName: pk.value.trim(), KeyType: "HASH" }],
        BillingMode: billing,
      };
      if (sk.value.trim()) {
        req.AttributeDefinitions.push({ AttributeName: sk.value.trim(), AttributeType: skType.value });
        req.KeySchema.push({ AttributeName: sk.value.trim(), KeyType: "RANGE" });
      }
      if (billing === "PROVISIONED") req.ProvisionedThroughput = { ReadCapacityUnits: 5, WriteCapacityUnits: 5 };
      await ddb("CreateTable", req);
      done();
    },
  });
}

export async function renderTable(root, tableName, refresh) {
  const err = errorBox();
  let table;
  try {
    table = (await ddb("DescribeTable", { TableName: tableName })).Table;
  } catch (e) {
    root.replaceChildren(...pageHeader(tableName, [{ label: "Tables", href: links.tables() }, { label: tableName }], []), err);
    return showError(err, e);
  }
  const keySchema = table.KeySchema;
  const types = Object.fromEntries(table.AttributeDefinitions.map((a) => [a.AttributeName, a.AttributeType]));
  const hashName = keySchema.find((k) => k.KeyType === "HASH").AttributeName;
  const rangeName = keySchema.find((k) => k.KeyType === "RANGE")?.AttributeName;

  const results = h("div", { class: "results" });
  const pageInfo = h("p", { class: "status", role: "status", "aria-live": "polite" });
  const next = h("button", { type: "button", hidden: true }, "Next page");
  const first = h("button", { type: "button", hidden: true }, "First page");
  const limit = h("input", { type: "number", min: 1, max: 1000, value: 25 });
  const pkValue = h("input", { type: "text", autocomplete: "off" });
  const skOp = h("select", {}, ["=", "<", "<=", ">", ">=", "begins_with", "between"].map((o) => h("option", { value: o }, o)));
  const skValue = h("input", { type: "text", autocomplete: "off" });
  const skValue2 = h("input", { type: "text", autocomplete: "off" });
  const queryFields = h("div", { class: "query-fields", hidden: true },
    field(`Partition key: ${hashName} (${types[hashName]})`, pkValue),
    rangeName ? [field(`Sort key condition: ${rangeName} (${types[rangeName]})`, skOp), field("Sort key value", skValue),
      field("Second value (between)", skValue2)] : null);
  const form = h("form", { class: "search", "aria-label": "Scan or query items" },
    h("fieldset", {}, h("legend", {}, "Read items"),
      choice("radio", "mode", "scan", "Scan the table", true),
      choice("radio", "mode", "query", "Query by key", false)),
    queryFields,
    field("Items per page (Limit)", limit),
    h("button", { type: "submit", class: "primary" }, "Run"));
  form.addEventListener("change", () => { queryFields.hidden = form.querySelector("input[name=mode]:checked").value !== "query"; });

  let startKeys = [];
  const run = async (startKey) => {
    showError(err, null);
    const mode = form.querySelector("input[name=mode]:checked").value;
    const req = { TableName: tableName, Limit: Number(limit.value) || 25 };
    if (startKey) req.ExclusiveStartKey = startKey;
    let r;
    try {
      if (mode === "query") {
        const val = (t, x) => ({ [t]: x });
        req.KeyConditionExpression = "#pk = :pk";
        req.ExpressionAttributeNames = { "#pk": hashName };
        req.ExpressionAttributeValues = { ":pk": val(types[hashName], pkValue.value) };
        if (rangeName && skValue.value !== "") {
          req.ExpressionAttributeNames["#sk"] = rangeName;
          req.ExpressionAttributeValues[":sk"] = val(types[rangeName], skValue.value);
          const op = skOp.value;
          if (op === "begins_with") req.KeyConditionExpression += " AND begins_with(#sk, :sk)";
          else if (op === "between") {
            req.KeyConditionExpression += " AND #sk BETWEEN :sk AND :sk2";
            req.ExpressionAttributeValues[":sk2"] = val(types[rangeName], skValue2.value);
          } else req.KeyConditionExpression += ` AND #sk ${op} :sk`;
        }
        r = await ddb("Query", req);
      } else {
        r = await ddb("Scan", req);
      }
    } catch (e) {
      return showError(err, e);
    }
    showItems(r.Items || []);
    pageInfo.textContent = `Page ${startKeys.length + 1}: ${r.Count} item(s)${r.LastEvaluatedKey ? ", more after this page" : ""}.`;
    next.hidden = !r.LastEvaluatedKey;
    first.hidden = startKeys.length === 0;
    next.onclick = () => { startKeys.push(r.LastEvaluatedKey); run(r.LastEvaluatedKey); };
  };
  first.onclick = () => { startKeys = []; run(undefined); };
  form.addEventListener("submit", (e) => { e.preventDefault(); startKeys = []; run(undefined); });

  // DescribeTable's ItemCount, read again after every change so the header does not go stale.
  const count = h("span", {}, String(table.ItemCount ?? "?"));
  const reload = async () => {
    await run(startKeys[startKeys.length - 1]);
    ddb("DescribeTable", { TableName: tableName }).then((r) => { count.textContent = String(r.Table.ItemCount ?? "?"); }, () => {});
  };
  const showItems = (items) => {
    const cols = [hashName, ...(rangeName ? [rangeName] : [])];
    for (const it of items) for (const k of Object.keys(it)) if (!cols.includes(k)) cols.push(k);
    const tbody = h("tbody");
    if (items.length === 0) tbody.append(h("tr", {}, h("td", { colspan: cols.length + 1, class: "empty" }, "No items.")));
    for (const it of items) {
      const label = cols.slice(0, rangeName ? 2 : 1).map((c) => display(it[c])).join(" / ");
      tbody.append(h("tr", {},
        cols.map((c) => h("td", {}, it[c] ? display(it[c]) : "")),
        h("td", { class: "row-actions" },
          h("button", { type: "button", "aria-label": `Edit item ${label}`, onclick: () => itemDialog(table, types, it, reload) }, "Edit"),
          h("button", {
            type: "button", "aria-label": `Delete item ${label}`,
            onclick: () => confirmDialog("Delete item", `Delete the item ${label}?`, "Delete item",
              async () => { await ddb("DeleteItem", { TableName: tableName, Key: keyOf(it, keySchema) }); reload(); }),
          }, "Delete"))));
    }
    results.replaceChildren(listTable(`Items of ${tableName}`, [...cols, { hidden: "Actions" }], tbody, "items"));
  };

  const keyText = keySchema.map((k) => `${k.AttributeName} (${types[k.AttributeName]}, ${k.KeyType === "HASH" ? "partition" : "sort"} key)`).join(", ");
  root.replaceChildren(
    ...pageHeader(tableName, [{ label: "Tables", href: links.tables() }, { label: tableName }], [
      h("button", { type: "button", class: "primary", onclick: () => itemDialog(table, types, null, reload) }, "Add item"),
      h("button", { type: "button", onclick: refresh }, "Refresh"),
    ]),
    h("p", {}, `Key: ${keyText}. Items: `, count, "."),
    err, form, pageInfo, results, h("div", { class: "toolbar" }, first, next));
  await run(undefined);
}

function itemDialog(table, types, item, done) {
  const keySchema = table.KeySchema;
  const skeleton = item || Object.fromEntries(keySchema.map((k) => [k.AttributeName, { [types[k.AttributeName]]: "" }]));
  const text = h("textarea", { rows: 14, cols: 60, spellcheck: "false", class: "json" }, JSON.stringify(skeleton, null, 2));
  openDialog({
    title: item ? "Edit item" : "Add item",
    wide: true,
    body: field("Item (DynamoDB JSON)", text, 'Each attribute is {"TYPE": value}, e.g. {"name": {"S": "Blue Bottle"}, "rating": {"N": "4.5"}}.'),
    submitLabel: item ? "Save changes" : "Create item",
    onSubmit: async () => {
      const parsed = parseItem(text.value, keySchema, types);
      await ddb("PutItem", { TableName: table.TableName, Item: parsed });
      // A changed key makes a new item; the old one goes, as in the AWS console.
      if (item && JSON.stringify(keyOf(item, keySchema)) !== JSON.stringify(keyOf(parsed, keySchema))) {
        await ddb("DeleteItem", { TableName: table.TableName, Key: keyOf(item, keySchema) });
      }
      done();
    },
  });
}
