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

// x-amz-if-match-last-modified-time and x-amz-if-match-size are directory-bucket conditions; a
// general purpose bucket (every localaws bucket) refuses them (501), as it refuses If-Match
// together with a versionId.
void refuse_directory_conditions(const Ctx& c, const std::string* vid) {
  for (const char* h : {"x-amz-if-match-last-modified-time", "x-amz-if-match-size"}) {
    if (c.req.header(h)) throw S3Error("NotImplemented").with("Header", h);
  }
  if (vid && c.req.header("if-match")) throw S3Error("NotImplemented").with("Header", "If-Match");
}

}  // namespace

void delete_object(Ctx& c) {
  const std::string* vid = c.req.query_param("versionId");
  if (vid) check_version_id(*vid, "versionId");
  refuse_directory_conditions(c, vid);
  bool bypass = bypass_governance(c);
  const std::string* if_match = c.req.header("if-match");
  // Comparing ETags reads the object: S3 wants s3:GetObject besides s3:DeleteObject then.
  if (if_match && trim(*if_match) != "*") {
    auto cur = c.store().object(c.bucket, c.key);
    if (!authorize(c, Op::kGetObject, &*c.bkt, cur ? &*cur : nullptr, false)) throw S3Error("AccessDenied");
  }
  // ---- checks end ----
  Deleted d;
  Owner requester = owner_of(c.who);  // a delete marker belongs to whoever made it
  if (if_match) {
    // Conditional delete: checked against the current version in the delete's own transaction.
    std::vector<Store::DeleteOutcome> out;
    raise(c.store().delete_objects(c.bucket, {{c.key, "", trim(*if_match)}}, bypass, c.now_ms, requester, out), c);
    if (out[0].st == St::kPreconditionFailed) throw S3Error("PreconditionFailed").with("Condition", "If-Match");
    raise(out[0].st, c);
    d = out[0].deleted;
  } else {
    raise(c.store().delete_object(c.bucket, c.key, vid ? *vid : "", bypass, c.now_ms, &d, &requester), c);
  }
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
    std::optional<std::string> etag;  // <ETag>: delete only while the current version has it
  };
  std::vector<Entry> keys;
  for (auto obj : root.children("Object")) {
    auto k = child_text(obj, "Key");
    if (!k) throw S3Error("MalformedXML");
    auto v = child_text(obj, "VersionId");
    auto etag = child_text(obj, "ETag");
    // The directory-bucket conditions, and a condition on a named version (see delete_object).
    if (obj.child("LastModifiedTime")) throw S3Error("NotImplemented").with("Header", "LastModifiedTime");
    if (obj.child("Size")) throw S3Error("NotImplemented").with("Header", "Size");
    if (etag && v) throw S3Error("NotImplemented").with("Header", "ETag");
    keys.push_back({*k, v.value_or(""), v.has_value(), etag ? std::optional<std::string>(trim(*etag)) : std::nullopt});
  }
  bool bypass = bypass_governance(c);
  Owner requester = owner_of(c.who);
  if (keys.empty() || keys.size() > 1000) throw S3Error("MalformedXML");
  // Keys S3 refuses without looking (too long, a version id that names nothing S3 could hold).
  std::vector<const char*> refused(keys.size(), nullptr);
  std::vector<Store::DeleteEntry> batch;
  std::vector<size_t> in_batch;
  for (size_t i = 0; i < keys.size(); i++) {
    auto& e = keys[i];
    if (e.key.size() > 1024) refused[i] = "KeyTooLongError";
    else if (e.has_version && (e.version.empty() || (e.version != "null" && !version_seq(e.version))))
      refused[i] = "NoSuchVersion";
    if (refused[i]) continue;
    batch.push_back({e.key, e.version, e.etag});
    in_batch.push_back(i);
  }
  // Each key needs s3:DeleteObject (s3:DeleteObjectVersion with a VersionId) on its own ARN; a
  // refused key is an AccessDenied entry, the others are deleted. Comparing an ETag reads the
  // object: S3 wants s3:GetObject on it as well.
  std::vector<bool> denied(keys.size(), false);
  for (size_t j = 0; j < in_batch.size(); j++) {
    const Entry& e = keys[in_batch[j]];
    auto cur = c.store().object(c.bucket, e.key);
    const Object* o = cur ? &*cur : nullptr;
    bool ok = authorize_key(c, Op::kDeleteObject, e.key, o, e.has_version && e.version != "");
    if (ok && e.etag && *e.etag != "*") ok = authorize_key(c, Op::kGetObject, e.key, o, false);
    if (!ok) denied[in_batch[j]] = true;
  }
  for (size_t j = 0; j < in_batch.size();) {
    if (denied[in_batch[j]]) {
      batch.erase(batch.begin() + j);
      in_batch.erase(in_batch.begin() + j);
    } else {
      j++;
    }
  }
  // ---- checks end; every key is deleted in ONE transaction ----
  std::vector<Store::DeleteOutcome> done;
  if (!batch.empty()) raise(c.store().delete_objects(c.bucket, batch, bypass, c.now_ms, requester, done), c);
  std::vector<const Store::DeleteOutcome*> outcome(keys.size(), nullptr);
  for (size_t j = 0; j < in_batch.size(); j++) outcome[in_batch[j]] = &done[j];

  XmlDoc out("DeleteResult");
  auto error = [&](const Entry& e, const char* code, const char* message, bool with_version) {
    auto x = out.root.child("Error");
    x.add("Key", e.key);
    if (with_version) x.add("VersionId", e.version);
    x.add("Code", code).add("Message", message);
  };
  for (size_t i = 0; i < keys.size(); i++) {
    const Entry& e = keys[i];
    if (refused[i] && std::string(refused[i]) == "KeyTooLongError") {
      error(e, "KeyTooLongError", "Your key is too long", false);
      continue;
    }
    if (refused[i]) {
      error(e, "NoSuchVersion", "The specified version does not exist.", true);
      continue;
    }
    if (denied[i]) {
      error(e, "AccessDenied", "Access Denied", false);
      continue;
    }
    const Store::DeleteOutcome& r = *outcome[i];
    switch (r.st) {
      case St::kOk: break;
      case St::kLocked:
        error(e, "AccessDenied", "Access Denied because object protected by object lock.", !e.version.empty());
        continue;
      case St::kNoSuchKey: error(e, "NoSuchKey", "The specified key does not exist.", false); continue;
      case St::kPreconditionFailed:
        error(e, "PreconditionFailed", "At least one of the pre-conditions you specified did not hold", false);
        continue;
      default: raise(r.st, c);
    }
    if (!quiet) {
      auto del = out.root.child("Deleted");
      del.add("Key", e.key);
      if (!e.version.empty()) del.add("VersionId", e.version);
      if (r.deleted.marker) del.add_bool("DeleteMarker", true).add("DeleteMarkerVersionId", r.deleted.version_id);
    }
  }
  reply_xml(c, out);
}

}  // namespace localaws::s3
