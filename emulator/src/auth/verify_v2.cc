// SigV2 verification (S3 only): "Authorization: AWS key:signature" and presigned
// AWSAccessKeyId/Expires/Signature URLs.
#include "auth/authenticator.h"
#include "auth/body_mode.h"
#include "auth/errors.h"
#include "auth/sigv2.h"
#include "auth/sigv4.h"
#include "common/strings.h"
#include "common/time.h"

namespace localaws::auth {

AuthResult Authenticator::verify_v2(http::Request& req, bool presigned, int64_t now_s) const {
  constexpr ServiceKind kS3 = ServiceKind::kS3;
  AuthResult r;
  std::string access_key, signature, date_line;
  if (presigned) {
    access_key = *req.query_param("AWSAccessKeyId");
    signature = *req.query_param("Signature");
  } else if (!sigv2::parse_authorization(*req.header("authorization"), access_key, signature)) {
    r.error = errors::s3_invalid_argument("AWS authorization header is invalid.  Expected AwsAccessKeyId:signature",
                                          "Authorization", *req.header("authorization"));
    return r;
  }
  const Account* account = nullptr;
  if (settle_key(req, kS3, access_key, r, account)) return r;
  const std::string* claimed = req.header("x-amz-content-sha256");
  Payload mode = classify_payload(claimed);
  if (presigned) {
    auto* expires = req.query_param("Expires");
    auto at = expires ? parse_i64(*expires) : std::nullopt;
    if (!at) {
      r.error = errors::s3(403, "AccessDenied", "Query-string authentication requires the Signature, Expires and "
                                                "AWSAccessKeyId parameters");
      return r;
    }
    if (now_s > *at) {
      r.error = errors::presign_expired(kS3, -1, *at, now_s);
      return r;
    }
    date_line = *expires;
  } else {
    // With x-amz-date the Date line of the string to sign is empty (S3's SigV2 rule).
    std::optional<int64_t> t;
    std::string sent;
    if (auto* xd = req.header("x-amz-date")) {
      sent = trim(*xd);
      t = sigv2::parse_date(sent);
      if (!t) t = parse_iso8601_basic(sent);
    } else if (auto* d = req.header("date")) {
      sent = trim(*d);
      t = sigv2::parse_date(sent);
      date_line = sent;
    }
    if (!t) {
      r.error = errors::missing_date(kS3, "");
      return r;
    }
    if (*t < now_s - 900 || *t > now_s + 900) {
      r.error = errors::time_skewed(kS3, sent, *t, now_s);
      return r;
    }
  }
  if (mode == Payload::kInvalid) {
    r.error = invalid_content_sha256(*req.header("x-amz-content-sha256"));
    return r;
  }
  if (!account) {
    wrap_s3_body(req, mode, claimed ? *claimed : "");
    return r;
  }
  // Path-style resource first; a bucket-level path-style request may also be signed as "/bucket/"
  // (botocore's HmacV1 signs that form while it sends "/bucket"); a virtual-hosted request signs
  // "/bucket" + path.
  std::string resource = sigv2::canonical_resource(req.raw_path, req.raw_query);
  std::string sts = sigv2::string_to_sign(req, date_line, presigned, resource);
  auto matches = [&](const std::string& path, bool documented_only) {
    std::string other = sigv2::string_to_sign(req, date_line, presigned,
                                              sigv2::canonical_resource(path, req.raw_query, documented_only));
    return sigv4::signatures_equal(sigv2::sign(account->secret_access_key, other), signature);
  };
  bool ok = sigv4::signatures_equal(sigv2::sign(account->secret_access_key, sts), signature);
  if (!ok && req.raw_path.size() > 1 && req.raw_path.find('/', 1) == std::string::npos)
    ok = matches(req.raw_path + "/", false);
  std::string bucket = sigv2::virtual_host_bucket(req);
  if (!ok && !bucket.empty()) ok = matches("/" + bucket + req.raw_path, false);
  // A signer that includes only the documented sub-resources (s3cmd signs ?tagging requests
  // without "?tagging"), path style or virtual-hosted.
  if (!ok && sigv2::canonical_resource(req.raw_path, req.raw_query, true) != resource) {
    ok = matches(req.raw_path, true);
    if (!ok && !bucket.empty()) ok = matches("/" + bucket + req.raw_path, true);
  }
  if (!ok) {
    r.error = errors::signature_mismatch(kS3, access_key, sts, "", signature);
    return r;
  }
  wrap_s3_body(req, mode, claimed ? *claimed : "");
  return r;
}

}  // namespace localaws::auth
