#include "aws/sigv4.h"

#include <algorithm>
#include <ctime>
#include <stdexcept>

#include "aws/crypto.h"

namespace aws {

std::string uri_encode(std::string_view s, bool encode_slash) {
  static const char* digits = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size() * 3);
  for (unsigned char c : s) {
    bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
                      c == '_' || c == '.' || c == '~';
    if (unreserved || (c == '/' && !encode_slash)) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += digits[c >> 4];
      out += digits[c & 15];
    }
  }
  return out;
}

std::string amz_date(std::chrono::system_clock::time_point t) {
  std::time_t tt = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
  return buf;
}

std::string canonical_query(const Pairs& query) {
  Pairs enc;
  enc.reserve(query.size());
  for (const auto& [k, v] : query) enc.emplace_back(uri_encode(k, true), uri_encode(v, true));
  std::sort(enc.begin(), enc.end());
  std::string out;
  for (const auto& [k, v] : enc) {
    if (!out.empty()) out += '&';
    out += k + "=" + v;
  }
  return out;
}

namespace {

// Trims and collapses runs of spaces, as SigV4's canonical header values require.
std::string canonical_value(std::string_view v) {
  std::string out;
  bool space = false;
  for (char c : v) {
    if (c == ' ' || c == '\t') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

struct Canonical {
  std::string headers;         // "name:value\n" lines
  std::string signed_headers;  // "host;x-amz-date"
};

// Headers sorted by name; repeated names joined with ',' in their original order.
Canonical canonical_headers(const Pairs& headers) {
  Pairs sorted = headers;
  std::stable_sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  Canonical c;
  for (size_t i = 0; i < sorted.size();) {
    std::string name = sorted[i].first;
    std::string value = canonical_value(sorted[i].second);
    for (++i; i < sorted.size() && sorted[i].first == name; ++i) value += "," + canonical_value(sorted[i].second);
    c.headers += name + ":" + value + "\n";
    if (!c.signed_headers.empty()) c.signed_headers += ';';
    c.signed_headers += name;
  }
  return c;
}

std::string credential_scope(const SigningScope& s) {
  return amz_date(s.time).substr(0, 8) + "/" + s.region + "/" + s.service + "/aws4_request";
}

std::string signature(const Credentials& creds, const SigningScope& s, const std::string& canonical_request) {
  std::string date = amz_date(s.time);
  std::string to_sign = "AWS4-HMAC-SHA256\n" + date + "\n" + credential_scope(s) + "\n" + sha256_hex(canonical_request);
  std::string k = hmac_sha256("AWS4" + creds.secret_access_key, date.substr(0, 8));
  k = hmac_sha256(k, s.region);
  k = hmac_sha256(k, s.service);
  k = hmac_sha256(k, "aws4_request");
  return hex(hmac_sha256(k, to_sign));
}

}  // namespace

void sign_headers(SignableRequest& req, const Credentials& creds, const SigningScope& scope) {
  req.headers.emplace_back("x-amz-date", amz_date(scope.time));
  if (!creds.session_token.empty()) req.headers.emplace_back("x-amz-security-token", creds.session_token);
  Canonical ch = canonical_headers(req.headers);
  std::string creq = req.method + "\n" + req.canonical_uri + "\n" + canonical_query(req.query) + "\n" + ch.headers +
                     "\n" + ch.signed_headers + "\n" + req.payload_sha256;
  req.headers.emplace_back("authorization", "AWS4-HMAC-SHA256 Credential=" + creds.access_key_id + "/" +
                                                credential_scope(scope) + ", SignedHeaders=" + ch.signed_headers +
                                                ", Signature=" + signature(creds, scope, creq));
}

std::string presign_query(const SignableRequest& req, const Credentials& creds, const SigningScope& scope,
                          int expires_seconds) {
  if (expires_seconds < 1 || expires_seconds > 604800)
    throw std::invalid_argument("presigned URLs expire after 1 second to 7 days");
  Pairs query = req.query;
  query.emplace_back("X-Amz-Algorithm", "AWS4-HMAC-SHA256");
  query.emplace_back("X-Amz-Credential", creds.access_key_id + "/" + credential_scope(scope));
  query.emplace_back("X-Amz-Date", amz_date(scope.time));
  query.emplace_back("X-Amz-Expires", std::to_string(expires_seconds));
  if (!creds.session_token.empty()) query.emplace_back("X-Amz-Security-Token", creds.session_token);
  query.emplace_back("X-Amz-SignedHeaders", "host");
  Pairs host;
  for (const auto& h : req.headers)
    if (h.first == "host") host.push_back(h);
  if (host.empty()) throw std::invalid_argument("presign needs a host header");
  Canonical ch = canonical_headers(host);
  std::string cq = canonical_query(query);
  std::string creq =
      req.method + "\n" + req.canonical_uri + "\n" + cq + "\n" + ch.headers + "\n" + ch.signed_headers + "\nUNSIGNED-PAYLOAD";
  return cq + "&X-Amz-Signature=" + signature(creds, scope, creq);
}

}  // namespace aws
