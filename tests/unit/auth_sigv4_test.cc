// Requests signed by botocore (tests/tools/gen_sigv4_cases.py -> data/sigv4_cases.json) must
// verify, and must stop verifying once anything signed changes. On a wrong secret, the canonical
// request localaws reports must be exactly botocore's: that checks canonicalisation itself.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "auth/authenticator.h"
#include "auth/sigv4.h"
#include "auth_test_util.h"
#include "common/crypto.h"

using namespace localaws;
using auth::ServiceKind;
using nlohmann::json;

namespace {

const json& cases() {
  static const json all = testing::load_data("sigv4_cases.json")["cases"];
  return all;
}

ServiceKind service_of(const json& c) { return c["service"] == "s3" ? ServiceKind::kS3 : ServiceKind::kDynamoDB; }
bool is_v2(const json& c) { return c["kind"].get<std::string>().rfind("v2", 0) == 0; }
bool is_presigned(const json& c) { return c["kind"] == "query" || c["kind"] == "v2query"; }

http::Request build(const json& c, const std::string& host_override = "") {
  std::vector<std::pair<std::string, std::string>> headers;
  for (auto& h : c["headers"]) {
    std::string name = h[0], value = h[1];
    if (!host_override.empty() && to_lower(name) == "host") value = host_override;
    headers.emplace_back(name, value);
  }
  std::string body;
  REQUIRE(base64_decode(c["body_b64"].get<std::string>(), body));
  return testing::make_request(c["method"], c["target"], headers, std::make_unique<http::StringBody>(body));
}

auth::Accounts accounts_with(const std::string& secret) {
  auth::Accounts a;
  a.add({"AKIDEXAMPLE", secret, "111122223333", "", "", ""});
  return a;
}

const char* mismatch_code(ServiceKind s) { return s == ServiceKind::kS3 ? "SignatureDoesNotMatch" : "InvalidSignatureException"; }

}  // namespace

TEST_CASE("botocore-signed requests are accepted and their bodies delivered", "[auth][sigv4]") {
  REQUIRE(cases().size() >= 30);
  auto accounts = accounts_with("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
  auth::Authenticator a(accounts, auth::Mode::kVerify);
  for (auto& c : cases()) {
    INFO(c["name"].get<std::string>());
    REQUIRE(c["secret"] == "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
    auto req = build(c);
    auto r = a.authenticate(req, service_of(c), c["now"].get<int64_t>());
    CHECK_FALSE(r.error.has_value());
    if (r.error) UNSCOPED_INFO(r.error->code + ": " + r.error->message + "\n" + r.error->canonical_request);
    CHECK_FALSE(r.principal.anonymous);
    CHECK(r.principal.account_id == "111122223333");
    std::string body;
    auto err = testing::drain(*req.body, body);
    CHECK_FALSE(err.has_value());
    if (req.has_header("x-amz-trailer")) {
      // The aws-chunked framing is gone and the trailer is exposed.
      std::string expected;
      for (int i = 0; i < 2000; i++) expected += "chunk data ";
      CHECK(body == expected);
      CHECK(req.body->trailers().count("x-amz-checksum-crc32") == 1);
      CHECK(req.body->length() == body.size());
    }
  }
}

TEST_CASE("a wrong secret is refused, with botocore's canonical request in the error", "[auth][sigv4]") {
  auto accounts = accounts_with("not-the-secret");
  auth::Authenticator a(accounts, auth::Mode::kVerify);
  for (auto& c : cases()) {
    INFO(c["name"].get<std::string>());
    auto req = build(c);
    auto r = a.authenticate(req, service_of(c), c["now"].get<int64_t>());
    REQUIRE(r.error.has_value());
    CHECK(r.error->code == mismatch_code(service_of(c)));
    CHECK(r.error->status == (service_of(c) == ServiceKind::kS3 ? 403 : 400));
    CHECK(r.error->access_key_id == "AKIDEXAMPLE");
    if (is_v2(c)) {
      CHECK(r.error->string_to_sign == c["canonical_request"].get<std::string>());
    } else {
      CHECK(r.error->canonical_request == c["canonical_request"].get<std::string>());
      CHECK(r.error->signature_provided == c["signature"].get<std::string>());
      CHECK(r.error->string_to_sign.rfind("AWS4-HMAC-SHA256\n", 0) == 0);
    }
    if (service_of(c) == ServiceKind::kS3) {
      CHECK(r.error->message ==
            "The request signature we calculated does not match the signature you provided. Check your key and "
            "signing method.");
      // S3 also shows the bytes: "41 57 53 34" is "AWS4"; SigV2 starts with the method.
      CHECK(r.error->string_to_sign_bytes.substr(0, 11) == (is_v2(c) ? std::string(c["method"] == "GET" ? "47 45 54 0a" : "50 55 54 0a") : std::string("41 57 53 34")));
    } else {
      CHECK(r.error->message ==
            "The request signature we calculated does not match the signature you provided. Check your AWS Secret "
            "Access Key and signing method. Consult the service documentation for details.");
    }
  }
}

TEST_CASE("changing a signed header breaks the signature", "[auth][sigv4]") {
  auto accounts = accounts_with("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
  auth::Authenticator a(accounts, auth::Mode::kVerify);
  for (auto& c : cases()) {
    INFO(c["name"].get<std::string>());
    if (is_v2(c)) continue;  // SigV2 does not sign Host
    auto req = build(c, "localhost:4567");
    auto r = a.authenticate(req, service_of(c), c["now"].get<int64_t>());
    REQUIRE(r.error.has_value());
    CHECK(r.error->code == mismatch_code(service_of(c)));
  }
}

TEST_CASE("a changed body is refused: DynamoDB at once, S3 while streaming", "[auth][sigv4]") {
  auto accounts = accounts_with("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
  auth::Authenticator a(accounts, auth::Mode::kVerify);
  int checked = 0;
  for (auto& c : cases()) {
    if (c["kind"] != "header" || c["body_b64"].get<std::string>().empty()) continue;
    auto req = build(c);
    std::string hdr_sha = req.header_or("x-amz-content-sha256");
    if (service_of(c) == ServiceKind::kS3 && !auth::sigv4::is_sha256_hex(hdr_sha)) continue;
    INFO(c["name"].get<std::string>());
    req.body = std::make_unique<http::StringBody>("tampered body");
    auto r = a.authenticate(req, service_of(c), c["now"].get<int64_t>());
    if (service_of(c) == ServiceKind::kDynamoDB) {
      REQUIRE(r.error.has_value());
      CHECK(r.error->code == "InvalidSignatureException");
    } else {
      REQUIRE_FALSE(r.error.has_value());
      std::string body;
      auto err = testing::drain(*req.body, body);
      REQUIRE(err.has_value());
      CHECK(err->status == 400);
      CHECK(err->code == "XAmzContentSHA256Mismatch");
      CHECK(err->message == "The provided 'x-amz-content-sha256' header does not match what was computed.");
    }
    checked++;
  }
  CHECK(checked >= 4);
}

TEST_CASE("time limits: 15 minutes of skew, presigned lifetimes", "[auth][sigv4]") {
  auto accounts = accounts_with("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
  auth::Authenticator a(accounts, auth::Mode::kVerify);
  for (auto& c : cases()) {
    INFO(c["name"].get<std::string>());
    int64_t now = c["now"];
    auto kind = service_of(c);
    if (c["kind"] == "header") {
      auto late = build(c);
      auto r = a.authenticate(late, kind, now + 901);
      REQUIRE(r.error.has_value());
      if (kind == ServiceKind::kS3) {
        CHECK(r.error->code == "RequestTimeTooSkewed");
        CHECK(r.error->status == 403);
      } else {
        CHECK(r.error->code == "InvalidSignatureException");
        CHECK(r.error->message == "Signature expired: 20260115T123045Z is now earlier than 20260115T123046Z "
                                  "(20260115T124546Z - 15 min.)");
      }
      auto early = build(c);
      CHECK(a.authenticate(early, kind, now - 901).error.has_value());
      auto edge = build(c);
      CHECK_FALSE(a.authenticate(edge, kind, now + 900).error.has_value());
    } else if (is_presigned(c)) {
      int64_t expires = c["expires"];
      int64_t deadline = now + expires;  // SigV4: X-Amz-Date + X-Amz-Expires; SigV2: Expires
      auto ok = build(c);
      CHECK_FALSE(a.authenticate(ok, kind, deadline).error.has_value());
      auto expired = build(c);
      auto r = a.authenticate(expired, kind, deadline + 1);
      REQUIRE(r.error.has_value());
      CHECK(r.error->code == "AccessDenied");
      CHECK(r.error->message == "Request has expired");
      CHECK(r.error->status == 403);
    }
  }
}

TEST_CASE("unknown keys: accepted in verify mode, refused in strict mode; off skips checks", "[auth][sigv4]") {
  auth::Accounts only_default;
  auth::Authenticator verify(only_default, auth::Mode::kVerify);
  auth::Authenticator strict(only_default, auth::Mode::kStrict);
  auto wrong = accounts_with("wrong");
  auth::Authenticator off(wrong, auth::Mode::kOff);
  for (auto& c : cases()) {
    INFO(c["name"].get<std::string>());
    auto kind = service_of(c);
    auto r1 = build(c);
    auto v = verify.authenticate(r1, kind, c["now"]);
    CHECK_FALSE(v.error.has_value());
    CHECK(v.principal.account_id == "000000000000");
    CHECK(v.principal.access_key_id == "AKIDEXAMPLE");
    auto r2 = build(c);
    auto s = strict.authenticate(r2, kind, c["now"]);
    REQUIRE(s.error.has_value());
    if (kind == ServiceKind::kS3) {
      CHECK(s.error->code == "InvalidAccessKeyId");
      CHECK(s.error->status == 403);
      CHECK(s.error->message == "The AWS Access Key Id you provided does not exist in our records.");
    } else {
      CHECK(s.error->code == "UnrecognizedClientException");
      CHECK(s.error->status == 400);
      CHECK(s.error->message == "The security token included in the request is invalid.");
    }
    auto r3 = build(c);
    auto o = off.authenticate(r3, kind, c["now"].get<int64_t>() + 100000);
    CHECK_FALSE(o.error.has_value());
    CHECK(o.principal.account_id == "111122223333");
  }
}
