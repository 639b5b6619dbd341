"""S3 error documents: codes, statuses, XML shape, request ids; unbuilt features answer
NotImplemented; signature errors carry the signing details."""
import base64
import hashlib
import unittest
import xml.etree.ElementTree as ET

from s3_support import S3TestCase


class ErrorTests(S3TestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.b = "errors-bucket"
        cls.s3.create_bucket(Bucket=cls.b)

    def parse(self, body):
        root = ET.fromstring(body)
        self.assertEqual(root.tag, "Error")
        return {c.tag: c.text for c in root}

    def test_error_document_shape(self):
        status, headers, body = self.signed("GET", "/%s/missing-key" % self.b)
        self.assertEqual(status, 404)
        self.assertTrue(body.startswith(b'<?xml version="1.0" encoding="UTF-8"?>'))
        e = self.parse(body)
        self.assertEqual(e["Code"], "NoSuchKey")
        self.assertEqual(e["Key"], "missing-key")
        self.assertEqual(e["RequestId"], headers["x-amz-request-id"])
        self.assertEqual(e["HostId"], headers["x-amz-id-2"])
        self.assertEqual(headers["content-type"], "application/xml")

    def test_no_such_bucket_names_the_bucket(self):
        status, _, body = self.signed("GET", "/no-such-bucket-zz?list-type=2")
        self.assertEqual(status, 404)
        e = self.parse(body)
        self.assertEqual((e["Code"], e["BucketName"]), ("NoSuchBucket", "no-such-bucket-zz"))

    def test_malformed_xml(self):
        for path, body in (("/%s?delete" % self.b, b"<Delete><Object>"),
                           ("/%s/k?tagging" % self.b, b"not xml at all")):
            md5 = base64.b64encode(hashlib.md5(body).digest()).decode()
            method = "POST" if "delete" in path else "PUT"
            if method == "PUT":
                self.s3.put_object(Bucket=self.b, Key="k", Body=b"x")
            status, _, out = self.signed(method, path, body, {"Content-MD5": md5})
            self.assertEqual(status, 400, path)
            self.assertEqual(self.parse(out)["Code"], "MalformedXML")
        status, _, out = self.signed("PUT", "/bad-xml-bucket", b"<CreateBucketConfiguration><Location")
        self.assertEqual((status, self.parse(out)["Code"]), (400, "MalformedXML"))

    def test_not_implemented_is_never_a_fake_success(self):
        for path, method in (("/%s?metadataTable" % self.b, "GET"), ("/%s?metadataTable" % self.b, "POST"),
                             ("/%s?session" % self.b, "GET"), ("/%s/k?select&select-type=2" % self.b, "POST"),
                             ("/%s/k?torrent" % self.b, "GET"), ("/%s/k?renameObject" % self.b, "PUT")):
            status, _, body = self.signed(method, path)
            self.assertEqual(status, 501, path)
            self.assertEqual(self.parse(body)["Code"], "NotImplemented", path)

    def test_method_not_allowed(self):
        status, _, body = self.signed("POST", "/%s/some-key" % self.b)
        self.assertEqual(status, 405)
        self.assertEqual(self.parse(body)["Code"], "MethodNotAllowed")

    def test_invalid_uri(self):
        status, _, body = self.signed("GET", "/%s/bad%%zzescape" % self.b)
        self.assertEqual(status, 400)
        self.assertEqual(self.parse(body)["Code"], "InvalidURI")

    def test_head_error_has_no_body(self):
        status, headers, body = self.signed("HEAD", "/%s/missing" % self.b)
        self.assertEqual(status, 404)
        self.assertEqual(body, b"")
        self.assertIn("x-amz-request-id", headers)

    def test_every_response_has_request_ids(self):
        for method, path in (("GET", "/"), ("HEAD", "/" + self.b), ("GET", "/%s?location" % self.b)):
            status, headers, _ = self.signed(method, path)
            self.assertEqual(status, 200, path)
            self.assertEqual(len(headers["x-amz-request-id"]), 16)
            self.assertTrue(headers["x-amz-id-2"])

    def test_wrong_secret_is_signature_does_not_match(self):
        """Needs the real SigV4 verifier (branch sigv4)."""
        bad = self.server.boto3_client("s3", secret_key="wrong-secret", request_checksum_calculation="when_required")
        err = self.assertError("SignatureDoesNotMatch", bad.list_objects_v2, Bucket=self.b, status=403)
        self.assertIn("StringToSign", err["Error"])
        self.assertIn("CanonicalRequest", err["Error"])

    def test_server_survives_garbage(self):
        status, _, _ = self.signed("PUT", "/%s/k?tagging" % self.b, b"\x00\xff" * 100)
        self.assertEqual(status, 400)
        self.assertEqual(self.s3.list_buckets()["ResponseMetadata"]["HTTPStatusCode"], 200)


if __name__ == "__main__":
    unittest.main()
