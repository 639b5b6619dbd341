"""DynamoDB export to and import from S3 through boto3 and the aws CLI (v1 and v2): ExportTableToPointInTime
(full and incremental, read back by a small reader written from AWS's description of the output
format), DescribeExport / ListExports, ImportTable from DYNAMODB_JSON (an export re-imported) and
CSV sources, plain and gzip, per-item errors and their report object, bucket owners and policies,
encryption, client tokens and the modelled errors. docs/dynamodb.md "## Export and import"."""
import base64
import gzip
import hashlib
import json
import shutil
import subprocess
import unittest

import botocore.exceptions

from ddb_support import create_table
from localaws_support import AWS_CLIS, LocalAws

SECOND = "111122223333"
ACCOUNTS = [{"accessKeyId": "test", "secretAccessKey": "test", "accountId": "000000000000"},
            {"accessKeyId": "other", "secretAccessKey": "other", "accountId": SECOND}]
GSI = {"IndexName": "by_g", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
       "Projection": {"ProjectionType": "ALL"}}


def code_of(resp):
    return resp["Error"]["Code"]


def wire(v):
    """A boto3 (low-level client) AttributeValue in the JSON form DynamoDB and its exports use."""
    (t, x), = v.items()
    if t == "B":
        return {"B": base64.b64encode(x).decode()}
    if t == "BS":
        return {"BS": sorted(base64.b64encode(b).decode() for b in x)}
    if t in ("SS", "NS"):
        return {t: sorted(x)}
    if t == "M":
        return {"M": {k: wire(e) for k, e in x.items()}}
    if t == "L":
        return {"L": [wire(e) for e in x]}
    return {t: x}


def wire_item(item):
    return {k: wire(v) for k, v in item.items()}


def canon(item):
    """Sets in a stable order, for comparing items read from an export."""
    def norm(v):
        (t, x), = v.items()
        if t in ("SS", "NS", "BS"):
            return {t: sorted(x)}
        if t == "M":
            return {"M": {k: norm(e) for k, e in x.items()}}
        if t == "L":
            return {"L": [norm(e) for e in x]}
        return v
    return {k: norm(v) for k, v in item.items()}


def key_of(item):
    return json.dumps([item["pk"], item.get("sk")], sort_keys=True)


class ExportReader:
    """Reads an export as AWS documents it: manifest-summary.json, then the JSON lines of
    manifest-files.json, then each gzip data file, checking its MD5 and ETag."""

    def __init__(self, test, s3, bucket, manifest_key):
        self.test, self.s3, self.bucket = test, s3, bucket
        self.summary = json.loads(self.get(manifest_key))
        files = self.get(self.summary["manifestFilesS3Key"]).decode()
        self.files = [json.loads(line) for line in files.splitlines() if line.strip()]

    def get(self, key):
        return self.s3.get_object(Bucket=self.bucket, Key=key)["Body"].read()

    def records(self):
        out = []
        for f in self.files:
            head = self.s3.head_object(Bucket=self.bucket, Key=f["dataFileS3Key"])
            raw = self.get(f["dataFileS3Key"])
            self.test.assertEqual(base64.b64encode(hashlib.md5(raw).digest()).decode(), f["md5Checksum"])
            self.test.assertEqual(head["ETag"].strip('"'), f["etag"])
            lines = [json.loads(line) for line in gzip.decompress(raw).decode().splitlines() if line]
            self.test.assertEqual(len(lines), f["itemCount"])
            out += lines
        self.test.assertEqual(len(out), self.summary["itemCount"])
        return out


class ExportImportTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = LocalAws(in_memory=True, accounts=ACCOUNTS).start()
        cls.ddb = cls.server.boto3_client("dynamodb")
        cls.s3 = cls.server.boto3_client("s3")
        cls.s3b = cls.server.boto3_client("s3", access_key="other", secret_key="other")
        cls.s3.create_bucket(Bucket="exports")
        create_table(cls.ddb, "items", keys=(("pk", "S"), ("sk", "N")), extra_defs=(("g", "S"),),
                     GlobalSecondaryIndexes=[GSI])
        cls.pitr("items")
        for i in range(30):
            cls.ddb.put_item(TableName="items", Item={
                "pk": {"S": "p%d" % (i % 4)}, "sk": {"N": str(i)}, "g": {"S": "g%d" % (i % 3)},
                "n": {"N": "%d.50" % i}, "b": {"B": bytes([i, 255, 0])}, "ss": {"SS": ["x", "y%d" % i]},
                "ns": {"NS": ["1", str(i + 2)]}, "bs": {"BS": [b"\x01", bytes([i + 2])]},
                "m": {"M": {"deep": {"L": [{"S": "a"}, {"BOOL": True}, {"NULL": True}]}}}})
        cls.table_arn = cls.ddb.describe_table(TableName="items")["Table"]["TableArn"]

    @classmethod
    def tearDownClass(cls):
        cls.server.close()

    @classmethod
    def pitr(cls, table):
        cls.ddb.update_continuous_backups(TableName=table,
                                          PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True})

    def clock(self, **body):
        status, _, out = self.server.request("POST", "/_localaws/clock", json.dumps(body).encode())
        self.assertEqual(status, 200, out)

    def now(self):
        _, _, out = self.server.request("GET", "/_localaws/clock")
        return json.loads(out)["epochMillis"] / 1000.0

    def error(self, fn, **kw):
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            fn(**kw)
        return cm.exception.response

    def scan(self, table):
        items, kw = [], {}
        while True:
            page = self.ddb.scan(TableName=table, **kw)
            items += page["Items"]
            if "LastEvaluatedKey" not in page:
                return sorted((canon(wire_item(i)) for i in items), key=key_of)
            kw["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    def export(self, **kw):
        args = {"TableArn": self.table_arn, "S3Bucket": "exports", **kw}
        return self.ddb.export_table_to_point_in_time(**args)["ExportDescription"]

    def put_text(self, key, text, compress=False, bucket="exports"):
        body = text.encode()
        self.s3.put_object(Bucket=bucket, Key=key, Body=gzip.compress(body) if compress else body)

    def import_(self, prefix, fmt="DYNAMODB_JSON", table="imported", keys=(("pk", "S"), ("sk", "N")), **kw):
        defs = [{"AttributeName": n, "AttributeType": t} for n, t in keys]
        schema = [{"AttributeName": n, "KeyType": kt} for (n, _), kt in zip(keys, ("HASH", "RANGE"))]
        params = {"TableName": table, "AttributeDefinitions": defs, "KeySchema": schema,
                  "BillingMode": "PAY_PER_REQUEST", **kw.pop("creation", {})}
        return self.ddb.import_table(S3BucketSource={"S3Bucket": kw.pop("bucket", "exports"), "S3KeyPrefix": prefix},
                                     InputFormat=fmt, TableCreationParameters=params, **kw)["ImportTableDescription"]

    # --- exports -------------------------------------------------------------------------

    def test_full_export_layout_and_items(self):
        d = self.export(S3Prefix="snap")
        self.assertEqual(d["ExportStatus"], "COMPLETED")
        self.assertRegex(d["ExportArn"], r"^arn:aws:dynamodb:us-east-1:000000000000:table/items/export/\d{14}-[0-9a-f]{8}$")
        export_id = d["ExportArn"].rsplit("/", 1)[1]
        self.assertEqual(d["ExportManifest"], "snap/AWSDynamoDB/%s/manifest-summary.json" % export_id)
        self.assertEqual((d["ItemCount"], d["ExportFormat"], d["ExportType"], d["S3BucketOwner"], d["S3Prefix"]),
                         (30, "DYNAMODB_JSON", "FULL_EXPORT", "000000000000", "snap"))
        self.assertGreater(d["BilledSizeBytes"], 0)
        self.assertEqual(self.ddb.describe_export(ExportArn=d["ExportArn"])["ExportDescription"], d)
        keys = [o["Key"] for o in self.s3.list_objects_v2(Bucket="exports", Prefix="snap/AWSDynamoDB/%s/" % export_id)["Contents"]]
        base = "snap/AWSDynamoDB/%s/" % export_id
        for name in ("_started", "manifest-summary.json", "manifest-files.json", "manifest-summary.checksum",
                     "manifest-files.checksum"):
            self.assertIn(base + name, keys)
        data = [k for k in keys if k.startswith(base + "data/")]
        self.assertEqual(len(data), 1)
        self.assertRegex(data[0], r"/data/[a-z2-7]{26}\.json\.gz$")
        self.assertEqual(self.s3.head_object(Bucket="exports", Key=base + "_started")["ContentLength"], 0)
        r = ExportReader(self, self.s3, "exports", d["ExportManifest"])
        s = r.summary
        self.assertEqual((s["version"], s["exportArn"], s["tableArn"], s["tableId"], s["s3Bucket"], s["s3Prefix"],
                          s["outputFormat"], s["itemCount"], s["billedSizeBytes"]),
                         ("2020-06-30", d["ExportArn"], self.table_arn, d["TableId"], "exports", "snap",
                          "DYNAMODB_JSON", 30, d["BilledSizeBytes"]))
        self.assertEqual(s["manifestFilesS3Key"], base + "manifest-files.json")
        for t in ("startTime", "endTime", "exportTime"):
            self.assertRegex(s[t], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
        records = r.records()
        self.assertTrue(all(list(rec) == ["Item"] for rec in records))
        self.assertEqual(sorted((canon(rec["Item"]) for rec in records), key=key_of), self.scan("items"))
        summary_text = r.get(base + "manifest-summary.json")
        self.assertEqual(r.get(base + "manifest-summary.checksum").decode(), hashlib.md5(summary_text).hexdigest())

    def test_export_at_an_earlier_time(self):
        create_table(self.ddb, "timed")
        self.pitr("timed")
        arn = self.ddb.describe_table(TableName="timed")["Table"]["TableArn"]
        self.ddb.put_item(TableName="timed", Item={"pk": {"S": "a"}, "v": {"N": "1"}})
        self.clock(advance="2m")
        then = self.now()
        self.clock(advance="2m")
        self.ddb.put_item(TableName="timed", Item={"pk": {"S": "a"}, "v": {"N": "2"}})
        self.ddb.put_item(TableName="timed", Item={"pk": {"S": "b"}})
        d = self.export(TableArn=arn, ExportTime=then, S3Prefix="timed")
        self.assertEqual(d["ItemCount"], 1)
        records = ExportReader(self, self.s3, "exports", d["ExportManifest"]).records()
        self.assertEqual(records, [{"Item": {"pk": {"S": "a"}, "v": {"N": "1"}}}])
        # A whole second (what a datetime becomes on the wire) is the table at the end of it.
        d = self.export(TableArn=arn, ExportTime=int(then), S3Prefix="timed")
        self.assertEqual(d["ExportTime"].timestamp(), int(then))
        self.assertEqual(ExportReader(self, self.s3, "exports", d["ExportManifest"]).records(), records)

    def test_incremental_export(self):
        create_table(self.ddb, "inc")
        self.pitr("inc")
        arn = self.ddb.describe_table(TableName="inc")["Table"]["TableArn"]
        for k in "abc":
            self.ddb.put_item(TableName="inc", Item={"pk": {"S": k}, "v": {"N": "1"}})
        self.clock(advance="1m")
        start = self.now()
        self.ddb.put_item(TableName="inc", Item={"pk": {"S": "a"}, "v": {"N": "2"}})
        self.ddb.delete_item(TableName="inc", Key={"pk": {"S": "b"}})
        self.ddb.put_item(TableName="inc", Item={"pk": {"S": "d"}, "v": {"N": "4"}})
        self.ddb.put_item(TableName="inc", Item={"pk": {"S": "e"}})
        self.ddb.delete_item(TableName="inc", Key={"pk": {"S": "e"}})  # in and out of the window: absent
        self.clock(advance="20m")
        end = self.now()
        self.ddb.put_item(TableName="inc", Item={"pk": {"S": "c"}, "v": {"N": "9"}})  # after the window
        spec = {"ExportFromTime": start, "ExportToTime": end}
        d = self.export(TableArn=arn, S3Prefix="inc", ExportType="INCREMENTAL_EXPORT",
                        IncrementalExportSpecification=spec)
        self.assertEqual((d["ExportStatus"], d["ExportType"], d["ItemCount"]), ("COMPLETED", "INCREMENTAL_EXPORT", 3))
        self.assertEqual(d["IncrementalExportSpecification"]["ExportViewType"], "NEW_AND_OLD_IMAGES")
        self.assertNotIn("ExportTime", d)
        r = ExportReader(self, self.s3, "exports", d["ExportManifest"])
        self.assertEqual((r.summary["exportType"], r.summary["outputView"]), ("INCREMENTAL_EXPORT", "NEW_AND_OLD_IMAGES"))
        self.assertIn("exportFromTime", r.summary)
        self.assertTrue(all(f["dataFileS3Key"].startswith("inc/AWSDynamoDB/data/") for f in r.files))
        recs = {rec["Keys"]["pk"]["S"]: rec for rec in r.records()}
        self.assertEqual(sorted(recs), ["a", "b", "d"])
        for rec in recs.values():
            micros = int(rec["Metadata"]["WriteTimestampMicros"]["N"])
            self.assertTrue(start * 1e6 <= micros < end * 1e6, (start, micros, end))
        self.assertEqual((recs["a"]["NewImage"]["v"], recs["a"]["OldImage"]["v"]), ({"N": "2"}, {"N": "1"}))
        self.assertEqual(sorted(recs["b"]), ["Keys", "Metadata", "OldImage"])
        self.assertEqual(sorted(recs["d"]), ["Keys", "Metadata", "NewImage"])
        d2 = self.export(TableArn=arn, S3Prefix="inc", ExportType="INCREMENTAL_EXPORT",
                         IncrementalExportSpecification={**spec, "ExportViewType": "NEW_IMAGE"})
        recs = {rec["Keys"]["pk"]["S"]: rec for rec in ExportReader(self, self.s3, "exports", d2["ExportManifest"]).records()}
        self.assertEqual(sorted(recs["a"]), ["Keys", "Metadata", "NewImage"])
        self.assertEqual(sorted(recs["b"]), ["Keys", "Metadata"])
        short = self.error(self.ddb.export_table_to_point_in_time, TableArn=arn, S3Bucket="exports",
                           ExportType="INCREMENTAL_EXPORT",
                           IncrementalExportSpecification={"ExportFromTime": start, "ExportToTime": start + 60})
        self.assertEqual(code_of(short), "ValidationException")

    def test_export_errors(self):
        create_table(self.ddb, "nopitr")
        arn = self.ddb.describe_table(TableName="nopitr")["Table"]["TableArn"]
        e = self.error(self.ddb.export_table_to_point_in_time, TableArn=arn, S3Bucket="exports")
        self.assertEqual(code_of(e), "PointInTimeRecoveryUnavailableException")
        e = self.error(self.ddb.export_table_to_point_in_time, TableArn=self.table_arn + "x", S3Bucket="exports")
        self.assertEqual(code_of(e), "TableNotFoundException")
        e = self.error(self.ddb.export_table_to_point_in_time, TableArn=self.table_arn, S3Bucket="exports",
                       ExportTime=self.now() - 86400 * 40)
        self.assertEqual(code_of(e), "InvalidExportTimeException")
        e = self.error(self.ddb.export_table_to_point_in_time, TableArn=self.table_arn, S3Bucket="exports",
                       ExportTime=self.now() + 3600)
        self.assertEqual(code_of(e), "InvalidExportTimeException")
        e = self.error(self.ddb.export_table_to_point_in_time, TableArn=self.table_arn, S3Bucket="exports",
                       ExportFormat="CSV")
        self.assertEqual(code_of(e), "ValidationException")
        e = self.error(self.ddb.describe_export, ExportArn=self.table_arn + "/export/01234567890123-abcdef01")
        self.assertEqual(code_of(e), "ExportNotFoundException")
        d = self.export(S3Bucket="no-such-bucket")
        self.assertEqual((d["ExportStatus"], d["FailureCode"]), ("FAILED", "S3NoSuchBucket"))
        self.assertNotIn("ExportManifest", d)

    def test_bucket_owner_policy_and_encryption(self):
        self.s3b.create_bucket(Bucket="theirs")
        d = self.export(S3Bucket="theirs", S3Prefix="x")
        self.assertEqual((d["ExportStatus"], d["FailureCode"]), ("FAILED", "S3AccessDenied"))
        self.assertNotIn("Contents", self.s3b.list_objects_v2(Bucket="theirs"))
        d = self.export(S3Bucket="exports", S3BucketOwner=SECOND)
        self.assertEqual((d["ExportStatus"], d["FailureCode"]), ("FAILED", "S3AccessDenied"))
        policy = {"Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::000000000000:root"}, "Action": "s3:PutObject",
            "Resource": "arn:aws:s3:::theirs/allowed/*"}]}
        self.s3b.put_bucket_policy(Bucket="theirs", Policy=json.dumps(policy))
        d = self.export(S3Bucket="theirs", S3BucketOwner=SECOND, S3Prefix="allowed", S3SseAlgorithm="KMS")
        self.assertEqual((d["ExportStatus"], d["S3BucketOwner"], d["S3SseAlgorithm"]), ("COMPLETED", SECOND, "KMS"))
        head = self.s3b.head_object(Bucket="theirs", Key=d["ExportManifest"])
        self.assertEqual(head["ServerSideEncryption"], "aws:kms")
        self.assertIn("SSEKMSKeyId", head)
        d = self.export(S3Bucket="theirs", S3Prefix="elsewhere")
        self.assertEqual(d["FailureCode"], "S3AccessDenied")
        d = self.export(S3Prefix="aes", S3SseAlgorithm="AES256")
        self.assertEqual(self.s3.head_object(Bucket="exports", Key=d["ExportManifest"])["ServerSideEncryption"], "AES256")

    def test_client_token_and_listing(self):
        create_table(self.ddb, "listed")
        self.pitr("listed")
        arn = self.ddb.describe_table(TableName="listed")["Table"]["TableArn"]
        first = self.export(TableArn=arn, ClientToken="tok-1", S3Prefix="l")
        again = self.export(TableArn=arn, ClientToken="tok-1", S3Prefix="l")
        self.assertEqual(first["ExportArn"], again["ExportArn"])
        e = self.error(self.ddb.export_table_to_point_in_time, TableArn=arn, S3Bucket="exports", ClientToken="tok-1",
                       S3Prefix="other")
        self.assertEqual(code_of(e), "ExportConflictException")
        arns = [first["ExportArn"]] + [self.export(TableArn=arn, S3Prefix="l")["ExportArn"] for _ in range(4)]
        listed, token = [], None
        while True:
            kw = {"NextToken": token} if token else {}
            page = self.ddb.list_exports(TableArn=arn, MaxResults=2, **kw)
            self.assertLessEqual(len(page["ExportSummaries"]), 2)
            listed += page["ExportSummaries"]
            token = page.get("NextToken")
            if not token:
                break
        self.assertEqual([s["ExportArn"] for s in listed], arns[::-1])  # newest first
        self.assertEqual(listed[0], {"ExportArn": arns[-1], "ExportStatus": "COMPLETED", "ExportType": "FULL_EXPORT"})
        self.assertGreater(len(self.ddb.list_exports()["ExportSummaries"]), 5)
        e = self.error(self.ddb.list_exports, MaxResults=26)
        self.assertEqual(code_of(e), "ValidationException")

    # --- imports -------------------------------------------------------------------------

    def test_import_an_export(self):
        d = self.export(S3Prefix="round")
        export_dir = d["ExportManifest"].rsplit("/", 1)[0] + "/"
        imp = self.import_(export_dir, table="reimported", InputCompressionType="GZIP",
                           creation={"AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"},
                                                              {"AttributeName": "sk", "AttributeType": "N"},
                                                              {"AttributeName": "g", "AttributeType": "S"}],
                                     "GlobalSecondaryIndexes": [GSI]})
        self.assertEqual((imp["ImportStatus"], imp["ImportedItemCount"], imp["ProcessedItemCount"], imp["ErrorCount"]),
                         ("COMPLETED", 30, 30, 0))
        self.assertRegex(imp["ImportArn"], r"^arn:aws:dynamodb:us-east-1:000000000000:table/reimported/import/\d{14}-[0-9a-f]{8}$")
        self.assertGreater(imp["ProcessedSizeBytes"], 0)
        self.assertEqual(imp["S3BucketSource"], {"S3Bucket": "exports", "S3KeyPrefix": export_dir,
                                                 "S3BucketOwner": "000000000000"})
        self.assertEqual(self.scan("reimported"), self.scan("items"))
        q = self.ddb.query(TableName="reimported", IndexName="by_g", KeyConditionExpression="g = :g",
                           ExpressionAttributeValues={":g": {"S": "g1"}})
        self.assertEqual(q["Count"], 10)
        self.assertEqual(self.ddb.describe_import(ImportArn=imp["ImportArn"])["ImportTableDescription"], imp)
        self.assertEqual(self.ddb.describe_table(TableName="reimported")["Table"]["TableId"], imp["TableId"])

    def test_ion_export_and_import(self):
        d = self.export(S3Prefix="ion", ExportFormat="ION")
        self.assertEqual((d["ExportStatus"], d["ExportFormat"]), ("COMPLETED", "ION"))
        r = ExportReader(self, self.s3, "exports", d["ExportManifest"])
        self.assertEqual(r.summary["outputFormat"], "ION")
        self.assertTrue(r.files[0]["dataFileS3Key"].endswith(".ion.gz"))
        lines = gzip.decompress(r.get(r.files[0]["dataFileS3Key"])).decode().splitlines()
        self.assertEqual(len(lines), 30)
        self.assertTrue(all(line.startswith("$ion_1_0 {Item:{") for line in lines))
        self.assertIn('ss:$dynamodb_SS::["x",', lines[0])
        self.assertRegex(lines[0], r"sk:\d+\.[,}]")      # numbers are Ion decimals
        self.assertRegex(lines[0], r"b:\{\{[A-Za-z0-9+/=]+\}\}")  # binary is a blob
        imp = self.import_(d["ExportManifest"].rsplit("/", 1)[0] + "/", fmt="ION", table="ion-round",
                           InputCompressionType="GZIP")
        self.assertEqual((imp["ImportStatus"], imp["ImportedItemCount"]), ("COMPLETED", 30))
        self.assertEqual(self.scan("ion-round"), self.scan("items"))
        # The example item of AWS's format page, written by hand.
        self.put_text("ion-hand/book.ion",
                      '$ion_1_0 {Item:{Authors:$dynamodb_SS::["Author1","Author2"],Dimensions:"8.5 x 11.0 x 1.5",'
                      'ISBN:"333-3333333333",Id:103.,InPublication:false,PageCount:6d2,Price:2d3,'
                      'ProductCategory:"Book",Title:"Book 103 Title"}}\n'
                      '$ion_1_0 {Item:{Id:104., \'odd name\':{{aGk=}}, tags:[1.5e0, null, {a:"b"}]}} // comment\n'
                      '$ion_1_0 {Item:{Id:"oops"}}\n')
        imp = self.import_("ion-hand/", fmt="ION", table="ion-hand", keys=(("Id", "N"),))
        self.assertEqual((imp["ErrorCount"], imp["ImportedItemCount"]), (1, 2))
        book = self.ddb.get_item(TableName="ion-hand", Key={"Id": {"N": "103"}})["Item"]
        self.assertEqual(wire_item(book), {
            "Authors": {"SS": ["Author1", "Author2"]}, "Dimensions": {"S": "8.5 x 11.0 x 1.5"},
            "ISBN": {"S": "333-3333333333"}, "Id": {"N": "103"}, "InPublication": {"BOOL": False},
            "PageCount": {"N": "600"}, "Price": {"N": "2000"}, "ProductCategory": {"S": "Book"},
            "Title": {"S": "Book 103 Title"}})
        other = self.ddb.get_item(TableName="ion-hand", Key={"Id": {"N": "104"}})["Item"]
        self.assertEqual(wire_item(other)["odd name"], {"B": "aGk="})
        self.assertEqual(wire_item(other)["tags"], {"L": [{"N": "1.5"}, {"NULL": True}, {"M": {"a": {"S": "b"}}}]})

    def test_csv_imports(self):
        self.put_text("csv/plain/a.csv", 'id,name,n\n1,"Smith, Ann",7\n2,Bob,\n')
        imp = self.import_("csv/plain/", fmt="CSV", table="csv1", keys=(("id", "N"),))
        self.assertEqual((imp["ImportStatus"], imp["ImportedItemCount"]), ("COMPLETED", 2))
        items = {i["id"]["N"]: i for i in self.ddb.scan(TableName="csv1")["Items"]}
        self.assertEqual(items["1"], {"id": {"N": "1"}, "name": {"S": "Smith, Ann"}, "n": {"S": "7"}})
        self.assertEqual(items["2"], {"id": {"N": "2"}, "name": {"S": "Bob"}})
        self.put_text("csv/gz/part1.csv.gz", "k1;x\nk2;y\n", compress=True)
        self.put_text("csv/gz/part2.csv.gz", "k3;z\n", compress=True)
        imp = self.import_("csv/gz/", fmt="CSV", table="csv2", keys=(("pk", "S"),), InputCompressionType="GZIP",
                           InputFormatOptions={"Csv": {"Delimiter": ";", "HeaderList": ["pk", "v"]}})
        self.assertEqual((imp["ImportStatus"], imp["ImportedItemCount"], imp["InputFormat"]), ("COMPLETED", 3, "CSV"))
        self.assertEqual(imp["InputFormatOptions"], {"Csv": {"Delimiter": ";", "HeaderList": ["pk", "v"]}})
        self.assertEqual(self.ddb.get_item(TableName="csv2", Key={"pk": {"S": "k3"}})["Item"],
                         {"pk": {"S": "k3"}, "v": {"S": "z"}})
        self.put_text("json/none/x.json", '{"Item": {"pk": {"S": "a"}, "sk": {"N": "1"}}}\n'
                                          '{"Item": {"pk": {"S": "b"}, "sk": {"N": "2"}, "l": {"L": [{"N": "3"}]}}}\n')
        imp = self.import_("json/none/", table="plainjson")
        self.assertEqual((imp["ImportStatus"], imp["ImportedItemCount"], imp["InputCompressionType"]),
                         ("COMPLETED", 2, "NONE"))

    @unittest.skipUnless(shutil.which("zstd"), "needs the zstd command")
    def test_zstd_import(self):
        text = "".join('{"Item": {"pk": {"S": "z%d"}, "sk": {"N": "%d"}, "pad": {"S": "%s"}}}\n' % (i, i, "x" * 500)
                       for i in range(300))
        body = subprocess.run(["zstd", "-c", "-q"], input=text.encode(), capture_output=True, check=True).stdout
        self.s3.put_object(Bucket="exports", Key="zstd/part.json.zst", Body=body)
        imp = self.import_("zstd/", table="zstdtable", InputCompressionType="ZSTD")
        self.assertEqual((imp["ImportStatus"], imp["ImportedItemCount"], imp["ProcessedSizeBytes"]),
                         ("COMPLETED", 300, len(text)))
        self.s3.put_object(Bucket="exports", Key="zstd-bad/part.json.zst", Body=body[:-10])
        imp = self.import_("zstd-bad/", table="zstdbad", InputCompressionType="ZSTD")
        self.assertEqual((imp["ImportStatus"], imp["ErrorCount"]), ("FAILED", 1))

    def test_bad_lines_error_count_and_report(self):
        lines = ['{"Item": {"pk": {"S": "ok1"}, "sk": {"N": "1"}}}',
                 'this is not json',
                 '{"Item": {"sk": {"N": "2"}}}',
                 '{"Item": {"pk": {"N": "3"}, "sk": {"N": "3"}}}',
                 '{"Item": {"pk": {"S": "ok2"}, "sk": {"N": "4"}}}']
        self.put_text("bad/data.json", "\n".join(lines) + "\n")
        imp = self.import_("bad/", table="badlines")
        self.assertEqual((imp["ImportStatus"], imp["FailureCode"]), ("FAILED", "ItemValidationError"))
        self.assertEqual((imp["ErrorCount"], imp["ProcessedItemCount"], imp["ImportedItemCount"]), (3, 5, 2))
        self.assertEqual(len(self.ddb.scan(TableName="badlines")["Items"]), 2)  # the table stays, as on AWS
        import_id = imp["ImportArn"].rsplit("/", 1)[1]
        report = self.s3.get_object(Bucket="exports", Key="AWSDynamoDB/imports/%s/error.json" % import_id)
        errors = [json.loads(line) for line in report["Body"].read().decode().splitlines()]
        self.assertEqual([e["itemS3Pointer"]["itemIndex"] for e in errors], [1, 2, 3])
        self.assertEqual(errors[1]["itemS3Pointer"], {"bucket": "exports", "key": "bad/data.json", "itemIndex": 2})
        self.assertEqual(errors[1]["importArn"], imp["ImportArn"])
        self.assertIn("Missing the key pk", errors[1]["errorMessages"][0])
        self.assertIn("Type mismatch", errors[2]["errorMessages"][0])

    def test_import_errors_token_and_listing(self):
        e = self.error(self.ddb.import_table, S3BucketSource={"S3Bucket": "exports"}, InputFormat="CSV",
                       TableCreationParameters={"TableName": "items", "BillingMode": "PAY_PER_REQUEST",
                                                "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
                                                "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}]})
        self.assertEqual((code_of(e), e["Error"]["Message"]), ("ResourceInUseException", "Table already exists: items"))
        e = self.error(self.ddb.describe_import, ImportArn=self.table_arn + "/import/01234567890123-abcdef01")
        self.assertEqual(code_of(e), "ImportNotFoundException")
        imp = self.import_("x/", bucket="missing-bucket", table="never")
        self.assertEqual((imp["ImportStatus"], imp["FailureCode"]), ("FAILED", "S3NoSuchBucket"))
        self.assertNotIn("never", self.ddb.list_tables()["TableNames"])
        self.s3b.create_bucket(Bucket="private-src")
        imp = self.import_("x/", bucket="private-src", table="never2")
        self.assertEqual(imp["FailureCode"], "S3AccessDenied")
        self.put_text("tok/a.json", '{"Item": {"pk": {"S": "a"}, "sk": {"N": "1"}}}\n')
        one = self.import_("tok/", table="tok1", ClientToken="same")
        two = self.import_("tok/", table="tok1", ClientToken="same")
        self.assertEqual(one["ImportArn"], two["ImportArn"])
        e = self.error(self.import_, prefix="tok/", table="tok2", ClientToken="same")
        self.assertEqual(code_of(e), "ImportConflictException")
        arns = [self.import_("tok/", table="tok-%d" % i)["ImportArn"] for i in range(3)]
        page = self.ddb.list_imports(PageSize=2)
        self.assertEqual([s["ImportArn"] for s in page["ImportSummaryList"]], arns[::-1][:2])
        rest = self.ddb.list_imports(PageSize=2, NextToken=page["NextToken"])
        self.assertEqual(rest["ImportSummaryList"][0]["ImportArn"], arns[0])
        only = self.ddb.list_imports(TableArn=one["TableArn"])["ImportSummaryList"]
        self.assertEqual(len(only), 1)
        self.assertEqual(sorted(only[0]), ["CloudWatchLogGroupArn", "EndTime", "ImportArn", "ImportStatus",
                                           "InputFormat", "S3BucketSource", "StartTime", "TableArn"])

    def test_aws_cli(self):
        for label, exe in AWS_CLIS:
            if shutil.which(exe):
                with self.subTest(cli=label):
                    self.cli_round_trip(exe, "cli-imported-" + label)

    def cli_round_trip(self, exe, table):
        cli = lambda *a: self.server.aws_json(*a, exe=exe)  # noqa: E731
        out = cli("dynamodb", "export-table-to-point-in-time", "--table-arn", self.table_arn,
                  "--s3-bucket", "exports", "--s3-prefix", "cli")
        arn = out["ExportDescription"]["ExportArn"]
        self.assertEqual(out["ExportDescription"]["ExportStatus"], "COMPLETED")
        d = cli("dynamodb", "describe-export", "--export-arn", arn)
        self.assertEqual(d["ExportDescription"]["ItemCount"], 30)
        listed = cli("dynamodb", "list-exports", "--table-arn", self.table_arn)
        self.assertIn(arn, [s["ExportArn"] for s in listed["ExportSummaries"]])
        prefix = d["ExportDescription"]["ExportManifest"].rsplit("/", 1)[0] + "/data/"
        imp = cli("dynamodb", "import-table", "--s3-bucket-source", "S3Bucket=exports,S3KeyPrefix=" + prefix,
                  "--input-format", "DYNAMODB_JSON", "--input-compression-type", "GZIP",
                  "--table-creation-parameters",
                  json.dumps({"TableName": table, "BillingMode": "PAY_PER_REQUEST",
                              "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"},
                                                       {"AttributeName": "sk", "AttributeType": "N"}],
                              "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"},
                                            {"AttributeName": "sk", "KeyType": "RANGE"}]}))
        self.assertEqual(imp["ImportTableDescription"]["ImportedItemCount"], 30)
        listed = cli("dynamodb", "list-imports")
        self.assertIn(imp["ImportTableDescription"]["ImportArn"], [s["ImportArn"] for s in listed["ImportSummaryList"]])
        d = cli("dynamodb", "describe-import", "--import-arn", imp["ImportTableDescription"]["ImportArn"])
        self.assertEqual(d["ImportTableDescription"]["ImportStatus"], "COMPLETED")


class ResetTest(unittest.TestCase):
    def test_reset_drops_jobs(self):
        with LocalAws(in_memory=True) as server:
            ddb, s3 = server.boto3_client("dynamodb"), server.boto3_client("s3")
            s3.create_bucket(Bucket="reset-bucket")
            create_table(ddb, "reset-table")
            ddb.update_continuous_backups(TableName="reset-table",
                                          PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True})
            arn = ddb.describe_table(TableName="reset-table")["Table"]["TableArn"]
            ddb.export_table_to_point_in_time(TableArn=arn, S3Bucket="reset-bucket")
            self.assertEqual(len(ddb.list_exports()["ExportSummaries"]), 1)
            status, _, _ = server.request("POST", "/_localaws/reset", b"")
            self.assertEqual(status, 200)
            self.assertEqual(ddb.list_exports()["ExportSummaries"], [])
            self.assertEqual(ddb.list_imports()["ImportSummaryList"], [])


if __name__ == "__main__":
    unittest.main()
