#!/usr/bin/env python3
"""Instructions per request, counted by valgrind --tool=callgrind (issue 18's budget figures).

Usage: bench/instructions.py [--localaws PATH] [--only NAME,...] [--requests N] [--json OUT]
                             [--keep DIR] [--in-memory] [--floor PATH]

Runs one localaws (a temporary data directory, the default storage) under callgrind, seeds the
workloads' data (bench/workloads.py), and for each workload sends a few warm-up requests, then N
identical pre-signed requests on one keep-alive connection. Each measurement is bracketed by
GET /_localaws/health: callgrind is started with --dump-before on the health handler, so every
health request dumps the counters and zeroes them, and the dump that follows the N requests holds
exactly them (plus the part of one health request before its handler, a few thousand
instructions, which is left in: the figures are upper bounds). All threads are counted.

--floor PATH (build/dev/bench/floor_server) also counts the trivial cpp-httplib server on the
same requests (it answers every GET with 4 KiB and every POST with `{}`): the HTTP floor.

Counts do not move with machine load, so they are the figures budgets are stated in. Run by
hand, not in CI (a full run takes a few minutes: everything runs 50-100x slower under valgrind).
Use a build with optimisation (the dev preset is RelWithDebInfo); --keep DIR keeps the dumps
for callgrind_annotate.
"""
import argparse
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import workloads  # noqa: E402

ROOT = os.path.dirname(HERE)
MARK = "localaws::control::(anonymous namespace)::health(*"
COUNTS = {"list_1000": 20, "query_100": 20, "scan_1000": 5}


def get(url, timeout=600):
    with urllib.request.urlopen(url, timeout=timeout) as r:
        return r.read()


def dumps(outdir):
    return sorted(glob.glob(os.path.join(outdir, "cg.out.*")),
                  key=lambda p: int(p.rsplit(".", 1)[1]) if p.rsplit(".", 1)[1].isdigit() else 0)


def totals(path):
    with open(path) as f:
        for line in f:
            if line.startswith("totals:") or line.startswith("summary:"):
                return int(line.split()[1])
    raise RuntimeError("no totals in " + path)


def wait_for_dump(outdir, before, timeout=120):
    deadline = time.time() + timeout
    while time.time() < deadline:
        d = dumps(outdir)
        if len(d) > before:
            return d
        time.sleep(0.05)
    raise RuntimeError("callgrind wrote no dump")


def measure(cmd, mark, endpoint, names, n_small, outdir, tmp, floor=False):
    """Runs cmd under callgrind, seeds (unless floor), counts each workload: {name: result}."""
    cmd = ["valgrind", "--tool=callgrind", "--dump-before=" + mark,
           "--callgrind-out-file=" + os.path.join(outdir, "cg.out")] + cmd
    log = os.path.join(tmp, "log")
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=open(log, "w"),
                            env=workloads.env_without_proxy())
    results = {}
    try:
        deadline = time.time() + 120
        while True:
            try:
                get(endpoint + "/_localaws/health", timeout=5)
                break
            except Exception:
                if proc.poll() is not None or time.time() > deadline:
                    sys.exit("server did not start: " + open(log).read()[-2000:])
                time.sleep(0.2)
        if not floor:
            workloads.seed(endpoint)
        reqs = workloads.requests(endpoint)
        conn = workloads.Conn(endpoint)
        for name in names:
            m, p, h, b = reqs[name]
            wire = workloads.raw(conn.host, m, p, h, b)
            n = COUNTS.get(name, n_small)
            for _ in range(3):
                status, body = conn.roundtrip(wire)
                if not floor:
                    workloads.expect(name, status, body)
            before = len(dumps(outdir))
            get(endpoint + "/_localaws/health")
            wait_for_dump(outdir, before)
            before = len(dumps(outdir))
            for _ in range(n):
                status, body = conn.roundtrip(wire)
                if status != 200:
                    raise RuntimeError("%s: HTTP %d" % (name, status))
            get(endpoint + "/_localaws/health")
            d = wait_for_dump(outdir, before)
            total = totals(d[-1])
            results[name] = {"requests": n, "instructions": total, "per_request": total // n}
            print("%-6s %-14s %12d instructions / %4d requests = %10d per request"
                  % ("floor" if floor else "", name, total, n, total // n), flush=True)
        conn.close()
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=120)
        except subprocess.TimeoutExpired:
            proc.kill()
    return results


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--localaws", default=os.path.join(ROOT, "build", "dev", "emulator", "localaws"))
    ap.add_argument("--floor", help="the trivial cpp-httplib server (build/dev/bench/floor_server)")
    ap.add_argument("--only", default="")
    ap.add_argument("--requests", type=int, default=200, help="requests per small workload")
    ap.add_argument("--json")
    ap.add_argument("--keep")
    ap.add_argument("--in-memory", action="store_true", help="--in-memory instead of a data dir")
    args = ap.parse_args()
    names = [n for n, _ in workloads.WORKLOADS]
    if args.only:
        names = [n for n in names if n in args.only.split(",")]

    syms = subprocess.run(["nm", "-C", args.localaws], capture_output=True, text=True).stdout
    if "localaws::control::(anonymous namespace)::health(" not in syms:
        sys.exit("the binary has no health handler symbol to mark measurements with")

    tmp = tempfile.mkdtemp(prefix="localaws-instr-")
    outdir = args.keep or os.path.join(tmp, "cg")
    os.makedirs(outdir, exist_ok=True)
    try:
        port = workloads.free_port()
        endpoint = "http://127.0.0.1:%d" % port
        storage = ["--in-memory"] if args.in_memory else ["--data-dir", os.path.join(tmp, "data")]
        results = measure([args.localaws, "--port", str(port), "--log-level", "warn"] + storage,
                          MARK, endpoint, names, args.requests, outdir, tmp)
        floor = {}
        if args.floor:
            fdir = os.path.join(outdir, "floor")
            os.makedirs(fdir, exist_ok=True)
            port = workloads.free_port()
            small = [n for n in names if n not in COUNTS]
            floor = measure([args.floor, "--port", str(port)], "floor_mark",
                            "http://127.0.0.1:%d" % port, small, args.requests, fdir, tmp, floor=True)
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
    print()
    print("| workload | instructions per request |" + (" trivial cpp-httplib |" if floor else ""))
    print("|---|---|" + ("---|" if floor else ""))
    for name, what in workloads.WORKLOADS:
        if name in results:
            extra = ""
            if floor:
                extra = " %s |" % (format(floor[name]["per_request"], ",") if name in floor else "-")
            print("| %s | %s |%s" % (what, format(results[name]["per_request"], ","), extra))
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"localaws": results, "floor": floor}, f, indent=1)


if __name__ == "__main__":
    main()
