#include <catch2/catch.hpp>

#include "common/time.h"
#include "s3/error.h"
#include "s3/lifecycle.h"

using namespace localaws;
using namespace localaws::s3;

namespace {
int64_t at(const char* iso) { return *parse_iso8601(iso) * 1000; }

std::string code_of(const std::string& xml) {
  try {
    parse_lifecycle_xml(xml);
  } catch (const S3Error& e) {
    return e.code;
  }
  return "";
}

std::string one_rule(const std::string& inner) {
  return "<LifecycleConfiguration><Rule><ID>r</ID><Status>Enabled</Status>" + inner + "</Rule></LifecycleConfiguration>";
}
}  // namespace

TEST_CASE("s3 lifecycle: AWS's rounding to the next midnight UTC") {
  CHECK(ceil_midnight(at("2030-01-01T00:00:00Z")) == at("2030-01-01T00:00:00Z"));
  CHECK(ceil_midnight(at("2030-01-01T00:00:01Z")) == at("2030-01-02T00:00:00Z"));
  CHECK(ceil_midnight(at("2030-01-01T23:59:59Z")) == at("2030-01-02T00:00:00Z"));
  // AWS's example: created Jan 15 10:30 UTC, 3 days -> Jan 19 00:00 UTC.
  CHECK(due_ms(at("2014-01-15T10:30:00Z"), 3) == at("2014-01-19T00:00:00Z"));
  CHECK(due_ms(at("2030-12-31T23:00:00Z"), 1) == at("2031-01-02T00:00:00Z"));
  CHECK(due_ms(at("2030-03-01T00:00:00Z"), 2) == at("2030-03-03T00:00:00Z"));
}

TEST_CASE("s3 lifecycle: rule matching") {
  auto cfg = parse_lifecycle_xml(one_rule(
      "<Filter><And><Prefix>logs/</Prefix><Tag><Key>a</Key><Value>1</Value></Tag><ObjectSizeGreaterThan>10"
      "</ObjectSizeGreaterThan><ObjectSizeLessThan>100</ObjectSizeLessThan></And></Filter>"
      "<Expiration><Days>1</Days></Expiration>"));
  const LcRule& r = cfg.rules.at(0);
  Pairs tags = {{"b", "2"}, {"a", "1"}};
  CHECK(rule_matches(r, "logs/x", 50, tags));
  CHECK_FALSE(rule_matches(r, "other/x", 50, tags));
  CHECK_FALSE(rule_matches(r, "logs/x", 10, tags));   // strictly greater
  CHECK_FALSE(rule_matches(r, "logs/x", 100, tags));  // strictly less
  CHECK_FALSE(rule_matches(r, "logs/x", 50, {{"a", "2"}}));
  CHECK_FALSE(rule_matches(r, "logs/x", 50, {}));
  CHECK(key_matches(r, "logs/x"));

  auto all = parse_lifecycle_xml(one_rule("<Filter/><Expiration><Days>5</Days></Expiration>"));
  CHECK(rule_matches(all.rules[0], "anything", 0, {}));
  Object o;
  o.key = "k";
  o.last_modified_ms = at("2030-01-01T10:00:00Z");
  auto e = expiration_for(all, o);
  REQUIRE(e);
  CHECK(e->at_ms == at("2030-01-07T00:00:00Z"));
  CHECK(e->rule_id == "r");
}

TEST_CASE("s3 lifecycle: storage form round trip keeps every element") {
  std::string xml =
      "<LifecycleConfiguration>"
      "<Rule><ID>a</ID><Prefix>old/</Prefix><Status>Disabled</Status><Expiration><Date>2031-01-01T00:00:00.000Z"
      "</Date></Expiration></Rule>"
      "<Rule><ID>b</ID><Filter><Tag><Key>k</Key><Value>v</Value></Tag></Filter><Status>Enabled</Status>"
      "<Transition><Days>0</Days><StorageClass>GLACIER_IR</StorageClass></Transition>"
      "<NoncurrentVersionTransition><NoncurrentDays>30</NoncurrentDays><StorageClass>STANDARD_IA</StorageClass>"
      "<NewerNoncurrentVersions>2</NewerNoncurrentVersions></NoncurrentVersionTransition>"
      "<NoncurrentVersionExpiration><NoncurrentDays>60</NoncurrentDays><NewerNoncurrentVersions>5"
      "</NewerNoncurrentVersions></NoncurrentVersionExpiration></Rule>"
      "<Rule><ID>c</ID><Filter><Prefix>up/</Prefix></Filter><Status>Enabled</Status>"
      "<AbortIncompleteMultipartUpload><DaysAfterInitiation>3</DaysAfterInitiation></AbortIncompleteMultipartUpload>"
      "<Expiration><ExpiredObjectDeleteMarker>true</ExpiredObjectDeleteMarker></Expiration></Rule>"
      "</LifecycleConfiguration>";
  auto cfg = parse_lifecycle_xml(xml);
  auto back = decode_lifecycle(encode_lifecycle(cfg));
  REQUIRE(back);
  CHECK(lifecycle_xml(*back) == lifecycle_xml(cfg));
  REQUIRE(back->rules.size() == 3);
  CHECK(back->rules[0].filter.form == LcFilter::Form::kLegacyPrefix);
  CHECK_FALSE(back->rules[0].enabled);
  CHECK(back->rules[0].exp_date_ms == at("2031-01-01T00:00:00Z"));
  CHECK(back->rules[1].nc_transitions.at(0).newer == 2);
  CHECK(back->rules[1].nc_newer == 5);
  CHECK(back->rules[2].abort_days == 3);
  CHECK(back->rules[2].exp_marker == true);
  // What Get returns parses back to the same rules.
  CHECK(lifecycle_xml(parse_lifecycle_xml(lifecycle_xml(cfg))) == lifecycle_xml(cfg));
}

TEST_CASE("s3 lifecycle: validation errors") {
  CHECK(code_of("<nope/>") == "MalformedXML");
  CHECK(code_of(one_rule("<Filter/><Expiration><Days>0</Days></Expiration>")) == "InvalidArgument");
  CHECK(code_of(one_rule("<Filter/><Expiration><Date>2031-01-01T01:00:00Z</Date></Expiration>")) == "InvalidArgument");
  CHECK(code_of(one_rule("<Filter/><Expiration><Days>1</Days><ExpiredObjectDeleteMarker>true"
                         "</ExpiredObjectDeleteMarker></Expiration>")) == "MalformedXML");
  CHECK(code_of(one_rule("<Filter><Tag><Key>k</Key><Value>v</Value></Tag></Filter><AbortIncompleteMultipartUpload>"
                         "<DaysAfterInitiation>1</DaysAfterInitiation></AbortIncompleteMultipartUpload>")) ==
        "InvalidRequest");
  CHECK(code_of(one_rule("<Filter/>")) == "InvalidRequest");
  CHECK(code_of(one_rule("<Filter/><Transition><Days>29</Days><StorageClass>STANDARD_IA</StorageClass></Transition>")) ==
        "InvalidArgument");
  CHECK(code_of(one_rule("<Filter/><Transition><Days>30</Days><StorageClass>STANDARD_IA</StorageClass></Transition>"
                         "<Transition><Days>59</Days><StorageClass>GLACIER</StorageClass></Transition>")) ==
        "InvalidArgument");
  CHECK(code_of(one_rule("<Filter/><Transition><Days>30</Days><StorageClass>STANDARD_IA</StorageClass></Transition>"
                         "<Transition><Days>60</Days><StorageClass>GLACIER</StorageClass></Transition>")) == "");
  CHECK(code_of(one_rule("<Filter><And><ObjectSizeGreaterThan>10</ObjectSizeGreaterThan><ObjectSizeLessThan>10"
                         "</ObjectSizeLessThan></And></Filter><Expiration><Days>1</Days></Expiration>")) ==
        "InvalidArgument");
  std::string dup = "<LifecycleConfiguration>";
  for (int i = 0; i < 2; i++)
    dup += "<Rule><ID>same</ID><Status>Enabled</Status><Filter><Prefix>p" + std::to_string(i) +
           "</Prefix></Filter><Expiration><Days>1</Days></Expiration></Rule>";
  CHECK(code_of(dup + "</LifecycleConfiguration>") == "InvalidArgument");
}

TEST_CASE("s3 lifecycle: transitions and archived classes") {
  CHECK(storage_class_rank("STANDARD") < storage_class_rank("STANDARD_IA"));
  CHECK(storage_class_rank("GLACIER_IR") < storage_class_rank("GLACIER"));
  CHECK(storage_class_rank("GLACIER") < storage_class_rank("DEEP_ARCHIVE"));
  CHECK(is_archived("GLACIER"));
  CHECK(is_archived("DEEP_ARCHIVE"));
  CHECK_FALSE(is_archived("GLACIER_IR"));
  LcConfig cfg;
  LcRule plain;
  CHECK_FALSE(transition_size_ok(cfg, plain, "GLACIER", 1000));
  CHECK(transition_size_ok(cfg, plain, "GLACIER", 128 * 1024));
  cfg.min_size = "varies_by_storage_class";
  CHECK(transition_size_ok(cfg, plain, "GLACIER", 1000));
  CHECK_FALSE(transition_size_ok(cfg, plain, "STANDARD_IA", 1000));
  LcRule sized;
  sized.filter.size_gt = 0;
  CHECK(transition_size_ok(LcConfig{}, sized, "STANDARD_IA", 1));
}

TEST_CASE("s3 lifecycle: archived reads") {
  Object o;
  o.meta.storage_class = "GLACIER";
  http::Response res;
  CHECK_THROWS_AS(archive_read(o, 1000, false, res), S3Error);
  CHECK_NOTHROW(archive_read(o, 1000, true, res));
  o.meta.restore_ready_ms = 2000;
  o.meta.restore_expiry_ms = 5000;
  http::Response r1;
  CHECK_THROWS_AS(archive_read(o, 1999, false, r1), S3Error);
  http::Response r2;
  CHECK_NOTHROW(archive_read(o, 2000, false, r2));
  REQUIRE(r2.header("x-amz-restore"));
  CHECK(*r2.header("x-amz-restore") == "ongoing-request=\"false\", expiry-date=\"Thu, 01 Jan 1970 00:00:05 GMT\"");
  REQUIRE(r1.header("x-amz-restore"));
  CHECK(*r1.header("x-amz-restore") == "ongoing-request=\"true\"");
  http::Response r3;
  CHECK_THROWS_AS(archive_read(o, 5000, false, r3), S3Error);
  o.meta.storage_class = "GLACIER_IR";
  o.meta.restore_ready_ms = 0;
  http::Response r4;
  CHECK_NOTHROW(archive_read(o, 1, false, r4));
}
