"""S3 checksums as AWS has worked since the 2025 data-integrity change, through boto3 (with its
default checksums and with explicit ones): the CRC64NVME every new object gets, BadDigest for a
wrong checksum, every multipart algorithm x checksum type (COMPOSITE with its -N suffix,
FULL_OBJECT combined from the parts' CRCs), part checksums checked at UploadPart and at
Complete, ChecksumType everywhere AWS shows it, GetObjectAttributes ObjectParts (PartsCount,
pages of parts with their checksums) and POST Object checksum fields."""
import base64
import hashlib
import os
import unittest
import zlib

import botocore.exceptions
import requests

from s3_support import S3TestCase

MIB = 1024 * 1024


def _table(poly, width):
    t = []
    for i in range(256):
        c = i
        for _ in range(8):
            c = (c >> 1) ^ poly if c & 1 else c >> 1
        t.append(c)
    return t


_CRC32C = _table(0x82F63B78, 32)
_CRC64NVME = _table(0x9A6C9329AC4BC9B5, 64)


def _crc(table, width, data, prev=0):
    """Table-driven reflected CRC (init and xor-out all ones); prev continues a previous CRC."""
    mask = (1 << width) - 1
    crc = prev ^ mask
    for b in data:
        crc = table[(crc ^ b) & 0xFF] ^ (crc >> 8)
    return crc ^ mask


def raw_checksum(algo, data, prev=None):
    """Raw big-endian checksum bytes; for CRCs, prev (raw) continues over earlier bytes."""
    p = int.from_bytes(prev, "big") if prev else 0
    if algo == "CRC32":
        return zlib.crc32(data, p).to_bytes(4, "big")
    if algo == "CRC32C":
        return _crc(_CRC32C, 32, data, p).to_bytes(4, "big")
    if algo == "CRC64NVME":
        return _crc(_CRC64NVME, 64, data, p).to_bytes(8, "big")
    return hashlib.new(algo.lower(), data).digest()


def b64(raw):
    return base64.b64encode(raw).decode()


def checksum(algo, data):
    return b64(raw_checksum(algo, data))


ALGOS = ("CRC32", "CRC32C", "CRC64NVME", "SHA1", "SHA256")
VALID_TYPES = {"CRC32": ("COMPOSITE", "FULL_OBJECT"), "CRC32C": ("COMPOSITE", "FULL_OBJECT"),
               "CRC64NVME": ("FULL_OBJECT",), "SHA1": ("COMPOSITE",), "SHA256": ("COMPOSITE",)}


class ChecksumTests(S3TestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.b = "checksums-bucket"
        cls.s3.create_bucket(Bucket=cls.b)
        # Two parts: the first at the 5 MiB minimum, the last short; their checksums once per algorithm.
        cls.p1 = bytes((i * 7 + 3) & 0xFF for i in range(256)) * (5 * MIB // 256)
        cls.p2 = os.urandom(1000)
        cls.sums = {}
        for a in ALGOS:
            r1 = raw_checksum(a, cls.p1)
            full = raw_checksum(a, cls.p2, prev=r1) if a.startswith("CRC") else None
            cls.sums[a] = (r1, raw_checksum(a, cls.p2), full)

    # ---- single PUTs -------------------------------------------------------------------------

    def test_put_without_checksum_gets_crc64nvme(self):
        data = b"no checksum sent with this body"
        put = self.s3.put_object(Bucket=self.b, Key="plain", Body=data)
        want = checksum("CRC64NVME", data)
        self.assertEqual(put["ChecksumCRC64NVME"], want)
        self.assertEqual(put["ChecksumType"], "FULL_OBJECT")
        head = self.s3.head_object(Bucket=self.b, Key="plain", ChecksumMode="ENABLED")
        self.assertEqual(head["ChecksumCRC64NVME"], want)
        self.assertEqual(head["ChecksumType"], "FULL_OBJECT")
        # Only when asked for.
        self.assertNotIn("ChecksumCRC64NVME", self.s3.head_object(Bucket=self.b, Key="plain"))
        got = self.s3.get_object(Bucket=self.b, Key="plain", ChecksumMode="ENABLED")
        self.assertEqual(got["ChecksumCRC64NVME"], want)
        self.assertEqual(got["Body"].read(), data)
        attrs = self.s3.get_object_attributes(Bucket=self.b, Key="plain", ObjectAttributes=["Checksum", "ObjectParts"])
        self.assertEqual(attrs["Checksum"], {"ChecksumCRC64NVME": want, "ChecksumType": "FULL_OBJECT"})
        self.assertNotIn("ObjectParts", attrs)  # not a multipart object

    def test_boto3_default_crc32_put(self):
        data = os.urandom(70_000)
        self.s3_default.put_object(Bucket=self.b, Key="default", Body=data)
        head = self.s3.head_object(Bucket=self.b, Key="default", ChecksumMode="ENABLED")
        self.assertEqual(head["ChecksumCRC32"], checksum("CRC32", data))
        self.assertEqual(head["ChecksumType"], "FULL_OBJECT")
        self.assertNotIn("ChecksumCRC64NVME", head)

    def test_put_with_each_algorithm_and_wrong_values(self):
        data = b"checked bytes"
        for a in ALGOS:
            with self.subTest(algo=a):
                key = "put-" + a
                self.s3.put_object(Bucket=self.b, Key=key, Body=data, **{"Checksum" + a: checksum(a, data)})
                head = self.s3.head_object(Bucket=self.b, Key=key, ChecksumMode="ENABLED")
                self.assertEqual(head["Checksum" + a], checksum(a, data))
                # A well-formed value of another body: BadDigest, nothing stored.
                err = self.assertError("BadDigest", self.s3.put_object, Bucket=self.b, Key=key + "-bad", Body=data,
                                       status=400, **{"Checksum" + a: checksum(a, b"other bytes")})
                self.assertIn("did not match", err["Error"]["Message"])
                self.assertError("404", self.s3.head_object, Bucket=self.b, Key=key + "-bad")
        # Not base64 of the algorithm's size: InvalidRequest, as AWS answers it.
        self.assertError("InvalidRequest", self.s3.put_object, Bucket=self.b, Key="bad-form", Body=data,
                         ChecksumSHA256=b64(b"short"))

    # ---- multipart ---------------------------------------------------------------------------

    def _multipart(self, key, algo, ctype, send_part_checksums=True, complete_checksums=True):
        kw = {"ChecksumAlgorithm": algo}
        if ctype:
            kw["ChecksumType"] = ctype
        created = self.s3.create_multipart_upload(Bucket=self.b, Key=key, **kw)
        uid = created["UploadId"]
        parts = []
        for n, body in ((1, self.p1), (2, self.p2)):
            pkw = {"Checksum" + algo: b64(self.sums[algo][n - 1])} if send_part_checksums else {}
            r = self.s3.upload_part(Bucket=self.b, Key=key, UploadId=uid, PartNumber=n, Body=body, **pkw)
            self.assertEqual(r["Checksum" + algo], b64(self.sums[algo][n - 1]))
            part = {"PartNumber": n, "ETag": r["ETag"]}
            if complete_checksums:
                part["Checksum" + algo] = r["Checksum" + algo]
            parts.append(part)
        return created, uid, parts

    def test_every_algorithm_and_type(self):
        for algo in ALGOS:
            for ctype in ("COMPOSITE", "FULL_OBJECT", None):
                with self.subTest(algo=algo, type=ctype):
                    key = "mp-%s-%s" % (algo, ctype)
                    if ctype and ctype not in VALID_TYPES[algo]:
                        err = self.assertError("InvalidRequest", self.s3.create_multipart_upload, Bucket=self.b,
                                               Key=key, ChecksumAlgorithm=algo, ChecksumType=ctype, status=400)
                        self.assertIn("checksum type cannot be used with the %s checksum algorithm" % algo.lower(),
                                      err["Error"]["Message"])
                        continue
                    # Without x-amz-checksum-type: FULL_OBJECT for CRC64NVME, COMPOSITE for the others.
                    effective = ctype or ("FULL_OBJECT" if algo == "CRC64NVME" else "COMPOSITE")
                    created, uid, parts = self._multipart(key, algo, ctype)
                    self.assertEqual(created["ChecksumAlgorithm"], algo)
                    self.assertEqual(created["ChecksumType"], effective)
                    listed = self.s3.list_parts(Bucket=self.b, Key=key, UploadId=uid)
                    self.assertEqual(listed["ChecksumAlgorithm"], algo)
                    self.assertEqual(listed["ChecksumType"], effective)
                    self.assertEqual([p["Checksum" + algo] for p in listed["Parts"]],
                                     [b64(self.sums[algo][0]), b64(self.sums[algo][1])])
                    done = self.s3.complete_multipart_upload(Bucket=self.b, Key=key, UploadId=uid,
                                                             MultipartUpload={"Parts": parts})
                    if effective == "COMPOSITE":
                        want = b64(raw_checksum(algo, self.sums[algo][0] + self.sums[algo][1])) + "-2"
                    else:
                        want = b64(self.sums[algo][2])  # the CRC of the whole object's bytes
                    self.assertEqual(done["Checksum" + algo], want)
                    self.assertEqual(done["ChecksumType"], effective)
                    head = self.s3.head_object(Bucket=self.b, Key=key, ChecksumMode="ENABLED")
                    self.assertEqual((head["Checksum" + algo], head["ChecksumType"]), (want, effective))
                    attrs = self.s3.get_object_attributes(Bucket=self.b, Key=key,
                                                          ObjectAttributes=["Checksum", "ObjectParts", "ObjectSize"])
                    self.assertEqual(attrs["Checksum"], {"Checksum" + algo: want.split("-")[0],
                                                         "ChecksumType": effective})
                    self.assertEqual(attrs["ObjectSize"], len(self.p1) + len(self.p2))
                    op = attrs["ObjectParts"]
                    self.assertEqual(op["TotalPartsCount"], 2)
                    if effective == "COMPOSITE":
                        self.assertEqual([(p["PartNumber"], p["Size"], p["Checksum" + algo]) for p in op["Parts"]],
                                         [(1, len(self.p1), b64(self.sums[algo][0])),
                                          (2, len(self.p2), b64(self.sums[algo][1]))])
                        self.assertFalse(op["IsTruncated"])
                    else:
                        self.assertNotIn("Parts", op)

    def test_default_multipart_gets_crc64nvme_full_object(self):
        whole = self.p1 + self.p2
        want = checksum("CRC64NVME", whole)
        # No checksum anywhere: the parts get S3's CRC64NVME and the object their combination.
        for name, client in (("required", self.s3), ("default", self.s3_default)):
            with self.subTest(client=name):
                key = "mp-default-" + name
                uid = client.create_multipart_upload(Bucket=self.b, Key=key)["UploadId"]
                parts = []
                for n, body in ((1, self.p1), (2, self.p2)):
                    r = client.upload_part(Bucket=self.b, Key=key, UploadId=uid, PartNumber=n, Body=body)
                    parts.append({"PartNumber": n, "ETag": r["ETag"]})
                done = client.complete_multipart_upload(Bucket=self.b, Key=key, UploadId=uid,
                                                        MultipartUpload={"Parts": parts})
                self.assertEqual((done["ChecksumCRC64NVME"], done["ChecksumType"]), (want, "FULL_OBJECT"))
                head = self.s3.head_object(Bucket=self.b, Key=key, ChecksumMode="ENABLED")
                self.assertEqual((head["ChecksumCRC64NVME"], head["ChecksumType"]), (want, "FULL_OBJECT"))
                attrs = self.s3.get_object_attributes(Bucket=self.b, Key=key, ObjectAttributes=["ObjectParts"])
                self.assertEqual(attrs["ObjectParts"]["TotalPartsCount"], 2)
                self.assertNotIn("Parts", attrs["ObjectParts"])

    def test_wrong_part_checksums(self):
        # UploadPart with a checksum of other bytes: BadDigest.
        uid = self.s3.create_multipart_upload(Bucket=self.b, Key="mp-wrong", ChecksumAlgorithm="SHA256")["UploadId"]
        self.assertError("BadDigest", self.s3.upload_part, Bucket=self.b, Key="mp-wrong", UploadId=uid, PartNumber=1,
                         Body=self.p2, ChecksumSHA256=b64(self.sums["SHA256"][0]), status=400)
        # A composite upload's part without its checksum: InvalidRequest.
        err = self.assertError("InvalidRequest", self.s3.upload_part, Bucket=self.b, Key="mp-wrong", UploadId=uid,
                               PartNumber=1, Body=self.p2)
        self.assertIn("expected checksum Type: sha256, actual checksum Type: null", err["Error"]["Message"])
        # A part checksum of another algorithm: InvalidRequest.
        self.assertError("InvalidRequest", self.s3.upload_part, Bucket=self.b, Key="mp-wrong", UploadId=uid,
                         PartNumber=1, Body=self.p2, ChecksumCRC32=checksum("CRC32", self.p2))
        _, uid, parts = self._multipart("mp-wrong2", "SHA256", None)
        # Complete naming a wrong checksum for a part: InvalidPart.
        bad = [dict(parts[0]), dict(parts[1], ChecksumSHA256=b64(self.sums["SHA256"][0]))]
        self.assertError("InvalidPart", self.s3.complete_multipart_upload, Bucket=self.b, Key="mp-wrong2",
                         UploadId=uid, MultipartUpload={"Parts": bad}, status=400)
        # Complete without the part checksums of a composite upload: InvalidRequest.
        bare = [{"PartNumber": p["PartNumber"], "ETag": p["ETag"]} for p in parts]
        err = self.assertError("InvalidRequest", self.s3.complete_multipart_upload, Bucket=self.b, Key="mp-wrong2",
                               UploadId=uid, MultipartUpload={"Parts": bare})
        self.assertIn("must include the checksum for each part", err["Error"]["Message"])
        # The upload is still there and completes with the right ones.
        done = self.s3.complete_multipart_upload(Bucket=self.b, Key="mp-wrong2", UploadId=uid,
                                                 MultipartUpload={"Parts": parts})
        self.assertTrue(done["ChecksumSHA256"].endswith("-2"))

    def test_full_object_checksum_claimed_at_complete(self):
        for algo in ("CRC32", "CRC32C", "CRC64NVME"):
            with self.subTest(algo=algo):
                key = "mp-claim-" + algo
                # Parts sent without checksums: a FULL_OBJECT upload takes them, the server computes them.
                _, uid, parts = self._multipart(key, algo, "FULL_OBJECT", send_part_checksums=False,
                                                complete_checksums=False)
                wrong = b64(raw_checksum(algo, b"other"))
                self.assertError("BadDigest", self.s3.complete_multipart_upload, Bucket=self.b, Key=key, UploadId=uid,
                                 MultipartUpload={"Parts": parts}, status=400, **{"Checksum" + algo: wrong})
                self.assertError("InvalidRequest", self.s3.complete_multipart_upload, Bucket=self.b, Key=key,
                                 UploadId=uid, MultipartUpload={"Parts": parts}, ChecksumType="COMPOSITE")
                done = self.s3.complete_multipart_upload(Bucket=self.b, Key=key, UploadId=uid,
                                                         MultipartUpload={"Parts": parts}, ChecksumType="FULL_OBJECT",
                                                         **{"Checksum" + algo: b64(self.sums[algo][2])})
                self.assertEqual(done["Checksum" + algo], b64(self.sums[algo][2]))

    def test_checksum_type_without_algorithm(self):
        self.assertError("InvalidRequest", self.s3.create_multipart_upload, Bucket=self.b, Key="mp-type-only",
                         ChecksumType="FULL_OBJECT")

    # ---- GetObjectAttributes pages -----------------------------------------------------------

    def test_object_parts_pages(self):
        key = "mp-pages"
        p3 = b"third part"
        uid = self.s3.create_multipart_upload(Bucket=self.b, Key=key, ChecksumAlgorithm="SHA1")["UploadId"]
        bodies = [self.p1, self.p1, p3]
        parts = []
        for n, body in enumerate(bodies, 1):
            r = self.s3.upload_part(Bucket=self.b, Key=key, UploadId=uid, PartNumber=n, Body=body,
                                    ChecksumSHA1=checksum("SHA1", body))
            parts.append({"PartNumber": n, "ETag": r["ETag"], "ChecksumSHA1": r["ChecksumSHA1"]})
        self.s3.complete_multipart_upload(Bucket=self.b, Key=key, UploadId=uid, MultipartUpload={"Parts": parts})
        seen = []
        marker = None
        for _ in range(5):
            kw = {"PartNumberMarker": int(marker)} if marker else {}
            a = self.s3.get_object_attributes(Bucket=self.b, Key=key, ObjectAttributes=["ObjectParts"], MaxParts=2,
                                              **kw)["ObjectParts"]
            self.assertEqual(a["TotalPartsCount"], 3)
            self.assertEqual(a["MaxParts"], 2)
            seen += [(p["PartNumber"], p["Size"], p["ChecksumSHA1"]) for p in a["Parts"]]
            if not a["IsTruncated"]:
                break
            marker = a["NextPartNumberMarker"]
            self.assertEqual(str(marker), "2")
        self.assertEqual(seen, [(n, len(b), checksum("SHA1", b)) for n, b in enumerate(bodies, 1)])
        # Past the last part: no parts, not truncated.
        a = self.s3.get_object_attributes(Bucket=self.b, Key=key, ObjectAttributes=["ObjectParts"],
                                          PartNumberMarker=3)["ObjectParts"]
        self.assertEqual(a.get("Parts", []), [])
        self.assertFalse(a["IsTruncated"])
        status, _, body = self.signed("GET", "/%s/%s?attributes" % (self.b, key),
                                      headers={"x-amz-object-attributes": "ObjectParts", "x-amz-max-parts": "x"})
        self.assertEqual(status, 400)
        self.assertIn(b"<Code>InvalidArgument</Code>", body)

    def test_sse_c_composite_parts_are_plaintext_checksums(self):
        key_raw = os.urandom(32)
        ssec = {"SSECustomerAlgorithm": "AES256", "SSECustomerKey": key_raw}
        key = "mp-ssec"
        # New buckets block SSE-C (as on AWS since April 2026): this one allows it.
        b = self.bucket("ssec")
        self.s3.put_bucket_encryption(Bucket=b, ServerSideEncryptionConfiguration={"Rules": [{
            "ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"},
            "BlockedEncryptionTypes": {"EncryptionType": ["NONE"]}}]})
        uid = self.s3.create_multipart_upload(Bucket=b, Key=key, ChecksumAlgorithm="CRC32C", **ssec)["UploadId"]
        parts = []
        for n, body in ((1, self.p1), (2, self.p2)):
            r = self.s3.upload_part(Bucket=b, Key=key, UploadId=uid, PartNumber=n, Body=body,
                                    ChecksumCRC32C=b64(self.sums["CRC32C"][n - 1]), **ssec)
            parts.append({"PartNumber": n, "ETag": r["ETag"], "ChecksumCRC32C": r["ChecksumCRC32C"]})
        self.s3.complete_multipart_upload(Bucket=b, Key=key, UploadId=uid, MultipartUpload={"Parts": parts})
        # boto3 does not encode the key for GetObjectAttributes: the base64 form and its MD5 are given.
        a = self.s3.get_object_attributes(Bucket=b, Key=key, ObjectAttributes=["ObjectParts"],
                                          SSECustomerAlgorithm="AES256", SSECustomerKey=b64(key_raw),
                                          SSECustomerKeyMD5=b64(hashlib.md5(key_raw).digest()))
        self.assertEqual([p["ChecksumCRC32C"] for p in a["ObjectParts"]["Parts"]],
                         [b64(self.sums["CRC32C"][0]), b64(self.sums["CRC32C"][1])])

    # ---- POST Object -------------------------------------------------------------------------

    def test_post_object_checksum_fields(self):
        data = b"posted through a form"
        post_client = self.server.boto3_client("s3", signature_version="s3v4")

        def post(key, fields):
            p = post_client.generate_presigned_post(self.b, key, Fields=fields,
                                                    Conditions=[{k: v} for k, v in fields.items()], ExpiresIn=300)
            return requests.post(p["url"], data=p["fields"], files={"file": ("f.txt", data)}, timeout=30)

        r = post("post-crc32", {"x-amz-checksum-crc32": checksum("CRC32", data)})
        self.assertEqual(r.status_code, 204, r.content)
        head = self.s3.head_object(Bucket=self.b, Key="post-crc32", ChecksumMode="ENABLED")
        self.assertEqual((head["ChecksumCRC32"], head["ChecksumType"]), (checksum("CRC32", data), "FULL_OBJECT"))
        r = post("post-bad", {"x-amz-checksum-sha256": checksum("SHA256", b"else")})
        self.assertEqual(r.status_code, 400)
        self.assertIn(b"<Code>BadDigest</Code>", r.content)
        self.assertError("404", self.s3.head_object, Bucket=self.b, Key="post-bad")
        r = post("post-algo", {"x-amz-checksum-algorithm": "CRC32C"})
        self.assertEqual(r.status_code, 204, r.content)
        head = self.s3.head_object(Bucket=self.b, Key="post-algo", ChecksumMode="ENABLED")
        self.assertEqual(head["ChecksumCRC32C"], checksum("CRC32C", data))
        r = post("post-none", {})
        self.assertEqual(r.status_code, 204, r.content)
        head = self.s3.head_object(Bucket=self.b, Key="post-none", ChecksumMode="ENABLED")
        self.assertEqual(head["ChecksumCRC64NVME"], checksum("CRC64NVME", data))


if __name__ == "__main__":
    unittest.main()
