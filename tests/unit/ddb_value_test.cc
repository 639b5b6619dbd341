// AttributeValue validation (AWS's messages) and item size as DynamoDB computes it.
#include <catch2/catch.hpp>

#include "dynamodb/value.h"

using namespace localaws::ddb;

namespace {
std::string validate_msg(json v) {
  try {
    validate_value(v);
    return "ok " + v.dump();
  } catch (const DdbError& e) {
    return e.type() + ": " + e.message();
  }
}
}  // namespace

TEST_CASE("ddb values: validation and normalisation", "[ddb]") {
  CHECK(validate_msg(json::parse(R"({"N":"1.50"})")) == R"(ok {"N":"1.5"})");
  CHECK(validate_msg(json::parse(R"({"S":""})")) == R"(ok {"S":""})");  // empty strings are fine outside keys
  CHECK(validate_msg(json::parse(R"({"NS":["1","2.0"]})")) == R"(ok {"NS":["1","2"]})");
  CHECK(validate_msg(json::parse(R"({"NULL":true})")) == R"(ok {"NULL":true})");
  CHECK(validate_msg(json::parse(R"({"B":"AAE="})")) == R"(ok {"B":"AAE="})");
  CHECK(validate_msg(json::parse(R"({})")) ==
        "ValidationException: Supplied AttributeValue is empty, must contain exactly one of the supported datatypes");
  CHECK(validate_msg(json::parse(R"({"S":"a","N":"1"})")) ==
        "ValidationException: Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes");
  CHECK(validate_msg(json::parse(R"({"SS":[]})")) ==
        "ValidationException: One or more parameter values were invalid: An string set  may not be empty");
  CHECK(validate_msg(json::parse(R"({"NS":[]})")) ==
        "ValidationException: One or more parameter values were invalid: An number set  may not be empty");
  CHECK(validate_msg(json::parse(R"({"SS":["a","a"]})")) ==
        "ValidationException: One or more parameter values were invalid: Input collection [a, a] contains duplicates.");
  CHECK(validate_msg(json::parse(R"({"NS":["1","1.0"]})")) ==
        "ValidationException: One or more parameter values were invalid: Input collection [1, 1.0] contains duplicates.");
  CHECK(validate_msg(json::parse(R"({"NULL":false})")) ==
        "ValidationException: One or more parameter values were invalid: Null attribute value types must have the value of true");
  CHECK(validate_msg(json::parse(R"({"N":"x"})")) == "ValidationException: The parameter cannot be converted to a numeric value: x");
  CHECK(validate_msg(json::parse(R"({"N":5})")).rfind("SerializationException", 0) == 0);
  CHECK(validate_msg(json::parse(R"({"B":"!!!"})")).rfind("SerializationException", 0) == 0);
  CHECK(validate_msg(json::parse(R"({"M":{"a":{"L":[{"NS":["1e999"]}]}}})")) ==
        "ValidationException: Number overflow. Attempting to store a number with magnitude larger than supported range");

  // Nesting: 32 levels of M/L are accepted, 33 are not.
  json deep = json{{"S", "x"}};
  for (int i = 0; i < 32; ++i) deep = json{{"L", json::array({deep})}};
  CHECK(validate_msg(deep).rfind("ok", 0) == 0);
  deep = json{{"L", json::array({deep})}};
  CHECK(validate_msg(deep) == "ValidationException: Nesting Levels have exceeded supported limits");
}

TEST_CASE("ddb values: equality and ordering", "[ddb]") {
  auto v = [](const char* s) {
    json j = json::parse(s);
    validate_value(j);
    return j;
  };
  CHECK(values_equal(v(R"({"N":"1.50"})"), v(R"({"N":"1.5"})")));
  CHECK(values_equal(v(R"({"SS":["a","b"]})"), v(R"({"SS":["b","a"]})")));
  CHECK_FALSE(values_equal(v(R"({"S":"1"})"), v(R"({"N":"1"})")));
  CHECK(values_equal(v(R"({"M":{"a":{"L":[{"N":"1"}]}}})"), v(R"({"M":{"a":{"L":[{"N":"1.0"}]}}})")));
  CHECK(*compare_values(v(R"({"N":"-10"})"), v(R"({"N":"9"})")) < 0);
  CHECK(*compare_values(v(R"({"S":"B"})"), v(R"({"S":"a"})")) < 0);
  CHECK_FALSE(compare_values(v(R"({"S":"1"})"), v(R"({"N":"1"})")).has_value());
  CHECK_FALSE(compare_values(v(R"({"BOOL":true})"), v(R"({"BOOL":false})")).has_value());
}

TEST_CASE("ddb values: item size", "[ddb]") {
  auto size = [](const char* s) {
    json j = json::parse(s);
    validate_attribute_map(j);
    return item_size(j);
  };
  CHECK(size(R"({"pk":{"S":"abc"}})") == 2 + 3);
  CHECK(size(R"({"n":{"N":"12345"}})") == 1 + 4);  // 5 significant digits: 3 bytes + 1
  CHECK(size(R"({"n":{"N":"1000000"}})") == 1 + 2);  // trailing zeros are not significant
  CHECK(size(R"({"b":{"B":"AAECAw=="}})") == 1 + 4);
  CHECK(size(R"({"t":{"BOOL":true},"z":{"NULL":true}})") == 1 + 1 + 1 + 1);
  CHECK(size(R"({"l":{"L":[{"S":"ab"},{"S":"c"}]}})") == 1 + 3 + (1 + 2) + (1 + 1));
  CHECK(size(R"({"m":{"M":{"k":{"S":"v"}}}})") == 1 + 3 + (1 + 1 + 1));
  CHECK(size(R"({"ss":{"SS":["ab","cde"]}})") == 2 + 5);

  json big = {{"pk", {{"S", "k"}}}, {"data", {{"S", std::string(400 * 1024 - 6, 'x')}}}};
  CHECK(item_size(big) == 400 * 1024 - 6 + 2 + 1 + 4);
  CHECK_THROWS_WITH(check_item_size(big), "Item size has exceeded the maximum allowed size");
  big["data"]["S"] = std::string(400 * 1024 - 7, 'x');
  CHECK_NOTHROW(check_item_size(big));
}
