#include "auth/payload.h"

#include "common/crypto.h"
#include "common/strings.h"

namespace localaws::auth {

Sha256VerifyingBody::Sha256VerifyingBody(std::unique_ptr<http::Body> raw, std::string expected_hex)
    : raw_(std::move(raw)), expected_hex_(to_lower(expected_hex)) {}

std::optional<http::BodyError> Sha256VerifyingBody::read(const http::Sink& sink) {
  consumed_ = true;
  Digest digest(Digest::Kind::kSha256);
  auto err = raw_->read([&](const char* data, size_t len) {
    digest.update(data, len);
    return sink(data, len);
  });
  if (err) return err;
  computed_hex_ = to_hex(digest.final());
  if (computed_hex_ != expected_hex_) {
    return http::BodyError{400, "XAmzContentSHA256Mismatch",
                           "The provided 'x-amz-content-sha256' header does not match what was computed."};
  }
  return std::nullopt;
}

}  // namespace localaws::auth
