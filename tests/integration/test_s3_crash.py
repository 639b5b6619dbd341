"""Crash safety: concurrent PUTs and overwrites, kill -9 mid-way, restart. Every acknowledged
object must be intact (bytes and ETag), none partial, and no orphan blob may survive the
start-up sweep."""
import hashlib
import os
import threading
import time
import unittest

from s3_support import S3TestCase

THREADS = 6
KEYS_PER_THREAD = 5


def payload(key, version):
    # Deterministic bytes of a varying size (1 KiB .. ~1.5 MiB) so any version can be recomputed.
    seed = hashlib.sha256(("%s:%d" % (key, version)).encode()).digest()
    size = 1024 + (int.from_bytes(seed[:4], "big") % (1536 * 1024))
    return (seed * (size // len(seed) + 1))[:size]


class CrashTests(S3TestCase):
    def test_kill9_during_concurrent_writes(self):
        b = self.bucket("crash")
        acked = {}      # key -> last acknowledged version
        inflight = {}   # key -> version being written when the server died
        stop = threading.Event()
        lock = threading.Lock()

        def writer(t):
            client = self.server.boto3_client("s3", request_checksum_calculation="when_required")
            version = 0
            for _ in range(100000):  # bounded; the kill ends it much sooner
                if stop.is_set():
                    return
                version += 1
                key = "t%d/k%d" % (t, version % KEYS_PER_THREAD)
                with lock:
                    inflight[key] = version
                try:
                    client.put_object(Bucket=b, Key=key, Body=payload(key, version))
                except Exception:
                    return  # the server is gone
                with lock:
                    acked[key] = version
                    inflight.pop(key, None)

        threads = [threading.Thread(target=writer, args=(t,)) for t in range(THREADS)]
        for th in threads:
            th.start()
        # Let writes run until enough were acknowledged, then kill without warning.
        for _ in range(3000):
            with lock:
                if len(acked) == THREADS * KEYS_PER_THREAD and sum(acked.values()) > 400:
                    break
            time.sleep(0.01)
        self.server.kill9()
        stop.set()
        for th in threads:
            th.join(60)
        self.assertGreater(len(acked), 0)
        # The kill really happened mid-write: six writers never pause between requests.
        self.assertTrue(inflight)

        self.server.start()
        client = self.server.boto3_client("s3", request_checksum_calculation="when_required")
        listed = {o["Key"]: o for p in client.get_paginator("list_objects_v2").paginate(Bucket=b)
                  for o in p.get("Contents", [])}
        for key, version in acked.items():
            self.assertIn(key, listed)
            body = client.get_object(Bucket=b, Key=key)["Body"].read()
            candidates = [version]
            if key in inflight and inflight[key] > version:
                candidates.append(inflight[key])
            self.assertIn(body, [payload(key, v) for v in candidates], key)
            self.assertEqual(listed[key]["ETag"], '"%s"' % hashlib.md5(body).hexdigest())
            self.assertEqual(listed[key]["Size"], len(body))
        # Every object that exists is complete (never a partial upload under a live key).
        for key, o in listed.items():
            body = client.get_object(Bucket=b, Key=key)["Body"].read()
            self.assertEqual(o["ETag"], '"%s"' % hashlib.md5(body).hexdigest())
        # No orphan blob survived the start-up sweep, and no temp file is left.
        blobs = sum(len(files) for _, _, files in os.walk(os.path.join(self.server.data_dir, "blobs")))
        self.assertEqual(blobs, len(listed))
        self.assertEqual(os.listdir(os.path.join(self.server.data_dir, "tmp")), [])


if __name__ == "__main__":
    unittest.main()
