// Orchestration: which signature scheme a request uses, in which order AWS checks things (shape,
// access key, scope, date, payload mode, signature), and how the body is wrapped afterwards.
// The computations live in sigv4.cc / sigv2.cc, the body decoders in chunked.cc / payload.cc,
// the error texts in errors.cc.
#include "auth/authenticator.h"

#include "auth/body_mode.h"
#include "auth/errors.h"
#include "common/log.h"
#include "common/strings.h"

namespace localaws::auth {

namespace {

bool is_s3(ServiceKind s) { return s == ServiceKind::kS3; }

bool all_digits(std::string_view s) {
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return !s.empty();
}

}  // namespace

Authenticator::Authenticator(const Accounts& accounts, Mode mode) : accounts_(accounts), mode_(mode) {}

std::optional<AuthError> Authenticator::resolve(const std::string& access_key, ServiceKind service, Principal& who,
                                                const Account*& account) const {
  account = accounts_.by_access_key(access_key);
  if (account) {
    who = Principal::from(*account, access_key);
    return std::nullopt;
  }
  if (mode_ == Mode::kStrict) return errors::unknown_access_key(service, access_key);
  // Local-emulator convention: an unknown key acts as the default account, or a 12-digit key as
  // that account id, so set-ups with dummy keys keep working. Its signature cannot be checked.
  if (access_key.size() == 12 && all_digits(access_key)) {
    if (auto* a = accounts_.by_account_id(access_key)) {
      who = Principal::from(*a, access_key);
    } else {
      who = Principal{};
      who.anonymous = false;
      who.access_key_id = access_key;
      who.account_id = access_key;
      who.canonical_user_id = Accounts::derive_canonical_id(access_key);
      who.display_name = "account-" + access_key;
    }
  } else {
    who = Principal::from(accounts_.default_account(), access_key);
  }
  bool first;
  {
    std::lock_guard<std::mutex> lock(logged_mu_);
    first = logged_unknown_keys_.size() < 10000 && logged_unknown_keys_.insert(access_key).second;
  }
  if (first) {
    log::info("auth: unknown access key '" + access_key + "' accepted as account " + who.account_id +
              " without checking its signature (use --auth strict to refuse unknown keys)");
  }
  return std::nullopt;
}

bool Authenticator::settle_key(http::Request& req, ServiceKind service, const std::string& access_key,
                               AuthResult& r, const Account*& account) const {
  if (auto err = resolve(access_key, service, r.principal, account)) {
    r.error = std::move(err);
    return true;
  }
  if (mode_ != Mode::kOff) return false;
  if (is_s3(service)) {
    wrap_s3_body(req, classify_payload(req.header("x-amz-content-sha256")), "");
  } else {
    std::string unused_hash;  // the same StringBody hand-over as in the other modes
    r.error = load_json_body(req, unused_hash);
  }
  return true;
}

AuthResult Authenticator::authenticate(http::Request& req, ServiceKind service, int64_t now_s) const {
  // S3's only OPTIONS request is the CORS preflight, which a browser sends without credentials to
  // the URL of the request it precedes, a presigned URL's query included (signed for PUT or GET,
  // never for OPTIONS): S3 answers it from the bucket's CORS rules alone, signed or not.
  if (is_s3(service) && req.method == "OPTIONS") return anonymous(req, service);
  const std::string* authz = req.header("authorization");
  bool v4_query = req.has_query("X-Amz-Algorithm") || req.has_query("X-Amz-Credential") ||
                  req.has_query("X-Amz-Signature");
  bool v2_query = is_s3(service) && !v4_query && req.has_query("AWSAccessKeyId") && req.has_query("Signature");
  if (authz && (v4_query || v2_query) && is_s3(service)) {
    return {{}, errors::s3_invalid_argument("Only one auth mechanism allowed; only the X-Amz-Algorithm query "
                                            "parameter, Signature query string parameter or the Authorization "
                                            "header should be specified",
                                            "Authorization", *authz)};
  }
  if (authz) {
    if (starts_with(*authz, sigv4::kAlgorithm)) return verify_v4_header(req, service, now_s);
    if (is_s3(service) && starts_with(*authz, "AWS ")) return verify_v2(req, false, now_s);
    if (is_s3(service)) {
      return {{}, errors::s3_invalid_argument("Unsupported Authorization Type", "Authorization", *authz)};
    }
    return {{}, errors::ddb("IncompleteSignatureException",
                            "Authorization header requires 'Credential' parameter. Authorization header requires "
                            "'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. "
                            "Authorization=" + *authz)};
  }
  if (v4_query) return verify_v4_query(req, service, now_s);
  if (v2_query) return verify_v2(req, true, now_s);
  return anonymous(req, service);
}

AuthResult Authenticator::anonymous(http::Request& req, ServiceKind service) const {
  AuthResult r;
  if (!is_s3(service)) {
    r.error = errors::missing_token();
    return r;
  }
  // Anonymous uploads (public-write buckets) still arrive aws-chunked from SDKs.
  const std::string* claimed = req.header("x-amz-content-sha256");
  wrap_s3_body(req, classify_payload(claimed), claimed && mode_ != Mode::kOff ? *claimed : "");
  return r;
}

}  // namespace localaws::auth
