// Pure S3 rules: bucket names, ranges, conditional requests.
#include <catch2/catch.hpp>

#include "s3/rules.h"

using namespace localaws::s3;

TEST_CASE("s3 bucket names follow AWS's rules") {
  for (const char* ok : {"abc", "my-bucket", "my.bucket.name", "a1b2c3", "123"}) {
    INFO(ok);
    CHECK(valid_bucket_name(ok));
  }
  for (const char* bad : {"ab", "ABC", "my_bucket", "-abc", "abc-", ".abc", "abc.", "a..b", "192.168.5.4",
                          "xn--abc", "sthree-abc", "abc-s3alias", "abc--ol-s3", "abc.mrap", "abc--x-s3", "a b c",
                          "amzn-s3-demo-bucket", "abc--table-s3"}) {
    INFO(bad);
    CHECK_FALSE(valid_bucket_name(bad));
  }
  CHECK(valid_bucket_name(std::string(63, 'a')));
  CHECK_FALSE(valid_bucket_name(std::string(64, 'a')));
}

TEST_CASE("s3 ranges: single ranges, suffixes and open ends") {
  auto r = parse_range("bytes=2-4", 10);
  CHECK((r.kind == ByteRange::Kind::kRange && r.start == 2 && r.length == 3));
  r = parse_range("bytes=5-", 10);
  CHECK((r.kind == ByteRange::Kind::kRange && r.start == 5 && r.length == 5));
  r = parse_range("bytes=-3", 10);
  CHECK((r.kind == ByteRange::Kind::kRange && r.start == 7 && r.length == 3));
  r = parse_range("bytes=-30", 10);
  CHECK((r.kind == ByteRange::Kind::kRange && r.start == 0 && r.length == 10));
  r = parse_range("bytes=8-100", 10);
  CHECK((r.kind == ByteRange::Kind::kRange && r.start == 8 && r.length == 2));
}

TEST_CASE("s3 ranges: unsatisfiable ones are 416, malformed and multiple ones are ignored") {
  CHECK(parse_range("bytes=10-", 10).kind == ByteRange::Kind::kUnsatisfiable);
  CHECK(parse_range("bytes=10-20", 10).kind == ByteRange::Kind::kUnsatisfiable);
  CHECK(parse_range("bytes=-0", 10).kind == ByteRange::Kind::kUnsatisfiable);
  CHECK(parse_range("bytes=0-", 0).kind == ByteRange::Kind::kUnsatisfiable);
  CHECK(parse_range("bytes=5-2", 10).kind == ByteRange::Kind::kNone);
  CHECK(parse_range("bytes=a-b", 10).kind == ByteRange::Kind::kNone);
  CHECK(parse_range("items=0-1", 10).kind == ByteRange::Kind::kNone);
  CHECK(parse_range("bytes=0-1,3-4", 10).kind == ByteRange::Kind::kNone);
  CHECK(parse_range("bytes=", 10).kind == ByteRange::Kind::kNone);
}

TEST_CASE("s3 conditional requests follow AWS's precedence") {
  const std::string etag = "\"abc\"";
  const int64_t lm = 1000000, now = 5000000;
  std::string match = "\"abc\"", other = "\"zzz\"", star = "*";
  std::string before = "Sat, 10 Jan 1970 00:00:00 GMT";  // 777600 < lm
  std::string after = "Sun, 25 Jan 1970 00:00:00 GMT";   // 2073600 > lm
  using C = Conditions;
  CHECK(evaluate_conditions(C{}, etag, lm, now) == CondResult::kProceed);
  CHECK(evaluate_conditions(C{&match}, etag, lm, now) == CondResult::kProceed);
  CHECK(evaluate_conditions(C{&other}, etag, lm, now) == CondResult::kPreconditionFailed);
  CHECK(evaluate_conditions(C{&star}, etag, lm, now) == CondResult::kProceed);
  // If-Match true wins over a false If-Unmodified-Since.
  CHECK(evaluate_conditions(C{&match, nullptr, nullptr, &before}, etag, lm, now) == CondResult::kProceed);
  CHECK(evaluate_conditions(C{nullptr, nullptr, nullptr, &before}, etag, lm, now) == CondResult::kPreconditionFailed);
  CHECK(evaluate_conditions(C{nullptr, nullptr, nullptr, &after}, etag, lm, now) == CondResult::kProceed);
  CHECK(evaluate_conditions(C{nullptr, &match}, etag, lm, now) == CondResult::kNotModified);
  CHECK(evaluate_conditions(C{nullptr, &other}, etag, lm, now) == CondResult::kProceed);
  // If-None-Match false (etag differs) makes a true If-Modified-Since irrelevant... and vice versa:
  CHECK(evaluate_conditions(C{nullptr, &other, &after}, etag, lm, now) == CondResult::kProceed);
  CHECK(evaluate_conditions(C{nullptr, nullptr, &after}, etag, lm, now) == CondResult::kNotModified);
  CHECK(evaluate_conditions(C{nullptr, nullptr, &before}, etag, lm, now) == CondResult::kProceed);
  // 412 is decided before 304.
  CHECK(evaluate_conditions(C{&other, &match}, etag, lm, now) == CondResult::kPreconditionFailed);
  // Unparsable dates are ignored.
  std::string junk = "yesterday";
  CHECK(evaluate_conditions(C{nullptr, nullptr, &junk, &junk}, etag, lm, now) == CondResult::kProceed);
}

TEST_CASE("s3 etag lists") {
  CHECK(etag_matches("\"a\", \"abc\"", "\"abc\""));
  CHECK(etag_matches("abc", "\"abc\""));
  CHECK(etag_matches("W/\"abc\"", "\"abc\""));
  CHECK_FALSE(etag_matches("\"ab\"", "\"abc\""));
}
