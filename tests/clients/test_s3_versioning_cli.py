"""S3 versioning through the aws CLI, v1 (the `aws` first on PATH) and v2 (/usr/bin/aws): put-bucket-versioning,
put-object, get/head/delete-object with --version-id, delete markers, and `aws s3api list-object-versions`
auto-paginating (--page-size 100) through a bucket with thousands of versions, plus a hand-driven walk with
--key-marker / --version-id-marker. In the client suite (dev build only): it writes thousands of versions."""
import concurrent.futures
import json
import os
import shutil
import subprocess
import threading
import unittest
import sys
import uuid

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "integration"))
from localaws_support import LocalAws  # noqa: E402

AWS_V2 = "/usr/bin/aws"
KEYS, PER_KEY, MARKER_EVERY = 400, 8, 10  # 3,200 versions and 40 delete markers


class VersioningCliTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.la = LocalAws().start()
        cls.s3 = cls.la.boto3_client("s3", request_checksum_calculation="when_required")
        cls.big = "cli-many-versions"
        cls.s3.create_bucket(Bucket=cls.big)
        cls.s3.put_bucket_versioning(Bucket=cls.big, VersioningConfiguration={"Status": "Enabled"})
        local = threading.local()

        def write_key(i):
            if not hasattr(local, "c"):
                local.c = cls.la.boto3_client("s3", request_checksum_calculation="when_required")
            key = "obj/%04d" % i
            ids = [local.c.put_object(Bucket=cls.big, Key=key, Body=b"%s v%d" % (key.encode(), n))["VersionId"]
                   for n in range(PER_KEY)]
            marker = local.c.delete_object(Bucket=cls.big, Key=key)["VersionId"] if i % MARKER_EVERY == 0 else None
            return key, ids, marker

        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            results = list(pool.map(write_key, range(KEYS)))
        cls.written = {key: ids for key, ids, _ in results}      # oldest first
        cls.markers = {key: m for key, _, m in results if m}

    @classmethod
    def tearDownClass(cls):
        cls.la.close()

    # --- running a CLI ---------------------------------------------------------------------
    def exe(self, which):
        if which == "v1":
            return shutil.which("aws")
        if not os.path.exists(AWS_V2):
            self.skipTest("aws CLI v2 not installed at %s; only the v2 part of this test is skipped" % AWS_V2)
        return AWS_V2

    def cli(self, which, *args, check=True):
        cmd = [self.exe(which), "--endpoint-url", self.la.endpoint, "--output", "json"] + [str(a) for a in args]
        p = subprocess.run(cmd, env=self.la.client_env(), capture_output=True, text=True, timeout=600)
        if check and p.returncode != 0:
            self.fail("%s failed (%d):\n%s\n%s" % (" ".join(cmd), p.returncode, p.stdout, p.stderr))
        return p

    def cli_json(self, which, *args):
        out = self.cli(which, *args).stdout
        return json.loads(out) if out.strip() else {}

    def check_version(self, which):
        self.assertIsNotNone(self.exe(which), "the aws CLI is on PATH")
        p = subprocess.run([self.exe(which), "--version"], capture_output=True, text=True, timeout=60)
        self.assertTrue((p.stdout + p.stderr).startswith("aws-cli/%s." % which[1]), p.stdout + p.stderr)

    # --- the checks, run for each CLI -------------------------------------------------------
    def round_trip(self, which):
        self.check_version(which)
        b = "cli-%s-%s" % (which, uuid.uuid4().hex[:10])
        self.cli(which, "s3api", "create-bucket", "--bucket", b)
        self.assertEqual(self.cli_json(which, "s3api", "get-bucket-versioning", "--bucket", b), {})
        self.cli(which, "s3api", "put-bucket-versioning", "--bucket", b, "--versioning-configuration", "Status=Enabled")
        self.assertEqual(self.cli_json(which, "s3api", "get-bucket-versioning", "--bucket", b), {"Status": "Enabled"})
        ids, bodies = [], []
        for n in range(5):
            path = os.path.join(self.la.tmp, "%s-body-%d.txt" % (which, n))
            data = "body number %d of %s\n" % (n, which)
            with open(path, "w") as f:
                f.write(data)
            out = self.cli_json(which, "s3api", "put-object", "--bucket", b, "--key", "doc.txt", "--body", path)
            ids.append(out["VersionId"])
            bodies.append(data)
        self.assertEqual(len(set(ids)), 5)
        listed = self.cli_json(which, "s3api", "list-object-versions", "--bucket", b, "--prefix", "doc")
        self.assertEqual([v["VersionId"] for v in listed["Versions"]], ids[::-1])
        self.assertEqual([v["IsLatest"] for v in listed["Versions"]], [True, False, False, False, False])
        self.assertNotIn("DeleteMarkers", listed)

        target = os.path.join(self.la.tmp, "%s-out.txt" % which)
        out = self.cli_json(which, "s3api", "get-object", "--bucket", b, "--key", "doc.txt", "--version-id", ids[0],
                            target)
        self.assertEqual(out["VersionId"], ids[0])
        with open(target) as f:
            self.assertEqual(f.read(), bodies[0])

        out = self.cli_json(which, "s3api", "delete-object", "--bucket", b, "--key", "doc.txt", "--version-id", ids[2])
        self.assertEqual(out["VersionId"], ids[2])
        self.assertNotIn("DeleteMarker", out)
        listed = self.cli_json(which, "s3api", "list-object-versions", "--bucket", b)
        self.assertEqual([v["VersionId"] for v in listed["Versions"]], [ids[4], ids[3], ids[1], ids[0]])
        p = self.cli(which, "s3api", "get-object", "--bucket", b, "--key", "doc.txt", "--version-id", ids[2], target,
                     check=False)
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("NoSuchVersion", p.stderr)

        out = self.cli_json(which, "s3api", "delete-object", "--bucket", b, "--key", "doc.txt")
        self.assertTrue(out["DeleteMarker"])
        marker = out["VersionId"]
        p = self.cli(which, "s3api", "head-object", "--bucket", b, "--key", "doc.txt", check=False)
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("404", p.stderr)
        out = self.cli_json(which, "s3api", "head-object", "--bucket", b, "--key", "doc.txt", "--version-id", ids[4])
        self.assertEqual((out["VersionId"], out["ContentLength"]), (ids[4], len(bodies[4])))
        listed = self.cli_json(which, "s3api", "list-object-versions", "--bucket", b)
        self.assertEqual([(m["VersionId"], m["IsLatest"]) for m in listed["DeleteMarkers"]], [(marker, True)])
        self.assertFalse(any(v["IsLatest"] for v in listed["Versions"]))
        self.assertEqual(self.cli_json(which, "s3api", "list-objects-v2", "--bucket", b).get("Contents", []), [])

        out = self.cli_json(which, "s3api", "delete-object", "--bucket", b, "--key", "doc.txt", "--version-id", marker)
        self.assertEqual((out.get("VersionId"), out.get("DeleteMarker")), (marker, True))
        out = self.cli_json(which, "s3api", "get-object", "--bucket", b, "--key", "doc.txt", target)
        self.assertEqual(out["VersionId"], ids[4])
        with open(target) as f:
            self.assertEqual(f.read(), bodies[4])

        self.cli(which, "s3api", "put-bucket-versioning", "--bucket", b, "--versioning-configuration",
                 "Status=Suspended")
        self.assertEqual(self.cli_json(which, "s3api", "get-bucket-versioning", "--bucket", b), {"Status": "Suspended"})
        p = self.cli(which, "s3api", "delete-bucket", "--bucket", b, check=False)
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("BucketNotEmpty", p.stderr)

    def check_full_listing(self, versions, markers):
        self.assertEqual(len(versions), KEYS * PER_KEY)
        self.assertEqual(len(markers), len(self.markers))
        keys_in_order = [v["Key"] for v in versions]
        self.assertEqual(keys_in_order, sorted(keys_in_order), "keys in ascending order across pages")
        by_key = {}
        for v in versions:
            by_key.setdefault(v["Key"], []).append(v)
        self.assertEqual(set(by_key), set(self.written))
        for key, ids in self.written.items():
            got = by_key[key]
            self.assertEqual([v["VersionId"] for v in got], ids[::-1], "newest first for %s" % key)
            latest = [v["IsLatest"] for v in got]
            self.assertEqual(latest, [key not in self.markers] + [False] * (PER_KEY - 1), key)
        self.assertEqual({(m["Key"], m["VersionId"]) for m in markers}, set(self.markers.items()))
        self.assertTrue(all(m["IsLatest"] for m in markers))

    def paging(self, which):
        self.check_version(which)
        # The CLI's auto-pagination: 100 entries a request, pages merged into one answer.
        out = self.cli_json(which, "s3api", "list-object-versions", "--bucket", self.big, "--page-size", "100")
        self.assertNotIn("NextToken", out)
        self.check_full_listing(out["Versions"], out.get("DeleteMarkers", []))
        # One page at a time by hand, resuming from NextKeyMarker / NextVersionIdMarker.
        versions, markers, args, pages = [], [], [], 0
        for _ in range(100):
            page = self.cli_json(which, "s3api", "list-object-versions", "--bucket", self.big, "--no-paginate",
                                 "--max-keys", "500", *args)
            pages += 1
            n = len(page.get("Versions", [])) + len(page.get("DeleteMarkers", []))
            versions += page.get("Versions", [])
            markers += page.get("DeleteMarkers", [])
            if not page["IsTruncated"]:
                break
            self.assertEqual(n, 500)
            args = ["--key-marker", page["NextKeyMarker"], "--version-id-marker", page["NextVersionIdMarker"]]
        else:
            self.fail("listing did not finish")
        self.assertIn(pages, (7, 8))  # 3,240 entries, 500 a page
        # boto3 keeps Versions and DeleteMarkers apart; each page's versions are in order.
        versions.sort(key=lambda v: v["Key"])  # stable: keeps newest-first within a key
        self.check_full_listing(versions, markers)

    def test_v1_versioning_round_trip(self):
        self.round_trip("v1")

    def test_v2_versioning_round_trip(self):
        self.round_trip("v2")

    def test_v1_list_object_versions_paging(self):
        self.paging("v1")

    def test_v2_list_object_versions_paging(self):
        self.paging("v2")


if __name__ == "__main__":
    unittest.main()
