// The errors each malformed or unacceptable request gets, per service: code, status, message
// (AWS's texts), and the extra S3 <Error> fields.
#include <catch2/catch.hpp>

#include "auth/authenticator.h"
#include "auth/sigv2.h"
#include "auth/sigv4.h"
#include "common/crypto.h"
#include "auth_test_util.h"
#include "common/time.h"

using namespace localaws;
using auth::ServiceKind;

namespace {

const int64_t kNow = 1768480245;  // 2026-01-15T12:30:45Z
const char* kDate = "20260115T123045Z";

std::string authz(const std::string& credential, const std::string& rest = ", SignedHeaders=host;x-amz-date, Signature=abcd") {
  return "AWS4-HMAC-SHA256 Credential=" + credential + rest;
}

http::Request req_with(std::vector<std::pair<std::string, std::string>> headers, const std::string& target = "/bucket/key",
                       std::string body = "") {
  headers.insert(headers.begin(), {"Host", "localhost:4566"});
  return testing::make_request("PUT", target, headers, std::make_unique<http::StringBody>(std::move(body)));
}

auth::AuthError fail(const auth::Authenticator& a, http::Request req, ServiceKind s, int64_t now = kNow) {
  auto r = a.authenticate(req, s, now);
  REQUIRE(r.error.has_value());
  return *r.error;
}

}  // namespace

TEST_CASE("S3 header auth needs x-amz-content-sha256, and a valid one", "[auth][errors]") {
  auth::Accounts accounts;
  auth::Authenticator a(accounts, auth::Mode::kVerify);
  auto e = fail(a, req_with({{"x-amz-date", kDate}, {"Authorization", authz("test/20260115/us-east-1/s3/aws4_request")}}),
                ServiceKind::kS3);
  CHECK(e.status == 400);
  CHECK(e.code == "InvalidRequest");
  CHECK(e.message == "Missing required header for this request: x-amz-content-sha256");
  e = fail(a, req_with({{"x-amz-date", kDate}, {"x-amz-content-sha256", "abc"},
                        {"Authorization", authz("test/20260115/us-east-1/s3/aws4_request")}}),
           ServiceKind::kS3);
  CHECK(e.status == 400);
  CHECK(e.code == "InvalidArgument");
  CHECK(e.extra.at(0) == std::pair<std::string, std::string>("ArgumentName", "x-amz-content-sha256"));
}

TEST_CASE("malformed Authorization headers", "[auth][errors]") {
  auth::Accounts accounts;
  auth::Authenticator a(accounts, auth::Mode::kVerify);
  std::string incomplete = "AWS4-HMAC-SHA256 Credential=test/20260115/us-east-1/s3/aws4_request";
  auto e = fail(a, req_with({{"x-amz-date", kDate}, {"Authorization", incomplete}}), ServiceKind::kS3);
  CHECK(e.status == 400);
  CHECK(e.code == "AuthorizationHeaderMalformed");
  CHECK(e.message == "The authorization header is malformed; the authorization header requires three components: "
                     "Credential, SignedHeaders, and Signature.");
  e = fail(a, req_with({{"x-amz-date", kDate}, {"Authorization", incomplete}}), ServiceKind::kDynamoDB);
  CHECK(e.status == 400);
  CHECK(e.code == "IncompleteSignatureException");
  CHECK(e.message == "Authorization header requires 'Signature' parameter. Authorization header requires "
                     "'SignedHeaders' parameter. Authorization=" + incomplete);

  e = fail(a, req_with({{"x-amz-date", kDate}, {"Authorization", authz("test/20260115/us-east-1")}}), ServiceKind::kS3);
  CHECK(e.code == "AuthorizationHeaderMalformed");
  CHECK(e.message == "The authorization header is malformed; the Credential is mal-formed; expecting "
                     "\"<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request\".");
  e = fail(a, req_with({{"x-amz-date", kDate}, {"Authorization", authz("test/20260115/us-east-1")}}), ServiceKind::kDynamoDB);
  CHECK(e.code == "IncompleteSignatureException");

  e = fail(a, req_with({{"Authorization", "Bearer token"}}), ServiceKind::kS3);
  CHECK(e.code == "InvalidArgument");
  CHECK(e.message == "Unsupported Authorization Type");
  e = fail(a, req_with({{"Authorization", "Bearer token"}}), ServiceKind::kDynamoDB);
  CHECK(e.code == "IncompleteSignatureException");
}

TEST_CASE("credential scope: service, terminator, date", "[auth][errors]") {
  auth::Accounts accounts;
  auth::Authenticator a(accounts, auth::Mode::kVerify);
  auto e = fail(a, req_with({{"x-amz-date", kDate}, {"x-amz-content-sha256", "UNSIGNED-PAYLOAD"},
                             {"Authorization", authz("test/20260115/us-east-1/dynamodb/aws4_request")}}),
                ServiceKind::kS3);
  CHECK(e.status == 400);
  CHECK(e.code == "AuthorizationHeaderMalformed");
  CHECK(e.message == "The authorization header is malformed; incorrect service \"dynamodb\". This endpoint belongs to \"s3\".");
  e = fail(a, req_with({{"x-amz-date", kDate}, {"Authorization", authz("test/20260115/us-east-1/s3/aws4_request")}}, "/", "{}"),
           ServiceKind::kDynamoDB);
  CHECK(e.status == 400);
  CHECK(e.code == "InvalidSignatureException");
  CHECK(e.message == "Credential should be scoped to correct service: 'dynamodb'. ");
  e = fail(a, req_with({{"x-amz-date", kDate}, {"Authorization", authz("test/20260115/us-east-1/s3/aws5_request")}}),
           ServiceKind::kS3);
  CHECK(e.code == "AuthorizationHeaderMalformed");
  e = fail(a, req_with({{"x-amz-date", kDate}, {"Authorization", authz("test/20260114/us-east-1/s3/aws4_request")}}),
           ServiceKind::kS3);
  CHECK(e.code == "AuthorizationHeaderMalformed");
  CHECK(e.message == "The authorization header is malformed; Invalid credential date. Date is not the same as X-Amz-Date.");
}

TEST_CASE("dates: missing, skewed", "[auth][errors]") {
  auth::Accounts accounts;
  auth::Authenticator a(accounts, auth::Mode::kVerify);
  std::string cred = "test/20260115/us-east-1/s3/aws4_request";
  auto e = fail(a, req_with({{"Authorization", authz(cred)}}), ServiceKind::kS3);
  CHECK(e.status == 403);
  CHECK(e.code == "AccessDenied");
  CHECK(e.message == "AWS authentication requires a valid Date or x-amz-date header");
  e = fail(a, req_with({{"Authorization", authz(cred)}}, "/", "{}"), ServiceKind::kDynamoDB);
  CHECK(e.code == "IncompleteSignatureException");

  e = fail(a, req_with({{"x-amz-date", kDate}, {"Authorization", authz(cred)}}), ServiceKind::kS3, kNow + 3600);
  CHECK(e.status == 403);
  CHECK(e.code == "RequestTimeTooSkewed");
  CHECK(e.message == "The difference between the request time and the current time is too large.");
  REQUIRE(e.extra.size() == 3);
  CHECK(e.extra[0] == std::pair<std::string, std::string>("RequestTime", kDate));
  CHECK(e.extra[1] == std::pair<std::string, std::string>("ServerTime", "2026-01-15T13:30:45Z"));
  CHECK(e.extra[2] == std::pair<std::string, std::string>("MaxAllowedSkewMilliseconds", "900000"));

  std::string ddb_cred = "test/20260115/us-east-1/dynamodb/aws4_request";
  e = fail(a, req_with({{"x-amz-date", kDate}, {"Authorization", authz(ddb_cred)}}, "/", "{}"), ServiceKind::kDynamoDB,
           kNow - 3600);
  CHECK(e.code == "InvalidSignatureException");
  CHECK(e.message == "Signature not yet current: 20260115T123045Z is still later than 20260115T114545Z "
                     "(20260115T113045Z + 15 min.)");
  // The HTTP Date header is accepted instead of X-Amz-Date.
  e = fail(a, req_with({{"Date", http_date(kNow)}, {"Authorization", authz(cred)}}), ServiceKind::kS3, kNow + 3600);
  CHECK(e.code == "RequestTimeTooSkewed");
}

TEST_CASE("requests without a signature", "[auth][errors]") {
  auth::Accounts accounts;
  auth::Authenticator a(accounts, auth::Mode::kStrict);
  auto req = req_with({}, "/bucket/key", "public upload");
  auto r = a.authenticate(req, ServiceKind::kS3, kNow);
  CHECK_FALSE(r.error.has_value());
  CHECK(r.principal.anonymous);
  CHECK(r.principal.arn() == "*");
  auto e = fail(a, req_with({}, "/", "{}"), ServiceKind::kDynamoDB);
  CHECK(e.status == 400);
  CHECK(e.code == "MissingAuthenticationTokenException");
  CHECK(e.message == "Request is missing Authentication Token");
}

TEST_CASE("presigned query parameters", "[auth][errors]") {
  auth::Accounts accounts;
  auth::Authenticator a(accounts, auth::Mode::kVerify);
  std::string base = "/bucket/key?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=test%2F20260115%2Fus-east-1%2Fs3%2F"
                     "aws4_request&X-Amz-Date=20260115T123045Z&X-Amz-SignedHeaders=host&X-Amz-Signature=00";
  struct Bad {
    std::string target;
    std::string message;
  } bad[] = {
      {base, "Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, "
             "X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters."},
      {base + "&X-Amz-Expires=604801", "X-Amz-Expires must be less than a week (in seconds); that is, the given "
                                       "X-Amz-Expires must be less than 604800 seconds"},
      {base + "&X-Amz-Expires=-1", "X-Amz-Expires must be non-negative"},
      {base + "&X-Amz-Expires=soon", "X-Amz-Expires should be a number"},
      {"/k?X-Amz-Algorithm=AWS4-HMAC-SHA1&X-Amz-Credential=a%2Fb%2Fc%2Fd%2Fe&X-Amz-Date=20260115T123045Z&"
       "X-Amz-SignedHeaders=host&X-Amz-Signature=00&X-Amz-Expires=5",
       "X-Amz-Algorithm only supports \"AWS4-HMAC-SHA256\""},
      {"/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=test%2F20260115%2Fus-east-1%2Fs3%2Faws4_request&"
       "X-Amz-Date=2026-01-15&X-Amz-SignedHeaders=host&X-Amz-Signature=00&X-Amz-Expires=5",
       "X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\""},
  };
  for (auto& b : bad) {
    INFO(b.target);
    auto e = fail(a, req_with({}, b.target), ServiceKind::kS3);
    CHECK(e.status == 400);
    CHECK(e.code == "AuthorizationQueryParametersError");
    CHECK(e.message == b.message);
  }
  auto e = fail(a, req_with({}, base + "&X-Amz-Expires=60"), ServiceKind::kS3, kNow + 61);
  CHECK(e.status == 403);
  CHECK(e.code == "AccessDenied");
  CHECK(e.message == "Request has expired");
  REQUIRE(e.extra.size() == 3);
  CHECK(e.extra[0] == std::pair<std::string, std::string>("X-Amz-Expires", "60"));
  CHECK(e.extra[1] == std::pair<std::string, std::string>("Expires", "2026-01-15T12:31:45Z"));
  CHECK(e.extra[2] == std::pair<std::string, std::string>("ServerTime", "2026-01-15T12:31:46Z"));
  // X-Amz-Expires=0 has expired at once; an X-Amz-Date over 15 minutes ahead is not valid yet.
  e = fail(a, req_with({}, base + "&X-Amz-Expires=0"), ServiceKind::kS3, kNow);
  CHECK(e.message == "Request has expired");
  e = fail(a, req_with({}, base + "&X-Amz-Expires=60"), ServiceKind::kS3, kNow - 901);
  CHECK(e.status == 403);
  CHECK(e.message == "Request is not yet valid");
  REQUIRE(e.extra.size() == 3);
  CHECK(e.extra[0].first == "X-Amz-Date");
  CHECK(e.extra[1] == std::pair<std::string, std::string>("Expires", "2026-01-15T12:31:45Z"));
  // Header and query auth together.
  e = fail(a, req_with({{"Authorization", authz("test/20260115/us-east-1/s3/aws4_request")}}, base + "&X-Amz-Expires=60"),
           ServiceKind::kS3);
  CHECK(e.status == 400);
  CHECK(e.code == "InvalidArgument");
  CHECK(e.message.rfind("Only one auth mechanism allowed", 0) == 0);
}

TEST_CASE("unknown keys: default account, 12-digit account ids, strict refusal", "[auth][errors]") {
  auth::Accounts accounts;
  auth::Authenticator verify(accounts, auth::Mode::kVerify);
  auth::Authenticator strict(accounts, auth::Mode::kStrict);
  auto make = [](const std::string& key) {
    return req_with({{"x-amz-date", kDate}, {"x-amz-content-sha256", "UNSIGNED-PAYLOAD"},
                     {"Authorization", authz(key + "/20260115/eu-west-3/s3/aws4_request")}});
  };
  auto twelve = make("123456789012");
  auto r = verify.authenticate(twelve, ServiceKind::kS3, kNow);
  REQUIRE_FALSE(r.error.has_value());
  CHECK(r.principal.account_id == "123456789012");
  CHECK(r.principal.canonical_user_id == auth::Accounts::derive_canonical_id("123456789012"));
  CHECK(r.principal.arn() == "arn:aws:iam::123456789012:root");
  auto fake = make("AKIAFAKE");
  auto r2 = verify.authenticate(fake, ServiceKind::kS3, kNow);
  REQUIRE_FALSE(r2.error.has_value());
  CHECK(r2.principal.account_id == "000000000000");
  auto e = fail(strict, make("123456789012"), ServiceKind::kS3);
  CHECK(e.code == "InvalidAccessKeyId");
  CHECK(e.access_key_id == "123456789012");
}

TEST_CASE("DynamoDB bodies are bounded", "[auth][errors]") {
  auth::Accounts accounts;
  auth::Authenticator a(accounts, auth::Mode::kVerify);
  std::string huge(auth::Authenticator::kMaxJsonBody + 1, ' ');
  auto e = fail(a, req_with({{"x-amz-date", kDate}, {"Authorization", authz("test/20260115/us-east-1/dynamodb/aws4_request")}},
                            "/", huge),
                ServiceKind::kDynamoDB);
  CHECK(e.status == 413);
}

TEST_CASE("a presigned URL may sign a payload digest in X-Amz-Content-Sha256", "[auth][errors]") {
  // The JS SDK puts X-Amz-Content-Sha256 in presigned URLs; a digest there is verified.
  auth::Accounts accounts;
  auth::Authenticator a(accounts, auth::Mode::kVerify);
  std::string body = "presigned payload";
  std::string digest = sha256_hex(body);
  std::string query = "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Content-Sha256=" + digest +
                      "&X-Amz-Credential=test%2F20260115%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20260115T123045Z"
                      "&X-Amz-Expires=300&X-Amz-SignedHeaders=host";
  std::string canonical = auth::sigv4::canonical_request(
      {"PUT", "/bucket/key", query, "host:localhost:4566\n", "host", digest});
  std::string key = auth::sigv4::derive_signing_key("test", "20260115", "us-east-1", "s3");
  std::string sig = auth::sigv4::signature(
      key, auth::sigv4::string_to_sign(kDate, "20260115/us-east-1/s3/aws4_request", canonical));
  for (std::string sent : {body, std::string("something else")}) {
    auto req = req_with({}, "/bucket/key?" + query + "&X-Amz-Signature=" + sig, sent);
    auto r = a.authenticate(req, ServiceKind::kS3, kNow);
    REQUIRE_FALSE(r.error.has_value());
    std::string out;
    auto err = testing::drain(*req.body, out);
    if (sent == body) {
      CHECK_FALSE(err.has_value());
    } else {
      REQUIRE(err.has_value());
      CHECK(err->code == "XAmzContentSHA256Mismatch");
    }
  }
}

TEST_CASE("SigV2 header auth for a virtual-hosted request signs /bucket + path", "[auth][errors]") {
  auth::Accounts accounts;
  auth::Authenticator a(accounts, auth::Mode::kVerify);
  std::string date = http_date(kNow);
  std::string sts = "GET\n\n\n" + date + "\n/my.bucket/photo.jpg?acl";
  auto req = testing::make_request("GET", "/photo.jpg?acl",
                                   {{"Host", "my.bucket.s3.localhost:4566"}, {"Date", date},
                                    {"Authorization", "AWS test:" + auth::sigv2::sign("test", sts)}});
  auto r = a.authenticate(req, ServiceKind::kS3, kNow);
  CHECK_FALSE(r.error.has_value());
  auto bad = testing::make_request("GET", "/photo.jpg?acl",
                                   {{"Host", "my.bucket.s3.localhost:4566"}, {"Date", date},
                                    {"Authorization", "AWS test:" + auth::sigv2::sign("other", sts)}});
  auto e = fail(a, std::move(bad), ServiceKind::kS3);
  CHECK(e.code == "SignatureDoesNotMatch");
  CHECK(e.string_to_sign == "GET\n\n\n" + date + "\n/photo.jpg?acl");
  auto skewed = testing::make_request("GET", "/photo.jpg",
                                      {{"Host", "localhost"}, {"Date", http_date(kNow - 1000)},
                                       {"Authorization", "AWS test:x"}});
  CHECK(fail(a, std::move(skewed), ServiceKind::kS3).code == "RequestTimeTooSkewed");
}

TEST_CASE("S3 refuses x-amz-* headers that were not signed", "[auth][errors]") {
  auth::Accounts accounts;
  auth::Authenticator a(accounts, auth::Mode::kVerify);
  auto e = fail(a, req_with({{"x-amz-date", kDate}, {"x-amz-content-sha256", "UNSIGNED-PAYLOAD"},
                             {"x-amz-acl", "public-read"}, {"x-amz-meta-a", "1"},
                             {"Authorization", authz("test/20260115/us-east-1/s3/aws4_request")}}),
                ServiceKind::kS3);
  CHECK(e.status == 403);
  CHECK(e.code == "AccessDenied");
  CHECK(e.message == "There were headers present in the request which were not signed");
  REQUIRE(e.extra.size() == 1);
  CHECK(e.extra[0] == std::pair<std::string, std::string>("HeadersNotSigned", "x-amz-acl, x-amz-meta-a"));
  // Host must be signed too.
  e = fail(a, req_with({{"x-amz-date", kDate}, {"x-amz-content-sha256", "UNSIGNED-PAYLOAD"},
                        {"Authorization", authz("test/20260115/us-east-1/s3/aws4_request", ", SignedHeaders=x-amz-date, Signature=ab")}}),
           ServiceKind::kS3);
  CHECK(e.extra.at(0).second == "host");
}
