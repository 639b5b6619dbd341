// DynamoDB expressions tested as data: every case of data/ddb_expressions.json goes through the
// same path as a request (compile_expressions: parse, resolve, unused checks), then is evaluated
// against its item. A case names either the expected result or the expected error message.
//
//   {"name", "kind": "condition" | "update" | "projection", "item", "expression", "names"?,
//    "values"?, then one of: "result" (condition: true/false; update: the new item;
//    projection: the projected item) or "error" (the exact ValidationException message)}
#include <catch2/catch.hpp>
#include <fstream>

#include "dynamodb/expr/eval.h"
#include "dynamodb/expr/update.h"
#include "dynamodb/expressions.h"
#include "dynamodb/value.h"

using namespace localaws::ddb;

namespace {

json load_cases() {
  std::ifstream f(std::string(LOCALAWS_SOURCE_DIR) + "/tests/unit/data/ddb_expressions.json");
  REQUIRE(f.good());
  return json::parse(f);
}

// Runs one case; returns the result, or {"error": message}.
json run_case(const json& c) {
  json in = json::object();
  const std::string kind = c.at("kind");
  const char* member = kind == "condition" ? "ConditionExpression"
                       : kind == "update" ? "UpdateExpression"
                                          : "ProjectionExpression";
  in[member] = c.at("expression");
  if (c.contains("names")) in["ExpressionAttributeNames"] = c["names"];
  if (c.contains("values")) in["ExpressionAttributeValues"] = c["values"];
  json item = c.value("item", json::object());
  validate_attribute_map(item);
  try {
    unsigned allowed = kind == "condition" ? kCondition : kind == "update" ? kUpdate : kProjection;
    RequestExpressions ex = compile_expressions(in, allowed);
    if (kind == "condition") return expr::evaluate(*ex.condition, item);
    if (kind == "update") return expr::apply_update(*ex.update, item);
    return expr::project(item, *ex.projection);
  } catch (const DdbError& e) {
    return json{{"error", e.message()}};
  }
}

}  // namespace

TEST_CASE("ddb expressions: data-driven cases", "[ddb][expr]") {
  json cases = load_cases();
  REQUIRE(cases.size() > 50);
  for (const auto& c : cases) {
    std::string name = c.at("name");
    INFO("case: " << name << "\nexpression: " << c.at("expression").get<std::string>());
    json got = run_case(c);
    if (c.contains("error")) {
      REQUIRE(got.is_object());
      REQUIRE(got.contains("error"));
      CHECK(got["error"].get<std::string>() == c["error"].get<std::string>());
    } else {
      json want = c.at("result");
      if (want.is_object()) validate_attribute_map(want);  // normalise numbers in expectations
      CHECK(got.dump() == want.dump());
    }
  }
}
