// SigV4 building blocks, free of policy: parsing the Authorization header and the presigned
// query, the canonical request, the string to sign, the signing key, and chunk/trailer
// signatures. What a failure means for a client (which error, which status) is decided in
// authenticator.cc; these functions only say whether something parses and what it computes.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html
#pragma once
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "http/request.h"

namespace localaws::auth::sigv4 {

inline constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256";
inline constexpr std::string_view kUnsignedPayload = "UNSIGNED-PAYLOAD";
inline constexpr std::string_view kStreamingSigned = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD";
inline constexpr std::string_view kStreamingSignedTrailer = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER";
inline constexpr std::string_view kStreamingUnsignedTrailer = "STREAMING-UNSIGNED-PAYLOAD-TRAILER";
inline constexpr std::string_view kEmptySha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

// "AKID/20130524/us-east-1/s3/aws4_request".
struct Credential {
  std::string access_key;
  std::string date;  // yyyymmdd
  std::string region;
  std::string service;
  std::string terminal;  // must be aws4_request
  std::string scope() const { return date + "/" + region + "/" + service + "/" + terminal; }
};
// False unless `s` has exactly five '/'-separated, non-empty parts.
bool parse_credential(std::string_view s, Credential& out);

// The three components of "AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...".
// A component that is absent stays empty (its name is listed in `missing`, in AWS's order).
struct AuthorizationHeader {
  std::string credential;
  std::string signed_headers;
  std::string signature;
  std::vector<std::string> missing;  // "Credential", "Signature", "SignedHeaders"
};
// REQUIRES: value starts with kAlgorithm. Returns false when the text after the algorithm is
// not a comma-separated list of name=value pairs.
bool parse_authorization(std::string_view value, AuthorizationHeader& out);

// "host;x-amz-date" -> {"host", "x-amz-date"}. False on an empty name or upper-case letters
// (AWS requires the list lower-case and sorted; we only require lower-case).
bool parse_signed_headers(std::string_view list, std::vector<std::string>& out);

// The canonical URI. S3 uses each segment of the path URI-encoded once ("%2F" inside a segment
// stays "%2F"); every other service normalises dot segments and encodes the already-encoded
// path a second time. Returns false on a malformed percent escape.
bool canonical_uri(std::string_view raw_path, bool s3, std::string& out);

// The canonical query: every parameter decoded ('+' is a space) and re-encoded per RFC 3986,
// sorted by name then value, empty values kept as "name=". X-Amz-Signature is dropped when
// `presigned`. Returns false on a malformed percent escape.
bool canonical_query(std::string_view raw_query, bool presigned, std::string& out);

// "name:value\n" for every signed header: values trimmed with inner spaces collapsed, several
// occurrences joined with ','. A signed header missing from the request contributes "name:".
std::string canonical_headers(const http::HeaderList& headers, const std::vector<std::string>& signed_headers);

struct CanonicalParts {
  std::string_view method;
  std::string_view uri;    // from canonical_uri
  std::string_view query;  // from canonical_query
  std::string_view headers;  // from canonical_headers
  std::string_view signed_headers;  // the list as the client sent it
  std::string_view payload_hash;
};
std::string canonical_request(const CanonicalParts& p);

// "AWS4-HMAC-SHA256\n<amz_date>\n<scope>\n<hex sha256 of canonical request>".
std::string string_to_sign(std::string_view amz_date, std::string_view scope, std::string_view canonical_request);

// HMAC chain AWS4<secret> -> date -> region -> service -> aws4_request (raw 32 bytes).
std::string derive_signing_key(std::string_view secret, std::string_view date, std::string_view region,
                               std::string_view service);
// Lower-case hex of HMAC-SHA256(key, string_to_sign).
std::string signature(std::string_view signing_key, std::string_view string_to_sign);

// Signature of one aws-chunked chunk, given the hex SHA-256 of its data.
std::string chunk_signature(std::string_view signing_key, std::string_view amz_date, std::string_view scope,
                            std::string_view previous_signature, std::string_view chunk_sha256_hex);
// Signature of the trailing headers; `canonical_trailers` is "name:value\n" per trailer.
std::string trailer_signature(std::string_view signing_key, std::string_view amz_date, std::string_view scope,
                              std::string_view previous_signature, std::string_view canonical_trailers);

// Constant-time comparison of two signatures (hex text).
bool signatures_equal(std::string_view a, std::string_view b);

// True for 64 hex characters (either case), the shape of an x-amz-content-sha256 digest.
bool is_sha256_hex(std::string_view s);

// Derived signing keys cost four HMACs; clients reuse the same (secret, date, region, service)
// for every request of a day, so a small map saves them. Bounded: cleared when full.
class SigningKeyCache {
 public:
  std::string get(std::string_view secret, std::string_view date, std::string_view region, std::string_view service);

 private:
  static constexpr size_t kMaxEntries = 256;
  std::mutex mu_;
  std::map<std::string, std::string, std::less<>> keys_;
};

}  // namespace localaws::auth::sigv4
