// The harness starts a real server in-process: its endpoint answers HTTP, resets work, and
// the exported environment names it.
#include <catch2/catch.hpp>
#include <httplib.h>

#include <nlohmann/json.hpp>

#include "localaws_harness.h"

TEST_CASE("harness: in-process emulator on a free port", "[harness]") {
  localaws::testing::Emulator a;
  localaws::testing::Emulator b;  // two at once: separate ports and state
  REQUIRE(a.port() > 0);
  REQUIRE(a.port() != b.port());
  CHECK(a.endpoint() == "http://127.0.0.1:" + std::to_string(a.port()));

  httplib::Client c("127.0.0.1", a.port());
  auto r = c.Get("/_localaws/health");
  REQUIRE(r);
  CHECK(r->status == 200);
  auto health = nlohmann::json::parse(r->body);
  CHECK(health["persistence"] == "memory");

  auto env = a.environment();
  CHECK(env.at("AWS_ENDPOINT_URL") == a.endpoint());
  CHECK(env.at("AWS_ACCESS_KEY_ID") == "test");
  CHECK(env.at("AWS_CONFIG_FILE") != env.at("AWS_SHARED_CREDENTIALS_FILE"));
  a.export_environment();
  CHECK(std::string(getenv("AWS_ENDPOINT_URL")) == a.endpoint());

  a.reset();
  a.reset("s3");
  CHECK_THROWS_AS(a.reset("sqs"), std::invalid_argument);
}

TEST_CASE("harness: on-disk mode cleans up after itself", "[harness]") {
  std::string endpoint;
  {
    localaws::testing::Options o;
    o.in_memory = false;
    localaws::testing::Emulator e(o);
    httplib::Client c("127.0.0.1", e.port());
    auto r = c.Get("/_localaws/health");
    REQUIRE(r);
    CHECK(nlohmann::json::parse(r->body)["persistence"] == "disk");
    endpoint = e.endpoint();
  }
  // Stopped: nothing listens there any more.
  httplib::Client c(endpoint);
  c.set_connection_timeout(1);
  CHECK_FALSE(c.Get("/_localaws/health"));
}

namespace {
// One DynamoDB call to an emulator running with --auth off.
nlohmann::json ddb_call(localaws::testing::Emulator& e, const std::string& op, const nlohmann::json& body) {
  httplib::Client c("127.0.0.1", e.port());
  httplib::Headers h = {{"X-Amz-Target", "DynamoDB_20120810." + op},
                        {"Authorization", "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/dynamodb/aws4_request, "
                                          "SignedHeaders=host, Signature=00"}};
  auto r = c.Post("/", h, body.dump(), "application/x-amz-json-1.0");
  REQUIRE(r);
  return nlohmann::json::parse(r->body);
}
}  // namespace

// ClientRequestTokens belong to one emulator (issue 17): two in one process share none, and a
// reset of one forgets only its own.
TEST_CASE("harness: transaction tokens are per emulator", "[harness][ddb]") {
  localaws::testing::Options o;
  o.auth = localaws::auth::Mode::kOff;
  localaws::testing::Emulator a(o), b(o);
  nlohmann::json table = {{"TableName", "tok"}, {"BillingMode", "PAY_PER_REQUEST"},
                          {"AttributeDefinitions", {{{"AttributeName", "pk"}, {"AttributeType", "S"}}}},
                          {"KeySchema", {{{"AttributeName", "pk"}, {"KeyType", "HASH"}}}}};
  auto put = [](const std::string& v) {
    return nlohmann::json{{"ClientRequestToken", "same-token"},
                          {"TransactItems", {{{"Put", {{"TableName", "tok"}, {"Item", {{"pk", {{"S", "k"}}}, {"v", {{"S", v}}}}}}}}}}};
  };
  const std::string mismatch = "com.amazonaws.dynamodb.v20120810#IdempotentParameterMismatchException";
  for (auto* e : {&a, &b}) ddb_call(*e, "CreateTable", table);
  CHECK(ddb_call(a, "TransactWriteItems", put("1")).empty());
  CHECK(ddb_call(b, "TransactWriteItems", put("2")).empty());  // b never saw the token
  CHECK(ddb_call(a, "TransactWriteItems", put("3")).value("__type", "") == mismatch);
  a.reset("dynamodb");
  ddb_call(a, "CreateTable", table);
  CHECK(ddb_call(a, "TransactWriteItems", put("4")).empty());
  CHECK(ddb_call(b, "TransactWriteItems", put("5")).value("__type", "") == mismatch);
}
