// The request body as a stream. Object bytes flow through a Sink chunk by chunk; nothing here
// ever holds a whole upload in memory.
#pragma once
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>

namespace localaws::http {

// Receives body bytes in order. Returns false to stop reading (the reader then reports kAborted).
using Sink = std::function<bool(const char* data, size_t len)>;

// Why a body could not be delivered. `code` and `message` are AWS's (S3 spelling; the DynamoDB
// layer maps them). status 0 with code "Aborted" means the sink itself said stop.
struct BodyError {
  int status = 400;
  std::string code;
  std::string message;
  static BodyError aborted() { return {0, "Aborted", "stopped by the receiver"}; }
  bool is_aborted() const { return status == 0; }
};

class Body {
 public:
  virtual ~Body() = default;
  // Streams the whole decoded body to sink, verifying it (payload hash, chunk signatures,
  // trailing checksum framing) on the way. Returns nullopt once every byte was delivered and
  // verified. REQUIRES: called at most once.
  virtual std::optional<BodyError> read(const Sink& sink) = 0;
  // The decoded length when announced up front (Content-Length, x-amz-decoded-content-length).
  virtual std::optional<uint64_t> length() const = 0;
  // Trailing headers of an aws-chunked body (lower-case names), complete after read() succeeds.
  virtual const std::map<std::string, std::string>& trailers() const {
    static const std::map<std::string, std::string> kNone;
    return kNone;
  }
  // True once read() ran (the server drains unread bodies before the next request).
  bool consumed() const { return consumed_; }

 protected:
  bool consumed_ = false;
};

// A body already held in memory (DynamoDB JSON, tests).
class StringBody : public Body {
 public:
  explicit StringBody(std::string data) : data_(std::move(data)) {}
  std::optional<BodyError> read(const Sink& sink) override {
    consumed_ = true;
    if (!data_.empty() && !sink(data_.data(), data_.size())) return BodyError::aborted();
    return std::nullopt;
  }
  std::optional<uint64_t> length() const override { return data_.size(); }
  const std::string& data() const { return data_; }

 private:
  std::string data_;
};

// Reads a whole (small) body into `out`. More than `limit` bytes -> error with code
// "MaxMessageLengthExceeded" (status 400).
std::optional<BodyError> read_all(Body& body, size_t limit, std::string& out);

}  // namespace localaws::http
