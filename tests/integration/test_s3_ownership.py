"""Object ownership, canned ACLs and grant headers, GetBucketPolicyStatus, 403 versus 404, and the
condition keys request bodies add, through boto3, as tables of cases: who owns an object another
account writes under each ObjectOwnership (GetObjectAcl, ListObjects(V2) fetch-owner,
ListObjectVersions); the grants each canned ACL lists; which policies AWS calls public; NoSuchKey
only for callers allowed s3:ListBucket; DeleteObjects checked per key; s3:RequestObjectTag from
PutObjectTagging bodies, s3:object-lock-* from PutObjectRetention / PutObjectLegalHold bodies and
a POST form's fields; InvalidTag naming the tag at fault."""
import datetime
import json
import unittest
import urllib.parse
import urllib.request
import uuid

import botocore.exceptions
from botocore import UNSIGNED

from test_s3_acl import AclCase, SECOND, ALL_USERS, AUTH_USERS

LOG_DELIVERY = "http://acs.amazonaws.com/groups/s3/LogDelivery"
# Amazon EC2's canonical user, granted READ by aws-exec-read.
EC2 = "6aa5a366c34c1cbe25dc49211496e913e0351eb0e8c37aa3477e40942ec6b97c"


def policy(*statements):
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def allow(principal, actions, resources, condition=None, effect="Allow"):
    s = {"Effect": effect, "Principal": principal, "Action": actions, "Resource": resources}
    if condition:
        s["Condition"] = condition
    return s


class OwnershipCase(AclCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.anon = cls.la.boto3_client("s3", signature_version=UNSIGNED)

    def err(self, fn, **kw):
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            fn(**kw)
        return cm.exception.response

    def shared_bucket(self, ownership):
        """A bucket under `ownership` whose policy lets the second account do anything."""
        b = self.bucket()
        self.s3.put_bucket_ownership_controls(Bucket=b, OwnershipControls={"Rules": [{"ObjectOwnership": ownership}]})
        self.s3.delete_public_access_block(Bucket=b)
        self.s3.put_bucket_policy(Bucket=b, Policy=policy(allow(
            {"AWS": SECOND["accountId"]}, "s3:*", ["arn:aws:s3:::%s" % b, "arn:aws:s3:::%s/*" % b])))
        return b


# (ownership, canned ACL the second account writes with (None: none), who owns the object)
OWNERSHIP = [
    ("BucketOwnerEnforced", None, "bucket"),
    ("BucketOwnerEnforced", "bucket-owner-full-control", "bucket"),
    ("BucketOwnerPreferred", None, "writer"),
    ("BucketOwnerPreferred", "bucket-owner-full-control", "bucket"),
    ("BucketOwnerPreferred", "bucket-owner-read", "writer"),
    ("ObjectWriter", None, "writer"),
    ("ObjectWriter", "bucket-owner-full-control", "writer"),
]


class ObjectOwnershipTest(OwnershipCase):
    def test_owner_of_objects_other_accounts_write(self):
        for ownership, canned, owner in OWNERSHIP:
            with self.subTest(ownership=ownership, acl=canned):
                b = self.shared_bucket(ownership)
                kw = {"ACL": canned} if canned else {}
                self.s3b.put_object(Bucket=b, Key="k", Body=b"x", **kw)
                want = self.owner_id if owner == "bucket" else self.second_id
                # The object's owner can always read its ACL; the other account only when granted.
                reader = self.s3 if owner == "bucket" else self.s3b
                self.assertEqual(reader.get_object_acl(Bucket=b, Key="k")["Owner"]["ID"], want)
                v2 = self.s3.list_objects_v2(Bucket=b, FetchOwner=True)["Contents"]
                self.assertEqual([o["Owner"]["ID"] for o in v2], [want])
                self.assertNotIn("Owner", self.s3.list_objects_v2(Bucket=b)["Contents"][0])
                v1 = self.s3.list_objects(Bucket=b)["Contents"]
                self.assertEqual([o["Owner"]["ID"] for o in v1], [want])
                versions = self.s3.list_object_versions(Bucket=b)["Versions"]
                self.assertEqual([o["Owner"]["ID"] for o in versions], [want])
                if owner == "writer" and canned == "bucket-owner-full-control":
                    # Not the owner, but granted FULL_CONTROL: the bucket owner reads the ACL.
                    self.assertEqual(self.s3.get_object_acl(Bucket=b, Key="k")["Owner"]["ID"], want)
                elif owner == "writer":
                    # The bucket owner does not own it: its ACL stays the writer's to read.
                    e = self.err(self.s3.get_object_acl, Bucket=b, Key="k")
                    self.assertEqual(e["Error"]["Code"], "AccessDenied")

    def test_switch_to_enforced_gives_the_bucket_owner_existing_objects(self):
        b = self.shared_bucket("ObjectWriter")
        self.s3b.put_object(Bucket=b, Key="old", Body=b"x")
        owners = lambda: {o["Key"]: o["Owner"]["ID"] for o in self.s3.list_objects_v2(Bucket=b, FetchOwner=True)["Contents"]}
        self.assertEqual(owners(), {"old": self.second_id})
        self.s3.put_bucket_ownership_controls(
            Bucket=b, OwnershipControls={"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]})
        # ACLs are off: the bucket owner owns every object, those written before the switch too.
        self.assertEqual(owners(), {"old": self.owner_id})
        self.assertEqual([o["Owner"]["ID"] for o in self.s3.list_objects(Bucket=b)["Contents"]], [self.owner_id])
        self.assertEqual(self.s3.get_object_acl(Bucket=b, Key="old")["Owner"]["ID"], self.owner_id)
        # Back to ObjectWriter: the writer's ownership was never lost.
        self.s3.put_bucket_ownership_controls(
            Bucket=b, OwnershipControls={"Rules": [{"ObjectOwnership": "ObjectWriter"}]})
        self.assertEqual(owners(), {"old": self.second_id})

    def test_acls_refused_under_bucket_owner_enforced(self):
        b = self.shared_bucket("BucketOwnerEnforced")
        for canned in ["private", "public-read", "bucket-owner-read", "authenticated-read"]:
            with self.subTest(acl=canned):
                e = self.err(self.s3b.put_object, Bucket=b, Key="k-" + canned, Body=b"x", ACL=canned)
                self.assertEqual((e["Error"]["Code"], e["ResponseMetadata"]["HTTPStatusCode"]),
                                 ("AccessControlListNotSupported", 400))
        self.s3b.put_object(Bucket=b, Key="ok", Body=b"x", ACL="bucket-owner-full-control")
        e = self.err(self.s3.put_object_acl, Bucket=b, Key="ok", ACL="public-read")
        self.assertEqual(e["Error"]["Code"], "AccessControlListNotSupported")
        e = self.err(self.s3b.put_object, Bucket=b, Key="g", Body=b"x", GrantRead='uri="%s"' % ALL_USERS)
        self.assertEqual(e["Error"]["Code"], "AccessControlListNotSupported")


# canned ACL -> the grants GetObjectAcl lists after the second account writes with it, as
# (Type, whose ID or URI, Permission); "writer"/"bucket" stand for the canonical ids.
CANNED = [
    ("private", [("CanonicalUser", "writer", "FULL_CONTROL")]),
    ("public-read", [("CanonicalUser", "writer", "FULL_CONTROL"), ("Group", ALL_USERS, "READ")]),
    ("public-read-write", [("CanonicalUser", "writer", "FULL_CONTROL"), ("Group", ALL_USERS, "READ"),
                           ("Group", ALL_USERS, "WRITE")]),
    ("authenticated-read", [("CanonicalUser", "writer", "FULL_CONTROL"), ("Group", AUTH_USERS, "READ")]),
    ("aws-exec-read", [("CanonicalUser", "writer", "FULL_CONTROL"), ("CanonicalUser", EC2, "READ")]),
    ("bucket-owner-read", [("CanonicalUser", "writer", "FULL_CONTROL"), ("CanonicalUser", "bucket", "READ")]),
    ("bucket-owner-full-control", [("CanonicalUser", "writer", "FULL_CONTROL"),
                                   ("CanonicalUser", "bucket", "FULL_CONTROL")]),
    ("log-delivery-write", [("CanonicalUser", "writer", "FULL_CONTROL"), ("Group", LOG_DELIVERY, "WRITE"),
                            ("Group", LOG_DELIVERY, "READ_ACP")]),
]


class CannedAclTest(OwnershipCase):
    def grants(self, acl):
        ids = {self.second_id: "writer", self.owner_id: "bucket"}
        out = []
        for g in acl["Grants"]:
            ge = g["Grantee"]
            if ge["Type"] == "Group":
                self.assertEqual(set(ge), {"Type", "URI"})
                out.append(("Group", ge["URI"], g["Permission"]))
            else:
                # AWS has not returned DisplayName since 2025-11-21.
                self.assertEqual(set(ge), {"Type", "ID"})
                out.append((ge["Type"], ids.get(ge["ID"], ge["ID"]), g["Permission"]))
        return out

    def test_canned_object_acls(self):
        b = self.shared_bucket("ObjectWriter")
        for canned, want in CANNED:
            with self.subTest(acl=canned):
                self.s3b.put_object(Bucket=b, Key=canned, Body=b"x", ACL=canned)
                acl = self.s3b.get_object_acl(Bucket=b, Key=canned)
                self.assertEqual(acl["Owner"]["ID"], self.second_id)
                self.assertEqual(self.grants(acl), want)

    def test_bucket_owner_canned_acls_on_own_objects(self):
        # Written by the bucket owner itself there is no second grant to add.
        b = self.shared_bucket("ObjectWriter")
        for canned in ["bucket-owner-read", "bucket-owner-full-control"]:
            self.s3.put_object(Bucket=b, Key=canned, Body=b"x", ACL=canned)
            acl = self.s3.get_object_acl(Bucket=b, Key=canned)
            self.assertEqual([(g["Grantee"]["ID"], g["Permission"]) for g in acl["Grants"]],
                             [(self.owner_id, "FULL_CONTROL")])

    def test_grant_headers(self):
        b = self.shared_bucket("ObjectWriter")
        self.s3.put_object(Bucket=b, Key="g", Body=b"x", GrantRead='uri="%s"' % ALL_USERS,
                           GrantReadACP='id="%s"' % self.second_id,
                           GrantFullControl='emailAddress="%s"' % SECOND["email"])
        acl = self.s3.get_object_acl(Bucket=b, Key="g")
        ids = {self.second_id: "second"}
        got = [(g["Grantee"]["Type"], g["Grantee"].get("URI") or ids.get(g["Grantee"]["ID"]), g["Permission"])
               for g in acl["Grants"]]
        # Header grants replace the owner's default grant: only what the headers name.
        self.assertEqual(sorted(got), sorted([("Group", ALL_USERS, "READ"), ("CanonicalUser", "second", "READ_ACP"),
                                              ("CanonicalUser", "second", "FULL_CONTROL")]))
        e = self.err(self.s3.put_object, Bucket=b, Key="bad", Body=b"x", GrantRead='uri="http://example.com/x"')
        self.assertEqual(e["Error"]["Code"], "InvalidArgument")
        e = self.err(self.s3.put_object, Bucket=b, Key="both", Body=b"x", ACL="private",
                     GrantRead='uri="%s"' % ALL_USERS)
        self.assertEqual(e["Error"]["Code"], "InvalidRequest")


# (condition of an Allow to every principal of s3:GetObject, IsPublic)
PUBLIC = [
    (None, True),
    ({"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}, False),
    ({"IpAddress": {"aws:SourceIp": "0.0.0.0/0"}}, True),
    ({"NotIpAddress": {"aws:SourceIp": "10.0.0.0/8"}}, True),
    ({"StringEquals": {"aws:SourceVpce": "vpce-1a2b3c4d"}}, False),
    ({"StringEquals": {"aws:SourceAccount": "111122223333"}}, False),
    ({"ArnEquals": {"aws:SourceArn": "arn:aws:cloudfront::111122223333:distribution/E1"}}, False),
    ({"ArnLike": {"aws:SourceArn": "arn:aws:cloudfront::*:distribution/*"}}, True),
    ({"StringEquals": {"aws:PrincipalAccount": "111122223333"}}, False),
    ({"StringEqualsIfExists": {"aws:SourceVpc": "vpc-1"}}, True),
    ({"Bool": {"aws:SecureTransport": "true"}}, True),
    ({"StringEquals": {"s3:x-amz-acl": "private"}}, True),
]


class PolicyStatusTest(OwnershipCase):
    def test_is_public(self):
        b = self.bucket()
        self.s3.delete_public_access_block(Bucket=b)
        for cond, public in PUBLIC:
            with self.subTest(condition=cond):
                self.s3.put_bucket_policy(Bucket=b, Policy=policy(allow("*", "s3:GetObject", "arn:aws:s3:::%s/*" % b,
                                                                        cond)))
                self.assertEqual(self.s3.get_bucket_policy_status(Bucket=b)["PolicyStatus"]["IsPublic"], public)
        # A fixed principal is not public whatever the condition.
        self.s3.put_bucket_policy(Bucket=b, Policy=policy(allow({"AWS": SECOND["accountId"]}, "s3:GetObject",
                                                                "arn:aws:s3:::%s/*" % b)))
        self.assertFalse(self.s3.get_bucket_policy_status(Bucket=b)["PolicyStatus"]["IsPublic"])

    def test_block_public_policy_uses_the_same_rule(self):
        b = self.bucket()
        self.s3.put_public_access_block(Bucket=b, PublicAccessBlockConfiguration={
            "BlockPublicAcls": False, "IgnorePublicAcls": False, "BlockPublicPolicy": True,
            "RestrictPublicBuckets": False})
        for cond, public in PUBLIC:
            with self.subTest(condition=cond):
                doc = policy(allow("*", "s3:GetObject", "arn:aws:s3:::%s/*" % b, cond))
                if public:
                    e = self.err(self.s3.put_bucket_policy, Bucket=b, Policy=doc)
                    self.assertEqual(e["Error"]["Code"], "AccessDenied")
                else:
                    self.s3.put_bucket_policy(Bucket=b, Policy=doc)

    def test_acls_do_not_count(self):
        # GetBucketPolicyStatus reads the policy only: a public ACL without a policy has no status.
        b = self.open_bucket()
        self.s3.put_bucket_acl(Bucket=b, ACL="public-read")
        e = self.err(self.s3.get_bucket_policy_status, Bucket=b)
        self.assertEqual(e["Error"]["Code"], "NoSuchBucketPolicy")
        self.s3.put_bucket_policy(Bucket=b, Policy=policy(allow({"AWS": SECOND["accountId"]}, "s3:GetObject",
                                                                "arn:aws:s3:::%s/*" % b)))
        self.assertFalse(self.s3.get_bucket_policy_status(Bucket=b)["PolicyStatus"]["IsPublic"])


# (who, actions the policy allows them, operation, expected (code, status))
MISSING_KEY = [
    ("owner", [], "get", ("NoSuchKey", 404)),
    ("owner", [], "head", ("404", 404)),
    ("owner", [], "attributes", ("NoSuchKey", 404)),
    ("second", ["s3:GetObject"], "get", ("AccessDenied", 403)),
    ("second", ["s3:GetObject"], "head", ("403", 403)),
    ("second", ["s3:GetObject", "s3:GetObjectAttributes"], "attributes", ("AccessDenied", 403)),
    ("second", ["s3:GetObject", "s3:ListBucket"], "get", ("NoSuchKey", 404)),
    ("second", ["s3:GetObject", "s3:ListBucket"], "head", ("404", 404)),
    ("second", ["s3:GetObjectAttributes", "s3:ListBucket"], "attributes", ("NoSuchKey", 404)),
    ("second", [], "get", ("AccessDenied", 403)),
    ("anon", ["s3:GetObject"], "get", ("AccessDenied", 403)),
    ("anon", ["s3:GetObject", "s3:ListBucket"], "get", ("NoSuchKey", 404)),
    ("anon", ["s3:GetObject", "s3:ListBucket"], "head", ("404", 404)),
    # CopyObject's source follows the same rule (the caller copies into a bucket of its own).
    ("owner", [], "copy", ("NoSuchKey", 404)),
    ("second", ["s3:GetObject"], "copy", ("AccessDenied", 403)),
    ("second", ["s3:GetObject", "s3:ListBucket"], "copy", ("NoSuchKey", 404)),
]


class MissingKeyTest(OwnershipCase):
    def test_missing_key_is_404_only_with_list_bucket(self):
        b = self.bucket()
        self.s3.delete_public_access_block(Bucket=b)
        clients = {"owner": self.s3, "second": self.s3b, "anon": self.anon}
        theirs = "nk-" + uuid.uuid4().hex[:12]
        self.s3b.create_bucket(Bucket=theirs)
        for who, actions, op, want in MISSING_KEY:
            with self.subTest(who=who, actions=actions, op=op):
                if actions:
                    principal = "*" if who == "anon" else {"AWS": SECOND["accountId"]}
                    self.s3.put_bucket_policy(Bucket=b, Policy=policy(
                        allow(principal, [a for a in actions if a != "s3:ListBucket"] or ["s3:GetObject"],
                              "arn:aws:s3:::%s/*" % b),
                        allow(principal, "s3:ListBucket" if "s3:ListBucket" in actions else "s3:GetBucketTagging",
                              "arn:aws:s3:::%s" % b)))
                else:
                    try:
                        self.s3.delete_bucket_policy(Bucket=b)
                    except botocore.exceptions.ClientError:
                        pass
                c = clients[who]
                if op == "get":
                    fn, kw = c.get_object, {}
                elif op == "head":
                    fn, kw = c.head_object, {}
                elif op == "copy":
                    dst = b if who == "owner" else theirs
                    e = self.err(c.copy_object, Bucket=dst, Key="copy", CopySource={"Bucket": b, "Key": "no/such/key"})
                    self.assertEqual((e["Error"]["Code"], e["ResponseMetadata"]["HTTPStatusCode"]), want)
                    continue
                else:
                    fn, kw = c.get_object_attributes, {"ObjectAttributes": ["ETag"]}
                e = self.err(fn, Bucket=b, Key="no/such/key", **kw)
                self.assertEqual((e["Error"]["Code"], e["ResponseMetadata"]["HTTPStatusCode"]), want)

    def test_delete_marker_hidden_without_list_bucket(self):
        b = self.bucket()
        self.s3.put_bucket_versioning(Bucket=b, VersioningConfiguration={"Status": "Enabled"})
        self.s3.put_object(Bucket=b, Key="k", Body=b"x")
        self.s3.delete_object(Bucket=b, Key="k")
        self.s3.put_bucket_policy(Bucket=b, Policy=policy(allow({"AWS": SECOND["accountId"]}, "s3:GetObject",
                                                                "arn:aws:s3:::%s/*" % b)))
        e = self.err(self.s3b.get_object, Bucket=b, Key="k")
        self.assertEqual((e["Error"]["Code"], e["ResponseMetadata"]["HTTPStatusCode"]), ("AccessDenied", 403))
        e = self.err(self.s3.get_object, Bucket=b, Key="k")
        self.assertEqual((e["Error"]["Code"], e["ResponseMetadata"]["HTTPStatusCode"]), ("NoSuchKey", 404))

    def test_missing_bucket_is_no_such_bucket_to_anyone(self):
        name = "nb-" + uuid.uuid4().hex[:12]
        for who, c in [("owner", self.s3), ("second", self.s3b), ("anon", self.anon)]:
            for op, fn in [("get", lambda: c.get_object(Bucket=name, Key="k")),
                           ("list", lambda: c.list_objects_v2(Bucket=name))]:
                with self.subTest(who=who, op=op):
                    with self.assertRaises(botocore.exceptions.ClientError) as cm:
                        fn()
                    r = cm.exception.response
                    self.assertEqual((r["Error"]["Code"], r["ResponseMetadata"]["HTTPStatusCode"]),
                                     ("NoSuchBucket", 404))
                    self.assertEqual(r["Error"]["BucketName"], name)


class DeleteObjectsTest(OwnershipCase):
    def test_each_key_checked_against_its_arn(self):
        b = self.bucket()
        self.s3.put_bucket_versioning(Bucket=b, VersioningConfiguration={"Status": "Enabled"})
        keys = ["ok/1", "ok/2", "no/1"]
        vids = {k: self.s3.put_object(Bucket=b, Key=k, Body=b"x")["VersionId"] for k in keys}
        self.s3.put_bucket_policy(Bucket=b, Policy=policy(
            allow({"AWS": SECOND["accountId"]}, "s3:DeleteObject", "arn:aws:s3:::%s/ok/*" % b)))
        r = self.s3b.delete_objects(Bucket=b, Delete={"Objects": [{"Key": k} for k in keys]})
        self.assertEqual(sorted(d["Key"] for d in r["Deleted"]), ["ok/1", "ok/2"])
        self.assertEqual(r["Errors"], [{"Key": "no/1", "Code": "AccessDenied", "Message": "Access Denied"}])
        # A version needs s3:DeleteObjectVersion, which the policy does not give.
        r = self.s3b.delete_objects(Bucket=b, Delete={"Objects": [{"Key": "ok/1", "VersionId": vids["ok/1"]}]})
        self.assertEqual([(x["Key"], x["Code"]) for x in r["Errors"]], [("ok/1", "AccessDenied")])
        self.assertNotIn("Deleted", r)
        # The denied key is untouched; the owner still deletes everything.
        self.assertEqual(self.s3.head_object(Bucket=b, Key="no/1")["VersionId"], vids["no/1"])
        r = self.s3.delete_objects(Bucket=b, Delete={"Objects": [{"Key": "no/1", "VersionId": vids["no/1"]}]})
        self.assertEqual([d["Key"] for d in r["Deleted"]], ["no/1"])

    def test_deny_on_one_prefix(self):
        b = self.bucket()
        for k in ["a/1", "keep/1"]:
            self.s3.put_object(Bucket=b, Key=k, Body=b"x")
        self.s3.put_bucket_policy(Bucket=b, Policy=policy(
            allow("*", "s3:DeleteObject", "arn:aws:s3:::%s/keep/*" % b, effect="Deny")))
        r = self.s3.delete_objects(Bucket=b, Delete={"Objects": [{"Key": "a/1"}, {"Key": "keep/1"}]})
        self.assertEqual([d["Key"] for d in r["Deleted"]], ["a/1"])
        self.assertEqual([(x["Key"], x["Code"]) for x in r["Errors"]], [("keep/1", "AccessDenied")])
        self.assertEqual([o["Key"] for o in self.s3.list_objects_v2(Bucket=b)["Contents"]], ["keep/1"])


class BodyConditionKeysTest(OwnershipCase):
    def test_request_object_tags_from_put_object_tagging(self):
        b = self.bucket()
        self.s3.put_object(Bucket=b, Key="k", Body=b"x")
        self.s3.put_bucket_policy(Bucket=b, Policy=policy(
            allow({"AWS": SECOND["accountId"]}, "s3:PutObjectTagging", "arn:aws:s3:::%s/*" % b,
                  {"StringEquals": {"s3:RequestObjectTag/env": "dev"},
                   "ForAllValues:StringEquals": {"s3:RequestObjectTagKeys": ["env", "team"]}})))
        # (tags, allowed)
        for tags, ok in [([("env", "dev")], True), ([("env", "dev"), ("team", "a")], True),
                         ([("env", "prod")], False), ([("env", "dev"), ("other", "x")], False), ([], False)]:
            with self.subTest(tags=tags):
                ts = {"TagSet": [{"Key": k, "Value": v} for k, v in tags]}
                if ok:
                    self.s3b.put_object_tagging(Bucket=b, Key="k", Tagging=ts)
                    self.assertEqual(self.s3.get_object_tagging(Bucket=b, Key="k")["TagSet"], ts["TagSet"])
                else:
                    e = self.err(self.s3b.put_object_tagging, Bucket=b, Key="k", Tagging=ts)
                    self.assertEqual(e["Error"]["Code"], "AccessDenied")

    def test_deny_by_body_tag_applies_to_the_owner(self):
        b = self.bucket()
        self.s3.put_object(Bucket=b, Key="k", Body=b"x")
        self.s3.put_bucket_policy(Bucket=b, Policy=policy(
            allow("*", "s3:PutObjectTagging", "arn:aws:s3:::%s/*" % b,
                  {"StringEquals": {"s3:RequestObjectTag/classification": "secret"}}, effect="Deny")))
        self.s3.put_object_tagging(Bucket=b, Key="k", Tagging={"TagSet": [{"Key": "classification", "Value": "open"}]})
        e = self.err(self.s3.put_object_tagging, Bucket=b, Key="k",
                     Tagging={"TagSet": [{"Key": "classification", "Value": "secret"}]})
        self.assertEqual(e["Error"]["Code"], "AccessDenied")
        # Without the permission the missing key is not revealed either.
        e = self.err(self.s3b.put_object_tagging, Bucket=b, Key="nope", Tagging={"TagSet": []})
        self.assertEqual(e["Error"]["Code"], "AccessDenied")

    def test_object_lock_keys_from_bodies(self):
        b = "lock-" + uuid.uuid4().hex[:12]
        self.s3.create_bucket(Bucket=b, ObjectLockEnabledForBucket=True)
        vid = self.s3.put_object(Bucket=b, Key="k", Body=b"x")["VersionId"]
        self.s3.put_bucket_policy(Bucket=b, Policy=policy(
            allow("*", "s3:PutObjectRetention", "arn:aws:s3:::%s/*" % b,
                  {"NumericGreaterThan": {"s3:object-lock-remaining-retention-days": "10"}}, effect="Deny"),
            allow("*", "s3:PutObjectRetention", "arn:aws:s3:::%s/*" % b,
                  {"StringEquals": {"s3:object-lock-mode": "COMPLIANCE"}}, effect="Deny"),
            allow("*", "s3:PutObjectLegalHold", "arn:aws:s3:::%s/*" % b,
                  {"StringEquals": {"s3:object-lock-legal-hold": "ON"}}, effect="Deny")))
        now = datetime.datetime.now(datetime.timezone.utc)
        # (mode, days ahead, allowed)
        for mode, days, ok in [("GOVERNANCE", 5, True), ("GOVERNANCE", 30, False), ("COMPLIANCE", 2, False)]:
            with self.subTest(mode=mode, days=days):
                kw = dict(Bucket=b, Key="k", VersionId=vid, BypassGovernanceRetention=True,
                          Retention={"Mode": mode, "RetainUntilDate": now + datetime.timedelta(days=days)})
                if ok:
                    self.s3.put_object_retention(**kw)
                else:
                    self.assertEqual(self.err(self.s3.put_object_retention, **kw)["Error"]["Code"], "AccessDenied")
        self.assertEqual(self.s3.get_object_retention(Bucket=b, Key="k", VersionId=vid)["Retention"]["Mode"],
                         "GOVERNANCE")
        e = self.err(self.s3.put_object_legal_hold, Bucket=b, Key="k", VersionId=vid, LegalHold={"Status": "ON"})
        self.assertEqual(e["Error"]["Code"], "AccessDenied")
        self.s3.put_object_legal_hold(Bucket=b, Key="k", VersionId=vid, LegalHold={"Status": "OFF"})
        self.assertEqual(self.s3.get_object_legal_hold(Bucket=b, Key="k", VersionId=vid)["LegalHold"]["Status"], "OFF")

    def post(self, b, key, fields, headers=None):
        post = self.s3.generate_presigned_post(b, key, Fields=dict(fields),
                                               Conditions=[{k: v} for k, v in fields.items()])
        boundary = "----own" + uuid.uuid4().hex
        parts = []
        for k, v in post["fields"].items():
            parts.append('--%s\r\nContent-Disposition: form-data; name="%s"\r\n\r\n%s\r\n' % (boundary, k, v))
        parts.append('--%s\r\nContent-Disposition: form-data; name="file"; filename="f"\r\n\r\nhello\r\n--%s--\r\n'
                     % (boundary, boundary))
        req = urllib.request.Request(post["url"], data="".join(parts).encode(), method="POST",
                                     headers={"Content-Type": "multipart/form-data; boundary=" + boundary,
                                              **(headers or {})})
        try:
            with urllib.request.urlopen(req) as r:
                return r.status, r.read()
        except urllib.error.HTTPError as e:
            return e.code, e.read()

    def test_post_form_fields_in_the_condition_context(self):
        b = self.open_bucket()
        self.s3.put_bucket_policy(Bucket=b, Policy=policy(
            allow("*", "s3:PutObject", "arn:aws:s3:::%s/*" % b,
                  {"StringEquals": {"s3:x-amz-acl": "public-read"}}, effect="Deny"),
            allow("*", "s3:PutObject", "arn:aws:s3:::%s/*" % b,
                  {"StringEquals": {"s3:RequestObjectTag/env": "prod"}}, effect="Deny")))
        self.assertEqual(self.post(b, "a", {"acl": "private"})[0], 204)
        st, body = self.post(b, "b", {"acl": "public-read"})
        self.assertEqual(st, 403, body)
        self.assertIn(b"<Code>AccessDenied</Code>", body)
        tagging = "<Tagging><TagSet><Tag><Key>env</Key><Value>%s</Value></Tag></TagSet></Tagging>"
        self.assertEqual(self.post(b, "c", {"tagging": tagging % "dev"})[0], 204)
        self.assertEqual(self.s3.get_object_tagging(Bucket=b, Key="c")["TagSet"], [{"Key": "env", "Value": "dev"}])
        st, body = self.post(b, "d", {"tagging": tagging % "prod"})
        self.assertEqual(st, 403, body)
        keys = [o["Key"] for o in self.s3.list_objects_v2(Bucket=b)["Contents"]]
        self.assertEqual(keys, ["a", "c"])

    def test_post_keeps_the_request_headers_in_the_context(self):
        b = self.open_bucket()
        self.s3.put_bucket_policy(Bucket=b, Policy=policy(
            allow("*", "s3:PutObject", "arn:aws:s3:::%s/*" % b,
                  {"StringNotLike": {"aws:Referer": "https://app.example.com/*"}}, effect="Deny")))
        self.assertEqual(self.post(b, "a", {"acl": "private"}, {"Referer": "https://app.example.com/up"})[0], 204)
        self.assertEqual(self.post(b, "b", {"acl": "private"}, {"Referer": "https://evil.example.com/"})[0], 403)
        self.assertEqual(self.post(b, "c", {"acl": "private"})[0], 403)


# (tag set, message, extra elements of the error)
INVALID_TAGS = [
    ([("te&st", "v")], "The TagKey you have provided is invalid", {"TagKey": "te&st"}),
    ([("k", "in&valid")], "The TagValue you have provided is invalid", {"TagKey": "k", "TagValue": "in&valid"}),
    ([("k", "a"), ("k", "b")], "Cannot provide multiple Tags with the same key", {"TagKey": "k"}),
    ([("k" * 129, "v")], "The TagKey you have provided is invalid", {}),
]


class InvalidTagTest(OwnershipCase):
    def test_invalid_tag_names_the_tag(self):
        b = self.bucket()
        self.s3.put_object(Bucket=b, Key="k", Body=b"x")
        for tags, message, extra in INVALID_TAGS:
            with self.subTest(tags=tags):
                e = self.err(self.s3.put_object_tagging, Bucket=b, Key="k",
                             Tagging={"TagSet": [{"Key": k, "Value": v} for k, v in tags]})
                err = e["Error"]
                self.assertEqual((err["Code"], err["Message"]), ("InvalidTag", message))
                self.assertEqual({k: v for k, v in err.items() if k in ("TagKey", "TagValue")}, extra)
        # Allowed characters: letters (any script), digits, space and + - = . _ : / @.
        ok = [("Name é", "a+b-c=d.e_f:g/h@i j")]
        self.s3.put_object_tagging(Bucket=b, Key="k", Tagging={"TagSet": [{"Key": k, "Value": v} for k, v in ok]})
        self.assertEqual(self.s3.get_object_tagging(Bucket=b, Key="k")["TagSet"], [{"Key": ok[0][0], "Value": ok[0][1]}])


if __name__ == "__main__":
    unittest.main()
