// The SigV4 parsers and canonicaliser on arbitrary text: the Authorization header, the
// credential scope, the signed-header list, the canonical URI (S3 and other services), the
// canonical query (header and presigned), canonical headers, and the whole string to sign.
// Input: fields separated by '\n' (authorization, credential, signed headers, path, query,
// then "name:value" header lines).
#include <cstdint>
#include <string>

#include "auth/sigv4.h"
#include "fuzz_util.h"

using namespace localaws;
using namespace localaws::auth;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  auto f = fuzz::split(in, '\n', 32);
  while (f.size() < 6) f.push_back({});

  sigv4::AuthorizationHeader ah;
  std::string authz = std::string(sigv4::kAlgorithm) + std::string(f[0]);
  bool parsed = sigv4::parse_authorization(authz, ah);
  sigv4::Credential cred;
  sigv4::parse_credential(parsed ? std::string_view(ah.credential) : f[1], cred);
  sigv4::parse_credential(f[1], cred);
  std::vector<std::string> names;
  bool names_ok = sigv4::parse_signed_headers(parsed ? std::string_view(ah.signed_headers) : f[2], names);

  http::HeaderList headers;
  for (size_t i = 5; i < f.size(); i++) {
    auto c = f[i].find(':');
    if (c == std::string_view::npos) continue;
    headers.emplace_back(std::string(f[i].substr(0, c)), std::string(f[i].substr(c + 1)));
  }
  std::string canon_headers = sigv4::canonical_headers(headers, names_ok ? names : std::vector<std::string>{});

  for (bool s3 : {true, false}) {
    std::string uri, query;
    bool uri_ok = sigv4::canonical_uri(f[3], s3, uri);
    bool query_ok = sigv4::canonical_query(f[4], !s3, query);
    if (!uri_ok || !query_ok) continue;
    sigv4::CanonicalParts parts{"GET", uri, query, canon_headers, f[2], sigv4::kEmptySha256};
    std::string creq = sigv4::canonical_request(parts);
    std::string sts = sigv4::string_to_sign("20130524T000000Z", cred.scope(), creq);
    std::string key = sigv4::derive_signing_key("secret", cred.date, cred.region, cred.service);
    std::string sig = sigv4::signature(key, sts);
    if (!sigv4::signatures_equal(sig, sig) || !sigv4::is_sha256_hex(sig)) __builtin_trap();
    sigv4::signatures_equal(sig, ah.signature);
  }
  return 0;
}
