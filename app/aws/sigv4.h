// AWS Signature Version 4: the Authorization header and presigned query strings.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html
#pragma once
#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace aws {

struct Credentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;  // empty for long-term keys
  bool empty() const { return access_key_id.empty() || secret_access_key.empty(); }
};

using Pairs = std::vector<std::pair<std::string, std::string>>;

// RFC 3986 percent-encoding as SigV4 wants it: unreserved characters kept, everything else %XX
// (upper-case hex); '/' kept unless encode_slash.
std::string uri_encode(std::string_view s, bool encode_slash);

struct SignableRequest {
  std::string method;
  std::string canonical_uri;  // the path exactly as sent on the wire (already encoded), "/" at least
  Pairs query;                // decoded names and values
  Pairs headers;              // lower-case names; must contain "host"; every one is signed
  std::string payload_sha256; // hex digest of the body, or "UNSIGNED-PAYLOAD"
};

struct SigningScope {
  std::string region;
  std::string service;  // "s3", "dynamodb"
  std::chrono::system_clock::time_point time;
};

// The canonical query string: names and values encoded, sorted by name then value.
std::string canonical_query(const Pairs& query);

// Adds x-amz-date, x-amz-security-token (with a session token) and authorization to req.headers.
void sign_headers(SignableRequest& req, const Credentials& creds, const SigningScope& scope);

// The encoded query string (no leading '?') of a presigned URL for req: its own query plus the
// X-Amz-* parameters. Only host is signed and the payload is UNSIGNED-PAYLOAD, as S3 expects.
// REQUIRES: 1 <= expires_seconds <= 604800 (seven days, the SigV4 maximum).
std::string presign_query(const SignableRequest& req, const Credentials& creds, const SigningScope& scope,
                          int expires_seconds);

// 20150830T123600Z
std::string amz_date(std::chrono::system_clock::time_point t);

}  // namespace aws
