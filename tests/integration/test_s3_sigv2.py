"""SigV2 header authentication ("Authorization: AWS key:signature") for every S3 operation family,
through botocore's HmacV1 signer (boto3 with signature_version='s3'), and every date form clients
send in Date / x-amz-date (RFC 1123 with GMT, RFC 2822 "+0000" as s3cmd sends it and its other
zones and optional weekday, RFC 850, asctime, ISO 8601 basic), the string to sign using the header that was sent. SigV2 presigned URLs
(Expires) from the same client.
"""
import base64
import email.utils
import hashlib
import hmac
import http.client
import json
import os
import re
import sys
import time
import unittest
import uuid

import botocore.exceptions
import requests

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from s3_support import S3TestCase  # noqa: E402

MiB = 1024 * 1024


def sigv2_request(endpoint, method, path, headers, body=b"", secret="test", key="test", date_header=None,
                  sign_date=None, signed_resource=None):
    """Sends a SigV2 request signed by hand. date_header: (name, value) sent; the Date line of the
    string to sign is the Date value, or empty when x-amz-date is sent (S3's rule). The resource
    signed is `path` unless signed_resource is given."""
    headers = dict(headers)
    if date_header:
        headers[date_header[0]] = date_header[1]
    amz = sorted((k.lower(), v.strip()) for k, v in headers.items() if k.lower().startswith("x-amz-"))
    date_line = sign_date if sign_date is not None else (
        "" if any(k == "x-amz-date" for k, _ in amz) else headers.get("Date", ""))
    sts = "%s\n%s\n%s\n%s\n%s%s" % (method, headers.get("Content-MD5", ""), headers.get("Content-Type", ""),
                                     date_line, "".join("%s:%s\n" % kv for kv in amz),
                                     path if signed_resource is None else signed_resource)
    sig = base64.b64encode(hmac.new(secret.encode(), sts.encode(), hashlib.sha1).digest()).decode()
    headers["Authorization"] = "AWS %s:%s" % (key, sig)
    conn = http.client.HTTPConnection(endpoint.split("//", 1)[1], timeout=10)
    try:
        conn.request(method, path, body=body, headers=headers)
        r = conn.getresponse()
        return r.status, r.read()
    finally:
        conn.close()


class SigV2BotoTest(S3TestCase):
    """Each operation family through boto3's HmacV1 ('s3') signer."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.v2 = cls.server.boto3_client("s3", signature_version="s3")
        cls.v2_wrong = cls.server.boto3_client("s3", signature_version="s3", secret_key="wrong")

    def name(self, prefix):
        return "%s-%s" % (prefix, uuid.uuid4().hex[:10])

    def test_wrong_secret_is_refused(self):
        b = self.name("v2wrong")
        self.assertError("SignatureDoesNotMatch", self.v2_wrong.create_bucket, Bucket=b, status=403)
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            self.v2.head_bucket(Bucket=b)  # not created
        self.assertEqual(cm.exception.response["ResponseMetadata"]["HTTPStatusCode"], 404)

    def test_buckets(self):
        b = self.name("v2bucket")
        self.v2.create_bucket(Bucket=b)
        self.assertIn(b, [x["Name"] for x in self.v2.list_buckets()["Buckets"]])
        self.v2.head_bucket(Bucket=b)
        self.assertIsNone(self.v2.get_bucket_location(Bucket=b).get("LocationConstraint"))
        e = "eu-west-1-" + uuid.uuid4().hex[:6]
        self.v2.create_bucket(Bucket=e, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
        self.assertEqual(self.v2.get_bucket_location(Bucket=e)["LocationConstraint"], "eu-west-1")
        self.v2.put_bucket_versioning(Bucket=b, VersioningConfiguration={"Status": "Enabled"})
        self.assertEqual(self.v2.get_bucket_versioning(Bucket=b)["Status"], "Enabled")
        self.v2.put_bucket_tagging(Bucket=b, Tagging={"TagSet": [{"Key": "team", "Value": "edge"}]})
        self.assertEqual(self.v2.get_bucket_tagging(Bucket=b)["TagSet"], [{"Key": "team", "Value": "edge"}])
        self.v2.delete_bucket_tagging(Bucket=b)
        self.v2.put_bucket_cors(Bucket=b, CORSConfiguration={"CORSRules": [
            {"AllowedOrigins": ["*"], "AllowedMethods": ["GET"]}]})
        self.assertEqual(self.v2.get_bucket_cors(Bucket=b)["CORSRules"][0]["AllowedMethods"], ["GET"])
        self.v2.delete_bucket_cors(Bucket=b)
        policy = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "111122223333"},
                                                           "Action": "s3:GetObject",
                                                           "Resource": "arn:aws:s3:::%s/*" % b}]}
        self.v2.put_bucket_policy(Bucket=b, Policy=json.dumps(policy))
        self.assertEqual(json.loads(self.v2.get_bucket_policy(Bucket=b)["Policy"])["Statement"][0]["Action"],
                         "s3:GetObject")
        self.v2.delete_bucket_policy(Bucket=b)
        self.v2.put_bucket_lifecycle_configuration(Bucket=b, LifecycleConfiguration={"Rules": [
            {"ID": "r", "Status": "Enabled", "Filter": {"Prefix": "tmp/"}, "Expiration": {"Days": 3}}]})
        self.assertEqual(self.v2.get_bucket_lifecycle_configuration(Bucket=b)["Rules"][0]["ID"], "r")
        self.v2.delete_bucket(Bucket=e)
        self.v2.delete_bucket_lifecycle(Bucket=b)
        self.v2.delete_bucket(Bucket=b)
        self.assertNotIn(b, [x["Name"] for x in self.v2.list_buckets()["Buckets"]])

    def test_objects_copy_listing_delete(self):
        b = self.name("v2obj")
        self.v2.create_bucket(Bucket=b)
        self.v2.put_object(Bucket=b, Key="a b+c.txt", Body=b"hello", ContentType="text/plain",
                           Metadata={"who": "v2"})
        head = self.v2.head_object(Bucket=b, Key="a b+c.txt")
        self.assertEqual((head["ContentLength"], head["Metadata"]), (5, {"who": "v2"}))
        got = self.v2.get_object(Bucket=b, Key="a b+c.txt", Range="bytes=1-3",
                                 ResponseContentType="application/x-test")
        self.assertEqual((got["Body"].read(), got["ContentType"]), (b"ell", "application/x-test"))
        self.v2.copy_object(Bucket=b, Key="copy.txt", CopySource={"Bucket": b, "Key": "a b+c.txt"})
        self.assertEqual(self.v2.get_object(Bucket=b, Key="copy.txt")["Body"].read(), b"hello")
        self.v2.put_object_tagging(Bucket=b, Key="copy.txt", Tagging={"TagSet": [{"Key": "k", "Value": "v"}]})
        self.assertEqual(self.v2.get_object_tagging(Bucket=b, Key="copy.txt")["TagSet"], [{"Key": "k", "Value": "v"}])
        attrs = self.v2.get_object_attributes(Bucket=b, Key="copy.txt", ObjectAttributes=["ObjectSize"])
        self.assertEqual(attrs["ObjectSize"], 5)
        self.assertEqual([o["Key"] for o in self.v2.list_objects(Bucket=b)["Contents"]], ["a b+c.txt", "copy.txt"])
        self.assertEqual(self.v2.list_objects_v2(Bucket=b, Prefix="co")["KeyCount"], 1)
        self.assertEqual(len(self.v2.list_object_versions(Bucket=b)["Versions"]), 2)
        out = self.v2.delete_objects(Bucket=b, Delete={"Objects": [{"Key": "a b+c.txt"}, {"Key": "copy.txt"}]})
        self.assertEqual(sorted(d["Key"] for d in out["Deleted"]), ["a b+c.txt", "copy.txt"])
        self.v2.put_object(Bucket=b, Key="last", Body=b"x")
        self.v2.delete_object(Bucket=b, Key="last")
        self.assertEqual(self.v2.list_objects_v2(Bucket=b)["KeyCount"], 0)
        self.v2.delete_bucket(Bucket=b)

    def test_acls(self):
        b = self.name("v2acl")
        self.v2.create_bucket(Bucket=b)
        self.v2.put_bucket_ownership_controls(Bucket=b, OwnershipControls={
            "Rules": [{"ObjectOwnership": "BucketOwnerPreferred"}]})
        self.v2.delete_public_access_block(Bucket=b)
        self.v2.put_object(Bucket=b, Key="k", Body=b"acl")
        self.v2.put_object_acl(Bucket=b, Key="k", ACL="public-read")
        grants = self.v2.get_object_acl(Bucket=b, Key="k")["Grants"]
        self.assertIn("READ", [g["Permission"] for g in grants if g["Grantee"].get("URI", "").endswith("AllUsers")])
        self.assertEqual(requests.get("%s/%s/k" % (self.server.endpoint, b), timeout=10).content, b"acl")
        self.v2.put_bucket_acl(Bucket=b, ACL="private")
        self.assertEqual([g["Permission"] for g in self.v2.get_bucket_acl(Bucket=b)["Grants"]], ["FULL_CONTROL"])
        self.v2.put_object(Bucket=b, Key="k2", Body=b"x", ACL="authenticated-read")
        grants = self.v2.get_object_acl(Bucket=b, Key="k2")["Grants"]
        self.assertIn("READ", [g["Permission"] for g in grants
                               if g["Grantee"].get("URI", "").endswith("AuthenticatedUsers")])

    def test_multipart(self):
        b = self.name("v2mpu")
        self.v2.create_bucket(Bucket=b)
        part1, part2 = os.urandom(5 * MiB), os.urandom(1024)
        up = self.v2.create_multipart_upload(Bucket=b, Key="big", ContentType="application/octet-stream")["UploadId"]
        self.assertEqual([u["UploadId"] for u in self.v2.list_multipart_uploads(Bucket=b)["Uploads"]], [up])
        e1 = self.v2.upload_part(Bucket=b, Key="big", UploadId=up, PartNumber=1, Body=part1)["ETag"]
        self.v2.put_object(Bucket=b, Key="src", Body=part2)
        e2 = self.v2.upload_part_copy(Bucket=b, Key="big", UploadId=up, PartNumber=2,
                                      CopySource={"Bucket": b, "Key": "src"})["CopyPartResult"]["ETag"]
        self.assertEqual([p["PartNumber"] for p in self.v2.list_parts(Bucket=b, Key="big", UploadId=up)["Parts"]],
                         [1, 2])
        self.v2.complete_multipart_upload(Bucket=b, Key="big", UploadId=up, MultipartUpload={
            "Parts": [{"PartNumber": 1, "ETag": e1}, {"PartNumber": 2, "ETag": e2}]})
        self.assertEqual(self.v2.get_object(Bucket=b, Key="big")["Body"].read(), part1 + part2)
        up2 = self.v2.create_multipart_upload(Bucket=b, Key="gone")["UploadId"]
        self.v2.abort_multipart_upload(Bucket=b, Key="gone", UploadId=up2)
        self.assertEqual(self.v2.list_multipart_uploads(Bucket=b).get("Uploads", []), [])

    def test_presigned_sigv2(self):
        b = self.name("v2pre")
        self.v2.create_bucket(Bucket=b)
        put = self.v2.generate_presigned_url("put_object", Params={"Bucket": b, "Key": "p"}, ExpiresIn=60)
        self.assertIn("AWSAccessKeyId=test", put)
        self.assertEqual(requests.put(put, data=b"presigned", timeout=10).status_code, 200)
        get = self.v2.generate_presigned_url("get_object", Params={"Bucket": b, "Key": "p",
                                                                   "ResponseContentDisposition": "attachment"},
                                             ExpiresIn=60)
        r = requests.get(get, timeout=10)
        self.assertEqual((r.status_code, r.content, r.headers["Content-Disposition"]),
                         (200, b"presigned", "attachment"))
        bad = self.v2_wrong.generate_presigned_url("get_object", Params={"Bucket": b, "Key": "p"}, ExpiresIn=60)
        self.assertEqual(requests.get(bad, timeout=10).status_code, 403)


class SigV2DateFormsTest(S3TestCase):
    """The Date / x-amz-date forms HTTP allows, each signed as sent."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.b = "v2-dates"
        cls.s3.create_bucket(Bucket=cls.b)

    def forms(self, t):
        g = time.gmtime(t)
        days = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
        return {
            "rfc1123": email.utils.formatdate(t, usegmt=True),                     # Thu, 03 Dec 2026 17:06:52 GMT
            "rfc2822 +0000": email.utils.formatdate(t, localtime=False).replace("-0000", "+0000"),
            "rfc850": "%s, %s GMT" % (days[g.tm_wday], time.strftime("%d-%b-%y %H:%M:%S", g)),
            "asctime": time.asctime(g),                                             # Thu Dec  3 17:06:52 2026
            "rfc2822 -0500": time.strftime("%a, %d %b %Y %H:%M:%S -0500", time.gmtime(t - 5 * 3600)),
            "rfc2822 UT": time.strftime("%a, %d %b %Y %H:%M:%S UT", g),
            "rfc2822 without weekday": time.strftime("%d %b %Y %H:%M:%S GMT", g),
            "one-digit day": time.strftime("%a, ", g) + str(g.tm_mday) + time.strftime(" %b %Y %H:%M:%S GMT", g),
        }

    def test_every_date_form_in_either_header(self):
        now = time.time()
        for form, value in self.forms(now).items():
            for header in ("Date", "x-amz-date"):
                with self.subTest(form=form, header=header, value=value):
                    key = "d-%s-%s" % (re.sub(r"[^a-z0-9]+", "_", form), header)
                    status, body = sigv2_request(self.server.endpoint, "PUT", "/%s/%s" % (self.b, key),
                                                 {"Content-Type": "text/plain"}, body=b"dated",
                                                 date_header=(header, value))
                    self.assertEqual(status, 200, body)
                    status, body = sigv2_request(self.server.endpoint, "GET", "/%s/%s" % (self.b, key), {},
                                                 date_header=(header, value))
                    self.assertEqual((status, body), (200, b"dated"))

    def test_iso8601_basic_x_amz_date(self):
        value = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
        status, body = sigv2_request(self.server.endpoint, "GET", "/%s" % self.b, {}, date_header=("x-amz-date", value))
        self.assertEqual(status, 200, body)

    def test_the_signed_date_is_the_header_sent(self):
        value = email.utils.formatdate(time.time(), usegmt=True)
        # With x-amz-date, a Date line in the string to sign is wrong (it must be empty) ...
        status, body = sigv2_request(self.server.endpoint, "GET", "/%s" % self.b, {}, sign_date=value,
                                     date_header=("x-amz-date", value))
        self.assertEqual(status, 403)
        self.assertIn(b"<Code>SignatureDoesNotMatch</Code>", body)
        # ... and with Date, the value must be signed exactly as sent.
        other = email.utils.formatdate(time.time(), localtime=False).replace("-0000", "+0000")
        status, body = sigv2_request(self.server.endpoint, "GET", "/%s" % self.b, {}, sign_date=other,
                                     date_header=("Date", value))
        self.assertEqual(status, 403)
        self.assertIn(b"<Code>SignatureDoesNotMatch</Code>", body)

    def test_sub_resources_as_either_signer_lists_them(self):
        # botocore signs "?tagging" into the resource; s3cmd's list (S3's SigV2 page) leaves it out.
        self.s3.put_object(Bucket=self.b, Key="tagged", Body=b"t")
        date = ("Date", email.utils.formatdate(time.time(), usegmt=True))
        xml = (b'<Tagging><TagSet><Tag><Key>k</Key><Value>v</Value></Tag></TagSet></Tagging>')
        md5 = base64.b64encode(hashlib.md5(xml).digest()).decode()
        path = "/%s/tagged?tagging" % self.b
        for resource in (path, "/%s/tagged" % self.b):
            with self.subTest(signed=resource):
                status, body = sigv2_request(self.server.endpoint, "PUT", path, {"Content-MD5": md5}, body=xml,
                                             date_header=date, signed_resource=resource)
                self.assertEqual(status, 200, body)
        self.assertEqual(self.s3.get_object_tagging(Bucket=self.b, Key="tagged")["TagSet"], [{"Key": "k", "Value": "v"}])
        # A documented sub-resource must be signed: ?acl left out of the resource is a mismatch.
        status, body = sigv2_request(self.server.endpoint, "GET", "/%s/tagged?acl" % self.b, {}, date_header=date,
                                     signed_resource="/%s/tagged" % self.b)
        self.assertEqual(status, 403)
        self.assertIn(b"<Code>SignatureDoesNotMatch</Code>", body)

    def test_bad_and_skewed_dates(self):
        status, body = sigv2_request(self.server.endpoint, "GET", "/%s" % self.b, {},
                                     date_header=("Date", "yesterday at noon"))
        self.assertEqual(status, 403)
        self.assertIn(b"<Message>AWS authentication requires a valid Date or x-amz-date header</Message>", body)
        old = email.utils.formatdate(time.time() - 3600, usegmt=True)
        status, body = sigv2_request(self.server.endpoint, "GET", "/%s" % self.b, {}, date_header=("Date", old))
        self.assertEqual(status, 403)
        self.assertIn(b"<Code>RequestTimeTooSkewed</Code>", body)
        self.assertIn(("<RequestTime>%s</RequestTime>" % old).encode(), body)


if __name__ == "__main__":
    unittest.main()
