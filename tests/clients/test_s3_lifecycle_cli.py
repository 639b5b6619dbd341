"""S3 lifecycle through the aws CLI, v1 (`aws`, first on PATH) and v2 (/usr/bin/aws):
put-bucket-lifecycle-configuration from a JSON file, get it back, and an expiry that happens only
once the emulator clock has passed the rounded midnight."""
import json
import os
import shutil
import sys
import tempfile
import unittest
import uuid

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "integration"))
from localaws_support import AWS_CLIS as CLIS, LocalAws  # noqa: E402


CONFIG = {"Rules": [
    {"ID": "tmp-files", "Status": "Enabled", "Filter": {"Prefix": "tmp/"}, "Expiration": {"Days": 2},
     "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 1}},
    {"ID": "archive", "Status": "Enabled", "Filter": {"Prefix": "arch/"},
     "Transitions": [{"Days": 30, "StorageClass": "STANDARD_IA"}, {"Days": 90, "StorageClass": "GLACIER"}],
     "NoncurrentVersionExpiration": {"NoncurrentDays": 30}},
]}


class LifecycleCliTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = LocalAws().start()
        cls.tmp = tempfile.mkdtemp()
        cls.config_file = os.path.join(cls.tmp, "lifecycle.json")
        with open(cls.config_file, "w") as f:
            json.dump(CONFIG, f)

    @classmethod
    def tearDownClass(cls):
        cls.server.close()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def cli(self, exe, *args):
        return self.server.aws_json(*args, exe=exe)

    def clock(self, when):
        status, _, raw = self.server.request("POST", "/_localaws/clock",
                                             json.dumps({"set": when, "freeze": True}).encode())
        self.assertEqual(status, 200, raw)

    def run_sweep(self, bucket):
        status, _, raw = self.server.post("/_localaws/lifecycle/run")
        self.assertEqual(status, 200, raw)
        return [a for a in json.loads(raw)["actions"] if a["bucket"] == bucket]

    def test_each_cli(self):
        for name, exe in CLIS:
            with self.subTest(cli=name):
                if not os.path.exists(exe) and exe.startswith("/"):
                    self.fail("%s is not installed at %s" % (name, exe))
                bucket = "cli-lc-%s-%s" % (name, uuid.uuid4().hex[:8])
                self.cli(exe, "s3api", "create-bucket", "--bucket", bucket)
                self.clock("2030-07-01T09:15:00Z")
                self.cli(exe, "s3api", "put-bucket-lifecycle-configuration", "--bucket", bucket,
                         "--lifecycle-configuration", "file://" + self.config_file)
                got = self.cli(exe, "s3api", "get-bucket-lifecycle-configuration", "--bucket", bucket)
                self.assertEqual(got["Rules"], CONFIG["Rules"])
                body = os.path.join(self.tmp, "body.txt")
                with open(body, "w") as f:
                    f.write("temporary")
                put = self.cli(exe, "s3api", "put-object", "--bucket", bucket, "--key", "tmp/a.txt", "--body", body)
                # Jul 1 09:15 + 2 days -> Jul 3 09:15, rounded up to Jul 4 00:00.
                self.assertEqual(put["Expiration"], 'expiry-date="Thu, 04 Jul 2030 00:00:00 GMT", rule-id="tmp-files"')
                self.cli(exe, "s3api", "put-object", "--bucket", bucket, "--key", "keep.txt", "--body", body)
                self.clock("2030-07-03T23:59:59Z")
                self.assertEqual(self.run_sweep(bucket), [])
                self.cli(exe, "s3api", "head-object", "--bucket", bucket, "--key", "tmp/a.txt")
                self.clock("2030-07-04T00:00:00Z")
                self.assertEqual([a["key"] for a in self.run_sweep(bucket)], ["tmp/a.txt"])
                listed = self.cli(exe, "s3api", "list-objects-v2", "--bucket", bucket)
                self.assertEqual([o["Key"] for o in listed["Contents"]], ["keep.txt"])
                self.cli(exe, "s3api", "delete-bucket-lifecycle", "--bucket", bucket)


if __name__ == "__main__":
    unittest.main()
