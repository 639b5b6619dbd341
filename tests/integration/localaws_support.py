"""Start a real localaws binary for integration tests and point real clients at it.

Each LocalAws() is an isolated server: port 0 (a free port), its own temporary data directory
(or --in-memory), credentials test/test, and an environment for child processes (the aws CLI)
that never reads the user's ~/.aws files.
"""
import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.request

# Set by tests/CMakeLists.txt for the asan preset.
SANITIZED = os.environ.get("LOCALAWS_SANITIZED", "0") != "0"
_CHECKED_BINARIES = set()
SANITIZER_MARKERS = ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:",
                     "SUMMARY: UndefinedBehaviorSanitizer")

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def localaws_bin():
    b = os.environ.get("LOCALAWS_BIN")
    if b:
        return b
    for cand in ("build/dev/emulator/localaws", "build/release/emulator/localaws", "build/asan/emulator/localaws"):
        p = os.path.join(ROOT, cand)
        if os.path.exists(p):
            return p
    raise RuntimeError("set LOCALAWS_BIN to the localaws binary")


# The aws CLI v1 (pyenv's, first on PATH) and v2 (Debian's awscli package).
AWS_CLIS = [("v1", "aws"), ("v2", "/usr/bin/aws")]


class LocalAws:
    def __init__(self, *args, in_memory=False, data_dir=None, accounts=None, env=None):
        self.tmp = tempfile.mkdtemp(prefix="localaws-test-")
        self.data_dir = data_dir or os.path.join(self.tmp, "data")
        self.args = list(args)
        self.in_memory = in_memory
        self.accounts = accounts
        self.extra_env = env or {}
        self.proc = None
        self.endpoint = None
        self.endpoints = []
        self.https_endpoint = None
        self.ca_bundle = None
        self.log_path = os.path.join(self.tmp, "server.log")

    def start(self):
        ready = os.path.join(self.tmp, "ready")
        if os.path.exists(ready):
            os.remove(ready)
        cmd = [localaws_bin(), "--port", "0", "--ready-file", ready]
        if "--log-level" not in self.args:
            cmd += ["--log-level", "info"]
        cmd += ["--in-memory"] if self.in_memory else ["--data-dir", self.data_dir]
        if self.accounts is not None:
            path = os.path.join(self.tmp, "accounts.json")
            with open(path, "w") as f:
                json.dump(self.accounts, f)
            cmd += ["--accounts", path]
        cmd += self.args
        if getattr(self, "log", None):
            self.log.close()  # a restart (after stop or kill9) reopens it
        self.log = open(self.log_path, "ab")
        env = dict(os.environ)
        env.update(self.extra_env)
        self.proc = subprocess.Popen(cmd, stdout=self.log, stderr=self.log, env=env)
        deadline = time.time() + 20
        while time.time() < deadline:
            if os.path.exists(ready):
                with open(ready) as f:
                    # One endpoint a line: with --tls-port, HTTP first and HTTPS second.
                    self.endpoints = f.read().split()
                self.endpoint = self.endpoints[0] if self.endpoints else None
                self.https_endpoint = next((e for e in self.endpoints if e.startswith("https://")), None)
                self.ca_bundle = self.tls_ca_from_log()
                if self.endpoint:
                    self.check_sanitizer_environment()
                    return self
            if self.proc.poll() is not None:
                raise RuntimeError("localaws exited with %s:\n%s" % (self.proc.returncode, self.read_log()))
            time.sleep(0.01)
        raise RuntimeError("localaws did not become ready:\n" + self.read_log())

    def check_sanitizer_environment(self):
        """A sanitized binary must run with the sanitizer environment (LOCALAWS_SANITIZED=1 and
        the ASAN_OPTIONS tests/CMakeLists.txt sets) and a plain one without: otherwise a sanitizer
        run would not really be one. Asked once per binary (its /_localaws/health says)."""
        if localaws_bin() in _CHECKED_BINARIES:
            return
        with self.urlopen(self.endpoint + "/_localaws/health") as r:
            sanitized = json.loads(r.read())["sanitized"]
        if sanitized != SANITIZED or (sanitized and "halt_on_error=1" not in os.environ.get("ASAN_OPTIONS", "")):
            self.stop()
            raise AssertionError("localaws binary %s is %s, but LOCALAWS_SANITIZED=%r ASAN_OPTIONS=%r"
                                 % (localaws_bin(), "sanitized" if sanitized else "not sanitized",
                                    os.environ.get("LOCALAWS_SANITIZED"), os.environ.get("ASAN_OPTIONS")))
        _CHECKED_BINARIES.add(localaws_bin())

    def tls_ca_from_log(self):
        """The CA path of the "TLS CA: <path> (AWS_CA_BUNDLE=...)" start-up line, or None."""
        found = None  # the last start's (the log is appended to across restarts)
        for line in self.read_log(limit=None).splitlines():
            if " TLS CA: " in line:
                found = line.split(" TLS CA: ", 1)[1].split(" (AWS_CA_BUNDLE=")[0]
        return found

    def urlopen(self, req, timeout=30):
        """urllib.request.urlopen, trusting this server's CA for https."""
        import ssl
        ctx = ssl.create_default_context(cafile=self.ca_bundle) if self.ca_bundle else None
        return urllib.request.urlopen(req, timeout=timeout, context=ctx)

    def read_log(self, limit=5000):
        try:
            with open(self.log_path, "rb") as f:
                text = f.read().decode("utf-8", "replace")
                return text if limit is None else text[-limit:]
        except OSError:
            return ""

    def stop(self, sig=signal.SIGTERM):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                # A sanitized server checks for leaks on exit, which takes a moment.
                self.proc.wait(60 if SANITIZED else 10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None
        self.check_sanitizers()

    def check_sanitizers(self):
        """Fails the calling test when the server's log holds an ASan/UBSan/LSan report (the
        asan build aborts on the first one, so a request may only have seen a closed socket)."""
        log = self.read_log(limit=None)
        for marker in SANITIZER_MARKERS:
            i = log.find(marker)
            if i >= 0:
                raise AssertionError("sanitizer report in the localaws log:\n" + log[max(0, i - 200):i + 6000])

    def kill9(self):
        self.stop(signal.SIGKILL)

    def close(self):
        try:
            self.stop()
        finally:
            if getattr(self, "log", None):
                self.log.close()
            shutil.rmtree(self.tmp, ignore_errors=True)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.close()

    # --- clients -------------------------------------------------------------------------
    def client_env(self, access_key="test", secret_key="test", region="us-east-1"):
        """Environment for a child process (aws CLI, node) aimed at this server only."""
        env = dict(os.environ)
        for k in list(env):
            if k.startswith("AWS_"):
                del env[k]
        env.update({
            "AWS_ACCESS_KEY_ID": access_key,
            "AWS_SECRET_ACCESS_KEY": secret_key,
            "AWS_DEFAULT_REGION": region,
            "AWS_REGION": region,
            "AWS_ENDPOINT_URL": self.endpoint,
            "AWS_CONFIG_FILE": os.path.join(self.tmp, "no-aws-config"),
            "AWS_SHARED_CREDENTIALS_FILE": os.path.join(self.tmp, "no-aws-credentials"),
            "AWS_PAGER": "",
        })
        if self.ca_bundle:
            env["AWS_CA_BUNDLE"] = self.ca_bundle
        return env

    def boto3_client(self, service, access_key="test", secret_key="test", region="us-east-1", **config):
        import boto3
        import botocore.config
        endpoint = config.pop("endpoint_url", self.endpoint)
        verify = config.pop("verify", self.ca_bundle)  # with TLS: the CA localaws printed
        cfg = botocore.config.Config(retries={"max_attempts": 1, "mode": "standard"}, **config)
        return boto3.client(service, endpoint_url=endpoint, aws_access_key_id=access_key,
                            aws_secret_access_key=secret_key, region_name=region, config=cfg, verify=verify)

    def boto3_resource(self, service, access_key="test", secret_key="test", region="us-east-1", **config):
        import boto3
        import botocore.config
        cfg = botocore.config.Config(retries={"max_attempts": 1, "mode": "standard"}, **config)
        return boto3.resource(service, endpoint_url=self.endpoint, aws_access_key_id=access_key,
                              aws_secret_access_key=secret_key, region_name=region, config=cfg)

    def aws(self, *args, check=True, exe="aws", **env_kw):
        """Runs the aws CLI (exe: one of AWS_CLIS) against this server; returns CompletedProcess (text)."""
        cmd = [exe, "--endpoint-url", self.endpoint] + [str(a) for a in args]
        p = subprocess.run(cmd, env=self.client_env(**env_kw), capture_output=True, text=True, timeout=300)
        if check and p.returncode != 0:
            raise AssertionError("%s %s failed (%d):\n%s\n%s" % (exe, " ".join(map(str, args)), p.returncode,
                                                                p.stdout, p.stderr))
        return p

    def aws_json(self, *args, **kw):
        out = self.aws(*args, "--output", "json", **kw).stdout
        return json.loads(out) if out.strip() else {}

    def request(self, method, path, body=None, headers=None):
        """Plain HTTP to this server (no signing); returns (status, headers, body) for any status."""
        req = urllib.request.Request(self.endpoint + path, data=body, headers=headers or {}, method=method)
        try:
            with self.urlopen(req) as r:
                return r.status, dict(r.headers), r.read()
        except urllib.error.HTTPError as e:
            return e.code, dict(e.headers), e.read()

    def get(self, path, headers=None):
        return self.request("GET", path, headers=headers)

    def post(self, path, body=b"", headers=None):
        return self.request("POST", path, body, headers)
