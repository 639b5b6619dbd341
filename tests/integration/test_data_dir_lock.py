"""One localaws per data directory (DATA_DIR/LOCK held with flock for the process's life): a
second process on the same directory exits with a message naming the holder's pid and leaves the
first one's data alone; a kill -9 leaves no lock behind; --in-memory with --data-dir is an error;
scripts/localaws passes every flag through. docs/harness.md "One server per port and data dir"."""
import os
import shutil
import subprocess
import tempfile
import time
import unittest

from localaws_support import LocalAws, localaws_bin

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))


def run(*args, env=None, timeout=20):
    return subprocess.run([localaws_bin(), "--port", "0", *args], capture_output=True, text=True, timeout=timeout,
                          env=env)


class DataDirLockTest(unittest.TestCase):
    def test_second_process_on_the_same_dir_is_refused(self):
        with LocalAws() as first:
            s3 = first.boto3_client("s3")
            s3.create_bucket(Bucket="kept")
            s3.put_object(Bucket="kept", Key="k", Body=b"payload")
            p = run("--data-dir", first.data_dir)
            self.assertEqual(p.returncode, 1, p.stderr)
            self.assertIn("data directory %s is in use by another localaws (pid %d)" % (first.data_dir, first.proc.pid),
                          p.stderr)
            # The first one still serves its data.
            self.assertEqual(s3.get_object(Bucket="kept", Key="k")["Body"].read(), b"payload")

    def test_kill9_leaves_no_stale_lock(self):
        server = LocalAws().start()
        try:
            server.boto3_client("s3").create_bucket(Bucket="survives")
            server.kill9()
            self.assertTrue(os.path.exists(os.path.join(server.data_dir, "LOCK")))  # the file stays, the lock goes
            server.start()
            names = [b["Name"] for b in server.boto3_client("s3").list_buckets()["Buckets"]]
            self.assertEqual(names, ["survives"])
        finally:
            server.close()

    def test_in_memory_with_a_data_dir_is_an_error(self):
        tmp = tempfile.mkdtemp(prefix="localaws-lock-")
        try:
            for args in (["--in-memory", "--data-dir", tmp], ["--data-dir=" + tmp, "--in-memory"]):
                p = run(*args)
                self.assertEqual(p.returncode, 2, p.stderr)
                self.assertIn("--in-memory and --data-dir cannot be used together", p.stderr)
            # From the environment (the container image sets it), --in-memory wins and says so.
            ready = os.path.join(tmp, "ready")
            env = dict(os.environ, LOCALAWS_DATA_DIR=os.path.join(tmp, "env-dir"))
            proc = subprocess.Popen([localaws_bin(), "--port", "0", "--in-memory", "--ready-file", ready],
                                    stderr=subprocess.PIPE, text=True, env=env)
            try:
                line = proc.stderr.readline()
                self.assertIn("--in-memory: LOCALAWS_DATA_DIR (%s) is not used" % env["LOCALAWS_DATA_DIR"], line)
            finally:
                proc.terminate()
                proc.wait(10)
            self.assertFalse(os.path.exists(env["LOCALAWS_DATA_DIR"]))
        finally:
            shutil.rmtree(tmp, ignore_errors=True)


class WrapperTest(unittest.TestCase):
    """scripts/localaws, pointed at the binary under test with LOCALAWS_BIN (without it, it builds
    build/release first)."""

    def wrapper(self, *args, data_dir_env=None, **kw):
        env = dict(os.environ, LOCALAWS_BIN=localaws_bin())
        env.pop("LOCALAWS_DATA_DIR", None)
        if data_dir_env:
            env["LOCALAWS_DATA_DIR"] = data_dir_env
        return subprocess.Popen([os.path.join(ROOT, "scripts", "localaws"), *args], env=env, text=True, **kw)

    def test_help_answers_without_building(self):
        p = self.wrapper("--help", stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        out, err = p.communicate(timeout=30)
        self.assertEqual(p.returncode, 0, err)
        self.assertIn("--data-dir", out)
        self.assertNotIn("building", err)

    def test_data_dir_and_in_memory_pass_through(self):
        tmp = tempfile.mkdtemp(prefix="localaws-wrapper-")
        try:
            for extra in (["--data-dir", os.path.join(tmp, "chosen")], ["--in-memory"], []):
                # With neither flag the wrapper picks $LOCALAWS_DATA_DIR (default ./data).
                env_dir = os.path.join(tmp, "from-env") if not extra else None
                ready = os.path.join(tmp, "ready")
                if os.path.exists(ready):
                    os.remove(ready)
                proc = self.wrapper("--port", "0", "--ready-file", ready, *extra, data_dir_env=env_dir,
                                    stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=tmp)
                try:
                    deadline = time.time() + 30
                    while time.time() < deadline and not os.path.exists(ready) and proc.poll() is None:
                        time.sleep(0.01)
                    self.assertTrue(os.path.exists(ready), proc.stderr.read() if proc.poll() is not None else extra)
                finally:
                    proc.terminate()
                    proc.wait(10)
                    proc.stderr.close()
            self.assertTrue(os.path.exists(os.path.join(tmp, "chosen", "localaws.db")))
            self.assertTrue(os.path.exists(os.path.join(tmp, "from-env", "localaws.db")))
            self.assertEqual(sorted(n for n in os.listdir(tmp) if n != "ready"), ["chosen", "from-env"])  # not --in-memory
        finally:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    unittest.main()
