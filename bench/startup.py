#!/usr/bin/env python3
"""Start-up time to a healthy endpoint and idle memory: localaws beside moto_server, same run.

Usage: bench/startup.py [--runs N] [--localaws PATH] [--floor build/dev/bench/floor_server]
Start-up = from exec() until GET /_localaws/health (moto: GET /moto-api/) answers 200,
polling every 1 ms. Idle RSS = VmRSS of the process 0.5 s after it is healthy.
"""
import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "bench"))
from workloads import free_port  # noqa: E402



def rss_kb(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def wait_healthy(url, proc, timeout=60):
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=1) as r:
                if r.status == 200:
                    return True
        except Exception:  # noqa: BLE001 - not up yet
            pass
        if proc.poll() is not None:
            return False
        time.sleep(0.001)
    return False


def measure(cmd_for_port, health_path, runs):
    times, rss = [], []
    for _ in range(runs):
        port = free_port()
        cmd = cmd_for_port(port)
        t0 = time.perf_counter()
        p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        ok = wait_healthy("http://127.0.0.1:%d%s" % (port, health_path), p)
        t1 = time.perf_counter()
        if not ok:
            p.kill()
            raise SystemExit("did not start: %s" % " ".join(cmd))
        times.append((t1 - t0) * 1000)
        time.sleep(0.5)
        rss.append(rss_kb(p.pid) / 1024)
        p.terminate()
        p.wait(20)
    return statistics.median(times), min(times), statistics.median(rss)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--localaws", default=os.path.join(ROOT, "build/release/emulator/localaws"))
    ap.add_argument("--floor", help="the trivial cpp-httplib server (bench/floor_server.cc)")
    args = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="localaws-bench-")
    try:
        la = measure(lambda port: [args.localaws, "--port", str(port), "--data-dir",
                                   os.path.join(tmp, "d%d" % port), "--log-level", "warn"],
                     "/_localaws/health", args.runs)
        la_mem = measure(lambda port: [args.localaws, "--port", str(port), "--in-memory", "--log-level", "warn"],
                         "/_localaws/health", args.runs)
        rows = [("localaws (disk)", la), ("localaws (--in-memory)", la_mem)]
        if args.floor:
            rows.append(("trivial cpp-httplib", measure(lambda port: [args.floor, "--port", str(port)],
                                                        "/_localaws/health", args.runs)))
        if shutil.which("moto_server"):
            moto = measure(lambda port: ["moto_server", "-H", "127.0.0.1", "-p", str(port)], "/moto-api/",
                           max(3, args.runs // 3))
            rows.append(("moto_server", moto))
        print("%-24s %14s %12s %14s" % ("server", "start median", "start min", "idle RSS"))
        for name, (med, mn, rss) in rows:
            print("%-24s %11.1f ms %9.1f ms %11.1f MB" % (name, med, mn, rss))
        moto = [r for n, r in rows if n == "moto_server"]
        if moto:
            print("moto/localaws: start-up x%.0f, idle memory x%.1f" % (moto[0][0] / la[0], moto[0][2] / la[2]))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
