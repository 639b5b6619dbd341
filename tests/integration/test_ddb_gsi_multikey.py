"""Multi-attribute GSI keys (issue 16): up to four HASH and four RANGE attributes in a GSI's
KeySchema; validation as a data table; Query order and pagination checked against a sort done in
Python; sparse items; Scan of the index; UpdateTable backfill."""
import random
import unittest

from ddb_support import DdbTestCase, create_table


def ks(*elems):
    return [{"AttributeName": n, "KeyType": t} for n, t in elems]


def gsi(name, schema, projection=None):
    return {"IndexName": name, "KeySchema": schema, "Projection": projection or {"ProjectionType": "ALL"}}


def defs(**types):
    return [{"AttributeName": n, "AttributeType": t} for n, t in types.items()]


H, R = "HASH", "RANGE"
BASE_DEFS = {"pk": "S", "a": "S", "b": "N", "c": "S", "d": "N", "e": "B"}

# (name, KeySchema of the GSI, attribute definitions, expected message fragment or None for success)
SCHEMA_CASES = [
    ("two hash", ks(("a", H), ("b", H)), {"pk": "S", "a": "S", "b": "N"}, None),
    ("four and four", ks(("a", H), ("b", H), ("c", H), ("d", H), ("x1", R), ("x2", R), ("x3", R), ("x4", R)),
     {"pk": "S", "a": "S", "b": "N", "c": "S", "d": "N", "x1": "S", "x2": "N", "x3": "B", "x4": "S"}, None),
    ("one hash three range", ks(("a", H), ("b", R), ("c", R), ("d", R)), {"pk": "S", "a": "S", "b": "N", "c": "S", "d": "N"}, None),
    ("five hash", ks(("a", H), ("b", H), ("c", H), ("d", H), ("e", H)), BASE_DEFS,
     "Invalid KeySchema: The number of HASH key elements exceeds the limit of 4"),
    ("five range", ks(("a", H), ("b", R), ("c", R), ("d", R), ("e", R), ("f", R)), {**BASE_DEFS, "f": "S"},
     "Invalid KeySchema: The number of RANGE key elements exceeds the limit of 4"),
    ("nine elements", ks(*[(f"k{i}", H if i < 4 else R) for i in range(9)]), {"pk": "S", **{f"k{i}": "S" for i in range(9)}},
     "Member must have length less than or equal to 8"),
    ("range first", ks(("b", R), ("a", H)), {"pk": "S", "a": "S", "b": "N"},
     "Invalid KeySchema: The first KeySchemaElement is not a HASH key type"),
    ("hash after range", ks(("a", H), ("b", R), ("c", H)), {"pk": "S", "a": "S", "b": "N", "c": "S"},
     "Invalid KeySchema: All HASH key elements must come before the RANGE key elements"),
    ("duplicate name", ks(("a", H), ("b", H), ("a", R)), {"pk": "S", "a": "S", "b": "N"},
     "Duplicate attribute name in KeySchema: a"),
    ("undefined attribute", ks(("a", H), ("zz", H)), {"pk": "S", "a": "S"},
     "Some index key attributes are not defined in AttributeDefinitions. Keys: [zz]"),
]


class MultiKeySchema(DdbTestCase):
    def test_create_table_cases(self):
        for i, (name, schema, types, error) in enumerate(SCHEMA_CASES):
            with self.subTest(name):
                kw = dict(TableName=f"schema{i}", BillingMode="PAY_PER_REQUEST", AttributeDefinitions=defs(**types),
                          KeySchema=ks(("pk", H)), GlobalSecondaryIndexes=[gsi("idx", schema)])
                if error is None:
                    desc = self.ddb.create_table(**kw)["TableDescription"]
                    self.assertEqual(desc["GlobalSecondaryIndexes"][0]["KeySchema"], schema)
                    again = self.ddb.describe_table(TableName=f"schema{i}")["Table"]
                    self.assertEqual(again["GlobalSecondaryIndexes"][0]["KeySchema"], schema)
                else:
                    err = self.client_error(self.ddb.create_table, **kw)["Error"]
                    self.assertEqual(err["Code"], "ValidationException")
                    self.assertIn(error, err["Message"])

    def test_table_and_lsi_keep_one_hash_one_range(self):
        err = self.client_error(self.ddb.create_table, TableName="tt2h", BillingMode="PAY_PER_REQUEST",
                                AttributeDefinitions=defs(pk="S", a="S"), KeySchema=ks(("pk", H), ("a", H)))["Error"]
        self.assertEqual(err["Message"], "Invalid KeySchema: The second KeySchemaElement is not a RANGE key type")
        err = self.client_error(self.ddb.create_table, TableName="tt3", BillingMode="PAY_PER_REQUEST",
                                AttributeDefinitions=defs(pk="S", a="S", b="S"),
                                KeySchema=ks(("pk", H), ("a", R), ("b", R)))["Error"]
        self.assertIn("Member must have length less than or equal to 2", err["Message"])
        err = self.client_error(self.ddb.create_table, TableName="ttl1", BillingMode="PAY_PER_REQUEST",
                                AttributeDefinitions=defs(pk="S", sk="S", a="S", b="S"),
                                KeySchema=ks(("pk", H), ("sk", R)),
                                LocalSecondaryIndexes=[gsi("lsi", ks(("pk", H), ("a", R), ("b", R)))])["Error"]
        self.assertIn("Member must have length less than or equal to 2", err["Message"])


def s(v):
    return {"S": v}


def n(v):
    return {"N": str(v)}


class MultiKeyQuery(DdbTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        create_table(cls.ddb, "mkt", keys=(("pk", "S"),), extra_defs=(("t", "S"), ("r", "N"), ("c", "S"), ("v", "N"), ("w", "B")),
                     GlobalSecondaryIndexes=[
                         gsi("byTR", ks(("t", H), ("r", H), ("c", R), ("v", R), ("w", R))),
                         gsi("keys", ks(("t", H), ("c", R), ("v", R)), {"ProjectionType": "KEYS_ONLY"})])
        rng = random.Random(16)
        cls.items = []
        for i in range(300):
            item = {"pk": s(f"p{i:04d}"), "t": s(rng.choice(["x", "y"])), "r": n(rng.choice([1, 2])),
                    "c": s(rng.choice(["", "a", "ab", "a\u0000", "b", "ba", "\u00e9"])[: None] or "z"),
                    "v": n(rng.choice([-5, -1.5, 0, 1, 2.25, 10, 100])), "w": {"B": bytes([rng.randrange(0, 3)] * rng.randrange(1, 3))},
                    "data": s(f"d{i}")}
            if i % 17 == 0:
                del item["w"]  # sparse: not in byTR
            cls.items.append(item)
        for item in cls.items:
            cls.ddb.put_item(TableName="mkt", Item=item)

    @staticmethod
    def sort_key(item):
        return (item["c"]["S"].encode(), float(item["v"]["N"]), item["w"]["B"], item["pk"]["S"])

    def expected(self, pred, reverse=False):
        rows = [i for i in self.items if "w" in i and i["t"]["S"] == "x" and i["r"]["N"] == "1" and pred(i)]
        return sorted(rows, key=self.sort_key, reverse=reverse)

    def query_all(self, limit=None, **kw):
        out, pages, start = [], 0, None
        while True:
            args = dict(TableName="mkt", IndexName="byTR", **kw)
            if limit:
                args["Limit"] = limit
            if start:
                args["ExclusiveStartKey"] = start
            resp = self.ddb.query(**args)
            out += resp["Items"]
            pages += 1
            start = resp.get("LastEvaluatedKey")
            if start:
                self.assertEqual(set(start), {"pk", "t", "r", "c", "v", "w"})
            if not start:
                return out, pages

    def test_conditions_against_python(self):
        vals = {":t": s("x"), ":r": n(1)}
        cases = [
            ("", {}, lambda i: True),
            ("AND c = :c", {":c": s("a")}, lambda i: i["c"]["S"] == "a"),
            ("AND c < :c", {":c": s("ab")}, lambda i: i["c"]["S"].encode() < b"ab"),
            ("AND c >= :c", {":c": s("ab")}, lambda i: i["c"]["S"].encode() >= b"ab"),
            ("AND begins_with(c, :c)", {":c": s("a")}, lambda i: i["c"]["S"].startswith("a")),
            ("AND c BETWEEN :lo AND :hi", {":lo": s("a\u0000"), ":hi": s("b")},
             lambda i: b"a\x00" <= i["c"]["S"].encode() <= b"b"),
            ("AND c = :c AND v = :v", {":c": s("a"), ":v": n(1)}, lambda i: i["c"]["S"] == "a" and float(i["v"]["N"]) == 1),
            ("AND c = :c AND v > :v", {":c": s("a"), ":v": n(0)}, lambda i: i["c"]["S"] == "a" and float(i["v"]["N"]) > 0),
            ("AND c = :c AND v <= :v", {":c": s("b"), ":v": n(1)}, lambda i: i["c"]["S"] == "b" and float(i["v"]["N"]) <= 1),
            ("AND c = :c AND v BETWEEN :lo AND :hi", {":c": s("ab"), ":lo": n(-1.5), ":hi": n(2.25)},
             lambda i: i["c"]["S"] == "ab" and -1.5 <= float(i["v"]["N"]) <= 2.25),
            ("AND c = :c AND v = :v AND w = :w", {":c": s("a"), ":v": n(0), ":w": {"B": b"\x00"}},
             lambda i: i["c"]["S"] == "a" and float(i["v"]["N"]) == 0 and i["w"]["B"] == b"\x00"),
            ("AND c = :c AND v = :v AND w > :w", {":c": s("a"), ":v": n(0), ":w": {"B": b"\x00"}},
             lambda i: i["c"]["S"] == "a" and float(i["v"]["N"]) == 0 and i["w"]["B"] > b"\x00"),
            ("AND c = :c AND v = :v AND begins_with(w, :w)", {":c": s("b"), ":v": n(10), ":w": {"B": b"\x01"}},
             lambda i: i["c"]["S"] == "b" and float(i["v"]["N"]) == 10 and i["w"]["B"].startswith(b"\x01")),
        ]
        for cond, extra, pred in cases:
            for forward in (True, False):
                with self.subTest(cond=cond, forward=forward):
                    want = [i["pk"]["S"] for i in self.expected(pred, reverse=not forward)]
                    got, _ = self.query_all(KeyConditionExpression="t = :t AND r = :r " + cond,
                                            ExpressionAttributeValues={**vals, **extra}, ScanIndexForward=forward)
                    self.assertEqual([i["pk"]["S"] for i in got], want)

    def test_pagination(self):
        want = [i["pk"]["S"] for i in self.expected(lambda i: True)]
        self.assertGreater(len(want), 20)
        for forward in (True, False):
            got, pages = self.query_all(limit=7, KeyConditionExpression="r = :r AND t = :t",
                                        ExpressionAttributeValues={":t": s("x"), ":r": n(1)}, ScanIndexForward=forward)
            self.assertEqual([i["pk"]["S"] for i in got], want if forward else want[::-1])
            self.assertGreaterEqual(pages, len(want) // 7)

    def test_key_condition_errors(self):
        vals = {":t": s("x"), ":r": n(1), ":c": s("a"), ":v": n(1), ":w": {"B": b"\x01"}}
        cases = [
            ("t = :t", "Query condition missed key schema element: r"),
            ("t = :t AND r > :r", "Query key condition not supported"),
            ("t = :t AND r = :r AND v = :v", "Query condition missed key schema element: c"),
            ("t = :t AND r = :r AND c = :c AND w = :w", "Query condition missed key schema element: v"),
            ("t = :t AND r = :r AND c > :c AND v = :v", "Query key condition not supported"),
            ("t = :t AND r = :r AND begins_with(c, :c) AND v = :v", "Query key condition not supported"),
            ("t = :t AND r = :r AND pk = :c", "Query key condition not supported"),
            ("t = :t AND r = :r AND c = :c AND c = :c", "KeyConditionExpressions must only contain one condition per key"),
            ("t = :t AND r = :r AND c = :c AND begins_with(v, :v)",
             "Invalid KeyConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N"),
            ("t = :r AND r = :r", "One or more parameter values were invalid: Condition parameter type does not match schema type"),
            ("t = :t OR r = :r", "Invalid operator used in KeyConditionExpression: OR"),
        ]
        for cond, msg in cases:
            with self.subTest(cond):
                used = {k: v for k, v in vals.items() if k in cond}
                err = self.client_error(self.ddb.query, TableName="mkt", IndexName="byTR", KeyConditionExpression=cond,
                                        ExpressionAttributeValues=used)["Error"]
                self.assertEqual(err["Code"], "ValidationException")
                self.assertTrue(err["Message"].startswith(msg), err["Message"])

    def test_bad_start_key(self):
        err = self.client_error(self.ddb.query, TableName="mkt", IndexName="byTR", KeyConditionExpression="t = :t AND r = :r",
                                ExpressionAttributeValues={":t": s("x"), ":r": n(1)},
                                ExclusiveStartKey={"pk": s("p0001"), "t": s("x"), "r": n(1), "c": s("a")})["Error"]
        self.assertIn("The provided starting key is invalid", err["Message"])
        err = self.client_error(self.ddb.query, TableName="mkt", IndexName="byTR", KeyConditionExpression="t = :t AND r = :r",
                                ExpressionAttributeValues={":t": s("x"), ":r": n(1)},
                                ExclusiveStartKey={"pk": s("p0001"), "t": s("y"), "r": n(1), "c": s("a"), "v": n(1),
                                                   "w": {"B": b"\x01"}})["Error"]
        self.assertEqual(err["Message"], "The provided starting key is outside query boundaries based on provided conditions")

    def test_scan_index_order_and_pages(self):
        def scan_key(i):
            # ihk: t then r (composite); irk: c, v, w; then the table key.
            return (i["t"]["S"].encode(), float(i["r"]["N"]), self.sort_key(i))
        want = [i["pk"]["S"] for i in sorted((i for i in self.items if "w" in i), key=scan_key)]
        got, start = [], None
        while True:
            args = {"TableName": "mkt", "IndexName": "byTR", "Limit": 50}
            if start:
                args["ExclusiveStartKey"] = start
            resp = self.ddb.scan(**args)
            got += [i["pk"]["S"] for i in resp["Items"]]
            start = resp.get("LastEvaluatedKey")
            if not start:
                break
        self.assertEqual(got, want)

    def test_keys_only_projection(self):
        resp = self.ddb.query(TableName="mkt", IndexName="keys", KeyConditionExpression="t = :t AND c = :c",
                              ExpressionAttributeValues={":t": s("y"), ":c": s("b")})
        want = sorted((i for i in self.items if i["t"]["S"] == "y" and i["c"]["S"] == "b"),
                      key=lambda i: (float(i["v"]["N"]), i["pk"]["S"]))
        self.assertEqual([i["pk"]["S"] for i in resp["Items"]], [i["pk"]["S"] for i in want])
        for item in resp["Items"]:
            self.assertEqual(set(item), {"pk", "t", "c", "v"})

    def test_wrong_type_rejected(self):
        err = self.client_error(self.ddb.put_item, TableName="mkt",
                                Item={"pk": s("bad"), "t": s("x"), "r": s("1"), "c": s("a"), "v": n(1)})["Error"]
        self.assertIn("Type mismatch for Index Key r Expected: N Actual: S", err["Message"])


class MultiKeyUpdateTable(DdbTestCase):
    def test_create_index_backfills(self):
        create_table(self.ddb, "upt")
        for i in range(30):
            item = {"pk": s(f"k{i:02d}"), "a": s("g" + str(i % 3)), "b": n(i % 2)}
            if i % 5:
                item["c"] = n(30 - i)
            self.ddb.put_item(TableName="upt", Item=item)
        schema = ks(("a", H), ("b", H), ("c", R))
        err = self.client_error(self.ddb.update_table, TableName="upt", AttributeDefinitions=defs(a="S", b="N", c="N"),
                                GlobalSecondaryIndexUpdates=[{"Create": gsi("bad", ks(("a", H), ("b", R), ("a", R)))}])
        self.assertIn("Duplicate attribute name in KeySchema: a", err["Error"]["Message"])
        desc = self.ddb.update_table(TableName="upt", AttributeDefinitions=defs(a="S", b="N", c="N"),
                                     GlobalSecondaryIndexUpdates=[{"Create": gsi("abc", schema)}])["TableDescription"]
        self.assertEqual(desc["GlobalSecondaryIndexes"][0]["KeySchema"], schema)
        resp = self.ddb.query(TableName="upt", IndexName="abc", KeyConditionExpression="a = :a AND b = :b AND c > :c",
                              ExpressionAttributeValues={":a": s("g1"), ":b": n(0), ":c": n(5)})
        want = sorted((i for i in range(30) if i % 5 and i % 3 == 1 and i % 2 == 0 and 30 - i > 5), key=lambda i: 30 - i)
        self.assertEqual([x["pk"]["S"] for x in resp["Items"]], [f"k{i:02d}" for i in want])


if __name__ == "__main__":
    unittest.main()
