#include "auth/sigv4.h"

#include <openssl/crypto.h>

#include <algorithm>

#include "common/crypto.h"
#include "common/strings.h"

namespace localaws::auth::sigv4 {

bool parse_credential(std::string_view s, Credential& out) {
  std::string_view parts[5];
  size_t n = 0, start = 0;
  while (true) {
    size_t p = s.find('/', start);
    if (n == 5) return false;
    parts[n++] = s.substr(start, p == std::string_view::npos ? std::string_view::npos : p - start);
    if (p == std::string_view::npos) break;
    start = p + 1;
  }
  if (n != 5) return false;
  for (auto& p : parts) {
    if (p.empty()) return false;
  }
  out.access_key = parts[0];
  out.date = parts[1];
  out.region = parts[2];
  out.service = parts[3];
  out.terminal = parts[4];
  return true;
}

bool parse_authorization(std::string_view value, AuthorizationHeader& out) {
  std::string_view rest = value.substr(kAlgorithm.size());
  bool have_credential = false, have_signed = false, have_signature = false;
  for (auto& raw : split(rest, ',')) {
    std::string part = trim(raw);
    if (part.empty()) continue;
    auto eq = part.find('=');
    if (eq == std::string::npos) return false;
    std::string name = trim(std::string_view(part).substr(0, eq));
    std::string val = trim(std::string_view(part).substr(eq + 1));
    if (name == "Credential") {
      out.credential = std::move(val);
      have_credential = true;
    } else if (name == "SignedHeaders") {
      out.signed_headers = std::move(val);
      have_signed = true;
    } else if (name == "Signature") {
      out.signature = std::move(val);
      have_signature = true;
    } else {
      return false;
    }
  }
  if (!have_credential) out.missing.push_back("Credential");
  if (!have_signature) out.missing.push_back("Signature");
  if (!have_signed) out.missing.push_back("SignedHeaders");
  return true;
}

bool parse_signed_headers(std::string_view list, std::vector<std::string>& out) {
  out.clear();
  if (list.empty()) return false;
  for (auto& name : split(list, ';')) {
    if (name.empty()) return false;
    for (char c : name) {
      if (c >= 'A' && c <= 'Z') return false;
    }
    out.push_back(std::move(name));
  }
  return true;
}

// RFC 3986 section 5.2.4 as the SDK signers apply it: empty and "." segments vanish, ".."
// drops the previous one, a trailing slash stays when anything is left.
static std::string remove_dot_segments(std::string_view path) {
  std::vector<std::string> out;
  for (auto& seg : split(path, '/')) {
    if (seg.empty() || seg == ".") continue;
    if (seg == "..") {
      if (!out.empty()) out.pop_back();
      continue;
    }
    out.push_back(std::move(seg));
  }
  std::string result = path.front() == '/' ? "/" : "";
  for (size_t i = 0; i < out.size(); i++) {
    if (i) result += '/';
    result += out[i];
  }
  if (path.back() == '/' && !out.empty()) result += '/';
  return result;
}

bool canonical_uri(std::string_view raw_path, bool s3, std::string& out) {
  out.clear();
  if (raw_path.empty()) {
    out = "/";
    return true;
  }
  if (!s3) {
    // The path on the wire is already encoded once; other services sign it encoded again.
    out = uri_encode(remove_dot_segments(raw_path), true);
    return true;
  }
  out.reserve(raw_path.size() + 16);
  size_t start = 0;
  while (true) {
    size_t p = raw_path.find('/', start);
    auto seg = raw_path.substr(start, p == std::string_view::npos ? std::string_view::npos : p - start);
    auto decoded = uri_decode(seg, false);
    if (!decoded) return false;
    out += uri_encode(*decoded, false);
    if (p == std::string_view::npos) break;
    out += '/';
    start = p + 1;
  }
  return true;
}

bool canonical_query(std::string_view raw_query, bool presigned, std::string& out) {
  out.clear();
  std::vector<std::pair<std::string, std::string>> params;
  size_t start = 0;
  while (start <= raw_query.size() && !raw_query.empty()) {
    size_t amp = raw_query.find('&', start);
    auto part = raw_query.substr(start, amp == std::string_view::npos ? std::string_view::npos : amp - start);
    if (!part.empty()) {
      size_t eq = part.find('=');
      auto k = uri_decode(part.substr(0, eq), true);
      auto v = eq == std::string_view::npos ? std::optional<std::string>("") : uri_decode(part.substr(eq + 1), true);
      if (!k || !v) return false;
      if (!(presigned && *k == "X-Amz-Signature")) params.emplace_back(uri_encode(*k), uri_encode(*v));
    }
    if (amp == std::string_view::npos) break;
    start = amp + 1;
  }
  std::sort(params.begin(), params.end());
  for (size_t i = 0; i < params.size(); i++) {
    if (i) out += '&';
    out += params[i].first;
    out += '=';
    out += params[i].second;
  }
  return true;
}

std::string canonical_headers(const http::HeaderList& headers, const std::vector<std::string>& signed_headers) {
  std::string out;
  for (auto& name : signed_headers) {
    out += name;
    out += ':';
    bool first = true;
    for (auto& [k, v] : headers) {
      if (k != name) continue;
      if (!first) out += ',';
      out += collapse_spaces(v);
      first = false;
    }
    out += '\n';
  }
  return out;
}

std::string canonical_request(const CanonicalParts& p) {
  std::string out;
  out.reserve(p.method.size() + p.uri.size() + p.query.size() + p.headers.size() + p.signed_headers.size() +
              p.payload_hash.size() + 8);
  out.append(p.method).append("\n");
  out.append(p.uri).append("\n");
  out.append(p.query).append("\n");
  out.append(p.headers).append("\n");
  out.append(p.signed_headers).append("\n");
  out.append(p.payload_hash);
  return out;
}

std::string string_to_sign(std::string_view amz_date, std::string_view scope, std::string_view canonical_request) {
  std::string out(kAlgorithm);
  out.append("\n").append(amz_date).append("\n").append(scope).append("\n");
  out += sha256_hex(canonical_request);
  return out;
}

std::string derive_signing_key(std::string_view secret, std::string_view date, std::string_view region,
                               std::string_view service) {
  std::string k = hmac_sha256("AWS4" + std::string(secret), date);
  k = hmac_sha256(k, region);
  k = hmac_sha256(k, service);
  return hmac_sha256(k, "aws4_request");
}

std::string signature(std::string_view signing_key, std::string_view string_to_sign) {
  return to_hex(hmac_sha256(signing_key, string_to_sign));
}

static std::string chained(std::string_view algorithm, std::string_view signing_key, std::string_view amz_date,
                           std::string_view scope, std::string_view previous, std::string_view tail) {
  std::string sts(algorithm);
  sts.append("\n").append(amz_date).append("\n").append(scope).append("\n").append(previous).append("\n");
  sts.append(tail);
  return signature(signing_key, sts);
}

std::string chunk_signature(std::string_view signing_key, std::string_view amz_date, std::string_view scope,
                            std::string_view previous_signature, std::string_view chunk_sha256_hex) {
  std::string tail(kEmptySha256);
  tail.append("\n").append(chunk_sha256_hex);
  return chained("AWS4-HMAC-SHA256-PAYLOAD", signing_key, amz_date, scope, previous_signature, tail);
}

std::string trailer_signature(std::string_view signing_key, std::string_view amz_date, std::string_view scope,
                              std::string_view previous_signature, std::string_view canonical_trailers) {
  return chained("AWS4-HMAC-SHA256-TRAILER", signing_key, amz_date, scope, previous_signature,
                 sha256_hex(canonical_trailers));
}

bool signatures_equal(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

bool is_sha256_hex(std::string_view s) {
  if (s.size() != 64) return false;
  for (char c : s) {
    bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    if (!hex) return false;
  }
  return true;
}

std::string SigningKeyCache::get(std::string_view secret, std::string_view date, std::string_view region,
                                 std::string_view service) {
  std::string id;
  id.reserve(secret.size() + date.size() + region.size() + service.size() + 3);
  id.append(secret).append(1, '\0').append(date).append(1, '\0').append(region).append(1, '\0').append(service);
  std::lock_guard<std::mutex> lock(mu_);
  if (auto it = keys_.find(id); it != keys_.end()) return it->second;
  if (keys_.size() >= kMaxEntries) keys_.clear();
  std::string key = derive_signing_key(secret, date, region, service);
  keys_.emplace(std::move(id), key);
  return key;
}

}  // namespace localaws::auth::sigv4
