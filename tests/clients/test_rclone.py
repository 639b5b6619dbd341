"""rclone (Debian 1.60) against localaws, beside moto_server, with an S3 remote configured by
environment variables (provider Other, path style): mkdir, sync of 500 generated files (nested,
names with spaces and accents), check (0 differences), copyto of a 200 MiB file up and back with
an MD5 comparison, lsf/lsjson, delete, purge. A second pass uses virtual-hosted addressing with
the endpoint http://s3.localhost:<port>, through a small rewriting HTTP proxy (nothing here
resolves *.localhost, and a client must not ask a DNS server for it).

rclone sends `Expect: 100-Continue` on multipart parts; until localaws answers it each part waits
about a second (the lead is fixing that in the front end): the 200 MiB step is slow until then.
"""
import base64
import datetime
import json
import os
import re
import select
import shutil
import socket
import sys
import tempfile
import threading
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from clients_support import (LocalAws, SideBySide, StepTimes, Workflow, file_md5, make_tree,  # noqa: E402
                             remove_empty_dirs, run, s3_client, seeded_file, tree_differences, tree_files,
                             work_dir)

RCLONE = "/usr/bin/rclone"
MiB = 1024 * 1024
BIG = 200 * MiB


class OriginFormProxy:
    """A forward HTTP proxy on 127.0.0.1 for plain-HTTP requests: it rewrites each request line from
    absolute form (`GET http://b.s3.localhost:P/k HTTP/1.1`) to origin form (`GET /k HTTP/1.1`),
    keeps every header as sent (Host included, so the server sees virtual-hosted requests) and
    relays the bytes to `upstream` (host, port) without resolving any name. One request per
    connection: it adds `Connection: close`, which no client signs."""

    def __init__(self, upstream):
        self.upstream = upstream
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.url = "http://127.0.0.1:%d" % self.sock.getsockname()[1]
        self.requests = 0
        self.hosts = {}  # Host header -> requests
        self.closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while not self.closed:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn):
        up = None
        try:
            conn.settimeout(60)
            head = b""
            while b"\r\n\r\n" not in head:
                chunk = conn.recv(65536)
                if not chunk:
                    return
                head += chunk
                if len(head) > 1 << 20:
                    return
            head, rest = head.split(b"\r\n\r\n", 1)
            lines = head.split(b"\r\n")
            method, target, version = lines[0].split(b" ", 2)
            m = re.match(rb"^http://[^/]+(/.*)?$", target)
            if m:
                target = m.group(1) or b"/"
            headers = [h for h in lines[1:] if not h.lower().startswith((b"connection:", b"proxy-connection:"))]
            self.requests += 1
            host = next((h.split(b":", 1)[1].strip().decode() for h in headers if h.lower().startswith(b"host:")), "")
            self.hosts[host] = self.hosts.get(host, 0) + 1
            up = socket.create_connection(self.upstream, timeout=60)
            up.sendall(b"\r\n".join([b" ".join([method, target, version])] + headers + [b"Connection: close"])
                       + b"\r\n\r\n" + rest)
            socks = [conn, up]
            while socks:
                ready, _, _ = select.select(socks, [], [], 60)
                if not ready:
                    return
                for s in ready:
                    data = s.recv(1 << 20)
                    other = up if s is conn else conn
                    if not data:
                        if s is up:
                            return  # the server answered and closed: done
                        socks.remove(s)
                        up.shutdown(socket.SHUT_WR)
                        continue
                    other.sendall(data)
        except OSError:
            pass
        finally:
            conn.close()
            if up:
                up.close()

    def close(self):
        self.closed = True
        self.sock.close()


class Rclone:
    """rclone with one S3 remote named `r`, configured only by RCLONE_CONFIG_R_* variables."""

    def __init__(self, endpoint, folder, path_style=True, proxy=None):
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("AWS_", "RCLONE_")) and k.lower() not in ("http_proxy", "https_proxy", "no_proxy")}
        conf = os.path.join(folder, "rclone.conf")
        open(conf, "w").close()
        env.update({"RCLONE_CONFIG": conf, "HOME": folder, "RCLONE_CACHE_DIR": os.path.join(folder, "cache"),
                    "RCLONE_CONFIG_R_TYPE": "s3", "RCLONE_CONFIG_R_PROVIDER": "Other",
                    "RCLONE_CONFIG_R_ACCESS_KEY_ID": "test", "RCLONE_CONFIG_R_SECRET_ACCESS_KEY": "test",
                    "RCLONE_CONFIG_R_REGION": "us-east-1", "RCLONE_CONFIG_R_ENDPOINT": endpoint,
                    "RCLONE_CONFIG_R_FORCE_PATH_STYLE": "true" if path_style else "false"})
        if proxy:
            env["HTTP_PROXY"] = env["http_proxy"] = proxy
        self.env = env
        self.cwd = folder

    def __call__(self, *args, check=True, timeout=300):
        # One try each: a refused request must show, not be hidden by rclone's retries.
        p = run([RCLONE, "--retries", "1", "--low-level-retries", "1", "--stats", "0"] + list(args),
                env=self.env, cwd=self.cwd, check=check, timeout=timeout)
        if check:
            errors = [l for l in p.stderr.splitlines() if " ERROR " in l]
            if errors:
                raise AssertionError("rclone %s logged errors:\n%s" % (" ".join(args), "\n".join(errors[:20])))
        return p


def parse_time(text):
    """rclone's RFC 3339 times with up to nanoseconds -> aware datetime (microseconds kept)."""
    m = re.match(r"^(.*T\d\d:\d\d:\d\d)(\.\d+)?(Z|[+-]\d\d:\d\d)$", text)
    frac = (m.group(2) or ".0")[:7]
    return datetime.datetime.fromisoformat(m.group(1) + frac + m.group(3).replace("Z", "+00:00"))


class RcloneTest(SideBySide):
    tmp_prefix = "rclone-"

    @classmethod
    def setUpClass(cls):
        if not os.path.exists(RCLONE):
            raise unittest.SkipTest("rclone is not installed")
        cls.version = run([RCLONE, "version"], timeout=60).stdout.splitlines()[0].strip()
        super().setUpClass()
        cache = work_dir("rclone")
        cls.big = os.path.join(cache, "big-200MiB.bin")
        cls.big_md5 = seeded_file(cls.big, BIG, 2024)
        cls.tree = os.path.join(cls.tmp, "tree")
        make_tree(cls.tree, 500, seed=51, large=0)
        remove_empty_dirs(cls.tree)  # S3 keeps no empty folders
        cls.files = tree_files(cls.tree)
        assert len(cls.files) == 500

    def test_path_style(self):
        self.side_by_side("%s, path style" % self.version, lambda wf, target, endpoint, folder: self.workflow(
            wf, Rclone(endpoint, folder), endpoint, folder, "rclone-path", big=True))

    def test_virtual_hosted(self):
        port = int(self.server.endpoint.rsplit(":", 1)[1])
        proxy = OriginFormProxy(("127.0.0.1", port))
        times = StepTimes("%s, virtual-hosted (http://s3.localhost:%d through a proxy)" % (self.version, port))
        try:
            folder = tempfile.mkdtemp(prefix="vhost-", dir=self.tmp)
            rclone = Rclone("http://s3.localhost:%d" % port, folder, path_style=False, proxy=proxy.url)
            self.workflow(Workflow(times, "localaws", True, self.server), rclone, self.server.endpoint, folder,
                          "rclone-vhost", big=False)
            # Every call went through the proxy, nearly all addressed to the bucket's own host name.
            self.assertGreater(proxy.hosts.get("rclone-vhost.s3.localhost:%d" % port, 0), 500, proxy.hosts)
            self.assertEqual(set(proxy.hosts), {"rclone-vhost.s3.localhost:%d" % port, "s3.localhost:%d" % port})
        finally:
            times.note("moto", "mkdir", "not run (path style only)")
            times.print()
            proxy.close()

    def workflow(self, wf, rclone, endpoint, folder, bucket, big):
        remote = "r:" + bucket

        def mkdir():
            rclone("mkdir", remote)
            self.assertIn(bucket, rclone("lsd", "r:").stdout)

        def sync():
            rclone("sync", self.tree, remote + "/tree", "--transfers", "8", timeout=600)
            listed = rclone("lsf", "-R", "--files-only", remote + "/tree").stdout.splitlines()
            self.assertEqual(sorted(listed), self.files)

        def check():
            p = rclone("check", self.tree, remote + "/tree")
            self.assertRegex(p.stderr, r"NOTICE: .*: 0 differences found")
            self.assertRegex(p.stderr, r"NOTICE: .*: 500 matching files")
            # A changed file is found: check must be able to fail.
            changed = os.path.join(folder, "changed")
            shutil.copytree(self.tree, changed)
            with open(os.path.join(changed, self.files[17]), "ab") as f:
                f.write(b"!")
            p = rclone("check", changed, remote + "/tree", check=False)
            self.assertNotEqual(p.returncode, 0)
            self.assertRegex(p.stderr, r"ERROR : %s: (sizes|md5) differ" % re.escape(self.files[17]))
            self.assertRegex(p.stderr, r"NOTICE: .*: 1 differences found")

        def copy_big():
            if big:
                src, size, md5 = self.big, BIG, self.big_md5
                extra = []
            else:  # a smaller file, still in parts: 3 of 5 MiB
                src = os.path.join(folder, "mid.bin")
                md5 = seeded_file(src, 12 * MiB + 5, 77)
                size = 12 * MiB + 5
                extra = ["--s3-upload-cutoff", "5M", "--s3-chunk-size", "5M"]
            rclone("copyto", src, remote + "/big/file.bin", *extra, timeout=900)
            head = s3_client(endpoint).head_object(Bucket=bucket, Key="big/file.bin")
            self.assertEqual(head["ContentLength"], size)
            parts = -(-size // (5 * MiB))
            self.assertTrue(head["ETag"].endswith('-%d"' % parts), head["ETag"])  # multipart, 5 MiB parts
            self.assertEqual(head["Metadata"].get("md5chksum"), base64.b64encode(
                bytes.fromhex(md5)).decode())
            down = os.path.join(folder, "big.down")
            rclone("copyto", remote + "/big/file.bin", down, timeout=900)
            self.assertEqual(file_md5(down), md5)
            self.assertEqual(rclone("md5sum", remote + "/big").stdout.split(), [md5, "file.bin"])
            os.remove(down)

        def lsf_lsjson():
            out = rclone("lsf", remote).stdout.splitlines()
            self.assertEqual(sorted(out), ["big/", "tree/"])
            entries = json.loads(rclone("lsjson", "-R", "--files-only", remote + "/tree").stdout)
            self.assertEqual(len(entries), 500)
            for e in entries:
                local = os.path.join(self.tree, e["Path"])
                self.assertEqual(e["Size"], os.path.getsize(local), e)
                self.assertEqual(e["Name"], os.path.basename(e["Path"]))
                self.assertFalse(e["IsDir"])
                # rclone keeps the source's mtime in X-Amz-Meta-Mtime and reads it back.
                mtime = datetime.datetime.fromtimestamp(os.stat(local).st_mtime, datetime.timezone.utc)
                self.assertLess(abs((parse_time(e["ModTime"]) - mtime).total_seconds()), 0.001, e)
            dirs = json.loads(rclone("lsjson", remote).stdout)
            self.assertEqual(sorted((d["Path"], d["IsDir"]) for d in dirs), [("big", True), ("tree", True)])

        def delete():
            rclone("delete", remote + "/tree", "--include", "*.bin")
            left = rclone("lsf", "-R", "--files-only", remote + "/tree").stdout.splitlines()
            self.assertEqual(sorted(left), [f for f in self.files if not f.endswith(".bin")])
            self.assertLess(len(left), 500)
            # The rest comes back down intact.
            down = os.path.join(folder, "down")
            rclone("copy", remote + "/tree", down, "--transfers", "8", timeout=600)
            expect = os.path.join(folder, "expect")
            shutil.copytree(self.tree, expect, ignore=shutil.ignore_patterns("*.bin"))
            remove_empty_dirs(expect)
            self.assertEqual(tree_differences(expect, down), [])

        def purge():
            rclone("purge", remote, timeout=600)
            self.assertNotIn(bucket, rclone("lsd", "r:").stdout)
            import botocore.exceptions
            with self.assertRaises(botocore.exceptions.ClientError) as cm:
                s3_client(endpoint).head_bucket(Bucket=bucket)
            self.assertEqual(cm.exception.response["Error"]["Code"], "404")

        for name, fn in [("mkdir", mkdir), ("sync 500 files", sync), ("check (and a changed copy)", check),
                         ("copyto 200 MiB up + down" if big else "copyto 12 MiB up + down", copy_big),
                         ("lsf / lsjson", lsf_lsjson), ("delete *.bin + copy down", delete), ("purge", purge)]:
            wf.step(name, fn)


class RcloneTlsTest(unittest.TestCase):
    """rclone over HTTPS (localaws --tls): the remote's endpoint https://127.0.0.1:PORT and
    `--ca-cert` naming the CA localaws printed; refused without it. A tree of 40 files and a
    12 MiB file in 5 MiB parts go up, are listed and checked, and come back down intact."""

    def test_https_round_trip(self):
        if not os.path.exists(RCLONE):
            raise unittest.SkipTest("rclone is not installed")
        with LocalAws("--tls", in_memory=True) as server:
            self.assertTrue(server.endpoint.startswith("https://"), server.endpoint)
            folder = tempfile.mkdtemp(prefix="rclone-tls-", dir=server.tmp)
            rclone = Rclone(server.endpoint, folder)
            ca = ["--ca-cert", server.ca_bundle]
            remote = "r:rclone-tls"

            # Without the CA the system roots refuse localaws' certificate.
            p = rclone("lsd", "r:", check=False)
            self.assertNotEqual(p.returncode, 0)
            self.assertIn("x509: certificate signed by unknown authority", p.stderr)

            rclone("mkdir", remote, *ca)
            self.assertIn("rclone-tls", rclone("lsd", "r:", *ca).stdout)
            tree = os.path.join(folder, "tree")
            make_tree(tree, 40, seed=61, large=1)
            remove_empty_dirs(tree)
            files = tree_files(tree)
            rclone("copy", tree, remote + "/tree", *ca, timeout=300)
            self.assertEqual(sorted(rclone("lsf", "-R", "--files-only", remote + "/tree", *ca).stdout.splitlines()),
                             files)
            p = rclone("check", tree, remote + "/tree", *ca)
            self.assertRegex(p.stderr, r"NOTICE: .*: 0 differences found")
            self.assertRegex(p.stderr, r"NOTICE: .*: %d matching files" % len(files))

            mid = os.path.join(folder, "mid.bin")
            md5 = seeded_file(mid, 12 * MiB + 5, 78)
            rclone("copyto", mid, remote + "/big/file.bin", "--s3-upload-cutoff", "5M", "--s3-chunk-size", "5M",
                   *ca, timeout=300)
            head = server.boto3_client("s3").head_object(Bucket="rclone-tls", Key="big/file.bin")
            self.assertEqual(head["ContentLength"], 12 * MiB + 5)
            self.assertTrue(head["ETag"].endswith('-3"'), head["ETag"])  # multipart, 5 MiB parts

            down = os.path.join(folder, "down")
            rclone("copy", remote, down, *ca, timeout=300)
            self.assertEqual(file_md5(os.path.join(down, "big", "file.bin")), md5)
            self.assertEqual(tree_differences(tree, os.path.join(down, "tree")), [])


if __name__ == "__main__":
    unittest.main()
