// A table's secondary indexes (from DescribeTable): keys, projection, status, size; create a
// global secondary index (UpdateTable GlobalSecondaryIndexUpdates Create) or delete one.
import { ddb } from "./aws.js";
import { choice, confirmDialog, field, formatSize, h, listTable, openDialog } from "./dom.js";

const keyText = (schema, kind, types) => schema.filter((k) => k.KeyType === kind)
  .map((k) => `${k.AttributeName} (${types[k.AttributeName] || "?"})`).join(", ");

export function projectionText(p) {
  if (!p) return "";
  if (p.ProjectionType === "INCLUDE") return `INCLUDE: ${(p.NonKeyAttributes || []).join(", ")}`;
  return p.ProjectionType;
}

// Fills host with the indexes table; queryHref(name) links to a query on the index.
export function renderIndexes(host, table, { refresh, queryHref }) {
  const types = Object.fromEntries(table.AttributeDefinitions.map((a) => [a.AttributeName, a.AttributeType]));
  const all = [
    ...(table.GlobalSecondaryIndexes || []).map((i) => ({ ...i, kind: "Global" })),
    ...(table.LocalSecondaryIndexes || []).map((i) => ({ ...i, kind: "Local" })),
  ];
  const tbody = h("tbody");
  if (all.length === 0) tbody.append(h("tr", {}, h("td", { colspan: 9, class: "empty" }, "No secondary indexes.")));
  for (const i of all) {
    tbody.append(h("tr", {},
      h("th", { scope: "row" }, i.IndexName),
      h("td", {}, i.kind),
      h("td", {}, keyText(i.KeySchema, "HASH", types)),
      h("td", {}, keyText(i.KeySchema, "RANGE", types) || "—"),
      h("td", {}, projectionText(i.Projection)),
      h("td", {}, i.IndexStatus || (i.kind === "Local" ? "ACTIVE" : "")),
      h("td", { class: "num" }, String(i.ItemCount ?? "")),
      h("td", { class: "num" }, i.IndexSizeBytes === undefined ? "" : formatSize(i.IndexSizeBytes)),
      h("td", { class: "row-actions" },
        h("a", { class: "button", href: queryHref(i.IndexName), "aria-label": `Query index ${i.IndexName}` }, "Query"),
        i.kind === "Global" ? h("button", {
          type: "button", "aria-label": `Delete index ${i.IndexName}`,
          onclick: () => confirmDialog("Delete index", `Delete the global secondary index "${i.IndexName}"? Items stay in the table.`, "Delete index",
            async () => {
              await ddb("UpdateTable", { TableName: table.TableName, GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: i.IndexName } }] });
              refresh();
            }),
        }, "Delete") : null)));
  }
  host.replaceChildren(
    h("div", { class: "toolbar section-tools" },
      h("button", { type: "button", class: "primary", onclick: () => createIndexDialog(table, types, refresh) }, "Create index")),
    h("div", { class: "scroll" }, listTable(`Secondary indexes of ${table.TableName}`,
      ["Name", "Type", "Partition key", "Sort key", "Projection", "Status", "Items", "Size", { hidden: "Actions" }], tbody)));
}

function typeSelect(selected) {
  return h("select", {}, [["S", "String"], ["N", "Number"], ["B", "Binary"]].map(([v, l]) => h("option", { value: v, selected: v === selected }, l)));
}

function createIndexDialog(table, types, done) {
  const name = h("input", { type: "text", required: true, minlength: 3, maxlength: 255, pattern: "[A-Za-z0-9_.\\-]+", autocomplete: "off" });
  const pk = h("input", { type: "text", required: true, autocomplete: "off", spellcheck: "false" });
  const pkType = typeSelect();
  const sk = h("input", { type: "text", autocomplete: "off", spellcheck: "false" });
  const skType = typeSelect();
  // A name the table already defines keeps its type (DynamoDB refuses a second one).
  const follow = (input, sel) => input.addEventListener("input", () => {
    const t = types[input.value.trim()];
    if (t) sel.value = t;
    sel.disabled = Boolean(t);
  });
  follow(pk, pkType);
  follow(sk, skType);
  const include = h("input", { type: "text", autocomplete: "off", spellcheck: "false" });
  const includeField = field("Attributes to include", include, "Comma-separated names of non-key attributes copied into the index.");
  includeField.hidden = true;
  const body = h("div", {},
    h("p", {}, "A global secondary index is filled from the table's existing items at once."),
    field("Index name", name, "3-255 characters: letters, digits, '_', '-' and '.'."),
    h("fieldset", {}, h("legend", {}, "Index partition key"), field("Name", pk), field("Type", pkType)),
    h("fieldset", {}, h("legend", {}, "Index sort key (optional)"), field("Name", sk), field("Type", skType)),
    h("fieldset", { class: "projection" }, h("legend", {}, "Attribute projections"),
      choice("radio", "projection", "ALL", "All attributes", true),
      choice("radio", "projection", "KEYS_ONLY", "Only keys", false),
      choice("radio", "projection", "INCLUDE", "Keys and some attributes", false),
      includeField));
  body.querySelector("fieldset.projection").addEventListener("change", () => {
    includeField.hidden = body.querySelector("input[name=projection]:checked").value !== "INCLUDE";
  });
  openDialog({
    title: "Create index",
    body,
    submitLabel: "Create index",
    onSubmit: async ({ dialog }) => {
      const p = dialog.querySelector("input[name=projection]:checked").value;
      const defs = [{ AttributeName: pk.value.trim(), AttributeType: pkType.value }];
      const keySchema = [{ AttributeName: pk.value.trim(), KeyType: "HASH" }];
      if (sk.value.trim()) {
        defs.push({ AttributeName: sk.value.trim(), AttributeType: skType.value });
        keySchema.push({ AttributeName: sk.value.trim(), KeyType: "RANGE" });
      }
      const create = { IndexName: name.value.trim(), KeySchema: keySchema, Projection: { ProjectionType: p } };
      if (p === "INCLUDE") {
        const attrs = include.value.split(",").map((s) => s.trim()).filter(Boolean);
        if (attrs.length === 0) throw new Error("Name at least one attribute to include.");
        create.Projection.NonKeyAttributes = attrs;
      }
      if (table.BillingModeSummary?.BillingMode !== "PAY_PER_REQUEST") {
        create.ProvisionedThroughput = { ReadCapacityUnits: 5, WriteCapacityUnits: 5 };
      }
      await ddb("UpdateTable", { TableName: table.TableName, AttributeDefinitions: defs, GlobalSecondaryIndexUpdates: [{ Create: create }] });
      done();
    },
  });
}
