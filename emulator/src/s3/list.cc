// ListObjects (v1) and ListObjectsV2. Both resume from an index position (marker, start-after,
// continuation token), so a deep page costs what the first page costs.
#include "common/crypto.h"
#include "common/strings.h"
#include "common/time.h"
#include "s3/handlers.h"

namespace localaws::s3 {

namespace {

// The first key after `marker`: past the whole common prefix when the marker falls inside one,
// since that prefix was already listed.
std::string lower_after(const std::string& marker, const std::string& prefix, const std::string& delimiter) {
  if (marker.empty()) return "";
  if (!delimiter.empty() && starts_with(marker, prefix)) {
    size_t pos = marker.find(delimiter, prefix.size());
    if (pos != std::string::npos) {
      auto next = next_prefix(marker.substr(0, pos + delimiter.size()));
      if (next) return *next;
    }
  }
  return marker + std::string(1, '\0');
}
}  // namespace

namespace {
void list_objects(Ctx& c, bool v2) {
  std::string prefix = param_or(c, "prefix"), delimiter = param_or(c, "delimiter");
  bool url = url_encoding(c);
  auto enc = [&](const std::string& s) { return url ? uri_encode(s, true) : s; };
  size_t max_keys = count_param(c, "max-keys", 1000, 1000);

  ListQuery q{prefix, delimiter, "", max_keys, true};
  const std::string* token = v2 ? c.req.query_param("continuation-token") : nullptr;
  std::string start_after = param_or(c, "start-after"), marker = param_or(c, "marker");
  if (token) {
    if (token->empty() || !base64_decode(*token, q.lower))
      throw S3Error("InvalidArgument", "The continuation token provided is incorrect")
          .with("ArgumentName", "continuation-token")
          .with("ArgumentValue", *token);
  } else {
    q.lower = lower_after(v2 ? start_after : marker, prefix, delimiter);
  }
  bool fetch_owner = !v2 || param_or(c, "fetch-owner") == "true";
  // ---- checks end; one read ----
  ListPage page = c.store().list_objects(c.bucket, q);

  // Who owns listed objects, decided once (listed_owner for each entry).
  const bool enforced = fetch_owner && lists_bucket_owner(c);
  XmlOut r("ListBucketResult");
  r.reserve(512 + page.entries.size() * (fetch_owner ? 400 : 300));
  r.add("Name", c.bucket).add("Prefix", enc(prefix));
  if (v2) {
    if (!start_after.empty()) r.add("StartAfter", enc(start_after));
    if (token) r.add("ContinuationToken", *token);
    if (page.truncated) r.add("NextContinuationToken", base64_encode(page.next_lower));
    r.add("KeyCount", page.entries.size());
  } else {
    r.add("Marker", enc(marker));
    // S3 sends NextMarker only with a delimiter; without one clients use the last key.
    if (page.truncated && !delimiter.empty() && !page.entries.empty()) r.add("NextMarker", enc(page.entries.back().key));
  }
  r.add("MaxKeys", max_keys);
  if (!delimiter.empty()) r.add("Delimiter", enc(delimiter));
  r.add_bool("IsTruncated", page.truncated);
  if (url) r.add("EncodingType", "url");
  for (auto& e : page.entries) {
    if (e.is_prefix) continue;
    r.open("Contents");
    r.add("Key", enc(e.key)).add("LastModified", iso8601_ms(e.obj.last_modified_ms)).add("ETag", e.obj.etag);
    if (!e.obj.meta.checksum_algo.empty()) {
      r.add("ChecksumAlgorithm", e.obj.meta.checksum_algo).add("ChecksumType", e.obj.meta.checksum_type);
    }
    r.add("Size", e.obj.size);
    if (fetch_owner) r.open("Owner").add("ID", (enforced ? c.bkt->owner : e.obj.owner).id).close("Owner");
    r.add("StorageClass", e.obj.meta.storage_class);
    r.close("Contents");
  }
  for (auto& e : page.entries) {
    if (e.is_prefix) r.open("CommonPrefixes").add("Prefix", enc(e.key)).close("CommonPrefixes");
  }
  reply_xml_text(c, r.finish());
}

}  // namespace

void list_objects_v1(Ctx& c) { list_objects(c, false); }
void list_objects_v2(Ctx& c) { list_objects(c, true); }

}  // namespace localaws::s3
