"""The emulator clock (POST /_localaws/clock): data-plane timers follow it, signatures do not."""
import datetime
import json
import time
import unittest

import botocore.exceptions

from localaws_support import LocalAws


def clock(s, method="POST", **body):
    status, _, raw = s.request(method, "/_localaws/clock", json.dumps(body).encode() if body else None)
    return status, json.loads(raw)


def ms_of(dt):
    return int(dt.timestamp() * 1000)


class ClockApiTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.s = LocalAws(in_memory=True)
        cls.s.start()

    @classmethod
    def tearDownClass(cls):
        cls.s.close()

    def tearDown(self):
        clock(self.s, "DELETE")

    def test_reads_moves_freezes_and_returns_to_real_time(self):
        status, c = clock(self.s, "GET")
        self.assertEqual(status, 200)
        self.assertTrue(c["real"])
        self.assertFalse(c["frozen"])
        self.assertLess(abs(c["epochMillis"] - time.time() * 1000), 5000)

        status, c = clock(self.s, advance="30d")
        self.assertEqual(status, 200)
        self.assertFalse(c["real"])
        self.assertLess(abs(c["offsetMillis"] - 30 * 86400000), 5000)
        self.assertLess(abs(c["epochMillis"] - (time.time() * 1000 + 30 * 86400000)), 5000)

        status, c = clock(self.s, set="2030-01-01T00:00:00Z", freeze=True)
        self.assertEqual((status, c["now"], c["frozen"]), (200, "2030-01-01T00:00:00.000Z", True))
        time.sleep(0.05)
        self.assertEqual(clock(self.s, "GET")[1]["now"], "2030-01-01T00:00:00.000Z")  # frozen means frozen
        self.assertEqual(clock(self.s, advance="1h30m")[1]["now"], "2030-01-01T01:30:00.000Z")
        self.assertEqual(clock(self.s, advance=-60)[1]["now"], "2030-01-01T01:29:00.000Z")  # bare seconds
        self.assertEqual(clock(self.s, set=1893456000000)[1]["now"], "2030-01-01T00:00:00.000Z")

        status, c = clock(self.s, "DELETE")
        self.assertEqual(status, 200)
        self.assertTrue(c["real"])
        self.assertLess(abs(c["epochMillis"] - time.time() * 1000), 5000)

    def test_bad_requests_are_refused_and_change_nothing(self):
        for body in ({"advance": "soon"}, {"advance": "1d2"}, {"set": "tomorrow"}, {"freeze": "yes"},
                     {"advance": "1d", "set": "2030-01-01T00:00:00Z"}, {"speed": 2}):
            status, c = clock(self.s, **body)
            self.assertEqual((status, c["error"]), (400, "InvalidClock"), body)
        status, _, raw = self.s.request("POST", "/_localaws/clock", b"not json")
        self.assertEqual(status, 400)
        status, _, _ = self.s.request("PUT", "/_localaws/clock", b"{}")
        self.assertEqual(status, 405)
        self.assertTrue(clock(self.s, "GET")[1]["real"])

    def test_reset_returns_to_real_time(self):
        clock(self.s, advance="365d")
        self.assertEqual(self.s.post("/_localaws/reset")[0], 200)
        self.assertTrue(clock(self.s, "GET")[1]["real"])

    def test_s3_timestamps_follow_the_clock_and_signatures_keep_real_time(self):
        s3 = self.s.boto3_client("s3")
        s3.create_bucket(Bucket="clocked")
        clock(self.s, set="2031-06-15T10:00:00Z", freeze=True)
        # The request is signed with the real time: it must still be accepted.
        s3.put_object(Bucket="clocked", Key="k", Body=b"x")
        head = s3.head_object(Bucket="clocked", Key="k")
        self.assertEqual(ms_of(head["LastModified"]), ms_of(datetime.datetime(2031, 6, 15, 10, tzinfo=datetime.timezone.utc)))
        listed = s3.list_objects_v2(Bucket="clocked")["Contents"][0]["LastModified"]
        self.assertEqual(listed.year, 2031)

    def test_object_lock_retention_runs_out_on_the_clock(self):
        s3 = self.s.boto3_client("s3")
        s3.create_bucket(Bucket="locked-clock", ObjectLockEnabledForBucket=True)
        until = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=1)
        v = s3.put_object(Bucket="locked-clock", Key="k", Body=b"keep", ObjectLockMode="COMPLIANCE",
                          ObjectLockRetainUntilDate=until)["VersionId"]
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            s3.delete_object(Bucket="locked-clock", Key="k", VersionId=v)
        self.assertEqual(cm.exception.response["Error"]["Code"], "AccessDenied")
        clock(self.s, advance="2d")
        s3.delete_object(Bucket="locked-clock", Key="k", VersionId=v)  # retention over
        self.assertNotIn("Versions", s3.list_object_versions(Bucket="locked-clock"))

    def test_transaction_tokens_expire_after_ten_minutes_of_emulator_time(self):
        ddb = self.s.boto3_client("dynamodb")
        ddb.create_table(TableName="toks", BillingMode="PAY_PER_REQUEST",
                         AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                         KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}])
        put = lambda v: [{"Put": {"TableName": "toks", "Item": {"pk": {"S": "a"}, "v": {"S": v}}}}]
        ddb.transact_write_items(TransactItems=put("1"), ClientRequestToken="t1")
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            ddb.transact_write_items(TransactItems=put("2"), ClientRequestToken="t1")
        self.assertEqual(cm.exception.response["Error"]["Code"], "IdempotentParameterMismatchException")
        clock(self.s, advance="9m")
        with self.assertRaises(botocore.exceptions.ClientError):
            ddb.transact_write_items(TransactItems=put("2"), ClientRequestToken="t1")
        clock(self.s, advance="2m")  # 11 minutes after the first use: the token is forgotten
        ddb.transact_write_items(TransactItems=put("2"), ClientRequestToken="t1")
        self.assertEqual(ddb.get_item(TableName="toks", Key={"pk": {"S": "a"}})["Item"]["v"], {"S": "2"})

    def test_ttl_run_deletes_what_the_moved_clock_has_expired(self):
        ddb = self.s.boto3_client("dynamodb")
        ddb.create_table(TableName="ttlc", BillingMode="PAY_PER_REQUEST",
                         AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                         KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}])
        ddb.update_time_to_live(TableName="ttlc", TimeToLiveSpecification={"Enabled": True, "AttributeName": "exp"})
        now = int(time.time())
        for pk, exp in (("hour", now + 3600), ("week", now + 7 * 86400)):
            ddb.put_item(TableName="ttlc", Item={"pk": {"S": pk}, "exp": {"N": str(exp)}})
        status, _, raw = self.s.post("/_localaws/ttl/run")
        self.assertEqual((status, json.loads(raw)["deletedItems"]), (200, 0))
        clock(self.s, advance="2h")
        self.assertEqual(json.loads(self.s.post("/_localaws/ttl/run")[2])["deletedItems"], 1)
        keys = sorted(i["pk"]["S"] for i in ddb.scan(TableName="ttlc")["Items"])
        self.assertEqual(keys, ["week"])
        self.assertEqual(self.s.request("GET", "/_localaws/ttl/run")[0], 405)


class ClockBackgroundSweepTest(unittest.TestCase):
    def test_the_background_ttl_sweep_uses_the_moved_clock(self):
        with LocalAws("--ttl-interval", "0.2", in_memory=True) as s:
            ddb = s.boto3_client("dynamodb")
            ddb.create_table(TableName="bgs", BillingMode="PAY_PER_REQUEST",
                             AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                             KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}])
            ddb.update_time_to_live(TableName="bgs", TimeToLiveSpecification={"Enabled": True, "AttributeName": "exp"})
            ddb.put_item(TableName="bgs", Item={"pk": {"S": "a"}, "exp": {"N": str(int(time.time()) + 86400)}})
            time.sleep(0.6)
            self.assertEqual(ddb.scan(TableName="bgs", Select="COUNT")["Count"], 1)
            clock(s, advance="2d")
            deadline = time.time() + 10
            while time.time() < deadline and ddb.scan(TableName="bgs", Select="COUNT")["Count"]:
                time.sleep(0.1)
            self.assertEqual(ddb.scan(TableName="bgs", Select="COUNT")["Count"], 0)


class ClockTokenTest(unittest.TestCase):
    def test_the_control_token_guards_the_clock(self):
        with LocalAws("--control-token", "sekrit", in_memory=True) as s:
            status, _, _ = s.request("POST", "/_localaws/clock", b'{"advance": "1d"}')
            self.assertEqual(status, 401)
            status, _, raw = s.request("POST", "/_localaws/clock", b'{"advance": "1d"}',
                                       {"Authorization": "Bearer sekrit"})
            self.assertEqual(status, 200)
            self.assertFalse(json.loads(raw)["real"])


if __name__ == "__main__":
    unittest.main()
