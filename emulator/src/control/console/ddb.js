// The DynamoDB pages: the tables, and a table's page with three tabs: its items (Scan or Query,
// ddb_read.js; the item editor is ddb_item.js), its indexes (ddb_indexes.js) and its stream
// (ddb_streams.js).
import { ddb } from "./aws.js";
import { choice, confirmDialog, errorBox, field, formatSize, h, listPage, openDialog, pageHeader, showError } from "./dom.js";
import { renderIndexes } from "./ddb_indexes.js";
import { itemsPanel } from "./ddb_read.js";
import { renderStream } from "./ddb_streams.js";

const enc = encodeURIComponent;
export const links = {
  tables: () => "#/dynamodb",
  table: (name) => `#/dynamodb/t/${enc(name)}`,
  indexes: (name) => `#/dynamodb/t/${enc(name)}/indexes`,
  stream: (name) => `#/dynamodb/t/${enc(name)}/stream`,
  query: (name, index) => `#/dynamodb/t/${enc(name)}/query/${enc(index)}`,
};

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
    columns: ["Name", "Status", "Partition key", "Sort key", "Billing mode", "Items", "Size", { hidden: "Actions" }],
  });
  let names;
  try {
    names = await listTableNames();
  } catch (e) {
    return showError(err, e);
  }
  if (names.length === 0) tbody.append(h("tr", {}, h("td", { colspan: 8, class: "empty" }, "No tables yet.")));
  for (const name of names) {
    const cells = [h("td", {}), h("td", {}), h("td", {}), h("td", {}), h("td", { class: "num" }), h("td", { class: "num" })];
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
      cells[5].append(formatSize(t.TableSizeBytes ?? 0));
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

const TABS = [["items", "Items"], ["indexes", "Indexes"], ["stream", "Stream"]];

function summary(t) {
  const types = Object.fromEntries(t.AttributeDefinitions.map((a) => [a.AttributeName, a.AttributeType]));
  const keyText = t.KeySchema.map((k) => `${k.AttributeName} (${types[k.AttributeName]}, ${k.KeyType === "HASH" ? "partition" : "sort"} key)`).join(", ");
  const size = Number(t.TableSizeBytes ?? 0);
  const gsis = (t.GlobalSecondaryIndexes || []).length;
  const lsis = (t.LocalSecondaryIndexes || []).length;
  const stream = t.StreamSpecification?.StreamEnabled ? `on (${t.StreamSpecification.StreamViewType})` : "off";
  return [
    h("p", { class: "table-summary" }, `Key: ${keyText}. Size: `,
      h("span", { class: "table-size", title: `${size} bytes (TableSizeBytes)` }, size < 1024 ? `${size} bytes` : `${formatSize(size)} (${size} bytes)`),
      ". Items: ", h("span", { class: "item-count", title: "ItemCount" }, String(t.ItemCount ?? "?")), "."),
    h("p", { class: "table-meta" }, `Status: ${t.TableStatus}. Billing: ${t.BillingModeSummary?.BillingMode === "PAY_PER_REQUEST" ? "on-demand" : "provisioned"}. `,
      `Indexes: ${gsis} global, ${lsis} local. Stream: ${stream}.`),
  ];
}

// #/dynamodb/t/TABLE[/indexes|/stream|/query/INDEX]
export async function renderTable(root, tableName, tab, index, refresh) {
  const err = errorBox();
  const crumbs = [{ label: "Tables", href: links.tables() }, { label: tableName }];
  let table;
  try {
    table = (await ddb("DescribeTable", { TableName: tableName })).Table;
  } catch (e) {
    root.replaceChildren(...pageHeader(tableName, crumbs, []), err);
    return showError(err, e);
  }
  const head = h("div", { class: "summary-host" }, summary(table));
  // DescribeTable again after each change, so the counts and size do not go stale.
  const restat = () => ddb("DescribeTable", { TableName: tableName })
    .then((r) => { table = r.Table; head.replaceChildren(...summary(table)); }, () => {});
  const hrefs = { items: links.table(tableName), indexes: links.indexes(tableName), stream: links.stream(tableName) };
  const tabs = h("nav", { class: "tabs", "aria-label": "Table views" }, h("ul", {}, TABS.map(([id, label]) =>
    h("li", {}, h("a", { href: hrefs[id], "aria-current": id === tab ? "page" : undefined }, label)))));
  const body = h("div", { class: "tab-body" });
  const actions = [h("button", { type: "button", onclick: refresh }, "Refresh")];
  root.replaceChildren(...pageHeader(tableName, crumbs, actions), head, tabs, err, body);
  if (tab === "indexes") {
    renderIndexes(body, table, { refresh, queryHref: (i) => links.query(tableName, i) });
  } else if (tab === "stream") {
    renderStream(body, table, { refresh, err });
  } else {
    const panel = itemsPanel(body, table, { index, err, onChange: restat });
    actions[0].before(h("button", { type: "button", class: "primary", onclick: () => panel.addItem() }, "Add item"));
    if (!index) await panel.run();
  }
}

// #/dynamodb (tables), #/dynamodb/t/TABLE (a table's items), .../indexes, .../stream,
// .../query/INDEX (the items tab, set to query that index).
export async function routeDynamodb(root, args, { refresh }) {
  if (args[0] === "t") {
    const tab = ["indexes", "stream"].includes(args[2]) ? args[2] : "items";
    return renderTable(root, args[1] || "", tab, args[2] === "query" ? args[3] || "" : "", refresh);
  }
  return renderTables(root, refresh);
}
