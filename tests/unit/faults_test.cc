// Fault rules (server/faults.h) without a server: validation, matching, count and probability,
// and that nothing fires outside a FaultScope that allows it (the emulator's own calls).
#include <catch2/catch.hpp>

#include <stdexcept>

#include "server/faults.h"

using namespace localaws;
using nlohmann::json;

namespace {

std::optional<int> known(const std::string& service, const std::string& code) {
  if (service == "s3" && code == "SlowDown") return 503;
  if (service == "dynamodb" && code == "ThrottlingException") return 400;
  return std::nullopt;
}

auth::Principal principal(const std::string& key, const std::string& account) {
  auth::Principal p;
  p.access_key_id = key;
  p.account_id = account;
  p.anonymous = false;
  return p;
}

}  // namespace

TEST_CASE("fault rules: validation names the problem", "[faults]") {
  Faults f;
  auto refused = [&](json rule, const std::string& why) {
    try {
      f.add(rule, known);
      FAIL("accepted " << rule.dump());
    } catch (const std::invalid_argument& e) {
      CHECK_THAT(e.what(), Catch::Contains(why));
    }
  };
  refused({{"service", "s3"}, {"error", "SlowDown"}, {"nope", 1}}, "unknown field 'nope'");
  refused({{"service", "s3"}, {"error", "SlowDown"}, {"probability", 2}}, "probability");
  refused({{"service", "s3"}, {"error", "ThrottlingException"}}, "unknown error code");
  refused({{"table", "t"}, {"bucket", "b"}, {"latency_ms", 1}}, "applies to");
  refused({{"service", "s3"}}, "needs an effect");
  CHECK_FALSE(f.active());
  json r = f.add({{"service", "s3"}, {"error", "SlowDown"}}, known);
  CHECK(r["id"] == "f1");
  CHECK(f.active());
  CHECK(f.remove("f1"));
  CHECK_FALSE(f.remove("f1"));
  CHECK_FALSE(f.active());
}

TEST_CASE("fault rules: matching, count, probability and scope", "[faults]") {
  Faults f;
  auto who = principal("AKID", "111111111111");
  f.add({{"bucket", "b"}, {"key_prefix", "logs/"}, {"operation", "PutObject"}, {"error", "SlowDown"}, {"count", 2}},
        known);
  f.add({{"service", "dynamodb"}, {"principal", "111111111111"}, {"error", "ThrottlingException"},
         {"probability", 0}}, known);
  FaultTarget put{"s3", "PutObject", "b", "logs/1", who};
  {
    FaultScope outside(false);
    CHECK_FALSE(f.fire(put));  // the emulator's own calls get no faults
  }
  CHECK_FALSE(f.fire(put));  // no scope at all
  for (int i = 0; i < 3; i++) {
    FaultScope scope(true);
    auto e = f.fire(put);
    CHECK(bool(e) == (i < 2));  // count: 2
    if (e) {
      CHECK(e->code == "SlowDown");
      CHECK(scope.fired()->id == "f1");
    }
  }
  {
    FaultScope scope(true);
    CHECK_FALSE(f.fire({"s3", "PutObject", "b", "data/1", who}));  // another prefix
    CHECK_FALSE(f.fire({"s3", "GetObject", "b", "logs/1", who}));  // another operation
    CHECK_FALSE(f.fire({"dynamodb", "PutItem", "t", "", who}));   // probability 0
  }
  json listed = f.list();
  CHECK(listed[0]["fired"] == 2);
  CHECK(listed[1]["fired"] == 0);
  f.clear();
  CHECK_FALSE(f.active());
}
