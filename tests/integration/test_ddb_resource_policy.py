"""DynamoDB resource-based policies through boto3 with three accounts (--accounts): Put/Get/
DeleteResourcePolicy with revision ids and AWS's messages, the documents PutResourcePolicy
refuses, the canonical form GetResourcePolicy returns, CreateTable's ResourcePolicy; other
accounts reaching a table by its ARN in TableName (GetItem, PutItem, Query, batches,
transactions, DescribeTable) only where the policy allows them, aws:PrincipalAccount
conditions, an explicit Deny refusing the owner, stream policies (DescribeStream,
GetShardIterator, GetRecords), the lockout guard, and policies going with their table and with
/_localaws/reset. docs/dynamodb.md "## Resource-based policies"."""
import json
import shutil
import subprocess
import unittest

import botocore.exceptions

from ddb_support import DdbTestCase, create_table
from localaws_support import LocalAws

OWNER, OTHER, THIRD = "000000000000", "111111111111", "222222222222"
ACCOUNTS = [{"accessKeyId": "other", "secretAccessKey": "other-secret", "accountId": OTHER},
            {"accessKeyId": "third", "secretAccessKey": "third-secret", "accountId": THIRD}]


def arn(table):
    return "arn:aws:dynamodb:us-east-1:%s:table/%s" % (OWNER, table)


def doc(*statements, version="2012-10-17"):
    d = {"Statement": list(statements)}
    if version:
        d = {"Version": version, **d}
    return json.dumps(d)


def allow(principal, actions, resource, **extra):
    return {"Effect": "Allow", "Principal": principal, "Action": actions, "Resource": resource, **extra}


class ResourcePolicyTest(DdbTestCase):
    accounts = ACCOUNTS

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other = cls.server.boto3_client("dynamodb", access_key="other", secret_key="other-secret")
        cls.third = cls.server.boto3_client("dynamodb", access_key="third", secret_key="third-secret")

    def error(self, fn, **kw):
        e = self.client_error(fn, **kw)["Error"]
        return e["Code"], e["Message"]

    def table(self, name, **members):
        create_table(self.ddb, name, keys=(("pk", "S"), ("sk", "S")), **members)
        self.ddb.put_item(TableName=name, Item={"pk": {"S": "a"}, "sk": {"S": "1"}, "v": {"S": "x"}})
        return arn(name)

    # ---- Put / Get / Delete -------------------------------------------------------------------

    def test_put_get_delete_with_revisions(self):
        t = self.table("rp-crud")
        self.assertEqual(self.error(self.ddb.get_resource_policy, ResourceArn=t),
                         ("PolicyNotFoundException", "Resource-based policy not found for the provided ResourceArn: " + t))
        # Deleting where there never was a policy is a no-op without a revision.
        self.assertNotIn("RevisionId", self.ddb.delete_resource_policy(ResourceArn=t))
        p1 = doc(allow({"AWS": OTHER}, ["dynamodb:GetItem"], t))
        r1 = self.ddb.put_resource_policy(ResourceArn=t, Policy=p1)["RevisionId"]
        self.assertRegex(r1, r"^\d{13}$")
        got = self.ddb.get_resource_policy(ResourceArn=t)
        self.assertEqual(got["RevisionId"], r1)
        # The canonical form: minified, AWS's key order, one-element lists as strings, account ids as root ARNs.
        self.assertEqual(got["Policy"], json.dumps(
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::%s:root" % OTHER},
                                                     "Action": "dynamodb:GetItem", "Resource": t}]}, separators=(",", ":")))
        # An equivalent document (pretty-printed, keys reordered) changes nothing.
        same = json.dumps({"Statement": [{"Resource": [t], "Action": "dynamodb:GetItem", "Principal": {"AWS": OTHER},
                                          "Effect": "Allow"}], "Version": "2012-10-17"}, indent=4)
        self.assertEqual(self.ddb.put_resource_policy(ResourceArn=t, Policy=same)["RevisionId"], r1)
        p2 = doc(allow({"AWS": OTHER}, ["dynamodb:GetItem", "dynamodb:Query"], t))
        r2 = self.ddb.put_resource_policy(ResourceArn=t, Policy=p2, ExpectedRevisionId=r1)["RevisionId"]
        self.assertGreater(int(r2), int(r1))
        prefix = "Resource-based policy not found for the provided ResourceArn: "
        self.assertEqual(self.error(self.ddb.put_resource_policy, ResourceArn=t, Policy=p1, ExpectedRevisionId=r1),
                         ("PolicyNotFoundException", prefix + "Requested update for policy with revision id %s, but the "
                          "policy associated to target table rp-crud has revision id %s." % (r1, r2)))
        self.assertEqual(self.error(self.ddb.put_resource_policy, ResourceArn=t, Policy=p1, ExpectedRevisionId="NO_POLICY"),
                         ("PolicyNotFoundException", prefix + "Requested policy update expecting none to be present for "
                          "table rp-crud, but a policy exists with revision id %s." % r2))
        self.assertEqual(self.error(self.ddb.delete_resource_policy, ResourceArn=t, ExpectedRevisionId="unknown")[0],
                         "PolicyNotFoundException")
        # Delete answers the removed policy's revision; later deletes the deletion's own.
        self.assertEqual(self.ddb.delete_resource_policy(ResourceArn=t, ExpectedRevisionId=r2)["RevisionId"], r2)
        self.assertEqual(self.error(self.ddb.get_resource_policy, ResourceArn=t)[0], "PolicyNotFoundException")
        tomb = self.ddb.delete_resource_policy(ResourceArn=t)["RevisionId"]
        self.assertGreater(int(tomb), int(r2))
        self.ddb.put_resource_policy(ResourceArn=t, Policy=p1, ExpectedRevisionId="NO_POLICY")

    def test_missing_table_and_bad_arns(self):
        self.assertEqual(self.error(self.ddb.get_resource_policy, ResourceArn=arn("rp-missing")),
                         ("ResourceNotFoundException", "Requested resource not found: Table: rp-missing not found"))
        self.assertEqual(self.error(self.ddb.delete_resource_policy, ResourceArn=arn("rp-missing"))[0],
                         "ResourceNotFoundException")
        self.assertEqual(self.error(self.ddb.get_resource_policy, ResourceArn="rp-missing"),
                         ("ValidationException", "One or more parameter values were invalid: ARNs must start with 'arn:': rp-missing"))
        t = self.table("rp-arns")
        self.assertIn("only table or stream is accepted",
                      self.error(self.ddb.get_resource_policy, ResourceArn=t + "/index/x")[1])
        self.assertEqual(self.error(self.ddb.get_resource_policy, ResourceArn=t.replace("us-east-1", "eu-west-1")),
                         ("ValidationException", "One or more parameter values were invalid: Invalid resource Arn: " +
                          t.replace("us-east-1", "eu-west-1")))
        # Another account may not manage this table's policy.
        self.assertEqual(self.error(self.other.get_resource_policy, ResourceArn=t),
                         ("ValidationException", "This action is only supported by accounts that match the resource owner\u2019s account."))

    def test_documents_refused(self):
        t = self.table("rp-validate")
        bad = "One or more parameter values were invalid: Invalid policy document: "
        cases = [
            ("{not json", bad + "This policy contains invalid Json"),
            ("", bad + "This policy contains invalid Json"),
            (json.dumps({"Version": "2012-10-17", "Statement": []}), bad + "Could not parse the policy: Statement is empty!"),
            (doc({"Effect": "Allow", "Principal": {"AWS": OTHER}, "Action": "dynamodb:GetItem"}),
             bad + "Missing required field Resource"),
            (doc(allow({"AWS": OTHER}, ["dynamodb:GetRecords", "dynamodb:DescribeStream"], t)),
             bad + 'The following action names are invalid: "dynamodb:DescribeStream", "dynamodb:GetRecords"'),
            (doc(allow("*", "dynamodb:GetItem", t)),
             "Resource-based policy grants unbounded access in one or more elements. Please revise the policy to "
             "ensure least-privilege form of access"),
            (doc(allow({"AWS": OTHER}, "dynamodb:GetItem", t, Sid="a"), allow({"AWS": OTHER}, "dynamodb:Query", t, Sid="a")),
             bad + "The Statement Ids in the policy are not unique"),
            (doc(allow({"AWS": "arn:aws:iam::12:root"}, "dynamodb:GetItem", t)),
             "One or more parameter values were invalid: Invalid principal in policy document."),
            (doc(allow({"AWS": OTHER}, "dynamodb:GetItem", t) | {"Condition": {"StringEquals": {"nope:key": "x"}}}),
             bad + "Policy has an invalid condition key"),
            (" " * 20481 + doc(allow({"AWS": OTHER}, "dynamodb:GetItem", t)),
             "One or more parameter values were invalid: Maximum policy size of 20480 bytes exceeded"),
        ]
        for text, message in cases:
            with self.subTest(message=message):
                self.assertEqual(self.error(self.ddb.put_resource_policy, ResourceArn=t, Policy=text),
                                 ("ValidationException", message))
        self.assertEqual(self.error(self.ddb.get_resource_policy, ResourceArn=t)[0], "PolicyNotFoundException")
        # Accepted: Resource "*", another table, the table's indexes, Version omitted (read back as 2008-10-17).
        self.ddb.put_resource_policy(ResourceArn=t, Policy=doc(
            allow({"AWS": OTHER}, "dynamodb:GetItem", ["*", arn("elsewhere"), t + "/index/*"]), version=None))
        self.assertTrue(self.ddb.get_resource_policy(ResourceArn=t)["Policy"].startswith('{"Version":"2008-10-17",'))

    # ---- other accounts -----------------------------------------------------------------------

    def test_cross_account_denied_then_allowed(self):
        t = self.table("rp-cross")
        key = {"pk": {"S": "a"}, "sk": {"S": "1"}}
        user = "arn:aws:iam::%s:root" % OTHER
        self.assertEqual(self.error(self.other.get_item, TableName=t, Key=key),
                         ("AccessDeniedException", "User: %s is not authorized to perform: dynamodb:GetItem on resource: %s "
                          "because no resource-based policy allows the dynamodb:GetItem action" % (user, t)))
        self.assertEqual(self.error(self.other.put_item, TableName=t, Item=key)[0], "AccessDeniedException")
        self.assertEqual(self.error(self.other.query, TableName=t, KeyConditionExpression="pk = :p",
                                    ExpressionAttributeValues={":p": {"S": "a"}})[0], "AccessDeniedException")
        # By name, the other account sees only its own tables.
        self.assertEqual(self.error(self.other.get_item, TableName="rp-cross", Key=key)[0], "ResourceNotFoundException")
        self.ddb.put_resource_policy(ResourceArn=t, Policy=doc(
            allow({"AWS": "arn:aws:iam::%s:root" % OTHER}, ["dynamodb:GetItem", "dynamodb:Query", "dynamodb:DescribeTable"], t)))
        self.assertEqual(self.other.get_item(TableName=t, Key=key)["Item"]["v"], {"S": "x"})
        self.assertEqual(self.other.query(TableName=t, KeyConditionExpression="pk = :p",
                                          ExpressionAttributeValues={":p": {"S": "a"}})["Count"], 1)
        self.assertEqual(self.other.describe_table(TableName=t)["Table"]["TableArn"], t)
        self.assertIn("dynamodb:PutItem", self.error(self.other.put_item, TableName=t, Item=key)[1])
        # Operations without cross-account support refuse other accounts whatever the policy says.
        self.assertEqual(self.error(self.other.describe_time_to_live, TableName=t)[0], "ValidationException")
        self.ddb.put_resource_policy(ResourceArn=t, Policy=doc(
            allow({"AWS": OTHER}, ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:BatchGetItem", "dynamodb:BatchWriteItem"], t)))
        self.other.put_item(TableName=t, Item={"pk": {"S": "b"}, "sk": {"S": "1"}, "v": {"S": "from-other"}})
        self.assertEqual(self.ddb.get_item(TableName="rp-cross", Key={"pk": {"S": "b"}, "sk": {"S": "1"}})["Item"]["v"],
                         {"S": "from-other"})
        self.assertEqual(self.error(self.third.get_item, TableName=t, Key=key)[0], "AccessDeniedException")
        # Batches keep the table ARN as the request spelled it.
        got = self.other.batch_get_item(RequestItems={t: {"Keys": [key]}})
        self.assertEqual(list(got["Responses"]), [t])
        self.other.batch_write_item(RequestItems={t: [{"PutRequest": {"Item": {"pk": {"S": "c"}, "sk": {"S": "1"}}}}]})
        # Transactions need the item action: PutItem is allowed, UpdateItem is not.
        self.other.transact_write_items(TransactItems=[{"Put": {"TableName": t, "Item": {"pk": {"S": "d"}, "sk": {"S": "1"}}}}])
        code, message = self.error(self.other.transact_write_items, TransactItems=[
            {"Update": {"TableName": t, "Key": key, "UpdateExpression": "SET v = :v", "ExpressionAttributeValues": {":v": {"S": "y"}}}}])
        self.assertEqual(code, "AccessDeniedException")
        self.assertIn("dynamodb:UpdateItem", message)

    def test_principal_account_condition(self):
        t = self.table("rp-cond")
        key = {"pk": {"S": "a"}, "sk": {"S": "1"}}
        self.ddb.put_resource_policy(ResourceArn=t, Policy=doc(allow(
            "*", "dynamodb:GetItem", t, Condition={"StringEquals": {"aws:PrincipalAccount": [OTHER]}})))
        self.assertIn("Item", self.other.get_item(TableName=t, Key=key))
        self.assertEqual(self.error(self.third.get_item, TableName=t, Key=key)[0], "AccessDeniedException")
        got = json.loads(self.ddb.get_resource_policy(ResourceArn=t)["Policy"])
        self.assertEqual(got["Statement"][0]["Condition"], {"StringEquals": {"aws:PrincipalAccount": OTHER}})

    def test_explicit_deny_refuses_the_owner(self):
        t = self.table("rp-deny")
        key = {"pk": {"S": "a"}, "sk": {"S": "1"}}
        # The owner reaches its table by name or by ARN.
        self.assertIn("Item", self.ddb.get_item(TableName=t, Key=key))
        self.assertEqual(self.ddb.describe_table(TableName=t)["Table"]["TableName"], "rp-deny")
        self.ddb.put_resource_policy(ResourceArn=t, Policy=doc(
            {"Effect": "Deny", "Principal": {"AWS": OWNER}, "Action": ["dynamodb:GetItem", "dynamodb:Scan"], "Resource": [t, t + "/index/*"]},
            allow({"AWS": OTHER}, "dynamodb:*", t)))
        self.assertEqual(self.error(self.ddb.get_item, TableName="rp-deny", Key=key),
                         ("AccessDeniedException", "User: arn:aws:iam::%s:root is not authorized to perform: dynamodb:GetItem "
                          "on resource: %s with an explicit deny in a resource-based policy" % (OWNER, t)))
        self.assertEqual(self.error(self.ddb.scan, TableName=t)[0], "AccessDeniedException")
        self.ddb.put_item(TableName="rp-deny", Item={"pk": {"S": "z"}, "sk": {"S": "1"}})  # not denied
        self.assertIn("Item", self.other.get_item(TableName=t, Key=key))

    def test_lockout_needs_confirmation(self):
        t = self.table("rp-lockout")
        deny = doc({"Effect": "Deny", "Principal": {"AWS": OWNER}, "Action": "dynamodb:PutResourcePolicy", "Resource": t})
        self.assertEqual(self.error(self.ddb.put_resource_policy, ResourceArn=t, Policy=deny),
                         ("AccessDeniedException", "The new resource policy will not allow you to update the resource policy in the future."))
        self.ddb.put_resource_policy(ResourceArn=t, Policy=deny, ConfirmRemoveSelfResourceAccess=True)
        code, message = self.error(self.ddb.put_resource_policy, ResourceArn=t, Policy=deny, ConfirmRemoveSelfResourceAccess=True)
        self.assertEqual(code, "AccessDeniedException")
        self.assertIn("dynamodb:PutResourcePolicy", message)
        self.ddb.delete_resource_policy(ResourceArn=t)  # not denied

    # ---- streams, CreateTable, lifetime ---------------------------------------------------------

    def test_stream_policy(self):
        t = self.table("rp-stream", StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"})
        stream = self.ddb.describe_table(TableName="rp-stream")["Table"]["LatestStreamArn"]
        streams = self.server.boto3_client("dynamodbstreams", access_key="other", secret_key="other-secret")
        self.assertEqual(self.error(streams.describe_stream, StreamArn=stream)[0], "AccessDeniedException")
        self.assertIn("The relative-id", self.error(self.ddb.put_resource_policy, ResourceArn=stream, Policy=doc(
            allow({"AWS": OTHER}, "dynamodb:GetItem", stream)))[1])
        rev = self.ddb.put_resource_policy(ResourceArn=stream, Policy=doc(allow(
            {"AWS": OTHER}, ["dynamodb:DescribeStream", "dynamodb:GetShardIterator", "dynamodb:GetRecords"], stream)))["RevisionId"]
        self.assertEqual(self.ddb.get_resource_policy(ResourceArn=stream)["RevisionId"], rev)
        # The stream's policy is its own: the table still has none, and it does not open the table.
        self.assertEqual(self.error(self.ddb.get_resource_policy, ResourceArn=t)[0], "PolicyNotFoundException")
        self.assertEqual(self.error(self.other.describe_table, TableName=t)[0], "AccessDeniedException")
        shard = streams.describe_stream(StreamArn=stream)["StreamDescription"]["Shards"][0]["ShardId"]
        it = streams.get_shard_iterator(StreamArn=stream, ShardId=shard, ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        records = streams.get_records(ShardIterator=it)["Records"]
        self.assertEqual(records[0]["dynamodb"]["NewImage"]["v"], {"S": "x"})
        self.ddb.delete_resource_policy(ResourceArn=stream)
        self.assertEqual(self.error(streams.get_records, ShardIterator=it)[0], "AccessDeniedException")
        self.assertIn("Requested resource not found: Stream: 2000-01-01T00:00:00.000 not found for Table: rp-stream",
                      self.error(self.ddb.get_resource_policy, ResourceArn=t + "/stream/2000-01-01T00:00:00.000")[1])

    def test_create_table_with_policy_and_drop(self):
        t = arn("rp-created")
        policy = doc(allow({"AWS": OTHER}, "dynamodb:GetItem", t))
        self.table("rp-created", ResourcePolicy=policy)
        self.assertIn("Item", self.other.get_item(TableName=t, Key={"pk": {"S": "a"}, "sk": {"S": "1"}}))
        self.assertEqual(self.error(self.ddb.create_table, TableName="rp-bad", BillingMode="PAY_PER_REQUEST",
                                    AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                                    KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}], ResourcePolicy="{")[0],
                         "ValidationException")
        self.assertEqual(self.error(self.ddb.describe_table, TableName="rp-bad")[0], "ResourceNotFoundException")
        # The policy goes with its table: a new table of the same name starts without one.
        self.ddb.delete_table(TableName="rp-created")
        self.table("rp-created")
        self.assertEqual(self.error(self.ddb.get_resource_policy, ResourceArn=t)[0], "PolicyNotFoundException")
        self.assertEqual(self.error(self.other.get_item, TableName=t, Key={"pk": {"S": "a"}, "sk": {"S": "1"}})[0],
                         "AccessDeniedException")


    @unittest.skipUnless(shutil.which("aws"), "aws CLI not installed")
    def test_aws_cli(self):
        """The CLI's put-resource-policy / get-resource-policy, and the other account's get-item by ARN."""
        t = self.table("rp-cli")
        owner, other = self.server.client_env(), self.server.client_env("other", "other-secret")

        def aws(env, *args):
            out = subprocess.run(["aws", "dynamodb", *args, "--output", "json"], env=env, capture_output=True,
                                 text=True, timeout=60)
            return out.returncode, out.stdout, out.stderr

        key = json.dumps({"pk": {"S": "a"}, "sk": {"S": "1"}})
        code, _, err = aws(other, "get-item", "--table-name", t, "--key", key)
        self.assertNotEqual(code, 0)
        self.assertIn("AccessDeniedException", err)
        code, out, err = aws(owner, "put-resource-policy", "--resource-arn", t, "--policy",
                             doc(allow({"AWS": OTHER}, "dynamodb:GetItem", t)))
        self.assertEqual(code, 0, err)
        revision = json.loads(out)["RevisionId"]
        code, out, err = aws(owner, "get-resource-policy", "--resource-arn", t)
        self.assertEqual((code, json.loads(out)["RevisionId"]), (0, revision), err)
        code, out, err = aws(other, "get-item", "--table-name", t, "--key", key)
        self.assertEqual(code, 0, err)
        self.assertEqual(json.loads(out)["Item"]["v"], {"S": "x"})


class ResetTest(unittest.TestCase):
    def test_reset_drops_policies(self):
        with LocalAws(in_memory=True) as server:
            ddb = server.boto3_client("dynamodb")
            create_table(ddb, "rp-reset")
            ddb.put_resource_policy(ResourceArn=arn("rp-reset"), Policy=doc(allow({"AWS": OTHER}, "dynamodb:GetItem", arn("rp-reset"))))
            server.request("POST", "/_localaws/reset")
            create_table(ddb, "rp-reset")
            with self.assertRaises(botocore.exceptions.ClientError) as cm:
                ddb.get_resource_policy(ResourceArn=arn("rp-reset"))
            self.assertEqual(cm.exception.response["Error"]["Code"], "PolicyNotFoundException")


if __name__ == "__main__":
    unittest.main()
