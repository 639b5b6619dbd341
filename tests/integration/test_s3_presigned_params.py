"""Presigned URL parameters validated as S3 does: X-Amz-Expires 1..604800 (0 has already expired,
negative, non-number and over a week are AuthorizationQueryParametersError), expired URLs
(AccessDenied "Request has expired" with X-Amz-Expires/Expires/ServerTime), URLs dated in the
future ("Request is not yet valid"), missing parameters, another X-Amz-Algorithm, credential
scope errors; SigV2 query auth (Expires, AWSAccessKeyId, Signature) too.

Every URL here is correctly signed over the parameters it carries (a signer of our own, so a
test can pick any date and lifetime), so each answer comes from the parameter under test and not
from a signature mismatch.
"""
import base64
import datetime
import hashlib
import hmac
import html
import os
import re
import sys
import time
import unittest
import urllib.parse

import requests

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from s3_support import S3TestCase  # noqa: E402


def q(v):
    return urllib.parse.quote(str(v), safe="-_.~")


def presign_v4(endpoint, method, path, secret="test", key="test", when=None, expires="300", algorithm=None,
               scope=None, drop=(), extra=None, region="us-east-1"):
    """A SigV4 presigned URL for path (already URI-encoded), signed at `when` (a UTC datetime)."""
    when = when or datetime.datetime.now(datetime.timezone.utc)
    amz_date = when.strftime("%Y%m%dT%H%M%SZ")
    day = when.strftime("%Y%m%d")
    scope = scope or "%s/%s/s3/aws4_request" % (day, region)
    params = {"X-Amz-Algorithm": algorithm or "AWS4-HMAC-SHA256", "X-Amz-Credential": key + "/" + scope,
              "X-Amz-Date": amz_date, "X-Amz-Expires": expires, "X-Amz-SignedHeaders": "host"}
    params.update(extra or {})
    for d in drop:
        params.pop(d, None)
    query = "&".join("%s=%s" % (q(k), q(v)) for k, v in sorted(params.items()))
    host = endpoint.split("//", 1)[1]
    canonical = "\n".join([method, path, query, "host:" + host + "\n", "host", "UNSIGNED-PAYLOAD"])
    sts = "\n".join(["AWS4-HMAC-SHA256", amz_date, scope, hashlib.sha256(canonical.encode()).hexdigest()])
    k = ("AWS4" + secret).encode()
    for part in scope.split("/")[:4]:
        k = hmac.new(k, part.encode(), hashlib.sha256).digest()
    sig = hmac.new(k, sts.encode(), hashlib.sha256).hexdigest()
    if "X-Amz-Signature" not in drop:
        query += "&X-Amz-Signature=" + sig
    return "%s%s?%s" % (endpoint, path, query)


def presign_v2(endpoint, method, path, expires_at, secret="test", key="test", drop=()):
    sts = "%s\n\n\n%s\n%s" % (method, expires_at, path)
    sig = base64.b64encode(hmac.new(secret.encode(), sts.encode(), hashlib.sha1).digest()).decode()
    params = {"AWSAccessKeyId": key, "Expires": str(expires_at), "Signature": sig}
    for d in drop:
        params.pop(d, None)
    return "%s%s?%s" % (endpoint, path, "&".join("%s=%s" % (k, q(v)) for k, v in params.items()))


def element(body, name):
    m = re.search(r"<%s>([^<]*)</%s>" % (re.escape(name), re.escape(name)), body)
    return html.unescape(m.group(1)) if m else None


def iso_s(t):
    return datetime.datetime.fromtimestamp(t, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class PresignedParamsTest(S3TestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.b = "presign-params"
        cls.s3.create_bucket(Bucket=cls.b)
        cls.s3.put_object(Bucket=cls.b, Key="k", Body=b"payload")
        cls.path = "/%s/k" % cls.b

    def get(self, url):
        r = requests.get(url, timeout=10)
        return r.status_code, r.text

    def assertS3Error(self, url, status, code, message):
        st, body = self.get(url)
        self.assertEqual((st, element(body, "Code"), element(body, "Message")), (status, code, message), body)
        return body

    def now(self):
        return datetime.datetime.now(datetime.timezone.utc)

    def test_valid_url_and_lifetime_bounds(self):
        self.assertEqual(self.get(presign_v4(self.server.endpoint, "GET", self.path)), (200, "payload"))
        self.assertEqual(self.get(presign_v4(self.server.endpoint, "GET", self.path, expires="1"))[0], 200)
        self.assertEqual(self.get(presign_v4(self.server.endpoint, "GET", self.path, expires="604800"))[0], 200)

    def test_expires_out_of_range(self):
        for value, message in [
                ("604801", "X-Amz-Expires must be less than a week (in seconds); that is, the given X-Amz-Expires "
                           "must be less than 604800 seconds"),
                ("-1", "X-Amz-Expires must be non-negative"),
                ("abc", "X-Amz-Expires should be a number"),
                ("", "X-Amz-Expires should be a number")]:
            with self.subTest(expires=value):
                url = presign_v4(self.server.endpoint, "GET", self.path, expires=value)
                self.assertS3Error(url, 400, "AuthorizationQueryParametersError", message)

    def test_expires_zero_has_already_expired(self):
        signed = self.now()
        body = self.assertS3Error(presign_v4(self.server.endpoint, "GET", self.path, when=signed, expires="0"),
                                  403, "AccessDenied", "Request has expired")
        self.assertEqual(element(body, "X-Amz-Expires"), "0")
        self.assertEqual(element(body, "Expires"), iso_s(int(signed.timestamp())))

    def test_expired(self):
        signed = self.now() - datetime.timedelta(hours=2)
        before = int(time.time())
        body = self.assertS3Error(presign_v4(self.server.endpoint, "GET", self.path, when=signed, expires="100"),
                                  403, "AccessDenied", "Request has expired")
        self.assertEqual(element(body, "X-Amz-Expires"), "100")
        self.assertEqual(element(body, "Expires"), iso_s(int(signed.timestamp()) + 100))
        server_time = element(body, "ServerTime")
        self.assertRegex(server_time, r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
        self.assertIn(server_time, [iso_s(before + d) for d in range(0, 4)])
        # Signed long ago with a lifetime that still covers now: valid.
        self.assertEqual(self.get(presign_v4(self.server.endpoint, "GET", self.path, when=signed,
                                             expires="86400"))[0], 200)

    def test_not_yet_valid(self):
        signed = self.now() + datetime.timedelta(hours=2)
        body = self.assertS3Error(presign_v4(self.server.endpoint, "GET", self.path, when=signed, expires="600"),
                                  403, "AccessDenied", "Request is not yet valid")
        ts = int(signed.timestamp())
        self.assertEqual(element(body, "X-Amz-Date"), str(ts * 1000))  # S3 writes it in epoch milliseconds
        self.assertEqual(element(body, "Expires"), iso_s(ts + 600))
        self.assertRegex(element(body, "ServerTime"), r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
        # A client clock a few minutes ahead is within the skew S3 allows.
        ahead = self.now() + datetime.timedelta(minutes=5)
        self.assertEqual(self.get(presign_v4(self.server.endpoint, "GET", self.path, when=ahead))[0], 200)

    def test_missing_parameters(self):
        message = ("Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, "
                   "X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.")
        for name in ["X-Amz-Credential", "X-Amz-Signature", "X-Amz-Date", "X-Amz-SignedHeaders", "X-Amz-Expires"]:
            with self.subTest(missing=name):
                url = presign_v4(self.server.endpoint, "GET", self.path, drop=(name,))
                self.assertS3Error(url, 400, "AuthorizationQueryParametersError", message)

    def test_algorithm(self):
        url = presign_v4(self.server.endpoint, "GET", self.path, algorithm="AWS4-HMAC-SHA1")
        self.assertS3Error(url, 400, "AuthorizationQueryParametersError",
                           'X-Amz-Algorithm only supports "AWS4-HMAC-SHA256"')

    def test_date_format(self):
        url = presign_v4(self.server.endpoint, "GET", self.path).replace("X-Amz-Date=", "X-Amz-Date=2026-")
        self.assertS3Error(url, 400, "AuthorizationQueryParametersError",
                           "X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"")

    def test_credential_scope(self):
        day = self.now().strftime("%Y%m%d")
        prefix = "Error parsing the X-Amz-Credential parameter; "
        for scope, message in [
                ("%s/us-east-1/s3" % day,
                 prefix + 'the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".'),
                ("%s/us-east-1/ec2/aws4_request" % day,
                 prefix + 'incorrect service "ec2". This endpoint belongs to "s3".'),
                ("%s/us-east-1/s3/aws5_request" % day,
                 prefix + 'incorrect terminal "aws5_request". This endpoint uses "aws4_request".')]:
            with self.subTest(scope=scope):
                url = presign_v4(self.server.endpoint, "GET", self.path, scope=scope)
                self.assertS3Error(url, 400, "AuthorizationQueryParametersError", message)
        other_day = (self.now() - datetime.timedelta(days=3)).strftime("%Y%m%d")
        url = presign_v4(self.server.endpoint, "GET", self.path, scope="%s/us-east-1/s3/aws4_request" % other_day)
        self.assertS3Error(url, 400, "AuthorizationQueryParametersError",
                           "Invalid credential date. Date is not the same as X-Amz-Date.")

    def test_wrong_secret_is_signature_mismatch(self):
        url = presign_v4(self.server.endpoint, "GET", self.path, secret="not-the-secret")
        self.assertS3Error(url, 403, "SignatureDoesNotMatch", "The request signature we calculated does not match "
                                                              "the signature you provided. Check your key and "
                                                              "signing method.")

    def test_presigned_put_expiry_checked_before_the_body(self):
        url = presign_v4(self.server.endpoint, "PUT", "/%s/put-late" % self.b,
                         when=self.now() - datetime.timedelta(hours=1), expires="60")
        r = requests.put(url, data=b"late", timeout=10)
        self.assertEqual((r.status_code, element(r.text, "Message")), (403, "Request has expired"))
        self.assertError("NoSuchKey", self.s3.get_object, Bucket=self.b, Key="put-late")

    def test_sigv2_query(self):
        now = int(time.time())
        self.assertEqual(self.get(presign_v2(self.server.endpoint, "GET", self.path, now + 60)), (200, "payload"))
        body = self.assertS3Error(presign_v2(self.server.endpoint, "GET", self.path, now - 60),
                                  403, "AccessDenied", "Request has expired")
        self.assertIsNone(element(body, "X-Amz-Expires"))  # SigV2 has no lifetime, only the instant
        self.assertEqual(element(body, "Expires"), iso_s(now - 60))
        self.assertRegex(element(body, "ServerTime"), r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
        url = presign_v2(self.server.endpoint, "GET", self.path, now + 60, secret="wrong")
        self.assertS3Error(url, 403, "SignatureDoesNotMatch", "The request signature we calculated does not match "
                                                              "the signature you provided. Check your key and "
                                                              "signing method.")
        url = presign_v2(self.server.endpoint, "GET", self.path, "soon")
        self.assertS3Error(url, 403, "AccessDenied", "Query-string authentication requires the Signature, Expires "
                                                     "and AWSAccessKeyId parameters")

    def test_boto3_presigned_urls_of_both_versions(self):
        for version in ("s3v4", "s3"):
            with self.subTest(signature_version=version):
                c = self.server.boto3_client("s3", signature_version=version)
                url = c.generate_presigned_url("get_object", Params={"Bucket": self.b, "Key": "k"}, ExpiresIn=60)
                self.assertIn("X-Amz-Algorithm" if version == "s3v4" else "AWSAccessKeyId", url)
                self.assertEqual(self.get(url), (200, "payload"))


if __name__ == "__main__":
    unittest.main()
