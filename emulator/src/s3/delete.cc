// DeleteObject and DeleteObjects.
#include "common/crypto.h"
#include "common/strings.h"
#include "http/body.h"
#include "s3/handlers.h"

namespace localaws::s3 {

namespace {
// x-amz-bypass-governance-retention: true, by a caller with s3:BypassGovernanceRetention. A
// bypass the caller may not use is no bypass: a governance retention then refuses the delete.
bool bypass_governance(const Ctx& c) {
  return iequals(trim(c.req.header_or("x-amz-bypass-governance-retention")), "true") &&
         may_bypass_governance(c, *c.bkt, nullptr);
}
}  // namespace

void delete_object(Ctx& c) {
  const std::string* vid = c.req.query_param("versionId");
  if (vid) check_version_id(*vid, "versionId");
  bool bypass = bypass_governance(c);
  // ---- checks end ----
  Deleted d;
  Owner requester = owner_of(c.who);  // a delete marker belongs to whoever made it
  St st = c.store().delete_object(c.bucket, c.key, vid ? *vid : "", bypass, c.now_ms, &d, &requester);
  raise(st, c);
  if (d.marker) c.res.set_header("x-amz-delete-marker", "true");
  if (!d.version_id.empty()) c.res.set_header("x-amz-version-id", d.version_id);
  c.res.status = 204;
}


void delete_objects(Ctx& c) {
  std::string body = read_small_body(c, 2 * 1024 * 1024);
  verify_body_integrity(c.req, body);
  pugi::xml_document doc;
  if (!parse_xml(body, doc) || std::string(doc.document_element().name()) != "Delete") throw S3Error("MalformedXML");
  auto root = doc.document_element();
  bool quiet = iequals(trim(child_text(root, "Quiet").value_or("false")), "true");
  struct Entry {
    std::string key, version;
    bool has_version;
  };
  std::vector<Entry> keys;
  for (auto obj : root.children("Object")) {
    auto k = child_text(obj, "Key");
    if (!k) throw S3Error("MalformedXML");
    auto v = child_text(obj, "VersionId");
    keys.push_back({*k, v.value_or(""), v.has_value()});
  }
  bool bypass = bypass_governance(c);
  Owner requester = owner_of(c.who);
  if (keys.empty() || keys.size() > 1000) throw S3Error("MalformedXML");
  // ---- checks end; each key is deleted in its own transaction ----
  XmlDoc out("DeleteResult");
  for (auto& [key, version, has_version] : keys) {
    if (key.size() > 1024) {
      out.root.child("Error").add("Key", key).add("Code", "KeyTooLongError").add("Message", "Your key is too long");
      continue;
    }
    // DeleteObjects reports a version id that names nothing S3 could hold as NoSuchVersion.
    if (has_version && (version.empty() || (version != "null" && !version_seq(version)))) {
      out.root.child("Error").add("Key", key).add("VersionId", version).add("Code", "NoSuchVersion")
          .add("Message", "The specified version does not exist.");
      continue;
    }
    Deleted d;
    St st = c.store().delete_object(c.bucket, key, version, bypass, c.now_ms, &d, &requester);
    if (st == St::kLocked) {
      auto e = out.root.child("Error");
      e.add("Key", key);
      if (!version.empty()) e.add("VersionId", version);
      e.add("Code", "AccessDenied").add("Message", "Access Denied because object protected by object lock.");
      continue;
    }
    raise(st, c);
    if (!quiet) {
      auto del = out.root.child("Deleted");
      del.add("Key", key);
      if (!version.empty()) del.add("VersionId", version);
      if (d.marker) del.add_bool("DeleteMarker", true).add("DeleteMarkerVersionId", d.version_id);
    }
  }
  reply_xml(c, out);
}

}  // namespace localaws::s3
