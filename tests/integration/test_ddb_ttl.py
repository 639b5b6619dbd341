"""Time to live: the sweep really deletes expired items (and their index rows), and only them."""
import time
import unittest

import botocore.exceptions

from localaws_support import LocalAws


class TtlTest(unittest.TestCase):
    def test_expired_items_are_deleted(self):
        with LocalAws("--ttl-interval", "0.2", in_memory=True) as s:
            ddb = s.boto3_client("dynamodb")
            ddb.create_table(TableName="ttl", BillingMode="PAY_PER_REQUEST",
                             AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                                                   {"AttributeName": "g", "AttributeType": "S"}],
                             KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                             GlobalSecondaryIndexes=[{"IndexName": "by-g", "Projection": {"ProjectionType": "KEYS_ONLY"},
                                                      "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}]}])
            self.assertEqual(ddb.describe_time_to_live(TableName="ttl")["TimeToLiveDescription"],
                             {"TimeToLiveStatus": "DISABLED"})
            now = int(time.time())
            items = {
                "expired": {"N": str(now - 60)},
                "expired-fraction": {"N": "%d.5" % (now - 10)},
                "future": {"N": str(now + 3600)},
                "string-ttl": {"S": str(now - 60)},           # not a Number: never expires
                "ancient": {"N": str(now - 6 * 365 * 86400)},  # more than five years old: ignored
            }
            for pk, ttl in items.items():
                ddb.put_item(TableName="ttl", Item={"pk": {"S": pk}, "g": {"S": "all"}, "expires": ttl})
            ddb.put_item(TableName="ttl", Item={"pk": {"S": "no-ttl"}, "g": {"S": "all"}})
            time.sleep(0.5)  # TTL not enabled yet: nothing may go
            self.assertEqual(ddb.scan(TableName="ttl", Select="COUNT")["Count"], 6)
            r = ddb.update_time_to_live(TableName="ttl", TimeToLiveSpecification={"Enabled": True, "AttributeName": "expires"})
            self.assertEqual(r["TimeToLiveSpecification"], {"Enabled": True, "AttributeName": "expires"})
            with self.assertRaises(botocore.exceptions.ClientError) as cm:
                ddb.update_time_to_live(TableName="ttl", TimeToLiveSpecification={"Enabled": True, "AttributeName": "expires"})
            self.assertEqual(cm.exception.response["Error"]["Message"], "TimeToLive is already enabled")
            self.assertEqual(ddb.describe_time_to_live(TableName="ttl")["TimeToLiveDescription"],
                             {"TimeToLiveStatus": "ENABLED", "AttributeName": "expires"})
            left = None
            for _ in range(100):  # bounded: up to 10 s
                left = sorted(i["pk"]["S"] for i in ddb.scan(TableName="ttl", ConsistentRead=True)["Items"])
                if len(left) == 4:
                    break
                time.sleep(0.1)
            self.assertEqual(left, ["ancient", "future", "no-ttl", "string-ttl"])
            in_index = ddb.query(TableName="ttl", IndexName="by-g", KeyConditionExpression="g = :g",
                                 ExpressionAttributeValues={":g": {"S": "all"}})["Items"]
            self.assertEqual(sorted(i["pk"]["S"] for i in in_index), left)


if __name__ == "__main__":
    unittest.main()
