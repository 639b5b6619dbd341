"""restic (Debian's 0.14) with its S3 backend against localaws, a realistic backup workflow:
init, a backup of a generated tree of 3000 files, a second backup after changes, snapshots,
check --read-data, restores compared byte for byte with the source, forget --keep-last 1 --prune,
check again. Each step is timed beside moto_server (printed, never asserted; moto may fail)."""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from clients_support import LocalAws, Moto, StepTimes, make_tree, mutate_tree, step_runner, tree_differences  # noqa: E402

FILES = 3000
SEED = 12
PASSWORD = "correct horse battery staple"
STEP_TIMEOUT = 240


def restic(env, *args, timeout=STEP_TIMEOUT):
    # -o s3.bucket-lookup=path: path-style requests (http://127.0.0.1:port/bucket/...), as for any
    # S3 endpoint given by IP address.
    cmd = ["restic", "-o", "s3.bucket-lookup=path"] + list(args)
    p = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout)
    if p.returncode != 0:
        raise AssertionError("restic %s failed (%d):\n%s\n%s" % (" ".join(args), p.returncode,
                                                               p.stdout[-3000:], p.stderr[-3000:]))
    # restic retries failed backend calls quietly ("... returned error, retrying after ..."): none
    # should have failed.
    if "retrying" in p.stderr:
        raise AssertionError("restic %s retried backend calls:\n%s" % (" ".join(args), p.stderr[-3000:]))
    return p


def json_lines(text):
    return [json.loads(line) for line in text.splitlines() if line.strip().startswith("{")]


class ResticTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="restic-")
        cls.la = LocalAws(in_memory=True).start()
        cls.moto = Moto().start()
        cls.times = StepTimes("restic %s, %d files" % (cls.restic_version(), FILES))

    @classmethod
    def tearDownClass(cls):
        cls.times.print()
        cls.moto.close()
        cls.la.close()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    @staticmethod
    def restic_version():
        p = subprocess.run(["restic", "version"], capture_output=True, text=True, timeout=30)
        return p.stdout.split()[1] if p.returncode == 0 else "?"

    def env_for(self, target, base_env, endpoint, bucket):
        env = {k: v for k, v in base_env.items() if not k.startswith("RESTIC_")}
        env.update({"RESTIC_REPOSITORY": "s3:%s/%s/repo" % (endpoint, bucket),
                    "RESTIC_PASSWORD": PASSWORD,
                    "RESTIC_CACHE_DIR": os.path.join(self.tmp, "cache-" + target)})
        return env

    def workflow(self, target, env, s3):
        """The whole workflow against one server; every step asserts what it should have done."""
        run = step_runner(self.times, target, self.la if target == "localaws" else None)
        root = os.path.join(self.tmp, target)
        src = os.path.join(root, "src")
        files = make_tree(src, FILES, SEED)
        bucket = env["RESTIC_REPOSITORY"].split("/")[3]

        def init():
            p = restic(env, "init")
            self.assertIn("created restic repository", p.stdout)
            keys = [o["Key"] for o in s3.list_objects_v2(Bucket=bucket, Prefix="repo/").get("Contents", [])]
            self.assertIn("repo/config", keys)
            self.assertEqual(1, len([k for k in keys if k.startswith("repo/keys/")]), keys)
        run("init (creates the bucket)", init)

        def backup(step, new, changed, unmodified):
            def go():
                p = restic(env, "backup", "--json", "--host", "ci", src)
                summary = [m for m in json_lines(p.stdout) if m.get("message_type") == "summary"]
                self.assertEqual(1, len(summary), p.stdout[-2000:])
                s = summary[0]
                self.assertEqual((new, changed, unmodified),
                                 (s["files_new"], s["files_changed"], s["files_unmodified"]), s)
                return s["snapshot_id"]
            return run(step, go)
        snap1 = backup("backup 1 (%d files)" % FILES, FILES, 0, 0)

        changed, removed, added = mutate_tree(src, files, SEED + 1)
        snap2 = backup("backup 2 (%d changed, %d removed, %d added)" % (len(changed), len(removed), len(added)),
                       len(added), len(changed), FILES - len(changed) - len(removed))

        def snapshots(expected):
            snaps = json.loads(restic(env, "snapshots", "--json").stdout)
            self.assertEqual(expected, [s["short_id"] for s in snaps])
            for s in snaps:
                self.assertEqual([src], s["paths"])
                self.assertEqual("ci", s["hostname"])
            keys = [o["Key"] for o in s3.list_objects_v2(Bucket=bucket, Prefix="repo/snapshots/").get("Contents", [])]
            self.assertEqual(sorted(expected), sorted(k[len("repo/snapshots/"):][:8] for k in keys))
        run("snapshots", lambda: snapshots([snap1, snap2]))

        def check(step):
            def go():
                p = restic(env, "check", "--read-data")
                self.assertIn("no errors were found", p.stdout + p.stderr)
            run(step, go)
        check("check --read-data")

        def restore(step, snapshot, expected_tree):
            target_dir = os.path.join(root, "restore-" + snapshot[:8])
            run(step, lambda: restic(env, "restore", snapshot, "--target", target_dir))
            # restic restores the snapshot's absolute paths below the target. (Compared untimed.)
            self.assertEqual([], tree_differences(expected_tree, target_dir + src))
            shutil.rmtree(target_dir)
        restore("restore latest", "latest", src)
        original = os.path.join(root, "original")
        make_tree(original, FILES, SEED)
        restore("restore first snapshot", snap1, original)

        def forget():
            p = restic(env, "forget", "--keep-last", "1", "--prune")
            self.assertIn("remove 1 snapshots", p.stdout)
            snapshots([snap2])
        run("forget --keep-last 1 --prune", forget)
        check("check --read-data after prune")
        restore("restore after prune", "latest", src)
        if run.journal:
            print("localaws calls: " + run.journal.summary(), flush=True)

    def test_backup_workflow(self):
        self.assertIsNotNone(shutil.which("restic"), "restic is not installed (scripts/deps.sh test)")
        la_env = self.env_for("localaws", self.la.client_env(), self.la.endpoint, "restic-backups")
        self.workflow("localaws", la_env, self.la.boto3_client("s3"))
        if self.moto.available:
            moto_env = self.env_for("moto", self.moto.client_env(), self.moto.endpoint, "restic-backups")
            try:
                self.workflow("moto", moto_env, self.moto.boto3_client("s3"))
            except Exception as e:  # moto's failures are printed, not ours to fix
                print("moto: failed (%s)" % str(e).strip()[-500:], flush=True)


class ResticTlsTest(unittest.TestCase):
    """restic over HTTPS (localaws --tls): the repository s3:https://127.0.0.1:PORT/bucket/repo and
    `--cacert` naming the CA localaws printed (AWS_CA_BUNDLE unset: restic does not read it), refused
    without it; init, a backup of 200 files, snapshots, check --read-data, and a restore compared byte
    for byte with the source."""

    def test_https_backup_restore(self):
        self.assertIsNotNone(shutil.which("restic"), "restic is not installed (scripts/deps.sh test)")
        with LocalAws("--tls", in_memory=True) as server:
            self.assertTrue(server.endpoint.startswith("https://"), server.endpoint)
            tmp = os.path.join(server.tmp, "restic-tls")
            env = {k: v for k, v in server.client_env().items() if k != "AWS_CA_BUNDLE" and not k.startswith("RESTIC_")}
            env.update({"RESTIC_REPOSITORY": "s3:%s/restic-tls/repo" % server.endpoint, "RESTIC_PASSWORD": PASSWORD,
                        "RESTIC_CACHE_DIR": os.path.join(tmp, "cache")})
            ca = ["--cacert", server.ca_bundle]

            p = subprocess.run(["restic", "-o", "s3.bucket-lookup=path", "snapshots"], env=env, capture_output=True,
                               text=True, timeout=STEP_TIMEOUT)
            self.assertNotEqual(p.returncode, 0)
            self.assertIn("x509: certificate signed by unknown authority", p.stderr)

            self.assertIn("created restic repository", restic(env, *ca, "init").stdout)
            src = os.path.join(tmp, "src")
            make_tree(src, 200, SEED + 7, large=1)
            out = restic(env, *ca, "backup", "--json", "--host", "ci", src).stdout
            summary = [m for m in json_lines(out) if m.get("message_type") == "summary"]
            self.assertEqual(1, len(summary), out[-2000:])
            self.assertEqual(200, summary[0]["files_new"], summary[0])
            snaps = json.loads(restic(env, *ca, "snapshots", "--json").stdout)
            self.assertEqual([summary[0]["snapshot_id"][:8]], [s["short_id"] for s in snaps])
            keys = [o["Key"] for o in server.boto3_client("s3").list_objects_v2(
                Bucket="restic-tls", Prefix="repo/snapshots/").get("Contents", [])]
            self.assertEqual(1, len(keys), keys)
            p = restic(env, *ca, "check", "--read-data")
            self.assertIn("no errors were found", p.stdout + p.stderr)
            target = os.path.join(tmp, "restore")
            restic(env, *ca, "restore", "latest", "--target", target)
            self.assertEqual([], tree_differences(src, target + src))


if __name__ == "__main__":
    unittest.main()
