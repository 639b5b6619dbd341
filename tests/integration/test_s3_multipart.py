"""Multipart uploads: the low-level calls, their errors, and boto3's managed transfers of a
100 MB file (upload_file / download_file), with and without default checksums."""
import base64
import hashlib
import os
import shutil
import tempfile
import unittest
import zlib

import boto3.s3.transfer

from s3_support import S3TestCase

MIB = 1024 * 1024


def crc32_raw(data):
    return zlib.crc32(data).to_bytes(4, "big")


class MultipartTests(S3TestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.b = "multipart-bucket"
        cls.s3.create_bucket(Bucket=cls.b)
        cls.tmp = tempfile.mkdtemp(prefix="s3-mp-")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)
        super().tearDownClass()

    def test_low_level_upload_etag_and_get_across_parts(self):
        parts_data = [os.urandom(5 * MIB), os.urandom(5 * MIB), os.urandom(1234)]
        up = self.s3.create_multipart_upload(Bucket=self.b, Key="mp/obj", ContentType="text/x-mp",
                                             Metadata={"k": "v"})
        uid = up["UploadId"]
        parts = []
        for i, d in enumerate(parts_data, 1):
            r = self.s3.upload_part(Bucket=self.b, Key="mp/obj", UploadId=uid, PartNumber=i, Body=d)
            self.assertEqual(r["ETag"], '"%s"' % hashlib.md5(d).hexdigest())
            parts.append({"PartNumber": i, "ETag": r["ETag"]})
        listed = self.s3.list_parts(Bucket=self.b, Key="mp/obj", UploadId=uid)
        self.assertEqual([p["Size"] for p in listed["Parts"]], [len(d) for d in parts_data])
        page = self.s3.list_parts(Bucket=self.b, Key="mp/obj", UploadId=uid, MaxParts=2)
        self.assertTrue(page["IsTruncated"])
        self.assertEqual(page["NextPartNumberMarker"], 2)
        uploads = self.s3.list_multipart_uploads(Bucket=self.b)["Uploads"]
        self.assertIn(uid, [u["UploadId"] for u in uploads])
        done = self.s3.complete_multipart_upload(Bucket=self.b, Key="mp/obj", UploadId=uid,
                                                 MultipartUpload={"Parts": parts})
        want = hashlib.md5(b"".join(hashlib.md5(d).digest() for d in parts_data)).hexdigest() + "-3"
        self.assertEqual(done["ETag"], '"%s"' % want)
        whole = b"".join(parts_data)
        got = self.s3.get_object(Bucket=self.b, Key="mp/obj")
        self.assertEqual(got["Body"].read(), whole)
        self.assertEqual(got["ContentType"], "text/x-mp")
        self.assertEqual(got["Metadata"], {"k": "v"})
        # A range that spans the part boundary, and partNumber reads.
        r = self.s3.get_object(Bucket=self.b, Key="mp/obj", Range="bytes=%d-%d" % (5 * MIB - 3, 5 * MIB + 2))
        self.assertEqual(r["Body"].read(), whole[5 * MIB - 3:5 * MIB + 3])
        p2 = self.s3.get_object(Bucket=self.b, Key="mp/obj", PartNumber=2)
        self.assertEqual(p2["Body"].read(), parts_data[1])
        self.assertEqual(p2["PartsCount"], 3)
        self.assertError("InvalidPartNumber", self.s3.get_object, Bucket=self.b, Key="mp/obj", PartNumber=4,
                         status=416)
        self.assertError("NoSuchUpload", self.s3.list_parts, Bucket=self.b, Key="mp/obj", UploadId=uid, status=404)

    def test_complete_errors(self):
        uid = self.s3.create_multipart_upload(Bucket=self.b, Key="mp/err")["UploadId"]
        small = self.s3.upload_part(Bucket=self.b, Key="mp/err", UploadId=uid, PartNumber=1, Body=b"a" * 100)
        last = self.s3.upload_part(Bucket=self.b, Key="mp/err", UploadId=uid, PartNumber=2, Body=b"b" * 100)
        p1 = {"PartNumber": 1, "ETag": small["ETag"]}
        p2 = {"PartNumber": 2, "ETag": last["ETag"]}
        self.assertError("InvalidPartOrder", self.s3.complete_multipart_upload, Bucket=self.b, Key="mp/err",
                         UploadId=uid, MultipartUpload={"Parts": [p2, p1]}, status=400)
        self.assertError("InvalidPart", self.s3.complete_multipart_upload, Bucket=self.b, Key="mp/err",
                         UploadId=uid, MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": '"00"'}]}, status=400)
        self.assertError("InvalidPart", self.s3.complete_multipart_upload, Bucket=self.b, Key="mp/err",
                         UploadId=uid, MultipartUpload={"Parts": [{"PartNumber": 3, "ETag": last["ETag"]}]})
        self.assertError("EntityTooSmall", self.s3.complete_multipart_upload, Bucket=self.b, Key="mp/err",
                         UploadId=uid, MultipartUpload={"Parts": [p1, p2]}, status=400)
        self.assertError("InvalidArgument", self.s3.upload_part, Bucket=self.b, Key="mp/err", UploadId=uid,
                         PartNumber=10001, Body=b"x")
        # The last part alone may be small.
        self.s3.complete_multipart_upload(Bucket=self.b, Key="mp/err", UploadId=uid,
                                          MultipartUpload={"Parts": [p2]})
        self.assertEqual(self.s3.get_object(Bucket=self.b, Key="mp/err")["Body"].read(), b"b" * 100)
        self.assertError("NoSuchUpload", self.s3.upload_part, Bucket=self.b, Key="mp/err", UploadId="nope",
                         PartNumber=1, Body=b"x", status=404)

    def test_abort_removes_part_blobs(self):
        blobs = os.path.join(self.server.data_dir, "blobs")

        def count():
            return sum(len(f) for _, _, f in os.walk(blobs))
        before = count()
        uid = self.s3.create_multipart_upload(Bucket=self.b, Key="mp/abort")["UploadId"]
        for i in (1, 2):
            self.s3.upload_part(Bucket=self.b, Key="mp/abort", UploadId=uid, PartNumber=i, Body=b"z" * 1000)
        self.assertEqual(count(), before + 2)
        r = self.s3.abort_multipart_upload(Bucket=self.b, Key="mp/abort", UploadId=uid)
        self.assertEqual(r["ResponseMetadata"]["HTTPStatusCode"], 204)
        self.assertEqual(count(), before)
        self.assertError("NoSuchUpload", self.s3.abort_multipart_upload, Bucket=self.b, Key="mp/abort",
                         UploadId=uid, status=404)

    def test_upload_part_copy_with_range(self):
        src = os.urandom(6 * MIB)
        self.s3.put_object(Bucket=self.b, Key="mp/src", Body=src)
        uid = self.s3.create_multipart_upload(Bucket=self.b, Key="mp/copied")["UploadId"]
        r1 = self.s3.upload_part_copy(Bucket=self.b, Key="mp/copied", UploadId=uid, PartNumber=1,
                                      CopySource={"Bucket": self.b, "Key": "mp/src"},
                                      CopySourceRange="bytes=0-%d" % (5 * MIB - 1))
        r2 = self.s3.upload_part_copy(Bucket=self.b, Key="mp/copied", UploadId=uid, PartNumber=2,
                                      CopySource={"Bucket": self.b, "Key": "mp/src"},
                                      CopySourceRange="bytes=%d-%d" % (5 * MIB, 6 * MIB - 1))
        self.assertEqual(r1["CopyPartResult"]["ETag"], '"%s"' % hashlib.md5(src[:5 * MIB]).hexdigest())
        self.assertError("InvalidArgument", self.s3.upload_part_copy, Bucket=self.b, Key="mp/copied",
                         UploadId=uid, PartNumber=3, CopySource={"Bucket": self.b, "Key": "mp/src"},
                         CopySourceRange="bytes=0-%d" % (6 * MIB))
        self.s3.complete_multipart_upload(Bucket=self.b, Key="mp/copied", UploadId=uid, MultipartUpload={
            "Parts": [{"PartNumber": 1, "ETag": r1["CopyPartResult"]["ETag"]},
                      {"PartNumber": 2, "ETag": r2["CopyPartResult"]["ETag"]}]})
        self.assertEqual(self.s3.get_object(Bucket=self.b, Key="mp/copied")["Body"].read(), src)

    def test_composite_and_full_object_checksums(self):
        parts_data = [os.urandom(5 * MIB), os.urandom(100)]
        uid = self.s3.create_multipart_upload(Bucket=self.b, Key="mp/crc", ChecksumAlgorithm="CRC32")["UploadId"]
        parts = []
        for i, d in enumerate(parts_data, 1):
            r = self.s3.upload_part(Bucket=self.b, Key="mp/crc", UploadId=uid, PartNumber=i, Body=d,
                                    ChecksumCRC32=base64.b64encode(crc32_raw(d)).decode())
            parts.append({"PartNumber": i, "ETag": r["ETag"], "ChecksumCRC32": r["ChecksumCRC32"]})
        done = self.s3.complete_multipart_upload(Bucket=self.b, Key="mp/crc", UploadId=uid,
                                                 MultipartUpload={"Parts": parts})
        composite = base64.b64encode(crc32_raw(b"".join(crc32_raw(d) for d in parts_data))).decode() + "-2"
        self.assertEqual(done["ChecksumCRC32"], composite)
        got = self.s3.head_object(Bucket=self.b, Key="mp/crc", ChecksumMode="ENABLED")
        self.assertEqual(got["ChecksumCRC32"], composite)
        self.assertEqual(got["ChecksumType"], "COMPOSITE")
        uid = self.s3.create_multipart_upload(Bucket=self.b, Key="mp/full", ChecksumAlgorithm="CRC32",
                                              ChecksumType="FULL_OBJECT")["UploadId"]
        parts = []
        for i, d in enumerate(parts_data, 1):
            r = self.s3.upload_part(Bucket=self.b, Key="mp/full", UploadId=uid, PartNumber=i, Body=d,
                                    ChecksumCRC32=base64.b64encode(crc32_raw(d)).decode())
            parts.append({"PartNumber": i, "ETag": r["ETag"]})
        done = self.s3.complete_multipart_upload(Bucket=self.b, Key="mp/full", UploadId=uid,
                                                 MultipartUpload={"Parts": parts})
        self.assertEqual(done["ChecksumCRC32"], base64.b64encode(crc32_raw(b"".join(parts_data))).decode())
        self.assertEqual(done["ChecksumType"], "FULL_OBJECT")

    def test_list_multipart_uploads_prefix_delimiter_markers(self):
        b = self.bucket("uploads")
        ids = {}
        for k in ("a/1", "a/2", "b", "c/1"):
            ids[k] = self.s3.create_multipart_upload(Bucket=b, Key=k)["UploadId"]
        r = self.s3.list_multipart_uploads(Bucket=b, Delimiter="/")
        self.assertEqual([u["Key"] for u in r.get("Uploads", [])], ["b"])
        self.assertEqual([p["Prefix"] for p in r["CommonPrefixes"]], ["a/", "c/"])
        r = self.s3.list_multipart_uploads(Bucket=b, Prefix="a/")
        self.assertEqual([u["Key"] for u in r["Uploads"]], ["a/1", "a/2"])
        r = self.s3.list_multipart_uploads(Bucket=b, MaxUploads=2)
        self.assertTrue(r["IsTruncated"])
        r2 = self.s3.list_multipart_uploads(Bucket=b, KeyMarker=r["NextKeyMarker"],
                                            UploadIdMarker=r["NextUploadIdMarker"])
        self.assertEqual([u["Key"] for u in r2["Uploads"]], ["b", "c/1"])

    def _transfer_roundtrip(self, client, name):
        path = os.path.join(self.tmp, name)
        with open(path, "wb") as f:
            for _ in range(100):
                f.write(os.urandom(MIB))
        cfg = boto3.s3.transfer.TransferConfig(multipart_threshold=8 * MIB, multipart_chunksize=8 * MIB,
                                               max_concurrency=4)
        client.upload_file(path, self.b, "big/" + name, Config=cfg)
        head = client.head_object(Bucket=self.b, Key="big/" + name)
        self.assertEqual(head["ContentLength"], 100 * MIB)
        self.assertTrue(head["ETag"].endswith('-13"'), head["ETag"])  # went multipart
        out = path + ".down"
        client.download_file(self.b, "big/" + name, out, Config=cfg)
        with open(path, "rb") as a, open(out, "rb") as b:
            for _ in range(100):
                self.assertEqual(a.read(MIB), b.read(MIB))
        os.remove(path)
        os.remove(out)

    def test_upload_file_download_file_100mb(self):
        self._transfer_roundtrip(self.s3, "plain.bin")

    def test_upload_file_download_file_100mb_default_checksums(self):
        self._transfer_roundtrip(self.s3_default, "crc.bin")


if __name__ == "__main__":
    unittest.main()
