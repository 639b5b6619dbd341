"""S3 versioning through boto3, asserted against AWS's documented behaviour: Put/GetBucketVersioning,
the version id every write returns, suspended buckets and the null version, reads and sub-resources by
versionId, delete markers, DeleteObjects with versions, ListObjectVersions (prefix, delimiter, markers,
max-keys paging, encoding-type=url) and how ListObjectsV2 / DeleteBucket see versions, and emptying a
versioned bucket the way the boto3 docs show."""
import base64
import concurrent.futures
import hashlib
import json
import os
import threading
import unittest
import urllib.parse
import xml.etree.ElementTree as ET

import requests

from s3_support import S3TestCase

NS = "{http://s3.amazonaws.com/doc/2006-03-01/}"


def body_of(resp):
    return resp["Body"].read()


def md5_b64(data):
    return base64.b64encode(hashlib.md5(data).digest()).decode()


def error_code(body):
    try:
        return ET.fromstring(body).findtext("Code")
    except ET.ParseError:
        return "(no XML error body: %r)" % body[:200]


class VersioningCase(S3TestCase):
    """Helpers shared by the versioning tests (and by test_s3_object_lock.py)."""

    def versioned_bucket(self, status="Enabled", prefix="v"):
        b = self.bucket(prefix)
        self.s3.put_bucket_versioning(Bucket=b, VersioningConfiguration={"Status": status})
        return b

    def assertVersionId(self, vid):
        # "The version ID values that Amazon S3 assigns are URL safe (can be included as part of a URI)."
        # (userguide/AddingObjectstoVersioningEnabledBuckets.html). Opaque otherwise.
        self.assertIsInstance(vid, str)
        self.assertTrue(vid)
        self.assertNotEqual(vid, "null")
        self.assertEqual(urllib.parse.quote(vid, safe=""), vid, "a version id must be URL safe: %r" % vid)

    def all_versions(self, bucket, page_check=None, **kw):
        """Every page of ListObjectVersions (boto3 splits Version and DeleteMarker entries); returns
        (versions, markers, common_prefixes, pages)."""
        versions, markers, prefixes, pages = [], [], [], 0
        key_marker = version_marker = None
        for _ in range(10000):
            args = dict(kw)
            if key_marker is not None:
                args["KeyMarker"] = key_marker
            if version_marker is not None:
                args["VersionIdMarker"] = version_marker
            page = self.s3.list_object_versions(Bucket=bucket, **args)
            pages += 1
            if page_check:
                page_check(page)
            versions += page.get("Versions", [])
            markers += page.get("DeleteMarkers", [])
            prefixes += [p["Prefix"] for p in page.get("CommonPrefixes", [])]
            if not page["IsTruncated"]:
                self.assertNotIn("NextKeyMarker", page)
                self.assertNotIn("NextVersionIdMarker", page)
                return versions, markers, prefixes, pages
            key_marker = page["NextKeyMarker"]
            version_marker = page.get("NextVersionIdMarker")
        self.fail("ListObjectVersions did not finish")

    def raw_versions(self, bucket, query=""):
        """One raw ListObjectVersions page, entries in document order: (kind, key, version_id,
        is_latest) with kind "Version" or "DeleteMarker"; returns (root, entries)."""
        status, _, body = self.signed("GET", "/%s?versions%s" % (bucket, query))
        self.assertEqual(status, 200, body)
        root = ET.fromstring(body)
        self.assertEqual(root.tag, NS + "ListVersionsResult", body[:300])
        entries = []
        for el in root:
            kind = el.tag[len(NS):]
            if kind in ("Version", "DeleteMarker"):
                entries.append((kind, el.findtext(NS + "Key"), el.findtext(NS + "VersionId"),
                                el.findtext(NS + "IsLatest")))
        for e in entries:
            self.assertIn(e[3], ("true", "false"), e)
        return root, [(k, key, vid, latest == "true") for k, key, vid, latest in entries]

    def raw_all_versions(self, bucket, max_keys, extra=""):
        """Pages through the raw listing with max-keys, following NextKeyMarker / NextVersionIdMarker."""
        out, query, pages = [], "&max-keys=%d%s" % (max_keys, extra), 0
        for _ in range(10000):
            root, entries = self.raw_versions(bucket, query)
            pages += 1
            prefixes = root.findall(NS + "CommonPrefixes")
            truncated = root.findtext(NS + "IsTruncated")
            self.assertIn(truncated, ("true", "false"))
            self.assertLessEqual(len(entries) + len(prefixes), max_keys)
            out += entries
            if truncated == "false":
                return out, pages
            # max-keys counts versions, delete markers and common prefixes; a truncated page is full.
            self.assertEqual(len(entries) + len(prefixes), max_keys)
            nk = root.findtext(NS + "NextKeyMarker")
            nv = root.findtext(NS + "NextVersionIdMarker")
            self.assertTrue(nk)
            if "encoding-type=url" in extra:
                nk = urllib.parse.unquote_plus(nk)  # NextKeyMarker is encoded too (botocore decodes it)
            query = "&max-keys=%d%s&key-marker=%s" % (max_keys, extra, urllib.parse.quote(nk, safe=""))
            if nv:
                query += "&version-id-marker=" + urllib.parse.quote(nv, safe="")
        self.fail("ListObjectVersions did not finish")


class BucketVersioningConfigTest(VersioningCase):
    def test_never_versioned_bucket_answers_an_empty_configuration(self):
        # "If the versioning state has never been set on a bucket, it has no versioning state; a
        # GetBucketVersioning request does not return a versioning state value." (API_PutBucketVersioning)
        b = self.bucket()
        got = self.s3.get_bucket_versioning(Bucket=b)
        self.assertNotIn("Status", got)
        self.assertNotIn("MFADelete", got)
        status, _, body = self.signed("GET", "/%s?versioning" % b)
        self.assertEqual(status, 200)
        root = ET.fromstring(body)
        self.assertEqual(root.tag, NS + "VersioningConfiguration")
        self.assertEqual(list(root), [])

    def test_enable_suspend_enable(self):
        b = self.bucket()
        for status in ("Enabled", "Suspended", "Enabled", "Suspended"):
            r = self.s3.put_bucket_versioning(Bucket=b, VersioningConfiguration={"Status": status})
            self.assertEqual(r["ResponseMetadata"]["HTTPStatusCode"], 200)
            got = self.s3.get_bucket_versioning(Bucket=b)
            self.assertEqual(got["Status"], status)
            # "This element is only returned if the bucket has been configured with MFA delete. If the
            # bucket has never been so configured, this element is not returned." (GetBucketVersioning)
            self.assertNotIn("MFADelete", got)

    def test_mfa_delete_is_refused_without_an_mfa_device(self):
        # Enabling MFA delete needs the x-amz-mfa header (over HTTPS, root user with an MFA device). AWS
        # answers a request without one 403 AccessDenied "Mfa Authentication must be used for this request".
        b = self.bucket()
        self.assertError("AccessDenied", self.s3.put_bucket_versioning, Bucket=b,
                         VersioningConfiguration={"Status": "Enabled", "MFADelete": "Enabled"}, status=403)
        self.assertNotIn("Status", self.s3.get_bucket_versioning(Bucket=b), "a refused request changes nothing")

    def test_bad_status_is_malformed_xml(self):
        # Status must be Enabled or Suspended (case-sensitive); AWS answers anything else MalformedXML.
        b = self.bucket()
        for bad in ("Bogus", "enabled", "Disabled", ""):
            with self.subTest(status=bad):
                self.assertError("MalformedXML", self.s3.put_bucket_versioning, Bucket=b,
                                 VersioningConfiguration={"Status": bad}, status=400)
        # Not XML at all.
        status, _, body = self.signed("PUT", "/%s?versioning" % b, body=b"not xml",
                                      headers={"Content-MD5": md5_b64(b"not xml")})
        self.assertEqual((status, error_code(body)), (400, "MalformedXML"), body)
        self.assertNotIn("Status", self.s3.get_bucket_versioning(Bucket=b))

    def test_missing_bucket_and_other_account(self):
        self.assertError("NoSuchBucket", self.s3.get_bucket_versioning, Bucket="no-such-bucket-vers", status=404)
        self.assertError("NoSuchBucket", self.s3.put_bucket_versioning, Bucket="no-such-bucket-vers",
                         VersioningConfiguration={"Status": "Enabled"}, status=404)
        b = self.bucket()
        other = self.server.boto3_client("s3", access_key="other", secret_key="other")
        self.assertError("AccessDenied", other.put_bucket_versioning, Bucket=b,
                         VersioningConfiguration={"Status": "Enabled"}, status=403)
        self.assertError("AccessDenied", other.get_bucket_versioning, Bucket=b, status=403)
        self.assertNotIn("Status", self.s3.get_bucket_versioning(Bucket=b))


class VersionedWritesTest(VersioningCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.v4 = cls.server.boto3_client("s3", signature_version="s3v4")

    def presigned_post(self, bucket, key, data):
        p = self.v4.generate_presigned_post(bucket, key, ExpiresIn=300)
        r = requests.post(p["url"], data=p["fields"], files={"file": ("f.bin", data)}, allow_redirects=False,
                          timeout=30)
        self.assertEqual(r.status_code, 204, r.text)
        return r

    def complete_one_part(self, bucket, key, data):
        uid = self.s3.create_multipart_upload(Bucket=bucket, Key=key)["UploadId"]
        part = self.s3.upload_part(Bucket=bucket, Key=key, UploadId=uid, PartNumber=1, Body=data)
        return self.s3.complete_multipart_upload(Bucket=bucket, Key=key, UploadId=uid, MultipartUpload={
            "Parts": [{"PartNumber": 1, "ETag": part["ETag"]}]})

    def test_every_write_returns_a_new_version_id(self):
        b = self.versioned_bucket()
        written = []  # (version id, bytes), oldest first
        put = self.s3.put_object(Bucket=b, Key="k", Body=b"put")
        written.append((put["VersionId"], b"put"))
        copy = self.s3.copy_object(Bucket=b, Key="k", CopySource={"Bucket": b, "Key": "k"},
                                   MetadataDirective="REPLACE", Metadata={"n": "2"})
        self.assertEqual(copy.get("CopySourceVersionId"), put["VersionId"])
        written.append((copy["VersionId"], b"put"))
        mpu = self.complete_one_part(b, "k", b"multipart")
        written.append((mpu["VersionId"], b"multipart"))
        # POST Object: "If you enable versioning for a bucket, POST automatically generates a unique version
        # ID for the object being added. Amazon S3 returns this ID in the response by using the
        # x-amz-version-id response header." (API/postVersions.html)
        r = self.presigned_post(b, "k", b"posted")
        written.append((r.headers.get("x-amz-version-id"), b"posted"))
        ids = [v for v, _ in written]
        for vid in ids:
            self.assertVersionId(vid)
        self.assertEqual(len(set(ids)), 4, ids)
        head = self.s3.head_object(Bucket=b, Key="k")
        self.assertEqual(head["VersionId"], ids[-1])
        got = self.s3.get_object(Bucket=b, Key="k")
        self.assertEqual((got["VersionId"], body_of(got)), (ids[-1], b"posted"))
        for vid, data in written:
            got = self.s3.get_object(Bucket=b, Key="k", VersionId=vid)
            self.assertEqual((got["VersionId"], body_of(got)), (vid, data))
        self.assertEqual(self.s3.head_object(Bucket=b, Key="k", VersionId=ids[1])["Metadata"], {"n": "2"})
        versions, markers, _, _ = self.all_versions(b)
        self.assertEqual(markers, [])
        self.assertEqual([v["VersionId"] for v in versions], ids[::-1], "newest first")
        self.assertEqual([v["IsLatest"] for v in versions], [True, False, False, False])
        self.assertEqual(versions[1]["ETag"], mpu["ETag"])
        self.assertEqual(versions[3]["Size"], 3)

    def test_never_versioned_bucket_writes_carry_no_version_id(self):
        # A bucket that was never versioned holds one version per key, the null version. AWS sends no
        # x-amz-version-id for writes and plain reads there (the header exists once versioning was set);
        # ListObjectVersions shows the null version and versionId=null addresses it.
        b = self.bucket()
        put = self.s3.put_object(Bucket=b, Key="k", Body=b"one")
        self.assertNotIn("VersionId", put)
        self.assertNotIn("VersionId", self.s3.copy_object(Bucket=b, Key="c", CopySource={"Bucket": b, "Key": "k"}))
        self.assertNotIn("VersionId", self.complete_one_part(b, "m", b"mp"))
        r = self.presigned_post(b, "p", b"posted")
        self.assertNotIn("x-amz-version-id", {k.lower() for k in r.headers})
        self.assertNotIn("VersionId", self.s3.head_object(Bucket=b, Key="k"))
        self.assertNotIn("VersionId", self.s3.get_object(Bucket=b, Key="k"))
        self.s3.put_object(Bucket=b, Key="k", Body=b"two")  # replaces the null version
        self.assertEqual(body_of(self.s3.get_object(Bucket=b, Key="k", VersionId="null")), b"two")
        versions, markers, _, _ = self.all_versions(b)
        self.assertEqual(markers, [])
        self.assertEqual(sorted((v["Key"], v["VersionId"], v["IsLatest"]) for v in versions),
                         [("c", "null", True), ("k", "null", True), ("m", "null", True), ("p", "null", True)])
        d = self.s3.delete_object(Bucket=b, Key="k", VersionId="null")
        self.assertNotIn("DeleteMarker", d)
        self.assertError("NoSuchKey", self.s3.get_object, Bucket=b, Key="k", status=404)
        # A plain DELETE in a never-versioned bucket removes the object, no marker.
        d = self.s3.delete_object(Bucket=b, Key="c")
        self.assertNotIn("DeleteMarker", d)
        versions, markers, _, _ = self.all_versions(b)
        self.assertEqual((sorted(v["Key"] for v in versions), markers), (["m", "p"], []))

    def test_overwrites_keep_every_version(self):
        b = self.versioned_bucket()
        payloads = [os.urandom(1000 + i) for i in range(5)]
        ids = [self.s3.put_object(Bucket=b, Key="doc", Body=p)["VersionId"] for p in payloads]
        self.assertEqual(len(set(ids)), 5)
        for vid, p in zip(ids, payloads):
            head = self.s3.head_object(Bucket=b, Key="doc", VersionId=vid)
            self.assertEqual((head["VersionId"], head["ContentLength"], head["ETag"]),
                             (vid, len(p), '"%s"' % hashlib.md5(p).hexdigest()))
            self.assertEqual(body_of(self.s3.get_object(Bucket=b, Key="doc", VersionId=vid)), p)
        self.assertEqual(body_of(self.s3.get_object(Bucket=b, Key="doc")), payloads[-1])
        status, headers, _ = self.signed("GET", "/%s/doc" % b)
        self.assertEqual((status, headers.get("x-amz-version-id")), (200, ids[-1]))
        # Range reads of an old version.
        r = self.s3.get_object(Bucket=b, Key="doc", VersionId=ids[0], Range="bytes=0-9")
        self.assertEqual((r["ResponseMetadata"]["HTTPStatusCode"], body_of(r)), (206, payloads[0][:10]))

    def test_concurrent_writes_all_stored(self):
        # "If you enable versioning for a bucket and Amazon S3 receives multiple write requests for the same
        # object simultaneously, all versions of the object are stored." (API/postVersions.html)
        b = self.versioned_bucket()
        local = threading.local()

        def put(i):
            if not hasattr(local, "c"):
                local.c = self.server.boto3_client("s3", request_checksum_calculation="when_required")
            return local.c.put_object(Bucket=b, Key="hot", Body=b"%d" % i)["VersionId"]

        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            ids = list(pool.map(put, range(80)))
        self.assertEqual(len(set(ids)), 80)
        versions, _, _, _ = self.all_versions(b)
        self.assertEqual(sorted(v["VersionId"] for v in versions), sorted(ids))
        self.assertEqual(sum(v["IsLatest"] for v in versions), 1)
        latest = self.s3.get_object(Bucket=b, Key="hot")
        self.assertEqual(latest["VersionId"], versions[0]["VersionId"])
        self.assertEqual(body_of(latest), b"%d" % ids.index(latest["VersionId"]))


class SuspendedVersioningTest(VersioningCase):
    def test_suspended_writes_replace_the_null_version_and_keep_others(self):
        # userguide/AddingObjectstoVersionSuspendedBuckets.html: after suspending, every new object gets
        # the null version id; "If a null version is already in the bucket and you add another object with
        # the same key, the added object overwrites the original null version"; other versions are kept.
        b = self.bucket()
        self.s3.put_object(Bucket=b, Key="k", Body=b"before versioning")  # the null version
        self.s3.put_bucket_versioning(Bucket=b, VersioningConfiguration={"Status": "Enabled"})
        a = self.s3.put_object(Bucket=b, Key="k", Body=b"A")["VersionId"]
        self.assertVersionId(a)
        versions, _, _, _ = self.all_versions(b)
        self.assertEqual([(v["VersionId"], v["IsLatest"]) for v in versions], [(a, True), ("null", False)])
        self.assertEqual(body_of(self.s3.get_object(Bucket=b, Key="k", VersionId="null")), b"before versioning")

        self.s3.put_bucket_versioning(Bucket=b, VersioningConfiguration={"Status": "Suspended"})
        for data in (b"B", b"C"):
            put = self.s3.put_object(Bucket=b, Key="k", Body=data)
            # The stored version is null; AWS reports it as "null" when it reports it at all.
            self.assertEqual(put.get("VersionId", "null"), "null")
            versions, _, _, _ = self.all_versions(b)
            self.assertEqual([(v["VersionId"], v["IsLatest"]) for v in versions], [("null", True), (a, False)])
            self.assertEqual(body_of(self.s3.get_object(Bucket=b, Key="k")), data)
            self.assertEqual(body_of(self.s3.get_object(Bucket=b, Key="k", VersionId="null")), data)
        self.assertEqual(body_of(self.s3.get_object(Bucket=b, Key="k", VersionId=a)), b"A")

        self.s3.put_bucket_versioning(Bucket=b, VersioningConfiguration={"Status": "Enabled"})
        d = self.s3.put_object(Bucket=b, Key="k", Body=b"D")["VersionId"]
        self.assertVersionId(d)
        versions, _, _, _ = self.all_versions(b)
        self.assertEqual([v["VersionId"] for v in versions], [d, "null", a])
        self.assertEqual(body_of(self.s3.get_object(Bucket=b, Key="k", VersionId="null")), b"C")

    def test_delete_in_suspended_bucket_replaces_the_null_version_with_a_null_marker(self):
        # userguide/DeletingObjectsfromVersioningSuspendedBuckets.html: a simple DELETE removes the null
        # version (if any) and inserts a delete marker whose version id is null; other versions stay.
        b = self.versioned_bucket()
        a = self.s3.put_object(Bucket=b, Key="k", Body=b"A")["VersionId"]
        self.s3.put_bucket_versioning(Bucket=b, VersioningConfiguration={"Status": "Suspended"})
        self.s3.put_object(Bucket=b, Key="k", Body=b"null bytes")
        d = self.s3.delete_object(Bucket=b, Key="k")
        self.assertTrue(d.get("DeleteMarker"), d)
        self.assertEqual(d.get("VersionId", "null"), "null")
        versions, markers, _, _ = self.all_versions(b)
        self.assertEqual([(v["VersionId"], v["IsLatest"]) for v in versions], [(a, False)])
        self.assertEqual([(m["VersionId"], m["IsLatest"]) for m in markers], [("null", True)])
        self.assertError("NoSuchKey", self.s3.get_object, Bucket=b, Key="k", status=404)
        # A second simple DELETE replaces the null marker with another: still one marker.
        self.s3.delete_object(Bucket=b, Key="k")
        _, markers, _, _ = self.all_versions(b)
        self.assertEqual(len(markers), 1)
        # Removing the null marker by id brings version A back.
        d = self.s3.delete_object(Bucket=b, Key="k", VersionId="null")
        self.assertTrue(d.get("DeleteMarker"), d)
        self.assertEqual(body_of(self.s3.get_object(Bucket=b, Key="k")), b"A")


class VersionIdRequestsTest(VersioningCase):
    def test_no_such_version_and_malformed_ids(self):
        b = self.versioned_bucket()
        mine = self.s3.put_object(Bucket=b, Key="mine", Body=b"m")["VersionId"]
        theirs = self.s3.put_object(Bucket=b, Key="theirs", Body=b"t")["VersionId"]
        gone = self.s3.put_object(Bucket=b, Key="mine", Body=b"m2")["VersionId"]
        self.s3.delete_object(Bucket=b, Key="mine", VersionId=gone)
        # A well-formed id this key does not have: 404 NoSuchVersion (HEAD has no body: a bare 404).
        for vid in (theirs, gone):
            self.assertError("NoSuchVersion", self.s3.get_object, Bucket=b, Key="mine", VersionId=vid, status=404)
            self.assertError("404", self.s3.head_object, Bucket=b, Key="mine", VersionId=vid)
            self.assertError("NoSuchVersion", self.s3.get_object_tagging, Bucket=b, Key="mine", VersionId=vid,
                             status=404)
        # DELETE of a well-formed id that does not exist succeeds (deletes are idempotent; observed AWS
        # behaviour: 204 echoing the id), on an existing key and on a missing one.
        for key in ("mine", "never"):
            d = self.s3.delete_object(Bucket=b, Key=key, VersionId=gone)
            self.assertEqual(d["ResponseMetadata"]["HTTPStatusCode"], 204)
        self.assertEqual(body_of(self.s3.get_object(Bucket=b, Key="mine")), b"m")
        # An id S3 could not have issued: 400 InvalidArgument "Invalid version id specified".
        for bad in ("not-a-version-id!", "abc"):
            with self.subTest(version_id=bad):
                err = self.assertError("InvalidArgument", self.s3.get_object, Bucket=b, Key="mine",
                                       VersionId=bad, status=400)
                self.assertEqual(err["Error"]["Message"], "Invalid version id specified")
                self.assertError("400", self.s3.head_object, Bucket=b, Key="mine", VersionId=bad)
                self.assertError("InvalidArgument", self.s3.delete_object, Bucket=b, Key="mine", VersionId=bad,
                                 status=400)
                self.assertError("InvalidArgument", self.s3.get_object_tagging, Bucket=b, Key="mine",
                                 VersionId=bad, status=400)
        # An empty versionId is refused: "Version id cannot be the empty string".
        status, _, body = self.signed("GET", "/%s/mine?versionId=" % b)
        self.assertEqual((status, error_code(body)), (400, "InvalidArgument"), body)
        self.assertIn(b"Version id cannot be the empty string", body)
        # "null" is a valid id in any bucket; here "mine" has no null version.
        self.assertError("NoSuchVersion", self.s3.get_object, Bucket=b, Key="mine", VersionId="null", status=404)
        self.assertEqual(body_of(self.s3.get_object(Bucket=b, Key="mine", VersionId=mine)), b"m")

    def test_tagging_acl_and_attributes_per_version(self):
        b = self.versioned_bucket()
        v1 = self.s3.put_object(Bucket=b, Key="k", Body=b"first", Tagging="v=1")["VersionId"]
        v2 = self.s3.put_object(Bucket=b, Key="k", Body=b"second!", Tagging="v=2")["VersionId"]
        t = self.s3.get_object_tagging(Bucket=b, Key="k", VersionId=v1)
        self.assertEqual((t.get("VersionId"), t["TagSet"]), (v1, [{"Key": "v", "Value": "1"}]))
        self.assertEqual(self.s3.get_object_tagging(Bucket=b, Key="k")["TagSet"], [{"Key": "v", "Value": "2"}])
        self.assertEqual(self.s3.get_object_tagging(Bucket=b, Key="k").get("VersionId"), v2)
        r = self.s3.put_object_tagging(Bucket=b, Key="k", VersionId=v1,
                                       Tagging={"TagSet": [{"Key": "old", "Value": "yes"}]})
        self.assertEqual(r.get("VersionId"), v1)
        self.assertEqual(self.s3.get_object_tagging(Bucket=b, Key="k", VersionId=v1)["TagSet"],
                         [{"Key": "old", "Value": "yes"}])
        self.assertEqual(self.s3.get_object_tagging(Bucket=b, Key="k", VersionId=v2)["TagSet"],
                         [{"Key": "v", "Value": "2"}])
        self.assertEqual(self.s3.get_object(Bucket=b, Key="k", VersionId=v1)["TagCount"], 1)
        # Tagging a version creates no version.
        versions, _, _, _ = self.all_versions(b)
        self.assertEqual([v["VersionId"] for v in versions], [v2, v1])
        r = self.s3.delete_object_tagging(Bucket=b, Key="k", VersionId=v1)
        self.assertEqual(r.get("VersionId"), v1)
        self.assertEqual(self.s3.get_object_tagging(Bucket=b, Key="k", VersionId=v1)["TagSet"], [])
        self.assertEqual(self.s3.get_object_tagging(Bucket=b, Key="k", VersionId=v2)["TagSet"],
                         [{"Key": "v", "Value": "2"}])

        acl = self.s3.get_object_acl(Bucket=b, Key="k", VersionId=v1)
        owner = self.s3.list_buckets()["Owner"]["ID"]
        self.assertEqual(acl["Owner"]["ID"], owner)
        self.assertEqual([(g["Grantee"].get("ID"), g["Permission"]) for g in acl["Grants"]], [(owner, "FULL_CONTROL")])
        status, headers, _ = self.signed("GET", "/%s/k?acl&versionId=%s" % (b, v1))
        self.assertEqual((status, headers.get("x-amz-version-id")), (200, v1))

        for vid, data in ((v1, b"first"), (v2, b"second!")):
            a = self.s3.get_object_attributes(Bucket=b, Key="k", VersionId=vid, ObjectAttributes=["ETag", "ObjectSize"])
            self.assertEqual((a.get("VersionId"), a["ObjectSize"], a["ETag"]),
                             (vid, len(data), hashlib.md5(data).hexdigest()))
        latest = self.s3.get_object_attributes(Bucket=b, Key="k", ObjectAttributes=["ObjectSize"])
        self.assertEqual(latest.get("VersionId"), v2)

    def test_copy_and_upload_part_copy_from_a_source_version(self):
        b = self.versioned_bucket()
        dst = self.versioned_bucket()
        v1 = self.s3.put_object(Bucket=b, Key="src", Body=b"version one")["VersionId"]
        v2 = self.s3.put_object(Bucket=b, Key="src", Body=b"version two")["VersionId"]
        c = self.s3.copy_object(Bucket=dst, Key="copy", CopySource={"Bucket": b, "Key": "src", "VersionId": v1})
        self.assertEqual(c.get("CopySourceVersionId"), v1)
        self.assertVersionId(c["VersionId"])
        self.assertEqual(body_of(self.s3.get_object(Bucket=dst, Key="copy")), b"version one")
        c = self.s3.copy_object(Bucket=dst, Key="copy", CopySource={"Bucket": b, "Key": "src"})
        self.assertEqual(c.get("CopySourceVersionId"), v2, "without a source version id the latest is copied")
        self.assertEqual(body_of(self.s3.get_object(Bucket=dst, Key="copy")), b"version two")

        uid = self.s3.create_multipart_upload(Bucket=dst, Key="mp")["UploadId"]
        part = self.s3.upload_part_copy(Bucket=dst, Key="mp", UploadId=uid, PartNumber=1,
                                        CopySource={"Bucket": b, "Key": "src", "VersionId": v1})
        self.assertEqual(part.get("CopySourceVersionId"), v1)
        done = self.s3.complete_multipart_upload(Bucket=dst, Key="mp", UploadId=uid, MultipartUpload={
            "Parts": [{"PartNumber": 1, "ETag": part["CopyPartResult"]["ETag"]}]})
        self.assertVersionId(done["VersionId"])
        self.assertEqual(body_of(self.s3.get_object(Bucket=dst, Key="mp")), b"version one")

        # Unknown and malformed source versions.
        self.assertError("NoSuchVersion", self.s3.copy_object, Bucket=dst, Key="x",
                         CopySource={"Bucket": b, "Key": "src", "VersionId": done["VersionId"]}, status=404)
        self.assertError("InvalidArgument", self.s3.copy_object, Bucket=dst, Key="x",
                         CopySource={"Bucket": b, "Key": "src", "VersionId": "abc"}, status=400)
        # Source whose latest version is a delete marker: a plain copy finds no object.
        self.s3.delete_object(Bucket=b, Key="src")
        self.assertError("NoSuchKey", self.s3.copy_object, Bucket=dst, Key="x",
                         CopySource={"Bucket": b, "Key": "src"}, status=404)
        # ...while a named older version still copies.
        c = self.s3.copy_object(Bucket=dst, Key="x", CopySource={"Bucket": b, "Key": "src", "VersionId": v2})
        self.assertEqual(c.get("CopySourceVersionId"), v2)


class DeleteMarkerTest(VersioningCase):
    def test_a_delete_marker_belongs_to_whoever_deleted(self):
        b = self.versioned_bucket()
        self.s3.put_object(Bucket=b, Key="k", Body=b"data")
        grant = {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
                 "Action": ["s3:DeleteObject", "s3:ListBucketVersions"],
                 "Resource": ["arn:aws:s3:::%s" % b, "arn:aws:s3:::%s/*" % b]}
        self.s3.put_bucket_policy(Bucket=b, Policy=json.dumps({"Version": "2012-10-17", "Statement": [grant]}))
        other = self.server.boto3_client("s3", access_key="other", secret_key="other")
        marker = other.delete_object(Bucket=b, Key="k")
        self.assertTrue(marker["DeleteMarker"])
        (m,) = self.s3.list_object_versions(Bucket=b)["DeleteMarkers"]
        self.assertEqual(m["VersionId"], marker["VersionId"])
        mine = self.s3.list_buckets()["Owner"]["ID"]
        theirs = other.list_buckets()["Owner"]["ID"]
        self.assertNotEqual(mine, theirs)
        self.assertEqual(m["Owner"]["ID"], theirs)

    def test_delete_marker_lifecycle(self):
        b = self.versioned_bucket()
        v1 = self.s3.put_object(Bucket=b, Key="k", Body=b"data")["VersionId"]
        # A simple DELETE in a versioned bucket adds a marker: 204, x-amz-delete-marker: true and the
        # marker's version id (API_DeleteObject).
        status, headers, _ = self.signed("DELETE", "/%s/k" % b)
        self.assertEqual(status, 204)
        self.assertEqual(headers.get("x-amz-delete-marker"), "true")
        m1 = headers.get("x-amz-version-id")
        self.assertVersionId(m1)
        self.assertNotEqual(m1, v1)

        # "If the current version of the object is a delete marker, Amazon S3 behaves as if the object was
        # deleted and includes x-amz-delete-marker: true in the response." (API_GetObject)
        status, headers, body = self.signed("GET", "/%s/k" % b)
        self.assertEqual((status, error_code(body)), (404, "NoSuchKey"), body)
        self.assertEqual(headers.get("x-amz-delete-marker"), "true")
        status, headers, _ = self.signed("HEAD", "/%s/k" % b)
        self.assertEqual((status, headers.get("x-amz-delete-marker")), (404, "true"))
        self.assertError("NoSuchKey", self.s3.get_object, Bucket=b, Key="k", status=404)

        # "If the specified version in the request is a delete marker, the response returns a 405 Method
        # Not Allowed error and the Last-Modified: timestamp response header." (API_GetObject, API_HeadObject)
        for method in ("GET", "HEAD"):
            status, headers, body = self.signed(method, "/%s/k?versionId=%s" % (b, m1))
            self.assertEqual(status, 405, method)
            self.assertEqual(headers.get("x-amz-delete-marker"), "true", method)
            self.assertTrue(headers.get("last-modified"), method)
            if method == "GET":
                self.assertEqual(error_code(body), "MethodNotAllowed")
        self.assertError("MethodNotAllowed", self.s3.get_object, Bucket=b, Key="k", VersionId=m1, status=405)
        self.assertError("405", self.s3.head_object, Bucket=b, Key="k", VersionId=m1)

        # The old version is still readable by id, but listings of current objects skip the key.
        self.assertEqual(body_of(self.s3.get_object(Bucket=b, Key="k", VersionId=v1)), b"data")
        self.assertNotIn("Contents", self.s3.list_objects_v2(Bucket=b))
        self.assertNotIn("Contents", self.s3.list_objects(Bucket=b))
        versions, markers, _, _ = self.all_versions(b)
        self.assertEqual([(v["VersionId"], v["IsLatest"]) for v in versions], [(v1, False)])
        self.assertEqual([(m["Key"], m["VersionId"], m["IsLatest"]) for m in markers], [("k", m1, True)])
        self.assertEqual(markers[0]["Owner"]["ID"], self.s3.list_buckets()["Owner"]["ID"])

        # A second simple DELETE stacks another marker.
        m2 = self.s3.delete_object(Bucket=b, Key="k")["VersionId"]
        self.assertNotEqual(m2, m1)
        _, markers, _, _ = self.all_versions(b)
        self.assertEqual([(m["VersionId"], m["IsLatest"]) for m in markers], [(m2, True), (m1, False)])

        # Deleting a marker by id removes it for good; the answer says it was a marker.
        for m in (m2, m1):
            status, headers, _ = self.signed("DELETE", "/%s/k?versionId=%s" % (b, m))
            self.assertEqual(status, 204)
            self.assertEqual((headers.get("x-amz-delete-marker"), headers.get("x-amz-version-id")), ("true", m))
        got = self.s3.get_object(Bucket=b, Key="k")
        self.assertEqual((got["VersionId"], body_of(got)), (v1, b"data"), "the previous version is current again")

        # Deleting the last real version by id: gone for good, no marker, nothing listed.
        d = self.s3.delete_object(Bucket=b, Key="k", VersionId=v1)
        self.assertEqual(d.get("VersionId"), v1)
        self.assertNotIn("DeleteMarker", d)
        self.assertError("NoSuchKey", self.s3.get_object, Bucket=b, Key="k", status=404)
        self.assertError("NoSuchVersion", self.s3.get_object, Bucket=b, Key="k", VersionId=v1, status=404)
        self.assertEqual(self.all_versions(b)[:2], ([], []))

    def test_delete_by_id_makes_the_previous_version_current(self):
        b = self.versioned_bucket()
        ids = [self.s3.put_object(Bucket=b, Key="k", Body=b"%d" % i)["VersionId"] for i in range(3)]
        self.s3.delete_object(Bucket=b, Key="k", VersionId=ids[2])
        got = self.s3.get_object(Bucket=b, Key="k")
        self.assertEqual((got["VersionId"], body_of(got)), (ids[1], b"1"))
        versions, _, _, _ = self.all_versions(b)
        self.assertEqual([(v["VersionId"], v["IsLatest"]) for v in versions], [(ids[1], True), (ids[0], False)])
        listed = self.s3.list_objects_v2(Bucket=b)["Contents"]
        self.assertEqual([(o["Key"], o["Size"]) for o in listed], [("k", 1)])
        # Deleting a middle version leaves the current one alone.
        self.s3.delete_object(Bucket=b, Key="k", VersionId=ids[0])
        self.assertEqual(self.s3.get_object(Bucket=b, Key="k")["VersionId"], ids[1])

    def test_simple_delete_of_a_missing_key_still_adds_a_marker(self):
        b = self.versioned_bucket()
        d = self.s3.delete_object(Bucket=b, Key="never-written")
        self.assertTrue(d.get("DeleteMarker"), d)
        self.assertVersionId(d["VersionId"])
        _, markers, _, _ = self.all_versions(b)
        self.assertEqual([(m["Key"], m["VersionId"]) for m in markers], [("never-written", d["VersionId"])])

    def test_delete_objects_with_version_ids_and_markers(self):
        b = self.versioned_bucket()
        a1 = self.s3.put_object(Bucket=b, Key="a", Body=b"a1")["VersionId"]
        a2 = self.s3.put_object(Bucket=b, Key="a", Body=b"a2")["VersionId"]
        self.s3.put_object(Bucket=b, Key="b", Body=b"b1")
        r = self.s3.delete_objects(Bucket=b, Delete={"Objects": [{"Key": "a", "VersionId": a1}, {"Key": "b"}]})
        self.assertNotIn("Errors", r)
        deleted = {d["Key"]: d for d in r["Deleted"]}
        self.assertEqual(set(deleted), {"a", "b"})
        self.assertEqual(deleted["a"]["VersionId"], a1)
        self.assertNotIn("DeleteMarker", deleted["a"])
        # A simple delete of "b" created a marker: DeleteMarker and DeleteMarkerVersionId.
        self.assertTrue(deleted["b"].get("DeleteMarker"), deleted["b"])
        mb = deleted["b"]["DeleteMarkerVersionId"]
        self.assertVersionId(mb)
        versions, markers, _, _ = self.all_versions(b)
        self.assertEqual(sorted((v["Key"], v["VersionId"]) for v in versions if v["Key"] == "a"), [("a", a2)])
        self.assertEqual([(m["Key"], m["VersionId"]) for m in markers], [("b", mb)])
        self.assertError("NoSuchKey", self.s3.get_object, Bucket=b, Key="b", status=404)
        # Deleting the marker by id: the result names the marker ("If you delete a specific object version,
        # the value returned by this header is the version ID of the object version deleted.").
        r = self.s3.delete_objects(Bucket=b, Delete={"Objects": [{"Key": "b", "VersionId": mb}]})
        (d,) = r["Deleted"]
        self.assertEqual((d["Key"], d["VersionId"], d["DeleteMarker"], d["DeleteMarkerVersionId"]),
                         ("b", mb, True, mb))
        self.assertEqual(body_of(self.s3.get_object(Bucket=b, Key="b")), b"b1")
        # Quiet mode reports nothing on success.
        r = self.s3.delete_objects(Bucket=b, Delete={"Objects": [{"Key": "a", "VersionId": a2}], "Quiet": True})
        self.assertNotIn("Deleted", r)
        self.assertNotIn("Errors", r)
        self.assertError("NoSuchKey", self.s3.get_object, Bucket=b, Key="a", status=404)
        # Per-key results: a malformed version id is an error for that key only (AWS answers it
        # NoSuchVersion "The specified version does not exist." inside DeleteResult, not InvalidArgument
        # as DeleteObject does), a well-formed id that does not exist counts as deleted.
        r = self.s3.delete_objects(Bucket=b, Delete={"Objects": [{"Key": "b", "VersionId": "abc"}, {"Key": "c"},
                                                                 {"Key": "a", "VersionId": a1}]})
        self.assertEqual([(e["Key"], e.get("VersionId"), e["Code"]) for e in r.get("Errors", [])],
                         [("b", "abc", "NoSuchVersion")])
        self.assertEqual(sorted(d["Key"] for d in r["Deleted"]), ["a", "c"])
        self.assertEqual(body_of(self.s3.get_object(Bucket=b, Key="b")), b"b1")


class ListObjectVersionsTest(VersioningCase):
    KEYS = ["a", "b/1", "b/2", "b/sub/3", "c d+e&\u00fc", "z"]

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.b = "versions-listing"
        cls.s3.create_bucket(Bucket=cls.b)
        cls.s3.put_bucket_versioning(Bucket=cls.b, VersioningConfiguration={"Status": "Enabled"})
        # expected: key -> entries newest first, each (kind, version id)
        cls.expected, cls.content = {}, {}
        for n, key in enumerate(cls.KEYS):
            entries = []
            for i in range(n % 3 + 1):
                data = ("%s#%d" % (key, i)).encode()
                vid = cls.s3.put_object(Bucket=cls.b, Key=key, Body=data)["VersionId"]
                cls.content[vid] = data
                entries.insert(0, ("Version", vid))
            cls.expected[key] = entries
        # "b/2": a marker on top; "z": a marker between two versions.
        m = cls.s3.delete_object(Bucket=cls.b, Key="b/2")["VersionId"]
        cls.expected["b/2"].insert(0, ("DeleteMarker", m))
        m = cls.s3.delete_object(Bucket=cls.b, Key="z")["VersionId"]
        cls.expected["z"].insert(0, ("DeleteMarker", m))
        vid = cls.s3.put_object(Bucket=cls.b, Key="z", Body=b"z again")["VersionId"]
        cls.content[vid] = b"z again"
        cls.expected["z"].insert(0, ("Version", vid))

    def flat(self, keys=None):
        out = []
        for key in sorted(keys or self.KEYS, key=lambda k: k.encode()):
            for i, (kind, vid) in enumerate(self.expected[key]):
                out.append((kind, key, vid, i == 0))
        return out

    def test_order_and_is_latest(self):
        # Keys in UTF-8 byte order; each key's versions and delete markers together, newest first; only
        # the first is IsLatest.
        root, entries = self.raw_versions(self.b, "&encoding-type=url")
        decoded = [(k, urllib.parse.unquote_plus(key), vid, latest) for k, key, vid, latest in entries]
        self.assertEqual(decoded, self.flat())
        self.assertEqual(root.findtext(NS + "Name"), self.b)
        self.assertEqual(root.findtext(NS + "MaxKeys"), "1000")
        self.assertEqual(root.findtext(NS + "IsTruncated"), "false")
        versions, markers, _, _ = self.all_versions(self.b)
        self.assertEqual(sorted(v["VersionId"] for v in versions), sorted(self.content))
        for v in versions:
            data = self.content[v["VersionId"]]
            self.assertEqual((v["Size"], v["ETag"], v["StorageClass"]),
                             (len(data), '"%s"' % hashlib.md5(data).hexdigest(), "STANDARD"))
            self.assertTrue(data.startswith(v["Key"].encode()))
            self.assertIn("LastModified", v)
            self.assertIn("ID", v["Owner"])
        self.assertEqual(sorted(m["Key"] for m in markers), ["b/2", "z"])
        self.assertEqual([m["Key"] for m in markers if m["IsLatest"]], ["b/2"])

    def test_prefix_and_delimiter(self):
        versions, markers, prefixes, _ = self.all_versions(self.b, Prefix="b/")
        got = sorted((v["Key"], v["VersionId"]) for v in versions) + sorted((m["Key"], m["VersionId"]) for m in markers)
        want = sorted((k, vid) for kind, k, vid, _ in self.flat(["b/1", "b/2", "b/sub/3"]) if kind == "Version") + \
            sorted((k, vid) for kind, k, vid, _ in self.flat(["b/1", "b/2", "b/sub/3"]) if kind == "DeleteMarker")
        self.assertEqual(got, want)
        self.assertEqual(prefixes, [])
        versions, markers, prefixes, _ = self.all_versions(self.b, Delimiter="/")
        self.assertEqual(prefixes, ["b/"])
        self.assertEqual(sorted({v["Key"] for v in versions} | {m["Key"] for m in markers}), ["a", "c d+e&\u00fc", "z"])
        versions, markers, prefixes, _ = self.all_versions(self.b, Prefix="b/", Delimiter="/")
        self.assertEqual(prefixes, ["b/sub/"])
        self.assertEqual(sorted({v["Key"] for v in versions} | {m["Key"] for m in markers}), ["b/1", "b/2"])
        page = self.s3.list_object_versions(Bucket=self.b, Prefix="nothing-here")
        self.assertNotIn("Versions", page)
        self.assertFalse(page["IsTruncated"])

    def test_key_marker_and_version_id_marker(self):
        # key-marker alone: listing starts after that key ("KeyMarker: Marks the last key returned in a
        # truncated response"; with no version-id-marker the listing resumes at the next key).
        _, entries = self.raw_versions(self.b, "&key-marker=b%2F2")
        self.assertEqual([e[1] for e in entries], [e[1] for e in self.flat() if e[1].encode() > b"b/2"])
        # key-marker + version-id-marker: the versions of that key after (older than) the marker, then
        # the following keys.
        key = "b/sub/3"
        first = self.expected[key][0][1]
        _, entries = self.raw_versions(self.b, "&key-marker=%s&version-id-marker=%s" %
                                       (urllib.parse.quote(key, safe=""), first))
        want = [e for e in self.flat() if e[1] == key][1:] + [e for e in self.flat() if e[1].encode() > key.encode()]
        self.assertEqual(entries[:len(want)], want)
        self.assertEqual(len(entries), len(want))
        # A version-id-marker needs a key-marker: 400 InvalidArgument.
        status, _, body = self.signed("GET", "/%s?versions&version-id-marker=%s" % (self.b, first))
        self.assertEqual((status, error_code(body)), (400, "InvalidArgument"), body)

    def test_max_keys_paging_walks_everything_once(self):
        for max_keys in (1, 2, 3, 7):
            with self.subTest(max_keys=max_keys):
                entries, pages = self.raw_all_versions(self.b, max_keys, "&encoding-type=url")
                decoded = [(k, urllib.parse.unquote_plus(key), vid, latest) for k, key, vid, latest in entries]
                self.assertEqual(decoded, self.flat())
                # A last page that happens to be full may or may not be followed by an empty one.
                self.assertIn(pages, (-(-len(decoded) // max_keys), -(-len(decoded) // max_keys) + 1))
        # boto3's view of the same, checking the Next* markers on each page.
        def check(page):
            if page["IsTruncated"]:
                self.assertIn("NextKeyMarker", page)
                self.assertIn("NextVersionIdMarker", page)
                self.assertEqual(len(page.get("Versions", [])) + len(page.get("DeleteMarkers", [])), 2)
        versions, markers, _, pages = self.all_versions(self.b, page_check=check, MaxKeys=2)
        self.assertEqual(sorted(v["VersionId"] for v in versions + markers), sorted(e[2] for e in self.flat()))
        # Delimiter with paging: a common prefix counts toward max-keys.
        _, _, prefixes, _ = self.all_versions(self.b, Delimiter="/", MaxKeys=1)
        self.assertEqual(prefixes, ["b/"])
        # max-keys must be a non-negative integer.
        status, _, body = self.signed("GET", "/%s?versions&max-keys=abc" % self.b)
        self.assertEqual((status, error_code(body)), (400, "InvalidArgument"), body)

    def test_encoding_type_url(self):
        key = "c d+e&\u00fc"
        # botocore leaves values encoded when the caller asked for the encoding itself.
        page = self.s3.list_object_versions(Bucket=self.b, EncodingType="url", Prefix="c ")
        self.assertEqual(page.get("EncodingType"), "url")
        keys = {v["Key"] for v in page["Versions"]}
        self.assertEqual(len(keys), 1)
        (encoded,) = keys
        self.assertEqual(urllib.parse.unquote_plus(encoded), key)
        for ch in (" ", "&", "\u00fc"):  # a literal "+" must come back as %2B (unquote_plus would read a space)
            self.assertNotIn(ch, encoded)
        self.assertEqual(urllib.parse.unquote_plus(page["Prefix"]), "c ")
        # Without encoding-type the raw XML carries the key itself (XML-escaped).
        status, _, body = self.signed("GET", "/%s?versions&prefix=c%%20" % self.b)
        self.assertEqual(status, 200)
        self.assertEqual({e.findtext(NS + "Key") for e in ET.fromstring(body).iter(NS + "Version")}, {key})
        status, _, body = self.signed("GET", "/%s?versions&encoding-type=base64" % self.b)
        self.assertEqual((status, error_code(body)), (400, "InvalidArgument"), body)

    def test_list_objects_shows_only_current_non_marker_versions(self):
        current = [k for k in self.KEYS if self.expected[k][0][0] == "Version"]
        listed = self.s3.list_objects_v2(Bucket=self.b)["Contents"]
        self.assertEqual([o["Key"] for o in listed], sorted(current, key=lambda k: k.encode()))
        z = [o for o in listed if o["Key"] == "z"][0]
        self.assertEqual(z["Size"], len(b"z again"))
        self.assertEqual([o["Key"] for o in self.s3.list_objects(Bucket=self.b)["Contents"]],
                         sorted(current, key=lambda k: k.encode()))
        page = self.s3.list_objects_v2(Bucket=self.b, MaxKeys=2)
        self.assertEqual(page["KeyCount"], 2)
        page = self.s3.list_objects_v2(Bucket=self.b, Delimiter="/")
        self.assertEqual([p["Prefix"] for p in page["CommonPrefixes"]], ["b/"])
        # A folder whose every key is behind a delete marker is no common prefix.
        b = self.versioned_bucket()
        self.s3.put_object(Bucket=b, Key="gone/x", Body=b"x")
        self.s3.put_object(Bucket=b, Key="kept/y", Body=b"y")
        self.s3.delete_object(Bucket=b, Key="gone/x")
        page = self.s3.list_objects_v2(Bucket=b, Delimiter="/")
        self.assertEqual([p["Prefix"] for p in page.get("CommonPrefixes", [])], ["kept/"])
        self.assertEqual(page["KeyCount"], 1)
        _, _, prefixes, _ = self.all_versions(b, Delimiter="/")
        self.assertEqual(prefixes, ["gone/", "kept/"], "ListObjectVersions still sees the versions")

    def test_never_versioned_bucket_lists_null_versions(self):
        b = self.bucket()
        for k in ("x", "y/z"):
            self.s3.put_object(Bucket=b, Key=k, Body=b"1")
        self.s3.put_object(Bucket=b, Key="x", Body=b"22")
        versions, markers, _, _ = self.all_versions(b)
        self.assertEqual(markers, [])
        self.assertEqual([(v["Key"], v["VersionId"], v["IsLatest"], v["Size"]) for v in versions],
                         [("x", "null", True, 2), ("y/z", "null", True, 1)])
        self.assertError("NoSuchBucket", self.s3.list_object_versions, Bucket="no-such-bucket-vers", status=404)
        other = self.server.boto3_client("s3", access_key="other", secret_key="other")
        self.assertError("AccessDenied", other.list_object_versions, Bucket=b, status=403)


class VersionedBucketDeletionTest(VersioningCase):
    def test_delete_bucket_refused_while_any_version_or_marker_exists(self):
        b = self.versioned_bucket()
        v = self.s3.put_object(Bucket=b, Key="k", Body=b"x")["VersionId"]
        m = self.s3.delete_object(Bucket=b, Key="k")["VersionId"]
        self.assertNotIn("Contents", self.s3.list_objects_v2(Bucket=b))
        self.assertError("BucketNotEmpty", self.s3.delete_bucket, Bucket=b, status=409)
        self.s3.delete_object(Bucket=b, Key="k", VersionId=v)
        self.assertError("BucketNotEmpty", self.s3.delete_bucket, Bucket=b, status=409)  # the marker is left
        self.s3.delete_object(Bucket=b, Key="k", VersionId=m)
        self.s3.delete_bucket(Bucket=b)
        self.assertError("404", self.s3.head_bucket, Bucket=b)

    def test_suspended_bucket_with_old_versions_is_not_empty(self):
        b = self.versioned_bucket()
        v = self.s3.put_object(Bucket=b, Key="k", Body=b"x")["VersionId"]
        self.s3.put_bucket_versioning(Bucket=b, VersioningConfiguration={"Status": "Suspended"})
        self.s3.delete_object(Bucket=b, Key="k")  # a null marker over version v
        self.assertError("BucketNotEmpty", self.s3.delete_bucket, Bucket=b, status=409)
        self.s3.delete_object(Bucket=b, Key="k", VersionId="null")
        self.s3.delete_object(Bucket=b, Key="k", VersionId=v)
        self.s3.delete_bucket(Bucket=b)

    def test_empty_and_delete_the_way_the_boto3_docs_show(self):
        # boto3's guide: bucket.object_versions.delete() and then bucket.delete() (DeleteObjects by page).
        b = self.versioned_bucket()
        client = self.server.boto3_client("s3")

        def put(i):
            client.put_object(Bucket=b, Key="k%04d" % (i % 700), Body=b"%d" % i)

        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            list(pool.map(put, range(1500)))
        for i in range(0, 700, 7):
            self.s3.delete_object(Bucket=b, Key="k%04d" % i)
        resource = self.server.boto3_resource("s3")
        bucket = resource.Bucket(b)
        self.assertEqual(sum(1 for _ in bucket.object_versions.all()), 1600)
        bucket.object_versions.delete()
        self.assertEqual(self.all_versions(b)[:2], ([], []))
        bucket.delete()
        self.assertNotIn(b, [x["Name"] for x in self.s3.list_buckets()["Buckets"]])


if __name__ == "__main__":
    unittest.main()
