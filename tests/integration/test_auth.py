"""SigV4 through real clients (aws CLI, boto3, presigned URLs) in verify, strict and off modes."""
import datetime
import json
import re
import time
import unittest
import urllib.request

import botocore.auth
import botocore.awsrequest
import botocore.credentials
import botocore.exceptions

from localaws_support import LocalAws

SECOND = {"accessKeyId": "AKIASECONDACCOUNT01", "secretAccessKey": "second-secret", "accountId": "111122223333",
          "displayName": "second", "email": "second@example.com"}


def error_code(exc):
    return exc.response["Error"]["Code"]


class VerifyModeTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.la = LocalAws(accounts=[SECOND]).start()

    @classmethod
    def tearDownClass(cls):
        cls.la.close()

    # --- aws CLI ------------------------------------------------------------------------
    def test_cli_right_secret(self):
        out = self.la.aws_json("s3api", "list-buckets")
        self.assertIn("Buckets", out)
        self.assertIn("Owner", out)
        out = self.la.aws_json("dynamodb", "list-tables")
        self.assertEqual(out["TableNames"], [])

    def test_cli_wrong_secret(self):
        p = self.la.aws("s3api", "list-buckets", check=False, secret_key="not-the-secret")
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("SignatureDoesNotMatch", p.stderr)
        p = self.la.aws("dynamodb", "list-tables", check=False, secret_key="not-the-secret")
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("InvalidSignatureException", p.stderr)

    def test_cli_unknown_key_is_accepted_as_default_account(self):
        out = self.la.aws_json("s3api", "list-buckets", access_key="AKIAWHOEVER", secret_key="anything")
        self.assertIn("Buckets", out)
        out = self.la.aws_json("dynamodb", "list-tables", access_key="AKIAWHOEVER", secret_key="anything")
        self.assertEqual(out["TableNames"], [])

    def test_second_account(self):
        s3 = self.la.boto3_client("s3", SECOND["accessKeyId"], SECOND["secretAccessKey"])
        owner = s3.list_buckets()["Owner"]
        s3_default = self.la.boto3_client("s3")
        self.assertNotEqual(owner["ID"], s3_default.list_buckets()["Owner"]["ID"])
        bad = self.la.boto3_client("s3", SECOND["accessKeyId"], "wrong")
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            bad.list_buckets()
        self.assertEqual(error_code(cm.exception), "SignatureDoesNotMatch")

    # --- boto3 --------------------------------------------------------------------------
    def test_boto3_signature_mismatch_details(self):
        s3 = self.la.boto3_client("s3", secret_key="wrong")
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            s3.list_buckets()
        err = cm.exception.response
        self.assertEqual(err["ResponseMetadata"]["HTTPStatusCode"], 403)
        self.assertEqual(err["Error"]["Code"], "SignatureDoesNotMatch")
        # S3 returns what it computed so the client can compare.
        self.assertIn("AWS4-HMAC-SHA256", err["Error"].get("StringToSign", ""))
        self.assertIn("GET", err["Error"].get("CanonicalRequest", ""))
        self.assertEqual(err["Error"].get("AWSAccessKeyId"), "test")

        ddb = self.la.boto3_client("dynamodb", secret_key="wrong")
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            ddb.list_tables()
        self.assertEqual(error_code(cm.exception), "InvalidSignatureException")
        self.assertEqual(cm.exception.response["ResponseMetadata"]["HTTPStatusCode"], 400)

    def test_anonymous_requests(self):
        status, _, body = self.la.get("/")
        self.assertEqual(status, 403)
        self.assertIn(b"<Code>AccessDenied</Code>", body)
        status, _, body = self.la.post("/", b"{}", {"X-Amz-Target": "DynamoDB_20120810.ListTables",
                                                     "Content-Type": "application/x-amz-json-1.0"})
        self.assertEqual(status, 400)
        self.assertIn("MissingAuthenticationTokenException", json.loads(body)["__type"])

    def test_clock_skew(self):
        old = datetime.datetime.utcnow() - datetime.timedelta(minutes=20)

        class Frozen(datetime.datetime):
            @classmethod
            def utcnow(cls):
                return old

            @classmethod
            def now(cls, tz=None):
                return old.replace(tzinfo=tz) if tz else old

        creds = botocore.credentials.Credentials("test", "test")
        for service, target, body in (("s3", None, b""),
                                      ("dynamodb", "DynamoDB_20120810.ListTables", b"{}")):
            req = botocore.awsrequest.AWSRequest(method="POST" if target else "GET", url=self.la.endpoint + "/",
                                                 data=body)
            if target:
                req.headers["X-Amz-Target"] = target
                req.headers["Content-Type"] = "application/x-amz-json-1.0"
            saved = botocore.auth.datetime.datetime
            botocore.auth.datetime.datetime = Frozen
            try:
                signer = botocore.auth.S3SigV4Auth if service == "s3" else botocore.auth.SigV4Auth
                signer(creds, service, "us-east-1").add_auth(req)
            finally:
                botocore.auth.datetime.datetime = saved
            prepared = req.prepare()
            r = urllib.request.Request(prepared.url, data=prepared.body or None, headers=dict(prepared.headers),
                                       method=prepared.method)
            try:
                urllib.request.urlopen(r, timeout=10)
                self.fail("a 20-minute-old signature was accepted")
            except urllib.error.HTTPError as e:
                text = e.read().decode()
                if service == "s3":
                    self.assertEqual(e.code, 403)
                    self.assertIn("<Code>RequestTimeTooSkewed</Code>", text)
                else:
                    self.assertEqual(e.code, 400)
                    self.assertIn("InvalidSignatureException", text)
                    self.assertIn("Signature expired", text)

    # --- presigned URLs -----------------------------------------------------------------
    def test_presigned_url(self):
        s3 = self.la.boto3_client("s3", signature_version="s3v4")
        url = s3.generate_presigned_url("list_buckets", ExpiresIn=300)
        status, _, body = self.la.get(url[len(self.la.endpoint):])
        self.assertEqual(status, 200, body)
        self.assertIn(b"<ListAllMyBucketsResult", body)
        tampered = re.sub(r"X-Amz-Signature=([0-9a-f])", lambda m: "X-Amz-Signature=" +
                          ("0" if m.group(1) != "0" else "1"), url)
        status, _, body = self.la.get(tampered[len(self.la.endpoint):])
        self.assertEqual(status, 403)
        self.assertIn(b"SignatureDoesNotMatch", body)

    def test_presigned_url_sigv2(self):
        # boto3's default for S3 presigned URLs in us-east-1 is still the legacy SigV2 query form.
        s3 = self.la.boto3_client("s3")
        url = s3.generate_presigned_url("list_buckets", ExpiresIn=300)
        self.assertIn("AWSAccessKeyId=test", url)
        status, _, body = self.la.get(url[len(self.la.endpoint):])
        self.assertEqual(status, 200, body)
        tampered = re.sub(r"Signature=([^&])", lambda m: "Signature=" + ("A" if m.group(1) != "A" else "B"), url)
        status, _, body = self.la.get(tampered[len(self.la.endpoint):])
        self.assertEqual(status, 403)
        self.assertIn(b"SignatureDoesNotMatch", body)

    def test_presigned_url_expiry(self):
        s3 = self.la.boto3_client("s3", signature_version="s3v4")
        url = s3.generate_presigned_url("list_buckets", ExpiresIn=1)
        time.sleep(2.1)
        status, _, body = self.la.get(url[len(self.la.endpoint):])
        self.assertEqual(status, 403)
        self.assertIn(b"<Code>AccessDenied</Code>", body)
        self.assertIn(b"Request has expired", body)
        too_long = s3.generate_presigned_url("list_buckets", ExpiresIn=604801)
        status, _, body = self.la.get(too_long[len(self.la.endpoint):])
        self.assertEqual(status, 400)
        self.assertIn(b"AuthorizationQueryParametersError", body)


class StrictModeTest(unittest.TestCase):
    def test_unknown_keys_refused(self):
        with LocalAws("--auth", "strict") as la:
            self.assertIn("Buckets", la.aws_json("s3api", "list-buckets"))
            p = la.aws("s3api", "list-buckets", check=False, access_key="AKIAWHOEVER", secret_key="x")
            self.assertNotEqual(p.returncode, 0)
            self.assertIn("InvalidAccessKeyId", p.stderr)
            p = la.aws("dynamodb", "list-tables", check=False, access_key="AKIAWHOEVER", secret_key="x")
            self.assertNotEqual(p.returncode, 0)
            self.assertIn("UnrecognizedClientException", p.stderr)


class OffModeTest(unittest.TestCase):
    def test_signatures_not_checked(self):
        with LocalAws("--auth", "off") as la:
            self.assertIn("Buckets", la.aws_json("s3api", "list-buckets", secret_key="wrong"))
            self.assertEqual(la.aws_json("dynamodb", "list-tables", secret_key="wrong")["TableNames"], [])


if __name__ == "__main__":
    unittest.main()
