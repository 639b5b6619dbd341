"""POST Object (browser uploads) with boto3's generate_presigned_post, sent as a real
multipart/form-data request without credentials: SigV4 and SigV2 policy signatures, conditions
(bucket, key starts-with, content-length-range, Content-Type, x-amz-meta-*), extra fields,
expiry, success_action_status / success_action_redirect, ACLs from the form."""
import time
import unittest
import urllib.parse
import uuid
import xml.etree.ElementTree as ET

import requests

from test_s3_acl import AclCase


class PostObjectTest(AclCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.v4 = cls.la.boto3_client("s3", signature_version="s3v4")
        cls.v2 = cls.la.boto3_client("s3", signature_version="s3")

    def post(self, presigned, data=b"form bytes", extra=None, filename="photo.jpg"):
        fields = dict(presigned["fields"])
        fields.update(extra or {})
        r = requests.post(presigned["url"], data=fields, files={"file": (filename, data)}, allow_redirects=False,
                          timeout=30)
        return r

    def code(self, r):
        return ET.fromstring(r.content).find("Code").text

    def test_upload_with_both_signers(self):
        b = self.bucket()
        for name, s3 in (("v4", self.v4), ("v2", self.v2)):
            with self.subTest(signer=name):
                key = "uploads/%s.txt" % name
                p = s3.generate_presigned_post(b, key, ExpiresIn=300)
                r = self.post(p)
                self.assertEqual(r.status_code, 204, r.text)
                self.assertTrue(r.headers["ETag"])
                self.assertEqual(self.s3.get_object(Bucket=b, Key=key)["Body"].read(), b"form bytes")

    def test_conditions(self):
        b = self.bucket()
        p = self.v4.generate_presigned_post(
            b, "user/${filename}", Fields={"Content-Type": "image/jpeg", "x-amz-meta-shop": "crema"},
            Conditions=[["starts-with", "$key", "user/"], ["content-length-range", 1, 100],
                        {"Content-Type": "image/jpeg"}, {"x-amz-meta-shop": "crema"}], ExpiresIn=300)
        r = self.post(p, b"jpeg", filename="a.jpg")
        self.assertEqual(r.status_code, 204, r.text)
        head = self.s3.head_object(Bucket=b, Key="user/a.jpg")
        self.assertEqual((head["ContentType"], head["Metadata"]), ("image/jpeg", {"shop": "crema"}))
        r = self.post(p, b"x" * 101)
        self.assertEqual((r.status_code, self.code(r)), (400, "EntityTooLarge"))
        r = self.post(p, extra={"key": "elsewhere/a.jpg"})
        self.assertEqual((r.status_code, self.code(r)), (403, "AccessDenied"))
        self.assertIn("Policy Condition failed", r.text)
        r = self.post(p, extra={"Content-Type": "text/html"})
        self.assertEqual(r.status_code, 403)
        r = self.post(p, extra={"x-amz-meta-extra": "1"})
        self.assertEqual(r.status_code, 403)
        self.assertIn("Extra input fields", r.text)
        other = self.bucket()
        r = requests.post(p["url"].replace(b, other), data=p["fields"], files={"file": ("a.jpg", b"x")}, timeout=30)
        self.assertEqual(r.status_code, 403)

    def test_bad_signature_and_expiry(self):
        b = self.bucket()
        p = self.v4.generate_presigned_post(b, "k", ExpiresIn=300)
        r = self.post(p, extra={"x-amz-signature": "0" * 64})
        self.assertEqual((r.status_code, self.code(r)), (403, "SignatureDoesNotMatch"))
        p = self.v4.generate_presigned_post(b, "k", ExpiresIn=1)
        time.sleep(2.1)
        r = self.post(p)
        self.assertEqual((r.status_code, self.code(r)), (403, "AccessDenied"))
        self.assertIn("Policy expired", r.text)
        # Without a policy the upload is anonymous: refused on a private bucket.
        r = requests.post(p["url"], data={"key": "anon"}, files={"file": ("a", b"x")}, timeout=30)
        self.assertEqual((r.status_code, self.code(r)), (403, "AccessDenied"))
        r = requests.post(p["url"], data=b"not a form", headers={"Content-Type": "text/plain"}, timeout=30)
        self.assertEqual((r.status_code, self.code(r)), (412, "PreconditionFailed"))

    def test_success_actions_and_acl(self):
        b = self.open_bucket()
        p = self.v4.generate_presigned_post(b, "created", Fields={"success_action_status": "201", "acl": "public-read"},
                                            Conditions=[{"success_action_status": "201"}, {"acl": "public-read"}],
                                            ExpiresIn=300)
        r = self.post(p, b"public via form")
        self.assertEqual(r.status_code, 201, r.text)
        doc = ET.fromstring(r.content)
        self.assertEqual((doc.find("Bucket").text, doc.find("Key").text), (b, "created"))
        self.assertEqual(self.anonymous_get(b, "created"), (200, b"public via form"))
        target = "http://app.example/done"
        p = self.v4.generate_presigned_post(b, "redirected", Fields={"success_action_redirect": target},
                                            Conditions=[{"success_action_redirect": target}], ExpiresIn=300)
        r = self.post(p)
        self.assertEqual(r.status_code, 303, r.text)
        loc = urllib.parse.urlsplit(r.headers["Location"])
        q = dict(urllib.parse.parse_qsl(loc.query))
        self.assertEqual((loc.netloc, q["bucket"], q["key"]), ("app.example", b, "redirected"))
        self.assertEqual(self.anonymous_get(b, "redirected")[0], 403)

    def test_large_file_streams(self):
        b = self.bucket()
        p = self.v4.generate_presigned_post(b, "big", ExpiresIn=300)
        data = uuid.uuid4().bytes * (3 << 16)  # 3 MiB
        r = self.post(p, data)
        self.assertEqual(r.status_code, 204, r.text)
        self.assertEqual(self.s3.get_object(Bucket=b, Key="big")["Body"].read(), data)


if __name__ == "__main__":
    unittest.main()
