// Server-side encryption of objects: the request's SSE headers parsed and validated, the bucket's
// default encryption applied, the result stored in ObjectMeta and echoed in response headers.
// SSE-S3 and SSE-KMS are recorded and reported only (the bytes are not encrypted at rest); SSE-C
// (customer-provided keys) encrypts the blob with AES-256-CTR (s3/cipher.h).
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/serv-side-encryption.html
#pragma once
#include <memory>
#include <optional>
#include <string>

#include "http/request.h"
#include "http/response.h"
#include "s3/store.h"

namespace localaws::s3 {

struct Ctx;
struct Options;

// A bucket's default encryption (PutBucketEncryption, or the default a new bucket reports).
struct BucketSse {
  std::string algo = "AES256";  // AES256, aws:kms, aws:kms:dsse
  std::string kms_key_id;       // as configured ("" = the aws/s3 key)
  bool bucket_key = false;
  std::string blocked;          // BlockedEncryptionTypes: "" (not shown), "SSE-C" or "NONE"
  bool blocks_ssec() const { return blocked == "SSE-C"; }
};
// The bucket's configuration, or nullopt when it has none (only with --s3-defaults legacy: since
// January 2023 every bucket has SSE-S3, and since April 2026 new buckets block SSE-C).
std::optional<BucketSse> bucket_sse(const Ctx& c, const Bucket& b);
std::optional<BucketSse> bucket_sse(const Options& opts, const Bucket& b);

// A customer-provided key from the request (x-amz-server-side-encryption-customer-*, or with
// copy_source the x-amz-copy-source-server-side-encryption-customer-* headers), validated:
// nullopt when none of the headers is present; InvalidArgument / InvalidEncryptionAlgorithmError.
struct CustomerKey {
  std::string key;      // raw, 32 bytes
  std::string md5_b64;  // base64 MD5 of key, as the client sent it
};
std::optional<CustomerKey> customer_key(const http::Request& req, bool copy_source);

// The encryption a new object or upload gets: the request's headers, else the bucket's default.
struct NewSse {
  std::string algo;  // "", AES256, aws:kms, aws:kms:dsse
  std::string kms_key_id;
  std::string context;  // base64 JSON as sent
  bool bucket_key = false;
  std::optional<CustomerKey> ssec;
  bool named = false;  // the request itself named an encryption (CopyObject onto itself is then a change)
  // Stores the settings in m; SSE-C gets a fresh random nonce (returned raw).
  std::string apply(ObjectMeta& m) const;
};
// Throws InvalidArgument for malformed or conflicting headers, AccessDenied for SSE-C on a bucket
// that blocks it.
NewSse new_object_sse(const Ctx& c);

// The ARN S3 reports for a KMS key id, alias or ARN given for bucket b; "" names the account's
// AWS managed key (aws/s3). Also used by DynamoDB exports (dynamodb/s3_bridge.cc).
std::string kms_key_arn(const Bucket& b, const std::string& id);

// ETags of objects encrypted with SSE-KMS, DSSE-KMS or SSE-C are not the MD5 of their data.
bool etag_is_md5(const ObjectMeta& m);
// The quoted ETag a new single-blob object or part gets: MD5 or 16 random bytes.
std::string new_etag(const ObjectMeta& m, const std::string& md5_raw);

// x-amz-server-side-encryption, -aws-kms-key-id, -bucket-key-enabled, -customer-algorithm and
// -customer-key-MD5 of an object or upload; with_context also -context (PUT, copy, CreateMultipartUpload).
void sse_headers(const ObjectMeta& m, http::Response& res, bool with_context = false, bool with_customer = true);

// GET and HEAD refuse x-amz-server-side-encryption (400 InvalidArgument), as AWS documents.
void reject_sse_header_on_read(const http::Request& req);
// The customer key a read of a stored object needs (GET, HEAD, GetObjectAttributes, a copy source):
// nullopt for objects without SSE-C. Throws InvalidRequest without the key (or with a key for an
// object that has none), AccessDenied with the wrong one.
std::optional<CustomerKey> key_for_read(const http::Request& req, const ObjectMeta& m, bool copy_source);
// The object's bytes as stored (k nullopt) or decrypted with its key.
std::shared_ptr<http::OpenFile> plaintext(std::shared_ptr<http::OpenFile> raw, const ObjectMeta& m,
                                          const std::optional<CustomerKey>& k);

// Multipart with SSE-C: every UploadPart must send the upload's key (InvalidRequest otherwise);
// returns it (nullopt when the upload has none; InvalidRequest when a key is sent to one without).
std::optional<CustomerKey> upload_key(const http::Request& req, const Upload& u, bool required = true);
// A part's nonce, derived from the upload's nonce and the part's random ETag (no Part column).
std::string part_nonce(const Upload& u, const std::string& part_etag);
// The raw nonces of a stored object's segments (one per part for multipart SSE-C objects).
std::string encode_nonces(const std::string& raw);

}  // namespace localaws::s3
