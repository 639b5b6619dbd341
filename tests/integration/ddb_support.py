"""Shared pieces of the DynamoDB integration tests: a test case with its own server, table
creation, and raw JSON requests SigV4-signed with botocore for bodies no SDK would build."""
import unittest

import botocore.exceptions
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from localaws_support import LocalAws


def raw_call(server, operation, body, region="us-east-1", sign=True, headers=None):
    """POSTs `body` (bytes) as DynamoDB_20120810.<operation>; returns (status, headers, body).
    Extra `headers` are sent (and signed) as given."""
    url = server.endpoint + "/"
    headers = {"X-Amz-Target": "DynamoDB_20120810." + operation, "Content-Type": "application/x-amz-json-1.0",
               **(headers or {})}
    if sign:
        req = AWSRequest(method="POST", url=url, data=body, headers=headers)
        SigV4Auth(Credentials("test", "test"), "dynamodb", region).add_auth(req)
        headers = dict(req.headers.items())
    return server.request("POST", "/", body, headers)


class DdbTestCase(unittest.TestCase):
    """One localaws per test class (in memory unless the class says otherwise) and a DynamoDB
    client; subclasses create their tables in setUpClass after calling super()."""
    in_memory = True
    server_args = ()
    accounts = None  # more accounts than the default one (the --accounts file's list)

    @classmethod
    def setUpClass(cls):
        cls.server = LocalAws(*cls.server_args, in_memory=cls.in_memory, accounts=cls.accounts).start()
        cls.ddb = cls.server.boto3_client("dynamodb")

    @classmethod
    def tearDownClass(cls):
        cls.server.close()

    def client_error(self, fn, **kw):
        """Calls fn(**kw), which must fail; returns the error response."""
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            fn(**kw)
        return cm.exception.response


def create_table(ddb, name, keys=(("pk", "S"),), extra_defs=(), **members):
    """CreateTable (on demand) with key attributes (name, type): the hash key, then the range key."""
    defs = [{"AttributeName": n, "AttributeType": t} for n, t in list(keys) + list(extra_defs)]
    schema = [{"AttributeName": n, "KeyType": kt} for (n, _), kt in zip(keys, ("HASH", "RANGE"))]
    return ddb.create_table(TableName=name, BillingMode="PAY_PER_REQUEST", AttributeDefinitions=defs,
                            KeySchema=schema, **members)


def cli_create_table(server, name, exe="aws", *extra):
    """create-table through the aws CLI `exe`: on demand, keyed pk (S); returns the answer."""
    return server.aws_json("dynamodb", "create-table", "--table-name", name,
                           "--attribute-definitions", "AttributeName=pk,AttributeType=S",
                           "--key-schema", "AttributeName=pk,KeyType=HASH", "--billing-mode", "PAY_PER_REQUEST",
                           *extra, exe=exe)
