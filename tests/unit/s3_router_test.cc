// The S3 route table, driven with plain request structs (no server).
#include <catch2/catch.hpp>

#include "s3/router.h"

using namespace localaws;
using namespace localaws::s3;

namespace {
Route r(const char* method, bool bucket, bool key, QueryParams q = {}, http::HeaderList h = {}) {
  static QueryParams qs;
  static http::HeaderList hs;
  qs = std::move(q);
  hs = std::move(h);
  return route(RouteInput{method, bucket, key, &qs, &hs});
}
}  // namespace

TEST_CASE("s3 router: service and bucket operations") {
  CHECK(r("GET", false, false).op == Op::kListBuckets);
  CHECK(r("PUT", true, false).op == Op::kCreateBucket);
  CHECK(r("HEAD", true, false).op == Op::kHeadBucket);
  CHECK(r("DELETE", true, false).op == Op::kDeleteBucket);
  CHECK(r("GET", true, false).op == Op::kListObjects);
  CHECK(r("GET", true, false, {{"list-type", "2"}}).op == Op::kListObjectsV2);
  CHECK(r("GET", true, false, {{"location", ""}}).op == Op::kGetBucketLocation);
  CHECK(r("GET", true, false, {{"uploads", ""}}).op == Op::kListMultipartUploads);
  CHECK(r("POST", true, false, {{"delete", ""}}).op == Op::kDeleteObjects);
}

TEST_CASE("s3 router: object operations") {
  CHECK(r("PUT", true, true).op == Op::kPutObject);
  CHECK(r("PUT", true, true, {}, {{"x-amz-copy-source", "/b/k"}}).op == Op::kCopyObject);
  CHECK(r("GET", true, true).op == Op::kGetObject);
  CHECK(r("HEAD", true, true).op == Op::kHeadObject);
  CHECK(r("DELETE", true, true).op == Op::kDeleteObject);
  CHECK(r("PUT", true, true, {{"tagging", ""}}).op == Op::kPutObjectTagging);
  CHECK(r("GET", true, true, {{"tagging", ""}}).op == Op::kGetObjectTagging);
  CHECK(r("DELETE", true, true, {{"tagging", ""}}).op == Op::kDeleteObjectTagging);
  CHECK(r("GET", true, true, {{"attributes", ""}}).op == Op::kGetObjectAttributes);
  CHECK(r("POST", true, true, {{"uploads", ""}}).op == Op::kCreateMultipartUpload);
  CHECK(r("PUT", true, true, {{"partNumber", "1"}, {"uploadId", "x"}}).op == Op::kUploadPart);
  CHECK(r("PUT", true, true, {{"partNumber", "1"}, {"uploadId", "x"}}, {{"x-amz-copy-source", "b/k"}}).op ==
        Op::kUploadPartCopy);
  CHECK(r("POST", true, true, {{"uploadId", "x"}}).op == Op::kCompleteMultipartUpload);
  CHECK(r("DELETE", true, true, {{"uploadId", "x"}}).op == Op::kAbortMultipartUpload);
  CHECK(r("GET", true, true, {{"uploadId", "x"}}).op == Op::kListParts);
}

TEST_CASE("s3 router: unbuilt subresources answer NotImplemented, never the plain operation") {
  for (const char* sub : {"versions", "logging", "tagging", "encryption"}) {
    auto got = r("GET", true, false, {{sub, ""}});
    CHECK(got.op == Op::kNotImplemented);
  }
  CHECK(r("PUT", true, false, {{"versioning", ""}}).name == "PutBucketVersioning");
  CHECK(r("PUT", true, false, {{"logging", ""}}).name == "PutBucketLogging");
  // Only the reads of these two are built (fixed answers); writing them is not.
  CHECK(r("GET", true, false, {{"lifecycle", ""}}).op == Op::kGetBucketLifecycle);
  CHECK(r("GET", true, false, {{"requestPayment", ""}}).op == Op::kGetBucketRequestPayment);
  CHECK(r("PUT", true, false, {{"lifecycle", ""}}).op == Op::kNotImplemented);
  CHECK(r("GET", true, false, {{"versioning", ""}}).op == Op::kGetBucketVersioning);
  CHECK(r("PUT", true, false, {{"requestPayment", ""}}).name == "PutBucketRequestPayment");
  CHECK(r("PUT", true, false, {{"website", ""}}).op == Op::kPutBucketWebsite);
}

TEST_CASE("s3 router: access control subresources") {
  CHECK(r("PUT", true, false, {{"policy", ""}}).op == Op::kPutBucketPolicy);
  CHECK(r("GET", true, false, {{"policyStatus", ""}}).op == Op::kGetBucketPolicyStatus);
  CHECK(r("GET", true, false, {{"policy", ""}}).op == Op::kGetBucketPolicy);
  CHECK(r("PUT", true, true, {{"acl", ""}}).op == Op::kPutObjectAcl);
  CHECK(r("GET", true, true, {{"acl", ""}}).op == Op::kGetObjectAcl);
  CHECK(r("GET", true, false, {{"acl", ""}}).op == Op::kGetBucketAcl);
  CHECK(r("DELETE", true, false, {{"publicAccessBlock", ""}}).op == Op::kDeletePublicAccessBlock);
  CHECK(r("PUT", true, false, {{"ownershipControls", ""}}).op == Op::kPutBucketOwnershipControls);
  CHECK(r("GET", true, false, {{"cors", ""}}).op == Op::kGetBucketCors);
  CHECK(r("OPTIONS", true, true).op == Op::kPreflight);
  CHECK(r("POST", true, false).op == Op::kPostObject);
}

TEST_CASE("s3 router: methods without an operation") {
  CHECK(r("POST", true, true).op == Op::kMethodNotAllowed);
  CHECK(r("PATCH", true, false).op == Op::kMethodNotAllowed);
  CHECK(r("DELETE", false, false).op == Op::kMethodNotAllowed);
}

TEST_CASE("s3 router: path splitting decodes '+' as a space and keeps slashes in keys") {
  std::string b, k;
  REQUIRE(split_path("/bucket/a+b/c%2Bd/%E2%82%AC", b, k));
  CHECK(b == "bucket");
  CHECK(k == "a b/c+d/\xE2\x82\xAC");
  REQUIRE(split_path("/bucket", b, k));
  CHECK(b == "bucket");
  CHECK(k.empty());
  REQUIRE(split_path("/", b, k));
  CHECK(b.empty());
  CHECK_FALSE(split_path("/bucket/%zz", b, k));
  CHECK_FALSE(split_path("/bucket/%FF%FE", b, k));  // not UTF-8: InvalidURI
  CHECK_FALSE(split_path("/bucket/ok%C3", b, k));
  CHECK_FALSE(split_path("/bucket/%C0%AF", b, k));
  REQUIRE(split_path("/bucket/../../etc/passwd", b, k));
  CHECK(k == "../../etc/passwd");
}
