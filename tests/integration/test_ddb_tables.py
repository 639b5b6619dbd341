"""DynamoDB table operations through boto3 and the aws CLI against a real localaws."""
import unittest

from ddb_support import DdbTestCase, raw_call
from localaws_support import LocalAws


def key_schema(*names):
    return [{"AttributeName": n, "KeyType": t} for n, t in zip(names, ("HASH", "RANGE"))]


def defs(**types):
    return [{"AttributeName": n, "AttributeType": t} for n, t in types.items()]


class TablesTest(DdbTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()

    def error(self, fn, **kw):
        e = self.client_error(fn, **kw)
        return e["Error"]["Code"], e["Error"]["Message"], e["ResponseMetadata"]["HTTPStatusCode"]

    def create(self, name, **kw):
        args = dict(TableName=name, AttributeDefinitions=defs(pk="S"), KeySchema=key_schema("pk"),
                    BillingMode="PAY_PER_REQUEST")
        args.update(kw)
        return self.ddb.create_table(**args)["TableDescription"]

    def test_create_describe_delete(self):
        d = self.create("cdd-table", AttributeDefinitions=defs(pk="S", sk="N"), KeySchema=key_schema("pk", "sk"),
                        Tags=[{"Key": "team", "Value": "coffee"}], TableClass="STANDARD_INFREQUENT_ACCESS")
        self.assertEqual(d["TableStatus"], "ACTIVE")
        self.assertEqual(d["TableArn"], "arn:aws:dynamodb:us-east-1:000000000000:table/cdd-table")
        self.assertRegex(d["TableId"], r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
        self.assertEqual(d["BillingModeSummary"]["BillingMode"], "PAY_PER_REQUEST")
        self.assertEqual(d["TableClassSummary"]["TableClass"], "STANDARD_INFREQUENT_ACCESS")
        t = self.ddb.describe_table(TableName="cdd-table")["Table"]
        self.assertEqual(t["KeySchema"], key_schema("pk", "sk"))
        self.assertEqual(t["ItemCount"], 0)
        self.ddb.put_item(TableName="cdd-table", Item={"pk": {"S": "a"}, "sk": {"N": "1"}, "v": {"S": "xyz"}})
        t = self.ddb.describe_table(TableName="cdd-table")["Table"]
        self.assertEqual(t["ItemCount"], 1)
        self.assertEqual(t["TableSizeBytes"], 2 + 1 + 2 + 2 + 1 + 3)
        self.assertEqual(t["CreationDateTime"], d["CreationDateTime"])
        self.assertEqual(self.ddb.list_tags_of_resource(ResourceArn=d["TableArn"])["Tags"],
                         [{"Key": "team", "Value": "coffee"}])
        gone = self.ddb.delete_table(TableName="cdd-table")["TableDescription"]
        self.assertEqual(gone["TableStatus"], "DELETING")
        code, msg, status = self.error(self.ddb.describe_table, TableName="cdd-table")
        self.assertEqual((code, status), ("ResourceNotFoundException", 400))
        self.assertEqual(msg, "Requested resource not found: Table: cdd-table not found")
        # A recreated table is empty: the items went with the old one.
        self.create("cdd-table", AttributeDefinitions=defs(pk="S", sk="N"), KeySchema=key_schema("pk", "sk"))
        self.assertEqual(self.ddb.describe_table(TableName="cdd-table")["Table"]["ItemCount"], 0)

    def test_create_errors(self):
        self.create("dup-table")
        code, msg, _ = self.error(self.create, name="dup-table")
        self.assertEqual((code, msg), ("ResourceInUseException", "Table already exists: dup-table"))
        code, msg, _ = self.error(self.create, name="bad-defs", AttributeDefinitions=defs(pk="S", other="S"))
        self.assertEqual(code, "ValidationException")
        self.assertIn("Number of attributes in KeySchema does not exactly match number of attributes defined in "
                      "AttributeDefinitions", msg)
        code, msg, _ = self.error(self.create, name="bad-defs", AttributeDefinitions=defs(other="S"))
        self.assertIn("Some index key attributes are not defined in AttributeDefinitions", msg)
        code, msg, _ = self.error(self.create, name="bad-billing", BillingMode="PROVISIONED")
        self.assertIn("ReadCapacityUnits and WriteCapacityUnits must both be specified", msg)
        code, msg, _ = self.error(self.create, name="bad-billing",
                                  ProvisionedThroughput={"ReadCapacityUnits": 1, "WriteCapacityUnits": 1})
        self.assertIn("Neither ReadCapacityUnits nor WriteCapacityUnits can be specified", msg)
        code, msg, _ = self.error(self.create, name="bad-range", KeySchema=[{"AttributeName": "pk", "KeyType": "RANGE"}])
        self.assertEqual(msg, "Invalid KeySchema: The first KeySchemaElement is not a HASH key type")
        code, msg, _ = self.error(self.create, name="bad name!")
        self.assertIn("Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+", msg)
        # LSI without a table range key, and unused definitions next to an index.
        code, msg, _ = self.error(self.create, name="bad-lsi", AttributeDefinitions=defs(pk="S", x="S"),
                                  LocalSecondaryIndexes=[{"IndexName": "lsi", "KeySchema": key_schema("pk", "x"),
                                                          "Projection": {"ProjectionType": "ALL"}}])
        self.assertIn("Table KeySchema does not have a range key", msg)
        code, msg, _ = self.error(self.create, name="bad-gsi", AttributeDefinitions=defs(pk="S", g="S", unused="S"),
                                  GlobalSecondaryIndexes=[{"IndexName": "gsi", "KeySchema": key_schema("g"),
                                                           "Projection": {"ProjectionType": "KEYS_ONLY"}}])
        self.assertIn("Some AttributeDefinitions are not used", msg)

    def test_indexes_described(self):
        d = self.create("idx-table", AttributeDefinitions=defs(pk="S", sk="S", g="N", l="S"),
                        KeySchema=key_schema("pk", "sk"), BillingMode="PROVISIONED",
                        ProvisionedThroughput={"ReadCapacityUnits": 5, "WriteCapacityUnits": 3},
                        GlobalSecondaryIndexes=[{"IndexName": "by-g", "KeySchema": key_schema("g"),
                                                 "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["a"]},
                                                 "ProvisionedThroughput": {"ReadCapacityUnits": 1, "WriteCapacityUnits": 1}}],
                        LocalSecondaryIndexes=[{"IndexName": "by-l", "KeySchema": key_schema("pk", "l"),
                                                "Projection": {"ProjectionType": "KEYS_ONLY"}}])
        self.assertEqual(d["ProvisionedThroughput"]["ReadCapacityUnits"], 5)
        self.assertEqual(d["ProvisionedThroughput"]["NumberOfDecreasesToday"], 0)
        gsi = d["GlobalSecondaryIndexes"][0]
        self.assertEqual(gsi["IndexStatus"], "ACTIVE")
        self.assertEqual(gsi["Projection"]["NonKeyAttributes"], ["a"])
        self.assertEqual(gsi["IndexArn"], d["TableArn"] + "/index/by-g")
        self.assertEqual(d["LocalSecondaryIndexes"][0]["IndexName"], "by-l")

    def test_list_tables_pagination(self):
        names = ["page-%02d" % i for i in range(7)]
        for n in names:
            self.create(n)
        seen, start = [], None
        for _ in range(10):  # bounded
            kw = {"Limit": 3}
            if start:
                kw["ExclusiveStartTableName"] = start
            r = self.ddb.list_tables(**kw)
            self.assertLessEqual(len(r["TableNames"]), 3)
            seen += r["TableNames"]
            start = r.get("LastEvaluatedTableName")
            if not start:
                break
        self.assertEqual([n for n in seen if n.startswith("page-")], names)
        self.assertEqual(seen, sorted(seen))
        # The paginator gives the same.
        all_names = [n for p in self.ddb.get_paginator("list_tables").paginate() for n in p["TableNames"]]
        self.assertEqual(all_names, seen)

    def test_update_table_and_deletion_protection(self):
        self.create("upd-table", DeletionProtectionEnabled=True)
        code, msg, _ = self.error(self.ddb.delete_table, TableName="upd-table")
        self.assertEqual(code, "ValidationException")
        self.assertIn("protected against deletion", msg)
        d = self.ddb.update_table(TableName="upd-table", BillingMode="PROVISIONED",
                                  ProvisionedThroughput={"ReadCapacityUnits": 2, "WriteCapacityUnits": 2},
                                  DeletionProtectionEnabled=False)["TableDescription"]
        self.assertEqual(d["BillingModeSummary"]["BillingMode"], "PROVISIONED")
        self.assertEqual(d["ProvisionedThroughput"]["WriteCapacityUnits"], 2)
        self.assertFalse(d["DeletionProtectionEnabled"])
        code, msg, _ = self.error(self.ddb.update_table, TableName="upd-table",
                                  ProvisionedThroughput={"ReadCapacityUnits": 2, "WriteCapacityUnits": 2})
        self.assertIn("The provisioned throughput for the table will not change", msg)
        self.ddb.delete_table(TableName="upd-table")

    def test_tags(self):
        arn = self.create("tag-table")["TableArn"]
        self.ddb.tag_resource(ResourceArn=arn, Tags=[{"Key": "a", "Value": "1"}, {"Key": "b", "Value": "2"}])
        self.ddb.tag_resource(ResourceArn=arn, Tags=[{"Key": "a", "Value": "3"}])
        self.ddb.untag_resource(ResourceArn=arn, TagKeys=["b"])
        self.assertEqual(self.ddb.list_tags_of_resource(ResourceArn=arn)["Tags"], [{"Key": "a", "Value": "3"}])
        code, msg, _ = self.error(self.ddb.list_tags_of_resource,
                                  ResourceArn="arn:aws:dynamodb:us-east-1:000000000000:table/nope")
        self.assertEqual(code, "ResourceNotFoundException")

    def test_limits_endpoints_and_unknown_operation(self):
        self.assertEqual(self.ddb.describe_limits()["TableMaxReadCapacityUnits"], 40000)
        self.assertEqual(self.ddb.describe_endpoints()["Endpoints"][0]["CachePeriodInMinutes"], 1440)
        # Exports are built (test_ddb_export_import.py); an unknown table is TableNotFoundException.
        code, _, status = self.error(self.ddb.export_table_to_point_in_time, S3Bucket="bucket",
                                     TableArn="arn:aws:dynamodb:us-east-1:000000000000:table/no-such-table")
        self.assertEqual((code, status), ("TableNotFoundException", 400))

    def test_tables_are_per_account_and_region(self):
        self.create("scoped-table")
        other_region = self.server.boto3_client("dynamodb", region="eu-west-1")
        self.assertNotIn("scoped-table", other_region.list_tables()["TableNames"])
        arn = other_region.create_table(TableName="scoped-table", AttributeDefinitions=defs(pk="S"),
                                        KeySchema=key_schema("pk"), BillingMode="PAY_PER_REQUEST")["TableDescription"]["TableArn"]
        self.assertEqual(arn, "arn:aws:dynamodb:eu-west-1:000000000000:table/scoped-table")

    def test_raw_protocol_errors(self):
        import json
        import zlib
        status, h, body = raw_call(self.server, "ListTables", b"{not json")
        self.assertEqual(status, 400)
        # DynamoDB's front end (Coral) answers these, in its own namespaces, without a message.
        self.assertEqual(json.loads(body), {"__type": "com.amazon.coral.service#SerializationException"})
        self.assertEqual(int(h["X-Amz-Crc32"]), zlib.crc32(body))
        self.assertTrue(h["x-amzn-RequestId"])
        self.assertEqual(h["Content-Type"], "application/x-amz-json-1.0")
        status, _, body = raw_call(self.server, "NoSuchThing", b"{}")
        self.assertEqual((status, json.loads(body)["__type"]),
                         (400, "com.amazon.coral.service#UnknownOperationException"))
        status, _, body = raw_call(self.server, "ListTables", b"{}", sign=False)
        self.assertEqual(status, 400)
        self.assertEqual(json.loads(body), {"__type": "com.amazon.coral.service#MissingAuthenticationTokenException",
                                            "message": "Request is missing Authentication Token"})
        deep = b'{"TableName":"x","Item":{"a":' + b'{"L":[' * 100000 + b']}' * 100000 + b'}}'
        status, _, body = raw_call(self.server, "PutItem", deep)
        self.assertEqual((status, json.loads(body)["message"]), (400, "Nesting Levels have exceeded supported limits"))


class CliTest(unittest.TestCase):
    """The foundation issue's check: the aws CLI lists, creates and describes tables."""

    def test_cli(self):
        with LocalAws() as s:
            self.assertEqual(s.aws_json("dynamodb", "list-tables"), {"TableNames": []})
            s.aws("dynamodb", "create-table", "--table-name", "cli-table",
                  "--attribute-definitions", "AttributeName=pk,AttributeType=S",
                  "--key-schema", "AttributeName=pk,KeyType=HASH", "--billing-mode", "PAY_PER_REQUEST")
            self.assertEqual(s.aws_json("dynamodb", "list-tables")["TableNames"], ["cli-table"])
            s.aws("dynamodb", "put-item", "--table-name", "cli-table", "--item", '{"pk":{"S":"k"},"n":{"N":"1.50"}}')
            item = s.aws_json("dynamodb", "get-item", "--table-name", "cli-table", "--key", '{"pk":{"S":"k"}}')
            self.assertEqual(item["Item"], {"pk": {"S": "k"}, "n": {"N": "1.5"}})
            out = s.aws_json("dynamodb", "update-item", "--table-name", "cli-table", "--key", '{"pk":{"S":"k"}}',
                             "--update-expression", "ADD n :d", "--expression-attribute-values", '{":d":{"N":"0.25"}}',
                             "--return-values", "UPDATED_NEW")
            self.assertEqual(out["Attributes"], {"n": {"N": "1.75"}})
            p = s.aws("dynamodb", "describe-table", "--table-name", "nope", check=False)
            self.assertNotEqual(p.returncode, 0)
            self.assertIn("ResourceNotFoundException", p.stderr)
            # Data survives a restart (file-backed data dir).
            s.stop()
            s.start()
            self.assertEqual(s.aws_json("dynamodb", "get-item", "--table-name", "cli-table",
                                        "--key", '{"pk":{"S":"k"}}')["Item"]["n"], {"N": "1.75"})


if __name__ == "__main__":
    unittest.main()
