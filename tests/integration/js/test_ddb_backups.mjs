// On-demand backups and the tool reads through the AWS SDK for JavaScript v3: create, list with
// the ListBackups pages, describe, restore with a billing override, delete, and the modelled errors.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  CreateBackupCommand, DescribeBackupCommand, DeleteBackupCommand, RestoreTableFromBackupCommand,
  DescribeContinuousBackupsCommand, DescribeContributorInsightsCommand, ScanCommand,
  ListBackupsCommand,
} from "@aws-sdk/client-dynamodb";
import { PutCommand } from "@aws-sdk/lib-dynamodb";
import { ddbSuite, pkSkTable, rejectsWith } from "./support.mjs";

let client;

ddbSuite([pkSkTable("js-bk")], async (_server, c, doc) => {
  client = c;
  for (let i = 0; i < 7; i++) await doc.send(new PutCommand({ TableName: "js-bk", Item: { pk: "a", sk: i, v: { n: i } } }));
});

test("create, list, describe, restore, delete", async () => {
  const arns = [];
  for (const name of ["one", "two", "three"]) {
    arns.push((await client.send(new CreateBackupCommand({ TableName: "js-bk", BackupName: name }))).BackupDetails.BackupArn);
  }
  const listed = [];
  let start;
  do {
    const page = await client.send(new ListBackupsCommand({ TableName: "js-bk", Limit: 2, ExclusiveStartBackupArn: start }));
    assert.ok(page.BackupSummaries.length <= 2);
    listed.push(...page.BackupSummaries.map((b) => b.BackupArn));
    start = page.LastEvaluatedBackupArn;
  } while (start);
  assert.deepEqual(listed, arns);
  const d = (await client.send(new DescribeBackupCommand({ BackupArn: arns[0] }))).BackupDescription;
  assert.equal(d.BackupDetails.BackupStatus, "AVAILABLE");
  assert.ok(d.BackupDetails.BackupCreationDateTime instanceof Date);
  assert.equal(d.SourceTableDetails.ItemCount, 7);
  const r = (await client.send(new RestoreTableFromBackupCommand({
    TargetTableName: "js-bk-restored", BackupArn: arns[0], BillingModeOverride: "PROVISIONED",
    ProvisionedThroughputOverride: { ReadCapacityUnits: 2, WriteCapacityUnits: 2 },
  }))).TableDescription;
  assert.equal(r.BillingModeSummary.BillingMode, "PROVISIONED");
  assert.equal(r.RestoreSummary.SourceBackupArn, arns[0]);
  const scan = await client.send(new ScanCommand({ TableName: "js-bk-restored" }));
  assert.equal(scan.Count, 7);
  assert.deepEqual(scan.Items.find((i) => i.sk.N === "3").v, { M: { n: { N: "3" } } });
  await rejectsWith(client.send(new RestoreTableFromBackupCommand({ TargetTableName: "js-bk-restored", BackupArn: arns[1] })),
    "TableAlreadyExistsException", 400);
  const del = (await client.send(new DeleteBackupCommand({ BackupArn: arns[2] }))).BackupDescription;
  assert.equal(del.BackupDetails.BackupStatus, "DELETED");
  await rejectsWith(client.send(new DescribeBackupCommand({ BackupArn: arns[2] })), "BackupNotFoundException", 400);
  await rejectsWith(client.send(new CreateBackupCommand({ TableName: "js-none", BackupName: "x12" })), "TableNotFoundException", 400);
});

test("tool reads of a plain table", async () => {
  const cb = (await client.send(new DescribeContinuousBackupsCommand({ TableName: "js-bk" }))).ContinuousBackupsDescription;
  assert.deepEqual(cb, { ContinuousBackupsStatus: "ENABLED", PointInTimeRecoveryDescription: { PointInTimeRecoveryStatus: "DISABLED" } });
  const ci = await client.send(new DescribeContributorInsightsCommand({ TableName: "js-bk" }));
  assert.equal(ci.ContributorInsightsStatus, "DISABLED");
});
