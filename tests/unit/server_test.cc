// The server core: a service that throws still answers in its protocol's format (500
// InternalError with request ids), and the server keeps serving.
#include <catch2/catch.hpp>
#include <httplib.h>

#include <nlohmann/json.hpp>

#include "server/server.h"

using namespace localaws;

namespace {

// Wraps a real service, but every request throws inside the handler.
class Throwing : public Service {
 public:
  explicit Throwing(std::unique_ptr<Service> real) : real_(std::move(real)) {}
  const char* name() const override { return real_->name(); }
  auth::ServiceKind kind() const override { return real_->kind(); }
  void handle(http::Request&, const auth::Principal&, http::Response&) override {
    throw std::runtime_error("injected failure");
  }
  void render_auth_error(const auth::AuthError& e, const http::Request& q, http::Response& r) override {
    real_->render_auth_error(e, q, r);
  }
  void render_internal_error(const http::Request& q, http::Response& r) override { real_->render_internal_error(q, r); }
  void finish(const http::Request& q, http::Response& r) override { real_->finish(q, r); }
  void reset() override {}
  void collect_live_blobs(std::unordered_set<std::string>&) override {}
  nlohmann::json run_timers() override { return real_->run_timers(); }

 private:
  std::unique_ptr<Service> real_;
};

}  // namespace

TEST_CASE("an exception in a handler becomes the protocol's 500 and the server stays up", "[server]") {
  Config cfg;
  cfg.port = 0;
  cfg.in_memory = true;
  cfg.auth_mode = auth::Mode::kOff;
  cfg.access_log = false;
  Server server(cfg);
  REQUIRE(server.bind());
  auto& rt = server.runtime();
  rt.s3 = std::make_unique<Throwing>(std::move(rt.s3));
  rt.dynamodb = std::make_unique<Throwing>(std::move(rt.dynamodb));
  server.start();
  httplib::Client c("127.0.0.1", server.port());
  httplib::Headers signed_as_test = {
      {"Authorization",
       "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=00"},
      {"x-amz-content-sha256", "UNSIGNED-PAYLOAD"}};

  auto s3 = c.Get("/some-bucket", signed_as_test);
  REQUIRE(s3);
  CHECK(s3->status == 500);
  CHECK(s3->body.find("<Code>InternalError</Code>") != std::string::npos);
  CHECK(s3->has_header("x-amz-request-id"));

  httplib::Headers ddb_headers = {
      {"X-Amz-Target", "DynamoDB_20120810.ListTables"},
      {"Authorization",
       "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, "
       "Signature=00"}};
  auto ddb = c.Post("/", ddb_headers, "{}", "application/x-amz-json-1.0");
  REQUIRE(ddb);
  CHECK(ddb->status == 500);
  auto body = nlohmann::json::parse(ddb->body);
  CHECK(body["__type"].get<std::string>().find("InternalServerError") != std::string::npos);
  CHECK(ddb->has_header("x-amzn-RequestId"));
  CHECK(ddb->has_header("X-Amz-Crc32"));

  auto health = c.Get("/_localaws/health");
  REQUIRE(health);
  CHECK(health->status == 200);
  server.stop();
}
