"""A first run of localaws (issue 20): the start-up line names the console's URL, a browser
opening the endpoint itself is sent to the console (SDK calls and anonymous non-browser calls to
GET / are not), and a mistyped flag is answered with the flag it was probably meant to be."""
import http.client
import re
import ssl
import subprocess
import unittest
import urllib.parse

import boto3
import botocore.config

from localaws_support import LocalAws, localaws_bin

CHROME_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"


def raw(srv, method, path, headers, endpoint=None):
    """One request with exactly these headers (no redirect followed): (status, headers, body)."""
    u = urllib.parse.urlsplit(endpoint or srv.endpoint)
    if u.scheme == "https":
        conn = http.client.HTTPSConnection(u.hostname, u.port, timeout=30,
                                           context=ssl.create_default_context(cafile=srv.ca_bundle))
    else:
        conn = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
    try:
        conn.putrequest(method, path, skip_host="host" in {k.lower() for k in headers}, skip_accept_encoding=True)
        for k, v in headers.items():
            conn.putheader(k, v)
        conn.endheaders()
        r = conn.getresponse()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()
    finally:
        conn.close()


def startup_line(srv):
    return next(line for line in srv.read_log(limit=None).splitlines() if " listening on " in line)


class StartupLine(unittest.TestCase):
    def test_names_the_console(self):
        with LocalAws(in_memory=True) as srv:
            line = startup_line(srv)
            self.assertIn("listening on " + srv.endpoint + " (", line)
            self.assertTrue(line.endswith("; console: %s/_localaws/console" % srv.endpoint), line)
            url = re.search(r"console: (\S+)$", line).group(1)
            status, headers, body = raw(srv, "GET", urllib.parse.urlsplit(url).path, {})
            self.assertEqual(status, 200)
            self.assertIn(b"<!doctype html>", body.lower())

    def test_https_console_with_tls(self):
        with LocalAws("--tls", in_memory=True) as srv:
            self.assertTrue(srv.endpoint.startswith("https://"), srv.endpoint)
            self.assertIn("console: %s/_localaws/console" % srv.endpoint, startup_line(srv))

    def test_print_endpoint_prints_only_the_endpoint(self):
        # Scripts read stdout as the endpoint: the console line must not end up there.
        p = subprocess.Popen([localaws_bin(), "--port", "0", "--in-memory", "--print-endpoint"],
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        try:
            self.assertRegex(p.stdout.readline(), r"^http://127\.0\.0\.1:\d+\n$")
        finally:
            p.terminate()
            p.wait(60)
            p.stdout.close()


class BrowserRedirect(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = LocalAws(in_memory=True).start()
        cfg = botocore.config.Config(retries={"max_attempts": 1}, s3={"addressing_style": "path"})
        cls.s3 = boto3.client("s3", endpoint_url=cls.srv.endpoint, region_name="us-east-1", config=cfg,
                              aws_access_key_id="test", aws_secret_access_key="test")
        cls.s3.create_bucket(Bucket="first-run")

    @classmethod
    def tearDownClass(cls):
        cls.srv.close()

    def journal(self):
        import json
        status, _, body = raw(self.srv, "GET", "/_localaws/requests?limit=1000", {})
        return json.loads(body)["requests"]

    def test_browser_is_sent_to_the_console(self):
        for method in ("GET", "HEAD"):
            status, headers, body = raw(self.srv, method, "/", {"Accept": CHROME_ACCEPT})
            self.assertEqual(status, 302, (method, body))
            self.assertEqual(headers["location"], "/_localaws/console/")
            self.assertIn("accept", headers["vary"].lower())
            if method == "GET":
                self.assertIn(b"/_localaws/console/", body)
            else:
                self.assertEqual(body, b"")
        status, headers, body = raw(self.srv, "GET", "/_localaws/console/", {"Accept": CHROME_ACCEPT})
        self.assertEqual(status, 200)
        self.assertTrue(headers["content-type"].startswith("text/html"))
        ops = [(e["method"], e["resource"], e["operation"], e["status"]) for e in self.journal()]
        self.assertIn(("GET", "/", "ConsoleRedirect", 302), ops)
        self.assertIn(("HEAD", "/", "ConsoleRedirect", 302), ops)

    def test_sdk_list_buckets_is_untouched(self):
        names = [b["Name"] for b in self.s3.list_buckets()["Buckets"]]
        self.assertIn("first-run", names)
        # Even a signed call that asks for HTML gets its XML answer.
        self.s3.meta.events.register_first("before-sign.s3.ListBuckets",
                                           lambda request, **kw: request.headers.__setitem__("Accept", "text/html"))
        try:
            self.assertIn("first-run", [b["Name"] for b in self.s3.list_buckets()["Buckets"]])
        finally:
            self.s3.meta.events.unregister("before-sign.s3.ListBuckets")

    def test_anonymous_non_browser_get_is_access_denied(self):
        for headers in ({}, {"Accept": "*/*", "User-Agent": "curl/7.88.1"}, {"Accept": "application/xml"}):
            status, h, body = raw(self.srv, "GET", "/", headers)
            self.assertEqual(status, 403, (headers, body))
            self.assertIn(b"<Code>AccessDenied</Code>", body)
            self.assertNotIn("location", h)

    def test_signed_or_parameterised_requests_are_not_redirected(self):
        presigned = self.s3.generate_presigned_url("list_buckets", ExpiresIn=300)
        u = urllib.parse.urlsplit(presigned)
        status, headers, body = raw(self.srv, "GET", "/?" + u.query, {"Accept": CHROME_ACCEPT})
        self.assertEqual(status, 200, body)
        self.assertIn(b"<Name>first-run</Name>", body)
        for path, headers in (("/?max-buckets=5", {"Accept": CHROME_ACCEPT}),
                              ("/", {"Accept": CHROME_ACCEPT, "X-Amz-Date": "20260101T000000Z"}),
                              ("/", {"Accept": CHROME_ACCEPT, "Authorization": "AWS4-HMAC-SHA256 nonsense"})):
            status, h, body = raw(self.srv, "GET", path, headers)
            self.assertNotEqual(status, 302, (path, headers))
            self.assertNotIn("location", h)

    def test_virtual_hosted_bucket_is_not_redirected(self):
        # first-run.s3.localhost:PORT/ is that bucket's listing (anonymous: refused), not the endpoint.
        port = urllib.parse.urlsplit(self.srv.endpoint).port
        status, h, body = raw(self.srv, "GET", "/", {"Host": "first-run.s3.localhost:%d" % port,
                                                     "Accept": CHROME_ACCEPT})
        self.assertEqual(status, 403, body)
        self.assertIn(b"AccessDenied", body)
        self.assertNotIn("location", h)


class FlagTypos(unittest.TestCase):
    def run_localaws(self, *args):
        return subprocess.run([localaws_bin(), *args], capture_output=True, text=True, timeout=60)

    def test_nearest_flag_is_suggested(self):
        for args, unknown, meant in ((["--prot", "4566"], "--prot", "--port"),
                                     (["--prot=4566"], "--prot", "--port"),
                                     (["--in-memroy"], "--in-memroy", "--in-memory"),
                                     (["--data_dir", "/tmp/x"], "--data_dir", "--data-dir"),
                                     (["--port", "0", "--tls-prot", "0"], "--tls-prot", "--tls-port")):
            p = self.run_localaws(*args)
            self.assertNotEqual(p.returncode, 0, args)
            self.assertIn("unknown option %s; did you mean %s?" % (unknown, meant), p.stderr)
            self.assertIn("--help", p.stderr)

    def test_no_wild_guess(self):
        p = self.run_localaws("--verbose")
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("unknown option --verbose", p.stderr)
        self.assertNotIn("did you mean", p.stderr)

    def test_known_flags_still_work(self):
        p = self.run_localaws("--help")
        self.assertEqual(p.returncode, 0)
        self.assertIn("--port", p.stdout)


if __name__ == "__main__":
    unittest.main()
