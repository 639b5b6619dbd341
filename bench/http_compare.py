#!/usr/bin/env python3
"""Requests per second and server CPU per request: localaws, moto_server and the trivial
cpp-httplib server (the HTTP floor, bench/floor_server.cc) in one run, with the same wrk load.

Usage: bench/http_compare.py [--localaws PATH] [--floor PATH] [--seconds N] [--connections N]
                             [--only NAME,...] [--skip-moto] [--json OUT]

Each workload of bench/workloads.py is one pre-signed request (SigV4 verified by the servers)
that wrk replays on --connections keep-alive connections from one thread for --seconds. Server
CPU per request is the server process's utime+stime (/proc/PID/stat) over the run divided by the
requests wrk completed. The floor answers every GET with 4 KiB and every POST with `{}`, so it
has figures only for the small workloads. Any non-2xx answer fails the run. Then the footprint:
idle RSS after seeding and peak RSS (VmHWM) under 32 busy connections of signed GETs.
Not part of CI: the machine's noise moves these figures; bench/instructions.py is the repeatable
measure.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import workloads  # noqa: E402

ROOT = os.path.dirname(HERE)
SMALL = {"anon_get_4k", "signed_get_4k", "signed_put_4k", "get_item", "put_item"}
TICK = os.sysconf("SC_CLK_TCK")


def cpu_s(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def lua_script(tmp, name, method, path, headers, body):
    body_file = os.path.join(tmp, name + ".body")
    with open(body_file, "wb") as f:
        f.write(body)
    lines = ['wrk.method = "%s"' % method, "wrk.path = [==[%s]==]" % path]
    for k, v in headers.items():
        if k.lower() in ("host", "content-length"):
            continue
        lines.append("wrk.headers[ [==[%s]==] ] = [==[%s]==]" % (k, v))
    lines.append('local f = io.open([==[%s]==], "rb"); wrk.body = f:read("*a"); f:close()' % body_file)
    path_lua = os.path.join(tmp, name + ".lua")
    with open(path_lua, "w") as f:
        f.write("\n".join(lines) + "\n")
    return path_lua


def run_wrk(endpoint, script, seconds, connections):
    out = subprocess.run(["wrk", "-t1", "-c%d" % connections, "-d%ds" % seconds, "-s", script, endpoint],
                         capture_output=True, text=True, timeout=seconds + 60).stdout
    m = re.search(r"(\d+) requests in ([\d.]+)(\w+)", out)
    if not m:
        raise RuntimeError("wrk output: " + out)
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: (.*)", out)
    return int(m.group(1)), float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)), \
        int(bad.group(1)) if bad else 0, errors.group(1) if errors else ""


def start(cmd, health, env=None):
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                         env=env or workloads.env_without_proxy())
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            urllib.request.urlopen(health, timeout=2).read()
            return p
        except Exception:
            if p.poll() is not None:
                break
            time.sleep(0.05)
    p.kill()
    raise RuntimeError("did not start: " + " ".join(cmd))


def bench_server(label, cmd, health, endpoint, names, args, tmp, seed=True):
    p = start(cmd, health)
    res = {}
    try:
        if seed:
            workloads.seed(endpoint)
        reqs = workloads.requests(endpoint)
        for name in names:  # each server's answer checked once (urllib: moto closes connections)
            m, path, h, b = reqs[name]
            if seed:
                req = urllib.request.Request(endpoint + path, data=b if b else None, method=m,
                                             headers={k: v for k, v in h.items() if k.lower() != "host"})
                try:
                    with urllib.request.urlopen(req, timeout=60) as r:
                        status, body = r.status, r.read()
                except urllib.error.HTTPError as e:
                    status, body = e.code, e.read()
                workloads.expect(name, status, body)
        res["idle_rss_mib"] = workloads.status_kb(p.pid, "VmRSS") / 1024
        for name in names:
            m, path, h, b = reqs[name]
            script = lua_script(tmp, "%s-%s" % (label, name), m, path, h, b)
            c0 = cpu_s(p.pid)
            n, rate, bad, sock = run_wrk(endpoint, script, args.seconds, args.connections)
            cpu = cpu_s(p.pid) - c0
            if bad and label != "moto":
                raise RuntimeError("%s %s: %d non-2xx answers" % (label, name, bad))
            # moto's figures are kept with their error count (its server answers some replays 4xx/5xx).
            res[name] = {"requests": n, "rps": rate, "cpu_us": 1e6 * cpu / max(n, 1), "socket_errors": sock,
                         "non_2xx": bad}
            print("%-10s %-14s %9.0f req/s %8.0f us CPU/request %s%s" % (
                label, name, rate, res[name]["cpu_us"], sock, " %d non-2xx" % bad if bad else ""), flush=True)
        if "signed_get_4k" in reqs:
            m, path, h, b = reqs["signed_get_4k"]
            script = lua_script(tmp, "%s-busy" % label, m, path, h, b)
            run_wrk(endpoint, script, args.seconds, 32)
            res["busy32_hwm_mib"] = workloads.status_kb(p.pid, "VmHWM") / 1024
    finally:
        p.terminate()
        try:
            p.wait(20)
        except subprocess.TimeoutExpired:
            p.kill()
    return res


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--localaws", default=os.path.join(ROOT, "build", "release", "emulator", "localaws"))
    ap.add_argument("--floor", default=os.path.join(ROOT, "build", "release", "bench", "floor_server"))
    ap.add_argument("--seconds", type=int, default=5)
    ap.add_argument("--connections", type=int, default=4)
    ap.add_argument("--only", default="")
    ap.add_argument("--skip-moto", action="store_true")
    ap.add_argument("--json")
    args = ap.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed (apt-get install wrk)")
    names = [n for n, _ in workloads.WORKLOADS]
    if args.only:
        names = [n for n in names if n in args.only.split(",")]
    tmp = tempfile.mkdtemp(prefix="localaws-http-")
    out = {}
    try:
        port = workloads.free_port()
        ep = "http://127.0.0.1:%d" % port
        out["localaws"] = bench_server("localaws", [args.localaws, "--port", str(port), "--log-level", "warn",
                                                    "--data-dir", os.path.join(tmp, "data")],
                                       ep + "/_localaws/health", ep, names, args, tmp)
        port = workloads.free_port()
        ep = "http://127.0.0.1:%d" % port
        out["floor"] = bench_server("floor", [args.floor, "--port", str(port)], ep + "/_localaws/health", ep,
                                    [n for n in names if n in SMALL], args, tmp, seed=False)
        if not args.skip_moto and shutil.which("moto_server"):
            port = workloads.free_port()
            ep = "http://127.0.0.1:%d" % port
            out["moto"] = bench_server("moto", ["moto_server", "-H", "127.0.0.1", "-p", str(port)],
                                       ep + "/moto-api/", ep, names, args, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print()
    print("| workload | localaws req/s | CPU/request | floor req/s | CPU/request | localaws/floor | moto req/s | localaws/moto |")
    print("|---|---|---|---|---|---|---|---|")
    for name, what in workloads.WORKLOADS:
        if name not in out["localaws"]:
            continue
        la, fl, mo = out["localaws"][name], out["floor"].get(name), out.get("moto", {}).get(name)
        print("| %s | %s | %.0f µs | %s | %s | %s | %s | %s |" % (
            what, format(int(la["rps"]), ","), la["cpu_us"],
            format(int(fl["rps"]), ",") if fl else "-", "%.0f µs" % fl["cpu_us"] if fl else "-",
            "%.0f%%" % (100 * la["rps"] / fl["rps"]) if fl else "-",
            (format(int(mo["rps"]), ",") + (" (%d non-2xx)" % mo["non_2xx"] if mo["non_2xx"] else "")) if mo else "-",
            "%.0fx" % (la["rps"] / mo["rps"]) if mo else "-"))
    for label in ("localaws", "floor", "moto"):
        if label in out:
            print("%s: idle RSS %.1f MiB, peak RSS under 32 connections %.1f MiB" % (
                label, out[label]["idle_rss_mib"], out[label].get("busy32_hwm_mib", 0)))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(out, f, indent=1)


if __name__ == "__main__":
    main()
