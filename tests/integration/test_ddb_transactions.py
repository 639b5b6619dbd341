"""TransactWriteItems / TransactGetItems through boto3: all-or-nothing, cancellation reasons in
request order, idempotency tokens, and serializable outcomes under concurrent writers."""
import concurrent.futures
import threading
import unittest

import botocore.exceptions

from ddb_support import DdbTestCase, create_table


def S(v):
    return {"S": v}


def N(v):
    return {"N": str(v)}


class TransactionsTest(DdbTestCase):
    in_memory = False

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for name in ("tx-a", "tx-b"):
            create_table(cls.ddb, name)

    def get(self, table, pk):
        return self.ddb.get_item(TableName=table, Key={"pk": S(pk)}, ConsistentRead=True).get("Item")

    def test_all_or_nothing_with_reasons_in_order(self):
        self.ddb.put_item(TableName="tx-a", Item={"pk": S("guard"), "v": N(1)})
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            self.ddb.transact_write_items(TransactItems=[
                {"Put": {"TableName": "tx-a", "Item": {"pk": S("new1"), "v": N(1)}}},
                {"Update": {"TableName": "tx-b", "Key": {"pk": S("new2")}, "UpdateExpression": "SET v = :v",
                            "ExpressionAttributeValues": {":v": N(2)}}},
                {"ConditionCheck": {"TableName": "tx-a", "Key": {"pk": S("guard")}, "ConditionExpression": "v = :two",
                                    "ExpressionAttributeValues": {":two": N(2)},
                                    "ReturnValuesOnConditionCheckFailure": "ALL_OLD"}},
            ])
        r = cm.exception.response
        self.assertEqual(r["Error"]["Code"], "TransactionCanceledException")
        self.assertEqual(r["Error"]["Message"], "Transaction cancelled, please refer cancellation reasons for specific "
                                                "reasons [None, None, ConditionalCheckFailed]")
        self.assertEqual([x["Code"] for x in r["CancellationReasons"]], ["None", "None", "ConditionalCheckFailed"])
        self.assertEqual(r["CancellationReasons"][2]["Item"], {"pk": S("guard"), "v": N(1)})
        self.assertIsNone(self.get("tx-a", "new1"))  # nothing was written
        self.assertIsNone(self.get("tx-b", "new2"))
        # The same transaction with a passing check writes everything.
        r = self.ddb.transact_write_items(TransactItems=[
            {"Put": {"TableName": "tx-a", "Item": {"pk": S("new1"), "v": N(1)}}},
            {"Update": {"TableName": "tx-b", "Key": {"pk": S("new2")}, "UpdateExpression": "SET v = :v",
                        "ExpressionAttributeValues": {":v": N(2)}}},
            {"ConditionCheck": {"TableName": "tx-a", "Key": {"pk": S("guard")}, "ConditionExpression": "v = :one",
                                "ExpressionAttributeValues": {":one": N(1)}}},
            {"Delete": {"TableName": "tx-a", "Key": {"pk": S("nothing-here")}}},
        ], ReturnConsumedCapacity="TOTAL")
        self.assertEqual(self.get("tx-b", "new2"), {"pk": S("new2"), "v": N(2)})
        self.assertEqual({c["TableName"]: c["CapacityUnits"] for c in r["ConsumedCapacity"]}, {"tx-a": 6.0, "tx-b": 2.0})
        got = self.ddb.transact_get_items(TransactItems=[
            {"Get": {"TableName": "tx-a", "Key": {"pk": S("new1")}, "ProjectionExpression": "v"}},
            {"Get": {"TableName": "tx-b", "Key": {"pk": S("absent")}}},
        ])["Responses"]
        self.assertEqual(got, [{"Item": {"v": N(1)}}, {}])

    def test_validation(self):
        def err(items, **kw):
            with self.assertRaises(botocore.exceptions.ClientError) as cm:
                self.ddb.transact_write_items(TransactItems=items, **kw)
            return cm.exception.response["Error"]["Code"], cm.exception.response["Error"]["Message"]
        key = {"pk": S("dup")}
        self.assertEqual(err([{"Delete": {"TableName": "tx-a", "Key": key}},
                              {"Put": {"TableName": "tx-a", "Item": key}}]),
                         ("ValidationException", "Transaction request cannot include multiple operations on one item"))
        code, _ = err([{"Put": {"TableName": "no-such-table", "Item": key}}])
        self.assertEqual(code, "ResourceNotFoundException")
        # A runtime update error cancels the transaction with a ValidationError reason.
        self.ddb.put_item(TableName="tx-a", Item={"pk": S("str"), "v": S("text")})
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            self.ddb.transact_write_items(TransactItems=[
                {"Update": {"TableName": "tx-a", "Key": {"pk": S("str")}, "UpdateExpression": "ADD v :one",
                            "ExpressionAttributeValues": {":one": N(1)}}}])
        self.assertEqual(cm.exception.response["CancellationReasons"],
                         [{"Code": "ValidationError", "Message": "An operand in the update expression has an incorrect data type"}])

    def test_idempotency_token(self):
        items = [{"Update": {"TableName": "tx-a", "Key": {"pk": S("idem")}, "UpdateExpression": "ADD n :one",
                             "ExpressionAttributeValues": {":one": N(1)}}}]
        self.ddb.transact_write_items(TransactItems=items, ClientRequestToken="token-1")
        self.ddb.transact_write_items(TransactItems=items, ClientRequestToken="token-1")  # replay: no second write
        self.assertEqual(self.get("tx-a", "idem")["n"], N(1))
        self.ddb.transact_write_items(TransactItems=items, ClientRequestToken="token-2")
        self.assertEqual(self.get("tx-a", "idem")["n"], N(2))
        items[0]["Update"]["ExpressionAttributeValues"][":one"] = N(5)
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            self.ddb.transact_write_items(TransactItems=items, ClientRequestToken="token-1")
        self.assertEqual(cm.exception.response["Error"]["Code"], "IdempotentParameterMismatchException")

    def test_concurrent_transfers_keep_the_total(self):
        """Transfers between accounts, each conditional on funds: any serial order keeps the total
        and never overdraws, so the same must hold under concurrency."""
        accounts = ["acct-%d" % i for i in range(4)]
        for a in accounts:
            self.ddb.put_item(TableName="tx-b", Item={"pk": S(a), "balance": N(100)})
        workers, per_worker = 8, 20
        clients = [self.server.boto3_client("dynamodb") for _ in range(workers)]
        barrier = threading.Barrier(workers)

        def work(w):
            barrier.wait(timeout=60)
            done = 0
            for j in range(per_worker):
                src, dst = accounts[(w + j) % 4], accounts[(w + j + 1 + w % 3) % 4]
                if src == dst:
                    continue
                try:
                    clients[w].transact_write_items(TransactItems=[
                        {"Update": {"TableName": "tx-b", "Key": {"pk": S(src)}, "UpdateExpression": "SET balance = balance - :amt",
                                    "ConditionExpression": "balance >= :amt", "ExpressionAttributeValues": {":amt": N(30)}}},
                        {"Update": {"TableName": "tx-b", "Key": {"pk": S(dst)}, "UpdateExpression": "SET balance = balance + :amt",
                                    "ExpressionAttributeValues": {":amt": N(30)}}}])
                    done += 1
                except botocore.exceptions.ClientError as e:
                    self.assertEqual(e.response["Error"]["Code"], "TransactionCanceledException")
            return done

        with concurrent.futures.ThreadPoolExecutor(workers) as pool:
            done = sum(pool.map(work, range(workers)))
        balances = [int(self.get("tx-b", a)["balance"]["N"]) for a in accounts]
        self.assertEqual(sum(balances), 400)
        self.assertTrue(all(b >= 0 for b in balances), balances)
        self.assertGreater(done, 0)


if __name__ == "__main__":
    unittest.main()
