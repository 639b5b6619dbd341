// parse_json (simdjson, then nlohmann's parser for what simdjson refuses) gives what
// nlohmann::json::parse gives: the same values, the same number types, the same failures.
#include <catch2/catch.hpp>

#include "common/json_parse.h"

using localaws::parse_json;
using nlohmann::json;

TEST_CASE("parse_json gives nlohmann's value, types included", "[json]") {
  const char* docs[] = {
      R"({"TableName":"ratings","Item":{"pk":{"S":"shop-1"},"n":{"N":"12345678901234567890123"}}})",
      R"({"Limit":5,"Neg":-5,"Big":18446744073709551615,"Min":-9223372036854775808,"F":1.5,"E":1e300})",
      R"({"a":[1,[2,[3,{}]],true,false,null,""],"u":"\u00e9\ud83d\ude00\u0000x","esc":"\"\\\/\b\f\n\r\t"})",
      R"({"dup":1,"dup":2})",  // the last member wins in both
      R"([])", R"("text")", R"(0)", R"(-0.0)", R"(  {"spaced" : [ 1 , 2 ] }  )",
      R"({"z":1,"a":2})",
      R"(123456789012345678901234567890)",  // beyond 64 bits: nlohmann's double
  };
  for (const char* d : docs) {
    INFO(d);
    json want = json::parse(d);
    json got = parse_json(d);
    CHECK(got == want);
    CHECK(got.dump() == want.dump());
    CHECK(got.type() == want.type());
    if (want.is_object() && want.contains("Limit")) {
      for (auto& [k, v] : want.items()) {
        INFO(k);
        CHECK(got[k].type() == v.type());  // unsigned stays unsigned, negative stays signed
      }
    }
  }
}

TEST_CASE("parse_json refuses what nlohmann refuses", "[json]") {
  for (const char* bad : {"", "{", "{\"a\":}", "[1,]", "{\"a\" 1}", "nul", "\"\xff\"", "{\"a\":1}x", "01"}) {
    INFO(bad);
    CHECK(parse_json(bad).is_discarded());
    CHECK(json::parse(bad, nullptr, false).is_discarded());
  }
}
