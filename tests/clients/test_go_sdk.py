"""The AWS SDKs for Go v1 and v2 (Debian's golang-github-aws-aws-sdk-go-dev and
golang-github-aws-aws-sdk-go-v2-dev) doing a realistic S3 and DynamoDB workflow against localaws,
and against moto_server for the side-by-side timing.

The programs (tests/clients/go/sdkv1, sdkv2, sharing tests/clients/go/common) assert their own
results and print one JSON line per step; this driver builds them once per run in GOPATH mode
(offline, Debian's /usr/share/gocode; the build cache lives in the scratch directory, so only the
first build compiles the SDKs), runs each against a fresh server, and prints a step-time table.
"""
import json
import os
import shutil
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from clients_support import LocalAws, Moto, StepTimes, work_dir  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
GO_SRC = os.path.join(HERE, "go")
DEBIAN_GOPATH = "/usr/share/gocode"
PACKAGES = {
    "sdkv1": ("golang-github-aws-aws-sdk-go-dev", "github.com/aws/aws-sdk-go"),
    "sdkv2": ("golang-github-aws-aws-sdk-go-v2-dev", "github.com/aws/aws-sdk-go-v2"),
    "streamsv1": ("golang-github-aws-aws-sdk-go-dev", "github.com/aws/aws-sdk-go"),  # DynamoDB Streams
}
RUN_TIMEOUT = 240


def go_env(gopath):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GO", "AWS_"))}
    env.update({"GO111MODULE": "off", "GOPATH": DEBIAN_GOPATH + ":" + gopath, "GOFLAGS": "",
                "GOCACHE": os.path.join(gopath, "gocache"), "GOPROXY": "off", "GOTOOLCHAIN": "local"})
    return env


def build(name):
    """Copies the sources into <scratch>/go/src/localaws.test/ and builds <scratch>/go/bin/<name>."""
    if shutil.which("go") is None:
        raise AssertionError("go is not installed (Debian: golang-go; scripts/deps.sh installs the client suite's tools)")
    package, import_path = PACKAGES[name]
    if not os.path.isdir(os.path.join(DEBIAN_GOPATH, "src", import_path)):
        raise AssertionError("%s is missing: install the Debian package %s" % (import_path, package))
    gopath = work_dir("go")
    src = os.path.join(gopath, "src", "localaws.test")
    os.makedirs(src, exist_ok=True)
    for d in ("common", name):
        dst = os.path.join(src, d)
        if os.path.islink(dst):
            os.unlink(dst)
        elif os.path.isdir(dst):
            shutil.rmtree(dst)
        shutil.copytree(os.path.join(GO_SRC, d), dst)
    out = os.path.join(gopath, "bin", name)
    # The first build compiles the SDK packages (about a minute per SDK here); later ones hit GOCACHE.
    p = subprocess.run(["go", "build", "-o", out, "."], cwd=os.path.join(src, name), env=go_env(gopath),
                       capture_output=True, text=True, timeout=900)
    if p.returncode != 0:
        raise AssertionError("go build %s failed:\n%s%s" % (name, p.stdout, p.stderr))
    return out


def run_program(binary, env):
    """Runs a Go program; returns (returncode, [step dicts], stderr)."""
    try:
        p = subprocess.run([binary], env=env, capture_output=True, text=True, timeout=RUN_TIMEOUT)
    except subprocess.TimeoutExpired as e:
        out = e.stdout.decode() if isinstance(e.stdout, bytes) else (e.stdout or "")
        return -1, parse_steps(out), "timed out after %d s" % RUN_TIMEOUT
    return p.returncode, parse_steps(p.stdout), p.stderr


def parse_steps(stdout):
    steps = []
    for line in stdout.splitlines():
        line = line.strip()
        if line.startswith("{"):
            steps.append(json.loads(line))
    return steps


class GoSdkTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.binaries = {name: build(name) for name in PACKAGES}
        cls.moto = Moto().start()

    @classmethod
    def tearDownClass(cls):
        cls.moto.close()

    def run_against_both(self, name, title):
        times = StepTimes(title)
        try:
            with LocalAws(in_memory=True) as server:
                rc, steps, stderr = run_program(self.binaries[name], server.client_env())
                for s in steps:
                    times.note("localaws", s["step"], float(s["ms"]) if s["ok"] else "failed")
                failed = ["%s: %s" % (s["step"], s["error"]) for s in steps if not s["ok"]]
                if rc != 0 or failed:
                    self.fail("%s against localaws exited %d; failed steps:\n  %s\nstderr:\n%s\nserver log:\n%s" % (
                        name, rc, "\n  ".join(failed) or "(none)", stderr[-3000:], server.read_log(3000)))
                names = [s["step"] for s in steps]
                # Both parts ran to their last step (a program that stopped early would still exit 0
                # only through a bug in it; this catches that too).
                self.assertIn("s3.delete-bucket", names)
                self.assertIn("object-lock.bypass-and-delete-bucket", names)
                self.assertIn("bucketops.delete-bucket", names)
                self.assertIn("ddb.crc32-checked", names)
                self.assertGreater(len(names), 50)
            if not self.moto.available:
                return
            self.moto.reset()
            rc, steps, stderr = run_program(self.binaries[name], self.moto.client_env())
            for s in steps:
                if s["ok"]:
                    times.note("moto", s["step"], float(s["ms"]))
                else:
                    times.note("moto", s["step"], "failed")
                    print("moto: %s failed (%s)" % (s["step"], s["error"].splitlines()[0][:200]), flush=True)
            if rc not in (0, 1):
                print("moto: %s exited %d: %s" % (name, rc, stderr[-500:]), flush=True)
        finally:
            times.print()

    def test_sdk_v1(self):
        self.run_against_both("sdkv1", "AWS SDK for Go v1 (1.44, Debian)")

    def test_sdk_v2(self):
        self.run_against_both("sdkv2", "AWS SDK for Go v2 (1.17, Debian)")

    def test_sdk_v2_faults(self):
        # localaws only: injected SlowDown / ThrottlingException (count 2) retried away by the SDK's
        # default retryer, the attempts seen in the journal (tests/clients/go/sdkv2/faults.go).
        with LocalAws(in_memory=True) as server:
            p = subprocess.run([self.binaries["sdkv2"], "faults"], env=server.client_env(), capture_output=True,
                               text=True, timeout=RUN_TIMEOUT)
            steps = parse_steps(p.stdout)
            failed = ["%s: %s" % (s["step"], s["error"]) for s in steps if not s["ok"]]
            self.assertEqual((p.returncode, failed), (0, []), p.stderr[-3000:])
            self.assertEqual(len(steps), 4)

    def run_subcommand(self, name, subcommand, env):
        """Runs `<program> <subcommand>`; returns (returncode, steps, failed step texts, stderr)."""
        p = subprocess.run([self.binaries[name], subcommand], env=env, capture_output=True, text=True,
                           timeout=RUN_TIMEOUT)
        steps = parse_steps(p.stdout)
        return p.returncode, steps, ["%s: %s" % (s["step"], s["error"]) for s in steps if not s["ok"]], p.stderr

    def test_sdk_v1_faults(self):
        # localaws only: injected SlowDown, InternalError, ThrottlingException and
        # ProvisionedThroughputExceededException retried away by the default retryer (the attempts
        # seen in the journal), AccessDenied and ValidationException not retried, and with
        # MaxRetries 0 the throttling error surfacing (tests/clients/go/sdkv1/faults.go).
        with LocalAws(in_memory=True) as server:
            rc, steps, failed, stderr = self.run_subcommand("sdkv1", "faults", server.client_env())
            self.assertEqual((rc, failed), (0, []), stderr[-3000:] + server.read_log(3000))
            self.assertEqual([s["step"] for s in steps], [
                "faults.setup", "faults.s3-slowdown-retried", "faults.s3-internal-error-retried",
                "faults.s3-access-denied-not-retried", "faults.ddb-throttling-retried",
                "faults.ddb-provisioned-throughput-retried", "faults.ddb-validation-not-retried",
                "faults.ddb-throttling-surfaces-without-retries"])

    def check_tls(self, name):
        # docs/harness.md's HTTPS recipe: only the environment (an https AWS_ENDPOINT_URL,
        # AWS_CA_BUNDLE, credentials, region) configures the program (tests/clients/go/*/tls.go):
        # S3 CreateBucket/ListBuckets/PutObject/GetObject and DynamoDB CreateTable/PutItem/GetItem.
        with LocalAws("--tls", in_memory=True) as server:
            env = server.client_env()
            self.assertTrue(env["AWS_ENDPOINT_URL"].startswith("https://"), env["AWS_ENDPOINT_URL"])
            self.assertTrue(os.path.isfile(env["AWS_CA_BUNDLE"]), env["AWS_CA_BUNDLE"])
            rc, steps, failed, stderr = self.run_subcommand(name, "tls", env)
            self.assertEqual((rc, failed), (0, []), stderr[-3000:] + server.read_log(3000))
            self.assertEqual([s["step"] for s in steps],
                             ["tls.s3-create-and-list-buckets", "tls.s3-put-get", "tls.ddb-create-put-get"])
            # Without the CA the system roots do not trust localaws' certificate: every step fails
            # certificate verification.
            del env["AWS_CA_BUNDLE"]
            rc, steps, failed, stderr = self.run_subcommand(name, "tls", env)
            self.assertEqual(rc, 1, stderr[-3000:])
            self.assertEqual(len(failed), 3, failed)
            for f in failed:
                self.assertRegex(f, r"x509: certificate signed by unknown authority", f)

    def test_sdk_v1_tls(self):
        self.check_tls("sdkv1")

    def test_sdk_v2_tls(self):
        self.check_tls("sdkv2")

    def test_streams_sdk_v1(self):
        # A stream-enabled table written and read back through service/dynamodbstreams: the program
        # checks every record (event names, keys, images, sequence order) and prints its count.
        with LocalAws(in_memory=True) as server:
            env = go_env(work_dir("go"))
            env["LOCALAWS_ENDPOINT"] = server.endpoint
            p = subprocess.run([self.binaries["streamsv1"]], env=env, capture_output=True, text=True,
                               timeout=RUN_TIMEOUT)
            self.assertEqual(p.returncode, 0, p.stderr[-3000:] + server.read_log(3000))
            self.assertEqual(p.stdout.strip(), "ok 5 records")


if __name__ == "__main__":
    unittest.main()
