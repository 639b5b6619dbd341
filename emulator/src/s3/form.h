// A streaming multipart/form-data reader for POST Object (browser uploads): fields before the
// file are collected in memory (small), the file's bytes are handed on as they arrive, so a large
// upload never sits in memory. Pure code, unit tested in tests/unit/s3_form_test.cc.
#pragma once
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace localaws::s3 {

// The boundary of a multipart/form-data Content-Type, or "" when it is not one.
std::string form_boundary(std::string_view content_type);

class FormReader {
 public:
  struct Callbacks {
    // The file part begins (every field before it has been collected). Return false to stop.
    std::function<bool(const std::string& filename, const std::string& content_type)> file_start;
    std::function<bool(const char* data, size_t len)> file_data;  // false stops
  };
  FormReader(std::string boundary, Callbacks cb) : delim_("\r\n--" + boundary), cb_(std::move(cb)) {}
  // Feeds body bytes. Returns false on malformed input, a field over 20 KB, or a callback's stop.
  bool feed(const char* data, size_t len);
  // True when the closing boundary was seen after a file part.
  bool complete() const { return state_ == State::kEnd && saw_file_; }
  // Fields before the file, in order; names as sent (S3 compares them case-insensitively).
  const std::vector<std::pair<std::string, std::string>>& fields() const { return fields_; }

 private:
  enum class State { kPreamble, kHeaders, kField, kFile, kAfterDelim, kEnd };
  bool part_headers(const std::string& block);
  std::string delim_;
  Callbacks cb_;
  State state_ = State::kPreamble;
  std::string buf_;
  std::string name_;
  bool saw_file_ = false;
  std::vector<std::pair<std::string, std::string>> fields_;
};

}  // namespace localaws::s3
