"""Crash safety of a versioned bucket: writer threads PUT new versions, add delete markers and
delete specific version ids while the server is killed with SIGKILL at random moments, for a few
rounds. After every restart:
- ListObjectVersions lists exactly the acknowledged versions and markers, newest first per key,
  with the acknowledged ETag and size (plus, at most, the one request each writer had in flight
  when the server died, whose outcome the client never learnt);
- every listed version reads back, by VersionId, as the complete bytes that were written;
- acknowledged deletes stay deleted: a dropped version id is gone (GET by it is NoSuchVersion)
  and an acknowledged delete marker is still listed;
- the current object (GET without VersionId, ListObjectsV2) is the newest entry of each key;
- no orphan blob survives the start-up sweep (the blob directory holds one file per listed
  version) and no temp file is left.

Set VCRASH_SEED to replay a run's random choices (kill moments and operations)."""
import hashlib
import os
import random
import sys
import threading
import time
import unittest
import urllib.parse
import xml.etree.ElementTree as ET

import botocore.exceptions

from s3_support import S3TestCase

THREADS = 6
KEYS_PER_THREAD = 3
ROUNDS = 4
PAGE = 100  # ListObjectVersions max-keys while verifying: several pages per check
NS = "{http://s3.amazonaws.com/doc/2006-03-01/}"


def payload(tag):
    # Deterministic bytes of a varying size (1 KiB .. 513 KiB) so any version can be recomputed.
    seed = hashlib.sha256(tag.encode()).digest()
    size = 1024 + (int.from_bytes(seed[:4], "big") % (512 * 1024))
    return (seed * (size // len(seed) + 1))[:size]


def etag_of(tag):
    return '"%s"' % hashlib.md5(payload(tag)).hexdigest()


class Entry:
    """One version or delete marker the client knows of."""

    def __init__(self, vid, marker, tag=None, etag=None):
        self.vid, self.marker, self.tag, self.etag = vid, marker, tag, etag

    def __repr__(self):
        return "%s(%s%s)" % ("marker" if self.marker else "version", self.vid, "" if self.marker else " " + self.tag)


class VersionedCrashTests(S3TestCase):
    def setUp(self):
        self.seed = int(os.environ.get("VCRASH_SEED", time.time_ns() % 2**32))
        print("VCRASH_SEED=%d" % self.seed, file=sys.stderr)
        self.rng = random.Random(self.seed)
        self.keys = {t: ["w%d/k%d" % (t, i) for i in range(KEYS_PER_THREAD)] for t in range(THREADS)}
        self.live = {k: [] for ks in self.keys.values() for k in ks}  # key -> entries, oldest first
        self.gone = {}  # version id -> key: versions and markers deleted for good
        self.counter = [0] * THREADS  # per-writer tag counter, across rounds
        self.acked = {"put": 0, "mark": 0, "drop": 0}
        self.unknown = {"in flight": 0, "committed": 0}  # requests whose answer the kill cut off
        self.problems = []  # protocol failures seen by writer threads

    def client(self):
        return self.server.boto3_client("s3", request_checksum_calculation="when_required",
                                        response_checksum_validation="when_required")

    # --- writers -----------------------------------------------------------------------------
    def writer(self, t, client, rng, stop, inflight, lock):
        for _ in range(100000):  # bounded; the kill ends it much sooner
            if stop.is_set():
                return
            mine = [k for k in self.keys[t] if self.live[k]]
            # Markers only over a current version: the documented case (what AWS does for a key
            # with no version, or one already behind a marker, is not what this test is about).
            markable = [k for k in mine if not self.live[k][-1].marker]
            r = rng.random()
            key = rng.choice(self.keys[t])
            try:
                if r < 0.6 or not mine or (r < 0.75 and not markable):
                    self.counter[t] += 1
                    tag = "w%d-%d" % (t, self.counter[t])
                    with lock:
                        inflight[t] = ("put", key, tag)
                    resp = client.put_object(Bucket=self.b, Key=key, Body=payload(tag))
                    entry = Entry(resp.get("VersionId"), False, tag, resp.get("ETag"))
                    if not entry.vid or entry.vid == "null" or entry.etag != etag_of(tag):
                        self.problems.append("PUT %s: VersionId %r ETag %r" % (key, entry.vid, entry.etag))
                        return
                    with lock:
                        self.live[key].append(entry)
                        self.acked["put"] += 1
                        del inflight[t]
                elif r < 0.75:
                    key = rng.choice(markable)
                    with lock:
                        inflight[t] = ("mark", key, None)
                    resp = client.delete_object(Bucket=self.b, Key=key)
                    vid = resp.get("VersionId")
                    # A delete without a version id in an Enabled bucket adds a delete marker and
                    # answers x-amz-delete-marker: true and the marker's x-amz-version-id.
                    if not resp.get("DeleteMarker") or not vid or vid == "null":
                        self.problems.append("DELETE %s: DeleteMarker %r VersionId %r" %
                                             (key, resp.get("DeleteMarker"), vid))
                        return
                    with lock:
                        self.live[key].append(Entry(vid, True))
                        self.acked["mark"] += 1
                        del inflight[t]
                else:
                    key = rng.choice(mine)
                    victim = rng.choice(self.live[key])
                    with lock:
                        inflight[t] = ("drop", key, victim.vid)
                    resp = client.delete_object(Bucket=self.b, Key=key, VersionId=victim.vid)
                    # Deleting a version id answers that id, and x-amz-delete-marker: true when the
                    # deleted version was a marker (DeleteObject, "Versioning").
                    if resp.get("VersionId") != victim.vid or bool(resp.get("DeleteMarker")) != victim.marker:
                        self.problems.append("DELETE %s?versionId=%s (%r): VersionId %r DeleteMarker %r" %
                                             (key, victim.vid, victim, resp.get("VersionId"), resp.get("DeleteMarker")))
                        return
                    with lock:
                        self.live[key].remove(victim)
                        self.gone[victim.vid] = key
                        self.acked["drop"] += 1
                        del inflight[t]
            except botocore.exceptions.ClientError as e:
                # The server answered with an error: never expected here, crash or not.
                self.problems.append("%s: %s" % (inflight.get(t), e))
                return
            except Exception:  # noqa: BLE001 - the server is gone; the request stays in flight
                return

    def crash_round(self, rnd):
        clients = [self.client() for _ in range(THREADS)]
        stop, lock, inflight = threading.Event(), threading.Lock(), {}
        threads = [threading.Thread(target=self.writer,
                                    args=(t, clients[t], random.Random(self.rng.random()), stop, inflight, lock))
                   for t in range(THREADS)]
        for th in threads:
            th.start()
        # Kill at a random moment, without warning, while six writers never pause.
        time.sleep(self.rng.uniform(0.3, 1.3))
        self.server.kill9()
        stop.set()
        for th in threads:
            th.join(60)
        self.assertFalse(any(th.is_alive() for th in threads))
        self.assertEqual(self.problems, [], "seed %d" % self.seed)
        # The kill really happened mid-request.
        self.assertTrue(inflight, "round %d: no request in flight at the kill (seed %d)" % (rnd, self.seed))
        return inflight

    # --- checks ------------------------------------------------------------------------------
    def list_versions(self):
        """Every entry of ListObjectVersions in document order (versions and markers interleaved,
        as the XML has them), paging with NextKeyMarker/NextVersionIdMarker."""
        out, seen = [], set()
        key_marker = vid_marker = None
        for _ in range(10000):
            q = "versions&max-keys=%d" % PAGE
            if key_marker is not None:
                q += "&key-marker=" + urllib.parse.quote(key_marker, safe="-_.~")
                q += "&version-id-marker=" + urllib.parse.quote(vid_marker or "", safe="-_.~")
            status, _, body = self.signed("GET", "/%s?%s" % (self.b, q))
            self.assertEqual(status, 200, body[:500])
            root = ET.fromstring(body)
            page = 0
            for el in root:
                kind = el.tag[len(NS):]
                if kind not in ("Version", "DeleteMarker"):
                    continue
                page += 1
                e = {"kind": kind, "Key": el.findtext(NS + "Key"), "VersionId": el.findtext(NS + "VersionId"),
                     "IsLatest": el.findtext(NS + "IsLatest"), "ETag": el.findtext(NS + "ETag"),
                     "Size": el.findtext(NS + "Size")}
                self.assertNotIn(e["VersionId"], seen, "listed twice")
                seen.add(e["VersionId"])
                out.append(e)
            self.assertLessEqual(page, PAGE)
            if root.findtext(NS + "IsTruncated") != "true":
                return out
            key_marker = root.findtext(NS + "NextKeyMarker")
            vid_marker = root.findtext(NS + "NextVersionIdMarker")
            self.assertTrue(key_marker)
        self.fail("ListObjectVersions never ended")

    def check_after_restart(self, rnd, inflight):
        s3 = self.client()
        ctx = "round %d, seed %d" % (rnd, self.seed)
        listing = self.list_versions()
        keys_in_order = [e["Key"] for e in listing]
        self.assertEqual(keys_in_order, sorted(keys_in_order), ctx)  # keys ascending, a key's entries together
        by_key = {}
        for e in listing:
            by_key.setdefault(e["Key"], []).append(e)
        self.assertLessEqual(set(by_key), set(self.live), ctx)
        pending = {op[1]: op for op in inflight.values()}  # a key belongs to one writer: one op at most
        self.unknown["in flight"] += len(pending)

        for key, entries in self.live.items():
            listed = by_key.get(key, [])
            expected = list(reversed(entries))  # newest first
            op = pending.get(key)
            known = {e.vid for e in entries}
            # The request in flight at the kill may or may not have been committed.
            if op and op[0] in ("put", "mark") and listed and listed[0]["VersionId"] not in known:
                e = listed[0]
                if op[0] == "put":
                    self.assertEqual(e["kind"], "Version", ctx)
                    self.assertEqual(e["ETag"], etag_of(op[2]), "%s: unknown version %r (%s)" % (key, e, ctx))
                    new = Entry(e["VersionId"], False, op[2], e["ETag"])
                else:
                    self.assertEqual(e["kind"], "DeleteMarker", "%s: unknown entry %r (%s)" % (key, e, ctx))
                    new = Entry(e["VersionId"], True)
                entries.append(new)
                expected.insert(0, new)
                self.unknown["committed"] += 1
            if op and op[0] == "drop" and op[2] not in {e["VersionId"] for e in listed}:
                victim = next(x for x in entries if x.vid == op[2])
                entries.remove(victim)
                expected.remove(victim)
                self.gone[victim.vid] = key
                self.unknown["committed"] += 1
            # Exactly what was acknowledged, newest first, versions and markers interleaved.
            self.assertEqual([(e["VersionId"], e["kind"] == "DeleteMarker") for e in listed],
                             [(x.vid, x.marker) for x in expected], "%s (%s)" % (key, ctx))
            self.assertEqual([e["IsLatest"] for e in listed], ["true", *["false"] * (len(listed) - 1)][:len(listed)],
                             key)
            for e, x in zip(listed, expected):
                if not x.marker:
                    self.assertEqual(e["ETag"], x.etag, key)
                    self.assertEqual(int(e["Size"]), len(payload(x.tag)), key)

        # Every version's bytes, complete, by its id.
        versions = 0
        for key, entries in self.live.items():
            for x in entries:
                if x.marker:
                    continue
                versions += 1
                got = s3.get_object(Bucket=self.b, Key=key, VersionId=x.vid)
                self.assertEqual(got.get("VersionId"), x.vid)
                body = got["Body"].read()
                self.assertEqual(body, payload(x.tag), "%s?versionId=%s (%s)" % (key, x.vid, ctx))
                self.assertEqual(got["ETag"], x.etag)
        self.assertEqual(versions, sum(1 for e in listing if e["kind"] == "Version"))

        # Acknowledged deletes of a version id stay deleted.
        for vid, key in self.gone.items():
            self.assertError("NoSuchVersion", s3.get_object, Bucket=self.b, Key=key, VersionId=vid, status=404)

        # The current object is each key's newest entry: a version, or nothing behind a marker.
        current = {o["Key"]: o for p in s3.get_paginator("list_objects_v2").paginate(Bucket=self.b)
                   for o in p.get("Contents", [])}
        for key, entries in self.live.items():
            latest = entries[-1] if entries else None
            if latest is None or latest.marker:
                self.assertNotIn(key, current, ctx)
                self.assertError("NoSuchKey", s3.get_object, Bucket=self.b, Key=key, status=404)
            else:
                self.assertEqual(current[key]["ETag"], latest.etag, "%s (%s)" % (key, ctx))
                got = s3.get_object(Bucket=self.b, Key=key)
                self.assertEqual(got.get("VersionId"), latest.vid, key)
                self.assertEqual(got["Body"].read(), payload(latest.tag), key)

        # No orphan blob survived the start-up sweep, and no temp file is left.
        blobs = sum(len(files) for _, _, files in os.walk(os.path.join(self.server.data_dir, "blobs")))
        self.assertEqual(blobs, versions, "blob files vs listed versions (%s)" % ctx)
        self.assertEqual(os.listdir(os.path.join(self.server.data_dir, "tmp")), [])

    def test_kill9_during_versioned_writes_and_deletes(self):
        t0 = time.monotonic()
        self.b = self.bucket("vcrash")
        self.s3.put_bucket_versioning(Bucket=self.b, VersioningConfiguration={"Status": "Enabled"})
        for rnd in range(ROUNDS):
            inflight = self.crash_round(rnd)
            self.server.start()
            self.check_after_restart(rnd, inflight)
        # The run exercised every kind of write and delete.
        for op, n in self.acked.items():
            self.assertGreater(n, 0, op)
        print("acknowledged %r; cut off by a kill %r; %d versions/markers live, %d deleted for good, %.1f s" %
              (self.acked, self.unknown, sum(len(v) for v in self.live.values()), len(self.gone),
               time.monotonic() - t0), file=sys.stderr)


if __name__ == "__main__":
    unittest.main()
