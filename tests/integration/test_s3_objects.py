"""S3 object operations (PUT/GET/HEAD/DELETE, ranges, conditions, checksums, metadata) through
boto3 and the aws CLI."""
import base64
import datetime
import hashlib
import os
import tempfile
import unittest
import zlib

from s3_support import S3TestCase


def crc32_b64(data):
    return base64.b64encode(zlib.crc32(data).to_bytes(4, "big")).decode()


def _reflected_crc(data, poly, width):
    # Bitwise reference CRC (small inputs only): botocore needs the CRT for CRC32C/CRC64NVME.
    mask = (1 << width) - 1
    crc = mask
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ poly if crc & 1 else crc >> 1
    return base64.b64encode((crc ^ mask).to_bytes(width // 8, "big")).decode()


def expected_checksum(algo, data):
    if algo == "CRC32":
        return crc32_b64(data)
    if algo == "CRC32C":
        return _reflected_crc(data, 0x82F63B78, 32)
    if algo == "CRC64NVME":
        return _reflected_crc(data, 0x9A6C9329AC4BC9B5, 64)
    return base64.b64encode(hashlib.new(algo.lower(), data).digest()).decode()


class ObjectTests(S3TestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.b = "objects-bucket"
        cls.s3.create_bucket(Bucket=cls.b)

    def test_put_get_head_roundtrip_with_metadata(self):
        data = os.urandom(100_000)
        put = self.s3.put_object(Bucket=self.b, Key="dir/file.bin", Body=data, ContentType="application/x-test",
                                 Metadata={"color": "blue", "n": "1"}, CacheControl="max-age=60",
                                 ContentDisposition="attachment", ContentLanguage="en", StorageClass="STANDARD_IA",
                                 Tagging="a=1&b=two")
        self.assertEqual(put["ETag"], '"%s"' % hashlib.md5(data).hexdigest())
        got = self.s3.get_object(Bucket=self.b, Key="dir/file.bin")
        self.assertEqual(got["Body"].read(), data)
        self.assertEqual(got["ContentType"], "application/x-test")
        self.assertEqual(got["Metadata"], {"color": "blue", "n": "1"})
        self.assertEqual(got["CacheControl"], "max-age=60")
        self.assertEqual(got["ContentDisposition"], "attachment")
        self.assertEqual(got["ContentLanguage"], "en")
        self.assertEqual(got["StorageClass"], "STANDARD_IA")
        self.assertEqual(got["TagCount"], 2)
        self.assertEqual(got["AcceptRanges"], "bytes")
        head = self.s3.head_object(Bucket=self.b, Key="dir/file.bin")
        self.assertEqual(head["ContentLength"], len(data))
        self.assertEqual(head["ETag"], put["ETag"])
        self.assertIsInstance(head["LastModified"], datetime.datetime)

    def test_missing_key(self):
        err = self.assertError("NoSuchKey", self.s3.get_object, Bucket=self.b, Key="nope", status=404)
        self.assertEqual(err["Error"]["Key"], "nope")
        self.assertError("404", self.s3.head_object, Bucket=self.b, Key="nope")
        self.assertError("NoSuchBucket", self.s3.get_object, Bucket="no-such-bucket-here", Key="k", status=404)

    def test_keys_with_special_characters(self):
        for key in ("a b", "a+b", "../../etc/passwd", "ünïcødé/€", "x?y&z=1", "with%percent", "tab\tkey", "~tilde"):
            self.s3.put_object(Bucket=self.b, Key=key, Body=key.encode())
            self.assertEqual(self.s3.get_object(Bucket=self.b, Key=key)["Body"].read(), key.encode(), key)
        # A literal '+' in the path is a space, as S3 decodes it (the console's object URLs).
        listed = [o["Key"] for o in self.s3.list_objects_v2(Bucket=self.b, Prefix="a")["Contents"]]
        self.assertIn("a b", listed)
        self.assertIn("a+b", listed)


    def test_key_too_long(self):
        self.assertError("KeyTooLongError", self.s3.put_object, Bucket=self.b, Key="k" * 1025, Body=b"x",
                         status=400)

    def test_metadata_too_large(self):
        self.assertError("MetadataTooLarge", self.s3.put_object, Bucket=self.b, Key="big-meta", Body=b"x",
                         Metadata={"m": "v" * 2100}, status=400)

    def test_ranges(self):
        self.s3.put_object(Bucket=self.b, Key="digits", Body=b"0123456789")
        r = self.s3.get_object(Bucket=self.b, Key="digits", Range="bytes=2-4")
        self.assertEqual(r["Body"].read(), b"234")
        self.assertEqual(r["ContentRange"], "bytes 2-4/10")
        self.assertEqual(r["ResponseMetadata"]["HTTPStatusCode"], 206)
        self.assertEqual(self.s3.get_object(Bucket=self.b, Key="digits", Range="bytes=-3")["Body"].read(), b"789")
        self.assertEqual(self.s3.get_object(Bucket=self.b, Key="digits", Range="bytes=7-")["Body"].read(), b"789")
        self.assertEqual(self.s3.get_object(Bucket=self.b, Key="digits", Range="bytes=8-100")["Body"].read(), b"89")
        self.assertError("InvalidRange", self.s3.get_object, Bucket=self.b, Key="digits", Range="bytes=10-",
                         status=416)
        # Malformed and multiple ranges are ignored: the whole object, 200.
        for bad in ("bytes=5-2", "bytes=x-y", "bytes=0-1,3-4"):
            r = self.s3.get_object(Bucket=self.b, Key="digits", Range=bad)
            self.assertEqual(r["ResponseMetadata"]["HTTPStatusCode"], 200, bad)
            self.assertEqual(r["Body"].read(), b"0123456789")
        h = self.s3.head_object(Bucket=self.b, Key="digits", Range="bytes=1-2")
        self.assertEqual(h["ContentLength"], 2)

    def test_conditional_get(self):
        put = self.s3.put_object(Bucket=self.b, Key="cond", Body=b"c")
        etag = put["ETag"]
        self.assertEqual(self.s3.get_object(Bucket=self.b, Key="cond", IfMatch=etag)["Body"].read(), b"c")
        self.assertError("PreconditionFailed", self.s3.get_object, Bucket=self.b, Key="cond", IfMatch='"x"',
                         status=412)
        self.assertError("304", self.s3.get_object, Bucket=self.b, Key="cond", IfNoneMatch=etag)
        past = datetime.datetime(2000, 1, 1, tzinfo=datetime.timezone.utc)
        future = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=1)
        self.assertError("PreconditionFailed", self.s3.get_object, Bucket=self.b, Key="cond",
                         IfUnmodifiedSince=past, status=412)
        self.assertError("304", self.s3.get_object, Bucket=self.b, Key="cond",
                         IfModifiedSince=datetime.datetime.now(datetime.timezone.utc))
        self.assertEqual(self.s3.get_object(Bucket=self.b, Key="cond", IfModifiedSince=past)["Body"].read(), b"c")
        # If-Match true + If-Unmodified-Since false -> 200 (AWS's precedence).
        r = self.s3.get_object(Bucket=self.b, Key="cond", IfMatch=etag, IfUnmodifiedSince=past)
        self.assertEqual(r["Body"].read(), b"c")
        # If-None-Match false + If-Modified-Since true (future ignored) -> 200.
        r = self.s3.get_object(Bucket=self.b, Key="cond", IfNoneMatch='"other"', IfModifiedSince=future)
        self.assertEqual(r["ResponseMetadata"]["HTTPStatusCode"], 200)

    def test_conditional_writes(self):
        self.s3.put_object(Bucket=self.b, Key="once", Body=b"1", IfNoneMatch="*")
        self.assertError("PreconditionFailed", self.s3.put_object, Bucket=self.b, Key="once", Body=b"2",
                         IfNoneMatch="*", status=412)
        etag = self.s3.head_object(Bucket=self.b, Key="once")["ETag"]
        self.s3.put_object(Bucket=self.b, Key="once", Body=b"3", IfMatch=etag)
        self.assertError("PreconditionFailed", self.s3.put_object, Bucket=self.b, Key="once", Body=b"4",
                         IfMatch=etag, status=412)
        self.assertError("NoSuchKey", self.s3.put_object, Bucket=self.b, Key="never", Body=b"4", IfMatch=etag,
                         status=404)
        self.assertEqual(self.s3.get_object(Bucket=self.b, Key="once")["Body"].read(), b"3")

    def test_response_overrides(self):
        self.s3.put_object(Bucket=self.b, Key="ovr", Body=b"o", ContentType="text/plain")
        r = self.s3.get_object(Bucket=self.b, Key="ovr", ResponseContentType="application/json",
                               ResponseContentDisposition="inline", ResponseCacheControl="no-cache")
        self.assertEqual(r["ContentType"], "application/json")
        self.assertEqual(r["ContentDisposition"], "inline")
        self.assertEqual(r["CacheControl"], "no-cache")

    def test_content_md5(self):
        data = b"md5 checked"
        good = base64.b64encode(hashlib.md5(data).digest()).decode()
        self.s3.put_object(Bucket=self.b, Key="md5", Body=data, ContentMD5=good)
        bad = base64.b64encode(hashlib.md5(b"other").digest()).decode()
        self.assertError("BadDigest", self.s3.put_object, Bucket=self.b, Key="md5", Body=data, ContentMD5=bad,
                         status=400)
        self.assertError("InvalidDigest", self.s3.put_object, Bucket=self.b, Key="md5", Body=data,
                         ContentMD5="notbase64!", status=400)
        self.assertEqual(self.s3.get_object(Bucket=self.b, Key="md5")["Body"].read(), data)

    def test_checksum_headers_verified_stored_and_returned(self):
        data = b"checksummed body"
        for algo in ("CRC32", "CRC32C", "SHA1", "SHA256", "CRC64NVME"):
            key = "cs-" + algo
            value = expected_checksum(algo, data)
            put = self.s3.put_object(Bucket=self.b, Key=key, Body=data, **{"Checksum" + algo: value})
            self.assertEqual(put["Checksum" + algo], value)
            got = self.s3.get_object(Bucket=self.b, Key=key, ChecksumMode="ENABLED")
            self.assertEqual(got["Checksum" + algo], value)
            self.assertEqual(got["ChecksumType"], "FULL_OBJECT")
            self.assertEqual(got["Body"].read(), data)
        self.assertEqual(self.s3.head_object(Bucket=self.b, Key="cs-CRC32", ChecksumMode="ENABLED")["ChecksumCRC32"],
                         crc32_b64(data))
        self.assertError("BadDigest", self.s3.put_object, Bucket=self.b, Key="cs-bad", Body=data,
                         ChecksumCRC32=crc32_b64(b"different"), status=400)
        self.assertError("InvalidRequest", self.s3.put_object, Bucket=self.b, Key="cs-bad", Body=data,
                         ChecksumCRC32="!!", status=400)
        self.assertError("NoSuchKey", self.s3.get_object, Bucket=self.b, Key="cs-bad")

    def test_default_sdk_checksum_aws_chunked_trailer(self):
        """boto3's default: CRC32 in an aws-chunked trailer. Needs the SigV4 chunk decoder."""
        data = os.urandom(70_000)
        put = self.s3_default.put_object(Bucket=self.b, Key="chunked", Body=data)
        self.assertEqual(put["ChecksumCRC32"], crc32_b64(data))
        got = self.s3_default.get_object(Bucket=self.b, Key="chunked", ChecksumMode="ENABLED")
        self.assertEqual(got["Body"].read(), data)
        self.assertEqual(got["ChecksumCRC32"], crc32_b64(data))
        self.assertNotIn("ContentEncoding", got)

    def test_delete_object_and_objects(self):
        for i in range(5):
            self.s3.put_object(Bucket=self.b, Key="del/%d" % i, Body=b"x")
        r = self.s3.delete_object(Bucket=self.b, Key="del/0")
        self.assertEqual(r["ResponseMetadata"]["HTTPStatusCode"], 204)
        r = self.s3.delete_object(Bucket=self.b, Key="del/missing")
        self.assertEqual(r["ResponseMetadata"]["HTTPStatusCode"], 204)
        r = self.s3.delete_objects(Bucket=self.b, Delete={"Objects": [{"Key": "del/1"}, {"Key": "del/2"},
                                                                      {"Key": "del/none"}]})
        self.assertEqual(sorted(d["Key"] for d in r["Deleted"]), ["del/1", "del/2", "del/none"])
        r = self.s3.delete_objects(Bucket=self.b, Delete={"Objects": [{"Key": "del/3"}], "Quiet": True})
        self.assertNotIn("Deleted", r)
        left = [o["Key"] for o in self.s3.list_objects_v2(Bucket=self.b, Prefix="del/")["Contents"]]
        self.assertEqual(left, ["del/4"])
        self.assertError("MalformedXML", self.s3.delete_objects, Bucket=self.b,
                         Delete={"Objects": [{"Key": "k%d" % i} for i in range(1001)]}, status=400)

    def test_delete_objects_requires_integrity_header(self):
        body = b'<Delete><Object><Key>x</Key></Object></Delete>'
        status, _, out = self.signed("POST", "/%s?delete" % self.b, body)
        self.assertEqual(status, 400)
        self.assertIn(b"<Code>InvalidRequest</Code>", out)

    def test_missing_content_length_is_411(self):
        import http.client
        import botocore.auth
        import botocore.awsrequest
        import botocore.credentials
        url = "%s/%s/no-length" % (self.server.endpoint, self.b)
        req = botocore.awsrequest.AWSRequest(method="PUT", url=url, headers={"Transfer-Encoding": "chunked",
                                                                            "x-amz-content-sha256": "UNSIGNED-PAYLOAD"})
        botocore.auth.S3SigV4Auth(botocore.credentials.Credentials("test", "test"), "s3", "us-east-1").add_auth(req)
        host = self.server.endpoint.split("//")[1]
        conn = http.client.HTTPConnection(host, timeout=30)
        conn.putrequest("PUT", "/%s/no-length" % self.b)
        for k, v in req.headers.items():
            conn.putheader(k, v)
        conn.endheaders()
        conn.send(b"5\r\nhello\r\n0\r\n\r\n")
        resp = conn.getresponse()
        self.assertEqual(resp.status, 411)
        self.assertIn(b"MissingContentLength", resp.read())
        conn.close()

    def test_head_errors_have_no_body_and_request_ids(self):
        r = self.server.get("/")  # anonymous
        self.assertEqual(r[0], 403)
        err = self.assertError("404", self.s3.head_object, Bucket=self.b, Key="nothing")
        headers = err["ResponseMetadata"]["HTTPHeaders"]
        self.assertIn("x-amz-request-id", headers)
        self.assertIn("x-amz-id-2", headers)

    def test_object_attributes(self):
        data = b"attributes"
        self.s3.put_object(Bucket=self.b, Key="attrs", Body=data, ChecksumAlgorithm="SHA256")
        a = self.s3.get_object_attributes(Bucket=self.b, Key="attrs",
                                          ObjectAttributes=["ETag", "Checksum", "ObjectSize", "StorageClass"])
        self.assertEqual(a["ETag"], hashlib.md5(data).hexdigest())
        self.assertEqual(a["ObjectSize"], len(data))
        self.assertEqual(a["StorageClass"], "STANDARD")
        self.assertEqual(a["Checksum"]["ChecksumSHA256"], base64.b64encode(hashlib.sha256(data).digest()).decode())

    def test_cli_cp_sync_ls_rm(self):
        with tempfile.TemporaryDirectory() as d:
            src = os.path.join(d, "src")
            os.makedirs(os.path.join(src, "sub"))
            files = {"a.txt": b"alpha", "sub/b.bin": os.urandom(3000), "sub/c.txt": b"gamma"}
            for name, data in files.items():
                with open(os.path.join(src, name), "wb") as f:
                    f.write(data)
            self.server.aws("s3", "mb", "s3://cli-objects")
            self.server.aws("s3", "cp", os.path.join(src, "a.txt"), "s3://cli-objects/one/a.txt")
            self.server.aws("s3", "sync", src, "s3://cli-objects/tree")
            out = self.server.aws("s3", "ls", "s3://cli-objects/tree/", "--recursive").stdout
            for name in files:
                self.assertIn("tree/" + name, out)
            dst = os.path.join(d, "dst")
            self.server.aws("s3", "sync", "s3://cli-objects/tree", dst)
            for name, data in files.items():
                with open(os.path.join(dst, name), "rb") as f:
                    self.assertEqual(f.read(), data, name)
            # A second sync uploads nothing: sizes and times match.
            again = self.server.aws("s3", "sync", src, "s3://cli-objects/tree").stdout
            self.assertNotIn("upload:", again)
            self.server.aws("s3", "rm", "s3://cli-objects/tree", "--recursive")
            self.assertEqual(self.server.aws("s3", "ls", "s3://cli-objects/tree/", check=False).stdout.strip(), "")
            head = self.server.aws_json("s3api", "head-object", "--bucket", "cli-objects", "--key", "one/a.txt")
            self.assertEqual(head["ContentLength"], 5)
            self.assertEqual(head["ContentType"], "text/plain")


class PlusInPathTests(S3TestCase):
    # A literal '+' in a path comes from URLs people type or copy (the console's object URLs),
    # not from SDKs, which sign what they send: signatures are off here so the raw path is used.
    server_args = ("--auth", "off")

    def test_plus_in_raw_path_means_space(self):
        b = self.bucket("plus")
        self.s3.put_object(Bucket=b, Key="hello world.txt", Body=b"spaced")
        status, _, body = self.signed("GET", "/%s/hello+world.txt" % b)
        self.assertEqual((status, body), (200, b"spaced"))


if __name__ == "__main__":
    unittest.main()
