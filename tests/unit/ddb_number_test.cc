// DynamoDB numbers: normalisation, limits, exact arithmetic, and the order-preserving key
// encoding that makes SQLite sort keys as DynamoDB does.
#include <algorithm>
#include <catch2/catch.hpp>
#include <random>

#include "dynamodb/number.h"
#include "dynamodb/value.h"

using localaws::ddb::Number;

namespace {
std::string norm(const std::string& s) {
  std::string err;
  auto n = Number::parse(s, &err);
  return n ? n->to_string() : "error: " + err;
}
Number num(const std::string& s) { return *Number::parse(s); }
}  // namespace

TEST_CASE("ddb number: normalised output", "[ddb]") {
  CHECK(norm("1.50") == "1.5");
  CHECK(norm("-0") == "0");
  CHECK(norm("-0.000") == "0");
  CHECK(norm("1E+2") == "100");
  CHECK(norm("1e2") == "100");
  CHECK(norm("+7") == "7");
  CHECK(norm(".5") == "0.5");
  CHECK(norm("5.") == "5");
  CHECK(norm("0001.0100") == "1.01");
  CHECK(norm("-12.5e-3") == "-0.0125");
  CHECK(norm("123456789012345678901234567890.12345678") == "123456789012345678901234567890.12345678");
  CHECK(norm("1E-130") == "0." + std::string(129, '0') + "1");
  CHECK(norm("9.9999999999999999999999999999999999999E+125") ==
        "99999999999999999999999999999999999999" + std::string(88, '0'));
}

TEST_CASE("ddb number: invalid text and limits", "[ddb]") {
  for (std::string bad : {"", "-", "abc", "1.2.3", "1e", "1e+", "0x10", " 1", "1 ", "NaN", "Infinity", "1,5", "--1", "e5"})
    CHECK(norm(bad) == "error: The parameter cannot be converted to a numeric value: " + bad);
  CHECK(norm("1.23456789012345678901234567890123456789") ==
        "error: Attempting to store more than 38 significant digits in a Number");
  // Trailing zeros are not significant.
  CHECK(norm("100000000000000000000000000000000000000000000") == "1" + std::string(44, '0'));
  CHECK(norm("1E+126") == "error: Number overflow. Attempting to store a number with magnitude larger than supported range");
  CHECK(norm("-1E+126") == "error: Number overflow. Attempting to store a number with magnitude larger than supported range");
  CHECK(norm("1E-131") == "error: Number underflow. Attempting to store a number with magnitude smaller than supported range");
  CHECK(norm("1E+99999999999999") == "error: Number overflow. Attempting to store a number with magnitude larger than supported range");
  CHECK(norm("0E+99999") == "0");  // zero has no magnitude
}

TEST_CASE("ddb number: exact addition and subtraction", "[ddb]") {
  CHECK((num("0.1") + num("0.2")).to_string() == "0.3");  // a double would say 0.30000000000000004
  CHECK((num("1") - num("1")).to_string() == "0");
  CHECK((num("-5") + num("3")).to_string() == "-2");
  CHECK((num("3") - num("5")).to_string() == "-2");
  CHECK((num("-1.5") - num("-1.5")).to_string() == "0");
  CHECK((num("99999999999999999999999999999999999999") + num("1")).to_string() == "1" + std::string(38, '0'));
  CHECK((num("1E+100") + num("1E+100")).to_string() == "2" + std::string(100, '0'));
  // A result that cannot be stored is reported by check_limits.
  CHECK((num("1E+125") + num("1E-10")).check_limits() == "Attempting to store more than 38 significant digits in a Number");
  CHECK((num("9.9999999999999999999999999999999999999E+125") + num("1E+125")).check_limits() ==
        "Number overflow. Attempting to store a number with magnitude larger than supported range");
}

TEST_CASE("ddb number: comparison and key encoding agree with numeric order", "[ddb]") {
  // Strictly increasing.
  std::vector<std::string> sorted = {
      "-9.9999999999999999999999999999999999999E+125", "-1E+100", "-1000", "-999.5", "-100", "-10.01", "-10.001",
      "-10", "-2", "-1.51", "-1.5", "-1", "-0.5", "-0.05", "-1E-130", "0", "1E-130", "1E-20", "0.05", "0.5", "1",
      "1.5", "1.51", "2", "10", "10.001", "10.01", "100", "999.5", "1000", "1E+100",
      "9.9999999999999999999999999999999999999E+125"};
  for (size_t i = 0; i + 1 < sorted.size(); ++i) {
    Number a = num(sorted[i]), b = num(sorted[i + 1]);
    INFO(sorted[i] << " < " << sorted[i + 1]);
    CHECK(a.compare(b) < 0);
    CHECK(b.compare(a) > 0);
    CHECK(a.key_bytes() < b.key_bytes());
  }
  // Equal values encode equally, whatever their spelling.
  CHECK(num("1.50").key_bytes() == num("15E-1").key_bytes());
  CHECK(num("-0").key_bytes() == num("0.000").key_bytes());
  CHECK(num("1.50").compare(num("1.5")) == 0);

  // A shuffled list sorted by bytes comes back in numeric order.
  std::vector<std::string> shuffled = sorted;
  std::mt19937 rng(42);
  std::shuffle(shuffled.begin(), shuffled.end(), rng);
  std::sort(shuffled.begin(), shuffled.end(), [](auto& a, auto& b) { return num(a).key_bytes() < num(b).key_bytes(); });
  CHECK(shuffled == sorted);
}

TEST_CASE("ddb key bytes: strings and binary sort by bytes", "[ddb]") {
  using localaws::ddb::json;
  using localaws::ddb::key_bytes;
  CHECK(key_bytes(json{{"S", "a"}}) < key_bytes(json{{"S", "ab"}}));
  CHECK(key_bytes(json{{"S", "Z"}}) < key_bytes(json{{"S", "a"}}));
  CHECK(key_bytes(json{{"S", "z"}}) < key_bytes(json{{"S", "\xc3\xa9"}}));  // UTF-8 byte order: é after z
  CHECK(key_bytes(json{{"B", "AAE="}}) == std::string("\x00\x01", 2));
  CHECK(key_bytes(json{{"B", "AAE="}}) < key_bytes(json{{"B", "/w=="}}));  // 0x00 0x01 < 0xff
}
