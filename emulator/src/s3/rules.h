// Pure S3 rules with no I/O: bucket names, byte ranges, conditional requests. Unit tested in
// tests/unit/s3_rules_test.cc.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace localaws::s3 {

// AWS's general-purpose bucket naming rules
// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html).
bool valid_bucket_name(std::string_view name);

// A single byte range resolved against an object's size.
struct ByteRange {
  enum class Kind { kNone, kRange, kUnsatisfiable } kind = Kind::kNone;
  uint64_t start = 0;
  uint64_t length = 0;
};
// S3's reading of a Range header: "bytes=a-b", "bytes=a-", "bytes=-n". Malformed headers and
// multiple ranges are ignored (kNone: the whole object, 200), as S3 does; a first byte past the
// end (or a zero suffix) is kUnsatisfiable (416 InvalidRange).
ByteRange parse_range(std::string_view header, uint64_t size);

// The conditional headers of a GET/HEAD (or the x-amz-copy-source-if-* of a copy).
struct Conditions {
  const std::string* if_match = nullptr;
  const std::string* if_none_match = nullptr;
  const std::string* if_modified_since = nullptr;
  const std::string* if_unmodified_since = nullptr;
};
enum class CondResult { kProceed, kNotModified, kPreconditionFailed };
// AWS's precedence (RFC 7232 section 6): If-Match, else If-Unmodified-Since, decides 412; then
// If-None-Match, else If-Modified-Since, decides 304. A true If-Match makes a false
// If-Unmodified-Since irrelevant; a present If-None-Match makes If-Modified-Since irrelevant.
// etag is quoted ("abc"); last_modified_s in epoch seconds; now_s for future dates.
CondResult evaluate_conditions(const Conditions& c, const std::string& etag, int64_t last_modified_s, int64_t now_s);

// True when an If-Match / If-None-Match list ("a", "b" or *) names etag (quotes optional).
bool etag_matches(std::string_view list, const std::string& etag);

}  // namespace localaws::s3
