#!/usr/bin/env python3
"""DynamoDB PutItem and GetItem of ~200-byte items: localaws beside moto_server, same run.

Usage: bench/ddb_items.py [--seconds S] [--procs P] [--localaws PATH]
Each of P client processes keeps one HTTP/1.1 keep-alive connection and sends SigV4-signed
requests (botocore's signer) back to back for S seconds per phase; PutItem writes distinct keys,
GetItem reads them back at random. Reported: requests/s over all processes and p50 / p99 latency
of single requests. The client is Python, so the figures are a floor for the server, and both
servers are driven by the same client.
"""
import argparse
import http.client
import json
import multiprocessing
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

from startup import free_port  # noqa: E402 - bench/ is the script's directory

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class Signer:
    def __init__(self, port):
        from botocore.auth import SigV4Auth
        from botocore.credentials import Credentials
        self.auth = SigV4Auth(Credentials("test", "test"), "dynamodb", "us-east-1")
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def call(self, op, body, target="DynamoDB_20120810"):
        from botocore.awsrequest import AWSRequest
        data = json.dumps(body)
        req = AWSRequest(method="POST", url="http://127.0.0.1:%d/" % self.port, data=data,
                         headers={"X-Amz-Target": target + "." + op,
                                  "Content-Type": "application/x-amz-json-1.0"})
        self.auth.add_auth(req)
        self.conn.request("POST", "/", body=data, headers=dict(req.headers.items()))
        r = self.conn.getresponse()
        out = r.read()
        if r.status != 200:
            raise RuntimeError("%s -> %d %s" % (op, r.status, out[:200]))
        return out


def item(worker, n):
    # ~200 bytes as DynamoDB counts them: names + values.
    return {"pk": {"S": "w%d-item-%08d" % (worker, n)}, "name": {"S": "Coffee shop number %d" % n},
            "city": {"S": "Springfield"}, "rating": {"N": "4.5"}, "visits": {"N": str(n)},
            "tags": {"SS": ["wifi", "quiet", "outdoor"]}, "note": {"S": "x" * 100}}


def ddb_size(it):
    """Item size as DynamoDB counts it: names plus values (numbers: 1 byte per 2 digits, + 1)."""
    n = 0
    for name, v in it.items():
        (t, x), = v.items()
        n += len(name)
        if t == "S":
            n += len(x.encode())
        elif t == "N":
            n += (len(x.replace(".", "").replace("-", "").strip("0")) + 1) // 2 + 1
        elif t == "SS":
            n += sum(len(e.encode()) for e in x)
    return n


def worker(args):
    port, phase, seconds, wid, nkeys = args
    c = Signer(port)
    lat = []
    n = 0
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        t0 = time.perf_counter()
        if phase == "PutItem":
            c.call("PutItem", {"TableName": "bench", "Item": item(wid, n)})
        else:
            k = random.randrange(nkeys)
            c.call("GetItem", {"TableName": "bench", "Key": {"pk": {"S": "w%d-item-%08d" % (wid, k)}}})
        lat.append(time.perf_counter() - t0)
        n += 1
    return lat


def run_phase(port, phase, seconds, procs, nkeys):
    with multiprocessing.Pool(procs) as pool:
        t0 = time.perf_counter()
        res = pool.map(worker, [(port, phase, seconds, w, nkeys) for w in range(procs)])
        wall = time.perf_counter() - t0
    lat = sorted(x for r in res for x in r)
    counts = [len(r) for r in res]
    return {"rps": sum(counts) / seconds, "p50": lat[len(lat) // 2] * 1000, "p99": lat[int(len(lat) * 0.99)] * 1000,
            "min_per_proc": min(counts), "wall": wall}


def wait_up(port, proc):
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            s = socket.create_connection(("127.0.0.1", port), timeout=0.2)
            s.close()
            return
        except OSError:
            if proc.poll() is not None:
                raise SystemExit("server exited")
            time.sleep(0.02)
    raise SystemExit("server did not start")


def run_server(cmd, port, fn):
    """Starts a server, runs fn(port) against it, and stops it."""
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_up(port, p)
        return fn(port)
    finally:
        p.terminate()
        try:
            p.wait(30)
        except subprocess.TimeoutExpired:
            p.kill()


def put_then_get(port, seconds, procs):
    Signer(port).call("CreateTable", {
        "TableName": "bench", "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}]})
    put = run_phase(port, "PutItem", seconds, procs, 0)
    nkeys = max(1, put["min_per_proc"])
    get = run_phase(port, "GetItem", seconds, procs, nkeys)
    return {"PutItem": put, "GetItem": get}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=5)
    ap.add_argument("--procs", type=int, default=4)
    ap.add_argument("--localaws", default=os.path.join(ROOT, "build/release/emulator/localaws"))
    args = ap.parse_args()
    size = ddb_size(item(0, 0))
    tmp = tempfile.mkdtemp(prefix="localaws-bench-")
    try:
        results = {}
        port = free_port()
        bench = lambda p: put_then_get(p, args.seconds, args.procs)  # noqa: E731
        results["localaws"] = run_server([args.localaws, "--port", str(port), "--data-dir", os.path.join(tmp, "data"),
                                          "--log-level", "warn"], port, bench)
        if shutil.which("moto_server"):
            port = free_port()
            results["moto_server"] = run_server(["moto_server", "-p", str(port)], port, bench)
        print("DynamoDB items of %d bytes (DynamoDB item size), %d client processes, %.0f s per phase" % (size, args.procs, args.seconds))
        print("%-12s %-8s %10s %9s %9s" % ("server", "op", "req/s", "p50 ms", "p99 ms"))
        for server, ops in results.items():
            for op, r in ops.items():
                print("%-12s %-8s %10.0f %9.2f %9.2f" % (server, op, r["rps"], r["p50"], r["p99"]))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
