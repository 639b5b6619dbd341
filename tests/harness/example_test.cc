// An example of testing C++ code against localaws with the harness: each test gets its own
// in-process emulator on a free port, the code under test is configured purely through the
// standard AWS_* environment, and reset() empties everything between steps.
//
// The client used here is the coffee-shop ranker's small AWS client (app/aws/), which signs
// every request with SigV4, so these requests pass localaws's real signature checks.
#include <catch2/catch.hpp>
#include <httplib.h>

#include <stdexcept>

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

TEST_CASE("harness: fault rules fail real requests until removed or cleared", "[harness][faults]") {
  localaws::testing::Emulator emu;
  auto s3 = client_for<aws::S3Client>(emu, "s3");
  s3.create_bucket("flaky");
  httplib::Client raw(emu.endpoint());  // unsigned: the anonymous caller

  std::string slow = emu.add_fault(R"({"service": "s3", "operation": "PutObject", "bucket": "flaky", "error": "SlowDown"})");
  std::string broken = emu.add_fault(R"({"service": "s3", "operation": "GetObject", "error": "InternalError"})");
  CHECK(slow != broken);
  try {
    s3.put_object("flaky", "k", "v", "text/plain");
    FAIL("the SlowDown rule did not fire");
  } catch (const aws::AwsError& e) {
    CHECK(e.code == "SlowDown");
    CHECK(e.status == 503);
  }
  auto got = raw.Get("/flaky/k");
  REQUIRE(got);
  CHECK(got->status == 500);
  CHECK(got->body.find("<Code>InternalError</Code>") != std::string::npos);
  auto listed = nlohmann::json::parse(emu.faults());
  REQUIRE(listed.size() == 2);
  CHECK(listed[0]["id"] == slow);
  CHECK(listed[0]["fired"] == 1);
  CHECK(listed[1]["fired"] == 1);

  emu.remove_fault(broken);
  got = raw.Get("/flaky/k");
  REQUIRE(got);
  CHECK(got->status == 403);  // the bucket is private: the request ran again
  CHECK_THROWS_AS(emu.remove_fault(broken), std::invalid_argument);

  emu.clear_faults();
  CHECK(emu.faults() == "[]");
  s3.put_object("flaky", "k", "stored", "text/plain");
  CHECK(s3.get_object("flaky", "k").body == "stored");

  SECTION("a connection cut before the response gets no answer at all") {
    emu.add_fault(R"({"service": "s3", "operation": "GetObject", "cut_connection": "before_response", "count": 1})");
    auto cut = raw.Get("/flaky/k");
    CHECK_FALSE(cut);
    got = raw.Get("/flaky/k");  // count 1: the next one is answered
    REQUIRE(got);
    CHECK(got->status == 403);
  }
  SECTION("invalid rules are refused with the reason; reset() removes every rule") {
    CHECK_THROWS_WITH(emu.add_fault(R"({"service": "s3"})"), Catch::Contains("needs an effect"));
    CHECK_THROWS_WITH(emu.add_fault(R"({"service": "s3", "cut_connection": "later"})"),
                      Catch::Contains("before_response"));
    CHECK_THROWS_AS(emu.add_fault("{not json"), std::invalid_argument);
    emu.add_fault(R"({"service": "s3", "error": "InternalError"})");
    emu.reset();
    CHECK(emu.faults() == "[]");
  }
}

TEST_CASE("harness: a TLS emulator answers over HTTPS verified with its CA", "[harness][tls]") {
  localaws::testing::Options options;
  options.tls = true;
  localaws::testing::Emulator emu(options);
  std::string prefix = "https://127.0.0.1:" + std::to_string(emu.port());
  REQUIRE(emu.endpoint() == prefix);
  REQUIRE_FALSE(emu.ca_file().empty());
  auto env = emu.environment();
  CHECK(env["AWS_CA_BUNDLE"] == emu.ca_file());
  CHECK(env["AWS_ENDPOINT_URL"] == emu.endpoint());

  httplib::SSLClient https("127.0.0.1", emu.port());
  https.set_ca_cert_path(emu.ca_file().c_str());
  https.enable_server_certificate_verification(true);
  auto health = https.Get("/_localaws/health");
  REQUIRE(health);
  CHECK(health->status == 200);
  CHECK(nlohmann::json::parse(health->body)["status"] == "ok");

  // The system's CAs do not know the emulator's: verification is real.
  httplib::SSLClient untrusting("127.0.0.1", emu.port());
  untrusting.set_ca_cert_path("/etc/ssl/certs/ca-certificates.crt");
  untrusting.enable_server_certificate_verification(true);
  auto refused = untrusting.Get("/_localaws/health");
  CHECK_FALSE(refused);
  CHECK(refused.error() == httplib::Error::SSLServerVerification);

  // Plain HTTP to the HTTPS port is told to use https://.
  httplib::Client plain("127.0.0.1", emu.port());
  auto told = plain.Get("/_localaws/health");
  REQUIRE(told);
  CHECK(told->status == 400);
  CHECK(told->body.find("https://") != std::string::npos);

  // A signing client configured only from environment() (AWS_CA_BUNDLE included).
  auto s3 = client_for<aws::S3Client>(emu, "s3");
  s3.create_bucket("secure");
  s3.put_object("secure", "k", "over tls", "text/plain");
  CHECK(s3.get_object("secure", "k").body == "over tls");
}
