// A table's stream: its settings (DescribeTable StreamSpecification, LatestStreamArn), enable or
// disable it (UpdateTable), and its recent records through the DynamoDB Streams API
// (DescribeStream, GetShardIterator, GetRecords), which localaws serves on the same endpoint
// under X-Amz-Target DynamoDBStreams_20120810.* (signed for the service "dynamodb", as AWS does).
import { AwsError, ddb, loadSettings } from "./aws.js";
import { sha256Hex, signRequest } from "./sigv4.js";
import { choice, field, h, listTable, openDialog, showError } from "./dom.js";
import { itemText } from "./ddb_view.js";

const VIEW_TYPES = [
  ["NEW_AND_OLD_IMAGES", "New and old images"], ["NEW_IMAGE", "New image"], ["OLD_IMAGE", "Old image"], ["KEYS_ONLY", "Keys only"],
];

// A DynamoDB Streams call (XMLHttpRequest, like aws.js, so the log page can replay it).
export async function streams(operation, payload) {
  const settings = loadSettings();
  const body = JSON.stringify(payload);
  const headers = { "content-type": "application/x-amz-json-1.0", "x-amz-target": "DynamoDBStreams_20120810." + operation };
  const signed = await signRequest({
    method: "POST", path: "/", query: "", headers, payloadHash: await sha256Hex(body),
    service: "dynamodb", region: settings.region, credentials: settings, host: location.host,
  });
  const xhr = await new Promise((resolve, reject) => {
    const x = new XMLHttpRequest();
    x.open("POST", "/");
    for (const [k, v] of Object.entries(signed)) x.setRequestHeader(k, v);
    x.onload = () => resolve(x);
    x.onerror = () => reject(new AwsError(operation, "NetworkError", "the request did not complete", 0));
    x.send(body);
  });
  let json = {};
  try { json = xhr.responseText ? JSON.parse(xhr.responseText) : {}; } catch { json = {}; }
  if (xhr.status !== 200) {
    const type = String(json.__type || `HTTP ${xhr.status}`);
    throw new AwsError(operation, type.slice(type.lastIndexOf("#") + 1), json.message || json.Message || "", xhr.status);
  }
  return json;
}

// Every shard of the stream, parents before children.
async function allShards(arn) {
  const shards = [];
  let start;
  for (let i = 0; i < 50; i += 1) {
    const req = { StreamArn: arn };
    if (start) req.ExclusiveStartShardId = start;
    const d = (await streams("DescribeStream", req)).StreamDescription;
    shards.push(...(d.Shards || []));
    if (!d.LastEvaluatedShardId) break;
    start = d.LastEvaluatedShardId;
  }
  return shards;
}

// Reads from the iterators (shard id -> iterator) until each runs dry or `max` records are read;
// returns the records and the iterators to continue from.
async function drain(iterators, max) {
  const records = [];
  const nextIts = {};
  for (const [shard, first] of Object.entries(iterators)) {
    let it = first;
    for (let calls = 0; it && calls < 20 && records.length < max; calls += 1) {
      const r = await streams("GetRecords", { ShardIterator: it, Limit: Math.min(1000, max - records.length) });
      records.push(...(r.Records || []));
      it = r.NextShardIterator;
      if (!r.Records || r.Records.length === 0) break;
    }
    if (it) nextIts[shard] = it;
  }
  return { records, nextIts };
}

function recordsTable(records) {
  const tbody = h("tbody");
  if (records.length === 0) tbody.append(h("tr", {}, h("td", { colspan: 6, class: "empty" }, "No records.")));
  for (const r of records) {
    const d = r.dynamodb || {};
    const when = d.ApproximateCreationDateTime ? new Date(Number(d.ApproximateCreationDateTime) * 1000).toLocaleString() : "";
    const image = (img) => (img ? h("details", {}, h("summary", {}, "show"), h("pre", { class: "nested-value" }, itemText(img, 2))) : "—");
    tbody.append(h("tr", {},
      h("td", { class: "value" }, d.SequenceNumber || ""),
      h("td", {}, r.eventName || ""),
      h("td", { class: "value", title: itemText(d.Keys) }, itemText(d.Keys)),
      h("td", {}, image(d.NewImage)),
      h("td", {}, image(d.OldImage)),
      h("td", {}, when)));
  }
  return h("div", { class: "scroll" }, listTable("Stream records", ["Sequence number", "Event", "Keys", "New image", "Old image", "Time"], tbody, "records"));
}

export function renderStream(host, table, { refresh, err }) {
  const spec = table.StreamSpecification;
  const on = Boolean(spec?.StreamEnabled);
  const dl = h("dl", { class: "props" },
    h("dt", {}, "Stream"), h("dd", {}, on ? "Enabled" : "Disabled"),
    on ? [h("dt", {}, "View type"), h("dd", {}, spec.StreamViewType)] : null,
    table.LatestStreamArn ? [h("dt", {}, "Latest stream ARN"), h("dd", {}, h("code", {}, table.LatestStreamArn)),
      h("dt", {}, "Label"), h("dd", {}, table.LatestStreamLabel || "")] : null);
  const toggle = on
    ? h("button", { type: "button", onclick: async () => {
      try {
        await ddb("UpdateTable", { TableName: table.TableName, StreamSpecification: { StreamEnabled: false } });
        refresh();
      } catch (e) { showError(err, e); }
    } }, "Disable stream")
    : h("button", { type: "button", class: "primary", onclick: () => enableDialog(table, refresh) }, "Enable stream");
  const parts = [h("div", { class: "toolbar section-tools" }, toggle), dl];
  if (table.LatestStreamArn) parts.push(recordsReader(table.LatestStreamArn, err));
  host.replaceChildren(...parts);
}

function recordsReader(arn, err) {
  const from = h("select", {}, h("option", { value: "TRIM_HORIZON" }, "The oldest retained record (TRIM_HORIZON)"),
    h("option", { value: "LATEST" }, "Only records after now (LATEST)"));
  const max = h("input", { type: "number", min: 1, max: 1000, value: 100 });
  const status = h("p", { class: "status", role: "status", "aria-live": "polite" });
  const out = h("div");
  const more = h("button", { type: "button", hidden: true }, "Read newer records");
  let its = {};
  let seen = [];
  const show = (records) => {
    seen = [...seen, ...records].slice(-Number(max.value || 100));
    out.replaceChildren(recordsTable(seen));
    status.textContent = `${records.length} new record(s); showing the last ${seen.length}.`;
  };
  const read = async (fresh) => {
    showError(err, null);
    try {
      if (fresh) {
        seen = [];
        its = {};
        for (const s of await allShards(arn)) {
          const r = await streams("GetShardIterator", { StreamArn: arn, ShardId: s.ShardId, ShardIteratorType: from.value });
          if (r.ShardIterator) its[s.ShardId] = r.ShardIterator;
        }
      }
      const { records, nextIts } = await drain(its, 1000);
      its = nextIts;
      show(records);
      more.hidden = Object.keys(its).length === 0;
    } catch (e) {
      showError(err, e);
    }
  };
  more.addEventListener("click", () => read(false));
  const form = h("form", { class: "search", "aria-label": "Read stream records" },
    field("Start from", from), field("Records to show", max), h("button", { type: "submit", class: "primary" }, "Read records"));
  form.addEventListener("submit", (e) => { e.preventDefault(); read(true); });
  return h("section", { "aria-label": "Stream records" }, h("h2", {}, "Records"), form, status, out, h("div", { class: "toolbar" }, more));
}

function enableDialog(table, done) {
  openDialog({
    title: "Enable stream",
    body: h("fieldset", {}, h("legend", {}, "What each record holds"),
      VIEW_TYPES.map(([v, l], i) => choice("radio", "viewtype", v, l, i === 0))),
    submitLabel: "Enable stream",
    onSubmit: async ({ dialog }) => {
      const type = dialog.querySelector("input[name=viewtype]:checked").value;
      await ddb("UpdateTable", { TableName: table.TableName, StreamSpecification: { StreamEnabled: true, StreamViewType: type } });
      done();
    },
  });
}
