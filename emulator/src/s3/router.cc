#include "s3/router.h"

#include <array>
#include <vector>

namespace localaws::s3 {

namespace {

bool has_param(const QueryParams* q, std::string_view name) {
  if (!q) return false;
  for (auto& [k, v] : *q) {
    if (k == name) return true;
  }
  return false;
}

bool has_header(const http::HeaderList* h, std::string_view name) {
  if (!h) return false;
  for (auto& [k, v] : *h) {
    if (k == name) return true;
  }
  return false;
}

// The first of a row's '&'-separated query parameters: its subresource keyword.
std::string_view keyword_of(const OpRow& r) {
  std::string_view q = r.query;
  return q.substr(0, q.find('&'));
}

// -1 when the request lacks one of the row's parameters or its header; else how specific the
// row is (each parameter counts more than the header guard).
int match(const OpRow& r, const RouteInput& in) {
  int score = 0;
  std::string_view q = r.query;
  while (!q.empty()) {
    size_t amp = q.find('&');
    if (!has_param(in.query, q.substr(0, amp))) return -1;
    score += 2;
    q = amp == std::string_view::npos ? std::string_view() : q.substr(amp + 1);
  }
  if (r.header[0] != '\0') {
    if (!has_header(in.headers, r.header)) return -1;
    score += 1;
  }
  return score;
}

}  // namespace

Route route(const RouteInput& in) {
  Target target = in.has_key ? Target::kObject : in.has_bucket ? Target::kBucket : Target::kService;
  const OpRow* best = nullptr;
  int best_score = -1;
  bool names_subresource = false;  // the query names a keyword some row of this target has
  for (const OpRow& r : op_table()) {
    if (r.target != target) continue;
    if (r.query[0] != '\0' && has_param(in.query, keyword_of(r))) names_subresource = true;
    if (in.method != r.method) continue;
    int score = match(r, in);
    if (score > best_score) best = &r, best_score = score;
  }
  // A subresource this method has no operation for is not the plain operation (a POST ?versioning
  // is not a PostObject, a GET ?delete not a ListObjects).
  if (best && best->query[0] == '\0' && names_subresource) return {};
  return {best};
}

bool split_path(std::string_view raw_path, std::string& bucket, std::string& key) {
  bucket.clear();
  key.clear();
  std::string_view p = raw_path;
  if (!p.empty() && p[0] == '/') p.remove_prefix(1);
  size_t slash = p.find('/');
  std::string_view b = p.substr(0, slash);
  std::string_view k = slash == std::string_view::npos ? std::string_view() : p.substr(slash + 1);
  auto db = uri_decode(b, true);
  auto dk = uri_decode(k, true);
  // A key that is not UTF-8 could not be listed in UTF-8 XML: S3 refuses it (InvalidURI).
  if (!db || !dk || !valid_utf8(*db) || !valid_utf8(*dk)) return false;
  bucket = std::move(*db);
  key = std::move(*dk);
  return true;
}

std::string host_bucket(std::string_view host, std::string_view domain) {
  if (!host.empty() && host.front() == '[') return "";  // an IPv6 literal
  std::string h = to_lower(host);
  if (auto colon = h.rfind(':'); colon != std::string::npos) h.resize(colon);
  std::vector<std::string> suffixes = {".s3.localhost", ".localhost", ".s3.amazonaws.com"};
  if (!domain.empty()) {
    suffixes.insert(suffixes.begin(), "." + std::string(domain));
    suffixes.insert(suffixes.begin(), ".s3." + std::string(domain));
  }
  for (auto& suf : suffixes) {
    if (h.size() > suf.size() && h.compare(h.size() - suf.size(), suf.size(), suf) == 0) {
      std::string b = h.substr(0, h.size() - suf.size());
      if (b == "s3") return "";  // s3.localhost itself is path style
      return b;
    }
  }
  // Regional AWS endpoints: bucket.s3.<region>.amazonaws.com.
  const std::string aws = ".amazonaws.com";
  if (h.size() > aws.size() && h.compare(h.size() - aws.size(), aws.size(), aws) == 0) {
    std::string rest = h.substr(0, h.size() - aws.size());
    auto p = rest.rfind(".s3.");
    if (p != std::string::npos && p > 0) return rest.substr(0, p);
  }
  return "";
}

}  // namespace localaws::s3
