"""DynamoDB point-in-time recovery through boto3 (the aws CLI: tests/clients/test_ddb_pitr_cli.py): UpdateContinuousBackups /
DescribeContinuousBackups (on, off, recovery period), RestoreTableToPointInTime compared item by
item with the table as it was at each chosen second (puts, updates, deletes, transactions,
batches), the recovery period on the emulator clock (history trimmed, older times refused),
indexes and overrides, errors, and the history surviving a restart.
docs/dynamodb.md "## Point-in-time recovery"."""
import datetime
import json
import time
import unittest

from ddb_support import DdbTestCase, create_table, raw_call
from localaws_support import LocalAws

GSI = {"IndexName": "by_g", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
       "Projection": {"ProjectionType": "ALL"}}


def code_of(resp):
    return resp["Error"]["Code"]


def scan_all(ddb, table):
    items, kw = [], {}
    while True:
        page = ddb.scan(TableName=table, **kw)
        items += page["Items"]
        if "LastEvaluatedKey" not in page:
            return sorted(items, key=lambda i: json.dumps([i["pk"], i.get("sk")], sort_keys=True))
        kw["ExclusiveStartKey"] = page["LastEvaluatedKey"]


class ClockMixin:
    def clock(self, **body):
        status, _, out = self.server.request("POST", "/_localaws/clock", json.dumps(body).encode())
        self.assertEqual(status, 200, out)
        return json.loads(out)

    def now(self):
        status, _, out = self.server.request("GET", "/_localaws/clock")
        return json.loads(out)["epochMillis"] / 1000.0

    def sweep(self):
        status, _, out = self.server.request("POST", "/_localaws/ttl/run", b"")
        self.assertEqual(status, 200, out)


class PitrTest(ClockMixin, DdbTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        create_table(cls.ddb, "src", keys=(("pk", "S"), ("sk", "N")), extra_defs=(("g", "S"),),
                     GlobalSecondaryIndexes=[GSI])

    def setUp(self):
        # Frozen on a whole second: restore times are whole seconds (botocore sends them so).
        ms = self.clock(freeze=True)["epochMillis"]
        self.clock(set=ms - ms % 1000, freeze=True)

    def tearDown(self):
        self.server.request("DELETE", "/_localaws/clock")

    def test_off_by_default_then_on_and_off(self):
        create_table(self.ddb, "toggle")
        d = self.ddb.describe_continuous_backups(TableName="toggle")["ContinuousBackupsDescription"]
        self.assertEqual(d, {"ContinuousBackupsStatus": "ENABLED",
                             "PointInTimeRecoveryDescription": {"PointInTimeRecoveryStatus": "DISABLED"}})
        out = self.ddb.update_continuous_backups(
            TableName="toggle", PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True})
        p = out["ContinuousBackupsDescription"]["PointInTimeRecoveryDescription"]
        self.assertEqual((p["PointInTimeRecoveryStatus"], p["RecoveryPeriodInDays"]), ("ENABLED", 35))
        self.assertIsInstance(p["EarliestRestorableDateTime"], datetime.datetime)
        enabled_at = p["EarliestRestorableDateTime"]
        self.clock(advance="1h")
        p = self.ddb.describe_continuous_backups(TableName="toggle")["ContinuousBackupsDescription"][
            "PointInTimeRecoveryDescription"]
        self.assertEqual(p["EarliestRestorableDateTime"], enabled_at)
        self.assertEqual(p["LatestRestorableDateTime"] - enabled_at, datetime.timedelta(hours=1))
        # Changing the period keeps the history (the earliest time stays).
        p = self.ddb.update_continuous_backups(
            TableName="toggle", PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True,
                                                                  "RecoveryPeriodInDays": 7}
        )["ContinuousBackupsDescription"]["PointInTimeRecoveryDescription"]
        self.assertEqual((p["RecoveryPeriodInDays"], p["EarliestRestorableDateTime"]), (7, enabled_at))
        # Off drops the history: on again starts from now.
        out = self.ddb.update_continuous_backups(
            TableName="toggle", PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": False})
        self.assertEqual(out["ContinuousBackupsDescription"]["PointInTimeRecoveryDescription"],
                         {"PointInTimeRecoveryStatus": "DISABLED"})
        self.clock(advance="1m")
        p = self.ddb.update_continuous_backups(
            TableName="toggle", PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True}
        )["ContinuousBackupsDescription"]["PointInTimeRecoveryDescription"]
        self.assertEqual(p["EarliestRestorableDateTime"] - enabled_at, datetime.timedelta(hours=1, minutes=1))
        resp = self.client_error(self.ddb.restore_table_to_point_in_time, SourceTableName="toggle",
                                 TargetTableName="toggle-old", RestoreDateTime=enabled_at)
        self.assertEqual(code_of(resp), "InvalidRestoreTimeException")

    def test_restore_equals_the_table_at_each_second(self):
        ddb = self.ddb
        for i in range(6):
            ddb.put_item(TableName="src", Item={"pk": {"S": "p%d" % (i % 2)}, "sk": {"N": str(i)},
                                                "g": {"S": "g%d" % (i % 3)}, "v": {"N": "0"}})
        ddb.update_continuous_backups(TableName="src",
                                      PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True})
        states = [(self.now(), scan_all(ddb, "src"))]

        def step(fn):
            self.clock(advance="1s")
            fn()
            states.append((self.now(), scan_all(ddb, "src")))

        key = lambda i: {"pk": {"S": "p%d" % (i % 2)}, "sk": {"N": str(i)}}  # noqa: E731
        step(lambda: ddb.update_item(TableName="src", Key=key(0), UpdateExpression="SET v = v + :one, w = :w",
                                     ExpressionAttributeValues={":one": {"N": "1"}, ":w": {"S": "new"}}))
        step(lambda: ddb.delete_item(TableName="src", Key=key(1)))
        step(lambda: ddb.put_item(TableName="src", Item={**key(1), "g": {"S": "back"}}))
        step(lambda: ddb.transact_write_items(TransactItems=[
            {"Put": {"TableName": "src", "Item": {**key(7), "g": {"S": "g1"}}}},
            {"Delete": {"TableName": "src", "Key": key(2)}},
            {"Update": {"TableName": "src", "Key": key(3), "UpdateExpression": "REMOVE g"}}]))
        step(lambda: ddb.batch_write_item(RequestItems={"src": [
            {"PutRequest": {"Item": {**key(8), "g": {"S": "g2"}}}},
            {"DeleteRequest": {"Key": key(4)}}]}))
        # A write that puts an item back as it was, within one second.
        step(lambda: (ddb.delete_item(TableName="src", Key=key(5)),
                      ddb.put_item(TableName="src", Item=states[-1][1][-1])))

        for n, (at, expected) in enumerate(states):
            target = "at-%d" % n
            out = ddb.restore_table_to_point_in_time(
                SourceTableName="src", TargetTableName=target,
                RestoreDateTime=datetime.datetime.fromtimestamp(at, datetime.timezone.utc))["TableDescription"]
            self.assertEqual(out["RestoreSummary"]["SourceTableArn"],
                             "arn:aws:dynamodb:us-east-1:000000000000:table/src")
            self.assertEqual(out["RestoreSummary"]["RestoreDateTime"].timestamp(), at)
            self.assertEqual(out["ItemCount"], len(expected))
            self.assertEqual(scan_all(ddb, target), expected, "restore to second %d" % n)
            # The GSI is rebuilt from the restored items.
            q = ddb.query(TableName=target, IndexName="by_g", KeyConditionExpression="g = :g",
                          ExpressionAttributeValues={":g": {"S": "g1"}})
            self.assertEqual(q["Count"], sum(1 for i in expected if i.get("g") == {"S": "g1"}))
            # PITR is not restored (AWS: set it again).
            p = ddb.describe_continuous_backups(TableName=target)["ContinuousBackupsDescription"]
            self.assertEqual(p["PointInTimeRecoveryDescription"]["PointInTimeRecoveryStatus"], "DISABLED")
        # A fraction of a second is dropped: the state of that second.
        out = ddb.restore_table_to_point_in_time(
            SourceTableArn="arn:aws:dynamodb:us-east-1:000000000000:table/src", TargetTableName="between",
            RestoreDateTime=datetime.datetime.fromtimestamp(states[2][0] + 0.5, datetime.timezone.utc))
        self.assertEqual(scan_all(ddb, "between"), states[2][1])
        # The latest restorable time is the table now.
        ddb.restore_table_to_point_in_time(SourceTableName="src", TargetTableName="latest",
                                           UseLatestRestorableTime=True)
        self.assertEqual(scan_all(ddb, "latest"), scan_all(ddb, "src"))
        self.assertEqual(ddb.describe_table(TableName="latest")["Table"]["RestoreSummary"]["RestoreInProgress"], False)

    def test_overrides(self):
        create_table(self.ddb, "ovr", extra_defs=(("g", "S"),), GlobalSecondaryIndexes=[GSI])
        self.ddb.put_item(TableName="ovr", Item={"pk": {"S": "a"}, "g": {"S": "x"}})
        self.ddb.update_continuous_backups(TableName="ovr",
                                           PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True})
        out = self.ddb.restore_table_to_point_in_time(
            SourceTableName="ovr", TargetTableName="ovr-prov", UseLatestRestorableTime=True,
            BillingModeOverride="PROVISIONED", GlobalSecondaryIndexOverride=[],
            ProvisionedThroughputOverride={"ReadCapacityUnits": 4, "WriteCapacityUnits": 2},
            SSESpecificationOverride={"Enabled": False})["TableDescription"]
        self.assertEqual(out["BillingModeSummary"]["BillingMode"], "PROVISIONED")
        self.assertEqual(out["ProvisionedThroughput"]["ReadCapacityUnits"], 4)
        self.assertNotIn("GlobalSecondaryIndexes", out)
        self.assertEqual([d["AttributeName"] for d in out["AttributeDefinitions"]], ["pk"])
        self.assertEqual(scan_all(self.ddb, "ovr-prov"), [{"pk": {"S": "a"}, "g": {"S": "x"}}])

    def test_errors(self):
        create_table(self.ddb, "plain")
        resp = self.client_error(self.ddb.restore_table_to_point_in_time, SourceTableName="plain",
                                 TargetTableName="plain-2", UseLatestRestorableTime=True)
        self.assertEqual((code_of(resp), resp["Error"]["Message"]),
                         ("PointInTimeRecoveryUnavailableException",
                          "Point in time recovery is not enabled for table 'plain'"))
        resp = self.client_error(self.ddb.restore_table_to_point_in_time, SourceTableName="nope",
                                 TargetTableName="nope-2", UseLatestRestorableTime=True)
        self.assertEqual((code_of(resp), resp["Error"]["Message"]), ("TableNotFoundException", "Table not found: nope"))
        for fn, kw in ((self.ddb.describe_continuous_backups, {}),
                       (self.ddb.update_continuous_backups,
                        {"PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": True}})):
            resp = self.client_error(fn, TableName="nope", **kw)
            self.assertEqual((code_of(resp), resp["Error"]["Message"]), ("TableNotFoundException", "Table not found: nope"))
        self.ddb.update_continuous_backups(TableName="plain",
                                           PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True})
        now = self.now()
        for at in (now - 60, now + 60):
            resp = self.client_error(self.ddb.restore_table_to_point_in_time, SourceTableName="plain",
                                     TargetTableName="plain-2", RestoreDateTime=at)
            self.assertEqual(code_of(resp), "InvalidRestoreTimeException")
        resp = self.client_error(self.ddb.restore_table_to_point_in_time, SourceTableName="plain",
                                 TargetTableName="src", UseLatestRestorableTime=True)
        self.assertEqual((code_of(resp), resp["Error"]["Message"]),
                         ("TableAlreadyExistsException", "Table already exists: src"))
        self.assertNotIn("plain-2", self.ddb.list_tables()["TableNames"])
        # Members botocore would refuse before sending: raw requests.
        cases = [
            ("UpdateContinuousBackups", {"TableName": "plain"}, "ValidationException",
             "1 validation error detected: Value null at 'pointInTimeRecoverySpecification' failed to satisfy "
             "constraint: Member must not be null"),
            ("UpdateContinuousBackups", {"TableName": "plain", "PointInTimeRecoverySpecification": {
                "PointInTimeRecoveryEnabled": True, "RecoveryPeriodInDays": 36}}, "ValidationException",
             "1 validation error detected: Value '36' at 'pointInTimeRecoverySpecification.recoveryPeriodInDays' "
             "failed to satisfy constraint: Member must have value less than or equal to 35"),
            ("UpdateContinuousBackups", {"TableName": "plain", "PointInTimeRecoverySpecification": {
                "PointInTimeRecoveryEnabled": True, "RecoveryPeriodInDays": 0}}, "ValidationException",
             "1 validation error detected: Value '0' at 'pointInTimeRecoverySpecification.recoveryPeriodInDays' "
             "failed to satisfy constraint: Member must have value greater than or equal to 1"),
            ("RestoreTableToPointInTime", {"TargetTableName": "plain-2", "UseLatestRestorableTime": True},
             "ValidationException", "Either SourceTableArn or SourceTableName must be specified"),
            ("RestoreTableToPointInTime", {"SourceTableName": "plain", "TargetTableName": "plain-2",
                                           "UseLatestRestorableTime": True, "RestoreDateTime": now},
             "ValidationException", "Only one of RestoreDateTime or UseLatestRestorableTime can be specified"),
        ]
        for op, body, code, message in cases:
            status, _, out = raw_call(self.server, op, json.dumps(body).encode())
            err = json.loads(out)
            self.assertEqual((status, err["__type"].split("#")[-1], err["message"]), (400, code, message), op)

    def test_deleting_a_pitr_table_keeps_a_system_backup(self):
        create_table(self.ddb, "gone")
        self.ddb.put_item(TableName="gone", Item={"pk": {"S": "kept"}})
        self.ddb.update_continuous_backups(TableName="gone",
                                           PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True})
        self.ddb.put_item(TableName="gone", Item={"pk": {"S": "last"}})
        self.ddb.delete_table(TableName="gone")
        system = self.ddb.list_backups(TableName="gone", BackupType="SYSTEM")["BackupSummaries"]
        self.assertEqual([(b["BackupName"], b["BackupType"]) for b in system], [("gone$DeletedTableBackup", "SYSTEM")])
        self.assertEqual(system[0]["BackupExpiryDateTime"] - system[0]["BackupCreationDateTime"],
                         datetime.timedelta(days=35))
        self.assertEqual(self.ddb.list_backups(TableName="gone")["BackupSummaries"], [])  # default: USER
        self.assertEqual(len(self.ddb.list_backups(TableName="gone", BackupType="ALL")["BackupSummaries"]), 1)
        arn = system[0]["BackupArn"]
        self.assertEqual(self.ddb.describe_backup(BackupArn=arn)["BackupDescription"]["BackupDetails"]["BackupType"],
                         "SYSTEM")
        self.ddb.restore_table_from_backup(TargetTableName="gone", BackupArn=arn)
        self.assertEqual(scan_all(self.ddb, "gone"), [{"pk": {"S": "kept"}}, {"pk": {"S": "last"}}])
        # Kept 35 days on the emulator clock.
        self.clock(advance="34d")
        self.sweep()
        self.assertEqual(len(self.ddb.list_backups(TableName="gone", BackupType="SYSTEM")["BackupSummaries"]), 1)
        self.clock(advance="2d")
        self.sweep()
        self.assertEqual(self.ddb.list_backups(TableName="gone", BackupType="SYSTEM")["BackupSummaries"], [])
        # A table without PITR leaves none.
        create_table(self.ddb, "gone-plain")
        self.ddb.delete_table(TableName="gone-plain")
        self.assertEqual(self.ddb.list_backups(TableName="gone-plain", BackupType="ALL")["BackupSummaries"], [])

    def test_recovery_period_on_the_emulator_clock(self):
        create_table(self.ddb, "short")
        self.ddb.update_continuous_backups(
            TableName="short",
            PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True, "RecoveryPeriodInDays": 1})
        start = self.now()
        marks = []
        for i in range(4):  # one write every 12 hours: v = i
            self.ddb.put_item(TableName="short", Item={"pk": {"S": "k"}, "v": {"N": str(i)}})
            self.ddb.put_item(TableName="short", Item={"pk": {"S": "k%d" % i}})
            marks.append(self.now())
            self.clock(advance="12h")
        self.ddb.delete_item(TableName="short", Key={"pk": {"S": "k0"}})
        self.sweep()  # trims the history to the last day
        p = self.ddb.describe_continuous_backups(TableName="short")["ContinuousBackupsDescription"][
            "PointInTimeRecoveryDescription"]
        earliest = p["EarliestRestorableDateTime"].timestamp()
        self.assertEqual(earliest, self.now() - 86400)
        self.assertGreater(earliest, start)
        resp = self.client_error(self.ddb.restore_table_to_point_in_time, SourceTableName="short",
                                 TargetTableName="short-old", RestoreDateTime=marks[1])
        self.assertEqual(code_of(resp), "InvalidRestoreTimeException")
        # At the earliest time the table is as it was then (the state written at marks[2]).
        self.ddb.restore_table_to_point_in_time(SourceTableName="short", TargetTableName="short-early",
                                                RestoreDateTime=earliest)
        self.assertEqual(scan_all(self.ddb, "short-early"),
                         sorted([{"pk": {"S": "k"}, "v": {"N": "2"}}, {"pk": {"S": "k0"}}, {"pk": {"S": "k1"}},
                                 {"pk": {"S": "k2"}}], key=lambda i: i["pk"]["S"]))
        self.ddb.restore_table_to_point_in_time(SourceTableName="short", TargetTableName="short-now",
                                                UseLatestRestorableTime=True)
        self.assertEqual(scan_all(self.ddb, "short-now"), scan_all(self.ddb, "short"))

class PitrRestartTest(ClockMixin, unittest.TestCase):
    """The history is in the database: a restore after a restart sees writes from before it."""

    def test_history_survives_restart(self):
        with LocalAws() as server:
            self.server = server
            ddb = server.boto3_client("dynamodb")
            create_table(ddb, "durable")
            ddb.update_continuous_backups(TableName="durable",
                                          PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True})
            ddb.put_item(TableName="durable", Item={"pk": {"S": "a"}, "v": {"N": "1"}})
            time.sleep(1.1)  # real time: the emulator clock's offset is not kept across a restart
            at = self.now()
            time.sleep(1.1)
            ddb.put_item(TableName="durable", Item={"pk": {"S": "a"}, "v": {"N": "2"}})
            server.stop()
            server.start()
            ddb = server.boto3_client("dynamodb")
            ddb.restore_table_to_point_in_time(SourceTableName="durable", TargetTableName="durable-then",
                                               RestoreDateTime=at)
            self.assertEqual(ddb.get_item(TableName="durable-then", Key={"pk": {"S": "a"}})["Item"]["v"], {"N": "1"})
            self.assertEqual(ddb.get_item(TableName="durable", Key={"pk": {"S": "a"}})["Item"]["v"], {"N": "2"})


if __name__ == "__main__":
    unittest.main()
