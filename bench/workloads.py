"""The request workloads the performance figures are stated in (issue 18), shared by
bench/instructions.py (callgrind instruction counts) and bench/http_compare.py (wrk rates).

seed(endpoint) loads the data through boto3 (any S3 + DynamoDB endpoint: localaws, moto_server);
requests(endpoint) returns, per workload, one pre-signed HTTP request (method, path, headers,
body) that can be replayed as is: SigV4 signatures stay valid for 15 minutes, and every workload
is idempotent (a GET, or a PUT/PutItem overwriting the same key with the same bytes).
"""
import json
import os
import socket

import boto3
import botocore.auth
import botocore.awsrequest
import botocore.config
import botocore.credentials

CREDS = botocore.credentials.Credentials("test", "test")
REGION = "us-east-1"
BUCKET = "bench-photos"      # public-read objects: the book's photo bucket
LIST_BUCKET = "bench-list"   # 1000 keys
LIST_KEYS = 1000
QUERY_ITEMS = 100
SCAN_ITEMS = 1000
BODY_4K = bytes((i * 131 + 7) % 251 for i in range(4096))

# (name, what it is): the order of the tables in bench/README.md.
WORKLOADS = [
    ("anon_get_4k", "anonymous GET 4 KiB (public-read)"),
    ("signed_get_4k", "signed GET 4 KiB"),
    ("signed_put_4k", "signed PUT 4 KiB"),
    ("list_1000", "ListObjectsV2, page of 1000 keys"),
    ("get_item", "GetItem (item of 6 attributes, ~190 B)"),
    ("put_item", "PutItem (~150 B)"),
    ("query_100", "Query returning 100 such items"),
    ("scan_1000", "Scan page of 1000 such items"),
]


def item(pk, n):
    """A coffee-shop rating of 6 attributes, about 190 bytes of DynamoDB JSON."""
    return {
        "pk": {"S": pk},
        "sk": {"S": "rating#%06d" % n},
        "shop": {"S": "Blue Bottle Coffee Roasters %d" % n},
        "score": {"N": "4.%02d" % (n % 100)},
        "votes": {"N": str(1000 + n)},
        "photo": {"S": "shops/shop-%04d/cover.jpg" % n},
    }


def clients(endpoint):
    kw = dict(endpoint_url=endpoint, region_name=REGION, aws_access_key_id="test",
              aws_secret_access_key="test",
              config=botocore.config.Config(s3={"addressing_style": "path"},
                                            retries={"max_attempts": 10}))
    return boto3.client("s3", **kw), boto3.client("dynamodb", **kw)


def seed(endpoint):
    s3, ddb = clients(endpoint)
    s3.create_bucket(Bucket=BUCKET)
    # The book's public-read bucket on a bucket made with today's defaults: ACLs enabled again,
    # Block Public Access off, the object public-read.
    s3.put_bucket_ownership_controls(
        Bucket=BUCKET, OwnershipControls={"Rules": [{"ObjectOwnership": "ObjectWriter"}]})
    s3.delete_public_access_block(Bucket=BUCKET)
    s3.put_object(Bucket=BUCKET, Key="shops/cover.jpg", Body=BODY_4K, ACL="public-read",
                  ContentType="image/jpeg")
    s3.put_object(Bucket=BUCKET, Key="private/cover.jpg", Body=BODY_4K, ContentType="image/jpeg")
    s3.create_bucket(Bucket=LIST_BUCKET)
    for i in range(LIST_KEYS):
        s3.put_object(Bucket=LIST_BUCKET, Key="photos/%05d.jpg" % i, Body=b"x" * 64)
    for name in ("ratings", "scanned"):
        ddb.create_table(TableName=name, BillingMode="PAY_PER_REQUEST",
                         AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                                               {"AttributeName": "sk", "AttributeType": "S"}],
                         KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"},
                                    {"AttributeName": "sk", "KeyType": "RANGE"}])
    for name in ("ratings", "scanned"):
        ddb.get_waiter("table_exists").wait(TableName=name, WaiterConfig={"Delay": 1})

    def batch(table, items):
        for i in range(0, len(items), 25):
            req = {table: [{"PutRequest": {"Item": it}} for it in items[i:i + 25]]}
            while req:
                req = ddb.batch_write_item(RequestItems=req).get("UnprocessedItems") or None

    batch("ratings", [item("shop-query", n) for n in range(QUERY_ITEMS)] + [item("shop-get", 1)])
    batch("scanned", [item("shop-%d" % (n % 50), n) for n in range(SCAN_ITEMS)])


def _s3(endpoint, method, path, body=b"", anonymous=False):
    req = botocore.awsrequest.AWSRequest(method=method, url=endpoint + path, data=body)
    if not anonymous:
        botocore.auth.S3SigV4Auth(CREDS, "s3", REGION).add_auth(req)
    headers = dict(req.headers)
    if anonymous:
        headers = {}
    return method, path, headers, body


def _ddb(endpoint, target, payload):
    body = json.dumps(payload, separators=(",", ":")).encode()
    req = botocore.awsrequest.AWSRequest(
        method="POST", url=endpoint + "/", data=body,
        headers={"X-Amz-Target": "DynamoDB_20120810." + target,
                 "Content-Type": "application/x-amz-json-1.0"})
    botocore.auth.SigV4Auth(CREDS, "dynamodb", REGION).add_auth(req)
    return "POST", "/", dict(req.headers), body


def requests(endpoint):
    """{workload name: (method, path, headers, body)}, signed for endpoint."""
    got = item("shop-get", 1)
    return {
        "anon_get_4k": _s3(endpoint, "GET", "/%s/shops/cover.jpg" % BUCKET, anonymous=True),
        "signed_get_4k": _s3(endpoint, "GET", "/%s/private/cover.jpg" % BUCKET),
        "signed_put_4k": _s3(endpoint, "PUT", "/%s/private/put.jpg" % BUCKET, BODY_4K),
        "list_1000": _s3(endpoint, "GET", "/%s?list-type=2" % LIST_BUCKET),
        "get_item": _ddb(endpoint, "GetItem", {"TableName": "ratings",
                                               "Key": {"pk": got["pk"], "sk": got["sk"]}}),
        "put_item": _ddb(endpoint, "PutItem", {"TableName": "ratings",
                                               "Item": item("shop-put", 7)}),
        "query_100": _ddb(endpoint, "Query", {
            "TableName": "ratings", "KeyConditionExpression": "pk = :p",
            "ExpressionAttributeValues": {":p": {"S": "shop-query"}}}),
        "scan_1000": _ddb(endpoint, "Scan", {"TableName": "scanned"}),
    }


def expect(name, status, body):
    """Raises unless a response is the workload's right answer (so a benchmark of errors fails)."""
    if status != 200:
        raise RuntimeError("%s: HTTP %d %r" % (name, status, body[:300]))
    if name in ("anon_get_4k", "signed_get_4k") and body != BODY_4K:
        raise RuntimeError("%s: wrong object bytes" % name)
    if name == "list_1000" and body.count(b"<Key>") != LIST_KEYS:
        raise RuntimeError("list_1000: %d keys" % body.count(b"<Key>"))
    if name == "get_item" and json.loads(body).get("Item") != item("shop-get", 1):
        raise RuntimeError("get_item: %r" % body[:300])
    if name == "query_100" and json.loads(body).get("Count") != QUERY_ITEMS:
        raise RuntimeError("query_100: %r" % body[:300])
    if name == "scan_1000" and json.loads(body).get("Count") != SCAN_ITEMS:
        raise RuntimeError("scan_1000: %r" % body[:300])


def raw(host, method, path, headers, body):
    lines = ["%s %s HTTP/1.1" % (method, path), "Host: %s" % host]
    for k, v in headers.items():
        if k.lower() not in ("host", "content-length"):
            lines.append("%s: %s" % (k, v))
    lines.append("Content-Length: %d" % len(body))
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


class Conn:
    """One keep-alive connection; roundtrip() returns (status, body)."""

    def __init__(self, endpoint):
        hostport = endpoint.split("//")[1]
        self.host = hostport
        self.sock = socket.create_connection((hostport.split(":")[0], int(hostport.split(":")[1])))
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buf = b""

    def roundtrip(self, request_bytes):
        self.sock.sendall(request_bytes)
        while b"\r\n\r\n" not in self.buf:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("closed")
            self.buf += chunk
        head, _, rest = self.buf.partition(b"\r\n\r\n")
        status = int(head.split(b" ", 2)[1])
        length = 0
        for line in head.split(b"\r\n")[1:]:
            k, _, v = line.partition(b":")
            if k.strip().lower() == b"content-length":
                length = int(v.strip())
        while len(rest) < length:
            chunk = self.sock.recv(max(65536, length - len(rest)))
            if not chunk:
                raise ConnectionError("closed")
            rest += chunk
        self.buf = rest[length:]
        return status, rest[:length]

    def close(self):
        self.sock.close()


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def status_kb(pid, field):
    """A /proc/PID/status field in KiB (VmRSS, VmHWM)."""
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def env_without_proxy():
    env = dict(os.environ)
    for k in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY"):
        env.pop(k, None)
    return env
