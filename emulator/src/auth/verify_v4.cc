// SigV4 verification of a request: the Authorization header and the presigned query produce the
// same claim (credential, signed headers, signature, date), checked in AWS's order: shape,
// access key, scope, time, payload mode, signature.
#include <algorithm>

#include "auth/authenticator.h"
#include "auth/body_mode.h"
#include "auth/errors.h"
#include "common/strings.h"
#include "common/time.h"

namespace localaws::auth {

namespace {

constexpr int64_t kMaxSkewSeconds = 15 * 60;
constexpr int64_t kMaxPresignSeconds = 7 * 24 * 3600;
constexpr const char* kCredentialShape = "expecting \"<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request\".";

bool is_s3(ServiceKind s) { return s == ServiceKind::kS3; }
const char* service_name(ServiceKind s) { return is_s3(s) ? "s3" : "dynamodb"; }

// What a SigV4 request claims, from the header or from the query.
struct V4Claim {
  sigv4::Credential cred;
  std::string signed_headers;
  std::string signature;
  std::string amz_date;  // as it enters the string to sign
  bool presigned = false;
};

// Terminator, service and date of the credential scope. Any region is accepted, but it is the
// one that was signed, so a client and localaws never disagree about it.
std::optional<AuthError> check_scope(const V4Claim& c, ServiceKind s) {
  if (c.cred.terminal != "aws4_request") {
    return errors::wrong_scope(s, c.presigned,
                               "incorrect terminal \"" + c.cred.terminal + "\". This endpoint uses \"aws4_request\".",
                               "Credential should be scoped with a valid terminator: 'aws4_request', not '" +
                                   c.cred.terminal + "'. ");
  }
  if (c.cred.service != service_name(s)) {
    return errors::wrong_scope(
        s, c.presigned,
        "incorrect service \"" + c.cred.service + "\". This endpoint belongs to \"" + service_name(s) + "\".",
        std::string("Credential should be scoped to correct service: '") + service_name(s) + "'. ");
  }
  if (c.cred.date != std::string_view(c.amz_date).substr(0, 8)) {
    if (!is_s3(s)) {
      return errors::ddb("InvalidSignatureException",
                         "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '" +
                             c.cred.date + "' != '" + c.amz_date.substr(0, 8) + "', from '" + c.amz_date + "'.");
    }
    std::string detail = "Invalid credential date. Date is not the same as X-Amz-Date.";
    return c.presigned ? errors::query_malformed(s, detail) : errors::header_malformed(s, detail, detail);
  }
  return std::nullopt;
}

// The payload hash that enters the canonical request, and how the body must be wrapped.
std::optional<AuthError> payload_of(http::Request& req, ServiceKind s, bool presigned, Payload& mode,
                                    std::string& hash) {
  if (!is_s3(s)) {
    mode = Payload::kSha256;
    return load_json_body(req, hash);
  }
  // Presigned URLs sign UNSIGNED-PAYLOAD unless the URL itself says otherwise (the JS SDK adds
  // X-Amz-Content-Sha256 to the query); header auth must say what it signed.
  const std::string* v = presigned ? req.query_param("X-Amz-Content-Sha256") : req.header("x-amz-content-sha256");
  mode = classify_payload(v);
  if (mode == Payload::kInvalid) return invalid_content_sha256(*v);
  if (mode == Payload::kAbsent) {
    if (!presigned) return errors::s3(400, "InvalidRequest", "Missing required header for this request: x-amz-content-sha256");
    hash = sigv4::kUnsignedPayload;
    return std::nullopt;
  }
  hash = *v;
  return std::nullopt;
}

// What may explain a signature mismatch, from what localaws can see of the request. The client's
// own canonical request is not sent, so these are the differences a proxy, an HTTP library or a
// signer commonly introduces.
std::vector<std::string> mismatch_hints(const http::Request& req, ServiceKind s, const V4Claim& c,
                                        const std::vector<std::string>& signed_headers, const std::string& uri) {
  std::vector<std::string> hints;
  for (auto& name : signed_headers) {
    size_t count = 0;
    const std::string* first = nullptr;
    for (auto& [k, v] : req.headers) {
      if (k != name) continue;
      if (!first) first = &v;
      count++;
    }
    if (count == 0) {
      hints.push_back("signed header '" + name + "' is not in the request (removed on the way, e.g. by a proxy?)");
      continue;
    }
    if (count > 1) {
      hints.push_back("signed header '" + name + "' appears " + std::to_string(count) +
                      " times: SigV4 joins the values with ',' in order");
    }
    if (first->find("  ") != std::string::npos || first->find('\t') != std::string::npos) {
      hints.push_back("signed header '" + name + "' has runs of spaces or tabs: SigV4 collapses them to one space");
    }
    if (name == "host") hints.push_back("Host was signed as '" + *first + "': a proxy that rewrites it breaks the signature");
  }
  if (is_s3(s) && uri != req.raw_path) hints.push_back("the path was tried as sent and as SigV4 re-encodes it ('" + uri + "')");
  hints.push_back("access key '" + c.cred.access_key + "' scope " + c.cred.scope() +
                  ": check the secret key the client signed with");
  return hints;
}

// The signature check proper, then the body wrapping. `account` is null for an unknown key
// accepted in verify mode: its secret is unknown, so only the shape was checked.
std::optional<AuthError> verify_claim(http::Request& req, ServiceKind s, const V4Claim& c, const Account* account,
                                      sigv4::SigningKeyCache& keys) {
  std::vector<std::string> signed_headers;
  if (!sigv4::parse_signed_headers(c.signed_headers, signed_headers)) {
    if (c.presigned) return errors::query_malformed(s, "X-Amz-SignedHeaders is malformed: " + c.signed_headers);
    return errors::header_malformed(s, "the SignedHeaders component is malformed.",
                                    "Authorization header has an invalid SignedHeaders parameter: '" + c.signed_headers + "'.");
  }
  auto is_signed = [&](std::string_view name) {
    return std::find(signed_headers.begin(), signed_headers.end(), name) != signed_headers.end();
  };
  if (!is_s3(s) && !is_signed("host")) {
    return errors::ddb("InvalidSignatureException", "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
  }
  if (is_s3(s)) {
    // S3 refuses x-amz-* headers (and Host) that travel outside the signature; it tolerates an
    // unsigned x-amz-content-sha256.
    std::vector<std::string_view> not_signed;
    for (auto& [name, value] : req.headers) {
      bool must = name == "host" || (starts_with(name, "x-amz-") && name != "x-amz-content-sha256");
      if (!must || is_signed(name)) continue;
      if (std::find(not_signed.begin(), not_signed.end(), name) == not_signed.end()) not_signed.push_back(name);
    }
    if (!not_signed.empty()) {
      std::string names;
      for (auto& n : not_signed) names.append(names.empty() ? "" : ", ").append(n);
      return errors::headers_not_signed(names);
    }
  }
  Payload mode;
  std::string payload_hash;
  if (auto err = payload_of(req, s, c.presigned, mode, payload_hash)) return err;
  if (!account) {
    if (is_s3(s)) wrap_s3_body(req, mode, payload_hash);
    return std::nullopt;
  }
  std::string uri, query;
  if (!sigv4::canonical_uri(req.raw_path, is_s3(s), uri) || !sigv4::canonical_query(req.raw_query, c.presigned, query)) {
    if (is_s3(s)) return errors::s3(400, "InvalidURI", "Couldn't parse the specified URI.");
    return errors::signature_mismatch(s, c.cred.access_key, "", "", c.signature);
  }
  std::string headers = sigv4::canonical_headers(req.headers, signed_headers);
  std::string canonical = sigv4::canonical_request({req.method, uri, query, headers, c.signed_headers, payload_hash});
  std::string scope = c.cred.scope();
  std::string sts = sigv4::string_to_sign(c.amz_date, scope, canonical);
  std::string key = keys.get(account->secret_access_key, c.cred.date, c.cred.region, c.cred.service);
  if (!sigv4::signatures_equal(sigv4::signature(key, sts), c.signature)) {
    // Some clients sign an S3 path exactly as they send it rather than re-encoded (botocore
    // signs a raw '+' as '+', and S3 reads '+' in a path as a space): accept that form too.
    bool raw_ok = false;
    if (is_s3(s) && uri != req.raw_path && !req.raw_path.empty()) {
      std::string raw_canonical =
          sigv4::canonical_request({req.method, req.raw_path, query, headers, c.signed_headers, payload_hash});
      std::string raw_sts = sigv4::string_to_sign(c.amz_date, scope, raw_canonical);
      raw_ok = sigv4::signatures_equal(sigv4::signature(key, raw_sts), c.signature);
    }
    if (!raw_ok) {
      auto e = errors::signature_mismatch(s, c.cred.access_key, sts, canonical, c.signature);
      e.hints = mismatch_hints(req, s, c, signed_headers, uri);
      return e;
    }
  }
  if (is_s3(s)) {
    std::optional<ChunkSigning> signing;
    if (mode == Payload::kStreamingSigned || mode == Payload::kStreamingSignedTrailer) {
      signing = ChunkSigning{std::move(key), c.amz_date, std::move(scope), c.signature,
                             mode == Payload::kStreamingSignedTrailer};
    }
    wrap_s3_body(req, mode, payload_hash, std::move(signing));
  }
  return std::nullopt;
}

}  // namespace

AuthResult Authenticator::verify_v4_header(http::Request& req, ServiceKind service, int64_t now_s) const {
  AuthResult r;
  const std::string& authz = *req.header("authorization");
  sigv4::AuthorizationHeader ah;
  bool shaped = sigv4::parse_authorization(authz, ah);
  if (!shaped || !ah.missing.empty()) {
    std::string ddb_message;
    for (auto& m : ah.missing) ddb_message += "Authorization header requires '" + m + "' parameter. ";
    if (!shaped) ddb_message = "Authorization header is not a list of name=value pairs. ";
    r.error = errors::header_malformed(
        service, "the authorization header requires three components: Credential, SignedHeaders, and Signature.",
        ddb_message + "Authorization=" + authz);
    return r;
  }
  V4Claim c;
  if (!sigv4::parse_credential(ah.credential, c.cred)) {
    r.error = errors::header_malformed(service, std::string("the Credential is mal-formed; ") + kCredentialShape,
                                       "Credential must have exactly 5 slash-delimited elements, e.g. "
                                       "keyid/date/region/service/term, got '" + ah.credential + "'");
    return r;
  }
  c.signed_headers = std::move(ah.signed_headers);
  c.signature = std::move(ah.signature);

  const Account* account = nullptr;
  if (settle_key(req, service, c.cred.access_key, r, account)) return r;
  // X-Amz-Date, else the HTTP Date header (signed in its ISO 8601 basic form).
  std::optional<int64_t> t;
  std::string sent_date;
  if (auto* xd = req.header("x-amz-date")) {
    sent_date = trim(*xd);
    t = parse_iso8601_basic(sent_date);
    if (t) c.amz_date = sent_date;
  }
  if (!t) {
    if (auto* d = req.header("date")) {
      sent_date = trim(*d);
      t = parse_http_date(sent_date);
      if (t) c.amz_date = iso8601_basic(*t);
    }
  }
  if (!t) {
    r.error = errors::missing_date(service, authz);
    return r;
  }
  if (auto err = check_scope(c, service)) {
    r.error = std::move(err);
    return r;
  }
  if (*t < now_s - kMaxSkewSeconds || *t > now_s + kMaxSkewSeconds) {
    r.error = errors::time_skewed(service, sent_date, *t, now_s);
    return r;
  }
  r.error = verify_claim(req, service, c, account, keys_);
  return r;
}

AuthResult Authenticator::verify_v4_query(http::Request& req, ServiceKind service, int64_t now_s) const {
  AuthResult r;
  auto* algorithm = req.query_param("X-Amz-Algorithm");
  auto* credential = req.query_param("X-Amz-Credential");
  auto* signature = req.query_param("X-Amz-Signature");
  auto* date = req.query_param("X-Amz-Date");
  auto* signed_headers = req.query_param("X-Amz-SignedHeaders");
  auto* expires = req.query_param("X-Amz-Expires");
  if (!algorithm || !credential || !signature || !date || !signed_headers || (is_s3(service) && !expires)) {
    r.error = errors::query_malformed(service,
                                      "Query-string authentication version 4 requires the X-Amz-Algorithm, "
                                      "X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and "
                                      "X-Amz-Expires parameters.");
    return r;
  }
  if (*algorithm != sigv4::kAlgorithm) {
    r.error = errors::query_malformed(service, "X-Amz-Algorithm only supports \"AWS4-HMAC-SHA256\"");
    return r;
  }
  V4Claim c;
  c.presigned = true;
  if (!sigv4::parse_credential(*credential, c.cred)) {
    r.error = errors::wrong_scope(service, true, std::string("the Credential is mal-formed; ") + kCredentialShape,
                                  "Credential must have exactly 5 slash-delimited elements, e.g. "
                                  "keyid/date/region/service/term, got '" + *credential + "'");
    return r;
  }
  auto t = parse_iso8601_basic(*date);
  if (!t) {
    r.error = errors::query_malformed(service, "X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"");
    return r;
  }
  std::optional<int64_t> lifetime;
  if (expires) {
    lifetime = parse_i64(*expires);
    std::string problem;
    if (!lifetime) problem = "X-Amz-Expires should be a number";
    else if (*lifetime < 0) problem = "X-Amz-Expires must be non-negative";
    else if (*lifetime > kMaxPresignSeconds)
      problem = "X-Amz-Expires must be less than a week (in seconds); that is, the given X-Amz-Expires must be "
                "less than 604800 seconds";
    if (!problem.empty()) {
      r.error = errors::query_malformed(service, problem);
      return r;
    }
  }
  c.amz_date = *date;
  c.signed_headers = *signed_headers;
  c.signature = *signature;

  const Account* account = nullptr;
  if (settle_key(req, service, c.cred.access_key, r, account)) return r;
  if (auto err = check_scope(c, service)) {
    r.error = std::move(err);
    return r;
  }
  // X-Amz-Expires is 1..604800: 0 is a URL that has already expired. A URL dated later than
  // now (beyond the header skew) is not valid yet.
  if (lifetime && (now_s > *t + *lifetime || *lifetime == 0)) {
    r.error = errors::presign_expired(service, *lifetime, *t + *lifetime, now_s);
    return r;
  }
  if (*t > now_s + kMaxSkewSeconds) {
    r.error = errors::presign_not_yet_valid(service, *t, *t + lifetime.value_or(0), now_s);
    return r;
  }
  r.error = verify_claim(req, service, c, account, keys_);
  return r;
}

}  // namespace localaws::auth
