// RestoreObject: a temporary readable copy of an archived (GLACIER, DEEP_ARCHIVE) version, ready
// after the tier's retrieval time on the emulator clock and kept for Days ("Restoring an archived
// object", API_RestoreObject). The emulator takes AWS's documented upper bound of each tier:
// GLACIER Expedited 5 minutes, Standard 5 hours, Bulk 12 hours; DEEP_ARCHIVE Standard 12 hours,
// Bulk 48 hours (Expedited is not offered for DEEP_ARCHIVE).
#include "common/strings.h"
#include "s3/handlers.h"
#include "s3/lifecycle.h"

namespace localaws::s3 {

namespace {
constexpr int64_t kMinuteMs = 60 * 1000, kHourMs = 60 * kMinuteMs;

int64_t retrieval_ms(const std::string& storage_class, const std::string& tier) {
  if (storage_class == "DEEP_ARCHIVE") {
    if (tier == "Expedited")
      throw S3Error("InvalidArgument", "Expedited retrieval is not supported for the DEEP_ARCHIVE storage class")
          .with("ArgumentName", "Tier")
          .with("ArgumentValue", tier);
    return tier == "Bulk" ? 48 * kHourMs : 12 * kHourMs;
  }
  if (tier == "Expedited") return 5 * kMinuteMs;
  if (tier == "Bulk") return 12 * kHourMs;
  return 5 * kHourMs;
}
}  // namespace

void restore_object(Ctx& c) {
  std::string vid = param_or(c, "versionId");
  if (!vid.empty()) check_version_id(vid, "versionId");
  pugi::xml_document doc;
  std::string body = read_small_body(c, 64 * 1024);
  if (!parse_xml(body, doc) || std::string(doc.document_element().name()) != "RestoreRequest")
    throw S3Error("MalformedXML");
  auto root = doc.document_element();
  if (auto type = child_text(root, "Type"); type && trim(*type) == "SELECT")
    throw S3Error("NotImplemented", "RestoreObject of type SELECT is not implemented by localaws");
  auto days_text = child_text(root, "Days");
  if (!days_text) throw S3Error("MalformedXML");
  auto days = parse_u64(trim(*days_text));
  if (!days || *days == 0 || *days > 30000)
    throw S3Error("InvalidArgument", "Days must be a positive integer").with("ArgumentName", "Days");
  std::string tier = "Standard";
  if (auto jp = root.child("GlacierJobParameters")) {
    auto t = child_text(jp, "Tier");
    if (!t) throw S3Error("MalformedXML");
    tier = trim(*t);
  } else if (auto t = child_text(root, "Tier")) {
    tier = trim(*t);
  }
  if (tier != "Standard" && tier != "Bulk" && tier != "Expedited") throw S3Error("MalformedXML");
  auto obj = c.store().find(c.bucket, c.key, vid);
  if (!obj || (obj->is_marker && vid.empty())) {
    if (vid.empty()) throw S3Error("NoSuchKey").with("Key", c.key);
    throw S3Error("NoSuchVersion").with("Key", c.key).with("VersionId", vid);
  }
  if (obj->is_marker) throw S3Error("MethodNotAllowed").with("Method", "POST").with("ResourceType", "DeleteMarker");
  if (!is_archived(obj->meta.storage_class))
    throw S3Error("InvalidObjectState", "Restore is not allowed for the object's current storage class")
        .with("StorageClass", obj->meta.storage_class);
  int64_t ready = c.now_ms + retrieval_ms(obj->meta.storage_class, tier);
  int64_t d = static_cast<int64_t>(*days);
  // The copy is kept Days from when it is ready (extended: from now), rounded up to midnight UTC.
  int64_t expiry_new = due_ms(ready, d), expiry_extend = due_ms(c.now_ms, d);
  // ---- checks end ----
  Store::RestoreState state;
  St st = c.store().restore_object(c.bucket, c.key, vid, is_archived, c.now_ms, ready, expiry_new, expiry_extend,
                                   &state, nullptr);
  if (st == St::kInvalidState)
    throw S3Error("InvalidObjectState", "Restore is not allowed for the object's current storage class");
  raise(st, c);
  if (state == Store::RestoreState::kInProgress) throw S3Error("RestoreAlreadyInProgress");
  if (!vid.empty() || c.bkt->versioning != Versioning::kNone) c.res.set_header("x-amz-version-id", obj->version_id);
  c.res.status = state == Store::RestoreState::kStarted ? 202 : 200;
}

}  // namespace localaws::s3
