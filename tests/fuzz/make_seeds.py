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


def s3_seeds():
    reset("s3_service")
    delete = b"<Delete><Quiet>true</Quiet><Object><Key>k</Key></Object><Object><Key>x</Key><VersionId>null</VersionId></Object></Delete>"
    tags = b"<Tagging><TagSet><Tag><Key>a</Key><Value>b</Value></Tag></TagSet></Tagging>"
    complete = (b"<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>\"5d41402abc4b2a76b9719d911017c592\"</ETag>"
                b"</Part></CompleteMultipartUpload>")
    reqs = {
        "list_buckets": b"GET /\n\n",
        "create_bucket": b"PUT /c\n\n<CreateBucketConfiguration><LocationConstraint>eu-west-1</LocationConstraint></CreateBucketConfiguration>",
        "list_v2": b"GET /b?list-type=2&prefix=k&delimiter=/&max-keys=2&start-after=a&encoding-type=url\n\n",
        "list_v1": b"GET /b?marker=a&max-keys=1\n\n",
        "put": b"PUT /b/new%20key\ncontent-length: 3\ncontent-type: text/plain\nx-amz-meta-a: b\n\nabc",
        "get_range": b"GET /b/k\nrange: bytes=1-3\nif-none-match: \"x\"\n\n",
        "head": b"HEAD /b/k\nif-modified-since: Tue, 15 Nov 1994 08:12:31 GMT\n\n",
        "delete_objects": b"POST /b?delete\ncontent-md5: x\n\n" + delete,
        "put_tagging": b"PUT /b/k?tagging\n\n" + tags,
        "copy": b"PUT /b/copy\nx-amz-copy-source: /b/k\nx-amz-metadata-directive: REPLACE\n\n",
        "mpu_create": b"POST /b/m?uploads\n\n",
        "mpu_complete": b"POST /b/m?uploadId=abc\n\n" + complete,
        "mpu_part": b"PUT /b/m?partNumber=1&uploadId=abc\ncontent-length: 5\n\nhello",
        "attributes": b"GET /b/k?attributes\nx-amz-object-attributes: ETag,ObjectSize,Checksum\n\n",
        "location": b"GET /b?location\n\n",
        "checksum": b"PUT /b/sum\nx-amz-checksum-crc32: NhCmhg==\ncontent-length: 5\n\nhello",
    }
    for name, data in reqs.items():
        write("s3_service", name, data)


def ddb_seeds():
    reset("dynamodb_service")
    reqs = {
        "put_cond": ("PutItem", {"TableName": "t", "Item": {"pk": {"S": "b"}, "sk": {"N": "2"}, "s": {"SS": ["x", "y"]}},
                                 "ConditionExpression": "attribute_not_exists(pk) OR #n < :v",
                                 "ExpressionAttributeNames": {"#n": "n"}, "ExpressionAttributeValues": {":v": {"N": "5"}}}),
        "update": ("UpdateItem", {"TableName": "t", "Key": {"pk": {"S": "a"}, "sk": {"N": "1"}},
                                  "UpdateExpression": "SET m.x[0] = m.x[0] + :one, l = list_append(if_not_exists(l, :e), :e) "
                                                      "REMOVE gone ADD c :one DELETE s :ss",
                                  "ExpressionAttributeValues": {":one": {"N": "1"}, ":e": {"L": [{"S": "z"}]}, ":ss": {"SS": ["x"]}},
                                  "ReturnValues": "ALL_NEW"}),
        "query": ("Query", {"TableName": "t", "KeyConditionExpression": "pk = :p AND sk BETWEEN :a AND :b",
                            "FilterExpression": "size(m) > :z AND begins_with(pk, :p)", "ProjectionExpression": "pk, m.x[0]",
                            "ExpressionAttributeValues": {":p": {"S": "a"}, ":a": {"N": "0"}, ":b": {"N": "9"}, ":z": {"N": "0"}},
                            "Limit": 1, "ScanIndexForward": False}),
        "scan": ("Scan", {"TableName": "t", "FilterExpression": "contains(s, :x) OR attribute_type(m, :t)",
                          "ExpressionAttributeValues": {":x": {"S": "x"}, ":t": {"S": "M"}}, "Segment": 0, "TotalSegments": 2}),
        "get": ("GetItem", {"TableName": "t", "Key": {"pk": {"S": "a"}, "sk": {"N": "1"}}, "ConsistentRead": True}),
        "delete": ("DeleteItem", {"TableName": "t", "Key": {"pk": {"S": "a"}, "sk": {"N": "1"}}, "ReturnValues": "ALL_OLD"}),
        "transact": ("TransactWriteItems", {"TransactItems": [
            {"Put": {"TableName": "t", "Item": {"pk": {"S": "c"}, "sk": {"N": "3"}}}},
            {"ConditionCheck": {"TableName": "t", "Key": {"pk": {"S": "a"}, "sk": {"N": "1"}}, "ConditionExpression": "attribute_exists(pk)"}},
            {"Update": {"TableName": "t", "Key": {"pk": {"S": "d"}, "sk": {"N": "4"}}, "UpdateExpression": "SET v = :v",
                        "ExpressionAttributeValues": {":v": {"B": "AAE="}}}}]}),
        "batch_write": ("BatchWriteItem", {"RequestItems": {"t": [{"PutRequest": {"Item": {"pk": {"S": "e"}, "sk": {"N": "-1.5e10"}}}}]}}),
        "batch_get": ("BatchGetItem", {"RequestItems": {"t": {"Keys": [{"pk": {"S": "a"}, "sk": {"N": "1"}}]}}}),
        "create_gsi": ("CreateTable", {"TableName": "g", "BillingMode": "PAY_PER_REQUEST",
                                       "AttributeDefinitions": [{"AttributeName": "h", "AttributeType": "S"},
                                                                {"AttributeName": "x", "AttributeType": "B"}],
                                       "KeySchema": [{"AttributeName": "h", "KeyType": "HASH"}],
                                       "GlobalSecondaryIndexes": [{"IndexName": "i", "KeySchema": [{"AttributeName": "x", "KeyType": "HASH"}],
                                                                   "Projection": {"ProjectionType": "ALL"}}]}),
        "describe": ("DescribeTable", {"TableName": "t"}),
        "legacy": ("Scan", {"TableName": "t", "ScanFilter": {"pk": {"AttributeValueList": [{"S": "a"}], "ComparisonOperator": "EQ"}},
                            "AttributesToGet": ["pk"]}),
    }
    for name, (op, body) in reqs.items():
        write("dynamodb_service", name, op + "\n" + json.dumps(body))
    reset("ddb_expression")
    exprs = [(0, "a = :v AND (b.c[1] <> :w OR NOT attribute_exists(#d))"), (0, "x IN (:a, :b, :c) AND y BETWEEN :l AND :h"),
             (0, "size(a) >= :n AND begins_with(#s, :p) AND contains(l, :x)"), (1, "SET a = b + :c, d[2] = list_append(d, :l) REMOVE e.f"),
             (1, "ADD n :one DELETE s :v SET #x = if_not_exists(#x, :z)"), (2, "a, b.c, d[0].e, #f"),
             (3, "1.50|1.5"), (3, "-1e-130|9.9999999999999999999999999999999999999E+125"), (3, "0|-0.0001")]
    for i, (kind, text) in enumerate(exprs):
        write("ddb_expression", "e%02d" % i, bytes([kind]) + text.encode())
    for i, v in enumerate(['{"M": {"a": {"L": [{"N": "1"}, {"NULL": true}, {"BOOL": false}]}}}', '{"SS": ["a", "b"]}',
                           '{"NS": ["1", "2.0"]}', '{"B": "AAEC"}', '{"BS": ["AA==", "AQ=="]}', '{"N": "12345678901234567890123456789012345678"}']):
        write("ddb_expression", "v%02d" % i, bytes([4]) + v.encode())


def main():
    auth_seeds()
    chunked_seeds()
    s3_seeds()
    ddb_seeds()


if __name__ == "__main__":
    main()
