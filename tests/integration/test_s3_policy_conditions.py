"""Bucket-policy conditions through boto3, as a table of cases: each case is a policy, a request by
the owner, a second account or an anonymous caller, and whether AWS's rules allow it (the
condition operators and keys of emulator/src/s3/policy_conditions.h, NotPrincipal, NotAction,
NotResource, policy variables); MalformedPolicy for unknown operators and keys; the bucket owner
condition (x-amz-expected-bucket-owner, x-amz-source-expected-bucket-owner)."""
import json
import unittest
import urllib.request
import urllib.error
import uuid

import botocore.exceptions

from test_s3_acl import AclCase, SECOND

OWNER_ACCOUNT = "000000000000"


def policy(*statements):
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def st(effect, action, resource, condition=None, principal="*", **extra):
    s = {"Effect": effect, "Principal": principal, "Action": action, "Resource": resource}
    if principal is None:
        del s["Principal"]
    if condition:
        s["Condition"] = condition
    s.update(extra)
    return s


def second_principal():
    return {"AWS": SECOND["accountId"]}


def objs(b):
    return "arn:aws:s3:::%s/*" % b


def bkt(b):
    return "arn:aws:s3:::%s" % b


# (name, statements(b), who, request(client, b), allowed). who: owner, second, anon.
CASES = [
    ("deny unless SecureTransport: plain HTTP is denied, to the owner too",
     lambda b: [st("Deny", "s3:*", [bkt(b), objs(b)], {"Bool": {"aws:SecureTransport": "false"}})],
     "owner", lambda c, b: c.get_object(Bucket=b, Key="public/a.txt"), False),
    ("a deny of TLS-only requests leaves HTTP alone",
     lambda b: [st("Deny", "s3:*", [bkt(b), objs(b)], {"Bool": {"aws:SecureTransport": "true"}})],
     "owner", lambda c, b: c.get_object(Bucket=b, Key="public/a.txt"), True),
    ("deny PutObject without SSE: no header",
     lambda b: [st("Deny", "s3:PutObject", objs(b), {"Null": {"s3:x-amz-server-side-encryption": "true"}})],
     "owner", lambda c, b: c.put_object(Bucket=b, Key="n", Body=b"x"), False),
    ("deny PutObject without SSE: with AES256",
     lambda b: [st("Deny", "s3:PutObject", objs(b), {"Null": {"s3:x-amz-server-side-encryption": "true"}})],
     "owner", lambda c, b: c.put_object(Bucket=b, Key="n", Body=b"x", ServerSideEncryption="AES256"), True),
    ("deny PutObject unless aws:kms: AES256 is denied",
     lambda b: [st("Deny", "s3:PutObject", objs(b), {"StringNotEquals": {"s3:x-amz-server-side-encryption": "aws:kms"}})],
     "owner", lambda c, b: c.put_object(Bucket=b, Key="n", Body=b"x", ServerSideEncryption="AES256"), False),
    ("IP allow list with 127.0.0.1",
     lambda b: [st("Allow", "s3:GetObject", objs(b), {"IpAddress": {"aws:SourceIp": "127.0.0.1/32"}}, second_principal())],
     "second", lambda c, b: c.get_object(Bucket=b, Key="public/a.txt"), True),
    ("IP allow list without 127.0.0.1",
     lambda b: [st("Allow", "s3:GetObject", objs(b), {"IpAddress": {"aws:SourceIp": ["10.0.0.0/8", "192.0.2.7"]}},
                   second_principal())],
     "second", lambda c, b: c.get_object(Bucket=b, Key="public/a.txt"), False),
    ("deny NotIpAddress of another network",
     lambda b: [st("Deny", "s3:*", [bkt(b), objs(b)], {"NotIpAddress": {"aws:SourceIp": "192.0.2.0/24"}})],
     "owner", lambda c, b: c.get_object(Bucket=b, Key="public/a.txt"), False),
    ("deny NotIpAddress of loopback",
     lambda b: [st("Deny", "s3:*", [bkt(b), objs(b)], {"NotIpAddress": {"aws:SourceIp": "127.0.0.0/8"}})],
     "owner", lambda c, b: c.get_object(Bucket=b, Key="public/a.txt"), True),
    ("s3:prefix-limited listing inside the prefix",
     lambda b: [st("Allow", "s3:ListBucket", bkt(b), {"StringLike": {"s3:prefix": "public/*"}}, second_principal())],
     "second", lambda c, b: c.list_objects_v2(Bucket=b, Prefix="public/"), True),
    ("s3:prefix-limited listing outside the prefix",
     lambda b: [st("Allow", "s3:ListBucket", bkt(b), {"StringLike": {"s3:prefix": "public/*"}}, second_principal())],
     "second", lambda c, b: c.list_objects_v2(Bucket=b, Prefix="private/"), False),
    ("s3:prefix-limited listing without a prefix",
     lambda b: [st("Allow", "s3:ListBucket", bkt(b), {"StringLike": {"s3:prefix": "public/*"}}, second_principal())],
     "second", lambda c, b: c.list_objects_v2(Bucket=b), False),
    ("s3:delimiter required",
     lambda b: [st("Allow", "s3:ListBucket", bkt(b), {"StringEquals": {"s3:delimiter": "/"}}, second_principal())],
     "second", lambda c, b: c.list_objects(Bucket=b, Delimiter="/"), True),
    ("s3:max-keys within the limit",
     lambda b: [st("Allow", "s3:ListBucket", bkt(b), {"NumericLessThanEquals": {"s3:max-keys": "10"}}, second_principal())],
     "second", lambda c, b: c.list_objects_v2(Bucket=b, MaxKeys=5), True),
    ("s3:max-keys over the limit",
     lambda b: [st("Allow", "s3:ListBucket", bkt(b), {"NumericLessThanEquals": {"s3:max-keys": "10"}}, second_principal())],
     "second", lambda c, b: c.list_objects_v2(Bucket=b, MaxKeys=100), False),
    ("s3:ExistingObjectTag: public object",
     lambda b: [st("Allow", "s3:GetObject", objs(b), {"StringEquals": {"s3:ExistingObjectTag/Classification": "public"}},
                   second_principal())],
     "second", lambda c, b: c.get_object(Bucket=b, Key="tagged-public"), True),
    ("s3:ExistingObjectTag: secret object",
     lambda b: [st("Allow", "s3:GetObject", objs(b), {"StringEquals": {"s3:ExistingObjectTag/Classification": "public"}},
                   second_principal())],
     "second", lambda c, b: c.get_object(Bucket=b, Key="tagged-secret"), False),
    ("s3:RequestObjectTag: the wanted tag",
     lambda b: [st("Allow", "s3:PutObject", objs(b), {"StringEquals": {"s3:RequestObjectTag/Project": "blue"}},
                   second_principal())],
     "second", lambda c, b: c.put_object(Bucket=b, Key="t", Body=b"x", Tagging="Project=blue"), True),
    ("s3:RequestObjectTag: another value",
     lambda b: [st("Allow", "s3:PutObject", objs(b), {"StringEquals": {"s3:RequestObjectTag/Project": "blue"}},
                   second_principal())],
     "second", lambda c, b: c.put_object(Bucket=b, Key="t", Body=b"x", Tagging="Project=red"), False),
    ("s3:RequestObjectTagKeys ForAllValues: an extra key",
     lambda b: [st("Allow", "s3:PutObject", objs(b),
                   {"ForAllValues:StringEquals": {"s3:RequestObjectTagKeys": ["Project", "Owner"]}}, second_principal())],
     "second", lambda c, b: c.put_object(Bucket=b, Key="t", Body=b"x", Tagging="Project=a&Cost=b"), False),
    ("s3:RequestObjectTagKeys ForAllValues: allowed keys",
     lambda b: [st("Allow", "s3:PutObject", objs(b),
                   {"ForAllValues:StringEquals": {"s3:RequestObjectTagKeys": ["Project", "Owner"]}}, second_principal())],
     "second", lambda c, b: c.put_object(Bucket=b, Key="t", Body=b"x", Tagging="Project=a&Owner=b"), True),
    ("s3:x-amz-acl required of other accounts",
     lambda b: [st("Allow", "s3:PutObject", objs(b), {"StringEquals": {"s3:x-amz-acl": "bucket-owner-full-control"}},
                   second_principal())],
     "second", lambda c, b: c.put_object(Bucket=b, Key="t", Body=b"x", ACL="bucket-owner-full-control"), True),
    ("s3:x-amz-acl missing",
     lambda b: [st("Allow", "s3:PutObject", objs(b), {"StringEquals": {"s3:x-amz-acl": "bucket-owner-full-control"}},
                   second_principal())],
     "second", lambda c, b: c.put_object(Bucket=b, Key="t", Body=b"x"), False),
    ("s3:x-amz-metadata-directive REPLACE denied",
     lambda b: [st("Deny", "s3:PutObject", objs(b), {"StringEquals": {"s3:x-amz-metadata-directive": "REPLACE"}})],
     "owner", lambda c, b: c.copy_object(Bucket=b, Key="c", CopySource={"Bucket": b, "Key": "public/a.txt"},
                                         MetadataDirective="REPLACE", Metadata={"a": "b"}), False),
    ("s3:x-amz-metadata-directive: a plain copy",
     lambda b: [st("Deny", "s3:PutObject", objs(b), {"StringEquals": {"s3:x-amz-metadata-directive": "REPLACE"}})],
     "owner", lambda c, b: c.copy_object(Bucket=b, Key="c", CopySource={"Bucket": b, "Key": "public/a.txt"}), True),
    ("s3:x-amz-copy-source limited to a prefix",
     lambda b: [st("Deny", "s3:PutObject", objs(b), {"StringNotLike": {"s3:x-amz-copy-source": "%s/public/*" % b}}),
                st("Deny", "s3:PutObject", objs(b), {"Null": {"s3:x-amz-copy-source": "true"}})],
     "owner", lambda c, b: c.copy_object(Bucket=b, Key="c", CopySource={"Bucket": b, "Key": "private/b.txt"}), False),
    ("s3:x-amz-copy-source limited to a prefix: inside it",
     lambda b: [st("Deny", "s3:PutObject", objs(b), {"StringNotLike": {"s3:x-amz-copy-source": "%s/public/*" % b}}),
                st("Deny", "s3:PutObject", objs(b), {"Null": {"s3:x-amz-copy-source": "true"}})],
     "owner", lambda c, b: c.copy_object(Bucket=b, Key="c", CopySource={"Bucket": b, "Key": "public/a.txt"}), True),
    ("aws:PrincipalAccount",
     lambda b: [st("Allow", "s3:GetObject", objs(b), {"StringEquals": {"aws:PrincipalAccount": SECOND["accountId"]}})],
     "second", lambda c, b: c.get_object(Bucket=b, Key="public/a.txt"), True),
    ("aws:PrincipalAccount: anonymous has none",
     lambda b: [st("Allow", "s3:GetObject", objs(b), {"StringEquals": {"aws:PrincipalAccount": SECOND["accountId"]}})],
     "anon", lambda c, b: c.get_object(Bucket=b, Key="public/a.txt"), False),
    ("aws:PrincipalArn ArnLike",
     lambda b: [st("Allow", "s3:GetObject", objs(b), {"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::%s:*" % SECOND["accountId"]}})],
     "second", lambda c, b: c.get_object(Bucket=b, Key="public/a.txt"), True),
    ("aws:PrincipalType Anonymous",
     lambda b: [st("Allow", "s3:GetObject", objs(b), {"StringEquals": {"aws:PrincipalType": "Anonymous"}})],
     "anon", lambda c, b: c.get_object(Bucket=b, Key="public/a.txt"), True),
    ("aws:UserAgent",
     lambda b: [st("Allow", "s3:GetObject", objs(b), {"StringLike": {"aws:UserAgent": "*Boto3/*"}}, second_principal())],
     "second", lambda c, b: c.get_object(Bucket=b, Key="public/a.txt"), True),
    ("s3:authType REST-HEADER for boto3",
     lambda b: [st("Deny", "s3:GetObject", objs(b), {"StringNotEquals": {"s3:authType": "REST-HEADER"}})],
     "owner", lambda c, b: c.get_object(Bucket=b, Key="public/a.txt"), True),
    ("s3:signatureversion: SigV4 only",
     lambda b: [st("Deny", "s3:*", [bkt(b), objs(b)], {"StringNotEquals": {"s3:signatureversion": "AWS4-HMAC-SHA256"}})],
     "owner", lambda c, b: c.get_object(Bucket=b, Key="public/a.txt"), True),
    ("s3:signatureAge: fresh signatures pass",
     lambda b: [st("Deny", "s3:*", [bkt(b), objs(b)], {"NumericGreaterThan": {"s3:signatureAge": "600000"}})],
     "owner", lambda c, b: c.get_object(Bucket=b, Key="public/a.txt"), True),
    ("s3:x-amz-content-sha256 present on signed uploads",
     lambda b: [st("Deny", "s3:PutObject", objs(b), {"Null": {"s3:x-amz-content-sha256": "true"}})],
     "owner", lambda c, b: c.put_object(Bucket=b, Key="n", Body=b"x"), True),
    ("NotPrincipal deny: everyone but the owner",
     lambda b: [st("Allow", "s3:GetObject", objs(b), None, second_principal()),
                st("Deny", "s3:GetObject", objs(b), None, None, NotPrincipal={"AWS": OWNER_ACCOUNT})],
     "second", lambda c, b: c.get_object(Bucket=b, Key="public/a.txt"), False),
    ("NotPrincipal deny spares the owner",
     lambda b: [st("Deny", "s3:GetObject", objs(b), None, None, NotPrincipal={"AWS": OWNER_ACCOUNT})],
     "owner", lambda c, b: c.get_object(Bucket=b, Key="public/a.txt"), True),
    ("NotAction allow: reads",
     lambda b: [{"Effect": "Allow", "Principal": second_principal(), "NotAction": "s3:Delete*", "Resource": objs(b)}],
     "second", lambda c, b: c.get_object(Bucket=b, Key="public/a.txt"), True),
    ("NotAction allow: not deletes",
     lambda b: [{"Effect": "Allow", "Principal": second_principal(), "NotAction": "s3:Delete*", "Resource": objs(b)}],
     "second", lambda c, b: c.delete_object(Bucket=b, Key="public/a.txt"), False),
    ("NotResource allow: outside private/",
     lambda b: [{"Effect": "Allow", "Principal": second_principal(), "Action": "s3:GetObject",
                 "NotResource": "arn:aws:s3:::%s/private/*" % b}],
     "second", lambda c, b: c.get_object(Bucket=b, Key="public/a.txt"), True),
    ("NotResource allow: not private/",
     lambda b: [{"Effect": "Allow", "Principal": second_principal(), "Action": "s3:GetObject",
                 "NotResource": "arn:aws:s3:::%s/private/*" % b}],
     "second", lambda c, b: c.get_object(Bucket=b, Key="private/b.txt"), False),
    ("${aws:userid} in Resource: own home",
     lambda b: [st("Allow", "s3:GetObject", "arn:aws:s3:::%s/home/${aws:userid}/*" % b, None, second_principal())],
     "second", lambda c, b: c.get_object(Bucket=b, Key="home/%s/x" % SECOND["accountId"]), True),
    ("${aws:userid} in Resource: another home",
     lambda b: [st("Allow", "s3:GetObject", "arn:aws:s3:::%s/home/${aws:userid}/*" % b, None, second_principal())],
     "second", lambda c, b: c.get_object(Bucket=b, Key="home/%s/x" % OWNER_ACCOUNT), False),
    ("${aws:userid} in a condition value",
     lambda b: [st("Allow", "s3:ListBucket", bkt(b), {"StringLike": {"s3:prefix": "home/${aws:userid}/*"}},
                   second_principal())],
     "second", lambda c, b: c.list_objects_v2(Bucket=b, Prefix="home/%s/" % SECOND["accountId"]), True),
    ("a statement naming another bucket beside this one",
     lambda b: [st("Allow", "s3:GetObject", ["arn:aws:s3:::some-other-bucket/*", "arn:aws:s3:::%s/public/*" % b], None,
                   second_principal())],
     "second", lambda c, b: c.get_object(Bucket=b, Key="public/a.txt"), True),
]


class PolicyConditionsTest(AclCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        import boto3
        import botocore
        import botocore.config
        cls.anon = boto3.client("s3", endpoint_url=cls.la.endpoint, region_name="us-east-1",
                                config=botocore.config.Config(signature_version=botocore.UNSIGNED,
                                                              retries={"max_attempts": 1}))

    def prepared_bucket(self):
        b = self.bucket()
        self.s3.delete_public_access_block(Bucket=b)
        for key, tags in (("public/a.txt", ""), ("private/b.txt", ""), ("tagged-public", "Classification=public"),
                          ("tagged-secret", "Classification=secret"), ("home/%s/x" % SECOND["accountId"], ""),
                          ("home/%s/x" % OWNER_ACCOUNT, "")):
            self.s3.put_object(Bucket=b, Key=key, Body=b"data", Tagging=tags)
        return b

    def client(self, who):
        return {"owner": self.s3, "second": self.s3b, "anon": self.anon}[who]

    def test_policy_cases(self):
        for name, statements, who, call, allowed in CASES:
            with self.subTest(name):
                b = self.prepared_bucket()
                self.s3.put_bucket_policy(Bucket=b, Policy=policy(*statements(b)))
                if allowed:
                    call(self.client(who), b)
                else:
                    with self.assertRaises(botocore.exceptions.ClientError) as cm:
                        call(self.client(who), b)
                    err = cm.exception.response
                    self.assertEqual((err["Error"]["Code"], err["ResponseMetadata"]["HTTPStatusCode"]),
                                     ("AccessDenied", 403))

    def test_the_same_requests_without_the_policy(self):
        # The denials above come from the policies: without them the owner may do all of it and the
        # second account nothing.
        b = self.prepared_bucket()
        self.s3.put_object(Bucket=b, Key="n", Body=b"x")
        self.s3.get_object(Bucket=b, Key="public/a.txt")
        self.assertError("AccessDenied", 403, self.s3b.get_object, Bucket=b, Key="public/a.txt")
        self.assertError("AccessDenied", 403, self.s3b.list_objects_v2, Bucket=b, Prefix="public/")

    def test_owner_keeps_the_policy_operations_under_a_deny_all(self):
        b = self.prepared_bucket()
        self.s3.put_bucket_policy(Bucket=b, Policy=policy(
            st("Deny", "s3:*", [bkt(b), objs(b)], {"Bool": {"aws:SecureTransport": "false"}})))
        self.assertError("AccessDenied", 403, self.s3.list_objects_v2, Bucket=b)
        self.assertIn("SecureTransport", self.s3.get_bucket_policy(Bucket=b)["Policy"])
        self.s3.delete_bucket_policy(Bucket=b)
        self.s3.list_objects_v2(Bucket=b)

    def test_referer_condition_for_anonymous_reads(self):
        b = self.prepared_bucket()
        self.s3.put_bucket_policy(Bucket=b, Policy=policy(
            st("Allow", "s3:GetObject", objs(b), {"StringLike": {"aws:Referer": "http://www.example.com/*"}})))
        status, _, body = self.la.get("/%s/public/a.txt" % b, headers={"Referer": "http://www.example.com/page"})
        self.assertEqual((status, body), (200, b"data"))
        self.assertEqual(self.la.get("/%s/public/a.txt" % b, headers={"Referer": "http://evil.example/"})[0], 403)
        self.assertEqual(self.la.get("/%s/public/a.txt" % b)[0], 403)

    def test_auth_type_of_presigned_urls(self):
        b = self.prepared_bucket()
        self.s3.put_bucket_policy(Bucket=b, Policy=policy(
            st("Deny", "s3:GetObject", objs(b), {"StringEquals": {"s3:authType": "REST-QUERY-STRING"}})))
        url = self.s3.generate_presigned_url("get_object", Params={"Bucket": b, "Key": "public/a.txt"}, ExpiresIn=300)
        with self.assertRaises(urllib.error.HTTPError) as cm:
            urllib.request.urlopen(url, timeout=30)
        self.assertEqual(cm.exception.code, 403)
        self.assertEqual(self.s3.get_object(Bucket=b, Key="public/a.txt")["Body"].read(), b"data")

    def test_current_time_follows_the_emulator_clock(self):
        b = self.prepared_bucket()
        self.s3.put_bucket_policy(Bucket=b, Policy=policy(
            st("Deny", "s3:GetObject", objs(b), {"DateGreaterThan": {"aws:CurrentTime": "2040-01-01T00:00:00Z"}}),
            st("Deny", "s3:PutObject", objs(b), {"NumericLessThan": {"aws:EpochTime": "2208988800"}})))  # 2040
        self.s3.get_object(Bucket=b, Key="public/a.txt")
        self.assertError("AccessDenied", 403, self.s3.put_object, Bucket=b, Key="n", Body=b"x")
        status, _, _ = self.la.request("POST", "/_localaws/clock", json.dumps({"set": "2041-06-01T00:00:00Z"}).encode())
        self.assertEqual(status, 200)
        try:
            self.assertError("AccessDenied", 403, self.s3.get_object, Bucket=b, Key="public/a.txt")
            self.s3.put_object(Bucket=b, Key="n", Body=b"x")
        finally:
            self.la.request("DELETE", "/_localaws/clock")

    def test_malformed_conditions(self):
        b = self.bucket()
        for cond in ({"StringEqualz": {"s3:prefix": "a"}},                 # unknown operator
                     {"StringEquals": {"s3:no-such-key": "a"}},            # unknown key
                     {"IpAddress": {"aws:SourceIp": "not-an-address"}},    # not an IP
                     {"NumericLessThan": {"s3:max-keys": "ten"}},          # not a number
                     {"DateLessThan": {"aws:CurrentTime": "soon"}},        # not a date
                     {"NullIfExists": {"s3:prefix": "true"}},              # no such form
                     {"StringEquals": {"s3:prefix": {"nested": "x"}}}):    # not a value
            with self.subTest(cond=cond):
                self.assertError("MalformedPolicy", 400, self.s3.put_bucket_policy, Bucket=b,
                                 Policy=policy(st("Allow", "s3:GetObject", objs(b), cond, second_principal())))
        # Every operator family with its IfExists and set forms is accepted.
        self.s3.put_bucket_policy(Bucket=b, Policy=policy(st("Allow", "s3:GetObject", objs(b), {
            "StringLikeIfExists": {"aws:Referer": "x*"}, "NumericGreaterThanEquals": {"s3:max-keys": 1},
            "DateLessThanEquals": {"aws:CurrentTime": "2030-01-01"}, "Bool": {"aws:SecureTransport": True},
            "ArnNotLike": {"aws:PrincipalArn": "arn:aws:iam::*:user/x"}, "Null": {"s3:x-amz-acl": "true"},
            "ForAnyValue:StringEquals": {"s3:RequestObjectTagKeys": ["a"]},
            "BinaryEquals": {"s3:x-amz-content-sha256": "YQ=="}, "NotIpAddress": {"aws:SourceIp": "::1/128"}},
            second_principal())))


class ExpectedBucketOwnerTest(AclCase):
    def test_bucket_and_object_operations(self):
        b = self.bucket()
        self.s3.put_object(Bucket=b, Key="k", Body=b"x", ExpectedBucketOwner=OWNER_ACCOUNT)
        self.assertEqual(self.s3.get_object(Bucket=b, Key="k", ExpectedBucketOwner=OWNER_ACCOUNT)["Body"].read(), b"x")
        wrong = SECOND["accountId"]
        for fn, kw in ((self.s3.get_object, {"Key": "k"}), (self.s3.put_object, {"Key": "k2", "Body": b"y"}),
                       (self.s3.delete_object, {"Key": "k"}), (self.s3.list_objects_v2, {}),
                       (self.s3.get_bucket_tagging, {}), (self.s3.get_bucket_versioning, {}),
                       (self.s3.put_bucket_versioning, {"VersioningConfiguration": {"Status": "Enabled"}}),
                       (self.s3.get_object_tagging, {"Key": "k"}), (self.s3.get_bucket_acl, {}),
                       (self.s3.create_multipart_upload, {"Key": "m"}), (self.s3.delete_bucket, {})):
            with self.subTest(fn.__name__):
                self.assertError("AccessDenied", 403, fn, Bucket=b, ExpectedBucketOwner=wrong, **kw)
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            self.s3.head_object(Bucket=b, Key="k", ExpectedBucketOwner=wrong)
        self.assertEqual(cm.exception.response["ResponseMetadata"]["HTTPStatusCode"], 403)
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            self.s3.head_bucket(Bucket=b, ExpectedBucketOwner=wrong)
        self.assertEqual(cm.exception.response["ResponseMetadata"]["HTTPStatusCode"], 403)
        # Nothing happened: the object is there, the bucket too, versioning never enabled.
        self.assertEqual(self.s3.get_object(Bucket=b, Key="k")["Body"].read(), b"x")
        self.assertNotIn("Status", self.s3.get_bucket_versioning(Bucket=b))
        self.s3.head_bucket(Bucket=b, ExpectedBucketOwner=OWNER_ACCOUNT)

    def test_second_account_bucket(self):
        theirs = "exp-" + uuid.uuid4().hex[:12]
        self.s3b.create_bucket(Bucket=theirs)
        self.s3b.head_bucket(Bucket=theirs, ExpectedBucketOwner=SECOND["accountId"])
        self.assertError("AccessDenied", 403, self.s3b.list_objects_v2, Bucket=theirs, ExpectedBucketOwner=OWNER_ACCOUNT)

    def test_copy_source_owner(self):
        b = self.bucket()
        self.s3.put_object(Bucket=b, Key="src", Body=b"x")
        src = {"Bucket": b, "Key": "src"}
        self.s3.copy_object(Bucket=b, Key="dst", CopySource=src, ExpectedSourceBucketOwner=OWNER_ACCOUNT,
                            ExpectedBucketOwner=OWNER_ACCOUNT)
        self.assertError("AccessDenied", 403, self.s3.copy_object, Bucket=b, Key="dst2", CopySource=src,
                         ExpectedSourceBucketOwner=SECOND["accountId"])
        self.assertError("AccessDenied", 403, self.s3.copy_object, Bucket=b, Key="dst2", CopySource=src,
                         ExpectedBucketOwner=SECOND["accountId"])
        up = self.s3.create_multipart_upload(Bucket=b, Key="mp")["UploadId"]
        self.assertError("AccessDenied", 403, self.s3.upload_part_copy, Bucket=b, Key="mp", UploadId=up, PartNumber=1,
                         CopySource=src, ExpectedSourceBucketOwner=SECOND["accountId"])
        self.s3.upload_part_copy(Bucket=b, Key="mp", UploadId=up, PartNumber=1, CopySource=src,
                                 ExpectedSourceBucketOwner=OWNER_ACCOUNT)
        self.assertError("NoSuchKey", 404, self.s3.get_object, Bucket=b, Key="dst2")


if __name__ == "__main__":
    unittest.main()
