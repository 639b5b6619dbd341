"""Server-side encryption through the aws CLI, v1 (`aws`, first on PATH) and v2 (/usr/bin/aws):
put/get-bucket-encryption, `aws s3 cp --sse-c AES256 --sse-c-key fileb://...` up and down (a
multipart upload too) with the blob on disk not holding the plaintext, and `--sse aws:kms`."""
import hashlib
import json
import os
import sys
import tempfile
import unittest
import uuid

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "integration"))
from localaws_support import AWS_CLIS as CLIS, LocalAws  # noqa: E402

UNBLOCK = {"Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"},
                      "BlockedEncryptionTypes": {"EncryptionType": ["NONE"]}}]}
KMS = {"Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": "alias/cli"},
                  "BucketKeyEnabled": True}]}


class SseCliTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = LocalAws().start()
        cls.tmp = tempfile.mkdtemp()
        cls.key_file = os.path.join(cls.tmp, "key.bin")
        with open(cls.key_file, "wb") as f:
            f.write(hashlib.sha256(b"cli key").digest())

    @classmethod
    def tearDownClass(cls):
        cls.server.close()

    def cli(self, exe, *args, check=True):
        return self.server.aws(*args, check=check, exe=exe)

    def cli_json(self, exe, *args):
        return self.server.aws_json(*args, exe=exe)

    def json_file(self, doc):
        path = os.path.join(self.tmp, uuid.uuid4().hex + ".json")
        with open(path, "w") as f:
            json.dump(doc, f)
        return "file://" + path

    def blob_holding(self, data):
        hits = []
        for d, _, files in os.walk(os.path.join(self.server.data_dir, "blobs")):
            for name in files:
                with open(os.path.join(d, name), "rb") as f:
                    if data in f.read():
                        hits.append(name)
        return hits

    def test_each_cli(self):
        for name, exe in CLIS:
            with self.subTest(cli=name):
                if not os.path.exists(exe) and exe.startswith("/"):
                    self.fail("%s is not installed at %s" % (name, exe))
                self.check_cli(name, exe)

    def check_cli(self, name, exe):
        bucket = "cli-sse-%s-%s" % (name, uuid.uuid4().hex[:8])
        self.cli(exe, "s3", "mb", "s3://" + bucket)
        got = self.cli_json(exe, "s3api", "get-bucket-encryption", "--bucket", bucket)
        rule = got["ServerSideEncryptionConfiguration"]["Rules"][0]
        self.assertEqual(rule["ApplyServerSideEncryptionByDefault"], {"SSEAlgorithm": "AES256"})
        # SSE-C is blocked on a new bucket: the CLI's upload fails with AccessDenied.
        src = os.path.join(self.tmp, "src-" + name)
        secret = b"CLI-SECRET-" + uuid.uuid4().hex.encode() + os.urandom(6000)
        with open(src, "wb") as f:
            f.write(secret)
        p = self.cli(exe, "s3", "cp", src, "s3://%s/c" % bucket, "--sse-c", "AES256", "--sse-c-key",
                     "fileb://" + self.key_file, check=False)
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("AccessDenied", p.stderr)
        # v2 2.9 predates BlockedEncryptionTypes in its model: v1 unblocks the bucket for both.
        self.cli("aws", "s3api", "put-bucket-encryption", "--bucket", bucket,
                 "--server-side-encryption-configuration", self.json_file(UNBLOCK))
        self.cli(exe, "s3", "cp", src, "s3://%s/c" % bucket, "--sse-c", "AES256", "--sse-c-key",
                 "fileb://" + self.key_file)
        self.assertEqual(self.blob_holding(secret[:48]), [])
        dst = os.path.join(self.tmp, "dst-" + name)
        self.cli(exe, "s3", "cp", "s3://%s/c" % bucket, dst, "--sse-c", "AES256", "--sse-c-key",
                 "fileb://" + self.key_file)
        with open(dst, "rb") as f:
            self.assertEqual(f.read(), secret)
        # A server-side copy to another key, then the copy read with that key.
        key2 = os.path.join(self.tmp, "key2-" + name)
        with open(key2, "wb") as f:
            f.write(hashlib.sha256(b"second key " + name.encode()).digest())
        self.cli(exe, "s3", "cp", "s3://%s/c" % bucket, "s3://%s/c2" % bucket, "--sse-c-copy-source", "AES256",
                 "--sse-c-copy-source-key", "fileb://" + self.key_file, "--sse-c", "AES256", "--sse-c-key",
                 "fileb://" + key2)
        self.cli(exe, "s3", "cp", "s3://%s/c2" % bucket, dst + ".2", "--sse-c", "AES256", "--sse-c-key",
                 "fileb://" + key2)
        with open(dst + ".2", "rb") as f:
            self.assertEqual(f.read(), secret)
        p = self.cli(exe, "s3", "cp", "s3://%s/c2" % bucket, dst + ".3", "--sse-c", "AES256", "--sse-c-key",
                     "fileb://" + self.key_file, check=False)
        self.assertNotEqual(p.returncode, 0)
        # Without the key the download fails.
        p = self.cli(exe, "s3", "cp", "s3://%s/c" % bucket, dst + ".nokey", check=False)
        self.assertNotEqual(p.returncode, 0)
        # A multipart upload (over the CLI's 8 MiB threshold) and its download.
        big = os.path.join(self.tmp, "big-" + name)
        data = os.urandom(9 * 1024 * 1024 + 3)
        with open(big, "wb") as f:
            f.write(data)
        self.cli(exe, "s3", "cp", big, "s3://%s/big" % bucket, "--sse-c", "AES256", "--sse-c-key",
                 "fileb://" + self.key_file)
        head = self.cli_json(exe, "s3api", "head-object", "--bucket", bucket, "--key", "big",
                             "--sse-customer-algorithm", "AES256", "--sse-customer-key", "fileb://" + self.key_file)
        self.assertTrue(head["ETag"].endswith('-2"'), head)
        self.assertEqual(head["SSECustomerAlgorithm"], "AES256")
        self.cli(exe, "s3", "cp", "s3://%s/big" % bucket, big + ".out", "--sse-c", "AES256", "--sse-c-key",
                 "fileb://" + self.key_file)
        with open(big + ".out", "rb") as f:
            self.assertEqual(f.read(), data)
        # --sse aws:kms
        self.cli(exe, "s3", "cp", src, "s3://%s/kms" % bucket, "--sse", "aws:kms", "--sse-kms-key-id", "alias/k")
        head = self.cli_json(exe, "s3api", "head-object", "--bucket", bucket, "--key", "kms")
        self.assertEqual(head["ServerSideEncryption"], "aws:kms")
        self.assertEqual(head["SSEKMSKeyId"], "arn:aws:kms:us-east-1:000000000000:alias/k")
        # put-bucket-encryption with KMS, read back, and objects take it.
        self.cli(exe, "s3api", "put-bucket-encryption", "--bucket", bucket, "--server-side-encryption-configuration",
                 self.json_file(KMS))
        rule = self.cli_json(exe, "s3api", "get-bucket-encryption", "--bucket", bucket)[
            "ServerSideEncryptionConfiguration"]["Rules"][0]
        self.assertEqual(rule["ApplyServerSideEncryptionByDefault"],
                         {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": "alias/cli"})
        self.assertTrue(rule["BucketKeyEnabled"])
        self.cli(exe, "s3", "cp", src, "s3://%s/dflt" % bucket)
        head = self.cli_json(exe, "s3api", "head-object", "--bucket", bucket, "--key", "dflt")
        self.assertEqual((head["ServerSideEncryption"], head["SSEKMSKeyId"], head["BucketKeyEnabled"]),
                         ("aws:kms", "arn:aws:kms:us-east-1:000000000000:alias/cli", True))
        self.cli(exe, "s3api", "delete-bucket-encryption", "--bucket", bucket)
        rule = self.cli_json(exe, "s3api", "get-bucket-encryption", "--bucket", bucket)[
            "ServerSideEncryptionConfiguration"]["Rules"][0]
        self.assertEqual(rule["ApplyServerSideEncryptionByDefault"], {"SSEAlgorithm": "AES256"})


if __name__ == "__main__":
    unittest.main()
