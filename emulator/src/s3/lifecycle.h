// S3 lifecycle configurations (Put/Get/DeleteBucketLifecycleConfiguration): the rules, parsed and
// validated as AWS does, rendered back in AWS's shape, stored as compact JSON under the bucket
// config "lifecycle"; rule matching and AWS's day rounding for the sweep (lifecycle_sweep.h); the
// response headers rules imply (x-amz-expiration, x-amz-abort-date / -rule-id) and the archived
// storage classes (GET answers InvalidObjectState until RestoreObject, x-amz-restore).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/response.h"
#include "s3/store.h"

namespace localaws::s3 {

inline constexpr const char* kLifecycleConfig = "lifecycle";
inline constexpr int64_t kDayMs = 86400000;

struct LcFilter {
  std::string prefix;
  Pairs tags;
  std::optional<uint64_t> size_gt;  // ObjectSizeGreaterThan
  std::optional<uint64_t> size_lt;  // ObjectSizeLessThan
  // How it was written, so Get returns the same shape: legacy top-level <Prefix>, <Filter> with
  // one element, or <Filter><And>.
  enum class Form { kLegacyPrefix, kFilter, kAnd, kEmptyFilter } form = Form::kFilter;
};

struct LcTransition {
  std::optional<int64_t> days;     // Days (current) or NoncurrentDays (noncurrent)
  std::optional<int64_t> date_ms;  // Date (current only), midnight UTC
  std::optional<int64_t> newer;    // NewerNoncurrentVersions (noncurrent only)
  std::string storage_class;
};

struct LcRule {
  std::string id;
  bool enabled = true;
  LcFilter filter;
  std::optional<int64_t> exp_days;
  std::optional<int64_t> exp_date_ms;
  std::optional<bool> exp_marker;  // ExpiredObjectDeleteMarker
  std::optional<int64_t> nc_days;  // NoncurrentVersionExpiration
  std::optional<int64_t> nc_newer;
  std::optional<int64_t> abort_days;  // AbortIncompleteMultipartUpload DaysAfterInitiation
  std::vector<LcTransition> transitions;
  std::vector<LcTransition> nc_transitions;
};

struct LcConfig {
  std::vector<LcRule> rules;
  std::string min_size = "all_storage_classes_128K";  // x-amz-transition-default-minimum-object-size
};

// Parses a LifecycleConfiguration body; throws S3Error (MalformedXML, InvalidArgument,
// InvalidRequest) as AWS answers an invalid one.
LcConfig parse_lifecycle_xml(std::string_view body);
std::string lifecycle_xml(const LcConfig& cfg);
std::string encode_lifecycle(const LcConfig& cfg);
std::optional<LcConfig> decode_lifecycle(const std::string& s);
// The bucket's configuration, if it has one.
std::optional<LcConfig> lifecycle_of(const Bucket& b);

// AWS's rounding: a time rounded up to the next midnight UTC (a time at midnight stays).
int64_t ceil_midnight(int64_t ms);
// When an action of `days` days counted from base_ms becomes due: base + days, rounded up to the
// next midnight UTC ("Lifecycle configuration elements": how Amazon S3 calculates).
inline int64_t due_ms(int64_t base_ms, int64_t days) { return ceil_midnight(base_ms + days * kDayMs); }

// Whether the rule's filter selects this object (key prefix, every tag, size bounds).
bool rule_matches(const LcRule& r, const std::string& key, uint64_t size, const Pairs& tags);
// Whether the filter only looks at the key (AbortIncompleteMultipartUpload applies to uploads,
// which have no tags or size yet).
bool key_matches(const LcRule& r, const std::string& key);

// The transition order of storage classes (STANDARD first, DEEP_ARCHIVE last); -1 unknown.
int storage_class_rank(const std::string& sc);
// Archived storage classes: GET needs RestoreObject first.
bool is_archived(const std::string& sc);
// Whether a transition rule may move an object of this size (the 128 KB default minimum unless
// the rule filters on size itself).
bool transition_size_ok(const LcConfig& cfg, const LcRule& r, const std::string& target, uint64_t size);

// The current-version expiration a rule gives this object: when, and by which rule (earliest).
struct Expiry {
  int64_t at_ms = 0;
  std::string rule_id;
};
std::optional<Expiry> expiration_for(const LcConfig& cfg, const Object& o);
std::optional<Expiry> abort_for(const LcConfig& cfg, const std::string& key, int64_t initiated_ms);

// x-amz-expiration on PUT/GET/HEAD of a current version a rule will expire.
void expiration_header(const Bucket& b, const Object& o, http::Response& res);
// x-amz-abort-date / x-amz-abort-rule-id on CreateMultipartUpload and ListParts.
void abort_headers(const Bucket& b, const std::string& key, int64_t initiated_ms, http::Response& res);
// GET/HEAD of an archived version: x-amz-restore, and (GET only) InvalidObjectState unless a
// restored copy is available now.
void archive_read(const Object& o, int64_t now_ms, bool head, http::Response& res);
// Reading an archived version's bytes (GET, a copy source) needs a restored copy available now:
// InvalidObjectState otherwise.
void require_readable(const Object& o, int64_t now_ms);

}  // namespace localaws::s3
