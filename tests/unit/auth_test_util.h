// Helpers shared by the auth unit tests: requests built as the server builds them, and bodies
// that deliver their bytes in chosen pieces (to split aws-chunked framing anywhere).
#pragma once
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "common/strings.h"
#include "http/request.h"

namespace localaws::testing {

// A body delivered in pieces of the given sizes (cycled), as network reads would deliver it.
class PiecewiseBody : public http::Body {
 public:
  PiecewiseBody(std::string data, std::vector<size_t> pieces) : data_(std::move(data)), pieces_(std::move(pieces)) {}
  std::optional<http::BodyError> read(const http::Sink& sink) override {
    consumed_ = true;
    size_t pos = 0, i = 0;
    while (pos < data_.size()) {
      size_t n = pieces_.empty() ? data_.size() : std::max<size_t>(1, pieces_[i++ % pieces_.size()]);
      n = std::min(n, data_.size() - pos);
      if (!sink(data_.data() + pos, n)) return http::BodyError::aborted();
      pos += n;
    }
    return std::nullopt;
  }
  std::optional<uint64_t> length() const override { return data_.size(); }

 private:
  std::string data_;
  std::vector<size_t> pieces_;
};

// A request built the one way the server builds them (http::make_request).
inline http::Request make_request(const std::string& method, const std::string& target,
                                  const std::vector<std::pair<std::string, std::string>>& headers,
                                  std::unique_ptr<http::Body> body = nullptr) {
  return http::make_request(method, target, headers, std::move(body));
}

// A JSON file of tests/unit/data (LOCALAWS_SOURCE_DIR is defined for the unit tests).
inline nlohmann::json load_data(const std::string& file) {
  std::ifstream in(std::string(LOCALAWS_SOURCE_DIR) + "/tests/unit/data/" + file);
  if (!in) throw std::runtime_error("cannot read tests/unit/data/" + file);
  return nlohmann::json::parse(in);
}

// Reads a whole body (tests only handle small ones).
inline std::optional<http::BodyError> drain(http::Body& body, std::string& out) {
  out.clear();
  return body.read([&](const char* d, size_t n) {
    out.append(d, n);
    return true;
  });
}

}  // namespace localaws::testing
