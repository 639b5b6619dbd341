"""BatchGetItem / BatchWriteItem through the boto3 client and the resource batch_writer."""
import unittest

from ddb_support import DdbTestCase, create_table


class BatchTest(DdbTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for name in ("b-one", "b-two"):
            create_table(cls.ddb, name)

    def error(self, fn, **kw):
        e = self.client_error(fn, **kw)["Error"]
        return e["Code"], e["Message"]

    def test_write_then_get_across_tables(self):
        r = self.ddb.batch_write_item(RequestItems={
            "b-one": [{"PutRequest": {"Item": {"pk": {"S": "k%d" % i}, "v": {"N": str(i)}}}} for i in range(10)],
            "b-two": [{"PutRequest": {"Item": {"pk": {"S": "x"}, "v": {"S": "two"}}}}],
        }, ReturnConsumedCapacity="TOTAL")
        self.assertEqual(r["UnprocessedItems"], {})
        self.assertEqual({c["TableName"]: c["CapacityUnits"] for c in r["ConsumedCapacity"]}, {"b-one": 10.0, "b-two": 1.0})
        self.ddb.batch_write_item(RequestItems={"b-one": [{"DeleteRequest": {"Key": {"pk": {"S": "k0"}}}}]})
        r = self.ddb.batch_get_item(RequestItems={
            "b-one": {"Keys": [{"pk": {"S": "k%d" % i}} for i in range(5)], "ProjectionExpression": "v"},
            "b-two": {"Keys": [{"pk": {"S": "x"}}, {"pk": {"S": "missing"}}], "ConsistentRead": True},
        })
        self.assertEqual(sorted(int(i["v"]["N"]) for i in r["Responses"]["b-one"]), [1, 2, 3, 4])
        self.assertEqual(r["Responses"]["b-two"], [{"pk": {"S": "x"}, "v": {"S": "two"}}])
        self.assertEqual(r["UnprocessedKeys"], {})

    def test_resource_batch_writer(self):
        table = self.server.boto3_resource("dynamodb").Table("b-two")
        with table.batch_writer() as w:
            for i in range(60):  # more than one 25-item batch
                w.put_item(Item={"pk": "bw-%02d" % i, "n": i})
        self.assertGreaterEqual(self.ddb.describe_table(TableName="b-two")["Table"]["ItemCount"], 60)
        got = table.get_item(Key={"pk": "bw-59"})["Item"]
        self.assertEqual(got["n"], 59)

    def test_limits_and_duplicates(self):
        self.assertEqual(self.error(self.ddb.batch_get_item, RequestItems={"b-one": {"Keys": [{"pk": {"S": "a"}}] * 2}}),
                         ("ValidationException", "Provided list of item keys contains duplicates"))
        self.assertEqual(self.error(self.ddb.batch_get_item,
                                    RequestItems={"b-one": {"Keys": [{"pk": {"S": str(i)}} for i in range(101)]}}),
                         ("ValidationException", "Too many items requested for the BatchGetItem call"))
        code, _ = self.error(self.ddb.batch_write_item,
                             RequestItems={"b-one": [{"PutRequest": {"Item": {"pk": {"S": str(i)}}}} for i in range(26)]})
        self.assertEqual(code, "ValidationException")
        self.assertEqual(self.error(self.ddb.batch_write_item, RequestItems={"b-one": [
            {"PutRequest": {"Item": {"pk": {"S": "d"}}}}, {"DeleteRequest": {"Key": {"pk": {"S": "d"}}}}]}),
            ("ValidationException", "Provided list of item keys contains duplicates"))
        code, _ = self.error(self.ddb.batch_write_item, RequestItems={"nope-table": [{"DeleteRequest": {"Key": {"pk": {"S": "d"}}}}]})
        self.assertEqual(code, "ResourceNotFoundException")
        # A failed batch wrote nothing.
        self.assertNotIn("Item", self.ddb.get_item(TableName="b-one", Key={"pk": {"S": "d"}}))


if __name__ == "__main__":
    unittest.main()
