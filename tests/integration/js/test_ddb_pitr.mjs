// Point-in-time recovery through the AWS SDK for JavaScript v3: PITR switched on, a restore to a
// chosen second compared item by item with the table as it was then, UseLatestRestorableTime,
// and the modelled errors.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  UpdateContinuousBackupsCommand, DescribeContinuousBackupsCommand, RestoreTableToPointInTimeCommand, ScanCommand,
} from "@aws-sdk/client-dynamodb";
import { PutCommand, DeleteCommand } from "@aws-sdk/lib-dynamodb";
import { ddbSuite, pkSkTable, rejectsWith } from "./support.mjs";

let server;
let client;
let doc;

ddbSuite([pkSkTable("js-pitr"), pkSkTable("js-plain")], async (s, c, d) => {
  server = s;
  client = c;
  doc = d;
});

async function clock(body) {
  const res = await fetch(server.endpoint + "/_localaws/clock", { method: "POST", body: JSON.stringify(body) });
  assert.equal(res.status, 200);
  return (await res.json()).epochMillis;
}

const sorted = (items) => items.sort((a, b) => Number(a.sk.N) - Number(b.sk.N));

test("restore to a chosen second equals the table then", async () => {
  const ms = await clock({ freeze: true });
  await clock({ set: ms - (ms % 1000), freeze: true }); // restore times are whole seconds
  try {
    const out = await client.send(new UpdateContinuousBackupsCommand({
      TableName: "js-pitr", PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true, RecoveryPeriodInDays: 2 },
    }));
    assert.equal(out.ContinuousBackupsDescription.PointInTimeRecoveryDescription.PointInTimeRecoveryStatus, "ENABLED");
    for (let i = 0; i < 5; i++) await doc.send(new PutCommand({ TableName: "js-pitr", Item: { pk: "a", sk: i, v: "one" } }));
    const at = await clock({ advance: "1s" });
    const then = sorted((await client.send(new ScanCommand({ TableName: "js-pitr" }))).Items);
    await clock({ advance: "1s" });
    await doc.send(new DeleteCommand({ TableName: "js-pitr", Key: { pk: "a", sk: 2 } }));
    await doc.send(new PutCommand({ TableName: "js-pitr", Item: { pk: "a", sk: 3, v: "two" } }));
    const d = (await client.send(new DescribeContinuousBackupsCommand({ TableName: "js-pitr" })))
      .ContinuousBackupsDescription.PointInTimeRecoveryDescription;
    assert.ok(d.EarliestRestorableDateTime instanceof Date);
    assert.equal(d.RecoveryPeriodInDays, 2);
    const r = (await client.send(new RestoreTableToPointInTimeCommand({
      SourceTableName: "js-pitr", TargetTableName: "js-pitr-then", RestoreDateTime: new Date(at),
    }))).TableDescription;
    assert.equal(r.RestoreSummary.RestoreDateTime.getTime(), at);
    assert.deepEqual(sorted((await client.send(new ScanCommand({ TableName: "js-pitr-then" }))).Items), then);
    await client.send(new RestoreTableToPointInTimeCommand({
      SourceTableName: "js-pitr", TargetTableName: "js-pitr-now", UseLatestRestorableTime: true,
    }));
    assert.deepEqual(sorted((await client.send(new ScanCommand({ TableName: "js-pitr-now" }))).Items),
      sorted((await client.send(new ScanCommand({ TableName: "js-pitr" }))).Items));
    await rejectsWith(client.send(new RestoreTableToPointInTimeCommand({
      SourceTableName: "js-pitr", TargetTableName: "js-pitr-old", RestoreDateTime: new Date(at - 3600e3),
    })), "InvalidRestoreTimeException", 400);
  } finally {
    await fetch(server.endpoint + "/_localaws/clock", { method: "DELETE" });
  }
});

test("errors", async () => {
  await rejectsWith(client.send(new RestoreTableToPointInTimeCommand({
    SourceTableName: "js-plain", TargetTableName: "js-plain-2", UseLatestRestorableTime: true,
  })), "PointInTimeRecoveryUnavailableException", 400);
  await rejectsWith(client.send(new UpdateContinuousBackupsCommand({
    TableName: "js-none", PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
  })), "TableNotFoundException", 400);
});
