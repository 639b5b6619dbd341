"""Presigned URLs from boto3 with both signers (SigV4 query and the legacy SigV2 query form that
boto3 still uses by default in us-east-1): GET, PUT, HEAD, DELETE and UploadPart, sent as plain
HTTP with no credentials; expiry enforced; the signer's permissions apply (private buckets)."""
import http.client
import time
import unittest
import urllib.parse

from test_s3_acl import AclCase

SIGNERS = ("s3v4", "s3")


class PresignedTest(AclCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.signers = {v: cls.la.boto3_client("s3", signature_version=v) for v in SIGNERS}
        cls.second = cls.la.boto3_client("s3", "AKIASECONDACCOUNT01", "second-secret", signature_version="s3v4")

    def send(self, method, url, body=None):
        """Plain HTTP, no added headers (a presigned URL signs no Content-Type)."""
        u = urllib.parse.urlsplit(url)
        conn = http.client.HTTPConnection(u.netloc, timeout=30)
        try:
            conn.request(method, u.path + ("?" + u.query if u.query else ""), body=body,
                         headers={"Content-Length": str(len(body or b""))} if method in ("PUT", "POST") else {})
            r = conn.getresponse()
            return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()
        finally:
            conn.close()

    def test_get_put_head_delete(self):
        b = self.bucket()  # private: modern defaults
        for version, s3 in self.signers.items():
            with self.subTest(signer=version):
                key = "dir/photo %s.jpg" % version
                url = s3.generate_presigned_url("put_object", Params={"Bucket": b, "Key": key}, ExpiresIn=300)
                if version == "s3":
                    self.assertIn("AWSAccessKeyId=", url)
                else:
                    self.assertIn("X-Amz-Signature=", url)
                status, _, body = self.send("PUT", url, b"presigned bytes")
                self.assertEqual(status, 200, body)
                url = s3.generate_presigned_url("get_object", Params={"Bucket": b, "Key": key}, ExpiresIn=300)
                self.assertEqual(self.send("GET", url)[::2], (200, b"presigned bytes"))
                url = s3.generate_presigned_url("head_object", Params={"Bucket": b, "Key": key}, ExpiresIn=300)
                status, headers, _ = self.send("HEAD", url)
                self.assertEqual((status, headers["content-length"]), (200, "15"))
                url = s3.generate_presigned_url("delete_object", Params={"Bucket": b, "Key": key}, ExpiresIn=300)
                self.assertEqual(self.send("DELETE", url)[0], 204)
                self.assertEqual(self.anonymous_get(b, key)[0], 403)
                self.assertNotIn("Contents", self.s3.list_objects_v2(Bucket=b, Prefix=key))

    def test_upload_part(self):
        b = self.bucket()
        for version, s3 in self.signers.items():
            with self.subTest(signer=version):
                key = "big-" + version
                up = self.s3.create_multipart_upload(Bucket=b, Key=key)["UploadId"]
                parts = []
                for n, data in ((1, b"a" * (5 << 20)), (2, b"tail")):
                    url = s3.generate_presigned_url("upload_part", Params={
                        "Bucket": b, "Key": key, "UploadId": up, "PartNumber": n}, ExpiresIn=300)
                    status, headers, body = self.send("PUT", url, data)
                    self.assertEqual(status, 200, body)
                    parts.append({"PartNumber": n, "ETag": headers["etag"]})
                self.s3.complete_multipart_upload(Bucket=b, Key=key, UploadId=up, MultipartUpload={"Parts": parts})
                self.assertEqual(self.s3.head_object(Bucket=b, Key=key)["ContentLength"], (5 << 20) + 4)

    def test_signer_permissions_apply(self):
        b = self.bucket()
        self.s3.put_object(Bucket=b, Key="k", Body=b"v")
        url = self.second.generate_presigned_url("get_object", Params={"Bucket": b, "Key": "k"}, ExpiresIn=300)
        status, _, body = self.send("GET", url)
        self.assertEqual(status, 403)
        self.assertIn(b"<Code>AccessDenied</Code>", body)

    def test_expired(self):
        b = self.bucket()
        self.s3.put_object(Bucket=b, Key="k", Body=b"v")
        urls = [s3.generate_presigned_url("get_object", Params={"Bucket": b, "Key": "k"}, ExpiresIn=1)
                for s3 in self.signers.values()]
        time.sleep(2.1)
        for url in urls:
            status, _, body = self.send("GET", url)
            self.assertEqual(status, 403, url)
            self.assertIn(b"<Code>AccessDenied</Code>", body)
            self.assertIn(b"Request has expired", body)


if __name__ == "__main__":
    unittest.main()
