"""Fault injection (POST /_localaws/faults): rules make matching requests fail with an AWS error,
wait, or lose their connection, so a test can watch its code's retries; nothing is stored by a
request a rule failed, and the journal says which rule fired."""
import http.client
import json
import socket
import time
import unittest
import urllib.parse

import boto3
import botocore.config
import botocore.exceptions

from localaws_support import LocalAws


def faults(s, method="POST", rule=None, path="/_localaws/faults"):
    status, _, raw = s.request(method, path, json.dumps(rule).encode() if rule is not None else None,
                               {"Content-Type": "application/json"} if rule is not None else None)
    return status, json.loads(raw)


def add(s, **rule):
    status, body = faults(s, rule=rule)
    assert status == 201, (status, body)
    return body


def journal(s, limit=20):
    return json.loads(s.get("/_localaws/requests?limit=%d" % limit)[2])["requests"]


def client(s, service, access_key="test", **retries):
    """A boto3 client; without retries given, boto3's own retry configuration (legacy mode)."""
    config = botocore.config.Config(retries=retries) if retries else None
    return boto3.client(service, endpoint_url=s.endpoint, aws_access_key_id=access_key, aws_secret_access_key="test",
                        region_name="us-east-1", config=config)


class FaultsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.s = LocalAws(in_memory=True)
        cls.s.start()
        # One attempt each: every injected error reaches the test.
        cls.s3 = client(cls.s, "s3", total_max_attempts=1)
        cls.ddb = client(cls.s, "dynamodb", total_max_attempts=1)

    @classmethod
    def tearDownClass(cls):
        cls.s.close()

    def setUp(self):
        self.assertEqual(self.s.post("/_localaws/reset")[0], 200)
        self.s3.create_bucket(Bucket="bkt")
        self.ddb.create_table(TableName="faults-table-with-a-long-name", KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                              AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                              BillingMode="PAY_PER_REQUEST")
        self.s.request("DELETE", "/_localaws/requests")

    def tearDown(self):
        faults(self.s, "DELETE")

    def s3_error(self, fn, **kw):
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            fn(**kw)
        e = cm.exception.response
        return e["Error"]["Code"], e["ResponseMetadata"]["HTTPStatusCode"], e

    # --- the API -------------------------------------------------------------------------
    def test_add_list_delete_and_reset(self):
        a = add(self.s, service="s3", operation="PutObject", bucket="bkt", error="SlowDown", probability=1.0, count=1)
        self.assertTrue(a["id"])
        self.assertEqual((a["operation"], a["fired"]), ("PutObject", 0))
        b = add(self.s, service="dynamodb", latency_ms=1)
        status, listed = faults(self.s, "GET")
        self.assertEqual(status, 200)
        self.assertEqual([r["id"] for r in listed["faults"]], [a["id"], b["id"]])

        status, body = faults(self.s, "DELETE", path="/_localaws/faults/" + a["id"])
        self.assertEqual((status, body["deleted"]), (200, a["id"]))
        self.assertEqual(faults(self.s, "DELETE", path="/_localaws/faults/" + a["id"])[0], 404)
        self.assertEqual([r["id"] for r in faults(self.s, "GET")[1]["faults"]], [b["id"]])

        self.assertEqual(faults(self.s, "DELETE")[0], 200)
        self.assertEqual(faults(self.s, "GET")[1]["faults"], [])

        add(self.s, service="s3", error="InternalError")
        self.assertEqual(self.s.post("/_localaws/reset")[0], 200)
        self.assertEqual(faults(self.s, "GET")[1]["faults"], [])

    def test_bad_rules_are_refused_with_a_reason(self):
        cases = [
            ({"service": "s3", "error": "SlowDown", "bogus": 1}, "unknown field 'bogus'"),
            ({"service": "s3", "error": "SlowDown", "probability": 1.5}, "probability"),
            ({"service": "s3", "error": "SlowDown", "probability": -0.1}, "probability"),
            ({"service": "s3", "error": "ThrottlingException"}, "unknown error code 'ThrottlingException' for s3"),
            ({"service": "dynamodb", "error": "SlowDown"}, "unknown error code 'SlowDown' for dynamodb"),
            ({"error": "InternalError"}, "error needs a service"),
            ({"service": "sqs", "latency_ms": 5}, "service"),
            ({"service": "dynamodb", "bucket": "b", "latency_ms": 5}, "bucket applies to s3"),
            ({"service": "s3"}, "needs an effect"),
            ({"service": "s3", "error": "SlowDown", "count": 0}, "count"),
            ({"service": "s3", "latency_ms": -1}, "latency_ms"),
            ({"service": "s3", "status": 500, "latency_ms": 1}, "give error too"),
            ({"service": "s3", "error": "SlowDown", "status": 200}, "status"),
            ({"service": "s3", "cut_connection": "yes"}, "cut_connection"),
            ({"service": "s3", "cut_connection": "after_response"}, "before_response"),
            ({"service": "s3", "cut_connection": 1}, "mid_response"),
            ({"service": "s3", "cut_connection": False}, "needs an effect"),
        ]
        for rule, why in cases:
            status, body = faults(self.s, rule=rule)
            self.assertEqual(status, 400, rule)
            self.assertEqual(body["error"], "InvalidFault", rule)
            self.assertIn(why, body["message"], rule)
        status, _, raw = self.s.request("POST", "/_localaws/faults", b"{not json")
        self.assertEqual(status, 400)
        self.assertEqual(faults(self.s, "GET")[1]["faults"], [])

    # --- effects -------------------------------------------------------------------------
    def test_s3_error_is_s3_xml_and_stores_nothing(self):
        rule = add(self.s, service="s3", operation="PutObject", bucket="bkt", error="SlowDown", count=1)
        code, status, e = self.s3_error(self.s3.put_object, Bucket="bkt", Key="k", Body=b"x")
        self.assertEqual((code, status), ("SlowDown", 503))
        self.assertTrue(e["ResponseMetadata"]["RequestId"])
        self.assertEqual(self.s3.list_objects_v2(Bucket="bkt")["KeyCount"], 0)
        # count: 1 -- the next call goes through
        self.s3.put_object(Bucket="bkt", Key="k", Body=b"x")
        self.assertEqual(self.s3.get_object(Bucket="bkt", Key="k")["Body"].read(), b"x")
        self.assertEqual(faults(self.s, "GET")[1]["faults"][0]["fired"], 1)

        entries = [e for e in journal(self.s) if e["operation"] == "PutObject"]
        self.assertEqual(entries[0]["status"], 503)
        self.assertEqual(entries[0]["fault"], {"id": rule["id"], "error": "SlowDown"})
        self.assertNotIn("fault", entries[1])

    def test_s3_raw_error_document_and_overrides(self):
        add(self.s, service="s3", operation="GetObject", error="AccessDenied", status=429, message="go away")
        status, headers, body = self.s.request("GET", "/bkt/anything")
        self.assertEqual(status, 429)
        self.assertIn(b"<Code>AccessDenied</Code>", body)
        self.assertIn(b"<Message>go away</Message>", body)
        self.assertIn(b"<RequestId>", body)

    def test_dynamodb_errors_have_their_status_and_store_nothing(self):
        for code, want in [("ThrottlingException", 400), ("ProvisionedThroughputExceededException", 400),
                           ("RequestLimitExceeded", 400), ("TransactionConflictException", 400),
                           ("InternalServerError", 500), ("ServiceUnavailable", 503)]:
            faults(self.s, "DELETE")
            add(self.s, service="dynamodb", operation="PutItem", table="faults-table-with-a-long-name", error=code)
            with self.assertRaises(botocore.exceptions.ClientError) as cm:
                self.ddb.put_item(TableName="faults-table-with-a-long-name", Item={"pk": {"S": "a"}})
            r = cm.exception.response
            self.assertEqual((r["Error"]["Code"], r["ResponseMetadata"]["HTTPStatusCode"]), (code, want))
        self.assertEqual(self.ddb.scan(TableName="faults-table-with-a-long-name")["Count"], 0)
        entry = [e for e in journal(self.s) if e["operation"] == "PutItem"][-1]
        self.assertEqual((entry["operation"], entry["fault"]["error"]), ("PutItem", "ServiceUnavailable"))

    def test_dynamodb_message_and_status_overrides(self):
        add(self.s, service="dynamodb", operation="GetItem", error="ThrottlingException", message="slow please",
            status=429)
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            self.ddb.get_item(TableName="faults-table-with-a-long-name", Key={"pk": {"S": "a"}})
        r = cm.exception.response
        self.assertEqual((r["Error"]["Code"], r["Error"]["Message"], r["ResponseMetadata"]["HTTPStatusCode"]),
                         ("ThrottlingException", "slow please", 429))
        self.assertTrue(r["ResponseMetadata"]["RequestId"])

    def test_latency_delays_and_combines(self):
        add(self.s, service="dynamodb", latency_ms=300)
        t0 = time.monotonic()
        self.ddb.get_item(TableName="faults-table-with-a-long-name", Key={"pk": {"S": "a"}})
        self.assertGreaterEqual(time.monotonic() - t0, 0.3)
        t0 = time.monotonic()
        self.s3.list_objects_v2(Bucket="bkt")  # another service: no delay
        self.assertLess(time.monotonic() - t0, 0.25)
        self.assertEqual(journal(self.s)[-2]["fault"]["latencyMs"], 300)

        faults(self.s, "DELETE")
        add(self.s, service="s3", operation="HeadBucket", latency_ms=200, error="InternalError")
        t0 = time.monotonic()
        code, status, _ = self.s3_error(self.s3.head_bucket, Bucket="bkt")
        self.assertGreaterEqual(time.monotonic() - t0, 0.2)
        self.assertEqual(status, 500)

    def test_cut_connection_closes_mid_response(self):
        rule = add(self.s, service="s3", operation="ListObjectsV2", cut_connection=True, count=1)
        u = urllib.parse.urlparse(self.s.endpoint)
        conn = http.client.HTTPConnection(u.hostname, u.port, timeout=10)
        conn.request("GET", "/bkt?list-type=2")
        with self.assertRaises((http.client.HTTPException, ConnectionError)):
            conn.getresponse().read()
        conn.close()
        # The rule has fired its one time: the bucket lists again, and the journal tells.
        self.assertEqual(self.s3.list_objects_v2(Bucket="bkt")["KeyCount"], 0)
        cut = [e for e in journal(self.s) if e.get("fault")]
        self.assertEqual(cut[0]["fault"], {"id": rule["id"], "cutConnection": "mid_response"})

    def raw_exchange(self, request):
        """Sends request bytes on a fresh connection; returns every byte received until EOF."""
        u = urllib.parse.urlparse(self.s.endpoint)
        with socket.create_connection((u.hostname, u.port), timeout=10) as sock:
            sock.sendall(request)
            got = b""
            while True:
                try:
                    chunk = sock.recv(65536)
                except ConnectionResetError:
                    break
                if not chunk:
                    break
                got += chunk
            return got

    def test_cut_connection_before_response_sends_nothing(self):
        rule = add(self.s, service="s3", operation="ListObjectsV2", cut_connection="before_response", count=1)
        self.assertEqual(rule["cut_connection"], "before_response")
        request = b"GET /bkt?list-type=2 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
        self.assertEqual(self.raw_exchange(request), b"")  # not a byte, then the end of the connection
        # The rule has fired its one time: the same request now gets a whole response.
        self.assertTrue(self.raw_exchange(request.replace(b"HTTP/1.1\r\n", b"HTTP/1.1\r\nConnection: close\r\n"))
                        .startswith(b"HTTP/1.1 "))
        self.assertEqual(faults(self.s, "GET")[1]["faults"][0]["fired"], 1)
        cut = [e for e in journal(self.s) if e.get("fault")]
        self.assertEqual(len(cut), 1)
        self.assertEqual(cut[0]["fault"], {"id": rule["id"], "cutConnection": "before_response"})

    def test_mid_response_is_the_same_as_true(self):
        rule = add(self.s, service="s3", operation="ListObjectsV2", cut_connection="mid_response", count=1)
        got = self.raw_exchange(b"GET /bkt?list-type=2 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        self.assertTrue(got.startswith(b"HTTP/1.1 "), got)  # the status line and some headers ...
        self.assertNotIn(b"\r\n\r\n", got)                  # ... but never the whole header block
        self.assertEqual([e["fault"] for e in journal(self.s) if e.get("fault")],
                         [{"id": rule["id"], "cutConnection": "mid_response"}])

    # --- matching ------------------------------------------------------------------------
    def test_matching_fields(self):
        self.s3.create_bucket(Bucket="other")
        add(self.s, bucket="bkt", key_prefix="logs/", error="InternalError")
        add(self.s, table="faults-table-with-a-long-name", operation="GetItem", principal="000000000000", error="InternalServerError")
        self.assertEqual(self.s3_error(self.s3.put_object, Bucket="bkt", Key="logs/1", Body=b"")[1], 500)
        self.s3.put_object(Bucket="bkt", Key="data/1", Body=b"")      # another prefix
        self.s3.put_object(Bucket="other", Key="logs/1", Body=b"")  # another bucket
        self.ddb.put_item(TableName="faults-table-with-a-long-name", Item={"pk": {"S": "a"}})   # another operation
        with self.assertRaises(botocore.exceptions.ClientError):
            self.ddb.get_item(TableName="faults-table-with-a-long-name", Key={"pk": {"S": "a"}})
        other_key = client(self.s, "dynamodb", access_key="111111111111", total_max_attempts=1)  # another account
        other_key.create_table(TableName="faults-table-with-a-long-name", KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                               AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                               BillingMode="PAY_PER_REQUEST")
        other_key.get_item(TableName="faults-table-with-a-long-name", Key={"pk": {"S": "a"}})
        # principal may also be the access key id
        faults(self.s, "DELETE")
        add(self.s, principal="test", service="s3", error="AccessDenied")
        self.assertEqual(self.s3_error(self.s3.list_buckets)[0], "AccessDenied")

    def test_count_and_probability(self):
        add(self.s, service="s3", operation="HeadBucket", error="ServiceUnavailable", count=2)
        results = []
        for _ in range(4):
            try:
                self.s3.head_bucket(Bucket="bkt")
                results.append(200)
            except botocore.exceptions.ClientError as e:
                results.append(e.response["ResponseMetadata"]["HTTPStatusCode"])
        self.assertEqual(results, [503, 503, 200, 200])

        faults(self.s, "DELETE")
        never = add(self.s, service="s3", operation="HeadBucket", error="InternalError", probability=0)
        for _ in range(20):
            self.s3.head_bucket(Bucket="bkt")
        always = add(self.s, service="s3", operation="HeadBucket", error="InternalError", probability=1)
        for _ in range(5):
            self.assertEqual(self.s3_error(self.s3.head_bucket, Bucket="bkt")[1], 500)
        fired = {r["id"]: r["fired"] for r in faults(self.s, "GET")[1]["faults"]}
        self.assertEqual((fired[never["id"]], fired[always["id"]]), (0, 5))

        faults(self.s, "DELETE")
        half = add(self.s, service="s3", operation="HeadBucket", error="InternalError", probability=0.5)
        failed = 0
        for _ in range(60):
            try:
                self.s3.head_bucket(Bucket="bkt")
            except botocore.exceptions.ClientError:
                failed += 1
        self.assertTrue(5 < failed < 55, failed)
        self.assertEqual(faults(self.s, "GET")[1]["faults"][0]["fired"], failed)

    # --- the SDK's retries recover -------------------------------------------------------
    def test_boto3_default_retries_recover(self):
        s3 = client(self.s, "s3")
        ddb = client(self.s, "dynamodb")
        add(self.s, service="s3", operation="PutObject", bucket="bkt", error="SlowDown", count=2)
        add(self.s, service="dynamodb", operation="PutItem", table="faults-table-with-a-long-name", error="ThrottlingException", count=2)
        r = s3.put_object(Bucket="bkt", Key="k", Body=b"hello")
        self.assertEqual(r["ResponseMetadata"]["RetryAttempts"], 2)
        self.assertEqual(s3.get_object(Bucket="bkt", Key="k")["Body"].read(), b"hello")
        r = ddb.put_item(TableName="faults-table-with-a-long-name", Item={"pk": {"S": "a"}})
        self.assertEqual(r["ResponseMetadata"]["RetryAttempts"], 2)
        self.assertEqual(ddb.get_item(TableName="faults-table-with-a-long-name", Key={"pk": {"S": "a"}})["Item"], {"pk": {"S": "a"}})

        puts = [(e["status"], e.get("fault", {}).get("error")) for e in journal(self.s, 50)
                if e["operation"] in ("PutObject", "PutItem")]
        self.assertEqual(puts, [(503, "SlowDown")] * 2 + [(200, None)] + [(400, "ThrottlingException")] * 2 +
                         [(200, None)])

    def test_boto3_retries_a_cut_connection(self):
        s3 = client(self.s, "s3", mode="standard", total_max_attempts=3)
        add(self.s, service="s3", operation="ListObjectsV2", cut_connection=True, count=1)
        r = s3.list_objects_v2(Bucket="bkt")
        self.assertEqual(r["ResponseMetadata"]["RetryAttempts"], 1)

    def test_boto3_retries_a_connection_cut_before_the_response(self):
        s3 = client(self.s, "s3", mode="standard", total_max_attempts=3)
        ddb = client(self.s, "dynamodb", mode="standard", total_max_attempts=3)
        add(self.s, service="s3", operation="PutObject", bucket="bkt", cut_connection="before_response", count=1)
        add(self.s, service="dynamodb", operation="PutItem", cut_connection="before_response", count=1)
        r = s3.put_object(Bucket="bkt", Key="k", Body=b"after a reset")
        self.assertEqual(r["ResponseMetadata"]["RetryAttempts"], 1)
        self.assertEqual(s3.get_object(Bucket="bkt", Key="k")["Body"].read(), b"after a reset")
        r = ddb.put_item(TableName="faults-table-with-a-long-name", Item={"pk": {"S": "a"}})
        self.assertEqual(r["ResponseMetadata"]["RetryAttempts"], 1)
        self.assertEqual([r["fired"] for r in faults(self.s, "GET")[1]["faults"]], [1, 1])
        # With one attempt the SDK reports the lost connection.
        add(self.s, service="s3", operation="ListObjectsV2", cut_connection="before_response", count=1)
        with self.assertRaises((botocore.exceptions.ConnectionClosedError, botocore.exceptions.EndpointConnectionError)):
            self.s3.list_objects_v2(Bucket="bkt")


if __name__ == "__main__":
    unittest.main()
