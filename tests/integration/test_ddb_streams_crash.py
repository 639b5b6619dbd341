"""Crash safety of DynamoDB Streams: writer threads PutItem / UpdateItem / DeleteItem on a
stream-enabled table while the server is killed with SIGKILL, for a few rounds. After every
restart the stream (read from TRIM_HORIZON across all shards) holds
- a record for every acknowledged write, in the order the writes were acknowledged per key
  (each writer owns its keys);
- no record for a write that was neither acknowledged nor applied: beyond the acknowledged ones,
  at most the one write each writer had in flight, and only when its item change is visible;
- exactly the item state: replaying the records per key gives the items the table holds.

Set SCRASH_SEED to replay a run's random choices."""
import os
import random
import sys
import threading
import time
import unittest

import botocore.exceptions

from ddb_support import create_table
from localaws_support import LocalAws
from test_ddb_streams import read_stream

THREADS = 4
KEYS_PER_THREAD = 3
ROUNDS = 3


class StreamsCrashTest(unittest.TestCase):
    def test_kill9_under_writes(self):
        seed = int(os.environ.get("SCRASH_SEED", time.time_ns() % 2**32))
        print("SCRASH_SEED=%d" % seed, file=sys.stderr)
        rnd = random.Random(seed)
        # Small shards so rollover happens across the crashes too.
        server = LocalAws("--stream-shard-records", "50").start()
        try:
            ddb = server.boto3_client("dynamodb")
            arn = create_table(ddb, "crash", StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"})[
                "TableDescription"]["LatestStreamArn"]
            acked = {}     # key -> [value or None (deleted)] acknowledged, in order
            inflight = {}  # thread -> (key, value) whose answer never came
            counter = [0]
            for rnd_no in range(ROUNDS):
                stop = threading.Event()
                lock = threading.Lock()

                def writer(tid, wrnd):
                    client = server.boto3_client("dynamodb")
                    keys = ["t%d-k%d" % (tid, i) for i in range(KEYS_PER_THREAD)]
                    while not stop.is_set():
                        key = wrnd.choice(keys)
                        with lock:
                            counter[0] += 1
                            v = str(counter[0])
                        delete = wrnd.random() < 0.2
                        value = None if delete else v
                        inflight[tid] = (key, value)
                        try:
                            if delete:
                                client.delete_item(TableName="crash", Key={"pk": {"S": key}})
                            elif wrnd.random() < 0.5:
                                client.put_item(TableName="crash", Item={"pk": {"S": key}, "v": {"N": v}})
                            else:
                                client.update_item(TableName="crash", Key={"pk": {"S": key}}, UpdateExpression="SET v = :v",
                                                   ExpressionAttributeValues={":v": {"N": v}})
                        except (botocore.exceptions.BotoCoreError, botocore.exceptions.ClientError):
                            return  # the server died: the write's outcome is unknown
                        inflight.pop(tid, None)
                        acked.setdefault(key, []).append(value)

                inflight.clear()
                threads = [threading.Thread(target=writer, args=(t, random.Random(rnd.random()))) for t in range(THREADS)]
                for t in threads:
                    t.start()
                time.sleep(0.3 + rnd.random() * 0.7)
                server.kill9()
                stop.set()
                for t in threads:
                    t.join(30)
                server.start()
                ddb = server.boto3_client("dynamodb")
                self.verify(server, ddb, arn, acked, dict(inflight), rnd_no)
        finally:
            server.close()

    def verify(self, server, ddb, arn, acked, inflight, rnd_no):
        streams = server.boto3_client("dynamodbstreams")
        per_key = {}
        for r in read_stream(streams, arn):
            d = r["dynamodb"]
            v = d["NewImage"]["v"]["N"] if r["eventName"] != "REMOVE" else None
            per_key.setdefault(d["Keys"]["pk"]["S"], []).append(v)
        items = {}
        for page in ddb.get_paginator("scan").paginate(TableName="crash", ConsistentRead=True):
            for it in page["Items"]:
                items[it["pk"]["S"]] = it["v"]["N"]
        pending = {k: v for k, v in inflight.values()}
        print("round %d: %d acknowledged writes, %d stream records, %d in flight, %d shards" % (
            rnd_no, sum(len(v) for v in acked.values()), sum(len(v) for v in per_key.values()), len(pending),
            len(streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"])), file=sys.stderr)
        self.assertGreater(sum(len(v) for v in acked.values()), 0, "no write was acknowledged")
        for key in set(acked) | set(per_key) | set(pending):
            want = acked.get(key, [])
            got = per_key.get(key, [])
            # Acknowledged writes that changed nothing (a delete of a missing item) have no record.
            want_changes, cur = [], None
            for v in want:
                if v != cur:
                    want_changes.append(v)
                cur = v
            got_changes = got
            if key in pending and len(got_changes) == len(want_changes) + 1:
                # The in-flight write was applied: its record must be the last and match the item.
                self.assertEqual(got_changes[-1], pending[key], (rnd_no, key))
                got_changes = got_changes[:-1]
            self.assertEqual(got_changes, want_changes, (rnd_no, key, "records vs acknowledged writes"))
            last = got[-1] if got else None
            self.assertEqual(items.get(key), last, (rnd_no, key, "item state vs the stream's last record"))
        # What came back to life is now known: count it as acknowledged for the next round.
        for key, v in pending.items():
            got = per_key.get(key, [])
            if got and got[-1] == v and (not acked.get(key) or acked[key][-1] != v):
                acked.setdefault(key, []).append(v)


if __name__ == "__main__":
    unittest.main()
