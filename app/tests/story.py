"""The ranker's end-to-end story, run against any AWS-compatible server.

e2e_moto.py and e2e_localaws.py only say which server to start; the story, the ranker binary
and the checks are the same, and the ranker is pointed at the server through the standard AWS
environment variables only. The story: init (twice), add shops, rate, change a vote, concurrent
votes, bad input, upload photos (raw body, multipart, presigned PUT), fetch each photo by its public URL
without credentials, read the ranking, seed the fixtures.

Environment: RANKER_BIN (the ranker binary), RANKER_FIXTURES (the fixtures directory).
"""
import concurrent.futures
import json
import os
import shutil
import socket
import ssl
import subprocess
import tempfile
import time
import unittest
import urllib.error
import urllib.request
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
MAX_PHOTO = 200000
# The CA that https:// URLs are verified with (a server started with TLS sets it), else the system store.
TLS_CA = None


def tls_context():
    return ssl.create_default_context(cafile=TLS_CA) if TLS_CA else None


def ranker_bin():
    b = os.environ.get("RANKER_BIN") or os.path.join(ROOT, "build/dev/app/ranker")
    if not os.path.exists(b):
        raise RuntimeError("set RANKER_BIN to the ranker binary")
    return b


def fixtures_dir():
    return os.environ.get("RANKER_FIXTURES") or os.path.join(ROOT, "fixtures")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port, proc, log_path, seconds=60):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("server exited with %s:\n%s" % (proc.returncode, tail(log_path)))
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("server did not listen on %d:\n%s" % (port, tail(log_path)))


def tail(path):
    try:
        with open(path, "rb") as f:
            return f.read().decode("utf-8", "replace")[-4000:]
    except OSError:
        return ""


def stop(proc):
    if proc and proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


class MotoServer:
    """moto_server on a free loopback port."""

    # moto's TransactWriteItems copies the tables it touches and, when one of its conditions
    # fails, puts those copies back without any lock (moto/dynamodb/models/__init__.py,
    # transact_write_items): a transaction that commits meanwhile on another thread is erased.
    # Seen here as 9 of 10 concurrent votes counted. DynamoDB (and localaws) serialise
    # transactions, so only there do the votes race.
    atomic_transactions = False
    faults = False  # no fault injection

    def start(self, tmp):
        self.log = os.path.join(tmp, "moto.log")
        port = free_port()
        with open(self.log, "wb") as log:
            self.proc = subprocess.Popen(["moto_server", "-H", "127.0.0.1", "-p", str(port)], stdout=log, stderr=log)
        wait_for_port(port, self.proc, self.log)
        self.endpoint = "http://127.0.0.1:%d" % port
        return self

    def stop(self):
        stop(self.proc)


class LocalAwsServer:
    """localaws on port 0 with its own data directory (LOCALAWS_BIN); tls=True: HTTPS (--tls), with
    the CA localaws generates in DATA_DIR/tls/ca.pem as the clients' AWS_CA_BUNDLE."""

    atomic_transactions = True
    faults = True  # POST /_localaws/faults

    def __init__(self, tls=False):
        self.tls = tls
        self.ca_bundle = None

    def start(self, tmp):
        global TLS_CA
        self.log = os.path.join(tmp, "localaws.log")
        ready = os.path.join(tmp, "localaws.ready")
        data = os.path.join(tmp, "data")
        cmd = [os.environ["LOCALAWS_BIN"], "--port", "0", "--ready-file", ready, "--data-dir", data]
        if self.tls:
            cmd.append("--tls")
            self.ca_bundle = TLS_CA = os.path.join(data, "tls", "ca.pem")
        with open(self.log, "wb") as log:
            self.proc = subprocess.Popen(cmd, stdout=log, stderr=log)
        deadline = time.time() + 30
        while time.time() < deadline:
            if os.path.exists(ready) and open(ready).read().strip():
                self.endpoint = open(ready).read().strip()
                # A sanitized localaws runs with the sanitizer environment, a plain one without.
                with urllib.request.urlopen(self.endpoint + "/_localaws/health", timeout=30,
                                            context=tls_context()) as r:
                    sanitized = json.loads(r.read())["sanitized"]
                if sanitized != (os.environ.get("LOCALAWS_SANITIZED", "0") != "0"):
                    stop(self.proc)
                    raise RuntimeError("localaws sanitized=%s but LOCALAWS_SANITIZED=%r"
                                       % (sanitized, os.environ.get("LOCALAWS_SANITIZED")))
                return self
            if self.proc.poll() is not None:
                raise RuntimeError("localaws exited:\n" + tail(self.log))
            time.sleep(0.05)
        raise RuntimeError("localaws did not become ready:\n" + tail(self.log))

    def stop(self):
        stop(self.proc)


def http(method, url, body=None, headers=None):
    """(status, headers, body bytes) of a plain request: no AWS credentials, ever."""
    req = urllib.request.Request(url, data=body, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(req, timeout=60, context=tls_context()) as r:
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


def multipart(field, filename, data, content_type):
    boundary = "ranker-" + uuid.uuid4().hex
    body = (("--%s\r\nContent-Disposition: form-data; name=\"%s\"; filename=\"%s\"\r\nContent-Type: %s\r\n\r\n"
             % (boundary, field, filename, content_type)).encode() + data + ("\r\n--%s--\r\n" % boundary).encode())
    return body, "multipart/form-data; boundary=" + boundary


class RankerStory:
    """Mixin: subclasses set make_server() and inherit unittest.TestCase."""

    def make_server(self):
        raise NotImplementedError

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="ranker-e2e-")
        self.server = self.make_server().start(self.tmp)
        suffix = uuid.uuid4().hex[:8]
        env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "RANKER_"))}
        env.update({
            # Only standard AWS settings point the app at the server.
            "AWS_ACCESS_KEY_ID": "test",
            "AWS_SECRET_ACCESS_KEY": "test",
            "AWS_REGION": "eu-west-1",
            "AWS_ENDPOINT_URL": self.server.endpoint,
            "AWS_CONFIG_FILE": os.path.join(self.tmp, "no-config"),
            "AWS_SHARED_CREDENTIALS_FILE": os.path.join(self.tmp, "no-credentials"),
            "RANKER_BUCKET": "coffeeshopranker-e2e-" + suffix,
            "RANKER_SHOPS_TABLE": "shops-" + suffix,
            "RANKER_RATINGS_TABLE": "ratings-" + suffix,
            "RANKER_MAX_PHOTO_BYTES": str(MAX_PHOTO),
        })
        if getattr(self.server, "ca_bundle", None):
            env["AWS_CA_BUNDLE"] = self.server.ca_bundle
        self.env = self.configure(env)
        self.app = None

    def configure(self, env):
        """Subclasses may move the AWS settings elsewhere (e.g. into a profile)."""
        return env

    def tearDown(self):
        stop(self.app)
        if self.app:
            self.app.stdout.close()
            self.app_log.close()
        self.server.stop()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def ranker(self, *args):
        p = subprocess.run([ranker_bin(), *args], env=self.env, capture_output=True, text=True, timeout=300)
        self.assertEqual(p.returncode, 0, "ranker %s failed:\n%s\n%s" % (" ".join(args), p.stdout, p.stderr))
        return p.stdout

    def serve(self):
        log = os.path.join(self.tmp, "ranker.log")
        self.app_log = open(log, "w")
        self.app = subprocess.Popen([ranker_bin(), "serve", "--port", "0"], env=self.env, stdout=subprocess.PIPE,
                                    stderr=self.app_log, text=True)
        line = self.app.stdout.readline()  # "ranker listening on http://127.0.0.1:PORT"
        self.assertIn("ranker listening on ", line, tail(log))
        self.url = line.split("listening on ")[1].strip()

    def api(self, method, path, payload=None, raw=None, content_type=None):
        headers = {}
        body = raw
        if payload is not None:
            body = json.dumps(payload).encode()
            headers["Content-Type"] = "application/json"
        if content_type:
            headers["Content-Type"] = content_type
        status, hdrs, data = http(method, self.url + path, body, headers)
        self.assertTrue(hdrs.get("Content-Type", "").startswith("application/json"), (path, status, hdrs, data[:200]))
        return status, json.loads(data)

    def boto3(self, service):
        """A boto3 client on the same server, to check what the ranker stored."""
        import boto3
        return boto3.client(service, endpoint_url=self.server.endpoint, region_name="eu-west-1",
                            verify=getattr(self.server, "ca_bundle", None),
                            aws_access_key_id="test", aws_secret_access_key="test")

    def check_setup(self):
        s3 = self.boto3("s3")
        bucket = self.env["RANKER_BUCKET"]
        self.assertEqual(s3.get_bucket_location(Bucket=bucket)["LocationConstraint"], "eu-west-1")
        rules = s3.get_bucket_ownership_controls(Bucket=bucket)["OwnershipControls"]["Rules"]
        self.assertEqual(rules[0]["ObjectOwnership"], "BucketOwnerPreferred")
        pab = s3.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"]
        self.assertFalse(pab["BlockPublicPolicy"])
        self.assertFalse(pab["RestrictPublicBuckets"])
        policy = json.loads(s3.get_bucket_policy(Bucket=bucket)["Policy"])
        stmt = policy["Statement"][0]
        self.assertEqual((stmt["Effect"], stmt["Principal"], stmt["Action"], stmt["Resource"]),
                         ("Allow", "*", "s3:GetObject", "arn:aws:s3:::%s/*" % bucket))
        table = self.boto3("dynamodb").describe_table(TableName=self.env["RANKER_SHOPS_TABLE"])["Table"]
        self.assertEqual(table["TableStatus"], "ACTIVE")
        gsi = table["GlobalSecondaryIndexes"][0]
        self.assertEqual(gsi["IndexName"], "top-shops")
        self.assertEqual([k["AttributeName"] for k in gsi["KeySchema"]], ["board", "score"])

    def read_fixture(self, *parts):
        with open(os.path.join(fixtures_dir(), *parts), "rb") as f:
            return f.read()

    def test_story(self):
        # Set-up is idempotent.
        self.assertIn("created", self.ranker("init"))
        second = self.ranker("init")
        self.assertIn("exists", second)
        self.check_setup()
        self.serve()
        # One server per port: a second ranker on the same port fails (no SO_REUSEPORT sharing).
        port = self.url.rsplit(":", 1)[1].strip("/")
        p = subprocess.run([ranker_bin(), "serve", "--port", port], env=self.env, capture_output=True, text=True,
                           timeout=30)
        self.assertEqual(p.returncode, 1, p.stderr)
        self.assertIn("is the port in use?", p.stderr)

        status, body = self.api("GET", "/healthz")
        self.assertEqual((status, body["status"]), (200, "ok"))
        status, _, page = http("GET", self.url + "/")
        self.assertEqual(status, 200)
        self.assertIn(b"Coffee Shop Ranker", page)
        self.assertNotIn(b"<script src=\"http", page)  # offline: no CDN

        # Add shops.
        ids = {}
        for name in ("Crema", "Solo", "Steady"):
            status, shop = self.api("POST", "/api/shops", {"name": name, "address": name + " Street 1", "lat": 48.2, "lon": 16.37})
            self.assertEqual(status, 201, shop)
            self.assertEqual(shop["name"], name)
            self.assertEqual(shop["votes"], 0)
            ids[name] = shop["id"]
        status, shop = self.api("GET", "/api/shops/" + ids["Crema"])
        self.assertEqual((status, shop["name"], shop["lat"]), (200, "Crema", 48.2))

        # Bad input gets a 4xx JSON answer with a message.
        for method, path, payload, want in [
            ("POST", "/api/shops", {"address": "x"}, 400),
            ("POST", "/api/shops", {"name": "x", "address": "y", "lat": 91, "lon": 0}, 400),
            ("PUT", "/api/shops/%s/ratings/alice" % ids["Crema"], {"stars": 6}, 400),
            ("PUT", "/api/shops/%s/ratings/alice" % ids["Crema"], {"stars": 4.5}, 400),
            ("PUT", "/api/shops/%s/ratings/bad%%20user" % ids["Crema"], {"stars": 4}, 400),
            ("PUT", "/api/shops/nosuchshop/ratings/alice", {"stars": 4}, 404),
            ("GET", "/api/shops/nosuchshop", None, 404),
        ]:
            status, body = self.api(method, path, payload)
            self.assertEqual(status, want, (path, payload, body))
            self.assertTrue(body["error"])
        status, body = self.api("POST", "/api/shops", raw=b"{not json", content_type="application/json")
        self.assertEqual(status, 400)

        # Rate, then change a vote: one vote per user, the aggregate follows.
        for shop, user, stars in [("Crema", "alice", 5), ("Crema", "bob", 4), ("Solo", "carol", 5)]:
            status, body = self.api("PUT", "/api/shops/%s/ratings/%s" % (ids[shop], user), {"stars": stars})
            self.assertEqual(status, 200, body)
        status, crema = self.api("PUT", "/api/shops/%s/ratings/bob" % ids["Crema"], {"stars": 2})
        self.assertEqual((crema["votes"], crema["rating"]), (2, 3.5))
        status, crema = self.api("PUT", "/api/shops/%s/ratings/bob" % ids["Crema"], {"stars": 2})  # same vote again
        self.assertEqual(crema["votes"], 2)
        vote = self.boto3("dynamodb").get_item(TableName=self.env["RANKER_RATINGS_TABLE"], ConsistentRead=True,
                                               Key={"shop_id": {"S": ids["Crema"]}, "user_id": {"S": "bob"}})
        self.assertEqual(vote["Item"]["stars"], {"N": "2"})

        # Ten voters at once on one shop: every vote counts exactly once (conditional transactions).
        def vote(i):
            return self.api("PUT", "/api/shops/%s/ratings/voter%d" % (ids["Steady"], i), {"stars": 4})[0]
        with concurrent.futures.ThreadPoolExecutor(5 if self.server.atomic_transactions else 1) as pool:
            self.assertEqual(list(pool.map(vote, range(10))), [200] * 10)
        status, steady = self.api("GET", "/api/shops/" + ids["Steady"])
        self.assertEqual((steady["votes"], steady["rating"]), (10, 4.0))

        # Photos: a raw body and a multipart form; junk and oversize are refused.
        png = self.read_fixture("photos", "espresso.png")
        jpg = self.read_fixture("graph.jpg")
        if self.server.faults:
            # The ranker's AWS client retries what AWS tells it to: one SlowDown on its PutObject
            # and one ThrottlingException on its next DynamoDB call are absorbed, not shown.
            for rule in ({"service": "s3", "operation": "PutObject", "error": "SlowDown", "count": 1},
                         {"service": "dynamodb", "error": "ThrottlingException", "count": 1}):
                status, _, body = http("POST", self.server.endpoint + "/_localaws/faults", json.dumps(rule).encode())
                self.assertEqual(status, 201, body)
        status, p1 = self.api("POST", "/api/shops/%s/photos" % ids["Crema"], raw=png, content_type="image/png")
        self.assertEqual(status, 201, p1)
        if self.server.faults:
            _, _, body = http("GET", self.server.endpoint + "/_localaws/faults")
            self.assertEqual([r["fired"] for r in json.loads(body)["faults"]], [1, 1])
            http("DELETE", self.server.endpoint + "/_localaws/faults")
        body, ctype = multipart("photo", "graph.jpg", jpg, "image/jpeg")
        status, p2 = self.api("POST", "/api/shops/%s/photos" % ids["Crema"], raw=body, content_type=ctype)
        self.assertEqual(status, 201, p2)
        self.assertTrue(p2["key"].endswith(".jpg"))
        status, body = self.api("POST", "/api/shops/%s/photos" % ids["Crema"], raw=b"GIF89a not allowed",
                                content_type="image/gif")
        self.assertEqual(status, 415, body)
        status, body = self.api("POST", "/api/shops/%s/photos" % ids["Crema"],
                                raw=png[:8] + b"\0" * (MAX_PHOTO + 1), content_type="image/png")
        self.assertEqual(status, 413, body)
        status, body = self.api("POST", "/api/shops/nosuchshop/photos", raw=png, content_type="image/png")
        self.assertEqual(status, 404, body)

        status, photos = self.api("GET", "/api/shops/%s/photos" % ids["Crema"])
        self.assertEqual(status, 200)
        self.assertEqual(sorted(p["key"] for p in photos), sorted([p1["key"], p2["key"]]))
        # Each photo opens from its public URL with no credentials at all, as in a browser.
        for p, data, mime in [(p1, png, "image/png"), (p2, jpg, "image/jpeg")]:
            status, hdrs, got = http("GET", p["url"])
            self.assertEqual(status, 200, (p["url"], got[:300]))
            self.assertEqual(got, data)
            self.assertEqual(hdrs.get("Content-Type"), mime)

        # Presigned upload: the client PUTs straight to S3, then the app checks the bytes.
        base = "/api/shops/%s/photo-uploads" % ids["Solo"]
        status, up = self.api("POST", base)
        self.assertEqual((status, up["method"]), (201, "PUT"), up)
        self.assertIn("X-Amz-Signature=", up["url"])
        status, _, got = http("PUT", up["url"], png, {"Content-Type": "image/png"})
        self.assertEqual(status, 200, got[:300])
        status, p3 = self.api("POST", base + "/" + up["upload_id"])
        self.assertEqual(status, 201, p3)
        status, _, got = http("GET", p3["url"])
        self.assertEqual((status, got), (200, png))
        status, junk = self.api("POST", base)
        status, _, _ = http("PUT", junk["url"], b"<html>not an image</html>", {"Content-Type": "image/png"})
        self.assertEqual(status, 200)
        status, body = self.api("POST", base + "/" + junk["upload_id"])
        self.assertEqual(status, 415, body)
        status, body = self.api("POST", base + "/" + junk["upload_id"])  # refused uploads are deleted
        self.assertEqual(status, 404, body)
        status, body = self.api("POST", base + "/" + "0" * 24)
        self.assertEqual(status, 404, body)
        status, photos = self.api("GET", "/api/shops/%s/photos" % ids["Solo"])
        self.assertEqual([p["key"] for p in photos], [p3["key"]])

        # The ranking: a Bayesian average, so Solo's single 5 does not beat Steady's ten 4s.
        status, ranking = self.api("GET", "/api/shops")
        self.assertEqual(status, 200)
        self.assertEqual([s["name"] for s in ranking], ["Steady", "Solo", "Crema"])
        for s in ranking:
            self.assertTrue({"id", "name", "rating", "votes", "score"} <= set(s))
        self.assertEqual([s["votes"] for s in ranking], [10, 1, 2])
        scores = [s["score"] for s in ranking]
        self.assertEqual(scores, sorted(scores, reverse=True))

        # Demo data loads, twice without harm, and ranks as the fixtures README says.
        self.ranker("seed", fixtures_dir())
        self.ranker("seed", fixtures_dir())
        status, ranking = self.api("GET", "/api/shops")
        names = [s["name"] for s in ranking]
        self.assertEqual(len(names), 7)
        self.assertLess(names.index("Blue Door Espresso"), names.index("Single Origin Kiosk"))
        blue = next(s for s in ranking if s["id"] == "seed-blue-door")
        self.assertEqual(blue["votes"], 12)
        status, photos = self.api("GET", "/api/shops/seed-old-roastery/photos")
        self.assertEqual(len(photos), 1)
        status, _, got = http("GET", photos[0]["url"])
        self.assertEqual((status, got), (200, self.read_fixture("photos", "roastery.jpg")))
