#include "auth/errors.h"

#include "common/time.h"

namespace localaws::auth::errors {

namespace {

bool is_s3(ServiceKind s) { return s == ServiceKind::kS3; }

// S3 shows the bytes of StringToSign and CanonicalRequest as space-separated hex pairs.
std::string spaced_hex(const std::string& s) {
  static const char* kHex = "0123456789abcdef";
  std::string out;
  out.reserve(s.size() * 3);
  for (unsigned char c : s) {
    if (!out.empty()) out += ' ';
    out += kHex[c >> 4];
    out += kHex[c & 15];
  }
  return out;
}

// S3's time elements are ISO 8601 to the second: "2017-07-20T04:18:55Z".
std::string iso8601_s(int64_t epoch_s) {
  std::string t = iso8601_ms(epoch_s * 1000);
  return t.substr(0, t.size() - 5) + "Z";
}

}  // namespace

AuthError s3(int status, std::string code, std::string message) {
  AuthError e;
  e.status = status;
  e.code = std::move(code);
  e.message = std::move(message);
  return e;
}

AuthError ddb(std::string code, std::string message) { return s3(400, std::move(code), std::move(message)); }

AuthError signature_mismatch(ServiceKind s, const std::string& access_key, const std::string& string_to_sign,
                             const std::string& canonical_request, const std::string& provided) {
  AuthError e = is_s3(s) ? s3(403, "SignatureDoesNotMatch", std::string(kS3SignatureMismatch))
                         : ddb("InvalidSignatureException", std::string(kDdbSignatureMismatch));
  e.access_key_id = access_key;
  e.string_to_sign = string_to_sign;
  e.canonical_request = canonical_request;
  e.signature_provided = provided;
  if (is_s3(s)) {
    e.string_to_sign_bytes = spaced_hex(string_to_sign);
    e.canonical_request_bytes = spaced_hex(canonical_request);
  }
  return e;
}

AuthError unknown_access_key(ServiceKind s, const std::string& access_key) {
  if (!is_s3(s)) return ddb("UnrecognizedClientException", "The security token included in the request is invalid.");
  AuthError e = s3(403, "InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records.");
  e.access_key_id = access_key;
  return e;
}

AuthError time_skewed(ServiceKind s, const std::string& request_time_text, int64_t request_s, int64_t now_s) {
  if (is_s3(s)) {
    AuthError e = s3(403, "RequestTimeTooSkewed", "The difference between the request time and the current time is too large.");
    e.extra = {{"RequestTime", request_time_text},
               {"ServerTime", iso8601_s(now_s)},
               {"MaxAllowedSkewMilliseconds", "900000"}};
    return e;
  }
  // DynamoDB: "Signature expired: 20140325T143453Z is now earlier than 20140325T143751Z
  // (20140325T145251Z - 15 min.)", or "not yet current" for a date in the future.
  if (request_s < now_s) {
    return ddb("InvalidSignatureException", "Signature expired: " + iso8601_basic(request_s) + " is now earlier than " +
                                                iso8601_basic(now_s - 900) + " (" + iso8601_basic(now_s) +
                                                " - 15 min.)");
  }
  return ddb("InvalidSignatureException", "Signature not yet current: " + iso8601_basic(request_s) +
                                              " is still later than " + iso8601_basic(now_s + 900) + " (" +
                                              iso8601_basic(now_s) + " + 15 min.)");
}

AuthError presign_expired(ServiceKind s, int64_t expires_in, int64_t expires_at_s, int64_t now_s) {
  if (!is_s3(s)) return ddb("InvalidSignatureException", "Signature expired: the presigned request has expired.");
  AuthError e = s3(403, "AccessDenied", "Request has expired");
  if (expires_in >= 0) e.extra.emplace_back("X-Amz-Expires", std::to_string(expires_in));
  e.extra.emplace_back("Expires", iso8601_s(expires_at_s));
  e.extra.emplace_back("ServerTime", iso8601_s(now_s));
  return e;
}

AuthError presign_not_yet_valid(ServiceKind s, int64_t signed_at_s, int64_t expires_at_s, int64_t now_s) {
  if (!is_s3(s)) return ddb("InvalidSignatureException", "Signature not yet current: the presigned request is dated "
                                                         "in the future.");
  AuthError e = s3(403, "AccessDenied", "Request is not yet valid");
  // S3 reports X-Amz-Date in epoch milliseconds here (as users report it), the others in ISO 8601.
  e.extra.emplace_back("X-Amz-Date", std::to_string(signed_at_s * 1000));
  e.extra.emplace_back("Expires", iso8601_s(expires_at_s));
  e.extra.emplace_back("ServerTime", iso8601_s(now_s));
  return e;
}

AuthError header_malformed(ServiceKind s, const std::string& s3_detail, const std::string& ddb_message) {
  if (!is_s3(s)) return ddb("IncompleteSignatureException", ddb_message);
  return s3(400, "AuthorizationHeaderMalformed", "The authorization header is malformed; " + s3_detail);
}

AuthError query_malformed(ServiceKind s, const std::string& message) {
  if (!is_s3(s)) return ddb("IncompleteSignatureException", message);
  return s3(400, "AuthorizationQueryParametersError", message);
}

AuthError wrong_scope(ServiceKind s, bool presigned, const std::string& s3_detail, const std::string& ddb_message) {
  if (!is_s3(s)) return ddb("InvalidSignatureException", ddb_message);
  if (presigned) return s3(400, "AuthorizationQueryParametersError", "Error parsing the X-Amz-Credential parameter; " + s3_detail);
  return s3(400, "AuthorizationHeaderMalformed", "The authorization header is malformed; " + s3_detail);
}

AuthError missing_date(ServiceKind s, const std::string& authorization) {
  if (is_s3(s)) return s3(403, "AccessDenied", "AWS authentication requires a valid Date or x-amz-date header");
  return ddb("IncompleteSignatureException",
             "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=" +
                 authorization);
}

AuthError s3_invalid_argument(const std::string& message, const std::string& name, const std::string& value) {
  AuthError e = s3(400, "InvalidArgument", message);
  e.extra = {{"ArgumentName", name}, {"ArgumentValue", value}};
  return e;
}

AuthError headers_not_signed(const std::string& names) {
  AuthError e = s3(403, "AccessDenied", "There were headers present in the request which were not signed");
  e.extra = {{"HeadersNotSigned", names}};
  return e;
}

AuthError missing_token() {
  return ddb("MissingAuthenticationTokenException", "Request is missing Authentication Token");
}

}  // namespace localaws::auth::errors
