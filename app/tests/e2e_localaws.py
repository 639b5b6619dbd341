"""The same story, same ranker binary, against localaws: only the endpoint differs (and, over
HTTPS, the CA bundle).

Registered with CTest as "app-e2e: localaws".
"""
import os
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import story  # noqa: E402


class RankerOnLocalAws(story.RankerStory, unittest.TestCase):
    def make_server(self):
        return story.LocalAwsServer()


class RankerOnLocalAwsTls(story.RankerStory, unittest.TestCase):
    """The story over HTTPS: localaws --tls, the ranker trusting its CA through AWS_CA_BUNDLE."""

    def make_server(self):
        return story.LocalAwsServer(tls=True)

    def tearDown(self):
        super().tearDown()
        story.TLS_CA = None

    def test_refused_without_the_ca_bundle(self):
        env = {k: v for k, v in self.env.items() if k != "AWS_CA_BUNDLE"}
        p = subprocess.run([story.ranker_bin(), "init"], env=env, capture_output=True, text=True, timeout=300)
        self.assertNotEqual(p.returncode, 0, p.stdout)
        self.assertIn("SSLServerVerification", p.stderr)


if __name__ == "__main__":
    unittest.main()
