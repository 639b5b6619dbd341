"""Conditional writes are atomic: the read, the condition and the write share one transaction.

Many clients (threads, each with its own boto3 client and connection pool) race on one key."""
import concurrent.futures
import threading
import unittest

import botocore.exceptions

from ddb_support import DdbTestCase, create_table

WORKERS = 16


class ConcurrencyTest(DdbTestCase):
    in_memory = False  # file-backed: WAL with concurrent readers, as in normal use

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        create_table(cls.ddb, "race")

    def run_all(self, fn, count):
        clients = [self.server.boto3_client("dynamodb") for _ in range(WORKERS)]
        start = threading.Barrier(WORKERS)

        def worker(i):
            start.wait(timeout=60)
            return [fn(clients[i], i * count + j) for j in range(count)]

        with concurrent.futures.ThreadPoolExecutor(WORKERS) as pool:
            results = list(pool.map(worker, range(WORKERS)))
        return [r for rs in results for r in rs]

    def test_conditional_put_has_exactly_one_winner(self):
        def attempt(client, n):
            try:
                client.put_item(TableName="race", Item={"pk": {"S": "winner"}, "who": {"N": str(n)}},
                                ConditionExpression="attribute_not_exists(pk)")
                return n
            except botocore.exceptions.ClientError as e:
                self.assertEqual(e.response["Error"]["Code"], "ConditionalCheckFailedException")
                return None

        results = self.run_all(attempt, 4)
        winners = [n for n in results if n is not None]
        self.assertEqual(len(results), WORKERS * 4)
        self.assertEqual(len(winners), 1)
        item = self.server.boto3_client("dynamodb").get_item(TableName="race", Key={"pk": {"S": "winner"}},
                                                             ConsistentRead=True)["Item"]
        self.assertEqual(item["who"], {"N": str(winners[0])})

    def test_concurrent_add_gives_exact_sum(self):
        per_worker = 25

        def add(client, n):
            client.update_item(TableName="race", Key={"pk": {"S": "counter"}}, UpdateExpression="ADD #c :one",
                               ExpressionAttributeNames={"#c": "counter"},
                               ExpressionAttributeValues={":one": {"N": "1"}})

        self.run_all(add, per_worker)
        item = self.server.boto3_client("dynamodb").get_item(TableName="race", Key={"pk": {"S": "counter"}},
                                                             ConsistentRead=True)["Item"]
        self.assertEqual(item["counter"], {"N": str(WORKERS * per_worker)})


if __name__ == "__main__":
    unittest.main()
