// Every authentication failure, named once, with the code, status and message each service
// gives for it (S3 XML errors; DynamoDB JSON errors, all status 400). Messages are AWS's.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

#include "auth/authenticator.h"

namespace localaws::auth {

inline constexpr std::string_view kS3SignatureMismatch =
    "The request signature we calculated does not match the signature you provided. Check your key and signing "
    "method.";
inline constexpr std::string_view kDdbSignatureMismatch =
    "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access "
    "Key and signing method. Consult the service documentation for details.";

namespace errors {

AuthError s3(int status, std::string code, std::string message);
AuthError ddb(std::string code, std::string message);  // status 400

// S3 SignatureDoesNotMatch (403, with the diagnostic fields) / DynamoDB InvalidSignatureException.
AuthError signature_mismatch(ServiceKind s, const std::string& access_key, const std::string& string_to_sign,
                             const std::string& canonical_request, const std::string& provided);
// S3 InvalidAccessKeyId (403) / DynamoDB UnrecognizedClientException.
AuthError unknown_access_key(ServiceKind s, const std::string& access_key);
// S3 RequestTimeTooSkewed (403) / DynamoDB InvalidSignatureException "Signature expired: ...".
// request_time_text: the date as the client sent it.
AuthError time_skewed(ServiceKind s, const std::string& request_time_text, int64_t request_s, int64_t now_s);
// S3 AccessDenied "Request has expired" (403). expires_in: X-Amz-Expires, or -1 for SigV2.
AuthError presign_expired(ServiceKind s, int64_t expires_in, int64_t expires_at_s, int64_t now_s);
// A presigned URL whose X-Amz-Date is later than now (beyond the 15 minutes of skew S3 allows):
// 403 AccessDenied "Request is not yet valid" with X-Amz-Date (epoch ms), Expires, ServerTime.
AuthError presign_not_yet_valid(ServiceKind s, int64_t signed_at_s, int64_t expires_at_s, int64_t now_s);
// S3 AuthorizationHeaderMalformed (400) / DynamoDB IncompleteSignatureException.
AuthError header_malformed(ServiceKind s, const std::string& s3_detail, const std::string& ddb_message);
// S3 AuthorizationQueryParametersError (400) / DynamoDB IncompleteSignatureException.
AuthError query_malformed(ServiceKind s, const std::string& message);
// A credential scoped to another service or terminator: S3 AuthorizationHeaderMalformed /
// AuthorizationQueryParametersError (400), DynamoDB InvalidSignatureException.
AuthError wrong_scope(ServiceKind s, bool presigned, const std::string& s3_detail, const std::string& ddb_message);
// No usable date: S3 AccessDenied (403) / DynamoDB IncompleteSignatureException.
AuthError missing_date(ServiceKind s, const std::string& authorization);
// S3 InvalidArgument (400) with ArgumentName/ArgumentValue.
AuthError s3_invalid_argument(const std::string& message, const std::string& name, const std::string& value);
// S3 AccessDenied (403) for x-amz-* headers (or Host) sent but not signed; names: "a, b".
AuthError headers_not_signed(const std::string& names);
// DynamoDB MissingAuthenticationTokenException (no signature at all).
AuthError missing_token();

}  // namespace errors
}  // namespace localaws::auth
