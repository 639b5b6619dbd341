"""Expect: 100-continue as a client sees it on the wire (raw sockets): a request that will be
refused (bad signature, AccessDenied, NoSuchBucket, EntityTooLarge from Content-Length) gets its
final error status instead of 100 Continue, before any body byte is sent, and the connection is
then closed (Connection: close, EOF) since the announced body never came; a request that will be
served gets 100 Continue, its body is read, and the connection stays usable for the next request.
"""
import os
import socket
import sys
import unittest

import botocore.auth
import botocore.awsrequest
import botocore.credentials

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from s3_support import S3TestCase  # noqa: E402


class Wire:
    """One raw HTTP/1.1 connection."""

    def __init__(self, endpoint):
        host, port = endpoint.split("//", 1)[1].split(":")
        self.sock = socket.create_connection((host, int(port)), timeout=5)
        self.buf = b""

    def close(self):
        self.sock.close()

    def send(self, data):
        self.sock.sendall(data)

    def _fill(self):
        chunk = self.sock.recv(65536)
        if not chunk:
            return False
        self.buf += chunk
        return True

    def response(self):
        """(status, headers (lower-case names), body) of the next response on the wire."""
        while b"\r\n\r\n" not in self.buf:
            if not self._fill():
                raise AssertionError("connection closed before a response: %r" % self.buf)
        head, self.buf = self.buf.split(b"\r\n\r\n", 1)
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        headers = {}
        for line in lines[1:]:
            k, v = line.split(":", 1)
            headers[k.strip().lower()] = v.strip()
        n = int(headers.get("content-length", "0"))
        while len(self.buf) < n:
            if not self._fill():
                break
        body, self.buf = self.buf[:n], self.buf[n:]
        return status, headers, body

    def at_eof(self):
        """True when the server closes the connection (nothing more arrives)."""
        try:
            return not self._fill() and not self.buf
        except socket.timeout:
            return False


def head_block(method, path, host, headers):
    return ("%s %s HTTP/1.1\r\nHost: %s\r\n" % (method, path, host) +
            "".join("%s: %s\r\n" % kv for kv in headers.items()) + "\r\n").encode()


class ExpectContinueTest(S3TestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.host = cls.server.endpoint.split("//", 1)[1]
        cls.b = "expect-b"
        cls.s3.create_bucket(Bucket=cls.b)

    def signed(self, method, path, length, secret="test", body=b""):
        """Headers of a SigV4-signed request announcing `length` body bytes (signing `body`'s hash)."""
        hdrs = {} if length is None else {"Content-Length": str(length)}
        req = botocore.awsrequest.AWSRequest(method=method, url=self.server.endpoint + path, headers=hdrs, data=body)
        botocore.auth.S3SigV4Auth(botocore.credentials.Credentials("test", secret), "s3", "us-east-1").add_auth(req)
        out = {k: v for k, v in req.headers.items()}
        out["Expect"] = "100-continue"
        return out

    def refused_before_body(self, headers, path, status, code):
        w = Wire(self.server.endpoint)
        try:
            w.send(head_block("PUT", path, self.host, headers))  # headers only: the body is never sent
            st, h, body = w.response()
            self.assertEqual(st, status, body)
            self.assertIn(("<Code>%s</Code>" % code).encode(), body)
            self.assertEqual(h.get("connection"), "close")
            self.assertEqual(h.get("content-length"), str(len(body)))  # framed, not delimited by the close
            self.assertTrue(w.at_eof(), "the server should close the connection whose body it did not read")
            return body
        finally:
            w.close()

    def test_no_such_bucket(self):
        body = self.refused_before_body(self.signed("PUT", "/expect-missing/k", 10), "/expect-missing/k", 404,
                                        "NoSuchBucket")
        self.assertIn(b"<BucketName>expect-missing</BucketName>", body)

    def test_bad_signature(self):
        self.refused_before_body(self.signed("PUT", "/%s/k" % self.b, 10, secret="wrong"), "/%s/k" % self.b, 403,
                                 "SignatureDoesNotMatch")

    def test_anonymous_access_denied(self):
        self.refused_before_body({"Content-Length": "10", "Expect": "100-continue"}, "/%s/k" % self.b, 403,
                                 "AccessDenied")

    def test_entity_too_large_from_content_length(self):
        size = 6 * 1024 ** 3
        body = self.refused_before_body(self.signed("PUT", "/%s/huge" % self.b, size), "/%s/huge" % self.b, 400,
                                        "EntityTooLarge")
        self.assertIn(("<ProposedSize>%d</ProposedSize>" % size).encode(), body)
        self.assertIn(b"<MaxSizeAllowed>5368709120</MaxSizeAllowed>", body)

    def test_upload_part_too_large(self):
        up = self.s3.create_multipart_upload(Bucket=self.b, Key="mp")["UploadId"]
        path = "/%s/mp?partNumber=1&uploadId=%s" % (self.b, up)
        self.refused_before_body(self.signed("PUT", path, 6 * 1024 ** 3), path, 400, "EntityTooLarge")

    def test_expired_presigned_put(self):
        url = self.server.boto3_client("s3", signature_version="s3v4").generate_presigned_url(
            "put_object", Params={"Bucket": self.b, "Key": "late"}, ExpiresIn=1)
        path = url.split(self.host, 1)[1].replace("X-Amz-Expires=1", "X-Amz-Expires=0")
        self.refused_before_body({"Content-Length": "4", "Expect": "100-continue"}, path, 403, "AccessDenied")

    def test_accepted_request_gets_100_and_the_connection_stays_usable(self):
        w = Wire(self.server.endpoint)
        try:
            hdrs = self.signed("PUT", "/%s/ok" % self.b, 5, body=b"hello")
            del hdrs["Expect"]
            hdrs["expect"] = "100-Continue"  # any casing (RFC 9110)
            w.send(head_block("PUT", "/%s/ok" % self.b, self.host, hdrs))
            st, _, _ = w.response()
            self.assertEqual(st, 100)
            w.send(b"hello")
            st, h, body = w.response()
            self.assertEqual(st, 200, body)
            self.assertNotEqual(h.get("connection"), "close")
            get = self.signed("GET", "/%s/ok" % self.b, None)
            del get["Expect"]
            w.send(head_block("GET", "/%s/ok" % self.b, self.host, get))  # same connection
            st, _, body = w.response()
            self.assertEqual((st, body), (200, b"hello"))
        finally:
            w.close()
        self.assertEqual(self.s3.get_object(Bucket=self.b, Key="ok")["Body"].read(), b"hello")

    def test_refused_write_changed_nothing(self):
        self.refused_before_body(self.signed("PUT", "/%s/never" % self.b, 10, secret="wrong"),
                                 "/%s/never" % self.b, 403, "SignatureDoesNotMatch")
        self.assertError("NoSuchKey", self.s3.get_object, Bucket=self.b, Key="never")


if __name__ == "__main__":
    unittest.main()
