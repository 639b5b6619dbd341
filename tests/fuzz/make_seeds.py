#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets into tests/fuzz/corpus/<target>/.

auth_request and sigv4 seeds come from tests/unit/data/sigv4_cases.json (requests botocore
signed); the others are small hand-written inputs. Rerun after changing a target's input format.
"""
import base64
import hashlib
import hmac
import json
import os
import shutil

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
CORPUS = os.path.join(HERE, "corpus")


def write(target, name, data):
    d = os.path.join(CORPUS, target)
    os.makedirs(d, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def reset(target):
    shutil.rmtree(os.path.join(CORPUS, target), ignore_errors=True)


def auth_seeds():
    cases = json.load(open(os.path.join(ROOT, "tests", "unit", "data", "sigv4_cases.json")))["cases"]
    reset("auth_request")
    reset("sigv4")
    for i, c in enumerate(cases):
        head = "%s %s\n" % (c["method"], c["target"]) + "".join("%s: %s\n" % (k, v) for k, v in c["headers"])
        req = head.encode() + b"\n" + base64.b64decode(c["body_b64"])
        flag = 0 if c["service"] == "s3" else 3  # verify mode, S3 or DynamoDB
        write("auth_request", "case%02d" % i, bytes([flag]) + req)
        authz = dict((k.lower(), v) for k, v in c["headers"]).get("authorization", "")
        path, _, query = c["target"].partition("?")
        fields = [authz[len("AWS4-HMAC-SHA256"):] if authz.startswith("AWS4-HMAC-SHA256") else "",
                  "AKIDEXAMPLE/20260115/us-east-1/%s/aws4_request" % c["service"], "host;x-amz-date", path, query]
        fields += ["%s:%s" % (k.lower(), v) for k, v in c["headers"]]
        write("sigv4", "case%02d" % i, "\n".join(fields))


def chunk_sig(key, prev, data):
    sts = "\n".join(["AWS4-HMAC-SHA256-PAYLOAD", "20130524T000000Z", "20130524/us-east-1/s3/aws4_request", prev,
                     hashlib.sha256(b"").hexdigest(), hashlib.sha256(data).hexdigest()])
    return hmac.new(key, sts.encode(), hashlib.sha256).hexdigest()


def signing_key():
    k = ("AWS4" + "test").encode()
    for part in ("20130524", "us-east-1", "s3", "aws4_request"):
        k = hmac.new(k, part.encode(), hashlib.sha256).digest()
    return k


def chunked_seeds():
    reset("chunked")
    # Unsigned: options 0, pieces of 7 bytes.
    write("chunked", "unsigned", bytes([0, 7]) + b"5\r\nhello\r\n3\r\nabc\r\n0\r\n\r\n")
    write("chunked", "unsigned_trailer", bytes([4, 3]) + b"5\r\nhello\r\n0\r\nx-amz-checksum-crc32:NhCmhg==\r\n\r\n")
    # Signed, chained from the seed signature the target uses.
    key = signing_key()
    prev = "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9"
    body = b""
    for data in (b"a" * 8192, b"tail", b""):
        sig = chunk_sig(key, prev, data)
        body += b"%x;chunk-signature=%s\r\n" % (len(data), sig.encode()) + data + b"\r\n"
        prev = sig
    write("chunked", "signed", bytes([1, 0]) + body + b"\r\n")
    write("chunked", "signed_bad", bytes([1, 200]) + body.replace(b"tail", b"tall") + b"\r\n")


def main():
    auth_seeds()
    chunked_seeds()


if __name__ == "__main__":
    main()
