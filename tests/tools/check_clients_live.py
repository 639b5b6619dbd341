#!/usr/bin/env python3
"""Run by hand: real clients (boto3, the aws CLI) against a real localaws, judged by status.

While the S3 and DynamoDB services are stubs (501 for everything that passes auth), a 501 means
"the signature verified" and a 403 (S3) / 400 (DynamoDB) means "auth refused it". The lead turns
this into an integration test once the services answer for real.

    python3 tests/tools/check_clients_live.py      # LOCALAWS_BIN or build/dev is used
"""
import os
import subprocess
import sys
import tempfile
import time
import http.client
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "integration"))
from localaws_support import LocalAws  # noqa: E402

import botocore.exceptions  # noqa: E402

PASSED_AUTH = 501
results = []


def record(name, got, want):
    ok = got == want
    results.append(ok)
    print("%-4s %-62s got %s want %s" % ("ok" if ok else "FAIL", name, got, want))


def boto_status(fn):
    try:
        fn()
        return 200
    except botocore.exceptions.ClientError as e:
        return e.response["ResponseMetadata"]["HTTPStatusCode"]


def cli_status(server, *args, **env):
    p = server.aws(*args, check=False, **env)
    text = p.stdout + p.stderr
    for code in ("(501)", "(403)", "(400)", "(SignatureDoesNotMatch)", "(InvalidAccessKeyId)"):
        if code in text:
            return {"(SignatureDoesNotMatch)": 403, "(InvalidAccessKeyId)": 403}.get(code, int(code.strip("()")))
    return "exit %d: %s" % (p.returncode, text.strip()[-200:])


def url_status(url, method="GET", data=None):
    # http.client, not urllib: urllib adds a Content-Type to PUTs, which the URL did not sign.
    u = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
    conn.request(method, u.path + ("?" + u.query if u.query else ""), body=data)
    status = conn.getresponse().status
    conn.close()
    return status


def main():
    with LocalAws() as s:
        s3 = s.boto3_client("s3")
        bad_s3 = s.boto3_client("s3", secret_key="wrong")
        ddb = s.boto3_client("dynamodb")
        bad_ddb = s.boto3_client("dynamodb", secret_key="wrong")
        record("boto3 s3 list_buckets", boto_status(s3.list_buckets), PASSED_AUTH)
        record("boto3 s3 list_buckets, wrong secret", boto_status(bad_s3.list_buckets), 403)
        body = os.urandom(5000)
        record("boto3 put_object 5 KB (aws-chunked, CRC32 trailer)",
               boto_status(lambda: s3.put_object(Bucket="b", Key="dir/a b+c.txt", Body=body)), PASSED_AUTH)
        record("boto3 put_object, wrong secret",
               boto_status(lambda: bad_s3.put_object(Bucket="b", Key="k", Body=body)), 403)
        record("boto3 put_object 5 KB, ChecksumAlgorithm=SHA256",
               boto_status(lambda: s3.put_object(Bucket="b", Key="k", Body=body, ChecksumAlgorithm="SHA256")),
               PASSED_AUTH)
        record("boto3 get_object key with unicode and spaces",
               boto_status(lambda: s3.get_object(Bucket="b", Key="café/日本 ü~x=y.txt")), PASSED_AUTH)
        record("boto3 list_objects_v2 with prefix and delimiter",
               boto_status(lambda: s3.list_objects_v2(Bucket="b", Prefix="a b/", Delimiter="/")), PASSED_AUTH)
        record("boto3 dynamodb list_tables", boto_status(ddb.list_tables), PASSED_AUTH)
        record("boto3 dynamodb list_tables, wrong secret", boto_status(bad_ddb.list_tables), 400)

        # boto3 presigns S3 URLs with SigV2 unless told otherwise; check both.
        for label, client in (("SigV2", s3), ("SigV4", s.boto3_client("s3", signature_version="s3v4"))):
            url = client.generate_presigned_url("get_object", Params={"Bucket": "b", "Key": "photo cat.jpg"},
                                                ExpiresIn=300)
            sig = "X-Amz-Signature=" if label == "SigV4" else "Signature="
            assert ("&" + sig in url) or ("?" + sig in url), url
            record("presigned GET (%s)" % label, url_status(url), PASSED_AUTH)
            record("presigned GET (%s), signature altered" % label, url_status(url.replace(sig, sig + "0")), 403)
            put_url = client.generate_presigned_url("put_object", Params={"Bucket": "b", "Key": "up.txt"},
                                                    ExpiresIn=300)
            record("presigned PUT (%s)" % label, url_status(put_url, "PUT", b"uploaded by presigned URL"),
                   PASSED_AUTH)
        v4 = s.boto3_client("s3", signature_version="s3v4")
        too_long = v4.generate_presigned_url("get_object", Params={"Bucket": "b", "Key": "k"}, ExpiresIn=604801)
        record("presigned GET with X-Amz-Expires 604801", url_status(too_long), 400)
        expired = v4.generate_presigned_url("get_object", Params={"Bucket": "b", "Key": "k"}, ExpiresIn=0)
        record("presigned GET with X-Amz-Expires 0, a second later", (time.sleep(1.1), url_status(expired))[1], 403)

        record("aws s3api list-buckets", cli_status(s, "s3api", "list-buckets"), PASSED_AUTH)
        record("aws s3api list-buckets, wrong secret",
               cli_status(s, "s3api", "list-buckets", secret_key="wrong"), 403)
        record("aws dynamodb list-tables", cli_status(s, "dynamodb", "list-tables"), PASSED_AUTH)
        record("aws dynamodb list-tables, wrong secret",
               cli_status(s, "dynamodb", "list-tables", secret_key="wrong"), 400)
        with tempfile.NamedTemporaryFile(suffix=".bin") as f:
            f.write(os.urandom(20000))
            f.flush()
            record("aws s3api put-object --body 20 KB",
                   cli_status(s, "s3api", "put-object", "--bucket", "b", "--key", "k", "--body", f.name), PASSED_AUTH)
        record("aws s3api list-buckets, unknown key (verify mode)",
               cli_status(s, "s3api", "list-buckets", access_key="AKIAUNKNOWN", secret_key="x"), PASSED_AUTH)

    with LocalAws("--auth", "strict") as s:
        record("strict: aws s3api list-buckets, unknown key",
               cli_status(s, "s3api", "list-buckets", access_key="AKIAUNKNOWN", secret_key="x"), 403)
        record("strict: aws dynamodb list-tables, unknown key",
               cli_status(s, "dynamodb", "list-tables", access_key="AKIAUNKNOWN", secret_key="x"), 400)
        record("strict: aws s3api list-buckets, test/test", cli_status(s, "s3api", "list-buckets"), PASSED_AUTH)

    with LocalAws("--auth", "off") as s:
        record("off: aws s3api list-buckets, wrong secret",
               cli_status(s, "s3api", "list-buckets", secret_key="wrong"), PASSED_AUTH)

    print("%d/%d passed" % (sum(results), len(results)))
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
