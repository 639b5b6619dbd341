#include "auth/body_mode.h"

#include "auth/errors.h"
#include "auth/payload.h"
#include "common/crypto.h"
#include "common/strings.h"

namespace localaws::auth {

namespace {

bool says_aws_chunked(const http::Request& req) {
  for (auto& coding : split(req.header_joined("content-encoding"), ',')) {
    if (iequals(trim(coding), "aws-chunked")) return true;
  }
  return false;
}

}  // namespace

Payload classify_payload(const std::string* v) {
  if (!v) return Payload::kAbsent;
  if (*v == sigv4::kUnsignedPayload) return Payload::kUnsigned;
  if (*v == sigv4::kStreamingSigned) return Payload::kStreamingSigned;
  if (*v == sigv4::kStreamingSignedTrailer) return Payload::kStreamingSignedTrailer;
  if (*v == sigv4::kStreamingUnsignedTrailer) return Payload::kStreamingUnsignedTrailer;
  if (sigv4::is_sha256_hex(*v)) return Payload::kSha256;
  return Payload::kInvalid;
}

AuthError invalid_content_sha256(const std::string& value) {
  return errors::s3_invalid_argument(
      "x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-UNSIGNED-PAYLOAD-TRAILER, "
      "STREAMING-AWS4-HMAC-SHA256-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER, "
      "STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD, STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER or a valid "
      "sha256 value.",
      "x-amz-content-sha256", value);
}

void wrap_s3_body(http::Request& req, Payload mode, std::string_view claimed_sha256,
                  std::optional<ChunkSigning> signing) {
  if (is_streaming(mode) || says_aws_chunked(req)) {
    std::optional<uint64_t> decoded_length;
    if (auto* v = req.header("x-amz-decoded-content-length")) decoded_length = parse_u64(trim(*v));
    std::vector<std::string> trailers;
    for (auto& name : split(req.header_joined("x-amz-trailer"), ',')) {
      std::string n = to_lower(trim(name));
      if (!n.empty()) trailers.push_back(std::move(n));
    }
    req.body = std::make_unique<AwsChunkedBody>(std::move(req.body), std::move(signing), std::move(trailers),
                                                decoded_length);
    return;
  }
  if (mode == Payload::kSha256 && !claimed_sha256.empty()) {
    req.body = std::make_unique<Sha256VerifyingBody>(std::move(req.body), std::string(claimed_sha256));
  }
}

std::optional<AuthError> load_json_body(http::Request& req, std::string& sha256_hex_out) {
  std::string data;
  if (auto err = http::read_all(*req.body, Authenticator::kMaxJsonBody, data)) {
    if (err->code == "MaxMessageLengthExceeded") {
      AuthError e = errors::ddb("RequestEntityTooLarge", "Request Entity Too Large");
      e.status = 413;
      return e;
    }
    return errors::ddb("SerializationException", err->message);
  }
  sha256_hex_out = sha256_hex(data);
  req.body = std::make_unique<http::StringBody>(std::move(data));
  return std::nullopt;
}

bool is_streaming(Payload p) {
  return p == Payload::kStreamingSigned || p == Payload::kStreamingSignedTrailer ||
         p == Payload::kStreamingUnsignedTrailer;
}

}  // namespace localaws::auth
