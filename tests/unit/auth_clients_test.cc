// Requests exactly as boto3, the aws CLI and the JS SDK v3 sent them (captured by
// tests/tools/capture_client_requests.py, credentials test/test): their signatures verify, their
// bodies decode to what the client uploaded (aws-chunked included, however the bytes are split),
// the CRC32 they announce matches the decoded bytes, and a wrong secret is refused.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>
#include <random>

#include "auth/authenticator.h"
#include "auth_test_util.h"
#include "common/crypto.h"
#include "common/time.h"

using namespace localaws;
using nlohmann::json;

namespace {

const json& requests() {
  static const json all = testing::load_data("client_requests.json")["requests"];
  return all;
}

std::string b64(const json& v) {
  std::string out;
  REQUIRE(base64_decode(v.get<std::string>(), out));
  return out;
}

http::Request build(const json& r, std::vector<size_t> pieces) {
  std::vector<std::pair<std::string, std::string>> headers;
  for (auto& h : r["headers"]) headers.emplace_back(h[0], h[1]);
  return testing::make_request(r["method"], r["target"], headers,
                               std::make_unique<testing::PiecewiseBody>(b64(r["body_b64"]), std::move(pieces)));
}

// When the client signed: X-Amz-Date (header, or query for SigV4 presigned URLs), or a minute
// before a SigV2 presigned URL's Expires.
int64_t signed_at(const http::Request& req) {
  if (auto t = parse_iso8601_basic(req.header_or("x-amz-date"))) return *t;
  if (auto* q = req.query_param("X-Amz-Date")) return parse_iso8601_basic(*q).value();
  return parse_i64(*req.query_param("Expires")).value() - 60;
}

}  // namespace

TEST_CASE("real client requests verify and decode", "[auth][clients]") {
  REQUIRE(requests().size() >= 10);
  auth::Accounts accounts;  // test/test
  auth::Authenticator strict(accounts, auth::Mode::kStrict);
  std::mt19937 rng(7);
  int chunked = 0, crc_checked = 0;
  for (auto& r : requests()) {
    for (int round = 0; round < 3; round++) {
      INFO(r["client"].get<std::string>() << " " << r["name"].get<std::string>() << " round " << round);
      std::vector<size_t> pieces;
      if (round == 1) pieces = {1};
      if (round == 2) {
        for (int i = 0; i < 40; i++) pieces.push_back(std::uniform_int_distribution<size_t>(1, 3000)(rng));
      }
      auto req = build(r, pieces);
      auto now = signed_at(req);
      auto kind = r["service"] == "s3" ? auth::ServiceKind::kS3 : auth::ServiceKind::kDynamoDB;
      auto res = strict.authenticate(req, kind, now + 3);
      if (res.error) FAIL(res.error->code + ": " + res.error->message + "\n" + res.error->canonical_request);
      CHECK(res.principal.account_id == "000000000000");
      std::string body;
      auto err = testing::drain(*req.body, body);
      REQUIRE_FALSE(err.has_value());
      if (kind == auth::ServiceKind::kDynamoDB) {
        CHECK(body == b64(r["body_b64"]));
        continue;
      }
      CHECK(body == b64(r["payload_b64"]));
      if (req.header_or("content-encoding").find("aws-chunked") != std::string::npos) {
        chunked++;
        CHECK(req.body->length() == body.size());
      }
      // The CRC32 the client announced (header or trailer) is the CRC32 of the decoded bytes:
      // what the S3 service will compare once it stores objects.
      std::string announced = req.header_or("x-amz-checksum-crc32");
      if (auto it = req.body->trailers().find("x-amz-checksum-crc32"); it != req.body->trailers().end()) {
        announced = it->second;
      }
      if (!announced.empty()) {
        CHECK(announced == base64_encode(be32(crc32_update(0, body.data(), body.size()))));
        crc_checked++;
      }
    }
  }
  CHECK(chunked >= 3);      // the JS SDK's streamed upload, in three splittings
  CHECK(crc_checked >= 9);  // boto3, the CLI and the JS SDK all announce CRC32 by default
}

TEST_CASE("real client requests with a wrong secret are refused", "[auth][clients]") {
  auth::Accounts accounts;
  accounts.add({"test", "not-test", "000000000000", "", "", ""});
  auth::Authenticator verify(accounts, auth::Mode::kVerify);
  for (auto& r : requests()) {
    INFO(r["client"].get<std::string>() << " " << r["name"].get<std::string>());
    auto req = build(r, {});
    auto kind = r["service"] == "s3" ? auth::ServiceKind::kS3 : auth::ServiceKind::kDynamoDB;
    auto res = verify.authenticate(req, kind, signed_at(req));
    REQUIRE(res.error.has_value());
    CHECK(res.error->code == (kind == auth::ServiceKind::kS3 ? "SignatureDoesNotMatch" : "InvalidSignatureException"));
  }
}
