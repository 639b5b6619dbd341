"""S3 conditional and idempotent writes through boto3: If-Match / If-None-Match on PutObject and
CompleteMultipartUpload (412, and 409 ConditionalRequestConflict when another write or completion
wins the race), conditional DeleteObject and DeleteObjects entries, repeated completions and a part
uploaded twice. Races are staged by sending a request's headers and half its body, doing the other
write, then sending the rest."""
import hashlib
import http.client
import time
import unittest
import uuid
import xml.etree.ElementTree as ET

from s3_support import S3TestCase

NS = "{http://s3.amazonaws.com/doc/2006-03-01/}"


def md5_etag(data):
    return '"%s"' % hashlib.md5(data).hexdigest()


class SlowRequest:
    """A SigV4-signed request whose body is sent in two halves: the server has started the
    operation (it read the headers) before the second half is on the wire."""

    def __init__(self, endpoint, method, path, body, headers=None):
        import botocore.auth
        import botocore.awsrequest
        import botocore.credentials
        hdrs = {"x-amz-content-sha256": "UNSIGNED-PAYLOAD"}
        hdrs.update(headers or {})
        req = botocore.awsrequest.AWSRequest(method=method, url=endpoint + path, data=body, headers=hdrs)
        botocore.auth.S3SigV4Auth(botocore.credentials.Credentials("test", "test"), "s3", "us-east-1").add_auth(req)
        self.conn = http.client.HTTPConnection(endpoint.split("//")[1], timeout=30)
        self.conn.putrequest(method, path, skip_accept_encoding=True)
        for k, v in req.headers.items():
            self.conn.putheader(k, v)
        self.conn.putheader("Content-Length", str(len(body)))
        self.conn.endheaders()
        half = len(body) // 2
        self.conn.send(body[:half])
        self.rest = body[half:]
        time.sleep(0.5)  # the handler is now waiting for the rest of the body

    def finish(self):
        try:
            self.conn.send(self.rest)
            r = self.conn.getresponse()
            return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()
        finally:
            self.conn.close()


def error_code(body):
    return ET.fromstring(body).findtext("Code")


class ConditionalPutTests(S3TestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.b = "cond-put-" + uuid.uuid4().hex[:8]
        cls.s3.create_bucket(Bucket=cls.b)

    def test_if_none_match_star_writes_once(self):
        self.s3.put_object(Bucket=self.b, Key="once", Body=b"first", IfNoneMatch="*")
        err = self.assertError("PreconditionFailed", self.s3.put_object, Bucket=self.b, Key="once", Body=b"second",
                               IfNoneMatch="*", status=412)
        self.assertEqual(err["Error"].get("Condition"), "If-None-Match")
        self.assertEqual(self.s3.get_object(Bucket=self.b, Key="once")["Body"].read(), b"first")

    def test_if_none_match_over_a_delete_marker_writes(self):
        b = self.bucket("cond-ver")
        self.s3.put_bucket_versioning(Bucket=b, VersioningConfiguration={"Status": "Enabled"})
        self.s3.put_object(Bucket=b, Key="k", Body=b"v1")
        self.s3.delete_object(Bucket=b, Key="k")  # the latest is now a delete marker: no object
        r = self.s3.put_object(Bucket=b, Key="k", Body=b"v2", IfNoneMatch="*")
        self.assertIn("VersionId", r)
        self.assertEqual(self.s3.get_object(Bucket=b, Key="k")["Body"].read(), b"v2")

    def test_if_match(self):
        etag = self.s3.put_object(Bucket=self.b, Key="cas", Body=b"1")["ETag"]
        new = self.s3.put_object(Bucket=self.b, Key="cas", Body=b"2", IfMatch=etag)["ETag"]
        self.assertEqual(new, md5_etag(b"2"))
        err = self.assertError("PreconditionFailed", self.s3.put_object, Bucket=self.b, Key="cas", Body=b"3",
                               IfMatch=etag, status=412)
        self.assertEqual(err["Error"].get("Condition"), "If-Match")
        # Unquoted ETags and "*" match too.
        self.s3.put_object(Bucket=self.b, Key="cas", Body=b"4", IfMatch=new.strip('"'))
        self.s3.put_object(Bucket=self.b, Key="cas", Body=b"5", IfMatch="*")
        self.assertEqual(self.s3.get_object(Bucket=self.b, Key="cas")["Body"].read(), b"5")
        self.assertError("NoSuchKey", self.s3.put_object, Bucket=self.b, Key="absent", Body=b"x", IfMatch="*",
                         status=404)
        self.assertEqual(self.s3.list_objects_v2(Bucket=self.b, Prefix="absent")["KeyCount"], 0)

    def test_copy_object_conditions_on_the_destination(self):
        self.s3.put_object(Bucket=self.b, Key="copy-src", Body=b"source")
        etag = self.s3.put_object(Bucket=self.b, Key="copy-dst", Body=b"old")["ETag"]
        src = {"Bucket": self.b, "Key": "copy-src"}
        self.assertError("PreconditionFailed", self.s3.copy_object, Bucket=self.b, Key="copy-dst", CopySource=src,
                         IfNoneMatch="*", status=412)
        self.assertError("PreconditionFailed", self.s3.copy_object, Bucket=self.b, Key="copy-dst", CopySource=src,
                         IfMatch=md5_etag(b"other"), status=412)
        self.assertEqual(self.s3.get_object(Bucket=self.b, Key="copy-dst")["Body"].read(), b"old")
        self.s3.copy_object(Bucket=self.b, Key="copy-dst", CopySource=src, IfMatch=etag)
        self.assertEqual(self.s3.get_object(Bucket=self.b, Key="copy-dst")["Body"].read(), b"source")
        self.s3.copy_object(Bucket=self.b, Key="copy-new", CopySource=src, IfNoneMatch="*")
        self.assertEqual(self.s3.get_object(Bucket=self.b, Key="copy-new")["Body"].read(), b"source")

    def test_forms_s3_does_not_take_are_not_implemented(self):
        err = self.assertError("NotImplemented", self.s3.put_object, Bucket=self.b, Key="inm", Body=b"x",
                               IfNoneMatch='"abc"', status=501)
        self.assertEqual(err["Error"].get("Header"), "If-None-Match")
        self.assertError("NotImplemented", self.s3.put_object, Bucket=self.b, Key="inm", Body=b"x",
                         IfNoneMatch="*", IfMatch="*", status=501)
        self.assertEqual(self.s3.list_objects_v2(Bucket=self.b, Prefix="inm")["KeyCount"], 0)

    def test_a_write_that_wins_the_race_makes_the_conditional_one_conflict(self):
        # If-None-Match: the key was free when the request started; another PUT created it meanwhile.
        slow = SlowRequest(self.server.endpoint, "PUT", "/%s/race" % self.b, b"x" * 4096, {"If-None-Match": "*"})
        self.s3.put_object(Bucket=self.b, Key="race", Body=b"winner")
        status, _, body = slow.finish()
        self.assertEqual((status, error_code(body)), (409, "ConditionalRequestConflict"))
        self.assertEqual(self.s3.get_object(Bucket=self.b, Key="race")["Body"].read(), b"winner")
        # If-Match: the ETag held when the request started; another PUT replaced the object meanwhile.
        etag = self.s3.put_object(Bucket=self.b, Key="race2", Body=b"v1")["ETag"]
        slow = SlowRequest(self.server.endpoint, "PUT", "/%s/race2" % self.b, b"y" * 4096, {"If-Match": etag})
        self.s3.put_object(Bucket=self.b, Key="race2", Body=b"v2")
        status, _, body = slow.finish()
        self.assertEqual((status, error_code(body)), (409, "ConditionalRequestConflict"))
        self.assertEqual(self.s3.get_object(Bucket=self.b, Key="race2")["Body"].read(), b"v2")
        # A condition that already failed when the request started is a plain 412.
        slow = SlowRequest(self.server.endpoint, "PUT", "/%s/race2" % self.b, b"z" * 4096, {"If-Match": etag})
        status, _, body = slow.finish()
        self.assertEqual((status, error_code(body)), (412, "PreconditionFailed"))


class ConditionalMultipartTests(S3TestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.b = "cond-mpu-" + uuid.uuid4().hex[:8]
        cls.s3.create_bucket(Bucket=cls.b)

    def upload(self, key, data=b"part-one", bucket=None):
        bucket = bucket or self.b
        uid = self.s3.create_multipart_upload(Bucket=bucket, Key=key)["UploadId"]
        etag = self.s3.upload_part(Bucket=bucket, Key=key, UploadId=uid, PartNumber=1, Body=data)["ETag"]
        return uid, {"Parts": [{"PartNumber": 1, "ETag": etag}]}

    def complete_body(self, parts):
        return ("<CompleteMultipartUpload>%s</CompleteMultipartUpload>" % "".join(
            "<Part><PartNumber>%d</PartNumber><ETag>%s</ETag></Part>" % (p["PartNumber"], p["ETag"])
            for p in parts["Parts"])).encode()

    def test_complete_if_none_match(self):
        self.s3.put_object(Bucket=self.b, Key="taken", Body=b"there")
        uid, parts = self.upload("taken")
        self.assertError("PreconditionFailed", self.s3.complete_multipart_upload, Bucket=self.b, Key="taken",
                         UploadId=uid, MultipartUpload=parts, IfNoneMatch="*", status=412)
        # The upload is still there and completes without the condition.
        self.assertEqual(len(self.s3.list_parts(Bucket=self.b, Key="taken", UploadId=uid)["Parts"]), 1)
        self.s3.complete_multipart_upload(Bucket=self.b, Key="taken", UploadId=uid, MultipartUpload=parts)
        self.assertEqual(self.s3.get_object(Bucket=self.b, Key="taken")["Body"].read(), b"part-one")
        uid, parts = self.upload("free")
        self.s3.complete_multipart_upload(Bucket=self.b, Key="free", UploadId=uid, MultipartUpload=parts,
                                          IfNoneMatch="*")
        self.assertError("NotImplemented", self.s3.complete_multipart_upload, Bucket=self.b, Key="free",
                         UploadId=self.upload("free")[0], MultipartUpload=parts, IfNoneMatch='"e"', status=501)

    def test_complete_if_match(self):
        etag = self.s3.put_object(Bucket=self.b, Key="swap", Body=b"old")["ETag"]
        uid, parts = self.upload("swap")
        self.assertError("PreconditionFailed", self.s3.complete_multipart_upload, Bucket=self.b, Key="swap",
                         UploadId=uid, MultipartUpload=parts, IfMatch='"0123"', status=412)
        self.s3.complete_multipart_upload(Bucket=self.b, Key="swap", UploadId=uid, MultipartUpload=parts,
                                          IfMatch=etag)
        self.assertEqual(self.s3.get_object(Bucket=self.b, Key="swap")["Body"].read(), b"part-one")
        uid, parts = self.upload("nothing-here")
        self.assertError("NoSuchKey", self.s3.complete_multipart_upload, Bucket=self.b, Key="nothing-here",
                         UploadId=uid, MultipartUpload=parts, IfMatch=etag, status=404)

    def test_completing_again_answers_the_same(self):
        b = self.bucket("cond-again")
        self.s3.put_bucket_versioning(Bucket=b, VersioningConfiguration={"Status": "Enabled"})
        uid, parts = self.upload("k", bucket=b)
        first = self.s3.complete_multipart_upload(Bucket=b, Key="k", UploadId=uid, MultipartUpload=parts)
        self.s3.put_object(Bucket=b, Key="k", Body=b"later")  # the key moved on; the answer does not
        again = self.s3.complete_multipart_upload(Bucket=b, Key="k", UploadId=uid, MultipartUpload=parts)
        self.assertEqual(again["ETag"], first["ETag"])
        self.assertEqual(again["VersionId"], first["VersionId"])
        self.assertEqual(again["Key"], "k")
        # Nothing new was written by the repeat: the object from the PUT is still current.
        self.assertEqual(self.s3.get_object(Bucket=b, Key="k")["Body"].read(), b"later")
        self.assertEqual(len(self.s3.list_object_versions(Bucket=b, Prefix="k")["Versions"]), 2)
        # Another part list, or an upload that was aborted, is NoSuchUpload.
        other = {"Parts": [{"PartNumber": 1, "ETag": md5_etag(b"different")}]}
        self.assertError("NoSuchUpload", self.s3.complete_multipart_upload, Bucket=b, Key="k", UploadId=uid,
                         MultipartUpload=other, status=404)
        uid2, parts2 = self.upload("k2", bucket=b)
        self.s3.abort_multipart_upload(Bucket=b, Key="k2", UploadId=uid2)
        self.assertError("NoSuchUpload", self.s3.complete_multipart_upload, Bucket=b, Key="k2", UploadId=uid2,
                         MultipartUpload=parts2, status=404)

    def test_a_completion_that_loses_the_race(self):
        # Completed by another request while this one's body arrived: 409 with a condition ...
        uid, parts = self.upload("racing")
        path = "/%s/racing?uploadId=%s" % (self.b, uid)
        slow = SlowRequest(self.server.endpoint, "POST", path, self.complete_body(parts), {"If-None-Match": "*"})
        won = self.s3.complete_multipart_upload(Bucket=self.b, Key="racing", UploadId=uid, MultipartUpload=parts)
        status, _, body = slow.finish()
        self.assertEqual((status, error_code(body)), (409, "ConditionalRequestConflict"))
        # ... and the completion's own answer without one.
        uid, parts = self.upload("racing2")
        slow = SlowRequest(self.server.endpoint, "POST", "/%s/racing2?uploadId=%s" % (self.b, uid),
                           self.complete_body(parts))
        won = self.s3.complete_multipart_upload(Bucket=self.b, Key="racing2", UploadId=uid, MultipartUpload=parts)
        status, _, body = slow.finish()
        self.assertEqual(status, 200, body)
        self.assertEqual(ET.fromstring(body).findtext(NS + "ETag"), won["ETag"])
        # Aborted meanwhile: 409 with a condition, NoSuchUpload without.
        for cond, want in (({"If-None-Match": "*"}, (409, "ConditionalRequestConflict")), ({}, (404, "NoSuchUpload"))):
            uid, parts = self.upload("aborted")
            slow = SlowRequest(self.server.endpoint, "POST", "/%s/aborted?uploadId=%s" % (self.b, uid),
                               self.complete_body(parts), cond)
            self.s3.abort_multipart_upload(Bucket=self.b, Key="aborted", UploadId=uid)
            status, _, body = slow.finish()
            self.assertEqual((status, error_code(body)), want)
        self.assertEqual(self.s3.list_objects_v2(Bucket=self.b, Prefix="aborted")["KeyCount"], 0)

    def test_a_part_uploaded_twice_keeps_the_upload_that_finished_last(self):
        uid = self.s3.create_multipart_upload(Bucket=self.b, Key="twice")["UploadId"]
        early = b"A" * 8192  # starts first, finishes last
        slow = SlowRequest(self.server.endpoint, "PUT", "/%s/twice?partNumber=1&uploadId=%s" % (self.b, uid), early)
        self.s3.upload_part(Bucket=self.b, Key="twice", UploadId=uid, PartNumber=1, Body=b"B" * 8192)
        status, headers, _ = slow.finish()
        self.assertEqual(status, 200)
        self.assertEqual(headers["etag"], md5_etag(early))
        listed = self.s3.list_parts(Bucket=self.b, Key="twice", UploadId=uid)["Parts"]
        self.assertEqual([(p["PartNumber"], p["ETag"]) for p in listed], [(1, md5_etag(early))])
        self.s3.complete_multipart_upload(Bucket=self.b, Key="twice", UploadId=uid,
                                          MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": md5_etag(early)}]})
        self.assertEqual(self.s3.get_object(Bucket=self.b, Key="twice")["Body"].read(), early)


class ConditionalDeleteTests(S3TestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.b = "cond-del-" + uuid.uuid4().hex[:8]
        cls.s3.create_bucket(Bucket=cls.b)

    def exists(self, bucket, key):
        return self.s3.list_objects_v2(Bucket=bucket, Prefix=key)["KeyCount"] == 1

    def test_delete_if_match(self):
        etag = self.s3.put_object(Bucket=self.b, Key="d", Body=b"1")["ETag"]
        err = self.assertError("PreconditionFailed", self.s3.delete_object, Bucket=self.b, Key="d",
                               IfMatch='"0000"', status=412)
        self.assertEqual(err["Error"].get("Condition"), "If-Match")
        self.assertTrue(self.exists(self.b, "d"))
        r = self.s3.delete_object(Bucket=self.b, Key="d", IfMatch=etag)
        self.assertEqual(r["ResponseMetadata"]["HTTPStatusCode"], 204)
        self.assertFalse(self.exists(self.b, "d"))
        self.s3.put_object(Bucket=self.b, Key="star", Body=b"1")
        self.s3.delete_object(Bucket=self.b, Key="star", IfMatch="*")
        self.assertFalse(self.exists(self.b, "star"))
        # Nothing there: NoSuchKey, where a plain delete answers 204.
        self.assertError("NoSuchKey", self.s3.delete_object, Bucket=self.b, Key="star", IfMatch="*", status=404)
        self.assertError("NoSuchKey", self.s3.delete_object, Bucket=self.b, Key="star", IfMatch=etag, status=404)
        self.assertEqual(self.s3.delete_object(Bucket=self.b, Key="star")["ResponseMetadata"]["HTTPStatusCode"], 204)

    def test_versioned_bucket(self):
        b = self.bucket("cond-del-ver")
        self.s3.put_bucket_versioning(Bucket=b, VersioningConfiguration={"Status": "Enabled"})
        put = self.s3.put_object(Bucket=b, Key="k", Body=b"1")
        r = self.s3.delete_object(Bucket=b, Key="k", IfMatch=put["ETag"])
        self.assertTrue(r["DeleteMarker"])
        # The latest version is a marker: no current object for the condition.
        self.assertError("NoSuchKey", self.s3.delete_object, Bucket=b, Key="k", IfMatch="*", status=404)
        # A condition with a version id is refused, as on AWS.
        self.assertError("NotImplemented", self.s3.delete_object, Bucket=b, Key="k", VersionId=put["VersionId"],
                         IfMatch=put["ETag"], status=501)
        self.assertEqual(len(self.s3.list_object_versions(Bucket=b, Prefix="k")["Versions"]), 1)

    def test_directory_bucket_conditions_are_refused(self):
        self.s3.put_object(Bucket=self.b, Key="sized", Body=b"123")
        err = self.assertError("NotImplemented", self.s3.delete_object, Bucket=self.b, Key="sized", IfMatchSize=3,
                               status=501)
        self.assertEqual(err["Error"].get("Header"), "x-amz-if-match-size")
        import datetime
        self.assertError("NotImplemented", self.s3.delete_object, Bucket=self.b, Key="sized",
                         IfMatchLastModifiedTime=datetime.datetime(2020, 1, 1, tzinfo=datetime.timezone.utc),
                         status=501)
        self.assertTrue(self.exists(self.b, "sized"))

    def test_delete_objects_with_etags(self):
        b = self.bucket("cond-multi")
        tags = {k: self.s3.put_object(Bucket=b, Key=k, Body=k.encode())["ETag"] for k in ("a", "b", "c", "e")}
        r = self.s3.delete_objects(Bucket=b, Delete={"Objects": [
            {"Key": "a", "ETag": tags["a"]},
            {"Key": "b", "ETag": '"ffff"'},
            {"Key": "missing", "ETag": tags["a"]},
            {"Key": "c"},
            {"Key": "e", "ETag": "*"},
        ]})
        self.assertEqual(sorted(d["Key"] for d in r["Deleted"]), ["a", "c", "e"])
        errors = {e["Key"]: e["Code"] for e in r.get("Errors", [])}
        self.assertEqual(errors, {"b": "PreconditionFailed", "missing": "NoSuchKey"})
        left = [o["Key"] for o in self.s3.list_objects_v2(Bucket=b).get("Contents", [])]
        self.assertEqual(left, ["b"])
        self.assertError("NotImplemented", self.s3.delete_objects, Bucket=b,
                         Delete={"Objects": [{"Key": "b", "Size": 1}]}, status=501)
        self.assertEqual([o["Key"] for o in self.s3.list_objects_v2(Bucket=b).get("Contents", [])], ["b"])

    def test_delete_objects_many_keys_in_one_request(self):
        b = self.bucket("cond-many")
        keys = ["k%04d" % i for i in range(300)]
        for k in keys:
            self.s3.put_object(Bucket=b, Key=k, Body=b"x")
        r = self.s3.delete_objects(Bucket=b, Delete={"Objects": [{"Key": k} for k in keys] + [{"Key": "x" * 1025}]})
        self.assertEqual(sorted(d["Key"] for d in r["Deleted"]), keys)
        self.assertEqual([e["Code"] for e in r["Errors"]], ["KeyTooLongError"])
        self.assertEqual(self.s3.list_objects_v2(Bucket=b)["KeyCount"], 0)


class ConditionPermissionTests(S3TestCase):
    def test_comparing_etags_needs_get_object(self):
        import json
        b = self.bucket("cond-perm")
        other = self.server.boto3_client("s3", access_key="other", secret_key="other",
                                         request_checksum_calculation="when_required")

        def allow(*actions):
            self.s3.put_bucket_policy(Bucket=b, Policy=json.dumps({"Version": "2012-10-17", "Statement": [{
                "Effect": "Allow", "Principal": {"AWS": "111122223333"}, "Action": list(actions),
                "Resource": ["arn:aws:s3:::%s" % b, "arn:aws:s3:::%s/*" % b]}]}))

        allow("s3:PutObject", "s3:DeleteObject")
        etag = self.s3.put_object(Bucket=b, Key="k", Body=b"1")["ETag"]
        other.put_object(Bucket=b, Key="new", Body=b"n", IfNoneMatch="*")  # no ETag compared
        self.assertError("AccessDenied", other.put_object, Bucket=b, Key="k", Body=b"2", IfMatch=etag, status=403)
        self.assertError("AccessDenied", other.delete_object, Bucket=b, Key="k", IfMatch=etag, status=403)
        r = other.delete_objects(Bucket=b, Delete={"Objects": [{"Key": "k", "ETag": etag}]})
        self.assertEqual([(e["Key"], e["Code"]) for e in r["Errors"]], [("k", "AccessDenied")])
        self.assertEqual(self.s3.get_object(Bucket=b, Key="k")["Body"].read(), b"1")
        other.delete_object(Bucket=b, Key="new", IfMatch="*")  # "*" compares nothing
        allow("s3:PutObject", "s3:DeleteObject", "s3:GetObject")
        etag = other.put_object(Bucket=b, Key="k", Body=b"2", IfMatch=etag)["ETag"]
        other.delete_object(Bucket=b, Key="k", IfMatch=etag)
        self.assertEqual(self.s3.list_objects_v2(Bucket=b)["KeyCount"], 0)


if __name__ == "__main__":
    unittest.main()
