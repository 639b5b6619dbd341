"""docker-compose.yml and the Dockerfile stay valid (no Docker engine here: `docker-compose config`
checks the file, and the build already produces the binaries the image copies)."""
import os
import re
import subprocess
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


class PackagingTest(unittest.TestCase):
    def test_compose_file_is_valid(self):
        p = subprocess.run(["docker-compose", "-f", os.path.join(ROOT, "docker-compose.yml"), "config"],
                           capture_output=True, text=True, cwd=ROOT)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("localaws:", p.stdout)
        self.assertIn("ranker:", p.stdout)
        self.assertIn("service_healthy", p.stdout)
        self.assertIn("AWS_ENDPOINT_URL: http://localaws:4566", p.stdout)

    def test_dockerfile_builds_targets_that_exist(self):
        with open(os.path.join(ROOT, "Dockerfile")) as f:
            docker = f.read()
        targets = re.search(r"--target ([\w ]+)", docker).group(1).split()
        self.assertEqual(sorted(targets), ["localaws", "ranker"])
        # The image copies what those targets produce; this build made the same targets.
        build_dir = os.path.dirname(os.path.dirname(os.environ["LOCALAWS_BIN"]))
        for path in re.findall(r"COPY --from=build /src/build/release/(\S+)", docker):
            self.assertTrue(os.path.exists(os.path.join(build_dir, path.split()[0])), path)
        self.assertIn("USER localaws", docker)
        self.assertIn("HEALTHCHECK", docker)
        self.assertIn("LOCALAWS_HOST=0.0.0.0", docker)


if __name__ == "__main__":
    unittest.main()
