"""Shared pieces of the client-compatibility suite: a moto_server to time clients against side by
side, a step timer that prints a localaws/moto table, and the scratch directory for builds."""
import hashlib
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tests", "integration"))

from localaws_support import LocalAws  # noqa: E402,F401  (re-exported for the test files)


def work_dir(name):
    """A persistent scratch directory for builds and caches (LOCALAWS_CLIENT_WORK, set by CTest to a
    folder in the build tree), or a fresh temporary one."""
    base = os.environ.get("LOCALAWS_CLIENT_WORK")
    if not base:
        base = os.path.join(tempfile.gettempdir(), "localaws-client-work")
    path = os.path.join(base, name)
    os.makedirs(path, exist_ok=True)
    return path


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Moto:
    """moto_server on a free 127.0.0.1 port, for timing a client against a peer in the same run.
    `available` is False when moto_server is not installed (timings then show "-")."""

    def __init__(self):
        self.proc = None
        self.endpoint = None
        self.available = shutil.which("moto_server") is not None

    def start(self):
        if not self.available:
            return self
        port = free_port()
        self.log = tempfile.TemporaryFile()
        self.proc = subprocess.Popen(["moto_server", "-H", "127.0.0.1", "-p", str(port)],
                                     stdout=self.log, stderr=self.log)
        self.endpoint = "http://127.0.0.1:%d" % port
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                urllib.request.urlopen(self.endpoint + "/moto-api/", timeout=1).read()
                return self
            except Exception:
                if self.proc.poll() is not None:
                    break
                time.sleep(0.1)
        self.available = False
        self.close()
        return self

    def reset(self):
        if self.available:
            req = urllib.request.Request(self.endpoint + "/moto-api/reset", data=b"", method="POST")
            urllib.request.urlopen(req, timeout=10).read()

    def client_env(self, region="us-east-1"):
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        env.update({"AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test", "AWS_DEFAULT_REGION": region,
                    "AWS_REGION": region, "AWS_ENDPOINT_URL": self.endpoint or "",
                    "AWS_CONFIG_FILE": os.devnull, "AWS_SHARED_CREDENTIALS_FILE": os.devnull, "AWS_PAGER": ""})
        return env

    def boto3_client(self, service):
        import boto3
        return boto3.client(service, endpoint_url=self.endpoint, aws_access_key_id="test",
                            aws_secret_access_key="test", region_name="us-east-1")

    def close(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None


class StepTimes:
    """Collects per-step wall times for each target ("localaws", "moto") and prints one table."""

    def __init__(self, title):
        self.title = title
        self.rows = {}   # step -> {target: ms or failure text}
        self.order = []

    def run(self, target, step, fn, *args, **kw):
        """Runs fn, recording its time under (step, target); re-raises its exception."""
        if step not in self.rows:
            self.rows[step] = {}
            self.order.append(step)
        t0 = time.perf_counter()
        try:
            result = fn(*args, **kw)
        except BaseException as e:
            self.rows[step][target] = "failed (%s)" % str(e).strip().splitlines()[-1][:60] if str(e).strip() else "failed"
            raise
        self.rows[step][target] = (time.perf_counter() - t0) * 1000
        return result

    def note(self, target, step, text):
        if step not in self.rows:
            self.rows[step] = {}
            self.order.append(step)
        self.rows[step][target] = text

    def print(self, targets=("localaws", "moto")):
        width = max([len(s) for s in self.order] + [4])
        out = ["", "== %s ==" % self.title, "%-*s  %s" % (width, "step", "  ".join("%14s" % t for t in targets))]
        for step in self.order:
            cells = []
            for t in targets:
                v = self.rows[step].get(t, "-")
                cells.append("%11.1f ms" % v if isinstance(v, float) else "%14s" % v)
            out.append("%-*s  %s" % (width, step, "  ".join(cells)))
        print("\n".join(out), flush=True)


# --- generated file trees (backup and sync clients) ------------------------------------------
MiB = 1024 * 1024


def _tree_content(rng, size):
    """Incompressible bytes for half the files, repetitive text for the other half."""
    if size == 0 or rng.random() < 0.5:
        return rng.randbytes(size)
    line = ("line %d of a compressible file %s\n" % (rng.randrange(10 ** 6), "x" * rng.randrange(40))).encode()
    return (line * (size // len(line) + 1))[:size]


def _tree_size(rng):
    r = rng.random()
    if r < 0.05:
        return 0
    if r < 0.75:
        return rng.randrange(1, 4096)
    if r < 0.96:
        return rng.randrange(4096, 32 * 1024)
    return rng.randrange(32 * 1024, 256 * 1024)


def make_tree(root, count, seed, large=4):
    """Writes `count` files (0 bytes to a few MiB, `large` incompressible ones of 1-3 MiB) in nested directories
    under root, reproducibly from seed; also one empty directory. Returns the relative file paths."""
    rng = random.Random(seed)
    dirs = [""]
    for i in range(max(2, count // 25)):
        parent = rng.choice(dirs)
        if parent.count(os.sep) >= 4:
            parent = ""
        dirs.append(os.path.join(parent, rng.choice(["d%03d" % i, "dir %03d" % i, "répertoire-%03d" % i])))
    for d in dirs:
        os.makedirs(os.path.join(root, d), exist_ok=True)
    os.makedirs(os.path.join(root, "empty dir"), exist_ok=True)
    files = []
    large_ones = set(rng.sample(range(count), large))
    for i in range(count):
        rel = os.path.join(rng.choice(dirs), rng.choice(["f%05d.bin", "file %05d.txt", "données_%05d"]) % i)
        with open(os.path.join(root, rel), "wb") as f:
            if i in large_ones:  # large files are incompressible (photos, archives)
                f.write(rng.randbytes(rng.randrange(1 * MiB, 3 * MiB + 1)))
            else:
                f.write(_tree_content(rng, _tree_size(rng)))
        files.append(rel)
    return files


def mutate_tree(root, files, seed, changes=30, removals=20, additions=40):
    """Rewrites `changes` files (new bytes, sometimes a new size), deletes `removals`, and adds
    `additions` (some in a new directory). Returns (changed, removed, added) relative paths; `files`
    (the list make_tree returned) is updated in place."""
    rng = random.Random(seed)
    picked = rng.sample(files, changes + removals)
    changed, removed = picked[:changes], picked[changes:]
    for rel in changed:
        path = os.path.join(root, rel)
        size = os.path.getsize(path)
        if rng.random() < 0.5:
            size = rng.randrange(0, 64 * 1024)
        with open(path, "wb") as f:
            f.write(b"changed:" + _tree_content(rng, size))
    for rel in removed:
        os.remove(os.path.join(root, rel))
        files.remove(rel)
    os.makedirs(os.path.join(root, "added later", "deeper"), exist_ok=True)
    added = []
    for i in range(additions):
        rel = os.path.join(rng.choice(["added later", os.path.join("added later", "deeper"), ""]), "new-%04d.dat" % i)
        with open(os.path.join(root, rel), "wb") as f:
            f.write(_tree_content(rng, _tree_size(rng)))
        added.append(rel)
        files.append(rel)
    return changed, removed, added


def tree_differences(a, b):
    """Compares two directory trees: the same directories, the same files, byte for byte. Returns a
    list of differences (empty when they match)."""
    def walk(root):
        entries = {}
        for d, subdirs, names in os.walk(root):
            for s in subdirs:
                entries[os.path.relpath(os.path.join(d, s), root)] = "dir"
            for n in names:
                p = os.path.join(d, n)
                entries[os.path.relpath(p, root)] = "link" if os.path.islink(p) else "file"
        return entries
    ea, eb = walk(a), walk(b)
    diffs = ["only in %s: %s" % (a, p) for p in sorted(set(ea) - set(eb))]
    diffs += ["only in %s: %s" % (b, p) for p in sorted(set(eb) - set(ea))]
    for p in sorted(set(ea) & set(eb)):
        if ea[p] != eb[p]:
            diffs.append("%s: %s vs %s" % (p, ea[p], eb[p]))
        elif ea[p] == "file":
            with open(os.path.join(a, p), "rb") as fa, open(os.path.join(b, p), "rb") as fb:
                if fa.read() != fb.read():
                    diffs.append("contents differ: %s" % p)
    return diffs


def drain_requests(server):
    """The calls a LocalAws server journaled since the last drain, oldest first (GET, then DELETE
    /_localaws/requests; the journal keeps the last 1000)."""
    status, _, body = server.get("/_localaws/requests?limit=1000")
    assert status == 200, (status, body[:300])
    server.request("DELETE", "/_localaws/requests")
    return json.loads(body)["requests"]


class RequestCheck:
    """Looks at a LocalAws server's request journal after each step: no call may have had a 5xx
    answer (clients retry those quietly, which would hide a bug); counts calls by operation/status."""

    def __init__(self, server):
        self.server = server
        self.counts = {}
        drain_requests(server)

    def after(self, step):
        calls = drain_requests(self.server)
        bad = [c for c in calls if c["status"] >= 500]
        assert not bad, "%s: localaws answered 5xx: %s" % (step, bad[:5])
        for c in calls:
            key = "%s %d" % (c["operation"], c["status"])
            self.counts[key] = self.counts.get(key, 0) + 1
        return calls

    def summary(self):
        return ", ".join("%s x%d" % kv for kv in sorted(self.counts.items()))


def step_runner(times, target, server=None):
    """run(step, fn): times.run(target, step, fn), then, given the LocalAws `server`, the journal
    check of RequestCheck for that step (run.journal; None for moto)."""
    journal = RequestCheck(server) if server is not None else None

    def run(step, fn):
        result = times.run(target, step, fn)
        if journal:
            journal.after(step)
        return result
    run.journal = journal
    return run


# --- pieces shared by the command-line client tests (aws CLI v2, s3cmd, rclone) ---------------

def debian_env(env):
    """`env` without the pyenv/virtualenv pieces, for Debian's python3 programs (/usr/bin/aws,
    /usr/bin/s3cmd): their shebang is /usr/bin/python3 and they must load Debian's modules."""
    env = {k: v for k, v in env.items()
           if not k.startswith(("PYENV", "PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV"))}
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "/usr/bin:/bin").split(os.pathsep)
                                  if ".pyenv" not in p and "virtualenv" not in p)
    return env


def run(cmd, env=None, timeout=120, check=True, cwd=None, input=None):
    """Runs a client command (text output, bounded); with check, a non-zero exit raises an
    AssertionError that shows the command, its exit code and its output."""
    try:
        p = subprocess.run([str(c) for c in cmd], env=env, cwd=cwd, input=input, capture_output=True,
                           text=True, timeout=timeout)
    except subprocess.TimeoutExpired as e:
        raise AssertionError("%s: timed out after %ss\n%s\n%s" % (" ".join(map(str, cmd)), timeout,
                                                                  e.stdout, e.stderr))
    if check and p.returncode != 0:
        raise AssertionError("%s: exit %d\n--- stdout\n%s\n--- stderr\n%s" % (
            " ".join(map(str, cmd)), p.returncode, p.stdout[-4000:], p.stderr[-4000:]))
    return p


def file_md5(path):
    h = hashlib.md5()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def multipart_etag(data, part_size):
    """The ETag S3 gives an object uploaded in parts of `part_size` bytes (last one shorter)."""
    digests = [hashlib.md5(data[i:i + part_size]).digest() for i in range(0, len(data), part_size)]
    return '"%s-%d"' % (hashlib.md5(b"".join(digests)).hexdigest(), len(digests))


def seeded_bytes(size, seed):
    return random.Random(seed).randbytes(size)


def seeded_file(path, size, seed):
    """A pseudo-random file of `size` bytes from `seed`, written once and reused (a `.md5` file
    beside it records its digest); returns the MD5 hex digest."""
    sidecar = path + ".md5"
    if os.path.exists(path) and os.path.getsize(path) == size and os.path.exists(sidecar):
        with open(sidecar) as f:
            return f.read().strip()
    rng = random.Random(seed)
    h = hashlib.md5()
    with open(path + ".tmp", "wb") as f:
        left = size
        while left:
            block = rng.randbytes(min(left, 8 << 20))
            h.update(block)
            f.write(block)
            left -= len(block)
    os.replace(path + ".tmp", path)
    with open(sidecar, "w") as f:
        f.write(h.hexdigest())
    return h.hexdigest()


def remove_empty_dirs(root):
    """Removes the empty folders under root (S3 keeps no empty folders, so a download has none)."""
    for dirpath, _, _ in sorted(os.walk(root), key=lambda w: -len(w[0])):
        if dirpath != root and not os.listdir(dirpath):
            os.rmdir(dirpath)


def tree_files(root):
    """The sorted relative paths of the files under root."""
    return sorted(os.path.relpath(os.path.join(d, n), root) for d, _, names in os.walk(root) for n in names)


def s3_client(endpoint):
    """A boto3 S3 client (test/test, us-east-1, no retries) for set-up and checks beside a client."""
    import boto3
    import botocore.config
    return boto3.client("s3", endpoint_url=endpoint, aws_access_key_id="test", aws_secret_access_key="test",
                        region_name="us-east-1",
                        config=botocore.config.Config(retries={"max_attempts": 1, "mode": "standard"}))


class Workflow:
    """Runs one client's steps against one target. Against localaws (strict) a failing step fails
    the test, and so does any 5xx in the server's request journal (RequestCheck); against moto the
    failure is recorded in the timing table and the next steps go on (a moto bug is not ours)."""

    def __init__(self, times, target, strict, server=None):
        self.times, self.target, self.strict = times, target, strict
        self.journal = RequestCheck(server) if server is not None else None
        self.failures = []

    def step(self, name, fn, *args, **kw):
        if self.strict:
            result = self.times.run(self.target, name, fn, *args, **kw)
            if self.journal:
                self.journal.after(name)
            return result
        try:
            return self.times.run(self.target, name, fn, *args, **kw)
        except Exception as e:  # moto: noted in the table, not a failure of this test
            self.failures.append((name, e))
            first = next((l.strip() for l in str(e).splitlines() if l.strip()), type(e).__name__)
            self.times.note(self.target, name, "failed (%s)" % first[:60])
            return None

    def report(self):
        """Prints what failed against a non-strict target (moto), one paragraph per step."""
        for name, e in self.failures:
            print("%s: failed at %r: %s" % (self.target, name, str(e).strip()[:1500]), flush=True)


class SideBySide(unittest.TestCase):
    """Base of a client test: one localaws (in memory) and one moto_server for the whole class, and
    side_by_side(), which runs a workflow against localaws (strict) then moto (tolerant) and prints
    the timing table."""
    tmp_prefix = "client-"

    @classmethod
    def setUpClass(cls):
        cls.server = LocalAws(in_memory=True).start()
        cls.moto = Moto().start()
        cls.tmp = tempfile.mkdtemp(prefix=cls.tmp_prefix)

    @classmethod
    def tearDownClass(cls):
        cls.moto.close()
        cls.server.close()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def targets(self):
        """(name, endpoint, strict) of each target: localaws, then moto when it runs."""
        out = [("localaws", self.server.endpoint, True)]
        if self.moto.available:
            out.append(("moto", self.moto.endpoint, False))
        return out

    def side_by_side(self, title, body, targets=None):
        """body(wf, target, endpoint, folder) for each target, with a fresh folder each."""
        times = StepTimes(title)
        flows = []
        failure = None
        try:
            for target, endpoint, strict in targets or self.targets():
                folder = tempfile.mkdtemp(prefix=target + "-", dir=self.tmp)
                wf = Workflow(times, target, strict, self.server if target == "localaws" else None)
                flows.append(wf)
                try:
                    body(wf, target, endpoint, folder)
                except Exception as e:  # a strict target failed: still time the others, then fail
                    failure = failure or e
        finally:
            times.print()
            for wf in flows:
                wf.report()
        if failure:
            raise failure
        return times
