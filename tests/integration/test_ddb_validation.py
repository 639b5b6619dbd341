"""DynamoDB request validation exactly as DynamoDB answers it (issue 17): one table of cases, each
a raw signed JSON request (so botocore's own validation cannot intercept it) and the error type
and message AWS returns. Each case becomes its own test method. Where a message is quoted from a
public report rather than AWS's documentation, docs/dynamodb.md says so."""
import datetime
import json
import re
import shutil
import tempfile
import unittest
from unittest import mock

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from ddb_support import DdbTestCase, create_table, raw_call
from localaws_support import LocalAws

# The __type namespaces DynamoDB answers in (the front end's errors are Coral's); others are
# com.amazonaws.dynamodb.v20120810.
NAMESPACES = {"ValidationException": "com.amazon.coral.validate",
              "SerializationException": "com.amazon.coral.service",
              "InvalidSignatureException": "com.amazon.coral.service",
              "UnknownOperationException": "com.amazon.coral.service"}

S = lambda v: {"S": v}  # noqa: E731
N = lambda v: {"N": str(v)}  # noqa: E731
KEY = {"pk": S("k1")}
HK = {"pk": S("a"), "sk": S("b")}  # a key of "composite"


def q(**kw):
    """A Query of composite for partition "a"."""
    return {"TableName": "composite", "KeyConditionExpression": "pk = :p",
            "ExpressionAttributeValues": {":p": S("a")}, **kw}


def gsi_q(**kw):
    return {"TableName": "composite", "IndexName": "by-g", "KeyConditionExpression": "g = :g",
            "ExpressionAttributeValues": {":g": S("x")}, **kw}


def expected(op, *values):
    return {"TableName": "simple", "Item": {"pk": S("e")},
            "Expected": {"a": {"ComparisonOperator": op, "AttributeValueList": list(values)}}}


def tags(*pairs):
    return {"ResourceArn": "arn:aws:dynamodb:us-east-1:000000000000:table/simple",
            "Tags": [{"Key": k, "Value": v} for k, v in pairs]}


V = "ValidationException"
# (name, operation, body, error type, message: a string that must equal the message, or a
# compiled regex it must match in full)
CASES = [
    # --- key and attribute name / value limits
    ("hash_key_too_large", "PutItem", {"TableName": "simple", "Item": {"pk": S("x" * 2049)}}, V,
     "One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of2048 bytes"),
    ("range_key_too_large", "PutItem", {"TableName": "composite", "Item": {"pk": S("a"), "sk": S("x" * 1025)}}, V,
     "One or more parameter values were invalid: Aggregated size of all range keys has exceeded the size limit of 1024 bytes"),
    ("hash_key_too_large_in_get", "GetItem", {"TableName": "simple", "Key": {"pk": S("x" * 2049)}}, V,
     "One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of2048 bytes"),
    ("gsi_hash_key_too_large", "PutItem", {"TableName": "composite", "Item": {**HK, "g": S("g" * 2049)}}, V,
     "One or more parameter values were invalid: Size limit exceeded for Index Key g Actual Size: 2049 bytes "
     "Max Size: 2048 bytes IndexName: by-g"),
    ("lsi_range_key_too_large", "PutItem", {"TableName": "with-lsi", "Item": {**HK, "l": S("l" * 1025)}}, V,
     "One or more parameter values were invalid: Size limit exceeded for Index Key l Actual Size: 1025 bytes "
     "Max Size: 1024 bytes IndexName: by-l"),
    ("attribute_name_too_large", "PutItem", {"TableName": "simple", "Item": {"pk": S("a"), "x" * 65536: N(1)}}, V,
     "1 validation error detected: Attribute name is too large, must be less than 65536 bytes"),
    ("nested_attribute_name_too_large", "PutItem",
     {"TableName": "simple", "Item": {"pk": S("a"), "m": {"M": {"x" * 65536: N(1)}}}}, V,
     "1 validation error detected: Attribute name is too large, must be less than 65536 bytes"),
    ("attribute_name_empty", "PutItem", {"TableName": "simple", "Item": {"pk": S("a"), "": N(1)}}, V,
     re.compile(r"One or more parameter values were invalid: .*[Ee]mpty.*")),
    ("expression_name_empty", "GetItem",
     {"TableName": "simple", "Key": KEY, "ProjectionExpression": "#a", "ExpressionAttributeNames": {"#a": ""}}, V,
     "ExpressionAttributeNames contains invalid value: Empty attribute name for key #a"),
    ("expression_name_too_large", "GetItem",
     {"TableName": "simple", "Key": KEY, "ProjectionExpression": "#a", "ExpressionAttributeNames": {"#a": "x" * 65536}},
     V, "1 validation error detected: Attribute name is too large, must be less than 65536 bytes"),
    ("key_schema_name_too_long", "CreateTable",
     {"TableName": "long-key", "BillingMode": "PAY_PER_REQUEST",
      "AttributeDefinitions": [{"AttributeName": "k" * 256, "AttributeType": "S"}],
      "KeySchema": [{"AttributeName": "k" * 256, "KeyType": "HASH"}]}, V,
     "1 validation error detected: Value '" + "k" * 256 + "' at 'keySchema.1.member.attributeName' failed to "
     "satisfy constraint: Member must have length less than or equal to 255"),
    # --- legacy parameters
    ("expected_eq_two_values", "PutItem", expected("EQ", S("1"), S("2")), V,
     "One or more parameter values were invalid: Invalid number of argument(s) for the EQ ComparisonOperator"),
    ("expected_null_with_value", "PutItem", expected("NULL", S("1")), V,
     "One or more parameter values were invalid: Invalid number of argument(s) for the NULL ComparisonOperator"),
    ("expected_begins_with_number", "PutItem", expected("BEGINS_WITH", N(1)), V,
     "One or more parameter values were invalid: ComparisonOperator BEGINS_WITH is not valid for N AttributeValue type"),
    ("expected_lt_bool", "PutItem", expected("LT", {"BOOL": True}), V,
     "One or more parameter values were invalid: ComparisonOperator LT is not valid for BOOL AttributeValue type"),
    ("expected_contains_set", "PutItem", expected("CONTAINS", {"SS": ["a"]}), V,
     "One or more parameter values were invalid: ComparisonOperator CONTAINS is not valid for SS AttributeValue type"),
    ("expected_between_mixed", "PutItem", expected("BETWEEN", N(1), S("2")), V,
     "One or more parameter values were invalid: AttributeValues inside AttributeValueList must be of same type"),
    ("expected_between_reversed", "PutItem", expected("BETWEEN", N(2), N(1)), V,
     "One or more parameter values were invalid: The BETWEEN condition was provided a range where the lower bound "
     "is greater than the upper bound"),
    ("expected_value_and_operator", "PutItem",
     {"TableName": "simple", "Item": {"pk": S("e")},
      "Expected": {"a": {"Value": S("1"), "ComparisonOperator": "EQ", "AttributeValueList": [S("1")]}}}, V,
     "One or more parameter values were invalid: Value or Exists cannot be used with ComparisonOperator for Attribute: a"),
    ("query_filter_in_bool", "Query",
     {"TableName": "composite", "KeyConditions": {"pk": {"ComparisonOperator": "EQ", "AttributeValueList": [S("a")]}},
      "QueryFilter": {"x": {"ComparisonOperator": "IN", "AttributeValueList": [{"BOOL": True}]}}}, V,
     "One or more parameter values were invalid: ComparisonOperator IN is not valid for BOOL AttributeValue type"),
    ("key_conditions_two_values", "Query",
     {"TableName": "composite", "KeyConditions": {"pk": {"ComparisonOperator": "EQ", "AttributeValueList": [S("a"), S("b")]}}},
     V, "One or more parameter values were invalid: Invalid number of argument(s) for the EQ ComparisonOperator"),
    ("projection_with_attributes_to_get", "GetItem",
     {"TableName": "simple", "Key": KEY, "ProjectionExpression": "a", "AttributesToGet": ["a"]}, V,
     "Can not use both expression and non-expression parameters in the same request: Non-expression parameters: "
     "{AttributesToGet} Expression parameters: {ProjectionExpression}"),
    ("condition_with_expected", "PutItem",
     {"TableName": "simple", "Item": {"pk": S("e")}, "ConditionExpression": "attribute_exists(a)",
      "Expected": {"a": {"Exists": False}}}, V,
     "Can not use both expression and non-expression parameters in the same request: Non-expression parameters: "
     "{Expected} Expression parameters: {ConditionExpression}"),
    ("attributes_to_get_duplicate", "GetItem", {"TableName": "simple", "Key": KEY, "AttributesToGet": ["a", "b", "a"]}, V,
     "One or more parameter values were invalid: Duplicate value in attribute name: a"),
    # --- Select
    ("select_specific_without_projection", "Query", q(Select="SPECIFIC_ATTRIBUTES"), V,
     "Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES"),
    ("select_all_projected_on_table", "Query", q(Select="ALL_PROJECTED_ATTRIBUTES"), V,
     "ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName"),
    ("select_count_with_projection", "Query", q(Select="COUNT", ProjectionExpression="sk"), V,
     "Cannot specify the ProjectionExpression when choosing to get only the Count"),
    ("select_count_with_attributes_to_get", "Scan", {"TableName": "simple", "Select": "COUNT", "AttributesToGet": ["a"]}, V,
     "Cannot specify the AttributesToGet when choosing to get only the Count"),
    ("select_all_with_projection", "Scan", {"TableName": "simple", "Select": "ALL_ATTRIBUTES", "ProjectionExpression": "a"},
     V, "Cannot specify the ProjectionExpression when choosing to get ALL_ATTRIBUTES"),
    ("select_all_projected_with_projection_no_index", "Query", q(Select="ALL_PROJECTED_ATTRIBUTES", ProjectionExpression="sk"),
     V, "Cannot specify the ProjectionExpression when choosing to get ALL_PROJECTED_ATTRIBUTES"),
    # --- ExclusiveStartKey
    ("start_key_missing_sort_key", "Query", q(ExclusiveStartKey={"pk": S("a")}), V, "The provided starting key is invalid"),
    ("start_key_extra_attribute", "Query", q(ExclusiveStartKey={**HK, "x": S("1")}), V, "The provided starting key is invalid"),
    ("start_key_other_partition", "Query", q(ExclusiveStartKey={"pk": S("z"), "sk": S("b")}), V,
     "The provided starting key is outside query boundaries based on provided conditions"),
    ("start_key_outside_range", "Query",
     {"TableName": "composite", "KeyConditionExpression": "pk = :p AND sk > :s",
      "ExpressionAttributeValues": {":p": S("a"), ":s": S("m")}, "ExclusiveStartKey": HK}, V,
     "The provided starting key does not match the range key predicate"),
    ("start_key_gsi_other_partition", "Query", gsi_q(ExclusiveStartKey={**HK, "g": S("y")}), V,
     "The provided starting key is outside query boundaries based on provided conditions"),
    ("start_key_gsi_missing_table_key", "Query", gsi_q(ExclusiveStartKey={"pk": S("a"), "g": S("x")}), V,
     "The provided starting key is invalid"),
    ("scan_start_key_wrong_schema", "Scan", {"TableName": "simple", "ExclusiveStartKey": {"nope": S("a")}}, V,
     "The provided starting key is invalid: The provided key element does not match the schema"),
    ("scan_start_key_other_segment", "Scan",
     {"TableName": "simple", "Segment": 0, "TotalSegments": 1000000, "ExclusiveStartKey": {"pk": S("seg")}}, V,
     "The provided Exclusive start key does not map to the provided Segment and TotalSegments values."),
    # --- expression syntax
    ("unknown_function", "PutItem", {"TableName": "simple", "Item": {"pk": S("e")}, "ConditionExpression": "nosuch(a)"}, V,
     "Invalid ConditionExpression: Invalid function name; function: nosuch"),
    ("size_as_condition", "PutItem", {"TableName": "simple", "Item": {"pk": S("e")}, "ConditionExpression": "size(a)"}, V,
     "Invalid ConditionExpression: The function is not allowed to be used this way in an expression; function: size"),
    ("size_inside_attribute_exists", "PutItem",
     {"TableName": "simple", "Item": {"pk": S("e")}, "ConditionExpression": "attribute_exists(size(a))"}, V,
     "Invalid ConditionExpression: The function is not allowed to be used this way in an expression; function: size"),
    ("update_function_in_condition", "PutItem",
     {"TableName": "simple", "Item": {"pk": S("e")}, "ConditionExpression": "if_not_exists(a, :v) = :v",
      "ExpressionAttributeValues": {":v": N(1)}}, V,
     "Invalid ConditionExpression: The function is not allowed in a condition expression; function: if_not_exists"),
    ("condition_function_in_update", "UpdateItem",
     {"TableName": "simple", "Key": {"pk": S("e")}, "UpdateExpression": "SET a = size(b)"}, V,
     "Invalid UpdateExpression: The function is not allowed in an update expression; function: size"),
    ("redundant_parentheses", "PutItem",
     {"TableName": "simple", "Item": {"pk": S("e")}, "ConditionExpression": "((attribute_not_exists(a)))"}, V,
     "Invalid ConditionExpression: The expression has redundant parentheses;"),
    ("redundant_parentheses_filter", "Scan",
     {"TableName": "simple", "FilterExpression": "a = :v OR ((b = :v))", "ExpressionAttributeValues": {":v": N(1)}}, V,
     "Invalid FilterExpression: The expression has redundant parentheses;"),
    ("redundant_parentheses_key_condition", "Query",
     {"TableName": "composite", "KeyConditionExpression": "((pk = :p))", "ExpressionAttributeValues": {":p": S("a")}}, V,
     "Invalid KeyConditionExpression: The expression has redundant parentheses;"),
    ("list_index_on_map_path", "UpdateItem",
     {"TableName": "simple", "Key": {"pk": S("doc")}, "UpdateExpression": "SET m[0] = :v",
      "ExpressionAttributeValues": {":v": N(1)}}, V,
     "The document path provided in the update expression is invalid for update"),
    ("path_bad_index", "UpdateItem",
     {"TableName": "simple", "Key": {"pk": S("doc")}, "UpdateExpression": "SET l[x] = :v",
      "ExpressionAttributeValues": {":v": N(1)}}, V,
     'Invalid UpdateExpression: Syntax error; token: "x", near: "[x]"'),
    # --- tags
    ("tag_key_empty", "TagResource", tags(("", "v")), V,
     "1 validation error detected: Value '' at 'tags.1.member.key' failed to satisfy constraint: Member must have "
     "length between 1 and 128"),
    ("tag_key_too_long", "TagResource", tags(("k" * 129, "v")), V,
     "1 validation error detected: Value '" + "k" * 129 + "' at 'tags.1.member.key' failed to satisfy constraint: "
     "Member must have length between 1 and 128"),
    ("tag_value_too_long", "TagResource", tags(("k", "v" * 257)), V,
     "1 validation error detected: Value '" + "v" * 257 + "' at 'tags.1.member.value' failed to satisfy constraint: "
     "Member must have length less than or equal to 256"),
    ("tag_key_bad_character", "TagResource", tags(("a*b", "v")), V,
     re.compile(r"1 validation error detected: Value 'a\*b' at 'tags.1.member.key' failed to satisfy constraint: "
                r"Member must satisfy regular expression pattern: .*")),
    ("tag_key_aws_prefix", "TagResource", tags(("aws:cost", "v")), V, re.compile(r".*aws:.*")),
    # --- TTL
    ("ttl_attribute_name_too_long", "UpdateTimeToLive",
     {"TableName": "simple", "TimeToLiveSpecification": {"Enabled": True, "AttributeName": "t" * 256}}, V,
     "1 validation error detected: Value '" + "t" * 256 + "' at 'timeToLiveSpecification.attributeName' failed to "
     "satisfy constraint: Member must have length between 1 and 255"),
    ("ttl_already_disabled", "UpdateTimeToLive",
     {"TableName": "composite", "TimeToLiveSpecification": {"Enabled": False, "AttributeName": "t"}}, V,
     "TimeToLive is already disabled"),
    # --- transactions
    ("transaction_too_large", "TransactWriteItems",
     {"TransactItems": [{"Put": {"TableName": "simple", "Item": {"pk": S("t%d" % i), "v": S("x" * 390000)}}}
                        for i in range(11)]}, V, "Transaction request cannot be larger than 4 MB"),
    # --- JSON
    ("json_wrong_type", "GetItem", {"TableName": 5, "Key": KEY}, "SerializationException",
     "NUMBER_VALUE cannot be converted to String"),
]


class ValidationTest(DdbTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        create_table(cls.ddb, "simple")
        create_table(cls.ddb, "composite", keys=(("pk", "S"), ("sk", "S")), extra_defs=(("g", "S"),),
                     GlobalSecondaryIndexes=[{"IndexName": "by-g", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                                              "Projection": {"ProjectionType": "ALL"}}])
        cls.ddb.put_item(TableName="simple", Item={"pk": S("doc"), "m": {"M": {"a": N(1)}}, "l": {"L": [N(1)]}})
        create_table(cls.ddb, "with-lsi", keys=(("pk", "S"), ("sk", "S")), extra_defs=(("l", "S"),),
                     LocalSecondaryIndexes=[{"IndexName": "by-l", "Projection": {"ProjectionType": "KEYS_ONLY"},
                                             "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"},
                                                           {"AttributeName": "l", "KeyType": "RANGE"}]}])

    def call(self, operation, body):
        status, headers, raw = raw_call(self.server, operation, json.dumps(body).encode())
        return status, headers, json.loads(raw) if raw else {}

    def check(self, operation, body, error_type, message):
        status, _, out = self.call(operation, body)
        self.assertEqual(400, status, out)
        self.assertEqual(NAMESPACES.get(error_type, "com.amazonaws.dynamodb.v20120810") + "#" + error_type,
                         out.get("__type"), out)
        if isinstance(message, re.Pattern):
            self.assertRegex(out.get("message", ""), message)
            self.assertTrue(message.fullmatch(out.get("message", "")), out)
        else:
            self.assertEqual(message, out.get("message"))

    # --- where DynamoDB succeeds
    def test_set_beyond_list_end_appends(self):
        self.ddb.put_item(TableName="simple", Item={"pk": S("list"), "l": {"L": [N(0), N(1)]}})
        self.call("UpdateItem", {"TableName": "simple", "Key": {"pk": S("list")}, "UpdateExpression": "SET l[5] = :v",
                                 "ExpressionAttributeValues": {":v": N(9)}})
        item = self.ddb.get_item(TableName="simple", Key={"pk": S("list")})["Item"]
        self.assertEqual([N(0), N(1), N(9)], item["l"]["L"])

    def test_return_values_when_nothing_changes(self):
        self.ddb.put_item(TableName="simple", Item={"pk": S("same"), "a": N(1)})
        same = {"TableName": "simple", "Key": {"pk": S("same")}, "UpdateExpression": "SET a = :v",
                "ExpressionAttributeValues": {":v": N(1)}}
        for rv in ("UPDATED_OLD", "UPDATED_NEW", "ALL_OLD", "ALL_NEW"):
            status, _, out = self.call("UpdateItem", {**same, "ReturnValues": rv})
            self.assertEqual(200, status, out)
            want = {"a": N(1)} if rv.startswith("UPDATED") else {"pk": S("same"), "a": N(1)}
            self.assertEqual(want, out["Attributes"], rv)
        # Removing an attribute that is not there changes nothing: UPDATED_* return no Attributes.
        for rv in ("UPDATED_OLD", "UPDATED_NEW"):
            status, _, out = self.call("UpdateItem", {"TableName": "simple", "Key": {"pk": S("same")},
                                                      "UpdateExpression": "REMOVE nothing", "ReturnValues": rv})
            self.assertEqual(200, status, out)
            self.assertNotIn("Attributes", out)

    def test_grouping_parentheses_are_accepted(self):
        for cond in ("(attribute_not_exists(a))", "((attribute_not_exists(a) AND attribute_not_exists(b)) AND "
                     "attribute_not_exists(c))", "(attribute_not_exists(a) OR attribute_not_exists(b)) AND "
                     "(attribute_not_exists(c))"):
            status, _, out = self.call("PutItem", {"TableName": "simple", "Item": {"pk": S("paren")},
                                                   "ConditionExpression": cond})
            self.assertEqual(200, status, (cond, out))

    def test_key_sizes_at_the_limit(self):
        status, _, out = self.call("PutItem", {"TableName": "composite", "Item": {"pk": S("p" * 2048), "sk": S("s" * 1024)}})
        self.assertEqual(200, status, out)
        status, _, out = self.call("PutItem", {"TableName": "simple", "Item": {"pk": S("n"), "x" * 65535: N(1)}})
        self.assertEqual(200, status, out)

    def test_backfill_leaves_out_oversized_index_keys(self):
        create_table(self.ddb, "backfill")
        self.ddb.put_item(TableName="backfill", Item={"pk": S("big"), "b": S("b" * 2049)})
        self.ddb.put_item(TableName="backfill", Item={"pk": S("small"), "b": S("b")})
        self.ddb.update_table(TableName="backfill", AttributeDefinitions=[{"AttributeName": "b", "AttributeType": "S"}],
                              GlobalSecondaryIndexUpdates=[{"Create": {
                                  "IndexName": "by-b", "KeySchema": [{"AttributeName": "b", "KeyType": "HASH"}],
                                  "Projection": {"ProjectionType": "ALL"}}}])
        items = self.ddb.scan(TableName="backfill", IndexName="by-b")["Items"]
        self.assertEqual([S("small")], [i["pk"] for i in items])

    def test_ttl_already_enabled(self):
        spec = {"TableName": "simple", "TimeToLiveSpecification": {"Enabled": True, "AttributeName": "exp"}}
        self.assertEqual(200, self.call("UpdateTimeToLive", spec)[0])
        self.check("UpdateTimeToLive", spec, V, "TimeToLive is already enabled")

    def test_cli_sees_the_messages(self):
        """The aws CLI (no client-side check for these) prints DynamoDB's error and message."""
        p = self.server.aws("dynamodb", "tag-resource", "--resource-arn",
                            "arn:aws:dynamodb:us-east-1:000000000000:table/simple", "--tags", "Key=a*b,Value=v",
                            check=False)
        self.assertNotEqual(0, p.returncode)
        self.assertIn("An error occurred (ValidationException) when calling the TagResource operation: "
                      "1 validation error detected: Value 'a*b' at 'tags.1.member.key'", p.stderr)
        p = self.server.aws("dynamodb", "put-item", "--table-name", "simple", "--item", '{"pk": {"S": "cli"}}',
                            "--condition-expression", "((attribute_not_exists(pk)))", check=False)
        self.assertIn("(ValidationException) when calling the PutItem operation: Invalid ConditionExpression: "
                      "The expression has redundant parentheses;", p.stderr)

    def test_consumed_capacity_indexes(self):
        status, _, out = self.call("Query", gsi_q(ReturnConsumedCapacity="INDEXES"))
        self.assertEqual(200, status, out)
        c = out["ConsumedCapacity"]
        self.assertEqual({"CapacityUnits": 0.0}, c["Table"])
        self.assertEqual({"by-g": {"CapacityUnits": c["CapacityUnits"]}}, c["GlobalSecondaryIndexes"])
        status, _, out = self.call("Scan", {"TableName": "simple", "ReturnConsumedCapacity": "INDEXES"})
        self.assertEqual(out["ConsumedCapacity"]["CapacityUnits"], out["ConsumedCapacity"]["Table"]["CapacityUnits"])
        self.assertNotIn("GlobalSecondaryIndexes", out["ConsumedCapacity"])

    def test_delete_table_description(self):
        create_table(self.ddb, "doomed")
        status, _, out = self.call("DeleteTable", {"TableName": "doomed"})
        self.assertEqual(200, status, out)
        d = out["TableDescription"]
        self.assertEqual("DELETING", d["TableStatus"])
        self.assertEqual("doomed", d["TableName"])
        self.assertIn("TableArn", d)
        self.assertIn("KeySchema", d)

    def test_pay_per_request_date(self):
        self.ddb.create_table(TableName="prov", AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                              KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                              ProvisionedThroughput={"ReadCapacityUnits": 1, "WriteCapacityUnits": 1})
        d = self.ddb.update_table(TableName="prov", BillingMode="PAY_PER_REQUEST")["TableDescription"]
        self.assertEqual("PAY_PER_REQUEST", d["BillingModeSummary"]["BillingMode"])
        self.assertIsInstance(d["BillingModeSummary"]["LastUpdateToPayPerRequestDateTime"], datetime.datetime)
        # A table created on demand reports its creation as that switch.
        d = self.ddb.describe_table(TableName="simple")["Table"]
        self.assertEqual(d["CreationDateTime"], d["BillingModeSummary"]["LastUpdateToPayPerRequestDateTime"])

    def test_date_and_server_headers(self):
        status, headers, _ = self.call("ListTables", {})
        self.assertEqual(200, status)
        headers = {k.lower(): v for k, v in headers.items()}
        self.assertEqual("Server", headers.get("server"))
        self.assertRegex(headers.get("date", ""), r"^\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} GMT$")

    def test_malformed_json(self):
        status, _, raw = raw_call(self.server, "ListTables", b"{not json")
        out = json.loads(raw)
        self.assertEqual(400, status)
        self.assertEqual({"__type": "com.amazon.coral.service#SerializationException"}, out)  # no message

    def test_signature_expired_and_not_yet_current(self):
        for delta, pattern in ((-3600, r"Signature expired: (\d{8}T\d{6}Z) is now earlier than (\d{8}T\d{6}Z) "
                                       r"\((\d{8}T\d{6}Z) - 15 min\.\)"),
                               (3600, r"Signature not yet current: (\d{8}T\d{6}Z) is still later than (\d{8}T\d{6}Z) "
                                      r"\((\d{8}T\d{6}Z) \+ 15 min\.\)")):
            when = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=delta)
            req = AWSRequest(method="POST", url=self.server.endpoint + "/", data=b"{}",
                             headers={"X-Amz-Target": "DynamoDB_20120810.ListTables",
                                      "Content-Type": "application/x-amz-json-1.0"})
            auth = SigV4Auth(Credentials("test", "test"), "dynamodb", "us-east-1")
            with mock.patch("botocore.auth.get_current_datetime", lambda: when.replace(tzinfo=None)):
                auth.add_auth(req)  # signed as of `when`
            status, _, raw = self.server.request("POST", "/", b"{}", dict(req.headers.items()))
            out = json.loads(raw)
            self.assertEqual(400, status, out)
            self.assertEqual("com.amazon.coral.service#InvalidSignatureException", out["__type"])
            m = re.fullmatch(pattern, out["message"])
            self.assertTrue(m, out["message"])
            self.assertEqual(when.strftime("%Y%m%dT%H%M%SZ"), m.group(1))


def _make(name, operation, body, error_type, message):
    def test(self):
        self.check(operation, body, error_type, message)
    test.__name__ = "test_" + name
    return test


for _case in CASES:
    assert not hasattr(ValidationTest, "test_" + _case[0]), _case[0]
    setattr(ValidationTest, "test_" + _case[0], _make(*_case))


class IdempotencyTokensTest(unittest.TestCase):
    """ClientRequestTokens belong to one emulator and its data: two emulators share none, and a
    restart within the ten minutes still knows them."""

    def setUp(self):
        self.dir = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, self.dir, True)

    def transact(self, server, value, token="tok-1"):
        body = {"TransactItems": [{"Put": {"TableName": "tok", "Item": {"pk": S("a"), "v": S(value)}}}],
                "ClientRequestToken": token}
        status, _, raw = raw_call(server, "TransactWriteItems", json.dumps(body).encode())
        return status, json.loads(raw)

    def test_two_instances_share_nothing(self):
        with LocalAws(in_memory=True) as a, LocalAws(in_memory=True) as b:
            for s in (a, b):
                create_table(s.boto3_client("dynamodb"), "tok")
            self.assertEqual(200, self.transact(a, "1")[0])
            self.assertEqual(200, self.transact(b, "2")[0])  # b has never seen tok-1
            status, out = self.transact(a, "3")
            self.assertEqual("com.amazonaws.dynamodb.v20120810#IdempotentParameterMismatchException", out["__type"])
            # A reset of b forgets b's tokens only.
            b.post("/_localaws/reset")
            create_table(b.boto3_client("dynamodb"), "tok")
            self.assertEqual(200, self.transact(b, "4")[0])
            self.assertEqual(400, self.transact(a, "5")[0])

    def test_tokens_survive_a_restart(self):
        with LocalAws(data_dir=self.dir) as s:
            create_table(s.boto3_client("dynamodb"), "tok")
            self.assertEqual(200, self.transact(s, "1")[0])
        with LocalAws(data_dir=self.dir) as s:
            status, out = self.transact(s, "1")  # replay: the first answer, no second write
            self.assertEqual(200, status, out)
            status, out = self.transact(s, "2")
            self.assertEqual(400, status)
            self.assertEqual("com.amazonaws.dynamodb.v20120810#IdempotentParameterMismatchException", out["__type"])
            # Ten minutes later (emulator clock) the token is free again.
            s.request("POST", "/_localaws/clock", json.dumps({"advance": "11m"}).encode())
            self.assertEqual(200, self.transact(s, "2")[0])


if __name__ == "__main__":
    unittest.main()
