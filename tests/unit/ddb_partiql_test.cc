// The PartiQL parser and translator tested as data: each case is a statement (with parameters)
// on a table keyed (pk S, sk N), and either the DynamoDB request it becomes or the exact
// ValidationException message.
#include <catch2/catch.hpp>

#include "dynamodb/partiql/ast.h"
#include "dynamodb/partiql/translate.h"

using namespace localaws::ddb;

namespace {

struct Case {
  const char* statement;
  const char* params;    // JSON array of AttributeValues
  const char* op;        // Query, Scan, Get, Put, Update, Delete; or "error"
  const char* expected;  // the request body (JSON) or the error message
};

const Case kCases[] = {
    {"SELECT * FROM t", "[]", "Scan", R"j({"TableName":"t"})j"},
    {"select * from \"t\" where pk = 'a'", "[]", "Query",
     R"j({"TableName":"t","KeyConditionExpression":"(#n0 = :v0)","ExpressionAttributeNames":{"#n0":"pk"},
         "ExpressionAttributeValues":{":v0":{"S":"a"}}})j"},
    {"SELECT a.b[1], \"c d\" FROM t WHERE pk = ? AND sk >= 3 AND x <> 'y' ORDER BY sk DESC", R"j([{"S":"k"}])j", "Query",
     R"j({"TableName":"t","KeyConditionExpression":"(#n0 = :v0) AND (#n1 >= :v1)","FilterExpression":"(#n2 <> :v2)",
         "ProjectionExpression":"#n3.#n4[1], #n5","ScanIndexForward":false,
         "ExpressionAttributeNames":{"#n0":"pk","#n1":"sk","#n2":"x","#n3":"a","#n4":"b","#n5":"c d"},
         "ExpressionAttributeValues":{":v0":{"S":"k"},":v1":{"N":"3"},":v2":{"S":"y"}}})j"},
    {"SELECT * FROM t WHERE begins_with(name, 'x') OR size(l) > 2", "[]", "Scan",
     R"j({"TableName":"t","FilterExpression":"((begins_with(#n0, :v0)) OR (size(#n1) > :v1))",
         "ExpressionAttributeNames":{"#n0":"name","#n1":"l"},"ExpressionAttributeValues":{":v0":{"S":"x"},":v1":{"N":"2"}}})j"},
    {"SELECT * FROM t WHERE a IS MISSING AND b IS NOT MISSING AND attribute_type(c, 'N')", "[]", "Scan",
     R"j({"TableName":"t","FilterExpression":"(attribute_not_exists(#n0)) AND (attribute_exists(#n1)) AND (attribute_type(#n2, :v0))",
         "ExpressionAttributeNames":{"#n0":"a","#n1":"b","#n2":"c"},"ExpressionAttributeValues":{":v0":{"S":"N"}}})j"},
    {"SELECT * FROM t WHERE sk BETWEEN 1 AND 5 AND pk = 'a'", "[]", "Query",
     R"j({"TableName":"t","KeyConditionExpression":"(#n0 = :v0) AND (#n1 BETWEEN :v1 AND :v2)",
         "ExpressionAttributeNames":{"#n0":"pk","#n1":"sk"},
         "ExpressionAttributeValues":{":v0":{"S":"a"},":v1":{"N":"1"},":v2":{"N":"5"}}})j"},
    {"SELECT * FROM t WHERE x IN ['a', 'b'] AND NOT y = 1", "[]", "Scan",
     R"j({"TableName":"t","FilterExpression":"(#n0 IN (:v0, :v1)) AND (NOT (#n1 = :v2))",
         "ExpressionAttributeNames":{"#n0":"x","#n1":"y"},
         "ExpressionAttributeValues":{":v0":{"S":"a"},":v1":{"S":"b"},":v2":{"N":"1"}}})j"},
    {"INSERT INTO t VALUE {'pk': 'a', 'sk': -1.5, 'l': [1, 'x', NULL], 'm': {'b': true}, 's': <<'x', 'y'>>, 'n': <<1, 2>>}",
     "[]", "Put",
     R"j({"TableName":"t","Item":{"pk":{"S":"a"},"sk":{"N":"-1.5"},"l":{"L":[{"N":"1"},{"S":"x"},{"NULL":true}]},
         "m":{"M":{"b":{"BOOL":true}}},"s":{"SS":["x","y"]},"n":{"NS":["1","2"]}},
         "ConditionExpression":"attribute_not_exists(#n0)","ExpressionAttributeNames":{"#n0":"pk"}})j"},
    {"INSERT INTO t VALUE {'pk': ?, 'sk': ?, 'it''s': 'o''k'}", R"j([{"S":"p"},{"N":"1"}])j", "Put",
     R"j({"TableName":"t","Item":{"pk":{"S":"p"},"sk":{"N":"1"},"it's":{"S":"o'k"}},
         "ConditionExpression":"attribute_not_exists(#n0)","ExpressionAttributeNames":{"#n0":"pk"}})j"},
    {"UPDATE t SET a = 1, b.c = b.c + 2 SET s = set_add(s, <<'z'>>) REMOVE d[0] WHERE pk = 'a' AND sk = 1 AND v > 0",
     "[]", "Update",
     R"j({"TableName":"t","Key":{"pk":{"S":"a"},"sk":{"N":"1"}},
         "UpdateExpression":"SET #n2 = :v1, #n3.#n4 = #n3.#n4 + :v2 REMOVE #n6[0] ADD #n5 :v3",
         "ConditionExpression":"attribute_exists(#n1) AND (#n0 > :v0)",
         "ExpressionAttributeNames":{"#n0":"v","#n1":"pk","#n2":"a","#n3":"b","#n4":"c","#n5":"s","#n6":"d"},
         "ExpressionAttributeValues":{":v0":{"N":"0"},":v1":{"N":"1"},":v2":{"N":"2"},":v3":{"SS":["z"]}}})j"},
    {"DELETE FROM t WHERE sk = 2 AND pk = 'a';", "[]", "Delete",
     R"j({"TableName":"t","Key":{"pk":{"S":"a"},"sk":{"N":"2"}}})j"},
    {"SELECT * FROM t WHERE pk = 'a' AND sk = 1", "[]", "Get", R"j({"TableName":"t","Key":{"pk":{"S":"a"},"sk":{"N":"1"}}})j"},
    // Errors.
    {"FETCH * FROM t", "[]", "error", "Statement wasn't well formed, can't be processed: Expected data manipulation"},
    {"SELECT * FROM t WHERE", "[]", "error", "Statement wasn't well formed, can't be processed: Unexpected end of statement"},
    {"SELECT * FROM t WHERE pk = 'a", "[]", "error",
     "Statement wasn't well formed, can't be processed: Unterminated string literal"},
    {"SELECT * FROM WHERE pk = 'a'", "[]", "error", "Statement wasn't well formed, can't be processed: Unexpected keyword"},
    {"SELECT * FROM t pk = 'a'", "[]", "error", "Statement wasn't well formed, can't be processed: Unexpected token"},
    {"INSERT INTO t VALUES ('a')", "[]", "error", "Statement wasn't well formed, can't be processed: Unexpected keyword"},
    {"SELECT * FROM t WHERE pk = ?", "[]", "error", "Number of parameters in request and statement don't match."},
    {"SELECT * FROM t WHERE pk = ?", R"j([{"S":"a"},{"S":"b"}])j", "error",
     "Number of parameters in request and statement don't match."},
    {"UPDATE t SET a = 1 WHERE pk = 'a'", "[]", "error",
     "Where clause does not contain a mandatory equality on all key attributes"},
    {"DELETE FROM t WHERE pk = 'a' OR sk = 1", "[]", "error",
     "Where clause does not contain a mandatory equality on all key attributes"},
    {"SELECT * FROM t WHERE x = 1 ORDER BY sk", "[]", "error",
     "Must have WHERE clause in the statement when using ORDER BY clause."},
    {"SELECT * FROM t WHERE pk = 'a' ORDER BY x", "[]", "error",
     "Variable reference [x] in ORDER BY clause must be part of the primary key"},
    {"SELECT * FROM t.i WHERE pk = 'a'", "[]", "error", "The table does not have the specified index: i"},
    {"INSERT INTO t VALUE {'pk': <<'a', 1>>}", "[]", "error",
     "Statement wasn't well formed, can't be processed: Sets must contain values of a single type"},
};

Table test_table() {
  Table t;
  t.name = "t";
  t.id = "1";
  t.meta = json::object();
  t.hash_key = "pk", t.hash_type = "S";
  t.range_key = "sk", t.range_type = "N";
  return t;
}

const char* op_name(partiql::Request::Op op) {
  using Op = partiql::Request::Op;
  switch (op) {
    case Op::kQuery: return "Query";
    case Op::kScan: return "Scan";
    case Op::kGet: return "Get";
    case Op::kPut: return "Put";
    case Op::kUpdate: return "Update";
    case Op::kDelete: return "Delete";
  }
  return "";
}

}  // namespace

TEST_CASE("PartiQL statements translate to DynamoDB requests", "[ddb][partiql]") {
  Table t = test_table();
  for (const Case& c : kCases) {
    INFO(c.statement);
    std::string op, got;
    std::string text = c.statement;
    bool single = std::string(c.op) == "Get";
    try {
      auto st = partiql::parse(text, json::parse(c.params));
      auto r = partiql::translate(st, t, single);
      op = op_name(r.op);
      got = r.body.dump();
    } catch (const DdbError& e) {
      op = "error";
      got = e.message();
    }
    CHECK(op == c.op);
    if (op == "error") CHECK(got == c.expected);
    else CHECK(json::parse(got) == json::parse(c.expected));
  }
}
