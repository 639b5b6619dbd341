"""The request journal (GET /_localaws/requests) records what an SDK really sent: the query string,
the Host and the other headers in order (signatures and tokens redacted), the AWS error code of
an error, S3's bucket and key, DynamoDB's table(s) and JSON body (at most 64 KiB). Server-side
filters and an after=SEQ cursor let a reader fetch only what it wants and only what is new; the
journal stays bounded in memory."""
import json
import unittest
import urllib.parse
import urllib.request

import boto3
import botocore.exceptions

from localaws_support import LocalAws


class JournalTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.la = LocalAws(in_memory=True).start()
        cls.s3 = cls.la.boto3_client("s3")
        cls.ddb = cls.la.boto3_client("dynamodb")
        cls.sent = []  # (headers, body) of every request boto3 sent, as signed
        for c in (cls.s3, cls.ddb):
            c.meta.events.register("before-send", lambda request, **_: cls.sent.append(request))
        cls.s3.create_bucket(Bucket="journal-bucket")
        for name in ("journal-shops", "journal-other"):
            cls.ddb.create_table(TableName=name, BillingMode="PAY_PER_REQUEST",
                                 AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
                                 KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}])

    @classmethod
    def tearDownClass(cls):
        cls.la.close()

    def journal(self, query=""):
        status, _, body = self.la.get("/_localaws/requests" + ("?" + query if query else ""))
        self.assertEqual(status, 200, body)
        return json.loads(body)

    def entries(self, query=""):
        return self.journal(query)["requests"]

    def last(self, operation):
        found = [e for e in self.entries("limit=1000") if e["operation"] == operation]
        self.assertTrue(found, operation)
        return found[-1]

    def signature_sent(self):
        auth = self.sent[-1].headers["Authorization"]
        auth = auth.decode() if isinstance(auth, bytes) else auth
        return auth.split("Signature=")[1]

    def assert_not_in_journal(self, secret):
        self.assertGreater(len(secret), 15)
        _, _, raw = self.la.get("/_localaws/requests?limit=1000")
        self.assertNotIn(secret, raw.decode())

    # --- what an entry holds -------------------------------------------------------------------
    def test_s3_call_query_host_headers_bucket_key_and_body(self):
        self.s3.put_object(Bucket="journal-bucket", Key="a dir/b+c.txt", Body=b"hello", Metadata={"colour": "blue"})
        self.s3.put_object_tagging(Bucket="journal-bucket", Key="a dir/b+c.txt",
                                   Tagging={"TagSet": [{"Key": "team", "Value": "coffee"}]})
        signature = self.signature_sent()
        e = self.last("PutObjectTagging")
        self.assertEqual((e["service"], e["method"], e["status"]), ("s3", "PUT", 200))
        self.assertEqual(e["query"], "tagging")
        self.assertEqual(e["host"], urllib.parse.urlsplit(self.la.endpoint).netloc)
        self.assertEqual((e["bucket"], e["key"]), ("journal-bucket", "a dir/b+c.txt"))
        self.assertEqual(e["resource"], "/journal-bucket/a%20dir/b%2Bc.txt")
        names = [k for k, _ in e["headers"]]
        self.assertEqual(names[0], "host")  # in the order sent, names in lower case
        self.assertIn("x-amz-content-sha256", names)
        self.assertIn("<Key>team</Key><Value>coffee</Value>", e["body"])
        self.assertFalse(e["bodyTruncated"])
        self.assertNotIn("errorCode", e)
        # The signature is redacted; the credential and the signed headers stay.
        auth = dict(e["headers"])["authorization"]
        self.assertRegex(auth, r"^AWS4-HMAC-SHA256 Credential=test/\d{8}/us-east-1/s3/aws4_request, "
                               r"SignedHeaders=[a-z0-9;-]+, Signature=REDACTED$")
        self.assert_not_in_journal(signature)
        put = self.last("PutObject")
        self.assertEqual(dict(put["headers"])["x-amz-meta-colour"], "blue")
        self.assertNotIn("body", put)  # object bytes are never journaled

    def test_s3_error_code(self):
        with self.assertRaises(botocore.exceptions.ClientError):
            self.s3.get_object(Bucket="journal-bucket", Key="no such key")
        e = self.last("GetObject")
        self.assertEqual((e["status"], e["errorCode"], e["key"]), (404, "NoSuchKey", "no such key"))
        with self.assertRaises(botocore.exceptions.ClientError):
            self.s3.get_bucket_versioning(Bucket="no-such-journal-bucket")
        e = self.last("GetBucketVersioning")
        self.assertEqual((e["errorCode"], e["bucket"], e["query"]), ("NoSuchBucket", "no-such-journal-bucket", "versioning"))

    def test_presigned_url_and_session_token_are_redacted(self):
        self.s3.put_object(Bucket="journal-bucket", Key="presigned", Body=b"x")
        v4 = self.la.boto3_client("s3", signature_version="s3v4")
        url = v4.generate_presigned_url("get_object", Params={"Bucket": "journal-bucket", "Key": "presigned"})
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)
        with urllib.request.urlopen(url) as r:
            self.assertEqual(r.read(), b"x")
        e = self.last("GetObject")
        self.assertIn("X-Amz-Signature=REDACTED", e["query"])
        self.assertIn("X-Amz-Credential=test%2F", e["query"])
        self.assert_not_in_journal(query["X-Amz-Signature"][0])
        # SigV2 presigned (boto3's default for S3 URLs without a signature_version).
        v2 = self.la.boto3_client("s3", signature_version="s3")
        url = v2.generate_presigned_url("get_object", Params={"Bucket": "journal-bucket", "Key": "presigned"})
        with urllib.request.urlopen(url) as r:
            self.assertEqual(r.read(), b"x")
        e = self.last("GetObject")
        self.assertIn("&Signature=REDACTED&", e["query"])
        self.assertIn("AWSAccessKeyId=test", e["query"])
        v2_signature = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)["Signature"][0]
        self.assert_not_in_journal(urllib.parse.quote(v2_signature, safe=""))

        token = "FQoGZXIvYXdzEXAMPLE-session-token-" + "s" * 40
        s3 = boto3.client("s3", endpoint_url=self.la.endpoint, region_name="us-east-1", aws_access_key_id="test",
                          aws_secret_access_key="test", aws_session_token=token)  # as an assumed role's
        s3.head_bucket(Bucket="journal-bucket")
        e = self.last("HeadBucket")
        self.assertEqual(dict(e["headers"])["x-amz-security-token"], "REDACTED")
        self.assert_not_in_journal(token)
        presigned = s3.generate_presigned_url("head_bucket", Params={"Bucket": "journal-bucket"})
        urllib.request.urlopen(urllib.request.Request(presigned, method="HEAD")).close()
        e = self.last("HeadBucket")
        self.assertRegex(e["query"], r"(?i)(^|&)x-amz-security-token=REDACTED(&|$)")
        self.assert_not_in_journal(urllib.parse.quote(token, safe=""))

    def test_dynamodb_table_body_and_error_code(self):
        item = {"id": {"S": "joe's"}, "Big": {"N": "12345678901234567890"}}
        self.ddb.put_item(TableName="journal-shops", Item=item)
        signature = self.signature_sent()
        body_sent = self.sent[-1].body
        e = self.last("PutItem")
        self.assertEqual((e["service"], e["table"], e["status"]), ("dynamodb", "journal-shops", 200))
        self.assertEqual(e["body"], body_sent.decode() if isinstance(body_sent, bytes) else body_sent)
        self.assertEqual(json.loads(e["body"])["Item"], item)
        self.assertEqual(dict(e["headers"])["x-amz-target"], "DynamoDB_20120810.PutItem")
        self.assertFalse(e["bodyTruncated"])
        self.assert_not_in_journal(signature)

        with self.assertRaises(botocore.exceptions.ClientError):
            self.ddb.describe_table(TableName="no-such-journal-table")
        e = self.last("DescribeTable")
        self.assertEqual((e["status"], e["errorCode"], e["table"]), (400, "ResourceNotFoundException", "no-such-journal-table"))

    def test_dynamodb_batch_and_transact_name_every_table(self):
        self.ddb.batch_write_item(RequestItems={
            "journal-shops": [{"PutRequest": {"Item": {"id": {"S": "b1"}}}}],
            "journal-other": [{"PutRequest": {"Item": {"id": {"S": "b2"}}}}]})
        e = self.last("BatchWriteItem")
        self.assertEqual(sorted(e["tables"]), ["journal-other", "journal-shops"])
        self.assertIn(e["table"], e["tables"])
        self.ddb.transact_write_items(TransactItems=[
            {"Put": {"TableName": "journal-other", "Item": {"id": {"S": "t1"}}}},
            {"Delete": {"TableName": "journal-shops", "Key": {"id": {"S": "t2"}}}},
            {"Put": {"TableName": "journal-other", "Item": {"id": {"S": "t3"}}}}])
        e = self.last("TransactWriteItems")
        self.assertEqual(e["tables"], ["journal-other", "journal-shops"])
        self.ddb.list_tables()
        self.assertNotIn("table", self.last("ListTables"))

    def test_large_dynamodb_body_is_cut_at_64_kib(self):
        self.ddb.put_item(TableName="journal-shops", Item={"id": {"S": "big"}, "Blob": {"S": "é" * 60000}})
        e = self.last("PutItem")
        self.assertTrue(e["bodyTruncated"])
        self.assertLessEqual(len(e["body"].encode()), 64 * 1024)
        self.assertGreater(len(e["body"].encode()), 64 * 1024 - 4)
        self.assertTrue(e["body"].startswith('{"TableName": "journal-shops"'))
        self.assertNotIn("\ufffd", e["body"])  # cut between characters, not inside one

    def test_refused_signature_keeps_body_and_code_but_not_the_signature(self):
        bad = self.la.boto3_client("dynamodb", secret_key="wrong-secret")
        bad.meta.events.register("before-send", lambda request, **_: self.sent.append(request))
        with self.assertRaises(botocore.exceptions.ClientError):
            bad.get_item(TableName="journal-shops", Key={"id": {"S": "x"}})
        signature = self.signature_sent()
        e = self.last("Auth")
        self.assertEqual(e["errorCode"], "InvalidSignatureException")
        self.assertEqual(e["authFailure"]["error"], "InvalidSignatureException")
        self.assertEqual(json.loads(e["body"])["Key"], {"id": {"S": "x"}})
        self.assertNotIn("table", e)  # refused before the service parsed it: only the body
        self.assert_not_in_journal(signature)

    # --- filters and the cursor ----------------------------------------------------------------
    def test_filters(self):
        self.ddb.get_item(TableName="journal-other", Key={"id": {"S": "f"}})
        with self.assertRaises(botocore.exceptions.ClientError):
            self.s3.head_object(Bucket="journal-bucket", Key="missing-for-filter")
        for e in self.entries("service=dynamodb&limit=1000"):
            self.assertEqual(e["service"], "dynamodb")
        ops = {e["operation"] for e in self.entries("operation=GetItem,HeadObject&limit=1000")}
        self.assertEqual(ops, {"GetItem", "HeadObject"})
        self.assertEqual({e["operation"] for e in self.entries("operation=getitem")}, {"GetItem"})
        errors = self.entries("errors=true&limit=1000")
        self.assertTrue(errors and all(e["status"] >= 400 for e in errors))
        self.assertEqual([e["status"] for e in self.entries("status=error&limit=1000")], [e["status"] for e in errors])
        self.assertTrue(all(e["status"] == 404 for e in self.entries("status=404&limit=1000")))
        self.assertIn("HeadObject", [e["operation"] for e in self.entries("status=4xx&limit=1000")])
        self.assertTrue(all(e["status"] < 400 for e in self.entries("status=ok&limit=1000")))
        for e in self.entries("table=journal-other&limit=1000"):
            self.assertIn("journal-other", e.get("tables", [e.get("table")]))
        self.assertIn("GetItem", [e["operation"] for e in self.entries("table=journal-other&limit=1000")])
        in_bucket = self.entries("bucket=journal-bucket&limit=1000")
        self.assertTrue(in_bucket and all(e["bucket"] == "journal-bucket" for e in in_bucket))
        # Filters apply before the limit: the newest matching entry, however old.
        self.assertEqual([e["operation"] for e in self.entries("operation=CreateBucket&limit=1")], ["CreateBucket"])
        for bad in ("status=teapot", "status=99", "service=sqs", "after=-1", "limit=0"):
            self.assertEqual(self.la.get("/_localaws/requests?" + bad)[0], 400, bad)

    def test_cursor_returns_only_newer_entries_and_pages_forward(self):
        page = self.journal("limit=1")
        seq = page["latestSeq"]
        self.assertEqual(page["requests"][-1]["seq"], seq)
        self.assertEqual(self.journal("after=%d" % seq)["requests"], [])
        for i in range(5):
            self.ddb.get_item(TableName="journal-shops", Key={"id": {"S": "cursor-%d" % i}})
        first = self.journal("after=%d&limit=2&operation=GetItem" % seq)
        self.assertTrue(first["more"])
        got = first["requests"]
        while True:
            page = self.journal("after=%d&limit=2&operation=GetItem" % got[-1]["seq"])
            got += page["requests"]
            if not page["more"]:
                break
        self.assertEqual([json.loads(e["body"])["Key"]["id"]["S"] for e in got], ["cursor-%d" % i for i in range(5)])
        self.assertEqual([e["seq"] for e in got], sorted(e["seq"] for e in got))
        self.assertGreaterEqual(page["latestSeq"], got[-1]["seq"])

    def test_clear_keeps_the_sequence_going(self):
        la = LocalAws(in_memory=True).start()
        try:
            s3 = la.boto3_client("s3")
            s3.list_buckets()
            seq = json.loads(la.get("/_localaws/requests")[2])["latestSeq"]
            self.assertEqual(la.request("DELETE", "/_localaws/requests")[0], 200)
            s3.list_buckets()
            after = json.loads(la.get("/_localaws/requests?after=%d" % seq)[2])["requests"]
            self.assertEqual([e["seq"] for e in after], [seq + 1])
        finally:
            la.close()

    # --- the memory bound ----------------------------------------------------------------------
    def test_old_bodies_are_let_go_to_bound_memory(self):
        la = LocalAws(in_memory=True).start()
        try:
            ddb = la.boto3_client("dynamodb")
            ddb.create_table(TableName="bound", BillingMode="PAY_PER_REQUEST",
                             AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
                             KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}])
            for i in range(100):  # 100 bodies of 60 KB: 6 MB, more than the 4 MiB kept
                ddb.put_item(TableName="bound", Item={"id": {"S": str(i)}, "Pad": {"S": "p" * 60000}})
            puts = json.loads(la.get("/_localaws/requests?limit=1000&operation=PutItem")[2])["requests"]
            self.assertEqual(len(puts), 100)
            kept = sum(len(e["body"]) for e in puts)
            self.assertLessEqual(kept, 4 << 20)
            self.assertGreater(kept, 3 << 20)
            self.assertTrue(puts[0]["bodyDropped"])
            self.assertEqual(puts[0]["body"], "")
            self.assertNotIn("bodyDropped", puts[-1])
            self.assertEqual(json.loads(puts[-1]["body"])["Item"]["id"], {"S": "99"})
            # Entries themselves stay (their headers are small): only the bodies went.
            self.assertEqual([json.loads(e["body"])["Item"]["id"]["S"] for e in puts if e["body"]][-1], "99")
        finally:
            la.close()

    def test_entry_count_is_bounded(self):
        la = LocalAws(in_memory=True).start()
        try:
            for _ in range(1010):
                la.get("/journal-count-probe")
            entries = json.loads(la.get("/_localaws/requests?limit=1000")[2])["requests"]
            self.assertEqual(len(entries), 1000)
            self.assertEqual(entries[-1]["seq"] - entries[0]["seq"], 999)
            self.assertEqual(entries[0]["seq"], 11)
        finally:
            la.close()


if __name__ == "__main__":
    unittest.main()
