"""S3 lifecycle through boto3: the configuration round trip and AWS's validation errors, every rule
kind taking effect on the emulator clock at AWS's rounded midnight (and not a second before), the
x-amz-expiration / x-amz-abort-* headers, archived objects and RestoreObject, Object Lock keeping
versions, and the background sweep (--lifecycle-interval)."""
import base64
import datetime
import hashlib
import json
import os
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from s3_support import S3TestCase  # noqa: E402

UTC = datetime.timezone.utc


def rule(**kw):
    r = {"ID": kw.pop("ID", "r1"), "Status": kw.pop("Status", "Enabled"), "Filter": kw.pop("Filter", {})}
    r.update(kw)
    return r


class LifecycleCase(S3TestCase):
    def at(self, when):
        """Sets the emulator clock (frozen) to an ISO time."""
        status, _, raw = self.server.request("POST", "/_localaws/clock",
                                             json.dumps({"set": when, "freeze": True}).encode())
        self.assertEqual(status, 200, raw)

    def sweep(self, bucket):
        status, _, raw = self.server.post("/_localaws/lifecycle/run")
        self.assertEqual(status, 200, raw)
        out = json.loads(raw)
        out["mine"] = [a for a in out["actions"] if a["bucket"] == bucket]
        return out

    def put_rules(self, bucket, *rules, **kw):
        self.s3.put_bucket_lifecycle_configuration(Bucket=bucket, LifecycleConfiguration={"Rules": list(rules)}, **kw)

    def keys(self, bucket):
        return [o["Key"] for o in self.s3.list_objects_v2(Bucket=bucket).get("Contents", [])]

    def versions(self, bucket):
        r = self.s3.list_object_versions(Bucket=bucket)
        return ([(v["Key"], v["VersionId"]) for v in r.get("Versions", [])],
                [(m["Key"], m["VersionId"]) for m in r.get("DeleteMarkers", [])])

    def versioned_bucket(self, **kw):
        b = self.bucket()
        self.s3.put_bucket_versioning(Bucket=b, VersioningConfiguration={"Status": "Enabled"})
        return b

    def raw_put(self, bucket, xml, md5=True, headers=None):
        body = xml.encode()
        h = dict(headers or {})
        if md5:
            h["Content-MD5"] = base64.b64encode(hashlib.md5(body).digest()).decode()
        return self.signed("PUT", "/%s?lifecycle" % bucket, body, h)


class ConfigurationTest(LifecycleCase):
    def test_round_trip_of_every_element(self):
        b = self.bucket()
        rules = [
            rule(ID="expire-logs", Filter={"Prefix": "logs/"}, Expiration={"Days": 30},
                 Transitions=[{"Days": 0, "StorageClass": "GLACIER_IR"}, {"Days": 10, "StorageClass": "DEEP_ARCHIVE"}]),
            rule(ID="tagged", Filter={"Tag": {"Key": "class", "Value": "tmp"}}, Expiration={"Days": 1}),
            rule(ID="and", Filter={"And": {"Prefix": "a/", "Tags": [{"Key": "k", "Value": "v"}],
                                           "ObjectSizeGreaterThan": 10, "ObjectSizeLessThan": 1000}},
                 Transitions=[{"Days": 30, "StorageClass": "STANDARD_IA"}, {"Days": 60, "StorageClass": "GLACIER"}]),
            rule(ID="big", Filter={"ObjectSizeGreaterThan": 5000}, Status="Disabled",
                 Expiration={"Date": datetime.datetime(2031, 1, 1, tzinfo=UTC)}),
            rule(ID="versions", Filter={"Prefix": "v/"},
                 NoncurrentVersionExpiration={"NoncurrentDays": 40, "NewerNoncurrentVersions": 3},
                 NoncurrentVersionTransitions=[{"NoncurrentDays": 30, "StorageClass": "ONEZONE_IA",
                                                "NewerNoncurrentVersions": 2}],
                 AbortIncompleteMultipartUpload={"DaysAfterInitiation": 7}),
            rule(ID="markers", Filter={}, Expiration={"ExpiredObjectDeleteMarker": True}),
        ]
        r = self.s3.put_bucket_lifecycle_configuration(Bucket=b, LifecycleConfiguration={"Rules": rules})
        self.assertEqual(r["TransitionDefaultMinimumObjectSize"], "all_storage_classes_128K")
        got = self.s3.get_bucket_lifecycle_configuration(Bucket=b)
        self.assertEqual(got["TransitionDefaultMinimumObjectSize"], "all_storage_classes_128K")
        self.assertEqual(len(got["Rules"]), len(rules))
        for want, have in zip(rules, got["Rules"]):
            self.assertEqual(have, want)

    def test_legacy_prefix_rule_without_id_gets_one(self):
        b = self.bucket()
        self.s3.put_bucket_lifecycle_configuration(Bucket=b, LifecycleConfiguration={
            "Rules": [{"Prefix": "old/", "Status": "Enabled", "Expiration": {"Days": 3}}]})
        got = self.s3.get_bucket_lifecycle_configuration(Bucket=b)["Rules"][0]
        self.assertEqual(got["Prefix"], "old/")
        self.assertNotIn("Filter", got)
        self.assertTrue(got["ID"])

    def test_minimum_object_size_header_round_trip(self):
        b = self.bucket()
        r = self.s3.put_bucket_lifecycle_configuration(
            Bucket=b, TransitionDefaultMinimumObjectSize="varies_by_storage_class",
            LifecycleConfiguration={"Rules": [rule(Transitions=[{"Days": 1, "StorageClass": "GLACIER"}])]})
        self.assertEqual(r["TransitionDefaultMinimumObjectSize"], "varies_by_storage_class")
        got = self.s3.get_bucket_lifecycle_configuration(Bucket=b)
        self.assertEqual(got["TransitionDefaultMinimumObjectSize"], "varies_by_storage_class")

    def test_delete_and_missing(self):
        b = self.bucket()
        self.assertError("NoSuchLifecycleConfiguration", self.s3.get_bucket_lifecycle_configuration, Bucket=b,
                         status=404)
        self.put_rules(b, rule(Expiration={"Days": 1}))
        self.s3.delete_bucket_lifecycle(Bucket=b)
        self.assertError("NoSuchLifecycleConfiguration", self.s3.get_bucket_lifecycle_configuration, Bucket=b)
        self.s3.delete_bucket_lifecycle(Bucket=b)  # 204 whether or not there is one

    def test_replacing_the_configuration_replaces_every_rule(self):
        b = self.bucket()
        self.put_rules(b, rule(ID="one", Expiration={"Days": 1}), rule(ID="two", Filter={"Prefix": "x"},
                                                                        Expiration={"Days": 2}))
        self.put_rules(b, rule(ID="three", Expiration={"Days": 3}))
        got = self.s3.get_bucket_lifecycle_configuration(Bucket=b)["Rules"]
        self.assertEqual([r["ID"] for r in got], ["three"])


class ValidationTest(LifecycleCase):
    def bad(self, code, *rules, status=400):
        b = self.bucket()
        err = self.assertError(code, self.put_rules, b, *rules, status=status)
        self.assertError("NoSuchLifecycleConfiguration", self.s3.get_bucket_lifecycle_configuration, Bucket=b)
        return err["Error"].get("Message", "")

    def test_days_must_be_positive(self):
        self.bad("InvalidArgument", rule(Expiration={"Days": 0}))
        self.bad("InvalidArgument", rule(Expiration={"Days": -3}))
        self.bad("InvalidArgument", rule(NoncurrentVersionExpiration={"NoncurrentDays": 0}))
        self.bad("InvalidArgument", rule(AbortIncompleteMultipartUpload={"DaysAfterInitiation": 0}))
        self.bad("InvalidArgument", rule(NoncurrentVersionExpiration={"NoncurrentDays": 1,
                                                                      "NewerNoncurrentVersions": 101}))

    def test_date_must_be_midnight_utc(self):
        msg = self.bad("InvalidArgument", rule(Expiration={"Date": datetime.datetime(2031, 1, 1, 10, 0, tzinfo=UTC)}))
        self.assertIn("midnight", msg)
        self.bad("InvalidArgument", rule(Transitions=[{"Date": datetime.datetime(2031, 1, 1, 0, 0, 1, tzinfo=UTC),
                                                       "StorageClass": "GLACIER"}]))

    def test_tag_filter_with_abort_and_marker_with_days(self):
        self.bad("InvalidRequest", rule(Filter={"Tag": {"Key": "a", "Value": "b"}},
                                        AbortIncompleteMultipartUpload={"DaysAfterInitiation": 1}))
        self.bad("MalformedXML", rule(Expiration={"Days": 1, "ExpiredObjectDeleteMarker": True}))
        self.bad("InvalidRequest", rule(Filter={"Tag": {"Key": "a", "Value": "b"}},
                                        Expiration={"ExpiredObjectDeleteMarker": True}))

    def test_rule_count_and_ids(self):
        many = [rule(ID="r%d" % i, Filter={"Prefix": "p%d/" % i}, Expiration={"Days": 1}) for i in range(1001)]
        self.bad("InvalidArgument", *many)
        ok = self.bucket()
        self.put_rules(ok, *many[:1000])
        self.assertEqual(len(self.s3.get_bucket_lifecycle_configuration(Bucket=ok)["Rules"]), 1000)
        self.bad("InvalidArgument", rule(ID="same", Expiration={"Days": 1}),
                 rule(ID="same", Filter={"Prefix": "x"}, Expiration={"Days": 2}))
        self.bad("InvalidArgument", rule(ID="x" * 256, Expiration={"Days": 1}))

    def test_transition_minimums_and_order(self):
        self.bad("InvalidArgument", rule(Transitions=[{"Days": 29, "StorageClass": "STANDARD_IA"}]))
        self.bad("InvalidArgument", rule(NoncurrentVersionTransitions=[{"NoncurrentDays": 10,
                                                                        "StorageClass": "ONEZONE_IA"}]))
        # Leaving STANDARD_IA needs 30 more days there.
        self.bad("InvalidArgument", rule(Transitions=[{"Days": 30, "StorageClass": "STANDARD_IA"},
                                                      {"Days": 40, "StorageClass": "GLACIER"}]))
        # DEEP_ARCHIVE comes after GLACIER.
        self.bad("InvalidArgument", rule(Transitions=[{"Days": 50, "StorageClass": "GLACIER"},
                                                      {"Days": 20, "StorageClass": "DEEP_ARCHIVE"}]))
        self.bad("InvalidArgument", rule(Transitions=[{"Days": 5, "StorageClass": "GLACIER"},
                                                      {"Days": 9, "StorageClass": "GLACIER"}]))
        self.bad("InvalidArgument", rule(Expiration={"Days": 10}, Transitions=[{"Days": 10, "StorageClass": "GLACIER"}]))
        self.bad("InvalidRequest", rule(Expiration={"Date": datetime.datetime(2031, 1, 1, tzinfo=UTC)},
                                        Transitions=[{"Days": 1, "StorageClass": "GLACIER"}]))
        self.bad("MalformedXML", rule(Transitions=[{"Days": 1, "StorageClass": "STANDARD"}]))
        self.bad("InvalidArgument", rule(NoncurrentVersionExpiration={"NoncurrentDays": 30},
                                         NoncurrentVersionTransitions=[{"NoncurrentDays": 30,
                                                                        "StorageClass": "GLACIER"}]))

    def test_no_action_and_overlapping_legacy_prefixes(self):
        self.bad("InvalidRequest", rule())
        b = self.bucket()
        self.assertError("InvalidRequest", self.s3.put_bucket_lifecycle_configuration, Bucket=b,
                         LifecycleConfiguration={"Rules": [
                             {"ID": "a", "Prefix": "logs/", "Status": "Enabled", "Expiration": {"Days": 1}},
                             {"ID": "b", "Prefix": "logs/2024", "Status": "Enabled", "Expiration": {"Days": 2}}]})
        # With <Filter> rules may overlap.
        self.put_rules(b, rule(ID="a", Filter={"Prefix": "logs/"}, Expiration={"Days": 1}),
                       rule(ID="b", Filter={"Prefix": "logs/2024"}, Expiration={"Days": 2}))

    def test_malformed_documents(self):
        b = self.bucket()
        cases = [
            "not xml",
            "<LifecycleConfiguration></LifecycleConfiguration>",
            "<LifecycleConfiguration><Rule><ID>a</ID><Filter/><Expiration><Days>1</Days></Expiration></Rule>"
            "</LifecycleConfiguration>",  # no Status
            "<LifecycleConfiguration><Rule><ID>a</ID><Status>On</Status><Filter/><Expiration><Days>1</Days>"
            "</Expiration></Rule></LifecycleConfiguration>",
            "<LifecycleConfiguration><Rule><ID>a</ID><Status>Enabled</Status><Prefix>x</Prefix><Filter/>"
            "<Expiration><Days>1</Days></Expiration></Rule></LifecycleConfiguration>",  # Prefix and Filter
            "<LifecycleConfiguration><Rule><ID>a</ID><Status>Enabled</Status><Expiration><Days>1</Days>"
            "</Expiration></Rule></LifecycleConfiguration>",  # neither
            "<LifecycleConfiguration><Rule><ID>a</ID><Status>Enabled</Status><Filter><Prefix>x</Prefix>"
            "<Tag><Key>k</Key><Value>v</Value></Tag></Filter><Expiration><Days>1</Days></Expiration></Rule>"
            "</LifecycleConfiguration>",  # two conditions without <And>
            "<LifecycleConfiguration><Rule><ID>a</ID><Status>Enabled</Status><Filter/><Expiration><Days>x</Days>"
            "</Expiration></Rule></LifecycleConfiguration>",
        ]
        for xml in cases:
            status, _, body = self.raw_put(b, xml)
            self.assertEqual(status, 400, xml)
            self.assertIn(b"<Code>MalformedXML</Code>", body, xml)

    def test_content_md5_or_checksum_required(self):
        b = self.bucket()
        xml = ("<LifecycleConfiguration><Rule><ID>a</ID><Status>Enabled</Status><Filter/><Expiration>"
               "<Days>1</Days></Expiration></Rule></LifecycleConfiguration>")
        status, _, body = self.raw_put(b, xml, md5=False)
        self.assertEqual(status, 400)
        self.assertIn(b"<Code>InvalidRequest</Code>", body)
        status, _, body = self.raw_put(b, xml, md5=False, headers={"Content-MD5": base64.b64encode(b"0" * 16).decode()})
        self.assertEqual(status, 400)
        self.assertIn(b"<Code>BadDigest</Code>", body)
        status, _, body = self.raw_put(b, xml)
        self.assertEqual(status, 200, body)
        # Both client modes: checksums only when required (Content-MD5 / CRC32 header) and by default.
        self.s3_default.put_bucket_lifecycle_configuration(Bucket=b, LifecycleConfiguration={
            "Rules": [rule(Expiration={"Days": 2})]})
        self.assertEqual(self.s3.get_bucket_lifecycle_configuration(Bucket=b)["Rules"][0]["Expiration"]["Days"], 2)


class ExpirationTest(LifecycleCase):
    def test_days_rounds_up_to_midnight_and_deletes_unversioned(self):
        b = self.bucket()
        self.at("2030-01-01T10:00:00Z")
        self.put_rules(b, rule(Filter={"Prefix": "logs/"}, Expiration={"Days": 1}))
        self.s3.put_object(Bucket=b, Key="logs/a", Body=b"a")
        self.s3.put_object(Bucket=b, Key="keep/a", Body=b"a")
        # 10:00 + 1 day = Jan 2 10:00, rounded up to Jan 3 00:00.
        self.at("2030-01-02T23:59:59Z")
        self.assertEqual(self.sweep(b)["mine"], [])
        self.assertEqual(sorted(self.keys(b)), ["keep/a", "logs/a"])
        self.at("2030-01-03T00:00:00Z")
        out = self.sweep(b)
        self.assertEqual(out["mine"], [{"bucket": b, "key": "logs/a", "versionId": "null", "action": "Expired"}])
        self.assertEqual(self.keys(b), ["keep/a"])
        self.assertEqual(self.versions(b), ([("keep/a", "null")], []))

    def test_versioned_expiration_adds_a_marker_and_keeps_the_data(self):
        b = self.versioned_bucket()
        self.at("2030-02-01T00:00:00Z")
        self.put_rules(b, rule(Expiration={"Days": 2}))
        v = self.s3.put_object(Bucket=b, Key="k", Body=b"data")["VersionId"]
        self.at("2030-02-02T23:59:59Z")
        self.sweep(b)
        self.assertEqual(self.keys(b), ["k"])
        self.at("2030-02-03T00:00:00Z")  # created exactly at midnight: due exactly two days later
        out = self.sweep(b)
        self.assertEqual([a["action"] for a in out["mine"]], ["DeleteMarkerAdded"])
        self.assertEqual(self.keys(b), [])
        versions, markers = self.versions(b)
        self.assertEqual(versions, [("k", v)])
        self.assertEqual(markers, [("k", out["mine"][0]["versionId"])])
        self.assertEqual(self.s3.get_object(Bucket=b, Key="k", VersionId=v)["Body"].read(), b"data")
        # A later sweep adds no second marker over the marker.
        self.at("2030-03-01T00:00:00Z")
        self.assertEqual([a for a in self.sweep(b)["mine"] if a["action"] == "DeleteMarkerAdded"], [])

    def test_suspended_bucket_gets_a_null_marker(self):
        b = self.versioned_bucket()
        self.s3.put_bucket_versioning(Bucket=b, VersioningConfiguration={"Status": "Suspended"})
        self.at("2030-02-01T05:00:00Z")
        self.put_rules(b, rule(Expiration={"Days": 1}))
        self.s3.put_object(Bucket=b, Key="k", Body=b"x")
        self.at("2030-02-03T00:00:00Z")
        out = self.sweep(b)
        self.assertEqual([(a["action"], a["versionId"]) for a in out["mine"]], [("DeleteMarkerAdded", "null")])
        self.assertEqual(self.versions(b), ([], [("k", "null")]))

    def test_date_rule(self):
        b = self.bucket()
        self.at("2030-01-01T00:00:00Z")
        self.put_rules(b, rule(Expiration={"Date": datetime.datetime(2030, 6, 1, tzinfo=UTC)}))
        self.s3.put_object(Bucket=b, Key="k", Body=b"x")
        head = self.s3.head_object(Bucket=b, Key="k")
        self.assertEqual(head["Expiration"], 'expiry-date="Sat, 01 Jun 2030 00:00:00 GMT", rule-id="r1"')
        self.at("2030-05-31T23:59:59Z")
        self.sweep(b)
        self.assertEqual(self.keys(b), ["k"])
        self.at("2030-06-01T00:00:00Z")
        self.sweep(b)
        self.assertEqual(self.keys(b), [])

    def test_tag_and_size_filters(self):
        b = self.bucket()
        self.at("2030-01-01T12:00:00Z")
        self.put_rules(b, rule(ID="tags", Filter={"And": {"Prefix": "t/", "Tags": [{"Key": "tmp", "Value": "1"}],
                                                          "ObjectSizeGreaterThan": 2, "ObjectSizeLessThan": 10}},
                               Expiration={"Days": 1}))
        self.s3.put_object(Bucket=b, Key="t/match", Body=b"12345", Tagging="tmp=1&x=y")
        self.s3.put_object(Bucket=b, Key="t/wrong-value", Body=b"12345", Tagging="tmp=2")
        self.s3.put_object(Bucket=b, Key="t/small", Body=b"12", Tagging="tmp=1")
        self.s3.put_object(Bucket=b, Key="t/large", Body=b"x" * 10, Tagging="tmp=1")
        self.s3.put_object(Bucket=b, Key="u/match", Body=b"12345", Tagging="tmp=1")
        self.at("2030-01-02T23:59:59Z")
        self.sweep(b)
        self.assertEqual(len(self.keys(b)), 5)
        self.at("2030-01-03T00:00:00Z")
        self.sweep(b)
        self.assertEqual(sorted(self.keys(b)), ["t/large", "t/small", "t/wrong-value", "u/match"])

    def test_disabled_rule_does_nothing(self):
        b = self.bucket()
        self.at("2030-01-01T00:00:00Z")
        self.put_rules(b, rule(Status="Disabled", Expiration={"Days": 1}))
        self.s3.put_object(Bucket=b, Key="k", Body=b"x")
        self.assertNotIn("Expiration", self.s3.head_object(Bucket=b, Key="k"))
        self.at("2031-01-01T00:00:00Z")
        self.sweep(b)
        self.assertEqual(self.keys(b), ["k"])

    def test_expiration_headers_on_put_get_head(self):
        b = self.bucket()
        self.at("2030-03-10T15:30:00Z")
        self.put_rules(b, rule(ID="short", Filter={"Prefix": "a"}, Expiration={"Days": 3}),
                       rule(ID="long", Filter={}, Expiration={"Days": 10}))
        want = 'expiry-date="Thu, 14 Mar 2030 00:00:00 GMT", rule-id="short"'
        self.assertEqual(self.s3.put_object(Bucket=b, Key="ab", Body=b"x")["Expiration"], want)
        self.assertEqual(self.s3.head_object(Bucket=b, Key="ab")["Expiration"], want)
        self.assertEqual(self.s3.get_object(Bucket=b, Key="ab")["Expiration"], want)
        self.assertEqual(self.s3.put_object(Bucket=b, Key="zz", Body=b"x")["Expiration"],
                         'expiry-date="Thu, 21 Mar 2030 00:00:00 GMT", rule-id="long"')
        other = self.bucket()
        self.assertNotIn("Expiration", self.s3.put_object(Bucket=other, Key="ab", Body=b"x"))

    def test_multipart_completion_gets_the_header(self):
        b = self.bucket()
        self.at("2030-03-10T15:30:00Z")
        self.put_rules(b, rule(Expiration={"Days": 1}))
        up = self.s3.create_multipart_upload(Bucket=b, Key="mp")
        p = self.s3.upload_part(Bucket=b, Key="mp", UploadId=up["UploadId"], PartNumber=1, Body=b"x")
        done = self.s3.complete_multipart_upload(Bucket=b, Key="mp", UploadId=up["UploadId"], MultipartUpload={
            "Parts": [{"PartNumber": 1, "ETag": p["ETag"]}]})
        self.assertEqual(done["Expiration"], 'expiry-date="Tue, 12 Mar 2030 00:00:00 GMT", rule-id="r1"')


class NoncurrentTest(LifecycleCase):
    def test_counted_from_when_the_version_became_noncurrent(self):
        b = self.versioned_bucket()
        self.at("2030-01-01T10:00:00Z")
        self.put_rules(b, rule(NoncurrentVersionExpiration={"NoncurrentDays": 2}))
        v1 = self.s3.put_object(Bucket=b, Key="k", Body=b"1")["VersionId"]
        self.at("2030-01-05T10:00:00Z")
        v2 = self.s3.put_object(Bucket=b, Key="k", Body=b"2")["VersionId"]
        # Noncurrent since Jan 5 10:00: due Jan 7 10:00 rounded to Jan 8 00:00 (not Jan 4 from creation).
        self.at("2030-01-07T23:59:59Z")
        self.assertEqual(self.sweep(b)["mine"], [])
        self.at("2030-01-08T00:00:00Z")
        out = self.sweep(b)
        self.assertEqual(out["mine"], [{"bucket": b, "key": "k", "versionId": v1, "action": "NoncurrentVersionRemoved"}])
        self.assertEqual(self.versions(b), ([("k", v2)], []))

    def test_newer_noncurrent_versions_are_kept(self):
        b = self.versioned_bucket()
        self.at("2030-01-01T00:00:00Z")
        self.put_rules(b, rule(NoncurrentVersionExpiration={"NoncurrentDays": 1, "NewerNoncurrentVersions": 2}))
        ids = [self.s3.put_object(Bucket=b, Key="k", Body=str(i).encode())["VersionId"] for i in range(5)]
        self.at("2030-01-01T23:59:59Z")
        self.sweep(b)
        self.assertEqual(len(self.versions(b)[0]), 5)
        self.at("2030-01-02T00:00:00Z")
        out = self.sweep(b)
        self.assertEqual(sorted(a["versionId"] for a in out["mine"]), sorted(ids[:2]))
        self.assertEqual(sorted(v for _, v in self.versions(b)[0]), sorted(ids[2:]))

    def test_noncurrent_delete_markers_go_too_and_expired_marker_later(self):
        b = self.versioned_bucket()
        self.at("2030-01-01T00:00:00Z")
        self.put_rules(b, rule(NoncurrentVersionExpiration={"NoncurrentDays": 1},
                               Expiration={"ExpiredObjectDeleteMarker": True}))
        v1 = self.s3.put_object(Bucket=b, Key="k", Body=b"1")["VersionId"]
        m = self.s3.delete_object(Bucket=b, Key="k")["VersionId"]
        self.at("2030-01-02T00:00:00Z")
        out = self.sweep(b)
        self.assertEqual([a["versionId"] for a in out["mine"]], [v1])
        self.assertEqual(self.versions(b), ([], [("k", m)]))
        out = self.sweep(b)  # now the marker is its key's only version
        self.assertEqual([(a["action"], a["versionId"]) for a in out["mine"]], [("ExpiredDeleteMarkerRemoved", m)])
        self.assertEqual(self.versions(b), ([], []))


class DeleteMarkerTest(LifecycleCase):
    def test_expired_object_delete_marker(self):
        b = self.versioned_bucket()
        self.at("2030-01-01T00:00:00Z")
        self.put_rules(b, rule(Expiration={"ExpiredObjectDeleteMarker": True}))
        v = self.s3.put_object(Bucket=b, Key="alone", Body=b"x")["VersionId"]
        self.s3.delete_object(Bucket=b, Key="alone")
        self.s3.put_object(Bucket=b, Key="kept", Body=b"x")
        m_kept = self.s3.delete_object(Bucket=b, Key="kept")["VersionId"]
        # Not expired while a version remains.
        self.assertEqual(self.sweep(b)["mine"], [])
        self.s3.delete_object(Bucket=b, Key="alone", VersionId=v)
        out = self.sweep(b)
        self.assertEqual([(a["key"], a["action"]) for a in out["mine"]], [("alone", "ExpiredDeleteMarkerRemoved")])
        versions, markers = self.versions(b)
        self.assertEqual(markers, [("kept", m_kept)])

    def test_days_rule_removes_expired_markers_once_old_enough(self):
        b = self.versioned_bucket()
        self.at("2030-01-01T06:00:00Z")
        self.put_rules(b, rule(Expiration={"Days": 3}))
        marker = self.s3.delete_object(Bucket=b, Key="only-a-marker")["VersionId"]
        self.at("2030-01-04T23:59:59Z")
        self.assertEqual(self.sweep(b)["mine"], [])
        self.at("2030-01-05T00:00:00Z")
        out = self.sweep(b)
        self.assertEqual([(a["action"], a["versionId"]) for a in out["mine"]], [("ExpiredDeleteMarkerRemoved", marker)])
        self.assertEqual(self.versions(b), ([], []))


class AbortTest(LifecycleCase):
    def test_abort_incomplete_uploads_and_headers(self):
        b = self.bucket()
        self.at("2030-04-01T08:00:00Z")
        self.put_rules(b, rule(ID="abort", Filter={"Prefix": "up/"}, AbortIncompleteMultipartUpload={
            "DaysAfterInitiation": 2}))
        up = self.s3.create_multipart_upload(Bucket=b, Key="up/a")
        self.assertEqual(up["AbortDate"], datetime.datetime(2030, 4, 4, tzinfo=UTC))
        self.assertEqual(up["AbortRuleId"], "abort")
        self.s3.upload_part(Bucket=b, Key="up/a", UploadId=up["UploadId"], PartNumber=1, Body=b"x")
        parts = self.s3.list_parts(Bucket=b, Key="up/a", UploadId=up["UploadId"])
        self.assertEqual(parts["AbortDate"], datetime.datetime(2030, 4, 4, tzinfo=UTC))
        self.assertEqual(parts["AbortRuleId"], "abort")
        other = self.s3.create_multipart_upload(Bucket=b, Key="other/a")
        self.assertNotIn("AbortDate", other)
        self.at("2030-04-03T23:59:59Z")
        self.assertEqual(self.sweep(b)["mine"], [])
        self.at("2030-04-04T00:00:00Z")
        out = self.sweep(b)
        self.assertEqual(out["mine"], [{"bucket": b, "key": "up/a", "uploadId": up["UploadId"],
                                        "action": "UploadAborted"}])
        left = self.s3.list_multipart_uploads(Bucket=b).get("Uploads", [])
        self.assertEqual([u["Key"] for u in left], ["other/a"])
        self.assertError("NoSuchUpload", self.s3.list_parts, Bucket=b, Key="up/a", UploadId=up["UploadId"])


class TransitionTest(LifecycleCase):
    def test_current_transition_then_archived_reads(self):
        b = self.bucket()
        self.at("2030-01-01T00:00:00Z")
        self.put_rules(b, rule(Filter={"ObjectSizeGreaterThan": 0}, Transitions=[{"Days": 1, "StorageClass": "GLACIER"}]))
        self.s3.put_object(Bucket=b, Key="k", Body=b"cold")
        self.at("2030-01-01T23:59:59Z")
        self.sweep(b)
        self.assertNotIn("StorageClass", self.s3.head_object(Bucket=b, Key="k"))
        self.at("2030-01-02T00:00:00Z")
        out = self.sweep(b)
        self.assertEqual([(a["action"], a["storageClass"]) for a in out["mine"]], [("Transitioned", "GLACIER")])
        self.assertEqual(self.s3.head_object(Bucket=b, Key="k")["StorageClass"], "GLACIER")
        self.assertEqual(self.s3.list_objects_v2(Bucket=b)["Contents"][0]["StorageClass"], "GLACIER")
        err = self.assertError("InvalidObjectState", self.s3.get_object, Bucket=b, Key="k", status=403)
        self.assertEqual(err["Error"]["Message"], "The operation is not valid for the object's storage class")
        self.assertEqual(err["Error"]["StorageClass"], "GLACIER")

    def test_default_minimum_object_size(self):
        small = self.bucket()
        self.at("2030-01-01T00:00:00Z")
        self.put_rules(small, rule(Transitions=[{"Days": 1, "StorageClass": "GLACIER"}]))
        self.s3.put_object(Bucket=small, Key="tiny", Body=b"x")
        self.s3.put_object(Bucket=small, Key="big", Body=b"x" * (128 * 1024))
        varies = self.bucket()
        self.put_rules(varies, rule(Transitions=[{"Days": 1, "StorageClass": "GLACIER"}]),
                       TransitionDefaultMinimumObjectSize="varies_by_storage_class")
        self.s3.put_object(Bucket=varies, Key="tiny", Body=b"x")
        self.at("2030-01-03T00:00:00Z")
        self.sweep(small)
        self.assertNotIn("StorageClass", self.s3.head_object(Bucket=small, Key="tiny"))  # under 128 KB
        self.assertEqual(self.s3.head_object(Bucket=small, Key="big")["StorageClass"], "GLACIER")
        self.assertEqual(self.s3.head_object(Bucket=varies, Key="tiny")["StorageClass"], "GLACIER")

    def test_transitions_go_forward_to_the_latest_due_class(self):
        b = self.bucket()
        self.at("2030-01-01T00:00:00Z")
        self.put_rules(b, rule(Filter={"ObjectSizeGreaterThan": 0}, Transitions=[
            {"Days": 30, "StorageClass": "STANDARD_IA"}, {"Days": 90, "StorageClass": "DEEP_ARCHIVE"}]))
        self.s3.put_object(Bucket=b, Key="k", Body=b"x")
        self.s3.put_object(Bucket=b, Key="already", Body=b"x", StorageClass="DEEP_ARCHIVE")
        self.at("2030-01-31T00:00:00Z")
        self.sweep(b)
        self.assertEqual(self.s3.head_object(Bucket=b, Key="k")["StorageClass"], "STANDARD_IA")
        self.at("2030-04-01T00:00:00Z")
        out = self.sweep(b)
        self.assertEqual(self.s3.head_object(Bucket=b, Key="k")["StorageClass"], "DEEP_ARCHIVE")
        self.assertEqual([a["key"] for a in out["mine"]], ["k"])  # never backwards

    def test_noncurrent_transition(self):
        b = self.versioned_bucket()
        self.at("2030-01-01T00:00:00Z")
        self.put_rules(b, rule(Filter={"ObjectSizeGreaterThan": 0}, NoncurrentVersionTransitions=[
            {"NoncurrentDays": 5, "StorageClass": "GLACIER"}]))
        v1 = self.s3.put_object(Bucket=b, Key="k", Body=b"1")["VersionId"]
        self.at("2030-01-10T12:00:00Z")
        v2 = self.s3.put_object(Bucket=b, Key="k", Body=b"2")["VersionId"]
        self.at("2030-01-15T23:59:59Z")
        self.sweep(b)
        self.assertNotIn("StorageClass", self.s3.head_object(Bucket=b, Key="k", VersionId=v1))
        self.at("2030-01-16T00:00:00Z")
        out = self.sweep(b)
        self.assertEqual([(a["action"], a["versionId"]) for a in out["mine"]], [("NoncurrentTransitioned", v1)])
        self.assertEqual(self.s3.head_object(Bucket=b, Key="k", VersionId=v1)["StorageClass"], "GLACIER")
        self.assertNotIn("StorageClass", self.s3.head_object(Bucket=b, Key="k", VersionId=v2))


class RestoreTest(LifecycleCase):
    def test_restore_lifecycle(self):
        b = self.bucket()
        self.at("2030-01-01T10:00:00Z")
        self.s3.put_object(Bucket=b, Key="a", Body=b"archived", StorageClass="GLACIER")
        head = self.s3.head_object(Bucket=b, Key="a")
        self.assertEqual(head["StorageClass"], "GLACIER")
        self.assertNotIn("Restore", head)
        self.assertError("InvalidObjectState", self.s3.get_object, Bucket=b, Key="a", status=403)
        # An archived copy source needs a restored copy too.
        self.assertError("InvalidObjectState", self.s3.copy_object, Bucket=b, Key="copy",
                         CopySource={"Bucket": b, "Key": "a"}, status=403)
        r = self.s3.restore_object(Bucket=b, Key="a", RestoreRequest={
            "Days": 2, "GlacierJobParameters": {"Tier": "Expedited"}})
        self.assertEqual(r["ResponseMetadata"]["HTTPStatusCode"], 202)
        self.assertError("RestoreAlreadyInProgress", self.s3.restore_object, Bucket=b, Key="a",
                         RestoreRequest={"Days": 2}, status=409)
        self.assertEqual(self.s3.head_object(Bucket=b, Key="a")["Restore"], 'ongoing-request="true"')
        self.at("2030-01-01T10:04:59Z")
        self.assertError("InvalidObjectState", self.s3.get_object, Bucket=b, Key="a")
        self.at("2030-01-01T10:05:00Z")  # Expedited: 5 minutes
        self.assertEqual(self.s3.get_object(Bucket=b, Key="a")["Body"].read(), b"archived")
        self.s3.copy_object(Bucket=b, Key="copy", CopySource={"Bucket": b, "Key": "a"})
        self.assertEqual(self.s3.get_object(Bucket=b, Key="copy")["Body"].read(), b"archived")
        # Ready Jan 1 10:05 + 2 days, rounded up: Jan 4 00:00.
        self.assertEqual(self.s3.head_object(Bucket=b, Key="a")["Restore"],
                         'ongoing-request="false", expiry-date="Fri, 04 Jan 2030 00:00:00 GMT"')
        self.at("2030-01-03T12:00:00Z")
        r = self.s3.restore_object(Bucket=b, Key="a", RestoreRequest={"Days": 3})
        self.assertEqual(r["ResponseMetadata"]["HTTPStatusCode"], 200)  # already restored: extended
        self.assertEqual(self.s3.head_object(Bucket=b, Key="a")["Restore"],
                         'ongoing-request="false", expiry-date="Mon, 07 Jan 2030 00:00:00 GMT"')
        self.at("2030-01-06T23:59:59Z")
        self.assertEqual(self.s3.get_object(Bucket=b, Key="a")["Body"].read(), b"archived")
        self.at("2030-01-07T00:00:00Z")
        self.assertError("InvalidObjectState", self.s3.get_object, Bucket=b, Key="a")
        self.assertNotIn("Restore", self.s3.head_object(Bucket=b, Key="a"))
        r = self.s3.restore_object(Bucket=b, Key="a", RestoreRequest={"Days": 1})
        self.assertEqual(r["ResponseMetadata"]["HTTPStatusCode"], 202)  # a new restore

    def test_deep_archive_tiers(self):
        b = self.bucket()
        self.at("2030-01-01T00:00:00Z")
        self.s3.put_object(Bucket=b, Key="d", Body=b"deep", StorageClass="DEEP_ARCHIVE")
        self.assertError("InvalidArgument", self.s3.restore_object, Bucket=b, Key="d", RestoreRequest={
            "Days": 1, "GlacierJobParameters": {"Tier": "Expedited"}})
        self.s3.restore_object(Bucket=b, Key="d", RestoreRequest={"Days": 1})  # Standard: 12 hours
        self.at("2030-01-01T11:59:59Z")
        self.assertError("InvalidObjectState", self.s3.get_object, Bucket=b, Key="d")
        self.at("2030-01-01T12:00:00Z")
        self.assertEqual(self.s3.get_object(Bucket=b, Key="d")["Body"].read(), b"deep")

    def test_non_archived_objects(self):
        b = self.bucket()
        self.s3.put_object(Bucket=b, Key="s", Body=b"x")
        self.s3.put_object(Bucket=b, Key="ir", Body=b"instant", StorageClass="GLACIER_IR")
        self.assertError("InvalidObjectState", self.s3.restore_object, Bucket=b, Key="s",
                         RestoreRequest={"Days": 1}, status=403)
        self.assertError("InvalidObjectState", self.s3.restore_object, Bucket=b, Key="ir", RestoreRequest={"Days": 1})
        self.assertEqual(self.s3.get_object(Bucket=b, Key="ir")["Body"].read(), b"instant")
        self.assertError("NoSuchKey", self.s3.restore_object, Bucket=b, Key="missing", RestoreRequest={"Days": 1})


class ObjectLockTest(LifecycleCase):
    def test_locked_versions_are_never_removed(self):
        b = "lock-%s" % os.urandom(6).hex()
        self.s3.create_bucket(Bucket=b, ObjectLockEnabledForBucket=True)
        self.at("2030-01-01T00:00:00Z")
        self.put_rules(b, rule(Expiration={"Days": 1}, NoncurrentVersionExpiration={"NoncurrentDays": 1}))
        held = self.s3_default.put_object(Bucket=b, Key="held", Body=b"1", ObjectLockLegalHoldStatus="ON")["VersionId"]
        retained = self.s3_default.put_object(Bucket=b, Key="retained", Body=b"1", ObjectLockMode="GOVERNANCE",
                                      ObjectLockRetainUntilDate=datetime.datetime(2031, 1, 1, tzinfo=UTC))["VersionId"]
        free = self.s3.put_object(Bucket=b, Key="free", Body=b"1")["VersionId"]
        self.at("2030-01-02T00:00:00Z")
        out = self.sweep(b)  # current versions expire: markers are allowed over locked versions
        self.assertEqual(sorted((a["key"], a["action"]) for a in out["mine"]),
                         [("free", "DeleteMarkerAdded"), ("held", "DeleteMarkerAdded"),
                          ("retained", "DeleteMarkerAdded")])
        self.at("2030-01-03T00:00:00Z")
        out = self.sweep(b)
        self.assertEqual([(a["key"], a["versionId"]) for a in out["mine"]], [("free", free)])
        self.assertEqual(out["skippedLocked"] >= 2, True)
        versions = self.versions(b)[0]
        self.assertEqual(sorted(versions), sorted([("held", held), ("retained", retained)]))
        # Once the hold is lifted and the retention is over, they go.
        self.s3.put_object_legal_hold(Bucket=b, Key="held", VersionId=held, LegalHold={"Status": "OFF"})
        self.at("2031-01-01T00:00:01Z")
        out = self.sweep(b)
        self.assertEqual(sorted(a["key"] for a in out["mine"] if a["action"] == "NoncurrentVersionRemoved"),
                         ["held", "retained"])


class BatchTest(LifecycleCase):
    def test_more_objects_than_a_batch_and_a_page(self):
        import concurrent.futures
        b = self.bucket()
        self.at("2030-01-01T00:00:00Z")
        self.put_rules(b, rule(Filter={"Prefix": "x/"}, Expiration={"Days": 1}))
        keys = ["x/%04d" % i for i in range(1200)] + ["y/%04d" % i for i in range(30)]
        with concurrent.futures.ThreadPoolExecutor(8) as ex:
            list(ex.map(lambda k: self.s3.put_object(Bucket=b, Key=k, Body=b"."), keys))
        self.at("2030-01-02T00:00:00Z")
        out = self.sweep(b)
        self.assertEqual(len(out["mine"]), 1000)  # the detail list stops at 1000
        self.assertTrue(out["actionsTruncated"])
        self.assertGreaterEqual(out["expiredObjectsDeleted"], 1200)
        self.assertGreaterEqual(out["batches"], 6)
        self.assertEqual(sorted(self.keys(b)), keys[1200:])


class BackgroundSweepTest(LifecycleCase):
    server_args = ("--lifecycle-interval", "0.2")

    def test_background_sweep_expires_without_a_run_call(self):
        b = self.bucket()
        self.at("2030-01-01T00:00:00Z")
        self.put_rules(b, rule(Expiration={"Days": 1}))
        self.s3.put_object(Bucket=b, Key="k", Body=b"x")
        time.sleep(0.6)  # several sweeps before the day is up
        self.assertEqual(self.keys(b), ["k"])
        self.at("2030-01-02T00:00:00Z")
        deadline = time.time() + 10
        while self.keys(b) and time.time() < deadline:
            time.sleep(0.1)
        self.assertEqual(self.keys(b), [])


if __name__ == "__main__":
    unittest.main()
