"""The ranker's command line answers a typo with what was probably meant (issue 20).

Registered with CTest as "app-e2e: cli typos". Environment: RANKER_BIN (the ranker binary).
"""
import os
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import story  # noqa: E402


def ranker(*args):
    # No AWS call is reached: parsing fails first. A region keeps any later failure about the typo.
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env["AWS_REGION"] = "us-east-1"
    return subprocess.run([story.ranker_bin(), *args], env=env, capture_output=True, text=True, timeout=60)


class CliTypos(unittest.TestCase):
    def check(self, args, message):
        p = ranker(*args)
        self.assertNotEqual(p.returncode, 0, (args, p.stdout, p.stderr))
        self.assertIn(message, p.stderr, args)
        self.assertIn("--help", p.stderr)

    def test_mistyped_flags(self):
        self.check(["serve", "--prot", "0"], "unknown option --prot; did you mean --port (of serve)?")
        self.check(["serve", "--prot=0"], "unknown option --prot; did you mean --port (of serve)?")
        self.check(["--buckt", "photos", "init"], "unknown option --buckt; did you mean --bucket?")
        self.check(["--shop-table", "t", "init"], "unknown option --shop-table; did you mean --shops-table?")

    def test_flag_of_a_subcommand_given_before_it(self):
        self.check(["--port", "0", "serve"], "--port is an option of serve: ranker serve --port")

    def test_mistyped_subcommand(self):
        self.check(["serv"], "unknown command serv; did you mean serve?")

    def test_no_wild_guess(self):
        p = ranker("serve", "--verbose")
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("unknown option --verbose", p.stderr)
        self.assertNotIn("did you mean", p.stderr)

    def test_help_still_works(self):
        p = ranker("--help")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("serve", p.stdout)


if __name__ == "__main__":
    unittest.main()
