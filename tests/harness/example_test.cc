// An example of testing C++ code against localaws with the harness: each test gets its own
// in-process emulator on a free port, the code under test is configured purely through the
// standard AWS_* environment, and reset() empties everything between steps.
//
// The client used here is the coffee-shop ranker's small AWS client (app/aws/), which signs
// every request with SigV4, so these requests pass localaws's real signature checks.
#include <catch2/catch.hpp>

#include "aws/config.h"
#include "aws/dynamodb.h"
#include "aws/error.h"
#include "aws/s3.h"
#include "localaws_harness.h"

namespace {

aws::EnvLookup lookup_in(const std::map<std::string, std::string>& env) {
  return [env](const std::string& k) -> std::optional<std::string> {
    auto it = env.find(k);
    if (it == env.end()) return std::nullopt;
    return it->second;
  };
}

template <typename Client>
Client client_for(const localaws::testing::Emulator& emu, const std::string& service) {
  auto env = lookup_in(emu.environment());
  aws::RetryPolicy once;
  once.max_attempts = 1;
  return Client(aws::SignedClient(aws::resolve_config(service, env), once));
}

}  // namespace

TEST_CASE("harness example: S3 and DynamoDB through a signing client", "[harness][example]") {
  localaws::testing::Emulator emu;
  auto s3 = client_for<aws::S3Client>(emu, "s3");
  auto ddb = client_for<aws::DynamoDbClient>(emu, "dynamodb");
  REQUIRE(s3.config().endpoint_url == emu.endpoint());

  s3.create_bucket("example-bucket");
  s3.put_object("example-bucket", "greeting.txt", "hello", "text/plain");
  auto got = s3.get_object("example-bucket", "greeting.txt");
  CHECK(got.body == "hello");
  CHECK(got.content_type == "text/plain");

  ddb.create_table(nlohmann::json::parse(R"({
      "TableName": "Example", "BillingMode": "PAY_PER_REQUEST",
      "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
      "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}]})"));
  ddb.call("PutItem", nlohmann::json::parse(R"({"TableName": "Example", "Item": {"id": {"S": "1"}, "n": {"N": "42"}}})"));
  auto item = ddb.call("GetItem", nlohmann::json::parse(R"({"TableName": "Example", "Key": {"id": {"S": "1"}}})"));
  CHECK(item["Item"]["n"]["N"] == "42");

  SECTION("reset empties every service") {
    emu.reset();
    try {
      s3.get_object("example-bucket", "greeting.txt");
      FAIL("the bucket survived reset");
    } catch (const aws::AwsError& e) {
      CHECK(e.code == "NoSuchBucket");
    }
    auto tables = ddb.call("ListTables", nlohmann::json::object());
    CHECK(tables["TableNames"].empty());
  }

  SECTION("a wrong secret is refused, as on AWS") {
    auto env = emu.environment();
    env["AWS_SECRET_ACCESS_KEY"] = "not-the-secret";
    aws::RetryPolicy once;
    once.max_attempts = 1;
    aws::S3Client bad(aws::SignedClient(aws::resolve_config("s3", lookup_in(env)), once));
    try {
      bad.get_object("example-bucket", "greeting.txt");
      FAIL("a wrong secret was accepted");
    } catch (const aws::AwsError& e) {
      CHECK(e.code == "SignatureDoesNotMatch");
      CHECK(e.status == 403);
    }
  }
}

TEST_CASE("harness example: time to live on a clock the test moves", "[harness][example]") {
  localaws::testing::Emulator emu;
  auto ddb = client_for<aws::DynamoDbClient>(emu, "dynamodb");
  ddb.create_table(nlohmann::json::parse(R"({
      "TableName": "Sessions", "BillingMode": "PAY_PER_REQUEST",
      "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
      "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}]})"));
  ddb.call("UpdateTimeToLive", nlohmann::json::parse(R"({"TableName": "Sessions",
      "TimeToLiveSpecification": {"Enabled": true, "AttributeName": "expires"}})"));
  // A session that expires an hour from the emulator's "now".
  auto in_an_hour = std::chrono::duration_cast<std::chrono::seconds>(
      (emu.now() + std::chrono::hours(1)).time_since_epoch()).count();
  nlohmann::json put = {{"TableName", "Sessions"},
                        {"Item", {{"id", {{"S", "s1"}}}, {"expires", {{"N", std::to_string(in_an_hour)}}}}}};
  ddb.call("PutItem", put);
  auto get = nlohmann::json::parse(R"({"TableName": "Sessions", "Key": {"id": {"S": "s1"}}})");

  CHECK(nlohmann::json::parse(emu.run_ttl())["deletedItems"] == 0);  // not expired yet
  CHECK(ddb.call("GetItem", get).contains("Item"));

  emu.advance_clock(std::chrono::minutes(61));
  CHECK(nlohmann::json::parse(emu.run_ttl())["deletedItems"] == 1);
  CHECK_FALSE(ddb.call("GetItem", get).contains("Item"));

  emu.reset();  // also back to real time
  CHECK(std::chrono::abs(emu.now() - std::chrono::system_clock::now()) < std::chrono::minutes(1));
}
