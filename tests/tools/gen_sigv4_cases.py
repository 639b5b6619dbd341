#!/usr/bin/env python3
"""Writes tests/unit/data/sigv4_cases.json: requests signed by botocore, the signer boto3 and the
aws CLI use, so the unit tests check localaws's verifier against an independent implementation.

Each case holds the request exactly as it goes on the wire (method, target, headers, body),
the secret it was signed with, and botocore's canonical request and signature. The clock is
fixed, so the file only changes when the case list (or botocore) changes.

    python3 tests/tools/gen_sigv4_cases.py            # rewrite the data file
    python3 tests/tools/gen_sigv4_cases.py --check    # fail if it is out of date
"""
import base64
import datetime
import json
import os
import sys
import types
import zlib
from urllib.parse import quote, urlsplit

import botocore
import botocore.auth as auth
import botocore.compat
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(os.path.dirname(HERE), "unit", "data", "sigv4_cases.json")

FIXED = datetime.datetime(2026, 1, 15, 12, 30, 45)
NOW = int(FIXED.replace(tzinfo=datetime.timezone.utc).timestamp())
ACCESS_KEY = "AKIDEXAMPLE"
SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
TOKEN = "IQoJb3JpZ2luX2VjEXAMPLE+TOKEN/with=chars"
ENDPOINT = "http://localhost:4566"

# botocore reads the clock through compat.get_current_datetime; pin it.
auth.get_current_datetime = lambda *a, **k: FIXED
botocore.compat.get_current_datetime = auth.get_current_datetime


def key_path(bucket, key):
    # How boto3 puts an S3 key in the path: percent-encoded, '/' and '~' kept.
    return "/" + bucket + "/" + quote(key, safe="/~")


def sign(name, kind, method, target, headers=(), body=b"", service="s3", region="us-east-1", expires=None,
         token=None, unsigned=False, trailer=False, repeat=()):
    creds = Credentials(ACCESS_KEY, SECRET, token)
    # A presigned URL is signed before any body exists; the body is only sent with it later.
    req = AWSRequest(method=method, url=ENDPOINT + target, data=body if kind == "header" else b"")
    for k, v in headers:
        req.headers[k] = v
    for k, v in repeat:  # a second occurrence of a header
        req.headers[k] = v
    if unsigned:
        req.context["client_config"] = types.SimpleNamespace(s3={"payload_signing_enabled": False})
    if trailer:
        req.context["checksum"] = {"request_algorithm": {"in": "trailer", "name": "x-amz-checksum-crc32",
                                                         "algorithm": "crc32"}}
    if kind == "header":
        signer = (auth.S3SigV4Auth if service == "s3" else auth.SigV4Auth)(creds, service, region)
    else:
        signer = (auth.S3SigV4QueryAuth if service == "s3" else auth.SigV4QueryAuth)(creds, service, region,
                                                                                    expires=expires)
    seen = {}
    original = signer.canonical_request

    def capture(r):
        seen["canonical"] = original(r)
        return seen["canonical"]

    signer.canonical_request = capture
    signer.add_auth(req)
    url = urlsplit(req.url)
    target_sent = url.path + ("?" + url.query if url.query else "")
    sent_headers = [["Host", url.netloc]] + [[k, v] for k, v in req.headers.items()]
    if kind == "header":
        signature = req.headers["Authorization"].rsplit("Signature=", 1)[1]
    else:
        signature = [p.split("=", 1)[1] for p in url.query.split("&") if p.startswith("X-Amz-Signature=")][0]
    return {
        "name": name,
        "service": service,
        "kind": kind,
        "method": method,
        "target": target_sent,
        "headers": sent_headers,
        "body_b64": base64.b64encode(body).decode(),
        "access_key": ACCESS_KEY,
        "secret": SECRET,
        "now": NOW,
        "expires": expires,
        "canonical_request": seen["canonical"],
        "signature": signature,
    }


def sign_v2(name, kind, method, target, headers=(), expires=None):
    """S3's legacy SigV2: header ("AWS key:sig") or query (AWSAccessKeyId/Expires/Signature)."""
    creds = Credentials(ACCESS_KEY, SECRET)
    req = AWSRequest(method=method, url=ENDPOINT + target)
    for k, v in headers:
        req.headers[k] = v
    if kind == "v2header":
        signer = auth.HmacV1Auth(creds)
        signer._get_date = lambda: "Thu, 15 Jan 2026 12:30:45 GMT"
    else:
        signer = auth.HmacV1QueryAuth(creds, expires=expires)
        signer._get_date = lambda: str(NOW + expires)
    seen = {}
    original = signer.canonical_string

    def capture(*a, **k):
        seen["sts"] = original(*a, **k)
        return seen["sts"]

    signer.canonical_string = capture
    signer.add_auth(req)
    url = urlsplit(req.url)
    if kind == "v2header":
        signature = req.headers["Authorization"].split(":", 1)[1]
    else:
        signature = [p.split("=", 1)[1] for p in url.query.split("&") if p.startswith("Signature=")][0]
    return {
        "name": name, "service": "s3", "kind": kind, "method": method,
        "target": url.path + ("?" + url.query if url.query else ""),
        # A presigned URL travels without the headers botocore used while signing it.
        "headers": [["Host", url.netloc]] + ([[k, v] for k, v in req.headers.items()] if kind == "v2header" else []),
        "body_b64": "", "access_key": ACCESS_KEY, "secret": SECRET, "now": NOW, "expires": expires,
        "canonical_request": seen["sts"], "signature": signature,
    }


def aws_chunked(data, chunk=8192):
    out = b""
    for i in range(0, len(data), chunk):
        piece = data[i:i + chunk]
        out += b"%x\r\n" % len(piece) + piece + b"\r\n"
    crc = base64.b64encode(zlib.crc32(data).to_bytes(4, "big"))
    return out + b"0\r\nx-amz-checksum-crc32:" + crc + b"\r\n\r\n"


def cases():
    c = []
    s3h = lambda name, method, target, **kw: c.append(sign(name, "header", method, target, **kw))
    s3q = lambda name, method, target, expires=3600, **kw: c.append(
        sign(name, "query", method, target, expires=expires, **kw))
    ddb = lambda name, target, body, **kw: c.append(sign(
        name, "header", "POST", target, service="dynamodb", body=body,
        headers=[("Content-Type", "application/x-amz-json-1.0"), ("X-Amz-Target", "DynamoDB_20120810.ListTables")]
        + kw.pop("headers", []), **kw))

    s3h("list buckets", "GET", "/")
    s3h("list objects v2 with encoded query", "GET", "/bucket?list-type=2&prefix=a%20b%2Bc&delimiter=%2F&max-keys=5")
    for label, key in [("space", "my file.txt"), ("plus", "a+b.txt"), ("tilde", "~user/a~b"), ("literal %2F", "a%2Fb"),
                       ("equals", "k=v&x=y"), ("unicode", "café/日本語 ü.txt"), ("dot dot", "a/../b/./c"),
                       ("reserved", "!$'()*,;:@[]"), ("trailing slash", "folder/"), ("double slash", "a//b")]:
        s3h("get key with " + label, "GET", key_path("bucket", key))
    s3h("client-encoded slash in key", "GET", "/bucket/a%2Fb%2Fc")
    s3h("empty query values", "GET", "/bucket/key?acl&tagging=&versionId=")
    s3h("repeated query keys", "GET", "/bucket?z=1&a=2&a=1&b=&a=")
    s3h("query with unicode and tilde", "GET", "/bucket?prefix=%C3%A9t%C3%A9~x&marker=%2A")
    s3h("multi-value header", "GET", "/bucket/key", headers=[("X-Amz-Meta-Multi", "one")],
        repeat=[("X-Amz-Meta-Multi", "two")])
    s3h("header with inner spaces", "PUT", "/bucket/key", body=b"x",
        headers=[("X-Amz-Meta-Spaces", "  a   b\t c  "), ("Content-Type", "text/plain")])
    s3h("put with body hash", "PUT", key_path("bucket", "dir/obj.bin"), body=bytes(range(256)) * 20,
        headers=[("Content-Type", "application/octet-stream"), ("X-Amz-Meta-Color", "blue")])
    s3h("put empty body", "PUT", "/new-bucket")
    s3h("unsigned payload", "PUT", "/bucket/unsigned", body=b"hello unsigned", unsigned=True)
    s3h("security token", "GET", "/bucket/key", token=TOKEN)
    s3h("other region", "GET", "/bucket/key", region="eu-central-1")
    body = b"chunk data " * 2000
    s3h("unsigned trailer aws-chunked", "PUT", "/bucket/chunked", body=aws_chunked(body), trailer=True,
        headers=[("Content-Encoding", "aws-chunked"), ("X-Amz-Trailer", "x-amz-checksum-crc32"),
                 ("X-Amz-Decoded-Content-Length", str(len(body)))])

    s3q("presigned get", "GET", key_path("bucket", "photos/cat.jpg"))
    s3q("presigned get special key", "GET", key_path("bucket", "a b+c~d=é/..%2F"))
    s3q("presigned put with content type", "PUT", key_path("bucket", "upload.txt"), body=b"presigned body",
        headers=[("Content-Type", "text/plain")])
    s3q("presigned with existing query", "GET",
        "/bucket/key?versionId=3%2Fabc&response-content-disposition=attachment%3B%20filename%3D%22a%20b.txt%22")
    s3q("presigned with token", "GET", "/bucket/key", token=TOKEN, expires=60)
    s3q("presigned max lifetime", "GET", "/bucket/key", expires=604800)

    c.append(sign_v2("sigv2 header get", "v2header", "GET", key_path("bucket", "a b/c.txt") + "?acl",
                     headers=[("X-Amz-Meta-B", "2"), ("x-amz-meta-a", "1"), ("Content-Type", "text/plain")]))
    c.append(sign_v2("sigv2 header with sub-resources", "v2header", "PUT",
                     "/bucket/key?uploadId=abc%2Fdef&partNumber=3"))
    c.append(sign_v2("sigv2 presigned get", "v2query", "GET", key_path("bucket", "photos/cat dog.jpg"), expires=900))
    c.append(sign_v2("sigv2 presigned with response override", "v2query", "GET",
                     "/bucket/key?response-content-type=text%2Fhtml&versionId=7", expires=60))

    ddb("dynamodb list tables", "/", b"{}")
    ddb("dynamodb unicode body", "/", json.dumps({"TableName": "t", "Item": {"k": {"S": "héllo ☕"}}}).encode())
    ddb("dynamodb double-encoded path", "/a%20b/c%2Fd", b"{}")
    ddb("dynamodb dot segments", "/a/./b/../c/", b"{}")
    ddb("dynamodb repeated query", "/?b=2&a=1&a=", b"{}")
    ddb("dynamodb security token", "/", b"{}", token=TOKEN)
    return c


def main():
    data = {"generator": "tests/tools/gen_sigv4_cases.py", "botocore": botocore.__version__, "cases": cases()}
    text = json.dumps(data, indent=1, ensure_ascii=False) + "\n"
    if "--check" in sys.argv:
        with open(OUT, encoding="utf-8") as f:
            old = json.load(f)
        old.pop("botocore", None)
        data.pop("botocore", None)
        if old != json.loads(json.dumps(data)):
            sys.exit("sigv4_cases.json is out of date: run tests/tools/gen_sigv4_cases.py")
        return
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w", encoding="utf-8") as f:
        f.write(text)
    print("wrote %d cases to %s" % (len(data["cases"]), OUT))


if __name__ == "__main__":
    main()
