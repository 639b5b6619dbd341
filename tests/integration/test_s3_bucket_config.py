"""Bucket subresources that infrastructure tools read back, through boto3: every read of an
unconfigured bucket answers as AWS does (the Terraform read-back sequence included), and every
Put/Get/Delete of tagging, logging, notification, replication, request payment, accelerate and the
analytics / inventory / metrics / intelligent-tiering configurations round-trips and validates as
AWS does. Server access log delivery: log objects in AWS's format after a sweep."""
import base64
import hashlib
import json
import re
import unittest
import uuid

import botocore.exceptions

from s3_support import S3TestCase

SECOND = {"accessKeyId": "AKIASECONDACCOUNT01", "secretAccessKey": "second-secret", "accountId": "111122223333",
          "displayName": "second"}
LOG_DELIVERY = "http://acs.amazonaws.com/groups/s3/LogDelivery"
QUEUE = "arn:aws:sqs:us-east-1:000000000000:events"
TOPIC = "arn:aws:sns:us-east-1:000000000000:events"
FUNCTION = "arn:aws:lambda:us-east-1:000000000000:function:on-upload"
ROLE = "arn:aws:iam::000000000000:role/replication"

# After CreateBucket, the reads Terraform's aws_s3_bucket does, and what AWS answers for a bucket
# with nothing configured (API reference "Errors" of each operation; ErrorResponses list):
# GetBucketCors NoSuchCORSConfiguration, GetBucketWebsite NoSuchWebsiteConfiguration,
# GetBucketLifecycleConfiguration NoSuchLifecycleConfiguration, GetBucketReplication
# ReplicationConfigurationNotFoundError, GetObjectLockConfiguration
# ObjectLockConfigurationNotFoundError, GetBucketTagging NoSuchTagSet, GetBucketPolicy
# NoSuchBucketPolicy (all 404); the others answer 200 (encryption: SSE-S3 since January 2023).
TERRAFORM_READS = [
    ("get_bucket_acl", None), ("get_bucket_cors", "NoSuchCORSConfiguration"),
    ("get_bucket_website", "NoSuchWebsiteConfiguration"), ("get_bucket_versioning", None),
    ("get_bucket_accelerate_configuration", None), ("get_bucket_request_payment", None),
    ("get_bucket_logging", None), ("get_bucket_lifecycle_configuration", "NoSuchLifecycleConfiguration"),
    ("get_bucket_replication", "ReplicationConfigurationNotFoundError"), ("get_bucket_encryption", None),
    ("get_object_lock_configuration", "ObjectLockConfigurationNotFoundError"),
    ("get_bucket_tagging", "NoSuchTagSet"), ("get_bucket_policy", "NoSuchBucketPolicy"),
]


def md5_b64(body):
    return base64.b64encode(hashlib.md5(body).digest()).decode()


class BucketConfigCase(S3TestCase):
    accounts = [SECOND]

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.s3b = cls.server.boto3_client("s3", SECOND["accessKeyId"], SECOND["secretAccessKey"])

    def bucket(self, prefix="bc"):
        return super().bucket(prefix)

    def versioned(self, prefix="bc"):
        b = self.bucket(prefix)
        self.s3.put_bucket_versioning(Bucket=b, VersioningConfiguration={"Status": "Enabled"})
        return b

    def err(self, code, status, fn, **kw):
        e = self.assertError(code, fn, status=status, **kw)
        return e["Error"]

    def raw_put(self, bucket, sub, body, md5=True, headers=None):
        h = {"Content-MD5": md5_b64(body)} if md5 else {}
        h.update(headers or {})
        return self.signed("PUT", "/%s?%s" % (bucket, sub), body, h)


class UnconfiguredTest(BucketConfigCase):
    def test_terraform_read_back_sequence(self):
        b = self.bucket()
        for name, code in TERRAFORM_READS:
            with self.subTest(name):
                if code is None:
                    r = getattr(self.s3, name)(Bucket=b)
                    self.assertEqual(r["ResponseMetadata"]["HTTPStatusCode"], 200)
                else:
                    self.err(code, 404, getattr(self.s3, name), Bucket=b)

    def test_empty_documents(self):
        b = self.bucket()
        for sub, root in [("logging", "BucketLoggingStatus"), ("notification", "NotificationConfiguration"),
                          ("accelerate", "AccelerateConfiguration")]:
            status, _, body = self.signed("GET", "/%s?%s" % (b, sub))
            self.assertEqual(status, 200)
            self.assertRegex(body.decode(), r'<%s xmlns="http://s3.amazonaws.com/doc/2006-03-01/"\s*/>' % root)
        self.assertNotIn("LoggingEnabled", self.s3.get_bucket_logging(Bucket=b))
        r = self.s3.get_bucket_notification_configuration(Bucket=b)
        for k in ("TopicConfigurations", "QueueConfigurations", "LambdaFunctionConfigurations",
                  "EventBridgeConfiguration"):
            self.assertNotIn(k, r)
        self.assertNotIn("Status", self.s3.get_bucket_accelerate_configuration(Bucket=b))
        self.assertEqual(self.s3.get_bucket_request_payment(Bucket=b)["Payer"], "BucketOwner")
        e = self.err("ReplicationConfigurationNotFoundError", 404, self.s3.get_bucket_replication, Bucket=b)
        self.assertEqual(e["Message"], "The replication configuration was not found")
        self.err("NoSuchTagSet", 404, self.s3.get_bucket_tagging, Bucket=b)

    def test_empty_lists_and_missing_ids(self):
        b = self.bucket()
        for kind, lst in [("analytics", "AnalyticsConfigurationList"), ("inventory", "InventoryConfigurationList"),
                          ("metrics", "MetricsConfigurationList"),
                          ("intelligent_tiering", "IntelligentTieringConfigurationList")]:
            with self.subTest(kind):
                r = getattr(self.s3, "list_bucket_%s_configurations" % kind)(Bucket=b)
                self.assertFalse(r["IsTruncated"])
                self.assertNotIn(lst, r)
                self.err("NoSuchConfiguration", 404, getattr(self.s3, "get_bucket_%s_configuration" % kind),
                         Bucket=b, Id="nope")
                self.err("NoSuchConfiguration", 404, getattr(self.s3, "delete_bucket_%s_configuration" % kind),
                         Bucket=b, Id="nope")

    def test_other_accounts_are_refused(self):
        b = self.bucket()
        for name in ("get_bucket_tagging", "get_bucket_logging", "get_bucket_notification_configuration",
                     "get_bucket_replication", "get_bucket_accelerate_configuration",
                     "list_bucket_metrics_configurations"):
            with self.subTest(name):
                self.err("AccessDenied", 403, getattr(self.s3b, name), Bucket=b)

    def test_missing_bucket(self):
        self.err("NoSuchBucket", 404, self.s3.get_bucket_logging, Bucket="no-such-" + uuid.uuid4().hex[:8])


class TaggingTest(BucketConfigCase):
    def test_round_trip(self):
        b = self.bucket()
        tags = [{"Key": "env", "Value": "dev"}, {"Key": "empty", "Value": ""}, {"Key": "k" * 128, "Value": "v" * 256}]
        self.s3.put_bucket_tagging(Bucket=b, Tagging={"TagSet": tags})
        self.assertEqual(self.s3.get_bucket_tagging(Bucket=b)["TagSet"], tags)
        # A PUT replaces the whole set.
        self.s3.put_bucket_tagging(Bucket=b, Tagging={"TagSet": [{"Key": "only", "Value": "1"}]})
        self.assertEqual(self.s3.get_bucket_tagging(Bucket=b)["TagSet"], [{"Key": "only", "Value": "1"}])
        r = self.s3.delete_bucket_tagging(Bucket=b)
        self.assertEqual(r["ResponseMetadata"]["HTTPStatusCode"], 204)
        self.err("NoSuchTagSet", 404, self.s3.get_bucket_tagging, Bucket=b)
        self.assertEqual(self.s3.delete_bucket_tagging(Bucket=b)["ResponseMetadata"]["HTTPStatusCode"], 204)

    def test_fifty_tags_and_unicode_lengths(self):
        b = self.bucket()
        tags = [{"Key": "k%02d" % i, "Value": "v"} for i in range(50)]
        self.s3.put_bucket_tagging(Bucket=b, Tagging={"TagSet": tags})
        self.assertEqual(len(self.s3.get_bucket_tagging(Bucket=b)["TagSet"]), 50)
        # Lengths count characters, not bytes: 128 three-byte characters are a valid key.
        self.s3.put_bucket_tagging(Bucket=b, Tagging={"TagSet": [{"Key": "é" * 128, "Value": "€" * 256}]})

    def test_invalid_tags(self):
        b = self.bucket()
        e = self.err("BadRequest", 400, self.s3.put_bucket_tagging, Bucket=b,
                     Tagging={"TagSet": [{"Key": "k%02d" % i, "Value": "v"} for i in range(51)]})
        self.assertEqual(e["Message"], "Bucket tag count cannot be greater than 50")
        cases = [
            ([{"Key": "k" * 129, "Value": "v"}], "The TagKey you have provided is invalid"),
            ([{"Key": "k", "Value": "v" * 257}], "The TagValue you have provided is invalid"),
            ([{"Key": "aws:cloudformation:stack-name", "Value": "v"}], "Your TagKey cannot be prefixed with aws:"),
            ([{"Key": "AWS:x", "Value": "v"}], "Your TagKey cannot be prefixed with aws:"),
            ([{"Key": "a", "Value": "1"}, {"Key": "a", "Value": "2"}],
             "Cannot provide multiple Tags with the same key"),
        ]
        for tags, message in cases:
            with self.subTest(message, n=len(tags)):
                e = self.err("InvalidTag", 400, self.s3.put_bucket_tagging, Bucket=b, Tagging={"TagSet": tags})
                self.assertEqual(e["Message"], message)
        # boto3 refuses an empty key itself: sent raw.
        body = b"<Tagging><TagSet><Tag><Key></Key><Value>v</Value></Tag></TagSet></Tagging>"
        status, _, out = self.raw_put(b, "tagging", body)
        self.assertEqual(status, 400)
        self.assertIn(b"<Code>InvalidTag</Code><Message>The TagKey you have provided is invalid</Message>", out)
        self.err("NoSuchTagSet", 404, self.s3.get_bucket_tagging, Bucket=b)  # nothing was stored

    def test_malformed_and_integrity(self):
        b = self.bucket()
        for body in (b"<Tagging><TagSet><Tag><Key>a</Key></Tag></TagSet></Tagging>", b"<Tagging/>", b"not xml",
                     b"<Other><TagSet/></Other>"):
            with self.subTest(body=body):
                status, _, out = self.raw_put(b, "tagging", body)
                self.assertEqual(status, 400)
                self.assertIn(b"<Code>MalformedXML</Code>", out)
        good = b"<Tagging><TagSet><Tag><Key>a</Key><Value>1</Value></Tag></TagSet></Tagging>"
        status, _, out = self.raw_put(b, "tagging", good, md5=False)
        self.assertEqual(status, 400)
        self.assertIn(b"<Code>InvalidRequest</Code>", out)
        self.assertIn(b"Content-MD5", out)
        status, _, out = self.raw_put(b, "tagging", good, md5=False, headers={"Content-MD5": md5_b64(b"other")})
        self.assertEqual((status, b"<Code>BadDigest</Code>" in out), (400, True))
        status, _, _ = self.raw_put(b, "tagging", good)
        self.assertEqual(status, 200)
        self.assertEqual(self.s3.get_bucket_tagging(Bucket=b)["TagSet"], [{"Key": "a", "Value": "1"}])

    def test_default_checksum_client(self):
        # boto3's default client sends a CRC32 instead of Content-MD5: accepted as the integrity header.
        b = self.bucket()
        self.s3_default.put_bucket_tagging(Bucket=b, Tagging={"TagSet": [{"Key": "a", "Value": "b"}]})
        self.assertEqual(self.s3_default.get_bucket_tagging(Bucket=b)["TagSet"], [{"Key": "a", "Value": "b"}])

    def test_object_tags_are_separate(self):
        b = self.bucket()
        self.s3.put_object(Bucket=b, Key="o", Body=b"x", Tagging="t=1")
        self.err("NoSuchTagSet", 404, self.s3.get_bucket_tagging, Bucket=b)
        self.s3.put_bucket_tagging(Bucket=b, Tagging={"TagSet": [{"Key": "bt", "Value": "2"}]})
        self.assertEqual(self.s3.get_object_tagging(Bucket=b, Key="o")["TagSet"], [{"Key": "t", "Value": "1"}])


class PaymentAccelerateTest(BucketConfigCase):
    def test_request_payment(self):
        b = self.bucket()
        self.s3.put_bucket_request_payment(Bucket=b, RequestPaymentConfiguration={"Payer": "Requester"})
        self.assertEqual(self.s3.get_bucket_request_payment(Bucket=b)["Payer"], "Requester")
        self.s3.put_bucket_request_payment(Bucket=b, RequestPaymentConfiguration={"Payer": "BucketOwner"})
        self.assertEqual(self.s3.get_bucket_request_payment(Bucket=b)["Payer"], "BucketOwner")
        body = b"<RequestPaymentConfiguration><Payer>Nobody</Payer></RequestPaymentConfiguration>"
        status, _, out = self.raw_put(b, "requestPayment", body)
        self.assertEqual((status, b"<Code>MalformedXML</Code>" in out), (400, True))
        body = b"<RequestPaymentConfiguration><Payer>Requester</Payer></RequestPaymentConfiguration>"
        status, _, out = self.raw_put(b, "requestPayment", body, md5=False)
        self.assertEqual((status, b"<Code>InvalidRequest</Code>" in out), (400, True))

    def test_requester_pays_is_enforced_for_other_accounts(self):
        b = self.bucket()
        self.s3.put_object(Bucket=b, Key="k", Body=b"data")
        self.s3.put_bucket_policy(Bucket=b, Policy=json.dumps({"Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "s3:GetObject",
            "Resource": "arn:aws:s3:::%s/*" % b}]}))
        self.assertEqual(self.s3b.get_object(Bucket=b, Key="k")["Body"].read(), b"data")
        self.s3.put_bucket_request_payment(Bucket=b, RequestPaymentConfiguration={"Payer": "Requester"})
        self.err("AccessDenied", 403, self.s3b.get_object, Bucket=b, Key="k")
        got = self.s3b.get_object(Bucket=b, Key="k", RequestPayer="requester")
        self.assertEqual((got["Body"].read(), got["RequestCharged"]), (b"data", "requester"))
        # The owner pays its own requests without saying so.
        got = self.s3.get_object(Bucket=b, Key="k")
        self.assertEqual((got["Body"].read(), "RequestCharged" in got), (b"data", False))

    def test_requester_pays_refuses_anonymous_requests(self):
        b = self.bucket()
        self.s3.put_object(Bucket=b, Key="k", Body=b"data")
        self.s3.delete_public_access_block(Bucket=b)
        self.s3.put_bucket_policy(Bucket=b, Policy=json.dumps({"Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::%s/*" % b}]}))
        self.assertEqual(self.server.get("/%s/k" % b)[0], 200)
        self.s3.put_bucket_request_payment(Bucket=b, RequestPaymentConfiguration={"Payer": "Requester"})
        status, _, _ = self.server.request("GET", "/%s/k" % b, headers={"x-amz-request-payer": "requester"})
        self.assertEqual(status, 403)

    def test_accelerate(self):
        b = self.bucket()
        self.s3.put_bucket_accelerate_configuration(Bucket=b, AccelerateConfiguration={"Status": "Enabled"})
        self.assertEqual(self.s3.get_bucket_accelerate_configuration(Bucket=b)["Status"], "Enabled")
        self.s3.put_bucket_accelerate_configuration(Bucket=b, AccelerateConfiguration={"Status": "Suspended"})
        self.assertEqual(self.s3.get_bucket_accelerate_configuration(Bucket=b)["Status"], "Suspended")
        status, _, out = self.raw_put(b, "accelerate", b"<AccelerateConfiguration><Status>On</Status>"
                                                       b"</AccelerateConfiguration>")
        self.assertEqual((status, b"<Code>MalformedXML</Code>" in out), (400, True))
        dotted = "bc.%s.dots" % uuid.uuid4().hex[:8]
        self.s3.create_bucket(Bucket=dotted)
        e = self.err("InvalidRequest", 400, self.s3.put_bucket_accelerate_configuration, Bucket=dotted,
                     AccelerateConfiguration={"Status": "Enabled"})
        self.assertIn("periods", e["Message"])
        self.assertNotIn("Status", self.s3.get_bucket_accelerate_configuration(Bucket=dotted))


class LoggingTest(BucketConfigCase):
    def test_round_trip_and_disable(self):
        src, logs = self.bucket(), self.bucket("logs")
        self.s3.put_bucket_logging(Bucket=src, BucketLoggingStatus={"LoggingEnabled": {
            "TargetBucket": logs, "TargetPrefix": "access/"}})
        self.assertEqual(self.s3.get_bucket_logging(Bucket=src)["LoggingEnabled"],
                         {"TargetBucket": logs, "TargetPrefix": "access/"})
        fmt = {"PartitionedPrefix": {"PartitionDateSource": "DeliveryTime"}}
        self.s3.put_bucket_logging(Bucket=src, BucketLoggingStatus={"LoggingEnabled": {
            "TargetBucket": logs, "TargetPrefix": "p/", "TargetObjectKeyFormat": fmt}})
        self.assertEqual(self.s3.get_bucket_logging(Bucket=src)["LoggingEnabled"]["TargetObjectKeyFormat"], fmt)
        self.s3.put_bucket_logging(Bucket=src, BucketLoggingStatus={})
        self.assertNotIn("LoggingEnabled", self.s3.get_bucket_logging(Bucket=src))

    def test_target_checks(self):
        src = self.bucket()
        e = self.err("InvalidTargetBucketForLogging", 400, self.s3.put_bucket_logging, Bucket=src,
                     BucketLoggingStatus={"LoggingEnabled": {"TargetBucket": "no-such-" + uuid.uuid4().hex[:8],
                                                             "TargetPrefix": ""}})
        self.assertEqual(e["Message"], "The target bucket for logging does not exist")
        theirs = "bc-theirs-" + uuid.uuid4().hex[:8]
        self.s3b.create_bucket(Bucket=theirs)
        e = self.err("InvalidTargetBucketForLogging", 400, self.s3.put_bucket_logging, Bucket=src,
                     BucketLoggingStatus={"LoggingEnabled": {"TargetBucket": theirs, "TargetPrefix": ""}})
        self.assertEqual(e["Message"], "The owner for the bucket to be logged and the target bucket must be the same.")
        logs = self.bucket("logs")
        grant = {"Grantee": {"Type": "CanonicalUser", "ID": self.s3.list_buckets()["Owner"]["ID"]},
                 "Permission": "READ"}
        e = self.err("AccessControlListNotSupported", 400, self.s3.put_bucket_logging, Bucket=src,
                     BucketLoggingStatus={"LoggingEnabled": {"TargetBucket": logs, "TargetPrefix": "",
                                                             "TargetGrants": [grant]}})
        self.assertEqual(e["Message"], "Target grants not allowed for bucket owner enforced buckets")
        self.assertNotIn("LoggingEnabled", self.s3.get_bucket_logging(Bucket=src))

    def test_acl_target_needs_log_delivery_grants(self):
        src, logs = self.bucket(), self.bucket("logs")
        self.s3.put_bucket_ownership_controls(Bucket=logs, OwnershipControls={
            "Rules": [{"ObjectOwnership": "BucketOwnerPreferred"}]})
        status = {"LoggingEnabled": {"TargetBucket": logs, "TargetPrefix": "l/"}}
        e = self.err("InvalidTargetBucketForLogging", 400, self.s3.put_bucket_logging, Bucket=src,
                     BucketLoggingStatus=status)
        self.assertEqual(e["Message"], "You must give the log-delivery group WRITE and READ_ACP permissions to the "
                                       "target bucket")
        self.s3.put_bucket_acl(Bucket=logs, ACL="log-delivery-write")
        self.s3.put_bucket_logging(Bucket=src, BucketLoggingStatus=status)
        grant = {"Grantee": {"Type": "Group", "URI": LOG_DELIVERY}, "Permission": "READ"}
        status["LoggingEnabled"]["TargetGrants"] = [grant]
        self.s3.put_bucket_logging(Bucket=src, BucketLoggingStatus=status)
        got = self.s3.get_bucket_logging(Bucket=src)["LoggingEnabled"]["TargetGrants"]
        self.assertEqual(got, [{"Grantee": {"Type": "Group", "URI": LOG_DELIVERY}, "Permission": "READ"}])

    def test_malformed(self):
        src, logs = self.bucket(), self.bucket("logs")
        for body in (b"<BucketLoggingStatus><LoggingEnabled><TargetPrefix>p</TargetPrefix></LoggingEnabled>"
                     b"</BucketLoggingStatus>",
                     ("<BucketLoggingStatus><LoggingEnabled><TargetBucket>%s</TargetBucket><TargetPrefix>p"
                      "</TargetPrefix><TargetObjectKeyFormat><PartitionedPrefix><PartitionDateSource>Noon"
                      "</PartitionDateSource></PartitionedPrefix></TargetObjectKeyFormat></LoggingEnabled>"
                      "</BucketLoggingStatus>" % logs).encode(),
                     ("<BucketLoggingStatus><LoggingEnabled><TargetBucket>%s</TargetBucket><TargetPrefix>p"
                      "</TargetPrefix><TargetObjectKeyFormat><SimplePrefix/><PartitionedPrefix/>"
                      "</TargetObjectKeyFormat></LoggingEnabled></BucketLoggingStatus>" % logs).encode()):
            with self.subTest(body=body):
                status, _, out = self.raw_put(src, "logging", body)
                self.assertEqual((status, b"<Code>MalformedXML</Code>" in out), (400, True), out)
        body = b"<BucketLoggingStatus/>"
        status, _, out = self.raw_put(src, "logging", body, md5=False)
        self.assertEqual((status, b"<Code>InvalidRequest</Code>" in out), (400, True))

    def test_log_objects_are_delivered_by_the_sweep(self):
        src, logs = self.bucket(), self.bucket("logs")
        self.s3.put_bucket_logging(Bucket=src, BucketLoggingStatus={"LoggingEnabled": {
            "TargetBucket": logs, "TargetPrefix": "access/"}})
        self.s3.put_object(Bucket=src, Key="a b.txt", Body=b"hello")
        self.s3.get_object(Bucket=src, Key="a b.txt")["Body"].read()
        self.err("NoSuchKey", 404, self.s3.get_object, Bucket=src, Key="missing")
        self.assertEqual(self.s3.list_objects_v2(Bucket=logs)["KeyCount"], 0)  # buffered, not yet delivered
        status, _, _ = self.server.post("/_localaws/lifecycle/run")
        self.assertEqual(status, 200)
        objs = self.s3.list_objects_v2(Bucket=logs).get("Contents", [])
        self.assertEqual(len(objs), 1, "no log object after /_localaws/lifecycle/run (it calls flush_access_logs)")
        self.assertRegex(objs[0]["Key"], r"^access/\d{4}-\d\d-\d\d-\d\d-\d\d-\d\d-[0-9A-F]{16}$")
        got = self.s3.get_object(Bucket=logs, Key=objs[0]["Key"])
        self.assertEqual(got["ServerSideEncryption"], "AES256")  # the target's default encryption
        text = got["Body"].read().decode()
        # The PutBucketLogging request may be logged too (AWS: changes take effect within an hour).
        lines = [l for l in text.splitlines() if " REST.PUT.LOGGING_STATUS " not in l]
        ops = [l.split(" ")[7] for l in lines]
        self.assertEqual(ops, ["REST.PUT.OBJECT", "REST.GET.OBJECT", "REST.GET.OBJECT"])
        owner = self.s3.list_buckets()["Owner"]["ID"]
        first = re.match(r'^(\S+) (\S+) \[(\d\d/\w{3}/\d{4}:\d\d:\d\d:\d\d \+0000)\] (\S+) (\S+) (\S+) (\S+) (\S+) '
                         r'"([^"]*)" (\d{3}) (\S+) (\S+) (\S+) (\d+) (\d+) "([^"]*)" "([^"]*)" (\S+) (\S+) (\S+) '
                         r'(\S+) (\S+) (\S+) (\S+) (\S+) (\S+)$', lines[1])
        self.assertIsNotNone(first, lines[1])
        f = first.groups()
        self.assertEqual((f[0], f[1], f[3], f[4], f[7]), (owner, src, "127.0.0.1", owner, "a%20b.txt"))
        self.assertEqual((f[9], f[10], f[11], f[12]), ("200", "-", "5", "5"))
        self.assertTrue(f[8].startswith("GET /%s/a%%20b.txt" % src), f[8])
        self.assertIn("Botocore", f[16])
        self.assertEqual((f[19], f[21]), ("SigV4", "AuthHeader"))
        self.assertIn("404 NoSuchKey", lines[2])
        # Requests to the log bucket itself are not logged (it has no logging); nothing is left buffered.
        self.server.post("/_localaws/lifecycle/run")
        self.assertEqual(len(self.s3.list_objects_v2(Bucket=logs)["Contents"]), 1)


class NotificationTest(BucketConfigCase):
    def test_round_trip(self):
        b = self.bucket()
        cfg = {
            "QueueConfigurations": [{"Id": "q", "QueueArn": QUEUE, "Events": ["s3:ObjectCreated:*"],
                                     "Filter": {"Key": {"FilterRules": [{"Name": "prefix", "Value": "in/"},
                                                                        {"Name": "suffix", "Value": ".jpg"}]}}}],
            "TopicConfigurations": [{"TopicArn": TOPIC, "Events": ["s3:ObjectRemoved:Delete"]}],
            "LambdaFunctionConfigurations": [{"Id": "fn", "LambdaFunctionArn": FUNCTION,
                                              "Events": ["s3:ObjectRestore:Completed", "s3:ObjectTagging:Put"]}],
            "EventBridgeConfiguration": {},
        }
        self.s3.put_bucket_notification_configuration(Bucket=b, NotificationConfiguration=cfg)
        got = self.s3.get_bucket_notification_configuration(Bucket=b)
        # AWS answers filter rule names capitalized, whatever the PUT sent.
        rules = got["QueueConfigurations"][0]["Filter"]["Key"]["FilterRules"]
        self.assertEqual(rules, [{"Name": "Prefix", "Value": "in/"}, {"Name": "Suffix", "Value": ".jpg"}])
        for r in rules:
            r["Name"] = r["Name"].lower()
        self.assertEqual(got["QueueConfigurations"], cfg["QueueConfigurations"])
        self.assertEqual(got["LambdaFunctionConfigurations"], cfg["LambdaFunctionConfigurations"])
        topic = got["TopicConfigurations"][0]
        self.assertTrue(topic.pop("Id"))  # S3 names configurations that have no Id
        self.assertEqual(topic, cfg["TopicConfigurations"][0])
        self.assertEqual(got["EventBridgeConfiguration"], {})
        # An empty configuration turns notifications off.
        self.s3.put_bucket_notification_configuration(Bucket=b, NotificationConfiguration={})
        self.assertNotIn("QueueConfigurations", self.s3.get_bucket_notification_configuration(Bucket=b))

    def test_validation(self):
        b = self.bucket()
        put = self.s3.put_bucket_notification_configuration
        e = self.err("InvalidArgument", 400, put, Bucket=b, NotificationConfiguration={"QueueConfigurations": [
            {"QueueArn": "arn:aws:sns:us-east-1:000000000000:topic", "Events": ["s3:ObjectCreated:*"]}]})
        self.assertEqual(e["Message"], "Unable to validate the following destination configurations")
        self.err("InvalidArgument", 400, put, Bucket=b, NotificationConfiguration={"LambdaFunctionConfigurations": [
            {"LambdaFunctionArn": "arn:aws:lambda:us-east-1:000000000000:on-upload",
             "Events": ["s3:ObjectCreated:*"]}]})
        e = self.err("InvalidArgument", 400, put, Bucket=b, NotificationConfiguration={"QueueConfigurations": [
            {"QueueArn": QUEUE, "Events": ["s3:ObjectCreated:Rename"]}]})
        self.assertEqual(e["Message"], "The event is not supported for notifications")
        e = self.err("InvalidArgument", 400, put, Bucket=b, NotificationConfiguration={"QueueConfigurations": [
            {"QueueArn": QUEUE, "Events": ["s3:ObjectCreated:*"]},
            {"QueueArn": QUEUE, "Events": ["s3:ObjectCreated:Put"]}]})
        self.assertEqual(e["Message"], "Configurations overlap. Configurations on the same bucket cannot share a "
                                       "common event type.")
        e = self.err("InvalidArgument", 400, put, Bucket=b, NotificationConfiguration={"QueueConfigurations": [
            {"QueueArn": QUEUE, "Events": ["s3:ObjectCreated:*"],
             "Filter": {"Key": {"FilterRules": [{"Name": "prefix", "Value": "logs/"}]}}},
            {"QueueArn": QUEUE, "Events": ["s3:ObjectCreated:*"],
             "Filter": {"Key": {"FilterRules": [{"Name": "prefix", "Value": "logs/2024/"}]}}}]})
        self.assertIn("ambiguously defined", e["Message"])
        # Disjoint prefixes, or different event types, may share a destination.
        put(Bucket=b, NotificationConfiguration={"QueueConfigurations": [
            {"QueueArn": QUEUE, "Events": ["s3:ObjectCreated:*"],
             "Filter": {"Key": {"FilterRules": [{"Name": "prefix", "Value": "a/"}]}}},
            {"QueueArn": QUEUE, "Events": ["s3:ObjectCreated:*"],
             "Filter": {"Key": {"FilterRules": [{"Name": "prefix", "Value": "b/"}]}}},
            {"QueueArn": QUEUE, "Events": ["s3:ObjectRemoved:*"]}]})
        self.assertEqual(len(self.s3.get_bucket_notification_configuration(Bucket=b)["QueueConfigurations"]), 3)
        e = self.err("InvalidArgument", 400, put, Bucket=b, NotificationConfiguration={"QueueConfigurations": [
            {"QueueArn": QUEUE, "Events": ["s3:ObjectCreated:*"],
             "Filter": {"Key": {"FilterRules": [{"Name": "prefix", "Value": "a"},
                                                {"Name": "prefix", "Value": "b"}]}}}]})
        self.assertIn("more than one prefix rule", e["Message"])
        body = (b"<NotificationConfiguration><QueueConfiguration><Queue>%s</Queue></QueueConfiguration>"
                b"</NotificationConfiguration>" % QUEUE.encode())
        status, _, out = self.signed("PUT", "/%s?notification" % b, body)
        self.assertEqual((status, b"<Code>MalformedXML</Code>" in out), (400, True))  # no Event


class ReplicationTest(BucketConfigCase):
    def rule(self, dest, **kw):
        r = {"ID": "r1", "Priority": 1, "Status": "Enabled", "Filter": {"Prefix": ""},
             "DeleteMarkerReplication": {"Status": "Disabled"}, "Destination": {"Bucket": "arn:aws:s3:::" + dest}}
        r.update(kw)
        return r

    def test_round_trip(self):
        src, dest = self.versioned(), self.versioned("dest")
        cfg = {"Role": ROLE, "Rules": [
            self.rule(dest),
            self.rule(dest, ID="tagged", Priority=2, Filter={"And": {"Prefix": "docs/", "Tags": [
                {"Key": "replicate", "Value": "yes"}]}}, Destination={"Bucket": "arn:aws:s3:::" + dest,
                                                                      "StorageClass": "STANDARD_IA"})]}
        self.s3.put_bucket_replication(Bucket=src, ReplicationConfiguration=cfg)
        got = self.s3.get_bucket_replication(Bucket=src)["ReplicationConfiguration"]
        self.assertEqual(got["Role"], ROLE)
        self.assertEqual(got["Rules"], cfg["Rules"])
        self.assertEqual(self.s3.delete_bucket_replication(Bucket=src)["ResponseMetadata"]["HTTPStatusCode"], 204)
        self.err("ReplicationConfigurationNotFoundError", 404, self.s3.get_bucket_replication, Bucket=src)

    def test_v1_prefix_rule_gets_an_id(self):
        src, dest = self.versioned(), self.versioned("dest")
        self.s3.put_bucket_replication(Bucket=src, ReplicationConfiguration={"Role": ROLE, "Rules": [
            {"Prefix": "logs/", "Status": "Enabled", "Destination": {"Bucket": "arn:aws:s3:::" + dest}}]})
        rule = self.s3.get_bucket_replication(Bucket=src)["ReplicationConfiguration"]["Rules"][0]
        self.assertTrue(rule["ID"])
        self.assertEqual(rule["Prefix"], "logs/")

    def test_validation(self):
        plain, dest = self.bucket(), self.versioned("dest")
        put = self.s3.put_bucket_replication
        e = self.err("InvalidRequest", 400, put, Bucket=plain,
                     ReplicationConfiguration={"Role": ROLE, "Rules": [self.rule(dest)]})
        self.assertEqual(e["Message"],
                         "Versioning must be 'Enabled' on the bucket to apply a replication configuration")
        src = self.versioned()
        e = self.err("InvalidRequest", 400, put, Bucket=src,
                     ReplicationConfiguration={"Role": ROLE, "Rules": [self.rule("no-such-" + uuid.uuid4().hex[:8])]})
        self.assertEqual(e["Message"], "Destination bucket must exist.")
        e = self.err("InvalidRequest", 400, put, Bucket=src,
                     ReplicationConfiguration={"Role": ROLE, "Rules": [self.rule(plain)]})
        self.assertEqual(e["Message"], "Destination bucket must have versioning enabled.")
        e = self.err("InvalidRequest", 400, put, Bucket=src, ReplicationConfiguration={"Role": ROLE, "Rules": [
            self.rule(dest), self.rule(dest, ID="r2")]})
        self.assertIn("duplicate priority", e["Message"])
        e = self.err("InvalidRequest", 400, put, Bucket=src, ReplicationConfiguration={"Role": ROLE, "Rules": [
            self.rule(dest, Filter={"Tag": {"Key": "a", "Value": "b"}},
                      DeleteMarkerReplication={"Status": "Enabled"})]})
        self.assertEqual(e["Message"], "Delete marker replication is not supported if any Tag filter is specified.")
        rule = self.rule(dest)
        del rule["DeleteMarkerReplication"]
        e = self.err("InvalidRequest", 400, put, Bucket=src, ReplicationConfiguration={"Role": ROLE, "Rules": [rule]})
        self.assertIn("DeleteMarkerReplication must be specified", e["Message"])
        self.err("InvalidArgument", 400, put, Bucket=src, ReplicationConfiguration={"Role": ROLE, "Rules": [
            self.rule(dest, Destination={"Bucket": dest})]})
        self.err("ReplicationConfigurationNotFoundError", 404, self.s3.get_bucket_replication, Bucket=src)
        body = b"<ReplicationConfiguration><Rule><Status>Enabled</Status></Rule></ReplicationConfiguration>"
        status, _, out = self.raw_put(src, "replication", body)
        self.assertEqual((status, b"<Code>MalformedXML</Code>" in out), (400, True))


class IdConfigurationsTest(BucketConfigCase):
    def test_analytics(self):
        b, dest = self.bucket(), self.bucket("dest")
        cfg = {"Id": "a1", "Filter": {"Prefix": "docs/"}, "StorageClassAnalysis": {"DataExport": {
            "OutputSchemaVersion": "V_1", "Destination": {"S3BucketDestination": {
                "Format": "CSV", "Bucket": "arn:aws:s3:::" + dest, "Prefix": "analytics/"}}}}}
        self.s3.put_bucket_analytics_configuration(Bucket=b, Id="a1", AnalyticsConfiguration=cfg)
        self.assertEqual(self.s3.get_bucket_analytics_configuration(Bucket=b, Id="a1")["AnalyticsConfiguration"], cfg)
        self.assertEqual(self.s3.list_bucket_analytics_configurations(Bucket=b)["AnalyticsConfigurationList"], [cfg])
        self.err("MalformedXML", 400, self.s3.put_bucket_analytics_configuration, Bucket=b, Id="a2",
                 AnalyticsConfiguration={"Id": "a2", "StorageClassAnalysis": {"DataExport": {
                     "OutputSchemaVersion": "V_2", "Destination": {"S3BucketDestination": {
                         "Format": "CSV", "Bucket": "arn:aws:s3:::" + dest}}}}})
        self.s3.delete_bucket_analytics_configuration(Bucket=b, Id="a1")
        self.err("NoSuchConfiguration", 404, self.s3.get_bucket_analytics_configuration, Bucket=b, Id="a1")

    def test_inventory(self):
        b, dest = self.bucket(), self.bucket("dest")
        cfg = {"Destination": {"S3BucketDestination": {"Bucket": "arn:aws:s3:::" + dest, "Format": "Parquet",
                                                       "Prefix": "inv"}},
               "IsEnabled": True, "Id": "weekly", "IncludedObjectVersions": "Current",
               "OptionalFields": ["Size", "ETag"], "Schedule": {"Frequency": "Weekly"}}
        self.s3.put_bucket_inventory_configuration(Bucket=b, Id="weekly", InventoryConfiguration=cfg)
        self.assertEqual(self.s3.get_bucket_inventory_configuration(Bucket=b, Id="weekly")["InventoryConfiguration"],
                         cfg)
        bad = dict(cfg, Schedule={"Frequency": "Hourly"})
        self.err("MalformedXML", 400, self.s3.put_bucket_inventory_configuration, Bucket=b, Id="weekly",
                 InventoryConfiguration=bad)
        bad = dict(cfg, Destination={"S3BucketDestination": {"Bucket": dest, "Format": "CSV"}})
        self.err("InvalidArgument", 400, self.s3.put_bucket_inventory_configuration, Bucket=b, Id="weekly",
                 InventoryConfiguration=bad)
        self.err("InvalidArgument", 400, self.s3.put_bucket_inventory_configuration, Bucket=b, Id="other",
                 InventoryConfiguration=cfg)  # the body's Id differs from ?id=
        self.assertEqual(len(self.s3.list_bucket_inventory_configurations(Bucket=b)["InventoryConfigurationList"]), 1)

    def test_intelligent_tiering(self):
        b = self.bucket()
        cfg = {"Id": "tier", "Filter": {"Prefix": "cold/"}, "Status": "Enabled", "Tierings": [
            {"Days": 90, "AccessTier": "ARCHIVE_ACCESS"}, {"Days": 180, "AccessTier": "DEEP_ARCHIVE_ACCESS"}]}
        self.s3.put_bucket_intelligent_tiering_configuration(Bucket=b, Id="tier", IntelligentTieringConfiguration=cfg)
        got = self.s3.get_bucket_intelligent_tiering_configuration(Bucket=b, Id="tier")
        self.assertEqual(got["IntelligentTieringConfiguration"], cfg)
        for days, tier in ((89, "ARCHIVE_ACCESS"), (179, "DEEP_ARCHIVE_ACCESS"), (731, "ARCHIVE_ACCESS")):
            with self.subTest(days=days, tier=tier):
                self.err("InvalidArgument", 400, self.s3.put_bucket_intelligent_tiering_configuration, Bucket=b,
                         Id="tier", IntelligentTieringConfiguration=dict(cfg, Tierings=[
                             {"Days": days, "AccessTier": tier}]))
        listed = self.s3.list_bucket_intelligent_tiering_configurations(Bucket=b)
        self.assertEqual(listed["IntelligentTieringConfigurationList"], [cfg])
        self.s3.delete_bucket_intelligent_tiering_configuration(Bucket=b, Id="tier")
        self.assertNotIn("IntelligentTieringConfigurationList",
                         self.s3.list_bucket_intelligent_tiering_configurations(Bucket=b))

    def test_metrics_pages_and_limit(self):
        b = self.bucket()
        for i in range(1000):
            self.s3.put_bucket_metrics_configuration(Bucket=b, Id="m%04d" % i, MetricsConfiguration={
                "Id": "m%04d" % i, "Filter": {"Prefix": "p%d/" % i}})
        self.err("TooManyConfigurations", 400, self.s3.put_bucket_metrics_configuration, Bucket=b, Id="one-more",
                 MetricsConfiguration={"Id": "one-more"})
        # Replacing an existing one is not a new configuration.
        self.s3.put_bucket_metrics_configuration(Bucket=b, Id="m0000", MetricsConfiguration={
            "Id": "m0000", "Filter": {"Tag": {"Key": "k", "Value": "v"}}})
        ids, token, pages = [], None, 0
        while True:
            kw = {"ContinuationToken": token} if token else {}
            page = self.s3.list_bucket_metrics_configurations(Bucket=b, **kw)
            pages += 1
            ids += [m["Id"] for m in page["MetricsConfigurationList"]]
            if not page["IsTruncated"]:
                break
            self.assertEqual(len(page["MetricsConfigurationList"]), 100)
            token = page["NextContinuationToken"]
        self.assertEqual((pages, ids), (10, ["m%04d" % i for i in range(1000)]))
        got = self.s3.get_bucket_metrics_configuration(Bucket=b, Id="m0000")["MetricsConfiguration"]
        self.assertEqual(got["Filter"], {"Tag": {"Key": "k", "Value": "v"}})
        self.err("InvalidArgument", 400, self.s3.list_bucket_metrics_configurations, Bucket=b,
                 ContinuationToken="%%%")

    def test_bad_ids(self):
        b = self.bucket()
        self.err("InvalidArgument", 400, self.s3.put_bucket_metrics_configuration, Bucket=b, Id="has space",
                 MetricsConfiguration={"Id": "has space"})
        self.err("InvalidArgument", 400, self.s3.put_bucket_metrics_configuration, Bucket=b, Id="x" * 65,
                 MetricsConfiguration={"Id": "x" * 65})
        self.err("MalformedXML", 400, self.s3.put_bucket_metrics_configuration, Bucket=b, Id="m",
                 MetricsConfiguration={"Id": "m", "Filter": {"Prefix": "a", "Tag": {"Key": "k", "Value": "v"}}})


if __name__ == "__main__":
    unittest.main()
