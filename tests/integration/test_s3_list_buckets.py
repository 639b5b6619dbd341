"""ListBuckets paging and filters (max-buckets, continuation-token, prefix, bucket-region, the
BucketRegion field), CreateBucket's LocationConstraint rules, GetBucketLocation, and the extra
elements AWS puts in InvalidRange, InvalidPartNumber and continuation-token errors."""
import unittest
import uuid
import xml.etree.ElementTree as ET

from s3_support import S3TestCase


class ListBucketsTests(S3TestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tag = uuid.uuid4().hex[:6]
        cls.us = ["lb-%s-us-%d" % (cls.tag, i) for i in range(3)]
        cls.eu = ["lb-%s-eu-%d" % (cls.tag, i) for i in range(3)]
        for n in cls.us:
            cls.s3.create_bucket(Bucket=n)
        for n in cls.eu:
            cls.s3.create_bucket(Bucket=n, CreateBucketConfiguration={"LocationConstraint": "eu-west-2"})

    def pages(self, **kw):
        seen, token, pages = [], None, 0
        while True:
            args = dict(kw)
            if token:
                args["ContinuationToken"] = token
            page = self.s3.list_buckets(**args)
            pages += 1
            self.assertLessEqual(len(page["Buckets"]), kw.get("MaxBuckets", 10000))
            seen += page["Buckets"]
            token = page.get("ContinuationToken")
            if not token:
                return seen, pages, page
            self.assertLess(pages, 20)

    def test_pages_with_prefix(self):
        seen, pages, last = self.pages(MaxBuckets=2, Prefix="lb-%s-" % self.tag)
        self.assertEqual([b["Name"] for b in seen], sorted(self.us + self.eu))
        self.assertEqual(pages, 3)
        self.assertEqual(last["Prefix"], "lb-%s-" % self.tag)
        self.assertNotIn("ContinuationToken", last)
        regions = {b["Name"]: b["BucketRegion"] for b in seen}
        self.assertEqual({regions[n] for n in self.us}, {"us-east-1"})
        self.assertEqual({regions[n] for n in self.eu}, {"eu-west-2"})

    def test_bucket_region_filter(self):
        seen, pages, _ = self.pages(BucketRegion="eu-west-2", Prefix="lb-%s-" % self.tag)
        self.assertEqual([b["Name"] for b in seen], self.eu)
        self.assertEqual(pages, 1)
        # Paged one at a time: the last eu bucket's page is not truncated though us ones follow.
        seen, pages, _ = self.pages(BucketRegion="eu-west-2", MaxBuckets=1, Prefix="lb-%s-" % self.tag)
        self.assertEqual([b["Name"] for b in seen], self.eu)
        self.assertEqual(pages, 3)
        seen, _, _ = self.pages(BucketRegion="us-east-1", MaxBuckets=2, Prefix="lb-%s-" % self.tag)
        self.assertEqual([b["Name"] for b in seen], self.us)
        self.assertEqual(self.s3.list_buckets(BucketRegion="ap-south-1", Prefix="lb-%s-" % self.tag)["Buckets"], [])

    def test_bad_arguments(self):
        err = self.assertError("InvalidArgument", self.s3.list_buckets, ContinuationToken="%%%not-a-token",
                               status=400)
        self.assertEqual(err["Error"].get("ArgumentName"), "continuation-token")
        self.assertEqual(err["Error"].get("ArgumentValue"), "%%%not-a-token")
        for bad in ("0", "10001", "x"):  # boto3 refuses these itself: sent signed by hand
            st, _, body = self.signed("GET", "/?max-buckets=" + bad)
            root = ET.fromstring(body)
            self.assertEqual((st, root.findtext("Code")), (400, "InvalidArgument"))
            self.assertEqual(root.findtext("ArgumentName"), "max-buckets")
            self.assertEqual(root.findtext("ArgumentValue"), bad)


class LocationTests(S3TestCase):
    def test_location_constraint_rules(self):
        name = "loc-%s" % uuid.uuid4().hex[:8]
        for lc in ("us-east-1", "not_a_region"):
            self.assertError("InvalidLocationConstraint", self.s3.create_bucket, Bucket=name,
                             CreateBucketConfiguration={"LocationConstraint": lc}, status=400)
        eu = self.server.boto3_client("s3", region="eu-west-3")
        self.assertError("IllegalLocationConstraintException", eu.create_bucket, Bucket=name, status=400)
        self.assertError("IllegalLocationConstraintException", eu.create_bucket, Bucket=name,
                         CreateBucketConfiguration={"LocationConstraint": "eu-central-1"}, status=400)
        self.assertNotIn(name, [b["Name"] for b in self.s3.list_buckets()["Buckets"]])
        eu.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": "eu-west-3"})
        self.assertEqual(eu.get_bucket_location(Bucket=name)["LocationConstraint"], "eu-west-3")
        plain = self.bucket("loc-us")
        self.assertIsNone(self.s3.get_bucket_location(Bucket=plain)["LocationConstraint"])
        st, _, body = self.signed("GET", "/%s?location" % plain)
        self.assertEqual(st, 200)
        root = ET.fromstring(body)
        self.assertTrue(root.tag.endswith("LocationConstraint"))
        self.assertFalse((root.text or "").strip())


class ErrorElementTests(S3TestCase):
    def test_invalid_range(self):
        b = self.bucket("err-range")
        self.s3.put_object(Bucket=b, Key="k", Body=b"0123456789")
        err = self.assertError("InvalidRange", self.s3.get_object, Bucket=b, Key="k", Range="bytes=20-30", status=416)
        self.assertEqual(err["Error"].get("RangeRequested"), "bytes=20-30")
        self.assertEqual(err["Error"].get("ActualObjectSize"), "10")

    def test_invalid_part_number(self):
        b = self.bucket("err-part")
        uid = self.s3.create_multipart_upload(Bucket=b, Key="mp")["UploadId"]
        parts = []
        for n in (1, 2):
            body = (b"%d" % n) * (5 * 1024 * 1024 if n == 1 else 10)
            parts.append({"PartNumber": n, "ETag": self.s3.upload_part(Bucket=b, Key="mp", UploadId=uid,
                                                                        PartNumber=n, Body=body)["ETag"]})
        self.s3.complete_multipart_upload(Bucket=b, Key="mp", UploadId=uid, MultipartUpload={"Parts": parts})
        self.assertEqual(self.s3.head_object(Bucket=b, Key="mp", PartNumber=2)["ContentLength"], 10)
        st, _, body = self.signed("GET", "/%s/mp?partNumber=3" % b)
        self.assertEqual(st, 416)
        root = ET.fromstring(body)
        self.assertEqual(root.findtext("Code"), "InvalidPartNumber")
        self.assertEqual(root.findtext("PartNumberRequested"), "3")
        self.assertEqual(root.findtext("ActualPartCount"), "2")

    def test_listing_continuation_token(self):
        b = self.bucket("err-token")
        err = self.assertError("InvalidArgument", self.s3.list_objects_v2, Bucket=b, ContinuationToken="!!",
                               status=400)
        self.assertEqual(err["Error"].get("ArgumentName"), "continuation-token")
        self.assertEqual(err["Error"].get("ArgumentValue"), "!!")


if __name__ == "__main__":
    unittest.main()
