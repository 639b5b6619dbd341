"""DynamoDB items and expressions through boto3: the low-level client and the resource Table API
with boto3.dynamodb.conditions (Key / Attr builders)."""
import decimal
import unittest

from boto3.dynamodb.conditions import Attr

from ddb_support import DdbTestCase, raw_call


class ItemsTest(DdbTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.res = cls.server.boto3_resource("dynamodb")
        cls.ddb.create_table(TableName="items", BillingMode="PAY_PER_REQUEST",
                             AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                                                   {"AttributeName": "sk", "AttributeType": "N"}],
                             KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"},
                                        {"AttributeName": "sk", "KeyType": "RANGE"}])
        cls.ddb.create_table(TableName="with-lsi", BillingMode="PAY_PER_REQUEST",
                             AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                                                   {"AttributeName": "sk", "AttributeType": "S"},
                                                   {"AttributeName": "l", "AttributeType": "S"}],
                             KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"},
                                        {"AttributeName": "sk", "KeyType": "RANGE"}],
                             LocalSecondaryIndexes=[{"IndexName": "by-l", "Projection": {"ProjectionType": "ALL"},
                                                     "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"},
                                                                   {"AttributeName": "l", "KeyType": "RANGE"}]}])
        cls.table = cls.res.Table("items")

    def error(self, fn, **kw):
        return self.client_error(fn, **kw)

    def msg(self, fn, **kw):
        e = self.error(fn, **kw)["Error"]
        return e["Code"], e["Message"]

    def test_put_get_delete_all_types(self):
        item = {"pk": {"S": "types"}, "sk": {"N": "1"}, "s": {"S": ""}, "n": {"N": "-0.50"}, "b": {"B": b"\x00\x01"},
                "ss": {"SS": ["a", "b"]}, "ns": {"NS": ["1", "2.5"]}, "bs": {"BS": [b"x"]},
                "m": {"M": {"k": {"L": [{"NULL": True}, {"BOOL": False}]}}}}
        self.assertNotIn("Attributes", self.ddb.put_item(TableName="items", Item=item))
        got = self.ddb.get_item(TableName="items", Key={"pk": {"S": "types"}, "sk": {"N": "1.0"}}, ConsistentRead=True)
        expected = dict(item, n={"N": "-0.5"})
        self.assertEqual(got["Item"], expected)
        old = self.ddb.put_item(TableName="items", Item={"pk": {"S": "types"}, "sk": {"N": "1"}}, ReturnValues="ALL_OLD")
        self.assertEqual(old["Attributes"], expected)
        r = self.ddb.delete_item(TableName="items", Key={"pk": {"S": "types"}, "sk": {"N": "1"}}, ReturnValues="ALL_OLD")
        self.assertEqual(r["Attributes"], {"pk": {"S": "types"}, "sk": {"N": "1"}})
        self.assertNotIn("Item", self.ddb.get_item(TableName="items", Key={"pk": {"S": "types"}, "sk": {"N": "1"}}))

    def test_resource_api_with_decimals_and_conditions(self):
        t = self.table
        t.put_item(Item={"pk": "shop", "sk": 1, "name": "Bean There", "rating": decimal.Decimal("4.5"),
                         "tags": {"wifi", "quiet"}, "visits": 0})
        t.put_item(Item={"pk": "shop", "sk": 1, "name": "Bean There", "rating": decimal.Decimal("4.5"),
                         "tags": {"wifi", "quiet"}, "visits": 0},
                   ConditionExpression=Attr("rating").between(4, 5) & Attr("tags").contains("wifi"))
        with self.assertRaises(t.meta.client.exceptions.ConditionalCheckFailedException):
            t.put_item(Item={"pk": "shop", "sk": 1}, ConditionExpression=Attr("pk").not_exists())
        r = t.update_item(Key={"pk": "shop", "sk": 1},
                          UpdateExpression="SET rating = rating + :d, #n = :n ADD visits :one",
                          ConditionExpression=Attr("name").begins_with("Bean") & ~Attr("closed").exists(),
                          ExpressionAttributeNames={"#n": "name"},
                          ExpressionAttributeValues={":d": decimal.Decimal("0.1"), ":n": "Bean Here", ":one": 1},
                          ReturnValues="UPDATED_NEW")
        self.assertEqual(r["Attributes"], {"rating": decimal.Decimal("4.6"), "name": "Bean Here", "visits": 1})
        got = t.get_item(Key={"pk": "shop", "sk": 1}, ProjectionExpression="#n, tags",
                         ExpressionAttributeNames={"#n": "name"})["Item"]
        self.assertEqual(got, {"name": "Bean Here", "tags": {"wifi", "quiet"}})
        with self.assertRaises(t.meta.client.exceptions.ConditionalCheckFailedException):
            t.delete_item(Key={"pk": "shop", "sk": 1}, ConditionExpression=Attr("visits").gt(5))
        t.delete_item(Key={"pk": "shop", "sk": 1}, ConditionExpression=Attr("visits").lte(5) | Attr("x").eq(1))
        self.assertNotIn("Item", t.get_item(Key={"pk": "shop", "sk": 1}))

    def test_condition_failure_returns_item_when_asked(self):
        key = {"pk": {"S": "ccf"}, "sk": {"N": "1"}}
        self.ddb.put_item(TableName="items", Item=dict(key, v={"S": "old"}))
        e = self.error(self.ddb.put_item, TableName="items", Item=key, ConditionExpression="attribute_not_exists(pk)",
                       ReturnValuesOnConditionCheckFailure="ALL_OLD")
        self.assertEqual(e["Error"]["Code"], "ConditionalCheckFailedException")
        self.assertEqual(e["Error"]["Message"], "The conditional request failed")
        self.assertEqual(e["Item"], dict(key, v={"S": "old"}))
        e = self.error(self.ddb.put_item, TableName="items", Item=key, ConditionExpression="attribute_not_exists(pk)")
        self.assertNotIn("Item", e)

    def test_update_item_return_values(self):
        key = {"pk": {"S": "rv"}, "sk": {"N": "1"}}
        r = self.ddb.update_item(TableName="items", Key=key, UpdateExpression="SET a = :a, m = :m",
                                 ExpressionAttributeValues={":a": {"N": "1"}, ":m": {"M": {"x": {"S": "y"}, "z": {"S": "w"}}}},
                                 ReturnValues="ALL_NEW")
        self.assertEqual(r["Attributes"], dict(key, a={"N": "1"}, m={"M": {"x": {"S": "y"}, "z": {"S": "w"}}}))
        r = self.ddb.update_item(TableName="items", Key=key, UpdateExpression="SET m.x = :v REMOVE a",
                                 ExpressionAttributeValues={":v": {"S": "new"}}, ReturnValues="UPDATED_OLD")
        self.assertEqual(r["Attributes"], {"a": {"N": "1"}, "m": {"M": {"x": {"S": "y"}}}})
        r = self.ddb.update_item(TableName="items", Key=key, UpdateExpression="SET b = :v",
                                 ExpressionAttributeValues={":v": {"S": "b"}}, ReturnValues="ALL_OLD")
        self.assertEqual(r["Attributes"], dict(key, m={"M": {"x": {"S": "new"}, "z": {"S": "w"}}}))
        code, msg = self.msg(self.ddb.update_item, TableName="items", Key=key, UpdateExpression="SET pk = :v",
                             ExpressionAttributeValues={":v": {"S": "b"}})
        self.assertEqual(msg, "One or more parameter values were invalid: Cannot update attribute pk. "
                              "This attribute is part of the key")
        code, msg = self.msg(self.ddb.put_item, TableName="items", Item=key, ReturnValues="ALL_NEW")
        self.assertEqual(msg, "Return values set to invalid value")

    def test_key_validation(self):
        cases = [
            ({"pk": {"S": "a"}}, "The provided key element does not match the schema"),
            ({"pk": {"S": "a"}, "sk": {"S": "1"}}, "The provided key element does not match the schema"),
            ({"pk": {"S": "a"}, "sk": {"N": "1"}, "x": {"S": "1"}}, "The provided key element does not match the schema"),
            ({"pk": {"S": ""}, "sk": {"N": "1"}}, "One or more parameter values are not valid. The AttributeValue for a "
                                                 "key attribute cannot contain an empty string value. Key: pk"),
        ]
        for key, message in cases:
            with self.subTest(key=key):
                self.assertEqual(self.msg(self.ddb.get_item, TableName="items", Key=key),
                                 ("ValidationException", message))
        self.assertEqual(self.msg(self.ddb.put_item, TableName="items", Item={"pk": {"S": "a"}}),
                         ("ValidationException", "One or more parameter values were invalid: Missing the key sk in the item"))
        self.assertEqual(self.msg(self.ddb.put_item, TableName="items", Item={"pk": {"S": "a"}, "sk": {"S": "x"}}),
                         ("ValidationException", "One or more parameter values were invalid: Type mismatch for key sk "
                                                 "expected: N actual: S"))
        self.assertEqual(self.msg(self.ddb.get_item, TableName="no-such-table", Key={"pk": {"S": "a"}}),
                         ("ResourceNotFoundException", "Requested resource not found"))

    def test_value_validation_and_size(self):
        base = {"pk": {"S": "val"}, "sk": {"N": "1"}}
        cases = [
            ({"x": {"N": "1e126"}}, "Number overflow. Attempting to store a number with magnitude larger than supported range"),
            ({"x": {"N": "12345678901234567890123456789012345678.9"}}, "Attempting to store more than 38 significant digits in a Number"),
            ({"x": {"N": "abc"}}, "The parameter cannot be converted to a numeric value: abc"),
            ({"x": {"SS": ["a", "a"]}}, "One or more parameter values were invalid: Input collection [a, a] contains duplicates."),
            ({"x": {"NULL": False}}, "One or more parameter values were invalid: Null attribute value types must have the value of true"),
            ({"x": {"S": "y" * (400 * 1024)}}, "Item size has exceeded the maximum allowed size"),
        ]
        for extra, message in cases:
            with self.subTest(message=message):
                self.assertEqual(self.msg(self.ddb.put_item, TableName="items", Item=dict(base, **extra)),
                                 ("ValidationException", message))
        # The largest allowed item: 400 KB counting names and values.
        big = dict(base, x={"S": "y" * (400 * 1024 - len("pk") - 3 - len("sk") - 2 - 1)})
        self.ddb.put_item(TableName="items", Item=big)

    def test_consumed_capacity(self):
        key = {"pk": {"S": "cap"}, "sk": {"N": "1"}}
        r = self.ddb.put_item(TableName="items", Item=dict(key, d={"S": "x" * 3000}), ReturnConsumedCapacity="TOTAL")
        self.assertEqual(r["ConsumedCapacity"], {"TableName": "items", "CapacityUnits": 3.0})
        r = self.ddb.get_item(TableName="items", Key=key, ReturnConsumedCapacity="TOTAL")
        self.assertEqual(r["ConsumedCapacity"]["CapacityUnits"], 0.5)
        r = self.ddb.get_item(TableName="items", Key=key, ConsistentRead=True, ReturnConsumedCapacity="INDEXES")
        self.assertEqual(r["ConsumedCapacity"], {"TableName": "items", "CapacityUnits": 1.0, "Table": {"CapacityUnits": 1.0}})
        r = self.ddb.put_item(TableName="items", Item=dict(key, d={"S": "x" * 5000}), ReturnConsumedCapacity="TOTAL")
        self.assertEqual(r["ConsumedCapacity"]["CapacityUnits"], 5.0)
        r = self.ddb.delete_item(TableName="items", Key=key, ReturnConsumedCapacity="TOTAL")
        self.assertEqual(r["ConsumedCapacity"]["CapacityUnits"], 5.0)

    def test_item_collection_metrics_with_lsi(self):
        r = self.ddb.put_item(TableName="with-lsi", Item={"pk": {"S": "a"}, "sk": {"S": "1"}, "l": {"S": "x"}},
                              ReturnItemCollectionMetrics="SIZE")
        self.assertEqual(r["ItemCollectionMetrics"], {"ItemCollectionKey": {"pk": {"S": "a"}}, "SizeEstimateRangeGB": [0.0, 1.0]})
        r = self.ddb.put_item(TableName="items", Item={"pk": {"S": "a"}, "sk": {"N": "1"}}, ReturnItemCollectionMetrics="SIZE")
        self.assertNotIn("ItemCollectionMetrics", r)

    def test_expression_errors(self):
        key = {"pk": {"S": "err"}, "sk": {"N": "1"}}
        cases = [
            (dict(UpdateExpression="SET status = :v", ExpressionAttributeValues={":v": {"S": "x"}}),
             "Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: status"),
            (dict(UpdateExpression="SET a = :v", ExpressionAttributeValues={":v": {"S": "x"}, ":x": {"S": "x"}}),
             "Value provided in ExpressionAttributeValues unused in expressions: keys: {:x}"),
            (dict(UpdateExpression="SET a = :v"),
             "Invalid UpdateExpression: An expression attribute value used in expression is not defined; attribute value: :v"),
            (dict(UpdateExpression="SET a = :v, a.b = :v", ExpressionAttributeValues={":v": {"S": "x"}}),
             "Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these "
             "paths; path one: [a], path two: [a, b]"),
            (dict(UpdateExpression="ADD hits : incr", ExpressionAttributeValues={":incr": {"N": "1"}}),
             'Invalid UpdateExpression: Syntax error; token: ":", near: "hits : incr"'),
            (dict(UpdateExpression="SET a = :v", ConditionExpression="a = = :v", ExpressionAttributeValues={":v": {"S": "x"}}),
             'Invalid ConditionExpression: Syntax error; token: "=", near: "= = :v"'),
            (dict(UpdateExpression="SET a = :v", Expected={"a": {"Exists": False}}, ExpressionAttributeValues={":v": {"S": "x"}}),
             "Can not use both expression and non-expression parameters in the same request: Non-expression parameters: "
             "{Expected} Expression parameters: {UpdateExpression}"),
        ]
        for kw, message in cases:
            with self.subTest(message=message):
                self.assertEqual(self.msg(self.ddb.update_item, TableName="items", Key=key, **kw),
                                 ("ValidationException", message))
        self.assertNotIn("Item", self.ddb.get_item(TableName="items", Key=key))  # nothing was written

    def test_legacy_parameters(self):
        key = {"pk": {"S": "legacy"}, "sk": {"N": "1"}}
        self.ddb.put_item(TableName="items", Item=dict(key, v={"N": "1"}), Expected={"pk": {"Exists": False}})
        e = self.error(self.ddb.put_item, TableName="items", Item=key, Expected={"pk": {"Exists": False}})
        self.assertEqual(e["Error"]["Code"], "ConditionalCheckFailedException")
        self.ddb.update_item(TableName="items", Key=key,
                             AttributeUpdates={"v": {"Action": "ADD", "Value": {"N": "2"}},
                                               "l": {"Action": "ADD", "Value": {"L": [{"S": "x"}]}},
                                               "s": {"Action": "PUT", "Value": {"SS": ["a", "b"]}}},
                             Expected={"v": {"ComparisonOperator": "EQ", "AttributeValueList": [{"N": "1"}]}})
        self.ddb.update_item(TableName="items", Key=key,
                             AttributeUpdates={"s": {"Action": "DELETE", "Value": {"SS": ["a"]}}, "l": {"Action": "DELETE"}},
                             Expected={"v": {"ComparisonOperator": "BETWEEN", "AttributeValueList": [{"N": "0"}, {"N": "5"}]},
                                       "nope": {"ComparisonOperator": "NULL"}},
                             ConditionalOperator="AND")
        got = self.ddb.get_item(TableName="items", Key=key, AttributesToGet=["v", "s", "l"])["Item"]
        self.assertEqual(got, {"v": {"N": "3"}, "s": {"SS": ["b"]}})
        e = self.error(self.ddb.delete_item, TableName="items", Key=key,
                       Expected={"v": {"ComparisonOperator": "GT", "AttributeValueList": [{"N": "3"}]}})
        self.assertEqual(e["Error"]["Code"], "ConditionalCheckFailedException")

    def test_many_requests_on_one_connection(self):
        """Regression: the request body was freed while the server still read it, corrupting the
        heap after a few hundred DynamoDB requests on one keep-alive connection."""
        import http.client
        from botocore.auth import SigV4Auth
        from botocore.awsrequest import AWSRequest
        from botocore.credentials import Credentials
        host, port = self.server.endpoint.rsplit("/", 1)[1].split(":")
        conn = http.client.HTTPConnection(host, int(port), timeout=30)
        signer = SigV4Auth(Credentials("test", "test"), "dynamodb", "us-east-1")
        for i in range(3000):
            req = AWSRequest(method="POST", url=self.server.endpoint + "/", data=b"{}",
                             headers={"X-Amz-Target": "DynamoDB_20120810.ListTables",
                                      "Content-Type": "application/x-amz-json-1.0"})
            signer.add_auth(req)
            conn.request("POST", "/", body=b"{}", headers=dict(req.headers.items()))
            r = conn.getresponse()
            body = r.read()
            self.assertEqual(r.status, 200, (i, body))
            self.assertIn(b"TableNames", body)
        conn.close()

    def test_bad_input_never_500(self):
        """Malformed members of every kind get a 400 with a DynamoDB error, and the server stays up."""
        import itertools
        import json
        ops = ["PutItem", "GetItem", "DeleteItem", "UpdateItem", "CreateTable", "DescribeTable", "UpdateTable",
               "DeleteTable", "ListTables", "TagResource", "UntagResource", "ListTagsOfResource"]
        members = ["TableName", "Item", "Key", "UpdateExpression", "ConditionExpression", "ProjectionExpression",
                   "ExpressionAttributeNames", "ExpressionAttributeValues", "Expected", "AttributeUpdates",
                   "AttributesToGet", "ReturnValues", "KeySchema", "AttributeDefinitions", "Limit", "Tags",
                   "ResourceArn", "ProvisionedThroughput", "GlobalSecondaryIndexes"]
        bad_values = [5, "x", [], {}, None, True, [{"a": 1}], {"a": 5}, {"a": {"S": 5}}, {":a": {"N": "x"}},
                      {"a": {"L": [{"M": {"b": {"NS": []}}}]}}, "SET #a = :a", -1, 1e300, {"pk": {"S": ""}}]
        # Its own table: some combinations are valid requests (DeleteTable of it, for one).
        base = {"TableName": "fuzz-table", "Key": {"pk": {"S": "a"}, "sk": {"N": "1"}}}
        count = 0
        for op, member, value in itertools.product(ops, members, bad_values):
            body = dict(base)
            body[member] = value
            status, _, out = raw_call(self.server, op, json.dumps(body).encode())
            self.assertIn(status, (200, 400), (op, member, value, out))
            if status == 400:
                kind = json.loads(out)["__type"]
                self.assertIn(kind, ("com.amazon.coral.validate#ValidationException",
                                     "com.amazon.coral.service#SerializationException",
                                     "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException",
                                     "com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException"), out)
                self.assertNotIn("Signature", kind)  # reached the handler, not stopped by auth
            count += 1
        self.assertEqual(count, len(ops) * len(members) * len(bad_values))
        self.assertIn("items", self.ddb.list_tables()["TableNames"])


if __name__ == "__main__":
    unittest.main()
