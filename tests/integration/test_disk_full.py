"""A full disk: the data dir on a small tmpfs the test mounts (skipped, saying why, where this
machine cannot mount one). Writes that cannot be stored fail with AWS-style 5xx errors (S3
InternalError 500, DynamoDB InternalServerError 500), nothing acknowledged is lost, partial blobs
are removed, the server stays up, and writes succeed again once space is freed (here: a filler
file beside the data dir, removed). docs/reliability.md "Disk full"."""
import os
import shutil
import subprocess
import tempfile
import unittest

import botocore.exceptions

from ddb_support import create_table
from localaws_support import LocalAws

MIB = 1024 * 1024
OBJECT = 512 * 1024


def count_files(root):
    return sum(len(files) for _, _, files in os.walk(root))


class DiskFullTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.mnt = tempfile.mkdtemp(prefix="localaws-full-")
        p = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=12m", "tmpfs", cls.mnt], capture_output=True, text=True)
        if p.returncode != 0:
            shutil.rmtree(cls.mnt, ignore_errors=True)
            raise unittest.SkipTest("cannot mount a small tmpfs here (%s): the disk-full test needs root "
                                    "and mount permission" % (p.stderr.strip() or p.returncode))
        try:
            cls.server = LocalAws(data_dir=os.path.join(cls.mnt, "data")).start()
        except Exception:
            cls.unmount()
            raise
        cls.s3 = cls.server.boto3_client("s3")  # one attempt: every error is seen
        cls.ddb = cls.server.boto3_client("dynamodb")

    @classmethod
    def tearDownClass(cls):
        try:
            cls.server.close()
        finally:
            cls.unmount()

    @classmethod
    def unmount(cls):
        subprocess.run(["umount", cls.mnt])
        shutil.rmtree(cls.mnt, ignore_errors=True)

    def error_of(self, fn, **kw):
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            fn(**kw)
        r = cm.exception.response
        return r["Error"]["Code"], r["ResponseMetadata"]["HTTPStatusCode"]

    def test_full_disk_then_freed(self):
        s3, ddb = self.s3, self.ddb
        # Room taken by something else on the same filesystem, freed later.
        self.filler = os.path.join(self.mnt, "filler")
        with open(self.filler, "wb") as f:
            f.write(b"\0" * (3 * MIB))
        s3.create_bucket(Bucket="full")
        create_table(ddb, "full-table")
        stored = []
        err = None
        for i in range(100):  # 12 MiB fills within ~24 objects; bounded anyway
            try:
                s3.put_object(Bucket="full", Key="k%03d" % i, Body=bytes([i]) * OBJECT)
                stored.append(i)
            except botocore.exceptions.ClientError as e:
                err = e.response
                break
        self.assertIsNotNone(err, "the disk never filled")
        self.assertEqual((err["Error"]["Code"], err["ResponseMetadata"]["HTTPStatusCode"]), ("InternalError", 500))
        self.assertGreater(len(stored), 5)
        # DynamoDB writes fail too, as 5xx, until there is room.
        failed = None
        for i in range(400):
            try:
                ddb.put_item(TableName="full-table", Item={"pk": {"S": "i%d" % i}, "v": {"S": "x" * 8000}})
            except botocore.exceptions.ClientError as e:
                failed = (e.response["Error"]["Code"], e.response["ResponseMetadata"]["HTTPStatusCode"])
                break
        self.assertEqual(failed, ("InternalServerError", 500))
        # Nothing acknowledged is lost; no partial blob is left behind.
        data = self.server.data_dir
        self.assertEqual(os.listdir(os.path.join(data, "tmp")), [])
        self.assertEqual(count_files(os.path.join(data, "blobs")), len(stored))
        for i in stored:
            self.assertEqual(s3.get_object(Bucket="full", Key="k%03d" % i)["Body"].read(), bytes([i]) * OBJECT)
        self.assertEqual(self.server.get("/_localaws/health")[0], 200)
        # Space is freed outside localaws ...
        os.remove(self.filler)
        # ... and writes succeed again, deletes too.
        for i in stored[:6]:
            s3.delete_object(Bucket="full", Key="k%03d" % i)
        s3.put_object(Bucket="full", Key="after", Body=b"z" * OBJECT)
        self.assertEqual(s3.get_object(Bucket="full", Key="after")["Body"].read(), b"z" * OBJECT)
        ddb.put_item(TableName="full-table", Item={"pk": {"S": "after"}})
        self.assertIn("Item", ddb.get_item(TableName="full-table", Key={"pk": {"S": "after"}}))
        # And after a restart everything acknowledged is still there.
        self.server.stop()
        self.server.start()
        s3 = self.server.boto3_client("s3")
        keys = sorted(o["Key"] for o in s3.list_objects_v2(Bucket="full")["Contents"])
        self.assertEqual(keys, sorted(["after"] + ["k%03d" % i for i in stored[6:]]))


if __name__ == "__main__":
    unittest.main()
