"""Authorization matrix: every S3 and DynamoDB operation is refused, with AWS's error, when the
request is unsigned, signed with a wrong secret for a known key, signed with an unknown key under
--auth strict, or (S3) comes from another account without a grant; and a refused request changes
nothing. Driven by the operation tables below."""
import base64
import hashlib
import json
import unittest

from hostile_support import send, sign
from localaws_support import LocalAws

B = "/matrix"  # a private bucket of the default account, holding object "k"
XML_DELETE = b"<Delete><Object><Key>k</Key></Object></Delete>"
XML_TAGS = b"<Tagging><TagSet><Tag><Key>a</Key><Value>b</Value></Tag></TagSet></Tagging>"
XML_COMPLETE = b"<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>\"x\"</ETag></Part></CompleteMultipartUpload>"

# (operation, method, path, headers, body), one row per operation of s3/router.h.
S3_OPS = [
    ("ListBuckets", "GET", "/", {}, b""),
    ("CreateBucket", "PUT", "/matrix-new", {}, b""),
    ("HeadBucket", "HEAD", B, {}, b""),
    ("DeleteBucket", "DELETE", B, {}, b""),
    ("GetBucketLocation", "GET", B + "?location", {}, b""),
    ("ListObjects", "GET", B, {}, b""),
    ("ListObjectsV2", "GET", B + "?list-type=2", {}, b""),
    ("ListMultipartUploads", "GET", B + "?uploads", {}, b""),
    ("DeleteObjects", "POST", B + "?delete", {}, XML_DELETE),
    ("PutObject", "PUT", B + "/k", {}, b"overwritten"),
    ("PutObject(new)", "PUT", B + "/new", {}, b"new"),
    ("CopyObject", "PUT", B + "/copy", {"x-amz-copy-source": "/matrix/k"}, b""),
    ("GetObject", "GET", B + "/k", {}, b""),
    ("HeadObject", "HEAD", B + "/k", {}, b""),
    ("DeleteObject", "DELETE", B + "/k", {}, b""),
    ("PutObjectTagging", "PUT", B + "/k?tagging", {}, XML_TAGS),
    ("GetObjectTagging", "GET", B + "/k?tagging", {}, b""),
    ("DeleteObjectTagging", "DELETE", B + "/k?tagging", {}, b""),
    ("GetObjectAttributes", "GET", B + "/k?attributes", {"x-amz-object-attributes": "ETag"}, b""),
    ("CreateMultipartUpload", "POST", B + "/mpu?uploads", {}, b""),
    ("UploadPart", "PUT", B + "/mpu?partNumber=1&uploadId={upload}", {}, b"part"),
    ("UploadPartCopy", "PUT", B + "/mpu?partNumber=2&uploadId={upload}", {"x-amz-copy-source": "/matrix/k"}, b""),
    ("CompleteMultipartUpload", "POST", B + "/mpu?uploadId={upload}", {}, XML_COMPLETE),
    ("AbortMultipartUpload", "DELETE", B + "/mpu?uploadId={upload}", {}, b""),
    ("ListParts", "GET", B + "/mpu?uploadId={upload}", {}, b""),
]

# (operation, request), one row per DynamoDB operation localaws serves.
T = "matrix"
DDB_OPS = [
    ("CreateTable", {"TableName": "matrix-new", "BillingMode": "PAY_PER_REQUEST",
                     "AttributeDefinitions": [{"AttributeName": "k", "AttributeType": "S"}],
                     "KeySchema": [{"AttributeName": "k", "KeyType": "HASH"}]}),
    ("DescribeTable", {"TableName": T}),
    ("ListTables", {}),
    ("DeleteTable", {"TableName": T}),
    ("UpdateTable", {"TableName": T, "BillingMode": "PAY_PER_REQUEST"}),
    ("TagResource", {"ResourceArn": "arn:aws:dynamodb:us-east-1:000000000000:table/matrix", "Tags": [{"Key": "a", "Value": "b"}]}),
    ("UntagResource", {"ResourceArn": "arn:aws:dynamodb:us-east-1:000000000000:table/matrix", "TagKeys": ["a"]}),
    ("ListTagsOfResource", {"ResourceArn": "arn:aws:dynamodb:us-east-1:000000000000:table/matrix"}),
    ("DescribeLimits", {}),
    ("DescribeEndpoints", {}),
    ("PutItem", {"TableName": T, "Item": {"k": {"S": "a"}, "v": {"S": "changed"}}}),
    ("GetItem", {"TableName": T, "Key": {"k": {"S": "a"}}}),
    ("DeleteItem", {"TableName": T, "Key": {"k": {"S": "a"}}}),
    ("UpdateItem", {"TableName": T, "Key": {"k": {"S": "a"}}, "UpdateExpression": "SET v = :v",
                    "ExpressionAttributeValues": {":v": {"S": "changed"}}}),
    ("Query", {"TableName": T, "KeyConditionExpression": "k = :k", "ExpressionAttributeValues": {":k": {"S": "a"}}}),
    ("Scan", {"TableName": T}),
    ("TransactWriteItems", {"TransactItems": [{"Put": {"TableName": T, "Item": {"k": {"S": "a"}, "v": {"S": "changed"}}}}]}),
    ("TransactGetItems", {"TransactItems": [{"Get": {"TableName": T, "Key": {"k": {"S": "a"}}}}]}),
    ("BatchGetItem", {"RequestItems": {T: {"Keys": [{"k": {"S": "a"}}]}}}),
    ("BatchWriteItem", {"RequestItems": {T: [{"DeleteRequest": {"Key": {"k": {"S": "a"}}}}]}}),
]

OTHER = {"accessKeyId": "OTHERKEY", "secretAccessKey": "othersecret", "accountId": "222233334444"}


def s3_request(srv, method, path, headers, body, how):
    headers = dict(headers)
    if body and any(s in path for s in ("?delete",)):
        headers["Content-MD5"] = base64.b64encode(hashlib.md5(body).digest()).decode()
    if how == "unsigned":
        h = dict(headers)
        h["Host"] = "%s" % srv.endpoint.split("//")[1]
    elif how == "wrong-secret":
        h = sign(srv, method, path, body, headers, "s3", "test", "not-the-secret")
    elif how == "unknown-key":
        h = sign(srv, method, path, body, headers, "s3", "AKIAUNKNOWNKEY000000", "whatever")
    else:  # another account, correctly signed
        h = sign(srv, method, path, body, headers, "s3", OTHER["accessKeyId"], OTHER["secretAccessKey"])
    return send(srv, method, path, body, h)


def ddb_request(srv, op, req, how):
    body = json.dumps(req).encode()
    headers = {"X-Amz-Target": "DynamoDB_20120810." + op, "Content-Type": "application/x-amz-json-1.0"}
    if how == "unsigned":
        h = dict(headers)
        h["Host"] = srv.endpoint.split("//")[1]
    elif how == "wrong-secret":
        h = sign(srv, "POST", "/", body, headers, "dynamodb", "test", "not-the-secret")
    else:
        h = sign(srv, "POST", "/", body, headers, "dynamodb", "AKIAUNKNOWNKEY000000", "whatever")
    return send(srv, "POST", "/", body, h)


class AuthMatrixTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.srv = LocalAws("--auth", "strict", accounts=[OTHER]).start()
        cls.s3 = cls.srv.boto3_client("s3")
        cls.s3.create_bucket(Bucket="matrix")
        cls.s3.put_object(Bucket="matrix", Key="k", Body=b"original")
        cls.upload = cls.s3.create_multipart_upload(Bucket="matrix", Key="mpu")["UploadId"]
        cls.ddb = cls.srv.boto3_client("dynamodb")
        cls.ddb.create_table(TableName=T, BillingMode="PAY_PER_REQUEST",
                             AttributeDefinitions=[{"AttributeName": "k", "AttributeType": "S"}],
                             KeySchema=[{"AttributeName": "k", "KeyType": "HASH"}])
        cls.ddb.put_item(TableName=T, Item={"k": {"S": "a"}, "v": {"S": "original"}})

    @classmethod
    def tearDownClass(cls):
        cls.srv.close()

    def assert_unchanged(self):
        self.assertEqual([b["Name"] for b in self.s3.list_buckets()["Buckets"]], ["matrix"])
        objs = self.s3.list_objects_v2(Bucket="matrix")
        self.assertEqual([o["Key"] for o in objs.get("Contents", [])], ["k"])
        self.assertEqual(self.s3.get_object(Bucket="matrix", Key="k")["Body"].read(), b"original")
        self.assertEqual(self.s3.get_object_tagging(Bucket="matrix", Key="k")["TagSet"], [])
        ups = self.s3.list_multipart_uploads(Bucket="matrix").get("Uploads", [])
        self.assertEqual([u["UploadId"] for u in ups], [self.upload])
        self.assertEqual(self.s3.list_parts(Bucket="matrix", Key="mpu", UploadId=self.upload).get("Parts", []), [])
        self.assertEqual(self.ddb.list_tables()["TableNames"], [T])
        self.assertEqual(self.ddb.get_item(TableName=T, Key={"k": {"S": "a"}})["Item"],
                         {"k": {"S": "a"}, "v": {"S": "original"}})
        tags = self.ddb.list_tags_of_resource(ResourceArn="arn:aws:dynamodb:us-east-1:000000000000:table/matrix")
        self.assertEqual(tags.get("Tags", []), [])

    def check_s3(self, how, status, code):
        for name, method, path, headers, body in S3_OPS:
            path = path.format(upload=self.upload)
            with self.subTest(op=name, how=how):
                st, _, resp = s3_request(self.srv, method, path, headers, body, how)
                if name == "DeleteObjects" and code == "AccessDenied":
                    self.assert_refused_per_key(st, resp)
                    continue
                self.assertEqual(st, status, resp[:400])
                if method != "HEAD":
                    self.assertIn(b"<Code>%s</Code>" % code.encode(), resp, resp[:400])
        self.assert_unchanged()

    def assert_refused_per_key(self, st, resp):
        # A signed-in (or anonymous) caller without s3:DeleteObject: AWS checks the permission per
        # key, so the request succeeds and each key it may not delete is an AccessDenied entry.
        self.assertEqual(st, 200, resp[:400])
        self.assertIn(b"<Error><Key>k</Key><Code>AccessDenied</Code>", resp, resp[:400])

    def check_ddb(self, how, code):
        for op, req in DDB_OPS:
            with self.subTest(op=op, how=how):
                st, _, resp = ddb_request(self.srv, op, req, how)
                self.assertEqual(st, 400, resp[:400])
                self.assertTrue(json.loads(resp)["__type"].endswith("#" + code), resp[:400])
        self.assert_unchanged()

    def test_s3_unsigned(self):
        self.check_s3("unsigned", 403, "AccessDenied")

    def test_s3_wrong_secret(self):
        self.check_s3("wrong-secret", 403, "SignatureDoesNotMatch")

    def test_s3_unknown_key_strict(self):
        self.check_s3("unknown-key", 403, "InvalidAccessKeyId")

    def test_s3_other_account_without_grant(self):
        rows = [r for r in S3_OPS if r[0] not in ("ListBuckets", "CreateBucket")]
        for name, method, path, headers, body in rows:
            path = path.format(upload=self.upload)
            with self.subTest(op=name):
                st, _, resp = s3_request(self.srv, method, path, headers, body, "other-account")
                if name == "DeleteObjects":
                    self.assert_refused_per_key(st, resp)
                    continue
                self.assertEqual(st, 403, resp[:400])
                if method != "HEAD":
                    self.assertIn(b"<Code>AccessDenied</Code>", resp, resp[:400])
        # Its own ListBuckets shows none of ours.
        st, _, resp = s3_request(self.srv, "GET", "/", {}, b"", "other-account")
        self.assertEqual(st, 200, resp[:400])
        self.assertNotIn(b"<Name>matrix</Name>", resp)
        self.assert_unchanged()

    def test_ddb_unsigned(self):
        self.check_ddb("unsigned", "MissingAuthenticationTokenException")

    def test_ddb_wrong_secret(self):
        self.check_ddb("wrong-secret", "InvalidSignatureException")

    def test_ddb_unknown_key_strict(self):
        self.check_ddb("unknown-key", "UnrecognizedClientException")

    def test_tables_are_per_account(self):
        other = self.srv.boto3_client("dynamodb", access_key=OTHER["accessKeyId"], secret_key=OTHER["secretAccessKey"])
        self.assertEqual(other.list_tables()["TableNames"], [])
        with self.assertRaises(other.exceptions.ResourceNotFoundException):
            other.get_item(TableName=T, Key={"k": {"S": "a"}})
        self.assert_unchanged()


if __name__ == "__main__":
    unittest.main()
