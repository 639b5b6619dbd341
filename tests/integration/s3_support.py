"""Shared set-up for the S3 integration tests: one localaws per test class, boto3 clients with
the modern default checksums and with checksums only when required."""
import os
import sys
import unittest
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from localaws_support import LocalAws  # noqa: E402


class S3TestCase(unittest.TestCase):
    server_args = ()
    # A second account, to check what other accounts may and may not do.
    accounts = [{"accessKeyId": "test", "secretAccessKey": "test", "accountId": "000000000000",
                 "displayName": "localaws"},
                {"accessKeyId": "other", "secretAccessKey": "other", "accountId": "111122223333",
                 "displayName": "other"}]

    @classmethod
    def setUpClass(cls):
        cls.server = LocalAws(*cls.server_args, accounts=cls.accounts).start()
        # Checksums only when an operation requires them: plain (not aws-chunked) bodies.
        cls.s3 = cls.server.boto3_client("s3", request_checksum_calculation="when_required",
                                         response_checksum_validation="when_required")
        # boto3's defaults: CRC32 in an aws-chunked trailer on every upload.
        cls.s3_default = cls.server.boto3_client("s3")

    @classmethod
    def tearDownClass(cls):
        cls.server.close()

    def bucket(self, prefix="b"):
        name = "%s-%s" % (prefix, uuid.uuid4().hex[:12])
        self.s3.create_bucket(Bucket=name)
        return name

    def signed(self, method, path, body=b"", headers=None):
        """Sends a SigV4-signed request with the raw path exactly as given; returns (status,
        headers, body)."""
        import http.client
        import botocore.auth
        import botocore.awsrequest
        import botocore.credentials
        hdrs = {"x-amz-content-sha256": "UNSIGNED-PAYLOAD"}
        hdrs.update(headers or {})
        req = botocore.awsrequest.AWSRequest(method=method, url=self.server.endpoint + path, data=body, headers=hdrs)
        botocore.auth.S3SigV4Auth(botocore.credentials.Credentials("test", "test"), "s3",
                                  "us-east-1").add_auth(req)
        conn = http.client.HTTPConnection(self.server.endpoint.split("//")[1], timeout=30)
        try:
            conn.request(method, path, body=body, headers=dict(req.headers))
            r = conn.getresponse()
            return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()
        finally:
            conn.close()

    def assertError(self, code, fn, *args, status=None, **kw):
        import botocore.exceptions
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            fn(*args, **kw)
        err = cm.exception.response
        self.assertEqual(err["Error"]["Code"], code, err)
        if status is not None:
            self.assertEqual(err["ResponseMetadata"]["HTTPStatusCode"], status)
        return err
