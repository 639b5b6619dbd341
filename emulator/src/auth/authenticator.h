// SigV4 verification for every request: header auth, presigned query auth, and the payload
// modes (hex SHA-256, UNSIGNED-PAYLOAD, aws-chunked streaming with chunk signatures and
// trailers); S3's legacy SigV2 too. Bad input never throws: it comes back as an AuthError in the
// caller's protocol. auth/ERRORS.md lists every code, status and message, per service, and the
// body errors S3 sees while reading the wrapped body.
//
// Files: sigv4.{h,cc} (canonical request, string to sign, keys), sigv2.{h,cc}, chunked.{h,cc}
// (aws-chunked decoder), payload.{h,cc} (hash-verifying body), body_mode.{h,cc} (which wrapping
// a payload mode calls for), verify_v4.cc / verify_v2.cc (the checks in AWS's order),
// authenticator.cc (which scheme, accounts and modes), errors.{h,cc}.
#pragma once
#include <cstdint>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "auth/accounts.h"
#include "auth/sigv4.h"
#include "http/request.h"

namespace localaws::auth {

enum class Mode { kVerify, kStrict, kOff };
enum class ServiceKind { kS3, kDynamoDB };

// An authentication failure, already in the vocabulary of the service that was asked (see
// auth/errors.h for every code, status and message). S3 renders code and message plus the
// non-empty optional fields as elements of its <Error> (AWSAccessKeyId, StringToSign,
// SignatureProvided, StringToSignBytes, CanonicalRequest, CanonicalRequestBytes), then `extra`
// in order; DynamoDB renders only code (as __type) and message.
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
  std::string string_to_sign_bytes;     // "41 57 53 34 ..." as S3 shows them
  std::string canonical_request_bytes;  // likewise
  // Further S3 <Error> elements in order, e.g. RequestTime/ServerTime/MaxAllowedSkewMilliseconds
  // for RequestTimeTooSkewed, X-Amz-Expires/Expires/ServerTime for an expired presigned URL,
  // ArgumentName/ArgumentValue for InvalidArgument.
  std::vector<std::pair<std::string, std::string>> extra;
  // Not sent: what may explain a signature mismatch, from what localaws can see of the request
  // (a signed header missing, values with runs of spaces, a repeated header ...), for the log
  // and the request journal.
  std::vector<std::string> hints;
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
  AuthResult verify_v4_header(http::Request& req, ServiceKind service, int64_t now_s) const;
  AuthResult verify_v4_query(http::Request& req, ServiceKind service, int64_t now_s) const;
  AuthResult verify_v2(http::Request& req, bool presigned, int64_t now_s) const;
  AuthResult anonymous(http::Request& req, ServiceKind service) const;
  // Finds the account an access key acts as (who, account: nullptr when unknown); an error when
  // strict mode refuses an unknown key.
  std::optional<AuthError> resolve(const std::string& access_key, ServiceKind service, Principal& who,
                                   const Account*& account) const;
  // resolve() into r, and in Mode::kOff also hands the body on unchecked (still decoded). True
  // when the caller is done: r has an error, or nothing is to be checked.
  bool settle_key(http::Request& req, ServiceKind service, const std::string& access_key, AuthResult& r,
                  const Account*& account) const;

  const Accounts& accounts_;
  Mode mode_;
  mutable sigv4::SigningKeyCache keys_;
  mutable std::mutex logged_mu_;
  mutable std::set<std::string> logged_unknown_keys_;
};

}  // namespace localaws::auth
