// Object Lock: the bucket's configuration (enabled, default retention), per-version retention and
// legal hold, and the lock a new version gets from x-amz-object-lock-* headers or the default.
// Enforcement (a locked version cannot be deleted) happens inside the store's delete transaction.
#include "common/strings.h"
#include "common/time.h"
#include "s3/handlers.h"
#include "s3/policy_request.h"

namespace localaws::s3 {

namespace {

constexpr const char* kLockConfig = "objectlock";  // bucket config: "<MODE> <Days|Years> <n>"
constexpr int64_t kDayMs = 86'400'000;

bool valid_mode(const std::string& m) { return m == "GOVERNANCE" || m == "COMPLIANCE"; }

struct DefaultRetention {
  std::string mode;
  std::string unit;  // "Days" or "Years"
  int64_t n = 0;
  int64_t until_ms(int64_t now_ms) const { return now_ms + n * (unit == "Years" ? 365 : 1) * kDayMs; }
};

std::optional<DefaultRetention> default_retention(const Bucket& b) {
  auto* s = b.get(kLockConfig);
  if (!s || s->empty()) return std::nullopt;
  auto parts = split(*s, ' ');
  if (parts.size() != 3) return std::nullopt;
  auto n = parse_u64(parts[2]);
  if (!n) return std::nullopt;
  return DefaultRetention{parts[0], parts[1], static_cast<int64_t>(*n)};
}

void require_lock_enabled(const Ctx& c) {
  if (!c.bkt->object_lock) throw S3Error("InvalidRequest", "Bucket is missing Object Lock Configuration");
}

// The Object Lock operations' XML body, which must carry Content-MD5 or a checksum.
pugi::xml_node xml_root(Ctx& c, pugi::xml_document& doc, const char* root) {
  std::string body = read_small_body(c, 64 * 1024);
  verify_body_integrity(c.req, body);
  if (!parse_xml(body, doc) || std::string(doc.document_element().name()) != root) throw S3Error("MalformedXML");
  return doc.document_element();
}


int64_t parse_until(const std::string& text, const char* what) {
  auto s = parse_iso8601(trim(text));
  if (!s) throw S3Error("InvalidArgument", std::string("The ") + what + " is not a valid date").with("ArgumentName", what);
  return *s * 1000;
}

}  // namespace

NewLock new_object_lock(const Ctx& c) {
  NewLock l;
  auto* mode = c.req.header("x-amz-object-lock-mode");
  auto* until = c.req.header("x-amz-object-lock-retain-until-date");
  auto* hold = c.req.header("x-amz-object-lock-legal-hold");
  if ((mode || until || hold) && !c.bkt->object_lock)
    throw S3Error("InvalidRequest", "Bucket is missing Object Lock Configuration");
  if (!mode != !until)
    throw S3Error("InvalidArgument",
                  "x-amz-object-lock-retain-until-date and x-amz-object-lock-mode must both be supplied");
  if (mode) {
    l.mode = trim(*mode);
    if (!valid_mode(l.mode))
      throw S3Error("InvalidArgument", "Unknown wormMode directive.")
          .with("ArgumentName", "x-amz-object-lock-mode")
          .with("ArgumentValue", *mode);
    l.until_ms = parse_until(*until, "x-amz-object-lock-retain-until-date");
    if (l.until_ms <= c.now_ms)
      throw S3Error("InvalidArgument", "The retain until date must be in the future!")
          .with("ArgumentName", "x-amz-object-lock-retain-until-date")
          .with("ArgumentValue", *until);
  } else if (c.bkt->object_lock) {
    if (auto d = default_retention(*c.bkt)) {
      l.mode = d->mode;
      l.until_ms = d->until_ms(c.now_ms);
    }
  }
  if (hold) {
    std::string h = trim(*hold);
    if (h != "ON" && h != "OFF")
      throw S3Error("InvalidArgument", "Legal Hold must be either of 'ON' or 'OFF'")
          .with("ArgumentName", "x-amz-object-lock-legal-hold")
          .with("ArgumentValue", *hold);
    l.legal_hold = h == "ON" ? Hold::kOn : Hold::kOff;
  }
  // A PutObject that gets a retention period must prove its bytes (Content-MD5 or a checksum).
  if (c.op == Op::kPutObject && c.req.method == "PUT" && (!l.mode.empty() || l.legal_hold != Hold::kNone))
    require_integrity(c, "Put Object");
  return l;
}

void require_integrity(const Ctx& c, const char* what) {
  if (c.req.header("content-md5") || c.req.header("x-amz-sdk-checksum-algorithm") || c.req.header("x-amz-trailer"))
    return;
  for (Algo a : kAllAlgos) {
    if (c.req.header(algo_header(a))) return;
  }
  throw S3Error("InvalidRequest", std::string("Content-MD5 OR x-amz-checksum- HTTP header is required for ") + what +
                                      " requests with Object Lock parameters");
}

bool has_default_retention(const Bucket& b) { return b.object_lock && default_retention(b).has_value(); }

void lock_headers(const Object& o, http::Response& res) {
  if (!o.lock_mode.empty()) {
    res.set_header("x-amz-object-lock-mode", o.lock_mode);
    res.set_header("x-amz-object-lock-retain-until-date", iso8601_ms(o.lock_until_ms));
  }
  if (o.legal_hold != Hold::kNone) res.set_header("x-amz-object-lock-legal-hold", o.legal_hold == Hold::kOn ? "ON" : "OFF");
}

void get_object_lock_configuration(Ctx& c) {
  if (!c.bkt->object_lock) throw S3Error("ObjectLockConfigurationNotFoundError").with("BucketName", c.bucket);
  XmlDoc doc("ObjectLockConfiguration");
  doc.root.add("ObjectLockEnabled", "Enabled");
  if (auto d = default_retention(*c.bkt)) {
    doc.root.child("Rule").child("DefaultRetention").add("Mode", d->mode).add(d->unit, static_cast<uint64_t>(d->n));
  }
  reply_xml(c, doc);
}

void put_object_lock_configuration(Ctx& c) {
  pugi::xml_document doc;
  auto root = xml_root(c, doc, "ObjectLockConfiguration");
  auto enabled = child_text(root, "ObjectLockEnabled");
  if (!enabled || *enabled != "Enabled") throw S3Error("MalformedXML");
  std::string value;
  if (auto rule = root.child("Rule")) {
    auto dr = rule.child("DefaultRetention");
    if (!dr) throw S3Error("MalformedXML");
    auto mode = child_text(dr, "Mode");
    auto days = child_text(dr, "Days");
    auto years = child_text(dr, "Years");
    if (!mode || !valid_mode(*mode) || !days == !years) throw S3Error("MalformedXML");
    auto n = parse_u64(trim(days ? *days : *years));
    if (!n || *n == 0 || *n > (days ? 36500u : 100u))
      throw S3Error("InvalidArgument", "Default retention period must be a positive integer value.")
          .with("ArgumentName", days ? "Days" : "Years");
    value = *mode + (days ? " Days " : " Years ") + std::to_string(*n);
  }
  if (!c.bkt->object_lock && c.bkt->versioning != Versioning::kEnabled)
    throw S3Error("InvalidBucketState", "Versioning must be 'Enabled' on the bucket to apply a Object Lock configuration");
  // ---- checks end ----
  if (!c.bkt->object_lock) raise(c.store().enable_object_lock(c.bucket), c);
  // No Rule: the bucket keeps Object Lock but loses its default retention.
  raise(c.store().set_bucket_config(c.bucket, kLockConfig,
                                    value.empty() ? std::nullopt : std::optional<std::string>(value)), c);
}

void get_object_retention(Ctx& c) {
  require_lock_enabled(c);
  const Object& o = loaded_object(c);
  if (o.lock_mode.empty()) throw S3Error("NoSuchObjectLockConfiguration");
  XmlDoc doc("Retention");
  doc.root.add("Mode", o.lock_mode).add("RetainUntilDate", iso8601_ms(o.lock_until_ms));
  reply_xml(c, doc);
}

void put_object_retention(Ctx& c) {
  require_lock_enabled(c);
  pugi::xml_document doc;
  auto root = xml_root(c, doc, "Retention");
  auto mode = child_text(root, "Mode");
  auto until = child_text(root, "RetainUntilDate");
  if (!mode != !until) throw S3Error("MalformedXML");
  Retention r;
  if (mode) {
    if (!valid_mode(*mode)) throw S3Error("MalformedXML");
    r.mode = *mode;
    r.until_ms = parse_until(*until, "RetainUntilDate");
    if (r.until_ms <= c.now_ms) throw S3Error("InvalidArgument", "The retain until date must be in the future!");
  }
  // The policy sees the retention the body asks for (s3:object-lock-mode, -retain-until-date,
  // -remaining-retention-days).
  PolicyContext keys;
  if (mode) {
    keys.set("s3:object-lock-mode", *mode);
    keys.set("s3:object-lock-retain-until-date", trim(*until));
    int64_t days = (r.until_ms - c.now_ms + 86400000 - 1) / 86400000;
    keys.set("s3:object-lock-remaining-retention-days", std::to_string(days));
  }
  if (!authorize_with(c, c.op, c.obj ? &*c.obj : nullptr, keys)) throw S3Error("AccessDenied");
  const Object& o = loaded_object(c);
  // A bypass the caller may not use is no bypass: a governance retention then refuses the change.
  bool bypass = iequals(trim(c.req.header_or("x-amz-bypass-governance-retention")), "true") &&
                may_bypass_governance(c, *c.bkt, &o);
  // ---- checks end ----
  raise(c.store().set_retention(c.bucket, c.key, o.version_id, r, bypass, c.now_ms), c);
  if (o.version_id != "null" || c.bkt->versioning != Versioning::kNone) c.res.set_header("x-amz-version-id", o.version_id);
}

void get_object_legal_hold(Ctx& c) {
  require_lock_enabled(c);
  const Object& o = loaded_object(c);
  // A version that never had a legal hold has no lock configuration to show.
  if (o.legal_hold == Hold::kNone) throw S3Error("NoSuchObjectLockConfiguration");
  XmlDoc doc("LegalHold");
  doc.root.add("Status", o.legal_hold == Hold::kOn ? "ON" : "OFF");
  reply_xml(c, doc);
}

void put_object_legal_hold(Ctx& c) {
  require_lock_enabled(c);
  pugi::xml_document doc;
  auto root = xml_root(c, doc, "LegalHold");
  auto status = child_text(root, "Status");
  if (!status || (*status != "ON" && *status != "OFF")) throw S3Error("MalformedXML");
  PolicyContext keys;
  keys.set("s3:object-lock-legal-hold", *status);
  if (!authorize_with(c, c.op, c.obj ? &*c.obj : nullptr, keys)) throw S3Error("AccessDenied");
  const Object& o = loaded_object(c);
  // ---- checks end ----
  raise(c.store().set_legal_hold(c.bucket, c.key, o.version_id, *status == "ON"), c);
}

}  // namespace localaws::s3
