"""Declarative fixtures (--fixtures, POST /_localaws/fixtures) and named snapshots, checked through
boto3 against the state they build."""
import json
import os
import subprocess
import tempfile
import unittest

from localaws_support import LocalAws, localaws_bin

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

FIXTURE = {
    "buckets": [{
        "name": "seeded-bucket",
        "objects": [
            {"key": "Test Folder/", "content": ""},
            {"key": "notes.txt", "content": "hello", "contentType": "text/plain", "metadata": {"Owner": "kevin"}},
            {"key": "bytes.bin", "base64": "AAEC/w=="},
        ],
    }],
    "tables": [{
        "TableName": "Shops",
        "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
        "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
        "BillingMode": "PAY_PER_REQUEST",
        "items": [{"id": {"S": "s1"}, "name": {"S": "Blue Bottle"}, "votes": {"N": "3"}},
                  {"id": {"S": "s2"}, "name": {"S": "Sightglass"}}],
    }],
}


class FixturesTest(unittest.TestCase):
    def check_seeded(self, la):
        s3 = la.boto3_client("s3")
        keys = [o["Key"] for o in s3.list_objects_v2(Bucket="seeded-bucket")["Contents"]]
        self.assertEqual(keys, ["Test Folder/", "bytes.bin", "notes.txt"])
        notes = s3.get_object(Bucket="seeded-bucket", Key="notes.txt")
        self.assertEqual(notes["Body"].read(), b"hello")
        self.assertEqual(notes["ContentType"], "text/plain")
        self.assertEqual(notes["Metadata"], {"owner": "kevin"})
        self.assertEqual(s3.get_object(Bucket="seeded-bucket", Key="bytes.bin")["Body"].read(), b"\x00\x01\x02\xff")
        ddb = la.boto3_client("dynamodb")
        item = ddb.get_item(TableName="Shops", Key={"id": {"S": "s1"}})["Item"]
        self.assertEqual(item["votes"], {"N": "3"})
        self.assertEqual(ddb.scan(TableName="Shops")["Count"], 2)

    def test_fixture_directory_at_start_with_files(self):
        with tempfile.TemporaryDirectory() as d:
            with open(os.path.join(d, "10-seed.json"), "w") as f:
                json.dump(FIXTURE, f)
            with open(os.path.join(d, "20-photos.json"), "w") as f:
                json.dump({"buckets": [{"name": "photos", "objects": [
                    {"key": "Test Folder/graph.jpg", "file": os.path.join(ROOT, "fixtures", "graph.jpg"),
                     "contentType": "image/jpeg"}]}]}, f)
            with open(os.path.join(d, "README.md"), "w") as f:
                f.write("not a fixture")
            with LocalAws("--fixtures", d) as la:
                self.check_seeded(la)
                got = la.boto3_client("s3").get_object(Bucket="photos", Key="Test Folder/graph.jpg")
                with open(os.path.join(ROOT, "fixtures", "graph.jpg"), "rb") as f:
                    self.assertEqual(got["Body"].read(), f.read())
                self.assertIn('{"buckets":2,"items":2,"objects":4,"tables":1}', la.read_log().replace(" ", ""))

    def test_bad_fixture_at_start_names_file_and_reason(self):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "broken.json")
            with open(path, "w") as f:
                json.dump({"tables": [{"TableName": "T", "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
                                       "AttributeDefinitions": [], "BillingMode": "PAY_PER_REQUEST"}]}, f)
            p = subprocess.run([localaws_bin(), "--port", "0", "--in-memory", "--fixtures", path],
                               capture_output=True, text=True, timeout=20)
            self.assertEqual(p.returncode, 1)
            self.assertIn(path, p.stderr)
            self.assertIn("CreateTable T", p.stderr)
            self.assertIn("ValidationException", p.stderr)

    def test_fixtures_over_http(self):
        with LocalAws(in_memory=True) as la:
            status, _, body = la.post("/_localaws/fixtures", json.dumps(FIXTURE).encode())
            self.assertEqual(status, 200, body)
            self.assertEqual(json.loads(body)["loaded"], {"buckets": 1, "objects": 3, "tables": 1, "items": 2})
            self.check_seeded(la)
            # Loading again fails the way the API would: the bucket is already ours... and the table exists.
            status, _, body = la.post("/_localaws/fixtures", json.dumps({"tables": FIXTURE["tables"]}).encode())
            self.assertEqual(status, 400)
            self.assertIn("ResourceInUseException", json.loads(body)["message"])
            # Files are not read on behalf of HTTP callers.
            status, _, body = la.post("/_localaws/fixtures", json.dumps(
                {"buckets": [{"name": "x-files", "objects": [{"key": "p", "file": "/etc/passwd"}]}]}).encode())
            self.assertEqual(status, 400)
            self.assertIn("only allowed in fixture files", json.loads(body)["message"])
            for bad in (b"not json", b"[]", json.dumps({"bucketz": []}).encode()):
                status, _, body = la.post("/_localaws/fixtures", bad)
                self.assertEqual(status, 400, bad)
                self.assertEqual(json.loads(body)["error"], "InvalidFixture")


class SnapshotTest(unittest.TestCase):
    def test_restore_puts_everything_back_exactly(self):
        with LocalAws() as la:
            self.assertEqual(la.post("/_localaws/fixtures", json.dumps(FIXTURE).encode())[0], 200)
            s3 = la.boto3_client("s3")
            ddb = la.boto3_client("dynamodb")
            self.assertEqual(la.post("/_localaws/snapshot?name=seeded")[0], 200)
            # Change everything: overwrite, delete, add, new bucket, new table, item changes.
            s3.put_object(Bucket="seeded-bucket", Key="notes.txt", Body=b"changed")
            s3.delete_object(Bucket="seeded-bucket", Key="bytes.bin")
            s3.put_object(Bucket="seeded-bucket", Key="new.txt", Body=b"new")
            s3.create_bucket(Bucket="after-snapshot")
            ddb.delete_item(TableName="Shops", Key={"id": {"S": "s1"}})
            ddb.put_item(TableName="Shops", Item={"id": {"S": "s3"}})
            self.assertEqual(la.post("/_localaws/restore?name=seeded")[0], 200)
            FixturesTest.check_seeded(self, la)
            names = [b["Name"] for b in s3.list_buckets()["Buckets"]]
            self.assertEqual(names, ["seeded-bucket"])
            # Restoring twice is fine, and only referenced blobs remain on disk.
            self.assertEqual(la.post("/_localaws/restore?name=seeded")[0], 200)
            FixturesTest.check_seeded(self, la)
            blobs = sum(len(files) for _, _, files in os.walk(os.path.join(la.data_dir, "blobs")))
            self.assertEqual(blobs, 3)


if __name__ == "__main__":
    unittest.main()
