#include "ranker/settings.h"

#include <algorithm>

#include "aws/crypto.h"

namespace ranker {

std::string default_bucket_name(const aws::Credentials& creds) {
  if (creds.access_key_id.empty()) return "coffeeshopranker-local";
  return "coffeeshopranker-" + aws::sha256_hex(creds.access_key_id).substr(0, 12);
}

namespace {
long long number(const std::string& name, const std::string& v, long long lo, long long hi) {
  bool digits = !v.empty() && v.size() <= 12 && std::all_of(v.begin(), v.end(), ::isdigit);
  long long n = digits ? std::stoll(v) : -1;
  if (!digits || n < lo || n > hi)
    throw aws::ConfigError(name + " must be a number from " + std::to_string(lo) + " to " + std::to_string(hi));
  return n;
}
}  // namespace

Settings settings_from_env(const aws::EnvLookup& env, const aws::Credentials& creds) {
  Settings s;
  auto str = [&](const char* name, std::string& out) {
    if (auto v = env(name); v && !v->empty()) out = *v;
  };
  s.bucket = default_bucket_name(creds);
  str("RANKER_BUCKET", s.bucket);
  str("RANKER_SHOPS_TABLE", s.shops_table);
  str("RANKER_RATINGS_TABLE", s.ratings_table);
  str("RANKER_PHOTO_ACL", s.photo_acl);
  str("RANKER_PUBLIC_URL_BASE", s.public_url_base);
  str("RANKER_HOST", s.host);
  if (auto v = env("RANKER_MAX_PHOTO_BYTES"); v && !v->empty())
    s.max_photo_bytes = static_cast<size_t>(number("RANKER_MAX_PHOTO_BYTES", *v, 1, 100LL * 1024 * 1024));
  if (auto v = env("RANKER_PORT"); v && !v->empty()) s.port = static_cast<int>(number("RANKER_PORT", *v, 0, 65535));
  while (!s.public_url_base.empty() && s.public_url_base.back() == '/') s.public_url_base.pop_back();
  return s;
}

}  // namespace ranker
