// SigV4 verification for every request: header auth, presigned query auth, and the payload
// modes (hex SHA-256, UNSIGNED-PAYLOAD, aws-chunked streaming with chunk signatures and
// trailers). Bad input never throws: it comes back as an AuthError in the caller's protocol.
#pragma once
#include <cstdint>
#include <mutex>
#include <optional>
#include <set>
#include <string>

#include "auth/accounts.h"
#include "http/request.h"

namespace localaws::auth {

enum class Mode { kVerify, kStrict, kOff };
enum class ServiceKind { kS3, kDynamoDB };

struct AuthError {
  int status = 403;
  std::string code;     // in the service's own vocabulary (S3: SignatureDoesNotMatch; DynamoDB:
                        // InvalidSignatureException ...)
  std::string message;
  // Extra elements S3 puts in its <Error> for signature mismatches.
  std::string access_key_id;
  std::string string_to_sign;
  std::string canonical_request;
  std::string signature_provided;
};

struct AuthResult {
  Principal principal;  // anonymous when the request carries no signature at all
  std::optional<AuthError> error;
};

class Authenticator {
 public:
  Authenticator(const Accounts& accounts, Mode mode);

  // Verifies req's signature (now_s: the current Unix time). On success returns the principal
  // and replaces req.body with a stream that decodes aws-chunked framing and verifies the
  // payload hash, chunk signatures and trailer as it is read. For DynamoDB the body is read
  // here (the signature covers its hash) and req.body becomes a StringBody.
  // In Mode::kOff signatures are not checked, but the body is still decoded and a present
  // access key still selects its account.
  AuthResult authenticate(http::Request& req, ServiceKind service, int64_t now_s) const;

  // Maximum size of a DynamoDB request body read for hashing.
  static constexpr size_t kMaxJsonBody = 16 * 1024 * 1024 + 64 * 1024;

 private:
  const Accounts& accounts_;
  Mode mode_;
  mutable std::mutex logged_mu_;
  mutable std::set<std::string> logged_unknown_keys_;
};

}  // namespace localaws::auth
