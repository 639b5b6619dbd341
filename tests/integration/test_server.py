"""The localaws process itself: flags, ready file, control plane, keep-alive, shutdown."""
import http.client
import email.utils
import json
import os
import re
import signal
import socket
import subprocess
import tempfile
import threading
import time
import unittest
import urllib.parse

import botocore.auth
import botocore.awsrequest
import botocore.credentials

from localaws_support import LocalAws, localaws_bin


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class ServerProcessTest(unittest.TestCase):
    def test_help_and_bad_flags(self):
        p = subprocess.run([localaws_bin(), "--help"], capture_output=True, text=True)
        self.assertEqual(p.returncode, 0)
        for flag in ("--host", "--port", "--data-dir", "--in-memory", "--region", "--auth", "--accounts",
                     "--fsync", "--log-level", "--ready-file", "--threads"):
            self.assertIn(flag, p.stdout)
        p = subprocess.run([localaws_bin(), "--no-such-flag"], capture_output=True, text=True)
        self.assertEqual(p.returncode, 2)
        self.assertIn("--no-such-flag", p.stderr)
        p = subprocess.run([localaws_bin(), "--auth", "maybe"], capture_output=True, text=True)
        self.assertEqual(p.returncode, 2)
        self.assertIn("auth", p.stderr)
        p = subprocess.run([localaws_bin(), "--port", "70000"], capture_output=True, text=True)
        self.assertEqual(p.returncode, 2)

    def test_bad_accounts_file_is_named(self):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "accounts.json")
            with open(path, "w") as f:
                f.write('[{"accessKeyId": "AK", "secretAccessKey": "S", "accountId": "12"}]')
            p = subprocess.run([localaws_bin(), "--accounts", path, "--port", "0", "--in-memory"],
                               capture_output=True, text=True, timeout=10)
            self.assertEqual(p.returncode, 1)
            self.assertIn(path, p.stderr)
            self.assertIn("12 digits", p.stderr)

    def test_print_endpoint_and_environment_variables(self):
        env = dict(os.environ, LOCALAWS_PORT="0", LOCALAWS_IN_MEMORY="1", LOCALAWS_REGION="eu-west-3")
        p = subprocess.Popen([localaws_bin(), "--print-endpoint"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                             env=env, text=True)
        try:
            endpoint = p.stdout.readline().strip()
            self.assertRegex(endpoint, r"^http://127\.0\.0\.1:\d+$")
            host, port = endpoint[len("http://"):].split(":")
            conn = http.client.HTTPConnection(host, int(port), timeout=10)
            conn.request("GET", "/_localaws/health")
            health = json.loads(conn.getresponse().read())
            self.assertEqual(health["persistence"], "memory")
            self.assertEqual(health["region"], "eu-west-3")
        finally:
            p.send_signal(signal.SIGTERM)
            self.assertEqual(p.wait(10), 0)

    def test_port_in_use_is_reported(self):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        s.listen(1)
        port = s.getsockname()[1]
        try:
            p = subprocess.run([localaws_bin(), "--port", str(port), "--in-memory"], capture_output=True,
                               text=True, timeout=10)
            self.assertEqual(p.returncode, 1)
            self.assertIn("cannot listen", p.stderr)
        finally:
            s.close()

    def test_sigterm_stops_cleanly_and_in_memory_leaves_nothing(self):
        with LocalAws(in_memory=True) as la:
            status, _, body = la.get("/_localaws/health")
            self.assertEqual(status, 200)
            before = set(os.listdir(tempfile.gettempdir()))
            la.proc.send_signal(signal.SIGTERM)
            self.assertEqual(la.proc.wait(10), 0)
            self.assertIn("stopped", la.read_log())
            # The in-memory blob directory is gone.
            leftovers = [n for n in before if n.startswith("localaws-") and
                         not os.path.exists(os.path.join(tempfile.gettempdir(), n))]
            self.assertTrue(all(not os.path.exists(os.path.join(tempfile.gettempdir(), n)) for n in leftovers))

    def test_init_scripts_run_in_name_order_once_ready(self):
        with tempfile.TemporaryDirectory() as d:
            init = os.path.join(d, "init")
            os.mkdir(init)
            out = os.path.join(d, "out.txt")
            for name, body in (("20-second.sh", 'echo "second $AWS_ENDPOINT_URL" >> %s' % out),
                               ("10-first.sh", 'curl -sf "$AWS_ENDPOINT_URL/_localaws/health" >/dev/null && '
                                               'echo "first $AWS_ACCESS_KEY_ID" >> %s' % out),
                               ("30-fails.sh", "exit 3"),
                               ("40-after-failure.sh", 'echo "fourth" >> %s' % out)):
                path = os.path.join(init, name)
                with open(path, "w") as f:
                    f.write("#!/bin/sh\n" + body + "\n")
                os.chmod(path, 0o755)
            with open(os.path.join(init, "README.txt"), "w") as f:  # not executable: skipped
                f.write("notes")
            with LocalAws("--init-dir", init, in_memory=True) as la:
                for _ in range(500):
                    if os.path.exists(out) and "fourth" in open(out).read():
                        break
                    time.sleep(0.01)
                with open(out) as f:
                    lines = f.read().splitlines()
                self.assertEqual(lines, ["first test", "second " + la.endpoint, "fourth"])
                self.assertIn("30-fails.sh failed with exit code 3", la.read_log())

    def test_listens_on_loopback_by_default(self):
        port = free_port()
        with tempfile.TemporaryDirectory() as d:
            p = subprocess.Popen([localaws_bin(), "--port", str(port), "--in-memory", "--ready-file",
                                  os.path.join(d, "r")], stderr=subprocess.DEVNULL)
            try:
                for _ in range(1000):
                    if os.path.exists(os.path.join(d, "r")):
                        break
                    time.sleep(0.01)
                with open("/proc/net/tcp") as f:
                    rows = [l.split() for l in f.readlines()[1:]]
                listening = [r[1] for r in rows if r[3] == "0A" and int(r[1].split(":")[1], 16) == port]
                self.assertEqual(listening, ["0100007F:%04X" % port])
            finally:
                p.terminate()
                p.wait(10)


class ControlPlaneTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.la = LocalAws().start()

    @classmethod
    def tearDownClass(cls):
        cls.la.close()

    def test_health(self):
        status, headers, body = self.la.get("/_localaws/health")
        self.assertEqual(status, 200)
        self.assertEqual(headers["Content-Type"], "application/json")
        h = json.loads(body)
        self.assertEqual(h["status"], "ok")
        self.assertEqual(set(h["services"]), {"s3", "dynamodb"})
        self.assertEqual(h["services"]["s3"]["state"], "running")
        self.assertRegex(h["version"], r"^\d+\.\d+\.\d+")
        self.assertGreaterEqual(h["uptime_seconds"], 0)
        self.assertEqual(h["persistence"], "disk")

    def test_localstack_compatible_health(self):
        status, _, body = self.la.get("/_localstack/health")
        self.assertEqual(status, 200)
        h = json.loads(body)
        self.assertEqual(h["services"]["s3"], "running")
        self.assertEqual(h["services"]["dynamodb"], "running")

    def test_reset(self):
        status, _, body = self.la.post("/_localaws/reset")
        self.assertEqual(status, 200)
        self.assertEqual(sorted(json.loads(body)["reset"]), ["dynamodb", "s3"])
        status, _, body = self.la.post("/_localaws/reset?service=s3")
        self.assertEqual(json.loads(body)["reset"], ["s3"])
        status, _, body = self.la.post("/_localaws/reset?service=sqs")
        self.assertEqual(status, 400)
        self.assertEqual(json.loads(body)["error"], "InvalidService")
        status, _, _ = self.la.get("/_localaws/reset")
        self.assertEqual(status, 405)
        status, _, _ = self.la.get("/_localaws/nothing-here")
        self.assertEqual(status, 404)

    def test_snapshot_api_validation(self):
        status, _, body = self.la.post("/_localaws/snapshot?name=../../etc")
        self.assertEqual(status, 400)
        status, _, body = self.la.post("/_localaws/snapshot")
        self.assertEqual(status, 400)
        status, _, body = self.la.post("/_localaws/restore?name=never-saved")
        self.assertEqual(status, 404)
        status, _, body = self.la.post("/_localaws/snapshot?name=seeded-1")
        self.assertEqual(status, 200)
        status, _, body = self.la.get("/_localaws/snapshots")
        self.assertIn("seeded-1", json.loads(body)["snapshots"])
        status, _, body = self.la.post("/_localaws/restore?name=seeded-1")
        self.assertEqual(status, 200)
        # Snapshot ids are generated: the name never became a path.
        snapdir = os.path.join(self.la.data_dir, "snapshots")
        self.assertNotIn("seeded-1", os.listdir(snapdir))

    def test_request_journal(self):
        status, _, _ = self.la.get("/journal-probe-bucket")
        self.la.get("/_localaws/health")  # the control plane is not journaled
        _, _, body = self.la.get("/_localaws/requests?limit=5")
        entries = json.loads(body)["requests"]
        last = entries[-1]
        self.assertEqual(last["resource"], "/journal-probe-bucket")
        self.assertEqual(last["service"], "s3")
        self.assertEqual(last["method"], "GET")
        self.assertEqual(last["status"], status)
        self.assertEqual(last["principal"], "anonymous")
        self.assertRegex(last["requestId"], r"^[0-9A-F]{16}$")
        self.assertEqual(self.la.get("/_localaws/requests?limit=0")[0], 400)

    def test_many_requests_on_one_keep_alive_connection(self):
        # cpp-httplib's compiled-in default closes a connection after 5 requests; we raise it.
        host, port = self.la.endpoint[len("http://"):].split(":")
        conn = http.client.HTTPConnection(host, int(port), timeout=10)
        sock_ids = set()
        for _ in range(50):
            conn.request("GET", "/_localaws/health")
            r = conn.getresponse()
            r.read()
            self.assertEqual(r.status, 200)
            sock_ids.add(id(conn.sock))
        self.assertEqual(len(sock_ids), 1)
        conn.close()

    def test_burst_of_new_connections(self):
        host, port = self.la.endpoint[len("http://"):].split(":")
        errors = []

        def worker():
            try:
                for _ in range(10):
                    c = http.client.HTTPConnection(host, int(port), timeout=20)
                    c.request("GET", "/_localaws/health")
                    r = c.getresponse()
                    r.read()
                    if r.status != 200:
                        errors.append(r.status)
                    c.close()
            except Exception as e:  # noqa: BLE001 - any failure counts
                errors.append(repr(e))

        threads = [threading.Thread(target=worker) for _ in range(40)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        self.assertEqual(errors, [])

    def test_garbage_requests_leave_the_server_up(self):
        host, port = self.la.endpoint[len("http://"):].split(":")
        for raw in (b"GARBAGE\r\n\r\n", b"GET / HTTP/1.1\r\nHost: x\r\nRange: bytes=zz\r\n\r\n",
                    b"PUT /x HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc", b"\x00\xff" * 100 + b"\r\n\r\n"):
            s = socket.create_connection((host, int(port)), timeout=5)
            s.sendall(raw)
            s.shutdown(socket.SHUT_WR)
            try:
                s.recv(4096)
            except OSError:
                pass
            s.close()
        status, _, _ = self.la.get("/_localaws/health")
        self.assertEqual(status, 200)


IMF_FIXDATE = re.compile(r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) "
                         r"\d{4} \d{2}:\d{2}:\d{2} GMT$")


class DateHeaderTest(unittest.TestCase):
    """AWS answers every request with one Date header (RFC 9110 IMF-fixdate); so does localaws,
    for S3, DynamoDB and its control plane, in wall-clock time whatever the emulator clock says."""

    @classmethod
    def setUpClass(cls):
        cls.la = LocalAws(in_memory=True).start()
        cls.s3 = cls.la.boto3_client("s3")
        cls.s3.create_bucket(Bucket="dated")
        cls.s3.put_object(Bucket="dated", Key="k", Body=b"hello")
        cls.la.boto3_client("dynamodb").create_table(
            TableName="dated", KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}], BillingMode="PAY_PER_REQUEST")

    @classmethod
    def tearDownClass(cls):
        cls.la.close()

    def tearDown(self):
        self.la.request("DELETE", "/_localaws/clock")

    def exchange(self, method, url, body=None, headers=None):
        """One request on its own connection: (status, [(name, value), ...] exactly as received)."""
        u = urllib.parse.urlparse(url)
        conn = http.client.HTTPConnection(u.hostname, u.port, timeout=10)
        target = u.path + ("?" + u.query if u.query else "")
        conn.request(method, target, body=body, headers=headers or {})
        r = conn.getresponse()
        r.read()
        conn.close()
        return r.status, r.getheaders()

    def assert_one_date(self, headers, what):
        dates = [v for k, v in headers if k.lower() == "date"]
        self.assertEqual(len(dates), 1, (what, headers))
        self.assertRegex(dates[0], IMF_FIXDATE, what)
        sent = email.utils.parsedate_to_datetime(dates[0]).timestamp()
        self.assertLess(abs(sent - time.time()), 5, (what, dates[0]))

    def dynamodb(self, target, body):
        request = botocore.awsrequest.AWSRequest(method="POST", url=self.la.endpoint + "/", data=json.dumps(body),
                                                 headers={"X-Amz-Target": "DynamoDB_20120810." + target,
                                                          "Content-Type": "application/x-amz-json-1.0"})
        botocore.auth.SigV4Auth(botocore.credentials.Credentials("test", "test"), "dynamodb",
                                "us-east-1").add_auth(request)
        return self.exchange("POST", request.url, request.body, dict(request.headers))

    def check_every_kind(self):
        presign = self.s3.generate_presigned_url
        cases = {
            "S3 GetObject": ("GET", presign("get_object", Params={"Bucket": "dated", "Key": "k"}), 200),
            "S3 HeadObject": ("HEAD", presign("head_object", Params={"Bucket": "dated", "Key": "k"}), 200),
            "S3 NoSuchKey": ("GET", presign("get_object", Params={"Bucket": "dated", "Key": "missing"}), 404),
            "S3 anonymous AccessDenied": ("GET", self.la.endpoint + "/dated/k", 403),
            "control health": ("GET", self.la.endpoint + "/_localaws/health", 200),
            "control 404": ("GET", self.la.endpoint + "/_localaws/nothing-here", 404),
        }
        for what, (method, url, want) in cases.items():
            status, headers = self.exchange(method, url)
            self.assertEqual(status, want, what)
            self.assert_one_date(headers, what)
        status, headers = self.dynamodb("GetItem", {"TableName": "dated", "Key": {"pk": {"S": "a"}}})
        self.assertEqual(status, 200)
        self.assert_one_date(headers, "DynamoDB GetItem")
        status, headers = self.dynamodb("GetItem", {"TableName": "no-such-table", "Key": {"pk": {"S": "a"}}})
        self.assertEqual(status, 400)
        self.assert_one_date(headers, "DynamoDB ResourceNotFoundException")

    def test_every_response_has_one_date(self):
        self.check_every_kind()

    def test_date_is_wall_time_when_the_emulator_clock_moves(self):
        # SDKs correct their signing clock from Date: a moved emulator clock must not show there.
        status, _, _ = self.la.post("/_localaws/clock", json.dumps({"advance": "30d"}).encode(),
                                    {"Content-Type": "application/json"})
        self.assertEqual(status, 200)
        self.check_every_kind()


if __name__ == "__main__":
    unittest.main()
