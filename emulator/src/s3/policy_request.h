// What a bucket policy sees of an S3 request: its condition keys (s3/policy_conditions.h) taken
// from the request, the caller, the bucket and the object, and the bucket owner condition
// (x-amz-expected-bucket-owner / x-amz-source-expected-bucket-owner).
#pragma once
#include "s3/handlers.h"
#include "s3/policy_conditions.h"

namespace localaws::s3 {

// The condition keys of c's request acting on bucket b (obj: the object version it acts on).
PolicyContext policy_context(const Ctx& c, const Bucket& b, const Object* obj);

// AccessDenied when x-amz-expected-bucket-owner names another account than c.bkt's owner, or
// x-amz-source-expected-bucket-owner another than the x-amz-copy-source bucket's owner.
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-owner-condition.html
void check_expected_owners(const Ctx& c);

// authorize() once the body is read, with the condition keys it adds (access.cc). prepare()
// leaves the check of PutObjectTagging, PutObjectRetention and PutObjectLegalHold to their
// handlers when the bucket has a policy (body_keyed_op()).
bool authorize_with(const Ctx& c, Op op, const Object* obj, const PolicyContext& extra);
// s3:RequestObjectTag/<key> and s3:RequestObjectTagKeys of a tag set.
PolicyContext request_tag_keys(const Pairs& tags);

}  // namespace localaws::s3
