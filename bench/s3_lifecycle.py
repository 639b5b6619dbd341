#!/usr/bin/env python3
"""Lifecycle sweep over a large bucket: how long POST /_localaws/lifecycle/run takes to expire
--objects objects (default 100,000), and the latency of GET and PUT requests to another bucket
while it runs, beside the same probes with no sweep running (the sweep must not block requests:
it works in write transactions of at most 100 actions).

Usage: bench/s3_lifecycle.py [--localaws PATH] [--objects N] [--procs N] [--versioned]
                             [--baseline-seconds S] [--probe-threads N] [--probe-kinds GET,PUT]
                             [--tmp-dir DIR]

Steps: a fresh server (temporary data dir, real SigV4); the clock frozen at 2030-01-01; --objects
1-byte PUTs to bucket "lcbench" over --procs client processes (each on one keep-alive connection);
an Expiration Days=1 rule; baseline probes for --baseline-seconds; the clock set two days on;
then one sweep while --probe-threads GET and --probe-threads PUT probe threads run on their own
keep-alive connections (each request signed before its timer starts), until the sweep answers
(bounded by a 30-minute timeout). The sweep's own counts are checked: every object expired
(--versioned: a delete marker each) and the bucket lists empty afterwards.
Figures: bench/s3_lifecycle_results.md.
"""
import argparse
import http.client
import json
import multiprocessing
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from s3_bench import ROOT, create_bucket, free_port, raw_request, signed_headers, wait_up  # noqa: E402
from s3_versions import PipeConn, enable_versioning  # noqa: E402

RULES = (b'<LifecycleConfiguration><Rule><ID>expire</ID><Status>Enabled</Status><Filter><Prefix>e/</Prefix>'
         b'</Filter><Expiration><Days>1</Days></Expiration></Rule></LifecycleConfiguration>')


def control(endpoint, path, body=None, timeout=60):
    req = urllib.request.Request(endpoint + path, data=json.dumps(body).encode() if body is not None else b"",
                                 method="POST")
    with urllib.request.urlopen(req, timeout=timeout) as r:
        return json.loads(r.read())


def seed_worker(args):
    endpoint, bucket, first, n = args
    host = endpoint.split("//")[1]
    conn = PipeConn(endpoint)
    batch = []
    for i in range(first, first + n):
        path = "/%s/e/%07d" % (bucket, i)
        h = signed_headers(endpoint, "PUT", path, b"x")
        h["host"] = host
        batch.append(raw_request("PUT", path, h, b"x"))
        if len(batch) == 50 or i == first + n - 1:
            for status, _ in conn.batch(batch):
                if status != 200:
                    raise RuntimeError("seed PUT: %d" % status)
            batch = []
    conn.close()
    return n


def seed(endpoint, bucket, total, procs):
    block = 1000
    jobs = [(endpoint, bucket, i, min(block, total - i)) for i in range(0, total, block)]
    t0 = time.perf_counter()
    with multiprocessing.Pool(procs) as pool:
        done = sum(pool.map(seed_worker, jobs))
    return done, time.perf_counter() - t0


def put_rules(endpoint, bucket):
    import base64
    import hashlib
    path = "/%s?lifecycle" % bucket
    h = signed_headers(endpoint, "PUT", path, RULES)
    h["Content-MD5"] = base64.b64encode(hashlib.md5(RULES).digest()).decode()
    conn = http.client.HTTPConnection(endpoint.split("//")[1], timeout=60)
    conn.request("PUT", path, body=RULES, headers=h)
    r = conn.getresponse()
    body = r.read()
    conn.close()
    assert r.status == 200, (r.status, body[:300])


class Probe(threading.Thread):
    """GETs one object, or PUTs new small objects, back to back until stopped; records latencies."""

    def __init__(self, endpoint, kind, tag):
        super().__init__(daemon=True)
        self.endpoint, self.kind, self.tag = endpoint, kind, tag
        self.lat, self.errors = [], 0
        self.stop = threading.Event()

    def run(self):
        host = self.endpoint.split("//")[1]
        conn = PipeConn(self.endpoint)
        n = 0
        while not self.stop.is_set() and n < 10 ** 7:  # bounded
            if self.kind == "GET":
                path, body = "/probebench/fixed", b""
            else:
                path, body = "/probebench/%s-%d" % (self.tag, n), b"y" * 100
            h = signed_headers(self.endpoint, self.kind, path, body)
            h["host"] = host
            req = raw_request(self.kind, path, h, body)
            t0 = time.perf_counter()
            status, _ = conn.batch([req])[0]
            self.lat.append((time.perf_counter() - t0) * 1000)
            if status != 200:
                self.errors += 1
            n += 1
        conn.close()


def run_probes(endpoint, threads, tag, until, kinds=("GET", "PUT")):
    """Runs probes until until() returns (it is called in this thread); returns {kind: latencies}."""
    probes = [Probe(endpoint, k, "%s%d" % (tag, i)) for i in range(threads) for k in kinds]
    for p in probes:
        p.start()
    t0 = time.perf_counter()
    result = until()
    wall = time.perf_counter() - t0
    for p in probes:
        p.stop.set()
    for p in probes:
        p.join(60)
    out = {}
    for k in ("GET", "PUT"):
        lat = sorted(x for p in probes if p.kind == k for x in p.lat)
        errors = sum(p.errors for p in probes if p.kind == k)
        out[k] = lat, errors
    return result, wall, out


def summary(lat):
    if not lat:
        return "no requests"
    p = lambda q: lat[min(len(lat) - 1, int(q * len(lat)))]  # noqa: E731
    return "n=%d p50=%.2f p99=%.2f max=%.2f ms" % (len(lat), statistics.median(lat), p(0.99), lat[-1])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--localaws", default=os.path.join(ROOT, "build/dev/emulator/localaws"))
    ap.add_argument("--objects", type=int, default=100000)
    ap.add_argument("--procs", type=int, default=4)
    ap.add_argument("--versioned", action="store_true")
    ap.add_argument("--baseline-seconds", type=float, default=5)
    ap.add_argument("--probe-threads", type=int, default=1)
    ap.add_argument("--tmp-dir", default=None, help="where the data dir goes (default: the system temp dir)")
    ap.add_argument("--probe-kinds", default="GET,PUT", help="which probes run (GET, PUT or both)")
    a = ap.parse_args()

    tmp = tempfile.mkdtemp(dir=a.tmp_dir)
    port = free_port()
    endpoint = "http://127.0.0.1:%d" % port
    # A long interval: only the sweep this script asks for runs.
    proc = subprocess.Popen([a.localaws, "--port", str(port), "--data-dir", os.path.join(tmp, "data"),
                             "--lifecycle-interval", "86400"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_up(endpoint + "/_localaws/health", proc)
        print("localaws %s, %s, %d cores, data dir in %s" % (a.localaws, platform.platform(), os.cpu_count(),
                                                              os.path.dirname(tmp)))
        control(endpoint, "/_localaws/clock", {"set": "2030-01-01T00:00:00Z", "freeze": True})
        create_bucket(endpoint, "lcbench")
        create_bucket(endpoint, "probebench")
        if a.versioned:
            enable_versioning(endpoint, "lcbench")
        h = signed_headers(endpoint, "PUT", "/probebench/fixed", b"z" * 100)
        conn = http.client.HTTPConnection(endpoint.split("//")[1])
        conn.request("PUT", "/probebench/fixed", body=b"z" * 100, headers=h)
        assert conn.getresponse().status == 200
        conn.close()
        n, secs = seed(endpoint, "lcbench", a.objects, a.procs)
        print("seeded %d objects in %.1f s (%.0f PUT/s)%s" % (n, secs, n / secs, " versioned" if a.versioned else ""))
        put_rules(endpoint, "lcbench")

        kinds = tuple(a.probe_kinds.split(","))
        _, wall, base = run_probes(endpoint, a.probe_threads, "base", lambda: time.sleep(a.baseline_seconds), kinds)
        print("baseline (no sweep, %.1f s):" % wall)
        for k in ("GET", "PUT"):
            print("  %s %s errors=%d" % (k, summary(base[k][0]), base[k][1]))

        control(endpoint, "/_localaws/clock", {"set": "2030-01-03T00:00:00Z", "freeze": True})
        out, wall, during = run_probes(endpoint, a.probe_threads, "sweep",
                                       lambda: control(endpoint, "/_localaws/lifecycle/run", timeout=1800), kinds)
        acted = out["deleteMarkersAdded"] if a.versioned else out["expiredObjectsDeleted"]
        print("sweep: %d %s in %.2f s wall (sweep's own durationMs %.0f, %d batches)" % (
            acted, "delete markers added" if a.versioned else "objects expired", wall, out["durationMs"],
            out["batches"]))
        print("during the sweep:")
        for k in ("GET", "PUT"):
            print("  %s %s errors=%d" % (k, summary(during[k][0]), during[k][1]))
        if acted < a.objects:
            print("WRONG: expected %d actions on lcbench" % a.objects)
            sys.exit(1)
        h = signed_headers(endpoint, "GET", "/lcbench?list-type=2&max-keys=1")
        conn = http.client.HTTPConnection(endpoint.split("//")[1])
        conn.request("GET", "/lcbench?list-type=2&max-keys=1", headers=h)
        body = conn.getresponse().read()
        conn.close()
        if b"<KeyCount>0</KeyCount>" not in body:
            print("WRONG: lcbench still lists objects: %s" % body[:300])
            sys.exit(1)
        print("checked: lcbench lists no objects")
    finally:
        proc.terminate()
        proc.wait(30)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
