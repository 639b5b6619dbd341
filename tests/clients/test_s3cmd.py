"""s3cmd (Debian, 2.3.0) against localaws, beside moto_server, with a config file of its own
(path style, plain HTTP, test/test), once signing with SigV4 (the default) and once with
`signature_v2 = True`: mb, put (small, and a 16+ MiB file in 5 MiB parts), get, sync both ways,
setacl --acl-public and an anonymous GET (after allowing ACLs on the bucket the AWS way), info,
ls/la, del, rb.
"""
import hashlib
import os
import re
import sys
import unittest
import urllib.error
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from clients_support import (LocalAws, SideBySide, debian_env, make_tree, multipart_etag,  # noqa: E402
                             remove_empty_dirs, run, s3_client, seeded_bytes, tree_differences, tree_files)

S3CMD = "/usr/bin/s3cmd"
MiB = 1024 * 1024
BIG = 17 * 1000 * 1000  # four parts of 5 MiB (the last one shorter)


def anonymous_get(url):
    try:
        with urllib.request.urlopen(url, timeout=30) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


class S3cmd:
    """s3cmd with its own config file (and HOME) aimed at one endpoint."""

    def __init__(self, endpoint, folder, sigv2):
        self.endpoint = endpoint
        hostport = endpoint.split("://", 1)[1]
        self.config = os.path.join(folder, "s3cfg")
        with open(self.config, "w") as f:
            f.write("[default]\naccess_key = test\nsecret_key = test\nhost_base = %s\nhost_bucket = %s\n"
                    "use_https = False\nsignature_v2 = %s\nbucket_location = us-east-1\n"
                    "check_ssl_certificate = False\nprogress_meter = False\n"
                    % (hostport, hostport, "True" if sigv2 else "False"))
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        env["HOME"] = folder
        self.env = debian_env(env)
        self.cwd = folder

    def __call__(self, *args, check=True, timeout=180):
        return run([S3CMD, "-c", self.config] + list(args), env=self.env, cwd=self.cwd, check=check,
                   timeout=timeout)


class S3cmdTest(SideBySide):
    tmp_prefix = "s3cmd-"

    @classmethod
    def setUpClass(cls):
        if not os.path.exists(S3CMD):
            raise AssertionError("s3cmd is not installed (Debian: s3cmd; scripts/deps.sh installs the client suite's tools)")
        cls.version = run([S3CMD, "--version"], env=debian_env(dict(os.environ)), timeout=60).stdout.strip()
        cls.big = seeded_bytes(BIG, 31)
        cls.small = b"s3cmd says hello\n"
        super().setUpClass()

    def run_mode(self, sigv2):
        mode = "SigV2" if sigv2 else "SigV4"
        self.side_by_side("%s, %s" % (self.version, mode), lambda wf, target, endpoint, folder: self.workflow(
            wf, S3cmd(endpoint, folder, sigv2), endpoint, folder, "s3cmd-" + mode.lower()))

    def test_sigv4(self):
        self.run_mode(sigv2=False)

    # signature_v2 = True: SigV2 header auth with x-amz-date in RFC 2822 form ("... +0000").
    def test_sigv2(self):
        self.run_mode(sigv2=True)

    def test_sigv2_every_step(self):
        # SigV2 on the wire (checked in s3cmd's debug log), a wrong secret refused, put of small and
        # multipart files, get, ls, info, setacl public and private, a server-side cp, del, rb.
        # localaws only: moto_server answers 500 to several of these calls (info of a multipart
        # object, cp), which s3cmd retries for 45 s each; test_s3cmd.py times s3cmd's SigV2 mode
        # against moto.
        self.side_by_side("%s, signature_v2 = True, every step" % self.version, lambda wf, target, endpoint, folder: self.sigv2_workflow(
            wf, S3cmd(endpoint, folder, sigv2=True), endpoint, folder, "s3cmd-v2-flow"),
            targets=[("localaws", self.server.endpoint, True)])

    def sigv2_workflow(self, wf, s3cmd, endpoint, folder, bucket):
        with open(os.path.join(folder, "small.txt"), "wb") as f:
            f.write(self.small)
        with open(os.path.join(folder, "big.bin"), "wb") as f:
            f.write(self.big)
        url = "%s/%s/small.txt" % (endpoint, bucket)

        def mb():
            p = s3cmd("--debug", "mb", "s3://" + bucket)
            self.assertEqual(p.stdout.strip(), "Bucket 's3://%s/' created" % bucket)
            # It really signed with SigV2 (the debug log shows the headers it sent).
            self.assertRegex(p.stderr, r"'Authorization': 'AWS test:[A-Za-z0-9+/=]+'")
            self.assertNotIn("AWS4-HMAC-SHA256", p.stderr)
            self.assertRegex(p.stderr, r"'x-amz-date': '\w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d \+0000'")

        def wrong_secret():
            cfg = os.path.join(folder, "s3cfg-wrong")
            with open(s3cmd.config) as f, open(cfg, "w") as g:
                g.write(f.read().replace("secret_key = test", "secret_key = wrong"))
            p = run([S3CMD, "-c", cfg, "ls", "s3://" + bucket], env=s3cmd.env, cwd=folder, check=False, timeout=60)
            self.assertNotEqual(p.returncode, 0)
            self.assertIn("SignatureDoesNotMatch", p.stderr)

        def put():
            out = s3cmd("put", "small.txt", "s3://%s/small.txt" % bucket).stdout
            self.assertIn("upload: 'small.txt' -> 's3://%s/small.txt'" % bucket, out)
            out = s3cmd("put", "--multipart-chunk-size-mb=5", "big.bin", "s3://%s/big.bin" % bucket).stdout
            self.assertIn("upload: 'big.bin' -> 's3://%s/big.bin'" % bucket, out)
            head = s3_client(endpoint).head_object(Bucket=bucket, Key="big.bin")
            self.assertEqual(head["ETag"], multipart_etag(self.big, 5 * MiB))  # "...-4": it went in 4 parts
            self.assertEqual(head["ContentLength"], BIG)

        def get():
            for key, data in (("small.txt", self.small), ("big.bin", self.big)):
                out = s3cmd("get", "s3://%s/%s" % (bucket, key), key + ".down").stdout
                self.assertIn("download: 's3://%s/%s' -> '%s.down'" % (bucket, key, key), out)
                with open(os.path.join(folder, key + ".down"), "rb") as f:
                    self.assertTrue(f.read() == data, "s3cmd get %s: other bytes" % key)

        def ls():
            self.assertRegex(s3cmd("ls").stdout, r"(?m)^\d{4}-\d\d-\d\d \d\d:\d\d +s3://%s$" % re.escape(bucket))
            out = s3cmd("ls", "s3://%s/" % bucket).stdout
            self.assertRegex(out, r"(?m)^\d{4}-\d\d-\d\d \d\d:\d\d +%d +s3://%s/big\.bin$" % (BIG, re.escape(bucket)))
            self.assertRegex(out, r"(?m)^\d{4}-\d\d-\d\d \d\d:\d\d +%d +s3://%s/small\.txt$"
                             % (len(self.small), re.escape(bucket)))

        def info():
            out = s3cmd("info", "s3://%s/small.txt" % bucket).stdout
            self.assertRegex(out, r"File size: +%d\n" % len(self.small))
            self.assertRegex(out, r"MD5 sum: +%s\n" % hashlib.md5(self.small).hexdigest())
            out = s3cmd("info", "s3://%s/big.bin" % bucket).stdout
            self.assertRegex(out, r"MD5 sum: +%s\n" % hashlib.md5(self.big).hexdigest())
            out = s3cmd("info", "s3://%s" % bucket).stdout
            self.assertRegex(out, r"Location: +us-east-1\n")
            self.assertRegex(out, r"CORS: +none\n")

        def setacl():
            s3 = s3_client(endpoint)
            s3.put_bucket_ownership_controls(Bucket=bucket, OwnershipControls={
                "Rules": [{"ObjectOwnership": "BucketOwnerPreferred"}]})
            s3.delete_public_access_block(Bucket=bucket)
            self.assertEqual(anonymous_get(url)[0], 403)
            out = s3cmd("setacl", "--acl-public", "s3://%s/small.txt" % bucket).stdout
            self.assertIn("s3://%s/small.txt: ACL set to Public" % bucket, out)
            self.assertEqual(anonymous_get(url), (200, self.small))
            self.assertRegex(s3cmd("info", "s3://%s/small.txt" % bucket).stdout, r"ACL: +\*anon\*: READ\n")
            out = s3cmd("setacl", "--acl-private", "s3://%s/small.txt" % bucket).stdout
            self.assertIn("s3://%s/small.txt: ACL set to Private" % bucket, out)
            self.assertEqual(anonymous_get(url)[0], 403)

        def cp():
            out = s3cmd("cp", "s3://%s/big.bin" % bucket, "s3://%s/copies/big.bin" % bucket).stdout
            self.assertIn("remote copy: 's3://%s/big.bin' -> 's3://%s/copies/big.bin'" % (bucket, bucket), out)
            got = s3_client(endpoint).get_object(Bucket=bucket, Key="copies/big.bin")["Body"].read()
            self.assertTrue(got == self.big, "s3cmd cp: other bytes")

        def delete():
            out = s3cmd("del", "s3://%s/small.txt" % bucket).stdout
            self.assertEqual(out.strip(), "delete: 's3://%s/small.txt'" % bucket)
            p = s3cmd("rb", "s3://" + bucket, check=False)
            self.assertNotEqual(p.returncode, 0)
            self.assertIn("BucketNotEmpty", p.stderr)
            out = s3cmd("del", "--recursive", "--force", "s3://%s/" % bucket).stdout
            self.assertEqual(len(re.findall(r"^delete: ", out, re.M)), 2, out)  # big.bin, copies/big.bin

        def rb():
            self.assertEqual(s3cmd("rb", "s3://" + bucket).stdout.strip(), "Bucket 's3://%s/' removed" % bucket)
            p = s3cmd("ls", "s3://%s/" % bucket, check=False)
            self.assertNotEqual(p.returncode, 0)
            self.assertIn("NoSuchBucket", p.stderr)

        for name, fn in [("mb (SigV2 on the wire)", mb), ("wrong secret refused", wrong_secret),
                         ("put small + 12 MB multipart", put), ("get", get), ("ls", ls), ("info", info),
                         ("setacl public/private", setacl), ("cp", cp), ("del", delete), ("rb", rb)]:
            wf.step(name, fn)

    def workflow(self, wf, s3cmd, endpoint, folder, bucket):
        with open(os.path.join(folder, "small.txt"), "wb") as f:
            f.write(self.small)
        with open(os.path.join(folder, "big.bin"), "wb") as f:
            f.write(self.big)
        tree = os.path.join(folder, "tree")
        make_tree(tree, 30, seed=41, large=1)
        remove_empty_dirs(tree)  # S3 keeps no empty folders
        files = tree_files(tree)
        url = "%s/%s/small.txt" % (endpoint, bucket)

        def mb():
            self.assertEqual(s3cmd("mb", "s3://" + bucket).stdout.strip(), "Bucket 's3://%s/' created" % bucket)

        def put():
            out = s3cmd("put", "small.txt", "s3://%s/small.txt" % bucket).stdout
            self.assertIn("upload: 'small.txt' -> 's3://%s/small.txt'" % bucket, out)
            out = s3cmd("put", "--multipart-chunk-size-mb=5", "big.bin", "s3://%s/big.bin" % bucket).stdout
            self.assertIn("upload: 'big.bin' -> 's3://%s/big.bin'" % bucket, out)
            head = s3_client(endpoint).head_object(Bucket=bucket, Key="big.bin")
            self.assertEqual(head["ETag"], multipart_etag(self.big, 5 * MiB))  # it went in 4 parts
            self.assertEqual(head["ContentLength"], BIG)

        def get():
            for key, data in (("small.txt", self.small), ("big.bin", self.big)):
                out = s3cmd("get", "s3://%s/%s" % (bucket, key), key + ".down").stdout
                self.assertIn("download: 's3://%s/%s' -> '%s.down'" % (bucket, key, key), out)
                with open(os.path.join(folder, key + ".down"), "rb") as f:
                    self.assertTrue(f.read() == data, "s3cmd get %s: other bytes" % key)

        def sync_up():
            out = s3cmd("sync", "tree/", "s3://%s/tree/" % bucket).stdout
            self.assertEqual(sorted(re.findall(r"^upload: 'tree/(.+)' -> 's3://%s/tree/\1'" % re.escape(bucket),
                                               out, re.M)), files)
            again = s3cmd("sync", "tree/", "s3://%s/tree/" % bucket).stdout
            self.assertNotIn("upload:", again)  # nothing changed, nothing sent

        def sync_down():
            out = s3cmd("sync", "s3://%s/tree/" % bucket, "down/").stdout
            self.assertEqual(len(re.findall(r"^download: ", out, re.M)), len(files), out)
            self.assertEqual(tree_differences(tree, os.path.join(folder, "down")), [])
            again = s3cmd("sync", "s3://%s/tree/" % bucket, "down/").stdout
            self.assertNotIn("download:", again)

        def setacl_public():
            # New buckets have ACLs disabled (BucketOwnerEnforced): AWS refuses the ACL ...
            p = s3cmd("setacl", "--acl-public", "s3://%s/small.txt" % bucket, check=False)
            self.assertNotEqual(p.returncode, 0)
            self.assertIn("AccessControlListNotSupported", p.stderr)
            # ... until the owner allows ACLs and lifts Block Public Access, as on AWS since 2023.
            s3 = s3_client(endpoint)
            s3.put_bucket_ownership_controls(Bucket=bucket, OwnershipControls={
                "Rules": [{"ObjectOwnership": "BucketOwnerPreferred"}]})
            s3.delete_public_access_block(Bucket=bucket)
            status, body = anonymous_get(url)
            self.assertEqual(status, 403)
            self.assertIn(b"<Code>AccessDenied</Code>", body)
            out = s3cmd("setacl", "--acl-public", "s3://%s/small.txt" % bucket).stdout
            self.assertIn("s3://%s/small.txt: ACL set to Public" % bucket, out)
            self.assertEqual(anonymous_get(url), (200, self.small))
            self.assertEqual(anonymous_get("%s/%s/big.bin" % (endpoint, bucket))[0], 403)  # only that one

        def info():
            out = s3cmd("info", "s3://%s/small.txt" % bucket).stdout
            self.assertIn("s3://%s/small.txt (object):" % bucket, out)
            self.assertRegex(out, r"File size: +%d\n" % len(self.small))
            self.assertRegex(out, r"MD5 sum: +%s\n" % hashlib.md5(self.small).hexdigest())
            self.assertRegex(out, r"ACL: +\*anon\*: READ\n")
            self.assertRegex(out, r"ACL: +\S+: FULL_CONTROL\n")
            out = s3cmd("info", "s3://%s/big.bin" % bucket).stdout
            self.assertRegex(out, r"File size: +%d\n" % BIG)
            self.assertRegex(out, r"MD5 sum: +%s\n" % hashlib.md5(self.big).hexdigest())  # from s3cmd-attrs
            self.assertNotIn("*anon*", out)
            out = s3cmd("info", "s3://%s" % bucket).stdout
            self.assertIn("s3://%s/ (bucket):" % bucket, out)
            self.assertRegex(out, r"Location: +us-east-1\n")
            self.assertRegex(out, r"Payer: +BucketOwner\n")  # GetBucketRequestPayment
            self.assertRegex(out, r"Expiration Rule: +none\n")  # NoSuchLifecycleConfiguration
            self.assertRegex(out, r"Policy: +none\n")
            self.assertRegex(out, r"CORS: +none\n")

        def ls():
            out = s3cmd("ls").stdout
            self.assertRegex(out, r"(?m)^\d{4}-\d\d-\d\d \d\d:\d\d +s3://%s$" % re.escape(bucket))
            out = s3cmd("ls", "s3://%s/" % bucket).stdout
            self.assertRegex(out, r"(?m)^ +DIR +s3://%s/tree/$" % re.escape(bucket))
            self.assertRegex(out, r"(?m)^\d{4}-\d\d-\d\d \d\d:\d\d +%d +s3://%s/big\.bin$" % (BIG, re.escape(bucket)))
            listed = {}
            for line in s3cmd("ls", "--recursive", "s3://%s/" % bucket).stdout.splitlines():
                m = re.match(r"^\d{4}-\d\d-\d\d \d\d:\d\d +(\d+) +s3://%s/(.+)$" % re.escape(bucket), line)
                self.assertTrue(m, line)
                listed[m.group(2)] = int(m.group(1))
            expect = {"small.txt": len(self.small), "big.bin": BIG}
            expect.update({"tree/" + f: os.path.getsize(os.path.join(tree, f)) for f in files})
            self.assertEqual(listed, expect)
            out = s3cmd("la").stdout
            self.assertIn(" s3://%s/big.bin\n" % bucket, out)
            self.assertIn(" s3://%s/small.txt\n" % bucket, out)

        def delete():
            out = s3cmd("del", "s3://%s/small.txt" % bucket).stdout
            self.assertEqual(out.strip(), "delete: 's3://%s/small.txt'" % bucket)
            self.assertEqual(anonymous_get(url)[0], 403)  # gone: no ListBucket right, so 403 not 404
            p = s3cmd("rb", "s3://" + bucket, check=False)
            self.assertNotEqual(p.returncode, 0)
            self.assertIn("BucketNotEmpty", p.stderr)
            out = s3cmd("del", "--recursive", "--force", "s3://%s/" % bucket).stdout
            self.assertEqual(len(re.findall(r"^delete: ", out, re.M)), len(files) + 1, out)

        def rb():
            self.assertEqual(s3cmd("rb", "s3://" + bucket).stdout.strip(), "Bucket 's3://%s/' removed" % bucket)
            self.assertNotIn("s3://%s\n" % bucket, s3cmd("ls").stdout)
            p = s3cmd("ls", "s3://%s/" % bucket, check=False)
            self.assertNotEqual(p.returncode, 0)
            self.assertIn("NoSuchBucket", p.stderr)

        for name, fn in [("mb", mb), ("put small + 17 MB multipart", put), ("get", get),
                         ("sync up %d files (twice)" % len(files), sync_up), ("sync down (twice)", sync_down),
                         ("setacl --acl-public + anon GET", setacl_public), ("info", info), ("ls / la", ls),
                         ("del", delete), ("rb", rb)]:
            wf.step(name, fn)


class S3cmdTlsTest(unittest.TestCase):
    """s3cmd over HTTPS (localaws --tls) with `--ssl --check-certificate --ca-certs=FILE` (the CA
    localaws printed), refused without the CA: mb, put (small, and 12 MiB in 5 MiB parts), ls,
    get, sync of a small tree both ways, del, rb."""

    def test_https_round_trip(self):
        if not os.path.exists(S3CMD):
            raise AssertionError("s3cmd is not installed (Debian: s3cmd; scripts/deps.sh installs the client suite's tools)")
        with LocalAws("--tls", in_memory=True) as server:
            self.assertTrue(server.endpoint.startswith("https://"), server.endpoint)
            folder = os.path.join(server.tmp, "s3cmd-tls")
            os.makedirs(folder)
            s3cmd = S3cmd(server.endpoint, folder, sigv2=False)
            tls = ["--ssl", "--check-certificate"]
            ca = tls + ["--ca-certs=" + server.ca_bundle]
            bucket = "s3cmd-tls"

            p = s3cmd(*tls, "ls", check=False, timeout=120)
            self.assertNotEqual(p.returncode, 0)
            self.assertIn("CERTIFICATE_VERIFY_FAILED", p.stdout + p.stderr)

            self.assertEqual(s3cmd(*ca, "mb", "s3://" + bucket).stdout.strip(), "Bucket 's3://%s/' created" % bucket)
            small, big = b"s3cmd over https\n", seeded_bytes(12 * MiB + 3, 32)
            for name, data in (("small.txt", small), ("big.bin", big)):
                with open(os.path.join(folder, name), "wb") as f:
                    f.write(data)
            s3cmd(*ca, "put", "small.txt", "s3://%s/small.txt" % bucket)
            s3cmd(*ca, "put", "--multipart-chunk-size-mb=5", "big.bin", "s3://%s/big.bin" % bucket)
            head = server.boto3_client("s3").head_object(Bucket=bucket, Key="big.bin")
            self.assertEqual(head["ETag"], multipart_etag(big, 5 * MiB))  # "...-3": it went in 3 parts
            listed = s3cmd(*ca, "ls", "s3://%s/" % bucket).stdout
            for key in ("small.txt", "big.bin"):
                self.assertIn("s3://%s/%s" % (bucket, key), listed)
            for name, data in (("small.txt", small), ("big.bin", big)):
                s3cmd(*ca, "get", "s3://%s/%s" % (bucket, name), "back-" + name)
                with open(os.path.join(folder, "back-" + name), "rb") as f:
                    self.assertEqual(f.read(), data, name)

            tree = os.path.join(folder, "tree")
            make_tree(tree, 30, seed=33, large=0)
            remove_empty_dirs(tree)
            s3cmd(*ca, "sync", tree + "/", "s3://%s/tree/" % bucket)
            s3cmd(*ca, "sync", "s3://%s/tree/" % bucket, os.path.join(folder, "tree-back") + "/")
            self.assertEqual(tree_differences(tree, os.path.join(folder, "tree-back")), [])

            s3cmd(*ca, "del", "--recursive", "--force", "s3://%s/" % bucket)
            s3cmd(*ca, "rb", "s3://" + bucket)
            self.assertNotIn("s3://" + bucket, s3cmd(*ca, "ls").stdout)


if __name__ == "__main__":
    unittest.main()
