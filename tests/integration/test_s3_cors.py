"""Bucket CORS through boto3 and plain browser-like requests: Put/Get/DeleteBucketCors, preflight
OPTIONS answered per the rules (403 when none matches), CORS headers on actual responses."""
import http.client
import unittest

from test_s3_acl import AclCase

RULES = {"CORSRules": [
    {"ID": "app", "AllowedOrigins": ["http://app.example"], "AllowedMethods": ["GET", "PUT"],
     "AllowedHeaders": ["Content-Type", "x-amz-*"], "ExposeHeaders": ["ETag"], "MaxAgeSeconds": 300},
    {"AllowedOrigins": ["*"], "AllowedMethods": ["GET"]},
]}


class CorsTest(AclCase):
    def request(self, method, path, headers):
        conn = http.client.HTTPConnection(self.la.endpoint.split("//")[1], timeout=30)
        try:
            conn.request(method, path, headers=headers)
            r = conn.getresponse()
            return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()
        finally:
            conn.close()

    def test_put_get_delete(self):
        b = self.bucket()
        self.assertError("NoSuchCORSConfiguration", 404, self.s3.get_bucket_cors, Bucket=b)
        self.s3.put_bucket_cors(Bucket=b, CORSConfiguration=RULES)
        got = self.s3.get_bucket_cors(Bucket=b)["CORSRules"]
        self.assertEqual(got[0]["AllowedOrigins"], ["http://app.example"])
        self.assertEqual(got[0]["MaxAgeSeconds"], 300)
        self.assertEqual(got[1]["AllowedMethods"], ["GET"])
        self.assertError("InvalidRequest", 400, self.s3.put_bucket_cors, Bucket=b, CORSConfiguration={
            "CORSRules": [{"AllowedOrigins": ["*"], "AllowedMethods": ["PATCH"]}]})
        self.assertError("AccessDenied", 403, self.s3b.get_bucket_cors, Bucket=b)
        self.s3.delete_bucket_cors(Bucket=b)
        self.assertError("NoSuchCORSConfiguration", 404, self.s3.get_bucket_cors, Bucket=b)

    def test_preflight(self):
        b = self.bucket()
        path = "/%s/photos/a.jpg" % b
        ask = {"Origin": "http://app.example", "Access-Control-Request-Method": "PUT",
               "Access-Control-Request-Headers": "content-type, x-amz-meta-shop"}
        status, _, body = self.request("OPTIONS", path, ask)
        self.assertEqual(status, 403)  # no configuration yet
        self.assertIn(b"AccessForbidden", body)
        self.s3.put_bucket_cors(Bucket=b, CORSConfiguration=RULES)
        status, h, _ = self.request("OPTIONS", path, ask)
        self.assertEqual(status, 200)
        self.assertEqual(h["access-control-allow-origin"], "http://app.example")
        self.assertEqual(h["access-control-allow-methods"], "GET, PUT")
        self.assertEqual(h["access-control-allow-headers"], "content-type, x-amz-meta-shop")
        self.assertEqual((h["access-control-max-age"], h["access-control-expose-headers"]), ("300", "ETag"))
        # Another origin may only GET (the "*" rule), and no DELETE for anyone.
        status, h, _ = self.request("OPTIONS", path, {"Origin": "http://other.example",
                                                      "Access-Control-Request-Method": "GET"})
        self.assertEqual((status, h["access-control-allow-origin"]), (200, "*"))
        for bad in ({"Origin": "http://other.example", "Access-Control-Request-Method": "PUT"},
                    {"Origin": "http://app.example", "Access-Control-Request-Method": "DELETE"},
                    {"Origin": "http://app.example", "Access-Control-Request-Method": "PUT",
                     "Access-Control-Request-Headers": "authorization-x"}):
            self.assertEqual(self.request("OPTIONS", path, bad)[0], 403, bad)
        self.assertEqual(self.request("OPTIONS", path, {"Access-Control-Request-Method": "GET"})[0], 400)

    def test_headers_on_actual_responses(self):
        b = self.open_bucket()
        self.s3.put_bucket_cors(Bucket=b, CORSConfiguration=RULES)
        self.s3.put_object(Bucket=b, Key="pub.jpg", Body=b"img", ACL="public-read")
        status, h, body = self.request("GET", "/%s/pub.jpg" % b, {"Origin": "http://app.example"})
        self.assertEqual((status, body), (200, b"img"))
        self.assertEqual(h["access-control-allow-origin"], "http://app.example")
        self.assertEqual(h["access-control-expose-headers"], "ETag")
        status, h, _ = self.request("GET", "/%s/pub.jpg" % b, {})
        self.assertNotIn("access-control-allow-origin", h)


if __name__ == "__main__":
    unittest.main()
