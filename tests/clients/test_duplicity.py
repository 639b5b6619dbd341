"""duplicity (Debian's 0.8.22) with its boto3 S3 backend (`boto3+s3://bucket/prefix`, Debian's
python3-boto3) against localaws, a realistic backup workflow with gpg symmetric encryption: full
backup of a generated tree (volumes large enough to go up in multipart uploads), incremental after
changes, collection-status, verify --compare-data, restores into new directories from a fresh
archive dir (as after losing the machine) compared byte for byte, a second full backup,
remove-all-but-n-full 1 --force. Each step is timed beside moto_server (printed, never asserted;
moto may fail)."""
import calendar
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from clients_support import LocalAws, Moto, StepTimes, make_tree, mutate_tree, step_runner, tree_differences  # noqa: E402

FILES = 300
SEED = 7
LARGE = 4  # incompressible 1-3 MiB files: two or more 6 MB volumes
STEP_TIMEOUT = 240
BUCKET = "duplicity-backups"
PREFIX = "host1/home"


def parse_stats(text):
    """duplicity's "--------------[ Backup Statistics ]" block as {name: int}."""
    stats = {}
    for line in text.splitlines():
        m = re.match(r"^(\w+) (\d+)(\.\d+)?( |$)", line)
        if m:
            stats[m.group(1)] = int(m.group(2))
    return stats


def count_entries(root):
    """Files and directories below root, plus root itself: what duplicity calls SourceFiles."""
    n = 1
    for _, dirs, files in os.walk(root):
        n += len(dirs) + len(files)
    return n


class DuplicityTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="duplicity-")
        cls.la = LocalAws(in_memory=True).start()
        cls.moto = Moto().start()
        cls.gnupg_homes = []
        cls.times = StepTimes("duplicity %s (boto3+s3, gpg symmetric), %d files" % (cls.version(), FILES))

    @classmethod
    def tearDownClass(cls):
        cls.times.print()
        for home in cls.gnupg_homes:  # the gpg-agent gpg started for this home only
            subprocess.run(["gpgconf", "--homedir", home, "--kill", "gpg-agent"], capture_output=True, timeout=30)
        cls.moto.close()
        cls.la.close()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    @staticmethod
    def version():
        p = subprocess.run(["duplicity", "--version"], capture_output=True, text=True, timeout=60)
        return p.stdout.split()[-1] if p.returncode == 0 else "?"

    def workflow(self, target, base_env, endpoint, s3):
        run = step_runner(self.times, target, self.la if target == "localaws" else None)
        root = os.path.join(self.tmp, target)
        src = os.path.join(root, "src")
        files = make_tree(src, FILES, SEED, large=LARGE)
        gnupg = os.path.join(root, "gnupg")
        os.makedirs(gnupg, mode=0o700)
        self.gnupg_homes.append(gnupg)
        # duplicity runs under Debian's /usr/bin/python3: nothing of this interpreter's setup.
        env = {k: v for k, v in base_env.items() if not k.startswith("PYTHON") or k == "PYTHONDONTWRITEBYTECODE"}
        env.update({"PASSPHRASE": "duplicity test passphrase", "GNUPGHOME": gnupg})
        url = "boto3+s3://%s/%s" % (BUCKET, PREFIX)

        def duplicity(*args, archive="archive"):
            cmd = ["duplicity"] + list(args) + [
                "--s3-endpoint-url", endpoint, "--archive-dir", os.path.join(root, archive), "--name", "home",
                "--tempdir", os.path.join(root, "tmp"), "--num-retries", "2", "--backend-retry-delay", "1",
                "--volsize", "6", "--s3-multipart-chunk-size", "5"]
            p = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=STEP_TIMEOUT)
            if p.returncode != 0:
                raise AssertionError("duplicity %s failed (%d):\n%s\n%s" % (args[0], p.returncode,
                                                                          p.stdout[-3000:], p.stderr[-3000:]))
            # duplicity retries a failed backend call after "Attempt of put Nr. 1 failed. <error>":
            # none should fail.
            self.assertNotRegex(p.stdout + p.stderr, r"Attempt of \S+ Nr\. \d+ failed")
            return p.stdout
        os.makedirs(os.path.join(root, "tmp"))

        def keys():
            pages = s3.get_paginator("list_objects_v2").paginate(Bucket=BUCKET, Prefix=PREFIX + "/")
            return sorted(o["Key"][len(PREFIX) + 1:] for page in pages for o in page.get("Contents", []))

        def backup_time(kind, names):
            stamps = sorted({m.group(1) for m in (re.match(r"duplicity-%s\.(\d{8}T\d{6}Z)\." % kind, n) for n in names) if m})
            return stamps

        s3.create_bucket(Bucket=BUCKET)

        def full(step):
            def go():
                before = backup_time("full", keys())
                stats = parse_stats(duplicity("full", src, url))
                entries = count_entries(src)
                self.assertEqual((0, entries, entries), (stats["Errors"], stats["SourceFiles"], stats["NewFiles"]), stats)
                names = keys()
                stamps = [s for s in backup_time("full", names) if s not in before]
                self.assertEqual(1, len(stamps), names)
                t = stamps[0]
                vols = [n for n in names if n.startswith("duplicity-full.%s.vol" % t)]
                self.assertGreaterEqual(len(vols), 2, names)   # --volsize 6 over ~10 MB
                self.assertIn("duplicity-full.%s.manifest.gpg" % t, names)
                self.assertIn("duplicity-full-signatures.%s.sigtar.gpg" % t, names)
                # Volumes over --s3-multipart-chunk-size went up as multipart uploads (ETag "-<parts>").
                etags = [s3.head_object(Bucket=BUCKET, Key=PREFIX + "/" + v)["ETag"] for v in vols]
                self.assertTrue(any(re.match(r'^"[0-9a-f]{32}-\d+"$', e) for e in etags), etags)
                return t
            return run(step, go)
        full1 = full("full backup")

        changed, removed, added = mutate_tree(src, files, SEED + 1, changes=15, removals=10, additions=20)

        def incremental():
            stats = parse_stats(duplicity("incremental", src, url))
            self.assertEqual((0, count_entries(src), len(removed)),
                             (stats["Errors"], stats["SourceFiles"], stats["DeletedFiles"]), stats)
            # The added files and the new directories are new; the 15 rewritten files changed.
            self.assertGreaterEqual(stats["NewFiles"], len(added) + 2, stats)
            self.assertGreaterEqual(stats["ChangedFiles"], len(changed), stats)
            names = keys()
            self.assertEqual(1, len([n for n in names if n.startswith("duplicity-inc.") and n.endswith(".manifest.gpg")]), names)
        run("incremental (%d changed, %d removed, %d added)" % (len(changed), len(removed), len(added)), incremental)

        def collection_status():
            out = duplicity("collection-status", url, archive="archive-status")
            self.assertIn("Number of contained backup sets: 2", out)
            self.assertRegex(out, r"\n\s+Full\s+.*\n\s+Incremental\s+")
            self.assertIn("No orphaned or incomplete backup sets found.", out)
        run("collection-status (fresh archive dir)", collection_status)

        def verify():
            out = duplicity("verify", "--compare-data", url, src)
            self.assertIn("Verify complete: %d files compared, 0 differences found." % count_entries(src), out)
        run("verify --compare-data", verify)

        def restore(step, dest, expected_tree, *args):
            run(step, lambda: duplicity("restore", *args, url, os.path.join(root, dest), archive=dest + "-archive"))
            self.assertEqual([], tree_differences(expected_tree, os.path.join(root, dest)))  # untimed
            shutil.rmtree(os.path.join(root, dest))
        restore("restore latest (fresh archive dir)", "restore-latest", src)
        original = os.path.join(root, "original")
        make_tree(original, FILES, SEED, large=LARGE)
        full1_epoch = calendar.timegm(time.strptime(full1, "%Y%m%dT%H%M%SZ"))
        restore("restore --time <first full>", "restore-full", original, "--time", str(full1_epoch))

        time.sleep(1)  # backup names have one-second resolution
        full2 = full("second full backup")

        def remove_all_but_one():
            out = duplicity("remove-all-but-n-full", "1", "--force", url)
            self.assertIn("Deleting backup chain at time", out)
            names = keys()
            self.assertEqual([], [n for n in names if full2 not in n], names)
            self.assertEqual(["duplicity-full-signatures.%s.sigtar.gpg" % full2, "duplicity-full.%s.manifest.gpg" % full2],
                             [n for n in names if ".vol" not in n])
            out = duplicity("collection-status", url, archive="archive-status")
            self.assertIn("Number of contained backup sets: 1", out)
        run("remove-all-but-n-full 1 --force", remove_all_but_one)
        restore("restore after removal", "restore-after", src)
        if run.journal:
            print("localaws calls: " + run.journal.summary(), flush=True)

    def test_backup_workflow(self):
        self.assertIsNotNone(shutil.which("duplicity"), "duplicity is not installed (scripts/deps.sh test)")
        self.workflow("localaws", self.la.client_env(), self.la.endpoint, self.la.boto3_client("s3"))
        if self.moto.available:
            try:
                self.workflow("moto", self.moto.client_env(), self.moto.endpoint, self.moto.boto3_client("s3"))
            except Exception as e:  # moto's failures are printed, not ours to fix
                print("moto: failed (%s)" % str(e).strip()[-500:], flush=True)


if __name__ == "__main__":
    unittest.main()
