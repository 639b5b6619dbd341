"""Secondary indexes through boto3: GSI and LSI queries after puts, updates, deletes, batch writes
and transactions equal a model computed here; sparse indexes; projections; index pagination with
ties on the index key; index key validation."""
import random
import unittest

import botocore.exceptions

from ddb_support import DdbTestCase


def S(v):
    return {"S": v}


def N(v):
    s = str(v)  # as DynamoDB normalises it: 2.0 -> "2"
    return {"N": s[:-2] if s.endswith(".0") else s}


class IndexesTest(DdbTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ddb.create_table(
            TableName="shops", BillingMode="PAY_PER_REQUEST",
            AttributeDefinitions=[{"AttributeName": a, "AttributeType": t} for a, t in
                                  (("city", "S"), ("id", "S"), ("kind", "S"), ("score", "N"), ("opened", "S"))],
            KeySchema=[{"AttributeName": "city", "KeyType": "HASH"}, {"AttributeName": "id", "KeyType": "RANGE"}],
            GlobalSecondaryIndexes=[
                {"IndexName": "by-kind-score", "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["name"]},
                 "KeySchema": [{"AttributeName": "kind", "KeyType": "HASH"}, {"AttributeName": "score", "KeyType": "RANGE"}]},
                {"IndexName": "by-kind", "Projection": {"ProjectionType": "KEYS_ONLY"},
                 "KeySchema": [{"AttributeName": "kind", "KeyType": "HASH"}]}],
            LocalSecondaryIndexes=[
                {"IndexName": "by-opened", "Projection": {"ProjectionType": "KEYS_ONLY"},
                 "KeySchema": [{"AttributeName": "city", "KeyType": "HASH"}, {"AttributeName": "opened", "KeyType": "RANGE"}]}])

    def query_all(self, **kw):
        return [i for p in self.ddb.get_paginator("query").paginate(TableName="shops", **kw) for i in p.get("Items", [])]

    def test_indexes_follow_every_write_path(self):
        rng = random.Random(7)
        model = {}  # (city, id) -> item
        cities, kinds = ["paris", "oslo"], ["cafe", "bar", "bakery"]
        for step in range(300):
            city, id_ = rng.choice(cities), "s%02d" % rng.randrange(30)
            key = {"city": S(city), "id": S(id_)}
            op = rng.choice(["put", "put", "update", "delete", "batch", "tx"])
            item = dict(key, name=S("n%d" % step), score=N(rng.randrange(-5, 6) / 2))
            if rng.random() < 0.8:
                item["kind"] = S(rng.choice(kinds))  # else: absent from both GSIs (sparse)
            if rng.random() < 0.5:
                item["opened"] = S("2020-%02d" % rng.randrange(1, 13))
            if op == "put":
                self.ddb.put_item(TableName="shops", Item=item)
                model[(city, id_)] = item
            elif op == "batch":
                self.ddb.batch_write_item(RequestItems={"shops": [{"PutRequest": {"Item": item}}]})
                model[(city, id_)] = item
            elif op == "tx":
                self.ddb.transact_write_items(TransactItems=[{"Put": {"TableName": "shops", "Item": item}}])
                model[(city, id_)] = item
            elif op == "update":
                kind = rng.choice(kinds)
                self.ddb.update_item(TableName="shops", Key=key, UpdateExpression="SET kind = :k, score = :s REMOVE opened",
                                     ExpressionAttributeValues={":k": S(kind), ":s": N(step % 7)})
                cur = dict(model.get((city, id_), key))
                cur.update(kind=S(kind), score=N(step % 7))
                cur.pop("opened", None)
                model[(city, id_)] = cur
            else:
                self.ddb.delete_item(TableName="shops", Key=key)
                model.pop((city, id_), None)

        for kind in kinds:
            expected = sorted((i for i in model.values() if i.get("kind") == S(kind) and "score" in i),
                              key=lambda i: (float(i["score"]["N"]), i["city"]["S"], i["id"]["S"]))
            got = self.query_all(IndexName="by-kind-score", KeyConditionExpression="kind = :k",
                                 ExpressionAttributeValues={":k": S(kind)}, PaginationConfig={"PageSize": 4})
            self.assertEqual([float(i["score"]["N"]) for i in got], [float(i["score"]["N"]) for i in expected])
            self.assertEqual(sorted((i["city"]["S"], i["id"]["S"]) for i in got),
                             sorted((i["city"]["S"], i["id"]["S"]) for i in expected))
            for i in got:  # INCLUDE projection: table keys, index keys and name, as in the model
                want = model[(i["city"]["S"], i["id"]["S"])]
                self.assertEqual(i, {k: v for k, v in want.items() if k in ("city", "id", "kind", "score", "name")})
            keys_only = self.query_all(IndexName="by-kind", KeyConditionExpression="kind = :k",
                                       ExpressionAttributeValues={":k": S(kind)}, PaginationConfig={"PageSize": 3})
            self.assertEqual(len(keys_only), len(expected))
            self.assertEqual({frozenset(i) for i in keys_only} or {frozenset({"city", "id", "kind"})},
                             {frozenset({"city", "id", "kind"})})
            # A range condition on the index's sort key.
            got = self.query_all(IndexName="by-kind-score", KeyConditionExpression="kind = :k AND score >= :z",
                                 ExpressionAttributeValues={":k": S(kind), ":z": N(0)}, ScanIndexForward=False)
            self.assertEqual(sorted((i["city"]["S"], i["id"]["S"]) for i in got),
                             sorted((i["city"]["S"], i["id"]["S"]) for i in expected if float(i["score"]["N"]) >= 0))
        for city in cities:
            expected = sorted((i for i in model.values() if i["city"] == S(city) and "opened" in i),
                              key=lambda i: (i["opened"]["S"], i["id"]["S"]))
            got = self.query_all(IndexName="by-opened", KeyConditionExpression="city = :c",
                                 ExpressionAttributeValues={":c": S(city)}, PaginationConfig={"PageSize": 2})
            self.assertEqual([(i["opened"]["S"], i["id"]["S"]) for i in got], [(i["opened"]["S"], i["id"]["S"]) for i in expected])
            # A local index can fetch the whole item.
            full = self.query_all(IndexName="by-opened", KeyConditionExpression="city = :c", Select="ALL_ATTRIBUTES",
                                  ExpressionAttributeValues={":c": S(city)})
            self.assertEqual(full, expected)
        d = self.ddb.describe_table(TableName="shops")["Table"]
        counts = {g["IndexName"]: g["ItemCount"] for g in d["GlobalSecondaryIndexes"] + d["LocalSecondaryIndexes"]}
        self.assertEqual(counts["by-kind"], sum(1 for i in model.values() if "kind" in i))
        self.assertEqual(counts["by-opened"], sum(1 for i in model.values() if "opened" in i))
        scanned = [i for p in self.ddb.get_paginator("scan").paginate(TableName="shops", IndexName="by-kind",
                                                                      PaginationConfig={"PageSize": 5}) for i in p["Items"]]
        self.assertEqual(len(scanned), counts["by-kind"])

    def test_index_key_validation_and_options(self):
        def err(fn, **kw):
            with self.assertRaises(botocore.exceptions.ClientError) as cm:
                fn(**kw)
            return cm.exception.response["Error"]["Message"]
        self.assertEqual(err(self.ddb.put_item, TableName="shops", Item={"city": S("x"), "id": S("1"), "score": S("high"), "kind": S("k")}),
                         "One or more parameter values were invalid: Type mismatch for Index Key score Expected: N "
                         "Actual: S IndexName: by-kind-score")
        self.assertIn("A value specified for a secondary index key is not supported",
                      err(self.ddb.put_item, TableName="shops", Item={"city": S("x"), "id": S("1"), "kind": S("")}))
        self.assertNotIn("Item", self.ddb.get_item(TableName="shops", Key={"city": S("x"), "id": S("1")}))
        self.assertEqual(err(self.ddb.query, TableName="shops", IndexName="by-kind", ConsistentRead=True,
                             KeyConditionExpression="kind = :k", ExpressionAttributeValues={":k": S("cafe")}),
                         "Consistent reads are not supported on global secondary indexes")
        self.assertIn("Select type ALL_ATTRIBUTES is not supported for global secondary index by-kind",
                      err(self.ddb.query, TableName="shops", IndexName="by-kind", Select="ALL_ATTRIBUTES",
                          KeyConditionExpression="kind = :k", ExpressionAttributeValues={":k": S("cafe")}))

    def test_update_table_creates_backfilled_gsi_and_deletes_it(self):
        self.ddb.create_table(TableName="late-index", BillingMode="PAY_PER_REQUEST",
                              AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                              KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}])
        for i in range(20):
            item = {"pk": S("p%02d" % i)}
            if i % 3:
                item["color"] = S(["red", "blue"][i % 2])
            self.ddb.put_item(TableName="late-index", Item=item)
        d = self.ddb.update_table(TableName="late-index",
                                  AttributeDefinitions=[{"AttributeName": "color", "AttributeType": "S"}],
                                  GlobalSecondaryIndexUpdates=[{"Create": {
                                      "IndexName": "by-color", "Projection": {"ProjectionType": "ALL"},
                                      "KeySchema": [{"AttributeName": "color", "KeyType": "HASH"}]}}])["TableDescription"]
        self.assertEqual(d["GlobalSecondaryIndexes"][0]["IndexStatus"], "ACTIVE")
        red = self.ddb.query(TableName="late-index", IndexName="by-color", KeyConditionExpression="color = :c",
                             ExpressionAttributeValues={":c": S("red")})["Items"]
        self.assertEqual(sorted(i["pk"]["S"] for i in red), ["p%02d" % i for i in range(20) if i % 3 and i % 2 == 0])
        self.ddb.put_item(TableName="late-index", Item={"pk": S("new"), "color": S("red")})  # maintained from now on
        self.assertEqual(self.ddb.query(TableName="late-index", IndexName="by-color", KeyConditionExpression="color = :c",
                                        ExpressionAttributeValues={":c": S("red")}, Select="COUNT")["Count"], len(red) + 1)
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            self.ddb.update_table(TableName="late-index", GlobalSecondaryIndexUpdates=[{"Create": {
                "IndexName": "by-size", "Projection": {"ProjectionType": "ALL"},
                "KeySchema": [{"AttributeName": "size", "KeyType": "HASH"}]}}])
        self.assertIn("Some index key attributes are not defined in AttributeDefinitions", cm.exception.response["Error"]["Message"])
        self.ddb.update_table(TableName="late-index", GlobalSecondaryIndexUpdates=[{"Delete": {"IndexName": "by-color"}}])
        t = self.ddb.describe_table(TableName="late-index")["Table"]
        self.assertNotIn("GlobalSecondaryIndexes", t)
        self.assertEqual(t["AttributeDefinitions"], [{"AttributeName": "pk", "AttributeType": "S"}])
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            self.ddb.query(TableName="late-index", IndexName="by-color", KeyConditionExpression="color = :c",
                           ExpressionAttributeValues={":c": S("red")})
        self.assertEqual(cm.exception.response["Error"]["Message"], "The table does not have the specified index: by-color")


if __name__ == "__main__":
    unittest.main()
