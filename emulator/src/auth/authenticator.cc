// PLACEHOLDER until SigV4 verification lands: resolves the access key, checks nothing.
#include "auth/authenticator.h"

namespace localaws::auth {

Authenticator::Authenticator(const Accounts& accounts, Mode mode) : accounts_(accounts), mode_(mode) {}

AuthResult Authenticator::authenticate(http::Request& req, ServiceKind service, int64_t now_s) const {
  AuthResult r;
  auto* h = req.header("authorization");
  if (!h) return r;
  auto p = h->find("Credential=");
  if (p == std::string::npos) return r;
  auto key = h->substr(p + 11, h->find('/', p) - p - 11);
  const Account* a = accounts_.by_access_key(key);
  r.principal = Principal::from(a ? *a : accounts_.default_account(), key);
  return r;
}

}  // namespace localaws::auth
