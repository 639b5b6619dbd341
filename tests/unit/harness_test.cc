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
