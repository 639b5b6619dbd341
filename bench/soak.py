#!/usr/bin/env python3
"""Soak: minutes of mixed S3 and DynamoDB load against one localaws, sampling its memory (VmRSS)
and open file descriptors (/proc/PID/fd) every few seconds, counting requests and errors.
A healthy server shows flat RSS and fd counts after warm-up and no errors.

Usage: bench/soak.py [--minutes 10] [--workers 8] [--interval 5] [--localaws PATH] [--json OUT]
The load: PUT/overwrite/GET/HEAD/DELETE/list of objects from 0 B to 256 KiB, multipart uploads
(2 parts), DynamoDB PutItem/conditional UpdateItem/GetItem/Query/TransactWriteItems/DeleteItem.
Object data and items are kept bounded (a fixed key space), so storage stays steady too.
Not part of CI.
"""
import argparse
import json
import os
import random
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "tests", "integration"))
from localaws_support import LocalAws  # noqa: E402


def proc_stats(pid):
    rss = 0
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                rss = int(line.split()[1])
            if line.startswith("Threads:"):
                threads = int(line.split()[1])
    return rss, len(os.listdir("/proc/%d/fd" % pid)), threads


class Counters:
    def __init__(self):
        self.lock = threading.Lock()
        self.requests = 0
        self.errors = {}

    def ok(self, n=1):
        with self.lock:
            self.requests += n

    def error(self, what):
        with self.lock:
            self.requests += 1
            self.errors[what] = self.errors.get(what, 0) + 1


def s3_worker(srv, w, stop, c):
    import botocore.exceptions
    s3 = srv.boto3_client("s3")
    rng = random.Random(w)
    while not stop.is_set():
        key = "w%d/k%d" % (w, rng.randrange(50))
        op = rng.random()
        try:
            if op < 0.35:
                s3.put_object(Bucket="soak", Key=key, Body=os.urandom(rng.choice([0, 100, 4096, 65536, 262144])))
            elif op < 0.7:
                try:
                    s3.get_object(Bucket="soak", Key=key)["Body"].read()
                except botocore.exceptions.ClientError as e:
                    if e.response["Error"]["Code"] != "NoSuchKey":
                        raise
            elif op < 0.8:
                try:
                    s3.head_object(Bucket="soak", Key=key)
                except botocore.exceptions.ClientError as e:
                    if e.response["Error"]["Code"] != "404":
                        raise
            elif op < 0.88:
                s3.delete_object(Bucket="soak", Key=key)
            elif op < 0.96:
                s3.list_objects_v2(Bucket="soak", Prefix="w%d/" % w, MaxKeys=20)
            else:
                up = s3.create_multipart_upload(Bucket="soak", Key=key)["UploadId"]
                parts = [os.urandom(5 * 1024 * 1024), os.urandom(1000)]
                tags = [s3.upload_part(Bucket="soak", Key=key, UploadId=up, PartNumber=i + 1, Body=p)["ETag"]
                        for i, p in enumerate(parts)]
                s3.complete_multipart_upload(Bucket="soak", Key=key, UploadId=up, MultipartUpload={
                    "Parts": [{"PartNumber": i + 1, "ETag": t} for i, t in enumerate(tags)]})
                c.ok(3)
            c.ok()
        except Exception as e:  # noqa: BLE001 - every failure is counted and reported
            c.error("s3 %s" % type(e).__name__ + (": " + str(e)[:120]))


def ddb_worker(srv, w, stop, c):
    import botocore.exceptions
    ddb = srv.boto3_client("dynamodb")
    rng = random.Random(1000 + w)
    while not stop.is_set():
        pk = "p%d" % rng.randrange(20)
        sk = str(rng.randrange(100))
        op = rng.random()
        try:
            if op < 0.3:
                ddb.put_item(TableName="soak", Item={"pk": {"S": pk}, "sk": {"N": sk}, "n": {"N": "0"},
                                                     "data": {"S": "x" * rng.randrange(1, 3000)}})
            elif op < 0.5:
                try:
                    ddb.update_item(TableName="soak", Key={"pk": {"S": pk}, "sk": {"N": sk}},
                                    UpdateExpression="SET n = n + :one", ConditionExpression="attribute_exists(n)",
                                    ExpressionAttributeValues={":one": {"N": "1"}})
                except botocore.exceptions.ClientError as e:
                    if e.response["Error"]["Code"] != "ConditionalCheckFailedException":
                        raise
            elif op < 0.7:
                ddb.get_item(TableName="soak", Key={"pk": {"S": pk}, "sk": {"N": sk}})
            elif op < 0.85:
                ddb.query(TableName="soak", KeyConditionExpression="pk = :p AND sk > :s",
                          ExpressionAttributeValues={":p": {"S": pk}, ":s": {"N": "50"}}, Limit=25)
            elif op < 0.95:
                try:
                    ddb.transact_write_items(TransactItems=[
                        {"Put": {"TableName": "soak", "Item": {"pk": {"S": pk}, "sk": {"N": "1000"}, "n": {"N": "1"}}}},
                        {"Update": {"TableName": "soak", "Key": {"pk": {"S": pk}, "sk": {"N": "1001"}},
                                    "UpdateExpression": "ADD n :one", "ExpressionAttributeValues": {":one": {"N": "1"}}}}])
                except botocore.exceptions.ClientError as e:
                    if e.response["Error"]["Code"] != "TransactionCanceledException":
                        raise
            else:
                ddb.delete_item(TableName="soak", Key={"pk": {"S": pk}, "sk": {"N": sk}})
            c.ok()
        except Exception as e:  # noqa: BLE001
            c.error("dynamodb %s" % type(e).__name__ + (": " + str(e)[:120]))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--minutes", type=float, default=10)
    ap.add_argument("--workers", type=int, default=8, help="half S3, half DynamoDB")
    ap.add_argument("--interval", type=float, default=5, help="seconds between samples")
    ap.add_argument("--localaws", help="binary (default: LOCALAWS_BIN or build/dev)")
    ap.add_argument("--json", help="write samples and totals to this file")
    args = ap.parse_args()
    if args.localaws:
        os.environ["LOCALAWS_BIN"] = args.localaws
    srv = LocalAws().start()
    try:
        pid = srv.proc.pid
        srv.boto3_client("s3").create_bucket(Bucket="soak")
        srv.boto3_client("dynamodb").create_table(
            TableName="soak", BillingMode="PAY_PER_REQUEST",
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "sk", "AttributeType": "N"}],
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}])
        stop = threading.Event()
        c = Counters()
        n3 = max(1, args.workers // 2)
        threads = [threading.Thread(target=s3_worker, args=(srv, w, stop, c), daemon=True) for w in range(n3)]
        threads += [threading.Thread(target=ddb_worker, args=(srv, w, stop, c), daemon=True)
                    for w in range(max(1, args.workers - n3))]
        for t in threads:
            t.start()
        t0 = time.time()
        end = t0 + args.minutes * 60
        samples = []
        last_req = 0
        print("%7s %10s %9s %5s %8s %7s %6s" % ("t(s)", "requests", "req/s", "fds", "rss(MiB)", "threads", "errors"))
        while time.time() < end:
            time.sleep(min(args.interval, max(0, end - time.time())))
            rss, fds, nthreads = proc_stats(pid)
            with c.lock:
                req, errs = c.requests, sum(c.errors.values())
            s = {"t": round(time.time() - t0, 1), "requests": req, "rss_kb": rss, "fds": fds, "threads": nthreads,
                 "errors": errs}
            samples.append(s)
            print("%7.1f %10d %9.0f %5d %8.1f %7d %6d" % (s["t"], req, (req - last_req) / args.interval, fds,
                                                          rss / 1024, nthreads, errs), flush=True)
            last_req = req
        stop.set()
        for t in threads:
            t.join(60)
        elapsed = time.time() - t0
        status, _, _ = srv.get("/_localaws/health")
        warm = samples[len(samples) // 5:] or samples
        result = {
            "minutes": args.minutes, "workers": args.workers, "requests": c.requests,
            "requests_per_s": round(c.requests / elapsed, 1), "errors": c.errors,
            "rss_mib_after_warmup": [round(min(s["rss_kb"] for s in warm) / 1024, 1),
                                     round(max(s["rss_kb"] for s in warm) / 1024, 1)],
            "fds_after_warmup": [min(s["fds"] for s in warm), max(s["fds"] for s in warm)],
            "health_after": status, "samples": samples,
        }
        print(json.dumps({k: v for k, v in result.items() if k != "samples"}, indent=1))
        if args.json:
            with open(args.json, "w") as f:
                json.dump(result, f, indent=1)
        return 0 if not c.errors and status == 200 else 1
    finally:
        srv.close()


if __name__ == "__main__":
    sys.exit(main())
