"""DynamoDB Streams through the aws CLI (`aws dynamodb` with --stream-specification, `aws
dynamodbstreams`): enable on create, write, follow the shard, disable with update-table."""
import json
import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "integration"))
from localaws_support import LocalAws  # noqa: E402


class StreamsCliTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = LocalAws(in_memory=True).start()

    @classmethod
    def tearDownClass(cls):
        cls.server.close()

    def test_cli_workflow(self):
        s = self.server
        d = s.aws_json("dynamodb", "create-table", "--table-name", "cli-streams",
                       "--attribute-definitions", "AttributeName=pk,AttributeType=S",
                       "--key-schema", "AttributeName=pk,KeyType=HASH", "--billing-mode", "PAY_PER_REQUEST",
                       "--stream-specification", "StreamEnabled=true,StreamViewType=NEW_IMAGE")
        arn = d["TableDescription"]["LatestStreamArn"]
        for i in range(3):
            s.aws("dynamodb", "put-item", "--table-name", "cli-streams",
                  "--item", json.dumps({"pk": {"S": "k%d" % i}, "n": {"N": str(i)}}))
        s.aws("dynamodb", "delete-item", "--table-name", "cli-streams", "--key", json.dumps({"pk": {"S": "k0"}}))
        listed = s.aws_json("dynamodbstreams", "list-streams", "--table-name", "cli-streams")["Streams"]
        self.assertEqual([x["StreamArn"] for x in listed], [arn])
        desc = s.aws_json("dynamodbstreams", "describe-stream", "--stream-arn", arn)["StreamDescription"]
        self.assertEqual(desc["StreamStatus"], "ENABLED")
        shard = desc["Shards"][0]["ShardId"]
        it = s.aws_json("dynamodbstreams", "get-shard-iterator", "--stream-arn", arn, "--shard-id", shard,
                        "--shard-iterator-type", "TRIM_HORIZON")["ShardIterator"]
        recs = s.aws_json("dynamodbstreams", "get-records", "--shard-iterator", it)["Records"]
        self.assertEqual([(r["eventName"], r["dynamodb"]["Keys"]["pk"]["S"]) for r in recs],
                         [("INSERT", "k0"), ("INSERT", "k1"), ("INSERT", "k2"), ("REMOVE", "k0")])
        self.assertEqual(recs[1]["dynamodb"]["NewImage"]["n"], {"N": "1"})
        seq = recs[1]["dynamodb"]["SequenceNumber"]
        it = s.aws_json("dynamodbstreams", "get-shard-iterator", "--stream-arn", arn, "--shard-id", shard,
                        "--shard-iterator-type", "AFTER_SEQUENCE_NUMBER", "--sequence-number", seq)["ShardIterator"]
        recs = s.aws_json("dynamodbstreams", "get-records", "--shard-iterator", it, "--limit", "1")["Records"]
        self.assertEqual([r["dynamodb"]["Keys"]["pk"]["S"] for r in recs], ["k2"])
        s.aws("dynamodb", "update-table", "--table-name", "cli-streams", "--stream-specification", "StreamEnabled=false")
        desc = s.aws_json("dynamodbstreams", "describe-stream", "--stream-arn", arn)["StreamDescription"]
        self.assertEqual(desc["StreamStatus"], "DISABLED")
        p = s.aws("dynamodb", "update-table", "--table-name", "cli-streams", "--stream-specification",
                  "StreamEnabled=false", check=False)
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("ValidationException", p.stderr)


if __name__ == "__main__":
    unittest.main()
