// A body whose SHA-256 the client announced in x-amz-content-sha256: bytes stream through to
// the reader unchanged while being hashed, and the end of the stream is only reported as
// success when the digest matches. The receiver must treat an error from read() as "discard
// what you got" (S3 deletes its temp blob), since the mismatch is only known at the end.
#pragma once
#include <memory>
#include <string>

#include "http/body.h"

namespace localaws::auth {

class Sha256VerifyingBody : public http::Body {
 public:
  // expected_hex: the client's claim (64 hex characters, any case).
  Sha256VerifyingBody(std::unique_ptr<http::Body> raw, std::string expected_hex);
  // On mismatch: 400 XAmzContentSHA256Mismatch. The computed digest is then in computed_hex().
  std::optional<http::BodyError> read(const http::Sink& sink) override;
  std::optional<uint64_t> length() const override { return raw_->length(); }
  const std::map<std::string, std::string>& trailers() const override { return raw_->trailers(); }
  const std::string& computed_hex() const { return computed_hex_; }

 private:
  std::unique_ptr<http::Body> raw_;
  std::string expected_hex_;
  std::string computed_hex_;
};

}  // namespace localaws::auth
