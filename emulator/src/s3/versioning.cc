// Put/GetBucketVersioning and ListObjectVersions. The store assigns version ids and keeps each
// key's history; these handlers only validate, call it once and render.
#include "common/strings.h"
#include "common/time.h"
#include "s3/handlers.h"

namespace localaws::s3 {

namespace {
}  // namespace

void get_bucket_versioning(Ctx& c) {
  // A bucket that versioning was never enabled on has no Status element at all.
  XmlDoc doc("VersioningConfiguration");
  if (c.bkt->versioning == Versioning::kEnabled) doc.root.add("Status", "Enabled");
  if (c.bkt->versioning == Versioning::kSuspended) doc.root.add("Status", "Suspended");
  reply_xml(c, doc);
}

void put_bucket_versioning(Ctx& c) {
  pugi::xml_document doc;
  std::string body = read_small_body(c, 64 * 1024);
  if (!parse_xml(body, doc) || std::string(doc.document_element().name()) != "VersioningConfiguration")
    throw S3Error("MalformedXML");
  auto root = doc.document_element();
  auto status = child_text(root, "Status");
  auto mfa = child_text(root, "MfaDelete");
  if (status && *status != "Enabled" && *status != "Suspended") throw S3Error("MalformedXML");
  if (mfa && *mfa != "Enabled" && *mfa != "Disabled") throw S3Error("MalformedXML");
  if (mfa && *mfa == "Enabled") {
    // MFA delete needs the root user's MFA device serial and code in x-amz-mfa; localaws has no
    // MFA devices, so it refuses every request the way S3 refuses one without a valid device.
    throw S3Error("AccessDenied", "Mfa Authentication must be used for this request");
  }
  if (!status) {
    if (mfa) return;  // MfaDelete Disabled alone: nothing changes
    throw S3Error("IllegalVersioningConfigurationException");
  }
  Versioning want = *status == "Enabled" ? Versioning::kEnabled : Versioning::kSuspended;
  if (want == Versioning::kSuspended && c.bkt->object_lock)
    throw S3Error("InvalidBucketState",
                  "An Object Lock configuration is present on this bucket, so the versioning state cannot be changed.");
  // ---- checks end ----
  raise(c.store().set_versioning(c.bucket, want), c);
}

void list_object_versions(Ctx& c) {
  std::string prefix = param_or(c, "prefix"), delimiter = param_or(c, "delimiter");
  std::string key_marker = param_or(c, "key-marker"), vid_marker = param_or(c, "version-id-marker");
  bool url = url_encoding(c);
  if (!vid_marker.empty() && key_marker.empty())
    throw S3Error("InvalidArgument", "A version-id marker cannot be specified without a key marker.")
        .with("ArgumentName", "version-id-marker")
        .with("ArgumentValue", vid_marker);
  if (!vid_marker.empty() && vid_marker != "null" && !version_seq(vid_marker))
    throw S3Error("InvalidArgument", "Invalid version id specified")
        .with("ArgumentName", "version-id-marker")
        .with("ArgumentValue", vid_marker);
  auto enc = [&](const std::string& s) { return url ? uri_encode(s, true) : s; };
  size_t max_keys = count_param(c, "max-keys", 1000, 1000);
  // ---- checks end; one read ----
  VersionPage page = c.store().list_versions(c.bucket, {prefix, delimiter, key_marker, vid_marker, max_keys});

  XmlDoc doc("ListVersionsResult");
  auto& r = doc.root;
  r.add("Name", c.bucket).add("Prefix", enc(prefix)).add("KeyMarker", enc(key_marker));
  r.add("VersionIdMarker", vid_marker);
  if (page.truncated) {
    r.add("NextKeyMarker", enc(page.next_key_marker));
    // A page that ends on a common prefix resumes after the prefix: no version id to name.
    if (!page.next_version_id_marker.empty()) r.add("NextVersionIdMarker", page.next_version_id_marker);
  }
  r.add("MaxKeys", max_keys);
  if (!delimiter.empty()) r.add("Delimiter", enc(delimiter));
  r.add_bool("IsTruncated", page.truncated);
  if (url) r.add("EncodingType", "url");
  for (auto& e : page.entries) {
    if (e.is_prefix) continue;
    const Object& o = e.obj;
    auto v = r.child(o.is_marker ? "DeleteMarker" : "Version");
    // A delete marker shows the account that created it (DeleteMarkerEntry: "The account that
    // created the delete marker"); a version its owner under the bucket's ownership setting.
    v.child("Owner").add("ID", o.is_marker ? o.owner.id : listed_owner(c, o).id);
    v.add("Key", enc(o.key)).add("VersionId", o.version_id).add_bool("IsLatest", o.is_latest);
    v.add("LastModified", iso8601_ms(o.last_modified_ms));
    if (o.is_marker) continue;
    v.add("ETag", o.etag).add("Size", o.size).add("StorageClass", o.meta.storage_class);
    if (!o.meta.checksum_algo.empty())
      v.add("ChecksumAlgorithm", o.meta.checksum_algo).add("ChecksumType", o.meta.checksum_type);
  }
  for (auto& e : page.entries) {
    if (e.is_prefix) r.child("CommonPrefixes").add("Prefix", enc(e.key));
  }
  reply_xml(c, doc);
}

}  // namespace localaws::s3
