"""DynamoDB Streams through boto3's `dynamodbstreams` client: stream records for every write path,
the view types, shard iterators, pagination, stream enable / disable on UpdateTable, shard
rollover and lineage, TTL deletions, iterator expiry and the 24-hour retention on the emulator
clock. docs/dynamodb.md "## Streams" lists what is and is not emulated."""
import json
import os
import random
import subprocess
import sys
import time
import unittest

from ddb_support import DdbTestCase, create_table
from localaws_support import LocalAws

SPEC = {"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"}


def read_shard(streams, arn, shard_id, kind="TRIM_HORIZON", **kw):
    """All records of one shard from `kind`, and whether the shard ended (no NextShardIterator)."""
    it = streams.get_shard_iterator(StreamArn=arn, ShardId=shard_id, ShardIteratorType=kind, **kw)["ShardIterator"]
    out = []
    for _ in range(100):
        r = streams.get_records(ShardIterator=it)
        out += r["Records"]
        if "NextShardIterator" not in r:
            return out, True
        if not r["Records"]:
            return out, False
        it = r["NextShardIterator"]
    return out, False


def shards_of(streams, arn):
    shards, start = [], {}
    while True:
        d = streams.describe_stream(StreamArn=arn, Limit=100, **start)["StreamDescription"]
        shards += d["Shards"]
        if "LastEvaluatedShardId" not in d:
            return shards
        start = {"ExclusiveStartShardId": d["LastEvaluatedShardId"]}


def read_stream(streams, arn):
    """A consumer following shard lineage from TRIM_HORIZON: parents before children."""
    shards = shards_of(streams, arn)
    ids = {s["ShardId"] for s in shards}
    done, records = set(), []
    while len(done) < len(shards):
        progressed = False
        for s in shards:
            if s["ShardId"] in done:
                continue
            parent = s.get("ParentShardId")
            if parent and parent in ids and parent not in done:
                continue
            recs, _ = read_shard(streams, arn, s["ShardId"])
            records += recs
            done.add(s["ShardId"])
            progressed = True
        assert progressed, "shard lineage has a cycle"
    return records


class StreamsTest(DdbTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.streams = cls.server.boto3_client("dynamodbstreams")
        cls.n = 0

    def table(self, view="NEW_AND_OLD_IMAGES", keys=(("pk", "S"),)):
        StreamsTest.n += 1
        name = "st%d" % StreamsTest.n
        d = create_table(self.ddb, name, keys=keys,
                         StreamSpecification={"StreamEnabled": True, "StreamViewType": view})["TableDescription"]
        return name, d["LatestStreamArn"]

    def records(self, arn):
        return read_stream(self.streams, arn)

    def test_create_table_shows_stream(self):
        name, arn = self.table("KEYS_ONLY")
        d = self.ddb.describe_table(TableName=name)["Table"]
        self.assertEqual(d["StreamSpecification"], {"StreamEnabled": True, "StreamViewType": "KEYS_ONLY"})
        self.assertEqual(d["LatestStreamArn"], arn)
        self.assertTrue(arn.startswith(d["TableArn"] + "/stream/" ))
        self.assertEqual(arn.split("/stream/")[1], d["LatestStreamLabel"])
        sd = self.streams.describe_stream(StreamArn=arn)["StreamDescription"]
        self.assertEqual(sd["StreamStatus"], "ENABLED")
        self.assertEqual(sd["StreamViewType"], "KEYS_ONLY")
        self.assertEqual(sd["TableName"], name)
        self.assertEqual(sd["KeySchema"], [{"AttributeName": "pk", "KeyType": "HASH"}])
        self.assertEqual(len(sd["Shards"]), 1)
        self.assertNotIn("EndingSequenceNumber", sd["Shards"][0]["SequenceNumberRange"])
        self.assertNotIn("ParentShardId", sd["Shards"][0])
        # A table without a stream has none of these members.
        create_table(self.ddb, "plain_" + name, StreamSpecification={"StreamEnabled": False})
        plain = self.ddb.describe_table(TableName="plain_" + name)["Table"]
        self.assertNotIn("LatestStreamArn", plain)
        self.assertNotIn("StreamSpecification", plain)

    def test_put_update_delete_records(self):
        name, arn = self.table()
        self.ddb.put_item(TableName=name, Item={"pk": {"S": "a"}, "v": {"N": "1"}})
        self.ddb.update_item(TableName=name, Key={"pk": {"S": "a"}}, UpdateExpression="SET v = :v",
                             ExpressionAttributeValues={":v": {"N": "2"}})
        self.ddb.delete_item(TableName=name, Key={"pk": {"S": "a"}})
        recs = self.records(arn)
        self.assertEqual([r["eventName"] for r in recs], ["INSERT", "MODIFY", "REMOVE"])
        ins, mod, rem = recs
        for r in recs:
            self.assertEqual(r["eventSource"], "aws:dynamodb")
            self.assertEqual(r["eventVersion"], "1.1")
            self.assertEqual(r["awsRegion"], "us-east-1")
            self.assertRegex(r["eventID"], r"^[0-9a-f]{32}$")
            self.assertEqual(r["dynamodb"]["Keys"], {"pk": {"S": "a"}})
            self.assertEqual(r["dynamodb"]["StreamViewType"], "NEW_AND_OLD_IMAGES")
            self.assertGreater(r["dynamodb"]["SizeBytes"], 0)
            self.assertRegex(r["dynamodb"]["SequenceNumber"], r"^[0-9]{21,40}$")
            self.assertNotIn("userIdentity", r)
        seqs = [int(r["dynamodb"]["SequenceNumber"]) for r in recs]
        self.assertEqual(seqs, sorted(set(seqs)))
        self.assertEqual(ins["dynamodb"]["NewImage"], {"pk": {"S": "a"}, "v": {"N": "1"}})
        self.assertNotIn("OldImage", ins["dynamodb"])
        self.assertEqual(mod["dynamodb"]["OldImage"]["v"], {"N": "1"})
        self.assertEqual(mod["dynamodb"]["NewImage"]["v"], {"N": "2"})
        self.assertEqual(rem["dynamodb"]["OldImage"]["v"], {"N": "2"})
        self.assertNotIn("NewImage", rem["dynamodb"])

    def test_writes_that_change_nothing_make_no_record(self):
        name, arn = self.table()
        item = {"pk": {"S": "same"}, "v": {"S": "x"}}
        self.ddb.put_item(TableName=name, Item=item)
        self.ddb.put_item(TableName=name, Item=item)
        self.ddb.update_item(TableName=name, Key={"pk": {"S": "same"}}, UpdateExpression="SET v = :v",
                             ExpressionAttributeValues={":v": {"S": "x"}})
        self.ddb.delete_item(TableName=name, Key={"pk": {"S": "missing"}})
        # The same set in another order is the same value.
        self.ddb.put_item(TableName=name, Item={"pk": {"S": "set"}, "s": {"SS": ["a", "b", "c"]}, "n": {"N": "1.50"}})
        self.ddb.put_item(TableName=name, Item={"pk": {"S": "set"}, "s": {"SS": ["c", "a", "b"]}, "n": {"N": "1.5"}})
        with self.assertRaises(self.ddb.exceptions.ConditionalCheckFailedException):
            self.ddb.put_item(TableName=name, Item={"pk": {"S": "same"}}, ConditionExpression="attribute_not_exists(pk)")
        self.assertEqual([r["eventName"] for r in self.records(arn)], ["INSERT", "INSERT"])

    def test_view_types(self):
        for view, new, old in (("KEYS_ONLY", False, False), ("NEW_IMAGE", True, False), ("OLD_IMAGE", False, True)):
            name, arn = self.table(view, keys=(("pk", "S"), ("sk", "N")))
            key = {"pk": {"S": "k"}, "sk": {"N": "7"}}
            self.ddb.put_item(TableName=name, Item={**key, "a": {"S": "1"}})
            self.ddb.put_item(TableName=name, Item={**key, "a": {"S": "2"}})
            recs = self.records(arn)
            self.assertEqual(len(recs), 2, view)
            mod = recs[1]["dynamodb"]
            self.assertEqual(mod["Keys"], key)
            self.assertEqual(mod["StreamViewType"], view)
            self.assertEqual("NewImage" in mod, new, view)
            self.assertEqual("OldImage" in mod, old, view)

    def test_batch_and_transaction_one_record_per_item(self):
        name, arn = self.table()
        self.ddb.batch_write_item(RequestItems={name: [{"PutRequest": {"Item": {"pk": {"S": "b%d" % i}}}} for i in range(5)]})
        self.ddb.batch_write_item(RequestItems={name: [{"DeleteRequest": {"Key": {"pk": {"S": "b0"}}}},
                                                       {"DeleteRequest": {"Key": {"pk": {"S": "nope"}}}}]})
        self.ddb.transact_write_items(TransactItems=[
            {"Put": {"TableName": name, "Item": {"pk": {"S": "t1"}}}},
            {"Update": {"TableName": name, "Key": {"pk": {"S": "b1"}}, "UpdateExpression": "SET x = :x",
                        "ExpressionAttributeValues": {":x": {"N": "1"}}}},
            {"Delete": {"TableName": name, "Key": {"pk": {"S": "b2"}}}},
            {"ConditionCheck": {"TableName": name, "Key": {"pk": {"S": "b3"}}, "ConditionExpression": "attribute_exists(pk)"}},
        ])
        # A cancelled transaction writes nothing, records included.
        with self.assertRaises(self.ddb.exceptions.TransactionCanceledException):
            self.ddb.transact_write_items(TransactItems=[
                {"Put": {"TableName": name, "Item": {"pk": {"S": "t2"}}}},
                {"ConditionCheck": {"TableName": name, "Key": {"pk": {"S": "zz"}}, "ConditionExpression": "attribute_exists(pk)"}},
            ])
        got = [(r["eventName"], r["dynamodb"]["Keys"]["pk"]["S"]) for r in self.records(arn)]
        self.assertEqual(got, [("INSERT", "b%d" % i) for i in range(5)] +
                         [("REMOVE", "b0"), ("INSERT", "t1"), ("MODIFY", "b1"), ("REMOVE", "b2")])

    def test_iterator_types(self):
        name, arn = self.table()
        for i in range(4):
            self.ddb.put_item(TableName=name, Item={"pk": {"S": "i%d" % i}})
        shard = shards_of(self.streams, arn)[0]["ShardId"]
        recs, ended = read_shard(self.streams, arn, shard)
        self.assertFalse(ended)  # an open shard always has a next iterator
        seq2 = recs[2]["dynamodb"]["SequenceNumber"]
        at, _ = read_shard(self.streams, arn, shard, "AT_SEQUENCE_NUMBER", SequenceNumber=seq2)
        self.assertEqual([r["dynamodb"]["Keys"]["pk"]["S"] for r in at], ["i2", "i3"])
        after, _ = read_shard(self.streams, arn, shard, "AFTER_SEQUENCE_NUMBER", SequenceNumber=seq2)
        self.assertEqual([r["dynamodb"]["Keys"]["pk"]["S"] for r in after], ["i3"])
        latest = self.streams.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType="LATEST")["ShardIterator"]
        r = self.streams.get_records(ShardIterator=latest)
        self.assertEqual(r["Records"], [])
        self.ddb.put_item(TableName=name, Item={"pk": {"S": "late"}})
        r = self.streams.get_records(ShardIterator=r["NextShardIterator"])
        self.assertEqual([x["dynamodb"]["Keys"]["pk"]["S"] for x in r["Records"]], ["late"])
        # Limit, then the rest through NextShardIterator.
        it = self.streams.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        r = self.streams.get_records(ShardIterator=it, Limit=2)
        self.assertEqual(len(r["Records"]), 2)
        r = self.streams.get_records(ShardIterator=r["NextShardIterator"], Limit=1000)
        self.assertEqual(len(r["Records"]), 3)

    def test_errors(self):
        name, arn = self.table()
        shard = shards_of(self.streams, arn)[0]["ShardId"]
        e = self.client_error(self.streams.get_records, ShardIterator="bm90IGFuIGl0ZXJhdG9y")
        self.assertEqual(e["Error"]["Code"], "ValidationException")
        e = self.client_error(self.streams.describe_stream, StreamArn=arn.replace("/stream/", "/stream/1999"))
        self.assertEqual(e["Error"]["Code"], "ResourceNotFoundException")
        e = self.client_error(self.streams.get_shard_iterator, StreamArn=arn, ShardId="shardId-00000000000000000000-deadbeef",
                              ShardIteratorType="LATEST")
        self.assertEqual(e["Error"]["Code"], "ResourceNotFoundException")
        e = self.client_error(self.streams.get_shard_iterator, StreamArn=arn, ShardId=shard,
                              ShardIteratorType="AT_SEQUENCE_NUMBER")
        self.assertEqual(e["Error"]["Code"], "ValidationException")
        it = self.streams.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType="LATEST")["ShardIterator"]
        e = self.client_error(self.streams.get_records, ShardIterator=it, Limit=1001)
        self.assertEqual(e["Error"]["Code"], "ValidationException")
        # Stream errors on CreateTable / UpdateTable.
        e = self.client_error(self.ddb.update_table, TableName=name, StreamSpecification=SPEC)
        self.assertEqual(e["Error"]["Code"], "ValidationException")
        self.assertIn("already has an enabled stream", e["Error"]["Message"])
        e = self.client_error(self.ddb.update_table, TableName=name,
                              StreamSpecification={"StreamEnabled": True, "StreamViewType": "KEYS_ONLY"})
        self.assertIn("already has an enabled stream", e["Error"]["Message"])
        e = self.client_error(self.ddb.update_table, TableName=name, StreamSpecification={"StreamEnabled": True})
        self.assertEqual(e["Error"]["Code"], "ValidationException")
        e = self.client_error(lambda: create_table(self.ddb, name + "x", StreamSpecification={"StreamEnabled": True}))
        self.assertEqual(e["Error"]["Code"], "ValidationException")
        create_table(self.ddb, name + "nostream")
        e = self.client_error(self.ddb.update_table, TableName=name + "nostream", StreamSpecification={"StreamEnabled": False})
        self.assertEqual(e["Error"]["Code"], "ValidationException")
        # An unknown Streams operation.
        from ddb_support import raw_call
        status, _, body = raw_call(self.server, "ListStreams", b"{}",
                                   headers={"X-Amz-Target": "DynamoDBStreams_20120810.Nope"})
        self.assertEqual(status, 400)
        self.assertIn("UnknownOperationException", body.decode())

    def test_disable_and_reenable_starts_a_new_stream(self):
        name, arn = self.table()
        self.ddb.put_item(TableName=name, Item={"pk": {"S": "before"}})
        d = self.ddb.update_table(TableName=name, StreamSpecification={"StreamEnabled": False})["TableDescription"]
        self.assertNotIn("StreamSpecification", d)  # as DynamoDB: no StreamSpecification, the ARN stays
        self.assertEqual(d["LatestStreamArn"], arn)
        self.ddb.put_item(TableName=name, Item={"pk": {"S": "while-off"}})
        old = self.streams.describe_stream(StreamArn=arn)["StreamDescription"]
        self.assertEqual(old["StreamStatus"], "DISABLED")
        self.assertIn("EndingSequenceNumber", old["Shards"][0]["SequenceNumberRange"])
        recs, ended = read_shard(self.streams, arn, old["Shards"][0]["ShardId"])
        self.assertTrue(ended)  # a closed shard read to its end has no next iterator
        self.assertEqual([r["dynamodb"]["Keys"]["pk"]["S"] for r in recs], ["before"])
        d = self.ddb.update_table(TableName=name, StreamSpecification={"StreamEnabled": True, "StreamViewType": "KEYS_ONLY"})
        new_arn = d["TableDescription"]["LatestStreamArn"]
        self.assertNotEqual(new_arn, arn)
        self.ddb.put_item(TableName=name, Item={"pk": {"S": "after"}})
        self.assertEqual([r["dynamodb"]["Keys"]["pk"]["S"] for r in self.records(new_arn)], ["after"])
        listed = self.streams.list_streams(TableName=name)["Streams"]
        self.assertEqual(sorted(s["StreamArn"] for s in listed), sorted([arn, new_arn]))
        # Deleting the table leaves its stream readable (retention), disabled.
        self.ddb.delete_table(TableName=name)
        self.assertEqual(self.streams.describe_stream(StreamArn=new_arn)["StreamDescription"]["StreamStatus"], "DISABLED")
        self.assertEqual(len(self.records(new_arn)), 1)

    def test_list_streams_pagination(self):
        arns = {self.table()[1] for _ in range(3)}
        seen, start = [], {}
        while True:
            r = self.streams.list_streams(Limit=1, **start)
            seen += [s["StreamArn"] for s in r["Streams"]]
            self.assertLessEqual(len(r["Streams"]), 1)
            if "LastEvaluatedStreamArn" not in r:
                break
            start = {"ExclusiveStartStreamArn": r["LastEvaluatedStreamArn"]}
        self.assertEqual(len(seen), len(set(seen)))
        self.assertTrue(arns <= set(seen))

    def test_mixed_workload_seen_once_in_order_per_key(self):
        name, arn = self.table(keys=(("pk", "S"), ("sk", "N")))
        rnd = random.Random(16)
        state, expected = {}, {}
        for i in range(150):
            k = (rnd.choice("abcd"), rnd.randrange(5))
            key = {"pk": {"S": k[0]}, "sk": {"N": str(k[1])}}
            op = rnd.choice(["put", "update", "delete", "batch"])
            if op == "delete":
                self.ddb.delete_item(TableName=name, Key=key)
                if k in state:
                    expected.setdefault(k, []).append(("REMOVE", None))
                    del state[k]
                continue
            v = str(i)
            if op == "put":
                self.ddb.put_item(TableName=name, Item={**key, "v": {"N": v}})
            elif op == "update":
                self.ddb.update_item(TableName=name, Key=key, UpdateExpression="SET v = :v",
                                     ExpressionAttributeValues={":v": {"N": v}})
            else:
                self.ddb.batch_write_item(RequestItems={name: [{"PutRequest": {"Item": {**key, "v": {"N": v}}}}]})
            expected.setdefault(k, []).append(("MODIFY" if k in state else "INSERT", v))
            state[k] = v
        got, ids = {}, set()
        for r in self.records(arn):
            self.assertNotIn(r["eventID"], ids)
            ids.add(r["eventID"])
            d = r["dynamodb"]
            k = (d["Keys"]["pk"]["S"], int(d["Keys"]["sk"]["N"]))
            got.setdefault(k, []).append((r["eventName"], d["NewImage"]["v"]["N"] if "NewImage" in d else None))
        self.assertEqual(got, expected)

    def test_endpoint_from_environment(self):
        """AWS_ENDPOINT_URL_DYNAMODB_STREAMS and AWS_ENDPOINT_URL both reach the Streams API."""
        for var in ("AWS_ENDPOINT_URL_DYNAMODB_STREAMS", "AWS_ENDPOINT_URL"):
            env = self.server.client_env()
            del env["AWS_ENDPOINT_URL"]
            env[var] = self.server.endpoint
            code = "import boto3; print(len(boto3.client('dynamodbstreams').list_streams()['Streams']) >= 0)"
            out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=30)
            self.assertEqual(out.stdout.strip(), "True", out.stderr)


class ShardRolloverTest(DdbTestCase):
    server_args = ("--stream-shard-records", "3")

    def test_shards_roll_over_and_a_consumer_follows_lineage(self):
        streams = self.server.boto3_client("dynamodbstreams")
        d = create_table(self.ddb, "roll", StreamSpecification=SPEC)["TableDescription"]
        arn = d["LatestStreamArn"]
        for i in range(8):
            self.ddb.put_item(TableName="roll", Item={"pk": {"S": "k%d" % i}})
        shards = shards_of(streams, arn)
        self.assertEqual(len(shards), 3)
        self.assertNotIn("ParentShardId", shards[0])
        self.assertEqual(shards[1]["ParentShardId"], shards[0]["ShardId"])
        self.assertEqual(shards[2]["ParentShardId"], shards[1]["ShardId"])
        self.assertIn("EndingSequenceNumber", shards[0]["SequenceNumberRange"])
        self.assertNotIn("EndingSequenceNumber", shards[2]["SequenceNumberRange"])
        recs, ended = read_shard(streams, arn, shards[0]["ShardId"])
        self.assertTrue(ended)
        self.assertEqual(len(recs), 3)
        self.assertEqual(recs[-1]["dynamodb"]["SequenceNumber"], shards[0]["SequenceNumberRange"]["EndingSequenceNumber"])
        page = streams.describe_stream(StreamArn=arn, Limit=2)["StreamDescription"]
        self.assertEqual(page["LastEvaluatedShardId"], shards[1]["ShardId"])
        all_recs = read_stream(streams, arn)
        self.assertEqual([r["dynamodb"]["Keys"]["pk"]["S"] for r in all_recs], ["k%d" % i for i in range(8)])


class ShardAgeRolloverTest(DdbTestCase):
    server_args = ("--stream-shard-seconds", "600")

    def test_a_shard_older_than_the_limit_gets_a_child_on_the_next_write(self):
        streams = self.server.boto3_client("dynamodbstreams")
        arn = create_table(self.ddb, "aged", StreamSpecification=SPEC)["TableDescription"]["LatestStreamArn"]
        self.ddb.put_item(TableName="aged", Item={"pk": {"S": "a"}})
        self.ddb.put_item(TableName="aged", Item={"pk": {"S": "b"}})
        self.assertEqual(len(shards_of(streams, arn)), 1)
        status, _, _ = self.server.request("POST", "/_localaws/clock", json.dumps({"advance": "11m"}).encode())
        self.assertEqual(status, 200)
        self.assertEqual(len(shards_of(streams, arn)), 1)  # rollover happens on a write
        self.ddb.put_item(TableName="aged", Item={"pk": {"S": "c"}})
        shards = shards_of(streams, arn)
        self.assertEqual(len(shards), 2)
        self.assertEqual(shards[1]["ParentShardId"], shards[0]["ShardId"])
        self.assertEqual([r["dynamodb"]["Keys"]["pk"]["S"] for r in read_stream(streams, arn)], ["a", "b", "c"])


class ClockTest(DdbTestCase):
    """Iterator expiry, retention and TTL deletions on the emulator clock (its own server)."""

    def clock(self, advance):
        status, _, _ = self.server.request("POST", "/_localaws/clock", json.dumps({"advance": advance}).encode())
        self.assertEqual(status, 200)

    def sweep(self):
        status, _, body = self.server.request("POST", "/_localaws/ttl/run", b"")
        self.assertEqual(status, 200)
        return json.loads(body)

    def test_expiry_retention_and_ttl(self):
        streams = self.server.boto3_client("dynamodbstreams")
        arn = create_table(self.ddb, "clk", StreamSpecification=SPEC)["TableDescription"]["LatestStreamArn"]
        self.ddb.update_time_to_live(TableName="clk", TimeToLiveSpecification={"Enabled": True, "AttributeName": "exp"})
        self.ddb.put_item(TableName="clk", Item={"pk": {"S": "old"}})
        shard = shards_of(streams, arn)[0]["ShardId"]
        it = streams.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        old_seq = streams.get_records(ShardIterator=it)["Records"][0]["dynamodb"]["SequenceNumber"]
        self.clock("16m")
        e = self.client_error(streams.get_records, ShardIterator=it)
        self.assertEqual(e["Error"]["Code"], "ExpiredIteratorException")
        # A TTL deletion: a REMOVE record naming the DynamoDB service.
        self.ddb.put_item(TableName="clk", Item={"pk": {"S": "ttl"}, "exp": {"N": str(int(time.time()) + 17 * 60)}})
        self.clock("1h")
        self.ddb.put_item(TableName="clk", Item={"pk": {"S": "ttl2"}, "exp": {"N": "4000000000"}})
        self.assertEqual(self.sweep()["deletedItems"], 1)
        recs, _ = read_shard(streams, arn, shard)
        rem = [r for r in recs if r["eventName"] == "REMOVE"]
        self.assertEqual(len(rem), 1)
        self.assertEqual(rem[0]["userIdentity"], {"PrincipalId": "dynamodb.amazonaws.com", "Type": "Service"})
        self.assertEqual(rem[0]["dynamodb"]["Keys"], {"pk": {"S": "ttl"}})
        # Written at 0 ("old"), 16m ("ttl"), 76m ("ttl2", the TTL REMOVE); at 24h46m the first two
        # are past the 24-hour retention, the others stay.
        self.clock("23h30m")
        out = self.sweep()
        self.assertEqual(out["trimmedStreamRecords"], 2)
        e = self.client_error(streams.get_shard_iterator, StreamArn=arn, ShardId=shard,
                              ShardIteratorType="AT_SEQUENCE_NUMBER", SequenceNumber=old_seq)
        self.assertEqual(e["Error"]["Code"], "TrimmedDataAccessException")
        recs, _ = read_shard(streams, arn, shard)
        self.assertEqual([r["dynamodb"]["Keys"]["pk"]["S"] for r in recs], ["ttl2", "ttl"])


if __name__ == "__main__":
    unittest.main()
