// Export to and import from S3 through the AWS SDK for JavaScript v3: a full export read back
// from its manifests (gzip data files, MD5 and ETag checked), the export re-imported into a new
// table, a CSV import, the ListExports / ListImports pages and the modelled errors.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { gunzipSync } from "node:zlib";
import {
  ExportTableToPointInTimeCommand, DescribeExportCommand, ListExportsCommand, ImportTableCommand,
  DescribeImportCommand, ListImportsCommand, UpdateContinuousBackupsCommand, DescribeTableCommand, ScanCommand,
} from "@aws-sdk/client-dynamodb";
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { PutCommand } from "@aws-sdk/lib-dynamodb";
import { ddbSuite, pkSkTable, rejectsWith, s3ClientFor } from "./support.mjs";

let client;
let s3;
let tableArn;

ddbSuite([pkSkTable("js-exp"), pkSkTable("js-nopitr")], async (server, c, doc) => {
  client = c;
  s3 = s3ClientFor(server);
  await s3.send(new CreateBucketCommand({ Bucket: "js-exports" }));
  await client.send(new UpdateContinuousBackupsCommand({
    TableName: "js-exp", PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }));
  for (let i = 0; i < 12; i++) {
    await doc.send(new PutCommand({ TableName: "js-exp", Item: { pk: "p" + (i % 3), sk: i, tags: new Set(["a", "b" + i]) } }));
  }
  tableArn = (await client.send(new DescribeTableCommand({ TableName: "js-exp" }))).Table.TableArn;
});

async function getBytes(Key) {
  const out = await s3.send(new GetObjectCommand({ Bucket: "js-exports", Key }));
  return { bytes: Buffer.from(await out.Body.transformToByteArray()), etag: out.ETag };
}

function scanKey(item) {
  return JSON.stringify([item.pk, item.sk]);
}

test("a full export, read back from its manifests, then imported again", async () => {
  const d = (await client.send(new ExportTableToPointInTimeCommand({ TableArn: tableArn, S3Bucket: "js-exports",
    S3Prefix: "js" }))).ExportDescription;
  assert.equal(d.ExportStatus, "COMPLETED");
  assert.equal(d.ItemCount, 12);
  assert.ok(d.StartTime instanceof Date);
  const described = (await client.send(new DescribeExportCommand({ ExportArn: d.ExportArn }))).ExportDescription;
  assert.equal(described.ExportManifest, d.ExportManifest);
  const summary = JSON.parse((await getBytes(d.ExportManifest)).bytes.toString());
  assert.equal(summary.exportArn, d.ExportArn);
  assert.equal(summary.itemCount, 12);
  const files = (await getBytes(summary.manifestFilesS3Key)).bytes.toString().trim().split("\n").map((l) => JSON.parse(l));
  const items = [];
  for (const f of files) {
    const { bytes, etag } = await getBytes(f.dataFileS3Key);
    assert.equal(createHash("md5").update(bytes).digest("base64"), f.md5Checksum);
    assert.equal(etag.replaceAll('"', ""), f.etag);
    for (const line of gunzipSync(bytes).toString().split("\n").filter(Boolean)) items.push(JSON.parse(line).Item);
  }
  const scanned = (await client.send(new ScanCommand({ TableName: "js-exp" }))).Items;
  const norm = (i) => ({ ...i, tags: { SS: [...i.tags.SS].sort() } });
  assert.deepEqual(items.map(norm).sort((a, b) => scanKey(a).localeCompare(scanKey(b))),
    scanned.map(norm).sort((a, b) => scanKey(a).localeCompare(scanKey(b))));

  const prefix = d.ExportManifest.replace(/manifest-summary\.json$/, "data/");
  const imp = (await client.send(new ImportTableCommand({
    S3BucketSource: { S3Bucket: "js-exports", S3KeyPrefix: prefix }, InputFormat: "DYNAMODB_JSON",
    InputCompressionType: "GZIP", TableCreationParameters: { ...pkSkTable("js-reimported") },
  }))).ImportTableDescription;
  assert.equal(imp.ImportStatus, "COMPLETED");
  assert.equal(imp.ImportedItemCount, 12);
  const again = (await client.send(new DescribeImportCommand({ ImportArn: imp.ImportArn }))).ImportTableDescription;
  assert.equal(again.TableArn, imp.TableArn);
  assert.equal((await client.send(new ScanCommand({ TableName: "js-reimported" }))).Count, 12);
});

test("a CSV import with a header list and the listing pages", async () => {
  await s3.send(new PutObjectCommand({ Bucket: "js-exports", Key: "csv/a.csv", Body: "k1|7\nk2|8\n" }));
  const arns = [];
  for (const name of ["js-csv1", "js-csv2", "js-csv3"]) {
    const imp = (await client.send(new ImportTableCommand({
      S3BucketSource: { S3Bucket: "js-exports", S3KeyPrefix: "csv/" }, InputFormat: "CSV",
      InputFormatOptions: { Csv: { Delimiter: "|", HeaderList: ["id", "n"] } },
      TableCreationParameters: { TableName: name, BillingMode: "PAY_PER_REQUEST",
        AttributeDefinitions: [{ AttributeName: "id", AttributeType: "S" }],
        KeySchema: [{ AttributeName: "id", KeyType: "HASH" }] },
    }))).ImportTableDescription;
    assert.equal(imp.ImportedItemCount, 2);
    arns.push(imp.ImportArn);
  }
  const listed = [];
  let NextToken;
  do {
    const page = await client.send(new ListImportsCommand({ PageSize: 2, NextToken }));
    listed.push(...page.ImportSummaryList.map((s) => s.ImportArn));
    NextToken = page.NextToken;
  } while (NextToken);
  for (const arn of arns) assert.ok(listed.includes(arn));
  const exports = await client.send(new ListExportsCommand({ TableArn: tableArn }));
  assert.ok(exports.ExportSummaries.length >= 1);
});

test("modelled errors", async () => {
  const nopitr = (await client.send(new DescribeTableCommand({ TableName: "js-nopitr" }))).Table.TableArn;
  await rejectsWith(client.send(new ExportTableToPointInTimeCommand({ TableArn: nopitr, S3Bucket: "js-exports" })),
    "PointInTimeRecoveryUnavailableException", 400);
  await rejectsWith(client.send(new DescribeExportCommand({ ExportArn: tableArn + "/export/01234567890123-abcdef01" })),
    "ExportNotFoundException", 400);
  await rejectsWith(client.send(new DescribeImportCommand({ ImportArn: tableArn + "/import/01234567890123-abcdef01" })),
    "ImportNotFoundException", 400);
  await rejectsWith(client.send(new ImportTableCommand({
    S3BucketSource: { S3Bucket: "js-exports" }, InputFormat: "DYNAMODB_JSON", TableCreationParameters: pkSkTable("js-exp"),
  })), "ResourceInUseException", 400);
});
