"""Bucket subresources through the aws CLI, v1 (`aws`, first on PATH) and v2 (/usr/bin/aws):
put/get/delete-bucket-tagging, and the reads of an unconfigured bucket (logging, notification,
accelerate, request payment answer; replication answers ReplicationConfigurationNotFoundError)."""
import json
import os
import sys
import unittest
import uuid

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "integration"))
from localaws_support import AWS_CLIS as CLIS, LocalAws  # noqa: E402


class BucketConfigCliTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = LocalAws().start()

    @classmethod
    def tearDownClass(cls):
        cls.server.close()

    def cli(self, exe, *args):
        return self.server.aws_json(*args, exe=exe)

    def cli_error(self, exe, code, *args):
        p = self.server.aws(*args, check=False, exe=exe)
        self.assertNotEqual(p.returncode, 0, p.stdout)
        self.assertIn("(%s)" % code, p.stderr)

    def test_each_cli(self):
        for name, exe in CLIS:
            with self.subTest(cli=name):
                if exe.startswith("/") and not os.path.exists(exe):
                    self.fail("%s is not installed at %s" % (name, exe))
                b = "cli-bc-%s-%s" % (name, uuid.uuid4().hex[:8])
                self.cli(exe, "s3api", "create-bucket", "--bucket", b)
                self.cli_error(exe, "NoSuchTagSet", "s3api", "get-bucket-tagging", "--bucket", b)
                tags = {"TagSet": [{"Key": "env", "Value": "test"}, {"Key": "owner", "Value": "cli " + name}]}
                self.cli(exe, "s3api", "put-bucket-tagging", "--bucket", b, "--tagging", json.dumps(tags))
                self.assertEqual(self.cli(exe, "s3api", "get-bucket-tagging", "--bucket", b), tags)
                self.cli_error(exe, "InvalidTag", "s3api", "put-bucket-tagging", "--bucket", b, "--tagging",
                               json.dumps({"TagSet": [{"Key": "aws:reserved", "Value": "x"}]}))
                self.cli(exe, "s3api", "delete-bucket-tagging", "--bucket", b)
                self.cli_error(exe, "NoSuchTagSet", "s3api", "get-bucket-tagging", "--bucket", b)

                self.assertEqual(self.cli(exe, "s3api", "get-bucket-logging", "--bucket", b), {})
                self.assertEqual(self.cli(exe, "s3api", "get-bucket-notification-configuration", "--bucket", b), {})
                self.assertEqual(self.cli(exe, "s3api", "get-bucket-accelerate-configuration", "--bucket", b), {})
                self.assertEqual(self.cli(exe, "s3api", "get-bucket-request-payment", "--bucket", b),
                                 {"Payer": "BucketOwner"})
                self.cli_error(exe, "ReplicationConfigurationNotFoundError", "s3api", "get-bucket-replication",
                               "--bucket", b)


if __name__ == "__main__":
    unittest.main()
