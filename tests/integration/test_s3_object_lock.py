"""S3 Object Lock through boto3, asserted against AWS's documented behaviour: CreateBucket with
ObjectLockEnabledForBucket, Put/GetObjectLockConfiguration (default retention in days or years, enabling it on
an existing versioned bucket), Put/GetObjectRetention (governance, compliance), Put/GetObjectLegalHold, the
x-amz-object-lock-* headers on PUT, copy, multipart and POST, and enforcement: locked versions cannot be
deleted (AccessDenied) while delete markers and new versions can still be written, DeleteObjects reports per
key, and only callers with s3:BypassGovernanceRetention can bypass governance mode."""
import base64
import datetime
import hashlib
import json
import time
import unittest
import uuid

import botocore.exceptions
import requests

from test_s3_versioning import VersioningCase, body_of

UTC = datetime.timezone.utc
OTHER_ACCOUNT = "111122223333"  # S3TestCase's second account, keys other/other


def md5_b64(data):
    return base64.b64encode(hashlib.md5(data).digest()).decode()


def in_days(days, seconds=0):
    t = datetime.datetime.now(UTC) + datetime.timedelta(days=days, seconds=seconds)
    return t.replace(microsecond=0)


class LockCase(VersioningCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other = cls.server.boto3_client("s3", access_key="other", secret_key="other")

    def lock_bucket(self, prefix="lock"):
        name = "%s-%s" % (prefix, uuid.uuid4().hex[:12])
        self.s3.create_bucket(Bucket=name, ObjectLockEnabledForBucket=True)
        return name

    def put(self, bucket, key, data=b"locked bytes", **kw):
        """PutObject with Content-MD5: AWS requires Content-MD5 or an x-amz-checksum-* for any PUT with
        Object Lock parameters or into a bucket with a default retention (API_PutObject: "The Content-MD5
        or x-amz-sdk-checksum-algorithm header is required for any request to upload an object with a
        retention period configured using Amazon S3 Object Lock")."""
        return self.s3.put_object(Bucket=bucket, Key=key, Body=data, ContentMD5=md5_b64(data), **kw)

    def retention(self, bucket, key, vid):
        return self.s3.get_object_retention(Bucket=bucket, Key=key, VersionId=vid)["Retention"]


class LockConfigurationTest(LockCase):
    def test_create_bucket_with_object_lock_turns_versioning_on_for_good(self):
        b = self.lock_bucket()
        self.assertEqual(self.s3.get_bucket_versioning(Bucket=b)["Status"], "Enabled")
        conf = self.s3.get_object_lock_configuration(Bucket=b)["ObjectLockConfiguration"]
        self.assertEqual(conf, {"ObjectLockEnabled": "Enabled"})
        # "After you enable Object Lock on a bucket, you can't disable Object Lock or suspend versioning for
        # that bucket." (userguide/object-lock-configure.html) -- 409 InvalidBucketState.
        self.assertError("InvalidBucketState", self.s3.put_bucket_versioning, Bucket=b,
                         VersioningConfiguration={"Status": "Suspended"}, status=409)
        self.assertEqual(self.s3.get_bucket_versioning(Bucket=b)["Status"], "Enabled")
        # Enabled again is harmless.
        self.s3.put_bucket_versioning(Bucket=b, VersioningConfiguration={"Status": "Enabled"})
        # The CreateBucket header is what the CLI and SDKs send.
        raw = "lock-raw-" + uuid.uuid4().hex[:12]
        status, _, body = self.signed("PUT", "/" + raw, headers={"x-amz-bucket-object-lock-enabled": "true"})
        self.assertEqual(status, 200, body)
        self.assertEqual(self.s3.get_bucket_versioning(Bucket=raw)["Status"], "Enabled")
        self.assertEqual(self.s3.get_object_lock_configuration(Bucket=raw)["ObjectLockConfiguration"],
                         {"ObjectLockEnabled": "Enabled"})

    def test_no_configuration_on_a_plain_bucket(self):
        b = self.bucket()
        err = self.assertError("ObjectLockConfigurationNotFoundError", self.s3.get_object_lock_configuration,
                               Bucket=b, status=404)
        self.assertEqual(err["Error"]["Message"], "Object Lock configuration does not exist for this bucket")
        self.assertError("NoSuchBucket", self.s3.get_object_lock_configuration, Bucket="no-such-lock-bucket",
                         status=404)

    def test_default_retention_in_days_or_years(self):
        b = self.lock_bucket()
        for rule in ({"Mode": "GOVERNANCE", "Days": 1}, {"Mode": "COMPLIANCE", "Years": 2},
                     {"Mode": "GOVERNANCE", "Days": 36500}):
            with self.subTest(rule=rule):
                self.s3.put_object_lock_configuration(Bucket=b, ObjectLockConfiguration={
                    "ObjectLockEnabled": "Enabled", "Rule": {"DefaultRetention": rule}})
                got = self.s3.get_object_lock_configuration(Bucket=b)["ObjectLockConfiguration"]
                self.assertEqual(got, {"ObjectLockEnabled": "Enabled", "Rule": {"DefaultRetention": rule}})
        # Removing the rule: a configuration without Rule keeps the lock, drops the default.
        self.s3.put_object_lock_configuration(Bucket=b, ObjectLockConfiguration={"ObjectLockEnabled": "Enabled"})
        self.assertEqual(self.s3.get_object_lock_configuration(Bucket=b)["ObjectLockConfiguration"],
                         {"ObjectLockEnabled": "Enabled"})

    def test_bad_configurations(self):
        b = self.lock_bucket()

        def put_rule(rule):
            return self.s3.put_object_lock_configuration(Bucket=b, ObjectLockConfiguration={
                "ObjectLockEnabled": "Enabled", "Rule": {"DefaultRetention": rule}})

        # Days and Years together: "You must specify Days or Years, but not both" -- MalformedXML.
        self.assertError("MalformedXML", put_rule, {"Mode": "GOVERNANCE", "Days": 1, "Years": 1}, status=400)
        self.assertError("MalformedXML", put_rule, {"Mode": "SOMETIMES", "Days": 1}, status=400)
        # "Default retention period must be a positive integer value" -- InvalidArgument.
        self.assertError("InvalidArgument", put_rule, {"Mode": "GOVERNANCE", "Days": 0}, status=400)
        self.assertError("InvalidArgument", put_rule, {"Mode": "GOVERNANCE", "Years": -1}, status=400)
        self.assertEqual(self.s3.get_object_lock_configuration(Bucket=b)["ObjectLockConfiguration"],
                         {"ObjectLockEnabled": "Enabled"}, "refused requests change nothing")

    def test_enable_on_an_existing_bucket_needs_versioning_enabled(self):
        # Object Lock can be enabled on an existing bucket once versioning is Enabled
        # (userguide/object-lock-configure.html#object-lock-configure-existing-bucket).
        b = self.bucket()
        conf = {"ObjectLockEnabled": "Enabled"}
        self.assertError("InvalidBucketState", self.s3.put_object_lock_configuration, Bucket=b,
                         ObjectLockConfiguration=conf, status=409)
        self.s3.put_bucket_versioning(Bucket=b, VersioningConfiguration={"Status": "Suspended"})
        self.assertError("InvalidBucketState", self.s3.put_object_lock_configuration, Bucket=b,
                         ObjectLockConfiguration=conf, status=409)
        self.assertError("ObjectLockConfigurationNotFoundError", self.s3.get_object_lock_configuration,
                         Bucket=b, status=404)
        self.s3.put_bucket_versioning(Bucket=b, VersioningConfiguration={"Status": "Enabled"})
        self.s3.put_object_lock_configuration(Bucket=b, ObjectLockConfiguration=dict(
            conf, Rule={"DefaultRetention": {"Mode": "GOVERNANCE", "Days": 3}}))
        got = self.s3.get_object_lock_configuration(Bucket=b)["ObjectLockConfiguration"]
        self.assertEqual(got["Rule"]["DefaultRetention"], {"Mode": "GOVERNANCE", "Days": 3})
        self.assertError("InvalidBucketState", self.s3.put_bucket_versioning, Bucket=b,
                         VersioningConfiguration={"Status": "Suspended"}, status=409)
        # Objects written from now on get the default.
        vid = self.put(b, "after")["VersionId"]
        self.assertEqual(self.retention(b, "after", vid)["Mode"], "GOVERNANCE")

    def test_only_the_owner_configures_the_lock(self):
        b = self.lock_bucket()
        self.assertError("AccessDenied", self.other.get_object_lock_configuration, Bucket=b, status=403)
        self.assertError("AccessDenied", self.other.put_object_lock_configuration, Bucket=b,
                         ObjectLockConfiguration={"ObjectLockEnabled": "Enabled"}, status=403)


class RetentionTest(LockCase):
    def test_default_retention_applies_to_new_versions(self):
        b = self.lock_bucket()
        before = self.put(b, "k", b"before the default")["VersionId"]
        self.s3.put_object_lock_configuration(Bucket=b, ObjectLockConfiguration={
            "ObjectLockEnabled": "Enabled", "Rule": {"DefaultRetention": {"Mode": "GOVERNANCE", "Days": 1}}})
        now = datetime.datetime.now(UTC)
        after = self.put(b, "k", b"after the default")["VersionId"]
        self.assertError("NoSuchObjectLockConfiguration", self.s3.get_object_retention, Bucket=b, Key="k",
                         VersionId=before, status=404)
        r = self.retention(b, "k", after)
        self.assertEqual(r["Mode"], "GOVERNANCE")
        self.assertGreater(r["RetainUntilDate"], now + datetime.timedelta(hours=23))
        self.assertLess(r["RetainUntilDate"], now + datetime.timedelta(days=2))
        head = self.s3.head_object(Bucket=b, Key="k")
        self.assertEqual((head["VersionId"], head["ObjectLockMode"]), (after, "GOVERNANCE"))
        self.assertEqual(head["ObjectLockRetainUntilDate"], r["RetainUntilDate"])
        got = self.s3.get_object(Bucket=b, Key="k", VersionId=after)
        self.assertEqual((got["ObjectLockMode"], got["ObjectLockRetainUntilDate"]),
                         ("GOVERNANCE", r["RetainUntilDate"]))
        self.assertNotIn("ObjectLockMode", self.s3.head_object(Bucket=b, Key="k", VersionId=before))
        # Explicit headers win over the default.
        until = in_days(5)
        vid = self.put(b, "k", ObjectLockMode="COMPLIANCE", ObjectLockRetainUntilDate=until)["VersionId"]
        self.assertEqual(self.retention(b, "k", vid), {"Mode": "COMPLIANCE", "RetainUntilDate": until})
        # Years: about a year from now.
        self.s3.put_object_lock_configuration(Bucket=b, ObjectLockConfiguration={
            "ObjectLockEnabled": "Enabled", "Rule": {"DefaultRetention": {"Mode": "GOVERNANCE", "Years": 1}}})
        vid = self.put(b, "y")["VersionId"]
        until = self.retention(b, "y", vid)["RetainUntilDate"]
        self.assertGreater(until, now + datetime.timedelta(days=364))
        self.assertLess(until, now + datetime.timedelta(days=368))

    def test_writes_into_a_default_retention_bucket_need_a_checksum(self):
        b = self.lock_bucket()
        self.s3.put_object_lock_configuration(Bucket=b, ObjectLockConfiguration={
            "ObjectLockEnabled": "Enabled", "Rule": {"DefaultRetention": {"Mode": "GOVERNANCE", "Days": 1}}})
        # No Content-MD5 and no checksum: InvalidRequest "Content-MD5 OR x-amz-checksum- HTTP header is
        # required for Put Object requests with Object Lock parameters".
        err = self.assertError("InvalidRequest", self.s3.put_object, Bucket=b, Key="k", Body=b"x", status=400)
        self.assertIn("Content-MD5", err["Error"]["Message"])
        # boto3's defaults (a CRC32 in an aws-chunked trailer) satisfy it, as Content-MD5 does.
        vid = self.s3_default.put_object(Bucket=b, Key="k", Body=b"x")["VersionId"]
        self.assertEqual(self.retention(b, "k", vid)["Mode"], "GOVERNANCE")
        self.assertEqual(self.put(b, "k2")["ResponseMetadata"]["HTTPStatusCode"], 200)

    def test_governance_retention_extend_shorten_lift(self):
        b = self.lock_bucket()
        vid = self.put(b, "g")["VersionId"]
        self.assertError("NoSuchObjectLockConfiguration", self.s3.get_object_retention, Bucket=b, Key="g",
                         VersionId=vid, status=404)
        one, two = in_days(1), in_days(2)
        r = self.s3.put_object_retention(Bucket=b, Key="g", VersionId=vid,
                                         Retention={"Mode": "GOVERNANCE", "RetainUntilDate": one})
        self.assertEqual(r["ResponseMetadata"]["HTTPStatusCode"], 200)
        self.assertEqual(self.retention(b, "g", vid), {"Mode": "GOVERNANCE", "RetainUntilDate": one})
        # Without VersionId the current version is meant.
        self.assertEqual(self.s3.get_object_retention(Bucket=b, Key="g")["Retention"]["RetainUntilDate"], one)
        # Extending needs no bypass.
        self.s3.put_object_retention(Bucket=b, Key="g", VersionId=vid,
                                     Retention={"Mode": "GOVERNANCE", "RetainUntilDate": two})
        # Shortening does: "you must have the s3:BypassGovernanceRetention permission and must explicitly
        # include x-amz-bypass-governance-retention:true" (userguide/object-lock.html).
        self.assertError("AccessDenied", self.s3.put_object_retention, Bucket=b, Key="g", VersionId=vid,
                         Retention={"Mode": "GOVERNANCE", "RetainUntilDate": one}, status=403)
        self.assertEqual(self.retention(b, "g", vid)["RetainUntilDate"], two)
        self.s3.put_object_retention(Bucket=b, Key="g", VersionId=vid, BypassGovernanceRetention=True,
                                     Retention={"Mode": "GOVERNANCE", "RetainUntilDate": one})
        self.assertEqual(self.retention(b, "g", vid)["RetainUntilDate"], one)
        self.assertError("AccessDenied", self.s3.delete_object, Bucket=b, Key="g", VersionId=vid, status=403)
        # "removing the Object Lock by placing a new lock with empty parameters" also needs the bypass
        # (userguide/object-lock-managing.html).
        self.assertError("AccessDenied", self.s3.put_object_retention, Bucket=b, Key="g", VersionId=vid,
                         Retention={}, status=403)
        self.s3.put_object_retention(Bucket=b, Key="g", VersionId=vid, Retention={}, BypassGovernanceRetention=True)
        self.assertNotIn("ObjectLockMode", self.s3.head_object(Bucket=b, Key="g", VersionId=vid))
        self.s3.delete_object(Bucket=b, Key="g", VersionId=vid)
        self.assertError("NoSuchVersion", self.s3.get_object, Bucket=b, Key="g", VersionId=vid,
                         status=404)

    def test_compliance_retention_can_only_be_extended(self):
        # "When an object is locked in compliance mode, its retention mode can't be changed, and its
        # retention period can't be shortened." -- not even by the root user with the bypass header.
        b = self.lock_bucket()
        one, two = in_days(1), in_days(2)
        vid = self.put(b, "c", ObjectLockMode="COMPLIANCE", ObjectLockRetainUntilDate=one)["VersionId"]
        self.assertEqual(self.retention(b, "c", vid), {"Mode": "COMPLIANCE", "RetainUntilDate": one})
        self.s3.put_object_retention(Bucket=b, Key="c", VersionId=vid,
                                     Retention={"Mode": "COMPLIANCE", "RetainUntilDate": two})
        for retention in ({"Mode": "COMPLIANCE", "RetainUntilDate": one},
                          {"Mode": "GOVERNANCE", "RetainUntilDate": two}, {}):
            for bypass in (False, True):
                with self.subTest(retention=retention, bypass=bypass):
                    self.assertError("AccessDenied", self.s3.put_object_retention, Bucket=b, Key="c",
                                     VersionId=vid, Retention=retention, BypassGovernanceRetention=bypass,
                                     status=403)
        self.assertEqual(self.retention(b, "c", vid), {"Mode": "COMPLIANCE", "RetainUntilDate": two})
        for bypass in (False, True):
            self.assertError("AccessDenied", self.s3.delete_object, Bucket=b, Key="c", VersionId=vid,
                             BypassGovernanceRetention=bypass, status=403)
        self.assertEqual(body_of(self.s3.get_object(Bucket=b, Key="c", VersionId=vid)), b"locked bytes")

    def test_retention_ends_at_its_date(self):
        b = self.lock_bucket()
        until = datetime.datetime.now(UTC).replace(microsecond=0) + datetime.timedelta(seconds=3)
        vid = self.put(b, "short", ObjectLockMode="COMPLIANCE", ObjectLockRetainUntilDate=until)["VersionId"]
        self.assertError("AccessDenied", self.s3.delete_object, Bucket=b, Key="short", VersionId=vid, status=403)
        deadline = time.time() + 10
        while datetime.datetime.now(UTC) <= until + datetime.timedelta(seconds=1) and time.time() < deadline:
            time.sleep(0.2)
        self.s3.delete_object(Bucket=b, Key="short", VersionId=vid)
        self.assertEqual(self.all_versions(b)[:2], ([], []))

    def test_retention_argument_errors(self):
        b = self.lock_bucket()
        vid = self.put(b, "k")["VersionId"]
        past = datetime.datetime(2020, 1, 1, tzinfo=UTC)
        # "The retain until date must be in the future!" -- InvalidArgument.
        self.assertError("InvalidArgument", self.s3.put_object_retention, Bucket=b, Key="k", VersionId=vid,
                         Retention={"Mode": "GOVERNANCE", "RetainUntilDate": past}, status=400)
        self.assertError("InvalidArgument", self.put, b, "k", ObjectLockMode="GOVERNANCE",
                         ObjectLockRetainUntilDate=past, status=400)
        # Lock parameters without Content-MD5 or a checksum: InvalidRequest (a plain PUT into a lock bucket
        # without a default retention needs neither).
        for lock in ({"ObjectLockMode": "GOVERNANCE", "ObjectLockRetainUntilDate": in_days(1)},
                     {"ObjectLockLegalHoldStatus": "ON"}):
            with self.subTest(lock=lock):
                err = self.assertError("InvalidRequest", self.s3.put_object, Bucket=b, Key="k", Body=b"x",
                                       status=400, **lock)
                self.assertIn("Content-MD5", err["Error"]["Message"])
        self.assertEqual(self.s3.put_object(Bucket=b, Key="plain", Body=b"p")["ResponseMetadata"]["HTTPStatusCode"],
                         200)
        # Mode and date go together.
        self.assertError("InvalidArgument", self.put, b, "k", ObjectLockMode="GOVERNANCE", status=400)
        self.assertError("InvalidArgument", self.put, b, "k", ObjectLockRetainUntilDate=in_days(1), status=400)
        self.assertError("MalformedXML", self.s3.put_object_retention, Bucket=b, Key="k", VersionId=vid,
                         Retention={"Mode": "FOREVER", "RetainUntilDate": in_days(1)}, status=400)
        self.assertError("NoSuchVersion", self.s3.put_object_retention, Bucket=b, Key="k",
                         VersionId=self.put(b, "other")["VersionId"],
                         Retention={"Mode": "GOVERNANCE", "RetainUntilDate": in_days(1)}, status=404)
        self.assertError("NoSuchKey", self.s3.put_object_retention, Bucket=b, Key="missing",
                         Retention={"Mode": "GOVERNANCE", "RetainUntilDate": in_days(1)}, status=404)
        # Only the versions written survive the refused requests.
        self.assertEqual(sorted(v["Key"] for v in self.all_versions(b)[0]), ["k", "other", "plain"])

    def test_lock_requests_on_a_bucket_without_object_lock(self):
        # "Bucket is missing Object Lock Configuration" -- 400 InvalidRequest.
        for b in (self.bucket(), self.versioned_bucket()):
            vid = self.s3.put_object(Bucket=b, Key="k", Body=b"x").get("VersionId", "null")
            err = self.assertError("InvalidRequest", self.s3.put_object_retention, Bucket=b, Key="k", VersionId=vid,
                                   Retention={"Mode": "GOVERNANCE", "RetainUntilDate": in_days(1)}, status=400)
            self.assertEqual(err["Error"]["Message"], "Bucket is missing Object Lock Configuration")
            self.assertError("InvalidRequest", self.s3.put_object_legal_hold, Bucket=b, Key="k", VersionId=vid,
                             LegalHold={"Status": "ON"}, status=400)
            self.assertError("InvalidRequest", self.s3.get_object_retention, Bucket=b, Key="k", status=400)
            self.assertError("InvalidRequest", self.put, b, "k2", ObjectLockMode="GOVERNANCE",
                             ObjectLockRetainUntilDate=in_days(1), status=400)
            self.assertError("InvalidRequest", self.put, b, "k3", ObjectLockLegalHoldStatus="ON", status=400)


class LegalHoldTest(LockCase):
    def test_legal_hold_round_trip_and_enforcement(self):
        b = self.lock_bucket()
        vid = self.put(b, "held")["VersionId"]
        r = self.s3.put_object_legal_hold(Bucket=b, Key="held", VersionId=vid, LegalHold={"Status": "ON"})
        self.assertEqual(r["ResponseMetadata"]["HTTPStatusCode"], 200)
        self.assertEqual(self.s3.get_object_legal_hold(Bucket=b, Key="held", VersionId=vid)["LegalHold"],
                         {"Status": "ON"})
        self.assertEqual(self.s3.get_object_legal_hold(Bucket=b, Key="held")["LegalHold"], {"Status": "ON"})
        self.assertEqual(self.s3.head_object(Bucket=b, Key="held", VersionId=vid)["ObjectLockLegalHoldStatus"], "ON")
        # A legal hold is no governance retention: the bypass does not lift it.
        for bypass in (False, True):
            self.assertError("AccessDenied", self.s3.delete_object, Bucket=b, Key="held", VersionId=vid,
                             BypassGovernanceRetention=bypass, status=403)
        # A new version and a delete marker can still be written.
        v2 = self.put(b, "held", b"newer")["VersionId"]
        self.assertNotIn("ObjectLockLegalHoldStatus", self.s3.head_object(Bucket=b, Key="held", VersionId=v2))
        self.assertTrue(self.s3.delete_object(Bucket=b, Key="held")["DeleteMarker"])
        self.assertError("MalformedXML", self.s3.put_object_legal_hold, Bucket=b, Key="held", VersionId=vid,
                         LegalHold={"Status": "MAYBE"}, status=400)
        self.s3.put_object_legal_hold(Bucket=b, Key="held", VersionId=vid, LegalHold={"Status": "OFF"})
        self.assertEqual(self.s3.get_object_legal_hold(Bucket=b, Key="held", VersionId=vid)["LegalHold"],
                         {"Status": "OFF"})
        self.s3.delete_object(Bucket=b, Key="held", VersionId=vid)
        self.assertError("NoSuchVersion", self.s3.get_object, Bucket=b, Key="held", VersionId=vid, status=404)

    def test_legal_hold_and_retention_together(self):
        b = self.lock_bucket()
        until = datetime.datetime.now(UTC).replace(microsecond=0) + datetime.timedelta(seconds=2)
        vid = self.put(b, "both", ObjectLockMode="GOVERNANCE", ObjectLockRetainUntilDate=until,
                       ObjectLockLegalHoldStatus="ON")["VersionId"]
        head = self.s3.head_object(Bucket=b, Key="both")
        self.assertEqual((head["ObjectLockMode"], head["ObjectLockRetainUntilDate"], head["ObjectLockLegalHoldStatus"]),
                         ("GOVERNANCE", until, "ON"))
        deadline = time.time() + 10
        while datetime.datetime.now(UTC) <= until + datetime.timedelta(seconds=1) and time.time() < deadline:
            time.sleep(0.2)
        # Retention is over, the hold is not.
        self.assertError("AccessDenied", self.s3.delete_object, Bucket=b, Key="both", VersionId=vid, status=403)
        self.s3.put_object_legal_hold(Bucket=b, Key="both", VersionId=vid, LegalHold={"Status": "OFF"})
        self.s3.delete_object(Bucket=b, Key="both", VersionId=vid)


class LockRequestIntegrityTest(LockCase):
    def test_lock_operations_need_content_md5_or_a_checksum(self):
        # PutObjectLockConfiguration, PutObjectRetention and PutObjectLegalHold are "httpChecksumRequired"
        # in AWS's model: a body without Content-MD5 or an x-amz-checksum-* is refused, a wrong one is BadDigest.
        b = self.lock_bucket()
        vid = self.put(b, "k")["VersionId"]
        until = in_days(1).strftime("%Y-%m-%dT%H:%M:%SZ")
        bodies = [
            ("/%s?object-lock" % b, b"<ObjectLockConfiguration><ObjectLockEnabled>Enabled</ObjectLockEnabled>"
                                    b"</ObjectLockConfiguration>"),
            ("/%s/k?retention&versionId=%s" % (b, vid),
             ("<Retention><Mode>GOVERNANCE</Mode><RetainUntilDate>%s</RetainUntilDate></Retention>" % until).encode()),
            ("/%s/k?legal-hold&versionId=%s" % (b, vid), b"<LegalHold><Status>ON</Status></LegalHold>"),
        ]
        for path, body in bodies:
            with self.subTest(path=path):
                status, _, out = self.signed("PUT", path, body=body)
                self.assertEqual(status, 400, out)
                self.assertIn(b"<Code>InvalidRequest</Code>", out)
                status, _, out = self.signed("PUT", path, body=body, headers={"Content-MD5": md5_b64(b"other")})
                self.assertEqual(status, 400, out)
                self.assertIn(b"<Code>BadDigest</Code>", out)
                status, _, out = self.signed("PUT", path, body=body, headers={"Content-MD5": md5_b64(body)})
                self.assertEqual(status, 200, out)
        self.assertEqual(self.s3.get_object_legal_hold(Bucket=b, Key="k", VersionId=vid)["LegalHold"]["Status"], "ON")

    def test_a_version_that_never_had_a_legal_hold_has_no_lock_configuration(self):
        b = self.lock_bucket()
        vid = self.put(b, "k")["VersionId"]
        self.assertError("NoSuchObjectLockConfiguration", self.s3.get_object_legal_hold, Bucket=b, Key="k",
                         VersionId=vid, status=404)
        self.assertError("NoSuchObjectLockConfiguration", self.s3.get_object_retention, Bucket=b, Key="k",
                         VersionId=vid, status=404)
        self.assertNotIn("ObjectLockLegalHoldStatus", self.s3.head_object(Bucket=b, Key="k", VersionId=vid))
        # Once set (even OFF) the hold is shown, by GetObjectLegalHold and HEAD.
        self.s3.put_object_legal_hold(Bucket=b, Key="k", VersionId=vid, LegalHold={"Status": "OFF"})
        self.assertEqual(self.s3.head_object(Bucket=b, Key="k", VersionId=vid)["ObjectLockLegalHoldStatus"], "OFF")


class LockHeadersOnWritesTest(LockCase):
    def assertLock(self, bucket, key, vid, mode, until, hold):
        for call in (self.s3.head_object, self.s3.get_object):
            r = call(Bucket=bucket, Key=key, VersionId=vid)
            self.assertEqual((r.get("ObjectLockMode"), r.get("ObjectLockRetainUntilDate")), (mode, until),
                             call.__name__)
            if hold == "ON":
                self.assertEqual(r.get("ObjectLockLegalHoldStatus"), "ON", call.__name__)
            else:
                # Whether AWS echoes an explicit OFF hold on HEAD/GET is not documented: absent or OFF.
                self.assertIn(r.get("ObjectLockLegalHoldStatus"), (None, "OFF"), call.__name__)
        self.assertEqual(self.retention(bucket, key, vid), {"Mode": mode, "RetainUntilDate": until})
        if hold == "ON":
            self.assertEqual(self.s3.get_object_legal_hold(Bucket=bucket, Key=key, VersionId=vid)["LegalHold"],
                             {"Status": "ON"})

    def test_put_object_headers(self):
        b = self.lock_bucket()
        until = in_days(1)
        vid = self.put(b, "p", ObjectLockMode="GOVERNANCE", ObjectLockRetainUntilDate=until,
                       ObjectLockLegalHoldStatus="ON")["VersionId"]
        self.assertLock(b, "p", vid, "GOVERNANCE", until, "ON")
        # The raw header forms (API_PutObject / API_HeadObject).
        status, headers, _ = self.signed("HEAD", "/%s/p?versionId=%s" % (b, vid))
        self.assertEqual(status, 200)
        self.assertEqual(headers.get("x-amz-object-lock-mode"), "GOVERNANCE")
        self.assertEqual(headers.get("x-amz-object-lock-legal-hold"), "ON")
        parsed = datetime.datetime.fromisoformat(headers["x-amz-object-lock-retain-until-date"].replace("Z", "+00:00"))
        self.assertEqual(parsed, until)
        # The CRC32-trailer upload of boto3's defaults carries the headers as well.
        vid = self.s3_default.put_object(Bucket=b, Key="p2", Body=b"x", ObjectLockMode="COMPLIANCE",
                                         ObjectLockRetainUntilDate=until, ObjectLockLegalHoldStatus="OFF")["VersionId"]
        self.assertLock(b, "p2", vid, "COMPLIANCE", until, "OFF")

    def test_copy_object_headers(self):
        b = self.lock_bucket()
        src = self.put(b, "src", b"source")["VersionId"]
        until = in_days(2)
        c = self.s3.copy_object(Bucket=b, Key="dst", CopySource={"Bucket": b, "Key": "src", "VersionId": src},
                                ObjectLockMode="GOVERNANCE", ObjectLockRetainUntilDate=until,
                                ObjectLockLegalHoldStatus="ON")
        self.assertEqual(c["CopySourceVersionId"], src)
        self.assertLock(b, "dst", c["VersionId"], "GOVERNANCE", until, "ON")
        self.assertEqual(body_of(self.s3.get_object(Bucket=b, Key="dst")), b"source")
        self.assertError("NoSuchObjectLockConfiguration", self.s3.get_object_retention, Bucket=b, Key="src",
                         VersionId=src, status=404)

    def test_multipart_upload_headers(self):
        b = self.lock_bucket()
        until = in_days(1)
        uid = self.s3.create_multipart_upload(Bucket=b, Key="mp", ObjectLockMode="COMPLIANCE",
                                              ObjectLockRetainUntilDate=until,
                                              ObjectLockLegalHoldStatus="ON")["UploadId"]
        data = b"part one bytes"
        # Parts of a locked upload need Content-MD5 or a checksum too ("... is required for Put Part
        # requests with Object Lock parameters").
        self.assertError("InvalidRequest", self.s3.upload_part, Bucket=b, Key="mp", UploadId=uid, PartNumber=1,
                         Body=data, status=400)
        part = self.s3.upload_part(Bucket=b, Key="mp", UploadId=uid, PartNumber=1, Body=data,
                                   ContentMD5=md5_b64(data))
        done = self.s3.complete_multipart_upload(Bucket=b, Key="mp", UploadId=uid, MultipartUpload={
            "Parts": [{"PartNumber": 1, "ETag": part["ETag"]}]})
        self.assertVersionId(done["VersionId"])
        self.assertLock(b, "mp", done["VersionId"], "COMPLIANCE", until, "ON")
        self.assertEqual(body_of(self.s3.get_object(Bucket=b, Key="mp")), data)

    def test_post_object_fields(self):
        b = self.lock_bucket()
        until = in_days(1)
        iso = until.strftime("%Y-%m-%dT%H:%M:%SZ")
        fields = {"x-amz-object-lock-mode": "GOVERNANCE", "x-amz-object-lock-retain-until-date": iso,
                  "x-amz-object-lock-legal-hold": "ON"}
        v4 = self.server.boto3_client("s3", signature_version="s3v4")
        p = v4.generate_presigned_post(b, "posted", Fields=fields, Conditions=[{k: v} for k, v in fields.items()],
                                       ExpiresIn=300)
        r = requests.post(p["url"], data=p["fields"], files={"file": ("f.txt", b"form bytes")}, timeout=30)
        self.assertEqual(r.status_code, 204, r.text)
        vid = r.headers.get("x-amz-version-id")
        self.assertVersionId(vid)
        self.assertLock(b, "posted", vid, "GOVERNANCE", until, "ON")


class EnforcementTest(LockCase):
    def test_locked_version_cannot_be_deleted_but_markers_and_new_versions_can_be_written(self):
        b = self.lock_bucket()
        v1 = self.put(b, "k", b"v1", ObjectLockMode="GOVERNANCE", ObjectLockRetainUntilDate=in_days(1))["VersionId"]
        err = self.assertError("AccessDenied", self.s3.delete_object, Bucket=b, Key="k", VersionId=v1, status=403)
        self.assertEqual(err["Error"]["Message"], "Access Denied because object protected by object lock.")
        # Object Lock protects versions, not keys: a simple DELETE adds a marker, a PUT adds a version.
        d = self.s3.delete_object(Bucket=b, Key="k")
        self.assertTrue(d["DeleteMarker"])
        self.assertError("NoSuchKey", self.s3.get_object, Bucket=b, Key="k", status=404)
        v2 = self.put(b, "k", b"v2")["VersionId"]
        self.assertEqual(body_of(self.s3.get_object(Bucket=b, Key="k")), b"v2")
        _, entries = self.raw_versions(b)
        self.assertEqual([(kind, vid) for kind, _, vid, _ in entries],
                         [("Version", v2), ("DeleteMarker", d["VersionId"]), ("Version", v1)])
        self.assertEqual(body_of(self.s3.get_object(Bucket=b, Key="k", VersionId=v1)), b"v1")
        # The owner may bypass governance mode with the header.
        self.s3.delete_object(Bucket=b, Key="k", VersionId=v1, BypassGovernanceRetention=True)
        self.assertError("NoSuchVersion", self.s3.get_object, Bucket=b, Key="k", VersionId=v1, status=404)
        # The bucket cannot go while versions are left.
        self.assertError("BucketNotEmpty", self.s3.delete_bucket, Bucket=b, status=409)

    def test_delete_objects_reports_locked_versions_per_key(self):
        b = self.lock_bucket()
        gov = self.put(b, "gov", ObjectLockMode="GOVERNANCE", ObjectLockRetainUntilDate=in_days(1))["VersionId"]
        comp = self.put(b, "comp", ObjectLockMode="COMPLIANCE", ObjectLockRetainUntilDate=in_days(1))["VersionId"]
        free = self.put(b, "free")["VersionId"]
        objects = [{"Key": "gov", "VersionId": gov}, {"Key": "comp", "VersionId": comp},
                   {"Key": "free", "VersionId": free}]
        r = self.s3.delete_objects(Bucket=b, Delete={"Objects": objects})
        self.assertEqual([(d["Key"], d["VersionId"]) for d in r["Deleted"]], [("free", free)])
        self.assertEqual(sorted((e["Key"], e.get("VersionId"), e["Code"]) for e in r["Errors"]),
                         [("comp", comp, "AccessDenied"), ("gov", gov, "AccessDenied")])
        # With the bypass, governance goes and compliance stays.
        r = self.s3.delete_objects(Bucket=b, Delete={"Objects": objects[:2]}, BypassGovernanceRetention=True)
        self.assertEqual([(d["Key"], d["VersionId"]) for d in r["Deleted"]], [("gov", gov)])
        self.assertEqual([(e["Key"], e["Code"]) for e in r["Errors"]], [("comp", "AccessDenied")])
        # Simple deletes (markers) are fine for every key.
        r = self.s3.delete_objects(Bucket=b, Delete={"Objects": [{"Key": "comp"}, {"Key": "gov"}]})
        self.assertNotIn("Errors", r)
        self.assertTrue(all(d["DeleteMarker"] for d in r["Deleted"]))

    def test_second_account_without_bypass_permission_cannot_bypass(self):
        b = self.lock_bucket()
        vid = self.put(b, "k", ObjectLockMode="GOVERNANCE", ObjectLockRetainUntilDate=in_days(2))["VersionId"]
        everything = {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::%s:root" % OTHER_ACCOUNT},
                      "Action": "s3:*", "Resource": ["arn:aws:s3:::%s" % b, "arn:aws:s3:::%s/*" % b]}
        no_bypass = {"Effect": "Deny", "Principal": {"AWS": "arn:aws:iam::%s:root" % OTHER_ACCOUNT},
                     "Action": "s3:BypassGovernanceRetention", "Resource": "arn:aws:s3:::%s/*" % b}
        self.s3.put_bucket_policy(Bucket=b, Policy=json.dumps({"Version": "2012-10-17",
                                                               "Statement": [everything, no_bypass]}))
        # The grant works (the account may read and retain) ...
        self.assertEqual(body_of(self.other.get_object(Bucket=b, Key="k", VersionId=vid)), b"locked bytes")
        self.assertEqual(self.other.get_object_retention(Bucket=b, Key="k", VersionId=vid)["Retention"]["Mode"],
                         "GOVERNANCE")
        self.other.put_object_retention(Bucket=b, Key="k", VersionId=vid,
                                        Retention={"Mode": "GOVERNANCE", "RetainUntilDate": in_days(3)})
        # ... but not bypass governance mode.
        for bypass in (False, True):
            self.assertError("AccessDenied", self.other.delete_object, Bucket=b, Key="k", VersionId=vid,
                             BypassGovernanceRetention=bypass, status=403)
            self.assertError("AccessDenied", self.other.put_object_retention, Bucket=b, Key="k", VersionId=vid,
                             Retention={"Mode": "GOVERNANCE", "RetainUntilDate": in_days(1)},
                             BypassGovernanceRetention=bypass, status=403)
        # DeleteObjects with the bypass header: AWS documents that the header needs the permission, not
        # whether the refusal is the whole request (403) or the key's entry; either way nothing is deleted.
        try:
            r = self.other.delete_objects(Bucket=b, Delete={"Objects": [{"Key": "k", "VersionId": vid}]},
                                          BypassGovernanceRetention=True)
            self.assertEqual([(e["Key"], e["Code"]) for e in r.get("Errors", [])], [("k", "AccessDenied")])
        except botocore.exceptions.ClientError as e:
            self.assertEqual((e.response["Error"]["Code"], e.response["ResponseMetadata"]["HTTPStatusCode"]),
                             ("AccessDenied", 403))
        self.assertEqual(self.s3.head_object(Bucket=b, Key="k", VersionId=vid)["VersionId"], vid)
        # Without the Deny, s3:* includes s3:BypassGovernanceRetention: the same request now succeeds.
        self.s3.put_bucket_policy(Bucket=b, Policy=json.dumps({"Version": "2012-10-17", "Statement": [everything]}))
        self.assertError("AccessDenied", self.other.delete_object, Bucket=b, Key="k", VersionId=vid, status=403)
        self.other.delete_object(Bucket=b, Key="k", VersionId=vid, BypassGovernanceRetention=True)
        self.assertError("NoSuchVersion", self.s3.get_object, Bucket=b, Key="k", VersionId=vid, status=404)


if __name__ == "__main__":
    unittest.main()
