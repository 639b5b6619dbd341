// Put/Get/DeleteBucketTagging. The Tagging document is parsed and rendered by tagging.cc's helpers
// (shared with object tagging); bucket tags have their own limits (validate_bucket_tags).
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketTagging.html
#include "s3/handlers.h"

namespace localaws::s3 {

namespace {
constexpr const char* kTagging = "tagging";
}  // namespace

void get_bucket_tagging(Ctx& c) { reply_config(c, kTagging, "NoSuchTagSet", "application/xml"); }

void put_bucket_tagging(Ctx& c) {
  std::string body = read_small_body(c, 256 * 1024);
  verify_body_integrity(c.req, body);  // Content-MD5 or an x-amz-checksum-* is required
  Pairs tags = parse_tagging_xml(body);
  validate_bucket_tags(tags);
  // ---- checks end ----
  // An empty TagSet leaves the bucket without tags (GetBucketTagging answers NoSuchTagSet).
  if (tags.empty()) return raise(c.store().set_bucket_config(c.bucket, kTagging, std::nullopt), c);
  raise(c.store().set_bucket_config(c.bucket, kTagging, tagging_xml(tags).str()), c);
}

void delete_bucket_tagging(Ctx& c) { remove_config(c, kTagging); }

}  // namespace localaws::s3
