// The S3 operations the ranker needs, over REST/XML.
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_Operations_Amazon_Simple_Storage_Service.html
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "aws/client.h"

namespace aws {

struct PublicAccessBlock {
  bool block_public_acls = true;
  bool ignore_public_acls = true;
  bool block_public_policy = true;
  bool restrict_public_buckets = true;
};

struct S3Object {
  std::string key;
  uint64_t size = 0;
  std::string etag;
  std::string last_modified;
};

struct ListPage {
  std::vector<S3Object> objects;
  std::string next_token;  // empty on the last page
};

struct GetResult {
  std::string body;
  std::string content_type;
  std::string etag;
};

class S3Client {
 public:
  explicit S3Client(SignedClient client);
  const ServiceConfig& config() const { return client_.config(); }

  // Lower-case letters, digits, '-' and '.', 3-63 characters, no "..", not an IP address.
  static bool dns_compatible(const std::string& bucket);
  // Virtual-hosted ("bucket.s3.region.amazonaws.com") or path style ("host/bucket"): virtual on
  // AWS for DNS-compatible names without dots (dots break the wildcard TLS certificate), path
  // style for custom endpoints, unless the profile's s3 addressing_style says otherwise.
  bool virtual_hosted(const std::string& bucket) const;

  // Sends LocationConstraint outside us-east-1 (where AWS rejects it).
  void create_bucket(const std::string& bucket) const;
  // ownership: "BucketOwnerEnforced", "BucketOwnerPreferred" or "ObjectWriter".
  void put_bucket_ownership_controls(const std::string& bucket, const std::string& ownership) const;
  void put_public_access_block(const std::string& bucket, const PublicAccessBlock& pab) const;
  void delete_public_access_block(const std::string& bucket) const;
  void put_bucket_policy(const std::string& bucket, const std::string& policy_json) const;

  // acl: a canned ACL for x-amz-acl ("public-read"), or empty to send none.
  void put_object(const std::string& bucket, const std::string& key, const std::string& body,
                  const std::string& content_type, const std::string& acl = "") const;
  GetResult get_object(const std::string& bucket, const std::string& key) const;
  void delete_object(const std::string& bucket, const std::string& key) const;
  ListPage list_objects_v2(const std::string& bucket, const std::string& prefix, const std::string& token = "",
                           int max_keys = 1000) const;

  // A presigned URL for GET or PUT of one object.
  std::string presign(const std::string& method, const std::string& bucket, const std::string& key,
                      int expires_seconds) const;
  // The object's plain (unsigned) URL: what a browser opens when the object is public.
  std::string object_url(const std::string& bucket, const std::string& key) const;

 private:
  Call make_call(const std::string& method, const std::string& bucket, const std::string& key, Pairs query) const;
  void put_config(const std::string& bucket, const std::string& subresource, const std::string& body,
                  const std::string& content_type) const;
  HttpResponse send(const Call& call) const;

  SignedClient client_;
};

// Reads an S3 <Error> document (or, for bodiless answers, a code made from the status).
AwsError parse_s3_error(const HttpResponse& res);

}  // namespace aws
