"""The book's flow as an aws CLI script, under today's AWS defaults: create the bucket
`kevintruvu.coffeeshopranker`, allow public ACLs the way AWS requires now (ownership controls
BucketOwnerPreferred, delete the public access block), create the folder `Test Folder/`, upload
graph.jpg with --acl public-read, then fetch it with no credentials by the path-style and the
virtual-hosted URL (plain urllib / http.client / curl). A private object answers 403."""
import http.client
import os
import shutil
import subprocess
import unittest
import xml.etree.ElementTree as ET

import botocore.auth
import botocore.awsrequest
import botocore.credentials

from localaws_support import LocalAws, ROOT

BUCKET = "kevintruvu.coffeeshopranker"
JPEG = os.path.join(ROOT, "fixtures", "graph.jpg")


class BookFlowTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.la = LocalAws().start()
        cls.hostport = cls.la.endpoint.split("//")[1]
        cls.port = cls.hostport.rsplit(":", 1)[1]
        with open(JPEG, "rb") as f:
            cls.jpeg = f.read()
        la = cls.la
        la.aws("s3api", "create-bucket", "--bucket", BUCKET)
        la.aws("s3api", "put-bucket-ownership-controls", "--bucket", BUCKET,
               "--ownership-controls", "Rules=[{ObjectOwnership=BucketOwnerPreferred}]")
        la.aws("s3api", "delete-public-access-block", "--bucket", BUCKET)
        la.aws("s3api", "put-object", "--bucket", BUCKET, "--key", "Test Folder/")
        la.aws("s3", "cp", JPEG, "s3://%s/Test Folder/graph.jpg" % BUCKET, "--acl", "public-read")
        private = os.path.join(la.tmp, "notes.txt")
        with open(private, "w") as f:
            f.write("not for the public")
        la.aws("s3", "cp", private, "s3://%s/Test Folder/notes.txt" % BUCKET)

    @classmethod
    def tearDownClass(cls):
        cls.la.close()

    def fetch(self, host, path, method="GET", headers=None):
        conn = http.client.HTTPConnection(self.hostport, timeout=30)
        try:
            conn.request(method, path, headers=dict({"Host": host}, **(headers or {})))
            r = conn.getresponse()
            return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()
        finally:
            conn.close()

    def test_folder_listed(self):
        out = self.la.aws_json("s3api", "list-objects-v2", "--bucket", BUCKET, "--prefix", "Test Folder/")
        self.assertEqual([o["Key"] for o in out["Contents"]],
                         ["Test Folder/", "Test Folder/graph.jpg", "Test Folder/notes.txt"])

    def test_path_style_url(self):
        status, headers, body = self.la.get("/%s/Test%%20Folder/graph.jpg" % BUCKET)
        self.assertEqual((status, headers.get("Content-Type")), (200, "image/jpeg"))
        self.assertEqual(body, self.jpeg)
        # '+' in a path is a space, as S3 reads it.
        self.assertEqual(self.la.get("/%s/Test+Folder/graph.jpg" % BUCKET)[2], self.jpeg)

    def test_virtual_hosted_urls(self):
        for host in ("%s.s3.localhost:%s" % (BUCKET, self.port), "%s.localhost:%s" % (BUCKET, self.port)):
            status, headers, body = self.fetch(host, "/Test%20Folder/graph.jpg")
            self.assertEqual((status, headers.get("content-type")), (200, "image/jpeg"), host)
            self.assertEqual(body, self.jpeg, host)
            status, headers, body = self.fetch(host, "/Test%20Folder/graph.jpg", "HEAD")
            self.assertEqual((status, headers.get("content-length")), (200, str(len(self.jpeg))), host)

    def test_curl(self):
        curl = shutil.which("curl")
        self.assertIsNotNone(curl, "the book opens the URL with curl")
        out = subprocess.run([curl, "-s", "-o", "-", "-w", "%{http_code}", "-H",
                              "Host: %s.s3.localhost:%s" % (BUCKET, self.port),
                              "http://%s/Test%%20Folder/graph.jpg" % self.hostport],
                             capture_output=True, timeout=60)
        self.assertEqual(out.stdout[-3:], b"200")
        self.assertEqual(out.stdout[:-3], self.jpeg)
        out = subprocess.run([curl, "-s", "-o", "/dev/null", "-w", "%{http_code}",
                              "%s/%s/Test%%20Folder/graph.jpg" % (self.la.endpoint, BUCKET)],
                             capture_output=True, timeout=60)
        self.assertEqual(out.stdout, b"200")

    def test_private_object_is_403(self):
        for status, _, body in (self.la.get("/%s/Test%%20Folder/notes.txt" % BUCKET),
                                self.fetch("%s.s3.localhost:%s" % (BUCKET, self.port), "/Test%20Folder/notes.txt")):
            self.assertEqual(status, 403)
            self.assertEqual(ET.fromstring(body).find("Code").text, "AccessDenied")
        # The folder listing is not public either.
        self.assertEqual(self.la.get("/%s?list-type=2" % BUCKET)[0], 403)

    def test_signed_virtual_hosted_request_verifies(self):
        url = "http://%s.s3.localhost:%s/Test%%20Folder/notes.txt" % (BUCKET, self.port)
        req = botocore.awsrequest.AWSRequest(method="GET", url=url,
                                             headers={"x-amz-content-sha256": "UNSIGNED-PAYLOAD"})
        botocore.auth.S3SigV4Auth(botocore.credentials.Credentials("test", "test"), "s3", "us-east-1").add_auth(req)
        status, _, body = self.fetch("%s.s3.localhost:%s" % (BUCKET, self.port), "/Test%20Folder/notes.txt",
                                     headers={k: v for k, v in req.headers.items() if k.lower() != "host"})
        self.assertEqual((status, body), (200, b"not for the public"))


class WorkshopFixtureTest(unittest.TestCase):
    """The same public bucket seeded declaratively (docs/fixtures.md's example) under the modern
    defaults: ownership, public access block, bucket ACL, policy and CORS are applied in order."""

    def test_seeded_public_bucket(self):
        import base64
        import json
        with open(JPEG, "rb") as f:
            jpeg = f.read()
        fixture = {"buckets": [{
            "name": BUCKET, "ownership": "BucketOwnerPreferred", "publicAccessBlock": False, "acl": "public-read",
            "policy": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*",
                       "Action": "s3:GetObject", "Resource": "arn:aws:s3:::%s/public/*" % BUCKET}]},
            "cors": [{"AllowedOrigins": ["*"], "AllowedMethods": ["GET"], "MaxAgeSeconds": 300}],
            "objects": [{"key": "Test Folder/graph.jpg", "base64": base64.b64encode(jpeg).decode(),
                         "contentType": "image/jpeg",
                         "acl": "public-read"},
                        {"key": "public/notes.txt", "content": "by policy"},
                        {"key": "private.txt", "content": "mine"}]}]}
        with LocalAws() as la:
            status, _, body = la.post("/_localaws/fixtures", json.dumps(fixture).encode())
            self.assertEqual(status, 200, body)
            self.assertEqual(la.get("/%s/Test%%20Folder/graph.jpg" % BUCKET)[::2], (200, jpeg))
            self.assertEqual(la.get("/%s/public/notes.txt" % BUCKET)[::2], (200, b"by policy"))
            self.assertEqual(la.get("/%s/private.txt" % BUCKET)[0], 403)
            self.assertEqual(la.get("/%s" % BUCKET)[0], 200)  # public-read bucket ACL: anyone lists
            status, headers, _ = la.get("/%s/public/notes.txt" % BUCKET, {"Origin": "http://app.example"})
            self.assertEqual(headers.get("Access-Control-Allow-Origin"), "*")


if __name__ == "__main__":
    unittest.main()
