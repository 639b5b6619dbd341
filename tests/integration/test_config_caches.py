"""Bucket and table configuration is kept in memory between requests (s3::Store's bucket cache,
dynamodb::TableCache, invalidated through storage::Watch). Every way configuration changes must
show on the very next request: subresource writes, delete and re-create under the same name,
reset, snapshot restore, and writes racing reads."""
import json
import threading
import unittest

import botocore.exceptions

from localaws_support import LocalAws

PUBLIC_READ = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
                   "Resource": "arn:aws:s3:::pics/*"}],
}


class ConfigCacheTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.la = LocalAws().start()
        cls.s3 = cls.la.boto3_client("s3")
        cls.ddb = cls.la.boto3_client("dynamodb")

    @classmethod
    def tearDownClass(cls):
        cls.la.close()

    def setUp(self):
        self.assertEqual(self.la.post("/_localaws/reset")[0], 200)

    def anon_get(self, path):
        return self.la.get(path)[0]

    def public_bucket(self):
        self.s3.create_bucket(Bucket="pics")
        self.s3.delete_public_access_block(Bucket="pics")
        self.s3.put_object(Bucket="pics", Key="a.jpg", Body=b"jpeg")
        self.s3.put_bucket_policy(Bucket="pics", Policy=json.dumps(PUBLIC_READ))

    def test_bucket_policy_changes_show_at_once(self):
        self.public_bucket()
        for _ in range(3):  # read repeatedly: the cached bucket serves these
            self.assertEqual(self.anon_get("/pics/a.jpg"), 200)
        self.s3.delete_bucket_policy(Bucket="pics")
        self.assertEqual(self.anon_get("/pics/a.jpg"), 403)
        self.s3.put_bucket_policy(Bucket="pics", Policy=json.dumps(PUBLIC_READ))
        self.assertEqual(self.anon_get("/pics/a.jpg"), 200)
        self.s3.put_public_access_block(Bucket="pics", PublicAccessBlockConfiguration={
            "BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True,
            "RestrictPublicBuckets": True})
        self.assertEqual(self.anon_get("/pics/a.jpg"), 403)

    def test_versioning_change_shows_at_once(self):
        self.s3.create_bucket(Bucket="docs")
        self.s3.put_object(Bucket="docs", Key="k", Body=b"1")
        self.assertEqual(self.s3.head_object(Bucket="docs", Key="k").get("VersionId"), None)
        self.s3.put_bucket_versioning(Bucket="docs", VersioningConfiguration={"Status": "Enabled"})
        out = self.s3.put_object(Bucket="docs", Key="k", Body=b"2")
        self.assertNotEqual(out.get("VersionId", "null"), "null")

    def test_bucket_deleted_and_recreated(self):
        self.public_bucket()
        self.assertEqual(self.anon_get("/pics/a.jpg"), 200)
        self.s3.delete_object(Bucket="pics", Key="a.jpg")
        self.s3.delete_bucket(Bucket="pics")
        with self.assertRaises(botocore.exceptions.ClientError) as e:
            self.s3.head_bucket(Bucket="pics")
        self.assertEqual(e.exception.response["Error"]["Code"], "404")
        self.s3.create_bucket(Bucket="pics")  # no policy this time: private
        self.s3.put_object(Bucket="pics", Key="a.jpg", Body=b"jpeg")
        self.assertEqual(self.anon_get("/pics/a.jpg"), 403)

    def test_reset_and_snapshot_restore(self):
        self.public_bucket()
        self.assertEqual(self.anon_get("/pics/a.jpg"), 200)
        self.assertEqual(self.la.post("/_localaws/snapshot?name=public")[0], 200)
        self.s3.delete_bucket_policy(Bucket="pics")
        self.assertEqual(self.anon_get("/pics/a.jpg"), 403)
        self.assertEqual(self.la.post("/_localaws/restore?name=public")[0], 200)
        self.assertEqual(self.anon_get("/pics/a.jpg"), 200)
        self.assertEqual(self.la.post("/_localaws/reset")[0], 200)
        with self.assertRaises(botocore.exceptions.ClientError) as e:
            self.s3.get_object(Bucket="pics", Key="a.jpg")
        self.assertEqual(e.exception.response["Error"]["Code"], "NoSuchBucket")

    def create_table(self, name, key, key_type):
        self.ddb.create_table(TableName=name, BillingMode="PAY_PER_REQUEST",
                              AttributeDefinitions=[{"AttributeName": key, "AttributeType": key_type}],
                              KeySchema=[{"AttributeName": key, "KeyType": "HASH"}])

    def test_table_recreated_with_another_key(self):
        self.create_table("shops", "pk", "S")
        self.ddb.put_item(TableName="shops", Item={"pk": {"S": "a"}, "v": {"N": "1"}})
        for _ in range(3):
            self.assertEqual(self.ddb.get_item(TableName="shops", Key={"pk": {"S": "a"}})["Item"]["v"], {"N": "1"})
        self.ddb.delete_table(TableName="shops")
        with self.assertRaises(botocore.exceptions.ClientError) as e:
            self.ddb.get_item(TableName="shops", Key={"pk": {"S": "a"}})
        self.assertEqual(e.exception.response["Error"]["Code"], "ResourceNotFoundException")
        self.create_table("shops", "id", "N")
        with self.assertRaises(botocore.exceptions.ClientError) as e:
            self.ddb.get_item(TableName="shops", Key={"pk": {"S": "a"}})
        self.assertEqual(e.exception.response["Error"]["Code"], "ValidationException")
        self.ddb.put_item(TableName="shops", Item={"id": {"N": "7"}})
        self.assertEqual(self.ddb.get_item(TableName="shops", Key={"id": {"N": "7"}})["Item"], {"id": {"N": "7"}})

    def test_table_update_shows_at_once(self):
        self.create_table("rated", "pk", "S")
        self.ddb.put_item(TableName="rated", Item={"pk": {"S": "a"}, "score": {"N": "5"}})
        self.ddb.query(TableName="rated", KeyConditionExpression="pk = :p",
                       ExpressionAttributeValues={":p": {"S": "a"}})
        self.ddb.update_table(TableName="rated",
                              AttributeDefinitions=[{"AttributeName": "score", "AttributeType": "N"}],
                              GlobalSecondaryIndexUpdates=[{"Create": {
                                  "IndexName": "by-score", "Projection": {"ProjectionType": "ALL"},
                                  "KeySchema": [{"AttributeName": "score", "KeyType": "HASH"}]}}])
        out = self.ddb.query(TableName="rated", IndexName="by-score", KeyConditionExpression="score = :s",
                             ExpressionAttributeValues={":s": {"N": "5"}})
        self.assertEqual(out["Count"], 1)

    def test_writes_racing_reads_end_consistent(self):
        # Readers hammer the bucket while a writer flips its policy; after the writer stops, every
        # read agrees with the last write (no stale cache entry survives a race).
        self.public_bucket()
        stop = threading.Event()
        errors = []

        def reader():
            while not stop.is_set():
                status = self.anon_get("/pics/a.jpg")
                if status not in (200, 403):
                    errors.append(status)

        threads = [threading.Thread(target=reader) for _ in range(3)]
        for t in threads:
            t.start()
        try:
            for i in range(20):
                if i % 2:
                    self.s3.put_bucket_policy(Bucket="pics", Policy=json.dumps(PUBLIC_READ))
                else:
                    self.s3.delete_bucket_policy(Bucket="pics")
        finally:
            stop.set()
            for t in threads:
                t.join()
        self.assertEqual(errors, [])
        # The last write put the policy back.
        for _ in range(5):
            self.assertEqual(self.anon_get("/pics/a.jpg"), 200)
        self.s3.delete_bucket_policy(Bucket="pics")
        for _ in range(5):
            self.assertEqual(self.anon_get("/pics/a.jpg"), 403)


if __name__ == "__main__":
    unittest.main()
