#include "s3/rules.h"

#include "common/strings.h"
#include "common/time.h"

namespace localaws::s3 {

bool valid_bucket_name(std::string_view n) {
  if (n.size() < 3 || n.size() > 63) return false;
  for (char c : n) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-')) return false;
  }
  auto alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  if (!alnum(n.front()) || !alnum(n.back())) return false;
  if (n.find("..") != std::string_view::npos) return false;
  // Not formatted as an IP address (four dot-separated decimal groups).
  auto parts = split(n, '.');
  if (parts.size() == 4) {
    bool ip = true;
    for (auto& p : parts) {
      if (p.empty() || p.size() > 3 || !parse_u64(p)) ip = false;
    }
    if (ip) return false;
  }
  for (std::string_view pre : {"xn--", "sthree-", "amzn-s3-demo-"}) {
    if (starts_with(n, pre)) return false;
  }
  for (std::string_view suf : {"-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"}) {
    if (n.size() >= suf.size() && n.substr(n.size() - suf.size()) == suf) return false;
  }
  return true;
}

ByteRange parse_range(std::string_view h, uint64_t size) {
  ByteRange none;
  std::string s = trim(h);
  if (!starts_with(s, "bytes=")) return none;
  std::string_view spec = std::string_view(s).substr(6);
  if (spec.find(',') != std::string_view::npos) return none;  // S3 serves multiple ranges whole
  size_t dash = spec.find('-');
  if (dash == std::string_view::npos) return none;
  std::string first = trim(spec.substr(0, dash)), last = trim(spec.substr(dash + 1));
  ByteRange r;
  if (first.empty()) {  // suffix: the last n bytes
    auto n = parse_u64(last);
    if (!n) return none;
    if (*n == 0 || size == 0) return {ByteRange::Kind::kUnsatisfiable};
    uint64_t len = std::min<uint64_t>(*n, size);
    return {ByteRange::Kind::kRange, size - len, len};
  }
  auto a = parse_u64(first);
  if (!a) return none;
  std::optional<uint64_t> b;
  if (!last.empty()) {
    b = parse_u64(last);
    if (!b || *b < *a) return none;
  }
  if (*a >= size) return {ByteRange::Kind::kUnsatisfiable};
  uint64_t end = b ? std::min<uint64_t>(*b, size - 1) : size - 1;
  r.kind = ByteRange::Kind::kRange;
  r.start = *a;
  r.length = end - *a + 1;
  return r;
}

static std::string unquote(std::string_view s) {
  std::string t = trim(s);
  if (starts_with(t, "W/")) t = t.substr(2);
  if (t.size() >= 2 && t.front() == '"' && t.back() == '"') t = t.substr(1, t.size() - 2);
  return t;
}

bool etag_matches(std::string_view list, const std::string& etag) {
  std::string want = unquote(etag);
  for (auto& item : split(list, ',')) {
    std::string t = trim(item);
    if (t == "*") return true;
    if (unquote(t) == want) return true;
  }
  return false;
}

CondResult evaluate_conditions(const Conditions& c, const std::string& etag, int64_t lm, int64_t now_s) {
  // Dates in the future are ignored, as HTTP says for If-Modified-Since.
  auto date = [&](const std::string* h) -> std::optional<int64_t> {
    if (!h) return std::nullopt;
    auto t = parse_http_date(*h);
    if (!t) t = parse_iso8601(*h);
    return t;
  };
  if (c.if_match) {
    if (!etag_matches(*c.if_match, etag)) return CondResult::kPreconditionFailed;
  } else if (auto t = date(c.if_unmodified_since)) {
    if (lm > *t) return CondResult::kPreconditionFailed;
  }
  if (c.if_none_match) {
    if (etag_matches(*c.if_none_match, etag)) return CondResult::kNotModified;
  } else if (auto t = date(c.if_modified_since)) {
    if (*t <= now_s && lm <= *t) return CondResult::kNotModified;
  }
  return CondResult::kProceed;
}

}  // namespace localaws::s3
