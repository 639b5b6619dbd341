"""CORS as a browser sees it (raw requests): preflight status codes and messages as AWS answers them
(200 allowed; 403 AccessForbidden "CORSResponse: ..." when no rule matches, when the bucket has no
CORS configuration, when the bucket does not exist; 400 BadRequest without Origin or
Access-Control-Request-Method), the exact Access-Control-* and Vary headers (Allow-Credentials
only when the allowed origin is not "*", Expose-Headers, Max-Age), and the same headers on
presigned and anonymous actual requests, GET/PUT/HEAD, errors included.
"""
import html
import http.client
import os
import re
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from s3_support import S3TestCase  # noqa: E402

APP = "http://app.example"
VARY = "Origin, Access-Control-Request-Headers, Access-Control-Request-Method"
NOT_ALLOWED = ("CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, "
               "request method / Access-Control-Request-Method or Access-Control-Request-Headers are not "
               "whitelisted by the resource's CORS spec.")
RULES = {"CORSRules": [
    {"ID": "app", "AllowedOrigins": ["http://app.example", "https://*.app.example"],
     "AllowedMethods": ["GET", "PUT", "HEAD"], "AllowedHeaders": ["Content-Type", "x-amz-*"],
     "ExposeHeaders": ["ETag", "x-amz-request-id"], "MaxAgeSeconds": 600},
    {"AllowedOrigins": ["*"], "AllowedMethods": ["GET"]},
]}


def element(body, name):
    m = re.search(r"<%s>([^<]*)</%s>" % (name, name), body.decode())
    return html.unescape(m.group(1)) if m else None


def cors_headers(h):
    return {k: v for k, v in h.items() if k.startswith("access-control-") or k == "vary"}


class CorsFidelityTest(S3TestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.b = "cors-fidelity"
        cls.plain = "cors-none"
        cls.s3.create_bucket(Bucket=cls.b)
        cls.s3.create_bucket(Bucket=cls.plain)
        cls.s3.put_bucket_cors(Bucket=cls.b, CORSConfiguration=RULES)
        cls.s3.put_object(Bucket=cls.b, Key="k", Body=b"data")
        cls.v4 = cls.server.boto3_client("s3", signature_version="s3v4")

    def raw(self, method, target, headers, body=None):
        conn = http.client.HTTPConnection(self.server.endpoint.split("//")[1], timeout=10)
        try:
            conn.request(method, target, body=body, headers=headers)
            r = conn.getresponse()
            return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()
        finally:
            conn.close()

    def target(self, url):
        return url.split(self.server.endpoint, 1)[1]

    def preflight(self, path, origin=APP, method="PUT", headers=None):
        h = {}
        if origin is not None:
            h["Origin"] = origin
        if method is not None:
            h["Access-Control-Request-Method"] = method
        if headers is not None:
            h["Access-Control-Request-Headers"] = headers
        return self.raw("OPTIONS", path, h)

    # --- preflight

    def test_allowed_preflight_headers_exactly(self):
        status, h, body = self.preflight("/%s/k" % self.b, headers="content-type, x-amz-date")
        self.assertEqual((status, body), (200, b""))
        self.assertEqual(cors_headers(h), {
            "access-control-allow-origin": APP,
            "access-control-allow-methods": "GET, PUT, HEAD",
            "access-control-allow-headers": "content-type, x-amz-date",
            "access-control-allow-credentials": "true",
            "access-control-expose-headers": "ETag, x-amz-request-id",
            "access-control-max-age": "600",
            "vary": VARY})

    def test_wildcard_origin_preflight(self):
        status, h, _ = self.preflight("/%s/k" % self.b, origin="http://elsewhere.example", method="GET")
        self.assertEqual(status, 200)
        self.assertEqual(cors_headers(h), {"access-control-allow-origin": "*", "access-control-allow-methods": "GET",
                                           "vary": VARY})  # no credentials, expose or max-age for "*"
        status, h, _ = self.preflight("/%s/k" % self.b, origin="https://shop.app.example", method="PUT")
        self.assertEqual((status, h["access-control-allow-origin"]), (200, "https://shop.app.example"))

    def test_bucket_level_preflight(self):
        status, h, _ = self.preflight("/%s" % self.b, method="GET")
        self.assertEqual((status, h["access-control-allow-origin"]), (200, APP))
        status, _, body = self.preflight("/%s" % self.b, origin="http://elsewhere.example", method="PUT")
        self.assertEqual((status, element(body, "ResourceType")), (403, "BUCKET"))

    def test_preflight_of_a_presigned_url_is_not_authenticated(self):
        # The browser sends the preflight to the presigned URL itself, query and all, signed for PUT.
        for version in ("s3v4", "s3"):
            with self.subTest(signature_version=version):
                c = self.server.boto3_client("s3", signature_version=version)
                url = c.generate_presigned_url("put_object", Params={"Bucket": self.b, "Key": "from-page"},
                                               ExpiresIn=60)
                status, h, _ = self.preflight(self.target(url), headers="content-type")
                self.assertEqual((status, h["access-control-allow-origin"]), (200, APP))
                # Even an expired or wrongly signed one: the CORS rules alone decide.
                bad = url.replace("X-Amz-Expires=60", "X-Amz-Expires=0").replace("Signature=", "Signature=0")
                self.assertEqual(self.preflight(self.target(bad))[0], 200)
                status, h, _ = self.raw("PUT", self.target(url), {"Origin": APP},
                                        body=b"page")
                self.assertEqual((status, h["access-control-allow-origin"]), (200, APP))

    def test_no_rule_matches(self):
        for origin, method, headers in [("http://elsewhere.example", "PUT", None), (APP, "DELETE", None),
                                        (APP, "PUT", "authorization-x")]:
            with self.subTest(origin=origin, method=method, headers=headers):
                status, h, body = self.preflight("/%s/k" % self.b, origin=origin, method=method, headers=headers)
                self.assertEqual((status, element(body, "Code"), element(body, "Message")),
                                 (403, "AccessForbidden", NOT_ALLOWED))
                self.assertEqual((element(body, "Method"), element(body, "ResourceType")), (method, "OBJECT"))
                self.assertEqual(cors_headers(h), {})

    def test_bucket_without_cors(self):
        status, h, body = self.preflight("/%s/k" % self.plain, method="GET")
        self.assertEqual((status, element(body, "Code"), element(body, "Message")),
                         (403, "AccessForbidden", "CORSResponse: CORS is not enabled for this bucket."))
        self.assertEqual(cors_headers(h), {})

    def test_missing_bucket(self):
        status, h, body = self.preflight("/cors-no-such-bucket/k", method="GET")
        self.assertEqual((status, element(body, "Code"), element(body, "Message")),
                         (403, "AccessForbidden", "CORSResponse: Bucket not found"))
        self.assertEqual(cors_headers(h), {})

    def test_bad_preflights(self):
        status, _, body = self.preflight("/%s/k" % self.b, origin=None, method="GET")
        self.assertEqual((status, element(body, "Code"), element(body, "Message")),
                         (400, "BadRequest", "Insufficient information. Origin request header needed."))
        status, _, body = self.preflight("/%s/k" % self.b, method=None)
        self.assertEqual((status, element(body, "Code"), element(body, "Message")),
                         (400, "BadRequest", "Invalid Access-Control-Request-Method: null"))
        status, _, body = self.preflight("/%s/k" % self.b, method="PATCH")
        self.assertEqual((status, element(body, "Message")), (400, "Invalid Access-Control-Request-Method: PATCH"))

    # --- actual requests

    def test_presigned_get_put_head(self):
        url = self.v4.generate_presigned_url("get_object", Params={"Bucket": self.b, "Key": "k"}, ExpiresIn=60)
        status, h, body = self.raw("GET", self.target(url), {"Origin": APP})
        self.assertEqual((status, body), (200, b"data"))
        self.assertEqual(cors_headers(h), {
            "access-control-allow-origin": APP, "access-control-allow-methods": "GET, PUT, HEAD",
            "access-control-allow-credentials": "true", "access-control-expose-headers": "ETag, x-amz-request-id",
            "access-control-max-age": "600", "vary": VARY})
        url = self.v4.generate_presigned_url("put_object", Params={"Bucket": self.b, "Key": "up"}, ExpiresIn=60)
        status, h, _ = self.raw("PUT", self.target(url), {"Origin": APP}, body=b"uploaded")
        self.assertEqual((status, h["access-control-allow-origin"]), (200, APP))
        self.assertEqual(self.s3.get_object(Bucket=self.b, Key="up")["Body"].read(), b"uploaded")
        url = self.v4.generate_presigned_url("head_object", Params={"Bucket": self.b, "Key": "k"}, ExpiresIn=60)
        status, h, _ = self.raw("HEAD", self.target(url), {"Origin": APP})
        self.assertEqual((status, h["access-control-allow-origin"], h["vary"]), (200, APP, VARY))
        # HEAD from an origin only the GET rule allows: no CORS headers (the browser blocks it).
        status, h, _ = self.raw("HEAD", self.target(url), {"Origin": "http://elsewhere.example"})
        self.assertEqual((status, cors_headers(h)), (200, {}))

    def test_errors_carry_cors_headers(self):
        url = self.v4.generate_presigned_url("get_object", Params={"Bucket": self.b, "Key": "missing"}, ExpiresIn=60)
        status, h, body = self.raw("GET", self.target(url), {"Origin": APP})
        self.assertEqual((status, element(body, "Code")), (404, "NoSuchKey"))
        self.assertEqual(h["access-control-allow-origin"], APP)
        # Anonymous GET of a private object: 403, still readable by the page.
        status, h, body = self.raw("GET", "/%s/k" % self.b, {"Origin": "http://elsewhere.example"})
        self.assertEqual((status, element(body, "Code")), (403, "AccessDenied"))
        self.assertEqual((h["access-control-allow-origin"], h["access-control-allow-methods"]), ("*", "GET"))
        self.assertNotIn("access-control-allow-credentials", h)

    def test_refused_presigned_urls_carry_cors_headers(self):
        # Refused by authentication itself: the page can still read the 403 and its code.
        url = self.v4.generate_presigned_url("get_object", Params={"Bucket": self.b, "Key": "k"}, ExpiresIn=60)
        expired = url.replace("X-Amz-Expires=60", "X-Amz-Expires=0")  # expired at once (checked first)
        status, h, body = self.raw("GET", self.target(expired), {"Origin": APP})
        self.assertEqual((status, element(body, "Code")), (403, "AccessDenied"))
        self.assertIn("expired", element(body, "Message"))
        self.assertEqual(h["access-control-allow-origin"], APP)
        tampered = re.sub(r"X-Amz-Signature=[0-9a-f]+", "X-Amz-Signature=" + "0" * 64, url)
        status, h, body = self.raw("GET", self.target(tampered), {"Origin": APP})
        self.assertEqual((status, element(body, "Code")), (403, "SignatureDoesNotMatch"))
        self.assertEqual((h["access-control-allow-origin"], h["vary"]), (APP, VARY))
        # No Origin, no CORS headers.
        status, h, _ = self.raw("GET", self.target(tampered), {})
        self.assertEqual((status, cors_headers(h)), (403, {}))

    def test_anonymous_public_object(self):
        b = "cors-public"
        self.s3.create_bucket(Bucket=b)
        self.s3.put_bucket_ownership_controls(Bucket=b, OwnershipControls={
            "Rules": [{"ObjectOwnership": "BucketOwnerPreferred"}]})
        self.s3.delete_public_access_block(Bucket=b)
        self.s3.put_bucket_cors(Bucket=b, CORSConfiguration=RULES)
        self.s3.put_object(Bucket=b, Key="pub", Body=b"public", ACL="public-read")
        status, h, body = self.raw("GET", "/%s/pub" % b, {"Origin": APP})
        self.assertEqual((status, body, h["access-control-allow-origin"]), (200, b"public", APP))
        status, h, _ = self.raw("GET", "/%s/pub" % b, {})
        self.assertEqual((status, cors_headers(h)), (200, {}))  # not a CORS request: nothing added

    def test_bucket_without_cors_adds_nothing(self):
        self.s3.put_object(Bucket=self.plain, Key="k", Body=b"x")
        url = self.v4.generate_presigned_url("get_object", Params={"Bucket": self.plain, "Key": "k"}, ExpiresIn=60)
        status, h, _ = self.raw("GET", self.target(url), {"Origin": APP})
        self.assertEqual((status, cors_headers(h)), (200, {}))


if __name__ == "__main__":
    unittest.main()
