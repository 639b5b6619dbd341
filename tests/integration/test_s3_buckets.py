"""S3 bucket operations through boto3 and the aws CLI."""
import unittest

from s3_support import S3TestCase


class BucketTests(S3TestCase):
    def test_create_head_list_delete(self):
        name = self.bucket("crud")
        head = self.s3.head_bucket(Bucket=name)
        self.assertEqual(head["ResponseMetadata"]["HTTPHeaders"]["x-amz-bucket-region"], "us-east-1")
        listed = self.s3.list_buckets()
        names = [b["Name"] for b in listed["Buckets"]]
        self.assertIn(name, names)
        entry = [b for b in listed["Buckets"] if b["Name"] == name][0]
        self.assertIsNotNone(entry["CreationDate"].tzinfo)
        self.assertEqual(len(listed["Owner"]["ID"]), 64)
        self.s3.delete_bucket(Bucket=name)
        self.assertError("404", self.s3.head_bucket, Bucket=name)
        self.assertError("NoSuchBucket", self.s3.delete_bucket, Bucket=name, status=404)

    def test_invalid_names(self):
        for bad in ("ab", "Upper", "bad_name", "192.168.1.1", "xn--abc", "abc-s3alias", "a..b"):
            self.assertError("InvalidBucketName", self.s3.create_bucket, Bucket=bad, status=400)

    def test_recreate_in_us_east_1_is_ok_elsewhere_already_owned(self):
        name = self.bucket("again")
        self.s3.create_bucket(Bucket=name)  # us-east-1: 200 for a bucket you own
        eu = self.server.boto3_client("s3", region="eu-west-1")
        other = "eu-" + name
        eu.create_bucket(Bucket=other, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
        self.assertError("BucketAlreadyOwnedByYou", eu.create_bucket, Bucket=other,
                         CreateBucketConfiguration={"LocationConstraint": "eu-west-1"}, status=409)
        self.assertEqual(eu.get_bucket_location(Bucket=other)["LocationConstraint"], "eu-west-1")
        self.assertIsNone(self.s3.get_bucket_location(Bucket=name)["LocationConstraint"])
        head = eu.head_bucket(Bucket=other)
        self.assertEqual(head["ResponseMetadata"]["HTTPHeaders"]["x-amz-bucket-region"], "eu-west-1")

    def test_regional_endpoint_needs_its_own_constraint(self):
        eu = self.server.boto3_client("s3", region="eu-west-1")
        self.assertError("IllegalLocationConstraintException", eu.create_bucket, Bucket="no-constraint-eu",
                         status=400)
        self.assertError("IllegalLocationConstraintException", eu.create_bucket, Bucket="wrong-constraint-eu",
                         CreateBucketConfiguration={"LocationConstraint": "ap-south-1"}, status=400)
        # us-east-1 (the global endpoint) may create buckets in other regions.
        self.s3.create_bucket(Bucket="from-global-to-ap", CreateBucketConfiguration={"LocationConstraint": "ap-south-1"})
        self.assertEqual(self.s3.get_bucket_location(Bucket="from-global-to-ap")["LocationConstraint"], "ap-south-1")

    def test_explicit_us_east_1_constraint_is_invalid(self):
        self.assertError("InvalidLocationConstraint", self.s3.create_bucket, Bucket="loc-us-east-1-x",
                         CreateBucketConfiguration={"LocationConstraint": "us-east-1"}, status=400)

    def test_other_account_gets_bucket_already_exists(self):
        name = self.bucket("taken")
        other = self.server.boto3_client("s3", access_key="other", secret_key="other",
                                         request_checksum_calculation="when_required")
        self.assertError("BucketAlreadyExists", other.create_bucket, Bucket=name, status=409)
        self.assertError("AccessDenied", other.list_objects_v2, Bucket=name, status=403)
        self.assertNotIn(name, [b["Name"] for b in other.list_buckets()["Buckets"]])

    def test_delete_non_empty_bucket(self):
        name = self.bucket("full")
        self.s3.put_object(Bucket=name, Key="k", Body=b"x")
        self.assertError("BucketNotEmpty", self.s3.delete_bucket, Bucket=name, status=409)
        self.s3.delete_object(Bucket=name, Key="k")
        up = self.s3.create_multipart_upload(Bucket=name, Key="mp")
        self.assertError("BucketNotEmpty", self.s3.delete_bucket, Bucket=name, status=409)
        self.s3.abort_multipart_upload(Bucket=name, Key="mp", UploadId=up["UploadId"])
        self.s3.delete_bucket(Bucket=name)

    def test_list_buckets_pagination_and_prefix(self):
        names = ["page-%02d-listing" % i for i in range(5)]
        for n in names:
            self.s3.create_bucket(Bucket=n)
        seen, token = [], None
        for _ in range(10):
            kw = {"MaxBuckets": 2, "Prefix": "page-"}
            if token:
                kw["ContinuationToken"] = token
            page = self.s3.list_buckets(**kw)
            self.assertLessEqual(len(page["Buckets"]), 2)
            seen += [b["Name"] for b in page["Buckets"]]
            token = page.get("ContinuationToken")
            if not token:
                break
        self.assertEqual(seen, sorted(names))

    def test_aws_cli_mb_ls_rb(self):
        self.server.aws("s3", "mb", "s3://cli-bucket-one")
        out = self.server.aws("s3", "ls").stdout
        self.assertIn("cli-bucket-one", out)
        listed = self.server.aws_json("s3api", "list-buckets")
        self.assertIn("cli-bucket-one", [b["Name"] for b in listed["Buckets"]])
        self.server.aws("s3", "rb", "s3://cli-bucket-one")
        self.assertNotIn("cli-bucket-one", self.server.aws("s3", "ls").stdout)

    def test_unbuilt_subresources_are_not_implemented(self):
        name = self.bucket("nyi")
        self.assertError("NotImplemented", self.s3.get_bucket_metadata_table_configuration, Bucket=name, status=501)
        self.s3.put_object(Bucket=name, Key="k", Body=b"x")
        self.assertError("NotImplemented", self.s3.get_object_torrent, Bucket=name, Key="k", status=501)

    def test_request_payment_lifecycle_and_versioning_reads(self):
        # What s3cmd's `info s3://bucket` asks: buckets pay for their own requests, and a bucket
        # without lifecycle rules answers NoSuchLifecycleConfiguration (localaws sets none).
        name = self.bucket("reads")
        self.assertEqual(self.s3.get_bucket_request_payment(Bucket=name)["Payer"], "BucketOwner")
        # Never versioned (rclone's purge asks): no Status, no MFADelete.
        got = self.s3.get_bucket_versioning(Bucket=name)
        self.assertEqual({k: v for k, v in got.items() if k != "ResponseMetadata"}, {})
        err = self.assertError("NoSuchLifecycleConfiguration", self.s3.get_bucket_lifecycle_configuration,
                               Bucket=name, status=404)
        self.assertEqual(err["Error"]["Message"], "The lifecycle configuration does not exist")
        self.assertEqual(err["Error"]["BucketName"], name)
        self.assertError("NoSuchBucket", self.s3.get_bucket_request_payment, Bucket=name + "-missing", status=404)
        self.assertError("NoSuchBucket", self.s3.get_bucket_lifecycle_configuration, Bucket=name + "-missing",
                         status=404)

    def test_anonymous_requests_are_denied(self):
        name = self.bucket("anon")
        status, headers, body = self.server.get("/" + name)
        self.assertEqual(status, 403)
        self.assertIn(b"<Code>AccessDenied</Code>", body)
        self.assertIn("x-amz-request-id", {k.lower() for k in headers})
        self.assertIn("x-amz-id-2", {k.lower() for k in headers})


if __name__ == "__main__":
    unittest.main()
