"""DynamoDB compression as AWS does it: responses of 4 KB and more are gzip- or deflate-compressed
when Accept-Encoding allows (X-Amz-Crc32 then covers the compressed bytes, as the Go SDKs and
botocore check), and request bodies may be sent with Content-Encoding gzip or deflate (the
signature covers the compressed bytes). Raw signed requests give exact header values; boto3
shows an SDK's view."""
import gzip
import json
import os
import sys
import unittest
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ddb_support import DdbTestCase, create_table, raw_call  # noqa: E402

TABLE = "compress"          # N_ITEMS items, only read
WRITES = "compress-writes"  # what the tests write
N_ITEMS = 20
THRESHOLD = 4096


def payload(i):
    return ("item %d of a table whose scans are big; " % i) * 30  # ~1.2 KB, compressible


class DdbCompressionTest(DdbTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        create_table(cls.ddb, TABLE)
        create_table(cls.ddb, WRITES)
        for i in range(N_ITEMS):
            cls.ddb.put_item(TableName=TABLE, Item={"pk": {"S": "k%02d" % i}, "data": {"S": payload(i)}})

    # --- helpers ----------------------------------------------------------------------------
    def call(self, operation, request, accept=None, content_encoding=None, body=None):
        """A signed raw call; `request` is a dict (JSON) unless `body` (bytes) is given. Returns
        (status, headers with lower-case names, body bytes as sent)."""
        headers = {}
        if accept is not None:
            headers["Accept-Encoding"] = accept
        if content_encoding is not None:
            headers["Content-Encoding"] = content_encoding
        if body is None:
            body = json.dumps(request).encode()
        status, h, out = raw_call(self.server, operation, body, headers=headers)
        return status, {k.lower(): v for k, v in h.items()}, out

    def send_lines(self, operation, data, extra_lines, signed_headers=None, signed_data=None):
        """A signed call sent with http.client header by header: `extra_lines` (name, value) pairs
        are added after signing (unsigned), and no Accept-Encoding is added on our behalf. The
        signature covers `signed_headers` and `signed_data` (default: the bytes sent).
        Returns (status, Content-Encoding, X-Amz-Crc32, body)."""
        import http.client
        from botocore.auth import SigV4Auth
        from botocore.awsrequest import AWSRequest
        from botocore.credentials import Credentials
        req = AWSRequest(method="POST", url=self.server.endpoint + "/",
                         data=data if signed_data is None else signed_data,
                         headers={"X-Amz-Target": "DynamoDB_20120810." + operation,
                                  "Content-Type": "application/x-amz-json-1.0", **(signed_headers or {})})
        SigV4Auth(Credentials("test", "test"), "dynamodb", "us-east-1").add_auth(req)
        conn = http.client.HTTPConnection(self.server.endpoint.split("//")[1], timeout=30)
        try:
            conn.putrequest("POST", "/", skip_accept_encoding=True)
            for k, v in list(req.headers.items()) + list(extra_lines):
                conn.putheader(k, v)
            conn.putheader("Content-Length", str(len(data)))
            conn.endheaders(data)
            r = conn.getresponse()
            return r.status, r.getheader("Content-Encoding"), r.getheader("X-Amz-Crc32"), r.read()
        finally:
            conn.close()

    def assertFramed(self, h, body):
        """Content-Length is the length of the bytes sent and X-Amz-Crc32 their CRC32."""
        self.assertEqual(int(h["content-length"]), len(body))
        self.assertEqual(int(h["x-amz-crc32"]), zlib.crc32(body))

    def decoded(self, h, body):
        coding = h.get("content-encoding")
        if coding == "gzip":
            return json.loads(gzip.decompress(body))
        if coding == "deflate":
            return json.loads(zlib.decompress(body))
        self.assertIsNone(coding)
        return json.loads(body)

    def scan(self, accept):
        status, h, body = self.call("Scan", {"TableName": TABLE}, accept=accept)
        self.assertEqual(status, 200, body[:300])
        self.assertFramed(h, body)
        return h, body

    # --- responses ----------------------------------------------------------------------------
    def test_large_scan_is_gzip_with_crc_of_compressed_bytes(self):
        plain_h, plain = self.scan("identity")
        self.assertNotIn("content-encoding", plain_h)
        self.assertGreater(len(plain), N_ITEMS * 1000)
        h, body = self.scan("gzip")
        self.assertEqual(h["content-encoding"], "gzip")
        self.assertEqual(body[:2], b"\x1f\x8b")
        self.assertLess(len(body), len(plain) / 4)
        self.assertNotEqual(int(h["x-amz-crc32"]), zlib.crc32(plain))
        self.assertEqual(gzip.decompress(body), plain)
        out = json.loads(plain)
        self.assertEqual(out["Count"], N_ITEMS)
        self.assertEqual(sorted(i["data"]["S"] for i in out["Items"]), sorted(payload(i) for i in range(N_ITEMS)))

    def test_deflate_when_preferred(self):
        _, plain = self.scan("identity")
        for accept in ("deflate", "gzip;q=0.5, deflate", "deflate, gzip", "*, gzip;q=0"):
            h, body = self.scan(accept)
            self.assertEqual(h["content-encoding"], "deflate", accept)
            self.assertEqual(zlib.decompress(body), plain, accept)  # a zlib stream (RFC 1950)

    def test_accept_encoding_negotiation(self):
        _, plain = self.scan("identity")
        cases = {
            "gzip": "gzip", "GZIP": "gzip", " gzip ; q=0.7 ": "gzip", "gzip, deflate": "gzip",
            "br, identity, deflate, gzip": "deflate", "*": "gzip", "*, identity": "gzip",
            "*;q=0.5,identity": "gzip", "br;q=1, gzip;q=0.001": "gzip", "gzip;q=5, deflate;q=0.9": "gzip",
            "gzip;q=0": None, "gzip ;q=0": None, "identity": None, "identity;q=0": None, "*;q=0": None,
            "": None, "br": None, "x-gzip": None, "gzip;q=0, deflate;q=0": None,
            "br;q=0.8,identity;q=0.5,*;q=0": None,
        }
        for accept, want in cases.items():
            h, body = self.scan(accept)
            self.assertEqual(h.get("content-encoding"), want, accept)
            self.assertEqual(json.loads(plain), self.decoded(h, body), accept)
        # No Accept-Encoding at all (urllib would add "identity"; http.client lets us omit it).
        status, coding, crc, body = self.send_lines("Scan", json.dumps({"TableName": TABLE}).encode(), [])
        self.assertEqual((status, coding, int(crc)), (200, None, zlib.crc32(plain)))
        self.assertEqual(body, plain)

    def test_query_and_get_item_over_4kb(self):
        big = "q" * 6000
        self.ddb.put_item(TableName=WRITES, Item={"pk": {"S": "big"}, "v": {"S": big}})
        status, h, body = self.call("GetItem", {"TableName": WRITES, "Key": {"pk": {"S": "big"}}}, accept="gzip")
        self.assertEqual((status, h["content-encoding"]), (200, "gzip"))
        self.assertFramed(h, body)
        self.assertEqual(self.decoded(h, body)["Item"]["v"]["S"], big)
        status, h, body = self.call("Query", {"TableName": WRITES, "KeyConditionExpression": "pk = :k",
                                              "ExpressionAttributeValues": {":k": {"S": "big"}}}, accept="deflate")
        self.assertEqual((status, h["content-encoding"]), (200, "deflate"))
        self.assertFramed(h, body)
        self.assertEqual(self.decoded(h, body)["Items"][0]["v"]["S"], big)

    def test_small_responses_are_not_compressed(self):
        for op, req in (("GetItem", {"TableName": TABLE, "Key": {"pk": {"S": "k01"}}}),
                        ("ListTables", {}), ("DescribeTable", {"TableName": TABLE})):
            status, h, body = self.call(op, req, accept="gzip, deflate")
            self.assertEqual(status, 200)
            self.assertLess(len(body), THRESHOLD)
            self.assertNotIn("content-encoding", h, op)
            self.assertFramed(h, body)
            json.loads(body)

    def test_threshold_is_4096_bytes(self):
        def get(n):
            self.ddb.put_item(TableName=WRITES, Item={"pk": {"S": "edge"}, "v": {"S": "e" * n}})
            return self.call("GetItem", {"TableName": WRITES, "Key": {"pk": {"S": "edge"}}}, accept="gzip")
        _, _, body = get(1000)
        overhead = len(body) - 1000
        _, h, body = get(THRESHOLD - 1 - overhead)
        self.assertEqual(len(body), THRESHOLD - 1)
        self.assertNotIn("content-encoding", h)
        _, h, body = get(THRESHOLD - overhead)
        self.assertEqual(h["content-encoding"], "gzip")
        self.assertEqual(len(gzip.decompress(body)), THRESHOLD)
        self.assertFramed(h, body)

    def test_large_error_response_is_compressed_too(self):
        big = "old" * 3000
        self.ddb.put_item(TableName=WRITES, Item={"pk": {"S": "cond"}, "v": {"S": big}})
        status, h, body = self.call("PutItem", {"TableName": WRITES, "Item": {"pk": {"S": "cond"}},
                                                "ConditionExpression": "attribute_not_exists(pk)",
                                                "ReturnValuesOnConditionCheckFailure": "ALL_OLD"}, accept="gzip")
        self.assertEqual((status, h["content-encoding"]), (400, "gzip"))
        self.assertFramed(h, body)
        err = self.decoded(h, body)
        self.assertEqual(err["__type"], "com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException")
        self.assertEqual(err["Item"]["v"]["S"], big)

    def test_last_accept_encoding_header_counts(self):
        # Two header lines reach the server; DynamoDB goes by the last one.
        data = json.dumps({"TableName": TABLE}).encode()
        for first, last, want in (("identity", "gzip", "gzip"), ("gzip", "identity", None)):
            status, coding, crc, body = self.send_lines(
                "Scan", data, [("Accept-Encoding", first), ("Accept-Encoding", last)])
            self.assertEqual((status, coding), (200, want), body[:200])
            self.assertEqual(int(crc), zlib.crc32(body))

    def test_boto3_with_gzip_accept_encoding(self):
        """An SDK that asks for gzip (signed, as the Go SDK v2 with EnableAcceptEncodingGzip does)
        and checks X-Amz-Crc32 over the raw bytes before decompressing them (botocore's own check)."""
        import boto3
        import botocore.config
        ddb = boto3.client("dynamodb", endpoint_url=self.server.endpoint, aws_access_key_id="test",
                           aws_secret_access_key="test", region_name="us-east-1",
                           config=botocore.config.Config(retries={"max_attempts": 3, "mode": "standard"}))
        seen = []

        def ask_gzip(request, **kw):
            request.headers["Accept-Encoding"] = "gzip"

        def decompress(response_dict, customized_response_dict, **kw):
            coding = response_dict["headers"].get("Content-Encoding")
            seen.append(coding)
            if coding == "gzip":
                response_dict["body"] = gzip.decompress(response_dict["body"])

        ddb.meta.events.register("before-sign.dynamodb", ask_gzip)
        ddb.meta.events.register("before-parse.dynamodb", decompress)
        out = ddb.scan(TableName=TABLE)
        # A CRC32 mismatch is retryable for botocore: no retry means the checksum matched.
        self.assertEqual(out["ResponseMetadata"]["RetryAttempts"], 0)
        self.assertEqual(out["Count"], N_ITEMS)
        self.assertEqual(seen, ["gzip"])
        self.assertEqual(ddb.describe_table(TableName=TABLE)["Table"]["TableName"], TABLE)
        self.assertEqual(seen, ["gzip", None])
        # boto3's default sends "Accept-Encoding: identity": never compressed.
        plain_seen = []
        self.ddb.meta.events.register(
            "before-parse.dynamodb", lambda response_dict, **kw: plain_seen.append(
                response_dict["headers"].get("Content-Encoding")))
        self.assertEqual(self.ddb.scan(TableName=TABLE)["Count"], N_ITEMS)
        self.assertEqual(plain_seen, [None])

    # --- requests -----------------------------------------------------------------------------
    def item_request(self, key, value="v"):
        return {"TableName": WRITES, "Item": {"pk": {"S": key}, "data": {"S": value}}}

    def stored(self, key):
        return self.ddb.get_item(TableName=WRITES, Key={"pk": {"S": key}}, ConsistentRead=True).get("Item")

    def test_gzip_and_deflate_request_bodies(self):
        raw = json.dumps(self.item_request("req-gzip", "sent gzip " * 500)).encode()
        status, h, body = self.call("PutItem", None, content_encoding="gzip", body=gzip.compress(raw))
        self.assertEqual(status, 200, body)
        self.assertEqual(self.stored("req-gzip")["data"]["S"], "sent gzip " * 500)
        raw = json.dumps(self.item_request("req-deflate", "sent deflate")).encode()
        status, _, body = self.call("PutItem", None, content_encoding="deflate", body=zlib.compress(raw))
        self.assertEqual(status, 200, body)
        self.assertEqual(self.stored("req-deflate")["data"]["S"], "sent deflate")
        # Concatenated gzip members are one body (RFC 1952); "identity" is no coding; case does not matter.
        raw = json.dumps(self.item_request("req-two", "two members")).encode()
        status, _, body = self.call("PutItem", None, content_encoding="GZIP",
                                    body=gzip.compress(raw[:10]) + gzip.compress(raw[10:]))
        self.assertEqual(status, 200, body)
        self.assertEqual(self.stored("req-two")["data"]["S"], "two members")
        status, _, body = self.call("PutItem", self.item_request("req-id", "identity"), content_encoding="identity")
        self.assertEqual(status, 200, body)
        self.assertEqual(self.stored("req-id")["data"]["S"], "identity")
        # Compressed request, compressed response.
        status, h, body = self.call("Scan", None, accept="gzip", content_encoding="gzip",
                                    body=gzip.compress(json.dumps({"TableName": TABLE}).encode()))
        self.assertEqual((status, h["content-encoding"]), (200, "gzip"))
        self.assertFramed(h, body)
        self.assertEqual(self.decoded(h, body)["Count"], N_ITEMS)

    def test_signature_covers_the_compressed_bytes(self):
        raw = json.dumps(self.item_request("req-sig")).encode()
        compressed = gzip.compress(raw)
        # Signed over the uncompressed JSON but sent compressed: refused before decompressing.
        status, _, _, body = self.send_lines("PutItem", compressed, [], signed_headers={"Content-Encoding": "gzip"},
                                             signed_data=raw)
        self.assertEqual(status, 400, body)
        self.assertEqual(json.loads(body)["__type"], "com.amazon.coral.service#InvalidSignatureException")
        self.assertIsNone(self.stored("req-sig"))

    def test_boto3_request_compression(self):
        """botocore's request-compression feature (enabled for no DynamoDB operation in its model;
        forced here, as a client could) sends gzip bodies that localaws accepts."""
        ddb = self.server.boto3_client("dynamodb", request_min_compression_size_bytes=1)
        sent = []
        ops = ddb.meta.service_model._service_description["operations"]  # shared with other clients
        try:
            for op in ("PutItem", "GetItem"):
                ops[op]["requestcompression"] = {"encodings": ["gzip"]}
            ddb.meta.events.register("before-send.dynamodb", lambda request, **kw: sent.append(
                (request.headers.get("Content-Encoding"), bytes(request.body[:2]))))
            ddb.put_item(**self.item_request("req-boto3", "compressed by botocore"))
            got = ddb.get_item(TableName=WRITES, Key={"pk": {"S": "req-boto3"}}, ConsistentRead=True)
        finally:
            for op in ("PutItem", "GetItem"):
                ops[op].pop("requestcompression", None)
        self.assertEqual(got["Item"]["data"]["S"], "compressed by botocore")
        self.assertEqual(sent, [(b"gzip", b"\x1f\x8b")] * 2)

    def assertInternalError(self, status, h, body):
        self.assertEqual(status, 500, body)
        self.assertFramed(h, body)
        err = json.loads(body)
        self.assertEqual(err["__type"], "com.amazonaws.dynamodb.v20120810#InternalServerError")
        self.assertTrue(err["message"].startswith("Internal server error"), err)
        return err["message"]

    def test_broken_and_unknown_encodings(self):
        raw = json.dumps(self.item_request("req-broken")).encode()
        gz = gzip.compress(raw)
        cases = [
            ("gzip", raw, "not valid gzip"),               # not compressed at all
            ("gzip", gz[:-1], "not valid gzip"),           # truncated trailer
            ("gzip", gz[: len(gz) // 2], "not valid gzip"),
            ("gzip", b"", "not valid gzip"),
            ("gzip", gz + b"junk", "not valid gzip"),      # bytes after the member
            ("gzip", zlib.compress(raw), "not valid gzip"),  # the other format
            ("deflate", raw, "not valid deflate"),
            ("deflate", gz, "not valid deflate"),
            ("deflate", b"", "not valid deflate"),
            ("deflate", zlib.compress(raw[:10]) + zlib.compress(raw[10:]), "not valid deflate"),
            ("garbage", raw, "unsupported Content-Encoding 'garbage'"),
            ("br", raw, "unsupported Content-Encoding 'br'"),
            ("gzip, aws-chunked", gz, "unsupported Content-Encoding 'aws-chunked'"),
        ]
        for coding, body, why in cases:
            message = self.assertInternalError(*self.call("PutItem", None, content_encoding=coding, body=body))
            self.assertIn(why, message, coding)
        self.assertIsNone(self.stored("req-broken"))
        # The server is still up and serving.
        self.assertEqual(self.ddb.describe_table(TableName=TABLE)["Table"]["TableStatus"], "ACTIVE")

    def test_decompression_bomb_is_refused(self):
        # 20 MB of JSON whitespace: ~20 KB compressed, over DynamoDB's request size once decoded.
        raw = json.dumps(self.item_request("req-bomb")).encode()
        big = raw[:-1] + b" " * (20 * 1024 * 1024) + raw[-1:]
        bomb = gzip.compress(big, compresslevel=9)
        del big
        self.assertLess(len(bomb), 100 * 1024)
        status, h, body = self.call("PutItem", None, content_encoding="gzip", body=bomb)
        self.assertEqual(status, 413, body)
        self.assertFramed(h, body)
        self.assertEqual(json.loads(body), {"__type": "com.amazonaws.dynamodb.v20120810#RequestEntityTooLarge",
                                            "message": "Request Entity Too Large"})
        self.assertIsNone(self.stored("req-bomb"))
        # Just under the cap decodes and runs (16 MB of padding).
        ok = raw[:-1] + b" " * (16 * 1024 * 1024) + raw[-1:]
        status, _, body = self.call("PutItem", None, content_encoding="gzip", body=gzip.compress(ok, compresslevel=1))
        self.assertEqual(status, 200, body)
        self.assertIsNotNone(self.stored("req-bomb"))


if __name__ == "__main__":
    unittest.main()
