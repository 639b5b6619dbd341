#!/usr/bin/env python3
"""S3 benchmarks: localaws beside moto_server, same run, same driver.

Usage: bench/s3_bench.py [--localaws PATH] [--small N] [--big-mib N] [--list-keys N]
                         [--moto-list-keys N] [--procs N] [--skip-moto]

- 4 KiB PUT and GET: requests/s over --procs client processes, each on one keep-alive
  connection. Requests are SigV4-signed once per key (the signature of a PUT with
  UNSIGNED-PAYLOAD or of a GET does not change between repeats), so the client costs little
  and the server still verifies every signature.
- 1 GiB PUT and GET: MB/s of one streamed request each way, and the server's peak RSS
  (VmHWM) and the highest VmRSS sampled every 50 ms during the transfer.
- ListObjectsV2: time of a 1000-key page at the start and at the end (start-after the
  last-but-1000 key) of a bucket of --list-keys keys (moto: --moto-list-keys, it is slow to fill).
"""
import argparse
import hashlib
import http.client
import multiprocessing
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request

import botocore.auth
import botocore.awsrequest
import botocore.config
import botocore.credentials

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "bench"))
from workloads import free_port, status_kb  # noqa: E402
CREDS = botocore.credentials.Credentials("test", "test")
MIB = 1024 * 1024




def signed_headers(endpoint, method, path, body=b"", unsigned=False):
    """SigV4 headers for one request: the payload's SHA-256 is signed, or UNSIGNED-PAYLOAD for
    streamed bodies (as SDKs do)."""
    req = botocore.awsrequest.AWSRequest(method=method, url=endpoint + path, data=body)
    if unsigned:
        req.context["client_config"] = botocore.config.Config(s3={"payload_signing_enabled": False})
    botocore.auth.S3SigV4Auth(CREDS, "s3", "us-east-1").add_auth(req)
    return dict(req.headers)


def raw_request(method, path, headers, body=b""):
    lines = ["%s %s HTTP/1.1" % (method, path), "Host: %s" % headers.pop("host", "")]
    for k, v in headers.items():
        lines.append("%s: %s" % (k, v))
    lines.append("Content-Length: %d" % len(body))
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


class Conn:
    """One keep-alive connection that reconnects when the server closes it (moto's Werkzeug
    server answers every request with Connection: close)."""

    def __init__(self, host):
        self.addr = (host.split(":")[0], int(host.split(":")[1]))
        self.sock, self.buf = None, b""

    def roundtrip(self, request):
        if self.sock is None:
            self.sock = socket.create_connection(self.addr)
            self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            self.buf = b""
        self.sock.sendall(request)
        status, self.buf, close = read_response(self.sock, self.buf)
        if close:
            self.close()
        return status

    def close(self):
        if self.sock:
            self.sock.close()
        self.sock = None


def read_response(sock, buf):
    """Reads one HTTP response from sock (buf: leftover bytes). Returns (status, rest, close)."""
    while b"\r\n\r\n" not in buf:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("closed")
        buf += chunk
    head, _, rest = buf.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length, close = 0, False
    for line in head.split(b"\r\n")[1:]:
        k, _, v = line.partition(b":")
        if k.strip().lower() == b"content-length":
            length = int(v.strip())
        if k.strip().lower() == b"connection" and v.strip().lower() == b"close":
            close = True
    # HEAD-less benchmark: every response carries its body.
    while len(rest) < length:
        chunk = sock.recv(max(65536, length - len(rest)))
        if not chunk:
            raise ConnectionError("closed")
        rest += chunk
    return status, rest[length:], close


def small_worker(args):
    endpoint, bucket, proc_id, keys, rounds, method = args
    host = endpoint.split("//")[1]
    body = os.urandom(4096) if method == "PUT" else b""
    reqs = []
    for i in range(keys):
        path = "/%s/small/p%d/k%d" % (bucket, proc_id, i)
        h = signed_headers(endpoint, method, path, body)
        h["host"] = host
        reqs.append(raw_request(method, path, h, body))
    conn = Conn(host)
    n, errors = 0, 0
    t0 = time.perf_counter()
    for _ in range(rounds):
        for r in reqs:
            status = conn.roundtrip(r)
            n += 1
            if status != 200:
                errors += 1
    dt = time.perf_counter() - t0
    conn.close()
    return n, dt, errors


def bench_small(endpoint, bucket, procs, total):
    keys = 50
    rounds = max(1, total // (procs * keys))
    out = {}
    for method in ("PUT", "GET"):
        with multiprocessing.Pool(procs) as pool:
            res = pool.map(small_worker, [(endpoint, bucket, p, keys, rounds, method) for p in range(procs)])
        n = sum(r[0] for r in res)
        errors = sum(r[2] for r in res)
        wall = max(r[1] for r in res)
        out[method] = (n / wall, errors, n)
    return out


class RssSampler:
    def __init__(self, pid):
        self.pid, self.peak, self.stop = pid, 0, threading.Event()
        self.t = threading.Thread(target=self.run, daemon=True)

    def run(self):
        while not self.stop.is_set():
            try:
                self.peak = max(self.peak, status_kb(self.pid, "VmRSS"))
            except OSError:
                return
            time.sleep(0.05)

    def __enter__(self):
        self.t.start()
        return self

    def __exit__(self, *a):
        self.stop.set()
        self.t.join()


def bench_big(endpoint, bucket, pid, mib):
    host = endpoint.split("//")[1]
    path = "/%s/big/object" % bucket
    chunk = os.urandom(MIB)
    size = mib * MIB
    result = {}
    with RssSampler(pid) as s:
        h = signed_headers(endpoint, "PUT", path, unsigned=True)
        conn = http.client.HTTPConnection(host, timeout=600)
        conn.putrequest("PUT", path, skip_host=False, skip_accept_encoding=True)
        for k, v in h.items():
            conn.putheader(k, v)
        conn.putheader("Content-Length", str(size))
        conn.endheaders()
        t0 = time.perf_counter()
        for _ in range(mib):
            conn.send(chunk)
        r = conn.getresponse()
        r.read()
        put_s = time.perf_counter() - t0
        result["put_status"] = r.status
        result["put_mbs"] = size / MIB / put_s
        result["put_rss_kb"] = s.peak
    with RssSampler(pid) as s:
        h = signed_headers(endpoint, "GET", path)
        t0 = time.perf_counter()
        conn.request("GET", path, headers=h)
        r = conn.getresponse()
        got = 0
        while True:
            b = r.read(MIB)
            if not b:
                break
            got += len(b)
        get_s = time.perf_counter() - t0
        result["get_status"] = r.status
        result["get_bytes_ok"] = got == size
        result["get_mbs"] = size / MIB / get_s
        result["get_rss_kb"] = s.peak
    conn.close()
    result["hwm_kb"] = status_kb(pid, "VmHWM")
    return result


def fill_worker(args):
    endpoint, bucket, start, end = args
    host = endpoint.split("//")[1]
    conn = Conn(host)
    for i in range(start, end):
        path = "/%s/list/%08d" % (bucket, i)
        h = signed_headers(endpoint, "PUT", path, b"x")
        h["host"] = host
        status = conn.roundtrip(raw_request("PUT", path, h, b"x"))
        if status != 200:
            raise RuntimeError("fill failed: %d" % status)
    conn.close()
    return end - start


def bench_list(endpoint, bucket, keys, procs):
    step = -(-keys // procs)
    t0 = time.perf_counter()
    with multiprocessing.Pool(procs) as pool:
        pool.map(fill_worker, [(endpoint, bucket, s, min(keys, s + step)) for s in range(0, keys, step)])
    fill_s = time.perf_counter() - t0
    host = endpoint.split("//")[1]
    conn = http.client.HTTPConnection(host, timeout=600)

    def page(start_after):
        # Query values encoded as SDKs send them ('/' as %2F), so the signature matches.
        path = "/%s?list-type=2&max-keys=1000&prefix=list%%2F" % bucket
        if start_after:
            path += "&start-after=" + urllib.parse.quote(start_after, safe="-_.~")
        h = signed_headers(endpoint, "GET", path)
        t = time.perf_counter()
        conn.request("GET", path, headers=h)
        r = conn.getresponse()
        body = r.read()
        dt = time.perf_counter() - t
        assert r.status == 200 and body.count(b"<Key>") == 1000, (r.status, body[:300])
        return dt

    first = statistics.median(page(None) for _ in range(5))
    last = statistics.median(page("list/%08d" % (keys - 1001)) for _ in range(5))
    conn.close()
    return {"keys": keys, "fill_s": fill_s, "first_ms": first * 1000, "last_ms": last * 1000}


def create_bucket(endpoint, bucket):
    h = signed_headers(endpoint, "PUT", "/" + bucket)
    conn = http.client.HTTPConnection(endpoint.split("//")[1], timeout=60)
    conn.request("PUT", "/" + bucket, headers=h)
    r = conn.getresponse()
    r.read()
    conn.close()
    assert r.status == 200, r.status


def wait_up(url, proc):
    for _ in range(3000):
        try:
            with urllib.request.urlopen(url, timeout=1):
                return
        except urllib.error.HTTPError:
            return
        except Exception:  # noqa: BLE001 - not up yet
            if proc.poll() is not None:
                raise RuntimeError("server exited")
            time.sleep(0.01)
    raise RuntimeError("server did not start")


def run_server(name, args, opts, list_keys):
    port = free_port()
    tmp = tempfile.mkdtemp(prefix="s3bench-")
    if name == "localaws":
        cmd = [args.localaws, "--port", str(port), "--data-dir", os.path.join(tmp, "data"), "--log-level", "warn"]
        health = "/_localaws/health"
    else:
        cmd = ["moto_server", "-p", str(port), "-H", "127.0.0.1"]
        health = "/moto-api/"
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    endpoint = "http://127.0.0.1:%d" % port
    try:
        wait_up(endpoint + health, proc)
        res = {"idle_rss_kb": status_kb(proc.pid, "VmRSS")}
        create_bucket(endpoint, "bench")
        res["small"] = bench_small(endpoint, "bench", args.procs, args.small)
        create_bucket(endpoint, "bigbench")
        res["big"] = bench_big(endpoint, "bigbench", proc.pid, args.big_mib)
        create_bucket(endpoint, "listbench")
        res["list"] = bench_list(endpoint, "listbench", list_keys, args.procs)
        return res
    finally:
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
        shutil.rmtree(tmp, ignore_errors=True)


def report(name, r):
    s, b, li = r["small"], r["big"], r["list"]
    print("%-9s 4KiB PUT %7.0f req/s (%d errors)  GET %7.0f req/s (%d errors)" %
          (name, s["PUT"][0], s["PUT"][1], s["GET"][0], s["GET"][1]))
    print("%-9s %d MiB PUT %6.0f MB/s (status %d, RSS peak during %d MB)  GET %6.0f MB/s (bytes ok: %s, RSS peak "
          "during %d MB); VmHWM %d MB; idle RSS %d MB" %
          (name, args.big_mib, b["put_mbs"], b["put_status"], b["put_rss_kb"] // 1024, b["get_mbs"],
           b["get_bytes_ok"], b["get_rss_kb"] // 1024, b["hwm_kb"] // 1024, r["idle_rss_kb"] // 1024))
    print("%-9s ListObjectsV2 1000-key page in a %d-key bucket: first %.1f ms, last %.1f ms (fill %.1f s)" %
          (name, li["keys"], li["first_ms"], li["last_ms"], li["fill_s"]))
    sys.stdout.flush()


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--localaws", default=os.path.join(ROOT, "build/dev/emulator/localaws"))
    ap.add_argument("--small", type=int, default=20000, help="4 KiB requests per method")
    ap.add_argument("--big-mib", type=int, default=1024)
    ap.add_argument("--list-keys", type=int, default=100000)
    ap.add_argument("--moto-list-keys", type=int, default=10000)
    ap.add_argument("--procs", type=int, default=2)
    ap.add_argument("--only", choices=["localaws", "moto"], help="run one server only")
    args = ap.parse_args()
    if args.only != "moto":
        report("localaws", run_server("localaws", args, None, args.list_keys))
    if args.only != "localaws":
        report("moto", run_server("moto", args, None, args.moto_list_keys))
