"""The HTTP front door (issue 12): requests reach SigV4 exactly as sent, whatever headers the
client signed; `Expect: 100-continue` in any casing is answered at once (or refused without the
body); a refused signature says why; idle and half-sent connections cost no worker, with one
deadline for a header block, a size cap and a bound on open connections; one server per port."""
import http.client
import json
import resource
import socket
import statistics
import subprocess
import threading
import time
import unittest

from botocore.auth import S3SigV4Auth, SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from botocore.exceptions import ClientError

from hostile_support import host_port
from localaws_support import LocalAws, localaws_bin

# Hop-by-hop headers a signer must leave out (they may change on the way); everything else
# a client sends may be signed, and some SDKs do sign expect, accept-encoding and user-agent.
HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "te", "upgrade", "trailer"}


def _sign_everything(base):
    class Signer(base):
        def headers_to_sign(self, request):
            out = super().headers_to_sign(request)
            for name, value in request.headers.items():
                if name.lower() not in HOP_BY_HOP and name.lower() not in out:
                    out[name.lower()] = value
            return out
    return Signer


S3SignAll = _sign_everything(S3SigV4Auth)
DdbSignAll = _sign_everything(SigV4Auth)


def signed_pairs(srv, method, path, body, pairs, service="s3", secret="test"):
    """botocore signs the request with every header in `pairs` (repeated names kept, in order);
    returns the header pairs to send, Authorization included."""
    host = "%s:%d" % host_port(srv)
    req = AWSRequest(method=method, url="http://" + host + path, data=body)
    for k, v in pairs:
        req.headers[k] = v  # HTTPHeaders appends: a repeated name stays repeated
    if service == "s3" and "x-amz-content-sha256" not in {k.lower() for k, _ in pairs}:
        req.headers["X-Amz-Content-Sha256"] = "UNSIGNED-PAYLOAD"
    signer = S3SignAll if service == "s3" else DdbSignAll
    signer(Credentials("test", secret), service, "us-east-1").add_auth(req)
    return [("Host", host)] + [(k, v) for k, v in req.headers.items() if k.lower() != "host"]


def send_pairs(srv, method, path, body, pairs):
    conn = http.client.HTTPConnection(*host_port(srv), timeout=30)
    try:
        conn.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
        for k, v in pairs:
            conn.putheader(k, v)
        conn.putheader("Content-Length", str(len(body)))
        conn.endheaders(body if body else None)
        r = conn.getresponse()
        return r.status, r.getheaders(), r.read()
    finally:
        conn.close()


def header(pairs, name):
    for k, v in pairs:
        if k.lower() == name:
            return v
    return None


def read_response_head(sock, timeout):
    """Reads until the end of one response's header block; returns it (bytes) or what came."""
    sock.settimeout(timeout)
    buf = b""
    try:
        while b"\r\n\r\n" not in buf:
            chunk = sock.recv(65536)
            if not chunk:
                break
            buf += chunk
    except socket.timeout:
        pass
    return buf


class SignedHeadersTest(unittest.TestCase):
    """Item 1: every header SDKs are known to sign verifies, S3 and DynamoDB."""

    @classmethod
    def setUpClass(cls):
        cls.srv = LocalAws(in_memory=True).start()
        cls.s3 = cls.srv.boto3_client("s3")
        cls.s3.create_bucket(Bucket="fdoor")
        cls.s3.put_object(Bucket="fdoor", Key="digits", Body=b"0123456789")

    @classmethod
    def tearDownClass(cls):
        cls.srv.close()

    def test_s3_requests_with_every_signed_header(self):
        sdk = [("amz-sdk-invocation-id", "7c3a4e1e-9d8b-4f5e-a1a2-3b4c5d6e7f80"),
               ("amz-sdk-request", "attempt=1; max=3"), ("User-Agent", "aws-sdk-go-v2/1.17 os/linux")]
        cases = [
            ("accept-encoding gzip", [("Accept-Encoding", "gzip")]),
            ("accept-encoding identity", [("Accept-Encoding", "identity")]),
            ("accept-encoding list", [("Accept-Encoding", "gzip, deflate, br;q=0.5")]),
            ("range", [("Range", "bytes=2-4")]),
            ("expect", [("Expect", "100-continue")]),
            ("repeated", [("X-Amz-Meta-Rep", "a"), ("X-Amz-Meta-Rep", "b")]),
            ("runs of spaces", [("X-Amz-Meta-Spaces", "a   b \t c")]),
            ("if-none-match", [("If-None-Match", '"nope"')]),
        ]
        for name, extra in cases:
            with self.subTest(name):
                pairs = signed_pairs(self.srv, "GET", "/fdoor/digits", b"", sdk + extra)
                status, headers, body = send_pairs(self.srv, "GET", "/fdoor/digits", b"", pairs)
                if name == "range":
                    self.assertEqual((status, body), (206, b"234"))
                    self.assertEqual(header(headers, "content-range"), "bytes 2-4/10")
                else:
                    self.assertEqual((status, body), (200, b"0123456789"), body[:300])
                    # S3 never re-encodes object bytes, whatever the client accepts.
                    self.assertIsNone(header(headers, "content-encoding"))

    def test_absolute_form_request_line(self):
        # What a client sends to a proxy (RFC 9112 3.2.2): the signature covers the origin form.
        pairs = signed_pairs(self.srv, "GET", "/fdoor/digits", b"", [])
        host = "%s:%d" % host_port(self.srv)
        s = socket.create_connection(host_port(self.srv), timeout=10)
        try:
            s.sendall(("GET http://%s/fdoor/digits HTTP/1.1\r\n" % host +
                       "".join("%s: %s\r\n" % kv for kv in pairs) + "\r\n").encode())
            head = read_response_head(s, 10)
        finally:
            s.close()
        self.assertTrue(head.startswith(b"HTTP/1.1 200"), head[:300])

    def test_s3_put_with_multipart_content_type_repeated_and_spaced_headers(self):
        body = b"--xyz\r\nnot parsed as a form\r\n--xyz--\r\n"
        pairs = signed_pairs(self.srv, "PUT", "/fdoor/form", body, [
            ("Content-Type", "multipart/form-data; boundary=xyz"), ("Expect", "100-continue"),
            ("Accept-Encoding", "identity"), ("X-Amz-Meta-Rep", "one"), ("X-Amz-Meta-Rep", "two"),
            ("X-Amz-Meta-Spaces", "x    y"), ("amz-sdk-request", "attempt=1; max=3")])
        status, _, resp = send_pairs(self.srv, "PUT", "/fdoor/form", body, pairs)
        self.assertEqual(status, 200, resp)
        got = self.s3.get_object(Bucket="fdoor", Key="form")
        self.assertEqual(got["Body"].read(), body)
        self.assertEqual(got["ContentType"], "multipart/form-data; boundary=xyz")
        self.assertEqual(got["Metadata"]["rep"], "one,two")

    def test_dynamodb_with_accept_encoding_and_sdk_headers(self):
        ddb = self.srv.boto3_client("dynamodb")
        ddb.create_table(TableName="fdoor", BillingMode="PAY_PER_REQUEST",
                         AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                         KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}])
        for enc in ("identity", "gzip", "gzip, deflate"):
            with self.subTest(enc):
                body = json.dumps({"TableName": "fdoor", "Item": {"pk": {"S": enc}}}).encode()
                pairs = signed_pairs(self.srv, "POST", "/", body, [
                    ("X-Amz-Target", "DynamoDB_20120810.PutItem"), ("Content-Type", "application/x-amz-json-1.0"),
                    ("Accept-Encoding", enc), ("amz-sdk-invocation-id", "abc"), ("X-Amz-Meta-Spaces", "p  q"),
                    ("User-Agent", "aws-sdk-go/1.44 (go1.19; linux; amd64)")], service="dynamodb")
                status, _, resp = send_pairs(self.srv, "POST", "/", body, pairs)
                self.assertEqual(status, 200, resp)
        self.assertEqual(ddb.scan(TableName="fdoor")["Count"], 3)


class ExpectContinueTest(unittest.TestCase):
    """Item 2: 100 Continue at once in any casing; refusals without reading the body."""

    @classmethod
    def setUpClass(cls):
        cls.srv = LocalAws(in_memory=True).start()
        cls.srv.boto3_client("s3").create_bucket(Bucket="exp")

    @classmethod
    def tearDownClass(cls):
        cls.srv.close()

    def put_with_expect(self, path, expect, body, secret="test"):
        pairs = signed_pairs(self.srv, "PUT", path, body, [("Content-Length", str(len(body)))], secret=secret)
        s = socket.create_connection(host_port(self.srv), timeout=10)
        head = "PUT %s HTTP/1.1\r\n" % path + "".join("%s: %s\r\n" % kv for kv in pairs)
        head += "Expect: %s\r\n\r\n" % expect
        t0 = time.perf_counter()
        s.sendall(head.encode())
        first = read_response_head(s, 5)
        waited_ms = (time.perf_counter() - t0) * 1000
        return s, first, waited_ms

    def test_100_continue_in_any_casing(self):
        body = b"z" * 300000
        for expect in ("100-continue", "100-Continue", "100-CONTINUE"):
            with self.subTest(expect):
                s, first, waited_ms = self.put_with_expect("/exp/obj", expect, body)
                try:
                    self.assertTrue(first.startswith(b"HTTP/1.1 100 Continue\r\n"), first[:200])
                    # Go's default client waits 1 s for it, then sends the body anyway.
                    self.assertLess(waited_ms, 900, "100 Continue came after %.0f ms" % waited_ms)
                    print("Expect: %s -> 100 Continue after %.1f ms" % (expect, waited_ms))
                    s.sendall(body)
                    final = read_response_head(s, 10)
                    self.assertTrue(final.startswith(b"HTTP/1.1 200"), final[:300])
                finally:
                    s.close()
        got = self.srv.boto3_client("s3").get_object(Bucket="exp", Key="obj")["Body"].read()
        self.assertEqual(got, body)

    def test_refusals_come_before_the_body(self):
        cases = [("/missing-bucket/k", "test", b" 404 ", b"<Code>NoSuchBucket</Code>"),
                 ("/exp/k", "wrong-secret", b" 403 ", b"<Code>SignatureDoesNotMatch</Code>")]
        for path, secret, status, code in cases:
            with self.subTest(path=path, secret=secret):
                s, first, _ = self.put_with_expect(path, "100-Continue", b"q" * 100000, secret=secret)
                try:
                    self.assertIn(status, first.split(b"\r\n")[0], first[:300])
                    self.assertIn(b"connection: close", first.lower())
                    s.settimeout(5)
                    rest = first.split(b"\r\n\r\n", 1)[1]
                    while code not in rest:
                        chunk = s.recv(65536)
                        if not chunk:
                            break
                        rest += chunk
                    self.assertIn(code, rest)
                finally:
                    s.close()
        status, _, _ = self.srv.get("/_localaws/health")
        self.assertEqual(status, 200)

    def test_boto3_uploads_with_expect(self):
        # botocore sends Expect: 100-continue on PutObject bodies over 1 MB and waits for it.
        s3 = self.srv.boto3_client("s3")
        body = bytes(range(256)) * 8192  # 2 MiB
        t0 = time.perf_counter()
        for i in range(5):
            s3.put_object(Bucket="exp", Key="big%d" % i, Body=body)
        print("boto3: 5 PutObject of 2 MiB with Expect in %.0f ms" % ((time.perf_counter() - t0) * 1000))
        self.assertEqual(s3.get_object(Bucket="exp", Key="big4")["Body"].read(), body)


class RefusedSignatureTest(unittest.TestCase):
    """Item 3: a refused signature is explained in the journal and, at debug level, the log."""

    def test_journal_and_debug_log_explain_a_mismatch(self):
        with LocalAws("--log-level", "debug", in_memory=True) as srv:
            srv.boto3_client("s3").create_bucket(Bucket="why")
            bad = srv.boto3_client("s3", secret_key="not-the-secret")
            with self.assertRaises(ClientError) as cm:
                bad.head_bucket(Bucket="why")
            self.assertEqual(cm.exception.response["Error"]["Code"], "403")
            bad_ddb = srv.boto3_client("dynamodb", secret_key="not-the-secret")
            with self.assertRaises(ClientError) as cm:
                bad_ddb.list_tables()
            self.assertEqual(cm.exception.response["Error"]["Code"], "InvalidSignatureException")
            status, _, body = srv.get("/_localaws/requests?limit=5")
            self.assertEqual(status, 200)
            refused = [r for r in json.loads(body)["requests"] if "authFailure" in r]
            self.assertEqual([r["service"] for r in refused], ["s3", "dynamodb"])
            s3_why, ddb_why = refused[0]["authFailure"], refused[1]["authFailure"]
            self.assertEqual(s3_why["error"], "SignatureDoesNotMatch")
            self.assertTrue(s3_why["canonicalRequest"].startswith("HEAD\n/why\n"), s3_why)
            self.assertTrue(s3_why["stringToSign"].startswith("AWS4-HMAC-SHA256\n"), s3_why)
            self.assertTrue(any("secret key" in h for h in s3_why["hints"]), s3_why)
            self.assertTrue(any("Host was signed as" in h for h in s3_why["hints"]), s3_why)
            self.assertEqual(ddb_why["error"], "InvalidSignatureException")
            self.assertTrue(ddb_why["canonicalRequest"].startswith("POST\n/\n"), ddb_why)
            log = srv.read_log(limit=None)
            self.assertIn("canonical request localaws computed:\nHEAD\n/why\n", log)
            self.assertIn("string to sign localaws computed:\nAWS4-HMAC-SHA256", log)

    def test_a_signed_header_that_went_missing_is_named(self):
        with LocalAws(in_memory=True) as srv:
            srv.boto3_client("s3").create_bucket(Bucket="gone")
            pairs = signed_pairs(srv, "GET", "/gone", b"", [("X-Amz-Meta-Proxy", "removed")])
            pairs = [(k, v) for k, v in pairs if k.lower() != "x-amz-meta-proxy"]
            status, _, body = send_pairs(srv, "GET", "/gone", b"", pairs)
            self.assertEqual(status, 403, body)
            entries = json.loads(srv.get("/_localaws/requests?limit=1")[2])["requests"]
            hints = entries[-1]["authFailure"]["hints"]
            self.assertTrue(any("'x-amz-meta-proxy' is not in the request" in h for h in hints), hints)


class ConnectionsTest(unittest.TestCase):
    """Item 5: idle and half-sent connections wait without a worker; deadlines, caps, bounds."""

    def setUp(self):
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        if soft < min(hard, 4096):
            resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 4096), hard))

    def timed_health(self, srv):
        t0 = time.perf_counter()
        status, _, _ = srv.get("/_localaws/health")
        self.assertEqual(status, 200)
        return (time.perf_counter() - t0) * 1000

    def test_idle_and_slowloris_connections_do_not_starve_the_server(self):
        # Fewer workers than connections by far: each one held would starve the rest.
        with LocalAws("--threads", "16", in_memory=True) as srv:
            s3 = srv.boto3_client("s3")
            ddb = srv.boto3_client("dynamodb")
            s3.create_bucket(Bucket="busy")
            ddb.create_table(TableName="busy", BillingMode="PAY_PER_REQUEST",
                             AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                             KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}])
            addr = host_port(srv)
            idle, slow = [], []
            stop = threading.Event()
            try:
                # 1,000 keep-alive connections that each served one request and then went idle.
                for _ in range(1000):
                    s = socket.create_connection(addr, timeout=10)
                    s.sendall(b"GET /_localaws/health HTTP/1.1\r\nHost: x\r\n\r\n")
                    idle.append(s)
                for s in idle:
                    self.assertTrue(read_response_head(s, 10).startswith(b"HTTP/1.1 200"))
                # 300 clients dribbling a header block one byte every 2 s.
                for _ in range(300):
                    s = socket.create_connection(addr, timeout=10)
                    s.sendall(b"GET /_localaws/health HTTP/1.1\r\nX-Slow: ")
                    slow.append(s)

                def dribble():
                    while not stop.wait(2):
                        for s in slow:
                            try:
                                s.send(b"z")
                            except OSError:
                                pass
                t = threading.Thread(target=dribble, daemon=True)
                t.start()
                time.sleep(1)
                times = [self.timed_health(srv) for _ in range(20)]
                s3.put_object(Bucket="busy", Key="k", Body=b"still served")
                self.assertEqual(s3.get_object(Bucket="busy", Key="k")["Body"].read(), b"still served")
                ddb.put_item(TableName="busy", Item={"pk": {"S": "a"}})
                self.assertEqual(ddb.get_item(TableName="busy", Key={"pk": {"S": "a"}})["Item"]["pk"]["S"], "a")
                print("health with 1000 idle + 300 slowloris connections: median %.1f ms, max %.1f ms" %
                      (statistics.median(times), max(times)))
                # A starved pool answers after the slow clients give up (seconds), or never.
                self.assertLess(statistics.median(times), 100, times)
                self.assertLess(max(times), 2000, times)
            finally:
                stop.set()
                for s in idle + slow:
                    s.close()

    def test_connection_bound_is_a_clear_refusal(self):
        with LocalAws("--max-connections", "20", in_memory=True) as srv:
            addr = host_port(srv)
            held = [socket.create_connection(addr, timeout=10) for _ in range(20)]
            try:
                time.sleep(0.3)  # the server has accepted them
                extra = socket.create_connection(addr, timeout=10)
                head = read_response_head(extra, 5)
                extra.close()
                self.assertTrue(head.startswith(b"HTTP/1.1 503"), head[:200])
                for s in held[:5]:
                    s.close()
                time.sleep(0.3)
                self.timed_health(srv)
            finally:
                for s in held[5:]:
                    s.close()

    def test_header_block_has_one_deadline(self):
        with LocalAws("--header-timeout", "1", in_memory=True) as srv:
            s = socket.create_connection(host_port(srv), timeout=10)
            try:
                s.sendall(b"GET /_localaws/health HTTP/1.1\r\n")
                t0 = time.perf_counter()
                # Bytes keep coming, each well within any per-read timeout: the block still ends.
                head = b""
                s.settimeout(0.3)
                while time.perf_counter() - t0 < 5:
                    try:
                        s.send(b"X")
                        head += s.recv(65536)
                        if b"\r\n\r\n" in head:
                            break
                    except socket.timeout:
                        continue
                    except OSError:
                        break
                self.assertIn(b"400 Bad Request", head[:100], head[:200])
                self.assertIn(b"<Code>RequestTimeout</Code>", head)
                self.assertLess(time.perf_counter() - t0, 4)
            finally:
                s.close()
            self.timed_health(srv)

    def test_header_block_size_cap(self):
        with LocalAws(in_memory=True) as srv:
            s = socket.create_connection(host_port(srv), timeout=10)
            try:
                try:
                    s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n" + b"X-Pad: " + b"p" * 80000 + b"\r\n\r\n")
                except OSError:
                    pass
                head = read_response_head(s, 5)
            finally:
                s.close()
            self.assertTrue(head.startswith(b"HTTP/1.1 400"), head[:200])
            self.assertIn(b"RequestHeaderSectionTooLarge", head)
            self.timed_health(srv)

    def test_pipelined_requests_are_all_answered(self):
        with LocalAws(in_memory=True) as srv:
            s = socket.create_connection(host_port(srv), timeout=10)
            try:
                s.sendall(b"GET /_localaws/health HTTP/1.1\r\nHost: x\r\n\r\n" * 3)
                data = b""
                deadline = time.time() + 10
                while data.count(b"HTTP/1.1 200") < 3 and time.time() < deadline:
                    chunk = s.recv(65536)
                    if not chunk:
                        break
                    data += chunk
            finally:
                s.close()
            self.assertEqual(data.count(b"HTTP/1.1 200"), 3, data[:500])


class ExclusivePortTest(unittest.TestCase):
    def test_a_second_server_on_the_same_port_fails(self):
        with LocalAws(in_memory=True) as srv:
            port = host_port(srv)[1]
            p = subprocess.run([localaws_bin(), "--port", str(port), "--in-memory"], capture_output=True,
                               text=True, timeout=10)
            self.assertEqual(p.returncode, 1, p.stderr)
            self.assertIn("is the port in use?", p.stderr)
            status, _, _ = srv.get("/_localaws/health")
            self.assertEqual(status, 200)


if __name__ == "__main__":
    unittest.main()
