// Put/GetBucketLogging: server access logging configuration, validated as S3 validates it
// (https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketLogging.html,
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/ServerLogs.html): the target bucket
// exists, has the same owner and region, can receive logs (ACL-mode targets grant the log-delivery
// group WRITE and READ_ACP unless a policy is set; owner-enforced targets take no TargetGrants).
#include "s3/acl.h"
#include "s3/handlers.h"

namespace localaws::s3 {

namespace {
constexpr const char* kLogging = "logging";

bool grants_log_delivery(const Acl& acl, unsigned perm) {
  for (auto& g : acl.grants) {
    if (g.grantee.kind == Grantee::Kind::kGroup && g.grantee.uri == kLogDelivery && (g.perm & perm) == perm)
      return true;
  }
  return false;
}

void check_grants(pugi::xml_node grants) {
  for (auto g : grants.children()) {
    if (std::string(g.name()) != "Grant") throw S3Error("MalformedXML");
    auto ge = g.child("Grantee");
    auto perm = child_text(g, "Permission");
    if (!ge || !perm || (*perm != "FULL_CONTROL" && *perm != "READ" && *perm != "WRITE")) throw S3Error("MalformedXML");
    std::string type = ge.attribute("xsi:type").as_string();
    bool ok = (type == "CanonicalUser" && ge.child("ID")) || (type == "Group" && ge.child("URI")) ||
              (type == "AmazonCustomerByEmail" && ge.child("EmailAddress"));
    if (!ok) throw S3Error("MalformedXML");
  }
}

void check_key_format(pugi::xml_node f) {
  auto simple = f.child("SimplePrefix");
  auto part = f.child("PartitionedPrefix");
  if (static_cast<bool>(simple) == static_cast<bool>(part)) throw S3Error("MalformedXML");
  if (part) {
    auto src = child_text(part, "PartitionDateSource");
    if (src && *src != "EventTime" && *src != "DeliveryTime") throw S3Error("MalformedXML");
  }
}

void check_target(Ctx& c, const std::string& target, bool has_grants) {
  auto t = c.store().bucket(target);
  auto invalid = [&](const char* m) {
    return S3Error("InvalidTargetBucketForLogging", m).with("TargetBucket", target);
  };
  if (!t) throw invalid("The target bucket for logging does not exist");
  if (t->owner.account != c.bkt->owner.account)
    throw invalid("The owner for the bucket to be logged and the target bucket must be the same.");
  if (t->region != c.bkt->region) throw S3Error("CrossLocationLoggingProhibited").with("TargetBucket", target);
  if (has_default_retention(*t))
    throw invalid("The target bucket for logging must not have an Object Lock default retention period");
  if (requester_pays(*t)) throw invalid("The target bucket for logging must not have Requester Pays enabled");
  auto* own = t->get("ownership");
  bool enforced = own && ownership_from_name(*own) == Ownership::kBucketOwnerEnforced;
  if (enforced) {
    if (has_grants)
      throw S3Error("AccessControlListNotSupported", "Target grants not allowed for bucket owner enforced buckets");
    return;  // logging.s3.amazonaws.com writes by the bucket policy (S3 does not read it here)
  }
  auto* a = t->get("acl");
  Acl acl = a ? Acl::decode(*a) : Acl{};
  if (!t->get("policy") && !(grants_log_delivery(acl, kWrite) && grants_log_delivery(acl, kReadAcp)))
    throw invalid("You must give the log-delivery group WRITE and READ_ACP permissions to the target bucket");
}
}  // namespace

std::optional<LoggingTarget> logging_target(const Bucket& b) {
  auto* x = b.get(kLogging);
  if (!x) return std::nullopt;
  pugi::xml_document doc;
  if (!parse_xml(*x, doc)) return std::nullopt;
  auto le = doc.document_element().child("LoggingEnabled");
  if (!le) return std::nullopt;
  LoggingTarget t;
  t.bucket = child_text(le, "TargetBucket").value_or("");
  t.prefix = child_text(le, "TargetPrefix").value_or("");
  auto part = le.child("TargetObjectKeyFormat").child("PartitionedPrefix");
  t.partitioned = static_cast<bool>(part);
  t.delivery_time = child_text(part, "PartitionDateSource").value_or("EventTime") == "DeliveryTime";
  return t;
}

void get_bucket_logging(Ctx& c) {
  if (auto* x = c.bkt->get(kLogging)) return reply_stored(c, *x);
  reply_xml(c, XmlDoc("BucketLoggingStatus"));  // logging off: an empty status
}

void put_bucket_logging(Ctx& c) {
  std::string body = read_small_body(c, 64 * 1024);
  verify_body_integrity(c.req, body);
  pugi::xml_document doc;
  auto root = config_body(doc, body, "BucketLoggingStatus");
  auto le = root.child("LoggingEnabled");
  if (!le) {
    // ---- checks end: an empty status turns logging off ----
    raise(c.store().set_bucket_config(c.bucket, kLogging, std::nullopt), c);
    c.env.access_logs->forget(c.bucket);
    return;
  }
  auto target = child_text(le, "TargetBucket");
  auto prefix = child_text(le, "TargetPrefix");
  if (!target || target->empty() || !prefix) throw S3Error("MalformedXML");
  auto grants = le.child("TargetGrants");
  if (grants) check_grants(grants);
  if (auto f = le.child("TargetObjectKeyFormat")) check_key_format(f);
  check_target(c, *target, grants && grants.first_child());
  // ---- checks end ----
  raise(c.store().set_bucket_config(c.bucket, kLogging, stored_config(root)), c);
  c.env.access_logs->forget(c.bucket);
}

}  // namespace localaws::s3
