"""Static website hosting: Put/Get/DeleteBucketWebsite through boto3 and the website endpoint
(`<bucket>.s3-website.localhost`, and `s3-website.localhost/<bucket>/...` for dotted names) with
index documents, folder redirects, the error document with its status, redirect-all and routing
rules, under the same public-access rules as the REST endpoint."""
import http.client
import json
import unittest

from test_s3_acl import AclCase

DOTTED = "kevintruvu.coffeeshopranker"


class WebsiteTest(AclCase):
    def site(self, bucket, path, method="GET"):
        conn = http.client.HTTPConnection(self.la.endpoint.split("//")[1], timeout=30)
        port = self.la.endpoint.rsplit(":", 1)[1]
        try:
            conn.request(method, path, headers={"Host": "%s.s3-website.localhost:%s" % (bucket, port)})
            r = conn.getresponse()
            return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()
        finally:
            conn.close()

    def public_site(self, name=None):
        b = name or self.bucket()
        if name:
            self.s3.create_bucket(Bucket=name)
        self.s3.delete_public_access_block(Bucket=b)
        self.s3.put_bucket_policy(Bucket=b, Policy=json.dumps({"Statement": [{
            "Effect": "Allow", "Principal": "*", "Action": ["s3:GetObject", "s3:ListBucket"],
            "Resource": ["arn:aws:s3:::%s" % b, "arn:aws:s3:::%s/*" % b]}]}))
        for key, body in (("index.html", b"<h1>home</h1>"), ("docs/index.html", b"<h1>docs</h1>"),
                          ("404.html", b"<h1>missing</h1>")):
            self.s3.put_object(Bucket=b, Key=key, Body=body, ContentType="text/html")
        self.s3.put_bucket_website(Bucket=b, WebsiteConfiguration={
            "IndexDocument": {"Suffix": "index.html"}, "ErrorDocument": {"Key": "404.html"},
            "RoutingRules": [{"Condition": {"KeyPrefixEquals": "old/"},
                              "Redirect": {"ReplaceKeyPrefixWith": "docs/", "HttpRedirectCode": "301"}}]})
        return b

    def test_config_round_trip(self):
        b = self.bucket()
        self.assertError("NoSuchWebsiteConfiguration", 404, self.s3.get_bucket_website, Bucket=b)
        self.s3.put_bucket_website(Bucket=b, WebsiteConfiguration={"IndexDocument": {"Suffix": "index.html"},
                                                                   "ErrorDocument": {"Key": "err.html"}})
        got = self.s3.get_bucket_website(Bucket=b)
        self.assertEqual((got["IndexDocument"]["Suffix"], got["ErrorDocument"]["Key"]), ("index.html", "err.html"))
        self.assertError("MalformedXML", 400, self.s3.put_bucket_website, Bucket=b,
                         WebsiteConfiguration={"ErrorDocument": {"Key": "err.html"}})
        self.assertError("AccessDenied", 403, self.s3b.get_bucket_website, Bucket=b)
        self.s3.delete_bucket_website(Bucket=b)
        self.assertError("NoSuchWebsiteConfiguration", 404, self.s3.get_bucket_website, Bucket=b)

    def test_serving(self):
        b = self.public_site()
        status, h, body = self.site(b, "/")
        self.assertEqual((status, body, h["content-type"]), (200, b"<h1>home</h1>", "text/html"))
        self.assertEqual(self.site(b, "/docs/")[::2], (200, b"<h1>docs</h1>"))
        status, h, _ = self.site(b, "/docs")
        self.assertEqual((status, h["location"]), (302, "/docs/"))
        # 404 with the error document (anyone may list; without s3:ListBucket it would be 403).
        self.assertEqual(self.site(b, "/nothing-here")[::2], (404, b"<h1>missing</h1>"))
        status, h, _ = self.site(b, "/old/page.html")
        self.assertEqual(status, 301)
        self.assertTrue(h["location"].endswith("/docs/page.html"), h["location"])
        self.assertEqual(self.site(b, "/", "HEAD")[0], 200)

    def test_dotted_bucket_path_form_and_private_buckets(self):
        b = self.public_site(DOTTED)
        conn = http.client.HTTPConnection(self.la.endpoint.split("//")[1], timeout=30)
        conn.request("GET", "/%s/docs/" % b, headers={"Host": "s3-website.localhost"})
        r = conn.getresponse()
        self.assertEqual((r.status, r.read()), (200, b"<h1>docs</h1>"))
        conn.close()
        self.assertEqual(self.site(b, "/")[0], 200)
        # A private bucket's website answers 403, as on AWS.
        p = self.bucket()
        self.s3.put_object(Bucket=p, Key="index.html", Body=b"secret")
        self.s3.put_bucket_website(Bucket=p, WebsiteConfiguration={"IndexDocument": {"Suffix": "index.html"}})
        status, h, body = self.site(p, "/")
        self.assertEqual(status, 403)
        self.assertIn(b"AccessDenied", body)
        self.assertEqual(self.site(self.bucket(), "/")[0], 404)  # no website configuration

    def test_redirect_all(self):
        b = self.bucket()
        self.s3.put_bucket_website(Bucket=b, WebsiteConfiguration={
            "RedirectAllRequestsTo": {"HostName": "example.com", "Protocol": "https"}})
        status, h, _ = self.site(b, "/a/b.html")
        self.assertEqual((status, h["location"]), (301, "https://example.com/a/b.html"))


if __name__ == "__main__":
    unittest.main()
