// How the body of an authenticated request is handed on: the S3 payload modes of
// x-amz-content-sha256 and the wrapping of req.body they call for, and DynamoDB's JSON body,
// read up front because its hash is signed.
#pragma once
#include <optional>
#include <string>
#include <string_view>

#include "auth/authenticator.h"
#include "auth/chunked.h"

namespace localaws::auth {

// How an S3 request's payload is covered by its signature (x-amz-content-sha256).
enum class Payload {
  kAbsent,
  kSha256,
  kUnsigned,
  kStreamingSigned,
  kStreamingSignedTrailer,
  kStreamingUnsignedTrailer,
  kInvalid
};
Payload classify_payload(const std::string* header_value);
bool is_streaming(Payload p);

// S3 400 InvalidArgument for an x-amz-content-sha256 that is neither a mode nor a digest.
AuthError invalid_content_sha256(const std::string& value);

// Replaces req.body for S3: aws-chunked framing is decoded whenever the payload mode or
// Content-Encoding says so (in every auth mode), and in mode kSha256 the body is verified while
// streaming against `claimed_sha256` (empty: not verified). `signing` is given only for the
// signed streaming modes.
void wrap_s3_body(http::Request& req, Payload mode, std::string_view claimed_sha256,
                  std::optional<ChunkSigning> signing = std::nullopt);

// Reads a DynamoDB body (at most Authenticator::kMaxJsonBody bytes), makes req.body a
// StringBody holding it and gives its hex SHA-256. Errors are DynamoDB's (413 when too large).
std::optional<AuthError> load_json_body(http::Request& req, std::string& sha256_hex_out);

}  // namespace localaws::auth
