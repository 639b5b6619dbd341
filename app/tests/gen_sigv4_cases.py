#!/usr/bin/env python3
"""Writes data/sigv4_cases.json: requests signed by botocore, the AWS SDK for Python, used as the
oracle for the C++ signer (sigv4_test.cc). Rerun after changing the cases:

    python3 app/tests/gen_sigv4_cases.py

Each case holds the inputs exactly as the C++ signer receives them (method, encoded path, decoded
query pairs, the headers botocore signed apart from the ones the signer adds itself, payload hash,
scope, time, credentials) and botocore's answer: the Authorization header, or the presigned query.
"""
import datetime
import json
import os
import urllib.parse

import botocore
import botocore.auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

HERE = os.path.dirname(os.path.abspath(__file__))
ADDED_BY_SIGNER = {"x-amz-date", "x-amz-security-token", "authorization"}


def rfc3986(s):
    return urllib.parse.quote(s, safe="-_.~")


def fixed_time(when):
    def now(remove_tzinfo=True):
        return when if remove_tzinfo else when.replace(tzinfo=datetime.timezone.utc)
    return now


def build_url(scheme_host, path, query):
    q = "&".join(rfc3986(k) + "=" + rfc3986(v) for k, v in query)
    return scheme_host + path + ("?" + q if q else "")


def header_case(name, service, region, when, creds, method, scheme_host, path, query, headers, body):
    botocore.auth.get_current_datetime = fixed_time(when)
    cls = botocore.auth.S3SigV4Auth if service == "s3" else botocore.auth.SigV4Auth
    req = AWSRequest(method=method, url=build_url(scheme_host, path, query), headers=dict(headers), data=body)
    cls(Credentials(*creds), service, region).add_auth(req)
    auth = req.headers["Authorization"]
    signed = auth.split("SignedHeaders=")[1].split(",")[0].split(";")
    host = urllib.parse.urlsplit(req.url).netloc
    sent = []
    for h in signed:
        if h in ADDED_BY_SIGNER:
            continue
        sent.append([h, host if h == "host" else req.headers[h]])
    payload = req.headers.get("X-Amz-Content-SHA256") or botocore.auth.SigV4Auth(
        Credentials(*creds), service, region).payload(req)
    return {"name": name, "kind": "header", "service": service, "region": region, "time": when.strftime("%Y%m%dT%H%M%SZ"),
            "credentials": list(creds) + ([""] if len(creds) == 2 else []), "method": method, "path": path,
            "query": [list(p) for p in query], "headers": sent, "payload_sha256": payload,
            "expected_authorization": auth}


def presign_case(name, region, when, creds, method, scheme_host, path, expires):
    botocore.auth.get_current_datetime = fixed_time(when)
    req = AWSRequest(method=method, url=build_url(scheme_host, path, []))
    botocore.auth.S3SigV4QueryAuth(Credentials(*creds), "s3", region, expires=expires).add_auth(req)
    query = urllib.parse.parse_qsl(urllib.parse.urlsplit(req.url).query, keep_blank_values=True)
    return {"name": name, "kind": "presign", "service": "s3", "region": region, "time": when.strftime("%Y%m%dT%H%M%SZ"),
            "credentials": list(creds) + ([""] if len(creds) == 2 else []), "method": method, "path": path,
            "query": [], "headers": [["host", urllib.parse.urlsplit(req.url).netloc]], "expires": expires,
            "expected_query": [list(p) for p in query]}


def main():
    t1 = datetime.datetime(2026, 3, 14, 15, 9, 26)
    t2 = datetime.datetime(2025, 12, 31, 23, 59, 59)
    keys = ("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
    temp = ("ASIAEXAMPLE", "c2VjcmV0L3dpdGgrc2xhc2g=", "FwoGZXIvYXdzEXAMPLE//token+with/odd=chars")
    item = json.dumps({"TableName": "ranker-shops", "Item": {"id": {"S": "caf\u00e9"}}})
    cases = [
        header_case("dynamodb PutItem", "dynamodb", "us-east-1", t1, keys, "POST", "https://dynamodb.us-east-1.amazonaws.com",
                    "/", [], {"Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": "DynamoDB_20120810.PutItem"},
                    item.encode()),
        header_case("dynamodb with session token on a local port", "dynamodb", "eu-west-1", t2, temp, "POST",
                    "http://127.0.0.1:4566", "/", [],
                    {"Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": "DynamoDB_20120810.TransactWriteItems"},
                    b'{"TransactItems": []}'),
        header_case("s3 GET of an awkward key, path style", "s3", "us-east-1", t1, keys, "GET", "http://localhost:4566",
                    "/" + "coffeeshopranker-x/" + urllib.parse.quote("photos/a b/\u00fc+x (1).png", safe="/-_.~"), [],
                    {}, b""),
        header_case("s3 ListObjectsV2 with a prefix", "s3", "eu-central-1", t1, keys, "GET",
                    "https://bucket-1.s3.eu-central-1.amazonaws.com", "/",
                    [("list-type", "2"), ("prefix", "photos/x y/"), ("max-keys", "1000"), ("continuation-token", "a+b/c==")],
                    {}, b""),
        header_case("s3 PUT with acl, md5 and odd header spacing", "s3", "ap-southeast-2", t2, temp, "PUT",
                    "https://photos.s3.ap-southeast-2.amazonaws.com", "/photos/s1/abc.png", [],
                    {"Content-Type": "image/png", "x-amz-acl": "public-read", "Content-MD5": "1B2M2Y8AsgTpgAmY7PhCfg==",
                     "x-amz-meta-note": "  two   spaces  here "}, b"\x89PNG\r\n\x1a\nfake"),
        header_case("s3 PutBucketPolicy subresource", "s3", "us-east-1", t1, keys, "PUT", "http://127.0.0.1:5000",
                    "/coffeeshopranker-x", [("policy", "")], {"Content-Type": "application/json"}, b'{"Version":"2012-10-17"}'),
        presign_case("presign GET", "us-east-1", t1, keys, "GET", "https://b1.s3.us-east-1.amazonaws.com",
                     "/photos/" + urllib.parse.quote("a b.png"), 900),
        presign_case("presign PUT with session token, path style", "eu-west-1", t2, temp, "PUT",
                     "http://127.0.0.1:4566", "/bucket/photos/upload.jpg", 3600),
    ]
    out = os.path.join(HERE, "data", "sigv4_cases.json")
    with open(out, "w") as f:
        json.dump({"generator": "botocore " + botocore.__version__, "cases": cases}, f, indent=1, ensure_ascii=False)
        f.write("\n")
    print("wrote %d cases to %s" % (len(cases), out))


if __name__ == "__main__":
    main()
