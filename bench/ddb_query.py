#!/usr/bin/env python3
"""DynamoDB Query and Scan: localaws beside moto_server, same run, and Query latency on a table of
1,000 items against one of 1,000,000 (localaws only: loading a million items into moto takes hours).

Usage: bench/ddb_query.py [--seconds S] [--big N] [--localaws PATH]
Query = one partition of 100 items (~200 bytes each), read whole; Scan = pages of Limit 100
following LastEvaluatedKey around the table. One client process, SigV4-signed requests on a
keep-alive connection (see ddb_items.py); req/s, p50 and p99 per request.
"""
import argparse
import json
import multiprocessing
import os
import shutil
import statistics
import sys
import tempfile
import time

from ddb_items import ROOT, Signer, run_server
from startup import free_port


def item(pk, n):
    return {"pk": {"S": pk}, "sk": {"N": str(n)}, "name": {"S": "Coffee shop number %d" % n},
            "city": {"S": "Springfield"}, "rating": {"N": "4.5"}, "tags": {"SS": ["wifi", "quiet"]},
            "note": {"S": "x" * 100}}


def load(port, table, partitions, per_partition, first=0):
    c = Signer(port)
    batch = []
    for p in range(first, first + partitions):
        for n in range(per_partition):
            batch.append({"PutRequest": {"Item": item("p%07d" % p, n)}})
            if len(batch) == 25:
                c.call("BatchWriteItem", {"RequestItems": {table: batch}})
                batch = []
    if batch:
        c.call("BatchWriteItem", {"RequestItems": {table: batch}})


def load_parallel(port, table, partitions, per_partition, procs=4):
    share = partitions // procs
    with multiprocessing.Pool(procs) as pool:
        pool.starmap(load, [(port, table, share, per_partition, i * share) for i in range(procs)])


def timed(fn, seconds):
    lat = []
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        t0 = time.perf_counter()
        fn()
        lat.append(time.perf_counter() - t0)
    lat.sort()
    return {"rps": len(lat) / seconds, "p50": lat[len(lat) // 2] * 1000, "p99": lat[int(len(lat) * 0.99)] * 1000}


def create(c, table):
    c.call("CreateTable", {"TableName": table, "BillingMode": "PAY_PER_REQUEST",
                           "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"},
                                                    {"AttributeName": "sk", "AttributeType": "N"}],
                           "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"},
                                         {"AttributeName": "sk", "KeyType": "RANGE"}]})


def query_and_scan(port, seconds):
    c = Signer(port)
    create(c, "qs-table")
    load(port, "qs-table", 10, 100)
    q = {"TableName": "qs-table", "KeyConditionExpression": "pk = :p", "ExpressionAttributeValues": {":p": {"S": "p0000003"}}}
    assert len(json.loads(c.call("Query", q))["Items"]) == 100
    out = {"Query 100 items": timed(lambda: c.call("Query", q), seconds)}
    state = {"start": None}

    def scan_page():
        req = {"TableName": "qs-table", "Limit": 100}
        if state["start"]:
            req["ExclusiveStartKey"] = state["start"]
        state["start"] = json.loads(c.call("Scan", req)).get("LastEvaluatedKey")

    out["Scan page of 100"] = timed(scan_page, seconds)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=4)
    ap.add_argument("--big", type=int, default=1000000)
    ap.add_argument("--localaws", default=os.path.join(ROOT, "build/release/emulator/localaws"))
    args = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="localaws-bench-")
    try:
        rows = []
        port = free_port()
        la_cmd = [args.localaws, "--port", str(port), "--data-dir", os.path.join(tmp, "qs-table"), "--log-level", "warn"]
        for op, r in run_server(la_cmd, port, lambda p: query_and_scan(p, args.seconds)).items():
            rows.append(("localaws", op, r))
        if shutil.which("moto_server"):
            port = free_port()
            for op, r in run_server(["moto_server", "-p", str(port)], port, lambda p: query_and_scan(p, args.seconds)).items():
                rows.append(("moto_server", op, r))

        def size_scaling(port):
            c = Signer(port)
            res = {}
            for table, partitions in (("small-table", 10), ("big-table", args.big // 100)):
                create(c, table)
                t0 = time.time()
                load_parallel(port, table, partitions, 100)
                load_s = time.time() - t0
                c = Signer(port)  # the first connection idled past the keep-alive timeout
                q = {"TableName": table, "KeyConditionExpression": "pk = :p AND sk BETWEEN :a AND :b",
                     "ExpressionAttributeValues": {":p": {"S": "p%07d" % (partitions // 2)}, ":a": {"N": "10"}, ":b": {"N": "19"}}}
                assert len(json.loads(c.call("Query", q))["Items"]) == 10
                res["Query 10 of %d items" % (partitions * 100)] = timed(lambda: c.call("Query", q), args.seconds)
                res["Query 10 of %d items"  % (partitions * 100)]["load_s"] = load_s
            return res

        port = free_port()
        la_cmd = [args.localaws, "--port", str(port), "--data-dir", os.path.join(tmp, "big"), "--log-level", "warn"]
        for op, r in run_server(la_cmd, port, size_scaling).items():
            rows.append(("localaws", op, r))
        print("%-12s %-28s %9s %8s %8s" % ("server", "operation", "req/s", "p50 ms", "p99 ms"))
        for server, op, r in rows:
            extra = "  (loaded in %.0f s)" % r["load_s"] if "load_s" in r else ""
            print("%-12s %-28s %9.0f %8.2f %8.2f%s" % (server, op, r["rps"], r["p50"], r["p99"], extra))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
