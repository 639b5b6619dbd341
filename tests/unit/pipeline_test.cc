// The one way in (pipeline/serve.h), driven with requests built as the server builds them: the
// control plane, authentication and its explanation in the journal, serving as a given
// principal, Expect: 100-continue decisions, and what is done with an unread body.
#include <catch2/catch.hpp>

#include "common/time.h"
#include "pipeline/serve.h"
#include "server/runtime.h"

using namespace localaws;

namespace {

Config memory_config() {
  Config cfg;
  cfg.in_memory = true;
  cfg.access_log = false;
  cfg.log_level = "off";
  return cfg;
}

http::Request request(const std::string& method, const std::string& target, http::HeaderList headers = {},
                      std::string body = "") {
  headers.emplace_back("Host", "localhost:4566");
  return http::make_request(method, target, headers, std::make_unique<http::StringBody>(std::move(body)));
}

// A header signature that cannot match: "test" is a known key with secret "test".
http::HeaderList wrongly_signed(const std::string& service) {
  std::string date = iso8601_basic(now_ms() / 1000);
  return {{"X-Amz-Date", date},
          {"X-Amz-Content-Sha256", "UNSIGNED-PAYLOAD"},
          {"Authorization", "AWS4-HMAC-SHA256 Credential=test/" + date.substr(0, 8) + "/us-east-1/" + service +
                                "/aws4_request, SignedHeaders=host;x-amz-date;x-amz-meta-gone, Signature=" +
                                std::string(64, '0')}};
}

}  // namespace

TEST_CASE("serve: control plane, anonymous callers, and acting as a principal", "[pipeline]") {
  Runtime rt(memory_config());
  auto health = request("GET", "/_localaws/health");
  auto res = serve(rt, health);
  CHECK(res.status == 200);
  CHECK(res.body.find("\"status\":\"ok\"") != std::string::npos);
  CHECK(health.request_id.size() == 16);

  const auto& a = rt.accounts.default_account();
  auto who = auth::Principal::from(a, a.access_key_id);
  auto create = request("PUT", "/pipe");
  CHECK(serve(rt, create, ServeOptions{&who, true}).status == 200);
  auto anonymous = request("GET", "/pipe");
  auto denied = serve(rt, anonymous);
  CHECK(denied.status == 403);
  CHECK(denied.body.find("<Code>AccessDenied</Code>") != std::string::npos);
  CHECK(denied.header("x-amz-request-id") != nullptr);

  // Found by the S3 fuzz target once control paths went through serve(): an unknown control path
  // that is not UTF-8 is answered, not a 500 from the JSON encoder.
  auto odd = request("GET", "/_localaws/\xfe\xff");
  auto odd_res = serve(rt, odd);
  CHECK(odd_res.status >= 400);
  CHECK(odd_res.status < 500);

  auto entries = rt.journal.recent(10);
  REQUIRE(entries.size() == 2);  // health is not a service call
  CHECK(entries[0].operation == "CreateBucket");
  CHECK(entries[1].principal == "anonymous");
}

TEST_CASE("serve: a refused signature is explained in the journal", "[pipeline]") {
  Runtime rt(memory_config());
  auto s3 = request("GET", "/some-bucket", wrongly_signed("s3"));
  auto res = serve(rt, s3);
  CHECK(res.status == 403);
  CHECK(res.body.find("<Code>SignatureDoesNotMatch</Code>") != std::string::npos);
  auto ddb_headers = wrongly_signed("dynamodb");
  ddb_headers.emplace_back("X-Amz-Target", "DynamoDB_20120810.ListTables");
  auto ddb = request("POST", "/", ddb_headers, "{}");
  CHECK(serve(rt, ddb).status == 400);

  auto entries = rt.journal.recent(2);
  REQUIRE(entries.size() == 2);
  CHECK(entries[0].auth_error == "SignatureDoesNotMatch");
  CHECK(entries[0].canonical_request.rfind("GET\n/some-bucket\n", 0) == 0);
  CHECK(entries[0].string_to_sign.rfind("AWS4-HMAC-SHA256\n", 0) == 0);
  bool named = false;
  for (auto& h : entries[0].auth_hints) named = named || h.find("'x-amz-meta-gone' is not in the request") != std::string::npos;
  CHECK(named);
  CHECK(entries[1].service == "dynamodb");
  CHECK(entries[1].auth_error == "InvalidSignatureException");
  CHECK(entries[1].canonical_request.rfind("POST\n/\n", 0) == 0);
}

TEST_CASE("serve_expect: refuse before the body, or ask for it", "[pipeline]") {
  Config cfg = memory_config();
  cfg.auth_mode = auth::Mode::kOff;  // signatures are not the point here
  Runtime rt(cfg);
  http::HeaderList as_test = {{"Authorization",
                               "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/s3/aws4_request, "
                               "SignedHeaders=host, Signature=00"},
                              {"X-Amz-Content-Sha256", "UNSIGNED-PAYLOAD"},
                              {"Content-Length", "5"}};
  auto missing = request("PUT", "/nope/k", as_test);
  auto refused = serve_expect(rt, missing);
  REQUIRE(refused);
  CHECK(refused->status == 404);
  CHECK(refused->body.find("<Code>NoSuchBucket</Code>") != std::string::npos);
  CHECK(refused->close_connection);

  auto create = request("PUT", "/yes", as_test);
  CHECK(serve(rt, create).status == 200);
  auto wanted = request("PUT", "/yes/k", as_test);
  CHECK_FALSE(serve_expect(rt, wanted).has_value());
  auto anonymous = request("PUT", "/yes/k", {{"Content-Length", "5"}});
  auto denied = serve_expect(rt, anonymous);
  REQUIRE(denied);
  CHECK(denied->status == 403);

  auto ddb = request("POST", "/", {{"X-Amz-Target", "DynamoDB_20120810.ListTables"}});
  CHECK_FALSE(serve_expect(rt, ddb).has_value());
}

TEST_CASE("serve: an unread body is drained when small and closes the connection when large", "[pipeline]") {
  Runtime rt(memory_config());
  auto small = request("PUT", "/unread/k", {{"Content-Length", "5"}}, "hello");
  auto res = serve(rt, small);
  CHECK(res.status == 404);  // NoSuchBucket: refused before the body is read
  CHECK(small.body->consumed());
  CHECK_FALSE(res.close_connection);

  // A body too large to drain: the connection cannot carry another request.
  class Endless : public http::Body {
   public:
    std::optional<http::BodyError> read(const http::Sink&) override {
      consumed_ = true;
      return std::nullopt;
    }
    std::optional<uint64_t> length() const override { return uint64_t{1} << 33; }
  };
  auto large = http::make_request("PUT", "/unread/k", {{"Host", "x"}}, std::make_unique<Endless>());
  auto big = serve(rt, large);
  CHECK(big.status == 404);
  CHECK_FALSE(large.body->consumed());
  CHECK(big.close_connection);
}
