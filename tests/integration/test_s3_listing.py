"""ListObjects (v1) and ListObjectsV2: prefixes, delimiters, pagination, encoding, ordering."""
import unittest
import urllib.parse

from s3_support import S3TestCase

KEYS = ["a.txt", "dir/x/1", "dir/x/2", "dir/y/1", "dir/z", "e f/g", "photos/2024/jan.jpg",
        "photos/2024/feb.jpg", "photos/2025/mar.jpg", "photos/top.jpg", "z", "\u00e9t\u00e9", "\U0001f600"]


class ListingTests(S3TestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.b = "listing-bucket"
        cls.s3.create_bucket(Bucket=cls.b)
        for k in KEYS:
            cls.s3.put_object(Bucket=cls.b, Key=k, Body=k.encode())

    def all_v2(self, **kw):
        keys, prefixes, token, pages = [], [], None, 0
        for _ in range(100):
            args = dict(kw)
            if token:
                args["ContinuationToken"] = token
            page = self.s3.list_objects_v2(Bucket=self.b, **args)
            pages += 1
            n = len(page.get("Contents", [])) + len(page.get("CommonPrefixes", []))
            self.assertEqual(page["KeyCount"], n)
            self.assertLessEqual(n, kw.get("MaxKeys", 1000))
            keys += [o["Key"] for o in page.get("Contents", [])]
            prefixes += [p["Prefix"] for p in page.get("CommonPrefixes", [])]
            if not page["IsTruncated"]:
                break
            token = page["NextContinuationToken"]
        return keys, prefixes, pages

    def test_keys_sort_by_utf8_bytes(self):
        keys, _, _ = self.all_v2()
        self.assertEqual(keys, sorted(KEYS, key=lambda k: k.encode("utf-8")))

    def test_v2_pagination_every_page_size(self):
        expected = sorted(KEYS, key=lambda k: k.encode("utf-8"))
        for size in (1, 2, 3, 5, 13, 1000):
            keys, _, pages = self.all_v2(MaxKeys=size)
            self.assertEqual(keys, expected, size)
            self.assertEqual(pages, max(1, -(-len(KEYS) // size)))

    def test_delimiter_and_prefix(self):
        keys, prefixes, _ = self.all_v2(Delimiter="/")
        self.assertEqual(prefixes, ["dir/", "e f/", "photos/"])
        self.assertEqual(keys, ["a.txt", "z", "\u00e9t\u00e9", "\U0001f600"])
        keys, prefixes, _ = self.all_v2(Prefix="photos/", Delimiter="/")
        self.assertEqual(keys, ["photos/top.jpg"])
        self.assertEqual(prefixes, ["photos/2024/", "photos/2025/"])
        keys, prefixes, _ = self.all_v2(Prefix="dir/")
        self.assertEqual(keys, ["dir/x/1", "dir/x/2", "dir/y/1", "dir/z"])
        self.assertEqual(prefixes, [])

    def test_delimiter_pagination_counts_prefixes(self):
        for size in (1, 2, 3):
            keys, prefixes, _ = self.all_v2(Delimiter="/", MaxKeys=size)
            self.assertEqual(prefixes, ["dir/", "e f/", "photos/"])
            self.assertEqual(keys, ["a.txt", "z", "\u00e9t\u00e9", "\U0001f600"])
        page = self.s3.list_objects_v2(Bucket=self.b, Delimiter="/", MaxKeys=2)
        self.assertEqual(page["KeyCount"], 2)
        self.assertTrue(page["IsTruncated"])

    def test_start_after_and_fetch_owner(self):
        page = self.s3.list_objects_v2(Bucket=self.b, StartAfter="photos/2025/mar.jpg")
        self.assertEqual([o["Key"] for o in page["Contents"]][:2], ["photos/top.jpg", "z"])
        self.assertNotIn("Owner", page["Contents"][0])
        page = self.s3.list_objects_v2(Bucket=self.b, FetchOwner=True, MaxKeys=1)
        self.assertEqual(len(page["Contents"][0]["Owner"]["ID"]), 64)
        c = page["Contents"][0]
        self.assertEqual(c["StorageClass"], "STANDARD")
        self.assertEqual(c["Size"], len(c["Key"].encode()))

    def test_encoding_type_url(self):
        # boto3 decodes url-encoded fields itself; check the raw XML is encoded.
        status, _, body = self.signed("GET", "/%s?list-type=2&prefix=e%%20&encoding-type=url" % self.b)
        self.assertEqual(status, 200)
        self.assertIn(b"<Key>e%20f/g</Key>", body)
        self.assertIn(b"<EncodingType>url</EncodingType>", body)
        # botocore leaves values encoded when the caller asked for the encoding itself.
        keys, _, _ = self.all_v2(EncodingType="url", Prefix="e ")
        self.assertEqual(keys, ["e%20f/g"])

    def test_max_keys_validation_and_zero(self):
        page = self.s3.list_objects_v2(Bucket=self.b, MaxKeys=0)
        self.assertEqual(page["KeyCount"], 0)
        status, _, body = self.signed("GET", "/%s?list-type=2&max-keys=abc" % self.b)
        self.assertEqual(status, 400)
        self.assertIn(b"InvalidArgument", body)
        status, _, body = self.signed("GET", "/%s?list-type=2&continuation-token=%%21%%21" % self.b)
        self.assertEqual(status, 400)
        status, _, body = self.signed("GET", "/%s?list-type=2&encoding-type=base64" % self.b)
        self.assertEqual(status, 400)

    def test_v1_marker_and_next_marker(self):
        keys, marker = [], None
        for _ in range(50):
            kw = {"MaxKeys": 2}
            if marker:
                kw["Marker"] = marker
            page = self.s3.list_objects(Bucket=self.b, **kw)
            got = [o["Key"] for o in page.get("Contents", [])]
            keys += got
            self.assertEqual(len(page["Contents"][0]["Owner"]["ID"]), 64)
            if not page["IsTruncated"]:
                break
            self.assertNotIn("NextMarker", page)  # only with a delimiter
            marker = got[-1]
        self.assertEqual(keys, sorted(KEYS, key=lambda k: k.encode("utf-8")))
        # With a delimiter: NextMarker, and a marker inside a prefix skips the prefix.
        seen, marker = [], None
        for _ in range(50):
            kw = {"MaxKeys": 1, "Delimiter": "/"}
            if marker:
                kw["Marker"] = marker
            page = self.s3.list_objects(Bucket=self.b, **kw)
            seen += [o["Key"] for o in page.get("Contents", [])] + [p["Prefix"] for p in page.get("CommonPrefixes", [])]
            if not page["IsTruncated"]:
                break
            marker = page["NextMarker"]
        self.assertEqual(seen, ["a.txt", "dir/", "e f/", "photos/", "z", "\u00e9t\u00e9", "\U0001f600"])

    def test_empty_and_missing(self):
        b = self.bucket("empty")
        page = self.s3.list_objects_v2(Bucket=b)
        self.assertEqual(page["KeyCount"], 0)
        self.assertFalse(page["IsTruncated"])
        self.assertError("NoSuchBucket", self.s3.list_objects_v2, Bucket="no-such-listing-bucket", status=404)

    def test_paginator_and_cli_ls(self):
        pages = self.s3.get_paginator("list_objects_v2").paginate(Bucket=self.b, PaginationConfig={"PageSize": 4})
        keys = [o["Key"] for p in pages for o in p.get("Contents", [])]
        self.assertEqual(len(keys), len(KEYS))
        out = self.server.aws("s3", "ls", "s3://%s/" % self.b).stdout
        self.assertIn("PRE photos/", out)
        self.assertIn("a.txt", out)


if __name__ == "__main__":
    unittest.main()
