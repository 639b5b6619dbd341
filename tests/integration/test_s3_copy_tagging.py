"""CopyObject and object tagging."""
import datetime
import hashlib
import os
import unittest

from s3_support import S3TestCase


class CopyTaggingTests(S3TestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.b = "copy-bucket"
        cls.s3.create_bucket(Bucket=cls.b)

    def test_copy_keeps_metadata_by_default_and_replaces_on_request(self):
        data = os.urandom(50_000)
        self.s3.put_object(Bucket=self.b, Key="src", Body=data, ContentType="text/a", Metadata={"m": "1"},
                           Tagging="t=1")
        r = self.s3.copy_object(Bucket=self.b, Key="dst", CopySource={"Bucket": self.b, "Key": "src"})
        self.assertEqual(r["CopyObjectResult"]["ETag"], '"%s"' % hashlib.md5(data).hexdigest())
        got = self.s3.get_object(Bucket=self.b, Key="dst")
        self.assertEqual(got["Body"].read(), data)
        self.assertEqual(got["ContentType"], "text/a")
        self.assertEqual(got["Metadata"], {"m": "1"})
        self.assertEqual(got["TagCount"], 1)
        self.s3.copy_object(Bucket=self.b, Key="dst2", CopySource={"Bucket": self.b, "Key": "src"},
                            MetadataDirective="REPLACE", ContentType="text/b", Metadata={"n": "2"},
                            TaggingDirective="REPLACE", Tagging="x=y&z=w")
        got = self.s3.head_object(Bucket=self.b, Key="dst2")
        self.assertEqual(got["ContentType"], "text/b")
        self.assertEqual(got["Metadata"], {"n": "2"})
        tags = self.s3.get_object_tagging(Bucket=self.b, Key="dst2")["TagSet"]
        self.assertEqual(sorted((t["Key"], t["Value"]) for t in tags), [("x", "y"), ("z", "w")])

    def test_copy_across_buckets_and_encoded_source(self):
        other = self.bucket("copy-dst")
        for key in ("dir/ünï cødé+plus.txt", "100% sure", "a%2Fb"):
            self.s3.put_object(Bucket=self.b, Key=key, Body=key.encode())
            self.s3.copy_object(Bucket=other, Key="c", CopySource={"Bucket": self.b, "Key": key})
            self.assertEqual(self.s3.get_object(Bucket=other, Key="c")["Body"].read(), key.encode())
        self.assertError("NoSuchKey", self.s3.copy_object, Bucket=other, Key="c",
                         CopySource={"Bucket": self.b, "Key": "missing"}, status=404)
        self.assertError("NoSuchBucket", self.s3.copy_object, Bucket=other, Key="c",
                         CopySource={"Bucket": "no-such-source-bucket", "Key": "x"}, status=404)
        # A malformed source version id is refused as GET refuses it; a well-formed unknown one is missing.
        self.assertError("InvalidArgument", self.s3.copy_object, Bucket=other, Key="c",
                         CopySource={"Bucket": self.b, "Key": key, "VersionId": "abc"}, status=400)
        vb = self.bucket("cv")
        self.s3.put_bucket_versioning(Bucket=vb, VersioningConfiguration={"Status": "Enabled"})
        gone = self.s3.put_object(Bucket=vb, Key="k", Body=b"v")["VersionId"]
        self.s3.delete_object(Bucket=vb, Key="k", VersionId=gone)
        self.assertError("NoSuchVersion", self.s3.copy_object, Bucket=other, Key="c",
                         CopySource={"Bucket": vb, "Key": "k", "VersionId": gone}, status=404)

    def test_copy_onto_itself_needs_replace(self):
        self.s3.put_object(Bucket=self.b, Key="self", Body=b"me", Metadata={"a": "1"})
        self.assertError("InvalidRequest", self.s3.copy_object, Bucket=self.b, Key="self",
                         CopySource={"Bucket": self.b, "Key": "self"}, status=400)
        self.s3.copy_object(Bucket=self.b, Key="self", CopySource={"Bucket": self.b, "Key": "self"},
                            MetadataDirective="REPLACE", Metadata={"a": "2"})
        got = self.s3.get_object(Bucket=self.b, Key="self")
        self.assertEqual(got["Metadata"], {"a": "2"})
        self.assertEqual(got["Body"].read(), b"me")

    def test_copy_source_conditions(self):
        etag = self.s3.put_object(Bucket=self.b, Key="csrc", Body=b"c")["ETag"]
        src = {"Bucket": self.b, "Key": "csrc"}
        self.s3.copy_object(Bucket=self.b, Key="cdst", CopySource=src, CopySourceIfMatch=etag)
        self.assertError("PreconditionFailed", self.s3.copy_object, Bucket=self.b, Key="cdst", CopySource=src,
                         CopySourceIfMatch='"nope"', status=412)
        self.assertError("PreconditionFailed", self.s3.copy_object, Bucket=self.b, Key="cdst", CopySource=src,
                         CopySourceIfNoneMatch=etag, status=412)
        past = datetime.datetime(2001, 1, 1, tzinfo=datetime.timezone.utc)
        self.assertError("PreconditionFailed", self.s3.copy_object, Bucket=self.b, Key="cdst", CopySource=src,
                         CopySourceIfUnmodifiedSince=past, status=412)

    def test_copy_of_multipart_object(self):
        mib = 1024 * 1024
        parts = [os.urandom(5 * mib), os.urandom(10)]
        uid = self.s3.create_multipart_upload(Bucket=self.b, Key="mpsrc")["UploadId"]
        etags = [self.s3.upload_part(Bucket=self.b, Key="mpsrc", UploadId=uid, PartNumber=i + 1, Body=d)["ETag"]
                 for i, d in enumerate(parts)]
        self.s3.complete_multipart_upload(Bucket=self.b, Key="mpsrc", UploadId=uid, MultipartUpload={
            "Parts": [{"PartNumber": i + 1, "ETag": e} for i, e in enumerate(etags)]})
        self.s3.copy_object(Bucket=self.b, Key="mpdst", CopySource={"Bucket": self.b, "Key": "mpsrc"})
        self.assertEqual(self.s3.get_object(Bucket=self.b, Key="mpdst")["Body"].read(), b"".join(parts))

    def test_cli_cp_between_keys(self):
        self.s3.put_object(Bucket=self.b, Key="cli-src", Body=b"cli copy")
        self.server.aws("s3", "cp", "s3://%s/cli-src" % self.b, "s3://%s/cli-dst" % self.b)
        self.assertEqual(self.s3.get_object(Bucket=self.b, Key="cli-dst")["Body"].read(), b"cli copy")

    def test_tagging_roundtrip_and_limits(self):
        self.s3.put_object(Bucket=self.b, Key="tagged", Body=b"t")
        self.assertEqual(self.s3.get_object_tagging(Bucket=self.b, Key="tagged")["TagSet"], [])
        self.s3.put_object_tagging(Bucket=self.b, Key="tagged", Tagging={"TagSet": [
            {"Key": "env", "Value": "test"}, {"Key": "team", "Value": "s3"}]})
        tags = self.s3.get_object_tagging(Bucket=self.b, Key="tagged")["TagSet"]
        self.assertEqual(tags, [{"Key": "env", "Value": "test"}, {"Key": "team", "Value": "s3"}])
        self.assertEqual(self.s3.head_object(Bucket=self.b, Key="tagged")["ResponseMetadata"]["HTTPHeaders"]
                         ["x-amz-tagging-count"], "2")
        too_many = [{"Key": "k%d" % i, "Value": "v"} for i in range(11)]
        self.assertError("BadRequest", self.s3.put_object_tagging, Bucket=self.b, Key="tagged",
                         Tagging={"TagSet": too_many}, status=400)
        self.assertError("InvalidTag", self.s3.put_object_tagging, Bucket=self.b, Key="tagged",
                         Tagging={"TagSet": [{"Key": "k" * 129, "Value": "v"}]}, status=400)
        self.assertError("InvalidTag", self.s3.put_object_tagging, Bucket=self.b, Key="tagged",
                         Tagging={"TagSet": [{"Key": "k", "Value": "v" * 257}]}, status=400)
        self.assertError("InvalidTag", self.s3.put_object_tagging, Bucket=self.b, Key="tagged",
                         Tagging={"TagSet": [{"Key": "k", "Value": "1"}, {"Key": "k", "Value": "2"}]})
        r = self.s3.delete_object_tagging(Bucket=self.b, Key="tagged")
        self.assertEqual(r["ResponseMetadata"]["HTTPStatusCode"], 204)
        self.assertEqual(self.s3.get_object_tagging(Bucket=self.b, Key="tagged")["TagSet"], [])
        self.assertError("NoSuchKey", self.s3.get_object_tagging, Bucket=self.b, Key="untagged-missing",
                         status=404)


if __name__ == "__main__":
    unittest.main()
