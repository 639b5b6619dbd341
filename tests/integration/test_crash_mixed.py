"""Crash safety across services: kill -9 at random moments under a mixed load of S3 PUTs and
overwrites, multipart uploads, and DynamoDB transactions and conditional writes; restart; every
acknowledged write is present and intact, nothing partial is visible, the accounts' balances
still add up (transactions are all-or-nothing), PRAGMA integrity_check is ok, and no blob file
is left that no row points to. Bounded: ROUNDS rounds, each a few seconds of load."""
import hashlib
import os
import random
import sqlite3
import threading
import time
import unittest

import botocore.config
import botocore.exceptions

from localaws_support import LocalAws

ROUNDS = int(os.environ.get("LOCALAWS_CRASH_ROUNDS", "5"))
ACCOUNTS = 8
START_BALANCE = 1000
MIB = 1024 * 1024


def body_for(name, version, size):
    seed = hashlib.sha256(("%s/%d" % (name, version)).encode()).digest()
    return (seed * (size // len(seed) + 1))[:size]


class Ledger:
    """What the load was told succeeded (acked) and what it attempted without an answer."""

    def __init__(self):
        self.lock = threading.Lock()
        self.objects = {}  # key -> {"acked": (version, sha) or None, "pending": set of sha}
        self.uploads = {}  # key -> {"acked": sha or None, "pending": sha or None}
        self.counters = {}  # counter item -> {"acked": n, "pending": set of n}
        self.transfers_acked = set()
        self.transfers_pending = set()
        self.acked = 0


class Load:
    def __init__(self, srv, ledger, seed):
        self.srv = srv
        self.ledger = ledger
        self.rng = random.Random(seed)
        self.tag = "%08x" % seed  # keeps this round's multipart keys apart from earlier rounds'
        self.stop = threading.Event()
        cfg = dict(connect_timeout=5, read_timeout=30)
        self.s3 = srv.boto3_client("s3", **cfg)
        self.ddb = srv.boto3_client("dynamodb", **cfg)

    # Each worker owns its keys, so per key there is at most one write in flight.
    def s3_worker(self, w):
        version = 0
        while not self.stop.is_set():
            key = "w%d/obj%d" % (w, self.rng.randrange(6))
            version += 1
            data = body_for(key, version, self.rng.choice([0, 1, 1000, 70000, 300000]))
            sha = hashlib.sha256(data).hexdigest()
            with self.ledger.lock:
                e = self.ledger.objects.setdefault(key, {"acked": None, "pending": set()})
                e["pending"].add(sha)
            try:
                self.s3.put_object(Bucket="crash", Key=key, Body=data)
            except Exception:
                return
            with self.ledger.lock:
                e["acked"], e["pending"] = sha, set()
                self.ledger.acked += 1

    def mpu_worker(self, w):
        n = 0
        while not self.stop.is_set():
            n += 1
            key = "mpu/%s-w%d-%d" % (self.tag, w, n)
            parts = [body_for(key, 1, 5 * MIB), body_for(key, 2, self.rng.randrange(1, 200000))]
            sha = hashlib.sha256(b"".join(parts)).hexdigest()
            with self.ledger.lock:
                self.ledger.uploads[key] = {"acked": None, "pending": sha}
            try:
                up = self.s3.create_multipart_upload(Bucket="crash", Key=key)["UploadId"]
                etags = [self.s3.upload_part(Bucket="crash", Key=key, UploadId=up, PartNumber=i + 1,
                                             Body=p)["ETag"] for i, p in enumerate(parts)]
                self.s3.complete_multipart_upload(
                    Bucket="crash", Key=key, UploadId=up,
                    MultipartUpload={"Parts": [{"PartNumber": i + 1, "ETag": t} for i, t in enumerate(etags)]})
            except Exception:
                return
            with self.ledger.lock:
                self.ledger.uploads[key] = {"acked": sha, "pending": None}
                self.ledger.acked += 1

    def transfer_worker(self, w):
        n = 0
        while not self.stop.is_set():
            n += 1
            tx = "tx-%d-%d-%d" % (w, n, self.rng.randrange(1 << 30))
            a, b = self.rng.sample(range(ACCOUNTS), 2)
            amount = self.rng.randrange(1, 50)
            with self.ledger.lock:
                self.ledger.transfers_pending.add(tx)
            try:
                self.ddb.transact_write_items(TransactItems=[
                    {"Update": {"TableName": "bank", "Key": {"id": {"S": "acct%d" % a}},
                                "UpdateExpression": "SET balance = balance - :x",
                                "ConditionExpression": "balance >= :x",
                                "ExpressionAttributeValues": {":x": {"N": str(amount)}}}},
                    {"Update": {"TableName": "bank", "Key": {"id": {"S": "acct%d" % b}},
                                "UpdateExpression": "SET balance = balance + :x",
                                "ExpressionAttributeValues": {":x": {"N": str(amount)}}}},
                    {"Put": {"TableName": "bank", "Item": {"id": {"S": tx}, "amount": {"N": str(amount)}},
                             "ConditionExpression": "attribute_not_exists(id)"}},
                ])
            except botocore.exceptions.ClientError as e:
                if e.response["Error"]["Code"] == "TransactionCanceledException":
                    with self.ledger.lock:
                        self.ledger.transfers_pending.discard(tx)
                    continue
                return
            except Exception:
                return
            with self.ledger.lock:
                self.ledger.transfers_pending.discard(tx)
                self.ledger.transfers_acked.add(tx)
                self.ledger.acked += 1

    def counter_worker(self, w):
        item = "counter%d" % w
        while not self.stop.is_set():
            with self.ledger.lock:
                c = self.ledger.counters.setdefault(item, {"acked": 0, "pending": set()})
                nxt = c["acked"] + 1
                c["pending"].add(nxt)
            try:
                self.ddb.put_item(TableName="bank", Item={"id": {"S": item}, "n": {"N": str(nxt)},
                                                          "pad": {"S": "p" * self.rng.randrange(1, 5000)}},
                                  ConditionExpression="attribute_not_exists(id) OR n = :prev",
                                  ExpressionAttributeValues={":prev": {"N": str(nxt - 1)}})
            except Exception:
                return
            with self.ledger.lock:
                c["acked"], c["pending"] = nxt, set()
                self.ledger.acked += 1

    def run(self):
        targets = [(self.s3_worker, w) for w in range(3)] + [(self.mpu_worker, 0)] + \
                  [(self.transfer_worker, w) for w in range(2)] + [(self.counter_worker, w) for w in range(2)]
        self.threads = [threading.Thread(target=f, args=(w,), daemon=True) for f, w in targets]
        for t in self.threads:
            t.start()

    def join(self):
        self.stop.set()
        for t in self.threads:
            t.join(60)


class CrashMixedTest(unittest.TestCase):
    def test_kill9_under_mixed_load(self):
        rng = random.Random(int(os.environ.get("LOCALAWS_CRASH_SEED", "0")) or None)
        ledger = Ledger()
        srv = LocalAws()
        try:
            srv.start()
            s3 = srv.boto3_client("s3")
            ddb = srv.boto3_client("dynamodb")
            s3.create_bucket(Bucket="crash")
            ddb.create_table(TableName="bank", BillingMode="PAY_PER_REQUEST",
                             AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
                             KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}])
            for i in range(ACCOUNTS):
                ddb.put_item(TableName="bank", Item={"id": {"S": "acct%d" % i}, "balance": {"N": str(START_BALANCE)}})
            for rnd in range(ROUNDS):
                load = Load(srv, ledger, rng.randrange(1 << 30))
                load.run()
                time.sleep(rng.uniform(1.0, 4.0))
                srv.kill9()
                load.join()
                srv.start()
                with self.subTest(round=rnd):
                    self.verify(srv, ledger)
            print("\ncrash rounds survived: %d, acknowledged writes: %d" % (ROUNDS, ledger.acked))
            self.assertGreater(ledger.acked, 0)
        finally:
            srv.stop()
            try:
                self.check_storage(srv.data_dir)
            finally:
                srv.close()

    def verify(self, srv, ledger):
        s3 = srv.boto3_client("s3")
        ddb = srv.boto3_client("dynamodb")
        present = {}
        for page in s3.get_paginator("list_objects_v2").paginate(Bucket="crash"):
            for o in page.get("Contents", []):
                present[o["Key"]] = o["Size"]
        for key, e in ledger.objects.items():
            allowed = ({e["acked"]} if e["acked"] else set()) | e["pending"]
            if key not in present:
                self.assertIsNone(e["acked"], "acknowledged object %s lost" % key)
                continue
            data = s3.get_object(Bucket="crash", Key=key)["Body"].read()
            self.assertEqual(len(data), present[key], key)
            self.assertIn(hashlib.sha256(data).hexdigest(), allowed, "object %s is neither acked nor attempted" % key)
        for key, e in ledger.uploads.items():
            if key not in present:
                self.assertIsNone(e["acked"], "acknowledged multipart object %s lost" % key)
                continue
            data = s3.get_object(Bucket="crash", Key=key)["Body"].read()
            self.assertIn(hashlib.sha256(data).hexdigest(), {e["acked"], e["pending"]}, "partial upload %s" % key)
        items = {}
        for page in ddb.get_paginator("scan").paginate(TableName="bank", ConsistentRead=True):
            for it in page["Items"]:
                items[it["id"]["S"]] = it
        total = sum(int(items["acct%d" % i]["balance"]["N"]) for i in range(ACCOUNTS))
        self.assertEqual(total, ACCOUNTS * START_BALANCE, "a transaction was applied in part")
        for tx in ledger.transfers_acked:
            self.assertIn(tx, items, "acknowledged transaction %s lost" % tx)
        for tx in [k for k in items if k.startswith("tx-")]:
            self.assertIn(tx, ledger.transfers_acked | ledger.transfers_pending, tx)
        for item, c in ledger.counters.items():
            got = int(items[item]["n"]["N"]) if item in items else 0
            self.assertIn(got, {c["acked"]} | c["pending"], "counter %s" % item)
            # What is there now is what the next round builds on.
            c["acked"], c["pending"] = got, set()
        for key, e in ledger.objects.items():
            if key in present:
                e["acked"] = hashlib.sha256(s3.get_object(Bucket="crash", Key=key)["Body"].read()).hexdigest()
            e["pending"] = set()
        ledger.transfers_acked |= {tx for tx in ledger.transfers_pending if tx in items}
        ledger.transfers_pending = set()

    def check_storage(self, data_dir):
        db = sqlite3.connect(os.path.join(data_dir, "localaws.db"))
        try:
            self.assertEqual(db.execute("PRAGMA integrity_check").fetchall(), [("ok",)])
            live = set()
            for (table,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall():
                for col in db.execute("PRAGMA table_info(%s)" % table).fetchall():
                    if "blob" in col[1].lower():
                        live |= {r[0] for r in db.execute("SELECT %s FROM %s" % (col[1], table)) if r[0]}
        finally:
            db.close()
        files = set()
        for root, _, names in os.walk(os.path.join(data_dir, "blobs")):
            files |= set(names)
        self.assertTrue(live, "no blob rows found: the check would prove nothing")
        self.assertEqual(files - live, set(), "orphan blob files")
        self.assertEqual(live - files, set(), "rows pointing to missing blobs")


if __name__ == "__main__":
    unittest.main()
