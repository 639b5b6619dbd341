#include "s3/form.h"

#include "common/strings.h"

namespace localaws::s3 {

namespace {
constexpr size_t kMaxField = 20 * 1024;

// The value of `attr="..."` (or attr=token) in a Content-Disposition header.
std::string disposition_param(const std::string& h, const std::string& attr) {
  size_t p = 0;
  while ((p = h.find(attr + "=", p)) != std::string::npos) {
    if (p == 0 || h[p - 1] == ' ' || h[p - 1] == ';') break;
    ++p;
  }
  if (p == std::string::npos) return "";
  p += attr.size() + 1;
  if (p < h.size() && h[p] == '"') {
    auto e = h.find('"', p + 1);
    return e == std::string::npos ? "" : h.substr(p + 1, e - p - 1);
  }
  auto e = h.find(';', p);
  return trim(h.substr(p, e == std::string::npos ? std::string::npos : e - p));
}
}  // namespace

std::string form_boundary(std::string_view content_type) {
  std::string ct(content_type);
  if (to_lower(trim(ct.substr(0, ct.find(';')))) != "multipart/form-data") return "";
  auto p = ct.find("boundary=");
  if (p == std::string::npos) return "";
  std::string b = trim(ct.substr(p + 9, ct.find(';', p) == std::string::npos ? std::string::npos : ct.find(';', p) - p - 9));
  if (b.size() >= 2 && b.front() == '"' && b.back() == '"') b = b.substr(1, b.size() - 2);
  return b;
}

bool FormReader::part_headers(const std::string& block) {
  std::string disposition, type;
  for (auto& line : split(block, '\n')) {
    std::string l = trim(line);
    auto colon = l.find(':');
    if (colon == std::string::npos) continue;
    std::string name = to_lower(trim(l.substr(0, colon)));
    if (name == "content-disposition") disposition = trim(l.substr(colon + 1));
    if (name == "content-type") type = trim(l.substr(colon + 1));
  }
  name_ = disposition_param(disposition, "name");
  if (name_.empty()) return false;
  if (to_lower(name_) == "file") {
    saw_file_ = true;
    state_ = State::kFile;
    return cb_.file_start(disposition_param(disposition, "filename"), type);
  }
  fields_.emplace_back(name_, "");
  state_ = State::kField;
  return true;
}

bool FormReader::feed(const char* data, size_t len) {
  buf_.append(data, len);
  while (true) {
    switch (state_) {
      case State::kPreamble: {
        // The body starts with "--boundary\r\n" (the delimiter without its leading CRLF).
        std::string first = delim_.substr(2) + "\r\n";
        if (buf_.size() < first.size()) return true;
        if (buf_.compare(0, first.size(), first) != 0) return false;
        buf_.erase(0, first.size());
        state_ = State::kHeaders;
        break;
      }
      case State::kHeaders: {
        auto e = buf_.find("\r\n\r\n");
        if (e == std::string::npos) return buf_.size() <= kMaxField;
        std::string block = buf_.substr(0, e);
        buf_.erase(0, e + 4);
        if (!part_headers(block)) return false;
        break;
      }
      case State::kField:
      case State::kFile: {
        bool file = state_ == State::kFile;
        auto emit = [&](size_t n) {
          if (file) return n == 0 || cb_.file_data(buf_.data(), n);
          fields_.back().second.append(buf_, 0, n);
          return fields_.back().second.size() <= kMaxField;
        };
        auto d = buf_.find(delim_);
        if (d == std::string::npos) {
          // Keep what could be the start of the delimiter; pass the rest on.
          size_t ready = buf_.size() - std::min(buf_.size(), delim_.size() - 1);
          if (!emit(ready)) return false;
          buf_.erase(0, ready);
          return true;
        }
        if (!emit(d)) return false;
        buf_.erase(0, d + delim_.size());
        state_ = State::kAfterDelim;
        break;
      }
      case State::kAfterDelim: {
        if (buf_.size() < 2) return true;
        bool more = buf_.compare(0, 2, "\r\n") == 0;
        bool end = buf_.compare(0, 2, "--") == 0;
        if (!more && !end) return false;
        buf_.erase(0, 2);
        if (end || saw_file_) {
          // "--" closes the body; parts after the file are ignored, as S3 does.
          state_ = State::kEnd;
          buf_.clear();
          return true;
        }
        state_ = State::kHeaders;
        break;
      }
      case State::kEnd:
        buf_.clear();
        return true;
    }
  }
}

}  // namespace localaws::s3
