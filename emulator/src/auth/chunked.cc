#include "auth/chunked.h"

#include <algorithm>
#include <cstring>

#include "auth/errors.h"
#include "auth/sigv4.h"
#include "common/strings.h"

namespace localaws::auth {

namespace {

http::BodyError incomplete(std::string message) { return {400, "IncompleteBody", std::move(message)}; }
http::BodyError malformed_trailer() {
  return {400, "MalformedTrailerError",
          "The request contained trailing data that was not well-formed or did not conform to our published schema."};
}
http::BodyError chunk_mismatch() { return {403, "SignatureDoesNotMatch", std::string(kS3SignatureMismatch)}; }

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

AwsChunkedDecoder::AwsChunkedDecoder(std::optional<ChunkSigning> signing, std::vector<std::string> expected_trailers,
                                     std::optional<uint64_t> decoded_length)
    : signing_(std::move(signing)), expected_trailers_(std::move(expected_trailers)), decoded_length_(decoded_length) {
  if (signing_) previous_signature_ = signing_->seed_signature;
}

std::optional<http::BodyError> AwsChunkedDecoder::fail(http::BodyError e) {
  state_ = State::kFailed;
  return e;
}

std::optional<http::BodyError> AwsChunkedDecoder::feed(const char* data, size_t len, const http::Sink& sink) {
  size_t i = 0;
  while (i < len) {
    switch (state_) {
      case State::kSizeLine:
      case State::kTrailerLine: {
        // Collect one line; only its CRLF ends it (a bare LF is malformed framing).
        const char* nl = static_cast<const char*>(memchr(data + i, '\n', len - i));
        size_t take = nl ? static_cast<size_t>(nl - (data + i)) + 1 : len - i;
        if (line_.size() + take > kMaxLine) return fail(incomplete("An aws-chunked line is too long."));
        line_.append(data + i, take);
        i += take;
        if (!nl) break;
        if (line_.size() < 2 || line_[line_.size() - 2] != '\r') {
          return fail(incomplete("An aws-chunked line does not end with CRLF."));
        }
        line_.resize(line_.size() - 2);
        auto err = state_ == State::kSizeLine ? on_size_line() : on_trailer_line();
        line_.clear();
        if (err) return fail(*err);
        break;
      }
      case State::kData: {
        size_t take = static_cast<size_t>(std::min<uint64_t>(remaining_, len - i));
        if (decoded_length_ && decoded_ + take > *decoded_length_) {
          return fail(incomplete("The decoded body is longer than x-amz-decoded-content-length."));
        }
        if (chunk_hash_) chunk_hash_->update(data + i, take);
        if (take && !sink(data + i, take)) return fail(http::BodyError::aborted());
        decoded_ += take;
        remaining_ -= take;
        i += take;
        if (remaining_ == 0) state_ = State::kDataCr;
        break;
      }
      case State::kDataCr:
        if (data[i++] != '\r') return fail(incomplete("A chunk is longer than its declared size."));
        state_ = State::kDataLf;
        break;
      case State::kDataLf:
        if (data[i++] != '\n') return fail(incomplete("A chunk is longer than its declared size."));
        if (auto err = on_chunk_end()) return fail(*err);
        state_ = State::kSizeLine;
        break;
      case State::kDone:
        return fail(incomplete("Unexpected data after the final aws-chunked chunk."));
      case State::kFailed:
        return incomplete("The aws-chunked body was already rejected.");
    }
  }
  return std::nullopt;
}

std::optional<http::BodyError> AwsChunkedDecoder::on_size_line() {
  // "<hex>[;name=value]*"
  std::string_view line(line_);
  size_t semi = line.find(';');
  std::string_view hex = line.substr(0, semi);
  if (hex.empty() || hex.size() > 16) return incomplete("An aws-chunked size line is malformed.");
  uint64_t size = 0;
  for (char c : hex) {
    int d = hex_digit(c);
    if (d < 0) return incomplete("An aws-chunked size line is malformed.");
    size = size * 16 + static_cast<uint64_t>(d);
  }
  chunk_signature_.clear();
  if (semi != std::string_view::npos) {
    for (auto& ext : split(line.substr(semi + 1), ';')) {
      auto eq = ext.find('=');
      if (eq != std::string::npos && trim(std::string_view(ext).substr(0, eq)) == "chunk-signature") {
        chunk_signature_ = trim(std::string_view(ext).substr(eq + 1));
      }
    }
  }
  if (signing_) {
    if (chunk_signature_.empty()) return chunk_mismatch();
    if (size > 0 && previous_was_short_) {
      return http::BodyError{400, "InvalidChunkSizeError",
                             "Only the last chunk is allowed to have a size less than 8192 bytes"};
    }
    previous_was_short_ = size < kMinSignedChunk;
    chunk_hash_ = std::make_unique<Digest>(Digest::Kind::kSha256);
  }
  chunk_size_ = size;
  if (size == 0) {
    if (signing_) {
      if (auto err = verify_chunk(std::string(sigv4::kEmptySha256))) return err;
    }
    state_ = State::kTrailerLine;
    return std::nullopt;
  }
  remaining_ = size;
  state_ = State::kData;
  return std::nullopt;
}

std::optional<http::BodyError> AwsChunkedDecoder::verify_chunk(const std::string& data_sha256_hex) {
  std::string expected = sigv4::chunk_signature(signing_->signing_key, signing_->amz_date, signing_->scope,
                                                previous_signature_, data_sha256_hex);
  if (!sigv4::signatures_equal(expected, chunk_signature_)) return chunk_mismatch();
  previous_signature_ = std::move(expected);
  return std::nullopt;
}

std::optional<http::BodyError> AwsChunkedDecoder::on_chunk_end() {
  if (!signing_) return std::nullopt;
  std::string digest = to_hex(chunk_hash_->final());
  chunk_hash_.reset();
  return verify_chunk(digest);
}

std::optional<http::BodyError> AwsChunkedDecoder::on_trailer_line() {
  if (line_.empty()) return on_trailers_done();
  trailer_bytes_ += line_.size();
  if (trailer_bytes_ > 4 * kMaxLine) return malformed_trailer();
  auto colon = line_.find(':');
  if (colon == std::string::npos || colon == 0) return malformed_trailer();
  std::string name = to_lower(trim(std::string_view(line_).substr(0, colon)));
  std::string value = trim(std::string_view(line_).substr(colon + 1));
  if (name == "x-amz-trailer-signature") {
    trailer_signature_ = std::move(value);
    return std::nullopt;
  }
  canonical_trailers_.append(name).append(":").append(value).append("\n");
  trailers_[std::move(name)] = std::move(value);
  return std::nullopt;
}

std::optional<http::BodyError> AwsChunkedDecoder::on_trailers_done() {
  for (auto& name : expected_trailers_) {
    if (!trailers_.count(name)) return malformed_trailer();
  }
  if (signing_ && signing_->signed_trailer) {
    if (trailer_signature_.empty()) return chunk_mismatch();
    std::string expected = sigv4::trailer_signature(signing_->signing_key, signing_->amz_date, signing_->scope,
                                                    previous_signature_, canonical_trailers_);
    if (!sigv4::signatures_equal(expected, trailer_signature_)) return chunk_mismatch();
  }
  if (decoded_length_ && decoded_ != *decoded_length_) {
    return incomplete("You did not provide the number of bytes specified by the x-amz-decoded-content-length header.");
  }
  state_ = State::kDone;
  return std::nullopt;
}

std::optional<http::BodyError> AwsChunkedDecoder::finish() {
  if (state_ == State::kDone) return std::nullopt;
  if (state_ == State::kFailed) return incomplete("The aws-chunked body was already rejected.");
  state_ = State::kFailed;
  return incomplete("The request body terminated unexpectedly.");
}

AwsChunkedBody::AwsChunkedBody(std::unique_ptr<http::Body> raw, std::optional<ChunkSigning> signing,
                               std::vector<std::string> expected_trailers, std::optional<uint64_t> decoded_length)
    : raw_(std::move(raw)),
      decoded_length_(decoded_length),
      decoder_(std::move(signing), std::move(expected_trailers), decoded_length) {}

std::optional<http::BodyError> AwsChunkedBody::read(const http::Sink& sink) {
  consumed_ = true;
  std::optional<http::BodyError> decode_error;
  auto raw_error = raw_->read([&](const char* data, size_t len) {
    decode_error = decoder_.feed(data, len, sink);
    return !decode_error;
  });
  if (decode_error) return decode_error;
  if (raw_error) return raw_error;
  return decoder_.finish();
}

}  // namespace localaws::auth
