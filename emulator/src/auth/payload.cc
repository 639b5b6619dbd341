#include "auth/payload.h"

#include <optional>

#include "auth/sigv4.h"
#include "common/crypto.h"
#include "common/strings.h"

namespace localaws::auth {

Sha256VerifyingBody::Sha256VerifyingBody(std::unique_ptr<http::Body> raw, std::string expected_hex)
    : raw_(std::move(raw)), expected_hex_(to_lower(expected_hex)) {}

std::optional<http::BodyError> Sha256VerifyingBody::read(const http::Sink& sink) {
  consumed_ = true;
  std::optional<Digest> digest;  // made at the first byte: most bodies checked here are empty (GET)
  auto err = raw_->read([&](const char* data, size_t len) {
    if (len == 0) return true;
    if (!digest) digest.emplace(Digest::Kind::kSha256);
    digest->update(data, len);
    return sink(data, len);
  });
  if (err) return err;
  computed_hex_ = digest ? to_hex(digest->final()) : std::string(sigv4::kEmptySha256);
  if (computed_hex_ != expected_hex_) {
    return http::BodyError{400, "XAmzContentSHA256Mismatch",
                           "The provided 'x-amz-content-sha256' header does not match what was computed."};
  }
  return std::nullopt;
}

}  // namespace localaws::auth
