#!/usr/bin/env python3
"""Versioned-bucket listing: ListObjectsV2 and ListObjectVersions page time at the start and deep
at the end of a bucket of 1,000,000 versions (flat, no delimiter), localaws beside moto_server in
the same run, same driver.

Usage: bench/s3_versions.py [--localaws PATH] [--versions N] [--per-key N] [--few-keys N]
                            [--moto-minutes M] [--moto-few-minutes M] [--n N] [--page-seconds S]
                            [--procs N] [--pipeline N] [--only localaws|moto] [--skip-few]

Shapes (each in a fresh versioned bucket):
- many keys: --versions / --per-key keys (default 100,000 keys x 10 versions);
- few keys: --few-keys keys sharing --versions versions (default 10 keys x 100,000 versions).
Seeding: --procs client processes (4: more than the 2 cores, as the client waits on the server
most of the time), each on one keep-alive connection, 1-byte bodies, each key's PUT signed once and
re-signed every 1000 requests; --pipeline > 1 keeps that many requests in flight per localaws
connection (HTTP/1.1 pipelining; measured: no faster than 1 here), moto gets one at a time (it
closes every connection). moto cannot take 1,000,000 versions in reasonable time: it is seeded in
the same shape until --moto-minutes have passed (many keys: whole blocks of 100 keys; few keys:
each key gets an equal slice of --moto-few-minutes), and both sizes are reported.
Pages, max-keys 1000, --n fetches each (at least 3, fewer than --n once a page kind has taken
--page-seconds), each signed before its timer starts, one keep-alive connection; median and p90:
- ListObjectsV2 first page, and the last 1000 keys (start-after);
- ListObjectVersions first page; the last 1000 versions (key-marker only); and, for many keys, a
  page starting inside a key (key-marker + version-id-marker); for few keys, the 1000 oldest
  versions of the last key (key-marker + version-id-marker). Each page's entry count, first key
  and IsTruncated are checked against what was written, and a wrong page is reported.
Figures: bench/s3_versions_results.md.
"""
import argparse
import http.client
import multiprocessing
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from s3_bench import ROOT, create_bucket, free_port, raw_request, signed_headers, status_kb, wait_up  # noqa: E402

VERSIONING_ON = (b'<VersioningConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">'
                 b"<Status>Enabled</Status></VersioningConfiguration>")


def key_name(i):
    return "v/%07d" % i


def q(s):
    return urllib.parse.quote(s, safe="-_.~")


class PipeConn:
    """One keep-alive connection that can have several requests in flight (pipelining) and reads
    each response's headers; reconnects when the server closes (moto answers Connection: close)."""

    def __init__(self, endpoint):
        host = endpoint.split("//")[1]
        self.addr = (host.split(":")[0], int(host.split(":")[1]))
        self.sock, self.buf = None, b""

    def open(self):
        if self.sock is None:
            self.sock = socket.create_connection(self.addr)
            self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            self.buf = b""

    def batch(self, requests):
        """Sends the requests back to back, then reads one response each: [(status, headers)]."""
        self.open()
        self.sock.sendall(b"".join(requests))
        out = []
        for _ in requests:
            status, headers, close = self.read()
            out.append((status, headers))
            if close:
                self.close()
                if len(out) < len(requests):
                    raise ConnectionError("server closed a pipelined connection")
        return out

    def read(self):
        while b"\r\n\r\n" not in self.buf:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("closed")
            self.buf += chunk
        head, _, rest = self.buf.partition(b"\r\n\r\n")
        lines = head.split(b"\r\n")
        status = int(lines[0].split(b" ", 2)[1])
        headers = {}
        for line in lines[1:]:
            k, _, v = line.partition(b":")
            headers[k.strip().lower().decode()] = v.strip().decode()
        length = int(headers.get("content-length", "0"))
        while len(rest) < length:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("closed")
            rest += chunk
        self.buf = rest[length:]
        return status, headers, headers.get("connection", "").lower() == "close"

    def close(self):
        if self.sock:
            self.sock.close()
        self.sock = None


def seed_worker(args):
    """Writes keys first..first+nkeys-1 of one bucket, per_key versions each, in creation order,
    until the wall-clock deadline, checked between keys.
    With key_seconds, each key also stops when it has been written for that long (few-keys shape:
    moto's cost per PUT grows with the versions of the key). Returns (versions written,
    {key index: versions written}, {key index: id of the version created at index rec})."""
    endpoint, bucket, first, nkeys, per_key, depth, deadline, rec, key_seconds = args
    host = endpoint.split("//")[1]
    conn = PipeConn(endpoint)
    written, counts, ids = 0, {}, {}
    for i in range(first, first + nkeys):
        if time.time() > deadline:
            break
        key_deadline = time.time() + key_seconds if key_seconds else None
        path = "/%s/%s" % (bucket, q(key_name(i)))
        made = 0
        while made < per_key and not (key_deadline and time.time() > key_deadline):
            # Re-signed every 1000 requests: x-amz-date stays well inside the 15-minute window.
            h = signed_headers(endpoint, "PUT", path, b"x")
            h["host"] = host
            req = raw_request("PUT", path, h, b"x")
            chunk = min(1000 if not key_deadline else 100, per_key - made)
            while chunk > 0:
                n = min(depth, chunk)
                for status, headers in conn.batch([req] * n):
                    if status != 200:
                        raise RuntimeError("seed PUT %s: %d" % (path, status))
                    if made == rec:
                        ids[i] = headers.get("x-amz-version-id")
                    made += 1
                chunk -= n
        written += made
        counts[i] = made
    conn.close()
    return written, counts, ids


def seed(endpoint, bucket, nkeys, per_key, procs, depth, seconds, rec):
    """Seeds keys 0..nkeys-1 in blocks of 100 keys over `procs` processes until done or `seconds`
    passed. Blocks are handed out in ascending order, one per process at a time, and a started
    block is always finished, so the seeded keys are 0..k-1 (the time may overrun by one block).
    Returns (keys seeded, versions, seconds, recorded ids)."""
    block = 100
    deadline = time.time() + seconds
    t0 = time.perf_counter()
    pending, results, nxt = [], [], 0
    with multiprocessing.Pool(procs) as pool:
        for _ in range(10 ** 7):  # bounded: one turn per finished block
            while nxt < nkeys and len(pending) < procs and time.time() < deadline:
                n = min(block, nkeys - nxt)
                pending.append(pool.apply_async(seed_worker, ((endpoint, bucket, nxt, n, per_key, depth, 10 ** 12,
                                                               rec, None),)))
                nxt += n
            if not pending:
                break
            results.append(pending.pop(0).get())
    seeded = sum(len(r[1]) for r in results)
    versions = sum(r[0] for r in results)
    ids = {}
    for r in results:
        ids.update(r[2])
    return seeded, versions, time.perf_counter() - t0, ids


def enable_versioning(endpoint, bucket):
    path = "/%s?versioning" % bucket
    h = signed_headers(endpoint, "PUT", path, VERSIONING_ON)
    conn = http.client.HTTPConnection(endpoint.split("//")[1], timeout=60)
    conn.request("PUT", path, body=VERSIONING_ON, headers=h)
    r = conn.getresponse()
    body = r.read()
    conn.close()
    assert r.status == 200, (r.status, body[:300])


def count_entries(body):
    return {"Key": body.count(b"<Contents>"), "Version": body.count(b"<Version>"),
            "DeleteMarker": body.count(b"<DeleteMarker>")}


def first_key(body):
    m = re.search(rb"<Key>([^<]*)</Key>", body)
    return m.group(1).decode() if m else None


def timed_pages(endpoint, bucket, query, args, expect):
    """--n fetches of GET /bucket?query on one keep-alive connection (fewer, but at least 3, when
    they take longer than --page-seconds in all); returns median and p90 (ms); `expect` =
    (entries, first key, truncated) checks every page."""
    conn = http.client.HTTPConnection(endpoint.split("//")[1], timeout=3600)
    path = "/%s?%s" % (bucket, query)
    lat, problem = [], None
    t0 = time.perf_counter()
    for _ in range(args.n):
        if len(lat) >= 3 and time.perf_counter() - t0 > args.page_seconds:
            break
        h = signed_headers(endpoint, "GET", path)
        t = time.perf_counter()
        conn.request("GET", path, headers=h)
        r = conn.getresponse()
        body = r.read()
        lat.append((time.perf_counter() - t) * 1000)
        c = count_entries(body)
        got = (c["Key"] if "list-type=2" in query else c["Version"] + c["DeleteMarker"], first_key(body),
               b"<IsTruncated>true</IsTruncated>" in body)
        if r.status != 200 or got != expect:
            problem = "status %d, got (entries, first key, truncated) %r, expected %r: %r" % (
                r.status, got, expect, body[:200])
    conn.close()
    lat.sort()
    return {"median": statistics.median(lat), "p90": lat[min(len(lat) - 1, int(round(0.9 * (len(lat) - 1))))],
            "n": len(lat), "problem": problem}


def bench_many(endpoint, bucket, args, seconds):
    """Many keys: --versions / --per-key keys x --per-key versions."""
    create_bucket(endpoint, bucket)
    enable_versioning(endpoint, bucket)
    per = args.per_key
    want_keys = args.versions // per
    rec = 5  # the version created 6th: a version-id-marker with 5 older versions after it
    # Ids are recorded for every key: which key ends up 101st from the end depends on the deadline.
    keys, versions, secs, ids = seed(endpoint, bucket, want_keys, per, args.procs, args.depth, seconds, rec)
    out = {"keys": keys, "versions": versions, "seed_s": secs, "pages": {}}
    if keys < 1101:
        out["problem"] = "only %d keys seeded: too few for pages of 1000" % keys
        return out
    pages = out["pages"]
    pages["V2 first"] = timed_pages(endpoint, bucket, "list-type=2&max-keys=1000", args,
                                    (1000, key_name(0), True))
    pages["V2 last"] = timed_pages(endpoint, bucket,
                                   "list-type=2&max-keys=1000&start-after=" + q(key_name(keys - 1001)),
                                   args, (1000, key_name(keys - 1000), False))
    vpk = 1000 // per
    pages["Versions first"] = timed_pages(endpoint, bucket, "versions&max-keys=1000", args,
                                          (1000, key_name(0), True))
    k = key_name(keys - vpk - 1)
    pages["Versions last (key-marker)"] = timed_pages(endpoint, bucket, "versions&key-marker=%s&max-keys=1000" % q(k),
                                                      args, (1000, key_name(keys - vpk), False))
    vid = ids.get(keys - vpk - 1)
    if vid:
        pages["Versions deep (key+version-id-marker)"] = timed_pages(
            endpoint, bucket, "versions&key-marker=%s&max-keys=1000&version-id-marker=%s" % (q(k), q(vid)), args,
            (1000, k, True))
    return out


def bench_few(endpoint, bucket, args, seconds):
    """Few keys: --few-keys keys sharing --versions versions; with a time budget each key gets an
    equal slice of it (and as many versions as fit)."""
    create_bucket(endpoint, bucket)
    enable_versioning(endpoint, bucket)
    nk = args.few_keys
    per = args.versions // nk
    rec = 1000  # the version created 1001st: 1000 older versions after it
    key_seconds = seconds * args.procs / nk if seconds < 10 ** 6 else None
    t0 = time.perf_counter()
    # Each task is one key: its versions are created in order on one connection.
    with multiprocessing.Pool(args.procs) as pool:
        res = pool.map(seed_worker, [(endpoint, bucket, i, 1, per, args.depth, 10 ** 12, rec, key_seconds)
                                     for i in range(nk)], chunksize=1)
    counts, ids = {}, {}
    for r in res:
        counts.update(r[1])
        ids.update(r[2])
    versions = sum(counts.values())
    out = {"keys": nk, "versions": versions, "seed_s": time.perf_counter() - t0, "pages": {},
           "per_key": (min(counts.values()), max(counts.values()))}
    last = nk - 1
    if counts[last] < 2001 or not ids.get(last):
        out["problem"] = "too few versions per key for the pages (%r)" % (out["per_key"],)
        return out
    pages = out["pages"]
    pages["V2 first"] = timed_pages(endpoint, bucket, "list-type=2&max-keys=1000", args,
                                    (nk, key_name(0), False))
    pages["Versions first"] = timed_pages(endpoint, bucket, "versions&max-keys=1000", args,
                                          (1000, key_name(0), True))
    pages["Versions last (key+version-id-marker)"] = timed_pages(
        endpoint, bucket, "versions&key-marker=%s&max-keys=1000&version-id-marker=%s" % (q(key_name(last)),
                                                                                          q(ids[last])),
        args, (1000, key_name(last), False))
    return out


def start(name, args):
    port = free_port()
    tmp = tempfile.mkdtemp(prefix="s3vbench-")
    if name == "localaws":
        cmd = [args.localaws, "--port", str(port), "--data-dir", os.path.join(tmp, "data"), "--log-level", "warn"]
        health = "/_localaws/health"
    else:
        cmd = ["moto_server", "-p", str(port), "-H", "127.0.0.1"]
        health = "/moto-api/"
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    endpoint = "http://127.0.0.1:%d" % port
    wait_up(endpoint + health, proc)
    return proc, endpoint, tmp


def stop(proc, tmp):
    proc.terminate()
    try:
        proc.wait(30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    shutil.rmtree(tmp, ignore_errors=True)


def run(name, args):
    res = {}
    proc, endpoint, tmp = start(name, args)
    try:
        depth = args.pipeline if name == "localaws" else 1
        args.depth = depth
        budget = 10 ** 6 if name == "localaws" else args.moto_minutes * 60
        res["many"] = bench_many(endpoint, "many", args, budget)
        report_shape(name, "many keys", res["many"])
        if not args.skip_few:
            budget = 10 ** 6 if name == "localaws" else args.moto_few_minutes * 60
            res["few"] = bench_few(endpoint, "few", args, budget)
            report_shape(name, "few keys", res["few"])
        res["rss_kb"] = status_kb(proc.pid, "VmRSS")
        res["hwm_kb"] = status_kb(proc.pid, "VmHWM")
        if name == "localaws":
            res["disk_mb"] = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(tmp) for f in fs) / 1e6
    finally:
        stop(proc, tmp)
    print("%s: server RSS %d MB, VmHWM %d MB%s" % (name, res["rss_kb"] // 1024, res["hwm_kb"] // 1024,
                                                  ", data dir %.0f MB" % res["disk_mb"] if "disk_mb" in res else ""))
    sys.stdout.flush()
    return res


def report_shape(name, shape, r):
    print("%s %s: %d keys, %d versions%s, seeded in %.0f s (%.0f versions/s)" %
          (name, shape, r["keys"], r["versions"],
           " (%d..%d per key)" % r["per_key"] if "per_key" in r else "", r["seed_s"],
           r["versions"] / max(r["seed_s"], 1e-9)))
    if r.get("problem"):
        print("  PROBLEM: %s" % r["problem"])
    for page, p in r["pages"].items():
        print("  %-40s median %8.2f ms  p90 %8.2f ms  (n=%d)%s" %
              (page, p["median"], p["p90"], p["n"], "  WRONG PAGE: " + p["problem"] if p["problem"] else ""))
    sys.stdout.flush()


def machine():
    load = os.getloadavg()
    cpu = platform.processor()
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    mem = status_kb_meminfo()
    commit = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True).stdout.strip()
    dirty = subprocess.run(["git", "-C", ROOT, "status", "--porcelain", "--untracked-files=no"], capture_output=True,
                           text=True).stdout.strip()
    return ("%d x %s, %.0f GB RAM, load average %.2f %.2f %.2f, commit %s%s" %
            (os.cpu_count(), cpu, mem / 1e6, load[0], load[1], load[2], commit,
             " (+ uncommitted changes)" if dirty else ""))


def status_kb_meminfo():
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal:"):
                return int(line.split()[1])
    return 0


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--localaws", default=os.path.join(ROOT, "build/dev/emulator/localaws"))
    ap.add_argument("--versions", type=int, default=1000000)
    ap.add_argument("--per-key", type=int, default=10, help="versions per key, many-keys shape")
    ap.add_argument("--few-keys", type=int, default=10, help="keys of the few-keys shape")
    ap.add_argument("--skip-few", action="store_true")
    ap.add_argument("--moto-minutes", type=float, default=10, help="moto seeding budget, many keys")
    ap.add_argument("--moto-few-minutes", type=float, default=5, help="moto seeding budget, few keys")
    ap.add_argument("--n", type=int, default=21, help="fetches per page")
    ap.add_argument("--page-seconds", type=float, default=60, help="time per page kind before stopping early")
    ap.add_argument("--procs", type=int, default=4, help="seeding client processes")
    ap.add_argument("--pipeline", type=int, default=1, help="requests in flight per connection (localaws)")
    ap.add_argument("--only", choices=["localaws", "moto"])
    args = ap.parse_args()
    print("machine: " + machine())
    print("moto_server %s" % subprocess.run(["python3", "-c", "import moto; print(moto.__version__)"],
                                            capture_output=True, text=True).stdout.strip())
    sys.stdout.flush()
    results = {}
    for name in ("localaws", "moto"):
        if args.only in (None, name):
            results[name] = run(name, args)
    if len(results) == 2:
        for shape in ("many", "few"):
            a, m = results["localaws"].get(shape), results["moto"].get(shape)
            if not a or not m:
                continue
            for page in a["pages"]:
                if page in m["pages"]:
                    print("ratio moto/localaws %s %s: median %.0fx (localaws %d versions, moto %d versions)" %
                          (shape, page, m["pages"][page]["median"] / a["pages"][page]["median"], a["versions"],
                           m["versions"]))
