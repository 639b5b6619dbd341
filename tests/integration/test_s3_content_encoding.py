"""S3 never re-encodes object bytes: an object stored with its own Content-Encoding (gzip) comes
back byte for byte with that header as metadata, whatever the GET's Accept-Encoding says, and an
object stored without one is never compressed. aws-chunked is upload framing: stripped from the
stored Content-Encoding while gzip stays."""
import base64
import gzip
import hashlib
import os
import sys
import unittest
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from s3_support import S3TestCase  # noqa: E402

ACCEPTS = ["gzip", "identity", "gzip;q=0", "deflate", "br, gzip, deflate", "*", "gzip;q=1, identity;q=0"]


class S3ContentEncodingTest(S3TestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.b = "content-encoding-test"
        cls.s3.create_bucket(Bucket=cls.b)
        cls.text = b"".join(b"line %d of a web asset that compresses well\n" % i for i in range(3000))
        cls.gz = gzip.compress(cls.text)

    def get_raw(self, key, accept, extra=None):
        headers = {"Accept-Encoding": accept}
        headers.update(extra or {})
        status, h, body = self.signed("GET", "/%s/%s" % (self.b, key), headers=headers)
        self.assertIn(status, (200, 206), body[:300])
        return h, body

    def assertServedAsStored(self, key, data, encoding):
        for accept in ACCEPTS:
            h, body = self.get_raw(key, accept)
            self.assertEqual(body, data, accept)
            self.assertEqual(int(h["content-length"]), len(data), accept)
            self.assertEqual(h.get("content-encoding"), encoding, accept)
            self.assertEqual(h["etag"], '"%s"' % hashlib.md5(data).hexdigest(), accept)
        # A range is a slice of the stored bytes, not of a decoded view.
        h, body = self.get_raw(key, "gzip", {"Range": "bytes=10-99"})
        self.assertEqual((body, h.get("content-encoding")), (data[10:100], encoding))

    def test_gzip_object_put_with_boto3_is_served_byte_for_byte(self):
        for client, key in ((self.s3, "site/app.js"), (self.s3_default, "site/app-default.js")):
            sent = []
            handler = lambda request, **kw: sent.append(request.headers.get("Content-Encoding"))  # noqa: E731
            client.meta.events.register("before-send.s3.PutObject", handler)
            try:
                client.put_object(Bucket=self.b, Key=key, Body=self.gz, ContentEncoding="gzip",
                                  ContentType="application/javascript")
            finally:
                client.meta.events.unregister("before-send.s3.PutObject", handler)
            self.assertTrue(sent and sent[0] in (b"gzip", "gzip"), sent)
            self.assertServedAsStored(key, self.gz, "gzip")
            head = client.head_object(Bucket=self.b, Key=key)
            self.assertEqual((head["ContentEncoding"], head["ContentLength"]), ("gzip", len(self.gz)))
            got = client.get_object(Bucket=self.b, Key=key)
            self.assertEqual(got["Body"].read(), self.gz)  # botocore does not decode it either
            self.assertEqual(gzip.decompress(self.gz), self.text)

    def test_aws_chunked_is_stripped_and_gzip_stays(self):
        crc = base64.b64encode(zlib.crc32(self.gz).to_bytes(4, "big")).decode()
        body = b"%x\r\n" % len(self.gz) + self.gz + b"\r\n0\r\nx-amz-checksum-crc32:" + crc.encode() + b"\r\n\r\n"
        for key, sent_encoding, stored in (("chunked/gzip", "gzip, aws-chunked", "gzip"),
                                           ("chunked/gzip-first", "aws-chunked,gzip", "gzip"),
                                           ("chunked/plain", "aws-chunked", None)):
            status, _, out = self.signed("PUT", "/%s/%s" % (self.b, key), body, headers={
                "x-amz-content-sha256": "STREAMING-UNSIGNED-PAYLOAD-TRAILER", "x-amz-trailer": "x-amz-checksum-crc32",
                "x-amz-decoded-content-length": str(len(self.gz)), "Content-Encoding": sent_encoding})
            self.assertEqual(status, 200, out)
            self.assertServedAsStored(key, self.gz, stored)
            self.assertEqual(self.s3.head_object(Bucket=self.b, Key=key).get("ContentEncoding"), stored)

    def test_plain_object_is_never_compressed(self):
        self.s3.put_object(Bucket=self.b, Key="plain.txt", Body=self.text, ContentType="text/plain")
        self.assertServedAsStored("plain.txt", self.text, None)

    def test_response_content_encoding_override_changes_only_the_header(self):
        self.s3.put_object(Bucket=self.b, Key="override.bin", Body=self.gz)
        url = "override.bin?response-content-encoding=gzip"
        h, body = self.get_raw(url, "identity")
        self.assertEqual((body, h.get("content-encoding")), (self.gz, "gzip"))


if __name__ == "__main__":
    unittest.main()
