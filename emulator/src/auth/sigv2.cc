#include "auth/sigv2.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <map>

#include "common/crypto.h"
#include "common/strings.h"
#include "common/time.h"

namespace localaws::auth::sigv2 {

namespace {

// Query parameters that name a sub-resource and so belong to the signed resource (the list
// S3's documentation and the SDK signers agree on).
bool is_sub_resource(std::string_view name) {
  static const char* kNames[] = {
      "accelerate", "acl", "analytics", "cors", "defaultObjectAcl", "delete", "inventory", "lifecycle",
      "location", "logging", "metrics", "notification", "object-lock", "partNumber", "policy", "replication",
      "requestPayment", "response-cache-control", "response-content-disposition", "response-content-encoding",
      "response-content-language", "response-content-type", "response-expires", "restore", "select",
      "select-type", "storageClass", "tagging", "torrent", "uploadId", "uploads", "versionId", "versioning",
      "versions", "website"};
  for (auto* n : kNames) {
    if (name == n) return true;
  }
  return false;
}

// The sub-resources S3's SigV2 documentation lists (plus delete, cors and restore), all that some
// signers (s3cmd) include.
bool is_documented_sub_resource(std::string_view name) {
  static const char* kNames[] = {"acl",     "cors",     "delete",   "lifecycle", "location", "logging",
                                 "notification", "partNumber", "policy", "requestPayment", "restore", "torrent",
                                 "uploadId", "uploads",  "versionId", "versioning", "versions", "website"};
  for (auto* n : kNames) {
    if (name == n) return true;
  }
  return starts_with(name, "response-");
}

}  // namespace

bool parse_authorization(std::string_view value, std::string& access_key, std::string& signature) {
  if (!starts_with(value, "AWS ")) return false;
  std::string rest = trim(value.substr(4));
  auto colon = rest.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == rest.size()) return false;
  access_key = rest.substr(0, colon);
  signature = rest.substr(colon + 1);
  return true;
}

std::string canonical_resource(std::string_view path, std::string_view raw_query, bool documented_only) {
  std::vector<std::pair<std::string, std::optional<std::string>>> subs;
  for (auto& part : split(raw_query, '&')) {
    if (part.empty()) continue;
    auto eq = part.find('=');
    std::string name = part.substr(0, eq);
    if (documented_only ? !is_documented_sub_resource(name) : !is_sub_resource(name)) continue;
    if (eq == std::string::npos) {
      subs.emplace_back(std::move(name), std::nullopt);
    } else {
      auto v = uri_decode(std::string_view(part).substr(eq + 1), true);
      subs.emplace_back(std::move(name), v.value_or(part.substr(eq + 1)));
    }
  }
  std::stable_sort(subs.begin(), subs.end(), [](auto& a, auto& b) { return a.first < b.first; });
  std::string out(path.empty() ? "/" : path);
  for (size_t i = 0; i < subs.size(); i++) {
    out += i == 0 ? '?' : '&';
    out += subs[i].first;
    if (subs[i].second) out += "=" + *subs[i].second;
  }
  return out;
}

std::string string_to_sign(const http::Request& req, std::string_view date, bool presigned, std::string_view resource) {
  auto standard = [&](std::string_view name) {
    if (auto* v = req.header(name)) return trim(*v);
    if (presigned) {
      for (auto& [k, v] : req.query) {
        if (iequals(k, name)) return trim(v);
      }
    }
    return std::string();
  };
  std::map<std::string, std::string> amz;
  auto add = [&](const std::string& lower, const std::string& value) {
    auto& slot = amz[lower];
    if (!slot.empty()) slot += ',';
    slot += trim(value);
  };
  for (auto& [k, v] : req.headers) {
    if (starts_with(k, "x-amz-")) add(k, v);
  }
  if (presigned) {
    for (auto& [k, v] : req.query) {
      std::string lower = to_lower(k);
      if (starts_with(lower, "x-amz-")) add(lower, v);
    }
  }
  std::string out = req.method + "\n" + standard("content-md5") + "\n" + standard("content-type") + "\n";
  out.append(date).append("\n");
  for (auto& [k, v] : amz) out += k + ":" + v + "\n";
  out.append(resource);
  return out;
}

std::optional<int64_t> parse_date(std::string_view value) {
  std::string v = trim(value);
  if (auto t = parse_http_date(v)) return t;
  for (std::string_view zone : {" UTC", " UT", " Z"}) {
    if (v.size() > zone.size() && std::string_view(v).substr(v.size() - zone.size()) == zone) {
      v = v.substr(0, v.size() - zone.size()) + " GMT";
      break;
    }
  }
  if (auto t = parse_http_date(v)) return t;
  // No day of week ("03 Dec 2026 17:06:52 GMT"): any weekday reads it, strptime does not check it.
  if (!v.empty() && v[0] >= '0' && v[0] <= '9') return parse_http_date("Mon, " + v);
  return std::nullopt;
}

std::string sign(std::string_view secret, std::string_view string_to_sign) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha1(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(string_to_sign.data()), string_to_sign.size(), mac, &len);
  return base64_encode(std::string_view(reinterpret_cast<const char*>(mac), len));
}

std::string virtual_host_bucket(const http::Request& req) {
  std::string host = to_lower(req.host_name());
  for (std::string_view marker : {".s3.", ".s3-", ".localhost"}) {
    auto p = host.find(marker);
    if (p != std::string::npos && p > 0) return host.substr(0, p);
  }
  return "";
}

}  // namespace localaws::auth::sigv2
