#!/usr/bin/env python3
"""DynamoDB PutItem throughput with a stream enabled (NEW_AND_OLD_IMAGES) versus disabled, on
localaws and on moto_server, same run, same client (bench/ddb_items.py's signer and items); then
how fast one consumer drains the stream with GetRecords (Limit 1000).

Usage: bench/ddb_streams.py [--seconds S] [--procs P] [--localaws PATH]
Results: bench/ddb_streams_results.md.
"""
import argparse
import json
import os
import shutil
import sys
import tempfile
import time

from ddb_items import ROOT, Signer, ddb_size, item, run_phase, run_server  # noqa: E402 - bench/ is the script's directory
from startup import free_port  # noqa: E402


def streams_call(signer, op, body):
    """A DynamoDBStreams_20120810 call through the DynamoDB signer (same endpoint and signing name)."""
    return json.loads(signer.call(op, body, "DynamoDBStreams_20120810"))


def drain(port):
    """Reads every record of the "bench" table's stream, all shards; returns (records, seconds)."""
    s = Signer(port)
    arn = json.loads(s.call("DescribeTable", {"TableName": "bench"}))["Table"]["LatestStreamArn"]
    t0 = time.perf_counter()
    shards = streams_call(s, "DescribeStream", {"StreamArn": arn})["StreamDescription"]["Shards"]
    n = 0
    for sh in shards:
        it = streams_call(s, "GetShardIterator", {"StreamArn": arn, "ShardId": sh["ShardId"],
                                                  "ShardIteratorType": "TRIM_HORIZON"})["ShardIterator"]
        while it:
            r = streams_call(s, "GetRecords", {"ShardIterator": it, "Limit": 1000})
            n += len(r["Records"])
            if not r["Records"]:
                break
            it = r.get("NextShardIterator")
    return n, time.perf_counter() - t0


def puts(port, seconds, procs, stream):
    table = {"TableName": "bench", "BillingMode": "PAY_PER_REQUEST",
             "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
             "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}]}
    if stream:
        table["StreamSpecification"] = {"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"}
    Signer(port).call("CreateTable", table)
    out = {"PutItem": run_phase(port, "PutItem", seconds, procs, 0)}
    if stream:
        out["drain"] = drain(port)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=5)
    ap.add_argument("--procs", type=int, default=4)
    ap.add_argument("--localaws", default=os.path.join(ROOT, "build/release/emulator/localaws"))
    args = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="localaws-bench-")
    try:
        rows = []
        for stream in (False, True):
            port = free_port()
            data = os.path.join(tmp, "data-%d" % stream)
            r = run_server([args.localaws, "--port", str(port), "--data-dir", data, "--log-level", "warn"], port,
                           lambda p: puts(p, args.seconds, args.procs, stream))
            rows.append(("localaws", stream, r))
            if shutil.which("moto_server"):
                port = free_port()
                r = run_server(["moto_server", "-p", str(port)], port, lambda p: puts(p, args.seconds, args.procs, stream))
                rows.append(("moto_server", stream, r))
        print("PutItem of %d-byte items (DynamoDB item size), %d client processes, %.0f s per phase" % (ddb_size(item(0, 0)), args.procs, args.seconds))
        print("%-12s %-8s %10s %9s %9s %22s" % ("server", "stream", "req/s", "p50 ms", "p99 ms", "drain (records, rec/s)"))
        for server, stream, r in rows:
            p = r["PutItem"]
            d = r.get("drain")
            dtext = "%d, %.0f" % (d[0], d[0] / d[1]) if d else "-"
            print("%-12s %-8s %10.0f %9.2f %9.2f %22s" % (server, "on" if stream else "off", p["rps"], p["p50"], p["p99"], dtext))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
