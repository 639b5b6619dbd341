// S3's legacy Signature Version 2 (HMAC-SHA1), still produced by old tools and by presigned
// URLs of some SDKs: header auth "Authorization: AWS <key>:<signature>" and query auth
// (AWSAccessKeyId, Expires, Signature).
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/RESTAuthentication.html
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "http/request.h"

namespace localaws::auth::sigv2 {

// "AWS AKID:signature" -> key and signature. False when the shape is wrong.
bool parse_authorization(std::string_view value, std::string& access_key, std::string& signature);

// The CanonicalizedResource: `path` (still percent-encoded, beginning with /bucket for
// virtual-hosted requests) plus the sub-resources of the query (acl, uploadId=..., versionId=...,
// response-* overrides ...), sorted by name, values decoded. With documented_only, only the
// sub-resources S3's SigV2 page lists (signers differ: botocore adds tagging, object-lock, ...).
std::string canonical_resource(std::string_view path, std::string_view raw_query, bool documented_only = false);

// The StringToSign: method, Content-MD5, Content-Type, date (the Expires value for query auth;
// empty when x-amz-date is sent), the x-amz-* headers (lower-case, sorted, values joined by ','),
// then the resource. With `presigned`, x-amz-*, Content-MD5 and Content-Type may also come from
// the query, where SDKs move them.
std::string string_to_sign(const http::Request& req, std::string_view date, bool presigned, std::string_view resource);

// A Date / x-amz-date value as clients send it: what parse_http_date reads (RFC 1123, RFC 850,
// asctime, RFC 2822 numeric zones), plus RFC 2822's optional day of week and its "UT" / "UTC" /
// "Z" zones. nullopt when it is none of them.
std::optional<int64_t> parse_date(std::string_view value);

// base64(HMAC-SHA1(secret, string_to_sign)).
std::string sign(std::string_view secret, std::string_view string_to_sign);

// The bucket a virtual-hosted request addresses through its Host ("b.s3.localhost:4566",
// "b.localhost", "b.s3.us-east-1.amazonaws.com"), or "" for path-style hosts.
std::string virtual_host_bucket(const http::Request& req);

}  // namespace localaws::auth::sigv2
