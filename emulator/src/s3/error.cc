#include "s3/error.h"

#include <map>
#include <pugixml.hpp>
#include <sstream>

#include "s3/xml.h"

namespace localaws::s3 {

namespace {
struct Entry {
  int status;
  const char* message;
};

// Codes, statuses and default messages as S3 documents them
// (https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html).
const std::map<std::string, Entry>& table() {
  static const std::map<std::string, Entry> t = {
      {"AccessDenied", {403, "Access Denied"}},
      {"AccessControlListNotSupported", {400, "The bucket does not allow ACLs"}},
      {"InvalidBucketAclWithObjectOwnership",
       {400, "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting"}},
      {"MalformedACLError", {400, "The XML you provided was not well-formed or did not validate against our published schema"}},
      {"MalformedPolicy", {400, "Policies must be valid JSON and the first byte must be '{'"}},
      {"InvalidPolicyDocument", {400, "The content of the form does not meet the conditions specified in the policy document."}},
      {"MalformedPOSTRequest", {400, "The body of your POST request is not well-formed multipart/form-data."}},
      {"AccessForbidden", {403, "CORSResponse: This CORS request is not allowed."}},
      {"NoSuchCORSConfiguration", {404, "The CORS configuration does not exist"}},
      {"NoSuchWebsiteConfiguration", {404, "The specified bucket does not have a website configuration"}},
      {"NoSuchLifecycleConfiguration", {404, "The lifecycle configuration does not exist"}},
      {"ServerSideEncryptionConfigurationNotFoundError", {404, "The server side encryption configuration was not found"}},
      {"InvalidObjectState", {403, "The operation is not valid for the object's storage class"}},
      {"RestoreAlreadyInProgress", {409, "Object restore is already in progress"}},
      {"NoSuchTagSet", {404, "The TagSet does not exist"}},
      {"ReplicationConfigurationNotFoundError", {404, "The replication configuration was not found"}},
      {"NoSuchConfiguration", {404, "The specified configuration does not exist."}},
      {"TooManyConfigurations",
       {400, "You are attempting to create a new configuration but have already reached the 1,000-configuration "
             "limit."}},
      {"InvalidTargetBucketForLogging", {400, "The target bucket for logging does not exist"}},
      {"CrossLocationLoggingProhibited",
       {403, "Cross-location logging not allowed. Buckets in one geographic location cannot log information to a "
             "bucket in another location."}},
      {"PolicyTooLarge", {400, "Policy exceeds the maximum allowed document size."}},
      {"UnexpectedContent", {400, "This request does not support content"}},
      {"NoSuchBucketPolicy", {404, "The bucket policy does not exist"}},
      {"NoSuchPublicAccessBlockConfiguration", {404, "The public access block configuration was not found"}},
      {"OwnershipControlsNotFoundError", {404, "The bucket ownership controls were not found"}},
      {"UnresolvableGrantByEmailAddress", {400, "The e-mail address you provided does not match any account on record."}},
      {"AuthorizationHeaderMalformed", {400, "The authorization header is malformed."}},
      {"BadDigest", {400, "The Content-MD5 you specified did not match what we received."}},
      {"BadRequest", {400, "Bad Request"}},
      {"BucketAlreadyExists",
       {409, "The requested bucket name is not available. The bucket namespace is shared by all users of the "
             "system. Please select a different name and try again."}},
      {"BucketAlreadyOwnedByYou",
       {409, "Your previous request to create the named bucket succeeded and you already own it."}},
      {"BucketNotEmpty", {409, "The bucket you tried to delete is not empty"}},
      {"EntityTooLarge", {400, "Your proposed upload exceeds the maximum allowed size"}},
      {"EntityTooSmall", {400, "Your proposed upload is smaller than the minimum allowed object size."}},
      {"ExpiredToken", {400, "The provided token has expired."}},
      {"IllegalLocationConstraintException",
       {400, "The location constraint is incompatible for the region specific endpoint this request was sent to."}},
      {"IncompleteBody", {400, "You did not provide the number of bytes specified by the Content-Length HTTP header"}},
      {"InternalError", {500, "We encountered an internal error. Please try again."}},
      {"SlowDown", {503, "Please reduce your request rate."}},
      {"ServiceUnavailable", {503, "Service is unable to handle request."}},
      {"InvalidAccessKeyId", {403, "The AWS Access Key Id you provided does not exist in our records."}},
      {"InvalidArgument", {400, "Invalid Argument"}},
      {"InvalidBucketName", {400, "The specified bucket is not valid."}},
      {"InvalidDigest", {400, "The Content-MD5 you specified is not valid."}},
      {"InvalidEncryptionAlgorithmError",
       {400, "The encryption request you specified is not valid. The valid value is AES256."}},
      {"InvalidLocationConstraint", {400, "The specified location-constraint is not valid"}},
      {"IllegalVersioningConfigurationException",
       {400, "The Versioning element must be specified"}},
      {"InvalidBucketState", {409, "The request is not valid with the current state of the bucket."}},
      {"ObjectLockConfigurationNotFoundError", {404, "Object Lock configuration does not exist for this bucket"}},
      {"NoSuchObjectLockConfiguration", {404, "The specified object does not have a ObjectLock configuration"}},
      {"InvalidPart",
       {400, "One or more of the specified parts could not be found.  The part may not have been uploaded, or the "
             "specified entity tag may not match the part's entity tag."}},
      {"InvalidPartNumber", {416, "The requested partnumber is not satisfiable"}},
      {"InvalidPartOrder", {400, "The list of parts was not in ascending order. Parts must be ordered by part number."}},
      {"InvalidRange", {416, "The requested range is not satisfiable"}},
      {"InvalidRequest", {400, "Invalid Request"}},
      {"InvalidStorageClass", {400, "The storage class you specified is not valid"}},
      {"InvalidTag", {400, "The tag provided was not a valid tag."}},
      {"InvalidURI", {400, "Couldn't parse the specified URI."}},
      {"KeyTooLongError", {400, "Your key is too long"}},
      {"MalformedXML",
       {400, "The XML you provided was not well-formed or did not validate against our published schema"}},
      {"MaxMessageLengthExceeded", {400, "Your request was too big."}},
      {"MetadataTooLarge", {400, "Your metadata headers exceed the maximum allowed metadata size"}},
      {"MethodNotAllowed", {405, "The specified method is not allowed against this resource."}},
      {"MissingContentLength", {411, "You must provide the Content-Length HTTP header."}},
      {"MissingRequestBodyError", {400, "Request Body is empty"}},
      {"MissingSecurityHeader", {400, "Your request was missing a required header"}},
      {"NoSuchBucket", {404, "The specified bucket does not exist"}},
      {"NoSuchKey", {404, "The specified key does not exist."}},
      {"NoSuchUpload",
       {404, "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted "
             "or completed."}},
      {"NoSuchVersion", {404, "The specified version does not exist."}},
      {"NotImplemented", {501, "A header you provided implies functionality that is not implemented"}},
      {"NotModified", {304, "Not Modified"}},
      {"PreconditionFailed", {412, "At least one of the pre-conditions you specified did not hold"}},
      {"ConditionalRequestConflict",
       {409, "The conditional request cannot succeed due to a conflicting operation against this resource."}},
      {"RequestTimeTooSkewed", {403, "The difference between the request time and the current time is too large."}},
      {"SignatureDoesNotMatch",
       {403, "The request signature we calculated does not match the signature you provided. Check your key and "
             "signing method."}},
      {"XAmzContentSHA256Mismatch",
       {400, "The provided 'x-amz-content-sha256' header does not match what was computed."}},
  };
  return t;
}
}  // namespace

int status_of(const std::string& code) {
  auto it = table().find(code);
  return it == table().end() ? 500 : it->second.status;
}

S3Error::S3Error(std::string code_, std::string message_) : code(std::move(code_)), message(std::move(message_)) {
  auto it = table().find(code);
  status = it == table().end() ? 500 : it->second.status;
  if (message.empty() && it != table().end()) message = it->second.message;
}

std::string error_xml(const S3Error& e, const std::string& request_id, const std::string& host_id) {
  XmlDoc doc("Error", /*with_namespace=*/false);
  doc.root.add("Code", e.code);
  doc.root.add("Message", e.message);
  for (auto& [k, v] : e.extra) doc.root.add(k, v);
  doc.root.add("RequestId", request_id);
  doc.root.add("HostId", host_id);
  return doc.str();
}

void render_error(const S3Error& e, const std::string& method, const std::string& request_id, http::Response& res) {
  res.status = e.status;
  res.file.reset();
  res.headers.clear();
  for (auto& [k, v] : e.headers) res.set_header(k, v);
  if (e.status == 304) {
    res.body.clear();
    res.omit_body = true;
    return;
  }
  res.body = error_xml(e, request_id, host_id_for(request_id));
  res.journal.error_code = e.code;
  res.set_header("Content-Type", "application/xml");
  // HEAD errors carry no body (clients read the status only); Content-Length stays honest.
  if (method == "HEAD") res.omit_body = true;
}

S3Error from_auth_error(const auth::AuthError& a) {
  S3Error e(a.code, a.message);
  e.status = a.status;
  if (!a.access_key_id.empty()) e.with("AWSAccessKeyId", a.access_key_id);
  if (!a.string_to_sign.empty()) e.with("StringToSign", a.string_to_sign);
  if (!a.signature_provided.empty()) e.with("SignatureProvided", a.signature_provided);
  if (!a.string_to_sign_bytes.empty()) e.with("StringToSignBytes", a.string_to_sign_bytes);
  if (!a.canonical_request.empty()) e.with("CanonicalRequest", a.canonical_request);
  if (!a.canonical_request_bytes.empty()) e.with("CanonicalRequestBytes", a.canonical_request_bytes);
  for (auto& [k, v] : a.extra) e.with(k, v);
  return e;
}

}  // namespace localaws::s3
