"""PartiQL (ExecuteStatement, BatchExecuteStatement, ExecuteTransaction) through boto3: every
statement answers what the equivalent Query / Scan / PutItem / UpdateItem / DeleteItem answers,
and malformed or unsupported statements fail as DynamoDB fails them."""
import unittest

from ddb_support import DdbTestCase, create_table


def S(v):
    return {"S": v}


def N(v):
    return {"N": str(v)}


class PartiqlTest(DdbTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        create_table(cls.ddb, "pqt", keys=(("pk", "S"), ("sk", "N")), extra_defs=(("g", "S"),),
                     GlobalSecondaryIndexes=[{"IndexName": "by-g", "Projection": {"ProjectionType": "ALL"},
                                              "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}]}])
        create_table(cls.ddb, "pq-w")
        for i in range(6):
            cls.ddb.put_item(TableName="pqt", Item={
                "pk": S("a" if i < 4 else "b"), "sk": N(i), "g": S("even" if i % 2 == 0 else "odd"),
                "name": S("item-%d" % i), "m": {"M": {"x": N(i * 10), "l": {"L": [S("p"), S("q%d" % i)]}}},
                "tags": {"SS": ["t%d" % i, "all"]}})

    def stmt(self, statement, *params, **kw):
        if params:
            kw["Parameters"] = list(params)
        return self.ddb.execute_statement(Statement=statement, **kw)

    def test_select_by_partition_key_equals_query(self):
        got = self.stmt('SELECT * FROM "pqt" WHERE pk = ?', S("a"))["Items"]
        want = self.ddb.query(TableName="pqt", KeyConditionExpression="pk = :p",
                              ExpressionAttributeValues={":p": S("a")})["Items"]
        self.assertEqual(got, want)
        self.assertEqual([i["sk"]["N"] for i in got], ["0", "1", "2", "3"])

    def test_select_sort_key_condition_order_by_desc_and_projection(self):
        got = self.stmt("SELECT sk, m.x, m.l[1] FROM pqt WHERE pk = 'a' AND sk >= 1 ORDER BY sk DESC")["Items"]
        want = self.ddb.query(TableName="pqt", KeyConditionExpression="pk = :p AND sk >= :s", ScanIndexForward=False,
                              ProjectionExpression="sk, m.x, m.l[1]",
                              ExpressionAttributeValues={":p": S("a"), ":s": N(1)})["Items"]
        self.assertEqual(got, want)
        self.assertEqual(got[0], {"sk": N(3), "m": {"M": {"x": N(30), "l": {"L": [S("q3")]}}}})

    def test_select_without_key_is_a_scan_with_functions(self):
        cases = [
            ("begins_with(name, 'item-1') OR contains(tags, 't4')", "begins_with(#n, :a) OR contains(tags, :b)",
             {":a": S("item-1"), ":b": S("t4")}),
            ("size(m.l) = 2 AND attribute_type(g, 'S') AND sk BETWEEN 2 AND 4",
             "size(m.l) = :two AND attribute_type(g, :s) AND sk BETWEEN :lo AND :hi",
             {":two": N(2), ":s": S("S"), ":lo": N(2), ":hi": N(4)}),
            ("nope IS MISSING AND name IS NOT MISSING AND g IN ['odd']",
             "attribute_not_exists(nope) AND attribute_exists(#n) AND g IN (:o)", {":o": S("odd")}),
        ]
        for where, expression, values in cases:
            with self.subTest(where=where):
                got = self.stmt("SELECT * FROM pqt WHERE " + where)["Items"]
                kw = {"ExpressionAttributeNames": {"#n": "name"}} if "#n" in expression else {}
                want = self.ddb.scan(TableName="pqt", FilterExpression=expression, ExpressionAttributeValues=values,
                                     **kw)["Items"]
                self.assertEqual(got, want)
                self.assertTrue(got)

    def test_select_from_index(self):
        got = self.stmt('SELECT pk, sk FROM "pqt"."by-g" WHERE g = \'odd\'')["Items"]
        want = self.ddb.query(TableName="pqt", IndexName="by-g", KeyConditionExpression="g = :g",
                              ProjectionExpression="pk, sk", ExpressionAttributeValues={":g": S("odd")})["Items"]
        self.assertEqual(got, want)
        self.assertEqual(len(got), 3)

    def test_select_from_multi_attribute_index_equals_query(self):
        create_table(self.ddb, "pq-multi", extra_defs=(("region", "S"), ("shop", "S"), ("day", "N"), ("hour", "N")),
                     GlobalSecondaryIndexes=[{"IndexName": "by-shop-time", "Projection": {"ProjectionType": "ALL"},
                                              "KeySchema": [{"AttributeName": "region", "KeyType": "HASH"},
                                                            {"AttributeName": "shop", "KeyType": "HASH"},
                                                            {"AttributeName": "day", "KeyType": "RANGE"},
                                                            {"AttributeName": "hour", "KeyType": "RANGE"}]}])
        for i in range(24):
            self.ddb.put_item(TableName="pq-multi", Item={"pk": S("v%02d" % i), "region": S("eu"),
                                                          "shop": S("north" if i % 3 else "south"),
                                                          "day": N(i % 4), "hour": N(23 - i)})
        cases = [  # (WHERE, KeyConditionExpression, FilterExpression or None, values)
            ("region = 'eu' AND shop = 'north'", "#r = :r AND #s = :s", None, {":r": S("eu"), ":s": S("north")}),
            ("region = 'eu' AND shop = 'north' AND \"day\" = 1 AND \"hour\" > 10",
             "#r = :r AND #s = :s AND #d = :d AND #h > :h", None,
             {":r": S("eu"), ":s": S("north"), ":d": N(1), ":h": N(10)}),
            ("region = 'eu' AND shop = 'south' AND \"day\" BETWEEN 1 AND 2", "#r = :r AND #s = :s AND #d BETWEEN :d AND :e",
             None, {":r": S("eu"), ":s": S("south"), ":d": N(1), ":e": N(2)}),
            # a condition on the second sort attribute without the first stays a filter
            ("region = 'eu' AND shop = 'north' AND \"hour\" < 5", "#r = :r AND #s = :s", "#h < :h",
             {":r": S("eu"), ":s": S("north"), ":h": N(5)}),
        ]
        names = {"#r": "region", "#s": "shop", "#d": "day", "#h": "hour"}
        for where, kce, fe, values in cases:
            with self.subTest(where=where):
                got = self.stmt('SELECT * FROM "pq-multi"."by-shop-time" WHERE ' + where)["Items"]
                kw = {"FilterExpression": fe} if fe else {}
                used = {k: v for k, v in names.items() if k in kce or (fe and k in fe)}
                want = self.ddb.query(TableName="pq-multi", IndexName="by-shop-time", KeyConditionExpression=kce,
                                      ExpressionAttributeNames=used, ExpressionAttributeValues=values, **kw)["Items"]
                self.assertEqual(got, want)
                self.assertTrue(got)
        # Only one of the two partition attributes: a Scan of the index with the same items.
        got = self.stmt('SELECT * FROM "pq-multi"."by-shop-time" WHERE shop = \'south\'')["Items"]
        self.assertEqual(sorted(i["pk"]["S"] for i in got), ["v%02d" % i for i in range(0, 24, 3)])

    def test_limit_and_next_token_page_through(self):
        seen, token = [], None
        for _ in range(10):
            kw = {"Limit": 2}
            if token:
                kw["NextToken"] = token
            page = self.stmt("SELECT sk FROM pqt WHERE pk = 'a'", **kw)
            seen += [i["sk"]["N"] for i in page["Items"]]
            token = page.get("NextToken")
            if not token:
                break
        self.assertEqual(seen, ["0", "1", "2", "3"])
        out = self.stmt("SELECT * FROM pqt WHERE pk = 'b'", ConsistentRead=True, ReturnConsumedCapacity="TOTAL")
        self.assertEqual(out["ConsumedCapacity"]["TableName"], "pqt")

    def test_insert_update_delete_match_item_operations(self):
        self.stmt("INSERT INTO \"pq-w\" VALUE {'pk': ?, 'n': 1, 'l': [1, 'x'], 'm': {'k': true}, 's': <<'a', 'b'>>, "
                  "'z': NULL}", S("w1"))
        item = self.ddb.get_item(TableName="pq-w", Key={"pk": S("w1")})["Item"]
        self.assertEqual(item, {"pk": S("w1"), "n": N(1), "l": {"L": [N(1), S("x")]}, "m": {"M": {"k": {"BOOL": True}}},
                                "s": {"SS": ["a", "b"]}, "z": {"NULL": True}})
        err = self.client_error(self.ddb.execute_statement, Statement="INSERT INTO \"pq-w\" VALUE {'pk': 'w1'}")
        self.assertEqual(err["Error"]["Code"], "DuplicateItemException")
        self.assertEqual(err["Error"]["Message"], "Duplicate primary key exists in table")

        out = self.stmt("UPDATE \"pq-w\" SET n = n + 5 SET m.k2 = 'v' SET s = set_add(s, <<'c'>>) REMOVE z "
                        "WHERE pk = 'w1' AND n = 1")
        self.assertEqual(out["Items"], [])
        item = self.ddb.get_item(TableName="pq-w", Key={"pk": S("w1")})["Item"]
        self.assertEqual(item["n"], N(6))
        self.assertEqual(item["m"]["M"]["k2"], S("v"))
        self.assertEqual(sorted(item["s"]["SS"]), ["a", "b", "c"])
        self.assertNotIn("z", item)

        err = self.client_error(self.ddb.execute_statement, Statement="UPDATE \"pq-w\" SET n = 0 WHERE pk = 'w1' AND n = 1",
                                ReturnValuesOnConditionCheckFailure="ALL_OLD")
        self.assertEqual(err["Error"]["Code"], "ConditionalCheckFailedException")
        self.assertEqual(err["Item"]["n"], N(6))
        # UPDATE never creates an item.
        err = self.client_error(self.ddb.execute_statement, Statement="UPDATE \"pq-w\" SET n = 0 WHERE pk = 'none'")
        self.assertEqual(err["Error"]["Code"], "ConditionalCheckFailedException")
        self.assertNotIn("Item", self.ddb.get_item(TableName="pq-w", Key={"pk": S("none")}))

        err = self.client_error(self.ddb.execute_statement, Statement="DELETE FROM \"pq-w\" WHERE pk = 'w1' AND n = 1")
        self.assertEqual(err["Error"]["Code"], "ConditionalCheckFailedException")
        self.stmt("DELETE FROM \"pq-w\" WHERE pk = 'w1' AND n = 6")
        self.assertNotIn("Item", self.ddb.get_item(TableName="pq-w", Key={"pk": S("w1")}))

    def test_errors(self):
        well = "Statement wasn't well formed, can't be processed: "
        cases = [
            ("SELEKT * FROM pqt", [], "ValidationException", well + "Expected data manipulation"),
            ("SELECT * FROM pqt WHERE", [], "ValidationException", well + "Unexpected end of statement"),
            ("SELECT * FROM WHERE pk = 'a'", [], "ValidationException", well + "Unexpected keyword"),
            ("SELECT * FROM pqt WHERE pk = ?", [], "ValidationException",
             "Number of parameters in request and statement don't match."),
            ("SELECT * FROM \"no-such\"", [], "ResourceNotFoundException", "Requested resource not found"),
            ("UPDATE pqt SET n = 1 WHERE pk = 'a'", [], "ValidationException",
             "Where clause does not contain a mandatory equality on all key attributes"),
            ("DELETE FROM pqt WHERE sk = 1", [], "ValidationException",
             "Where clause does not contain a mandatory equality on all key attributes"),
            ("SELECT * FROM pqt WHERE name = 'x' ORDER BY sk", [], "ValidationException",
             "Must have WHERE clause in the statement when using ORDER BY clause."),
            ("SELECT * FROM \"pqt\".\"nope\" WHERE pk = 'a'", [], "ValidationException",
             "The table does not have the specified index: nope"),
            ("UPDATE pqt SET pk = 'x' WHERE pk = 'a' AND sk = 0", [], "ValidationException", None),
        ]
        for statement, params, code, message in cases:
            with self.subTest(statement=statement):
                kw = {"Parameters": params} if params else {}
                err = self.client_error(self.ddb.execute_statement, Statement=statement, **kw)
                self.assertEqual(err["Error"]["Code"], code)
                if message:
                    self.assertEqual(err["Error"]["Message"], message)

    def test_batch_execute_statement(self):
        out = self.ddb.batch_execute_statement(Statements=[
            {"Statement": "INSERT INTO \"pq-w\" VALUE {'pk': ?, 'v': 1}", "Parameters": [S("b1")]},
            {"Statement": "INSERT INTO \"pq-w\" VALUE {'pk': 'b2', 'v': 2}"},
            {"Statement": "INSERT INTO \"pq-w\" VALUE {'pk': 'b1'}"},
            {"Statement": "UPDATE \"pq-w\" SET v = 9 WHERE pk = 'b2' AND v = 5",
             "ReturnValuesOnConditionCheckFailure": "ALL_OLD"},
            {"Statement": "SELEKT"},
        ])["Responses"]
        self.assertEqual([r.get("Error", {}).get("Code") for r in out],
                         [None, None, "DuplicateItem", "ConditionalCheckFailed", "ValidationError"])
        self.assertEqual(out[3]["Error"]["Item"], {"pk": S("b2"), "v": N(2)})
        out = self.ddb.batch_execute_statement(Statements=[
            {"Statement": "SELECT * FROM \"pq-w\" WHERE pk = 'b1'"},
            {"Statement": "SELECT v FROM \"pq-w\" WHERE pk = 'b2'", "ConsistentRead": True},
            {"Statement": "SELECT * FROM \"pq-w\" WHERE pk = 'none'"},
            {"Statement": "SELECT * FROM \"pq-w\" WHERE v = 1"},
        ])["Responses"]
        self.assertEqual(out[0]["Item"], {"pk": S("b1"), "v": N(1)})
        self.assertEqual(out[1]["Item"], {"v": N(2)})
        self.assertNotIn("Item", out[2])
        self.assertEqual(out[3]["Error"]["Code"], "ValidationError")
        statements = [{"Statement": "SELECT * FROM \"pq-w\" WHERE pk = 'x'"}] * 26
        err = self.client_error(self.ddb.batch_execute_statement, Statements=statements)
        self.assertEqual(err["Error"]["Code"], "ValidationException")

    def test_execute_transaction(self):
        self.ddb.execute_transaction(TransactStatements=[
            {"Statement": "INSERT INTO \"pq-w\" VALUE {'pk': 't1', 'v': 1}"},
            {"Statement": "INSERT INTO \"pq-w\" VALUE {'pk': ?, 'v': 2}", "Parameters": [S("t2")]},
        ], ClientRequestToken="tok-1")
        got = self.ddb.execute_transaction(TransactStatements=[
            {"Statement": "SELECT * FROM \"pq-w\" WHERE pk = 't1'"},
            {"Statement": "SELECT v FROM \"pq-w\" WHERE pk = 't2'"},
            {"Statement": "SELECT v FROM \"pq-w\" WHERE pk = 'none'"},
        ])["Responses"]
        self.assertEqual(got, [{"Item": {"pk": S("t1"), "v": N(1)}}, {"Item": {"v": N(2)}}, {}])
        err = self.client_error(self.ddb.execute_transaction, TransactStatements=[
            {"Statement": "UPDATE \"pq-w\" SET v = 10 WHERE pk = 't1'"},
            {"Statement": "INSERT INTO \"pq-w\" VALUE {'pk': 't2'}"},
            {"Statement": "DELETE FROM \"pq-w\" WHERE pk = 'none' AND v = 5"},
        ])
        self.assertEqual(err["Error"]["Code"], "TransactionCanceledException")
        self.assertEqual([r["Code"] for r in err["CancellationReasons"]], ["None", "DuplicateItem", "ConditionalCheckFailed"])
        self.assertEqual(self.ddb.get_item(TableName="pq-w", Key={"pk": S("t1")})["Item"]["v"], N(1))
        err = self.client_error(self.ddb.execute_transaction, TransactStatements=[
            {"Statement": "SELECT * FROM \"pq-w\" WHERE pk = 't1'"},
            {"Statement": "DELETE FROM \"pq-w\" WHERE pk = 't1'"},
        ])
        self.assertEqual(err["Error"]["Code"], "ValidationException")


if __name__ == "__main__":
    unittest.main()
