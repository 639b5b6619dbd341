// S3 routing as a pure table: (method, bucket present?, key present?, query keyword, header guard)
// -> Op. No I/O, no state: unit tested with plain structs (router_test.cc).
#pragma once
#include <string>
#include <string_view>

#include "common/strings.h"
#include "http/request.h"

namespace localaws::s3 {

enum class Op {
  kListBuckets,
  kCreateBucket,
  kHeadBucket,
  kDeleteBucket,
  kGetBucketLocation,
  kListObjects,
  kListObjectsV2,
  kListMultipartUploads,
  kDeleteObjects,
  kPutObject,
  kCopyObject,
  kGetObject,
  kHeadObject,
  kDeleteObject,
  kPutObjectTagging,
  kGetObjectTagging,
  kDeleteObjectTagging,
  kGetObjectAttributes,
  kCreateMultipartUpload,
  kUploadPart,
  kUploadPartCopy,
  kCompleteMultipartUpload,
  kAbortMultipartUpload,
  kListParts,
  kGetBucketAcl,
  kPutBucketAcl,
  kGetObjectAcl,
  kPutObjectAcl,
  kGetBucketOwnershipControls,
  kPutBucketOwnershipControls,
  kDeleteBucketOwnershipControls,
  kGetPublicAccessBlock,
  kPutPublicAccessBlock,
  kDeletePublicAccessBlock,
  kGetBucketPolicy,
  kPutBucketPolicy,
  kDeleteBucketPolicy,
  kGetBucketPolicyStatus,
  kPostObject,
  kGetBucketCors,
  kPutBucketCors,
  kDeleteBucketCors,
  kPreflight,
  kGetBucketWebsite,
  kPutBucketWebsite,
  kDeleteBucketWebsite,
  kGetBucketRequestPayment,
  kGetBucketLifecycle,
  kGetBucketVersioning,
  kNotImplemented,    // a known S3 subresource or operation localaws does not build (yet)
  kMethodNotAllowed,  // no operation for this method on this resource
};

const char* op_name(Op op);

struct RouteInput {
  std::string_view method;
  bool has_bucket = false;
  bool has_key = false;
  const QueryParams* query = nullptr;
  const http::HeaderList* headers = nullptr;  // lower-case names
};

struct Route {
  Op op;
  std::string name;  // AWS's operation name (for NotImplemented: the subresource's operation)
};

Route route(const RouteInput& in);
inline Route route(const http::Request& req, bool has_bucket, bool has_key) {
  return route(RouteInput{req.method, has_bucket, has_key, &req.query, &req.headers});
}

// "/bucket/key" from the raw (percent-encoded) path. '+' decodes to a space as S3 does. Returns
// false on a malformed escape or a name that does not decode to UTF-8.
bool split_path(std::string_view raw_path, std::string& bucket, std::string& key);

// The bucket named by a virtual-hosted Host header ("photos.s3.localhost:4566",
// "photos.localhost", "my.dotted.bucket.s3.<domain>", "photos.s3.us-east-1.amazonaws.com"), or ""
// for path-style requests. domain: the extra configured domain (--s3-domain), may be empty.
std::string host_bucket(std::string_view host, std::string_view domain);

}  // namespace localaws::s3
