"""S3 access control through boto3: bucket ownership, the public access block, canned ACLs and
x-amz-grant-* headers, Get/Put Bucket/Object ACL, and their enforcement for the owner, a second
account and anonymous callers, under the modern (2023) defaults and --s3-defaults legacy."""
import unittest
import urllib.parse
import uuid
import xml.etree.ElementTree as ET

import botocore.exceptions

from s3_support import S3TestCase

SECOND = {"accessKeyId": "AKIASECONDACCOUNT01", "secretAccessKey": "second-secret", "accountId": "111122223333",
          "displayName": "second", "email": "second@example.com"}
ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers"
AUTH_USERS = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers"


def error_of(exc):
    return exc.response["Error"]["Code"], exc.response["ResponseMetadata"]["HTTPStatusCode"]


class AclCase(S3TestCase):
    accounts = [SECOND]

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.la = cls.server
        cls.s3b = cls.la.boto3_client("s3", SECOND["accessKeyId"], SECOND["secretAccessKey"])
        cls.second_id = cls.s3b.list_buckets()["Owner"]["ID"]
        cls.owner_id = cls.s3.list_buckets()["Owner"]["ID"]

    def bucket(self):
        name = "acl-" + uuid.uuid4().hex[:12]
        self.s3.create_bucket(Bucket=name)
        return name

    def open_bucket(self):
        """A bucket that accepts public ACLs, made the way AWS requires today."""
        name = self.bucket()
        self.s3.put_bucket_ownership_controls(
            Bucket=name, OwnershipControls={"Rules": [{"ObjectOwnership": "BucketOwnerPreferred"}]})
        self.s3.delete_public_access_block(Bucket=name)
        return name

    def assertError(self, code, status, fn, **kw):  # noqa: this file's order: code, status, call
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            fn(**kw)
        self.assertEqual(error_of(cm.exception), (code, status))
        return cm.exception

    def anonymous_get(self, bucket, key):
        status, _, body = self.la.get("/%s/%s" % (bucket, urllib.parse.quote(key)))
        return status, body


class ModernDefaultsTest(AclCase):
    def test_new_bucket_has_acls_disabled_and_public_access_blocked(self):
        b = self.bucket()
        rules = self.s3.get_bucket_ownership_controls(Bucket=b)["OwnershipControls"]["Rules"]
        self.assertEqual(rules, [{"ObjectOwnership": "BucketOwnerEnforced"}])
        pab = self.s3.get_public_access_block(Bucket=b)["PublicAccessBlockConfiguration"]
        self.assertEqual(pab, {"BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True,
                               "RestrictPublicBuckets": True})
        acl = self.s3.get_bucket_acl(Bucket=b)
        self.assertEqual(acl["Owner"]["ID"], self.owner_id)
        self.assertEqual([(g["Grantee"]["Type"], g["Grantee"]["ID"], g["Permission"]) for g in acl["Grants"]],
                         [("CanonicalUser", self.owner_id, "FULL_CONTROL")])

    def test_acls_refused_while_disabled(self):
        b = self.bucket()
        e = self.assertError("AccessControlListNotSupported", 400, self.s3.put_object, Bucket=b, Key="k", Body=b"x",
                             ACL="public-read")
        self.assertEqual(e.response["Error"]["Message"], "The bucket does not allow ACLs")
        self.assertError("AccessControlListNotSupported", 400, self.s3.put_bucket_acl, Bucket=b, ACL="public-read")
        # bucket-owner-full-control (and no ACL at all) stay accepted.
        self.s3.put_object(Bucket=b, Key="k", Body=b"x", ACL="bucket-owner-full-control")
        self.s3.put_object(Bucket=b, Key="k2", Body=b"x")
        self.assertEqual(self.anonymous_get(b, "k")[0], 403)
        self.assertError("InvalidBucketAclWithObjectOwnership", 400, self.s3.create_bucket,
                         Bucket="acl-" + uuid.uuid4().hex[:12], ACL="public-read")

    def test_block_public_acls_refuses_public_acls(self):
        b = self.bucket()
        self.s3.put_bucket_ownership_controls(
            Bucket=b, OwnershipControls={"Rules": [{"ObjectOwnership": "BucketOwnerPreferred"}]})
        self.assertError("AccessDenied", 403, self.s3.put_object, Bucket=b, Key="k", Body=b"x", ACL="public-read")
        self.s3.put_object(Bucket=b, Key="k", Body=b"x", ACL="private")
        self.assertError("AccessDenied", 403, self.s3.put_object_acl, Bucket=b, Key="k", ACL="public-read")
        self.assertError("AccessDenied", 403, self.s3.put_object_acl, Bucket=b, Key="k",
                         GrantRead='uri="%s"' % ALL_USERS)

    def test_public_read_object_after_unblocking(self):
        b = self.open_bucket()
        self.assertError("NoSuchPublicAccessBlockConfiguration", 404, self.s3.get_public_access_block, Bucket=b)
        self.s3.put_object(Bucket=b, Key="pub.txt", Body=b"hello", ACL="public-read", ContentType="text/plain")
        self.s3.put_object(Bucket=b, Key="priv.txt", Body=b"secret")
        self.assertEqual(self.anonymous_get(b, "pub.txt"), (200, b"hello"))
        status, body = self.anonymous_get(b, "priv.txt")
        self.assertEqual(status, 403)
        self.assertEqual(ET.fromstring(body).find("Code").text, "AccessDenied")
        # Anonymous callers cannot write, list or read ACLs without a grant.
        self.assertEqual(self.anonymous_get(b, "")[0], 403)
        grants = self.s3.get_object_acl(Bucket=b, Key="pub.txt")["Grants"]
        self.assertIn({"Grantee": {"Type": "Group", "URI": ALL_USERS}, "Permission": "READ"}, grants)
        # IgnorePublicAcls makes the grant irrelevant without removing it.
        self.s3.put_public_access_block(Bucket=b, PublicAccessBlockConfiguration={"IgnorePublicAcls": True})
        self.assertEqual(self.anonymous_get(b, "pub.txt")[0], 403)
        self.s3.delete_public_access_block(Bucket=b)
        self.assertEqual(self.anonymous_get(b, "pub.txt")[0], 200)

    def test_bucket_owner_enforced_again_refused_with_grants(self):
        b = self.open_bucket()
        self.s3.put_bucket_acl(Bucket=b, GrantRead='id="%s"' % self.second_id)
        self.assertError("InvalidBucketAclWithObjectOwnership", 400, self.s3.put_bucket_ownership_controls, Bucket=b,
                         OwnershipControls={"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]})
        self.s3.put_bucket_acl(Bucket=b, ACL="private")
        self.s3.put_bucket_ownership_controls(
            Bucket=b, OwnershipControls={"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]})
        self.s3.delete_bucket_ownership_controls(Bucket=b)
        self.assertError("OwnershipControlsNotFoundError", 404, self.s3.get_bucket_ownership_controls, Bucket=b)

    def test_config_is_owner_only(self):
        b = self.bucket()
        for fn in (self.s3b.get_bucket_ownership_controls, self.s3b.get_public_access_block,
                   self.s3b.delete_public_access_block, self.s3b.get_bucket_acl):
            self.assertError("AccessDenied", 403, fn, Bucket=b)


class GrantsTest(AclCase):
    def test_object_grant_to_second_account(self):
        b = self.open_bucket()
        self.s3.put_object(Bucket=b, Key="shared", Body=b"s", GrantRead='id="%s"' % self.second_id)
        self.s3.put_object(Bucket=b, Key="mine", Body=b"m")
        self.assertEqual(self.s3b.get_object(Bucket=b, Key="shared")["Body"].read(), b"s")
        self.assertError("AccessDenied", 403, self.s3b.get_object, Bucket=b, Key="mine")
        # READ does not include READ_ACP or WRITE.
        self.assertError("AccessDenied", 403, self.s3b.get_object_acl, Bucket=b, Key="shared")
        self.assertError("AccessDenied", 403, self.s3b.put_object, Bucket=b, Key="new", Body=b"n")
        self.assertEqual(self.anonymous_get(b, "shared")[0], 403)

    def test_acl_xml_with_email_grantee(self):
        b = self.open_bucket()
        self.s3.put_object(Bucket=b, Key="k", Body=b"v")
        self.s3.put_object_acl(Bucket=b, Key="k", AccessControlPolicy={
            "Owner": {"ID": self.owner_id},
            "Grants": [{"Grantee": {"Type": "CanonicalUser", "ID": self.owner_id}, "Permission": "FULL_CONTROL"},
                       {"Grantee": {"Type": "AmazonCustomerByEmail", "EmailAddress": SECOND["email"]},
                        "Permission": "FULL_CONTROL"}]})
        grants = self.s3.get_object_acl(Bucket=b, Key="k")["Grants"]
        self.assertIn(("CanonicalUser", self.second_id, "FULL_CONTROL"),
                      [(g["Grantee"]["Type"], g["Grantee"].get("ID"), g["Permission"]) for g in grants])
        self.assertEqual(self.s3b.get_object(Bucket=b, Key="k")["Body"].read(), b"v")
        self.assertIn("Grants", self.s3b.get_object_acl(Bucket=b, Key="k"))
        self.assertError("UnresolvableGrantByEmailAddress", 400, self.s3.put_object_acl, Bucket=b, Key="k",
                         GrantRead='emailAddress="nobody@example.com"')
        self.assertError("InvalidArgument", 400, self.s3.put_object_acl, Bucket=b, Key="k",
                         GrantRead='id="%s"' % ("0" * 64))
        self.assertError("InvalidArgument", 400, self.s3.put_object_acl, Bucket=b, Key="k", ACL="world-readable")

    def test_malformed_acl_xml(self):
        b = self.open_bucket()
        self.s3.put_object(Bucket=b, Key="k", Body=b"v")
        status, _, body = self.signed("PUT", "/%s/k?acl" % b, b"<AccessControlPolicy><Owner>")
        self.assertEqual((status, ET.fromstring(body).find("Code").text), (400, "MalformedACLError"))
        bad_perm = (b'<AccessControlPolicy><Owner><ID>x</ID></Owner><AccessControlList><Grant>'
                    b'<Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="Group">'
                    b'<URI>' + ALL_USERS.encode() + b'</URI></Grantee><Permission>EVERYTHING</Permission></Grant>'
                    b'</AccessControlList></AccessControlPolicy>')
        status, _, body = self.signed("PUT", "/%s/k?acl" % b, bad_perm)
        self.assertEqual((status, ET.fromstring(body).find("Code").text), (400, "MalformedACLError"))

    def test_bucket_grants_write_and_read(self):
        b = self.open_bucket()
        self.assertError("AccessDenied", 403, self.s3b.list_objects_v2, Bucket=b)
        self.s3.put_bucket_acl(Bucket=b, GrantRead='id="%s"' % self.second_id,
                               GrantWrite='id="%s"' % self.second_id,
                               GrantFullControl='id="%s"' % self.owner_id)
        self.s3b.put_object(Bucket=b, Key="from-second", Body=b"2")
        self.assertEqual([o["Key"] for o in self.s3b.list_objects_v2(Bucket=b)["Contents"]], ["from-second"])
        # The writer owns its object; the bucket owner gets no read of it (nor of its ACL).
        self.assertEqual(self.s3b.get_object_acl(Bucket=b, Key="from-second")["Owner"]["ID"], self.second_id)
        self.assertError("AccessDenied", 403, self.s3.get_object, Bucket=b, Key="from-second")
        self.assertError("AccessDenied", 403, self.s3.get_object_acl, Bucket=b, Key="from-second")
        # bucket-owner-full-control under BucketOwnerPreferred hands the object to the bucket owner.
        self.s3b.put_object(Bucket=b, Key="handed", Body=b"h", ACL="bucket-owner-full-control")
        self.assertEqual(self.s3.get_object_acl(Bucket=b, Key="handed")["Owner"]["ID"], self.owner_id)
        self.assertEqual(self.s3.get_object(Bucket=b, Key="handed")["Body"].read(), b"h")
        self.s3b.delete_object(Bucket=b, Key="handed")

    def test_canned_acls_expand(self):
        b = self.open_bucket()
        expect = {
            "private": set(),
            "public-read": {("Group", ALL_USERS, "READ")},
            "public-read-write": {("Group", ALL_USERS, "READ"), ("Group", ALL_USERS, "WRITE")},
            "authenticated-read": {("Group", AUTH_USERS, "READ")},
        }
        for canned, extra in expect.items():
            self.s3.put_object(Bucket=b, Key=canned, Body=b"x", ACL=canned)
            grants = self.s3.get_object_acl(Bucket=b, Key=canned)["Grants"]
            got = {(g["Grantee"]["Type"], g["Grantee"].get("URI") or g["Grantee"].get("ID"), g["Permission"])
                   for g in grants}
            self.assertEqual(got, {("CanonicalUser", self.owner_id, "FULL_CONTROL")} | extra, canned)
        # authenticated-read: any signed account, not anonymous.
        self.assertEqual(self.s3b.get_object(Bucket=b, Key="authenticated-read")["Body"].read(), b"x")
        self.assertEqual(self.anonymous_get(b, "authenticated-read")[0], 403)
        self.assertEqual(self.anonymous_get(b, "public-read-write")[0], 200)

    def test_copy_and_multipart_take_the_requested_acl(self):
        b = self.open_bucket()
        self.s3.put_object(Bucket=b, Key="src", Body=b"copy me", ACL="public-read")
        self.s3.copy_object(Bucket=b, Key="copy-private", CopySource={"Bucket": b, "Key": "src"})
        self.s3.copy_object(Bucket=b, Key="copy-public", CopySource={"Bucket": b, "Key": "src"}, ACL="public-read")
        self.assertEqual(self.anonymous_get(b, "copy-private")[0], 403)
        self.assertEqual(self.anonymous_get(b, "copy-public"), (200, b"copy me"))
        up = self.s3.create_multipart_upload(Bucket=b, Key="mp", ACL="public-read")
        part = self.s3.upload_part(Bucket=b, Key="mp", UploadId=up["UploadId"], PartNumber=1, Body=b"parts")
        self.s3.complete_multipart_upload(Bucket=b, Key="mp", UploadId=up["UploadId"], MultipartUpload={
            "Parts": [{"PartNumber": 1, "ETag": part["ETag"]}]})
        self.assertEqual(self.anonymous_get(b, "mp"), (200, b"parts"))


class LegacyDefaultsTest(AclCase):
    server_args = ("--s3-defaults", "legacy")

    def test_2018_behaviour(self):
        b = "acl-" + uuid.uuid4().hex[:12]
        self.s3.create_bucket(Bucket=b, ACL="public-read")
        self.assertError("OwnershipControlsNotFoundError", 404, self.s3.get_bucket_ownership_controls, Bucket=b)
        self.assertError("NoSuchPublicAccessBlockConfiguration", 404, self.s3.get_public_access_block, Bucket=b)
        self.s3.put_object(Bucket=b, Key="photo.jpg", Body=b"jpeg", ACL="public-read", ContentType="image/jpeg")
        status, headers, body = self.la.get("/%s/photo.jpg" % b)
        self.assertEqual((status, body, headers.get("Content-Type")), (200, b"jpeg", "image/jpeg"))
        # public-read on the bucket lets anyone list it.
        self.assertEqual(self.la.get("/%s" % b)[0], 200)


if __name__ == "__main__":
    unittest.main()
