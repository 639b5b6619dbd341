"""DynamoDB on-demand backups through boto3: CreateBackup / DescribeBackup / ListBackups /
DeleteBackup / RestoreTableFromBackup (items, GSI and LSI, overrides, errors), backups on the
emulator clock, surviving a restart and dropped by /_localaws/reset; and the read-only operations
tools call on every table (DescribeContinuousBackups, Contributor Insights, Kinesis destinations,
replica auto scaling, global tables, exports, imports). docs/dynamodb.md "## Backups"."""
import datetime
import json
import unittest

from ddb_support import DdbTestCase, create_table
from localaws_support import LocalAws

GSI = {"IndexName": "by_g", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
       "Projection": {"ProjectionType": "ALL"}}
LSI = {"IndexName": "by_l", "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"},
                                          {"AttributeName": "l", "KeyType": "RANGE"}],
       "Projection": {"ProjectionType": "KEYS_ONLY"}}


def code_of(resp):
    return resp["Error"]["Code"]


class BackupsTest(DdbTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        create_table(cls.ddb, "src", keys=(("pk", "S"), ("sk", "N")), extra_defs=(("g", "S"), ("l", "S")),
                     GlobalSecondaryIndexes=[GSI], LocalSecondaryIndexes=[LSI],
                     StreamSpecification={"StreamEnabled": True, "StreamViewType": "KEYS_ONLY"})
        for i in range(25):
            cls.ddb.put_item(TableName="src", Item={"pk": {"S": "p%d" % (i % 5)}, "sk": {"N": str(i)},
                                                    "g": {"S": "g%d" % (i % 3)}, "l": {"S": "l%02d" % i}})
        cls.ddb.update_time_to_live(TableName="src", TimeToLiveSpecification={"Enabled": True, "AttributeName": "exp"})

    def test_create_describe_and_restore(self):
        count = self.ddb.describe_table(TableName="src")["Table"]["ItemCount"]
        details = self.ddb.create_backup(TableName="src", BackupName="nightly")["BackupDetails"]
        arn = details["BackupArn"]
        self.assertRegex(arn, r"^arn:aws:dynamodb:us-east-1:000000000000:table/src/backup/\d{14}-[0-9a-f]{8}$")
        self.assertEqual((details["BackupName"], details["BackupType"], details["BackupStatus"]),
                         ("nightly", "USER", "CREATING"))
        self.assertIsInstance(details["BackupCreationDateTime"], datetime.datetime)
        # Writes after the backup are not in it.
        self.ddb.put_item(TableName="src", Item={"pk": {"S": "late"}, "sk": {"N": "1"}})
        d = self.ddb.describe_backup(BackupArn=arn)["BackupDescription"]
        self.assertEqual(d["BackupDetails"]["BackupStatus"], "AVAILABLE")
        self.assertGreater(d["BackupDetails"]["BackupSizeBytes"], 0)
        src = d["SourceTableDetails"]
        table = self.ddb.describe_table(TableName="src")["Table"]
        self.assertEqual((src["TableName"], src["TableId"], src["TableArn"], src["ItemCount"], src["BillingMode"]),
                         ("src", table["TableId"], table["TableArn"], count, "PAY_PER_REQUEST"))
        self.assertEqual(src["KeySchema"], table["KeySchema"])
        self.assertEqual(src["ProvisionedThroughput"], {"ReadCapacityUnits": 0, "WriteCapacityUnits": 0})
        features = d["SourceTableFeatureDetails"]
        self.assertEqual([i["IndexName"] for i in features["GlobalSecondaryIndexes"]], ["by_g"])
        self.assertEqual(features["LocalSecondaryIndexes"][0]["Projection"], {"ProjectionType": "KEYS_ONLY"})
        self.assertEqual(features["StreamDescription"], {"StreamEnabled": True, "StreamViewType": "KEYS_ONLY"})
        self.assertEqual(features["TimeToLiveDescription"], {"TimeToLiveStatus": "ENABLED", "AttributeName": "exp"})

        out = self.ddb.restore_table_from_backup(TargetTableName="restored", BackupArn=arn)["TableDescription"]
        self.assertEqual(out["RestoreSummary"]["SourceBackupArn"], arn)
        self.assertEqual(out["RestoreSummary"]["SourceTableArn"], table["TableArn"])
        self.assertFalse(out["RestoreSummary"]["RestoreInProgress"])
        self.assertNotEqual(out["TableId"], table["TableId"])
        self.assertEqual(out["ItemCount"], count)
        self.assertNotIn("StreamSpecification", out)  # AWS: streams, TTL, tags are set again by hand
        self.assertEqual(self.ddb.describe_time_to_live(TableName="restored")["TimeToLiveDescription"],
                         {"TimeToLiveStatus": "DISABLED"})
        items = self.ddb.scan(TableName="restored")["Items"]
        self.assertEqual(len(items), count)
        self.assertNotIn({"S": "late"}, [i["pk"] for i in items])
        q = self.ddb.query(TableName="restored", IndexName="by_g", KeyConditionExpression="g = :g",
                           ExpressionAttributeValues={":g": {"S": "g1"}})
        self.assertEqual(q["Count"], 8)
        q = self.ddb.query(TableName="restored", IndexName="by_l", KeyConditionExpression="pk = :p AND l > :l",
                           ExpressionAttributeValues={":p": {"S": "p0"}, ":l": {"S": "l05"}})
        self.assertEqual([i["sk"]["N"] for i in q["Items"]], ["10", "15", "20"])
        restored = self.ddb.describe_table(TableName="restored")["Table"]
        self.assertEqual(restored["RestoreSummary"], out["RestoreSummary"])
        gsi = restored["GlobalSecondaryIndexes"][0]
        self.assertEqual(gsi["ItemCount"], 25)

        resp = self.client_error(self.ddb.restore_table_from_backup, TargetTableName="restored", BackupArn=arn)
        self.assertEqual(code_of(resp), "TableAlreadyExistsException")
        # The backup outlives its table.
        create_table(self.ddb, "doomed")
        self.ddb.put_item(TableName="doomed", Item={"pk": {"S": "x"}})
        doomed = self.ddb.create_backup(TableName="doomed", BackupName="last")["BackupDetails"]["BackupArn"]
        self.ddb.delete_table(TableName="doomed")
        self.ddb.restore_table_from_backup(TargetTableName="doomed", BackupArn=doomed)
        self.assertEqual(self.ddb.get_item(TableName="doomed", Key={"pk": {"S": "x"}})["Item"], {"pk": {"S": "x"}})

    def test_overrides(self):
        count = self.ddb.describe_table(TableName="src")["Table"]["ItemCount"]
        arn = self.ddb.create_backup(TableName="src", BackupName="for-overrides")["BackupDetails"]["BackupArn"]
        out = self.ddb.restore_table_from_backup(
            TargetTableName="provisioned", BackupArn=arn, BillingModeOverride="PROVISIONED",
            ProvisionedThroughputOverride={"ReadCapacityUnits": 7, "WriteCapacityUnits": 3},
            GlobalSecondaryIndexOverride=[], LocalSecondaryIndexOverride=[],
            SSESpecificationOverride={"Enabled": False})["TableDescription"]
        self.assertEqual(out["BillingModeSummary"]["BillingMode"], "PROVISIONED")
        self.assertEqual((out["ProvisionedThroughput"]["ReadCapacityUnits"], out["ProvisionedThroughput"]["WriteCapacityUnits"]),
                         (7, 3))
        self.assertNotIn("GlobalSecondaryIndexes", out)
        self.assertNotIn("LocalSecondaryIndexes", out)
        self.assertEqual(sorted(d["AttributeName"] for d in out["AttributeDefinitions"]), ["pk", "sk"])
        self.assertEqual(out["ItemCount"], count)
        # A changed GSI: keys only on the same attribute.
        keys_only = dict(GSI, Projection={"ProjectionType": "KEYS_ONLY"})
        out = self.ddb.restore_table_from_backup(TargetTableName="keys-only", BackupArn=arn,
                                                 GlobalSecondaryIndexOverride=[keys_only])["TableDescription"]
        self.assertEqual(out["GlobalSecondaryIndexes"][0]["Projection"], {"ProjectionType": "KEYS_ONLY"})
        item = self.ddb.query(TableName="keys-only", IndexName="by_g", KeyConditionExpression="g = :g",
                              ExpressionAttributeValues={":g": {"S": "g0"}}, Limit=1)["Items"][0]
        self.assertEqual(sorted(item), ["g", "pk", "sk"])
        # PROVISIONED without throughput is refused as CreateTable refuses it.
        resp = self.client_error(self.ddb.restore_table_from_backup, TargetTableName="bad", BackupArn=arn,
                                 BillingModeOverride="PROVISIONED")
        self.assertEqual(code_of(resp), "ValidationException")
        self.assertNotIn("bad", self.ddb.list_tables()["TableNames"])

    def test_errors(self):
        missing = "arn:aws:dynamodb:us-east-1:000000000000:table/src/backup/01700000000000-deadbeef"
        for fn in (self.ddb.describe_backup, self.ddb.delete_backup):
            self.assertEqual(code_of(self.client_error(fn, BackupArn=missing)), "BackupNotFoundException")
        resp = self.client_error(self.ddb.restore_table_from_backup, TargetTableName="x11", BackupArn=missing)
        self.assertEqual(code_of(resp), "BackupNotFoundException")
        resp = self.client_error(self.ddb.create_backup, TableName="nope", BackupName="b11")
        self.assertEqual((code_of(resp), resp["Error"]["Message"]), ("TableNotFoundException", "Table not found: nope"))
        resp = self.client_error(self.ddb.create_backup, TableName="src", BackupName="a b")
        self.assertEqual(code_of(resp), "ValidationException")
        self.assertEqual(code_of(self.client_error(self.ddb.list_backups, Limit=101)), "ValidationException")
        # Another region does not see this region's backups.
        arn = self.ddb.create_backup(TableName="src", BackupName="regional")["BackupDetails"]["BackupArn"]
        other = self.server.boto3_client("dynamodb", region="eu-west-1")
        self.assertEqual(code_of(self.client_error(other.describe_backup, BackupArn=arn)), "BackupNotFoundException")
        self.assertNotIn(arn, [b["BackupArn"] for b in other.list_backups()["BackupSummaries"]])

    def test_delete(self):
        create_table(self.ddb, "short-lived")
        arn = self.ddb.create_backup(TableName="short-lived", BackupName="gone")["BackupDetails"]["BackupArn"]
        d = self.ddb.delete_backup(BackupArn=arn)["BackupDescription"]
        self.assertEqual(d["BackupDetails"]["BackupStatus"], "DELETED")
        self.assertEqual(code_of(self.client_error(self.ddb.describe_backup, BackupArn=arn)), "BackupNotFoundException")
        self.assertEqual(self.ddb.list_backups(TableName="short-lived")["BackupSummaries"], [])


class ListBackupsTest(DdbTestCase):
    """Filters and pagination, with backups spread over the emulator clock."""

    def clock(self, **doc):
        status, _, _ = self.server.request("POST", "/_localaws/clock", json.dumps(doc).encode())
        self.assertEqual(status, 200)

    def test_filters_and_pages(self):
        self.clock(set="2030-01-01T00:00:00Z", freeze=True)
        create_table(self.ddb, "aaa")
        create_table(self.ddb, "bbb")
        arns = []
        for i in range(5):
            for t in ("aaa", "bbb"):
                arns.append(self.ddb.create_backup(TableName=t, BackupName="%s-%d" % (t, i))["BackupDetails"]["BackupArn"])
            self.clock(advance="1h")
        everything = self.ddb.list_backups()["BackupSummaries"]
        self.assertEqual(len(everything), 10)
        first = everything[0]
        self.assertEqual(first["BackupCreationDateTime"], datetime.datetime(2030, 1, 1, tzinfo=datetime.timezone.utc))
        self.assertEqual(set(first), {"TableName", "TableId", "TableArn", "BackupArn", "BackupName",
                                      "BackupCreationDateTime", "BackupStatus", "BackupType", "BackupSizeBytes"})
        self.assertEqual([b["BackupName"] for b in self.ddb.list_backups(TableName="aaa")["BackupSummaries"]],
                         ["aaa-%d" % i for i in range(5)])
        window = self.ddb.list_backups(TimeRangeLowerBound=datetime.datetime(2030, 1, 1, 1, tzinfo=datetime.timezone.utc),
                                       TimeRangeUpperBound=datetime.datetime(2030, 1, 1, 3, tzinfo=datetime.timezone.utc))
        self.assertEqual(sorted(b["BackupName"] for b in window["BackupSummaries"]), ["aaa-1", "aaa-2", "bbb-1", "bbb-2"])
        self.assertEqual(self.ddb.list_backups(BackupType="SYSTEM")["BackupSummaries"], [])
        self.assertEqual(len(self.ddb.list_backups(BackupType="ALL")["BackupSummaries"]), 10)
        seen, start = [], {}
        while True:
            page = self.ddb.list_backups(Limit=3, **start)
            self.assertLessEqual(len(page["BackupSummaries"]), 3)
            seen += [b["BackupArn"] for b in page["BackupSummaries"]]
            if "LastEvaluatedBackupArn" not in page:
                break
            start = {"ExclusiveStartBackupArn": page["LastEvaluatedBackupArn"]}
        self.assertEqual(seen, [b["BackupArn"] for b in everything])
        self.assertEqual(sorted(seen), sorted(arns))
        pages = list(self.ddb.get_paginator("list_backups").paginate(TableName="bbb", PaginationConfig={"PageSize": 2}))
        self.assertEqual(sum(len(p["BackupSummaries"]) for p in pages), 5)
        # /_localaws/reset drops backups with the tables.
        self.assertEqual(self.server.post("/_localaws/reset")[0], 200)
        self.assertEqual(self.ddb.list_backups()["BackupSummaries"], [])
        self.assertEqual(code_of(self.client_error(self.ddb.describe_backup, BackupArn=arns[0])), "BackupNotFoundException")


class BackupsSurviveRestartTest(unittest.TestCase):
    def test_restart(self):
        with LocalAws() as server:
            ddb = server.boto3_client("dynamodb")
            create_table(ddb, "kept")
            ddb.put_item(TableName="kept", Item={"pk": {"S": "k"}, "v": {"N": "1"}})
            arn = ddb.create_backup(TableName="kept", BackupName="durable")["BackupDetails"]["BackupArn"]
            server.kill9()
            server.start()
            ddb = server.boto3_client("dynamodb")
            self.assertEqual(ddb.describe_backup(BackupArn=arn)["BackupDescription"]["BackupDetails"]["BackupName"], "durable")
            ddb.restore_table_from_backup(TargetTableName="kept2", BackupArn=arn)
            self.assertEqual(ddb.get_item(TableName="kept2", Key={"pk": {"S": "k"}})["Item"]["v"], {"N": "1"})


class ToolReadsTest(DdbTestCase):
    """What Terraform, CDK and consoles read after CreateTable, for a table with nothing set up."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        create_table(cls.ddb, "plain", extra_defs=(("g", "S"),), GlobalSecondaryIndexes=[GSI])

    def test_continuous_backups(self):
        d = self.ddb.describe_continuous_backups(TableName="plain")["ContinuousBackupsDescription"]
        self.assertEqual(d, {"ContinuousBackupsStatus": "ENABLED",
                             "PointInTimeRecoveryDescription": {"PointInTimeRecoveryStatus": "DISABLED"}})
        resp = self.client_error(self.ddb.describe_continuous_backups, TableName="nope")
        self.assertEqual(code_of(resp), "TableNotFoundException")
        # Switching PITR on and off: test_ddb_pitr.py.

    def test_contributor_insights(self):
        d = self.ddb.describe_contributor_insights(TableName="plain")
        self.assertEqual((d["TableName"], d["ContributorInsightsStatus"]), ("plain", "DISABLED"))
        self.assertEqual(self.ddb.list_contributor_insights(TableName="plain")["ContributorInsightsSummaries"], [])
        u = self.ddb.update_contributor_insights(TableName="plain", IndexName="by_g", ContributorInsightsAction="ENABLE")
        self.assertEqual((u["IndexName"], u["ContributorInsightsStatus"]), ("by_g", "ENABLING"))
        d = self.ddb.describe_contributor_insights(TableName="plain", IndexName="by_g")
        self.assertEqual(d["ContributorInsightsStatus"], "ENABLED")
        self.assertEqual(self.ddb.describe_contributor_insights(TableName="plain")["ContributorInsightsStatus"], "DISABLED")
        summaries = self.ddb.list_contributor_insights()["ContributorInsightsSummaries"]
        self.assertEqual([(s["TableName"], s.get("IndexName"), s["ContributorInsightsStatus"]) for s in summaries],
                         [("plain", "by_g", "ENABLED")])
        u = self.ddb.update_contributor_insights(TableName="plain", IndexName="by_g", ContributorInsightsAction="DISABLE")
        self.assertEqual(u["ContributorInsightsStatus"], "DISABLING")
        resp = self.client_error(self.ddb.describe_contributor_insights, TableName="plain", IndexName="nope")
        self.assertEqual(code_of(resp), "ResourceNotFoundException")
        resp = self.client_error(self.ddb.describe_contributor_insights, TableName="nope")
        self.assertEqual(code_of(resp), "ResourceNotFoundException")

    def test_empty_answers(self):
        k = self.ddb.describe_kinesis_streaming_destination(TableName="plain")
        self.assertEqual((k["TableName"], k["KinesisDataStreamDestinations"]), ("plain", []))
        a = self.ddb.describe_table_replica_auto_scaling(TableName="plain")["TableAutoScalingDescription"]
        self.assertEqual((a["TableName"], a["TableStatus"], a["Replicas"]), ("plain", "ACTIVE", []))
        self.assertEqual(self.ddb.list_global_tables()["GlobalTables"], [])
        self.assertEqual(code_of(self.client_error(self.ddb.describe_global_table, GlobalTableName="plain")),
                         "GlobalTableNotFoundException")
        self.assertEqual(self.ddb.list_exports()["ExportSummaries"], [])
        self.assertEqual(self.ddb.list_imports()["ImportSummaryList"], [])
        self.assertEqual(self.ddb.list_backups(TableName="plain")["BackupSummaries"], [])
        for fn, kw, code in ((self.ddb.describe_kinesis_streaming_destination, {"TableName": "nope"}, "ResourceNotFoundException"),
                             (self.ddb.describe_export, {"ExportArn": "arn:aws:dynamodb:us-east-1:000000000000:table/plain/export/01700000000000-abcdef12"}, "ExportNotFoundException"),
                             (self.ddb.describe_import, {"ImportArn": "arn:aws:dynamodb:us-east-1:000000000000:table/plain/import/01700000000000-abcdef12"}, "ImportNotFoundException"),
                             (self.ddb.export_table_to_point_in_time, {"TableArn": "arn:aws:dynamodb:us-east-1:000000000000:table/nope", "S3Bucket": "bucket"}, "TableNotFoundException")):
            self.assertEqual(code_of(self.client_error(fn, **kw)), code, fn)


if __name__ == "__main__":
    unittest.main()
