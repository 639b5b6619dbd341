// A localaws bucket as DynamoDB's export and import jobs see it: looked up, read and written on
// behalf of the caller's account, with the permission rules S3 applies to that account (the
// bucket owner may, unless the bucket policy denies; another account only when the bucket
// policy allows it, or a bucket / object ACL grants it while ACLs are enabled). Failures are
// AWS's FailureCode / FailureMessage pairs (S3NoSuchBucket, S3AccessDenied), as DescribeExport
// and DescribeImport report them.
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "s3/blob_writer.h"
#include "s3/store.h"

namespace localaws {
struct Runtime;
}

namespace localaws::ddb::s3io {

struct Failure {
  std::string code, message;
};
Failure no_such_bucket();
Failure access_denied();

// Encryption of the objects a job writes: "" (the bucket's default), "AES256" or "KMS"
// (S3SseAlgorithm) with an optional key (S3SseKmsKeyId).
struct Sse {
  std::string algo;
  std::string kms_key_id;
};

// The bytes of one object being built: plain or gzip-compressed on the way into a new blob.
class ObjectBuilder {
 public:
  ObjectBuilder(const storage::BlobStore& blobs, bool gzip);
  ~ObjectBuilder();
  void append(std::string_view bytes);  // throws std::runtime_error when the blob cannot be written
  s3::Received finish();
  uint64_t written() const { return in_; }  // bytes appended (before compression)

 private:
  void emit(const char* data, size_t n);
  s3::HashingWriter w_;
  struct Gzip;
  std::unique_ptr<Gzip> gz_;
  uint64_t in_ = 0;
};

// What a write produced, as manifest-files.json lists it.
struct Written {
  std::string key;
  std::string etag;     // without quotes
  std::string md5_b64;  // base64 MD5 of the stored bytes
  uint64_t size = 0;
};

class BucketAccess {
 public:
  // The bucket, or nullopt with *fail set: missing (S3NoSuchBucket), or expected_owner (the
  // request's S3BucketOwner) names another account (S3AccessDenied).
  static std::optional<BucketAccess> open(Runtime& rt, const std::string& account, const std::string& bucket,
                                          const std::string* expected_owner, Failure* fail);
  // Whether the caller may perform the S3 action ("s3:PutObject", "s3:GetObject", "s3:ListBucket")
  // on key (ignored for s3:ListBucket); obj: the object read (its ACL counts when ACLs apply).
  bool may(const char* action, const std::string& key, const s3::Object* obj = nullptr) const;
  // Stores a finished blob as the object `key` (a new version, as PutObject would), owned as S3
  // decides for the caller. REQUIRES: may("s3:PutObject", key).
  Written commit(const std::string& key, const s3::Received& r, const std::string& content_type, const Sse& sse);
  Written put(const std::string& key, std::string_view bytes, const std::string& content_type, const Sse& sse);
  // Every current object under prefix, in key order, until visit returns false.
  void list(const std::string& prefix, const std::function<bool(const s3::Object&)>& visit);
  // The whole object, at most max bytes; nullopt (with *why) when it cannot be read.
  std::optional<std::string> read(const s3::Object& o, uint64_t max, std::string* why);
  const s3::Bucket& bucket() const { return bucket_; }
  const storage::BlobStore& blobs() const;

 private:
  BucketAccess(Runtime& rt, s3::Bucket b, std::string account);
  Runtime* rt_;
  std::shared_ptr<s3::Store> store_;
  s3::Bucket bucket_;
  std::string account_, canonical_;
};

}  // namespace localaws::ddb::s3io
