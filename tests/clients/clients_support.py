"""Shared pieces of the client-compatibility suite: a moto_server to time clients against side by
side, a step timer that prints a localaws/moto table, and the scratch directory for builds."""
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
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
