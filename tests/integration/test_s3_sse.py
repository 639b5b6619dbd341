"""Server-side encryption through boto3: Put/Get/DeleteBucketEncryption and their defaults, the SSE
headers of every operation that returns them (SSE-S3, SSE-KMS with and without a key id, DSSE,
bucket keys, the bucket's default applied), the ETag rules, and SSE-C for real: round trips with
ranges (first byte, inside a 16-byte block, across blocks and part boundaries, suffix), multipart,
copies between keys, the errors for a missing / wrong / malformed key, and the raw blob files on
disk shown not to hold the plaintext."""
import base64
import hashlib
import os
import sys
import unittest
import uuid

import requests

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from s3_support import S3TestCase  # noqa: E402
from localaws_support import LocalAws  # noqa: E402

KEY_A = bytes(range(32))
KEY_B = hashlib.sha256(b"another key").digest()
MIB = 1024 * 1024


def md5_b64(b):
    return base64.b64encode(hashlib.md5(b).digest()).decode()


def ssec(key=KEY_A, prefix=""):
    """boto3 parameters for a customer key (boto3 base64-encodes the key and adds its MD5)."""
    return {prefix + "SSECustomerAlgorithm": "AES256", prefix + "SSECustomerKey": key}


def ssec_headers(key=KEY_A, md5=None, algorithm="AES256", prefix="x-amz-server-side-encryption-customer-"):
    return {prefix + "algorithm": algorithm, prefix + "key": base64.b64encode(key).decode(),
            prefix + "key-MD5": md5 or md5_b64(key)}


def pattern(n, seed=0):
    """Bytes with no repeats over short windows, so ranges are checked byte for byte."""
    out = bytearray()
    i = 0
    while len(out) < n:
        out += hashlib.sha256(b"%d:%d" % (seed, i)).digest()
        i += 1
    return bytes(out[:n])


class SseCase(S3TestCase):
    def assert_puts_refused(self, b, cases):
        """Each (headers, code, text) PUT is a 400 with that code and message text, and stores nothing."""
        for headers, code, text in cases:
            with self.subTest(headers=headers):
                st, _, out = self.signed("PUT", "/%s/bad" % b, body=b"x", headers=headers)
                self.assertEqual(st, 400, out)
                self.assertIn(("<Code>%s</Code>" % code).encode(), out)
                self.assertIn(text.encode(), out)
        self.assertError("404", self.s3.head_object, Bucket=b, Key="bad", status=404)

    def ssec_bucket(self):
        """A bucket that allows SSE-C (new buckets block it, as on AWS since April 2026)."""
        b = self.bucket("ssec")
        self.s3.put_bucket_encryption(Bucket=b, ServerSideEncryptionConfiguration={"Rules": [{
            "ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"},
            "BlockedEncryptionTypes": {"EncryptionType": ["NONE"]}}]})
        return b

    def blob_files(self):
        root = os.path.join(self.server.data_dir, "blobs")
        out = []
        for d, _, files in os.walk(root):
            out += [os.path.join(d, f) for f in files]
        return out

    def blob_holding(self, data):
        """The blob files whose bytes contain data."""
        hits = []
        for p in self.blob_files():
            with open(p, "rb") as f:
                if data in f.read():
                    hits.append(p)
        return hits


class BucketEncryptionTest(SseCase):
    def test_new_bucket_reports_sse_s3_and_blocks_ssec(self):
        b = self.bucket()
        rules = self.s3.get_bucket_encryption(Bucket=b)["ServerSideEncryptionConfiguration"]["Rules"]
        self.assertEqual(rules, [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"},
                                  "BucketKeyEnabled": False,
                                  "BlockedEncryptionTypes": {"EncryptionType": ["SSE-C"]}}])
        err = self.assertError("AccessDenied", self.s3.put_object, Bucket=b, Key="k", Body=b"x", **ssec(), status=403)
        self.assertTrue(err)
        self.assertError("AccessDenied", self.s3.create_multipart_upload, Bucket=b, Key="k", **ssec(), status=403)

    def test_kms_round_trip_and_delete_returns_to_default(self):
        b = self.bucket()
        cfg = {"Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms",
                                                                  "KMSMasterKeyID": "alias/my-key"},
                          "BucketKeyEnabled": True}]}
        self.s3.put_bucket_encryption(Bucket=b, ServerSideEncryptionConfiguration=cfg)
        rule = self.s3.get_bucket_encryption(Bucket=b)["ServerSideEncryptionConfiguration"]["Rules"][0]
        self.assertEqual(rule["ApplyServerSideEncryptionByDefault"],
                         {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": "alias/my-key"})
        self.assertTrue(rule["BucketKeyEnabled"])
        # The block on SSE-C is kept when the new rule does not name BlockedEncryptionTypes.
        self.assertEqual(rule["BlockedEncryptionTypes"], {"EncryptionType": ["SSE-C"]})
        # Objects without SSE headers take the bucket's default.
        r = self.s3.put_object(Bucket=b, Key="k", Body=b"data")
        self.assertEqual(r["ServerSideEncryption"], "aws:kms")
        self.assertEqual(r["SSEKMSKeyId"], "arn:aws:kms:us-east-1:000000000000:alias/my-key")
        self.assertTrue(r["BucketKeyEnabled"])
        self.assertNotEqual(r["ETag"].strip('"'), hashlib.md5(b"data").hexdigest())
        self.assertEqual(self.s3.delete_bucket_encryption(Bucket=b)["ResponseMetadata"]["HTTPStatusCode"], 204)
        rule = self.s3.get_bucket_encryption(Bucket=b)["ServerSideEncryptionConfiguration"]["Rules"][0]
        self.assertEqual(rule["ApplyServerSideEncryptionByDefault"], {"SSEAlgorithm": "AES256"})
        r = self.s3.put_object(Bucket=b, Key="k2", Body=b"data")
        self.assertEqual(r["ServerSideEncryption"], "AES256")
        self.assertEqual(r["ETag"].strip('"'), hashlib.md5(b"data").hexdigest())

    def test_dsse_default_without_key_uses_the_aws_s3_key(self):
        b = self.bucket()
        self.s3.put_bucket_encryption(Bucket=b, ServerSideEncryptionConfiguration={"Rules": [{
            "ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms:dsse"}}]})
        rule = self.s3.get_bucket_encryption(Bucket=b)["ServerSideEncryptionConfiguration"]["Rules"][0]
        self.assertEqual(rule["ApplyServerSideEncryptionByDefault"], {"SSEAlgorithm": "aws:kms:dsse"})
        self.assertFalse(rule["BucketKeyEnabled"])
        h = self.s3.put_object(Bucket=b, Key="k", Body=b"x")
        self.assertEqual(h["ServerSideEncryption"], "aws:kms:dsse")
        self.assertRegex(h["SSEKMSKeyId"], r"^arn:aws:kms:us-east-1:000000000000:key/[0-9a-f-]{36}$")

    def test_validation_errors(self):
        b = self.bucket()
        bad = [
            ({"Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "SSE-KMS"}}]}, "MalformedXML"),
            ({"Rules": []}, "MalformedXML"),
            ({"Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256",
                                                                "KMSMasterKeyID": "k"}}]}, "InvalidArgument"),
        ]
        for cfg, code in bad:
            with self.subTest(cfg=cfg):
                self.assertError(code, self.s3.put_bucket_encryption, Bucket=b,
                                 ServerSideEncryptionConfiguration=cfg, status=400)
        for body in (b"<ServerSideEncryptionConfiguration><Rule><BucketKeyEnabled>maybe</BucketKeyEnabled>"
                     b"<ApplyServerSideEncryptionByDefault><SSEAlgorithm>AES256</SSEAlgorithm>"
                     b"</ApplyServerSideEncryptionByDefault></Rule></ServerSideEncryptionConfiguration>",
                     b"not xml"):
            st, _, out = self.signed("PUT", "/%s?encryption" % b, body=body)
            self.assertEqual(st, 400)
            self.assertIn(b"<Code>MalformedXML</Code>", out)
        # Nothing was stored by the failures.
        rule = self.s3.get_bucket_encryption(Bucket=b)["ServerSideEncryptionConfiguration"]["Rules"][0]
        self.assertEqual(rule["ApplyServerSideEncryptionByDefault"], {"SSEAlgorithm": "AES256"})

    def test_other_accounts_may_not_read_or_change_it(self):
        b = self.bucket()
        other = self.server.boto3_client("s3", access_key="other", secret_key="other")
        self.assertError("AccessDenied", other.get_bucket_encryption, Bucket=b, status=403)
        self.assertError("AccessDenied", other.delete_bucket_encryption, Bucket=b, status=403)


class LegacyDefaultsTest(SseCase):
    server_args = ("--s3-defaults", "legacy")

    def test_no_default_encryption_and_ssec_allowed(self):
        b = self.bucket()
        self.assertError("ServerSideEncryptionConfigurationNotFoundError", self.s3.get_bucket_encryption, Bucket=b,
                         status=404)
        r = self.s3.put_object(Bucket=b, Key="plain", Body=b"x")
        self.assertNotIn("ServerSideEncryption", r)
        self.assertNotIn("ServerSideEncryption", self.s3.head_object(Bucket=b, Key="plain"))
        r = self.s3.put_object(Bucket=b, Key="c", Body=b"secret", **ssec())
        self.assertEqual(r["SSECustomerKeyMD5"], md5_b64(KEY_A))
        self.assertEqual(self.s3.get_object(Bucket=b, Key="c", **ssec())["Body"].read(), b"secret")


class SseHeadersTest(SseCase):
    def test_sse_s3_everywhere(self):
        b = self.bucket()
        r = self.s3.put_object(Bucket=b, Key="k", Body=b"hello")
        self.assertEqual(r["ServerSideEncryption"], "AES256")
        self.assertEqual(r["ETag"].strip('"'), hashlib.md5(b"hello").hexdigest())
        self.assertEqual(self.s3.head_object(Bucket=b, Key="k")["ServerSideEncryption"], "AES256")
        g = self.s3.get_object(Bucket=b, Key="k")
        self.assertEqual(g["ServerSideEncryption"], "AES256")
        self.assertNotIn("SSEKMSKeyId", g)
        c = self.s3.copy_object(Bucket=b, Key="k2", CopySource={"Bucket": b, "Key": "k"})
        self.assertEqual(c["ServerSideEncryption"], "AES256")
        self.assertEqual(c["CopyObjectResult"]["ETag"].strip('"'), hashlib.md5(b"hello").hexdigest())
        m = self.s3.create_multipart_upload(Bucket=b, Key="mp")
        self.assertEqual(m["ServerSideEncryption"], "AES256")
        p = self.s3.upload_part(Bucket=b, Key="mp", UploadId=m["UploadId"], PartNumber=1, Body=b"part")
        self.assertEqual(p["ServerSideEncryption"], "AES256")
        self.assertEqual(p["ETag"].strip('"'), hashlib.md5(b"part").hexdigest())
        done = self.s3.complete_multipart_upload(Bucket=b, Key="mp", UploadId=m["UploadId"],
                                                 MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": p["ETag"]}]})
        self.assertEqual(done["ServerSideEncryption"], "AES256")
        self.assertTrue(done["ETag"].endswith('-1"'))

    def test_kms_without_key_id_uses_the_account_aws_s3_key(self):
        b = self.bucket()
        r = self.s3.put_object(Bucket=b, Key="k", Body=b"hello", ServerSideEncryption="aws:kms")
        self.assertEqual(r["ServerSideEncryption"], "aws:kms")
        arn = r["SSEKMSKeyId"]
        self.assertRegex(arn, r"^arn:aws:kms:us-east-1:000000000000:key/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-"
                              r"[0-9a-f]{4}-[0-9a-f]{12}$")
        self.assertNotIn("BucketKeyEnabled", r)
        # Not the MD5 (AWS: SSE-KMS objects have other ETags), and the same key for the account.
        self.assertNotEqual(r["ETag"].strip('"'), hashlib.md5(b"hello").hexdigest())
        self.assertRegex(r["ETag"], r'^"[0-9a-f]{32}"$')
        r2 = self.s3.put_object(Bucket=b, Key="k2", Body=b"hello", ServerSideEncryption="aws:kms")
        self.assertEqual(r2["SSEKMSKeyId"], arn)
        self.assertNotEqual(r2["ETag"], r["ETag"])
        for h in (self.s3.head_object(Bucket=b, Key="k"), self.s3.get_object(Bucket=b, Key="k")):
            self.assertEqual(h["ServerSideEncryption"], "aws:kms")
            self.assertEqual(h["SSEKMSKeyId"], arn)
            self.assertEqual(h["ETag"], r["ETag"])
        # Conditional GETs use the stored ETag.
        st, _, _ = self.signed("GET", "/%s/k" % b, headers={"If-None-Match": r["ETag"]})
        self.assertEqual(st, 304)
        self.assertEqual(self.s3.get_object(Bucket=b, Key="k")["Body"].read(), b"hello")

    def test_kms_key_id_context_and_bucket_key(self):
        b = self.bucket()
        ctx = base64.b64encode(b'{"team":"data"}').decode()
        key_id = "1234abcd-12ab-34cd-56ef-1234567890ab"
        r = self.s3.put_object(Bucket=b, Key="k", Body=b"x", ServerSideEncryption="aws:kms", SSEKMSKeyId=key_id,
                               SSEKMSEncryptionContext=ctx, BucketKeyEnabled=True)
        arn = "arn:aws:kms:us-east-1:000000000000:key/" + key_id
        self.assertEqual(r["SSEKMSKeyId"], arn)
        self.assertEqual(r["SSEKMSEncryptionContext"], ctx)
        self.assertTrue(r["BucketKeyEnabled"])
        h = self.s3.head_object(Bucket=b, Key="k")
        self.assertEqual((h["SSEKMSKeyId"], h["BucketKeyEnabled"]), (arn, True))
        full = "arn:aws:kms:eu-west-1:111122223333:key/" + key_id
        r = self.s3.put_object(Bucket=b, Key="k2", Body=b"x", ServerSideEncryption="aws:kms:dsse", SSEKMSKeyId=full)
        self.assertEqual((r["ServerSideEncryption"], r["SSEKMSKeyId"]), ("aws:kms:dsse", full))

    def test_kms_copy_and_multipart(self):
        b = self.bucket()
        self.s3.put_object(Bucket=b, Key="src", Body=b"source")
        c = self.s3.copy_object(Bucket=b, Key="dst", CopySource={"Bucket": b, "Key": "src"},
                                ServerSideEncryption="aws:kms", SSEKMSKeyId="alias/copy")
        self.assertEqual(c["ServerSideEncryption"], "aws:kms")
        self.assertEqual(c["SSEKMSKeyId"], "arn:aws:kms:us-east-1:000000000000:alias/copy")
        self.assertNotEqual(c["CopyObjectResult"]["ETag"].strip('"'), hashlib.md5(b"source").hexdigest())
        # Copying an object onto itself only to change its encryption is allowed.
        c = self.s3.copy_object(Bucket=b, Key="src", CopySource={"Bucket": b, "Key": "src"},
                                ServerSideEncryption="aws:kms")
        self.assertEqual(self.s3.head_object(Bucket=b, Key="src")["ServerSideEncryption"], "aws:kms")
        m = self.s3.create_multipart_upload(Bucket=b, Key="mp", ServerSideEncryption="aws:kms",
                                            SSEKMSKeyId="alias/mp", BucketKeyEnabled=True)
        arn = "arn:aws:kms:us-east-1:000000000000:alias/mp"
        self.assertEqual((m["ServerSideEncryption"], m["SSEKMSKeyId"], m["BucketKeyEnabled"]),
                         ("aws:kms", arn, True))
        p1 = self.s3.upload_part(Bucket=b, Key="mp", UploadId=m["UploadId"], PartNumber=1, Body=pattern(5 * MIB))
        self.assertEqual((p1["ServerSideEncryption"], p1["SSEKMSKeyId"]), ("aws:kms", arn))
        self.assertNotEqual(p1["ETag"].strip('"'), hashlib.md5(pattern(5 * MIB)).hexdigest())
        p2 = self.s3.upload_part_copy(Bucket=b, Key="mp", UploadId=m["UploadId"], PartNumber=2,
                                      CopySource={"Bucket": b, "Key": "dst"})
        self.assertEqual(p2["ServerSideEncryption"], "aws:kms")
        parts = [{"PartNumber": 1, "ETag": p1["ETag"]}, {"PartNumber": 2, "ETag": p2["CopyPartResult"]["ETag"]}]
        done = self.s3.complete_multipart_upload(Bucket=b, Key="mp", UploadId=m["UploadId"],
                                                 MultipartUpload={"Parts": parts})
        self.assertEqual((done["ServerSideEncryption"], done["SSEKMSKeyId"], done["BucketKeyEnabled"]),
                         ("aws:kms", arn, True))
        self.assertTrue(done["ETag"].endswith('-2"'))
        self.assertEqual(self.s3.get_object(Bucket=b, Key="mp")["Body"].read(), pattern(5 * MIB) + b"source")

    def test_header_errors(self):
        b = self.bucket()
        cases = [
            ({"x-amz-server-side-encryption": "AES512"}, "InvalidArgument", "not supported"),
            ({"x-amz-server-side-encryption": "AES256", "x-amz-server-side-encryption-aws-kms-key-id": "k"},
             "InvalidArgument", "requires HTTP header x-amz-server-side-encryption : aws:kms"),
            ({"x-amz-server-side-encryption": "aws:kms", "x-amz-server-side-encryption-context": "bm90IGpzb24="},
             "InvalidArgument", "string-string map"),
            ({"x-amz-server-side-encryption": "aws:kms", "x-amz-server-side-encryption-bucket-key-enabled": "yes"},
             "InvalidArgument", "bucket-key-enabled"),
            (dict(ssec_headers(), **{"x-amz-server-side-encryption": "AES256"}), "InvalidArgument",
             "incompatible"),
        ]
        self.assert_puts_refused(b, cases)
        # GET and HEAD refuse the SSE header (AWS: 400 for objects with SSE-S3 or KMS).
        self.s3.put_object(Bucket=b, Key="good", Body=b"x")
        for method in ("GET", "HEAD"):
            st, _, out = self.signed(method, "/%s/good" % b, headers={"x-amz-server-side-encryption": "AES256"})
            self.assertEqual(st, 400, method)
        st, _, out = self.signed("GET", "/%s/good" % b, headers={"x-amz-server-side-encryption": "AES256"})
        self.assertIn(b"not supported for this operation", out)

    def test_post_form_sse_fields(self):
        b = self.bucket()
        fields = {"x-amz-server-side-encryption": "aws:kms"}
        p = self.s3.generate_presigned_post(b, "form.txt", Fields=fields,
                                            Conditions=[{"x-amz-server-side-encryption": "aws:kms"}])
        r = requests.post(p["url"], data=p["fields"], files={"file": ("f.txt", b"from a form")}, timeout=30)
        self.assertEqual(r.status_code, 204, r.text)
        self.assertEqual(r.headers["x-amz-server-side-encryption"], "aws:kms")
        h = self.s3.head_object(Bucket=b, Key="form.txt")
        self.assertEqual(h["ServerSideEncryption"], "aws:kms")
        self.assertNotEqual(h["ETag"].strip('"'), hashlib.md5(b"from a form").hexdigest())


class SseCustomerTest(SseCase):
    def test_round_trip_headers_etag_and_blob_at_rest(self):
        b = self.ssec_bucket()
        secret = b"TOP-SECRET-" + uuid.uuid4().hex.encode() + pattern(3000)
        r = self.s3.put_object(Bucket=b, Key="c", Body=secret, **ssec())
        self.assertEqual((r["SSECustomerAlgorithm"], r["SSECustomerKeyMD5"]), ("AES256", md5_b64(KEY_A)))
        self.assertNotIn("ServerSideEncryption", r)
        self.assertNotEqual(r["ETag"].strip('"'), hashlib.md5(secret).hexdigest())
        g = self.s3.get_object(Bucket=b, Key="c", **ssec())
        self.assertEqual(g["Body"].read(), secret)
        self.assertEqual((g["SSECustomerAlgorithm"], g["SSECustomerKeyMD5"]), ("AES256", md5_b64(KEY_A)))
        self.assertEqual(g["ETag"], r["ETag"])
        h = self.s3.head_object(Bucket=b, Key="c", **ssec())
        self.assertEqual((h["ContentLength"], h["SSECustomerKeyMD5"]), (len(secret), md5_b64(KEY_A)))
        # The blob on disk does not hold the plaintext; an unencrypted object's blob does.
        plain = b"PLAIN-" + uuid.uuid4().hex.encode()
        self.s3.put_object(Bucket=b, Key="p", Body=plain)
        self.assertEqual(len(self.blob_holding(plain)), 1)
        self.assertEqual(self.blob_holding(secret[:40]), [])
        self.assertEqual(self.blob_holding(secret[100:140]), [])
        sizes = [os.path.getsize(p) for p in self.blob_files()]
        self.assertIn(len(secret), sizes)  # CTR: the ciphertext is as long as the plaintext

    def test_ranges(self):
        b = self.ssec_bucket()
        data = pattern(10000)
        self.s3.put_object(Bucket=b, Key="r", Body=data, **ssec())
        for rng, want in [("bytes=0-0", data[0:1]), ("bytes=5-10", data[5:11]), ("bytes=15-16", data[15:17]),
                          ("bytes=17-4099", data[17:4100]), ("bytes=9990-", data[9990:]), ("bytes=-7", data[-7:]),
                          ("bytes=0-99999", data)]:
            with self.subTest(rng=rng):
                g = self.s3.get_object(Bucket=b, Key="r", Range=rng, **ssec())
                self.assertEqual(g["Body"].read(), want)

    def test_every_offset_of_a_small_object(self):
        b = self.ssec_bucket()
        data = pattern(70)
        self.s3.put_object(Bucket=b, Key="s", Body=data, **ssec())
        for start in range(0, 70):
            g = self.s3.get_object(Bucket=b, Key="s", Range="bytes=%d-%d" % (start, min(69, start + 20)), **ssec())
            self.assertEqual(g["Body"].read(), data[start:start + 21])

    def test_read_errors(self):
        b = self.ssec_bucket()
        self.s3.put_object(Bucket=b, Key="c", Body=b"secret", **ssec())
        self.s3.put_object(Bucket=b, Key="plain", Body=b"plain")
        err = self.assertError("InvalidRequest", self.s3.get_object, Bucket=b, Key="c", status=400)
        self.assertIn("stored using a form of Server Side Encryption", err["Error"]["Message"])
        self.assertError("AccessDenied", self.s3.get_object, Bucket=b, Key="c", **ssec(KEY_B), status=403)
        self.assertError("400", self.s3.head_object, Bucket=b, Key="c", status=400)
        self.assertError("403", self.s3.head_object, Bucket=b, Key="c", **ssec(KEY_B), status=403)
        self.assertError("InvalidRequest", self.s3.get_object, Bucket=b, Key="plain", **ssec(), status=400)
        self.assertError("InvalidRequest", self.s3.get_object_attributes, Bucket=b, Key="c",
                         ObjectAttributes=["ObjectSize"], status=400)
        # boto3 does not encode the key for GetObjectAttributes: the base64 form and its MD5 are given.
        attrs = self.s3.get_object_attributes(Bucket=b, Key="c", ObjectAttributes=["ObjectSize"],
                                              SSECustomerAlgorithm="AES256",
                                              SSECustomerKey=base64.b64encode(KEY_A).decode(),
                                              SSECustomerKeyMD5=md5_b64(KEY_A))
        self.assertEqual(attrs["ObjectSize"], 6)

    def test_malformed_keys(self):
        b = self.ssec_bucket()
        cases = [
            (ssec_headers(key=b"short"), "InvalidArgument", "secret key was invalid"),
            (ssec_headers(md5=md5_b64(b"other")), "InvalidArgument", "did not match"),
            (ssec_headers(algorithm="AES128"), "InvalidEncryptionAlgorithmError", "AES256"),
            ({"x-amz-server-side-encryption-customer-algorithm": "AES256"}, "InvalidArgument", "secret key"),
            ({"x-amz-server-side-encryption-customer-key": base64.b64encode(KEY_A).decode(),
              "x-amz-server-side-encryption-customer-key-MD5": md5_b64(KEY_A)}, "InvalidArgument",
             "valid encryption algorithm"),
            ({"x-amz-server-side-encryption-customer-algorithm": "AES256",
              "x-amz-server-side-encryption-customer-key": base64.b64encode(KEY_A).decode()}, "InvalidArgument",
             "MD5"),
        ]
        self.assert_puts_refused(b, cases)

    def test_multipart_with_ranges_across_parts(self):
        b = self.ssec_bucket()
        p1, p2, p3 = pattern(5 * MIB + 3, 1), pattern(5 * MIB + 10, 2), pattern(1000, 3)
        whole = p1 + p2 + p3
        m = self.s3.create_multipart_upload(Bucket=b, Key="mp", **ssec())
        self.assertEqual(m["SSECustomerKeyMD5"], md5_b64(KEY_A))
        uid = m["UploadId"]
        # Every part must carry the upload's key.
        self.assertError("InvalidRequest", self.s3.upload_part, Bucket=b, Key="mp", UploadId=uid, PartNumber=1,
                         Body=p1, status=400)
        self.assertError("InvalidRequest", self.s3.upload_part, Bucket=b, Key="mp", UploadId=uid, PartNumber=1,
                         Body=p1, **ssec(KEY_B), status=400)
        etags = []
        for n, body in enumerate((p1, p2, p3), 1):
            r = self.s3.upload_part(Bucket=b, Key="mp", UploadId=uid, PartNumber=n, Body=body, **ssec())
            self.assertEqual(r["SSECustomerKeyMD5"], md5_b64(KEY_A))
            self.assertNotEqual(r["ETag"].strip('"'), hashlib.md5(body).hexdigest())
            etags.append(r["ETag"])
        listed = self.s3.list_parts(Bucket=b, Key="mp", UploadId=uid)["Parts"]
        self.assertEqual([p["ETag"] for p in listed], etags)
        done = self.s3.complete_multipart_upload(
            Bucket=b, Key="mp", UploadId=uid,
            MultipartUpload={"Parts": [{"PartNumber": i + 1, "ETag": e} for i, e in enumerate(etags)]})
        self.assertTrue(done["ETag"].endswith('-3"'))
        self.assertEqual(self.s3.get_object(Bucket=b, Key="mp", **ssec())["Body"].read(), whole)
        b1 = len(p1)
        b2 = len(p1) + len(p2)
        for start, end in [(b1 - 5, b1 + 5), (b1 - 1, b1), (b2 - 20, b2 + 30), (b1 - 100, b2 + 100),
                           (0, 16), (b2 + 999, b2 + 999)]:
            with self.subTest(start=start, end=end):
                g = self.s3.get_object(Bucket=b, Key="mp", Range="bytes=%d-%d" % (start, end), **ssec())
                self.assertEqual(g["Body"].read(), whole[start:end + 1])
        g = self.s3.get_object(Bucket=b, Key="mp", PartNumber=2, **ssec())
        self.assertEqual(g["Body"].read(), p2)
        self.assertError("InvalidRequest", self.s3.get_object, Bucket=b, Key="mp", status=400)
        self.assertEqual(self.blob_holding(p2[1000:1064]), [])

    def test_multipart_transfer_with_default_checksums(self):
        """boto3's upload_fileobj / download_fileobj (s3transfer, CRC32 checksums by default)."""
        import io
        from boto3.s3.transfer import TransferConfig
        b = self.ssec_bucket()
        data = pattern(12 * MIB + 7, 9)
        cfg = TransferConfig(multipart_threshold=5 * MIB, multipart_chunksize=5 * MIB)
        extra = {"SSECustomerAlgorithm": "AES256", "SSECustomerKey": KEY_A}
        self.s3_default.upload_fileobj(io.BytesIO(data), b, "t", ExtraArgs=extra, Config=cfg)
        out = io.BytesIO()
        self.s3_default.download_fileobj(b, "t", out, ExtraArgs=extra, Config=cfg)
        self.assertEqual(out.getvalue(), data)
        h = self.s3_default.head_object(Bucket=b, Key="t", ChecksumMode="ENABLED", **ssec())
        self.assertEqual(h["ContentLength"], len(data))

    def test_full_object_checksum_multipart_needs_the_key_at_completion(self):
        b = self.ssec_bucket()
        import zlib
        m = self.s3.create_multipart_upload(Bucket=b, Key="fo", ChecksumAlgorithm="CRC32",
                                            ChecksumType="FULL_OBJECT", **ssec())
        uid = m["UploadId"]
        data = pattern(4000, 5)
        r = self.s3.upload_part(Bucket=b, Key="fo", UploadId=uid, PartNumber=1, Body=data, ChecksumAlgorithm="CRC32",
                                **ssec())
        parts = {"Parts": [{"PartNumber": 1, "ETag": r["ETag"], "ChecksumCRC32": r["ChecksumCRC32"]}]}
        self.assertError("InvalidRequest", self.s3.complete_multipart_upload, Bucket=b, Key="fo", UploadId=uid,
                         MultipartUpload=parts, status=400)
        done = self.s3.complete_multipart_upload(Bucket=b, Key="fo", UploadId=uid, MultipartUpload=parts, **ssec())
        want = base64.b64encode(zlib.crc32(data).to_bytes(4, "big")).decode()
        self.assertEqual(done["ChecksumCRC32"], want)  # of the plaintext
        self.assertEqual(self.s3.get_object(Bucket=b, Key="fo", **ssec())["Body"].read(), data)

    def test_copies(self):
        b = self.ssec_bucket()
        data = pattern(5000, 4)
        self.s3.put_object(Bucket=b, Key="src", Body=data, **ssec())
        src = {"Bucket": b, "Key": "src"}
        # The source key is needed, under the copy-source headers.
        self.assertError("InvalidRequest", self.s3.copy_object, Bucket=b, Key="d", CopySource=src, status=400)
        self.assertError("AccessDenied", self.s3.copy_object, Bucket=b, Key="d", CopySource=src,
                         **ssec(KEY_B, "CopySource"), status=403)
        # SSE-C -> SSE-C with another key.
        c = self.s3.copy_object(Bucket=b, Key="d", CopySource=src, **ssec(KEY_A, "CopySource"), **ssec(KEY_B))
        self.assertEqual(c["SSECustomerKeyMD5"], md5_b64(KEY_B))
        self.assertEqual(self.s3.get_object(Bucket=b, Key="d", **ssec(KEY_B))["Body"].read(), data)
        self.assertError("AccessDenied", self.s3.get_object, Bucket=b, Key="d", **ssec(KEY_A), status=403)
        # SSE-C -> plain (the destination bucket's default, SSE-S3): the MD5 ETag again.
        c = self.s3.copy_object(Bucket=b, Key="plain", CopySource=src, **ssec(KEY_A, "CopySource"))
        self.assertEqual(c["ServerSideEncryption"], "AES256")
        self.assertEqual(c["CopyObjectResult"]["ETag"].strip('"'), hashlib.md5(data).hexdigest())
        self.assertEqual(self.s3.get_object(Bucket=b, Key="plain")["Body"].read(), data)
        # plain -> SSE-C
        self.s3.copy_object(Bucket=b, Key="again", CopySource={"Bucket": b, "Key": "plain"}, **ssec(KEY_B))
        self.assertEqual(self.s3.get_object(Bucket=b, Key="again", **ssec(KEY_B))["Body"].read(), data)
        self.assertEqual(len(self.blob_holding(data[:64])), 1)  # only "plain" holds the plaintext
        # UploadPartCopy from an SSE-C source (a range) into an SSE-C upload with another key.
        m = self.s3.create_multipart_upload(Bucket=b, Key="upc", **ssec(KEY_B))
        pc = self.s3.upload_part_copy(Bucket=b, Key="upc", UploadId=m["UploadId"], PartNumber=1, CopySource=src,
                                      CopySourceRange="bytes=100-2099", **ssec(KEY_A, "CopySource"), **ssec(KEY_B))
        self.assertEqual(pc["SSECustomerKeyMD5"], md5_b64(KEY_B))
        self.s3.complete_multipart_upload(Bucket=b, Key="upc", UploadId=m["UploadId"], MultipartUpload={
            "Parts": [{"PartNumber": 1, "ETag": pc["CopyPartResult"]["ETag"]}]})
        g = self.s3.get_object(Bucket=b, Key="upc", Range="bytes=10-29", **ssec(KEY_B))
        self.assertEqual(g["Body"].read(), data[110:130])

    def test_checksums_and_content_md5_are_of_the_plaintext(self):
        b = self.ssec_bucket()
        data = pattern(777, 6)
        r = self.s3_default.put_object(Bucket=b, Key="cs", Body=data, ChecksumAlgorithm="SHA256", **ssec())
        self.assertEqual(r["ChecksumSHA256"], base64.b64encode(hashlib.sha256(data).digest()).decode())
        g = self.s3_default.get_object(Bucket=b, Key="cs", ChecksumMode="ENABLED", **ssec())
        self.assertEqual(g["Body"].read(), data)
        self.assertEqual(g["ChecksumSHA256"], r["ChecksumSHA256"])
        headers = dict(ssec_headers(), **{"Content-MD5": md5_b64(b"other bytes")})
        st, _, out = self.signed("PUT", "/%s/md5" % b, body=data, headers=headers)
        self.assertEqual(st, 400)
        self.assertIn(b"BadDigest", out)
        headers["Content-MD5"] = md5_b64(data)
        st, _, out = self.signed("PUT", "/%s/md5" % b, body=data, headers=headers)
        self.assertEqual(st, 200, out)

    def test_post_form_with_customer_key(self):
        b = self.ssec_bucket()
        fields = ssec_headers(KEY_B)
        p = self.s3.generate_presigned_post(b, "form", Fields=fields, Conditions=[{k: v} for k, v in fields.items()])
        secret = b"FORM-SECRET-" + uuid.uuid4().hex.encode()
        r = requests.post(p["url"], data=p["fields"], files={"file": ("f", secret)}, timeout=30)
        self.assertEqual(r.status_code, 204, r.text)
        self.assertEqual(r.headers["x-amz-server-side-encryption-customer-key-MD5"], md5_b64(KEY_B))
        self.assertEqual(self.s3.get_object(Bucket=b, Key="form", **ssec(KEY_B))["Body"].read(), secret)
        self.assertEqual(self.blob_holding(secret), [])



class SseRestartTest(unittest.TestCase):
    def test_ssec_objects_survive_a_restart(self):
        la = LocalAws().start()
        try:
            s3 = la.boto3_client("s3")
            s3.create_bucket(Bucket="keep")
            s3.put_bucket_encryption(Bucket="keep", ServerSideEncryptionConfiguration={"Rules": [{
                "ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": "alias/k"},
                "BlockedEncryptionTypes": {"EncryptionType": ["NONE"]}}]})
            data = pattern(100000, 77)
            s3.put_object(Bucket="keep", Key="c", Body=data, **ssec(KEY_B))
            s3.put_object(Bucket="keep", Key="k", Body=b"kms")
            la.stop()
            la.start()
            s3 = la.boto3_client("s3")
            g = s3.get_object(Bucket="keep", Key="c", Range="bytes=33333-", **ssec(KEY_B))
            self.assertEqual(g["Body"].read(), data[33333:])
            self.assertEqual(s3.head_object(Bucket="keep", Key="k")["SSEKMSKeyId"],
                             "arn:aws:kms:us-east-1:000000000000:alias/k")
            rule = s3.get_bucket_encryption(Bucket="keep")["ServerSideEncryptionConfiguration"]["Rules"][0]
            self.assertEqual(rule["BlockedEncryptionTypes"], {"EncryptionType": ["NONE"]})
        finally:
            la.close()


if __name__ == "__main__":
    unittest.main()
