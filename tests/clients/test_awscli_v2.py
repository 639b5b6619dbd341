"""The AWS CLI v2 from Debian (/usr/bin/aws, 2.9.x) against localaws, beside moto_server: the `s3`
transfer commands, `s3api` and `dynamodb`, checked against the output shapes AWS documents.

pyenv's `aws` (v1) comes first on PATH, so this calls /usr/bin/aws with Debian's python3 and an
environment without the pyenv pieces. The CLI 2.9 predates AWS_ENDPOINT_URL: every call passes
--endpoint-url. Retries are off (AWS_MAX_ATTEMPTS=1) so a refused request shows at once.
"""
import datetime
import hashlib
import json
import os
import re
import shutil
import sys
import unittest
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from clients_support import (SideBySide, debian_env, make_tree, multipart_etag, remove_empty_dirs,  # noqa: E402
                             run, seeded_bytes, tree_differences)

AWS = "/usr/bin/aws"
MiB = 1024 * 1024


class Cli:
    """/usr/bin/aws aimed at one endpoint."""

    def __init__(self, endpoint, env):
        self.endpoint = endpoint
        self.env = debian_env(env)
        self.env["AWS_MAX_ATTEMPTS"] = "1"
        self.env["AWS_RETRY_MODE"] = "standard"
        self.cwd = None

    def __call__(self, *args, check=True, timeout=120, region=None):
        cmd = [AWS, "--endpoint-url", self.endpoint, "--output", "json"]
        if region:
            cmd += ["--region", region]
        return run(cmd + list(args), env=self.env, check=check, timeout=timeout, cwd=self.cwd)

    def json(self, *args, **kw):
        out = self(*args, **kw).stdout
        return json.loads(out) if out.strip() else {}

    def error(self, *args, region=None):
        """Runs a call that must fail; returns (exit code, stderr)."""
        p = self(*args, check=False, region=region)
        if p.returncode == 0:
            raise AssertionError("aws %s succeeded, expected an error:\n%s" % (" ".join(args), p.stdout))
        # With AWS_MAX_ATTEMPTS=1 botocore adds "(reached max retries: 0)" to every error message;
        # without it the message is the one AWS's documentation shows.
        return p.returncode, p.stderr.replace(" (reached max retries: 0)", "").strip()


def ls_recursive(text):
    """Parses `aws s3 ls --recursive` lines ('2024-01-02 03:04:05       123 key') -> {key: size}."""
    out = {}
    for line in text.splitlines():
        m = re.match(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) +(\d+) (.+)$", line)
        if not m:
            raise AssertionError("unexpected `aws s3 ls` line: %r" % line)
        datetime.datetime.strptime(m.group(1), "%Y-%m-%d %H:%M:%S")
        out[m.group(3)] = int(m.group(2))
    return out


ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")


class AwsCliV2(SideBySide):
    tmp_prefix = "awscli-v2-"

    @classmethod
    def setUpClass(cls):
        if not os.path.exists(AWS):
            raise unittest.SkipTest("Debian's aws CLI v2 (/usr/bin/aws) is not installed")
        version = run([AWS, "--version"], env=debian_env(dict(os.environ)), timeout=60).stdout
        if not version.startswith("aws-cli/2."):
            raise AssertionError("/usr/bin/aws is not the CLI v2: %r" % version)
        cls.version = version.strip()
        super().setUpClass()

    def run_workflow(self, title, body):
        def one(wf, target, endpoint, work):
            cli = Cli(endpoint, (self.server if target == "localaws" else self.moto).client_env())
            cli.cwd = work  # the s3 commands print paths relative to it
            body(wf, cli, work)
        self.side_by_side("aws CLI v2 %s (%s)" % (title, self.version.split()[0]), one)

    # --- aws s3 ----------------------------------------------------------------------------
    def test_s3_transfer_commands(self):
        self.run_workflow("s3", self.s3_workflow)

    def s3_workflow(self, wf, cli, work):
        bucket = "cli-s3-transfer"
        small = "small.txt"
        with open(os.path.join(work, small), "wb") as f:
            f.write(b"hello from the aws CLI v2\n")
        big = "big.bin"
        big_data = seeded_bytes(9 * MiB + 4321, 7)
        with open(os.path.join(work, big), "wb") as f:
            f.write(big_data)
        tree = "tree"
        make_tree(os.path.join(work, tree), 24, seed=11, large=1)
        remove_empty_dirs(os.path.join(work, tree))  # S3 keeps no empty folders

        def mb():
            self.assertEqual(cli("s3", "mb", "s3://" + bucket).stdout.strip(), "make_bucket: " + bucket)

        def cp_up():
            out = cli("s3", "cp", small, "s3://%s/small.txt" % bucket).stdout
            self.assertRegex(out, r"upload: (\./)?small\.txt to s3://%s/small\.txt" % bucket)
            out = cli("s3", "cp", big, "s3://%s/big.bin" % bucket).stdout
            self.assertRegex(out, r"upload: (\./)?big\.bin to s3://%s/big\.bin" % bucket)
            head = cli.json("s3api", "head-object", "--bucket", bucket, "--key", "big.bin")
            self.assertEqual(head["ContentLength"], len(big_data))
            # 9 MiB goes in two parts of the CLI's 8 MiB multipart_chunksize.
            self.assertEqual(head["ETag"], multipart_etag(big_data, 8 * MiB))

        def cp_down():
            out = cli("s3", "cp", "s3://%s/big.bin" % bucket, "big.down").stdout
            self.assertRegex(out, r"download: s3://%s/big\.bin to (\./)?big\.down" % bucket)
            with open(os.path.join(work, "big.down"), "rb") as f:
                self.assertTrue(f.read() == big_data, "downloaded bytes differ")

        def sync_up():
            out = cli("s3", "sync", tree, "s3://%s/tree" % bucket, timeout=180).stdout
            self.assertEqual(out.count("upload: "), 24, out)
            # Nothing changed: a second sync sends nothing (size and LastModified compare equal).
            self.assertEqual(cli("s3", "sync", tree, "s3://%s/tree" % bucket).stdout.strip(), "")

        def ls_rec():
            listed = ls_recursive(cli("s3", "ls", "--recursive", "s3://%s/" % bucket).stdout)
            expect = {"small.txt": 26, "big.bin": len(big_data)}
            for dirpath, _, files in os.walk(os.path.join(work, tree)):
                for n in files:
                    p = os.path.join(dirpath, n)
                    expect["tree/" + os.path.relpath(p, os.path.join(work, tree))] = os.path.getsize(p)
            self.assertEqual(listed, expect)

        def sync_down():
            down = "tree.down"
            out = cli("s3", "sync", "s3://%s/tree" % bucket, down, timeout=180).stdout
            self.assertEqual(out.count("download: "), 24, out)
            self.assertEqual(tree_differences(os.path.join(work, tree), os.path.join(work, down)), [])
            self.assertEqual(cli("s3", "sync", "s3://%s/tree" % bucket, down).stdout.strip(), "")

        def mv():
            out = cli("s3", "mv", "s3://%s/small.txt" % bucket, "s3://%s/moved/small.txt" % bucket).stdout
            self.assertIn("move: s3://%s/small.txt to s3://%s/moved/small.txt" % (bucket, bucket), out)
            code, err = cli.error("s3api", "head-object", "--bucket", bucket, "--key", "small.txt")
            self.assertEqual(code, 254)
            self.assertIn("An error occurred (404) when calling the HeadObject operation: Not Found", err)
            got = cli("s3", "cp", "s3://%s/moved/small.txt" % bucket, "-").stdout
            self.assertEqual(got, "hello from the aws CLI v2\n")

        def presign():
            url = cli("s3", "presign", "s3://%s/big.bin" % bucket, "--expires-in", "300").stdout.strip()
            self.assertRegex(url, r"X-Amz-Algorithm=AWS4-HMAC-SHA256&.*X-Amz-Expires=300")
            with urllib.request.urlopen(url, timeout=60) as r:
                self.assertEqual(r.status, 200)
                self.assertTrue(r.read() == big_data, "presigned GET returned other bytes")
            # curl too, as a person would paste it.
            p = run(["curl", "-sS", "--fail", "--max-time", "60", "-o", os.path.join(work, "curl.out"), url])
            with open(os.path.join(work, "curl.out"), "rb") as f:
                self.assertTrue(f.read() == big_data, "curl on the presigned URL got other bytes")
            tampered = url.replace("X-Amz-Expires=300", "X-Amz-Expires=301")
            out = os.path.join(work, "tampered.out")
            p = run(["curl", "-sS", "--max-time", "30", "-o", out, "-w", "%{http_code}", tampered])
            self.assertEqual(p.stdout, "403")
            with open(out, "rb") as f:
                self.assertIn(b"<Code>SignatureDoesNotMatch</Code>", f.read())

        def rm_rec():
            out = cli("s3", "rm", "--recursive", "s3://%s/tree/" % bucket, timeout=180).stdout
            self.assertEqual(out.count("delete: s3://%s/tree/" % bucket), 24, out)
            left = ls_recursive(cli("s3", "ls", "--recursive", "s3://%s/" % bucket).stdout)
            self.assertEqual(set(left), {"big.bin", "moved/small.txt"})

        def rb_force():
            out = cli("s3", "rb", "--force", "s3://" + bucket).stdout
            self.assertIn("remove_bucket: " + bucket, out)
            code, err = cli.error("s3", "ls", "s3://" + bucket)
            self.assertEqual(code, 254)
            self.assertIn("An error occurred (NoSuchBucket) when calling the ListObjectsV2 operation: "
                          "The specified bucket does not exist", err)

        for name, fn in [("s3 mb", mb), ("s3 cp up (small, 9 MiB multipart)", cp_up),
                         ("s3 cp down 9 MiB", cp_down), ("s3 sync up 24 files (twice)", sync_up),
                         ("s3 ls --recursive", ls_rec), ("s3 sync down (twice)", sync_down),
                         ("s3 mv", mv), ("s3 presign + GET", presign), ("s3 rm --recursive", rm_rec),
                         ("s3 rb --force", rb_force)]:
            wf.step(name, fn)

    # --- aws s3api -------------------------------------------------------------------------
    def test_s3api(self):
        self.run_workflow("s3api", self.s3api_workflow)

    def s3api_workflow(self, wf, cli, work):
        bucket = "cli-s3api"
        body = os.path.join(work, "body.txt")
        data = b"0123456789abcdefghij" * 50
        with open(body, "wb") as f:
            f.write(data)
        etag = '"%s"' % hashlib.md5(data).hexdigest()

        def create_bucket():
            out = cli.json("s3api", "create-bucket", "--bucket", bucket)
            self.assertEqual(out, {"Location": "/" + bucket})
            # us-east-1 answers a repeated CreateBucket of one's own bucket with 200 (legacy).
            self.assertEqual(cli.json("s3api", "create-bucket", "--bucket", bucket), {"Location": "/" + bucket})

        def put_object():
            out = cli.json("s3api", "put-object", "--bucket", bucket, "--key", "docs/a.txt", "--body", body,
                           "--content-type", "text/plain; charset=utf-8", "--metadata", "owner=cli,Purpose=Test",
                           "--cache-control", "max-age=60")
            self.assertEqual(out["ETag"], etag)

        def head_object():
            out = cli.json("s3api", "head-object", "--bucket", bucket, "--key", "docs/a.txt")
            self.assertEqual(out["ContentLength"], len(data))
            self.assertEqual(out["ContentType"], "text/plain; charset=utf-8")
            self.assertEqual(out["CacheControl"], "max-age=60")
            self.assertEqual(out["ETag"], etag)
            self.assertEqual(out["AcceptRanges"], "bytes")
            self.assertEqual(out["Metadata"], {"owner": "cli", "purpose": "Test"})  # names are lower-cased
            self.assertRegex(out["LastModified"], ISO)

        def get_range():
            dest = os.path.join(work, "range.out")
            out = cli.json("s3api", "get-object", "--bucket", bucket, "--key", "docs/a.txt",
                           "--range", "bytes=10-29", dest)
            self.assertEqual(out["ContentRange"], "bytes 10-29/%d" % len(data))
            self.assertEqual(out["ContentLength"], 20)
            self.assertEqual(out["ETag"], etag)
            with open(dest, "rb") as f:
                self.assertEqual(f.read(), data[10:30])
            out = cli.json("s3api", "get-object", "--bucket", bucket, "--key", "docs/a.txt",
                           "--range", "bytes=-7", dest)
            self.assertEqual(out["ContentRange"], "bytes %d-%d/%d" % (len(data) - 7, len(data) - 1, len(data)))
            with open(dest, "rb") as f:
                self.assertEqual(f.read(), data[-7:])

        keys = ["docs/a.txt"] + ["list/k%02d" % i for i in range(7)]

        def paginate():
            src = os.path.join(work, "listsrc")
            os.makedirs(src)
            for k in keys[1:]:
                shutil.copy(body, os.path.join(src, k.split("/")[1]))
            out = cli("s3", "cp", "--recursive", "listsrc", "s3://%s/list/" % bucket).stdout
            self.assertEqual(out.count("upload: listsrc/k0"), 7, out)
            seen, token, pages = [], None, 0
            while True:
                args = ["s3api", "list-objects-v2", "--bucket", bucket, "--max-items", "3"]
                if token:
                    args += ["--starting-token", token]
                out = cli.json(*args)
                pages += 1
                self.assertLessEqual(len(out["Contents"]), 3)
                for o in out["Contents"]:
                    self.assertEqual(set(o) >= {"Key", "LastModified", "ETag", "Size", "StorageClass"}, True, o)
                    self.assertEqual(o["Size"], len(data))
                    self.assertEqual(o["StorageClass"], "STANDARD")
                seen += [o["Key"] for o in out["Contents"]]
                token = out.get("NextToken")
                if not token:
                    break
                self.assertLess(pages, 10)
            self.assertEqual(seen, sorted(keys))
            self.assertEqual(pages, 3)
            # Server-side pages of one key each, with a prefix and a delimiter.
            out = cli.json("s3api", "list-objects-v2", "--bucket", bucket, "--page-size", "1", "--prefix", "list/")
            self.assertEqual([o["Key"] for o in out["Contents"]], keys[1:])
            out = cli.json("s3api", "list-objects-v2", "--bucket", bucket, "--delimiter", "/")
            self.assertEqual(out["CommonPrefixes"], [{"Prefix": "docs/"}, {"Prefix": "list/"}])
            self.assertNotIn("Contents", out)

        def copy_object():
            out = cli.json("s3api", "copy-object", "--bucket", bucket, "--key", "copies/a.txt",
                           "--copy-source", bucket + "/docs/a.txt")
            self.assertEqual(out["CopyObjectResult"]["ETag"], etag)
            self.assertRegex(out["CopyObjectResult"]["LastModified"], ISO)
            head = cli.json("s3api", "head-object", "--bucket", bucket, "--key", "copies/a.txt")
            self.assertEqual(head["Metadata"], {"owner": "cli", "purpose": "Test"})
            self.assertEqual(head["ContentType"], "text/plain; charset=utf-8")
            out = cli.json("s3api", "copy-object", "--bucket", bucket, "--key", "copies/b.txt",
                           "--copy-source", bucket + "/docs/a.txt", "--metadata-directive", "REPLACE",
                           "--metadata", "k=v", "--content-type", "application/x-test")
            head = cli.json("s3api", "head-object", "--bucket", bucket, "--key", "copies/b.txt")
            self.assertEqual(head["Metadata"], {"k": "v"})
            self.assertEqual(head["ContentType"], "application/x-test")

        def tagging():
            out = cli("s3api", "put-object-tagging", "--bucket", bucket, "--key", "docs/a.txt", "--tagging",
                      "TagSet=[{Key=env,Value=test},{Key=team,Value=cli tools}]").stdout
            self.assertEqual(out.strip(), "")
            got = cli.json("s3api", "get-object-tagging", "--bucket", bucket, "--key", "docs/a.txt")
            self.assertEqual(sorted(got["TagSet"], key=lambda t: t["Key"]),
                             [{"Key": "env", "Value": "test"}, {"Key": "team", "Value": "cli tools"}])
            got = cli.json("s3api", "get-object", "--bucket", bucket, "--key", "docs/a.txt", os.devnull)
            self.assertEqual(got["TagCount"], 2)

        def delete_objects():
            spec = {"Objects": [{"Key": "list/k00"}, {"Key": "list/k01"}, {"Key": "never-there"}], "Quiet": False}
            out = cli.json("s3api", "delete-objects", "--bucket", bucket, "--delete", json.dumps(spec))
            self.assertEqual(sorted(d["Key"] for d in out["Deleted"]), ["list/k00", "list/k01", "never-there"])
            self.assertNotIn("Errors", out)
            out = cli.json("s3api", "list-objects-v2", "--bucket", bucket, "--prefix", "list/", "--no-paginate")
            self.assertEqual([o["Key"] for o in out["Contents"]], keys[3:])
            self.assertEqual(out["KeyCount"], len(keys) - 3)
            self.assertEqual((out["IsTruncated"], out["MaxKeys"], out["Prefix"], out["Name"]),
                             (False, 1000, "list/", bucket))

        part1, part2 = seeded_bytes(5 * MiB, 21), seeded_bytes(1234, 22)

        def multipart():
            up = cli.json("s3api", "create-multipart-upload", "--bucket", bucket, "--key", "mp/obj.bin",
                          "--content-type", "application/octet-stream")
            self.assertEqual((up["Bucket"], up["Key"]), (bucket, "mp/obj.bin"))
            upload_id = up["UploadId"]
            parts = []
            for n, chunk in ((1, part1), (2, part2)):
                path = os.path.join(work, "part%d" % n)
                with open(path, "wb") as f:
                    f.write(chunk)
                out = cli.json("s3api", "upload-part", "--bucket", bucket, "--key", "mp/obj.bin",
                               "--upload-id", upload_id, "--part-number", str(n), "--body", path)
                self.assertEqual(out["ETag"], '"%s"' % hashlib.md5(chunk).hexdigest())
                parts.append({"ETag": out["ETag"], "PartNumber": n})
            listed = cli.json("s3api", "list-parts", "--bucket", bucket, "--key", "mp/obj.bin",
                              "--upload-id", upload_id)
            self.assertEqual([(p["PartNumber"], p["Size"]) for p in listed["Parts"]], [(1, 5 * MiB), (2, 1234)])
            uploads = cli.json("s3api", "list-multipart-uploads", "--bucket", bucket)
            self.assertEqual([u["UploadId"] for u in uploads["Uploads"]], [upload_id])
            spec = os.path.join(work, "parts.json")
            with open(spec, "w") as f:
                json.dump({"Parts": parts}, f)
            out = cli.json("s3api", "complete-multipart-upload", "--bucket", bucket, "--key", "mp/obj.bin",
                           "--upload-id", upload_id, "--multipart-upload", "file://" + spec)
            self.assertEqual((out["Bucket"], out["Key"]), (bucket, "mp/obj.bin"))
            self.assertEqual(out["ETag"], multipart_etag(part1 + part2, 5 * MiB))
            self.assertIn("mp/obj.bin", out["Location"])
            dest = os.path.join(work, "mp.out")
            got = cli.json("s3api", "get-object", "--bucket", bucket, "--key", "mp/obj.bin", dest)
            self.assertEqual(got["ContentLength"], len(part1) + len(part2))
            with open(dest, "rb") as f:
                self.assertTrue(f.read() == part1 + part2, "completed multipart object differs")

        def errors():
            code, err = cli.error("s3api", "get-object", "--bucket", bucket, "--key", "no/such/key", os.devnull)
            self.assertEqual(code, 254)
            self.assertIn("An error occurred (NoSuchKey) when calling the GetObject operation: "
                          "The specified key does not exist.", err)
            code, err = cli.error("s3api", "list-objects-v2", "--bucket", "cli-no-such-bucket")
            self.assertEqual(code, 254)
            self.assertIn("An error occurred (NoSuchBucket) when calling the ListObjectsV2 operation: "
                          "The specified bucket does not exist", err)
            code, err = cli.error("s3api", "delete-bucket", "--bucket", bucket)
            self.assertEqual(code, 254)
            self.assertIn("An error occurred (BucketNotEmpty) when calling the DeleteBucket operation: "
                          "The bucket you tried to delete is not empty", err)
            # Outside us-east-1 a repeated CreateBucket is BucketAlreadyOwnedByYou.
            eu = "cli-s3api-eu"
            cfg = "LocationConstraint=eu-west-1"
            out = cli.json("s3api", "create-bucket", "--bucket", eu, "--create-bucket-configuration", cfg,
                           region="eu-west-1")
            self.assertIn(eu, out["Location"])
            code, err = cli.error("s3api", "create-bucket", "--bucket", eu, "--create-bucket-configuration", cfg,
                                  region="eu-west-1")
            self.assertEqual(code, 254)
            self.assertIn("An error occurred (BucketAlreadyOwnedByYou) when calling the CreateBucket operation: "
                          "Your previous request to create the named bucket succeeded and you already own it.", err)
            loc = cli.json("s3api", "get-bucket-location", "--bucket", eu, region="eu-west-1")
            self.assertEqual(loc, {"LocationConstraint": "eu-west-1"})
            p = cli("s3", "mb", "s3://" + eu, check=False, region="eu-west-1")
            self.assertEqual(p.returncode, 1)  # an s3 command: 1, the s3api ones 254
            self.assertIn("make_bucket failed: s3://%s An error occurred (BucketAlreadyOwnedByYou)" % eu, p.stderr)
            cli("s3api", "delete-bucket", "--bucket", eu, region="eu-west-1")
            # A missing object through the s3 commands.
            p = cli("s3", "cp", "s3://%s/no/such/key" % bucket, os.path.join(work, "x"), check=False)
            self.assertEqual(p.returncode, 1)
            self.assertIn("An error occurred (404) when calling the HeadObject operation: "
                          "Key \"no/such/key\" does not exist", p.stderr.replace(" (reached max retries: 0)", ""))

        for name, fn in [("create-bucket", create_bucket), ("put-object (metadata)", put_object),
                         ("head-object", head_object), ("get-object --range", get_range),
                         ("list-objects-v2 paginated", paginate), ("copy-object", copy_object),
                         ("put/get-object-tagging", tagging), ("delete-objects", delete_objects),
                         ("multipart upload (3 calls)", multipart), ("error cases", errors)]:
            wf.step(name, fn)

    # --- aws dynamodb ----------------------------------------------------------------------
    def test_dynamodb(self):
        self.run_workflow("dynamodb", self.dynamodb_workflow)

    def dynamodb_workflow(self, wf, cli, work):
        table = "CliOrders"

        def item(cust, n, status, amount):
            return {"pk": {"S": "cust#%d" % cust}, "sk": {"N": str(n)}, "status": {"S": status},
                    "amount": {"N": str(amount)}, "tags": {"SS": ["a", "b"]}, "note": {"S": "order %d" % n}}

        def create_table():
            gsi = [{"IndexName": "by-status",
                    "KeySchema": [{"AttributeName": "status", "KeyType": "HASH"},
                                  {"AttributeName": "sk", "KeyType": "RANGE"}],
                    "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["amount"]}}]
            out = cli.json("dynamodb", "create-table", "--table-name", table,
                           "--attribute-definitions", "AttributeName=pk,AttributeType=S",
                           "AttributeName=sk,AttributeType=N", "AttributeName=status,AttributeType=S",
                           "--key-schema", "AttributeName=pk,KeyType=HASH", "AttributeName=sk,KeyType=RANGE",
                           "--billing-mode", "PAY_PER_REQUEST", "--global-secondary-indexes", json.dumps(gsi))
            d = out["TableDescription"]
            self.assertEqual(d["TableName"], table)
            self.assertIn(d["TableStatus"], ("CREATING", "ACTIVE"))
            self.assertRegex(d["TableArn"], r"^arn:aws:dynamodb:us-east-1:\d{12}:table/%s$" % table)
            self.assertEqual(d["KeySchema"], [{"AttributeName": "pk", "KeyType": "HASH"},
                                              {"AttributeName": "sk", "KeyType": "RANGE"}])
            self.assertEqual(sorted(a["AttributeName"] for a in d["AttributeDefinitions"]), ["pk", "sk", "status"])
            self.assertEqual(d["BillingModeSummary"]["BillingMode"], "PAY_PER_REQUEST")
            self.assertEqual([g["IndexName"] for g in d["GlobalSecondaryIndexes"]], ["by-status"])
            self.assertEqual(d["GlobalSecondaryIndexes"][0]["Projection"],
                             {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["amount"]})
            self.assertIsInstance(d["CreationDateTime"], (str, float, int))
            code, err = cli.error("dynamodb", "create-table", "--table-name", table,
                                  "--attribute-definitions", "AttributeName=pk,AttributeType=S",
                                  "--key-schema", "AttributeName=pk,KeyType=HASH", "--billing-mode", "PAY_PER_REQUEST")
            self.assertEqual(code, 254)
            self.assertIn("An error occurred (ResourceInUseException) when calling the CreateTable operation", err)

        def wait_exists():
            cli("dynamodb", "wait", "table-exists", "--table-name", table, timeout=120)
            d = cli.json("dynamodb", "describe-table", "--table-name", table)["Table"]
            self.assertEqual(d["TableStatus"], "ACTIVE")
            self.assertEqual(d["GlobalSecondaryIndexes"][0]["IndexStatus"], "ACTIVE")
            self.assertIn(table, cli.json("dynamodb", "list-tables")["TableNames"])

        items = [item(c, n, "open" if n % 3 else "shipped", 10 * n + c) for c in (1, 2) for n in range(1, 9)]

        def put_get():
            for it in items[:2]:
                out = cli("dynamodb", "put-item", "--table-name", table, "--item", json.dumps(it)).stdout
                self.assertEqual(out.strip(), "")
            batch = {table: [{"PutRequest": {"Item": it}} for it in items[2:]]}
            self.assertEqual(cli.json("dynamodb", "batch-write-item", "--request-items", json.dumps(batch)),
                             {"UnprocessedItems": {}})
            got = cli.json("dynamodb", "get-item", "--table-name", table,
                           "--key", json.dumps({"pk": {"S": "cust#1"}, "sk": {"N": "3"}}), "--consistent-read")
            self.assertEqual(got, {"Item": item(1, 3, "shipped", 31)})
            got = cli.json("dynamodb", "get-item", "--table-name", table,
                           "--key", json.dumps({"pk": {"S": "cust#1"}, "sk": {"N": "99"}}))
            self.assertEqual(got, {})
            got = cli.json("dynamodb", "get-item", "--table-name", table, "--key",
                           json.dumps({"pk": {"S": "cust#2"}, "sk": {"N": "4"}}), "--projection-expression",
                           "amount, #n", "--expression-attribute-names", '{"#n": "note"}',
                           "--return-consumed-capacity", "TOTAL")
            self.assertEqual(got["Item"], {"amount": {"N": "42"}, "note": {"S": "order 4"}})
            self.assertEqual(got["ConsumedCapacity"], {"TableName": table, "CapacityUnits": 0.5})

        def query():
            out = cli.json("dynamodb", "query", "--table-name", table,
                           "--key-condition-expression", "pk = :p AND sk BETWEEN :a AND :b",
                           "--expression-attribute-values",
                           json.dumps({":p": {"S": "cust#2"}, ":a": {"N": "2"}, ":b": {"N": "5"}}))
            self.assertEqual([i["sk"]["N"] for i in out["Items"]], ["2", "3", "4", "5"])
            self.assertEqual((out["Count"], out["ScannedCount"]), (4, 4))
            out = cli.json("dynamodb", "query", "--table-name", table, "--index-name", "by-status",
                           "--key-condition-expression", "#s = :s AND sk > :n",
                           "--expression-attribute-names", '{"#s": "status"}',
                           "--expression-attribute-values", json.dumps({":s": {"S": "shipped"}, ":n": {"N": "3"}}),
                           "--no-scan-index-forward")
            # shipped: sk 3 and 6 for each customer; sk > 3 leaves the two sk=6 items, newest first.
            self.assertEqual(sorted(i["pk"]["S"] for i in out["Items"]), ["cust#1", "cust#2"])
            self.assertEqual({i["sk"]["N"] for i in out["Items"]}, {"6"})
            for i in out["Items"]:  # INCLUDE projection: keys, index keys and amount only
                self.assertEqual(set(i), {"pk", "sk", "status", "amount"})
            out = cli.json("dynamodb", "query", "--table-name", table, "--key-condition-expression", "pk = :p",
                           "--filter-expression", "amount > :m", "--select", "COUNT",
                           "--expression-attribute-values", json.dumps({":p": {"S": "cust#1"}, ":m": {"N": "50"}}))
            self.assertEqual((out["Count"], out["ScannedCount"]), (4, 8))  # 51, 61, 71, 81
            self.assertNotIn("Items", out)

        def scan_pages():
            seen, token, pages = [], None, 0
            while True:
                args = ["dynamodb", "scan", "--table-name", table, "--max-items", "5", "--page-size", "3"]
                if token:
                    args += ["--starting-token", token]
                out = cli.json(*args)
                pages += 1
                seen += [(i["pk"]["S"], int(i["sk"]["N"])) for i in out["Items"]]
                token = out.get("NextToken")
                if not token:
                    break
                self.assertLessEqual(pages, 6)
            self.assertEqual(pages, 4)  # 16 items, 5 a page
            self.assertEqual(sorted(seen), sorted((i["pk"]["S"], int(i["sk"]["N"])) for i in items))
            out = cli.json("dynamodb", "scan", "--table-name", table, "--page-size", "4")
            self.assertEqual(out["Count"], 16)  # the CLI follows LastEvaluatedKey and adds the counts

        def update_item():
            key = json.dumps({"pk": {"S": "cust#1"}, "sk": {"N": "1"}})
            out = cli.json("dynamodb", "update-item", "--table-name", table, "--key", key,
                           "--update-expression", "SET amount = amount + :d, #s = :s ADD tags :t REMOVE note",
                           "--expression-attribute-names", '{"#s": "status"}',
                           "--expression-attribute-values",
                           json.dumps({":d": {"N": "5"}, ":s": {"S": "paid"}, ":t": {"SS": ["c"]}}),
                           "--return-values", "UPDATED_NEW")
            self.assertEqual(out, {"Attributes": {"amount": {"N": "16"}, "status": {"S": "paid"},
                                                  "tags": {"SS": ["a", "b", "c"]}}})
            out = cli.json("dynamodb", "update-item", "--table-name", table, "--key", key,
                           "--update-expression", "SET amount = :v", "--expression-attribute-values",
                           '{":v": {"N": "1.50"}}', "--return-values", "ALL_OLD")
            self.assertEqual(out["Attributes"]["amount"], {"N": "16"})
            self.assertNotIn("note", out["Attributes"])
            got = cli.json("dynamodb", "get-item", "--table-name", table, "--key", key, "--consistent-read")
            self.assertEqual(got["Item"]["amount"], {"N": "1.5"})  # numbers come back normalised

        def conditional_put():
            code, err = cli.error("dynamodb", "put-item", "--table-name", table, "--item",
                                  json.dumps(item(1, 2, "dup", 0)), "--condition-expression",
                                  "attribute_not_exists(pk)")
            self.assertEqual(code, 254)
            self.assertIn("An error occurred (ConditionalCheckFailedException) when calling the PutItem "
                          "operation: The conditional request failed", err)
            code, err = cli.error("dynamodb", "get-item", "--table-name", "NoSuchTable",
                                  "--key", '{"pk": {"S": "x"}}')
            self.assertEqual(code, 254)
            self.assertIn("An error occurred (ResourceNotFoundException) when calling the GetItem operation: "
                          "Requested resource not found", err)

        def batch_write():
            reqs = {table: [{"PutRequest": {"Item": item(3, n, "open", n)}} for n in range(1, 21)] +
                    [{"DeleteRequest": {"Key": {"pk": {"S": "cust#2"}, "sk": {"N": "8"}}}}]}
            path = os.path.join(work, "batch.json")
            with open(path, "w") as f:
                json.dump(reqs, f)
            out = cli.json("dynamodb", "batch-write-item", "--request-items", "file://" + path)
            self.assertEqual(out, {"UnprocessedItems": {}})
            out = cli.json("dynamodb", "query", "--table-name", table, "--key-condition-expression", "pk = :p",
                           "--expression-attribute-values", '{":p": {"S": "cust#3"}}', "--select", "COUNT")
            self.assertEqual(out["Count"], 20)
            keys = {table: {"Keys": [{"pk": {"S": "cust#3"}, "sk": {"N": "7"}},
                                     {"pk": {"S": "cust#2"}, "sk": {"N": "8"}}], "ProjectionExpression": "sk"}}
            out = cli.json("dynamodb", "batch-get-item", "--request-items", json.dumps(keys))
            self.assertEqual(out["Responses"][table], [{"sk": {"N": "7"}}])
            self.assertEqual(out["UnprocessedKeys"], {})

        def transact():
            k = {"pk": {"S": "cust#1"}, "sk": {"N": "5"}}
            ok = [{"Put": {"TableName": table, "Item": item(4, 1, "open", 1),
                           "ConditionExpression": "attribute_not_exists(pk)"}},
                  {"Update": {"TableName": table, "Key": k, "UpdateExpression": "SET amount = :z",
                              "ExpressionAttributeValues": {":z": {"N": "0"}}}},
                  {"ConditionCheck": {"TableName": table, "Key": {"pk": {"S": "cust#2"}, "sk": {"N": "1"}},
                                      "ConditionExpression": "attribute_exists(pk)"}},
                  {"Delete": {"TableName": table, "Key": {"pk": {"S": "cust#2"}, "sk": {"N": "7"}}}}]
            out = cli("dynamodb", "transact-write-items", "--transact-items", json.dumps(ok)).stdout
            self.assertEqual(out.strip(), "")
            got = cli.json("dynamodb", "get-item", "--table-name", table, "--key", json.dumps(k))
            self.assertEqual(got["Item"]["amount"], {"N": "0"})
            bad = [{"Update": {"TableName": table, "Key": k, "UpdateExpression": "SET amount = :z",
                               "ExpressionAttributeValues": {":z": {"N": "9"}}}},
                   {"Put": {"TableName": table, "Item": item(4, 1, "open", 1),
                            "ConditionExpression": "attribute_not_exists(pk)"}}]
            code, err = cli.error("dynamodb", "transact-write-items", "--transact-items", json.dumps(bad))
            self.assertEqual(code, 254)
            self.assertIn("An error occurred (TransactionCanceledException) when calling the TransactWriteItems "
                          "operation: Transaction cancelled, please refer cancellation reasons for specific "
                          "reasons [None, ConditionalCheckFailed]", err)
            got = cli.json("dynamodb", "get-item", "--table-name", table, "--key", json.dumps(k))
            self.assertEqual(got["Item"]["amount"], {"N": "0"})  # nothing of the cancelled one applied
            out = cli.json("dynamodb", "transact-get-items", "--transact-items", json.dumps(
                [{"Get": {"TableName": table, "Key": k, "ProjectionExpression": "amount"}},
                 {"Get": {"TableName": table, "Key": {"pk": {"S": "cust#2"}, "sk": {"N": "7"}}}}]))
            self.assertEqual(out["Responses"], [{"Item": {"amount": {"N": "0"}}}, {}])

        def delete_table():
            d = cli.json("dynamodb", "delete-table", "--table-name", table)["TableDescription"]
            self.assertEqual(d["TableName"], table)
            self.assertIn(d["TableStatus"], ("DELETING", "ACTIVE"))
            cli("dynamodb", "wait", "table-not-exists", "--table-name", table, timeout=120)
            code, err = cli.error("dynamodb", "describe-table", "--table-name", table)
            self.assertEqual(code, 254)
            self.assertIn("(ResourceNotFoundException) when calling the DescribeTable operation", err)

        for name, fn in [("create-table (GSI)", create_table), ("wait table-exists", wait_exists),
                         ("put-item, get-item", put_get), ("query (table, GSI)", query),
                         ("scan paginated", scan_pages), ("update-item ReturnValues", update_item),
                         ("conditional put fails", conditional_put), ("batch-write-item", batch_write),
                         ("transact-write-items", transact), ("delete-table + wait", delete_table)]:
            wf.step(name, fn)


if __name__ == "__main__":
    unittest.main()
