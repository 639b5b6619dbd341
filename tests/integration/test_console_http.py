"""The web console's files as the binary serves them: the page, its assets with the right types, and
nothing that would make a browser fetch from the network (the console must work offline)."""
import os
import re
import unittest
import urllib.request

from localaws_support import ROOT, LocalAws

CONSOLE_DIR = os.path.join(ROOT, "emulator", "src", "control", "console")


class ConsoleHttpTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = LocalAws(in_memory=True).start()

    @classmethod
    def tearDownClass(cls):
        cls.server.close()

    def test_page_and_every_file_are_served_as_in_the_repo(self):
        status, headers, body = self.server.get("/_localaws/console")
        self.assertEqual(status, 200)
        self.assertEqual(headers["Content-Type"], "text/html; charset=utf-8")
        self.assertIn("default-src 'self'", headers["Content-Security-Policy"])
        with open(os.path.join(CONSOLE_DIR, "index.html"), "rb") as f:
            self.assertEqual(body, f.read())
        types = {".html": "text/html", ".css": "text/css", ".js": "text/javascript", ".svg": "image/svg+xml"}
        names = sorted(n for n in os.listdir(CONSOLE_DIR) if os.path.splitext(n)[1] in types)
        self.assertIn("app.js", names)
        for name in names:
            status, headers, body = self.server.get("/_localaws/console/" + name)
            self.assertEqual(status, 200, name)
            self.assertTrue(headers["Content-Type"].startswith(types[os.path.splitext(name)[1]]), name)
            with open(os.path.join(CONSOLE_DIR, name), "rb") as f:
                self.assertEqual(body, f.read(), name + " differs from the repo: rebuild")

    def test_what_the_page_loads_exists(self):
        _, _, page = self.server.get("/_localaws/console")
        refs = re.findall(r'(?:src|href)="(/[^"]+)"', page.decode())
        self.assertGreaterEqual(len(refs), 3)
        for ref in refs:
            self.assertEqual(self.server.get(ref)[0], 200, ref)
        # Modules import each other by relative path; each must exist.
        for name in os.listdir(CONSOLE_DIR):
            if name.endswith(".js"):
                with open(os.path.join(CONSOLE_DIR, name)) as f:
                    for dep in re.findall(r'from "\./([^"]+)"', f.read()):
                        self.assertEqual(self.server.get("/_localaws/console/" + dep)[0], 200, name + " -> " + dep)

    def test_nothing_is_fetched_from_the_network(self):
        for name in os.listdir(CONSOLE_DIR):
            with open(os.path.join(CONSOLE_DIR, name)) as f:
                text = f.read()
            self.assertIsNone(re.search(r'(?:src|href)\s*=\s*"(?:https?:)?//', text), name)
            self.assertIsNone(re.search(r'url\(\s*["\']?(?:https?:)?//', text), name)
            self.assertIsNone(re.search(r'(?:import|from)\s*\(?\s*["\'](?:https?:)?//', text), name)
            self.assertIsNone(re.search(r'fetch\(\s*["\'`](?:https?:)?//', text), name)

    def test_head_unknown_file_and_other_methods(self):
        req = urllib.request.Request(self.server.endpoint + "/_localaws/console/app.js", method="HEAD")
        with urllib.request.urlopen(req, timeout=10) as r:
            self.assertEqual(r.status, 200)
            self.assertGreater(int(r.headers["Content-Length"]), 0)
            self.assertEqual(r.read(), b"")
        self.assertEqual(self.server.get("/_localaws/console/nope.js")[0], 404)
        self.assertEqual(self.server.get("/_localaws/console/../health")[0], 404)
        status, headers, _ = self.server.post("/_localaws/console", b"x")
        self.assertEqual(status, 405)
        self.assertEqual(headers["Allow"], "GET, HEAD")


class ConsoleWithControlTokenTest(unittest.TestCase):
    def test_console_is_served_without_the_token_the_control_api_needs(self):
        with LocalAws("--control-token", "s3cret", in_memory=True) as server:
            self.assertEqual(server.get("/_localaws/console")[0], 200)
            self.assertEqual(server.get("/_localaws/console/app.js")[0], 200)
            self.assertEqual(server.post("/_localaws/reset")[0], 401)


if __name__ == "__main__":
    unittest.main()
